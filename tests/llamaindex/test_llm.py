"""StepCacheLLM on fakes: MockLLM / a scripted LlamaIndex LLM, HashEmbedder, MemoryStore."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    CompletionResponse,
    ImageBlock,
    MessageRole,
    TextBlock,
    ThinkingBlock,
)
from llama_index.core.bridge.pydantic import BaseModel
from llama_index.core.callbacks import CallbackManager, CBEventType, LlamaDebugHandler
from llama_index.core.llms import LLM, MockLLM
from llama_index.core.llms.mock import MockFunctionCallingLLM
from llama_index.core.prompts import PromptTemplate
from llama_index.core.tools import FunctionTool

from stepcache_core import (
    BackendError,
    ConfigError,
    GenerationSpec,
    InvalidRequestError,
    StepCacheError,
    UnverifiedOutputError,
    background,
)
from stepcache_core.testing import BackendContract
from stepcache_llamaindex import LlamaIndexBackend, StepCacheLLM, UnsupportedContentError, token_usage

from .conftest import BASE, MARIA, PERSON, ScriptedLLM, math_and_json


def sc(response) -> dict:
    return response.additional_kwargs["stepcache"]


def user(text: str) -> ChatMessage:
    return ChatMessage(role=MessageRole.USER, content=text)


class Person(BaseModel):
    name: str
    age: int
    city: str


# ---------------------------------------------------------------- construction / metadata
def test_is_a_llamaindex_llm_and_forwards_metadata(make_llm):
    llm, inner = make_llm(inner=ScriptedLLM(is_chat_model=True, model="m-7"))
    assert isinstance(llm, LLM)
    assert llm.metadata == inner.metadata
    assert llm.metadata.is_chat_model and llm.metadata.model_name == "m-7" and llm.metadata.context_window == 4096
    fc, _ = make_llm(inner=MockFunctionCallingLLM())
    assert fc.metadata.is_function_calling_model
    assert llm.llm is inner and llm.class_name() == "StepCacheLLM"


def test_bad_construction(make_llm):
    llm, _ = make_llm()
    with pytest.raises(ConfigError):
        StepCacheLLM(llm="not an llm")  # type: ignore[arg-type]
    with pytest.raises(ConfigError):
        StepCacheLLM(llm=llm.llm, engine=llm.engine, persist_directory="/tmp/x")
    with pytest.raises(ConfigError):
        StepCacheLLM(llm=llm, engine=llm.engine)


# ---------------------------------------------------------------- completion
def test_text_miss_returns_the_inner_response_then_identical_request_reuses(make_llm):
    llm, inner = make_llm()
    first = llm.complete("Tell me about Paris")
    assert first.text == "ANSWER to Tell me about Paris"
    assert sc(first)["path"] == "miss" and sc(first)["task"] == "text" and sc(first)["prompt_tokens"] == 4
    assert first.raw is not None  # the inner's own response, raw usage kept
    assert inner.calls == [("Tell me about Paris", False)]  # the user's call, unchanged
    second = llm.complete("Tell me about Paris")
    assert second.text == first.text and sc(second)["path"] == "reuse" and sc(second)["backend_calls"] == 0
    third = llm.complete("Tell me about Rome")
    assert sc(third)["path"] in ("miss", "skip") and len(inner.calls) == 2


def test_linear_miss_then_adapted_reuse_without_model_call(make_llm):
    llm, inner = make_llm()
    first = llm.complete(BASE)
    assert first.text.splitlines()[-1] == "x = 5" and sc(first)["path"] == "miss" and sc(first)["task"] == "linear_equation"
    assert inner.calls == [(BASE, False)]  # the caller's call, unchanged
    second = llm.complete("Solve for x: 3x + 11 = 47")
    assert second.text.splitlines()[-1] == "x = 12"
    assert sc(second)["path"] == "reuse" and sc(second)["steps_adapted"] > 0 and sc(second)["backend_calls"] == 0
    assert len(inner.calls) == 1


def test_nonlinear_variant_skips_and_falls_back_to_a_verified_answer(make_llm):
    llm, inner = make_llm()
    llm.complete(BASE)
    out = llm.complete("Solve for x: x^2 - 9 = 0")  # the model answers garbage; the solver answers
    assert sc(out)["path"] == "skip" and "degree" in (sc(out)["skip_reason"] or "")
    assert sc(out)["verified"] and sc(out)["fallback"] == "deterministic"
    assert "3" in out.text.splitlines()[-1]


def test_garbage_output_is_never_served_for_verified_tasks(make_llm):
    llm, inner = make_llm(lambda p: "banana")
    out = llm.complete(BASE)
    assert out.text.splitlines()[-1] == "x = 5" and sc(out)["fallback"] == "deterministic"
    with pytest.raises(UnverifiedOutputError):
        llm.complete(MARIA, stepcache_schema=PERSON)
    assert llm.engine.count(llm._namespace("complete", {"formatted": False})) == 1  # only the verified math answer


def test_inner_raising_becomes_backend_error(make_llm):
    def boom(prompt: str) -> str:
        raise RuntimeError("model crashed")

    llm, _ = make_llm(boom)
    with pytest.raises(BackendError, match="model crashed"):
        llm.complete("Tell me about Paris")
    with pytest.raises(BackendError):
        llm.chat([user("hello")])
    with pytest.raises(BackendError):
        list(llm.stream_complete("Tell me about Paris"))
    with pytest.raises(StepCacheError):
        llm.structured_predict(Person, PromptTemplate("{text}"), text=MARIA)


KOFI = "Kofi Mensah is 34 and lives in Madrid."
KOFI_PERSON = Person(name="Kofi Mensah", age=34, city="Madrid")


def with_kofi(prompt: str) -> str:
    """:func:`~.conftest.math_and_json`, and Kofi's record: the corroborating one, asked after Maria's. It moves the
    value Ana's record moves (the name) and no other, so Ana's reuse adapts one step from either entry."""
    return KOFI_PERSON.model_dump_json() if KOFI in prompt else math_and_json(prompt)


def test_json_extraction_via_kwargs_then_adapted_for_another_name(make_llm):
    """Maria's record, then a corroborating record (the inner LLM's), then Ana's, reused with one step adapted."""
    llm, inner = make_llm(with_kofi)
    first = llm.complete(MARIA, stepcache_schema=PERSON)
    assert sc(first)["task"] == "json_extraction" and sc(first)["path"] == "miss"
    assert Person.model_validate_json(first.text) == Person(name="Maria Lopez", age=34, city="Madrid")
    corroborating = llm.complete(KOFI, stepcache_schema=PERSON)
    assert Person.model_validate_json(corroborating.text) == KOFI_PERSON
    assert len(inner.calls) == 2  # the second record is the model's: it corroborates the first
    second = llm.complete("Ana Ruiz is 34 and lives in Madrid.", stepcache_schema=PERSON)
    assert Person.model_validate_json(second.text) == Person(name="Ana Ruiz", age=34, city="Madrid")
    assert sc(second)["path"] == "reuse" and sc(second)["steps_adapted"] == 1 and len(inner.calls) == 2


