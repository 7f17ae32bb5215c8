"""The formats corpus: answers written the way widely used chat assistants write them, and a scripted model that
writes them.

Each style renders the solution of one linear equation ``a·v ± b = c`` in its own layout: markdown headings and
lists, inline and display LaTeX, ``Step N:`` labels, chained equalities, prose sentences, ``\\boxed{}`` finals.
:class:`StyledAssistant` plays an instruction-tuned chat model: it reads the *caller's* question out of whatever
prompt it gets (a system prompt, a template), answers in its style, records every prompt, and follows the
engine's patch instructions (rewrite from the line it names). No LLM runs: the corpus exercises reading, adapting
and serving, not model quality.

Used by the tests (``tests/*/test_*formats*``) and by ``stepcache bench --formats``.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Protocol

from ..values import Completion, GenerationSpec

__all__ = [
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
    "print_rows",
]


@dataclass(frozen=True)
class Problem:
    """``a·v + b = c`` (``b`` may be negative: written ``a·v - |b| = c``), ``v`` a variable as the request names it."""

    a: int
    b: int
    c: int
    v: str = "x"

    @property
    def root(self) -> Fraction:
        return Fraction(self.c - self.b, self.a)

    @property
    def equation(self) -> str:
        sign = "+" if self.b >= 0 else "-"
        return f"{self.a}{self.v} {sign} {abs(self.b)} = {self.c}"

    @property
    def question(self) -> str:
        return f"Solve for {self.v}: {self.equation}"


def _num(q: Fraction) -> str:
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


def _tex(q: Fraction) -> str:
    return str(q.numerator) if q.denominator == 1 else f"\\frac{{{q.numerator}}}{{{q.denominator}}}"


def _tex_var(v: str) -> str:
    """How a LaTeX writer spells the variable: ``x_2`` -> ``x_{2}``, ``θ`` -> ``\\theta``, ``rate`` -> ``\\text{rate}``
    is not used (models write ``rate``)."""
    from ..tasks.equation.notation import latex_name

    if "_" in v:
        base, _, sub = v.partition("_")
        return f"{base}_{{{sub}}}"
    return latex_name(v) + (" " if latex_name(v) != v else "")


def _parts(p: Problem) -> dict[str, str]:
    """The numbers and pieces every style uses."""
    move = "Subtract" if p.b >= 0 else "Add"
    op = "-" if p.b >= 0 else "+"
    rhs = p.c - p.b
    return {
        "a": str(p.a), "b": str(abs(p.b)), "c": str(p.c), "v": p.v, "eq": p.equation, "move": move, "op": op,
        "rhs": str(rhs), "root": _num(p.root), "tex_root": _tex(p.root), "tv": _tex_var(p.v),
        "prep": "from" if p.b >= 0 else "to", "frac": f"\\frac{{{rhs}}}{{{p.a}}}", "sign": "+" if p.b >= 0 else "-",
    }  # fmt: skip


def _chatgpt(p: Problem) -> str:
    d = _parts(p)
    return (
        f"To solve for \\({d['tv']}\\), isolate it on one side.\n\n"
        f"### Step 1: {d['move']} {d['b']} {d['prep']} both sides\n"
        f"\\[\n{d['a']}{d['tv']} {d['sign']} {d['b']} {d['op']} {d['b']} = {d['c']} {d['op']} {d['b']}\n\\]\n"
        f"\\[\n{d['a']}{d['tv']} = {d['rhs']}\n\\]\n\n"
        f"### Step 2: Divide both sides by {d['a']}\n"
        f"\\[\n{d['tv']} = {d['frac']}\n\\]\n\n"
        f"**Answer:** \\({d['tv']} = {d['tex_root']}\\)"
    )


def _claude(p: Problem) -> str:
    d = _parts(p)
    return (
        "I'll solve this step by step.\n\n"
        f"Starting with: {d['eq']}\n\n"
        f"{d['move']} {d['b']} {d['prep']} both sides:\n{d['a']}{d['v']} = {d['c']} {d['op']} {d['b']}\n{d['a']}{d['v']} = {d['rhs']}\n\n"
        f"Divide both sides by {d['a']}:\n{d['v']} = {d['root']}\n\n"
        f"**Answer: {d['v']} = {d['root']}**"
    )


def _gemini(p: Problem) -> str:
    d = _parts(p)
    return (
        "Here's how to solve the equation:\n\n"
        f"1. **{d['move']} {d['b']} {d['prep']} both sides:**\n"
        f"   {d['a']}{d['v']} {d['sign']} {d['b']} {d['op']} {d['b']} = {d['c']} {d['op']} {d['b']}\n"
        f"   {d['a']}{d['v']} = {d['rhs']}\n\n"
        f"2. **Divide both sides by {d['a']}:**\n"
        f"   {d['v']} = {d['rhs']} / {d['a']}\n\n"
        f"Therefore, the solution is **{d['v']} = {d['root']}**."
    )


def _llama(p: Problem) -> str:
    d = _parts(p)
    return (
        f"Step 1: {d['move']} {d['b']} {d['prep']} both sides of the equation.\n"
        f"{d['a']}{d['v']} = {d['c']} {d['op']} {d['b']} = {d['rhs']}\n\n"
        f"Step 2: Divide both sides by {d['a']}.\n"
        f"{d['v']} = {d['rhs']} / {d['a']} = {d['root']}\n\n"
        f"The final answer is: $\\boxed{{{d['tex_root']}}}$"
    )


def _display(p: Problem) -> str:
    d = _parts(p)
    return f"$${d['a']}{d['tv']} {d['sign']} {d['b']} = {d['c']}$$\n$${d['a']}{d['tv']} = {d['rhs']}$$\n$${d['tv']} = {d['tex_root']}$$"


def _plain(p: Problem) -> str:
    d = _parts(p)
    return f"{d['a']}{d['v']} = {d['c']} {d['op']} {d['b']}\n{d['a']}{d['v']} = {d['rhs']}\n{d['v']} = {d['root']}"


def _mistral(p: Problem) -> str:
    d = _parts(p)
    return (
        f"To solve {d['eq']}, first {d['move'].lower()} {d['b']} {d['prep']} both sides, which gives {d['a']}{d['v']} = {d['rhs']}.\n"
        f"Then divide both sides by {d['a']} to get {d['v']} = {d['root']}.\n"
        f"So the solution is {d['v']} = {d['root']}."
    )


def _qwen(p: Problem) -> str:
    d = _parts(p)
    return (
        "\\[\n\\begin{aligned}\n"
        f"{d['a']}{d['tv']} {d['sign']} {d['b']} &= {d['c']} \\\\\n"
        f"{d['a']}{d['tv']} &= {d['c']} {d['op']} {d['b']} \\\\\n"
        f"&= {d['rhs']} \\\\\n"
        f"{d['tv']} &= {d['tex_root']}\n"
        "\\end{aligned}\n\\]\n\n"
        f"The solution is \\(\\boxed{{{d['tv']} = {d['tex_root']}}}\\)."
    )


STYLES: dict[str, Callable[[Problem], str]] = {
    "chatgpt-markdown-latex": _chatgpt,
    "claude-steps-bold-answer": _claude,
    "gemini-numbered-list": _gemini,
    "llama-step-labels-boxed": _llama,
    "display-math-lines": _display,
    "plain-lines": _plain,
    "mistral-sentences": _mistral,
    "qwen-aligned-chain": _qwen,
}
"""Style name -> renderer. The names say which assistant's habits the style follows, not that it came from it."""


