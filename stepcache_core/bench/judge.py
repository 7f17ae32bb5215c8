"""End-to-end correctness, judged from the served text alone."""

from __future__ import annotations

import re
from typing import Any

from ..segment import find_json_object
from ..tasks.equation.expr import find_equation
from ..tasks.equation.verify import final_answer

__all__ = ["is_correct"]


def _norm(v: Any) -> Any:
    """SQuAD's answer normalisation for strings: case, punctuation, articles and spacing don't count."""
    if isinstance(v, str):
        text = re.sub(r"[^\w\s-]", " ", v.casefold())
        text = re.sub(r"\b(a|an|the)\b", " ", text)
        return " ".join(text.split())
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, dict):
        return {k: _norm(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_norm(x) for x in v]
    return v


def is_correct(row: dict[str, Any], output: str | None) -> bool:
    if output is None:
        return False
    expected = row.get("expected")
    if expected is None:
        return False
    if row["task"] == "linear_equation":
        lines = [ln.strip() for ln in output.strip().splitlines() if ln.strip()]
        if not lines:
            return False
        var = expected["variable"]
        last = lines[-1]
        values = final_answer(last, var) or final_answer(find_equation(last) or "", var)
        if values is None:
            return False
        want = expected.get("values") or [expected["value"]]
        import sympy

        got = sorted(sympy.nsimplify(v) for v in values)
        return got == sorted(sympy.Rational(w) for w in want)
    if row["task"] == "json_extraction":
        obj = find_json_object(output)
        if obj is None or set(obj) != set(expected):
            return False
        return all(_norm(obj[k]) == _norm(expected[k]) for k in expected)
    return bool(output.strip() == str(expected).strip())
