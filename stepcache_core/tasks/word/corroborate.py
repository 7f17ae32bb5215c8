"""When a word problem's answer may be re-derived for other numbers: once a second model answer agreed.

The verifier checks that every computation is true and every number is grounded; it cannot check which
quantities the question meant to combine. A slipped answer that is consistent for its own numbers (``6 + 6``
where ``6 × 2`` was meant: both are 12) verifies, and re-derived for other numbers it is wrong. Names alone
never change a computation, so a names-only reuse needs nothing more, unless the rename may change whom a word of
one gender means (``genders=f,m``: see :mod:`.gender`); :meth:`WordCorroboration.relabels` writes the points
where a model answer shows that, one person renamed into the other gender.

The second answer need not wait for a caller: :meth:`WordCorroboration.probes` writes the question again with
other numbers (every quantity written in digits, as a fraction or as a percentage), which the engine asks the caller's model in
the background once the first answer is stored.

A structural slip changes the final answer at a second set of numbers (the entry re-derived and the model's own
answer disagree), except where a value hides it at both: a 0, 1 or 2 (``x + x`` is ``x × 2``, ``x × 1`` is
``x ÷ 1``), or a value that another number of the question, a named constant or a result of the answer also
has (one used for the other). A slot holding such a value at the second question is not vouched for, whether
it changed or not: a later variant that changes it is the model's to answer. And a second question that keeps a
number in digits the answer computes with vouches for nothing: that number may stand for a result the answer
never wrote down (see :meth:`WordCorroboration.vouching`).
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from fractions import Fraction
from functools import lru_cache
from itertools import combinations, product
from random import Random

from ...values import Request, Step
from ..regex import alternation
from .adapt import WordAdapter, chain_of, written_as
from .gender import (
    gender_in,
    gender_of,
    gendered,
    given_name,
    one_person,
    pattern,
    pronoun,
    readings,
    regendered,
    unmatched,
    unreadable,
)
from .numbers import (
    CALENDAR,
    ORDINAL_WORD,
    Quantity,
    grouping,
    half_of_day,
    quantities,
    restates,
    write_number,
    write_words,
)
from .parse import WordProblem, names_in
from .read import compares, computations, evaluate, final_answer
from .verify import line_numbers, named_constants, people_counted

__all__ = ["WordCorroboration", "reads_a_unit", "reordered"]

_HIDING = frozenset({Fraction(0), Fraction(1), Fraction(2)})


class WordCorroboration:
    """Slots are the quantities' positions in the template (``q0``, ``q1``...)."""

    def varied(self, old: WordProblem, new: WordProblem, cached: Sequence[Step] | None = None) -> frozenset[str]:
        """The slots whose values differ, and for the quantities of one kind (:func:`_groups`) ranked otherwise,
        their new ranking (``rank(q0/q1/q2)=2/0/1``): a branch on which one is larger, or which is the runner-up, or
        which are the highest and the lowest, may take another side there, so each ranking is corroborated as a
        slot of its own, only by an answer at a point ranked the same way. Not when ``cached`` uses every quantity
        of the kind alike (each in the same operations: "9 × 6", "10 × 3", "14 × 1/2", then their sum): how they
        rank then chooses nothing.

        And for a rename that may change whom a word of one gender means (:func:`~.gender.regendered`: "Ann ...
        she" renamed Tom or Alex), the genders of the new names (``genders=m,f``): only an answer to a question of
        the template with names of those genders shows whether a step goes to another person there."""
        if len(old.quantities) != len(new.quantities) or len(old.names) != len(new.names):
            # templates differ: the gate refuses; nothing is vouched for
            return frozenset(f"q{i}" for i in range(max(len(old.quantities), len(new.quantities))))
        moved = {f"q{i}" for i, (a, b) in enumerate(zip(old.values, new.values, strict=True)) if a != b}
        # (only where neither the question nor the answer compares in words, and the answer tells them apart only
        # where it states one of them: "Ann takes the heavier box", "The red box has the extra apples", "She has
        # extra money and together they have 41 + 23 = 64 dollars" say which one is larger whatever the sums do)
        text = _text(cached) if cached is not None else None
        plain = text is not None and _plain(old.prompt, text)
        groups, listed = [], set()
        for g in _groups(old):
            if not plain or not _alike(old, g, text or "") or _told_apart(old, tuple(g), text or ""):
                groups.append(g)
            elif (order := _listed(old, tuple(g), text or "")) is False:
                groups.append(g)  # stated in an order of the answer's own ("52 + 37" of "Ann has 37, Tom 52")
            elif order and _ranking(new, g) != _ranking(old, g):
                listed.add(_order(g))
        ranked = {_ranking(new, g) for g in groups if _ranking(new, g) != _ranking(old, g)} | listed
        # a value finer than the one it replaces (2.5 hours where there were 3): a rule on whole units ("any part of
        # an hour is charged as a full hour") bites only there, and a probe keeps each value's grain
        finer = {
            f"fine(q{i})"
            for i, (a, b) in enumerate(zip(old.quantities, new.quantities, strict=True))
            if a.kind in ("digits", "percent") and _parts(a) % _parts(b)
        }
        # an amount said as a unit in words that the answer never computes with ("once the bike has been out for a
        # week"): it may be a limit the first numbers leave idle, so each number it may limit ("5 days") is served
        # only within the span agreeing answers covered (see ``missing``)
        spans = _spans(old, new, _unread_units(old, _text(cached) if cached is not None else None))
        genders = {pattern(new)} if regendered(old, new) else set()
        return frozenset(moved | ranked | finer | spans | genders)

    def vouching(self, old: WordProblem, new: WordProblem, cached: Sequence[Step]) -> frozenset[str]:
        """The slots an agreement at ``new`` may vouch for: those :meth:`varied` names, or none where ``new`` keeps
        the value of a quantity ``cached`` computes with. A value the answer computes with may also be a result it
        never wrote down that happens to equal it ("6 × 6 = 36 eggs fill the cartons", where the first 6 is how
        many cartons 40 eggs fill, 6 to a carton): where that quantity keeps its value and the others move a little
        (41 eggs), the unwritten result often stays (41 eggs fill 6 cartons too), and the two answers agree for the
        wrong reason; a later 50 eggs fill 8. Quantities in digits only: every probe moves those, so this binds the
        callers' own points; a multiplier in words ("three times") that a point keeps still lets it vouch (the
        first probes keep the words, which a weak model reads less well)."""
        varied = self.varied(old, new, cached)
        # whom a word of one gender means does not hide behind a value kept (see ``vouched``)
        genders = frozenset(s for s in varied if s.startswith("genders="))
        used = {n.value for line in _text(cached).splitlines() for c in computations(line) for n in c.operands}
        for a, b in zip(old.quantities, new.quantities, strict=False):
            if a.value == b.value and a.kind != "word" and _forms(a, a.value) & used:
                return genders
        moved = [b.value for a, b in zip(old.quantities, new.quantities, strict=False) if a.value != b.value]
        if moved and set(moved) <= set(old.values):
            # the question's own values traded between its quantities (the point where they trade places): a rule
            # idle at the first numbers ("a week at most", for 5 days) is idle there too; it vouches for how they
            # rank and for the span to its own values, and points with values of their own for the rest
            return frozenset(s for s in varied if s.startswith(("rank(", "order(", "at(", "genders=")))
        return varied

    def missing(
        self, old: WordProblem, needed: frozenset[str], corroborated: frozenset[str], *, probing: bool = False
    ) -> frozenset[str]:
        """Of the slots ``needed``, those ``corroborated`` does not hold. A value's ``at(qN)=v`` is held when it lies
        between the first value and one an agreeing answer had, or between two such: a rule the first numbers
        leave idle ("the bill stops growing once the bike has been out for a week", "rentals shorter than a week
        are billed as a full week") bites past some value on one side, and an answer that agreed at a point on
        this side of it says nothing of the other. A variant is served only within what agreeing answers spanned
        (each quantity on its own). ``probing``: what a probe at the point that ``needed`` names would add; past
        the span on a side an agreeing answer reached twice the first value or half of it, only a caller's own
        variant takes it further (a probe per structure and side: an entry inherits the span it agreed with)."""
        out = set(needed - corroborated)
        # a name given to both genders ("Alex") in a pattern of genders: held where every reading of it is, the first
        # question's own among them where each word of one gender it holds is of a named person's gender (see
        # :func:`~.gender.unmatched`) and no two of its quantities are alike (see ``vouched``)
        if any(s.startswith("genders=") for s in out):
            own = {pattern(old)} if len(set(old.values)) == len(old.values) and not unmatched(old) else set()
            out -= {s for s in out if (read := readings(s)) and read <= corroborated | own}
        spans: dict[int, list[Fraction]] = {}
        for slot in corroborated:
            if (m := _AT.fullmatch(slot)) is not None:
                spans.setdefault(int(m.group(1)), []).append(Fraction(m.group(2)))
        for slot in needed:
            m = _AT.fullmatch(slot)
            if m is None or slot not in out or int(m.group(1)) >= len(old.values):
                continue
            first, value = old.values[int(m.group(1))], Fraction(m.group(2))
            reached = [first, *spans.get(int(m.group(1)), [])]
            if min(reached) <= value <= max(reached):
                out.discard(slot)
            elif probing and first > 0 and (max(reached) >= 2 * first if value > first else min(reached) * 2 <= first):
                out.discard(slot)
        return frozenset(out)

    def agrees(self, problem: WordProblem, adapted: Sequence[Step], answered: Sequence[Step]) -> bool:
        mine, yours = final_answer(_text(adapted)), final_answer(_text(answered))
        return mine is not None and yours is not None and mine[0] == yours[0]

    def vouched(self, problem: WordProblem, adapted: Sequence[Step], answered: Sequence[Step]) -> frozenset[str]:
        if not self.agrees(problem, adapted, answered):
            return frozenset()
        ours, theirs = (_text(adapted), _text(answered))
        if _said_of_values(ours) != _said_of_values(theirs):
            # the days, months and ordinals the answers say follow the numbers where they are counted from them
            # ("finishes on Wednesday" after 3 days from a Monday, stored after 8, where it said Monday as the
            # question does): told otherwise, the agreement vouches for nothing
            return frozenset()
        if 0 in problem.values or 0 in _results(ours) | _results(theirs):
            # a 0 hides what it multiplies ("0 hens" hides the legs each hen has): the agreement says nothing of
            # the other slots either
            return frozenset()
        # a word that restates a number ("5 grandchildren. They're quintuplets") is that number said again
        echoes = _restated(problem, problem.quantities)
        counts = Counter(v for q, v in zip(problem.quantities, problem.values, strict=True) if q.start not in echoes)
        # a named fraction is the question's own fraction word ("a quarter" names 1/4): the slot, not another number
        named = {c for c in named_constants(problem.prompt, ours, theirs) if c.denominator == 1}
        others = named | _results(ours) | _results(theirs)
        slots = {f"q{i}" for i, v in enumerate(problem.values) if v not in _HIDING and counts[v] == 1 and v not in others}
        # a value that is no whole number vouches for finer values than a question's whole ones (see ``varied``)
        slots |= {f"fine({s})" for s in slots if problem.values[int(s[1:])].denominator != 1}
        # and for this value of each: the span it stretches to (see ``missing``)
        slots |= {f"at({s})={problem.values[int(s[1:])]}" for s in slots if s.startswith("q")}
        alike = len(counts) == counts.total() and not _amounts_alike(problem, ours, theirs)
        if alike and not unreadable(problem) and _results(ours) == _results(theirs) and _words(ours) == _words(theirs):
            # and for these names' genders (see ``varied``), where a step handed to another person takes other
            # values: no two quantities alike (two people with 10 stickers each trade them unseen), nor an amount
            # computed alike to a quantity or another one (the cook's 4 bags of 5 apples beside James's 20), and
            # where the names tell whom each word of one gender may mean (see :func:`~.gender.unreadable`); and
            # every amount the answer computes is one the stored answer computes there too: a step handed to
            # another person computes other amounts, where the final answers may still agree ("she" triples her
            # 14 red marbles, or his 6, and he adds 12 blue ones to the other: 36 more either way where 12 = 6 + 6).
            # And the answer says it in the very words the stored one says there: a word's form may follow the
            # person's gender in any language ("the hostess", "his aunt", "zapłaciła", "está contenta"), and a step
            # handed to another person may keep every amount ("Sue gives Bob 3; together they still have 15"), so
            # no list of words tells what a rename across genders leaves true; the model's own words for these
            # names do
            slots.add(pattern(problem))
        # how the quantities of each kind rank here (the caller keeps those that ranked otherwise: see ``varied``),
        # where the answer says it in the very words the stored one says there ("the heavier box is the blue one"
        # agrees on the sum with "... the red one", and says the other box)
        if _words(ours) != _words(theirs) or _stated(ours) != _stated(theirs):
            # and with the very numbers in the very places: at a point where two amounts trade places, "Tom gets 41
            # apples. His sister gets 23." agrees word for word and on the sum with the stored answer re-derived
            # there ("Tom gets 23 ... His sister gets 41"), and says who gets the larger one otherwise
            return frozenset(slots)
        return frozenset(slots | {_ranking(problem, g) for g in _groups(problem)} | {_order(g) for g in _groups(problem)})

    def inherits(self, adapted: Sequence[Step], answered: Sequence[Step], slots: frozenset[str]) -> frozenset[str]:
        """Of the ``slots`` an entry is corroborated for, those a model answer ``answered`` that agreed with it
        (re-derived as ``adapted``) is stored corroborated for too: a pattern of genders only where the answer says
        the entry's very words, and so the span of values answers agreed over (``at(...)``, see ``missing``). The
        entry's patterns were vouched for in its own words ("Ann, the hostess, pays" asked with a woman's name); an
        answer worded otherwise ("Tom, the host, pays") was never asked under other genders. And the span where
        the entry's words held ("legally an adult" up to 100 years) is not one where an answer worded otherwise
        ("still a minor") holds. Nor is an order of amounts vouched for in the entry's words ("He has extra eggs")
        one where an answer worded otherwise ("She has extra eggs") or with its numbers in other places holds."""
        ours, theirs = _text(adapted), _text(answered)
        if _words(ours) == _words(theirs):
            return slots if _stated(ours) == _stated(theirs) else frozenset(s for s in slots if not s.startswith(_ORDERS))
        return frozenset(s for s in slots if not s.startswith(("genders=", "at(", *_ORDERS)))

    def refutes(self, problem: WordProblem, adapted: Sequence[Step], answered: Sequence[Step]) -> bool:
        """Whether ``answered``, which did not verify, computes truly in every line and ends in another final answer
        than ``adapted``: it left aside a number of the question (a cap of "a week at most" where 8 days were
        asked: ``7 * 3``, never 8) rather than slipped. A false computation is a slip and refutes nothing; one off by
        1% at most is read as a rounding (``100 / 3 = 33.3``), and as a rule left aside with a slip on top (``30 * 8 =
        241`` where 81 days were asked and the entry bills 81) it still refutes."""
        if self.agrees(problem, adapted, answered) or final_answer(_text(answered)) is None:
            return False
        comps = [c for line in _text(answered).splitlines() for c in computations(line)]
        for c in comps:
            got = evaluate(c.tokens, [n.value / 100 if n.percent else n.value for n in c.operands])
            if got is None or abs((got * 100 if c.result.percent else got) - c.result.value) > abs(c.result.value) / 100:
                return False
        return True

    def same_form(self, adapted: Sequence[Step], answered: Sequence[Step]) -> bool:
        """Whether two answers to one question compute alike: the same computations in order (operations,
        operands, results), a GSM8K annotation beside its own expression counted once."""
        return chain_of(adapted) == chain_of(answered)

    def contrast(self, old: WordProblem, cached: Sequence[Step], new: WordProblem, adapted: Sequence[Step]) -> int:
        """The pairs among the answer's results, then between a result and a question's quantity, then among the
        question's quantities, that compare otherwise at ``new`` than at ``old`` (in that order of weight: the
        one who earns more is another person there). Highest of all: a point where every two quantities of one
        kind trade places (see :func:`_reversed`)."""
        a, b = _ordered_results(_text(cached)), _ordered_results(_text(adapted))
        if len(a) != len(b):
            return 0
        if _kinds(old) and all(
            (x.value < y.value) != (new.quantities[i].value < new.quantities[j].value)
            for group in _kinds(old)
            for i, j in _pairs(group)
            for x, y in [(old.quantities[i], old.quantities[j])]
            if x.value != y.value
        ):
            return 10**12
        qa, qb = list(old.values), list(new.values)

        def flips(xs: list[tuple[Fraction, Fraction]], ys: list[tuple[Fraction, Fraction]]) -> int:
            return sum((x0 < y0) != (x1 < y1) or (x0 == y0) != (x1 == y1) for (x0, x1) in xs for (y0, y1) in ys)

        results, question = list(zip(a, b, strict=True)), list(zip(qa, qb, strict=True))
        among = sum(flips([r], results[i + 1 :]) for i, r in enumerate(results))
        across = flips(results, question)
        inside = sum(flips([q], question[i + 1 :]) for i, q in enumerate(question))
        return among * 1_000_000 + across * 1_000 + min(inside, 999)

    def ambiguous(self, old: WordProblem, cached: Sequence[Step], new: WordProblem) -> bool:
        """Whether ``cached`` re-derives at no point ``new`` only because which quantity a number of it is cannot be
        told at ``old`` (see :meth:`WordAdapter.ambiguous`): a point worth asking as a precedent. Not a point
        whose own quantities or results share a value (its answer could not be re-derived back either), nor one
        where no reading of the answer fits (a count that is not whole whichever quantity the number is); each
        reading that fits is one the model may answer, and each must be one that re-derives back."""
        if len(old.values) != len(new.values):
            return False
        pairs = list(zip(old.values, new.quantities, strict=True))
        if _coincide([(q, q.value) for was, q in pairs if q.value != was], [q for was, q in pairs if q.value == was]):
            return False
        adapter = WordAdapter(shares=True)
        if not adapter.ambiguous(old, new, cached):
            return False
        readings = adapter.readings(old, new, cached)
        return bool(readings) and all(_returns(old, cached, new, read) for read in readings)

    def probes(self, request: Request, problem: WordProblem, n: int = 48) -> list[Request]:
        """Questions of ``problem``'s template with other values: up to ``n`` with every quantity in digits, as
        a fraction ("1/12") or as a percentage set to another value, then up to ``n`` with the quantities in words
        that can say another value set too ("twice", "seven", "two thirds"; not "a dozen", a constant), then up to
        ``n`` with each number in digits a few steps of its grain away (after those that split a value, below).
        Values are drawn from a generator seeded by the question (the same probes every time). No new value hides a
        slip: none is 0, 1 or 2, none equals another quantity or a named constant (12 for a dozen, 60 minutes), each
        differs from the value it replaces; a value stated twice stays one, except at the points before those a few
        steps away, where two quantities that share a value take one each (where a precedent may be asked). A value
        keeps its grain (a multiple of 10 stays one, cents stay cents), a count per period stays within it (days a
        week under 7; English words only, see ``_PERIODS``), a share stays under 100%, and each is written the way
        the question wrote its own (separators, decimals, the percent sign, words). Which of them fits the first answer's roles (whole
        counts, no negative amount) the engine finds by re-deriving that answer there."""
        text = request.embed_text
        if request.key_text is not None and request.prompt.count(text) != 1:
            return []  # a user turn the prompt does not hold once: the probe could not be asked as the request is
        digits = [q for q in problem.quantities if q.kind in ("digits", "percent", "fraction")]
        # not "the two" where the question names two people: the count its names fix, which another value would
        # make a question about no one ("the total for the nine", of two cashiers)
        people = people_counted(problem.prompt, problem)
        words = [q for q in problem.quantities if _in_words(q) and not (q.value in people and _the_people(problem.prompt, q))]
        rng = Random(zlib.crc32(text.encode("utf-8")))
        # the point where quantities of one kind trade places first, then numbers in digits (any model reads them),
        # then with the numbers in words too
        out = _reversed(request, problem)
        out += _points(request, problem, digits, rng, n) if digits else []
        # (a word that restates a number in digits follows it at every point: see ``_restated``)
        words = [q for q in words if q.start not in _restated(problem, digits)]
        out += _points(request, problem, digits + words, rng, n) if words else []
        slots = digits + words
        if len({q.value for q in slots}) < len(slots):
            # two quantities that share a value ("4 sudoku puzzles and 4 word puzzles") keep sharing one at every
            # point above, where the first answer may re-derive nowhere (which 4 a step took cannot be told): a
            # point where each takes its own is where a precedent can be asked (see ``ambiguous``)
            out += _points(request, problem, slots, rng, n, split=True)
        if digits:
            # last, points a step or a few away in every number in digits: where roles bind the values tightly (1/8
            # of 1600 wards, less 62 a day for 3 weeks, stays whole and positive) no point above may fit
            out += _points(request, problem, digits, rng, n, near=True)
        return out

    def relabels(self, request: Request, problem: WordProblem) -> list[Request]:
        """The question with its people renamed into each pattern of genders they may take, every number as it
        was: the points where a model answer shows whether the answer goes to another person under names of those
        genders (see :func:`~.gender.pattern`). One person renamed into the other gender first ("Ann" into
        "James"; "Alex", of neither, into "Maria" and "James"), then two at once, and so on ("Ann and Tom" into
        "James and Maria": an answer where one of them is renamed says nothing of a question where both are); then
        one person into another name of their own gender, which a word of one gender no named person has may need
        (see ``regendered``); then all of it again with other new names (the model may slip on the first). Never
        into a name given to both genders: a pattern with one stands for that name alone. Only names the name data
        knows are renamed (not "Costco", nor "Ella" where it may be "she", nor a name whose gender a title says:
        "Prince Chris", nor one the question writes inside a longer name or after an article, as a family's or a
        place's: "the Smith family", "The Treasure hunt team", "Sports Arena", "Prof. Rodriguez", "Prince Tyler");
        a new name is none the question holds. Asked at a point where the model already agreed with the entry: an
        answer that disagrees there is about the names, and refutes nothing."""
        text = request.embed_text
        if request.key_text is not None and request.prompt.count(text) != 1:
            return []
        spans = names_in(text)
        people: list[tuple[str, str | None]] = []
        for name in problem.names:
            own = gender_in(text, name)
            if not given_name(name) or pronoun(text, name) or own != gender_of(name) or _in_a_longer_name(text, spans, name):
                continue  # not a person's first name ("Ella" may be "she"), or a gender a word before it says
            people.append((name, own))
        # the renamings, each a tuple of (person, the gender of their new name): every pattern of genders, fewest
        # people renamed first (only one at a time past _PATTERNED people: 2^n patterns), then one person into
        # their own gender
        if len(people) <= _PATTERNED:
            kinds = product("fm", repeat=len(people))
            found = {tuple((n, g) for (n, own), g in zip(people, k, strict=True) if g != own) for k in kinds} - {()}
        else:
            found = {((n, g),) for n, own in people for g in "fm" if g != own}
        # (in one order whatever the process: a set of strings iterates in another order in each)
        moves = sorted(found, key=lambda m: (len(m), [problem.names.index(n) for n, _ in m], [g for _, g in m]))
        moves += [((n, own),) for n, own in people if own is not None]
        out: list[Request] = []
        for turn in range(2):
            for move in moves:
                free = {k: [n for n in _RELABEL[k] if _stranger(n, text, problem.names)] for k in ("f", "m")}
                renames: dict[str, str] = {}
                for name, kind in move:
                    if not free[kind]:
                        break
                    renames[name] = free[kind].pop(turn % len(free[kind]))
                else:
                    probe = _renamed(text, spans, renames)
                    prompt = request.prompt.replace(text, probe) if request.key_text is not None else probe
                    out.append(replace(request, prompt=prompt, key_text=probe if request.key_text is not None else None))
        return out


