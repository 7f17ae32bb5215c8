"""How answers write math, read into the one notation the equation toolkit understands.

Models answer in markdown, LaTeX and prose: ``**Step 1:** Subtract 5: \\(3x = 20 - 5 = 15\\)``. The verifier and the
adapter never look at that text directly; they look at its *math view*:

- the layout label of a line (``Step 1:``, ``1.``, ``- ``, ``### ``, ``**Step 2**``) is dropped, so a label number is
  never read as math;
- LaTeX becomes plain math (``\\frac{a}{b}`` -> ``(a)/(b)``, ``\\cdot``/``\\times`` -> ``*``, ``\\div`` -> ``/``,
  delimiters ``\\( \\) \\[ \\] $ $$`` and markdown emphasis removed, ``\\Rightarrow`` and friends separate statements);
- two numbers side by side (``1 200``, ``1 1/4``, ``1\\frac{1}{4}``, ``= 20 (1)``) keep a mark between them
  (:data:`APART`), never read as a product;
- variables that are names, not letters (``t1``, ``x_2``, ``x_{2}``, ``rate``, ``θ``, ``\\theta``) become one placeholder
  letter each (:class:`Names`), so ``4t1`` is ``4*t1``, never ``4*t*1``.

Every number of a line outside its label and outside names keeps its order in the view (:func:`number_spans` lists
them in the raw text), which is what lets the adapter rewrite numbers in place, byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from math import gcd
from typing import Any

__all__ = ["Names", "Number", "label_end", "math_view", "number_spans", "signed_numbers", "statements", "NUMBER", "APART"]

# a literal fraction ("19/4") is one number; "x/4" leaves "4" alone since a letter precedes the slash
NUMBER = re.compile(r"(?<![A-Za-z_\\])\d+(?:\.\d+)?(?:/\d+(?![\d.]))?")

_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "zeta": "ζ", "eta": "η",
    "theta": "θ", "vartheta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ",
    "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ",
    "omega": "ω",
}  # fmt: skip
_GREEK_CHARS = "".join(sorted(set(_GREEK.values())))
# an identifier that is a name: a letter with a subscript or trailing digits, or a Greek letter (unicode or LaTeX)
_SUBSCRIPTED = r"[A-Za-z](?:_\{[A-Za-z0-9]+\}|_[A-Za-z0-9]+|\d+)"
_NAME_TOKEN = re.compile(
    rf"(?<![A-Za-z_\\])(?:{_SUBSCRIPTED})(?![A-Za-z0-9_])|[{_GREEK_CHARS}]|\\(?:{'|'.join(sorted(_GREEK, key=len, reverse=True))})(?![A-Za-z])"
)
_PLACEHOLDERS = "QWJKZVUHGRPMLTDFBSNOYCEIA"


def _key(name: str) -> str:
    """One spelling per name: ``x_{2}`` = ``x_2``, ``\\theta`` = ``θ``."""
    name = name.replace("{", "").replace("}", "")
    if name.startswith("\\"):
        return _GREEK.get(name[1:], name)
    return name


def _spellings(key: str) -> list[str]:
    out = [key]
    if "_" in key:
        base, _, sub = key.partition("_")
        out.append(f"{base}_{{{sub}}}")
    for word, ch in _GREEK.items():
        if ch == key:
            out.append("\\" + word)
    return out


@dataclass(frozen=True)
class Names:
    """Variables written as names, each mapped to one placeholder letter the math toolkit reads.

    ``pairs`` holds ``(name, letter)``; a request without such names has none, and :meth:`apply` is then the identity.
    """

    pairs: tuple[tuple[str, str], ...] = ()

    @staticmethod
    def detect(text: str, equation: str, named: Sequence[str] = ()) -> Names:
        """The names of ``equation`` (subscripted letters, Greek letters) plus words the request calls variables
        (``named``, e.g. from "solve for rate") that occur in it."""
        keys: list[str] = []
        for m in _NAME_TOKEN.finditer(equation):
            k = _key(m.group())
            if k not in keys:
                keys.append(k)
        for word in named:
            if word not in keys and re.search(rf"(?<![A-Za-z_\\]){re.escape(word)}(?![A-Za-z0-9_])", equation):
                keys.append(word)
        if not keys:
            return Names()
        used = set(re.findall(r"(?<![A-Za-z])[A-Za-z](?![A-Za-z])", text))
        letters = [ch for ch in _PLACEHOLDERS if ch not in used]
        return Names(tuple(zip(keys, letters)))

    def __bool__(self) -> bool:
        return bool(self.pairs)

    def letter(self, name: str) -> str:
        """The placeholder of ``name``, or ``name`` itself when it is a plain letter."""
        key = _key(name)
        return next((letter for n, letter in self.pairs if n == key), name)

    def name(self, letter: str) -> str:
        """The name a placeholder stands for (a plain letter stands for itself)."""
        return next((n for n, ch in self.pairs if ch == letter), letter)

    def apply(self, text: str) -> str:
        """``text`` with every spelling of every name replaced by its placeholder."""
        for name, letter in self.pairs:
            text = pattern(name).sub(letter, text)
        return text

    def restore(self, text: str) -> str:
        """Placeholders back to names (for text the engine writes itself: the deterministic solution)."""
        for name, letter in self.pairs:
            text = re.sub(rf"(?<![A-Za-z]){letter}(?![A-Za-z])", name.replace("\\", "\\\\"), text)
        return text


def pattern(name: str) -> re.Pattern[str]:
    """Every spelling of one variable name as a whole identifier (a digit may precede it: ``4t1``)."""
    spellings = sorted(_spellings(_key(name)), key=len, reverse=True)
    alts = "|".join(re.escape(s) for s in spellings)
    return re.compile(rf"(?<![A-Za-z_\\])(?:{alts})(?![A-Za-z0-9_])")


def latex_name(name: str) -> str:
    """A Greek letter as its LaTeX command (``θ`` -> ``\\theta``); any other name as it is."""
    return next(("\\" + word for word, ch in _GREEK.items() if ch == name), name)


# the layout label at the start of a line: quotes, headings, bullets, "Step 2:", "1." / "1)", bold around them
_LABEL = re.compile(
    r"^[ \t]*(?:>[ \t]*)*(?:#{1,6}[ \t]+)?(?:[-*+•][ \t]+)?"
    r"(?:(?:\*\*|__)?[ \t]*(?:step|schritt|paso|étape)[ \t]*\d+[ \t]*(?:\*\*|__)?[ \t]*[:.)\-–—]?(?:[ \t]*(?:\*\*|__))?"
    r"|\d{1,3}[.)](?=[ \t]))?",
    re.IGNORECASE,
)


def label_end(line: str) -> int:
    """Where the layout label of ``line`` ends (0 when it has none)."""
    m = _LABEL.match(line)
    return m.end() if m else 0


_FRAC = re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_WRAP = re.compile(r"\\(?:boxed|fbox|mathbf|mathrm|mathit|bm|displaystyle|operatorname)\s*\{([^{}]*)\}")
_TEXT = re.compile(r"\\(?:text|textbf|textit|mbox|emph)\s*\{([^{}]*)\}")
_ARROWS = re.compile(
    r"\\(?:implies|Rightarrow|Longrightarrow|rightarrow|to|iff|Leftrightarrow|therefore|quad|qquad)(?![A-Za-z])|[⇒⟹→∴⟺]|==>|=>"
)
_SPACES = re.compile(r"\\[,;:! ]|\\(?:left|right|big|Big|bigg|Bigg)(?![A-Za-z])|\\begin\{[^}]*\}|\\end\{[^}]*\}")
_COMMANDS = (("\\cdot", "*"), ("\\times", "*"), ("\\div", "/"), ("\\ast", "*"), ("\\pm", "±"), ("\\neq", "≠"), ("\\approx", "≈"))
_SYMBOLS = (("−", "-"), ("–", "-"), ("×", "*"), ("÷", "/"), ("·", "*"), ("⋅", "*"), ("∗", "*"), ("²", "^2"), ("³", "^3"))


def math_view(text: str, names: Names = Names()) -> str:
    """The math of one line of an answer, in the toolkit's notation (see the module docstring)."""
    line = text[label_end(text) :]
    line = names.apply(line)
    if "\\" in line or "$" in line:
        line = _latex(line)
    for a, b in _SYMBOLS:
        line = line.replace(a, b)
    line = _SIDE_BY_SIDE.sub(f" {APART} ", line)
    line = line.replace("**", " ").replace("__", " ").replace("`", " ").replace("&", " ")
    line = _LEADING_DOT.sub("0.", line)  # ".5x" is 0.5x, never 5x after a full stop
    if _SPOKEN.search(line):
        line = _SPOKEN_IS.sub(r"\1 = ", _SPOKEN.sub(lambda m: f" {_SPOKEN_OPS[m.group(1).split()[0].casefold()]} ", line))
    return _WORDS.sub(" = ", line)


