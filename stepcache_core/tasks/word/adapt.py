"""Adapting a cached answer to a word problem with other names and numbers: every computation re-derived in order.

The question's quantities map by where they stand (the gate made sure both questions have the same template), names
by which person they are. Each cached computation is re-derived with its operands' new values: a question number
becomes the new question's number in that slot, an earlier result its re-derived value, a named constant stays;
every other number of the answer, and every count in words, follows the same map. Where a value alone cannot tell
which quantity a number is (a 1 or 2 that may be a count the answer never wrote down, a constant or a result of
the question number's value), the answer must write it as the question did (:mod:`.echo`), and never when two
numbers of the question share that value. A fraction follows as a pair with what is left of it.

The adapter refuses (returns the steps as they were, which :class:`~.carry.WordCarryover` then finds stale) when
a value no longer fits its role: a count that stops being a whole number, a quantity that turns negative, a share
over 100%, a comparison whose outcome flips, or a number whose source cannot be told.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from dataclasses import replace
from fractions import Fraction
from math import gcd

from ...values import Step
from ..base import AdaptContext
from .echo import counts_other, echoes_in, unlike
from .gender import gendered, given_name, regendered
from .numbers import (
    CALENDAR,
    UNGROUPED,
    Hand,
    Quantity,
    cardinal,
    decimal_comma,
    english_article,
    group_after,
    half_of_day,
    hand,
    quantities,
    shows_grouping,
    spelling_band,
    to_fraction,
    write_number,
    write_words,
)
from .parse import WordProblem
from .people import proven
from .places import a_place
from .read import Computation, Num, comparisons, computations, evaluate, final_answer
from .verify import (
    idle_counts,
    in_cents,
    left_aside,
    line_numbers,
    named_constants,
    named_counts,
    noun_after,
    overlaps,
    people_counted,
    said_beside,
    set_aside,
    shared_untaken,
    unused_quantity,
)

__all__ = ["WordAdapter", "ValueMap", "inflected"]


_Pick = Callable[[Iterable[Fraction]], Fraction]
# an amount in two units of one measure ("1 hour 15 minutes", "2 h 5 min", "5 feet 3 inches", "3 kg 200 g", "4 lb 2 oz",
# "1 m 20 cm", "2 weeks and 3 days", "1 year 4 months", "3 dollars and 25 cents")
_MIXED_UNITS = re.compile(
    r"\d\s*(?:hours?|hrs?|h|days?|weeks?|years?|yrs?|minutes?|mins?|feet|foot|ft|yards?|yd|miles?|kilograms?|kg|"
    r"pounds?|lbs?|lb|met(?:er|re)s?|m|kilomet(?:er|re)s?|km|dollars?|euros?|pounds?|liters?|litres?|l)\.?,?\s*(?:and\s+)?"
    r"\d+\s*(?:minutes?|mins?|m|seconds?|secs?|s|hours?|hrs?|h|days?|months?|inch(?:es)?|in|feet|foot|ft|ounces?|oz|"
    r"grams?|g|centimet(?:er|re)s?|cm|met(?:er|re)s?|cents?|pence|p|milliliters?|millilitres?|ml)\b",
    re.IGNORECASE,
)
# two numbers glued by a unit's letters ("1h15", "1m20", "3ft4"), not a product ("3x4", "2×5")
_GLUED = re.compile(r"\d(?![xX×]\d)[^\W\d_]{1,3}\d")
# an ending glued to a number whose form follows how the number is said: after an apostrophe ("64'tür", "14'ye",
# not an English decade "the 1990's"), a letter of a script other than the Latin one ("64가", "64个"), an ordinal's
# ending in Dutch, French, German, Spanish, Italian, Portuguese, Finnish or the Scandinavian languages ("13de",
# "21ste", "3e", "1er", "2ème", "12te", "2do", "3ro", "7mo", "12:e", "5:een"),
# a short ending after a hyphen ("64-et")
_SUFFIXED = re.compile(
    r"\d(?:['’](?!s\b)[^\W\d_]|(?![a-zA-ZÀ-ɏ])[^\W\d_]|(?:de|ste|e|er|re|ère|ème|ième|èmes|res|te|ten|ter|tes|ro|do|to|mo|vo|no|ra|da|ta|ma|va|na|:e|:a|:een|:ään|:nä)\b"
    # or a short ending after a hyphen, Hungarian's ("64-et", "53-at", "72-t"), not a compound's word ("3-day-old")
    r"|-[^\W\d_]{1,3}\b(?![-’'])(?!\s+(?:old|long|wide|high|tall|deep)\b))"
)
# the numbers whose every mix of readings :meth:`WordAdapter.readings` tries (2 ** _MIXED re-derivations at most)
_MIXED = 5


class ValueMap:
    """Old values to new ones; a value mapped two ways is ambiguous and maps to nothing."""

    def __init__(self) -> None:
        self._map: dict[Fraction, Fraction] = {}
        self._ambiguous: set[Fraction] = set()
        self._options: dict[Fraction, set[Fraction]] = {}
        self.last: tuple[Fraction, Fraction] | None = None
        """The last pair added (a result map: the last result computed, old and new)."""
        self.percents: set[Fraction] = set()
        """The old values added as percentages (a result map: those computed as a share, "0.75 * 100 = 75%")."""

    def add(self, old: Fraction, new: Fraction) -> None:
        self.last = (old, new)
        if old in self._ambiguous:
            if old in self._options:
                self._options[old].add(new)
            return
        self._options.setdefault(old, set()).add(new)
        if old in self._map and self._map[old] != new:
            del self._map[old]
            self._ambiguous.add(old)
            return
        self._map[old] = new

    def block(self, old: Fraction) -> None:
        """``old`` may stand for something this map cannot follow: it maps to nothing (not even as a guess)."""
        self._map.pop(old, None)
        self._options.pop(old, None)
        self._ambiguous.add(old)

    def get(self, old: Fraction) -> Fraction | None:
        return self._map.get(old)

    def guess(self, old: Fraction, pick: _Pick) -> Fraction | None:
        """One of the values ``old`` was mapped to, even where it is ambiguous (the one ``pick`` takes): one reading."""
        return pick(self._options[old]) if self._options.get(old) else self._map.get(old)

    def __contains__(self, old: object) -> bool:
        return old in self._map or old in self._ambiguous


_Pair = tuple[Fraction, Fraction]


def fraction_pairs(old: WordProblem, new: WordProblem) -> tuple[dict[_Pair, _Pair], dict[_Pair, _Pair]]:
    """A fraction of the question ("one fifth") written as its two parts in the answer ("950 × 1/5", "1 ÷ 5"):
    its (numerator, denominator) to the new question's, so the 1 of "1/5" is not mistaken for another 1. Also
    the pairs that cannot be followed: "half" leaves a half, so ``1/2`` may be the share or what is left of it,
    which another fraction than a half tells apart (with the share's reading, the first)."""
    pairs: dict[_Pair, _Pair] = {}
    clashes: dict[_Pair, _Pair] = {}
    for a, b in zip(old.quantities, new.quantities, strict=False):
        if a.value.denominator == 1 or b.value.denominator == 1 or not 0 < a.value < 1 or not 0 < b.value < 1:
            continue
        # the share and what is left of it ("dropped three quarters": 64 × 1 ÷ 4 are left)
        for x, y in ((a.value, b.value), (1 - a.value, 1 - b.value)):
            key, got = (Fraction(x.numerator), Fraction(x.denominator)), (Fraction(y.numerator), Fraction(y.denominator))
            if pairs.get(key, got) != got:
                clashes.setdefault(key, pairs[key])
            pairs.setdefault(key, got)
    return {k: v for k, v in pairs.items() if k not in clashes}, clashes


def question_map(old: WordProblem, new: WordProblem, keep: Container[int] | None = None) -> ValueMap:
    """The question's quantities, slot by slot (with a percentage's share, and a unit fraction's divisor: "half"
    to "one third" divides by 3 where it divided by 2); ``keep``: only the quantities of these indices."""
    m = ValueMap()
    for i, (a, b) in enumerate(zip(old.quantities, new.quantities, strict=False)):
        if keep is not None and i not in keep:
            continue
        m.add(a.value, b.value)
        if a.value.denominator != 1:
            if a.value == b.value:  # the same fraction: its parts stay what they were (unless mapped otherwise)
                m.add(Fraction(a.value.denominator), Fraction(a.value.denominator))
                m.add(Fraction(a.value.numerator), Fraction(a.value.numerator))
            elif a.value.numerator == 1 == b.value.numerator and b.value.denominator != 1:
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
# a number said as a percentage, by sign or in words ("75%", "75 per cent", "75 percentage points", "75 por ciento", "75 Prozent")
_PERCENT_SAID = re.compile(
    r"\s?(?:%|\\%|percent\w*|per\s?cent\b|pct\b|por\s+ciento\b|pour\s*cent\b|prozent\b|per\s+cento\b|procent\b|"
    r"por\s+cento\b)",
    re.IGNORECASE,
)


# words that count two without writing 2: a 2 of the answer may be theirs rather than the question's
_TWO = re.compile(
    r"(?<![\w-])(?:second|two|couple|round[- ]?trips?|each way|both ways|there and back|back and forth|return trips?|"
    r"bi-?weekly|bi-?monthly|every other|halve[sd]?|squared|squaring|squares?\s+of)\b",
    re.IGNORECASE,
)


def _implied(value: Fraction, line: str, problem: WordProblem) -> bool:
    """Whether the answer may have counted ``value`` (a 1 or a 2) itself: a 1 always may ("1 dozen", "each 1"); a
    2 where the line or the question names a two of its own ("half", "twice", "a pair", "both", "the second",
    "there and back", "squared"). Where nothing does, a 2 the answer uses is the question's 2, and a probe with
    another value tells a slip apart (it is not re-derived without one)."""
    if value != 2:
        return True
    # the question's own quantities in words ("In two years", "twice") are the 2 it maps to, not another two
    line, prompt = _unslotted(line, problem), _unslotted(problem.prompt, problem)
    return Fraction(2) in named_constants(line, prompt) or bool(_TWO.search(f"{line}\n{prompt}"))


def _placed(pair: _Pair, spans: Sequence[tuple[int, int]], source: Callable[[Num], Fraction]) -> _Pair | None:
    """The two parts of a fraction written in a line, each re-derived from its own source, or ``None`` where one
    has none."""
    try:
        top, bottom = (source(Num(v, *span)) for v, span in zip(pair, spans, strict=True))
    except _Refused:
        return None
    return top, bottom


def _as_fraction_of(results: ValueMap, pair: _Pair, placed: _Pair | None, lenient: _Pick | None) -> _Pair:
    """The new parts of ``pair``, a fraction whose value is an earlier result ("1/2 cup" after "3 / 6 = 0.5"), where
    ``placed`` are its parts each re-derived from its own source (``None`` where one has none). In lowest terms
    where the answer wrote it so and no part has a source; each part from its source where those make the new
    result and the writing cannot differ (the answer's "6/8", or parts already in lowest terms). Refused where the
    new result is no fraction, where the parts tell another value than the result (they may be the question's
    numbers, "1/2 cup" of 2 cups), or where "3/4 questions right", asked with 9 of 12, may be written either way."""
    was = pair[0] / pair[1]
    now = results.get(was) if not lenient else results.guess(was, lenient)
    if now is None or now.denominator == 1 or now <= 0:
        raise _Refused(f"{pair[0]}/{pair[1]} is a result that is no fraction of the new numbers", ambiguous=now is None)
    lowest = (Fraction(now.numerator), Fraction(now.denominator))
    reduced = pair == (Fraction(was.numerator), Fraction(was.denominator))
    if placed is None or not placed[1] or placed[0] / placed[1] != now:
        if placed is not None and placed[1] and not lenient:
            raise _Refused(f"{pair[0]}/{pair[1]} may be a result or the question's numbers", ambiguous=True)
        if reduced:
            return lowest
        raise _Refused(f"{pair[0]}/{pair[1]} cannot be written for {now}")
    if placed == lowest or not reduced:
        return placed
    # "3/4 questions right" of 3 right of 4, asked with 9 of 12: "9/12" as counted, or "3/4" in lowest terms
    raise _Refused(f"{pair[0]}/{pair[1]} may be written in lowest terms or as the question's counts", ambiguous=True)


class _Refused(Exception):
    """Why the adapter refuses; ``ambiguous``: which quantity a number of the answer is cannot be told at the
    cached question (two of its values coincide), as opposed to a value that no longer fits its role."""

    def __init__(self, reason: str, *, ambiguous: bool = False) -> None:
        super().__init__(reason)
        self.ambiguous = ambiguous


class WordAdapter:
    """Re-derives a cached answer for a question with the same template and other names or numbers.

    ``shares``: a fraction's two parts that may be the share or what is left of it ("half" leaves a half: ``1 ÷ 2``)
    are read as the share, where they would be refused; a number that may be the question's or a constant the
    question names (60 rooms, and minutes in an hour) is the constant where its line names it, else the question's. Only for a task that serves numbers a second model answer
    corroborated (:class:`~.corroborate.WordCorroboration`): at a second point the question's fraction is another
    one, the two readings give other results there, and an answer that took what is left disagrees (the entry is
    disputed) where the share's reading would have been served; so does one that took a constant for the question's
    number, which moves there.
    """

    def __init__(self, *, shares: bool = False) -> None:
        self.shares = shares

    def adapt(self, old: WordProblem, new: WordProblem, steps: Sequence[Step], ctx: AdaptContext) -> list[Step]:
        try:
            return self._adapt(old, new, steps)
        except _Refused:
            return list(steps)

    def ambiguous(self, old: WordProblem, new: WordProblem, steps: Sequence[Step]) -> bool:
        """Whether ``steps`` fail to re-derive for ``new`` because which quantity a number of them is cannot be
        told at ``old`` (a 40 that is the quiz's size and 100% - 60%), not because a value stops fitting its role
        there: an answer to ``new`` itself, re-derived back, can settle it (a corroboration probe's precedent)."""
        try:
            self._adapt(old, new, steps)
        except _Refused as refused:
            return refused.ambiguous
        return False

    def readings(self, old: WordProblem, new: WordProblem, steps: Sequence[Step]) -> list[list[Step]]:
        """``steps`` re-derived for ``new`` with each number whose quantity cannot be told at ``old`` read as one of
        the quantities it may be: each such number, in the order the answer reads them, as the smallest value it
        may take or the largest, in every mix of the two for the first ``_MIXED`` of them (past those, all the rest
        alike: a fraction that may be the share or what is left of it is read as the share), those that fit their
        roles. A point worth asking a precedent at keeps whole counts whole and amounts positive in a reading, not
        only where it is unsure ("6 pen pals, of whom 11 stopped" is no question to ask). Never serves: it only
        chooses what to ask."""
        asked = 0

        def count(values: Iterable[Fraction]) -> Fraction:
            nonlocal asked
            asked += 1
            return min(values)

        try:
            self._adapt(old, new, steps, lenient=count)
        except _Refused:
            pass
        out: list[list[Step]] = []
        for mix in range(2 ** min(asked, _MIXED)):
            for rest in (min, max) if asked > _MIXED else (min,):
                picks = iter([max if mix >> i & 1 else min for i in range(min(asked, _MIXED))])

                def pick(values: Iterable[Fraction], picks: Iterator[_Pick] = picks, rest: _Pick = rest) -> Fraction:
                    return next(picks, rest)(values)

                try:
                    read = self._adapt(old, new, steps, lenient=pick)
                except _Refused:
                    continue
                if read not in out:
                    out.append(read)
        return out

    def _adapt(self, old: WordProblem, new: WordProblem, steps: Sequence[Step], lenient: _Pick | None = None) -> list[Step]:
        if len(old.quantities) != len(new.quantities) or len(old.names) != len(new.names):
            raise _Refused("another template")
        moved = [i for i, (a, b) in enumerate(zip(old.values, new.values, strict=True)) if a != b]
        if moved and unused_quantity(old, "\n".join(s.text for s in steps), prose=False, moved=moved) is not None:
            # a quantity of the question no computation takes is a condition the answer reads in words ("this
            # qualifies for the $100 offer", in any language) or a number it leaves aside: with other numbers the
            # words may no longer hold, and no check reads them
            raise _Refused("a quantity no computation takes")
        if old.names != new.names and not _people_renamed(old, new):
            # under other names that the question does not show to be people's (a city, a club, a ship, a pet, a
            # singer: "Florence is where Ann stays"), the answer may follow what it knows of them: it leaves an
            # amount aside ("Florence is in Europe, so the $23 rate does not apply"), or says a fact of a name that
            # no check reads ("Adele is British, so the bonus applies")
            answer = "\n".join(s.text for s in steps)
            if (aside := set_aside(old, answer)) is not None:
                raise _Refused(f"{aside!r} is left aside, by a choice a name may have made")
            # (not of a first name that is no place's, on either side: "To find how much Tom spends, we multiply"
            # is how answers reason about people)
            renamed = [a for a, b in zip(old.names, new.names, strict=True) if a != b and not (_first(a) and _first(b))]
            if (claim := _said_of(answer, renamed)) is not None:
                raise _Refused(f"the answer says {claim!r} of a name, which no check reads")
        elif old.names != new.names:
            # people too: an answer that leaves an amount aside and says what a renamed name is may have chosen by
            # it ("Obama is left-handed, so the 23 dollar pairs are not for Obama", "Because Irene is a Gulf storm,
            # the East Coast rate does not apply"), which no check reads
            answer = "\n".join(s.text for s in steps)
            renamed = [a for a, b in zip(old.names, new.names, strict=True) if a != b]
            if (twin := _alternative_aside(old, answer)) is not None:
                # "Scissors for lefties cost 41 dollars each and scissors for righties cost 23 dollars each": the
                # answer took one of two amounts said alike and left the other, by something; under another name
                # what picked it (left-handed, a Gulf storm, a cat) may pick the other, and no check reads it
                raise _Refused(f"the answer leaves {twin!r} aside for an amount said alike, by a choice a name may make")
            if left_aside(old, answer):
                if famous := next((a for a in renamed if not _first(a) or not _first(new.names[old.names.index(a)])), None):
                    # "Obama", "Beyonce", "Einstein": a name no first name is may be a famous one's, whose facts
                    # (left-handed, British) an answer may choose by without a word of them
                    raise _Refused(f"the answer leaves an amount aside, and {famous!r} is renamed, which no first name is")
                if (fact := _fact_of(answer, renamed)) is not None:
                    raise _Refused(f"the answer leaves an amount aside and says what a renamed name is: {fact!r}")
        if moved and (plain := _percent_as_plain(old, steps)) is not None:
            # "10% is 1/10. 120 * 1/10 = 12": the 10 a step divides by is no question's 10 percent, though it has its
            # value; at 30% it would be re-derived "90 * 1/30 = 3", which every check passes
            raise _Refused(f"the percentage {plain!r} is taken as a plain number, by no share of 100")
        if moved and (twice := shared_untaken(old, "\n".join(s.text for s in steps), moved)) is not None:
            # "8 tickets at $8 each": one 8 is taken, and which one cannot be told (an answer to the new question,
            # re-derived back, can tell: a precedent)
            raise _Refused(f"{twice!r} shares its value with another quantity, and fewer computations take it", ambiguous=True)
        if old.values != new.values and any(_MIXED_UNITS.search(re.sub(r"<<[^<>]*>>", " ", s.text)) for s in steps):
            # "75 minutes, that is 1 hour 15 minutes": a result restated in two units, by a division no line writes;
            # its 15 is no question's 15 minutes, whatever the question says
            raise _Refused("an amount restated in two units")
        if old.values != new.values and any(_SUFFIXED.search(re.sub(r"<<[^<>]*>>", " ", s.text)) for s in steps):
            # "Cevap 64'tür", "모두 64가", "Op de 13de dag", "le 3e jour": an ending glued to a number whose form
            # follows how the number is said (English "21st" is read: see the carry-over), which no reader re-derives
            raise _Refused("an ending glued to a number whose form follows the number ('64'tür', '13de')")
        if old.values != new.values and any(_GLUED.search(re.sub(r"<<[^<>]*>>", " ", s.text)) for s in steps):
            # "soit 1h15", "1m20", "2h30min": a number glued to another by a unit's letters, which no reader takes
            # apart; its parts would stay as they were
            raise _Refused("two numbers glued by a unit's letters ('1h15'), which the task does not read")
        if (noun := _agrees_away(old, new, "\n".join(s.text for s in steps))) is not None:
            # "The number of cats is 1": the answer's words agree with the count away from it ("the cat eats" at
            # 1, "the cats eat" at 3), where no check of a number's own noun reads them
            raise _Refused(f"a count of the question that crosses one, whose {noun!r} the answer says elsewhere")
        if old.values != new.values and any(
            decimal_comma(n.group(), f"{old.prompt}\n{s.text}") for s in steps for n in _COMMA_NUMBER.finditer(s.text)
        ):
            # "= 0,500 l" read as 500, re-derived as "750 l": a decimal comma of the answer, which the task reads
            # as a group of thousands
            raise _Refused("a number the answer may write with a decimal comma")
        hours = _hours(old, new, steps, self.shares) if old.values != new.values else None
        questions = question_map(old, new)
        results = ValueMap()
        # whether the model groups thousands ("$1,250"): as its answer does, else as the question it was asked,
        # else as the new question writes them (an answer restates the question's amounts as they are written)
        # and how it writes decimals ("$18.00" beside "$7.50")
        answer = "\n".join(s.text for s in steps)
        writer = hand(answer, old.prompt, new.prompt)
        labels = labelling(answer, old.names)
        out = [self._line(step, old, new, questions, results, lenient, hours, writer, labels) for step in steps]
        _keeps_choices(steps, out)
        if old.values != new.values:
            _keeps_row_order(steps, out)
            _keeps_lots(old, steps, out)
            _keeps_whole_quotients(old, steps, out)
            _keeps_remainders(old, steps, out)
            _keeps_sides(idle_counts(old, answer, moved), old, new, steps, out)
            if not lenient and not self.shares:  # (a second point tells these apart: see ``shares``)
                _keeps_twins(old, new, steps)
                _keeps_halves(old, new)
                _keeps_ranks(old, new, steps)
        if not lenient and not self.shares and gendered(new.prompt) and regendered(old, new):
            # "Tom ... Ann. She gives him 2" renamed Sue and Bob: "she" is another person now (an answer under
            # names of the new genders would show it: see ``corroborate``)
            raise _Refused("a rename into other genders, in a question whose words of one gender then mean others")
        return out

    def _line(
        self,
        step: Step,
        old: WordProblem,
        new: WordProblem,
        everything: ValueMap,
        results: ValueMap,
        lenient: _Pick | None,
        hours: _Hours | None = None,
        writer: Hand | None = None,
        labels: frozenset[str] = frozenset(),
    ) -> Step:
        """``step`` re-derived for ``new``; ``lenient``: a number whose quantity cannot be told is read as the value
        it picks of those it may take, where it would refuse (see :meth:`WordAdapter.readings`); ``hours``: the
        question's hours of the clock that move, which a computation takes only as the span between two;
        ``writer``: how the answer writes numbers (see :func:`~.numbers.hand`), ``labels``: the names that label a
        line of the answer (see :func:`labelling`)."""
        writer = writer or Hand()
        line = step.text
        questions = everything  # the quantities a number of the line may be (in a computation: see ``hours``)
        # a word that is a slot of the question ("twice", "half") names no constant: it is the question's quantity
        constants = named_constants(_unslotted(line, old), _unslotted(old.prompt, old)) & named_constants(
            _unslotted(line, new), _unslotted(new.prompt, new)
        )
        constants |= people_counted(_unslotted(line, old), old) & people_counted(_unslotted(line, new), new)
        # and a count the question names by its items in order (the verifier placed it where a step takes it away)
        constants |= named_counts(_unslotted(old.prompt, old)) & named_counts(_unslotted(new.prompt, new))
        edits: dict[tuple[int, int], Fraction] = {}
        word_edits: dict[tuple[int, int], str] = {}
        spelled = ""  # the band of a number in words restated in another (see below)
        echoes = echoes_in(line, old)

        def source(num: Num) -> Fraction:
            """The new value of a number read in the cached line."""
            slot = echoes.slot(num)
            if slot is not None and num.value in constants and not self.shares and not lenient:
                # "2 * 12" for "2 dozen eggs ... uses 12 eggs", "/ 60" beside "60 minutes a day": the line may
                # take the question's number or the constant its words name (a second point tells: ``shares``)
                raise _Refused(f"{num.value} is the question's and a constant its words name", ambiguous=True)
            if slot is not None:  # written as the question wrote one of its quantities: that quantity's new value
                index, divisor = slot
                now = new.quantities[index].value
                if divisor and now.numerator != 1:
                    raise _Refused(f"{num.value} divides by a fraction that is no unit fraction any more")
                value = Fraction(now.denominator) if divisor else now
                if num.value in results and results.get(num.value) != value and not lenient:
                    raise _Refused(f"{num.value} is also a result", ambiguous=True)
                return value
            if num.value in questions and questions.get(num.value) != num.value and unlike(old, line, num) and not lenient:
                # "3 feet" where the question's 3 is "3 yard(s)": another quantity with the same value
                raise _Refused(f"{num.value} counts something else than the question's {num.value}", ambiguous=True)
            picks = set()
            small = num.value in questions and num.value in _IMPLICIT and questions.get(num.value) != num.value
            if small and num.value not in results and _implied(num.value, line, old) and not lenient:
                # a 1 or a 2 the answer states may be the question's, or one it never wrote down ("the first
                # two cods", "a pair", "there and back"): when the question's changes, which one it was cannot be
                # told unless the answer writes it as the question did
                raise _Refused(f"{num.value} may be the question's or an unstated count", ambiguous=True)
            for table in (results, questions):
                if num.value in table:
                    got = table.get(num.value) if not lenient else table.guess(num.value, lenient)
                    if got is None:
                        raise _Refused(f"{num.value} is ambiguous", ambiguous=True)
                    picks.add(got)
            if num.value in constants:  # a week's 7 that is also the question's 7: which one it is cannot be told
                if self.shares and len(picks) == 1 and num.value not in results:
                    # ... unless it is read, as a second point checks: the constant where the line itself names
                    # it ("300 / 60 = 5 hours"), else the question's ("60 / 6 = 10 rooms a day", beside 60 rooms
                    # and a 30 minutes per room the question names)
                    if num.value in named_constants(_unslotted(line, old)):
                        picks = {num.value}
                else:
                    picks.add(num.value)
            if len(picks) != 1 and not (lenient and picks):
                raise _Refused(f"{num.value} cannot be placed", ambiguous=True)
            return lenient(picks) if lenient else picks.pop()

        pairs, clashes = fraction_pairs(old, new)

        def new_operands(comp: Computation) -> list[Fraction]:
            """The new values of a computation's operands; a fraction's two parts as a pair."""
            out: dict[int, Fraction] = {}
            toks = comp.tokens
            for k in range(len(toks) - 2):
                a, op, b = toks[k], toks[k + 1], toks[k + 2]
                if isinstance(a, Num) and op == "/" and isinstance(b, Num):
                    if (a.value, b.value) in clashes and not lenient and not self.shares:
                        raise _Refused(f"{a.value}/{b.value} may be the share or what is left of it", ambiguous=True)
                    if (a.value, b.value) in pairs or (a.value, b.value) in clashes:
                        out[id(a)], out[id(b)] = clashes.get((a.value, b.value)) or pairs[(a.value, b.value)]
                    elif (
                        b.value
                        and a.value / b.value != comp.result.value  # not the line's own division ("97/1 = 97")
                        and a.value / b.value in results
                        and not _placeable(a, b)
                    ):
                        # "3 × 1/4" after "14/56 = 1/4": an earlier result written as its two parts
                        now = results.get(a.value / b.value) if not lenient else results.guess(a.value / b.value, lenient)
                        if now is None or now.denominator == 1:
                            raise _Refused(f"{a.value}/{b.value} is no fraction of the new numbers", ambiguous=now is None)
                        out[id(a)], out[id(b)] = Fraction(now.numerator), Fraction(now.denominator)
            return [out[id(n)] if id(n) in out else source(n) for n in comp.operands]

        def _placeable(*nums: Num) -> bool:
            """Whether each of ``nums`` has a source of its own (then "60 / 12" is a division, not a result's parts)."""
            try:
                for num in nums:
                    source(num)
            except _Refused:
                return False
            return True

        # a computation the line writes twice (an expression and its GSM8K annotation: "4 - 2 = <<4-2=2>>2") is
        # re-derived once: its second writing takes the first's values, where its own result (2) would otherwise
        # shadow the 2 it takes
        once: dict[tuple[tuple[str, ...], tuple[Fraction, ...], Fraction], tuple[dict[Fraction, Fraction], Fraction]] = {}
        for comp in computations(line):
            if hours is not None:
                questions = hours.table(comp)
            key = written_as(comp)
            if key in once:
                same, result = once[key]
                for n in comp.operands:
                    edits[(n.start, n.end)] = same.get(n.value, n.value)  # (a percent's factor, 1/100, stays)
                edits[(comp.result.start, comp.result.end)] = result
                continue
            values = new_operands(comp)
            _keeps_ratio_side(comp, values)
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
            if old_result < 0 <= new_result:
                # a loss that turns into a profit, a drop into a rise: the words around it ("so she makes a loss")
                # tell the sign
                raise _Refused("a quantity that stops being negative")
            if comp.result.percent and old_result <= 100 < new_result:
                raise _Refused("a share over 100%")
            if (old_result == 0) != (new_result == 0):
                # where the words around an amount turn: "none are left" / "some are left", "spends all of it"
                raise _Refused(f"{old_result} turns into {new_result}, where the words around it turn")
            for n, v in zip(comp.operands, values, strict=True):
                edits[(n.start, n.end)] = v
            edits[(comp.result.start, comp.result.end)] = new_result
            results.add(old_result, new_result)
            if comp.result.percent or (100 in {n.value for n in comp.operands} and 100 not in old.values):
                results.percents.add(old_result)  # "75%", "0.75 * 100 = 75" (a share by the hundred no question states)
            pairs_ = {(n.value, v) for n, v in zip(comp.operands, values, strict=True)}
            if len(pairs_) == len(dict(pairs_)):  # each old operand maps one way (not "10 * 10", a result and a 10)
                once[key] = (dict(pairs_), new_result)
        questions = everything
        final = final_answer(line)
        for num in line_numbers(line):
            if overlaps(num, set(edits)):
                continue
            if final is not None and final[2] == num.end:  # the final answer is the last result, nothing else
                # (an earlier result with its value, "200 / 100 = 2" before "4 - 2 = 2", is not the one it states)
                value = results.last[1] if results.last and results.last[0] == num.value else results.get(num.value)
                if value is None:
                    raise _Refused("a final answer that is no result")
                edits[(num.start, num.end)] = value
            elif "/" in line[num.start : num.end]:  # "82/110": each part follows its own source
                top, bottom = line[num.start : num.end].split("/")
                spans = ((num.start, num.start + len(top)), (num.end - len(bottom), num.end))
                pair = (to_fraction(top), to_fraction(bottom))
                if pair in clashes and not lenient and not self.shares:
                    raise _Refused(f"{top}/{bottom} may be the share or what is left of it", ambiguous=True)
                # "950 × 1/5" for "one fifth": the question's fraction, as a pair ("two thirds": 2/3)
                news = clashes.get(pair) or pairs.get(pair)
                if news is None and pair[1] and pair[0] / pair[1] in results:
                    # "Each cake needs 1/2 cup." after "3 / 6 = 0.5": a result written as a fraction, whose parts
                    # may equal numbers of the question only by chance (2 cups): it follows the result
                    news = _as_fraction_of(results, pair, _placed(pair, spans, source), lenient)
                if news is None:
                    news = (source(Num(pair[0], *spans[0])), source(Num(pair[1], *spans[1])))
                for span, value in zip(spans, news, strict=True):
                    edits[span] = value
            else:
                if (
                    echoes.slot(num) is None
                    and num.value in questions
                    and num.value not in results
                    and old.values != new.values
                    and counts_other(old, line, num)
                    and not lenient
                ):
                    # a claim, outside any computation: "can fill 6 full cartons" where each carton holds 6 eggs
                    # is a result the answer states without computing it (40 // 6), which may be the question's 6
                    # only by chance, even where that 6 stays
                    raise _Refused(f"{num.value} counts other things than the question's {num.value}", ambiguous=True)
                if (
                    _PERCENT_SAID.match(line, num.end)
                    and (
                        (
                            any(q.kind != "percent" and q.value == num.value for q in old.quantities)
                            and questions.get(num.value) != num.value
                            and num.value not in results
                        )
                        or (num.value in results and num.value not in results.percents)
                    )
                    and echoes.slot(num) is None
                    and not any(q.kind == "percent" and q.value == num.value for q in old.quantities)
                ):
                    # "a 50% raise" where the question's 50 is dollars an hour, "she kept 75%" where 75 dollars are
                    # left of 100: a share the answer never computes
                    raise _Refused(f"{num.value}% is no percentage the answer computes")
                edits[(num.start, num.end)] = source(num)
        for q in quantities(line):  # "she used four of the spoons": a count in words follows too
            if q.kind != "word" or overlaps(Num(q.value, q.start, q.end), set(edits)):
                continue
            slot = next((i for i, o in enumerate(old.quantities) if o.text.lower() == q.text.lower()), None)
            if slot is not None:  # the question's own words
                said = questions.get(q.value) if not lenient else questions.guess(q.value, lenient)
                if said is None:
                    raise _Refused(f"{q.text!r} is ambiguous", ambiguous=True)
                value = said
            else:
                value = source(Num(q.value, q.start, q.end))
            if value != q.value:
                asked = new.quantities[slot] if slot is not None and slot < len(new.quantities) else None
                if asked is not None and asked.kind == "word" and asked.value == value:
                    # the new question's own words for it ("half" where the first said "one fifth")
                    words: str | None = (str.upper if q.text[0].isupper() else str.lower)(asked.text[0]) + asked.text[1:]
                elif _FOREIGN_LINE.search(line):
                    words = None  # ("six jours", French as English: written in English words, "five jours")
                else:
                    words = write_words(value, q.text)
                    if q.value.denominator == 1 and spelling_band(q.value) != spelling_band(value):
                        # "Ann needs six days" restated as 12: "twelve days", or "12 days" as many write past ten
                        spelled = spelling_band(value)
                if words is None:
                    raise _Refused(f"{q.text!r} cannot be written for {value}")
                word_edits[(q.start, q.end)] = words
        if old.values == new.values:
            # names only: every number re-derives to the value it had, and keeps the text the answer wrote for it
            # ("8/3 = 2.6666666666666665", a float's digits no exact value writes again)
            edits = {}
        for c in comparisons(line):
            left = edits.get((c.left.start, c.left.end), c.left.value)
            right = edits.get((c.right.start, c.right.end), c.right.value)
            if c.holds(left, right) != c.holds():
                raise _Refused("a comparison whose outcome flips")
        for (start, end), value in edits.items():
            if not _keeps_precision(value, line[start:end]):
                raise _Refused(f"{value} is finer than the answer wrote {line[start:end]!r}")
            if _odd_fraction(line[start:end]) and line[start:end] not in {q.text for q in old.quantities}:
                # "2 1/4 cups", "6/4 cups": a result written as a mixed number or unreduced, a form whose rule for
                # other values ("9/4" or "2 1/4", "12/4" or "3") one answer does not show
                raise _Refused(f"{line[start:end]!r} is written in a form of fraction the adapter does not write")
        # a calculator annotation (``<<1200-450=750>>``) never groups, GSM8K's final line (``#### 750``) and a box as
        # the answer's own show (see ``Hand.final``)
        annotations = [m.span() for m in UNGROUPED.finditer(line)]
        # (nor pads: "<<3*2.5=7.5>>", unless its annotations show it: see ``Hand.calculator``)
        calculator = [m.span() for m in re.finditer(r"<<[^<>]*>>", line)]
        calc = writer.calculator
        # a quantity of the question restated as the question wrote it ("12.50 gallons" of "12.50 gallons"): as the
        # new question writes its own ("12 gallons", where the answer pads its dollars)
        restated = {
            span: as_asked
            for span, value in edits.items()
            if (as_asked := _as_asked(line[span[0] : span[1]], value, old, new)) is not None
            # (in an annotation, where the writer copies the question's numbers: "<<7*1.10=7.7>>" of "$1.10")
            and (not _in(calculator, span[0]) or calc.copies is True)
            # (a clock's minutes, "5:06", restated as a number are "6", as "15" was of "6:15")
            and not (
                re.match(r"0\d", as_asked)
                and not re.match(r"0\d", line[span[0] : span[1]])
                and line[span[0] - 1 : span[0]] != ":"
            )
        }
        # "$7.50" restated as 18, "2.25 kg" as 2.4, "$480" as 1500: "$18" or "$18.00", "2.4" or "2.40", "$1500" or
        # "$1,500", as the writer writes them, where this answer shows how; else the step is doubted (written
        # plainly, it stands for its values where a probe's answer is compared with it, and is never served)
        # (in a computation or in words: a writer may group "1200" in one and "1,100" in the other; the line's
        # computations read only where a number may be grouped or doubted: off the hit path's usual lines)
        computed: set[tuple[int, int]] = set()
        if any(abs(value) >= 1000 for value in edits.values()):
            computed = {(n.start, n.end) for c in computations(line) for n in (*c.operands, c.result)}
        unwritten = next(
            (
                (start, end, unwritable)
                for (start, end), value in edits.items()
                if (start, end) not in restated
                and (
                    unwritable := writer.unwritable(
                        value,
                        line[start:end],
                        bare=_in(calculator, start) or (value.denominator == 1 and _in(annotations, start)),
                        money=_money_at(line, start, end),
                        # (a small number in a line that computes, or a final answer, is written in digits: "= 9
                        # pages", "The answer is 9.")
                        computed=(start, end) in computed
                        or (value <= 10 and ("=" in line or (final is not None and final[2] == end))),
                    )
                )
                is not None
            ),
            None,
        )
        doubt = f"spelled({spelled}, said)" if spelled else ""
        if unwritten is not None:
            start, end, unwritable = unwritten
            if not computed:
                computed = {(n.start, n.end) for c in computations(line) for n in (*c.operands, c.result)}
            doubt = f"{unwritable[:-1]}, {'computed' if (start, end) in computed else 'said'})"
        elif writer.final is None and any(
            abs(value) >= 1000
            and _in(annotations, start)
            and not _in(calculator, start)
            and not shows_grouping(line[start:end], value)
            for (start, end), value in edits.items()
        ):
            # "#### 650" restated as 1600 by a writer that groups "1,350" in its sentences: "#### 1,600" or, as GSM8K
            # writes it, "#### 1600" (an answer that writes it so vouches)
            doubt = "written(thousands, final)"
        written = (
            {
                span: write_number(
                    value,
                    line[span[0] : span[1]],
                    grouped=writer.grouped_at(value, computed=span in computed)
                    if not _in(annotations, span[0])
                    else bool(writer.final) and not _in(calculator, span[0]),
                    padded=writer.padded if not _in(calculator, span[0]) else calc.padded,
                    # (where no text shows it, money to the cent and other decimals as few as they need: the
                    # likelier hand, which a model's answer written so vouches for)
                    fixed=calc.fixed
                    if _in(calculator, span[0])
                    else bool(writer.fixed or (writer.fixed is None and _money_at(line, *span))),
                )
                for span, value in edits.items()
            }
            | restated
            | word_edits
        )
        # the article before a number, as the new number is said ("a 70-minute walk", "an 80-minute walk")
        for (start, _), number in list(written.items()):
            article = _ARTICLE.search(line, 0, start)
            if article is None or article.end() != start or not _ENGLISH_LINE.search(line):
                continue
            which = 1 if article.group(1) is not None else 2
            wanted = english_article(number)
            if wanted is not None and wanted != article.group(which).lower() and not _FOREIGN_LINE.search(line):
                written[article.span(which)] = wanted.capitalize() if which == 2 else wanted
        # a noun that follows a count re-derived across one: "2 days" to "1 day", as the questions write it (the
        # line read again only where a count may cross one: off the hit path's usual lines)
        if any(value == 1 or _ONE_WRITTEN.fullmatch(line[start:end]) for (start, end), value in edits.items()):
            was = {(n.start, n.end): n.value for n in line_numbers(line)}
            both_asked = f"{new.prompt}\n{old.prompt}"
            for (start, end), value in edits.items():
                noun = inflected(line, start, end, was[(start, end)], value, both_asked) if (start, end) in was else None
                if noun is not None and not overlaps(Num(value, noun[0], noun[1]), set(written)):
                    written[(noun[0], noun[1])] = noun[2]
        text = line
        for (start, end), new_text in sorted(written.items(), reverse=True):
            text = text[:start] + new_text + text[end:]
        text = _rename(text, old.names, new.names, labels)
        return step if text == line else replace(step, text=text, origin="adapted", doubt=doubt)


# an English article right before a number ("a 70-minute", "an $81 outing", "An 8% raise" opening a sentence; not a
# label's letter, "Grade A 8 cents", "Row A 11 seats"), and a line in English (an article there, not the "a" of "a 8
# euros cada uno"): some of its small words, none of another language's
_ARTICLE = re.compile(r"(?:(?<![^\W\d_])(an?)|(?:^|(?<=[.!?:;\n*#>•-]\s)|(?<=\n))(An?))\s+(?:[$€£¥]\s?)?$")
_ENGLISH_LINE = re.compile(
    r"\b(?:the|and|of|is|are|was|has|have|had|each|for|with|that|this|will|so|she|he|they|it|in|on|to)\b", re.I
)
_FOREIGN_LINE = re.compile(
    r"\b(?:el|los|las|del|cada|que|es|por|para|une|les|des|est|il|gli|di|che|um|uma|dos|das|der|die|und|ist|ein|"
    r"eine|het|een|van|och|för)\b",
    re.I,
)


# a word before a count that agrees with it ("these 2 days", "both 2 cars", "another 1 day", "remain 2 days"): left
# as it is, and so the count's form
_AGREES_BEFORE = re.compile(
    r"\b(?:these|those|this|that|both|all|many|several|few|each|every|another|one|are|were|is|was|be|been|being|"
    r"remains?|remained|exists?|existed)\s*$|['’](?:s|re)\s*$",
    re.I,
)
# and a verb anywhere before it in its sentence whose form follows the count ("There are 24 / 12 = 2 days left",
# "there remain ... 2 days")
_VERB_BEFORE = re.compile(r"\b(?:there|here|is|are|was|were|remains?|exists?)\b|['’](?:s|re)\b", re.I)
_LOWER_NOUN = re.compile(r"[ \t\u00a0]+([a-z]{3,})\b")
_ONE_WRITTEN = re.compile(r"\D*1(?:[.,]0*)?\D*")
# the noun ends its sentence: nothing after it can agree with the count ("2 boxes of apples are filled")
_SENTENCE_ENDS = re.compile(r"[ \t]*(?:[.!?;)]|$)", re.M)
# words of English that no other language the task reads writes as its own (see ``gender``)
_ENGLISH_WORDS = re.compile(r"\b(?:the|and|how|many|much|each|with|what|which|they|their|does|have)\b", re.I)
# where a noun stands in one form: after one ("a day", "per box") or after more ("how many days", "3 boxes")
_ONE = r"(?:a|an|one|1|each|per|every)"
_MORE = r"(?:\d*[02-9]|\d+\d|many|several|few|both|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"


def inflected(line: str, start: int, end: int, was: Fraction, now: Fraction, questions: str) -> tuple[int, int, str] | None:
    """For a count at ``line[start:end]`` re-derived from ``was`` to ``now`` across one ("24 ÷ 12 = 2 days" to "24
    ÷ 24 = 1 day"), the span of the English noun right after it and that noun in the new count's form; ``None``
    where that cannot be told. Told only where ``questions`` (the two questions) are English (other languages count
    otherwise: see the carryover's ``_count_form``) and write that form where a count fixes it ("pieces a day",
    "how many days": never "Ann fishes", "Tim", "a can" for "canes", where "a cane" is not written), the noun is a
    lower-case word that ends its sentence ("for 1 day."), or whose "of" phrase ends it as a question lists it
    ("1 tube of blue paint." beside "18 tubes of blue paint and 10 ...": there the plain "-s" may also be dropped
    where no question writes the singular), no word before the count in its sentence agrees with it ("there are",
    "these 2 days", "On the shelf stay"), and none after it in its line ("... Ann shares them")."""
    if (was == 1) == (now == 1):
        return None
    opens = max(line.rfind(mark, 0, start) for mark in ".!?\n") + 1
    if _AGREES_BEFORE.search(line[:start]) or _VERB_BEFORE.search(line[opens:start]) or _inverted(line, opens, start):
        return None
    if len({w.lower() for w in _ENGLISH_WORDS.findall(questions)}) < 3:
        return None
    m = _LOWER_NOUN.match(line, end)
    if m is None:
        return None
    word = m.group(1)
    listed = False
    if not _SENTENCE_ENDS.match(line, m.end()):
        # or its "of" phrase ends the sentence, one a question lists among other counts ("1 tubes of blue paint."
        # where the question says "18 tubes of blue paint and 10 tubes of ..."): a phrase whole, no verb in it
        tail = _OF_TAIL.match(line, m.end())
        if tail is None or not _SENTENCE_ENDS.match(line, tail.end()) or not _whole(line[m.start(1) : tail.end()], questions):
            return None
        listed = True
    if _AGREES_AFTER.search(line, m.end()):
        return None  # "= 2 muffins. They are the answer": a word later in the line agrees with the count too
    if now == 1:  # "days" to "day", "canes" to "cane", "boxes" to "box", "berries" to "berry"
        forms = [word[:-3] + "y"] if word.endswith("ies") else []
        forms += [word[:-1]] if word.endswith("s") else []
        forms += [word[:-2]] if word.endswith("es") else []
    else:  # and back
        forms = [word + "s", word + "es"] + ([word[:-1] + "ies"] if word.endswith("y") else [])
    role = _ONE if now == 1 else _MORE
    form = next((f for f in forms if f != word and re.search(rf"\b{role}\s+{re.escape(f)}\b", questions, re.IGNORECASE)), None)
    if form is None and listed and now == 1 and re.search(rf"\b{_MORE}\s+{re.escape(word)}\b", questions, re.IGNORECASE):
        # a noun of a listed phrase the questions count only in the plural ("18 tubes of blue paint", never "a
        # tube"): its singular where English forms it by the plain "-s" alone ("tubes", "cakes", "pens"); not
        # "smoothies", "vertices", "boxes", "axes", "reais", nor a noun that is only plural ("goggles", "jeans")
        form = _plain_singular(word)
    return (m.start(1), m.end(1), form) if form is not None else None


# a noun's "of" phrase ("tubes of blue paint"), not one with a verb that agrees with the count ("of rice remain")
_OF_TAIL = re.compile(r"[ \t]+of(?:[ \t]+(?!(?:is|are|was|were|has|have|does|do|remains?)\b)[a-z]+){1,3}")


def _whole(phrase: str, questions: str) -> bool:
    """Whether ``questions`` write ``phrase`` after a count and before the next count of a list ("18 tubes of blue
    paint and 10 ...", "3 bags of rice, 2 ...")."""
    return bool(re.search(rf"\d[ \t]+{re.escape(phrase)}(?:,[ \t]*|[ \t]+and[ \t]+)\d", questions))


# a word after the count later in its line that agrees with it: a pronoun or a determiner ("They are", "it is")
_AGREES_AFTER = re.compile(r"\b(?:they|them|their|these|those|it|its|this|that)\b", re.IGNORECASE)
# a sentence that opens with a place, where the verb may come before its subject ("On the shelf stay 2 bags")
_INVERTED = re.compile(
    r"[\s*•-]*(?:on|in|at|under|beside|behind|inside|into|onto|near|among|above|below|beyond|within|upon|over|"
    r"across|outside|around|here|there)\b",
    re.IGNORECASE,
)


def _inverted(line: str, opens: int, start: int) -> bool:
    """Whether the sentence from ``opens`` to the count at ``start`` opens with a place and no comma after it, as
    a verb before its subject does ("On the shelf stay 2 bags"; "In all, she has 2 bags" keeps its order)."""
    return bool(_INVERTED.match(line, opens)) and "," not in line[opens:start]


# plural nouns with no singular of their own by dropping the "-s" (a pair, a set: "a pair of goggles")
_ONLY_PLURAL = frozenset(
    """goggles glasses sunglasses spectacles jeans pants trousers shorts tights leggings pajamas pyjamas overalls
    scissors shears pliers tongs tweezers binoculars headphones earphones earbuds clothes thanks means news series
    species odds goods riches savings earnings belongings surroundings outskirts premises remains headquarters
    barracks crossroads congratulations stairs suds""".split()
)


def _plain_singular(word: str) -> str | None:
    """``word`` without its plural "-s", where that alone makes its singular: not after a vowel but "e" ("reais",
    "menus"), nor in "-ies", "-ices", "-ves", "-oes", nor after "s", "x", "z", "ch" or "sh" ("boxes": "box" or
    "boxe"), nor for a noun only plural."""
    if word in _ONLY_PLURAL or not word.endswith("s") or len(word) < 4:
        return None
    if re.search(r"(?:[aiouy]s|ies|ices|ves|oes|ss|[sxz]es|[cs]hes)$", word):
        return None
    return word[:-1]


def written_as(comp: Computation) -> tuple[tuple[str, ...], tuple[Fraction, ...], Fraction]:
    """What a computation computes, however written: its operators, its operands in any order (``2/3*222`` and
    ``222*2/3``; parentheses and an implicit product, ``7(10)``, alike; a percent as a factor, ``440*45*.01``
    beside ``440 * 45%``, alike) and its result."""
    ops = sorted(t for t in comp.tokens if isinstance(t, str) and t not in "()")
    values = sorted(n.value for n in comp.operands)
    if len(values) > 2 and Fraction(1, 100) in values and "*" in ops:
        values.remove(Fraction(1, 100))
        ops.remove("*")
    return tuple(ops), tuple(values), comp.result.value


def chain_of(steps: Sequence[Step]) -> list[tuple[tuple[str, ...], tuple[Fraction, ...], Fraction]]:
    """The computations of ``steps`` in order, as (operations, operand values, result); one restated beside itself
    (a GSM8K annotation and its visible expression) counted once."""
    out: list[tuple[tuple[str, ...], tuple[Fraction, ...], Fraction]] = []
    for step in steps:
        for line in step.text.splitlines():
            for comp in computations(line):
                key = (
                    tuple(t for t in comp.tokens if isinstance(t, str)),
                    tuple(n.value for n in comp.operands),
                    comp.result.value,
                )
                if not out or out[-1] != key:
                    out.append(key)
    return out


def _keeps_sides(
    idle: Sequence[Quantity], old: WordProblem, new: WordProblem, cached: Sequence[Step], adapted: Sequence[Step]
) -> None:
    """Refuse when a number of the question or a result crosses a count the answer may leave aside (see
    :func:`~.verify.idle_counts`; it stays, or the reuse was refused already) where the two may have been weighed
    against each other: the answer states them in one sentence, or they count the same noun. "Wants five tickets,
    but only 3 are left, so he buys 3" chose by how 3 and five compare, and with 7 left it buys five, which no
    computation shows; "wants twenty books, but the shop has only 9 novels" alike, and "a score of books" in one
    sentence with them (a group counts no noun of its own: "2 gloves a pair" beside "8 gloves" weighs nothing).
    ("After three days", in a sentence of its own and beside 4 people infected a day, is weighed against
    nothing.)"""
    if not idle:
        return
    answer = "\n".join(s.text for s in cached)
    pairs = [
        (a.value, b.value, noun_after(old.prompt, a.end))
        for a, b in zip(old.quantities, new.quantities, strict=True)
        if a.value != b.value
    ]
    for step, re_derived in zip(cached, adapted, strict=False):
        for line, again in zip(step.text.splitlines(), re_derived.text.splitlines(), strict=False):
            for a, b in zip(computations(line), computations(again), strict=False):
                pairs.append((a.result.value, b.result.value, noun_after(line, a.result.end)))
    for idle_count in idle:
        count = idle_count.value
        beside = said_beside(answer, count)
        nouns = {noun_after(old.prompt, q.end) for q in old.quantities if q.value == count and cardinal(q)} - {None}
        size = group_after(old.prompt, idle_count)
        for level in (count,) if size is None else (count, count * size):  # "two dozen books" weighs 24 books too
            for was, now, counts in pairs:
                if (was in beside or counts in nouns) and (was > level) - (was < level) != (now > level) - (now < level):
                    raise _Refused(f"{now} is on the other side of {level}, a count the answer weighs and computes nothing with")


def _keeps_twins(old: WordProblem, new: WordProblem, cached: Sequence[Step]) -> None:
    """Refuse when one computation takes a value of the question that moves more often than the question states
    it and no earlier result has it: "60 / 60" for 60 minutes (an hour's 60 beside the question's), "4 * 4" for a
    square's side of 4 (its 4 sides, or the side squared?), "3 + 3" for "a trio of dogs and 3 cats", "100 * 20 /
    100" for $100 at 20%. Which of them is the question's cannot be told, and it moves alone."""
    stated = Counter(q.value for q in old.quantities)
    moved = {a.value for a, b in zip(old.quantities, new.quantities, strict=True) if a.value != b.value}
    results: set[Fraction] = set()
    last: tuple[object, ...] | None = None
    for step in cached:
        for line in step.text.splitlines():
            for comp in computations(line):
                key = (tuple(n.value for n in comp.operands), comp.result.value)
                if key != last:  # a GSM8K annotation beside its own expression is one computation
                    taken = Counter(n.value for n in comp.operands)
                    for value, times in taken.items():
                        if value in moved and value not in results and times > stated[value]:
                            raise _Refused(
                                f"one step takes {value} {times} times, which the question states {stated[value]} "
                                "times: another may be a constant of the same value",
                                ambiguous=True,
                            )
                last = key
                results.add(comp.result.value)


def _keeps_halves(old: WordProblem, new: WordProblem) -> None:
    """Refuse when a half of the question (50%, "half", 1/2) moves: there the share and what is left of it are the
    same number, and which one the answer meant ("gives away 30 * 50% = 15, so 15 are left") another fraction
    tells apart."""
    for a, b in zip(old.quantities, new.quantities, strict=True):
        # (a measure of 0.5 in digits, "0.5 kg", is no share)
        half = a.value == 50 if a.kind == "percent" else a.value == Fraction(1, 2) and a.kind != "digits"
        if half and a.value != b.value:
            raise _Refused(f"{a.text} is a half: the share and what is left of it are the same", ambiguous=True)


def _keeps_ranks(old: WordProblem, new: WordProblem, cached: Sequence[Step]) -> None:
    """Refuse when quantities of one kind that the answer computes with alike and yet tells apart in words rank
    otherwise (see :func:`~.corroborate.reordered`): "The leader holds 41 dollars" re-derived where the other one
    holds more. Where no second model answer is asked (the checks alone), no order but the first one's is served."""
    from .corroborate import reordered  # (it builds on this module)

    if reordered(old, new, cached):
        raise _Refused("quantities the answer tells apart rank otherwise")


def _keeps_lots(old: WordProblem, cached: Sequence[Step], adapted: Sequence[Step]) -> None:
    """Refuse when the answer divides by a whole count (a rate per unit: "250 / 40 = 6.25 per seat"), multiplies what
    that gives by another whole count that was a whole number of those lots (120 students, 3 buses of 40: "120 *
    6.25"), and re-derived that count is no whole number of lots (100 students). A bus, a pack of 4 or a crossing may
    come whole only: there a rate per unit and a count of lots agree at a multiple alone, and the answer need not
    say which of them it meant. Either count may be the question's or a result ("30 * 4 = 120 students", "2 rows
    of 20 seats"). Only a rate counts: "12 / 2 = 6 harvests" (a constant over a count) or "78 * 1/2" (a share) is
    no lot, whatever number beside it happens to be even."""
    then = [c for s in cached for line in s.text.splitlines() for c in computations(line)]
    now = [c for s in adapted for line in s.text.splitlines() for c in computations(line)]
    if len(then) != len(now) or any(len(a.tokens) != len(b.tokens) for a, b in zip(then, now, strict=True)):
        return
    counts = {q.value for q in old.quantities if q.kind != "percent" and q.value.denominator == 1 and q.value > 1}
    # what a rate may divide: an amount of the question (money, time, a measure: "$250", "30 minutes" a crossing)
    # or a result, not a count ("60 rooms / 4 workers" shares rooms out, and no lot is bought)
    known = {q.value for q in old.quantities if _amount(old.prompt, q)}
    lots: dict[Fraction, list[tuple[Fraction, Fraction]]] = {}  # a result -> the lots it divided by (then, now)
    for comp, re_derived in zip(then, now, strict=True):
        t, u = comp.tokens, re_derived.tokens
        if not any(x in ("+", "-") for x in t if isinstance(x, str)) and not comp.result.percent:
            divided = [
                (b.value, c.value)
                for k in range(1, len(t) - 1)
                if t[k] == "/"
                and isinstance(b := t[k + 1], Num)
                and isinstance(c := u[k + 1], Num)
                and b.value in counts
                and (t[k - 1] == ")" or isinstance(a := t[k - 1], Num) and a.value in known)
            ]
            for n in comp.operands:
                divided += lots.get(n.value, [])
            lots[comp.result.value] = divided
            for lot, lot_now in divided:
                for k, (x, y) in enumerate(zip(t, u, strict=True)):
                    if not isinstance(x, Num) or not isinstance(y, Num) or x.percent or x.value not in counts:
                        continue
                    if k and t[k - 1] == "/":
                        continue  # a divisor, not a multiple
                    if x.value % lot == 0 and (lot_now == 0 or (y.value / lot_now).denominator != 1):
                        raise _Refused(
                            f"{x.value} was {x.value // lot} lots of {lot}, which the answer divides by; {y.value} is no "
                            f"whole number of lots of {lot_now}"
                        )
        known.add(comp.result.value)
        if comp.result.value.denominator == 1 and comp.result.value > 1 and not comp.result.percent:
            counts.add(comp.result.value)


def _keeps_remainders(old: WordProblem, cached: Sequence[Step], adapted: Sequence[Step]) -> None:
    """Refuse when a computation takes whole units of a constant the texts name from an amount ("75 - 60 = 15", 60
    minutes an hour; "150 - 120 = 30") and leaves less than one unit, and re-derived it leaves a unit or more, or
    less than none ("150 - 60 = 90"): the rest past the whole units ("1 hora y 15 minutos", "1:15 hours", "1 h 15"),
    whose count of units the answer takes as it was (one hour), where the model takes as many as the new amount holds
    ("2 horas y 30 minutos"), whether it writes them as one number or as a count times the unit ("2 × 60"). In any
    language, however the answer words the two units."""
    units = [c for c in named_constants(old.prompt, "\n".join(s.text for s in cached)) if c > 2 and c.denominator == 1]
    if not units:
        return
    then = [c for s in cached for line in s.text.splitlines() for c in computations(line)]
    now = [c for s in adapted for line in s.text.splitlines() for c in computations(line)]
    if len(then) != len(now):
        return
    for comp, re_derived in zip(then, now, strict=True):
        t = comp.tokens
        # "75 - 60", "150 - 2 × 60", "150 - (2 * 60)": an amount less whole units (a product of numbers)
        taken = t[2:]
        if len(t) < 3 or not isinstance(t[0], Num) or t[1] != "-" or len(re_derived.tokens) != len(t):
            continue
        if any(x not in ("*", "(", ")") and not (isinstance(x, Num) and not x.percent) for x in taken):
            continue
        factors = {x.value for x in taken if isinstance(x, Num)}
        amount = evaluate(taken)
        was, now_left = comp.result.value, re_derived.result.value
        for unit in units:
            whole = amount is not None and amount > 0 and amount % unit == 0 and (unit in factors or len(factors) == 1)
            if whole and 0 <= was < unit and not 0 <= now_left < unit:
                raise _Refused(f"{comp.result.value} was the rest past whole units of {unit}, and re-derived it is {now_left}")


def _keeps_whole_quotients(old: WordProblem, cached: Sequence[Step], adapted: Sequence[Step]) -> None:
    """Refuse when a count of the question divided by another count inside a longer computation ("120 / 40 * 250":
    students by seats, then a bus's rent) gave a whole number, and re-derived it gives none ("150 / 40 * 200"): the
    quotient counts whole lots (buses, boxes, trips), which the question may round up or down ("how many buses"), and
    the answer never states it as a step of its own whose role a check could read. An amount divided ("$250 / 40":
    a rate per seat) is no count of lots."""
    then = [c for s in cached for line in s.text.splitlines() for c in computations(line)]
    now = [c for s in adapted for line in s.text.splitlines() for c in computations(line)]
    if len(then) != len(now) or any(len(a.tokens) != len(b.tokens) for a, b in zip(then, now, strict=True)):
        return
    counts = {q.value for q in old.quantities if q.kind != "percent" and not _amount(old.prompt, q)}
    counts -= {q.value for q in old.quantities if q.kind == "percent" or _amount(old.prompt, q)}
    for comp, re_derived in zip(then, now, strict=True):
        t, u = _unwrapped(comp.tokens), _unwrapped(re_derived.tokens)
        if len(t) != len(u):
            continue
        if not any(x in ("+", "-", "(", ")") for x in t if isinstance(x, str)):
            # a product of counts and amounts divided by a count ("250 * 120 / 40"): each count multiplied is
            # divided alike, whatever the order the answer writes them in
            pairs = [(k, x, y) for k, (x, y) in enumerate(zip(t, u, strict=True)) if isinstance(x, Num) and isinstance(y, Num)]
            over = [(x, y) for k, x, y in pairs if k and t[k - 1] == "/"]
            times = [(x, y) for k, x, y in pairs if not k or t[k - 1] != "/"]
            for (top, top_now), (under, under_now) in ((m, d) for m in times for d in over if len(pairs) > 2):
                if top.percent or under.percent or top.value not in counts or under.value not in counts:
                    continue
                if under.value and under_now.value and (top.value / under.value).denominator == 1:
                    if (top_now.value / under_now.value).denominator != 1:
                        raise _Refused(
                            f"{top.value} / {under.value} counted whole lots, and {top_now.value} / {under_now.value} is "
                            "no whole number"
                        )
        for k in range(len(t) - 2):
            a, slash, b = t[k], t[k + 1], t[k + 2]
            if slash != "/" or not isinstance(a, Num) or not isinstance(b, Num) or a.percent or b.percent:
                continue
            grouped = 0 < k and t[k - 1] == "(" and k + 3 < len(t) and t[k + 3] == ")"  # "250 * (120 / 40)"
            if not grouped and k and t[k - 1] in ("*", "/"):
                continue  # "250 * 3 / 40": the product is divided, not the count
            rest = [x for x in t[k + 3 :] if x != ")"]
            if not rest and not [x for x in t[:k] if x != "("]:
                continue  # the computation's own quotient, a result whose role the steps' checks read
            if not grouped and (not rest or rest[0] not in ("*", "/")):
                continue
            x, y = u[k], u[k + 2]
            if not isinstance(x, Num) or not isinstance(y, Num) or a.value not in counts or b.value not in counts:
                continue
            if b.value and (a.value / b.value).denominator == 1 and (not y.value or (x.value / y.value).denominator != 1):
                raise _Refused(f"{a.value} / {b.value} counted whole lots, and {x.value} / {y.value} is no whole number")


def _unwrapped(tokens: Sequence[Num | str]) -> list[Num | str]:
    """``tokens`` without the parentheses around a single number (LaTeX's ``\\frac{30}{5}`` reads "(30) / (5)")."""
    out: list[Num | str] = []
    k = 0
    while k < len(tokens):
        if tokens[k] == "(" and k + 2 < len(tokens) and isinstance(tokens[k + 1], Num) and tokens[k + 2] == ")":
            out.append(tokens[k + 1])
            k += 3
        else:
            out.append(tokens[k])
            k += 1
    return out


_MEASURES = frozenset(
    "minute hour second day week month year dollar euro pound cent penny pence kilogram kilo kg gram liter litre "
    "milliliter ml meter metre kilometer km mile foot feet inch yard gallon ounce oz lb ton".split()
)


def _amount(prompt: str, q: Quantity) -> bool:
    """Whether ``q`` is an amount of money, time or a measure ("$250", "30 minutes", "3.50"), not a count."""
    return bool(
        re.search(r"[$€£¥]\s?$", prompt[max(0, q.start - 2) : q.start])
        or q.value.denominator != 1
        or noun_after(prompt, q.end) in _MEASURES
    )


def _keeps_choices(cached: Sequence[Step], adapted: Sequence[Step]) -> None:
    """Refuse when two results (``40 × 5`` and ``3 × 6``, or ``20 × 30`` and ``50 + 40``: neither from the other),
    which a later step takes together (the total), and which the answer otherwise treats differently (a fee on one
    of them only), change which is the larger. Which one got the fee may be what the question chose in words ("the
    person who spends more", "wer mehr ausgibt", "celui qui dépense le plus"), in any language; the answer need not
    say why, and re-derived it keeps the old choice."""
    old, new = chain_of(cached), chain_of(adapted)
    if len(old) != len(new):
        return
    users: list[list[int]] = [[j for j in range(i + 1, len(old)) if old[i][2] in old[j][1]] for i in range(len(old))]
    for i, (_, _, a) in enumerate(old):
        for k in range(i + 1, len(old)):
            if old[k][2] == a or k in users[i]:
                continue
            together = set(users[i]) & set(users[k])
            if not together or sorted(old[j][0] for j in users[i]) == sorted(old[j][0] for j in users[k]):
                continue
            if (a < old[k][2]) != (new[i][2] < new[k][2]) or new[i][2] == new[k][2]:
                raise _Refused(f"{a} and {old[k][2]}, computed alike and used otherwise, change which is the larger")


# a line of a list or a table: a table row, a bullet, a numbered item, or a label and its value ("Chairs: $480")
_ROW = re.compile(r"^\s*(?:(\|)|([-*•+])\s|(\d{1,2})[.)]\s|(?:\*\*|__)?[^\W\d_][^:|\n]{0,40}?:(?:\*\*|__)?\s)")
_TABLE_RULE = re.compile(r"^\s*\|?[\s:|-]*-[\s:|-]*$")


def _row_kind(line: str) -> str | None:
    m = _ROW.match(line)
    if m is None:
        return None
    return "table" if m.group(1) else "bullet" if m.group(2) else "numbered" if m.group(3) else "label"


def _rows(text: str) -> list[list[tuple[int, tuple[Fraction, ...]]]]:
    """The runs of two or more like rows (:data:`_ROW`) in ``text``, each row its line's index and its numbers; a
    table's rows run on over its header's rule. A line that computes ("- 5 × 3 = 15", "From history: 16 / 2 = 8")
    is a step of the derivation, which a model writes in the order it works, no row of a list: it ends a run."""
    runs: list[list[tuple[int, tuple[Fraction, ...]]]] = []
    run: list[tuple[int, tuple[Fraction, ...]]] = []
    kind: str | None = None
    for i, line in enumerate(text.splitlines()):
        now = _row_kind(line)
        if now == "table" and _TABLE_RULE.match(line):
            continue
        if now is not None and computations(line):
            now = None
        if now != kind or now is None:
            if len(run) > 1:
                runs.append(run)
            run, kind = [], now
        if now is None:
            continue
        nums = tuple(n.value for n in line_numbers(line))
        if nums:
            run.append((i, nums))
    if len(run) > 1:
        runs.append(run)
    return runs


def _keeps_row_order(cached: Sequence[Step], adapted: Sequence[Step]) -> None:
    """Refuse where the rows of a list or a table stand in the order of one of their columns ("| Chairs | $480 |"
    above "| Tables | $270 |", "1. chairs: $480") and the new values break that order: the model may have sorted
    them by value, which no word need say, and it would list them otherwise now. A column whose values stand in
    no order chose nothing; rows in the question's order that happen to be in order by value too are refused
    with the rest (no check tells the two apart)."""
    before, after = _rows(_text_of(cached)), _rows(_text_of(adapted))
    if [[i for i, _ in run] for run in before] != [[i for i, _ in run] for run in after]:
        if before or after:
            raise _Refused("rows of a list or a table that may stand in order by value")
        return
    for old_run, new_run in zip(before, after, strict=True):
        width = min(len(nums) for _, nums in old_run)
        if any(len(a) != len(b) for (_, a), (_, b) in zip(old_run, new_run, strict=True)):
            raise _Refused("rows of a list or a table that may stand in order by value")
        for j in [*range(width), -1]:
            was = [nums[j] for _, nums in old_run]
            now = [nums[j] for _, nums in new_run]
            for rising in (True, False):
                if _ordered(was, rising) and not _ordered(now, rising):
                    raise _Refused("rows of a list or a table whose order by value the new numbers change")


def _ordered(values: Sequence[Fraction], rising: bool) -> bool:
    return all((a <= b) if rising else (a >= b) for a, b in zip(values, values[1:], strict=False))


def _text_of(steps: Sequence[Step]) -> str:
    return "".join(s.text for s in steps)


def _keeps_ratio_side(comp: Computation, values: Sequence[Fraction]) -> None:
    """Refuse a quotient ``a ÷ b`` whose side of 1 changes (``150 ÷ 120`` re-derived as ``70 ÷ 125``): which amount
    is the larger may be what the answer chose ("the one who earns more"), in words no check reads."""
    new = {id(n): v for n, v in zip(comp.operands, values, strict=True)}
    toks = comp.tokens
    for k in range(len(toks) - 2):
        a, op, b = toks[k], toks[k + 1], toks[k + 2]
        if op != "/" or not isinstance(a, Num) or not isinstance(b, Num) or id(a) not in new or id(b) not in new:
            continue
        before, after = a.value - b.value, new[id(a)] - new[id(b)]
        if before * after < 0:
            raise _Refused(f"{a.value} / {b.value} crosses 1")


class _Hours:
    """The hours of the clock a re-derivation moves (see :func:`_hours`): a span between two of them ("7 - 3 = 4
    hours") takes the hours, any other computation the question's other quantities."""

    def __init__(self, old: WordProblem, new: WordProblem, halves: dict[Fraction, str], indices: set[int]) -> None:
        self.halves = halves
        self._span = question_map(old, new, indices)
        self._rest = question_map(old, new, set(range(len(old.quantities))) - indices)

    def spans(self, comp: Computation) -> bool:
        """Whether ``comp`` is the span between two hours of one half of the day."""
        toks = comp.tokens
        if len(toks) != 3 or toks[1] != "-":
            return False
        ends = [t for t in (toks[0], toks[2]) if isinstance(t, Num) and not t.percent and t.value in self.halves]
        return len(ends) == 2 and len({self.halves[t.value] for t in ends}) == 1

    def table(self, comp: Computation) -> ValueMap:
        return self._span if self.spans(comp) else self._rest


def _hours(old: WordProblem, new: WordProblem, steps: Sequence[Step], read: bool) -> _Hours | None:
    """The hours of the clock the question moves ("from 3 PM to 7 PM": see :func:`~.numbers.half_of_day`), or
    ``None``. Refuse where a computation takes one other than as the span between two hours of one half of the day
    ("7 - 3 = 4 hours"): added to a duration ("starts at 3 PM and lasts 5 hours", 3 + 5 = 8) it may pass 12, where
    the clock starts again and the re-derived hour is no hour. A number of the answer is an hour by its value. One
    that another quantity shares ("3 PM" and "thrice", "8 AM" and "octuplets") is ambiguous; ``read`` (where numbers
    are corroborated, as a half's ``1 ÷ 2``: see :class:`WordAdapter`) reads it as the hour in a span and the other
    quantity elsewhere, which an answer at a point where the two part agrees with only where that is so (an answer
    that takes "8 AM - 2 hours" disagrees there)."""
    halves = [half_of_day(old.prompt, q) for q in old.quantities]
    if not any(h is not None and a != b for h, a, b in zip(halves, old.values, new.values, strict=True)):
        return None
    indices = {i for i, h in enumerate(halves) if h is not None}
    found = _Hours(old, new, {old.values[i]: h[0] for i, h in enumerate(halves) if h is not None}, indices)
    shared = {q.value for i, q in enumerate(old.quantities) if i not in indices}
    for step in steps:
        for comp in computations(step.text):
            if not found.spans(comp) and any(n.value in found.halves and n.value not in shared for n in comp.operands):
                raise _Refused("an hour of the clock taken otherwise than as the span between two hours")
            if not read and any(n.value in found.halves and n.value in shared for n in comp.operands):
                raise _Refused("an hour of the clock shares its value with another quantity", ambiguous=True)
    return found


_MIXED_NUMBER = re.compile(r"\d+(?:\s+|\s*\+\s*)\d+\s*/\s*\d+")
_FRACTION = re.compile(r"(\d+)\s*/\s*(\d+)")


def _odd_fraction(text: str) -> bool:
    """Whether ``text`` is a fraction written as a mixed number ("2 1/4") or not in lowest terms ("6/4")."""
    if _MIXED_NUMBER.fullmatch(text.strip()):
        return True
    m = _FRACTION.fullmatch(text.strip())
    return m is not None and gcd(int(m.group(1)), int(m.group(2))) > 1


def _keeps_precision(value: Fraction, like: str) -> bool:
    """Whether ``value`` can stand where the answer wrote ``like`` with decimals ("$56.25", "2.5"): in at most
    as many places as it wrote, or two (an amount to the cent), and never a value with no finite decimals
    (which would be written as a fraction). A model writes money to the cent ($61.88), never $61.875; a number
    it wrote whole follows the rule for counts instead."""
    m = re.search(r"\.(\d+)", like)
    if m is None:
        return True
    places, den = 0, value.denominator
    for p in (2, 5):
        while den % p == 0:
            den //= p
    if den != 1:
        return False
    while (value * 10**places).denominator != 1:
        places += 1
    return places <= max(len(m.group(1)), 2)


def _agrees_away(old: WordProblem, new: WordProblem, answer: str) -> str | None:
    """The noun of a count of the question that is one in one question and not in the other ("The number of cats
    in Ann's house is 1.", "Ann has 3 cats"), where the answer says it (singular or plural) other than right after
    a number: its words may agree with the count there ("the cat eats"), or ``None``."""
    for a, b in zip(old.quantities, new.quantities, strict=True):
        if (a.value == 1) == (b.value == 1):
            continue
        counted = _COUNTED_AFTER.match(old.prompt, a.end) or _NUMBER_OF.search(old.prompt[: a.start])
        if counted is None or counted.group(1).casefold() in _NOT_COUNTED:
            continue
        word = counted.group(1).casefold()
        stem = word[:-2] if re.search(r"(?:x|ch|sh|ss)es$", word) else word[:-1] if word.endswith("s") else word
        for m in re.finditer(rf"\b{re.escape(stem)}(?:e?s)?\b", answer, re.IGNORECASE):
            if not re.search(r"\d[\d,.]*%?\s*$", answer[: m.start()]):
                return counted.group(1)
    return None


# the noun a count counts: the word after it ("3 cats") or that "the number of" names before it ("the number of
# cats in the house is 3")
_COUNTED_AFTER = re.compile(r"\s+([^\W\d_]{3,})")
_NUMBER_OF = re.compile(r"\bnumber\s+of\s+([^\W\d_]{3,})\b[^.?!\d]*\b(?:is|was|are|were)\s+$", re.IGNORECASE)
_NOT_COUNTED = frozenset(
    "and the more less each per for with from than times over under out off into onto them those these what which "
    "who that this other others another".split()
)


# a number written with a comma ("0,500", "2,500", "1,250,000")
_COMMA_NUMBER = re.compile(r"\d+(?:,\d+)+")


def _in(spans: Iterable[tuple[int, int]], at: int) -> bool:
    return any(a <= at < b for a, b in spans)


def _money_at(line: str, start: int, end: int) -> bool:
    """Whether the number written at ``line[start:end]`` is an amount of money ("$2.25", "2,25 €", "2.25 dollars")."""
    return bool(_CURRENCY.search(line[max(0, start - 2) : end]) or _CURRENCY_AFTER.match(line, end))


_CURRENCY = re.compile(r"[$€£¥₹]")
_CURRENCY_AFTER = re.compile(r"\s*(?:[€£¥₹]|(?:dollars?|euros?|cents?|pounds?|pence|rupees?|yen|francs?|dólares|reais)\b)", re.I)


def _unslotted(text: str, problem: WordProblem) -> str:
    """``text`` without the words that are quantities of ``problem`` ("twice", "half", "a dozen")."""
    words = {q.text for q in problem.quantities if q.kind == "word"}
    if not words:
        return text
    return re.sub(r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b", " ", text, flags=re.I)


def plural(name: str) -> str:
    """A family's plural of a name ("the Smiths", "the Joneses")."""
    return name + "es" if name.endswith(("s", "x", "z", "ch", "sh")) else name + "s"


def _as_asked(written: str, value: Fraction, old: WordProblem, new: WordProblem) -> str | None:
    """How the new question writes ``value`` where ``written`` is how the cached question wrote the quantity of
    that slot (the digits of both, "12.50" and "12"), or ``None``: the slot cannot be told (two quantities written
    alike that take other values), or ``written`` is no question's quantity as written."""
    found = {
        digits.group()
        for a, b in zip(old.quantities, new.quantities, strict=False)
        if b.value == value
        and a.kind == b.kind == "digits"
        and (was := _DIGITS.search(a.text)) is not None
        and was.group() == written
        and (digits := _DIGITS.search(b.text)) is not None
    }
    clash = any(
        (was := _DIGITS.search(a.text)) is not None and was.group() == written and b.value != value
        for a, b in zip(old.quantities, new.quantities, strict=False)
    )
    return found.pop() if len(found) == 1 and not clash else None


_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")


# a clause of an answer: a sentence, or its part after a comma and "so", "and", "but", "because"...
_CLAUSES = re.compile(r"(?<=[.!?])\s+|\n+|;|,\s+(?:so|and|but|which|because|since|as)\b|(?<=\S)\s+(?:so|because|since)\s+")


def _said_of(answer: str, names: Sequence[str]) -> str | None:
    """A clause of ``answer`` that says one of ``names`` and no number ("Florence is in Europe", "Adele is
    British"): a fact of the name, where the answer's own numbers say none, if any."""
    for clause in _CLAUSES.split(answer):
        clause = clause.strip(" -*•\t")
        if clause and not re.search(r"\d", clause) and any(re.search(rf"\b{re.escape(n)}\b", clause) for n in names):
            return clause
    return None


# a percentage in words or signs the number reader leaves plain ("10 pct", "10％", "10 Prozent", "10 procent")
_PERCENT_WORD = re.compile(
    r"\s*(?:[％﹪٪]|p\.?c\.?(?!\w)|pct\b|per[\s-]*cent\b|percent(?:age)?(?:\s+points?)?\b|prozent\b|procent\b|prosent\b|"
    r"prosenttia\b|por\s*ciento\b|pour\s*cent\b|per\s*cento\b|por\s*cento\b)",
    re.IGNORECASE,
)
# counts a step takes as constants of time ("12% a year": 120 / 12 a month, "/ 24" an hour, "/ 7" a day)
_CALENDAR_COUNTS = frozenset(Fraction(n) for n in (7, 12, 24, 52, 60, 365))


def _percent_as_plain(problem: WordProblem, steps: Sequence[Step]) -> str | None:
    """A percentage of the question (its value no other quantity of it has, nor a constant of time) that a
    computation of ``steps`` takes as a plain number, with no 100 and no "%" beside it ("120 * 1/10" of 10%), and
    that no earlier result has, if any."""
    said = [q.kind == "percent" or _PERCENT_WORD.match(problem.prompt, q.end) is not None for q in problem.quantities]
    percents = {q.value: q.text for q, pct in zip(problem.quantities, said, strict=True) if pct}
    for q, pct in zip(problem.quantities, said, strict=True):
        if not pct or q.value in _CALENDAR_COUNTS:
            percents.pop(q.value, None)
    results: set[Fraction] = set()
    for step in steps:
        for comp in computations(step.text):
            operands = {n.operand for n in comp.operands}
            if not operands & {Fraction(100), Fraction(1, 100)}:
                for n in comp.operands:
                    if not n.percent and n.value in percents and n.value not in results:
                        return percents[n.value]
            results.add(comp.result.value)
    return None


def _alternative_aside(problem: WordProblem, answer: str) -> str | None:
    """An amount of the question the answer leaves aside (see :func:`~.verify.left_aside`) whose next two words are
    those of an amount it takes ("41 dollars each" taken, "23 dollars each" aside), if any."""
    aside = left_aside(problem, answer)
    if not aside:
        return None

    def said(q: Quantity) -> tuple[str, ...]:
        return tuple(w.casefold() for w in re.findall(r"[^\W\d_]+", problem.prompt[q.end : q.end + 40])[:2])

    taken = {said(q) for q in problem.quantities if q.text not in aside}
    return next((q.text for q in problem.quantities if q.text in aside and said(q) in taken), None)


def _fact_of(answer: str, names: Sequence[str]) -> str | None:
    """A clause of ``answer`` that says what one of ``names`` is, numbers or not: "Obama is left-handed", "Because
    Odie is a cat, the 9 dollar price does not apply", "Adele is British", "Pierre is from Lyon", "As a cat, Odie
    pays 7 dollars", "Garfield, a cat, eats"; not what they do or have ("Ann only counts her apples", "This
    qualifies for the $100 offer, so Ann pays 120 - 15", "Ann is left with 5"), if any."""
    for name in names:
        n = re.escape(name)
        fact = re.compile(
            rf"\b{n}\s+(?:is|was|isn['’]t|wasn['’]t)\s+(?:not\s+)?(?:an?\b|from\b|one\s+of\b|[A-Z]|\w+-\w+)|"
            rf"\b{n}\s+(?:comes|came|hails)\s+from\b|\b{n}\s+(?:plays|played)\s+for\b|\b{n}\s+belongs\s+to\b|"
            rf"\b[Aa]s\s+(?:an?\s+)?[\w-]+(?:\s+[\w-]+)?,\s*{n}\b|\b{n},\s+(?:an?|the)\s+[\w-]+(?:\s+[\w-]+)?,"
        )
        if (m := fact.search(answer)) is not None:
            start = answer.rfind("\n", 0, m.start()) + 1
            end = answer.find("\n", m.end())
            return answer[start : end if end >= 0 else len(answer)].strip()
    return None


def _first(name: str) -> bool:
    """Whether ``name`` is a first name people bear and no known place's (see :mod:`.places`)."""
    return given_name(name) and not a_place(name)


def _people_renamed(old: WordProblem, new: WordProblem) -> bool:
    """Whether each name renamed is shown to be a person's in both questions (see :func:`~.people.proven`)."""
    before, after = proven(old.prompt, old.names), proven(new.prompt, new.names)
    pairs = [(a, b) for a, b in zip(old.names, new.names, strict=True) if a != b]
    return before is not None and after is not None and all(a in before and b in after for a, b in pairs)


def labelling(answer: str, names: Sequence[str]) -> frozenset[str]:
    """The ``names`` that label a line of ``answer`` ("Ann: 5 * 3 = 15", "- **Ann:** 15")."""
    return frozenset(m.group(1) for m in _LABEL.finditer(answer)) & frozenset(names)


def _rename(text: str, old: Sequence[str], new: Sequence[str], labels: frozenset[str] | None = None) -> str:
    """Names replaced all at once (a swap stays a swap), where the answer writes them as a person's: not where the
    word is another thing's name or a word of the answer's own ("the Hope Festival", "Price Street", "Price of the
    shirts: ...", "Hope this helps!", of a person called Hope or Price). Left there, the old name is what the word
    carryover refuses (see :class:`~.carry.WordCarryover`): the model answers. A name the new question gives
    someone else is renamed wherever it stands: left, no check could tell it from that person. ``labels``: the
    names that label a line of the whole answer (see :func:`labelling`; those of ``text`` where ``None``)."""
    pairs = {a: b for a, b in zip(old, new, strict=True) if a != b}
    if not pairs:
        return text
    # and a possessive written without its apostrophe ("Avas plant giveaway" for Ava's), where it names no one else,
    # and a family's plural ("the Joneses"; "the Smiths" renamed Jones may be either: see the word carryover)
    people = list(pairs.items())
    pairs |= {a + "s": b + "s" for a, b in people if a + "s" not in old}
    pairs |= {plural(a): plural(b) for a, b in people if plural(a) not in old and plural(a) not in pairs}
    pattern = re.compile(r"\b(" + "|".join(re.escape(a) for a in sorted(pairs, key=len, reverse=True)) + r")\b")
    # the names that label a line ("Ann: 5 * 3 = 15"): a person's label where another person labels a line too
    labels = labelling(text, old) if labels is None else labels

    def person(m: re.Match[str]) -> str:
        if m.group(1) in new or m.group(1) not in old:
            # the name is another person's in the new question: left as it was, no check could tell the word
            # from that person ("Ann gives Ann a bag" where Bea gives Ann one); and a possessive without its
            # apostrophe or a family's plural ("the Joneses") is the person's: renamed as before
            return pairs[m.group(1)]
        # (what stands before the name is read in the words right before it, up to where it starts: the text is
        # not copied for each name)
        start, end, lo = m.start(), m.end(), max(0, m.start() - _NEAR)
        if _THING_BEFORE.search(text, lo, start) or _NOT_A_PERSON_AFTER.match(text, end):
            return m.group()
        if _LABEL_BEFORE.search(text, lo, start) and _LABEL_AFTER.match(text, end) and not labels - {m.group(1)}:
            return m.group()  # a line's label no other person's name stands beside: a word too ("Bill: 36 + 10")
        longer = _CAPITAL_BEFORE.search(text, lo, start)
        if longer is not None and longer.group(1) not in old:
            return m.group()  # inside a longer name ("Sports Hope"); not after another name ("Prince Lucas")
        if CALENDAR.fullmatch(m.group()) and (re.match(r"\s+\d", text[end : end + 4]) or _IN_A_MONTH.search(text, lo, start)):
            return m.group()  # a month ("May 5", "in May") of a person called May
        following = _NEXT_CAPITAL.match(text, end)
        if following is not None and following.group(1) not in old:
            return m.group()  # part of a longer name ("the Hope Festival", "Price Street")
        return pairs[m.group(1)]

    return pattern.sub(person, text)


# where a name of the question is another thing's name or a word of the answer's own: after an article, or a
# capitalised word inside a sentence (a longer name); before a pronoun or a demonstrative ("Hope this helps!"; not
# "gives Ann a bag"), or "of" and a label's colon ("Price of the shirts: ..."). A name that labels a line is the
# person's where another person labels a line too ("Ann: 5 * 3 = 15" beside "Bob: 4 * 2 = 8"); alone among the
# labels it may be a word written so ("Pizzas: ...", "Drinks: ...", "Bill: 36 + 10", the bill)
_NEAR = 120  # (how far back before a name its patterns read: each is a few words long)
_THING_BEFORE = re.compile(r"\b(?:[Tt]he|[Aa]n?)\s+$")
_CAPITAL_BEFORE = re.compile(r"(?<![.!?:;\n*#>•-]\s)(?<!^)\b([A-Z][\w'-]*)\s+$")
_NOT_A_PERSON_AFTER = re.compile(r"\s+(?:this|these|those|it|you|your|we|our|she|he|they|I|there)\b|\s+of\b[^.\n]*:")
_IN_A_MONTH = re.compile(r"\b(?:in|of|since|until|till|early|late|mid|last|next|this|every|each)\s+$", re.IGNORECASE)
_NEXT_CAPITAL = re.compile(r"\s+([A-Z][\w'-]*)")
_LABEL_BEFORE = re.compile(r"(?:^|\n)[ \t]*(?:(?:[-*•>]|\d+[.)])[ \t]+)?(?:\*\*|__)?$")
_LABEL_AFTER = re.compile(r"(?:\*\*|__)?[ \t]*:")
_LABEL = re.compile(r"(?:^|\n)[ \t]*(?:(?:[-*•>]|\d+[.)])[ \t]+)?(?:\*\*|__)?([A-Z][\w'-]*)(?:\*\*|__)?[ \t]*:")
