"""What the model is asked for a word problem: the caller's own prompt, as for free text. There is no patch prompt:
a cached answer that cannot be re-derived is not patched, the caller's model answers the new question."""

from __future__ import annotations

from collections.abc import Sequence

from ...segment import LayoutSegmenter
from ...values import Step, Verdict
from ..text import TextPrompter

__all__ = ["WordPrompter"]


class WordPrompter(TextPrompter):
    """The text task's prompter (the caller's prompt verbatim); an answer is read line by line."""

    max_tokens = 512

    def merge(self, problem: object, steps: Sequence[Step], verdicts: Sequence[Verdict], generated: str) -> list[Step]:
        return LayoutSegmenter().segment(generated, origin="generated")
