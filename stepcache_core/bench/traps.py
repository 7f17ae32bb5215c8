"""The traps corpus (issue 18), run: each case of :mod:`.traps_corpus` through a route, judged and counted.

Each case runs on a fresh cache: the cached request (a miss), its exact repeat, then the new request. The engines
await no corroborating answer for JSON (:func:`~.formats.checks_engine`): by default a JSON reuse for another record
waits for a second model answer that agrees, so every JSON trap would be skipped and test nothing of the checks. The new
request's answer is judged from its content alone (:func:`judge`): equations by the final answer and every number
stated (a number the correct answer does not state is a stale one), JSON by the object (every value) and by the
prose around it (a note naming a cached value the new request does not share), free text by equality. Each
case ends as ``served_wrong`` (whatever the path), ``skipped`` (the model's answer, correct), ``reused_correct``
(a reuse or patch, correct) or ``error`` (the route raised a typed error: nothing served).

Routes: :class:`CoreTrapRoute` here (``StepCacheEngine.run``); ``set_llm_cache`` and ``StepCacheRunnable`` in
``stepcache_langchain.bench_traps``; ``StepCacheLLM`` in ``stepcache_llamaindex.bench_traps``. Used by the tests
(``tests/*/test*_traps.py``) and by ``stepcache bench --formats``. The corpus's names are importable from here too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..segment import find_json_object, locate_json_object
from .formats import Served, checks_engine
from .formats_corpus import is_correct
from .traps_corpus import CASES, CATEGORIES, Expect, Trap, TrapModel

__all__ = [
    "CATEGORIES",
    "CASES",
    "OUTCOMES",
    "Expect",
    "Trap",
    "TrapModel",
    "TrapRoute",
    "CoreTrapRoute",
    "Counts",
    "ClassCounts",
    "judge",
    "trap_rows",
    "count_traps",
    "run_traps",
    "shortfalls",
    "format_traps",
    "rows_main",
]

OUTCOMES = ("served_wrong", "skipped", "reused_correct", "error")


# ---------------------------------------------------------------- judging


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _numbers(text: str) -> set[str]:
    return set(_NUMBER.findall(text))


def _stated(text: str, phrase: str) -> bool:
    """``phrase`` in ``text`` as a whole: "x = 5" is not stated by "x = 50", "14" not by "140"."""
    return re.search(rf"(?<![\w.]){re.escape(phrase)}(?![\w]|\.\d)", text) is not None


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]


def judge(case: Trap, text: str | None) -> str | None:
    """Why ``text`` is not a correct answer to ``case``'s new request; ``None`` when it is."""
    if text is None:
        return "no answer"
    if case.task == "text":
        return None if text == case.new_answer else "another request's answer"
    missing = next((s for s in case.says if not _stated(text, s)), None)
    if missing is not None:
        return f"does not say {missing!r}"
    if case.task == "equation":
        if case.solves is not None and not is_correct(text, case.solves):
            return f"its final answer is not {case.solves.v} = {case.solves.root}"
        said = next((s for s in case.never if _stated(text, s)), None)
        if said is not None:
            return f"says {said!r}"
        stale = sorted(_numbers(text) - _numbers(case.new_answer) - _numbers(case.new), key=float)
        return f"states {', '.join(stale)}, which the correct answer does not" if stale else None
    found = locate_json_object(text)
    expected = find_json_object(case.new_answer)
    if found is None:
        return "no JSON object"
    start, end, _ = found
    got = json.loads(text[start:end])
    if got != expected:
        wrong = sorted(k for k in set(got) | set(expected or {}) if got.get(k) != (expected or {}).get(k))
        return "wrong " + ", ".join(f"{k}={got.get(k)!r}" for k in wrong)
    prose = text[:start] + text[end:]
    said = next((s for s in case.never if _stated(prose, s)), None)
    if said is not None:
        return f"its prose says {said!r}"
    kept = {str(v) for v in _leaves(expected) if not isinstance(v, bool) and v is not None}
    stale = [str(v) for v in _leaves(find_json_object(case.cached_answer)) if not isinstance(v, bool) and v is not None]
    named = next((s for s in stale if s not in kept and _stated(prose, s)), None)
    return f"its prose names the cached {named!r}" if named is not None else None


# ---------------------------------------------------------------- routes and counts


class TrapRoute(Protocol):
    """One way a caller reaches StepCache. ``open`` builds a fresh cache in front of ``model`` for ``case`` and
    returns ``serve(text) -> Served``, ``text`` being ``case.cached`` or ``case.new``."""

    name: str

    def open(self, model: TrapModel, case: Trap) -> Callable[[str], Served]: ...


class CoreTrapRoute:
    """``StepCacheEngine.run(Request(prompt, schema=...))`` with the case's model as the backend."""

    name = "engine.run"

    def __init__(self, make_engine: Callable[[Any], Any] = checks_engine) -> None:
        self._make_engine = make_engine

    def open(self, model: TrapModel, case: Trap) -> Callable[[str], Served]:
        from ..errors import StepCacheError
        from ..values import Request

        engine = self._make_engine(model)

        def serve(text: str) -> Served:
            seen = len(model.prompts)
            try:
                out = engine.run(Request(case.request(text), schema=case.schema))
            except StepCacheError as e:
                return Served(None, "error", len(model.prompts) - seen, error=f"{type(e).__name__}: {e}")
            return Served(out.text, out.trace.path, len(model.prompts) - seen)

        return serve


def _outcome(case: Trap, out: Served) -> tuple[str, str | None]:
    if out.path == "error" or out.text is None:
        return "error", out.error
    why = judge(case, out.text)
    if why is not None:
        return "served_wrong", why
    return ("reused_correct" if out.path in ("reuse", "patch") else "skipped"), None