def test_prompt_mentioning_json_without_keys_is_plain_text(make_llm):
    llm, _ = make_llm()
    out = llm.complete("Return some JSON please")
    assert sc(out)["task"] == "text" and out.text == "ANSWER to Return some JSON please"


def test_long_prompts_are_not_auto_detected_as_math(make_llm):
    llm, inner = make_llm(auto_task_max_chars=200)
    context = "Context: the report says E = 5 for the sample. " * 10
    out = llm.complete(context + "\nWhat is the value of E?")
    assert sc(out)["task"] == "text" and inner.calls[-1][0].startswith("Context:")


def test_tenant_and_generation_kwargs_partition_the_cache(make_llm):
    llm, inner = make_llm()
    llm.complete("Tell me about Paris")
    other = StepCacheLLM(llm=inner, engine=llm.engine, tenant="other")
    assert sc(other.complete("Tell me about Paris"))["path"] == "miss"
    assert sc(llm.complete("Tell me about Paris", temperature=0.9))["path"] == "miss"
    inner.temperature = 0.5  # a changed inner setting is another namespace too
    assert sc(llm.complete("Tell me about Paris"))["path"] == "miss"
    assert len(inner.calls) == 4


@pytest.mark.parametrize("field", ["api_base", "base_url", "model_url", "api_version"])
def test_two_endpoints_under_one_model_name_are_two_namespaces(make_llm, field):
    """Class (helper-170: 5 false of 6 to 7 served): two inner LLMs with one model name on two servers
    (``api_base``), which may run other models; the endpoint was left out of the namespace as a setting that
    changes nothing, and one server's answer was adapted for the other's question. The endpoint keys the cache."""

    class Served(ScriptedLLM):
        api_base: str = ""
        base_url: str = ""
        model_url: str = ""
        api_version: str = ""

    first = Served(lambda p: "ANSWER from a", **{field: "http://a"})
    second = Served(lambda p: "ANSWER from b", **{field: "http://b"})
    llm, _ = make_llm(inner=first)
    other = StepCacheLLM(llm=second, engine=llm.engine)
    assert llm.complete("Tell me about Paris").text == "ANSWER from a"
    out = other.complete("Tell me about Paris")
    assert out.text == "ANSWER from b" and sc(out)["path"] == "miss"


def test_invalid_prompt_is_a_clear_error(make_llm):
    llm, _ = make_llm()
    with pytest.raises(InvalidRequestError):
        llm.complete("   ")


# ---------------------------------------------------------------- chat
def test_chat_keys_on_last_turn_and_exact_history(make_llm):
    llm, inner = make_llm()
    h1 = [user("I live in Oslo."), ChatMessage(role=MessageRole.ASSISTANT, content="Nice."), user("Where do I live?")]
    h2 = [user("I live in Rome."), ChatMessage(role=MessageRole.ASSISTANT, content="Nice."), user("Where do I live?")]
    a = llm.chat(h1)
    assert a.message.role == MessageRole.ASSISTANT and sc(a)["path"] == "miss"
    b = llm.chat(h2)
    assert sc(b)["path"] == "miss" and len(inner.calls) == 2  # another history: never shared
    c = llm.chat(list(h1))
    assert sc(c)["path"] == "reuse" and c.message.content == a.message.content and len(inner.calls) == 2
    assert "stepcache" not in c.message.additional_kwargs  # never sent back to a model with the history


def test_chat_math_turn_is_served_by_the_engine(make_llm):
    llm, inner = make_llm()
    out = llm.chat([ChatMessage(role=MessageRole.SYSTEM, content="You are a tutor."), user(BASE)])
    assert isinstance(out.message, ChatMessage) and out.message.role == MessageRole.ASSISTANT
    assert out.message.content.splitlines()[-1] == "x = 5" and sc(out)["task"] == "linear_equation"
    again = llm.chat([ChatMessage(role=MessageRole.SYSTEM, content="You are a tutor."), user("Solve for x: 3x + 8 = 23")])
    assert sc(again)["path"] == "reuse" and again.message.content.splitlines()[-1] == "x = 5" and len(inner.calls) == 1


def test_unsupported_content_is_a_clear_error(make_llm):
    llm, _ = make_llm()
    msg = ChatMessage(role=MessageRole.USER, blocks=[TextBlock(text="what is this?"), ImageBlock(url="http://localhost/x.png")])
    with pytest.raises(UnsupportedContentError, match="ImageBlock"):
        llm.chat([msg])
    assert issubclass(UnsupportedContentError, InvalidRequestError)
    with pytest.raises(InvalidRequestError):
        llm.chat([])


# ---------------------------------------------------------------- tools bypass
def _tool() -> FunctionTool:
    def add(a: int, b: int) -> int:
        """Add two numbers."""
        return a + b

    return FunctionTool.from_defaults(fn=add)


def test_tool_kwargs_and_tool_messages_bypass_the_cache(make_llm):
    llm, inner = make_llm()
    for _ in range(2):
        out = llm.chat([user("Tell me about Paris")], tools=[{"name": "x"}])
        assert sc(out)["path"] == "bypass"
    assert len(inner.calls) == 2
    tool_turn = ChatMessage(role=MessageRole.TOOL, content="42", additional_kwargs={"tool_call_id": "1"})
    assert sc(llm.chat([user("add 40 and 2"), tool_turn, user("and now?")]))["path"] == "bypass"


def test_chat_with_several_tools_goes_to_the_inner_function_calling_llm(make_llm):
    """Which of several tools answers is the model's decision: uncached (one tool: see test_tools.py)."""
    llm, inner = make_llm(inner=MockFunctionCallingLLM())
    tools = [_tool(), FunctionTool.from_defaults(fn=lambda city: city, name="weather", description="Weather in a city.")]
    first = llm.chat_with_tools(tools, user_msg="add 1 and 2")
    second = llm.chat_with_tools(tools, user_msg="add 1 and 2")
    assert first.message.content == second.message.content
    assert llm.last_trace is not None and llm.last_trace["path"] == "bypass" and llm.last_trace["notes"] == ["chat_with_tools"]
    assert llm.engine.count(llm._namespace("chat", {}, [])) == 0
    plain, _ = make_llm()
    with pytest.raises(ConfigError, match="function calling"):
        plain.chat_with_tools([_tool()], user_msg="add 1 and 2")


def test_a_one_tool_call_whose_arguments_do_not_verify_is_served_but_never_kept(make_llm):
    """The mock calls ``add`` with no arguments: the schema requires ``a`` and ``b``."""
    llm, _ = make_llm(inner=MockFunctionCallingLLM())
    for _ in range(2):
        out = llm.chat_with_tools([_tool()], user_msg="add 1 and 2")
        assert llm.get_tool_calls_from_response(out)[0].tool_name == "add"
        assert sc(out)["path"] == "miss" and sc(out)["task"] == "json_extraction" and sc(out)["verified"] is False


