"""Whether an old extraction may be reused for a new request at all."""

from __future__ import annotations

import re
from typing import Any

from ...values import Verdict, canonical_json
from ..template import persona_only
from ..word.read import graded_forms
from .parse import EXTRACT_ONLY, EXTRACT_WORDS, JsonProblem, described_texts

__all__ = [
    "JsonGate",
    "asks_form",
    "asks_part",
    "plain_word",
    "selects",
    "transforms",
    "undescribed",
    "unplain_key_word",
]


class JsonGate:
    """Reuse only between requests that ask the same thing of records of one kind.

    The requests' templates (each request besides its record and key names, see
    :func:`~stepcache_core.tasks.json.parse.request_template`) must be equal: an instruction, a hint, a requested
    language or format that differs is a semantic change, answered by the model. A key both schemas share must
    be described the same way (type, description, enum, format): a changed description asks for another value.
    Another kind of entity (most keys differ) means no reuse.
    """

    def __init__(self, min_key_overlap: float = 0.5) -> None:
        self.min_key_overlap = min_key_overlap

    def compatible(self, old: JsonProblem, new: JsonProblem) -> Verdict:
        if old.template != new.template:
            return Verdict(False, f"the request asks something else besides the record ({new.template[:80]!r})")
        if old.record != new.record and (word := transforms(new, old) or _asked_in_record(old, new)) is not None:
            # "Translate the city into French.", "Give the first name only.", "Use ISO dates." in the request: the
            # old values may have needed no change ("Paris" is French already) where the new ones do
            return Verdict(False, f"the request says more than which keys to extract ({word!r}): a value may be more than a copy")
        if old.record != new.record and not persona_only(new.context):
            # "Write every name in upper case." beside the request: a condition on the values no check reads
            return Verdict(False, "the caller's instructions beside the request may change what the values must be")
        if old.record != new.record and (rule := selects(new)) is not None:
            # "Extract the cheaper item", a key described "the price of the cheaper item": which of the record's
            # values is taken depends on how they compare, and another record's may compare otherwise
            return Verdict(
                False, f"the request picks values by comparing them ({rule!r}): another record's may compare otherwise"
            )
        a, b = set(old.properties), set(new.properties)
        overlap = len(a & b) / max(1, len(a | b))
        renamed = len(a - b) == len(b - a) == 1
        if overlap < self.min_key_overlap and not (renamed and len(a) >= 2 and overlap >= 0.3):
            return Verdict(False, f"schema keys changed too much (overlap {overlap:.2f})")
        if canonical_json(_frame(old)) != canonical_json(_frame(new)):
            # the schema's own title, description, definitions ($defs a key's $ref points to)...: what the record
            # is ("the person who sends the parcel" / "who receives it") may be said there
            return Verdict(False, "the schema changed outside its keys (its title, description or definitions)")
        old_props, new_props = _properties(old), _properties(new)
        for k in sorted(a & b):
            if old.types.get(k) != new.types.get(k):
                return Verdict(False, f"type of {k!r} changed")
            if canonical_json(old_props.get(k)) != canonical_json(new_props.get(k)):
                return Verdict(False, f"schema of {k!r} changed (description, allowed values or format)")
        return Verdict.passed()


def _properties(problem: JsonProblem) -> dict[str, Any]:
    props = (problem.schema or {}).get("properties") or {}
    return dict(props) if isinstance(props, dict) else {}


def _frame(problem: JsonProblem) -> dict[str, Any]:
    """The schema without its keys and which of them are required (what a reuse may adapt)."""
    schema = problem.schema or {}
    return {k: v for k, v in schema.items() if k not in ("properties", "required")} if isinstance(schema, dict) else {}


