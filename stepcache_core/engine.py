"""The engine: the only module that knows the order of the stages.

intake -> exact lookup -> embed -> retrieve -> gate (skip-reuse) -> segment ->
adapt -> verify -> patch / repair / deterministic fallback -> integrity check
-> store -> outcome with trace.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from .backends.base import Backend, call_backend
from .bounds import VerificationBudgetExceeded, deadline
from .embed import Embedder, MiniLMEmbedder, cosine
from .errors import ConfigError, InvalidRequestError, StepCacheError, StoreError, UnverifiedOutputError
from .request import entry_id, validate_request
from .store import ChromaStore, Store, key_vector
from .tasks import TaskProfile, TaskRegistry, builtin_tasks
from .tasks.base import AdaptContext
from .values import Candidate, Completion, Entry, GenerationSpec, Namespace, Origin, Outcome, Path, Request, Step, Trace, Verdict

__all__ = ["EngineConfig", "StepCacheEngine"]

_V = TypeVar("_V")


@dataclass(frozen=True)
class EngineConfig:
    """Tuning knobs.

    ``similarity_threshold``: below it a retrieved entry is not considered
    (verification still decides above it). ``top_k``: candidates examined.
    ``backend_timeout_s``: per backend call; ``None`` waits forever.
    ``max_output_chars`` / ``max_steps``: an answer longer than this is never
    verified (it fails: "cannot verify, don't reuse") and never stored.
    ``verify_budget_s``: time budget of one verification; past it the
    verdict is a failure, never a pass.
    """

    similarity_threshold: float = 0.3
    top_k: int = 3
    max_prompt_chars: int = 32_000
    backend_timeout_s: float | None = 300.0
    store_outputs: bool = True
    max_output_chars: int = 64_000
    max_steps: int = 400
    verify_budget_s: float | None = 5.0

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


@dataclass
class _Run:
    """Mutable bookkeeping of one request (never shared between requests)."""

    stages: dict[str, float] = field(default_factory=dict)
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    notes: list[str] = field(default_factory=list)
    vector: list[float] | None = None
    skip_reason: str | None = None
    best: Candidate | None = None
    rejected: tuple[str, str] | None = None

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
        self._embed_tag = hashlib.sha256(self.embedder.name.encode()).hexdigest()[:8]

    # ----------------------------------------------------------------- public API
    def run(self, request: Request, *, backend: Backend | None = None, reuse: bool = True, store: bool = True) -> Outcome:
        """Serve a request: reuse, patch, or generate; never serve output that failed verification.

        Raises :class:`UnverifiedOutputError` when no attempt verifies and the
        task has no deterministic solver, :class:`BackendError` when the model
        fails and nothing verified is available.
        """
        backend = backend or self.backend
        if backend is None:
            raise ConfigError("run() needs a backend (pass backend= here or to the engine)")
        t0 = time.perf_counter()
        run = _Run()
        prep = self._prepare(request, run)
        served = self._try_reuse(prep, run, backend) if reuse else None
        if served is None:
            served = self._generate(prep, run, backend)
        return self._finish(prep, run, served, t0, store=store)

    def lookup(self, request: Request, *, backend: Backend | None = None) -> Outcome | None:
        """Reuse only (patching through ``backend`` when given). ``None`` is a miss."""
        t0 = time.perf_counter()
        run = _Run()
        prep = self._prepare(request, run)
        served = self._try_reuse(prep, run, backend)
        if served is None:
            return None
        return self._finish(prep, run, served, t0, store=True)

    def record(self, request: Request, output: str) -> bool:
        """Verify ``output`` for ``request`` and store it.

        Returns ``True`` when stored, ``False`` when the output failed verification (or is too long
        to verify and store). A store that fails raises :class:`StoreError`: a broken store is never
        reported as a failed verification.
        """
        run = _Run()
        prep = self._prepare(request, run)
        profile = prep.profile
        steps = self._segment(profile, output, "generated")
        if profile.verifier is not None:
            text = profile.segmenter.render(steps)
            if not self._verify(prep, steps, run)[0] or not self._check(prep, text).ok:
                return False
        else:
            text = output
        return self._store(prep, text, verified=profile.verifier is not None, run=run)

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

    def _prepare(self, request: Request, run: _Run) -> _Prepared:
        with run.stage("intake"):
            request = validate_request(request, max_prompt_chars=self.config.max_prompt_chars)
            profile = self.tasks.get(request.task) if request.task is not None else self.tasks.detect(request)
            try:
                problem = profile.parse(request)
            except StepCacheError:
                raise
            except Exception as e:  # a plug-in's parser must not leak RecursionError, ValueError...
                raise InvalidRequestError(f"task {profile.name!r} cannot read the request ({type(e).__name__}: {e})") from e
            return _Prepared(request, profile, problem, self._collection(request.namespace), entry_id(profile.name, request, profile.normalize))

    def _store_for(self, prep: _Prepared) -> Store:
        return self.exact_store if prep.profile.exact_only else self.store

    def _try_reuse(self, prep: _Prepared, run: _Run, backend: Backend | None) -> _Served | None:
        profile = prep.profile
        with run.stage("exact"):
            exact = self._store_for(prep).get(prep.collection, prep.entry_id)
        if exact is not None and exact.task == profile.name:
            steps = self._segment(profile, exact.output)
            ok, verdict = self._verify(prep, steps, run)[0:2] if profile.verifier else (True, Verdict.passed())
            if ok:
                return _Served("reuse", steps, similarity=1.0, matched=exact, exact=True, verified=profile.verifier is not None)
            run.notes.append(f"exact entry failed re-verification: {verdict.reason}")
        if profile.exact_only:
            return None  # reused only when identical: nothing to retrieve, nothing to embed
        # retrieval proposes, verification decides: the structural match first, then the nearest
        # neighbours; the candidate whose adapted steps verify best wins
        structural = self._by_signature(prep, run)
        best = self._best_candidate(prep, run, [structural] if structural else [])
        if best is None or not best.ok:
            seen = best.candidate.entry.id if best else None
            nearest = [c for c in self._by_embedding(prep, run) if c[0].entry.id != seen]
            fallback = self._best_candidate(prep, run, nearest)
            if best is None or (fallback is not None and fallback.score > best.score):
                best = fallback
        if best is None:
            return None
        cand, steps = best.candidate, best.steps
        if profile.verifier is None:
            return _Served("reuse", steps, cand.similarity, cand.entry, verified=False)
        if best.ok:
            return _Served("reuse", steps, cand.similarity, cand.entry, verified=True)
        if backend is None:
            run.notes.append(f"reuse failed verification, no backend to patch: {best.whole.reason}")
            return None
        # a failed reuse gets the selective patches only: regenerating from scratch is the generation path's job
        result = self._repair(
            prep, run, backend, steps, best.verdicts, best.whole, profile.segmenter.render(steps), selective=True
        )
        if result is None:
            return None
        steps, fallback_used = result
        return _Served("patch", steps, cand.similarity, cand.entry, verified=True, fallback=fallback_used)

    def _best_candidate(self, prep: _Prepared, run: _Run, candidates: Sequence[tuple[Candidate, Any]]) -> _Adapted | None:
        """Adapt and verify each candidate; stop at the first that verifies, else keep the best prefix."""
        profile = prep.profile
        best: _Adapted | None = None
        for cand, old in candidates:
            with run.stage("segment"):
                steps = self._segment(profile, cand.entry.output)
            if profile.adapter is not None:
                with run.stage("adapt"):
                    try:
                        steps = profile.adapter.adapt(old, prep.problem, steps, AdaptContext(similarity=self._similarity))
                    except Exception as e:  # an adapter that cannot cope leaves the steps to verification
                        run.notes.append(f"adapter raised {type(e).__name__}: {e}")
            ok, whole, verdicts = self._verify(prep, steps, run)
            prefix = next((i for i, v in enumerate(verdicts) if not v.ok), len(verdicts))
            adapted = _Adapted(cand, steps, ok, whole, verdicts, (ok, sum(v.ok for v in verdicts), prefix))
            if best is None or adapted.score > best.score:
                best = adapted
            if ok:
                break
        return best

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

    def _by_embedding(self, prep: _Prepared, run: _Run) -> list[tuple[Candidate, Any]]:
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
        run.best = candidates[0] if candidates else None
        run.skip_reason = skip_reason
        return chosen

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
        self,
        prep: _Prepared,
        run: _Run,
        backend: Backend,
        steps: list[Step],
        verdicts: list[Verdict],
        whole: Verdict,
        text: str,
        *,
        selective: bool = False,
    ) -> tuple[list[Step], str | None] | None:
        """Bounded repair: a model-free fix, selective patches, feedback repairs, regenerations, then the solver.

        ``selective`` stops after the patches (and the solver): used when a cached entry failed, so
        that the generation path, not this one, pays for a fresh generation and its repairs.
        """
        profile, problem = prep.profile, prep.problem
        policy = profile.repair
        if profile.fixer is not None:
            with run.stage("fix"):
                try:
                    fixed = profile.fixer.fix(problem, steps, verdicts)
                except Exception as e:  # a fixer that cannot cope offers nothing
                    run.notes.append(f"fixer raised {type(e).__name__}: {e}")
                    fixed = None
            if fixed is not None:
                ok, fixed_whole, fixed_verdicts = self._verify(prep, fixed, run)
                if ok:
                    return fixed, "fix"
                if sum(v.ok for v in fixed_verdicts) > sum(v.ok for v in verdicts):
                    steps, whole, verdicts = fixed, fixed_whole, fixed_verdicts
        for _ in range(policy.patch_attempts):
            spec = profile.prompter.patch(problem, steps, verdicts)
            completion = self._call(backend, spec, run)
            try:
                steps = profile.prompter.merge(problem, steps, verdicts, completion.text)
            except Exception as e:  # an unreadable patch: keep the failing steps, verification says no
                run.notes.append(f"merging the patch raised {type(e).__name__}: {e}")
            text = completion.text
            ok, whole, verdicts = self._verify(prep, steps, run)
            if ok:
                return steps, None
        for _ in range(0 if selective else policy.feedback_repairs):
            spec2 = profile.prompter.repair(problem, text, whole)
            if spec2 is None:
                break
            completion = self._call(backend, spec2, run)
            text = completion.text
            steps = self._segment(profile, text, "generated")
            ok, whole, verdicts = self._verify(prep, steps, run)
            if ok:
                return steps, "repair"
        for _ in range(0 if selective else policy.full_regenerations):
            spec3 = replace(profile.prompter.generate(problem), purpose="regenerate")
            completion = self._call(backend, spec3, run)
            text = completion.text
            steps = self._segment(profile, text, "generated")
            ok, whole, verdicts = self._verify(prep, steps, run)
            if ok:
                return steps, "regenerate"
        if profile.solver is not None:
            with run.stage("solve"):
                solved = profile.solver.solve(problem)
            steps = self._segment(profile, solved, "deterministic")
            ok, whole, _ = self._verify(prep, steps, run)
            if ok:
                return steps, "deterministic"
            run.notes.append(f"deterministic solver output failed verification: {whole.reason}")
        run.notes.append(f"repair exhausted: {whole.reason}")
        run.rejected = (text, whole.reason)
        return None

    def _generate(self, prep: _Prepared, run: _Run, backend: Backend) -> _Served:
        profile = prep.profile
        skip_reason = run.skip_reason
        path: Path = "skip" if skip_reason or run.best is not None else "miss"
        if path == "skip" and skip_reason is None:
            skip_reason = "cached entry failed verification and could not be patched"
        similarity = run.best.similarity if run.best else None
        matched = run.best.entry if run.best else None
        completion = self._call(backend, profile.prompter.generate(prep.problem), run)
        steps = self._segment(profile, completion.text, "generated")
        if profile.verifier is None:
            return _Served(path, steps, similarity, matched, verified=False, skip_reason=skip_reason)
        ok, whole, verdicts = self._verify(prep, steps, run)
        if ok:
            return _Served(path, steps, similarity, matched, verified=True, skip_reason=skip_reason)
        result = self._repair(prep, run, backend, steps, verdicts, whole, completion.text)
        if result is None:
            text, reason = run.rejected or (completion.text, whole.reason)
            raise UnverifiedOutputError(profile.name, reason, text, **run.usage())
        steps, fallback = result
        return _Served(path, steps, similarity, matched, verified=True, fallback=fallback or "patch", skip_reason=skip_reason)

    def _store(self, prep: _Prepared, text: str, *, verified: bool, run: _Run) -> bool:
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

    def _finish(self, prep: _Prepared, run: _Run, served: _Served, t0: float, *, store: bool) -> Outcome:
        profile = prep.profile
        text = profile.segmenter.render(served.steps)
        if served.verified and profile.verifier is not None:
            # the integrity check of the stitched output, whatever path produced it
            with run.stage("integrity"):
                whole = self._check(prep, text)
            if not whole.ok:
                raise UnverifiedOutputError(
                    profile.name, f"stitched output failed integrity check: {whole.reason}", text, **run.usage()
                )
        # a reuse found by structure signature is derivable again in ~2 ms from the entry it came from:
        # storing it would put an embedding and a Chroma write on the fast path for nothing
        derivable = served.path == "reuse" and served.matched is not None and served.similarity is None
        store_error: str | None = None
        if served.matched is not None and served.path in ("reuse", "patch"):
            try:
                self._store_for(prep).touch(prep.collection, [served.matched.id])  # least recently used goes first
            except StoreError as e:
                run.notes.append(f"touch failed: {e}")
        if store and not served.exact and not derivable:
            try:
                self._store(prep, text, verified=served.verified, run=run)
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
        return Outcome(text, tuple(served.steps), trace)


@dataclass(frozen=True)
class _Adapted:
    candidate: Candidate
    steps: list[Step]
    ok: bool
    whole: Verdict
    verdicts: list[Verdict]
    score: tuple[bool, int, int]


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