def test_predict_and_call_of_a_llm_without_function_calling_is_delegated(make_llm):
    seen = []

    class Recording(ScriptedLLM):
        def predict_and_call(self, tools, user_msg=None, chat_history=None, verbose=False, **kwargs):
            seen.append(user_msg)
            return "called"

    llm, _ = make_llm(inner=Recording())
    assert llm.predict_and_call([_tool()], user_msg="add 1 and 2") == "called" and seen == ["add 1 and 2"]


# ---------------------------------------------------------------- structured output
def test_structured_predict_goes_through_the_json_task(make_llm):
    """Maria's record, then a corroborating record (the inner LLM's), then Ana's, reused."""
    llm, inner = make_llm(with_kofi)
    p = llm.structured_predict(Person, PromptTemplate("{text}"), text=MARIA)
    assert p == Person(name="Maria Lopez", age=34, city="Madrid")
    assert llm.last_trace["task"] == "json_extraction" and llm.last_trace["path"] == "miss"
    assert llm.structured_predict(Person, PromptTemplate("{text}"), text=KOFI) == KOFI_PERSON
    assert len(inner.calls) == 2  # the second record is the model's: it corroborates the first
    q = llm.structured_predict(Person, PromptTemplate("{text}"), text="Ana Ruiz is 34 and lives in Madrid.")
    assert q == Person(name="Ana Ruiz", age=34, city="Madrid") and llm.last_trace["path"] == "reuse" and len(inner.calls) == 2
    # on the miss the inner LLM ran its own structured_predict: its output parser's prompt, not the engine's
    assert inner.calls[0][0].startswith(MARIA) and "JSON schema" in inner.calls[0][0] and "Keys:" not in inner.calls[0][0]


def test_structured_llm_and_streaming_structured(make_llm):
    llm, inner = make_llm()
    sllm = llm.as_structured_llm(Person)
    out = sllm.complete(MARIA)
    assert Person.model_validate_json(out.text) == Person(name="Maria Lopez", age=34, city="Madrid")
    chunks = list(llm.stream_structured_predict(Person, PromptTemplate("{text}"), text=MARIA))
    assert chunks == [Person(name="Maria Lopez", age=34, city="Madrid")] and llm.last_trace["path"] == "reuse"


class Address(BaseModel):
    city: str


class Resident(BaseModel):
    name: str
    address: Address


def test_nested_models_have_their_refs_inlined(make_llm):
    llm, _ = make_llm(lambda p: '{"name": "Maria Lopez", "address": {"city": "Madrid"}}')
    r = llm.structured_predict(Resident, PromptTemplate("{text}"), text=MARIA)
    assert r.address.city == "Madrid"


async def test_async_structured_predict(make_llm):
    llm, _ = make_llm()
    assert await llm.astructured_predict(Person, PromptTemplate("{text}"), text=MARIA) == Person(
        name="Maria Lopez", age=34, city="Madrid"
    )


# ---------------------------------------------------------------- streaming
def test_stream_complete_miss_streams_through_the_inner_then_replays(make_llm):
    llm, inner = make_llm()
    chunks = list(llm.stream_complete("Tell me about Paris"))
    assert len(chunks) > 1 and "".join(c.delta for c in chunks) == "ANSWER to Tell me about Paris"
    assert sc(chunks[-1])["path"] == "miss" and sc(chunks[-1])["recorded"] and sc(chunks[-1])["streamed"]
    again = list(llm.stream_complete("Tell me about Paris"))
    assert "".join(c.delta for c in again) == again[-1].text == "ANSWER to Tell me about Paris"
    assert sc(again[-1])["path"] == "reuse" and len(inner.calls) == 1
    assert all("stepcache" not in c.additional_kwargs for c in again[:-1])


def test_stream_of_a_verified_task_replays_adapted_steps(make_llm):
    llm, inner = make_llm()
    llm.complete(BASE)
    chunks = list(llm.stream_complete("Solve for x: 3x + 11 = 47"))
    assert chunks[-1].text.splitlines()[-1] == "x = 12" and sc(chunks[-1])["path"] == "reuse" and len(inner.calls) == 1


def test_stream_miss_with_unverifiable_output_is_not_recorded(make_llm):
    llm, inner = make_llm(lambda p: "no idea")
    chunks = list(llm.stream_complete(BASE))
    assert sc(chunks[-1])["recorded"] is False and sc(chunks[-1])["verified"] is False
    # kept for identical requests only, unverified: a route that can repair never serves it; the next call generates
    again = llm.complete(BASE)
    assert sc(again)["path"] in ("miss", "skip") and sc(again)["backend_calls"] >= 1 and sc(again)["verified"]


def test_stream_chat(make_llm):
    llm, inner = make_llm()
    msgs = [user("Tell me about Paris")]
    chunks = list(llm.stream_chat(msgs))
    assert chunks[-1].message.role == MessageRole.ASSISTANT and sc(chunks[-1])["path"] == "miss"
    again = list(llm.stream_chat(msgs))
    assert again[-1].message.content == chunks[-1].message.content and sc(again[-1])["path"] == "reuse"
    assert "".join(c.delta for c in again) == again[-1].message.content and len(inner.calls) == 1


# ---------------------------------------------------------------- async
async def test_async_complete_and_chat(make_llm):
    llm, inner = make_llm()
    a = await llm.acomplete(BASE)
    b = await llm.acomplete("Solve for x: 3x + 11 = 47")
    assert a.text.endswith("x = 5") and b.text.endswith("x = 12") and sc(b)["path"] == "reuse"
    c = await llm.achat([user("Tell me about Paris")])
    d = await llm.achat([user("Tell me about Paris")])
    assert c.message.content == d.message.content and sc(d)["path"] == "reuse" and len(inner.calls) == 2


async def test_async_streams(make_llm):
    llm, inner = make_llm()
    first = [c async for c in await llm.astream_complete("Tell me about Paris")]
    assert sc(first[-1])["path"] == "miss" and sc(first[-1])["recorded"]
    second = [c async for c in await llm.astream_complete("Tell me about Paris")]
    assert second[-1].text == first[-1].text and sc(second[-1])["path"] == "reuse"
    chat1 = [c async for c in await llm.astream_chat([user("Tell me about Rome")])]
    chat2 = [c async for c in await llm.astream_chat([user("Tell me about Rome")])]
    assert chat2[-1].message.content == chat1[-1].message.content and sc(chat2[-1])["path"] == "reuse"
    assert len(inner.calls) == 2


