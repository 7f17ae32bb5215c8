"""Parsing an equation request: the problem it states, its structure (shape and constants) and detection."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from ...errors import InvalidEquationError
from ...values import Request
from ..template import SLOT_MARK, canonical_ask, fold_whitespace, persona_only
from .expr import TOKEN, find_equation_span, linear_form, parse_equation, variable_hint
from .notation import APART, Names, math_view

__all__ = ["EquationProblem", "parse_problem", "detect", "equation_shape", "read_prompt", "request_template"]


@dataclass(frozen=True)
class EquationProblem:
    """A parsed equation request.

    ``constants`` are the numeric literals of the equation in order, ``shape``
    the equation with numbers as ``N`` and the variable as ``V``: two requests
    with one shape differ only in constants and the variable's name.
    """

    equation: str
    variable: str
    unknowns: tuple[str, ...]
    degree: int
    var_both_sides: bool
    solutions: tuple[Any, ...]
    constants: tuple[str, ...]
    shape: str
    prompt: str
    names: Names = Names()
    """Variables written as names (``t1``, ``rate``, ``θ``): ``equation`` and ``variable`` use their placeholders."""
    template: str = ""
    """The request besides its equation and variable (see :func:`request_template`): reuse needs equal templates."""
    solves: bool = True
    """The request only asks to solve its equation: the task's patches and solver answer it. When it asks more
    ("what is 3x - 1?", "round to one decimal"), an answer that fails verification is the model's own."""

    @property
    def name(self) -> str:
        """The variable as the request writes it."""
        return self.names.name(self.variable)

    @property
    def written(self) -> str:
        """The equation as the request writes it (names restored)."""
        return self.names.restore(self.equation)


_DETECT = re.compile(r"\b(solve|solving|equation|find|what|value|determine|calculate|compute|given|satisf\w*)\b", re.IGNORECASE)
# the same asks in other languages (French, German, Spanish, Portuguese, Italian, Russian; Chinese and Japanese
# have no word boundaries): an equation with one of these words around it is a request to solve it. The words
# are not folded into the canonical ask (``_SOLVE_WORDS``): an answer cached for one language is reused only
# for a request in the same words
_DETECT_OTHER = re.compile(
    r"\b(r[ée]sou(?:s|dre|dez|t)|trouve[rz]?|d[ée]termine[rz]?|calcule[rz]?|[ée]quation|valeur|"
    r"l[öo]se|l[öo]sen|l[öo]st|finde|bestimme|berechne|gleichung|"
    r"resuelv[ae]|resolver|resolva|resolve|despej[ae]|encuentr[ae]|hall[ae]|ecuaci[óo]n|valor|encontre|calcul[ae]|equa[çc][ãa]o|"
    r"risolv[ie]|risolvere|trova|equazione|valore|"
    r"реши(?:те|ть)?|найди(?:те)?|уравнени[ея]|значение|вычисли(?:те)?)\b"
    r"|求解|解方程|方程|求出|解け|解いて|解きなさい|方程式|求めよ|求めて|求めなさい",
    re.IGNORECASE,
)


def equation_shape(equation: str, variable: str) -> tuple[str, tuple[str, ...]]:
    shape: list[str] = []
    constants: list[str] = []
    toks = TOKEN.findall(equation.replace("−", "-"))
    for i, tok in enumerate(toks):
        if (
            tok == "-"
            and i + 1 < len(toks)
            and toks[i + 1][0].isdigit()
            and (i == 0 or toks[i - 1] in ("=", "(", "+", "-", "*", "/", "^"))
        ):
            continue  # a unary minus belongs to the constant after it: "= -1" has the shape of "= 20"
        if tok[0].isdigit():
            shape.append("N")
            constants.append(
                f"-{tok}"
                if i > 0 and toks[i - 1] == "-" and (i == 1 or toks[i - 2] in ("=", "(", "+", "-", "*", "/", "^"))
                else tok
            )
        elif tok == variable:
            shape.append("V")
        elif tok.isalpha():
            # letter runs like "3xy" keep their letters; the variable alone maps to V
            shape.append("".join("V" if ch == variable else ch for ch in tok))
        else:
            shape.append(tok)
    return " ".join(shape), tuple(constants)


