"""Whether an old extraction may be reused for a new request at all."""

from __future__ import annotations

from ...values import Verdict
from .parse import JsonProblem

__all__ = ["JsonGate"]


class JsonGate:
    """Another kind of entity (most keys differ) or another output type means no reuse."""

    def __init__(self, min_key_overlap: float = 0.5) -> None:
        self.min_key_overlap = min_key_overlap

    def compatible(self, old: JsonProblem, new: JsonProblem) -> Verdict:
        a, b = set(old.properties), set(new.properties)
        overlap = len(a & b) / max(1, len(a | b))
        renamed = len(a - b) == len(b - a) == 1
        if overlap < self.min_key_overlap and not (renamed and len(a) >= 2 and overlap >= 0.3):
            return Verdict(False, f"schema keys changed too much (overlap {overlap:.2f})")
        for k in a & b:
            if old.types.get(k) != new.types.get(k):
                return Verdict(False, f"type of {k!r} changed")
        return Verdict.passed()
