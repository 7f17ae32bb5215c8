"""The engine: the only module that knows the order of the stages.

intake -> exact lookup -> embed -> retrieve -> gate (skip-reuse) -> segment ->
adapt -> verify -> patch / repair / deterministic fallback -> integrity check
-> store -> outcome with trace.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from .backends.base import Backend, call_backend
from .bounds import VerificationBudgetExceeded, deadline
from .embed import Embedder, MiniLMEmbedder, cosine
from .errors import ConfigError, StepCacheError, StoreError, UnverifiedOutputError
from .request import Routing, entry_id, resolve_task, validate_request
from .serve import StreamSession
from .store import Candidate, ChromaStore, Entry, Store, key_vector
from .tasks import TaskProfile, TaskRegistry, builtin_tasks
from .tasks.base import AdaptContext
from .values import Completion, GenerationSpec, Namespace, Origin, Outcome, Path, Request, Step, Trace, Verdict

__all__ = ["EngineConfig", "StepCacheEngine", "LazyEngine"]

_V = TypeVar("_V")

Reframe = Callable[[str, str], str]
"""``(source frame, served text) -> frame`` of an adapted or patched reuse (see :meth:`StepCacheEngine.lookup`)."""


@dataclass(frozen=True)
class EngineConfig:
    """Tuning knobs.

    ``similarity_threshold``: below it a retrieved entry is not considered
    (verification still decides above it). ``top_k``: candidates examined.
    ``backend_timeout_s``: per backend call; ``None`` waits forever.
    ``max_output_chars`` / ``max_steps``: an answer longer than this is never
    verified (it fails: "cannot verify, don't reuse") and never stored.
    ``verify_budget_s``: time budget of one verification; past it the
    verdict is a failure, never a pass. ``routing``: how a request without
    an explicit task finds one (:class:`Routing`); the integrations pass
    their own per call. ``max_model_calls``: the model calls one request may
    make, generation, patches and repairs together (``None``: the whole
    repair ladder). Past it only model-free rungs run (the fixer, the
    deterministic solver): a request never costs much more than the model
    alone, and what still fails verification is an error, never served.
    Model repairs that failed for a structure (same signature, same
    namespace) are skipped by its next eight requests that need one, then
    tried again.
    """

    similarity_threshold: float = 0.3
    top_k: int = 3
    max_prompt_chars: int = 32_000
    backend_timeout_s: float | None = 300.0
    store_outputs: bool = True
    max_output_chars: int = 64_000
    max_steps: int = 400
    verify_budget_s: float | None = 5.0
    routing: Routing = Routing()
    max_model_calls: int | None = 2

    def __post_init__(self) -> None:
        if not -1.0 <= self.similarity_threshold <= 1.0:
            raise ConfigError("similarity_threshold must be in [-1, 1]")
        if self.top_k < 1:
            raise ConfigError("top_k must be >= 1")
        if self.max_prompt_chars < 1:
            raise ConfigError("max_prompt_chars must be >= 1")
        if self.max_output_chars < 1 or self.max_steps < 1:
            raise ConfigError("max_output_chars and max_steps must be >= 1")
        if self.verify_budget_s is not None and self.verify_budget_s <= 0:
            raise ConfigError("verify_budget_s must be > 0 or None")
        if self.max_model_calls is not None and self.max_model_calls < 1:
            raise ConfigError("max_model_calls must be >= 1 or None")


@dataclass
class _Run:
    """Mutable bookkeeping of one request (never shared between requests)."""

    stages: dict[str, float] = field(default_factory=dict)
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    notes: list[str] = field(default_factory=list)
    vector: list[float] | None = None  # the request's embedding, once computed (retrieval, then the store)
    barren: bool | None = None  # whether this request skips model repairs (decided once, at its first repair)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        t = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - t

    def usage(self) -> dict[str, int]:
        return {"model_calls": self.calls, "prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens}

    def spend(self, c: Completion) -> None:
        self.calls += 1
        self.prompt_tokens += c.prompt_tokens
        self.completion_tokens += c.completion_tokens


@dataclass(frozen=True)
class _Prepared:
    request: Request
    profile: TaskProfile
    problem: Any
    collection: str
    entry_id: str

    @property
    def signature(self) -> str:
        """The structure key stored with verified entries (``""`` when the task has none)."""
        sig = self.profile.signature
        if sig is None:
            return ""
        return hashlib.sha256(f"{self.profile.name}\x1f{sig(self.problem)}".encode()).hexdigest()[:32]


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
    ) -> None:
        if store is not None and persist_directory is not None:
            raise ConfigError("pass either store or persist_directory")
        self.store: Store = store if store is not None else ChromaStore(persist_directory=persist_directory)
        # entries of exact-only tasks are found by id alone: a store that has a faster home for them says so
        companion = getattr(self.store, "exact_store", None)
        self.exact_store: Store = companion() if callable(companion) else self.store
        self.embedder: Embedder = embedder if embedder is not None else MiniLMEmbedder()
        self.backend = backend
        self.tasks = (tasks if tasks is not None else builtin_tasks()).copy()
        self.config = config or EngineConfig()
        self._write_lock = threading.Lock()
        # structures whose model repairs failed: the next requests of that structure skip them (see _repair)
        self._barren: OrderedDict[str, int] = OrderedDict()
        self._barren_lock = threading.Lock()
        self._embed_tag = hashlib.sha256(self.embedder.name.encode()).hexdigest()[:8]

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
        ``GenerationSpec.prompt`` (the request's prompt, verbatim). ``routing`` overrides
        ``EngineConfig.routing`` (how a request without a task finds one). ``reframe``: see :meth:`lookup`.

        Raises :class:`UnverifiedOutputError` when no attempt verifies and the
        task has no deterministic solver, :class:`BackendError` when the model
        fails and nothing verified is available.
        """
        t0 = time.perf_counter()
        run = _Run()
        prep = self._prepare(request, run, routing)
        model = backend or self.backend or passthrough
        if model is None:
            raise ConfigError("run() needs a backend (pass backend= here or to the engine)")
        reused = self._try_reuse(prep, run, model, unverified=False) if reuse else _Missed()
        served = reused if isinstance(reused, _Served) else self._generate(prep, run, passthrough or model, model, reused)
        return self._finish(prep, run, served, t0, store=store, reframe=reframe)

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
        t0 = time.perf_counter()
        run = _Run()
        prep = self._prepare(request, run, routing)
        reused = self._try_reuse(prep, run, backend, unverified=unverified)
        if isinstance(reused, _Missed):
            return None
        return self._finish(prep, run, reused, t0, store=True, reframe=reframe)

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
        all the same. A store that fails raises :class:`StoreError`: a broken store is never reported as a
        failed verification.
        """
        run = _Run()
        prep = self._prepare(request, run, routing)
        profile = prep.profile
        steps = self._segment(profile, output, "generated")
        if profile.verifier is None:
            return self._store(prep, output, verified=False, run=run, frame=frame)
        text = profile.segmenter.render(steps)
        ok, _, verdicts = self._verify(prep, steps, run)
        whole = self._check(prep, text) if ok else Verdict.passed()
        if ok and whole.ok and not self._contradicts(prep, run, self._precedent(prep, run), steps):
            return self._store(prep, output, verified=True, run=run, frame=frame)  # as the model wrote it: exact repeats are byte-identical
        if _asks_more(prep) or (text == output and _unreadable(verdicts if not ok else [whole])):
            self._store(prep, output, verified=False, run=run, frame=frame)
        return False

    def resolve(self, request: Request, *, routing: Routing | None = None) -> Request:
        """The request with the task that serves it set (see :class:`Routing`). Raises typed errors."""
        prep = self._prepare(request, _Run(), routing)
        return request if request.task == prep.profile.name else replace(request, task=prep.profile.name)

    def stream(
        self,
        request: Request,
        *,
        backend: Backend | None = None,
        reuse: bool = True,
        store: bool = True,
        routing: Routing | None = None,
    ) -> StreamSession:
        """Open a stream: ``session.hit`` is a served outcome to replay, or ``None``: then tee the
        model's own stream through ``session.feed`` and ``session.close()`` records it (stored only if
        it verifies) and gives the typed trace. A store failure on the lookup is a miss."""
        return StreamSession.open(self, request, backend=backend, reuse=reuse, store=store, routing=routing)

    def clear(self, namespace: Namespace | None = None) -> None:
        """Remove every entry, or those of one namespace."""
        with self._write_lock:
            collection = None if namespace is None else self._collection(namespace)
            self.store.clear(collection)
            if self.exact_store is not self.store:
                self.exact_store.clear(collection)

    def count(self, namespace: Namespace | None = None) -> int:
        collection = self._collection(namespace or Namespace())
        extra = self.exact_store.count(collection) if self.exact_store is not self.store else 0
        return self.store.count(collection) + extra

    def embed(self, text: str) -> list[float]:
        return self.embedder.embed([text])[0]

    # ----------------------------------------------------------------- stages
    def _collection(self, ns: Namespace) -> str:
        return f"{ns.key}-{self._embed_tag}"

    def _prepare(self, request: Request, run: _Run, routing: Routing | None = None) -> _Prepared:
        with run.stage("intake"):
            request = validate_request(request, max_prompt_chars=self.config.max_prompt_chars)
            profile, problem = resolve_task(self.tasks, request, routing or self.config.routing)
            return _Prepared(
                request, profile, problem, self._collection(request.namespace), entry_id(profile.name, request, profile.normalize)
            )

    def _store_for(self, prep: _Prepared) -> Store:
        return self.exact_store if prep.profile.exact_only else self.store

    def _try_reuse(self, prep: _Prepared, run: _Run, backend: Backend | None, *, unverified: bool) -> _Served | _Missed:
        """Reused (served from the cache, adapted or patched), or missed with the nearest candidate and why.

        ``unverified``: serve an identical request's unreadable answer unchanged (see :meth:`record`)."""
        profile = prep.profile
        with run.stage("exact"):
            exact = self._store_for(prep).get(prep.collection, prep.entry_id)
        if exact is not None and exact.task == profile.name:
            steps = self._segment(profile, exact.output)
            # a verified entry of this very request holds the model's answer to it: its values are judged as the
            # model's own (a yes/no the text does not state was the model's reading of this text, and still is)
            judged = [replace(s, origin="generated") for s in steps] if exact.verified else steps
            ok, verdict, verdicts = self._verify(prep, judged, run) if profile.verifier else (True, Verdict.passed(), [])
            if ok:
                return _Served(
                    "reuse", steps, similarity=1.0, matched=exact, exact=True, verified=profile.verifier is not None, text=exact.output
                )
            if not exact.verified and _asks_more(prep):
                # the model's own answer to a request that asks more than the task reads: an exact cache's answer
                run.notes.append(f"identical request; it asks more than the task reads ({verdict.reason})")
                return _Served("reuse", steps, similarity=1.0, matched=exact, exact=True, verified=False, text=exact.output)
            if unverified and not exact.verified and _unreadable(verdicts) and profile.segmenter.render(steps) == exact.output:
                run.notes.append(f"identical request; its answer could not be verified ({verdict.reason})")
                return _Served("reuse", steps, similarity=1.0, matched=exact, exact=True, verified=False, text=exact.output)
            run.notes.append(f"exact entry failed re-verification: {verdict.reason}")
        if profile.exact_only:
            return _Missed()  # reused only when identical: nothing to retrieve, nothing to embed
        # retrieval proposes, verification decides: the structural match first, then the nearest
        # neighbours; the candidate whose adapted steps verify best wins
        structural = self._by_signature(prep, run)
        best = self._best_candidate(prep, run, [structural] if structural else [])
        retrieved = _Retrieved()
        if best is None or not best.ok:
            seen = best.candidate.entry.id if best else None
            retrieved = self._by_embedding(prep, run)
            fallback = self._best_candidate(prep, run, [c for c in retrieved.chosen if c[0].entry.id != seen])
            if best is None or (fallback is not None and fallback.score > best.score):
                best = fallback
        if best is None:
            return _Missed(retrieved.nearest, retrieved.skip_reason)
        cand, steps = best.candidate, best.steps
        if profile.verifier is None:
            return _Served("reuse", steps, cand.similarity, cand.entry, verified=False)
        if best.ok:
            return _Served("reuse", steps, cand.similarity, cand.entry, verified=True, layout=cand.entry.output)
        missed = _Missed(
            retrieved.nearest or cand,
            retrieved.skip_reason or "cached entry failed verification and could not be patched",
            precedent=best,
        )
        if best.fixed:
            run.notes.append(f"reuse skipped: {best.whole.reason}")
            why = f"the cached answer says what the new request does not: {best.whole.reason}"
            return _Missed(retrieved.nearest or cand, why, precedent=best)
        if backend is None:
            run.notes.append(f"reuse failed verification, no backend to patch: {best.whole.reason}")
            return missed
        worth = getattr(profile.prompter, "worth_patching", None)
        if worth is not None and not worth(prep.problem, steps, best.verdicts):
            run.notes.append(f"reuse failed verification before any step of substance verified: {best.whole.reason}")
            return missed  # nothing of the old answer holds for this request: the caller's own prompt generates
        # a failed reuse gets the selective patches only: regenerating from scratch is the generation path's job
        attempt = _Attempt(steps, best.verdicts, best.whole, profile.segmenter.render(steps))
        result = self._repair(prep, run, backend, attempt, selective=True)
        if isinstance(result, _Rejected):
            return missed
        if self._stale(prep, run, best.old, best.cached, result.steps, cand.entry.output):
            return missed  # the patch left the cached request's text in place, or contradicts it: the model answers
        return _Served(
            "patch", result.steps, cand.similarity, cand.entry, verified=True, fallback=result.fallback, layout=cand.entry.output
        )

    def _best_candidate(self, prep: _Prepared, run: _Run, candidates: Sequence[tuple[Candidate, Any]]) -> _Adapted | None:
        """Adapt and verify each candidate; stop at the first that verifies, else keep the best prefix."""
        profile = prep.profile
        best: _Adapted | None = None
        for cand, old in candidates:
            with run.stage("segment"):
                cached = self._segment(profile, cand.entry.output)
            steps = cached
            if profile.adapter is not None:
                with run.stage("adapt"):
                    try:
                        steps = profile.adapter.adapt(old, prep.problem, cached, AdaptContext(similarity=self._similarity))
                    except Exception as e:  # an adapter that cannot cope leaves the steps to verification
                        run.notes.append(f"adapter raised {type(e).__name__}: {e}")
            ok, whole, verdicts = self._verify(prep, steps, run)
            stale = self._stale(prep, run, old, cached, steps, cand.entry.output)
            if stale:
                verdicts = _merge_stale(verdicts, stale)
                ok, whole = False, next((v for v in verdicts if not v.ok), stale[0])
            prefix = next((i for i, v in enumerate(verdicts) if not v.ok), len(verdicts))
            fixed = any(v.step is None for v in stale)  # stale text no patch rewrites: only the model can answer
            adapted = _Adapted(cand, old, cached, steps, ok, whole, verdicts, (ok, sum(v.ok for v in verdicts), prefix), fixed)
            if best is None or adapted.score > best.score:
                best = adapted
            if ok:
                break
        return best

    def _stale(
        self, prep: _Prepared, run: _Run, old: Any, cached: Sequence[Step], steps: Sequence[Step], layout: str
    ) -> list[Verdict]:
        """What a reuse of ``cached`` (adapted to ``steps``) carries over from the cached request (see
        :class:`~stepcache_core.tasks.base.Carryover`); anything the check cannot tell is stale."""
        carry = prep.profile.carryover
        if carry is None:
            return []
        text = self._render(prep.profile, _Served("reuse", steps, layout=layout))
        with run.stage("carryover"):
            found = self._guarded(
                lambda: carry.stale(old, prep.problem, cached, steps, text),
                steps,
                lambda reason: [Verdict(False, reason)],
            )
        for v in found:
            run.notes.append(f"carried over from the cached request: {v.reason}")
        return [v if not v.ok else Verdict(False, "stale", v.step, v.key) for v in found]

    def _precedent(self, prep: _Prepared, run: _Run) -> _Adapted | None:
        """The newest verified entry of the same structure, adapted to this request: what an answer recorded for it
        must not contradict (found by signature, no embedding)."""
        if prep.profile.carryover is None:
            return None
        structural = self._by_signature(prep, run)
        return self._best_candidate(prep, run, [structural]) if structural is not None else None

    def _contradicts(self, prep: _Prepared, run: _Run, precedent: _Adapted | None, steps: Sequence[Step]) -> list[Verdict]:
        """Where a generated answer puts a value in a slot the nearest compatible entry filled with another key's
        (the precedent: "belongs to Dana Levi" was no one's ``name``): one of the two is wrong, and this answer is
        not served as verified. Only checks of values count here; a correction or a note is the model's own."""
        if precedent is None:
            return []
        found = self._stale(prep, run, precedent.old, precedent.cached, steps, precedent.candidate.entry.output)
        return [v for v in found if v.step is not None]

    def _by_signature(self, prep: _Prepared, run: _Run) -> tuple[Candidate, Any] | None:
        """The newest verified entry of the same structure, found in the store without embedding (the
        fast path: shared by every process and every restart)."""
        signature = prep.signature
        if not signature:
            return None
        with run.stage("signature"):
            for entry in self.store.find(prep.collection, signature, 2):
                if entry.task != prep.profile.name or not entry.verified:
                    continue
                try:
                    old = prep.profile.parse(entry.as_request(prep.request.namespace))
                except Exception:  # a stored entry that no longer parses is skipped, never served
                    continue
                if prep.profile.gate.compatible(old, prep.problem).ok:
                    run.notes.append("matched by structure signature (no embedding)")
                    return Candidate(entry, None), old
        return None

    def _by_embedding(self, prep: _Prepared, run: _Run) -> _Retrieved:
        profile = prep.profile
        with run.stage("embed"):
            vector = self.embedder.embed([self._retrieval_text(prep)])[0]
        with run.stage("query"):
            candidates = self.store.query(prep.collection, vector, self.config.top_k)
        run.vector = vector
        chosen: list[tuple[Candidate, Any]] = []
        skip_reason: str | None = None
        for cand in candidates:
            if cand.similarity is not None and cand.similarity < self.config.similarity_threshold:
                skip_reason = skip_reason or f"similarity {cand.similarity:.3f} < {self.config.similarity_threshold}"
                break
            if cand.entry.task != profile.name:
                skip_reason = skip_reason or f"task changed ({cand.entry.task} -> {profile.name})"
                continue
            if not cand.entry.verified and profile.verifier is not None:
                continue
            try:
                old = profile.parse(cand.entry.as_request(prep.request.namespace))
            except Exception as e:  # a stored entry that no longer parses is skipped, never served
                run.notes.append(f"stored entry {cand.entry.id} no longer parses: {e}")
                continue
            gate = profile.gate.compatible(old, prep.problem)
            if not gate.ok:
                skip_reason = skip_reason or gate.reason
                continue
            chosen.append((cand, old))
        return _Retrieved(chosen, candidates[0] if candidates else None, skip_reason)

    @staticmethod
    def _retrieval_text(prep: _Prepared) -> str:
        text = prep.request.embed_text
        return prep.profile.retrieval_text(text) if prep.profile.retrieval_text else text

    def _similarity(self, a: str, b: str) -> float:
        va, vb = self.embedder.embed([a, b])
        return cosine(va, vb)

    def _verify(self, prep: _Prepared, steps: Sequence[Step], run: _Run) -> tuple[bool, Verdict, list[Verdict]]:
        """Step by step. The whole-output integrity check runs once, in :meth:`_finish`."""
        verifier = prep.profile.verifier
        if verifier is None:
            return True, Verdict.passed(), []
        with run.stage("verify"):
            verdicts = self._guarded(
                lambda: verifier.verify_steps(prep.problem, steps),
                steps,
                lambda reason: [Verdict(False, reason, step=0)] + [Verdict(False, reason, step=s.index) for s in steps[1:]],
            )
        first_bad = next((v for v in verdicts if not v.ok), None)
        return first_bad is None, first_bad or Verdict.passed(), verdicts

    def _segment(self, profile: TaskProfile, text: str, origin: Origin = "cached") -> list[Step]:
        """Segment text; too long or unreadable text is one step, which verification then fails."""
        if len(text) > self.config.max_output_chars:
            return [Step(0, text, origin)]
        try:
            return profile.segmenter.segment(text, origin=origin)
        except Exception:  # RecursionError on deeply nested JSON, a plug-in's bug...
            return [Step(0, text, origin)]

    def _check(self, prep: _Prepared, text: str) -> Verdict:
        """The whole-output integrity check, under the same limits as the step checks."""
        verifier = prep.profile.verifier
        if verifier is None:
            return Verdict.passed()
        return self._guarded(lambda: verifier.check(prep.problem, text), [Step(0, text)], lambda reason: Verdict(False, reason))

    def _guarded(self, check: Callable[[], _V], steps: Sequence[Step], failed: Callable[[str], _V]) -> _V:
        """Run a verifier under the size limits and the time budget; anything it cannot tell is a failure."""
        cfg = self.config
        if len(steps) > cfg.max_steps or sum(len(s.text) for s in steps) > cfg.max_output_chars:
            return failed(f"answer too long to verify (limits: {cfg.max_steps} steps, {cfg.max_output_chars} characters)")
        try:
            with deadline(cfg.verify_budget_s):
                return check()
        except VerificationBudgetExceeded:
            return failed(f"verification ran past its budget of {cfg.verify_budget_s}s")
        except StepCacheError as e:
            return failed(f"cannot verify: {e}")
        except Exception as e:  # RecursionError, sympy internals...: cannot tell, so don't reuse
            return failed(f"verifier raised {type(e).__name__}: {e}")

    def _call(self, backend: Backend, spec: GenerationSpec, run: _Run) -> Completion:
        with run.stage("backend"):
            completion = call_backend(backend, spec, self.config.backend_timeout_s)
        run.spend(completion)
        return completion

    def _repair(
        self, prep: _Prepared, run: _Run, backend: Backend, attempt: _Attempt, *, selective: bool
    ) -> _Repaired | _Rejected:
        """Bounded repair: one loop over the task's ladder of rungs (a model-free fix, selective patches,
        feedback repairs, regenerations, the deterministic solver). The first proposal that verifies wins.

        ``selective`` keeps the patches and the solver only: used when a cached entry failed, so that the
        generation path, not this one, pays for a fresh generation and its repairs.
        """
        budget = self.config.max_model_calls
        if run.barren is None:
            run.barren = self._skip_repairs(prep)
        barren = run.barren
        if barren:
            budget = run.calls
            run.notes.append("model repairs skipped: they failed for this structure the last time")
        tried_model = False
        for rung in self._ladder(prep, selective):
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
                ok, whole, verdicts = self._verify(prep, steps, run)
                if ok:
                    if rung.calls_model:
                        self._mark_barren(prep, False)
                    return _Repaired(steps, rung.fallback)
                tried = _Attempt(steps, verdicts, whole, text)
                if not rung.keep_if_better or sum(v.ok for v in verdicts) > sum(v.ok for v in attempt.verdicts):
                    attempt = tried
                if rung.name == "solve":
                    run.notes.append(f"deterministic solver output failed verification: {whole.reason}")
        if tried_model:
            self._mark_barren(prep, True)
        run.notes.append(f"repair exhausted: {attempt.whole.reason}")
        return _Rejected(attempt.text, attempt.whole.reason)

    _BARREN_MAX = 4096
    _BARREN_SKIPS = 8

    def _skip_repairs(self, prep: _Prepared) -> bool:
        """Whether this request skips model repairs: they failed for its structure (same task signature, same
        namespace) the last time they ran. The next ``_BARREN_SKIPS`` requests that need a repair skip it, the one
        after tries again: a repair that never works costs one call in nine such requests instead of every one."""
        key = f"{prep.collection}\x1f{prep.signature}"
        if not prep.signature:
            return False
        with self._barren_lock:
            left = self._barren.get(key)
            if left is None:
                return False
            if left <= 1:
                del self._barren[key]
            else:
                self._barren[key] = left - 1
            return True

    def _mark_barren(self, prep: _Prepared, failed: bool) -> None:
        if not prep.signature:
            return
        key = f"{prep.collection}\x1f{prep.signature}"
        with self._barren_lock:
            if not failed:
                self._barren.pop(key, None)
                return
            self._barren[key] = self._BARREN_SKIPS
            self._barren.move_to_end(key)
            while len(self._barren) > self._BARREN_MAX:
                self._barren.popitem(last=False)

    def _ladder(self, prep: _Prepared, selective: bool) -> list[_Rung]:
        profile, policy = prep.profile, prep.profile.repair
        full = 0 if selective else 1
        rungs = [
            _Rung("fix", 1 if profile.fixer is not None else 0, self._propose_fix, "fix", keep_if_better=True, calls_model=False),
            _Rung("patch", policy.patch_attempts, self._propose_patch, None),
            _Rung("repair", policy.feedback_repairs * full, self._propose_repair, "repair"),
            _Rung("regenerate", policy.full_regenerations * full, self._propose_regeneration, "regenerate"),
            _Rung("solve", 1 if profile.solver is not None else 0, self._propose_solution, "deterministic", calls_model=False),
        ]
        return [r for r in rungs if r.times > 0]

    def _propose_fix(self, prep: _Prepared, run: _Run, backend: Backend, attempt: _Attempt) -> tuple[list[Step], str] | None:
        assert prep.profile.fixer is not None
        with run.stage("fix"):
            try:
                fixed = prep.profile.fixer.fix(prep.problem, attempt.steps, attempt.verdicts)
            except Exception as e:  # a fixer that cannot cope offers nothing
                run.notes.append(f"fixer raised {type(e).__name__}: {e}")
                return None
        return None if fixed is None else (fixed, attempt.text)

    def _propose_patch(self, prep: _Prepared, run: _Run, backend: Backend, attempt: _Attempt) -> tuple[list[Step], str] | None:
        prompter = prep.profile.prompter
        completion = self._call(backend, prompter.patch(prep.problem, attempt.steps, attempt.verdicts), run)
        try:
            return prompter.merge(prep.problem, attempt.steps, attempt.verdicts, completion.text), completion.text
        except Exception as e:  # an unreadable patch: keep the failing steps, verification says no
            run.notes.append(f"merging the patch raised {type(e).__name__}: {e}")
            return list(attempt.steps), completion.text

    def _propose_repair(self, prep: _Prepared, run: _Run, backend: Backend, attempt: _Attempt) -> tuple[list[Step], str] | None:
        spec = prep.profile.prompter.repair(prep.problem, attempt.text, attempt.whole)
        if spec is None:
            return None
        text = self._call(backend, spec, run).text
        return self._segment(prep.profile, text, "generated"), text

    def _propose_regeneration(
        self, prep: _Prepared, run: _Run, backend: Backend, attempt: _Attempt
    ) -> tuple[list[Step], str] | None:
        text = self._call(backend, replace(prep.profile.prompter.generate(prep.problem), purpose="regenerate"), run).text
        return self._segment(prep.profile, text, "generated"), text

    def _propose_solution(self, prep: _Prepared, run: _Run, backend: Backend, attempt: _Attempt) -> tuple[list[Step], str] | None:
        assert prep.profile.solver is not None
        with run.stage("solve"):
            solved = prep.profile.solver.solve(prep.problem)
        return self._segment(prep.profile, solved, "deterministic"), attempt.text  # a refusal reports the model's text

    def _generate(self, prep: _Prepared, run: _Run, model: Backend, backend: Backend, missed: _Missed) -> _Served:
        """A miss: ``model`` (the caller's own call, or ``backend``) answers; ``backend`` patches what fails."""
        profile = prep.profile
        path: Path = "skip" if missed.reason or missed.nearest is not None else "miss"
        reason = missed.reason or ("cached entry failed verification and could not be patched" if path == "skip" else None)
        similarity = missed.nearest.similarity if missed.nearest else None
        matched = missed.nearest.entry if missed.nearest else None
        completion = self._call(model, profile.prompter.generate(prep.problem), run)
        steps = self._segment(profile, completion.text, "generated")
        if profile.verifier is None:
            return _Served(path, steps, similarity, matched, verified=False, skip_reason=reason, text=completion.text)
        ok, whole, verdicts = self._verify(prep, steps, run)
        if ok and (contradicts := self._contradicts(prep, run, missed.precedent, steps)):
            verdicts = _merge_stale(verdicts, contradicts)
            ok, whole = False, next((v for v in verdicts if not v.ok), contradicts[0])
        if ok:  # served as the model wrote it
            return _Served(path, steps, similarity, matched, verified=True, skip_reason=reason, text=completion.text)
        if _asks_more(prep):
            # the task's repairs would answer its own question, not the one asked: the model's answer stands
            run.notes.append(f"the request asks more than the task reads; the model's answer is served as written ({whole.reason})")
            return _Served(path, steps, similarity, matched, verified=False, skip_reason=reason, text=completion.text)
        result = self._repair(prep, run, backend, _Attempt(steps, verdicts, whole, completion.text), selective=False)
        if isinstance(result, _Rejected):
            raise UnverifiedOutputError(profile.name, result.reason, result.text, **run.usage())
        if contradicts := self._contradicts(prep, run, missed.precedent, result.steps):
            raise UnverifiedOutputError(profile.name, contradicts[0].reason, completion.text, **run.usage())
        return _Served(
            path,
            result.steps,
            similarity,
            matched,
            verified=True,
            fallback=result.fallback or "patch",
            skip_reason=reason,
            layout=completion.text,
        )

    def _store(self, prep: _Prepared, text: str, *, verified: bool, run: _Run, frame: str = "") -> bool:
        """Store a served output; ``False`` when it is not stored by policy. Raises :class:`StoreError`."""
        if not self.config.store_outputs:
            return False
        if len(text) > self.config.max_output_chars:
            run.notes.append(f"not stored: {len(text)} characters is over max_output_chars={self.config.max_output_chars}")
            return False
        req = prep.request
        entry = Entry(
            id=prep.entry_id,
            prompt=req.prompt,
            key_text=req.embed_text,
            task=prep.profile.name,
            output=text,
            constraints=req.constraints_json(),
            created_at=time.time(),
            verified=verified,
            signature=prep.signature if verified else "",
            frame=frame,
        )
        with run.stage("store"):
            if prep.profile.exact_only:
                # found by id only: a key-derived vector fills the slot, and no embedding model loads
                vector = key_vector(entry.id, self.embedder.dimension)
            else:
                vector = run.vector or self.embedder.embed([self._retrieval_text(prep)])[0]
            with self._write_lock:
                self._store_for(prep).put(prep.collection, entry, vector)
        return True

    @staticmethod
    def _render(profile: TaskProfile, served: _Served) -> str:
        """The served steps as text, in the layout of the answer they came from when the segmenter can
        (``render_like``: a JSON object stays in its sentence or fence)."""
        like = getattr(profile.segmenter, "render_like", None)
        if like is not None and served.layout is not None:
            try:
                return str(like(served.layout, served.steps))
            except Exception:  # a plug-in's layout renderer failing falls back to its plain render
                pass
        return profile.segmenter.render(served.steps)

    def _finish(
        self, prep: _Prepared, run: _Run, served: _Served, t0: float, *, store: bool, reframe: Reframe | None = None
    ) -> Outcome:
        profile = prep.profile
        text = served.text if served.text is not None else self._render(profile, served)
        if served.verified and profile.verifier is not None:
            # the integrity check of the stitched output, whatever path produced it
            with run.stage("integrity"):
                whole = self._check(prep, text)
            if not whole.ok:
                raise UnverifiedOutputError(
                    profile.name, f"stitched output failed integrity check: {whole.reason}", text, **run.usage()
                )
        reused = served.matched is not None and served.path in ("reuse", "patch")
        frame = served.matched.frame if served.matched is not None and reused else ""
        keep = store and not served.exact
        if frame and not served.exact:
            # the entry's frame is how *its* answer was delivered (its arguments, its call id): stored with this
            # answer, this prompt's exact repeat would be served another record's call. Kept only with the frame
            # made for this answer (a fresh call id is not derivable again: stored even when found by structure)
            frame = reframe(frame, text) if reframe is not None else frame
            if keep and not (reframe is not None and frame):
                keep = False
                run.notes.append("not stored: the entry's frame could not be made this answer's own")
        elif reused and served.path == "reuse" and served.similarity is None:
            # a reuse found by structure signature is derivable again in ~2 ms from the entry it came from:
            # storing it would put an embedding and a Chroma write on the fast path for nothing
            keep = False
        store_error: str | None = None
        if served.matched is not None and reused:
            try:
                self._store_for(prep).touch(prep.collection, [served.matched.id])  # least recently used goes first
            except StoreError as e:
                run.notes.append(f"touch failed: {e}")
        if keep:
            try:
                self._store(prep, text, verified=served.verified, run=run, frame=frame)
            except StoreError as e:  # the answer is good; only keeping it failed
                store_error = str(e)
                run.notes.append(f"store failed: {e}")
        origins = [s.origin for s in served.steps]
        trace = Trace(
            path=served.path,
            task=profile.name,
            verified=served.verified,
            similarity=served.similarity,
            matched_id=served.matched.id if served.matched else None,
            matched_prompt=served.matched.prompt if served.matched else None,
            exact_hit=served.exact,
            skip_reason=served.skip_reason if served.path == "skip" else None,
            steps_total=len(served.steps),
            steps_reused=origins.count("cached"),
            steps_adapted=origins.count("adapted"),
            steps_regenerated=origins.count("generated") + origins.count("deterministic"),
            fallback=served.fallback,
            backend_calls=run.calls,
            prompt_tokens=run.prompt_tokens,
            completion_tokens=run.completion_tokens,
            latency_s=time.perf_counter() - t0,
            stages=dict(run.stages),
            notes=tuple(run.notes),
            store_error=store_error,
        )
        return Outcome(text, tuple(served.steps), trace, frame=frame)


