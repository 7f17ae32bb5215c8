"""When a word problem's answer may be re-derived for other numbers: once a second model answer agreed.

The verifier checks that every computation is true and every number is grounded; it cannot check which
quantities the question meant to combine. A slipped answer that is consistent for its own numbers (``6 + 6``
where ``6 × 2`` was meant: both are 12) verifies, and re-derived for other numbers it is wrong. Names alone
never change a computation, so a names-only reuse needs nothing more.

A structural slip changes the final answer at a second set of numbers (the entry re-derived and the model's own
answer disagree), except where a value hides it at both: a 0, 1 or 2 (``x + x`` is ``x × 2``, ``x × 1`` is
``x ÷ 1``), or a value that another number of the question, a named constant or a result of the answer also
has (one used for the other). A slot holding such a value at the second question is not vouched for, whether
it changed or not: a later variant that changes it is the model's to answer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from fractions import Fraction

from ...values import Step
from .parse import WordProblem
from .read import computations, final_answer
from .verify import named_constants

__all__ = ["WordCorroboration"]

_HIDING = frozenset({Fraction(0), Fraction(1), Fraction(2)})


class WordCorroboration:
    """Slots are the quantities' positions in the template (``q0``, ``q1``...)."""

    def varied(self, old: WordProblem, new: WordProblem) -> frozenset[str]:
        if len(old.quantities) != len(new.quantities):  # templates differ: the gate refuses; nothing is vouched for
            return frozenset(f"q{i}" for i in range(max(len(old.quantities), len(new.quantities))))
        return frozenset(f"q{i}" for i, (a, b) in enumerate(zip(old.values, new.values, strict=True)) if a != b)

    def vouched(self, problem: WordProblem, adapted: Sequence[Step], answered: Sequence[Step]) -> frozenset[str]:
        ours, theirs = (_text(adapted), _text(answered))
        mine, yours = final_answer(ours), final_answer(theirs)
        if mine is None or yours is None or mine[0] != yours[0]:
            return frozenset()
        counts = Counter(problem.values)
        # a named fraction is the question's own fraction word ("a quarter" names 1/4): the slot, not another number
        named = {c for c in named_constants(problem.prompt, ours, theirs) if c.denominator == 1}
        others = named | _results(ours) | _results(theirs)
        return frozenset(f"q{i}" for i, v in enumerate(problem.values) if v not in _HIDING and counts[v] == 1 and v not in others)


def _text(steps: Sequence[Step]) -> str:
    return "\n".join(s.text for s in steps)


def _results(text: str) -> frozenset[Fraction]:
    """What the computations of ``text`` result in."""
    return frozenset(c.result.value for line in text.splitlines() for c in computations(line))
