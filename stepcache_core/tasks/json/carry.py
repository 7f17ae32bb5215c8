"""What a reused JSON answer carries over from the cached record that the new record does not share."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import combinations
from typing import Any

from ...segment import locate_json_object
from ...values import Step, Verdict
from ..word.gender import given_name
from ..word.numbers import quantities
from .corroborate import kind
from .gate import plain_word
from .parse import JsonProblem, described_texts, source_text
from .text import _NEGATIONS, CORRECTION, _norm, grounded, is_number, name_runs, occurrences, tokens
from .verify import judgement

__all__ = ["JsonCarryover", "ROLE_WORDS", "stale_mention"]

# words that give the value after them its role in a sentence: "from Lyon" is an origin, "to Lyon" a destination,
# "for Bob" the one served, "by Bob" the one serving (English, French, Spanish, German, Italian, Portuguese)
ROLE_WORDS = frozenset(
    """from to for by of at into onto via toward towards between with without against than per under over after
    before de à vers pour par chez desde hasta hacia para por von nach zu für aus bis bei da per verso""".split()
)
_CONNECTIVES = ROLE_WORDS | frozenset(
    "about and or but nor in on at as which who whom whose that while when where because since so then".split()
)
_SKIP = frozenset("the a an his her their its my our your le la les l' el los las der die das den dem il lo".split())


class JsonCarryover:
    """The new record may differ from the cached one only in values, a value the cached answer carries into the new
    one must fill the role it filled in the cached record, be the new record's only candidate of its kind, and the
    text around the object must say nothing of the cached record the new one does not.

    - *Every difference accounted for.* The two records, each without the spans its answer's values fill, must say
      the same words in the same order (see :func:`record_frame`): "Also list his hobbies.", "She is not 34 but
      35", "(approximately)" or any other word the new record adds, drops or changes outside a value is a change
      the task does not adapt, so the model answers. Numbers and names no key extracts may change ("sells for 40
      euros" with no ``price`` key; but 0, 1 and the units 7 to 1000, and any number where the request states a
      number or a condition), and so may the words that state a yes/no field ("in stock" / "out of stock"); a
      label's value ("Status: Shipped") is read as written.
    - *Roles.* The role word a value stands after ("from", "to", "for", "by", "à", a possessive) must be the one
      the cached value stood after, none for none: the cached ``origin`` followed "from"; in "from Porto to Lyon"
      a reused ``Lyon`` follows "to"; in "Daniel Cho interviewed Priya Nair" the cached interviewer's "by" is
      gone. Two values whose order swapped around the same words ("Kovacs beat Moreau" / "Moreau beat Kovacs")
      swapped roles. Where the two records say the same words
      around a cached value, the new value fills exactly that slot (see ``_Alignment``). Checked for patched and
      generated values too: the cached entry is the precedent for what fills each slot.
    - *Candidates.* A record that corrects itself offers two values for one key; a record with more numbers or
      names that no value holds than the cached one had ("calling on behalf of my boss, Mark Ellis") holds a
      candidate the cached answer never placed. Both go to the model.
    - *Copies that may have been computations or choices.* A kept 0 or 1 ("0 miles" for 0 km), a date whose day
      is its month, a value asked on a condition the request states (a number, date, time or amount under "if aged
      65 or above", "only up to $100", "if an adult"), a number on the other side of a number the request states:
      the model answers.
    - *Prose.* A note around the object that states a word or number of the cached record the new one lacks, or
      a number neither the record nor the object states (a total computed from the cached values), is stale; a
      patch rewrites values, not notes, so the reuse is skipped.
    """

    def stale(
        self, old: JsonProblem, new: JsonProblem, cached: Sequence[Step], steps: Sequence[Step], text: str
    ) -> list[Verdict]:
        old_text, new_text = source_text(old), source_text(new)
        same_record = _norm(old_text) == _norm(new_text)  # a renamed or added key still has its precedent's slot
        if CORRECTION.search(new_text) and not CORRECTION.search(old_text):
            return [Verdict(False, "the record corrects itself or offers two candidates for one value")]
        if CORRECTION.search(old_text) and not CORRECTION.search(new_text):
            # the cached values were read past a correction ("lives in Rome. Sorry, I meant Vienna."): where they
            # stood says nothing of a record that states each value once, and the model's answer there contradicts
            # nothing (no verdict names a step: see ``StepAdaptation.contradicts``)
            return [Verdict(False, "the cached record corrects itself, and the new one states each value once")]
        if not same_record and (said := _unheld_sentence(old_text, new_text, cached, steps)) is not None:
            # "Text: Ann Lee lives in Paris. Cities as the locals write them.", "Items over $10 only.": a sentence
            # every record holds as written and no value comes from is the request's, not the record's: an
            # instruction the cached values may have met by copying ("Paris") where the new ones do not ("Roma")
            return [Verdict(False, f"the records share a sentence no value comes from, which may be an instruction ({said!r})")]
        # the model's own answer carries nothing over; an answer still missing a key or holding a value the new
        # record does not state waits for its patch (the words the record adds may be that value's, which the model
        # reads), and is judged again once patched
        carried = any(s.origin != "generated" for s in steps)
        complete = set(new.required) <= {s.key for s in steps} and all(
            grounded(leaf, new_text) for s in steps for leaf in _leaves(s.value)
        )
        numbers = states_numbers(old) or states_numbers(new)
        if (
            carried
            and complete
            and not same_record
            and (change := frame_change(old_text, cached, new_text, steps, numbers=numbers))
        ):
            return [Verdict(False, f"the record {change}, which no value of the answer accounts for")]
        before = {s.key: s.value for s in cached if s.key is not None}
        now_claimed, then_claimed = _claimed(steps), _claimed(cached)
        more_numbers = _unclaimed_numbers(new_text, now_claimed) > _unclaimed_numbers(old_text, then_claimed)
        more_names = _unclaimed_names(new_text, now_claimed) > _unclaimed_names(old_text, then_claimed)
        out: dict[int, Verdict] = {}

        def flag(step: Step, why: str) -> None:
            out.setdefault(step.index, Verdict(False, why, step=step.index, key=step.key))

        # a value picked among others of its kind ("Ann Lee is 70 and Bob Ray is 30": the applicant over 65, the
        # adult, the winner; "$30 and the other costs $50": the dearer plan; "booked on Friday") may be picked by
        # what the record says beside them that no value holds (numbers, in digits or words, weekdays, months):
        # where that changed, which one the request means cannot be told
        held_then = {_norm(_spoken(leaf)) for s in cached for leaf in _leaves(s.value)}
        held_now = {_norm(_spoken(leaf)) for s in steps for leaf in _leaves(s.value)}

        def picked(leaf: Any, *, loose: bool = True) -> str | None:
            """Another value of ``leaf``'s kind in the new record, where what may pick between them changed."""
            if same_record or (other := _other(new_text, leaf, held_now, loose=loose)) is None:
                return None
            shape = kind(_spoken(leaf))
            if _beside(old_text, held_then, shape) != _beside(new_text, held_now, shape):
                return other
            return other if _relabelled(old_text, held_then, new_text, held_now) else None

        thresholds = stated_numbers(new) | stated_numbers(old)
        # a condition ("if an adult", "only up to $100", "placed after 2024-03-01", "if later than 08:30"): a number,
        # a date, a time or an amount carried may meet it where the cached one did not, and the bound may be
        # written in any form ("$1k", "a grand", "spring")
        conditioned = conditional(old) or conditional(new)
        pairs: list[tuple[Step, Any, Any]] = []  # (step, new scalar, the cached scalar in its place)
        renamed = _renamed(cached, steps, old_text)
        aligned = _Alignment(old_text, new_text, [leaf for s in cached for leaf in _leaves(s.value)])
        for step in steps:
            if step.key is None:
                continue
            for leaf, was in _pairs(step.value, before.get(renamed.get(step.key, step.key))):
                if isinstance(leaf, bool) or not isinstance(leaf, (str, int, float)):
                    continue
                if step.origin != "generated":
                    if isinstance(leaf, str) and isinstance(was, str) and _placeholder(leaf) and not _placeholder(was):
                        flag(step, f"{leaf!r} may stand for no value where the cached {step.key!r} held one")
                    if isinstance(leaf, (int, float)) and more_numbers:
                        flag(step, f"the record holds more numbers than the cached one: which is {step.key!r}?")
                    elif _neutral_copy(was, leaf):
                        # "0 miles" for distance_km 0, "list price $0" for the amount due: 0 and 1 read alike in
                        # any unit and after any discount; another number may not
                        flag(step, f"the cached {was!r} reads alike copied or computed: {leaf!r} may be computed")
                    elif conditioned and was != leaf and any(ch.isdigit() for ch in _spoken(leaf)):
                        flag(step, f"{leaf!r} stands where the cached {was!r} did, under a condition the request states")
                    elif (bound := _crossed(was, leaf, thresholds)) is not None:
                        # "refunds only for orders up to $100": $80 called the tool, $400 may not
                        flag(
                            step,
                            f"{leaf!r} is on the other side of {bound:g}, a number the request states, from the cached {was!r}",
                        )
                    elif isinstance(leaf, str) and isinstance(was, str) and _day_month_alike(was) and not _day_month_alike(leaf):
                        # "05/05/2024" copied reads the same month first or day first: whether the model turned
                        # the record's order into another one ("written month/day/year") the cached answer cannot show
                        flag(step, f"the cached {was!r} reads alike day first and month first: in which order is {leaf!r}?")
                    elif not same_record and _chosen(new, step.key, leaf):
                        # "adult" for a 34-year-old, priority 3 for a typo: the model judged the cached record, and
                        # the word may stand in the new one for something else ("works at a child care center",
                        # "signed up for the child swim session", moved by the text diff all the same)
                        flag(step, f"{leaf!r} is a value the request allows for {step.key!r}, chosen for another record")
                    elif (other := picked(leaf)) is not None:
                        flag(
                            step,
                            f"{leaf!r} is one of the record's values of its kind with {other!r}, and what it says beside "
                            f"them changed: which one is {step.key!r}?",
                        )
                    elif isinstance(leaf, str) and more_names and _is_name(leaf, new_text):
                        flag(step, f"the record names more people or things than the cached one: which is {step.key!r}?")
                if isinstance(was, bool) or not isinstance(was, (str, int, float)):
                    continue  # no cached scalar in this place (a new key, another shape): nothing to compare
                if step.origin == "generated" and _chosen(new, step.key, leaf):
                    continue  # the model's judgement of this record: where the cached value stood tells nothing of it
                # a reused value must fill the cached value's slot; a patched or generated one (the model's, for this
                # text) must at least not stand in a slot the cached record gave to something else, unless it is the
                # model's pick among values of its kind where what picks between them changed (its role words are
                # still read below: "the Oslo council" is no place one lives in)
                if step.origin != "generated":
                    fits = aligned.fills(was, leaf)
                else:
                    fits = not aligned.elsewhere(was, leaf) or picked(leaf, loose=False) is not None
                if not fits:
                    flag(step, f"{leaf!r} does not stand where the cached {step.key!r} ({was!r}) stood in the same words")
                if (unit := _unit_moved(old_text, was, new_text, leaf)) is not None:
                    flag(
                        step,
                        f"{leaf!r} counts {unit[1]!r} where the cached {step.key!r} counted {unit[0]!r}, still "
                        "said of another number",
                    )
                then, now = _roles(old_text, was), _roles(new_text, leaf)
                # a reused value must keep its role word exactly, none for none; a patched or generated one (the
                # model's, for this text) must not take a role word the cached record gave to something else
                # (a value the new record says twice, "lives in Oslo ... the Oslo council", has the roles of each
                # mention, of which the model took one: one with the cached value's roles may be it, unless the
                # cached value's own slot holds something else, "lives in Rome ... the Oslo council in Oslo")
                mentions = _mention_roles(new_text, leaf) if step.origin == "generated" else []
                if len(mentions) > 1 and then in mentions:
                    if aligned.holds_other(was, leaf):
                        flag(step, f"{leaf!r} does not stand where the cached {step.key!r} ({was!r}) stood in the same words")
                elif now != then and (step.origin != "generated" or any(_taken(old_text, r, was) for r in now - then)):
                    shown = "/".join(sorted(then)) or "no role word"
                    flag(step, f"{leaf!r} follows {'/'.join(sorted(now))!r} where the cached {step.key!r} followed {shown}")
                pairs.append((step, leaf, was))
        for (sa, na, oa), (sb, nb, ob) in combinations(pairs, 2):
            if _swapped(old_text, oa, ob, new_text, na, nb):
                flag(sa, f"{sa.key!r} and {sb.key!r} swapped places around the same words")
                flag(sb, f"{sa.key!r} and {sb.key!r} swapped places around the same words")
        found = sorted(out.values(), key=lambda v: v.step or 0)
        stale_prose = None if same_record else _stale_prose(_outside_object(text), old_text, new_text, steps)
        if stale_prose is not None:
            found.append(Verdict(False, f"the text around the object says {stale_prose!r}, which the new record does not"))
        return found


# the words that state a yes/no field around its name ("is not in stock", "out of stock", "auto-renewal off")
_STATE_WORDS = _NEGATIONS | frozenset("in out of on off enabled disabled active inactive yes no true false".split())


# words a record may capitalise inside a sentence ("Booking Not Confirmed", "Price In Euros", "Moved From Rome",
# "RSVP Maybe Attending", "In Stock Soon", "Confirmed By Mistake") that no name is: a negation, a state, a
# modality, a relation, a currency or a unit, said as written where "Aa" stands for a name that varies
_NO_NAME = _STATE_WORDS | frozenset(
    """not no never none null maybe perhaps possibly probably likely unlikely soon later pending tentative expected
    planned cancelled canceled confirmed unconfirmed booked mistake error wrong correct corrected moved moving from
    to by at for with without until since before after former formerly previously currently now only also still
    attending available unavailable sold refunded approved rejected declined paid unpaid due overdue late early
    euros euro dollars dollar pounds pound yen francs franc pesos peso rupees rupee yuan cents cent inches inch cm
    centimeters centimetres mm millimeters millimetres meters metres m km kilometers kilometres miles mile feet foot
    celsius fahrenheit kelvin seconds second minutes minute hours hour days day weeks week months month years year
    kg kilograms kilogram kilos lbs lb grams gram ounces ounce oz liters litres liter litre gallons gallon ml""".split()
)
# a conjunction that joins clauses moves when a clause is added ("45, lives in Lyon and works as a pilot"): like a
# comma, it says nothing of the values
_JOINERS = frozenset({"and", "&"})


_CODE = re.compile(r"[A-Z][A-Z'\u2019]*[A-Z]")


def record_frame(text: str, steps: Sequence[Step], *, numbers: bool = False) -> tuple[str, ...]:
    """``text``'s words besides what ``steps`` fill: each value's span (every occurrence), the words that state a
    yes/no field next to the field's name (in its clause), numbers (``#``; as written where the answer holds a yes/no,
    which may follow from one, where ``numbers`` says the request states a number of its own, "aged 65 or above",
    "only for orders up to $100", and for 0 and 1, beside which a computed value equals a stated one: "qty 1,
    total $30") and words in capitals (a code or a verdict such as "EUR" or "FALSE", as written) that no value
    holds, and capitalised words inside a sentence (``Aa``) that no value holds but one right after a number (a
    unit, "degrees Fahrenheit", as written) and a label's one-word value ("Status: Shipped", "Employer: None", as
    written); punctuation other than ``?`` and symbols is dropped, and so is "and"; words are case-folded and
    numbers compared by value."""
    return tuple(w for w, _ in _frame(text, steps, numbers=numbers))


def _frame(
    text: str, steps: Sequence[Step], new_keys: frozenset[str] = frozenset(), *, numbers: bool = False
) -> list[tuple[str, bool]]:
    """:func:`record_frame`'s words, each with whether the model read it for this text: its clause holds a value
    the model wrote (a patched key's) and no value reused from the cached answer, or it leads up to the value of a
    key the cached answer did not have (``new_keys``: "and works as a" before the new ``job``'s "pilot")."""
    every = tokens(text)
    words = [w for w in every if any(ch.isalnum() for ch in w)]
    folded = [_word(w) for w in words]
    # a value is found in a word that holds it with a possessive ("Kim Lee's account" holds "Kim Lee")
    bare = [re.sub(r"['\u2019]s?$", "", f) for f in folded]
    # each word's clause, as commas and stops end one (``part_of``) and as any mark ends one (``clause_of``)
    part_of: list[int] = []
    clause_of: list[int] = []
    part = clause = 0
    for w in every:
        if any(ch.isalnum() for ch in w):
            part_of.append(part)
            clause_of.append(clause)
        else:
            clause += 1
            part += w in (",", ";", ".", "!", "?", "(", ")")
    marked = [False] * len(words)
    fresh = [False] * len(words)  # a generated value's words
    kept = [False] * len(words)  # a reused value's words
    novel = [False] * len(words)  # a new key's value's words
    for s in steps:
        if s.key is None:
            continue
        for leaf in _leaves(s.value):
            want = [_word(w) for w in tokens(_spoken(leaf)) if any(ch.isalnum() for ch in w)]
            for i in range(len(folded) - len(want) + 1):
                if want and (folded[i : i + len(want)] == want or bare[i : i + len(want)] == want):
                    marked[i : i + len(want)] = [True] * len(want)
                    if s.origin == "generated":
                        fresh[i : i + len(want)] = [True] * len(want)
                        if s.key in new_keys:
                            novel[i : i + len(want)] = [True] * len(want)
                    else:
                        kept[i : i + len(want)] = [True] * len(want)
        for key in _flag_keys(s.key, s.value):  # the field's main word ("stock" of in_stock) and the state words by it
            parts = [w for w in re.split(r"[_\-\s]+|(?<=[a-z])(?=[A-Z])", key) if w]
            while len(parts) > 1 and parts[0].casefold() in ("is", "has", "was", "are", "can"):
                parts = parts[1:]
            main = max(parts, key=len).casefold() if parts else ""
            for i, w in enumerate(folded):
                if len(main) >= 3 and main in w:
                    for j in range(max(0, i - 3), min(len(folded), i + 4)):
                        # in the field's own clause: "is vegan, not allergic to nuts" says "not" of another field;
                        # a negation after the field's word is the next word's ("vegan and not allergic", "in stock
                        # not from Acme"), but a "no" right after it ("Vegan: no")
                        after = j > i and folded[j] in _NEGATIONS and not (j == i + 1 and folded[j] == "no")
                        if (folded[j] in _STATE_WORDS or main in folded[j]) and part_of[j] == part_of[i] and not after:
                            marked[j] = True
    # a clause the model read for a patched key, unless it also holds a reused value: "Bruno no longer works at
    # Initech" patched for the name still says the reused employer no longer holds
    fresh_clauses = {clause_of[i] for i, f in enumerate(fresh) if f} - {clause_of[i] for i, k in enumerate(kept) if k}
    # the words right before a new key's value, back to the previous value or the clause's start
    leading = [False] * len(words)
    for i in range(len(words)):
        if novel[i] and (i == 0 or not novel[i - 1]):
            j = i - 1
            while j >= 0 and not marked[j] and clause_of[j] == clause_of[i]:
                leading[j] = True
                j -= 1
    # a yes/no value may follow from a number no key takes ("has 2 pets" / "has 0 pets" for has_pets): where the
    # answer has one, such numbers are compared as written
    judged = any(_judges(s.value) for s in steps if s.key is not None)
    label_values = _label_values(every)
    out: list[tuple[str, bool]] = []
    start, k = True, 0  # a sentence's first word is capitalised whatever it is
    for at, w in enumerate(every):
        if not any(ch.isalnum() for ch in w):
            if w == "?" or _symbol(w):  # a question, a currency, a percent or a comparison is said, not punctuation
                out.append((w, False))
            start = start or w in ".!?"
            continue
        if not marked[k] and folded[k] not in _JOINERS:
            if is_number(w):
                shown = folded[k] if judged or numbers or _word(w) in _NEUTRAL else "#"
            elif at in label_values:
                # the one word a label states ("Status: Shipped", "Subscription: Cancelled", "Employer: None",
                # "unit: Miles"): a state or a kind, which a value may follow from, never a name that varies
                shown = folded[k]
            elif _CODE.fullmatch(w):
                # a word in capitals no value holds is a code or a verdict ("50 EUR" / "50 USD", "CONFIRMED" /
                # "FALSE", "14:00 UTC"), said as written, never a name that varies with the record
                shown = w
            elif _measures(words, k):
                # a capitalised word right after a number is what it counts or measures ("20 Euros", "68 degrees
                # Fahrenheit" where "20 degrees Celsius" stood), never a name that varies with the record
                shown = folded[k]
            else:
                shown = "Aa" if w[:1].isupper() and not start and folded[k] not in _NO_NAME else folded[k]
            out.append((shown, clause_of[k] in fresh_clauses or leading[k]))
        k += 1
        start = False
    return out


# numbers beside which a value computed from others equals one the record states ("qty 1, total $30": the unit
# price 30; "discount 0%"; "45 out of 100" for a percent score; "80 km in 60 minutes" for km per hour, and the
# other units of time and of a thousand): where they change, the cached answer's copy may have been a computation
_NEUTRAL = frozenset(f"{float(n)!r}" for n in (0, 1, 7, 10, 12, 24, 60, 100, 1000))  # as _word folds them


def _numbers(*values: Any) -> bool:
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)


