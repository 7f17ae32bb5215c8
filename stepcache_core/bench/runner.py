"""Runs a workload through each system and writes results.jsonl, summary.json, report.md and plots."""

from __future__ import annotations

import json
import platform
import statistics
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..errors import ConfigError, StepCacheError
from .judge import is_correct
from .systems import Served, System

__all__ = ["run_systems", "summarize", "render_markdown", "write_outputs", "TARGETS"]

# StepCache against no cache, on the paper's full protocol
TARGETS = {
    "correctness": ("== 1.0", "paper 72.5% -> 100%"),
    "wrong_served": ("== 0", ""),
    "mean_latency_ratio": ("<= 0.25", "paper 2.13 -> 0.67 s (0.31x)"),
    "median_latency_s": ("<= 0.010", "paper 10 ms"),
    "p95_latency_ratio": ("<= 0.5", "paper 3.38 -> 3.30 s"),
    "tokens_ratio": ("<= 0.5", "paper 36.1k -> 27.3k (0.76x)"),
    "reuse_share": (">= 0.85", "paper 79.7%"),
    "miss_overhead": ("<= 0.05", "cache overhead on a cold miss vs backend time"),
}


def _pct(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    idx = min(len(s) - 1, max(0, int(round(q * (len(s) - 1)))))
    return s[idx]


def run_systems(systems: Sequence[System], rows: Sequence[dict[str, Any]], *, progress: bool = True) -> list[dict[str, Any]]:
    from tqdm import tqdm

    results: list[dict[str, Any]] = []
    bar = tqdm(total=len(systems) * len(rows), disable=not progress, unit="req", dynamic_ncols=True)
    for system in systems:
        for row in rows:
            bar.set_description(f"{system.name:9s} {row['id'][:24]:24s}")
            t = time.perf_counter()
            try:
                served: Served = system.serve(row)
            except StepCacheError as e:  # a request a system rejects is an error row of the run, never an abort
                served = Served(None, "error", time.perf_counter() - t, 0, 0, False, error=f"{type(e).__name__}: {e}")
            results.append(
                {
                    "system": system.name,
                    "id": row["id"],
                    "task": row["task"],
                    "perturbation": row.get("perturbation", "unknown"),
                    "warmup": bool(row.get("warmup")),
                    "path": served.path,
                    "output": served.output,
                    "latency_s": served.latency_s,
                    "backend_s": served.backend_s,
                    "prompt_tokens": served.prompt_tokens,
                    "completion_tokens": served.completion_tokens,
                    "verified": served.verified,
                    "correct": is_correct(row, served.output),
                    "error": served.error,
                    "model_calls": served.model_calls,
                    "fallback": served.fallback,
                }
            )
            bar.update(1)
    bar.close()
    return results


def _stats(rs: list[dict[str, Any]]) -> dict[str, Any]:
    lat = [r["latency_s"] for r in rs]
    tokens = [r["prompt_tokens"] + r["completion_tokens"] for r in rs]
    paths: dict[str, int] = defaultdict(int)
    for r in rs:
        paths[r["path"]] += 1
    served = [r for r in rs if r["output"] is not None]
    misses = [r for r in rs if r["path"] in ("miss", "skip") and r["backend_s"] > 0]
    overhead = [(r["latency_s"] - r["backend_s"]) / r["backend_s"] for r in misses]
    n = len(rs) or 1
    return {
        "n": len(rs),
        "mean_latency_s": statistics.fmean(lat) if lat else 0.0,
        "median_latency_s": statistics.median(lat) if lat else 0.0,
        "p95_latency_s": _pct(lat, 0.95),
        "total_tokens": sum(tokens),
        "tokens_per_request": sum(tokens) / n,
        "correctness": sum(r["correct"] for r in rs) / n,
        "wrong_served": sum(1 for r in served if not r["correct"]),
        "errors": sum(1 for r in rs if r["output"] is None),
        "paths": {k: v / n for k, v in sorted(paths.items())},
        "miss_overhead": statistics.median(overhead) if overhead else None,
    }


def summarize(results: Iterable[dict[str, Any]], meta: dict[str, Any]) -> dict[str, Any]:
    scored = [r for r in results if not r["warmup"]]
    by_sys: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in scored:
        by_sys[r["system"]].append(r)
    out: dict[str, Any] = {"meta": meta, "systems": {}}
    for name, rs in by_sys.items():
        entry = _stats(rs)
        per_task: dict[str, list[dict[str, Any]]] = defaultdict(list)
        per_pert: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in rs:
            per_task[r["task"]].append(r)
            per_pert[r["perturbation"]].append(r)
        entry["by_task"] = {k: _stats(v) for k, v in sorted(per_task.items())}
        entry["by_perturbation"] = {k: _stats(v) for k, v in sorted(per_pert.items())}
        out["systems"][name] = entry
    if "stepcache" in out["systems"] and "none" in out["systems"]:
        s, b = out["systems"]["stepcache"], out["systems"]["none"]
        out["targets"] = {
            "correctness": s["correctness"],
            "wrong_served": s["wrong_served"],
            "mean_latency_ratio": s["mean_latency_s"] / b["mean_latency_s"] if b["mean_latency_s"] else None,
            "median_latency_s": s["median_latency_s"],
            "p95_latency_ratio": s["p95_latency_s"] / b["p95_latency_s"] if b["p95_latency_s"] else None,
            "tokens_ratio": s["total_tokens"] / b["total_tokens"] if b["total_tokens"] else None,
            "reuse_share": s["paths"].get("reuse", 0.0),
            "miss_overhead": s["miss_overhead"],
        }
    return out


def _met(value: Any, rule: str) -> str:
    if value is None:
        return "n/a"
    op, num = rule.split()
    x = float(num)
    ok = {"==": value == x, "<=": value <= x, ">=": value >= x}[op]
    return "met" if ok else "NOT met"


def render_markdown(summary: dict[str, Any]) -> str:
    meta = summary["meta"]
    lines = [
        f"# StepCache benchmark — {meta['date']}",
        "",
        f"Machine: {meta['machine']}. Backend: {meta['backend']}. Seeds: {meta['seeds']}. "
        f"Requests scored per system: {meta['scored_per_system']} (plus {meta['warmup_per_system']} warm-up).",
        "",
    ]
    lines += _table(
        "system | correct | wrong served | mean s | median s | p95 s | tokens | tok/req | reuse | patch | skip | miss",
        [
            [
                name,
                f"{s['correctness']:.1%}",
                s["wrong_served"],
                f"{s['mean_latency_s']:.3f}",
                f"{s['median_latency_s']:.4f}",
                f"{s['p95_latency_s']:.3f}",
                s["total_tokens"],
                f"{s['tokens_per_request']:.1f}",
                *_mix(s["paths"], ".1%"),
            ]
            for name, s in summary["systems"].items()
        ],
    )
    if "targets" in summary:
        lines += [
            "",
            "## Targets (stepcache vs none)",
            "",
            "| target | value | rule | status | reference |",
            "|---|---|---|---|---|",
        ]
        for key, (rule, ref) in TARGETS.items():
            v = summary["targets"].get(key)
            shown = "n/a" if v is None else (f"{v:.4f}" if isinstance(v, float) else str(v))
            lines.append(f"| {key} | {shown} | {rule} | {_met(v, rule)} | {ref} |")
    for name, s in summary["systems"].items():
        lines += [
            "",
            f"## {name}: by perturbation",
            "",
        ]
        lines += _table(
            "perturbation | n | correct | wrong | mean s | tok/req | reuse | patch | skip | miss",
            [
                [
                    pert,
                    t["n"],
                    f"{t['correctness']:.1%}",
                    t["wrong_served"],
                    f"{t['mean_latency_s']:.3f}",
                    f"{t['tokens_per_request']:.1f}",
                    *_mix(t["paths"], ".0%"),
                ]
                for pert, t in s["by_perturbation"].items()
            ],
        )
        lines += ["", "| task | n | correct | wrong | mean s | median s | p95 s | tok/req |", "|---|---|---|---|---|---|---|---|"]
        for task, t in s["by_task"].items():
            lines.append(
                f"| {task} | {t['n']} | {t['correctness']:.1%} | {t['wrong_served']} | {t['mean_latency_s']:.3f} | {t['median_latency_s']:.4f} | {t['p95_latency_s']:.3f} | {t['tokens_per_request']:.1f} |"
            )
    return "\n".join(lines) + "\n"


def _table(header: str, rows: list[list[Any]]) -> list[str]:
    """A markdown table: ``header`` names the columns, separated by ``|``."""
    cols = [c.strip() for c in header.split("|")]
    return ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)] + [
        "| " + " | ".join(str(c) for c in r) + " |" for r in rows
    ]