def _asks_more(prep: _Prepared) -> bool:
    """The request asks more than its task reads (see :attr:`TaskProfile.asks_more`)."""
    asks = prep.profile.asks_more
    return asks is not None and bool(asks(prep.problem))


def _unreadable(verdicts: Sequence[Verdict]) -> bool:
    """Every failure is the verifier not reading the output, none is the output found wrong."""
    failed = [v for v in verdicts if not v.ok]
    return bool(failed) and all(v.unreadable for v in failed)


def _merge_stale(verdicts: Sequence[Verdict], stale: Sequence[Verdict]) -> list[Verdict]:
    """``verdicts`` with each step that carries something stale failed by its stale verdict (the first failure
    of a step stays when it already failed)."""
    by_step = {v.step: v for v in reversed(stale) if v.step is not None}
    return [by_step[v.step] if v.ok and v.step in by_step else v for v in verdicts]


@dataclass(frozen=True)
class _Adapted:
    candidate: Candidate
    old: Any
    cached: list[Step]
    steps: list[Step]
    ok: bool
    whole: Verdict
    verdicts: list[Verdict]
    score: tuple[bool, int, int]
    fixed: bool = False
    """Stale text that no patch rewrites (outside the steps): only the caller's model can answer."""


@dataclass(frozen=True)
class _Missed:
    """No reuse: the nearest retrieved candidate (if any) and why it was not served."""

    nearest: Candidate | None = None
    reason: str | None = None
    precedent: _Adapted | None = None
    """The nearest compatible entry, adapted: what a generated answer must not contradict (see ``_contradicts``)."""