# ---------------------------------------------------------------- callbacks / instrumentation
def test_callback_events_fire(make_llm):
    handler = LlamaDebugHandler()
    llm, _ = make_llm(callback_manager=CallbackManager([handler]))
    llm.complete("Tell me about Paris")
    llm.chat([user("Tell me about Paris")])
    list(llm.stream_complete("Tell me about Paris"))
    pairs = handler.get_event_pairs(CBEventType.LLM)
    assert len(pairs) >= 3


def test_instrumentation_events_fire(make_llm):
    from llama_index.core.instrumentation import get_dispatcher
    from llama_index.core.instrumentation.event_handlers import BaseEventHandler

    seen: list[str] = []

    class Collector(BaseEventHandler):
        def handle(self, event, **kwargs):
            seen.append(event.class_name())

    root = get_dispatcher()
    collector = Collector()
    root.add_event_handler(collector)
    try:
        llm, _ = make_llm()
        llm.complete("Tell me about Paris")
        llm.chat([user("Tell me about Paris")])
    finally:
        root.event_handlers.remove(collector)
    assert "LLMCompletionStartEvent" in seen and "LLMCompletionEndEvent" in seen and "LLMChatEndEvent" in seen


# ---------------------------------------------------------------- backend adapter
def test_backend_adapter_reads_usage_and_applies_stop():
    inner = ScriptedLLM(lambda p: "3x = 15\nx = 5\n\nEquation: 2x = 4")
    backend = LlamaIndexBackend(inner)
    c = backend.complete(GenerationSpec("Equation: 3x + 5 = 20\n", 96, ("\n\n", "Equation:")))
    assert c.text == "3x = 15\nx = 5" and c.prompt_tokens == 6 and c.completion_tokens == 10
    assert inner.calls == [("Equation: 3x + 5 = 20\n", True)]
    assert token_usage(MockLLM().complete("hi")) == (0, 0)
    assert backend.name == "llamaindex:ScriptedLLM:scripted-1"


# ---------------------------------------------------------------- the backend contract


class TestLlamaIndexBackend(BackendContract):
    def make_backend(self):
        return LlamaIndexBackend(ScriptedLLM(lambda prompt: "x = 4"))


def test_a_prompt_too_long_to_analyse_is_answered_then_its_repeat_served(make_llm):
    """Class: a RAG prompt of 45k characters through the LlamaIndex wrapper: the inner model answers it once,
    the identical repeat is served from the cache."""
    llm, inner = make_llm()
    prompt = "Context: " + "retrieved passage text. " * 2000 + "\nQuestion: summarise it."
    first = llm.complete(prompt)
    second = llm.complete(prompt)
    assert second.text == first.text and sc(second)["path"] == "reuse" and len(inner.calls) == 1


def test_a_store_that_cannot_be_opened_leaves_the_inner_llm_answering(tmp_path):
    """Class: the wrapper's store cannot be opened (its directory is a file): complete, chat and streams are the
    inner LLM's own, with a bypass trace (StoreError was raised before)."""
    from llama_index.core.llms import MockLLM

    from stepcache_llamaindex import StepCacheLLM

    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    llm = StepCacheLLM(llm=MockLLM(), persist_directory=str(blocker))
    out = llm.complete("Tell me about Paris")
    assert out.text == MockLLM().complete("Tell me about Paris").text and sc(out)["path"] == "bypass"
    assert llm.chat([user("hello")]).message.content
    assert "".join(r.delta or "" for r in llm.stream_complete("Tell me about Rome"))


def test_what_a_message_carries_besides_its_text_is_part_of_the_key(make_llm):
    """Class: a user's ``name`` (or any provider field) on a chat turn, which reaches the model. Found by probing:
    "Hello, alice!" was served to bob."""
    llm, inner = make_llm()
    turns = [
        ChatMessage(role=MessageRole.USER, content="Say hello to me.", additional_kwargs={"name": who})
        for who in ("alice", "bob")
    ]
    first = llm.chat([turns[0]])
    second = llm.chat([turns[1]])
    assert sc(first)["path"] == "miss" and sc(second)["path"] in ("miss", "skip") and len(inner.calls) == 2
    assert sc(llm.chat([turns[0]]))["path"] == "reuse"  # the same turn again: an exact repeat


def test_the_inner_llms_prompt_wrappers_are_part_of_the_key():
    """Class: settings that shape the prompt the inner LLM is sent (``completion_to_prompt``, ``messages_to_prompt``,
    ``query_wrapper_prompt``, ``model_kwargs``): two apps on one store whose wrappers differ (one adds "Always
    answer in German.") never share answers. Found by probing: the English answer was served to the German app."""
    from stepcache_core import MemoryStore, StepCacheEngine
    from stepcache_core.fakes import HashEmbedder

    shared = StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder())
    english = ScriptedLLM(completion_to_prompt=lambda p: f"<s>[INST] {p} [/INST]")
    german = ScriptedLLM(completion_to_prompt=lambda p: f"<s>[INST] Always answer in German. {p} [/INST]")
    question = "Describe the weather in one sentence."
    StepCacheLLM(llm=english, engine=shared).complete(question)
    again = StepCacheLLM(llm=ScriptedLLM(completion_to_prompt=lambda p: f"<s>[INST] {p} [/INST]"), engine=shared)
    assert sc(again.complete(question))["path"] == "reuse"  # the same wrapper, another instance: shared
    other = StepCacheLLM(llm=german, engine=shared)
    assert sc(other.complete(question))["path"] == "miss" and len(german.calls) == 1


def test_prompt_wrappers_made_by_closures_and_partials_are_told_apart():
    """Class: wrappers built by a factory (a closure over the language) or ``functools.partial``: the same code,
    another captured value. Found in review: they shared one key."""
    import functools

    from stepcache_llamaindex._convert import _identity

    def make(lang):
        return lambda p: f"Answer in {lang}: {p}"

    def wrap(p, lang):
        return f"Answer in {lang}: {p}"

    assert _identity(make("German")) != _identity(make("English"))
    assert _identity(make("German")) == _identity(make("German"))
    assert _identity(functools.partial(wrap, lang="German")) != _identity(functools.partial(wrap, lang="English"))


@pytest.mark.parametrize(
    "wrap, moves",
    [
        ({"system_prompt": "Work modulo seven."}, False),
        ({"completion_to_prompt": lambda q: f"Round every answer to one decimal place.\n{q}"}, False),
        ({"system_prompt": "You are a patient math tutor."}, True),
        ({"completion_to_prompt": lambda q: f"<start_of_turn>user\n{q}<end_of_turn>\n<start_of_turn>model\n"}, True),
    ],
)
def test_what_the_inner_llm_adds_around_a_prompt_is_read(make_llm, wrap, moves):
    """Class: a condition the inner LLM adds itself (its ``system_prompt``, its ``completion_to_prompt`` or
    ``messages_to_prompt``): read as the request's context, so constants move only under a persona (x = 16/3 was
    re-derived against "Round every answer to one decimal place"; any new root would be). A chat template's markup (Gemma's turns) says
    who speaks: values move under it."""
    inner = ScriptedLLM(lambda p: "3x = 15\nx = 5" if "= 20" in p else "3x = 18\nx = 6", **wrap)
    llm, inner = make_llm(inner=inner)
    llm.complete("Solve for x: 3x + 5 = 20")
    out = llm.complete("Solve for x: 3x + 5 = 23")
    assert (out.additional_kwargs["stepcache"]["path"] == "reuse") is moves
    assert (len(inner.calls) == 1) is moves


