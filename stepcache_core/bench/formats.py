"""The formats corpus, run: every style x variable name x equation structure through a route (the core API here,
the integrations' routes in their packages), summarized and reported.

The corpus (:mod:`.formats_corpus`: styles, problems, :class:`StyledAssistant`) is data; its names are importable
from here too. Used by the tests (``tests/*/test_*formats*``) and by ``stepcache bench --formats``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from .formats_corpus import (
    ASKS,
    BASES,
    FORMS,
    LANGUAGE_STYLES,
    NAMES,
    REJECTED,
    STYLES,
    TEMPLATE,
    Problem,
    StyledAssistant,
    is_correct,
    read_question,
    solve,
    variants,
)
from .formats_json_corpus import CASES, TOOL_STYLES, WRAPPERS

__all__ = [
    "REUSE_TARGET",
    "Problem",
    "STYLES",
    "NAMES",
    "TEMPLATE",
    "StyledAssistant",
    "read_question",
    "solve",
    "variants",
    "is_correct",
    "Route",
    "Served",
    "CoreRoute",
    "NoCacheRoute",
    "ExactRoute",
    "run_corpus",
    "summarize_corpus",
    "format_corpus",
    "memory_engine",
]


class Route(Protocol):
    """One way a caller reaches StepCache. ``open`` builds a fresh cache in front of ``assistant`` and returns
    ``serve(question) -> Served``."""

    name: str

    def open(self, assistant: StyledAssistant) -> Callable[[str], Served]: ...


@dataclass(frozen=True)
class Served:
    text: str | None
    path: str
    model_calls: int
    verbatim: bool | None = None
    """On a call that reached the model: whether the model got exactly what the caller sent."""
    error: str | None = None


OTHER_LANGUAGES = tuple(ask for ask in ASKS if ask != "en")
REUSE_TARGET = 0.7
"""The share of each style's hard variants that the routes must reuse correctly (0.75 to 1.0 measured). Of each
structure's six, one turns a whole root into a fraction ("x = 13/3"), which no cached answer shows the model's way
of writing ("13/3", "4.33", "4 1/3"), and in the styles that write a quotient ("x = 28/4"), one more turns a
quotient in lowest terms into one that reduces ("x = 37/5" to "x = 30/4 = 15/2"): the model answers those (see
:mod:`stepcache_core.tasks.equation.corroborate` and ``carry.form_moved``)."""
LANGUAGE_NAMES = ("x", "θ", "rate")
"""The variable names the other languages' questions use."""


def run_corpus(
    route: Route,
    *,
    styles: Sequence[str] = tuple(STYLES) + tuple(FORMS),
    names: Sequence[str] = NAMES,
    n_variants: int = 6,
    languages: Sequence[str] = OTHER_LANGUAGES,
) -> list[dict[str, Any]]:
    """Every style x name x base, asked in English: the first request (a miss), its exact repeat, ``n_variants``
    variants; then the rejected request. Then every other language of ``languages`` x :data:`LANGUAGE_STYLES` x
    :data:`LANGUAGE_NAMES` x base. One row per request; ``group`` is the style (English) or the language, ``class``
    is ``styles`` (assistants' layouts), ``forms`` (:data:`FORMS`) or ``languages``."""
    rows: list[dict[str, Any]] = []
    sweeps = [(style, name, "en") for style in styles for name in names]
    sweeps += [(style, name, lang) for lang in languages for style in LANGUAGE_STYLES for name in LANGUAGE_NAMES]
    for style, name, lang in sweeps:
        assistant = StyledAssistant(style)
        serve = route.open(assistant)
        cls = "languages" if lang != "en" else "forms" if style in FORMS else "styles"
        group = lang if lang != "en" else style
        for shape in BASES:
            base = Problem(shape.a, shape.b, shape.c, name, lang)
            rows.extend(
                {**r, "group": group, "class": cls, "lang": lang} for r in _requests(route, serve, style, base, n_variants)
            )
        if lang != "en":
            continue
        try:
            rejected = serve(REJECTED)
        except Exception as e:  # a route must not raise on these; a row records it
            rejected = Served(None, "error", 0, error=f"{type(e).__name__}: {e}")
        rows.append({"route": route.name, "style": style, "name": name, "kind": "rejected", "question": REJECTED,
                     "path": rejected.path, "model_calls": rejected.model_calls, "error": rejected.error,
                     "verbatim": rejected.verbatim, "correct": None, "wrong": False, "group": group, "class": cls,
                     "lang": lang})  # fmt: skip
    return rows


