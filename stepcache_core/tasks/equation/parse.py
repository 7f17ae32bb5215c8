"""Parsing an equation request: the problem it states, its structure (shape and constants) and detection."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ...errors import InvalidEquationError
from ...values import Request
from .expr import TOKEN, find_equation, linear_form, parse_equation, variable_hint

__all__ = ["EquationProblem", "parse_problem", "detect", "equation_shape"]


@dataclass(frozen=True)
class EquationProblem:
    """A parsed equation request.

    ``constants`` are the numeric literals of the equation in order, ``shape``
    the equation with numbers as ``N`` and the variable as ``V``: two requests
    with one shape differ only in constants and the variable's name.
    """

    equation: str
    variable: str
    unknowns: tuple[str, ...]
    degree: int
    var_both_sides: bool
    solutions: tuple[Any, ...]
    constants: tuple[str, ...]
    shape: str
    prompt: str


_DETECT = re.compile(r"\b(solve|solving|equation|find|what|value|determine|calculate|compute|given|satisf\w*)\b", re.IGNORECASE)


def equation_shape(equation: str, variable: str) -> tuple[str, tuple[str, ...]]:
    shape: list[str] = []
    constants: list[str] = []
    for tok in TOKEN.findall(equation):
        if tok[0].isdigit():
            shape.append("N")
            constants.append(tok)
        elif tok == variable:
            shape.append("V")
        elif tok.isalpha():
            # letter runs like "3xy" keep their letters; the variable alone maps to V
            shape.append("".join("V" if ch == variable else ch for ch in tok))
        else:
            shape.append(tok)
    return " ".join(shape), tuple(constants)


# a letter run glued to digits ("t1", "x2") or a named multi-letter unknown ("solve for rate"): the math
# toolkit reads single letters only, so "4t1" would be 4*t*1 and a reuse could restate another equation
_SUBSCRIPTED = re.compile(r"[A-Za-z]\d|\d[A-Za-z]\d|[A-Za-z]_")
_NAMED = re.compile(r"\b(?:for|find|solve for|value of)\s+([A-Za-z][A-Za-z0-9_{}]+)", re.IGNORECASE)
_NOT_NAMES = frozenset("x y z a b c n the all each an".split())


def _refuse_names(prompt: str, equation: str) -> None:
    """Refuse variables that are names, not letters, until the toolkit reads them (issue 10): no reuse is
    better than a reuse that restates another equation."""
    if _SUBSCRIPTED.search(equation):
        raise InvalidEquationError("variables with digits or subscripts are not supported by the equation task", equation=equation)
    for m in _NAMED.finditer(prompt):
        name = m.group(1)
        if name.casefold() not in _NOT_NAMES and re.search(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", equation):
            raise InvalidEquationError(f"multi-letter variable {name!r} is not supported by the equation task", equation=equation)


def parse_problem(request: Request) -> EquationProblem:
    equation = find_equation(request.prompt)
    if equation is None:
        raise InvalidEquationError("no equation with one '=' found in the prompt", equation=request.prompt[:80])
    _refuse_names(request.prompt, equation)
    hint = variable_hint(request.prompt)
    fast = _fast_problem(request, equation, hint)
    if fast is not None:
        return fast
    info = parse_equation(equation, hint)
    shape, constants = equation_shape(equation, info.variable)
    return EquationProblem(
        equation=" ".join(equation.split()),
        variable=info.variable,
        unknowns=info.unknowns,
        degree=info.degree,
        var_both_sides=info.var_both_sides,
        solutions=info.solutions,
        constants=constants,
        shape=shape,
        prompt=request.prompt,
    )


def _fast_problem(request: Request, equation: str, hint: str | None) -> EquationProblem | None:
    """One unknown, degree one: solved with exact fractions, no sympy parse."""
    import sympy

    letters = {ch for ch in re.findall(r"[A-Za-z]", equation)}
    if len(letters) != 1 or (hint is not None and hint not in letters):
        return None
    (var,) = letters
    form = linear_form(equation, var)
    if form is None or form[0] == 0:
        return None  # degenerate or non-linear: the sympy path gives the precise error
    a, b = form
    root = -b / a
    left, right = equation.split("=")
    shape, constants = equation_shape(equation, var)
    return EquationProblem(
        equation=" ".join(equation.split()),
        variable=var,
        unknowns=(var,),
        degree=1,
        var_both_sides=var in left and var in right,
        solutions=(sympy.Rational(root.numerator, root.denominator),),
        constants=constants,
        shape=shape,
        prompt=request.prompt,
    )


def detect(request: Request) -> bool:
    if request.schema is not None:
        return False
    eq = find_equation(request.prompt)
    return eq is not None and (bool(_DETECT.search(request.prompt)) or eq.strip() == request.prompt.strip())
