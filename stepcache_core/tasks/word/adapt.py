"""Adapting a cached answer to a word problem with other names and numbers: every computation re-derived in order.

The question's quantities map by where they stand (the gate made sure both questions have the same template), names
by which person they are. Each cached computation is re-derived with its operands' new values: a question number
becomes the new question's number in that slot, an earlier result its re-derived value, a named constant stays;
every other number of the answer, and every count in words, follows the same map. Where a value alone cannot tell
which quantity a number is (a 1 or 2 that may be a count the answer never wrote down, a constant or a result of
the question number's value), the answer must write it as the question did (:class:`_Echoes`), and never when two
numbers of the question share that value. A fraction follows as a pair with what is left of it.

The adapter refuses (returns the steps as they were, which :class:`~.carry.WordCarryover` then finds stale) when
a value no longer fits its role: a count that stops being a whole number, a quantity that turns negative, a share
over 100%, a comparison whose outcome flips, or a number whose source cannot be told.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction
from functools import lru_cache

from ...values import Step
from ..base import AdaptContext
from .numbers import Quantity, quantities, to_fraction, write_number, write_words
from .parse import WordProblem
from .read import Computation, Num, comparisons, computations, evaluate, final_answer
from .verify import in_cents, line_numbers, named_constants, overlaps

__all__ = ["WordAdapter", "ValueMap"]


class ValueMap:
    """Old values to new ones; a value mapped two ways is ambiguous and maps to nothing."""

    def __init__(self) -> None:
        self._map: dict[Fraction, Fraction] = {}
        self._ambiguous: set[Fraction] = set()

    def add(self, old: Fraction, new: Fraction) -> None:
        if old in self._ambiguous:
            return
        if old in self._map and self._map[old] != new:
            del self._map[old]
            self._ambiguous.add(old)
            return
        self._map[old] = new

    def block(self, old: Fraction) -> None:
        """``old`` may stand for something this map cannot follow: it maps to nothing."""
        self._map.pop(old, None)
        self._ambiguous.add(old)

    def get(self, old: Fraction) -> Fraction | None:
        return self._map.get(old)

    def __contains__(self, old: object) -> bool:
        return old in self._map or old in self._ambiguous


_Pair = tuple[Fraction, Fraction]


def fraction_pairs(old: WordProblem, new: WordProblem) -> tuple[dict[_Pair, _Pair], set[_Pair]]:
    """A fraction of the question ("one fifth") written as its two parts in the answer ("950 × 1/5", "1 ÷ 5"):
    its (numerator, denominator) to the new question's, so the 1 of "1/5" is not mistaken for another 1. Also
    the pairs that cannot be followed: "half" leaves a half, so ``1/2`` may be the share or what is left of it,
    which another fraction than a half tells apart."""
    pairs: dict[_Pair, _Pair] = {}
    clashes: set[_Pair] = set()
    for a, b in zip(old.quantities, new.quantities, strict=False):
        if a.value.denominator == 1 or b.value.denominator == 1 or not 0 < a.value < 1 or not 0 < b.value < 1:
            continue
        # the share and what is left of it ("dropped three quarters": 64 × 1 ÷ 4 are left)
        for x, y in ((a.value, b.value), (1 - a.value, 1 - b.value)):
            key, got = (Fraction(x.numerator), Fraction(x.denominator)), (Fraction(y.numerator), Fraction(y.denominator))
            if pairs.get(key, got) != got:
                clashes.add(key)
            pairs[key] = got
    return {k: v for k, v in pairs.items() if k not in clashes}, clashes


def question_map(old: WordProblem, new: WordProblem) -> ValueMap:
    """The question's quantities, slot by slot (with a percentage's share, and a unit fraction's divisor: "half"
    to "one third" divides by 3 where it divided by 2)."""
    m = ValueMap()
    for a, b in zip(old.quantities, new.quantities, strict=False):
        m.add(a.value, b.value)
        if a.value.denominator != 1:
            if a.value.numerator == 1 == b.value.numerator and b.value.denominator != 1:
                m.add(Fraction(a.value.denominator), Fraction(b.value.denominator))
            else:  # a bare 4 of "three quarters" that turns into "two fifths": which part it was cannot be told
                m.block(Fraction(a.value.denominator))
                if a.value.numerator != 1:
                    m.block(Fraction(a.value.numerator))
        if a.kind == "percent":
            m.add(a.value / 100, b.value / 100)
            m.add(1 - a.value / 100, 1 - b.value / 100)
            m.add(1 + a.value / 100, 1 + b.value / 100)
            m.add(100 - a.value, 100 - b.value)
            m.add(100 + a.value, 100 + b.value)
        if in_cents(old.prompt, a.end) and in_cents(new.prompt, b.end):
            m.add(a.value / 100, b.value / 100)
    return m


_IMPLICIT = frozenset({Fraction(1), Fraction(2)})


class _Refused(Exception):
    pass


class WordAdapter:
    """Re-derives a cached answer for a question with the same template and other names or numbers."""

    def adapt(self, old: WordProblem, new: WordProblem, steps: Sequence[Step], ctx: AdaptContext) -> list[Step]:
        if len(old.quantities) != len(new.quantities) or len(old.names) != len(new.names):
            return list(steps)
        questions = question_map(old, new)
        results = ValueMap()
        out: list[Step] = []
        try:
            for step in steps:
                out.append(self._line(step, old, new, questions, results))
        except _Refused:
            return list(steps)
        return out

    def _line(self, step: Step, old: WordProblem, new: WordProblem, questions: ValueMap, results: ValueMap) -> Step:
        line = step.text
        # a word that is a slot of the question ("twice", "half") names no constant: it is the question's quantity
        constants = named_constants(_unslotted(line, old), _unslotted(old.prompt, old)) & named_constants(
            _unslotted(line, new), _unslotted(new.prompt, new)
        )
        edits: dict[tuple[int, int], Fraction] = {}
        word_edits: dict[tuple[int, int], str] = {}
        echoes = _echoes_in(line, old)

        def source(num: Num) -> Fraction:
            """The new value of a number read in the cached line."""
            slot = echoes.slot(num)
            if slot is not None:  # written as the question wrote one of its quantities: that quantity's new value
                index, divisor = slot
                now = new.quantities[index].value
                if divisor and now.numerator != 1:
                    raise _Refused(f"{num.value} divides by a fraction that is no unit fraction any more")
                value = Fraction(now.denominator) if divisor else now
                if num.value in results and results.get(num.value) != value:
                    raise _Refused(f"{num.value} is also a result")
                return value
            if num.value in questions and questions.get(num.value) != num.value and _unlike(old, line, num):
                # "3 feet" where the question's 3 is "3 yard(s)": another quantity with the same value
                raise _Refused(f"{num.value} counts something else than the question's {num.value}")
            picks = set()
            small = num.value in questions and num.value in _IMPLICIT and questions.get(num.value) != num.value
            if small and num.value not in results:
                # a 1 or a 2 the answer states may be the question's, or one it never wrote down ("the first
                # two cods", "a pair"): when the question's changes, which one it was cannot be told unless the
                # answer writes it as the question did
                raise _Refused(f"{num.value} may be the question's or an unstated count")
            for table in (results, questions):
                if num.value in table:
                    got = table.get(num.value)
                    if got is None:
                        raise _Refused(f"{num.value} is ambiguous")
                    picks.add(got)
            if num.value in constants:  # a week's 7 that is also the question's 7: which one it is cannot be told
                picks.add(num.value)
            if len(picks) != 1:
                raise _Refused(f"{num.value} cannot be placed")
            return picks.pop()

        pairs, clashes = fraction_pairs(old, new)

        def new_operands(comp: Computation) -> list[Fraction]:
            """The new values of a computation's operands; a fraction's two parts as a pair."""
            out: dict[int, Fraction] = {}
            toks = comp.tokens
            for k in range(len(toks) - 2):
                a, op, b = toks[k], toks[k + 1], toks[k + 2]
                if isinstance(a, Num) and op == "/" and isinstance(b, Num):
                    if (a.value, b.value) in clashes:
                        raise _Refused(f"{a.value}/{b.value} may be the share or what is left of it")
                    if (a.value, b.value) in pairs:
                        out[id(a)], out[id(b)] = pairs[(a.value, b.value)]
            return [out[id(n)] if id(n) in out else source(n) for n in comp.operands]

        for comp in computations(line):
            values = new_operands(comp)
            operands = [v / 100 if n.percent else v for n, v in zip(comp.operands, values, strict=True)]
            got = evaluate(comp.tokens, operands)
            if got is None:
                raise _Refused("a computation that no longer evaluates")
            new_result = got * 100 if comp.result.percent else got
            old_result = comp.result.value
            if old_result.denominator == 1 and new_result.denominator != 1:
                raise _Refused("a count that is no longer a whole number")
            if old_result >= 0 > new_result:
                raise _Refused("a quantity that turns negative")
            if comp.result.percent and old_result <= 100 < new_result:
                raise _Refused("a share over 100%")
            for n, v in zip(comp.operands, values, strict=True):
                edits[(n.start, n.end)] = v
            edits[(comp.result.start, comp.result.end)] = new_result
            results.add(old_result, new_result)
        final = final_answer(line)
        for num in line_numbers(line):
            if overlaps(num, set(edits)):
                continue
            if final is not None and final[2] == num.end:  # the final answer is the last result, nothing else
                value = results.get(num.value)
                if value is None:
                    raise _Refused("a final answer that is no result")
                edits[(num.start, num.end)] = value
            elif "/" in line[num.start : num.end]:  # "82/110": each part follows its own source
                top, bottom = line[num.start : num.end].split("/")
                for start, end, part in ((num.start, num.start + len(top), top), (num.end - len(bottom), num.end, bottom)):
                    edits[(start, end)] = source(Num(to_fraction(part), start, end))
            else:
                edits[(num.start, num.end)] = source(num)
        for q in quantities(line):  # "she used four of the spoons": a count in words follows too
            if q.kind != "word" or overlaps(Num(q.value, q.start, q.end), set(edits)):
                continue
            if any(o.text.lower() == q.text.lower() for o in old.quantities):  # the question's own words
                said = questions.get(q.value)
                if said is None:
                    raise _Refused(f"{q.text!r} is ambiguous")
                value = said
            else:
                value = source(Num(q.value, q.start, q.end))
            if value != q.value:
                words = write_words(value, q.text)
                if words is None:
                    raise _Refused(f"{q.text!r} cannot be written for {value}")
                word_edits[(q.start, q.end)] = words
        for c in comparisons(line):
            left = edits.get((c.left.start, c.left.end), c.left.value)
            right = edits.get((c.right.start, c.right.end), c.right.value)
            if c.holds(left, right) != c.holds():
                raise _Refused("a comparison whose outcome flips")
        written = {span: write_number(value, line[span[0] : span[1]]) for span, value in edits.items()} | word_edits
        text = line
        for (start, end), new_text in sorted(written.items(), reverse=True):
            text = text[:start] + new_text + text[end:]
        text = _rename(text, old.names, new.names)
        return step if text == line else replace(step, text=text, origin="adapted")


_CURRENCY = re.compile(r"(?:€|£|¥|\\\$|(?<!\$)\$(?!\$))\s?$")
_UNIT = re.compile(r"\s?-?\s?([A-Za-z]{3,})")


class _Echoes:
    """The numbers of a line written as the question wrote one of its quantities (see :func:`_echoes`), each
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
                how = _echoes(q, old.prompt, line, n, roles.get((n.start, n.end), ""))
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


