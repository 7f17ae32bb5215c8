"""LlamaIndex calls as core requests: the text the cache keys on, the namespace of everything else that shapes the
answer (the inner LLM's settings, the call's keyword arguments, the chat history before the keyed turn) and
StepCache's own per-call options. A call the cache cannot key on (tool arguments, tool messages, an assistant
prefill) is a *bypass*: the inner LLM serves it alone."""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from llama_index.core.base.llms.types import ChatMessage, MessageRole, TextBlock, ThinkingBlock, ToolCallBlock
from llama_index.core.bridge.pydantic import BaseModel
from llama_index.core.llms import LLM
from llama_index.core.prompts import BasePromptTemplate

from stepcache_core import InvalidRequestError, InvalidSchemaError, Namespace, Request
from stepcache_core.integration import call_settings_text, instruction_text, reworded, settings_json
from stepcache_core.tasks.json.schema import inline_refs
from stepcache_core.values import generation_limits

from ._discover import discover
from .backend import llm_identity

__all__ = [
    "TEXT_TASK",
    "JSON_TASK",
    "UnsupportedContentError",
    "Plan",
    "NamespaceOf",
    "AroundOf",
    "namespace",
    "split_options",
    "check_content",
    "keyed_turn",
    "turn_context",
    "plan_completion",
    "plan_chat",
    "plan_structured",
]

_R = TypeVar("_R")

TEXT_TASK = "text"
JSON_TASK = "json_extraction"

# keyword arguments that make a call a tool call: never served from the cache
_TOOL_KWARGS = frozenset(
    {"tools", "tool_choice", "functions", "function_call", "tool_required", "allow_parallel_tool_calls", "parallel_tool_calls"}
)
# StepCache's own per-call options (removed before the inner LLM sees the kwargs)
_OPTION_KWARGS = ("stepcache_task", "stepcache_schema", "stepcache_required_keys", "stepcache_reuse")
# fields of the inner LLM that do not change what it generates (left out of the namespace). Not the endpoint
# (``api_base``, ``base_url``, ``model_url``, ``api_version``): two servers may run other models under one model name
# ("local-model" on two LM Studio hosts), and an API version may answer otherwise
_NON_SEMANTIC_FIELDS = {
    "callback_manager",
    "rate_limiter",
    "verbose",
    "api_key",
    "timeout",
    "max_retries",
    "reuse_client",
    "default_headers",
    "output_parser",
    "messages_to_prompt",
    "completion_to_prompt",
    "query_wrapper_prompt",
}
# fields that shape the prompt the inner LLM is sent (a chat template, a wrapper around the completion, a system text
# baked into one): read apart from ``model_dump``, which excludes them or cannot serialise them
_PROMPT_FIELDS = ("messages_to_prompt", "completion_to_prompt", "query_wrapper_prompt", "model_kwargs")

NamespaceOf = Callable[[str, dict[str, Any], Any], Namespace]
"""``namespace_of(mode, kwargs, history)``: a call's namespace under one wrapper (see :func:`namespace`)."""
AroundOf = Callable[[str], str]
"""``around_of(prompt)``: what the inner LLM adds around ``prompt`` when it is sent (see :func:`wrapper_context`),
read at each call: a system prompt set on the inner LLM after it was wrapped counts."""


class UnsupportedContentError(InvalidRequestError):
    """A chat message holds content StepCache cannot key on (images, audio, documents...)."""