def _mix(paths: dict[str, float], fmt: str) -> list[str]:
    """The path mix columns: reuse, patch, skip, miss."""
    return [format(paths.get(p, 0), fmt) for p in ("reuse", "patch", "skip", "miss")]


def _plots(results: list[dict[str, Any]], summary: dict[str, Any], out: Path) -> list[str]:
    try:
        import matplotlib
    except ModuleNotFoundError as e:
        raise ConfigError("plots need matplotlib: pip install 'stepcache[bench]', or pass --no-plots") from e

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scored = [r for r in results if not r["warmup"]]
    systems = list(summary["systems"])
    files = []
    fig, ax = plt.subplots(figsize=(7, 4))
    for name in systems:
        lat = sorted(max(r["latency_s"], 1e-5) for r in scored if r["system"] == name)
        ax.step(lat, [(i + 1) / len(lat) for i in range(len(lat))], where="post", label=name)
    ax.set_xscale("log")
    ax.set_xlabel("latency (s, log)")
    ax.set_ylabel("share of requests")
    ax.set_title("Latency CDF")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "latency_cdf.png", dpi=110)
    files.append("latency_cdf.png")
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(6, 4))
    totals = [summary["systems"][n]["total_tokens"] for n in systems]
    ax.bar(systems, totals, color=["#999", "#6a9", "#c96", "#36c"][: len(systems)])
    ax.set_ylabel("total tokens (prompt + completion)")
    ax.set_title("Tokens per system")
    for i, v in enumerate(totals):
        ax.text(i, v, f"{v:,}", ha="center", va="bottom")
    fig.tight_layout()
    fig.savefig(out / "tokens.png", dpi=110)
    files.append("tokens.png")
    plt.close(fig)

    if "stepcache" in summary["systems"]:
        per = summary["systems"]["stepcache"]["by_perturbation"]
        perts = list(per)
        fig, ax = plt.subplots(figsize=(8, 4))
        bottom = [0.0] * len(perts)
        for path, color in (("reuse", "#36c"), ("patch", "#6a9"), ("skip", "#c96"), ("miss", "#999"), ("error", "#c33")):
            vals = [per[p]["paths"].get(path, 0.0) for p in perts]
            ax.bar(perts, vals, bottom=bottom, label=path, color=color)
            bottom = [b + v for b, v in zip(bottom, vals)]
        ax.set_ylabel("share of requests")
        ax.set_title("StepCache path mix per perturbation")
        ax.legend(loc="lower right")
        fig.tight_layout()
        fig.savefig(out / "path_mix.png", dpi=110)
        files.append("path_mix.png")
        plt.close(fig)
    return files


def write_outputs(results: list[dict[str, Any]], summary: dict[str, Any], out: Path, *, plots: bool = True) -> str:
    out.mkdir(parents=True, exist_ok=True)
    with (out / "results.jsonl").open("w", encoding="utf-8") as f:
        for r in results:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    (out / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    md = render_markdown(summary)
    if plots:
        files = _plots(results, summary, out)
        md += "\n" + "\n".join(f"![{f}]({f})" for f in files) + "\n"
    (out / "report.md").write_text(md, encoding="utf-8")
    return md


def machine() -> str:
    import os

    return f"{platform.machine()} {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}"


def now() -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
