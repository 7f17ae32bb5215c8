"""The equation task's math toolkit, shared by its parser, adapter, verifier and solver: finding an equation in
text, safe parsing (only digits, variables, ``+ - * / ^ ( )`` and ``=`` ever reach sympy, after the bounds check),
exact numbers, and a fast exact-fraction linear form."""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

from ...bounds import MAX_EXPONENT, MAX_RESULT_DIGITS, MAX_SOLVE_DEGREE, check_expression
from ...errors import InvalidEquationError

__all__ = [
    "TOKEN",
    "find_equation",
    "find_equation_span",
    "variable_hint",
    "parse_side",
    "EquationInfo",
    "parse_equation",
    "parse_number",
    "format_number",
    "linear_form",
    "format_exact",
    "to_fraction",
]


# numbers, single letters (a letter run is split later), operators, anything else
TOKEN = re.compile(r"\d+(?:\.\d+)?|[A-Za-z]+|[+\-*/^()=×÷−]|\S")


_MATH_OP = set("+-*/^()=×÷−")


_VAR_HINT = re.compile(r"\b(?:for|find|solve for|value of)\s+([A-Za-z])\b", re.IGNORECASE)


def _is_math_token(tok: str) -> bool:
    return tok[0].isdigit() or tok in _MATH_OP or (tok.isalpha() and len(tok) == 1)


def find_equation(text: str) -> str | None:
    """The longest run of math tokens in ``text`` that holds exactly one '='."""
    span = find_equation_span(text)
    return None if span is None else text[span[0] : span[1]]


def find_equation_span(text: str) -> tuple[int, int] | None:
    """Where :func:`find_equation`'s equation stands in ``text`` (the first of the longest runs)."""
    best: tuple[int, int] | None = None
    run: list[re.Match[str]] = []

    def flush() -> None:
        nonlocal best
        # trim dangling operators and lone letters at the edges (articles, "a", "x:" labels)
        while run and (run[0].group() in "+*/^=)" or (run[0].group().isalpha() and _is_label(run, 0))):
            run.pop(0)
        while run and run[-1].group() in "+-*/^=(":
            run.pop()
        toks = [m.group() for m in run]
        if toks.count("=") == 1 and any(t.isalpha() for t in toks) and toks[0] != "=" and toks[-1] != "=":
            s = (run[0].start(), run[-1].end())
            if best is None or s[1] - s[0] > best[1] - best[0]:
                best = s
        run.clear()

    for m in TOKEN.finditer(text):
        tok = m.group()
        if _is_math_token(tok):
            run.append(m)
        elif tok == "." and run and run[-1].group()[0].isdigit():
            flush()
        elif tok == "!" and run and m.start() == run[-1].end() and not text.startswith("!=", m.start()):
            run.clear()  # "4!": a factorial, which this reader does not take; the math around it is not read
        else:
            flush()
    flush()
    return best


def _is_label(run: list[re.Match[str]], i: int) -> bool:
    # a single letter followed directly by another letter or digit token is part of the math
    if i + 1 >= len(run):
        return True
    nxt = run[i + 1].group()
    return not (nxt in _MATH_OP or nxt[0].isdigit())


def variable_hint(text: str) -> str | None:
    m = _VAR_HINT.search(text)
    return m.group(1) if m else None


def _explicit(expr: str) -> str:
    """Insert '*' for implicit multiplication and split letter runs into single letters."""
    toks = [t for t in TOKEN.findall(expr.replace("×", "*").replace("÷", "/").replace("−", "-"))]
    out: list[str] = []
    for t in toks:
        pieces = list(t) if t.isalpha() else [t]
        for p in pieces:
            if out:
                prev = out[-1]
                if (prev[0].isdigit() or prev.isalpha() or prev == ")") and (p[0].isdigit() or p.isalpha() or p == "("):
                    if not (prev[0].isdigit() and p[0].isdigit()):
                        out.append("*")
            out.append(p)
    return " ".join(out)


_ALLOWED = re.compile(r"^[0-9A-Za-z.+\-*/^() ]+$")


@lru_cache(maxsize=4096)
def parse_side(expr: str) -> Any:
    """Parse one side of an equation to a sympy expression, or raise InvalidEquationError."""
    import sympy
    from sympy.parsing.sympy_parser import (
        auto_number,
        convert_xor,
        parse_expr,
        rationalize,
    )

    check_expression(expr)  # before any evaluation: towers, huge exponents, deep nesting
    text = _explicit(expr.strip())
    if not text or not _ALLOWED.match(text):
        raise InvalidEquationError("not an arithmetic expression", equation=expr)
    local = {ch: sympy.Symbol(ch) for ch in set(re.findall(r"[A-Za-z]", text))}
    try:
        value = parse_expr(
            text,
            local_dict=local,
            global_dict={"Integer": sympy.Integer, "Float": sympy.Float, "Rational": sympy.Rational, "Symbol": sympy.Symbol},
            transformations=(auto_number, rationalize, convert_xor),
        )
    except Exception as e:  # sympy raises many types on bad syntax
        raise InvalidEquationError(f"cannot parse ({type(e).__name__})", equation=expr) from e
    if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise InvalidEquationError("division by zero", equation=expr)
    return value


