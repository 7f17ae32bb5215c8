"""Task plug-ins: the Protocols a task implements and the per-instance registry.

A task profile is data: it names the parser, segmenter, verifier, adapter,
compatibility gate, prompter, repair policy and optional deterministic solver
of one task. The engine only calls these; it never branches on a task name.
Adding a task means building a :class:`TaskProfile` and registering it on one
``StepCache`` instance's :class:`TaskRegistry`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from ..errors import ConfigError
from ..values import GenerationSpec, Origin, Request, Step, Verdict

__all__ = [
    "Segmenter",
    "RendersLike",
    "Verifier",
    "WorthPatching",
    "Adapter",
    "Gate",
    "Prompter",
    "Solver",
    "Fixer",
    "Carryover",
    "Corroboration",
    "AdaptContext",
    "RepairPolicy",
    "TaskProfile",
    "TaskRegistry",
    "mask_numbers",
]


@runtime_checkable
class Segmenter(Protocol):
    """Splits an output into ordered steps and renders steps back to text.

    ``render(segment(t))`` must serve the same content as ``t``. A segmenter may also render in the layout
    of the answer the steps came from (:class:`RendersLike`).
    """

    def segment(self, text: str, *, origin: Origin = "cached") -> list[Step]: ...

    def render(self, steps: Sequence[Step]) -> str: ...


@runtime_checkable
class RendersLike(Protocol):
    """Optional capability of a :class:`Segmenter`: ``render_like(original, steps)`` writes the steps in the layout of
    the answer they came from. The engine uses it for reuses and patches;
    :class:`~stepcache_core.segment.JsonObjectSegmenter` keeps a JSON object's sentence, fence and formatting."""

    def render_like(self, original: str, steps: Sequence[Step]) -> str: ...


@runtime_checkable
class Verifier(Protocol):
    """Checks steps against a parsed request. Failures are returned, not raised.

    ``verify_steps`` returns one verdict per step, in order. ``check`` is the
    integrity check of the stitched output as a whole (steps in order, final
    answer consistent, JSON complete and valid).
    """

    name: str

    def verify_steps(self, problem: Any, steps: Sequence[Step]) -> list[Verdict]: ...

    def check(self, problem: Any, text: str) -> Verdict: ...


@dataclass(frozen=True)
class AdaptContext:
    """What an adapter may use besides the two problems.

    ``similarity(a, b)`` gives the embedding cosine similarity of two short texts.
    """

    similarity: Callable[[str, str], float] | None = None


@runtime_checkable
class Adapter(Protocol):
    """Rewrites cached steps for a new request whose difference is local and mechanical.

    Changed steps carry ``origin="adapted"``. Steps it cannot adapt are returned
    unchanged: verification decides what is reusable.
    """

    def adapt(self, old: Any, new: Any, steps: Sequence[Step], ctx: AdaptContext) -> list[Step]: ...


@runtime_checkable
class Gate(Protocol):
    """Decides whether an old request's output may be reused at all for a new one."""

    def compatible(self, old: Any, new: Any) -> Verdict: ...


@runtime_checkable
class Carryover(Protocol):
    """Finds what a reuse would carry over from the cached request that the new request does not share.

    Verification checks an answer against the new request; it cannot see where the answer came from. A line
    that restates the cached problem's working may still hold for the new one (``4x = 12`` is true for both
    ``4x + 2 = 14`` and ``5x - 6 = 9``), a note after a JSON object may name the cached record's person, and a
    value may have filled another role in the cached record ("from Lyon" became "to Lyon"). ``stale`` is given
    both parsed requests, the cached answer's steps as stored (``cached``), the adapted steps (``steps``) and the
    whole text that would be served, and returns one failed :class:`Verdict` per problem found (none: nothing
    stale). A verdict whose ``step`` is a step's index sends that step to patching; ``step=None`` means text no
    patch rewrites (prose around a JSON object): the reuse is skipped and the caller's model answers.
    """

    def stale(self, old: Any, new: Any, cached: Sequence[Step], steps: Sequence[Step], text: str) -> list[Verdict]: ...


