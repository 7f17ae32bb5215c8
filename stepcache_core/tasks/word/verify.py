"""Verifying an answer to a word problem, line by line.

Every stated computation must be exactly true; every number it uses must come from the question, from an earlier
computation, or from a constant the step or the question names (12 for a dozen, 60 for minutes in an hour, 100
for a percentage); every other number in the answer must be one of those too. The final answer must be stated and
be the last computed result. A line the verifier cannot place (a number from nowhere, no final answer) is
*unreadable*: such an answer is kept for identical requests only, never adapted.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container, Sequence
from fractions import Fraction
from functools import lru_cache

from ...values import Step, Verdict
from .numbers import Quantity, cardinal, group, quantities, restates, to_fraction
from .parse import WordProblem, names_in
from .read import Computation, Num, comparisons, computations, evaluate, final_answer, unmarked

__all__ = [
    "WordVerifier",
    "grounds",
    "in_cents",
    "line_numbers",
    "named_constants",
    "named_counts",
    "overlaps",
    "people_counted",
]

# the units of time, the dozen and the hundred in the other languages the task reads (German, French, Spanish,
# Italian, Portuguese, Dutch): a step's "* 60" beside "Stunden" names the constant as "* 60" beside "hours" does (a
# question's own 60 minutes is then no longer the only 60 the step may take). Not the words English writes for
# something else ("mil", "an", "tag"; "ore" only beside a word for days), nor an ordinal ("secondo")
_HOURS = r"stunden?|heures?|horas?|uur|uren"
_DAY_HOURS = r"ore|ora"  # (Italian hours, only beside a word for days: English writes "ore" too)
_DAYS = r"tage|tagen|jours?|journées?|d[ií]as?|jornadas?|giorn[oi]|giornat[ae]|dagen|dag"
_WEEKS = r"wochen?|semaines?|semanas?|settiman[ae]|weken"
_MONTHS = r"monat|monate|monaten|mois|m[eê]s|meses|mese|mesi|maand|maanden"
_YEARS = r"jahr|jahre|jahren|ans|ann[ée]es?|años?|anos?|ann[oi]|jaar|jaren"

# a constant a step may use when it or the question names what it counts
_CONSTANTS: dict[Fraction | int, str | tuple[str, ...]] = {
    1: r"",
    Fraction(1, 2): r"half|halves",
    Fraction(1, 3): r"thirds?",
    Fraction(1, 4): r"quarters?|fourths?",
    2: r"half|halves|twice|double|doubled|doubles|pairs?|both|twins|perimeter",
    3: r"thirds?|triple|tripled|thrice|triplets|trios?|yards?",
    4: rf"quarters?|fourths?|months?|{_MONTHS}",
    7: rf"weeks?|{_WEEKS}",
    10: r"tenths?|decades?|dimes?",
    12: rf"dozens?|months|inch|inches|foot|feet|dutzend|douzaines?|docenas?|dozzin[ae]|d[uú]zias?|dozijn(?:en)?|{_MONTHS}",
    14: r"fortnights?",
    24: (rf"hours?|{_HOURS}|{_DAY_HOURS}", rf"days?|{_DAYS}"),
    30: rf"months?|{_MONTHS}",
    52: (rf"weeks?|{_WEEKS}", rf"years?|{_YEARS}"),
    60: rf"minutes?|hours?|seconds?|minuten|minutos?|minut[oi]|sekunden?|secondes?|segundos?|secondi|seconden|{_HOURS}",
    100: r"percent|percentage|cents?|century|centuries|hundred|prozent|pourcent|ciento|cento|procent|hundert|cien|honderd",
    365: (rf"days?|{_DAYS}", rf"years?|{_YEARS}"),
    1000: r"thousand|kilo\w*|milli\w*|kg|km|tausend|mille|duizend",
}


@lru_cache(maxsize=8192)
def named_constants(*texts: str) -> frozenset[Fraction]:
    """The constants the texts name (see the table above; a tuple names its constant when each of its words is
    there: 24 takes hours and days, not days alone)."""
    said = frozenset().union(*(_said(text) for text in texts))
    named = {c for c, needs in _NEEDS if needs <= said}
    if any("%" in text for text in texts):
        named.add(Fraction(100))
    if Fraction(100) in named:
        named.add(Fraction(1, 100))  # a percent as a factor: "12 * 150 * .01", "0.01 * 40"
    return frozenset(named)


def _as_tuple(words: str | tuple[str, ...]) -> tuple[str, ...]:
    return (words,) if isinstance(words, str) else words


# a count said by naming items in order before the rest ("the first cod ..., the second cod ..., each remaining
# cod": 2 of them), which a step may only take away from a total ("7 - 2 = 5"): "the first day ..., the second day
# ..., and so on" names a period, by which a count is divided, and whose parity the answer turns on
_COUNTED: tuple[tuple[int, tuple[str, ...]], ...] = ((2, (r"second", r"remaining")),)

# every word pattern of the tables, and the empty one, which any text says (the constant 1)
_PATTERNS = {w: re.compile(w) for words in [*_CONSTANTS.values(), *(w for _, w in _COUNTED)] for w in _as_tuple(words) if w}
# each constant with the patterns it needs said
_NEEDS = tuple((Fraction(c), frozenset(_as_tuple(words))) for c, words in _CONSTANTS.items())
_COUNTS = tuple((Fraction(c), frozenset(words)) for c, words in _COUNTED)


def named_counts(*texts: str) -> frozenset[Fraction]:
    """The counts the texts name by their items in order (see ``_COUNTED``)."""
    said = frozenset().union(*(_said(text) for text in texts))
    return frozenset(c for c, needs in _COUNTS if needs <= said)


@lru_cache(maxsize=4096)
def _said(text: str) -> frozenset[str]:
    """The table's word patterns ``text`` says, each as a whole word. Read once per text: the verifier and the
    adapter ask for every line of an answer, with the question beside it."""
    return frozenset({""}).union(*(_matched(word) for word in set(_TOKEN.findall(text.lower()))))


_TOKEN = re.compile(r"\w+")


@lru_cache(maxsize=8192)
def _matched(word: str) -> frozenset[str]:
    return frozenset(w for w, pattern in _PATTERNS.items() if pattern.fullmatch(word))


@lru_cache(maxsize=1024)
def _people_named(prompt: str, starts: tuple[int, ...]) -> frozenset[str]:
    """The names of the paragraphs of ``prompt`` that hold the quantities (at ``starts``): an instruction around
    the question ("Put your final answer in ...") names no one. Read once per question: the verifier asks for
    every number of every step."""
    begins = [0] + [m.end() for m in re.finditer(r"\n\s*\n", prompt)]
    ends = begins[1:] + [len(prompt)]
    return frozenset(
        word
        for begin, end in zip(begins, ends, strict=True)
        if any(begin <= start < end for start in starts)
        for _, _, word in names_in(prompt[begin:end])
    )


def people_counted(text: str, problem: WordProblem) -> frozenset[Fraction]:
    """How many people the question names, when ``text`` says that count in words ("the average age of the two",
    "all three of them"): a count the question fixes by its names (the same in every question its gate lets
    through), which a step may divide by."""
    return _counted(text, problem.prompt, tuple(q.start for q in problem.quantities))


@lru_cache(maxsize=8192)
def _counted(text: str, prompt: str, starts: tuple[int, ...]) -> frozenset[Fraction]:
    count = Fraction(len(_people_named(prompt, starts)))
    said = any(q.kind == "word" and q.value == count for q in quantities(text))
    return frozenset({count}) if count >= 2 and said else frozenset()


def grounds(problem: WordProblem) -> set[Fraction]:
    """What the question itself provides: each quantity, a percentage's share, a fraction's two parts."""
    out: set[Fraction] = set()
    for q in problem.quantities:
        out.add(q.value)
        if q.kind == "percent":  # the share, and what is left or reached after it (35% off: 0.65 of the price)
            out.update({q.value / 100, 1 - q.value / 100, 1 + q.value / 100, 100 - q.value, 100 + q.value})
        if q.value.denominator != 1:  # a fraction's parts, and what is left of it (3/5 leaves 2/5)
            out.update({Fraction(q.value.numerator), Fraction(q.value.denominator)})
            if 0 < q.value < 1:
                out.update({1 - q.value, Fraction((1 - q.value).numerator)})
        if in_cents(problem.prompt, q.end):
            out.add(q.value / 100)
    return out


def in_cents(prompt: str, end: int) -> bool:
    """The quantity ending at ``end`` counts cents (a step may use it in dollars)."""
    return bool(re.match(r"\s*(?:cents?|¢)\b", prompt[end : end + 8]))


@lru_cache(maxsize=4096)
def line_numbers(line: str) -> tuple[Num, ...]:
    """The numbers of a line outside its computing annotations, its list marker ("1.", "Step 2:") left out."""
    from .read import _tokens  # the tokenizer computations use, so spans agree

    blanked = unmarked(line)
    # a GSM8K annotation that computes is read by :func:`computations`; one that does not ("<<10=10>>") is text
    computing = re.compile(r"<<[^<>]*[-+*/][^<>]*>>")
    nums = [t for t in _tokens(computing.sub(lambda m: " " * len(m.group(0)), blanked)) if isinstance(t, Num)]
    out: list[Num] = []
    for num in nums:  # "1/2 of their day": one number
        before = out[-1] if out else None
        if before is not None and num.start == before.end + 1 and line[before.end] == "/" and num.value and not before.percent:
            out[-1] = Num(before.value / num.value, before.start, num.end)
        else:
            out.append(num)
    return tuple(out)


def overlaps(num: Num, spans: set[tuple[int, int]]) -> bool:
    """Whether ``num`` shares characters with one of ``spans``."""
    return any(start < num.end and num.start < end for start, end in spans)


class WordVerifier:
    """Checks each line's computations, where their numbers come from, and the final answer."""

    name = "word_problem"

    def verify_steps(self, problem: WordProblem, steps: Sequence[Step]) -> list[Verdict]:
        known = grounds(problem)
        factors = _factors_only(problem)
        results: list[Fraction] = []
        verdicts: list[Verdict] = []
        text = "".join(s.text for s in steps)
        final = final_answer(text)
        counts = named_counts(problem.prompt)
        for step in steps:
            constants = named_constants(step.text, problem.prompt) | people_counted(step.text, problem)
            verdicts.append(self._step(step, known, results, constants, final, factors, counts))
        unused = self._unused(problem, text)
        dropped = _dropped(steps, final)
        if dropped is not None and all(v.ok for v in verdicts):
            # a result no later step uses: a step between was skipped ("400 + 100 = 500", then "7700 / 400")
            verdicts[dropped[1]] = Verdict(False, f"the answer computes {dropped[0]} and never uses it", step=dropped[1])
        elif unused is not None and all(v.ok for v in verdicts):
            # an answer that never uses a quantity of the question skipped a step, or cannot follow that quantity
            # when it changes: not served as verified, and not kept even for an identical request
            verdicts[-1] = Verdict(False, f"the answer never uses {unused} from the question", step=steps[-1].index)
        if final is None:
            last = steps[-1].index if steps else 0
            verdicts[-1:] = [Verdict(False, "no final answer stated", step=last, unreadable=True)]
        elif not results:
            verdicts[-1:] = [Verdict(False, "no computation stated", step=steps[-1].index, unreadable=True)]
        elif final[0] != results[-1]:
            at = next(s.index for s in steps if final[1] < sum(len(x.text) for x in steps[: s.index + 1]))
            verdicts[at] = Verdict(False, f"final answer {final[0]} is not the last result {results[-1]}", step=at)
        return verdicts

    @staticmethod
    def _unused(problem: WordProblem, text: str) -> str | None:
        """A quantity of the question (in digits or words) that the answer never states, if any."""
        return unused_quantity(problem, text)

    def _step(
        self,
        step: Step,
        known: set[Fraction],
        results: list[Fraction],
        constants: frozenset[Fraction],
        final: tuple[Fraction, int, int] | None,
        factors: frozenset[Fraction] = frozenset(),
        counts: frozenset[Fraction] = frozenset(),
    ) -> Verdict:
        placed: set[tuple[int, int]] = set()
        for comp in computations(step.text):
            value = evaluate(comp.tokens)
            if value is None:
                return Verdict(False, "a computation it cannot read", step=step.index, unreadable=True)
            if value != comp.result.operand:
                return Verdict(False, f"{_show(comp.tokens)} is {value}, not {comp.result.operand}", step=step.index)
            toks = ("",) + comp.tokens + ("",)
            for i, tok in enumerate(comp.tokens, start=1):
                if not isinstance(tok, Num) or not {toks[i - 1], toks[i + 1]} & {"+", "-"}:
                    continue
                added = not {toks[i - 1], toks[i + 1]} & {"*", "/"}
                if added and tok.value in factors and tok.value not in results and tok.value not in constants:
                    # "two times the number" added as if it were two kiwis: a step skipped or misread
                    return Verdict(False, f"{tok.value} is a multiplier of the question, added as an amount", step=step.index)
            # "3 × 1/4" after "14/56 = 1/4": an earlier result written as its two parts
            parted = {
                id(n)
                for a, b in fraction_parts(comp)
                if a.value / b.value in results and a.value / b.value != comp.result.operand
                for n in (a, b)
            }
            taken = {id(t) for i, t in enumerate(comp.tokens, start=1) if isinstance(t, Num) and toks[i - 1] == "-"}
            for num in comp.operands:
                if id(num) in parted:
                    placed.add((num.start, num.end))
                    continue
                if num.value not in known and num.operand not in known and num.value not in results:
                    if num.value not in constants and not (num.value in counts and id(num) in taken):
                        return Verdict(False, f"{num.value} comes from neither the question nor an earlier step", step=step.index)
                placed.add((num.start, num.end))
            results.append(comp.written(value))
            placed.add((comp.result.start, comp.result.end))
        for q in quantities(step.text):  # "so seven cards": a number in words is placed like one in digits
            if q.kind != "word" or q.value in known or q.value in results or q.value in constants:
                continue
            if q.value.denominator != 1 and Fraction(q.value.denominator) in known | set(results) | constants:
                continue
            return Verdict(
                False, f"{q.text!r} in the answer comes from nowhere the verifier can see", step=step.index, unreadable=True
            )
        for c in comparisons(step.text):
            if not c.holds():
                return Verdict(False, f"{c.left.value} {c.op} {c.right.value} does not hold", step=step.index)
        for num in line_numbers(step.text):
            if overlaps(num, placed):
                continue
            if num.value in known or num.value in results or num.value in constants or num.operand in known:
                continue
            if final is not None and num.value == final[0]:
                continue
            parts = _parts(step.text[num.start : num.end])
            if parts and parts <= known | set(results) | constants:  # "82/110", both known
                continue
            return Verdict(
                False, f"{num.value} in the answer comes from nowhere the verifier can see", step=step.index, unreadable=True
            )
        return Verdict.passed()

    def check(self, problem: WordProblem, text: str) -> Verdict:
        """The whole answer: every computation true, and a final answer that is the last result."""
        final = final_answer(text)
        results = []
        for line in text.splitlines():
            for comp in computations(line):
                value = evaluate(comp.tokens)
                if value is None or value != comp.result.operand:
                    return Verdict(False, f"{_show(comp.tokens)} is not {comp.result.value}")
                results.append(comp.written(value))
        if final is None or not results:
            return Verdict(False, "no final answer or no computation", unreadable=True)
        if final[0] != results[-1]:
            return Verdict(False, f"final answer {final[0]} is not the last result {results[-1]}")
        return Verdict.passed()


