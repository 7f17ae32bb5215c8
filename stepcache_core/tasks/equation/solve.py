"""The deterministic fallback: a sympy solution written as steps; never wrong, never calls the model."""

from __future__ import annotations

import re
from fractions import Fraction

from .expr import format_exact, parse_side, to_fraction
from .parse import EquationProblem

__all__ = ["EquationSolver"]


class EquationSolver:
    """Deterministic sympy solution written as steps; never wrong, never calls the model."""

    def solve(self, problem: EquationProblem) -> str:
        import sympy

        x = sympy.Symbol(problem.variable)
        left, right = problem.equation.split("=")
        lhs, rhs = parse_side(left), parse_side(right)
        lines = [problem.equation]
        if problem.degree == 1:
            diff = sympy.together(lhs - rhs)
            den = sympy.fraction(diff)[1]
            expr = sympy.expand(diff * den) if den.has(x) else sympy.expand(lhs - rhs)
            a, b = expr.coeff(x, 1), -expr.coeff(x, 0)
            coef = (
                "" if a == 1 else "-" if a == -1 else format_exact(a) if isinstance(a, sympy.Integer) else f"({format_exact(a)})"
            )
            collected = f"{coef}{problem.variable} = {format_exact(b)}"
            if collected != lines[-1] and a != 1:
                lines.append(collected)
        values = ", ".join(f"{problem.variable} = {format_exact(s)}" for s in problem.solutions)
        if values != lines[-1]:
            lines.append(values)
        return problem.names.restore("\n".join(lines))

    def states_the_root(self, problem: EquationProblem, text: str) -> bool:
        """Whether ``text``, a model's answer the verifier would not take, still states the root in its last line or
        as the variable's value ("x = 5 > 0", "x = 15/3", "x = 15 : 3", "on a x = 5.", "x = 0.38" of 3/8): right in
        value, written in a layout the task does not read. The solver's steps then stand in for it for its own
        request only (the engine never stores them: no later request is adapted from a layout the model never
        wrote). ``False`` for a wrong answer, whose solved steps are the task's right answer, stored as ever."""
        if len(problem.solutions) != 1 or (root := to_fraction(problem.solutions[0])) is None:
            return False
        last = next((line for line in reversed(text.splitlines()) if line.strip()), "")
        stated = [m.group(1) for m in re.finditer(rf"(?<!\w){re.escape(problem.variable)}\s*=\s*([^=,;\n]+)", text)]
        for m in (q for said in [last, *stated] for q in _QUOTIENT.finditer(said.replace("\u2212", "-"))):
            top, bottom = Fraction(m.group(1)), Fraction(m.group(2)) if m.group(2) else Fraction(1)
            places = len(m.group(1).partition(".")[2]) if not m.group(2) else None
            if bottom == 0:
                continue
            if abs(top / bottom) == abs(root):
                return True
            if places and abs(abs(top) - abs(root)) <= max(Fraction(1, 2 * 10**places), abs(root) / 10**9):
                return True  # rounded: "x = 0.38" of 3/8, a float's "2.6666666666666665" of 8/3
        return False


# a number, or a quotient written with "/", ":" or "÷", in an answer's last line
_QUOTIENT = re.compile(r"(\d+(?:\.\d+)?)(?:\s*[/:÷]\s*(\d+(?:\.\d+)?))?")
