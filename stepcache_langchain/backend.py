"""``LangChainBackend``: any LangChain LLM or chat model as a StepCache core backend."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import Any

from langchain_core.language_models import BaseChatModel, BaseLanguageModel, BaseLLM
from langchain_core.messages import BaseMessage, HumanMessage
from langchain_core.runnables import Runnable, RunnableConfig

from stepcache_core import Completion, GenerationSpec

from ._convert import message_text, model_identity, reworded_input, sha

__all__ = ["LangChainBackend", "is_chat_model", "without_cache"]


def is_chat_model(llm: Any) -> bool:
    bound = getattr(llm, "bound", None)
    return isinstance(llm, BaseChatModel) or (bound is not None and is_chat_model(bound))


def without_cache(llm: Any) -> Any:
    """A shallow copy of ``llm`` that bypasses LangChain's LLM cache (so StepCache never calls itself)."""
    if isinstance(llm, BaseLanguageModel):
        return llm if llm.cache is False else llm.model_copy(update={"cache": False})
    bound = getattr(llm, "bound", None)
    if bound is not None and isinstance(llm, Runnable) and hasattr(llm, "model_copy"):
        return llm.model_copy(update={"bound": without_cache(bound)})
    return llm


def _split_stop(model: Any) -> tuple[Any, list[str]]:
    """(a copy without its own ``stop`` field, that stop list) for models with default stop sequences.

    Some LLMs (``LlamaCpp``) refuse a per-call ``stop`` when they have a default
    one; the engine's stops are then sent merged with the model's own.
    """
    fields = getattr(type(model), "model_fields", None) or {}
    own = getattr(model, "stop", None) if "stop" in fields else None
    if isinstance(own, list | tuple) and own and hasattr(model, "model_copy"):
        return model.model_copy(update={"stop": None}), [str(s) for s in own]
    return model, []


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _usage(mapping: Mapping[str, Any] | None) -> tuple[int, int]:
    if not mapping:
        return 0, 0
    for key in ("token_usage", "usage"):
        inner = mapping.get(key)
        if isinstance(inner, Mapping):
            return _usage(inner)
    prompt = _int(mapping.get("prompt_tokens", mapping.get("input_tokens")))
    completion = _int(mapping.get("completion_tokens", mapping.get("output_tokens")))
    return prompt, completion


class LangChainBackend:
    """Adapts a LangChain LLM or chat model to the core ``Backend`` protocol.

    ``complete(spec)`` sends ``spec.prompt`` (as one human message for chat
    models) with ``stop=spec.stop`` (``forward_stop``) and, if
    ``forward_max_tokens``, ``max_tokens=spec.max_tokens``. Token counts come
    from ``usage_metadata`` (chat) or ``llm_output["token_usage"]`` /
    ``generation_info`` (LLMs), else 0. ``json_schema`` is not forwarded:
    LangChain has no model-agnostic grammar option.

    The model is called through a copy with ``cache=False`` so a global
    ``set_llm_cache(StepCache(...))`` never intercepts patch prompts.
    ``passthrough`` (used by :class:`StepCacheRunnable` on every miss): the
    original LangChain input sent instead of the engine's ``generate``/``regenerate``
    prompt. Patch prompts are instructions for chat models; a completion LLM (or
    ``few_shot=True``) gets the task's few-shot framing of them (``GenerationSpec.base``). A model's own default ``stop`` list
    (``LlamaCpp(stop=[...])``) is merged with the engine's stops. ``serialize=True`` runs one call at a
    time (for in-process models that are not thread-safe, e.g. ``LlamaCpp``).

    Example::

        from langchain_core.language_models import FakeListLLM
        backend = LangChainBackend(FakeListLLM(responses=["3x = 15\\nx = 5"]))
        backend.complete(GenerationSpec("Equation: 3x + 5 = 20\\n")).text
    """

    def __init__(
        self,
        llm: Any,
        *,
        name: str | None = None,
        forward_stop: bool = True,
        forward_max_tokens: bool = False,
        config: RunnableConfig | None = None,
        passthrough: Any = None,
        serialize: bool = False,
        lock: threading.Lock | None = None,
        few_shot: bool | None = None,
    ) -> None:
        self.llm = llm
        # a completion LLM continues the task's few-shot framing of patch prompts; a chat model follows instructions
        self.few_shot = not is_chat_model(llm) if few_shot is None else few_shot
        self.model = without_cache(llm)
        self._stopless, self._own_stop = _split_stop(self.model)
        self.name = name or f"langchain:{type(getattr(llm, 'bound', llm)).__name__}:{sha(model_identity(llm), 16)}"
        self.chat = is_chat_model(llm)
        self.forward_stop = forward_stop
        self.forward_max_tokens = forward_max_tokens
        self.config = config
        self.passthrough = passthrough
        self.lock = lock if lock is not None else (threading.Lock() if serialize else None)

    def bind(self, *, config: RunnableConfig | None = None, passthrough: Any = None) -> LangChainBackend:
        """The same backend for one call: its run config and optional passthrough input."""
        clone = object.__new__(LangChainBackend)
        clone.__dict__.update(self.__dict__)
        clone.config = config
        clone.passthrough = passthrough
        return clone

    def reasking(self, asked: str, question: str) -> LangChainBackend | None:
        """This call (bound with the caller's ``passthrough`` input) with its question ``asked`` reworded to
        ``question``: how corroboration probes are asked (see :class:`~stepcache_core.backends.base.Reasking`), with
        the caller's system prompt, earlier turns, template and run config. ``None`` without a passthrough input, or
        where the question does not stand once in its turn."""
        if self.passthrough is None:
            return None
        payload = reworded_input(self.passthrough, asked, question)
        return None if payload is None else self.bind(config=self.config, passthrough=payload)

    def complete(self, spec: GenerationSpec) -> Completion:
        kwargs: dict[str, Any] = {}
        model = self.model
        if self.passthrough is not None and spec.purpose in ("generate", "regenerate"):
            payload: Any = self.passthrough
        else:
            if self.few_shot:
                spec = spec.for_base_model()
            payload = [HumanMessage(content=spec.prompt)] if self.chat else spec.prompt
            if self.forward_stop and spec.stop:
                kwargs["stop"] = list(dict.fromkeys([*spec.stop, *self._own_stop]))
                model = self._stopless
            if self.forward_max_tokens:
                kwargs["max_tokens"] = spec.max_tokens
        start = time.perf_counter()
        if self.lock is not None:
            with self.lock:
                text, p, c = self._call(model, payload, kwargs)
        else:
            text, p, c = self._call(model, payload, kwargs)
        return Completion(text=text, prompt_tokens=p, completion_tokens=c, latency_s=time.perf_counter() - start)

    def _call(self, model: Any, payload: Any, kwargs: dict[str, Any]) -> tuple[str, int, int]:
        if isinstance(model, BaseLLM) and isinstance(payload, str):
            cfg = self.config or {}
            result = model.generate(
                [payload],
                callbacks=cfg.get("callbacks"),
                tags=cfg.get("tags"),
                metadata=cfg.get("metadata"),
                **kwargs,
            )
            gen = result.generations[0][0]
            p, c = _usage(result.llm_output)
            if not (p or c):
                p, c = _usage(gen.generation_info)
            return gen.text, p, c
        out = model.invoke(payload, self.config, **kwargs)
        if isinstance(out, BaseMessage):
            usage = getattr(out, "usage_metadata", None) or {}
            p, c = _int(usage.get("input_tokens")), _int(usage.get("output_tokens"))
            if not (p or c):
                p, c = _usage(out.response_metadata)
            return message_text(out), p, c
        return str(out), 0, 0