_MULTIPLIERS = re.compile(r"(?:twice|double|doubled|triple|tripled|thrice|quadruple|.*\btimes)$", re.I)


def _factors_only(problem: WordProblem) -> frozenset[Fraction]:
    """Values the question gives only as multipliers ("two times", "twice"), never as an amount of something."""
    factors = {q.value for q in problem.quantities if _MULTIPLIERS.match(q.text)}
    amounts = {q.value for q in problem.quantities if not _MULTIPLIERS.match(q.text)}
    return frozenset(factors - amounts)


def fraction_parts(comp: Computation) -> list[tuple[Num, Num]]:
    """The ``a / b`` pairs of a computation's tokens (a fraction written as its two parts: "3 × 1/4")."""
    toks = comp.tokens
    out = []
    for k in range(len(toks) - 2):
        a, op, b = toks[k], toks[k + 1], toks[k + 2]
        if isinstance(a, Num) and op == "/" and isinstance(b, Num) and b.value != 0:
            out.append((a, b))
    return out


def _dropped(steps: Sequence[Step], final: tuple[Fraction, int, int] | None) -> tuple[Fraction, int] | None:
    """A computed result that no later computation or comparison uses and that is not the final answer, with its
    step's index. A computation restated beside itself (a GSM8K annotation and its visible expression) is one."""
    results: list[tuple[int, Fraction, int]] = []  # position, result, step index
    uses: list[tuple[int, set[Fraction]]] = []  # position, values used there
    last_key: tuple[tuple[Fraction, ...], Fraction] | None = None
    for step in steps:
        for line in step.text.splitlines():
            for comp in computations(line):
                key = (tuple(n.value for n in comp.operands), comp.result.value)
                if key == last_key:
                    continue
                last_key = key
                uses.append((len(uses), set(key[0]) | {a.value / b.value for a, b in fraction_parts(comp)}))
                results.append((len(uses) - 1, key[1], step.index))
            for c in comparisons(line):
                uses.append((len(uses), {c.left.value, c.right.value}))
    for at, result, index in results[:-1]:
        if final is not None and result == final[0]:
            continue
        if not any(result in values for pos, values in uses if pos > at):
            return result, index
    return None


