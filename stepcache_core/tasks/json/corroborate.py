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
served only from an entry a second model answer corroborated for that key and that kind of value: the caller's
model answers the first record of a structure that moves it, and where its verified answer equals the entry
re-derived for that record, the keys whose values moved are vouched for, each for the kind of value it moved to
(:func:`kind`: "Prof Dee Orr" is not the kind "Bob Ray" is, nor "2022/03/07" the kind "2021-03-07" is; records
whose values needed no change, ISO dates already, vouch for nothing else). A key whose value stays needs nothing
(the served value is the one the model wrote, still grounded). A model answer, verified or not, that gives a moved
key otherwise than the entry re-derived vetoes that key on the entry for good (:meth:`JsonCorroboration.vetoes`):
"Londres" for London shows the key is not a copy, whatever later records that need no change agree on.

Slots are key names as the new request's schema has them: a key under a name the entry does not have is a slot of
its own, whatever its value ("price" read as "price_cents" on the same record).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ...store.entry import VETO
from ...values import Request, Step
from .parse import JsonProblem, source_text
from .text import tokens

__all__ = ["JsonCorroboration", "kind"]

_VETO = VETO


class JsonCorroboration:
    """Key-by-key corroboration of JSON reuse across records (see the module's docstring). The engine asks no
    probes of its own: there is no record to invent that reads like the caller's."""

    probes_itself = False

    def changed(self, old: JsonProblem, new: JsonProblem, cached: Sequence[Step], adapted: Sequence[Step]) -> frozenset[str]:
        """The slots (``key=kind``: see :func:`kind`) of the keys whose values the adaptation changed, of those it put
        under a name the entry does not have, and, where a capitalised word no value holds changed between the two
        records, of every key holding a text (a value kept beside it is read anew)."""
        if any(s.key is None for s in cached) or any(s.key is None for s in adapted):
            return frozenset({"answer"}) if source_text(old) != source_text(new) else frozenset()
        before = {s.key: s.value for s in cached}
        # a key under a name the entry does not have is another slot whatever its value ("price" read as
        # "price_cents": the same 5 is another value there), so is a key of another schema on the same record
        moved = {s.key for s in adapted if s.key is not None and (s.key not in before or not _same(before[s.key], s.value))}
        if _names(source_text(old), cached) != _names(source_text(new), adapted):
            # a name no value holds changed around a value that stays ("lives in Bergen, near the Lyon station"
            # where "Oslo" stood, the cached city "Lyon": a slip kept as it is): the values that stay are read anew
            moved |= {s.key for s in adapted if s.key is not None and isinstance(s.value, str)}
        return frozenset(_slot(s.key, s.value) for s in adapted if s.key in moved)

    def varied(self, old: JsonProblem, new: JsonProblem, cached: Sequence[Step] | None = None) -> frozenset[str]:
        """Every key of ``cached`` when the records differ (what the adaptation may change; :meth:`changed` names
        those it did)."""
        if source_text(old) == source_text(new):
            return frozenset()
        keys = {_slot(s.key, s.value) for s in cached or () if s.key is not None}
        return frozenset(keys) if keys else frozenset({"answer"})

    def vouching(self, old: JsonProblem, new: JsonProblem, cached: Sequence[Step]) -> frozenset[str]:
        return self.varied(old, new, cached)

    def missing(
        self, old: JsonProblem, needed: frozenset[str], corroborated: frozenset[str], *, probing: bool = False
    ) -> frozenset[str]:
        """Of the keys ``needed``, those not vouched for, and those vetoed (``veto:<key>``, see :meth:`vetoes`)
        whatever vouched for them."""
        vetoed = [v[len(_VETO) :] + "=" for v in corroborated if v.startswith(_VETO)]
        # (a key may hold "=" itself: a veto of "a" also holds back "a=b", never the other way round)
        return frozenset(k for k in needed if k not in corroborated or any(k.startswith(v) for v in vetoed))

    def vetoes(self, problem: JsonProblem, adapted: Sequence[Step], answered: Sequence[Step]) -> frozenset[str]:
        """The keys whose values the entry re-derived for ``problem`` moved (``adapted``) and a model answer to it
        gives otherwise, verified or not (a form the checks refuse, "Londres" for London, is the clearest sign of
        all): marked ``veto:<key>`` on the entry, they are never served from it again for another record, and the
        answers that agree with it later inherit the mark. Without it, records whose values need no change
        ("Nice" is French already) would vouch for the key again after the model showed that it does. Empty
        where the answer holds no JSON object of these keys."""
        mine, yours = _values(adapted), _values(answered)
        if mine is None or yours is None or not set(mine) <= set(yours):
            return frozenset()
        moved = {s.key for s in adapted if s.key is not None and s.origin == "adapted"}
        return frozenset(f"{_VETO}{k}" for k in sorted(moved) if not _same(mine[k], yours[k]))

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
        return frozenset(_slot(s.key, s.value) for s in adapted if s.key is not None)

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