# two numbers with only a space between them are never a product a person means: a thousands group ("1 200",
# "1\u202f200", LaTeX "1\\,200"), a mixed number ("1 1/4") or an equation number after an equation ("= 20 (1)").
# Read as math they would be a product (1 * 200) or the number would be cut in two, and a misread request is
# reused for other numbers and solved wrongly. No reader here takes them apart soundly, so the view keeps a mark
# between them (``APART``) that no statement reads through; a request whose equation runs into it is not read
# (see ``parse._read``), an answer step holding it is unreadable (``verify._RELATION``). Newlines part steps.
APART = "¦"
# (a comma between digits, "1,000x = 5,000" or "0,5x + 2 = 7", is a thousands group or a decimal comma: either
# reading cuts the number in two, "000x = 5", so it is kept apart alike)
_SIDE_BY_SIDE = re.compile(r"(?<=\d)(?:[^\S\n]+|,)(?=\d|\(\s*\d+(?:\.\d+)?\s*\))")
# a LaTeX mixed number ("1\\frac{1}{4}"): a whole number written right before a fraction of numbers
_MIXED = re.compile(r"(?<=\d)\s*(?=\\[dt]?frac\s*\{\s*\d+\s*\}\s*\{\s*\d+\s*\})")

_LEADING_DOT = re.compile(r"(?<![\w.])\.(?=\d)")

