"""The store contract, run against every shipped store, plus the ChromaStore's own behaviour."""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace

import pytest

from stepcache_core import ChromaStore, MemoryStore, Request, StepCacheEngine, StoreError
from stepcache_core.fakes import HashEmbedder, ScriptedBackend
from stepcache_core.store import key_vector
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


def test_a_new_file_locked_while_another_process_creates_it_opens_on_retry(tmp_path, monkeypatch):
    """Class: processes creating one new store file at once (CI, stop 42). Switching a new file to WAL takes an
    exclusive lock, and SQLite may report "database is locked" at once instead of waiting its busy timeout. The
    store retries with a fresh connection; a lock held past ``timeout_s`` is still a typed error in bounded time."""
    import sqlite3

    from stepcache_core import SqliteStore

    real_connect = sqlite3.connect
    refusals = {"left": 2}

    class Racing:
        def __init__(self, conn):
            self._conn = conn

        def execute(self, sql, *args):
            if sql.startswith("PRAGMA journal_mode") and refusals["left"] > 0:
                refusals["left"] -= 1
                raise sqlite3.OperationalError("database is locked")
            return self._conn.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(self._conn, name)

        def __enter__(self):
            return self._conn.__enter__()

        def __exit__(self, *exc):
            return self._conn.__exit__(*exc)

    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: Racing(real_connect(*a, **k)))
    store = SqliteStore(tmp_path / "new.sqlite3")
    store.put("c", make_entry("1"), [1.0, 0.0])
    assert refusals["left"] == 0 and store.get("c", "id-1") is not None

    refusals["left"] = 10**6  # held for good: the open ends at its timeout with the store's typed error
    t = time.perf_counter()
    with pytest.raises(StoreError, match="lock"):
        SqliteStore(tmp_path / "other.sqlite3", timeout_s=0.5)
    assert time.perf_counter() - t < 5


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


def test_a_lookup_that_fails_is_a_miss_the_model_answers():
    """Class: the store fails while a request is looked up (server down, index locked or damaged). ``run`` is
    served by the model all the same, and says so in the trace; nothing is raised."""

    class Unreadable(MemoryStore):
        def get(self, collection, entry_id):
            raise StoreError("database disk image is malformed", location="test", operation="get")

    engine = StepCacheEngine(store=Unreadable(), embedder=HashEmbedder(), backend=ScriptedBackend(["3x = 15\nx = 5"]))
    out = engine.run(Request("Solve for x: 3x + 5 = 20"))
    assert out.text.endswith("x = 5") and out.trace.path == "miss" and out.trace.backend_calls == 1
    assert "malformed" in (out.trace.store_error or "") and any("lookup failed" in n for n in out.trace.notes)


def test_an_embedded_call_that_blocks_ends_at_its_timeout_and_the_store_recovers(tmp_path):
    """Class: Chroma's embedded client blocking (after "database or disk is full" it can wedge forever). The
    call raises a ``timeout`` StoreError within ``timeout_s``; while it stays blocked, calls refuse at once with
    the same kind (never queue behind it); once it ends, the store serves again and nothing stored is lost."""
    pytest.importorskip("chromadb")
    import threading

    store = ChromaStore(persist_directory=str(tmp_path / "db"), timeout_s=0.5)
    entry = make_entry("a")
    store.put("c", entry, key_vector("a", 8))
    col = store._collection("c")
    release = threading.Event()
    real_query = col.query

    def wedged(**kwargs):
        release.wait(10)
        return real_query(**kwargs)

    col.query = wedged
    t = time.perf_counter()
    with pytest.raises(StoreError) as info:
        store.query("c", key_vector("a", 8), 1)
    assert info.value.kind == "timeout" and time.perf_counter() - t < 2.0
    t = time.perf_counter()
    with pytest.raises(StoreError) as info:
        store.put("c", make_entry("b"), key_vector("b", 8))
    assert info.value.kind == "timeout" and "still blocked" in str(info.value) and time.perf_counter() - t < 0.2
    assert store.get("c", entry.id) is not None  # the index still answers exact lookups
    release.set()
    col.query = real_query
    time.sleep(0.2)
    assert [c.entry.id for c in store.query("c", key_vector("a", 8), 1)] == [entry.id]
    store.put("c", make_entry("b"), key_vector("b", 8))
    assert store.count("c") == 2


def test_a_vector_without_its_index_row_is_never_served(tmp_path):
    """Class: an orphan vector (a crash between the vector write and the index write, or a clear whose second
    half failed). The index is the record: similarity never returns what it does not hold, and count agrees."""
    pytest.importorskip("chromadb")
    store = ChromaStore(persist_directory=str(tmp_path / "db"))
    kept, orphan = make_entry("kept"), make_entry("orphan")
    store.put("c", kept, key_vector("kept", 8))
    super(type(store), store).put("c", orphan, key_vector("orphan", 8))  # the vector alone, as a crash leaves it
    assert [c.entry.id for c in store.query("c", key_vector("orphan", 8), 5)] == [kept.id]
    assert store.count("c") == 1 and store.get("c", orphan.id) is None


