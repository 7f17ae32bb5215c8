"""When a JSON answer may serve another record: once a second model answer agreed, key by key.

The verifier checks that every value is valid for the schema and grounded in the record; it cannot check *which*
of the record's words the request meant, nor in what form. A first answer that is right for its own record may be
wrong re-derived for another one in ways no check reads:

- the request asks for a form in words no list holds ("the city's name as locals write it", a description in
  Japanese, a form shown only in a property's ``examples``), and the first record already had that form ("Paris"
  asked in French): the value carried to the next record ("London") is grounded, and not what was asked;
- the model slipped on a record with two candidates ("in Oslo, near the Lyon station" answered "Lyon"): the slip
  is grounded, and the adapter carries it faithfully to every later record of that wording.

So, as word problems do (:mod:`~stepcache_core.tasks.word.corroborate`), a reuse that changes a key's value is
served only from an entry a second model answer corroborated for that key: the caller's model answers the first
record of a structure that moves it, and where its verified answer equals the entry re-derived for that record,
the keys whose values moved are vouched for. A key whose value stays needs nothing (the served value is the one the
model wrote, still grounded), and a reuse for the same record with another schema changes no value.

Slots are key names as the new request's schema has them: an entry stored with other names for its keys is not
corroborated for these (a rename alone proves nothing about the value's form either way).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ...values import Request, Step
from .parse import JsonProblem, source_text

__all__ = ["JsonCorroboration"]


class JsonCorroboration:
    """Key-by-key corroboration of JSON reuse across records (see the module's docstring). The engine asks no
    probes of its own: there is no record to invent that reads like the caller's."""

    probes_itself = False

    def changed(self, old: JsonProblem, new: JsonProblem, cached: Sequence[Step], adapted: Sequence[Step]) -> frozenset[str]:
        """The keys whose values the adaptation changed (or put under a name the entry does not have, with a value
        it does not hold)."""
        if any(s.key is None for s in cached) or any(s.key is None for s in adapted):
            return frozenset({"answer"}) if source_text(old) != source_text(new) else frozenset()
        before = {s.key: s.value for s in cached}
        out = set()
        for s in adapted:
            assert s.key is not None
            if s.key in before:
                if not _same(before[s.key], s.value):
                    out.add(s.key)
            elif not any(_same(v, s.value) for v in before.values()):
                out.add(s.key)
        return frozenset(out)

    def varied(self, old: JsonProblem, new: JsonProblem, cached: Sequence[Step] | None = None) -> frozenset[str]:
        """Every key of ``cached`` when the records differ (what the adaptation may change; :meth:`changed` names
        those it did)."""
        if source_text(old) == source_text(new):
            return frozenset()
        keys = {s.key for s in cached or () if s.key is not None}
        return frozenset(keys) if keys else frozenset({"answer"})

    def vouching(self, old: JsonProblem, new: JsonProblem, cached: Sequence[Step]) -> frozenset[str]:
        return self.varied(old, new, cached)

    def missing(
        self, old: JsonProblem, needed: frozenset[str], corroborated: frozenset[str], *, probing: bool = False
    ) -> frozenset[str]:
        return needed - corroborated

    def agrees(self, problem: JsonProblem, adapted: Sequence[Step], answered: Sequence[Step]) -> bool:
        """Whether the model's answer holds the same keys with the same values as the entry re-derived (JSON
        equality: ``true`` is never ``1``; layout and key order aside)."""
        mine, yours = _values(adapted), _values(answered)
        return (
            mine is not None and yours is not None and mine.keys() == yours.keys() and all(_same(mine[k], yours[k]) for k in mine)
        )

    def vouched(self, problem: JsonProblem, adapted: Sequence[Step], answered: Sequence[Step]) -> frozenset[str]:
        """Every key, where the two agree on all of them (the caller keeps those whose values moved); none where they
        disagree on any: one of the two is wrong, and keys are not independent ("the older one's name" and age)."""
        if not self.agrees(problem, adapted, answered):
            return frozenset()
        return frozenset(s.key for s in adapted if s.key is not None)

    def same_form(self, adapted: Sequence[Step], answered: Sequence[Step]) -> bool:
        """Answers that agree value for value read the record alike: the new answer inherits the entry's slots."""
        mine, yours = _values(adapted), _values(answered)
        return (
            mine is not None and yours is not None and list(mine) == list(yours) and all(_same(mine[k], yours[k]) for k in mine)
        )

    def refutes(self, problem: JsonProblem, adapted: Sequence[Step], answered: Sequence[Step]) -> bool:
        """An answer that did not verify disputes nothing: an entry not corroborated for a key never serves a record
        that moves it, whatever this answer says."""
        return False

    def probes(self, request: Request, problem: JsonProblem) -> Sequence[Request]:
        return ()


def _values(steps: Sequence[Step]) -> Mapping[str, Any] | None:
    if not steps or any(s.key is None for s in steps):
        return None
    return {s.key: s.value for s in steps if s.key is not None}


def _same(a: Any, b: Any) -> bool:
    """JSON equality: a bool equals only a bool, a number a number of the same value, containers item by item."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b
