"""``StepCacheLLM``: a LlamaIndex LLM that serves through a :class:`StepCacheEngine`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, Callable, Generator, Sequence
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseAsyncGen,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseAsyncGen,
    CompletionResponseGen,
    LLMMetadata,
    MessageRole,
)
from llama_index.core.bridge.pydantic import BaseModel, Field, PrivateAttr
from llama_index.core.callbacks import CallbackManager
from llama_index.core.instrumentation import get_dispatcher  # type: ignore[attr-defined]  # re-exported without __all__
from llama_index.core.llms import LLM
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.llms.function_calling import FunctionCallingLLM
from llama_index.core.llms.llm import ToolSelection
from llama_index.core.prompts import BasePromptTemplate

from stepcache_core import (
    ConfigError,
    EngineConfig,
    Namespace,
    Outcome,
    Routing,
    Session,
    StepCacheEngine,
    StepCacheError,
    Trace,
    UnverifiedOutputError,
    open_session,
)
from stepcache_core.integration import LastTrace, LazyEngine
from stepcache_core.segment import find_json_object
from stepcache_core.tasks import TaskRegistry

from ._convert import (
    JSON_TASK,
    TEXT_TASK,
    Plan,
    UnsupportedContentError,
    limited,
    namespace,
    plan_chat,
    plan_completion,
    plan_structured,
    split_options,
    wrapper_context,
)
from ._stream import aiter_of, atee, inner_errors, make_response, replay, tee
from ._tools import ToolTurn, reframe_tool_call, served_selections, tool_args, tool_call_answer, tool_request
from .backend import LlamaIndexBackend, PassthroughBackend, llm_identity, token_usage

if TYPE_CHECKING:
    from llama_index.core.chat_engine.types import AgentChatResponse
    from llama_index.core.tools import BaseTool

__all__ = ["StepCacheLLM", "UnsupportedContentError", "TEXT_TASK", "JSON_TASK"]

logger = logging.getLogger("stepcache_llamaindex")

_R = TypeVar("_R")

dispatcher = get_dispatcher(__name__)


class StepCacheLLM(FunctionCallingLLM):
    """Wraps any LlamaIndex LLM with StepCache: verified step-level reuse, patching and fallbacks.

    Completions and chats are served by :meth:`StepCacheEngine.run` with the
    inner LLM as backend: on a miss the inner LLM gets the caller's own call
    (messages, system prompt, kwargs) unchanged and an answer that verifies is
    returned as it wrote it; one that fails is patched from its first failing
    step through the same LLM. Each response carries the engine's trace in
    ``additional_kwargs["stepcache"]``. A call with one tool (``chat_with_tools``,
    ``FunctionCallingProgram``, ``predict_and_call``) is served by the
    ``json_extraction`` task with the tool's parameters as schema, and a reuse
    is a tool call again (see ``_tools``); with several tools, or tool results
    in the history, the inner LLM serves the call uncached. Structured
    output (``structured_predict``, ``as_structured_llm``) goes through the
    ``json_extraction`` task with the output class's JSON schema.

    Example::

        from llama_index.core import Settings
        llm = StepCacheLLM(llm=LlamaCPP(model_path=..., temperature=0), persist_directory="./cache")
        r = llm.complete("Solve for x: 3x + 5 = 20")        # miss: the model answers, verified, stored
        r = llm.complete("Solve for x: 3x + 7 = 22")        # reuse: adapted steps, no model call
        r.additional_kwargs["stepcache"]["path"]            # "reuse"
        Settings.llm = llm                                   # drop-in for query engines

    Where entries live: ``persist_directory`` (embedded Chroma, the default
    directory when none is given), ``host``/``port`` (a ``chroma run`` server
    shared by processes), or a ready ``engine``.

    Per-call options (keyword arguments, not passed to the inner LLM):
    ``stepcache_task`` (a task name), ``stepcache_schema`` (JSON Schema for
    ``json_extraction``), ``stepcache_required_keys``, ``stepcache_reuse=False``
    (generate fresh, still verify and store). Prompts longer than
    ``auto_task_max_chars`` are never auto-detected as a structured task (they
    are served as ``text``: reused only for an identical request), so a RAG
    prompt whose context holds an equation is not answered as math.
    """

    tenant: str = Field(default="default", description="Cache partition (user or app).")
    auto_task_max_chars: int = Field(default=1000, description="Longest prompt that task detection looks at.")

    _llm: LLM = PrivateAttr()
    _copied_system_prompt: str | None = PrivateAttr(default=None)
    _lazy: LazyEngine = PrivateAttr()
    _last: LastTrace = PrivateAttr(default_factory=LastTrace)

    def __init__(
        self,
        *,
        llm: LLM,
        persist_directory: str | None = None,
        engine: StepCacheEngine | None = None,
        host: str | None = None,
        port: int = 8000,
        tenant: str = "default",
        config: EngineConfig | None = None,
        tasks: TaskRegistry | None = None,
        callback_manager: CallbackManager | None = None,
        auto_task_max_chars: int = 1000,
        warm: bool = False,
        **kwargs: Any,
    ) -> None:
        if not isinstance(llm, LLM):
            raise ConfigError(f"llm must be a llama_index LLM, got {type(llm).__name__}")
        if isinstance(llm, StepCacheLLM):
            raise ConfigError("llm is already a StepCacheLLM")
        if engine is not None and (persist_directory is not None or config is not None or tasks is not None or host is not None):
            raise ConfigError("pass either engine or persist_directory/host/config/tasks")
        if not isinstance(tenant, str) or not tenant:
            raise ConfigError("tenant must be a non-empty string")
        super().__init__(
            tenant=tenant,
            auto_task_max_chars=auto_task_max_chars,
            callback_manager=callback_manager or llm.callback_manager,
            system_prompt=llm.system_prompt,
            messages_to_prompt=llm.messages_to_prompt,
            completion_to_prompt=llm.completion_to_prompt,
            output_parser=llm.output_parser,
            pydantic_program_mode=llm.pydantic_program_mode,
            **kwargs,
        )
        self._llm = llm
        self._copied_system_prompt = llm.system_prompt
        self._lazy = LazyEngine(
            engine=engine, persist_directory=persist_directory, host=host, port=port, config=config, tasks=tasks
        )
        if warm:
            self._lazy.warm_in_background()
        else:  # the store opens while the app starts: a first call waits only for what is left of it
            self._lazy.open_in_background()

    # ------------------------------------------------------------------ properties
    @classmethod
    def class_name(cls) -> str:
        return "StepCacheLLM"

    def _system_prompt(self) -> str | None:
        """The system prompt LlamaIndex's helpers (``predict``, ``stream``, ``structured_predict``...) put before the
        caller's prompt: the inner LLM's as it is now (one set on it after wrapping is the caller's own), unless
        this wrapper's was set to another since."""
        own = self.system_prompt
        return self._llm.system_prompt if own == self._copied_system_prompt else own

    def _extend_prompt(self, formatted_prompt: str) -> str:
        extended = formatted_prompt
        if system := self._system_prompt():
            extended = system + "\n\n" + extended
        if wrapper := self.query_wrapper_prompt or self._llm.query_wrapper_prompt:  # the inner LLM's, as it is now
            extended = wrapper.format(query_str=extended)
        return extended

    def _extend_messages(self, messages: list[ChatMessage]) -> list[ChatMessage]:
        if system := self._system_prompt():
            return [ChatMessage(role=MessageRole.SYSTEM, content=system), *messages]
        return messages

    @property
    def llm(self) -> LLM:
        """The wrapped LLM."""
        return self._llm

    @property
    def engine(self) -> StepCacheEngine:
        """The core engine (built on first use)."""
        return self._lazy.get()

    @property
    def last_trace(self) -> dict[str, Any] | None:
        """The trace of this thread's last request through the wrapper, e.g. after ``structured_predict`` (see
        :class:`~stepcache_core.integration.LastTrace`); every response also carries it in
        ``additional_kwargs["stepcache"]``."""
        return self._last.get()

    @property
    def metadata(self) -> LLMMetadata:
        return self._llm.metadata

    # ------------------------------------------------------------------ helpers
    def _remember(self, trace: dict[str, Any]) -> dict[str, Any]:
        self._last.set(trace)
        return trace

    async def _in_thread(self, fn: Callable[..., _R], *args: Any) -> _R:
        """``fn(*args)`` on a worker thread; its trace becomes this thread's."""
        result, trace = await asyncio.to_thread(self._last.traced, fn, *args)
        self._last.set(trace)
        return result

    def _bypass(self, result: _R, reason: str) -> _R:
        """The inner LLM answered alone: a response (not a stream) carries the bypass trace."""
        trace = self._remember(Trace.bypass(reason).as_dict())
        if isinstance(result, (ChatResponse, CompletionResponse)):
            result.additional_kwargs["stepcache"] = trace
        return result

    def _namespace(self, mode: str, kwargs: dict[str, Any], history: Any = None) -> Namespace:
        return namespace(self.tenant, self._llm, mode, kwargs, history)

    def _around(self, prompt: str) -> str:
        # read at every call, like the namespace: the inner LLM's system prompt may be set after it was wrapped
        return wrapper_context(self._llm, prompt)

    def _routing(self) -> Routing:
        # a prompt a detected task cannot read, or one too long to be a task (a RAG prompt whose context
        # holds an equation), is served as exact-match text
        return Routing(text_fallback=True, detect_max_chars=self.auto_task_max_chars, fallback_task=TEXT_TASK)

    def _run(self, plan: Plan, own_call: Callable[[], Any], method: Callable[..., Any] | None = None) -> tuple[Outcome, Any]:
        """Served by the engine; a miss makes the caller's ``own_call``, whose response comes back with the
        outcome (``None`` when no model call answered). ``method``: the inner LLM's method ``own_call`` calls, which
        corroboration probes call with the question reworded (see :meth:`Plan.reworded`)."""
        assert plan.request is not None
        # the call as made now: a chat loop appends the reply to its list after the call, before a probe rewords it
        made = replace(plan, args=tuple(list(a) if isinstance(a, list) else a for a in plan.args))

        def reword(asked: str, question: str) -> Callable[[], Any] | None:
            again = made.reworded(asked, question) if method is not None else None
            return None if again is None or method is None else partial(again.call, method)

        passthrough = PassthroughBackend(f"llamaindex:{llm_identity(self._llm)}", own_call, reword)
        outcome = self.engine.run(
            limited(plan, self._llm),
            backend=LlamaIndexBackend(self._llm),
            passthrough=passthrough,
            reuse=plan.reuse,
            routing=self._routing(),
        )
        self._remember(outcome.trace.as_dict())
        return outcome, passthrough.response if outcome.trace.backend_calls else None

    def _serve(self, plan: Plan, method: Callable[..., Any], chat: bool) -> Any:
        """A completion or chat: ``method`` is the inner LLM's same method, the caller's own call on a miss."""
        if plan.request is None:
            return self._bypass(plan.call(method), plan.bypass)
        # a repeat in a process whose store is still opening: read from the store's index, no wait
        quick = self._lazy.exact(plan.request, self._routing()) if plan.reuse and not self._lazy.built else None
        if quick is not None:
            self._remember(quick.trace.as_dict())
            outcome, response = quick, None
        elif self._lazy.available() is None:
            return self._bypass(plan.call(method), "the store cannot be opened")
        else:
            outcome, response = self._run(plan, partial(plan.call, method), method)
        if response is None:
            response = make_response(chat, outcome.text, None)
        elif not chat:  # the model's own response on a miss (raw, logprobs...), with the text as stored, so a hit reads the same
            response.text = outcome.text
        elif response.message.content != outcome.text:
            try:
                response.message.content = outcome.text
            except ValueError:  # a message with non-text blocks (thinking...): a plain one
                response = ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=outcome.text), raw=response.raw)
        response.additional_kwargs["stepcache"] = outcome.trace.as_dict()
        return response

    def _close(self, session: Session, response: Any, **close: Any) -> Any:
        """End a miss (:meth:`Session.close` with the response's token usage); the response carries the trace."""
        p, c = token_usage(response)
        trace = session.close(prompt_tokens=p, completion_tokens=c, **close)
        response.additional_kwargs["stepcache"] = self._remember(trace.as_dict())
        return response

    # ------------------------------------------------------------------ streams
    def _open_stream(self, plan: Plan) -> Session:
        assert plan.request is not None
        backend = LlamaIndexBackend(self._llm)
        session = open_session(
            self.engine, limited(plan, self._llm), backend=backend, reuse=plan.reuse, routing=self._routing(), streamed=True
        )
        if session.hit is not None:
            self._remember(session.hit.trace.as_dict())
        return session

    def _close_stream(self, session: Session, chat: bool, last: Any) -> Any:
        out = last if last is not None else make_response(chat, "")
        return self._close(session, out, text=session.text or (out.message.content if chat else out.text) or "")

    def _stream(self, plan: Plan, method: Callable[..., Any], chat: bool) -> Any:
        """A hit replayed, or the inner LLM's own stream (``method``), recorded when it ends."""
        if plan.request is None:
            return self._bypass(plan.call(method), plan.bypass)
        if self._lazy.available() is None:
            return self._bypass(plan.call(method), "the store cannot be opened")
        session = self._open_stream(plan)
        if session.hit is not None:
            return replay(session, chat)
        name = llm_identity(self._llm)
        with inner_errors(name):
            stream = plan.call(method)
        return tee(session, stream, partial(self._close_stream, session, chat), name)

    async def _astream(self, plan: Plan, method: Callable[..., Any], chat: bool) -> Any:
        if plan.request is None:
            return self._bypass(await plan.call(method), plan.bypass)
        if await asyncio.to_thread(self._lazy.available) is None:
            return self._bypass(await plan.call(method), "the store cannot be opened")
        session = await asyncio.to_thread(self._open_stream, plan)
        if session.hit is not None:
            return aiter_of(replay(session, chat))
        name = llm_identity(self._llm)
        with inner_errors(name):
            stream = await plan.call(method)
        return atee(session, stream, partial(self._close_stream, session, chat), name)

    # ------------------------------------------------------------------ completion and chat
    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        return self._serve(
            plan_completion(prompt, formatted, kwargs, self._namespace, self._around), self._llm.complete, chat=False
        )

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        return self._stream(
            plan_completion(prompt, formatted, kwargs, self._namespace, self._around), self._llm.stream_complete, chat=False
        )

    @llm_completion_callback()
    async def acomplete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        plan = plan_completion(prompt, formatted, kwargs, self._namespace, self._around)
        if plan.request is None:
            return self._bypass(await plan.call(self._llm.acomplete), plan.bypass)
        return await self._in_thread(self._serve, plan, self._llm.complete, False)

    @llm_completion_callback()
    async def astream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseAsyncGen:
        plan = plan_completion(prompt, formatted, kwargs, self._namespace, self._around)
        return await self._astream(plan, self._llm.astream_complete, chat=False)

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        return self._serve(plan_chat(messages, kwargs, self._namespace, self._around), self._llm.chat, chat=True)

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        return self._stream(plan_chat(messages, kwargs, self._namespace, self._around), self._llm.stream_chat, chat=True)

    @llm_chat_callback()
    async def achat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        plan = plan_chat(messages, kwargs, self._namespace, self._around)
        if plan.request is None:
            return self._bypass(await plan.call(self._llm.achat), plan.bypass)
        return await self._in_thread(self._serve, plan, self._llm.chat, True)

    @llm_chat_callback()
    async def astream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseAsyncGen:
        return await self._astream(plan_chat(messages, kwargs, self._namespace, self._around), self._llm.astream_chat, chat=True)

    # ------------------------------------------------------------------ structured output
    def _structured_impl(
        self,
        output_cls: type[BaseModel],
        prompt: BasePromptTemplate,
        llm_kwargs: dict[str, Any] | None,
        prompt_args: dict[str, Any],
    ) -> BaseModel:
        plan = plan_structured(output_cls, prompt, llm_kwargs, prompt_args, self._namespace, self._around)

        # on a miss the inner LLM does what the caller asked of it: its own structured_predict (tool calling,
        # or its output parser's prompt), whose object is then verified like any answer
        def own_call() -> Any:
            try:
                return plan.call(self._llm.structured_predict)
            except (ValueError, TypeError) as e:  # its parser could not read the model: an answer that fails
                logger.info("stepcache: the inner structured_predict failed (%s); the engine repairs it", e)
                return CompletionResponse(text="")

        outcome, _ = self._run(plan, own_call)
        try:
            return output_cls.model_validate(find_json_object(outcome.text))
        except Exception as e:  # pydantic-only constraints the JSON Schema did not carry
            raise UnverifiedOutputError(JSON_TASK, f"output is not a valid {output_cls.__name__}: {e}", outcome.text) from e

    @dispatcher.span
    def structured_predict(
        self, output_cls: type[Any], prompt: BasePromptTemplate, llm_kwargs: dict[str, Any] | None = None, **prompt_args: Any
    ) -> Any:
        """Served by the ``json_extraction`` task: the output is verified against ``output_cls``'s schema and grounded in the prompt."""
        return self._structured_impl(output_cls, prompt, llm_kwargs, prompt_args)

    @dispatcher.span
    async def astructured_predict(
        self, output_cls: type[Any], prompt: BasePromptTemplate, llm_kwargs: dict[str, Any] | None = None, **prompt_args: Any
    ) -> Any:
        return await self._in_thread(self._structured_impl, output_cls, prompt, llm_kwargs, prompt_args)

    @dispatcher.span
    def stream_structured_predict(
        self, output_cls: type[Any], prompt: BasePromptTemplate, llm_kwargs: dict[str, Any] | None = None, **prompt_args: Any
    ) -> Generator[Any, None, None]:
        """Yields the one verified object (a verified result cannot be streamed partially)."""
        yield self._structured_impl(output_cls, prompt, llm_kwargs, prompt_args)

    @dispatcher.span
    async def astream_structured_predict(
        self, output_cls: type[Any], prompt: BasePromptTemplate, llm_kwargs: dict[str, Any] | None = None, **prompt_args: Any
    ) -> AsyncGenerator[Any, None]:
        result = await self._in_thread(self._structured_impl, output_cls, prompt, llm_kwargs, prompt_args)
        return aiter_of([result])

    # ------------------------------------------------------------------ tools
    # One tool: its arguments are JSON the json_extraction task checks (see ``_tools``); a reuse is served as a
    # tool call. Several tools, tool results in the history, or anything else: the inner LLM decides and calls,
    # with the caller's arguments as given (so every signature the inner LLM accepts works here too). The four
    # tool methods take FunctionCallingLLM's own signature (bound by ``tool_args``, not restated four times) and
    # go through ``_tool_turn`` and ``_tool_done``, differing only in how they wait.
    def _function_calling_llm(self) -> FunctionCallingLLM:
        if not isinstance(self._llm, FunctionCallingLLM):
            raise ConfigError(f"the inner LLM ({type(self._llm).__name__}) does not support function calling")
        return self._llm

    def _tool_turn(self, method: str, tools: Sequence[BaseTool], call: dict[str, Any], streamed: bool = False) -> ToolTurn:
        """How a tool method's call (its arguments, StepCache's options included) is served."""
        options, args = split_options(call)
        own = partial(getattr(self._function_calling_llm(), method), tools, **args)
        turn = ToolTurn(own, method, llm_identity(self._llm))
        try:
            planned = tool_request(tools, args, self._namespace, self._around)
            if planned is None:
                return turn
            reuse = options.get("stepcache_reuse", True)
            session = open_session(
                self.engine, planned[0], routing=self._routing(), reframe=reframe_tool_call, reuse=reuse, streamed=streamed
            )
        except StepCacheError as e:  # a request the engine cannot take (a recursive schema...): uncached
            logger.info("stepcache: tool call not checkable (%s); the inner LLM answers", e)
            return turn
        turn = turn.served_by(session, planned[1])
        if turn.hit is not None:
            self._remember(turn.hit.additional_kwargs["stepcache"])
        return turn

    def _tool_done(self, turn: ToolTurn, response: Any) -> Any:
        """Keep the inner LLM's answer if it is one call of the tool and it verifies; the response carries the trace."""
        if turn.session is None or turn.tool is None:
            return self._bypass(response, turn.method)
        response = response if response is not None else make_response(True, "")
        return self._close(turn.session, response, **tool_call_answer(self._function_calling_llm(), response, turn.tool))

    def chat_with_tools(self, tools: Sequence[BaseTool], *args: Any, **kwargs: Any) -> ChatResponse:
        turn = self._tool_turn("chat_with_tools", tools, tool_args(tools, args, kwargs))
        if turn.hit is not None:
            return turn.hit
        return self._tool_done(turn, turn.run())

    async def achat_with_tools(self, tools: Sequence[BaseTool], *args: Any, **kwargs: Any) -> ChatResponse:
        turn = await self._in_thread(self._tool_turn, "achat_with_tools", tools, tool_args(tools, args, kwargs))
        if turn.hit is not None:
            return turn.hit
        return await self._in_thread(self._tool_done, turn, await turn.arun())

    def stream_chat_with_tools(self, tools: Sequence[BaseTool], *args: Any, **kwargs: Any) -> ChatResponseGen:
        """A hit is one response holding the whole call; a miss streams the inner LLM's chunks and records the last."""
        turn = self._tool_turn("stream_chat_with_tools", tools, tool_args(tools, args, kwargs), streamed=True)
        if turn.hit is not None:
            return (r for r in [turn.hit])
        if turn.session is None:
            return self._bypass(turn.run(), turn.method)
        return tee(turn.session, turn.run(), partial(self._tool_done, turn), turn.backend)

    async def astream_chat_with_tools(self, tools: Sequence[BaseTool], *args: Any, **kwargs: Any) -> ChatResponseAsyncGen:
        turn = await asyncio.to_thread(self._tool_turn, "astream_chat_with_tools", tools, tool_args(tools, args, kwargs), True)
        if turn.hit is not None:
            return aiter_of([turn.hit])
        if turn.session is None:
            return self._bypass(await turn.arun(), turn.method)
        return atee(turn.session, await turn.arun(), partial(self._tool_done, turn), turn.backend)

    def _prepare_chat_with_tools(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return self._function_calling_llm()._prepare_chat_with_tools(*args, **kwargs)

    def get_tool_calls_from_response(
        self, response: ChatResponse, error_on_no_tool_call: bool = True, **kwargs: Any
    ) -> list[ToolSelection]:
        """A response this cache served carries its call as a ``ToolCallBlock``; any other is the inner LLM's to read."""
        served = served_selections(response)
        if served is not None:
            return served
        return self._function_calling_llm().get_tool_calls_from_response(
            response, error_on_no_tool_call=error_on_no_tool_call, **kwargs
        )

    def _calls_functions(self) -> bool:
        return isinstance(self._llm, FunctionCallingLLM) and self._llm.metadata.is_function_calling_model

    def predict_and_call(self, *args: Any, **kwargs: Any) -> AgentChatResponse:
        """A function-calling inner LLM: FunctionCallingLLM's own loop over ``chat_with_tools`` and
        ``get_tool_calls_from_response`` above, so a one-tool call (``FunctionCallingProgram``) is served from the
        cache. Any other inner LLM runs its own ``predict_and_call`` (a ReAct loop), uncached."""
        if self._calls_functions():
            return super().predict_and_call(*args, **kwargs)
        self._bypass(None, "predict_and_call")
        return self._llm.predict_and_call(*args, **kwargs)

    async def apredict_and_call(self, *args: Any, **kwargs: Any) -> AgentChatResponse:
        if self._calls_functions():
            return await super().apredict_and_call(*args, **kwargs)
        self._bypass(None, "apredict_and_call")
        return await self._llm.apredict_and_call(*args, **kwargs)
