"""JSON verifier: parses, validates against the schema, has every required key, values grounded in the request."""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Sequence
from itertools import combinations
from typing import Any

from ...segment import find_json_object, locate_json_object
from ...values import Step, Verdict
from .corroborate import kind
from .parse import JsonProblem, source_text
from .text import (
    GREETINGS,
    _contains,
    _cut_name,
    _norm,
    _unit_word,
    boolean_stated,
    enumeration_gap,
    enumeration_order,
    foreign_labels,
    grounded,
    labelled_elsewhere,
    occurrences,
    own_labels,
    plausible_span,
    shared_label,
    tokens,
    value_tokens,
    whole_line,
)

__all__ = ["JsonVerifier"]


class JsonVerifier:
    """Per-key checks: allowed by the schema, valid for its sub-schema, grounded in the request,
    and not the same phrase as another key's value.

    Booleans and nulls cannot be grounded in text: they pass only when the model
    wrote them for this request (``origin="generated"``), never from the cache.
    """

    name = "json"

    def verify_steps(self, problem: JsonProblem, steps: Sequence[Step]) -> list[Verdict]:
        if not steps or any(s.key is None for s in steps):
            return [Verdict(False, "output holds no JSON object", step=0)] + [
                Verdict(False, "output holds no JSON object", step=s.index) for s in steps[1:]
            ]
        obj = {s.key: s.value for s in steps}
        errors_by_key: dict[str, str] = {}
        validator = problem.validator
        if validator is not None:
            for err in validator.iter_errors(obj):
                key = str(err.path[0]) if err.path else _missing_key(err) or ""
                errors_by_key.setdefault(key, err.message)
        verdicts: list[Verdict] = []
        clashes = _clashes(steps, source_text(problem), tuple(problem.properties))
        twins = _foreign_twins(steps, source_text(problem))
        flat = _flat(steps)  # the names of the answer's scalars, nested ones by their paths
        # "departure": "Flight" names a field (the text's label of the flight number), not a value
        labels = {_norm(k).replace("_", " ") for k in (*problem.properties, *(s.key for s in steps if s.key))}
        for s in steps:
            assert s.key is not None
            if s.key in clashes:
                # one phrase answering two fields ("event": "Valencia", "city": "Valencia") or a value
                # that swallows another field's ("title": "115 minutes", "runtime": 115) is a classic
                # small-model slip: neither can be trusted
                verdicts.append(
                    Verdict(False, f"value of {s.key!r} overlaps the value of {clashes[s.key]!r}", step=s.index, key=s.key)
                )
            elif s.key in twins:
                # "Stadt: Bern\nLand: Schweiz" for city and country: which is which, labels in words no check reads
                verdicts.append(Verdict(False, twins[s.key], step=s.index, key=s.key))
            elif s.key in errors_by_key:
                verdicts.append(Verdict(False, f"schema: {errors_by_key[s.key]}", step=s.index, key=s.key))
            elif problem.properties and s.key not in problem.properties:
                verdicts.append(Verdict(False, f"key {s.key!r} is not in the schema", step=s.index, key=s.key))
            elif (allowed := problem.allowed.get(s.key)) and isinstance(s.value, str) and s.value not in allowed:
                verdicts.append(
                    Verdict(
                        False,
                        f"value of {s.key!r} is not one the instructions allow ({', '.join(allowed)})",
                        step=s.index,
                        key=s.key,
                    )
                )
            elif not self._grounded(s, problem):
                verdicts.append(Verdict(False, f"value of {s.key!r} is not stated in the request", step=s.index, key=s.key))
            elif (why := _string_slip(s.key, s.value, steps, problem, labels)) is not None:
                verdicts.append(Verdict(False, why, step=s.index, key=s.key))
            elif (named := labelled_elsewhere(s.key, s.value, source_text(problem), tuple(problem.properties))) is not None:
                # "departs from Osaka at gate D22": the text itself says which value is the departure
                verdicts.append(Verdict(False, f"the text names {named!r} as {s.key!r}", step=s.index, key=s.key))
            elif (shared := shared_label(s.key, s.value, source_text(problem), tuple(problem.properties))) is not None:
                # "Name:" twice, under two sections: which one is the patient's, the label does not say
                verdicts.append(
                    Verdict(
                        False,
                        f"the text labels two values {shared!r}, which names {s.key!r} and another key",
                        step=s.index,
                        key=s.key,
                    )
                )
            elif isinstance(s.value, dict) and (why := _nested_labels(s, flat, source_text(problem))) is not None:
                verdicts.append(Verdict(False, why, step=s.index, key=s.key))
            elif s.value == [] and (listed := _unclaimed_enumeration(source_text(problem), steps)) is not None:
                verdicts.append(
                    Verdict(False, f"list {s.key!r} is empty, but the text enumerates {listed!r}", step=s.index, key=s.key)
                )
            elif (gap := _list_slip(s.value, source_text(problem))) is not None and not (
                isinstance(s.value, list) and all(judgement(v, problem.judged.get(s.key, ())) for v in s.value)
            ):  # (a list of values the schema lists is the model's judgement, in no order of the text's)
                verdicts.append(Verdict(False, f"list {s.key!r} {gap}", step=s.index, key=s.key))
            else:
                verdicts.append(Verdict(True, step=s.index, key=s.key))
        present = set(obj)
        for key in problem.required:
            if key not in present:
                verdicts.append(Verdict(False, f"required key {key!r} is missing", step=len(steps), key=key))
        if "" in errors_by_key:
            verdicts.append(Verdict(False, f"schema: {errors_by_key['']}", step=len(steps)))
        return verdicts

    @staticmethod
    def _grounded(step: Step, problem: JsonProblem) -> bool:
        if isinstance(step.value, bool):
            # a yes/no field the text states in the field's own words ("in stock", "out of stock") is checked
            # against that statement; one it does not state passes only when the model wrote it just now
            stated = boolean_stated(step.key or "", source_text(problem))
            return step.value is stated if stated is not None else step.origin == "generated"
        if step.value is None:
            return step.origin == "generated"
        if isinstance(step.value, list) and not step.value:
            return step.origin == "generated"
        if step.origin == "generated" and step.value in problem.allowed.get(step.key or "", ()):
            return True  # one of the values the instructions offer, chosen by the model for this text (like a yes/no)
        judged = problem.judged.get(step.key or "", ())
        if step.origin == "generated" and judged:
            # a value the schema lists, chosen by the model for this text ("adult"), alone or inside the key's
            # object or list beside values the text states
            return all(
                leaf is None or isinstance(leaf, bool) or judgement(leaf, judged) or grounded(leaf, source_text(problem))
                for leaf in _scalars(step.value)
            )
        return grounded(step.value, source_text(problem))

    def check(self, problem: JsonProblem, text: str) -> Verdict:
        found = locate_json_object(text)
        if found is None:
            return Verdict(False, "output holds no JSON object")
        start, end, _ = found
        obj = json.loads(text[start:end])
        # a wrapper (a sentence, a fence) may surround the object; a second object may not: which would it be?
        if find_json_object(text[end:]) is not None or find_json_object(text[:start]) is not None:
            return Verdict(False, "output holds more than one JSON object")
        validator = problem.validator
        if validator is not None:
            err = next(iter(validator.iter_errors(obj)), None)
            if err is not None:
                return Verdict(False, f"schema: {err.message}")
        for key in problem.required:
            if key not in obj:
                return Verdict(False, f"required key {key!r} is missing", key=key)
        return Verdict.passed()


