"""The deterministic fallback: a sympy solution written as steps; never wrong, never calls the model."""

from __future__ import annotations

from .expr import format_exact, parse_side
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
