"""Tool calls through ``StepCacheLLM`` around a function-calling LLM (LlamaIndex's own ``MockFunctionCallingLLM``,
scripted): ``chat_with_tools`` with one tool and ``FunctionCallingProgram`` are served by the JSON task with the
tool's parameters as schema, and every reuse is a tool call again (``ToolCallBlock``, read back by
``get_tool_calls_from_response``)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from llama_index.core.base.llms.types import ChatMessage, MessageRole, TextBlock, ToolCallBlock
from llama_index.core.program.function_program import get_function_tool
from llama_index.core.tools import FunctionTool

from stepcache_core import MemoryStore, StepCacheEngine
from stepcache_core.bench.formats_json import run_json_corpus, summarize_json_corpus
from stepcache_core.bench.formats_json_corpus import CASES, TOOL_STYLES, JsonAssistant, Person
from stepcache_core.fakes import HashEmbedder
from stepcache_llamaindex import StepCacheLLM
from stepcache_llamaindex.bench_formats import TOOL_MODES, ToolCallingLLM, ToolRoute

MARIA = "Record this: Maria Lopez is 34 and lives in Madrid."
MARIA_41 = "Record this: Maria Lopez is 41 and lives in Porto."
KOFI = "Record this: " + next(c for c in CASES if c.kind == "person").second[0]
"""The person case's corroborating record: it moves every value of Maria's, so the inner LLM's answer to it, asked
right after Maria's, corroborates her entry for every key (an entry serves another record only then: see
:mod:`stepcache_core.tasks.json.corroborate`)."""
KOFI_ARGS = {"name": "Kofi Mensah", "age": 27, "city": "Accra"}
MARIA_27 = "Record this: Maria Lopez is 27 and lives in Accra."
MARIA_27_ARGS = {"name": "Maria Lopez", "age": 27, "city": "Accra"}


@pytest.fixture(scope="module", params=TOOL_MODES)
def corpus(request: Any) -> dict[str, Any]:
    rows = run_json_corpus(ToolRoute(request.param), wrappers=tuple(TOOL_STYLES))
    return {"rows": rows, "summary": summarize_json_corpus(rows)}


def test_one_tool_calls_are_reused_as_tool_calls_in_every_style(corpus: dict[str, Any]) -> None:
    for key, s in corpus["summary"].items():
        assert s["error_rows"] == 0, key
        assert s["first_served_as_written"] == 1.0 and s["repeats_identical"] == 1.0, key
        assert s["variants_reused_correct"] == 1.0 and s["variants_reused_no_model_call"] == 1.0, key
        assert s["wrong_served"] == 0 and s["prompt_verbatim"] == 1.0, key
        assert s["served_as_tool_calls"] in (None, 1.0), key  # None: the program returns the object only


def _llm(style: str = "anthropic-tool-use") -> tuple[StepCacheLLM, ToolCallingLLM]:
    inner = ToolCallingLLM(JsonAssistant(style))
    return StepCacheLLM(llm=inner, engine=StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder())), inner


def test_a_reuse_keeps_the_answers_text_and_gets_a_fresh_call_id() -> None:
    """Maria's record (asked twice), a corroborating record (the inner LLM's), then another of Maria's, reused."""
    llm, inner = _llm()
    tool = get_function_tool(Person)
    first = llm.chat_with_tools([tool], user_msg=MARIA)
    again = llm.chat_with_tools([tool], user_msg=MARIA)
    assert len(inner.received) == 1
    corroborating = llm.chat_with_tools([tool], user_msg=KOFI)
    assert len(inner.received) == 2  # the second record is the model's: it corroborates the first
    reused = llm.chat_with_tools([tool], user_msg=MARIA_41)
    assert len(inner.received) == 2
    ids = [llm.get_tool_calls_from_response(r)[0].tool_id for r in (first, again, reused)]
    assert ids[0] == ids[1] != ids[2] and ids[2].startswith("call_")
    assert ids[2] != llm.get_tool_calls_from_response(corroborating)[0].tool_id
    assert llm.get_tool_calls_from_response(reused)[0].tool_kwargs == {"name": "Maria Lopez", "age": 41, "city": "Porto"}
    texts = [[b.text for b in r.message.blocks if isinstance(b, TextBlock)] for r in (first, reused)]
    assert texts[0] == texts[1] == ["I'll record that."]
    assert reused.additional_kwargs["stepcache"]["path"] == "reuse" and first.additional_kwargs["stepcache"]["path"] == "miss"


