"""Fixtures for the LangChain integration tests (fakes only; the real test builds its own)."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.globals import set_llm_cache
from langchain_core.language_models import LLM

from stepcache_core import StepCacheEngine
from stepcache_core.fakes import HashEmbedder, MemoryStore


class RecordingLLM(LLM):
    """Answers from a list (repeating the last one) and records every prompt and stop list."""

    responses: list[str]
    prompts: list[str] = []
    stops: list[list[str] | None] = []

    @property
    def _llm_type(self) -> str:
        return "recording"

    def _call(
        self, prompt: str, stop: list[str] | None = None, run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any
    ) -> str:
        self.prompts.append(prompt)
        self.stops.append(stop)
        i = min(len(self.prompts) - 1, len(self.responses) - 1)
        return self.responses[i]


@pytest.fixture(autouse=True)
def _reset_global_cache() -> Any:
    set_llm_cache(None)
    yield
    set_llm_cache(None)


@pytest.fixture
def engine() -> StepCacheEngine:
    return StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder())


@pytest.fixture
def recording_llm() -> type[RecordingLLM]:
    return RecordingLLM
