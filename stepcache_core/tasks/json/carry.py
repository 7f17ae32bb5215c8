"""What a reused JSON answer carries over from the cached record that the new record does not share."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ...segment import locate_json_object
from ...values import Step, Verdict
from .parse import JsonProblem, source_text
from .text import _norm, is_number, tokens

__all__ = ["JsonCarryover", "ROLE_WORDS"]

# words that give the value after them its role in a sentence: "from Lyon" is an origin, "to Lyon" a destination,
# "for Bob" the one served, "by Bob" the one serving
ROLE_WORDS = frozenset(
    "from to for by of at into onto via toward towards between with without against than per under over after before".split()
)
_SKIP = frozenset("the a an his her their its my our your".split())

# a text that takes back what it said ("3 units ... actually, make it 4"; "express, no, standard is fine") offers
# two candidates for one key: which one holds only the model can read
_CORRECTION = re.compile(
    r"\b(?:actually|correction|scratch that|i mean|i meant|sorry|on second thought|change (?:that|it) to|make (?:that|it)"
    r"|instead|rather than|not \w+ but|wait)\b|(?:^|[,;.]\s*)no\s*[,;.!]",
    re.IGNORECASE,
)


class JsonCarryover:
    """A reused value (one the model did not write for this request) must fill the role it filled in the cached
    record, and be the new record's only candidate of its kind; text around the object must not name a cached
    value the new record does not have.

    - *Roles.* The word that gives a value its role ("from", "to", "for", "by", a possessive) must not change:
      the cached ``origin`` was the city after "from"; in "from Porto to Lyon" a reused ``Lyon`` stands after "to".
    - *Candidates.* A record that corrects itself offers two values for one key; a record with more numbers than
      the cached one has a number the cached answer never placed. Both go to the model.
    - *Prose.* A note after the object ("Alice is 30.") that names a cached value the new record lacks is stale; a
      patch rewrites values, not notes, so the reuse is skipped.
    """

    def stale(
        self, old: JsonProblem, new: JsonProblem, cached: Sequence[Step], steps: Sequence[Step], text: str
    ) -> list[Verdict]:
        old_text, new_text = source_text(old), source_text(new)
        if _norm(old_text) == _norm(new_text):
            return []
        out: list[Verdict] = []
        if _CORRECTION.search(new_text) and not _CORRECTION.search(old_text):
            return [Verdict(False, "the record corrects itself or offers two candidates for one value")]
        before = {s.key: s.value for s in cached if s.key is not None}
        more_numbers = _count_numbers(new_text) > _count_numbers(old_text)
        for step in steps:
            if step.origin == "generated" or step.key is None:
                continue
            was = before.get(step.key)
            for leaf, old_leaf in _pairs(step.value, was):
                if isinstance(leaf, (int, float)) and not isinstance(leaf, bool) and more_numbers:
                    out.append(
                        Verdict(
                            False,
                            f"the record has more numbers than the cached one: which is {step.key!r}?",
                            step=step.index,
                            key=step.key,
                        )
                    )
                    break
                if not isinstance(leaf, (str, int, float)) or isinstance(leaf, bool) or old_leaf is None:
                    continue
                then, now = _roles(old_text, old_leaf), _roles(new_text, leaf)
                if then and now and then != now:
                    out.append(
                        Verdict(
                            False,
                            f"{leaf!r} stands after {'/'.join(sorted(now))!r} where the cached {step.key!r} stood after "
                            f"{'/'.join(sorted(then))!r}",
                            step=step.index,
                            key=step.key,
                        )
                    )
                    break
        prose = _outside_object(text)
        if prose.strip():
            shared = {_norm(str(v)) for s in steps for v in _leaves(s.value)}
            for s in cached:
                for v in _leaves(s.value):
                    word = _norm(str(v))
                    if word and word not in shared and not _mentions(new_text, word) and _mentions(prose, word):
                        return out + [Verdict(False, f"the text around the object names the cached {s.key!r} ({v!r})")]
        return out


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [] if value is None or isinstance(value, bool) else [value]


def _pairs(new: Any, old: Any) -> list[tuple[Any, Any]]:
    """Scalars of ``new`` with the scalar at the same place in ``old`` (``None`` where the shapes differ)."""
    if isinstance(new, dict):
        fields: dict[Any, Any] = old if isinstance(old, dict) else {}
        return [p for k, v in new.items() for p in _pairs(v, fields.get(k))]
    if isinstance(new, list):
        items: list[Any] = old if isinstance(old, list) and len(old) == len(new) else [None] * len(new)
        return [p for v, w in zip(new, items) for p in _pairs(v, w)]
    return [(new, old)]


def _roles(text: str, value: Any) -> frozenset[str]:
    """The role words in front of the occurrences of ``value`` in ``text`` (articles and possessive pronouns
    skipped), and ``'s`` for a possessive after it."""
    spoken = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    found: set[str] = set()
    for m in re.finditer(rf"(?<![\w]){re.escape(spoken)}(?![\w])", text, re.IGNORECASE):
        before = [w.casefold() for w in re.findall(r"[\w']+", text[max(0, m.start() - 60) : m.start()])]
        while before and before[-1] in _SKIP:
            before.pop()
        if before and before[-1] in ROLE_WORDS:
            found.add(before[-1])
        if re.match(r"['’]s?\b", text[m.end() :]):
            found.add("'s")
    return frozenset(found)


def _count_numbers(text: str) -> int:
    return sum(1 for t in tokens(text) if is_number(t))


def _mentions(text: str, word: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", _norm(text)) is not None


def _outside_object(text: str) -> str:
    found = locate_json_object(text)
    if found is None:
        return ""
    start, end, _ = found
    return text[:start] + "\n" + text[end:]
