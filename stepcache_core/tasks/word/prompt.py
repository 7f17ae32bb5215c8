"""What the model is asked for a word problem: the caller's own prompt. There is no patch prompt: a cached answer
that cannot be re-derived is not patched, the caller's model answers the new question."""

from __future__ import annotations

from collections.abc import Sequence

from ...segment import LayoutSegmenter
from ...values import GenerationSpec, Step, Verdict
from .parse import WordProblem

__all__ = ["WordPrompter"]


class WordPrompter:
    max_tokens = 512

    def generate(self, problem: WordProblem) -> GenerationSpec:
        return GenerationSpec(problem.prompt, self.max_tokens, (), None, "generate")

    def patch(self, problem: WordProblem, steps: Sequence[Step], verdicts: Sequence[Verdict]) -> GenerationSpec:
        return self.generate(problem)

    def merge(self, problem: WordProblem, steps: Sequence[Step], verdicts: Sequence[Verdict], generated: str) -> list[Step]:
        return LayoutSegmenter().segment(generated, origin="generated")

    def repair(self, problem: WordProblem, text: str, verdict: Verdict) -> GenerationSpec | None:
        return None
