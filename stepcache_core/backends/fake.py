"""Fakes for tests: a scripted backend (answers from a list or a function, and records every call), and a caller's
own call over it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from ..values import Completion, GenerationSpec
from .base import reworded

__all__ = ["CallersCall", "ScriptedBackend"]


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


class CallersCall:
    """A caller's own call, as an integration hands it to the engine (``passthrough``), for tests: whatever the
    engine's spec says, ``model`` receives the caller's ``context`` (a system prompt, a few-shot template) and
    ``prompt``, joined by a blank line (the prompt alone without a context). It can be reworded
    (:class:`~stepcache_core.backends.base.Reasking`) unless ``rewordable`` is false: a new call with the question
    replaced in ``prompt``, over the same model."""

    def __init__(self, model: ScriptedBackend, prompt: str, context: str = "", *, rewordable: bool = True) -> None:
        self.model = model
        self.name = model.name
        self.prompt = prompt
        self.context = context
        self.rewordable = rewordable

    def complete(self, spec: GenerationSpec) -> Completion:
        sent = f"{self.context}\n\n{self.prompt}" if self.context else self.prompt
        return self.model.complete(GenerationSpec(sent, purpose=spec.purpose))

    def reasking(self, asked: str, question: str) -> CallersCall | None:
        prompt = reworded(self.prompt, asked, question) if self.rewordable else None
        return None if prompt is None else CallersCall(self.model, prompt, self.context)
