"""Whether an old equation's solution may be reused for a new one."""

from __future__ import annotations

from ...values import Verdict
from .parse import EquationProblem

__all__ = ["EquationGate"]


class EquationGate:
    """Reuse only between equations of one structure: degree, unknown count, variable on both sides."""

    def compatible(self, old: EquationProblem, new: EquationProblem) -> Verdict:
        if old.degree != new.degree:
            return Verdict(False, f"degree changed {old.degree} -> {new.degree}")
        if len(old.unknowns) != len(new.unknowns):
            return Verdict(False, f"unknowns changed {len(old.unknowns)} -> {len(new.unknowns)}")
        if old.var_both_sides != new.var_both_sides:
            return Verdict(False, "variable moved to both sides" if new.var_both_sides else "variable left one side")
        return Verdict.passed()
