"""Schema discovery: the JSON Schema an output parser wrote into a prompt, and the prompt without it.

Apps rarely pass a schema: LangChain's ``PydanticOutputParser`` / ``JsonOutputParser`` / ``StructuredOutputParser``
and LlamaIndex's ``PydanticOutputParser`` put *format instructions* into the prompt instead. The integrations
give this module those instructions' templates, taken from the installed libraries (never copies of their
strings), as :class:`Instructions`; :func:`discover_schema` finds one in a prompt, reads its schema, and returns
the prompt with the instructions cut out (the text values must come from).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["Instructions", "Discovered", "discover_schema", "instructions_from_template", "MAX_SCHEMA_CHARS"]

MAX_SCHEMA_CHARS = 100_000

Kind = Literal["json_schema", "structured_lines"]


@dataclass(frozen=True)
class Instructions:
    """One parser's format instructions: the text before and after its schema, and how the schema is written
    (``json_schema``: a JSON Schema document; ``structured_lines``: ``"name": type  // description`` lines)."""

    name: str
    prefix: str
    suffix: str
    kind: Kind = "json_schema"


@dataclass(frozen=True)
class Discovered:
    schema: dict[str, Any]
    text: str
    """The prompt with the instructions removed."""
    parser: str


def instructions_from_template(name: str, template: str, placeholder: str, kind: Kind = "json_schema") -> Instructions:
    """``Instructions`` from a ``str.format`` template holding ``{placeholder}`` once (``{{``/``}}`` unescaped)."""
    marker = "{" + placeholder + "}"
    if template.count(marker) != 1:
        raise ValueError(f"template {name!r} must hold {marker} exactly once")
    head, _, tail = template.partition(marker)
    return Instructions(name, head.replace("{{", "{").replace("}}", "}"), tail.replace("{{", "{").replace("}}", "}"), kind)


def discover_schema(text: str, instructions: Iterable[Instructions]) -> Discovered | None:
    """The first instructions found in ``text`` whose schema reads as an object schema, else ``None``."""
    for ins in instructions:
        found = _find(text, ins)
        if found is not None:
            return found
    return None


def _find(text: str, ins: Instructions) -> Discovered | None:
    head = ins.prefix.strip()
    start = text.rfind(head) if head else -1
    if start < 0:
        return None
    body_start = start + len(head)
    tail = ins.suffix.strip()
    end = text.find(tail, body_start) if tail else len(text)
    if end < 0 or end - body_start > MAX_SCHEMA_CHARS:
        return None
    body = text[body_start:end]
    schema = _json_schema(body) if ins.kind == "json_schema" else _structured_lines(body)
    if schema is None:
        return None
    rest = (text[:start] + text[end + len(tail) :]).strip("\n")
    return Discovered(schema, rest, ins.name)


def _json_schema(body: str) -> dict[str, Any] | None:
    body = body.strip().strip("`").strip()
    if body.startswith("json"):
        body = body[4:]
    try:
        value = json.loads(body)
    except (json.JSONDecodeError, RecursionError):
        if "{{" not in body:
            return None
        try:  # a template's escaped braces that reached the model as they were (LlamaIndex's chat path does this)
            value = json.loads(body.replace("{{", "{").replace("}}", "}"))
        except (json.JSONDecodeError, RecursionError):
            return None
    if not isinstance(value, dict) or not isinstance(value.get("properties"), Mapping) or not value["properties"]:
        return None
    value.setdefault("type", "object")  # LangChain strips "type" and "title" from the model's schema
    return value


_LINE = re.compile(r'^\s*"(?P<name>[^"]+)"\s*:\s*(?P<type>[^/\n]*?)\s*(?://\s*(?P<desc>.*))?$')
_TYPES = {
    "string": "string", "str": "string", "int": "integer", "integer": "integer", "float": "number", "number": "number",
    "bool": "boolean", "boolean": "boolean", "list": "array", "array": "array", "dict": "object", "object": "object",
}  # fmt: skip


def _structured_lines(body: str) -> dict[str, Any] | None:
    """``StructuredOutputParser``'s pseudo-JSON: one ``"name": type  // description`` line per field."""
    props: dict[str, Any] = {}
    for line in body.splitlines():
        m = _LINE.match(line)
        if m is None or m.group("desc") is None:
            continue  # every field line of these instructions has a "// description": a JSON example does not
        prop: dict[str, Any] = {}
        kind = m.group("type").strip().lower()
        base = re.split(r"[\[\(<]", kind)[0].strip()
        if base in _TYPES:
            prop["type"] = _TYPES[base]
        if m.group("desc"):
            prop["description"] = m.group("desc").strip()
        props[m.group("name")] = prop
    if not props:
        return None
    return {"type": "object", "properties": props, "required": list(props)}
