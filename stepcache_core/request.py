"""Request intake: validate the raw request before any stage touches it."""

from __future__ import annotations

import hashlib
from typing import Any

from .errors import InvalidRequestError, InvalidSchemaError, PromptTooLongError
from .values import Request, canonical_json

__all__ = ["validate_request", "entry_id"]


def validate_request(request: Any, *, max_prompt_chars: int) -> Request:
    if not isinstance(request, Request):
        raise InvalidRequestError(f"expected a stepcache_core.Request, got {type(request).__name__}")
    prompt = request.prompt
    if not isinstance(prompt, str):
        raise InvalidRequestError(f"prompt must be str, got {type(prompt).__name__}")
    if not prompt.strip():
        raise InvalidRequestError("prompt is empty")
    if len(prompt) > max_prompt_chars:
        raise PromptTooLongError(len(prompt), max_prompt_chars)
    if "\x00" in prompt or "\ufffd" in prompt:
        raise InvalidRequestError("prompt holds binary data (NUL or undecodable bytes)")
    control = sum(1 for ch in prompt if ord(ch) < 32 and ch not in "\n\r\t")
    if control > max(2, len(prompt) // 100):
        raise InvalidRequestError("prompt holds binary data (control characters)")
    if request.schema is not None:
        try:
            canonical_json(request.schema)
        except (TypeError, ValueError) as e:
            raise InvalidSchemaError(f"schema is not JSON-serialisable: {e}") from e
    if not all(isinstance(k, str) and k for k in request.required_keys):
        raise InvalidRequestError("required_keys must be non-empty strings")
    return request


def entry_id(task: str, request: Request) -> str:
    """Exact-match key: the task, the whitespace-normalised prompt and the constraints."""
    raw = "\x1f".join([task, " ".join(request.prompt.split()), " ".join(request.embed_text.split()), request.constraints_json()])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]