def test_a_repeat_in_a_fresh_process_is_served_before_the_store_opens(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """Class: a restarted app's first call through the wrapper is a repeat: served from the store's index (sealed
    as verified for it) before Chroma opens, the inner LLM not called."""
    from stepcache_core.fakes import HashEmbedder
    from stepcache_core.integration import LazyEngine

    from .conftest import BASE_STEPS, math_and_json

    first = StepCacheLLM(llm=ScriptedLLM(math_and_json), persist_directory=tmp_path / "app", embedder=HashEmbedder())
    assert first.complete(BASE).text == BASE_STEPS
    assert first._lazy.wait_open(60)
    monkeypatch.setattr(LazyEngine, "open_in_background", lambda self: None)
    inner = ScriptedLLM(lambda prompt: "never asked")
    again = StepCacheLLM(llm=inner, persist_directory=tmp_path / "app", embedder=HashEmbedder())
    assert again.complete(BASE).text == BASE_STEPS
    assert not again._lazy.built and not inner._calls
    assert again.last_trace is not None and again.last_trace["exact_hit"]


def test_a_call_argument_is_keyed_by_what_it_is_and_read_as_context() -> None:
    """Class (found by a helper probe): call keyword arguments that JSON cannot hold were keyed by their type's
    name (every pydantic class is a ``ModelMetaclass``): the record extracted for ``response_format=Person`` was
    served for ``=PersonWithCity``. A class is now keyed by its schema. And an instruction given as an argument
    (``instructions="Work modulo 7."``) is the request's context: the model's own answer stands, never replaced
    by the engine's solve of the plain equation."""
    import re

    from llama_index.core.base.llms.types import CompletionResponse
    from llama_index.core.llms.callbacks import llm_completion_callback

    from stepcache_core import StepCacheEngine
    from stepcache_core.fakes import HashEmbedder, MemoryStore
    from stepcache_core.integration import settings_json

    class Person(BaseModel):
        name: str

    class PersonWithCity(BaseModel):
        name: str
        city: str

    assert settings_json({"response_format": Person}) != settings_json({"response_format": PersonWithCity})

    class Modular(ScriptedLLM):
        @llm_completion_callback()
        def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
            a, b, c = map(int, re.search(r"(\d+)x \+ (\d+) = (\d+)", prompt).groups())  # type: ignore[union-attr]
            x = next(x for x in range(7) if (a * x + b - c) % 7 == 0)
            return CompletionResponse(text=f"{a}x = {c} - {b} (mod 7)\nx = {x}")

    llm = StepCacheLLM(llm=Modular(lambda p: ""), engine=StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder()))
    out = llm.complete("Solve for x: 2x + 1 = 8", instructions="Work modulo 7.")
    assert out.text.endswith("x = 0") and out.additional_kwargs["stepcache"]["fallback"] is None


def test_a_rule_in_a_messages_provider_fields_is_read_as_context():
    """Class (the LangChain layouts of helper-69, on LlamaIndex): a rule that reaches the model in a message's
    provider fields (``additional_kwargs``) rather than its text. It was part of the key (an exact match) but never
    read as context, so a persona check passed it and a word problem could be re-derived for other numbers as if
    no rule held. It is read now: the context is no persona, and the model answers."""
    from stepcache_core.tasks.template import persona_only
    from stepcache_core.values import Namespace
    from stepcache_llamaindex._convert import plan_chat

    system = ChatMessage(
        role=MessageRole.SYSTEM,
        content="You are a helpful math tutor.",
        additional_kwargs={"instructions": "Round every final answer to the nearest ten."},
    )
    plain = ChatMessage(role=MessageRole.SYSTEM, content="You are a helpful math tutor.")
    ask = user("Ann buys 3 boxes of 4 apples. How many apples does Ann have?")
    carried = plan_chat([system, ask], {}, lambda *_: Namespace()).request
    bare = plan_chat([plain, ask], {}, lambda *_: Namespace()).request
    assert carried is not None and bare is not None
    assert "nearest ten" in carried.context and not persona_only(carried.context)
    assert persona_only(bare.context)  # the control: a persona alone lets the numbers change


# ------------------------------------------------ what the inner LLM says besides the prompt (helper-102)
EVEN = "Extract the item whose price is an even number of dollars."
BASKETS = [("pen", 3, "cup", 4), ("pen", 2, "cup", 9), ("pen", 7, "cup", 6), ("book", 8, "mug", 5), ("hat", 1, "bag", 4)]


class Purchase(BaseModel):
    item: str
    price: int


def ruled(prompt: str) -> str:
    """The first item bought in the last basket ``prompt`` names, or under the even-price rule (anywhere in the
    prompt) the item with an even price."""
    items = [(i, int(p)) for i, p in re.findall(r"a (\w+) for \$(\d+)", prompt.rsplit("Bob buys", 1)[-1])]
    item, price = next((i for i in items if i[1] % 2 == 0), items[0]) if "even number" in prompt else items[0]
    return json.dumps({"item": item, "price": price})


@pytest.mark.parametrize("order", ["forward", "backward"])
def test_structured_predict_reads_the_inner_llms_system_prompt(make_llm, order):
    """Class (helper-102: 2 false of 3 served per grid): a chat LLM's own ``system_prompt`` ("Extract the item
    whose price is an even number of dollars") reaches the model on ``structured_predict`` but was not read as the
    request's context there (it was on ``complete`` and ``chat``): the first basket's answer was re-derived by
    position for baskets where the rule picks the other item. It is read now, a condition the values may not
    meet: the model answers."""
    inner = ScriptedLLM(respond=ruled, is_chat_model=True, system_prompt=EVEN)
    llm, _ = make_llm(inner=inner)
    reference = ScriptedLLM(respond=ruled, is_chat_model=True, system_prompt=EVEN)
    prompt = PromptTemplate("Extract the purchase: {text}")
    for basket in BASKETS if order == "forward" else BASKETS[::-1]:
        text = "Bob buys a {} for ${} and a {} for ${}.".format(*basket)
        assert llm.structured_predict(Purchase, prompt, text=text) == reference.structured_predict(Purchase, prompt, text=text)
        background.drain(10)


def _thinking(note: str) -> ChatMessage:
    return ChatMessage(role=MessageRole.ASSISTANT, blocks=[ThinkingBlock(content=note), TextBlock(text="Hello! How can I help?")])


