"""Adapting a cached answer to a word problem with other names and numbers: every computation re-derived in order.

The question's quantities map by where they stand (the gate made sure both questions have the same template), names
by which person they are. Each cached computation is re-derived with its operands' new values: a question number
becomes the new question's number in that slot, an earlier result becomes its re-derived value, a named constant
stays. Every other number of the answer follows the same map. A step whose new value no longer fits its role is
left as it was (verification then fails it and the model answers): a count that stops being a whole number, a
quantity that turns negative, a share over 100%, a comparison whose outcome flips, or a number that two slots (or a slot and a result) gave the same
value, so that its source cannot be told.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction

from ...values import Step
from ..base import AdaptContext
from .numbers import write_number
from .parse import WordProblem
from .read import Num, comparisons, computations, evaluate, final_answer
from .verify import in_cents, line_numbers, named_constants

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

    def get(self, old: Fraction) -> Fraction | None:
        return self._map.get(old)

    def __contains__(self, old: object) -> bool:
        return old in self._map or old in self._ambiguous


def question_map(old: WordProblem, new: WordProblem) -> ValueMap:
    """The question's quantities, slot by slot (with a percentage's share and a fraction's parts)."""
    m = ValueMap()
    for a, b in zip(old.quantities, new.quantities, strict=False):
        m.add(a.value, b.value)
        if a.kind == "percent":
            m.add(a.value / 100, b.value / 100)
            m.add(1 - a.value / 100, 1 - b.value / 100)
            m.add(1 + a.value / 100, 1 + b.value / 100)
            m.add(100 - a.value, 100 - b.value)
            m.add(100 + a.value, 100 + b.value)
        if in_cents(old.prompt, a.end) and in_cents(new.prompt, b.end):
            m.add(a.value / 100, b.value / 100)
        if a.value.denominator != 1 or b.value.denominator != 1:
            m.add(Fraction(a.value.numerator), Fraction(b.value.numerator))
            m.add(Fraction(a.value.denominator), Fraction(b.value.denominator))
    return m


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
        constants = named_constants(line, old.prompt) & named_constants(line, new.prompt)
        edits: dict[tuple[int, int], Fraction] = {}

        def source(num: Num) -> Fraction:
            """The new value of a number read in the cached line."""
            picks = set()
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

        for comp in computations(line):
            values = [source(n) for n in comp.operands]
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
            if (num.start, num.end) in edits:
                continue
            if final is not None and final[2] == num.end:  # the final answer is the last result, nothing else
                value = results.get(num.value)
                if value is None:
                    raise _Refused("a final answer that is no result")
                edits[(num.start, num.end)] = value
            else:
                edits[(num.start, num.end)] = source(num)
        for c in comparisons(line):
            left = edits.get((c.left.start, c.left.end), c.left.value)
            right = edits.get((c.right.start, c.right.end), c.right.value)
            if c.holds(left, right) != c.holds():
                raise _Refused("a comparison whose outcome flips")
        text = line
        for (start, end), value in sorted(edits.items(), reverse=True):
            text = text[:start] + write_number(value, line[start:end]) + text[end:]
        text = _rename(text, old.names, new.names)
        return step if text == line else replace(step, text=text, origin="adapted")


def _rename(text: str, old: Sequence[str], new: Sequence[str]) -> str:
    """Names replaced all at once (a swap stays a swap)."""
    pairs = {a: b for a, b in zip(old, new, strict=True) if a != b}
    if not pairs:
        return text
    pattern = re.compile(r"\b(" + "|".join(re.escape(a) for a in sorted(pairs, key=len, reverse=True)) + r")\b")
    return pattern.sub(lambda m: pairs[m.group(1)], text)