def _leaves(value: Any, path: tuple[str, ...]) -> list[tuple[tuple[str, ...], Any]]:
    """The scalar values inside ``value`` (itself, a nested object's fields, a list's items) with their paths."""
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in _leaves(v, (*path, str(k)))]
    if isinstance(value, list):
        return [leaf for i, v in enumerate(value) for leaf in _leaves(v, (*path, f"[{i}]"))]
    return [(path, value)]


def _string_slip(key: str, value: Any, steps: Sequence[Step], problem: JsonProblem, labels: set[str]) -> str | None:
    """Why a string in ``value`` (itself, or inside a nested object or a list) is a small model's slip, not an
    extracted entity; ``None`` when none is."""
    every = [(path, value_tokens(leaf)) for st in steps if st.key is not None for path, leaf in _leaves(st.value, (st.key,))]
    for path, leaf in _leaves(value, (key,)):
        if not isinstance(leaf, str):
            continue
        others = [t for p, t in every if p != path and t]
        name = ".".join(p for p in path if not p.startswith("["))
        field = next((p for p in reversed(path) if not p.startswith("[")), key)
        parts = leaf.split()
        if len(parts) > 1 and parts[0].casefold().strip(",") in GREETINGS and parts[1][:1].isupper():
            return f"value of {name!r} begins with a greeting"
        if not plausible_span(leaf) and not whole_line(leaf, source_text(problem), field):
            return f"value of {name!r} is a cut of a sentence, not an entity"
        if _norm(leaf).replace("_", " ") in labels:
            return f"value of {name!r} is a field's name, not its value"
        if _unit_word(leaf, field, source_text(problem), _counts(value, path[1:])):
            return f"value of {name!r} is the unit of a quantity, not an entity"
        if cut := _cut_name(leaf, others, source_text(problem)):
            return f"value of {name!r} cuts the name {cut!r}"
    return None


