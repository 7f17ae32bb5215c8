"""Model backends: a small Protocol, the local llama.cpp backend and a scripted fake."""

from .base import Backend, call_backend
from .fake import ScriptedBackend
from .llamacpp import LlamaCppBackend, default_model_path

__all__ = ["Backend", "call_backend", "ScriptedBackend", "LlamaCppBackend", "default_model_path"]
