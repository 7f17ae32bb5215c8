"""Repair: an answer that failed verification, mended by a bounded ladder of rungs, cheapest first.

The rungs (:meth:`RepairLadder.rungs`): a model-free fix (the task's :class:`~stepcache_core.tasks.base.Fixer`),
selective patches of the failing region through the model, feedback repairs, full regenerations, and the task's
deterministic solver. The first proposal that verifies wins; nothing that fails verification is ever returned.
The model calls of one request are bounded by ``EngineConfig.max_model_calls`` (past it only model-free rungs
run), and :class:`RepairMemory` remembers the structures whose model repairs failed so that their next requests
skip them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace

from .backends.base import Backend
from .config import EngineConfig
from .intake import Prepared, RunLog
from .values import Step, Verdict
from .verify import Verification

__all__ = ["Attempt", "Rejected", "Repaired", "RepairLadder", "RepairMemory", "Rung"]


@dataclass(frozen=True)
class Attempt:
    """An answer under repair: its steps, their verdicts, the first failure and the text it came from."""

    steps: list[Step]
    verdicts: list[Verdict]
    whole: Verdict
    text: str


@dataclass(frozen=True)
class Repaired:
    """Steps that verify, and the rung that gave them (``fallback``: ``None`` for a selective patch)."""

    steps: list[Step]
    fallback: str | None


@dataclass(frozen=True)
class Rejected:
    """No rung gave steps that verify: the best attempt's text and why it failed."""

    text: str
    reason: str


Proposal = tuple[list[Step], str]
"""Steps to verify, and the text they came from."""


@dataclass(frozen=True)
class Rung:
    """One rung of the ladder: ``propose`` offers steps (``None``: nothing to offer), up to ``times`` times."""

    name: str
    times: int
    propose: Callable[[Prepared, RunLog, Backend, Attempt], Proposal | None]
    fallback: str | None
    """What the trace's ``fallback`` says when this rung's proposal is served."""
    keep_if_better: bool = False
    """A failed proposal replaces the attempt only when more of its steps verify."""
    calls_model: bool = True


class RepairMemory:
    """The structures (task signature in a collection) whose model repairs failed the last time they ran.

    The next ``skips`` requests of such a structure that need a repair skip the model rungs, the one after tries
    again: a repair that never works costs one call in ``skips + 1`` requests instead of every one. At most
    ``size`` structures are remembered (least recently failed forgotten first). Thread-safe.
    """

    def __init__(self, *, skips: int = 8, size: int = 4096) -> None:
        self.skips = skips
        self.size = size
        self._left: OrderedDict[str, int] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _key(prep: Prepared) -> str:
        return f"{prep.collection}\x1f{prep.signature}"

    def skip(self, prep: Prepared) -> bool:
        """Whether this request skips model repairs (and counts one skip)."""
        if not prep.signature:
            return False
        key = self._key(prep)
        with self._lock:
            left = self._left.get(key)
            if left is None:
                return False
            if left <= 1:
                del self._left[key]
            else:
                self._left[key] = left - 1
            return True

    def mark(self, prep: Prepared, failed: bool) -> None:
        """Record how model repairs of this request's structure went."""
        if not prep.signature:
            return
        key = self._key(prep)
        with self._lock:
            if not failed:
                self._left.pop(key, None)
                return
            self._left[key] = self.skips
            self._left.move_to_end(key)
            while len(self._left) > self.size:
                self._left.popitem(last=False)


