"""Whether an old word problem's answer may be reused for a new one."""

from __future__ import annotations

import re
from functools import lru_cache

from num2words import num2words

from ...values import Verdict
from ..regex import alternation
from ..template import persona_only
from .corroborate import reads_a_unit
from .gender import given_name, one_person, pronoun, written_otherwise
from .numbers import Quantity, decimal_comma, half_of_day, quantities
from .parse import WordProblem, names_in, starts_sentence
from .people import ENGLISH, KIN, KIN_AFTER, a_place_unproven, beside, english
from .read import GRADED, graded_forms

__all__ = ["WordGate"]


class WordGate:
    """Reuse only between questions whose templates are equal: every difference is a quantity or a name.

    Another item word, another question, an extra condition or instruction changes the template, and the model
    answers. Quantities and names must be as many in both (each slot has its counterpart).

    Two kinds of numbers cannot follow their slot and are reused only unchanged:

    - *Thresholds* ("groups of 10 or more get 10% off", "orders over $50 ship free", "at least 3"): which branch
      of the solution applies depends on how the other numbers compare with them, and an answer rarely writes the
      comparison down. New numbers may cross it; only the model reads whether they do.
    - *Ambiguous notation*: "1.000" is one thousand in much of Europe and one in English; "1,5" likewise; and
      "2,500 kg" is two and a half kilograms in German, French or Swedish, where "0,250" never groups thousands
      (any such number, moved or kept, moves none).

    And no number moves when the question chooses between branches by comparing its own quantities ("the one
    with more stickers gives..."), by their parity ("on even days") or on a clock (the hours wrap around): which
    branch holds depends on the values, and re-derived steps keep the old one.
    """

    def __init__(self, *, people_only: bool = False) -> None:
        self.people_only = people_only

    def compatible(self, old: WordProblem, new: WordProblem) -> Verdict:
        if old.template != new.template:
            return Verdict(False, "the question says something else besides its names and numbers")
        if len(old.quantities) != len(new.quantities) or len(old.names) != len(new.names):
            return Verdict(False, "the question's names or numbers changed in number")
        moved = [(a, b) for a, b in zip(old.quantities, new.quantities, strict=True) if a.text != b.text]
        pairs = list(zip(old.names, new.names, strict=True))
        if _forms_apart(old.names, new.names):
            return Verdict(False, "a name and a form of it change apart (Coke and Cokes, Smith and the Smiths)")
        if any(a != b and (written_otherwise(old.prompt, a) or written_otherwise(new.prompt, b)) for a, b in pairs):
            return Verdict(False, "a name is also written otherwise, where it is no slot (Zoë and Zoe, ANN and Ann)")
        if _one_person_renamed(old.names, new.names):
            return Verdict(False, "two names may be one person's (Katherine and Kate), and a rename may tell them apart")
        renamed = tuple(b for a, b in pairs if a != b)
        if renamed and (_title_case(old.prompt) or _title_case(new.prompt)):
            # "The Bank Will Bill Her 30 Dollars" -> "... Will Grant Her ...": in a question that capitalises its
            # words, a verb that is also a first name reads as one, and which words are names cannot be told
            return Verdict(False, "the question capitalises its words, so which of them are names cannot be told")
        if verb := next((w for a, b in pairs if a != b for w, p in ((a, old.prompt), (b, new.prompt)) if _acts_on(p, w)), None):
            # "The bank will Bill her 30 dollars", "Grant him 5": a name followed by whom it acts on is a verb
            return Verdict(False, f"{verb!r} is renamed, and acts on someone there: a verb, not a name")
        if (word := next((w for a, b in pairs if a != b for w in (a, b) if w.casefold() in _NUMBER_NAMES), None)) is not None:
            # "Otto amici ..." -> "Sei amici ...": a number in another language that is also a first name
            return Verdict(False, f"{word!r} is renamed, and is also a number in a language the task reads")
        if self.people_only and (word := next((a for a, b in pairs if a != b and not (given_name(a) and given_name(b))), None)):
            # "How many Cents" -> "How many Dollars", "Tom Has 3 Apples More Than Ann" -> "... Fewer Than Ann": a
            # capitalised word read as a name may be a unit, a verb or a comparison, whose change the answer's
            # numbers must follow; a second answer under the new word would show it (see ``word_problem_task``)
            return Verdict(False, f"{word!r} is renamed and is no person's first name: it may say what the numbers do")
        if any(a != b and (pronoun(old.prompt, a) or pronoun(new.prompt, b)) for a, b in pairs):
            # "Ella le da 4 a Tom" read with Ella as a name: renamed "Sue", another person gives
            return Verdict(False, "a word renamed may be a pronoun (Ella, Hon: she) rather than a name")
        if renamed and (word := _no_one(old.prompt, old.names, tuple(a for a, b in pairs if a != b))) is not None:
            # "Ann ships a parcel bound for Santiago", "tickets for St. Patrick's Day", "captures the opponent's
            # Bishop": a word of the name data that the question says of no one is a place or a thing, whose facts
            # (abroad, in March, moves diagonally) the answer may follow; renamed, the question asks another thing
            return Verdict(False, f"{word!r} is renamed, and the question says it of no one: a place or a thing")
        if renamed and (
            (word := a_place_unproven(old.prompt, old.names, tuple(a for a, b in pairs if a != b)))
            or (word := a_place_unproven(new.prompt, new.names, renamed))
        ):
            # "Hotels in Europe add a 10% tax. Florence is where Ann stays" renamed Charlotte: a name that is also a
            # place's may be one, whatever its place in the sentence, and the question may rest on what is known
            # of it; renamed, it asks of another place
            return Verdict(False, f"{word!r} is renamed, is also a place's name, and the question does not show a person")
        if renamed and (reason := _said_of_names(new.prompt, renamed)) is not None:
            return Verdict(False, reason)
        if (moved or old.names != new.names) and not persona_only(new.context):
            # a system prompt or an earlier turn may state a fact about a person or a number ("Ann already has 5
            # apples"): under another name or number it may hold no more, or hold where it did not
            return Verdict(False, "the caller's instructions beside the question may change what the answer must be")
        if moved and (reason := _unread(new.prompt, new.quantities)) is not None:
            return Verdict(False, reason)
        if moved and _branches(old.prompt, old.quantities):
            # the first question's own hours: "12 PM" where the new one says "3 PM" (the rest of the text is alike)
            return Verdict(False, "the answer may take another branch when the numbers compare otherwise")
        if any(_AMBIGUOUS.fullmatch(b.text) for _, b in moved):
            return Verdict(False, "a number of the question is written ambiguously (1.000, 1,5)")
        if moved and any(decimal_comma(q.text, problem.prompt) for problem in (old, new) for q in problem.quantities):
            # "0,250 Liter", "2,500 kg" in German: read as 250 and 2500, a product or a quotient verifies either
            # way, and its re-derivation in whole numbers is wrong ("3 · 0,250 l = 750 l"), moved or kept
            return Verdict(False, "a number of the question may have a decimal comma (0,250; 2,500 kg in German)")
        return Verdict.passed()


_NUMBER = r"[$€£¥]?\s?\d"
# a number a quantity is compared with: after "at least", "more than", "over"...; before "or more", "and up"
_THRESHOLD = re.compile(
    rf"(?:\b(?:at least|at most|more than|less than|fewer than|greater than|no more than|not more than|over|under|"
    rf"above|below|up to|beyond|exceeding|exceeds?|exceeded|a minimum of|a maximum of|minimum of|maximum of|"
    rf"greater than or equal to|less than or equal to)|[≥≤]|[<>]=?)\s*{_NUMBER}"
    r"|\d[\d,.]*\s+(?:\w+\s+)?(?:or more|or fewer|or less|or over|or above|or below|or higher|or greater|or lower|"
    r"or longer|and up|and above|and over)\b|\d\+",
    re.IGNORECASE,
)
# a dot or comma grouping exactly three digits, or a comma before one or two: read differently by locale
_AMBIGUOUS = re.compile(r"\d{1,3}(?:\.\d{3})+|\d+,\d{1,2}")


# a quantity compared with, by the words right before it ("over fifty dollars", "in excess of US$50", "(min. $50)",
# "that top $50", "at least ten") or right after it ("12 and under", "65 or older", "5kg+", "$50 minimum")
_BEFORE = alternation(
    r"(?:\b(?:over|under|above|below|past|beyond|exceed(?:s|ed|ing)?|surpass(?:es|ed|ing)?|top(?:s|ped|ping)?|"
    r"reach(?:es|ed|ing)?|hit(?:s|ting)?|(?:at\s+)?least|(?:at\s+)?most|minimum(?:\s+of)?|maximum(?:\s+of)?|min\.?|"
    r"max\.?|up\s+to|in\s+excess\s+of|within|until|till|limit(?:ed)?\s+(?:to|of|at)|limit|tops?\s+out\s+at|"
    r"ceiling(?:\s+of)?|floor(?:\s+of)?|cap(?:ped)?\s+(?:at|of)|cap|short\s+of|beneath|north\s+of|south\s+of|"
    r"kicks?\s+in\s+at|starts?\s+at|between|(?:minimum|maximum)\s+(?:\w+\s+){1,2}of|"
    r"(?<!\d\s)(?:larger|bigger|higher|greater|smaller|lower|"
    r"older|younger|longer|shorter|more|less|fewer)\s+than)|[<>≤≥≦≧]=?)\s*(?:of\s+|a\s+|an\s+|the\s+)?"
    r"(?:[A-Z]{2,3}\s?|US\$|Rs\.?\s?|[$€£¥₹])?$",
    re.IGNORECASE,
)
_AFTER = re.compile(
    r"^\s*(?:[^\W\d_]+\s+)??(?:or|and)\s+(?:more|less|fewer|over|above|under|below|older|younger|higher|lower|"
    r"greater|bigger|larger|longer|shorter|up|upwards?|beyond|later|earlier|after|before)\b|^[^\W\d_]{0,3}\+|"
    r"^\s*(?:minimum|maximum|min\b|max\b|or\s+beyond|plus\b|upwards?\b|-\s*\$?\d|–\s*\$?\d)",
    re.IGNORECASE,
)


@lru_cache(maxsize=1024)
def _unread(prompt: str, quantities: tuple[Quantity, ...]) -> str | None:
    """Why the question ``prompt`` (with its ``quantities``) says something its numbers may not move past, or
    ``None``. Read once per question: the gate weighs every candidate entry against the same one."""
    if _thresholds(prompt) or any(_compared(prompt, q) for q in quantities):
        return "the question sets a threshold the new numbers may cross"
    if _branches(prompt, quantities) or _RULES.search(prompt) or _compares_in_a_condition(prompt) or _graded_role(prompt):
        return "the answer may take another branch when the numbers compare otherwise"
    if _asks_when(prompt) or _asks_a_point(prompt) or _IN_A_CYCLE.search(prompt):
        return "the question asks when, and a time of day or a date wraps where a sum does not"
    if _asks_yes_or_no(prompt):
        return "the question asks yes or no, which the numbers decide and no check reads"
    if _LIMIT_IN_WORDS.search(prompt):
        return "the question sets a limit in words the new numbers may cross"
    if _STOPS.search(prompt) and not reads_a_unit(prompt, quantities):
        # "the bill never grows once the bike has been out for as many days as the Tour de France lasts": where it
        # stops, the model knows and no check reads (with a unit the task reads, "for a week", a reuse is served
        # only within the span agreeing answers covered: see the corroboration's ``at(qN)``)
        return "the question sets a limit in words the new numbers may cross"
    if _CONDITION_IN_WORDS.search(prompt):
        return "the answer may take another branch when the numbers compare otherwise"
    if _UNREAD_NUMBER.search(prompt.lower()) or _number_word(prompt) or _roman(prompt) or _ordinal_word(prompt):
        # "ab fünfzig Euro", "a partir de cincuenta dólares", "half a grand": a number the task does not read
        # stays text of the template, and may be a limit the moved numbers cross
        return "the question states a number in words the task does not read"
    if _asks_no_amount(prompt):
        return "the question asks for no amount the gate reads (a time, a date or a heading wraps where a sum does not)"
    return None


@lru_cache(maxsize=1024)
def _branches(prompt: str, quantities: tuple[Quantity, ...]) -> bool:
    """Whether ``prompt`` (its hours of one half of the day aside) says a branch: one ``_BRANCH`` or
    ``_CALENDAR_ABROAD`` reads, or a weekday or a holiday beside a count of days (``_DAYS_COUNTED``). Cached: every
    reuse of one entry reads its question again."""
    text = _without_hours(prompt, quantities)
    if _BRANCH.search(text) is not None or _CALENDAR_ABROAD.search(text) is not None:
        return True
    days = list(_WEEKDAY.finditer(text))
    named = {m.group().lower() for m in days}
    return bool(named) and any(
        _DAYS_COUNTED.match(text, q.end)
        # (not "On Sunday ... On Monday ... how much did he earn for two days?": the days named, counted after them)
        and not (q.value == len(named) and q.start > days[-1].end())
        for q in quantities
    )


def _without_hours(prompt: str, quantities: tuple[Quantity, ...]) -> str:
    """``prompt`` with each hour of one half of the day blanked out ("from 3 PM to 7 PM": see
    :func:`~.numbers.half_of_day`): the span between two such hours is their difference, and the word adapter moves
    an hour only there (where it is added to a duration, "starts at 3 PM and lasts 5 hours", the clock may start
    again past 12, and the adapter refuses). Any other time of day stays, as a branch."""
    for q in reversed(quantities):
        if (hour := half_of_day(prompt, q)) is not None:
            prompt = prompt[: q.start] + " " * (hour[1] - q.start) + prompt[hour[1] :]
    return prompt


