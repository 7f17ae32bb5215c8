"""Tool calls through a ``FunctionCallingLLM``: an answer that is one call of the one tool a request offers.

``chat_with_tools`` with a single tool (``FunctionCallingProgram``, ``structured_predict`` on function-calling
models, ``predict_and_call`` with one tool) asks for that tool's arguments: JSON the ``json_extraction`` task
checks against the tool's parameters, grounded in the user's message. The arguments are stored with a *frame*
(the tool's name, the call id and the message text around the call), and a reuse is served as a
``ChatResponse`` whose message holds the same text and a ``ToolCallBlock`` with the adapted arguments and a
fresh call id (:func:`reframe_tool_call`), stored with the reuse: asked again, it is served that same call.

With several tools, which tool answers is the model's decision, which no check can verify for another
request: those calls go to the inner LLM unchanged.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from llama_index.core.base.llms.types import ChatMessage, ChatResponse, MessageRole, TextBlock, ToolCallBlock
from llama_index.core.llms.llm import ToolSelection

if TYPE_CHECKING:
    from llama_index.core.tools import BaseTool

__all__ = ["OneTool", "one_tool", "tool_call_answer", "reframe_tool_call", "served_tool_call", "served_selections", "FRAME_TAG"]

logger = logging.getLogger("stepcache_llamaindex")

FRAME_TAG = "stepcache_tool_call"


@dataclass(frozen=True)
class OneTool:
    name: str
    schema: Mapping[str, Any]


def one_tool(tools: Sequence[BaseTool]) -> OneTool | None:
    """The request's one tool: its name and the JSON Schema of its arguments (``None`` for several tools,
    or a tool without arguments or a readable schema)."""
    if len(tools) != 1:
        return None
    try:
        meta = tools[0].metadata
        name = meta.get_name()
        schema = meta.get_parameters_dict()
    except Exception as e:  # a tool whose metadata cannot be read: the inner LLM serves it
        logger.debug("stepcache: tool metadata unreadable (%s)", e)
        return None
    if not name or not isinstance(schema, Mapping) or schema.get("type") != "object" or not schema.get("properties"):
        return None  # no arguments: nothing the text could state, nothing to check
    return OneTool(name, schema)


def tool_call_answer(response: ChatResponse, selections: Sequence[ToolSelection], tool: OneTool) -> tuple[str, str] | None:
    """``(arguments JSON, frame)`` when the answer is one call of ``tool``; ``None`` otherwise."""
    if len(selections) != 1:
        return None
    sel = selections[0]
    if sel.tool_name != tool.name or not isinstance(sel.tool_kwargs, dict):
        return None
    text = "".join(b.text for b in response.message.blocks if isinstance(b, TextBlock))
    try:
        args = json.dumps(sel.tool_kwargs, ensure_ascii=False, indent=2)
    except (TypeError, ValueError):
        return None
    frame = json.dumps({FRAME_TAG: 1, "name": tool.name, "id": sel.tool_id, "text": text}, ensure_ascii=False)
    return args, frame


def _fresh_id(old: str) -> str:
    head = old.rsplit("_", 1)[0] + "_" if "_" in old else old.rsplit("-", 1)[0] + "-" if "-" in old else "call_"
    return f"{head}{uuid.uuid4().hex[:24]}"


def reframe_tool_call(frame: str, text: str) -> str:
    """The frame of a reuse (``StepCacheEngine.lookup``'s ``reframe``): the recorded one with a fresh call id (the
    arguments are the served text). ``""`` when ``frame`` is not a tool-call frame."""
    try:
        data = json.loads(frame)
    except ValueError:
        return ""
    if not isinstance(data, dict) or data.get(FRAME_TAG) != 1:
        return ""
    return json.dumps({**data, "id": _fresh_id(str(data.get("id") or ""))}, ensure_ascii=False)


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
        ToolSelection(tool_id=b.tool_call_id or "", tool_name=b.tool_name, tool_kwargs=b.tool_kwargs if isinstance(b.tool_kwargs, dict) else {})
        for b in calls
    ]
