"""What the LangChain cache and runnable share: how their prompts are routed and how their engine is built."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stepcache_core import Routing
from stepcache_core.integration import LazyEngine

__all__ = ["ROUTING", "lazy_engine"]

# LangChain prompts are whatever the app sends: a detected task that cannot read one serves it as exact-match text
ROUTING = Routing(text_fallback=True)

_ENGINE_ARGS = ("engine", "persist_directory", "host", "port", "config", "tasks", "store", "embedder")


def lazy_engine(args: Mapping[str, Any]) -> LazyEngine:
    """The engine described by a constructor's engine arguments (``locals()``), built on first use."""
    return LazyEngine(**{k: args[k] for k in _ENGINE_ARGS})