def _thresholds(prompt: str) -> bool:
    """Whether ``_THRESHOLD`` finds a limit in ``prompt`` other than a span of time ("over 5 days")."""
    for m in _THRESHOLD.finditer(prompt):
        span = re.match(r"(?i)(?:over|within|under|past)\s+\d[\d,.]*", m.group())
        if span is not None and _SPAN.match(prompt[m.start() + span.end() :]):
            continue
        if re.match(r"(?i)up\s+to\b", m.group()) and _reached(prompt, m.start(), m.end() - 1):
            continue
        return True
    return False


def _compared(prompt: str, q: Quantity) -> bool:
    """Whether the question compares something with ``q`` (a threshold, whatever words say it). "Over 5 days" and
    "within 3 weeks" are spans of time, not limits."""
    window = max(0, q.start - 40)
    before = _BEFORE.search(prompt[window : q.start])
    after = prompt[q.end : q.end + 40]
    if before is not None and re.match(r"(?i)(?:over|within|under|past)\b", before.group()) and _SPAN.match(after):
        before = None
    if before is not None and re.match(r"(?i)up\s+to\b", before.group()) and _reached(prompt, window + before.start(), q.start):
        before = None
    if before is not None and re.search(r"(?i)\bthan\b", before.group()):
        # "9 points more than half as many", "8 kg less than twice": an amount added to a multiple, not a limit
        multiple = re.match(
            r"(?i)(?:twice|half|double|triple|thrice|\w+\s+times|\w+[\s-]+(?:halves|thirds?|quarters?|fourths?|fifths?))\b",
            q.text,
        )
        amount = re.search(
            r"(?:\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten)\b)\W+(?:\w+\W+){0,2}$",
            prompt[max(0, window - 20) : window + before.start()],
        )
        if multiple is not None or amount is not None:
            before = None
    return bool(before or _AFTER.search(after))


def _reached(prompt: str, at: int, number: int) -> bool:
    """Whether the "up to" at ``at`` of ``prompt``, before the number at ``number``, tells a total that was reached
    ("Olivia bought a tube of balls, bringing her total number of toys up to 182."): the total became that number,
    an amount the answer sums to, not a limit. Only told of a total (a word that says one between the verb and "up
    to": "bringing her kids up to age 12", "brought cars up to 40 tons" limit), as a past event ("bringing",
    "brought": "each coffee brings her total up to 30" is a rule, a cap), with no "each" or "every" before it in
    its sentence, and the number ending its sentence, a unit at most after it ("up to 12, the most a box holds",
    "up to $40, and never higher", "up to 30 points at most for a day" cap)."""
    sentence = prompt[: _sentence_start(prompt, at)]
    before = prompt[len(sentence) : at]
    after = re.match(r"[$€£¥]?\s?\d(?:[\d,]*\d)?(?:\.\d+)?(\s+[^\W\d_]+){0,2}\s*(?:[.!?](?:\s|$)|$)", prompt[number:])
    return (
        after is not None
        and _REACHED.search(before) is not None
        and re.search(r"(?i)\b(?:each|every|per|whenever|always|any)\b", before) is None
        and re.search(r"(?i)\b(?:most|max\w*|limit\w*|cap\w*|full|hold\w*|higher|more|less|fewer)\b", after.group()) is None
    )


def _sentence_start(prompt: str, at: int) -> int:
    ends = [m.end() for m in re.finditer(r"[.!?](?:\s+|$)|\n", prompt[:at])]
    return ends[-1] if ends else 0


# a total said, in narration, to have reached a number: a past event's verb (not after "to", a negation, or a modal:
# "without bringing ...", "could have brought ..."), a word that says a total, and up to 60 characters with no
# number or punctuation before "up to"
_REACHED = re.compile(
    r"(?<![\w'])(?<!\bto\s)(?<!\bnot\s)(?<!\bnever\s)(?<!n't\s)(?<!\bwithout\s)(?<!\bhave\s)(?<!\bhas\s)"
    r"(?:bringing|brought|taking|took|pushing|pushed|raising|raised)\s+(?:the|her|his|their|its|our|my|your)\s+"
    r"(?:[^\W\d_]+\s+){0,1}(?:total|sum|count|tally|number|balance|savings|collection)\b[^\d.;:?!,]{0,60}\s$",
    re.IGNORECASE,
)

_SPAN = re.compile(r"(?i)\s*(?:more\s+)?(?:seconds?|minutes?|hours?|days?|nights?|weeks?|months?|years?|decades?)\b")


# numbers in words of other languages, which the quantity reader leaves as text (two and up: "un", "uno", "um" are
# articles; not "once" or "due", English words), compounds through their tens ("dreiundzwanzig", "veintitrés",
# "quarante-deux"), money slang ("a C-note", "half a grand"), and an ordinal a count starts from ("from the tenth lamp
# on"). Its words are all lower case: it reads the question lowered (a third of the time a case-blind search takes)
_UNREAD_NUMBER = alternation(
    r"\b(?:dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|doce|trece|catorce|quince|dieci\w+|veint\w*|treinta|"
    r"cuarenta|cincuenta|sesenta|setenta|ochenta|noventa|cien|ciento|doscient\w+|trescient\w+|quinient\w+|"
    r"zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|zwölf|\w*zwanzig|\w*(?:drei|vier|fünf|sech|sieb|acht|neun)zig|"
    r"\w*dreißig|hundert|tausend|deux|trois|quatre|cinq|sept|huit|neuf|dix|douze|vingt\w*|trente|quarante|"
    r"cinquante|soixante|quatre-vingts?|quattro|cinque|sette|nove|dieci|undici|dodici|venti|trenta|quaranta|"
    r"cinquanta|sessanta|settanta|ottanta|novanta|cento|mille|dois|duas|três|sete|oito|dez|vinte|trinta|quarenta|"
    r"cinquenta|sessenta|oitenta|twee|drie|vijf|zes|zeven|negen|tien|twintig|dertig|veertig|vijftig|zestig|zeventig|"
    r"tachtig|negentig|honderd|duizend|dwa|trzy|cztery|pięć|sześć|siedem|osiem|dziewięć|dziesięć|dwadzieścia|"
    r"trzydzieści|czterdzieści|pięćdziesiąt|sto|tysiąc|två|tre|fyra|sju|åtta|nio|tio|tjugo|trettio|fyrtio|femtio|"
    r"hundra|tusen|iki|üç|dört|beş|altı|yedi|sekiz|dokuz|yirmi|otuz|kırk|elli|altmış|yetmiş|seksen|doksan|yüz|"
    r"c-notes?|fivers?|tenners?|(?:a|half\s+a|\d+|one|two|three|four|five|ten)\s+grand|"
    r"(?:from|after|beyond|past|until|till|before|starting\s+(?:with|at|from))\s+the\s+(?:\d+|[^\W\d_]+)(?:st|nd|rd|th))"
    r"(?:-\w+)?\b",
)

# a condition ("if", "when", "unless", up to the end of its clause) and a comparison in it
_CONDITION = re.compile(r"\b(?:if|when|whenever|unless|in case|as long as)\b([^.;:?!]*)", re.IGNORECASE)
_COMPARES = re.compile(
    r"\b(?:(?:more|less|fewer|greater|larger|bigger|smaller|higher|lower|heavier|lighter|longer|shorter|older|"
    r"younger|cheaper|dearer|costlier|faster|slower)(?:\s+[^\W\d_]+){0,2}\s+than|outnumbers?|outnumbered|exceeds?|exceeded|surpass(?:es|ed)?|"
    r"beats?|outweighs?|tops?)\b",
    re.IGNORECASE,
)


# what a name may decide by itself, beside the numbers: whether its bearer is a girl or a boy, where the question
# counts or prices by it ("Tom has 3 brothers and 7 sisters", "3 daughters and 2 sons ... how many sisters does Ann
# have?", "each girl pays $5"; not "his sister Abby"), the letters of a word ("$2 per letter of her name", "the word
# Love engraved", "her surname"), or the clock of a place ("at 9 in the morning in London ... what hour is it in
# Dublin?")
_GENDERED = alternation(
    r"\b(?:girls|boys|daughters|sons|sisters|brothers|siblings|women|men|ladies|gentlemen|females|males|"
    r"nieces|nephews|aunts|uncles|grand(?:daughters|sons)|"
    r"Mädchen|Jungen|Töchter|Söhne|Schwestern|Brüder|Geschwister|Frauen|Männer|"
    r"niñ[ao]s|chic[ao]s|hij[ao]s|herman[ao]s|mujeres|hombres|filles|garçons|fils|s(?:œ|oe)urs|frères|femmes|hommes|"
    r"ragazz[ei]|bambin[ei]|figli[e]?|sorelle|fratelli|donne|uomini|meninas|meninos|filh[ao]s|irmãs|irmãos|"
    r"meisjes|jongens|dochters|zonen|zussen|broers)\b"
    r"|\b(?:each|every|per|a|an|one|jede[nmrs]?|cada|chaque|ogni)\s+(?:girl|boy|daughter|son|sister|brother|sibling|"
    r"woman|man|lady|gentleman|female|male|Mädchen|Junge|Tochter|Sohn|Schwester|Bruder|niñ[ao]|chic[ao]|hij[ao]|"
    r"herman[ao]|mujer|hombre|fille|garçon|sœur|frère|femme|homme|ragazz[ao]|sorella|fratello|donna|uomo)\b",
    re.IGNORECASE,
)
# a rule by where something is or comes from: a continent or a region, a nation ("British singers", "European
# cities"), home or abroad, a league, or "elsewhere", "other countries": which side a named place, person or club
# is on is what a reader knows of the name, which no check reads
_KINDS_OF_PLACES = alternation(
    r"\b(?:Europe|EU|Asia|Africa|America|Americas|Oceania|Antarctica|Scandinavia|Balkans|Caribbean|Mediterranean|"
    r"Middle\s+East|Premier\s+League|Bundesliga|La\s+Liga|Serie\s+A|NBA|NFL|MLB|NHL|"
    # a nation's or a region's people or things, in the plural ("British singers", "European cities"; not "her
    # English test", "a Dutch oven")
    r"(?:European|Asian|African|American|Latin|Scandinavian|Nordic|Caribbean|Mediterranean|British|English|"
    r"Scottish|Welsh|Irish|Canadian|Australian|French|German|Italian|Spanish|Portuguese|Dutch|Swiss|Austrian|"
    r"Belgian|Swedish|Norwegian|Danish|Finnish|Polish|Russian|Chinese|Japanese|Korean|Indian|Mexican|Brazilian|"
    r"Argentine|Argentinian)\s+[a-z]+s|"
    r"(?i:abroad|overseas|elsewhere|domestic(?:ally)?|international(?:ly)?|foreign|out-of-state|in-state|nationwide|"
    r"(?:other|another|different)\s+(?:countr(?:y|ies)|continents?|states?|provinces?|regions?|cities|city|"
    r"towns?|leagues?|clubs?|teams?|nations?|nationalit(?:y|ies)|time\s+zones?)|"
    r"(?:inside|outside)\s+(?:the\s+)?(?:US|USA|UK|EU|country|state|province|city|region|continent)))\b"
)
_SPELLING = re.compile(
    r"\b(?:initials|vowels?|consonants?|syllables?|spell\w*|engrav\w*|monogram\w*|Buchstaben|letras?|lettres?|"
    r"lettere|(?:per|each|every|a|by\s+the)\s+(?:letter|character))\b",
    re.IGNORECASE,
)
# letters beside a name or a word ("how many letters has she written, her name 3 times"); not letters that are mail
# ("2 letters a week"), nor an alphabet's ("with 32 letters")
_LETTERS = re.compile(r"\b(?:letters|characters)\b", re.IGNORECASE)
_A_WORD = re.compile(r"\b(?:names?|surnames?|nicknames?|words?|Namens?|nombres?|noms?|nom[ei]|nomes?|naam)\b", re.IGNORECASE)
# an order of names ("the girl listed first in alphabetical order", "they sort themselves A to Z"): a rename that
# keeps every gender may swap who comes first. Not an alphabet ("the farsi alphabet (with 32 letters)")
_ALPHABET = re.compile(
    r"(?-i:\bA\s*(?:to|-|–|bis|a|à|al)\s*Z\b)|\balfab[eé]ti\w*|\balphab[eé]ti\w*|"
    r"\b(?:by|in\s+order\s+of\s+(?:their|the))\s+(?:first\s+)?names?\b|\bfirst\s+letter",
    re.IGNORECASE,
)
_TIME_OF_DAY = re.compile(
    r"o'clock|\b[ap]\.m\.|\d\s*[ap]m\b|\d{1,2}:\d{2}\b|\b(?:time\s+zones?|local\s+time|midnight|noon|what\s+time|"
    r"what\s+hour|in\s+the\s+(?:morning|afternoon|evening)|at\s+night|Uhr|Uhrzeit|Ortszeit|hora|heure|ora\s+locale)\b",
    re.IGNORECASE,
)


