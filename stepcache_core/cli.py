"""``stepcache`` command: ``demo``, ``store``, ``workload``, ``bench``."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from typing import Any

# the bench commands import the standard library only until one runs; a failure here is a broken install, shown
# as such (what a command needs beyond the core, it names when it runs: the extra of a route, matplotlib for plots)
from .bench.cli import add_commands

__all__ = ["main"]


def _person(*keys: str) -> dict[str, Any]:
    """A person-extraction schema with these keys (``age`` an integer, the rest strings)."""
    props = {k: {"type": "integer" if k == "age" else "string"} for k in keys}
    return {"type": "object", "properties": props, "required": list(keys)}


_DEMO: list[tuple[str, dict[str, Any] | None]] = [
    ("Solve for x: 3x + 5 = 20", None),
    ("Solve for x: 3x + 11 = 47", None),
    ("Solve for y: 7y + 11 = 32", None),
    ("Solve for x: 2x + 9 = 5x - 3", None),
    ("Solve for x: x^2 - 5x + 6 = 0", None),
    (
        "Extract the person's name, age and city as JSON. Text: Alice Martin is 31 years old and lives in Lyon.",
        _person("name", "age", "city"),
    ),
    (
        "Extract the person's name, age and city as JSON. Text: Bruno Costa is 45 years old and lives in Porto.",
        _person("name", "age", "city"),
    ),
    (
        "Extract the person's name, age and town as JSON. Text: Bruno Costa is 45 years old and lives in Porto.",
        _person("name", "age", "town"),
    ),
    (
        "Extract the person's name, age, city and job as JSON. Text: Chen Wei is 29 years old, works as a chef and lives in Lyon.",
        _person("name", "age", "city", "job"),
    ),
]


def _demo(args: argparse.Namespace) -> int:
    from .backends import LlamaCppBackend
    from .engine import StepCacheEngine
    from .values import Request

    directory = args.persist_directory or tempfile.mkdtemp(prefix="stepcache-demo-")
    engine = StepCacheEngine(persist_directory=directory, backend=LlamaCppBackend(n_threads=args.threads))
    print(f"store: {directory}")
    for prompt, schema in _DEMO:
        out = engine.run(Request(prompt, schema=schema))
        t = out.trace
        print(f"\n> {prompt}")
        print(
            f"  path={t.path} exact={t.exact_hit} sim={t.similarity if t.similarity is None else round(t.similarity, 3)} "
            f"reused={t.steps_reused} adapted={t.steps_adapted} regenerated={t.steps_regenerated} "
            f"fallback={t.fallback} calls={t.backend_calls} tokens={t.total_tokens} latency={t.latency_s * 1000:.1f}ms"
        )
        if t.skip_reason:
            print(f"  skip: {t.skip_reason}")
        print("  " + out.text.replace("\n", "\n  "))
    return 0


def _store(args: argparse.Namespace) -> int:
    from .errors import StoreError
    from .store import EmbeddedChromaStore

    try:
        store = EmbeddedChromaStore(persist_directory=args.dir, repair_on_open=False)
        report = store.repair() if args.action == "repair" else store.check()
    except StoreError as e:
        print(f"stepcache store {args.action}: {e}", file=sys.stderr)
        return 2
    print(report.summary())
    return 0 if report.repaired or report.consistent else 1


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    parser = argparse.ArgumentParser(prog="stepcache", description="Step-level LLM response reuse")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="a few requests through the real local model")
    demo.add_argument("--persist-directory", default=None)
    demo.add_argument("--threads", type=int, default=None)
    demo.set_defaults(func=_demo)
    store = sub.add_parser(
        "store", help="check or repair an embedded store (its vectors against its index); check exits 1 when they disagree"
    )
    store.add_argument("action", choices=("check", "repair"))
    store.add_argument("--dir", default=None, help="the store directory (default: $STEPCACHE_DIR or ~/.cache/stepcache/chroma)")
    store.set_defaults(func=_store)
    add_commands(sub)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
