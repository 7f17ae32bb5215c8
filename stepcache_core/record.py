"""Recording: what is served becomes an :class:`~stepcache_core.values.Outcome` with its trace, and is stored.

:meth:`Recorder.deliver` is the last stage of every served request: the integrity check of the whole answer
(whatever path produced it), the frame it is delivered in, the store write and the typed
:class:`~stepcache_core.values.Trace`. :meth:`Recorder.put` writes one entry; a store that fails raises
:class:`~stepcache_core.errors.StoreError`, and a served answer whose store failed reports it in
``Trace.store_error`` instead.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from . import background
from .config import EngineConfig
from .errors import StoreError, StoreFailures, UnverifiedOutputError
from .intake import Prepared, RunLog
from .retrieve import Retriever
from .store import Entry, Store, key_vector
from .values import Outcome, Path, Step, Trace
from .verify import Verification, seal

__all__ = ["Reframe", "Recorder", "Served"]

logger = logging.getLogger("stepcache_core")

Reframe = Callable[[str, str], str]
"""``(source frame, served text) -> frame`` of an adapted or patched reuse (see :meth:`StepCacheEngine.lookup`)."""


@dataclass(frozen=True)
class Served:
    """An answer the engine decided to serve, before its integrity check and its trace."""

    path: Path
    steps: Sequence[Step]
    similarity: float | None = None
    matched: Entry | None = None
    exact: bool = False
    verified: bool = True
    fallback: str | None = None
    skip_reason: str | None = None
    text: str | None = None
    """The text to serve when it is not the steps rendered: an exact hit or a verified answer, as written."""
    layout: str | None = None
    """The answer whose layout the steps are rendered in (the reused entry's, or the model's own answer)."""
    storable: bool = True
    """``False``: served, but never stored (an answer verification found wrong, served as the model's own)."""
    corroborated: frozenset[str] = frozenset()
    """The slots this answer is stored corroborated for (those of ``corroborates``, where it computes alike)."""
    corroborates: Entry | None = None
    """The entry this answer corroborated: marked so when this answer is stored."""
    vouches: frozenset[str] = frozenset()
    """The slots for which this model answer agreed with ``corroborates`` re-derived for it."""
    refutes: Entry | None = None
    """The entry this model answer, unverified, refuted (see ``Corroboration.refutes``): checked at the point next to
    this one, and disputed unless the model agrees there (:meth:`~stepcache_core.probe.Prober.confirm`)."""


class Recorder:
    """Stores answers and turns served answers into outcomes. Entries of exact-only tasks go to ``exact_store``
    (found by id alone); the others to ``store``, with the request's embedding."""

    def __init__(
        self,
        store: Store,
        exact_store: Store,
        retriever: Retriever,
        verification: Verification,
        config: EngineConfig,
        failures: StoreFailures | None = None,
    ) -> None:
        self.failures = failures if failures is not None else StoreFailures()
        """Where a failed write of a served answer is logged (once per kind)."""
        self.store = store
        self.exact_store = exact_store
        self.retriever = retriever
        self.verification = verification
        self.config = config
        self.lock = threading.Lock()
        """Held by every write (puts and clears) of this engine."""

    def store_for(self, prep: Prepared) -> Store:
        """Where the request's entries live."""
        return self.exact_store if prep.profile.exact_only else self.store

    def put(
        self,
        prep: Prepared,
        text: str,
        *,
        verified: bool,
        run: RunLog,
        frame: str = "",
        corroborated: frozenset[str] = frozenset(),
        whole: bool = False,
    ) -> bool:
        """Store ``text`` as the answer to the request; ``False`` when policy does not store it (storing disabled,
        too long). ``whole``: ``text`` already passed the whole-answer check (not run again to seal it). Raises
        :class:`StoreError`."""
        if not self.config.store_outputs:
            return False
        if len(text) > self.config.max_output_chars:
            run.notes.append(f"not stored: {len(text)} characters is over max_output_chars={self.config.max_output_chars}")
            return False
        entry = self.entry(prep, text, verified=verified, frame=frame, corroborated=corroborated, whole=whole)
        later = False
        with run.stage("store"):
            if prep.profile.exact_only:
                # found by id only: a key-derived vector fills the slot, and no embedding model loads
                vector = key_vector(entry.id, self.retriever.embedder.dimension)
            elif run.vector is None and not self.retriever.ready():
                # the embedding model is still loading: stored now (exact and structural lookups find it at once)
                # under a placeholder no query comes near, its real vector written when the model is ready
                vector, later = key_vector(entry.id, self.retriever.embedder.dimension), True
                run.notes.append("stored under a placeholder vector; embedded in the background")
            else:
                vector = self.retriever.vector(prep, run)
            with self.lock:
                self.store_for(prep).put(prep.collection, entry, vector)
        if later:
            self._embed_later(prep, entry)
        return True

    def entry(
        self,
        prep: Prepared,
        text: str,
        *,
        verified: bool,
        frame: str = "",
        corroborated: frozenset[str] = frozenset(),
        whole: bool = False,
    ) -> Entry:
        """The entry :meth:`put` stores for ``text`` as the answer to the request. A verified answer is sealed
        (:attr:`Entry.checked`) only when ``text`` itself, as stored, passes the whole-answer check: an exact repeat
        is served that text without any check."""
        req = prep.request
        sealed = verified and prep.profile.verifier is not None and (whole or self.verification.whole(prep, text).ok)
        return Entry(
            id=prep.entry_id,
            prompt=req.prompt,
            key_text=req.embed_text,
            task=prep.profile.name,
            output=text,
            constraints=req.constraints_json(),
            created_at=time.time(),
            verified=verified,
            signature=prep.signature if verified else "",
            frame=frame,
            corroborated=corroborated if verified else frozenset(),
            checked=seal(prep.profile, prep.entry_id, text) if sealed else "",
        )

    def _embed_later(self, prep: Prepared, entry: Entry, *, text: str | None = None) -> None:
        """Write ``entry``'s real vector (of ``text``, by default the request's) once the embedding model has loaded
        (on a daemon thread), unless the entry was replaced or removed meanwhile."""
        store, collection = self.store_for(prep), prep.collection
        text = text if text is not None else self.retriever.text(prep)

        def work() -> None:
            try:
                vector = self.retriever.embedder.embed([text])[0]  # waits for the model
                with self.lock:
                    current = store.get(collection, entry.id)
                    if current is not None and current.output == entry.output:
                        store.put(collection, current, vector)
            except Exception as e:  # the entry stays findable by id and structure
                logger.warning("stepcache: background embedding of entry %s failed (%s)", entry.id, e)

        background.start(work, "stepcache-embed-later")

    def corroborate(self, prep: Prepared, entry: Entry, slots: frozenset[str], run: RunLog) -> None:
        """Mark a stored entry corroborated for ``slots`` too (stored again under its own vector). Raises
        :class:`StoreError`."""
        if slots <= entry.corroborated:
            return

        def merged(current: Entry | None) -> Entry | None:
            # the entry as stored now, not as this request read it: another request may have marked it meanwhile (a
            # veto written between this one's lookup and its answer is kept, not overwritten)
            if current is None or current.output != entry.output or not current.verified:
                return None  # evicted, cleared, answered again or disputed meanwhile: nothing left to mark
            if slots <= current.corroborated:
                return None
            return replace(current, corroborated=current.corroborated | slots)

        self._replace(prep, entry, run, merge=merged)
        run.notes.append(f"corroborated the entry it agreed with for {len(slots)} slot(s)")

    def _inherit_late(self, prep: Prepared, served: Served, run: RunLog) -> None:
        """An answer stored with the slots of the entry it agreed with (read when its request looked up) inherits what
        that entry gained while the model answered: a veto another request wrote meanwhile (JSON) would otherwise
        be missing from this entry only, which would serve what the veto was for. Only for a task whose entries are
        corroborated by callers' answers alone (``probes_itself`` false), where an agreeing answer inherits all."""
        corroboration = prep.profile.corroboration
        if served.corroborates is None or not served.corroborated or getattr(corroboration, "probes_itself", True):
            return
        store = self.store_for(prep)
        with self.lock:
            vouched = store.get(prep.collection, served.corroborates.id)
            mine = store.get(prep.collection, prep.entry_id)
        if vouched is None or mine is None or not mine.verified:
            return
        late = vouched.corroborated - mine.corroborated - served.vouches
        if late:
            self.corroborate(prep, mine, late, run)

    def _replace(
        self, prep: Prepared, entry: Entry, run: RunLog, *, merge: Callable[[Entry | None], Entry | None] | None = None
    ) -> None:
        """Store ``entry`` again, changed, under the vector of its own request. ``merge``: the entry to store made from
        the one stored now, read under the same lock as the write (``None``: nothing to write)."""
        ready = self.retriever.ready()
        with run.stage("store"):
            vector = (
                self.retriever.entry_vector(prep, entry) if ready else key_vector(entry.id, self.retriever.embedder.dimension)
            )
            with self.lock:
                store = self.store_for(prep)
                if merge is not None:
                    made = merge(store.get(prep.collection, entry.id))
                    if made is None:
                        return
                    entry = made
                store.put(prep.collection, entry, vector)
        if not ready:
            self._embed_later(prep, entry, text=self.retriever.entry_text(prep, entry))

    def dispute(self, prep: Prepared, entry: Entry, run: RunLog) -> None:
        """Keep a stored entry for its identical request only, as an exact cache keeps an answer: a second model
        answer disagreed with it re-derived, so one of the two is wrong and nothing is re-derived from it (stored
        again, unverified and without its signature, under its own vector). Raises :class:`StoreError`."""
        self._replace(prep, replace(entry, verified=False, signature="", corroborated=frozenset(), checked=""), run)
        run.notes.append("a second answer disagreed with the entry: kept for its identical request only")

    def deliver(self, prep: Prepared, run: RunLog, served: Served, t0: float, *, store: bool, reframe: Reframe | None) -> Outcome:
        """The served answer as an outcome: checked whole (a failure raises :class:`UnverifiedOutputError`),
        framed, stored when it should be, and traced. ``t0`` is when the request arrived."""
        profile = prep.profile
        text = served.text if served.text is not None else self.verification.render(profile, served.steps, served.layout)
        if served.verified and profile.verifier is not None:
            # the integrity check of the stitched output, whatever path produced it
            with run.stage("integrity"):
                whole = self.verification.whole(prep, text)
            if not whole.ok:
                raise UnverifiedOutputError(
                    profile.name, f"stitched output failed integrity check: {whole.reason}", text, **run.usage()
                )
        reused = served.matched is not None and served.path in ("reuse", "patch")
        frame = served.matched.frame if served.matched is not None and reused else ""
        keep = store and not served.exact and served.storable
        if frame and not served.exact:
            # the entry's frame is how *its* answer was delivered (its arguments, its call id): stored with this
            # answer, this prompt's exact repeat would be served another record's call. Kept only with the frame
            # made for this answer (a fresh call id is not derivable again: stored even when found by structure)
            frame = reframe(frame, text) if reframe is not None else frame
            if keep and not (reframe is not None and frame):
                keep = False
                run.notes.append("not stored: the entry's frame could not be made this answer's own")
        elif reused and served.path == "reuse" and served.similarity is None:
            # a reuse found by structure signature is derivable again in ~2 ms from the entry it came from:
            # storing it would put an embedding and a Chroma write on the fast path for nothing
            keep = False
        store_error: str | None = None
        if served.matched is not None and reused:
            try:
                self.store_for(prep).touch(prep.collection, [served.matched.id])  # least recently used goes first
            except StoreError as e:
                self.failures.report(e, "marking an entry used")
                run.notes.append(f"touch failed: {e}")
        if keep:
            try:
                # a verified answer passed the integrity check above: it is not run again to seal it
                self.put(prep, text, verified=served.verified, run=run, frame=frame, corroborated=served.corroborated, whole=True)
                if served.corroborates is not None and served.verified:
                    self.corroborate(prep, served.corroborates, served.vouches, run)
                    self._inherit_late(prep, served, run)
            except StoreError as e:  # the answer is good; only keeping it failed
                self.failures.report(e, "storing")
                store_error = str(e)
                run.notes.append(f"store failed: {e}")
        return Outcome(text, tuple(served.steps), trace(prep, run, served, t0, store_error), frame=frame)


def trace(prep: Prepared, run: RunLog, served: Served, t0: float, store_error: str | None) -> Trace:
    """The typed trace of a served request."""
    origins = [s.origin for s in served.steps]
    matched = served.matched
    return Trace(
        path=served.path,
        task=prep.profile.name,
        verified=served.verified,
        similarity=served.similarity,
        matched_id=matched.id if matched else None,
        matched_prompt=matched.prompt if matched else None,
        exact_hit=served.exact,
        skip_reason=served.skip_reason if served.path == "skip" else None,
        steps_total=len(served.steps),
        steps_reused=origins.count("cached"),
        steps_adapted=origins.count("adapted"),
        steps_regenerated=origins.count("generated") + origins.count("deterministic"),
        fallback=served.fallback,
        backend_calls=run.calls,
        prompt_tokens=run.prompt_tokens,
        completion_tokens=run.completion_tokens,
        latency_s=time.perf_counter() - t0,
        stages=dict(run.stages),
        notes=tuple(run.notes),
        store_error=store_error or run.store_error,
    )