class ThinkingReader(ScriptedLLM):
    """A chat LLM that reads earlier thinking too (as reasoning models that get their thinking back do)."""

    def chat(self, messages: Any, **kwargs: Any) -> ChatResponse:
        said = "\n".join(getattr(b, "text", None) or getattr(b, "content", None) or "" for m in messages for b in m.blocks)
        return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=self.complete(said).text))


def apples(prompt: str) -> str:
    a, b = (int(x) for x in re.findall(r"(\d+) boxes of (\d+) apples", prompt)[-1])
    total = a * b
    if "nearest ten" not in prompt:
        return f"Ann has {a} * {b} = <<{a}*{b}={total}>>{total} apples.\n#### {total}"
    near = round(total, -1)
    return f"Ann has {a} * {b} = <<{a}*{b}={total}>>{total} apples.\nRounded to the nearest ten, that is {near}.\n#### {near}"


def test_a_thinking_block_in_the_history_is_keyed_and_read(make_llm):
    """Class (helper-102: 4 false of 5 served): a ``ThinkingBlock`` is no part of a message's ``content``, so an
    earlier assistant turn's thinking ("The user wants every total rounded to the nearest ten.") was neither in
    the namespace nor read as context: the same question after another thought was an exact hit on the other
    answer, and other numbers were re-derived past the rule. Thinking text is keyed and read now."""
    inner = ThinkingReader(respond=apples, is_chat_model=True)
    llm, _ = make_llm(inner=inner)
    reference = ThinkingReader(respond=apples, is_chat_model=True)
    question = "Ann buys {} boxes of {} apples. How many apples does Ann have?"
    rule = "The user wants every total rounded to the nearest ten."
    for a, b, note in [(3, 4, "The user is friendly."), (3, 4, rule), (5, 7, rule), (2, 9, rule), (6, 3, rule)]:
        messages = [user("Hi"), _thinking(note), user(question.format(a, b))]
        assert llm.chat(messages).message.content == reference.chat(messages).message.content
        background.drain(10)


NEAREST_TEN = "Round every final answer to the nearest ten."
APPLES = "Ann buys {} boxes of {} apples. How many apples does Ann have?"
# the first two leave the rounding idle (20 and 30), the others do not
APPLE_POINTS = [(5, 4), (6, 5), (3, 4), (7, 3), (4, 4), (9, 3)]


def rounded_apples(sent: str) -> str:
    """:func:`apples`, with the rounding said only where it changes the total (so that the first answers, 20 and
    30, read as if no rule held)."""
    a, b = (int(x) for x in re.findall(r"(\d+) boxes of (\d+) apples", sent)[-1])
    return apples(sent) if (a * b) % 10 else apples(sent.replace("nearest ten", ""))


def _sends_wrapped(**fields: Any) -> ScriptedLLM:
    """A ScriptedLLM that answers :func:`rounded_apples` on what it would be sent: its system prompt, then the
    prompt through its own ``completion_to_prompt``, both as they are at the call."""
    inner: ScriptedLLM = ScriptedLLM(
        lambda p: rounded_apples(f"{inner.system_prompt or ''}\n{inner.completion_to_prompt(p)}"), **fields
    )
    return inner


def _false_apples(llm: StepCacheLLM, inner: ScriptedLLM) -> tuple[int, int]:
    """(served without the inner LLM, false among them) over ``APPLE_POINTS``."""
    served = false = 0
    for a, b in APPLE_POINTS:
        asked = len(inner.calls)
        out = llm.complete(APPLES.format(a, b)).text
        if len(inner.calls) == asked:
            served += 1
            false += out != rounded_apples(f"{NEAREST_TEN}\n{APPLES.format(a, b)}")
    return served, false


def test_a_system_prompt_set_on_the_inner_llm_after_wrapping_is_read(make_llm):
    """Class (helper-107): the wrapper read what the inner LLM adds around a prompt once, when it was made: a
    ``system_prompt`` set on the inner LLM afterwards ("Round every final answer to the nearest ten.") was keyed
    but never read, and the first answer was re-derived for other numbers past it: 3 false of 3 served. It is
    read at every call now."""
    llm, inner = make_llm(inner=_sends_wrapped())
    inner.system_prompt = NEAREST_TEN
    assert _false_apples(llm, inner)[1] == 0


def test_a_completion_to_prompt_that_adds_a_rule_to_some_prompts_only_is_read(make_llm):
    """Class (helper-107): an inner ``completion_to_prompt`` that adds a rule to some prompts only (word problems
    get "Round every final answer to the nearest ten.") was read on a bare marker, which it leaves bare: the rule
    was never read, 4 false of 4 served. What it adds around the call's own prompt is read now."""

    def house_rules(prompt: str) -> str:
        return f"{NEAREST_TEN}\n{prompt}" if "How many" in prompt else prompt

    llm, inner = make_llm(inner=_sends_wrapped(completion_to_prompt=house_rules))
    assert _false_apples(llm, inner)[1] == 0


def test_a_completion_to_prompt_that_strips_the_question_stays_reusable(make_llm):
    """The control: Llama 2's template strips the question; what it adds is markup, and answers are reused."""

    def llama2(prompt: str) -> str:
        return f"<s>[INST] {prompt.strip()} [/INST]"

    llm, inner = make_llm(inner=_sends_wrapped(completion_to_prompt=llama2))
    served = 0
    for a, b in APPLE_POINTS:
        asked = len(inner.calls)
        assert llm.complete(APPLES.format(a, b) + "\n").text == rounded_apples(APPLES.format(a, b))
        served += len(inner.calls) == asked
    assert served >= 3


# ---------------------------------------------------------------- the caller's length and stop limits
LIMITED_EQUATION = "Solve for x: {}x + {} = {}"


def limited_answer(prompt: str, max_tokens: int | None, stop: list[str] | None) -> str:
    """The full solution of the last "ax + b = c" in ``prompt``, cut before any stop string, then at ``max_tokens``
    characters (one token a character)."""
    a, b, c = (int(g) for g in re.findall(r"(\d+)x \+ (\d+) = (\d+)", prompt)[-1])
    text = f"{a}x = {c} - {b}\n{a}x = {c - b}\nx = {(c - b) // a}"
    for s in stop or []:
        text = text.split(s)[0]
    return text[:max_tokens] if max_tokens is not None else text


class CharLimitedLLM(ScriptedLLM):
    """Answers equations right, under its ``max_tokens`` field or a call's ``max_tokens`` / ``stop``."""

    max_tokens: int | None = None

    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        self.calls.append((prompt, formatted))
        text = limited_answer(prompt, kwargs.get("max_tokens", self.max_tokens), kwargs.get("stop"))
        return CompletionResponse(text=text, raw={"usage": {"prompt_tokens": len(prompt), "completion_tokens": len(text)}})


