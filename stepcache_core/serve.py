"""Serving a stream, the same way on every route: look up, then replay a hit or tee the model's own
stream and record it when the stream closes.

The integrations convert their chunk types to text and back; everything else happens here::

    session = engine.stream(request, backend=backend)
    if session.hit is not None:
        for piece in session.pieces():          # the served text, word by word
            yield to_chunk(piece)
    else:
        for chunk in model_stream:              # the caller's model on the caller's input
            session.feed(text_of(chunk))
            yield chunk
        trace = session.close()                 # verified and stored, or not: trace.recorded says which
"""

from __future__ import annotations

import logging
import re
import time
from typing import TYPE_CHECKING

from .errors import InvalidRequestError, StoreError
from .values import Outcome, Request, Trace

if TYPE_CHECKING:
    from .backends.base import Backend
    from .engine import StepCacheEngine
    from .request import Routing

__all__ = ["StreamSession", "replay_pieces"]

logger = logging.getLogger("stepcache_core")

_PIECES = re.compile(r"\S+\s*|\s+")


def replay_pieces(text: str) -> list[str]:
    """A served text as stream pieces (each word with its trailing whitespace); joined they give ``text``."""
    return _PIECES.findall(text) or [""]


class StreamSession:
    """One streamed request. Build it with :meth:`StepCacheEngine.stream`.

    ``hit`` is the served outcome (replay :meth:`pieces`), or ``None`` on a miss: feed the model's
    stream through :meth:`feed` and call :meth:`close` once it ends. ``request`` carries the task that
    serves it.
    """

    def __init__(
        self, engine: StepCacheEngine, request: Request, hit: Outcome | None, *, store: bool, notes: tuple[str, ...] = ()
    ) -> None:
        self.engine = engine
        self.request = request
        self.hit = hit
        self._store = store
        self._notes = notes
        self._pieces: list[str] = []
        self._started = time.perf_counter()
        self.trace: Trace | None = hit.trace if hit is not None else None

    @classmethod
    def open(
        cls,
        engine: StepCacheEngine,
        request: Request,
        *,
        backend: Backend | None,
        reuse: bool,
        store: bool,
        routing: Routing | None,
    ) -> StreamSession:
        resolved = engine.resolve(request, routing=routing)
        if not reuse:
            return cls(engine, resolved, None, store=store)
        try:
            hit = engine.lookup(resolved, backend=backend, unverified=False)  # a stream's miss is verified or patched
        except StoreError as e:  # the model still answers; the trace says the cache was down
            logger.warning("stepcache: store failed during a stream lookup (%s); treated as a miss", e)
            return cls(engine, resolved, None, store=store, notes=(f"lookup failed: {e}",))
        return cls(engine, resolved, hit, store=store)

    def pieces(self) -> list[str]:
        """The hit's text as stream pieces."""
        if self.hit is None:
            raise RuntimeError("pieces() is for a hit; a miss streams the model")
        return replay_pieces(self.hit.text)

    def feed(self, piece: str) -> None:
        """One piece of the model's stream (a miss)."""
        self._pieces.append(piece)

    @property
    def text(self) -> str:
        return "".join(self._pieces)

    def close(self, *, text: str | None = None, prompt_tokens: int = 0, completion_tokens: int = 0) -> Trace:
        """End a streamed miss: verify and store the aggregate (``text`` overrides what was fed) and
        return the typed trace. Never raises for a store or verification failure: the stream already
        reached the caller, so keeping it is best effort and the trace says what happened."""
        if self.hit is not None:
            raise RuntimeError("close() ends a streamed miss; a hit is replayed")
        final = self.text if text is None else text
        notes = list(self._notes) + ["streamed through the caller's model"]
        recorded = False
        if self._store and final.strip():
            try:
                recorded = self.engine.record(self.request, final)
            except InvalidRequestError as e:
                notes.append(f"not recorded: {e}")
            except StoreError as e:
                logger.warning("stepcache: store failed after a streamed miss (%s); not stored", e)
                notes.append(f"not recorded: store failed: {e}")
        if not recorded and len(notes) == len(self._notes) + 1:
            notes.append("not recorded: failed verification" if self._store else "not recorded: store disabled")
        profile = self.engine.tasks.get(self.request.task) if self.request.task else None
        self.trace = Trace(
            path="miss",
            task=self.request.task or "",
            verified=recorded and profile is not None and profile.verifier is not None,
            backend_calls=1,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            latency_s=time.perf_counter() - self._started,
            notes=tuple(notes),
            streamed=True,
            recorded=recorded,
        )
        return self.trace
