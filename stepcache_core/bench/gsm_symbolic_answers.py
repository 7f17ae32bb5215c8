"""The GSM-Symbolic workload's answers (issue 22): the two styles a scripted model writes a worked solution in
(GSM8K's own, or as chat models write), its slips (a wrong product or sum, a skipped step), and the judge that
reads a served answer's final number."""

from __future__ import annotations

import ast
import operator
import re
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction

__all__ = [
    "STYLES",
    "Slip",
    "chat",
    "final_number",
    "is_correct",
    "parse_number",
    "reference_of",
    "render",
    "slip",
    "style_of",
    "text_hash",
]

STYLES = ("gsm8k", "chat")


# ---------------------------------------------------------------------------------------------- answer styles
def text_hash(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def style_of(template: int) -> str:
    """The style a template's answers are written in, fixed per template."""
    return STYLES[text_hash(f"style:{template}") % len(STYLES)]


_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_ANNOTATION = re.compile(rf"(?P<cur>\$?)<<(?P<expr>[^=<>]+)=(?P<res>[^<>]+)>>(?P<shown>-?{_NUM})?")
_STATED = re.compile(rf"(?<![\w.,/])(?P<pre>{_NUM}(?:\s*[-+*/]\s*{_NUM})+)\s*=\s*" + _ANNOTATION.pattern)
_TIMES, _DOLLAR = "\\times", "\\$"


def _math(expr: str, currency: str, result: str) -> str:
    """A computation as chat models write it: ``$a \\times b = c$``, or ``a ÷ b = c`` for a division."""
    if "/" in expr:
        return f"{_spaced(expr, '×', '÷')} = {currency}{result}"
    return f"${_spaced(expr, _TIMES, '/')} = {_DOLLAR if currency else ''}{result}$"


def _chat_line(line: str) -> str:
    """A GSM8K line as chat models write it: no calculator annotations, computations as math (:func:`_math`),
    ``×`` and ``÷`` in the prose's own."""

    def stated(m: re.Match[str]) -> str:  # "4*80=<<4*80=320>>320"
        return _math(m.group("pre"), m.group("cur"), m.group("shown") or m.group("res"))

    def annotation(m: re.Match[str]) -> str:
        shown = m.group("shown") or m.group("res")
        if re.search(r"=\s*$", m.string[: m.start()]):  # "40 inches * 6 remoras = <<40*6=240>>240": stated in words
            return f"{m.group('cur')}{shown}"
        return _math(m.group("expr"), m.group("cur"), shown)

    text = _ANNOTATION.sub(annotation, _STATED.sub(stated, line))
    text = re.sub(r"(?<=[\d%)])\s*\*\s*(?=[\d(])|\s\*\s", " × ", text)
    return re.sub(r"(?<=\d)\s+/\s+(?=\d)", " ÷ ", text)


def _spaced(expr: str, times: str, divide: str) -> str:
    signs = {"*": times, "/": divide}
    return re.sub(r"\s*([-+*/])\s*", lambda m: f" {signs.get(m.group(1), m.group(1))} ", expr).strip()


def chat(answer: str, *, boxed: bool) -> str:
    """A GSM8K worked solution rewritten as chat models write it: markdown bullets, ``\\times`` and ``÷``, ``$...$``
    math, and a final "The answer is N." or ``\\boxed{N}`` instead of ``#### N``."""
    body, _, final = answer.rpartition("####")
    final = final.strip()
    steps = [f"- {_chat_line(line.strip())}" for line in body.splitlines() if line.strip()]
    last = f"**Final answer:** $\\boxed{{{final}}}$" if boxed else f"The answer is {final}."
    return "\n".join(["Let's solve this step by step.", "", *steps, "", last])


def render(answer: str, template: int) -> str:
    if style_of(template) == "gsm8k":
        return answer
    return chat(answer, boxed=text_hash(f"final:{template}") % 2 == 1)


# ------------------------------------------------------------------------------------------------------ slips
@dataclass(frozen=True)
class Slip:
    """A model's slip in a worked solution: ``wrong_result`` (a product or sum off, what follows it re-derived from
    the wrong value), ``skipped_step`` (a step left out, its input used in place of its result) or ``wrong_final``
    (the last result off, when neither changes the final answer). ``line``: the line slipped."""

    kind: str
    line: int
    final: Fraction | None


_NUMBER = re.compile(rf"(?<![\w.,]){_NUM}(?!\w)")
_PLAIN = re.compile(rf"(?<![\w.,/$]){_NUM}(?:\s*[-+*/]\s*{_NUM})+\s*=\s*{_NUM}(?![\w/]|\.\d)")


@dataclass(frozen=True)
class _Calc:
    expr: str
    res_start: int
    res_end: int
    end: int

    def result(self, line: str) -> Fraction | None:
        return parse_number(line[self.res_start : self.res_end])


def _calcs(line: str) -> list[_Calc]:
    """The computations of a line: ``<<expr=res>>`` annotations, then plain ``a * b = c`` outside them."""
    found = [_Calc(m.group("expr"), m.start("res"), m.end("res"), m.end("res") + 2) for m in _ANNOTATION.finditer(line)]
    spans = [(m.start(), m.end()) for m in _ANNOTATION.finditer(line)]
    for m in _PLAIN.finditer(line):
        if not any(a < m.end() and m.start() < b for a, b in spans):
            expr, _, res = m.group(0).rpartition("=")
            found.append(_Calc(expr, m.end() - len(res.lstrip()), m.end(), m.end()))
    return sorted(found, key=lambda c: c.res_start)


_OPS: dict[type[ast.operator], Callable[[Fraction, Fraction], Fraction]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


def _evaluate(expr: str) -> Fraction | None:
    """``expr`` (numbers, ``+ - * /``, parentheses) exactly; ``None`` for anything else."""

    def ev(node: ast.expr) -> Fraction:
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return Fraction(str(node.value))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -ev(node.operand)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return Fraction(_OPS[type(node.op)](ev(node.left), ev(node.right)))
        raise ValueError(ast.dump(node))

    try:
        return ev(ast.parse(expr.replace(",", "").strip(), mode="eval").body)
    except (SyntaxError, ValueError, ZeroDivisionError):
        return None


def _show(value: Fraction, commas: bool) -> str:
    """A value as a model writes it: an integer (with thousands separators where the number it replaces had them),
    a terminating decimal in full, anything else to two places."""
    if value.denominator == 1:
        return f"{value.numerator:,}" if commas else str(value.numerator)
    d = value.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    return f"{float(value):.6f}".rstrip("0") if d == 1 else f"{float(value):.2f}"


def _renumber(line: str, mapping: Mapping[Fraction, Fraction]) -> str:
    def swap(m: re.Match[str]) -> str:
        value = parse_number(m.group(0))
        return _show(mapping[value], "," in m.group(0)) if value is not None and value in mapping else m.group(0)

    return _NUMBER.sub(swap, line)


def _rederive(line: str, mapping: dict[Fraction, Fraction]) -> str:
    """``line`` with the values of ``mapping`` replaced and its computations re-derived from them (a result that
    changes joins ``mapping``, for the lines after)."""
    new = line
    for _ in range(len(_calcs(line)) + 1):
        new = _renumber(line, mapping)
        grown = False
        for old, now in zip(_calcs(line), _calcs(new)):
            value, stated = _evaluate(now.expr), old.result(line)
            if value is not None and stated is not None and value != mapping.get(stated, stated):
                mapping[stated] = value
                grown = True
        if not grown:
            break
    return new


def _slipped(lines: list[str], kind: str, at: int, calc: _Calc) -> list[str]:
    line = lines[at]
    result = calc.result(line) or Fraction(0)
    mapping: dict[Fraction, Fraction] = {}
    if kind == "skipped_step":
        first = parse_number(re.findall(_NUM, calc.expr)[0])
        mapping[result] = first if first is not None else result
        return lines[:at] + [_rederive(rest, mapping) for rest in lines[at + 1 :]]
    product = "*" in calc.expr
    step = parse_number(re.findall(_NUM, calc.expr)[0]) if product else Fraction(10)
    wrong = result + (step or 1)
    mapping[result] = wrong
    head = line[: calc.res_start] + _show(wrong, "," in line[calc.res_start : calc.res_end]) + line[calc.res_end : calc.end]
    return lines[:at] + [head + _rederive(line[calc.end :], mapping)] + [_rederive(rest, mapping) for rest in lines[at + 1 :]]


def slip(answer: str, key: str) -> tuple[str, Slip]:
    """``answer`` (GSM8K style) with one slip, chosen by ``key``; its final answer always differs from the right one."""
    lines = answer.splitlines()
    right = reference_of(answer)
    calcs = [(i, c) for i, line in enumerate(lines) if not line.startswith("####") for c in _calcs(line)]
    h = text_hash(key)
    tries: list[tuple[str, int, _Calc]] = []
    if calcs:
        steps = sorted({i for i, _ in calcs})
        if len(steps) >= 2 and h % 3 == 0:
            at = steps[h // 3 % (len(steps) - 1)]
            tries.append(("skipped_step", at, next(c for i, c in calcs if i == at)))
        sums = [(i, c) for i, c in calcs if re.search(r"[*+]", c.expr)] or calcs
        i, c = sums[h // 7 % len(sums)]
        tries += [("wrong_result", i, c), ("wrong_result", *calcs[-1])]
    for kind, at, calc in tries:
        text = "\n".join(_slipped(lines, kind, at, calc))
        final = reference_of(text)
        if final is not None and final != right:
            return text, Slip(kind, at, final)
    # the last result off: the last statement of the final answer in the steps, and the final line
    wrong = (right or Fraction(0)) + 1
    at = max((i for i, line in enumerate(lines[:-1]) if right in _numbers(line)), default=len(lines) - 1)
    last = list(_NUMBER.finditer(lines[at]))[::-1]
    m = next((m for m in last if parse_number(m.group(0)) == right), None)
    if m is not None:
        lines[at] = lines[at][: m.start()] + _show(wrong, "," in m.group(0)) + lines[at][m.end() :]
    text = re.sub(r"^####.*$", f"#### {_show(wrong, False)}", "\n".join(lines), flags=re.M)
    return text, Slip("wrong_final", at, wrong)


def _numbers(line: str) -> set[Fraction | None]:
    return {parse_number(m.group(0)) for m in _NUMBER.finditer(line)}


# ------------------------------------------------------------------------------------------------------ judge
_FRACTION = re.compile(r"^(-?\d+(?:\.\d+)?)(?:/(\d+(?:\.\d+)?))?$")


def parse_number(text: str) -> Fraction | None:
    m = _FRACTION.match(re.sub(r"[\s,$€£%\\]|\*\*", "", text).rstrip("."))
    if m is None:
        return None
    value = Fraction(m.group(1))
    return value / Fraction(m.group(2)) if m.group(2) and Fraction(m.group(2)) else value


_FINAL_NUM = r"-?\s*\\?[$€£]?\s*(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:/\d+)?"
_FINALS = (
    re.compile(rf"####\s*(?P<n>{_FINAL_NUM})"),
    re.compile(rf"\\boxed\{{\s*(?:\\text\{{[^{{}}]*\}}\s*)?(?P<n>{_FINAL_NUM})"),
    re.compile(rf"(?i)\banswer\b(?:\s+is)?\s*:?\**\s*(?:\$\s*)?(?P<n>{_FINAL_NUM})"),
)
_ANY_NUM = re.compile(rf"(?<![\w.]){_FINAL_NUM}")


def reference_of(answer: str) -> Fraction | None:
    """The number on a worked solution's ``#### N`` line."""
    found = re.findall(r"^####\s*(\S+)\s*$", answer, re.M)
    return parse_number(found[-1]) if found else None


def final_number(text: str) -> Fraction | None:
    """The answer a text gives: the last ``#### N``, ``\\boxed{N}`` or "the answer is N" (whichever comes last),
    else its last number. Money, thousands separators and percent signs are read; ``\\frac{a}{b}`` too."""
    text = re.sub(r"\\[dt]?frac\{(\d+)\}\{(\d+)\}", r"\1/\2", text)
    stated = [(m.start(), m.group("n")) for pattern in _FINALS for m in pattern.finditer(text)]
    if stated:
        return parse_number(max(stated)[1])
    numbers = _ANY_NUM.findall(text)
    return parse_number(numbers[-1]) if numbers else None


def is_correct(text: str | None, reference: Fraction) -> bool:
    """Judged from the served text alone: its final number equals the reference exactly."""
    return text is not None and final_number(text) == reference
