"""What the integrations share: an engine built on first use.

The LangChain and LlamaIndex packages convert their framework's types and delegate to the core; the pieces they
both need and that are not a pipeline stage live here (the serving sessions are in :mod:`stepcache_core.serve`).
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from . import background
from .backends.base import reworded
from .config import EngineConfig
from .embed import Embedder
from .engine import StepCacheEngine
from .errors import ConfigError, StepCacheError, StoreError, StoreFailures
from .request import Routing
from .store import ChromaStore, Store, default_directory
from .store.chroma_embedded import EmbeddedChromaStore
from .tasks import TaskRegistry
from .values import Outcome, Request

__all__ = [
    "LastTrace",
    "LazyEngine",
    "StoreFailures",
    "OPEN_WAIT_S",
    "call_settings_text",
    "described_schema",
    "instruction_text",
    "reworded",
    "settings_json",
]

OPEN_WAIT_S = 0.2
"""How long a lookup waits for a new (empty) store still opening in the background before it is a miss: the model
answers, and its answer is recorded once the store is open. A store that holds entries is waited for (a hit is
likely)."""

logger = logging.getLogger("stepcache_core")

_T = TypeVar("_T")


def settings_json(value: Any) -> str:
    """``value`` (a model's settings, a call's keyword arguments) as canonical JSON for a cache key, with what JSON
    cannot hold described by what it is, never only by its type: a pydantic model class by its JSON schema
    (``response_format=Person`` and ``=PersonWithCity`` are other requests), a pydantic object by its fields, a
    class or function by its dotted name, anything else by its ``repr``. Keys of mixed types (``logit_bias`` with
    int and str token ids) are compared as text."""
    try:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=_describe)
    except TypeError:  # keys JSON sorts apart: 50256 beside "50257"
        return json.dumps(_text_keys(value), sort_keys=True, ensure_ascii=False, default=_describe)


def _text_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _text_keys(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_text_keys(v) for v in value]
    return value


# settings that name, route or bound a call, never what the answer must say
_TECHNICAL = frozenset(
    """model model_name model_id deployment_name base_url api_base api_base_url api_version endpoint stop
    stop_sequences user name _type output_version service_tier reasoning_effort tool_choice format
    response_mime_type region project location organization""".split()
)
_INSTRUCTING = (
    "prompt",
    "instruction",
    "system",
    "preamble",
    "message",
    "context",
    "rule",
    "guideline",
    "policy",
    "directive",
    "hint",
)


def instruction_text(settings: Any) -> str:
    """The text among a model's settings or a call's keyword arguments that may tell the model what to answer: a
    string field named like an instruction (``system_prompt``, ``instructions``, ``preamble``, ``rule``,
    ``policy``; also inside a list or blocks under such a name), or any other string that reads as a sentence,
    except settings that name or route the call (``model``, ``base_url``, ``stop``). Read as the request's
    context (:attr:`~stepcache_core.values.Request.context`): a condition there ("Work modulo 7.") keeps the
    cache from re-deriving for other values, and lets the model's own answer stand."""
    found: list[str] = []

    def walk(value: Any, key: str) -> None:
        named = any(part in key.lower() for part in _INSTRUCTING)
        if isinstance(value, str):
            if value.strip() and key not in _TECHNICAL and (named or len(value.split()) >= 3):
                found.append(value.strip())
        elif isinstance(value, dict):  # "model_kwargs": {...}
            for k, v in value.items():
                walk(v, key if str(k) in ("text", "content") and named else str(k))
        elif isinstance(value, (list, tuple)) and named:
            # a list under an instruction's name ("system": [{"type": "text", "text": ...}]); any other list is
            # data (a fake model's responses), not read
            for v in value:
                walk(v, key)

    walk(settings if isinstance(settings, dict) else {}, "")
    return "\n\n".join(found)


# call arguments that bound or route a call, or carry what the integrations read apart (tools, a response format,
# callbacks): never what the answer must say
_CALL_SETTINGS = _TECHNICAL | frozenset(
    """temperature top_p top_k min_p typical_p tfs_z max_tokens max_new_tokens max_output_tokens max_completion_tokens
    max_length num_predict num_ctx n seed stop stop_sequences presence_penalty frequency_penalty repeat_penalty
    repetition_penalty logit_bias logprobs top_logprobs stream streaming stream_options timeout request_timeout
    max_retries formatted tools functions tool_choice function_call parallel_tool_calls strict response_format
    llm_kwargs callbacks callback_manager tags metadata run_name run_id config verbose extra_headers extra_query
    extra_body image_documents allow_parallel_tool_calls tool_required error_on_no_tool_call error_on_tool_error""".split()
)


