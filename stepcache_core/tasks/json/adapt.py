"""Adapting a cached JSON answer to a new request without the model: renamed keys, values the text diff replaced,
values that moved (re-found by their neighbouring words)."""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from ...values import Step
from ..base import AdaptContext
from .carry import rivalled
from .gate import asks_part
from .parse import JsonProblem, source_text
from .text import boolean_stated, grounded, is_number, labelled, occurrences, tokens

__all__ = ["JsonAdapter", "same_shape"]


class JsonAdapter:
    """Renames keys, drops removed keys and carries value changes over from the text diff.

    A key present only in the new schema takes the value of a key present only
    in the old one when they sit at the same position with the same type and
    their names are similar (embedding similarity, when available). A value
    whose words were replaced in the request text (``Alice`` -> ``Bob``) is
    replaced the same way. Everything else is left for verification to judge.
    """

    def __init__(self, min_name_similarity: float = 0.55, *, renames_by_similarity: bool = True) -> None:
        self.min_name_similarity = min_name_similarity
        # names that embed alike may be opposites ("seller" and "buyer" with no buyer in the record): where no
        # second model answer corroborates a rename (the task's ``corroborate=False``), only the text's own label
        # for the value renames a key
        self.renames_by_similarity = renames_by_similarity

    def adapt(self, old: JsonProblem, new: JsonProblem, steps: Sequence[Step], ctx: AdaptContext) -> list[Step]:
        if any(s.key is None for s in steps):
            return list(steps)
        renames = self._renames(old, new, ctx, {s.key: s.value for s in steps if s.key is not None})
        replacements = self._replacements(source_text(old), source_text(new))
        out: list[Step] = []
        for s in steps:
            assert s.key is not None
            key = renames.get(s.key, s.key)
            if key not in new.properties and new.schema is not None:
                continue  # removed from the schema
            part = asks_part(key)  # "first_name", "email_domain": a one-word value stays one word
            value = self._replace(s.value, replacements, source_text(new), source_text(old), part=part)
            if isinstance(value, bool):  # a yes/no field follows the new text's own statement, negations included
                stated = boolean_stated(key, source_text(new))
                value = stated if stated is not None else value
            if (
                value == s.value
                and not isinstance(value, (bool, list, dict))
                and value is not None
                and not grounded(value, source_text(new))
                and not _reformed(value, source_text(old))
            ):
                # the diff did not line up (clauses moved): find the value by the words around it
                value = _by_anchors(value, source_text(old), source_text(new), part=part)
            # a value the model copied as the record wrote it ("Ann Lee"), which the new record writes otherwise
            # ("ANN LEE", "Ann  Lee", "José" decomposed, curly quotes): the model copies the new writing, or not
            doubt = _COPIED if _copy_lost(value, source_text(old), source_text(new)) else ""
            if key != s.key or value != s.value:
                out.append(Step(len(out), json.dumps({key: value}, ensure_ascii=False), "adapted", key, value, doubt))
            else:
                out.append(Step(len(out), s.text, s.origin, s.key, s.value, doubt))
        # order as in the new schema
        order = {k: i for i, k in enumerate(new.properties)}
        out.sort(key=lambda st: order.get(st.key or "", len(order)))
        return [Step(i, st.text, st.origin, st.key, st.value, st.doubt) for i, st in enumerate(out)]

    def _renames(self, old: JsonProblem, new: JsonProblem, ctx: AdaptContext, values: Mapping[str, Any]) -> dict[str, str]:
        gone = [k for k in old.properties if k not in new.properties]
        added = [k for k in new.properties if k not in old.properties]
        renames: dict[str, str] = {}
        for g in gone:
            pos = old.properties.index(g)
            for a in added:
                if a in renames.values():
                    continue
                same_pos = pos < len(new.properties) and new.properties[pos] == a
                same_type = old.types.get(g) == new.types.get(a)
                if not (same_pos and same_type):
                    continue
                # names that embed alike may be opposites (seller and buyer, start and end date, width and height):
                # where the record holds a rival of the value, the new name may mean it, and the model answers
                similar = self.renames_by_similarity and not rivalled(source_text(old), values.get(g), values.values())
                similar = similar and (
                    ctx.similarity is None or ctx.similarity(g.replace("_", " "), a.replace("_", " ")) >= self.min_name_similarity
                )
                # names the embedding can't vouch for (origin -> departure) still rename when the text
                # itself labels the value with the new name ("departs from Denver")
                if not (similar or labelled(a, values.get(g), source_text(old))):
                    continue
                renames[g] = a
        return renames

    @staticmethod
    def _replacements(old_text: str, new_text: str) -> dict[str, str]:
        a, b = tokens(old_text), tokens(new_text)
        out: dict[str, str] = {}
        matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "replace" and i2 - i1 <= 6 and j2 - j1 <= 6:
                out[" ".join(a[i1:i2]).casefold()] = " ".join(b[j1:j2])
            if op == "replace":
                # an edited clause often starts or ends with the changed number: "31" -> "45, a chef,"
                for x, y in ((a[i1], b[j1]), (a[i2 - 1], b[j2 - 1])):
                    if is_number(x) and is_number(y):
                        out[x.casefold()] = y
                if i2 - i1 == j2 - j1 > 1:  # "3 apples" -> "5 plums": word for word, where the kinds agree
                    for x, y in zip(a[i1:i2], b[j1:j2], strict=True):
                        if is_number(x) == is_number(y) and x.casefold() != y.casefold():
                            out.setdefault(x.casefold(), y)
        return out

    def _replace(self, value: Any, replacements: Mapping[str, str], text: str, old_text: str, *, part: bool = False) -> Any:
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, (int, float)):
            new = replacements.get(str(value).casefold())
            if new is not None:
                if isinstance(value, float) and "." not in new:
                    # "9 points" where the cached answers held 7.5: "9" or "9.0", as the model writes a whole number
                    # it never showed; left as it was, for verification to send to the model (helper-176)
                    return value
                try:
                    return type(value)(new.replace(",", ""))
                except ValueError:
                    return value
            return value
        if isinstance(value, str):
            if _reformed(value, old_text):
                # the model wrote it in another form than the text's ("JOHN SMITH" for "John Smith", as an
                # instruction asked): the new record's words, as the text spells them, would be another form
                return value
            # the diff first: "departs from Denver ... lands in Bergen" -> "departs from Valencia ... lands in
            # Denver" replaces this "Denver", even though the new text still says "Denver" elsewhere
            key = " ".join(tokens(value)).casefold()
            if key in replacements and same_shape(value, replacements[key], part=part):
                return _as_written(replacements[key], text)
            if grounded(value, text):
                return value
            # a value spanning an edit: substitute the replaced words inside it
            words = tokens(value)
            swapped = [replacements.get(w.casefold(), w) for w in words]
            if swapped != words:
                candidate = _as_written(" ".join(swapped), text)
                return candidate if grounded(candidate, text) and same_shape(value, candidate, part=part) else value
            return value
        if isinstance(value, list):
            return [self._replace(v, replacements, text, old_text, part=part) for v in value]
        if isinstance(value, dict):  # a record inside the answer (a list's item, a nested object): its fields likewise
            return {k: self._replace(v, replacements, text, old_text, part=asks_part(k)) for k, v in value.items()}
        return value


