"""Quantities in a word problem or its answer: digits, money, percentages, fractions and number words.

Every quantity keeps its span in the text it was read from, so an adapter can rewrite it in place, and its exact
value as a :class:`~fractions.Fraction` (no floating point anywhere).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

from num2words import num2words

from ..regex import alternation

__all__ = [
    "UNGROUPED",
    "Hand",
    "Quantity",
    "decimal_comma",
    "english_article",
    "grouping",
    "half_of_day",
    "hand",
    "padding",
    "quantities",
    "restates",
    "spelling_band",
    "to_fraction",
    "write_number",
    "write_words",
]

_ONES = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
}
_ORDINALS = {"half": 2, "halves": 2, "third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7}
_ORDINALS.update({"eighth": 8, "ninth": 9, "tenth": 10, "thirds": 3, "quarters": 4, "fourths": 4, "fifths": 5})
_ORDINALS.update({"sixths": 6, "sevenths": 7, "eighths": 8, "ninths": 9, "tenths": 10})
# (past a tenth: "five twelfths", "three twentieths", "a hundredth", read as one fraction and never rewritten)
_ORDINALS.update(
    {
        f"{stem}{plural}": value
        for stem, value in (
            ("eleventh", 11),
            ("twelfth", 12),
            ("thirteenth", 13),
            ("fourteenth", 14),
            ("fifteenth", 15),
            ("sixteenth", 16),
            ("seventeenth", 17),
            ("eighteenth", 18),
            ("nineteenth", 19),
            ("twentieth", 20),
            ("hundredth", 100),
            ("thousandth", 1000),
        )
        for plural in ("", "s")
    }
)
_MULTIPLES = {"twice": 2, "double": 2, "doubled": 2, "triple": 3, "tripled": 3, "thrice": 3, "quadruple": 4}
_GROUPS = {"dozen": 12, "dozens": 12, "score": 20, "pair": 2, "pairs": 2}
# children of one birth, said by how many they are ("They're quintuplets" beside "her 5 grandchildren")
_BIRTHS = {
    "twins": 2,
    "triplets": 3,
    "quadruplets": 4,
    "quintuplets": 5,
    "sextuplets": 6,
    "septuplets": 7,
    "octuplets": 8,
}

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_WORD = "|".join(sorted(_ONES, key=len, reverse=True))
# a cardinal in English words, as one number: "twenty-one", "five hundred", "eleven hundred", "one hundred and
# twenty", "two thousand five hundred", "3 million" (a scale word multiplies what stands before it; two number
# words side by side that form no cardinal, "two ten-dollar bills", are two numbers)
_SCALES = {"thousand": 1000, "million": 10**6, "billion": 10**9}
_UNDER_100 = (
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
    r"|one|two|three|four|five|six|seven|eight|nine"
)
# (a scale word that names a unit multiplies nothing: "three hundred-dollar bills" are 3 bills of 100)
_UNDER_1000 = rf"(?:(?:{_UNDER_100})\s+)?hundred(?!-)(?:\s+(?:and\s+)?(?:{_UNDER_100})\b)?|hundred|(?:{_UNDER_100})"
_CARDINAL = rf"(?:(?:{_UNDER_1000})\s+)?(?:{'|'.join(_SCALES)})(?!-)(?:,?\s+(?:and\s+)?(?:{_UNDER_1000})\b)?|(?:{_UNDER_1000})"
_ORD = "|".join(sorted(_ORDINALS, key=len, reverse=True))
_TOKEN = re.compile(
    rf"(?P<frac>(?<![\d.])\d+/\d+(?![\d/]))"
    rf"|(?P<scaled>(?<![\w.])(?:{_NUMBER})\s+(?:hundred|{'|'.join(_SCALES)})\b(?!-))"
    rf"|(?P<num>(?<![\w.])(?:{_NUMBER})(?![\d]))(?P<pct>\s?%|\s+percent\b)?"
    rf"|(?P<wfrac>\b(?:(?P<fn>a|an|one|{_WORD})[\s-]+)(?P<fd>{_ORD})\b)"
    rf"|(?P<times>\b(?:{_WORD}|\d+)\s+times\b)"
    rf"|(?P<half>\bhalf\b)"
    rf"|(?P<mult>\b(?:{'|'.join(_MULTIPLES)})\b)"
    rf"|(?P<group>\b(?:a\s+)?(?:{'|'.join(_GROUPS)})\b)"
    rf"|(?P<births>\b(?:{'|'.join(_BIRTHS)})\b)"
    # (a number word must start here before the cardinal is tried: the cheap test runs at every word)
    rf"|(?P<word>\b(?=(?:{_WORD}|{'|'.join(_SCALES)})\b)(?:{_CARDINAL})\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Quantity:
    """One number as written: its value, where it stands, and how it was written (``kind``: ``digits``,
    ``percent``, ``fraction``, ``word``)."""

    value: Fraction
    start: int
    end: int
    text: str
    kind: str


def to_fraction(text: str) -> Fraction:
    """Digits as an exact value (``1,200.50`` -> 2401/2)."""
    return Fraction(text.replace(",", ""))


def _word_value(text: str) -> Fraction | None:
    """The value of a cardinal in words (:data:`_CARDINAL`): "five hundred" is 500, "twenty-one" 21."""
    total = current = 0
    for part in re.split(r"[\s,-]+", text.lower()):
        if part == "and":
            continue
        if part == "hundred":
            current = (current or 1) * 100
        elif part in _SCALES:
            total, current = total + (current or 1) * _SCALES[part], 0
        elif part in _ONES:
            current += _ONES[part]
        else:
            return None
    return Fraction(total + current)


@lru_cache(maxsize=4096)
def quantities(text: str) -> tuple[Quantity, ...]:
    """Every quantity of ``text``, in order. A number word becomes a quantity only where it counts something
    ("three apples", "twice as many", "half of", "a dozen", "they're triplets"). The word "one" is not one: it names a single thing
    ("one of them", "in one week", "hire one bookkeeper"), and another count would change the words around it
    too ("two weeks"); nor is a unit after "per" ("$18 per dozen"). Both stay text of the question's template."""
    found: list[Quantity] = []
    for m in _TOKEN.finditer(text):
        raw = m.group(0)
        if m.group("frac"):
            a, b = raw.split("/")
            if int(b) == 0:
                continue
            found.append(Quantity(Fraction(int(a), int(b)), m.start(), m.end(), raw, "fraction"))
        elif m.group("scaled"):
            # "2 million", "5 thousand dollars": the digits times the scale, a number no digits rewrite alone
            digits, scale = raw.split()
            value = to_fraction(digits) * (100 if scale.lower() == "hundred" else _SCALES[scale.lower()])
            found.append(Quantity(value, m.start(), m.end(), raw, "word"))
        elif m.group("num"):
            value = to_fraction(m.group("num"))
            kind = "percent" if m.group("pct") else "digits"
            found.append(Quantity(value, m.start(), m.end(), raw, kind))
        elif m.group("wfrac"):
            n = m.group("fn").lower()
            num = 1 if n in ("a", "an", "one") else _ONES[n]
            found.append(Quantity(Fraction(num, _ORDINALS[m.group("fd").lower()]), m.start(), m.end(), raw, "word"))
        elif m.group("times"):  # "three times as many" stands where "twice" could
            count = raw.split()[0]
            times = Fraction(int(count)) if count.isdigit() else _word_value(count)
            if times is not None:
                found.append(Quantity(times, m.start(), m.end(), raw, "digits" if count.isdigit() else "word"))
        elif m.group("half"):
            found.append(Quantity(Fraction(1, 2), m.start(), m.end(), raw, "word"))
        elif m.group("mult"):
            found.append(Quantity(Fraction(_MULTIPLES[raw.lower()]), m.start(), m.end(), raw, "word"))
        elif m.group("group"):
            before = text[max(0, m.start() - 12) : m.start()]
            if re.search(rf"(?:\bper|\bfor|\d|\b(?:{_WORD}))\s+$", before, re.I):
                continue  # "$18 per dozen", "2 dozen eclairs", "15 for a pair of booties": a unit, not a count
            found.append(Quantity(Fraction(_GROUPS[raw.lower().split()[-1]]), m.start(), m.end(), raw, "word"))
        elif m.group("births"):
            found.append(Quantity(Fraction(_BIRTHS[raw.lower()]), m.start(), m.end(), raw, "word"))
        elif m.group("word"):
            counted = _word_value(raw)
            if counted is not None and counted != 1:
                found.append(Quantity(counted, m.start(), m.end(), raw, "word"))
    return tuple(found)


