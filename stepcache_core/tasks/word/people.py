"""Who a word problem's names are: which of them a question shows to be a person's.

The word task renames people as slots (see :mod:`.gate`). A word that the name data holds as a first name may be a
place's, a club's, a ship's or a pet's name in a question ("Florence is where Ann stays", "Queen Mary", "Everton
sells Ann 3 tickets"), whose facts an answer may follow; renamed, the question asks of another thing with the same
words around it. :func:`proven` reads what shows a person past where a name stands (a pronoun that goes back to
it, "who", an age, a person's title, kin, a verb only living things do), and :func:`a_place_unproven` which
renamed word is also a place's name (see :mod:`.places`) and shown to be no one's.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .gender import gender_in, given_name
from .parse import names_in
from .places import a_place

__all__ = ["ENGLISH", "KIN", "KIN_AFTER", "a_place_unproven", "beside", "english", "listed", "proven"]

# kin and peers, who only a person has ("Ann's sister", "her colleague Sophia")
_FAMILY = (
    r"sister|brother|son|daughter|mother|mom|mum|father|dad|wife|husband|cousin|aunt|uncle|niece|nephew|grandma|"
    r"grandpa|grandmother|grandfather|boyfriend|girlfriend|fianc[eé]e?"
)
_PEERS = r"colleague|co-?worker|friend|classmate|teammate|roommate|boss|partner"
# someone a name is kin to, before it ("her colleague Sophia", "Ann's brother Tom", "his coach Ann") or after it
# ("Sue and her mom")
KIN = re.compile(
    rf"(?:\b(?:her|his|their|my|our|your)|['’]s)\s+(?:[a-z-]+\s+)?(?:{_FAMILY}|{_PEERS}|neighbou?r|teacher|student|"
    r"coach|assistant|manager)\s+$"
)
KIN_AFTER = re.compile(
    r"\s+and\s+(?:her|his|their)\s+(?:[a-z-]+\s+)?(?:mom|mum|mother|dad|father|sister|brother|son|daughter|"
    r"friends?|wife|husband|parents|family|kids|children|cousin|grandma|grandpa|aunt|uncle|classmates?|team)\b"
)
_REST_OF_NAME = r"(?:\s+(?:van|von|der|den|de|da|di|du|del|della|la|le|bin|ibn|[A-Z][\w'’-]*))*\s+(?:O['’]|Mc|Mac|d['’])?"


def beside(prompt: str, start: int, end: int, other: str) -> bool:
    """Whether the name at ``start:end`` is listed right beside ``other`` ("Ann and Tom", "Tom, Ann or Sue"), or is
    the rest of its full name."""
    near = prompt[max(0, start - len(other) - 24) : start]
    if re.search(rf"(?<![\w'’-]){re.escape(other)}{_REST_OF_NAME}$", near):
        return True  # (the rest of that person's name: "Tom O'Neil", "Anna van der Berg")
    return listed(prompt, start, end, other)


def listed(prompt: str, start: int, end: int, other: str) -> bool:
    """Whether the name at ``start:end`` is listed right beside ``other`` ("Ann and Tom", "Tom, Ann or Sue")."""
    near = prompt[max(0, start - len(other) - 24) : start]
    if re.search(rf"(?<![\w'’-]){re.escape(other)}\s*(?:,|,?\s+and|,?\s+or|&)\s*$", near):
        return True
    return bool(re.match(rf"\s*(?:,|,?\s+and|,?\s+or|&)\s*{re.escape(other)}(?![\w-])", prompt[end : end + len(other) + 12]))


def a_place_unproven(prompt: str, names: tuple[str, ...], renamed: tuple[str, ...]) -> str | None:
    """The first of ``renamed`` (names of ``prompt``) that is also a place's name (:func:`~.places.a_place`:
    "Charlotte", "Florence", "Madison") and that the question does not show to be a person's (see
    :func:`proven`, which reads English: in another language none is shown), or ``None``."""
    if not any(a_place(name) for name in renamed):
        return None
    shown = proven(prompt, names) or frozenset()  # (in another language, none is shown)
    return next((n for n in renamed if a_place(n) and n not in shown), None)


# what shows a name is a person's, past where it stands: a word of one gender that goes back to it (after it, where
# no other name of the question may have that gender: "Madison saw a whale ... her boat"), "who" right after it ("Ashley,
# who is younger"), an age ("Tyler is 12 years old"), a title no place or ship takes ("Mr.", "Dr.", "Aunt";
# not "Queen Mary", "Prince Albert"), someone they are kin to ("her friend Anna", "Anna's mom", "Anna and her
# mom"), or a person listed beside them ("Ann and Anna")
_GENDER_WORD = re.compile(r"\b(?:(she|her|hers|herself)|(he|him|his|himself))\b", re.IGNORECASE)
_WHO_AFTER = re.compile(r"(?:\s*,)?\s+(?:who|whom|whose)\b|\s+(?:is|was|turns|turned)\s+\S+\s+years?\s+old\b")
_PERSON_TITLE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Mister|Madam|Uncle|Aunt|Auntie|Grandma|Grandpa|Granny|Nana|Cousin|"
    r"Coach|Officer|Nurse|Chef|Judge|Teacher)\.?\s+$"
)
# a verb only something alive does, right after the name ("Ava can eat 4 pieces", "Ellen swims a mile", "Prince
# Tyler, using a spear, slew"): not "sees", "has", "gets", "sells", "hosts", "finds", "wants", "spends", "draws",
# which a city or a club does too ("Florence sees a million tourists", "Everton draws 2 games")
_ALIVE_AFTER = re.compile(
    r"(?:\s*,[^,.;:!?]{1,40},)?(?:\s+(?:can|could|will|would|(?:wants?|wanted|needs?|needed|has|had|tries|tried|"
    r"likes?|liked|loves?|loved|decides?|decided|plans?|planned)\s+to))?\s+(?:eats?|ate|drinks?|drank|walks?|walked|"
    r"jogs?|jogged|swims?|swam|slew|slays?|thinks?|thought|decides?|decided|likes?|liked|loves?|loved|hopes?|hoped|"
    r"learns?|learned|learnt|stud(?:y|ies|ied)|bakes?|baked|cooks?|cooked|paints?|painted|sleeps?|slept|knits?|"
    r"knitted|sews?|sewed|sings?|sang|dances?|danced|rides?|rode|climbs?|climbed|hikes?|hiked|types?|typed|"
    r"exercis(?:es?|ed)|babysits?|babysat|walk|eat|swim|bake|cook|exercise)\b"
)
# a thing only a person has, after the name's possessive ("Tyler's rectangular study", "Ann's allowance")
_PERSONS_OWN = re.compile(
    r"['’]s\s+(?:[a-z-]+\s+){0,2}(?:study|bedroom|room|house|home|apartment|garden|yard|dog|cat|pets?|puppy|"
    r"kitten|car|bike|bicycle|phone|wallet|purse|bag|backpack|closet|desk|shirts?|shoes|birthday|age|allowance|"
    r"salary|paycheck|savings|piggy\s+bank|lunch|homework|grades?|diet|hobby|height|weight)(?![\w-])"
)
# friends one has ("Claire has 97 friends on Instagram", "as many Instagram friends as")
_HAS_FRIENDS = re.compile(r"\s+(?:has|had|have)\s+[^.?!]{0,40}?\bfriends\b")
# kin after the name's possessive ("Ann's parents", "Ann's sisters"): not a coach, a manager, students, nor
# "partners" or "bosses", which a club, a firm or a city has too
_KIN_OF = re.compile(
    rf"['’]s\s+(?:[a-z-]+\s+)?(?:(?:{_FAMILY})s?|(?:colleague|co-?worker|friend|classmate|teammate|roommate)s?|boss|"
    r"partner|parents|kids|children|teacher)(?![\w-])"
)


# an animal a name may be given to ("A pet shop sells cat food ... Garfield eats 4 bags", "Rex, a beagle",
# "fetches", "purrs"): not "hot dogs", "corn dogs", "the early bird", nor a chicken, a fish or a mouse, which a
# question more often eats or clicks
_ANIMAL = re.compile(
    r"\b(?:animals?|cats?|kittens?|kitty|kitties|tabby|(?<!\bhot\s)(?<!\bcorn\s)dogs?|pupp(?:y|ies)|pups?|pets?|"
    r"beagles?|poodles?|terriers?|retrievers?|labradors?|bulldogs?|collies?|dachshunds?|spaniels?|huskies|husky|"
    r"horses?|ponies|pony|stallions?|mares?|hamsters?|rabbits?|bunn(?:y|ies)|parrots?|parakeets?|budgies?|"
    r"canar(?:y|ies)|(?<!\bearly\s)birds?|goldfish|turtles?|tortoises?|snakes?|lizards?|ferrets?|guinea\s+pigs?|"
    r"gerbils?|mice|cows?|calf|calves|goats?|pigs?|piglets?|sheep|lambs?|donkeys?|llamas?|alpacas?|ducks?|geese|"
    r"goose|hens?|roosters?|camels?|elephants?|monkeys?|lions?|tigers?|wolf|wolves|foxes|fox|owls?|"
    r"kibble|litter\s+box|leash|barks|barked|barking|purrs?|purred|meows?|fetch(?:es|ed)?|"
    # and other named things a pronoun may go back to: a storm, a boat, a robot
    r"hurricanes?|storms?|typhoons?|cyclones?|tornado(?:es)?|yachts?|sailboats?|robots?)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=1024)
def proven(prompt: str, names: tuple[str, ...]) -> frozenset[str] | None:
    """Which of ``names`` an English question shows to be a person's by more than where it stands (see
    ``_GENDER_WORD``); ``None`` in another language. In a question that speaks of an animal (or a storm, a boat,
    a robot: see ``_ANIMAL``), none: a pet eats, sleeps, has a bowl, an age, a title ("Mr. Whiskers"), kin and
    friends, a pronoun, and an owner beside it ("Jon and Garfield"), and what is known of its name (a cat, a dog, a
    Gulf storm) may be what the answer picks by."""
    if not english(prompt):
        return None
    if _ANIMAL.search(prompt):
        return frozenset()
    spans = [(start, end, word) for start, end, word in names_in(prompt) if word in names]
    out: set[str] = set()
    # (only where one name of the question may be of that gender: "Florence is where Emma stays ... she" may mean
    # either)
    may = {g: {word for _, _, word in spans if _may_be(prompt, word, g)} for g in ("f", "m")}
    for m in _GENDER_WORD.finditer(prompt):
        named = may["f" if m.group(1) else "m"]
        if len(named) == 1 and any(end <= m.start() for _, end, word in spans if word in named):
            out |= named
    for start, end, word in spans:
        before, after = prompt[max(0, start - 40) : start], prompt[end : end + 40]
        if _WHO_AFTER.match(after) or _PERSON_TITLE.search(before) or KIN.search(before) or KIN_AFTER.match(after):
            out.add(word)
        elif _KIN_OF.match(after) or _ALIVE_AFTER.match(after) or _PERSONS_OWN.match(after) or _HAS_FRIENDS.match(after):
            out.add(word)
    # and a name listed beside, or whose amount is compared with, a person's ("Tyler has half as many tubes as
    # Eric"): one shown above, or a first name that is no place's
    grown = True
    while grown:  # listed beside someone, or compared with them: someone too
        grown = False
        people = out | {word for _, _, word in spans if given_name(word) and not a_place(word)}
        for start, end, word in spans:
            if word in out:
                continue
            if (
                any(listed(prompt, start, end, other) for other in people)
                or _compared_with(prompt, end, people)
                or _compared_to(prompt, start, people)
            ):
                out.add(word)
                grown = True
    return frozenset(out)


def _may_be(prompt: str, name: str, gender: str) -> bool:
    """Whether ``name`` may be a person of ``gender`` in ``prompt``: of that gender, or a first name of either."""
    said = gender_in(prompt, name)
    return said == gender or (said is None and given_name(name))


def _compared_to(prompt: str, start: int, people: set[str]) -> bool:
    """Whether a name at ``start`` is what one of ``people`` compares their amount with, in the same clause ("Emma
    has as many Instagram friends as Madison")."""
    clause = re.search(r"[^.?!;,]*$", prompt[max(0, start - 160) : start]).group()  # type: ignore[union-attr]
    return bool(
        re.search(r"\b(?:as|than)\s+$", clause)
        and _COMPARES.search(clause)
        and not _CLAUSE_WORD.search(clause)
        and any(re.search(rf"\b{re.escape(p)}\b", clause) for p in people)
    )


def _compared_with(prompt: str, end: int, people: set[str]) -> bool:
    """Whether the clause that goes on after a name at ``end`` compares its amount with one of ``people``'s ("has
    half as many tubes of blue paint as Eric", "finds 2 less than Ellen"); not past a word that opens another
    clause ("is where Emma stays, paying more than Tom")."""
    rest = re.match(r"[^.?!;,]*", prompt[end : end + 120])
    clause = rest.group() if rest else ""
    return (
        not _CLAUSE_WORD.search(clause)
        and _COMPARES.search(clause) is not None
        and any(
            re.search(rf"\b(?:as|than)\s+(?:(?:Prince|Princess|Mr|Mrs|Ms|Dr)\.?\s+)?{re.escape(p)}\b", clause) for p in people
        )
    )


_COMPARES = re.compile(r"\b(?:as\s+(?:many|much)|more|less|fewer|twice|times|half)\b")
# a word that opens a clause of its own: what follows it is said of someone or something else
_CLAUSE_WORD = re.compile(r"\b(?:where|when|which|who|whom|whose|that|while|whereas|because|if)\b", re.IGNORECASE)


# the most common words of English
ENGLISH = re.compile(r"\b(?:the|and|of|to|is|are|how|many|much|each|does|did|has|have|with|for|what|her|his)\b", re.I)


def english(prompt: str) -> bool:
    """Whether ``prompt`` reads as English: three or more of its most common words."""
    return len({m.lower() for m in ENGLISH.findall(prompt)}) >= 3