def test_text_beside_a_call_that_states_the_cached_arguments_is_never_served_for_new_ones() -> None:
    """Class: prose beside a tool call ("Recording Maria Lopez, 34, of Madrid."), on ``chat_with_tools`` and its
    stream. Found by probing: it was served next to the new arguments. The inner LLM answers; prose naming no
    changed argument is still reused (once a corroborating record, the inner LLM's, followed the first: Maria at
    another age and city, so that her name, the one argument the prose states, stays)."""
    tool = get_function_tool(Person)
    for narration, reused in (("Recording {name}, {age}, of {city}.", False), ("Recording {name}.", True)):
        inner = ToolCallingLLM(JsonAssistant("anthropic-tool-use", answers={MARIA_27: MARIA_27_ARGS}), narration=narration)
        llm = StepCacheLLM(llm=inner, engine=StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder()))
        llm.chat_with_tools([tool], user_msg=MARIA)
        corroborating = llm.chat_with_tools([tool], user_msg=MARIA_27)
        assert llm.get_tool_calls_from_response(corroborating)[0].tool_kwargs == MARIA_27_ARGS
        assert len(inner.received) == 2, narration  # the second record is the model's: it corroborates the first
        second = llm.chat_with_tools([tool], user_msg=MARIA_41)
        said = " ".join(b.text for b in second.message.blocks if isinstance(b, TextBlock))
        assert llm.get_tool_calls_from_response(second)[0].tool_kwargs == {"name": "Maria Lopez", "age": 41, "city": "Porto"}
        assert "Madrid" not in said and "34" not in said
        assert "Accra" not in said and "27" not in said  # nor the corroborating record's arguments
        # one more than before: the corroborating record is the model's
        assert len(inner.received) == (2 if reused else 3), narration
        streamed = list(llm.stream_chat_with_tools([tool], user_msg="Record this: Jean-Luc O'Neil is 52 and lives in Lyon."))[-1]
        text = streamed.message.content or ""
        assert not any(old in text for old in ("Maria", "Madrid", "Porto", "Accra", "34", "41", "27")), text


def test_arguments_not_in_the_text_are_never_stored() -> None:
    llm, inner = _llm("openai-tool-call")
    tool = get_function_tool(Person)
    original = inner.response_generator

    def inventing(messages: Any, **kwargs: Any) -> ChatMessage:
        message = original(messages, **kwargs)
        call = next(b for b in message.blocks if isinstance(b, ToolCallBlock))
        bad = ToolCallBlock(
            tool_call_id=call.tool_call_id, tool_name=call.tool_name, tool_kwargs={**dict(call.tool_kwargs), "city": "Atlantis"}
        )
        return ChatMessage(role=MessageRole.ASSISTANT, blocks=[bad])

    inner.response_generator = inventing
    for _ in range(2):
        out = llm.chat_with_tools([tool], user_msg=MARIA)
        assert out.additional_kwargs["stepcache"]["verified"] is False
    assert len(inner.received) == 2


def test_tool_results_in_the_history_go_to_the_inner_llm() -> None:
    """An agent's next turn after a tool ran depends on the tool's output: uncached."""
    llm, inner = _llm()
    tool = get_function_tool(Person)
    history = [
        ChatMessage(role=MessageRole.USER, content=MARIA),
        ChatMessage(role=MessageRole.TOOL, content="stored", additional_kwargs={"tool_call_id": "call_1"}),
    ]
    for _ in range(2):
        llm.chat_with_tools([tool], user_msg="And now the next one.", chat_history=history)
        assert llm.last_trace is not None and llm.last_trace["path"] == "bypass"
    assert len(inner.received) == 2


