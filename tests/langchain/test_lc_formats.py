"""The formats corpus through LangChain: a chain with its own system prompt and template around a chat model that
answers like widely used assistants (markdown, LaTeX, prose), under ``set_llm_cache`` and ``StepCacheRunnable``."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.globals import set_llm_cache
from langchain_core.output_parsers import StrOutputParser

from stepcache_core.bench.formats import REUSE_TARGET, Problem, StyledAssistant, is_correct, run_corpus, solve, summarize_corpus
from stepcache_langchain import StepCache, StepCacheRunnable
from stepcache_langchain.bench_formats import PROMPT, CacheRoute, RunnableRoute, StyledChatModel


@pytest.fixture(scope="module", params=[CacheRoute, RunnableRoute], ids=["set_llm_cache", "runnable"])
def corpus(request: Any) -> dict[str, Any]:
    rows = run_corpus(request.param())
    return {"rows": rows, "summary": summarize_corpus(rows)}


def test_every_style_meets_the_targets(corpus: dict[str, Any]) -> None:
    for key, s in corpus["summary"].items():
        assert s["repeats_identical"] == 1.0, key
        assert s["first_served_as_written"] == 1.0, key
        assert s["variants_reused_correct"] >= REUSE_TARGET, key
        assert s["wrong_served"] == 0, key
        assert s["prompt_verbatim"] == 1.0, key  # the model got the template's messages, system prompt included


def test_a_request_the_engine_rejects_is_served_by_the_model(corpus: dict[str, Any]) -> None:
    rejected = [r for r in corpus["rows"] if r["kind"] == "rejected"]
    assert rejected and all(r["path"] != "error" and r["model_calls"] == 1 and r["verbatim"] for r in rejected)


def test_a_model_slip_under_set_llm_cache_is_returned_as_langchain_got_it_but_never_kept(engine: Any) -> None:
    assistant = StyledAssistant("claude-steps-bold-answer", slips=1)
    model = StyledChatModel(assistant=assistant)
    chain = PROMPT | model | StrOutputParser()
    set_llm_cache(StepCache(engine=engine))
    problem = Problem(3, 5, 20)
    first = chain.invoke({"question": problem.question})
    assert not is_correct(first, problem)  # LangChain returns what the model said on a miss
    again = chain.invoke({"question": problem.question})
    assert is_correct(again, problem) and len(model.received) == 2  # the slip was not stored: the model answered again
    variant = Problem(3, 8, 20)
    reused = chain.invoke({"question": variant.question})
    assert is_correct(reused, variant) and len(model.received) == 2


def test_a_model_slip_through_the_runnable_is_patched_in_the_answers_layout(engine: Any) -> None:
    assistant = StyledAssistant("gemini-numbered-list", slips=1)
    model = StyledChatModel(assistant=assistant)
    chain = PROMPT | StepCacheRunnable(model, engine=engine) | StrOutputParser()
    problem = Problem(4, -7, 21, "x_2")
    out = chain.invoke({"question": problem.question})
    assert out == solve("gemini-numbered-list", problem)
    assert model.received[0] == PROMPT.invoke({"question": problem.question}).to_messages()
    assert "is wrong" in str(model.received[1][-1].content)  # the patch: an instruction, in the same chat model


def test_an_unreadable_answer_is_still_an_exact_cache_hit(engine: Any) -> None:
    class Vague(StyledAssistant):
        def respond(self, prompt: str) -> str:
            self.prompts.append(prompt)
            return "Move the constant over, then divide; you will find the value quickly!"

    model = StyledChatModel(assistant=Vague("plain-lines"))
    cache = StepCache(engine=engine)
    set_llm_cache(cache)
    chain = PROMPT | model | StrOutputParser()
    first = chain.invoke({"question": "Solve for x: 3x + 5 = 20"})
    again = chain.invoke({"question": "Solve for x: 3x + 5 = 20"})
    assert again == first and len(model.received) == 1
    assert cache.last_trace is not None and cache.last_trace["verified"] is False and cache.last_trace["exact_hit"]
    chain.invoke({"question": "Solve for x: 3x + 7 = 20"})  # never adapted: a variant asks the model
    assert len(model.received) == 2
