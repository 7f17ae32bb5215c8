"""Model-free repair of a JSON answer that failed verification."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ...values import Step, Verdict
from .parse import JsonProblem

__all__ = ["JsonFixer"]


class JsonFixer:
    """Trims a string value that swallowed another field's value at its start or end.

    Small models often answer ``"product": "Altair toaster", "brand": "Altair"``;
    the rest of the swallowing value ("toaster") is then the field's own part.
    The trimmed value is verified like any other (a unit such as "minutes" left
    from "115 minutes" fails, and the field goes to patching).
    """

    def fix(self, problem: JsonProblem, steps: Sequence[Step], verdicts: Sequence[Verdict]) -> list[Step] | None:
        if any(s.key is None for s in steps):
            return None
        failing = {v.key for v in verdicts if not v.ok and v.key}
        values = {s.key: s.value for s in steps}
        out: list[Step] = []
        changed = False
        for s in steps:
            value = s.value
            if s.key in failing and isinstance(value, str):
                for other_key, other in values.items():
                    if other_key == s.key or isinstance(other, bool) or other is None:
                        continue
                    rest = _trim(value, str(other))
                    if rest is not None:
                        value = rest
                        break
            if value != s.value:
                changed = True
                out.append(Step(s.index, json.dumps({s.key: value}, ensure_ascii=False), "generated", s.key, value))
            else:
                out.append(s)
        return out if changed else None


def _trim(value: str, part: str) -> str | None:
    words, cut = value.split(), part.split()
    n = len(cut)
    if not cut or n >= len(words):
        return None
    folded = [w.casefold() for w in words]
    target = [w.casefold() for w in cut]
    # (the mark that parted the two goes with the part: "12 Oak Street, Springfield" less the city is "12 Oak Street")
    if folded[:n] == target:
        return " ".join(words[n:]).strip(_PARTING) or None
    if folded[-n:] == target:
        return " ".join(words[:-n]).strip(_PARTING) or None
    return None


_PARTING = " ,;:/|-\u2013\u2014"