_AT = re.compile(r"at\(q(\d+)\)=(-?\d+(?:/\d+)?)")


# a period or a group said as one unit, in the languages the gate reads, what it may stand for (a week: 7 days,
# 168 hours; a month: 28 to 31 days, 4 weeks; a dozen: 12), and whether it is a period (it limits the quantities
# counted in periods: "5 days", "8 hours"; a group limits any count); not a pair (2 hides in any answer), not a
# second ("a second time")
_UNITS: tuple[tuple[str, frozenset[int], bool], ...] = (
    (r"weeks?|workweeks?|Wochen?|Arbeitswochen?|semanas?|semaines?|settiman[ae]|weken", frozenset({7, 168}), True),
    (r"fortnights?|quincenas?|quinzaines?", frozenset({14}), True),
    (r"months?|Monate?s?|mes(?:es)?|mois|mes[ei]|maand(?:en)?", frozenset({4, 12, 28, 29, 30, 31}), True),
    (r"years?|Jahre?s?|años?|ans?|années?|ann[oi]|anos?|jaar|jaren", frozenset({12, 52, 365, 366}), True),
    (r"days?|workdays?|Tage?s?|Arbeitstage?s?|d[íi]as?|jours?|giorn[oi]|dag(?:en)?", frozenset({24}), True),
    (r"hours?|Stunden?|horas?|heures?|or[ae]|uur|uren", frozenset({60}), True),
    (r"minutes?|Minuten?|minutos?|minuti", frozenset({60}), True),
    (r"decades?|Jahrzehnte?s?|décadas?|décennies?|decenni[oi]", frozenset({10}), True),
    (r"nights?|Nächte|Nacht|noches?|nuits?|nott[ei]|noites?|nachten|nacht", frozenset(), True),
    (r"dozens?|Dutzend|docenas?|douzaines?|dozzin[ae]|dúzias?|dozijn", frozenset({12}), False),
)
# an ordinal before one ("the first week", "the eighth day", "die erste Woche", "l'ottava notte", "la primera
# semana"): where a rule starts or stops, as much as "a week" is
_ORDINAL = (
    r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|last|\d+(?:st|nd|rd|th)|"
    r"erste[nmrs]?|zweite[nmrs]?|dritte[nmrs]?|vierte[nmrs]?|fünfte[nmrs]?|sechste[nmrs]?|siebte[nmrs]?|"
    r"achte[nmrs]?|neunte[nmrs]?|zehnte[nmrs]?|letzte[nmrs]?|"
    r"primer[oa]?|segund[oa]|tercer[oa]?|cuart[oa]|quint[oa]|sext[oa]|s[ée]ptim[oa]|octav[oa]|noven[oa]|d[ée]cim[oa]|"
    r"[úu]ltim[oa]|premi(?:er|ère)|deuxième|second(?:e|o|a)?|troisième|quatrième|cinquième|sixième|septième|"
    r"huitième|neuvième|dixième|dernière?|prim[oa]|terz[oa]|quart[oa]|sest[oa]|settim[oa]|ottav[oa]|non[oa]|"
    r"primeir[oa]|terceir[oa]|s[ée]tim[oa]|oitav[oa]|eerste|tweede|derde|vierde|vijfde|zesde|zevende|achtste|"
    r"negende|tiende|laatste"
)
_UNIT = re.compile(
    r"(?<![\w-])(?:(?:an?|one|une?|eine?[mnrs]?|el|la|un|una|uno|il|lo|um|uma|o|een|één)[\s-]+"
    r"(?:(?:full|whole|single|entire|calendar|school|business|working|work|fiscal|ganze[nr]?|entera?|entière?|"
    r"intera?|intero)\s+)?"
    # or each whole one ("in each full week", "jede volle Woche", "cada semana completa" reads as a rate), or the
    # one a span ends with ("within the week", "by the end of the month"), or a cap per one ("capped per fortnight")
    r"|(?:each|every|jede[nmrs]?|cada|chaque|ogni)\s+(?:full|whole|complete|entire|calendar|volle[nmrs]?|ganze[nmrs]?)\s+"
    r"|(?:within|during|throughout|beyond|past|after|outside|by\s+the\s+end\s+of|until\s+the\s+end\s+of|"
    r"before\s+the\s+end\s+of)\s+(?:the|this|that)\s+"
    r"(?:(?:calendar|school|business|working|work)\s+)?"
    r"|\bcap(?:ped|s)?\s+(?:per|each|every|a|an)\s+"
    # or an ordinal a few words before it: "the eighth and later days", "la primera semana"
    rf"|(?:{_ORDINAL})[\s-]+(?:[^\W\d_]+[\s-]+){{0,3}}?)"
    rf"({'|'.join(f'(?:{w})' for w, _, _ in _UNITS)})\b"
    # a unit in a compound: "a weeklong rental", "week-long", "wochenlang"
    rf"|(?<![\w-])({'|'.join(f'(?:{w})' for w, _, _ in _UNITS)})-?(?:long|lang)\b"
    # or as an adjective of a period longer than a day: "a weekly pass", "the monthly cap", "an annual fee"
    r"|(?<![\w-])(week|fortnight|month|year)ly\b|(?<![\w-])(annual)(?:ly)?\b",
    re.IGNORECASE,
)
_ARTICLE_LEAD = re.compile(
    r"(?:an?|one|une?|eine?[mnrs]?|el|la|un|una|uno|il|lo|um|uma|o|een|één)[\s-]+(?:[^\W\d_]+\s+)?", re.IGNORECASE
)
# a count of periods: "5 days", "8 full hours", "12 back-to-back days", "3 Tage", "10 noches"; not a rate ("$15 per
# day", "$3 a day", "2 apples each day")
_PERIODS_AFTER = re.compile(
    r"\s*(?:(?!(?:per|an?|each|every|the|pro|je|por|cada|par|chaque|al|ogni|la|le|el|il)\s)[^\W\d_][\w-]*\s+){0,3}(?:"
    # not the French year's "an", which is the English article too ("348 piece puzzle within an hour")
    + "|".join(w for w, _, period in _UNITS if period).replace("|ans?|", "|ans|")
    + r")\b",
    re.IGNORECASE,
)
# what follows a count in a rate, not an amount: "5 days a week", "six days a week", "twice a day", "$15 an hour"
_RATE = re.compile(r"\W*(?:[^\W\d_]+\s+){0,2}")
# a plural noun right before one ("hours a week", "letters a week", "emails a day"): a rate too; not a verb ("the
# rental lasts a week") nor a word that ends so ("is", "was", "as", "has")
_PER_NOUN = re.compile(r"\b([a-z]{3,}s)\s+$", re.IGNORECASE)
_NOT_NOUNS = frozenset(
    "takes lasts runs costs charges bills keeps stays rents needs spends waits works sleeps gets is was has does "
    "goes plus minus less thus always perhaps".split()
)


