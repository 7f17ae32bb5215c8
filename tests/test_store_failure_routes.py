"""The store-failure policy on every route (issue 20, item 7), on real failures of a real Chroma store.

Policy: a store that fails never fails the call. The model answers it, nothing is raised, and the failure is logged
once per kind of failure (a WARNING from a ``stepcache*`` logger), however many calls meet it. A read-only store still
serves exact and structural hits and skips writes, with one warning. No call waits more than a few seconds for the
store, and what the store held before the failure is still there afterwards.

Routes: the core ``StepCacheEngine.run``; LangChain's ``set_llm_cache(StepCache(...))`` with a chat model;
``StepCacheRunnable`` around a chat model (``invoke`` and ``stream``); LlamaIndex ``StepCacheLLM`` around an LLM
(``complete`` and ``stream_complete``). Faults: a store path that cannot be opened (a regular file in the way), a
Chroma server that is not running when the store opens, a Chroma server that goes away after it opened, a populated
cache directory on a read-only mount, a store on a disk that fills up after it opened.

Cells already covered elsewhere are not repeated: the LangChain cache on a path it cannot open and on a server that
is not running (tests/langchain/test_lc_cache.py), what each route serves on a store that cannot be opened
(test_lc_runnable.py, test_llm.py), the core's answers on a read-only mount (tests/core/test_store_real.py).

Fakes only: HashEmbedder, deterministic fake models; no model download. Read-only and full-disk cells mount (a
read-only bind mount, a 3 MiB tmpfs) and skip when the process cannot; server cells skip without the ``chroma`` CLI.
A full disk runs its route in a process of its own (Chroma has been seen to wedge after a full disk while holding
the interpreter lock): ``python <this file> disk-full <route> <dir>`` is that process.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("chromadb")
pytest.importorskip("langchain_core")
pytest.importorskip("llama_index.core")

ROUTES = ("core", "lc_cache", "runnable_invoke", "runnable_stream", "llamaindex_complete", "llamaindex_stream")
ANSWERS = {
    "Solve for x: 3x + 5 = 20": "3x = 20 - 5\n3x = 15\nx = 5",
    "Solve for x: 3x + 8 = 20": "3x = 20 - 8\n3x = 12\nx = 4",
    "Solve for x: 2(x + 3) = 14": "x + 3 = 7\nx = 4",
    "Solve for x: 4x - 7 = 9": "4x = 16\nx = 4",
}
POPULATE = ("Write a haiku about autumn", "Solve for x: 3x + 5 = 20")
# three calls the store cannot keep: free text (the exact-match SQLite file) and two equations of another structure
# than the stored one (Chroma and the index), so every write path meets the fault
CALLS = ("Write a haiku about spring", "Solve for x: 2(x + 3) = 14", "Solve for x: 4x - 7 = 9")
# what a populated store serves without the model: the identical request, and an equation of the stored structure
HITS = ("Write a haiku about autumn", "Solve for x: 3x + 8 = 20")
SLOW_S = 5.0


def answer(prompt: str) -> str:
    """The fake model's answer: worked steps for the known equations, an echo for anything else."""
    for question, steps in ANSWERS.items():
        if question in prompt:
            return steps
    last = prompt.strip().splitlines()[-1] if prompt.strip() else ""
    return f"MODEL says: {last[-60:]}"


# ---------------------------------------------------------------------------------------------------- the routes


