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
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from ..values import Completion, GenerationSpec

__all__ = ["Problem", "STYLES", "StyledAssistant", "read_question", "solve", "variants"]


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
    r"Solve for (?P<v>\\?[A-Za-z\u0370-\u03ff][A-Za-z0-9_{}]*)\s*:\s*(?P<a>\d+)\s*[^\s+\-=]+\s*(?P<s>[+-])\s*(?P<b>\d+)\s*=\s*(?P<c>\d+)"
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


def variants(base: Problem, n: int) -> list[Problem]:
    """``n`` requests of ``base``'s structure with other constants (some with fractional roots) and the same name."""
    out: list[Problem] = []
    a, b, c = base.a, base.b, base.c
    for i in range(1, n + 1):
        out.append(Problem(a + (i % 3), b + 2 * i if b >= 0 else b - 2 * i, c + 7 * i, base.v))
    return out


_PATCH_FROM = re.compile(r"From the line '(.*?)' on it is wrong|It goes wrong from its first line")


class StyledAssistant:
    """A scripted chat model answering the corpus's questions in one style (a core ``Backend``; integrations wrap
    :meth:`respond` in their own fake models). ``prompts`` records everything it was sent."""

    def __init__(self, style: str, *, name: str | None = None) -> None:
        if style not in STYLES:
            raise ValueError(f"unknown style {style!r}; choose from {sorted(STYLES)}")
        self.style = style
        self.name = name or f"assistant:{style}"
        self.prompts: list[str] = []
        self._lock = threading.Lock()

    def respond(self, prompt: str) -> str:
        with self._lock:
            self.prompts.append(prompt)
        problem = read_question(prompt)
        if problem is None:
            return "I can only help with equations."
        answer = solve(self.style, problem)
        m = _PATCH_FROM.search(prompt)
        if m is not None and m.group(1):
            # the engine's patch instruction: rewrite from the line it names, reply with those lines only
            lines = answer.splitlines(keepends=True)
            start = next((i for i, ln in enumerate(lines) if ln.strip() == m.group(1).strip()), 0)
            return "".join(lines[start:])
        return answer

    def complete(self, spec: GenerationSpec) -> Completion:
        text = self.respond(spec.prompt)
        return Completion(text, len(spec.prompt.split()), len(text.split()))
