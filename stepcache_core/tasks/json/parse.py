"""Parsing a JSON-extraction request: its schema, keys and types, the text values must come from, detection."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ...errors import InvalidRequestError, InvalidSchemaError
from ...values import Request
from .schema import validator_for

__all__ = ["JsonProblem", "parse_json_problem", "detect", "source_text"]


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


_DETECT = re.compile(r"\bjson\b", re.IGNORECASE)


def parse_json_problem(request: Request) -> JsonProblem:
    schema = dict(request.schema) if request.schema is not None else None
    if schema is not None:
        if not isinstance(schema, dict):
            raise InvalidSchemaError("schema must be a JSON object")
        validator_for(schema)  # raises InvalidSchemaError
        if schema.get("type", "object") != "object":
            raise InvalidSchemaError("json_extraction needs a schema whose type is 'object'")
    props = tuple((schema or {}).get("properties", {}) or ())
    required = tuple(dict.fromkeys(tuple((schema or {}).get("required", ()) or ()) + tuple(request.required_keys)))
    if not props and not required:
        raise InvalidRequestError("json_extraction needs a schema with properties or required_keys")
    types = {k: str(v.get("type", "")) for k, v in ((schema or {}).get("properties", {}) or {}).items() if isinstance(v, dict)}
    return JsonProblem(
        prompt=request.prompt,
        text=request.embed_text,  # the question (an integration strips format instructions and chat context)
        schema=schema,
        required=required,
        properties=props or required,
        types=types,
    )


def detect(request: Request) -> bool:
    return request.schema is not None or bool(request.required_keys) or bool(_DETECT.search(request.prompt))


def source_text(problem: JsonProblem) -> str:
    """The text the values come from: after the last 'Text:' when the prompt has one."""
    head, sep, tail = problem.text.rpartition("Text:")
    return tail if sep else problem.text