# where an English question says a name of someone: after a title ("Dr. Rose", "Prince Chris"; not "St. Patrick"),
# after a word that opens a clause or asks about its subject, with a verb after it ("if Ann buys", "does Ann have"),
# as an owner ("Ann's garden"), as whom something is given or takes ("gives Tom 5 apples", "takes Emma 20
# minutes"), as the other side of a comparison ("as many as Ellen.")
_TITLE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Mister|Madam|Sir|Dame|Lady|Lord|Prince|Princess|Queen|Uncle|Aunt|"
    r"Auntie|Grandma|Grandpa|Granny|Nana|Cousin|Coach|Captain|Officer|Nurse|Chef|Judge|Farmer|Teacher)\.?\s+$"
)
_OPENS = re.compile(
    r"\b(?:does|did|do|will|would|can|could|should|must|shall|may|might|is|was|are|were|has|had|have|if|when|"
    r"whenever|while|after|before|because|until|once|unless|since|although|though|whereas|so|then|but|that|who|"
    r"where|and|or)\s+$",
    re.IGNORECASE,
)
_AFTER_A_PHRASE = re.compile(r"[,;]\s+$")
# verbs whose object is someone (whom one asks, helps, pays or teaches), not a place, a team or a thing
_ACTS_ON_SOMEONE = re.compile(
    r"\b(?:ask|tell|help|teach|invite|pay|owe|thank|hire|remind|allow|let|lend|promise|hug|marry|tutor|babysit|give|hand|"
    r"offer|congratulate|greet|introduce|persuade|convince)(?:s|es|ed|ing)?\s+$|\b(?:told|taught|paid|lent|let|married|gave|given)\s+$",
    re.IGNORECASE,
)
_VERB_AFTER = re.compile(r"(?:['’]s)?\s+[a-z]")
_OWNS = re.compile(r"['’]s\s+[a-z]")
_GIVEN = re.compile(r"\s+(?:[$€£¥]\s?\d|\d|an?\s+[a-z]|one\s|two\s|three\s|four\s|five\s|half\s)")
_SURNAME = re.compile(r"^(?:\s+(?:van|von|der|den|de|da|di|du|del|della|la|le|bin|ibn|[A-Z][\w'’-]*))*(?=['’\s,.;:!?])")
_ONES = re.compile(r"\s+ones?\b")
_OWNED = re.compile(r"(?:['’]s|\b(?:her|his|their|its|my|your|our|the|this|that))\s+$", re.IGNORECASE)
_COMPARED = re.compile(r"\b(?:than|as)\s+$")
_COMPARED_AFTER = re.compile(r"\s*[.,;!?]|\s+(?:does|did|has|had|is|was|and|or|do)\b")
_AFTER_FIRST = re.compile(r"(?:['’]s)?(?:\s+[a-z]|\s*[,:]|\s+(?:and|&)\s)")


def _someone_at(prompt: str, start: int, end: int) -> bool:
    """Whether an English question says the name at ``start:end`` of someone there (see ``_TITLE``)."""
    before = prompt[max(0, start - 24) : start]
    # (past the rest of a full name: "Tom O'Neil has", "Anna van der Berg's")
    after = _SURNAME.sub("", prompt[end : end + 64], count=1)[:24]
    if _ONES.match(after):
        return False  # "Major ones are what Ann buys": a word of a kind, not someone
    if _TITLE.search(before) or _OWNS.match(after) or (_GIVEN.match(after) and not _OWNED.search(before)):
        return True
    if starts_sentence(prompt, start) and _AFTER_FIRST.match(after):
        return True
    if (_OPENS.search(before) or _AFTER_A_PHRASE.search(before)) and _VERB_AFTER.match(after):
        return True  # ("if Ann buys", "On Sunday, Emma wants")
    if KIN.search(before) or KIN_AFTER.match(after):
        return True  # ("her colleague Sophia", "Ann's brother Tom", "for Sue and her mom")
    if _ACTS_ON_SOMEONE.search(before):
        return True  # ("asks Sue to take", "helps Sue bake", "pays Tom"; not "calls Wellington", "visits Florence")
    return bool(_COMPARED.search(before) and _COMPARED_AFTER.match(after))


def _no_one(prompt: str, names: tuple[str, ...], renamed: tuple[str, ...]) -> str | None:
    """The first of ``renamed`` (names of ``prompt``) that an English question says of no one: at none of its places
    (see ``_someone_at``), nor listed beside a name it says of someone ("Ann and Tom", "Ann, Tom or Sue"). ``None``
    in a question in another language, whose ways of saying a person are not read here."""
    people = _people(prompt, names)
    return None if people is None else next((name for name in renamed if name not in people), None)


@lru_cache(maxsize=1024)
def _people(prompt: str, names: tuple[str, ...]) -> frozenset[str] | None:
    """Which of ``names`` an English question says of someone (see ``_no_one``); ``None`` in another language.
    Cached: every reuse of one entry reads its question again."""
    if not english(prompt):
        return None
    at: dict[str, list[tuple[int, int]]] = {name: [] for name in names}
    for start, end, word in names_in(prompt):
        if word in at:
            at[word].append((start, end))
    people = {name for name, spans in at.items() if any(_someone_at(prompt, a, b) for a, b in spans)}
    grown = True
    while grown:  # listed beside someone: someone too
        grown = False
        for name, spans in at.items():
            if name not in people and any(beside(prompt, a, b, other) for a, b in spans for other in list(people)):
                people.add(name)
                grown = True
    return frozenset(people)


@lru_cache(maxsize=1024)
def _said_of_names(prompt: str, renamed: tuple[str, ...]) -> str | None:
    """Why a question whose ``renamed`` names (their new forms, in ``prompt``) changed may have another answer with
    the same numbers, or ``None``. A name is a slot because who someone is rarely changes a sum; where the question
    counts or prices by girls and boys, counts letters, orders people by name, or tells the time of day of a place,
    it may."""
    if _GENDERED.search(prompt):
        return "the question counts or prices by girls and boys, and a name may be either"
    if _KINDS_OF_PLACES.search(prompt):
        # "Hotels in Europe add a 10% tax", "Songs by British singers get a bonus", "Premier League tickets": what
        # a name is (a city, a singer, a club) may put it on either side, whatever the question shows of it
        return "the question prices or counts by a place, a nation or a league, and a name may be of either"
    if _SPELLING.search(prompt) or (_LETTERS.search(prompt) and _A_WORD.search(prompt)):
        return "the question counts letters, and a name or a word may have others"
    if any(_IDENTITY.search(s) and _INSTRUCTION.search(s) for s in re.split(r"(?<=[.!?;])\s+|\n+", prompt)):
        # "Reply in his mother tongue", "Give it in his own currency": who the person is (a language, a country)
        # is what the answer follows, which a name may say ("Pierre", "Hans"); not the story's "sells Ann 3
        # scarves in her local currency", which the place of the seller says
        return "the question asks by someone's language, country or currency, which a name may say"
    if (name := next((n for n in renamed if _persona(prompt, n)), None)) is not None:
        # "Answer as if Pierre explains it", "Reply in Yoda's voice", "Pierre asks: ...": a name the answer is to
        # speak as, or to, whose language or manner it follows, which no check reads
        return f"{name!r} is whom the answer speaks as or to, whose manner or language it may follow"
    if _ALPHABET.search(prompt):
        return "the question orders by name (alphabetical, A to Z), and a rename may reorder it"
    if _TIME_OF_DAY.search(prompt) and any(
        re.search(rf"\b(?:in|to|from|at|of|than|nach|en|a|à|de|para)\s+{re.escape(name)}\b", prompt)
        or re.search(rf"\b{re.escape(name)}\s+time\b", prompt)
        for name in renamed
    ):
        return "a place renamed may keep another time of day"
    return None


# who a person is, as an answer may follow it: their language, country, currency ("in his mother tongue", "in her
# own currency", "Pierre's native language")
_IDENTITY = re.compile(
    r"(?:\b(?:his|her|their)|['’]s)\s+(?:own\s+|home\s+|native\s+|local\s+|first\s+)?(?:mother\s+tongue|(?:native\s+)?"
    r"languages?|tongue|currency|currencies|accent|dialect|nationality|culture|customs)\b|"
    r"\b(?:his|her|their)\s+(?:own|home|native)\s+(?:words|style|country['’]s)\b",
    re.IGNORECASE,
)
# a sentence that tells the answer how to be given ("Reply in ...", "Please give it in ...", "... as if ...")
_INSTRUCTION = re.compile(
    r"^\W*(?:(?:please|kindly)\s+)?(?:reply|respond|answer|give|write|express|convert|state|say|show|put|present|"
    r"explain|tell|translate)\b|\bas\s+(?:if|though)\b",
    re.IGNORECASE,
)
# where a sentence sets whom the answer speaks as or to, around the name (``{n}``): "Answer as if Pierre explains
# it", "in the voice of Yoda", "in Yoda's voice", "like Pierre would", "Pretend I am Tom's student", "Explain it to
# Pierre", "should sound like Yoda", "comme si Pierre"; and who asks: "Pierre asks: ...", "Pierre says: ...",
# "Question from Pierre: ...", "Pierre answers this one."
_PERSONA_AROUND = (
    r"\b(?:as\s+(?:if|though)|comme\s+si|als\s+ob|como\s+si|come\s+se|alsof|como\s+se)\s+(?:\w+\s+){{0,3}}{n}|"
    r"\b(?:voice|style|words|manner|tone|persona|shoes)\s+of\s+{n}|{n}['’]s?\s+(?:voice|style|manner|tone|persona|"
    r"accent|way\s+of\s+speaking)\b|\b(?:like|as|the\s+way)\s+{n}\s+(?:would|does|did|talks|speaks|writes|explains)\b|"
    r"\b(?:sound|sounds|talk|talks|speak|speaks|write|writes)\s+like\s+{n}|"
    r"\b(?:pretend|imagine)\s+(?:that\s+)?(?:you\s+are|you['’]re|to\s+be|I\s+am|I['’]m)\b[^.?!]*{n}|"
    r"\b(?:role-?play|roleplay|speaking|speak|answer|reply|respond|write|talk)\s+as\s+{n}|"
    r"\b(?:explain|answer|reply|respond|write|say|describe|translate|address)\s+(?:it|this|that|the\s+answer|"
    r"your\s+answer)?\s*(?:to|for)\s+{n}|\bfor\s+a\s+(?:reader|listener|student|child|kid)\s+(?:named|called)\s+{n}|"
    r"{n}\s+(?:asks|asked|says|said|writes|wrote|wonders|is\s+asking|wants\s+to\s+know|would\s+like\s+to\s+know)\s*:|"
    r"\b(?:question|message|note|request)\s+from\s+{n}|{n}\s+(?:answers|explains|solves)\s+(?:this|it|the\s+question)\b|"
    r"{n}\s+would\s+like\s+the\s+answer|\b(?:hey|hi|hello|dear)\s+{n}\b|\bin\s+{n}['’]s?\s+(?:own\s+)?(?:words|language|"
    r"tongue|style|voice)\b|\b(?:du\s+bist|tu\s+es|eres|sei|je\s+bent|você\s+é|you\s+are)\s+{n}\b"
)


# a sentence addressed to the answerer: an imperative ("Réponds comme Pierre.", "Let Sherlock answer this one.",
# "Please help Ann with this one.", "Antworte wie Hans."), or one that says who waits for the answer
_ADDRESSED = re.compile(
    r"^\W*(?:(?:please|kindly|now)\s+)?(?:answer|reply|respond|help|let|give|explain|write|tell|ask|act|play|speak|"
    r"talk|say|show|make|antworte\w*|erkläre\w*|hilf|lass|réponds|répondez|répondre|explique\w*|aide\w*|laisse\w*|"
    r"responde\w*|explica\w*|ayuda\w*|deja\w*|rispondi|risponda|spiega\w*|aiuta\w*|lascia\w*|antwoord\w*|laat|"
    r"responda|ajude|deixe)\b|\b(?:would\s+(?:like|love)|is\s+waiting|in\s+character|takes\s+this\s+one|['’]s\s+turn|"
    r"wants\s+the\s+answer)\b",
    re.IGNORECASE,
)


def _persona(prompt: str, name: str) -> bool:
    """Whether ``name`` stands in ``prompt`` where a sentence sets whom the answer speaks as or to, or who asks
    (see ``_PERSONA_AROUND``), or only in sentences with no number of which one is addressed to the answerer (see
    ``_ADDRESSED``); not a person of the story ("Ann asks Tom for 5 dollars", "Tom answers 12 questions", "Tell me
    how many apples Tom has", "Tom's shoes cost 40 dollars", "Help Ann count her 12 apples.")."""
    said = rf"(?<![\w'’-]){re.escape(name)}(?![\w-])"
    if re.search(_PERSONA_AROUND.format(n=said), prompt, re.IGNORECASE) is not None:
        return True
    holding = [sentence for sentence in re.split(r"(?<=[.!?;:])\s+|\n+", prompt) if re.search(said, sentence)]
    return (
        bool(holding)
        and not any(re.search(r"\d", sentence) or quantities(sentence) for sentence in holding)
        and any(_ADDRESSED.search(sentence) for sentence in holding)
    )


def _title_case(prompt: str) -> bool:
    """Whether ``prompt`` capitalises English words no sentence or name capitalises, past a sentence's first ("Ann
    Has 5 Apples. How Many ...", a heading "Question For Ann"): German nouns are not such words."""
    return len(_TITLED.findall(prompt)) >= 2


_TITLED = re.compile(
    r"(?<![.!?:\n]\s)(?<![.!?:\n])(?<!^)(?<=\s)(?:Has|Have|Had|Is|Are|Was|Were|Will|Would|Can|Could|Does|Do|Did|How|Many|Much|"
    r"The|And|Or|Of|For|To|In|On|At|With|Her|His|Their|Its|More|Less|Fewer|Each|Every|If|Then|Than|Left|Now|Total)\b"
)
_OBJECT = re.compile(r"\s+(?:her|him|them|me|us)\b")


def _acts_on(prompt: str, word: str) -> bool:
    """Whether ``word`` stands right before whom it acts on ("Bill her", "Grant him") in ``prompt``."""
    return any(_OBJECT.match(prompt, m.end()) for m in re.finditer(rf"\b{re.escape(word)}\b", prompt))


# numbers in the languages the task reads that are also first names ("Otto", "Sei", "Tres", "Mille")
_NUMBER_NAMES = frozenset(
    """uno una dos tres cuatro cinco seis siete ocho nueve diez un une deux trois quatre cinq six sept huit neuf dix
    mille eins zwei drei vier fünf sechs sieben acht neun zehn due tre quattro cinque sei sette otto nove dieci um
    dois três quatro oito nove dez mil een twee drie vijf zes zeven negen tien""".split()
)


def _forms_apart(old: tuple[str, ...], new: tuple[str, ...]) -> bool:
    """Whether two names of which one is a form of the other ("Coke" and "Cokes", "Smith" and "the Smiths",
    "Birne" and "Birnen": the longer adds at most three letters) are not renamed alike: "4 Cokes" renamed "4
    Sprites" beside an unchanged "Coke" takes another price; "the Smiths" kept while each Smith becomes a Jones
    counts other people."""
    for i, a in enumerate(old):
        for j, b in enumerate(old):
            if i != j and b.startswith(a) and len(b) - len(a) <= 3 and new[j] != new[i] + b[len(a) :]:
                return True
    return False


