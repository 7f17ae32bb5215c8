"""StepCache's one error hierarchy.

Exceptions are for misuse and broken infrastructure; a failed check is a
``Verdict(ok=False)``, never an exception.

    StepCacheError
    ├── ConfigError                  bad constructor argument or unknown task
    ├── InvalidRequestError          the request itself cannot be served
    │   ├── PromptTooLongError
    │   ├── InvalidSchemaError       the JSON Schema does not validate
    │   └── InvalidEquationError     unparsable or degenerate equation
    ├── StoreError                   the cache store failed (path, operation, kind)
    ├── BackendError                 the model backend raised
    │   └── BackendTimeoutError
    └── UnverifiedOutputError        every attempt failed verification
"""

from __future__ import annotations

import logging
import threading

__all__ = [
    "StepCacheError",
    "ConfigError",
    "InvalidRequestError",
    "PromptTooLongError",
    "InvalidSchemaError",
    "InvalidEquationError",
    "ExpressionTooComplexError",
    "StoreError",
    "STORE_ERROR_KINDS",
    "StoreFailures",
    "store_error_kind",
    "BackendError",
    "BackendTimeoutError",
    "UnverifiedOutputError",
]


class StepCacheError(Exception):
    """Root of every error StepCache raises on purpose."""


class ConfigError(StepCacheError, ValueError):
    """A constructor argument, task name or plug-in is invalid."""


class InvalidRequestError(StepCacheError, ValueError):
    """The request cannot be served: empty, binary, malformed constraints."""


class PromptTooLongError(InvalidRequestError):
    def __init__(self, length: int, limit: int) -> None:
        super().__init__(f"prompt has {length} characters; the limit is {limit}")
        self.length = length
        self.limit = limit


class InvalidSchemaError(InvalidRequestError):
    """The JSON Schema given with a request is not a valid schema."""


class InvalidEquationError(InvalidRequestError):
    """The equation in the prompt is unparsable or degenerate (0 = 0, no solution)."""

    def __init__(self, message: str, *, equation: str | None = None) -> None:
        super().__init__(message if equation is None else f"{message}: {equation!r}")
        self.equation = equation


class ExpressionTooComplexError(InvalidEquationError):
    """Math whose evaluation could be expensive (towers, huge exponents, deep nesting): refused unevaluated."""


class StoreError(StepCacheError):
    """The cache store failed. ``location`` names the store (or the file), ``operation`` what failed, and ``kind``
    why, as one of :data:`STORE_ERROR_KINDS`; ``hint`` says what to do about it. :meth:`from_exception` builds one
    from a driver's exception, its kind read from the whole chain of causes (a failed rollback reports the full
    disk that caused it)."""

    def __init__(self, message: str, *, location: str = "", operation: str = "", kind: str = "other") -> None:
        if kind not in STORE_ERROR_KINDS:
            raise ValueError(f"unknown store error kind {kind!r}")
        detail = ", ".join(
            p
            for p in (
                f"kind={kind}" if kind != "other" else "",
                f"store={location}" if location else "",
                f"op={operation}" if operation else "",
            )
            if p
        )
        hint = _HINTS.get(kind, "")
        text = f"{message} ({detail})" if detail else message
        super().__init__(f"{text}: {hint}" if hint else text)
        self.location = location
        self.operation = operation
        self.kind = kind
        self.hint = hint

    @classmethod
    def from_exception(cls, e: BaseException, *, location: str = "", operation: str = "", prefix: str = "") -> StoreError:
        """A typed error for a driver's exception ``e``: the first exception of its chain whose cause is known
        names the kind and the message."""
        chain: list[BaseException] = []
        at: BaseException | None = e
        while at is not None and at not in chain and len(chain) < 8:
            chain.append(at)
            at = at.__cause__ or at.__context__
        for link in chain:
            kind = store_error_kind(link)
            if kind != "other":
                break
        else:
            link, kind = e, "other"
        message = f"{type(link).__name__}: {link}"
        free = _free_bytes(location) if kind == "other" else None
        if free is not None and free < _LOW_SPACE:  # Chroma reports a full disk as a failed compaction
            kind, message = "disk_full", f"{free // 1024} KiB left on the device ({message})"
        return cls(f"{prefix}{message}", location=location, operation=operation, kind=kind)


STORE_ERROR_KINDS = ("disk_full", "read_only", "locked", "malformed", "version_mismatch", "timeout", "unavailable", "other")
"""Why a store failed: the disk is full, the files are read-only, another process holds a lock, a file is damaged,
a file was written by another version, a call did not finish in time, a server cannot be reached, or else."""

