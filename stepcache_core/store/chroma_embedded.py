"""The embedded Chroma store: :class:`EmbeddedChromaStore`, a directory that processes on one machine share."""

from __future__ import annotations

import concurrent.futures
import logging
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from ..errors import StoreError
from .base import Store, _Limits
from .chroma import ChromaStore, _Target
from .entry import Candidate, Entry, default_directory
from .reconcile import StoreReport, aside, reconcile
from .sqlite import SqliteStore

__all__ = ["EmbeddedChromaStore"]

logger = logging.getLogger("stepcache_core")
_INDEX = "stepcache-index.sqlite3"

_T = TypeVar("_T")
_WORKERS = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="stepcache-chroma")
"""Where embedded Chroma calls run, so that each is bounded by its store's ``timeout_s``."""


class EmbeddedChromaStore(ChromaStore):
    """A :class:`ChromaStore` on an embedded ``PersistentClient``: what ``ChromaStore()`` and
    ``ChromaStore(persist_directory=...)`` build (the directory defaults to :func:`default_directory`).

    Chroma keeps the vectors for similarity queries; ids, signatures, recency and metadata are also
    kept in an indexed SQLite file beside Chroma's own (``stepcache-index.sqlite3``), so exact and
    structural lookups and LRU eviction cost ~0.1 ms and never scan. The index applies the size bound
    (evicting ``max_entries // 10`` at a time; ``evict_batch`` is not used) and drops the victims'
    vectors. Entries found only by id live in a second SQLite file (:meth:`exact_store`).
    Processes sharing the directory share all three. Every call into Chroma is bounded by ``timeout_s``
    (see :meth:`_bounded`); the SQLite files wait at most ``timeout_s`` for a lock.

    Example::

        store = ChromaStore(persist_directory="./stepcache")  # an EmbeddedChromaStore
    """

    _served = False
    _directory: Path
    _index: SqliteStore
    _exact: SqliteStore | _ReadOnlyEmpty | None
    _blocked: concurrent.futures.Future[Any] | None = None
    read_only = False
    """The directory could not be written when opened: lookups by id and structure only, no writes."""

    def _connect(self, chromadb: Any, settings: Any, target: _Target) -> None:
        path = Path(target.persist_directory).expanduser() if target.persist_directory is not None else default_directory()
        self.location = str(path)
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError.from_exception(
                e, location=self.location, operation="open", prefix="cannot create store directory: "
            ) from e
        if path.exists() and not path.is_dir():
            raise StoreError("store path is not a directory", location=self.location, operation="open")
        self._directory = path
        self._exact = None
        try:
            self._client = self._open(
                lambda: self._bounded("open", lambda: chromadb.PersistentClient(path=str(path), settings=settings)),
                reset=lambda: _forget(str(path)),
            )
        except StoreError as e:
            if e.kind != "read_only" or not (path / _INDEX).exists():
                raise
            self._open_read_only(e)
            return
        try:
            self._index = self._open_index()
        except StoreError as e:
            if e.kind != "malformed" or not self._repair_on_open:
                raise
            moved = self._replace_index()
            logger.warning("stepcache: the index of %s could not be read (%s); moved to %s, rebuilding", path, e, moved)
        if self._repair_on_open:
            self._heal()

    @classmethod
    def reader(
        cls, persist_directory: str | os.PathLike[str] | None = None, *, timeout_s: float = 10.0
    ) -> EmbeddedChromaStore | None:
        """The store's index alone, read-only, without Chroma (whose import takes most of a second): what a fresh
        process serves identical requests from while the store itself opens (see
        :meth:`~stepcache_core.engine.StepCacheEngine.exact`). Lookups by id and structure only; writes raise a
        ``read_only`` :class:`StoreError`. ``None`` when the directory holds no index (yet) or it cannot be read."""
        path = Path(persist_directory).expanduser() if persist_directory is not None else default_directory()
        if not (path / _INDEX).is_file():
            return None
        store = object.__new__(cls)
        _Limits.__init__(store, None, None)
        store._timeout_s = timeout_s
        store._open_retries, store._repair_on_open, store._batch, store._ef_search = 1, False, 1, 200
        store._collections, store._lock = {}, threading.RLock()
        store._directory, store.location, store._exact, store._client = path, str(path), None, None
        store.read_only = True
        try:
            store._index = SqliteStore(path / _INDEX, timeout_s=timeout_s, read_only=True)
        except StoreError:
            return None
        return store

    def _open_read_only(self, why: StoreError) -> None:
        """A directory that cannot be written (a cache shipped inside a read-only image): the index serves exact and
        structural lookups; similarity search is off (Chroma cannot open a read-only directory) and every write
        raises a ``read_only`` :class:`StoreError` (served answers report it in ``Trace.store_error``)."""
        self._client = None
        self.read_only = True
        self._index = SqliteStore(self._directory / _INDEX, timeout_s=self._timeout_s or 10.0, read_only=True)
        logger.warning(
            "stepcache: %s is read-only (%s): exact and structural lookups are served; similarity search and writes are off",
            self._directory,
            why.kind,
        )

    def _refuse(self, operation: str) -> None:
        if self.read_only:
            raise StoreError("the store is read-only", location=self.location, operation=operation, kind="read_only")

    def _open_index(self) -> SqliteStore:
        return SqliteStore(
            self._directory / _INDEX,
            max_entries=self.max_entries,
            ttl_s=self.ttl_s,
            vectors=False,
            on_evict=self._drop_vectors,
            timeout_s=self._timeout_s or 10.0,
        )

    def _replace_index(self) -> str:
        """Move a damaged index (and its journal files) aside and open a new, empty one. Returns where it went."""
        target = aside(self._directory / _INDEX)
        for suffix in ("", "-wal", "-shm"):
            part = self._directory / f"{_INDEX}{suffix}"
            if part.exists():
                part.rename(target.with_name(target.name + suffix))
        self._index = self._open_index()
        return str(target)

    def _heal(self) -> None:
        """On open: the counts of vectors and index rows per collection (milliseconds); when they differ (a lost or
        damaged index, orphans of a crash, vectors lost), :meth:`repair`."""
        try:
            indexed = self._index.counts()
        except StoreError as e:
            if e.kind != "malformed":
                raise
            indexed = None
        if indexed is not None:
            vectors = {c: self._op(c, "check", lambda col: col.count()) for c in self._vector_collections()}
            if all(vectors.get(c, 0) == indexed.get(c, 0) for c in set(vectors) | set(indexed)):
                return
        report = self.repair()
        logger.warning("stepcache: the store's vectors and index disagreed; repaired:\n%s", report.summary())

    def check(self) -> StoreReport:
        """Compare the vectors and the index, changing nothing (see :mod:`~stepcache_core.store.reconcile`)."""
        if self.read_only:
            raise StoreError(
                "a read-only store's vectors cannot be read", location=self.location, operation="check", kind="read_only"
            )
        return reconcile(self, repair=False)

    def repair(self) -> StoreReport:
        """Reconcile the vectors and the index: orphans indexed again, rows without vectors dropped, a damaged index
        rebuilt (see :mod:`~stepcache_core.store.reconcile`)."""
        self._refuse("repair")
        with self._lock:
            return reconcile(self, repair=True)

    def _vector_collections(self) -> list[str]:
        names = [c.name if hasattr(c, "name") else str(c) for c in self._call("check", self._client.list_collections)]
        return [n[3:] for n in names if n.startswith("sc-")]

    def _vector_ids(self, collection: str) -> list[str]:
        return list(self._op(collection, "check", lambda col: col.get(include=[]))["ids"])

    def _vector_metadata(self, collection: str, ids: Sequence[str]) -> list[tuple[str, Any]]:
        res = self._op(collection, "check", lambda col: col.get(ids=list(ids), include=["metadatas"]))
        return list(zip(res["ids"], res["metadatas"]))

    def _bounded(self, operation: str, fn: Callable[[], _T]) -> _T:
        """An embedded client has no timeout of its own: its calls run on worker threads and a call that does not
        finish within ``timeout_s`` raises a ``timeout`` :class:`StoreError` (it goes on in its thread). While it
        is still blocked (a full disk can wedge Chroma), every call refuses at once with the same kind; once it
        ends, calls go through again."""
        if self._timeout_s is None:
            return fn()
        with self._lock:
            blocked = self._blocked
            if blocked is not None and not blocked.done():
                raise StoreError(
                    "an earlier call is still blocked inside Chroma", location=self.location, operation=operation, kind="timeout"
                )
            self._blocked = None
        future = _WORKERS.submit(fn)
        try:
            return future.result(timeout=self._timeout_s)
        except concurrent.futures.TimeoutError:
            with self._lock:
                self._blocked = future
            raise StoreError(
                f"no answer from Chroma within {self._timeout_s:g}s", location=self.location, operation=operation, kind="timeout"
            ) from None

    def _drop_vectors(self, collection: str, ids: list[str]) -> None:
        if ids:
            self._op(collection, "evict", lambda col: col.delete(ids=ids))

    def exact_store(self) -> Store:
        """Where entries found only by id go: a :class:`SqliteStore` beside this store's files (same bound
        and TTL), created on first use (:class:`~stepcache_core.store.SupportsExactStore`)."""
        with self._lock:
            if self._exact is None:
                exact = self._directory / "stepcache-exact.sqlite3"
                if self.read_only and not exact.exists():
                    self._exact = _ReadOnlyEmpty(self.location)
                    return self._exact
                self._exact = SqliteStore(
                    exact,
                    max_entries=self.max_entries,
                    ttl_s=self.ttl_s,
                    timeout_s=self._timeout_s or 10.0,
                    read_only=self.read_only,
                )
            return self._exact

    # reads and recency: the index
    def query(self, collection: str, embedding: Sequence[float], k: int) -> list[Candidate]:
        """Chroma's nearest vectors, of entries the index holds: the index is the record of what is stored, so a
        vector whose index row was never written (a crash between the two writes) or already removed (a clear or
        an eviction half done) is never served."""
        if self.read_only:
            return []  # no vectors to search: exact and structural lookups still serve
        found = super().query(collection, embedding, k)
        held = self._index.held(collection, [c.entry.id for c in found])
        return [c for c in found if c.entry.id in held]

    def get(self, collection: str, entry_id: str) -> Entry | None:
        return self._index.get(collection, entry_id)

    def find(self, collection: str, signature: str, k: int) -> list[Entry]:
        return self._index.find(collection, signature, k)

    def touch(self, collection: str, ids: Sequence[str]) -> None:
        self._index.touch(collection, ids)  # a no-op on an unbounded store: recency only matters to eviction

    def count(self, collection: str) -> int:
        return self._index.count(collection)

    def collections(self) -> list[str]:
        """The collections the index holds entries of (:class:`SupportsCollections`)."""
        return self._index.collections()

    # writes: Chroma first (the vectors), then the index, which applies the bound
    def put(self, collection: str, entry: Entry, embedding: Sequence[float]) -> None:
        self._refuse("put")
        super().put(collection, entry, embedding)
        self._index.put(collection, entry, ())  # applies the bound, dropping the victims' vectors

    def put_many(
        self, collection: str, entries: Sequence[Entry], embeddings: Sequence[Sequence[float]], *, batch: int = 2000
    ) -> None:
        self._refuse("put")
        super().put_many(collection, entries, embeddings, batch=batch)
        self._index.put_many(collection, entries, [()] * len(entries))

    def delete(self, collection: str, ids: Sequence[str]) -> None:
        self._refuse("delete")
        self._index.delete(collection, ids)  # the index first: from then on the entries are not served
        super().delete(collection, ids)

    def clear(self, collection: str | None = None) -> None:
        """The index first: once it is cleared nothing is served, whatever happens to the vectors after (a
        failure leaves vectors no lookup returns, which the next clear or a repair removes)."""
        self._refuse("clear")
        with self._lock:
            self._index.clear(collection)
            super().clear(collection)