# the half of the day an hour is said in, on a 12-hour clock ("3 PM", "11 a.m.")
_HALF = re.compile(r"\s*([ap])\.?m\.?(?!\w)", re.IGNORECASE)


def half_of_day(text: str, q: Quantity) -> tuple[str, int] | None:
    """``("a", end)`` or ``("p", end)`` where ``q``, a quantity of ``text``, is a whole hour 1 to 11 of a 12-hour clock
    said without minutes ("from 3 PM to 7 PM", "at 11 a.m."; ``end``: where "PM" ends): hours of one half of the
    day, two of which are as many hours apart as their difference. ``None`` for any other quantity, and for any
    other time of day: "12 PM" (noon comes before 1 PM), "7:30 PM", "at 18h"."""
    m = _HALF.match(text, q.end)
    plain = q.kind == "digits" and q.value.denominator == 1 and 1 <= q.value <= 11 and text[q.start - 1 : q.start] != ":"
    return (m.group(1).lower(), m.end()) if m is not None and plain else None


def cardinal(q: Quantity) -> bool:
    """Whether ``q`` is a count as such: in digits, or a cardinal in words ("five", "twenty-one"), not a group ("a
    pair", "a dozen"), a multiple ("twice"), a share ("half", "a third") or children of one birth."""
    if q.kind == "digits":
        return True
    last = q.text.lower().split()[-1] if q.text.split() else ""
    return q.kind == "word" and not any(last in table for table in (_ORDINALS, _MULTIPLES, _GROUPS, _BIRTHS))