def _slot(key: str, value: Any) -> str:
    """A key and the kind of value it holds (``city=A``, ``date=94-2-2``, ``name=A A``): an answer that agreed at a value
    of one kind vouches for values of that kind only (see :func:`kind`)."""
    return f"{key}={kind(value)}"


def kind(value: Any) -> str:
    """The shape of a JSON value that a form asked in words no check reads may turn on: for a text, each word's
    case (``C`` in capitals, ``A`` capitalised, ``a`` lower case; ``9`` with a digit, then its letters' case and,
    where punctuation parts it, its groups' lengths) and a letter beyond ASCII (``~``): "2021-03-07" is ``94-2-2``
    where "07.03.2019" is ``92.2.4``, "SW1A" ``9C`` where "w1a" is ``9a``, "München" ``A~``
    where "Berlin" is ``A``, "Prof Dee Orr" ``A A A`` where "Bob Ray" is ``A A``. Two agreeing records whose
    values needed no change (ISO dates already, names with no title) say nothing of a value of another kind.
    Numbers, yes/no and null are one kind each; a list is the kinds of its items, an object its keys' kinds. (A
    word's own punctuation is left out: "Jean-Luc O'Neil" is a name as "Ana Ruiz" is; so is the order of a list's
    items, which a random list has one time in two.)"""
    if isinstance(value, bool):
        return "bool"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, list):
        return "[" + ",".join(sorted({kind(v) for v in value})) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}:{kind(v)}" for k, v in sorted(value.items())) + "}"
    return " ".join(_word_kind(w) for w in str(value).split())


def _word_kind(word: str) -> str:
    letters = [c for c in word if c.isalpha()]
    beyond = "~" if any(not c.isascii() for c in letters) else ""
    if any(c.isdigit() for c in word):
        # a code, a date, a number written out: its letters' case where it has two or more ("SW1A" / "w1a"), and
        # where punctuation parts it, the length of each group ("2021-03-07" is 4-2-2, "07-03-2022" 2-2-4)
        case = "C" if len(letters) >= 2 and all(c.isupper() for c in letters) else "a" if len(letters) >= 2 else ""
        parted = any(not c.isalnum() for c in word)
        layout = re.sub(r"[^\W\d_]+", "x", re.sub(r"\d+", lambda m: str(len(m.group())), word)) if parted else ""
        return "9" + case + layout + beyond
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return "C" + beyond
    return ("A" if letters and letters[0].isupper() else "a") + beyond


def _names(text: str, steps: Sequence[Step]) -> list[str]:
    """The capitalised words of ``text`` inside its sentences that no value of ``steps`` holds, in order."""
    held = {w.casefold() for s in steps for leaf in _leaves(s.value) for w in tokens(str(leaf))}
    out, start = [], True
    for token in tokens(text):
        if not any(ch.isalnum() for ch in token):
            start = start or token in ".!?"
            continue
        bare = re.sub(r"['\u2019]s?$", "", token)
        if token[:1].isupper() and not start and bare.casefold() not in held and token.casefold() not in held:
            out.append(token)
        start = False
    return out


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value] if isinstance(value, str) else []


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