@lru_cache(maxsize=2048)
def _may_be(q: Quantity, value: Fraction) -> bool:
    """Whether an answer's ``value`` may stand for the question's quantity ``q`` (itself, or a fraction's part)."""
    return q.value == value or (q.value.denominator != 1 and value in (q.value.numerator, q.value.denominator))


@lru_cache(maxsize=2048)
def _echoes_in(line: str, old: WordProblem) -> _Echoes:
    """A cached answer's lines are read again for every variant: their echoes are kept per line and question."""
    return _Echoes(line, old)


_NOT_COUNTED = frozenset("more less fewer each per times than and of the for as a an to in on at".split())


def _counted(text: str, end: int) -> str | None:
    """The word a number at ``end`` counts ("20 letters": ``lett``), if one follows it."""
    m = _UNIT.match(text, end)
    word = m.group(1).lower() if m else ""
    return word[:4] if word and word not in _NOT_COUNTED else None


def _echoes(q: Quantity, prompt: str, line: str, num: Num, role: str) -> bool | None:
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
    unit_q, unit_n = _UNIT.match(prompt, q.end), _UNIT.match(line, num.end)
    return False if unit_q and unit_n and unit_q.group(1)[:4].lower() == unit_n.group(1)[:4].lower() else None


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


def _unlike(old: WordProblem, line: str, num: Num) -> bool:
    """Whether ``num`` is a measure in another unit ("3 feet") than every quantity of the question with its value
    ("3 yard(s)"): then it is another quantity with the same value, such as a conversion's constant."""
    unit = _measure_after(line, num.end)
    if unit is None:
        return False
    units = [_measure_after(old.prompt, q.end) for q in old.quantities if q.value == num.value and q.kind != "word"]
    return bool(units) and None not in units and unit not in units


def _unslotted(text: str, problem: WordProblem) -> str:
    """``text`` without the words that are quantities of ``problem`` ("twice", "half", "a dozen")."""
    words = {q.text for q in problem.quantities if q.kind == "word"}
    if not words:
        return text
    return re.sub(r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b", " ", text, flags=re.I)


def _rename(text: str, old: Sequence[str], new: Sequence[str]) -> str:
    """Names replaced all at once (a swap stays a swap)."""
    pairs = {a: b for a, b in zip(old, new, strict=True) if a != b}
    if not pairs:
        return text
    pattern = re.compile(r"\b(" + "|".join(re.escape(a) for a in sorted(pairs, key=len, reverse=True)) + r")\b")
    return pattern.sub(lambda m: pairs[m.group(1)], text)
