"""A rule that reaches the model somewhere besides the plain text of the prompt's messages (helper-69): it is read
as the request's context, so a word problem answered under it is never re-derived for other numbers as if no rule
held. Fakes only: an always-right chat model that rounds to the nearest ten when anything it is sent says so."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

import pytest
from langchain_core.globals import set_llm_cache
from langchain_core.language_models import LLM, BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import BaseModel

from stepcache_core import background
from stepcache_core.fakes import HashEmbedder, MemoryStore
from stepcache_langchain import StepCache, StepCacheRunnable

RULE = "Round every final answer to the nearest ten."
QUESTION = "Ann buys {} boxes of {} apples. How many apples does Ann have?"
# the first two leave the rounding idle (20 and 30), the others do not
POINTS = [(5, 4), (6, 5), (3, 4), (7, 3), (4, 4), (9, 3)]


def _said(message: BaseMessage) -> str:
    """Everything of ``message`` a provider would send the model: every block's text, and tool-call arguments."""
    blocks = message.content if isinstance(message.content, list) else [message.content]
    text = " ".join(b if isinstance(b, str) else str(b.get("text", "")) for b in blocks)
    return text + json.dumps(getattr(message, "tool_calls", []))


def right(messages: list[BaseMessage], settings: str = "") -> str:
    """The answer, rounded where anything the model is sent says "nearest ten"."""
    question = str([m for m in messages if isinstance(m, HumanMessage)][-1].content)
    m = re.search(r"buys (\d+) boxes of (\d+)", question)
    assert m is not None, question
    a, b = int(m[1]), int(m[2])
    c = a * b
    out = f"Ann has {a} * {b} = <<{a}*{b}={c}>>{c} apples."
    if "nearest ten" in " ".join(map(_said, messages)) + settings and c % 10:
        c = (c + 5) // 10 * 10
        out += f"\nRounded to the nearest ten, that is {c}."
    return out + f"\n#### {c}"


class RightModel(BaseChatModel):
    """Always right (see :func:`right`); records what it is sent."""

    system_prompt: str = ""
    received: list[list[BaseMessage]] = []

    @property
    def _llm_type(self) -> str:
        return "always-right"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"system_prompt": self.system_prompt}

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kwargs: Any) -> ChatResult:
        self.received.append(list(messages))
        text = right(messages, self.system_prompt + json.dumps(kwargs, default=str) + _with_names(messages))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])


def _false_served(
    model: Any,
    invoker: Any,
    before: list[BaseMessage],
    settings: str,
    *,
    points: Sequence[tuple[int, int]] = POINTS,
    question: str = QUESTION,
    answer: Any = None,
) -> tuple[int, int]:
    """(served without the model, false among them) over ``points`` of ``question`` asked after the messages
    ``before``, against ``answer(messages)`` (by default :func:`right` under ``settings``)."""
    served = false = 0
    for a, b in points:
        messages = [*before, HumanMessage(question.format(a, b))]
        asked = len(model.received)
        out = invoker.invoke(messages)
        background.drain(20)
        if len(model.received) == asked:
            served += 1
            false += out.content != (answer(messages) if answer is not None else right(messages, settings))
    return served, false