def _forget(path: str) -> None:
    """Drop the half-started Chroma system a failed open left in chromadb's per-path cache (a retry
    would otherwise get it back, without its bindings)."""
    try:
        from chromadb.api.shared_system_client import SharedSystemClient

        SharedSystemClient._identifier_to_system.pop(path, None)
    except (ImportError, AttributeError):
        pass


class _ReadOnlyEmpty:
    """The exact-match store of a read-only directory that has none: empty, and every write refused."""

    def __init__(self, location: str) -> None:
        self.location = location

    def get(self, collection: str, entry_id: str) -> Entry | None:
        return None

    def query(self, collection: str, embedding: Sequence[float], k: int) -> list[Candidate]:
        return []

    def find(self, collection: str, signature: str, k: int) -> list[Entry]:
        return []

    def touch(self, collection: str, ids: Sequence[str]) -> None:
        pass

    def put(self, collection: str, entry: Entry, embedding: Sequence[float]) -> None:
        self._refused("put")

    def delete(self, collection: str, ids: Sequence[str]) -> None:
        self._refused("delete")

    def clear(self, collection: str | None = None) -> None:
        self._refused("clear")

    def _refused(self, operation: str) -> None:
        raise StoreError("the store is read-only", location=self.location, operation=operation, kind="read_only")

    def count(self, collection: str) -> int:
        return 0