def _parts(written: str) -> set[Fraction]:
    """The two numbers of a fraction written ``a/b``; none for anything else."""
    return {to_fraction(p) for p in written.split("/")} if "/" in written else set()


def _shares(percent: Fraction) -> set[Fraction]:
    """How an answer may state a percentage p: p/100, 1 ± p/100, 100 ± p."""
    p = percent / 100
    return {p, 1 - p, 1 + p, percent + 100, 100 - percent}


def _show(tokens: Sequence[Num | str]) -> str:
    return " ".join(str(t.value) + ("%" if t.percent else "") if isinstance(t, Num) else t for t in tokens)


def _taken(text: str) -> Counter[Fraction]:
    """How often the computations of ``text`` take each value as an operand (a GSM8K annotation beside its own
    expression, or a line restated by the next, counted once)."""
    taken: Counter[Fraction] = Counter()
    last: set[tuple[object, ...]] = set()
    for line in text.splitlines():
        here: set[tuple[object, ...]] = set()
        for comp in computations(line):
            key = (*(t if isinstance(t, str) else t.operand for t in comp.tokens), comp.result.value)
            if key not in here and key not in last:
                taken.update(n.operand for n in comp.operands)
            here.add(key)
        last = here or last
    return taken


def shared_untaken(problem: WordProblem, text: str, moved: Container[int]) -> str | None:
    """A quantity in ``moved`` whose value the question's quantities share more often than the computations of the
    answer ``text`` take it ("wants 8 tickets at $8 each, but only 3 are left": 3 * 8 takes one 8, and which one
    cannot be told), if any; a count restated by children of one birth ("5 ... quintuplets") is one quantity."""
    taken = _taken(text)
    operand = [q.value / 100 if q.kind == "percent" else q.value for q in problem.quantities]  # 4% is 0.04
    shared = Counter(operand)
    for i, q in enumerate(problem.quantities):
        if i in moved and 0 < taken[operand[i]] < shared[operand[i]]:
            if not any(restates(o) for o, v in zip(problem.quantities, operand, strict=True) if v == operand[i]):
                return q.text
    return None


