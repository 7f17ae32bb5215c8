"""Tool calls and structured-output settings, read from LangChain's ``llm_string``, and tool-call answers.

``BaseChatModel`` keys its cache on ``llm_string``: the model's serialized settings, then ``---`` and
``str(sorted(params.items()))`` of the call's keyword arguments. ``bind_tools`` puts ``tools`` (and
``tool_choice``) there, ``with_structured_output`` does the same with one tool it forces, and providers'
JSON modes carry ``response_format`` (OpenAI) or ``format`` (Ollama). Those settings say which JSON the
answer must be, so the JSON task can check and adapt it:

- an answer that is one call of the one tool the request leaves the model (:func:`tool_target`) is kept
  as its arguments (the JSON the task checks) plus a *frame*: the whole message. A reuse gets a frame of its
  own (:func:`reframe_tool_call`: a tool call of the same shape with the adapted arguments and a fresh id;
  content, metadata and provider blocks kept), stored with it: asked again, it is served that same call;
- when the model may pick among several tools, which tool answers is itself the model's decision, and no
  check can tell whether another request wants the same one: such answers are reused for identical
  requests only (the exact ``text`` task), as before.
"""

from __future__ import annotations

import ast
import copy
import json
import logging
import re
import uuid
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from langchain_core.load import dumpd, load
from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.outputs import ChatGeneration, Generation

from stepcache_core.integration import described_schema, instruction_text
from stepcache_core.tasks.json import stale_mention
from stepcache_core.values import generation_limits

__all__ = [
    "ToolTarget",
    "invocation_params",
    "bound_tools",
    "mentions_tools",
    "tool_target",
    "response_schema",
    "tool_call_answer",
    "reframe_tool_call",
    "tool_call_generation",
]

logger = logging.getLogger("stepcache_langchain")

FRAME_TAG = "stepcache_tool_call"
MAX_PARAMS_CHARS = 200_000
"""A longer parameter string is not read (the request stays exact-match)."""

_NO_TOOL = {"auto", "none", "any", "required", "", None}


@dataclass(frozen=True)
class ToolTarget:
    """The one tool an answer may call: its name, the JSON Schema of its arguments and its description."""

    name: str
    schema: Mapping[str, Any]
    description: str = ""

    @property
    def request_schema(self) -> dict[str, Any]:
        """The schema a request checks the arguments against: :attr:`schema` with the tool's name and description
        (a ``with_structured_output`` class's name and docstring), which tell the model which values to give too
        (see :func:`~stepcache_core.integration.described_schema`)."""
        return described_schema(self.schema, self.name, self.description)


def _elements(text: str) -> list[str] | None:
    """The top-level elements of a Python list repr, split by bracket depth outside string literals."""
    if not text.startswith("[") or not text.endswith("]"):
        return None
    out: list[str] = []
    depth, start, quote, i = 0, 1, "", 1
    body_end = len(text) - 1
    while i < body_end:
        c = text[i]
        if quote:
            if c == "\\":
                i += 2
                continue
            if c == quote:
                quote = ""
        elif c in "'\"":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth < 0:
                return None
        elif c == "," and depth == 0:
            out.append(text[start:i].strip())
            start = i + 1
        i += 1
    if quote or depth:
        return None
    last = text[start:body_end].strip()
    if last:
        out.append(last)
    return out


def invocation_params(llm_string: str) -> dict[str, Any]:
    """The call's keyword arguments in ``llm_string`` that are plain Python literals (others are skipped:
    a ``<class ...>`` repr is not a setting this module reads). Parsed once per ``llm_string`` (a lookup and
    its update read the same one); the values are shared: read them, never change them."""
    return dict(_parsed(llm_string))


@lru_cache(maxsize=256)
def _parsed(llm_string: str) -> tuple[tuple[str, Any], ...]:
    if len(llm_string) > MAX_PARAMS_CHARS:
        return ()
    # the model's JSON, then "---", then the parameter list; a "}---[" inside either part leaves the other cut
    cuts = {llm_string.rfind("}---["), llm_string.find("}---[")}
    tails = [llm_string[c + 4 :] for c in sorted(cuts, reverse=True) if c >= 0] or [llm_string]
    elements = next((e for e in (_elements(t.strip()) for t in tails) if e), None)
    if not elements:
        return ()
    params: list[tuple[str, Any]] = []
    for element in elements:
        try:
            value = ast.literal_eval(element)
        except (ValueError, SyntaxError, MemoryError, RecursionError, TypeError):
            continue
        if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str):
            params.append((value[0], value[1]))
    return tuple(params)


@lru_cache(maxsize=256)
def _model_fields(llm_string: str) -> dict[str, Any]:
    """The model's fields in ``llm_string`` (the ``kwargs`` of its serialized JSON), ``{}`` when it has none."""
    model: Any = {}
    cut = llm_string.find("}---[")
    if cut >= 0 and cut <= MAX_PARAMS_CHARS:
        try:
            model = json.loads(llm_string[: cut + 1])
        except ValueError:
            model = {}
    fields = model.get("kwargs") if isinstance(model, dict) else None
    return fields if isinstance(fields, dict) else {}