def _one_person_renamed(old: tuple[str, ...], new: tuple[str, ...]) -> bool:
    """Whether a name that, beside another of the same question, may be one person's under two forms ("Katherine"
    and "Kate", "Robert" and "Bob", "Elizabeth" and "Liz": the nicknames of ``nicknames``' English data) is
    renamed, in either question: "Katherine ... Ann gives Kate 4" renamed "Margaret ... Ann gives Lisa 4" gives to
    another person, and two strangers renamed "Elizabeth" and "Liz" may become one."""
    for names in (old, new):
        for i, a in enumerate(names):
            for j in range(i + 1, len(names)):
                if (old[i] != new[i] or old[j] != new[j]) and one_person(a, names[j]):
                    return True
    return False


# a rule the first answer may never show, where its first numbers left it without effect: rounding in another
# language ("auf volle Zehner abgerundet", "se redondea", "arrondi", "arrotondato", "arredondado", "afgerond",
# "zaokrąglona"; the first total round already), parity in any language ("if the total comes out odd", "ungerade",
# "impar"; the first total even), every n-th one ("every fifth coffee is free"; the first count under five; the
# ordinals of other languages are number words, see ``_number_word``), a clock in another language ("Es ist 13 Uhr",
# "il est 13 h", "son las 13": the hours wrap around). English rounding and clocks: ``_BRANCH``. Not "Runde",
# "Runden" (a round of bowling, laps run), nor "each other"
_RULES = alternation(
    r"(?:\b(?:ab|auf)?(?:ge)?rundet\b|\b(?:ab|auf)runden\b|\bRundung|\bredonde\w*|\barrondi\w*|\barrotond\w*|"
    r"\barredond\w*|\bafgerond\w*|\bafrond\w*|\bzaokr[aą]gl\w*|"
    r"\bodd\b|\bnot\s+even\b|\beven\s+(?:number|total|amount|count|sum)|\bungerade\w*|\bgerade\s+(?:Zahl|Anzahl|Summe)|"
    r"\bimpar(?:es)?\b|\bimpair\w*|\bdispari\b|\bímpar(?:es)?\b|\boneven\b|\bnieparzyst\w*|\bparzyst\w*|"
    r"\bevery\s+(?:other|\d+(?:st|nd|rd|th)|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth)\b|"
    r"\d\s*Uhr\b|\bil\s+est\s+\d+\s*h|\b(?:son|es)\s+las?\s+\d|\bsono\s+le\s+\d|\bsão\s+\d+\s*h|\bhet\s+is\s+\d+\s*uur|"
    r"\bgodzin\w*\s+\d|\bore\s+\d|\bklokken\b|\bkello\s+on\b|\bóra\s+van\b|\bhodin\b|\buneven\b|"
    r"\beach\s+(?:\d+(?:st|nd|rd|th)|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\b|\blich[eéý]\w*|"
    r"\b(?:whole|full|complete|entire|even)\s+(?:tens|hundreds|thousands|dozens|fives|twenties|fifties|multiples)\b|"
    r"\bmultiples?\s+of\b|\bnumber\s+of\s+(?:tens|hundreds|thousands|dozens)\b|\btruncat\w*|\bin\s+(?:tens|hundreds|thousands|dozens|fives|twenties|fifties)\b|"
    r"\bulige\b|\bpariton\w*|\bpáratlan\w*|\bno\s+es\s+par\b|\bzaokrouhl\w*|\brundes\b|\bpyöristet\w*|\btroncat\w*|"
    # a precision asked ("to one decimal place", "to the tenths place", "3 significant figures", "mit einer
    # Nachkommastelle", "con un decimal", "avec une décimale", "com uma casa decimal", "met één decimaal"): the first
    # result may have had no more places than asked, a re-derived one may ("4.44" where 4.4 is asked)
    r"\bdecimal(?:s|es|e|i|is)?\b|\bdécimales?\b|\bdecimaa?l(?:en)?\b|\b(?:Nachkomma|Dezimal|Komma)stellen?\b|"
    r"\b(?:tenths?|hundredths?|thousandths?)\s+(?:place|digit)|\bto\s+the\s+(?:tenth|hundredth|thousandth)\b|"
    r"\bsignificant\s+(?:figures?|digits?)\b|\bsig\.?\s*figs?\b|\b\d\s*d\.?p\.?(?![^\W\d_])|\b(?:dixième|centième|"
    r"Zehntel|Hundertstel|décim[oa]|centésim[oa]|decim[oi]|centesim[oi]|tiende|honderdste)s?\b|"
    r"[一二三四五六七八九十百千万两])",
    re.IGNORECASE,
)

# number words of languages the task does not read ("höchstens fünfzehn", "elf", "quinze", "jeder fünfte"), from
# ``num2words``: a number the task cannot move stays text of the template, and may be a limit the moved numbers
# cross. Words that are English words too ("once", "due", "cents", "bin", "seize") count only in a question that is
# not in English
_LANGUAGES = ("de", "es", "fr", "it", "pt", "nl", "pl", "sv", "tr", "da", "no", "fi", "hu", "ro")
# a share in those languages' own words ("la mitad", "la cuarta parte", "tres cuartos", "die Hälfte", "la moitié",
# "un terzo"); not those that are English words or names too ("quart", "tiers", "Quinta")
_FRACTIONS = frozenset(
    """mitad tercio tercios tercera terceras cuarta cuartas cuartos quintas quintos décima décimas metà terza terzi
    terze quarti quarte quinti metade terça terças terço terços quartas quartos moitié hälfte helft kwart połowa
    połowę ćwierć halva hälften halvdelen""".split()
)
# and more, read only in a question that is not in English (their words clash with English ones more often: "set",
# "lima", "tre"); not Vietnamese ("năm" is five and a year), nor the languages whose numerals ``_RULES`` reads
_MORE_LANGUAGES = ("cs", "sk", "sl", "sr", "ca", "id", "lt", "lv", "is", "eo", "cy", "az", "ru", "uk", "be", "ar", "he", "fa")
_CLASHES = frozenset(
    {
        "once",
        "due",
        "cent",
        "cents",
        "bin",
        "mil",
        "mille",
        "sex",
        "sexton",
        "seize",
        "otto",
        "dos",
        "andra",
        "hat",
        "fire",
        "opt",
        "elf",
    }
)
# German's "hat" (has) is Hungarian's six: in a question with German's own small words it is the verb
_GERMAN = re.compile(r"\b(?:und|der|die|das|ist|sind|mit|für|wie|viele|eine?|sie|er|es|kauft|jede[nmrs]?)\b", re.I)


@lru_cache(maxsize=2)
def _number_words(languages: tuple[str, ...] = _LANGUAGES) -> frozenset[str]:
    """The words of ``languages``' numbers from 2 to 100, some hundreds and a thousand, and of their ordinals from
    2 to 31 (one is an article in most of them), without the English number words the task reads."""

    def words(lang: str, numbers: list[int], to: str) -> set[str]:
        out: set[str] = set()
        for k in numbers:
            try:
                out.update(w.lower() for w in re.findall(r"[^\W\d_]{3,}", num2words(k, lang=lang, to=to)))
            except (NotImplementedError, ValueError, TypeError, AttributeError, KeyError):
                continue
        return out

    cardinals = [*range(2, 101), 200, 300, 400, 500, 1000]
    english = words("en", cardinals, "cardinal") | words("en", list(range(2, 32)), "ordinal")
    found = set(_FRACTIONS)
    for lang in languages:
        ordinals = words(lang, list(range(2, 32)), "ordinal")
        found |= words(lang, cardinals, "cardinal") | ordinals
        if lang == "de":  # a share in German: an ordinal's noun ("ein Viertel", "zwei Drittel", "ein Zehntel")
            found |= {w + "l" for w in ordinals if w.endswith("e")}
    # "one" in a compound ("dwadzieścia jeden", "ventuno") is an article, or "each" ("jeden Tag")
    return frozenset(found - english - {"und", "and", "een", "une", "uno", "jeden"})


# a condition on how much, with no number at all ("waived for large orders", "small orders pay a fee", "bulk buyers
# pay half"): the model sets where it bites, and the first numbers may leave it idle; or a sale in whole lots
# ("tickets are only sold in pairs", "partial boxes are not shipped"): a count rounds up or down past the answer
_CONDITION_IN_WORDS = re.compile(
    r"\b(?:large|small|big|bigger|larger|smaller|huge|tiny|bulk|wholesale)\s+(?:orders?|purchases?|buyers?|"
    r"customers?|clients?|groups?|quantit(?:y|ies)|amounts?|bookings?|families|parties|shipments?|volumes?)\b|"
    r"\bbuy(?:s|ing)?\s+in\s+bulk\b|\b(?:große[nr]?|kleine[nr]?)\s+(?:Bestellung(?:en)?|Mengen?|Gruppen?)\b|"
    r"\b(?:grandes?|petites?)\s+commandes?\b|\bcommandes?\s+(?:importantes?|grandes?|petites?)\b|"
    r"\b(?:pedidos?|compras?)\s+(?:grandes?|pequeños?|pequenos?)\b|\bgrandes?\s+(?:pedidos?|compras?)\b|"
    r"\b(?:ordini|acquisti)\s+(?:grandi|piccoli)\b|\b(?:grandi|piccoli)\s+(?:ordini|acquisti)\b|"
    r"\b(?:sold|sells?|selling|comes?|available|packed|shipped|bought|offered)\s+(?:only\s+)?in\s+(?:whole\s+)?"
    r"(?:pairs|packs|sets|boxes|bundles|batches|crates|cases|lots|packages|cartons|multiples|dozens|rolls)\b|"
    r"\b(?:partial|incomplete|broken|opened)\s+(?:boxes|packs|sets|bundles|batches|crates|cases|packages|cartons)\b|"
    r"\bonly\s+(?:whole|full|complete)\s+(?:boxes|packs|sets|bundles|batches|crates|cases|packages|cartons|pairs)\b|"
    # whole units of a period or a group: "sold only by the dozen", "rented by the week", "by the whole day", "any
    # part of an hour is billed in full", "no daily rates", "nur im Dutzend", "por semanas", "à la douzaine"
    r"\b(?:sold|sells?|selling|rented|rents?|renting|billed|bills?|charged|charges?|priced|booked|leased|hired|"
    r"available|offered|comes?|paid)\s+(?:only\s+)?(?:by|per)\s+(?:the\s+)?(?:whole\s+|full\s+)?"
    r"(?:dozen|gross|score|pair|hour|day|night|week|fortnight|month|year|season|box|pack|case|crate|carton|set)\b|"
    r"\bby\s+the\s+(?:whole\s+|full\s+)?(?:dozen|gross|week|fortnight|month|year|season)\s+only\b|"
    r"\b(?:any\s+)?(?:part|portion|fraction)\s+of\s+(?:an?\s+|one\s+)?(?:hour|day|night|week|month|year|dozen|box|pack)\b|"
    r"\b(?:billed|charged|counted|paid|priced)\s+(?:in\s+full|as\s+(?:an?\s+|one\s+)?(?:full|whole|complete)\b)|"
    r"\bno\s+(?:hourly|daily|nightly|weekly|monthly|partial|half)\s+(?:rates?|prices?|fees?|rentals?|billing)\b|"
    r"\b(?:nur|ausschließlich)\s+(?:im|pro|je|als)\s+(?:ganze[nrs]?\s+)?(?:Dutzend|Woche|Tag|Monat|Stunde|Paar|Kiste|Packung)\b|"
    r"\b(?:wochenweise|tageweise|monatsweise|stundenweise)\b|"
    r"\b(?:solo\s+)?(?:por|a\s+la)\s+(?:docenas?|semanas\s+completas|días\s+completos)\b|"
    r"\b(?:à\s+la|par)\s+(?:douzaine|semaine\s+entière|journée\s+entière)\b|"
    # an offer on pairs or groups: "buy one, get one free", "two for one", "each pair costs the price of one", "the
    # second mug of each pair is half price", "3 for 2", "2x1", "zwei zum Preis von einem", "deux pour le prix d'un":
    # an odd count decides the answer, and an answer that halves the price instead of the count never shows it
    r"\bbuy\s+(?:one|1|two|2)\s*,?\s*(?:and\s+)?get\s+(?:one|1|the\s+second)\b|\bBOGO\b|\bB[12]G[12]\b|"
    r"\b(?:two|three|2|3)[\s-]+for[\s-]+(?:one|two|1|2)\b|\bthe\s+second\s+(?:[^\W\d_]+\s+){0,4}?(?:is|are|at|for|gets?|costs?)\s+"
    r"(?:half|free|\d+\s*%)|\b(?:half\s+(?:off|price)|free)\s+(?:on|for)\s+the\s+second\b|"
    r"\bzum\s+Preis\s+von\s+(?:einem|einer|eins|zwei)\b|\b(?:dos|tres)\s+por\s+(?:uno|dos)\b|"
    r"\bpour\s+le\s+prix\s+d'?une?\b|\bprendi\s+(?:due|tre)\s+paghi\s+(?:uno|due)\b",
    re.IGNORECASE,
)

# an English ordinal past the third ("every coffee after her thirtieth is free", "from the fifth day on"): a number
# in words the task does not read; not a fraction ("a fifth of", "two fifths") nor a school grade
_ORDINALS = alternation(
    r"\b(?:"
    + "|".join(sorted({num2words(k, lang="en", to="ordinal") for k in range(4, 101)}, key=len, reverse=True))
    + r"|hundredth|thousandth)\b(?![\s-]+grade)",  # not a school grade ("fifth-graders", "the fifth grade")
    re.IGNORECASE,
)
_NUMERATOR = re.compile(r"\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+$", re.IGNORECASE)