def call_settings_text(arguments: Any) -> str:
    """What a call's explicit arguments (``llm.complete(q, rounding="nearest ten")``, ``model.bind(round_to=10)``)
    may tell the model: :func:`instruction_text`, and every other argument that no list of generation settings
    holds, as ``name: value`` ("rounding: nearest ten", "round_to: 10", "examples: [...]"). An argument the caller
    passes reaches the model; one that is no known setting may set a condition no check reads, so it is read as
    the request's context, where anything more than a persona keeps the cache from re-deriving for other values."""
    if not isinstance(arguments, dict):
        return ""
    said = [instruction_text(arguments)]
    for key, value in arguments.items():
        if value is None or str(key).startswith("stepcache_") or str(key) in _CALL_SETTINGS:
            continue
        if any(part in str(key).lower() for part in _INSTRUCTING):
            continue  # read above
        said.append(f"{key}: {settings_json(value)}")
    return "\n\n".join(t for t in said if t)


def described_schema(schema: Mapping[str, Any], name: Any = "", description: Any = "") -> dict[str, Any]:
    """``schema`` (a tool's parameters, a JSON mode's schema) as the request's schema, with what the caller says of
    it outside it: the tool's or the format's ``name`` as its ``title``, its ``description`` as its
    ``description`` (joined to the schema's own when that says something else). Both reach the model, and may say
    which value to take ("The older of the two people mentioned.", a tool named ``OlderPerson``): the JSON task
    compares a schema's title and description between requests and reads them for such picks. A copy, for the
    request only: what the caller's model is sent is left as the caller made it."""
    out = dict(schema)
    for key, said in (("title", name), ("description", description)):
        own = out.get(key)
        if isinstance(said, str) and said.strip() and said.strip() != (own.strip() if isinstance(own, str) else own):
            out[key] = f"{own}\n{said.strip()}" if isinstance(own, str) and own.strip() else said.strip()
    return out


def _describe(o: Any) -> Any:
    if isinstance(o, type):
        name = f"{o.__module__}.{o.__qualname__}"
        schema = getattr(o, "model_json_schema", None)
        if callable(schema):
            try:
                return {"class": name, "schema": schema()}
            except Exception:  # a model class that cannot say its schema: its name
                return {"class": name}
        return {"class": name}
    dump = getattr(o, "model_dump", None)
    if callable(dump):
        try:
            return {"type": f"{type(o).__module__}.{type(o).__qualname__}", "fields": dump(mode="json")}
        except Exception:
            pass
    if callable(o) and hasattr(o, "__qualname__"):
        return {"callable": f"{getattr(o, '__module__', '')}.{o.__qualname__}"}
    return {"repr": repr(o)}


class LastTrace:
    """Where an integration object keeps the trace of its most recent call, one per thread: two threads sharing a
    cache each read their own call's trace. A thread with no trace of its own (its calls ran on workers, as
    ``RunnableParallel`` and ``with_structured_output(include_raw=True)`` run them; or it set ``None``) reads the
    most recent trace of any thread. (Not a context variable: LangChain runs calls in copies of the caller's context, where a trace
    set would be lost.) Every response also carries its own trace in its metadata.

    Work handed to a worker thread on purpose leaves its trace in that thread: run it through :meth:`traced` and
    :meth:`set` the trace it returns in the caller's thread."""

    __slots__ = ("_local", "_latest")

    def __init__(self) -> None:
        self._local = threading.local()
        self._latest: dict[str, Any] | None = None

    def get(self) -> dict[str, Any] | None:
        mine = getattr(self._local, "trace", None)
        return mine if mine is not None else self._latest

    def set(self, trace: dict[str, Any] | None) -> None:
        self._local.trace = trace
        self._latest = trace

    def traced(self, fn: Callable[..., _T], *args: Any, **kwargs: Any) -> tuple[_T, dict[str, Any] | None]:
        """``fn(*args, **kwargs)`` and the trace it left (run this in the worker)."""
        result = fn(*args, **kwargs)
        return result, self.get()