# the doubt of a value whose writing the new record changed (see ``_copy_lost``): no answer vouches for how the
# model copies another writing, so such a step is never served (see :attr:`Step.doubt`)
_COPIED = "written(as the new record writes it)"


def _copy_lost(value: Any, old_text: str, new_text: str, depth: int = 0) -> bool:
    """Whether a text of ``value`` (or of an item or field of it) stands in ``old_text`` as written and not in
    ``new_text``: the new record writes it otherwise (case, accents composed or not, spacing, quotes, marks),
    though the checks, which compare folded text, find it there."""
    if isinstance(value, str):
        return (
            bool(value.strip())
            and _verbatim(value, old_text)
            and not _verbatim(value, new_text)
            and grounded(value, new_text)  # (one the new record does not hold fails the checks)
        )
    if depth > 32:
        return True  # (nested deeper than any record's value: not read, so doubted)
    if isinstance(value, list):
        return any(_copy_lost(v, old_text, new_text, depth + 1) for v in value)
    if isinstance(value, dict):
        return any(_copy_lost(v, old_text, new_text, depth + 1) for v in value.values())
    return False


def _verbatim(value: str, text: str) -> bool:
    """Whether ``text`` writes ``value`` as it is: not inside a longer word, nor followed by a mark that changes its
    last character (a combining mark of any kind, a variation selector, a joiner, a skin tone, an emoji tag: "❤" is
    not "❤️", "👍" not "👍🏽", "1" not "1⃣")."""
    before = r"(?<!\w)" if re.match(r"\w", value) else ""
    for m in re.finditer(before + re.escape(value), text):
        after = text[m.end() : m.end() + 1]
        if not after:
            return True
        if re.search(r"\w$", value) and re.match(r"\w", after):
            continue
        if unicodedata.category(after) in ("Mn", "Me", "Mc", "Sk", "Cf") or "\U0001f3fb" <= after <= "\U0001f3ff":
            continue
        if "\ufe00" <= after <= "\ufe0f" or "\U000e0000" <= after <= "\U000e007f":
            continue
        return True
    return False