CALL = AIMessage("", tool_calls=[{"name": "get_policy", "args": {}, "id": "c1"}])
LAYOUTS: dict[str, list[BaseMessage]] = {
    "a system prompt in a text-plain block": [SystemMessage([{"type": "text-plain", "text": RULE, "mime_type": "text/plain"}])],
    "a system prompt in an input_text block": [SystemMessage([{"type": "input_text", "text": RULE}])],
    "a tool result in a text-plain block": [
        CALL,
        ToolMessage([{"type": "text-plain", "text": RULE, "mime_type": "text/plain"}], tool_call_id="c1"),
    ],
    "a rule in an earlier tool call's arguments": [
        AIMessage("", tool_calls=[{"name": "set_policy", "args": {"policy": RULE}, "id": "c2"}]),
        ToolMessage("", tool_call_id="c2"),
    ],
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_rule_in_a_block_or_a_tool_call_is_read_as_context(layout: str) -> None:
    """Class (helper-69): under ``set_llm_cache``, a rule in content blocks of another type than ``text``, or in a
    tool call's arguments, was never read (only ``message.text`` was): 4 to 6 false of 5 to 7 served, with a
    rounding the first two numbers left idle. Whatever a message carries besides its text is read as context
    now; the model answers."""
    model = RightModel()
    model.received = []
    set_llm_cache(StepCache(store=MemoryStore(), embedder=HashEmbedder(), backend=model))
    try:
        _, false = _false_served(model, model, LAYOUTS[layout], "")
    finally:
        set_llm_cache(None)
    assert false == 0


PERSONA = "You are a helpful math tutor."


@pytest.mark.parametrize(
    "system",
    [
        SystemMessage(PERSONA),
        # Anthropic's prompt caching marks the block; the mark says nothing to the model
        SystemMessage([{"type": "text", "text": PERSONA, "cache_control": {"type": "ephemeral"}}]),
    ],
    ids=["plain", "text block with cache_control"],
)
def test_a_persona_alone_stays_reusable(system: SystemMessage) -> None:
    """The control: a persona in a system prompt, under which reuse for other numbers is right."""
    model = RightModel()
    model.received = []
    set_llm_cache(StepCache(store=MemoryStore(), embedder=HashEmbedder(), backend=model))
    try:
        served, false = _false_served(model, model, [system], "")
    finally:
        set_llm_cache(None)
    assert false == 0 and served >= 3


@pytest.mark.parametrize("where", ["a model's system_prompt field", "bind(instructions=...)"])
def test_a_rule_in_the_model_settings_is_read_as_context_under_set_llm_cache(where: str) -> None:
    """Class (helper-69): under ``set_llm_cache``, the model's settings in ``llm_string`` were never read (a
    ``system_prompt`` field, ``.bind(instructions=...)``): 4 false of 5 served. They are read as the Runnable
    reads them now."""
    model = RightModel(system_prompt=RULE) if where.startswith("a model") else RightModel()
    model.received = []
    invoker = model if where.startswith("a model") else model.bind(instructions=RULE)
    set_llm_cache(StepCache(store=MemoryStore(), embedder=HashEmbedder(), backend=model))
    try:
        _, false = _false_served(model, invoker, [], RULE)
    finally:
        set_llm_cache(None)
    assert false == 0


def test_a_rule_in_blocks_bound_as_system_is_read_by_the_runnable() -> None:
    """Class (helper-69): ``StepCacheRunnable`` over ``model.bind(system=[{"type": "text", "text": ...}])``: a list
    under an instruction's name was never read (5 served, 4 false). It is read now."""
    model = RightModel()
    model.received = []
    runnable = StepCacheRunnable(
        model.bind(system=[{"type": "text", "text": RULE}]), store=MemoryStore(), embedder=HashEmbedder()
    )
    _, false = _false_served(model, runnable, [], RULE)
    assert false == 0


# ---------------------------------------------------------------- what a tool's or a format's name and description say

PAIRS = [("Mo", 33, "Ned", 31), ("Oli", 25, "Pam", 52), ("Quin", 80, "Rae", 18), ("Ann", 30, "Bob", 40), ("Cara", 22, "Dan", 51)]
PAIR_TEXT = "{} is {} years old and {} is {} years old. Extract the person as JSON."
_AGES = re.compile(r"([A-Z][a-z]+) is (\d+) years old")


def picked(sent: str, record: str) -> dict[str, Any]:
    """The person the model gives: the older one where anything it is sent says "older", else the first."""
    people = [(n, int(a)) for n, a in _AGES.findall(record)]
    name, age = max(people, key=lambda p: p[1]) if "older" in sent.lower() else people[0]
    return {"name": name, "age": age}


class PickingModel(BaseChatModel):
    """Always right (see :func:`picked`), as a tool call when it is given tools, else as JSON text; reads every
    message, every call setting (the tools' names and descriptions, ``response_format``) and its own
    ``system_prompt``; records what it is sent."""

    system_prompt: str = ""
    received: list[list[BaseMessage]] = []

    @property
    def _llm_type(self) -> str:
        return "always-right-picker"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"system_prompt": self.system_prompt}

    def bind_tools(self, tools: Any, *, tool_choice: Any = None, **kwargs: Any) -> Any:
        from langchain_core.utils.function_calling import convert_to_openai_tool

        if tool_choice is not None:
            kwargs["tool_choice"] = tool_choice
        return self.bind(tools=[convert_to_openai_tool(t) for t in tools], **kwargs)

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kwargs: Any) -> ChatResult:
        self.received.append(list(messages))
        sent = " ".join(map(_said, messages)) + json.dumps(kwargs, default=str) + self.system_prompt
        args = picked(sent, str([m for m in messages if isinstance(m, HumanMessage)][-1].content))
        if kwargs.get("tools"):
            call = {"name": kwargs["tools"][0]["function"]["name"], "args": args, "id": f"call_{len(self.received)}"}
            return ChatResult(generations=[ChatGeneration(message=AIMessage("", tool_calls=[call]))])
        return ChatResult(generations=[ChatGeneration(message=AIMessage(json.dumps(args)))])