def _ordinal_word(prompt: str) -> bool:
    """Whether ``prompt`` says an English ordinal past the third that is no fraction (see ``_ORDINALS``)."""
    return any(_NUMERATOR.search(prompt[max(0, m.start() - 12) : m.start()]) is None for m in _ORDINALS.finditer(prompt))


@lru_cache(maxsize=1)
def foreign_numbers() -> frozenset[str]:
    """The number words of the languages the gate reads in any question that the task does not (see
    ``_number_words``), but those that are English words too ("once", "hat")."""
    return _number_words() - _CLASHES


def _number_word(prompt: str) -> bool:
    """Whether ``prompt`` says a number in a language the task does not read (see ``_number_words``)."""
    words = {w.lower() for w in re.findall(r"[^\W\d_]{3,}", prompt)}
    if len(set(m.lower() for m in ENGLISH.findall(prompt))) >= 2:
        return bool((words & _number_words()) - _CLASHES)
    if len(set(m.lower() for m in _GERMAN.findall(prompt))) >= 2:
        words.discard("hat")
    return bool(words & (_number_words() | _number_words(_MORE_LANGUAGES)))


# a period or a group that stands for a number ("a week", "a fortnight", "a dozen", "eine Woche", "une semaine")
_PERIOD_OR_GROUP = (
    # a period of work, school or the calendar first: "a workweek", "a calendar month", "a school year"
    r"work\s*weeks?|work\s*days?|(?:business|working|school|calendar|fiscal)\s+(?:days?|weeks?|months?|years?)|"
    r"Arbeitswochen?|Arbeitstage?s?|Schuljahre?s?|"
    r"seconds?|minutes?|hours?|days?|nights?|weeks?|fortnights?|months?|quarters?|years?|decades?|centur(?:y|ies)|"
    r"dozens?|scores?|pairs?|couples?|gross|hundred|thousand|million|"
    r"Sekunden?|Minuten?|Stunden?|Tage?s?|Nächte|Nacht|Wochen?|Monate?s?|Jahre?s?|Dutzend|Paar|"
    r"segundos?|minutos?|horas?|d[íi]as?|noches?|semanas?|quincenas?|mes(?:es)?|años?|docenas?|pares?|"
    r"secondes?|heures?|jours?|nuits?|semaines?|quinzaines?|mois|ans?|années?|douzaines?|paires?|"
    r"secondi|minuti|or[ae]|giorn[oi]|nott[ei]|settiman[ae]|mes[ei]|ann[oi]|dozzin[ae]|paio|"
    r"noites?|meses|anos?|dúzias?|"
    r"seconden|minuten|uren|uur|dagen|dag|nachten|nacht|weken|week|maanden|maand|jaren|jaar|dozijn|paar|"
    # a unit of measure ("more than a kilogram", "a liter at most", "mehr als ein Kilo", "más de un kilo", "au-delà
    # d'un kilo"): the limit is a number the question never writes (1000 grams), which no probe moves or crosses
    r"(?:kilo|milli|centi|mega|giga|tera)?(?:grams?|grammes?|gramos?|grammi|gramas?|gramm|gram)|kilos?|chili|quilos?|"
    r"(?:kilo|milli|centi)?(?:met(?:er|re)s?|m[eè]tres?|metros?|metri|meter)|(?:milli|centi)?(?:lit(?:er|re)s?|litros?|"
    r"litri|liter)|tons?|tonnes?|toneladas?|tonnellate|tonnen?|miles?|millas?|yards?|feet|foot|inch(?:es)?|pounds?|"
    r"ounces?|gallons?|quarts?|pints?|(?:kilo|mega|giga|tera)?bytes?"
)
# a limit said with no digit, of a period, a group or any amount ("charges for a week at most", "never bills beyond a
# fortnight", "no more than a dozen", "como máximo una docena", "höchstens eine Woche", "plus d'une semaine",
# "al massimo un mese"): a limit word before an article, or "at most" after one and its noun
_LIMIT_WORDS = (
    r"at\s+(?:the\s+)?most|at\s+(?:the\s+)?least|no\s+more\s+than|not\s+more\s+than|no\s+less\s+than|never\s+more\s+than|"
    r"more\s+than|less\s+than|fewer\s+than|longer\s+than|shorter\s+than|short\s+of|less\s+time\s+than|exactly|"
    r"up\s+to|beyond|exceeding|past|over|under|"
    r"a\s+maximum\s+of|a\s+minimum\s+of|capped\s+at|limited\s+to|"
    r"höchstens|mindestens|maximal|minimal|bis\s+zu|mehr\s+als|weniger\s+als|länger\s+als|über|"
    r"como\s+m[áa]ximo|como\s+m[íi]nimo|m[áa]s\s+de|menos\s+de|hasta|"
    r"au\s+plus|au\s+moins|plus\s+d[e'’]|moins\s+d[e'’]|jusqu['’]\s*[àa]|au-del[àa]\s+d['’]|"
    r"al\s+massimo|al\s+minimo|almeno|pi[ùu]\s+di|meno\s+di|fino\s+a|oltre|"
    r"no\s+m[áa]ximo|no\s+m[íi]nimo|pelo\s+menos|mais\s+de|menos\s+de|at[ée]|"
    r"hoogstens|maximaal|minstens|meer\s+dan|minder\s+dan|tot"
)
_ARTICLE = r"(?:a|an|one|ein|eine|einen|einem|einer|un|una|uno|une|um|uma|een|half\s+an?)"
_LIMIT_IN_WORDS = re.compile(
    rf"\b(?:{_LIMIT_WORDS})\s*{_ARTICLE}\s+(?:full\s+|whole\s+|single\s+|entire\s+)?(?:{_PERIOD_OR_GROUP})\b"
    rf"|\b{_ARTICLE}[\s-]+(?:full\s+|whole\s+|one[\s-]+)?(?:{_PERIOD_OR_GROUP})[\s-]+(?:at\s+(?:the\s+)?most|at\s+(?:the\s+)?least|"
    r"max(?:imum)?|min(?:imum)?|limit|cap|tops|or\s+(?:more|longer|less|shorter|fewer|over|under))\b"
    rf"|\b(?:shortest|longest|smallest|largest|fewest)\b[^.;:?!]{{0,40}}?\bis\s+{_ARTICLE}\s+(?:{_PERIOD_OR_GROUP})\b"
    # a cap per period ("billing is capped per fortnight") or on how often ("only once per day", "no more than one
    # batch per calendar day", "höchstens einmal pro Tag")
    rf"|\bcap(?:ped|s)?\s+(?:per|each|every|a|an|by\s+the)\s+(?:{_PERIOD_OR_GROUP})\b"
    r"|\b(?:only|at\s+(?:the\s+)?most|no\s+more\s+than|not\s+more\s+than|never\s+more\s+than|up\s+to|a\s+maximum\s+of|"
    r"höchstens|nur|como\s+m[áa]ximo|solo|solamente|au\s+plus|seulement|al\s+massimo)\s+"
    r"(?:once|twice|one|a\s+single|two|three\s+times|einmal|zweimal|eine[nmrs]?|una\s+vez|dos\s+veces|une\s+fois|"
    r"una\s+volta)\b[^.;:?!]{0,40}?"
    rf"\b(?:per|a|an|each|every|in\s+a|in\s+one|in\s+the\s+same|pro|je|al|por|par|à\s+la)\s+(?:{_PERIOD_OR_GROUP})\b",
    re.IGNORECASE,
)


# a Roman numeral of two letters or more ("at most XV", "Chapter XII"), upper case; not the abbreviations that are
# numerals too (a CD, Washington DC, an MD, size XL)
_ROMAN = re.compile(r"\b(?=[MDCLXVI]{2,}\b)M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})\b")
_NOT_ROMAN = frozenset({"CD", "DC", "MD", "CM", "MM", "CC", "MC", "CV", "XL", "MIX", "DIX", "CIV", "LI", "MI", "DI"})


def _roman(prompt: str) -> bool:
    """Whether ``prompt`` says a number in Roman numerals (which the task does not read)."""
    return any(m.group() and m.group() not in _NOT_ROMAN for m in _ROMAN.finditer(prompt))


# a question that asks when ("When does she finish?", "¿Cuándo termina?", "Wann ist sie fertig?", "until when"), or
# tells to find when ("Work out when she leaves."): its answer is a point in time, an hour of the day or a date, that
# wraps where the answer's sum does not (3 + 5 is 8 o'clock, 9 + 5 is 2). Not where the question asks an amount at
# that time ("How old was he when he saw the comet?", "How many are left when she gets home?")
_WHEN = re.compile(
    r"\b(?:when|cu[áa]ndo|quand|wann|quando|wanneer|kiedy|när|hvornår|når|milloin|mikor|kdy|kedy|kada|când|"
    r"ne\s+zaman|когда|коли|متى|何時|いつ|什么时候|何时|幾時)(?:\b|(?=\W))",
    re.IGNORECASE,
)
_AMOUNT_ASKED = re.compile(
    r"\b(?:how\s+(?:many|much|old|long|far|fast|often|tall|high|heavy|big)|what\s+(?:is|was|are|were)\s+the\s+"
    r"(?:total|sum|number|amount|cost|price|difference|average)|cu[áa]nt[oa]s?|combien|wie\s+(?:viele?|alt|lange|weit)|"
    r"quant[ioea]s?|hoeveel|hoe\s+(?:oud|lang|ver)|ile|wie\s+viel)\b",
    re.IGNORECASE,
)
_FIND = re.compile(
    r"\b(?:find|work\s+out|figure\s+out|tell\s+(?:me|us)|say|determine|calculate|compute|state|give)\b", re.IGNORECASE
)


def _asks_when(prompt: str) -> bool:
    """Whether a question of ``prompt`` (a sentence ending in "?", or one that tells to find, work out... when) asks
    when, and no amount beside it (see ``_WHEN``)."""
    for sentence in re.findall(r"[^.?!。？！]*[.?!。？！]?", prompt):
        asks = sentence.rstrip().endswith(("?", "？")) or _FIND.search(sentence) is not None
        if asks and _WHEN.search(sentence) and not _AMOUNT_ASKED.search(sentence):
            return True
    return False


# a point in time a question asks for by its noun, in the languages the gate reads: a time or an hour of the day ("What
# is the arrival time", "Welche Ankunftszeit", "Wat is de aankomsttijd", "Um wie viel Uhr", "¿Cuál es la hora de
# llegada?", "Qual è l'ora", "Quelle est l'heure"), a date, a day of the week, the month or the year, a month ("In
# which month (as a number)", "Welcher Tag des Monats", "Quel jour du mois", "What's the number of the month"): each
# wraps (at 24 or 12, 7, 28 to 31, 12) where the answer's sum does not. The noun within six words of the question
# word; German and Dutch write it at the end of a compound
_POINT_ASKED = re.compile(
    r"\b(?:what|what['’]s|which|welche[rsnm]?|wie\s*viel|was\s+f[üu]r|quel(?:le)?s?|qu[ée]|cu[áa]l(?:es)?|"
    r"qual(?:e|i)?|che|wat|welke?)\b[\s,]+(?:[^\W\d_]+(?:['’\u2024-][^\W\d_]*)?[\s,]+){0,6}?(?:l['’])?"
    r"(?:time|hour|o'clock|clock|date|day|weekday|month|minute|"
    r"(?!leeftijd)[^\W\d_]*(?:zeit|uhr|tijd|datum|tag|dag|monat|maand)|stunde|minute|"
    r"hora|horario|fecha|d[íi]a|mes|heure|horaire|jour|mois|ora|orario|data|giorno|mese|hor[áa]rio|m[êe]s|uur|"
    r"tijdstip)\b",
    re.IGNORECASE,
)
# an amount asked, in the languages the gate reads: "how many", "how much", "how long"..., "what percentage", an
# amount's noun as what is asked ("What is the total cost", "Find the combined total", "what's the average", "What is
# Mr. Patel's budget?", "Calculate the number of"), "cuántos", "combien", "wie viele" (not "wie viel Uhr": at what
# time), "quanti", "hoeveel", "quantos", and an amount's noun asked in those languages ("Quel est le prix total"); a
# question in a language no list here reads asks for nothing the gate can tell
_AMOUNT_NOUN = (
    r"total|totals|sum|number|amount|cost|costs|price|prices|difference|average|mean|median|percentage|percent|"
    r"fraction|ratio|share|perimeter|area|volume|value|weight|mass|length|width|height|depth|distance|speed|rate|"
    r"profit|loss|revenue|income|earnings|salary|wage|wages|pay|budget|balance|change|score|points|count|size|age|"
    r"product|quotient|remainder|bill|fee|fees|tip|tax|discount|savings|proceeds|production|capacity|population|"
    r"quantity|sales|spending|expenses|debt|interest|worth|circumference|radius|diameter|"
    r"somme|suma|summe|somma|soma|som|montant|importe|betrag|importo|bedrag|prix|precio|preis|prezzo|pre[çc]o|prijs|"
    r"co[ûu]t|costo|kosten|custo|nombre|n[úu]mero|anzahl|numero|aantal|pourcentage|porcentaje|prozentsatz|"
    r"percentuale|porcentagem|moyenne|promedio|durchschnitt|media|m[ée]dia|gemiddelde|valeur|valor|wert|valore|"
    r"waarde|diff[ée]rence|diferencia|differenz|differenza|diferen[çc]a|verschil|gesamt\w*|totale|totaal|"
    r"gewicht|poids|peso|länge|longueur|longitud|lunghezza|comprimento|lengte|distanz|distancia|distanza|"
    r"dist[âa]ncia|afstand|alter|[âa]ge|edad|età|idade|leeftijd|quantit[éàa]|cantidad|menge|hoeveelheid|"
    r"quantidade|produit|ricavo|opbrengst|erl[öo]s|ingreso|receita|p[ée]rim[èe]tre|perimetro|per[íi]metro|omtrek|"
    r"umfang|percentagem|prozent\w*"
)
_AMOUNT_ASKED_FOR = re.compile(
    r"\bhow\s+(?:many|much|long|far|old|often|tall|high|heavy|big|large|wide|deep|fast|quickly|expensive|short|"
    r"little|few)\b|\bwhat\s+(?:percent(?:age)?|fraction|proportion|share|portion|part|amount|sum|total|size)\b|"
    r"\b(?:what|what['’]s|which|find|calculate|compute|determine|work\s+out|figure\s+out|give|state|tell\s+(?:me|us)|"
    r"quel(?:le)?s?|qu[ée]|cu[áa]l(?:es)?|qual(?:e|i)?|che|welche[rsnm]?|wat|welke?|calcul\w*|calcol\w*|berechne\w*|"
    r"bereken\w*|trova|trouve\w*|encuentra|halla|zoek|vind|finde|bestimme|determin\w*)\b"
    rf"[\s,]+(?:[^\W\d_]+(?:['’\u2024-][^\W\d_]*)?[\s,]+){{0,4}}?(?:{_AMOUNT_NOUN})\b|"
    r"\bcu[áa]nt[oa]s?\b|\bcombien\b|\bwie\s*viele?\b(?!\s+uhr)|\bwie\s+(?:alt|lange|weit|hoch|schwer|gro(?:ß|ss)|"
    r"oft|teuer|breit|tief|schnell)\b|\bquant[oaie]s?\b|\bquant['’]|\bhoeveel\b|\bhoe\s+(?:oud|lang|ver|vaak|zwaar|"
    r"groot|duur|hoog|breed|snel)\b|"
    # a count asked in Polish, Swedish, Danish or Norwegian ("Ile jabłek", "Hur många", "Hvor mange"); not their
    # "how much", which asks the time too ("Hur mycket är klockan?")
    r"\bile\b|\bhur\s+många\b|\bhvor\s+mange\b",
    re.IGNORECASE,
)
# an amount asked of a point in time's noun, which does not wrap ("what percentage of their day", "welk percentage
# van hun dag", "what is the total number of days", "How much time")
_AMOUNT_OF_TIME = re.compile(
    r"\b(?:what\s+(?:percent(?:age)?|fraction|share|proportion|part)|what(?:['’]s|\s+is|\s+was)\s+the\s+"
    r"(?:total|sum|amount|average|difference|cost|price)|wie\s*viel(?!\s+uhr)|what\s+amount|how\s+(?:much|many|long)|"
    r"percent\w*|porcentaje|pourcentage|prozent\w*|percentual\w*|porcentagem)\b",
    re.IGNORECASE,
)
# a noun of time said as a rate ("her pay per day", "5 pages an hour", "cada día", "par jour", "pro Tag"): no point asked
_RATE = re.compile(
    r"\b(?:per|a|an|each|every|pro|je|par|por|al|am|ogni|cada|chaque|jede[nrm]?|elke|iedere)\s+[^\W\d_]+", re.IGNORECASE
)