# a value chosen by comparing values: a comparative or a superlative ("the cheaper item", "the oldest child", "the
# most expensive", "the highest score", "maximum"), in the languages the tasks read
_SELECTS = re.compile(
    r"\b(?:more|less|fewer|most|least|fewest|maximum|minimum|maximal|minimal|largest|smallest|earliest|latest|"
    r"newest|oldest|"
    + graded_forms(plain=False)
    + r"|más|menos|mayor|menor|plus|moins|meilleur\w*|mehr|weniger|meisten|höchste\w*|niedrigste\w*|größte\w*|"
    r"kleinste\w*|günstigste\w*|billigste\w*|teuerste\w*|älteste\w*|jüngste\w*|più|meno|maggiore|minore|mais|"
    r"maior|menor|meer|minder|grootste|kleinste|goedkoopste|duurste|oudste|jongste)\b",
    re.IGNORECASE,
)


# in the record itself, a definite pick by comparing ("Bob wants the cheaper one: a pen for $3 or a cup for $5",
# "whichever is cheaper", "the most expensive of them"): a comparative alone ("has more experience") picks nothing
_PICKS = re.compile(
    r"\b(?:the|whichever\s+(?:\w+\s+)?(?:is|are|was|costs?))\s+(?:(?:most|least|more|less)\s+[^\W\d_]+|"
    + graded_forms(plain=False)
    + r"|largest|smallest|earliest|latest|newest|oldest)\b",
    re.IGNORECASE,
)


def selects(problem: JsonProblem) -> str | None:
    """The word by which ``problem`` picks values by comparing them, in its request besides the record (its
    instructions), its key names, or its schema's titles and descriptions, or a definite pick in the record
    (:data:`_PICKS`); ``None`` when it picks none so."""
    said = [problem.template, *(_words(k) for k in problem.properties), *map(_words, described_texts(problem.schema or {}))]
    found = next((m.group() for text in said if (m := _SELECTS.search(text)) is not None), None)
    if found is None and (m := _PICKS.search(problem.record)) is not None:
        found = m.group()
    return found