def _false_picks(model: PickingModel, call: Any, before: Sequence[BaseMessage] = ()) -> tuple[int, int]:
    """(served without the model, false among them) over ``PAIRS``: ``call(messages)`` gives the picked object."""
    served = false = 0
    for pair in PAIRS:
        record = PAIR_TEXT.format(*pair)
        asked = len(model.received)
        out = call([*before, HumanMessage(record)])
        background.drain(20)
        if len(model.received) == asked:
            served += 1
            false += out != picked("older", record)
    return served, false


class OlderPick(BaseModel):
    """The older of the two people mentioned."""

    name: str
    age: int


class OlderPerson(BaseModel):
    name: str
    age: int


_BARE_SCHEMA = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
    "required": ["name", "age"],
}


def _response_format(json_schema: dict[str, Any]) -> Any:
    def build(model: PickingModel) -> Any:
        bound = model.bind(response_format={"type": "json_schema", "json_schema": json_schema})
        return lambda messages: json.loads(bound.invoke(messages).content)

    return build


def _dict_tool(model: PickingModel) -> Any:
    tool = {"type": "function", "function": {"name": "record", "description": "Older one.", "parameters": _BARE_SCHEMA}}
    bound = model.bind(tools=[tool], tool_choice="record")
    return lambda messages: bound.invoke(messages).tool_calls[0]["args"]


NAMED_PICKS: dict[str, Any] = {
    "with_structured_output, the class's docstring": lambda m: (
        lambda messages, c=m.with_structured_output(OlderPick): c.invoke(messages).model_dump()
    ),
    "with_structured_output, the class's name only": lambda m: (
        lambda messages, c=m.with_structured_output(OlderPerson): c.invoke(messages).model_dump()
    ),
    "response_format, the format's name": _response_format({"name": "older_person", "schema": _BARE_SCHEMA}),
    "response_format, the format's description": _response_format(
        {"name": "pick", "description": "Older one.", "schema": _BARE_SCHEMA}
    ),
    "bind(tools=[a dict tool]), its description": _dict_tool,
}


@pytest.mark.parametrize("layout", sorted(NAMED_PICKS))
def test_a_pick_said_in_a_tools_or_formats_name_or_description_is_read_under_set_llm_cache(layout: str) -> None:
    """Class (helper-107): under ``set_llm_cache``, a tool's or a JSON format's name and description (a
    ``with_structured_output`` class's name or docstring, ``response_format``'s ``name``/``description``, a dict
    tool's ``description``) reach the model but were never read: "the older of the two" said there was served for
    other people as the first one (helper-107's reproducer: 4 false of 7 served). They are the request schema's title and description now,
    which the JSON task reads; the model answers."""
    model = PickingModel()
    model.received = []
    set_llm_cache(StepCache(store=MemoryStore(), embedder=HashEmbedder(), backend=model))
    try:
        _, false = _false_picks(model, NAMED_PICKS[layout](model))
    finally:
        set_llm_cache(None)
    assert false == 0


