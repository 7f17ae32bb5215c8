"""A rule that reaches the model somewhere besides the plain text of the prompt's messages (helper-69): it is read
as the request's context, so a word problem answered under it is never re-derived for other numbers as if no rule
held. Fakes only: an always-right chat model that rounds to the nearest ten when anything it is sent says so."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from langchain_core.globals import set_llm_cache
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult

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
        text = right(messages, self.system_prompt + json.dumps(kwargs, default=str))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])


def _false_served(model: RightModel, invoker: Any, before: list[BaseMessage], settings: str) -> tuple[int, int]:
    """(served without the model, false among them) over ``POINTS`` asked after the messages ``before``."""
    served = false = 0
    for a, b in POINTS:
        messages = [*before, HumanMessage(QUESTION.format(a, b))]
        asked = len(model.received)
        out = invoker.invoke(messages)
        background.drain(20)
        if len(model.received) == asked:
            served += 1
            false += out.content != right(messages, settings)
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
