"""The ``text`` task: anything else. No verifier, so reuse only for an essentially identical request."""

from __future__ import annotations

import re
from typing import Sequence

from ..segment import ParagraphSegmenter
from ..values import GenerationSpec, Request, Step, Verdict
from .base import RepairPolicy, TaskProfile

__all__ = ["text_task", "normalize_prompt"]


def normalize_prompt(text: str) -> str:
    """Case, whitespace and trailing punctuation folded: 'Hi there!' == 'hi  there'."""
    return " ".join(re.sub(r"[\s.!?]+$", "", text.casefold()).split())


class IdenticalGate:
    def compatible(self, old: str, new: str) -> Verdict:
        if old == new:
            return Verdict.passed()
        return Verdict(False, "no verifier for this task: reuse needs an identical request")


class TextPrompter:
    max_tokens = 256

    def generate(self, problem: str) -> GenerationSpec:
        return GenerationSpec(problem, self.max_tokens, (), None, "generate")

    def patch(self, problem: str, steps: Sequence[Step], verdicts: Sequence[Verdict]) -> GenerationSpec:
        return self.generate(problem)

    def merge(self, problem: str, steps: Sequence[Step], verdicts: Sequence[Verdict], generated: str) -> list[Step]:
        return ParagraphSegmenter().segment(generated, origin="generated")

    def repair(self, problem: str, text: str, verdict: Verdict) -> GenerationSpec | None:
        return None


def _parse(request: Request) -> str:
    return normalize_prompt(request.prompt)


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
    )