# a multi-letter unknown the request names ("solve for rate", "find t1"); it counts only if the equation holds it
# (and in the other languages' asks: "pour rate", "nach rate auf", "para rate", "per rate", "относительно rate",
# "求解 rate", "rate について")
_NAMED = re.compile(
    r"(?:\b(?:for|find|solve for|value of|pour|nach|para|per|für|von|относительно)\s+|(?:求解|求)\s*)\\?\(?\s*"
    r"([A-Za-z\\][A-Za-z0-9_{}\\]+)",
    re.IGNORECASE,
)
_NAMED_BEFORE = re.compile(r"(?<![A-Za-z0-9_])([A-Za-z][A-Za-z0-9_]+)\s*(?:について|を求め)")
_NOT_NAMES = frozenset("x y z a b c n the all each an its this that which".split())


def _named(prompt: str) -> list[str]:
    found = [m.group(1) for pattern in (_NAMED, _NAMED_BEFORE) for m in pattern.finditer(prompt)]
    return [name for name in found if name.casefold() not in _NOT_NAMES]


def read_prompt(prompt: str) -> tuple[str, Names] | None:
    """The request's equation in the toolkit's notation, and the variable names it maps (``None``: no equation)."""
    found = _read(prompt)
    return None if found is None else (found[0], found[1])


def _read(prompt: str) -> tuple[str, Names, str, tuple[int, int]] | None:
    """``read_prompt`` plus the prompt's math view and where the equation stands in it."""
    names = Names.detect(prompt, prompt, _named(prompt))
    view = "\n".join(math_view(line, names) for line in prompt.splitlines())
    span = _equation_span(view)
    if span is None:
        return None
    equation = view[span[0] : span[1]]
    kept = tuple((n, ch) for n, ch in names.pairs if re.search(rf"(?<![A-Za-z]){ch}(?![A-Za-z])", equation))
    if len(kept) < len(names.pairs):
        # a word the ask named that the equation does not hold ("solve for real x") stays a word of the request:
        # as a placeholder letter, "real" and "integer" would read alike
        view = "\n".join(math_view(line, Names(kept)) for line in prompt.splitlines())
        span = _equation_span(view)
        if span is None:
            return None
        equation = view[span[0] : span[1]]
    return " ".join(equation.split()), Names(kept), view, span


def _equation_span(view: str) -> tuple[int, int] | None:
    """Where the request's equation stands in its math view; ``None`` when there is none, or when it runs into
    two numbers side by side ("x + 1 200 = 1 500", "x + 2 1/2 = 5", "3x + 5 = 20 (1)"): the equation found is then
    a piece of the one written (``x + 1``, ``1/2 = 5``, ``3x + 5 = 20`` beside its number), and read as the whole
    it would be reused for other numbers and solved for a value the request does not have. The model answers it."""
    span = find_equation_span(view)
    if span is None:
        return None
    before, after = view[: span[0]].rstrip(), view[span[1] :].lstrip()
    return None if before.endswith(APART) or after.startswith(APART) else span


# the words of asks that mean "solve this equation" and nothing else: an ask made of these alone (and the slots) is
# one canonical ask, so "Solve for x: ...", "Find x if ...", "What value of x satisfies ...?", "... Solve for x."
# are the same request, and "Question: ... Please explain it simply." another (see ``_LAYOUT_WORDS``); any other
# word (a digit, "round", "Spanish", "not", "only") must match
_SOLVE_WORDS = frozenset(
    """solve solving find work out determine calculate compute what which is the value values of for in if given
    that when where such equation satisfies satisfy satisfying please a an unknown variable get this following
    step steps by show your work working explain explaining help me how do i we can you could and it simply
    clearly carefully question problem exercise task""".split()
)
# the same asks in French, German, Spanish, Portuguese, Italian, Russian, Chinese and Japanese (CJK runs are one
# token: "について解きなさい")
_SOLVE_WORDS_OTHER = frozenset(
    """résous résoudre résolvez résout trouve trouvez trouver détermine déterminez calcule calculez pour la le les
    l'équation équation valeur de d'x inconnue s'il vous plaît löse löst lösen nach auf die der das gleichung
    finde finden bestimme bestimmen berechne berechnen wert von für bitte resuelve resuelva resolver despeja
    despejar encuentra halla calcula para el ecuación valor por favor resolva resolve a o equação encontre calcule
    risolvi risolvere per trova calcola l'equazione equazione il valore di реши решите решить уравнение
    относительно найди найдите значение вычисли 求解 解方程 求 方程 的 解 について解きなさい について解け について解いて
    解きなさい 方程式 を 解け""".split()
)
# the words of a "solve it" ask that say how the answer is laid out ("Show your work step by step.", "Explain
# clearly.", "How do I solve", "Help me solve"), each with its other forms: the ask still only solves, but the model
# writes its steps, or only the value, by them, so two asks are one only where they say the same of these
_LAYOUT_WORDS = {
    word: form
    for form, words in {
        "step": "step steps",
        "show": "show",
        "work": "work working",
        "explain": "explain explaining",
        "how": "how",
        "help": "help",
        "simply": "simply",
        "clearly": "clearly",
        "carefully": "carefully",
    }.items()
    for word in words.split()
}
# a question asked for a yes or no: a sentence that opens with a verb and ends with a question mark
_YES_OR_NO = re.compile(r"(?:^|[.!?:]\s+)(?:is|are|was|were|does|do|has|have)\b[^.!?]*\?", re.IGNORECASE)
EQ_SLOT, VAR_SLOT, SOLVE_ASK = SLOT_MARK.format("EQ"), SLOT_MARK.format("V"), SLOT_MARK.format("SOLVE")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


