"""Request intake: validate the raw request and resolve the task that serves it, before any stage touches it."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .errors import ConfigError, InvalidRequestError, InvalidSchemaError, PromptTooLongError, StepCacheError
from .tasks.base import TaskProfile, TaskRegistry
from .tasks.template import trim_request
from .values import Namespace, Request, canonical_json

# a control character other than a line break or a tab: binary data in a prompt, past a few
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

__all__ = ["validate_request", "entry_id", "Routing", "resolve_task"]


@dataclass(frozen=True)
class Routing:
    """How a request finds its task, the same way on every route (core API, LangChain, LlamaIndex).

    An explicit ``Request.task`` is always used (its parse errors are the caller's). Otherwise the
    registered tasks detect it; a prompt longer than ``detect_max_chars`` is not looked at (a RAG prompt
    whose context holds an equation is not math) and goes to ``fallback_task``; with ``text_fallback`` a
    detected task that cannot read the prompt ("return JSON" with no keys) hands it to ``fallback_task``
    (exact-match reuse only) instead of raising.
    """

    text_fallback: bool = False
    detect_max_chars: int | None = None
    fallback_task: str = "text"


def resolve_task(
    tasks: TaskRegistry, request: Request, routing: Routing, *, max_prompt_chars: int | None = None
) -> tuple[TaskProfile, Any]:
    """The task profile serving ``request`` and the parsed problem. Raises typed errors only.

    A prompt longer than ``max_prompt_chars`` is too long to parse, embed or verify: it is served by the
    fallback task (exact repeats only, found by a hash of the whole prompt), as an exact cache would serve it.
    Only a request that names another task for itself raises :class:`PromptTooLongError`."""
    if max_prompt_chars is not None and len(request.prompt) > max_prompt_chars:
        if request.task is not None and not tasks.get(request.task).exact_only:
            raise PromptTooLongError(len(request.prompt), max_prompt_chars)
        if request.task is None:
            return _fallback(tasks, request, routing, f"prompt over {max_prompt_chars} characters")
    if request.task is not None:
        profile = tasks.get(request.task)
        return profile, _parse(profile, request)
    if routing.detect_max_chars is not None and len(request.prompt) > routing.detect_max_chars:
        return _fallback(tasks, request, routing, f"prompt over {routing.detect_max_chars} characters is not detected")
    profile = tasks.detect(request)
    try:
        return profile, _parse(profile, request)
    except PromptTooLongError:
        raise
    except InvalidRequestError as e:
        if not routing.text_fallback or profile.name == routing.fallback_task:
            raise
        return _fallback(tasks, request, routing, str(e))


def _fallback(tasks: TaskRegistry, request: Request, routing: Routing, why: str) -> tuple[TaskProfile, Any]:
    if routing.fallback_task not in tasks:
        raise ConfigError(f"{why}, and no {routing.fallback_task!r} task is registered to serve it")
    profile = tasks.get(routing.fallback_task)
    return profile, _parse(profile, request)


def _parse(profile: TaskProfile, request: Request) -> Any:
    try:
        return profile.parse(request)
    except StepCacheError:
        raise
    except Exception as e:  # a plug-in's parser must not leak RecursionError, ValueError...
        raise InvalidRequestError(f"task {profile.name!r} cannot read the request ({type(e).__name__}: {e})") from e


def validate_request(request: Any) -> Request:
    """``request`` checked for what no route can take (not text, empty, binary, a malformed schema). Its length is
    not one of them: see :func:`resolve_task`."""
    if not isinstance(request, Request):
        raise InvalidRequestError(f"expected a stepcache_core.Request, got {type(request).__name__}")
    prompt = request.prompt
    if not isinstance(prompt, str):
        raise InvalidRequestError(f"prompt must be str, got {type(prompt).__name__}")
    if not prompt.strip():
        raise InvalidRequestError("prompt is empty")
    if request.key_text is not None and not isinstance(request.key_text, str):
        raise InvalidRequestError(f"key_text must be str, got {type(request.key_text).__name__}")
    if not isinstance(request.context, str):
        raise InvalidRequestError(f"context must be str, got {type(request.context).__name__}")
    for name, text in (("prompt", prompt), ("key_text", request.key_text or ""), ("context", request.context)):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as e:
            raise InvalidRequestError(f"{name} is not valid Unicode text (lone surrogate at {e.start})") from None
    if "\x00" in prompt or "\ufffd" in prompt:
        raise InvalidRequestError("prompt holds binary data (NUL or undecodable bytes)")
    control = len(_CONTROL.findall(prompt))
    if control > max(2, len(prompt) // 100):
        raise InvalidRequestError("prompt holds binary data (control characters)")
    if request.schema is not None:
        if not isinstance(request.schema, Mapping):
            raise InvalidSchemaError(f"schema must be a JSON object (a mapping), got {type(request.schema).__name__}")
        try:
            canonical_json(request.schema)
        except RecursionError as e:
            raise InvalidSchemaError("schema is nested too deeply") from e
        except (TypeError, ValueError) as e:
            raise InvalidSchemaError(f"schema is not JSON-serialisable: {e}") from e
    if not isinstance(request.required_keys, (tuple, list)) or not all(isinstance(k, str) and k for k in request.required_keys):
        raise InvalidRequestError("required_keys must be non-empty strings")
    if not isinstance(request.stop, (tuple, list)) or not all(isinstance(s, str) for s in request.stop):
        raise InvalidRequestError("stop must be a sequence of strings")
    for stop in request.stop:
        try:
            stop.encode("utf-8")
        except UnicodeEncodeError as e:
            raise InvalidRequestError(f"a stop string is not valid Unicode text (lone surrogate at {e.start})") from None
    limit = request.max_output_tokens
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise InvalidRequestError(f"max_output_tokens must be a positive int or None, got {limit!r}")
    if request.context:
        request = replace(request, namespace=in_context(request.namespace, request.context))
    if request.stop or request.max_output_tokens is not None:
        request = replace(request, namespace=in_limits(request.namespace, request.max_output_tokens, request.stop))
    return request


def in_context(namespace: Namespace, context: str) -> Namespace:
    """``namespace`` narrowed to the requests sent with ``context`` (a system prompt, earlier turns): an answer
    made under one context is never served, nor adapted, under another ("Answer per student." beside the same
    question asks for another number). The integrations key by their context already; a caller of the core API
    gets the same partition. Narrowed once: a request validated again keeps its namespace."""
    mark = f"\x1fcontext:{hashlib.sha256(context.encode('utf-8')).hexdigest()[:24]}"
    return namespace if mark in namespace.settings else replace(namespace, settings=namespace.settings + mark)


def in_limits(namespace: Namespace, max_output_tokens: int | None, stop: Sequence[str]) -> Namespace:
    """``namespace`` narrowed to the requests sent under these limits: an answer the model wrote whole with no
    limit is not what it writes under a stop string it holds or a smaller ``max_output_tokens``, and a reuse is
    judged against the entry's own length (see the engine's ``_beyond``), which holds only under the same limits.
    The integrations key by a model's settings, the limits among them; a caller of the core API gets the same
    partition. Narrowed once."""
    limits = json.dumps([max_output_tokens, sorted(set(stop))], ensure_ascii=False)  # (a set of stop strings)
    mark = f"\x1flimits:{hashlib.sha256(limits.encode('utf-8')).hexdigest()[:24]}"
    return namespace if mark in namespace.settings else replace(namespace, settings=namespace.settings + mark)


def entry_id(task: str, request: Request, normalize: Callable[[str], str] | None = None) -> str:
    """Exact-match key: the task, the normalised prompt (``normalize``, else :func:`~stepcache_core.tasks.template.trim_request`: whitespace inside
    may be what the request asks about, an indented line of code, a value's own spacing a copy keeps) and the
    constraints."""
    norm = normalize or trim_request
    raw = "\x1f".join([task, norm(request.prompt), norm(request.embed_text), request.constraints_json()])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]
