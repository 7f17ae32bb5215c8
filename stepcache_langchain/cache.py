"""``StepCache``: a LangChain ``BaseCache`` backed by the StepCache engine."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.caches import RETURN_VAL_TYPE, BaseCache
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, Generation
from langchain_core.runnables import Runnable

from stepcache_core import (
    EngineConfig,
    InvalidRequestError,
    Outcome,
    Request,
    StepCacheEngine,
    StepCacheError,
    StoreError,
    background,
)
from stepcache_core.embed import Embedder
from stepcache_core.integration import OPEN_WAIT_S, LastTrace
from stepcache_core.store import Store
from stepcache_core.tasks import TaskRegistry
from stepcache_core.values import Trace

from ._convert import (
    Keyed,
    KeyFn,
    decode_generations,
    encode_generations,
    key_chat,
    key_text,
    parse_chat_prompt,
    served_generations,
)
from ._engine import ROUTING, lazy_engine
from ._tools import (
    ToolTarget,
    invocation_params,
    llm_string_instructions,
    llm_string_limits,
    mentions_tools,
    reframe_tool_call,
    response_schema,
    tool_call_answer,
    tool_call_generation,
    tool_target,
)
from .backend import LangChainBackend

__all__ = ["StepCache"]

# answers recorded once their cache's store is open (see ``StepCache.update``): every cache of the process waits for
# them before it looks up, so a call made after another returned finds its answer, whichever cache recorded it
_PENDING: list[threading.Thread] = []
_PENDING_LOCK = threading.Lock()
_PENDING_WAIT_S = 30.0  # a store that cannot open holds no lookup longer than this

logger = logging.getLogger("stepcache_langchain")


class StepCache(BaseCache):
    """LangChain LLM cache with step-level reuse, verification and selective patching.

    Example::

        from langchain_core.globals import set_llm_cache
        from stepcache_langchain import StepCache

        set_llm_cache(StepCache())                      # embedded Chroma + MiniLM, built on first use
        chain.invoke({"question": "Solve for x: 3x + 5 = 20"})   # miss: the model answers, verified, stored
        chain.invoke({"question": "Solve for x: 3x + 7 = 20"})   # hit: cached steps adapted, no model call

    Keys. Entries are partitioned by ``tenant``, a hash of LangChain's
    ``llm_string`` (model + settings) and the entry kind (``llm`` or ``chat``).
    A chat prompt (``dumps(messages)``) is keyed on the text of its last human
    message; every other message (and non-text content of that message) must
    match exactly: its hash is part of the namespace. ``key_fn(text) -> str``
    optionally picks the question out of a templated prompt (e.g. the text
    after the last ``"Equation:"`` of a few-shot template); the template text
    around it must then match exactly.

    What is stored. For a verifiable task (linear equations, JSON with
    constraints, custom tasks with a verifier) the first generation's text is
    verified and stored only if it passes; a hit returns one ``Generation`` /
    ``ChatGeneration`` whose text is the verified (possibly adapted or patched)
    text, with the trace in ``generation_info["stepcache"]`` (LLMs) or
    ``message.response_metadata["stepcache"]`` (chat). For the exact-match
    ``text`` task the whole ``return_val`` is stored as LangChain-serialized
    JSON and an identical request gets back an equal list (every generation,
    ``generation_info``, message metadata). A prompt a detected task cannot
    parse (e.g. it mentions JSON but carries no schema) falls back to the
    ``text`` task.

    Tool calls and JSON modes. The call's settings in ``llm_string`` are read
    too. When ``bind_tools`` / ``with_structured_output`` leave the model one
    tool (the only one bound, or the one ``tool_choice`` names), an answer
    that is one call of it is checked as JSON against the tool's parameters,
    and every reuse is served as a tool call of the same shape: the recorded
    message with the adapted arguments (also in provider copies: OpenAI raw
    ``tool_calls``, Anthropic ``tool_use`` blocks), a fresh call id and no
    token usage. When the model chooses among several tools, its answers are
    kept for identical requests only. ``response_format={"type":
    "json_schema", ...}`` (OpenAI) and ``format={...}`` (Ollama) give the
    JSON task its schema for text answers.

    Failures never break the caller: any ``StepCacheError`` (store down,
    invalid prompt, ...) in ``lookup`` is a logged miss and in ``update`` a
    logged no-op. Without ``backend`` a cached entry whose adapted steps fail
    verification is a miss; with one (any LangChain LLM/chat model, wrapped in
    :class:`LangChainBackend`, or a core ``Backend``) the failing steps are patched.

    ``clear()`` empties the whole store (all tenants and models).
    """

    def __init__(
        self,
        *,
        persist_directory: str | os.PathLike[str] | None = None,
        engine: StepCacheEngine | None = None,
        host: str | None = None,
        port: int = 8000,
        tenant: str = "default",
        config: EngineConfig | None = None,
        tasks: TaskRegistry | None = None,
        backend: Any = None,
        key_fn: KeyFn | None = None,
        store: Store | None = None,
        embedder: Embedder | None = None,
        warm: bool = False,
    ) -> None:
        self._lazy = lazy_engine(locals())
        self._fresh = self._lazy.fresh  # before anything opens (and creates) the directory
        if warm:
            self._lazy.warm_in_background()
        else:  # the store opens while the app starts; a first call never waits more than OPEN_WAIT_S for a new one
            self._lazy.open_in_background()
        self.tenant = tenant
        self.key_fn = key_fn
        if backend is None or (hasattr(backend, "complete") and hasattr(backend, "name") and not isinstance(backend, Runnable)):
            self.backend = backend
        else:
            self.backend = LangChainBackend(backend)
        self._last = LastTrace()

    @property
    def engine(self) -> StepCacheEngine:
        """The core engine (built on first access)."""
        return self._lazy.get()

    @property
    def last_trace(self) -> dict[str, Any] | None:
        """The trace of this thread's last call through the cache: a hit's, or a miss's once its answer was recorded
        (``recorded`` says whether it was stored). See :class:`~stepcache_core.integration.LastTrace`."""
        return self._last.get()

    @last_trace.setter
    def last_trace(self, trace: dict[str, Any] | None) -> None:
        self._last.set(trace)

    # ------------------------------------------------------------------ keys
    def _keyed(self, prompt: str) -> Keyed:
        messages = parse_chat_prompt(prompt)
        return key_chat(messages, self.key_fn) if messages is not None else key_text(prompt, self.key_fn)

    # ------------------------------------------------------------------ BaseCache
    def _plan(self, prompt: str, llm_string: str) -> _Plan:
        """What the call asks for: its key, its request, and the one tool a tool-call answer may call."""
        keyed = self._keyed(prompt)
        params = invocation_params(llm_string) if keyed.kind == "chat" else {}
        target = tool_target(params)
        if target is not None:
            return _Plan(keyed, keyed.request(tenant=self.tenant, model=llm_string, task="text"), target)
        if params.get("tools") or params.get("functions") or (keyed.kind == "chat" and mentions_tools(llm_string)):
            # the model picks among several tools: identical requests only (see ``_tools``)
            return _Plan(keyed, keyed.request(tenant=self.tenant, model=llm_string, task="text"), None)
        schema = response_schema(params)
        constraints: dict[str, Any] = {"schema": dict(schema)} if schema is not None else {}
        constraints.update(llm_string_limits(llm_string))  # what the model may answer under (max_tokens, stop)
        # what the model's settings tell it ("system_prompt", ".bind(instructions=...)") is read as context
        settings = llm_string_instructions(llm_string)
        return _Plan(keyed, keyed.request(tenant=self.tenant, model=llm_string, settings=settings, **constraints), None)

    def _tool_request(self, plan: _Plan, llm_string: str) -> Request | None:
        assert plan.target is not None
        try:
            # (what the model's settings tell it is read as context here too: "system_prompt='Extract the cheaper
            # item'" beside a tool whose arguments it fills)
            return plan.keyed.request(
                tenant=self.tenant,
                model=llm_string,
                task="json_extraction",
                settings=llm_string_instructions(llm_string),
                schema=plan.target.request_schema,
                **llm_string_limits(llm_string),
            )
        except InvalidRequestError as e:  # a schema the JSON task cannot use: identical requests only
            logger.info("stepcache: tool %r not checkable (%s); identical requests only", plan.target.name, e)
            return None

    def lookup(self, prompt: str, llm_string: str) -> RETURN_VAL_TYPE | None:
        try:
            plan = self._plan(prompt, llm_string)
            for pending in list(_PENDING):  # answers of earlier calls (of any cache), still waiting for a store
                pending.join(_PENDING_WAIT_S)
            # a repeat in a process whose store is still opening: read from the store's index, no wait
            outcome: Outcome | None = None if self._lazy.built else self._lazy.exact(plan.request, ROUTING)
            tool_call = False
            if outcome is None and not self._lazy.wait_open(OPEN_WAIT_S if self._fresh else None):
                # a new store in a fresh process: nothing to find, so the model answers now, recorded once it is open
                self.last_trace = Trace.bypass("the store is still opening").as_dict()
                return None
            engine = self._lazy.available() if outcome is None else None
            if outcome is None and engine is None:
                self.last_trace = Trace.bypass("the store cannot be opened").as_dict()
                return None
            if engine is not None:
                outcome = engine.lookup(plan.request, backend=self.backend, routing=ROUTING)
            if outcome is None and engine is not None and plan.target is not None:
                tool_request = self._tool_request(plan, llm_string)
                if tool_request is None:
                    return None
                outcome = engine.lookup(tool_request, backend=self.backend, routing=ROUTING, reframe=reframe_tool_call)
                tool_call = True
        except StoreError as e:
            self._lazy.failures.report(e, "looking up")
            self.last_trace = Trace(path="miss", task="", verified=False, notes=(f"lookup failed: {e}",)).as_dict()
            return None
        except StepCacheError as e:
            _log_miss(e)
            self.last_trace = Trace(path="miss", task="", verified=False, notes=(f"lookup failed: {e}",)).as_dict()
            return None
        except Exception:
            logger.exception("stepcache: lookup failed; treated as a miss")
            self.last_trace = Trace.bypass("lookup failed").as_dict()
            return None
        if outcome is None:
            self.last_trace = Trace(path="miss", task=plan.request.task or "", verified=False).as_dict()
            return None
        trace = outcome.trace.as_dict()
        self.last_trace = trace
        if outcome.frame or tool_call:
            call = tool_call_generation(outcome.frame, trace)
            if call is None:
                logger.info(
                    "stepcache: cached tool call not reused (its text states the cached arguments, or its frame is unreadable)"
                )
                return None
            return [call]
        if not outcome.trace.verified:
            generations = decode_generations(outcome.text)
            if generations is not None:
                return generations
        return served_generations(plan.keyed.kind, outcome.text, trace)

    def update(self, prompt: str, llm_string: str, return_val: RETURN_VAL_TYPE) -> None:
        try:
            generations = list(return_val)
        except TypeError:  # not a list of generations: said below, never raised into the caller's chain
            generations = []
        if not generations or not all(isinstance(g, Generation) for g in generations):
            logger.warning(
                "stepcache: update ignored: expected a non-empty list of Generation, got %r", type(return_val).__name__
            )
            return
        if not self._lazy.wait_open(0):  # recorded once the store is open; the caller has its answer now
            with _PENDING_LOCK:
                _PENDING[:] = [t for t in _PENDING if t.is_alive()]
                _PENDING.append(background.start(lambda: self._update(prompt, llm_string, generations), "stepcache-record"))
            return
        self._update(prompt, llm_string, generations)

    def _update(self, prompt: str, llm_string: str, generations: list[Generation]) -> None:
        try:
            plan = self._plan(prompt, llm_string)
            engine = self._lazy.available()
            if engine is None:
                return
            answer = tool_call_answer(generations, plan.target) if plan.target is not None else None
            tool_request = self._tool_request(plan, llm_string) if answer is not None else None
            request = engine.resolve(plan.request, routing=ROUTING)
            if answer is not None and tool_request is not None:
                stored = engine.record(tool_request, answer[0], routing=ROUTING, frame=answer[1])
            else:
                stored = self._record(engine, request, generations)
            if not stored:
                logger.debug("stepcache: output not stored (failed verification or store error)")
            self._traced_miss(request.task or "", stored)
        except StoreError as e:
            self._lazy.failures.report(e, "storing")
        except StepCacheError as e:
            logger.warning("stepcache: update skipped: %s", e)
        except Exception:
            logger.exception("stepcache: update failed; nothing stored")

    def _traced_miss(self, task: str, stored: bool) -> None:
        """The miss's trace once its answer is recorded (``recorded`` says whether it was stored). The caller's
        generations are left as the model made them: LangChain returns those very objects to the caller."""
        before = self.last_trace or {}
        notes = tuple(before.get("notes") or ())
        self.last_trace = Trace(path="miss", task=task, verified=False, notes=notes, recorded=stored).as_dict()

    @staticmethod
    def _record(engine: StepCacheEngine, request: Request, generations: Sequence[Generation]) -> bool:
        """``request`` carries its resolved task: a verifiable answer is stored as text, anything else as
        the serialized generations (an identical request gets back an equal list)."""
        profile = engine.tasks.get(request.task or "")
        if profile.verifier is not None:
            return engine.record(request, generations[0].text)
        return engine.record(request, _envelope(generations))

    def clear(self, **kwargs: Any) -> None:
        """Remove every entry of the store (all tenants and models)."""
        self.engine.clear()

    async def alookup(self, prompt: str, llm_string: str) -> RETURN_VAL_TYPE | None:
        value, trace = await asyncio.to_thread(self._last.traced, self.lookup, prompt, llm_string)
        self.last_trace = trace  # set on the worker thread: the caller's thread keeps it too
        return value

    async def aupdate(self, prompt: str, llm_string: str, return_val: RETURN_VAL_TYPE) -> None:
        self.last_trace = (await asyncio.to_thread(self._last.traced, self.update, prompt, llm_string, return_val))[1]

    async def aclear(self, **kwargs: Any) -> None:
        await asyncio.to_thread(self.clear, **kwargs)


@dataclass(frozen=True)
class _Plan:
    keyed: Keyed
    request: Request
    target: ToolTarget | None


def _envelope(generations: Sequence[Generation]) -> str:
    """Serialized generations; if they do not survive a round trip, their texts only (same kinds)."""
    try:
        text = encode_generations(generations)
        if decode_generations(text) == list(generations):
            return text
    except Exception as e:
        logger.debug("stepcache: generations not serializable (%s)", e)
    logger.warning("stepcache: generations do not serialize exactly; caching their text only")
    plain: list[Generation] = [
        ChatGeneration(message=AIMessage(content=g.text)) if isinstance(g, ChatGeneration) else Generation(text=g.text)
        for g in generations
    ]
    return encode_generations(plain)


def _log_miss(e: StepCacheError) -> None:
    if isinstance(e, InvalidRequestError):
        logger.info("stepcache: prompt not cacheable (%s); treated as a miss", e)
    else:
        logger.warning("stepcache: lookup failed (%s); treated as a miss", e)
