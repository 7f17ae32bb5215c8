"""Reading an answer to a word problem: the computations each line states, and the final answer.

A computation is an arithmetic expression of numbers, an ``=``, and a number: GSM8K's calculator annotations
(``<<48/2=24>>``), plain (``48 / 2 = 24``, ``48 ÷ 2 = 24``, ``5 x 3 = 15``), LaTeX (``$48 \\times 2 = \\$96$``,
``\\frac{48}{2} = 24``), with a unit word after a number (``273 pieces + 882 pieces = 1155 pieces``). Every number
keeps its span in the line, so an adapter rewrites it in place. The final answer is the last ``#### 72``,
``\\boxed{72}``, "The answer is 72" or "Answer: 72".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from ..regex import alternation
from .numbers import to_fraction

__all__ = [
    "GRADED",
    "Comparison",
    "Computation",
    "Num",
    "comparisons",
    "compares",
    "computations",
    "final_answer",
    "evaluate",
    "graded_forms",
    "unmarked",
]


# adjectives that grade: their comparatives and superlatives ("richer", "the busiest", "better") compare values, and
# so may their plain forms ("the long slide", "the big eater")
GRADED = (
    "rich poor big small large high low long short old young cheap dear fast slow heavy light tall wide narrow deep "
    "shallow close near strong weak hot cold warm cool full empty busy easy hard great tiny huge thick thin "
    "quick brief wealthy healthy happy lucky pricey costly fat lean steep loud quiet safe"
).split()


def graded_forms(*, plain: bool = True) -> str:
    """Every form of the graded adjectives, the plain one too: "the long red slide" says which is longer as
    "the longer" does (the question's "a red slide 41 meters long" measures; see :func:`~.carry.WordCarryover`).
    ``plain=False``: the comparatives and superlatives only ("cheaper", "oldest")."""
    out = {"better", "best", "worse", "worst", "further", "furthest", "farther", "farthest", *(GRADED if plain else ())}
    for adj in GRADED:
        stem = adj
        if adj.endswith("y"):
            stem = adj[:-1] + "i"
        elif adj.endswith("e"):
            stem = adj[:-1]
        elif re.fullmatch(r"[^aeiou]*[aeiou][^aeiouwy]", adj):
            stem = adj + adj[-1]  # big, bigger; hot, hottest
        out |= {stem + "er", stem + "est"}
    return "|".join(sorted(out, key=len, reverse=True))


# a comparison or a grade in words: "the heavier box", "more than", "the biggest", "the long slide"
_GRADES = alternation(r"\b(?:more|less|fewer|most|least|fewest|" + graded_forms() + r")\b", re.IGNORECASE)


def compares(text: str) -> bool:
    """Whether ``text`` compares or grades values in words ("The heavier box is the red one"): which of them is
    larger may be what it says."""
    return _GRADES.search(text) is not None


_MAX_OPERANDS = 24
_MAX_DIGITS = 40
_MAX_UNIT_WORDS = 6
_FLOAT_PLACES = 10


@dataclass(frozen=True)
class Num:
    """A number in a line: its exact value (a percentage is its number, ``percent`` says so) and its digits' span."""

    value: Fraction
    start: int
    end: int
    percent: bool = False

    @property
    def operand(self) -> Fraction:
        """Its value inside an expression (``20%`` is 1/5)."""
        return self.value / 100 if self.percent else self.value


@dataclass(frozen=True)
class Computation:
    """``tokens`` (numbers and operator strings, in order) ``= result``."""

    tokens: tuple[Num | str, ...]
    result: Num

    @property
    def operands(self) -> list[Num]:
        return [t for t in self.tokens if isinstance(t, Num)]

    def written(self, value: Fraction) -> Fraction:
        """``value`` as the result is written (a percentage's number)."""
        return value * 100 if self.result.percent else value


@dataclass(frozen=True)
class Comparison:
    """``left op right`` between two numbers (``op``: one of ``< > <= >=``)."""

    left: Num
    op: str
    right: Num

    def holds(self, left: Fraction | None = None, right: Fraction | None = None) -> bool:
        a = self.left.value if left is None else left
        b = self.right.value if right is None else right
        return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[self.op]


_NUMBER_TEXT = r"(?<![\w.])\\?\$?(-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)"
_COMPARE = re.compile(
    _NUMBER_TEXT + r"\s*\$?\s*(<=|>=|≤|≥|<|>|\\leq?|\\geq?|\\lt|\\gt|is (?:more|greater|less|fewer) than)\s*\$?\s*" + _NUMBER_TEXT
)
_COMPARE_OPS = {"≤": "<=", "≥": ">=", "\\le": "<=", "\\leq": "<=", "\\ge": ">=", "\\geq": ">=", "\\lt": "<", "\\gt": ">"}


def comparisons(line: str) -> list[Comparison]:
    """The comparisons of two numbers a line states ("12 > 8", "$30 \\geq 25$", "12 is more than 8")."""
    found = []
    for m in _COMPARE.finditer(re.sub(r"<<[^<>]*>>", lambda a: " " * len(a.group(0)), line)):
        op = m.group(2)
        if op.startswith("is "):
            op = ">" if ("more" in op or "greater" in op) else "<"
        op = _COMPARE_OPS.get(op, op)
        left = Num(to_fraction(m.group(1)), m.start(1), m.end(1))
        right = Num(to_fraction(m.group(3)), m.start(3), m.end(3))
        found.append(Comparison(left, op, right))
    return found


_TOKEN = re.compile(
    r"(?P<num>(?<![\w.])(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|(?<![\d,])\.\d+(?![.\d])))(?P<pct>\s?%|\\%)?"
    r"|(?P<frac>\\[dt]?frac\s*\{)|(?P<fracmid>\}\s*\{)|(?P<close>\})"
    r"|(?P<lp>\\left\s*\(|\()|(?P<rp>\\right\s*\)|\))"
    r"|(?P<per>(?<=[\w%])/[A-Za-z]+\b)"
    r"|(?P<op>\\times|\\cdot|\\div|[+*/×÷·−-]|(?<=\s)x(?=\s))"
    r"|(?P<eq>=)"
    r"|(?P<skip>\s+|\\\$|\$|\\[\[\]()]|\*\*|\\,|\\text\s*\{|\\mathrm\s*\{|\\boxed\s*\{|[€£])"
    r"|(?P<word>[A-Za-z]+(?:/[A-Za-z]+)?)"
    r"|(?P<other>.)",
    re.S,
)
_OPS = {"\\times": "*", "\\cdot": "*", "×": "*", "·": "*", "x": "*", "\\div": "/", "÷": "/", "−": "-"}
_WORD_OPS = {"times": "*", "plus": "+", "minus": "-", "equals": "=", "multiplied": "*", "divided": "/"}
"""Operations written in words ("14 times 1/2 equals 7"); "by" after "multiplied" and "divided" is dropped."""


def read_number(digits: str) -> Fraction:
    """Digits as an exact value; a float a program printed (``2.6666666666666665``, ``251.99999999999997``: ten
    or more decimal places) as the simple fraction it stands for, when one is within 1e-9 of it. A rounding a
    writer chose (``2.67``) stays what it says."""
    value = to_fraction(digits)
    if "." not in digits or len(digits) - digits.index(".") - 1 < _FLOAT_PLACES:
        return value
    tidy = value.limit_denominator(10**6)
    return tidy if abs(tidy - value) <= Fraction(1, 10**9) * max(Fraction(1), abs(value)) else value


@lru_cache(maxsize=4096)
def _tokens(line: str) -> tuple[Num | str, ...]:
    """Numbers, operators, parentheses, ``=``, unit words (``"w"``) and breaks (``"|"``)."""
    out: list[Num | str] = []
    braces: list[str] = []  # what each open brace closes as: ")" for a \frac part, "" for \text{, \boxed{...
    minus_at = -1  # where the last "-" stood: a "-" written against a number with no operand before it is its sign
    num_end = -1  # where the last number ended: "2(3+4)" multiplies, the "x" of "2x" is a variable
    for m in _TOKEN.finditer(line):
        kind = m.lastgroup if m.lastgroup != "pct" else "num"
        if m.group("num"):
            start, value = m.start("num"), read_number(m.group("num"))
            unary = out[-1:] == ["-"] and (len(out) < 2 or not (isinstance(out[-2], Num) or out[-2] in (")", "w")))
            if unary and minus_at == start - 1:
                out.pop()
                start, value = minus_at, -value
            out.append(Num(value, start, m.end("num"), bool(m.group("pct"))))
            num_end = m.end()
        elif kind == "frac":
            braces.append(")")
            out.append("(")
        elif kind == "fracmid":
            if braces and braces[-1] == ")":
                out += [")", "/", "("]
            else:
                out.append("|")
        elif kind == "close":
            closing = braces.pop() if braces else "|"
            if closing:
                out.append(closing)
        elif kind == "lp":
            if num_end == m.start():
                out.append("*")
            out.append("(")
        elif kind == "rp":
            out.append(")")
        elif kind == "op":
            op = m.group("op")
            minus_at = m.start() if op in ("-", "−") else -1
            out.append(_OPS.get(op, op))
        elif kind == "eq":
            out.append("=")
        elif kind == "skip":
            if m.group("skip").rstrip().endswith("{"):
                braces.append("")
        elif kind == "per":
            out.append("w")
        elif kind == "word":
            word = m.group("word").lower()
            if len(word) == 1 and num_end == m.start():
                out.append("|")  # "2x + 50 = 940": algebra, not arithmetic
            elif word in _WORD_OPS:
                out.append(f"~{_WORD_OPS[word]}")
            elif word in ("by", "to") and out[-1:] in (["~*"], ["~/"], ["~="]):
                continue  # "divided by", "is equal to"
            else:
                out.append("w")
        else:
            out.append("|")
    return tuple(_word_operators(out))


def _word_operators(toks: Sequence[Num | str]) -> list[Num | str]:
    """An operation written in words counts only between two numbers ("5 times a week" is text)."""
    out: list[Num | str] = []
    for i, t in enumerate(toks):
        if isinstance(t, str) and t.startswith("~"):
            before = toks[i - 1] if i else "|"
            after = toks[i + 1] if i + 1 < len(toks) else "|"
            between = (isinstance(before, Num) or before == ")") and (isinstance(after, Num) or after == "(")
            out.append(t[1:] if between else "w")
        else:
            out.append(t)
    return out


_MARKER = re.compile(r"^\s*(?:[-•>]\s+|\*\s+)?(?:\*\*|__)?(?:step\s+\d{1,2}\s*[:.)]?|\d{1,2}[.)]\s)?(?:\*\*|__)?", re.I)


def unmarked(line: str) -> str:
    """The line with its list marker ("- ", "1. ", "**Step 2:**") blanked out, every span kept."""
    skip = _MARKER.match(line)
    start = skip.end() if skip else 0
    return " " * start + line[start:]


# an unknown added to both sides of an equality ("57 + 43 + 9 + T = 109 + T = 182"): it cancels ("x" is a times)
_CANCELLED = re.compile(r"([+-])[ \t]*([A-WYZa-wyz])(?![\w(])([ \t]*=[ \t]*\d[\d.,]*[ \t]*)\1[ \t]*\2(?![\w(])")


@lru_cache(maxsize=4096)
def computations(line: str) -> tuple[Computation, ...]:
    """The computations a line states, in order. GSM8K annotations are read on their own and blanked out of the
    line first (the visible ``48/2 = 24`` beside ``<<48/2=24>>`` is read as well); a list marker is no minus. An
    unknown added to both sides of an equality cancels: "57 + 43 + 9 + T = 109 + T" states 57 + 43 + 9 = 109."""
    found: list[Computation] = []
    line = _CANCELLED.sub(_cancel, unmarked(line))
    blanked = line
    for m in re.finditer(r"<<([^<>]*)>>", line):
        inner = " " * (m.start(1)) + m.group(1) + " " * (len(line) - m.end(1))
        found += _read(inner)
        blanked = blanked[: m.start()] + " " * (m.end() - m.start()) + blanked[m.end() :]
    return tuple(found + _read(blanked))


def _cancel(m: re.Match[str]) -> str:
    """The two sides' unknown blanked out, every span kept."""
    return " " * (m.start(3) - m.start()) + m.group(3) + " " * (m.end() - m.end(3))


def _read(line: str) -> list[Computation]:
    toks = _tokens(line)
    found = []
    for i, t in enumerate(toks):
        if t != "=":
            continue
        j = i + 1
        if j >= len(toks) or not isinstance(toks[j], Num):
            continue
        result = toks[j]
        assert isinstance(result, Num)
        over = toks[j + 2] if j + 2 < len(toks) and toks[j + 1] == "/" else None
        if isinstance(over, Num) and _adjacent(result, over):
            if over.value == 0 or (j + 3 < len(toks) and toks[j + 3] in ("+", "-", "*", "/")):
                continue
            result = Num(result.value / over.value, result.start, over.end)  # "14/56 = 1/4"
        elif j + 1 < len(toks) and toks[j + 1] in ("+", "-", "*", "/"):
            continue  # "= 67 * 12 = 804": an expression, not a result
        left: list[Num | str] = []
        k = i - 1
        units = 0
        while k >= 0:
            tok = toks[k]
            after_units = left[0] if left else "="
            if (
                tok == "w"
                and units < _MAX_UNIT_WORDS
                and k > 0
                and after_units in ("+", "-", "*", "/", "=")
                and (isinstance(toks[k - 1], Num) or toks[k - 1] == "w")
            ):
                units += 1
                k -= 1
                continue
            if isinstance(tok, Num) or tok in ("+", "-", "*", "/", "(", ")"):
                left.insert(0, tok)
                units = 0
                k -= 1
                continue
            break
        while left and left[0] in ("+", "*", "/", ")"):  # an operator that belongs to words before it
            left.pop(0)
        if sum(isinstance(x, Num) for x in left) >= 2 and any(x in ("+", "-", "*", "/") for x in left):
            found.append(Computation(tuple(left), result))
    return found


def _adjacent(a: Num, b: Num) -> bool:
    """``a/b`` written as one fraction, the slash alone between them."""
    return b.start == a.end + 1


def evaluate(tokens: tuple[Num | str, ...] | list[Num | str], values: list[Fraction] | None = None) -> Fraction | None:
    """The exact value of an expression (``values`` replace the numbers, in order); ``None`` when it cannot be
    read or divides by zero, or is too large to be an answer."""
    nums = [t for t in tokens if isinstance(t, Num)]
    if len(nums) > _MAX_OPERANDS:
        return None
    vals = values if values is not None else [n.operand for n in nums]
    seq: list[Fraction | str] = []
    it = iter(vals)
    for t in tokens:
        seq.append(next(it) if isinstance(t, Num) else t)
    pos = 0

    def peek() -> Fraction | str | None:
        return seq[pos] if pos < len(seq) else None

    def atom() -> Fraction:
        nonlocal pos
        t = peek()
        if t == "-":
            pos += 1
            return -atom()
        if t == "(":
            pos += 1
            v = expr()
            if peek() != ")":
                raise ValueError("unbalanced")
            pos += 1
            return v
        if isinstance(t, Fraction):
            pos += 1
            return t
        raise ValueError("operand expected")

    def term() -> Fraction:
        nonlocal pos
        v = atom()
        while peek() in ("*", "/"):
            op = peek()
            pos += 1
            r = atom()
            v = v * r if op == "*" else v / r
        return v

    def expr() -> Fraction:
        nonlocal pos
        v = term()
        while peek() in ("+", "-"):
            op = peek()
            pos += 1
            r = term()
            v = v + r if op == "+" else v - r
        return v

    try:
        v = expr()
    except (ValueError, ZeroDivisionError):
        return None
    if pos != len(seq) or len(str(v.numerator)) > _MAX_DIGITS or len(str(v.denominator)) > _MAX_DIGITS:
        return None
    return v


_FINAL = re.compile(
    r"^\s*####\s*\\?\$?\s*(?P<a>-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+|/[1-9]\d*)?)"
    r"|\\boxed\s*\{\s*\\?\$?\s*(?P<b>-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+|/[1-9]\d*)?)\s*(?:\\%|%)?\s*\}"
    r"|\banswer\s+is\s*:?\s*\**\s*\\?\$?\s*(?P<c>-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+|/[1-9]\d*)?)"
    r"|^\s*\**\s*(?:final\s+)?answer\s*\**\s*:\s*\**\s*\\?\$?\s*(?P<d>-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+|/[1-9]\d*)?)"
    # an answer line that says its one number in a sentence ("**Answer:** Ann has **14** apples.")
    r"|^\s*\**\s*(?:final\s+)?answer\s*\**\s*:(?P<e>[^\n]*)",
    re.I | re.M,
)
_NUMBER = re.compile(r"(?<![\w.,/])-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+|/[1-9]\d*)?(?![\w/]|[.,]\d)")


def final_answer(text: str) -> tuple[Fraction, int, int] | None:
    """The last stated final answer of ``text``: its value and span."""
    last = None
    for m in _FINAL.finditer(text):
        g = next(n for n in "abcde" if m.group(n) is not None)
        if g == "e":  # a sentence: only where it says exactly one number
            said = list(_NUMBER.finditer(m.group(g)))
            if len(said) != 1:
                continue
            at = m.start(g) + said[0].start()
            last = (to_fraction(said[0].group()), at, at + len(said[0].group()))
            continue
        last = (to_fraction(m.group(g)), m.start(g), m.end(g))
    return last