class Route:
    """One route around a fake model: ``ask(prompt)`` returns (text, trace); ``model_calls`` counts the model's calls."""

    def __init__(self, name: str, **store: Any) -> None:
        self.name = name
        self.model_calls: list[str] = []
        self.cache: Any = None
        self.ask: Callable[[str], tuple[str, dict[str, Any] | None]] = getattr(self, f"_{name}")(**store)

    def close(self) -> None:
        if self.cache is not None:
            from langchain_core.globals import set_llm_cache

            set_llm_cache(None)

    def _heard(self, prompt: str) -> str:
        self.model_calls.append(prompt)
        return answer(prompt)

    def _engine(self, **store: Any) -> Any:
        """A core engine on the ChromaStore ``store`` names (raises when the store cannot be opened)."""
        from stepcache_core import ChromaStore, StepCacheEngine
        from stepcache_core.fakes import HashEmbedder, ScriptedBackend

        return StepCacheEngine(
            store=ChromaStore(**store), embedder=HashEmbedder(), backend=ScriptedBackend(respond=lambda s: self._heard(s.prompt))
        )

    def _chat_model(self) -> Any:
        from langchain_core.language_models import BaseChatModel
        from langchain_core.messages import AIMessage
        from langchain_core.outputs import ChatGeneration, ChatResult

        heard = self._heard

        class EchoChat(BaseChatModel):
            @property
            def _llm_type(self) -> str:
                return "echo-chat"

            def _generate(self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any) -> ChatResult:
                return ChatResult(generations=[ChatGeneration(message=AIMessage(content=heard(str(messages[-1].content))))])

        return EchoChat()

    def _llama_llm(self) -> Any:
        from llama_index.core.base.llms.types import CompletionResponse, LLMMetadata
        from llama_index.core.llms import CustomLLM
        from llama_index.core.llms.callbacks import llm_completion_callback

        heard = self._heard

        class EchoLLM(CustomLLM):
            @property
            def metadata(self) -> LLMMetadata:
                return LLMMetadata(model_name="echo-llm")

            @llm_completion_callback()
            def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
                return CompletionResponse(text=heard(prompt))

            @llm_completion_callback()
            def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> Any:
                text = heard(prompt)

                def gen() -> Any:
                    yield CompletionResponse(text=text, delta=text)

                return gen()

        return EchoLLM()

    # the routes
    def _core(self, **store: Any) -> Callable[[str], tuple[str, dict[str, Any] | None]]:
        from stepcache_core import Request

        engine = self._engine(**store)

        def ask(prompt: str) -> tuple[str, dict[str, Any] | None]:
            out = engine.run(Request(prompt))
            return out.text, out.trace.as_dict()

        return ask

    def _lc_cache(self, **store: Any) -> Callable[[str], tuple[str, dict[str, Any] | None]]:
        from langchain_core.globals import set_llm_cache

        from stepcache_core.fakes import HashEmbedder
        from stepcache_langchain import StepCache

        self.cache = StepCache(embedder=HashEmbedder(), **store)
        set_llm_cache(self.cache)
        chat = self._chat_model()
        return lambda prompt: (str(chat.invoke(prompt).content), self.cache.last_trace)

    def _runnable(self, **store: Any) -> Any:
        from stepcache_core.fakes import HashEmbedder
        from stepcache_langchain import StepCacheRunnable

        return StepCacheRunnable(self._chat_model(), embedder=HashEmbedder(), **store)

    def _runnable_invoke(self, **store: Any) -> Callable[[str], tuple[str, dict[str, Any] | None]]:
        cached = self._runnable(**store)
        return lambda prompt: (str(cached.invoke(prompt).content), cached.last_trace)

    def _runnable_stream(self, **store: Any) -> Callable[[str], tuple[str, dict[str, Any] | None]]:
        cached = self._runnable(**store)
        return lambda prompt: ("".join(str(c.content) for c in cached.stream(prompt)), cached.last_trace)

    def _llama(self, **store: Any) -> Any:
        from stepcache_llamaindex import StepCacheLLM

        if "persist_directory" in store and store.pop("lazy", False):  # the wrapper opens it, on first use
            return StepCacheLLM(llm=self._llama_llm(), persist_directory=str(store["persist_directory"]))
        if store.pop("lazy_server", False):  # the wrapper connects to the server, on first use
            return StepCacheLLM(llm=self._llama_llm(), host=store["host"], port=store["port"])
        return StepCacheLLM(llm=self._llama_llm(), engine=self._engine(**store))

    def _llamaindex_complete(self, **store: Any) -> Callable[[str], tuple[str, dict[str, Any] | None]]:
        llm = self._llama(**store)

        def ask(prompt: str) -> tuple[str, dict[str, Any] | None]:
            r = llm.complete(prompt)
            return r.text, r.additional_kwargs.get("stepcache")

        return ask

    def _llamaindex_stream(self, **store: Any) -> Callable[[str], tuple[str, dict[str, Any] | None]]:
        llm = self._llama(**store)

        def ask(prompt: str) -> tuple[str, dict[str, Any] | None]:
            chunks = list(llm.stream_complete(prompt))
            return (chunks[-1].text if chunks else ""), llm.last_trace

        return ask


def _drain() -> None:
    """Let deferred work land (records the LangChain cache makes once its store is open, vectors written later)."""
    from stepcache_core import background

    background.drain(30)


def serve(route: Route, prompts: tuple[str, ...]) -> list[dict[str, Any]]:
    """Each prompt through the route: its text, trace, seconds and model calls. Any exception fails the test."""
    out = []
    for prompt in prompts:
        before = len(route.model_calls)
        t = time.perf_counter()
        text, trace = route.ask(prompt)
        seconds = time.perf_counter() - t
        _drain()
        out.append(
            {"prompt": prompt, "text": text, "trace": trace or {}, "s": seconds, "model_calls": len(route.model_calls) - before}
        )
    return out


def store_warnings(records: list[logging.LogRecord]) -> list[str]:
    return [r.getMessage() for r in records if r.name.startswith("stepcache") and r.levelno >= logging.WARNING]


