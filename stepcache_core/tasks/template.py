"""Request templates: what a request says besides the slots its task adapts.

A reuse is safe only when every difference between the new request and the cached one is a slot the task adapts
(an equation's constants and variable, a record's values). A task writes its request as a *template*: the prompt
with those slots replaced by markers, everything else kept. Two requests whose templates differ ask for different
things (another question, an instruction, a second equation, a language, a rounding): the gate refuses the reuse
and the caller's model answers.

Phrasings a task reads as the very same ask ("Solve for x: ...", "Find x if ...", "What value of x satisfies
...?") are folded to one canonical template: every word of the template outside its slots comes from the task's
closed vocabulary of such asks. A word outside it (a digit, "round", "Spanish", "not", "and") keeps the template
literal, so it must match exactly.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Mapping
from fractions import Fraction

__all__ = ["fold_whitespace", "trim_ends", "trim_request", "canonical_ask", "persona_only", "SLOT_MARK"]

SLOT_MARK = "\u27e8{}\u27e9"
"""How a slot is written in a template: ``⟨EQ⟩``, ``⟨V⟩``, ``⟨REC⟩``."""

_TOKENS = re.compile(r"\u27e8[A-Z]+\u27e9|[^\W\d_]+(?:'[^\W\d_]+)?|\d+|\S")
_QUIET = frozenset(":,.;?!()\"'\uff1a\uff0c\u3002\uff1f\uff01\uff08\uff09\u3001")  # and their full-width forms


# the words of a persona or a style ("You are a patient math tutor. Explain every step."): text around an ask made
# only of these changes how an answer is told, not what it must be. Any other word ("modulo", "decimal", "round",
# "integer", "base", a word of another language) may state a condition no check reads
_PERSONA = frozenset(
    """you you're youre are a an the i i'm am be is your we our us my me helpful patient friendly kind careful
    expert experienced professional knowledgeable math maths mathematics mathematical algebra tutor teacher
    assistant helper bot chatbot model ai explain explains explaining explanation explanations every each all
    step steps clearly clear simply simple briefly brief concise concisely terse short detailed detail details
    thorough thoroughly show shows showing work working reasoning reason think thinking answer answers
    answering solve solving solution solutions question questions problem problems student students learner
    learners beginner beginners help helps helping respond responds reply replies write writes use using
    markdown latex please always good great best very and or to of in with for as on at by it its this that
    equation equations example examples following exact exactly precise precisely accurate accurately correct
    correctly verbose rigorous rigorously formal informal polite careful carefully
    these those who which like how what when well hi hello hey thanks thank can could would will just here
    quick quickly task exercise homework write one per line lines last variable variables value values final
    extract extracts extracting extraction structured data from text record records json object objects field
    fields schema valid return returns output outputs only tool call""".split()
)
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")


def persona_only(text: str) -> bool:
    """Whether ``text`` (what a request says besides its ask: a persona, a system prompt) only says who answers
    and how to tell it: besides worked examples (lines that are equations or computations, as few-shot prompts
    hold), no number, no ``=``, every word a persona or style word (see ``_PERSONA``). Text that says
    more may change what the answer must be ("Work modulo 7.", "Round to one decimal place."), so a reuse for
    other values is refused; empty text is persona-only."""
    text = _examples_dropped(text)
    # a number, or an "=" with math beside it ("x = 3"); "the last line is the variable = its value" is prose
    if re.search(r"\d|(?<![^\W\d_])[^\W\d_]\s*=|=\s*[^\W\d_](?![^\W\d_])", text):
        return False
    return all(w.casefold().replace("\u2019", "'") in _PERSONA for w in _WORD.findall(text))


_MATH = re.compile(r"[^\n]*=[^\n]*")
_EXAMPLE_LABEL = re.compile(
    r"(?i)(?:equation|example|answer|solution|question|problem|exercise|step|input|output|q|a)(?:\s*\d+)?\s*:\s*"
)
_LETTER = re.compile(r"(?<![^\W\d_])[^\W\d_](?![^\W\d_])")


def _is_math(text: str) -> bool:
    """An equation or a computation: besides single letters, only digits, operators and "="."""
    return bool(_MATH.fullmatch(text)) and bool(re.fullmatch(r"[\d\s+\-*/^().,=]*", _LETTER.sub("", text)))


def _examples_dropped(text: str) -> str:
    """``text`` without the worked examples of a few-shot prompt: a line labelled as an example whose rest is an
    equation ("Equation: 2x + 3 = 11": the label is kept) and, when there is one, the lines that are only math
    ("2x = 8", "x = 4"). Math lines with no labelled example beside them ("Use: g = 10", "g = 10") are kept."""
    lines = text.splitlines()
    labelled = [m for line in lines if (m := _EXAMPLE_LABEL.match(line.strip())) and _is_math(line.strip()[m.end() :])]
    if not labelled:
        return text
    # the values the examples give their variables ("x = 4", "Answer: y = 2.5"), each variable's every value
    solved: dict[str, set[Fraction]] = {}
    for line in lines:
        m = _EXAMPLE_LABEL.match(line.strip())
        if (given := _SOLVED.fullmatch(line.strip()[m.end() if m else 0 :])) is not None:
            if (value := _value(given.group(2))) is not None:
                solved.setdefault(given.group(1), set()).add(value)
    out = []
    for line in lines:
        stripped = line.strip()
        m = _EXAMPLE_LABEL.match(stripped)
        if m is not None and _is_math(stripped[m.end() :]) and _exact(stripped[m.end() :], solved):
            out.append(stripped[: m.end()])
        elif not (_is_math(stripped) and _exact(stripped, solved)):
            out.append(line)
    return "\n".join(out)


def _exact(line: str, solved: Mapping[str, set[Fraction]]) -> bool:
    """Whether a math line is exactly true: every side without a letter of one value ("10 / 4 = 2.5"), and where
    its letters are variables the examples solve ("x = 4"), true at one of their values ("2x + 3 = 11"). One that
    is not ("10 / 3 = 3.3", "4.44 = 4.4", "x = 10 / 3 = 3.3", "10 / 3 = 3.3 m", "3x = 10" beside "x = 3.3") shows a
    rule of the answers, a rounding, and is kept as text that says more than a persona. A side with a letter no
    line solves is an equation to solve ("2x + 3 = 11" alone); a letter after a number and a space ends a side as
    its unit ("3.3 m"). A side that does not evaluate cannot be told exact: the line is kept."""
    sides = [_UNIT_END.sub("", side) for side in line.split("=")]
    names = sorted({n for side in sides for n in _LETTER.findall(side)} & solved.keys())
    readings: list[dict[str, Fraction]] = [{}]
    for name in names:
        readings = [{**r, name: v} for r in readings for v in solved.get(name, ())]
    for reading in readings:
        values = []
        for side in sides:
            if set(_LETTER.findall(side)) - reading.keys():
                continue  # an unknown no line solves
            for name, value in reading.items():
                side = re.sub(rf"(?<=[\d)])\s*(?={re.escape(name)}(?![^\W\d_]))", "*", side)  # "3x": 3 * x
                side = re.sub(rf"(?<![^\W\d_]){re.escape(name)}(?![^\W\d_])", f"({value})", side)
            values.append(_value(re.sub(r"(?<=[\d)])\s*\(", "*(", side)))  # "2(x + 1)"
        if None not in values and len(set(values)) <= 1:
            return True
    return False


# a variable given a value ("x = 4", "y = -2.5") and a unit letter that ends a side after a number ("3.3 m")
_SOLVED = re.compile(r"\s*([^\W\d_])\s*=\s*(-?\d[\d.,]*)\s*")
_UNIT_END = re.compile(r"(?<=\d)\s+[^\W\d_]\.?\s*$")


def _value(text: str) -> Fraction | None:
    """The exact value of an arithmetic expression of numbers, ``+ - * / ^`` and brackets, or ``None``."""
    try:
        tree = ast.parse(text.strip().replace("^", "**").replace(",", ""), mode="eval").body
    except (SyntaxError, ValueError):
        return None

    def walk(node: ast.AST) -> Fraction:
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            return Fraction(str(node.value))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = walk(node.operand)
            return -inner if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.BinOp):
            a, b = walk(node.left), walk(node.right)
            if isinstance(node.op, ast.Add):
                return a + b
            if isinstance(node.op, ast.Sub):
                return a - b
            if isinstance(node.op, ast.Mult):
                return a * b
            if isinstance(node.op, ast.Div) and b != 0:
                return a / b
            if isinstance(node.op, ast.Pow) and b.denominator == 1 and abs(b) <= 64:
                return Fraction(a) ** int(b)
        raise ValueError("not plain arithmetic")

    try:
        return walk(tree)
    except (ValueError, ZeroDivisionError, OverflowError):
        return None


def fold_whitespace(text: str) -> str:
    """Whitespace runs become one space; the ends and a trailing full stop, question or exclamation mark go."""
    return re.sub(r"[\s.!?]+$", "", " ".join(text.split()))


def trim_request(text: str) -> str:
    """``text`` without the whitespace at its end, the blank lines before it, and, on a prompt of one line, the
    spaces before it: ' Hi there!\\n' is 'Hi there!'. The indentation of a first line that others follow stays (a
    block of code or YAML indented as a whole, or its first line only, asks about that)."""
    lines = text.rstrip().splitlines(keepends=True)  # (any line break: "\r" and U+2028 too)
    while lines and not lines[0].strip():
        lines.pop(0)
    return "".join(lines).lstrip() if len(lines) <= 1 else "".join(lines)


def trim_ends(text: str) -> str:
    """The whitespace at the ends and a trailing full stop, question or exclamation mark go, but not one after a
    number or a slot (spaces between aside), which may be the number's own ("4!", "0.333..."); whitespace inside
    stays as written (an indented line of code, a row of a table, a line break between two parts may be what the
    request asks about)."""
    text = text.strip()
    end = re.search(r"[\s.!?]+$", text)
    if end is None or re.search(r"[\d\u27e9]$", text[: end.start()]):
        return text
    return text[: end.start()]


def canonical_ask(
    template: str, vocabulary: Collection[str], *, slots: Collection[str], canonical: str, free: Collection[str] = ()
) -> str:
    """``canonical`` when every word of ``template`` is in ``vocabulary`` (case-folded), its punctuation is quiet,
    each of ``slots`` appears in it exactly once and ``free`` slots any number of times, never twice in a row ("what
    is x x?" asks a product); else ``template`` itself (which must then match exactly)."""
    tokens = _TOKENS.findall(template)
    for slot in slots:
        if tokens.count(slot) != 1:
            return template
    if any(a == b and a in free for a, b in zip(tokens, tokens[1:])):
        return template
    for tok in tokens:
        if tok in slots or tok in free or tok in _QUIET:
            continue
        if tok.startswith("\u27e8") or tok.casefold() not in vocabulary:
            return template
    return canonical
