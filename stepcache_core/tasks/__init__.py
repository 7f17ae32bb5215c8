"""Task plug-ins and the built-in tasks."""

from .base import (
    AdaptContext,
    Adapter,
    Corroboration,
    Gate,
    Prompter,
    RepairPolicy,
    Segmenter,
    Solver,
    TaskProfile,
    TaskRegistry,
    Verifier,
)
from .equation import linear_equation_task
from .json import json_extraction_task
from .text import text_task
from .word import word_problem_task

__all__ = [
    "AdaptContext",
    "Adapter",
    "Corroboration",
    "Gate",
    "Prompter",
    "RepairPolicy",
    "Segmenter",
    "Solver",
    "TaskProfile",
    "TaskRegistry",
    "Verifier",
    "builtin_tasks",
    "json_extraction_task",
    "linear_equation_task",
    "text_task",
    "word_problem_task",
]


def builtin_tasks(*, json_corroboration: bool = True) -> TaskRegistry:
    """A fresh registry with the built-ins, in detection order (text is the catch-all, last). ``json_corroboration``:
    see :func:`json_extraction_task` (``False``: the JSON checks alone decide a reuse for another record)."""
    return TaskRegistry(
        [json_extraction_task(corroborate=json_corroboration), linear_equation_task(), word_problem_task(), text_task()]
    )
