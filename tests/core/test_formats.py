"""The formats corpus through the core API: answers in eight assistants' styles, five kinds of variable names.

Targets (issue 10): exact repeats byte-identical, variants reused and correct (at least 90% per style), no wrong
answer served, the model sees the caller's prompt verbatim on a miss, a rejected request is a typed error row."""

from __future__ import annotations

import pytest

from stepcache_core import MemoryStore, Request, StepCacheEngine
from stepcache_core.bench.formats import (
    REUSE_TARGET,
    STYLES,
    CoreRoute,
    Problem,
    StyledAssistant,
    is_correct,
    run_corpus,
    solve,
    summarize_corpus,
)
from stepcache_core.fakes import HashEmbedder


def _engine(assistant: StyledAssistant) -> StepCacheEngine:
    return StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder(), backend=assistant)


@pytest.fixture(scope="module")
def corpus() -> dict:
    rows = run_corpus(CoreRoute(_engine))
    return {"rows": rows, "summary": summarize_corpus(rows)}


def test_core_route_meets_the_targets_for_every_style(corpus):
    for key, s in corpus["summary"].items():
        assert s["repeats_identical"] == 1.0, key
        assert s["first_served_as_written"] == 1.0, key
        assert s["variants_reused_correct"] >= REUSE_TARGET, key
        assert s["wrong_served"] == 0, key
        assert s["prompt_verbatim"] == 1.0, key


def test_a_rejected_request_is_an_error_row_not_an_abort(corpus):
    rejected = [r for r in corpus["rows"] if r["kind"] == "rejected"]
    assert rejected and all(r["path"] == "error" and "InvalidEquationError" in r["error"] for r in rejected)


@pytest.mark.parametrize("style", sorted(STYLES))
def test_a_model_slip_is_patched_in_the_answers_own_layout(style):
    assistant = StyledAssistant(style, slips=1)
    engine = _engine(assistant)
    problem = Problem(4, -7, 21, "t1")
    prompt = f"You are terse.\n\n{problem.question}"
    out = engine.run(Request(prompt))
    assert assistant.prompts[0] == prompt  # the caller's prompt first, verbatim
    assert out.trace.fallback == "patch" and out.text == solve(style, problem)  # only the failing lines rewritten
    assert len(assistant.prompts) == 2 and "is wrong" in assistant.prompts[1]


def test_a_reuse_changes_only_what_the_new_request_changes():
    engine = _engine(StyledAssistant("chatgpt-markdown-latex"))
    engine.run(Request(Problem(3, 5, 20).question))
    variant = Problem(3, 8, 20)
    out = engine.run(Request(variant.question))
    expected = solve("chatgpt-markdown-latex", variant)
    assert out.trace.path == "reuse" and out.trace.backend_calls == 0 and out.text == expected and is_correct(out.text, variant)