def assert_policy(served: list[dict[str, Any]], warnings: list[str], *, kind: str) -> None:
    """Every call answered by the model, none slow, and the failure of kind ``kind`` logged exactly once."""
    for call in served:
        assert call["text"] == answer(call["prompt"]), call
        assert call["model_calls"] == 1, call
        assert call["s"] < SLOW_S, call
    assert len(warnings) == 1, f"{len(warnings)} warnings over {len(served)} calls (once per kind expected): {warnings}"
    assert kind.replace("_", "") in warnings[0].replace("_", "").replace("-", ""), warnings


def assert_hits(served: list[dict[str, Any]]) -> None:
    """Each prompt served from the store: the stored answer (or its re-derivation), no model call."""
    for call in served:
        assert call["model_calls"] == 0 and call["trace"].get("path") == "reuse", call
        assert call["text"] == answer(call["prompt"]), call


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    return caplog


# ---------------------------------------------------------------------------------------------------- cannot open


@pytest.mark.parametrize("route", ["runnable_invoke", "runnable_stream", "llamaindex_complete", "llamaindex_stream"])
def test_a_store_path_that_is_a_file_is_logged_once_and_the_model_serves(tmp_path: Path, logs: Any, route: str) -> None:
    """Class: a store that cannot be opened (its directory path is an existing regular file, as a mistyped path or a
    leftover file gives). Three calls: each answered by the model at once, the failure logged once, the file
    untouched."""
    blocker = tmp_path / "cache"
    blocker.write_text("not a directory")
    store = {"persist_directory": blocker, "lazy": True} if route.startswith("llamaindex") else {"persist_directory": blocker}
    r = Route(route, **store)
    try:
        logs.clear()
        served = serve(r, CALLS)
        warnings = store_warnings(logs.records)
    finally:
        r.close()
    assert_policy(served, warnings, kind="open")
    assert blocker.read_text() == "not a directory"


# ---------------------------------------------------------------------------------------------------- server not running


@pytest.mark.parametrize("route", ["runnable_invoke", "runnable_stream", "llamaindex_complete", "llamaindex_stream"])
def test_a_server_that_is_not_running_is_logged_once_and_the_model_serves(logs: Any, route: str) -> None:
    """Class: client/server mode pointed at a port where nothing listens (the server was never started, or a wrong
    port). Three calls: each answered by the model within a second or so, one warning of kind unavailable.
    (``StepCacheLLM`` took ``host``/``port`` silently and cached in the default directory.)"""
    from stepcache_core.testing import free_port

    extra = {"lazy_server": True} if route.startswith("llamaindex") else {}
    r = Route(route, host="127.0.0.1", port=free_port(), **extra)
    try:
        logs.clear()
        served = serve(r, CALLS)
        warnings = store_warnings(logs.records)
    finally:
        r.close()
    assert_policy(served, warnings, kind="unavailable")


# ---------------------------------------------------------------------------------------------------- server goes away


@pytest.mark.parametrize("route", ROUTES)
def test_a_server_that_goes_away_is_logged_once_the_model_serves_and_the_entries_come_back(
    tmp_path: Path, logs: Any, route: str
) -> None:
    """Class: a Chroma server that stops after the store opened (a restart, a crash). Three calls while it is down:
    each answered by the model at once, one warning of kind unavailable (lookups and writes both fail: still one
    kind). Once it runs again on the same path, what it held is served again."""
    from stepcache_core.testing import ChromaServer

    if ChromaServer.executable() is None:
        pytest.skip("the chroma CLI is missing")
    server = ChromaServer(str(tmp_path / "srv")).start()
    r = Route(route, host="127.0.0.1", port=server.port)
    try:
        serve(r, POPULATE)
        assert_hits(serve(r, POPULATE[:1]))
        server.stop()
        logs.clear()
        served = serve(r, CALLS)
        warnings = store_warnings(logs.records)
        server = ChromaServer(str(tmp_path / "srv"), port=server.port).start()
        back = serve(r, POPULATE[:1])
    finally:
        r.close()
        server.stop()
    assert_policy(served, warnings, kind="unavailable")
    assert_hits(back)


# ---------------------------------------------------------------------------------------------------- read-only mount


def _mount(*cmd: str) -> bool:
    return os.geteuid() == 0 and subprocess.run(["mount", *cmd], capture_output=True).returncode == 0


def _held(directory: Path, *, repair_on_open: bool = False) -> tuple[bool, str, dict[str, int]]:
    """What a store directory holds: (vectors and index agree, the check's summary, entries per collection of the
    index and of the exact-match file)."""
    from stepcache_core import ChromaStore, SqliteStore

    store = ChromaStore(persist_directory=directory, repair_on_open=repair_on_open)
    report = store.check()
    held = {f"index:{c}": store.count(c) for c in store.collections()}
    exact = directory / "stepcache-exact.sqlite3"
    if exact.exists():
        sq = SqliteStore(exact)
        held.update({f"exact:{c}": sq.count(c) for c in sq.collections()})
    return report.consistent, report.summary(), held


