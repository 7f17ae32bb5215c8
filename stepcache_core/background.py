"""Background work: loading the embedding model, warming a cache up, writing an entry's vector once the model is
ready. It runs on daemon threads (a process never hangs on it), which the process waits for, within a bound, when it
exits: an entry stored under a placeholder gets its vector, and no thread is cut off inside the store's native code
while the interpreter shuts down (which can crash the exit)."""

from __future__ import annotations

import atexit
import concurrent.futures.process  # noqa: F401  (see below)
import concurrent.futures.thread  # noqa: F401
import os
import threading
import time
from collections.abc import Callable

__all__ = ["start", "drain", "EXIT_WAIT_S"]


def _exit_wait() -> float:
    try:
        return max(0.0, float(os.environ.get("STEPCACHE_EXIT_WAIT_S", "30")))
    except ValueError:  # a malformed setting never breaks the import
        return 30.0


EXIT_WAIT_S = _exit_wait()
"""How long an exiting process waits for background work (``STEPCACHE_EXIT_WAIT_S``; 0 does not wait)."""

# concurrent.futures is imported above, not by a model's loader while the process exits: its import registers an
# exit hook, which Python refuses once exiting (loading the embedding model then fails)
_THREADS: set[threading.Thread] = set()
_LOCK = threading.Lock()


def start(target: Callable[[], None], name: str) -> threading.Thread:
    """Run ``target`` on a daemon thread that :func:`drain` (and the process's exit) waits for."""
    thread = threading.Thread(target=target, name=name, daemon=True)
    with _LOCK:
        _THREADS.difference_update([t for t in _THREADS if not t.is_alive()])
        _THREADS.add(thread)
    thread.start()
    return thread


def drain(timeout_s: float | None = None) -> bool:
    """Wait for the background work started so far, at most ``timeout_s`` (default :data:`EXIT_WAIT_S`) in all;
    whether all of it finished."""
    deadline = time.monotonic() + (EXIT_WAIT_S if timeout_s is None else timeout_s)
    while True:  # work may start more work (a deferred record, then its vector): wait for that too
        with _LOCK:
            pending = [t for t in _THREADS if t.is_alive()]
        if not pending:
            return True
        for thread in pending:
            thread.join(max(0.0, deadline - time.monotonic()))
        if time.monotonic() >= deadline:
            with _LOCK:
                return not any(t.is_alive() for t in _THREADS)


# before the interpreter's own exit hooks (a store's client may close in one of them); ``atexit`` where the threading
# module has no such list
_register = getattr(threading, "_register_atexit", atexit.register)
_register(drain)
