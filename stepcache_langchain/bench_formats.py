"""The formats corpus through LangChain: a chain with its own system prompt and template, around a chat model that
answers in the styles of widely used assistants (scripted: :class:`StyledChatModel`).

Two routes: ``set_llm_cache(StepCache(...))`` (the cache sees LangChain's serialized messages; on a miss LangChain
returns the model's answer, the cache decides what it keeps) and ``StepCacheRunnable`` (every call goes through
the engine). ``python -m stepcache_langchain.bench_formats`` prints the corpus rows as JSON lines; :func:`main` is
registered as the ``langchain`` route of ``stepcache.bench_formats`` (``pyproject.toml``), which ``stepcache bench
--formats`` runs in its own process (the core never imports LangChain).
"""

from __future__ import annotations

import argparse
import json
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.globals import get_llm_cache, set_llm_cache
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.output_parsers import JsonOutputParser, PydanticOutputParser, StrOutputParser
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import BaseModel, ConfigDict, Field

from stepcache_core import StepCacheEngine
from stepcache_core.bench.formats import Served, StyledAssistant, memory_engine, run_corpus
from stepcache_core.bench.formats_json import JsonServed, print_rows, run_json_corpus
from stepcache_core.bench.formats_json_corpus import TOOL_STYLES

from .cache import StepCache
from .runnable import StepCacheRunnable

__all__ = [
    "StyledChatModel",
    "ToolCallingChatModel",
    "PROMPT",
    "CacheRoute",
    "RunnableRoute",
    "ParserRoute",
    "ToolRoute",
    "JSON_PARSERS",
    "TOOL_MODES",
    "make_parser",
    "main",
]

SYSTEM = "You are a patient math tutor. Explain every step."
PROMPT = ChatPromptTemplate.from_messages([("system", SYSTEM), ("human", "Question: {question}\nPlease explain it simply.")])
"""The caller's own prompt: a system prompt and a template around the question."""


