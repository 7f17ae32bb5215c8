"""The engine: the only module that knows the order of the stages.

intake -> exact lookup -> retrieve (structure, then embedding; each candidate through the task's gate) -> adapt
-> verify (and carryover) -> repair (patch, fix, regenerate, solve) -> record (integrity check, store, trace).

Each stage is a module with a public entry point (:mod:`~stepcache_core.intake`, :mod:`~stepcache_core.retrieve`,
:mod:`~stepcache_core.adapt`, :mod:`~stepcache_core.verify`, :mod:`~stepcache_core.repair`,
:mod:`~stepcache_core.record`); the engine holds one instance of each (``engine.retriever``,
``engine.adaptation``, ``engine.verification``, ``engine.repairs``, ``engine.recorder``) and decides what runs
next. Serving sessions for streams and caller-made calls are in :mod:`~stepcache_core.serve`.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from .adapt import Adaptation, Adapted
from .backends.base import Backend
from .config import EngineConfig
from .embed import Embedder, MiniLMEmbedder
from .errors import ConfigError, StepCacheError, StoreError, StoreFailures, UnverifiedOutputError
from .intake import Prepared, RunLog, prepare
from .probe import Prober
from .record import Recorder, Reframe, Served
from .repair import Attempt, Rejected, RepairLadder
from .request import Routing, entry_id, validate_request
from .retrieve import Retrieved, Retriever
from .store import Candidate, ChromaStore, Entry, Store, SupportsCollections, SupportsExactStore
from .store.entry import vetoes
from .tasks import TaskProfile, TaskRegistry, builtin_tasks
from .tasks.base import WorthPatching
from .values import Namespace, Outcome, Path, Request, Step, Trace, Verdict
from .verify import Verification, merge_stale, seal, unreadable

__all__ = ["EngineConfig", "Reframe", "StepCacheEngine"]


class StepCacheEngine:
    """Step-level reuse with verification, selective patching and conservative fallbacks.

    Example::

        engine = StepCacheEngine(backend=LlamaCppBackend())        # embedded Chroma + MiniLM
        out = engine.run(Request("Solve for x: 3x + 5 = 20"))
        out.text, out.trace.path                                    # "...\\nx = 5", "miss"
        engine.run(Request("Solve for x: 3x + 7 = 20")).trace.path  # "reuse" (adapted, no model call)

    ``store`` defaults to a :class:`ChromaStore` at ``persist_directory`` (or the
    documented default path), ``embedder`` to the packaged MiniLM. ``tasks``
    is copied: registering a task on this engine never affects another.
    """

    def __init__(
        self,
        *,
        store: Store | None = None,
        embedder: Embedder | None = None,
        backend: Backend | None = None,
        tasks: TaskRegistry | None = None,
        config: EngineConfig | None = None,
        persist_directory: str | None = None,
        failures: StoreFailures | None = None,
    ) -> None:
        if store is not None and persist_directory is not None:
            raise ConfigError("pass either store or persist_directory")
        self.store: Store = store if store is not None else ChromaStore(persist_directory=persist_directory)
        # entries of exact-only tasks are found by id alone: a store that has a faster home for them says so
        self.exact_store: Store = self.store.exact_store() if isinstance(self.store, SupportsExactStore) else self.store
        self.embedder: Embedder = embedder if embedder is not None else MiniLMEmbedder()
        self.backend = backend
        self.tasks = (tasks if tasks is not None else builtin_tasks()).copy()
        self.config = config or EngineConfig()
        self._embed_tag = hashlib.sha256(self.embedder.name.encode()).hexdigest()[:8]
        # the stages, in the order a request meets them
        self.retriever = Retriever(self.store, self.embedder, self.config)
        self.verification = Verification(self.config)
        self.adaptation = Adaptation(self.verification, self.embedder)
        self.repairs = RepairLadder(self.verification, self.config)
        self.failures = failures if failures is not None else StoreFailures()
        """How this engine's store failures are logged (once per kind; an integration passes its own, so that
        its route logs each kind once whatever part meets it)."""
        if getattr(self.store, "read_only", False):
            self.failures.mark("read_only")  # the store said so when it opened: refused writes need not say it again
        self.recorder = Recorder(self.store, self.exact_store, self.retriever, self.verification, self.config, self.failures)
        self.prober = Prober(
            lambda request, run: self.prepare(request, run), self.adaptation, self.verification, self.recorder, self.config
        )
        """Corroboration probes (:mod:`stepcache_core.probe`); ``prober.usage`` is what they cost."""

    # ----------------------------------------------------------------- public API
    def run(
        self,
        request: Request,
        *,
        backend: Backend | None = None,
        passthrough: Backend | None = None,
        reuse: bool = True,
        store: bool = True,
        routing: Routing | None = None,
        reframe: Reframe | None = None,
    ) -> Outcome:
        """Serve a request: reuse, patch, or generate; never serve output that failed verification.

        ``passthrough`` is the caller's own call (their prompt, messages and settings, unchanged): on a miss it
        generates, for every task, so the model sees exactly what the caller sent and an answer that verifies
        is served as the model wrote it. ``backend`` (the same model, called with the task's own patch
        instructions) serves patches and repairs; without ``passthrough`` it also generates, from
        ``GenerationSpec.prompt`` (the request's prompt, verbatim). A ``passthrough`` that can be reworded
        (:class:`~stepcache_core.backends.base.Reasking`) also asks the corroboration probes of a first answer, its
        question replaced, under the caller's context (see :mod:`stepcache_core.probe`). ``routing`` overrides
        ``EngineConfig.routing`` (how a request without a task finds one). ``reframe``: see :meth:`lookup`.

        A store that fails during the lookup (down, locked, damaged) makes the request a miss: the model
        answers, and ``trace.store_error`` says what failed. Raises :class:`UnverifiedOutputError` when no attempt
        verifies and the task has no deterministic solver, :class:`BackendError` when the model fails and nothing
        verified is available.
        """
        quick = self.exact(request, routing=routing) if reuse else None
        if quick is not None:
            return quick
        t0 = time.perf_counter()
        run = RunLog()
        prep = self.prepare(request, run, routing=routing)
        model = backend or self.backend or passthrough
        if model is None:
            raise ConfigError("run() needs a backend (pass backend= here or to the engine)")
        try:
            reused = self._reuse(prep, run, model, unverified=False) if reuse else _Missed()
        except StoreError as e:  # the model can still answer: a lookup that fails is a miss, and the trace says why
            self.failures.report(e, "looking up")
            run.notes.append(f"lookup failed: {e}")
            run.store_error = str(e)
            reused = _Missed()
        served = reused if isinstance(reused, Served) else self._generate(prep, run, passthrough or model, model, reused)
        outcome = self.recorder.deliver(prep, run, served, t0, store=store, reframe=reframe)
        # probes are asked through the caller's own call, its question reworded (see ``Reasking``): one that cannot
        # be reworded asks nothing (never the caller's call as it is: that would repeat the caller's question, not
        # ask the probe's); without one, the engine's model is asked the task's prompt
        prober = backend or self.backend
        if served.refutes is not None:
            self._refuted(prep, served.refutes, prober, run, caller=passthrough)
        if store and served.path in ("miss", "skip") and served.verified and outcome.trace.store_error is None:
            # a first answer of a structure that needs corroborating: a second point, asked off the request's path
            self.prober.schedule(prep, prober, caller=passthrough)
        return outcome

    def exact(self, request: Request, *, routing: Routing | None = None) -> Outcome | None:
        """An identical request's entry, served as stored without reading the request (no parse, no verification:
        the fast path of exact repeats, and of a process whose first request comes before its imports). Only an
        entry its task's verifier accepted for this very request, by this very code (:attr:`Entry.checked`), or
        an entry of a task that verifies nothing (free text). ``None`` otherwise: :meth:`lookup` and :meth:`run`
        then go the whole way, where an identical request's entry is verified again. Raises typed errors for bad
        input; a store that fails is a ``None`` (the whole way meets it and reports it)."""
        t0 = time.perf_counter()
        request = validate_request(request)
        profile = self._task_of(request, routing or self.config.routing)
        if profile is None:
            return None
        store = self.exact_store if profile.exact_only else self.store
        key = entry_id(profile.name, request, profile.normalize)
        collection = self.collection(request.namespace)
        try:
            entry = store.get(collection, key)
        except StoreError:
            return None
        if entry is None or entry.task != profile.name:
            return None
        if profile.verifier is not None and not (entry.verified and entry.checked == seal(profile, entry.id, entry.output)):
            return None
        try:
            store.touch(collection, [entry.id])  # least recently used goes first
        except StoreError as e:
            self.failures.report(e, "marking an entry used")
        steps = tuple(self.verification.segment(profile, entry.output))
        trace = Trace(
            path="reuse",
            task=profile.name,
            verified=profile.verifier is not None,
            similarity=1.0,
            matched_id=entry.id,
            matched_prompt=entry.prompt,
            exact_hit=True,
            steps_total=len(steps),
            steps_reused=len(steps),
            latency_s=time.perf_counter() - t0,
            notes=("identical request, served as stored (verified for it by this code)",),
        )
        return Outcome(entry.output, steps, trace, frame=entry.frame)

    def _task_of(self, request: Request, routing: Routing) -> TaskProfile | None:
        """The task that would serve ``request``, found without parsing it; ``None`` when only the parse can tell
        (a prompt too long to look at, a task the request names that it cannot read: the whole way decides)."""
        try:
            if request.task is not None:
                return self.tasks.get(request.task)
            limit = self.config.max_prompt_chars
            if routing.detect_max_chars is not None:
                limit = min(limit, routing.detect_max_chars)
            if len(request.prompt) > limit:
                return self.tasks.get(routing.fallback_task) if routing.fallback_task in self.tasks else None
            return self.tasks.detect(request)
        except StepCacheError:
            return None

    def lookup(
        self,
        request: Request,
        *,
        backend: Backend | None = None,
        routing: Routing | None = None,
        unverified: bool = True,
        reframe: Reframe | None = None,
    ) -> Outcome | None:
        """Reuse only (patching through ``backend`` when given). ``None`` is a miss.

        ``unverified``: an identical request's answer that the verifier could not read (kept by :meth:`record`)
        is served back unchanged, with ``trace.verified`` false, as an exact cache would. Routes that can
        still generate and repair (streams) pass ``False``.

        ``reframe(source_frame, text) -> frame``: how an integration delivers the served ``text`` when it is
        adapted or patched from an entry recorded with a frame (see :meth:`record`): the source's envelope with
        ``text`` in it and whatever else belongs to this answer alone (a fresh call id). The reuse is served
        with that frame (:attr:`Outcome.frame`) and stored with it, so an identical request later gets exactly
        what this one got. ``""`` when ``text`` cannot be framed: the outcome has no frame and is not stored.
        Without ``reframe``, such a reuse is served with the source's frame and is not stored: the source's
        envelope (its arguments, its call id) belongs to the source, and stored with this answer it would be
        what this prompt's exact repeat is served. An exact hit returns its own recorded frame, unchanged."""
        quick = self.exact(request, routing=routing)
        if quick is not None:
            return quick
        t0 = time.perf_counter()
        run = RunLog()
        prep = self.prepare(request, run, routing=routing)
        reused = self._reuse(prep, run, backend, unverified=unverified)
        if isinstance(reused, _Missed):
            return None
        return self.recorder.deliver(prep, run, reused, t0, store=True, reframe=reframe)

    def record(self, request: Request, output: str, *, routing: Routing | None = None, frame: str = "") -> bool:
        """Verify ``output`` for ``request`` and store it.

        ``frame`` is kept with the entry, unread: how the answer was delivered beyond its text (an integration's
        tool-call envelope, whose arguments are ``output``). An exact hit returns it in :attr:`Outcome.frame`;
        an adapted or patched reuse hands it to the lookup's ``reframe`` (see :meth:`lookup`), so the adapted
        text is served in the same shape.

        Returns ``True`` when stored as verified (or for a task without a verifier), ``False`` when the output
        failed verification, contradicts the newest entry of its structure (a value in a slot that entry gave to
        another key), or is too long to verify and store. An output the verifier could not *read* (no
        final answer it recognises, a step it cannot parse), as opposed to one it found wrong, is still kept
        for identical requests only, unverified, as an exact cache keeps everything: ``False`` is returned
        all the same. An answer whose reuse with other values needs corroborating (word problems) is probed in
        the background through the engine's own backend, when it has one (:mod:`stepcache_core.probe`). A store that fails raises :class:`StoreError`: a broken store is never reported as a
        failed verification.
        """
        run = RunLog()
        prep = self.prepare(request, run, routing=routing)
        profile = prep.profile
        steps = self.verification.segment(profile, output, "generated")
        if profile.verifier is None:
            return self.recorder.put(prep, output, verified=False, run=run, frame=frame)
        text = profile.segmenter.render(steps)
        ok, _, verdicts = self.verification.steps(prep, steps, run)
        whole = self.verification.whole(prep, text) if ok else Verdict.passed()
        checks = (ok and whole.ok) or profile.corroboration is not None  # (an unverified answer may refute or veto)
        nearest = self.adaptation.precedent(prep, run, self.retriever) if checks else None
        precedent = nearest if ok and whole.ok else None
        # the entry this answer may vouch for or veto: the nearest of its structure, else (JSON) the nearest by
        # similarity, which a lookup that found nothing by structure would have served
        vouchee = self.adaptation.vouchee(prep, run, self.retriever, nearest) if profile.corroboration else None
        # an answer that gives otherwise what that entry re-derived moves vetoes those keys on it (JSON)
        marks = self._veto(prep, run, vouchee, steps) if not _cut(prep.request, 0, output) else frozenset()
        if ok and whole.ok and not self.adaptation.contradicts(prep, run, precedent, steps):
            # as the model wrote it: exact repeats are byte-identical
            slots, own = self.adaptation.corroborates(prep, vouchee, steps)
            own |= marks  # (the structure's vetoes hold for this answer too, agreeing or not)
            stored = self.recorder.put(prep, output, verified=True, run=run, frame=frame, corroborated=own)
            if stored and slots and vouchee is not None:
                self.recorder.corroborate(prep, vouchee.candidate.entry, slots, run)
            if stored and self.backend is not None:  # the engine's own model, when it has one, may probe it
                self.prober.schedule(prep, self.backend)
            return stored
        if not (ok and whole.ok) and profile.corroboration is not None and not _cut(prep.request, 0, output):
            # unverified, and yet it may say the nearest entry re-derived is wrong here (a rule that entry never showed;
            # an answer the caller's max_output_tokens may have cut says nothing of it)
            refuted = self.adaptation.refuted(prep, nearest, steps)
            if refuted is not None:
                self._refuted(prep, refuted, self.backend, run)
        if prep.asks_more or (text == output and unreadable(verdicts if not ok else [whole])):
            self.recorder.put(prep, output, verified=False, run=run, frame=frame)
        return False

    def _refuted(
        self, prep: Prepared, entry: Entry, backend: Backend | None, run: RunLog, *, caller: Backend | None = None
    ) -> None:
        """A model answer to ``prep`` that did not verify refutes ``entry`` re-derived for it: the model answers the
        point next to it in the background (asked through ``caller``, the caller's own call, reworded; without
        one, through ``backend``), and the entry is disputed unless it agrees there (a step skipped at this point
        only); where no point can be asked so, the entry is disputed at once."""
        if backend is not None or caller is not None:
            self.prober.confirm(prep, entry, backend, caller)
            return
        try:
            self.recorder.dispute(prep, entry, run)
        except StoreError as e:
            self.failures.report(e, "disputing an entry")
            run.notes.append(f"dispute failed: {e}")

    def _veto(self, prep: Prepared, run: RunLog, precedent: Adapted | None, steps: list[Step]) -> frozenset[str]:
        """Mark the precedent's entry, and every verified entry of this request's structure, with what a model answer
        ``steps`` vetoes (see :meth:`Adaptation.vetoed`): the slots it gives otherwise than the entry re-derived for
        this request. An older entry vouched for at records that needed no change would otherwise serve the next
        record the veto was for. Returns the precedent's marks, old and new: an answer stored after it inherits
        them, agreeing with it or not (a veto holds for the structure, not for one entry)."""
        if precedent is None:
            return frozenset()
        slots = self.adaptation.vetoed(prep, precedent, steps)
        if not slots:
            return vetoes(precedent.candidate.entry.corroborated)
        try:
            entries = {precedent.candidate.entry.id: precedent.candidate.entry}
            if prep.signature:
                for entry in self.recorder.store_for(prep).find(prep.collection, prep.signature, _STRUCTURE_SCAN):
                    if entry.task == prep.profile.name and entry.verified:
                        entries.setdefault(entry.id, entry)
            for entry in entries.values():
                self.recorder.corroborate(prep, entry, slots, run)
        except StoreError as e:
            self.failures.report(e, "vetoing an entry's slots")
            run.notes.append(f"veto failed: {e}")
        run.notes.append(f"the model's answer gives otherwise what the entry re-derived moves: {', '.join(sorted(slots))}")
        return slots | vetoes(precedent.candidate.entry.corroborated)

    def warm(self) -> None:
        """Load ahead of traffic what the first requests would otherwise do without: the embedding model (until it
        is loaded, requests skip similarity search and entries are embedded in the background) and the store's
        default collection."""
        self.embedder.embed(["warm up"])
        self.store.count(self.collection(Namespace()))

    def resolve(self, request: Request, *, routing: Routing | None = None) -> Request:
        """The request with the task that serves it set (see :class:`Routing`). Raises typed errors."""
        prep = self.prepare(request, routing=routing)
        return request if request.task == prep.profile.name else replace(request, task=prep.profile.name)

    def clear(self, namespace: Namespace | None = None) -> None:
        """Remove every entry, or those of one namespace."""
        with self.recorder.lock:
            collection = None if namespace is None else self.collection(namespace)
            self.store.clear(collection)
            if self.exact_store is not self.store:
                self.exact_store.clear(collection)

    def count(self, namespace: Namespace | None = None) -> int:
        """The entries of one namespace, or with ``None`` of every namespace under this engine's embedder (every
        tenant, model and setting an integration keys by; a store that cannot list its collections counts the
        default namespace)."""
        stores = [self.store] if self.exact_store is self.store else [self.store, self.exact_store]
        if namespace is not None:
            return sum(s.count(self.collection(namespace)) for s in stores)
        total = 0
        for s in stores:
            if isinstance(s, SupportsCollections):
                mine = [c for c in s.collections() if c.endswith(f"-{self._embed_tag}")]
            else:
                mine = [self.collection(Namespace())]
            total += sum(s.count(c) for c in mine)
        return total

    def collection(self, namespace: Namespace) -> str:
        """The store collection of a namespace under this engine's embedder."""
        return f"{namespace.key}-{self._embed_tag}"

    def prepare(self, request: Request, run: RunLog | None = None, *, routing: Routing | None = None) -> Prepared:
        """Intake: the request validated and routed, as every stage receives it (``run`` collects its log)."""
        return prepare(
            request,
            self.tasks,
            routing or self.config.routing,
            max_prompt_chars=self.config.max_prompt_chars,
            collection=self.collection,
            run=run if run is not None else RunLog(),
        )

    # ----------------------------------------------------------------- the order of the stages

    def _reuse(self, prep: Prepared, run: RunLog, backend: Backend | None, *, unverified: bool) -> Served | _Missed:
        """Reused (served from the cache, adapted or patched), or missed with the nearest candidate and why.

        ``unverified``: serve an identical request's unreadable answer unchanged (see :meth:`record`)."""
        exact = self._exact(prep, run, unverified=unverified)
        if exact is not None:
            return exact
        if prep.profile.exact_only:
            return _Missed()  # reused only when identical: nothing to retrieve, nothing to embed
        # retrieval proposes, verification decides: the structural match first, then the nearest
        # neighbours; the candidate whose adapted steps verify best wins
        best = self._structural(prep, run)
        retrieved = Retrieved()
        if best is None or not self._serves(prep, best):
            # (an entry of the same structure that adapts but is not vouched for where this request moves it may
            # have hidden an older one that is, past the newest few)
            seen = best.candidate.entry.id if best else None
            retrieved = self.retriever.by_embedding(prep, run)
            fallback = self._servable(prep, run, [c for c in retrieved.chosen if c[0].entry.id != seen])
            if fallback is not None and (best is None or self._serves(prep, fallback) or fallback.score > best.score):
                best = fallback
        if best is None:
            return _Missed(retrieved.nearest, retrieved.skip_reason)
        if doubt := _doubt(best):
            # true for every check, and maybe not as the model would write it: its answer agrees, corroborates the
            # entry, and where it is written so, vouches for the doubt
            reason = f"no answer has shown yet how the model writes a number here ({doubt})"
            run.notes.append(f"reuse skipped: {reason}; the model answers")
            return _Missed(best.candidate, reason, best)
        if best.ok and (unsupported := self.adaptation.uncorroborated(prep, best)):
            # one verified answer vouches for its own numbers; re-derived for others it may carry a consistent slip
            reason = f"the cached answer is not yet corroborated for other values ({', '.join(sorted(unsupported))})"
            run.notes.append(f"reuse skipped: {reason}; the model answers, and an answer that agrees corroborates it")
            return _Missed(best.candidate, reason, best)
        if prep.profile.verifier is None or best.ok:
            cand = best.candidate
            verified = prep.profile.verifier is not None
            served: Served | _Missed = Served(
                "reuse",
                best.steps,
                cand.similarity,
                cand.entry,
                verified=verified,
                layout=cand.entry.output if verified else None,
            )
        else:
            served = self._patch(prep, run, backend, best, retrieved)
        within = best.candidate.entry.output  # the model wrote it whole under the same limits (one namespace)
        if isinstance(served, Served) and (beyond := _beyond(prep.request, self._text(prep, served), within)):
            # the caller's model, under the caller's limits, would not have written it: it answers instead
            run.notes.append(f"{served.path} skipped: {beyond}; the model answers")
            return _Missed(best.candidate, beyond, best)
        return served

    def _text(self, prep: Prepared, served: Served) -> str:
        """The text ``served`` is delivered as (see :meth:`Recorder.deliver`)."""
        return served.text if served.text is not None else self.verification.render(prep.profile, served.steps, served.layout)

    def _structural(self, prep: Prepared, run: RunLog) -> Adapted | None:
        """Of the entries of the same structure, the first whose adaptation verifies and needs no corroboration it
        lacks (a precedent corroborated for other values may not serve a names-only variant of a question that
        has an entry of its own), else the best adapted."""
        return self._servable(prep, run, self.retriever.by_structure(prep, run))

    def _servable(self, prep: Prepared, run: RunLog, candidates: Iterable[tuple[Candidate, Any]]) -> Adapted | None:
        """Of ``candidates`` (in order), the first whose adaptation verifies and needs no corroboration it lacks,
        else the best adapted: an entry stored later and vouched for less (a caller's variant, a reuse found by
        similarity) never hides one that serves."""
        best: Adapted | None = None
        for candidate in candidates:
            adapted = self.adaptation.best(prep, run, [candidate])
            if adapted is None:
                continue
            if self._serves(prep, adapted):
                return adapted
            if best is None or adapted.score > best.score:
                best = adapted
        return best

    def _serves(self, prep: Prepared, adapted: Adapted) -> bool:
        """Whether ``adapted`` verifies and needs no corroboration its entry lacks."""
        return adapted.ok and not _doubt(adapted) and not self.adaptation.uncorroborated(prep, adapted)

    def _exact(self, prep: Prepared, run: RunLog, *, unverified: bool) -> Served | None:
        """The identical request's entry, when it may be served."""
        profile = prep.profile
        with run.stage("exact"):
            exact = self.recorder.store_for(prep).get(prep.collection, prep.entry_id)
        if exact is None or exact.task != profile.name:
            return None
        steps = self.verification.segment(profile, exact.output)
        # a verified entry of this very request holds the model's answer to it: its values are judged as the
        # model's own (a yes/no the text does not state was the model's reading of this text, and still is)
        judged = [replace(s, origin="generated") for s in steps] if exact.verified else steps
        ok, verdict, verdicts = self.verification.steps(prep, judged, run)
        served = Served(
            "reuse", steps, similarity=1.0, matched=exact, exact=True, verified=profile.verifier is not None, text=exact.output
        )
        if ok:
            return served
        if not exact.verified and prep.asks_more:
            # the model's own answer to a request that asks more than the task reads: an exact cache's answer
            run.notes.append(f"identical request; it asks more than the task reads ({verdict.reason})")
            return replace(served, verified=False)
        if unverified and not exact.verified and unreadable(verdicts) and profile.segmenter.render(steps) == exact.output:
            run.notes.append(f"identical request; its answer could not be verified ({verdict.reason})")
            return replace(served, verified=False)
        run.notes.append(f"exact entry failed re-verification: {verdict.reason}")
        return None

    def _patch(
        self, prep: Prepared, run: RunLog, backend: Backend | None, best: Adapted, retrieved: Retrieved
    ) -> Served | _Missed:
        """The best candidate failed verification: selective patches through ``backend``, or a miss."""
        cand, steps = best.candidate, best.steps
        nearest = retrieved.nearest or cand
        missed = _Missed(nearest, retrieved.skip_reason or "cached entry failed verification and could not be patched", best)
        if best.fixed:
            run.notes.append(f"reuse skipped: {best.whole.reason}")
            return _Missed(nearest, f"the cached answer says what the new request does not: {best.whole.reason}", best)
        if backend is None:
            run.notes.append(f"reuse failed verification, no backend to patch: {best.whole.reason}")
            return missed
        if self.adaptation.uncorroborated(prep, best):  # a patched structure is no better vouched for
            run.notes.append(f"reuse failed verification, and its entry is not corroborated: {best.whole.reason}")
            return missed
        prompter = prep.profile.prompter
        if isinstance(prompter, WorthPatching) and not prompter.worth_patching(prep.problem, steps, best.verdicts):
            run.notes.append(f"reuse failed verification before any step of substance verified: {best.whole.reason}")
            return missed  # nothing of the old answer holds for this request: the caller's own prompt generates
        # a failed reuse gets the selective patches only: regenerating from scratch is the generation path's job
        attempt = Attempt(steps, best.verdicts, best.whole, prep.profile.segmenter.render(steps))
        result = self.repairs.repair(prep, run, backend, attempt, selective=True)
        if isinstance(result, Rejected):
            return missed
        if self.adaptation.stale(prep, run, best.old, best.cached, result.steps, cand.entry.output):
            return missed  # the patch left the cached request's text in place, or contradicts it: the model answers
        return Served("patch", result.steps, cand.similarity, cand.entry, fallback=result.fallback, layout=cand.entry.output)

    def _generate(self, prep: Prepared, run: RunLog, model: Backend, backend: Backend, missed: _Missed) -> Served:
        """A miss: ``model`` (the caller's own call, or ``backend``) answers; ``backend`` patches what fails."""
        profile = prep.profile
        path: Path = "skip" if missed.reason or missed.nearest is not None else "miss"
        reason = missed.reason or ("cached entry failed verification and could not be patched" if path == "skip" else None)
        similarity = missed.nearest.similarity if missed.nearest else None
        matched = missed.nearest.entry if missed.nearest else None
        completion = run.call(model, profile.prompter.generate(prep.problem), self.config.backend_timeout_s)
        steps = self.verification.segment(profile, completion.text, "generated")
        served = Served(path, steps, similarity, matched, verified=False, skip_reason=reason, text=completion.text)
        if profile.verifier is None:
            return served
        ok, whole, verdicts = self.verification.steps(prep, steps, run)
        cut = _cut(prep.request, completion.completion_tokens, completion.text)
        marks = self._veto(prep, run, missed.precedent, steps) if not cut else frozenset()
        served = replace(served, corroborated=marks)  # the structure's vetoes hold for this answer, agreeing or not
        if ok and (contradicts := self.adaptation.contradicts(prep, run, missed.precedent, steps)):
            verdicts = merge_stale(verdicts, contradicts)
            ok, whole = False, next((v for v in verdicts if not v.ok), contradicts[0])
        if ok:  # served as the model wrote it; agreeing with the nearest entry re-derived, it corroborates that
            slots, own = self.adaptation.corroborates(prep, missed.precedent, steps)
            corroborates = missed.precedent.candidate.entry if slots and missed.precedent is not None else None
            return replace(served, verified=True, corroborated=own | marks, corroborates=corroborates, vouches=slots)
        if not _cut(prep.request, completion.completion_tokens, completion.text) and (
            refuted := self.adaptation.refuted(prep, missed.precedent, steps)
        ):  # (an answer the caller's max_output_tokens may have cut refutes nothing)
            # unverified, and yet it says the nearest entry re-derived is wrong here (a rule the entry never showed)
            run.notes.append("the model's answer refutes the nearest entry re-derived: checked at the point next to it")
            served = replace(served, refutes=refuted)
        if prep.asks_more:  # the task's repairs would answer its own question, not the one asked
            run.notes.append(f"the request asks more than the task reads; the model's answer stands ({whole.reason})")
            return served
        result = self.repairs.repair(prep, run, backend, Attempt(steps, verdicts, whole, completion.text), selective=False)
        if isinstance(result, Rejected) and profile.model_answers:  # nothing can mend it: the model's own answer
            run.notes.append(f"the model's answer failed verification; served as written ({whole.reason})")
            return replace(served, storable=unreadable(verdicts))
        if isinstance(result, Rejected):
            raise UnverifiedOutputError(profile.name, result.reason, result.text, **run.usage())
        if beyond := _beyond(prep.request, self.verification.render(profile, result.steps, completion.text)):
            run.notes.append(
                f"the repaired answer was not served: {beyond}; the model's answer served as written ({whole.reason})"
            )
            return replace(served, storable=unreadable(verdicts))
        if contradicts := self.adaptation.contradicts(prep, run, missed.precedent, result.steps):
            raise UnverifiedOutputError(profile.name, contradicts[0].reason, completion.text, **run.usage())
        # the solver's steps stand in for an answer the verifier did not take that states the right value ("x = 5 > 0",
        # "x = 15 : 3"): served for this request, never stored, so no later request is adapted from a layout the
        # model never wrote (for an answer wrong in value, they are the task's right answer, stored as ever)
        served = replace(
            served,
            steps=result.steps,
            verified=True,
            fallback=result.fallback or "patch",
            text=None,
            layout=completion.text,
            storable=not (result.fallback == "deterministic" and _right_in_value(profile, prep.problem, completion.text)),
        )
        if (
            missed.precedent is not None
            and result.fallback not in ("deterministic", "fix")
            and not getattr(profile.corroboration, "probes_itself", True)
        ):  # the model's own repaired answer, asked without the entry's values, agrees with it or not all the same
            slots, own = self.adaptation.corroborates(prep, missed.precedent, result.steps)
            if slots:
                served = replace(served, corroborated=own | marks, corroborates=missed.precedent.candidate.entry, vouches=slots)
        return served


