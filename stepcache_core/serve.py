"""Serving a call the caller makes themselves, the same way on every route: look up; on a hit, deliver it; on a
miss, the caller's own call runs, and its aggregate (text, frame, usage) is recorded with one typed trace.

Streams and tool calls go through here; the integrations only convert their types to text and back::

    session = open_session(engine, request, backend=backend)
    if session.hit is not None:
        for piece in session.pieces():          # the served text, word by word
            yield to_chunk(piece)
    else:
        for chunk in model_stream:              # the caller's model on the caller's input
            session.feed(text_of(chunk))
            yield chunk
        trace = session.close()                 # verified and stored, or not: trace.recorded says which

A hit the caller cannot deliver (a tool call whose envelope cannot be rebuilt) is turned down with
:meth:`Session.decline`; the session is then a miss like any other.
"""

from __future__ import annotations

import logging
import re
import time
from typing import TYPE_CHECKING

from .errors import StepCacheError, StoreError
from .values import Outcome, Request, Trace

if TYPE_CHECKING:
    from .backends.base import Backend
    from .engine import StepCacheEngine
    from .record import Reframe
    from .request import Routing

__all__ = ["Session", "StreamSession", "open_session", "replay_pieces"]

logger = logging.getLogger("stepcache_core")

_PIECES = re.compile(r"\S+\s*|\s+")


def replay_pieces(text: str) -> list[str]:
    """A served text as stream pieces (each word with its trailing whitespace); joined they give ``text``."""
    return _PIECES.findall(text) or [""]


def open_session(
    engine: StepCacheEngine,
    request: Request,
    *,
    backend: Backend | None = None,
    reuse: bool = True,
    store: bool = True,
    routing: Routing | None = None,
    reframe: Reframe | None = None,
    streamed: bool = False,
) -> Session:
    """Look ``request`` up and open its session: ``session.hit`` is the served outcome, or ``None`` (a miss).

    ``backend`` patches a reuse that fails verification; ``reframe`` makes a reused frame this answer's own (see
    :meth:`StepCacheEngine.lookup`). An answer the verifier could not read is not served here: the caller's call
    can still answer and be verified. A lookup that fails (the store is down, a patch failed) is a miss whose
    trace says why; a request the engine cannot take raises its typed error (the caller decides what to do).
    ``streamed``: the miss's answer reaches the caller as a stream (the trace says so).
    """
    resolved = engine.resolve(request, routing=routing)
    if not reuse:
        return Session(engine, resolved, None, store=store, streamed=streamed)
    try:
        hit = engine.lookup(resolved, backend=backend, unverified=False, reframe=reframe)
    except StepCacheError as e:  # the model still answers; the trace says the cache was down
        if isinstance(e, StoreError):
            engine.failures.report(e, "looking up")
        else:
            logger.warning("stepcache: lookup failed (%s); treated as a miss", e)
        return Session(engine, resolved, None, store=store, streamed=streamed, notes=(f"lookup failed: {e}",))
    return Session(engine, resolved, hit, store=store, streamed=streamed)


class Session:
    """One request served through the caller's own call. Open it with :func:`open_session`.

    ``hit`` is the served outcome (replay :meth:`pieces`), or ``None`` on a miss: feed the model's stream through
    :meth:`feed` (or pass the whole answer to :meth:`close`) and call :meth:`close` once it ends. ``request``
    carries the task that serves it; ``trace`` is the hit's trace, then the miss's once closed.
    """

    def __init__(
        self,
        engine: StepCacheEngine,
        request: Request,
        hit: Outcome | None,
        *,
        store: bool,
        streamed: bool = False,
        notes: tuple[str, ...] = (),
    ) -> None:
        self.engine = engine
        self.request = request
        self.hit = hit
        self._store = store
        self._notes = list(notes)
        self._pieces: list[str] = []
        self.streamed = streamed
        self._started = time.perf_counter()
        self.trace: Trace | None = hit.trace if hit is not None else None

    def decline(self, reason: str) -> None:
        """The hit cannot be delivered: the session becomes a miss (the caller's call answers)."""
        if self.hit is not None:
            logger.warning("stepcache: %s; treated as a miss", reason)
            self._notes.append(f"hit declined: {reason}")
            self.hit, self.trace = None, None
            self._started = time.perf_counter()

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
        """What was fed so far."""
        return "".join(self._pieces)

    def close(
        self,
        *,
        text: str | None = None,
        frame: str = "",
        prompt_tokens: int = 0,
        completion_tokens: int = 0,
        unusable: str | None = None,
    ) -> Trace:
        """End a miss: verify and store the aggregate (``text`` overrides what was fed; ``frame`` is how it was
        delivered, see :meth:`StepCacheEngine.record`) and return the typed trace. ``unusable`` says why the
        answer is not one the cache can keep (nothing is recorded). Never raises for a store or verification
        failure: the answer already reached the caller, so keeping it is best effort and the trace says what
        happened."""
        if self.hit is not None:
            raise RuntimeError("close() ends a miss; a hit is delivered")
        final = self.text if text is None else text
        notes = [*self._notes, "streamed through the caller's model" if self.streamed else "answered by the caller's model"]
        recorded = False
        if unusable is not None:
            notes.append(f"not recorded: {unusable}")
        elif not self._store:
            notes.append("not recorded: store disabled")
        elif not final.strip():
            notes.append("not recorded: empty answer")
        else:
            try:
                recorded = self.engine.record(self.request, final, frame=frame)
                notes.append("recorded" if recorded else "not recorded: failed verification")
            except StoreError as e:
                self.engine.failures.report(e, "storing")
                notes.append(f"not recorded: store failed: {e}")
            except StepCacheError as e:
                notes.append(f"not recorded: {e}")
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
            streamed=self.streamed,
            recorded=recorded,
        )
        return self.trace


StreamSession = Session
"""The session of a streamed request (the same class)."""