@dataclass(frozen=True)
class _Retrieved:
    """Nearest neighbours that passed the gate, the nearest of all, and why others were skipped."""

    chosen: list[tuple[Candidate, Any]] = field(default_factory=list)
    nearest: Candidate | None = None
    skip_reason: str | None = None


@dataclass(frozen=True)
class _Attempt:
    """An output under repair: its steps, their verdicts, the first failure and the text it came from."""

    steps: list[Step]
    verdicts: list[Verdict]
    whole: Verdict
    text: str


@dataclass(frozen=True)
class _Repaired:
    steps: list[Step]
    fallback: str | None  # None: a selective patch


@dataclass(frozen=True)
class _Rejected:
    text: str
    reason: str


@dataclass(frozen=True)
class _Rung:
    """One rung of the repair ladder: ``propose`` offers steps (``None``: nothing to offer), up to ``times``."""

    name: str
    times: int
    propose: Callable[[_Prepared, _Run, Backend, _Attempt], tuple[list[Step], str] | None]
    fallback: str | None
    keep_if_better: bool = False
    calls_model: bool = True


@dataclass(frozen=True)
class _Served:
    path: Path
    steps: Sequence[Step]
    similarity: float | None = None
    matched: Entry | None = None
    exact: bool = False
    verified: bool = True
    fallback: str | None = None
    skip_reason: str | None = None
    text: str | None = None
    """The text to serve when it is not the steps rendered: an exact hit or a verified answer, as written."""
    layout: str | None = None
    """The answer whose layout the steps are rendered in (the reused entry's, or the model's own answer)."""