def test_a_tool_without_arguments_goes_to_the_inner_llm() -> None:
    llm, inner = _llm()
    tool = FunctionTool.from_defaults(fn=lambda: "ok", name="ping", description="Ping.")
    for _ in range(2):
        llm.chat_with_tools([tool], user_msg=MARIA)
        assert llm.last_trace is not None and llm.last_trace["path"] == "bypass"
    assert len(inner.received) == 2


def test_streamed_and_async_tool_calls_share_the_entries() -> None:
    """Maria's record and a corroborating record (the inner LLM's), both streamed; then the others, reused."""
    llm, inner = _llm("openai-tool-call")
    tool = get_function_tool(Person)
    chunks = list(llm.stream_chat_with_tools([tool], user_msg=MARIA))
    assert (
        chunks
        and chunks[-1].additional_kwargs["stepcache"]["path"] == "miss"
        and chunks[-1].additional_kwargs["stepcache"]["verified"]
    )
    corroborating = list(llm.stream_chat_with_tools([tool], user_msg=KOFI))
    assert corroborating[-1].additional_kwargs["stepcache"]["path"] == "miss"
    assert llm.get_tool_calls_from_response(corroborating[-1])[0].tool_kwargs == KOFI_ARGS
    assert len(inner.received) == 2  # the second record is the model's: it corroborates the first
    streamed_hit = list(llm.stream_chat_with_tools([tool], user_msg=MARIA_41))
    assert len(streamed_hit) == 1 and llm.get_tool_calls_from_response(streamed_hit[0])[0].tool_kwargs["age"] == 41

    async def go() -> list[Any]:
        response = await llm.achat_with_tools([tool], user_msg="Record this: Ana Ruiz is 34 and lives in Madrid.")
        stream = await llm.astream_chat_with_tools([tool], user_msg="Record this: Jean-Luc O'Neil is 52 and lives in Lyon.")
        return [response, [c async for c in stream]]

    response, achunks = asyncio.run(go())
    assert llm.get_tool_calls_from_response(response)[0].tool_kwargs["name"] == "Ana Ruiz"
    assert llm.get_tool_calls_from_response(achunks[-1])[0].tool_kwargs == {"name": "Jean-Luc O'Neil", "age": 52, "city": "Lyon"}
    assert len(inner.received) == 2  # Maria's and the corroborating record's: nothing since


def test_predict_and_call_with_one_tool_runs_the_tool_on_the_reused_arguments() -> None:
    """Maria's record, a corroborating record (the inner LLM's), then another of Maria's, reused: the tool runs on
    each."""
    llm, inner = _llm()
    seen: list[dict[str, Any]] = []

    def record(name: str, age: int, city: str) -> str:
        """Record a person."""
        seen.append({"name": name, "age": age, "city": city})
        return f"recorded {name}"

    tool = FunctionTool.from_defaults(fn=record)
    llm.predict_and_call([tool], user_msg=MARIA)
    llm.predict_and_call([tool], user_msg=KOFI)
    assert len(inner.received) == 2  # the second record is the model's: it corroborates the first
    out = llm.predict_and_call([tool], user_msg=MARIA_41)
    assert seen == [
        {"name": "Maria Lopez", "age": 34, "city": "Madrid"},
        KOFI_ARGS,
        {"name": "Maria Lopez", "age": 41, "city": "Porto"},
    ]
    assert str(out) == "recorded Maria Lopez" and len(inner.received) == 2


class _NoSignatures(MemoryStore):
    """Finds nothing by structure: the variant is found by similarity, and its reuse is stored."""

    def find(self, collection: str, signature: str, k: int) -> list[Any]:
        return []


