"""The StepCache backend that calls a LlamaIndex LLM."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from llama_index.core.base.llms.types import ChatResponse, CompletionResponse
from llama_index.core.bridge.pydantic import BaseModel
from llama_index.core.llms import LLM

from stepcache_core import Completion, GenerationSpec
from stepcache_core.backends.llamacpp import json_grammar

__all__ = ["LlamaIndexBackend", "PassthroughBackend", "token_usage", "llm_identity"]


def llm_identity(llm: LLM) -> str:
    """``ClassName:model_name``: the model part of a cache namespace."""
    try:
        model_name = str(llm.metadata.model_name)
    except Exception:  # a broken metadata property must not break the identity
        model_name = "unknown"
    return f"{type(llm).__name__}:{model_name}"


def token_usage(response: Any) -> tuple[int, int]:
    """(prompt_tokens, completion_tokens) from a LlamaIndex response, ``(0, 0)`` when it has none.

    Reads ``raw["usage"]`` (llama.cpp, OpenAI-style dicts), ``raw.usage`` (SDK
    objects) and ``additional_kwargs`` (``prompt_tokens``/``completion_tokens``).
    """
    raw = getattr(response, "raw", None)
    usage: Any = None
    if isinstance(raw, dict):
        usage = raw.get("usage")
    elif raw is not None:
        usage = getattr(raw, "usage", None)
    sources = [usage, getattr(response, "additional_kwargs", None)]
    for src in sources:
        if src is None:
            continue
        get = src.get if isinstance(src, dict) else (lambda k, s=src: getattr(s, k, None))
        p, c = get("prompt_tokens"), get("completion_tokens")
        if isinstance(p, int) or isinstance(c, int):
            return (p if isinstance(p, int) else 0, c if isinstance(c, int) else 0)
    return 0, 0


def _response_text(response: Any) -> str:
    if isinstance(response, ChatResponse):
        return response.message.content or ""
    if isinstance(response, CompletionResponse):
        return response.text or ""
    if isinstance(response, BaseModel):  # the inner LLM's own structured_predict: its object, as JSON
        return response.model_dump_json()
    raise TypeError(f"the inner LLM returned {type(response).__name__}, expected a CompletionResponse or ChatResponse")


def _apply_stop(text: str, stop: tuple[str, ...]) -> str:
    """Client-side stop: cut at the first stop sequence (for LLMs that ignore ``stop``)."""
    cut = len(text)
    for s in stop:
        if s:
            i = text.find(s)
            if i != -1:
                cut = min(cut, i)
    return text[:cut]


def _is_llamacpp(llm: LLM) -> bool:
    try:
        from llama_index.llms.llama_cpp import LlamaCPP
    except ImportError:
        return False
    return isinstance(llm, LlamaCPP)


class LlamaIndexBackend:
    """A :class:`stepcache_core.Backend` over any LlamaIndex ``LLM``.

    ``spec.prompt`` goes to ``llm.complete(prompt, formatted=True)``, never wrapped in a
    template: for a chat model (``metadata.is_chat_model``) the spec's instruction, for a
    completion model (or ``few_shot=True``) the task's few-shot framing (``GenerationSpec.base``).
    On a miss :class:`StepCacheLLM` calls the inner LLM with the caller's own call instead. For
    ``LlamaCPP`` the spec's ``max_tokens``, ``stop`` and JSON schema (as a grammar)
    are applied through its ``generate_kwargs`` for the one call; other LLMs get
    their own settings, with ``stop`` applied to the returned text. Token counts
    come from the response's ``raw`` usage where there is one, else 0.

    Example::

        backend = LlamaIndexBackend(LlamaCPP(model_path=..., temperature=0))
        StepCacheEngine(backend=backend).run(Request("Solve for x: 3x + 5 = 20"))
    """

    def __init__(self, llm: LLM, *, use_grammar: bool = True, few_shot: bool | None = None) -> None:
        if not isinstance(llm, LLM):
            raise TypeError(f"expected a llama_index LLM, got {type(llm).__name__}")
        self.llm = llm
        # a completion model (``is_chat_model`` false) continues the task's few-shot framing of patch prompts;
        # a chat model follows its instructions
        self.few_shot = (not _is_chat(llm)) if few_shot is None else few_shot
        self.name = f"llamaindex:{llm_identity(llm)}"
        self._llamacpp = _is_llamacpp(llm)
        self._use_grammar = use_grammar
        self._lock = _LOCKS.setdefault(id(llm), threading.Lock()) if self._llamacpp else None

    def complete(self, spec: GenerationSpec) -> Completion:
        start = time.perf_counter()
        if self.few_shot:
            spec = spec.for_base_model()
        if self._llamacpp:
            response = self._complete_llamacpp(spec)
        else:
            response = self.llm.complete(spec.prompt, formatted=True)
        text = _apply_stop(_response_text(response), spec.stop)
        p, c = token_usage(response)
        return Completion(text, p, c, time.perf_counter() - start)

    def _complete_llamacpp(self, spec: GenerationSpec) -> Any:
        overlay: dict[str, Any] = {"max_tokens": spec.max_tokens, "stop": list(spec.stop) or None}
        if spec.json_schema is not None and self._use_grammar:
            overlay["grammar"] = json_grammar(spec.json_schema)
        gk: dict[str, Any] = self.llm.generate_kwargs  # type: ignore[attr-defined]
        assert self._lock is not None
        with self._lock:
            saved = {k: gk[k] for k in overlay if k in gk}
            gk.update(overlay)
            try:
                return self.llm.complete(spec.prompt, formatted=True)
            finally:
                for k in overlay:
                    gk.pop(k, None)
                gk.update(saved)


def _is_chat(llm: LLM) -> bool:
    try:
        return bool(llm.metadata.is_chat_model)
    except Exception:  # a custom LLM whose metadata needs a live client
        return False


# one lock per llama.cpp model object: its generate_kwargs are shared state
_LOCKS: dict[int, threading.Lock] = {}


class PassthroughBackend:
    """A backend that ignores the engine's prompt and makes the caller's own call.

    It answers every miss: the inner LLM then sees exactly the call the user made (its own
    prompt template, chat messages, kwargs). ``response`` keeps the last
    LlamaIndex response so the wrapper can return it unchanged on a miss.
    """

    def __init__(
        self, name: str, call: Callable[[], Any], reword: Callable[[str, str], Callable[[], Any] | None] | None = None
    ) -> None:
        self.name = name
        self._call = call
        self._reword = reword
        self.response: Any = None

    def reasking(self, asked: str, question: str) -> PassthroughBackend | None:
        """The caller's call with its question ``asked`` reworded to ``question`` (``reword`` makes it): how
        corroboration probes are asked (see :class:`~stepcache_core.backends.base.Reasking`), under the caller's
        system prompt, history and kwargs. A backend of its own: this one's ``response`` stays the caller's."""
        call = self._reword(asked, question) if self._reword is not None else None
        return None if call is None else PassthroughBackend(self.name, call)

    def complete(self, spec: GenerationSpec) -> Completion:
        start = time.perf_counter()
        response = self._call()
        text = _response_text(response)
        self.response = response
        p, c = token_usage(response)
        return Completion(text, p, c, time.perf_counter() - start)
