"""The equation task's prompts: few-shot generation and patches that keep the verified prefix."""

from __future__ import annotations

from collections.abc import Sequence

from ...segment import LineSegmenter
from ...values import GenerationSpec, Step, Verdict
from .parse import EquationProblem

__all__ = ["EquationPrompter"]


_FEW_SHOT = """Solve each equation step by step. Write one equation per line. The last line is the variable = its exact value.

Equation: 2x + 3 = 11
2x = 11 - 3
2x = 8
x = 4

Equation: 5y - 4 = 3y + 6
5y - 3y = 6 + 4
2y = 10
y = 5

Equation: 4(n + 1) = 18
4n + 4 = 18
4n = 14
n = 7/2

"""


class EquationPrompter:
    """Few-shot completion prompts (works with base models, no chat template)."""

    max_tokens = 96

    def generate(self, problem: EquationProblem) -> GenerationSpec:
        return GenerationSpec(self._head(problem), self.max_tokens, ("\n\n", "Equation:"), purpose="generate")

    def patch(self, problem: EquationProblem, steps: Sequence[Step], verdicts: Sequence[Verdict]) -> GenerationSpec:
        prefix = _verified_prefix(steps, verdicts)
        prompt = self._head(problem) + "".join(s.text + "\n" for s in prefix)
        return GenerationSpec(prompt, self.max_tokens, ("\n\n", "Equation:"), purpose="patch")

    def merge(self, problem: EquationProblem, steps: Sequence[Step], verdicts: Sequence[Verdict], generated: str) -> list[Step]:
        prefix = _verified_prefix(steps, verdicts)
        tail = LineSegmenter().segment(generated, origin="generated")
        merged = list(prefix) + tail
        return [Step(i, s.text, s.origin, s.key, s.value) for i, s in enumerate(merged)]

    def repair(self, problem: EquationProblem, text: str, verdict: Verdict) -> GenerationSpec | None:
        return None

    @staticmethod
    def _head(problem: EquationProblem) -> str:
        return f"{_FEW_SHOT}Equation: {problem.equation}\n"


def _verified_prefix(steps: Sequence[Step], verdicts: Sequence[Verdict]) -> list[Step]:
    prefix: list[Step] = []
    for s, v in zip(steps, verdicts):
        if not v.ok:
            break
        prefix.append(s)
    # never keep a final answer in the prefix of a patch: the patch writes it
    return prefix