def trap_rows(route: TrapRoute, cases: Sequence[Trap] | None = None) -> list[dict[str, Any]]:
    """Every case on a fresh cache: the cached request, its exact repeat (``repeat_hit``: served without the
    model; a trap whose cached answer cannot even be served again tests little), then the new request, judged.
    One row per case."""
    rows: list[dict[str, Any]] = []
    for case in CASES if cases is None else cases:
        model = TrapModel(case)
        serve = route.open(model, case)
        outs: list[Served] = []
        for text in (case.cached, case.cached, case.new):
            try:
                outs.append(serve(text))
            except Exception as e:  # a route must not raise on these; a row records it
                outs.append(Served(None, "error", 0, error=f"{type(e).__name__}: {e}"))
        _, repeat, out = outs
        outcome, why = _outcome(case, out)
        rows.append({
            "task": "traps", "route": route.name, "case": case.id, "category": case.category, "expect": case.expect,
            "repeat_hit": repeat.text is not None and repeat.model_calls == 0, "path": out.path,
            "model_calls": out.model_calls, "outcome": outcome, "why": why, "served": out.text,
        })  # fmt: skip
    return rows


@dataclass(frozen=True)
class Counts:
    served_wrong: int = 0
    skipped: int = 0
    reused_correct: int = 0
    error: int = 0
    repeat_hits: int = 0
    """Cases whose cached request, sent again, was served without the model."""

    @property
    def total(self) -> int:
        return self.served_wrong + self.skipped + self.reused_correct + self.error


@dataclass(frozen=True)
class ClassCounts:
    traps: Counts = field(default_factory=Counts)
    safe: Counts = field(default_factory=Counts)


def count_traps(rows: Sequence[dict[str, Any]]) -> dict[str, ClassCounts]:
    """Per class (one route's rows): the traps' and the safe variants' outcomes."""

    def count(sel: list[dict[str, Any]]) -> Counts:
        return Counts(**{o: sum(r["outcome"] == o for r in sel) for o in OUTCOMES}, repeat_hits=sum(r["repeat_hit"] for r in sel))

    return {
        c: ClassCounts(
            count([r for r in rows if r["category"] == c and r["expect"] == "must_not_reuse"]),
            count([r for r in rows if r["category"] == c and r["expect"] == "reuse_ok"]),
        )
        for c in CATEGORIES
        if any(r["category"] == c for r in rows)
    }


def run_traps(route: TrapRoute, cases: Sequence[Trap] | None = None) -> dict[str, ClassCounts]:
    """The corpus through ``route``: per class, {served_wrong, skipped, reused_correct} of traps and safe variants."""
    return count_traps(trap_rows(route, cases))


def shortfalls(rows: Sequence[dict[str, Any]], category: str, *, min_reuse: float = 0.9) -> tuple[list[str], list[str]]:
    """What one route's rows of ``category`` get wrong: the cases served wrong (traps or safe variants), and, when
    fewer than ``min_reuse`` of the safe variants were reused correctly, those that were not. For test messages."""
    sel = [r for r in rows if r["category"] == category]
    wrong = [f"{r['case']} ({r['path']}): {r['why']}" for r in sel if r["outcome"] == "served_wrong"]
    safe = [r for r in sel if r["expect"] == "reuse_ok"]
    missed = [f"{r['case']}: {r['outcome']} ({r['path']})" for r in safe if r["outcome"] != "reused_correct"]
    return wrong, (missed if len(safe) - len(missed) < min_reuse * len(safe) else [])


def format_traps(rows: Sequence[dict[str, Any]]) -> str:
    """The traps table: class x route, traps and safe variants (served wrong / skipped to the model / reused
    correctly), errors, and the cases whose cached request, sent again, needed the model."""
    n_traps = sum(c.expect == "must_not_reuse" for c in CASES)
    lines = [
        "## Traps (issue 18)",
        "",
        f"{n_traps} traps and {len(CASES) - n_traps} safe variants in {len(CATEGORIES)} classes: a cached request, then one "
        "that differs in something else than its slots (traps: any answer served must be correct for it) or only in "
        "them (safe: it should be reused). Each cell: served wrong / skipped to the model / reused correctly. JSON "
        "cases measure the checks alone: by default a JSON reuse for another record also waits for a second model "
        "answer that agrees, which would skip every one of them.",
        "",
        "| class | route | traps | safe variants | errors | exact repeat needed the model |",
        "|---|---|---|---|---|---|",
    ]
    routes = list(dict.fromkeys(r["route"] for r in rows))
    for route in routes:
        for cat, c in count_traps([r for r in rows if r["route"] == route]).items():
            t, s = c.traps, c.safe
            repeats = t.total + s.total - t.repeat_hits - s.repeat_hits
            lines.append(
                f"| {cat} | {route} | {t.served_wrong} / {t.skipped} / {t.reused_correct} | "
                f"{s.served_wrong} / {s.skipped} / {s.reused_correct} | {t.error + s.error} | {repeats} |"
            )
    return "\n".join(lines)


def rows_main(rows: Callable[[], list[dict[str, Any]]], argv: list[str] | None, description: str) -> int:
    """The command line of an integration's traps module: its rows as JSON lines (what ``stepcache bench
    --formats`` reads), or with ``--summary`` the traps table."""
    import argparse

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--summary", action="store_true", help="print the traps table instead of the rows")
    args = parser.parse_args(argv)
    found = rows()
    if args.summary:
        print(format_traps(found))
        return 0
    for row in found:
        print(json.dumps(row, ensure_ascii=False))
    return 0