@dataclass(frozen=True)
class Plan:
    """How a call is served: ``request`` through the engine, or (``None``) by the inner LLM alone, for ``bypass``.
    ``args`` and ``kwargs`` make the caller's own call on the inner LLM (without StepCache's options)."""

    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    request: Request | None = None
    reuse: bool = True
    bypass: str = ""

    def call(self, method: Callable[..., _R]) -> _R:
        """``method`` (the inner LLM's, sync or async) called as the caller called this wrapper."""
        return method(*self.args, **self.kwargs)

    def reworded(self, asked: str, question: str) -> Plan | None:
        """The caller's call with its question ``asked`` reworded to ``question`` (see
        :func:`~stepcache_core.integration.reworded`): a completion's prompt, or a chat's last turn, in the one text
        block that holds it (the turn's other blocks and fields, and every other message, as they are); ``None``
        where it cannot be, and for other calls."""
        first = self.args[0] if self.args else None
        if isinstance(first, str):
            prompt = reworded(first, asked, question)
            return None if prompt is None else replace(self, args=(prompt, *self.args[1:]))
        if not isinstance(first, Sequence) or not first or not all(isinstance(m, ChatMessage) for m in first):
            return None
        last = first[-1]
        holding = [i for i, b in enumerate(last.blocks) if isinstance(b, TextBlock) and asked in b.text]
        text = reworded(last.blocks[holding[0]].text, asked, question) if len(holding) == 1 else None
        if text is None:
            return None
        blocks = list(last.blocks)
        blocks[holding[0]] = TextBlock(text=text)
        turn = last.model_copy(update={"blocks": blocks})
        return replace(self, args=([*first[:-1], turn], *self.args[1:]))


_LIMIT_FIELDS = (
    "max_tokens",
    "max_new_tokens",
    "max_output_tokens",
    "max_completion_tokens",
    "max_tokens_to_sample",
    "max_length",
    "num_predict",
    "stop",
    "stop_sequences",
    "generate_kwargs",
    "generation_config",
    "additional_kwargs",
    "model_kwargs",
)
"""The inner LLM's fields that may limit its answers (``metadata.num_output`` is not one: for many LLMs it is a
default that budgets the context window, not what the model is sent)."""


def limited(plan: Plan, llm: LLM) -> Request:
    """``plan``'s request with the limits the inner LLM answers it under: its own fields (``max_tokens``,
    ``max_new_tokens``, ``stop``, or in ``generate_kwargs``...), then the call's keyword arguments (a structured
    call's ``llm_kwargs``); see :func:`~stepcache_core.values.generation_limits`."""
    assert plan.request is not None
    fields = {name: getattr(llm, name, None) for name in _LIMIT_FIELDS}
    inner = plan.kwargs.get("llm_kwargs")
    most, stop = generation_limits(fields, plan.kwargs, inner if isinstance(inner, dict) else None)
    return replace(plan.request, max_output_tokens=most, stop=stop)


def _llm_settings(llm: LLM) -> Any:
    try:
        data = llm.model_dump(exclude=_NON_SEMANTIC_FIELDS)
    except Exception:  # an LLM whose fields do not serialise: its class is all we key on
        return {}
    gk = data.get("generate_kwargs")
    if isinstance(gk, dict):
        data["generate_kwargs"] = {k: v for k, v in gk.items() if k != "stream"}
    data["prompt_format"] = {name: _identity(getattr(llm, name, None)) for name in _PROMPT_FIELDS}
    return data


def _identity(value: Any) -> Any:
    """A stable stand-in for a prompt-shaping setting: a function by its name and its code (two lambdas that wrap the
    prompt differently differ), a prompt template by its template text, data as it is."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dict):
        return {str(k): _identity(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_identity(v) for v in value]
    if isinstance(value, functools.partial):
        return ["partial", _identity(value.func), _identity(list(value.args)), _identity(dict(value.keywords))]
    code = getattr(value, "__code__", None)
    if code is not None:
        # the code, and what its closure holds ("Answer in {lang}" made for German or for English)
        cells = [_identity(c.cell_contents) for c in (getattr(value, "__closure__", None) or ()) if _filled(c)]
        seen = code.co_code + repr(_constants(code)).encode("utf-8") + repr(cells).encode("utf-8")
        digest = hashlib.sha256(seen).hexdigest()[:16]
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}:{digest}"
    template = getattr(value, "template", None)
    if isinstance(template, str):
        return f"{type(value).__qualname__}:{template}"
    return f"{type(value).__module__}.{type(value).__qualname__}"


def _filled(cell: Any) -> bool:
    try:
        _ = cell.cell_contents
    except ValueError:  # an empty cell
        return False
    return True


def _constants(code: Any) -> tuple[Any, ...]:
    """A code object's constants, nested code objects by their own constants and bytecode."""
    return tuple((c.co_code, _constants(c)) if hasattr(c, "co_code") else c for c in code.co_consts)


