"""Streams through ``StepCacheLLM``: a hit replayed word by word, a miss teed from the inner LLM's own stream,
and the inner LLM's failures raised as :class:`BackendError`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from llama_index.core.base.llms.types import ChatMessage, ChatResponse, CompletionResponse, MessageRole

from stepcache_core import BackendError, Session, StepCacheError

__all__ = ["inner_errors", "make_response", "replay", "tee", "atee", "aiter_of"]

Finish = Callable[[Any], Any]
"""``finish(last)``: ends a teed miss with the stream's last response (``None`` for an empty stream) and returns
the response to yield last, carrying the trace."""


@contextmanager
def inner_errors(backend: str) -> Iterator[None]:
    """The inner LLM's failures as :class:`BackendError` (naming ``backend``); StepCache's own pass unchanged."""
    try:
        yield
    except StepCacheError:
        raise
    except Exception as e:
        raise BackendError(f"{type(e).__name__}: {e}", backend=backend) from e


def make_response(chat: bool, text: str, delta: str | None = "", extra: dict[str, Any] | None = None) -> Any:
    """A ``ChatResponse`` (an assistant message) or a ``CompletionResponse`` holding ``text``."""
    if chat:
        message = ChatMessage(role=MessageRole.ASSISTANT, content=text)
        return ChatResponse(message=message, delta=delta, additional_kwargs=extra or {})
    return CompletionResponse(text=text, delta=delta, additional_kwargs=extra or {})


def replay(session: Session, chat: bool) -> Generator[Any, None, None]:
    """A hit as a stream: the served text word by word, the trace on the last response."""
    assert session.hit is not None
    trace = session.hit.trace.as_dict()
    pieces = session.pieces()
    text = ""
    for i, piece in enumerate(pieces):
        text += piece
        yield make_response(chat, text, piece, {"stepcache": trace} if i == len(pieces) - 1 else None)


class _Held:
    """Holds a stream's responses back by one (so the last can carry the trace) and feeds their deltas to the
    session."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.last: Any = None

    def push(self, chunk: Any) -> list[Any]:
        out = [self.last] if self.last is not None else []
        if chunk.delta:
            self.session.feed(chunk.delta)
        self.last = chunk
        return out


def tee(session: Session, stream: Iterator[Any], finish: Finish, backend: str) -> Generator[Any, None, None]:
    """The inner LLM's ``stream``, each response unchanged and held back one step; the last is ``finish``'s."""
    held = _Held(session)
    with inner_errors(backend):
        for chunk in stream:
            yield from held.push(chunk)
    yield finish(held.last)


async def atee(session: Session, stream: AsyncIterator[Any], finish: Finish, backend: str) -> AsyncGenerator[Any, None]:
    """:func:`tee` of an async stream (``finish`` runs in a thread: it records)."""
    held = _Held(session)
    with inner_errors(backend):
        async for chunk in stream:
            for out in held.push(chunk):
                yield out
    yield await asyncio.to_thread(finish, held.last)


async def aiter_of(items: Iterable[Any]) -> AsyncGenerator[Any, None]:
    """``items`` as an async stream."""
    for item in items:
        yield item