_QUESTION = re.compile(
    r"Solve for (?P<v>\\?[A-Za-z\u0370-\u03ff][A-Za-z0-9_{}]*)\s*:\s*(?P<a>\d+)\s*[^\s+\-=]+\s*(?P<s>[+-])\s*(?P<b>\d+)\s*=\s*(?P<c>-?\d+)"
)


def read_question(prompt: str) -> Problem | None:
    """The last question of the corpus's form in ``prompt`` (whatever system prompt or template surrounds it)."""
    found = list(_QUESTION.finditer(prompt))
    if not found:
        return None
    m = found[-1]
    b = int(m.group("b")) * (1 if m.group("s") == "+" else -1)
    return Problem(int(m.group("a")), b, int(m.group("c")), m.group("v").replace("{", "").replace("}", ""))


def solve(style: str, problem: Problem) -> str:
    return STYLES[style](problem)


def variants(base: Problem, n: int = 6) -> list[Problem]:
    """Up to ``n`` requests of ``base``'s structure and name with other constants, chosen to be hard to adapt:
    a fractional root, a coefficient equal to the constant term, a negative root, a zero root, a root equal to a
    constant of the equation."""
    a, b, c = base.a, base.b, base.c
    sign = 1 if b >= 0 else -1
    picks = [
        (a + 1, b + 2 * sign, c + 7),  # another integer root, every constant changed
        (a, b + 2 * sign, c),  # a fractional root
        (abs(b), b, c + abs(b)),  # the coefficient equals the constant term
        (a, b, b - 2 * a),  # a negative root
        (a + 1, b, b),  # a zero root
        (a + 2, b + sign, (a + 2) * (abs(b) + 1) + b + sign),  # the root equals |b| + 1
    ]
    return [Problem(x, y, z, base.v) for x, y, z in picks[:n] if x != 0]