@runtime_checkable
class Corroboration(Protocol):
    """When one verified answer is not enough to reuse for other values.

    A task whose verifier checks each step against the request (every computation true, every number grounded)
    but cannot check the answer's *structure* (which quantities the question meant to add, which to multiply)
    can store a consistent wrong answer: ``6 + 6 = 12`` where ``6 × 2`` was meant holds for that question's
    numbers, and re-derived for others it is wrong. Such a task declares a corroboration:

    - ``varied(old, new, cached)``: the slots of the template whose values differ between the two parsed requests
      (names of the task's choosing, stable across requests of one template). A reuse is served only from an
      entry corroborated for each of them (:attr:`Entry.corroborated`); none varied, none needed.
    - ``vouched(problem, adapted, answered)``: until then the caller's model answers. When its verified answer
      to ``problem`` and the entry's steps adapted to ``problem`` agree, the slots that agreement vouches for
      (empty when they disagree): a structural slip shows as a disagreement at a second point, unless a value
      of that point hides it (``x + x`` and ``x × 2`` agree wherever the 2 stays 2), so a slot whose value
      could hide one is left out. The entry is corroborated for the slots vouched for, and the new answer too
      where it computes as the entry does (``same_form``).
    - ``vouching(old, new, cached)``: of the slots ``varied``, those an agreement at ``new`` may vouch for at all
      (none where a value it keeps may hide what moved).
    - ``missing(old, needed, corroborated)``: of the slots ``needed`` (what ``varied`` names), those an entry
      ``corroborated`` for these slots is not: at least those it does not hold (a task may read a slot as held
      by others, such as a value within the span agreeing answers covered).
    - ``agrees(problem, adapted, answered)``: whether the two give the same result (a disagreement disputes
      the entry when the engine asked itself: see ``probes``).
    - ``refutes(problem, adapted, answered)``: whether an answer that did not verify disagrees all the same (see
      there): the point next to it is asked, and the entry disputed unless the model agrees there.
    - ``probes(request, problem)``: second points the engine may ask about itself (see there).
    - optionally ``contrast(old, cached, new, adapted) -> int``: how differently the entry's answer re-derived at a
      second point ``new`` orders its quantities and results than at ``old`` (the engine probes the point where
      it is highest among the first few that fit: a branch on how two amounts compare shows there as a
      disagreement, where a point that keeps every order would agree).
    - optionally ``ambiguous(old, cached, new) -> bool``: whether the entry's steps fail to re-derive at ``new``
      only because which quantity a number of them is cannot be told at ``old`` (two of its values coincide), not
      because a value stops fitting its role there. Only such a point is asked as a precedent (without it, the
      first point that does not fit is).
    - optionally ``same_form(adapted, answered) -> bool``: whether two answers to one request compute alike. A new
      answer that agrees with an entry in another form inherits none of the entry's corroborated slots (without
      it, none ever does).
    - optionally ``inherits(adapted, answered, slots) -> frozenset[str]``: of the entry's ``slots``, those an
      answer that computes alike inherits (word problems: a pattern of genders only in the entry's very words;
      without it, all of them).
    - optionally ``changed(old, new, cached, adapted) -> frozenset[str]``: the slots a reuse varies, read off the adapted answer itself (JSON: the keys whose values the
      adapter moved). Where present it stands for ``varied`` and ``vouching`` on the request's path.
    - optionally ``vetoes(problem, adapted, answered) -> frozenset[str]``: marks (``veto:<key>``,
      :data:`~stepcache_core.store.entry.VETO`) of what a model answer (verified or not) gives otherwise than the
      entry re-derived for its request moves; the engine adds them to every verified entry of the structure, and
      every answer stored after that entry inherits them; the task's ``missing`` reads a vetoed slot as never held,
      and ranking by corroboration leaves marks out.
    - optionally ``probes_itself: bool`` (default ``True``): ``False`` where the task has no second point of its own
      to ask (JSON: no record can be invented that reads like the caller's): nothing is probed in the background,
      and since callers' answers are then the only second word, ``record`` looks for the entry to vouch for by
      similarity too, an answer the model wrote after a repair corroborates, and an answer stored with its entry's
      slots inherits what that entry gained while the model answered.
    - optionally ``relabels(request, problem) -> Sequence[Request]``: the question at a point where the model
      already agreed with the entry, with its names changed and every number kept (word problems: one person
      renamed into another gender). The engine asks a few after its rounds; one that agrees vouches for the slots
      it varies (whom a word of one gender means: ``genders=m,f``), one that disagrees disputes nothing (the
      numbers were agreed on) and keeps what it varied from being vouched for by a later one.
    """

    def varied(self, old: Any, new: Any, cached: Sequence[Step] | None = None) -> frozenset[str]:
        """The slots whose values differ between ``old`` and ``new`` (``cached``: the stored answer to ``old``, when
        the slots depend on how it uses the values; ``None``: as if it used them every way)."""
        ...

    def vouched(self, problem: Any, adapted: Sequence[Step], answered: Sequence[Step]) -> frozenset[str]: ...

    def vouching(self, old: Any, new: Any, cached: Sequence[Step]) -> frozenset[str]:
        """The slots an agreement at ``new`` may vouch for, of those ``varied`` names: none where a value ``new``
        keeps could stand for something of the answer's that moved (a result it never wrote down)."""
        ...

    def missing(self, old: Any, needed: frozenset[str], corroborated: frozenset[str], *, probing: bool = False) -> frozenset[str]:
        """The slots of ``needed`` that an entry for ``old`` corroborated for ``corroborated`` is not vouched for;
        ``probing``: those a probe at the point ``needed`` names would be asked for (the task may leave some to
        callers' own variants)."""
        ...

    def agrees(self, problem: Any, adapted: Sequence[Step], answered: Sequence[Step]) -> bool:
        """Whether the entry's steps adapted to ``problem`` and the model's verified answer to it give the same
        result (what ``vouched`` needs before it vouches for anything)."""
        ...

    def refutes(self, problem: Any, adapted: Sequence[Step], answered: Sequence[Step]) -> bool:
        """Whether a model answer to ``problem`` that did not verify still says the entry's steps ``adapted`` to it
        are wrong: it is consistent in itself and gives another result (it left aside a number the entry computes
        with, as a rule idle at the entry's own numbers would, or it skipped a step): the engine asks the point next
        to it, and disputes the entry unless the model agrees there. A false computation is a slip and refutes
        nothing."""
        ...

    def probes(self, request: Request, problem: Any) -> Sequence[Request]:
        """Requests like ``request`` (parsed as ``problem``), of its template, with other values in every slot
        that can vary: candidate second points at which the engine asks the caller's model itself, in the
        background, right after the first answer is stored (:class:`~stepcache_core.probe.Prober`). An answer
        there that agrees with the first one re-derived corroborates it for the slots varied, before any caller
        asks with other values. Empty: nothing to probe with."""
        ...


