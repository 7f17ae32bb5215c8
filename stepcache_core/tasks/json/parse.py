"""Parsing a JSON-extraction request: its schema, keys and types, the text values must come from, detection."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ...errors import InvalidRequestError, InvalidSchemaError
from ...values import Request
from ..template import SLOT_MARK, canonical_ask, fold_whitespace
from .schema import root_object, validator_for

__all__ = [
    "JsonProblem",
    "parse_json_problem",
    "detect",
    "source_text",
    "record_span",
    "record_text",
    "request_template",
    "allowed_values",
]


@dataclass(frozen=True)
class JsonProblem:
    """A parsed JSON-extraction request. ``text`` is what values must be grounded in."""

    prompt: str
    text: str
    schema: Mapping[str, Any] | None
    required: tuple[str, ...]
    properties: tuple[str, ...]
    types: Mapping[str, str] = field(default_factory=dict)
    record: str = ""
    """The text values may come from (see :func:`source_text`): never the instructions, hints or allowed-value
    lists around the record."""
    template: str = ""
    """The request besides its record and key names (see :func:`request_template`): reuse needs equal templates."""
    allowed: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Values the instructions allow for a key ("priority (low, medium or high)"), see :func:`allowed_values`."""
    context: str = ""
    """What the caller sent beside the request (a system prompt): see :attr:`Request.context`."""
    judged: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    """Values the schema lists under a key (its ``enum``s), see :func:`judged_values`."""

    @property
    def validator(self) -> Any:
        return validator_for(self.schema) if self.schema is not None else None


def parse_json_problem(request: Request) -> JsonProblem:
    schema = dict(request.schema) if request.schema is not None else None
    if schema is not None:
        if not isinstance(schema, dict):
            raise InvalidSchemaError("schema must be a JSON object")
        validator_for(schema)  # raises InvalidSchemaError
        schema = root_object(schema)  # {"$ref": "#/$defs/Node", "$defs": ...}: the keys are the definition's
        if schema.get("type", "object") != "object":
            raise InvalidSchemaError("json_extraction needs a schema whose type is 'object'")
    props = tuple((schema or {}).get("properties", {}) or ())
    required = tuple(dict.fromkeys(tuple((schema or {}).get("required", ()) or ()) + tuple(request.required_keys)))
    if not props and not required:
        raise InvalidRequestError("json_extraction needs a schema with properties or required_keys")
    types = {k: str(v.get("type", "")) for k, v in ((schema or {}).get("properties", {}) or {}).items() if isinstance(v, dict)}
    text = request.embed_text  # the question (an integration strips format instructions and chat context)
    keys = props or required
    return JsonProblem(
        prompt=request.prompt,
        text=text,
        schema=schema,
        required=required,
        properties=keys,
        types=types,
        record=record_text(text, keys),
        template=request_template(text, keys),
        allowed=dict(_allowed(text, keys)),
        judged=judged_values(schema or {}),
        context=request.context,
    )


def detect(request: Request) -> bool:
    """An extraction is a request with its keys: a schema or required keys (an integration discovers a parser's).
    A prompt that only names JSON ("What is JSON?", "Reply in JSON.") has no keys to verify: another task takes it,
    and the model answers it as the caller sent it."""
    return request.schema is not None or bool(request.required_keys)


def source_text(problem: JsonProblem) -> str:
    """The text the values come from: after the record's label ("Text:", "Input:", "Email:"...) when the prompt
    has one, without the hints and allowed-value lists that follow a key's name."""
    return problem.record or problem.text


# a label that introduces the record: what follows the first one is the text values come from
_LABEL = re.compile(
    r"(?:^|(?<=[.!?:\n])[ \t]*|(?<=\n))[ \t]*(?:the[ \t]+)?(?:text|input|record|passage|document|message|e-?mail|"
    r"content|transcript|review|paragraph|sentence)[ \t]*:[ \t]*",
    re.IGNORECASE | re.MULTILINE,
)
# any short label alone on its line after a blank line ("\n\nInvoice:\n", "\n\nJob posting:\n", "\n\nListing text:\n"):
# how templates introduce a record in any domain and language; read only where no label of ``_LABEL`` stands (one
# before the known label may head a paragraph of instructions: "Note:\nIgnore amounts quoted from earlier mails")
_LINE_LABEL = re.compile(r"(?:\A|\n[ \t]*\n)[ \t]*(?:[^\W\d_][\w'\-]*[ \t]+){0,2}[^\W\d_][\w'\-]*[ \t]*:[ \t]*(?=\n)")