def idle_counts(problem: WordProblem, text: str, moved: Container[int]) -> list[Quantity]:
    """The counts of the question (see :func:`~.numbers.cardinal`, and groups: "a score of books") that stay (not in
    ``moved``), that the answer ``text`` says and that its computations may leave aside: never taken, or taken less
    often than quantities share the value ("wants 5 tickets at $5 each, but only 3 are left": 3 * 5 takes one 5).
    Such a count may be what the answer chose by, in words ("wants five tickets, but only 3 are left, so he buys
    3")."""
    taken = _taken(text)
    shared = Counter(q.value / 100 if q.kind == "percent" else q.value for q in problem.quantities)
    said = {n.value for line in text.splitlines() for n in line_numbers(line)}
    said |= {q.value for q in quantities(text) if q.kind == "word"}
    return [
        q
        for i, q in enumerate(problem.quantities)
        if i not in moved and (cardinal(q) or group(q)) and q.value in said and taken[q.value] < shared[q.value]
    ]


_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")


def said_beside(text: str, count: Fraction) -> set[Fraction]:
    """The values the answer ``text`` states in the sentences that say ``count`` (in digits or in words), besides
    it: what it may have weighed the count against ("wants five tickets, but only 3 are left, so he buys 3")."""
    out: set[Fraction] = set()
    for sentence in _SENTENCE.split(text):
        values = [n.value for n in line_numbers(sentence)] + [q.value for q in quantities(sentence) if q.kind == "word"]
        if count in values:
            out.update(v for v in values if v != count)
    return out


