"""Whom a word of one gender means, and when a rename may change it.

A word problem's pronouns tell its people apart by gender ("Tom and Ann each have 10 stickers. She gives 3 of hers
to him."), and so do "the girl", "the lass", "la ragazza", "der Junge": an open class in every language, so no list
tells whether a question has one. A rename that keeps each person's gender keeps whom every such word means. Any
other may hand a step to another person, named or not ("Tom and the cook ... She pays"): the task cannot tell,
and only a model answer at such a rename can (see :func:`regendered` and the word task's corroboration).

A person's gender is read from a word right before the name in the same sentence (a title, "Prince Chris", or a
relation, "his sister Alex"), else from the first name's data: ``nomquamgender`` (MIT; Van Buskirk et al., 2023:
about 720,000 names of many countries, each with how often it was given to women). A name the data does not hold
("Costco", "Einstein"), or gives to women and men alike ("Alex", "Jordan"), has no gender here, and stands for
itself: a reader may see a gender in it the data does not ("Carol" is given to men too, "Luca" to women). The
package's module imports pandas to annotate tables; only its data is read, once per process and on first need
(about 2 s), and kept as a small table of given names.

Whether two names may be one person's ("Katherine" and "Kate") is read from the English nickname data of
``nicknames`` (:func:`one_person`): a rename of such a pair may part one person or join two.
"""

from __future__ import annotations

import importlib.util
import json
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, cast

from .parse import WordProblem, names_in

__all__ = [
    "gender_in",
    "gender_of",
    "gendered",
    "given_name",
    "one_person",
    "pattern",
    "pronoun",
    "readings",
    "regendered",
    "unmatched",
    "unreadable",
    "written_otherwise",
]

Gender = Literal["f", "m"]

# a name is one gender's when at most this share of the people who bear it are of the other (half the package's
# default: "Alex" and "Chris" are given to about one woman in ten), among at least this many people (a word that
# is no name, such as "Feeling", is rare in the data)
_CLEAR = 0.05
_BEARERS = 50

_lock = threading.Lock()
_table: dict[str, str] | None = None  # name -> "f", "m", or "b" (given to both)


def gender_of(name: str) -> Gender | None:
    """``"f"`` or ``"m"`` for a first name clearly given to one gender; ``None`` for any other name (unknown,
    given to both, or no data installed)."""
    key = _key(name)
    found = _genders().get(key) if key else None
    return cast(Gender, found) if found in ("f", "m") else None


def given_name(name: str) -> bool:
    """Whether ``name`` is a first name people bear (of one gender or of both: "Alex"), not a word of another
    kind ("Costco", "Put")."""
    key = _key(name)
    return bool(key) and key in _genders()


# pronouns and words for a person of one gender, in the languages the task reads ("he" or "the boy" where the task
# reads Evelyn and Grace as women: the name data may be wrong about this question)
_HE = re.compile(r"\b(?:he|him|his|himself|boys?|m[ae]n|gentlem[ae]n|males?|él|il|lui|er|ihn|ihm|ele|hij|han)\b", re.IGNORECASE)
_SHE = re.compile(
    r"\b(?:she|her|hers|herself|girls?|wom[ae]n|lady|ladies|females?|ella|elle|lei|sie|ela|zij|hon|hun)\b", re.IGNORECASE
)


def gendered(text: str) -> bool:
    """Whether ``text`` says a pronoun or a word of one gender ("she", "his", "the boy", "ella")."""
    return bool(_HE.search(text) or _SHE.search(text))


# a word before a name that says its gender: a title ("Prince Chris", "Mrs. Lee") or what the person is to another
# in the same sentence ("his sister Alex", "her husband Sam", "Ann's sister Sue"), with no comma between ("her
# aunt, Sue and the cook" lists three people)
_SAID_F = re.compile(
    r"(?:\b(?:Princess|Queen|Mrs|Ms|Miss|Lady|Dame|Madam|Mme|Frau|Señora|Sra|Signora)\.?|\b(?:his|her|my|their|our|a|"
    r"the|[A-Z]\w*['’]s)\s+(?:sister|daughter|mother|mom|mum|wife|aunt|niece|granddaughter|grandmother|girlfriend|"
    r"fianc[ée]e|stepmother|stepsister|stepdaughter))[ \t]+$"
)
_SAID_M = re.compile(
    r"(?:\b(?:Prince|King|Mr|Sir|Lord|Herr|Señor|Sr|Signor)\.?|\b(?:his|her|my|their|our|a|the|[A-Z]\w*['’]s)\s+"
    r"(?:brother|son|father|dad|husband|uncle|nephew|grandson|grandfather|boyfriend|fianc[ée]|stepfather|"
    r"stepbrother|stepson))[ \t]+$"
)