def group(q: Quantity) -> bool:
    """Whether ``q`` is a group in words ("a dozen", "a score", "a pair"): a count that names no noun of its own, so
    only what the answer says beside it may weigh it ("wants a score of books, but only 9 novels are left")."""
    last = q.text.lower().split()[-1] if q.text.split() else ""
    return q.kind == "word" and last in _GROUPS


_GROUP_AFTER = re.compile(r"\s+(dozens?|score|pairs?)\b", re.IGNORECASE)


def group_after(text: str, q: Quantity) -> int | None:
    """How many a group counts where ``q``, a quantity of ``text``, counts groups ("2 dozen eclairs", "two score
    years"), or ``None``: the things counted are ``q.value`` times as many."""
    m = _GROUP_AFTER.match(text, q.end)
    return _GROUPS[m.group(1).lower()] if m is not None else None


def restates(q: Quantity) -> bool:
    """Whether ``q`` is a count in words that a question states beside the number it restates: children of one
    birth ("her 5 grandchildren. They're quintuplets"). It moves with that number, never on its own."""
    return q.kind == "word" and q.text.lower() in _BIRTHS


# where a number's thousands are never grouped, whatever the writer's habit: a calculator annotation
# (``<<1200-450=750>>``), GSM8K's final line (``#### 750``), a box (``\boxed{750}``)
_FINAL_LINE = re.compile(r"^\s*####.*|\\boxed\{[^{}]*\}", re.MULTILINE)
"""An answer's final line (GSM8K's ``#### 1600``, a ``\\boxed{}``), which groups as the answer's own shows (see
:attr:`Hand.final`)."""
UNGROUPED = re.compile(r"<<[^<>]*>>|" + _FINAL_LINE.pattern, re.MULTILINE)
# a number of four digits or more before any decimal point, with thousands separators ("1,250") or without ("1250")
_LARGE = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])|(?<![\d.,])\d{4,}")


def grouping(*texts: str, five: bool | None = None) -> bool | None:
    """Whether the writer of ``texts`` (in order of authority: the first that tells decides) groups the thousands
    of a large number with commas ("$1,250"), does not ("$1250"), or ``None`` where no text writes such a number one
    way only. Where no writer groups (:data:`UNGROUPED`) tells nothing. ``five``: of numbers of five digits or
    more only (``True``), or of four digits only (``False``): some writers group from five digits ("1500" beside
    "12,500")."""
    for text in texts:
        found = {
            "," in m.group()
            for m in _LARGE.finditer(UNGROUPED.sub(" ", text))
            if five is None or (len(m.group().replace(",", "")) >= 5) == five
        }
        if len(found) == 1:
            return found.pop()
        if found:
            return None
    return None