_NOUN_AFTER = re.compile(r"\s+(?:more\s+|of\s+(?:the\s+)?)?([^\W\d_]{2,})")


def noun_after(text: str, end: int) -> str | None:
    """The word a number ending at ``end`` counts ("5 tickets", "room for twenty books", "30 minutes"), in the
    singular as a plain ``s`` makes it, or ``None``."""
    m = _NOUN_AFTER.match(text, end)
    return m.group(1).lower().removesuffix("s") if m is not None else None


def set_aside(problem: WordProblem, text: str) -> str | None:
    """A quantity of the question that no computation of the answer ``text`` takes ("41 dollars a night in Europe
    and 23 elsewhere": 3 * 41), if any, besides a count in words the answer says again (see
    :func:`unused_quantity`) and a measure in a unit no quantity taken has ("80 pop in the first 16 seconds": the
    span a rate is given for). The answer chose without it, by something the words say, which may be what it knows
    of a name or a thing ("Florence is in Europe"), which no check reads."""
    return next(iter(left_aside(problem, text)), None)


def left_aside(problem: WordProblem, text: str) -> list[str]:
    """Each quantity of the question that :func:`set_aside` reads as left aside by the answer ``text``, as the
    question writes it."""
    aside = _unstated(problem, text, prose=False)
    units = {_unit_after(problem.prompt, q) for i, q in enumerate(problem.quantities) if i not in aside}
    out = []
    for i in aside:
        q = problem.quantities[i]
        unit = _unit_after(problem.prompt, q)
        if unit is None or unit in units:
            out.append(q.text)
    return out


