"""The ``text`` task: anything else. No verifier, so reuse only for an identical request."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..segment import ParagraphSegmenter
from ..values import GenerationSpec, Request, Step, Verdict
from .base import RepairPolicy, TaskProfile
from .template import trim_request

__all__ = ["text_task", "normalize_prompt", "TextProblem", "IdenticalGate", "TextPrompter"]


def normalize_prompt(text: str) -> str:
    """Only the whitespace at the two ends is ignored: ' Hi there!\\n' == 'Hi there!' (not the indentation of a
    first line that others follow: see :func:`~.template.trim_request`). Case, punctuation and inner
    whitespace are the caller's words (a prompt may fix capitalisation, or be an input to transform), and no
    verifier can vouch that another wording wants the same answer."""
    return trim_request(text)


@dataclass(frozen=True)
class TextProblem:
    prompt: str
    key: str


class IdenticalGate:
    def compatible(self, old: TextProblem, new: TextProblem) -> Verdict:
        if old.key == new.key:
            return Verdict.passed()
        return Verdict(False, "no verifier for this task: reuse needs an identical request")


class TextPrompter:
    max_tokens = 256

    def generate(self, problem: TextProblem) -> GenerationSpec:
        return GenerationSpec(problem.prompt, self.max_tokens, (), None, "generate")

    def patch(self, problem: TextProblem, steps: Sequence[Step], verdicts: Sequence[Verdict]) -> GenerationSpec:
        return self.generate(problem)

    def merge(self, problem: TextProblem, steps: Sequence[Step], verdicts: Sequence[Verdict], generated: str) -> list[Step]:
        return ParagraphSegmenter().segment(generated, origin="generated")

    def repair(self, problem: TextProblem, text: str, verdict: Verdict) -> GenerationSpec | None:
        return None


def _parse(request: Request) -> TextProblem:
    return TextProblem(request.prompt, normalize_prompt(request.embed_text))


def text_task() -> TaskProfile:
    return TaskProfile(
        name="text",
        parse=_parse,
        detect=lambda request: True,
        segmenter=ParagraphSegmenter(),
        prompter=TextPrompter(),
        gate=IdenticalGate(),
        verifier=None,
        adapter=None,
        solver=None,
        repair=RepairPolicy(patch_attempts=0),
        normalize=normalize_prompt,
        exact_only=True,
    )
