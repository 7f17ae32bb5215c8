"""Storage stage: the entry record format and the stores that hold entries, one collection per namespace.

``ChromaStore`` is the default (embedded ``PersistentClient`` at
:data:`DEFAULT_DIR`, in-memory for tests, or a Chroma server over HTTP);
``MemoryStore`` is the shipped fake. Both

- find entries by id (exact repeats), by embedding (``query``) and by
  structure signature (``find``: the fast path, kept in the store so every
  process and every restart shares it, with no embedding);
- bound their size, evicting the least recently *used* entries first
  (``touch`` marks an entry used), at a cost that does not grow with the store;
- expire entries after an optional TTL.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar, runtime_checkable

from .errors import ConfigError, StoreError
from .values import Namespace, Request

__all__ = [
    "Entry",
    "Candidate",
    "Store",
    "ChromaStore",
    "MemoryStore",
    "SqliteStore",
    "DEFAULT_DIR",
    "default_directory",
    "key_vector",
]

DEFAULT_DIR = "~/.cache/stepcache/chroma"

_T = TypeVar("_T")


@dataclass(frozen=True)
class Entry:
    """A stored request/output pair.

    ``signature`` is the task's structure key of the request (set on verified
    entries of tasks that have one): the store finds entries by it without
    embedding. ``verified`` is ``False`` for outputs kept for identical
    repeats only. ``frame`` is opaque to the engine: how the answer was
    delivered beyond its text (an integration's tool-call envelope); an exact
    hit hands it back, a reuse gets one of its own from the integration.
    """

    id: str
    prompt: str
    key_text: str
    task: str
    output: str
    constraints: str
    created_at: float
    verified: bool = True
    signature: str = ""
    frame: str = ""

    def metadata(self) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "prompt": self.prompt,
            "key_text": self.key_text,
            "task": self.task,
            "output": self.output,
            "constraints": self.constraints,
            "created_at": self.created_at,
            "verified": self.verified,
        }
        if self.signature:
            meta["sig"] = self.signature
        if self.frame:
            meta["frame"] = self.frame
        return meta

    @staticmethod
    def from_metadata(entry_id: str, meta: Mapping[str, Any]) -> Entry:
        return Entry(
            id=entry_id,
            prompt=str(meta["prompt"]),
            key_text=str(meta.get("key_text", meta["prompt"])),
            task=str(meta["task"]),
            output=str(meta["output"]),
            constraints=str(meta.get("constraints", "{}")),
            created_at=float(meta.get("created_at", 0.0)),
            verified=bool(meta.get("verified", True)),
            signature=str(meta.get("sig", "")),
            frame=str(meta.get("frame", "")),
        )

    def as_request(self, namespace: Namespace) -> Request:
        cons = json.loads(self.constraints) if self.constraints else {}
        return Request(
            prompt=self.prompt,
            task=self.task,
            schema=cons.get("schema"),
            required_keys=tuple(cons.get("required") or ()),
            namespace=namespace,
            key_text=self.key_text,
        )


@dataclass(frozen=True)
class Candidate:
    """A retrieved entry; ``similarity`` is ``None`` when it was matched by structure, not by embedding."""

    entry: Entry
    similarity: float | None


def default_directory() -> Path:
    """``$STEPCACHE_DIR`` if set, else ``~/.cache/stepcache/chroma``."""
    return Path(os.environ.get("STEPCACHE_DIR") or DEFAULT_DIR).expanduser()


def key_vector(key: str, dimension: int) -> list[float]:
    """A deterministic unit vector derived from a key: the embedding slot of an entry that is only
    ever found by id (exact-only tasks), so storing it never loads an embedding model."""
    raw = b""
    counter = 0
    while len(raw) < dimension:
        raw += hashlib.sha256(f"{counter}:{key}".encode()).digest()
        counter += 1
    v = [b / 255.0 - 0.5 for b in raw[:dimension]]
    n = math.sqrt(sum(x * x for x in v)) or 1.0
    return [x / n for x in v]


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


class _Limits:
    def __init__(self, max_entries: int | None, ttl_s: float | None) -> None:
        if max_entries is not None and max_entries < 1:
            raise ConfigError("max_entries must be >= 1 or None")
        if ttl_s is not None and ttl_s <= 0:
            raise ConfigError("ttl_s must be > 0 or None")
        self.max_entries = max_entries
        self.ttl_s = ttl_s

    def expired(self, entry: Entry, now: float | None = None) -> bool:
        return self.ttl_s is not None and (now or time.time()) - entry.created_at > self.ttl_s


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
        from .embed import cosine

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

    def count(self, collection: str) -> int:
        with self._lock:
            return len(self._data.get(collection, {}))


class SqliteStore(_Limits):
    """Entries in one SQLite file (stdlib ``sqlite3``, WAL mode): the exact-match store.

    An embedded :class:`ChromaStore` keeps entries of exact-only tasks (free text) here, beside its own
    files (:meth:`ChromaStore.exact_store`): an id lookup or a write costs a fraction of a millisecond,
    where a Chroma write costs tens (HNSW insertion). Processes sharing the directory share the file.
    ``query`` is a brute-force cosine scan: fine for what it holds (entries found by id), not for
    similarity search over a large store. LRU eviction and signature lookups use indexes.
    """

    _SCHEMA = (
        "CREATE TABLE IF NOT EXISTS entries (collection TEXT NOT NULL, id TEXT NOT NULL, meta TEXT NOT NULL, "
        "vector TEXT NOT NULL, sig TEXT NOT NULL DEFAULT '', created_at REAL NOT NULL, used_at REAL NOT NULL, "
        "PRIMARY KEY (collection, id))",
        "CREATE INDEX IF NOT EXISTS entries_used ON entries (collection, used_at)",
        "CREATE INDEX IF NOT EXISTS entries_sig ON entries (collection, sig)",
    )

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        max_entries: int | None = None,
        ttl_s: float | None = None,
        timeout_s: float = 10.0,
        vectors: bool = True,
        on_evict: Callable[[str, list[str]], None] | None = None,
    ) -> None:
        super().__init__(max_entries, ttl_s)
        self.location = str(path)
        self._vectors = vectors
        self._on_evict = on_evict
        self._timeout_s = timeout_s
        self._local = threading.local()
        self._batch = max(1, max_entries // 10) if max_entries else 1
        self._known: dict[str, int] = {}  # entries per collection as of the last count, plus puts since
        self._lock = threading.Lock()
        conn = self._conn()
        for attempt in range(8):
            try:
                with conn:
                    for stmt in self._SCHEMA:
                        conn.execute(stmt)
                break
            except Exception as e:
                if attempt == 7 or not _racing(e):
                    raise StoreError(
                        f"cannot open SQLite store ({type(e).__name__}: {e})", location=self.location, operation="open"
                    ) from e
                time.sleep(0.05 * (attempt + 1))

    def _conn(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            import sqlite3

            try:
                conn = sqlite3.connect(self.location, timeout=self._timeout_s, isolation_level=None, check_same_thread=True)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
            except Exception as e:
                raise StoreError(
                    f"cannot open SQLite store ({type(e).__name__}: {e})", location=self.location, operation="open"
                ) from e
            self._local.conn = conn
        return conn

    def _sql(self, operation: str, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        try:
            return list(self._conn().execute(sql, tuple(args)).fetchall())
        except StoreError:
            raise
        except Exception as e:
            raise StoreError(f"{type(e).__name__}: {e}", location=self.location, operation=operation) from e

    def _entry(self, entry_id: str, meta: str) -> Entry | None:

        try:
            return Entry.from_metadata(entry_id, json.loads(meta))
        except (KeyError, TypeError, ValueError):
            return None

    def get(self, collection: str, entry_id: str) -> Entry | None:
        rows = self._sql("get", "SELECT meta FROM entries WHERE collection=? AND id=?", (collection, entry_id))
        entry = self._entry(entry_id, rows[0][0]) if rows else None
        if entry is not None and self.expired(entry):
            self.delete(collection, [entry_id])
            return None
        return entry

    def query(self, collection: str, embedding: Sequence[float], k: int) -> list[Candidate]:

        from .embed import cosine

        rows = self._sql("query", "SELECT id, meta, vector FROM entries WHERE collection=?", (collection,))
        scored = []
        for entry_id, meta, vector in rows:
            entry = self._entry(entry_id, meta)
            if entry is not None and not self.expired(entry):
                scored.append(Candidate(entry, cosine(embedding, json.loads(vector))))
        return sorted(scored, key=lambda c: -(c.similarity or 0.0))[:k]

    def find(self, collection: str, signature: str, k: int) -> list[Entry]:
        rows = self._sql(
            "find",
            "SELECT id, meta FROM entries WHERE collection=? AND sig=? ORDER BY created_at DESC LIMIT ?",
            (collection, signature, k),
        )
        return [e for i, m in rows if (e := self._entry(i, m)) is not None and not self.expired(e)]

    def touch(self, collection: str, ids: Sequence[str]) -> None:
        if not ids or self.max_entries is None:
            return  # recency only matters to eviction: no write on an unbounded store's hit path
        now = time.time()
        self._sql(
            "touch",
            f"UPDATE entries SET used_at=? WHERE collection=? AND id IN ({','.join('?' * len(ids))})",
            (now, collection, *ids),
        )

    def put(self, collection: str, entry: Entry, embedding: Sequence[float]) -> None:
        self.put_many(collection, [entry], [embedding])

    def put_many(self, collection: str, entries: Sequence[Entry], embeddings: Sequence[Sequence[float]]) -> None:

        now = time.time()
        rows = [
            (
                collection,
                e.id,
                json.dumps(e.metadata(), ensure_ascii=False),
                json.dumps(list(v)) if self._vectors else "[]",
                e.signature,
                e.created_at,
                max(now, e.created_at) if len(entries) == 1 else e.created_at,
            )
            for e, v in zip(entries, embeddings)
        ]
        try:
            conn = self._conn()
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(
                    "INSERT OR REPLACE INTO entries (collection, id, meta, vector, sig, created_at, used_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        except Exception as e:
            raise StoreError(f"{type(e).__name__}: {e}", location=self.location, operation="put") from e
        if self.max_entries is None:
            return
        with self._lock:
            known = self._known.get(collection)
            if known is not None:
                known += len(rows)  # a replaced id over-counts: the recount corrects it
                self._known[collection] = known
        if known is not None and known <= self.max_entries:
            return
        # over the bound (or never counted): count exactly, and evict down to max_entries - batch in one
        # indexed delete, so this runs once per batch of puts
        (count,) = self._sql("count", "SELECT COUNT(*) FROM entries WHERE collection=?", (collection,))[0]
        if count > self.max_entries:
            excess = count - max(0, self.max_entries - self._batch)
            victims = [
                r[0]
                for r in self._sql(
                    "evict", "SELECT id FROM entries WHERE collection=? ORDER BY used_at LIMIT ?", (collection, excess)
                )
            ]
            self.delete(collection, victims)
            if self._on_evict is not None:
                self._on_evict(collection, victims)
            count -= len(victims)
        with self._lock:
            self._known[collection] = count

    def delete(self, collection: str, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            self._sql(
                "delete", f"DELETE FROM entries WHERE collection=? AND id IN ({','.join('?' * len(chunk))})", (collection, *chunk)
            )

    def clear(self, collection: str | None = None) -> None:
        if collection is None:
            self._sql("clear", "DELETE FROM entries")
        else:
            self._sql("clear", "DELETE FROM entries WHERE collection=?", (collection,))

    def count(self, collection: str) -> int:
        return int(self._sql("count", "SELECT COUNT(*) FROM entries WHERE collection=?", (collection,))[0][0])


def _within(timeout_s: float | None, make: Callable[[], _T]) -> _T:
    """Run ``make`` (a client constructor that talks to a server) with a deadline: Chroma's HTTP client
    has no timeout of its own, so a frozen server would block the constructor forever."""
    if timeout_s is None:
        return make()
    result: list[_T] = []
    error: list[BaseException] = []

    def work() -> None:
        try:
            result.append(make())
        except BaseException as e:  # handed to the caller's thread
            error.append(e)

    worker = threading.Thread(target=work, name="stepcache-chroma-open", daemon=True)
    worker.start()
    worker.join(timeout_s)
    if worker.is_alive():
        raise TimeoutError(f"no answer from the Chroma server within {timeout_s}s")
    if error:
        raise error[0]
    return result[0]


def _set_http_timeout(client: Any, timeout_s: float) -> None:
    """Bound every request of Chroma's HTTP client (its httpx session is built with ``timeout=None``)."""
    import httpx

    server = getattr(client, "_server", None)
    session = getattr(server, "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = httpx.Timeout(timeout_s)


def _stale(e: Exception) -> bool:
    """A collection handle that outlived its collection (cleared by another process, server restarted)."""
    name = type(e).__name__
    text = str(e).lower()
    return "notfound" in name.lower() or "invalidcollection" in name.lower() or "does not exist" in text or "not found" in text


def _pointers(collection: str) -> str:
    """The side collection that maps structure signatures to their newest entry."""
    return f"{collection}.sig"


def _forget(path: str) -> None:
    """Drop the half-started Chroma system a failed open left in chromadb's per-path cache (a retry
    would otherwise get it back, without its bindings)."""
    try:
        from chromadb.api.shared_system_client import SharedSystemClient

        SharedSystemClient._identifier_to_system.pop(path, None)
    except (ImportError, AttributeError):
        pass


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


class ChromaStore(_Limits):
    """ChromaDB store. Exactly one of ``persist_directory`` / ``in_memory`` / ``host`` picks the client.

    - default: embedded ``PersistentClient`` at :func:`default_directory`;
    - ``in_memory=True``: ``EphemeralClient`` (tests);
    - ``host=..., port=...``: ``HttpClient`` to a ``chroma run`` server shared by processes,
      every call bounded by ``timeout_s`` (connect and read).

    Embeddings are always passed in (Chroma's default embedding function would
    download a model) and telemetry is off. ``ef_search`` raises HNSW recall on
    near-duplicates (0.90 -> 1.00 measured at 5e4 vectors with 200).

    Healing: a collection handle that went stale (another process called
    ``clear()``, the server restarted on an empty path) is re-opened and the
    call retried once; a first open that races another process is retried.

    Size bound: ``max_entries`` with least-recently-used eviction. Hits are
    marked used through ``touch`` (buffered, written with the next put); when a
    put takes the collection over the bound, it evicts down to
    ``max_entries - evict_batch`` in one pass, so the scan that finds the
    least recently used is paid once per ``evict_batch`` puts (default 10% of
    the bound): a put into a full store costs about what a put into an
    unbounded one does. Processes sharing a store each re-count it once per
    ``evict_batch`` puts.
    """

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
    ) -> None:
        super().__init__(max_entries, ttl_s)
        if sum(x is not None and x is not False for x in (persist_directory, host, client)) + bool(in_memory) > 1:
            raise ConfigError("choose one of persist_directory, in_memory, host, client")
        if timeout_s is not None and timeout_s <= 0:
            raise ConfigError("timeout_s must be > 0 or None")
        if evict_batch is not None and evict_batch < 1:
            raise ConfigError("evict_batch must be >= 1 or None")
        self._ef_search = ef_search
        self._timeout_s = timeout_s
        self._open_retries = max(1, open_retries)
        self._batch = evict_batch or (max(1, max_entries // 10) if max_entries else 1)
        self._collections: dict[str, Any] = {}
        self._counts: dict[str, int] = {}  # approximate, re-synced once per batch of puts
        self._since_sync: dict[str, int] = {}
        self._touched: dict[str, dict[str, float]] = {}
        self._lock = threading.RLock()
        try:
            import chromadb
            from chromadb.config import Settings
        except ImportError as e:
            raise ConfigError("chromadb is not installed") from e
        settings = Settings(anonymized_telemetry=False, allow_reset=True)
        if client is not None:
            self._client = client
            self.location = "client"
        elif in_memory:
            self.location = "memory"
            self._client = self._open(lambda: chromadb.EphemeralClient(settings=settings))
        elif host is not None:
            self.location = f"http://{host}:{port}"
            self._client = self._open(
                lambda: _within(timeout_s, lambda: chromadb.HttpClient(host=host, port=port, settings=settings))
            )
            if timeout_s is not None:
                _set_http_timeout(self._client, timeout_s)
        else:
            path = Path(persist_directory).expanduser() if persist_directory is not None else default_directory()
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
            # ids, signatures, recency and metadata are also kept in an indexed SQLite file beside Chroma's
            # own: exact and structural lookups and LRU eviction cost ~0.1 ms and never scan; Chroma keeps
            # the vectors for similarity queries
            self._index = SqliteStore(
                path / "stepcache-index.sqlite3", max_entries=max_entries, ttl_s=ttl_s, vectors=False, on_evict=self._drop_vectors
            )

    _directory: Path | None = None
    _exact: SqliteStore | None = None
    _index: SqliteStore | None = None

    def _drop_vectors(self, collection: str, ids: list[str]) -> None:
        if ids:
            self._op(collection, "evict", lambda col: col.delete(ids=ids))

    def exact_store(self) -> Store:
        """Where entries found only by id go: a :class:`SqliteStore` beside an embedded store's files
        (same bound and TTL), or this store itself for in-memory and server stores (a server is the only
        medium its clients share)."""
        if self._directory is None:
            return self
        with self._lock:
            if self._exact is None:
                self._exact = SqliteStore(
                    self._directory / "stepcache-exact.sqlite3", max_entries=self.max_entries, ttl_s=self.ttl_s
                )
            return self._exact

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
                raise StoreError(f"cannot open Chroma ({type(e).__name__}: {e})", location=self.location, operation="open") from e
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
                return self._client.get_or_create_collection(
                    f"sc-{name}",
                    configuration={"hnsw": {"space": "cosine", "ef_search": self._ef_search}},
                    embedding_function=None,
                )
            except Exception as e:
                if _racing(e) and attempt + 1 < self._open_retries:
                    time.sleep(0.05 * (attempt + 1))
                    continue
                raise StoreError(f"{type(e).__name__}: {e}", location=self.location, operation="open_collection") from e
        raise AssertionError("unreachable")

    def _op(self, collection: str, operation: str, fn: Callable[[Any], _T]) -> _T:
        """Run ``fn(collection handle)``; a stale handle is re-opened and the call retried once."""
        col = self._collection(collection)
        try:
            return fn(col)
        except Exception as e:
            if not _stale(e):
                raise StoreError(f"{type(e).__name__}: {e}", location=self.location, operation=operation) from e
        with self._lock:
            if self._collections.get(collection) is col:
                del self._collections[collection]
            self._counts.pop(collection, None)
        col = self._collection(collection)
        try:
            return fn(col)
        except Exception as e:
            raise StoreError(f"{type(e).__name__}: {e}", location=self.location, operation=operation) from e

    def _call(self, operation: str, fn: Callable[[], _T]) -> _T:
        try:
            return fn()
        except StoreError:
            raise
        except Exception as e:
            raise StoreError(f"{type(e).__name__}: {e}", location=self.location, operation=operation) from e

    def _entry(self, entry_id: str, meta: Any) -> Entry | None:
        try:
            return Entry.from_metadata(entry_id, meta)
        except (KeyError, TypeError, ValueError):
            return None  # a foreign or damaged record is never served

    # ------------------------------------------------------------------ reads
    def get(self, collection: str, entry_id: str) -> Entry | None:
        if self._index is not None:
            return self._index.get(collection, entry_id)
        res = self._op(collection, "get", lambda col: col.get(ids=[entry_id], include=["metadatas"]))
        if not res["ids"]:
            return None
        entry = self._entry(res["ids"][0], res["metadatas"][0])
        if entry is None:
            return None
        if self.expired(entry):
            self.delete(collection, [entry.id])
            return None
        return entry

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

    def find(self, collection: str, signature: str, k: int) -> list[Entry]:
        if self._index is not None:
            return self._index.find(collection, signature, k)
        # the newest entry of each structure is copied under the signature as its id, in a side collection:
        # a primary-key get, whose cost does not grow with the store (a metadata filter over HTTP did)
        res = self._op(_pointers(collection), "find", lambda col: col.get(ids=[signature], include=["metadatas"]))
        now = time.time()
        entries = [e for m in res["metadatas"] if m and (e := self._entry(str(m.get("entry_id", "")), m)) is not None]
        return [e for e in entries if not self.expired(e, now)][:k]

    def _point(self, collection: str, entries: Sequence[Entry]) -> None:
        """Make each signature's pointer name the newest of ``entries`` with it (server and in-memory stores)."""
        newest: dict[str, Entry] = {}
        for e in entries:
            if e.signature and (e.signature not in newest or e.created_at >= newest[e.signature].created_at):
                newest[e.signature] = e
        if not newest:
            return
        ids = list(newest)
        metas = [{**newest[i].metadata(), "entry_id": newest[i].id} for i in ids]
        self._op(
            _pointers(collection),
            "put",
            lambda col: col.upsert(ids=ids, embeddings=[key_vector(i, 8) for i in ids], metadatas=metas, documents=ids),
        )

    # ------------------------------------------------------------------ writes
    def touch(self, collection: str, ids: Sequence[str]) -> None:
        if self.max_entries is None:
            return  # recency only matters to eviction
        if self._index is not None:
            self._index.touch(collection, ids)
            return
        now = time.time()
        with self._lock:
            bucket = self._touched.setdefault(collection, {})
            for i in ids:
                bucket[i] = now
            full = len(bucket) >= 256
        if full:
            self._flush_touches(collection)

    def _flush_touches(self, collection: str) -> None:
        with self._lock:
            bucket = self._touched.pop(collection, {})
        if not bucket:
            return
        ids = list(bucket)
        try:
            # only ids that still exist: update() on a missing id is an error in some Chroma versions
            live = set(self._op(collection, "touch", lambda col: col.get(ids=ids, include=[]))["ids"])
            ids = [i for i in ids if i in live]
            if ids:
                self._op(collection, "touch", lambda col: col.update(ids=ids, metadatas=[{"used_at": bucket[i]} for i in ids]))
        except StoreError:
            pass  # recency is advisory: losing a touch only makes eviction less precise

    def put(self, collection: str, entry: Entry, embedding: Sequence[float]) -> None:
        meta = entry.metadata()
        meta["used_at"] = entry.created_at
        self._op(
            collection,
            "put",
            lambda col: col.upsert(ids=[entry.id], embeddings=[list(embedding)], metadatas=[meta], documents=[entry.key_text]),
        )
        if self._index is not None:
            self._index.put(collection, entry, ())  # applies the bound, dropping the victims' vectors
            return
        self._point(collection, [entry])
        if self.max_entries is None:
            return
        with self._lock:
            since = self._since_sync.get(collection, self._batch)
            known = self._counts.get(collection)
        if known is None or since >= self._batch:
            known = int(self._op(collection, "count", lambda col: col.count()))
            since = 0
        else:
            known += 1  # an upsert of an existing id over-counts; the next sync corrects it
            since += 1
        if known > self.max_entries:
            self._flush_touches(collection)
            known = self._evict(collection, self.max_entries)
            since = 0
        with self._lock:
            self._counts[collection] = known
            self._since_sync[collection] = since

    def put_many(
        self, collection: str, entries: Sequence[Entry], embeddings: Sequence[Sequence[float]], *, batch: int = 2000
    ) -> None:
        """Bulk import (benchmarks, migrations): upserts in batches; the size bound is applied once at the end."""
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
        if self._index is not None:
            self._index.put_many(collection, entries, [()] * len(entries))
            return
        self._point(collection, entries)
        if self.max_entries is not None:
            self._evict(collection, self.max_entries)
        with self._lock:
            self._counts.pop(collection, None)

    def _evict(self, collection: str, bound: int) -> int:
        """Over ``bound``: delete the least recently used down to ``bound - evict_batch`` in one pass.
        Returns the count left."""
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
        if self._index is not None:
            self._index.delete(collection, ids)

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
                        self._client.delete_collection(n)
                    except Exception as e:
                        if not _stale(e):  # already gone: another process cleared it first
                            raise StoreError(f"{type(e).__name__}: {e}", location=self.location, operation="clear") from e
            if self._index is not None:
                self._index.clear(collection)
            if collection is None:
                self._collections.clear()
                self._counts.clear()
                self._touched.clear()
            else:
                self._collections.pop(collection, None)
                self._collections.pop(_pointers(collection), None)
                self._counts.pop(collection, None)
                self._touched.pop(collection, None)

    def count(self, collection: str) -> int:
        if self._index is not None:
            return self._index.count(collection)
        return int(self._op(collection, "count", lambda col: col.count()))