@lru_cache(maxsize=4096)
def gender_in(prompt: str, name: str) -> Gender | None:
    """The gender ``prompt`` gives ``name`` by a word right before it, the same wherever it stands ("Prince
    Chris"), or else the gender of its first name (:func:`gender_of`); ``None`` when neither tells."""
    said: set[Gender] = set()
    for m in re.finditer(rf"\b{re.escape(name)}\b", prompt):
        before = prompt[max(0, m.start() - 40) : m.start()]
        if _SAID_F.search(before):
            said.add("f")
        if _SAID_M.search(before):
            said.add("m")
    if len(said) == 1:
        return said.pop()
    return gender_of(name) if not said else None


@lru_cache(maxsize=4096)
def pronoun(prompt: str, name: str) -> bool:
    """Whether ``name`` may be a word of one gender in ``prompt`` rather than a name: it is one the task reads ("Ella"
    and "Elle" are "she" in Spanish and French, "Ela" in Portuguese, "Hon" in Swedish, "Er", "Lei"...) and the
    prompt writes it capitalised only where a sentence begins, as such a word would be. Inside a sentence it names
    someone ("How many apples does Ella have?"), and so it does where each sentence it begins is plainly English
    ("Ella's dog has 14 puppies, 7 of which have spots": words of English that no other language the task reads
    writes, see ``_in_english``; an English instruction around a question in Catalan says nothing of it)."""
    if not (_HE.fullmatch(name) or _SHE.fullmatch(name)):
        return False
    found = list(re.finditer(rf"\b{re.escape(name)}\b", prompt))
    if not all(_STARTS.search(prompt[: m.start()]) for m in found):
        return False
    return not all(_in_english(prompt, m.start()) for m in found)


def _in_english(prompt: str, start: int) -> bool:
    """Whether the sentence that begins at ``start`` (up to its end mark or its line's end) is plainly English: two
    words of ``_ENGLISH``, or one and three in its line ("Ella has 25 light orange spools of thread, ... and 85
    dark purple spools. What percent of her spools are orange?"), or none where ``_opens_english``."""
    sentence = _SENTENCE.match(prompt, start)
    said = len({w.lower() for w in _ENGLISH.findall(sentence.group(0))}) if sentence else 0
    if said >= 2:
        return True
    if said == 0:
        return _opens_english(prompt, start)
    begin = prompt.rfind("\n", 0, start) + 1
    end = prompt.find("\n", start)
    line = prompt[begin : end if end >= 0 else len(prompt)]
    return len({w.lower() for w in _ENGLISH.findall(line)}) >= 3


def _opens_english(prompt: str, start: int) -> bool:
    """Whether a sentence with no word of ``_ENGLISH`` that begins at ``start`` ("Ella is required to submit a
    38-page dissertation.") is English all the same: it opens its paragraph, no one is named before it (whom a "she"
    could stand for: "Ana tiene 20 manzanas y Tom tiene 9." a line or a paragraph before "Ella le da 4 manzanas a
    Tom."), and every other sentence of its paragraph holds a word of ``_ENGLISH``, three in all."""
    if prompt[:start].strip() and not re.search(r"\n[ \t]*\n[\s\-–—*•·\"'«“]*$", prompt[:start]):
        return False
    if any(at < start for at, _, _ in names_in(prompt)):
        return False
    ends = re.search(r"\n[ \t]*\n", prompt[start:])
    paragraph = prompt[start : start + ends.start() if ends else len(prompt)]
    others = [m.group(0) for m in _SENTENCE.finditer(paragraph) if m.start() > 0 and m.group(0).strip()]
    said = {w.lower() for w in _ENGLISH.findall(paragraph)}
    return bool(others) and len(said) >= 3 and all(_ENGLISH.search(other) for other in others)