class StyledChatModel(BaseChatModel):
    """A scripted chat model: answers the corpus's questions in one assistant's style and records every message
    list it is sent (``received``)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    assistant: Any
    received: list[list[BaseMessage]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "styled-chat"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"style": self.assistant.style}

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.received.append(list(messages))
        text = self.assistant.respond("\n\n".join(str(m.content) for m in messages))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])


def invoke_under(cache: StepCache | None, chain: Any, inputs: dict[str, Any]) -> Any:
    """``chain.invoke(inputs)`` with ``cache`` as LangChain's global LLM cache (its trace reset), then the previous
    cache restored; ``None`` invokes the chain as it is."""
    previous = get_llm_cache()
    if cache is not None:
        cache.last_trace = None
        set_llm_cache(cache)
    try:
        return chain.invoke(inputs)
    finally:
        set_llm_cache(previous)


class _EngineRoute:
    """A route that builds a fresh engine for each corpus run (``make_engine``)."""

    def __init__(self, make_engine: Callable[[], StepCacheEngine] = memory_engine) -> None:
        self._make_engine = make_engine


class CacheRoute(_EngineRoute):
    """``set_llm_cache(StepCache(...))`` in front of ``PROMPT | model | StrOutputParser()``."""

    name = "set_llm_cache"

    def open(self, assistant: StyledAssistant) -> Callable[[str], Served]:
        model = StyledChatModel(assistant=assistant)
        cache = StepCache(engine=self._make_engine())
        chain = PROMPT | model | StrOutputParser()

        def serve(question: str) -> Served:
            seen = len(model.received)
            text = invoke_under(cache, chain, {"question": question})
            calls = len(model.received) - seen
            if calls:
                sent = PROMPT.invoke({"question": question}).to_messages()
                return Served(text, "miss", calls, model.received[seen] == sent)
            trace: dict[str, Any] = cache.last_trace or {}
            return Served(text, str(trace.get("path", "reuse")), 0)

        return serve


class RunnableRoute(_EngineRoute):
    """``PROMPT | with_step_cache(model) | StrOutputParser()``."""

    name = "runnable"

    def open(self, assistant: StyledAssistant) -> Callable[[str], Served]:
        model = StyledChatModel(assistant=assistant)
        cached = StepCacheRunnable(model, engine=self._make_engine())
        chain = PROMPT | cached | StrOutputParser()

        def serve(question: str) -> Served:
            seen = len(model.received)
            text = chain.invoke({"question": question})
            trace = cached.last_trace or {}
            calls = len(model.received) - seen
            verbatim = None
            if calls and trace.get("path") in ("miss", "skip"):
                verbatim = model.received[seen] == PROMPT.invoke({"question": question}).to_messages()
            return Served(text, str(trace.get("path")), calls, verbatim)

        return serve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--summary", action="store_true", help="print the summary instead of the rows")
    args = parser.parse_args(argv)
    rows = run_corpus(CacheRoute()) + run_corpus(RunnableRoute())
    json_rows = [
        r
        for p in JSON_PARSERS
        for m in ("set_llm_cache", "runnable")
        for placement in ("human", "system")  # the parser's instructions in the human turn or the system prompt
        for r in run_json_corpus(ParserRoute(p, m, placement=placement))
    ]
    json_rows += [r for m in TOOL_MODES for r in run_json_corpus(ToolRoute(m), wrappers=tuple(TOOL_STYLES))]
    print_rows(rows, json_rows, summary=args.summary)
    return 0


# ---------------------------------------------------------------- JSON through LangChain's output parsers

JSON_PARSERS = ("PydanticOutputParser", "JsonOutputParser", "StructuredOutputParser")


def make_parser(kind: str, model: type[BaseModel]) -> Any:
    """A real LangChain output parser for ``model``."""
    if kind == "PydanticOutputParser":
        return PydanticOutputParser(pydantic_object=model)
    if kind == "JsonOutputParser":
        return JsonOutputParser(pydantic_object=model)
    from langchain_classic.output_parsers import ResponseSchema, StructuredOutputParser

    types = {"string": "string", "integer": "integer", "boolean": "boolean", "array": "List[string]"}
    schemas = [
        ResponseSchema(name=name, description=str(prop.get("description", name)), type=types.get(str(prop.get("type")), "string"))
        for name, prop in model.model_json_schema()["properties"].items()
    ]
    return StructuredOutputParser.from_response_schemas(schemas)


EXTRACT = ChatPromptTemplate.from_messages(
    [
        ("system", "You extract structured data from text."),
        ("human", "Extract the record.\n{format_instructions}\n\nText: {text}"),
    ]
)


EXTRACT_IN_SYSTEM = ChatPromptTemplate.from_messages(
    [
        ("system", "You extract structured data from text. Extract the record.\n{format_instructions}"),
        ("human", "{text}"),
    ]
)
"""A chat extractor as often written: the parser's instructions in the system prompt, the record alone in the
human turn."""


class ParserRoute:
    """``EXTRACT (format instructions of a real parser) | chat model | parser``, under ``set_llm_cache`` or with
    the model wrapped in ``StepCacheRunnable``; ``placement="system"``: the instructions in the system prompt
    (``EXTRACT_IN_SYSTEM``)."""

    def __init__(
        self, parser: str, mode: str, make_engine: Callable[[], StepCacheEngine] = memory_engine, *, placement: str = "human"
    ) -> None:
        self.parser, self.mode, self._make_engine, self.placement = parser, mode, make_engine, placement
        self.name = f"{mode}:{parser}" + (f":{placement}" if placement != "human" else "")

    def open(self, assistant: Any, case: Any) -> Callable[[str], Any]:
        model = StyledChatModel(assistant=assistant)
        parser = make_parser(self.parser, case.model)
        template = EXTRACT_IN_SYSTEM if self.placement == "system" else EXTRACT
        prompt = template.partial(format_instructions=parser.get_format_instructions())
        engine = self._make_engine()
        cache = StepCache(engine=engine) if self.mode == "set_llm_cache" else None
        runnable = StepCacheRunnable(model, engine=engine) if self.mode == "runnable" else None

        def serve(text: str) -> JsonServed:
            seen = len(model.received)
            message = invoke_under(cache, prompt | (runnable if runnable is not None else model), {"text": text})
            raw = str(message.content)
            value = parser.invoke(message)
            if isinstance(value, BaseModel):
                value = value.model_dump()
            calls = len(model.received) - seen
            trace = (cache.last_trace if cache is not None else runnable.last_trace if runnable is not None else None) or {}
            path = "miss" if cache is not None and calls else str(trace.get("path", "miss"))
            verbatim = (
                model.received[seen] == prompt.invoke({"text": text}).to_messages()
                if calls and path in ("miss", "skip")
                else None
            )
            return JsonServed(value, raw, path, calls, verbatim)

        return serve


# ---------------------------------------------------------------- JSON as tool calls

TOOL_MODES = ("bind_tools", "with_structured_output", "runnable")
"""``set_llm_cache`` with ``bind_tools`` or ``with_structured_output``; ``StepCacheRunnable`` around ``bind_tools``."""

TOOL_PROMPT = ChatPromptTemplate.from_messages(
    [("system", "You extract structured data from text. Always answer with a tool call."), ("human", "Record this: {text}")]
)


class ToolCallingChatModel(StyledChatModel):
    """A scripted chat model that calls tools (``bind_tools`` as providers implement it: tools converted to the
    OpenAI format, passed as call keyword arguments). Given tools, it answers with one call of the tool
    ``tool_choice`` names (or the first), in the assistant's tool style (:data:`TOOL_STYLES`)."""

    narration: str = Field(default="I'll record that.", exclude=True)
    """The text beside the call (Anthropic's text block, OpenAI's content), formatted with the call's arguments:
    what the scripted model writes, no setting a model is sent (left out of its dump, so never read as an
    instruction)."""

    @property
    def _llm_type(self) -> str:
        return "tool-calling-chat"

    def bind_tools(self, tools: Sequence[Any], *, tool_choice: Any = None, **kwargs: Any) -> Runnable[Any, AIMessage]:
        if tool_choice is not None:
            kwargs["tool_choice"] = tool_choice
        return self.bind(tools=[convert_to_openai_tool(t) for t in tools], **kwargs)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        tools = kwargs.get("tools")
        if not tools:
            return super()._generate(messages, stop, run_manager, **kwargs)
        self.received.append(list(messages))
        prompt = "\n\n".join(str(m.content) for m in messages)
        self.assistant.respond(prompt)  # the assistant keeps every prompt it was sent
        args = self.assistant.answer_for(prompt) or {}
        choice = kwargs.get("tool_choice")
        names = [t["function"]["name"] for t in tools]
        name = choice if isinstance(choice, str) and choice in names else names[0]
        call_id = f"call_{uuid.uuid4().hex[:24]}"
        call = {"name": name, "args": args, "id": call_id, "type": "tool_call"}
        if self.assistant.style == "anthropic-tool-use":
            content: Any = [
                {"type": "text", "text": self.narration.format(**args)},
                {"type": "tool_use", "id": call_id, "name": name, "input": args},
            ]
            message = AIMessage(
                content=content, tool_calls=[call], usage_metadata={"input_tokens": 40, "output_tokens": 20, "total_tokens": 60}
            )
        else:
            raw = {"id": call_id, "type": "function", "function": {"name": name, "arguments": json.dumps(args)}}
            said = "" if self.narration == type(self).model_fields["narration"].default else self.narration.format(**args)
            message = AIMessage(content=said, additional_kwargs={"tool_calls": [raw]}, tool_calls=[call])
        return ChatResult(generations=[ChatGeneration(message=message)])


