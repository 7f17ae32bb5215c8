"""Free text through ``set_llm_cache``: StepCache against LangChain's ``SQLiteCache``, side by side.

``python -m stepcache_langchain.bench_cache --n 300`` prints one JSON line with p50/p95 (ms) of a lookup
miss, an update and a lookup hit for each cache, on the same chat prompts. :func:`main` is registered as the
``langchain`` route of ``stepcache.bench_cache`` (``pyproject.toml``), which ``stepcache bench --scale`` runs in its
own process (the core never imports LangChain).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
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


_FIRST_ANSWERS = ("3x = 15\nx = 5", "3x = 13\nx = 13/3")


def first_calls(root: Path) -> dict[str, Any]:
    """This fresh process's first calls through ``set_llm_cache`` (an instant fake model, so the time is all the
    cache's): a miss on an empty store (opening Chroma, never loading the embedding model), the same after a
    ``warm=True`` cache finished warming up, and whether the miss loaded the embedding model."""
    from langchain_core.globals import set_llm_cache
    from langchain_core.language_models import FakeListLLM

    from stepcache_core import embed

    from .cache import StepCache

    out: dict[str, Any] = {}
    try:
        set_llm_cache(StepCache(persist_directory=root / "cold"))
        llm = FakeListLLM(responses=list(_FIRST_ANSWERS))
        t = time.perf_counter()
        llm.invoke("Solve for x: 3x + 5 = 20")
        out["first_miss_s"] = round(time.perf_counter() - t, 3)
        out["embedder_loaded_by_the_miss"] = bool(embed._MODELS)
        warm = StepCache(persist_directory=root / "warm", warm=True)
        deadline = time.time() + 120
        while not (warm._lazy.built and embed._MODELS) and time.time() < deadline:
            time.sleep(0.05)
        set_llm_cache(warm)
        t = time.perf_counter()
        llm.invoke("Solve for x: 4x + 1 = 9")
        out["first_miss_after_warm_s"] = round(time.perf_counter() - t, 3)
    finally:
        set_llm_cache(None)
    return out


def _last_json(stdout: str) -> dict[str, Any] | None:
    """The last line of ``stdout`` that is a JSON object (a library may print other lines)."""
    for line in reversed(stdout.strip().splitlines()):
        try:
            found = json.loads(line)
        except ValueError:
            continue
        if isinstance(found, dict):
            return found
    return None


def first_hit(root: Path) -> dict[str, Any]:
    """This fresh process's first call through ``set_llm_cache`` on the store :func:`first_calls` populated: the
    identical request, served from the store (opened on this call: it holds entries, so a hit is waited for)."""
    from langchain_core.globals import set_llm_cache
    from langchain_core.language_models import FakeListLLM

    from .cache import StepCache

    try:
        cache = StepCache(persist_directory=root / "cold")
        set_llm_cache(cache)
        llm = FakeListLLM(responses=list(_FIRST_ANSWERS))  # the same model (its responses are in its llm_string)
        t = time.perf_counter()
        llm.invoke("Solve for x: 3x + 5 = 20")
        elapsed = time.perf_counter() - t
        trace = cache.last_trace or {}
        return {"first_hit_s": round(elapsed, 3), "served_from_the_store": trace.get("path") == "reuse"}
    finally:
        set_llm_cache(None)


def _fresh_process(flag: str, root: Path) -> dict[str, Any]:
    proc = subprocess.run(  # a fresh process of its own: nothing imported or opened yet
        [sys.executable, "-m", "stepcache_langchain.bench_cache", flag, str(root)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    found = _last_json(proc.stdout) or {"error": proc.stderr[-1500:] or "no output"}
    if proc.returncode != 0:  # what it measured stands; how it ended is reported beside it
        found = {**found, "exit_code": proc.returncode, "stderr": proc.stderr[-1500:]}
    return found


def measure(n: int = 300) -> dict[str, Any]:
    root = Path(tempfile.mkdtemp(prefix="sc-lc-bench-"))
    first = _fresh_process("--first-calls", root)
    if "first_miss_s" in first:
        first.update(_fresh_process("--first-hit", root))

    from langchain_community.cache import SQLiteCache

    from .cache import StepCache

    prompts = [dumps([HumanMessage(content=q)]) for q in _questions(n)]
    llm_string = "chat-model-settings"
    ours = StepCache(persist_directory=root / "stepcache")
    theirs = SQLiteCache(database_path=str(root / "lc.sqlite"))
    # warm both (imports, first open) on a prompt outside the timed set
    for cache in (ours, theirs):
        cache.lookup(dumps([HumanMessage(content="warm up")]), llm_string)
    result = {"n": n, "stepcache": _time(ours, prompts, llm_string), "sqlite": _time(theirs, prompts, llm_string)}
    from stepcache_core import embed

    result["embedder_loaded"] = bool(embed._MODELS)
    result["first_calls"] = first
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--first-calls", metavar="DIR", default=None, help="only this process's first calls, under DIR")
    parser.add_argument("--first-hit", metavar="DIR", default=None, help="only this process's first hit, under DIR")
    args = parser.parse_args(argv)
    if args.first_calls:
        print(json.dumps(first_calls(Path(args.first_calls))))
    elif args.first_hit:
        print(json.dumps(first_hit(Path(args.first_hit))))
    else:
        print(json.dumps(measure(args.n)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