@dataclass(frozen=True)
class EquationInfo:
    """A parsed single equation: ``lhs = rhs`` in ``variable``."""

    text: str
    lhs: Any
    rhs: Any
    variable: str
    unknowns: tuple[str, ...]
    degree: int
    var_both_sides: bool
    solutions: tuple[Any, ...]


def parse_equation(eq: str, variable: str | None = None, *, solve: bool = True) -> EquationInfo:
    """Parse ``lhs = rhs``; with ``solve`` also compute its solution set in ``variable``."""
    import sympy

    if eq.count("=") != 1:
        raise InvalidEquationError("expected exactly one '='", equation=eq)
    left, right = eq.split("=")
    lhs, rhs = parse_side(left), parse_side(right)
    syms = sorted({s.name for s in (lhs.free_symbols | rhs.free_symbols)})
    if not syms:
        raise InvalidEquationError("no unknown in equation", equation=eq)
    var: str = variable if variable is not None and variable in syms else ("x" if "x" in syms and variable is None else syms[0])
    if variable is not None and variable not in syms:
        raise InvalidEquationError(f"variable {variable!r} does not occur", equation=eq)
    x = sympy.Symbol(var)
    diff = sympy.together(lhs - rhs)
    num, den = sympy.fraction(diff)
    num = sympy.expand(num)
    try:
        degree = int(sympy.Poly(num, x).degree()) if num.has(x) else 0
    except sympy.PolynomialError:
        degree = -1  # not polynomial in x (e.g. x in an exponent)
    both = lhs.has(x) and rhs.has(x)
    sols: tuple[Any, ...] = ()
    if solve:
        if degree == 0:
            if num == 0:
                raise InvalidEquationError("identity: every value is a solution", equation=eq)
            raise InvalidEquationError(f"no value of {var} satisfies it", equation=eq)
        if degree == 1:
            a = num.coeff(x, 1)
            b = num.coeff(x, 0)
            root = sympy.simplify(-b / a) if a.free_symbols else -b / a
            sols = (root,)
        else:
            if degree > MAX_SOLVE_DEGREE:
                raise InvalidEquationError(f"degree {degree} is above the solvable limit of {MAX_SOLVE_DEGREE}", equation=eq)
            try:
                found = sympy.solve(sympy.Eq(lhs, rhs), x)
            except Exception as e:
                raise InvalidEquationError(f"cannot solve ({type(e).__name__})", equation=eq) from e
            sols = tuple(sorted(set(found), key=sympy.default_sort_key))
        # drop roots that make a denominator vanish
        sols = tuple(s for s in sols if not (den.has(x) and sympy.simplify(den.subs(x, s)) == 0))
        if not sols:
            raise InvalidEquationError(f"no value of {var} satisfies it", equation=eq)
    return EquationInfo(eq.strip(), lhs, rhs, var, tuple(syms), degree, both, sols)


def parse_number(text: str) -> Fraction | None:
    """An exact number: integer, fraction ``p/q`` or terminating decimal, optionally signed."""
    t = text.strip().replace(" ", "").replace("−", "-")
    m = re.fullmatch(r"([+-]?)\(?([+-]?\d+(?:\.\d+)?)(?:/(\d+))?\)?", t)
    if not m:
        return None
    sign = -1 if m.group(1) == "-" else 1
    try:
        value = Fraction(m.group(2))
        if m.group(3) is not None:
            den = int(m.group(3))
            if den == 0:
                return None
            value /= den
    except (ValueError, ZeroDivisionError):
        return None
    return sign * value


def format_number(value: Fraction, *, decimal: bool = False) -> str:
    """Integer, or a terminating decimal when asked and exact, else a reduced fraction."""
    if value.denominator == 1:
        return str(value.numerator)
    if decimal:
        den = value.denominator
        while den % 2 == 0:
            den //= 2
        while den % 5 == 0:
            den //= 5
        if den == 1:
            s = f"{float(value):.12f}".rstrip("0").rstrip(".")
            if Fraction(s) == value:
                return s
    return f"{value.numerator}/{value.denominator}"


class _NonLinear(Exception):
    pass


def _digits(value: Fraction) -> int:
    return max(value.numerator.bit_length(), value.denominator.bit_length()) * 30103 // 100000 + 1


