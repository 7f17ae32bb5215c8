"""JSON Schema handling that never leaves the schema: references resolve only inside it (no URL, no file),
``pattern``s run under a timeout, size and depth are bounded, a reference loop is refused before any model call."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from ...errors import InvalidSchemaError
from ...values import canonical_json

__all__ = ["MAX_SCHEMA_CHARS", "MAX_SCHEMA_DEPTH", "PATTERN_TIMEOUT_S", "inline_refs", "root_object", "validator_for"]


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
        validators={
            "pattern": _pattern,
            "patternProperties": _pattern_properties,
            "additionalProperties": _additional_properties,
        },
    )
    # formats are checked ("date", "email", ...): a value the schema's format refuses is not the schema's value
    validator = cls(schema, registry=Registry(), format_checker=base.FORMAT_CHECKER)
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


_DEFINITIONS = ("$defs", "definitions")


def root_object(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with a root that only points at one of its own definitions (``{"$ref": "#/$defs/Node", "$defs":
    ...}``, as pydantic writes a recursive model, or ``{"allOf": [{"$ref": ...}]}``) replaced by that definition:
    the same instances validate, and its keys are the root's. The definitions stay (the keys may use them); keys
    beside the reference (a title, a description) override the definition's. Any other schema comes back as is."""
    seen: set[str] = set()
    while "properties" not in schema:
        pointer = schema.get("$ref")
        rest = {k: v for k, v in schema.items() if k != "$ref"}
        if not isinstance(pointer, str):
            parts = schema.get("allOf")
            if not (isinstance(parts, list) and len(parts) == 1 and isinstance(parts[0], dict)):
                return schema
            if set(parts[0]) != {"$ref"} or not isinstance(parts[0]["$ref"], str):
                return schema
            pointer = parts[0]["$ref"]
            rest = {k: v for k, v in schema.items() if k != "allOf"}
        if pointer in seen:
            raise InvalidSchemaError(f"$ref {pointer!r} points back to itself at the schema's root")
        seen.add(pointer)
        table, name = next(
            ((schema.get(key), pointer[len(f"#/{key}/") :]) for key in _DEFINITIONS if pointer.startswith(f"#/{key}/")),
            (None, ""),
        )
        definition = table.get(name) if isinstance(table, Mapping) else None
        if not isinstance(definition, Mapping):
            return schema  # a pointer of another form ("#/$defs/a~1b", a nested path): read as written
        schema = {**definition, **rest}
    return schema


def inline_refs(schema: Mapping[str, Any]) -> dict[str, Any]:
    """``schema`` with each ``$ref`` to one of its own definitions (``#/$defs/Name``, ``#/definitions/Name``)
    replaced by that definition, and the root's definitions dropped: every sub-schema then stands on its own, as the
    task needs to check one key against its own sub-schema. Keys beside a ``$ref`` (pydantic puts a field's
    ``description`` there) override the definition's. A definition may use others, to any depth.

    Raises :class:`InvalidSchemaError` for a recursive definition (a tree or a linked list: inlined it would
    never end, so the walk stops at the first definition met again inside itself), for a ``$ref`` that names no
    definition of ``schema`` (nothing is fetched), and for an expansion larger than ``MAX_SCHEMA_CHARS`` nodes
    (definitions used many times over, each using others many times over).

    Example::

        inline_refs({"properties": {"home": {"$ref": "#/$defs/Address"}}, "$defs": {"Address": {"type": "object"}}})
        # {"properties": {"home": {"type": "object"}}}
    """
    tables = {f"#/{key}/": schema.get(key) or {} for key in _DEFINITIONS}
    budget = [MAX_SCHEMA_CHARS]

    def walk(node: Any, inside: tuple[str, ...]) -> Any:
        budget[0] -= 1
        if budget[0] < 0:
            raise InvalidSchemaError(f"schema expands to more than {MAX_SCHEMA_CHARS} nodes once its $refs are inlined")
        if isinstance(node, list):
            return [walk(v, inside) for v in node]
        if not isinstance(node, Mapping):
            return node
        ref = node.get("$ref")
        if not isinstance(ref, str):
            return {k: walk(v, inside) for k, v in node.items()}
        table, name = next(((t, ref[len(p) :]) for p, t in tables.items() if ref.startswith(p)), ({}, ref))
        if ref in inside:
            raise InvalidSchemaError(f"definition {name!r} uses itself: a recursive schema cannot be inlined")
        definition = table.get(name) if isinstance(table, Mapping) else None
        if not isinstance(definition, Mapping):
            raise InvalidSchemaError(f"$ref {ref!r} names no definition of the schema")
        return walk({**definition, **{k: v for k, v in node.items() if k != "$ref"}}, (*inside, ref))

    # only the root's definitions go: a property may be called "definitions"
    inlined: dict[str, Any] = walk({k: v for k, v in schema.items() if k not in _DEFINITIONS}, ())
    return inlined
