"""A scripted backend for tests: answers from a list or a function, and records every call."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from ..values import Completion, GenerationSpec

__all__ = ["ScriptedBackend"]


class ScriptedBackend:
    """Returns scripted texts in order (or ``respond(spec)``), counting whitespace tokens.

    ``calls`` lists every :class:`GenerationSpec` received. When the script runs
    out it repeats ``default`` (or raises ``AssertionError`` when that is None),
    so a test notices an unexpected model call.
    """

    def __init__(
        self,
        script: Sequence[str] = (),
        *,
        respond: Callable[[GenerationSpec], str] | None = None,
        default: str | None = None,
        name: str = "scripted",
        latency_s: float = 0.0,
    ) -> None:
        self._script = list(script)
        self._respond = respond
        self._default = default
        self.name = name
        self.latency_s = latency_s
        self.calls: list[GenerationSpec] = []
        self._lock = threading.Lock()

    def complete(self, spec: GenerationSpec) -> Completion:
        with self._lock:
            self.calls.append(spec)
            if self._respond is not None:
                text = self._respond(spec)
            elif self._script:
                text = self._script.pop(0)
            elif self._default is not None:
                text = self._default
            else:
                raise AssertionError(f"unexpected backend call ({spec.purpose}): {spec.prompt[-120:]!r}")
        if self.latency_s:
            import time

            time.sleep(self.latency_s)
        return Completion(text, len(spec.prompt.split()), len(text.split()), self.latency_s)