def llm_string_instructions(llm_string: str) -> str:
    """What the model's settings and the call's arguments in ``llm_string`` may tell the model (a ``system_prompt``
    field, ``.bind(instructions=...)``: see :func:`~stepcache_core.integration.instruction_text`). Read once per
    ``llm_string`` (every lookup and update of one model reads the same one)."""
    said = (instruction_text(_model_fields(llm_string)), instruction_text(invocation_params(llm_string)))
    return "\n\n".join(p for p in said if p)


def llm_string_limits(llm_string: str) -> dict[str, Any]:
    """The caller's generation limits in ``llm_string`` (the model's fields, then the call's parameters: its
    ``max_tokens`` or alike and ``stop``), as :class:`~stepcache_core.values.Request` fields (see
    :func:`~stepcache_core.values.generation_limits`)."""
    most, stop = generation_limits(_model_fields(llm_string), invocation_params(llm_string))
    return {"max_output_tokens": most, "stop": stop}


def mentions_tools(llm_string: str) -> bool:
    """Whether the call's settings name tools at all, read or not (a call whose tools could not be read must not
    be cached as text: its answer may be a tool call with no text)."""
    return "('tools', " in llm_string or "('functions', " in llm_string


def bound_tools(llm: Any) -> dict[str, Any] | None:
    """The call settings of a model with tools bound (``model.bind_tools(...)`` is a ``RunnableBinding`` whose
    ``kwargs`` hold ``tools``), else ``None``."""
    while llm is not None:
        kwargs = getattr(llm, "kwargs", None)
        if isinstance(kwargs, Mapping) and (kwargs.get("tools") or kwargs.get("functions")):
            return dict(kwargs)
        llm = getattr(llm, "bound", None)
    return None


def _tool(spec: Any) -> ToolTarget | None:
    """OpenAI (``{"type": "function", "function": {...}}``), bare function and Anthropic tool formats."""
    if not isinstance(spec, Mapping):
        return None
    inner = spec.get("function")
    fn: Mapping[str, Any] = inner if isinstance(inner, Mapping) else spec
    name = fn.get("name")
    schema = fn.get("parameters", fn.get("input_schema"))
    if not isinstance(name, str) or not name or not isinstance(schema, Mapping):
        return None
    description = fn.get("description")
    return ToolTarget(name, schema, description if isinstance(description, str) else "")


def _chosen(choice: Any) -> str | None:
    """The tool name a ``tool_choice`` / ``function_call`` forces, if it names one."""
    if isinstance(choice, str):
        return None if choice in _NO_TOOL else choice
    if isinstance(choice, Mapping):
        fn = choice.get("function")
        name = fn.get("name") if isinstance(fn, Mapping) else choice.get("name")
        return name if isinstance(name, str) and name else None
    return None


def tool_target(params: Mapping[str, Any]) -> ToolTarget | None:
    """The one tool an answer can call: the only tool bound, or the one ``tool_choice`` names. ``None`` when
    there are no tools, or the model chooses among several (see the module docstring)."""
    raw = params.get("tools") if params.get("tools") is not None else params.get("functions")
    if not isinstance(raw, Sequence) or isinstance(raw, str) or not raw:
        return None
    tools = [_tool(t) for t in raw]
    if any(t is None for t in tools):
        return None  # a tool this module cannot read: which tool answers is not known
    named = _chosen(params.get("tool_choice", params.get("function_call")))
    if named is not None:
        matching = [t for t in tools if t is not None and t.name == named]
        return matching[0] if len(matching) == 1 else None
    return tools[0] if len(tools) == 1 else None


