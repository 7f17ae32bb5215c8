"""Bounded work: limits checked before any expensive computation, for requests *and* model answers.

Every parse of math text (a request's equation, a step of a model's answer)
passes :func:`check_expression` first, which estimates, from tokens alone,
the degree and the size of the numbers the expression would evaluate to. A
power tower (``9^9^9^9``), a huge exponent (``x^99999999``), a 5,000-digit
literal or 3,000 nested parentheses is refused with an
:class:`~stepcache_core.errors.ExpressionTooComplexError` in microseconds, before
sympy or exact-fraction arithmetic could hang or exhaust memory.

Verification also runs under a time budget (:func:`deadline`): a verifier
that loops over steps calls :func:`check_deadline` between them, and the
engine turns an exceeded budget into a failed verdict ("cannot verify, don't
reuse"), never into a served answer.
"""

from __future__ import annotations

import contextvars
import math
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import ExpressionTooComplexError

__all__ = [
    "MAX_EXPRESSION_CHARS",
    "MAX_NESTING",
    "MAX_DIGITS",
    "MAX_EXPONENT",
    "MAX_DEGREE",
    "MAX_SOLVE_DEGREE",
    "MAX_RESULT_DIGITS",
    "VerificationBudgetExceeded",
    "check_expression",
    "check_deadline",
    "deadline",
]

MAX_EXPRESSION_CHARS = 2_000
"""Longest equation (or side of one) that is parsed at all."""
MAX_NESTING = 24
"""Deepest parenthesis nesting."""
MAX_DIGITS = 60
"""Longest numeric literal, in digits."""
MAX_EXPONENT = 64
"""Largest constant exponent."""
MAX_DEGREE = 64
"""Largest polynomial degree an expression may reach (``(x^8)^8`` is 64)."""
MAX_SOLVE_DEGREE = 8
"""Largest degree handed to ``sympy.solve``."""
MAX_RESULT_DIGITS = 400
"""Largest number, in decimal digits, an expression may evaluate to (``10^400``)."""

_TOKEN = re.compile(r"\d+(?:\.\d+)?|[A-Za-z_]\w*|\S")


class VerificationBudgetExceeded(Exception):
    """Internal signal: a verification ran past its time budget (the engine turns it into a failed verdict)."""


class _Bounds:
    """Recursive descent over tokens giving (degree bound, log10 magnitude bound, has variable)."""

    def __init__(self, text: str) -> None:
        self.toks = _TOKEN.findall(text.replace("**", "^").replace("×", "*").replace("÷", "/").replace("−", "-"))
        self.i = 0

    def peek(self) -> str | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> str:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def expr(self) -> tuple[float, float, bool]:
        deg, mag, var = self.term()
        n = 1
        while self.peek() in ("+", "-"):
            self.take()
            d, m, v = self.term()
            deg, mag, var, n = max(deg, d), max(mag, m), var or v, n + 1
        return deg, mag + math.log10(n), var

    def term(self) -> tuple[float, float, bool]:
        deg, mag, var = self.unary()
        while True:
            nxt = self.peek()
            if nxt in ("*", "/"):
                self.take()
            elif nxt is None or nxt in (")", "+", "-", "=", "^"):
                return deg, mag, var
            d, m, v = self.unary()
            deg, mag, var = deg + d, mag + m, var or v

    def unary(self) -> tuple[float, float, bool]:
        while self.peek() in ("+", "-"):
            self.take()
        return self.power()

    def power(self) -> tuple[float, float, bool]:
        deg, mag, var = self.atom()
        if self.peek() != "^":
            return deg, mag, var
        self.take()
        start = self.i
        e_deg, e_mag, e_var = self.unary()  # right-associative: 2^3^4 is 2^(3^4)
        if e_var:
            # an unknown in an exponent (2^x = 8): only a small constant base, a linear exponent
            if var or e_deg > 1 or mag > 6 or e_mag > 6:
                raise ExpressionTooComplexError("exponent with an unknown is too complex to check")
            return 0.0, mag, True
        exponent = _literal_value(self.toks[start : self.i])
        bound = exponent if exponent is not None else 10.0**e_mag
        if bound > MAX_EXPONENT:
            raise ExpressionTooComplexError(f"exponent above the limit of {MAX_EXPONENT}")
        return deg * bound, max(mag, 1.0) * bound, var

    def atom(self) -> tuple[float, float, bool]:
        tok = self.peek()
        if tok is None:
            return 0.0, 0.0, False
        self.take()
        if tok == "(":
            value = self.expr()
            if self.peek() == ")":
                self.take()
            return value
        if tok[0].isdigit():
            digits = len(tok.split(".")[0].lstrip("0")) or 1
            return 0.0, float(digits), False
        if tok[0].isalpha() or tok[0] == "_":
            return 1.0, 0.0, True
        return 0.0, 0.0, False


def _literal_value(tokens: list[str]) -> float | None:
    """The value of an exponent written as one literal (``2``, ``(3)``, ``-1``), else ``None``."""
    core = [t for t in tokens if t not in ("(", ")")]
    sign = 1.0
    if core[:1] == ["-"]:
        sign, core = -1.0, core[1:]
    elif core[:1] == ["+"]:
        core = core[1:]
    if len(core) == 1 and core[0][0].isdigit():
        return abs(sign * float(core[0]))
    return None


def check_expression(text: str, *, shallow: bool = False) -> None:
    """Refuse math text whose evaluation could be expensive. Raises :class:`ExpressionTooComplexError` (an :class:`InvalidEquationError`).

    Linear in the length of ``text``; recursion depth is bounded by :data:`MAX_NESTING`. ``shallow``
    checks only length, nesting and literal size: enough for exact-fraction arithmetic that bounds its
    own powers (the fast linear path), at a fraction of the cost.
    """
    if len(text) > MAX_EXPRESSION_CHARS:
        raise ExpressionTooComplexError(f"expression longer than {MAX_EXPRESSION_CHARS} characters", equation=text[:60])
    if text.count("(") + text.count("[") + text.count("{") > MAX_NESTING:
        depth = 0
        for ch in text:
            if ch in "([{":
                depth += 1
                if depth > MAX_NESTING:
                    raise ExpressionTooComplexError(f"parentheses nested deeper than {MAX_NESTING}", equation=text[:60])
            elif ch in ")]}":
                depth -= 1
    for run in re.findall(r"\d+", text):
        if len(run) > MAX_DIGITS:
            raise ExpressionTooComplexError(f"a number with more than {MAX_DIGITS} digits", equation=text[:60])
    if shallow:
        return
    bounds = _Bounds(text)
    while bounds.peek() is not None:
        deg, mag, _ = bounds.expr()
        if deg > MAX_DEGREE:
            raise ExpressionTooComplexError(f"degree above the limit of {MAX_DEGREE}", equation=text[:60])
        if mag > MAX_RESULT_DIGITS:
            raise ExpressionTooComplexError(f"evaluates to a number above 10^{MAX_RESULT_DIGITS}", equation=text[:60])
        if bounds.peek() is not None:
            bounds.take()  # '=' or a stray token: carry on with the next side


_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("stepcache_deadline", default=None)


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Run the body under a verification time budget (``None``: no budget)."""
    token = _DEADLINE.set(None if seconds is None else time.monotonic() + seconds)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def check_deadline() -> None:
    """Raise :class:`VerificationBudgetExceeded` when the current budget is spent."""
    limit = _DEADLINE.get()
    if limit is not None and time.monotonic() > limit:
        raise VerificationBudgetExceeded
