"""What the integrations share: an engine built on first use.

The LangChain and LlamaIndex packages convert their framework's types and delegate to the core; the pieces they
both need and that are not a pipeline stage live here (the serving sessions are in :mod:`stepcache_core.serve`).
"""

from __future__ import annotations

import os
import threading
from typing import Any

from .config import EngineConfig
from .embed import Embedder
from .engine import StepCacheEngine
from .errors import ConfigError
from .store import ChromaStore, Store
from .tasks import TaskRegistry

__all__ = ["LazyEngine"]


class LazyEngine:
    """Holds either a ready engine or the arguments to build one on first use (what the integrations' constructors take).

    Building opens Chroma (and, on first embed, loads MiniLM), so the integrations defer it:
    constructing a LangChain cache or a LlamaIndex wrapper stays cheap, and nothing is opened
    until the first request.
    """

    def __init__(
        self,
        *,
        engine: StepCacheEngine | None = None,
        persist_directory: str | os.PathLike[str] | None = None,
        host: str | None = None,
        port: int = 8000,
        config: EngineConfig | None = None,
        tasks: TaskRegistry | None = None,
        store: Store | None = None,
        embedder: Embedder | None = None,
    ) -> None:
        if engine is not None:
            clash = [
                n
                for n, v in (
                    ("persist_directory", persist_directory),
                    ("host", host),
                    ("config", config),
                    ("tasks", tasks),
                    ("store", store),
                    ("embedder", embedder),
                )
                if v is not None
            ]
            if clash:
                raise ConfigError(f"engine= is a ready engine; do not also pass {', '.join(clash)}")
            if not isinstance(engine, StepCacheEngine):
                raise ConfigError(f"engine must be a StepCacheEngine, got {type(engine).__name__}")
        if sum(v is not None for v in (persist_directory, host, store)) > 1:
            raise ConfigError("choose one of persist_directory, host/port, store")
        self._engine = engine
        self._kw: dict[str, Any] = dict(
            persist_directory=None if persist_directory is None else os.fspath(persist_directory),
            host=host,
            port=port,
            config=config,
            tasks=tasks,
            store=store,
            embedder=embedder,
        )
        self._lock = threading.Lock()

    @property
    def built(self) -> bool:
        return self._engine is not None

    def get(self) -> StepCacheEngine:
        engine = self._engine
        if engine is not None:
            return engine
        with self._lock:
            if self._engine is None:
                kw = self._kw
                store = kw["store"]
                if kw["host"] is not None:
                    store = ChromaStore(host=kw["host"], port=kw["port"])
                self._engine = StepCacheEngine(
                    store=store,
                    embedder=kw["embedder"],
                    tasks=kw["tasks"],
                    config=kw["config"],
                    persist_directory=kw["persist_directory"],
                )
            return self._engine
