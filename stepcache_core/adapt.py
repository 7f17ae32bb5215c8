"""Adaptation: a cached answer rewritten for the new request, verified, and searched for what it carries over.

For each candidate the retriever found: segment the cached answer, let the task's
:class:`~stepcache_core.tasks.base.Adapter` rewrite its steps, verify them, and ask the task's
:class:`~stepcache_core.tasks.base.Carryover` what the reuse would still say of the cached request. The best
candidate wins: one that verifies, else the one with the most (and the longest prefix of) verified steps, which
the repair stage may patch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .embed import Embedder, SupportsWarmup, cosine
from .intake import Prepared, RunLog
from .retrieve import Retriever
from .store import Candidate, Entry
from .tasks.base import AdaptContext
from .values import Step, Verdict
from .verify import Verification, merge_stale

__all__ = ["Adapted", "Adaptation"]


@dataclass(frozen=True)
class Adapted:
    """One candidate adapted to the request: the cached steps, the adapted steps and their verdicts."""

    candidate: Candidate
    old: Any
    """The task's parse of the candidate's request."""
    cached: list[Step]
    steps: list[Step]
    ok: bool
    whole: Verdict
    """The first failure, or a pass."""
    verdicts: list[Verdict]
    score: tuple[bool, int, int]
    """(verifies, steps verified, verified prefix): the best candidate has the highest."""
    fixed: bool = False
    """Stale text that no patch rewrites (outside the steps): only the caller's model can answer."""


def shown(adapted: Sequence[Step], answered: Sequence[Step]) -> frozenset[str]:
    """The doubts of ``adapted`` (see :attr:`~stepcache_core.values.Step.doubt`) that a model answer ``answered``
    settles: it says the adapted text word for word, numbers written as they were ("1080", where whether the model
    groups thousands was the doubt)."""
    doubts = frozenset(s.doubt for s in adapted if s.doubt)
    if doubts and "".join(s.text for s in adapted).strip() == "".join(s.text for s in answered).strip():
        return doubts
    return frozenset()


def _varied(corroboration: Any, old: Any, new: Any, cached: Sequence[Step], adapted: Sequence[Step]) -> frozenset[str]:
    """The slots a reuse of ``cached`` as ``adapted`` varies: what the task's ``changed`` reads off the adapted
    answer (the slots its values moved in) where it has one, else what ``varied`` reads off the two requests."""
    changed = getattr(corroboration, "changed", None)
    if changed is not None:
        return frozenset(changed(old, new, cached, adapted))
    return frozenset(corroboration.varied(old, new, cached))


