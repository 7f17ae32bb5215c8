"""``StepCacheRunnable``: a model wrapped so every call goes through the full StepCache pipeline."""

from __future__ import annotations

import asyncio
import difflib
import json
import logging
import os
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from langchain_core.language_models import BaseLanguageModel, LanguageModelInput
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, BaseMessageChunk, convert_to_messages
from langchain_core.messages.tool import tool_call_chunk
from langchain_core.outputs import ChatGeneration
from langchain_core.prompt_values import ChatPromptValue, PromptValue, StringPromptValue
from langchain_core.runnables import Runnable, RunnableConfig
from langchain_core.runnables.config import ensure_config, run_in_executor

from stepcache_core import (
    ConfigError,
    EngineConfig,
    GenerationSpec,
    InvalidRequestError,
    Outcome,
    Request,
    Session,
    StepCacheEngine,
    StepCacheError,
    StoreError,
    Trace,
    open_session,
)
from stepcache_core.embed import Embedder
from stepcache_core.integration import LastTrace, call_settings_text, instruction_text, settings_json
from stepcache_core.store import Store
from stepcache_core.tasks import TaskRegistry

from ._convert import (
    Keyed,
    KeyFn,
    declared_identity,
    key_chat,
    key_text,
    message_text,
    model_identity,
    model_limits,
    model_settings,
)
from ._engine import ROUTING, lazy_engine
from ._tools import bound_tools, reframe_tool_call, tool_call_answer, tool_call_generation, tool_target
from .backend import LangChainBackend, is_chat_model

__all__ = ["StepCacheRunnable", "with_step_cache"]

logger = logging.getLogger("stepcache_langchain")

_OPTION_KEYS = {"reuse": "stepcache_reuse", "store": "stepcache_store", "with_trace": "stepcache_trace"}


@dataclass(frozen=True)
class _Options:
    reuse: bool
    store: bool
    with_trace: bool


