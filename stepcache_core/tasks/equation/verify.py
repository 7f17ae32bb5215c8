"""Equation verifier: every step keeps the request's solution set; the last line states it exactly."""

from __future__ import annotations

import re
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from ...bounds import MAX_SOLVE_DEGREE, check_deadline
from ...errors import InvalidEquationError
from ...values import Step, Verdict
from .expr import find_equation, linear_form, parse_equation, parse_number, parse_side
from .parse import EquationProblem

__all__ = ["final_answer", "EquationVerifier"]


_NUM = re.compile(r"\d+(?:\.\d+)?")


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
    """Checks each step with sympy.

    A step holding an equation passes when it has the request's solution set;
    a final ``variable = value`` line passes when the value is exact (integer,
    reduced fraction or terminating decimal) and right. A step of prose passes
    only when every number in it appears in the request or in a verified step.
    """

    name = "equation"

    def verify_steps(self, problem: EquationProblem, steps: Sequence[Step]) -> list[Verdict]:
        verdicts: list[Verdict] = []
        known_numbers = set(problem.constants)
        for step in steps:
            check_deadline()
            verdict = self._verify_one(problem, step, known_numbers)
            if verdict.ok:
                known_numbers.update(_NUM.findall(step.text))
            verdicts.append(verdict)
        if steps and all(v.ok for v in verdicts):
            last = steps[-1]
            eq = last.text.strip() if final_answer(last.text.strip(), problem.variable) else find_equation(last.text) or ""
            if final_answer(eq, problem.variable) is None or not _canonical_values(eq):
                verdicts[-1] = Verdict(False, f"last step is not '{problem.variable} = <exact reduced value>'", step=last.index)
        if not steps:
            verdicts.append(Verdict(False, "no steps", step=0))
        return verdicts

    def _verify_one(self, problem: EquationProblem, step: Step, known: set[str]) -> Verdict:
        whole = final_answer(step.text.strip(), problem.variable)
        eq = step.text.strip() if whole is not None else find_equation(step.text)
        if eq is None:
            stray = [n for n in _NUM.findall(step.text) if n not in known]
            if stray:
                return Verdict(False, f"prose step has numbers not derived from the request: {stray}", step=step.index)
            return Verdict(True, step=step.index)
        answer = final_answer(eq, problem.variable)
        if answer is not None:
            if _same_set(answer, problem.solutions):
                return Verdict(True, step=step.index)
            return Verdict(False, f"states {problem.variable} = {answer}, expected {list(problem.solutions)}", step=step.index)
        if problem.degree == 1 and len(problem.unknowns) == 1:
            fast = linear_form(eq, problem.variable)
            if fast is not None:
                a, b = fast
                if a == 0:
                    return Verdict(False, f"step does not constrain {problem.variable}", step=step.index)
                if -b / a != _fraction(problem.solutions[0]):
                    return Verdict(False, f"step {eq!r} changes the solution set", step=step.index)
                return Verdict(True, step=step.index)
        try:
            info = parse_equation(eq, problem.variable, solve=False)
        except InvalidEquationError as e:
            return Verdict(False, str(e), step=step.index)
        if info.degree <= 0 or problem.variable not in info.unknowns:
            return Verdict(False, f"step does not constrain {problem.variable}", step=step.index)
        if not _satisfied(info, problem):
            return Verdict(False, f"step {eq!r} changes the solution set", step=step.index)
        return Verdict(True, step=step.index)

    def check(self, problem: EquationProblem, text: str) -> Verdict:
        from ...segment import LineSegmenter

        steps = LineSegmenter().segment(text)
        for v in self.verify_steps(problem, steps):
            if not v.ok:
                return v
        return Verdict.passed()


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


def _fraction(value: Any) -> Fraction | None:
    try:
        return Fraction(int(value.p), int(value.q))
    except (AttributeError, TypeError, ValueError):
        return None


def _canonical_values(eq: str) -> bool:
    """Numeric final values are written as integers, reduced fractions or terminating decimals."""
    for part in re.split(r"\bor\b|,|;|\band\b", eq):
        rhs = part.split("=", 1)[-1].strip().rstrip(".")
        m = re.fullmatch(r"-?\s*(\d+)\s*/\s*(\d+)", rhs)
        if m:
            num, den = int(m.group(1)), int(m.group(2))
            if den <= 1 or Fraction(num, den).denominator != den:
                return False
    return True
