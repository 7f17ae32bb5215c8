"""What a reused solution carries over from the cached equation that the new one does not share."""

from __future__ import annotations

import re
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from ...values import Step, Verdict
from ..word.numbers import quantities
from .expr import parse_number, to_fraction
from .notation import NUMBER, label_end, math_view, statements
from .parse import EquationProblem
from .verify import answer_spans

__all__ = ["EquationCarryover"]


_WORD_NUMBERS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty".split()
    )
} | {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100}


class EquationCarryover:
    """A step the adapter left as cached must not state a number of the cached problem (a constant or a root)
    that the new problem does not have: it restates the other problem's working. ``4x = 12`` holds for
    ``5x - 6 = 9`` as it did for ``4x + 2 = 14`` (both roots are 3), so verification alone passes it. A number
    written as a word ("So x is three") is never adapted, so no reused step may say one of those either.

    Adapted steps are the adapter's own arithmetic, which verification checks link by link: a derived number that
    happens to equal an old constant (``2x = 10 - 6 = 4``) is not stale there.

    Words are read too: a reused answer's prose may only narrate the solving (see ``NARRATION``: "subtract 5 from
    both sides", "so the solution is"). Any other word makes a claim about the cached values that no check reads
    ("which is odd", "the solution is positive", "(an integer)"), and it would be served unchanged for values it
    may not fit: the step saying it is patched through the model (a word outside the steps skips the reuse). So is
    a clause that describes a number in narration words ("x = 5, which equals the constant term", "x = 1/3, the
    reciprocal of the coefficient"), and a number no statement of the new answer derives, written in words or in
    the prose beside a statement ("x = 4, the square root of 16"). Only when the values changed: a renamed
    variable keeps every claim about them true.
    """

    def stale(
        self, old: EquationProblem, new: EquationProblem, cached: Sequence[Step], steps: Sequence[Step], text: str
    ) -> list[Verdict]:
        if old.constants == new.constants and old.solutions == new.solutions:
            return []  # a renamed variable keeps every number and every claim about them true
        gone = _magnitudes(old) - _magnitudes(new)
        derived = _magnitudes(new) | _derived(steps, new)
        out = _claims(old, new, steps, text)
        for step in steps:
            if step.origin not in ("cached", "adapted"):
                continue
            # the adapter rewrites digits, never numbers written as words ("So x is twenty-five"): one the new
            # answer does not derive is the cached values' ("twenty-five" kept for x = 26). A number of the prose
            # beside a statement ("x = 4, the square root of 16") is rewritten by guess, and no check reads it
            said = _in_words(step.text)
            seen = (said & gone) | (((said - _PRONOUNS) | _prose_numbers(step.text, new)) - derived)
            if step.origin == "cached":
                seen |= {
                    abs(v) for n in NUMBER.findall(math_view(step.text, old.names)) if (v := parse_number(n)) is not None
                } & gone
            if seen:
                shown = ", ".join(str(h) for h in sorted(seen))
                out.append(
                    Verdict(
                        False,
                        f"step states {shown}, of the cached equation {old.written!r} or derived by no check",
                        step=step.index,
                    )
                )
        return out


# the words a worked solution narrates its steps with; anything else is a claim the task does not verify
NARRATION = frozenset(
    """a an the of to for from by on in into with at as and or so then thus hence therefore because since means now
    next first second third finally last step steps here here's how what we us our i i'll i'm we'll let let's
    lets it it's its this that these which each both one other side sides left right hand lhs rhs is are be was
    get gets got gives give giving yields yield obtain obtains leaves leaving have has find finds found start
    starting begin solve solving solved solution solutions answer answers final result equation equations
    expression term terms variable variables value values unknown add adding added subtract subtracting
    subtracted multiply multiplying multiplied divide dividing divided simplify simplifying simplified
    simplifies combine combining like isolate isolating isolated move moving moved bring bringing collect
    collecting expand expanding distribute distributing rearrange rearranging rewrite rewriting substitute
    substituting plug plugging back check checking verify verifying cancel cancels out over times plus minus
    equals equal sum difference product quotient reciprocal coefficient constant squared square root roots take
    taking apply applying rule original given true holds correct sides' ✓""".split()
)
_WORDS = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")
_LATEX = re.compile(r"\\(?:begin|end)\{[^}]*\}|\\[a-zA-Z]+")


def _unread_words(text: str, names: frozenset[str]) -> list[str]:
    """The words of ``text`` that neither narrate the solving nor name the variable or a number."""
    words = [w.replace("\u2019", "'") for w in _WORDS.findall(_LATEX.sub(" ", text))]
    return [w for w in words if len(w) > 1 and (f := w.casefold()) not in NARRATION and f not in names and f not in _WORD_NUMBERS]


