"""Shared stores on the real parts: other processes clearing, a server restarting or freezing, racing
first opens, SIGKILL mid-write. In CI (STEPCACHE_REQUIRE_REAL=1) a missing part fails instead of skipping."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from stepcache_core import ChromaStore, Request, StepCacheEngine, StoreError
from stepcache_core.fakes import HashEmbedder, ScriptedBackend
from stepcache_core.store import key_vector
from stepcache_core.testing import ChromaServer, make_entry

pytestmark = pytest.mark.real

EQ = "3x = 15\nx = 5"


def _need_chroma_cli() -> None:
    pytest.importorskip("chromadb")
    if ChromaServer.executable() is None:
        if os.environ.get("STEPCACHE_REQUIRE_REAL"):
            pytest.fail("the chroma CLI is missing")
        pytest.skip("the chroma CLI is missing")


def _engine(store: ChromaStore) -> StepCacheEngine:
    return StepCacheEngine(store=store, embedder=HashEmbedder(), backend=ScriptedBackend(default=EQ))


def _py(code: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code), *args], capture_output=True, text=True, timeout=timeout)


def _exercise(engine: StepCacheEngine, n: int) -> int:
    """Lookups and records of equation variants; returns how many raised."""
    failures = 0
    for i in range(n):
        try:
            engine.lookup(Request(f"Solve for x: 3x + {i + 1} = 20"))
            engine.record(Request(f"Solve for x: 5x + {i} = {i + 10}"), "5x = 10\nx = 2")
        except StoreError:
            failures += 1
    return failures


def test_clear_from_another_process_heals_embedded(tmp_path):
    pytest.importorskip("chromadb")
    engine = _engine(ChromaStore(persist_directory=tmp_path))
    engine.run(Request("Solve for x: 3x + 5 = 20"))
    proc = _py(
        """
        import sys
        from stepcache_core import ChromaStore
        ChromaStore(persist_directory=sys.argv[1]).clear()
        """,
        str(tmp_path),
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert _exercise(engine, 20) == 0
    out = engine.run(Request("Solve for x: 3x + 5 = 20"))
    assert out.text.endswith("x = 5")
    assert engine.count() >= 1


def test_server_clear_restart_and_freeze(tmp_path, monkeypatch):
    _need_chroma_cli()
    from stepcache_core.store import chroma_server

    monkeypatch.setattr(chroma_server, "QUIET_S", 1.0)
    server = ChromaServer(str(tmp_path / "srv")).start()
    try:
        engine = _engine(ChromaStore(host="127.0.0.1", port=server.port, timeout_s=3.0))
        engine.run(Request("Solve for x: 3x + 5 = 20"))
        # another client clears the server's store: this engine's handles go stale and heal
        other = ChromaStore(host="127.0.0.1", port=server.port)
        other.clear()
        assert _exercise(engine, 10) == 0
        # the server restarts on an empty path: every call after it succeeds
        server.stop()
        server = ChromaServer(str(tmp_path / "srv-empty"), port=server.port).start()
        assert _exercise(engine, 10) == 0
        assert engine.run(Request("Solve for x: 3x + 5 = 20")).text.endswith("x = 5")
        # a frozen server: calls fail with StoreError within the timeout, never block
        os.kill(server.proc.pid, signal.SIGSTOP)
        try:
            t = time.perf_counter()
            with pytest.raises(StoreError):
                engine.store.count(engine.collection(Request("x").namespace))
            assert time.perf_counter() - t < 3.0 * 3 + 2
            # a whole request meets the timeout at most once: the calls after it refuse at once (they waited
            # timeout_s each, a lookup and a write: 20 s a request with the default 10 s)
            t = time.perf_counter()
            out = engine.run(Request("Solve for x: 3x + 9 = 21"))
            assert out.text.endswith("x = 4") and out.trace.store_error and time.perf_counter() - t < 1.0
        finally:
            os.kill(server.proc.pid, signal.SIGCONT)
        time.sleep(1.1)  # the quiet period over, the server is asked again
        assert _exercise(engine, 3) == 0
    finally:
        server.stop()


def test_processes_opening_a_new_directory_at_once(tmp_path):
    pytest.importorskip("chromadb")
    code = """
        import sys
        from stepcache_core import ChromaStore
        from stepcache_core.testing import make_entry
        store = ChromaStore(persist_directory=sys.argv[1])
        store.put("c", make_entry(sys.argv[2]), [1.0, 0.0, float(sys.argv[2])])
        print("ok")
        """
    for run in range(3):
        path = str(tmp_path / f"new-{run}")
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", textwrap.dedent(code), path, str(i)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for i in range(4)
        ]
        results = [p.communicate(timeout=180) for p in procs]
        failed = [err[-3000:] for p, (out, err) in zip(procs, results) if p.returncode != 0 or "ok" not in out]
        assert not failed, failed


def test_sigkill_mid_write_loses_no_acknowledged_entry(tmp_path):
    pytest.importorskip("chromadb")
    code = """
        import sys
        from stepcache_core import ChromaStore
        from stepcache_core.testing import make_entry
        store = ChromaStore(persist_directory=sys.argv[1])
        for i in range(100000):
            store.put("c", make_entry(str(i)), [1.0, 0.5, float(i)])
            print(i, flush=True)
        """
    proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), str(tmp_path)], stdout=subprocess.PIPE, text=True)
    acked: list[str] = []
    assert proc.stdout is not None
    deadline = time.time() + 120
    while len(acked) < 60 and time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        acked.append(line.strip())
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert len(acked) >= 60
    store = ChromaStore(persist_directory=tmp_path)
    missing = [i for i in acked if store.get("c", f"id-{i}") is None]
    assert missing == []
    store.put("c", make_entry("after"), [1.0, 0.5, 0.25])  # the store is still writable
    assert store.get("c", "id-after") is not None


def test_lru_bound_holds_across_a_store_reopen(tmp_path):
    pytest.importorskip("chromadb")
    store = ChromaStore(persist_directory=tmp_path, max_entries=20)
    for i in range(30):
        store.put("c", make_entry(str(i)), [1.0, 0.5, float(i)])
    store.touch("c", ["id-10"])
    again = ChromaStore(persist_directory=tmp_path, max_entries=20)
    for i in range(30, 45):
        again.put("c", make_entry(str(i)), [1.0, 0.5, float(i)])
    assert again.count("c") <= 20
    assert again.get("c", "id-44") is not None


def test_record_and_lookup_through_four_processes_share_the_fast_path(tmp_path):
    pytest.importorskip("chromadb")
    writer = _engine(ChromaStore(persist_directory=tmp_path))
    writer.run(Request("Solve for x: 3x + 5 = 20"))
    code = """
        import json, sys, time
        from stepcache_core import ChromaStore, Request, StepCacheEngine
        from stepcache_core.fakes import HashEmbedder, ScriptedBackend
        engine = StepCacheEngine(store=ChromaStore(persist_directory=sys.argv[1]), embedder=HashEmbedder(), backend=ScriptedBackend())
        t = time.perf_counter()
        out = engine.lookup(Request("Solve for x: 3x + %s = 20" % sys.argv[2]))
        print(json.dumps({"path": out.trace.path if out else None, "text": out.text if out else "", "s": time.perf_counter() - t}))
        """
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(code), str(tmp_path), str(k)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for k in (2, 8, 11, 14)
    ]
    rows = []
    for p in procs:
        out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err[-2000:]
        rows.append(json.loads(out.strip().splitlines()[-1]))
    assert [r["path"] for r in rows] == ["reuse"] * 4
    assert [r["text"].splitlines()[-1] for r in rows] == ["x = 6", "x = 4", "x = 3", "x = 2"]


def test_bench_scale_quick_reports_every_measure(tmp_path):
    _need_chroma_cli()
    out = tmp_path / "scale"
    proc = subprocess.run(
        [sys.executable, "-m", "stepcache_core.cli", "bench", "--scale", "--quick", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads((out / "scale.json").read_text())
    row = report["sizes"]["300"]
    for key in (
        "embedded_structural_hit",
        "embedded_exact_hit",
        "embedded_text_exact_hit",
        "server_one_process_hit",
        "server_structural_hit",
    ):
        assert row[key]["p50_ms"] > 0 and row[key]["n"] > 0, key
    assert row["fresh_process_embedded"]["embedder_loaded"] is False  # a structural hit never loads MiniLM
    assert row["worker_embedder_loaded"] is False
    assert report["put_cost"]["bounded_full"]["count_after"] <= 300
    rc = row["reconcile"]
    assert rc["consistent"] and rc["entries_rebuilt"] == rc["entries_before"] > 0 and rc["on_open_ms"] > 0
    lc = report["langchain_free_text"]
    assert lc is not None and "error" not in lc and lc["embedder_loaded"] is False
    first = lc["first_calls"]  # a fresh process's first miss never loads the embedding model
    assert "embedder_loaded_by_the_miss" in first, first  # the fresh process's error, when it failed
    assert first["embedder_loaded_by_the_miss"] is False and first["first_miss_after_warm_s"] > 0
    assert "exit_code" not in first, first  # background work was waited for: the process ended cleanly
    assert first["served_from_the_store"] is True and first["first_hit_s"] > 0  # the deferred record was kept
    assert (out / "scale.md").read_text().count("|") > 20


def test_sigkill_at_random_points_of_writes_evictions_and_clears_leaves_a_consistent_store(tmp_path):
    """Class: a crash anywhere in a write, an eviction or a clear (kill -9 at random times, four trials). After
    each, reopening gives a consistent store: 0 acknowledged entries lost, and every vector similarity can find
    is an entry the index holds and counts."""
    pytest.importorskip("chromadb")
    import random

    code = """
        import sys
        from stepcache_core import ChromaStore
        from stepcache_core.store import key_vector
        from stepcache_core.testing import make_entry
        store = ChromaStore(persist_directory=sys.argv[1], max_entries=int(sys.argv[2]))
        for i in range(100000):
            e = make_entry(f"{sys.argv[3]}-{i}")
            store.put("c", e, key_vector(e.id, 8))
            print(e.id, flush=True)
            store.put("d", e, key_vector(e.id, 8))
            if i % 7 == 6:
                store.clear("d")
        """
    rng = random.Random(7)
    for trial in range(4):
        directory = tmp_path / f"t{trial}"
        bound = 10_000 if trial % 2 == 0 else 30  # odd trials evict as they write
        proc = subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(code), str(directory), str(bound), str(trial)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        acked: list[str] = []
        want = rng.randint(20, 60)
        deadline = time.time() + 120
        while len(acked) < want and time.time() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            acked.append(line.strip())
        time.sleep(rng.random() * 0.05)  # somewhere inside the next put, eviction or clear
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert len(acked) == want
        store = ChromaStore(persist_directory=directory, max_entries=bound)
        assert store.check().consistent, store.check().summary()
        kept = [i for i in acked if store.get("c", i) is not None]
        if bound > len(acked):
            assert kept == acked  # nothing acknowledged is lost
        else:
            # the newest always survive: what is left of the acknowledged entries is their newest run, as long as the
            # store-wide bound allows (one eviction batch, the entries "d" holds and the write in flight aside)
            assert kept == acked[len(acked) - len(kept) :]
            assert len(kept) >= bound - bound // 10 - store.count("d") - 1, (len(kept), store.count("d"))
        assert store.count("c") <= bound
        for probe in acked[-5:]:
            for cand in store.query("c", key_vector(probe, 8), 10):
                assert store.get("c", cand.entry.id) is not None  # served by similarity: held and counted


def test_a_size_bound_holds_across_processes(tmp_path):
    """Class: two processes writing to one bounded store at once. The bound is checked inside each write's
    transaction, so the store never ends over it (it ended at 42 of 40 before), and vectors match the index."""
    pytest.importorskip("chromadb")
    code = """
        import sys
        from stepcache_core import ChromaStore
        from stepcache_core.store import key_vector
        from stepcache_core.testing import make_entry
        store = ChromaStore(persist_directory=sys.argv[1], max_entries=40)
        for i in range(60):
            e = make_entry(f"{sys.argv[2]}-{i}")
            store.put("c", e, key_vector(e.id, 8))
        """
    ChromaStore(persist_directory=tmp_path, max_entries=40)  # created once, so the two do not race to create it
    procs = [subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), str(tmp_path), w]) for w in ("a", "b")]
    for p in procs:
        assert p.wait(timeout=180) == 0
    store = ChromaStore(persist_directory=tmp_path, max_entries=40, repair_on_open=False)
    report = store.check()
    assert report.consistent, report.summary()
    assert store.count("c") <= 40 and report.collections[0].vectors == store.count("c")


def test_a_full_disk_is_a_typed_error_and_the_store_recovers_when_space_is_back(tmp_path):
    """Class: the disk fills while writing. Writes fail at once with a ``disk_full`` StoreError (Chroma reports it
    as a failed compaction; the free space names the cause); nothing acknowledged is lost; once space is back the
    store writes again. On a small tmpfs where the machine allows mounting one, else with a simulated ``ENOSPC``.

    The writer is a process of its own: Chroma's native code has been seen to wedge after a full disk while holding
    the interpreter lock, which no timeout inside that process can end (it hung the test run). When it wedges, it
    is killed, and the store reopened by the next process must hold every acknowledged entry and write again: the
    "refuses until the process reopens it" outcome."""
    pytest.importorskip("chromadb")
    small = tmp_path / "small"
    small.mkdir()
    mounted = (
        os.geteuid() == 0
        and subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(small)], capture_output=True).returncode == 0
    )
    code = """
        import errno, json, sys, time
        from stepcache_core import ChromaStore, StoreError
        from stepcache_core.store import key_vector
        from stepcache_core.testing import make_entry
        small, mounted = sys.argv[1], sys.argv[2] == "1"
        store = ChromaStore(persist_directory=small + "/db", timeout_s=5)
        if mounted:
            open(small + "/filler", "wb").write(b"\\0" * 900_000)
        else:  # simulated: every upsert fails as the OS reports a full disk
            col = store._collection("c")
            real_upsert = col.upsert
            col.upsert = lambda **kw: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left on device"))
        for i in range(2000):
            e = make_entry(str(i))
            e = type(e)(**{**e.__dict__, "output": "x" * 2000})
            t = time.perf_counter()
            try:
                store.put("c", e, key_vector(e.id, 384))
            except StoreError as err:
                print(json.dumps({"kind": err.kind, "s": time.perf_counter() - t}), flush=True)
                break
            print(json.dumps({"acked": e.id}), flush=True)
        if mounted:
            import os
            os.unlink(small + "/filler")
        else:
            col.upsert = real_upsert
        print(json.dumps({"freed": True}), flush=True)
        store.put("c", make_entry("after"), key_vector("after", 384))
        print(json.dumps({"after": store.get("c", "id-after") is not None}), flush=True)
    """
    lines: list[dict[str, object]] = []
    try:
        try:
            proc = _py(code, str(small), "1" if mounted else "0", timeout=120)
            out = proc.stdout
        except subprocess.TimeoutExpired as e:  # wedged inside Chroma: killed; the next process reopens the store
            raw = e.stdout or ""
            out = raw.decode() if isinstance(raw, bytes) else raw
        lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        acked = [str(x["acked"]) for x in lines if "acked" in x]
        failed = [x for x in lines if "kind" in x]
        assert failed, f"the disk never filled: {out[-500:]}"
        assert failed[0]["kind"] == "disk_full" and float(str(failed[0]["s"])) < 5, failed[0]
        if mounted and (small / "filler").exists():
            (small / "filler").unlink()
        store = ChromaStore(persist_directory=small / "db", timeout_s=5)
        assert [i for i in acked if store.get("c", i) is None] == []  # nothing acknowledged is lost
        if not any(x.get("after") for x in lines):  # the writer wedged: the reopened store writes again
            store.put("c", make_entry("again"), key_vector("again", 384))
            assert store.get("c", "id-again") is not None
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(small)], capture_output=True)  # lazily: Chroma keeps its files open


def test_a_cache_shipped_read_only_serves_lookups_and_refuses_writes(tmp_path, monkeypatch):
    """Class: a populated cache directory mounted read-only (a pre-built cache inside an image). It opens: exact and
    structural lookups are served (a variant of a cached equation is re-derived with no model call), similarity is
    off, and an answer the engine cannot store is served all the same with ``store_error`` of kind read_only.
    On a read-only bind mount where the machine allows one, else with Chroma's open failing as it does there."""
    pytest.importorskip("chromadb")
    source, mount = tmp_path / "src", tmp_path / "ro"
    source.mkdir()
    mount.mkdir()
    writer = _engine(ChromaStore(persist_directory=source / "db"))
    writer.run(Request("Solve for x: 3x + 5 = 20"))
    writer.run(Request("Write a haiku about autumn"))
    del writer
    mounted = (
        os.geteuid() == 0
        and subprocess.run(["mount", "--bind", str(source), str(mount)], capture_output=True).returncode == 0
        and subprocess.run(["mount", "-o", "remount,bind,ro", str(mount)], capture_output=True).returncode == 0
    )
    try:
        if not mounted:
            import chromadb

            mount = source

            def refuse(*args, **kwargs):
                raise RuntimeError("error returned from database: (code: 8) attempt to write a readonly database")

            monkeypatch.setattr(chromadb, "PersistentClient", refuse)
        from stepcache_core.store.chroma_embedded import _forget

        _forget(str(mount / "db"))
        store = ChromaStore(persist_directory=mount / "db")
        assert store.read_only
        engine = StepCacheEngine(store=store, embedder=HashEmbedder(), backend=ScriptedBackend(default="3x = 12\nx = 4"))
        out = engine.run(Request("Solve for x: 3x + 8 = 20"))  # a structural hit, re-derived
        assert out.trace.path == "reuse" and out.trace.backend_calls == 0 and out.text.splitlines()[-1] == "x = 4"
        out = engine.run(Request("Write a haiku about autumn"))  # free text: its exact entry, from the shipped file
        assert out.trace.exact_hit and out.trace.backend_calls == 0
        out = engine.run(Request("Write a haiku about spring"))  # the model answers; the store refuses to keep it
        assert out.trace.backend_calls == 1 and out.trace.store_error and "read_only" in out.trace.store_error
        with pytest.raises(StoreError) as info:
            engine.clear()
        assert info.value.kind == "read_only"
        assert engine.count() >= 1
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_short_process_leaves_its_entry_findable_by_similarity(tmp_path):
    """Class: a script that makes one call and exits while the embedding model is still loading. The entry was
    stored under a placeholder; the exit waits for its real vector, so the next process finds it by similarity."""
    pytest.importorskip("chromadb")
    pytest.importorskip("sentence_transformers")
    code = """
        import sys
        from stepcache_core import Request, StepCacheEngine
        from stepcache_core.fakes import ScriptedBackend
        engine = StepCacheEngine(persist_directory=sys.argv[1], backend=ScriptedBackend(["3x = 15\\nx = 5"]))
        out = engine.run(Request("Solve for x: 3x + 5 = 20"))
        print(out.trace.path, any("placeholder" in n for n in out.trace.notes))
    """
    proc = _py(code, str(tmp_path), timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["miss", "True"]
    engine = StepCacheEngine(persist_directory=str(tmp_path))
    prep = engine.prepare(Request("Solve for x: 3x + 5 = 20"))
    vector = engine.embedder.embed([engine.retriever.text(prep)])[0]
    found = engine.store.query(prep.collection, vector, 1)
    assert found and found[0].entry.id == prep.entry_id and (found[0].similarity or 0) > 0.99
