"""Contract suites for plug-ins, in the spirit of ``langchain-tests``' standard suites.

A plug-in author subclasses :class:`StoreContract`, :class:`EmbedderContract`,
:class:`BackendContract` or :class:`TaskContract` in a pytest module, names the
subclass ``Test...`` and implements its factory; pytest then runs every
contract test against the implementation::

    class TestMyStore(StoreContract):
        def make_store(self, *, max_entries=None, ttl_s=None):
            return MyStore(max_entries=max_entries, ttl_s=ttl_s)

The project's own stores run this suite in ``tests/core/test_store.py``.
Plain ``assert`` statements only: importing this module needs no pytest.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from .store import Entry, MemoryStore, Store, key_vector

__all__ = ["StoreContract", "EmbedderContract", "BackendContract", "TaskContract", "make_entry", "ChromaServer", "free_port"]


def make_entry(name: str, *, signature: str = "", created_at: float | None = None, task: str = "text") -> Entry:
    """A small, complete entry for contract tests."""
    return Entry(
        id=f"id-{name}",
        prompt=f"prompt {name} — ünïcode ✓",
        key_text=f"key {name}",
        task=task,
        output=f"output {name}\nsecond line",
        constraints='{"required":[],"schema":null}',
        created_at=time.time() if created_at is None else created_at,
        verified=True,
        signature=signature,
        frame=f"frame {name}",
        corroborated=frozenset({"q0", "q2"}),
    )


class StoreContract:
    """What every :class:`~stepcache_core.store.Store` must do. Override :meth:`make_store`."""

    dimension = 8

    def make_store(self, *, max_entries: int | None = None, ttl_s: float | None = None) -> Any:
        raise NotImplementedError

    def vec(self, key: str) -> list[float]:
        return key_vector(key, self.dimension)

    def test_is_a_store(self) -> None:
        assert isinstance(self.make_store(), Store)

    def test_put_then_get_round_trips_every_field(self) -> None:
        store = self.make_store()
        entry = make_entry("a", signature="sig-1")
        store.put("c1", entry, self.vec("a"))
        got = store.get("c1", entry.id)
        assert got is not None and replace(got, created_at=entry.created_at) == entry
        assert abs(got.created_at - entry.created_at) < 1e-3  # Chroma keeps timestamps to about a microsecond
        assert store.get("c1", "id-missing") is None
        assert store.count("c1") == 1

    def test_put_same_id_replaces(self) -> None:
        store = self.make_store()
        store.put("c1", make_entry("a"), self.vec("a"))
        newer = Entry(**{**make_entry("a").__dict__, "output": "replaced"})
        store.put("c1", newer, self.vec("a"))
        got = store.get("c1", newer.id)
        assert got is not None and got.output == "replaced" and store.count("c1") == 1

    def test_query_returns_the_most_similar_first(self) -> None:
        store = self.make_store()
        for name in ("a", "b", "c"):
            store.put("c1", make_entry(name), self.vec(name))
        found = store.query("c1", self.vec("b"), 2)
        assert 1 <= len(found) <= 2 and found[0].entry.id == "id-b"
        assert found[0].similarity is not None and 0.99 <= found[0].similarity <= 1.0001
        assert all(c.similarity is not None and -1.0001 <= c.similarity <= 1.0001 for c in found)

    def test_find_by_signature_without_embedding(self) -> None:
        store = self.make_store()
        store.put("c1", make_entry("old", signature="s1", created_at=1000.0), self.vec("old"))
        store.put("c1", make_entry("new", signature="s1", created_at=2000.0), self.vec("new"))
        store.put("c1", make_entry("other", signature="s2"), self.vec("other"))
        store.put("c1", make_entry("none"), self.vec("none"))
        found = [e.id for e in store.find("c1", "s1", 5)]  # at least the newest; older ones may follow
        assert found[:1] == ["id-new"] and set(found) <= {"id-new", "id-old"}
        assert [e.id for e in store.find("c1", "s2", 5)] == ["id-other"]
        assert store.find("c1", "s3", 5) == [] and store.find("c2", "s1", 5) == []
        assert len(store.find("c1", "s1", 1)) == 1

    def test_collections_lists_those_holding_entries(self) -> None:
        from .store import SupportsCollections

        store = self.make_store()
        if not isinstance(store, SupportsCollections):
            return  # an optional capability
        listed: SupportsCollections = store
        store.put("c1", make_entry("a"), self.vec("a"))  # type: ignore[attr-defined]
        store.put("c2", make_entry("b"), self.vec("b"))  # type: ignore[attr-defined]
        assert {"c1", "c2"} <= set(listed.collections())

    def test_collections_are_isolated(self) -> None:
        store = self.make_store()
        store.put("c1", make_entry("a", signature="s"), self.vec("a"))
        assert store.get("c2", "id-a") is None and store.count("c2") == 0
        assert store.query("c2", self.vec("a"), 3) == [] and store.find("c2", "s", 3) == []

    def test_delete_and_clear(self) -> None:
        store = self.make_store()
        for name in ("a", "b"):
            store.put("c1", make_entry(name), self.vec(name))
        store.put("c2", make_entry("z"), self.vec("z"))
        store.delete("c1", ["id-a", "id-never-stored"])
        assert store.get("c1", "id-a") is None and store.count("c1") == 1
        store.clear("c1")
        assert store.count("c1") == 0 and store.count("c2") == 1
        store.clear()
        assert store.count("c2") == 0
        store.put("c1", make_entry("again"), self.vec("again"))  # usable after a clear
        assert store.get("c1", "id-again") is not None

    def test_size_bound_evicts_the_least_recently_used(self) -> None:
        store = self.make_store(max_entries=3)
        for i, name in enumerate(("a", "b", "c")):
            store.put("c1", make_entry(name, created_at=1000.0 + i), self.vec(name))
        time.sleep(0.01)
        store.touch("c1", ["id-a"])  # a is the oldest created but the most recently used
        time.sleep(0.01)
        store.put("c1", make_entry("d"), self.vec("d"))
        assert store.count("c1") <= 3
        assert store.get("c1", "id-a") is not None and store.get("c1", "id-d") is not None
        assert store.get("c1", "id-b") is None

    def test_ttl_expires_entries(self) -> None:
        store = self.make_store(ttl_s=60.0)
        store.put("c1", make_entry("old", signature="s", created_at=time.time() - 3600), self.vec("old"))
        store.put("c1", make_entry("fresh", signature="s"), self.vec("fresh"))
        assert store.get("c1", "id-old") is None
        assert [e.id for e in store.find("c1", "s", 5)] == ["id-fresh"]
        assert all(c.entry.id != "id-old" for c in store.query("c1", self.vec("old"), 5))


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ChromaServer:
    """A ``chroma run`` server on loopback for tests and benchmarks: start, stop, restart.

    ``with ChromaServer(path) as srv: ChromaStore(host="127.0.0.1", port=srv.port)``
    """

    def __init__(self, path: str, *, port: int | None = None, start_timeout_s: float = 60.0) -> None:
        self.path = path
        self.port = port or free_port()
        self.start_timeout_s = start_timeout_s
        self.proc: Any = None

    @staticmethod
    def executable() -> str | None:
        import shutil
        import sys
        from pathlib import Path

        return shutil.which("chroma") or (str(p) if (p := Path(sys.executable).parent / "chroma").exists() else None)

    def start(self) -> ChromaServer:
        import os
        import socket
        import subprocess

        exe = self.executable()
        if exe is None:
            raise RuntimeError("the chroma CLI is missing (pip install chromadb)")
        env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
        self.proc = subprocess.Popen(
            [exe, "run", "--path", self.path, "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        deadline = time.time() + self.start_timeout_s
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"chroma run exited with {self.proc.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("chroma run did not start listening in time")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except Exception:
                self.proc.kill()
                self.proc.wait(timeout=30)
        self.proc = None

    def __enter__(self) -> ChromaServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class EmbedderContract:
    """What every :class:`~stepcache_core.embed.Embedder` must do. Override :meth:`make_embedder`."""

    def make_embedder(self) -> Any:
        raise NotImplementedError

    def test_is_an_embedder(self) -> None:
        from .embed import Embedder

        e = self.make_embedder()
        assert isinstance(e, Embedder) and isinstance(e.name, str) and e.name and e.dimension > 0

    def test_unit_vectors_of_the_declared_dimension(self) -> None:
        import math

        e = self.make_embedder()
        vectors = e.embed(["Solve for x: 3x + 5 = 20", "Extract the name as JSON", "ünïcode ✓ text"])
        assert len(vectors) == 3
        for v in vectors:
            assert len(v) == e.dimension and all(isinstance(x, float) for x in v)
            assert abs(math.sqrt(sum(x * x for x in v)) - 1.0) < 1e-3

    def test_deterministic_and_order_preserving(self) -> None:
        e = self.make_embedder()
        a, b = e.embed(["alpha beta", "gamma delta"])
        b2, a2 = e.embed(["gamma delta", "alpha beta"])
        assert max(abs(x - y) for x, y in zip(a, a2)) < 1e-5 and max(abs(x - y) for x, y in zip(b, b2)) < 1e-5
        assert e.embed([]) == []


class BackendContract:
    """What every :class:`~stepcache_core.backends.base.Backend` must do. Override :meth:`make_backend`."""

    def make_backend(self) -> Any:
        raise NotImplementedError

    def test_is_a_backend(self) -> None:
        from .backends.base import Backend

        b = self.make_backend()
        assert isinstance(b, Backend) and isinstance(b.name, str) and b.name

    def test_complete_returns_a_completion(self) -> None:
        from .values import Completion, GenerationSpec

        out = self.make_backend().complete(GenerationSpec("Equation: 2x + 3 = 11\n", max_tokens=16, stop=("\n\n",)))
        assert isinstance(out, Completion) and isinstance(out.text, str)
        assert out.prompt_tokens >= 0 and out.completion_tokens >= 0 and out.latency_s >= 0

    def test_concurrent_calls_both_answer(self) -> None:
        import threading

        from .values import GenerationSpec

        b = self.make_backend()
        results: list[Any] = []
        threads = [
            threading.Thread(target=lambda: results.append(b.complete(GenerationSpec("Say hi.", max_tokens=4)))) for _ in range(2)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert len(results) == 2


class TaskContract:
    """What every task plug-in must do. Override :meth:`make_task` and :meth:`examples`.

    ``examples()`` yields ``(request, good_output, bad_output)``: ``good_output`` a right answer the
    verifier must accept, ``bad_output`` a wrong one it must reject (``None`` for tasks without a verifier).
    """

    def make_task(self) -> Any:
        raise NotImplementedError

    def examples(self) -> list[tuple[Any, str, str | None]]:
        raise NotImplementedError

    def _engine(self, task: Any) -> Any:
        from .backends.fake import ScriptedBackend
        from .embed import HashEmbedder
        from .engine import StepCacheEngine
        from .tasks import TaskRegistry

        return StepCacheEngine(
            store=MemoryStore(), embedder=HashEmbedder(), backend=ScriptedBackend(), tasks=TaskRegistry([task])
        )

    def test_profile_is_complete(self) -> None:
        from .tasks.base import Gate, Prompter, Segmenter, TaskProfile, Verifier

        task = self.make_task()
        assert isinstance(task, TaskProfile)
        assert isinstance(task.segmenter, Segmenter) and isinstance(task.prompter, Prompter) and isinstance(task.gate, Gate)
        assert task.verifier is None or isinstance(task.verifier, Verifier)

    def test_parse_gate_and_prompt(self) -> None:
        from dataclasses import replace

        task = self.make_task()
        for request, _, _ in self.examples():
            problem = task.parse(replace(request, task=task.name))
            assert task.gate.compatible(problem, problem).ok, "a request must be compatible with itself"
            spec = task.prompter.generate(problem)
            assert isinstance(spec.prompt, str) and spec.prompt and spec.max_tokens > 0

    def test_segment_then_render_keeps_the_content(self) -> None:
        task = self.make_task()
        for _, good, _ in self.examples():
            steps = task.segmenter.segment(good)
            assert steps and [s.index for s in steps] == list(range(len(steps)))
            again = task.segmenter.render(task.segmenter.segment(task.segmenter.render(steps)))
            assert again == task.segmenter.render(steps)

    def test_verifier_accepts_right_and_rejects_wrong(self) -> None:
        from dataclasses import replace

        task = self.make_task()
        for request, good, bad in self.examples():
            if task.verifier is None:
                continue
            problem = task.parse(replace(request, task=task.name))
            assert all(v.ok for v in task.verifier.verify_steps(problem, task.segmenter.segment(good, origin="generated")))
            assert task.verifier.check(problem, task.segmenter.render(task.segmenter.segment(good))).ok
            assert bad is not None, "a verifiable task's example needs a wrong answer"
            verdicts = task.verifier.verify_steps(problem, task.segmenter.segment(bad, origin="generated"))
            assert not all(v.ok for v in verdicts), f"the verifier passed a wrong answer: {bad!r}"

    def test_recorded_answer_is_served_for_an_identical_request(self) -> None:
        from dataclasses import replace

        task = self.make_task()
        engine = self._engine(task)
        for request, good, bad in self.examples():
            request = replace(request, task=task.name)
            assert engine.record(request, good) is True
            out = engine.lookup(request)
            assert out is not None and out.trace.exact_hit
            if bad is not None and task.verifier is not None:
                assert engine.record(replace(request, prompt=request.prompt + " "), bad) is False