# labels of the instructions' own paragraphs, never of the record: "Example:", "Rules:", "Output format:", "Note:"
_NOT_RECORD = frozenset(
    """example examples sample samples rule rules instruction instructions output format schema answer response json
    hint hints guideline guidelines constraint constraints requirement requirements task field fields key keys note
    notes context""".split()
)


def _record_label(text: str) -> re.Match[str] | None:
    """The label that introduces the record, when text follows it: the first of ``_LABEL``, else of ``_LINE_LABEL``
    whose first and last words are no instructions' paragraph's (``_NOT_RECORD``)."""
    m = _LABEL.search(text)
    if m is not None and text[m.end() :].strip():
        return m
    for m in _LINE_LABEL.finditer(text):
        words = [w.casefold() for w in re.findall(r"[^\W\d_][\w'\-]*", m.group())]
        if words and words[0] not in _NOT_RECORD and words[-1] not in _NOT_RECORD and text[m.end() :].strip():
            return m
    return None


@lru_cache(maxsize=4096)  # pure; a stored entry is parsed again by every lookup that meets it
def record_text(text: str, keys: tuple[str, ...]) -> str:
    """The text values may come from: after the record's label when there is one; else without a first or last
    line that instructs about the JSON or its keys ("Give the name and city as JSON, for example {...}"); never
    an example object naming the keys, or (in a record with no label of ``_LABEL``, where instructions may stand:
    "Customer:\n...\n\nReturn the name and nickname (e.g. Bob).") a key's hint in parentheses or its list of
    allowed values."""
    m = _record_label(text)
    labelled = m is not None and m.re is _LABEL
    if m is not None:
        text = text[m.end() :]
    text = text[: _format_block(text)]
    lines = text.rstrip().split("\n")
    if m is None and len(lines) > 1 and _instructs(lines[0], keys) and "\n".join(lines[1:]).strip():
        lines = lines[1:]
    if len(lines) > 1 and _instructs(lines[-1], keys) and "\n".join(lines[:-1]).strip():
        lines = lines[:-1]
    text = "\n".join(lines)
    for key in keys:  # an example object of the instructions: {"name": "Jane Doe", "city": "Paris"}
        text = re.sub(rf'\{{[^{{}}]*"{re.escape(key)}"\s*:[^{{}}]*\}}', " ", text)
    # (a labelled record's own parentheses after a key's name are its values: "Employer (Google)")
    return text if labelled else _without_hints(text, keys)


# a paragraph after the record that gives the output format with a JSON schema or object in it: a parser's or a
# program's instructions ("Here's a JSON schema to follow: {...}"), with everything after it; a paragraph that names
# JSON and introduces the record ("Convert the following into JSON:\n<record>") is not one
_FORMAT_BLOCK = re.compile(r"\n[ \t]*\n[ \t]*(?=[^\n]*\b(?:json|schema)\b)", re.IGNORECASE)


def _format_block(text: str) -> int:
    """Where a trailing paragraph of output-format instructions begins in ``text`` (its length when none)."""
    for m in _FORMAT_BLOCK.finditer(text):
        if text[: m.start()].strip() and "{" in text[m.end() :]:
            return m.start()
    return len(text)


def _instructs(line: str, keys: tuple[str, ...]) -> bool:
    """A line that tells the model what to return: it begins with an instruction verb or names JSON, and it names
    JSON or one of the keys."""
    words = re.findall(r"[^\W\d_]+", line.casefold())
    names = "json" in words or any(_key_res(k).mention.search(line) for k in keys)
    return bool(words) and names and (words[0] in _VERBS or "json" in words)


# an allowed-value list after a key's name: "priority (low, medium or high)", "status (one of open, closed,
# pending)", "payment_method must be card, cash or transfer"; never a hint with an example ("e.g. EUR")
_LIST = r"[^()\n;.:]*?(?:,|\bor\b|/)[^()\n;.:]*"
_ONE_OF = r"(?:one of|either|must be|is one of|can be|choose from)"


