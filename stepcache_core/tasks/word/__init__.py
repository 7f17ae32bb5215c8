"""The ``word_problem`` task: arithmetic word problems whose variants change names and numbers.

A question's template is its text with quantities and names abstracted (:mod:`.parse`); an answer's computations
are read line by line in the forms models write them (:mod:`.read`: GSM8K annotations, plain, LaTeX) and each is
checked exactly, with every number traced to the question, an earlier step or a named constant (:mod:`.verify`).
A reuse re-derives every computation for the new numbers and refuses when a value no longer fits its role
(:mod:`.adapt`). There is no deterministic solver: a miss is the model's answer, served as it wrote it; an answer
found wrong is never stored.
"""

from __future__ import annotations

from ...segment import LayoutSegmenter
from ..base import RepairPolicy, TaskProfile, mask_numbers
from .adapt import WordAdapter
from .carry import WordCarryover
from .corroborate import WordCorroboration
from .gate import WordGate
from .parse import WordProblem, detect, parse_problem
from .prompt import WordPrompter
from .verify import WordVerifier

__all__ = [
    "word_problem_task",
    "WordProblem",
    "WordAdapter",
    "WordCarryover",
    "WordCorroboration",
    "WordGate",
    "WordPrompter",
    "WordVerifier",
]


def word_problem_task(*, corroborate: bool = True) -> TaskProfile:
    """``corroborate``: a reuse that changes a question's numbers is served only from an answer a second model
    answer (to a question with other numbers there) agreed with (see :class:`WordCorroboration`). ``False``
    re-derives from the first verified answer: more reuse, and a consistent slip of that answer is re-derived; only
    people's first names are renamed then (a capitalised "Cents" or "More" read as a name may change the answer)."""
    return TaskProfile(
        name="word_problem",
        parse=parse_problem,
        detect=detect,
        segmenter=LayoutSegmenter(),
        prompter=WordPrompter(),
        gate=WordGate(people_only=not corroborate),
        verifier=WordVerifier(),
        adapter=WordAdapter(shares=corroborate),
        carryover=WordCarryover(),
        corroboration=WordCorroboration() if corroborate else None,
        repair=RepairPolicy(patch_attempts=0),
        retrieval_text=mask_numbers,
        signature=lambda p: p.template,
        model_answers=True,
    )
