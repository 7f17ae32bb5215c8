"""Fakes for the LlamaIndex integration tests: a scripted LlamaIndex LLM and a wrapper factory."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from llama_index.core.base.llms.types import CompletionResponse, CompletionResponseGen, LLMMetadata
from llama_index.core.bridge.pydantic import PrivateAttr
from llama_index.core.llms import CustomLLM
from llama_index.core.llms.callbacks import llm_completion_callback

from stepcache_core import EngineConfig, StepCacheEngine
from stepcache_core.fakes import HashEmbedder, MemoryStore
from stepcache_llamaindex import StepCacheLLM

BASE = "Solve for x: 3x + 5 = 20"
BASE_STEPS = "3x = 20 - 5\n3x = 15\nx = 5"
PERSON = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "age": {"type": "integer"}, "city": {"type": "string"}},
    "required": ["name", "age", "city"],
}
MARIA = "Maria Lopez is 34 and lives in Madrid."
MARIA_JSON = '{"name": "Maria Lopez", "age": 34, "city": "Madrid"}'


class ScriptedLLM(CustomLLM):
    """A LlamaIndex LLM answering through ``respond(prompt)``; records every prompt it gets."""

    is_chat_model: bool = False
    model: str = "scripted-1"
    temperature: float = 0.0
    _respond: Callable[[str], str] = PrivateAttr()
    _calls: list[tuple[str, bool]] = PrivateAttr(default_factory=list)

    def __init__(self, respond: Callable[[str], str] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._respond = respond or (lambda p: f"ANSWER to {p.splitlines()[-1] if p else ''}")
        self._calls = []

    @property
    def calls(self) -> list[tuple[str, bool]]:
        return self._calls

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(context_window=4096, num_output=64, is_chat_model=self.is_chat_model, model_name=self.model)

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        self._calls.append((prompt, formatted))
        text = self._respond(prompt)
        return CompletionResponse(
            text=text, raw={"usage": {"prompt_tokens": len(prompt.split()), "completion_tokens": len(text.split())}}
        )

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        self._calls.append((prompt, formatted))
        text = self._respond(prompt)

        def gen() -> CompletionResponseGen:
            acc = ""
            for piece in re.findall(r"\S+\s*|\s+", text):
                acc += piece
                yield CompletionResponse(text=acc, delta=piece)

        return gen()


def math_and_json(prompt: str) -> str:
    """Answers the base equation and Maria's record, asked the caller's way or in the engine's few-shot framing;
    anything else is echoed."""
    last = prompt.rstrip().splitlines()[-1] if prompt.strip() else ""
    if last.startswith("Equation: 3x + 5 = 20") or BASE in prompt:
        return BASE_STEPS
    if "Maria Lopez is 34" in prompt:
        return MARIA_JSON
    return f"ANSWER to {last}"


@pytest.fixture
def make_llm():
    def make(respond: Callable[[str], str] | None = math_and_json, *, inner: Any = None, threshold: float = 0.3, **kwargs: Any):
        inner = inner if inner is not None else ScriptedLLM(respond)
        engine = StepCacheEngine(
            store=MemoryStore(), embedder=HashEmbedder(), config=EngineConfig(similarity_threshold=threshold)
        )
        return StepCacheLLM(llm=inner, engine=engine, **kwargs), inner

    return make