def _words(name: str) -> str:
    """``name`` with its CamelCase and snake_case parts apart ("OlderPerson", "price_cents": "Older Person",
    "price cents"), so that a word search finds them."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])|_", " ", name)


# what a request may say besides its keys and still ask only for copies of the record's values: the words of an
# extraction ask (``EXTRACT_WORDS``), what the record is ("the message below", "this invoice"), who answers and how
# faithfully ("You are an expert extraction algorithm", "accurately"), what wraps the JSON ("Respond with...",
# "nothing else"), and how allowed values or an example are introduced ("one of open, closed or pending": the
# allowed values are read as such; "e.g."; an example's own values are not plain, since an example may show a
# form). Closed: a word outside it ("translate", "upper", "first", "ISO", "cents", a word of another language)
# may ask for a value the record does not hold as written, which no check reads; such a request is reused for its
# own record only. Words that only say "faithfully" may be added; never one that can name a form ("full", "code")
_PLAIN = EXTRACT_WORDS | frozenset(
    """message messages email emails e-mail mail note notes memo letter document documents report reports passage
    paragraph paragraphs sentence sentences excerpt snippet transcript conversation chat post comment comments
    review reviews form entry entries listing profile description content string line lines block
    order orders invoice receipt ticket tickets booking reservation request requests expense payment bug
    customer customers user users person people contact contacts product products item items event events
    subscription subscriptions account accounts shipment parcel package delivery appointment
    article articles resume cv xml html pdf page webpage tweet story news bio biography context chunk movie film
    book weather forecast support route classify categorize categorise triage tag label sort bug good update
    hi hello hey dear thanks thank regards best sincerely cheers greetings s il vous plaît plait por favor bitte
    favore gracias merci danke grazie
    you assistant helpful expert specialist extractor algorithm ai goal task job role
    extracted extracting extracts extraction analyze analyse carefully accurately precisely precise correctly
    strictly faithfully relevant requested desired required mentioned provided present
    respond reply explanation explanations else tool tools function functions parameters attribute attributes
    property
    exact verbatim copy copied written unchanged original
    his her its their our your my is are was were be it they them there here one each every either or any both
    e g eg example examples for such like i e ie following given
    only""".split()
)
_TEMPLATE_WORD = re.compile(r"[^\W\d_]+")


# in a key's name or description, or the schema's title or description, where a whole vocabulary of plain words
# cannot be asked for ("the person's full name", "departure city" are plain): a word that asks for a value in
# another form than the record's ("translated into French", "upper case", "in cents", "after tax", "ISO code").
# A unit ("price in euros") is not one: a record whose unit changed ("50 USD") is read by the carry-over check;
# nor is "translated" or "converted" alone, which a record's own content says ("the currency converted from")
_LANGUAGE_WORDS = frozenset(
    """english french german spanish italian portuguese dutch chinese mandarin cantonese japanese korean russian
    arabic polish czech slovak hungarian romanian bulgarian greek turkish swedish norwegian danish finnish
    icelandic ukrainian hebrew hindi urdu bengali thai vietnamese indonesian malay tagalog persian farsi latin
    catalan croatian serbian slovenian estonian latvian lithuanian irish welsh swahili
    anglais français francais allemand espagnol italien portugais néerlandais chinois japonais russe arabe
    polonais grec inglés ingles francés frances alemán aleman español italiano portugués japonés ruso árabe
    englisch französisch franzosisch deutsch spanisch italienisch portugiesisch niederländisch chinesisch
    japanisch russisch arabisch polnisch griechisch inglese francese tedesco spagnolo portoghese giapponese
    russo inglês francês alemão espanhol française anglaise allemande espagnole italienne francesa inglesa
    alemana española italiana französische englische deutsche""".split()
)
"""Languages by name (in English and a few others): in a key's name, title or description a value may be asked
in one ("city_polish", "the city, in Polish", "die Stadt, französisch")."""
_LANGUAGES = "|".join(sorted(_LANGUAGE_WORDS, key=len, reverse=True))
_FORMS = re.compile(
    r"(?<![^\W_])(?:abbreviat\w*|unabbreviated|capitali[sz]ed|normali[sz]ed|rounded|"
    r"uppercased|lowercased|upper[ -]?case|lower[ -]?case|title[ -]?case|all[ -]?caps|capitals|capital letters|"
    r"block letters|(?:first|given|last|family|sur)[ -]?name only|only (?:the|their|his|her)\s+(?:first|given|last|"
    r"family|sur)[ -]?name|decimal fraction|as a (?:fraction|decimal|percentage)|"
    r"spelled out|spelt out|digits only|only digits|(?:two|three)[ -]letter|initials|iso|yyyy|mm/dd|dd/mm|"
    r"(?:day|month|year)\s*[/.,-]\s*(?:day|month|year)|(?:day|month|year)s?[ -]first|date format|time format|"
    r"mm[-/. ]dd|dd[-/. ]mm|yy|(?:day|month|year)\s+(?:before|after)\s+the\s+(?:day|month|year)|"
    r"(?:american|british|european|international|24[ -]hour|12[ -]hour)\s+(?:date|time|format|order|style|clock)|"
    r"(?:iata|icao|airport|country|currency|language|state) codes?|(?<!and )cents|pence|"
    r"(?:after|before|including|excluding|incl\.?|excl\.?|net of|plus|minus|less)\s+(?:the\s+)?"
    r"(?:tax|taxes|vat|discount|fees?|shipping)|"
    rf"{_LANGUAGES}|"
    r"übersetzt|traduit\w*|traducid\w*|tradott\w*|großbuchstaben|mayúsculas|majuscules?)"
    r"(?![^\W_])",
    re.IGNORECASE,
)
# a key name's part that asks for a form ("city_fr", "name_upper", "state_abbr"): read apart from the words
_FORM_PARTS = frozenset("fr de es it en pt nl pl upper lower caps allcaps abbr abbrev iso initials full short".split())


# what a description may say of a value besides the words of the keys, the record and a plain request: which value
# it is, by the record's events and roles ("the product ordered", "who placed the order", "departure city", "the
# account holder the call is about"), and its unit ("in dollars"). Closed, as ``_PLAIN``: a word outside it may ask
# for a part of a value or another form of it ("the domain part of the email", "the city as the locals write it",
# "with no honorific", "the surname", "nom de la ville dans la langue du pays"), which no check reads and a copy
# that fitted the cached record cannot show. Never add a word that names a part ("first", "last", "year",
# "domain", "initial", "surname") or a manner ("local", "native", "spelling", "language", "without")
_DESCRIBES = frozenset(
    """on at by about than between within during via up who whom whose what which where when whether how why
    over under above below least someone somebody something anyone final
    sends sent receives receive received wants wanted needs takes took place gives gave gets got makes buys bought
    sells pays rents owns uses used writes wrote asks answers won wins lost loses knows knew speaks spoke teaches
    taught leads led manages managed runs ran hosts hosted organizes organized issued issues signed signs approved
    approves created creates submitted submits requests visited works studied studies attends holds held happens
    happened occurs occurred started ended arrives arrived departs departed flies flew travels travelled traveled
    stayed moves moved joined joins belongs belonged back money questions out
    ordered placed booked reserved sold bought purchased paid sent received delivered shipped returned reviewed rated
    rented lent borrowed owned made included attached mentioned listed described written stated asked interviewed
    baked cooked walks lives live lived works worked born visit visits visited attending attends attended
    holder owner sender recipient receiver buyer seller client guest patient member applicant employee employer
    manager author reviewer caller organizer organiser attendee attendees passenger traveller traveler driver
    landlord tenant borrower lender payer payee winner loser player team
    departure arrival origin destination start starts end ends journey trip flight meeting call route stay ticket
    invoice model make brand title role position company department status priority category type kind
    stock available refundable vegan allergic remote outdoors pets allowed verified smokes included automatically
    renews express shipping breakfast ingredients needed score vote share party plan monthly yearly daily weekly
    size color colour weight height width length distance duration rating stars reference id identifier back
    programming converted
    developer engineer employee worker staff student teacher doctor nurse lawyer artist musician writer actor
    speaker user users contact contacts person persons individual people family company organization organisation
    business firm store shop restaurant hotel school university hospital bank office agency vendor supplier
    product service device vehicle car book movie film song album game app application project task issue ticket
    course class lesson program event concert match race party trip tour room table seat order item line lines
    message email letter review comment post question answer request complaint feedback report record
    recipe dish meal ingredient drink pet dog cat animal plant city country place location venue area region""".split()
)


def undescribed(problem: JsonProblem, other: JsonProblem | None = None) -> str | None:
    """The first word of a title, a description or another text of ``problem``'s schema (a key's or the schema's
    own, ``json_schema_extra`` hints too) that neither a plain request says (:func:`plain_word`), nor says which
    value (``_DESCRIBES``), nor is a word of the keys' names, allowed values or the record: "part" of "the domain
    part of the email", "locals" of "the city as the locals write it", "honorific" of "with no honorific";
    "examples" where the schema shows any (an example may show a form). ``other``: the request it is compared with,
    whose record must say a record's word too. ``None`` when every text only says which value."""
    schema = problem.schema or {}
    if not isinstance(schema, dict):
        return None
    if _examples(schema):
        return "examples"
    if (form := _format(schema)) is not None:
        return form
    # a title of a name's length ("Person", "OrderLine", "Full Name") names the record or a key; a longer one
    # is read like a description ("City as the locals write it")
    named = [*problem.properties, *(t for t in _said_titles(schema) if len(_words(t).split()) <= 2)]
    known = {w.casefold() for k in named for w in _TEMPLATE_WORD.findall(_words(k))}
    if (asked := next((w for w in known if w in _NOT_DESCRIBING), None)) is not None:
        return asked  # a key or a short title that asks a form ("city_local_spelling", "name_without_title")
    said = {w.casefold() for w in _TEMPLATE_WORD.findall(problem.record)}
    if other is not None:  # a word one record says ("Customer Dr Ito paid.") may name what the key leaves out
        said &= {w.casefold() for w in _TEMPLATE_WORD.findall(other.record)}
    known |= said
    known |= {w.casefold() for values in problem.allowed.values() for v in values for w in _TEMPLATE_WORD.findall(v)}
    for text in _schema_texts(schema):
        text = _AS_WRITTEN.sub(" ", _SIGNATURE.sub(" ", text))  # a tool's signature line; "as written": a copy
        if (manner := _AS_SAID.search(text)) is not None:
            return manner.group()
        for word in _TEMPLATE_WORD.findall(re.sub(r"['\u2019]s\b", "", _words(text))):
            w = word.casefold()
            if w in _NOT_DESCRIBING or not (plain_word(w) or w in _DESCRIBES or w in known or w[:-1] in known):
                return word
    return None


