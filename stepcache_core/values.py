"""Immutable values that flow through the pipeline."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "Namespace",
    "Request",
    "Step",
    "Verdict",
    "GenerationSpec",
    "Completion",
    "Trace",
    "Outcome",
    "Path",
    "Origin",
    "canonical_json",
    "generation_limits",
]

Path = Literal["reuse", "patch", "skip", "miss", "bypass"]
Origin = Literal["cached", "adapted", "generated", "deterministic"]


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


_LIMIT_NAMES = frozenset(
    """max_tokens max_completion_tokens max_new_tokens num_predict max_output_tokens max_tokens_to_sample maxtokens
    maxtokencount maxoutputtokens max_length max_gen_len""".split()
)
_STOP_NAMES = frozenset("stop stop_sequences stopsequences stop_words".split())


def generation_limits(*settings: Any) -> tuple[int | None, tuple[str, ...]]:
    """The caller's limits (:attr:`Request.max_output_tokens`, :attr:`Request.stop`) in a model's settings and a
    call's arguments, each mapping overriding the ones before it (the model's fields, then bound arguments, then the
    call's). Read by name, case aside (``max_tokens``, ``max_completion_tokens``, ``max_new_tokens``,
    ``num_predict``, ``max_output_tokens``, ``max_tokens_to_sample``, ``maxTokenCount``, ``maxOutputTokens``,
    ``max_length``, ``max_gen_len``; ``stop``, ``stop_sequences``, ``stopSequences``, ``stop_words``), at any depth
    (``model_kwargs``, ``generate_kwargs``, ``options``, a provider's ``textGenerationConfig``). ``None``, non-numbers
    and non-positive numbers (Ollama's ``num_predict=-1``) set no limit; of several, the smallest holds."""
    merged: dict[str, Any] = {}
    for mapping in settings:
        if isinstance(mapping, Mapping):
            _named(mapping, merged, depth=0)
    limits = [n for k, v in merged.items() if k in _LIMIT_NAMES and (n := _count(v)) is not None]
    stops: list[str] = []
    for k, value in merged.items():
        if k in _STOP_NAMES:
            values = [value] if isinstance(value, str) else value if isinstance(value, (list, tuple, set, frozenset)) else []
            stops += (
                sorted(s for s in values if isinstance(s, str) and s)
                if isinstance(value, (set, frozenset))
                else [s for s in values if isinstance(s, str) and s]
            )
    return (min(limits) if limits else None, tuple(dict.fromkeys(stops)))


def _named(mapping: Mapping[Any, Any], into: dict[str, Any], depth: int) -> None:
    """``mapping``'s limit and stop settings into ``into`` by case-folded name, nested mappings first (a setting
    of the mapping itself overrides one nested in it)."""
    for value in mapping.values():
        if isinstance(value, Mapping) and depth < 4:
            _named(value, into, depth + 1)
    for key, value in mapping.items():
        name = key.casefold() if isinstance(key, str) else None
        if name in _LIMIT_NAMES or name in _STOP_NAMES:
            if value is not None:
                into[name] = value


def _count(value: Any) -> int | None:
    """A positive whole number of tokens from ``value`` (``5``, ``5.0``, ``"5"``), else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value.isdigit():
            return None
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value if isinstance(value, int) and value > 0 else None


@dataclass(frozen=True)
class Namespace:
    """Partition of the cache: entries never cross namespaces.

    ``tenant`` separates users or apps, ``model`` the model identity and
    ``settings`` the generation settings (temperature, tools...): an answer cached
    under one model or setting is never served under another.
    """

    tenant: str = "default"
    model: str = "default"
    settings: str = ""

    @property
    def key(self) -> str:
        raw = canonical_json([self.tenant, self.model, self.settings])
        return hashlib.sha256(raw.encode()).hexdigest()[:24]


@dataclass(frozen=True)
class Request:
    """One request to serve.

    ``task`` names a registered task, or ``None`` to detect it from the prompt.
    ``schema`` is a JSON Schema the output must satisfy; ``required_keys`` adds
    keys the output object must have. ``key_text`` is the text that is embedded
    (defaults to the prompt; chat integrations pass the user's turn).
    ``context`` is what the caller sent beside the prompt (a system prompt,
    earlier turns). It must match exactly: the engine narrows the namespace
    to it, so an answer made under one context never serves another. Tasks
    read it too: words in it may change what an answer must be ("Work
    modulo 7."), so a task reuses for other values only when it says nothing
    but who answers and how.
    ``max_output_tokens`` and ``stop`` are the limits the caller's model answers
    under (its max_tokens, its stop strings). They are not part of the key: the
    engine narrows the namespace to them, as the integrations key by a model's
    settings (a changed limit is another request), and
    serves a text that is not the model's own completion (a reuse, a patch, a
    repair) only when the model could have written it under them, and serves a
    model answer that the limit may have cut as written, never repaired.
    """

    prompt: str
    task: str | None = None
    schema: Mapping[str, Any] | None = None
    required_keys: tuple[str, ...] = ()
    namespace: Namespace = field(default_factory=Namespace)
    key_text: str | None = None
    context: str = ""
    max_output_tokens: int | None = None
    stop: tuple[str, ...] = ()

    @property
    def embed_text(self) -> str:
        return self.key_text if self.key_text is not None else self.prompt

    def constraints_json(self) -> str:
        return canonical_json({"schema": self.schema, "required": sorted(self.required_keys)})


@dataclass(frozen=True)
class Step:
    """One ordered unit of an output.

    ``key`` addresses the step (a JSON key, or ``None`` for positional steps);
    ``value`` carries the parsed content where the task has one. ``doubt``: a slot
    naming why an adapted step, true for every check, may still not be what the
    model would write (``written(thousands)``: whether "1080" is "1,080"): such a
    step stands for its values where a second answer is compared with it, and is
    served only once an answer of the model that agreed with it word for word
    vouched for the slot (see :meth:`~stepcache_core.adapt.Adaptation.corroborates`).
    """

    index: int
    text: str
    origin: Origin = "cached"
    key: str | None = None
    value: Any = None
    doubt: str = ""


@dataclass(frozen=True)
class Verdict:
    """One check's result. ``unreadable``: the check failed because it could not read the output (no final
    answer it recognises, a step it cannot parse), not because the output is wrong. Such an answer may be kept
    for identical requests only, never adapted (see ``StepCacheEngine.record``)."""

    ok: bool
    reason: str = ""
    step: int | None = None
    key: str | None = None
    unreadable: bool = False

    @staticmethod
    def passed() -> Verdict:
        return Verdict(True)


@dataclass(frozen=True)
class GenerationSpec:
    """What to ask the backend: a prompt plus decoding limits.

    ``prompt`` is what an instruction-tuned (chat) model is sent: on ``generate`` the caller's own prompt,
    verbatim; on ``patch`` / ``repair`` an instruction written by the task. ``base`` is the same request framed
    for a base model (few-shot completion prompt, its own stops): backends wrapping a base model send
    :meth:`for_base_model` instead. ``json_schema`` asks grammar-constrained backends to emit JSON valid for it.
    """

    prompt: str
    max_tokens: int = 128
    stop: tuple[str, ...] = ()
    json_schema: Mapping[str, Any] | None = None
    purpose: str = "generate"
    base: GenerationSpec | None = None

    def for_base_model(self) -> GenerationSpec:
        """The spec a base (non-chat) model should get: the few-shot framing when the task wrote one."""
        return self.base if self.base is not None else self


@dataclass(frozen=True)
class Completion:
    text: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0


@dataclass(frozen=True)
class Trace:
    """Why a request was served the way it was."""

    path: Path
    task: str
    verified: bool
    similarity: float | None = None
    matched_id: str | None = None
    matched_prompt: str | None = None
    exact_hit: bool = False
    skip_reason: str | None = None
    steps_total: int = 0
    steps_reused: int = 0
    steps_adapted: int = 0
    steps_regenerated: int = 0
    fallback: str | None = None
    backend_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0
    stages: Mapping[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    store_error: str | None = None
    """Set when the store failed and the request was served all the same: its lookup failed (a miss), or keeping
    the answer failed."""
    streamed: bool = False
    """The model's own stream reached the caller (a streamed miss)."""
    recorded: bool | None = None
    """For a streamed miss: whether the aggregate was verified and stored."""

    @staticmethod
    def bypass(reason: str) -> Trace:
        """The trace of a call the cache did not serve (tool calls, non-text content...)."""
        return Trace(path="bypass", task="", verified=False, notes=(reason,))

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "task": self.task,
            "verified": self.verified,
            "similarity": self.similarity,
            "matched_id": self.matched_id,
            "matched_prompt": self.matched_prompt,
            "exact_hit": self.exact_hit,
            "skip_reason": self.skip_reason,
            "steps_total": self.steps_total,
            "steps_reused": self.steps_reused,
            "steps_adapted": self.steps_adapted,
            "steps_regenerated": self.steps_regenerated,
            "fallback": self.fallback,
            "backend_calls": self.backend_calls,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "latency_s": self.latency_s,
            "stages": dict(self.stages),
            "notes": list(self.notes),
            "store_error": self.store_error,
            "streamed": self.streamed,
            "recorded": self.recorded,
        }


@dataclass(frozen=True)
class Outcome:
    """The served text, its steps and the trace.

    ``frame``: how the text is delivered, for an entry recorded with a frame (see :meth:`StepCacheEngine.record`):
    on an exact hit the entry's own; on an adapted or patched reuse the one the lookup's ``reframe`` made for
    this answer (without ``reframe``, the source entry's, for the caller to adapt). ``""`` otherwise.
    """

    text: str
    steps: tuple[Step, ...]
    trace: Trace
    frame: str = ""