def _counts(value: Any, path: tuple[str, ...]) -> frozenset[float]:
    """The numbers of the object that holds the leaf at ``path`` inside ``value`` (its record, for a list's item
    or a nested object)."""
    parent = value
    for part in path[:-1]:
        if isinstance(parent, list) and part.startswith("["):
            parent = parent[int(part[1:-1])]
        elif isinstance(parent, dict):
            parent = parent.get(part)
        else:
            return frozenset()
    if not isinstance(parent, dict):
        return frozenset()
    return frozenset(float(v) for v in parent.values() if isinstance(v, (int, float)) and not isinstance(v, bool))


def _list_slip(value: Any, text: str) -> str | None:
    """What a list of strings (anywhere in ``value``) gets wrong about the text's enumeration: an item it leaves
    out, or its items out of the text's order."""
    if isinstance(value, dict):
        return next((g for v in value.values() if (g := _list_slip(v, text)) is not None), None)
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        # a list of records ("5 plums, 4 figs and 1 melon"): each record's words, as the text writes them, are one
        # item of the enumeration
        phrases = _record_phrases(value, text)
        if phrases is not None:
            gap = enumeration_gap(phrases, text)
            if gap is not None:
                return f"leaves out the record at {gap!r} of the text's enumeration"
            if not enumeration_order(phrases, text):
                return "lists the text's records out of their order"
        return next((g for v in value if (g := _list_slip(v, text)) is not None), None)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        excluded = next((v for v in value if _excluded(v, text)), None)
        if excluded is not None:
            return f"holds {excluded!r}, which the text excludes"
        gap = enumeration_gap(value, text)
        if gap is not None:
            return f"leaves out {gap!r} of the text's enumeration"
        if not enumeration_order(value, text):
            return "lists the text's items out of their order"
    return None


def _record_phrases(records: Sequence[dict[str, Any]], text: str, window: int = 8) -> list[str] | None:
    """Each record's stretch of ``text``: the shortest run of at most ``window`` words holding every scalar value of
    the record ("5 plums" for ``{"name": "plums", "quantity": 5}``); ``None`` when a record has none."""
    words = tokens(text)
    folded = [w.casefold() for w in words]
    at: dict[str, list[int]] = {}
    for i, w in enumerate(folded):
        at.setdefault(w, []).append(i)
    out: list[str] = []
    for record in records:
        wanted = [value_tokens(v) for v in record.values() if not isinstance(v, (bool, dict, list)) and v is not None]
        wanted = [w for w in wanted if w]
        spots = [[i for i in at.get(w[0], ()) if tuple(folded[i : i + len(w)]) == w] for w in wanted]
        if not wanted or not all(spots):
            return None
        best: tuple[int, int] | None = None
        for start in sorted({i for s in spots for i in s}):
            ends = []
            for spot, value in zip(spots, wanted, strict=True):
                k = bisect.bisect_left(spot, start)
                ends.append(spot[k] + len(value) if k < len(spot) and spot[k] - start <= window else None)
            if any(e is None for e in ends):
                continue
            end = max(e for e in ends if e is not None)
            if end - start <= window and (best is None or end - start < best[1] - best[0]):
                best = (start, end)
        if best is None:
            return None
        out.append(" ".join(words[best[0] : best[1]]))
    return out


