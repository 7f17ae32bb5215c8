"""``StepCacheLLM``: a LlamaIndex LLM that serves through a :class:`StepCacheEngine`."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import threading
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast

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
    TextBlock,
    ThinkingBlock,
    ToolCallBlock,
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
    BackendError,
    ConfigError,
    EngineConfig,
    InvalidRequestError,
    InvalidSchemaError,
    Namespace,
    Outcome,
    Request,
    Routing,
    StepCacheEngine,
    StepCacheError,
    StreamSession,
    Trace,
    UnverifiedOutputError,
)
from stepcache_core.engine import LazyEngine
from stepcache_core.segment import find_json_object
from stepcache_core.tasks import TaskRegistry

from ._discover import discover
from ._tools import OneTool, one_tool, reframe_tool_call, served_selections, served_tool_call, tool_call_answer
from .backend import LlamaIndexBackend, PassthroughBackend, llm_identity, token_usage

if TYPE_CHECKING:
    from llama_index.core.chat_engine.types import AgentChatResponse
    from llama_index.core.tools import BaseTool

__all__ = ["StepCacheLLM", "UnsupportedContentError", "TEXT_TASK", "JSON_TASK"]

logger = logging.getLogger("stepcache_llamaindex")


_S = TypeVar("_S")

dispatcher = get_dispatcher(__name__)

TEXT_TASK = "text"
JSON_TASK = "json_extraction"

# keyword arguments that make a call a tool call: never served from the cache
_TOOL_KWARGS = frozenset(
    {"tools", "tool_choice", "functions", "function_call", "tool_required", "allow_parallel_tool_calls", "parallel_tool_calls"}
)
# StepCache's own per-call options (removed before the inner LLM sees the kwargs)
_OPTION_KWARGS = ("stepcache_task", "stepcache_schema", "stepcache_required_keys", "stepcache_reuse")
# fields of the inner LLM that do not change what it generates (left out of the namespace)
_NON_SEMANTIC_FIELDS = {
    "callback_manager",
    "rate_limiter",
    "verbose",
    "api_key",
    "api_base",
    "api_version",
    "base_url",
    "timeout",
    "max_retries",
    "reuse_client",
    "default_headers",
    "model_url",
    "model_kwargs",
    "output_parser",
    "messages_to_prompt",
    "completion_to_prompt",
    "query_wrapper_prompt",
}


class UnsupportedContentError(InvalidRequestError):
    """A chat message holds content StepCache cannot key on (images, audio, documents...)."""


def _digest(value: Any) -> str:
    raw = json.dumps(value, sort_keys=True, ensure_ascii=False, default=lambda o: type(o).__qualname__)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def _llm_settings(llm: LLM) -> Any:
    try:
        data = llm.model_dump(exclude=_NON_SEMANTIC_FIELDS)
    except Exception:  # an LLM whose fields do not serialise: its class is all we key on
        return {}
    gk = data.get("generate_kwargs")
    if isinstance(gk, dict):
        data["generate_kwargs"] = {k: v for k, v in gk.items() if k != "stream"}
    return data


def _is_tool_message(m: ChatMessage) -> bool:
    if m.role in (MessageRole.TOOL, MessageRole.FUNCTION) or m.additional_kwargs.get("tool_calls"):
        return True
    return any(isinstance(b, ToolCallBlock) for b in m.blocks)


def _check_content(messages: Sequence[ChatMessage]) -> None:
    for i, m in enumerate(messages):
        if not isinstance(m, ChatMessage):
            raise UnsupportedContentError(f"message {i} is a {type(m).__name__}, expected a ChatMessage")
        for b in m.blocks:
            if not isinstance(b, (TextBlock, ThinkingBlock, ToolCallBlock)):
                raise UnsupportedContentError(
                    f"message {i} ({m.role.value}) holds a {type(b).__name__}: StepCache serves text only; "
                    "call the inner LLM directly for multimodal requests"
                )


def _inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """Pydantic's ``$defs``/``$ref`` inlined, so sub-schemas of single keys stay self-contained."""
    defs = schema.get("$defs") or schema.get("definitions") or {}

    def walk(node: Any, seen: tuple[str, ...]) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                name = ref.rsplit("/", 1)[-1]
                if name in seen:
                    raise InvalidSchemaError(f"recursive model {name!r} is not supported by the json_extraction task")
                if name not in defs:
                    raise InvalidSchemaError(f"unresolvable $ref {ref!r}")
                merged = {**defs[name], **{k: v for k, v in node.items() if k != "$ref"}}
                return walk(merged, seen + (name,))
            return {k: walk(v, seen) for k, v in node.items() if k not in ("$defs", "definitions")}
        if isinstance(node, list):
            return [walk(v, seen) for v in node]
        return node

    inlined: dict[str, Any] = walk(schema, ())
    return inlined


