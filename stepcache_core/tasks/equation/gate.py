"""Whether an old equation's solution may be reused for a new one."""

from __future__ import annotations

from ...values import Verdict
from .parse import EquationProblem

__all__ = ["EquationGate"]


class EquationGate:
    """Reuse only between requests that ask the same thing of equations of one structure.

    The requests' templates (each prompt besides its equation and variable, see
    :func:`~stepcache_core.tasks.equation.parse.request_template`) must be equal: another question, an instruction,
    a second equation, a requested language, format or rounding is a semantic change, answered by the model. The
    equations must share degree, unknown count and whether the variable stands on both sides. A request that asks
    more than solving (see :attr:`~stepcache_core.tasks.equation.parse.EquationProblem.solves`) is reused only for a
    renamed variable, never for other numbers.
    """

    def compatible(self, old: EquationProblem, new: EquationProblem) -> Verdict:
        if old.template != new.template:
            return Verdict(False, f"the request asks something else besides the equation ({_short(new.template)!r})")
        if not new.solves and old.constants != new.constants:
            # a condition ("given that x > 0", "where x is an integer"), a format ("as a decimal", "modulo 7") or a
            # follow-up ("then compute x + 3") that both requests share holds for the cached numbers, and only the
            # model reads whether it holds for the new ones; a renamed variable changes no number
            return Verdict(False, f"the request asks more than solving the equation ({_short(new.template)!r})")
        if old.degree != new.degree:
            return Verdict(False, f"degree changed {old.degree} -> {new.degree}")
        if len(old.unknowns) != len(new.unknowns):
            return Verdict(False, f"unknowns changed {len(old.unknowns)} -> {len(new.unknowns)}")
        if old.var_both_sides != new.var_both_sides:
            return Verdict(False, "variable moved to both sides" if new.var_both_sides else "variable left one side")
        return Verdict.passed()


def _short(text: str, n: int = 80) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
