"""Reading a word problem: its quantities, its names, and its template (the text with those slots abstracted).

Two requests share a solution when their templates are equal: every difference between them is a quantity or a
name. Quantities are compared by where they stand, so the third number of one question maps to the third of the
other; names by which distinct name they are (the first person, the second...), so "Ann gave Bob 3" and "Bob gave
Ann 3" have different templates. An item word (cards, marbles) that changes is a change of the text: no reuse.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import lru_cache

from ...errors import InvalidRequestError
from ...values import Request
from ..template import SLOT_MARK, trim_ends
from .numbers import Quantity, quantities

__all__ = ["WordProblem", "detect", "names_in", "parse_problem", "starts_sentence"]

MAX_CHARS = 4000

# capitalised words that are not names: sentence starts, pronouns, days and months stay words of the text
_NOT_NAMES = frozenset(
    """a an the he she it they we you i his her hers its their our your my me him them us this that these those
    there here then if when while after before during how what which who whom whose why where each every all both
    some any no not none one two three four five six seven eight nine ten half twice in on at of for from to by with
    and or but so as is are was were be been has have had do does did can could will would should may might must
    mr mrs ms dr monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december find calculate compute solve answer question total together
    altogether also however since because everyone everybody someone somebody anyone anybody nobody nothing
    everything something anything only including excluding besides without except yesterday today tomorrow tonight
    now later finally first next last instead add subtract multiply divide double triple halve square mon tue tues wed
    thu thur thurs fri sat sun jan feb mar apr jun jul aug sep sept oct nov dec sekunde sekunden minute minuten stunde
    stunden tag tage tagen woche wochen monat monate monaten jahr jahre jahren montag dienstag mittwoch donnerstag
    freitag samstag sonntag januar februar märz mai juni juli oktober dezember""".split()
) | frozenset(
    # words the name data holds as first names that name a language, a people, a season, a planet or a scale
    # ("Write your answer using German words", "Roman numerals", "in Summer", "5 degrees Kelvin"): a rename between
    # two of them ("German" into "Danish") changes what is asked, not who
    """english french german spanish italian portuguese dutch danish swedish norwegian finnish icelandic polish
    czech slovak hungarian romanian bulgarian greek turkish russian ukrainian serbian croatian slovenian albanian
    latvian lithuanian estonian irish scottish welsh british american canadian mexican brazilian argentinian
    chilean peruvian cuban australian african european asian indian chinese japanese korean thai vietnamese
    indonesian malay filipino arabic persian hebrew hindi urdu bengali swahili latin roman norman celtic nordic
    swiss austrian belgian catalan basque egyptian moroccan nigerian kenyan israeli
    spring summer autumn winter fall mercury venus earth mars jupiter saturn uranus neptune pluto luna sol
    kelvin celsius fahrenheit franc euro yen peso rand""".split()
)
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?:'s)?\b")
# a number right before a capitalised word: what it counts or measures (a currency, a unit, a German noun), never
# someone renamed in turn; changed ("20 Euros" / "20 Dollars"), it changes the question, and the answer's "€"
_COUNTED = re.compile(r"\d(?:[\d.,]*\d)?\s*$")
_BEFORE = re.compile(r"\b([A-Z][a-z]+)[ \t]+$")
# what follows a verb that opens an instruction ("Put your final answer...", "Write the result", "Give each step"),
# and no one's name ("Ann buys"): its object's determiner
_INSTRUCTION = re.compile(r"\s+(?:your|the|a|an|each|every|all|it|them|this|that|these|those|its|their|our|my)\b")
# an article right before a capitalised word: a thing, an event or a family ("the Easter egg hunt", "the Jones
# family", "a Tesla"), not a person renamed in turn: it stays a word of the text (changed, it changes the question)
_ARTICLE = re.compile(r"\b(?:the|a|an)\s+$", re.IGNORECASE)
# and one right after "in" that owns nothing ("croissants in Charlotte", "a hotel in Florence"): a place, whose
# currency, clock or laws the answer may follow, though the name data holds it as a woman's name
_PLACE = re.compile(r"\b(?:in|near)\s+$", re.IGNORECASE)
# (of any language the task reads: "nach Georgia", "vers Florence", "naar Sydney")
_TO_A_PLACE = re.compile(
    r"\b(?:to|from|into|toward|towards|across|around|through|via|at|visit|visits|visited|visiting|nach|aus|vers|"
    r"à|au|naar|uit|desde|hacia|verso)\s+$",
    re.IGNORECASE,
)
_ASKS = re.compile(r"\?|\b(?:how (?:many|much|long|far|old)|what (?:is|was|are|were|will)|find|calculate|compute)\b", re.I)


@dataclass(frozen=True)
class WordProblem:
    """A word problem as the task reads it."""

    prompt: str
    quantities: tuple[Quantity, ...]
    names: tuple[str, ...]
    """Distinct names, in order of first appearance."""
    context: str = ""
    """What the caller sent beside the question (a system prompt): see :attr:`Request.context`."""
    template: str = ""
    """The prompt with each quantity as ``⟨N⟩`` (a percentage as ``⟨N%⟩``) and each name as ``⟨P1⟩``, ``⟨P2⟩``...
    (whitespace inside as written: see :func:`~..template.trim_ends`)."""

    @property
    def values(self) -> tuple[Fraction, ...]:
        return tuple(q.value for q in self.quantities)


def names_in(text: str) -> list[tuple[int, int, str]]:
    """Capitalised words that name someone or something particular, with their spans (a possessive's ``'s`` is
    left out of the span). A word capitalised only where a sentence starts, once, and followed by a comma or a
    name is no name either ("Including Ann, how many...", "Besides, ..."): changed, it changes the question."""
    found = []
    # a word the text also writes in lower case, in some form ("Apples cost $2" beside "4 apples", "Adults" beside
    # "2 adults", "Children" beside "3 child tickets") is a thing the question counts, not someone: renamed, it
    # would take another thing's price
    common = {w for w in re.findall(r"\b[a-zà-ÿ][a-zà-ÿ]+\b", text) if len(w) >= 3}
    things: set[str] = set()
    for m in _CAPITALISED.finditer(text):
        word = m.group(0).removesuffix("'s")
        before = text[max(0, m.start() - 12) : m.start()]
        if word.lower() in _NOT_NAMES or _a_form_of(word.lower(), common) or _ARTICLE.search(before):
            continue
        if _COUNTED.search(before):  # "20 Euros an hour", "12 Dollar", "5 Kilometer": a unit or a thing counted
            things.add(word)  # wherever it stands ("Ein Stift kostet 2 Euro. Wie viele Euro zahlt Lisa?")
            continue
        # and one right after such a thing's word, capitalised ("Comet Halley" beside "the comet", "Lake Tahoe"
        # beside "the lake"): the thing's own name, a word of the text wherever it stands (so is "Uncle Bob"
        # beside "his uncle": a rename there changes the question)
        thing = _BEFORE.search(before)
        if thing and thing.group(1).lower() not in _NOT_NAMES and _a_form_of(thing.group(1).lower(), common):
            things.add(word)
            continue
        if _PLACE.search(before) and not m.group(0).endswith("'s"):
            continue
        found.append((m.start(), m.start() + len(word), word))
    found = [(start, end, word) for start, end, word in found if word not in things]
    # and a word that stands, wherever it stands, where a place goes ("flies to Georgia", "a shop from Charlotte"):
    # a place, though the name data holds it as a woman's name, whose currency or laws the answer may follow. A
    # person is written elsewhere too ("gives 3 to Ann. Ann eats 2"); one given only "to Ann" stays a word
    placed = {word for _, _, word in found} - {
        word
        for start, end, word in found
        if not _TO_A_PLACE.search(text, max(0, start - 14), start) or text.startswith("'s", end)
    }
    found = [(start, end, word) for start, end, word in found if word not in placed]
    said = Counter(word for _, _, word in found)
    lead = {
        word
        for start, end, word in found
        if said[word] == 1
        and starts_sentence(text, start)
        and (re.match(r"\s*(?:,|[A-Z])", text[end:]) or _INSTRUCTION.match(text, end))
    }
    return [(start, end, word) for start, end, word in found if word not in lead]


def _a_form_of(word: str, words: set[str]) -> bool:
    """Whether ``words`` hold ``word`` or its singular or plural ("pear" and "pears", "child" and "children"; not
    "mark" and "market")."""
    stems = _stems(word)
    return any(stems & _stems(w) for w in words if w[:3] == word[:3])


def _stems(word: str) -> set[str]:
    out = {word}
    for ending in ("s", "es", "ren"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            out.add(word[: -len(ending)])
    return out


def starts_sentence(text: str, at: int) -> bool:
    """Whether the word at ``at`` is the first of its sentence (of the text, or after ``.``, ``!``, ``?``, ``:``
    or a line break, quotes and brackets aside)."""
    before = text[:at].rstrip(" \t\"'“‘(*-")
    return not before or before[-1] in ".!?:\n"


def _example(prompt: str, at: int) -> bool:
    """Whether the number at ``at`` stands in an example of the answer's format ("Put the final answer in a box,
    for example: \\boxed{42}", "write it as e.g. #### 7"): text of the instruction, not a quantity of the
    problem. A sentence that gives an example of the problem's own facts ("For instance, delivery costs $7") holds
    quantities like any other."""
    start = max(prompt.rfind(c, 0, at) for c in ".!?\n") + 1
    sentence = prompt[start : at + 12]
    if re.search(r"\\boxed", sentence):
        return True
    return bool(re.search(r"example|e\.g\.|for instance", sentence, re.I)) and bool(_FORMAT.search(prompt[start:at]))


# what an instruction about the answer's format says before its example
_FORMAT = re.compile(
    r"\b(?:answers?|format\w*|final|write|written|respond|response|reply|output|print|box(?:ed)?|end\s+with|"
    r"last\s+line|line)\b|####",
    re.IGNORECASE,
)


@lru_cache(maxsize=1024)
def _read(prompt: str) -> WordProblem:
    qs = [q for q in quantities(prompt) if not _example(prompt, q.start)]
    names: list[str] = []
    # a percentage is a slot of its own kind: "15% more" and "15 more" are other questions
    spans: list[tuple[int, int, str]] = [(q.start, q.end, SLOT_MARK.format("N%" if q.kind == "percent" else "N")) for q in qs]
    for start, end, word in names_in(prompt):
        if any(s < end and start < e for s, e, _ in spans):
            continue
        if word not in names:
            names.append(word)
        spans.append((start, end, SLOT_MARK.format(f"P{names.index(word) + 1}")))
    out, last = [], 0
    for start, end, mark in sorted(spans):
        out.append(prompt[last:start])
        out.append(mark)
        last = end
    out.append(prompt[last:])
    return WordProblem(prompt, tuple(qs), tuple(names), template=trim_ends("".join(out)))


def detect(request: Request) -> bool:
    """A question about quantities in words: no schema, at least two quantities, something asked, not too long.
    (Equations are claimed first by their own task.)"""
    if request.schema is not None or request.required_keys or len(request.prompt) > MAX_CHARS:
        return False
    text = request.embed_text
    if not (_ASKS.search(text) and re.search(r"[A-Za-z]{3,}\s+[A-Za-z]{3,}", text)):
        return False
    # counted as the parser counts them: the "42" of an instruction's "\boxed{42}" is no quantity of the problem, so
    # a question with one quantity the task reads is not claimed only to be refused by its parser
    return sum(1 for q in quantities(text) if not _example(text, q.start)) >= 2


def parse_problem(request: Request) -> WordProblem:
    """The request's problem; :class:`InvalidRequestError` when it holds fewer than two quantities or is too long."""
    text = request.embed_text
    if len(text) > MAX_CHARS:
        raise InvalidRequestError(f"word problem too long ({len(text)} characters, limit {MAX_CHARS})")
    problem = _read(text)
    if len(problem.quantities) < 2:
        raise InvalidRequestError("a word problem needs at least two quantities")
    return replace(problem, context=request.context) if request.context else problem
