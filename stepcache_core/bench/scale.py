"""``stepcache bench --scale``: hit latency against store size, embedded and through a ``chroma run``
server from several processes, hits per second, memory, a fresh process's first hit, the cost of a put
into a full (bounded) store, and free-text lookups/updates through ``set_llm_cache`` against
LangChain's ``SQLiteCache`` (the route the LangChain integration registers, run in its own process: the core
never imports LangChain).

Filler entries are written in bulk with random unit vectors of the embedder's dimension (embedding 10^5
texts with MiniLM on two cores would take longer than the whole run); the probes go through the real
engine: MiniLM embeds what it stores, and structural hits are served by adapting and verifying.
"""

from __future__ import annotations

import gc
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import plugins

__all__ = ["run_scale", "format_scale"]

BASE = "Solve for x: 3x + 5 = 20"
BASE_OUT = "3x + 5 = 20\n3x = 20 - 5\n3x = 15\nx = 5"


def _pct(values: list[float], q: float) -> float:
    vals = sorted(values)
    return vals[min(len(vals) - 1, int(q * (len(vals) - 1) + 0.5))] if vals else float("nan")


def _ms(values: list[float]) -> dict[str, float]:
    return {"p50_ms": round(_pct(values, 0.5) * 1000, 3), "p95_ms": round(_pct(values, 0.95) * 1000, 3), "n": len(values)}


def _rss_mb(pid: int | None = None) -> float:
    try:
        for line in Path(f"/proc/{pid or os.getpid()}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return float("nan")


def _filler(dimension: int, n: int, seed: int, chunk: int = 2000) -> Iterator[tuple[list[Any], list[list[float]]]]:
    """``n`` verified-looking equation entries (~10 per structure signature), in chunks: the whole set is
    never alive at once, so the measured hits do not pay for garbage collection over 10^5 filler objects."""
    import math

    from ..store import Entry

    g = random.Random(seed)
    now = time.time()
    for start in range(0, n, chunk):
        entries, vectors = [], []
        for i in range(start, min(n, start + chunk)):
            a, b, c = g.randint(2, 99), g.randint(1, 999), g.randint(1000, 9999)
            entries.append(
                Entry(
                    id=f"fill-{seed}-{i}",
                    prompt=f"Solve for q{i}: {a}q + {b} = {c}",
                    key_text=f"Solve for q{i}: {a}q + {b} = {c}",
                    task="linear_equation",
                    output=f"{a}q = {c - b}\nq = {c - b}/{a}",
                    constraints='{"required":[],"schema":null}',
                    created_at=now - n + i,
                    verified=True,
                    signature=f"filler-{i // 10}",
                )
            )
            v = [g.gauss(0, 1) for _ in range(dimension)]
            norm = math.sqrt(sum(x * x for x in v)) or 1.0
            vectors.append([x / norm for x in v])
        yield entries, vectors


def _fill(store: Any, collection: str, dimension: int, n: int, seed: int, batch: int) -> tuple[float, list[list[float]]]:
    """Fill a store in bulk; returns the seconds it took and a sample of the filler vectors (for queries)."""
    t = time.perf_counter()
    sample: list[list[float]] = []
    for entries, vectors in _filler(dimension, n, seed):
        store.put_many(collection, entries, vectors, batch=batch)
        sample.extend(vectors[:5])
    gc.collect()
    return round(time.perf_counter() - t, 1), sample


def _variants(k: int, seed: int) -> list[str]:
    g = random.Random(seed)
    # whole roots, as the base's: a root of another kind waits for the model's answer (tasks.equation.corroborate)
    return [f"Solve for x: 3x + {b} = {3 * g.randint(7, 26) + b}" for b in (g.randint(1, 19) for _ in range(k))]


def _hits(engine: Any, prompts: list[str]) -> list[float]:
    from ..values import Request

    times = []
    for p in prompts:
        t = time.perf_counter()
        out = engine.lookup(Request(p))
        times.append(time.perf_counter() - t)
        if out is None or out.trace.path != "reuse":
            raise RuntimeError(f"expected a reuse hit for {p!r}, got {out.trace.path if out else 'a miss'}")
    return times


_WORKER = """
import json, sys, time
t0 = time.perf_counter()
from stepcache_core import ChromaStore, MiniLMEmbedder, Request, StepCacheEngine
from stepcache_core.fakes import ScriptedBackend
t_import = time.perf_counter() - t0
host, port, seed, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
directory = sys.argv[5] if len(sys.argv) > 5 else ""
t1 = time.perf_counter()
store = ChromaStore(persist_directory=directory) if directory else ChromaStore(host=host, port=port)
engine = StepCacheEngine(store=store, embedder=MiniLMEmbedder(), backend=ScriptedBackend())
t_open = time.perf_counter() - t1
import random
g = random.Random(seed)
prompts = [f"Solve for x: 3x + {b} = {3 * g.randint(7, 26) + b}" for b in (g.randint(1, 19) for _ in range(k + 1))]
t2 = time.perf_counter()
first = engine.lookup(Request(prompts[0]))
t_first = time.perf_counter() - t2
assert first is not None and first.trace.path == "reuse", first
go = float(sys.argv[6]) if len(sys.argv) > 6 else 0.0
while time.time() < go:
    time.sleep(0.005)
times = []
start = time.perf_counter()
for p in prompts[1:]:
    t = time.perf_counter()
    out = engine.lookup(Request(p))
    times.append(time.perf_counter() - t)
    assert out is not None and out.trace.path == "reuse"
wall = time.perf_counter() - start
rss = 0.0
for line in open("/proc/self/status"):
    if line.startswith("VmRSS:"):
        rss = int(line.split()[1]) / 1024
from stepcache_core import embed as _e
print(json.dumps({"import_s": t_import, "open_s": t_open, "first_hit_s": t_first, "times": times, "wall_s": wall,
                  "rss_mb": rss, "embedder_loaded": bool(_e._MODELS)}))
"""


def _workers(host: str, port: int, n: int, k: int, directory: str = "") -> list[dict[str, Any]]:
    go = time.time() + 25.0  # every worker is imported and connected before the timed phase starts
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, host, str(port), str(100 + i), str(k), directory, str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"},
        )
        for i in range(n)
    ]
    rows = []
    for p in procs:
        out, err = p.communicate(timeout=600)
        if p.returncode != 0:
            raise RuntimeError(f"scale worker failed: {err[-1500:]}")
        rows.append(json.loads(out.strip().splitlines()[-1]))
    return rows