# arithmetic said in words between numbers ("so 4 times 3 is 12", "20 minus 5 gives 15"): read as math, so a
# prose check is verified like any statement, never passed as prose whose numbers merely appear elsewhere
_SPOKEN = re.compile(r"(?<=[\d)])\s+(times|multiplied by|plus|minus|divided by)\s+(?=-?\s*[\d(])", re.IGNORECASE)
_SPOKEN_OPS = {"times": "*", "multiplied": "*", "plus": "+", "minus": "-", "divided": "/"}
_SPOKEN_IS = re.compile(r"(\d[\d.]*\s*[-+*/]\s*\(?-?\d[\d.]*\)?)\s+(?:is|equals|gives|makes|yields)\s+(?=-?\d)", re.IGNORECASE)


# prose that states an equation: "x is 5", "3x equals 15", "20 - 5 is equal to 15"
_WORDS = re.compile(
    r"(?<=(?<![A-Za-z])[A-Za-z])\s+is\s+(?=-?\s*\(*\d)|(?<=[\w)])\s+(?:equals|is equal to|is equivalent to)\s+(?=-?\s*\(*[\w])"
)


def _latex(line: str) -> str:
    line = _TEXT.sub(lambda m: f" ; {m.group(1)} ; ", line)
    line = _MIXED.sub(f" {APART} ", line)
    for _ in range(8):  # innermost first: \frac{\frac{1}{2}}{3}
        new = _WRAP.sub(r" \1 ", _FRAC.sub(r"((\1)/(\2))", line))
        if new == line:
            break
        line = new
    line = _ARROWS.sub(" ; ", line)
    line = _SPACES.sub(" ", line)
    line = line.replace("\\\\", " ; ")
    line = re.sub(r"\\[()\[\]]|\$+", " ; ", line)
    for a, b in _COMMANDS:  # before unknown commands are marked
        line = line.replace(a, b)
    # any other command (\sqrt, \pi, \log...) is math the toolkit does not read: a mark that no statement or
    # value reads through, so what it touches is never taken for something else (\sqrt{25} is not 25)
    line = re.sub(r"\\[A-Za-z]+", " ¿ ", line)
    return line.replace("{", "(").replace("}", ")")


