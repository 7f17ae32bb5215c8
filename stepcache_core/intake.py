"""Intake, the first stage: a request validated and routed to the task that serves it, and the log it carries.

Every later stage (retrieve, adapt, verify, repair, record) receives the :class:`Prepared` request and its
:class:`RunLog`: the request never changes after intake; the log collects what the trace reports (the time of each
stage, the model calls and their tokens, the notes).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .backends.base import Backend, call_backend
from .request import Routing, entry_id, resolve_task, validate_request
from .tasks import TaskProfile, TaskRegistry
from .values import Completion, GenerationSpec, Namespace, Request

__all__ = ["Prepared", "RunLog", "prepare"]


@dataclass(frozen=True)
class Prepared:
    """A validated request, its task profile, the task's parse of it (``problem``), and where it is stored."""

    request: Request
    profile: TaskProfile
    problem: Any
    collection: str
    entry_id: str

    @property
    def signature(self) -> str:
        """The structure key stored with verified entries (``""`` when the task has none)."""
        sig = self.profile.signature
        if sig is None:
            return ""
        return hashlib.sha256(f"{self.profile.name}\x1f{sig(self.problem)}".encode()).hexdigest()[:32]

    @property
    def asks_more(self) -> bool:
        """The request asks more than its task reads (see :attr:`TaskProfile.asks_more`)."""
        asks = self.profile.asks_more
        return asks is not None and bool(asks(self.problem))


@dataclass
class RunLog:
    """Mutable bookkeeping of one request (never shared between requests): what its trace reports."""

    stages: dict[str, float] = field(default_factory=dict)
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    notes: list[str] = field(default_factory=list)
    vector: list[float] | None = None
    """The request's embedding, once computed (by retrieval, then reused by the store)."""
    barren: bool | None = None
    """Whether this request skips model repairs (decided once, at its first repair)."""
    store_error: str | None = None
    """A store failure the request survived (a lookup that failed and became a miss)."""

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time a stage; a stage entered twice adds up."""
        t = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - t

    def usage(self) -> dict[str, int]:
        """The model calls and tokens spent so far, as :class:`UnverifiedOutputError` takes them."""
        return {"model_calls": self.calls, "prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens}

    def call(self, backend: Backend, spec: GenerationSpec, timeout_s: float | None) -> Completion:
        """Call the model (see :func:`~stepcache_core.backends.base.call_backend`) and count the call."""
        with self.stage("backend"):
            c = call_backend(backend, spec, timeout_s)
        self.calls += 1
        self.prompt_tokens += c.prompt_tokens
        self.completion_tokens += c.completion_tokens
        return c


def prepare(
    request: Request,
    tasks: TaskRegistry,
    routing: Routing,
    *,
    max_prompt_chars: int,
    collection: Callable[[Namespace], str],
    run: RunLog,
) -> Prepared:
    """Validate ``request`` and find its task (typed errors for bad input); ``collection(namespace)`` names where
    the request's namespace is stored."""
    with run.stage("intake"):
        request = validate_request(request)
        profile, problem = resolve_task(tasks, request, routing, max_prompt_chars=max_prompt_chars)
        return Prepared(
            request, profile, problem, collection(request.namespace), entry_id(profile.name, request, profile.normalize)
        )
