"""Corroboration probes: a second point for a first answer, asked of the caller's model in the background.

A task with a corroboration (word problems: see :class:`~stepcache_core.tasks.base.Corroboration`) serves a reuse
with other values only from an entry a second model answer has agreed with. Without a probe that second answer
comes from the first caller who asks with other values: that caller waits for the model. With one, right after a
first answer is stored, the engine itself asks the model the same question with other values (one of the task's
:meth:`~stepcache_core.tasks.base.Corroboration.probes` whose re-derivation of the stored answer fits every
role), off the request's path, and corroborates the entry when the two agree. When they disagree one of them is
wrong: the entry is then kept for its identical request only (as an exact cache keeps an answer), and nothing is
re-derived from it, not even for other names. The probe's answer is a check: it is never served or stored.

Bounded: at most ``EngineConfig.corroboration_probes`` model calls per entry, one probe at a time per structure.
The task lists its second points most answerable first (for word problems: numbers in digits before numbers in
words); a round that corroborates some slots is followed, within the budget, by one that varies what is left.
What probes cost is kept in :attr:`Prober.usage` (they are model calls no request's trace shows).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from . import background
from .adapt import Adaptation
from .backends.base import Backend
from .config import EngineConfig
from .errors import StepCacheError
from .intake import Prepared, RunLog
from .record import Recorder
from .store import Candidate
from .values import Request
from .verify import Verification

__all__ = ["Prober"]

logger = logging.getLogger("stepcache")

_REMEMBERED = 10_000
"""How many entries' probe counts a prober remembers (the oldest are forgotten first)."""


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
        self.usage = {"probes": 0, "corroborated": 0, "disputed": 0, "model_calls": 0, "prompt_tokens": 0, "completion_tokens": 0}
        """What probes cost and achieved, over this engine's life."""

    def schedule(self, prep: Prepared, backend: Backend) -> bool:
        """Probe the entry just stored for ``prep`` in the background, when its task corroborates and the bounds
        allow; whether a probe was started."""
        corroboration = prep.profile.corroboration
        if self._config.corroboration_probes <= 0 or corroboration is None or not prep.signature:
            return False
        structure = (prep.collection, prep.signature)
        with self._lock:
            if structure in self._running or self._asked.get(prep.entry_id, 0) >= self._config.corroboration_probes:
                return False
            self._running.add(structure)

        def work() -> None:
            try:
                while self._take_turn(prep.entry_id) and self._probe(prep, backend):
                    pass  # corroborated for some slots: another point may vouch for the rest, within the budget
            except Exception as e:  # a probe is a check: whatever fails, the entry stays as it was
                logger.info("stepcache: corroboration probe for entry %s failed (%s: %s)", prep.entry_id, type(e).__name__, e)
            finally:
                with self._lock:
                    self._running.discard(structure)

        background.start(work, "stepcache-probe")
        return True

    def _take_turn(self, entry_id: str) -> bool:
        """Count one more probe of ``entry_id`` when its budget allows one."""
        with self._lock:
            asked = self._asked.pop(entry_id, 0)
            self._asked[entry_id] = asked + (asked < self._config.corroboration_probes)
            while len(self._asked) > _REMEMBERED:
                self._asked.popitem(last=False)
            return asked < self._config.corroboration_probes

    def _probe(self, prep: Prepared, backend: Backend) -> bool:
        """One probe; whether it corroborated the entry for some slots (and another round may help)."""
        profile, corroboration = prep.profile, prep.profile.corroboration
        assert corroboration is not None
        store = self._recorder.store_for(prep)
        entry = store.get(prep.collection, prep.entry_id)
        if entry is None or not entry.verified:
            return False
        old = profile.parse(entry.as_request(prep.request.namespace))
        chosen: tuple[Prepared, Any, frozenset[str]] | None = None
        for request in corroboration.probes(prep.request, prep.problem):
            run = RunLog()
            try:
                probe = self._prepare(replace(request, task=profile.name), run)
            except StepCacheError:
                continue
            if probe.profile.name != profile.name or not profile.gate.compatible(old, probe.problem).ok:
                continue
            varied = corroboration.varied(old, probe.problem) - entry.corroborated
            if not varied:
                continue  # vouched for already: a point that varies what is not
            adapted = self._adaptation.best(probe, run, [(Candidate(entry, None), old)])
            if adapted is None or not adapted.ok:
                continue  # a value no longer fits its role there (a count that is not whole...): another point
            vouchable = corroboration.vouched(probe.problem, adapted.steps, adapted.steps) & varied
            if vouchable == varied:
                chosen = probe, adapted, varied
                break
        if chosen is None:
            logger.debug("stepcache: probe for %s: no second point fits the answer's roles", prep.entry_id)
            return False
        probe, adapted, varied = chosen
        run = RunLog()
        with self._lock:
            self.usage["probes"] += 1
        try:
            completion = run.call(backend, profile.prompter.generate(probe.problem), self._config.backend_timeout_s)
        finally:
            with self._lock:
                for key in ("model_calls", "prompt_tokens", "completion_tokens"):
                    self.usage[key] += run.usage()[key]
        steps = self._verification.segment(profile, completion.text, "generated")
        ok, _, _ = self._verification.steps(probe, steps, run)
        if not ok or not self._verification.whole(probe, profile.segmenter.render(steps)).ok:
            logger.debug("stepcache: probe for %s: the model's answer did not verify", prep.entry_id)
            return False  # an answer that does not verify vouches for nothing
        current = store.get(prep.collection, prep.entry_id)
        if current is None or current.output != entry.output:
            return False  # replaced or removed meanwhile
        if not corroboration.agrees(probe.problem, adapted.steps, steps):
            # one of the two answers is wrong, and nothing tells which: the entry is no longer re-derived (not even
            # for other names, which need no corroboration), and serves its identical request as an exact cache would
            logger.info(
                "stepcache: corroboration probe for entry %s disagreed: kept for its identical request only", prep.entry_id
            )
            self._recorder.dispute(prep, current, run)
            with self._lock:
                self.usage["disputed"] += 1
            return False
        slots = corroboration.vouched(probe.problem, adapted.steps, steps) & varied
        if not slots:
            return False
        self._recorder.corroborate(prep, current, slots, run)
        with self._lock:
            self.usage["corroborated"] += 1
        return True
