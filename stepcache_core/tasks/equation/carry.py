"""What a reused solution carries over from the cached equation that the new one does not share."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from ...values import Step, Verdict
from ..word.numbers import quantities
from .expr import linear_form, parse_number, to_fraction
from .notation import NUMBER, label_end, math_view, statements
from .parse import EquationProblem
from .verify import answer_spans

__all__ = ["EquationCarryover", "form_moved", "letter_as_word", "root_doubt", "solved_by_engine"]


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
        if old.name != new.name and (word := letter_as_word(old.name, cached)):
            return [Verdict(False, f"the variable's letter {old.name!r} is a word of the answer too ({word!r})")]
        if old.constants == new.constants and old.solutions == new.solutions:
            return []  # a renamed variable keeps every number and every claim about them true
        if not solved_by_engine(old, cached) and (why := form_moved(old, new, cached)):
            return [Verdict(False, why)]  # no step's: no patch of the cached steps is the model's layout
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


# numbers in words beyond English (the word task's reader has English): a step that says a number so ("dividimos
# entre tres") restates it in a form no rewrite of digits reaches
_NUMBER_WORDS = re.compile(
    r"(?<![^\W\d_])(?:dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|deux|trois|quatre|cinq|sept|huit|neuf|dix|"
    r"zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|due|tre|quattro|cinque|sei|sette|otto|nove|dieci|"
    r"dois|duas|três|quatro|cinco|seis|sete|oito|nove|dez)(?![^\W\d_])",
    re.IGNORECASE,
)
_PADDED = re.compile(r"(?<![\d.])\d+\.\d*0(?![\d.])")
_APPROX = re.compile(r"≈|~|\\approx|\bapprox\w*|\babout\b|\broughly\b|\brounded\b", re.IGNORECASE)


# a quotient the steps write ("15/3 = 5", "x = 16/3", "\\frac{6}{4}"): a model that writes one may write another
# as it reduces ("x = 16/3" beside "x = 6/4 = 3/2", "\\frac{18}{3}" and then 6)
_FRACTION = re.compile(r"\d\s*/\s*\d|\\[dt]?frac")


def _places(value: Fraction) -> int:
    places = 0
    while value.denominator != 1 and places < 12:
        value, places = value * 10, places + 1
    return places


def _quotient(a: Fraction, b: Fraction) -> str:
    """How the quotient ``-b/a`` of ``a*x + b = 0``, written as the steps divide, comes out: whole, reducing to
    lowest terms, or in them already."""
    if (b / a).denominator == 1:
        return "whole"
    if a.denominator != 1 or b.denominator != 1:
        return "lowest"  # (decimal constants: the steps write no quotient of the two)
    return "reduces" if math.gcd(int(b), int(a)) > 1 else "lowest"


_DECIMAL = re.compile(r"\d\.\d")


def solved_by_engine(old: EquationProblem, steps: Sequence[Step]) -> bool:
    """Whether ``steps`` are the deterministic solver's for ``old`` (stored where the model's answer was wrong in
    value): its layout is the solver's, the same for every value (exact fractions, no prose), so how the model
    would write another value is no question there."""
    from .solve import EquationSolver

    try:
        return "\n".join(s.text.strip() for s in steps) == EquationSolver().solve(old).strip()
    except Exception:  # a problem the solver cannot write: not its steps
        return False


def root_doubt(old: EquationProblem, new: EquationProblem, steps: Sequence[Step]) -> str:
    """The doubt (see :mod:`.corroborate`) of adapting ``steps``, the answer to ``old``, to ``new``'s root: how the
    model writes a root of a kind its cached answer never showed. A whole root shows nothing of how a fraction is
    written ("13/3", "4.33", "4 1/3"); a root written as a decimal nothing of another number of places, or of a
    quotient that never ends ("16.67", "≈ 16.667"), nor of a whole one ("2.0"). ``""``: the kind stays (a fraction
    written as a fraction, or one becoming whole)."""
    if len(old.solutions) != 1 or len(new.solutions) != 1:
        return ""
    was, now = to_fraction(old.solutions[0]), to_fraction(new.solutions[0])
    if was is None or now is None or (was.denominator == 1 and now.denominator == 1) or solved_by_engine(old, steps):
        return ""
    if was.denominator == 1:
        return f"written(a root no longer whole: {_form(now)})"
    decimal = any(_DECIMAL.search(s.text) for s in steps)
    if now.denominator == 1:
        return "written(a decimal root that becomes whole)" if decimal else ""  # "x = 2.0" or "x = 2"
    if _form(now) != _form(was):  # "x = 7/2" beside "x ≈ 2.67": a quotient that never ends is often rounded
        return f"written(a root that {'never ends' if _form(now) == 'fraction' else 'ends'})"
    if decimal and _form(now) == "decimal" and _places(now) != _places(was):
        return "written(a decimal root to other places)"
    return ""


def _form(value: Fraction) -> str:
    """How a value can be written: whole, a terminating decimal, or only as a fraction (or a rounded decimal)."""
    if value.denominator == 1:
        return "whole"
    d = value.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return "decimal" if d == 1 else "fraction"


def form_moved(old: EquationProblem, new: EquationProblem, steps: Sequence[Step]) -> str:
    """Whether the new constants change how the model writes the steps, beyond their digits, so that a rewrite of
    the cached steps' numbers is not the model's answer (helper-176):

    - a coefficient of the unknown that changes sign or becomes (or stops being) 1, or a constant that becomes (or
      stops being) 0: "-3x", not "(-3)x"; "x + 7 = 10" and no "Divide by 1" step; no "+ 0";
    - a quotient the steps write that reduces where the cached one did not, or the other way ("x = 6/4 = 3/2"
      for "x = 9/2");
    - steps that pad or round a number ("x = 5.00", "x ≈ 1.67"): how the next root is padded or rounded is the
      model's own;
    - a number said in words ("Divide both sides by three", "dividimos entre tres"), which no rewrite of digits
      reaches.

    Returns why, or ``""``."""
    try:
        pool = [(Fraction(a), Fraction(b)) for a, b in zip(old.constants, new.constants)]
    except ValueError:
        return ""
    if any((a == 0) != (b == 0) for a, b in pool):
        return "a constant becomes 0, or stops being 0"
    tokens = old.shape.split()
    k = -1
    for i, token in enumerate(tokens):
        if token != "N":
            continue
        k += 1
        coefficient = tokens[i + 1 : i + 2] == ["V"] or tokens[i + 1 : i + 3] == ["*", "V"]
        if coefficient and k < len(pool):
            a, b = pool[k]
            if (a < 0) != (b < 0) or (abs(a) == 1) != (abs(b) == 1):
                return f"the coefficient {a} becomes {b}"
    was_form, now_form = linear_form(old.equation, old.variable), linear_form(new.equation, new.variable)
    if was_form is not None and now_form is not None:
        a, b = was_form[0], now_form[0]
        if (a < 0) != (b < 0) or (abs(a) == 1) != (abs(b) == 1):
            return f"the coefficient {a} becomes {b}"  # collected from both sides: "3x - 2x" is x
    if was_form is not None and now_form is not None and any(_FRACTION.search(s.text) for s in steps):
        # "x = 15/3 = 5" for "x = 16/3", "x = 16/3" for "x = 6/4 = 3/2": a quotient the steps write comes out
        # whole, reduces or is in lowest terms as the numbers fall, and a model writes each its own way
        if _quotient(*was_form) != _quotient(*now_form):
            return "the root's quotient reduces otherwise"
    for step in steps:
        if (m := _PADDED.search(step.text) or _APPROX.search(step.text)) is not None:
            return f"the answer pads or rounds a number ({m.group()!r}), as the model does for each root its own way"
        said = _NUMBER_WORDS.search(step.text) or next((q for q in quantities(step.text) if q.kind == "word"), None)
        if said is not None:
            return f"the answer says a number in words ({said.group() if isinstance(said, re.Match) else said.text!r})"
    return ""


# letters that are words or labels of a language the answers are written in ("a", "I", Spanish "y", Italian "e",
# "i", Portuguese "o", "Step A")
_WORD_LETTERS = frozenset("aAIeEiyYoOuU")
_WORDLIKE = re.compile(r"[^\W\d_]{2,}")


def letter_as_word(letter: str, steps: Sequence[Step]) -> str:
    """Where the variable's one-letter name stands in ``steps`` as a word of the prose, which a rename would
    rewrite ("This is a linear equation in a", "Restamos 7 y obtenemos", "First I subtract", "Step A:"): a letter
    that is a word in some language (``_WORD_LETTERS``) beside a word, any letter between two words. The words
    around it, or ``""``."""
    if len(letter) != 1:
        return ""
    for step in steps:
        for m in re.finditer(rf"(?<![\w\\]){re.escape(letter)}(?!\w)", step.text):
            before = step.text[: m.start()].rstrip().rsplit(None, 1)
            after = step.text[m.end() :].lstrip().split(None, 1)
            left = bool(before) and _WORDLIKE.fullmatch(before[-1].strip("(\"'")) is not None
            right = bool(after) and _WORDLIKE.fullmatch(after[0].strip(",.;:!?)\"'")) is not None
            if (left and right) or (letter in _WORD_LETTERS and (left or right)):
                return " ".join([*(before[-1:]), letter, *(after[:1])])
    return ""
