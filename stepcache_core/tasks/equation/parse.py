"""Parsing an equation request: the problem it states, its structure (shape and constants) and detection."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ...errors import InvalidEquationError
from ...values import Request
from .expr import TOKEN, find_equation, linear_form, parse_equation, variable_hint
from .notation import Names, math_view

__all__ = ["EquationProblem", "parse_problem", "detect", "equation_shape", "read_prompt"]


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
    names: Names = Names()
    """Variables written as names (``t1``, ``rate``, ``θ``): ``equation`` and ``variable`` use their placeholders."""

    @property
    def name(self) -> str:
        """The variable as the request writes it."""
        return self.names.name(self.variable)

    @property
    def written(self) -> str:
        """The equation as the request writes it (names restored)."""
        return self.names.restore(self.equation)


_DETECT = re.compile(r"\b(solve|solving|equation|find|what|value|determine|calculate|compute|given|satisf\w*)\b", re.IGNORECASE)


def equation_shape(equation: str, variable: str) -> tuple[str, tuple[str, ...]]:
    shape: list[str] = []
    constants: list[str] = []
    toks = TOKEN.findall(equation.replace("−", "-"))
    for i, tok in enumerate(toks):
        if tok == "-" and i + 1 < len(toks) and toks[i + 1][0].isdigit() and (i == 0 or toks[i - 1] in ("=", "(", "+", "-", "*", "/", "^")):
            continue  # a unary minus belongs to the constant after it: "= -1" has the shape of "= 20"
        if tok[0].isdigit():
            shape.append("N")
            constants.append(f"-{tok}" if i > 0 and toks[i - 1] == "-" and (i == 1 or toks[i - 2] in ("=", "(", "+", "-", "*", "/", "^")) else tok)
        elif tok == variable:
            shape.append("V")
        elif tok.isalpha():
            # letter runs like "3xy" keep their letters; the variable alone maps to V
            shape.append("".join("V" if ch == variable else ch for ch in tok))
        else:
            shape.append(tok)
    return " ".join(shape), tuple(constants)


# a multi-letter unknown the request names ("solve for rate", "find t1"); it counts only if the equation holds it
_NAMED = re.compile(r"\b(?:for|find|solve for|value of)\s+\\?\(?\s*([A-Za-z\\][A-Za-z0-9_{}\\]+)", re.IGNORECASE)
_NOT_NAMES = frozenset("x y z a b c n the all each an its this that which".split())


def _named(prompt: str) -> list[str]:
    return [m.group(1) for m in _NAMED.finditer(prompt) if m.group(1).casefold() not in _NOT_NAMES]


def read_prompt(prompt: str) -> tuple[str, Names] | None:
    """The request's equation in the toolkit's notation, and the variable names it maps (``None``: no equation)."""
    names = Names.detect(prompt, prompt, _named(prompt))
    view = "\n".join(math_view(line, names) for line in prompt.splitlines())
    equation = find_equation(view)
    if equation is None:
        return None
    kept = tuple((n, ch) for n, ch in names.pairs if re.search(rf"(?<![A-Za-z]){ch}(?![A-Za-z])", equation))
    return " ".join(equation.split()), Names(kept)


def parse_problem(request: Request) -> EquationProblem:
    found = read_prompt(request.prompt)
    if found is None:
        raise InvalidEquationError("no equation with one '=' found in the prompt", equation=request.prompt[:80])
    equation, names = found
    hint = variable_hint(math_view(request.prompt, names))
    fast = _fast_problem(request, equation, hint, names)
    if fast is not None:
        return fast
    info = parse_equation(equation, hint)
    shape, constants = equation_shape(equation, info.variable)
    return EquationProblem(
        equation=equation,
        variable=info.variable,
        unknowns=info.unknowns,
        degree=info.degree,
        var_both_sides=info.var_both_sides,
        solutions=info.solutions,
        constants=constants,
        shape=shape,
        prompt=request.prompt,
        names=names,
    )


def _fast_problem(request: Request, equation: str, hint: str | None, names: Names) -> EquationProblem | None:
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
        names=names,
    )


def detect(request: Request) -> bool:
    if request.schema is not None:
        return False
    found = read_prompt(request.prompt)
    if found is None:
        return False
    equation, names = found
    return bool(_DETECT.search(request.prompt)) or " ".join(math_view(request.prompt, names).split()) == equation