_HINTS = {
    "disk_full": "free space on the disk that holds the store; writes succeed again once there is room",
    "read_only": "the store's files cannot be written (read-only mount or permissions); lookups still work",
    "locked": "another process holds the store's lock; the call may succeed when retried",
    "malformed": "a file of the store is damaged; `stepcache store repair --dir <store>` rebuilds its index from the vectors",
    "version_mismatch": "the store was written by another version of chromadb or StepCache; use that version or a new directory",
    "timeout": "the call did not finish within the store's timeout_s",
    "unavailable": "the store's server cannot be reached; check that it runs and its host and port",
}

_KIND_PATTERNS = (
    ("disk_full", ("database or disk is full", "no space left", "disk full", "disk quota exceeded")),
    ("read_only", ("readonly database", "read-only file system", "read-only", "readonly", "permission denied")),
    ("locked", ("database is locked", "database table is locked", "locked")),
    ("malformed", ("malformed", "not a database", "disk image", "corrupt", "database is damaged")),
    ("version_mismatch", ("no such column", "has no column", "no such table", "unsupported version", "migration")),
    ("timeout", ("timed out", "timeout")),
    ("unavailable", ("connection refused", "could not connect", "failed to connect", "max retries", "connecterror")),
)

_LOW_SPACE = 16 * 1024 * 1024
"""A store whose call failed for no reason it names, on a device with less free space than this: a full disk."""


def _free_bytes(location: str) -> int | None:
    """Free bytes on the device of a store's path (``None``: not a local path)."""
    import os
    import shutil

    try:
        path = location
        while path and not os.path.exists(path):
            parent = os.path.dirname(path)
            if parent == path:
                return None
            path = parent
        return shutil.disk_usage(path).free if path else None
    except (OSError, ValueError):
        return None


_ERRNO_KINDS = {28: "disk_full", 122: "disk_full", 30: "read_only", 13: "read_only", 1: "read_only"}


def store_error_kind(e: BaseException) -> str:
    """The kind of one exception (see :data:`STORE_ERROR_KINDS`) from its errno, type and message."""
    if isinstance(e, StoreError):
        return e.kind
    errno = getattr(e, "errno", None)
    if isinstance(errno, int) and errno in _ERRNO_KINDS:
        return _ERRNO_KINDS[errno]
    if isinstance(e, TimeoutError):
        return "timeout"
    if isinstance(e, ConnectionError):
        return "unavailable"
    text = f"{type(e).__name__} {e}".lower()
    for kind, patterns in _KIND_PATTERNS:
        if any(p in text for p in patterns):
            return kind
    return "other"


class BackendError(StepCacheError):
    """The model backend raised while generating."""

    def __init__(self, message: str, *, backend: str = "") -> None:
        super().__init__(f"{message} (backend={backend})" if backend else message)
        self.backend = backend


class BackendTimeoutError(BackendError):
    """The backend did not answer within the configured timeout."""


class UnverifiedOutputError(StepCacheError):
    """No attempt produced output that passed verification; nothing was served or stored.

    ``last_output`` holds the last rejected text and ``reason`` why it failed,
    for debugging only: it must not be shown to users as an answer.
    """

    def __init__(
        self,
        task: str,
        reason: str,
        last_output: str = "",
        *,
        model_calls: int = 0,
        prompt_tokens: int = 0,
        completion_tokens: int = 0,
    ) -> None:
        super().__init__(f"no verified output for task {task!r}: {reason}")
        self.task = task
        self.reason = reason
        self.last_output = last_output
        # what the failed attempts cost, so refusals are counted in token and call budgets
        self.model_calls = model_calls
        self.prompt_tokens = prompt_tokens
        self.completion_tokens = completion_tokens


class StoreFailures:
    """The one store-failure policy of every route: a failing store is logged once per kind of failure (at warning
    level, with what to do), later failures of that kind at debug level, and the call is served by the model."""

    def __init__(self) -> None:
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def mark(self, kind: str) -> None:
        """Count a kind of failure as announced already (the store warned when it opened read-only)."""
        with self._lock:
            self._seen.add(kind)

    def report(self, e: StoreError, doing: str) -> None:
        with self._lock:
            first = e.kind not in self._seen
            self._seen.add(e.kind)
        level = logging.WARNING if first else logging.DEBUG
        logging.getLogger("stepcache_core").log(
            level, "stepcache: the store failed while %s (%s); the model serves the call", doing, e
        )