# the period a question asks its amount in, ending it: "How many hours does he spend writing a week?", "How much
# does she earn a month?" (a gerund or a verb of making or taking in before "a"/"an"); not a stay ("if he rents it a
# week?", "parking a week?", "in a week?"). It may still cap an amount of time ("keeps the oven running for 27 hours.
# How many loaves does it bake a day?"), not the interval of a rate
_ASKED_PER = alternation(
    r"\b(?:(?!(?:during|morning|evening|nothing|something|anything|everything|renting|keeping|staying|lasting|"
    r"taking|borrowing|hiring|leasing|parking|leaving|booking|waiting|sleeping|spending|using|being|having|"
    r"travell?ing|going|living|working)\b)[a-z]{2,}ing|earn|make|save|get|receive|write|read|eat|drink|sell|buy|"
    r"pay|produce|bake|cook|collect|burn|lose|gain|consume)\s+an?\s+$",
    re.IGNORECASE,
)


# a count of periods said as the interval of a rate: "a page every 9 minutes", "one pill each 8 hours"
_INTERVAL = re.compile(r"\b(?:every|each)\s+$", re.IGNORECASE)


def _asked_per(prompt: str, unit: re.Match[str]) -> bool:
    """Whether ``unit`` ("a week") ends a question as the period its amount is asked per (see ``_ASKED_PER``)."""
    if not re.match(r"\s*\?", prompt[unit.end() :]):
        return False
    return _ASKED_PER.search(prompt, max(0, unit.start() - 40), unit.start(1)) is not None


