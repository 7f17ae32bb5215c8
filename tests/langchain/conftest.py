"""Fixtures for the LangChain integration tests (fakes only; the real test builds its own)."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.globals import set_llm_cache
from langchain_core.language_models import LLM
from pydantic import PrivateAttr

from stepcache_core import StepCacheEngine
from stepcache_core.fakes import HashEmbedder, MemoryStore


class RecordingLLM(LLM):
    """Answers from a list (repeating the last one) and records every prompt and stop list (apart from its fields: a
    wrapper reads a model's fields at every call, and a list of prompts in a field named like an instruction would be
    read as the model's own)."""

    responses: list[str]
    _prompts: list[str] = PrivateAttr(default_factory=list)
    _stops: list[list[str] | None] = PrivateAttr(default_factory=list)

    @property
    def prompts(self) -> list[str]:
        return self._prompts

    @property
    def stops(self) -> list[list[str] | None]:
        return self._stops

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