@dataclass(frozen=True)
class Number:
    """One number of a line: where it is and how it is written. ``signed``: it carries a unary minus
    (``= -3``, ``(-2)``), which belongs to the number (a binary minus, ``20 - 5``, does not)."""

    begin: int
    stop: int
    text: str
    signed: bool

    def start(self) -> int:
        return self.begin

    def end(self) -> int:
        return self.stop

    def group(self) -> str:
        return self.text


_OPERAND_END = re.compile(r"[\w)\]}|.]")


def _numbers(text: str, start: int) -> list[Any]:
    """The numbers of ``text``; a fraction not in lowest terms (``15/3``, ``12/4``, ``8/1``) is a division of two
    numbers, each with its own provenance, not one value (``x = 15/3 = 5`` adapts as ``x = 12/3 = 4``)."""
    out: list[Any] = []
    for m in NUMBER.finditer(text, start):
        num, slash, den = m.group().partition("/")
        if slash and "." not in num and (int(den) in (0, 1) or gcd(int(num), int(den)) != 1):
            out.append(Number(m.start(), m.start() + len(num), num, False))
            out.append(Number(m.end() - len(den), m.end(), den, False))
        else:
            out.append(m)
    return out


def signed_numbers(text: str, start: int = 0, hidden: Sequence[tuple[int, int]] = ()) -> list[Number]:
    """The numbers of ``text`` from ``start`` on, each with its unary minus when it has one."""
    out: list[Number] = []
    for m in _numbers(text, start):
        if any(a <= m.start() < b for a, b in hidden):
            continue
        i = m.start() - 1
        while i >= start and text[i] in " \t":
            i -= 1
        if i >= start and text[i] in "-−":
            j = i - 1
            while j >= start and text[j] in " \t":
                j -= 1
            if j < start or not _OPERAND_END.match(text[j]):
                out.append(Number(i, m.end(), text[i : m.end()], True))
                continue
        out.append(Number(m.start(), m.end(), m.group(), False))
    return out


def number_spans(text: str, names: Names = Names()) -> list[Number]:
    """The numbers of ``text`` in order, outside its layout label and outside names (``t1``, ``x_{2}``)."""
    hidden: list[tuple[int, int]] = []
    for name, _ in names.pairs:
        hidden.extend(m.span() for m in pattern(name).finditer(text))
    hidden.extend(m.span() for m in _NAME_TOKEN.finditer(text))
    return signed_numbers(text, label_end(text), hidden)


_TOKEN = re.compile(r"\d+(?:\.\d+)?|[A-Za-z]+|[+\-*/^()=]|\S")
_MATH_OP = set("+-*/^()=")


def statements(view: str) -> list[str]:
    """Every run of math tokens in ``view`` holding at least one '=' (chains ``a = b = c`` included)."""
    out: list[str] = []
    run: list[re.Match[str]] = []

    def flush() -> None:
        while run and (run[0].group() in "+*/^=)" or _lone_word(run, 0)):
            run.pop(0)
        while run and run[-1].group() in "+-*/^=(":
            run.pop()
        toks = [m.group() for m in run]
        if "=" in toks and any(t.isalpha() or t[0].isdigit() for t in toks):
            out.append(view[run[0].start() : run[-1].end()])
        run.clear()

    for m in _TOKEN.finditer(view):
        tok = m.group()
        if tok[0].isdigit() or tok in _MATH_OP or (tok.isalpha() and len(tok) == 1):
            run.append(m)
        else:
            flush()
    flush()
    return out


def _lone_word(run: list[re.Match[str]], i: int) -> bool:
    """A single letter at the start of a run followed by no math is an article or a label ("a", "x:")."""
    if not run[i].group().isalpha():
        return False
    if i + 1 >= len(run):
        return True
    nxt = run[i + 1].group()
    return not (nxt in _MATH_OP or nxt[0].isdigit())
