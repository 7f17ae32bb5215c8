"""Whether an old word problem's answer may be reused for a new one."""

from __future__ import annotations

from ...values import Verdict
from .parse import WordProblem

__all__ = ["WordGate"]


class WordGate:
    """Reuse only between questions whose templates are equal: every difference is a quantity or a name.

    Another item word, another question, an extra condition or instruction changes the template, and the model
    answers. Quantities and names must be as many in both (each slot has its counterpart).
    """

    def compatible(self, old: WordProblem, new: WordProblem) -> Verdict:
        if old.template != new.template:
            return Verdict(False, "the question says something else besides its names and numbers")
        if len(old.quantities) != len(new.quantities) or len(old.names) != len(new.names):
            return Verdict(False, "the question's names or numbers changed in number")
        return Verdict.passed()