# words of English that the other languages the task reads do not write as words of their own (not "to", "her",
# "for", "by" or "at", which Norwegian and Danish do; not "is", "of", "was", "had" or "over", Dutch; not "will",
# German; not "per", "can" or "more", Italian and Catalan; not "on" or "pays", French; not "he" or "has", which
# Spanish says "I have" and "you have" with; not "all", Swedish)
_ENGLISH = re.compile(
    r"\b(?:the|and|have|does|did|how|many|much|each|with|what|which|who|there|their|they|were|would|after|"
    r"than|from|into|every|left|buys|gives|sells|she|his|its|this|that|these|those|you|your|our|wants|needs|"
    r"takes|makes|bought|sold|gave|got|spent|costs|when|where|while|because|about|some|are|been|could|should|"
    r"only|same|other|another)\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^.!?\n]*")


# where a sentence begins: the prompt's start, or after its end mark or a line's start, and what may open the next
# ("¿", quotes, a bullet, a dialogue dash, a list number: "- Ella le da", "— Hon ger", "2) Ela dá")
_STARTS = re.compile(r"(?:^|[.!?:;\n])(?:[\s\"'«»“”¿¡(\[*•·\-–—]|\d+[.)])*$")


@lru_cache(maxsize=4096)
def written_otherwise(prompt: str, name: str) -> bool:
    """Whether ``prompt`` writes ``name`` otherwise too, in capitals or with accents ("ANN", "Zoë" beside "Zoe"):
    the parser reads such a form as text, not as a name, so a rename leaves it as it was, and one person may
    become two."""
    key = _key(name)
    return any(word != name and _key(word) == key for word in re.findall(r"\w+", prompt))


@lru_cache(maxsize=4096)
def one_person(a: str, b: str) -> bool:
    """Whether two different names may be one person's: one is a nickname of the other, or both are forms of a
    third ("Kate" and "Katie" of "Katherine"), by the English data of ``nicknames`` (Apache-2.0, about 2,700 pairs,
    read on first need; without it installed, any two names may be); or two first names share three letters in a
    row, as the forms of other languages mostly do ("Fernando" and "Nando", "Johannes" and "Hans", "Friedrich" and
    "Fritz", "Ignacio" and "Nacho"). Forms that share none and the data lacks ("Francisco" and "Paco") are not
    told apart."""
    x, y = _key(a), _key(b)
    if x == y:
        return False
    if given_name(a) and given_name(b) and any(x[i : i + 3] in y for i in range(len(x) - 2)):
        return True
    namer = _namer()
    if namer is None:
        return True
    return y in namer.nicknames_of(x) or x in namer.nicknames_of(y) or bool(_forms(namer, x) & _forms(namer, y))


def _forms(namer: Any, name: str) -> set[str]:
    return {name} | set(namer.canonicals_of(name))


_nicknamer: list[Any] = []  # the one NickNamer, once loaded (or None: not installed)


def _namer() -> Any:
    with _lock:
        if not _nicknamer:
            try:
                from nicknames import NickNamer
            except ImportError:
                _nicknamer.append(None)
            else:
                _nicknamer.append(NickNamer())
        return _nicknamer[0]


def regendered(old: WordProblem, new: WordProblem) -> bool:
    """Whether renaming ``old``'s people into ``new``'s may change whom a word of one gender means: some name is
    renamed into another gender, or from or into one the task cannot tell ("Alex", "Costco", "Einstein"), or a
    pronoun or a "boy", "man", "girl", "woman" is of a gender none of the named people has by the task's reading
    (the name data may be wrong about this question: then every rename may)."""
    if old.names == new.names:
        return False
    for a, b in zip(old.names, new.names, strict=True):
        if a != b and (gender_in(old.prompt, a) is None or gender_in(old.prompt, a) != gender_in(new.prompt, b)):
            return True
    return unmatched(old) or unmatched(new)


def unlicensed(old: WordProblem, new: WordProblem, text: str) -> str | None:
    """A word of one gender that ``text`` (a line of ``old``'s answer, reused for ``new``) says, where the rename
    leaves no reason for it: ``new``'s question says no word of that gender, and some person of that gender in
    ``old`` is renamed into a name that is not ("Ann buys 3 apples. She pays 6" reused for Tom: "She"). A question
    that keeps the word ("Alex ... he sold", GSM-Symbolic's templates) licenses it in the answer too. The names
    themselves are no such word ("Ella")."""
    if old.names == new.names:
        return None
    names = re.compile(r"\b(?:" + "|".join(map(re.escape, old.names + new.names)) + r")\b")
    plain, question = names.sub(" ", text), names.sub(" ", new.prompt)
    for gender, words in (("f", _SHE), ("m", _HE)):
        said = words.search(plain)
        if said is None or words.search(question):
            continue
        if any(
            gender_in(old.prompt, a) == gender and gender_in(new.prompt, b) != gender
            for a, b in zip(old.names, new.names, strict=False)  # (the gate keeps them as many)
        ):
            return said.group()
    return None


