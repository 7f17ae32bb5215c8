"""What a reused answer to a word problem may still say of the cached question."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from ...values import Step, Verdict
from .adapt import question_map
from .numbers import quantities, to_fraction
from .parse import WordProblem
from .read import computations

__all__ = ["WordCarryover"]


# words that compare values or state a property of one: a claim about the numbers that no computation states
_CLAIM = re.compile(
    r"\b(?:more|less|fewer|greater|smaller|larger|bigger|higher|lower|longer|shorter|older|younger|cheaper|"
    r"dearer|faster|slower|heavier|lighter|than|exceeds?|exceeded|exceeding|most|least|fewest|longest|shortest|"
    r"largest|smallest|biggest|highest|lowest|oldest|youngest|cheapest|fastest|slowest|heaviest|lightest|enough|"
    r"afford|affordable|even|odd|positive|negative|prime|round|rounded|rounds|nearest|integer|divisible|short|surplus|"
    r"deficit|limit|limits|limited|within|reach|reaches|reached|waived|free|minimum|maximum|winner|wins|won|loses|"
    r"lost|instead|otherwise|above|below|beyond|capped|exactly)\b",
    re.IGNORECASE,
)


class WordCarryover:
    """A cached name that the new question does not have, or a number written in words whose value changed
    ("she sold half" when the new question says a third), is stale. So is a whole answer the adapter left as it
    was (it refused) when the question's numbers changed: its old numbers may all be numbers of the new question
    too ("4 + 3 + 4" for 7, 4 and 3 pizzas), and would verify there by coincidence.

    When the numbers changed, a reused line that compares values or states a property of one in words the
    question does not use ("She spent more than she kept", "an even number", "so she can afford it") makes a claim
    no computation checks, and which the new numbers may make false: that line is stale. So does a line that
    states which branch applies ("within the limit", "reaches $20, so shipping is waived", "Ann is the winner",
    "Rounded"). Restating the question's own words ("5 fewer cards than he has") is not: the gate keeps them."""

    def stale(
        self, old: WordProblem, new: WordProblem, cached: Sequence[Step], steps: Sequence[Step], text: str
    ) -> list[Verdict]:
        gone = [n for n in old.names if n not in new.names]
        changed = question_map(old, new)
        found = []
        moved = any(a.value != b.value for a, b in zip(old.quantities, new.quantities, strict=False))
        if moved and computations_of(cached) and [s.text for s in steps] == [s.text for s in cached]:
            found.append(Verdict(False, "the cached answer could not be re-derived for the new numbers", step=None))
        asked = _bigrams(new.prompt)
        fresh = all(s.origin == "generated" for s in steps)  # the model's own whole answer, not a patch beside cached lines
        for step in steps:
            if moved and step.origin in ("cached", "adapted"):
                claim = next((m.group() for m in _CLAIM.finditer(step.text) if _claims(step.text, m, asked, new)), None)
                if claim is not None:
                    found.append(Verdict(False, f"says {claim!r} of the cached numbers, which no check reads", step=step.index))
            for name in gone:
                if re.search(rf"\b{re.escape(name)}\b", step.text):
                    found.append(Verdict(False, f"names {name}, who is not in the new question", step=step.index))
            # a number in words the adapter wrote for the new question ("Two years from now" for "in two years",
            # where the cached line said "Five") is the new value, not a stale one
            before = Counter(_said(cached[step.index].text) if step.index < len(cached) else ())
            for q in quantities(step.text):
                if q.kind != "word" or q.value not in changed or changed.get(q.value) == q.value:
                    continue
                if step.origin == "adapted" and Counter(_said(step.text))[q.text.casefold()] > before[q.text.casefold()]:
                    continue
                if fresh and any(
                    o.kind == "word" and o.value == q.value and o.text.casefold() == q.text.casefold() for o in new.quantities
                ):
                    continue  # the model's own answer repeating the new question's words ("one quarter" of both)
                found.append(Verdict(False, f"says {q.text!r}, which the new question changed", step=step.index))
        return found


def _said(text: str) -> list[str]:
    """The numbers in words of ``text``, casefolded."""
    return [q.text.casefold() for q in quantities(text) if q.kind == "word"]


def _bigrams(text: str) -> set[tuple[str, str]]:
    words = [w.casefold() for w in re.findall(r"[^\W\d_]+|\d+", text)]
    return set(zip(words, words[1:], strict=False))


