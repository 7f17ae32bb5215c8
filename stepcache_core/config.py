"""The engine's tuning knobs, read by every stage."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ConfigError
from .request import Routing

__all__ = ["EngineConfig"]


@dataclass(frozen=True)
class EngineConfig:
    """Tuning knobs.

    ``similarity_threshold``: below it a retrieved entry is not considered
    (verification still decides above it). ``top_k``: candidates examined.
    ``max_prompt_chars``: the longest prompt that is parsed, embedded and
    verified; a longer one is cached for identical repeats only (a hash of
    the whole prompt, as an exact cache would), unless its request names a
    task for itself (:class:`PromptTooLongError`).
    ``backend_timeout_s``: per backend call; ``None`` waits forever.
    ``max_output_chars`` / ``max_steps``: an answer longer than this is never
    verified (it fails: "cannot verify, don't reuse") and never stored.
    ``verify_budget_s``: time budget of one verification; past it the
    verdict is a failure, never a pass. ``routing``: how a request without
    an explicit task finds one (:class:`Routing`); the integrations pass
    their own per call. ``max_model_calls``: the model calls one request may
    make, generation, patches and repairs together (``None``: the whole
    repair ladder). Past it only model-free rungs run (the fixer, the
    deterministic solver): a request never costs much more than the model
    alone, and what still fails verification is an error, never served.
    Model repairs that failed for a structure (same signature, same
    namespace) are skipped by its next eight requests that need one, then
    tried again. ``corroboration_probes``: for a task whose reuse with other
    values needs a second model answer to agree first (word problems), the
    model calls the engine may make itself, in the background, per stored
    answer, asking the question again with other values, and as many again
    with other names where their genders may matter (see
    :mod:`stepcache_core.probe`); 0 leaves that second answer to the next
    caller who asks with other values.
    """

    similarity_threshold: float = 0.3
    top_k: int = 3
    max_prompt_chars: int = 32_000
    backend_timeout_s: float | None = 300.0
    store_outputs: bool = True
    max_output_chars: int = 64_000
    max_steps: int = 400
    verify_budget_s: float | None = 5.0
    routing: Routing = Routing()
    max_model_calls: int | None = 2
    corroboration_probes: int = 4

    def __post_init__(self) -> None:
        if not -1.0 <= self.similarity_threshold <= 1.0:
            raise ConfigError("similarity_threshold must be in [-1, 1]")
        if self.top_k < 1:
            raise ConfigError("top_k must be >= 1")
        if self.max_prompt_chars < 1:
            raise ConfigError("max_prompt_chars must be >= 1")
        if self.max_output_chars < 1 or self.max_steps < 1:
            raise ConfigError("max_output_chars and max_steps must be >= 1")
        if self.corroboration_probes < 0:
            raise ConfigError("corroboration_probes must be >= 0")
        if self.verify_budget_s is not None and self.verify_budget_s <= 0:
            raise ConfigError("verify_budget_s must be > 0 or None")
        if self.max_model_calls is not None and self.max_model_calls < 1:
            raise ConfigError("max_model_calls must be >= 1 or None")