# a sentence that tells to find: its verb first, or after a clause ("If she used 330 teaspoons, calculate the number")
_TOLD = re.compile(
    r"(?:^\W*|,\s*)(?:find|calculate|compute|determine|work\s+out|figure\s+out|calcula|calcola|calculez|calcule|"
    r"berechne|berechnen\s+sie|bereken|trova|trouvez|trouve|encuentra|halla|zoek|vind|bestimme|finde|determina)\b",
    re.IGNORECASE,
)


def _asked(prompt: str) -> list[str]:
    """The sentences of ``prompt`` that ask (end in "?", or tell to find, work out, calculate...), a title's or a
    decimal's full stop within them; else its last sentence."""
    # a full stop that ends no sentence: after a title or an initial (``_ABBREVIATED``: "Mr. Lee"), between digits
    text = _ABBREVIATED.sub(lambda m: m.group().replace(".", "\u2024"), prompt)
    text = re.sub(r"(?<=\d)\.(?=\d)", "\u2024", text)  # "$6.75"
    sentences = [s for s in re.findall(r"[^.?!。？！]*[.?!。？！]?", text) if s.strip()]
    asking = [s for s in sentences if s.rstrip().endswith(("?", "？")) or _TOLD.search(s) is not None]
    return asking or sentences[-1:]


# a point in a cycle said by the smaller unit's count ("40 seconds past the full minute", "how many minutes past
# the top of the hour", "12 hours into the day", "3 days into the week", "8 months into the year", "Minuten nach der vollen Stunde", "10
# Minuten nach voll", "minutes après l'heure pile", "minutos después de la hora en punto", "minuti passata l'ora",
# "minutos passados da hora"): a reading of a clock, which wraps at the larger unit where a sum does not
_IN_A_CYCLE = re.compile(
    r"\b(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+(?:past|after|into|before|to|till|until|"
    r"from)\s+(?:the|its|his|her|their|an?|each|every|this)\s+(?:(?:full|whole|next|last|previous|same|new|current|"
    r"school|fiscal|calendar)\s+|(?:top|start|beginning|turn|end)\s+of\s+(?:the|its|an?|each|every|this)\s+)?"
    r"(?:minute|hour|day|week|month|quarter|year|semester|term)\b"
    r"|\b(?:Sekunden?|Minuten?|Stunden?|Tage?n?)\s+(?:nach|vor)\s+(?:(?:der|jeder|einer|dem|jedem|einem)\s+"
    r"(?:(?:vollen|ganzen)\s+)?(?:Minute|Stunde|Tag|Woche)|voll|halb)\b"
    r"|\b(?:secondes?|minutes?|heures?|jours?)\s+(?:apr[èe]s|avant|dans)\s+(?:l['’]|la\s+|le\s+|chaque\s+)"
    r"(?:heure|minute|jour|semaine)\b"
    r"|\b(?:segundos?|minutos?|horas?|d[íi]as?)\s+(?:despu[ée]s|antes|depois|pasad[oa]s?|passad[oa]s?)\s+(?:d[ae]\s+(?:la|a|cada)|da|del)\s+"
    r"(?:hora|minuto|semana)\b|\bpasad[oa]s?\s+la\s+hora\b"
    r"|\b(?:secondi|minuti|ore|giorni)\s+(?:dopo|prima\s+del|passat[ie]\s+(?:dal)?)\s*l['’]ora\b|\bpassat[ao]\s+l['’]ora\b"
    r"|\b(?:seconden|minuten|uren?|dagen)\s+(?:na|voor|over)\s+(?:het|elk)\s+(?:(?:hele|volle)\s+)?uur\b",
    re.IGNORECASE,
)


def _asks_a_point(prompt: str) -> bool:
    """Whether a question of ``prompt`` asks for a point in time by its noun (see ``_POINT_ASKED``: "Um wie viel Uhr
    kommt der Zug an?", "What is the arrival time of the train?", "What's the number of Luis's birthday month?"), and
    no amount of it: its answer is a time of day or a date, which wraps where the answer's sum does not."""
    return any(
        _POINT_ASKED.search(_RATE.sub(" ", sentence)) and not _AMOUNT_OF_TIME.search(sentence) for sentence in _asked(prompt)
    )


def _asks_no_amount(prompt: str) -> bool:
    """Whether a question of ``prompt`` asks for no amount the gate reads (see ``_AMOUNT_ASKED_FOR``): "What is the
    train's ETA?", "What is the ship's new course?", "At what minute...?", or a question in a language whose amount
    words the gate does not read. Its answer may be a time, a date, a heading or a verdict; where the gate cannot
    tell, the numbers do not move."""
    return any(not _AMOUNT_ASKED_FOR.search(sentence) for sentence in _asked(prompt))


# a question word of the languages the gate reads ("how many", "cuántos", "combien", "wie viele", "quanti", "hoeveel")
_WH = alternation(
    r"\b(?:what|how|which|who|whom|whose|when|where|why|qu[ée]|cu[áa]nt[oa]s?|cu[áa]l(?:es)?|qui[ée]n(?:es)?|"
    r"d[óo]nde|c[óo]mo|cu[áa]ndo|quel(?:le)?s?|lequel|laquelle|combien|comment|o[ùu]|quand|qui|pourquoi|que|"
    r"was|wie|welche[rsnm]?|wer|wen|wem|wo|wann|warum|wieso|weshalb|wieviele?|cosa|quant[oiea]|qual[ei]?|chi|"
    r"dove|come|perch[ée]|quem|onde|qual|wat|hoeveel|welke?|waar|hoe|wanneer|waarom|ile|jak|kto|co|gdzie|kiedy|"
    r"vad|hur|vem|var|när|vilken|vilket|vilka|hvad|hvor|hvem|hvornår|quant[ao]s|qual|quais)\b|\bquant'",
    re.IGNORECASE,
)
# a request put as a question ("Can you work out...?", "Could you help me?", "¿Puedes calcular...?")
_REQUEST = re.compile(
    r"^\W*(?:(?:can|could|would|will)\s+you|please|puedes|podr[íi]as|puede\s+usted|pouvez-vous|peux-tu|"
    r"pourrais-tu|pourriez-vous|kannst\s+du|k[öo]nnen\s+sie|k[öo]nntest\s+du|k[öo]nnten\s+sie|puoi|potresti|"
    r"pode|podes|poderia|kun\s+je|kunt\s+u)\b",
    re.IGNORECASE,
)
# a clause of a question after its first one, joined by "and", "or", "but"... ("How old will she be, and will she
# be a teenager then?", "¿Cuántos tiene, y podrá repartirlos?")
_JOINED = re.compile(
    r"(?:[,;(\[]|\s[-–—])\s*(?:and|or|but|so|y|e|o|pero|et|ou|mais|und|oder|aber|ed|ma|en|of|maar|i|lub|ale|och|"
    r"eller|men|og)\s+|(?:\s(?:and|or|but|so)\s+|[,;(\[]\s*)(?=(?:will|would|is|are|was|were|can|could|does|do|did|"
    r"has|have|had|should|shall|may|might|must)\s+(?:i|you|he|she|it|we|they|there|this|that|these|those|the|a|an|"
    r"his|her|their|its|(?-i:[A-Z])\w*)\b)",
    re.IGNORECASE,
)
# "yes or no", "tell me if", "say whether", "check if", "wonders whether" (not "decide whether to", a choice of what to
# do), "dime si", "dis-moi si", "sag mir, ob", "dimmi se", "diga se"; and a choice between two words ("a child or a
# teenager?", "more or less?")
_YES_OR_NO = re.compile(
    r"\b(?:yes\s+or\s+no|ja\s+oder\s+nein|s[íi]\s+o\s+no|oui\s+ou\s+non|sim\s+ou\s+n[ãa]o|ja\s+of\s+nee)\b|"
    r"\bwhether\b(?!\s+(?:or\s+not\s+)?to\b)|\b(?:tell|say|state|check|know|see|wonders?|ask|asks|show)\s+"
    r"(?:me\s+|us\s+|him\s+|her\s+)?if\b|\b(?:dime|dinos|d[íi]game|dis-moi|dites-moi|dimmi|diga|diz|dize)\s+si\b|"
    r"\b(?:dimmi|diga|diz)\s+se\b|,\s*ob\b|"
    # "..., or not?", "¿o no?", "ou pas ?", "oder nicht?", "o no?"
    r"\b(?:or\s+not|o\s+no|ou\s+(?:pas|non|n[ãa]o)|oder\s+nicht|of\s+niet)\s*\)?\s*(?:[?？.!]|$)",
    re.IGNORECASE,
)
_CHOICE = re.compile(r"(?:^|[,:;(]\s*|\s)(?:(?:an?|the)\s+)?[^\W\d_]+\s+or\s+(?:(?:an?|the)\s+)?[^\W\d_]+\s*\)?\s*[?？]$")
# the last clause of a question, after a comma, a semicolon, a bracket or a dash ("..., so a teenager?")
_TAIL = re.compile(r"(?:[,;(\[]|\s[-–—])\s*([^,;(\[\-–—?？]*?)\s*\)?\s*[?？]\s*$")
# words that lead a short clause drawing a conclusion ("so", "but", "donc", "also", "quindi")
_CONCLUDING = frozenset(
    "so but then thus hence therefore entonces pero donc alors mais also aber dann quindi dunque ma então entao mas "
    "dus maar".split()
)
# words of a short tail that ask for the amount once more ("so in total?", "altogether?", "so far?", "am Ende?")
_AMOUNT_TAIL = frozenset(
    "total totals altogether overall combined together each far totale totaal insgesamt gesamt zusammen ensemble "
    "todo todos todas tutto tutti chacun chacune cada ciascuno jeweils".split()
)
_PREPOSITIONS = frozenset(
    "in at on to for from by with without after before per including excluding into of over under about en dans à "
    "au aux avec sans après avant pour par sur de du des in im am auf nach vor mit ohne für pro zu bei por para "
    "con sin tras sobre desde hasta nel nella al alla dopo prima senza no na em com sem após".split()
)
# words that ask whether a state is reached ("..., teenager yet?", "¿ya adolescente?", "schon volljährig?")
_REACHED_YET = frozenset("yet already still then ya todavía aún déjà encore schon noch già ancora já ainda al nog".split())
_ARTICLES = frozenset("a an un una une ein eine einen um uma een".split())
# what an article may lead in a tail that asks the amount by a unit or a form ("..., a night?", "(a fraction)?")
_UNITS = frozenset(
    "day week month year hour minute second night piece head person time go gallon liter litre kilo kilogram pound "
    "dozen meter metre mile unit item box bag pack whole fraction decimal percentage third half quarter tip average "
    "noche semana mes año día hora jour nuit mois an semaine heure tag woche monat jahr stunde nacht stück notte "
    "giorno settimana mese anno ora".split()
)
# a one-word tail that is no verdict ("..., please?", "..., approximately?", "..., right?")
_NO_VERDICT = frozenset("please right ok okay exactly precisely again now today here there then".split())


