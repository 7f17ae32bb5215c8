"""The record format every store holds: :class:`Entry` (a request/output pair and its metadata codec),
:class:`Candidate` (a retrieved entry), and the helpers that name where and under which vector it lives."""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..values import Namespace, Request

__all__ = ["DEFAULT_DIR", "VETO", "Entry", "Candidate", "default_directory", "key_vector", "vetoes", "vouched_slots"]

DEFAULT_DIR = "~/.cache/stepcache/chroma"
VETO = "veto:"
"""The prefix of a slot that marks the opposite of a corroboration: a model answer gave it otherwise than the entry
re-derived (``veto:city``, see :meth:`~stepcache_core.tasks.base.Corroboration.vetoes`). Never served again."""


def vetoes(slots: frozenset[str]) -> frozenset[str]:
    """The veto marks among ``slots``."""
    return frozenset(s for s in slots if s.startswith(VETO))


def vouched_slots(slots: frozenset[str]) -> frozenset[str]:
    """The slots of ``slots`` that vouch for a reuse (all but veto marks)."""
    return frozenset(s for s in slots if not s.startswith(VETO))


@dataclass(frozen=True)
class Entry:
    """A stored request/output pair.

    ``signature`` is the task's structure key of the request (set on verified
    entries of tasks that have one): the store finds entries by it without
    embedding. ``verified`` is ``False`` for outputs kept for identical
    repeats only. ``frame`` is opaque to the engine: how the answer was
    delivered beyond its text (an integration's tool-call envelope); an exact
    hit hands it back, a reuse gets one of its own from the integration.
    ``corroborated``: the slots of the request's template for which a second,
    independent model answer to a request with other values there agreed with
    this answer re-derived for it (see
    :class:`~stepcache_core.tasks.base.Corroboration`), and the marks of those a model answer gave otherwise
    (:data:`VETO`).
    """

    id: str
    prompt: str
    key_text: str
    task: str
    output: str
    constraints: str
    created_at: float
    verified: bool = True
    signature: str = ""
    frame: str = ""
    corroborated: frozenset[str] = frozenset()
    checked: str = ""
    """The seal of the code that verified this answer for its request, when it was stored
    (:func:`~stepcache_core.verify.seal`): while the code and the answer are the same, its identical request is
    served without reading it again."""

    def metadata(self) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "prompt": self.prompt,
            "key_text": self.key_text,
            "task": self.task,
            "output": self.output,
            "constraints": self.constraints,
            "created_at": self.created_at,
            "verified": self.verified,
        }
        if self.signature:
            meta["sig"] = self.signature
        if self.frame:
            meta["frame"] = self.frame
        if self.corroborated:  # a JSON list: a slot's name may hold any character (an older store wrote "a,b")
            meta["corr"] = json.dumps(sorted(self.corroborated))
        if self.checked:
            meta["chk"] = self.checked
        return meta

    @staticmethod
    def from_metadata(entry_id: str, meta: Mapping[str, Any]) -> Entry:
        return Entry(
            id=entry_id,
            prompt=str(meta["prompt"]),
            key_text=str(meta.get("key_text", meta["prompt"])),
            task=str(meta["task"]),
            output=str(meta["output"]),
            constraints=str(meta.get("constraints", "{}")),
            created_at=float(meta.get("created_at", 0.0)),
            verified=bool(meta.get("verified", True)),
            signature=str(meta.get("sig", "")),
            frame=str(meta.get("frame", "")),
            corroborated=_slots(str(meta.get("corr", ""))),
            checked=str(meta.get("chk", "")),
        )

    def as_request(self, namespace: Namespace) -> Request:
        cons = json.loads(self.constraints) if self.constraints else {}
        return Request(
            prompt=self.prompt,
            task=self.task,
            schema=cons.get("schema"),
            required_keys=tuple(cons.get("required") or ()),
            namespace=namespace,
            key_text=self.key_text,
        )


@dataclass(frozen=True)
class Candidate:
    """A retrieved entry; ``similarity`` is ``None`` when it was matched by structure, not by embedding."""

    entry: Entry
    similarity: float | None


def default_directory() -> Path:
    """``$STEPCACHE_DIR`` if set, else ``~/.cache/stepcache/chroma``."""
    return Path(os.environ.get("STEPCACHE_DIR") or DEFAULT_DIR).expanduser()


def key_vector(key: str, dimension: int) -> list[float]:
    """A deterministic unit vector derived from a key: the embedding slot of an entry that is only
    ever found by id (exact-only tasks), so storing it never loads an embedding model."""
    raw = b""
    counter = 0
    while len(raw) < dimension:
        raw += hashlib.sha256(f"{counter}:{key}".encode()).digest()
        counter += 1
    v = [b / 255.0 - 0.5 for b in raw[:dimension]]
    n = math.sqrt(sum(x * x for x in v)) or 1.0
    return [x / n for x in v]


def _slots(stored: str) -> frozenset[str]:
    """The corroborated slots as :meth:`Entry.metadata` wrote them: a JSON list, or the comma-joined names of an
    older store; nothing from what is neither (a corrupted value vouches for nothing)."""
    if stored.startswith("["):
        try:
            names = json.loads(stored)
        except ValueError:
            return frozenset()
        return frozenset(str(n) for n in names if n) if isinstance(names, list) else frozenset()
    return frozenset(s for s in stored.split(",") if s)
