"""The in-process store: :class:`MemoryStore`, the shipped fake for tests."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

from .base import _Limits
from .entry import Candidate, Entry

__all__ = ["MemoryStore"]


class MemoryStore(_Limits):
    """In-process store with exact cosine search: the fake for tests, fine for small caches.

    Buckets are kept in least-recently-used order, so eviction is O(1).
    """

    location = "memory"

    def __init__(self, *, max_entries: int | None = None, ttl_s: float | None = None) -> None:
        super().__init__(max_entries, ttl_s)
        self._data: dict[str, OrderedDict[str, tuple[Entry, list[float]]]] = {}
        self._lock = threading.RLock()

    def get(self, collection: str, entry_id: str) -> Entry | None:
        with self._lock:
            bucket = self._data.get(collection)
            item = bucket.get(entry_id) if bucket is not None else None
            if item is None:
                return None
            if self.expired(item[0]):
                del self._data[collection][entry_id]
                return None
            return item[0]

    def query(self, collection: str, embedding: Sequence[float], k: int) -> list[Candidate]:
        from ..embed import cosine

        with self._lock:
            items = list(self._data.get(collection, {}).values())
        live = [(e, v) for e, v in items if not self.expired(e)]
        scored = sorted(((cosine(embedding, v), e) for e, v in live), key=lambda t: -t[0])
        return [Candidate(e, s) for s, e in scored[:k]]

    def find(self, collection: str, signature: str, k: int) -> list[Entry]:
        with self._lock:
            found = [e for e, _ in self._data.get(collection, {}).values() if e.signature == signature]
        live = [e for e in found if not self.expired(e)]
        return sorted(live, key=lambda e: -e.created_at)[:k]

    def touch(self, collection: str, ids: Sequence[str]) -> None:
        with self._lock:
            bucket = self._data.get(collection)
            for i in ids:
                if bucket is not None and i in bucket:
                    bucket.move_to_end(i)

    def put(self, collection: str, entry: Entry, embedding: Sequence[float]) -> None:
        with self._lock:
            bucket = self._data.setdefault(collection, OrderedDict())
            bucket[entry.id] = (entry, list(embedding))
            bucket.move_to_end(entry.id)
            while self.max_entries is not None and len(bucket) > self.max_entries:
                bucket.popitem(last=False)

    def delete(self, collection: str, ids: Sequence[str]) -> None:
        with self._lock:
            bucket = self._data.get(collection)
            for i in ids:
                if bucket is not None:
                    bucket.pop(i, None)

    def clear(self, collection: str | None = None) -> None:
        with self._lock:
            if collection is None:
                self._data.clear()
            else:
                self._data.pop(collection, None)

    def collections(self) -> list[str]:
        """The collections holding entries (:class:`SupportsCollections`)."""
        with self._lock:
            return sorted(c for c, bucket in self._data.items() if bucket)

    def count(self, collection: str) -> int:
        with self._lock:
            return len(self._data.get(collection, {}))