# "a desk lamp, a blender and a mirror", "Python, Go, or Rust": three or more conjuncts, commas and a last and/or
_ENUMERATION = re.compile(
    r"(?P<items>(?:[^\W\d_][\w'\-+#]*(?:[ \t]+[^\W\d_][\w'\-+#]*){0,3}[ \t]*,[ \t]*){2,}"
    r"(?:(?:and|or|&)[ \t]+)?[^\W\d_][\w'\-+#]*(?:[ \t]+[^\W\d_][\w'\-+#]*){0,3})"
    r"|(?P<pair>[^\W\d_][\w'\-+#]*,[ \t]*(?:an?[ \t]+|the[ \t]+)?[^\W\d_][\w'\-+#]*,?[ \t]+(?:and|or)[ \t]+[^\W\d_][\w'\-+#]*)",
    re.IGNORECASE,
)


def _unclaimed_enumeration(text: str, steps: Sequence[Step]) -> str | None:
    """An enumeration of three or more items in ``text`` that no other field's value draws on: an empty list
    beside it leaves the items out."""
    claimed = {t for st in steps if st.key is not None for _, leaf in _leaves(st.value, (st.key,)) for t in value_tokens(leaf)}
    for m in _ENUMERATION.finditer(text):
        words = {
            w.casefold() for w in re.findall(r"[\w'\-+#]+", m.group()) if w.casefold() not in ("and", "or", "a", "an", "the")
        }
        if words and not words & claimed:
            return m.group().strip()
    return None


def _excluded(item: str, text: str) -> bool:
    """Whether every mention of ``item`` in ``text`` is negated: "but not Python", "no shellfish", "without nuts"
    ("except" is not: "no allergies except penicillin" names one)."""
    found = list(re.finditer(rf"(?<![\w+#]){re.escape(item)}(?![\w+#])", text, re.IGNORECASE))
    return bool(found) and all(
        re.search(r"\b(?:not|no|without|never)\s+(?:(?:a|an|the|any)\s+)?$", text[: m.start()], re.IGNORECASE) for m in found
    )


def _clashes(steps: Sequence[Step], text: str = "", keys: Sequence[str] = ()) -> dict[str, str]:
    """Keys whose value equals or contains another field's value (token-wise), at any depth: a nested object's
    field ("street": "Lena Vogel" beside "recipient": "Lena Vogel"; "postcode": "57819 Osaka" beside "city":
    "Osaka") or a list item ("languages": ["Tom Becker", "C++"] beside "name": "Tom Becker") clashes too: one
    phrase of the text answering two fields. Where the ``text`` states the smaller value apart from every mention
    of the larger one, each field has a phrase of its own and nothing clashes: a number inside a string ("date":
    "July 5" beside "speakers": 5 of "on July 5 has 5 speakers"), a brand inside a product's name ("Brand: Sony"
    beside "Sony WH-1000XM5 Headphones"); so do two equal values the text states twice, each labelled by a word
    of its own key (see :func:`_labelled_apart`). ("Jack London" beside a city "London" of "was born in London" is
    the classic slip of a model that took the wrong mention: the other checks read that one.)"""
    leaves = [(s.key, path, v, value_tokens(v)) for s in steps if s.key is not None for path, v in _leaves(s.value, (s.key,))]
    leaves = [(k, path, v, t) for k, path, v, t in leaves if t]
    words = tokens(text)
    out: dict[str, str] = {}
    for i, (ka, pa, va, ta) in enumerate(leaves):
        for kb, pb, vb, tb in leaves[i + 1 :]:
            if pa[:-1] == pb[:-1] and pa[-1].startswith("[") and pb[-1].startswith("["):
                continue  # two items of one list
            # a value that swallows another ("Altair toaster" / "Altair") is the suspect one; equal values both are
            if ta == tb and _labelled_apart(text, keys, pa, pb, va):
                continue
            if _contains(ta, tb) and not _stated_apart(words, va, vb):
                out.setdefault(ka, ".".join(p for p in pb if not p.startswith("[")))
            if _contains(tb, ta) and not _stated_apart(words, vb, va):
                out.setdefault(kb, ".".join(p for p in pa if not p.startswith("[")))
    return out


def _flat(steps: Sequence[Step]) -> tuple[str, ...]:
    """The name of every scalar of the answer, its path's words ("shipping_name" for ``shipping.name``; a list's
    items leave no word), as the text's labels would name it."""
    names = ("_".join(p for p in path if not p.startswith("[")) for s in steps if s.key for path, _ in _leaves(s.value, (s.key,)))
    return tuple(dict.fromkeys(names))