@pytest.mark.parametrize("route", ROUTES)
def test_a_populated_store_on_a_read_only_mount_serves_hits_and_skips_writes_with_one_warning(
    tmp_path: Path, logs: Any, route: str
) -> None:
    """Class: a populated cache directory on a read-only mount (a cache shipped inside a container image). Its exact
    and structural hits are served with no model call; three calls it cannot keep are answered by the model, with
    one warning of kind read-only in all (the directory opened read-only; the writes it then skips are that same
    failure); its files are unchanged."""
    source, mount = tmp_path / "src", tmp_path / "ro"
    source.mkdir()
    mount.mkdir()
    writer = Route(route, persist_directory=source / "db")
    try:
        serve(writer, POPULATE)
    finally:
        writer.close()
    before = _held(source / "db")
    assert before[0] and sum(before[2].values()) == 2, before
    if not (_mount("--bind", str(source), str(mount)) and _mount("-o", "remount,bind,ro", str(mount))):
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)
        pytest.skip("a read-only bind mount needs root and mount(8)")
    try:
        logs.clear()
        r = Route(route, persist_directory=mount / "db")
        try:
            hits = serve(r, HITS)
            served = serve(r, CALLS)
            warnings = store_warnings(logs.records)
        finally:
            r.close()
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)
    assert_hits(hits)
    assert_policy(served, warnings, kind="read_only")
    after = _held(source / "db")
    assert (after[0], after[2]) == (before[0], before[2]), (before, after)  # consistent, the same entries


# ---------------------------------------------------------------------------------------------------- full disk


def _disk_full_scenario(route: str, directory: str) -> dict[str, Any]:
    """(In a process of its own.) Populate a store on the tmpfs at ``directory``, fill the device, make the three
    calls, then ask for the stored entries again. Returns what was served and the store warnings of the calls."""
    captured: list[logging.LogRecord] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            captured.append(record)

    logging.getLogger().addHandler(Capture(logging.DEBUG))
    logging.getLogger().setLevel(logging.DEBUG)
    r = Route(route, persist_directory=os.path.join(directory, "db"))
    try:
        serve(r, POPULATE)
        with open(os.path.join(directory, "filler"), "wb", buffering=0) as f:  # to the last byte
            for size in (65536, 4096, 512, 1):
                try:
                    while True:
                        f.write(b"\0" * size)
                except OSError:
                    pass
        captured.clear()
        served = serve(r, CALLS)
        warnings = store_warnings(captured)
        hits = serve(r, HITS)
    finally:
        r.close()
    return {"served": served, "warnings": warnings, "hits": hits}


@pytest.mark.parametrize("route", ROUTES)
def test_a_disk_that_fills_up_is_logged_once_the_model_serves_and_the_store_keeps_its_entries(tmp_path: Path, route: str) -> None:
    """Class: the disk under an open store fills up (3 MiB tmpfs filled to the last byte). Three calls whose answers
    cannot be written: each answered by the model at once, one warning of kind disk_full (the SQLite files and
    Chroma report it their own ways: one kind); the stored entries are still served on the full disk; once space is
    back, an ordinary open finds a consistent store holding what was stored before."""
    small = tmp_path / "small"
    small.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=3m", "tmpfs", str(small)):
        pytest.skip("a small tmpfs needs root and mount(8)")
    try:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p), "ANONYMIZED_TELEMETRY": "False"}
        proc = subprocess.run(
            [sys.executable, __file__, "disk-full", route, str(small)], capture_output=True, text=True, timeout=300, env=env
        )
        lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT:")]
        assert proc.returncode == 0 and lines, proc.stderr[-3000:]
        result = json.loads(lines[-1][len("RESULT:") :])
        (small / "filler").unlink()
        # an ordinary open (repair_on_open): it reconciles what the full disk left half written
        consistent, summary, held = _held(small / "db", repair_on_open=True)
    finally:
        subprocess.run(["umount", "-l", str(small)], capture_output=True)
    assert_policy(result["served"], result["warnings"], kind="disk_full")
    assert_hits(result["hits"])
    assert consistent, summary
    assert sum(n for c, n in held.items() if c.startswith("index:")) >= 1, held  # the stored equation
    assert sum(n for c, n in held.items() if c.startswith("exact:")) >= 1, held  # the stored haiku


if __name__ == "__main__" and len(sys.argv) == 4 and sys.argv[1] == "disk-full":
    print("RESULT:" + json.dumps(_disk_full_scenario(sys.argv[2], sys.argv[3]), default=str), flush=True)
    os._exit(0)  # never wait for a Chroma thread a full disk left blocked
