"""Reconciling an embedded store's two records: Chroma's vectors and the SQLite index beside them.

The index is the record of what is stored (an entry is served and counted only when the index holds it); the
vectors are what similarity search reads, and each vector's metadata holds its whole entry. Writes keep the two
in step (the vector first, then the index row; removals the other way round), so a crash between them leaves at
worst a vector the index does not hold: never served, never counted. :func:`reconcile` compares the two:

- a vector without an index row (an *orphan*) is indexed again from its own metadata (a vector whose metadata
  is not an entry is removed);
- an index row without a vector (*missing*: Chroma's files lost or damaged) is dropped, so that ``count`` tells
  the truth;
- an index that cannot be read (damaged, ``malformed``) is moved aside and rebuilt from the vectors.

:meth:`EmbeddedChromaStore.check` reports without changing anything, :meth:`EmbeddedChromaStore.repair` applies
it; on open a store compares only the counts of the two records (a few milliseconds) and repairs when they
differ. ``stepcache store check|repair`` runs them from the command line.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .entry import Entry

if TYPE_CHECKING:
    from .chroma_embedded import EmbeddedChromaStore

__all__ = ["CollectionReport", "StoreReport", "reconcile"]


@dataclass(frozen=True)
class CollectionReport:
    """One collection: how many vectors and index rows it had, and what did not match."""

    collection: str
    vectors: int
    indexed: int
    orphans: int
    """Vectors the index did not hold (indexed again on repair)."""
    missing: int
    """Index rows without a vector (dropped on repair)."""
    unreadable: int = 0
    """Orphan vectors whose metadata is not an entry (removed on repair)."""

    @property
    def consistent(self) -> bool:
        return not (self.orphans or self.missing or self.unreadable)


@dataclass(frozen=True)
class StoreReport:
    """What :func:`reconcile` found (and, with ``repaired``, did) in one store directory."""

    location: str
    collections: tuple[CollectionReport, ...] = ()
    repaired: bool = False
    index_rebuilt: str = ""
    """Where the damaged index was moved before it was rebuilt (empty: it was readable)."""
    seconds: float = 0.0
    notes: tuple[str, ...] = field(default_factory=tuple)
    damaged: bool = False
    """The index failed SQLite's check (found by ``check``; ``repair`` rebuilds it)."""

    @property
    def consistent(self) -> bool:
        return not self.damaged and not self.index_rebuilt and all(c.consistent for c in self.collections)

    def summary(self) -> str:
        """One line per collection, then the verdict."""
        lines = [
            f"{c.collection}: {c.vectors} vectors, {c.indexed} indexed, {c.orphans} orphans, {c.missing} missing"
            + (f", {c.unreadable} unreadable" if c.unreadable else "")
            for c in self.collections
        ]
        if self.index_rebuilt:
            lines.append(f"the index could not be read: moved to {self.index_rebuilt} and rebuilt from the vectors")
        lines.extend(self.notes)
        verb = "repaired" if self.repaired else "found"
        state = "consistent" if self.consistent else ("inconsistent: run `stepcache store repair`" if not self.repaired else verb)
        lines.append(f"{self.location}: {state} ({self.seconds * 1000:.1f} ms)")
        return "\n".join(lines)


def reconcile(store: EmbeddedChromaStore, *, repair: bool) -> StoreReport:
    """Compare (and with ``repair``, reconcile) a store's vectors and index; see the module docstring."""
    t0 = time.perf_counter()
    rebuilt = ""
    damage = store._index.intact()  # every page read: a damaged page shows here, not at the entry on it
    if damage and not repair:
        return StoreReport(
            store.location, notes=(f"the index is damaged: {damage}",), seconds=time.perf_counter() - t0, damaged=True
        )
    if damage:
        rebuilt = store._replace_index()
    indexed_by = store._index.ids_by_collection()
    reports = []
    for collection in sorted(set(store._vector_collections()) | set(indexed_by)):
        reports.append(_collection(store, collection, indexed_by.get(collection, set()), repair=repair))
    if repair:
        store._index.recount()
    return StoreReport(store.location, tuple(reports), repaired=repair, index_rebuilt=rebuilt, seconds=time.perf_counter() - t0)


def _collection(store: EmbeddedChromaStore, collection: str, indexed: set[str], *, repair: bool) -> CollectionReport:
    vectors = set(store._vector_ids(collection))
    orphans = sorted(vectors - indexed)
    missing = sorted(indexed - vectors)
    unreadable = 0
    if orphans:
        entries: list[Entry] = []
        bad: list[str] = []
        for entry_id, meta in store._vector_metadata(collection, orphans):
            entry = _entry(entry_id, meta)
            (entries.append(entry) if entry is not None else bad.append(entry_id))
        unreadable = len(bad)
        if repair:
            if bad:
                store._drop_vectors(collection, bad)
            if entries:
                store._index.put_many(collection, entries, [()] * len(entries), restored=True)
    if missing and repair:
        store._index.delete(collection, missing)
    return CollectionReport(collection, len(vectors), len(indexed), len(orphans) - unreadable, len(missing), unreadable)


def _entry(entry_id: str, meta: Any) -> Entry | None:
    try:
        return Entry.from_metadata(entry_id, meta or {})
    except (KeyError, TypeError, ValueError):
        return None


def aside(path: Path) -> Path:
    """A free name beside ``path`` to move a damaged file to."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
        n += 1
    return target