# a unit of measure a quantity is given in: time, length, weight, volume
_MEASURE = re.compile(
    r"\s*(?:-\s*)?(seconds?|minutes?|hours?|days?|weeks?|months?|years?|nights?|feet|foot|inch(?:es)?|yards?|"
    r"miles?|met(?:er|re)s?|kilomet(?:er|re)s?|km|cm|mm|pounds?|lbs?|ounces?|oz|grams?|kilograms?|kg|g|liters?|"
    r"litres?|milliliters?|ml|gallons?|quarts?|cups?)\b",
    re.IGNORECASE,
)


def _unit_after(prompt: str, q: Quantity) -> str | None:
    """The unit of measure right after ``q`` in ``prompt`` ("16 seconds": ``second``), or ``None``."""
    m = _MEASURE.match(prompt, q.end)
    if m is None:
        return None
    unit = m.group(1).lower()
    return _ONE_UNIT.get(unit, unit.removesuffix("es") if unit.endswith("ches") else unit.removesuffix("s"))


# forms of one unit that a plain "s" does not make ("feet", "foot")
_ONE_UNIT = {"feet": "foot", "lbs": "lb"}


def unused_quantity(problem: WordProblem, text: str, *, prose: bool = True, moved: Container[int] = ()) -> str | None:
    """A quantity of the question (in digits or words) that the answer ``text`` never states, if any; with
    ``prose=False``, one that no computation of it takes as an operand (stated in words at most: "this qualifies
    for the $100 offer", "que supera los 100 dólares"). A count in words said again ("after three days") passes,
    unless its index is in ``moved`` (another question gives it another value): the answer's steps may follow it
    one by one, or the words may choose by it ("wants five tickets, but only 3 are left, so he buys 3"), and no
    computation shows which."""
    unstated = _unstated(problem, text, prose=prose, moved=moved)
    return problem.quantities[unstated[0]].text if unstated else None


def _unstated(problem: WordProblem, text: str, *, prose: bool, moved: Container[int] = ()) -> list[int]:
    """The indices of the quantities of the question that ``text`` never states (see :func:`unused_quantity`)."""
    stated: set[Fraction] = set()
    for line in text.splitlines():
        if prose:
            for num in line_numbers(line):
                stated.update({num.value, num.operand})
            stated.update(q.value for q in quantities(line) if q.kind == "word")  # "the two of them"
        for comp in computations(line):
            stated.update(n.operand for n in comp.operands)
    out = []
    for i, q in enumerate(problem.quantities):
        if q.value in stated or (q.kind == "percent" and _shares(q.value) & stated):
            continue
        if in_cents(problem.prompt, q.end) and q.value / 100 in stated:  # "65 cents": "$0.65"
            continue
        if q.value.denominator != 1 and Fraction(q.value.denominator) in stated:  # "half": "/ 2"
            continue
        if not prose and q.kind == "word" and i not in moved and re.search(rf"\b{re.escape(q.text)}\b", text, re.I):
            continue  # "after three days", said again: a count the answer's steps follow, one per day
        out.append(i)
    return out
