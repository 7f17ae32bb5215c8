"""Fakes shipped for tests and examples: no model, no disk."""

from .backends.fake import CallersCall, ScriptedBackend
from .embed import HashEmbedder
from .store import MemoryStore

__all__ = ["CallersCall", "ScriptedBackend", "HashEmbedder", "MemoryStore"]