def tool_call_kept(message: Any, name: str, first_id: str | None) -> bool:
    """One call of ``name`` whose provider copies (raw OpenAI call, Anthropic block) carry the same arguments;
    its id is ``first_id`` when given (an exact repeat), else fresh."""
    if not isinstance(message, AIMessage) or len(message.tool_calls) != 1 or message.tool_calls[0]["name"] != name:
        return False
    call = message.tool_calls[0]
    if first_id is not None and call["id"] != first_id:
        return False
    raw = message.additional_kwargs.get("tool_calls") or []
    blocks = (
        [b for b in message.content if isinstance(b, dict) and b.get("type") == "tool_use"]
        if isinstance(message.content, list)
        else []
    )
    return all(json.loads(r["function"]["arguments"]) == call["args"] and r["id"] == call["id"] for r in raw) and all(
        b["input"] == call["args"] and b["id"] == call["id"] for b in blocks
    )


class ToolRoute:
    """``TOOL_PROMPT | model.bind_tools([Model])`` or ``| model.with_structured_output(Model, include_raw=True)``
    under ``set_llm_cache``, or ``TOOL_PROMPT | StepCacheRunnable(model.bind_tools([Model]))``: the answer is a
    tool call, and so must every reuse be."""

    def __init__(self, mode: str, make_engine: Callable[[], StepCacheEngine] = memory_engine) -> None:
        if mode not in TOOL_MODES:
            raise ValueError(f"unknown mode {mode!r}; choose from {TOOL_MODES}")
        self.mode, self._make_engine = mode, make_engine
        self.name = "runnable:bind_tools" if mode == "runnable" else f"set_llm_cache:{mode}"

    def open(self, assistant: Any, case: Any) -> Callable[[str], Any]:
        model = ToolCallingChatModel(assistant=assistant)
        engine = self._make_engine()
        bound: Any
        if self.mode == "with_structured_output":
            bound = model.with_structured_output(case.model, include_raw=True)
        elif self.mode == "runnable":
            bound = StepCacheRunnable(model.bind_tools([case.model]), engine=engine)
        else:
            bound = model.bind_tools([case.model])
        chain = TOOL_PROMPT | bound
        cache = StepCache(engine=engine) if self.mode != "runnable" else None
        first: dict[str, str | None] = {}

        def serve(text: str) -> JsonServed:
            seen = len(model.received)
            out: Any = invoke_under(cache, chain, {"text": text})
            message: Any = out["raw"] if self.mode == "with_structured_output" else out
            calls = len(model.received) - seen
            value: Any = None
            if self.mode != "with_structured_output" and isinstance(message, AIMessage) and message.tool_calls:
                value = message.tool_calls[0]["args"]
            elif self.mode == "with_structured_output" and out.get("parsed") is not None:
                value = out["parsed"].model_dump()
            if calls and isinstance(message, AIMessage) and message.tool_calls:
                first[text] = message.tool_calls[0]["id"]
            kept = tool_call_kept(message, case.model.__name__, first.get(text) if not calls else None)
            if kept and not calls and text not in first:  # a reuse: its own call id
                kept = message.tool_calls[0]["id"] not in first.values()
            trace: dict[str, Any] = (cache.last_trace if cache is not None else message.response_metadata.get("stepcache")) or {}
            path = "miss" if calls else str(trace.get("path", "miss"))
            verbatim = model.received[seen] == TOOL_PROMPT.invoke({"text": text}).to_messages() if calls else None
            return JsonServed(value, None, path, calls, verbatim, tool_call=kept)

        return serve


if __name__ == "__main__":
    raise SystemExit(main())
