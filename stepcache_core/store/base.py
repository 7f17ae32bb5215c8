"""The store contract: the :class:`Store` protocol every store implements, the optional capabilities a
store may add (each its own small protocol, tested with ``isinstance``), and what the shipped stores share."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from ..errors import ConfigError
from .entry import Candidate, Entry

__all__ = ["Store", "SupportsCollections", "SupportsExactStore", "SupportsPutMany"]


@runtime_checkable
class Store(Protocol):
    """Where entries live. ``collection`` keys a partition (namespace + embedder).

    - ``get``: the live entry with that id, or ``None``.
    - ``query``: up to ``k`` live candidates, most similar first, cosine similarity in [-1, 1].
    - ``find``: up to ``k`` live entries stored with ``Entry.signature == signature``, newest
      first, without any embedding (the structural fast path).
    - ``touch``: mark entries as used (may be buffered); with a size bound the least recently
      used entries are evicted first.
    - ``put`` / ``delete`` / ``clear`` / ``count``.

    Implementations raise :class:`StoreError` for infrastructure failures (never a bare
    exception from a driver). ``stepcache_core.testing.StoreContract`` is the contract suite
    an implementation runs in its own tests.

    A store may also offer optional capabilities, each declared by its own protocol below
    (:class:`SupportsExactStore`, :class:`SupportsPutMany`): callers test for them with
    ``isinstance``, never by looking attribute names up.
    """

    location: str

    def get(self, collection: str, entry_id: str) -> Entry | None: ...

    def query(self, collection: str, embedding: Sequence[float], k: int) -> list[Candidate]: ...

    def find(self, collection: str, signature: str, k: int) -> list[Entry]: ...

    def touch(self, collection: str, ids: Sequence[str]) -> None: ...

    def put(self, collection: str, entry: Entry, embedding: Sequence[float]) -> None: ...

    def delete(self, collection: str, ids: Sequence[str]) -> None: ...

    def clear(self, collection: str | None = None) -> None: ...

    def count(self, collection: str) -> int: ...


@runtime_checkable
class SupportsExactStore(Protocol):
    """A store with a faster home for entries that are only ever found by id (exact-only tasks).

    ``exact_store()`` returns that home (the same object on every call): a store with the same size
    bound and TTL, shared by every process that shares this store. A store without the capability
    keeps those entries itself.
    """

    def exact_store(self) -> Store: ...


@runtime_checkable
class SupportsPutMany(Protocol):
    """A store that imports entries in bulk (benchmarks, migrations): ``put_many`` stores
    ``entries[i]`` under ``embeddings[i]`` and applies the size bound once, at the end."""

    def put_many(self, collection: str, entries: Sequence[Entry], embeddings: Sequence[Sequence[float]]) -> None: ...


@runtime_checkable
class SupportsCollections(Protocol):
    """A store that lists the collections holding entries (so that counts can cover every namespace)."""

    def collections(self) -> list[str]: ...


class _Limits:
    """The size bound and TTL every shipped store takes, validated once."""

    def __init__(self, max_entries: int | None, ttl_s: float | None) -> None:
        if max_entries is not None and max_entries < 1:
            raise ConfigError("max_entries must be >= 1 or None")
        if ttl_s is not None and ttl_s <= 0:
            raise ConfigError("ttl_s must be > 0 or None")
        self.max_entries = max_entries
        self.ttl_s = ttl_s

    def expired(self, entry: Entry, now: float | None = None) -> bool:
        return self.ttl_s is not None and (now or time.time()) - entry.created_at > self.ttl_s


def _racing(e: Exception) -> bool:
    """Two processes creating the same directory or collection at once."""
    text = str(e).lower()
    return (
        "has no attribute 'bindings'" in text
        or "already exists" in text
        or "locked" in text
        or "unique constraint" in text
        or "uniqueconstraint" in type(e).__name__.lower()
    )