@pytest.mark.parametrize("store", [MemoryStore, _NoSignatures], ids=["by-structure", "by-similarity"])
@pytest.mark.parametrize("style", sorted(TOOL_STYLES))
def test_a_variant_asked_again_gets_its_own_call_back(style: str, store: type[MemoryStore]) -> None:
    """The variant's answer is adapted from Maria's record (or the corroborating record asked after it, the inner
    LLM's) with a fresh call id; asked again, it is that answer (same arguments, same id), never a record's call."""
    inner = ToolCallingLLM(JsonAssistant(style))
    llm = StepCacheLLM(llm=inner, engine=StepCacheEngine(store=store(), embedder=HashEmbedder()))
    tool = get_function_tool(Person)
    first, corroborating = (llm.chat_with_tools([tool], user_msg=m) for m in (MARIA, KOFI))
    assert len(inner.received) == 2  # the second record is the model's: it corroborates the first
    variant, again = (llm.chat_with_tools([tool], user_msg=m) for m in (MARIA_41, MARIA_41))
    assert len(inner.received) == 2
    calls = [llm.get_tool_calls_from_response(r) for r in (first, variant, again, corroborating)]
    assert [len(c) for c in calls] == [1, 1, 1, 1]
    assert calls[2][0].tool_kwargs == calls[1][0].tool_kwargs == {"name": "Maria Lopez", "age": 41, "city": "Porto"}
    assert calls[2][0].tool_id == calls[1][0].tool_id != calls[0][0].tool_id
    assert calls[1][0].tool_id != calls[3][0].tool_id
    assert again.message.blocks == variant.message.blocks
    assert variant.additional_kwargs["stepcache"]["path"] == "reuse" and again.additional_kwargs["stepcache"]["exact_hit"]


def test_a_tools_description_is_part_of_the_key() -> None:
    """Class: what a tool tells the model besides its arguments (the description, a docstring): same name and
    parameters, "home city" vs "the city they visit". Found by probing ("departure" vs "destination" city): the
    departure city was served."""

    def record(name: str, age: int, city: str) -> str:
        return name

    depart = FunctionTool.from_defaults(fn=record, name="record", description="Record the person and their home city.")
    arrive = FunctionTool.from_defaults(fn=record, name="record", description="Record the person and the city they visit.")
    inner = ToolCallingLLM(JsonAssistant("openai-tool-call"))
    llm = StepCacheLLM(llm=inner, engine=StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder()))
    llm.chat_with_tools([depart], user_msg=MARIA)
    llm.chat_with_tools([arrive], user_msg=MARIA)
    assert len(inner.received) == 2  # another tool: the inner LLM answers
    llm.chat_with_tools([arrive], user_msg=MARIA)
    assert len(inner.received) == 2  # the same tool again: served


# ---------------------------------------------------------------- what reaches the model besides the user's turn

OLDER_RULE = "Always record the older of the two people."
TWO_PEOPLE = [
    ("Mo", 33, "Ned", 31),
    ("Oli", 25, "Pam", 52),
    ("Quin", 80, "Rae", 18),
    ("Ann", 30, "Bob", 40),
    ("Cara", 22, "Dan", 51),
]
TWO_PEOPLE_TEXT = "{} is {} years old and {} is {} years old. Extract the person as JSON."


def picked_person(sent: str, record: str) -> dict[str, Any]:
    """The person a right model gives: the older one where anything it is sent says "older", else the first."""
    import re

    people = [(n, int(a)) for n, a in re.findall(r"([A-Z][a-z]+) is (\d+) years old", record)]
    name, age = max(people, key=lambda p: p[1]) if "older" in sent.lower() else people[0]
    return {"name": name, "age": age}


def _picking_llm(system_prompt: str | None = None) -> Any:
    """LlamaIndex's ``MockFunctionCallingLLM``, always right (see :func:`picked_person`): reads every message, its
    tools' descriptions and its own ``system_prompt``, and answers with one call of the first tool."""
    import json

    from llama_index.core.llms.mock import MockFunctionCallingLLM

    received: list[Any] = []

    def answer(messages: Any, **kwargs: Any) -> ChatMessage:
        received.append(messages)
        tools = kwargs.get("tools") or []
        sent = json.dumps([m.model_dump() for m in messages], default=str) + (inner.system_prompt or "")
        sent += " ".join(t.metadata.description or "" for t in tools)
        args = picked_person(sent, [m for m in messages if m.role == MessageRole.USER][-1].content or "")
        call = ToolCallBlock(tool_call_id=f"call_{len(received)}", tool_name=tools[0].metadata.get_name(), tool_kwargs=args)
        return ChatMessage(role=MessageRole.ASSISTANT, blocks=[call])

    inner = MockFunctionCallingLLM(is_chat_model=True, system_prompt=system_prompt, response_generator=answer)
    return inner, received