def _unread_units(problem: WordProblem, answer: str | None) -> frozenset[int]:
    """The quantities (indices) that an amount the question says as one unit in words (not a rate) may limit, when
    ``answer`` never computes with its values as a constant: "out for a week", "the eighth and later days", "a
    weeklong rental" where no step takes 7 or 168 limit "5 days" (a number of the question or a result the answer
    wrote does not count: 28 days' bill of $1 is no month); "after a dozen" limits any count. ``None`` (no answer
    to read): as if it took none."""
    units = _units_said(problem.prompt, problem.quantities)
    if not units:
        return frozenset()
    comps = [c for line in (answer or "").splitlines() for c in computations(line)]
    used = {n.value for c in comps for n in c.operands} - set(problem.values) - {c.result.value for c in comps}
    return frozenset(i for values, limited in units if not values & used for i in limited)


def reads_a_unit(prompt: str, quantities_: tuple[Quantity, ...]) -> bool:
    """Whether ``prompt`` says an amount as one unit in words ("for a week") whose span a reuse stays within (see
    :meth:`WordCorroboration.missing`): a limit there needs no refusal of the gate's."""
    return bool(_units_said(prompt, quantities_))


@lru_cache(maxsize=1024)
def _units_said(prompt: str, quantities_: tuple[Quantity, ...]) -> tuple[tuple[frozenset[int], frozenset[int]], ...]:
    """Each amount ``prompt`` says as one unit in words, not a rate: what it may stand for, and the quantities (of
    ``quantities_``) it may limit. Read once per question: a stored entry's question is read for every request."""
    out = []
    for m in _UNIT.finditer(prompt):
        before = prompt[max(0, m.start() - 30) : m.start()]
        counts = [q for q in quantities(before) if q.kind != "word" or q.value >= 1]
        unit = m.group(1) or m.group(2) or m.group(3) or ("year" if m.group(4) else "")
        # after an article ("a week") or as an adjective ("weekly") it may be a rate; after "each full", "within
        # the", an ordinal, it is not
        lead = m.group(0)[: m.start(1) - m.start()] if m.group(1) is not None else ""
        if (_ARTICLE_LEAD.fullmatch(lead) or m.group(3) is not None or m.group(4) is not None) and (
            # a rate: "twice a week", "5 days a week", "hours a week", "$500 weekly" ("once a week has passed" may
            # be a limit)
            re.search(r"\b(?:twice|thrice|times)\s*$", before, re.IGNORECASE)
            or (counts and _RATE.fullmatch(before[counts[-1].end :]))
            or ((noun := _PER_NOUN.search(before)) is not None and noun.group(1).lower() not in _NOT_NOUNS)
        ):
            continue
        values, period = next((v, p) for w, v, p in _UNITS if re.fullmatch(w, unit, re.IGNORECASE))
        # the period the question asks its amount per ("spend writing a week?") may cap an amount of time ("runs
        # for 27 hours", "how many loaves a day?"), not the interval of a rate ("a page every 9 minutes")
        asked = m.group(1) is not None and _asked_per(prompt, m)
        limited = frozenset(
            i
            for i, q in enumerate(quantities_)
            if q.kind in ("digits", "percent", "fraction")
            and (not period or _PERIODS_AFTER.match(prompt, q.end))
            and not (asked and _INTERVAL.search(prompt, max(0, q.start - 12), q.start))
        )
        out.append((values, limited))
    return tuple(out)