def _neutral_copy(was: Any, now: Any) -> bool:
    """Whether ``was`` (0 or 1, or a text whose one number is: "$0") and ``now`` (another) stand where a copy and a
    computation (a unit's factor, a share) may agree at ``was`` alone."""
    if isinstance(was, str) and isinstance(now, str):
        then, later = _NUMBER.findall(was), _NUMBER.findall(now)
        return len(then) == 1 and float(then[0]) in (0, 1) and then != later
    return _numbers(was, now) and was in (0, 1) and now != was


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _crossed(was: Any, now: Any, bounds: set[float]) -> float | None:
    """A number of ``bounds`` that the numbers ``was`` and ``now`` stand on other sides of (or one of them at it)."""
    if not _numbers(was, now):
        return None
    return next((b for b in sorted(bounds) if (was > b) - (was < b) != (now > b) - (now < b)), None)


_DATE = re.compile(r"(?:(\d{1,2})([/.\-])(\d{1,2})\2\d{2,4}|\d{4}([/.\-])(\d{1,2})\4(\d{1,2}))(?:[T ]\S*)?")


def _day_month_alike(value: str) -> bool:
    """Whether ``value`` is a date whose day and month are the same number ("05/05/2024", "2024-03-03")."""
    m = _DATE.fullmatch(value.strip())
    if m is None:
        return False
    a, b = (m.group(1), m.group(3)) if m.group(1) else (m.group(5), m.group(6))
    return int(a) == int(b) and 1 <= int(a) <= 12


