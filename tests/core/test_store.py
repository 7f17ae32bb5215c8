"""The store contract, run against every shipped store, plus the ChromaStore's own behaviour."""

from __future__ import annotations

import tempfile
import time

import pytest

from stepcache_core import ChromaStore, MemoryStore, Request, StepCacheEngine, StoreError
from stepcache_core.fakes import HashEmbedder, ScriptedBackend
from stepcache_core.testing import StoreContract, make_entry


class TestMemoryStore(StoreContract):
    def make_store(self, *, max_entries=None, ttl_s=None):
        return MemoryStore(max_entries=max_entries, ttl_s=ttl_s)


class TestChromaStore(StoreContract):
    def make_store(self, *, max_entries=None, ttl_s=None):
        pytest.importorskip("chromadb")
        return ChromaStore(persist_directory=tempfile.mkdtemp(prefix="sc-contract-"), max_entries=max_entries, ttl_s=ttl_s)


class TestChromaStoreInMemory(StoreContract):
    """The code path of a server store (no SQLite index beside it): Chroma alone, signature pointers."""

    def make_store(self, *, max_entries=None, ttl_s=None):
        pytest.importorskip("chromadb")
        store = ChromaStore(in_memory=True, max_entries=max_entries, ttl_s=ttl_s)
        store.clear()  # the in-memory client is shared by the process
        return store


class _CountingEmbedder(HashEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def embed(self, texts):
        self.texts.extend(texts)
        return super().embed(texts)


def test_structural_match_survives_a_restart_without_embedding(tmp_path):
    pytest.importorskip("chromadb")
    first = StepCacheEngine(
        store=ChromaStore(persist_directory=tmp_path), embedder=HashEmbedder(), backend=ScriptedBackend(["3x = 15\nx = 5"])
    )
    first.run(Request("Solve for x: 3x + 5 = 20"))
    # a new engine on the same directory: a fresh process after a restart
    embedder = _CountingEmbedder()
    second = StepCacheEngine(store=ChromaStore(persist_directory=tmp_path), embedder=embedder, backend=ScriptedBackend())
    out = second.run(Request("Solve for x: 3x + 8 = 20"))
    assert out.trace.path == "reuse" and out.text.splitlines()[-1] == "x = 4"
    assert embedder.texts == [], "a structural match must not embed"


def test_free_text_never_embeds(tmp_path):
    embedder = _CountingEmbedder()
    engine = StepCacheEngine(store=MemoryStore(), embedder=embedder, backend=ScriptedBackend(["A haiku."]))
    engine.run(Request("Write a haiku about autumn"))
    assert engine.run(Request("  Write a haiku about autumn\n")).trace.path == "reuse"
    assert embedder.texts == []


def test_eviction_does_not_scan_on_every_put(tmp_path):
    pytest.importorskip("chromadb")
    store = ChromaStore(persist_directory=tmp_path, max_entries=50)
    scans = 0
    real = store._evict

    def counted(collection, bound):
        nonlocal scans
        scans += 1
        return real(collection, bound)

    store._evict = counted  # type: ignore[method-assign]
    for i in range(150):
        store.put("c", make_entry(str(i)), [1.0, float(i % 7), 0.5])
    assert store.count("c") <= 50
    # one scan per evict_batch (5) puts once full, not one per put
    assert scans <= 150 // 5 + 2


def test_record_raises_store_error_instead_of_returning_false():
    class Down(MemoryStore):
        def put(self, collection, entry, embedding):
            raise StoreError("disk full", location="test", operation="put")

    engine = StepCacheEngine(store=Down(), embedder=HashEmbedder(), backend=ScriptedBackend(["3x = 15\nx = 5"]))
    with pytest.raises(StoreError):
        engine.record(Request("Solve for x: 3x + 5 = 20"), "3x = 15\nx = 5")
    assert engine.record(Request("Solve for x: 3x + 5 = 20"), "x = 6") is False  # failed verification: False, no error
    out = engine.run(Request("Solve for x: 3x + 5 = 20"))  # the answer is still served; the trace says why it was not kept
    assert out.text.endswith("x = 5") and out.trace.store_error and "disk full" in out.trace.store_error


def test_chroma_timeout_setting_is_validated():
    pytest.importorskip("chromadb")
    from stepcache_core import ConfigError

    with pytest.raises(ConfigError):
        ChromaStore(in_memory=True, timeout_s=0)
    t = time.perf_counter()
    with pytest.raises(StoreError):
        ChromaStore(host="127.0.0.1", port=9, timeout_s=1.0).count("c")  # nothing listens on port 9
    assert time.perf_counter() - t < 15


class TestSqliteStore(StoreContract):
    def make_store(self, *, max_entries=None, ttl_s=None):
        from stepcache_core import SqliteStore

        return SqliteStore(tempfile.mkdtemp(prefix="sc-sqlite-") + "/exact.sqlite3", max_entries=max_entries, ttl_s=ttl_s)


def test_free_text_lives_beside_chroma_and_is_shared(tmp_path):
    pytest.importorskip("chromadb")
    one = StepCacheEngine(
        store=ChromaStore(persist_directory=tmp_path), embedder=_CountingEmbedder(), backend=ScriptedBackend(["A haiku."])
    )
    one.run(Request("Write a haiku about autumn"))
    assert (tmp_path / "stepcache-exact.sqlite3").exists() and one.count() == 1
    two = StepCacheEngine(store=ChromaStore(persist_directory=tmp_path), embedder=_CountingEmbedder(), backend=ScriptedBackend())
    out = two.run(Request("Write a haiku about autumn"))
    assert out.trace.path == "reuse" and out.text == "A haiku."
    two.clear()
    assert one.count() == 0
