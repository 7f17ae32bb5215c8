"""The equation task's prompts: the caller's own prompt on a miss, patch instructions that keep the verified prefix,
and the few-shot framing of both for base models."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ...segment import LayoutSegmenter
from ...values import GenerationSpec, Step, Verdict
from .notation import math_view, statements
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
    """On a miss the caller's prompt goes to the model as it is; the engine writes only patch instructions.

    Every spec also carries its base-model framing (``GenerationSpec.base``): a few-shot completion prompt that
    a base model such as the packaged Gemma continues (``Equation: ...`` then one equation per line).
    """

    max_tokens = 96
    chat_max_tokens = 768

    def generate(self, problem: EquationProblem) -> GenerationSpec:
        base = GenerationSpec(self._head(problem), self.max_tokens, ("\n\n", "Equation:"), purpose="generate")
        return GenerationSpec(problem.prompt, self.chat_max_tokens, purpose="generate", base=base)

    def patch(self, problem: EquationProblem, steps: Sequence[Step], verdicts: Sequence[Verdict]) -> GenerationSpec:
        prefix = _verified_prefix(steps, verdicts)
        base_prompt = self._head(problem) + "".join(_line(s.text) for s in prefix)
        base = GenerationSpec(base_prompt, self.max_tokens, ("\n\n", "Equation:"), purpose="patch")
        return GenerationSpec(
            _instruction(problem, steps, verdicts, len(prefix)), self.chat_max_tokens, purpose="patch", base=base
        )

    def merge(self, problem: EquationProblem, steps: Sequence[Step], verdicts: Sequence[Verdict], generated: str) -> list[Step]:
        prefix = _verified_prefix(steps, verdicts)
        if prefix and not prefix[-1].text.endswith("\n"):
            prefix[-1] = replace(prefix[-1], text=prefix[-1].text + "\n")
        tail = LayoutSegmenter().segment(generated.lstrip("\n"), origin="generated")
        return [replace(s, index=i) for i, s in enumerate(list(prefix) + tail)]

    def repair(self, problem: EquationProblem, text: str, verdict: Verdict) -> GenerationSpec | None:
        return None

    def worth_patching(self, problem: EquationProblem, steps: Sequence[Step], verdicts: Sequence[Verdict]) -> bool:
        """A reused answer is patched only when some equation of it verified for the new request before the
        first failure; an answer whose every verified line is prose (or nothing) is not about this request, and
        the caller's own prompt should answer it instead."""
        return any(statements(math_view(s.text, problem.names)) for s in _verified_prefix(steps, verdicts))

    @staticmethod
    def _head(problem: EquationProblem) -> str:
        return f"{_FEW_SHOT}Equation: {problem.written}\n"


def _line(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


def _instruction(problem: EquationProblem, steps: Sequence[Step], verdicts: Sequence[Verdict], keep: int) -> str:
    """A patch request an instruction-tuned model follows: the worked solution, where it goes wrong and why."""
    shown = "".join(_line(s.text) for s in steps).rstrip("\n")
    bad = next((v for v in verdicts if not v.ok), None)
    why = bad.reason if bad is not None else "it does not verify"
    wrong = steps[keep].text.strip() if keep < len(steps) else "the end of the solution"
    if keep == 0:
        where = f'It goes wrong from its first line, "{wrong}": {why}. Rewrite the whole solution.'
    else:
        last = steps[keep - 1].text.strip()
        where = (
            f'The first {keep} lines, up to and including the line "{last}", are correct. From the line "{wrong}" on it is wrong: {why}. '
            "Rewrite the solution from that line on, and reply with the rewritten lines only (not the correct lines before them)."
        )
    return (
        f"{problem.prompt}\n\nHere is a worked solution:\n\n{shown}\n\n{where} "
        f"Keep the same format, one step per line, and end with the final answer as {problem.name} = <exact value>."
    )


def _verified_prefix(steps: Sequence[Step], verdicts: Sequence[Verdict]) -> list[Step]:
    prefix: list[Step] = []
    for s, v in zip(steps, verdicts):
        if not v.ok:
            break
        prefix.append(s)
    return prefix
