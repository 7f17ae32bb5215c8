"""StepCache core: step-level LLM response reuse with verification and selective patching.

This package never imports LangChain or LlamaIndex.
"""

from .backends import Backend, LlamaCppBackend, Reasking, ScriptedBackend
from .embed import Embedder, HashEmbedder, MiniLMEmbedder
from .engine import EngineConfig, StepCacheEngine
from .errors import (
    BackendError,
    BackendTimeoutError,
    ConfigError,
    ExpressionTooComplexError,
    InvalidEquationError,
    InvalidRequestError,
    InvalidSchemaError,
    PromptTooLongError,
    StepCacheError,
    StoreError,
    UnverifiedOutputError,
)
from .request import Routing
from .serve import Session, StreamSession, open_session
from .store import ChromaStore, MemoryStore, SqliteStore, Store, default_directory
from .tasks import TaskProfile, TaskRegistry, builtin_tasks
from .values import Completion, GenerationSpec, Namespace, Outcome, Request, Step, Trace, Verdict

__version__ = "0.1.0"

__all__ = [
    "Backend",
    "BackendError",
    "BackendTimeoutError",
    "ChromaStore",
    "Completion",
    "ConfigError",
    "Embedder",
    "EngineConfig",
    "GenerationSpec",
    "HashEmbedder",
    "InvalidEquationError",
    "ExpressionTooComplexError",
    "InvalidRequestError",
    "InvalidSchemaError",
    "LlamaCppBackend",
    "MemoryStore",
    "MiniLMEmbedder",
    "Namespace",
    "Outcome",
    "PromptTooLongError",
    "Reasking",
    "Request",
    "Routing",
    "ScriptedBackend",
    "SqliteStore",
    "StepCacheEngine",
    "StepCacheError",
    "Step",
    "Store",
    "StoreError",
    "Session",
    "StreamSession",
    "TaskProfile",
    "TaskRegistry",
    "Trace",
    "UnverifiedOutputError",
    "Verdict",
    "builtin_tasks",
    "default_directory",
    "open_session",
]