class RepairLadder:
    """Runs the task's repair ladder on a failed answer (:meth:`repair`).

    A task configures its rungs with :class:`~stepcache_core.tasks.base.RepairPolicy` (how many patches,
    feedback repairs and regenerations) and by naming a fixer and a solver; a subclass may change :meth:`rungs`.
    """

    def __init__(self, verification: Verification, config: EngineConfig, memory: RepairMemory | None = None) -> None:
        self.verification = verification
        self.config = config
        self.memory = memory if memory is not None else RepairMemory()

    def repair(self, prep: Prepared, run: RunLog, backend: Backend, attempt: Attempt, *, selective: bool) -> Repaired | Rejected:
        """One bounded loop over the rungs; the first proposal that verifies wins.

        ``selective`` keeps the patches and the solver only: used when a cached entry failed, so that the
        generation path, not this one, pays for a fresh generation and its repairs.
        """
        budget = self.config.max_model_calls
        if run.barren is None:
            run.barren = self.memory.skip(prep)
        barren = run.barren
        if barren:
            budget = run.calls
            run.notes.append("model repairs skipped: they failed for this structure the last time")
        tried_model = False
        for rung in self.rungs(prep, selective):
            for _ in range(rung.times):
                if rung.calls_model and budget is not None and run.calls >= budget:
                    if not barren:
                        run.notes.append(f"{rung.name} skipped: the request's {budget} model calls are spent")
                    break
                proposal = rung.propose(prep, run, backend, attempt)
                if proposal is None:
                    break
                tried_model = tried_model or rung.calls_model
                steps, text = proposal
                ok, whole, verdicts = self.verification.steps(prep, steps, run)
                if ok:
                    if rung.calls_model:
                        self.memory.mark(prep, False)
                    return Repaired(steps, rung.fallback)
                tried = Attempt(steps, verdicts, whole, text)
                if not rung.keep_if_better or sum(v.ok for v in verdicts) > sum(v.ok for v in attempt.verdicts):
                    attempt = tried
                if rung.name == "solve":
                    run.notes.append(f"deterministic solver output failed verification: {whole.reason}")
        if tried_model:
            self.memory.mark(prep, True)
        run.notes.append(f"repair exhausted: {attempt.whole.reason}")
        return Rejected(attempt.text, attempt.whole.reason)

    def rungs(self, prep: Prepared, selective: bool) -> list[Rung]:
        """The ladder for this request's task, cheapest first, without the rungs it does not have."""
        profile, policy = prep.profile, prep.profile.repair
        full = 0 if selective else 1
        rungs = [
            Rung("fix", 1 if profile.fixer is not None else 0, self._fix, "fix", keep_if_better=True, calls_model=False),
            Rung("patch", policy.patch_attempts, self._patch, None),
            Rung("repair", policy.feedback_repairs * full, self._feedback, "repair"),
            Rung("regenerate", policy.full_regenerations * full, self._regenerate, "regenerate"),
            Rung("solve", 1 if profile.solver is not None else 0, self._solve, "deterministic", calls_model=False),
        ]
        return [r for r in rungs if r.times > 0]

    def _fix(self, prep: Prepared, run: RunLog, backend: Backend, attempt: Attempt) -> Proposal | None:
        assert prep.profile.fixer is not None
        with run.stage("fix"):
            try:
                fixed = prep.profile.fixer.fix(prep.problem, attempt.steps, attempt.verdicts)
            except Exception as e:  # a fixer that cannot cope offers nothing
                run.notes.append(f"fixer raised {type(e).__name__}: {e}")
                return None
        return None if fixed is None else (fixed, attempt.text)

    def _patch(self, prep: Prepared, run: RunLog, backend: Backend, attempt: Attempt) -> Proposal | None:
        prompter = prep.profile.prompter
        spec = prompter.patch(prep.problem, attempt.steps, attempt.verdicts)
        completion = run.call(backend, spec, self.config.backend_timeout_s)
        try:
            return prompter.merge(prep.problem, attempt.steps, attempt.verdicts, completion.text), completion.text
        except Exception as e:  # an unreadable patch: keep the failing steps, verification says no
            run.notes.append(f"merging the patch raised {type(e).__name__}: {e}")
            return list(attempt.steps), completion.text

    def _feedback(self, prep: Prepared, run: RunLog, backend: Backend, attempt: Attempt) -> Proposal | None:
        spec = prep.profile.prompter.repair(prep.problem, attempt.text, attempt.whole)
        if spec is None:
            return None
        text = run.call(backend, spec, self.config.backend_timeout_s).text
        return self.verification.segment(prep.profile, text, "generated"), text

    def _regenerate(self, prep: Prepared, run: RunLog, backend: Backend, attempt: Attempt) -> Proposal | None:
        spec = replace(prep.profile.prompter.generate(prep.problem), purpose="regenerate")
        text = run.call(backend, spec, self.config.backend_timeout_s).text
        return self.verification.segment(prep.profile, text, "generated"), text

    def _solve(self, prep: Prepared, run: RunLog, backend: Backend, attempt: Attempt) -> Proposal | None:
        assert prep.profile.solver is not None
        with run.stage("solve"):
            solved = prep.profile.solver.solve(prep.problem)
        return self.verification.segment(
            prep.profile, solved, "deterministic"
        ), attempt.text  # a refusal reports the model's text