# what a schema says in words, besides its keys: titles, descriptions and any other text a model's settings put
# there ("json_schema_extra"), not the values it allows or shows
_STRUCTURE = frozenset(
    "type format pattern $ref $schema $id $anchor const enum default required additionalProperties examples example "
    "contentEncoding contentMediaType discriminator propertyName mapping".split()
)


def _schema_texts(schema: Any) -> list[str]:
    """Every text of ``schema`` under a key that is no structure keyword (``_STRUCTURE``), at any depth; a property
    named like a keyword is read as a property."""
    if isinstance(schema, dict):
        out = [v for k, v in schema.items() if isinstance(v, str) and k not in _STRUCTURE]
        return out + [
            t
            for k, v in schema.items()
            if not isinstance(v, str)
            and k not in ("enum", "const", "default", "examples", "example")
            and not (k in _STRUCTURE and isinstance(v, list))  # "required": [...], "type": [...]
            for t in _schema_texts(v)
        ]
    if isinstance(schema, list):  # (under a key of its own: "x-hints": ["..."])
        return [t for v in schema for t in ([v] if isinstance(v, str) else _schema_texts(v))]
    return []


def _said_titles(schema: Any) -> set[str]:
    """Every ``title`` text in ``schema``, at any depth."""
    if isinstance(schema, dict):
        own = {v for k, v in schema.items() if k == "title" and isinstance(v, str)}
        return own.union(*(_said_titles(v) for v in schema.values() if not isinstance(v, str)))
    if isinstance(schema, list):
        return set().union(*(_said_titles(v) for v in schema))
    return set()