def _nested_labels(step: Step, keys: tuple[str, ...], text: str) -> str | None:
    """Why a nested object's field is another's, read from the text's labels as for a top-level key ("Shipping
    name: Anna Berg" for ``shipping.name``; "Name:" under two sections for either), or ``None``. (A list's items
    share one name: their fields are the list checks'.)"""
    for path, leaf in _leaves(step.value, (step.key or "",)):
        if any(p.startswith("[") for p in path):
            continue
        key = "_".join(path)
        if (named := labelled_elsewhere(key, leaf, text, keys)) is not None:
            return f"the text names {named!r} as {'.'.join(path)!r}"
        if (shared := shared_label(key, leaf, text, keys)) is not None:
            return f"the text labels two values {shared!r}, which names {'.'.join(path)!r} and another key"
    return None


def _foreign_twins(steps: Sequence[Step], text: str) -> dict[str, str]:
    """Keys whose value, and another key's value of the same kind (:func:`~.corroborate.kind`: "Bern" and
    "Schweiz"), the text states only after form labels that name no key: a swap of the two would read as well."""
    values = {s.key: s.value for s in steps if s.key is not None}
    labels = foreign_labels(values, text)
    out: dict[str, str] = {}
    for a, b in combinations(labels, 2):
        forms = [[f in str(values[k]) for f in ("@", "://")] for k in (a, b)]  # an e-mail is no URL's twin
        if kind(values[a]) == kind(values[b]) and forms[0] == forms[1]:
            why = f"the text labels {values[a]!r} {labels[a]!r} and {values[b]!r} {labels[b]!r}, words that name no key"
            out.setdefault(a, why)
            out.setdefault(b, why)
    return out


def _stated_apart(words: Sequence[str], big: Any, small: Any) -> bool:
    """Whether ``small``, a value inside ``big`` (a date's day: "July 5"; a house number: "4 Mill Lane"; a model's
    number: "iPhone 15"; a brand: "Sony WH-1000XM5"), is stated by ``words`` (the text's tokens) somewhere outside
    a mention of ``big``: there it is a field's own value, and inside ``big`` a part of it. (Never an equal value,
    nor a part of ``big`` between commas.)"""
    if isinstance(small, bool) or small is None or isinstance(big, bool) or big is None:
        return False
    parts = [value_tokens(part) for part in str(big).split(",")]
    if value_tokens(big) == value_tokens(small) or (isinstance(small, str) and value_tokens(small) in parts):
        return False  # (a phrase of its own between commas: "12 Oak Street, Springfield" holds the city)
    n = len(tokens(str(big)))
    inside = {j for i in occurrences(words, str(big)) for j in range(i, i + n)}
    return any(i not in inside for i in occurrences(words, str(small)))


def _labelled_apart(text: str, keys: Sequence[str], pa: tuple[str, ...], pb: tuple[str, ...], value: Any) -> bool:
    """Whether two fields at paths ``pa`` and ``pb`` (top-level keys) holding one ``value`` each have a mention
    of it labelled by a word of their own key, at two places, and neither key labels another value: "2 bedrooms, 2
    bathrooms" (not "4 nights for 2 guests ... sleeps up to 4 guests")."""
    if len(pa) != 1 or len(pb) != 1:
        return False
    at_a, at_b = own_labels(pa[0], value, text, keys), own_labels(pb[0], value, text, keys)
    rivals = any(labelled_elsewhere(k, value, text, keys, strict=True) is not None for k in (pa[0], pb[0]))
    return not rivals and any(a != b for a in at_a for b in at_b)


def _missing_key(err: Any) -> str | None:
    if err.validator == "required":
        m = re.match(r"'([^']+)' is a required property", err.message)
        if m:
            return m.group(1)
    return None


def judgement(value: Any, judged: Sequence[Any]) -> bool:
    """Whether ``value`` is one of the values a schema lists (``judged``): a number is one of them only as a number."""
    return not isinstance(value, bool) and any(type(value) is type(v) and value == v for v in judged)


def _scalars(value: Any) -> list[Any]:
    """The scalars of a JSON value (its leaves), ``None`` and booleans included."""
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _scalars(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _scalars(v)]
    return [value]