def response_schema(params: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The JSON Schema a JSON mode forces on the text: ``response_format={"type": "json_schema", ...}``
    (OpenAI and compatible servers, with the format's ``name`` and ``description`` as the schema's title and
    description: the model reads them too) or ``format={...schema...}`` (Ollama)."""
    fmt = params.get("response_format")
    if isinstance(fmt, Mapping) and fmt.get("type") == "json_schema":
        inner = fmt.get("json_schema")
        if isinstance(inner, Mapping) and isinstance(schema := inner.get("schema"), Mapping) and schema:
            return described_schema(schema, inner.get("name"), inner.get("description"))
    ollama = params.get("format")
    if isinstance(ollama, Mapping) and ollama.get("type") == "object":
        return ollama
    return None


def tool_call_answer(generations: Sequence[Generation], target: ToolTarget) -> tuple[str, str] | None:
    """``(arguments JSON, frame)`` when the answer is one call of ``target`` and nothing else the cache
    cannot rebuild; ``None`` otherwise."""
    if len(generations) != 1 or not isinstance(generations[0], ChatGeneration):
        return None
    message = generations[0].message
    if not isinstance(message, AIMessage) or message.invalid_tool_calls or len(message.tool_calls) != 1:
        return None
    call = message.tool_calls[0]
    if call["name"] != target.name or not isinstance(call["args"], dict):
        return None
    try:
        text = json.dumps(call["args"], ensure_ascii=False, indent=2)
    except (TypeError, ValueError) as e:
        logger.debug("stepcache: tool call not serializable (%s)", e)
        return None
    frame = _frame(message)
    return None if frame is None else (text, frame)


def _frame(message: AIMessage) -> str | None:
    """The message as a frame; ``None`` when it does not survive a round trip (not kept as a tool call)."""
    try:
        frame = json.dumps({FRAME_TAG: 1, "message": dumpd(message)}, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError) as e:
        logger.debug("stepcache: tool call not serializable (%s)", e)
        return None
    return frame if _load_message(frame) == message else None


def _load_message(frame: str) -> AIMessage | None:
    try:
        data = json.loads(frame)
        if not isinstance(data, dict) or data.get(FRAME_TAG) != 1:
            return None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            message = load(data["message"], allowed_objects=[AIMessage, AIMessageChunk])
    except Exception as e:
        logger.debug("stepcache: unreadable tool-call frame (%s)", e)
        return None
    return message if isinstance(message, AIMessage) and len(message.tool_calls) == 1 else None


def _fresh_id(old: str | None) -> str:
    match = re.match(r"[A-Za-z]+[_-]", old or "")
    return f"{match.group(0) if match else 'call_'}{uuid.uuid4().hex[:24]}"


def reframe_tool_call(frame: str, text: str) -> str:
    """The frame of a reuse (``StepCacheEngine.lookup``'s ``reframe``): the recorded message with the adapted
    arguments ``text`` (in the call and in its provider copies), a fresh call id and no token usage (the model
    was not called). The engine stores it with the reuse, so an identical request is served this same call.
    ``""`` when ``frame`` is not a tool-call frame or ``text`` not a JSON object."""
    message = _load_message(frame)
    if message is None:
        return ""
    try:
        args = json.loads(text)
    except ValueError:
        return ""
    if not isinstance(args, dict):
        return ""
    old = message.tool_calls[0]
    if stale_mention(_prose(message.content), old.get("args"), args) is not None:
        return ""  # the text beside the call states the cached arguments: the model answers
    new_id = _fresh_id(old.get("id"))
    call = {**old, "args": args, "id": new_id}
    content = message.content
    if isinstance(content, list):  # provider blocks (Anthropic ``tool_use``) carry the arguments too
        content = [_rewrite_block(b, old.get("id"), new_id, args) for b in content]
    extra = _rewrite_raw_calls(message.additional_kwargs, old.get("id"), new_id, args)
    served = message.model_copy(
        update={
            "tool_calls": [call],
            "content": content,
            "additional_kwargs": extra,
            "usage_metadata": None,
            "id": None,
        }
    )
    return _frame(served) or ""


def _prose(content: Any) -> str:
    """The text a message says beside its tool calls (a string, or the text blocks of a list)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(
            str(b.get("text", "")) if isinstance(b, dict) and b.get("type") == "text" else b if isinstance(b, str) else ""
            for b in content
        )
    return ""


def tool_call_generation(frame: str, trace: dict[str, Any]) -> ChatGeneration | None:
    """The served tool call: the message ``frame`` holds (recorded, or made for a reuse by
    :func:`reframe_tool_call`), as it is, with the trace. ``None`` when ``frame`` is not a tool-call frame."""
    message = _load_message(frame)
    if message is None:
        return None
    metadata = {**message.response_metadata, "stepcache": trace}
    return ChatGeneration(message=message.model_copy(update={"response_metadata": metadata}))


def _rewrite_block(block: Any, old_id: str | None, new_id: str, args: dict[str, Any]) -> Any:
    if isinstance(block, dict) and block.get("type") in ("tool_use", "tool_call") and block.get("id") == old_id:
        key = "input" if "input" in block else "args"
        return {**block, key: args, "id": new_id}
    return block


def _rewrite_raw_calls(extra: dict[str, Any], old_id: str | None, new_id: str, args: dict[str, Any]) -> dict[str, Any]:
    """OpenAI-style raw ``tool_calls`` / ``function_call`` kept in ``additional_kwargs`` follow the arguments."""
    out = copy.deepcopy(extra)
    raw = out.get("tool_calls")
    if isinstance(raw, list):
        for item in raw:
            if isinstance(item, dict) and item.get("id") == old_id and isinstance(item.get("function"), dict):
                item["id"] = new_id
                item["function"]["arguments"] = json.dumps(args, ensure_ascii=False)
    fc = out.get("function_call")
    if isinstance(fc, dict) and "arguments" in fc:
        fc["arguments"] = json.dumps(args, ensure_ascii=False)
    return out
