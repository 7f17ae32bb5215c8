"""Retrieval: the past requests whose answers might serve a new one, each already through the task's gate.

Retrieval proposes and verification decides. Two ways in, cheapest first: the newest verified entries of the same
structure (the task's signature, found in the store without embedding), the most corroborated first, then the
nearest neighbours by embedding above ``similarity_threshold`` (the engine asks for those when no entry of the
structure serves: see ``StepCacheEngine._servable``). Every candidate is parsed as its task reads it and must pass the task's
:class:`~stepcache_core.tasks.base.Gate` (whose decision comes from the text, never from the similarity).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .config import EngineConfig
from .embed import Embedder, SupportsWarmup
from .intake import Prepared, RunLog
from .store import Candidate, Entry, Store
from .store.entry import vouched_slots

__all__ = ["Retrieved", "Retriever"]


@dataclass(frozen=True)
class Retrieved:
    """Nearest neighbours that passed the gate (each with the task's parse of its request), the nearest of all,
    and why others were skipped."""

    chosen: list[tuple[Candidate, Any]] = field(default_factory=list)
    nearest: Candidate | None = None
    skip_reason: str | None = None


class Retriever:
    """Finds candidates in ``store``: :meth:`by_structure` (no embedding), :meth:`by_embedding`.

    Replace ``engine.retriever`` with a subclass to change how candidates are found; the engine adapts and
    verifies whatever it returns.
    """

    def __init__(self, store: Store, embedder: Embedder, config: EngineConfig) -> None:
        self.store = store
        self.embedder = embedder
        self.config = config

    def by_signature(self, prep: Prepared, run: RunLog) -> tuple[Candidate, Any] | None:
        """The preferred verified entry of the same structure that passes the gate (see :meth:`by_structure`), with
        the task's parse of its request."""
        return next(iter(self.by_structure(prep, run)), None)

    def by_structure(self, prep: Prepared, run: RunLog, n: int = 8) -> Iterator[tuple[Candidate, Any]]:
        """Of the ``n`` newest verified entries of the same structure (the fast path, no embedding: shared by every
        process and every restart), those that pass the gate, each with the task's parse of its request: the ones
        corroborated for more slots (:attr:`Entry.corroborated`) first, then the newest. Lazy: each entry is parsed
        and gated when the caller gets to it (a hit usually takes the first)."""
        signature = prep.signature
        if not signature:
            return
        with run.stage("signature"):
            entries = [e for e in self.store.find(prep.collection, signature, n) if e.task == prep.profile.name and e.verified]
        entries.sort(key=lambda e: (-len(vouched_slots(e.corroborated)), -e.created_at))
        noted = False
        for entry in entries:
            with run.stage("signature"):
                try:
                    old = prep.profile.parse(entry.as_request(prep.request.namespace))
                except Exception:  # a stored entry that no longer parses is skipped, never served
                    continue
                if not prep.profile.gate.compatible(old, prep.problem).ok:
                    continue
            if not noted:
                run.notes.append("matched by structure signature (no embedding)")
                noted = True
            yield Candidate(entry, None), old

    def by_embedding(self, prep: Prepared, run: RunLog) -> Retrieved:
        """The ``top_k`` nearest entries of the request's collection; those of another task, unverified, below
        the threshold or refused by the gate are left out (the first such reason is kept). The request's vector is
        left in ``run.vector`` for the store."""
        profile = prep.profile
        if not self.ready():
            run.notes.append("similarity search skipped: the embedding model is still loading")
            return Retrieved()
        with run.stage("embed"):
            vector = self.embedder.embed([self.text(prep)])[0]
        with run.stage("query"):
            candidates = self.store.query(prep.collection, vector, self.config.top_k)
        run.vector = vector
        chosen: list[tuple[Candidate, Any]] = []
        skip_reason: str | None = None
        threshold = self.config.similarity_threshold
        for cand in candidates:
            if cand.similarity is not None and cand.similarity < threshold:
                skip_reason = skip_reason or f"similarity {cand.similarity:.3f} < {threshold}"
                break
            if cand.entry.task != profile.name:
                skip_reason = skip_reason or f"task changed ({cand.entry.task} -> {profile.name})"
                continue
            if not cand.entry.verified and profile.verifier is not None:
                continue
            try:
                old = profile.parse(cand.entry.as_request(prep.request.namespace))
            except Exception as e:  # a stored entry that no longer parses is skipped, never served
                run.notes.append(f"stored entry {cand.entry.id} no longer parses: {e}")
                continue
            gate = profile.gate.compatible(old, prep.problem)
            if not gate.ok:
                skip_reason = skip_reason or gate.reason
                continue
            chosen.append((cand, old))
        return Retrieved(chosen, candidates[0] if candidates else None, skip_reason)

    def ready(self) -> bool:
        """Whether embedding costs milliseconds now: an embedder still loading its model starts loading it in the
        background (a request never waits for it; see :class:`~stepcache_core.embed.SupportsWarmup`)."""
        if not isinstance(self.embedder, SupportsWarmup) or self.embedder.ready():
            return True
        self.embedder.load_in_background()
        return False

    def vector(self, prep: Prepared, run: RunLog) -> list[float]:
        """The request's embedding: the one retrieval computed, or a new one."""
        return run.vector or self.embedder.embed([self.text(prep)])[0]

    def entry_vector(self, prep: Prepared, entry: Entry) -> list[float]:
        """A stored entry's embedding, computed again from its key text (to store it once more)."""
        return self.embedder.embed([self.entry_text(prep, entry)])[0]

    @staticmethod
    def entry_text(prep: Prepared, entry: Entry) -> str:
        """What is embedded for a stored entry (see :meth:`text`)."""
        return prep.profile.retrieval_text(entry.key_text) if prep.profile.retrieval_text else entry.key_text

    @staticmethod
    def text(prep: Prepared) -> str:
        """What is embedded for a request: its key text, as the task wants it embedded."""
        text = prep.request.embed_text
        return prep.profile.retrieval_text(text) if prep.profile.retrieval_text else text