def _concluded(sentence: str) -> bool:
    """Whether a question ends in a verdict asked in a word or three after its amount's clause: after a word that
    concludes ("..., so a teenager?", "..., donc majeure ?", "..., also volljährig?"), a word of a state reached
    ("..., teenager yet?", "..., ya adolescente?"), a bare predicate ("..., a teenager?", "..., teenager?"); not the
    amount asked again ("..., so in total?", "..., so far?", "..., a night?", "(a fraction)?", "..., approximately?")."""
    tail = _TAIL.search(sentence)
    if tail is None or re.search(r"\d", tail.group(1)) or _WH.search(tail.group(1)):
        return False
    words = [w.casefold() for w in re.findall(r"[^\W\d_]+", tail.group(1))]
    if not 1 <= len(words) <= 3 or not _WH.search(sentence[: tail.start()]):
        return False
    lead = words[0]
    if lead in _PREPOSITIONS or any(w in _AMOUNT_TAIL for w in words):
        return False
    if lead in _CONCLUDING:
        return len(words) > 1 and words[1] not in _PREPOSITIONS
    if len(words) > 1 and any(w in _REACHED_YET for w in words):
        return True
    if lead in _ARTICLES:
        return len(words) > 1 and words[1].rstrip("s") not in _UNITS and words[1] not in _UNITS
    return len(words) == 1 and lead not in _NO_VERDICT and not lead.endswith(("ly", "mente", "ment"))


# a request to find an amount put as a question ("Find the combined total of grapes and plums?")
_FIND_LEAD = re.compile(
    r"^\W*(?:find|calculate|compute|determine|work\s+out|figure\s+out|give|tell|state|estimate|evaluate|"
    r"calcula|encuentra|halla|determina|calculez|calcule|trouvez|trouve|d[ée]terminez|berechne|berechnen\s+sie|"
    r"finde|bestimme|calcola|trova|determina|bereken|vind|oblicz|ber[äa]kna)\b",
    re.IGNORECASE,
)
# the abbreviations whose dot ends no sentence ("Prof. Johnson's net proceeds?", "Mr. Lee")
_ABBREVIATED = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|Mt|vs|etc|approx|No|Sra?|Mme|Mlle|Hr|Fr)\.|\b[A-Z]\.")


# a question that asks who or which, where its clause opens ("Who has more marbles, Ann or Bob, and how many do they
# have together?", "..., and which box is heavier?", "¿Quién gana más?", "Wer hat mehr?"), or a request to tell it
# ("Determine which pack costs less."): not a relative clause ("If Ashley, who is younger than Joe, is 44"). In the
# languages whose "which" also asks an amount ("Quel est le prix total ?", "Welchen Betrag zahlt sie?"), only beside
# a word that compares ("Welche Kiste ist schwerer?" is not read: a comparative by its ending)
_WHO_WORDS = (
    r"who|whom|whose|who['’]s|which|wer|wem|wen|qui|qui[ée]n(?:es)?|chi|quem|vem|hvem|"
    r"wie(?=\s+(?:heeft|hebben|is|was|krijgt|wint|betaalt|verdient|moet|kan|zal|loopt|spaart|verkoopt)\b)"
)
_WHICH_WORDS = r"welche[rsnm]?|quel(?:le)?s?|lequel|laquelle|cu[áa]l(?:es)?|qu[ée]|qual[ei]?|quais|welke?"
_WHICH_WORDS_GERMANIC = r"welche[rsnm]?|welke?"
# a "which" of the languages whose "which" also asks an amount, beside a word that compares within a few words
# ("Quelle boîte pèse le plus ?", "¿Qué caja pesa más?", "Welche Kiste hat mehr Bücher?"); after a German or Dutch
# one, a comparative by its ending too ("Welche Kiste ist schwerer?", "Welke doos is zwaarder?"; not a noun, which
# German capitalises: "Welche Summe zahlt der Vater?")
_COMPARED_ABROAD = (
    r"mehr|weniger|meisten|wenigsten|plus|moins|davantage|m[áa]s|menos|più|meno|meer|minder|meest|mais|mayor|menor|"
    r"maggiore|minore|meilleur|mejor|migliore|beter|melhor"
)
_WHICH_COMPARED = re.compile(rf"\s*(?:\S+\s+){{0,5}}?(?:{_COMPARED_ABROAD})\b", re.IGNORECASE)
_WHICH_COMPARED_GERMANIC = re.compile(
    rf"\s*(?:\S+\s+){{0,5}}?(?:{_COMPARED_ABROAD}|(?!(?:oder|aber|über|wieder|immer|jeder|weder|unter|hinter|"
    r"nieder|later|meer)\b)(?-i:[a-zäöüß])[^\W\d_]{2,}er)\b",
    re.IGNORECASE,
)
_WHO_AT = re.compile(
    rf"(?:^|(?P<mark>[,:;¿])|\b(?:and|or|but|so|then|also|y|et|und|e|en|ou|o)\b)\s*(?:(?P<who>{_WHO_WORDS})|"
    rf"(?P<which>{_WHICH_WORDS}))\b",
    re.IGNORECASE,
)
_RELATIVE_CLAUSE = re.compile(
    r"(?:^|(?<=,))([^,]*),\s*(?:who|whom|whose|which)\b[^,?]*,(?!\s*(?:and|or|but|so|then|how|what|[A-Z])\b)"
)
# "who" after a mark, where no relative clause set off by commas is left ("Of Ann and Bob, who has more?", "Ann and
# Bob — who's got more?"); not right after a noun ("the girl who sits next to Ann")
_WHO_ANYWHERE = re.compile(r"(?:[,;:(]|\s[—–-])\s*(?:who|whom|whose|who['’]s|vem|hvem)\b", re.IGNORECASE)
# a noun that a relative "who" or "which" goes back to, right before its comma ("If Ashley, who is younger",
# "her sister, who", "the store, which sells pens"): not an opening phrase ("After counting, who", "In the end,
# who", "So, who")
_RELATIVE_TO = re.compile(
    r"(?:(?<!\b[Ii]n\s)(?<!\b[Aa]t\s)(?<!\b[Bb]y\s)(?<!\b[Oo]n\s)(?<!\b[Ff]or\s)(?<!\b[Aa]fter\s)(?<!\b[Bb]efore\s)"
    r"\b(?:the|a|an|her|his|their|its|my|our|your|this|that|each|every)\s+(?:[\w'’-]+\s+){0,2}[\w'’-]+"
    r"|\b(?!(?:So|Now|Then|Finally|Overall|Therefore|Thus|Also|Altogether|Next|Lastly|Together|Tell|Say)\b)"
    r"[A-Z][\w'’-]*)\s*$"
)
_COMPARATIVES = (
    r"more|less|fewer|better|worse|heavier|lighter|cheaper|costlier|bigger|larger|smaller|taller|shorter|longer|"
    r"older|younger|faster|slower|higher|lower|greater|richer|poorer|farther|further|closer|nearer|earlier|later|"
    r"wider|narrower|deeper"
)
_SUPERLATIVES = (
    r"most|least|best|worst|heaviest|lightest|cheapest|biggest|largest|smallest|tallest|shortest|longest|oldest|"
    r"youngest|fastest|slowest|highest|lowest|greatest|richest|poorest|farthest|closest|nearest|earliest|latest|"
    r"widest|deepest|winner|loser"
)
# a choice put between two, or a request to tell it: "Does Ann or Bob have more marbles?", "Is the red box or the
# blue box heavier?", "Find which box is heavier.", "Tell which of the two has more.", "Name the heavier box."
_OR_COMPARED = re.compile(
    r"\b(?:does|do|did|is|are|was|were|has|have|had|will|would|can|could)\s+[^,;?]{1,40}?\bor\b[^,;?]{1,40}?\b"
    rf"(?:{_COMPARATIVES})\b",
    re.IGNORECASE,
)
_WHO_TOLD = re.compile(
    r"\b(?:determine|decide|find|tell|say|state|identify|work\s+out|figure\s+out|guess|name|show|compute|calculate|"
    r"check|see|report|write(?:\s+down)?|explain|know|note|list|mention|give|answer)\s+(?:out\s+)?(?:(?:me|us)\s+)?"
    r"(?:(?:who|whom|whose|which)\b|the\s+(?:\w+\s+)?"
    rf"(?:{_COMPARATIVES}|{_SUPERLATIVES})\b)",
    re.IGNORECASE,
)


def asks_who_or_which(prompt: str) -> bool:
    """Whether ``prompt`` asks who or which: where a clause of a question opens with it ("Who has more marbles, Ann
    or Bob, and how many ...?", "After counting, who has more?", "Wer hat mehr?", "¿Quién gana más?"; in the
    languages whose "which" also asks an amount, only beside a word that compares: "Quelle boîte pèse le plus ?"),
    a choice put between two ("Does Ann or Bob have more?"), or a request to tell it ("Find which box is heavier.",
    "Name the heavier box."); not a relative "who" ("If Ashley, who is younger than Joe, is 44"). A verdict the
    numbers decide, which the answer says in the question's own words ("Ann has more marbles.", "The red box is
    heavier."), the same words at any numbers, where the amounts it compares may be the answer's own (41 boxes of
    2 against 23 bags of 3). The carry-over reads it (see :class:`~.carry.WordCarryover`)."""
    text = _ABBREVIATED.sub(lambda m: m.group()[:-1] + " ", prompt)
    if _WHO_TOLD.search(text):
        return True
    for sentence in re.findall(r"[^.?!。？！\n]*[.?!。？！]?", text):
        if not sentence.rstrip().endswith(("?", "？")):
            continue
        if _OR_COMPARED.search(sentence):
            return True
        # a relative clause set off by commas after the one it goes back to, the sentence going on past it ("If
        # Ashley, who is younger than Joe, is 44", "does Ann, who has 41 stickers and who buys 23 more, have now";
        # not "Of Ann and Bob, who has more, and how many ..."), taken out
        sentence = _RELATIVE_CLAUSE.sub(lambda m: m.group(1) if _RELATIVE_TO.search(m.group(1)) else m.group(), sentence)
        if _WHO_ANYWHERE.search(sentence):
            return True
        for m in _WHO_AT.finditer(sentence):
            if m.group("who"):
                return True
            germanic = re.fullmatch(_WHICH_WORDS_GERMANIC, m.group("which"), re.IGNORECASE)
            if (_WHICH_COMPARED_GERMANIC if germanic else _WHICH_COMPARED).match(sentence, m.end()):
                return True
    return False


def _asks_yes_or_no(prompt: str) -> bool:
    """Whether a question of ``prompt`` asks yes or no: a sentence ending in "?" with no question word ("Will she
    be a teenager then?", "Est-ce assez ?", "Ist das eine dreistellige Zahl?"), not a request put as one ("Can you
    work out the total?", "Find the combined total?"); one that ends in a choice between two words ("..., a child
    or a teenager?"); a clause joined after a question word's ("How many pages does she read, and will she finish
    within a week?", "... and will Ann be...") that has no question word and no number of its own and is more than
    a list's item ("..., and the pears?"); a verdict asked in a word or two after it (:func:`_concluded`: "..., so
    a teenager?", "..., teenager yet?"); or words that ask it (:data:`_YES_OR_NO`: "whether", "tell me if", "yes or
    no", "or not?"). Its verdict is what the numbers decide: the answer says it in the question's own words ("Ann will
    be a teenager then."), the same words at any numbers, and no check reads which side the new numbers fall on."""
    text = _ABBREVIATED.sub(lambda m: m.group()[:-1] + " ", prompt)
    if _YES_OR_NO.search(text):
        return True
    for sentence in re.findall(r"[^.?!。？！\n]*[.?!。？！]?", text):
        if not sentence.rstrip().endswith(("?", "？")) or _REQUEST.search(sentence) or _FIND_LEAD.search(sentence):
            continue
        if len(re.findall(r"[^\W\d_]+", sentence)) < 2:
            continue  # ("Why?", "Altogether?")
        if _CHOICE.search(sentence.rstrip()) and not re.search(r"\d", sentence.rsplit(",", 1)[-1]):
            return True
        if _concluded(sentence.rstrip()):
            return True
        clauses = _JOINED.split(sentence)
        first = next((i for i, clause in enumerate(clauses) if _WH.search(clause)), None)
        if first is None:
            return True
        for clause in clauses[first + 1 :]:
            if not _WH.search(clause) and not re.search(r"\d", clause) and len(re.findall(r"[^\W\d_]+", clause)) >= 3:
                return True
    return False


def _graded_role(prompt: str) -> bool:
    """Whether the question names someone or something by a grade its numbers decide, in a clause that states no
    number ("The faster driver gets a prize.", "the heaviest box goes first"): which one that is may change with
    the numbers (the speeds computed), and an answer that says it of one computation ("First find the speed of the
    faster driver: 180 / 3") takes a side. "The biggest slide is 320 yards long" gives the role its number."""
    for clause in re.split(r"[.,;:!?\n]", prompt):
        if _GRADED_ROLE.search(clause) and not re.search(r"\d", clause):
            return True
    return False


def _compares_in_a_condition(prompt: str) -> bool:
    """Whether a condition compares two amounts the question does not state as one number ("if the books cost more
    than her wallet holds", "if Ann's apples outnumber Bob's pears"): which side holds depends on the numbers.
    "If she has 5 more apples than Bob" is an amount (a number before the comparative), "more than 50" a threshold
    (the threshold checks read it)."""
    for clause in _CONDITION.finditer(prompt):
        for m in _COMPARES.finditer(clause.group(1)):
            before = clause.group(1)[: m.start()]
            if re.search(r"\d[\d,.%]*\s*(?:[^\W\d_]+\s+)?$", before):
                continue  # "5 more apples than", "5 years older than": an amount
            after = clause.group(1)[m.end() :]
            if re.match(r"\s*(?:[$€£¥]\s*)?\d", after):
                continue  # "more than 50": a threshold, read as one
            if re.match(r"\s*[A-Z][a-z]+\b(?!'s|’s)", after):
                continue  # "who is younger than Joe": a relation between people the question states
            return True
    return False


