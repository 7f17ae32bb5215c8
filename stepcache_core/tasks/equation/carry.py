"""What a reused solution carries over from the cached equation that the new one does not share."""

from __future__ import annotations

import re
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from ...values import Step, Verdict
from .expr import parse_number, to_fraction
from .notation import NUMBER, math_view
from .parse import EquationProblem

__all__ = ["EquationCarryover"]


_WORD_NUMBERS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty".split()
    )
} | {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100}


class EquationCarryover:
    """A step the adapter left as cached must not state a number of the cached problem (a constant or a root)
    that the new problem does not have: it restates the other problem's working. ``4x = 12`` holds for
    ``5x - 6 = 9`` as it did for ``4x + 2 = 14`` (both roots are 3), so verification alone passes it. A number
    written as a word ("So x is three") is never adapted, so no reused step may say one of those either.

    Adapted steps are the adapter's own arithmetic, which verification checks link by link: a derived number that
    happens to equal an old constant (``2x = 10 - 6 = 4``) is not stale there.
    """

    def stale(
        self, old: EquationProblem, new: EquationProblem, cached: Sequence[Step], steps: Sequence[Step], text: str
    ) -> list[Verdict]:
        gone = _magnitudes(old) - _magnitudes(new)
        if not gone:
            return []
        out: list[Verdict] = []
        for step in steps:
            if step.origin not in ("cached", "adapted"):
                continue
            # the adapter rewrites digits, never numbers written as words ("So x is three")
            seen = {Fraction(_WORD_NUMBERS[w]) for w in re.findall(r"[a-z]+", step.text.casefold()) if w in _WORD_NUMBERS}
            if step.origin == "cached":
                seen |= {abs(v) for n in NUMBER.findall(math_view(step.text, old.names)) if (v := parse_number(n)) is not None}
            hit = sorted(seen & gone)
            if hit:
                shown = ", ".join(str(h) for h in hit)
                out.append(Verdict(False, f"step states {shown} of the cached equation {old.written!r}", step=step.index))
        return out


def _magnitudes(problem: EquationProblem) -> set[Fraction]:
    values: set[Fraction] = set()
    for c in problem.constants:
        v = parse_number(c.lstrip("-"))
        if v is not None:
            values.add(abs(v))
    for root in problem.solutions:
        f: Any = to_fraction(root)
        if f is not None:
            values.add(abs(f))
    return values
