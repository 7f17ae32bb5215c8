"""The retrieval stage (``stepcache_core.retrieve``): candidates by structure and by embedding, through the gate.

Classes of input: a same-structure request (found without embedding), a request of another structure (the gate
refuses it and says why), an unverified entry (never a candidate), repeat traffic on one structure (entries stored
later, vouched for less), and a replaced retriever.
"""

from __future__ import annotations

import re

import pytest

from stepcache_core import EngineConfig, Request, StepCacheEngine, background
from stepcache_core.fakes import HashEmbedder, MemoryStore, ScriptedBackend
from stepcache_core.intake import RunLog
from stepcache_core.retrieve import Retrieved, Retriever
from stepcache_core.values import GenerationSpec

BASE = "Solve for x: 3x + 5 = 20"


def test_by_signature_needs_no_embedding_and_passes_the_gate(make_engine):
    engine, _ = make_engine()
    assert engine.record(Request(BASE), "3x = 15\nx = 5")
    run = RunLog()
    prep = engine.prepare(Request("Solve for x: 3x + 8 = 29"), run)
    found = engine.retriever.by_signature(prep, run)
    assert found is not None and found[0].entry.prompt == BASE and found[0].similarity is None
    assert "embed" not in run.stages and run.vector is None
    run = RunLog()
    other = engine.prepare(Request("Solve for x: 3x + 5 = 20 - x"), run)
    assert engine.retriever.by_signature(other, run) is None


def test_by_embedding_keeps_what_passes_the_gate_and_says_why_not(make_engine):
    engine, _ = make_engine()
    assert engine.record(Request(BASE), "3x = 15\nx = 5")
    assert not engine.record(Request("Solve for x: 2x = 9"), "x = 5")  # wrong: not a candidate
    run = RunLog()
    prep = engine.prepare(Request("Solve for x: 3x + 5 = 20. Round to two decimals."), run)
    got = engine.retriever.by_embedding(prep, run)
    assert not got.chosen and got.nearest is not None and got.skip_reason
    assert run.vector is not None and engine.retriever.vector(prep, run) is run.vector
    run = RunLog()
    prep = engine.prepare(Request("Solve for x: 3x + 1 = 7"), run)
    got = engine.retriever.by_embedding(prep, run)
    assert [c.entry.prompt for c, _ in got.chosen] == [BASE]


def test_a_replaced_retriever_decides_what_is_reused(make_engine):
    class Nothing(Retriever):
        def by_structure(self, prep, run, n=4):
            return []

        def by_embedding(self, prep, run):
            return Retrieved()

    engine, backend = make_engine(["3x = 15\nx = 5", "3x = 6\nx = 2"])
    engine.run(Request(BASE))
    engine.retriever = Nothing(engine.store, engine.embedder, engine.config)
    out = engine.run(Request("Solve for x: 3x + 1 = 7"))
    assert out.trace.path == "miss" and len(backend.calls) == 2


def _apples(spec) -> str:
    """A model that is always right about one word-problem template."""
    name, have, more = re.search(r"(\w+) has (\d+) apples and buys (\d+) more", spec.prompt).groups()
    total = int(have) + int(more)
    return f"{name} has {have} + {more} = {total} apples.\n#### {total}"


@pytest.mark.parametrize("later", [6, 10])  # within the newest the fast path reads, and past them
def test_entries_stored_later_never_hide_the_one_that_serves(later):
    """Class: repeat traffic on one structure. Answers stored after the first one and vouched for their own
    numbers only (a reuse found by similarity is stored so, and so is what a process with probes off records),
    more of them than the few newest the fast path reads, must not hide the first one, which a probe vouched for
    other numbers: a variant is served from it, with no model call."""
    backend = ScriptedBackend(respond=_apples)
    engine = StepCacheEngine(
        store=MemoryStore(), embedder=HashEmbedder(), backend=backend, config=EngineConfig(corroboration_probes=2)
    )
    first = engine.run(Request("Ann has 12 apples and buys 5 more. How many apples does Ann have?"))
    background.drain(10)
    assert first.trace.path == "miss"
    for have, more in [(31, 7), (44, 9), (53, 6), (65, 8), (71, 4), (86, 3), (93, 13), (97, 14), (98, 15), (99, 16)][:later]:
        question = f"Ann has {have} apples and buys {more} more. How many apples does Ann have?"
        prep = engine.prepare(Request(question))
        assert engine.recorder.put(prep, _apples(GenerationSpec(question, 64)), verified=True, run=RunLog())
    calls = len(backend.calls)
    out = engine.run(Request("Ann has 23 apples and buys 11 more. How many apples does Ann have?"))
    assert out.trace.path == "reuse" and len(backend.calls) == calls
    assert out.trace.matched_prompt.startswith("Ann has 12 apples")
    assert out.text == "Ann has 23 + 11 = 34 apples.\n#### 34"


def test_a_replaced_retriever_may_return_a_list_of_candidates(make_engine):
    class Listed(Retriever):
        def by_structure(self, prep, run, n=8):
            return list(super().by_structure(prep, run, n))

    engine, _ = make_engine()
    assert engine.record(Request(BASE), "3x = 15\nx = 5")
    engine.retriever = Listed(engine.store, engine.embedder, engine.config)
    run = RunLog()
    found = engine.retriever.by_signature(engine.prepare(Request("Solve for x: 3x + 8 = 29"), run), run)
    assert found is not None and found[0].entry.prompt == BASE
