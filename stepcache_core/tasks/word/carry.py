"""What a reused answer to a word problem may still say of the cached question."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...values import Step, Verdict
from .adapt import question_map
from .numbers import quantities
from .parse import WordProblem

__all__ = ["WordCarryover"]


class WordCarryover:
    """A cached name that the new question does not have, or a number written in words whose value changed
    ("she sold half" when the new question says a third), is stale: the adapter rewrites digits only."""

    def stale(
        self, old: WordProblem, new: WordProblem, cached: Sequence[Step], steps: Sequence[Step], text: str
    ) -> list[Verdict]:
        gone = [n for n in old.names if n not in new.names]
        changed = question_map(old, new)
        found = []
        for step in steps:
            for name in gone:
                if re.search(rf"\b{re.escape(name)}\b", step.text):
                    found.append(Verdict(False, f"names {name}, who is not in the new question", step=step.index))
            for q in quantities(step.text):
                if q.kind == "word" and q.value in changed and changed.get(q.value) != q.value:
                    found.append(Verdict(False, f"says {q.text!r}, which the new question changed", step=step.index))
        return found
