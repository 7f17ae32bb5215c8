"""Corroboration probes: a second point for a first answer, asked of the caller's model in the background.

A task with a corroboration (word problems: see :class:`~stepcache_core.tasks.base.Corroboration`) serves a reuse
with other values only from an entry a second model answer has agreed with. Without a probe that second answer
comes from the first caller who asks with other values: that caller waits for the model. With one, right after a
first answer is stored, the engine itself asks the model the same question with other values (one of the task's
:meth:`~stepcache_core.tasks.base.Corroboration.probes` whose re-derivation of the stored answer fits every
role), off the request's path, and corroborates the entry when the two agree. When they disagree one of them is
wrong: the entry is then kept for its identical request only (as an exact cache keeps an answer), and nothing is
re-derived from it, not even for other names. The probe's answer is a check: it is never served.

A probe is asked as the caller asked: through the caller's own call (the integrations' passthrough, a
:class:`~stepcache_core.backends.base.Reasking`) with the question reworded, so the model answers it under the
caller's system prompt, earlier turns or few-shot template; without one, through the engine's backend with the
task's prompt, and only for a request that holds no such context (see ``_Route``).

A first answer may re-derive at no second point: two of its numbers share a value (a 40-item quiz where
100% - 60% = 40%), so which one a step uses cannot be told. The probe is then asked anyway; its answer, when it
verifies and re-derived for the first question agrees with the first answer, is probed in turn at a point of its
own (its values share nothing), and when that agrees too it is stored as a *precedent*: the caller's model's
answer to a question no caller asked, corroborated for what the third point varied. That takes two probes, often
after a first round (the default budget is 4); at most two precedents are asked per structure.

Bounded: at most ``EngineConfig.corroboration_probes`` rounds per entry (and as many relabelled points: see
below), one probe at a time per structure.
The task lists its second points most answerable first (for word problems: numbers in digits before numbers in
words); a round that corroborates some slots is followed, within the budget, by one that varies what is left, and
a round whose answer does not verify (the model slipped there) by one at another point. An answer that does not
verify but computes truly and ends elsewhere refutes the entry (it left a number aside, as a rule the entry never
showed would): the point next to it is asked, and the entry is disputed unless the model agrees there; a caller's
own answer that refutes an entry is checked the same way (:meth:`Prober.confirm`). A precedent is asked only
at a point where the task says the first answer fails on which quantity a number is (``Corroboration.ambiguous``),
not where a value stops fitting its role (a count that is not whole there is no question worth asking).

A task may also list *relabelled* points (``Corroboration.relabels``): for word problems, a point where the model
agreed, then the first question itself (the only one, where no point fits the answer), asked again with its
people renamed into a pattern of genders (women's or men's names, never one given to both). Whom "she" or "the
boy" means may change under such names, which no number shows; an answer there that agrees vouches for names of
those genders, one that disagrees keeps them the model's. They are asked after the rounds, for the first answer and for each precedent,
at most ``corroboration_probes`` more per entry.
What probes cost is kept in :attr:`Prober.usage` (they are model calls no request's trace shows).
"""

from __future__ import annotations

import logging
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from . import background
from .adapt import Adaptation, shown
from .backends.base import Backend, Reasking
from .config import EngineConfig
from .errors import StepCacheError, StoreError
from .intake import Prepared, RunLog
from .record import Recorder
from .store import Candidate, Entry
from .values import Request, Step
from .verify import Verification

__all__ = ["Prober"]

logger = logging.getLogger("stepcache")

_CONTRASTED = 6
"""How many fitting second points a round compares (see ``Corroboration.contrast``)."""

_PRECEDENTS = 2
"""How many precedents are asked per structure: a second entry of it may need one where the first's was dropped
(its model slipped there, or the point's answer did not verify)."""

_NEAR = 48
"""How many of the points drawn around a refuting point are weighed for the one nearest to it."""

_REMEMBERED = 10_000
"""How many entries' probe counts a prober remembers (the oldest are forgotten first)."""


