"""Storage stage: the entry record format and the stores that hold entries, one collection per namespace.

Every store implements the :class:`Store` protocol: it finds entries by id (exact repeats), by
embedding (``query``) and by structure signature (``find``: the fast path, with no embedding),
bounds its size by evicting the least recently *used* entries first (``touch`` marks an entry used)
at a cost that does not grow with the store, and expires entries after an optional TTL. Pick
:class:`ChromaStore` for a real cache: ``ChromaStore()`` or ``ChromaStore(persist_directory=...)``
builds an :class:`EmbeddedChromaStore` (a directory that processes on one machine share, the
default at :data:`DEFAULT_DIR`), ``ChromaStore(host=..., port=...)`` a :class:`ServerChromaStore`
(a ``chroma run`` server that processes on many machines share; ``in_memory=True`` takes the same
code path for tests). :class:`SqliteStore` is the exact-match store an embedded Chroma store keeps
exact-only entries in (:class:`SupportsExactStore`), usable alone where nothing needs similarity
search; :class:`MemoryStore` is the shipped in-process fake for tests. Optional capabilities are
small protocols (:class:`SupportsExactStore`, :class:`SupportsPutMany`, :class:`SupportsCollections`) tested with ``isinstance``.
"""

from .base import Store, SupportsCollections, SupportsExactStore, SupportsPutMany
from .chroma import ChromaStore
from .chroma_embedded import EmbeddedChromaStore
from .chroma_server import ServerChromaStore
from .entry import DEFAULT_DIR, Candidate, Entry, default_directory, key_vector
from .memory import MemoryStore
from .reconcile import CollectionReport, StoreReport
from .sqlite import SqliteStore

__all__ = [
    "Entry",
    "Candidate",
    "Store",
    "SupportsCollections",
    "SupportsExactStore",
    "SupportsPutMany",
    "ChromaStore",
    "EmbeddedChromaStore",
    "ServerChromaStore",
    "MemoryStore",
    "SqliteStore",
    "StoreReport",
    "CollectionReport",
    "DEFAULT_DIR",
    "default_directory",
    "key_vector",
]