class StepCacheRunnable(Runnable[LanguageModelInput, Any]):
    """Wraps an LLM or chat model: reuse, patch or generate through ``StepCacheEngine.run``.

    Example::

        from langchain_community.llms import LlamaCpp
        from stepcache_langchain import with_step_cache

        solver = with_step_cache(LlamaCpp(model_path=..., temperature=0), persist_directory="/tmp/sc")
        solver.invoke("Solve for x: 3x + 5 = 20")     # 'x = 5' on the last line (miss: generated, verified)
        solver.invoke("Solve for x: 3x + 7 = 20")     # adapted from the cached steps, no model call
        solver.last_trace["path"]                     # 'reuse'

    Input: a string, a message list or a ``PromptValue``. Output: ``str`` for
    LLMs; ``AIMessage`` for chat models, with the trace dict in
    ``response_metadata["stepcache"]`` and token counts in ``usage_metadata``.
    With ``with_trace=True`` every call returns ``{"output": ..., "trace": {...}}``
    instead. ``last_trace`` always holds the trace of the most recent call
    (shared across threads: prefer ``with_trace`` under concurrency).

    Per call, pass ``reuse=False`` / ``store=False`` / ``with_trace=True`` as
    keyword arguments, or ``config={"configurable": {"stepcache_reuse": False,
    "stepcache_store": False, "stepcache_trace": True}}``. Other keyword arguments
    are the model's, as its own ``invoke`` takes them (``stop=["\\n"]``,
    ``temperature=0``): bound to it for the call, part of the key, and limits a
    reuse is served within.

    How the model is called. On a miss the model gets the caller's input
    unchanged (full message history, system prompt, template), for every task;
    an answer that verifies is served exactly as the model wrote it. One that
    fails is patched through the same model, only from the first failing step
    (a chat model gets an instruction naming the wrong line, a completion LLM
    the task's few-shot framing; ``few_shot=`` overrides), with the task's
    deterministic solver as the last resort. ``stream``: a hit replays the served text as
    chunks; a miss streams the model's own chunks on the caller's input and
    then records the aggregate, which is stored only if it verifies (a
    streamed miss is therefore the model's unverified output). A chat stream
    ends with an empty chunk carrying ``response_metadata["stepcache"]``.

    Errors: invalid prompts raise ``InvalidRequestError``; a failed model
    raises ``BackendError``; if nothing verifies and the task has no
    deterministic solver, ``UnverifiedOutputError``. A store failure is
    logged and the call is served by the model without the cache.
    """

    def __init__(
        self,
        llm: Any,
        *,
        engine: StepCacheEngine | None = None,
        persist_directory: str | os.PathLike[str] | None = None,
        host: str | None = None,
        port: int = 8000,
        tenant: str = "default",
        config: EngineConfig | None = None,
        tasks: TaskRegistry | None = None,
        store: Store | None = None,
        embedder: Embedder | None = None,
        key_fn: KeyFn | None = None,
        model_id: str | None = None,
        task: str | None = None,
        schema: dict[str, Any] | None = None,
        required_keys: Sequence[str] = (),
        reuse: bool = True,
        store_outputs: bool = True,
        with_trace: bool = False,
        forward_max_tokens: bool = False,
        serialize: bool = False,
        few_shot: bool | None = None,
        warm: bool = False,
    ) -> None:
        _require_model(llm)
        self.llm = llm
        self._lazy = lazy_engine(locals())
        if warm:
            self._lazy.warm_in_background()
        else:  # the store opens while the app starts: a first call waits only for what is left of it
            self._lazy.open_in_background()
        self.tenant = tenant
        self.key_fn = key_fn
        self._model_id = model_id
        # every field the model holds when wrapped (a call counter too, so not read again: see ``model_id``)
        self._wrapped_id = model_identity(llm)
        self._declared_id = declared_identity(llm)
        self.task = task
        self.schema = schema
        self.required_keys = tuple(required_keys)
        self.chat = is_chat_model(llm)
        self.defaults = _Options(reuse, store_outputs, with_trace)
        self.backend = LangChainBackend(llm, forward_max_tokens=forward_max_tokens, serialize=serialize, few_shot=few_shot)
        self.tool_params = bound_tools(llm) if self.chat else None
        self._last = LastTrace()

    @property
    def engine(self) -> StepCacheEngine:
        return self._lazy.get()

    @property
    def last_trace(self) -> dict[str, Any] | None:
        """The trace of this thread's most recent call (see :class:`~stepcache_core.integration.LastTrace`); every
        response also carries it (``with_trace``, or a message's ``response_metadata["stepcache"]``)."""
        return self._last.get()

    @last_trace.setter
    def last_trace(self, trace: dict[str, Any] | None) -> None:
        self._last.set(trace)

    @property
    def model_id(self) -> str:
        """The model's part of the cache key: the ``model_id`` given, else the model with every field it held when
        wrapped and what it declares identifies it now (:func:`declared_identity`: a ``temperature`` or model name
        set after wrapping is another model). Its instructions as they are now are read per call too (see
        :meth:`_settings_context`)."""
        if self._model_id:
            return self._model_id
        now = declared_identity(self.llm)
        return self._wrapped_id if now == self._declared_id else f"{self._wrapped_id}\n{now}"

    def _settings_context(self) -> str:
        # what the model's own settings may tell it ("system_prompt", bound "instructions"), as they are now (a
        # system prompt set after wrapping counts): the requests' context
        settings = model_settings(self.llm)
        said = [instruction_text(settings)]
        while isinstance(settings.get("bound"), dict) and isinstance(settings.get("kwargs"), dict) and len(settings) == 2:
            said.append(call_settings_text(settings["kwargs"]))  # ``bind(round_to=10)``: an argument it is sent
            settings = settings["bound"]
        return "\n\n".join(dict.fromkeys(t for t in said if t))

    def get_name(self, suffix: str | None = None, *, name: str | None = None) -> str:
        return super().get_name(suffix, name=name or "StepCacheRunnable")

    # ------------------------------------------------------------------ helpers
    def _split(self, kwargs: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """(StepCache's own options, the model's call arguments) of a call's keyword arguments: ``stop=[...]``,
        ``temperature=0`` go to the model as its own ``invoke`` takes them. A name that looks like a misspelt
        option ("reuze") raises ``TypeError`` rather than reach the model."""
        model = {k: v for k, v in kwargs.items() if k not in _OPTION_KEYS}
        for name in model:
            close = difflib.get_close_matches(name, _OPTION_KEYS, n=1, cutoff=0.75)
            if close:
                raise TypeError(f"unexpected keyword argument {name!r} (did you mean {close[0]!r}?)")
        return {k: v for k, v in kwargs.items() if k in _OPTION_KEYS}, model

    def _bound(self, model_kwargs: dict[str, Any]) -> StepCacheRunnable:
        """This runnable for one call whose arguments go to the model (``invoke(x, stop=["\\n"])``): the model bound
        to them (``llm.bind(**kwargs)``), so they reach it on a miss and a patch, take part in its key as its own
        settings would, and set the limits a reuse is served within (a stop string, ``max_tokens``). The store,
        the options and ``last_trace`` are shared."""
        try:
            bound = self.llm.bind(**model_kwargs)
        except Exception as e:  # a model that takes no call arguments
            raise TypeError(f"the model does not take these call arguments {sorted(model_kwargs)}: {e}") from e
        clone = object.__new__(StepCacheRunnable)
        clone.__dict__.update(self.__dict__)
        clone.llm = bound
        # the model as it is now (``model_id``: a setting changed after wrapping is another model) and these arguments,
        # a response_format class by its schema
        clone._wrapped_id = settings_json([self.model_id, model_kwargs])
        clone._declared_id = declared_identity(bound)
        if self._model_id:  # a model id the caller gave, with this call's arguments
            clone._model_id = settings_json([self._model_id, model_kwargs])
        clone.backend = LangChainBackend(
            bound,
            forward_max_tokens=self.backend.forward_max_tokens,
            lock=self.backend.lock,
            few_shot=self.backend.few_shot,
        )
        clone.tool_params = bound_tools(bound) if self.chat else None
        return clone

    def _options(self, config: RunnableConfig | None, kwargs: dict[str, Any]) -> _Options:
        unknown = set(kwargs) - set(_OPTION_KEYS)
        if unknown:
            raise TypeError(f"unexpected keyword arguments: {sorted(unknown)}; allowed: {sorted(_OPTION_KEYS)}")
        conf = (config or {}).get("configurable") or {}
        values = {name: bool(kwargs.get(name, conf.get(key, getattr(self.defaults, name)))) for name, key in _OPTION_KEYS.items()}
        return _Options(**values)

    def _key(self, input: LanguageModelInput) -> tuple[Keyed, Any]:
        """(keys, what the model receives for passthrough calls)."""
        pv = _prompt_value(input)
        if self.chat:
            messages = pv.to_messages()
            return key_chat(messages, self.key_fn), messages
        text = pv.to_string()
        return key_text(text, self.key_fn), text

    def _request(self, keyed: Keyed) -> Request:
        return keyed.request(
            tenant=self.tenant,
            model=self.model_id,
            task=self.task,
            settings=self._settings_context(),
            schema=self.schema,
            required_keys=self.required_keys,
            **model_limits(self.llm),  # what the model answers under, as it is now (max_tokens, stop)
        )

    def _run(self, request: Request, passthrough: Any, config: RunnableConfig, opts: _Options) -> Outcome:
        own = self.backend.bind(config=config, passthrough=passthrough)
        # a repeat in a process whose store is still opening: read from the store's index, no wait
        quick = self._lazy.exact(request, ROUTING) if opts.reuse and not self._lazy.built else None
        if quick is not None:
            return quick
        engine = self._lazy.available()
        if engine is None:  # the store cannot be opened: the model answers, as it would without the cache
            completion = own.complete(GenerationSpec(request.prompt))
            trace = replace(Trace.bypass("the store cannot be opened"), backend_calls=1)
            return Outcome(completion.text, (), trace)
        kwargs: dict[str, Any] = dict(backend=self.backend.bind(config=config), passthrough=own, routing=ROUTING)
        try:
            return engine.run(request, reuse=opts.reuse, store=opts.store, **kwargs)
        except StoreError as e:
            self._lazy.failures.report(e, "serving")
            return engine.run(request, reuse=False, store=False, **kwargs)

    def _output(self, text: str, trace: dict[str, Any], opts: _Options) -> Any:
        self.last_trace = trace
        out: Any = text
        if self.chat:
            out = AIMessage(
                content=text,
                response_metadata={"stepcache": trace},
                usage_metadata={
                    "input_tokens": trace.get("prompt_tokens", 0),
                    "output_tokens": trace.get("completion_tokens", 0),
                    "total_tokens": trace.get("prompt_tokens", 0) + trace.get("completion_tokens", 0),
                },
            )
        return {"output": out, "trace": trace} if opts.with_trace else out

    # ------------------------------------------------------------------ public API
    def record(self, input: LanguageModelInput, text: str) -> bool:
        """Verify ``text`` as the answer to ``input`` and store it (e.g. to prime the cache).

        ``False`` when it fails verification; a store failure raises :class:`StoreError`."""
        return self.engine.record(self._request(self._key(input)[0]), text, routing=ROUTING)

    def clear(self) -> None:
        """Remove every entry of the store."""
        self.engine.clear()

    def invoke(self, input: LanguageModelInput, config: RunnableConfig | None = None, **kwargs: Any) -> Any:
        options, model_kwargs = self._split(kwargs)
        if model_kwargs:
            return self._bound(model_kwargs).invoke(input, config, **options)
        opts = self._options(config, kwargs)
        left: list[dict[str, Any] | None] = []

        def call(input: LanguageModelInput, config: RunnableConfig) -> Any:
            out, trace = self._last.traced(self._invoke, input, config, opts)
            left.append(trace)
            return out

        out = self._call_with_config(partial(call), input, config)
        self.last_trace = left[-1] if left else None  # LangChain may run the call elsewhere: the caller keeps it
        return out

    def _invoke(self, input: LanguageModelInput, config: RunnableConfig, opts: _Options) -> Any:
        if self.tool_params is not None:
            return self._invoke_tools(input, config, opts)
        keyed, passthrough = self._key(input)
        outcome = self._run(self._request(keyed), passthrough, config, opts)
        return self._output(outcome.text, outcome.trace.as_dict(), opts)

    async def ainvoke(self, input: LanguageModelInput, config: RunnableConfig | None = None, **kwargs: Any) -> Any:
        out, trace = await run_in_executor(config, partial(self._last.traced, self.invoke, input, config, **kwargs))
        self.last_trace = trace  # the executor ran on another thread
        return out

    def stream(self, input: LanguageModelInput, config: RunnableConfig | None = None, **kwargs: Any) -> Iterator[Any]:
        options, model_kwargs = self._split(kwargs)
        if model_kwargs:
            yield from self._bound(model_kwargs).stream(input, config, **options)
            return
        config = ensure_config(config)
        opts = self._options(config, kwargs)
        if self.tool_params is not None:  # a tool call is one message: served whole, as one chunk
            yield _as_chunk(self._invoke_tools(input, config, opts), opts)
            return
        keyed, passthrough = self._key(input)
        session = self._open_stream(keyed, config, opts)
        if session is None:  # the store cannot be opened: the model's own stream
            for chunk in self.backend.model.stream(passthrough, config):
                yield self._pass_chunk(chunk, opts)
            yield from self._after_stream(Trace.bypass("the store cannot be opened"), opts)
            return
        if session.hit is not None:
            yield from self._replay(session, opts)
            return
        lock = self.backend.lock
        if lock is not None:
            lock.acquire()
        try:
            for chunk in self.backend.model.stream(passthrough, config):
                session.feed(_chunk_text(chunk))
                yield self._pass_chunk(chunk, opts)
        finally:
            if lock is not None:
                lock.release()
        yield from self._after_stream(session.close(), opts)

    async def astream(self, input: LanguageModelInput, config: RunnableConfig | None = None, **kwargs: Any) -> AsyncIterator[Any]:
        options, model_kwargs = self._split(kwargs)
        if model_kwargs:
            async for item in self._bound(model_kwargs).astream(input, config, **options):
                yield item
            return
        config = ensure_config(config)
        opts = self._options(config, kwargs)
        if self.tool_params is not None:
            message, left = await asyncio.to_thread(self._last.traced, self._invoke_tools, input, config, opts)
            self.last_trace = left
            yield _as_chunk(message, opts)
            return
        keyed, passthrough = self._key(input)
        session = await asyncio.to_thread(self._open_stream, keyed, config, opts)
        if session is None:
            async for chunk in self.backend.model.astream(passthrough, config):
                yield self._pass_chunk(chunk, opts)
            for item in self._after_stream(Trace.bypass("the store cannot be opened"), opts):
                yield item
            return
        if session.hit is not None:
            for item in self._replay(session, opts):
                yield item
            return
        async for chunk in self.backend.model.astream(passthrough, config):
            session.feed(_chunk_text(chunk))
            yield self._pass_chunk(chunk, opts)
        trace = await asyncio.to_thread(session.close)
        for item in self._after_stream(trace, opts):
            yield item

    # ------------------------------------------------------------------ tool calls
    def _invoke_tools(self, input: LanguageModelInput, config: RunnableConfig, opts: _Options) -> Any:
        """A model with tools bound (``bind_tools``): with one tool to call (see ``_tools``), its call is checked as
        JSON against the tool's parameters and reused as a tool call; with several, the model decides, uncached.
        On a miss the caller gets the model's own message."""
        assert self.tool_params is not None
        keyed, messages = self._key(input)
        target = tool_target(self.tool_params)
        request: Request | None = None
        if target is not None:
            try:
                request = keyed.request(
                    tenant=self.tenant,
                    model=self.model_id,
                    task="json_extraction",
                    settings=self._settings_context(),
                    schema=target.request_schema,
                    **model_limits(self.llm),
                )
            except InvalidRequestError as e:
                logger.info("stepcache: tool %r not checkable (%s); served by the model", target.name, e)
        if request is None or target is None:
            return self._tool_message(self.backend.model.invoke(messages, config), Trace.bypass("tools: the model chooses"), opts)
        try:
            session = open_session(
                self.engine, request, reuse=opts.reuse, store=opts.store, routing=ROUTING, reframe=reframe_tool_call
            )
        except StepCacheError as e:
            logger.warning("stepcache: tool call not checkable (%s); the model answers", e)
            return self._tool_message(self.backend.model.invoke(messages, config), Trace.bypass(f"tools: {e}"), opts)
        if session.hit is not None:
            trace = session.hit.trace.as_dict()
            served = tool_call_generation(session.hit.frame, trace) if session.hit.frame else None
            if served is not None:
                self.last_trace = trace
                return {"output": served.message, "trace": trace} if opts.with_trace else served.message
            session.decline("cached tool call not reused (its text states the cached arguments, or its frame is unreadable)")
        message = self.backend.model.invoke(messages, config)
        answer = tool_call_answer([ChatGeneration(message=message)], target) if isinstance(message, AIMessage) else None
        usage = getattr(message, "usage_metadata", None) or {}
        trace_value = session.close(
            text=answer[0] if answer else None,
            frame=answer[1] if answer else "",
            prompt_tokens=int(usage.get("input_tokens", 0)),
            completion_tokens=int(usage.get("output_tokens", 0)),
            unusable=None if answer else "not one call of the tool",
        )
        return self._tool_message(message, trace_value, opts)

    def _tool_message(self, message: Any, trace_value: Trace, opts: _Options) -> Any:
        trace = trace_value.as_dict()
        self.last_trace = trace
        if isinstance(message, BaseMessage):
            message = message.model_copy(update={"response_metadata": {**message.response_metadata, "stepcache": trace}})
        return {"output": message, "trace": trace} if opts.with_trace else message

    # ------------------------------------------------------------------ streaming helpers
    def _open_stream(self, keyed: Keyed, config: RunnableConfig, opts: _Options) -> Session | None:
        engine = self._lazy.available()
        if engine is None:
            return None
        return open_session(
            engine,
            self._request(keyed),
            backend=self.backend.bind(config=config),
            reuse=opts.reuse,
            store=opts.store,
            routing=ROUTING,
            streamed=True,
        )

    def _replay(self, session: Session, opts: _Options) -> Iterator[Any]:
        assert session.hit is not None
        trace = session.hit.trace.as_dict()
        self.last_trace = trace
        pieces = session.pieces()
        for i, piece in enumerate(pieces):
            if self.chat:
                meta = {"stepcache": trace} if i == len(pieces) - 1 else {}
                chunk: Any = AIMessageChunk(content=piece, response_metadata=meta)
            else:
                chunk = piece
            yield {"output": chunk, "trace": trace if i == len(pieces) - 1 else None} if opts.with_trace else chunk

    def _pass_chunk(self, chunk: Any, opts: _Options) -> Any:
        out = chunk if self.chat else _chunk_text(chunk)
        return {"output": out, "trace": None} if opts.with_trace else out

    def _after_stream(self, trace_value: Trace, opts: _Options) -> Iterator[Any]:
        trace = trace_value.as_dict()
        self.last_trace = trace
        if self.chat:
            chunk = AIMessageChunk(content="", response_metadata={"stepcache": trace})
            yield {"output": chunk, "trace": trace} if opts.with_trace else chunk
        elif opts.with_trace:
            yield {"output": "", "trace": trace}


def _prompt_value(input: Any) -> PromptValue:
    if isinstance(input, PromptValue):
        return input
    if isinstance(input, str):
        return StringPromptValue(text=input)
    if isinstance(input, BaseMessage):
        return ChatPromptValue(messages=[input])
    if isinstance(input, Sequence):
        return ChatPromptValue(messages=convert_to_messages(input))
    raise InvalidRequestError(f"expected a string, a message list or a PromptValue, got {type(input).__name__}")


def _as_chunk(served: Any, opts: _Options) -> Any:
    """A whole served message as one chunk (``AIMessageChunk``, tool calls as tool-call chunks)."""
    message = served["output"] if opts.with_trace else served
    if isinstance(message, AIMessage) and not isinstance(message, AIMessageChunk):
        chunks = [
            tool_call_chunk(name=c["name"], args=json.dumps(c["args"], ensure_ascii=False), id=c["id"], index=i)
            for i, c in enumerate(message.tool_calls)
        ]
        message = AIMessageChunk(
            content=message.content,
            additional_kwargs=message.additional_kwargs,
            response_metadata=message.response_metadata,
            tool_call_chunks=chunks,
            usage_metadata=message.usage_metadata,
        )
    return {"output": message, "trace": served["trace"]} if opts.with_trace else message


def _chunk_text(chunk: Any) -> str:
    if isinstance(chunk, BaseMessageChunk | BaseMessage):
        return message_text(chunk)
    return str(chunk)


def _require_model(llm: Any) -> None:
    """Raises :class:`ConfigError` unless ``llm`` is a language model, bound or not (``bind``, ``bind_tools``): a
    chain's identity and output cannot be read (``llm | StrOutputParser()`` and ``with_structured_output`` are
    chains), so two chains would share entries and a parsed object would come back as text."""
    base = llm
    while getattr(base, "bound", None) is not None and hasattr(base, "kwargs"):
        base = base.bound
    if not isinstance(base, BaseLanguageModel):
        raise ConfigError(
            f"StepCacheRunnable wraps a chat model or an LLM (bound or not), got {type(llm).__name__}: put it in the "
            "chain in place of the model (prompt | StepCacheRunnable(model) | parser), or use set_llm_cache"
        )


def with_step_cache(llm: Any, **kwargs: Any) -> StepCacheRunnable:
    """``StepCacheRunnable(llm, **kwargs)``: the model with step-level caching.

    Example::

        cached = with_step_cache(chat_model, persist_directory="/tmp/sc")
        msg = cached.invoke([("system", "You are terse."), ("human", "Solve for x: 2x = 8")])
        msg.response_metadata["stepcache"]["path"]
    """
    return StepCacheRunnable(llm, **kwargs)