def test_complete_does_not_reuse_past_the_calls_max_tokens(make_llm):
    """``complete(p, max_tokens=30)``: the first answer (24 characters) fit, the one re-derived for bigger numbers
    (33) would be cut. Before, served in full from the cache; now the inner LLM answers, cut."""
    llm, inner = make_llm(inner=CharLimitedLLM())
    llm.complete(LIMITED_EQUATION.format(3, 5, 20), max_tokens=30)
    question = LIMITED_EQUATION.format(12, 35, 1307)
    out = llm.complete(question, max_tokens=30)
    assert out.text == limited_answer(question, 30, None) and len(inner.calls) >= 2 and sc(out)["path"] == "skip"


def test_complete_reads_the_inner_llms_max_tokens_field(make_llm):
    """An inner LLM whose ``max_tokens`` field is 30, the call passing none: before, the reuse for bigger numbers was
    served in full; now the inner LLM answers."""
    llm, inner = make_llm(inner=CharLimitedLLM(max_tokens=30))
    llm.complete(LIMITED_EQUATION.format(3, 5, 20))
    question = LIMITED_EQUATION.format(12, 35, 1307)
    assert llm.complete(question).text == limited_answer(question, 30, None) and len(inner.calls) >= 2


def test_complete_does_not_reuse_an_answer_holding_the_calls_stop_string(make_llm):
    """``complete(p, stop=["16"])``: the answer re-derived for 4x + 3 = 19 holds "16". Before, served whole; now the
    inner LLM answers, stopping before it, and its answer is served as written (a repair would hold "16" again)."""
    llm, inner = make_llm(inner=CharLimitedLLM())
    llm.complete(LIMITED_EQUATION.format(3, 5, 20), stop=["16"])
    question = LIMITED_EQUATION.format(4, 3, 19)
    out = llm.complete(question, stop=["16"])
    assert out.text == limited_answer(question, None, ["16"]) and "16" not in out.text and not sc(out)["verified"]


def test_a_complete_cut_by_max_tokens_is_served_as_the_inner_llm_wrote_it(make_llm):
    """``complete(p, max_tokens=14)``: the inner LLM's answer is cut before its final line. Before, the engine
    repaired it (its few-shot prompt, then the solver) and served and stored the full answer; now the inner LLM's
    own answer is served as written (a repair, longer than the limit, is not)."""
    llm, inner = make_llm(inner=CharLimitedLLM())
    out = llm.complete(LIMITED_EQUATION.format(3, 5, 20), max_tokens=14)
    assert out.text == "3x = 20 - 5\n3x" and len(inner.calls) >= 1
    assert not sc(out)["verified"] and sc(out)["fallback"] is None


def test_predict_sends_the_inner_llms_system_prompt_as_it_is_now(make_llm):
    """Class: a ``system_prompt`` set on the inner LLM after wrapping. The wrapper copied it when made, and
    LlamaIndex's helpers (``predict``, ``chat`` with a prompt template) put that stale copy before the caller's
    prompt: the model was sent the old rule (the cache was keyed with the new one). Now the inner LLM's own, as it
    is at the call; one set on the wrapper itself still wins."""
    from llama_index.core.prompts import PromptTemplate

    llm, inner = make_llm(inner=_sends_wrapped())
    inner.system_prompt = NEAREST_TEN
    llm.predict(PromptTemplate("{question}"), question=APPLES.format(3, 7))
    assert inner.calls[-1][0].startswith(NEAREST_TEN)
    llm.system_prompt = "You are a patient tutor."
    llm.predict(PromptTemplate("{question}"), question=APPLES.format(4, 7))
    assert inner.calls[-1][0].startswith("You are a patient tutor.")


@pytest.mark.parametrize("method", ["chat", "complete"])
def test_probes_are_asked_with_the_callers_system_prompt(make_llm, method):
    """Class (helper-158): the engine's background questions (a second point that corroborates a word problem's
    answer) went to the inner LLM without the chat's system message; under "Example: 1200 + 300 = 1,500" the
    model groups thousands, and callers were served "1500" (5 false of 5). Then such requests were not probed:
    3 served of 6. Probes are now the caller's own call (a chat's messages, a completion's prompt and kwargs) with
    the question reworded, under the chat's system message or the inner LLM's ``system_prompt``: 5 served of 6,
    none false."""

    def grouped(prompt: str) -> str:
        m = re.search(r"buys (\d+) boxes with (\d+) pencils", prompt)
        if m is None:
            return "?"
        a, b = int(m[1]), int(m[2])
        shown = f"{a * b:,}" if "1,500" in prompt else str(a * b)
        return f"{a} * {b} = {shown}\nThe school buys {shown} pencils.\n#### {shown}"

    system = "You are a helpful math tutor.\nExample: 1200 + 300 = 1,500"

    class Framing(ScriptedLLM):
        """Puts its ``completion_to_prompt`` around an unformatted prompt, as LlamaIndex's local LLMs do."""

        def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> Any:
            return super().complete(prompt if formatted else self.completion_to_prompt(prompt), True, **kwargs)

    wrapped, inner = make_llm(inner=Framing(grouped))
    if method == "complete":  # the inner LLM's own system prompt, which it puts before every prompt
        inner.system_prompt = system
        inner.completion_to_prompt = lambda prompt: f"{system}\n\n{prompt}"
    question = "A school buys {} boxes with {} pencils in each box. How many pencils does the school buy?"
    points = [(30, 30), (25, 60), (45, 40), (35, 50), (52, 30), (41, 70)]
    served = false = 0
    for a, b in points:
        asked = len(inner.calls)
        if method == "chat":
            messages = [
                ChatMessage(role=MessageRole.SYSTEM, content=system),
                ChatMessage(role=MessageRole.USER, content=question.format(a, b)),
            ]
            out, sent = wrapped.chat(messages).message.content, inner.messages_to_prompt(messages)
        else:
            out, sent = wrapped.complete(question.format(a, b)).text, inner.completion_to_prompt(question.format(a, b))
        background.drain(20)
        if len(inner.calls) == asked:
            served += 1
            false += out != grouped(sent)
    assert false == 0 and served == len(points) - 1
    assert all("1,500" in prompt for prompt, _ in inner.calls)  # each with the caller's system prompt