class _Lag:
    """Holds a stream's responses back by one and feeds their deltas to the session; the inner
    LLM's failures surface as :class:`BackendError`."""

    def __init__(self, session: StreamSession, backend: str) -> None:
        self.session = session
        self.backend = backend
        self.prev: Any = None

    def push(self, chunk: Any) -> list[Any]:
        out = [self.prev] if self.prev is not None else []
        if chunk.delta:
            self.session.feed(chunk.delta)
        self.prev = chunk
        return out

    def __enter__(self) -> _Lag:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: Any) -> None:
        if error is not None and isinstance(error, Exception) and not isinstance(error, StepCacheError):
            raise BackendError(f"{type(error).__name__}: {error}", backend=self.backend) from error


def _completion_text(response: CompletionResponse) -> str | None:
    return response.text


def _chat_text(response: ChatResponse) -> str | None:
    return response.message.content


def _empty_completion() -> CompletionResponse:
    return CompletionResponse(text="", delta="")


def _empty_chat() -> ChatResponse:
    return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=""), delta="")


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
    _lazy: LazyEngine = PrivateAttr()
    _last_trace: dict[str, Any] | None = PrivateAttr(default=None)
    _trace_lock: Any = PrivateAttr(default_factory=threading.Lock)

    def __init__(
        self,
        llm: LLM,
        persist_directory: str | None = None,
        engine: StepCacheEngine | None = None,
        tenant: str = "default",
        config: EngineConfig | None = None,
        tasks: TaskRegistry | None = None,
        callback_manager: CallbackManager | None = None,
        auto_task_max_chars: int = 1000,
        **kwargs: Any,
    ) -> None:
        if not isinstance(llm, LLM):
            raise ConfigError(f"llm must be a llama_index LLM, got {type(llm).__name__}")
        if isinstance(llm, StepCacheLLM):
            raise ConfigError("llm is already a StepCacheLLM")
        if engine is not None and (persist_directory is not None or config is not None or tasks is not None):
            raise ConfigError("pass either engine or persist_directory/config/tasks")
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
        self._lazy = LazyEngine(engine=engine, persist_directory=persist_directory, config=config, tasks=tasks)
        self._last_trace = None
        self._trace_lock = threading.Lock()

    # ------------------------------------------------------------------ properties
    @classmethod
    def class_name(cls) -> str:
        return "StepCacheLLM"

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
        """The trace of the last request this wrapper served (any thread), e.g. after ``structured_predict``."""
        return self._last_trace

    @property
    def metadata(self) -> LLMMetadata:
        return self._llm.metadata

    # ------------------------------------------------------------------ helpers
    def _remember(self, trace: dict[str, Any]) -> dict[str, Any]:
        with self._trace_lock:
            self._last_trace = trace
        return trace

    def _namespace(self, mode: str, kwargs: dict[str, Any], history: Any = None) -> Namespace:
        settings = _digest({"mode": mode, "llm": _llm_settings(self._llm), "kwargs": kwargs, "history": history})
        return Namespace(self.tenant, llm_identity(self._llm), settings)

    def _routing(self) -> Routing:
        # a prompt a detected task cannot read, or one too long to be a task (a RAG prompt whose context
        # holds an equation), is served as exact-match text
        return Routing(text_fallback=True, detect_max_chars=self.auto_task_max_chars, fallback_task=TEXT_TASK)

    def _request(self, text: str, options: dict[str, Any], namespace: Namespace) -> Request:
        schema = options.get("stepcache_schema")
        required = tuple(options.get("stepcache_required_keys") or ())
        task = options.get("stepcache_task") or (JSON_TASK if schema is not None or required else None)
        if isinstance(schema, type) and issubclass(schema, BaseModel):
            schema = _inline_refs(schema.model_json_schema())
        if schema is not None and not isinstance(schema, dict):
            raise InvalidSchemaError(
                f"stepcache_schema must be a JSON Schema dict or a pydantic model, got {type(schema).__name__}"
            )
        key_text: str | None = None
        if schema is None and not required and task in (None, JSON_TASK):
            # LLMTextCompletionProgram and friends append their output parser's schema to the prompt
            found = discover(text)
            if found is not None:
                schema, key_text, task = found.schema, found.text, JSON_TASK
        return Request(
            text,
            task=task,
            schema=schema,
            required_keys=required,
            namespace=namespace,
            key_text=key_text,
        )

    def _run(self, request: Request, reuse: bool, passthrough: PassthroughBackend | None = None) -> Outcome:
        backend = LlamaIndexBackend(self._llm)
        outcome = self.engine.run(request, backend=backend, passthrough=passthrough, reuse=reuse, routing=self._routing())
        self._remember(outcome.trace.as_dict())
        return outcome

    @staticmethod
    def _split_kwargs(kwargs: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        options = {k: kwargs[k] for k in _OPTION_KWARGS if k in kwargs}
        rest = {k: v for k, v in kwargs.items() if k not in _OPTION_KWARGS}
        return options, rest

    def _bypass_trace(self, reason: str) -> dict[str, Any]:
        return self._remember(Trace.bypass(reason).as_dict())

    def _open_stream(self, text: str, options: dict[str, Any], namespace: Namespace) -> StreamSession:
        request = self._request(text, options, namespace)
        session = self.engine.stream(
            request, backend=LlamaIndexBackend(self._llm), reuse=options.get("stepcache_reuse", True), routing=self._routing()
        )
        if session.hit is not None:
            self._remember(session.hit.trace.as_dict())
        return session

    def _finish(self, session: StreamSession, last: Any, text_of: Callable[[Any], str | None], empty: Callable[[], Any]) -> Any:
        """The stream's last response (or an empty one), carrying the trace of the recorded miss."""
        p, c = token_usage(last)
        fallback = (text_of(last) if last is not None else None) or ""
        trace = session.close(text=None if session.text else fallback, prompt_tokens=p, completion_tokens=c)
        out = last if last is not None else empty()
        out.additional_kwargs["stepcache"] = self._remember(trace.as_dict())
        return out

    def _tee(
        self, session: StreamSession, stream: Iterator[Any], text_of: Callable[[Any], str | None], empty: Callable[[], Any]
    ) -> Generator[Any, None, None]:
        """The inner LLM's stream, unchanged (each response held back one step, so the last one can
        carry the trace), recorded when it ends."""
        lag = _Lag(session, llm_identity(self._llm))
        with lag:
            for chunk in stream:
                yield from lag.push(chunk)
        yield self._finish(session, lag.prev, text_of, empty)

    async def _atee(
        self, session: StreamSession, stream: AsyncIterator[Any], text_of: Callable[[Any], str | None], empty: Callable[[], Any]
    ) -> AsyncGenerator[Any, None]:
        lag = _Lag(session, llm_identity(self._llm))
        with lag:
            async for chunk in stream:
                for out in lag.push(chunk):
                    yield out
        yield await asyncio.to_thread(self._finish, session, lag.prev, text_of, empty)

    def _open_inner(self, open_stream: Callable[[], _S]) -> _S:
        try:
            return open_stream()
        except StepCacheError:
            raise
        except Exception as e:
            raise BackendError(f"{type(e).__name__}: {e}", backend=llm_identity(self._llm)) from e

    # ------------------------------------------------------------------ completion
    def _complete_impl(self, prompt: str, formatted: bool, kwargs: dict[str, Any]) -> CompletionResponse:
        options, kwargs = self._split_kwargs(kwargs)
        if _TOOL_KWARGS & kwargs.keys():
            response = self._llm.complete(prompt, formatted=formatted, **kwargs)
            response.additional_kwargs["stepcache"] = self._bypass_trace("tool kwargs")
            return response
        request = self._request(prompt, options, self._namespace("complete", {**kwargs, "formatted": formatted}))
        passthrough = PassthroughBackend(
            f"llamaindex:{llm_identity(self._llm)}", lambda: self._llm.complete(prompt, formatted=formatted, **kwargs)
        )
        outcome = self._run(request, options.get("stepcache_reuse", True), passthrough)
        trace = outcome.trace.as_dict()
        if passthrough.response is not None and outcome.trace.backend_calls:
            # the model's own response on a miss (raw, logprobs...), with the text as stored, so a hit reads the same
            response = passthrough.response
            response.text = outcome.text
        else:
            response = CompletionResponse(text=outcome.text)
        response.additional_kwargs["stepcache"] = trace
        return response

    def _replay_completion(self, session: StreamSession) -> CompletionResponseGen:
        assert session.hit is not None
        trace = session.hit.trace.as_dict()
        pieces = session.pieces()
        text = ""
        for i, piece in enumerate(pieces):
            text += piece
            extra = {"stepcache": trace} if i == len(pieces) - 1 else {}
            yield CompletionResponse(text=text, delta=piece, additional_kwargs=extra)

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        return self._complete_impl(prompt, formatted, kwargs)

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        options, kwargs = self._split_kwargs(kwargs)
        if _TOOL_KWARGS & kwargs.keys():
            self._bypass_trace("tool kwargs")
            return self._llm.stream_complete(prompt, formatted=formatted, **kwargs)
        session = self._open_stream(prompt, options, self._namespace("complete", {**kwargs, "formatted": formatted}))
        if session.hit is not None:
            return self._replay_completion(session)
        stream = self._open_inner(lambda: self._llm.stream_complete(prompt, formatted=formatted, **kwargs))
        return self._tee(session, stream, _completion_text, _empty_completion)

    # ------------------------------------------------------------------ chat
    def _chat_plan(
        self, messages: Sequence[ChatMessage], kwargs: dict[str, Any]
    ) -> tuple[str, dict[str, Any], dict[str, Any], Namespace] | None:
        """``None`` when the chat must bypass the cache (tools), else (last user text, options, kwargs, namespace)."""
        options, kwargs = self._split_kwargs(kwargs)
        if not messages:
            raise InvalidRequestError("chat needs at least one message")
        _check_content(messages)
        if _TOOL_KWARGS & kwargs.keys() or any(_is_tool_message(m) for m in messages):
            return None
        last = messages[-1]
        if last.role != MessageRole.USER or not (last.content or "").strip():
            return None  # nothing to key on: an assistant prefill or an empty turn
        history = [[m.role.value, m.content or ""] for m in messages[:-1]]
        return last.content or "", options, kwargs, self._namespace("chat", kwargs, history)

    def _chat_impl(self, messages: Sequence[ChatMessage], kwargs: dict[str, Any]) -> ChatResponse:
        plan = self._chat_plan(messages, kwargs)
        if plan is None:
            response = self._llm.chat(messages, **self._split_kwargs(kwargs)[1])
            response.additional_kwargs["stepcache"] = self._bypass_trace("tool call or non-user last turn")
            return response
        text, options, rest, namespace = plan
        request = self._request(text, options, namespace)
        passthrough = PassthroughBackend(f"llamaindex:{llm_identity(self._llm)}", lambda: self._llm.chat(messages, **rest))
        outcome = self._run(request, options.get("stepcache_reuse", True), passthrough)
        if passthrough.response is not None and outcome.trace.backend_calls:
            response = passthrough.response
            if response.message.content != outcome.text:
                try:
                    response.message.content = outcome.text
                except ValueError:  # a message with non-text blocks (thinking...): a plain one
                    response = ChatResponse(
                        message=ChatMessage(role=MessageRole.ASSISTANT, content=outcome.text), raw=response.raw
                    )
        else:
            response = ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=outcome.text))
        response.additional_kwargs["stepcache"] = outcome.trace.as_dict()
        return response

    def _replay_chat(self, session: StreamSession) -> ChatResponseGen:
        for chunk in self._replay_completion(session):
            yield ChatResponse(
                message=ChatMessage(role=MessageRole.ASSISTANT, content=chunk.text),
                delta=chunk.delta,
                additional_kwargs=chunk.additional_kwargs,
            )

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        return self._chat_impl(messages, kwargs)

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        plan = self._chat_plan(messages, kwargs)
        if plan is None:
            self._bypass_trace("tool call or non-user last turn")
            return self._llm.stream_chat(messages, **self._split_kwargs(kwargs)[1])
        text, options, rest, namespace = plan
        session = self._open_stream(text, options, namespace)
        if session.hit is not None:
            return self._replay_chat(session)
        stream = self._open_inner(lambda: self._llm.stream_chat(messages, **rest))
        return self._tee(session, stream, _chat_text, _empty_chat)

    # ------------------------------------------------------------------ async
    @llm_completion_callback()
    async def acomplete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        if _TOOL_KWARGS & kwargs.keys():
            response = await self._llm.acomplete(prompt, formatted=formatted, **self._split_kwargs(kwargs)[1])
            response.additional_kwargs["stepcache"] = self._bypass_trace("tool kwargs")
            return response
        return await asyncio.to_thread(self._complete_impl, prompt, formatted, kwargs)

    @llm_chat_callback()
    async def achat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        if _TOOL_KWARGS & kwargs.keys():
            response = await self._llm.achat(messages, **self._split_kwargs(kwargs)[1])
            response.additional_kwargs["stepcache"] = self._bypass_trace("tool kwargs")
            return response
        return await asyncio.to_thread(self._chat_impl, messages, kwargs)

    @llm_completion_callback()
    async def astream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseAsyncGen:
        options, rest = self._split_kwargs(kwargs)
        if _TOOL_KWARGS & rest.keys():
            self._bypass_trace("tool kwargs")
            return await self._llm.astream_complete(prompt, formatted=formatted, **rest)
        namespace = self._namespace("complete", {**rest, "formatted": formatted})
        session = await asyncio.to_thread(self._open_stream, prompt, options, namespace)
        if session.hit is not None:
            return _aiter(self._replay_completion(session))
        try:
            stream = await self._llm.astream_complete(prompt, formatted=formatted, **rest)
        except StepCacheError:
            raise
        except Exception as e:
            raise BackendError(f"{type(e).__name__}: {e}", backend=llm_identity(self._llm)) from e
        return self._atee(session, stream, _completion_text, _empty_completion)

    @llm_chat_callback()
    async def astream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseAsyncGen:
        plan = self._chat_plan(messages, kwargs)
        if plan is None:
            self._bypass_trace("tool call or non-user last turn")
            return await self._llm.astream_chat(messages, **self._split_kwargs(kwargs)[1])
        text, options, rest, namespace = plan
        session = await asyncio.to_thread(self._open_stream, text, options, namespace)
        if session.hit is not None:
            return _aiter(self._replay_chat(session))
        try:
            stream = await self._llm.astream_chat(messages, **rest)
        except StepCacheError:
            raise
        except Exception as e:
            raise BackendError(f"{type(e).__name__}: {e}", backend=llm_identity(self._llm)) from e
        return self._atee(session, stream, _chat_text, _empty_chat)

    # ------------------------------------------------------------------ structured output
    def _structured_impl(
        self,
        output_cls: type[BaseModel],
        prompt: BasePromptTemplate,
        llm_kwargs: dict[str, Any] | None,
        prompt_args: dict[str, Any],
    ) -> BaseModel:
        messages = prompt.format_messages(**prompt_args)
        _check_content(messages)
        text = "\n".join(m.content for m in messages if m.content)
        schema = _inline_refs(output_cls.model_json_schema())
        kwargs = dict(llm_kwargs or {})
        options, rest = self._split_kwargs(kwargs)
        namespace = self._namespace("structured", {**rest, "output_cls": output_cls.__name__})
        request = Request(text, task=JSON_TASK, schema=schema, namespace=namespace)
        # on a miss the inner LLM does what the caller asked of it: its own structured_predict (tool calling,
        # or its output parser's prompt), whose object is then verified like any answer
        def own_call() -> Any:
            try:
                return self._llm.structured_predict(output_cls, prompt, llm_kwargs=rest or None, **prompt_args)
            except (ValueError, TypeError) as e:  # its parser could not read the model: an answer that fails
                logger.info("stepcache: the inner structured_predict failed (%s); the engine repairs it", e)
                return CompletionResponse(text="")

        passthrough = PassthroughBackend(f"llamaindex:{llm_identity(self._llm)}", own_call)
        outcome = self._run(request, options.get("stepcache_reuse", True), passthrough)
        obj = find_json_object(outcome.text)
        try:
            return output_cls.model_validate(obj)
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
        return await asyncio.to_thread(self._structured_impl, output_cls, prompt, llm_kwargs, prompt_args)

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
        result = await asyncio.to_thread(self._structured_impl, output_cls, prompt, llm_kwargs, prompt_args)

        async def gen() -> AsyncGenerator[Any, None]:
            yield result

        return gen()

    # ------------------------------------------------------------------ tools
    # One tool: its arguments are JSON the json_extraction task checks (see ``_tools``); a reuse is served as a
    # tool call. Several tools, tool results in the history, or anything else: the inner LLM decides and calls,
    # with the caller's arguments as given (so every signature the inner LLM accepts works here too).
    def _function_calling_llm(self) -> FunctionCallingLLM:
        if not isinstance(self._llm, FunctionCallingLLM):
            raise ConfigError(f"the inner LLM ({type(self._llm).__name__}) does not support function calling")
        return self._llm

    def _tools(self, name: str, *args: Any, **kwargs: Any) -> Any:
        self._bypass_trace(name)
        return getattr(self._function_calling_llm(), name)(*args, **kwargs)

    def _tool_plan(
        self, tools: Sequence[BaseTool], user_msg: str | ChatMessage | None, chat_history: list[ChatMessage] | None, settings: dict[str, Any]
    ) -> _ToolPlan | None:
        """The request for a one-tool call, or ``None`` when the inner LLM must serve it (see above)."""
        tool = one_tool(tools)
        if tool is None:
            return None
        messages = list(chat_history or [])
        if user_msg is not None:
            messages.append(ChatMessage(role=MessageRole.USER, content=user_msg) if isinstance(user_msg, str) else user_msg)
        if not messages or any(not isinstance(m, ChatMessage) or _is_tool_message(m) for m in messages):
            return None
        try:
            _check_content(messages)
            schema = _inline_refs(dict(tool.schema))
        except StepCacheError:
            return None
        last = messages[-1]
        if last.role != MessageRole.USER or not (last.content or "").strip():
            return None
        options, rest = self._split_kwargs(settings)
        history = [[m.role.value, m.content or ""] for m in messages[:-1]]
        namespace = self._namespace("tool", {**rest, "tool": tool.name, "tool_schema": schema}, history)
        return _ToolPlan(Request(last.content or "", task=JSON_TASK, schema=schema, namespace=namespace), tool, options)

    def _tool_hit(self, plan: _ToolPlan) -> ChatResponse | None:
        if not plan.options.get("stepcache_reuse", True):
            return None
        try:
            outcome = self.engine.lookup(plan.request, routing=self._routing(), reframe=reframe_tool_call)
        except StepCacheError as e:
            logger.warning("stepcache: tool-call lookup failed (%s); the inner LLM answers", e)
            return None
        if outcome is None or not outcome.frame:
            return None
        trace = outcome.trace.as_dict()
        served = served_tool_call(outcome.frame, outcome.text, trace)
        if served is not None:
            self._remember(trace)
        return served

    def _tool_record(self, plan: _ToolPlan, response: Any, t0: float) -> None:
        """Keep the inner LLM's answer if it is one call of the tool and it verifies; the trace goes on the response."""
        stored = False
        note = "not one call of the tool"
        try:
            selections = self._function_calling_llm().get_tool_calls_from_response(response, error_on_no_tool_call=False)
            answer = tool_call_answer(response, selections, plan.tool)
            if answer is not None:
                stored = self.engine.record(plan.request, answer[0], routing=self._routing(), frame=answer[1])
                note = "stored" if stored else "failed verification: not stored"
        except StepCacheError as e:
            note = f"not stored: {e}"
        except Exception as e:  # the inner LLM could not read its own response: nothing to keep
            note = f"tool calls unreadable: {type(e).__name__}: {e}"
        usage = token_usage(response)
        trace = Trace(
            path="miss",
            task=JSON_TASK,
            verified=stored,
            backend_calls=1,
            prompt_tokens=usage[0],
            completion_tokens=usage[1],
            latency_s=time.perf_counter() - t0,
            notes=(note,),
            recorded=stored,
        )
        if isinstance(response, ChatResponse):
            response.additional_kwargs["stepcache"] = self._remember(trace.as_dict())

    def _tool_call_kwargs(
        self,
        user_msg: str | ChatMessage | None,
        chat_history: list[ChatMessage] | None,
        verbose: bool,
        allow_parallel_tool_calls: bool,
        tool_required: bool,
        kwargs: dict[str, Any],
    ) -> dict[str, Any]:
        """The inner LLM's arguments: the caller's, without StepCache's own options."""
        return dict(
            user_msg=user_msg,
            chat_history=chat_history,
            verbose=verbose,
            allow_parallel_tool_calls=allow_parallel_tool_calls,
            tool_required=tool_required,
            **self._split_kwargs(kwargs)[1],
        )

    def chat_with_tools(
        self,
        tools: Sequence[BaseTool],
        user_msg: str | ChatMessage | None = None,
        chat_history: list[ChatMessage] | None = None,
        verbose: bool = False,
        allow_parallel_tool_calls: bool = False,
        tool_required: bool = False,
        **kwargs: Any,
    ) -> ChatResponse:
        plan = self._tool_plan(tools, user_msg, chat_history, {**kwargs, "tool_required": tool_required})
        call = self._tool_call_kwargs(user_msg, chat_history, verbose, allow_parallel_tool_calls, tool_required, kwargs)
        if plan is None:
            return cast(ChatResponse, self._tools("chat_with_tools", tools, **call))
        hit = self._tool_hit(plan)
        if hit is not None:
            return hit
        t0 = time.perf_counter()
        inner = self._function_calling_llm()
        response = self._open_inner(lambda: inner.chat_with_tools(tools, **call))
        self._tool_record(plan, response, t0)
        return response

    async def achat_with_tools(
        self,
        tools: Sequence[BaseTool],
        user_msg: str | ChatMessage | None = None,
        chat_history: list[ChatMessage] | None = None,
        verbose: bool = False,
        allow_parallel_tool_calls: bool = False,
        tool_required: bool = False,
        **kwargs: Any,
    ) -> ChatResponse:
        plan = self._tool_plan(tools, user_msg, chat_history, {**kwargs, "tool_required": tool_required})
        call = self._tool_call_kwargs(user_msg, chat_history, verbose, allow_parallel_tool_calls, tool_required, kwargs)
        if plan is None:
            return cast(ChatResponse, await self._tools("achat_with_tools", tools, **call))
        hit = await asyncio.to_thread(self._tool_hit, plan)
        if hit is not None:
            return hit
        t0 = time.perf_counter()
        try:
            response = await self._function_calling_llm().achat_with_tools(tools, **call)
        except StepCacheError:
            raise
        except Exception as e:
            raise BackendError(f"{type(e).__name__}: {e}", backend=llm_identity(self._llm)) from e
        await asyncio.to_thread(self._tool_record, plan, response, t0)
        return response

    def stream_chat_with_tools(
        self,
        tools: Sequence[BaseTool],
        user_msg: str | ChatMessage | None = None,
        chat_history: list[ChatMessage] | None = None,
        verbose: bool = False,
        allow_parallel_tool_calls: bool = False,
        tool_required: bool = False,
        **kwargs: Any,
    ) -> ChatResponseGen:
        """A hit is one response holding the whole call; a miss streams the inner LLM's chunks and records the last."""
        plan = self._tool_plan(tools, user_msg, chat_history, {**kwargs, "tool_required": tool_required})
        call = self._tool_call_kwargs(user_msg, chat_history, verbose, allow_parallel_tool_calls, tool_required, kwargs)
        if plan is None:
            return cast(ChatResponseGen, self._tools("stream_chat_with_tools", tools, **call))
        hit = self._tool_hit(plan)
        if hit is not None:
            return _once(hit)
        t0 = time.perf_counter()
        inner = self._function_calling_llm()
        stream = self._open_inner(lambda: inner.stream_chat_with_tools(tools, **call))

        def gen() -> ChatResponseGen:
            last = None
            try:
                for chunk in stream:
                    last = chunk
                    yield chunk
            except StepCacheError:
                raise
            except Exception as e:
                raise BackendError(f"{type(e).__name__}: {e}", backend=llm_identity(self._llm)) from e
            if last is not None:
                self._tool_record(plan, last, t0)

        return gen()

    async def astream_chat_with_tools(
        self,
        tools: Sequence[BaseTool],
        user_msg: str | ChatMessage | None = None,
        chat_history: list[ChatMessage] | None = None,
        verbose: bool = False,
        allow_parallel_tool_calls: bool = False,
        tool_required: bool = False,
        **kwargs: Any,
    ) -> ChatResponseAsyncGen:
        plan = self._tool_plan(tools, user_msg, chat_history, {**kwargs, "tool_required": tool_required})
        call = self._tool_call_kwargs(user_msg, chat_history, verbose, allow_parallel_tool_calls, tool_required, kwargs)
        if plan is None:
            return cast(ChatResponseAsyncGen, await self._tools("astream_chat_with_tools", tools, **call))
        hit = await asyncio.to_thread(self._tool_hit, plan)
        if hit is not None:
            return _aiter(iter([hit]))
        t0 = time.perf_counter()
        try:
            stream = await self._function_calling_llm().astream_chat_with_tools(tools, **call)
        except StepCacheError:
            raise
        except Exception as e:
            raise BackendError(f"{type(e).__name__}: {e}", backend=llm_identity(self._llm)) from e

        async def gen() -> AsyncGenerator[ChatResponse, None]:
            last = None
            try:
                async for chunk in stream:
                    last = chunk
                    yield chunk
            except StepCacheError:
                raise
            except Exception as e:
                raise BackendError(f"{type(e).__name__}: {e}", backend=llm_identity(self._llm)) from e
            if last is not None:
                await asyncio.to_thread(self._tool_record, plan, last, t0)

        return gen()

    def _prepare_chat_with_tools(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return self._function_calling_llm()._prepare_chat_with_tools(*args, **kwargs)

    def get_tool_calls_from_response(self, response: ChatResponse, error_on_no_tool_call: bool = True, **kwargs: Any) -> list[ToolSelection]:
        """A response this cache served carries its call as a ``ToolCallBlock``; any other is the inner LLM's to read."""
        served = served_selections(response)
        if served is not None:
            return served
        return self._function_calling_llm().get_tool_calls_from_response(response, error_on_no_tool_call=error_on_no_tool_call, **kwargs)

    def _calls_functions(self) -> bool:
        return isinstance(self._llm, FunctionCallingLLM) and self._llm.metadata.is_function_calling_model

    def predict_and_call(self, *args: Any, **kwargs: Any) -> AgentChatResponse:
        """A function-calling inner LLM: FunctionCallingLLM's own loop over ``chat_with_tools`` and
        ``get_tool_calls_from_response`` above, so a one-tool call (``FunctionCallingProgram``) is served from the
        cache. Any other inner LLM runs its own ``predict_and_call`` (a ReAct loop), uncached."""
        if self._calls_functions():
            return super().predict_and_call(*args, **kwargs)
        self._bypass_trace("predict_and_call")
        return self._llm.predict_and_call(*args, **kwargs)

    async def apredict_and_call(self, *args: Any, **kwargs: Any) -> AgentChatResponse:
        if self._calls_functions():
            return await super().apredict_and_call(*args, **kwargs)
        self._bypass_trace("apredict_and_call")
        return await self._llm.apredict_and_call(*args, **kwargs)


@dataclass(frozen=True)
class _ToolPlan:
    request: Request
    tool: OneTool
    options: dict[str, Any]


def _once(response: ChatResponse) -> ChatResponseGen:
    yield response


async def _aiter(gen: Iterator[Any]) -> AsyncGenerator[Any, None]:
    for item in gen:
        yield item
