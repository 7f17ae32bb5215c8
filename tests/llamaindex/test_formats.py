"""The formats corpus through LlamaIndex: ``StepCacheLLM`` around a chat model that answers like widely used
assistants, called with the caller's own ``ChatPromptTemplate`` (system prompt included)."""

from __future__ import annotations

from stepcache_core import MemoryStore, StepCacheEngine
from stepcache_core.bench.formats import REUSE_TARGET, Problem, StyledAssistant, run_corpus, solve, summarize_corpus
from stepcache_core.fakes import HashEmbedder
from stepcache_llamaindex import StepCacheLLM
from stepcache_llamaindex.bench_formats import PROMPT, LlamaIndexRoute, StyledLLM


def test_every_style_meets_the_targets():
    rows = run_corpus(LlamaIndexRoute())
    for key, s in summarize_corpus(rows).items():
        assert s["repeats_identical"] == 1.0, key
        assert s["first_served_as_written"] == 1.0, key
        assert s["variants_reused_correct"] >= REUSE_TARGET, key
        assert s["wrong_served"] == 0, key
        assert s["prompt_verbatim"] == 1.0, key
    rejected = [r for r in rows if r["kind"] == "rejected"]
    assert rejected and all(r["path"] != "error" and r["verbatim"] for r in rejected)  # served as text by the model


def test_a_model_slip_is_patched_through_the_same_model():
    assistant = StyledAssistant("llama-step-labels-boxed", slips=1)
    inner = StyledLLM(assistant=assistant)
    llm = StepCacheLLM(llm=inner, engine=StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder()))
    problem = Problem(3, 7, 20, "θ")
    out = llm.predict(PROMPT, question=problem.question)
    assert out == solve("llama-step-labels-boxed", problem)
    assert [m.content for m in inner.received[0]] == [m.content for m in PROMPT.format_messages(question=problem.question)]
    assert isinstance(inner.received[1], str) and "is wrong" in inner.received[1]  # the patch instruction
    assert llm.last_trace is not None and llm.last_trace["fallback"] == "patch"


def test_json_programs_and_structured_predict_reuse_with_the_schema_they_carry():
    from stepcache_core.bench.formats_json import run_json_corpus, summarize_json_corpus
    from stepcache_llamaindex.bench_formats import ProgramRoute

    for mode in ("program", "structured_predict", "system_prompt"):  # system_prompt: the schema in the system message
        summary = summarize_json_corpus(run_json_corpus(ProgramRoute(mode)))
        for key, s in summary.items():
            assert s["error_rows"] == 0 and s["wrong_served"] == 0, key
            assert s["repeats_identical"] == 1.0 and s["variants_reused_correct"] >= 0.9, key
            assert s["prompt_verbatim"] == 1.0, key  # the program's own prompt (with its schema) on a miss