def write_number(
    value: Fraction, like: str, *, grouped: bool | None = None, padded: frozenset[int] = frozenset(), fixed: bool = True
) -> str:
    """``value`` written the way ``like`` was: thousands separators, decimals, a percent sign kept; an integer
    without decimals, unless its writer pads a whole amount to as many places as ``like`` has (``padded``, see
    :func:`padding`: "$7.50" restated as 18 is "$18.00" beside "$6.00", "2.5 km" as 6 is "6.0 km" beside "3.0 km");
    a value that has no finite decimal form as a fraction ``a/b``. Where ``like`` is too small to show whether its
    writer groups thousands ("$450" restated as 1250), ``grouped`` says (see :func:`grouping`). ``fixed``: whether
    a value with decimals takes as many places as ``like`` ("2.25" restated as 2.4: "2.40") or as few as it needs
    ("2.4", as a calculator writes it)."""
    zero = next((ord(c) - int(c) for c in like if c.isdigit()), ord("0"))
    if zero != ord("0"):  # digits of another script ("１２", "١٢"): written in that script
        return write_number(value, re.sub(r"\d", lambda d: str(int(d.group())), like), grouped=grouped).translate(
            {ord("0") + i: zero + i for i in range(10)}
        )
    pct = ""
    m = re.search(r"\s?%|\s+percent$", like)
    if m:
        pct = m.group(0)
        like = like[: m.start()]
    sep = "," in like or (bool(grouped) and len(re.sub(r"\D", "", like.split(".")[0])) < 4)
    if abs(value) >= 1000 and not shows_grouping(like, value):
        # ("$12,000" restated as 1400, by a writer that leaves four digits ungrouped: "$1400"; unknown, plainly)
        sep = bool(grouped)
    if "/" in like and value.denominator != 1:  # "1/5" stays a fraction
        return f"{value.numerator}/{value.denominator}{pct}"
    places = len(like.split(".")[1]) if re.fullmatch(r"[^.]*\.\d+", like) else 0
    if value.denominator == 1 and places in padded:
        body = f"{value.numerator:,}.{'0' * places}" if sep else f"{value.numerator}.{'0' * places}"
    elif value.denominator == 1:
        body = f"{value.numerator:,}" if sep else str(value.numerator)
    else:
        den = value.denominator
        while den % 2 == 0:
            den //= 2
        while den % 5 == 0:
            den //= 5
        if den != 1:
            return f"{value.numerator}/{value.denominator}{pct}"
        places = max(len(like.split(".")[1]) if "." in like and fixed else 0, _decimals(value))
        body = f"{float(value):,.{places}f}" if sep else f"{float(value):.{places}f}"
        if to_fraction(body) != value:  # float rounding on long decimals: write it exactly
            return f"{value.numerator}/{value.denominator}{pct}"
        if like.startswith(".") and body.startswith("0."):
            body = body[1:]  # ".01", as a program writes it
    return body + pct


def padding(text: str) -> frozenset[int]:
    """How many decimal places the writer of ``text`` pads a whole amount to: those of a whole number it writes with
    zero decimals ("$6.00": 2, "6.0 km": 1). "$7.50" beside "$18" is the usual hand, and "$7.50" alone tells
    nothing of a whole amount. None from a program's float ("2.0" beside "2.6666666666666665") or a calculator
    annotation (GSM8K's ``<<3*2.5=7.5>>``)."""
    text = re.sub(r"<<[^<>]*>>", " ", text)
    if _FLOAT.search(text):
        return frozenset()
    return frozenset(len(m.group(1)) for m in _PADDED.finditer(text))


_PADDED = re.compile(r"(?<![\d.])\d[\d,]*\.(0+)(?!\d)(?!\.\d)")
_DECIMALS = re.compile(r"(?<![\d.])\d[\d,]*\.(\d+)(?!\d)(?!\.\d)")
# a number grouped in threes ("150,000", "2,400,000") or in lakhs ("1,50,000", as written in India)
_MILLIONS = re.compile(r"(?<![\d,])\d{1,3}(?:,\d{3})+(?![\d,])")
_LAKHS = re.compile(r"(?<![\d,])\d{1,2}(?:,\d{2})+,\d{3}(?![\d,])")


@dataclass(frozen=True)
class Calculator:
    """How a writer writes the numbers of its calculator annotations. ``fixed``: it writes a result with decimals
    to fixed places ("<<6*0.85=5.10>>"; GSM8K's calculator writes "5.1"); ``padded``: the places it pads a whole
    result to ("<<8*0.75=6.00>>"); ``copies``: whether it copies a number of the question as the question writes
    it ("<<7*1.10=7.7>>" of "$1.10") or writes it in as few places as it needs ("<<4*2.5=10>>" of "$2.50"), or
    ``None`` where its annotations do not show."""

    fixed: bool = False
    padded: frozenset[int] = frozenset()
    copies: bool | None = None