def _put_costs(n_full: int, puts: int) -> dict[str, Any]:
    """Mean and p50 of a put into a full bounded store against a put into an unbounded one of the same size."""
    from ..store import ChromaStore
    from ..testing import make_entry

    out: dict[str, Any] = {}
    for label, bound in (("unbounded", None), ("bounded_full", n_full)):
        store = ChromaStore(persist_directory=tempfile.mkdtemp(prefix=f"sc-put-{label}-"), max_entries=bound)
        entries = [make_entry(f"f{i}") for i in range(n_full)]
        store.put_many("c", entries, [[1.0, float(i % 13), float(i % 7), 0.5] for i in range(n_full)])
        times = []
        for i in range(puts):
            t = time.perf_counter()
            store.put("c", make_entry(f"p{i}"), [0.5, float(i % 11), 1.0, float(i % 5)])
            times.append(time.perf_counter() - t)
        out[label] = {
            **_ms(times),
            "mean_ms": round(statistics.mean(times) * 1000, 3),
            "bound": bound,
            "count_after": store.count("c"),
        }
    out["ratio_mean"] = round(out["bounded_full"]["mean_ms"] / out["unbounded"]["mean_ms"], 3)
    return out


def _framework_free_text(n: int) -> dict[str, dict[str, Any] | None]:
    """Each cache route an integration registers (:data:`.plugins.CACHE`), by name: its comparison with its
    framework's own cache, ``None`` when the framework is not installed."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    out: dict[str, dict[str, Any] | None] = {}
    for route in plugins.routes(plugins.CACHE):
        try:
            proc = plugins.run(route, "--n", str(n), timeout=900, env=env)
        except (OSError, subprocess.TimeoutExpired) as e:
            out[route.name] = {"error": str(e)}
            continue
        if proc.returncode == plugins.MISSING_PACKAGE:
            out[route.name] = None
        elif proc.returncode != 0:
            out[route.name] = {"error": proc.stderr[-1500:]}
        else:
            out[route.name] = dict(json.loads(proc.stdout.strip().splitlines()[-1]))
    return out


def _reconcile_costs(store: Any, directory: str, collection: str) -> dict[str, Any]:
    """What keeping the vectors and the index in step costs: the check every open runs (counts compared), a full
    check (every id compared), and reopening after the index file was deleted (rebuilt from the vectors)."""
    from ..store import EmbeddedChromaStore

    t = time.perf_counter()
    store._heal()
    on_open = time.perf_counter() - t
    t = time.perf_counter()
    consistent = store.check().consistent
    check = time.perf_counter() - t
    before = store.count(collection)
    for suffix in ("", "-wal", "-shm"):
        part = os.path.join(directory, "stepcache-index.sqlite3" + suffix)
        if os.path.exists(part):
            os.remove(part)
    t = time.perf_counter()
    rebuilt = EmbeddedChromaStore(persist_directory=directory)
    rebuild = time.perf_counter() - t
    return {
        "on_open_ms": round(on_open * 1000, 2),
        "check_ms": round(check * 1000, 1),
        "consistent": consistent,
        "rebuild_s": round(rebuild, 3),
        "entries_before": before,
        "entries_rebuilt": rebuilt.count(collection),
    }


def run_scale(
    *,
    sizes: tuple[int, ...] = (1_000, 10_000, 100_000),
    processes: int = 4,
    lookups: int = 200,
    server: bool = True,
    seed: int = 0,
) -> dict[str, Any]:
    from ..backends import ScriptedBackend
    from ..embed import MiniLMEmbedder
    from ..engine import StepCacheEngine
    from ..store import ChromaStore
    from ..testing import ChromaServer
    from ..values import Namespace, Request

    report: dict[str, Any] = {"sizes": {}, "processes": processes, "lookups": lookups}
    embedder = MiniLMEmbedder()
    for n in sizes:
        row: dict[str, Any] = {}
        directory = tempfile.mkdtemp(prefix=f"sc-scale-{n}-")
        engine = StepCacheEngine(store=ChromaStore(persist_directory=directory), embedder=embedder, backend=ScriptedBackend())
        collection = engine.collection(Namespace())
        row["fill_s"], vectors = _fill(engine.store, collection, embedder.dimension, n, seed, 2000)
        engine.record(Request(BASE), BASE_OUT)
        engine.record(Request("Write a haiku about autumn"), "Leaves fall.")
        row["embedded_structural_hit"] = _ms(_hits(engine, _variants(lookups, seed)))
        row["embedded_exact_hit"] = _ms(_hits(engine, [BASE] * lookups))
        row["embedded_text_exact_hit"] = _ms(_hits(engine, ["Write a haiku about autumn"] * lookups))
        g = random.Random(seed)
        qtimes = []
        for _ in range(min(lookups, 100)):
            v = vectors[g.randrange(len(vectors))]
            t = time.perf_counter()
            engine.store.query(collection, v, 3)
            qtimes.append(time.perf_counter() - t)
        row["embedded_vector_query"] = _ms(qtimes)
        row["bench_rss_mb"] = _rss_mb()
        fresh = _workers("", 0, 1, lookups, directory)[0]
        row["fresh_process_embedded"] = {
            "import_s": round(fresh["import_s"], 3),
            "open_s": round(fresh["open_s"], 3),
            "first_hit_s": round(fresh["first_hit_s"], 3),
            "embedder_loaded": fresh["embedder_loaded"],
        }
        if server:
            srv = ChromaServer(tempfile.mkdtemp(prefix=f"sc-scale-srv-{n}-")).start()
            try:
                remote = StepCacheEngine(
                    store=ChromaStore(host="127.0.0.1", port=srv.port), embedder=embedder, backend=ScriptedBackend()
                )
                row["server_fill_s"], _ = _fill(remote.store, remote.collection(Namespace()), embedder.dimension, n, seed, 1000)
                remote.record(Request(BASE), BASE_OUT)
                solo = _workers("127.0.0.1", srv.port, 1, lookups)[0]
                row["server_one_process_hit"] = {**_ms(solo["times"]), "first_hit_s": round(solo["first_hit_s"], 3)}
                rows = _workers("127.0.0.1", srv.port, processes, lookups)
                times = [x for r in rows for x in r["times"]]
                wall = max(r["wall_s"] for r in rows)
                row["server_structural_hit"] = {**_ms(times), "hits_per_s": round(len(times) / wall, 1), "processes": processes}
                row["server_first_hit_s"] = round(max(r["first_hit_s"] for r in rows), 3)
                row["server_rss_mb"] = _rss_mb(srv.proc.pid)
                row["worker_rss_mb"] = round(max(r["rss_mb"] for r in rows), 1)
                row["worker_embedder_loaded"] = any(r["embedder_loaded"] for r in rows)
            finally:
                srv.stop()
        row["reconcile"] = _reconcile_costs(engine.store, directory, collection)
        report["sizes"][str(n)] = row
        print(json.dumps({str(n): row}), flush=True)
    report["put_cost"] = _put_costs(min(max(sizes), 1000), max(50, min(lookups, 300)))
    for name, result in _framework_free_text(max(50, min(lookups, 300))).items():
        report[f"{name}_free_text"] = result
    return report


def format_scale(report: dict[str, Any]) -> str:
    lines = [
        "| entries | fill s | structural hit p50/p95 ms | exact hit p50 ms | text exact p50 ms | vector query p50 ms | "
        "fresh process first hit s | server, 1 process: hit p50/p95 ms, first hit s | server, N processes: hit p50/p95 ms | "
        "hits/s (server) | server RSS MB | bench RSS MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for n, r in report["sizes"].items():
        s = r.get("server_structural_hit", {})
        one = r.get("server_one_process_hit", {})
        lines.append(
            f"| {int(n):,} | {r['fill_s']} | {r['embedded_structural_hit']['p50_ms']} / {r['embedded_structural_hit']['p95_ms']} | "
            f"{r['embedded_exact_hit']['p50_ms']} | {r['embedded_text_exact_hit']['p50_ms']} | {r['embedded_vector_query']['p50_ms']} | "
            f"{r['fresh_process_embedded']['first_hit_s']} | {one.get('p50_ms', '-')} / {one.get('p95_ms', '-')}, {one.get('first_hit_s', '-')} | "
            f"{s.get('p50_ms', '-')} / {s.get('p95_ms', '-')} | "
            f"{s.get('hits_per_s', '-')} | {r.get('server_rss_mb', '-')} | {r['bench_rss_mb']} |"
        )
    lines += [
        "",
        "| entries | reconcile on open ms | full check ms | index deleted: rebuilt on open s | entries found again |",
        "|---|---|---|---|---|",
    ]
    for n, r in report["sizes"].items():
        rc = r.get("reconcile")
        if rc:
            lines.append(
                f"| {int(n):,} | {rc['on_open_ms']} | {rc['check_ms']} | {rc['rebuild_s']} | {rc['entries_rebuilt']} of {rc['entries_before']} |"
            )
    pc = report.get("put_cost")
    if pc:
        lines += [
            "",
            f"Put into a full store (max_entries={pc['bounded_full']['bound']}, {pc['bounded_full']['count_after']} entries after): mean {pc['bounded_full']['mean_ms']} ms, "
            f"p50 {pc['bounded_full']['p50_ms']} ms; unbounded: mean {pc['unbounded']['mean_ms']} ms, "
            f"p50 {pc['unbounded']['p50_ms']} ms (ratio of means {pc['ratio_mean']}).",
        ]
    lc = report.get("langchain_free_text")
    if lc and "error" not in lc:
        lines += [
            "",
            "Free text through `set_llm_cache` (p50 ms, same questions, one run):",
            "",
            "| cache | lookup miss | update | lookup hit |",
            "|---|---|---|---|",
        ]
        for name in ("stepcache", "sqlite"):
            c = lc[name]
            lines.append(f"| {name} | {c['lookup_miss']['p50_ms']} | {c['update']['p50_ms']} | {c['lookup_hit']['p50_ms']} |")
        first = lc.get("first_calls") or {}
        if "first_miss_s" in first:
            lines += [
                "",
                f"A fresh process's first call through `set_llm_cache` (an instant model: the time is the cache's): "
                f"{first['first_miss_s']} s on a miss (opening the store; the embedding model loaded by it: "
                f"{first['embedder_loaded_by_the_miss']}); {first['first_miss_after_warm_s']} s once a `warm=True` "
                f"cache has warmed up; a fresh process's first hit on that store: {first.get('first_hit_s')} s "
                f"(served from the store: {first.get('served_from_the_store')}).",
            ]
    elif lc:
        lines += ["", f"Free-text comparison failed: {lc['error'][:300]}"]
    return "\n".join(lines)
