"""Which quantity of the question a number of a cached answer stands for, when its value alone cannot tell.

A value can be a question's number, a constant the answer never names (3 feet per yard, "the first two"), or a
result that happens to equal it. The answer tells them apart where it writes the number as the question did: the
multiplier where it multiplies, a unit fraction's divisor, a percentage, the same currency sign, the same unit
word, or the unit its sum counts (:func:`echoes`). A number written as a measure in another unit than the
question's number of that value is another quantity (:func:`unlike`). Used by :mod:`.adapt`.
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache

from .numbers import Quantity
from .parse import WordProblem
from .read import Num, computations
from .verify import line_numbers

__all__ = ["Echoes", "counts_other", "echoes", "echoes_in", "unlike"]

_THINGS = re.compile(r"[\s-]*([^\W\d_]{3,})")
_CURRENCY = re.compile(r"(?:€|£|¥|\\\$|(?<!\$)\$(?!\$))\s?$")
_UNIT = re.compile(r"\s?-?\s?([A-Za-z]{3,})")


class Echoes:
    """The numbers of a line written as the question wrote one of its quantities (see :func:`echoes`), each
    with the quantity it echoes: its index, and whether it is the divisor of a unit fraction ("half": ``/ 2``).
    A number inside a GSM8K annotation repeats the visible expression beside it ("6 * £2 = £<<6*2=12>>12"): it
    echoes what the same value echoes outside annotations. A number that echoes two quantities echoes none."""

    def __init__(self, line: str, old: WordProblem) -> None:
        roles: dict[tuple[int, int], str] = {}  # how a number takes part in a computation: "*", "/", "%" (x / 100)
        counts: dict[tuple[int, int], str] = {}  # an operand of a computation whose result counts this unit
        nums = list(line_numbers(line))
        for comp in computations(line):
            toks = comp.tokens + ("", "")
            # a sum's terms count what its result counts; a product's factors need not ("10 pizzas * 7 days")
            additive = all(t in ("+", "-") for t in comp.tokens if isinstance(t, str) and t not in ("(", ")"))
            unit = _counted(line, comp.result.end) if additive else None
            for i, t in enumerate(comp.tokens):
                if not isinstance(t, Num):
                    continue
                nums.append(t)
                if unit:
                    counts[(t.start, t.end)] = unit
                before, after, then = toks[i - 1] if i else "", toks[i + 1], toks[i + 2]
                if after == "/" and isinstance(then, Num) and then.value == 100:
                    roles[(t.start, t.end)] = "%"
                elif {before, after} & {"*", "/"}:
                    roles[(t.start, t.end)] = "/" if before == "/" else "*"
        self._annotations = [(m.start(), m.end()) for m in re.finditer(r"<<[^<>]*>>", line)]
        self._by_span: dict[tuple[int, int], tuple[int, bool]] = {}
        visible: dict[Fraction, set[tuple[int, bool]]] = {}
        for n in nums:
            found = set()
            for i, q in enumerate(old.quantities):
                how = echoes(q, old.prompt, line, n, roles.get((n.start, n.end), ""))
                if how is None and q.value == n.value and q.kind != "word":
                    # "3 + 5 + 2 = 10 burritos" where the question said "2 burritos": what the result counts
                    unit = counts.get((n.start, n.end))
                    how = False if unit and unit == _counted(old.prompt, q.end) else None
                if how is not None:
                    found.add((i, how))
            # an echo tells a question's number from a constant or a result of the same value, never from another
            # number of the question with that value ("twice" and "2 kilometers": which 2 it is cannot be told)
            if len(found) == 1 and sum(_may_be(q, n.value) for q in old.quantities) == 1:
                self._by_span[(n.start, n.end)] = next(iter(found))
            if found and not self._annotated(n) and sum(_may_be(q, n.value) for q in old.quantities) == 1:
                visible.setdefault(n.value, set()).update(found)
        self._by_value = {v: next(iter(f)) for v, f in visible.items() if len(f) == 1}

    def _annotated(self, num: Num) -> bool:
        return any(a <= num.start and num.end <= b for a, b in self._annotations)

    def slot(self, num: Num) -> tuple[int, bool] | None:
        """The quantity ``num`` echoes, if any: its index and whether ``num`` is its divisor."""
        if (num.start, num.end) in self._by_span:
            return self._by_span[(num.start, num.end)]
        return self._by_value.get(num.value) if self._annotated(num) else None


def _may_be(q: Quantity, value: Fraction) -> bool:
    """Whether an answer's ``value`` may stand for the question's quantity ``q`` (itself, or a fraction's part)."""
    return q.value == value or (q.value.denominator != 1 and value in (q.value.numerator, q.value.denominator))


@lru_cache(maxsize=2048)
def echoes_in(line: str, old: WordProblem) -> Echoes:
    """A cached answer's lines are read again for every variant: their echoes are kept per line and question."""
    return Echoes(line, old)


_NOT_COUNTED = frozenset("more less fewer each per times than and of the for as a an to in on at".split())


def _counted(text: str, end: int) -> str | None:
    """The word a number at ``end`` counts ("20 letters": ``lett``), if one follows it."""
    m = _UNIT.match(text, end)
    word = m.group(1).lower() if m else ""
    return word[:4] if word and word not in _NOT_COUNTED else None


def echoes(q: Quantity, prompt: str, line: str, num: Num, role: str) -> bool | None:
    """Whether ``num`` in an answer's line is written as the question wrote its quantity ``q``: as the divisor of
    a unit fraction ("half": ``/ 2``), as the multiplier the question states ("twice", "two times") where it
    multiplies or divides (``role``: ``"*"``, ``"/"``, or ``"%"`` for ``x / 100``), as a percentage (``2%``,
    ``2 / 100``), after the same currency sign ("£2" and "6 * £2"), or before the same unit word ("2 glasses"
    and "2 glasses * 12"). ``None`` when it is not; else whether it is the divisor of a unit fraction."""
    if q.value.numerator == 1 and q.value.denominator == num.value and q.value.denominator != 1:
        return True if role == "/" else None
    if q.value != num.value:
        return None
    said = q.text.lower()
    if said.endswith("times") or said in ("twice", "double", "doubled"):
        return False if role else None
    if q.kind == "percent":
        return False if num.percent or role == "%" else None
    before_q, before_n = (
        _CURRENCY.search(prompt[max(0, q.start - 3) : q.start]),
        _CURRENCY.search(line[max(0, num.start - 3) : num.start]),
    )
    if before_q and before_n and before_q.group(0).strip().lstrip("\\") == before_n.group(0).strip().lstrip("\\"):
        return False
    unit = _counted(prompt, q.end)  # a word such as "more" or "each" after both is no unit
    return False if unit is not None and unit == _counted(line, num.end) else None


_MEASURES = {
    unit: name
    for name, spellings in {
        "foot": "foot feet",
        "yard": "yard yards",
        "inch": "inch inches",
        "mile": "mile miles",
        "metre": "meter meters metre metres",
        "kilometre": "kilometer kilometers kilometre kilometres",
        "centimetre": "centimeter centimeters centimetre centimetres",
        "gram": "gram grams",
        "kilogram": "kilogram kilograms",
        "pound": "pound pounds lbs",
        "ounce": "ounce ounces",
        "litre": "liter liters litre litres",
        "millilitre": "milliliter milliliters millilitre millilitres mls",
        "gallon": "gallon gallons",
        "hour": "hour hours",
        "minute": "minute minutes",
        "second": "second seconds",
        "day": "day days",
        "week": "week weeks",
        "month": "month months",
        "year": "year years",
    }.items()
    for unit in spellings.split()
}
"""Units of measure: a number written with one of them is a measure in it (conversions hide constants)."""


def _measure_after(text: str, end: int) -> str | None:
    m = _UNIT.match(text, end)
    return _MEASURES.get(m.group(1).lower()) if m else None


def unlike(old: WordProblem, line: str, num: Num) -> bool:
    """Whether ``num`` is a measure in another unit ("3 feet") than every quantity of the question with its value
    ("3 yard(s)"): then it is another quantity with the same value, such as a conversion's constant."""
    unit = _measure_after(line, num.end)
    if unit is None:
        return False
    units = [_measure_after(old.prompt, q.end) for q in old.quantities if q.value == num.value and q.kind != "word"]
    return bool(units) and None not in units and unit not in units


def _things(text: str, end: int, most: int) -> set[str]:
    """What a number at ``end`` counts, as the words that follow it in its clause (at most ``most``, each cut to
    four letters, so that a plural or an accent at the end reads alike: "cartons", "cartón"), without the words
    that count nothing ("more", "each")."""
    out: set[str] = set()
    for _ in range(most):
        m = _THINGS.match(text, end)
        if m is None:
            break
        word = m.group(1).lower()
        if word not in _NOT_COUNTED:
            out.add(word[:4])
        end = m.end()
    return out


def counts_other(old: WordProblem, line: str, num: Num) -> bool:
    """Whether ``num`` counts a thing the question names ("can fill 6 full cartons") other than what each
    quantity of the question with its value counts ("each carton holds 6 eggs"): a result the answer states
    without computing it (40 eggs fill 6 cartons of 6) that its value alone would take for the question's
    number. Not when a quantity of that value counts nothing said after it ("costs $6."): nothing tells them
    apart then."""
    named = {w.lower()[:4] for w in re.findall(r"[^\W\d_]{3,}", old.prompt)}
    mine = _things(line, num.end, 2) & named
    # the question's words after its number, adjectives included ("42 new potted plants")
    theirs = [_things(old.prompt, q.end, 4) for q in old.quantities if q.value == num.value and q.kind != "word"]
    return bool(mine) and bool(theirs) and all(t and not mine & t for t in theirs)
