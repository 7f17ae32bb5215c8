"""JSON verifier: parses, validates against the schema, has every required key, values grounded in the request."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..errors import InvalidSchemaError
from ..segment import find_json_object
from ..values import Step, Verdict, canonical_json

__all__ = ["JsonProblem", "JsonVerifier", "validator_for", "grounded", "plausible_span", "clauses", "name_runs", "overlaps"]


MAX_SCHEMA_CHARS = 100_000
"""Largest schema (canonical JSON) accepted."""
MAX_SCHEMA_DEPTH = 32
"""Deepest nesting of objects and arrays in a schema."""
PATTERN_TIMEOUT_S = 0.05
"""Time budget of one ``pattern`` match: a catastrophic pattern fails the check instead of hanging."""


def _search(pattern: str, text: str) -> bool | None:
    """``regex.search`` under a timeout; ``None`` when it timed out or the pattern is bad."""
    import regex

    try:
        return regex.search(pattern, text, timeout=PATTERN_TIMEOUT_S) is not None
    except (TimeoutError, regex.error):
        return None


def _pattern(validator: Any, patrn: str, instance: Any, schema: Any) -> Any:
    from jsonschema import ValidationError

    if validator.is_type(instance, "string"):
        found = _search(patrn, instance)
        if found is None:
            yield ValidationError(f"pattern {patrn!r} could not be checked in {PATTERN_TIMEOUT_S}s")
        elif not found:
            yield ValidationError(f"{instance!r} does not match {patrn!r}")


def _pattern_properties(validator: Any, patterns: Mapping[str, Any], instance: Any, schema: Any) -> Any:
    from jsonschema import ValidationError

    if not validator.is_type(instance, "object"):
        return
    for patrn, subschema in patterns.items():
        for k, v in instance.items():
            found = _search(patrn, k)
            if found is None:
                yield ValidationError(f"pattern {patrn!r} could not be checked in {PATTERN_TIMEOUT_S}s")
            elif found:
                yield from validator.descend(v, subschema, path=k, schema_path=patrn)


def _additional_properties(validator: Any, extras: Any, instance: Any, schema: Any) -> Any:
    from jsonschema import ValidationError

    if not validator.is_type(instance, "object"):
        return
    props = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    extra = [k for k in instance if k not in props and not any(_search(p, k) for p in patterns)]
    if validator.is_type(extras, "object"):
        for k in extra:
            yield from validator.descend(instance[k], extras, path=k)
    elif not extras and extra:
        yield ValidationError(f"Additional properties are not allowed ({', '.join(map(repr, sorted(extra)))} unexpected)")


def _depth(value: Any, limit: int) -> int:
    """Nesting depth of a JSON value, iteratively (a deep schema can't overflow the stack here)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        if deepest > limit:
            return deepest
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        stack.extend((c, d + 1) for c in children if isinstance(c, (dict, list)))
    return deepest


def _refs(schema: Any) -> list[str]:
    out: list[str] = []
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                out.append(ref)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return out


@lru_cache(maxsize=256)
def _validator(schema_json: str) -> Any:
    """A validator that never leaves the schema: references resolve only inside it (an empty
    registry, so jsonschema never falls back to fetching URLs or reading files), patterns run
    under a timeout, and a reference loop is refused before the model is ever called."""
    import jsonschema
    from jsonschema.validators import extend
    from jsonschema.validators import validator_for as _pick
    from referencing import Registry
    from referencing.exceptions import Unresolvable

    if len(schema_json) > MAX_SCHEMA_CHARS:
        raise InvalidSchemaError(f"schema is larger than {MAX_SCHEMA_CHARS} characters")
    schema = json.loads(schema_json)
    if _depth(schema, MAX_SCHEMA_DEPTH) > MAX_SCHEMA_DEPTH:
        raise InvalidSchemaError(f"schema is nested deeper than {MAX_SCHEMA_DEPTH}")
    base = _pick(schema, default=jsonschema.Draft202012Validator)
    try:
        base.check_schema(schema)
    except jsonschema.SchemaError as e:
        raise InvalidSchemaError(f"invalid JSON Schema: {e.message}") from e
    except RecursionError as e:
        raise InvalidSchemaError("schema is nested too deeply to check") from e
    cls = extend(
        base,
        validators={"pattern": _pattern, "patternProperties": _pattern_properties, "additionalProperties": _additional_properties},
    )
    validator = cls(schema, registry=Registry())
    resolver = validator._resolver  # the referencing resolver bound to this schema
    for ref in _refs(schema):
        try:
            resolver.lookup(ref)
        except Unresolvable as e:
            raise InvalidSchemaError(
                f"$ref {ref!r} does not resolve inside the schema (StepCache never fetches URLs or files)"
            ) from e
    try:
        # a reference loop that consumes no instance ({"$ref": "#"}) recurses forever on any value
        probes: tuple[Any, ...] = ({}, [], "", 0, None)
        for probe in probes:
            for _ in validator.iter_errors(probe):
                break
    except RecursionError as e:
        raise InvalidSchemaError("schema references itself in a loop") from e
    return validator


def validator_for(schema: Mapping[str, Any]) -> Any:
    """A validator built once per schema (one-shot ``jsonschema.validate`` is ~50x slower)."""
    if not isinstance(schema, Mapping):
        raise InvalidSchemaError(f"schema must be a JSON object, got {type(schema).__name__}")
    try:
        return _validator(canonical_json(schema))
    except InvalidSchemaError:
        raise
    except (TypeError, ValueError) as e:
        raise InvalidSchemaError(f"schema is not JSON-serialisable: {e}") from e
    except RecursionError as e:
        raise InvalidSchemaError("schema is nested too deeply") from e


@dataclass(frozen=True)
class JsonProblem:
    """A parsed JSON-extraction request. ``text`` is what values must be grounded in."""

    prompt: str
    text: str
    schema: Mapping[str, Any] | None
    required: tuple[str, ...]
    properties: tuple[str, ...]
    types: Mapping[str, str] = field(default_factory=dict)

    @property
    def validator(self) -> Any:
        return validator_for(self.schema) if self.schema is not None else None


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w@.+\-/:' ]+", " ", text.casefold()).split())


# function words that never begin or end an extracted entity: a value like "The book fair in" or
# "in Lyon" is a span cut at the wrong place, not a field value
_EDGE_WORDS = frozenset(
    "in on at of to for and or but with by from over into onto as is was are were be been has had have "
    "which that who whom whose while when where than then so if".split()
)
_END_ONLY = frozenset("the a an".split())


def plausible_span(value: str) -> bool:
    """Whether a string value looks like one extracted entity rather than a cut of a sentence."""
    words = _norm(value).split()
    if not words or len(words) > 8:
        return False
    if words[0] in _EDGE_WORDS or words[-1] in _EDGE_WORDS or words[-1] in _END_ONLY:
        return False
    if " , " in value or (len(words) > 2 and words[0].endswith("ing") and words[1] in _EDGE_WORDS):
        return False  # "Belonging to Dana Levi , Nala": a participle clause, not a name
    # a bare number among words ("Running 99 minutes", "8 days and drew") is a clause, not a name;
    # identifiers keep their digits inside one token ("A-1042", "LH402")
    return len(words) == 1 or not any(w.replace(".", "").replace(",", "").isdigit() for w in words)


# a clause ends at punctuation followed by a space or the end: "Lyon. Alice" and "Denver, Dana" are two
# clauses, while "A-1042", "3.5" and "J.R.R." stay inside one
_CLAUSE_END = re.compile(r"[.,;:!?()\[\]\"]+(?=\s|$)|\s[-\u2013\u2014]+\s|[()\[\]\"]")
_WORD = re.compile(r"[\w@+\-/'.]*\w|\w")
_ARTICLES = frozenset(("The", "A", "An"))


def clauses(text: str) -> list[list[str]]:
    """The words of each clause of ``text``; a field value never spans two clauses."""
    return [_WORD.findall(c) for c in _CLAUSE_END.split(text)]


def name_runs(words: Sequence[str]) -> list[tuple[int, int, bool]]:
    """Capitalised runs of two or more words in one clause, as ``(start, end, parts_ok)``.

    A person's name ("Dana Levi") is one value: a field holding "Levi" is a cut.
    After an article ("The Toyota Golf") the run names a thing whose parts may
    be separate fields (make and model), so ``parts_ok`` is true. A sentence-initial
    word before a name of two or more words ("Yesterday Alice Martin") is not part of it.
    """
    runs: list[tuple[int, int, bool]] = []
    i = 0
    while i < len(words):
        if words[i] in _ARTICLES:
            i += 1
            continue
        j = i
        while j < len(words) and words[j][:1].isupper() and words[j].replace("-", "").isalpha() and words[j] not in _ARTICLES:
            j += 1
        if j - i >= 2:
            start = i + 1 if i == 0 and j - i >= 3 else i
            runs.append((start, j, i > 0 and words[i - 1].capitalize() in _ARTICLES))
        i = max(j, i + 1)
    return runs


def _cut_name(value: str, others: Sequence[tuple[str, ...]], text: str) -> str | None:
    """The name a string value cuts in two ("Levi" of "Dana Levi"), unless the other parts are other fields' values."""
    v = tuple(_norm(value).split())
    if not v:
        return None
    for words in clauses(text):
        low = [_norm(w) for w in words]
        for i, j, parts_ok in name_runs(words):
            for a in range(i, j - len(v) + 1):
                if tuple(low[a : a + len(v)]) != v or (a == i and a + len(v) == j):
                    continue
                rest = [tuple(p) for p in (low[i:a], low[a + len(v) : j]) if p]
                if parts_ok and all(r in others for r in rest):
                    continue
                return " ".join(words[i:j])
    return None


_UNIT_KEYS = re.compile(r"unit|currency|measure", re.IGNORECASE)


def _unit_word(value: str, key: str, text: str) -> bool:
    """Whether a one-word string value is the unit of a stated quantity ("euros" in "18915 euros")."""
    if _UNIT_KEYS.search(key) or len(value.split()) != 1:
        return False
    return re.search(rf"\d\s+{re.escape(value.strip())}(?![\w\-/])", text, re.IGNORECASE) is not None


def grounded(value: Any, text: str) -> bool:
    """Whether a scalar value (or every item of a list) is stated in ``text``."""
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, (int, float)):
        numbers = {float(n.replace(",", "")) for n in re.findall(r"-?\d[\d,]*(?:\.\d+)?", text)}
        return float(value) in numbers
    if isinstance(value, str):
        v = _norm(value)
        # a whole token span: "1042" is not grounded by "A-1042", "York" not by "Yorkshire"
        return bool(v) and re.search(rf"(?<![\w\-/]){re.escape(v)}(?![\w\-/]|\.\w)", _norm(text)) is not None
    if isinstance(value, list):
        return all(grounded(v, text) for v in value)
    if isinstance(value, dict):
        return all(grounded(v, text) for v in value.values())
    return False


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
        if isinstance(step.value, bool) or step.value is None:
            return step.origin == "generated"
        if isinstance(step.value, list) and not step.value:
            return step.origin == "generated"
        return grounded(step.value, problem.text)

    def check(self, problem: JsonProblem, text: str) -> Verdict:
        obj = find_json_object(text)
        if obj is None:
            return Verdict(False, "output holds no JSON object")
        try:
            stripped = json.loads(text)
        except json.JSONDecodeError:
            return Verdict(False, "output is not exactly one JSON object")
        if stripped != obj:
            return Verdict(False, "output is not exactly one JSON object")
        validator = problem.validator
        if validator is not None:
            err = next(iter(validator.iter_errors(obj)), None)
            if err is not None:
                return Verdict(False, f"schema: {err.message}")
        for key in problem.required:
            if key not in obj:
                return Verdict(False, f"required key {key!r} is missing", key=key)
        return Verdict.passed()


