"""Conversions between LangChain values and StepCache requests (no step or verification logic here)."""

from __future__ import annotations

import hashlib
import json
import logging
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from langchain_core.load import dumpd, dumps, load, loads
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    ChatMessage,
    FunctionMessage,
    HumanMessage,
    HumanMessageChunk,
    SystemMessage,
    ToolMessage,
)
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, Generation, GenerationChunk

from stepcache_core import Namespace, Request
from stepcache_core.integration import reworded, settings_json
from stepcache_core.values import generation_limits

__all__ = [
    "Kind",
    "KeyFn",
    "Keyed",
    "key_chat",
    "key_text",
    "parse_chat_prompt",
    "reworded_input",
    "namespace",
    "encode_generations",
    "decode_generations",
    "served_generations",
    "message_text",
    "model_identity",
    "declared_identity",
    "sha",
]

logger = logging.getLogger("stepcache_langchain")

Kind = Literal["llm", "chat"]
KeyFn = Callable[[str], str]

ENVELOPE_TAG = "stepcache_langchain"
_MESSAGE_CLASSES: list[Any] = [
    AIMessage,
    AIMessageChunk,
    HumanMessage,
    HumanMessageChunk,
    SystemMessage,
    ToolMessage,
    ChatMessage,
    FunctionMessage,
]
_GENERATION_CLASSES: list[Any] = [Generation, GenerationChunk, ChatGeneration, ChatGenerationChunk, *_MESSAGE_CLASSES]


def sha(text: str, n: int = 32) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


def message_text(message: BaseMessage) -> str:
    """The text of a message (text blocks of list content joined)."""
    text: Any = message.text
    if isinstance(text, str):  # a str subclass in langchain-core 1.x (also callable, deprecated)
        return str(text)
    return str(text() if callable(text) else text)


@dataclass(frozen=True)
class Keyed:
    """A LangChain prompt split into what is matched semantically and what must match exactly.

    ``question`` becomes the request prompt (task detection, parsing, embedding);
    ``context`` (chat history, template text around the question) is hashed
    into the namespace, so requests with different contexts never share entries.
    """

    kind: Kind
    question: str
    context: str
    instructions: str = ""
    """The text of the prompt's other messages (system prompt, earlier turns) and of the turn around the question:
    where format instructions may stand too, and what a task reads as the request's context
    (:attr:`Request.context`). Part of ``context``: it must match exactly for a reuse."""

    def request(self, *, tenant: str, model: str, task: str | None = None, settings: str = "", **constraints: Any) -> Request:
        """The core request. Without an explicit schema, an output parser's format instructions give one
        (``PydanticOutputParser``, ``JsonOutputParser``, ``StructuredOutputParser``), in the question or in another
        message (a system prompt): the question without them is what is embedded and what values must come
        from. ``settings``: what the model's settings tell it (see :func:`~stepcache_core.integration.
        instruction_text`), read as context too."""
        key_text = self.question
        context = self.instructions if self.kind == "chat" else self.context.replace("\x00", " ")
        if constraints.get("schema") is None and task in (None, "json_extraction"):
            from ._discover import discover

            found = discover(self.question)
            if found is not None:
                constraints["schema"] = found.schema
                key_text = found.text
            elif self.instructions and (elsewhere := discover(self.instructions)) is not None:
                constraints["schema"] = elsewhere.schema  # the record is the question itself
                context = elsewhere.text  # the format instructions are read as the schema, not as a condition
        # (the model's settings are read beside either: format instructions in a system message leave them in force)
        context = "\n\n".join(p for p in (context, settings) if p)
        return Request(
            prompt=self.question,
            task=task,
            key_text=key_text,
            namespace=namespace(tenant, model, self.kind, self.context),
            context=context,
            **constraints,
        )


def namespace(tenant: str, model: str, kind: Kind, context: str) -> Namespace:
    # model: hashed llm_string / model identity; settings: entry kind + exact context hash
    return Namespace(tenant=tenant, model=sha(model), settings=f"{kind}:{sha(context) if context else ''}")


def _split(text: str, key_fn: KeyFn | None) -> tuple[str, str]:
    """(question, context-around-it) after the user's ``key_fn``."""
    if key_fn is None:
        return text, ""
    question = key_fn(text)
    if not isinstance(question, str) or not question.strip():
        return text, ""
    idx = text.find(question)
    context = text[:idx] + "\x00" + text[idx + len(question) :] if idx >= 0 else text
    return question.strip(), context