# points asked to confirm a refutation, when the model slips at one (see ``Prober._confirm``)
_CONFIRM_TRIES = 2


def _beyond(first: Sequence[Any], refuting: Sequence[Any], candidate: Sequence[Any]) -> bool:
    """Whether ``candidate`` moves each value that ``refuting`` moved from ``first`` at least as far, the same way."""
    if not len(first) == len(refuting) == len(candidate):
        return False
    return all(
        (c - f) * (r - f) > 0 and abs(c - f) >= abs(r - f) for f, r, c in zip(first, refuting, candidate, strict=True) if r != f
    )


class Prober:
    """Schedules and runs corroboration probes for one engine."""

    def __init__(
        self,
        prepare: Callable[[Request, RunLog], Prepared],
        adaptation: Adaptation,
        verification: Verification,
        recorder: Recorder,
        config: EngineConfig,
    ) -> None:
        self._prepare = prepare
        self._adaptation = adaptation
        self._verification = verification
        self._recorder = recorder
        self._config = config
        self._lock = threading.Lock()
        self._asked: OrderedDict[str, int] = OrderedDict()  # entry id -> probes run for it
        self._running: set[tuple[str, str]] = set()  # (collection, signature) being probed
        self._preceded: OrderedDict[tuple[str, str], int] = OrderedDict()  # precedents asked per structure
        self.usage = {
            "probes": 0,
            "corroborated": 0,
            "disputed": 0,
            "precedents": 0,
            "model_calls": 0,
            "prompt_tokens": 0,
            "completion_tokens": 0,
        }
        """What probes cost and achieved, over this engine's life."""

    def schedule(self, prep: Prepared, backend: Backend | None, caller: Backend | None = None) -> bool:
        """Probe the entry just stored for ``prep`` in the background, when its task corroborates and the bounds
        allow; whether a probe was started. ``caller``: the caller's own call for ``prep`` (see
        :class:`~stepcache_core.backends.base.Reasking`), which probes are asked through when it can be reworded;
        else ``backend`` is asked the task's prompt, where the request holds no context (see ``_Route``)."""
        corroboration = prep.profile.corroboration
        if self._config.corroboration_probes <= 0 or corroboration is None or not prep.signature:
            return False
        if not getattr(corroboration, "probes_itself", True):  # only callers' own requests corroborate (JSON)
            return False
        route = _Route(backend, caller, prep.request)
        if not route.reaches(prep):
            return False
        structure = (prep.collection, prep.signature)
        with self._lock:
            if structure in self._running or self._asked.get(prep.entry_id, 0) >= self._config.corroboration_probes:
                return False
            self._running.add(structure)

        def work() -> None:
            target: Prepared | None = prep
            asked: set[str] = set()  # the points asked already (entry ids): a later round asks another
            agreed: list[tuple[Prepared, Prepared]] = []  # (an entry stored, a point the model agreed with it at)
            try:
                # a round that corroborates some slots, stores a precedent, or gets an answer that does not verify
                # (a slip of the model's) is followed by another within the budget (counted for the first
                # answer): another point may vouch for the rest
                while target is not None and self._take_turn(prep.entry_id):
                    target = self._probe(target, route, prep.entry_id, asked, agreed)
                # each entry stored (the first answer, a precedent), at the points where the model agreed with it
                points: dict[str, tuple[Prepared, list[Prepared]]] = {}
                for stored, point in agreed:
                    points.setdefault(stored.entry_id, (stored, []))[1].append(point)
                for stored, at in points.values():
                    # and last, its own question: where a point the model agreed at vouches for no pattern (a result
                    # there equals a quantity), the first numbers may
                    at.append(stored)
                if not asked:
                    # no second point fits the first answer's roles, so none was asked: its own question, where the
                    # answer is the model's, is where the names are relabelled (not where the model was asked a point
                    # and slipped or disagreed: that model is not asked again)
                    points[prep.entry_id] = (prep, [prep])
                for stored, at in points.values():
                    self._relabel(stored, at, route, asked)
            except Exception as e:  # a probe is a check: whatever fails, the entry stays as it was
                logger.info("stepcache: corroboration probe for entry %s failed (%s: %s)", prep.entry_id, type(e).__name__, e)
            finally:
                with self._lock:
                    self._running.discard(structure)

        background.start(work, "stepcache-probe")
        return True

    def confirm(self, prep: Prepared, entry: Entry, backend: Backend | None, caller: Backend | None = None) -> None:
        """A caller's model answer to ``prep`` that did not verify refuted ``entry`` re-derived for it (see
        ``Corroboration.refutes``): in the background, ask the point next to it, and dispute the entry unless the
        model agrees there. One model call per refuting answer, outside the entry's probe budget. Where no point can
        be asked as the caller asked (see ``_Route``), the entry is disputed at once."""
        if prep.profile.corroboration is None:
            return
        route = _Route(backend, caller, prep.request)
        if not route.reaches(prep):
            try:
                self._dispute(prep, entry, RunLog())
            except StoreError as e:  # a check: a store that fails leaves the entry as it was, and the caller served
                logger.info("stepcache: disputing entry %s failed (%s)", entry.id, e)
            return

        def work() -> None:
            try:
                old = prep.profile.parse(entry.as_request(prep.request.namespace))
                cached = list(self._verification.segment(prep.profile, entry.output))
                self._confirm(prep, entry, old, cached, prep, route, None, set())
            except Exception as e:  # a check: whatever fails, the entry stays as it was
                logger.info("stepcache: confirming a refutation of entry %s failed (%s: %s)", entry.id, type(e).__name__, e)

        background.start(work, "stepcache-confirm")

    def _has_turn(self, entry_id: str) -> bool:
        """Whether ``entry_id``'s budget has a probe left after the one being run."""
        with self._lock:
            return self._asked.get(entry_id, 0) < self._config.corroboration_probes

    def _take_turn(self, entry_id: str) -> bool:
        """Count one more probe of ``entry_id`` when its budget allows one."""
        with self._lock:
            asked = self._asked.pop(entry_id, 0)
            self._asked[entry_id] = asked + (asked < self._config.corroboration_probes)
            while len(self._asked) > _REMEMBERED:
                self._asked.popitem(last=False)
            return asked < self._config.corroboration_probes

    def _probe(
        self, prep: Prepared, route: _Route, budget: str, asked: set[str], agreed: list[tuple[Prepared, Prepared]]
    ) -> Prepared | None:
        """One round for the entry stored for ``prep`` (its probes counted against the entry ``budget``, ``asked``
        the points asked in earlier rounds); what the next round probes (``prep`` corroborated for some slots, or
        whose point's answer did not verify; a precedent just stored), or ``None``."""
        entry = self._recorder.store_for(prep).get(prep.collection, prep.entry_id)
        if entry is None or not entry.verified:
            return None
        return self._forward(prep, entry, route, budget, asked, stored=True, agreed=agreed)

    def _forward(
        self,
        prep: Prepared,
        entry: Entry,
        route: _Route,
        budget: str,
        asked: set[str],
        *,
        stored: bool,
        agreed: list[tuple[Prepared, Prepared]] | None = None,
    ) -> Prepared | None:
        """Ask the model a second point where ``entry`` re-derives, and compare. ``stored``: the entry is in the
        store (corroborated or disputed there); else it is a precedent, stored only when this round corroborates
        it, and dropped when it does not."""
        profile, corroboration = prep.profile, prep.profile.corroboration
        assert corroboration is not None
        store = self._recorder.store_for(prep)
        old = profile.parse(entry.as_request(prep.request.namespace))
        chosen: tuple[Prepared, Any, frozenset[str]] | None = None
        unfit: tuple[Prepared, frozenset[str]] | None = None
        # of the first few points that fit, the one that vouches for most, then where the answer's quantities and
        # results compare most otherwise
        contrast = getattr(corroboration, "contrast", None)
        ambiguous = getattr(corroboration, "ambiguous", None)
        cached: list[Step] | None = None
        best: tuple[int, int] = (-1, -1)
        fitting = 0
        for probe, run in self._points(prep, old, corroboration.probes(prep.request, prep.problem), asked):
            cached = cached if cached is not None else list(self._verification.segment(profile, entry.output))
            varied = corroboration.missing(
                old, corroboration.varied(old, probe.problem, cached), entry.corroborated, probing=True
            )
            if not varied:
                continue  # vouched for already: a point that varies what is not
            adapted = self._adaptation.best(probe, run, [(Candidate(entry, None), old)])
            if adapted is None or not adapted.ok:
                # a value no longer fits its role there (a count that is not whole...), or which quantity a number
                # of the answer is cannot be told: another point. The first of the latter (the most answerable)
                # where the task finds the point worth asking is the one a precedent may be asked at; a point where
                # a count stops being whole is no question to ask
                if unfit is None and ambiguous is not None:
                    try:
                        worth = ambiguous(old, cached, probe.problem)
                    except Exception:  # a check that cannot tell: not a point to ask
                        worth = False
                    if worth:
                        unfit = (probe, varied)
                elif unfit is None:
                    unfit = (probe, varied)
                continue
            vouchable = corroboration.vouched(probe.problem, adapted.steps, adapted.steps) & varied
            if vouchable != varied:
                continue
            # of those, what an agreement there may vouch for at all (how the quantities rank, at the point where
            # they trade places; nothing, where it keeps a number the answer computes with)
            varied = corroboration.vouching(old, probe.problem, cached) & varied
            if not varied:
                continue
            # (a span on the side no agreeing answer reached yet counts as one more)
            score = (len(varied), contrast(old, adapted.cached, probe.problem, adapted.steps) if contrast is not None else 0)
            if chosen is None or score > best:
                chosen, best = (probe, adapted, varied), score
            fitting += 1
            if contrast is None or fitting >= _CONTRASTED:
                break
        if chosen is None:
            if stored and unfit is not None:
                return self._precede(prep, entry, *unfit, route, budget, asked, agreed)
            logger.debug("stepcache: probe for %s: no second point fits the answer's roles", prep.entry_id)
            return None
        probe, adapted, varied = chosen
        run = RunLog()
        asked.add(probe.entry_id)
        steps, _, verified = self._answer(probe, route, run)
        current = store.get(prep.collection, prep.entry_id)
        if not verified:
            # an answer that does not verify vouches for nothing: another point, within the budget. Unless it
            # refutes the entry all the same (every computation true, another result: it leaves a number aside
            # that the entry computes with, "a week at most" where 8 days were asked): a rule the entry never
            # showed may bite here, or the model skipped a step. A point next to it tells them apart
            if (
                stored
                and current is not None
                and current.output == entry.output
                and corroboration.refutes(probe.problem, adapted.steps, steps)
            ):
                return self._confirm(prep, current, old, cached or [], probe, route, budget, asked)
            return prep if stored else None
        if stored and (current is None or current.output != entry.output):
            return None  # replaced or removed meanwhile
        if not corroboration.agrees(probe.problem, adapted.steps, steps):
            if stored and current is not None:
                self._dispute(prep, current, run)
                self._dispute_alike(probe, steps, current.id, run)
            else:
                logger.info("stepcache: a precedent for %s disagreed with a second point: not kept", prep.entry_id)
            return None
        slots = corroboration.vouched(probe.problem, adapted.steps, steps) & varied | shown(adapted.steps, steps)
        if not slots:
            return None
        if stored and current is not None:
            self._recorder.corroborate(prep, current, slots, run)
        else:
            if current is not None or not self._recorder.put(prep, entry.output, verified=True, run=run, corroborated=slots):
                return None  # a caller's own answer to that question is never replaced by a probe's
            with self._lock:
                self.usage["precedents"] += 1
        with self._lock:
            self.usage["corroborated"] += 1
        if agreed is not None:
            agreed.append((prep, probe))
        return prep

    def _relabel(self, prep: Prepared, points: list[Prepared], route: _Route, asked: set[str]) -> None:
        """Ask the task's relabellings (see ``Corroboration.relabels``) of the ``points`` where the model agreed
        with the stored entry, at most ``corroboration_probes`` of them, and corroborate the entry for what each
        that agrees vouches for. At such a point every number is one the model already agreed at, so an answer that
        disagrees is about what the relabelling changed (whom a word of one gender means, under other names): it
        disputes nothing, and no later relabelled point vouches for what it varied (the model told those names
        apart once; another name of the same genders that agrees does not outvote it). One whose answer does not
        verify (a slip) leaves the next point free to vouch."""
        corroboration = prep.profile.corroboration
        relabels = getattr(corroboration, "relabels", None)
        if corroboration is None or relabels is None:
            return
        store = self._recorder.store_for(prep)
        left = self._config.corroboration_probes
        against: set[str] = set()  # what a relabelled point's verified answer disagreed about
        for point in points:
            for request in relabels(point.request, point.problem):
                entry = store.get(prep.collection, prep.entry_id)
                if left <= 0 or entry is None or not entry.verified:
                    return
                old = prep.profile.parse(entry.as_request(prep.request.namespace))
                cached = list(self._verification.segment(prep.profile, entry.output))
                for probe, run in self._points(prep, old, [request], asked):
                    varied = corroboration.missing(
                        old, corroboration.varied(old, probe.problem, cached), entry.corroborated, probing=True
                    )
                    adapted = self._adaptation.best(probe, run, [(Candidate(entry, None), old)]) if varied else None
                    if adapted is None or not adapted.ok or varied & against:
                        continue
                    if corroboration.vouched(probe.problem, adapted.steps, adapted.steps) & varied != varied:
                        continue  # an agreement here could not vouch for all it varies
                    left -= 1
                    asked.add(probe.entry_id)
                    steps, _, verified = self._answer(probe, route, run)
                    current = store.get(prep.collection, prep.entry_id)
                    if not verified or current is None or current.output != entry.output:
                        continue
                    slots = corroboration.vouched(probe.problem, adapted.steps, steps) & varied
                    if slots:
                        self._corroborate(prep, current, slots, run)
                    else:
                        against |= varied
                        logger.debug("stepcache: a relabelled point of %s disagreed: not vouched for", prep.entry_id)

    def _confirm(
        self,
        prep: Prepared,
        entry: Entry,
        old: Any,
        cached: list[Step],
        refuting: Prepared,
        route: _Route,
        budget: str | None,
        asked: set[str],
    ) -> Prepared | None:
        """A model answer at ``refuting`` that did not verify refuted ``entry`` re-derived there: ask the point
        nearest to it where the entry re-derives (within the entry's ``budget``; ``None``: a caller's answer
        refuted it, and this one probe is not counted). A rule the entry never showed ("a week at
        most") bites there too, and the answer disagrees again: the entry is disputed. A step the model skipped
        at ``refuting`` alone leaves this answer agreeing, and it corroborates as any agreeing point does. With no
        probe or no point left to ask, the entry is disputed: where one cannot tell, nothing is re-derived. An answer
        there that slipped (a computation that is false: it neither agrees nor refutes) tells nothing either: the
        next nearest point is asked, ``_CONFIRM_TRIES`` points at most, within the budget."""
        corroboration = prep.profile.corroboration
        assert corroboration is not None
        run = RunLog()
        current: Entry | None = entry
        for _ in range(_CONFIRM_TRIES):
            take = budget is None or self._take_turn(budget)
            near = self._near(prep, entry, old, cached, refuting, asked) if take else None
            if near is None:
                break
            probe, adapted, varied = near
            asked.add(probe.entry_id)
            steps, _, verified = self._answer(probe, route, run)
            current = self._recorder.store_for(prep).get(prep.collection, entry.id)
            if current is None or current.output != entry.output:
                return None
            if not verified and not corroboration.refutes(probe.problem, adapted.steps, steps):
                continue  # a slip of the model's there: another point
            if not verified or not corroboration.agrees(probe.problem, adapted.steps, steps):
                self._dispute_alike(probe, steps, current.id, run)
                break
            slots = corroboration.vouched(probe.problem, adapted.steps, steps) & varied
            if slots:
                self._corroborate(prep, current, slots, run)
            return prep
        self._dispute(prep, current or entry, run)
        return None

    def _dispute_alike(self, point: Prepared, steps: Sequence[Step], disputed: str, run: RunLog) -> None:
        """Dispute the other entries of ``point``'s structure that ``steps``, the model's answer at ``point`` that
        disagreed with the entry ``disputed``, disagrees with too (re-derived there, their result is another: a
        verified answer disagrees, one that does not verify refutes). Another caller's answer to the same template
        that computes alike carries the same fault, and would keep serving where this one no longer does. No model
        call: each is only re-derived."""
        corroboration = point.profile.corroboration
        assert corroboration is not None
        verified = self._verification.steps(point, steps, run)[0]
        for candidate, old in self._recorder.retriever.by_structure(point, run, n=8):
            if candidate.entry.id == disputed:
                continue
            try:
                adapted = self._adaptation.best(point, run, [(candidate, old)])
                if adapted is None or not adapted.ok:
                    continue
                differs = (
                    not corroboration.agrees(point.problem, adapted.steps, steps)
                    if verified
                    else corroboration.refutes(point.problem, adapted.steps, steps)
                )
            except Exception:  # a check that cannot tell: the entry is disputed (where one cannot tell, no reuse)
                differs = True
            if differs:
                self._dispute(point, candidate.entry, run)

    def _corroborate(self, prep: Prepared, entry: Entry, slots: frozenset[str], run: RunLog) -> None:
        """Mark ``entry`` corroborated for ``slots`` (an agreeing answer), counted in :attr:`usage`."""
        self._recorder.corroborate(prep, entry, slots, run)
        with self._lock:
            self.usage["corroborated"] += 1

    def _points(
        self, prep: Prepared, old: Any, requests: Iterable[Request], asked: set[str]
    ) -> Iterator[tuple[Prepared, RunLog]]:
        """``requests`` prepared as points of ``prep``'s task, each with its run log: those not asked yet whose
        question the task's gate lets ``old``'s answer be re-derived for."""
        profile = prep.profile
        for request in requests:
            run = RunLog()
            try:
                probe = self._prepare(replace(request, task=profile.name), run)
            except StepCacheError:
                continue
            if probe.entry_id in asked or probe.profile.name != profile.name:
                continue
            if profile.gate.compatible(old, probe.problem).ok:
                yield probe, run

    def _near(
        self, prep: Prepared, entry: Entry, old: Any, cached: list[Step], point: Prepared, asked: set[str]
    ) -> tuple[Prepared, Any, frozenset[str]] | None:
        """Of the task's second points drawn around ``point`` (its own probes), the one nearest to it (the values'
        ratios to its values closest to 1) where ``entry`` re-derives and an agreement may vouch for something; and
        none nearer to ``old`` than ``point`` is: each value ``point`` moved is moved as far at least, the same way. A
        rule the entry never showed that bites past some value between them ("as many days as June has", 30, between
        27 and 31 days) bites there too, where a point back under it would agree and vouch for every number."""
        corroboration = prep.profile.corroboration
        assert corroboration is not None
        here = [abs(v) for v in point.problem.values]
        best: tuple[float, tuple[Prepared, Any, frozenset[str]]] | None = None
        for probe, run in self._points(prep, old, list(corroboration.probes(point.request, point.problem))[:_NEAR], asked):
            values = [abs(v) for v in probe.problem.values]
            if len(values) != len(here) or not all(values) or not all(here):
                continue
            if not _beyond(old.values, point.problem.values, probe.problem.values):
                continue
            distance = sum(abs(math.log(float(a / b))) for a, b in zip(values, here, strict=True))
            if best is not None and distance >= best[0]:
                continue
            varied = corroboration.missing(old, corroboration.vouching(old, probe.problem, cached), entry.corroborated)
            adapted = self._adaptation.best(probe, run, [(Candidate(entry, None), old)]) if varied else None
            if adapted is not None and adapted.ok:
                best = (distance, (probe, adapted, varied))
        return best[1] if best is not None else None

    def _precede(
        self,
        prep: Prepared,
        entry: Entry,
        probe: Prepared,
        varied: frozenset[str],
        route: _Route,
        budget: str,
        asked: set[str],
        agreed: list[tuple[Prepared, Prepared]] | None = None,
    ) -> Prepared | None:
        """The stored answer re-derives at no second point: a number of it may be either of two quantities that
        share its value in the first question (a 40-item quiz where 100% - 60% = 40%), or a value that hides what
        it is (a 2 the answer may have counted itself). The model answers the point anyway, and its answer,
        re-derived for the first question, must agree with the stored one (when they disagree one of them is
        wrong: the stored entry is disputed). That agreement vouches for little: the first question's values are
        the ones that coincide, and may hide a slip of the second answer. So the second answer becomes a precedent
        only once the next round (within the budget) corroborates it at a point of its own, where nothing
        coincides: then it is stored (the caller's model's answer to a question no caller asked)."""
        profile, corroboration = prep.profile, prep.profile.corroboration
        assert corroboration is not None
        store = self._recorder.store_for(prep)
        if store.get(probe.collection, probe.entry_id) is not None:
            return None  # a caller's own answer to that question is never replaced by a probe's
        if not self._has_turn(budget):
            return None  # a precedent takes a second probe to be kept: none is left for it
        for other in store.find(prep.collection, prep.signature, 4):
            if other.corroborated and other.id != entry.id and self._fits(probe, other):
                return None  # the structure has a corroborated entry that re-derives there already
        structure = (prep.collection, prep.signature)
        with self._lock:
            tried = self._preceded.pop(structure, 0)
            self._preceded[structure] = tried + 1
            if tried >= _PRECEDENTS:
                return None  # later ones come from callers' own variants
            while len(self._preceded) > _REMEMBERED:
                self._preceded.popitem(last=False)
        run = RunLog()
        asked.add(probe.entry_id)
        answer = self._ask(probe, route, run)
        if answer is None:
            return None
        _, text = answer
        current = store.get(prep.collection, prep.entry_id)
        if current is None or current.output != entry.output:
            return None
        precedent = self._recorder.entry(probe, text, verified=True)
        back = self._adaptation.best(prep, run, [(Candidate(precedent, None), probe.problem)])
        if back is None or not back.ok:
            logger.debug("stepcache: probe for %s: its answer does not re-derive for the first question", prep.entry_id)
            return None  # nothing to compare: the probe's answer vouches for nothing
        cached = self._verification.segment(profile, current.output)
        if not corroboration.agrees(prep.problem, back.steps, cached):
            self._dispute(prep, current, run)
            return None
        if not self._take_turn(budget):
            return None  # no round left to corroborate it: not kept
        return self._forward(probe, precedent, route, budget, asked, stored=False, agreed=agreed)

    def _fits(self, probe: Prepared, entry: Entry) -> bool:
        """Whether ``entry`` re-derives at the point ``probe`` (one corroborated for other slots, whose numbers
        coincide there too, does not: a precedent is still worth asking)."""
        try:
            old = probe.profile.parse(entry.as_request(probe.request.namespace))
        except Exception:  # a stored entry that no longer parses re-derives nowhere
            return False
        adapted = self._adaptation.best(probe, RunLog(), [(Candidate(entry, None), old)])
        return adapted is not None and adapted.ok

    def _ask(self, probe: Prepared, route: _Route, run: RunLog) -> tuple[list[Step], str] | None:
        """The model's answer to a probe, segmented, when it verifies (counted in :attr:`usage`)."""
        steps, text, ok = self._answer(probe, route, run)
        return (steps, text) if ok else None

    def _answer(self, probe: Prepared, route: _Route, run: RunLog) -> tuple[list[Step], str, bool]:
        """The model's answer to a probe, segmented, and whether it verifies (counted in :attr:`usage`)."""
        profile = probe.profile
        asking = route.asking(probe)
        if asking is None:  # (a point whose question the caller's call cannot be reworded to: nothing is asked)
            return [], "", False
        with self._lock:
            self.usage["probes"] += 1
        try:
            completion = run.call(asking, profile.prompter.generate(probe.problem), self._config.backend_timeout_s)
        finally:
            with self._lock:
                for key in ("model_calls", "prompt_tokens", "completion_tokens"):
                    self.usage[key] += run.usage()[key]
        steps = self._verification.segment(profile, completion.text, "generated")
        ok, _, _ = self._verification.steps(probe, steps, run)
        if not ok or not self._verification.whole(probe, completion.text).ok:
            logger.debug("stepcache: probe of %s: the model's answer did not verify", probe.request.embed_text[:60])
            return list(steps), completion.text, False
        return list(steps), completion.text, True

    def _dispute(self, prep: Prepared, entry: Entry, run: RunLog) -> None:
        """One of the two answers is wrong, and nothing tells which: the entry is no longer re-derived (not even for
        other names, which need no corroboration), and serves its identical request as an exact cache would."""
        logger.info("stepcache: a second answer disagreed with entry %s: kept for its identical request only", entry.id)
        self._recorder.dispute(prep, entry, run)
        with self._lock:
            self.usage["disputed"] += 1