def _spans(old: WordProblem, new: WordProblem, limited: frozenset[int]) -> set[str]:
    """Each number of ``limited`` that moved, at its new value: ``at(q0)=12`` (see
    :meth:`WordCorroboration.missing`)."""
    return {
        f"at(q{i})={b.value}"
        for i, (a, b) in enumerate(zip(old.quantities, new.quantities, strict=True))
        if i in limited and a.value != b.value
    }


def _returns(old: WordProblem, cached: Sequence[Step], new: WordProblem, read: Sequence[Step]) -> bool:
    """Whether an answer at ``new`` computed as ``read`` (a reading of ``cached`` there) could be re-derived back for
    ``old``: no value of it stands for two of the first answer's (its results must not coincide with each other or
    with its quantities where the first's did not: at the point where 10% and 48% trade places, 1000 × 0.48 × 0.1
    is 48 again), nor with a constant the question or the answer names where the first's did not (a result of 100
    in a question of percents: the 100 of "x / 100" and the result cannot be told apart)."""
    back: dict[Fraction, set[Fraction]] = {}
    olds, news = [*old.values, *_ordered_results(_text(cached))], [*new.values, *_ordered_results(_text(read))]
    if len(olds) != len(news):
        return False
    constants = named_constants(new.prompt, _text(read))
    for was, now in zip(olds, news, strict=True):
        if now in constants and now != was:
            return False
        back.setdefault(now, set()).add(was)
    return all(len(sources) == 1 for sources in back.values())


def reordered(old: WordProblem, new: WordProblem, cached: Sequence[Step]) -> bool:
    """Whether quantities of one kind that ``cached`` computes with alike, and yet tells apart in words ("The leader
    holds 41 dollars", then their sum), rank otherwise at ``new``: an order only a second model answer vouches for
    (see :meth:`WordCorroboration.varied`), where none is asked."""
    if len(old.quantities) != len(new.quantities):
        return False
    text = _text(cached)
    if not _plain(old.prompt, text):
        return False  # (an answer or a question that compares in words: see ``varied``)
    for g in _groups(old):
        if _ranking(new, g) != _ranking(old, g) and _alike(old, g, text):
            if _told_apart(old, tuple(g), text) or _listed(old, tuple(g), text) is not None:
                return True
    return False


def _alike(problem: WordProblem, group: list[int], text: str) -> bool:
    """Whether the answer ``text`` uses each quantity of ``group`` in the same operations: for each, the operations
    of the computations that take its value (what a later step does with it), compared as multisets."""
    comps = [c for line in text.splitlines() for c in computations(line)]

    def uses(value: Fraction) -> list[tuple[str, ...]]:
        return sorted(tuple(t for t in c.tokens if isinstance(t, str)) for c in comps if value in (n.value for n in c.operands))

    signatures = {tuple(uses(problem.values[i])) for i in group}
    return len(signatures) == 1


# (a point or a comma between two digits is a number's: "2.5", "1,200")
_SENTENCE_END = re.compile(r"(?<!\d)\.|\.(?!\d)|[;!?\n]")
_CLAUSE_END = re.compile(r"(?<!\d)[.,]|[.,](?!\d)|[;!?\n]|\band\b")
# small words a step may say beside the question's own ("For the blue balls, 9 balls x $5 = $45")
_SMALL_WORDS = frozenset("a an the and or of to in on at for from by with each per is are was were it its so".split())


@lru_cache(maxsize=1024)
def _plain(prompt: str, text: str) -> bool:
    """Whether neither the question ``prompt`` ("how much longer" aside) nor the answer ``text`` compares in words."""
    asked = re.sub(r"\bhow\s+(?:much|many)\s+[^\W\d_]+", " ", prompt, flags=re.IGNORECASE)
    return not compares(text) and not compares(asked)


@lru_cache(maxsize=1024)  # (asked of one stored answer on every reuse of it)
def _told_apart(problem: WordProblem, group: tuple[int, ...], text: str) -> bool:
    """Whether the answer ``text`` tells the quantities of ``group`` apart anywhere but where it states them in the
    question's words: a sentence that holds a word telling one from another (a pronoun or a word of one gender,
    or a word the question says of one of them only: "red" of "a red box holds 41 apples" beside "a
    blue box holds 23", "Ann" of "Ann has 41") and that states none of their values, or that says a word the
    question does not write. "For the blue balls, 9 balls x $5/ball = $45" states an amount in the question's
    words; "Ann has extra money", "The red box has the extra apples: 41", "Extra apples: red box" and "She has
    the extra" say which one is larger. So does a sentence in the question's words that tells one apart where
    another is never stated beside a word of its own clause ("First is the hat: $41." for "First Ann buys a hat
    for $41, then a scarf for $23")."""
    # what the question says of each, from the one before it (or its sentence's start) to the end of its own clause
    # ("A red and white striped box holds 41 apples", "apples and a plain blue box holds 23 apples")
    members = sorted((problem.quantities[i] for i in group), key=lambda q: q.start)
    near: list[set[str]] = []
    for k, q in enumerate(members):
        starts = [m.end() for m in _SENTENCE_END.finditer(problem.prompt, 0, q.start)]
        start = max([members[k - 1].end if k else 0, *starts])
        ends = [m.start() for m in _CLAUSE_END.finditer(problem.prompt, q.end)][:1]
        end = min([*ends, members[k + 1].start if k + 1 < len(members) else len(problem.prompt)])
        near.append({w.casefold() for w in re.findall(r"[^\W\d_]+", problem.prompt[start:end])})
    said = Counter(w for words in near for w in words)
    telling = {w for w, n in said.items() if n == 1} - _SMALL_WORDS  # (said of one only: "red", not "minutes")
    asked = {w.casefold() for w in re.findall(r"[^\W\d_]+", problem.prompt)} | _SMALL_WORDS
    values = {problem.values[i] for i in group}  # (two alike are told apart by a precedent: see :mod:`~stepcache_core.probe`)
    # each amount's own clause in the question ("First Ann buys a hat for $41", "then a scarf for $23"), less the
    # words every clause says
    clauses = {q.value: _clause(problem.prompt, q) for q in members}
    everywhere = frozenset.intersection(*clauses.values())
    clauses = {v: words - _SMALL_WORDS - everywhere for v, words in clauses.items()}
    singled, named = False, set[Fraction]()
    for sentence in _SENTENCE_END.split(re.sub(r"<<[^<>]*>>", " ", text)):
        words = {w.casefold() for w in re.findall(r"[^\W\d_]+", sentence)}
        stated = [v for v in values if any(q.value == v for q in quantities(sentence))]
        named.update(v for v in stated if words & clauses[v])
        if _picks(sentence, values, clauses):
            return True
        if not words & telling and not gendered(sentence):
            continue
        if not stated or any(w not in asked and f"{w}s" not in asked and f"{w}es" not in asked for w in words):
            return True  # ("$5/ball" of the question's "balls" is its word)
        singled = True
    # a sentence in the question's words that tells one amount from the others, where another is never stated beside
    # a word of its own clause: the answer picks one out ("First is the hat: $41." then "In all: 41 + 23 = 64", where
    # the question begins "First Ann buys a hat for $41, then a scarf for $23": the hat is named for its price)
    return singled and named != values


