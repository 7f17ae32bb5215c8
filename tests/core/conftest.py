from __future__ import annotations

import os

import pytest

from stepcache_core import EngineConfig, StepCacheEngine
from stepcache_core.fakes import HashEmbedder, MemoryStore, ScriptedBackend

PERSON = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "age": {"type": "integer"}, "city": {"type": "string"}},
    "required": ["name", "age", "city"],
}


@pytest.fixture
def make_engine():
    def make(
        script=(), *, respond=None, default=None, threshold=0.3, store=None, max_calls=EngineConfig.max_model_calls, tasks=None
    ):
        backend = ScriptedBackend(script, respond=respond, default=default)
        engine = StepCacheEngine(
            store=store or MemoryStore(),
            embedder=HashEmbedder(),
            backend=backend,
            config=EngineConfig(similarity_threshold=threshold, max_model_calls=max_calls),
            tasks=tasks,
        )
        return engine, backend

    return make


def need(module: str) -> None:
    """Skip without a real part; in CI (STEPCACHE_REQUIRE_REAL=1) a missing part fails instead."""
    try:
        __import__(module)
    except ImportError:
        if os.environ.get("STEPCACHE_REQUIRE_REAL"):
            raise
        pytest.skip(f"{module} not installed")