def test_a_pick_said_in_a_bound_tools_docstring_is_read_by_the_runnable() -> None:
    """Class (helper-107): ``StepCacheRunnable(model.bind_tools([OlderPick], tool_choice=...))``: the tool's
    description was never read, 4 false of 8 served. The model answers now, and the tool it is sent is the
    caller's own (no title or description added to its parameters)."""
    model = PickingModel()
    model.received = []
    runnable = StepCacheRunnable(
        model.bind_tools([OlderPick], tool_choice="OlderPick"), store=MemoryStore(), embedder=HashEmbedder()
    )
    _, false = _false_picks(model, lambda messages: runnable.invoke(messages).tool_calls[0]["args"])
    assert false == 0


def test_a_plain_tool_description_stays_reusable() -> None:
    """The control: a tool described as what it records, not which value to take, is reused for other people of
    the same ages. Where the ages change, which of two people alike the model takes may turn on them by a rule no
    word states ("the adult"): never served from the cache (helper-123)."""

    class Someone(BaseModel):
        """A person mentioned in the text."""

        name: str
        age: int

    model = PickingModel()
    model.received = []
    runnable = StepCacheRunnable(model.bind_tools([Someone], tool_choice="Someone"), store=MemoryStore(), embedder=HashEmbedder())
    served = {}
    for ages, pairs in (("kept", [(a, 33, b, 31) for a, _, b, _ in PAIRS]), ("changed", PAIRS)):
        served[ages] = 0
        for pair in pairs:
            record = PAIR_TEXT.format(*pair)
            asked = len(model.received)
            assert runnable.invoke([HumanMessage(record)]).tool_calls[0]["args"] == picked("", record)
            served[ages] += len(model.received) == asked
    assert served["kept"] >= 3 and served["changed"] == 1  # Mo 33 and Ned 31 again: an exact repeat


# ---------------------------------------------------------------- the model's settings beside format instructions


@pytest.mark.parametrize("where", ["a model's system_prompt field", "bind(instructions=...)"])
def test_the_models_settings_are_read_beside_format_instructions_in_a_system_message(where: str) -> None:
    """Class (helper-107): under ``set_llm_cache``, an output parser's format instructions in a system message
    replaced the request's context by that message's text, dropping what the model's settings say ("Always
    extract the older of the two people." as a ``system_prompt`` field or ``bind(instructions=...)``): 4 false of
    7 served. Both are read now."""
    from langchain_core.output_parsers import PydanticOutputParser

    rule = "Always extract the older of the two people."
    model = PickingModel(system_prompt=rule if where.startswith("a model") else "")
    model.received = []
    invoker = model if where.startswith("a model") else model.bind(instructions=rule)
    fmt = SystemMessage(PydanticOutputParser(pydantic_object=OlderPerson).get_format_instructions())
    set_llm_cache(StepCache(store=MemoryStore(), embedder=HashEmbedder(), backend=model))
    try:
        _, false = _false_picks(model, lambda messages: json.loads(invoker.invoke(messages).content), [fmt])
    finally:
        set_llm_cache(None)
    assert false == 0


# ---------------------------------------------------------------- settings changed after wrapping


def test_a_system_prompt_set_after_wrapping_is_read_by_the_runnable() -> None:
    """Class (helper-107): ``StepCacheRunnable`` read the model's identity and settings once, when it was
    wrapped: a ``system_prompt`` set on the model afterwards was neither keyed nor read, and answers made before
    it were adapted after it (3 false of 3 served). Both are read at every call now."""
    model = RightModel()
    model.received = []
    runnable = StepCacheRunnable(model, store=MemoryStore(), embedder=HashEmbedder())
    for a, b in POINTS[:2]:
        runnable.invoke([HumanMessage(QUESTION.format(a, b))])
    model.system_prompt = RULE
    _, false = _false_served(model, runnable, [], RULE)
    assert false == 0


