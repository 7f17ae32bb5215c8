"""The ``linear_equation`` task: solve one equation step by step, last line ``v = value``.

Non-linear single-variable equations parse too (so a request that turns quadratic is recognised as a change of
structure, and the deterministic solver still answers it), but reuse only happens between equations of one
structure."""

from __future__ import annotations

from ...segment import LayoutSegmenter
from ..base import RepairPolicy, TaskProfile, mask_numbers
from .adapt import EquationAdapter
from .carry import EquationCarryover
from .corroborate import EquationCorroboration
from .gate import EquationGate
from .parse import EquationProblem, detect, parse_problem
from .prompt import EquationPrompter
from .solve import EquationSolver
from .verify import EquationVerifier, final_answer

__all__ = [
    "linear_equation_task",
    "EquationProblem",
    "parse_problem",
    "detect",
    "EquationGate",
    "EquationAdapter",
    "EquationCarryover",
    "EquationCorroboration",
    "EquationVerifier",
    "final_answer",
    "EquationPrompter",
    "EquationSolver",
]


def linear_equation_task() -> TaskProfile:
    return TaskProfile(
        name="linear_equation",
        parse=parse_problem,
        detect=detect,
        segmenter=LayoutSegmenter(),
        prompter=EquationPrompter(),
        gate=EquationGate(),
        verifier=EquationVerifier(),
        adapter=EquationAdapter(),
        solver=EquationSolver(),
        carryover=EquationCarryover(),
        corroboration=EquationCorroboration(),
        repair=RepairPolicy(patch_attempts=1, feedback_repairs=0, full_regenerations=0),
        retrieval_text=mask_numbers,
        signature=lambda p: f"{p.shape}|{p.degree}",
        asks_more=lambda p: not p.solves,
    )
