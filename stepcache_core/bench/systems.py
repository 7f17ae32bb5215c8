"""The systems compared: ``none``, ``exact``, ``semantic`` and ``stepcache``, on one backend."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Protocol

from ..backends.base import Backend, call_backend
from ..embed import Embedder, cosine
from ..engine import EngineConfig, StepCacheEngine
from ..errors import StepCacheError, UnverifiedOutputError
from ..store import ChromaStore
from ..tasks import builtin_tasks
from ..values import Request, canonical_json

__all__ = ["Served", "System", "NoCache", "ExactCache", "SemanticCache", "StepCacheSystem", "SEMANTIC_THRESHOLD"]

# GPTCache's and RedisSemanticCache's usual setting: reuse a whole response above 0.9 cosine similarity.
SEMANTIC_THRESHOLD = 0.9


@dataclass(frozen=True)
class Served:
    output: str | None
    path: str
    latency_s: float
    prompt_tokens: int
    completion_tokens: int
    verified: bool
    backend_s: float = 0.0
    error: str | None = None
    model_calls: int = 0
    fallback: str | None = None


class System(Protocol):
    name: str

    def serve(self, row: dict[str, Any]) -> Served: ...


def _request(row: dict[str, Any]) -> Request:
    return Request(row["prompt"], task=row.get("task"), schema=row.get("schema"))


class _Generator:
    """Generates with the task's own few-shot prompt, so every system asks the model the same thing."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.tasks = builtin_tasks()

    def generate(self, row: dict[str, Any]) -> tuple[str, int, int, float]:
        request = _request(row)
        profile = self.tasks.get(request.task) if request.task else self.tasks.detect(request)
        spec = profile.prompter.generate(profile.parse(request))
        c = call_backend(self.backend, spec, None)
        return c.text, c.prompt_tokens, c.completion_tokens, c.latency_s


class NoCache(_Generator):
    name = "none"

    def serve(self, row: dict[str, Any]) -> Served:
        t = time.perf_counter()
        text, pt, ct, bs = self.generate(row)
        return Served(text, "miss", time.perf_counter() - t, pt, ct, False, bs, model_calls=1)


class ExactCache(_Generator):
    """Exact match on prompt and constraints, as LangChain's InMemoryCache."""

    name = "exact"

    def __init__(self, backend: Backend) -> None:
        super().__init__(backend)
        self._cache: dict[str, str] = {}

    def serve(self, row: dict[str, Any]) -> Served:
        t = time.perf_counter()
        key = canonical_json([row["prompt"], row.get("schema")])
        hit = self._cache.get(key)
        if hit is not None:
            return Served(hit, "reuse", time.perf_counter() - t, 0, 0, False)
        text, pt, ct, bs = self.generate(row)
        self._cache[key] = text
        return Served(text, "miss", time.perf_counter() - t, pt, ct, False, bs, model_calls=1)


class SemanticCache(_Generator):
    """Whole-response reuse above a similarity threshold, as GPTCache / RedisSemanticCache."""

    name = "semantic"

    def __init__(self, backend: Backend, embedder: Embedder, threshold: float = SEMANTIC_THRESHOLD) -> None:
        super().__init__(backend)
        self.embedder = embedder
        self.threshold = threshold
        self._entries: list[tuple[list[float], str]] = []

    def serve(self, row: dict[str, Any]) -> Served:
        t = time.perf_counter()
        vec = self.embedder.embed([row["prompt"]])[0]
        best = max(((cosine(vec, v), out) for v, out in self._entries), default=None, key=lambda p: p[0])
        if best is not None and best[0] >= self.threshold:
            return Served(best[1], "reuse", time.perf_counter() - t, 0, 0, False)
        text, pt, ct, bs = self.generate(row)
        self._entries.append((vec, text))
        return Served(text, "miss", time.perf_counter() - t, pt, ct, False, bs, model_calls=1)


class StepCacheSystem:
    name = "stepcache"

    def __init__(self, backend: Backend, embedder: Embedder, directory: str, config: EngineConfig | None = None) -> None:
        self.engine = StepCacheEngine(
            store=ChromaStore(persist_directory=directory), embedder=embedder, backend=backend, config=config
        )
        self.engine.clear()

    def serve(self, row: dict[str, Any]) -> Served:
        t = time.perf_counter()
        try:
            out = self.engine.run(_request(row))
        except UnverifiedOutputError as e:
            # a refusal: nothing served, but the model calls it took still count
            elapsed = time.perf_counter() - t
            return Served(
                None,
                "error",
                elapsed,
                e.prompt_tokens,
                e.completion_tokens,
                False,
                error=f"{type(e).__name__}: {e}",
                model_calls=e.model_calls,
            )
        except StepCacheError as e:
            return Served(None, "error", time.perf_counter() - t, 0, 0, False, error=f"{type(e).__name__}: {e}")
        tr = out.trace
        return Served(
            out.text,
            tr.path,
            tr.latency_s,
            tr.prompt_tokens,
            tr.completion_tokens,
            tr.verified,
            tr.stages.get("backend", 0.0),
            model_calls=tr.backend_calls,
            fallback=tr.fallback,
        )