def _picks(sentence: str, values: set[Fraction], clauses: dict[Fraction, frozenset[str]]) -> bool:
    """Whether a clause of ``sentence`` states some of ``values`` but not all, and not by a word of their own clause
    in the question (``clauses``): "The leader holds 41 dollars", "The middle pile holds 35", "Tom gets 41 apples
    and Sue gets 23" where the question names Tom and Sue for no amount. What picked them out is no word of the
    question's, their order perhaps; "In all: 41 + 23 = 64" states them all, "For the blue balls, 9 balls" by its
    own word (in the clause or one before it in the sentence)."""
    words: set[str] = set()
    for clause in _CLAUSE_END.split(sentence):
        stated = {v for v in values if any(q.value == v for q in quantities(clause))}
        words |= {w.casefold() for w in re.findall(r"[^\W\d_]+", clause)}
        if 0 < len(stated) < len(values) and any(not words & clauses[v] for v in stated):
            return True
    return False


def _clause(prompt: str, q: Quantity) -> frozenset[str]:
    """The words of the clause that states ``q`` in ``prompt``: from the end of the clause before it to its own."""
    starts = [m.end() for m in _CLAUSE_END.finditer(prompt, 0, q.start)]
    ends = [m.start() for m in _CLAUSE_END.finditer(prompt, q.end)][:1]
    return frozenset(w.casefold() for w in re.findall(r"[^\W\d_]+", prompt[max([0, *starts]) : min([*ends, len(prompt)])]))


_ORDERS = ("rank(", "order(")


def _order(group: list[int]) -> str:
    """The slot for whether an answer states the quantities ``group`` in the question's order at every ranking of
    theirs: ``order(q0/q1)`` (see :func:`_listed`)."""
    return "order(" + "/".join(f"q{i}" for i in group) + ")"


@lru_cache(maxsize=1024)  # (asked of one stored answer on every reuse of it)
def _listed(problem: WordProblem, group: tuple[int, ...], text: str) -> bool | None:
    """Whether the answer ``text`` first states two or more of the values of ``group`` in the order the question
    states them (True) or in another (False); None where it states fewer than two. The order an answer writes
    amounts in is its own ("Tom has 52 apples and Ann has 37", "52 + 37", of "Ann has 37 apples and Tom has 52"),
    and may follow how they rank: in another order than the question's, each ranking is a slot of its own (see
    :meth:`WordCorroboration.varied`); in the question's, one model answer that keeps it where they rank otherwise
    shows it is the question's order the answer follows (``order(...)``). A value the group shares with another
    quantity or a result cannot tell which one a mention states: read as another order."""
    values = list(dict.fromkeys(problem.values[i] for i in group))
    plain = re.sub(r"<<[^<>]*>>", " ", text)
    others = {v for i, v in enumerate(problem.values) if i not in group} | _results(plain)
    if others & set(values):
        return False
    said = list(dict.fromkeys(q.value for q in quantities(plain) if q.value in values))
    if len(said) < 2:
        return None
    return said == [v for v in values if v in said]


def _ranking(problem: WordProblem, group: list[int]) -> str:
    """How the quantities ``group`` of ``problem`` rank (ties share a rank), as a slot: ``rank(q0/q1/q2)=2/0/1``."""
    values = problem.values
    ranks = sorted({values[i] for i in group})
    return "rank(" + "/".join(f"q{i}" for i in group) + ")=" + "/".join(str(ranks.index(values[i])) for i in group)


def _kinds(problem: WordProblem) -> list[list[int]]:
    """:func:`_groups` of two values or more (a value stated twice is one quantity said twice)."""
    values = problem.values
    return [g for g in _groups(problem) if len({values[i] for i in g}) >= 2]