# the words of a "solve it" ask that ask for a value: an ask of "solve it" words with none of them, and no unknown
# named, asks something else of the equation ("What is the variable in", "Which equation is this", "What is the
# unknown"); a bare equation asks nothing else
_SOLVING = frozenset(
    """solve solving solved find work determine calculate compute value values satisfies satisfy satisfying get
    résous résoudre résolvez résout trouve trouvez trouver détermine déterminez calcule calculez valeur löse löst
    lösen finde finden bestimme bestimmen berechne berechnen wert resuelve resuelva resolver despeja despejar
    encuentra halla calcula valor resolva resolve encontre calcule risolvi risolvere trova calcola valore реши
    решите решить найди найдите значение вычисли 求解 解方程 求 解 について解きなさい について解け について解いて
    解きなさい 解け""".split()
)


def _asks_solving(ask: str) -> bool:
    words = [w.casefold() for w in re.findall(r"[^\W\d_][\w']*", ask.replace(EQ_SLOT, " ").replace(VAR_SLOT, " "))]
    return not words or VAR_SLOT in ask.replace(EQ_SLOT, " ") or any(w in _SOLVING for w in words)


# how a request writes its math, which a model mirrors in its steps: TeX delimiters and commands, a product's
# sign, the Unicode minus; two requests that write it otherwise are answered otherwise ("\\(3x = 15\\)", "4*x")
_NOTATION = re.compile(r"\$\$|\$|\\\(|\\\[|\\[a-zA-Z]+|[*×·⋅∙÷−]")


def notation(prompt: str) -> str:
    """The marks of ``prompt``'s math notation (``_NOTATION``), in a fixed order; ``""`` for plain text."""
    marks = sorted(set(_NOTATION.findall(prompt)))
    return f" [{' '.join(marks)}]" if marks else ""