def _requests(route: Route, serve: Callable[[str], Served], style: str, base: Problem, n_variants: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    first: str | None = None
    for kind, problem in [("first", base), ("repeat", base)] + [("variant", v) for v in variants(base, n_variants)]:
        t = time.perf_counter()
        try:
            out = serve(problem.question)
        except Exception as e:  # a route must not raise on these; a row records it
            out = Served(None, "error", 0, error=f"{type(e).__name__}: {e}")
        row = {
            "route": route.name, "style": style, "name": base.v, "kind": kind, "question": problem.question,
            "path": out.path, "model_calls": out.model_calls, "verbatim": out.verbatim, "error": out.error,
            "correct": out.text is not None and is_correct(out.text, problem), "latency_s": time.perf_counter() - t,
        }  # fmt: skip
        if kind == "first":
            first = out.text
            row["identical"] = out.text == solve(style, base)  # the model's own answer, as it wrote it
        if kind == "repeat":
            row["identical"] = out.text is not None and out.text == first and out.model_calls == 0
        row["wrong"] = out.text is not None and not row["correct"]
        rows.append(row)
    return rows


def summarize_corpus(rows: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per route, per route and class (``route:class``) and per route and group (``route/group``: a style, or a
    language): identical repeats, variants reused and correct, wrong served, prompts seen verbatim on misses,
    errors."""
    out: dict[str, dict[str, Any]] = {}
    keys: set[tuple[str, str | None, str | None]] = {(r["route"], None, None) for r in rows}
    keys |= {(r["route"], ":", r["class"]) for r in rows if "class" in r} | {
        (r["route"], "/", r.get("group", r["style"])) for r in rows
    }
    for route, sep, part in sorted(keys, key=lambda k: (k[0], k[1] or "", k[2] or "")):
        field = "class" if sep == ":" else "group"
        sel = [r for r in rows if r["route"] == route and (sep is None or str(r.get(field, r["style"])) == part)]
        repeats = [r for r in sel if r["kind"] == "repeat"]
        var = [r for r in sel if r["kind"] == "variant"]
        firsts = [r for r in sel if r["kind"] == "first"]
        reached = [r for r in sel if r["verbatim"] is not None]
        out[route if sep is None else f"{route}{sep}{part}"] = {
            "requests": len(sel),
            "first_served_as_written": _rate([r["identical"] for r in firsts]),
            "repeats_identical": _rate([r["identical"] for r in repeats]),
            "variants_reused_correct": _rate([r["path"] in ("reuse", "patch") and r["correct"] for r in var]),
            "variants_reused_no_model_call": _rate([r["path"] == "reuse" and r["model_calls"] == 0 for r in var]),
            "variants_correct": _rate([r["correct"] for r in var]),
            "wrong_served": sum(1 for r in sel if r["wrong"]),
            "prompt_verbatim": _rate([r["verbatim"] for r in reached]),
            "model_calls": sum(r["model_calls"] for r in sel),
            "error_rows": sum(1 for r in sel if r["path"] == "error"),
        }
    return out


def _rate(values: Sequence[bool | None]) -> float | None:
    vals = [bool(v) for v in values if v is not None]
    return round(sum(vals) / len(vals), 4) if vals else None


def memory_engine(backend: Any = None) -> Any:
    """A fresh engine on an in-memory store and the hashing embedder, in front of ``backend`` if given: what the
    integrations' corpus routes and the core's traps route use."""
    from ..embed import HashEmbedder
    from ..engine import StepCacheEngine
    from ..store import MemoryStore

    return StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder(), backend=backend)


def checks_engine(backend: Any = None) -> Any:
    """:func:`memory_engine` with the JSON checks alone deciding a reuse for another record (no second answer
    awaited: see :mod:`stepcache_core.tasks.json.corroborate`): what the traps corpus measures, since by default
    every JSON trap would wait for a corroborating answer and test nothing of the checks."""
    from ..embed import HashEmbedder
    from ..engine import StepCacheEngine
    from ..store import MemoryStore
    from ..tasks import builtin_tasks

    return StepCacheEngine(
        store=MemoryStore(), embedder=HashEmbedder(), backend=backend, tasks=builtin_tasks(json_corroboration=False)
    )


class NoCacheRoute:
    """The model every time (the ``none`` system): the caller's prompt, the model's answer."""

    name = "none"

    def open(self, assistant: StyledAssistant) -> Callable[[str], Served]:
        def serve(question: str) -> Served:
            prompt = TEMPLATE.format(question=question)
            seen = len(assistant.prompts)
            text = assistant.respond(prompt)
            return Served(text, "miss", 1, assistant.prompts[seen] == prompt)

        return serve


class ExactRoute:
    """An exact-match cache on the whole prompt (the ``exact`` system, as LangChain's ``InMemoryCache``)."""

    name = "exact"

    def open(self, assistant: StyledAssistant) -> Callable[[str], Served]:
        kept: dict[str, str] = {}

        def serve(question: str) -> Served:
            prompt = TEMPLATE.format(question=question)
            if prompt in kept:
                return Served(kept[prompt], "reuse", 0)
            seen = len(assistant.prompts)
            kept[prompt] = assistant.respond(prompt)
            return Served(kept[prompt], "miss", 1, assistant.prompts[seen] == prompt)

        return serve


class CoreRoute:
    """``StepCacheEngine.run`` with the assistant as its backend: the caller's prompt is the template."""

    name = "core"

    def __init__(self, make_engine: Callable[[Any], Any]) -> None:
        self._make_engine = make_engine

    def open(self, assistant: StyledAssistant) -> Callable[[str], Served]:
        from ..errors import StepCacheError
        from ..values import Request

        engine = self._make_engine(assistant)

        def serve(question: str) -> Served:
            prompt = TEMPLATE.format(question=question)
            seen = len(assistant.prompts)
            try:
                out = engine.run(Request(prompt))
            except StepCacheError as e:
                return Served(None, "error", len(assistant.prompts) - seen, error=f"{type(e).__name__}: {e}")
            calls = assistant.prompts[seen:]
            verbatim = (calls[0] == prompt) if calls and out.trace.path in ("miss", "skip") else None
            return Served(out.text, out.trace.path, out.trace.backend_calls, verbatim)

        return serve


def format_corpus(
    summary: dict[str, dict[str, Any]], meta: dict[str, Any], json_summary: dict[str, dict[str, Any]] | None = None
) -> str:
    """The formats report: one row per system and route, then one row per route and style."""

    def pct(v: float | None) -> str:
        return "n/a" if v is None else f"{100 * v:.1f}%"

    head = (
        "| route | requests | first answer served as written | exact repeats identical | variants reused and correct "
        "| variants reused, no model call | wrong served | model saw the caller's prompt | model calls | error rows |\n"
        "|---|---|---|---|---|---|---|---|---|---|"
    )
    lines = [
        "# Formats benchmark",
        "",
        f"{meta.get('date', '')}, {meta.get('machine', '')}. Scripted chat models answering in {len(STYLES)} assistants' styles "
        f"and {len(FORMS)} more answer forms (no LLM runs), {len(NAMES)} kinds of variable names ({', '.join(NAMES)}), {len(BASES)} equation structures, "
        "each: the first request, its exact repeat, 6 hard variants; then one request the equation task rejects. "
        "The caller's prompt is a system prompt and a template around the question.",
        "",
        head,
    ]

    def row(key: str, s: dict[str, Any]) -> str:
        return (
            f"| {key} | {s['requests']} | {pct(s['first_served_as_written'])} | {pct(s['repeats_identical'])} | "
            f"{pct(s['variants_reused_correct'])} | {pct(s['variants_reused_no_model_call'])} | {s['wrong_served']} | "
            f"{pct(s['prompt_verbatim'])} | {s['model_calls']} | {s['error_rows']} |"
        )

    lines += [row(k, s) for k, s in summary.items() if "/" not in k and ":" not in k]
    lines += [
        "",
        f"Per route and class: `styles` (the {len(STYLES)} assistants' layouts), `forms` ({len(FORMS)} answer forms: "
        f"{', '.join(FORMS)}), `languages` (the question asked in {', '.join(lang for lang in ASKS if lang != 'en')}; "
        f"answered in {', '.join(LANGUAGE_STYLES)}):",
        "",
        head,
    ]
    lines += [row(k, s) for k, s in summary.items() if ":" in k and not k.startswith(("none:", "exact:"))]
    lines += ["", "Per route and style or language:", "", head]
    lines += [row(k, s) for k, s in summary.items() if "/" in k and not k.startswith(("none/", "exact/"))]
    if json_summary:
        json_head = head.replace(
            "| model calls | error rows |", "| model calls | error rows | reused in their wrapper | served as tool calls |"
        ).replace("|---|---|---|---|---|---|---|---|---|---|", "|---|---|---|---|---|---|---|---|---|---|---|---|")

        def json_row(key: str, s: dict[str, Any]) -> str:
            return row(key, s) + f" {pct(s.get('reused_in_their_wrapper'))} | {pct(s.get('served_as_tool_calls'))} |"

        lines += [
            "",
            "## JSON",
            "",
            f"Extraction answers in {len(WRAPPERS)} text wrappers ({', '.join(WRAPPERS)}) and {len(TOOL_STYLES)} tool-call "
            f"styles ({', '.join(TOOL_STYLES)}) for {len(CASES)} record kinds ({', '.join(c.kind for c in CASES)}): the "
            "first text, its exact repeat, a second record that moves every value (the model's to answer: a reuse for "
            "another record waits for an answer that agrees, and this one corroborates the first; counted apart from "
            "the variants), the other texts of its kind. Through the core API (schema given), LangChain's "
            "output parsers (schema discovered from their format instructions), LangChain tool calls (`bind_tools`, "
            "`with_structured_output`; schema from the tool in the `llm_string`), LlamaIndex (`LLMTextCompletionProgram`, "
            "`structured_predict`) and LlamaIndex tool calls (`chat_with_tools`, `FunctionCallingProgram`).",
            "",
            json_head,
        ]
        lines += [json_row(k, s) for k, s in json_summary.items() if "/" not in k]
        lines += ["", "Per route and wrapper:", "", json_head]
        lines += [json_row(k, s) for k, s in json_summary.items() if "/" in k and not k.startswith(("none/", "exact/"))]
    return "\n".join(lines)