class Adaptation:
    """Adapts and verifies candidates (:meth:`best`) and finds what a reuse carries over (:meth:`stale`)."""

    def __init__(self, verification: Verification, embedder: Embedder) -> None:
        self.verification = verification
        self.embedder = embedder

    def best(self, prep: Prepared, run: RunLog, candidates: Sequence[tuple[Candidate, Any]]) -> Adapted | None:
        """Adapt and verify each candidate; stop at the first that verifies, else keep the best score."""
        profile = prep.profile
        best: Adapted | None = None
        for cand, old in candidates:
            with run.stage("segment"):
                cached = self.verification.segment(profile, cand.entry.output)
            steps = cached
            if profile.adapter is not None:
                with run.stage("adapt"):
                    try:
                        steps = profile.adapter.adapt(old, prep.problem, cached, AdaptContext(similarity=self.similarity))
                    except Exception as e:  # an adapter that cannot cope leaves the steps to verification
                        run.notes.append(f"adapter raised {type(e).__name__}: {e}")
            ok, whole, verdicts = self.verification.steps(prep, steps, run)
            stale = self.stale(prep, run, old, cached, steps, cand.entry.output)
            if stale:
                verdicts = merge_stale(verdicts, stale)
                ok, whole = False, next((v for v in verdicts if not v.ok), stale[0])
            prefix = next((i for i, v in enumerate(verdicts) if not v.ok), len(verdicts))
            fixed = any(v.step is None for v in stale)  # stale text no patch rewrites: only the model can answer
            adapted = Adapted(cand, old, cached, steps, ok, whole, verdicts, (ok, sum(v.ok for v in verdicts), prefix), fixed)
            if best is None or adapted.score > best.score:
                best = adapted
            if ok:
                break
        return best

    def stale(
        self, prep: Prepared, run: RunLog, old: Any, cached: Sequence[Step], steps: Sequence[Step], layout: str
    ) -> list[Verdict]:
        """What a reuse of ``cached`` (adapted to ``steps``, rendered in ``layout``) carries over from the cached
        request (see :class:`~stepcache_core.tasks.base.Carryover`); anything the check cannot tell is stale."""
        carry = prep.profile.carryover
        if carry is None:
            return []
        text = self.verification.render(prep.profile, steps, layout)
        with run.stage("carryover"):
            found = self.verification.guarded(
                lambda: carry.stale(old, prep.problem, cached, steps, text),
                steps,
                lambda reason: [Verdict(False, reason)],
            )
        for v in found:
            run.notes.append(f"carried over from the cached request: {v.reason}")
        return [v if not v.ok else Verdict(False, "stale", v.step, v.key) for v in found]

    def precedent(self, prep: Prepared, run: RunLog, retriever: Retriever) -> Adapted | None:
        """The newest verified entry of the same structure, adapted to this request: what an answer recorded for it
        must not contradict (found by signature, no embedding)."""
        if prep.profile.carryover is None and prep.profile.corroboration is None:
            return None
        structural = retriever.by_signature(prep, run)
        return self.best(prep, run, [structural]) if structural is not None else None

    def vouchee(self, prep: Prepared, run: RunLog, retriever: Retriever, precedent: Adapted | None) -> Adapted | None:
        """The entry a model answer recorded for ``prep`` may corroborate or veto: the ``precedent`` (the newest entry
        of the same structure), else, for a task that corroborates only through callers' answers (JSON), the nearest
        entry by similarity that adapts (another schema's, a renamed key's: what a lookup that found nothing by
        structure would have served, had it been corroborated). Without it, an entry found only by similarity is
        never vouched for on the routes that look up, let the caller's model answer, then record (``set_llm_cache``,
        tool calls, streams). The request's vector is left in ``run.vector`` for the store."""
        corroboration = prep.profile.corroboration
        if precedent is not None or corroboration is None or getattr(corroboration, "probes_itself", True):
            return precedent  # (a task that probes its entries itself has them corroborated off the caller's path)
        retrieved = retriever.by_embedding(prep, run)
        return self.best(prep, run, retrieved.chosen) if retrieved.chosen else None

    def contradicts(self, prep: Prepared, run: RunLog, precedent: Adapted | None, steps: Sequence[Step]) -> list[Verdict]:
        """Where a generated answer puts a value in a slot the precedent (the nearest compatible entry, adapted)
        filled with another key's ("belongs to Dana Levi" was no one's ``name``): one of the two is wrong, and this
        answer is not served as verified. Only checks of values count here; a correction or a note is the model's
        own."""
        if precedent is None:
            return []
        found = self.stale(prep, run, precedent.old, precedent.cached, steps, precedent.candidate.entry.output)
        return [v for v in found if v.step is not None]

    def uncorroborated(self, prep: Prepared, adapted: Adapted) -> frozenset[str]:
        """The slots this reuse of ``adapted`` changes that no second model answer has corroborated for its entry
        (see :class:`~stepcache_core.tasks.base.Corroboration`): the reuse is served only when there are none."""
        corroboration = prep.profile.corroboration
        if corroboration is None:
            return frozenset()
        try:
            varied = _varied(corroboration, adapted.old, prep.problem, adapted.cached, adapted.steps)
            return corroboration.missing(adapted.old, varied, adapted.candidate.entry.corroborated)
        except Exception as e:  # a check that cannot tell: nothing is vouched for
            return frozenset({f"unknown ({type(e).__name__})"})

    def corroborates(
        self, prep: Prepared, precedent: Adapted | None, steps: Sequence[Step]
    ) -> tuple[frozenset[str], frozenset[str]]:
        """What a verified model answer ``steps`` vouches for: the slots the precedent's entry is corroborated for
        (it agrees with the entry adapted to this request, which changed values; with those the entry already
        had), then the slots this answer is stored corroborated for. Those are the same only where this answer
        computes as the entry re-derived does (the task's ``same_form``): an answer that agrees on the result in
        another form ("2 * 5" where the entry has "5 + 5") was never checked at another point, and its own
        numbers may be read otherwise there (its 2 taken for the question's 2); and only those the task lets an
        answer in its own words inherit (``Corroboration.inherits``, optional). Both empty when they disagree or
        nothing changed."""
        corroboration = prep.profile.corroboration
        none: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())
        if corroboration is None or precedent is None or not precedent.ok:
            return none
        try:
            varied = _varied(corroboration, precedent.old, prep.problem, precedent.cached, precedent.steps)
            # only what varied is vouched for: a slot that kept its value agreed with nothing new (a 4 of the
            # question that an answer's own 4 legs per cow coincides with is told apart only where it changes)
            if varied and getattr(corroboration, "changed", None) is None:
                varied = corroboration.vouching(precedent.old, prep.problem, precedent.cached)
            vouched = corroboration.vouched(prep.problem, precedent.steps, steps) & varied if varied else frozenset()
            same_form = getattr(corroboration, "same_form", None)
            same = same_form is not None and same_form(precedent.steps, steps)
        except Exception:  # a check that cannot tell corroborates nothing
            return none
        vouched |= shown(precedent.steps, steps)
        if not vouched:
            return none
        theirs = vouched | precedent.candidate.entry.corroborated
        own = theirs if same else frozenset()
        inherits = getattr(corroboration, "inherits", None)
        if own and inherits is not None:
            try:
                own = inherits(precedent.steps, steps, own)
            except Exception:  # a check that cannot tell: this answer inherits nothing
                own = frozenset()
        return theirs, own

    def vetoed(self, prep: Prepared, precedent: Adapted | None, steps: Sequence[Step]) -> frozenset[str]:
        """The slots a model answer ``steps`` (verified or not) vetoes on the precedent's entry: it gives otherwise
        what the entry re-derived for this request moved (the task's optional ``Corroboration.vetoes``); empty
        without one, or where a check cannot tell."""
        vetoes = getattr(prep.profile.corroboration, "vetoes", None)
        if vetoes is None or precedent is None or not precedent.ok or not steps:
            return frozenset()  # (an adaptation the checks refused is no reading of the entry: nothing to veto)
        try:
            return frozenset(vetoes(prep.problem, precedent.steps, steps))
        except Exception:  # a check that cannot tell vetoes nothing (the entry still waits for an agreeing answer)
            return frozenset()

    def refuted(self, prep: Prepared, precedent: Adapted | None, steps: Sequence[Step]) -> Entry | None:
        """The precedent's entry, when a model answer ``steps`` that did not verify refutes it re-derived for this
        request (the task's ``Corroboration.refutes``); else ``None``."""
        corroboration = prep.profile.corroboration
        if corroboration is None or precedent is None or not precedent.ok:
            return None
        try:
            return precedent.candidate.entry if corroboration.refutes(prep.problem, precedent.steps, steps) else None
        except Exception:  # a check that cannot tell: the entry is checked as if refuted (where one cannot tell, no reuse)
            return precedent.candidate.entry

    def similarity(self, a: str, b: str) -> float:
        """The embedding cosine similarity of two short texts (what adapters get in :class:`AdaptContext`); 0.0 (no
        likeness vouched for) while the embedding model is still loading: a request never waits for it."""
        if isinstance(self.embedder, SupportsWarmup) and not self.embedder.ready():
            self.embedder.load_in_background()
            return 0.0
        va, vb = self.embedder.embed([a, b])
        return cosine(va, vb)