@lru_cache(maxsize=4096)  # pure; a stored entry is parsed again by every lookup that meets it
def request_template(view: str, span: tuple[int, int], variable: str) -> tuple[str, bool]:
    """The request with its equation as ``⟨EQ⟩`` and its variable as ``⟨V⟩``, whitespace folded, and whether it
    only asks to solve the equation.

    The *ask* is the request from the sentence holding the equation on; what stands before it (a persona, "You
    are terse.") is context. An ask made only of "solve it" words (see ``_SOLVE_WORDS``) folds to ``⟨SOLVE⟩``
    and the words of it that say how the answer is laid out (``_LAYOUT_WORDS``: "Show your work step by step."),
    and the request only asks to solve when its context holds no math either. Everything else, numbers outside
    the equation included, is kept as written and must match for a reuse."""
    rest = view[: span[0]] + EQ_SLOT + view[span[1] :]
    rest = re.sub(rf"(?<![A-Za-z]){re.escape(variable)}(?![A-Za-z])", VAR_SLOT, rest)
    at = rest.index(EQ_SLOT)
    cut = max((m.end() for m in _SENTENCE_END.finditer(rest, 0, at)), default=0)
    context, ask = fold_whitespace(rest[:cut]), fold_whitespace(rest[cut:])
    folded = canonical_ask(ask, _SOLVE_WORDS, slots=(EQ_SLOT,), free=(VAR_SLOT,), canonical=SOLVE_ASK)
    if _YES_OR_NO.search(rest[cut:]):
        # "Is x a value?", "Is it an equation?": a yes or no, in "solve it" words, is no request to solve
        return fold_whitespace(rest), False
    if folded == SOLVE_ASK and not _asks_solving(ask):
        # "What is the variable in 2y + 5 = 11?", "Which equation is this:": "solve it" words that ask no value
        return fold_whitespace(rest), False
    if folded != SOLVE_ASK:
        # another language's "solve for x" keeps its own words (an answer is reused in the language it was asked
        # in), and still only asks to solve
        other = canonical_ask(ask, _SOLVE_WORDS | _SOLVE_WORDS_OTHER, slots=(EQ_SLOT,), free=(VAR_SLOT,), canonical=SOLVE_ASK)
        solves = other == SOLVE_ASK and _asks_solving(ask)
        return fold_whitespace(rest), solves and VAR_SLOT not in context and persona_only(context)
    # ("Work out y": solve it; "Show your working out": the steps)
    unworked = re.sub(r"(?<!\byour\s)\bwork(?:ing)?\s+out\b", " ", ask, flags=re.IGNORECASE)
    laid = sorted({_LAYOUT_WORDS[w] for word in re.findall(r"[^\W\d_]+", unworked) if (w := word.casefold()) in _LAYOUT_WORDS})
    layout = f" ({' '.join(laid)})" if laid else ""
    return f"{context} {SOLVE_ASK}{layout}".strip(), VAR_SLOT not in context and persona_only(context)


def parse_problem(request: Request) -> EquationProblem:
    found = _read(request.prompt)
    if found is None:
        raise InvalidEquationError("no equation with one '=' found in the prompt", equation=request.prompt[:80])
    equation, names, view, span = found
    hint = variable_hint(math_view(request.prompt, names))
    fast = _fast_problem(request, equation, hint, names)
    if fast is not None:
        template, solves = request_template(view, span, fast.variable)
        template += notation(request.prompt)
        return replace(fast, template=template, solves=solves and persona_only(request.context))
    info = parse_equation(equation, hint)
    shape, constants = equation_shape(equation, info.variable)
    template, solves = request_template(view, span, info.variable)
    template += notation(request.prompt)
    solves = solves and persona_only(request.context)  # a system prompt may set a condition ("modulo 7")
    # "Solve 2x + 3y = 12 for x", "2 x 3 + y = 10": a root in other letters is no value the task verifies, and
    # the letters may be no unknowns at all; the model's answer stands
    solves = solves and len(info.unknowns) == 1
    return EquationProblem(
        equation=equation,
        variable=info.variable,
        unknowns=info.unknowns,
        degree=info.degree,
        var_both_sides=info.var_both_sides,
        solutions=info.solutions,
        constants=constants,
        shape=shape,
        prompt=request.prompt,
        names=names,
        template=template,
        solves=solves,
    )


def _fast_problem(request: Request, equation: str, hint: str | None, names: Names) -> EquationProblem | None:
    """One unknown, degree one: solved with exact fractions, no sympy parse."""
    import sympy

    letters = {ch for ch in re.findall(r"[A-Za-z]", equation)}
    if len(letters) != 1 or (hint is not None and hint not in letters):
        return None
    (var,) = letters
    form = linear_form(equation, var)
    if form is None or form[0] == 0:
        return None  # degenerate or non-linear: the sympy path gives the precise error
    a, b = form
    root = -b / a
    left, right = equation.split("=")
    shape, constants = equation_shape(equation, var)
    return EquationProblem(
        equation=" ".join(equation.split()),
        variable=var,
        unknowns=(var,),
        degree=1,
        var_both_sides=var in left and var in right,
        solutions=(sympy.Rational(root.numerator, root.denominator),),
        constants=constants,
        shape=shape,
        prompt=request.prompt,
        names=names,
    )


def detect(request: Request) -> bool:
    if request.schema is not None:
        return False
    found = read_prompt(request.prompt)
    if found is None:
        return False
    equation, names = found
    return (
        bool(_DETECT.search(request.prompt) or _DETECT_OTHER.search(request.prompt))
        or " ".join(math_view(request.prompt, names).split()) == equation
    )
