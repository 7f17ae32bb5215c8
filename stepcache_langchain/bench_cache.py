"""Free text through ``set_llm_cache``: StepCache against LangChain's ``SQLiteCache``, side by side.

``python -m stepcache_langchain.bench_cache --n 300`` prints one JSON line with p50/p95 (ms) of a lookup
miss, an update and a lookup hit for each cache, on the same chat prompts. :func:`main` is registered as the
``langchain`` route of ``stepcache.bench_cache`` (``pyproject.toml``), which ``stepcache bench --scale`` runs in its
own process (the core never imports LangChain).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from langchain_core.caches import BaseCache
from langchain_core.load import dumps
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.outputs import ChatGeneration

__all__ = ["measure", "main"]

_TOPICS = ["tides", "photosynthesis", "inflation", "volcanoes", "jazz", "glaciers", "vaccines", "bridges", "bees", "comets"]


def _questions(n: int) -> list[str]:
    return [f"In two sentences, explain {_TOPICS[i % 10]} to a {8 + i % 50}-year-old reader (question {i})." for i in range(n)]


def _ms(values: list[float]) -> dict[str, float]:
    vals = sorted(values)
    return {"p50_ms": round(vals[len(vals) // 2] * 1000, 3), "p95_ms": round(vals[int(0.95 * (len(vals) - 1))] * 1000, 3)}


def _time(cache: BaseCache, prompts: list[str], llm_string: str) -> dict[str, Any]:
    miss, update, hit = [], [], []
    for i, p in enumerate(prompts):
        t = time.perf_counter()
        assert cache.lookup(p, llm_string) is None
        miss.append(time.perf_counter() - t)
        gen = [ChatGeneration(message=AIMessage(content=f"Answer {i}: a short, plain explanation."))]
        t = time.perf_counter()
        cache.update(p, llm_string, gen)
        update.append(time.perf_counter() - t)
    for p in prompts:
        t = time.perf_counter()
        assert cache.lookup(p, llm_string) is not None
        hit.append(time.perf_counter() - t)
    return {"lookup_miss": _ms(miss), "update": _ms(update), "lookup_hit": _ms(hit)}


def measure(n: int = 300) -> dict[str, Any]:
    from langchain_community.cache import SQLiteCache

    from .cache import StepCache

    prompts = [dumps([HumanMessage(content=q)]) for q in _questions(n)]
    llm_string = "chat-model-settings"
    root = Path(tempfile.mkdtemp(prefix="sc-lc-bench-"))
    ours = StepCache(persist_directory=root / "stepcache")
    theirs = SQLiteCache(database_path=str(root / "lc.sqlite"))
    # warm both (imports, first open) on a prompt outside the timed set
    for cache in (ours, theirs):
        cache.lookup(dumps([HumanMessage(content="warm up")]), llm_string)
    result = {"n": n, "stepcache": _time(ours, prompts, llm_string), "sqlite": _time(theirs, prompts, llm_string)}
    from stepcache_core import embed

    result["embedder_loaded"] = bool(embed._MODELS)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=300)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.n)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
