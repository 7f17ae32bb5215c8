"""The formats corpus through LlamaIndex: ``StepCacheLLM`` around a chat model that answers in the styles of widely
used assistants (scripted: :class:`StyledLLM`), called with the caller's own ``ChatPromptTemplate`` through
``llm.predict``. ``python -m stepcache_llamaindex.bench_formats`` prints the corpus rows as JSON lines; :func:`main`
is registered as the ``llamaindex`` route of ``stepcache.bench_formats`` (``pyproject.toml``), which ``stepcache bench
--formats`` runs in its own process (the core never imports LlamaIndex).
"""

from __future__ import annotations

import argparse
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    CompletionResponse,
    CompletionResponseGen,
    LLMMetadata,
    MessageRole,
    TextBlock,
    ToolCallBlock,
)
from llama_index.core.bridge.pydantic import PrivateAttr
from llama_index.core.llms import CustomLLM
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.llms.mock import MockFunctionCallingLLM
from llama_index.core.prompts import ChatPromptTemplate

from stepcache_core import StepCacheEngine
from stepcache_core.bench.formats import Served, StyledAssistant, memory_engine, run_corpus
from stepcache_core.bench.formats_json import JsonServed, print_rows, run_json_corpus
from stepcache_core.bench.formats_json_corpus import TOOL_STYLES

from .llm import StepCacheLLM

__all__ = ["StyledLLM", "ToolCallingLLM", "PROMPT", "LlamaIndexRoute", "ProgramRoute", "ToolRoute", "TOOL_MODES", "main"]

PROMPT = ChatPromptTemplate(
    message_templates=[
        ChatMessage(role=MessageRole.SYSTEM, content="You are a patient math tutor. Explain every step."),
        ChatMessage(role=MessageRole.USER, content="Question: {question}\nPlease explain it simply."),
    ]
)
"""The caller's own prompt: a system prompt and a template around the question."""


class StyledLLM(CustomLLM):
    """A scripted chat model answering the corpus's questions in one assistant's style; ``received`` records every
    message list (chat) or prompt (completion) it is sent."""

    assistant: Any = None
    _received: list[Any] = PrivateAttr(default_factory=list)  # not a field: fields are the model's settings

    @property
    def received(self) -> list[Any]:
        return self._received

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(is_chat_model=True, model_name=f"styled:{self.assistant.style}")

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        self.received.append(list(messages))
        text = self.assistant.respond("\n\n".join(m.content or "" for m in messages))
        return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text))

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        self.received.append(prompt)
        return CompletionResponse(text=self.assistant.respond(prompt))

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        response = self.complete(prompt, formatted=formatted)
        yield CompletionResponse(text=response.text, delta=response.text)


def _same(a: Any, b: Sequence[ChatMessage]) -> bool:
    return isinstance(a, list) and [(m.role, m.content) for m in a] == [(m.role, m.content) for m in b]


class LlamaIndexRoute:
    """``StepCacheLLM(llm=model).predict(PROMPT, question=...)``."""

    name = "llamaindex"

    def __init__(self, make_engine: Callable[[], StepCacheEngine] = memory_engine) -> None:
        self._make_engine = make_engine

    def open(self, assistant: StyledAssistant) -> Callable[[str], Served]:
        model = StyledLLM(assistant=assistant)
        llm = StepCacheLLM(llm=model, engine=self._make_engine())

        def serve(question: str) -> Served:
            seen = len(model.received)
            text = llm.predict(PROMPT, question=question)
            trace = llm.last_trace or {}
            calls = len(model.received) - seen
            verbatim = None
            if calls and trace.get("path") in ("miss", "skip"):
                verbatim = _same(model.received[seen], PROMPT.format_messages(question=question))
            return Served(text, str(trace.get("path")), calls, verbatim)

        return serve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--summary", action="store_true", help="print the summary instead of the rows")
    args = parser.parse_args(argv)
    rows = run_corpus(LlamaIndexRoute())
    json_rows = [r for mode in ("program", "structured_predict", "system_prompt") for r in run_json_corpus(ProgramRoute(mode))]
    json_rows += [r for mode in TOOL_MODES for r in run_json_corpus(ToolRoute(mode), wrappers=tuple(TOOL_STYLES))]
    print_rows(rows, json_rows, summary=args.summary)
    return 0


# ---------------------------------------------------------------- JSON through LlamaIndex programs


