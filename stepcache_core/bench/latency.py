"""``stepcache latency``: per-stage latency of warm reuse hits (no model call), median and p95."""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
from typing import Any

__all__ = ["add_command", "measure"]


def measure(n: int = 100, seed: int = 0) -> dict[str, dict[str, float]]:
    from ..backends import ScriptedBackend
    from ..embed import MiniLMEmbedder
    from ..engine import StepCacheEngine
    from ..values import Request

    g = random.Random(seed)
    engine = StepCacheEngine(
        persist_directory=tempfile.mkdtemp(prefix="stepcache-latency-"),
        embedder=MiniLMEmbedder(threads=1),
        backend=ScriptedBackend(),  # any model call would raise: every request below must be a reuse hit
    )
    engine.record(Request("Solve for x: 3x + 5 = 20"), "3x + 5 = 20\n3x = 20 - 5\n3x = 15\nx = 5")
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
        "required": ["name", "age"],
    }
    engine.record(
        Request("Extract name, age as JSON. Text: Alice Martin is 31 years old.", schema=schema),
        '{"name": "Alice Martin", "age": 31}',
    )
    engine.embedder.embed(["warm up"])
    names = ["Bruno Costa", "Chen Wei", "Dana Levi", "Emeka Obi", "Farah Khan"]
    samples: dict[str, list[dict[str, float]]] = {"adapted_math": [], "adapted_json": [], "exact": []}
    for i in range(n):
        a, b, c = g.randint(2, 9), g.randint(1, 30), g.randint(31, 99)
        out = engine.run(Request(f"Solve for x: {a}x + {b} = {c}"), store=False)
        assert out.trace.path == "reuse"
        samples["adapted_math"].append({**out.trace.stages, "total": out.trace.latency_s})
        out = engine.run(
            Request(f"Extract name, age as JSON. Text: {names[i % 5]} is {g.randint(18, 90)} years old.", schema=schema),
            store=False,
        )
        assert out.trace.path == "reuse"
        samples["adapted_json"].append({**out.trace.stages, "total": out.trace.latency_s})
        out = engine.run(Request("Solve for x: 3x + 5 = 20"))
        samples["exact"].append({**out.trace.stages, "total": out.trace.latency_s})
    report: dict[str, dict[str, float]] = {}
    for kind, rows in samples.items():
        for stage in sorted({k for r in rows for k in r}):
            vals = sorted(r.get(stage, 0.0) * 1000 for r in rows)
            report[f"{kind}.{stage}"] = {"median_ms": statistics.median(vals), "p95_ms": vals[int(0.95 * (len(vals) - 1))]}
    return report


def _run(args: argparse.Namespace) -> int:
    report = measure(args.n)
    print("| stage | median ms | p95 ms |\n|---|---|---|")
    for k, v in report.items():
        print(f"| {k} | {v['median_ms']:.2f} | {v['p95_ms']:.2f} |")
    return 0


def add_command(sub: Any) -> None:
    p = sub.add_parser("latency", help="per-stage latency of warm reuse hits (real embedder and Chroma, no model)")
    p.add_argument("-n", type=int, default=100)
    p.set_defaults(func=_run)
