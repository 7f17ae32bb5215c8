"""The JSON task's text toolkit, shared by its verifier, adapter, fixer and prompter: one tokenizer (words, and
words with punctuation for diffs), normalisation, clauses, name runs, grounding of a value in a text, overlaps."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "plausible_span",
    "clauses",
    "name_runs",
    "grounded",
    "value_tokens",
    "overlaps",
    "tokens",
    "is_number",
    "LINK_WORDS",
    "occurrences",
    "stem",
    "boolean_stated",
    "enumeration_gap",
    "enumeration_order",
    "labelled",
    "labelled_elsewhere",
    "CORRECTION",
]


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w@.+#\-/:' ]+", " ", text.casefold()).split())


# function words that never begin or end an extracted entity: a value like "The book fair in" or
# "in Lyon" is a span cut at the wrong place, not a field value
_EDGE_WORDS = frozenset(
    "in on at of to for and or but with by from over into onto as is was are were be been has had have "
    "which that who whom whose while when where than then so if".split()
)


_END_ONLY = frozenset("the a an".split())


def plausible_span(value: str) -> bool:
    """Whether a string value looks like one extracted entity rather than a cut of a sentence."""
    words = _norm(value).split()
    if not words or len(words) > 12:
        return False
    if words[0] in _EDGE_WORDS or words[-1] in _EDGE_WORDS or words[-1] in _END_ONLY:
        return False
    if " , " in value or (len(words) > 2 and words[0].endswith("ing") and words[1] in _EDGE_WORDS):
        return False  # "Belonging to Dana Levi , Nala": a participle clause, not a name
    # a bare number among words ("Running 99 minutes", "8 days and drew") is a clause, not a name; a number
    # that belongs to a name is not: a model number after a name ("Nordik 2 kettle", "Vento X5"), a code
    # ("LH 1234"), a phone number or a date written in parts ("+1 415 555 0199"), a house number ("7 Rue des Lilas")
    if len(words) == 1 or not any(w.replace(".", "").replace(",", "").isdigit() for w in words):
        return True
    raw = value.split()
    if all(_NUMERIC.fullmatch(w) for w in raw):
        return True
    for i, w in enumerate(raw):
        if w.replace(".", "").replace(",", "").isdigit():
            if i == 0 and len(raw) > 1 and raw[1][:1].isupper():
                continue  # a house number before a street's name: "7 Rue des Lilas", "450 Pine Street"
            before = raw[i - 1] if i else ""
            if _NUMERIC.fullmatch(before.rstrip(",")):
                continue  # a number written in parts: "December 11, 2024"
            if not before[:1].isupper() or before.casefold().endswith("ing") or before.casefold() in _EDGE_WORDS:
                return False
    return words[-1] not in _UNIT_WORDS


_NUMERIC = re.compile(r"[+\-(]?\d[\d\-().]*")


def whole_line(value: str, text: str, key: str) -> bool:
    """Whether ``value`` is all of a line of ``text`` after a label that names ``key`` ("Reason for visit:
    persistent lower back pain for 3 weeks" for ``reason_for_visit``): the form's field as the text writes it,
    never a cut of a sentence, whatever its words. (A line without its key's label may hold two fields:
    "Address: 12 Oak Street, Springfield" is no ``street``.)"""
    want, stems = _norm(value).rstrip(".!?"), _key_stems(key)
    if not want or not stems:
        return False
    for line in text.splitlines():
        label, colon, rest = line.partition(":")
        words = [w.casefold() for w in _WORD.findall(label)]
        if colon and 0 < len(words) <= 5 and _names_key(words, stems, stems) and _norm(rest).rstrip(".!?") == want:
            return True
    return False


def _names_key(label: Sequence[str], every: Sequence[str], own: Sequence[str]) -> bool:
    """Whether a form's ``label`` (its words, case-folded) names a key: each word of substance is one of the key's
    (``every``: its stems) and one is of ``own`` ("Reason for visit" names ``visit_reason``; "Reason for
    referral", "Notes from visit" do not)."""
    words = [w for w in label if len(w) >= 3 and w[:1].isalpha() and w not in LINK_WORDS]
    return (
        bool(words)
        and all(any(w.startswith(s) for s in every) for w in words)
        and any(w.startswith(s) for w in words for s in own)
    )


_UNIT_WORDS = frozenset(
    "minute minutes hour hours day days week weeks month months year years dollars euros km kg miles people "
    "guests pages percent times seats rooms".split()
)


# a clause ends at punctuation followed by a space or the end: "Lyon. Alice" and "Denver, Dana" are two
# clauses, while "A-1042", "3.5" and "J.R.R." stay inside one
_CLAUSE_END = re.compile(r"[.,;:!?()\[\]\"]+(?=\s|$)|\s[-\u2013\u2014]+\s|[()\[\]\"]|\s*\n\s*")


# one tokenizer: words keep inner dots, dashes, slashes, @ and + ("A-1042", "3.5", "C++", "C#"), not a
# sentence's final period; tokens are words plus punctuation (what text diffs align on)
_WORD = re.compile(r"[\w@+\-/'.]*\w(?:\+\+|#)?")  # "C++" and "C#" are words of their own, never "C"


_ARTICLES = frozenset(("The", "A", "An"))


def clauses(text: str) -> list[list[str]]:
    """The words of each clause of ``text``; a field value never spans two clauses, nor two lines (a form's or a
    signature's lines are fields of their own: "Jane Brooks\nSales Director" is a name, then a title)."""
    return [_WORD.findall(c) for c in _CLAUSE_END.split(text)]


# prepositions and conjunctions that may open a sentence before a name, in the languages the task reads ("In Oslo
# lives Dan", "À Oslo habite Dan", "Im Mai zog Ana"); none that opens a surname too ("De Luca", "Von Trapp", "Te
# Kanawa", "Del Toro", "Da Silva", "Van Dyke", "Zu Guttenberg")
# greetings open a sentence before a name too ("Hi Emma,", "Dear Ole,"), and are never a part of one: a value
# "Hi Dana Ruiz" is no one's name
GREETINGS = frozenset("hi hello hey dear hallo bonjour salut hej".split())
_OPENERS = (
    frozenset("in on at for with and or but from to by of as after before since during à en dans chez im nach seit".split())
    | GREETINGS
)


def name_runs(words: Sequence[str]) -> list[tuple[int, int, bool]]:
    """Capitalised runs of two or more words in one clause, as ``(start, end, parts_ok)``.

    A person's name ("Dana Levi") is one value: a field holding "Levi" is a cut.
    After an article ("The Toyota Golf") the run names a thing whose parts may
    be separate fields (make and model), so ``parts_ok`` is true. A sentence-initial
    word before a name of two or more words ("Yesterday Alice Martin") is not part of it.
    """
    runs: list[tuple[int, int, bool]] = []
    i = 0
    while i < len(words):
        if words[i] in _ARTICLES:
            i += 1
            continue
        j = i
        while j < len(words) and _capitalised(words[j]) and words[j] not in _ARTICLES:
            j += 1
        # a sentence-initial word only starts the sentence before a longer name, or before a code ("Order A-1042"),
        # and a preposition or a conjunction never names anything ("In Oslo lives Dan")
        opener = i == 0 and (j - i >= 3 or (j - i == 2 and (_is_code(words[1]) or words[0].casefold() in _OPENERS)))
        start = i + 1 if opener else i
        if j - start >= 2:
            runs.append((start, j, i > 0 and words[i - 1].capitalize() in _ARTICLES))
        i = max(j, i + 1)
    return runs


# words that end a noun phrase: the verbs, prepositions and conjunctions a record's sentence goes on with
_PHRASE_ENDS = frozenset(
    "is are was were be been has have had costs cost sells sold leaves left departs arrives lands comes came runs ran "
    "holds ships shipped weighs includes contains goes went gets got takes took makes made starts ends opens closes "
    "on in at for with and or but from to by of as that which who whose while when where than then".split()
)


def _is_code(word: str) -> bool:
    return any(c.isdigit() for c in word)


def _capitalised(word: str) -> bool:
    """A word of a name: capitalised letters, or a capitalised model code ("S2", "X5")."""
    bare = word.replace("-", "")
    return word[:1].isupper() and (bare.isalpha() or (bare.isalnum() and any(c.isdigit() for c in bare)))


def _cut_name(value: str, others: Sequence[tuple[str, ...]], text: str) -> str | None:
    """The name a string value cuts ("Levi" of "Dana Levi", "S2 speaker" of "the Orbit S2 speaker", "Rue des Lilas"
    of "7 Rue des Lilas"), unless the other parts are other fields' values: at any of its mentions (a model that
    writes "Levi" of "Dana Levi ... Levi works as a nurse" may have cut either)."""
    v = tuple(_norm(value).split())
    if not v:
        return None
    return next((cut for words, a in _mentions(v, text) if (cut := _cut_at(words, a, len(v), others))), None)


def _mentions(v: tuple[str, ...], text: str) -> list[tuple[list[str], int]]:
    """Each mention of the normalised words ``v`` in ``text``: its clause's words and where in them it starts."""
    out = []
    for words in clauses(text):
        low = [_norm(w) for w in words]
        out += [(words, a) for a in range(len(low) - len(v) + 1) if tuple(low[a : a + len(v)]) == v]
    return out


def _before_number(word: str) -> bool:
    """Whether a number after ``word`` is no house number: after another number, or after an airline's code of two
    capitals ("EK 202", "UA 901"; not a company's name: "ACME 12 Oak Street", "via UPS 12 Oak Street")."""
    return is_number(word) or (word.isalpha() and word.isupper() and len(word) == 2)


def _cut_at(words: list[str], a: int, n: int, others: Sequence[tuple[str, ...]]) -> str | None:
    """The name that the value of ``n`` words at ``words[a]`` cuts there (see :func:`_cut_name`), or ``None``."""
    low = [_norm(w) for w in words]
    # a house number before a street's name: "7 Rue des Lilas" is one value
    # (not a code's number: "EK 202 Dubai" is a flight, then a city)
    if a > 0 and words[a - 1].isdigit() and words[a][:1].isupper() and (a < 2 or not _before_number(words[a - 2])):
        if (low[a - 1],) not in others:  # "59823 Bristol" with "59823" the postcode: two fields
            return " ".join(words[a - 1 : a + n])
    # a clause's opening participle is not a name: "Running" of "Running 99 minutes, Paper Moons was..."
    # (not a word in capitals: "WARNING alert on TMP-0042" states the severity)
    if n == 1 and a == 0 and low[0].endswith("ing") and len(words) > 1 and not words[1][:1].isupper() and not words[0].isupper():
        return " ".join(words[:2])
    # a name ending at its model code before the thing it names: "Nordik 2" of "the Nordik 2 kettle costs"
    e = a + n
    if (
        any(c.isdigit() for c in words[e - 1])
        and e < len(words)
        and words[e].isalpha()
        and words[e].islower()
        and low[e] not in _PHRASE_ENDS
        and (e + 1 == len(words) or low[e + 1] in _PHRASE_ENDS)
    ):
        return " ".join(words[a : e + 1])
    for i, j, parts_ok in name_runs(words):
        inside = i <= a and a + n <= j
        # a value that begins inside a name and runs past its end ("S2 speaker" of "Orbit S2"); at the start of a
        # clause only when it runs on into lowercase words ("Martin works" of "Alice Martin works"), since a
        # sentence-initial capital may just start the sentence ("Flight LH 1234")
        tail = i < a < j < a + n and (i > 0 or all(w.isalpha() and w.islower() for w in words[j : a + n]))
        if not (inside or tail) or (a == i and a + n == j):
            continue
        rest = [tuple(p) for p in (low[i:a], low[a + n : j]) if p]
        if parts_ok and all(r in others for r in rest):
            continue
        return " ".join(words[min(i, a) : max(j, a + n)])
    return None


_CONJUNCTIONS = frozenset((",", "and", "or", "&"))
_LIST_ARTICLES = frozenset(("a", "an", "the", "some"))
_LIST_ENDS = frozenset(("but", "except", "not", "without", "excluding", "though"))  # "C++, Rust and Go, but not Python"


def enumeration_gap(items: Sequence[str], text: str) -> str | None:
    """A conjunct of the text's enumeration a list leaves out: the items of ``["mirror"]`` stand in "a desk lamp,
    a blender and a mirror", so "blender" is missing. Checked at each item's neighbours: after an item, a comma or
    a conjunction (and an article) must lead to the first word of another item; before it, to the last word of one.
    ``None`` when every neighbour is in the list (or no item stands in an enumeration)."""
    words = tokens(text)
    folded = [w.casefold() for w in words]
    firsts = {tokens(i)[0].casefold() for i in items if tokens(i)}
    lasts = {tokens(i)[-1].casefold() for i in items if tokens(i)}
    for item in items:
        n = len(tokens(item))
        for i in occurrences(words, item):
            j = i + n
            if j < len(folded) and folded[j] in _CONJUNCTIONS:
                while j < len(folded) and (folded[j] in _CONJUNCTIONS or folded[j] in _LIST_ARTICLES):
                    j += 1
                if j < len(folded) and _WORD.fullmatch(words[j]) and folded[j] not in firsts and folded[j] not in _LIST_ENDS:
                    return words[j]
            k = i - 1
            while k >= 0 and folded[k] in _LIST_ARTICLES:
                k -= 1
            if k >= 0 and folded[k] in _CONJUNCTIONS:
                while k >= 0 and (folded[k] in _CONJUNCTIONS or folded[k] in _LIST_ARTICLES):
                    k -= 1
                if k >= 0 and _WORD.fullmatch(words[k]) and folded[k] not in lasts:
                    return words[k]
    return None


def enumeration_order(items: Sequence[str], text: str) -> bool:
    """Whether the items stand in the text in the list's order ("a rug, a desk lamp and a bookshelf" is not
    ``["desk lamp", "rug", "bookshelf"]``): each item is found after the one before it."""
    words = tokens(text)
    at = -1
    for item in items:
        later = [i for i in occurrences(words, item) if i > at]
        if not later:
            return False
        at = later[0]
    return True


_UNIT_KEYS = re.compile(r"unit|currency|measure", re.IGNORECASE)


def _unit_word(value: str, key: str, text: str, counts: frozenset[float] = frozenset()) -> bool:
    """Whether a one-word string value is the unit of a stated quantity ("euros" in "18915 euros"). A word
    counted by a number its own record holds is what that record counts, not a unit: ``{"name": "apples",
    "quantity": 3}`` for "3 apples" (``counts``: the numbers of the value's record)."""
    word = value.strip()
    if _UNIT_KEYS.search(key) or not word.isalpha():  # (a unit is one word of letters; "a@b.org", "02:50" are not)
        return False
    if word[:1].isupper() and word[1:].islower() and word.casefold() not in _UNIT_WORDS:
        return False  # a proper name after a number ("59823 Bristol": a postcode, then the city)
    found = [m.group(1) for m in re.finditer(rf"(\d[\d,]*(?:\.\d+)?)\s+{re.escape(word)}(?![\w\-/])", text, re.IGNORECASE)]
    return bool(found) and not any(float(n.replace(",", "")) in counts for n in found)


def grounded(value: Any, text: str) -> bool:
    """Whether a scalar value (or every item of a list) is stated in ``text``."""
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, (int, float)):
        numbers = {float(n.replace(",", "")) for n in re.findall(r"-?\d[\d,]*(?:\.\d+)?", text)}
        return float(value) in numbers
    if isinstance(value, str):
        v = _norm(value)
        # a whole token span: "1042" is not grounded by "A-1042", "York" not by "Yorkshire", "C" not by "C++";
        # and a number is not grounded by a longer run of numbers it begins or ends ("+1" of "+1 415 555 0199")
        norm = _norm(text)
        # ("#" before a value is the number sign: "Ticket #TK-40213" states "TK-40213")
        for m in re.finditer(rf"(?<![\w\-/+]){re.escape(v)}(?![\w\-/+#]|\.\w)", norm):
            if _NUMBERISH.fullmatch(v) and (_NUMBER_AFTER.match(norm, m.end()) or _NUMBER_BEFORE.search(norm, 0, m.start())):
                continue
            return True
        return False
    if isinstance(value, list):
        return all(grounded(v, text) for v in value)
    if isinstance(value, dict):
        return all(grounded(v, text) for v in value.values())
    return False


_NUMBERISH = re.compile(r"[+\-(]?\d[\d\-(). ]*")
_NUMBER_AFTER = re.compile(r" [+(]?\d")
_NUMBER_BEFORE = re.compile(r"\d[)]? $")


def value_tokens(value: Any) -> tuple[str, ...]:
    if isinstance(value, bool) or value is None:
        return ()
    if isinstance(value, (int, float)):
        return (str(int(value)) if float(value).is_integer() else str(value),)
    if isinstance(value, str):
        return tuple(_norm(value).split())
    return ()


def overlaps(a: Any, b: Any) -> bool:
    """Whether one scalar value equals or contains the other, token-wise (the clash rule)."""
    ta, tb = value_tokens(a), value_tokens(b)
    return bool(ta and tb) and (_contains(ta, tb) or _contains(tb, ta))


def _contains(big: tuple[str, ...], small: tuple[str, ...]) -> bool:
    n = len(small)
    return any(big[i : i + n] == small for i in range(len(big) - n + 1))


# words keep inner dots and dashes ("A-1042", "3.5") but not a sentence's final period ("Lyon.")
_TOKEN = re.compile(_WORD.pattern + r"|[^\w\s]")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def is_number(token: str) -> bool:
    return token.replace(",", "").replace(".", "", 1).isdigit()


LINK_WORDS = frozenset("from to by in at of for on with as".split())


def occurrences(words: Sequence[str], value: str) -> list[int]:
    """Where the words of ``value`` stand in ``words`` (case-insensitive)."""
    want = [w.casefold() for w in _TOKEN.findall(value)]
    n = len(want)
    folded = [w.casefold() for w in words]
    return [i for i in range(len(folded) - n + 1) if folded[i : i + n] == want] if n else []


def stem(word: str) -> str:
    return word if len(word) <= 4 else word[: max(4, len(word) - 3)]


def _key_stems(key: str) -> list[str]:
    """The stems of a key's words, in snake, kebab or camel case ("firstName": firs, name)."""
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", key).casefold().replace("-", "_").split("_")
    return [stem(w) for w in words if len(w) >= 3]


def _labelled_at(
    folded: Sequence[str],
    i: int,
    n: int,
    stems: Sequence[str],
    after: bool,
    links: frozenset[str],
    full: Sequence[str] = (),
    others: Sequence[Sequence[str]] = (),
) -> bool:
    """Whether the span ``folded[i:i+n]`` has a word of the key (``stems``) just before it (or before one linking
    word), or just after it when ``after``. A form's label before a colon labels it when each of the label's words
    is a word of the key (``full``: all its stems; ``stems`` by default) and the label names no other key (whose
    stems are ``others``): "Ship to: Tom Lee" labels ``ship_to``, "Shipping name:" ``shipping.name`` beside
    ``billing.name`` and ``shipping.city``; "Invoice date: March 3" no ``invoice_number``, "Name:" neither name."""
    if (label := _label_before(folded, i)) is not None:
        every = full or stems
        return _names_key(label, every, every) and not any(_names_key(label, o, o) for o in others)
    near = [folded[i - 1]] if i > 0 else []
    if near and near[0] in links and i > 1:
        near.append(folded[i - 2])
    if i + n < len(folded) and after:
        near.append(folded[i + n])
    return any(w.startswith(s) for w in near for s in stems)


def _own_stems(key: str, keys: Sequence[str]) -> list[str]:
    """The stems of ``key``'s words that no other of ``keys`` has ("numb" of ``invoice_number`` beside
    ``invoice_date``, not "invo")."""
    shared = {s for other in keys if other != key for s in _key_stems(other)}
    return [s for s in _key_stems(key) if s not in shared]


def _other_stems(key: str, keys: Sequence[str]) -> list[list[str]]:
    return [_key_stems(other) for other in keys if other != key]


def own_labels(key: str, value: Any, text: str, keys: Sequence[str]) -> set[int]:
    """Where ``text`` states ``value`` labelled with a word of ``key`` that no other of ``keys`` has ("2 bedrooms"
    for ``bedrooms``; "Ship to: Tom Lee" for ``ship_to``, not for ``bill_to``)."""
    if value is None or isinstance(value, (bool, list, dict)):
        return set()
    stems, full, others = _own_stems(key, keys), _key_stems(key), _other_stems(key, keys)
    folded = [w.casefold() for w in _lined_tokens(text)]
    n = len(tokens(str(value)))
    return {i for i in occurrences(folded, str(value)) if _labelled_at(folded, i, n, stems, True, LINK_WORDS, full, others)}


def _label_before(folded: Sequence[str], i: int) -> tuple[str, ...] | None:
    """The words of the form's label right before ``folded[i]`` ("ship", "to" of "Ship to: Tom Lee"), back to the
    line's start or an earlier colon, at most five; ``None`` when no colon stands right before it."""
    if i < 2 or folded[i - 1] != ":":
        return None
    k, label = i - 2, list[str]()
    while k >= 0 and len(label) < 5 and folded[k] not in (":", _LINE):
        label.append(folded[k])
        k -= 1
    return tuple(reversed(label))


def foreign_labels(values: Mapping[str, Any], text: str) -> dict[str, str]:
    """For each string value of ``values`` (key to value) that the text states only right after a form's label
    naming none of the keys ("Stadt: Bern", "Land: Schweiz" for ``city`` and ``country``), that label ("stadt");
    which key such a value is the label says in words no check reads."""
    folded = [w.casefold() for w in _lined_tokens(text)]
    stems = [_key_stems(k) for k in values]
    out: dict[str, str] = {}
    for key, value in values.items():
        if not isinstance(value, str) or not value_tokens(value):
            continue
        labels = [_label_before(folded, i) for i in occurrences(folded, value)]
        if labels and all(label is not None and not any(_names_key(label, s, s) for s in stems) for label in labels):
            out[key] = " ".join(labels[0] or ())
    return out


def shared_label(key: str, value: Any, text: str, keys: Sequence[str]) -> str | None:
    """A form's label before every mention of ``value`` that names ``key`` only by words other ``keys`` share,
    and that the text sets before another value too: "Name:" under "Patient" and again under "Emergency
    contact", for ``patient_name`` beside ``emergency_contact_name``. Which one is the key's the label cannot
    tell (a section's heading may); ``None`` when a mention is labelled otherwise."""
    if value is None or isinstance(value, (bool, list, dict)) or not value_tokens(value):
        return None
    full, own = _key_stems(key), _own_stems(key, keys)
    if own == full:
        return None
    folded = [w.casefold() for w in _lined_tokens(text)]
    found: list[tuple[str, ...]] = []
    for i in occurrences(folded, str(value)):
        label = _label_before(folded, i)
        if label is None or not _names_key(label, full, full):
            return None
        if not any(_names_key(label, o, o) for o in _other_stems(key, keys)):
            return None  # (a label of this key alone)
        found.append(label)
    every = [_label_before(folded, i + 1) for i, w in enumerate(folded) if w == ":"]
    return next((" ".join(label) for label in found if every.count(label) >= 2), None)


def labelled(key: str, value: Any, text: str, *, after: bool = True, links: frozenset[str] = LINK_WORDS) -> bool:
    """Whether the text names ``value`` with a word of ``key``: the word just before it (or before
    one linking word: "departs from Denver", "written by Lena Vogel") or just after it ("2703 visitors")."""
    if value is None or isinstance(value, (bool, list, dict)):
        return False
    stems = _key_stems(key)
    if not stems:
        return False
    folded = [w.casefold() for w in _lined_tokens(text)]
    n = len(tokens(str(value)))
    return any(_labelled_at(folded, i, n, stems, after, links) for i in occurrences(folded, str(value)))


_LABEL_LINKS = LINK_WORDS - {"as"}
# marks of a value's own form: a span without the mark is no rival for the field ("RSVP to Jake (jake@x.org)")
_FORMS = ("@", "://")


_LINE = "\u00b6"


def _lined_tokens(text: str) -> list[str]:
    """The text's tokens with a mark for each line break: a word labels a value on its own line only ("Summit
    2024\nHosted by ..." labels nothing as the host, "Tracking: 7023\nNumber of items: 6" no number as the order's)."""
    return tokens(text.replace("\n", f" {_LINE} "))


def labelled_elsewhere(key: str, value: Any, text: str, keys: Sequence[str] = (), *, strict: bool = False) -> str | None:
    """A name, code or number the text labels with the key's own word while ``value`` is not it: "departs from
    Osaka at gate D22" names Osaka as the ``departure``, so ``"departure": "D22"`` is another field's value.
    ``None`` when the text labels no such span, or labels ``value`` itself (unless ``strict``: "4 guests" beside
    "2 guests"), or ``value`` overlaps a labelled one. The text is tokenized once for all candidate spans (a long
    document is checked in linear time).

    A word several ``keys`` share ("invoice" of ``invoice_number`` and ``invoice_date``) labels none of them; a
    number's rival is a number, a value with a form of its own (an e-mail, a URL) has no rival without it."""
    stems, every, others = _own_stems(key, keys), _key_stems(key), _other_stems(key, keys)
    if not every or not value_tokens(value) or (not strict and own_labels(key, value, text, keys)):
        return None
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    folded = [w.casefold() for w in _lined_tokens(text)]
    where: dict[str, list[int]] = {}
    for at, word in enumerate(folded):
        where.setdefault(word, []).append(at)
    for words in clauses(text):
        i = 0
        while i < len(words):
            j = i
            while j < len(words) and (_capitalised(words[j]) or is_number(words[j]) or _is_code(words[j])):
                j += 1
            if j == i:
                i += 1
                continue
            span = " ".join(words[i:j])
            if (numeric and not is_number(span)) or all(
                any(w.casefold().startswith(s) for s in every) for w in words[i:j]
            ):  # (a span of the key's own words is its label: "Visit" of "Reason for visit:")
                i = j
                continue
            want = [w.casefold() for w in tokens(span)]
            hits = [at for at in where.get(want[0], []) if folded[at : at + len(want)] == want]
            # a word after a span labels a quantity ("2703 visitors"), not a name ("Flight AF117 departs"); "as"
            # links an instruction's field list to its format ("name and city as JSON"), not a label to a value
            if any(_labelled_at(folded, at, len(want), stems, is_number(span), _LABEL_LINKS, every, others) for at in hits):
                if not overlaps(span, value) and not any(f in str(value) and f not in span for f in _FORMS):
                    return span
            i = j
    return None


_NEGATIONS = frozenset("not no never isn't isnt aren't arent wasn't wasnt doesn't doesnt don't dont without cannot can't".split())
_OPPOSITE = {"in": "out of", "out of": "in", "on": "off", "off": "on"}


# a negation written capitalised inside a sentence is (part of) a name: "Bruno No", "Dr Never"
_NAMED_NEGATION = re.compile(r"(?<=[\w,] )(?:No|Not|Never|None)\b")
_TITLED_NEGATION = re.compile(r"(?<=[\w,] )(?:No|Not|Never|None)\s+[A-Z]")


def boolean_stated(key: str, text: str) -> bool | None:
    """What ``text`` says about a yes/no field, from the field's own words: ``in_stock`` is true for "is in
    stock", false for "is out of stock" or "is not in stock"; ``is_vegan`` / ``has_parking`` likewise; a setting
    named in the text is what follows it: ``auto_renew`` is false for "auto-renewal off" (or "disabled", "no"),
    true for "auto-renewal on". ``None`` when the text does not say (or says both). A negation capitalised inside a
    sentence is a name's ("Bruno No is married"); before another capitalised word it may as well be a title's word
    ("Booking Not Confirmed By Hilton"): where the two readings differ there, ``None``."""
    named = _boolean_stated(key, _NAMED_NEGATION.sub("X", text))
    if _TITLED_NEGATION.search(text) and _boolean_stated(key, _NAMED_NEGATION.sub(_unless_titled, text)) != named:
        return None
    return named


def _unless_titled(m: re.Match[str]) -> str:
    """``m`` (a capitalised negation) kept where a capitalised word follows it, else read as a name's."""
    return m.group() if _TITLED_NEGATION.match(m.string, m.start()) else "X"


def _boolean_stated(key: str, text: str) -> bool | None:
    words = [w for w in key.casefold().replace("-", "_").split("_") if w]
    while words and words[0] in ("is", "has", "was", "are", "can"):
        words = words[1:]
    if not words:
        return None
    norm = " " + _norm(text) + " "
    said: set[bool] = set()
    # the field's words, each free to carry a suffix ("renew" -> "renewal"), joined by spaces or hyphens
    phrase = r"[\s\-]+".join(re.escape(w) + (r"\w*" if len(w) >= 4 else "") for w in words)
    for m in re.finditer(rf"(?<![\w\-]){phrase}(?![\w\-])", norm):
        before = norm[: m.start()].split()[-3:]
        negated = any(w in _NEGATIONS for w in before)
        state = _state_after(norm[m.end() :].split()[:4])
        said.add((state if state is not None else True) != negated)
        if any(w in _BYGONE for w in before) or _contrasted(text, m.group().strip()):
            # "it was in stock yesterday but it is gone today": a statement the text takes back or dates
            said.add((state if state is not None else True) == negated)
    # the field's word with a negating prefix states the opposite: "unavailable", "non-refundable", "dishonest"
    for m in re.finditer(rf"(?<![\w\-])(?:un|non-?|dis|in|im|ir|il){phrase}(?![\w\-])", norm):
        before = norm[: m.start()].split()[-3:]
        said.add(any(w in _NEGATIONS for w in before))
    head = words[0]
    if head in _OPPOSITE or " ".join(words[:2]) in _OPPOSITE:
        lead = " ".join(words[:2]) if " ".join(words[:2]) in _OPPOSITE else head
        rest = " ".join(words[len(lead.split()) :])
        opposite = f"{_OPPOSITE[lead]} {rest}".strip()
        for m in re.finditer(rf"(?<![\w\-]){re.escape(opposite)}(?![\w\-])", norm):
            before = norm[: m.start()].split()[-3:]
            said.add(any(w in _NEGATIONS for w in before))  # "out of stock": false; "not out of stock": true
    return said.pop() if len(said) == 1 else None


_BYGONE = frozenset("was were used previously formerly until".split())
_CONTRAST = re.compile(r"\b(?:but|however|though|although|yet|whereas|no longer|anymore|any more|until)\b", re.IGNORECASE)


def _contrasted(text: str, phrase: str) -> bool:
    """Whether a sentence that states ``phrase`` asks it ("Is it in stock?") or goes on to contrast it ("... in
    stock yesterday, but ..."), or the text takes it back later ("with breakfast. Sorry, without ... after all")."""
    folded = text.casefold()
    at = folded.find(phrase.casefold())
    if at >= 0 and CORRECTION.search(text[at + len(phrase) :]):
        return True
    for sentence in re.split(r"(?<=[.!?;])\s+", text):
        at = sentence.casefold().find(phrase.casefold())
        if at >= 0 and (_CONTRAST.search(sentence[at + len(phrase) :]) or sentence.rstrip().endswith("?")):
            return True
    return False


# a text that takes back what it said ("3 units ... actually, make it 4"; "express, no, standard is fine"; "mardi...
# non, plutôt mercredi"; "2, nein, doch lieber 5"): two candidates for one value, of which only the model can read
# which holds
CORRECTION = re.compile(
    r"\b(?:actually|correction|scratch that|i mean|i meant|sorry|on second thought|change (?:that|it) to|make (?:that|it)"
    r"|instead|rather than|not \w+ but|wait|after all|plutôt|en fait|eigentlich|doch|lieber|mejor dicho|perdón|o sea"
    r"|anzi|invece)\b|(?:^|[,;.…]\s*)(?:no|non|nein|não)\s*[,;.!…]",
    re.IGNORECASE,
)


_ON = frozenset("on enabled active".split())
_OFF = frozenset("off disabled inactive".split())
_ANSWERS = {"yes": True, "true": True, "no": False, "false": False}
_STATE_LINKS = frozenset("is was are set turned switched to".split())


def _state_after(following: Sequence[str]) -> bool | None:
    """A setting's state in the words right after its name: "off", "is turned on", "is not enabled", and "yes" or
    "no" only as the answer after a colon ("Newsletter: no"; in "in stock, no doubt" the "no" says nothing)."""
    flip = colon = False
    for raw in following:
        if raw == ":":
            colon = True
            continue
        colon = colon or raw.startswith(":")
        w = raw.strip(".,;:!?'")
        if w in _ON or w in _OFF:
            return (w in _ON) != flip
        if colon and w in _ANSWERS:
            return _ANSWERS[w] != flip
        if w in _NEGATIONS and w not in _ANSWERS:
            flip = not flip
        elif w not in _STATE_LINKS or raw != w:
            return None
    return None