BASES = (Problem(3, 5, 20), Problem(4, -7, 21))
"""The first requests of the corpus: ``3v + 5 = 20`` and ``4v - 7 = 21`` (each style, each name)."""


_PATCH_KEEP = re.compile(r"The first (\d+) lines, up to and including|(It goes wrong from its first line)")


def _slip(answer: str, problem: Problem) -> str:
    """The answer with its last statement of the root off by one (a model's arithmetic slip)."""
    right = _num(problem.root)
    tex = _tex(problem.root)
    i = max(answer.rfind(right), answer.rfind(tex))
    wrong = problem.root + 1
    if i < 0:
        return answer + f"\n{problem.v} = {_num(wrong)}"
    old = tex if answer.rfind(tex) == i else right
    return answer[:i] + (_tex(wrong) if old == tex else _num(wrong)) + answer[i + len(old) :]


class StyledAssistant:
    """A scripted chat model answering the corpus's questions in one style (a core ``Backend``; integrations wrap
    :meth:`respond` in their own fake models). ``prompts`` records everything it was sent."""

    def __init__(self, style: str, *, name: str | None = None, slips: int = 0) -> None:
        if style not in STYLES:
            raise ValueError(f"unknown style {style!r}; choose from {sorted(STYLES)}")
        self.style = style
        self.name = name or f"assistant:{style}"
        self.slips = slips
        """How many of its first answers to the caller's prompt state a wrong final value (off by one)."""
        self.prompts: list[str] = []
        self._lock = threading.Lock()

    def respond(self, prompt: str) -> str:
        with self._lock:
            self.prompts.append(prompt)
        problem = read_question(prompt)
        if problem is None:
            return "I can only help with equations."
        if problem.a == 0:
            return f"The {problem.v} terms cancel: {problem.b} = {problem.c} holds for every {problem.v}, so every value is a solution."
        answer = solve(self.style, problem)
        m = _PATCH_KEEP.search(prompt)
        if m is None and self.slips > 0:
            self.slips -= 1
            return _slip(answer, problem)
        if m is not None and m.group(1):
            # the engine's patch instruction: continue after the last correct line, reply with those lines only
            lines = answer.splitlines(keepends=True)
            keep, seen = int(m.group(1)), 0
            for i, line in enumerate(lines):
                seen += bool(line.strip())
                if seen == keep:
                    return "".join(lines[i + 1 :]).lstrip("\n")
            return answer
        return answer

    def complete(self, spec: GenerationSpec) -> Completion:
        text = self.respond(spec.prompt)
        return Completion(text, len(spec.prompt.split()), len(text.split()))


_BOX = re.compile(r"\\boxed\{(?:[^{}=]*=)?\s*(-?\d+(?:/\d+)?)\s*\}")


def is_correct(text: str, problem: Problem) -> bool:
    """Judged from the served text alone, independently of the verifier: the last value the answer gives for the
    variable (``v = value``, ``\\boxed{value}``) is the root, and no line states another value for it."""
    from ..tasks.equation.notation import latex_name

    plain = re.sub(r"\\[dt]?frac\{(-?\d+)\}\{(\d+)\}", r"\1/\2", text)
    plain = re.sub(r"([A-Za-z])_\{(\w+)\}", r"\1_\2", plain)
    if latex_name(problem.v) != problem.v:
        plain = re.sub(re.escape(latex_name(problem.v)) + r"(?![A-Za-z])\s*", problem.v + " ", plain)
    name = re.escape(problem.v)
    given: list[Fraction] = []
    for line in plain.splitlines():
        for m in re.finditer(rf"(?<![A-Za-z0-9_\\]){name}(?![A-Za-z0-9_])\s*&?(=[^=\n]*)", line):
            last = m.group(1).split("=")[-1]
            v = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?(?:/\d+)?)\s*(?:\\\)|\$+|\*\*|\.|\\\\)?\s*", last.replace("**", ""))
            if v is not None:
                given.append(Fraction(v.group(1)))
        for m in _BOX.finditer(line):
            given.append(Fraction(m.group(1)))
    return bool(given) and given[-1] == problem.root and all(g == problem.root for g in given)