@runtime_checkable
class Prompter(Protocol):
    """Builds backend prompts and merges what the backend wrote back into steps."""

    def generate(self, problem: Any) -> GenerationSpec: ...

    def patch(self, problem: Any, steps: Sequence[Step], verdicts: Sequence[Verdict]) -> GenerationSpec: ...

    def merge(self, problem: Any, steps: Sequence[Step], verdicts: Sequence[Verdict], generated: str) -> list[Step]: ...

    def repair(self, problem: Any, text: str, verdict: Verdict) -> GenerationSpec | None: ...


@runtime_checkable
class WorthPatching(Protocol):
    """Optional capability of a :class:`Prompter`: whether a reused answer that failed verification holds enough
    for this request to be patched (``False``: the caller's own prompt answers instead of a patch)."""

    def worth_patching(self, problem: Any, steps: Sequence[Step], verdicts: Sequence[Verdict]) -> bool: ...


@runtime_checkable
class Fixer(Protocol):
    """Model-free repair of output that failed verification (tried before any patch).

    Returns fixed steps, or ``None`` when it has nothing to offer; verification
    judges the result like any other.
    """

    def fix(self, problem: Any, steps: Sequence[Step], verdicts: Sequence[Verdict]) -> list[Step] | None: ...


@runtime_checkable
class Solver(Protocol):
    """Deterministic fallback: writes a correct output without the model."""

    def solve(self, problem: Any) -> str: ...


@dataclass(frozen=True)
class RepairPolicy:
    """How hard to try before giving up.

    ``patch_attempts``: selective patches after a failed reuse or generation.
    ``feedback_repairs``: repairs that feed the verification error back.
    ``full_regenerations``: fresh generations after that.
    The deterministic solver, if the task has one, always runs last.
    """

    patch_attempts: int = 1
    feedback_repairs: int = 0
    full_regenerations: int = 0


