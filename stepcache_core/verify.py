"""Verification: an answer's steps checked against a request by its task's verifier, under bounds.

The task's verifier decides (:class:`~stepcache_core.tasks.base.Verifier`); this stage makes every check safe to
run on the request path: answers past the size limits are not read, a check past its time budget fails, and a
verifier that raises fails. Anything a check cannot tell is a failure, never a pass.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from .bounds import VerificationBudgetExceeded, deadline
from .config import EngineConfig
from .errors import StepCacheError
from .intake import Prepared, RunLog
from .tasks import TaskProfile
from .tasks.base import RendersLike
from .values import Origin, Step, Verdict

__all__ = ["Verification", "fingerprint", "merge_stale", "seal", "unreadable"]

_V = TypeVar("_V")


class Verification:
    """Segments answers, verifies their steps and checks them whole, within ``config``'s limits
    (``max_output_chars``, ``max_steps``, ``verify_budget_s``)."""

    def __init__(self, config: EngineConfig) -> None:
        self.config = config

    def segment(self, profile: TaskProfile, text: str, origin: Origin = "cached") -> list[Step]:
        """The task's steps of ``text``; too long or unreadable text is one step, which verification then fails."""
        if len(text) > self.config.max_output_chars:
            return [Step(0, text, origin)]
        try:
            return profile.segmenter.segment(text, origin=origin)
        except Exception:  # RecursionError on deeply nested JSON, a plug-in's bug...
            return [Step(0, text, origin)]

    def steps(self, prep: Prepared, steps: Sequence[Step], run: RunLog) -> tuple[bool, Verdict, list[Verdict]]:
        """Step by step: whether all pass, the first failure (or a pass), and each step's verdict.
        The whole-answer check is :meth:`whole`."""
        verifier = prep.profile.verifier
        if verifier is None:
            return True, Verdict.passed(), []
        with run.stage("verify"):
            verdicts = self.guarded(
                lambda: verifier.verify_steps(prep.problem, steps),
                steps,
                lambda reason: [Verdict(False, reason, step=0)] + [Verdict(False, reason, step=s.index) for s in steps[1:]],
            )
        first_bad = next((v for v in verdicts if not v.ok), None)
        return first_bad is None, first_bad or Verdict.passed(), verdicts

    def whole(self, prep: Prepared, text: str) -> Verdict:
        """The whole-answer integrity check, under the same limits as the step checks."""
        verifier = prep.profile.verifier
        if verifier is None:
            return Verdict.passed()
        return self.guarded(lambda: verifier.check(prep.problem, text), [Step(0, text)], lambda reason: Verdict(False, reason))

    def guarded(self, check: Callable[[], _V], steps: Sequence[Step], failed: Callable[[str], _V]) -> _V:
        """Run a check under the size limits and the time budget; anything it cannot tell is ``failed(reason)``."""
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

    @staticmethod
    def render(profile: TaskProfile, steps: Sequence[Step], layout: str | None) -> str:
        """``steps`` as text, in the layout of the answer they came from when the segmenter can
        (:class:`~stepcache_core.tasks.base.RendersLike`: a JSON object stays in its sentence or fence)."""
        segmenter = profile.segmenter
        if layout is not None and isinstance(segmenter, RendersLike):
            try:
                return str(segmenter.render_like(layout, steps))
            except Exception:  # a plug-in's layout renderer failing falls back to its plain render
                pass
        return segmenter.render(steps)


def unreadable(verdicts: Sequence[Verdict]) -> bool:
    """Every failure is the verifier not reading the output, none is the output found wrong."""
    failed = [v for v in verdicts if not v.ok]
    return bool(failed) and all(v.unreadable for v in failed)


def merge_stale(verdicts: Sequence[Verdict], stale: Sequence[Verdict]) -> list[Verdict]:
    """``verdicts`` with each step that carries something stale failed by its stale verdict (the first failure
    of a step stays when it already failed)."""
    by_step = {v.step: v for v in reversed(stale) if v.step is not None}
    return [by_step[v.step] if v.ok and v.step in by_step else v for v in verdicts]


def fingerprint(profile: TaskProfile) -> str:
    """Which code verifies ``profile``'s answers: a digest of this package's sources and of the modules its parser
    and verifier come from. Stored with a verified entry (:attr:`Entry.checked`): an identical request is served
    that entry without reading it again only while the fingerprint is the same (any change to the code, an
    upgrade, and it is verified again like any reuse)."""
    parse = getattr(profile.parse, "func", profile.parse)  # a functools.partial: the function it calls
    modules = (
        getattr(parse, "__module__", "") or "",
        type(profile.verifier).__module__ if profile.verifier is not None else "",
        type(profile.segmenter).__module__,
    )
    parts = [_CODE, profile.name, *(_module_digest(m) for m in modules)]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]


def seal(profile: TaskProfile, entry_id: str, output: str) -> str:
    """What a verified entry stores as :attr:`Entry.checked`: the code that verified it (:func:`fingerprint`),
    the request it answers and the answer itself, digested; an answer changed in the store no longer matches."""
    raw = "\x1f".join((fingerprint(profile), entry_id, output))
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _code() -> str:
    """This package's sources as imported (read once, at import: a process whose package is upgraded on disk
    while it runs still seals with the code it runs), and the versions of the libraries its checks rely on."""
    from importlib import metadata

    digest = hashlib.sha256()
    base = Path(__file__).resolve().parent
    for path in sorted(base.rglob("*.py")):
        digest.update(path.relative_to(base).as_posix().encode())
        digest.update(path.read_bytes())
    for dist in ("stepcache", "sympy", "jsonschema"):
        try:
            digest.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{dist}=?".encode())
    return digest.hexdigest()


_CODE = _code()


@lru_cache(maxsize=256)
def _module_digest(name: str) -> str:
    """A module's source digest (``""`` for one without a file); this package's own are in :func:`_sources`."""
    if not name or name == "stepcache_core" or name.startswith("stepcache_core."):
        return ""
    path = getattr(sys.modules.get(name), "__file__", None)
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest() if path else ""
    except OSError:
        return ""
