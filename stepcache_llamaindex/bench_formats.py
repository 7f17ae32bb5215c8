"""The formats corpus through LlamaIndex: ``StepCacheLLM`` around a chat model that answers in the styles of widely
used assistants (scripted: :class:`StyledLLM`), called with the caller's own ``ChatPromptTemplate`` through
``llm.predict``. ``python -m stepcache_llamaindex.bench_formats`` prints the corpus rows as JSON lines
(``stepcache bench --formats`` runs it in a subprocess, so the core never imports LlamaIndex).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from typing import Any

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    CompletionResponse,
    CompletionResponseGen,
    LLMMetadata,
    MessageRole,
)
from llama_index.core.bridge.pydantic import PrivateAttr
from llama_index.core.llms import CustomLLM
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.prompts import ChatPromptTemplate

from stepcache_core import MemoryStore, StepCacheEngine
from stepcache_core.bench.formats import Served, StyledAssistant, run_corpus, summarize_corpus
from stepcache_core.fakes import HashEmbedder

from .llm import StepCacheLLM

__all__ = ["StyledLLM", "PROMPT", "LlamaIndexRoute", "main"]

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


def _engine() -> StepCacheEngine:
    return StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder())


def _same(a: Any, b: Sequence[ChatMessage]) -> bool:
    return isinstance(a, list) and [(m.role, m.content) for m in a] == [(m.role, m.content) for m in b]


class LlamaIndexRoute:
    """``StepCacheLLM(llm=model).predict(PROMPT, question=...)``."""

    name = "llamaindex"

    def __init__(self, make_engine: Callable[[], StepCacheEngine] = _engine) -> None:
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
    if args.summary:
        print(json.dumps(summarize_corpus(rows), indent=2))
    else:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
