"""Background work is waited for, within a bound, by :func:`drain` and by the process's exit."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time

from stepcache_core import background


def test_drain_waits_for_started_work_and_reports_what_is_still_running() -> None:
    done = threading.Event()
    background.start(lambda: (time.sleep(0.2), done.set()) and None, "test-short")
    assert background.drain(5) and done.is_set()
    release = threading.Event()
    background.start(lambda: release.wait(10) and None, "test-blocked")
    t = time.monotonic()
    assert background.drain(0.2) is False  # bounded: a blocked thread never holds the caller past the bound
    assert time.monotonic() - t < 2
    release.set()
    assert background.drain(5)


def test_an_exiting_process_finishes_its_background_work_first(tmp_path) -> None:
    """Class: a short script (one call, then exit) whose entry's vector is written in the background."""
    mark = tmp_path / "written"
    code = f"""
        import time
        from stepcache_core import background
        def work():
            time.sleep(0.5)
            open({str(mark)!r}, "w").write("ok")
        background.start(work, "test-exit")
    """
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert mark.read_text() == "ok"
    bounded = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code.replace("0.5", "30"))],
        capture_output=True,
        text=True,
        timeout=60,
        env={**__import__("os").environ, "STEPCACHE_EXIT_WAIT_S": "0.3"},
    )
    assert bounded.returncode == 0  # the exit waits at most STEPCACHE_EXIT_WAIT_S


def test_drain_waits_for_work_that_work_started() -> None:
    """Class: a deferred record that starts its vector's write while the exit is already waiting."""
    done = threading.Event()

    def first() -> None:
        time.sleep(0.1)
        background.start(lambda: (time.sleep(0.2), done.set()) and None, "test-second")

    background.start(first, "test-first")
    assert background.drain(5) and done.is_set()