def unmatched(problem: WordProblem) -> bool:
    """Whether a pronoun, "boy", "man", "girl" or "woman" of ``problem`` is of a gender none of its named people
    has by the task's reading: "He gives her 4" beside Ann and Evelyn (a man, though the data calls Evelyn a
    woman's name), "the cook ... he", or a question with no reading at all ("Maria and Ann. He gives her 4")."""
    return _unmatched(problem.prompt, problem.names)


def unreadable(problem: WordProblem) -> bool:
    """Whether whom a word of one gender means may turn on which named person a reader takes for the other
    gender: it is :func:`unmatched`, and two or more of the named people have a gender the task tells ("Ann and
    Evelyn. He gives her 5": Evelyn is the man here; "Maria and Ann. He gives her 4" has no reading, and a model
    may answer it by a convention). No pattern of genders (:func:`pattern`) is vouched for at such a question: its
    pattern holds questions a reader reads otherwise. With one such person ("Maria ... He answers the rest", a
    pronoun the template kept) every question of the pattern is read alike."""
    told = [n for n in problem.names if not pronoun(problem.prompt, n) and gender_in(problem.prompt, n) is not None]
    return len(told) >= 2 and unmatched(problem)


@lru_cache(maxsize=4096)
def _unmatched(prompt: str, names: tuple[str, ...]) -> bool:
    genders = {gender_in(prompt, name) for name in names if not pronoun(prompt, name)}
    return bool((_HE.search(prompt) and "m" not in genders) or (_SHE.search(prompt) and "f" not in genders))


def pattern(problem: WordProblem) -> str:
    """The genders of ``problem``'s names in order (``f``, ``m``; a name whose gender the task cannot tell stands
    for itself, ``?Alex``), as a slot of the word task's corroboration: ``genders=f,?Alex,m``. A model answer that
    agreed at one question of a template with these genders vouches for every other: whom each word of one gender
    may mean is the same. Not across names the task cannot tell: a reader may read "Alex" as a man and "Carol" or
    "Luca" as a woman's or a man's name, so that "her stickers" is another person's."""
    return "genders=" + ",".join(gender_in(problem.prompt, n) or f"?{n}" for n in problem.names)


def readings(slot: str) -> frozenset[str]:
    """The patterns of genders (:func:`pattern`) a reader may read ``slot`` as: each name in it given to women and
    men alike by the name data ("?Alex", "?Tyler") read as a woman's and as a man's, ``genders=f,?Alex`` as
    ``genders=f,f`` and ``genders=f,m``. Answers that agreed at each of them vouch for ``slot``: whichever gender a
    reader gives the name, whom each word of one gender means is that of a pattern the answer holds at. Empty when
    ``slot`` holds no such name, or a word the data does not know ("?Costco": it may be no person at all), or more
    than three such names."""
    if not slot.startswith("genders="):
        return frozenset()
    entries = slot.removeprefix("genders=").split(",")
    both = [i for i, e in enumerate(entries) if e.startswith("?") and _genders().get(_key(e[1:])) == "b"]
    if not both or len(both) > 3:
        return frozenset()
    out: set[str] = set()
    for choice in range(2 ** len(both)):
        read = list(entries)
        for bit, i in enumerate(both):
            read[i] = "m" if choice >> bit & 1 else "f"
        out.add("genders=" + ",".join(read))
    return frozenset(out)


def _key(name: str) -> str:
    from unidecode import unidecode  # the data's names are transliterated to ASCII ("Zoë" is "zoe")

    return unidecode(name).strip().lower()


def _genders() -> dict[str, str]:
    global _table
    with _lock:
        if _table is None:
            _table = _load()
        return _table


def _load() -> dict[str, str]:
    spec = importlib.util.find_spec("nomquamgender")  # found without importing it (its module imports pandas)
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / "name_data.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    table: dict[str, str] = {}
    for name, row in data.items():
        try:
            bearers, women = int(row[1]), float(row[2])
        except (TypeError, ValueError, IndexError):
            continue
        if bearers >= _BEARERS:
            table[name] = "f" if women >= 1 - _CLEAR else "m" if women <= _CLEAR else "b"
    return table
