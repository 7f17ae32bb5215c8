"""StepCacheRunnable / with_step_cache on fakes."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.language_models import FakeListChatModel, FakeListLLM, GenericFakeChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, SystemMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import PromptTemplate

from stepcache_core import InvalidRequestError, MemoryStore, StepCacheEngine, StoreError
from stepcache_core.fakes import HashEmbedder
from stepcache_core.testing import BackendContract
from stepcache_langchain import LangChainBackend, StepCacheRunnable, with_step_cache

BASE = "Solve for x: 3x + 5 = 20"
BASE_STEPS = "3x = 20 - 5\n3x = 15\nx = 5"
VARIANT = "Solve for x: 3x + 8 = 20"
VARIANT_ANSWER = "x = 4"


def test_invoke_llm_miss_then_reuse(engine: StepCacheEngine, recording_llm: Any) -> None:
    llm = recording_llm(responses=[BASE_STEPS])
    cached = with_step_cache(llm, engine=engine)
    assert isinstance(cached, StepCacheRunnable)
    assert cached.invoke(BASE) == BASE_STEPS
    assert cached.last_trace is not None and cached.last_trace["path"] == "miss"
    # on a miss the model gets the caller's prompt, verbatim, with its own settings (no engine stops)
    assert llm.prompts == [BASE] and llm.stops == [None]
    out = cached.invoke(VARIANT, with_trace=True)
    assert out["output"].splitlines()[-1] == VARIANT_ANSWER
    assert out["trace"]["path"] == "reuse" and out["trace"]["backend_calls"] == 0
    assert len(llm.prompts) == 1


def test_invoke_chat_returns_aimessage_with_trace(engine: StepCacheEngine) -> None:
    chat = FakeListChatModel(responses=[BASE_STEPS])
    cached = with_step_cache(chat, engine=engine)
    first = cached.invoke([SystemMessage("Be exact."), HumanMessage(BASE)])
    assert isinstance(first, AIMessage) and first.content == BASE_STEPS
    assert first.response_metadata["stepcache"]["path"] == "miss"
    second = cached.invoke([SystemMessage("Be exact."), HumanMessage(VARIANT)])
    assert second.content.splitlines()[-1] == VARIANT_ANSWER
    assert second.response_metadata["stepcache"]["path"] == "reuse"
    assert second.usage_metadata is not None and second.usage_metadata["output_tokens"] == 0
    # another history is another partition: skip/miss, the model is asked again
    third = cached.invoke([SystemMessage("Be verbose."), HumanMessage(VARIANT)])
    assert third.response_metadata["stepcache"]["path"] in ("miss", "skip")


def test_text_task_sends_the_callers_input(engine: StepCacheEngine, recording_llm: Any) -> None:
    llm = recording_llm(responses=["Bonjour!"])
    cached = with_step_cache(llm, engine=engine)
    assert cached.invoke("Say Hello In French") == "Bonjour!"
    assert llm.prompts == ["Say Hello In French"] and llm.stops == [None]
    assert cached.invoke("Say Hello In French") == "Bonjour!"
    assert cached.last_trace is not None and cached.last_trace["exact_hit"] is True
    assert len(llm.prompts) == 1


def test_wrong_model_output_is_patched_or_solved(engine: StepCacheEngine) -> None:
    cached = with_step_cache(FakeListLLM(responses=["no idea"]), engine=engine)
    out = cached.invoke(BASE)
    assert out.splitlines()[-1] == "x = 5"
    assert cached.last_trace is not None and cached.last_trace["fallback"] == "deterministic"


def test_patch_path(engine: StepCacheEngine) -> None:
    cached = with_step_cache(FakeListLLM(responses=["3x = 12\nx = 4"]), engine=engine)
    assert cached.record(BASE, "3x = 15\nx = 15/3 + 11 - 11\nx = 5")  # "11" explains nothing: that line is patched
    out = cached.invoke(VARIANT, with_trace=True)
    assert out["output"].splitlines()[-1] == VARIANT_ANSWER
    assert out["trace"]["path"] == "patch"


def test_skip_path_on_structure_change(engine: StepCacheEngine) -> None:
    cached = with_step_cache(FakeListLLM(responses=["x = 2, x = 3"]), engine=engine)
    assert cached.record(BASE, BASE_STEPS)
    out = cached.invoke("Solve for x: x^2 - 5x + 6 = 0", with_trace=True)
    assert out["trace"]["path"] == "skip"
    assert "degree" in (out["trace"]["skip_reason"] or "")


def test_per_call_reuse_and_store_off(engine: StepCacheEngine, recording_llm: Any) -> None:
    llm = recording_llm(responses=[BASE_STEPS])
    cached = with_step_cache(llm, engine=engine)
    cached.invoke(BASE, store=False)
    cached.invoke(BASE, config={"configurable": {"stepcache_store": False}})
    assert len(llm.prompts) == 2  # nothing was stored
    cached.invoke(BASE)
    cached.invoke(BASE)
    assert len(llm.prompts) == 3
    cached.invoke(BASE, reuse=False)
    cached.invoke(BASE, config={"configurable": {"stepcache_reuse": False}})
    assert len(llm.prompts) == 5
    with pytest.raises(TypeError):
        cached.invoke(BASE, reuze=False)


def test_constructor_defaults_for_options(engine: StepCacheEngine, recording_llm: Any) -> None:
    llm = recording_llm(responses=[BASE_STEPS])
    cached = with_step_cache(llm, engine=engine, store_outputs=False, with_trace=True)
    assert cached.invoke(BASE)["trace"]["path"] == "miss"
    assert cached.invoke(BASE)["trace"]["path"] == "miss"


def test_batch(engine: StepCacheEngine) -> None:
    cached = with_step_cache(FakeListLLM(responses=[BASE_STEPS]), engine=engine)
    cached.invoke(BASE)
    outs = cached.batch([VARIANT, "Solve for x: 3x + 8 = 20", BASE])
    assert [o.splitlines()[-1] for o in outs] == [VARIANT_ANSWER, "x = 4", "x = 5"]


def test_in_a_chain(engine: StepCacheEngine) -> None:
    chain = (
        PromptTemplate.from_template("Solve for x: {eq}")
        | with_step_cache(FakeListLLM(responses=[BASE_STEPS]), engine=engine)
        | StrOutputParser()
    )
    assert chain.invoke({"eq": "3x + 5 = 20"}) == BASE_STEPS
    assert chain.invoke({"eq": "3x + 8 = 20"}).endswith(VARIANT_ANSWER)


def test_stream_llm_miss_passes_through_then_hit_replays(engine: StepCacheEngine) -> None:
    cached = with_step_cache(FakeListLLM(responses=[BASE_STEPS]), engine=engine)
    chunks = list(cached.stream(BASE))
    assert "".join(chunks) == BASE_STEPS
    trace = cached.last_trace
    assert trace is not None and trace["path"] == "miss" and trace["streamed"] and trace["recorded"] and trace["verified"]
    chunks = list(cached.stream(VARIANT))
    assert len(chunks) > 1 and "".join(chunks).splitlines()[-1] == VARIANT_ANSWER
    assert cached.last_trace is not None and cached.last_trace["path"] == "reuse"


def test_stream_chat(engine: StepCacheEngine) -> None:
    chat = GenericFakeChatModel(messages=iter([AIMessage(content=BASE_STEPS)]))
    cached = with_step_cache(chat, engine=engine)
    chunks = list(cached.stream(BASE))
    assert all(isinstance(c, AIMessageChunk) for c in chunks) and len(chunks) > 2
    total = chunks[0]
    for c in chunks[1:]:
        total = total + c
    assert total.content == BASE_STEPS
    assert total.response_metadata["stepcache"]["recorded"] is True
    hit = list(cached.stream(VARIANT))
    agg = hit[0]
    for c in hit[1:]:
        agg = agg + c
    assert agg.content.splitlines()[-1] == VARIANT_ANSWER
    assert agg.response_metadata["stepcache"]["path"] == "reuse"


def test_stream_wrong_output_is_not_stored(engine: StepCacheEngine) -> None:
    cached = with_step_cache(FakeListLLM(responses=["x = 6"]), engine=engine)
    assert "".join(cached.stream(BASE)) == "x = 6"  # a streamed miss is the model's own output
    assert cached.last_trace is not None and cached.last_trace["recorded"] is False


async def test_async_invoke_stream_batch(engine: StepCacheEngine) -> None:
    cached = with_step_cache(FakeListChatModel(responses=[BASE_STEPS]), engine=engine)
    first = await cached.ainvoke(BASE)
    assert first.content == BASE_STEPS
    outs = await cached.abatch([VARIANT, "Solve for x: 3x + 8 = 20"])
    assert [o.content.splitlines()[-1] for o in outs] == [VARIANT_ANSWER, "x = 4"]
    chunks = [c async for c in cached.astream("Solve for x: 3x + 11 = 20")]
    assert "".join(str(c.content) for c in chunks).splitlines()[-1] == "x = 3"
    llm_cached = with_step_cache(FakeListLLM(responses=["Bonjour"]), engine=engine)
    assert "".join([c async for c in llm_cached.astream("say hello in french")]) == "Bonjour"
    assert llm_cached.last_trace is not None and llm_cached.last_trace["recorded"] is True


class BrokenStore(MemoryStore):
    def get(self, collection: str, entry_id: str) -> Any:
        raise StoreError("disk on fire", location="broken", operation="get")

    def put(self, collection: str, entry: Any, embedding: Any) -> None:
        raise StoreError("disk on fire", location="broken", operation="put")


def test_store_failure_serves_from_the_model() -> None:
    cached = with_step_cache(
        FakeListLLM(responses=[BASE_STEPS]), engine=StepCacheEngine(store=BrokenStore(), embedder=HashEmbedder())
    )
    assert cached.invoke(BASE) == BASE_STEPS
    assert "".join(cached.stream(BASE)) == BASE_STEPS


def test_bad_input_raises_a_clear_error(engine: StepCacheEngine) -> None:
    cached = with_step_cache(FakeListLLM(responses=["x"]), engine=engine)
    with pytest.raises(InvalidRequestError):
        cached.invoke("   ")
    with pytest.raises(InvalidRequestError):
        cached.invoke(42)  # type: ignore[arg-type]


def test_model_with_its_own_stop_list(engine: StepCacheEngine, recording_llm: Any) -> None:
    class StopLLM(recording_llm):  # type: ignore[misc,valid-type]
        """Like LlamaCpp: refuses a per-call stop when it has a default one."""

        stop: list[str] | None = ["###"]

        def _call(self, prompt: str, stop: list[str] | None = None, run_manager: Any = None, **kwargs: Any) -> str:
            if self.stop and stop is not None:
                raise ValueError("`stop` found in both the input and default params.")
            return super()._call(prompt, stop or self.stop, run_manager, **kwargs)

    # a miss whose answer fails (x = 6) is patched: the patch prompt carries the engine's stops, merged with the model's
    llm = StopLLM(responses=["3x = 15\nx = 6", "x = 5"])
    cached = with_step_cache(llm, engine=engine)
    assert cached.invoke(BASE) == "3x = 15\nx = 5"
    assert llm.stops[0] == ["###"]  # the miss: the caller's call, the model's own stop
    assert llm.stops[-1] == ["\n\n", "Equation:", "###"]  # the patch (few-shot framing: a completion LLM)
    assert llm.prompts[-1].rstrip().endswith("Equation: 3x + 5 = 20\n3x = 15")
    assert llm.stop == ["###"]  # the caller's model is untouched


# ---------------------------------------------------------------- the backend contract


class TestLangChainBackend(BackendContract):
    def make_backend(self):
        return LangChainBackend(FakeListLLM(responses=["x = 4"]))


def test_a_prompt_too_long_to_analyse_calls_the_model_then_serves_its_repeat(engine: StepCacheEngine, recording_llm: Any) -> None:
    """Class: a long prompt (a RAG prompt of 45k characters) through the Runnable: answered by the model (it
    raised ``PromptTooLongError`` before), and its identical repeat served from the cache."""
    prompt = "Context: " + "retrieved passage text. " * 2000 + "\nQuestion: summarise it."
    llm = recording_llm(responses=["A summary."])
    cached = with_step_cache(llm, engine=engine)
    assert cached.invoke(prompt) == "A summary." and cached.last_trace["path"] == "miss"
    assert cached.invoke(prompt) == "A summary." and cached.last_trace["path"] == "reuse"
    assert llm.prompts == [prompt]


def test_a_store_that_cannot_be_opened_leaves_the_model_answering(tmp_path: Any) -> None:
    """Class: the Runnable's store cannot be opened (its directory is a file): invoke and stream are served by the
    model, with a bypass trace (it raised StoreError before)."""
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    cached = with_step_cache(FakeListLLM(responses=[BASE_STEPS]), persist_directory=blocker)
    assert cached.invoke(BASE) == BASE_STEPS and cached.last_trace["path"] == "bypass"
    assert "".join(cached.stream(BASE)) == BASE_STEPS


def test_a_chain_is_refused_with_a_typed_error() -> None:
    """Class: a Runnable that is not a model (``model | StrOutputParser()``, ``with_structured_output``): its
    identity cannot be read (two such chains shared entries: one's answer was served for the other) and its output
    is not text. A bound model is a model."""
    from langchain_core.language_models import FakeListChatModel
    from langchain_core.output_parsers import StrOutputParser

    from stepcache_core import ConfigError
    from stepcache_langchain import StepCacheRunnable

    model = FakeListChatModel(responses=["Bonjour"])
    for chain in (model | StrOutputParser(), model.bind(stop=["\n"]) | StrOutputParser()):
        with pytest.raises(ConfigError, match="in place of the model"):
            StepCacheRunnable(chain)
    StepCacheRunnable(model.bind(stop=["\n"]), engine=StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder()))


def test_a_system_prompt_that_sets_a_condition_is_read(engine: StepCacheEngine) -> None:
    """Class: the condition stands in the system prompt ("Work in arithmetic modulo 7", "round to one decimal
    place"): it reaches the engine as the request's context, so constants do not move under it (x = 16/3 was
    re-derived against it; any new root would be); a persona system prompt still lets them."""
    for system, moves in (("Always round the answer to one decimal place.", False), ("You are a patient math tutor.", True)):
        chat = FakeListChatModel(responses=["3x = 15\nx = 5", "MODEL CALLED"])
        cached = with_step_cache(chat, engine=StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder()))
        cached.invoke([SystemMessage(system), HumanMessage("Solve for x: 3x + 5 = 20")])
        out = cached.invoke([SystemMessage(system), HumanMessage("Solve for x: 3x + 5 = 23")])
        assert (out.response_metadata["stepcache"]["path"] == "reuse") is moves
        assert (out.content == "MODEL CALLED") is not moves


def test_a_repeat_in_a_fresh_process_is_served_before_the_store_opens(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """Class: a restarted app's first call through the Runnable is a repeat: served from the store's index (sealed
    as verified for it) before Chroma opens, the model not called; anything else waits for the open as before."""
    from stepcache_core.integration import LazyEngine

    first = StepCacheRunnable(
        FakeListLLM(responses=[BASE_STEPS]), persist_directory=tmp_path / "app", embedder=HashEmbedder(), model_id="fake"
    )
    assert first.invoke(BASE) == BASE_STEPS
    assert first._lazy.wait_open(60)
    monkeypatch.setattr(LazyEngine, "open_in_background", lambda self: None)
    again = StepCacheRunnable(
        FakeListLLM(responses=["never asked"]), persist_directory=tmp_path / "app", embedder=HashEmbedder(), model_id="fake"
    )
    assert again.invoke(BASE) == BASE_STEPS
    assert not again._lazy.built and again.last_trace is not None and again.last_trace["exact_hit"]


def _mod7(question: str) -> str:
    import re
    from fractions import Fraction

    m = re.search(r"(\d+)x \+ (\d+) = (\d+)", question)
    assert m is not None
    a, b, c = map(int, m.groups())
    return f"{a}x = {c} - {b}\n{a}x = {c - b}\nx = {Fraction(c - b, a)}"


def test_a_model_setting_its_class_does_not_list_is_another_model_and_its_context(tmp_path: Any) -> None:
    """Class (found by a helper probe): a chat model whose answer-shaping setting is a field its class's
    ``_identifying_params`` leaves out (a ``system_prompt`` field: the default for a ``BaseChatModel`` subclass).
    Both models had one identity, and the plain model's entry was served to the "modulo 7" one (x = 7/2 for
    x = 0); and the modulo-7 model's own right answer, failing the plain verification, was replaced by the
    engine's own solve. Every field is now part of the identity, and a setting that reads as an instruction is
    the request's context: the model's own answer stands."""
    import re

    from langchain_core.language_models import BaseChatModel
    from langchain_core.outputs import ChatGeneration, ChatResult

    class Tutor(BaseChatModel):
        system_prompt: str = ""

        @property
        def _llm_type(self) -> str:
            return "tutor"

        def _generate(self, messages: Any, stop: Any = None, run_manager: Any = None, **kw: Any) -> ChatResult:
            q = str(messages[-1].content)
            if "modulo 7" in self.system_prompt:
                a, b, c = map(int, re.search(r"(\d+)x \+ (\d+) = (\d+)", q).groups())  # type: ignore[union-attr]
                text = f"{a}x = {c} - {b} (mod 7)\nx = {next(x for x in range(7) if (a * x + b - c) % 7 == 0)}"
            else:
                text = _mod7(q)
            return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    question = "Solve for x: 2x + 1 = 8"
    plain = StepCacheRunnable(Tutor(), persist_directory=tmp_path, embedder=HashEmbedder())
    assert plain.invoke(question).content.endswith("x = 7/2")
    modular = StepCacheRunnable(Tutor(system_prompt="Work modulo 7."), persist_directory=tmp_path, embedder=HashEmbedder())
    assert modular.model_id != plain.model_id
    served = modular.invoke(question)
    assert served.content.endswith("x = 0") and modular.last_trace is not None and modular.last_trace["fallback"] is None