def key_text(prompt: str, key_fn: KeyFn | None = None) -> Keyed:
    """A plain LLM prompt."""
    question, context = _split(prompt, key_fn)
    return Keyed("llm", question, context)


def key_chat(messages: Sequence[BaseMessage], key_fn: KeyFn | None = None) -> Keyed:
    """A chat prompt: the last human turn is the question; every other message is exact context."""
    if not messages:
        return Keyed("chat", "", "")
    idx = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=len(messages) - 1)
    last = messages[idx]
    others = [m for i, m in enumerate(messages) if i != idx]
    question, inner = _split(message_text(last), key_fn)
    parts = [dumps(others), str(idx), inner]
    # what the turn carries besides its text (a user's ``name``, provider fields: "instructions": "Round ...") is
    # part of the exact key, and read as context: it reaches the model, which may answer the speaker ("You have
    # ...") or follow it
    extra = {k: v for k, v in (("name", last.name), ("additional_kwargs", last.additional_kwargs)) if v}
    said = json.dumps(extra, sort_keys=True, ensure_ascii=False, default=str) if extra else ""
    if not isinstance(last.content, str):
        parts.append(dumps(last))  # non-text blocks (images...) are part of the exact key
    elif extra:
        parts.append(json.dumps(extra, sort_keys=True, default=str))
    around = [_reaching(m) for m in others] + ([inner.replace("\x00", " ")] if inner else []) + [said]
    return Keyed("chat", question, "\x1e".join(parts), "\n\n".join(p for p in around if p))


def reworded_input(payload: Any, asked: str, question: str) -> Any:
    """What the model receives for a caller's call (a prompt string, or messages whose last human turn is the
    question: see :func:`key_chat`) with the question ``asked`` reworded to ``question`` (see
    :func:`~stepcache_core.integration.reworded`); ``None`` where it cannot be. The other messages, and the turn's
    other fields (a ``name``), stay as they are. A turn of content blocks is not reworded: its blocks are part of
    the exact key (see :func:`key_chat`), so a probe's answer there would vouch for another namespace than the
    caller's."""
    if isinstance(payload, str):
        return reworded(payload, asked, question)
    if not isinstance(payload, list) or not payload or not all(isinstance(m, BaseMessage) for m in payload):
        return None
    idx = max((i for i, m in enumerate(payload) if isinstance(m, HumanMessage)), default=len(payload) - 1)
    turn = payload[idx]
    content = reworded(turn.content, asked, question) if isinstance(turn.content, str) else None
    if content is None:
        return None
    return [*payload[:idx], turn.model_copy(update={"content": content}), *payload[idx + 1 :]]


# a text block's keys that say nothing to the model besides its text (Anthropic's prompt caching marks a block
# ``cache_control``)
_PLAIN_TEXT_BLOCK = frozenset({"type", "text", "id", "cache_control"})


def _reaching(message: BaseMessage) -> str:
    """What of ``message`` reaches the model: its text, and whatever else it carries as JSON (content blocks of
    another type than ``text``, such as ``text-plain`` or ``input_text``; an AI turn's tool calls, valid or not,
    and their arguments; the speaker's ``name``; provider fields), so that a condition said there is read as context, never skipped."""
    parts = [message_text(message)]
    if isinstance(message.content, list):
        for block in message.content:
            if isinstance(block, dict) and not (block.get("type") == "text" and set(block) <= _PLAIN_TEXT_BLOCK):
                parts.append(json.dumps(block, sort_keys=True, ensure_ascii=False, default=str))
    calls = [*(getattr(message, "tool_calls", None) or ()), *(getattr(message, "invalid_tool_calls", None) or ())]
    if calls:  # (a provider sends an invalid call's arguments as a call too)
        parts.append(json.dumps([{"name": c.get("name"), "args": c.get("args")} for c in calls], sort_keys=True, default=str))
    if message.name:  # the speaker's name ("Ann"): a model answers her ("You have ...") or follows it ("round_to_10")
        parts.append(json.dumps({"name": message.name}, ensure_ascii=False))
    if message.additional_kwargs:
        parts.append(json.dumps(message.additional_kwargs, sort_keys=True, ensure_ascii=False, default=str))
    return "\n".join(p for p in parts if p)