# formats that only say what a value is, which the record's own writing of it keeps
_SHAPES = frozenset("email idn-email uri uri-reference iri iri-reference uuid ipv4 ipv6 hostname idn-hostname".split())


def _format(schema: Any) -> str | None:
    """A ``format`` (or content encoding) of ``schema`` that may ask for another writing than the record's ("date",
    "date-time", "endonym"; not "email" or "uri": ``_SHAPES``), at any depth."""
    if isinstance(schema, dict):
        for k, v in schema.items():
            if k == "format" and isinstance(v, str) and v not in _SHAPES:
                return v
            if k in ("contentEncoding", "contentMediaType") and isinstance(v, str):
                return v
        return next((f for k, v in schema.items() if k not in ("enum", "const", "default") and (f := _format(v))), None)
    if isinstance(schema, list):
        return next((f for v in schema if (f := _format(v)) is not None), None)
    return None


def _examples(schema: Any) -> bool:
    """Whether ``schema`` shows examples of a value anywhere (``examples``, ``example``)."""
    if isinstance(schema, dict):
        shown = any(k in ("examples", "example") and v not in (None, [], "") for k, v in schema.items())
        return shown or any(_examples(v) for k, v in schema.items() if k not in ("enum", "const", "default"))
    if isinstance(schema, list):
        return any(_examples(v) for v in schema)
    return False