class ProgramRoute:
    """``LLMTextCompletionProgram`` (its output parser appends the schema to the caller's prompt) or
    ``structured_predict``, on ``StepCacheLLM`` around a chat model answering in one JSON wrapper."""

    def __init__(self, mode: str = "program", make_engine: Callable[[], StepCacheEngine] = memory_engine) -> None:
        if mode not in ("program", "structured_predict", "system_prompt"):
            raise ValueError(f"unknown mode {mode!r}")
        self.mode, self._make_engine = mode, make_engine
        self.name = f"llamaindex:{mode}"

    def open(self, assistant: Any, case: Any) -> Callable[[str], Any]:
        from llama_index.core.program import LLMTextCompletionProgram
        from llama_index.core.prompts import PromptTemplate

        model = StyledLLM(assistant=assistant)
        llm = StepCacheLLM(llm=model, engine=self._make_engine())
        template = "Extract the record.\nText: {text}"
        program = LLMTextCompletionProgram.from_defaults(output_cls=case.model, prompt_template_str=template, llm=llm)

        from llama_index.core.output_parsers import PydanticOutputParser

        parser = PydanticOutputParser(case.model)
        system = ChatMessage(
            role=MessageRole.SYSTEM, content="Extract the record.\n" + parser.get_format_string(escape_json=False)
        )

        def serve(text: str) -> JsonServed:
            seen = len(model.received)
            if self.mode == "program":
                value = program(text=text)
            elif self.mode == "system_prompt":  # the parser's instructions in the system prompt, the record alone
                value = parser.parse(str(llm.chat([system, ChatMessage(role=MessageRole.USER, content=text)]).message.content))
            else:
                value = llm.structured_predict(case.model, PromptTemplate(template), text=text)
            trace = llm.last_trace or {}
            calls = len(model.received) - seen
            verbatim = None
            if calls and trace.get("path") in ("miss", "skip"):
                got = model.received[seen]  # the program's (or the inner structured_predict's) own prompt
                verbatim = isinstance(got, list) and text in str(got[-1].content)
                verbatim = verbatim and "JSON schema" in str(got[-1].content if self.mode != "system_prompt" else got[0].content)
            return JsonServed(value.model_dump(), None, str(trace.get("path")), calls, verbatim)

        return serve


# ---------------------------------------------------------------- JSON as tool calls

TOOL_MODES = ("chat_with_tools", "FunctionCallingProgram")


class ToolCallingLLM(MockFunctionCallingLLM):
    """LlamaIndex's own ``MockFunctionCallingLLM``, scripted: given tools, it answers with one ``ToolCallBlock``
    for the first tool, whose arguments are the record the corpus's text states (``anthropic-tool-use``: a
    sentence first). It keeps every message list it is sent (``received``)."""

    _assistant: Any = PrivateAttr()
    _received: list[list[ChatMessage]] = PrivateAttr(default_factory=list)
    _narration: str | None = PrivateAttr(default=None)

    def __init__(self, assistant: Any, narration: str | None = None, **kwargs: Any) -> None:
        """``narration``: the text beside the call, formatted with its arguments (default: "I'll record that." in
        the ``anthropic-tool-use`` style, none in the others)."""
        super().__init__(is_chat_model=True, **kwargs)
        self._assistant = assistant
        self._received = []
        self._narration = narration
        self.response_generator = self._answer

    @property
    def received(self) -> list[list[ChatMessage]]:
        return self._received

    def _answer(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatMessage:
        self._received.append(list(messages))
        prompt = "\n\n".join(m.content or "" for m in messages)
        self._assistant.respond(prompt)
        tools = kwargs.get("tools") or []
        if not tools:
            return ChatMessage(role=MessageRole.ASSISTANT, content="I need a tool to record that.")
        args = self._assistant.answer_for(prompt) or {}
        call = ToolCallBlock(
            tool_call_id=f"call_{uuid.uuid4().hex[:24]}", tool_name=tools[0].metadata.get_name(), tool_kwargs=args
        )
        if self._narration is not None:
            said = [TextBlock(text=self._narration.format(**args))]
        else:
            said = [TextBlock(text="I'll record that.")] if self._assistant.style == "anthropic-tool-use" else []
        return ChatMessage(role=MessageRole.ASSISTANT, blocks=[*said, call])


class ToolRoute:
    """``llm.chat_with_tools([tool], user_msg=...)`` or ``FunctionCallingProgram`` on ``StepCacheLLM`` around a
    function-calling LLM: the answer is a tool call, and so must every reuse be."""

    def __init__(self, mode: str, make_engine: Callable[[], StepCacheEngine] = memory_engine) -> None:
        if mode not in TOOL_MODES:
            raise ValueError(f"unknown mode {mode!r}; choose from {TOOL_MODES}")
        self.mode, self._make_engine = mode, make_engine
        self.name = f"llamaindex:{mode}"

    def open(self, assistant: Any, case: Any) -> Callable[[str], Any]:
        from llama_index.core.program import FunctionCallingProgram
        from llama_index.core.program.function_program import get_function_tool

        model = ToolCallingLLM(assistant)
        llm = StepCacheLLM(llm=model, engine=self._make_engine())
        tool = get_function_tool(case.model)
        program = FunctionCallingProgram.from_defaults(output_cls=case.model, prompt_template_str="Record this: {text}", llm=llm)
        first: dict[str, str] = {}

        def serve(text: str) -> JsonServed:
            seen = len(model.received)
            kept: bool | None = None
            if self.mode == "chat_with_tools":
                response = llm.chat_with_tools([tool], user_msg=f"Record this: {text}")
                selections = llm.get_tool_calls_from_response(response, error_on_no_tool_call=False)
                value = selections[0].tool_kwargs if len(selections) == 1 else None
                calls = len(model.received) - seen
                if calls and len(selections) == 1:
                    first[text] = selections[0].tool_id
                kept = len(selections) == 1 and selections[0].tool_name == case.model.__name__
                if kept and not calls:  # an exact repeat keeps the call's id; a reuse gets its own
                    kept = selections[0].tool_id == first[text] if text in first else selections[0].tool_id not in first.values()
            else:
                result: Any = program(text=text)
                value = result.model_dump()
                calls = len(model.received) - seen
            trace = llm.last_trace or {}
            verbatim = None
            if calls:
                verbatim = str(model.received[seen][-1].content) == f"Record this: {text}"
            return JsonServed(value, None, "miss" if calls else str(trace.get("path")), calls, verbatim, tool_call=kept)

        return serve


if __name__ == "__main__":
    raise SystemExit(main())
