"""Tool calls through a ``FunctionCallingLLM``: an answer that is one call of the one tool a request offers.

``chat_with_tools`` with a single tool (``FunctionCallingProgram``, ``structured_predict`` on function-calling
models, ``predict_and_call`` with one tool) asks for that tool's arguments: JSON the ``json_extraction`` task
checks against the tool's parameters, grounded in the user's message. The arguments are stored with a *frame*
(the tool's name, the call id and the message text around the call), and a reuse is served as a
``ChatResponse`` whose message holds the same text and a ``ToolCallBlock`` with the adapted arguments and a
fresh call id (:func:`reframe_tool_call`), stored with the reuse: asked again, it is served that same call.

With several tools, which tool answers is the model's decision, which no check can verify for another
request: those calls go to the inner LLM unchanged.

``StepCacheLLM``'s four tool methods share one path: :func:`tool_args` binds the caller's arguments,
:func:`tool_request` makes the request, a :class:`ToolTurn` holds its session (a hit, or the caller's own call) and
:func:`tool_call_answer` is what a miss records.
"""

from __future__ import annotations

import inspect
import json
import logging
import uuid
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from llama_index.core.base.llms.types import ChatMessage, ChatResponse, MessageRole, TextBlock, ToolCallBlock
from llama_index.core.llms.function_calling import FunctionCallingLLM
from llama_index.core.llms.llm import ToolSelection

from stepcache_core import Request, Session
from stepcache_core.integration import described_schema
from stepcache_core.tasks.json import stale_mention
from stepcache_core.tasks.json.schema import inline_refs

from ._convert import JSON_TASK, AroundOf, NamespaceOf, check_content, keyed_turn, turn_context
from ._stream import inner_errors

if TYPE_CHECKING:
    from llama_index.core.tools import BaseTool

__all__ = [
    "OneTool",
    "one_tool",
    "tool_args",
    "tool_request",
    "ToolTurn",
    "tool_call_answer",
    "reframe_tool_call",
    "served_tool_call",
    "served_selections",
    "FRAME_TAG",
]

logger = logging.getLogger("stepcache_llamaindex")

FRAME_TAG = "stepcache_tool_call"


@dataclass(frozen=True)
class OneTool:
    name: str
    schema: Mapping[str, Any]
    description: str = ""
    """What the tool tells the model besides its arguments ("Book a hotel in the traveller's destination city."):
    part of the namespace, like the schema."""


def one_tool(tools: Sequence[BaseTool]) -> OneTool | None:
    """The request's one tool: its name and the JSON Schema of its arguments (``None`` for several tools,
    or a tool without arguments or a readable schema)."""
    if len(tools) != 1:
        return None
    try:
        meta = tools[0].metadata
        name = meta.get_name()
        schema = meta.get_parameters_dict()
        description = str(meta.description or "")
    except Exception as e:  # a tool whose metadata cannot be read: the inner LLM serves it
        logger.debug("stepcache: tool metadata unreadable (%s)", e)
        return None
    if not name or not isinstance(schema, Mapping) or schema.get("type") != "object" or not schema.get("properties"):
        return None  # no arguments: nothing the text could state, nothing to check
    return OneTool(name, schema, description)


# the four tool methods share FunctionCallingLLM.chat_with_tools's signature
_TOOL_METHOD = inspect.signature(FunctionCallingLLM.chat_with_tools)
# its arguments that are not settings of the call: the messages are keyed on their own
_MESSAGE_ARGS = ("user_msg", "chat_history", "verbose", "allow_parallel_tool_calls")