@dataclass(frozen=True)
class TaskProfile:
    """Everything the engine needs to serve one task."""

    name: str
    parse: Callable[[Request], Any]
    detect: Callable[[Request], bool]
    segmenter: Segmenter
    prompter: Prompter
    gate: Gate
    verifier: Verifier | None = None
    adapter: Adapter | None = None
    solver: Solver | None = None
    fixer: Fixer | None = None
    carryover: Carryover | None = None
    """Checks a reuse for what it carries over from the cached request (see :class:`Carryover`)."""
    corroboration: Corroboration | None = None
    """Which reuses need an entry a second model answer agreed with (see :class:`Corroboration`)."""
    repair: RepairPolicy = RepairPolicy()
    retrieval_text: Callable[[str], str] | None = None
    """Maps the text to embed (e.g. numbers masked, so numeric variants retrieve each other)."""
    signature: Callable[[Any], str] | None = None
    """Structure key of a parsed request (equation shape, schema keys): a request whose signature
    matches a stored entry's is retrieved without embedding. The gate and verification still decide."""
    normalize: Callable[[str], str] | None = None
    """How prompts are folded into the exact-match key (default: whitespace only)."""
    asks_more: Callable[[Any], bool] | None = None
    """Whether a parsed request asks more than the task reads ("If 3x + 5 = 20, what is 3x - 1?", "... and round
    to one decimal"): the task's patches, fixer and solver answer the task's own question, which would be a
    wrong answer to that request. Such a request's generated answer that fails verification is the model's own:
    served as written, unverified, and kept for identical requests only. Reuse still needs the gate."""
    model_answers: bool = False
    """The task cannot mend an answer (no patch, no solver): a generated answer that fails verification is the
    model's own, served as written with ``trace.verified`` false (where another task raises
    :class:`UnverifiedOutputError`). It is kept for identical requests only when the verifier could not read it,
    never when it found it wrong."""
    exact_only: bool = False
    """Reused only for an identical request (no verifier can vouch for anything else): such a task
    is never embedded nor retrieved by similarity, so it never loads the embedding model."""

    def __post_init__(self) -> None:
        if not self.name or not self.name.replace("_", "").isalnum():
            raise ConfigError(f"task name must be a non-empty identifier, got {self.name!r}")


def mask_numbers(text: str) -> str:
    """Numbers become ``#``: embedding similarity should see structure, not constants."""
    import re

    return re.sub(r"\d+(?:\.\d+)?", "#", text)


class TaskRegistry:
    """Tasks known to one engine. ``copy()`` gives an independent registry."""

    def __init__(self, profiles: Sequence[TaskProfile] = ()) -> None:
        self._profiles: dict[str, TaskProfile] = {}
        # the last request detected and its task: the exact path and the whole way of one request ask for the
        # same request object (a detector may take a millisecond: the equation's reads every word problem)
        self._last: tuple[Request, TaskProfile] | None = None
        for p in profiles:
            self.register(p)

    def register(self, profile: TaskProfile, *, replace: bool = False) -> None:
        if not isinstance(profile, TaskProfile):
            raise ConfigError(f"expected a TaskProfile, got {type(profile).__name__}")
        if profile.name in self._profiles and not replace:
            raise ConfigError(f"task {profile.name!r} is already registered; pass replace=True")
        self._profiles[profile.name] = profile
        self._last = None

    def get(self, name: str) -> TaskProfile:
        try:
            return self._profiles[name]
        except KeyError:
            raise ConfigError(f"unknown task {name!r}; registered: {sorted(self._profiles)}") from None

    def detect(self, request: Request) -> TaskProfile:
        """The first registered task (in registration order) whose detector accepts the request."""
        last = self._last
        if last is not None and last[0] is request:
            return last[1]
        for profile in self._profiles.values():
            if profile.detect(request):
                self._last = (request, profile)
                return profile
        raise ConfigError("no registered task accepts this request; register a catch-all task")

    def copy(self) -> TaskRegistry:
        return TaskRegistry(list(self._profiles.values()))

    def __contains__(self, name: object) -> bool:
        return name in self._profiles

    def __iter__(self) -> Iterator[str]:
        return iter(self._profiles)