def calculator(answer: str, asked: str) -> Calculator:
    """How the writer of ``answer``, which it wrote to the question ``asked``, writes its annotations."""
    results = [m.group(1) for m in _CALCULATED.finditer(answer)]
    copies: bool | None = None
    said = {m.group() for m in _ASKED_DECIMAL.finditer(asked)}
    for body in _ANNOTATION.finditer(answer):
        for m in _ASKED_DECIMAL.finditer(body.group(1).split("=")[0]):
            if m.group() in said and m.group().endswith("0"):
                copies = True  # "1.10" as asked
            elif copies is None and m.group() not in said and any(Fraction(m.group()) == Fraction(s) for s in said):
                copies = False  # "2.5" of "2.50"
    return Calculator(
        fixed=any(re.fullmatch(r"\d+\.\d*0", r) for r in results),
        padded=frozenset(len(m.group(1)) for r in results for m in [_PADDED.fullmatch(r)] if m is not None),
        copies=copies,
    )


_ANNOTATION = re.compile(r"<<([^<>]*)>>")
_CALCULATED = re.compile(r"<<[^<>]*=\s*([^<>=\s]*)\s*>>")
_ASKED_DECIMAL = re.compile(r"(?<![\d.,])\d+\.\d+(?![\d.])")


@dataclass(frozen=True)
class Hand:
    """How the writer of an answer writes numbers, as far as its text and the questions show (see :func:`hand`).

    ``grouped``, ``grouped_five``: whether it groups the thousands of four digits, and of five or more, with commas
    in its sentences (see :func:`grouping` and :meth:`grouped_at`), and ``computing``, ``computing_five``, in its
    computations ("30 × 40 = 1200" beside "1,100 pencils are left": a writer may group in one and not the other,
    and the questions show only sentences); ``padded``: the places it pads a whole amount to (see
    :func:`padding`); ``fixed``: whether it writes a value with decimals to fixed places ("$2.50" beside "$7.25"),
    to as few as it needs ("2.25" beside "6.5", "0.75" beside "24.0"), or ``None`` where its text does not show;
    ``large``: whether a text shows how a number of six digits or more is grouped ("150,000"; not "1,50,000", which
    this task does not write); ``cents_moved``: whether one question writes amounts with decimals and the other
    none ("$2.50" asked as "$3"), where a writer pads a whole amount as the question has it."""

    grouped: bool | None = None
    grouped_five: bool | None = None
    computing: bool | None = None
    computing_five: bool | None = None
    padded: frozenset[int] = frozenset()
    fixed: bool | None = None
    large: bool = False
    cents_moved: bool = False
    small: int | None = None
    """The smallest whole number the answer writes in digits before a word in a sentence ("9 days"; not "$9", "9 x
    6" or a list's line): some writers spell out numbers under ten, or through ten ("nine days", "12 days"), so a
    sentence's 25 restated as 9 shows nothing of how 9 is written, unless a number as small is written in digits
    (see :meth:`unwritable`)."""
    calculator: Calculator = field(default_factory=Calculator)
    """How it writes numbers in its calculator annotations (``<<6*0.85=5.1>>``), apart from its sentences."""
    final: bool | None = False
    """Whether it groups the thousands of its final answer line (GSM8K's ``#### 1600``, a ``\\boxed{}``): as that
    line shows a number of four digits or more; else not, where the answer and the question write such a number
    ungrouped only; ``None`` where nothing shows (a writer that groups "1,350" in its sentences may write "#### 1,600"
    too, or "#### 1600" as GSM8K does)."""

    def grouped_at(self, value: Fraction, *, computed: bool = False) -> bool | None:
        """Whether the writer groups the thousands of ``value`` in a sentence, or in a computation (``computed``):
        as its numbers of the same size show there (four digits, or five and more), else as a writer that groups
        four digits groups more, and one that leaves five digits ungrouped leaves four so."""
        four, five = (self.computing, self.computing_five) if computed else (self.grouped, self.grouped_five)
        if abs(value) < 10_000:
            return four if four is not None else (False if five is False else None)
        return five if five is not None else (True if four is True else None)

    def unwritable(
        self, value: Fraction, like: str, *, bare: bool = False, money: bool = False, computed: bool = False
    ) -> str | None:
        """What no text shows of how this writer would write ``value`` where the answer wrote ``like``, as a slot
        a second answer that writes it so may vouch for (``written(thousands)``, ``written(ten thousands)``,
        ``written(lakhs)``, ``written(to cents)``, ``written(off cents)``, ``written(whole)``, ``written(fewer
        places)``), or ``None``. ``bare``: ``like`` stands where nothing is grouped or padded (a calculator
        annotation, ``####``); ``money``: it is an amount of money (written to the cent where a writer pads,
        "$2.40"); ``computed``: it stands in a computation (see :meth:`grouped_at`)."""
        # "$480" restated as 1500: "$1500", "$1,500", "1.500 €" or "1 500 €"; a number of another size than
        # ``like`` shows nothing of its own ("$1500" or "$12,000" restated as 1400 or 30000: some writers group from
        # five digits only), but that a writer who groups four digits groups more, and one who leaves five leaves four
        grouped = self.grouped_at(value, computed=computed)
        if not bare and abs(value) >= 1000 and not shows_grouping(like, value) and grouped is None:
            return "written(thousands)" if abs(value) < 10_000 else "written(ten thousands)"
        if not bare and abs(value) >= 100_000 and ("," in like or grouped) and not self.large:
            return "written(lakhs)"  # "150,000" or "1,50,000"
        if not bare and not computed and like.isdigit() and value.denominator == 1 and 0 <= value < int(like):
            # "Ann needs 12 days" restated as 6: "6 days" or "six days"
            # (spelled through ten at most: past it, most writers write digits, and a band of its own costs reuse)
            band = spelling_band(value)
            if band in ("under ten", "ten") and band != spelling_band(Fraction(int(like))):
                if self.small is None or value < self.small:
                    return f"written({band})"
        places = len(like.split(".")[1]) if re.fullmatch(r"[^.]*\.\d+", like) else 0
        if not bare and money and self.cents_moved and value.denominator == 1 and not places:
            return "written(to cents)"  # "$12" of "$3" each, asked "$2.50" each: "$10" or "$10.00"
        if bare or places <= _decimals(value):
            return None
        if value.denominator == 1 and places in self.padded:
            # "$10.00" of "$2.50 each", asked "$3 each": "$12", as most write it
            return "written(off cents)" if self.cents_moved else None
        if self.fixed is True and value.denominator != 1:
            return None  # "$2.40", "0.150"
        if self.fixed is False and not money:
            return None  # "2.4", "10"
        # "$7.50" restated as 18, "2.25" as 2.4
        return "written(whole)" if value.denominator == 1 else "written(fewer places)"


