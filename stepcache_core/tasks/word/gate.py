"""Whether an old word problem's answer may be reused for a new one."""

from __future__ import annotations

import re

from ...values import Verdict
from .parse import WordProblem

__all__ = ["WordGate"]


class WordGate:
    """Reuse only between questions whose templates are equal: every difference is a quantity or a name.

    Another item word, another question, an extra condition or instruction changes the template, and the model
    answers. Quantities and names must be as many in both (each slot has its counterpart).

    Two kinds of numbers cannot follow their slot and are reused only unchanged:

    - *Thresholds* ("groups of 10 or more get 10% off", "orders over $50 ship free", "at least 3"): which branch
      of the solution applies depends on how the other numbers compare with them, and an answer rarely writes the
      comparison down. New numbers may cross it; only the model reads whether they do.
    - *Ambiguous notation*: "1.000" is one thousand in much of Europe and one in English; "1,5" likewise.
    """

    def compatible(self, old: WordProblem, new: WordProblem) -> Verdict:
        if old.template != new.template:
            return Verdict(False, "the question says something else besides its names and numbers")
        if len(old.quantities) != len(new.quantities) or len(old.names) != len(new.names):
            return Verdict(False, "the question's names or numbers changed in number")
        moved = [(a, b) for a, b in zip(old.quantities, new.quantities, strict=True) if a.text != b.text]
        if moved and _THRESHOLD.search(new.prompt):
            return Verdict(False, "the question sets a threshold the new numbers may cross")
        if any(_AMBIGUOUS.fullmatch(b.text) for _, b in moved):
            return Verdict(False, "a number of the question is written ambiguously (1.000, 1,5)")
        return Verdict.passed()


_NUMBER = r"[$€£¥]?\s?\d"
# a number a quantity is compared with: after "at least", "more than", "over"...; before "or more", "and up"
_THRESHOLD = re.compile(
    rf"(?:\b(?:at least|at most|more than|less than|fewer than|greater than|no more than|not more than|over|under|"
    rf"above|below|up to|beyond|exceeding|exceeds?|exceeded|a minimum of|a maximum of|minimum of|maximum of|"
    rf"greater than or equal to|less than or equal to)|[≥≤]|[<>]=?)\s*{_NUMBER}"
    r"|\d[\d,.]*\s+(?:\w+\s+)?(?:or more|or fewer|or less|or over|or above|or below|or higher|or greater|or lower|"
    r"or longer|and up|and above|and over)\b|\d\+",
    re.IGNORECASE,
)
# a dot or comma grouping exactly three digits, or a comma before one or two: read differently by locale
_AMBIGUOUS = re.compile(r"\d{1,3}(?:\.\d{3})+|\d+,\d{1,2}")
