"""The JSON formats corpus, run: every wrapper x record kind through a route, then summarized.

The corpus (:mod:`.formats_json_corpus`: records, wrappers, :class:`JsonAssistant`) is data. Routes (the LangChain output parsers, LlamaIndex programs) live in the integrations;
:func:`run_json_corpus` drives any of them and :func:`print_rows` is their command line's output.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from .formats import summarize_corpus
from .formats_json_corpus import CASES, WRAPPERS, Case, JsonAssistant

__all__ = [
    "JsonRoute",
    "JsonServed",
    "run_json_corpus",
    "summarize_json_corpus",
    "CoreJsonRoute",
    "print_rows",
]


@dataclass(frozen=True)
class JsonServed:
    value: dict[str, Any] | None
    """What the caller got, as a dict (a parser's pydantic object dumped)."""
    text: str | None
    """The raw text the model (or the cache) gave, when the route sees it."""
    path: str
    model_calls: int
    verbatim: bool | None = None
    error: str | None = None
    tool_call: bool | None = None
    """For tool-call routes: whether the caller got one tool call of the expected tool with a fresh id
    (an exact repeat: the first answer's id), whose raw provider copies carry the same arguments."""


class JsonRoute(Protocol):
    name: str

    def open(self, assistant: JsonAssistant, case: Case) -> Callable[[str], JsonServed]: ...


def run_json_corpus(route: JsonRoute, *, wrappers: Sequence[str] = tuple(WRAPPERS)) -> list[dict[str, Any]]:
    """Every wrapper x record kind: the base text, its exact repeat, a second record that moves every value (the
    model's to answer: its agreement corroborates the entry), then the other texts of its kind."""
    rows: list[dict[str, Any]] = []
    for wrapper in wrappers:
        for case in CASES:
            assistant = JsonAssistant(wrapper)
            serve = route.open(assistant, case)
            (base_text, base_obj), *others = case.texts
            first_text: str | None = None
            plan = [("first", base_text, base_obj), ("repeat", base_text, base_obj), ("second", *case.second)]
            plan += [("variant", t, o) for t, o in others]
            for kind, text, expected in plan:
                t0 = time.perf_counter()
                try:
                    out = serve(text)
                except Exception as e:  # a route must not raise on these; a row records it
                    out = JsonServed(None, None, "error", 0, error=f"{type(e).__name__}: {e}")
                correct = out.value is not None and _same(out.value, expected)
                row = {
                    "route": route.name, "style": wrapper, "name": case.kind, "kind": kind, "question": text,
                    "path": out.path, "model_calls": out.model_calls, "verbatim": out.verbatim, "error": out.error,
                    "correct": correct, "wrong": out.value is not None and not correct, "latency_s": time.perf_counter() - t0,
                }  # fmt: skip
                if kind == "first":
                    first_text = out.text
                    row["identical"] = out.text is None or out.text == WRAPPERS[wrapper](base_obj)
                if kind == "repeat":
                    row["identical"] = out.model_calls == 0 and (out.text is None or out.text == first_text)
                if kind == "variant" and out.text is not None and out.path == "reuse":
                    row["wrapper_kept"] = out.text == WRAPPERS[wrapper](expected)
                if out.tool_call is not None:
                    row["tool_call_kept"] = out.tool_call
                rows.append(row)
    return rows


def _same(got: dict[str, Any], expected: dict[str, Any]) -> bool:
    return set(got) == set(expected) and all(got[k] == v for k, v in expected.items())


def summarize_json_corpus(rows: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """:func:`~.formats.summarize_corpus`, plus the variants reused in their wrapper and the tool calls served as
    tool calls."""
    out = summarize_corpus(rows)
    for key, s in out.items():
        route, _, style = key.partition("/")
        sel = [r for r in rows if r["route"] == route and (not style or r["style"] == style) and "wrapper_kept" in r]
        s["reused_in_their_wrapper"] = round(sum(r["wrapper_kept"] for r in sel) / len(sel), 4) if sel else None
        calls = [r for r in rows if r["route"] == route and (not style or r["style"] == style) and "tool_call_kept" in r]
        s["served_as_tool_calls"] = round(sum(r["tool_call_kept"] for r in calls) / len(calls), 4) if calls else None
    return out


class CoreJsonRoute:
    """``StepCacheEngine.run(Request(text, schema=model's JSON Schema))`` with the assistant as its backend."""

    name = "core:json"

    def __init__(self, make_engine: Callable[[Any], Any]) -> None:
        self._make_engine = make_engine

    def open(self, assistant: JsonAssistant, case: Case) -> Callable[[str], JsonServed]:
        from ..errors import StepCacheError
        from ..segment import find_json_object
        from ..values import Request

        engine = self._make_engine(assistant)
        schema = case.model.model_json_schema()

        def serve(text: str) -> JsonServed:
            seen = len(assistant.prompts)
            try:
                out = engine.run(Request(text, schema=schema))
            except StepCacheError as e:
                return JsonServed(None, None, "error", len(assistant.prompts) - seen, error=f"{type(e).__name__}: {e}")
            calls = assistant.prompts[seen:]
            verbatim = (calls[0] == text) if calls and out.trace.path in ("miss", "skip") else None
            return JsonServed(find_json_object(out.text), out.text, out.trace.path, out.trace.backend_calls, verbatim)

        return serve


def print_rows(rows: Sequence[dict[str, Any]], json_rows: Sequence[dict[str, Any]], *, summary: bool) -> None:
    """An integration's corpus run on stdout: one JSON row a line (``stepcache bench --formats`` reads them), or
    the summary."""
    tagged = [{**r, "task": "json"} for r in json_rows]
    if summary:
        print(json.dumps({**summarize_corpus(rows), **summarize_json_corpus(tagged)}, indent=2))
        return
    for row in [*rows, *tagged]:
        print(json.dumps(row, ensure_ascii=False))
