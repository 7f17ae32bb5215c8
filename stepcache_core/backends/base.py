"""The backend Protocol and the one place that calls it (timeouts, error wrapping)."""

from __future__ import annotations

import concurrent.futures
import time
from typing import Protocol, runtime_checkable

from ..errors import BackendError, BackendTimeoutError, StepCacheError
from ..values import Completion, GenerationSpec

__all__ = ["Backend", "Reasking", "call_backend", "reworded"]


@runtime_checkable
class Backend(Protocol):
    """Prompt in; text and token usage out.

    ``name`` identifies the model in errors and reports. It does not separate cache entries: requests to
    different models share entries unless their :class:`~stepcache_core.values.Namespace` (``model``) differs.
    ``complete`` returns the backend's own token counts where it has them.
    """

    name: str

    def complete(self, spec: GenerationSpec) -> Completion: ...


@runtime_checkable
class Reasking(Protocol):
    """A caller's own call (the ``passthrough`` of :meth:`~stepcache_core.engine.StepCacheEngine.run`) that can be
    made again with its question reworded: the caller's messages, template, settings and layout kept, the
    question's text in its turn replaced. Corroboration probes are asked through it, so the model answers them
    under whatever the caller's call says besides the question (a system prompt, earlier turns, a few-shot
    template), as it answers the caller."""

    def reasking(self, asked: str, question: str) -> Backend | None:
        """A backend whose ``generate`` calls send the caller's call with ``asked`` (the request's prompt, where it
        stands once in the question's turn) replaced by ``question``; ``None`` where ``asked`` does not stand
        exactly once there, or the turn cannot be rewritten (its text split across blocks)."""
        ...


def reworded(text: str, asked: str, question: str) -> str | None:
    """``text`` (a caller's question turn, or their whole prompt) with ``asked`` (the request's prompt, read from
    it) replaced by ``question``, where ``asked`` stands in it exactly once; ``None`` elsewhere. What a
    :class:`Reasking` call rewrites: nothing else of the call changes."""
    if not asked or text.count(asked) != 1:
        return None
    return text.replace(asked, question, 1)


_POOL = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="stepcache-backend")


def call_backend(backend: Backend, spec: GenerationSpec, timeout_s: float | None) -> Completion:
    """Call ``backend`` with a timeout; every failure becomes a :class:`BackendError`.

    A timed-out call keeps running in its worker thread (llama.cpp cannot be
    interrupted) but its result is discarded.
    """
    start = time.perf_counter()
    try:
        if timeout_s is None:
            result = backend.complete(spec)
        else:
            future = _POOL.submit(backend.complete, spec)
            try:
                result = future.result(timeout=timeout_s)
            except concurrent.futures.TimeoutError:
                future.cancel()
                raise BackendTimeoutError(f"no answer within {timeout_s:.1f}s", backend=getattr(backend, "name", "?")) from None
    except StepCacheError:
        raise
    except Exception as e:
        raise BackendError(f"{type(e).__name__}: {e}", backend=getattr(backend, "name", "?")) from e
    if not isinstance(result, Completion) or not isinstance(result.text, str):
        raise BackendError(
            f"backend returned {type(result).__name__}, expected Completion", backend=getattr(backend, "name", "?")
        )
    if result.latency_s <= 0:
        result = Completion(result.text, result.prompt_tokens, result.completion_tokens, time.perf_counter() - start)
    return result