# what stands between a label and its value ("Status: Shipped", "Status - Shipped", "Status=Shipped", "Status
# (Shipped)", "Status | Shipped", a full-width colon), and the quotes a value may stand in
_LABEL_MARKS = frozenset(":-\u2013\u2014=|(\uff1a")
_QUOTES = frozenset("\"'\u201c\u201d\u2018\u2019\u00ab\u00bb`")


def _label_values(every: Sequence[str]) -> set[int]:
    """The indices in ``every`` (a record's tokens) of the capitalised words a label states as its value, unless they
    name a person (a given name among them: "Customer: Bob Ray"): a state or a kind ("Status: Shipped",
    "Membership: Former Member", "Approved - No", "Employer (None)", "unit: Miles"), which a value may follow
    from, never a name that varies with the record."""
    out: set[int] = set()
    for i, mark in enumerate(every):
        if mark not in _LABEL_MARKS or i == 0 or not any(ch.isalnum() for ch in every[i - 1]):
            continue
        j = i + 1
        while j < len(every) and every[j] in _QUOTES:
            j += 1
        run = []
        while j < len(every) and every[j][:1].isupper() and any(ch.isalnum() for ch in every[j]):
            run.append(j)
            j += 1
        if run and not any(every[k][1:].islower() and given_name(every[k]) for k in run):  # (not a code: "BA 287")
            out.update(run)
    return out