class LazyEngine:
    """Holds either a ready engine or the arguments to build one on first use.

    Building opens Chroma (and, on first embed, loads MiniLM), so the integrations defer it:
    constructing a LangChain cache or a LlamaIndex wrapper stays cheap, and nothing is opened
    until the first request.
    """

    def __init__(
        self,
        *,
        engine: StepCacheEngine | None = None,
        persist_directory: str | os.PathLike[str] | None = None,
        host: str | None = None,
        port: int = 8000,
        config: EngineConfig | None = None,
        tasks: TaskRegistry | None = None,
        store: Store | None = None,
        embedder: Embedder | None = None,
    ) -> None:
        if engine is not None:
            clash = [
                n
                for n, v in (
                    ("persist_directory", persist_directory),
                    ("host", host),
                    ("config", config),
                    ("tasks", tasks),
                    ("store", store),
                    ("embedder", embedder),
                )
                if v is not None
            ]
            if clash:
                raise ConfigError(f"engine= is a ready engine; do not also pass {', '.join(clash)}")
            if not isinstance(engine, StepCacheEngine):
                raise ConfigError(f"engine must be a StepCacheEngine, got {type(engine).__name__}")
        if sum(v is not None for v in (persist_directory, host, store)) > 1:
            raise ConfigError("choose one of persist_directory, host/port, store")
        self._engine = engine
        self._kw: dict[str, Any] = dict(
            persist_directory=None if persist_directory is None else os.fspath(persist_directory),
            host=host,
            port=port,
            config=config,
            tasks=tasks,
            store=store,
            embedder=embedder,
        )
        self._lock = threading.Lock()

    @property
    def built(self) -> bool:
        return self._engine is not None

    def get(self) -> StepCacheEngine:
        engine = self._engine
        if engine is not None:
            return engine
        with self._lock:
            if self._engine is None:
                kw = self._kw
                store = kw["store"]
                if kw["host"] is not None:
                    store = ChromaStore(host=kw["host"], port=kw["port"])
                self._engine = StepCacheEngine(
                    store=store,
                    embedder=kw["embedder"],
                    tasks=kw["tasks"],
                    config=kw["config"],
                    persist_directory=kw["persist_directory"],
                )
            return self._engine