def _as_written(value: str, text: str) -> str:
    """``value``, words joined by spaces, as ``text`` writes it: "$ 60" is "$60" where the record glues the sign to
    the number ("40 %" "40%", "60 €" "60€"); ``value`` where the record does not hold it."""
    parts = tokens(value)
    if not parts:
        return value
    m = re.search(r"(?<!\w)" + r"\s*".join(map(re.escape, parts)) + r"(?!\w)", text)  # (spacing, not case)
    return m.group() if m is not None else value


def _reformed(value: Any, old_text: str) -> bool:
    """Whether the model wrote a text value in another form than the cached request's text has it ("JOHN SMITH"
    for "John Smith", as an instruction asked): the new record's words as its text spells them would be another
    form, so such a value is not re-derived (it is patched through the model)."""
    return isinstance(value, str) and bool(re.search(r"[^\W\d_]", value)) and value not in old_text


_NEGATING = frozenset("no not never none nobody nothing neither nor without".split())


def same_shape(old: str, new: str, *, part: bool = False) -> bool:
    """Whether ``new`` can stand where the value ``old`` stood: the same punctuation, as many lowercase words, as
    many words holding a digit ("555-0101" is never "unknown") and as many written in capitals ("NV" is a code
    where "Nevada" was a name: a request may ask for the name in full, which a copy of the code is not), and no
    negation ``old`` did not have. A diff's
    replaced run that is longer than the value ("Porto no more", "Porto (not anymore)", "\"Porto\"", "Go and C++"
    for one item) holds words of the record around the value, which are not the value's to carry: left alone, the
    value fails verification and the model patches it. ``part``: the key asks for a part of a value (see
    :func:`same_parts`)."""
    a, b = tokens(old), tokens(new)

    def punct(ts: list[str]) -> list[str]:
        return sorted(t for t in ts if not any(ch.isalnum() for ch in t))

    def lower(ts: list[str]) -> int:
        return sum(1 for t in ts if t[:1].islower())

    def negating(ts: list[str]) -> bool:
        return any(t.casefold() in _NEGATING for t in ts)

    def coded(ts: list[str]) -> int:
        return sum(1 for t in ts if any(ch.isdigit() for ch in t))

    def capitals(ts: list[str]) -> int:
        return sum(1 for t in ts if _capitals(t))

    return (
        same_parts(old, new, part=part)
        and punct(a) == punct(b)
        and lower(a) == lower(b)
        and coded(a) == coded(b)
        and capitals(a) == capitals(b)
        and (negating(a) or not negating(b))
    )