def allowed_values(text: str, keys: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The values the instructions allow for each key that has a list of them (two or more short items)."""
    return dict(_allowed(text, keys))


# a quoted option of a description: 'adult', "high", `open` (not an apostrophe inside a word: "the child's age")
_QUOTED = re.compile(r"""(?<!\w)(['"`‘“])([^'"`\n‘’“”]{1,40}?)['"`’”](?!\w)""")
# what may stand between two options of one list: commas, "or", "and", slashes, bars
_BETWEEN = re.compile(r"\s*(?:,|/|\||\bor\b|\band\b|,\s*or\b|,\s*and\b)?\s*", re.IGNORECASE)


def described_values(description: Any) -> list[str]:
    """The options a key's ``description`` lists: in quotes, two or more side by side ("'child' or 'adult'", "one of
    \"low\", \"medium\", \"high\"") or apart where it says they are the choices ("'adult' for grown-ups,
    otherwise 'child'"); without quotes, after a colon, "one of" or "either", or as the whole description ("age
    group: child or adult", "Options:\n- child\n- adult", "child or adult"). Values the schema allows as an
    ``enum`` would. Examples are no list ("e.g. 'EUR' or 'USD'"), nor quotes apart with no choice said ("the
    'name' as written, 'N/A' if unknown")."""
    if not isinstance(description, str) or _EXAMPLE.search(description):
        return []
    runs: list[list[str]] = []
    end = -1
    for m in _QUOTED.finditer(description):
        if runs and _BETWEEN.fullmatch(description, end, m.start()):
            runs[-1].append(m.group(2).strip())
        else:
            runs.append([m.group(2).strip()])
        end = m.end()
    listed = [run for run in runs if len(run) >= 2]
    if len(listed) == 1 and all(item for item in listed[0]):
        return listed[0]
    if len(runs) >= 2 and _CHOICE.search(description):
        return [item for run in runs for item in run if item]
    asked = _ASKED.search(description[-300:])  # "is the person a child or an adult?"
    if asked is not None:  # "small, medium or large?"
        return [*(i.strip() for i in asked.group(1).split(",")), asked.group(2)]
    listing = _UNQUOTED.search(description[-2000:])  # (a list is short: a long description's tail is enough)
    short = len(description.split()) <= 6 and re.search(r"\bor\b", description) is not None  # "child or adult"
    body = listing.group(1) if listing is not None else description if short else ""
    items = [i.strip(" -*\u2022.;'\"`") for i in re.split(r",|\bor\b|/|\||\n", body)]
    items = [i for i in items if i]
    return items if len(items) >= 2 and all(len(i.split()) <= 3 for i in items) else []


# a pattern that lists its values: "^(child|adult)$"
_ALTERNATIVES = re.compile(r"\^?\((?!\?[^:])(?:\?:)?([^()|]*(?:\|[^()|]*)+)\)\$?")
_EXAMPLE = re.compile(r"\b(?:e\.g|eg|for example|for instance|such as|i\.e)\b", re.IGNORECASE)
# a choice asked as a question: "is the person a child or an adult?"
_ASKED = re.compile(
    r"(?:\b(?:a|an|the)\s+)?((?:[^\W\d_]+\s*,\s*)*[^\W\d_]+)\s+or\s+(?:(?:a|an|the)\s+)?([^\W\d_]+)\s*\?\s*$", re.IGNORECASE
)
# a description that says its quoted values are the choices
_CHOICE = re.compile(r"\b(?:otherwise|else|either|one of)\b", re.IGNORECASE)
# a list of options without quotes, to the end of the description or of its sentence: after a colon, "one of",
# "either", "options"
_UNQUOTED = re.compile(r"(?:\b(?:one of|either|options?|choices?|choose from)\b\s*:?|:)\s*([^:.]+)(?:\.\s|\.?$)", re.IGNORECASE)


def described_texts(schema: Any) -> list[str]:
    """Every title and description in ``schema``, at any depth (under ``properties`` and the like, a key named
    ``title`` or ``description`` is a property whose schema is read in turn)."""
    if isinstance(schema, dict):
        own = [v for k, v in schema.items() if k in ("title", "description") and isinstance(v, str)]
        return own + [t for v in schema.values() if not isinstance(v, str) for t in described_texts(v)]
    if isinstance(schema, list):
        return [t for v in schema for t in described_texts(v)]
    return []


def judged_values(schema: Mapping[str, Any]) -> dict[str, tuple[Any, ...]]:
    """Per key of ``schema``, the values its schema lists (``enum`` or ``const``, at any depth under the key: on it,
    in a definition it refers to, an optional one's ``anyOf``, a list's items, a nested object's keys; a pydantic
    ``Literal`` or ``Enum``; options its ``description`` lists, see :func:`described_values`, or its ``pattern``
    spells out: ``^(child|adult)$``). A value the
    model chooses among them for a record ("adult" for a 34-year-old, priority 3 for a typo) is a judgement of that
    record, which its words need not state, nor another's."""
    defs = {**(schema.get("definitions") or {}), **(schema.get("$defs") or {})}

    def listed(node: Any, seen: frozenset[str]) -> list[Any]:
        if isinstance(node, list):
            return [v for item in node for v in listed(item, seen)]
        if not isinstance(node, dict):
            return []
        found = [v for v in node.get("enum", ()) or () if isinstance(v, (str, int, float)) and not isinstance(v, bool)]
        if isinstance(const := node.get("const"), (str, int, float)) and not isinstance(const, bool):
            found.append(const)
        kind = node.get("type", "string")  # (pydantic's Optional[str] has its type under anyOf)
        if kind == "string" or (isinstance(kind, list) and "string" in kind):
            found += described_values(node.get("description"))
            if isinstance(pattern := node.get("pattern"), str) and (m := _ALTERNATIVES.fullmatch(pattern)) is not None:
                found += [a for a in m.group(1).split("|") if a and re.fullmatch(r"[\w .'-]+", a)]
        ref = node.get("$ref")
        name = ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None
        if name is not None and name not in seen and isinstance(defs.get(name), dict):
            found += listed(defs[name], seen | {name})
        for k in ("allOf", "anyOf", "oneOf", "items", "prefixItems", "additionalProperties"):
            found += listed(node.get(k), seen)
        props = node.get("properties")
        if isinstance(props, dict):
            found += listed(list(props.values()), seen)
        return found

    out: dict[str, tuple[Any, ...]] = {}
    for key, prop in (schema.get("properties") or {}).items():
        if values := listed(prop, frozenset()):
            out[key] = tuple(dict.fromkeys(values))
    return out


@lru_cache(maxsize=4096)
def _allowed(text: str, keys: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    out: dict[str, tuple[str, ...]] = {}
    for key in keys:
        for m in _key_res(key).allowed.finditer(text):
            body = m.group("a") or m.group("b") or ""
            if re.search(r"\b(?:e\.g|eg|for example|such as|like|i\.e)\b", body, re.IGNORECASE):
                continue
            items = tuple(i.strip(" '\"`") for i in re.split(r",|\bor\b|\band\b|/", body) if i.strip(" '\"`"))
            if len(items) >= 2 and all(0 < len(i.split()) <= 3 for i in items):
                out[key] = items
                break
    return tuple(out.items())


@dataclass(frozen=True)
class _KeyPatterns:
    mention: re.Pattern[str]  # the key's name as a word
    named: re.Pattern[str]  # the name, quoted or not (a template's key slot)
    hint: re.Pattern[str]  # the name and a hint in parentheses
    allowed_hint: re.Pattern[str]  # the name and a list of allowed values
    allowed: re.Pattern[str]  # the same, with the list captured


@lru_cache(maxsize=1024)
def _key_res(key: str) -> _KeyPatterns:
    """A key's patterns, compiled once."""
    w = _key_words(key)
    return _KeyPatterns(
        mention=re.compile(rf"\b{w}\b", re.IGNORECASE),
        named=re.compile(rf"(?<![\w])[\"'`]?{w}[\"'`]?(?![\w])", re.IGNORECASE),
        hint=re.compile(rf"\b{w}\b\s*\([^()]*\)", re.IGNORECASE),
        allowed_hint=re.compile(rf"\b{w}\b\s*[:=-]?\s*\(?{_ALLOWED}\b[^.\n;)]*\)?", re.IGNORECASE),
        allowed=re.compile(
            rf"\b{w}\b\s*(?:\(\s*(?:{_ONE_OF}\s*:?\s*)?(?P<a>{_LIST})\)|[:=-]?\s*{_ONE_OF}\s*:?\s*(?P<b>{_LIST})(?=[;.\n)]|$))",
            re.IGNORECASE,
        ),
    )


def _key_words(key: str) -> str:
    """A key's name as text may write it: ``auto_renew`` / ``autoRenew`` also read as "auto renew"."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", key).replace("_", " ").replace("-", " ")
    return r"[\s_\-]*".join(re.escape(w) for w in spaced.split()) or re.escape(key)


_ALLOWED = r"(?:one of|either|choose from|pick from|allowed values?|possible values?|options?|must be|such as|e\.g\.|for example)"


def _without_hints(text: str, keys: tuple[str, ...]) -> str:
    """``text`` without a key's hint in parentheses ("currency (the ISO code)") or its list of allowed values
    ("status: one of open, closed"): words of the instructions, never values of the record."""
    for key in keys:
        res = _key_res(key)
        text = res.allowed_hint.sub(" ", res.hint.sub(" ", text))
    return text


# words that begin an instruction line, never a record's: "Extract ...", "Return only the JSON."
_VERBS = frozenset(
    """extract return give output produce provide create generate parse pull get fill convert turn write list
    identify find capture respond answer use format please only do don't make read analyze analyse classify""".split()
)
# the words of asks that mean "extract these keys as JSON" and nothing else (see ``canonical_ask``)
EXTRACT_WORDS = frozenset(
    """extract return give output produce provide create generate build make parse pull get fill convert turn write
    read identify find capture the a an me please json object objects with fields field keys key following as from
    this that these text below above in into format formatted of and data information info details record input
    values value its their structured schema matching to for containing contains properties entities entity all
    valid""".split()
)
REC_SLOT, KEY_SLOT, KEYS_SLOT = SLOT_MARK.format("REC"), SLOT_MARK.format("K"), SLOT_MARK.format("KEYS")
EXTRACT_ONLY = SLOT_MARK.format("EXTRACT")
"""The template of a request that only asks for its keys as JSON (see :func:`request_template`)."""


def record_span(text: str, keys: tuple[str, ...] = ()) -> tuple[int, int]:
    """Where the record stands in ``text``: after a record label, else after a first line that instructs
    ("Extract the name and age:"); up to a last line that instructs ("Return only the JSON.")."""
    start, end = 0, len(text)
    m = _record_label(text)
    if m is not None:
        start = m.end()
    else:
        first, nl, rest = text.partition("\n")
        words = re.findall(r"[^\W\d_]+(?:'[a-z]+)?", first.casefold())
        if words and words[0] in _VERBS:
            colon = first.find(": ")
            if colon >= 0 and first[colon + 2 :].strip():
                start = colon + 2
            elif nl and rest.strip():
                start = len(first) + 1
    end = start + _format_block(text[start:end])  # a trailing paragraph of format instructions is the template's
    for _ in range(3):  # trailing lines or sentences that instruct: "... lives in Lyon. Answer in French."
        cuts = [m.start() for m in re.finditer(r"(?<=[.!?])\s+|\n", text[start:end])]
        if not cuts:
            break
        cut = start + cuts[-1]
        words = re.findall(r"[^\W\d_]+(?:'[a-z]+)?", text[cut:end].casefold())
        if not words or words[0] not in _VERBS:
            break
        end = cut
    # a last line that instructs about the JSON (see ``record_text``, which drops it) is the request's own words
    body = text[start:end].rstrip()
    brk = body.rfind("\n")
    if brk > 0 and body[:brk].strip() and _instructs(body[brk + 1 :], keys):
        end = start + brk
    return start, end


@lru_cache(maxsize=4096)
def request_template(text: str, keys: tuple[str, ...]) -> str:
    """The request with its record as ``⟨REC⟩`` and key names as ``⟨KEYS⟩``, whitespace folded; ``⟨EXTRACT⟩`` when
    the rest only says "extract these keys as JSON" (see ``EXTRACT_WORDS``). Everything else, an instruction,
    a hint, a requested language or format, is kept as written and must match for a reuse."""
    start, end = record_span(text, keys)
    # a trailing block of format instructions with its schema (a program's "Here's a JSON schema to follow: {...}")
    # restates the schema, which the gate compares key by key: the same request reaches the cache with it (a
    # program's prompt) and without it (``structured_predict``). (One before the record stays: a sentence of the
    # caller's may stand in it, "... the JSON schema below. Write every value in uppercase.")
    block = start + _format_block(text[start:])
    rest = text[:start] + f" {REC_SLOT} " + text[end : max(end, block)]
    for key in sorted(keys, key=len, reverse=True):
        rest = _key_res(key).named.sub(KEY_SLOT, rest)
    rest = re.sub(rf"{KEY_SLOT}(?:\s*(?:,|and|&|or|/)?\s*{KEY_SLOT})*", KEYS_SLOT, rest)
    template = fold_whitespace(rest)
    return canonical_ask(template, EXTRACT_WORDS, slots=(REC_SLOT,), free=(KEYS_SLOT,), canonical=EXTRACT_ONLY)
