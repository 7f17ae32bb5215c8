"""Chroma stores: :class:`ChromaStore`, the common base that builds the mode its arguments name, and the
Chroma plumbing both modes share (opening, collection handles that heal, upserts, similarity queries).

The modes are :class:`~stepcache_core.store.EmbeddedChromaStore` (a directory: Chroma's files plus an
indexed SQLite file beside them) and :class:`~stepcache_core.store.ServerChromaStore` (everything in
Chroma: a ``chroma run`` server, an in-memory client, or a client of the caller's).
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from ..errors import ConfigError, StoreError
from .base import _Limits, _racing
from .entry import Candidate, Entry

__all__ = ["ChromaStore"]

_T = TypeVar("_T")


@dataclass(frozen=True)
class _Target:
    """The constructor's mode arguments (at most one of them set): where a Chroma store's client points."""

    persist_directory: str | os.PathLike[str] | None
    in_memory: bool
    host: str | None
    port: int
    client: Any


class ChromaStore(_Limits):
    """ChromaDB store. Exactly one of ``persist_directory`` / ``in_memory`` / ``host`` / ``client`` picks
    the client, and with it the class ``ChromaStore(...)`` builds (both are ``ChromaStore`` instances):

    - default: :class:`EmbeddedChromaStore`, an embedded ``PersistentClient`` at
      :func:`default_directory` (or ``persist_directory``) with an indexed SQLite file beside it;
    - ``host=..., port=...``: :class:`ServerChromaStore`, an ``HttpClient`` to a ``chroma run`` server
      shared by processes, every call bounded by ``timeout_s`` (connect and read; an embedded store bounds
      its calls by ``timeout_s`` too, ``None`` for no bound);
    - ``in_memory=True`` (``EphemeralClient``, tests) or ``client=...`` (a Chroma client of your own):
      :class:`ServerChromaStore` too, everything kept in Chroma.

    Embeddings are always passed in (Chroma's default embedding function would
    download a model) and telemetry is off. ``ef_search`` raises HNSW recall on
    near-duplicates (0.90 -> 1.00 measured at 5e4 vectors with 200).

    Healing: a collection handle that went stale (another process called
    ``clear()``, the server restarted on an empty path) is re-opened and the
    call retried once; a first open that races another process is retried.

    ``repair_on_open`` (embedded): compare the vectors and the index when opening, and reconcile them when
    they disagree (see :mod:`~stepcache_core.store.reconcile`); ``False`` opens as found (inspection).

    Size bound: ``max_entries`` with least-recently-used eviction (``touch``
    marks hits used), paid once per batch of puts rather than on every put;
    each mode's docstring says how.

    Example::

        store = ChromaStore(persist_directory="./stepcache", max_entries=100_000, ttl_s=30 * 86400)
    """

    _served: ClassVar[bool]  # whether the mode keeps everything in Chroma (in_memory, host or client): see _serves()
    _client: Any
    location: str

    def __new__(cls, *, in_memory: bool = False, host: str | None = None, client: Any = None, **_: Any) -> ChromaStore:
        chosen: type[ChromaStore] = cls
        if cls is ChromaStore:  # a subclass named directly is checked against its arguments in __init__
            from .chroma_embedded import EmbeddedChromaStore
            from .chroma_server import ServerChromaStore

            chosen = ServerChromaStore if _serves(in_memory, host, client) else EmbeddedChromaStore
        return object.__new__(chosen)

    def __init__(
        self,
        *,
        persist_directory: str | os.PathLike[str] | None = None,
        in_memory: bool = False,
        host: str | None = None,
        port: int = 8000,
        client: Any = None,
        max_entries: int | None = None,
        ttl_s: float | None = None,
        ef_search: int = 200,
        timeout_s: float | None = 10.0,
        evict_batch: int | None = None,
        open_retries: int = 8,
        repair_on_open: bool = True,
    ) -> None:
        super().__init__(max_entries, ttl_s)
        if sum(x is not None and x is not False for x in (persist_directory, host, client)) + bool(in_memory) > 1:
            raise ConfigError("choose one of persist_directory, in_memory, host, client")
        if _serves(in_memory, host, client) != self._served:
            raise ConfigError("in_memory, host and client make a ServerChromaStore; persist_directory an EmbeddedChromaStore")
        if timeout_s is not None and timeout_s <= 0:
            raise ConfigError("timeout_s must be > 0 or None")
        if evict_batch is not None and evict_batch < 1:
            raise ConfigError("evict_batch must be >= 1 or None")
        self._ef_search = ef_search
        self._timeout_s = timeout_s
        self._open_retries = max(1, open_retries)
        self._repair_on_open = repair_on_open
        self._batch = evict_batch or (max(1, max_entries // 10) if max_entries else 1)
        self._collections: dict[str, Any] = {}
        self._lock = threading.RLock()
        try:
            import chromadb
            from chromadb.config import Settings
        except ImportError as e:
            raise ConfigError("chromadb is not installed") from e
        settings = Settings(anonymized_telemetry=False, allow_reset=True)
        self._connect(chromadb, settings, _Target(persist_directory, in_memory, host, port, client))

    def _connect(self, chromadb: Any, settings: Any, target: _Target) -> None:
        """Set ``location``, open ``_client`` and whatever the mode keeps beside it."""
        raise NotImplementedError

    # ------------------------------------------------------------------ what each mode keeps its own way
    # ids, signatures and recency: an embedded store's SQLite index, a server store's Chroma metadata

    def get(self, collection: str, entry_id: str) -> Entry | None:
        raise NotImplementedError

    def find(self, collection: str, signature: str, k: int) -> list[Entry]:
        raise NotImplementedError

    def touch(self, collection: str, ids: Sequence[str]) -> None:
        raise NotImplementedError

    def count(self, collection: str) -> int:
        raise NotImplementedError

    # ------------------------------------------------------------------ plumbing
    def _open(self, make: Callable[[], _T], reset: Callable[[], None] | None = None) -> _T:
        for attempt in range(self._open_retries):
            try:
                return make()
            except Exception as e:
                if _racing(e) and attempt + 1 < self._open_retries:
                    if reset is not None:
                        reset()
                    time.sleep(0.05 * (attempt + 1))  # another process is creating the same store
                    continue
                raise StoreError.from_exception(e, location=self.location, operation="open", prefix="cannot open Chroma: ") from e
        raise AssertionError("unreachable")

    def _collection(self, name: str) -> Any:
        col = self._collections.get(name)
        if col is None:
            with self._lock:
                col = self._collections.get(name)
                if col is None:
                    col = self._create(name)
                    self._collections[name] = col
        return col

    def _create(self, name: str) -> Any:
        for attempt in range(self._open_retries):
            try:
                return self._bounded(
                    "open_collection",
                    lambda: self._client.get_or_create_collection(
                        f"sc-{name}",
                        configuration={"hnsw": {"space": "cosine", "ef_search": self._ef_search}},
                        embedding_function=None,
                    ),
                )
            except StoreError:
                raise
            except Exception as e:
                if _racing(e) and attempt + 1 < self._open_retries:
                    time.sleep(0.05 * (attempt + 1))
                    continue
                raise StoreError.from_exception(e, location=self.location, operation="open_collection") from e
        raise AssertionError("unreachable")

    def _op(self, collection: str, operation: str, fn: Callable[[Any], _T]) -> _T:
        """Run ``fn(collection handle)``; a stale handle is re-opened and the call retried once."""
        col = self._collection(collection)
        try:
            return self._bounded(operation, lambda: fn(col))
        except StoreError:
            raise
        except Exception as e:
            if not _stale(e):
                raise StoreError.from_exception(e, location=self.location, operation=operation) from e
        with self._lock:
            if self._collections.get(collection) is col:
                del self._collections[collection]
            self._reopened(collection)
        col = self._collection(collection)
        try:
            return self._bounded(operation, lambda: fn(col))
        except StoreError:
            raise
        except Exception as e:
            raise StoreError.from_exception(e, location=self.location, operation=operation) from e

    def _bounded(self, operation: str, fn: Callable[[], _T]) -> _T:
        """Run one call into Chroma. A mode whose client has no timeout of its own bounds it here."""
        return fn()

    def _reopened(self, collection: str) -> None:
        """The collection's handle went stale: drop what the mode cached about it (under the lock)."""

    def _call(self, operation: str, fn: Callable[[], _T]) -> _T:
        try:
            return self._bounded(operation, fn)
        except StoreError:
            raise
        except Exception as e:
            raise StoreError.from_exception(e, location=self.location, operation=operation) from e

    def _entry(self, entry_id: str, meta: Any) -> Entry | None:
        try:
            return Entry.from_metadata(entry_id, meta)
        except (KeyError, TypeError, ValueError):
            return None  # a foreign or damaged record is never served

    # ------------------------------------------------------------------ shared reads and writes
    def query(self, collection: str, embedding: Sequence[float], k: int) -> list[Candidate]:
        res = self._op(
            collection,
            "query",
            lambda col: col.query(query_embeddings=[list(embedding)], n_results=k, include=["metadatas", "distances"]),
        )
        out: list[Candidate] = []
        expired: list[str] = []
        now = time.time()
        for entry_id, meta, dist in zip(res["ids"][0], res["metadatas"][0], res["distances"][0]):
            entry = self._entry(entry_id, meta)
            if entry is None or dist is None or not math.isfinite(dist):
                continue
            if self.expired(entry, now):
                expired.append(entry_id)
                continue
            out.append(Candidate(entry, 1.0 - float(dist)))
        if expired:
            self.delete(collection, expired)
        return out

    def put(self, collection: str, entry: Entry, embedding: Sequence[float]) -> None:
        self._upsert(collection, [entry], [embedding])

    def put_many(
        self, collection: str, entries: Sequence[Entry], embeddings: Sequence[Sequence[float]], *, batch: int = 2000
    ) -> None:
        """Bulk import (benchmarks, migrations): upserts in batches; the size bound is applied once at the end."""
        self._upsert(collection, entries, embeddings, batch)

    def _upsert(
        self, collection: str, entries: Sequence[Entry], embeddings: Sequence[Sequence[float]], batch: int = 2000
    ) -> None:
        for start in range(0, len(entries), batch):
            chunk = entries[start : start + batch]
            metas = [{**e.metadata(), "used_at": e.created_at} for e in chunk]
            vectors = [list(v) for v in embeddings[start : start + batch]]
            self._op(
                collection,
                "put",
                lambda col, c=chunk, m=metas, v=vectors: col.upsert(  # type: ignore[misc]
                    ids=[e.id for e in c], embeddings=v, metadatas=m, documents=[e.key_text for e in c]
                ),
            )

    def _evict(self, collection: str, bound: int) -> int:
        """Over ``bound``: delete the least recently used down to ``bound - evict_batch`` in one pass, by a scan
        of the collection's metadata (a server store's eviction). Returns the count left."""
        res = self._op(collection, "evict", lambda col: col.get(include=["metadatas"]))
        ids = list(res["ids"])
        metas = list(res["metadatas"])

        def recency(i: int) -> float:
            m = metas[i] or {}
            return float(m.get("used_at", m.get("created_at", 0.0)))

        excess = len(ids) - max(0, bound - self._batch) if len(ids) > bound else 0
        victims = [ids[i] for i in sorted(range(len(ids)), key=recency)[:excess]]
        if victims:
            self._op(collection, "evict", lambda col: col.delete(ids=victims))
        return len(ids) - len(victims)

    def delete(self, collection: str, ids: Sequence[str]) -> None:
        self._op(collection, "delete", lambda col: col.delete(ids=list(ids)))

    def clear(self, collection: str | None = None) -> None:
        with self._lock:
            names = [c.name if hasattr(c, "name") else str(c) for c in self._call("list", self._client.list_collections)]
            targets = (
                [n for n in names if n.startswith("sc-")]
                if collection is None
                else [f"sc-{collection}", f"sc-{_pointers(collection)}"]
            )
            for n in targets:
                if n in names:
                    try:
                        self._bounded("clear", lambda n=n: self._client.delete_collection(n))  # type: ignore[misc]
                    except StoreError:
                        raise
                    except Exception as e:
                        if not _stale(e):  # already gone: another process cleared it first
                            raise StoreError.from_exception(e, location=self.location, operation="clear") from e
            if collection is None:
                self._collections.clear()
            else:
                self._collections.pop(collection, None)
                self._collections.pop(_pointers(collection), None)


def _serves(in_memory: bool, host: str | None, client: Any) -> bool:
    """Whether a Chroma store's arguments name a client that keeps everything in Chroma."""
    return bool(in_memory) or host is not None or client is not None


def _stale(e: Exception) -> bool:
    """A collection handle that outlived its collection (cleared by another process, server restarted)."""
    name = type(e).__name__
    text = str(e).lower()
    return "notfound" in name.lower() or "invalidcollection" in name.lower() or "does not exist" in text or "not found" in text


def _pointers(collection: str) -> str:
    """The side collection that maps structure signatures to their newest entry (server stores)."""
    return f"{collection}.sig"