def test_a_models_own_call_record_does_not_change_its_key() -> None:
    """The control: a model that records its calls in a field (``received`` here) is the same model at every
    call: with no rule anywhere, its answers are still reused for other numbers."""
    model = RightModel()
    model.received = []
    runnable = StepCacheRunnable(model, store=MemoryStore(), embedder=HashEmbedder())
    served, false = _false_served(model, runnable, [], "")
    assert false == 0 and served >= 3


# ---------------------------------------------------------------- a probe asked without the caller's context
PENCILS = "A school buys {} boxes with {} pencils in each box. How many pencils does the school buy?"
EXAMPLE = "You are a helpful math tutor.\nExample: 1200 + 300 = 1,500"
PENCIL_POINTS = [(30, 30), (25, 60), (45, 40), (35, 50), (52, 30), (41, 70)]


def grouped(messages: list[BaseMessage]) -> str:
    """Always right; groups thousands with a comma where anything it is sent does ("1,500")."""
    sent = " ".join(map(_said, messages))
    m = re.search(r"buys (\d+) boxes with (\d+) pencils", sent)
    assert m is not None, sent
    a, b = int(m[1]), int(m[2])
    shown = f"{a * b:,}" if "1,500" in sent else str(a * b)
    return f"{a} * {b} = {shown}\nThe school buys {shown} pencils.\n#### {shown}"


class GroupingModel(BaseChatModel):
    """Always right (see :func:`grouped`); records what it is sent."""

    received: list[list[BaseMessage]] = []

    @property
    def _llm_type(self) -> str:
        return "always-right-grouping"

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kwargs: Any) -> ChatResult:
        self.received.append(list(messages))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=grouped(messages)))])


@pytest.mark.parametrize(
    "before",
    [
        [SystemMessage(EXAMPLE)],
        [SystemMessage(PERSONA), HumanMessage("Show me an example."), AIMessage("Example: 1200 + 300 = 1,500")],
    ],
    ids=["a system prompt", "earlier turns"],
)
def test_probes_are_asked_with_the_callers_context(before: list[BaseMessage]) -> None:
    """Class (helper-158): the engine's background questions (a second point that corroborates an answer, how the
    model writes a number there) were sent as the bare user turn, without the caller's system prompt or earlier
    turns; under "Example: 1200 + 300 = 1,500" the model grouped thousands, without it not, and callers were
    served "1500" where their model writes "1,500" (5 false of 5). Then such requests were not probed at all: 3
    served of 6, the second caller's answer corroborating. Probes are now the caller's own call with the question
    turn reworded (every other message kept): 5 served of 6, none false."""
    model = GroupingModel()
    model.received = []
    runnable = StepCacheRunnable(model, store=MemoryStore(), embedder=HashEmbedder())
    served = false = 0
    for a, b in PENCIL_POINTS:
        text = PENCILS.format(a, b)
        messages = [*before, HumanMessage(text)]
        asked = len(model.received)
        out = runnable.invoke(messages)
        background.drain(20)
        if len(model.received) == asked:
            served += 1
            false += out.content != grouped(messages)
    assert false == 0 and served == len(PENCIL_POINTS) - 1
    probes = model.received[1:]
    assert probes and all(sent[:-1] == before for sent in model.received)  # each with the caller's context
    assert all("1,500" not in str(sent[-1].content) for sent in probes)  # a question the caller never sent, asked


class GroupingLLM(LLM):
    """Always right (see :func:`grouped`) on a whole prompt string; records what it is sent."""

    received: list[str] = []

    @property
    def _llm_type(self) -> str:
        return "always-right-grouping-llm"

    def _call(self, prompt: str, stop: Any = None, run_manager: Any = None, **kwargs: Any) -> str:
        self.received.append(prompt)
        return grouped([HumanMessage(prompt)])