def tool_args(tools: Sequence[BaseTool], args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    """A tool method's arguments after ``tools``, by name, with FunctionCallingLLM's defaults filled in: the call
    the inner LLM's same method gets (a call its signature refuses raises ``TypeError`` here, as it would there)."""
    bound = _TOOL_METHOD.bind(None, tools, *args, **kwargs)
    bound.apply_defaults()
    named = {k: v for k, v in bound.arguments.items() if k not in ("self", "tools", "kwargs")}
    return {**named, **bound.arguments.get("kwargs", {})}


def tool_request(
    tools: Sequence[BaseTool], args: dict[str, Any], namespace_of: NamespaceOf, around: AroundOf | None = None
) -> tuple[Request, OneTool] | None:
    """The request of a call offering one tool (``args``: see :func:`tool_args`): the last user turn, with the
    tool's parameters as schema, titled and described as the tool is (its name and description reach the model:
    "Record the older of the two people mentioned."); the history before the turn (a system message), what the
    inner LLM adds around it (``around``: its system prompt) and the call's "instructions=..." as its context, as
    for a chat. ``None`` when the inner LLM decides and calls (several tools, tool results in the history...).
    Raises StepCache's typed errors for messages or a schema it cannot take."""
    tool = one_tool(tools)
    messages = list(args["chat_history"] or [])
    if (user_msg := args["user_msg"]) is not None:
        messages.append(ChatMessage(role=MessageRole.USER, content=user_msg) if isinstance(user_msg, str) else user_msg)
    check_content(messages)
    keyed = keyed_turn(messages)
    if tool is None or keyed is None:
        return None
    schema = inline_refs(tool.schema)
    settings = {k: v for k, v in args.items() if k not in _MESSAGE_ARGS}
    namespace = namespace_of(
        "tool", {**settings, "tool": tool.name, "tool_schema": schema, "tool_description": tool.description}, keyed[1]
    )
    context = turn_context(keyed[1], around(keyed[0]) if around is not None else "", settings)
    # the request's schema only: the inner LLM is sent the caller's tools as they are
    described = described_schema(schema, tool.name, tool.description)
    return Request(keyed[0], task=JSON_TASK, schema=described, namespace=namespace, context=context), tool


@dataclass(frozen=True)
class ToolTurn:
    """A tool method's call: ``call`` makes it on the inner LLM (named ``backend``) as the caller made it.
    ``session`` serves it (``hit``: the cached call, else a miss), or (``None``) the inner LLM decides and calls,
    uncached, with ``method`` as the trace's reason."""

    call: Callable[[], Any]
    method: str
    backend: str
    session: Session | None = None
    tool: OneTool | None = None
    hit: ChatResponse | None = None

    def served_by(self, session: Session, tool: OneTool) -> ToolTurn:
        """This turn served by ``session``: its hit rebuilt as a tool call, or declined when it cannot be (a miss)."""
        hit = None
        if session.hit is not None:
            hit = served_tool_call(session.hit.frame, session.hit.text, session.hit.trace.as_dict())
            if hit is None:
                session.decline("cached tool call not reused (its text states the cached arguments, or its frame is unreadable)")
        return replace(self, session=session, tool=tool, hit=hit)

    def _errors(self) -> AbstractContextManager[None]:
        # an uncached call's failures are the inner LLM's own, as with any bypass
        return inner_errors(self.backend) if self.session is not None else nullcontext()

    def run(self) -> Any:
        """The caller's own call (a response or a stream)."""
        with self._errors():
            return self.call()

    async def arun(self) -> Any:
        """The caller's own call, awaited."""
        with self._errors():
            return await self.call()


def tool_call_answer(reader: FunctionCallingLLM, response: ChatResponse, tool: OneTool) -> dict[str, Any]:
    """What :meth:`stepcache_core.Session.close` keeps of the inner LLM's ``response``: ``text`` (the arguments'
    JSON) and ``frame`` when it is one call of ``tool``; otherwise ``unusable``, saying why not."""
    try:
        selections = reader.get_tool_calls_from_response(response, error_on_no_tool_call=False)
        said = "".join(b.text for b in response.message.blocks if isinstance(b, TextBlock))
    except Exception as e:  # the inner LLM could not read its own response: nothing to keep
        return {"unusable": f"tool calls unreadable: {type(e).__name__}: {e}"}
    sel = selections[0] if len(selections) == 1 else None
    if sel is None or sel.tool_name != tool.name or not isinstance(sel.tool_kwargs, dict):
        return {"unusable": "not one call of the tool"}
    try:
        args = json.dumps(sel.tool_kwargs, ensure_ascii=False, indent=2)
    except (TypeError, ValueError):
        return {"unusable": "arguments are not JSON"}
    frame = json.dumps(
        {FRAME_TAG: 1, "name": tool.name, "id": sel.tool_id, "text": said, "args": sel.tool_kwargs}, ensure_ascii=False
    )
    return {"text": args, "frame": frame}


def _fresh_id(old: str) -> str:
    head = old.rsplit("_", 1)[0] + "_" if "_" in old else old.rsplit("-", 1)[0] + "-" if "-" in old else "call_"
    return f"{head}{uuid.uuid4().hex[:24]}"


def reframe_tool_call(frame: str, text: str) -> str:
    """The frame of a reuse (``StepCacheEngine.lookup``'s ``reframe``): the recorded one with a fresh call id and the
    served arguments ``text``. ``""`` when ``frame`` is not a tool-call frame, or when the text beside the call
    states an argument the reuse changed (or it cannot tell: a frame that kept no arguments)."""
    try:
        data = json.loads(frame)
        args = json.loads(text)
    except ValueError:
        return ""
    if not isinstance(data, dict) or data.get(FRAME_TAG) != 1 or not isinstance(args, dict):
        return ""
    said = str(data.get("text") or "")
    if said.strip() and ("args" not in data or stale_mention(said, data["args"], args) is not None):
        return ""
    return json.dumps({**data, "id": _fresh_id(str(data.get("id") or "")), "args": args}, ensure_ascii=False)


def served_tool_call(frame: str, text: str, trace: dict[str, Any]) -> ChatResponse | None:
    """The served response: the frame's text and one ``ToolCallBlock`` with the frame's call id (recorded, or
    made for a reuse by :func:`reframe_tool_call`) and the arguments ``text``. ``None`` when ``frame`` is not a
    tool-call frame."""
    try:
        data = json.loads(frame)
        args = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get(FRAME_TAG) != 1 or not isinstance(args, dict):
        return None
    name, call_id, said = str(data.get("name") or ""), str(data.get("id") or ""), str(data.get("text") or "")
    if not name:
        return None
    blocks: list[Any] = [TextBlock(text=said)] if said else []
    blocks.append(ToolCallBlock(tool_call_id=call_id, tool_name=name, tool_kwargs=args))
    message = ChatMessage(role=MessageRole.ASSISTANT, blocks=blocks)
    return ChatResponse(message=message, delta=said or None, additional_kwargs={"stepcache": trace})


def served_selections(response: ChatResponse) -> list[ToolSelection] | None:
    """The tool calls of a response this cache served (``None`` for any other response)."""
    trace = response.additional_kwargs.get("stepcache")
    if not isinstance(trace, dict) or trace.get("path") not in ("reuse", "patch"):
        return None
    calls = [b for b in response.message.blocks if isinstance(b, ToolCallBlock)]
    if not calls:
        return None
    return [
        ToolSelection(
            tool_id=b.tool_call_id or "",
            tool_name=b.tool_name,
            tool_kwargs=b.tool_kwargs if isinstance(b.tool_kwargs, dict) else {},
        )
        for b in calls
    ]
