"""The formats corpus's workload: answers written the way widely used chat assistants write them, and a scripted
model that writes them.

Each style renders the solution of one linear equation ``a·v ± b = c`` in its own layout: markdown headings and
lists, inline and display LaTeX, ``Step N:`` labels, chained equalities, prose sentences, ``\\boxed{}`` finals.
:class:`StyledAssistant` plays an instruction-tuned chat model: it reads the *caller's* question out of whatever
prompt it gets (a system prompt, a template), answers in its style, records every prompt, and follows the
engine's patch instructions (rewrite from the line it names). No LLM runs: the corpus exercises reading, adapting
and serving, not model quality.

Data only: :mod:`.formats` runs the corpus through routes and reports it; :mod:`.traps_corpus` builds on the styles.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from ..values import Completion, GenerationSpec

__all__ = [
    "Problem",
    "ASKS",
    "STYLES",
    "FORMS",
    "RENDERERS",
    "LANGUAGE_STYLES",
    "NAMES",
    "BASES",
    "TEMPLATE",
    "REJECTED",
    "StyledAssistant",
    "read_question",
    "solve",
    "variants",
    "is_correct",
    "follow_patch",
]


@dataclass(frozen=True)
class Problem:
    """``a·v + b = c`` (``b`` may be negative: written ``a·v - |b| = c``), ``v`` a variable as the request names it."""

    a: int
    b: int
    c: int
    v: str = "x"
    lang: str = "en"
    """The language the question is asked in (a key of :data:`ASKS`)."""

    @property
    def root(self) -> Fraction:
        return Fraction(self.c - self.b, self.a)

    @property
    def equation(self) -> str:
        sign = "+" if self.b >= 0 else "-"
        return f"{self.a}{self.v} {sign} {abs(self.b)} = {self.c}"

    @property
    def question(self) -> str:
        return ASKS[self.lang].format(v=self.v, eq=self.equation)


ASKS = {
    "en": "Solve for {v}: {eq}",
    "fr": "Résous pour {v} : {eq}",
    "de": "Löse nach {v} auf: {eq}",
    "es": "Resuelve para {v}: {eq}",
    "pt": "Resolva a equação para {v}: {eq}",
    "it": "Risolvi per {v}: {eq}",
    "ru": "Реши уравнение относительно {v}: {eq}",
    "zh": "求解 {v}：{eq}",
    "ja": "{v} について解きなさい：{eq}",
}
"""How the question is asked, per language: as chat apps' users write it (the variable may come first)."""


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


def _gerund(move: str) -> str:
    return {"Subtract": "Subtracting", "Add": "Adding"}[move]


def _sentences(p: Problem) -> str:
    d = _parts(p)
    return f"{_gerund(d['move'])} {d['b']} {d['prep']} both sides gives {d['a']}{d['v']} = {d['rhs']}, so {d['v']} = {d['root']}."


def _arrows(p: Problem) -> str:
    d = _parts(p)
    return f"{d['eq']} → {d['a']}{d['v']} = {d['rhs']} → {d['v']} = {d['root']}"


def _implies(p: Problem) -> str:
    d = _parts(p)
    return (
        f"{d['eq']}\n"
        f"⇒ {d['a']}{d['v']} = {d['c']} {d['op']} {d['b']} = {d['rhs']}\n"
        f"=> {d['v']} = {d['rhs']}/{d['a']} = {d['root']}"
    )


def _dfrac(p: Problem) -> str:
    d = _parts(p)
    root = d["tex_root"].replace("\\frac", "\\dfrac")
    return (
        f"$${d['a']}\\left({d['tv'].strip()}\\right) {d['sign']} {d['b']} = {d['c']}$$\n"
        f"$${d['a']}\\left({d['tv'].strip()}\\right) = {d['rhs']}$$\n"
        f"$${d['tv']}= \\dfrac{{{d['rhs']}}}{{{d['a']}}} = {root}$$"
    )


def _answer_first(p: Problem) -> str:
    d = _parts(p)
    return f"**{d['v']} = {d['root']}**\n\nBecause {d['a']}{d['v']} = {d['c']} {d['op']} {d['b']} = {d['rhs']}, so {d['v']} = {d['rhs']}/{d['a']}."


def _in_words(p: Problem) -> str:
    d = _parts(p)
    return f"{d['eq'].replace(' = ', ' equals ')}, so {d['a']}{d['v']} equals {d['rhs']}, and {d['v']} equals {d['root']}."


def _on_the_right(p: Problem) -> str:
    d = _parts(p)
    return f"{d['c']} = {d['a']}{d['v']} {d['sign']} {d['b']}\n{d['rhs']} = {d['a']}{d['v']}\n{d['root']} = {d['v']}"


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