def test_clear_removes_the_index_first_so_a_failed_clear_serves_nothing(tmp_path):
    """Class: a clear half done (the vectors could not be dropped: another process, a full disk). Nothing the
    caller cleared is served afterwards, and a later clear finishes the job."""
    pytest.importorskip("chromadb")
    store = ChromaStore(persist_directory=str(tmp_path / "db"))
    entry = make_entry("a", signature="sig")
    store.put("c", entry, key_vector("a", 8))

    def refuse(name):
        raise RuntimeError("database is locked")

    real = store._client.delete_collection
    store._client.delete_collection = refuse
    with pytest.raises(StoreError) as info:
        store.clear()
    assert info.value.kind == "locked"
    assert store.get("c", entry.id) is None and store.find("c", "sig", 2) == [] and store.count("c") == 0
    assert store.query("c", key_vector("a", 8), 5) == []
    store._client.delete_collection = real
    store.clear()
    store.put("c", entry, key_vector("a", 8))
    assert store.count("c") == 1 and [c.entry.id for c in store.query("c", key_vector("a", 8), 5)] == [entry.id]


def _filled(path, n=3):
    store = ChromaStore(persist_directory=str(path))
    entries = [make_entry(f"e{i}", signature=f"sig{i}") for i in range(n)]
    for e in entries:
        store.put("c", e, key_vector(e.id, 8))
    return store, entries


def _found_again(store, entries, count=None):
    """Every entry served again by id, by signature and by similarity, and counted."""
    assert store.count("c") == (len(entries) if count is None else count)
    for i, e in enumerate(entries):
        got = store.get("c", e.id)  # Chroma keeps timestamps to about a microsecond
        assert got is not None and replace(got, created_at=e.created_at) == e and abs(got.created_at - e.created_at) < 1e-3
        assert [f.id for f in store.find("c", f"sig{i}", 2)] == [e.id]
        assert store.query("c", key_vector(e.id, 8), 1)[0].entry.id == e.id


@pytest.mark.parametrize("damage", ["deleted", "truncated", "garbage"])
def test_a_lost_or_damaged_index_is_rebuilt_on_open(tmp_path, damage):
    """Class: the index file deleted, truncated to zero, or overwritten (a damaged disk, a careless cleanup).
    Reopening rebuilds it from the vectors' own records: every entry is found again by exact and structure
    lookups, nothing is lost, and a damaged file is kept aside for inspection."""
    pytest.importorskip("chromadb")
    store, entries = _filled(tmp_path / "db")
    del store
    index = tmp_path / "db" / "stepcache-index.sqlite3"
    for part in (index, index.with_name(index.name + "-wal"), index.with_name(index.name + "-shm")):
        if part.exists() and (damage != "garbage" or part != index):
            part.unlink()
    if damage == "truncated":
        index.write_bytes(b"")
    elif damage == "garbage":
        index.write_bytes(b"this is not a database " * 400)
    again = ChromaStore(persist_directory=str(tmp_path / "db"))
    _found_again(again, entries)
    assert again.check().consistent
    assert bool(list((tmp_path / "db").glob("stepcache-index.sqlite3.damaged-*"))) == (damage == "garbage")


def test_orphans_and_lost_vectors_are_reconciled(tmp_path):
    """Class: the two records disagree (a crash between the vector write and the index write; Chroma's
    collection lost with the index kept). ``check`` reports it and changes nothing; ``repair`` (also run on
    open when the counts differ) indexes the orphan again from its own metadata and drops rows whose vector is
    gone, so that count tells the truth."""
    pytest.importorskip("chromadb")
    store, entries = _filled(tmp_path / "db")
    orphan = make_entry("orphan", signature="sig-orphan")
    super(type(store), store).put("c", orphan, key_vector(orphan.id, 8))
    store._index.put("gone", make_entry("gone"), ())  # an index row whose vectors were lost
    report = store.check()
    by = {c.collection: c for c in report.collections}
    assert not report.consistent and by["c"].orphans == 1 and by["gone"].missing == 1
    assert store.count("c") == 3 and store.count("gone") == 1  # check changed nothing
    report = store.repair()
    assert report.repaired and store.count("gone") == 0
    _found_again(store, entries, count=4)
    assert store.get("c", orphan.id).output == orphan.output
    assert store.check().consistent


def test_store_check_and_repair_commands(tmp_path, capsys):
    """``stepcache store check|repair --dir D``: a report per collection; check exits 1 when inconsistent."""
    pytest.importorskip("chromadb")
    from stepcache_core.cli import main

    store, _ = _filled(tmp_path / "db")
    super(type(store), store).put("c", make_entry("orphan"), key_vector("orphan", 8))
    del store
    # reopening would heal it: the command checks without opening a healing store first
    assert main(["store", "check", "--dir", str(tmp_path / "db")]) == 1
    assert "1 orphans" in capsys.readouterr().out
    assert main(["store", "repair", "--dir", str(tmp_path / "db")]) == 0
    assert main(["store", "check", "--dir", str(tmp_path / "db")]) == 0
    assert "consistent" in capsys.readouterr().out


