"""Equation verifier: every step keeps the request's solution set; the last line states it exactly."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction
from typing import Any

from ...bounds import MAX_SOLVE_DEGREE, check_deadline
from ...errors import ExpressionTooComplexError, InvalidEquationError
from ...values import Step, Verdict
from .expr import linear_form, parse_equation, parse_number, parse_side, to_fraction
from .notation import APART, NUMBER, math_view, statements
from .parse import EquationProblem, equation_shape

__all__ = ["final_answer", "answer_spans", "EquationVerifier"]


def final_answer(text: str, variable: str) -> list[Any] | None:
    """Values stated by a final line ``v = a`` or ``v = a or v = b`` / ``v = a, v = b``."""
    parts = [p.strip() for p in re.split(r"\bor\b|,|;|\band\b", text) if p.strip()]
    values: list[Any] = []
    for p in parts:
        m = re.fullmatch(rf"{re.escape(variable)}\s*=\s*(.+?)\.?", p)
        if not m:
            return None
        rhs = m.group(1)
        number = parse_number(rhs)
        if number is not None:
            import sympy

            values.append(sympy.Rational(number.numerator, number.denominator))
            continue
        try:
            value = parse_side(rhs)
        except InvalidEquationError:
            return None
        if value.has(*_symbols(variable)):
            return None
        if not value.free_symbols:
            return None  # a numeric answer must be written exactly, not as arithmetic left undone
        values.append(value)
    return values or None


# derivation arrows in plain text ("3x = 15 => x = 5"); what is left of "<", ">", "≥"... after them is a relation
_ARROW_TEXT = re.compile(r"<=>|<->|==>|=>|-->|->|<--|<-")
_RELATION = re.compile(rf"[<>≤≥≠≈∈∉∋⊂⊆±∓|%¿{APART}]|!=")


_APPROX = re.compile(r"(-?[\d(][\d.()/\s]*?)\s*≈\s*(-?\d+(?:\.(\d+))?)(?![\d/.])")


def _approximations(view: str) -> tuple[str, str | None]:
    """``view`` without its checked roundings ("13/3 ≈ 4.33": the decimal is the value rounded to its places), and
    the first rounding that is not one (``None`` when all are)."""
    for m in _APPROX.finditer(view):
        exact = parse_number(re.sub(r"[()\s]", "", m.group(1)))  # "((13)/(3))" from \frac{13}{3}
        shown = parse_number(m.group(2))
        places = len(m.group(3) or "")
        if exact is None or shown is None or abs(exact - shown) > Fraction(1, 2 * 10**places):
            return view, f"{m.group(2)} is not {m.group(1).strip()} rounded"
    return _APPROX.sub(lambda m: m.group(1), view), None


def _unread_relation(view: str) -> str | None:
    """A relation or symbol of ``view`` (a line's math view) that no check of this verifier evaluates: an
    inequality, ``≠``, ``≈``, ``∈``, absolute value bars, a percent, a LaTeX command it does not read, two numbers
    side by side (``1 200``, ``1 1/4``: see ``notation.APART``) (a markdown quote's leading ``>`` and derivation
    arrows aside)."""
    body = _ARROW_TEXT.sub(" ; ", re.sub(r"^\s*>+", " ", view))
    m = _RELATION.search(body)
    return None if m is None else m.group()


def _symbols(name: str) -> tuple[Any, ...]:
    import sympy

    return (sympy.Symbol(name),)


def _same(a: Any, b: Any) -> bool:
    import sympy

    d = sympy.expand(a - b)
    if d == 0:
        return True
    return bool(d.free_symbols) and sympy.simplify(d) == 0


class EquationVerifier:
    """Checks each step with sympy, on the step's math view (labels, markdown and LaTeX read; names mapped).

    Every equation a step states must hold under the request's solution: an equation in the variable keeps the
    solution set, a chain ``a = b = c`` holds link by link, plain arithmetic (``20 - 5 = 15``) is exactly true, and a
    step that restates the problem's structure must restate the request's own equation. A step of prose passes
    only when every number in it appears in the request or in a verified step. The answer must end with a final
    answer naming the variable (``v = value``, ``**Answer: v = value**``, ``\\boxed{v = value}``; a bare
    ``\\boxed{value}`` or "the answer is value" when a verified step already states ``v = value``), written exactly.
    Steps after the final answer (a check, a closing sentence) are verified like any other.
    """

    name = "equation"

    def verify_steps(self, problem: EquationProblem, steps: Sequence[Step]) -> list[Verdict]:
        verdicts: list[Verdict] = []
        reading = _Reading(problem)
        for step in steps:
            check_deadline()
            verdicts.append(reading.verify(step))
        if not steps:
            verdicts.append(Verdict(False, "no steps", step=0, unreadable=True))
        elif all(v.ok for v in verdicts):
            final = reading.final(steps)
            if not final.ok:
                at = next((i for i, s in enumerate(steps) if s.index == final.step), len(steps) - 1)
                verdicts[at] = final
        return verdicts

    def check(self, problem: EquationProblem, text: str) -> Verdict:
        from ...segment import LayoutSegmenter

        steps = LayoutSegmenter().segment(text)
        for v in self.verify_steps(problem, steps):
            if not v.ok:
                return v
        return Verdict.passed()


_BOXED = re.compile(r"\\boxed\s*\{((?:[^{}]|\{[^{}]*\})*)\}")
_ANSWER_PHRASE = re.compile(
    r"(?:answer|solution)\s*(?:is|=|:)\s*:?\s*\**\s*(-?\s*\(*\s*\d+(?:\.\d+)?\s*\)*(?:\s*/\s*\(*\s*\d+\s*\)*)?)",
    re.IGNORECASE,
)


class _Reading:
    """The state of reading one answer top to bottom: numbers seen, the open left side of a chain, stated values."""

    def __init__(self, problem: EquationProblem) -> None:
        self.problem = problem
        self.known: set[str] = set(problem.constants)
        self.lhs: str | None = None
        self.values: dict[int, list[Any]] = {}  # step index -> values it states for the variable
        self.finals: dict[int, str] = {}  # step index -> the statement its final value is written in

    def view(self, step: Step) -> str:
        return math_view(step.text, self.problem.names)

    def verify(self, step: Step) -> Verdict:
        p = self.problem
        view = self.view(step)
        view, off = _approximations(view)
        if off is not None:
            return Verdict(False, off, step=step.index)
        if (relation := _unread_relation(view)) is not None:
            # "x = 5 ≥ 0", "|x| = 5", "x = 14/3 ∈ ℤ": a claim no check evaluates, which other numbers may falsify
            return Verdict(False, f"states a relation it cannot check ({relation!r})", step=step.index, unreadable=True)
        text = view.strip()
        if text.startswith("=") and self.lhs is not None:
            view = f"{self.lhs} {text}"  # a continued chain: "3x = 20 - 5" then "= 15"
        runs = statements(view)
        bare = _bare_answer(step.text, p)
        if bare is _UNREADABLE:
            return Verdict(False, "cannot read the final answer's value", step=step.index, unreadable=True)
        if bare is not None and not any(_same(bare, root) for root in p.solutions):
            return Verdict(False, f"gives the answer {bare}, expected {list(p.solutions)}", step=step.index)
        if not runs:
            prose = view if bare is None else self.view(_blank(step, answer_spans(step.text)))  # the answer is checked
            stray = [n for n in NUMBER.findall(prose) if n not in self.known]
            if stray:
                return Verdict(
                    False, f"prose step has numbers not derived from the request: {stray}", step=step.index, unreadable=True
                )
            return Verdict(True, step=step.index)
        stated: list[Any] = []
        for run in runs:
            verdict = self._statement(run, step, stated)
            if not verdict.ok:
                return verdict
        if stated:
            if len(p.solutions) == 1 and not all(_same(v, p.solutions[0]) for v in stated):
                return Verdict(False, f"states {p.name} = {stated}, expected {list(p.solutions)}", step=step.index)
            if len(p.solutions) > 1 and not all(any(_same(v, s) for s in p.solutions) for v in stated):
                return Verdict(False, f"states {p.name} = {stated}, expected {list(p.solutions)}", step=step.index)
            self.values[step.index] = stated
        self.known.update(NUMBER.findall(view))
        return Verdict(True, step=step.index)

    def _statement(self, run: str, step: Step, stated: list[Any]) -> Verdict:
        p = self.problem
        parts = [part.strip() for part in run.split("=")]
        if any(not part for part in parts):
            return Verdict(False, f"cannot read {run!r}", step=step.index, unreadable=True)
        if len(parts) == 2:
            shape, constants = equation_shape(run, p.variable)
            if shape == p.shape and constants != p.constants:
                return Verdict(False, f"step {run!r} restates an equation other than the request's", step=step.index)
        if re.search(rf"(?<![A-Za-z]){p.variable}(?![A-Za-z])", parts[0]):
            self.lhs = parts[0]
        if len(parts) == 2 and parts[1] == p.variable and (value := _simple_value(parts[0])) is not None:
            # the variable on the right: "5 = x" states its value as "x = 5" does
            stated.append(_rational(value))
            self.finals[step.index] = f"{p.variable} = {parts[0]}"
            return Verdict(True, step=step.index)
        for a, b in zip(parts, parts[1:]):
            eq = f"{a} = {b}"
            if not re.search(r"[A-Za-z]", eq):
                if not _arithmetic_holds(a, b):
                    return Verdict(False, f"arithmetic {eq!r} is wrong", step=step.index)
                continue
            value = _simple_value(b) if a == p.variable else None
            if value is not None:
                stated.append(_rational(value))
                self.finals[step.index] = f"{p.variable} = {parts[-1]}"
                continue
            verdict = _equation(p, eq, step)
            if not verdict.ok:
                return verdict
        if parts[0] == p.variable and len(parts) > 2 and _simple_value(parts[1]) is None:
            # "k = 10 ÷ 2.5 = 4": every link held, so the chain's last value is the variable's
            last = _simple_value(parts[-1])
            if last is not None:
                stated.append(_rational(last))
                self.finals[step.index] = f"{p.variable} = {parts[-1]}"
        return Verdict(True, step=step.index)

    def final(self, steps: Sequence[Step]) -> Verdict:
        """The answer's final answer: the last step stating the variable's value, boxed or in words."""
        p = self.problem
        last = steps[-1]
        unreduced: Verdict | None = None
        for step in reversed(steps):
            values = self.values.get(step.index)
            if values:
                if not _same_set(_distinct(values), p.solutions):
                    return Verdict(
                        False, f"final answer states {p.name} = {values}, expected {list(p.solutions)}", step=step.index
                    )
                if not _canonical_values(self.finals.get(step.index, "")):
                    # "x = 15/3" closing an answer that stated "x = 5" first (the answer line before the work)
                    unreduced = unreduced or Verdict(
                        False, f"final answer {p.name} is not written as an exact reduced value", step=step.index
                    )
                    continue
                return Verdict(True, step=step.index)
            if unreduced is not None:
                continue
            bare = _bare_answer(step.text, p)
            if bare is not None:
                named = any(self.values.get(s.index) for s in steps if s.index < step.index)
                if not named:
                    return Verdict(False, f"final answer does not name {p.name}", step=step.index, unreadable=True)
                if not _same_set([bare], p.solutions):
                    return Verdict(False, f"final answer is {bare}, expected {list(p.solutions)}", step=step.index)
                return Verdict(True, step=step.index)
        if unreduced is not None:
            return unreduced
        return Verdict(False, f"no final answer '{p.name} = <exact reduced value>'", step=last.index, unreadable=True)


def _simple_value(text: str) -> Fraction | None:
    """A number as answers write it: ``5``, ``-3/4``, ``((35)/(4))`` (a LaTeX fraction's view), ``2.5``."""
    compact = text.replace(" ", "")
    if compact.count("(") != compact.count(")"):
        return None
    if not re.fullmatch(r"[+-]?\(*[+-]?\d+(?:\.\d+)?\)*(?:/\(*\d+\)*)?", compact):
        return None  # "(2)(3)" is a product, not a number
    return parse_number(compact.replace("(", "").replace(")", ""))


def answer_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` gives a final value without the variable: ``\\boxed{...}`` contents, "the answer is N"."""
    spans = [m.span(1) for m in _BOXED.finditer(text)]
    spans.extend(m.span(1) for m in _ANSWER_PHRASE.finditer(text))
    return spans


_UNREADABLE = object()


def _blank(step: Step, spans: Sequence[tuple[int, int]]) -> Step:
    text = step.text
    for a, b in sorted(spans, reverse=True):
        text = text[:a] + " " * (b - a) + text[b:]
    return replace(step, text=text)


def _bare_answer(text: str, problem: EquationProblem) -> Any | None:
    """A value given without the variable: ``\\boxed{5}``, ``\\boxed{\\frac{13}{3}}``, "the answer is 5"."""
    for m in _BOXED.finditer(text):
        inner = math_view(m.group(1), problem.names).strip().rstrip(".")
        if "=" in inner:
            continue  # "\\boxed{x = 5}" is a statement: read with the others
        value = _simple_value(inner)
        return _rational(value) if value is not None else _UNREADABLE
    phrase = _ANSWER_PHRASE.search(math_view(text, problem.names))
    if phrase:
        value = _simple_value(phrase.group(1))
        return _rational(value) if value is not None else _UNREADABLE
    return None


def _distinct(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for v in values:
        if not any(_same(v, o) for o in out):
            out.append(v)
    return out


def _rational(value: Fraction) -> Any:
    import sympy

    return sympy.Rational(value.numerator, value.denominator)


def _arithmetic_holds(a: str, b: str) -> bool:
    try:
        return bool(_same(parse_side(a), parse_side(b)))
    except InvalidEquationError:
        return False


def _equation(p: EquationProblem, eq: str, step: Step) -> Verdict:
    """One equation in the variable: it must keep the request's solution set."""
    if p.degree == 1 and len(p.unknowns) == 1:
        fast = linear_form(eq, p.variable)
        if fast is not None:
            a, b = fast
            if a == 0:
                return Verdict(False, f"step does not constrain {p.name}", step=step.index, unreadable=True)
            if -b / a != to_fraction(p.solutions[0]):
                return Verdict(False, f"step {eq!r} changes the solution set", step=step.index)
            return Verdict(True, step=step.index)
    try:
        info = parse_equation(eq, p.variable, solve=False)
    except InvalidEquationError as e:  # too complex to check is not "unreadable": such an answer is never kept
        return Verdict(False, str(e), step=step.index, unreadable=not isinstance(e, ExpressionTooComplexError))
    if info.degree <= 0 or p.variable not in info.unknowns:
        return Verdict(False, f"step does not constrain {p.name}", step=step.index, unreadable=True)
    if not _satisfied(info, p):
        return Verdict(False, f"step {eq!r} changes the solution set", step=step.index)
    return Verdict(True, step=step.index)


def _same_set(answer: list[Any], solutions: tuple[Any, ...]) -> bool:
    if len(answer) != len(solutions):
        return False
    remaining = list(solutions)
    for a in answer:
        for i, s in enumerate(remaining):
            if _same(a, s):
                remaining.pop(i)
                break
        else:
            return False
    return True


def _satisfied(info: Any, problem: EquationProblem) -> bool:
    """Same solution set as the request: same degree and every request root satisfies the step."""
    import sympy

    if info.degree != problem.degree and problem.degree >= 1:
        # a linear request may pass through no quadratic step; a quadratic one may factor
        if not (problem.degree > 1 and info.degree >= 1):
            return False
    x = sympy.Symbol(problem.variable)
    diff = info.lhs - info.rhs
    for root in problem.solutions:
        value = diff.subs(x, root)
        if value.has(sympy.zoo, sympy.nan):
            return False
        if not _same(value, sympy.Integer(0)):
            return False
    if problem.degree > 1:
        if info.degree > MAX_SOLVE_DEGREE or info.degree < 0:
            return False  # cannot be checked cheaply: don't reuse
        # every root of the step must also be a request root
        try:
            step_sols = sympy.solve(sympy.Eq(info.lhs, info.rhs), x)
        except Exception:
            return False
        return _same_set(list(set(step_sols)), problem.solutions)
    return True


def _canonical_values(eq: str) -> bool:
    """Numeric final values are written as integers, reduced fractions or terminating decimals."""
    for part in re.split(r"\bor\b|,|;|\band\b", eq):
        rhs = part.split("=", 1)[-1].strip().rstrip(".").replace("(", "").replace(")", "")
        m = re.fullmatch(r"-?\s*(\d+)\s*/\s*(\d+)", rhs)
        if m:
            num, den = int(m.group(1)), int(m.group(2))
            if den <= 1 or Fraction(num, den).denominator != den:
                return False
    return True