def _tokens(value: Any) -> tuple[str, ...]:
    if isinstance(value, bool) or value is None:
        return ()
    if isinstance(value, (int, float)):
        return (str(int(value)) if float(value).is_integer() else str(value),)
    if isinstance(value, str):
        return tuple(_norm(value).split())
    return ()


def _other_values(steps: Sequence[Step], key: str) -> list[tuple[str, ...]]:
    return [_tokens(s.value) for s in steps if s.key != key and isinstance(s.value, str)]


def _clashes(steps: Sequence[Step]) -> dict[str, str]:
    """Keys whose scalar value equals or contains another key's value (token-wise)."""
    toks = [(s.key, _tokens(s.value)) for s in steps if s.key is not None]
    out: dict[str, str] = {}
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


def overlaps(a: Any, b: Any) -> bool:
    """Whether one scalar value equals or contains the other, token-wise (the clash rule)."""
    ta, tb = _tokens(a), _tokens(b)
    return bool(ta and tb) and (_contains(ta, tb) or _contains(tb, ta))


def _contains(big: tuple[str, ...], small: tuple[str, ...]) -> bool:
    n = len(small)
    return any(big[i : i + n] == small for i in range(len(big) - n + 1))


def _missing_key(err: Any) -> str | None:
    if err.validator == "required":
        m = re.match(r"'([^']+)' is a required property", err.message)
        if m:
            return m.group(1)
    return None
