from fractions import Fraction

import pytest

from stepcache_core.errors import InvalidEquationError
from stepcache_core.tasks.equation.expr import find_equation, format_number, parse_equation, parse_number, variable_hint


@pytest.mark.parametrize(
    "text,eq",
    [
        ("Solve for x: 3x + 5 = 20.", "3x + 5 = 20"),
        ("Given 2(y - 3) = 4y + 1, find y.", "2(y - 3) = 4y + 1"),
        ("What is x if x/4 + 2 = 7?", "x/4 + 2 = 7"),
        ("Solve a: 3a - 2 = 10", "3a - 2 = 10"),
        ("no equation here", None),
    ],
)
def test_find_equation(text, eq):
    assert find_equation(text) == eq


def test_parse_equation_linear_and_structure():
    info = parse_equation("2(y - 3) = 4y + 1", "y")
    assert info.degree == 1 and info.var_both_sides and info.unknowns == ("y",)
    assert [str(s) for s in info.solutions] == ["-7/2"]


def test_parse_equation_quadratic():
    info = parse_equation("x^2 - 5x + 6 = 0")
    assert info.degree == 2 and sorted(int(s) for s in info.solutions) == [2, 3]


@pytest.mark.parametrize("bad", ["0 = 0", "x = x", "x + 1 = x + 2", "x/0 = 3", "3 + = 4", "x = ", "__import__('os') = x"])
def test_degenerate_or_bad_equations_raise_typed_error(bad):
    with pytest.raises(InvalidEquationError):
        parse_equation(bad)


def test_variable_hint():
    assert variable_hint("Solve for k: 2k = 4") == "k"


def test_numbers_round_trip():
    assert parse_number("11/4") == Fraction(11, 4)
    assert parse_number("-2.75") == Fraction(-11, 4)
    assert parse_number("1/0") is None
    assert format_number(Fraction(11, 4)) == "11/4"
    assert format_number(Fraction(11, 4), decimal=True) == "2.75"
    assert format_number(Fraction(1, 3), decimal=True) == "1/3"