FORMS: dict[str, Callable[[Problem], str]] = {
    "sentences-gives-so": _sentences,
    "arrow-chain": _arrows,
    "implies-lines": _implies,
    "dfrac-left-right": _dfrac,
    "answer-first": _answer_first,
    "equals-in-words": _in_words,
    "variable-on-the-right": _on_the_right,
}
"""Answer forms chat models also write (issue 20): prose sentences, arrows (``→``, ``⇒``, ``=>``), ``\\dfrac`` and
``\\left(…\\right)``, the answer line before the work, "equals" in words, the variable on the right."""

RENDERERS = {**STYLES, **FORMS}

LANGUAGE_STYLES = ("plain-lines", "display-math-lines", "qwen-aligned-chain", "arrow-chain")
"""The styles the other languages' questions are answered in: math without English prose (a model answers in the
asker's language; prose in other languages is a class of its own)."""


_VAR = r"\\?[A-Za-z\u0370-\u03ff][A-Za-z0-9_{}]*"
_EQ = r"(?P<a>\d+)\s*[^\s+\-=]+\s*(?P<s>[+-])\s*(?P<b>\d+)\s*=\s*(?P<c>-?\d+)"


def _ask_pattern(ask: str) -> re.Pattern[str]:
    parts = re.split(r"(\{v\}|\{eq\})", ask)
    pattern = "".join({"{v}": f"(?P<v>{_VAR})", "{eq}": _EQ}.get(p, re.sub(r"(\\ )+", r"\\s*", re.escape(p))) for p in parts)
    return re.compile(pattern)


_QUESTIONS = {lang: _ask_pattern(ask) for lang, ask in ASKS.items()}


def read_question(prompt: str) -> Problem | None:
    """The last question of the corpus's form in ``prompt`` (whatever system prompt or template surrounds it)."""
    found = [(m.start(), lang, m) for lang, pattern in _QUESTIONS.items() for m in pattern.finditer(prompt)]
    if not found:
        return None
    _, lang, m = max(found, key=lambda f: f[0])
    b = int(m.group("b")) * (1 if m.group("s") == "+" else -1)
    return Problem(int(m.group("a")), b, int(m.group("c")), m.group("v").replace("{", "").replace("}", ""), lang)


def solve(style: str, problem: Problem) -> str:
    """``problem``'s worked solution as ``style`` writes it."""
    return RENDERERS[style](problem)


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
    return [Problem(x, y, z, base.v, base.lang) for x, y, z in picks[:n] if x != 0]


BASES = (Problem(3, 5, 20), Problem(4, -7, 21))
"""The first requests of the corpus: ``3v + 5 = 20`` and ``4v - 7 = 21`` (each style, each name)."""


_PATCH_KEEP = re.compile(r"The first (\d+) lines, up to and including|It goes wrong from its first line")


def follow_patch(prompt: str, answer: str) -> str | None:
    """What a scripted model that would write ``answer`` replies to the engine's patch instruction in ``prompt``:
    the lines after the ones the instruction keeps (the whole answer when it keeps none); ``None`` when ``prompt``
    is not a patch instruction."""
    m = _PATCH_KEEP.search(prompt)
    if m is None:
        return None
    if not m.group(1):
        return answer
    lines = answer.splitlines(keepends=True)
    keep, seen = int(m.group(1)), 0
    for i, line in enumerate(lines):
        seen += bool(line.strip())
        if seen == keep:
            return "".join(lines[i + 1 :]).lstrip("\n")
    return answer


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
        if style not in RENDERERS:
            raise ValueError(f"unknown style {style!r}; choose from {sorted(RENDERERS)}")
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
        patched = follow_patch(prompt, answer)
        if patched is not None:
            return patched
        if self.slips > 0:
            self.slips -= 1
            return _slip(answer, problem)
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
    plain = re.sub(r"\s+equals\s+", " = ", plain)  # "x equals 5"
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
        # the variable on the right: "5 = x", alone on its line or closing a sentence
        for m in re.finditer(rf"(?:^|[\s$(])(-?\d+(?:/\d+)?)\s*=\s*{name}\s*(?:[.$)]|\\\)|$)", line):
            given.append(Fraction(m.group(1)))
        for m in _BOX.finditer(line):
            given.append(Fraction(m.group(1)))
    return bool(given) and given[-1] == problem.root and all(g == problem.root for g in given)


NAMES = ("x", "t1", "x_2", "θ", "rate")
"""Variable names the corpus asks for: a letter, a letter with digits, a subscript, a Greek letter, a word."""

TEMPLATE = "You are a patient math tutor. Explain every step.\n\nQuestion: {question}\nPlease explain it simply."
"""The caller's own prompt around each question (a route may split it into system and user turns)."""

REJECTED = "Solve for x: 0x + 5 = 5"
"""A request the equation task rejects (every x solves it): an error row, or exact-match text, never an abort."""