def same_parts(old: str, new: str, *, part: bool = False) -> bool:
    """Whether ``new`` has no part ``old`` lacks: no kind of mark that joins a value's parts comes in (``_PART_MARK``:
    "acme.com" for ``email_domain`` is never "cal@umbrella.com", "com" never "umbrella.co.uk", "212" never
    "617-555-0100", "1980" never "1985-03-02"), no letter into a number ("14" is never "14h30", "1980" never
    "1985年3月2日"), a one-letter value stays one letter ("B" for ``initial`` is never "Cal"), a code of digits keeps
    its length ("212" for an area code is never "6175550100"); where the key asks for a part (``part``:
    "first_name"), a one-word value stays one word ("Ann" is never "Cal Ito"). The cached record may have stated
    the part alone."""
    a, b = old.strip(), new.strip()
    if not set(_PART_MARK.findall(b)) <= set(_PART_MARK.findall(a)):
        return False
    if a.isdigit() and not b.isdigit() and any(ch.isalpha() for ch in b):
        return False
    if len(a) == 1 and len(b) > 1:
        return False
    if a.isdigit() and b.isdigit() and len(b) != len(a):  # "212" -> "6175550100": digits written, not a number
        return False
    return not (part and len(tokens(a)) <= 1 < len(tokens(b)))


_PART_MARK = re.compile(r"[@/\\]|(?<=\d)[-.:_](?=\d)|(?<=[^\W\d_])\.(?=[^\W\d_])")
"""A mark that joins a value's parts: an address's "@" and its dots, a path's slash, a date's, a time's or a phone
number's mark between digits (a name's own marks, "Jean-Luc", "C++", are none)."""


def _capitals(token: str) -> bool:
    """A word of two or more letters, every one a capital ("NV", "USA", "ÉU")."""
    return len(token) >= 2 and token.isalpha() and token.isupper()


def _shape(token: str) -> str:
    if is_number(token):
        return "9"
    if any(ch.isdigit() for ch in token):  # a code ("555-0101", "2024-03-05", "12B"): never a word ("unknown")
        return "0"
    if _capitals(token):  # a code in capitals ("NV"): never a name written out ("Nevada")
        return "C"
    return "A" if token[:1].isupper() else "a"


def _by_anchors(value: Any, old_text: str, new_text: str, *, part: bool = False) -> Any:
    """The new text's counterpart of ``value``, found by the words around it in the old text.

    ``"ships to Valencia with UPS"`` -> ``"Shipping to Osaka with UPS"`` gives ``"Osaka"``: a span
    of the same shape (word count, capitalisation, number or not) between the same neighbours.
    Both neighbours must match, or one when exactly one span of that shape sits next to it;
    anything ambiguous leaves the value unchanged (verification then sends it to patching).
    """
    is_int = isinstance(value, int)
    old = tokens(old_text)
    new = tokens(new_text)
    n = len(tokens(str(value)))
    hits = occurrences(old, str(value))
    if len(hits) != 1:
        return value
    i = hits[0]
    left = old[i - 1].casefold() if i > 0 else None
    right = old[i + n].casefold() if i + n < len(old) else None
    shape = [_shape(t) for t in old[i : i + n]]
    both: list[str] = []
    one: list[str] = []
    for j in range(len(new) - n + 1):
        span = new[j : j + n]
        if [_shape(t) for t in span] != shape:
            continue
        lm = left is not None and j > 0 and new[j - 1].casefold() == left
        rm = right is not None and j + n < len(new) and new[j + n].casefold() == right
        text = " ".join(span)
        if lm and rm:
            both.append(text)
        elif lm or rm:
            one.append(text)
    found = both if both else one
    if len(set(found)) != 1 or (not is_int and not same_parts(str(value), found[0], part=part)):
        return value
    if is_int:
        try:
            return int(found[0].replace(",", ""))
        except ValueError:
            return value
    return found[0]