def test_probes_are_asked_in_the_callers_template() -> None:
    """Class: a completion model behind a few-shot prompt template, the question keyed out of it by ``key_fn``
    (what a base model needs). The template is the request's context, which the engine's own backend never sends:
    such requests were never probed (3 served of 6). The probe is now the caller's whole prompt with the question
    reworded in it: 5 served of 6, none false, and every prompt the model gets is the template's."""
    template = EXAMPLE + "\n\nQuestion: {}\nAnswer:"
    model = GroupingLLM()
    model.received = []
    runnable = StepCacheRunnable(
        model, store=MemoryStore(), embedder=HashEmbedder(), key_fn=lambda p: p.split("Question:")[-1].split("\nAnswer:")[0]
    )
    served = false = 0
    for a, b in PENCIL_POINTS:
        prompt = template.format(PENCILS.format(a, b))
        asked = len(model.received)
        out = runnable.invoke(prompt)
        background.drain(20)
        if len(model.received) == asked:
            served += 1
            false += out != grouped([HumanMessage(prompt)])
    assert false == 0 and served == len(PENCIL_POINTS) - 1
    assert len(model.received) >= 2 and all(re.fullmatch(re.escape(template).replace(r"\{\}", ".+"), p) for p in model.received)


@pytest.mark.parametrize(
    "payload, expected",
    [
        ("Solve: Ann buys 3 pens.", "Solve: Ann buys 5 pens."),
        ([SystemMessage(EXAMPLE), HumanMessage("Ann buys 3 pens.", name="p7")], None),
        ("Ann buys 3 pens. Ann buys 3 pens.", None),  # the question twice: which one is asked cannot be told
        ([HumanMessage([{"type": "text", "text": "Ann buys 3 pens."}])], None),  # blocks: part of the exact key
        ("Bob buys 4 pens.", None),  # not the question at all
    ],
    ids=["a prompt string", "messages", "the question twice", "content blocks", "another question"],
)
def test_a_callers_call_is_reworded_in_its_question_turn_only(payload: Any, expected: Any) -> None:
    """The probe's call (``reworded_input``): the question replaced where it stands once, in the last human turn;
    every other message, and the turn's own fields, as the caller sent them."""
    from stepcache_langchain._convert import reworded_input

    out = reworded_input(payload, "Ann buys 3 pens.", "Ann buys 5 pens.")
    if isinstance(payload, list) and len(payload) == 2:
        assert out[0] is payload[0] and out[1].content == "Ann buys 5 pens." and out[1].name == "p7"
        assert payload[1].content == "Ann buys 3 pens."  # the caller's own messages untouched
    else:
        assert out == expected


def _spoken(messages: list[BaseMessage]) -> str:
    """Always right under what the question's turn carries: a rounding rule in its provider fields, and the speaker's
    name ("You have ..." where the turn is named for the person the question is about)."""
    turn = messages[-1]
    m = re.search(r"(\w+) buys (\d+) boxes of (\d+)", str(turn.content))
    assert m is not None
    who, a, b = m[1], int(m[2]), int(m[3])
    c = a * b
    out = f"{'You have' if turn.name == who else who + ' has'} {a} * {b} = <<{a}*{b}={c}>>{c} apples."
    if "nearest ten" in json.dumps(turn.additional_kwargs) and c % 10:
        c = (c + 5) // 10 * 10
        out += f"\nRounded to the nearest ten, that is {c}."
    return out + f"\n#### {c}"


class TurnReader(BaseChatModel):
    """Always right (see :func:`_spoken`); records what it is sent."""

    received: list[list[BaseMessage]] = []

    @property
    def _llm_type(self) -> str:
        return "always-right-turn-reader"

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kwargs: Any) -> ChatResult:
        self.received.append(list(messages))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=_spoken(messages)))])


