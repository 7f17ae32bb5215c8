"""JSON verifier: parses, validates against the schema, has every required key, values grounded in the request."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from ...segment import find_json_object, locate_json_object
from ...values import Step, Verdict
from .parse import JsonProblem
from .text import _contains, _cut_name, _norm, _unit_word, boolean_stated, grounded, plausible_span, value_tokens

__all__ = ["JsonVerifier"]


class JsonVerifier:
    """Per-key checks: allowed by the schema, valid for its sub-schema, grounded in the request,
    and not the same phrase as another key's value.

    Booleans and nulls cannot be grounded in text: they pass only when the model
    wrote them for this request (``origin="generated"``), never from the cache.
    """

    name = "json"

    def verify_steps(self, problem: JsonProblem, steps: Sequence[Step]) -> list[Verdict]:
        if not steps or any(s.key is None for s in steps):
            return [Verdict(False, "output holds no JSON object", step=0)] + [
                Verdict(False, "output holds no JSON object", step=s.index) for s in steps[1:]
            ]
        obj = {s.key: s.value for s in steps}
        errors_by_key: dict[str, str] = {}
        validator = problem.validator
        if validator is not None:
            for err in validator.iter_errors(obj):
                key = str(err.path[0]) if err.path else _missing_key(err) or ""
                errors_by_key.setdefault(key, err.message)
        verdicts: list[Verdict] = []
        clashes = _clashes(steps)
        # "departure": "Flight" names a field (the text's label of the flight number), not a value
        labels = {_norm(k).replace("_", " ") for k in (*problem.properties, *(s.key for s in steps if s.key))}
        for s in steps:
            assert s.key is not None
            if s.key in clashes:
                # one phrase answering two fields ("event": "Valencia", "city": "Valencia") or a value
                # that swallows another field's ("title": "115 minutes", "runtime": 115) is a classic
                # small-model slip: neither can be trusted
                verdicts.append(
                    Verdict(False, f"value of {s.key!r} overlaps the value of {clashes[s.key]!r}", step=s.index, key=s.key)
                )
            elif s.key in errors_by_key:
                verdicts.append(Verdict(False, f"schema: {errors_by_key[s.key]}", step=s.index, key=s.key))
            elif problem.properties and s.key not in problem.properties:
                verdicts.append(Verdict(False, f"key {s.key!r} is not in the schema", step=s.index, key=s.key))
            elif not self._grounded(s, problem):
                verdicts.append(Verdict(False, f"value of {s.key!r} is not stated in the request", step=s.index, key=s.key))
            elif isinstance(s.value, str) and not plausible_span(s.value):
                verdicts.append(
                    Verdict(False, f"value of {s.key!r} is a cut of a sentence, not an entity", step=s.index, key=s.key)
                )
            elif isinstance(s.value, str) and _norm(s.value).replace("_", " ") in labels:
                verdicts.append(Verdict(False, f"value of {s.key!r} is a field's name, not its value", step=s.index, key=s.key))
            elif isinstance(s.value, str) and _unit_word(s.value, s.key, problem.text):
                verdicts.append(
                    Verdict(False, f"value of {s.key!r} is the unit of a quantity, not an entity", step=s.index, key=s.key)
                )
            elif isinstance(s.value, str) and (name := _cut_name(s.value, _other_values(steps, s.key), problem.text)):
                verdicts.append(Verdict(False, f"value of {s.key!r} cuts the name {name!r}", step=s.index, key=s.key))
            else:
                verdicts.append(Verdict(True, step=s.index, key=s.key))
        present = set(obj)
        for key in problem.required:
            if key not in present:
                verdicts.append(Verdict(False, f"required key {key!r} is missing", step=len(steps), key=key))
        if "" in errors_by_key:
            verdicts.append(Verdict(False, f"schema: {errors_by_key['']}", step=len(steps)))
        return verdicts

    @staticmethod
    def _grounded(step: Step, problem: JsonProblem) -> bool:
        if isinstance(step.value, bool):
            # a yes/no field the text states in the field's own words ("in stock", "out of stock") is checked
            # against that statement; one it does not state passes only when the model wrote it just now
            stated = boolean_stated(step.key or "", problem.text)
            return step.value is stated if stated is not None else step.origin == "generated"
        if step.value is None:
            return step.origin == "generated"
        if isinstance(step.value, list) and not step.value:
            return step.origin == "generated"
        return grounded(step.value, problem.text)

    def check(self, problem: JsonProblem, text: str) -> Verdict:
        found = locate_json_object(text)
        if found is None:
            return Verdict(False, "output holds no JSON object")
        start, end, _ = found
        obj = json.loads(text[start:end])
        # a wrapper (a sentence, a fence) may surround the object; a second object may not: which would it be?
        if find_json_object(text[end:]) is not None or find_json_object(text[:start]) is not None:
            return Verdict(False, "output holds more than one JSON object")
        validator = problem.validator
        if validator is not None:
            err = next(iter(validator.iter_errors(obj)), None)
            if err is not None:
                return Verdict(False, f"schema: {err.message}")
        for key in problem.required:
            if key not in obj:
                return Verdict(False, f"required key {key!r} is missing", key=key)
        return Verdict.passed()


def _other_values(steps: Sequence[Step], key: str) -> list[tuple[str, ...]]:
    return [value_tokens(s.value) for s in steps if s.key != key and isinstance(s.value, str)]


def _clashes(steps: Sequence[Step]) -> dict[str, str]:
    """Keys whose scalar value equals or contains another key's value (token-wise); a list holding another
    key's value ("languages": ["Tom Becker", "C++"] beside "name": "Tom Becker") clashes too."""
    toks = [(s.key, value_tokens(s.value)) for s in steps if s.key is not None]
    out: dict[str, str] = {}
    for s in steps:
        if s.key is not None and isinstance(s.value, list):
            for item in s.value:
                other = next((k for k, t in toks if k != s.key and t and value_tokens(item) and _contains(value_tokens(item), t)), None)
                if other is not None:
                    out.setdefault(s.key, other)
    for i, (ka, ta) in enumerate(toks):
        for kb, tb in toks[i + 1 :]:
            if not (ta and tb):
                continue
            # a value that swallows another ("Altair toaster" / "Altair") is the suspect one; equal values both are
            if _contains(ta, tb):
                out.setdefault(ka, kb)
            if _contains(tb, ta):
                out.setdefault(kb, ka)
    return out


def _missing_key(err: Any) -> str | None:
    if err.validator == "required":
        m = re.match(r"'([^']+)' is a required property", err.message)
        if m:
            return m.group(1)
    return None
