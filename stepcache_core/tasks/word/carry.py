"""What a reused answer to a word problem may still say of the cached question."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...values import Step, Verdict
from .adapt import question_map
from .numbers import quantities
from .parse import WordProblem
from .read import computations

__all__ = ["WordCarryover"]


class WordCarryover:
    """A cached name that the new question does not have, or a number written in words whose value changed
    ("she sold half" when the new question says a third), is stale. So is a whole answer the adapter left as it
    was (it refused) when the question's numbers changed: its old numbers may all be numbers of the new question
    too ("4 + 3 + 4" for 7, 4 and 3 pizzas), and would verify there by coincidence."""

    def stale(
        self, old: WordProblem, new: WordProblem, cached: Sequence[Step], steps: Sequence[Step], text: str
    ) -> list[Verdict]:
        gone = [n for n in old.names if n not in new.names]
        changed = question_map(old, new)
        found = []
        moved = any(a.value != b.value for a, b in zip(old.quantities, new.quantities, strict=False))
        if moved and computations_of(cached) and [s.text for s in steps] == [s.text for s in cached]:
            found.append(Verdict(False, "the cached answer could not be re-derived for the new numbers", step=None))
        for step in steps:
            for name in gone:
                if re.search(rf"\b{re.escape(name)}\b", step.text):
                    found.append(Verdict(False, f"names {name}, who is not in the new question", step=step.index))
            for q in quantities(step.text):
                if q.kind == "word" and q.value in changed and changed.get(q.value) != q.value:
                    found.append(Verdict(False, f"says {q.text!r}, which the new question changed", step=step.index))
        return found


def computations_of(steps: Sequence[Step]) -> bool:
    """Whether any line of ``steps`` states a computation."""
    return any(computations(line) for s in steps for line in s.text.splitlines())