def namespace(tenant: str, llm: LLM, mode: str, kwargs: dict[str, Any], history: Any = None) -> Namespace:
    """The cache partition of a call: ``tenant``, the model, and a digest of what else shapes the answer."""
    settings = {"mode": mode, "llm": _llm_settings(llm), "kwargs": kwargs, "history": history}
    raw = settings_json(settings)  # a response_format class by its schema, an object by its fields
    return Namespace(tenant, llm_identity(llm), hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32])


def split_options(kwargs: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(StepCache's options, the inner LLM's keyword arguments)."""
    options = {k: kwargs[k] for k in _OPTION_KWARGS if k in kwargs}
    return options, {k: v for k, v in kwargs.items() if k not in _OPTION_KWARGS}


def check_content(messages: Sequence[ChatMessage]) -> None:
    """Raises :class:`UnsupportedContentError` for a message that is not text."""
    for i, m in enumerate(messages):
        if not isinstance(m, ChatMessage):
            raise UnsupportedContentError(f"message {i} is a {type(m).__name__}, expected a ChatMessage")
        for b in m.blocks:
            if not isinstance(b, (TextBlock, ThinkingBlock, ToolCallBlock)):
                raise UnsupportedContentError(
                    f"message {i} ({m.role.value}) holds a {type(b).__name__}: StepCache serves text only; "
                    "call the inner LLM directly for multimodal requests"
                )


def _is_tool_message(m: ChatMessage) -> bool:
    if m.role in (MessageRole.TOOL, MessageRole.FUNCTION) or m.additional_kwargs.get("tool_calls"):
        return True
    return any(isinstance(b, ToolCallBlock) for b in m.blocks)


def keyed_turn(messages: Sequence[ChatMessage]) -> tuple[str, list[list[str]]] | None:
    """The last user turn and the history before it; ``None`` when there is nothing to key on: a tool call or
    result in the history (the next turn depends on the tool's output), an assistant prefill, an empty turn."""
    if not messages or any(_is_tool_message(m) for m in messages):
        return None
    last = messages[-1]
    if last.role != MessageRole.USER or not (last.content or "").strip():
        return None
    # (a thinking block is no part of ``content``, and reaches a model that reads earlier thinking: "The user wants
    # every answer rounded to the nearest ten.")
    history = [[m.role.value, _said(m)] for m in messages[:-1]]
    thought = _thinking(last)
    if thought:
        history.append(["thinking", thought])
    # what a message carries besides its text (a user's ``name``, provider fields) reaches the model too: it is
    # part of the namespace, an exact match
    extras = [
        [str(i), json.dumps(m.additional_kwargs, sort_keys=True, default=str)]
        for i, m in enumerate(messages)
        if m.additional_kwargs
    ]
    return last.content or "", history + ([["additional_kwargs", json.dumps(extras)]] if extras else [])


def _thinking(m: ChatMessage) -> str:
    """The text of ``m``'s thinking blocks."""
    return "\n".join(b.content for b in m.blocks if isinstance(b, ThinkingBlock) and b.content)


def _said(m: ChatMessage) -> str:
    """All the text ``m`` says: its content and its thinking, in the order of its blocks."""
    if not any(isinstance(b, ThinkingBlock) for b in m.blocks):
        return m.content or ""
    parts = [
        b.text if isinstance(b, TextBlock) else b.content or "" for b in m.blocks if isinstance(b, (TextBlock, ThinkingBlock))
    ]
    return "\n".join(p for p in parts if p)


def _served(text: str, options: dict[str, Any], call: Plan, keyed: Namespace, instructions: str = "") -> Plan:
    """``call`` served by the engine: the request for ``text`` in namespace ``keyed``, with StepCache's ``options``.
    ``instructions``: the text of the other messages (a system prompt), where an output parser's schema may stand
    too (they are part of the namespace: they match exactly), and what a task reads as the request's context
    (:attr:`Request.context`)."""
    schema = options.get("stepcache_schema")
    required = tuple(options.get("stepcache_required_keys") or ())
    task = options.get("stepcache_task") or (JSON_TASK if schema is not None or required else None)
    if isinstance(schema, type) and issubclass(schema, BaseModel):
        schema = inline_refs(schema.model_json_schema())
    if schema is not None and not isinstance(schema, dict):
        raise InvalidSchemaError(f"stepcache_schema must be a JSON Schema dict or a pydantic model, got {type(schema).__name__}")
    key_text: str | None = None
    if schema is None and not required and task in (None, JSON_TASK):
        # LLMTextCompletionProgram and friends append their output parser's schema to the prompt
        found = discover(text)
        if found is not None:
            schema, key_text, task = found.schema, found.text, JSON_TASK
        elif instructions and (elsewhere := discover(instructions)) is not None:
            schema, task = elsewhere.schema, JSON_TASK  # the record is the user turn itself
            instructions = elsewhere.text  # the format instructions are read as the schema, not as a condition
    request = Request(
        text, task=task, schema=schema, required_keys=required, namespace=keyed, key_text=key_text, context=instructions
    )
    return replace(call, request=request, reuse=options.get("stepcache_reuse", True))


_MARK = "\u27e8STEPCACHE-QUESTION\u27e9"
_MARKUP = re.compile(r"<\|?[^<>\n|]{1,40}\|?>|\[/?INST\]|<</?SYS>>")
_ROLES = re.compile(r"(?i)\b(?:user|assistant|system|model|human|ai)\b\s*:?|[\s:]+")


def wrapper_context(llm: LLM, prompt: str = "") -> str:
    """What the inner LLM adds around ``prompt`` (the call's own question) when it is sent: its ``system_prompt``
    and other settings named like an instruction (see :func:`~stepcache_core.integration.instruction_text`), and the
    text its own ``completion_to_prompt``, ``messages_to_prompt`` (when not LlamaIndex's default) or
    ``query_wrapper_prompt`` puts around a question: around a bare marker (what it adds to every prompt) and around
    ``prompt`` itself (a wrapper that adds a rule to some prompts only: "Round to the nearest ten." before word
    problems). Part of the namespace already; read as the request's context (:attr:`Request.context`), since it may
    set a condition. A wrapper that cannot be read this way is a context that says more than a persona. Cheap
    (the wrappers are plain string functions): read at every call, so a setting changed after wrapping counts."""
    from llama_index.core.base.llms import generic_utils

    parts: list[str] = []
    system = getattr(llm, "system_prompt", None)
    if isinstance(system, str) and system.strip():
        parts.append(system)
    # its other settings named like an instruction or reading as one (``instructions``, ``additional_kwargs``'s
    # "instructions", ``generation_config``'s "system_instruction", ``generate_kwargs``'s "system"): sent with
    # every prompt as surely as the system prompt
    settings = _llm_settings(llm)
    if isinstance(settings, dict):
        said = instruction_text({k: v for k, v in settings.items() if k not in ("system_prompt", "prompt_format")})
        parts.extend(p for p in said.split("\n\n") if p.strip())
    wrappers: list[Callable[[str], Any]] = []
    completion = getattr(llm, "completion_to_prompt", None)
    if callable(completion):
        wrappers.append(completion)
    messages = getattr(llm, "messages_to_prompt", None)
    if callable(messages) and getattr(messages, "__func__", messages) is not generic_utils.messages_to_prompt:
        wrappers.append(lambda q: messages([ChatMessage(role=MessageRole.USER, content=q)]))
    query = getattr(llm, "query_wrapper_prompt", None)
    if query is not None and hasattr(query, "format"):
        wrappers.append(lambda q: query.format(query_str=q))
    probes = [_MARK, *([prompt] if prompt.strip() else [])]
    for wrap in wrappers:
        for probe in probes:
            try:
                wrapped = wrap(probe)
            except Exception:  # a wrapper this cannot read: not a persona
                return "\n".join([*dict.fromkeys(parts), "(a prompt wrapper StepCache cannot read)"])
            # (a wrapper may strip the question: Llama 2's template does)
            found = next((q for q in (probe, probe.strip()) if isinstance(wrapped, str) and q in wrapped), None)
            if isinstance(wrapped, str) and found is not None:
                # a chat template's markup (<start_of_turn>user, [INST], <|im_start|>) says who speaks, not what to
                # answer
                bare = (_MARKUP.sub(" ", p) for p in wrapped.split(found))
                parts.extend(p for p in bare if p.strip() and _ROLES.sub("", p).strip())
            elif wrapped is not None:
                parts.append("(a prompt wrapper StepCache cannot read)")
    return "\n".join(dict.fromkeys(parts))  # what the wrappers add to every prompt and to this one, once each


def turn_context(history: Sequence[Sequence[str]], around: str, kwargs: dict[str, Any]) -> str:
    """A keyed turn's context: the text of every earlier message and what any message carries besides it (see
    :func:`keyed_turn`), what the inner LLM adds around the turn, and the call's "instructions=..."."""
    return "\n\n".join([*(said for _, said in history), around, call_settings_text(kwargs)]).strip()


def _no_around(prompt: str) -> str:
    return ""


def plan_completion(
    prompt: str, formatted: bool, kwargs: dict[str, Any], namespace_of: NamespaceOf, around: AroundOf = _no_around
) -> Plan:
    """A ``complete`` call: keyed on the prompt; tool arguments bypass. ``around``: the inner LLM's own context
    (see :func:`wrapper_context`)."""
    options, rest = split_options(kwargs)
    call = Plan((prompt,), {**rest, "formatted": formatted})
    if _TOOL_KWARGS & rest.keys():
        return replace(call, bypass="tool kwargs")
    context = turn_context((), around(prompt), rest)  # with the "instructions=..." of the call
    return _served(prompt, options, call, namespace_of("complete", call.kwargs, None), context)


def plan_chat(
    messages: Sequence[ChatMessage], kwargs: dict[str, Any], namespace_of: NamespaceOf, around: AroundOf = _no_around
) -> Plan:
    """A ``chat`` call: keyed on the last user turn, the history in the namespace (see :func:`keyed_turn`).
    ``around``: the inner LLM's own context (see :func:`wrapper_context`)."""
    options, rest = split_options(kwargs)
    if not messages:
        raise InvalidRequestError("chat needs at least one message")
    check_content(messages)
    call = Plan((messages,), rest)
    keyed = None if _TOOL_KWARGS & rest.keys() else keyed_turn(messages)
    if keyed is None:
        return replace(call, bypass="tool call or non-user last turn")
    # every earlier message's text, and what any message carries besides it (provider fields, as JSON): a
    # condition said there reaches the model too, and is read as context
    instructions = turn_context(keyed[1], around(keyed[0]), rest)
    return _served(keyed[0], options, call, namespace_of("chat", rest, keyed[1]), instructions)


def plan_structured(
    output_cls: type[BaseModel],
    prompt: BasePromptTemplate,
    llm_kwargs: dict[str, Any] | None,
    prompt_args: dict[str, Any],
    namespace_of: NamespaceOf,
    around: AroundOf = _no_around,
) -> Plan:
    """A ``structured_predict`` call: keyed on the prompt's text, with ``output_cls``'s JSON schema. ``around``:
    the inner LLM's own context (see :func:`wrapper_context`), read as the request's, with the call's own
    "instructions=..."."""
    messages = prompt.format_messages(**prompt_args)
    check_content(messages)
    options, rest = split_options(dict(llm_kwargs or {}))
    keyed = namespace_of("structured", {**rest, "output_cls": output_cls.__name__}, None)
    text = "\n".join(m.content for m in messages if m.content)
    request = Request(
        text,
        task=JSON_TASK,
        schema=inline_refs(output_cls.model_json_schema()),
        namespace=keyed,
        context=turn_context((), around(text), rest),
    )
    return Plan((output_cls, prompt), {"llm_kwargs": rest or None, **prompt_args}, request, options.get("stepcache_reuse", True))