NAMES = ("x", "t1", "x_2", "θ", "rate")
"""Variable names the corpus asks for: a letter, a letter with digits, a subscript, a Greek letter, a word."""

TEMPLATE = "You are a patient math tutor. Explain every step.\n\nQuestion: {question}\nPlease explain it simply."
"""The caller's own prompt around each question (a route may split it into system and user turns)."""

REJECTED = "Solve for x: 0x + 5 = 5"
"""A request the equation task rejects (every x solves it): an error row, or exact-match text, never an abort."""


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


def run_corpus(route: Route, *, styles: Sequence[str] = tuple(STYLES), names: Sequence[str] = NAMES, n_variants: int = 6) -> list[dict[str, Any]]:
    """Every style x name x base: the first request (a miss), its exact repeat, ``n_variants`` variants; then the
    rejected request. One row per request."""
    rows: list[dict[str, Any]] = []
    for style in styles:
        for name in names:
            assistant = StyledAssistant(style)
            serve = route.open(assistant)
            for shape in BASES:
                rows.extend(_requests(route, serve, style, Problem(shape.a, shape.b, shape.c, name), n_variants))
            try:
                rejected = serve(REJECTED)
            except Exception as e:  # a route must not raise on these; a row records it
                rejected = Served(None, "error", 0, error=f"{type(e).__name__}: {e}")
            rows.append({"route": route.name, "style": style, "name": name, "kind": "rejected", "question": REJECTED,
                         "path": rejected.path, "model_calls": rejected.model_calls, "error": rejected.error,
                         "verbatim": rejected.verbatim, "correct": None, "wrong": False})  # fmt: skip
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
    """Per route, and per route and style: identical repeats, variants reused and correct, wrong served, prompts
    seen verbatim on misses, errors."""
    out: dict[str, dict[str, Any]] = {}
    keys = sorted({(r["route"], None) for r in rows} | {(r["route"], r["style"]) for r in rows}, key=lambda k: (k[0], k[1] or ""))
    for route, style in keys:
        sel = [r for r in rows if r["route"] == route and (style is None or r["style"] == style)]
        repeats = [r for r in sel if r["kind"] == "repeat"]
        var = [r for r in sel if r["kind"] == "variant"]
        firsts = [r for r in sel if r["kind"] == "first"]
        reached = [r for r in sel if r["verbatim"] is not None]
        out[f"{route}" if style is None else f"{route}/{style}"] = {
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


def memory_engine() -> Any:
    """A fresh engine on an in-memory store and the hashing embedder: what the integrations' corpus routes use."""
    from ..embed import HashEmbedder
    from ..engine import StepCacheEngine
    from ..store import MemoryStore

    return StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder())


def print_rows(rows: Sequence[dict[str, Any]], json_rows: Sequence[dict[str, Any]], *, summary: bool) -> None:
    """An integration's corpus run on stdout: one JSON row a line (``stepcache bench --formats`` reads them), or
    the summary."""
    import json

    from .formats_json import summarize_json_corpus

    tagged = [{**r, "task": "json"} for r in json_rows]
    if summary:
        print(json.dumps({**summarize_corpus(rows), **summarize_json_corpus(tagged)}, indent=2))
        return
    for row in [*rows, *tagged]:
        print(json.dumps(row, ensure_ascii=False))


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
        f"(no LLM runs), {len(NAMES)} kinds of variable names ({', '.join(NAMES)}), {len(BASES)} equation structures, "
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

    lines += [row(k, s) for k, s in summary.items() if "/" not in k]
    lines += ["", "Per route and style family:", "", head]
    lines += [row(k, s) for k, s in summary.items() if "/" in k and not k.startswith(("none/", "exact/"))]
    if json_summary:
        from .formats_json import CASES, TOOL_STYLES, WRAPPERS

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
            "first text, its exact repeat, the other texts of its kind. Through the core API (schema given), LangChain's "
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