def _groups(problem: WordProblem) -> list[list[int]]:
    """The quantities in digits that count the same thing, as groups of two or more indices: linked by the word
    after each ("100 stickers" and "7 stickers", "60% of the questions") or the word before ("Bob has 7", "the
    number 9"), so that "Ana tem 100 figurinhas e Bob tem 7" groups 100 and 7. Grouping too much costs a probe
    point; too little leaves a branch on the order of two quantities to the word lists."""
    keys: list[set[str]] = []
    for k, q in enumerate(problem.quantities):
        found: set[str] = set()
        # a list ("scores of 9, 6, 4 and 10"): each is of the kind of the one before it
        if k and _LISTED.fullmatch(problem.prompt[problem.quantities[k - 1].end : q.start]):
            keys[k - 1].add(f"list{k}")
            found.add(f"list{k}")
        if q.kind in ("digits", "percent"):
            clause = re.split(r"[.,;:!?\n]", problem.prompt[q.end : q.end + 60], maxsplit=1)[0]
            after = [w.casefold() for w in re.findall(r"[^\W\d_]+", clause)][:3]
            # the word right after it, or after "of (the)" ("60% of the questions"); a conjunction ends it
            while after and after[0] in _OF and len(after) > 1:
                after = after[1:]
            unit = after[0] if after and after[0] not in _PARTICLES else None
            if unit is not None:
                found.add(f"{q.kind}>{unit.removesuffix('s')}")
            before = re.search(r"([^\W\d_]+)[\s$€£¥]*$", problem.prompt[max(0, q.start - 30) : q.start])
            if before is not None:  # any word: "B en a 7" (French "a", has) as much as "Bob has 7"
                found.add(f"{q.kind}<{before.group(1).casefold()}")
        keys.append(found)
    # quantities sharing a key are of a kind (union-find over the indices)
    parent = list(range(len(keys)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, found in enumerate(keys):
        for key in found:
            if key in owner:
                parent[root(i)] = root(owner[key])
            else:
                owner[key] = i
    groups: dict[int, list[int]] = {}
    for i, found in enumerate(keys):
        if found:
            groups.setdefault(root(i), []).append(i)
    return [g for g in groups.values() if len(g) >= 2]


_PARTICLES = frozenset(
    "of the a an each per in at for to and on by with from de del la las los el le les des du der die das den dem "
    "je zu pro di da il lo gli al à".split()
)


_LISTED = re.compile(r"\s*(?:,|,?\s*(?:and|or|y|o|e|et|ou|und|oder|en|i|och)\s)\s*[$€£¥]?\s*", re.IGNORECASE)
_OF = frozenset("of the a an de del la las los el le les des du di da do dos das von der die das".split())


def _pairs(group: list[int]) -> list[tuple[int, int]]:
    return [(i, j) for k, i in enumerate(group) for j in group[k + 1 :]]


def _reversed(request: Request, problem: WordProblem) -> list[Request]:
    """The question with the quantities of each kind (:func:`_kinds`) in reverse order: the largest takes the
    smallest's value and so on, every other number as it was. Every two of a kind compare otherwise there, however
    far apart ("100 stickers" and "7 stickers" trade places), so a branch on which one is larger ("whoever has more
    gives 3", "la caja más pesada", in any language) takes its other side, and the model's answer disagrees with
    the stored one re-derived, where points drawn near each value never flip it. The values are the question's
    own: no new one hides a slip."""
    groups = _kinds(problem)
    if not groups:
        return []
    text = request.embed_text
    if request.key_text is not None and request.prompt.count(text) != 1:
        return []
    values = dict(enumerate(problem.values))
    for group in groups:
        ranked = sorted({problem.values[i] for i in group})
        mirror = dict(zip(ranked, reversed(ranked), strict=True))
        for i in group:
            values[i] = mirror[problem.values[i]]
    # one entry per value the question states (a value stated twice is one quantity said twice)
    moved = {problem.values[i]: (q, values[i]) for i, q in enumerate(problem.quantities) if values[i] != problem.values[i]}
    if _coincide(list(moved.values()), [q for i, q in enumerate(problem.quantities) if values[i] == problem.values[i]]):
        return []
    slots = [problem.quantities[i] for g in groups for i in g]
    echoes = _restated(problem, slots)
    echoed = [q for q in problem.quantities if q.start in echoes]
    grouped = grouping(text)
    written: list[str | None] = [write_number(values[problem.quantities.index(q)], q.text, grouped=grouped) for q in slots]
    written += [write_words(values[problem.quantities.index(echoes[q.start])], q.text) for q in echoed]
    if any(w is None for w in written):
        return []
    probe = _substituted(text, slots + echoed, written)
    prompt = request.prompt.replace(text, probe) if request.key_text is not None else probe
    return [replace(request, prompt=prompt, key_text=probe if request.key_text is not None else None)]


# a count of children or young ones, which a birth word may restate ("her 5 grandchildren", "4 little puppies")
_YOUNG = re.compile(
    r"\s+(?:[^\W\d_]+\s+)?(?:grand)?(?:children|kids|babies|sons|daughters|boys|girls|siblings|brothers|sisters|"
    r"nephews|nieces|cousins|infants|newborns|puppies|kittens|cubs|lambs|calves|foals|piglets)\b",
    re.IGNORECASE,
)


def _restated(problem: WordProblem, slots: Sequence[Quantity]) -> dict[int, Quantity]:
    """The words of ``problem`` that restate a number in digits of ``slots`` ("her 5 grandchildren. They're
    quintuplets": :func:`~.numbers.restates`), each by where it starts, with that number: at a point the word
    says the number's new value, never one of its own ("10 grandchildren. They're sextuplets" asks nothing).
    Only a count of children or young ones (``_YOUNG``), the one such count of that value: "octuplets" beside "8
    AM" restates no hour, and each moves on its own."""
    out: dict[int, Quantity] = {}
    for q in problem.quantities:
        if not restates(q):
            continue
        said = [d for d in slots if d.kind == "digits" and d.value == q.value and _YOUNG.match(problem.prompt, d.end)]
        if len(said) == 1:
            out[q.start] = said[0]
    return out


def _points(
    request: Request,
    problem: WordProblem,
    slots: list[Quantity],
    rng: Random,
    n: int,
    *,
    split: bool = False,
    near: bool = False,
) -> list[Request]:
    """Up to ``n`` requests with every quantity of ``slots`` set to another value (see ``probes``); ``split``: two
    quantities that share a value take one each; ``near``: each a few steps of its grain away (see ``_draw``)."""
    text = request.embed_text
    fixed = {q.value for q in problem.quantities if q not in slots} | named_constants(problem.prompt)
    out: list[tuple[int, Request]] = []
    seen: set[str] = set()

    # a value the question states twice is one quantity said twice (as a template repeats a variable): it keeps
    # one value, and the probe varies it as one (unless ``split``)
    def key(q: Quantity) -> object:
        return q.start if split else q.value

    echoes = _restated(problem, slots)
    slots = [q for q in slots if q.start not in echoes]
    firsts = list({key(q): q for q in slots}.values())
    for attempt in range(8 * n):
        drawn = {key(q): _draw(q, rng, attempt, _cap(text, q), near=near) for q in firsts}
        news = list(drawn.values())
        if len(set(news)) < len(news) or any(v in _HIDING or v in fixed or v <= 0 for v in news):
            continue
        if any(drawn[key(q)] == q.value for q in firsts):
            continue
        if _coincide([(q, drawn[key(q)]) for q in firsts], [q for q in problem.quantities if q not in slots]):
            continue
        echoed = [q for q in problem.quantities if q.start in echoes]
        written = [_written(q, drawn[key(q)]) for q in slots] + [_written(q, drawn[key(echoes[q.start])]) for q in echoed]
        if any(w is None for w in written):
            continue  # a value the question's words cannot say ("seven" as 3/4)
        probe = _substituted(text, slots + echoed, written)
        if probe in seen:
            continue
        seen.add(probe)
        prompt = request.prompt.replace(text, probe) if request.key_text is not None else probe
        flips = sum(
            (a.value < b.value) != (drawn[key(a)] < drawn[key(b)])
            for i, a in enumerate(firsts)
            for b in firsts[i + 1 :]
            if a.value != b.value  # two that were alike (a split point) trade no places
        )
        out.append((flips, replace(request, prompt=prompt, key_text=probe if request.key_text is not None else None)))
        if len(out) >= n:
            break
    # points where the quantities compare otherwise first: a branch on how they compare ("the cheaper one", "if
    # she has more") then shows as a disagreement, where a point that keeps every order would agree
    return [r for _, r in sorted(out, key=lambda p: -p[0])]


def _forms(q: Quantity, value: Fraction) -> set[Fraction]:
    """The values an answer may write for ``q`` set to ``value``: a percentage's share and what is left of it or added
    to it (25%: 1/4, 3/4, 5/4, 75, 125), a fraction's denominator and what is left of it (3/4: 4, 1/4)."""
    out = {value}
    if q.kind == "percent":
        out |= {value / 100, 1 - value / 100, 1 + value / 100, 100 - value, 100 + value}
    if value.denominator != 1:
        out |= {Fraction(value.denominator), 1 - value}
    return out


def _coincide(moved: Sequence[tuple[Quantity, Fraction]], kept: Sequence[Quantity] = ()) -> bool:
    """Whether a quantity a second point sets to another value (``moved``, with its value there) shares a value an
    answer may write (25% and "one quarter" both write 1/4) with another it sets, or with one it keeps: which one
    a number of the answer is could not be told there. The point is not asked. Two quantities it keeps as they
    were ("a pair of shorts", "a pair of sneakers", "half" the price) may share one: they do at the first question
    too, and each maps to itself."""
    seen: set[Fraction] = set()
    for q in kept:
        seen |= _forms(q, q.value)
    for i, (q, value) in enumerate(moved):
        forms = _forms(q, value)
        if forms & seen or any(forms & _forms(p, v) for p, v in moved[:i]):
            return True
    return False


_FRACTIONS = tuple(Fraction(a, b) for a, b in ((1, 2), (1, 3), (2, 3), (1, 4), (3, 4), (1, 5), (2, 5), (3, 5), (4, 5)))


def _the_people(prompt: str, q: Quantity) -> bool:
    """Whether ``q`` ("two") is said as people themselves: "the two", "all three", "both of the two"."""
    return re.search(r"\b(?:the|all|these|those)\s+$", prompt[max(0, q.start - 12) : q.start], re.IGNORECASE) is not None


def _in_words(q: Quantity) -> bool:
    """A count, multiplier or fraction in words that can be said with another value ("twice", "seven", "two
    thirds"); not a named group ("a dozen"), which is a constant of the question."""
    return q.kind == "word" and write_words(Fraction(3) if q.value >= 1 else Fraction(1, 3), q.text) is not None


def _written(q: Quantity, value: Fraction) -> str | None:
    return write_words(value, q.text) if q.kind == "word" else write_number(value, q.text)


def _grain(q: Quantity) -> Fraction:
    """The step a quantity's values come in: 10 for 40, 5 for 15, 0.25 for 2.75, 0.01 for 2.99, 1 otherwise."""
    places = len(q.text.split(".")[1].rstrip("% percnt")) if "." in q.text else 0
    unit = Fraction(1, 10**places)
    scaled = q.value / unit
    for step in (100, 50, 25, 10, 5):
        if scaled.denominator == 1 and scaled.numerator % step == 0 and scaled.numerator != step:
            return unit * step
    return unit


# a count of a unit per a longer one ("5 days a week", "8 hours per day"): how many of the one the other holds
# (English words only; a count per period in another language is drawn as any count, and an answer that cannot
# be read there vouches for nothing)
_PERIODS = {
    ("day", "week"): 7,
    ("hour", "day"): 24,
    ("month", "year"): 12,
    ("week", "year"): 52,
    ("minute", "hour"): 60,
    ("second", "minute"): 60,
    ("day", "month"): 28,
    ("day", "year"): 365,
}
_PER = re.compile(r"\s*(day|hour|month|week|minute|second)s?\s+(?:a|an|per|each|every|in\s+a|of\s+the)\s+(\w+)", re.I)


def _cap(text: str, q: Quantity) -> Fraction | None:
    """The most ``q`` may be at a point that is still a question to ask: "5 days a week" stays under 7 days, "8
    hours a day" under 24, "3 PM" under 12 (a model asked about "13 days a week" answers nothing a check can
    read)."""
    if half_of_day(text, q) is not None:  # an hour of one half of the day stays one: "from 3 PM to 7 PM"
        return Fraction(12)
    m = _PER.match(text, q.end)
    if m is None or q.kind not in ("digits", "word"):
        return None
    most = _PERIODS.get((m.group(1).lower(), m.group(2).lower()))
    return Fraction(most) if most is not None else None


def _draw(q: Quantity, rng: Random, attempt: int, cap: Fraction | None = None, *, near: bool = False) -> Fraction:
    """Another value for ``q``: a multiple, a step away, or anywhere from half to twice it, in its grain (``near``:
    always a step away); under ``cap`` when there is one."""
    if cap is not None:
        if near and 3 <= q.value < cap:  # a step away, within the cap ("from 5 PM to 11 PM": 4 PM to 10 PM)
            return Fraction(min(max(int(q.value) + rng.choice((-3, -2, -1, 1, 2, 3)), 3), int(cap) - 1))
        return Fraction(rng.randint(3, max(int(cap) - 1, 3)))
    v = q.value
    if q.kind == "word":  # another count or multiplier from 3 to 12, another fraction under 1
        return rng.choice([f for f in _FRACTIONS if f != v]) if v < 1 else Fraction(rng.randint(3, 12))
    if q.kind == "fraction":  # "1/12": another fraction under 1, or over it in the same parts ("3/2" -> "7/2")
        if v < 1:
            return rng.choice([f for f in _FRACTIONS + (Fraction(1, 6), Fraction(1, 8), Fraction(1, 10)) if f != v])
        return v + Fraction(rng.randint(1, 4), v.denominator)
    grain = _grain(q)
    if q.kind == "percent" and v < 100:  # a share stays a share
        low, high = max(grain, Fraction(5)), Fraction(95)
    else:
        low, high = max(grain, v / 2), max(v * 2, v + 10 * grain)
    way = 1 if near else attempt % 3
    if way == 0:
        new = v * rng.choice((2, 3, 4, 5)) if not (q.kind == "percent" and v < 100) else v + grain * rng.randint(1, 4)
    elif way == 1:
        new = v + grain * rng.choice((-3, -2, -1, 1, 2, 3, 4))
    else:
        lo, hi = int(low / grain), int(high / grain)
        new = grain * rng.randint(max(lo, 1), max(hi, lo + 1))
    if q.kind == "percent" and v < 100 and not low <= new <= high:
        new = grain * rng.randint(max(int(low / grain), 1), int(high / grain))
    return new


def _substituted(text: str, slots: Sequence[Quantity], written: Sequence[str | None]) -> str:
    out, last = [], 0
    for q, w in sorted(zip(slots, written, strict=True), key=lambda p: p[0].start):
        out += [text[last : q.start], w or q.text]
        last = q.end
    return "".join(out) + text[last:]


def _text(steps: Sequence[Step]) -> str:
    return "\n".join(s.text for s in steps)


def _said_of_values(text: str) -> list[str]:
    """The days, months and ordinals in words ``text`` says, in order (casefolded)."""
    return [m.group().casefold() for pattern in (CALENDAR, ORDINAL_WORD) for m in pattern.finditer(text)]


def _words(text: str) -> list[str]:
    """The words of ``text`` in order, without its numbers, signs and layout (which the results compare)."""
    return re.findall(r"[^\W\d_]+", re.sub(r"<<[^<>]*>>", " ", text))


def _stated(text: str) -> list[Fraction]:
    """The numbers ``text`` states, in order, outside its calculator annotations."""
    return [n.value for line in text.splitlines() for n in line_numbers(line)]


def _results(text: str) -> frozenset[Fraction]:
    """What the computations of ``text`` result in."""
    return frozenset(c.result.value for line in text.splitlines() for c in computations(line))


def _amounts_alike(problem: WordProblem, *texts: str) -> bool:
    """Whether an answer among ``texts`` computes a result equal to a quantity of ``problem``, or two computations
    of it result alike where neither takes the other's result (the cook's 4 bags of 5 apples and 2 boxes of 10;
    not "88 - 44 = 44", nor a GSM8K annotation and its own expression): a step handed to another person may take
    the same value there, and two answers agree whoever the step is."""
    values = set(problem.values)
    for text in texts:
        # one computation written twice in a line is one: a GSM8K annotation beside its expression in another order
        # ("2/3*222 = <<222*2/3=148>>148"), or a product written "7(10)=<<7*10=70>>70"
        distinct = {(i, written_as(c)) for i, line in enumerate(text.splitlines()) for c in computations(line)}
        if values & {result for _, (*_, result) in distinct}:
            return True
        for (_, (_, xs, x)), (_, (_, ys, y)) in combinations(distinct, 2):
            if x == y and x not in xs and y not in ys:
                return True
    return False


def _ordered_results(text: str) -> list[Fraction]:
    """What the computations of ``text`` result in, in order."""
    return [c.result.value for line in text.splitlines() for c in computations(line)]


def _parts(q: Quantity) -> int:
    """The parts of one a number is written in: a hundred for "41.72" and for "99.25" alike (cents, though 41.72
    is 1043/25 and 99.25 is 397/4), ten for "2.5", one for "3", the denominator of any other value."""
    places = re.search(r"\.(\d+)", q.text)
    return 10 ** len(places.group(1)) if places else q.value.denominator


# names a relabelling point gives a person: clearly a woman's, clearly a man's (see ``relabels``)
_RELABEL = {"f": ("Maria", "Olivia", "Sofia"), "m": ("James", "David", "Daniel")}
# up to how many people a relabelled point renames into every pattern of genders (past it, one at a time)
_PATTERNED = 4


# a word right before a name that makes it part of a longer one: an article, or a capitalised word inside a
# sentence or a title with its period ("the Smith family", "Sports Arena", "Prof. Rodriguez")
_BEFORE_NAME = re.compile(
    r"(?:\b(?:[Tt]he|an?)|(?<![.!?:;\n]\s)(?<!^)\b[A-Z]\w*|\b(?:Prof|Dr|Mr|Mrs|Ms|Mx|St|Rev|Capt|Gen|Col|Lt|Sgt)\.)\s+$"
)


def _stranger(name: str, text: str, names: Sequence[str]) -> bool:
    """Whether a relabelled point may give a person ``name``: the question holds it nowhere, nor a name that may be
    the same person's ("Daniel" beside "Dan": a reader may take the two for one)."""
    return name not in text and not any(name == n or one_person(name, n) for n in names)


def _in_a_longer_name(text: str, spans: Sequence[tuple[int, int, str]], name: str) -> bool:
    """Whether ``text`` writes ``name`` somewhere after an article or a capitalised word of the same sentence, or
    before another capitalised word, or after a noun that opens the sentence ("Comet Halley"): a family's, a team's,
    a place's or a thing's name more likely than a person's first name, which a relabelled point would make into a
    question no one asks ("The Maria hunt team", "Comet Maria")."""
    for start, end, word in spans:
        if word != name:
            continue
        if _BEFORE_NAME.search(text[max(0, start - 30) : start]) or re.match(r"\s+[A-Z]", text[end : end + 2]):
            return True
        # a noun that opens the sentence and that the text writes with an article elsewhere: "Comet Halley ...
        # saw the comet" (a sentence's first word is left out above: "Yesterday Ann")
        title = re.search(r"\b([A-Z][a-z]+)\s+$", text[max(0, start - 30) : start])
        if title and re.search(rf"\b(?:the|an?|this|that|his|her|their|its)\s+{title[1].lower()}\b", text, re.I):
            return True
    return False


def _renamed(text: str, spans: Sequence[tuple[int, int, str]], renames: Mapping[str, str]) -> str:
    """``text`` with every place where it names a person of ``renames`` (as :func:`names_in` reads them) saying
    their new name."""
    out, last = [], 0
    for start, end, word in spans:
        if word in renames:
            out += [text[last:start], renames[word]]
            last = end
    return "".join(out) + text[last:]