class _Route:
    """How the probes of one caller's request reach the model: as the caller asked, the question reworded.

    Through the caller's own call (``caller``, when it is :class:`~stepcache_core.backends.base.Reasking`), its
    question turn rewritten: the model answers the probe under everything the caller sent besides the question (a
    system prompt, earlier turns, a few-shot template, the call's settings); a caller's call that cannot be
    reworded asks nothing. Without one, through ``backend`` (the engine's
    own model), sent the task's prompt alone: only for a request that holds no context, since a context the backend
    never sends would make its answer one to another request ("Example: 1200 + 300 = 1,500" in a system prompt sets
    how the model writes thousands) that vouches for nothing of the caller's. Neither: nothing is asked, and only
    callers' own answers corroborate."""

    def __init__(self, backend: Backend | None, caller: Backend | None, request: Request) -> None:
        # (with a caller's own call, only it: the engine's backend would not send what the call carries besides
        # the question and its context, such as a call's settings: LlamaIndex's ``chat(..., number_format=...)``)
        self._backend = backend if caller is None else None
        self._caller = caller if isinstance(caller, Reasking) else None
        self._request = request

    def asking(self, point: Prepared) -> Backend | None:
        """The backend that asks ``point``'s question (one of the caller's request's template, under its context),
        or ``None`` where it cannot be asked as the caller asked."""
        if point.request.context != self._request.context or point.request.namespace != self._request.namespace:
            return None
        if self._caller is not None:
            try:
                reworded = self._caller.reasking(self._request.prompt, point.request.prompt)
            except Exception as e:  # a call that cannot be reworded is not asked
                logger.debug("stepcache: rewording the caller's call failed (%s: %s)", type(e).__name__, e)
                reworded = None
            if reworded is not None:
                return reworded
        return self._backend if self._backend is not None and not self._request.context.strip() else None

    def reaches(self, prep: Prepared) -> bool:
        """Whether points of ``prep``'s template can be asked at all (its own question rewords to itself)."""
        return self.asking(prep) is not None