def _right_in_value(profile: TaskProfile, problem: Any, text: str) -> bool:
    """Whether the task's solver finds its own result stated in the model's answer ``text`` (see
    ``EquationSolver.states_the_root``); ``False`` for a solver that cannot tell, or that raises."""
    states = getattr(profile.solver, "states_the_root", None)
    try:
        return bool(states(problem, text)) if states is not None else False
    except Exception:
        return False


_STRUCTURE_SCAN = 256
"""How many entries of a structure a veto marks at most (the newest first)."""


def _beyond(request: Request, text: str, within: str = "") -> str:
    """Why the caller's model, under the request's limits, may not have written ``text`` (not its own completion),
    or ``""``: it holds one of the caller's stop strings (the model stops before one), or it may be longer than
    ``max_output_tokens``. No common tokenizer (byte-level BPE, SentencePiece with byte fallback) makes more tokens
    than UTF-8 bytes: a text within that many bytes is never cut; nor is one no longer than ``within``, an answer
    the model wrote whole under the same limits (the entry a reuse adapts: its digits and names changed, not its
    words, so it tokenizes alike)."""
    hit = next((s for s in request.stop if s and s in text), None)
    if hit is not None:
        return f"it holds the caller's stop string {hit!r}"
    limit, size = request.max_output_tokens, len(text.encode("utf-8"))
    if limit is not None and size > limit and size > len(within.encode("utf-8")):
        return f"it may be longer than the caller's max_output_tokens ({limit})"
    return ""


def _cut(request: Request, completion_tokens: int, text: str) -> bool:
    """Whether the caller's ``max_output_tokens`` may have cut the model's completion: it used them all, or, where
    the backend reports no usage, its text is as long in bytes (it cannot hold more tokens than bytes)."""
    limit = request.max_output_tokens
    if limit is None:
        return False
    used = completion_tokens if completion_tokens > 0 else len(text.encode("utf-8"))
    return used >= limit


def _doubt(adapted: Adapted) -> str:
    """Why the adapted steps may not be what the model would write (see :attr:`Step.doubt`) that no answer of the
    model has settled for their entry, or ``""``."""
    settled = adapted.candidate.entry.corroborated
    return next((s.doubt for s in adapted.steps if s.doubt and s.doubt not in settled), "")


@dataclass(frozen=True)
class _Missed:
    """No reuse: the nearest retrieved candidate (if any) and why it was not served."""

    nearest: Candidate | None = None
    reason: str | None = None
    precedent: Adapted | None = None
    """The nearest compatible entry, adapted: what a generated answer must not contradict."""