# "the" and a comparative or superlative grade ("the faster driver", "the heaviest box", "the more expensive plan")
_GRADED_ROLE = re.compile(
    r"\bthe\s+(?:(?:more|less|most|least)\s+[^\W\d_]+|"
    + "|".join(f for f in graded_forms().split("|") if f not in GRADED)
    + r")\s+[^\W\d_]+",
    re.IGNORECASE,
)


# an amount that stops growing past some point the question names in words: "never grows once", "stops counting
# after", "no longer increases when", "is capped once", "doesn't go up after", and the same in the languages the gate
# reads ("wächst nicht mehr", "ne augmente plus", "deja de crecer", "smette di crescere", "para de crescer")
_STOPS = re.compile(
    r"\b(?:never|no\s+longer|not|\w+n't|cannot)\s+(?:grows?|increases?|rises?|goes\s+up|climbs?|exceeds?|"
    r"counts?|charges?|adds?\s+up)\b[^.;:?!]{0,30}?\b(?:once|after|when|beyond|past|from)\b"
    r"|\bstops?\s+(?:growing|increasing|rising|counting|charging|adding)\b"
    r"|\b(?:is|are|gets?|stays?)\s+capped\s+(?:once|after|when|at)\b"
    r"|\bnicht\s+mehr\b|\bne\s+\w+\s+plus\b|\bdeja\s+de\b|\bsmette\s+di\b|\bpara\s+de\b|\bdeixa\s+de\b|\bniet\s+meer\b",
    re.IGNORECASE,
)


# a branch chosen by comparing the question's own quantities, by parity, or on a clock
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|enero|febrero|marzo|"
    "abril|mayo|junio|julio|agosto|sept?iembre|octubre|noviembre|diciembre|janvier|février|mars|avril|mai|juin|"
    "juillet|août|septembre|octobre|novembre|décembre|januar|jänner|februar|märz|juni|juli|oktober|dezember|"
    "gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|janeiro|fevereiro|março|maio|junho|"
    "julho|setembro|outubro|dezembro|januari|februari|maart|mei|augustus"
)
# (not "may", which is also a verb: "you may pay for 8 months")
_MONTHS_NOT_MAY = "|".join(m for m in _MONTHS.split("|") if m != "may")
# the weekdays of the other languages the task reads, their "on Saturdays" adverbs and plurals, and their weekend
# and workdays: a span of days that starts on a named weekday ("beginnt am Donnerstag", "commence un jeudi"), a
# weekday that recurs ("montags", "los sábados", "chaque lundi", "ogni sabato", "elke zaterdag") or a span of
# weekdays ("von Montag bis Freitag", "du lundi au vendredi") reaches other days as its length moves (see the
# English ones in ``_BRANCH``). A weekday said once as when something happens ("Am Sonntag will Emma...") is not
# read as a branch
_WEEKDAYS_DE = r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag"
_WEEKDAYS_FR = r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
_WEEKDAYS_NL = r"maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag"
_WEEKDAY_ABROAD = (
    rf"{_WEEKDAYS_DE}|lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|domingo|{_WEEKDAYS_FR}|lunedì|"
    r"lunedi|martedì|martedi|mercoledì|mercoledi|giovedì|giovedi|venerdì|venerdi|sabato|domenica|"
    rf"{_WEEKDAYS_NL}|segunda(?:-feira)?|terça(?:-feira)?|quarta(?:-feira)?|quinta(?:-feira)?|sexta(?:-feira)?"
)
_CALENDAR_ABROAD = re.compile(
    r"\b(?:wochenenden?|werktage?n?|arbeitstage?n?|wochentage?n?|fines?\s+de\s+semana|días?\s+(?:laborables|hábiles)|"
    r"week-?ends?|jours?\s+ouvrables?|jours?\s+ouvrés|fine\s+settimana|giorni\s+(?:lavorativi|feriali)|"
    r"werkdagen|weekdagen|fins?\s+de\s+semana|dias\s+úteis|"
    # a weekday that recurs: "samstags", "les samedis", "domingos", "zaterdagen"
    rf"(?:{_WEEKDAYS_DE})s|(?:sábado|domingo|{_WEEKDAYS_FR}|sabato|domenica|{_WEEKDAYS_NL})s|(?:{_WEEKDAYS_NL})en|"
    rf"(?:jeden|jede|jedes|alle|cada|todos\s+los|todas\s+las|chaque|tous\s+les|ogni|tutti\s+i|elke|iedere|alle|"
    rf"todas\s+as|todos\s+os|los|les|le|i|de|op|aos|às)\s+(?:{_WEEKDAY_ABROAD})\b|"
    rf"(?:beginn\w*|start\w*|fängt|anfang\w*|comienz\w*|empiez\w*|empez\w*|commenc\w*|début\w*|inizi\w*|"
    rf"cominci\w*|parte|partono|beg[io]n\w*|come[cç]\w*|inici\w*)\s+(?:\w+\s+){{0,2}}(?:(?:am|an\s+einem|einem|el|un|"
    rf"le|il|di|op|een|na|no|numa|num|em)\s+)?(?:{_WEEKDAY_ABROAD})\b|"
    rf"(?:von|vom|de|del|desde|du|dal|da|van)\s+(?:{_WEEKDAY_ABROAD})\s+(?:bis|a|al|hasta|au|à|tot|t/m)\s+(?:(?:zum|al|au)\s+)?(?:{_WEEKDAY_ABROAD})\b)",
    re.IGNORECASE,
)
# a weekday or a holiday named beside a count of days or nights (after a quantity, in digits or words, up to three
# words before the unit: "for 2 consecutive full days", "4 sleeps"; not "7 periods in the day", nor "two days"
# after the days were named and counted), in any language the task reads ("a trip of 6 days ... on Saturday and Sunday", "a six-day trip", "dauert 6 Tage ab Donnerstag", "3
# nuits à partir du vendredi"): which weekdays the span reaches moves with its length, however the start is said.
# Not a count per week ("5 days a week")
_WEEKDAY = re.compile(
    rf"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|{_WEEKDAY_ABROAD}|christmas|new\s+year|"
    r"easter|thanksgiving|halloween|valentine|independence\s+day|boxing\s+day|st\.?\s+patrick|hanukkah|"
    r"diwali|ramadan|eid|midsummer|weihnacht\w*|silvester|ostern|noël|nouvel\s+an|pâques|navidad|nochevieja|"
    r"año\s+nuevo|pascua|natale|capodanno|pasqua|kerst\w*|oudejaarsavond|nieuwjaar|pasen|natal|réveillon|páscoa)\b",
    re.IGNORECASE,
)
_DAYS_COUNTED = re.compile(
    r"\s*(?:-\s*)?(?:(?!(?:in|of|per|a|an|the|each|every|im|pro|de|par|por|al|di|van)\s)[^\W\d_]+\s+){0,3}?(?:days?|nights?|sleeps?|overnights?|stays?|Tagen?|Nächten?|Nacht|jours?|nuits?|d[ií]as?|noches?|giorni|"
    r"notti|dagen|nachten|noites?)\b(?!\s+(?:a|per|each|every|die|pro|in\s+der|par|por|a\s+la|alla|a|la|per)\s+"
    r"(?:week|woche|semaine|semana|settimana)\b)",
    re.IGNORECASE,
)
_BRANCH = alternation(
    r"\b(?:whoever|whichever|the\s+one\s+with\s+(?:more|fewer|less|the\s+most|the\s+least)|the\s+(?:larger|smaller|"
    r"bigger|greater|higher|lower|older|younger|longer|shorter|taller)\s+(?:of|one)|(?:even|odd)(?:-numbered)?\s+"
    r"(?:days?|numbers?|weeks?|months?|years?|pages?|rows?|houses?|floors?|ones?|hours?|minutes?)|is\s+(?:even|odd)\b|"
    r"o'clock|a\.m\.|p\.m\.|\d\s*(?:am|pm)\b|clock|midnight|noon|hour\s+\d+\s+of|day\s+\d+\s+of|weekends?|"
    # an hour said with the part of the day ("at 8 in the evening", "a las 8 de la tarde", "um 8 abends"), or by the
    # quarter ("quarter to 5", "twenty past 3"), or a question that asks for one ("At what hour does she stop?",
    # "quarter to what?", "¿A qué hora...?"): the hour asked wraps past 12 where the answer's sum does not
    r"what\s+(?:hour|time)|which\s+hour|hour\s+of\s+the\s+day|on\s+the\s+hour|(?:quarter|half|ten|five|twenty|"
    r"twenty-five)\s+(?:to|past)\s+(?:\d|what\b)|dawn|dusk|sunrise|sunset|qu[ée]\s+hora|quelle\s+heure|che\s+ora|"
    r"que\s+horas|hoe\s+laat|"
    r"in\s+the\s+(?:morning|afternoon|evening)|at\s+night|tonight|de\s+la\s+(?:mañana|tarde|noche)|"
    r"du\s+(?:matin|soir)|de\s+l'après-midi|d(?:i|el)la\s+(?:mattina|sera|notte)|del\s+pomeriggio|"
    r"morgens|vormittags|nachmittags|abends|nachts|da\s+(?:manhã|tarde|noite)|'s\s+(?:ochtends|middags|avonds|nachts)|"
    r"weekdays?|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s+(?:to|through|till|until|-)\s+"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|year\s+\d{4}|in\s+\d{4}\b|leap|"
    # a year said as a date ("born at the start of 1995", "during all of 2024"): whether it is a leap year, and on
    # which weekday it starts, moves with it
    r"\b(?:(?:start|end|beginning|middle|spring|summer|autumn|fall|winter|all|rest|whole|course|days?|weeks?|"
    r"months?)\s+of|during|since|until|till|throughout|across|after|born)\s+(?:in\s+)?(?:1[5-9]|2[01])\d{2}"
    r"(?=\s*(?:[,.;:!?)]|$|(?:she|he|they|it|we|i|the|a|and|or|to|through|until|till|when|while|in|on)\b))|"
    # a day of the week that recurs within a span, or the one it starts on ("rests on Saturdays", "starts on a
    # Monday", "every Friday"), and a month named beside a span of months ("signs up in March for 8 months"):
    # which days or months the span reaches moves with its length
    r"(?:1[5-9]|2[01])\d{2}\s+calendar\s+year|\d(?:st|nd|rd|th)?\s+of\s+(?:1[5-9]|2[01])\d{2}\b|week-ends?|"
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s\b|\b(?:(?:on|from|starting)\s+an?|every|"
    r"each|(?:starts?|started|starting|begins?|began|beginning)\s+(?:on\s+)?(?:an?\s+)?)\s*"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|"
    rf"\b(?:{_MONTHS_NOT_MAY})\b[^.?!]*\b(?:months|\d+-month)\b|\b(?:months|\d+-month)\b[^.?!]*\b(?:{_MONTHS_NOT_MAY})\b|"
    r"the\s+(?:cheaper|cheapest|costlier|more\s+expensive|less\s+expensive)|winner|loser|otherwise|unless|else\b|"
    r"round(?:ed|ing|s)?\s+(?:[^\W\d_]+\s+){0,4}(?:to|up|down)\b|nearest|from\s+[$€£]?\d[\d,.]*\s+to\s+[$€£]?\d|"
    # a value that wraps at a number no question states: an hour of the day ("at 18h", "hour 18"), a date ("June 25",
    # "the 25th of June") or a month's days ("as many days as June has"), a heading or bearing (360 degrees)
    rf"\d+\s?h\b(?!\s*/)|\bhour\s+\d|(?:{_MONTHS})\s+\d{{1,2}}\b|"
    # "the 25th of June", "el 9 de marzo", "am 9. März", "le 9 mars", "il 9 marzo", "op 9 maart"
    rf"\d{{1,2}}(?:st|nd|rd|th|er|º|°|\.)?\s+(?:of\s+|de\s+|del\s+)?(?:{_MONTHS})\b|"
    rf"(?:days?\s+(?:in|of)|as\s+(?:many\s+days|long)\s+as)\s+(?:{_MONTHS})\b|(?:{_MONTHS})\s+has\b|"
    r"heading|bearing|compass|(?:counter|anti)?clockwise|"
    # a hand or a mark on a dial, or a turn in degrees: it points past 12, 60 or 360 where the sum does not wrap
    # ("The hour hand points at 9; after 5 hours": 2, not 14; "the 40-minute mark, 35 minutes later": 15)
    r"(?:hour|minute|second)\s+hands?|hands?\s+of\s+(?:a|the|an?\s+\w+|her|his|my|their)\s+(?:clock|watch)|"
    r"minute\s+marks?|\bdials?\b|\w*zeiger|aiguilles?|manecillas?|minutero|lancett[ae]|ponteiros?|wijzers?|"
    r"\b(?:turns?|turned|turning|rotat\w*|spins?|spun|spinning|pivot\w*|swivel\w*|faces?|facing|points?|"
    r"pointing|moves?|moved|moving|gira\w*|tourn\w*|dreh\w*)\b[^.?!]{0,60}?\b(?:degrees?|grados?|degrés|grad|"
    r"gradi|graus)\b|"
    # the seconds or minutes a display, a timer or a watch reads: past 59 they start again
    r"(?:seconds?|minutes?)\s+(?:on|of)\s+(?:a|the|her|his|my|their)\s+(?:\w+\s+)?(?:display|timer|stopwatch|watch|"
    r"clock|screen|readout)|"
    # a pattern that repeats over days or turns: which step a count ends on turns on its parity ("swims on the
    # first day, rests on the second, and keeps alternating for 25 days")
    r"alternat\w*|and\s+so\s+on|in\s+turns?|take\s+turns|repeats?\s+(?:this|that|it|the\s+(?:pattern|cycle|"
    r"schedule|routine))|cycle\s+repeats)",
    re.IGNORECASE,
)