def _claims(old: EquationProblem, new: EquationProblem, steps: Sequence[Step], text: str) -> list[Verdict]:
    """A failed verdict for each reused step that says a word the task does not read, and one (no step) for such a
    word outside the steps."""
    names = frozenset(w.casefold() for p in (old, new) for w in _WORDS.findall(p.written))
    out: list[Verdict] = []
    for step in steps:
        if step.origin not in ("cached", "adapted"):
            continue
        if unread := _unread_words(step.text, names):
            out.append(Verdict(False, f"step says {unread[0]!r} of the cached values, which no check reads", step=step.index))
        elif described := _describes(step.text):
            out.append(Verdict(False, f"step describes a cached value ({described!r}), which no check reads", step=step.index))
    inside = {w.casefold() for step in steps for w in _unread_words(step.text, names)}
    outside = [w for w in _unread_words(text, names) if w.casefold() not in inside]
    if outside:
        out.append(Verdict(False, f"the answer says {outside[0]!r} of the cached values, which no check reads"))
    return out


# a clause right after a number that opens like a description of it, not like the next step: "x = 5, which equals
# the constant term", "x = 1/3, the reciprocal of the coefficient", "x = 4 (a square)", "x = 5/2, i.e. ...". Its
# words may all narrate (NARRATION), but put after a value they state a property of it or its relation to the
# request's numbers, which no check reads and other numbers may falsify. ", so x = 5" and "(subtract 5 from both
# sides)" narrate the next step and stay.
_DESCRIPTION = re.compile(
    r"\d(?:\s|\$|\\[)\]]|\*\*|[)\]}])*(?:[,;(]|\s[-\u2013\u2014]{1,2})\s*"
    r"(i\.\s?e\.|(?:which|that|the|a|an|this|it|its|being|namely)\s+[^\W\d_])",  # a word, never "3(a + 1)"
    re.IGNORECASE,
)


def _describes(text: str) -> str | None:
    """The first words of a clause of ``text`` describing a number it states (see ``_DESCRIPTION``), if any; the
    line's label ("Step 1: the ...") states no number."""
    m = _DESCRIPTION.search(text, label_end(text))
    return None if m is None else text[m.start(1) : m.start(1) + 30]


def _in_words(text: str) -> set[Fraction]:
    """The numbers ``text`` says in words, a compound one as one number ("twenty-five" is 25, never 20 and 5;
    "one hundred and one" is 101), read by the word task's reader; "zero" and "one", which it does not count,
    read here."""
    said = {q.value for q in quantities(text) if q.kind == "word"}
    return said | {Fraction(_WORD_NUMBERS[w]) for w in re.findall(r"[a-z]+", text.casefold()) if w in ("zero", "one")}


# "one" names a single thing ("one side") as often as a number, "zero" what is left ("leaves zero"): stale only
# when it was a number of the cached request, never for being no number of the new one
_PRONOUNS = frozenset({Fraction(0), Fraction(1)})


def _derived(steps: Sequence[Step], new: EquationProblem) -> set[Fraction]:
    """The magnitudes the new answer's statements write (``3x = 20 - 5 = 15``): verification checks each of them
    for the new request."""
    return {_magnitude(n) for step in steps for run in statements(_view(step.text, new)) for n in NUMBER.findall(run)}


def _prose_numbers(text: str, new: EquationProblem) -> set[Fraction]:
    """The magnitudes of the numbers ``text`` writes outside its statements and its bare final answer ("Divide both
    sides by 3", "the square root of 16"; never ``\\boxed{\\frac{15}{2}}``, which verification reads)."""
    for a, b in sorted(answer_spans(text), reverse=True):
        text = text[:a] + " " * (b - a) + text[b:]
    prose = _view(text, new)
    for run in statements(prose):
        prose = prose.replace(run, " ", 1)
    return {_magnitude(n) for n in NUMBER.findall(prose)}


def _view(text: str, new: EquationProblem) -> str:
    """A step's math view, a continued chain ("&= 20", the line after "4x &= 27 - 7") closed on the left by the
    variable, as verification reads it, so its numbers are a statement's."""
    view = math_view(text, new.names)
    return f"{new.variable} {view}" if view.lstrip().startswith("=") else view


def _magnitude(number: str) -> Fraction:
    value = parse_number(number)  # NUMBER's matches always parse; a zero denominator reads as zero
    return abs(value) if value is not None else Fraction(0)


def _magnitudes(problem: EquationProblem) -> set[Fraction]:
    values: set[Fraction] = set()
    for c in problem.constants:
        v = parse_number(c.lstrip("-"))
        if v is not None:
            values.add(abs(v))
    for root in problem.solutions:
        f: Any = to_fraction(root)
        if f is not None:
            values.add(abs(f))
    return values