def test_a_corrupted_page_of_the_index_is_a_typed_error_and_repair_rebuilds_it(tmp_path):
    """Class: one damaged page inside the index (a bad sector, a torn write). The entries on it fail with a
    ``malformed`` StoreError naming the repair; ``repair`` moves the file aside and rebuilds it from the vectors,
    after which every entry is found again."""
    pytest.importorskip("chromadb")
    store, entries = _filled(tmp_path / "db", n=150)
    del store
    index = tmp_path / "db" / "stepcache-index.sqlite3"
    import sqlite3

    conn = sqlite3.connect(index)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(index.read_bytes())
    page = 4096
    assert len(data) > 8 * page
    for at in range(3 * page, len(data) - page, page):  # every page after the schema's: the table's rows too
        data[at : at + 64] = b"\xff" * 64
    index.write_bytes(bytes(data))
    damaged = ChromaStore(persist_directory=str(tmp_path / "db"), repair_on_open=False)
    kinds = set()
    for e in entries:
        try:
            damaged.get("c", e.id)
        except StoreError as err:
            kinds.add(err.kind)
            assert "stepcache store repair" in str(err)
    assert kinds == {"malformed"}
    report = damaged.repair()
    assert report.index_rebuilt and report.repaired
    _found_again(damaged, entries)


@pytest.mark.parametrize("lost", ["segment", "all of chroma"])
def test_lost_vector_files_leave_a_store_that_counts_truly(tmp_path, lost):
    """Class: Chroma's files lost while the index is kept (a vector segment directory deleted; Chroma's whole
    record deleted). Reopening gives a consistent store: with the segment alone gone Chroma rebuilds it and every
    entry is found again; with Chroma's record gone the index drops the rows it can no longer back (count says 0,
    where it used to report every entry), and the store takes new entries."""
    pytest.importorskip("chromadb")
    import shutil

    from stepcache_core.store.chroma_embedded import _forget

    store, entries = _filled(tmp_path / "db", n=5)
    del store
    db = tmp_path / "db"
    for p in db.iterdir():
        if p.is_dir() or (lost == "all of chroma" and p.name.startswith("chroma.sqlite3")):
            shutil.rmtree(p) if p.is_dir() else p.unlink()
    _forget(str(db))  # this process's cached Chroma system for the path, as a new process would start
    again = ChromaStore(persist_directory=str(db))
    assert again.check().consistent
    if lost == "segment":
        _found_again(again, entries)
    else:
        assert again.count("c") == 0 and again.get("c", entries[0].id) is None
        again.put("c", entries[0], key_vector(entries[0].id, 8))
        assert again.count("c") == 1 and again.query("c", key_vector(entries[0].id, 8), 1)[0].entry.id == entries[0].id


def test_the_index_reader_reads_entries_without_chroma_and_writes_nothing(tmp_path):
    """Class: a fresh process reading a populated store before Chroma opens (what serves its first exact repeat):
    entries by id and signature, from the index alone; a write is a typed ``read_only`` error; a directory without
    an index has no reader."""
    from stepcache_core.store.chroma_embedded import EmbeddedChromaStore

    assert EmbeddedChromaStore.reader(tmp_path / "nothing") is None
    store = ChromaStore(persist_directory=tmp_path / "s")
    store.put("c", make_entry("a", signature="sig"), key_vector("a", 8))
    reader = EmbeddedChromaStore.reader(tmp_path / "s")
    assert reader is not None and reader.read_only
    found = reader.get("c", "id-a")
    assert found is not None and found == store.get("c", "id-a")
    assert [e.id for e in reader.find("c", "sig", 2)] == ["id-a"]
    with pytest.raises(StoreError) as err:
        reader.put("c", make_entry("b"), key_vector("b", 8))
    assert err.value.kind == "read_only"
    assert store.get("c", "id-b") is None and store.count("c") == 1


def test_corroborated_slots_of_any_name_survive_the_store_and_older_stores_still_read(tmp_path):
    """Class: a task's slot names holding the separator the metadata used (a ranking slot, "rank(q0,q1)=1,0",
    was written comma-joined and read back as three broken slots: the corroboration was lost on Chroma, and the
    GSM bench reused 13 fewer variants). The slots are now a JSON list; a comma-joined value an older store wrote
    still reads."""
    from stepcache_core.store.entry import Entry

    entry = replace(make_entry("q"), corroborated=frozenset({"q0", "rank(q0,q1)=1,0", "q2<q3"}))
    assert Entry.from_metadata(entry.id, entry.metadata()).corroborated == entry.corroborated
    older = entry.metadata() | {"corr": "q0,q1"}
    assert Entry.from_metadata(entry.id, older).corroborated == {"q0", "q1"}
    assert Entry.from_metadata(entry.id, entry.metadata() | {"corr": "[broken"}).corroborated == frozenset()
    store = ChromaStore(persist_directory=str(tmp_path / "db"))
    store.put("c", entry, key_vector("key q", 8))
    got = store.get("c", entry.id)
    assert got is not None and got.corroborated == entry.corroborated
