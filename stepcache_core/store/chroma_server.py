"""The Chroma-only store: :class:`ServerChromaStore`, everything in Chroma, the mode a ``chroma run``
server shared by processes (and hosts) needs."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from ..errors import StoreError, store_error_kind
from .chroma import ChromaStore, _pointers, _Target
from .entry import Entry, key_vector

__all__ = ["ServerChromaStore"]

_T = TypeVar("_T")

QUIET_S = 5.0
"""After a call to the server times out, how long further calls refuse at once (then the server is asked again)."""


class ServerChromaStore(ChromaStore):
    """A :class:`ChromaStore` that keeps everything in Chroma: what ``ChromaStore(host=..., port=...)``
    builds (an ``HttpClient`` to a ``chroma run`` server, the only medium its clients share), and
    ``ChromaStore(in_memory=True)`` / ``ChromaStore(client=...)`` too.

    Ids and recency are Chroma metadata; the newest entry of each structure signature is copied under
    the signature as its id into a side collection (``<collection>.sig``), so ``find`` is a primary-key
    get whose cost does not grow with the store.

    Size bound: ``max_entries`` with least-recently-used eviction. Hits are
    marked used through ``touch`` (buffered, written with the next put); when a
    put takes the collection over the bound, it evicts down to
    ``max_entries - evict_batch`` in one pass, so the scan that finds the
    least recently used is paid once per ``evict_batch`` puts (default 10% of
    the bound): a put into a full store costs about what a put into an
    unbounded one does. Processes sharing a store each re-count it once per
    ``evict_batch`` puts.

    Example::

        store = ChromaStore(host="localhost", port=8000, timeout_s=5.0)  # a ServerChromaStore
    """

    _served = True
    _quiet_until = 0.0  # monotonic time before which calls refuse at once: the server timed out just now
    _counts: dict[str, int]  # approximate, re-synced once per batch of puts
    _since_sync: dict[str, int]
    _touched: dict[str, dict[str, float]]  # buffered recency, written with the next put over the bound

    def _connect(self, chromadb: Any, settings: Any, target: _Target) -> None:
        self._counts, self._since_sync, self._touched = {}, {}, {}
        if target.client is not None:
            self._client = target.client
            self.location = "client"
        elif target.in_memory:
            self.location = "memory"
            self._client = self._open(lambda: chromadb.EphemeralClient(settings=settings))
        else:
            host, port, timeout_s = target.host, target.port, self._timeout_s
            self.location = f"http://{host}:{port}"
            self._client = self._open(
                lambda: _within(timeout_s, lambda: chromadb.HttpClient(host=host, port=port, settings=settings))
            )
            if timeout_s is not None:
                _set_http_timeout(self._client, timeout_s)

    def _bounded(self, operation: str, fn: Callable[[], _T]) -> _T:
        """One call to the server. A call that timed out (a frozen or overloaded server) makes the next
        :data:`QUIET_S` seconds' calls refuse at once with the same kind, instead of each waiting its own
        ``timeout_s``: a request meets the store's timeout once, not once per lookup and write."""
        if time.monotonic() < self._quiet_until:
            raise StoreError(
                f"the Chroma server did not answer within {self._timeout_s}s moments ago; not asked again for now",
                location=self.location,
                operation=operation,
                kind="timeout",
            )
        try:
            return fn()
        except Exception as e:  # raised as it came (the caller reads stale handles from it); a timeout noted
            if store_error_kind(e) == "timeout" or isinstance(e.__cause__, TimeoutError):
                self._quiet_until = time.monotonic() + QUIET_S
            raise

    def _reopened(self, collection: str) -> None:
        self._counts.pop(collection, None)

    # ------------------------------------------------------------------ reads
    def get(self, collection: str, entry_id: str) -> Entry | None:
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

    def find(self, collection: str, signature: str, k: int) -> list[Entry]:
        # a primary-key get in the pointer collection, whose cost does not grow with the store
        # (a metadata filter over HTTP did)
        res = self._op(_pointers(collection), "find", lambda col: col.get(ids=[signature], include=["metadatas"]))
        now = time.time()
        entries = [e for m in res["metadatas"] if m and (e := self._entry(str(m.get("entry_id", "")), m)) is not None]
        return [e for e in entries if not self.expired(e, now)][:k]

    def count(self, collection: str) -> int:
        return int(self._op(collection, "count", lambda col: col.count()))

    def _point(self, collection: str, entries: Sequence[Entry]) -> None:
        """Make each signature's pointer name the newest of ``entries`` with it."""
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

    def collections(self) -> list[str]:
        """The entry collections on the server (:class:`SupportsCollections`; the signature pointers left out)."""
        names = [c.name if hasattr(c, "name") else str(c) for c in self._call("list", self._client.list_collections)]
        return sorted(n[3:] for n in names if n.startswith("sc-") and not n.endswith(".sig"))

    def put(self, collection: str, entry: Entry, embedding: Sequence[float]) -> None:
        super().put(collection, entry, embedding)
        self._point(collection, [entry])
        if self.max_entries is None:
            return
        with self._lock:
            since = self._since_sync.get(collection, self._batch)
            known = self._counts.get(collection)
        if known is None or since >= self._batch:
            known = self.count(collection)
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
        super().put_many(collection, entries, embeddings, batch=batch)
        self._point(collection, entries)
        if self.max_entries is not None:
            self._evict(collection, self.max_entries)
        with self._lock:
            self._counts.pop(collection, None)

    def clear(self, collection: str | None = None) -> None:
        with self._lock:
            super().clear(collection)
            if collection is None:
                self._counts.clear()
                self._touched.clear()
            else:
                self._counts.pop(collection, None)
                self._touched.pop(collection, None)


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