def parse_chat_prompt(prompt: str) -> list[BaseMessage] | None:
    """The message list of a chat model's cache prompt (``dumps(messages)``), else ``None``."""
    head = prompt.lstrip()[:40]
    if not head.startswith("[") or '"lc"' not in head:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = loads(prompt, allowed_objects=_MESSAGE_CLASSES)
    except Exception:  # not a serialized message list: a plain LLM prompt
        return None
    if isinstance(value, list) and value and all(isinstance(m, BaseMessage) for m in value):
        return value
    return None


# ------------------------------------------------------------------ generations


def encode_generations(generations: Sequence[Generation]) -> str:
    """One line of JSON holding the LangChain-serialized generations (exact round trip).

    Single line with no surrounding whitespace, so the text task's paragraph
    segmenter serves it back byte for byte.
    """
    return json.dumps({ENVELOPE_TAG: 1, "generations": [dumpd(g) for g in generations]}, ensure_ascii=True, separators=(",", ":"))


def decode_generations(text: str) -> list[Generation] | None:
    if not text.startswith('{"' + ENVELOPE_TAG + '"'):
        return None
    try:
        data = json.loads(text)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            gens = load(data["generations"], allowed_objects=_GENERATION_CLASSES)
    except Exception as e:
        logger.warning("stepcache: undecodable cached generations (%s); treated as a miss", e)
        return None
    if isinstance(gens, list) and gens and all(isinstance(g, Generation) for g in gens):
        return gens
    return None


def served_generations(kind: Kind, text: str, trace: dict[str, Any]) -> list[Generation]:
    """A verified (possibly adapted) served text as one generation of the caller's kind."""
    if kind == "chat":
        return [ChatGeneration(message=AIMessage(content=text, response_metadata={"stepcache": trace}))]
    return [Generation(text=text, generation_info={"stepcache": trace})]


# ------------------------------------------------------------------ model identity


def model_settings(llm: Any) -> dict[str, Any]:
    """A model's settings as data: its fields (those a dump keeps) and, for a bound model, the bound arguments."""
    bound = getattr(llm, "bound", None)
    if bound is not None and isinstance(getattr(llm, "kwargs", None), dict):
        return {"bound": model_settings(bound), "kwargs": dict(llm.kwargs)}
    dump = getattr(llm, "model_dump", None)
    try:
        fields = dump() if callable(dump) else None
    except Exception:
        fields = None
    return fields if isinstance(fields, dict) else {}


def model_limits(llm: Any) -> dict[str, Any]:
    """The generation limits a model answers under (its ``max_tokens`` field or alike, bound ``max_tokens`` and
    ``stop``: the outermost binding wins), as :class:`~stepcache_core.values.Request` fields (see
    :func:`~stepcache_core.values.generation_limits`)."""
    settings = model_settings(llm)
    bindings: list[dict[str, Any]] = []
    while isinstance(settings.get("bound"), dict) and isinstance(settings.get("kwargs"), dict) and len(settings) == 2:
        bindings.insert(0, settings["kwargs"])
        settings = settings["bound"]
    most, stop = generation_limits(settings, *bindings)
    return {"max_output_tokens": most, "stop": stop}


def declared_identity(llm: Any) -> str:
    """What a model declares identifies it (``asdict()`` or ``_identifying_params``: its model name, temperature...),
    with a bound model's arguments. Cheap, and unchanged by the calls it answers (a fake's call counter is no part
    of it), so it is read at every call: a setting changed after wrapping is another model."""
    bound = getattr(llm, "bound", None)
    if bound is not None and hasattr(llm, "kwargs"):
        return settings_json([declared_identity(bound), llm.kwargs])  # a class bound by its schema, not its name
    return settings_json(_declared(llm))


def _declared(llm: Any) -> Any:
    params: Any = None
    for attr in ("asdict", "_identifying_params"):
        value = getattr(llm, attr, None)
        try:
            params = value() if callable(value) else value
        except Exception:
            params = None
        if params:
            break
    return {} if params is None else params


def model_identity(llm: Any) -> str:
    """A stable identity of a model and its settings (never memory addresses)."""
    bound = getattr(llm, "bound", None)
    if bound is not None and hasattr(llm, "kwargs"):
        return settings_json([model_identity(bound), llm.kwargs])
    params = _declared(llm)
    # every field the model holds, not only those its class lists as identifying: a subclass with a system_prompt
    # field that _identifying_params leaves out is another model (fields marked exclude, such as clients, stay out)
    fields: Any = None
    dump = getattr(llm, "model_dump", None)
    if callable(dump):
        try:
            fields = dump()
        except Exception:
            fields = None
    return settings_json([f"{type(llm).__module__}.{type(llm).__qualname__}", params, fields])