def _false_people(layout: str, rows: list[tuple[str, int, str, int]] = TWO_PEOPLE) -> tuple[int, int]:
    """(served without the inner LLM, false among them) over ``rows`` (``TWO_PEOPLE``) in ``layout``."""
    from llama_index.core.program import FunctionCallingProgram
    from llama_index.core.prompts import ChatPromptTemplate
    from pydantic import BaseModel

    class OlderOne(BaseModel):
        """The older of the two people mentioned."""

        name: str
        age: int

    class Someone(BaseModel):
        """A person."""

        name: str
        age: int

    inner, received = _picking_llm(OLDER_RULE if "system_prompt" in layout else None)
    llm = StepCacheLLM(llm=inner, engine=StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder()))
    history = [ChatMessage(role=MessageRole.SYSTEM, content=OLDER_RULE)] if "history" in layout else []
    described = FunctionTool.from_defaults(fn=lambda name, age: "ok", name="record", description=f"Record this. {OLDER_RULE}")
    tool = {"docstring": get_function_tool(OlderOne), "tool's description": described}.get(layout, get_function_tool(Someone))

    def call(text: str) -> Any:
        if layout.startswith("FunctionCallingProgram"):
            cls = OlderOne if "docstring" in layout else Someone
            messages = [
                ChatMessage(role=MessageRole.SYSTEM, content=OLDER_RULE),
                ChatMessage(role=MessageRole.USER, content="{text}"),
            ]
            prompt = ChatPromptTemplate(message_templates=messages) if "system" in layout else None
            made = FunctionCallingProgram.from_defaults(
                output_cls=cls, llm=llm, prompt=prompt, prompt_template_str=None if prompt else "{text}"
            )
            return made(text=text).model_dump()
        response = llm.chat_with_tools([tool], user_msg=text, chat_history=history)
        return llm.get_tool_calls_from_response(response)[0].tool_kwargs

    served = false = 0
    for pair in rows:
        record = TWO_PEOPLE_TEXT.format(*pair)
        asked = len(received)
        out = call(record)
        if len(received) == asked:
            served += 1
            false += out != picked_person("" if layout == "plain" else "older", record)
    return served, false


@pytest.mark.parametrize(
    "layout",
    [
        "docstring",
        "tool's description",
        "a system message in the history",
        "the inner LLM's system_prompt",
        "FunctionCallingProgram, docstring",
        "FunctionCallingProgram, system message",
        "FunctionCallingProgram, the inner LLM's system_prompt",
    ],
)
def test_a_pick_said_outside_the_users_turn_is_read_on_the_tool_route(layout: str) -> None:
    """Class (helper-107): on the one-tool route (``chat_with_tools``, ``FunctionCallingProgram``), "the older of
    the two people" said in the tool's description (a ``get_function_tool`` class's docstring), in a system message
    of the history or in the inner LLM's ``system_prompt`` reached the model but was never read (the request had
    no context and a schema without the tool's description): 4 false of 7 served in helper-107's reproducer. The description is the request
    schema's, the rest its context, as on the chat route; the model answers."""
    assert _false_people(layout)[1] == 0


def test_a_plain_tool_stays_reusable() -> None:
    """The control: a tool described as what it records, with no rule anywhere, is reused for other people of the
    same ages. Where the ages change, which of two people alike the model takes may turn on them by a rule no word
    states ("the adult"): never served from the cache (helper-123), and none false."""
    served, false = _false_people("plain", [(a, 33, b, 31) for a, _, b, _ in TWO_PEOPLE])
    assert false == 0 and served >= 3
    assert _false_people("plain") == (0, 0)
