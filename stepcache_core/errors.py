"""StepCache's one error hierarchy.

Exceptions are for misuse and broken infrastructure; a failed check is a
``Verdict(ok=False)``, never an exception.

    StepCacheError
    ├── ConfigError                  bad constructor argument or unknown task
    ├── InvalidRequestError          the request itself cannot be served
    │   ├── PromptTooLongError
    │   ├── InvalidSchemaError       the JSON Schema does not validate
    │   └── InvalidEquationError     unparsable or degenerate equation
    ├── StoreError                   the cache store failed (path, operation)
    ├── BackendError                 the model backend raised
    │   └── BackendTimeoutError
    └── UnverifiedOutputError        every attempt failed verification
"""

from __future__ import annotations

__all__ = [
    "StepCacheError",
    "ConfigError",
    "InvalidRequestError",
    "PromptTooLongError",
    "InvalidSchemaError",
    "InvalidEquationError",
    "ExpressionTooComplexError",
    "StoreError",
    "BackendError",
    "BackendTimeoutError",
    "UnverifiedOutputError",
]


class StepCacheError(Exception):
    """Root of every error StepCache raises on purpose."""


class ConfigError(StepCacheError, ValueError):
    """A constructor argument, task name or plug-in is invalid."""


class InvalidRequestError(StepCacheError, ValueError):
    """The request cannot be served: empty, binary, malformed constraints."""


class PromptTooLongError(InvalidRequestError):
    def __init__(self, length: int, limit: int) -> None:
        super().__init__(f"prompt has {length} characters; the limit is {limit}")
        self.length = length
        self.limit = limit


class InvalidSchemaError(InvalidRequestError):
    """The JSON Schema given with a request is not a valid schema."""


class InvalidEquationError(InvalidRequestError):
    """The equation in the prompt is unparsable or degenerate (0 = 0, no solution)."""

    def __init__(self, message: str, *, equation: str | None = None) -> None:
        super().__init__(message if equation is None else f"{message}: {equation!r}")
        self.equation = equation


class ExpressionTooComplexError(InvalidEquationError):
    """Math whose evaluation could be expensive (towers, huge exponents, deep nesting): refused unevaluated."""


class StoreError(StepCacheError):
    """The cache store failed. ``location`` names the store, ``operation`` what failed."""

    def __init__(self, message: str, *, location: str = "", operation: str = "") -> None:
        detail = ", ".join(p for p in (f"store={location}" if location else "", f"op={operation}" if operation else "") if p)
        super().__init__(f"{message} ({detail})" if detail else message)
        self.location = location
        self.operation = operation


class BackendError(StepCacheError):
    """The model backend raised while generating."""

    def __init__(self, message: str, *, backend: str = "") -> None:
        super().__init__(f"{message} (backend={backend})" if backend else message)
        self.backend = backend


class BackendTimeoutError(BackendError):
    """The backend did not answer within the configured timeout."""


class UnverifiedOutputError(StepCacheError):
    """No attempt produced output that passed verification; nothing was served or stored.

    ``last_output`` holds the last rejected text and ``reason`` why it failed,
    for debugging only: it must not be shown to users as an answer.
    """

    def __init__(
        self,
        task: str,
        reason: str,
        last_output: str = "",
        *,
        model_calls: int = 0,
        prompt_tokens: int = 0,
        completion_tokens: int = 0,
    ) -> None:
        super().__init__(f"no verified output for task {task!r}: {reason}")
        self.task = task
        self.reason = reason
        self.last_output = last_output
        # what the failed attempts cost, so refusals are counted in token and call budgets
        self.model_calls = model_calls
        self.prompt_tokens = prompt_tokens
        self.completion_tokens = completion_tokens