def _size(digits: int) -> int:
    return 3 if digits < 4 else 4 if digits == 4 else 5


def shows_grouping(like: str, value: Fraction) -> bool:
    """Whether ``like`` shows how its writer groups the thousands of ``value``: it is of the same size (four digits,
    or five and more), or it groups a smaller one, or leaves a larger one ungrouped."""
    was = _size(len(re.sub(r"\D", "", like.split(".")[0])))
    now = _size(len(str(abs(value.numerator) // value.denominator)))
    return was == now or (was >= 4 and ("," in like) == (now > was))


def hand(answer: str, asked: str, asking: str) -> Hand:
    """How the writer of ``answer``, which it wrote to the question ``asked``, writes numbers (see :class:`Hand`);
    ``asking``: the new question."""
    text = re.sub(r"<<[^<>]*>>", " ", answer)
    written = {len(m.group(1)): m.group(1) for m in _DECIMALS.finditer(text)}
    fixed: bool | None = None
    if _FLOAT.search(text):
        fixed = False  # a program's float, in as few places as it needs ("2.6666666666666665", "7.5")
    elif len(written) > 1:
        fixed = False  # "2.25" beside "6.5", "0.75" beside "24.0"
    elif any(d.endswith("0") for d in written.values()):
        fixed = True  # "$2.50" beside "$7.25", "0.150"
    texts = (UNGROUPED.sub(" ", answer), asked, asking)
    shown = {"," in m.group() for line in _FINAL_LINE.findall(answer) for m in _LARGE.finditer(line)}
    if shown:
        final = shown.pop() if len(shown) == 1 else None
    else:  # its final line shows nothing: as its other lines and the questions show
        final = False if grouping(answer, asked, asking) is False else None
    said, computing = _said_and_computed(UNGROUPED.sub(lambda m: " " * len(m.group()), answer))
    western = any(int(m.group().replace(",", "")) >= 100_000 for t in texts for m in _MILLIONS.finditer(t))
    large = western and not any(_LAKHS.search(t) for t in texts)
    return Hand(
        grouped=grouping(said, asked, asking, five=False),
        grouped_five=grouping(said, asked, asking, five=True),
        computing=grouping(computing, five=False),
        computing_five=grouping(computing, five=True),
        padded=padding(answer),
        fixed=fixed,
        large=large,
        cents_moved=bool(_DECIMALS.search(asked)) != bool(_DECIMALS.search(asking)),
        small=_smallest_said(text),
        calculator=calculator(answer, asked) if "<<" in answer else Calculator(),
        final=final,
    )


_FLOAT = re.compile(r"\d\.\d{7,}")
# a whole number under a hundred in digits before a word, as a sentence says it ("9 days"; not "54 / 9 =", "$9 a
# day", "9 x 6"), and a list's line, "- First book: 6 days", which some writers write in digits only
_SMALL_SAID = re.compile(r"(?<![\d.,/$€£¥:])(?<!: )(\d{1,2})(?![\d.,/])[ \t]+(?![x×]\b)[^\W\d_]")
_LIST_LINE = re.compile(r"[ \t]*(?:[-*•|]|\d+[.)])[ \t]")


def _smallest_said(text: str) -> int | None:
    """The smallest whole number ``text`` writes in digits before a word in a sentence (see :attr:`Hand.small`)."""
    said = [int(m.group(1)) for line in text.splitlines() if not _LIST_LINE.match(line) for m in _SMALL_SAID.finditer(line)]
    return min(said, default=None)


def spelling_band(value: Fraction) -> str:
    """Where writers who spell out small numbers stop: under ten (AP), ten, through twenty, under a hundred
    (Chicago), or past: a number of another band than the one the answer wrote shows nothing of how it is written."""
    return (
        "under ten"
        if value < 10
        else "ten"
        if value == 10
        else "to twenty"
        if value <= 20
        else "under a hundred"
        if value < 100
        else "past a hundred"
    )


def _said_and_computed(answer: str) -> tuple[str, str]:
    """``answer`` with the numbers of its computations blanked out, and those numbers alone, a line each (how a
    writer groups in sentences, and in computations)."""
    from .read import computations  # (read imports this module)

    said: list[str] = []
    computed: list[str] = []
    for line in answer.splitlines():
        spans = [(n.start, n.end) for c in computations(line) for n in (*c.operands, c.result)] if _LARGE.search(line) else []
        for start, end in sorted(spans, reverse=True):
            computed.append(line[start:end])
            line = line[:start] + " " * (end - start) + line[end:]
        said.append(line)
    return "\n".join(said), "\n".join(computed)


def english_article(written: str) -> str | None:
    """The English article a number takes as it is said ("an 80-minute walk", "an $11 ticket", "an eleven-year-old",
    "a 1,800-mile trip", "a one-day pass"), or ``None`` for what is no number in digits or words."""
    digits = re.fullmatch(r"[$€£¥]?\s?(\d[\d,]*)(?:\.\d+)?%?", written.strip())
    if digits is not None:
        said = num2words(int(digits.group(1).replace(",", "")), lang="en")
    elif (
        re.fullmatch(r"[A-Za-z]+(?:[\s-][A-Za-z]+)*", written.strip())
        and _word_value(written.split()[0].split("-")[0]) is not None
    ):
        said = written.strip().lower()
    else:
        return None
    return "an" if said.startswith(("a", "e", "i", "o")) and not said.startswith("one") else "a"


def _decimals(value: Fraction) -> int:
    places = 0
    while (value * 10**places).denominator != 1 and places < 12:
        places += 1
    return places


_TENS = {v: k for k, v in _ONES.items() if v % 10 == 0 and 20 <= v <= 90}
_SMALL = {v: k for k, v in _ONES.items() if v < 20}


def write_words(value: Fraction, like: str) -> str | None:
    """``value`` in words the way ``like`` (a count in words: "four", "Seven times", "twenty-one") was written;
    ``None`` where that cannot be done plainly (not a whole number from 2 to 99, or ``like`` is another kind of
    word: "half", "a dozen"). A multiplier ("twice") is rewritten as "N times"."""
    frac = re.fullmatch(rf"(?:a|an|one|{_WORD})([\s-])(?:{_ORD})|half()", like, re.I)
    if frac is not None:  # "one fifth" -> "two thirds"
        top, bottom = value.numerator, value.denominator
        names = {v: k for k, v in _ORDINALS.items() if not k.endswith("s") and k != "fourth"}
        if not (1 <= top <= 9 and 2 <= bottom <= 10 and bottom in names and value < 1):
            return None
        ordinal = names[bottom] if top == 1 else ("halves" if bottom == 2 else names[bottom] + "s")
        words = f"{_SMALL[top]}{frac.group(1) or ' '}{ordinal}"
        return words[0].upper() + words[1:] if like[0].isupper() else words
    if like.lower() in _BIRTHS:  # "quintuplets" -> "triplets"
        births = {v: k for k, v in _BIRTHS.items()}
        if value not in births:
            return None
        return births[int(value)].capitalize() if like[0].isupper() else births[int(value)]
    if like.lower() in _MULTIPLES:  # "twice" -> "three times"
        said = write_words(value, "two times")
        return None if said is None else (said[0].upper() + said[1:] if like[0].isupper() else said)
    m = re.fullmatch(r"([A-Za-z]+(?:[\s-][A-Za-z]+)??)(\s+times)?", like)
    if m is None or _word_value(m.group(1)) is None or value.denominator != 1 or not 2 <= value <= 99:
        return None
    n = value.numerator
    if n < 20:
        words = _SMALL[n]
    else:
        # hyphenated, as English writes 21 to 99, unless the word it replaces was written with a space
        joint = " " if " " in m.group(1) else "-"
        words = _TENS[n - n % 10] + (joint + _SMALL[n % 10] if n % 10 else "")
    if like[0].isupper():
        words = words[0].upper() + words[1:]
    return words + (m.group(2) or "")


# English ordinals in words ("the fifth day", "twenty-first"), by value
ORDINAL_VALUES = {num2words(k, lang="en", to="ordinal"): k for k in range(1, 101)}
ORDINAL_WORD = alternation(r"\b(?:" + "|".join(sorted(ORDINAL_VALUES, key=len, reverse=True)) + r")\b", re.IGNORECASE)
# days and months, in the languages the gate reads ("May", "March" and "August" only capitalised, as names)
CALENDAR = alternation(
    r"\b(?:(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|april|june|july|september|"
    r"october|november|december|lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo|enero|febrero|marzo|"
    r"abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|lundi|mardi|mercredi|jeudi|vendredi|"
    r"samedi|dimanche|janvier|f[eé]vrier|avril|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[eé]cembre|montag|"
    r"dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|januar|februar|m[aä]rz|juni|juli|oktober|dezember|"
    r"luned[iì]|marted[iì]|mercoled[iì]|gioved[iì]|venerd[iì]|sabato|domenica|gennaio|febbraio|aprile|maggio|"
    r"giugno|luglio|settembre|ottobre|dicembre|segunda-feira|ter[cç]a-feira|quarta-feira|quinta-feira|sexta-feira|"
    r"janeiro|fevereiro|mar[cç]o|maio|junho|julho|setembro|outubro|dezembro|maandag|dinsdag|woensdag|donderdag|"
    r"vrijdag|zaterdag|zondag|januari|februari|maart|mei|augustus)|May|March|August|Mai|Mars|Avril)\b"
)


# a comma before three digits after a 0 (never a group of thousands), or after one to three digits in a text of a
# language that writes a decimal comma ("2,500 kg" is two and a half kilograms in German, French, Spanish...)
_ZERO_COMMA = re.compile(r"(?<![\d,.])0,\d")
_GROUP_OR_COMMA = re.compile(r"(?<![\d,.])\d{1,3},\d{3}(?![\d,])")
_DECIMAL_COMMA_LANGUAGE = re.compile(
    r"\b(?:el|los|las|del|cada|que|es|por|para|una?|une|les|des|est|il|gli|di|che|um|uma|dos|das|der|die|und|ist|"
    r"ein|eine|het|een|van|och|för|pour|avec|dans|mit|für|con|per|da|og|zu|je|le|la|et|y|e)\b",
    re.IGNORECASE,
)
_ENGLISH = re.compile(r"\b(?:the|and|of|is|are|was|has|have|each|for|with|how|many|much|what)\b", re.IGNORECASE)


def decimal_comma(written: str, text: str) -> bool:
    """Whether ``written``, a number of ``text``, may have a decimal comma: "0,250" anywhere, "2,500" unless the
    text reads as English (more of its small words than of the languages that write a decimal comma: a text with
    none of either, "Köp 2,500 kg mjöl", may be any)."""
    if _ZERO_COMMA.search(written):
        return True
    if not _GROUP_OR_COMMA.search(written):
        return False
    return len(_ENGLISH.findall(text)) <= len(_DECIMAL_COMMA_LANGUAGE.findall(text))