class LazyEngine:
    """Holds either a ready engine or the arguments to build one on first use (what the integrations' constructors take).

    Building opens Chroma (and, on first embed, loads MiniLM), so the integrations defer it:
    constructing a LangChain cache or a LlamaIndex wrapper stays cheap, and nothing is opened
    until the first request.
    """

    def __init__(
        self,
        *,
        engine: StepCacheEngine | None = None,
        persist_directory: str | os.PathLike[str] | None = None,
        host: str | None = None,
        port: int = 8000,
        config: EngineConfig | None = None,
        tasks: TaskRegistry | None = None,
        store: Store | None = None,
        embedder: Embedder | None = None,
    ) -> None:
        if engine is not None:
            clash = [
                n
                for n, v in (
                    ("persist_directory", persist_directory),
                    ("host", host),
                    ("config", config),
                    ("tasks", tasks),
                    ("store", store),
                    ("embedder", embedder),
                )
                if v is not None
            ]
            if clash:
                raise ConfigError(f"engine= is a ready engine; do not also pass {', '.join(clash)}")
            if not isinstance(engine, StepCacheEngine):
                raise ConfigError(f"engine must be a StepCacheEngine, got {type(engine).__name__}")
        if sum(v is not None for v in (persist_directory, host, store)) > 1:
            raise ConfigError("choose one of persist_directory, host/port, store")
        self._engine = engine
        self._kw: dict[str, Any] = dict(
            persist_directory=None if persist_directory is None else os.fspath(persist_directory),
            host=host,
            port=port,
            config=config,
            tasks=tasks,
            store=store,
            embedder=embedder,
        )
        self.failures = engine.failures if engine is not None else StoreFailures()
        """How the route's store failures are logged, once per kind: the engine built here logs through it too."""
        self._lock = threading.Lock()
        self._opening: threading.Event | None = None
        self._index_reader: StepCacheEngine | bool | None = None  # see exact(): False when there is none
        self._reader_lock = threading.Lock()

    @property
    def built(self) -> bool:
        return self._engine is not None

    def open_in_background(self) -> None:
        """Build the engine (open the store) on a background thread, so that the first call need not wait for it
        (see :meth:`wait_open`). A build that fails is retried by the next call, which reports the failure."""
        if self._engine is not None or self._opening is not None:
            return
        done = self._opening = threading.Event()

        def work() -> None:
            try:
                self.get()
            except Exception as e:  # the next call builds again and meets the failure where it is reported
                logger.debug("stepcache: opening the store in the background failed (%s)", e)
            finally:
                done.set()

        background.start(work, "stepcache-open")

    def wait_open(self, timeout_s: float | None) -> bool:
        """Whether a call may use the engine now: built, or no background open in flight (:meth:`get` builds it),
        waiting at most ``timeout_s`` (``None``: until it ends) for one in flight."""
        opening = self._opening
        return self._engine is not None or opening is None or opening.wait(timeout_s)

    @property
    def fresh(self) -> bool:
        """Whether the store is an embedded one whose directory holds nothing yet: every lookup would miss, so none
        should wait for it to open."""
        kw = self._kw
        if self._engine is not None or kw["store"] is not None or kw["host"] is not None:
            return False
        where = Path(kw["persist_directory"]) if kw["persist_directory"] is not None else default_directory()
        try:
            return not where.is_dir() or not any(where.iterdir())
        except OSError:
            return False

    def warm_in_background(self) -> None:
        """Build the engine and :meth:`~StepCacheEngine.warm` it on a background thread (an integration's
        ``warm=True``): a call arriving meanwhile waits for the store to open (see :meth:`wait_open`), never for
        the embedding model."""
        if self._opening is not None:
            return
        done = self._opening = threading.Event()

        def work() -> None:
            try:
                engine = self.get()
            except Exception as e:  # the first call meets the same failure, and the store-failure policy
                logger.warning("stepcache: warming up failed (%s)", e)
                return
            finally:
                done.set()
            try:
                engine.warm()
            except Exception as e:
                logger.warning("stepcache: warming up failed (%s)", e)

        background.start(work, "stepcache-warm")

    def exact(self, request: Request, routing: Routing | None = None) -> Outcome | None:
        """Before the store has opened: an identical request's entry (:meth:`StepCacheEngine.exact`), read from
        the embedded store's index alone, so a fresh process's first repeat never waits for Chroma to import and
        open. ``None`` once the engine is built (its own lookup does this first), for a store that is not an
        embedded one with an index, or when nothing is found: the call goes on as before."""
        if self._engine is not None:
            return None
        try:
            reader = self._reader()
            return None if reader is None else reader.exact(request, routing=routing)
        except StepCacheError:
            return None

    def _reader(self) -> StepCacheEngine | None:
        with self._reader_lock:  # never the build's lock: that one is held while the store opens
            if self._index_reader is None:
                kw = self._kw
                store = None
                if kw["store"] is None and kw["host"] is None:
                    store = EmbeddedChromaStore.reader(kw["persist_directory"])
                # an engine on the index alone, with its own failure log: the route's store is not read-only
                self._index_reader = False  # until it is built: a reader that cannot be built is not tried again
                if store is not None:
                    self._index_reader = StepCacheEngine(
                        store=store, embedder=kw["embedder"], tasks=kw["tasks"], config=kw["config"]
                    )
            found = self._index_reader
            return found if isinstance(found, StepCacheEngine) else None

    def available(self) -> StepCacheEngine | None:
        """The engine, or ``None`` when its store cannot be opened (reported through :attr:`failures`; the next
        call tries again, so a store that comes back is used)."""
        try:
            return self.get()
        except StoreError as e:
            self.failures.report(e, "opening")
            return None

    def get(self) -> StepCacheEngine:
        engine = self._engine
        if engine is not None:
            return engine
        with self._lock:
            if self._engine is None:
                kw = self._kw
                store = kw["store"]
                if kw["host"] is not None:
                    store = ChromaStore(host=kw["host"], port=kw["port"])
                self._engine = StepCacheEngine(
                    store=store,
                    embedder=kw["embedder"],
                    tasks=kw["tasks"],
                    config=kw["config"],
                    persist_directory=kw["persist_directory"],
                    failures=self.failures,
                )
            return self._engine