_SIGNATURE = re.compile(
    r"^[ \t]*[A-Za-z_]\w*\([^()\n]*\)(?:[ \t]*->[ \t]*['\"~]?[\w.]+['\"]?(?:\[[^\]\n]*\])?)?[ \t]*$", re.MULTILINE
)
_AS_WRITTEN = re.compile(
    r"\bas\s+(?:it\s+is\s+|they\s+are\s+)?(?:written|stated|given|shown|printed)\b"
    r"(?:\s+in\s+the\s+(?:text|record|message|source|input))?(?=\s*(?:$|[,.;:)]))",
    re.I,
)
# words a plain request may use that, in a description, may name another form than the record's
_NOT_DESCRIBING = frozenset(
    """original copy copied exact verbatim unchanged spell spells spelled spelt local locals locally native
    vernacular endonym endonyms exonym exonyms spelling without untitled honorific honorifics transliterated
    romanized romanised""".split()
)
# a manner of saying a value ("the city as people call it", "the name as someone who lives there writes it", "the
# city name used by people who live there"), but the record's own ("as written": see ``_AS_WRITTEN``)
_AS_SAID = re.compile(
    r"\b(?:as|how|the\s+way)\s+(?:[^\W\d_]+\s+){0,5}?(?:call|calls|called|say|says|said|write|writes|wrote|written|"
    r"name|names|named|know|knows|known|use|uses|used|refer|refers|referred)\b|\b(?:used|known|called|named)\s+by\b",
    re.IGNORECASE,
)


# a key's name that asks for a part of a value ("first_name", "surname", "email_domain", "tld", "zip5", "hour")
_PART_KEY = re.compile(
    r"\b(?:part|parts|portion|prefix|suffix|initials?|domain|subdomain|tld|host|hostname|username|handle|extension|"
    r"first|last|middle|given|family|surname|forename|nickname|short|area|year|month|day|hour|minute|zip\d*|"
    r"digits?|letters?|[fl]name)\b|(?:first|last|given|family|sur|fore|middle|nick|maiden)[ _-]?name|area[ _-]?code|"
    r"zip[ _-]?\d|domain|initial|nachname|vorname|apellidos?|cognome|achternaam|pr[eé]nom|vorwahl|prefijo|"
    r"(?:dial|std)[ _-]?code|\bnpa\b",
    re.IGNORECASE,
)


# what a request's hint may say of a key besides its name: which value ("the amount", "how many") and its unit
# ("in euros"). Closed, as ``_PLAIN``: never a word that names a part or a form ("first", "year", "domain")
_WHICH = frozenset(
    """how many much name names full person people city town country state street address zip postal postcode phone
    telephone mobile number date time amount total price cost paid quantity count unit age aged years old value
    null none if else otherwise not mentioned stated known unknown missing true false yes no of or and but per
    dollars dollar usd euros euro eur pounds pound gbp yen percent percentage degrees celsius fahrenheit kilometres
    kilometers km miles mile meters metres kg kilograms grams lbs litres liters hours minutes days weeks months
    nights""".split()
)


def asks_part(key: str) -> bool:
    """Whether the key's name asks for a part of a value (``_PART_KEY``: "first_name", "email_domain")."""
    return _PART_KEY.search(re.sub(r"(?<=[a-z])(?=\d)", " ", _words(key))) is not None


def plain_word(word: str) -> bool:
    """Whether the case-folded ``word`` (or the singular of a plural) is a plain request's (``_PLAIN``) or says
    which value or its unit (``_WHICH``)."""
    return any(w in _PLAIN or w in _WHICH for w in (word, word[:-1] if word.endswith("s") else word))


def _asked_in_record(old: JsonProblem, new: JsonProblem) -> str | None:
    """A word asking for another form (``_FORMS``) in a sentence both records hold as written: an instruction
    the record's span took in ("Text: ... Translate the city into French.", "City names must be in French."),
    the same beside every record, so no frame check sees it."""
    shared = set(_SENTENCE.split(old.record)) & set(_SENTENCE.split(new.record))
    return next((m.group() for sentence in shared if (m := _FORMS.search(sentence)) is not None), None)


_SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\n+")


def asks_form(problem: JsonProblem) -> str | None:
    """A word by which ``problem`` asks for a value in another form than the record's: one of ``_FORMS`` in its
    request besides the record, its key names, titles or descriptions ("Translate the city into French.", "in
    cents"), a key name's part of ``_FORM_PARTS`` ("city_fr") or a language in a key's name ("french_city"). The
    model's right answer to such a request is no copy of the record ("Londres"), which no check of the task can
    verify, and the task's repairs would ask for a copy: its answer stands as written (the task's ``asks_more``)."""
    said = [problem.template, *(_words(k) for k in problem.properties), *described_texts(problem.schema or {})]
    if (form := next((m.group() for text in said if (m := _FORMS.search(_words(text))) is not None), None)) is not None:
        return form
    parts = {p.casefold() for k in problem.properties for p in _words(k).split()[1:]}  # a key's first word is its own
    if parts & _FORM_PARTS:
        return min(parts & _FORM_PARTS)
    named = {p.casefold() for k in problem.properties for p in _words(k).split()} & _LANGUAGE_WORDS
    return min(named) if named else None  # "french_city", "city_polish"


# what a key's name may say besides the words of a plain request and of a description (``_DESCRIBES``): the nouns
# of the things records hold, short forms ("qty", "dob"), the verbs of a yes/no key ("has_pets", "can_drive").
# Closed, as ``_DESCRIBES``: never a word that names a form or a manner ("common", "international", "ascii",
# "translated", "style", "code" alone, "display", "formal")
_KEY_NOUNS = frozenset(
    """id ids num nr no qty amt dob addr tel url uri ref sku desc msg org dept mgr pos info cnt avg min max
    has have had can could does did do will should needs wants allows accepts
    account address airline airport allergy allergies adult adults baby babies child children kid kids balance bill
    birth birthday blood body budget building cabin capacity caption card carrier case cause channel charge charges
    check checkin checkout cuisine customer deadline deposit device diagnosis diet discount dosage dose due email
    engine episode equipment error exchange expense expiry fare fee fees field file fine floor food frequency fuel
    gate gender genre grade group groups guest guests hobby hobbies income instrument insurance interest job
    language languages lease level limit location manufacturer material medication medicine membership mileage month
    nationality need occupation office option parent parents passenger payment pages period phone platform points
    policy preference premium problem profession purpose rate reason refund relationship rent rental reservation
    result revenue salary seat seats sex shift side skill skills source sport stage state station step stop street
    subject supplier symptom symptoms target tax temperature term terminal test theme topic total tracking train
    transport unit vehicle venue version weather website weekday zone speed kmh kph mph port method currency candidate
    founded established opened launched released published
    new old current previous prior next home work billing mailing pickup dropoff relocation move transfer species breed ship""".split()
)
_PART_CODE = re.compile(r"\b(?:area|dial|std|zip|postal|post)[ _-]?codes?\b", re.IGNORECASE)
# agent nouns name who fills a role ("walker", "interviewer", "sponsor"), never a form; but these
_NOT_AGENTS = frozenset("upper lower proper other former latter outer inner shorter longer simpler".split())


def _key_names(schema: Any) -> list[str]:
    """Every property name of ``schema``, at any depth (an item's keys in a list of objects too)."""
    if isinstance(schema, dict):
        props = schema.get("properties")
        own = list(props) if isinstance(props, dict) else []
        return own + [k for v in schema.values() if not isinstance(v, str) for k in _key_names(v)]
    if isinstance(schema, list):
        return [k for v in schema for k in _key_names(v)]
    return []