@lru_cache(maxsize=1024)
def _request_facts(said: tuple[str, ...]) -> tuple[bool, bool, frozenset[float]]:
    """(a condition, a number, the numbers) said in ``said`` (see :func:`_outside_record`), read once per request
    text: every lookup that meets an entry reads both requests."""
    condition = any(_CONDITION.search(_PRESENCE.sub(" ", t)) is not None for t in said)
    number = any(re.search(r"\d", t) is not None or any(q.kind == "word" for q in quantities(t)) for t in said)
    bounds: set[float] = set()
    for t in said:
        bounds.update(float(n.replace(",", "")) for n in re.findall(r"\d+(?:,\d{3})*(?:\.\d+)?", t))
        bounds.update(float(q.value) for q in quantities(t) if q.kind == "word")
    return condition, number, frozenset(bounds)


def states_numbers(problem: JsonProblem) -> bool:
    """Whether the request says a number of its own outside the record, in digits or words, or a condition (see
    :func:`conditional`): in its instructions, the context sent beside it, or its schema's descriptions and titles
    (a tool's description): "the applicant if aged 65 or above", "invoices over 30 days past due", "refunds only
    for orders up to $100", "if an adult". A value may follow from how the record's numbers compare with it, so
    they are compared as written."""
    condition, number, _ = _request_facts(_outside_record(problem))
    return condition or number


# a value the request asks for on a condition ("the applicant's name if aged 65 or above, else null", "only for
# orders up to $100", "if an adult", "eligible for the senior fare"): what the record's values must meet, which
# another record's may not; a value's mere presence ("null if not mentioned") is no such condition
_CONDITION = re.compile(
    r"\b(?:if|unless|only|eligible|qualif\w*|provided that|as long as|over|above|under|below|at least|at most|"
    r"up to|exceed\w*|or more|or less|or older|or younger|beyond|si|sólo|solo|seulement|nur|wenn|falls|sofern|"
    r"(?:else|otherwise)\s+(?:null|none|empty|false|0))\b",
    re.IGNORECASE,
)
_PRESENCE = re.compile(
    r"\b(?:(?:only\s+)?if|when|unless|only)\s+(?:(?:it|they|one|this|that|you|the\s+\w+)\s+(?:is|are|was|were|"
    r"can(?:not|'t)?|do(?:es)?(?:n't| not)?)\s+)?(?:not\s+|never\s+)?(?:explicitly\s+|clearly\s+|directly\s+)?"
    r"(?:mentioned|given|stated|present|known|unknown|missing|absent|available|unavailable|provided|specified|found|"
    r"applicable|none|any|there|listed|included|shown|written)\b(?:\s*,?\s*(?:or|else|otherwise)\s+null\b)?|"
    r"\b(?:if|where)\s+(?:any|none|applicable|possible|needed)\b(?:\s*,?\s*(?:or|else|otherwise)\s+null\b)?",
    re.IGNORECASE,
)


def conditional(problem: JsonProblem) -> bool:
    """Whether the request, besides its record, asks for a value on a condition the record's values must meet (see
    ``_CONDITION``): a number of the record, kept or carried, may meet it where another does not."""
    return _request_facts(_outside_record(problem))[0]


def stated_numbers(problem: JsonProblem) -> set[float]:
    """The numbers the request says outside the record (see :func:`states_numbers`), in digits or words."""
    return set(_request_facts(_outside_record(problem))[2])


def _outside_record(problem: JsonProblem) -> tuple[str, ...]:
    """What the request says of its values besides the record: its schema's titles and descriptions (a tool's) and
    the context sent beside it. (Its instructions say only which keys to extract, or the gate refuses a reuse:
    ``gate.transforms``.)"""
    return tuple(t for t in (problem.context, *described_texts(problem.schema)) if t)


def _measures(words: Sequence[str], k: int) -> bool:
    """Whether ``words[k]`` follows a number as its unit: right after it, or after "degrees" ("68 degrees
    Fahrenheit"), "in" or "unit" ("distance 10 (in Miles)", "10 (unit - Kilometres)")."""
    if k >= 1 and is_number(words[k - 1]):
        return True
    return k >= 2 and is_number(words[k - 2]) and words[k - 1].casefold() in ("degrees", "degree", "deg", "in", "unit", "units")


