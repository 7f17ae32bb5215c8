"""Model backends: a small Protocol, the local llama.cpp backend and a scripted fake."""

from .base import Backend, Reasking, call_backend
from .fake import ScriptedBackend
from .llamacpp import LlamaCppBackend, default_model_path, without_extra_buffers

__all__ = [
    "Backend",
    "Reasking",
    "call_backend",
    "ScriptedBackend",
    "LlamaCppBackend",
    "default_model_path",
    "without_extra_buffers",
]
