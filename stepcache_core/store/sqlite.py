"""The SQLite store: :class:`SqliteStore`, entries in one indexed file, the exact-match store."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from ..errors import StoreError
from .base import _Limits, _racing
from .entry import Candidate, Entry

__all__ = ["SqliteStore"]

_T = TypeVar("_T")


class SqliteStore(_Limits):
    """Entries in one SQLite file (stdlib ``sqlite3``, WAL mode): the exact-match store.

    An :class:`EmbeddedChromaStore` keeps entries of exact-only tasks (free text) here, beside its own
    files (its :meth:`~EmbeddedChromaStore.exact_store`): an id lookup or a write costs a fraction of a millisecond,
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
    # entries per collection, kept by triggers in the writing transaction: the size bound is checked and applied
    # inside it, so processes sharing the file never overshoot (a write waits for the lock, then sees every
    # entry written before it). Created, and filled from the entries, by the first process that opens a file
    # written before it existed.
    _COUNTS = (
        "CREATE TABLE IF NOT EXISTS counts (collection TEXT PRIMARY KEY, n INTEGER NOT NULL)",
        "DELETE FROM counts",
        "INSERT INTO counts (collection, n) SELECT collection, COUNT(*) FROM entries GROUP BY collection",
        "CREATE TRIGGER entries_counted AFTER INSERT ON entries BEGIN "
        "INSERT INTO counts (collection, n) VALUES (NEW.collection, 1) ON CONFLICT (collection) DO UPDATE SET n = n + 1; END",
        "CREATE TRIGGER entries_uncounted AFTER DELETE ON entries BEGIN "
        "UPDATE counts SET n = n - 1 WHERE collection = OLD.collection; END",
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
        read_only: bool = False,
    ) -> None:
        super().__init__(max_entries, ttl_s)
        self.read_only = read_only
        self.location = str(path)
        self._vectors = vectors
        self._on_evict = on_evict
        self._timeout_s = timeout_s
        self._local = threading.local()
        self._batch = max(1, max_entries // 10) if max_entries else 1
        self._lock = threading.Lock()
        if read_only:  # a file someone else wrote (a cache shipped read-only): read as it is, never migrated
            self._conn()
            self._sql("open", "SELECT 1 FROM entries LIMIT 1")
            return
        # processes creating one new file at once race for its first lock (switching a new file to WAL takes
        # an exclusive one, and SQLite's busy timeout does not always wait for it): retried, a fresh connection
        # each time, for up to ``timeout_s``
        deadline = time.monotonic() + timeout_s
        for attempt in itertools.count():
            try:
                conn = self._conn()
                with conn:
                    for stmt in self._SCHEMA:
                        conn.execute(stmt)
                self._count_entries(conn)
                break
            except Exception as e:
                cause = e.__cause__ if isinstance(e, StoreError) and isinstance(e.__cause__, Exception) else e
                if time.monotonic() > deadline or not _racing(cause):
                    if isinstance(e, StoreError):
                        raise
                    raise StoreError.from_exception(
                        e, location=self.location, operation="open", prefix="cannot open SQLite store: "
                    ) from e
                self._drop_connection()
                time.sleep(min(0.05 * (attempt + 1), 0.5))

    def _count_entries(self, conn: Any) -> None:
        """Create the counts table and its triggers (once per file), in one transaction."""
        exists = "SELECT 1 FROM sqlite_master WHERE type='trigger' AND name='entries_uncounted'"
        if conn.execute(exists).fetchone():
            return

        def create(conn: Any) -> None:
            if not conn.execute(exists).fetchone():  # another process may have just created them
                for stmt in self._COUNTS:
                    conn.execute(stmt)

        self._transaction("open", create)

    def _transaction(self, operation: str, work: Callable[[Any], _T]) -> _T:
        """``work(connection)`` in one ``BEGIN IMMEDIATE`` transaction (writers queue for the lock, up to
        ``timeout_s``): committed, or rolled back with the first error raised as a typed :class:`StoreError`."""
        conn = self._conn()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = work(conn)
                conn.execute("COMMIT")
                return result
            except BaseException:
                _rollback(conn)
                raise
        except StoreError:
            raise
        except Exception as e:
            raise StoreError.from_exception(e, location=self.location, operation=operation) from e

    def _conn(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            import sqlite3

            try:
                if self.read_only:
                    conn = _read_only_connection(self.location, self._timeout_s)
                else:
                    conn = sqlite3.connect(self.location, timeout=self._timeout_s, isolation_level=None, check_same_thread=True)
                    try:
                        conn.execute("PRAGMA journal_mode=WAL")
                        conn.execute("PRAGMA synchronous=NORMAL")
                    except BaseException:
                        conn.close()
                        raise
            except Exception as e:
                raise StoreError.from_exception(
                    e, location=self.location, operation="open", prefix="cannot open SQLite store: "
                ) from e
            self._local.conn = conn
        return conn

    def _drop_connection(self) -> None:
        """Close this thread's connection; the next call opens a fresh one."""
        conn = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            with contextlib.suppress(Exception):  # a connection that failed half-way may not close cleanly
                conn.close()

    def _sql(self, operation: str, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        try:
            return list(self._conn().execute(sql, tuple(args)).fetchall())
        except StoreError:
            raise
        except Exception as e:
            raise StoreError.from_exception(e, location=self.location, operation=operation) from e

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
        from ..embed import cosine

        rows = self._sql("query", "SELECT id, meta, vector FROM entries WHERE collection=?", (collection,))
        scored = []
        for entry_id, meta, vector in rows:
            entry = self._entry(entry_id, meta)
            if entry is not None and not self.expired(entry):
                scored.append(Candidate(entry, cosine(embedding, json.loads(vector))))
        return sorted(scored, key=lambda c: -(c.similarity or 0.0))[:k]

    def collections(self) -> list[str]:
        """The collections holding entries (:class:`SupportsCollections`)."""
        return sorted(self.counts())

    def counts(self) -> dict[str, int]:
        """Entries per collection."""
        if self.read_only:
            return {c: int(n) for c, n in self._sql("count", "SELECT collection, COUNT(*) FROM entries GROUP BY collection")}
        return {c: int(n) for c, n in self._sql("count", "SELECT collection, n FROM counts WHERE n > 0")}

    def intact(self) -> str:
        """SQLite's quick check of the file (every page read): ``""`` when it passes, else what it found."""
        try:
            rows = self._sql("check", "PRAGMA quick_check")
        except StoreError as e:
            return str(e)
        found = [str(r[0]) for r in rows]
        return "" if found == ["ok"] else "; ".join(found[:3])

    def recount(self) -> None:
        """Count the entries again (the counts table kept by triggers, rebuilt from the rows)."""
        self._writable("recount")
        self._transaction("recount", lambda conn: [conn.execute(stmt) for stmt in self._COUNTS[1:3]])

    def ids_by_collection(self) -> dict[str, set[str]]:
        """Every entry's id, by collection."""
        out: dict[str, set[str]] = {}
        for collection, entry_id in self._sql("check", "SELECT collection, id FROM entries"):
            out.setdefault(collection, set()).add(entry_id)
        return out

    def held(self, collection: str, ids: Sequence[str]) -> set[str]:
        """Which of ``ids`` the collection holds (one indexed lookup)."""
        if not ids:
            return set()
        rows = self._sql(
            "get", f"SELECT id FROM entries WHERE collection=? AND id IN ({','.join('?' * len(ids))})", (collection, *ids)
        )
        return {r[0] for r in rows}

    def find(self, collection: str, signature: str, k: int) -> list[Entry]:
        rows = self._sql(
            "find",
            "SELECT id, meta FROM entries WHERE collection=? AND sig=? ORDER BY created_at DESC LIMIT ?",
            (collection, signature, k),
        )
        return [e for i, m in rows if (e := self._entry(i, m)) is not None and not self.expired(e)]

    def _writable(self, operation: str) -> None:
        if self.read_only:
            raise StoreError("the store was opened read-only", location=self.location, operation=operation, kind="read_only")

    def touch(self, collection: str, ids: Sequence[str]) -> None:
        if not ids or self.max_entries is None or self.read_only:
            return  # recency only matters to eviction: no write on an unbounded store's hit path
        now = time.time()
        self._sql(
            "touch",
            f"UPDATE entries SET used_at=? WHERE collection=? AND id IN ({','.join('?' * len(ids))})",
            (now, collection, *ids),
        )

    def put(self, collection: str, entry: Entry, embedding: Sequence[float]) -> None:
        self.put_many(collection, [entry], [embedding])

    def put_many(
        self, collection: str, entries: Sequence[Entry], embeddings: Sequence[Sequence[float]], *, restored: bool = False
    ) -> None:
        """Store ``entries`` (one transaction, the bound applied in it). A single put counts as used now; a bulk
        import, or ``restored`` entries (re-indexed by the reconciler), as used when they were created, so that
        they never displace entries used since."""
        self._writable("put")
        now = time.time()
        rows = [
            (
                collection,
                e.id,
                json.dumps(e.metadata(), ensure_ascii=False),
                json.dumps(list(v)) if self._vectors else "[]",
                e.signature,
                e.created_at,
                max(now, e.created_at) if len(entries) == 1 and not restored else e.created_at,
            )
            for e, v in zip(entries, embeddings)
        ]

        def write(conn: Any) -> list[str]:
            conn.executemany(
                "INSERT INTO entries (collection, id, meta, vector, sig, created_at, used_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (collection, id) DO UPDATE SET meta=excluded.meta, vector=excluded.vector, "
                "sig=excluded.sig, created_at=excluded.created_at, used_at=excluded.used_at",
                rows,
            )
            return self._over_bound(conn, collection) if self.max_entries is not None else []

        victims = self._transaction("put", write)
        if victims and self._on_evict is not None:
            self._on_evict(collection, victims)  # the rows are gone: the vectors follow

    def _over_bound(self, conn: Any, collection: str) -> list[str]:
        """Inside the writing transaction: over ``max_entries``, delete the least recently used down to
        ``max_entries - batch`` in one indexed delete (so this runs once per batch of puts). Returns their ids."""
        assert self.max_entries is not None
        row = conn.execute("SELECT n FROM counts WHERE collection=?", (collection,)).fetchone()
        count = int(row[0]) if row else 0
        if count <= self.max_entries:
            return []
        excess = count - max(0, self.max_entries - self._batch)
        victims = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM entries WHERE collection=? ORDER BY used_at LIMIT ?", (collection, excess)
            ).fetchall()
        ]
        for start in range(0, len(victims), 500):
            chunk = victims[start : start + 500]
            conn.execute(f"DELETE FROM entries WHERE collection=? AND id IN ({','.join('?' * len(chunk))})", (collection, *chunk))
        return victims

    def delete(self, collection: str, ids: Sequence[str]) -> None:
        self._writable("delete")
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            self._sql(
                "delete", f"DELETE FROM entries WHERE collection=? AND id IN ({','.join('?' * len(chunk))})", (collection, *chunk)
            )

    def clear(self, collection: str | None = None) -> None:
        self._writable("clear")
        if collection is None:
            self._sql("clear", "DELETE FROM entries")
        else:
            self._sql("clear", "DELETE FROM entries WHERE collection=?", (collection,))

    def count(self, collection: str) -> int:
        if self.read_only:  # a file written before the counts table existed has none
            return int(self._sql("count", "SELECT COUNT(*) FROM entries WHERE collection=?", (collection,))[0][0])
        rows = self._sql("count", "SELECT n FROM counts WHERE collection=?", (collection,))
        return int(rows[0][0]) if rows else 0


def _rollback(conn: Any) -> None:
    """Roll back, if a transaction is still open (a full disk ends it on its own): the first error stands."""
    try:
        conn.execute("ROLLBACK")
    except Exception:
        pass


def _read_only_connection(path: str, timeout_s: float) -> Any:
    """A connection that never writes: ``mode=ro``, or where even that needs a write (a WAL file's shared memory
    on a read-only mount) the file read as immutable."""
    import sqlite3
    from urllib.parse import quote

    uri = f"file:{quote(os.path.abspath(path))}"
    try:
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=timeout_s, isolation_level=None, check_same_thread=True)
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1")
        return conn
    except sqlite3.OperationalError:
        return sqlite3.connect(f"{uri}?immutable=1", uri=True, timeout=timeout_s, isolation_level=None, check_same_thread=True)