@pytest.mark.parametrize(
    "turn",
    [{"additional_kwargs": {"instructions": RULE}}, {"name": "Ann"}],
    ids=["a rule in the turn's provider fields", "the speaker's name"],
)
def test_what_the_questions_own_turn_carries_is_read_as_context(turn: dict[str, Any]) -> None:
    """Class (helper-164, both versions): what the question's own turn carries besides its text reached the model
    and keyed the entry, but was never read as the request's context: a rounding rule in its ``additional_kwargs``
    (6 false of 8 served: the probes' points left the rule idle), or the speaker's ``name``, whom the model answers
    ("You have 21 apples" where the question is about Ann: 3 false of 6). It is context now: such a turn is
    answered by the model."""
    model = TurnReader()
    model.received = []
    runnable = StepCacheRunnable(model, store=MemoryStore(), embedder=HashEmbedder())
    served = false = 0
    for (a, b), who in zip(POINTS, ["Tom", "Sam", "Ann", "Ann", "Kate", "Ann"], strict=True):
        messages: list[BaseMessage] = [HumanMessage(QUESTION.format(a, b).replace("Ann", who), **turn)]
        asked = len(model.received)
        out = runnable.invoke(messages)
        background.drain(20)
        if len(model.received) == asked:
            served += 1
            false += out.content != _spoken(messages)
    assert false == 0


# ---------------------------------------------------------------- what else a call or a turn carries (helper-177)
BOUND: dict[str, dict[str, Any]] = {
    "a short setting": {"rounding": "nearest ten"},
    "a setting of another name": {"round_to": "nearest ten"},
    "few-shot examples": {"examples": [{"input": "3 boxes of 4", "output": "12, to the nearest ten 10"}]},
}


@pytest.mark.parametrize("case", sorted(BOUND))
def test_a_bound_argument_no_list_of_settings_holds_is_read_as_context(case: str) -> None:
    """Class (helper-177): ``StepCacheRunnable(model.bind(rounding="nearest ten"))``: only arguments named like
    an instruction, or sentences, were read; a short value, a number or a list under another name reached the
    model and was never read (5 false of 6 served). Every bound argument that no list of generation settings
    holds is read as context now."""
    model = RightModel()
    model.received = []
    runnable = StepCacheRunnable(model.bind(**BOUND[case]), store=MemoryStore(), embedder=HashEmbedder())
    _, false = _false_served(model, runnable, [], json.dumps(BOUND[case]))
    assert false == 0


def _with_names(messages: list[BaseMessage]) -> str:
    """What a provider sends besides the text: each message's ``name`` and an invalid tool call's arguments."""
    said = [(m.name or "").replace("_", " ") for m in messages]
    said += [str(c.get("args")) for m in messages for c in getattr(m, "invalid_tool_calls", None) or ()]
    return " ".join(said)


TURN_FIELDS: dict[str, list[BaseMessage]] = {
    "a system message's name": [SystemMessage(PERSONA, name="round_to_the_nearest_ten")],
    "an earlier turn's name": [HumanMessage("Hello!", name="nearest_ten_please"), AIMessage("Hi! How can I help?")],
    "an invalid tool call's arguments": [
        AIMessage("", invalid_tool_calls=[{"name": "set_policy", "args": RULE, "id": "c3", "error": None}]),
        ToolMessage("ok", tool_call_id="c3"),
    ],
}


@pytest.mark.parametrize("route", ["set_llm_cache", "runnable"])
@pytest.mark.parametrize("case", sorted(TURN_FIELDS))
def test_an_earlier_messages_name_or_invalid_call_is_read_as_context(case: str, route: str) -> None:
    """Class (helper-177): an earlier message's ``name`` ("round_to_10" on a system message, the speaker's name on
    a greeting) or an ``invalid_tool_calls`` argument reaches the model (providers send them) and was keyed but
    never read: 5 false of 5 served, 3 of 6 where the model answered the named speaker. Read as context now."""
    model = RightModel()
    model.received = []
    before = TURN_FIELDS[case]

    def answer(messages: list[BaseMessage]) -> str:
        return right(messages, _with_names(messages))

    if route == "runnable":
        _, false = _false_served(
            model, StepCacheRunnable(model, store=MemoryStore(), embedder=HashEmbedder()), before, "", answer=answer
        )
    else:
        set_llm_cache(StepCache(store=MemoryStore(), embedder=HashEmbedder(), backend=model))
        try:
            _, false = _false_served(model, model, before, "", answer=answer)
        finally:
            set_llm_cache(None)
    assert false == 0
