"""The embedded Chroma store: :class:`EmbeddedChromaStore`, a directory that processes on one machine share."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import StoreError
from .base import Store
from .chroma import ChromaStore, _Target
from .entry import Entry, default_directory
from .sqlite import SqliteStore

__all__ = ["EmbeddedChromaStore"]


class EmbeddedChromaStore(ChromaStore):
    """A :class:`ChromaStore` on an embedded ``PersistentClient``: what ``ChromaStore()`` and
    ``ChromaStore(persist_directory=...)`` build (the directory defaults to :func:`default_directory`).

    Chroma keeps the vectors for similarity queries; ids, signatures, recency and metadata are also
    kept in an indexed SQLite file beside Chroma's own (``stepcache-index.sqlite3``), so exact and
    structural lookups and LRU eviction cost ~0.1 ms and never scan. The index applies the size bound
    (evicting ``max_entries // 10`` at a time; ``evict_batch`` is not used) and drops the victims'
    vectors. Entries found only by id live in a second SQLite file (:meth:`exact_store`).
    Processes sharing the directory share all three.

    Example::

        store = ChromaStore(persist_directory="./stepcache")  # an EmbeddedChromaStore
    """

    _served = False
    _directory: Path
    _index: SqliteStore
    _exact: SqliteStore | None

    def _connect(self, chromadb: Any, settings: Any, target: _Target) -> None:
        path = Path(target.persist_directory).expanduser() if target.persist_directory is not None else default_directory()
        self.location = str(path)
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(f"cannot create store directory: {e}", location=self.location, operation="open") from e
        if path.exists() and not path.is_dir():
            raise StoreError("store path is not a directory", location=self.location, operation="open")
        self._client = self._open(
            lambda: chromadb.PersistentClient(path=str(path), settings=settings), reset=lambda: _forget(str(path))
        )
        self._directory = path
        self._exact = None
        self._index = SqliteStore(
            path / "stepcache-index.sqlite3",
            max_entries=self.max_entries,
            ttl_s=self.ttl_s,
            vectors=False,
            on_evict=self._drop_vectors,
        )

    def _drop_vectors(self, collection: str, ids: list[str]) -> None:
        if ids:
            self._op(collection, "evict", lambda col: col.delete(ids=ids))

    def exact_store(self) -> Store:
        """Where entries found only by id go: a :class:`SqliteStore` beside this store's files (same bound
        and TTL), created on first use (:class:`~stepcache_core.store.SupportsExactStore`)."""
        with self._lock:
            if self._exact is None:
                self._exact = SqliteStore(
                    self._directory / "stepcache-exact.sqlite3", max_entries=self.max_entries, ttl_s=self.ttl_s
                )
            return self._exact

    # reads and recency: the index
    def get(self, collection: str, entry_id: str) -> Entry | None:
        return self._index.get(collection, entry_id)

    def find(self, collection: str, signature: str, k: int) -> list[Entry]:
        return self._index.find(collection, signature, k)

    def touch(self, collection: str, ids: Sequence[str]) -> None:
        self._index.touch(collection, ids)  # a no-op on an unbounded store: recency only matters to eviction

    def count(self, collection: str) -> int:
        return self._index.count(collection)

    # writes: Chroma first (the vectors), then the index, which applies the bound
    def put(self, collection: str, entry: Entry, embedding: Sequence[float]) -> None:
        super().put(collection, entry, embedding)
        self._index.put(collection, entry, ())  # applies the bound, dropping the victims' vectors

    def put_many(
        self, collection: str, entries: Sequence[Entry], embeddings: Sequence[Sequence[float]], *, batch: int = 2000
    ) -> None:
        super().put_many(collection, entries, embeddings, batch=batch)
        self._index.put_many(collection, entries, [()] * len(entries))

    def delete(self, collection: str, ids: Sequence[str]) -> None:
        super().delete(collection, ids)
        self._index.delete(collection, ids)

    def clear(self, collection: str | None = None) -> None:
        with self._lock:
            super().clear(collection)
            self._index.clear(collection)


def _forget(path: str) -> None:
    """Drop the half-started Chroma system a failed open left in chromadb's per-path cache (a retry
    would otherwise get it back, without its bindings)."""
    try:
        from chromadb.api.shared_system_client import SharedSystemClient

        SharedSystemClient._identifier_to_system.pop(path, None)
    except (ImportError, AttributeError):
        pass
