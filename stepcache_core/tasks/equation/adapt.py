"""Adapting cached solution steps to a new equation of the same structure, without the model."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction
from typing import Any

from ...errors import InvalidEquationError
from ...values import Step
from ..base import AdaptContext
from .carry import root_doubt
from .expr import find_equation, format_exact, format_number, linear_form, parse_side, to_fraction
from .notation import label_end, math_view, number_spans, pattern, signed_numbers, statements
from .parse import EquationProblem, equation_shape
from .verify import answer_spans, final_answer

__all__ = ["EquationAdapter"]


_OPS = ("-", "+", "/", "*")


def _apply(op: str, a: Fraction, b: Fraction) -> Fraction | None:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    return a / b if b != 0 else None


class EquationAdapter:
    """Re-evaluates each cached step's arithmetic under the new constants and renames the variable.

    Works when both equations have one shape. A pool maps each number of the
    old solution to its value under the new constants: first the constants
    themselves, then every number explained as one operation on numbers already
    in the pool (``15 = 20 - 5`` gives ``new 20 - new 5``). An equation step
    whose rewritten form is no longer equivalent to the new equation gets its
    last number solved for instead (``x = 5`` becomes ``x = 13/3``); a number
    that cannot be placed leaves the step as it was, and verification then
    sends it to patching.
    """

    def adapt(self, old: EquationProblem, new: EquationProblem, steps: Sequence[Step], ctx: AdaptContext) -> list[Step]:
        if new.degree > 1 and old.degree == new.degree and len(new.unknowns) == len(old.unknowns) == 1:
            return self._adapt_roots(old, new, steps)
        if old.shape != new.shape or len(old.constants) != len(new.constants) or new.degree != 1:
            return list(steps)
        try:
            pool = [(Fraction(a), Fraction(b)) for a, b in zip(old.constants, new.constants)]
        except ValueError:
            return list(steps)
        if all(a == b for a, b in pool) and old.name == new.name:
            return list(steps)
        if any(a == c and b != d for i, (a, b) in enumerate(pool) for c, d in pool[i + 1 :]) and any(
            re.search(r"[^\W\d_]{3,}", step.text) for step in steps
        ):
            # "5x + 5 = 30" for "3x + 7 = 22": a 5 the steps say in words ("Divide by 5") may be either constant,
            # and which one no check of the equations reads (a step that is an equation is checked whole); the
            # steps stay as they were, for verification to judge
            return list(steps)
        decimal = any("." in c for c in new.constants)
        doubt = root_doubt(old, new, steps)  # served once an answer of the model wrote the root so
        out: list[Step] = []
        for step in steps:
            text = self._rewrite(step.text, old, new, pool, decimal)
            if text is None or text == step.text:
                out.append(step)
            else:
                out.append(replace(step, text=text, origin="adapted", doubt=doubt))
        return out

    @staticmethod
    def _adapt_roots(old: EquationProblem, new: EquationProblem, steps: Sequence[Step]) -> list[Step]:
        """Non-linear equations: a step restating the old equation states the new one, and the
        answer line lists the new equation's exact roots (solved, never guessed); other steps stay
        as they were for verification to judge."""
        old_eq = old.written.replace(" ", "")
        out: list[Step] = []
        for step in steps:
            text = rename(step.text, old, new)
            eq = find_equation(text)
            answer = final_answer(math_view(step.text, old.names).strip(), old.variable)
            if eq is not None and eq.replace(" ", "") == old_eq.replace(old.name, new.name):
                text = text.replace(eq, new.written)
            elif answer is not None and len(answer) == len(old.solutions) and new.solutions:
                lead = step.text[: label_end(step.text)]
                tail = step.text[len(step.text.rstrip()) :]
                text = lead + ", ".join(f"{new.name} = {format_exact(r)}" for r in sorted(new.solutions, key=_order)) + tail
            out.append(step if text == step.text else replace(step, text=text, origin="adapted"))
        return out

    def _rewrite(
        self, text: str, old: EquationProblem, new: EquationProblem, pool: list[tuple[Fraction, Fraction]], decimal: bool
    ) -> str | None:
        text = rename(text, old, new)
        view = math_view(text, new.names)
        runs = statements(view)
        eq = max(runs, key=len) if runs else None  # the line's main statement (a chain "a = b = c" included)
        eq_start = view.find(eq) if eq is not None else -1
        restated = eq is not None and eq.count("=") == 1 and equation_shape(eq, new.variable)[0] == new.shape
        matches = number_spans(text, new.names)
        in_view = signed_numbers(view)
        if len(in_view) != len(matches) or any(_literal(a.group()) != _literal(b.group()) for a, b in zip(matches, in_view)):
            return None  # the view does not keep this line's numbers in order: leave it to verification
        olds = [_literal(m.group()) for m in matches]
        answers = answer_spans(text)
        roots = (
            (to_fraction(old.solutions[0]), to_fraction(new.solutions[0]))
            if len(old.solutions) == len(new.solutions) == 1
            else None
        )
        options: list[list[Fraction]] = []
        k = 0
        for m, vm, value in zip(matches, in_view, olds):
            in_eq = eq is not None and eq_start <= vm.start() < eq_start + len(eq)
            if restated and in_eq and k < len(new.constants):
                options.append([Fraction(new.constants[k])])
                k += 1
            elif roots is not None and roots[0] == value and roots[1] is not None and any(a <= m.start() < b for a, b in answers):
                options.append([roots[1]])  # a bare final answer ("\\boxed{5}", "the answer is 5") is the root
            else:
                explained = self._explain(value, pool)
                if roots is not None and roots[0] == abs(value) and roots[1] is not None:
                    # the old root is a source too ("so 4 times 3 is 12" checks x = 3): it competes with the
                    # constants of equal value, and only the line's statements can tell them apart
                    root = roots[1] if value >= 0 else -roots[1]
                    explained = explained + [root] if root not in explained else explained
                options.append(explained)
        news: list[Fraction | None] = [o[0] if o else None for o in options]
        if eq is not None and not self._equivalent(text, matches, news, new, decimal):
            # a number with several explanations (two constants of equal value, a constant equal to the root):
            # try the combinations; two that both hold but read differently mean the line's numbers could come
            # from either source, and a guess could serve a true but meaningless line: leave it to verification
            found = None
            ambiguous = [i for i, o in enumerate(options) if len(o) > 1]
            if ambiguous and all(options):
                for combo in itertools.islice(itertools.product(*options), 64):
                    if self._equivalent(text, matches, list(combo), new, decimal):
                        if found is not None and self._stated(text, matches, list(combo), new, decimal) != self._stated(
                            text, matches, found, new, decimal
                        ):
                            return None
                        found = found or list(combo)
            if found is not None:
                news = list(found)
            else:
                eq_idx = [i for i, m in enumerate(in_view) if eq_start <= m.start() < eq_start + len(eq)]
                single = len(runs) == 1 and eq.count("=") == 1
                solved = self._solve_slot(text, matches, news, eq_idx, new, decimal) if eq_idx and single else None
                if solved is None:
                    return None
                news = solved
        if any(v is None for v in news):
            return None
        for a, b in zip(olds, news):
            assert b is not None
            if all(a != p for p, _ in pool):
                pool.append((a, b))
        return self._render(text, matches, news, decimal)

    @staticmethod
    def _explain(value: Fraction, pool: list[tuple[Fraction, Fraction]]) -> list[Fraction]:
        """New values the old number may stand for, most likely first (direct, negated, one operation)."""
        found: list[Fraction] = []

        def add(v: Fraction | None) -> None:
            if v is not None and v not in found:
                found.append(v)

        for old, new in reversed(pool):
            if old == value:
                add(new)
        for old, new in reversed(pool):
            if old == -value:
                add(-new)
        for op in _OPS:
            for oa, na in reversed(pool):
                for ob, nb in reversed(pool):
                    r = _apply(op, oa, ob)
                    if r is not None and abs(r) == value:
                        n = _apply(op, na, nb)
                        if n is not None:
                            add(n if r == value else -n)
        return found[:6]

    def _equivalent(
        self, text: str, matches: list[Any], news: list[Fraction | None], new: EquationProblem, decimal: bool
    ) -> bool:
        if any(v is None for v in news):
            return False
        candidate = self._render(text, matches, news, decimal)
        runs = statements(math_view(candidate, new.names))
        return bool(runs) and all(_links_hold(run, new) for run in runs)

    def _stated(
        self, text: str, matches: list[Any], news: Sequence[Fraction | None], new: EquationProblem, decimal: bool
    ) -> list[str]:
        """The statements a rendering makes (numbers elsewhere in the line, "divide by 3", are prose)."""
        return statements(math_view(self._render(text, matches, list(news), decimal), new.names))

    def _solve_slot(
        self, text: str, matches: list[Any], news: list[Fraction | None], eq_idx: list[int], new: EquationProblem, decimal: bool
    ) -> list[Fraction | None] | None:
        slot_name = "q" if new.variable == "s" else "s"
        for slot in reversed(eq_idx):
            trial = list(news)
            if any(v is None for i, v in enumerate(trial) if i != slot):
                continue
            marker = Fraction(7919, 7907)  # an unlikely value, replaced by a symbol below
            trial[slot] = marker
            rendered = self._render(text, matches, trial, False)
            eq = find_equation(math_view(rendered, new.names))
            if eq is None:
                continue
            placeholder = format_number(marker)
            eq_sym = eq.replace(f"({placeholder})", f" {slot_name} ").replace(placeholder, f" {slot_name} ")
            if f" {slot_name} " not in eq_sym:
                continue
            root = new.solutions[0]
            substituted = re.sub(rf"(?<![A-Za-z]){re.escape(new.variable)}(?![A-Za-z])", f"({format_exact(root)})", eq_sym)
            form = linear_form(substituted, slot_name)
            if form is None or form[0] == 0:
                continue
            trial[slot] = -form[1] / form[0]
            if self._equivalent(text, matches, trial, new, decimal):
                return trial
        return None

    def _render(self, text: str, matches: list[Any], news: list[Fraction | None], decimal: bool) -> str:
        pieces: list[str] = []
        last = 0
        for m, value in zip(matches, news):
            pieces.append(text[last : m.start()])
            # a number the cached answer wrote as a decimal is written as one when the new value has an exact one
            written = decimal or "." in m.group()
            pieces.append(m.group() if value is None else _place(text, m, value, written, pieces))
            last = m.end()
        pieces.append(text[last:])
        return "".join(pieces)


def rename(text: str, old: EquationProblem, new: EquationProblem) -> str:
    """``text`` with the old variable's name written as the new one's, in each occurrence's own spelling
    (``x_{2}`` stays braced, ``\\theta`` stays a command)."""
    if old.name == new.name:
        return text
    return pattern(old.name).sub(lambda m: respell(m.group(), new.name), text)


def respell(written: str, name: str) -> str:
    """``name`` in the spelling style of ``written``."""
    if "{" in written and "_" in name:
        base, _, sub = name.partition("_")
        return f"{base}_{{{sub}}}"
    if written.startswith("\\"):
        from .notation import latex_name

        return latex_name(name)
    return name


def _in_frac(text: str, m: Any) -> bool:
    """The number sits in a ``\\frac{}{}`` slot: a fraction there is written as a plain ``p/q``."""
    before = text[: m.start()]
    return bool(re.search(r"\\[dt]?frac\s*\{[^{}]*$|\\[dt]?frac\s*\{[^{}]*\}\s*\{[^{}]*$", before))


def _order(root: Any) -> tuple[int, float, str]:
    """Real roots ascending, then any others in a fixed order."""
    try:
        return (0, float(root), "")
    except TypeError:
        return (1, 0.0, str(root))


def _literal(text: str) -> Fraction:
    text = text.replace("−", "-").replace(" ", "").replace("\t", "")
    num, _, den = text.partition("/")
    return Fraction(num) / (Fraction(den) if den and Fraction(den) != 0 else 1)


def _holds(eq: str, problem: EquationProblem) -> bool:
    import sympy

    fast = linear_form(eq, problem.variable)
    if fast is not None and len(problem.unknowns) == 1:
        a, b = fast
        root = problem.solutions[0]
        return a != 0 and -b / a == Fraction(int(root.p), int(root.q))
    try:
        left, right = eq.split("=")
        diff = parse_side(left) - parse_side(right)
    except (InvalidEquationError, ValueError):
        return False
    x = sympy.Symbol(problem.variable)
    if not diff.has(x):
        return False
    try:
        if sympy.Poly(sympy.expand(diff), x).degree() != 1:
            return False
    except sympy.PolynomialError:
        return False
    return all(sympy.expand(diff.subs(x, r)) == 0 for r in problem.solutions)


def _links_hold(run: str, problem: EquationProblem) -> bool:
    """Every link of a statement holds for the new problem: ``4x = 27 - 7 = 20``."""
    parts = [p.strip() for p in run.split("=")]
    for a, b in zip(parts, parts[1:]):
        if not a or not b:
            return False
        if re.search(r"[A-Za-z]", a + b):
            if not _holds(f"{a} = {b}", problem):
                return False
        else:
            try:
                if parse_side(a) != parse_side(b):
                    return False
            except InvalidEquationError:
                return False
    return True


_LATEX_LINE = re.compile(r"\\[(\[]|\$|\\[dt]?frac|\\boxed|\\begin|&=")


def _place(text: str, m: Any, value: Fraction, decimal: bool, pieces: list[str]) -> str:
    if getattr(m, "signed", False):  # "= -3": the minus belongs to the number; a positive value drops it
        body = _place_unsigned(text, m, abs(value), decimal, pieces)
        return body if value >= 0 else f"-{body}"
    return _place_unsigned(text, m, value, decimal, pieces)


def _place_unsigned(text: str, m: Any, value: Fraction, decimal: bool, pieces: list[str]) -> str:
    s = format_number(abs(value), decimal=decimal)
    if value.denominator != 1 and "." not in s and _LATEX_LINE.search(text) and not _in_frac(text, m):
        frac = f"\\frac{{{abs(value.numerator)}}}{{{value.denominator}}}"
        return frac if value > 0 else f"-{frac}"
    before = "".join(pieces).rstrip()
    prev = "" if before.endswith("**") else before[-1:]  # markdown bold is not a product
    rest = text[m.end() :].lstrip()
    nxt = "" if rest.startswith("**") else rest[:1]
    if value.denominator != 1 and "." not in s and (prev in ("*", "/", "^") or nxt.isalpha() or (nxt != "" and nxt in "(*/^")):
        s = f"({s})"
    if value >= 0:
        return s
    chunk = pieces[-1] if pieces else ""
    if prev in ("-", "+") and chunk.rstrip().endswith(prev):
        idx = len(chunk.rstrip()) - 1
        pieces[-1] = chunk[:idx] + ("+" if prev == "-" else "-") + chunk[idx + 1 :]
        return s
    if prev in ("*", "/", "^") or nxt.isalpha() or nxt == "(":
        return f"(-{s})"
    return f"-{s}"
