"""The ``json_extraction`` task: one JSON object, valid for the request's schema, values from its text."""

from __future__ import annotations

from ...segment import JsonObjectSegmenter
from ...values import canonical_json
from ..base import RepairPolicy, TaskProfile, mask_numbers
from .adapt import JsonAdapter
from .carry import JsonCarryover, stale_mention
from .corroborate import JsonCorroboration
from .fix import JsonFixer
from .gate import JsonGate, asks_form
from .parse import JsonProblem, detect, parse_json_problem
from .prompt import JsonPrompter
from .schema import validator_for
from .verify import JsonVerifier

__all__ = [
    "json_extraction_task",
    "JsonProblem",
    "parse_json_problem",
    "detect",
    "validator_for",
    "JsonGate",
    "JsonAdapter",
    "JsonCarryover",
    "JsonCorroboration",
    "stale_mention",
    "JsonFixer",
    "JsonVerifier",
    "JsonPrompter",
]


def json_extraction_task(*, corroborate: bool = True) -> TaskProfile:
    """``corroborate``: a reuse that changes a value (another record) is served only from an entry a second model
    answer agreed with for that key (see :mod:`.corroborate`); ``False`` serves one verified answer for every
    record its checks pass."""
    return TaskProfile(
        name="json_extraction",
        parse=parse_json_problem,
        detect=detect,
        segmenter=JsonObjectSegmenter(),
        prompter=JsonPrompter(),
        gate=JsonGate(),
        verifier=JsonVerifier(),
        adapter=JsonAdapter(renames_by_similarity=corroborate),
        solver=None,
        fixer=JsonFixer(),
        carryover=JsonCarryover(),
        corroboration=JsonCorroboration() if corroborate else None,
        asks_more=lambda p: asks_form(p) is not None,
        repair=RepairPolicy(patch_attempts=1, feedback_repairs=1, full_regenerations=1),
        retrieval_text=mask_numbers,
        signature=lambda p: canonical_json([list(p.properties), dict(p.types), sorted(p.required)]),
    )