def frame_change(
    old_text: str, cached: Sequence[Step], new_text: str, steps: Sequence[Step], *, numbers: bool = False
) -> str | None:
    """What the new record says besides its values that the cached record did not (or no longer says), as a phrase
    for a verdict; ``None`` when the two records differ only in what their answers' values fill. Words the new
    record adds inside a clause that holds a value the model wrote for it (a patched key's "a chef") are that
    value's, read by the model."""
    before = record_frame(old_text, cached, numbers=numbers)
    new_keys = frozenset(s.key for s in steps if s.key is not None) - {s.key for s in cached}
    now = _frame(new_text, steps, new_keys, numbers=numbers)
    words = tuple(w for w, _ in now)
    if before == words:
        return None
    matcher = difflib.SequenceMatcher(a=before, b=words, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" or (op == "insert" and all(read for _, read in now[j1:j2])):
            continue
        added, dropped = " ".join(words[j1:j2]), " ".join(before[i1:i2])
        if added and dropped:
            return f"says {added!r} where the cached one said {dropped!r}"
        return f"adds {added!r}" if added else f"no longer says {dropped!r}"
    return None


def _symbol(token: str) -> bool:
    """A currency sign, a math or other symbol ("$", "€", "%", "°", "<", "≥", "~"): it says something of a value."""
    return any(unicodedata.category(ch) in ("Sc", "Sm", "So") or ch in "%~" for ch in token)


def _word(w: str) -> str:
    if is_number(w):
        try:
            return repr(float(w.replace(",", "")))
        except ValueError:
            return w.casefold()
    return w.casefold()


def _flag_keys(key: str, value: Any) -> list[str]:
    """The names of the yes/no fields in ``value`` (itself, or inside nested objects and lists)."""
    if isinstance(value, bool):
        return [key]
    if isinstance(value, dict):
        return [f for k, v in value.items() for f in _flag_keys(str(k), v)]
    if isinstance(value, list):
        return [f for v in value for f in _flag_keys(key, v)]
    return []


def stale_mention(prose: str, before: Any, after: Any) -> str | None:
    """A value of the cached answer ``before`` (a tool call's arguments) that the served answer ``after`` no longer
    holds and that ``prose`` (the text the model wrote beside the call: "Recording Maria Lopez, 34, of Madrid.")
    states; ``None`` when the prose states none. A reuse serving that prose next to the new arguments would say
    the cached values: it is not served."""
    if not prose.strip():
        return None
    now = dict(_paths(after))
    for path, value in _paths(before):
        if now.get(path) == value:
            continue
        kept = set(_norm(_spoken(now[path])).split()) if path in now else set()
        # the whole value, or one of its names or numbers the new value does not have ("Recording Maria, 34.")
        parts = [value] + [w for w in tokens(_spoken(value)) if (w[:1].isupper() and len(w) > 2) or is_number(w)]
        for part in parts:
            if _norm(_spoken(part)) not in kept and _find(prose, part):
                return _spoken(value)
    return None


def _paths(value: Any, path: str = "") -> list[tuple[str, Any]]:
    """The scalar values inside ``value`` with their paths ("name", "lines.0.item")."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _paths(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _paths(v, f"{path}.{i}")]
    return [] if value is None or isinstance(value, bool) else [(path, value)]


def _renamed(cached: Sequence[Step], steps: Sequence[Step], old_text: str) -> dict[str, str]:
    """A key of the new answer that the cached one lacks -> the cached key at its place that the new one lacks
    (``team`` <- ``department``): its precedent, unless the cached record holds a rival of the cached value (see
    :func:`rival`: ``buyer`` at the place of ``seller`` is another person of the record, whose slot is not the
    seller's)."""
    old_keys = [s.key for s in cached if s.key is not None]
    new_keys = [s.key for s in steps if s.key is not None]
    values = {s.key: s.value for s in cached if s.key is not None}
    out: dict[str, str] = {}
    for i, key in enumerate(new_keys):
        if key not in old_keys and i < len(old_keys) and old_keys[i] not in new_keys:
            if not rivalled(old_text, values.get(old_keys[i]), values.values()):
                out[key] = old_keys[i]
    return out


def rivalled(text: str, value: Any, answer: Iterable[Any]) -> bool:
    """Whether a scalar inside ``value`` has a :func:`rival` in the record ``text`` that no value of the ``answer``
    (the values of its keys) holds."""
    held = {_norm(_spoken(leaf)) for v in answer for leaf in _leaves(v)}
    return any(rival(text, leaf, held) is not None for leaf in _leaves(value))


def rival(text: str, value: Any, held: set[str]) -> str | None:
    """Another value of ``value``'s kind in the record ``text`` that no value of the answer holds (``held``, folded
    as :func:`_norm` folds them), or ``None``: a name, a date, a number, a code, a time of the same shape anywhere
    in the record (a sentence's opening word too, unless it is a word of the prose: "The"), or any run of words
    with the same word beside it. A key
    renamed into another (``seller`` into ``buyer``, ``start_date`` into ``end_date``, ``width`` into ``height``)
    may name that other value: names that embed alike may be opposites, and only the model can tell."""
    if (other := _other(text, value, held, loose=False)) is not None:
        return other
    said = _spoken(value)
    shape = kind(said)
    if not any(c in shape for c in "9AC"):
        return None  # a word in lower case: a rival only beside the same word (above)
    words = tokens(text)
    n = len(tokens(said))
    covered = _held_at(words, held)
    glue = " " if " " in said else ""  # "09:30" is three tokens written as one word
    for j in range(len(words) - n + 1):
        run = glue.join(words[j : j + n])
        # a sentence's opening word is a rival unless it is a word of the prose ("The", "In"): "Bob bought a bike
        # from Ann" names the buyer first
        opens = "9" not in shape and (j == 0 or words[j - 1] in (".", "!", "?", ":", ";")) and _norm(words[j]) in _STOP
        if covered.isdisjoint(range(j, j + n)) and not opens and kind(run) == shape and _norm(run) != _norm(said):
            return run
    return None


class _Alignment:
    """The cached record's words aligned with the new record's: where both say the same words around a value's
    slot, the new value must fill that slot exactly. "Nala is a dog aged 7 that belongs to Dana Levi." aligned with
    "Belonging to Hana Sato, Pepper is a turtle aged 1.": the cached ``name`` ended before "is", so the new
    ``name`` is "Pepper", never "Hana Sato"; the cached ``department`` was "logistics" before "department", so the
    new one is not "logistics department" nor the city after it."""

    def __init__(self, old_text: str, new_text: str, old_values: Sequence[Any] = ()) -> None:
        self.old = [w.casefold() for w in tokens(old_text)]
        self.new = [w.casefold() for w in tokens(new_text)]
        matcher = difflib.SequenceMatcher(a=self.old, b=self.new, autojunk=False)
        blocks = matcher.get_matching_blocks()
        self.to_new = {a + k: b + k for a, b, n in blocks for k in range(n)}
        # the words of the cached values are slots, not the words around them ("Ravi Menon" is the owner)
        valued = {i for v in old_values if (span := self._span(self.old, v)) is not None for i in range(*span)}
        # anchors for the model's own values: shared runs of two or more words outside any cached value (a lone
        # shared "in" may be any "in")
        self.solid = {a + k for a, b, n in blocks if n >= 2 for k in range(n)} - valued

    def _span(self, words: list[str], value: Any) -> tuple[int, int] | None:
        want = [w.casefold() for w in tokens(_spoken(value))]
        found = [i for i in range(len(words) - len(want) + 1) if want and words[i : i + len(want)] == want]
        return (found[0], found[0] + len(want)) if len(found) == 1 else None

    def _anchor(self, i: int) -> int | None:
        """Where the cached record's word ``i`` stands in the new one, when it is a word both share."""
        if 0 <= i < len(self.old) and i in self.to_new and any(ch.isalnum() for ch in self.old[i]):
            return self.to_new[i]
        return None

    def fills(self, was: Any, now: Any) -> bool:
        then, new = self._span(self.old, was), self._span(self.new, now)
        if then is None or new is None:
            return True  # a value said twice, or not at all: the other checks judge it
        kept = [self.to_new.get(i) for i in range(*then)]
        first = kept[0]
        if first is not None and kept == list(range(first, first + len(kept))):
            return new == (first, first + len(kept))  # the cached value's words are still there: that is the value
        # the value changed: it must still sit against one of the words the cached value sat against
        right, left = self._anchor(then[1]), self._anchor(then[0] - 1)
        if right is not None and self.old[then[1]] in _CONNECTIVES:
            right = None  # "from Lyon to Porto": "to" opens the next slot, it does not close this one
        checks = ([new[1] == right] if right is not None else []) + ([new[0] == left + 1] if left is not None else [])
        return not checks or any(checks)

    def elsewhere(self, was: Any, now: Any) -> bool:
        """Whether ``now`` stands after a word of a run both records share whose slot the cached record gave to
        something other than ``was``, or swallows a word of such a run that the cached value stopped at. Only runs
        of two or more shared words outside the cached values count: a lone shared "in" may be any "in"."""
        then, new = self._span(self.old, was), self._span(self.new, now)
        if then is None or new is None:
            return False
        for i in (then[1], then[0] - 1):
            edge = self._anchor(i) if i in self.solid else None
            if edge is not None and new[0] <= edge < new[1]:
                return True  # it swallows a word the cached value stopped at ("logistics department")
        before = next((a for a, b in self.to_new.items() if b == new[0] - 1 and a in self.solid), None)
        # a word whose slot held something else: "works in the logistics department in Krakow", team "Krakow"
        # (and "lives in downtown Oslo" cached: its "in" led to "downtown", and a model that writes "central Madrid"
        # of "lives in central Madrid" is told apart from "Rome" of "lives in Rome" by no word)
        return before is not None and any(ch.isalnum() for ch in self.old[before]) and before + 1 != then[0]

    def holds_other(self, was: Any, now: Any) -> bool:
        """Whether the cached value's slot, the words both records share on either side of it, holds words other
        than ``now`` in the new record ("lives in ___." holds "Rome" where the model took "Oslo" of "the Oslo
        council in Oslo")."""
        then = self._span(self.old, was)
        if then is None:
            return False
        # (the right side may be the sentence's end: "lives in ___.")
        left, right = self._anchor(then[0] - 1), self.to_new.get(then[1])
        if left is None or right is None or right <= left + 1:
            return False
        return self.new[left + 1 : right] != [w.casefold() for w in tokens(_spoken(now))]


def _pairs(new: Any, old: Any) -> list[tuple[Any, Any]]:
    """Scalars of ``new`` with the scalar at the same place in ``old`` (``None`` where the shapes differ)."""
    if isinstance(new, dict):
        fields: dict[Any, Any] = old if isinstance(old, dict) else {}
        return [p for k, v in new.items() for p in _pairs(v, fields.get(k))]
    if isinstance(new, list):
        items: list[Any] = old if isinstance(old, list) and len(old) == len(new) else [None] * len(new)
        return [p for v, w in zip(new, items) for p in _pairs(v, w)]
    return [(new, old)]


def _spoken(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _find(text: str, value: Any) -> list[re.Match[str]]:
    return list(re.finditer(rf"(?<![\w]){re.escape(_spoken(value))}(?![\w])", text, re.IGNORECASE))


def _roles(text: str, value: Any) -> frozenset[str]:
    """The role words in front of the occurrences of ``value`` in ``text`` (articles and possessive pronouns
    skipped), and ``'s`` for a possessive after it."""
    return frozenset().union(*_mention_roles(text, value))


def _mention_roles(text: str, value: Any) -> list[frozenset[str]]:
    """The role words of each occurrence of ``value`` in ``text`` (see :func:`_roles`), in order."""
    out = []
    for m in _find(text, value):
        found: set[str] = set()
        before = [w.casefold() for w in re.findall(r"[\w']+", text[max(0, m.start() - 60) : m.start()])]
        while before and before[-1] in _SKIP:
            before.pop()
        if before and before[-1] in ROLE_WORDS:
            found.add(before[-1])
        if re.match(r"['\u2019]s?\b", text[m.end() :]):
            found.add("'s")
        out.append(frozenset(found))
    return out


def _unit_after(text: str, value: Any) -> str | None:
    """The word right after the one occurrence of the number ``value`` in ``text`` ("2703 visitors": visitors),
    folded to its singular; ``None`` when the number is said more or less than once or no word follows."""
    found = _find(text, value)
    if len(found) != 1:
        return None
    m = re.match(r"\s+([^\W\d_]{2,})", text[found[0].end() :])
    return m.group(1).casefold().removesuffix("s") if m else None


def _unit_moved(old_text: str, was: Any, new_text: str, now: Any) -> tuple[str, str] | None:
    """(the cached unit, the new one) when the number ``now`` counts another thing than ``was`` did and the new
    record still says the cached thing after another number ("5 days" for ``attendees`` where the cached
    ``attendees`` was "2703 visitors" and the new record says "2703 visitors" too)."""
    if isinstance(was, bool) or isinstance(now, bool) or not isinstance(was, (int, float)) or not isinstance(now, (int, float)):
        return None
    then, unit = _unit_after(old_text, was), _unit_after(new_text, now)
    if then is None or unit is None or then == unit:
        return None
    other = re.search(rf"\d[\d,.]*\s+{re.escape(then)}s?\b", new_text, re.IGNORECASE)
    return (then, unit) if other is not None else None


def _taken(text: str, role: str, value: Any) -> bool:
    """Whether ``role`` introduces something other than ``value`` in ``text`` ("belongs to Dana Levi": "to" is not
    the pet's ``name``'s role word)."""
    spoken = _spoken(value).casefold()
    for m in re.finditer(rf"(?<![\w']){re.escape(role)}(?![\w'])", text, re.IGNORECASE):
        after = re.findall(r"[\w'\-]+", text[m.end() : m.end() + 80])
        while after and after[0].casefold() in _SKIP:
            after.pop(0)
        if after and not " ".join(after).casefold().startswith(spoken):
            return True
    return False


def _swapped(old_text: str, oa: Any, ob: Any, new_text: str, na: Any, nb: Any) -> bool:
    """Whether two values stand in the new record in the other order, with the same words between them."""
    a_then, b_then, a_now, b_now = _find(old_text, oa), _find(old_text, ob), _find(new_text, na), _find(new_text, nb)
    if len(a_then) != 1 or len(b_then) != 1 or len(a_now) != 1 or len(b_now) != 1:
        return False
    (x,), (y,), (u,), (v,) = a_then, b_then, a_now, b_now
    if (x.start() < y.start()) == (u.start() < v.start()):
        return False
    between_then = _norm(old_text[min(x.end(), y.end()) : max(x.start(), y.start())])
    between_now = _norm(new_text[min(u.end(), v.end()) : max(u.start(), v.start())])
    return bool(between_then) and between_then == between_now  # the same words (not just a ";") between them


def _is_name(value: str, text: str) -> bool:
    words = tokens(text)
    want = [w.casefold() for w in tokens(value)]
    return any([w.casefold() for w in words[a:b]] == want for a, b, _ in name_runs(words))


def _claimed(steps: Sequence[Step]) -> frozenset[str]:
    return frozenset(_norm(_spoken(leaf)) for s in steps for leaf in _leaves(s.value))


@lru_cache(maxsize=4096)  # the cached side repeats on every lookup that meets its entry
def _unclaimed_numbers(text: str, claimed: frozenset[str]) -> int:
    """Numbers of the record that no value of the answer holds."""
    return sum(1 for t in tokens(text) if is_number(t) and _norm(t) not in claimed)


def _chosen(problem: JsonProblem, key: str, value: Any) -> bool:
    """Whether ``value`` is one the request lists for ``key`` (its instructions, its schema's ``enum``s): a choice
    the model makes for a record, not a copy of its words."""
    return (isinstance(value, str) and value in problem.allowed.get(key, ())) or judgement(value, problem.judged.get(key, ()))


def _held_at(words: Sequence[str], held: set[str]) -> set[int]:
    """The indices of ``words`` inside a value the answer holds."""
    at: set[int] = set()
    for value in held:
        n = len(tokens(value))
        for i in occurrences(words, value):
            at.update(range(i, i + n))
    return at


def _other(text: str, value: Any, held: set[str], *, loose: bool = True) -> str | None:
    """Another candidate for ``value`` in the record ``text`` that no value of the answer holds: for a name, another
    capitalised name of up to four words wherever it stands ("Ann Lee, aged 70, and Bob (30)"; a sentence's opening
    word alone only beside the same word: "Ticket 88 is open" names no person); a value of the same shape beside the
    same word ("at 09:30"); or any run of words (a name in lower case, a number, a code) with the same word beside
    it, commas and stops aside ("jsmith, age 70; mlee, age 30", "$30 and the other costs $50"). ``None`` for a word
    of the record's own prose. ``loose=False`` leaves the last out: the evidence that lets the model's own pick
    stand where the cached value stood elsewhere ("the research department" beside "works in" is none)."""
    said = _spoken(value)
    shape = kind(said)
    n = len(tokens(said))
    words = tokens(text)
    if not n or not occurrences(words, said):
        return None
    covered = _held_at(words, held)
    beside = {(_word_before(words, i), _word_after(words, i + n)) for i in occurrences(words, said)}
    before_said = {b for b, _ in beside if b is not None and b not in _STOP}
    after_said = {a for _, a in beside if a is not None}
    glue = " " if " " in said else ""  # "09:30" is three tokens written as one word
    for j in range(len(words) - n + 1):  # as many words of the same shape beside the same word ("at 09:30")
        run = words[j : j + n]
        if covered.isdisjoint(range(j, j + n)) and kind(glue.join(run)) == shape and glue.join(run) != said:
            if (_word_before(words, j), _word_after(words, j + n)) in beside or any(
                _word_before(words, j) == b or _word_after(words, j + n) == a for b, a in beside
            ):
                return glue.join(run)
    for j in range(len(words)):
        for m in range(1, 5):
            run = words[j : j + m]
            if len(run) < m or any(w in _MARKS or not covered.isdisjoint({j + k}) for k, w in enumerate(run)):
                break
            joined = " ".join(run)
            if _norm(joined) in _STOP or not any(c.isalnum() for c in joined):
                continue
            name = "9" not in shape and any(c in shape for c in "AC") and all(k[:1] in "AC" for k in kind(joined).split())
            opens = m == 1 and (j == 0 or words[j - 1] in (".", "!", "?", ":", ";"))  # "Ticket 88 is open"
            alike = _word_before(words, j) in before_said or _word_after(words, j + m) in after_said
            if name and (alike or not opens):
                return joined
            if loose and alike:
                return joined
    return None


def _word_before(words: Sequence[str], i: int) -> str | None:
    """The word right before ``words[i]``, commas and stops aside."""
    while i > 0 and words[i - 1] in _MARKS:
        i -= 1
    return words[i - 1].casefold() if i > 0 else None


def _word_after(words: Sequence[str], i: int) -> str | None:
    """The word at ``words[i]`` or the first after it, commas and stops aside."""
    while i < len(words) and words[i] in _MARKS:
        i += 1
    return words[i].casefold() if i < len(words) else None


_MARKS = frozenset([",", ".", ";", ":", "!", "?", "(", ")", "[", "]"])


def _labels(text: str, held: set[str]) -> list[str]:
    """The capitalised words of the record that no value of the answer holds, in order ("Basic", "Pro")."""
    words = tokens(text)
    covered = _held_at(words, held)
    return [_norm(w) for i, w in enumerate(words) if i not in covered and w[:1].isupper() and _norm(w) not in _STOP]


def _relabelled(old_text: str, old_held: set[str], new_text: str, new_held: set[str]) -> bool:
    """Whether the labels both records hold stand in another order ("The Pro plan costs $30 and the Basic plan
    costs $50" after "The Basic plan ... the Pro plan"): a number picked by its label moved to another slot."""
    then, now = _labels(old_text, old_held), _labels(new_text, new_held)
    both = set(then) & set(now)
    return [w for w in then if w in both] != [w for w in now if w in both]


def _beside(text: str, held: set[str], shape: str) -> tuple[str, ...]:
    """What the record says that no value of the answer holds and that may pick between values of the kind
    ``shape``: its numbers (in digits or in words: "seventy", "a dozen") and, for a name, its capitalised words
    outside the names of that kind ("Friday", "May"), in order."""
    words = tokens(text)
    covered = _held_at(words, held)
    n = len(shape.split())
    for j in range(len(words) - n + 1):  # the names themselves ("Bob Ray" beside "Ann Lee"); numbers pick by value
        if "9" not in shape and kind(" ".join(words[j : j + n])) == shape:
            covered.update(range(j, j + n))
    out = []
    for i, w in enumerate(words):
        if i in covered or _norm(w) in _STOP:
            continue
        if is_number(w) or quantities(w) or (w[:1].isupper() and "9" not in shape):
            out.append(_norm(w))
    return tuple(out)


@lru_cache(maxsize=4096)
def _unclaimed_names(text: str, claimed: frozenset[str]) -> int:
    """Names (capitalised runs) of the record that no value of the answer holds or is part of."""
    words = tokens(text)
    runs = [_norm(" ".join(words[a:b])) for a, b, _ in name_runs(words)]
    return sum(1 for r in runs if not any(r == c or r in c or c in r for c in claimed if c))


_STOP = frozenset(
    """a an the and or of to in on at for by with from is are was were be it its this that these those as not no
    yes so than then there here i you he she we they my your his her our their me him us them""".split()
)


def _stale_prose(prose: str, old_text: str, new_text: str, steps: Sequence[Step]) -> str | None:
    """A word of the cached record the new one lacks, a number neither the new record nor the object states, or a
    word of a sentence besides a model's lead-in and close (``_NARRATION``: "Here is the JSON:", "Let me know if
    you need anything else.") and, in a sentence that restates a value, its copula and unit (``_RESTATING``), in
    the prose around the object: "This is a high-value order; a manager should approve it." judges the cached
    record."""
    if not prose.strip():
        return None
    said = {w for w in _norm(prose).split()}
    now = set(_norm(new_text).split()) | {t for s in steps for leaf in _leaves(s.value) for t in _norm(_spoken(leaf)).split()}
    gone = set(_norm(old_text).split()) - now - _STOP
    hit = sorted(said & gone)
    if hit:
        return hit[0]
    numbers = [w for w in said if is_number(w) and w not in now]
    if numbers:
        return numbers[0]
    held = [_norm(_spoken(leaf)) for s in steps for leaf in _leaves(s.value)]
    for sentence in _SENTENCE_END.split(prose):
        said_here = " " + _norm(_CONTRACTION.sub("", _POSSESSIVE.sub("", sentence))) + " "
        # a sentence that restates a value may say what the value is ("Maria Lopez is 35 years old."); one that
        # holds none only leads in or closes ("Here is the JSON:"): "Note: the customer is not of age." judges
        restates = [h for h in held if h and f" {h} " in said_here]
        rest = said_here
        for h in restates:
            rest = rest.replace(f" {h} ", " ")
        for word in re.findall(r"[^\W\d_]+", rest):
            if word in _NARRATION or (restates and word in _RESTATING):
                continue
            return word
    return None


# what a model says around the object that claims nothing of the record: a lead-in ("Sure! Here is the extracted
# data in JSON format:"), a close ("Let me know if you need anything else.", "Hope this helps!"). Closed: any other
# word may judge the record ("high-value", "a guardian must sign", "inside the EU"), which a patch never rewrites
_NARRATION = frozenset(
    """sure certainly okay ok of course here below above following requested extracted information details data
    json object output result results structured format formatted based on text provided given input have has been
    had let me know need anything else help helps helpful hope happy glad assist questions
    question feel free ask answer response fields field values keys schema valid parsed done please thanks thank
    great requested per match matches matching if i we you it this that these is are was were be the a an in
    from for to with and or all any can could would will what your my me found identified listed shown returned
    looking look wanted want record""".split()
)
# what a sentence restating a value may say of it besides its narration ("Maria Lopez is 35 years old.", "Here is
# Ana Ruiz's record:"): the copula and a unit; never a key's word ("is of age") or another of the record's
_RESTATING = frozenset(
    "is are was has have had of and years old dollars euros pounds percent km miles kg hours minutes days".split()
)


def _unheld_sentence(old_text: str, new_text: str, cached: Sequence[Step], steps: Sequence[Step]) -> str | None:
    """A clause both records hold as written (a sentence, or a part of one between commas, semicolons, brackets
    or dashes) from which no value of either answer comes and that says more than a plain request
    (:func:`~.gate.plain_word`, the keys' words; any number is more): read as an instruction ("Ann Lee lives in
    Paris; write cities as the locals do.", "Receipt (items over $10 only): ..."). A field's label and its value
    in capitals or a key's word ("Status: Refunded", "shipping: express") is the record's (read as written by the
    frame check); "Titles: none." is not."""
    if (manner := _MANNER.search(old_text)) is not None and _MANNER.search(new_text) is not None:
        return manner.group()  # "... lives in Rome and wants cities spelled as the locals do."
    shared = set(_parts(old_text)) & set(_parts(new_text))
    held = [_norm(_spoken(leaf)) for s in (*cached, *steps) for leaf in _leaves(s.value)]
    keys = _key_words((*cached, *steps))
    for clause in sorted(c.strip() for c in shared):
        said = f" {_norm(clause)} "
        if not said.strip() or any(h and (f" {h} " in said or said in f" {h} ") for h in held):
            continue  # (a clause that holds a value, or is a part of one: "2024" of "March 14, 2024")
        if (field := _FIELD.fullmatch(clause)) is not None and _a_field(field.group(1), field.group(2), keys):
            continue
        if re.search(r"\d", clause):
            return clause
        for word in re.findall(r"[^\W\d_]+", _POSSESSIVE.sub("", clause.casefold())):
            if (word in _DOING and not _ASKS_JSON.search(clause)) or (
                word not in keys and not (word.endswith("s") and word[:-1] in keys) and not plain_word(word)
            ):
                return clause
    return None


def _key_words(steps: Sequence[Step]) -> set[str]:
    """The words of the steps' keys, case-folded ("refund_amount", "inStock": refund, amount, in, stock)."""
    return {w.casefold() for s in steps if s.key for w in re.findall(r"[^\W\d_]+", re.sub(r"(?<=[a-z])(?=[A-Z])", " ", s.key))}


_POSSESSIVE = re.compile(r"['\u2019]s\b")
_CONTRACTION = re.compile(r"['\u2019](?:ve|m|re|ll|d|t)\b")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_CLAUSES = re.compile(r"[.!?;,()\[\]\n]+(?=\s|$)|[;()\[\]\n|]|\s[-\u2013\u2014/]+\s")


def _parts(text: str) -> list[str]:
    """``text``'s clauses (``_CLAUSES``), each field ("Status: Shipped") whole, any other clause apart at its colons
    too ("Cities in local spelling: Cal Ito lives in Rome")."""
    return [p for c in _CLAUSES.split(text) for p in ([c] if _FIELD.fullmatch(c.strip()) else c.split(":"))]


def _a_field(label: str, value: str, keys: set[str]) -> bool:
    """Whether ``label: value`` is a field of the record: a label of ``_LABELS`` or a key's, not a key's plural (a
    rule for every value: "Cities: Local Spelling"), and a value in capitals or a key's word ("Status: Refund
    Issued", "shipping: express"), no placeholder ("Titles: None") and no number in words ("Ten Dollars")."""
    names = [w.casefold() for w in re.findall(r"[^\W\d_]+", label)]
    said = re.findall(r"[^\W\d_]+", value)
    return (
        bool(names)
        and all(n in _LABELS or n in keys for n in names)
        and all(w[:1].isupper() or w.casefold() in keys for w in said)
        and not any(_placeholder(w) or w.casefold() in _NUMBER_WORDS for w in said)
    )


# words of a plain request that, in a clause the records share, may ask how a value is written ("City names as
# the country writes them.")
_DOING = frozenset(
    """write writes wrote written convert converts converted turn turns make makes format formats formatted use uses
    used call calls called give gives say says spell spells spelled spelt""".split()
)
# a clause that asks for the JSON itself ("Convert the following into JSON with name, age and city"): its verb is
# the request's, not a manner of writing a value
_ASKS_JSON = re.compile(r"\b(?:json|object|record|fields?|keys?)\b", re.IGNORECASE)
# the labels a record's fields go by (closed: a label outside it may name a rule, "Spelling: Local")
_LABELS = frozenset(
    """status state type kind category priority plan tier level grade method payment shipping delivery mode channel
    source department team stage phase result outcome decision verdict membership subscription account order
    booking ticket size color colour brand model condition availability stock""".split()
)
_NUMBER_WORDS = frozenset(
    """zero one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred thousand
    million dozen""".split()
)
# words that ask how a value is written, in a clause the records share with their values ("... wants cities spelled
# as the locals do", "... paid; no honorifics")
_MANNER = re.compile(
    r"\b(?:spell\w*|spelt|locals|native|vernacular|honorifics?|omit\w*|transliterat\w*|abbreviat\w*|language)\b",
    re.IGNORECASE,
)
# a field of the record: its label and a short value ("Status: Refunded", "shipping: express"), not a note; the
# value read as the record's where it is capitalised or a key's word (a yes/no field's)
_FIELD = re.compile(r"(?!(?:note|nb|n\.b|ps|p\.s)\b)([^\W\d_][\w ]{0,30}?)\s*[:=\-]\s*([^\W\d_]+(?:\s+[^\W\d_]+){0,2})")


# a word that holds a value's place without being one ("phone: unknown", "Manager: Vacant Position", "City: TBD"):
# the model may answer null, or the word; the cached value was a value, so its slot says nothing of which
_PLACEHOLDERS = frozenset(
    """unknown unknowable none null nil n/a na tbd tba tbc pending withheld missing unavailable vacant redacted
    confidential unspecified undisclosed undecided unassigned undetermined private hidden anonymous various
    unbekannt keine keiner offen inconnu inconnue aucun aucune desconocido desconocida ninguno ninguna pendiente
    sconosciuto sconosciuta nessuno desconhecido desconhecida nenhum onbekend geen""".split()
)


def _placeholder(value: str) -> bool:
    """Whether ``value`` holds a word that stands for no value (``_PLACEHOLDERS``)."""
    return any(w.casefold() in _PLACEHOLDERS for w in re.findall(r"[^\W\d_]+(?:/[^\W\d_]+)?", value))


def _judges(value: Any) -> bool:
    """Whether ``value`` holds a yes/no at any depth."""
    if isinstance(value, dict):
        return any(_judges(v) for v in value.values())
    if isinstance(value, list):
        return any(_judges(v) for v in value)
    return isinstance(value, bool)


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [] if value is None or isinstance(value, bool) else [value]


def _outside_object(text: str) -> str:
    found = locate_json_object(text)
    if found is None:
        return ""
    start, end, _ = found
    return text[:start] + "\n" + text[end:]