def unplain_key_word(problem: JsonProblem, other: JsonProblem | None = None) -> str | None:
    """The first word of a key's name, at any depth, that neither a plain request says (:func:`plain_word`) nor
    says which value (``_DESCRIBES``, a short form such as "qty" or "dob"), nor is a word both records say:
    "anglicized" of ``city_anglicized``, "common" of ``city_common``, "international" of ``city_international``. A key's name
    is an instruction as much as a description is; its words are read the same closed way, since a list of the words
    that ask a form ("translated", "international", "latinized", "as known abroad") is never complete, and the copy
    that fitted the cached record ("Paris") shows nothing of the form the next one needs ("Roma": "Rome")."""
    said = {w.casefold() for w in _TEMPLATE_WORD.findall(problem.record)}
    if other is not None:
        said &= {w.casefold() for w in _TEMPLATE_WORD.findall(other.record)}
    for key in [*problem.properties, *_key_names(problem.schema or {})]:
        # a part a key asks ("first_name", "email_domain", "area_code") the adapter keeps one word (``asks_part``)
        parts = _PART_CODE.sub(" ", re.sub(r"(?<=[a-z])(?=\d)", " ", _words(key)))
        for word in _TEMPLATE_WORD.findall(_PART_KEY.sub(" ", parts)):
            w = word.casefold()
            if w in _NOT_DESCRIBING:
                return word
            if any(plain_word(v) or v in _DESCRIBES or v in _KEY_NOUNS for v in (w, w[:-1] if w.endswith("s") else w)):
                continue
            if w not in _NOT_AGENTS and len(w) > 4 and w.endswith(("er", "or", "ist")):
                continue
            # a word both records say, or one of its forms ("refund_amount" of "Status: Refunded")
            if any(len(r) >= 4 and (r.startswith(w) or w.startswith(r)) for r in said if min(len(r), len(w)) >= 4):
                continue
            return word
    return None


# "from the <up to three words>" ending at a mark, a linking word or the line's end: the record's source
_SOURCE = re.compile(
    r"\bfrom\s+(?:the|this|that|these|those|each|every|an?|my|our|your)\s+"
    r"((?:(?!(?:as|below|above|and|or|into|in|with|for|to|using|then|but|except|only)\b)[^\W\d_][\w'\-]*\s*){1,3})"
    r"(?=$|[.,;:!?\n]|\s+(?:as|below|above)\b|\s*\u27e8)",
    re.IGNORECASE,
)


# words that say how a value is written, never which record it comes from: a source phrase holding one ("from the
# uppercase version", "from the record in local spelling") is read like any other words of the request
_HOW = re.compile(r"omit|abbreviat|languag|transliter|spel|translat|format|style|case\b|upper|lower|capital")


def transforms(problem: JsonProblem, other: JsonProblem | None = None) -> str | None:
    """A word of ``problem`` that may ask for a value in another form than the record's: one :func:`asks_form`
    finds; else the first word of its request besides its record, key names and allowed values that is not a plain
    extraction's (``_PLAIN``), or a digit; else a word of a description that says more than which value
    (:func:`undescribed`). ``None`` when it only asks for its keys' values."""
    if (form := asks_form(problem)) is not None:
        return form
    if (word := undescribed(problem, other)) is not None:
        return word
    if (word := unplain_key_word(problem, other)) is not None:
        return word
    if problem.template == EXTRACT_ONLY:
        return None
    allowed = {w.casefold() for values in problem.allowed.values() for v in values for w in _TEMPLATE_WORD.findall(v)}
    text = re.sub(r"\u27e8[A-Z]+\u27e9", " ", problem.template)
    # the record's source named as what it is ("from the helpdesk notification below", "from this bank alert"): which
    # record, nothing about its values, but in the words that never only say which
    sources = {w.casefold() for m in _SOURCE.finditer(text) for w in _TEMPLATE_WORD.findall(m.group(1))}
    allowed |= {w for w in sources if w not in _NOT_DESCRIBING and not _HOW.match(w)}
    if (digit := re.search(r"\d+", text)) is not None:
        return digit.group()
    for word in _TEMPLATE_WORD.findall(re.sub(r"['\u2019]s\b", "", text)):
        if word.casefold() not in _PLAIN and word.casefold() not in allowed:
            return word
    return None