def linear_form(eq: str, variable: str) -> tuple[Fraction, Fraction] | None:
    """``(a, b)`` with ``lhs - rhs == a*variable + b``, in exact fractions, or ``None``.

    A fast path (tens of microseconds) for the common case: one unknown,
    degree at most one. Anything else (another letter, a product of unknowns,
    division by the unknown) returns ``None`` and callers fall back to sympy.
    """
    if eq.count("=") != 1:
        return None
    left, right = eq.split("=")
    try:
        check_expression(eq, shallow=True)  # _LinParser bounds its own powers
        la, lb = _LinParser(left, variable).parse()
        ra, rb = _LinParser(right, variable).parse()
    except (_NonLinear, ZeroDivisionError, IndexError, ValueError, InvalidEquationError):
        return None
    return la - ra, lb - rb


class _LinParser:
    def __init__(self, text: str, variable: str) -> None:
        toks: list[str] = []
        for t in TOKEN.findall(text.replace("×", "*").replace("÷", "/").replace("−", "-")):
            if t.isalpha():
                if any(ch != variable for ch in t):
                    raise _NonLinear
                toks.extend(t)
            elif t[0].isdigit() or t in "+-*/^()":
                toks.append(t)
            else:
                raise _NonLinear
        if not toks:
            raise _NonLinear
        self.toks = toks
        self.i = 0
        self.var = variable

    def parse(self) -> tuple[Fraction, Fraction]:
        value = self.expr()
        if self.i != len(self.toks):
            raise _NonLinear
        return value

    def peek(self) -> str | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def expr(self) -> tuple[Fraction, Fraction]:
        a, b = self.term()
        while self.peek() in ("+", "-"):
            op = self.toks[self.i]
            self.i += 1
            c, d = self.term()
            a, b = (a + c, b + d) if op == "+" else (a - c, b - d)
        return a, b

    def term(self) -> tuple[Fraction, Fraction]:
        a, b = self.unary()
        while True:
            nxt = self.peek()
            if nxt in ("*", "/"):
                self.i += 1
                c, d = self.unary()
                if nxt == "*":
                    a, b = self._mul(a, b, c, d)
                else:
                    if c != 0 or d == 0:
                        raise _NonLinear
                    a, b = a / d, b / d
            elif nxt is not None and (nxt[0].isdigit() or nxt == self.var or nxt == "("):
                if nxt[0].isdigit() and self.toks[self.i - 1][0].isdigit():
                    # two numbers side by side ("1 200", "2 1/2") are no product a person means; the sympy path
                    # (``_explicit``) refuses them too
                    raise _NonLinear
                c, d = self.power()  # implicit multiplication: 3x, 2(x + 1)
                a, b = self._mul(a, b, c, d)
            else:
                return a, b

    @staticmethod
    def _mul(a: Fraction, b: Fraction, c: Fraction, d: Fraction) -> tuple[Fraction, Fraction]:
        if a != 0 and c != 0:
            raise _NonLinear
        return a * d + c * b, b * d

    def unary(self) -> tuple[Fraction, Fraction]:
        if self.peek() in ("+", "-"):
            op = self.toks[self.i]
            self.i += 1
            a, b = self.unary()
            return (-a, -b) if op == "-" else (a, b)
        return self.power()

    def power(self) -> tuple[Fraction, Fraction]:
        a, b = self.atom()
        if self.peek() == "^":
            self.i += 1
            ea, eb = self.unary()
            if ea != 0 or eb.denominator != 1 or eb < 0:
                raise _NonLinear
            n = int(eb)
            if n > MAX_EXPONENT or _digits(b) * max(n, 1) > MAX_RESULT_DIGITS:
                raise _NonLinear  # the sympy path refuses it with a typed error
            if n == 1:
                return a, b
            if a != 0:
                raise _NonLinear
            return Fraction(0), b**n if n else Fraction(1)
        return a, b

    def atom(self) -> tuple[Fraction, Fraction]:
        t = self.toks[self.i]
        self.i += 1
        if t == "(":
            value = self.expr()
            if self.peek() != ")":
                raise _NonLinear
            self.i += 1
            return value
        if t == self.var:
            return Fraction(1), Fraction(0)
        if t[0].isdigit():
            return Fraction(0), Fraction(t)
        raise _NonLinear


def to_fraction(value: Any) -> Fraction | None:
    """A sympy rational as an exact ``Fraction`` (``None`` for anything else)."""
    try:
        return Fraction(int(value.p), int(value.q))
    except (AttributeError, TypeError, ValueError):
        return None


def format_exact(value: Any) -> str:
    import sympy

    if isinstance(value, sympy.Rational):
        text = format_number(Fraction(int(value.p), int(value.q)))
        return text
    return sympy.sstr(value).replace("**", "^")