def _claims(text: str, m: re.Match[str], asked: set[tuple[str, str]], new: WordProblem) -> bool:
    """Whether ``m`` (a :data:`_CLAIM` word) makes a claim of its own: not the question's own words restated (the
    word with a neighbour as the question says them: "fewer cards than he has"; "so Dan has more" is a claim
    though the question says "the one with more stickers"), and not a positive amount's comparative ("24 more
    people", "$5 less", "10 years older", "£9 more than the biscuits": how much, which the adapter keeps positive)."""
    word = m.group().casefold()
    before = re.findall(r"[^\W\d_]+|\d+", text[: m.start()])
    after = re.findall(r"[^\W\d_]+|\d+", text[m.end() :])
    if (before and (before[-1].casefold(), word) in asked) or (after and (word, after[0].casefold()) in asked):
        return False
    if _COMPARATIVE.fullmatch(word):
        return not _amount(text, text[: m.start()], asked, new)
    if word == "than":  # "£9 more than the biscuits", "28 more blue cards than red ones": an amount's comparative
        compared = _COMPARED.search(text[: m.start()])
        return compared is None or not _amount(text, text[: m.start() - len(compared.group())], asked, new)
    if word == "lost" and _LOST_THING.match(text[m.end() :]) and _OWNED.search(text[: m.start()]):
        return False  # "some of his lost marbles", "the total lost revenue": what was lost, not who lost
    if word == "reach" and re.search(r"\bto\s+$", text[: m.start()], re.IGNORECASE):
        # "minutes left to reach the bank": where they go; "reaches $20", "reached her goal", "reaches the finish
        # first" say who or what got there
        return bool(_REACHED.match(text[m.end() :]))
    if word == "enough":  # "enough frosting for 12 * 14 = 168 brownies": what the computation makes, not a claim
        capacity = _CAPACITY.match(text[m.end() :])
        return capacity is None or not any(c.operands[0].start == m.end() + capacity.end() for c in computations(text))
    return True


# "lost" before a noun: a lost thing; before an article, a pronoun, a number or nothing it says who lost
_LOST_THING = re.compile(
    r"\s+(?!(?:the|a|an|to|against|his|her|their|its|my|our|your|by|in|on|at|and|or|but|so|because|all|every|"
    r"each|more|less|no|some|any|out|again|twice)\b)[^\W\d_]{3,}\b",
    re.IGNORECASE,
)
# "his lost", "the total lost": a possessive or an article before "lost" (not a subject: "Bob lost points")
_OWNED = re.compile(r"\b(?:his|her|their|its|my|our|your|the|some|any|all|of|total)\s+$", re.IGNORECASE)
# what "reach" claims to reach: a number, or a mark a number sets ("reached her goal", "reaches the limit")
_REACHED = re.compile(
    r"(?:\W+[^\W\d_]+){0,3}?\W*(?:\d|(?:goal|target|limit|threshold|mark|minimum|maximum|quota|cap|total)s?\b)",
    re.IGNORECASE,
)
# "enough <up to two words> for " right before a computation the line states
_CAPACITY = re.compile(r"(?:\s+[^\W\d_]+){0,2}\s+for\s+[$£€]?", re.IGNORECASE)


_COMPARATIVE = re.compile(
    r"more|less|fewer|greater|smaller|larger|bigger|higher|lower|longer|shorter|older|younger|cheaper|dearer|faster|"
    r"slower|heavier|lighter",
    re.IGNORECASE,
)
# a comparative and up to three plain words before "than" ("more blue cards than"); no verb or conjunction between
_COMPARED = re.compile(
    rf"\b(?:{_COMPARATIVE.pattern})((?:\s+(?!(?:is|are|was|were|be|has|have|had|and|or|but|so|then|which|that)\b)"
    r"[^\W\d_]+){0,3})\s+$",
    re.IGNORECASE,
)
# the number an amount's comparative follows, and its unit between (at most one word: "10 years older", "9 points more")
_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*%?[\s$*}]*((?:[^\W\d_]+\s+)?)$")


def _amount(text: str, before: str, asked: set[tuple[str, str]], new: WordProblem) -> bool:
    """Whether ``before`` (a prefix of the line ``text``) ends with an amount: a positive number that a computation
    of the line results in or that the new question states, and at most one word the question writes right after
    a number ("10 years", "9 points"). The comparative that follows then says how much more ("£21 - £12 = £9 more",
    "10 years older"), which holds while that amount stays positive. A number then a verb ("200 is larger", "40
    pens cost more"), or one the line does not compute ("Ann's 200 is more"), is a comparison: a claim."""
    m = _AMOUNT.search(before)
    if m is None:
        return False
    value = to_fraction(m.group(1).replace(",", ""))
    if value <= 0 or (value not in {c.result.value for c in computations(text)} and value not in new.values):
        return False
    unit = m.group(2).strip().casefold()
    return not unit or bool(_UNIT.fullmatch(unit)) or any(a.isdigit() and b == unit for a, b in asked)


# units an amount is written in whatever the question's own words ("182 dollars more" for "$5 each")
_UNIT = re.compile(
    r"(?:dollars?|euros?|pounds?|cents?|pence|yen|yuan|rupees?|francs?|seconds?|minutes?|hours?|days?|weeks?|"
    r"months?|years?|points?|units?|items?|pieces?|people|persons?|meters?|metres?|kilometers?|kilometres?|miles?|"
    r"feet|foot|inches?|grams?|kilograms?|kg|km|cm|mm|liters?|litres?|ml|gallons?|ounces?|degrees?)"
)


def computations_of(steps: Sequence[Step]) -> bool:
    """Whether any line of ``steps`` states a computation."""
    return any(computations(line) for s in steps for line in s.text.splitlines())