def test_a_callers_call_is_reworded_in_its_question_only():
    """The probe's call (``Plan.reworded``): a completion's prompt, or a chat's last turn in the one text block that
    holds the question; the other messages, the turn's other blocks and the call's kwargs as the caller sent them.
    Not where the question stands twice, or across blocks."""
    from llama_index.core.base.llms.types import TextBlock

    from stepcache_llamaindex._convert import Plan

    plan = Plan(("Ann buys 3 pens.",), {"formatted": False, "temperature": 0.2})
    again = plan.reworded("Ann buys 3 pens.", "Ann buys 5 pens.")
    assert again is not None and again.args == ("Ann buys 5 pens.",) and again.kwargs == plan.kwargs
    assert plan.reworded("Bob buys 3 pens.", "Bob buys 5 pens.") is None  # not the question
    system = ChatMessage(role=MessageRole.SYSTEM, content="Be brief.")
    turn = ChatMessage(role=MessageRole.USER, blocks=[TextBlock(text="Context: none."), TextBlock(text="Ann buys 3 pens.")])
    chat = Plan(([system, turn],), {})
    again = chat.reworded("Ann buys 3 pens.", "Ann buys 5 pens.")
    assert again is not None
    messages = again.args[0]
    assert messages[0] is system and [b.text for b in messages[1].blocks] == ["Context: none.", "Ann buys 5 pens."]
    assert [b.text for b in turn.blocks] == ["Context: none.", "Ann buys 3 pens."]  # the caller's own message untouched
    assert chat.reworded("Context: none.\nAnn buys 3 pens.", "x") is None  # across blocks
    twice = Plan(([ChatMessage(role=MessageRole.USER, content="Ann buys 3 pens. Ann buys 3 pens.")],), {})
    assert twice.reworded("Ann buys 3 pens.", "Ann buys 5 pens.") is None


def test_a_callers_chat_list_appended_to_after_the_call_is_probed_as_it_was_sent(make_llm):
    """Class (helper-164, new in the probes through the caller's call): a chat loop appends the reply to its
    history list right after ``chat`` returns; the background probe reworded whatever the list's last message was
    by then, and sent the model a conversation ending on an assistant turn the caller never sent (1 of 2 calls).
    The probe rewords the call as it was made."""
    question = "A school buys {} boxes with {} pencils in each box. How many pencils does the school buy?"

    def restating(prompt: str) -> str:
        m = re.findall(r"buys (\d+) boxes with (\d+) pencils", prompt)
        if not m:
            return "?"
        a, b = int(m[-1][0]), int(m[-1][1])
        return f"{a} * {b} = {a * b}\nThe school buys {a * b} pencils.\n#### {a * b}"

    wrapped, inner = make_llm(restating)
    history = [ChatMessage(role=MessageRole.SYSTEM, content="You are a helpful math tutor.")]
    history.append(ChatMessage(role=MessageRole.USER, content=question.format(30, 30)))
    history.append(wrapped.chat(history).message)  # the caller's list, appended to at once
    background.drain(20)
    sent = [prompt for prompt, _ in inner.calls]
    assert len(sent) >= 2  # the caller's call and a probe
    assert all(prompt.rstrip().endswith("assistant:") and prompt.count("assistant:") == 1 for prompt in sent)


def test_a_chat_turn_that_cannot_be_reworded_is_not_probed_without_the_calls_settings(make_llm):
    """Class (helper-164, both versions: 5 false of 6 served): a last turn of two text blocks cannot be reworded,
    and the request holds no context, so the probe went through the engine's own backend: the bare question,
    without the call's kwargs (``number_format="en-US"``, which the model reads: it groups thousands). A caller's
    call that cannot be reworded asks nothing now; callers' own answers corroborate."""
    from llama_index.core.base.llms.types import ChatResponse, TextBlock

    question = "A school buys {} boxes with {} pencils in each box. How many pencils does the school buy?"

    def shown(prompt: str, grouped: bool) -> str:
        a, b = (int(x) for x in re.findall(r"buys (\d+) boxes with (\d+) pencils", prompt)[-1])
        s = f"{a * b:,}" if grouped else str(a * b)
        return f"{a} * {b} = {s}\nThe school buys {s} pencils.\n#### {s}"

    class Formatting(ScriptedLLM):
        """Reads a chat call's ``number_format``; its completions (the engine's own backend) have none."""

        def chat(self, messages: Any, **kwargs: Any) -> ChatResponse:
            prompt = "\n".join(m.content or "" for m in messages)
            self._calls.append((prompt, False))
            text = shown(prompt, kwargs.get("number_format") == "en-US")
            return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text))

    inner = Formatting(lambda prompt: shown(prompt, False))
    wrapped, _ = make_llm(inner=inner)
    served = false = 0
    for a, b in [(30, 30), (25, 60), (45, 40), (35, 50), (52, 30), (41, 70)]:
        turn = ChatMessage(
            role=MessageRole.USER, blocks=[TextBlock(text=question.format(a, b)), TextBlock(text="Show your work.")]
        )
        asked = len(inner.calls)
        out = wrapped.chat([turn], number_format="en-US").message.content
        background.drain(20)
        if len(inner.calls) == asked:
            served += 1
            false += out != shown(question.format(a, b), True)
    assert false == 0


class InstructedLLM(ScriptedLLM):
    """A scripted LLM with the instruction fields other integrations declare (OpenAIResponses' ``instructions``,
    HuggingFace's ``generate_kwargs``, Gemini's ``generation_config``)."""

    instructions: str = ""
    generate_kwargs: dict[str, Any] = {}
    generation_config: dict[str, Any] = {}


@pytest.mark.parametrize(
    "fields, call",
    [
        ({"instructions": "Work modulo seven."}, {}),
        ({"generate_kwargs": {"system": "Work modulo seven."}}, {}),
        ({"generation_config": {"system_instruction": "Work modulo seven."}}, {}),
        ({}, {"rounding": "nearest ten"}),
        ({}, {"round_to": 10}),
        ({}, {"examples": [{"input": "3x + 5 = 20", "output": "x = 5 (mod 7)"}]}),
    ],
    ids=["instructions", "generate_kwargs system", "generation_config", "call rounding", "call round_to", "call examples"],
)
def test_what_the_inner_llms_fields_and_the_calls_arguments_say_is_read(make_llm, fields, call):
    """Class (helper-177): an instruction in the inner LLM's own fields other than ``system_prompt`` (5 false of 6
    served, ``complete`` and ``chat``), or a call argument with a short value, a number or a list under a name no
    list of settings holds (``complete(q, rounding="nearest ten")``: 5 of 6). Both reach the model; both are read
    as the request's context now, so constants do not move under them."""
    inner = InstructedLLM(lambda p: "3x = 15\nx = 5" if "= 20" in p else "3x = 18\nx = 6", **fields)
    llm, inner = make_llm(inner=inner)
    llm.complete("Solve for x: 3x + 5 = 20", **call)
    out = llm.complete("Solve for x: 3x + 5 = 23", **call)
    assert out.additional_kwargs["stepcache"]["path"] != "reuse" and len(inner.calls) == 2


def test_generation_settings_in_a_call_still_let_values_move(make_llm):
    """The control: ``temperature``, ``max_tokens``, ``stop`` say nothing of what to answer."""
    inner = InstructedLLM(lambda p: "3x = 15\nx = 5" if "= 20" in p else "3x = 18\nx = 6")
    llm, inner = make_llm(inner=inner)
    llm.complete("Solve for x: 3x + 5 = 20", temperature=0.1, max_tokens=64)
    out = llm.complete("Solve for x: 3x + 5 = 23", temperature=0.1, max_tokens=64)
    assert out.additional_kwargs["stepcache"]["path"] == "reuse" and len(inner.calls) == 1
