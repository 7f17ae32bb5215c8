"""JSON reuse across records waits for a second model answer that agrees, key by key (see
:mod:`stepcache_core.tasks.json.corroborate`).

Classes of input each test stands for:
- a form asked in words no list of the gate holds (a description in Japanese, in paraphrase, a form shown only in
  ``examples``) where the first record already had the form: a reuse for the next record is grounded and wrong;
- a model's slip on a record with two candidates ("in Oslo near the Lyon station" -> "Lyon"): grounded, stored,
  and carried faithfully to every later record of that wording;
- the plain case: the first record that moves a value is the model's, every later one is reused;
- a value that stays needs nothing; a second answer that disagrees vouches for nothing.
Each counts what the cache served without the model, and how much of it was wrong.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest

from stepcache_core import EngineConfig, Request, StepCacheEngine, UnverifiedOutputError
from stepcache_core.embed import HashEmbedder
from stepcache_core.fakes import ScriptedBackend
from stepcache_core.segment import JsonObjectSegmenter
from stepcache_core.store import MemoryStore
from stepcache_core.tasks import TaskRegistry, json_extraction_task, text_task
from stepcache_core.tasks.base import AdaptContext
from stepcache_core.tasks.json.adapt import JsonAdapter
from stepcache_core.tasks.json.carry import JsonCarryover
from stepcache_core.tasks.json.gate import unplain_key_word
from stepcache_core.tasks.json.parse import parse_json_problem
from stepcache_core.values import Completion, GenerationSpec


def _schema(**props: Any) -> dict[str, Any]:
    properties = {k: ({"type": v} if isinstance(v, str) else v) for k, v in props.items()}
    return {"type": "object", "properties": properties, "required": list(properties)}


def _run(
    schema: dict[str, Any],
    instruction: str,
    records: list[tuple[str, dict[str, Any]]],
    answers: dict[str, dict[str, Any]] | None = None,
    *,
    corroborate: bool = True,
    notes: dict[str, str] | None = None,
) -> list[tuple[str, bool]]:
    """Each record asked in turn of an engine whose model answers ``answers`` (else the right object), followed by
    the record's ``notes`` if any: for each, (its path, wrong) where the cache served it without the model (an
    object or a note other than the model's for that record is wrong); ("model", False) where the model answered or
    the answer was refused."""
    right = dict(records)
    said = answers or {}
    noted = notes or {}

    def model(spec: GenerationSpec) -> str:
        prompt = " ".join(spec.prompt.split())  # a repair prompt joins the record's lines
        text = max((t for t in right if " ".join(t.split()) in prompt), key=len)
        return json.dumps(said.get(text, right[text]), ensure_ascii=False) + noted.get(text, "")

    tasks = TaskRegistry([json_extraction_task(corroborate=corroborate), text_task()])
    engine = StepCacheEngine(
        store=MemoryStore(),
        embedder=HashEmbedder(),
        backend=ScriptedBackend(respond=model),
        config=EngineConfig(similarity_threshold=0.3),
        tasks=tasks,
    )
    out: list[tuple[str, bool]] = []
    for text, answer in records:
        try:
            served = engine.run(Request(f"{instruction} Text: {text}", schema=schema, task="json_extraction"))
        except UnverifiedOutputError:
            out.append(("model", False))
            continue
        if served.trace.backend_calls == 0:
            body, note = served.text[: served.text.rindex("}") + 1], served.text[served.text.rindex("}") + 1 :]
            out.append((served.trace.path, json.loads(body) != answer or note != noted.get(text, "")))
        else:
            out.append(("model", False))
    return out


PEOPLE = [
    ("Ann Lee lives in Paris.", {"name": "Ann Lee", "city": "Paris"}),
    ("Bob Ray lives in London.", {"name": "Bob Ray", "city": "London"}),
    ("Dee Orr lives in Vienna.", {"name": "Dee Orr", "city": "Vienna"}),
    ("Eve Kim lives in Madrid.", {"name": "Eve Kim", "city": "Madrid"}),
]


def test_the_first_record_that_moves_a_value_is_the_models_and_every_later_one_is_reused() -> None:
    got = _run(_schema(name="string", city="string"), "Extract name and city as JSON.", PEOPLE)
    assert got[:2] == [("model", False), ("model", False)]
    assert got[2:] == [("reuse", False), ("reuse", False)]


def test_without_corroboration_the_second_record_is_reused_at_once() -> None:
    got = _run(_schema(name="string", city="string"), "Extract name and city as JSON.", PEOPLE, corroborate=False)
    assert got[1:] == [("reuse", False)] * 3


def test_only_the_keys_an_agreeing_answer_moved_are_vouched_for() -> None:
    # the second record moves the age only: a third that moves it again is reused, a fourth that moves the city
    # (never moved by an agreeing answer) is the model's, and vouches for it
    records = [
        ("Ann Lee, 30, lives in Paris.", {"name": "Ann Lee", "age": 30, "city": "Paris"}),
        ("Ann Lee, 31, lives in Paris.", {"name": "Ann Lee", "age": 31, "city": "Paris"}),
        ("Ann Lee, 32, lives in Paris.", {"name": "Ann Lee", "age": 32, "city": "Paris"}),
        ("Ann Lee, 33, lives in Rome.", {"name": "Ann Lee", "age": 33, "city": "Rome"}),
        ("Ann Lee, 34, lives in Oslo.", {"name": "Ann Lee", "age": 34, "city": "Oslo"}),
    ]
    got = _run(_schema(name="string", age="integer", city="string"), "Extract name, age and city as JSON.", records)
    assert got == [("model", False), ("model", False), ("reuse", False), ("model", False), ("reuse", False)]


def test_a_key_corroborated_at_a_record_where_it_stayed_is_not_vouched_for() -> None:
    # Paris at both of the first records: the city's form was never tried; a third record moving it is the model's
    records = [
        ("Ann Lee lives in Paris.", {"name": "Ann Lee", "city": "Paris"}),
        ("Bob Ray lives in Paris.", {"name": "Bob Ray", "city": "Paris"}),
        ("Dee Orr lives in London.", {"name": "Dee Orr", "city": "Londres"}),
    ]
    got = _run(_schema(name="string", city={"type": "string", "description": "都市名（フランス語で）"}), "Extract.", records)
    assert all(not wrong for _, wrong in got)
    assert got[2] == ("model", False)


# a form asked in words no list holds; the first record already had the form, later ones need another
FORMS_UNREAD = {
    "a description in Japanese": _schema(name="string", city={"type": "string", "description": "都市名（フランス語で）"}),
    "a paraphrase of a language": _schema(
        name="string", city={"type": "string", "description": "the city's name as locals write it"}
    ),
    "a form shown only in examples": _schema(name="string", city={"type": "string", "examples": ["Londres", "Vienne"]}),
}
FRENCH = [
    ("Ann Lee lives in Paris.", {"name": "Ann Lee", "city": "Paris"}),
    ("Bob Ray lives in London.", {"name": "Bob Ray", "city": "Londres"}),
    ("Dee Orr lives in Vienna.", {"name": "Dee Orr", "city": "Vienne"}),
    ("Eve Kim lives in Madrid.", {"name": "Eve Kim", "city": "Madrid"}),
]


@pytest.mark.parametrize("corroborate", [True, False], ids=["default", "checks alone"])
@pytest.mark.parametrize("case", sorted(FORMS_UNREAD))
def test_a_form_asked_in_words_no_check_reads_is_never_served_wrong(case: str, corroborate: bool) -> None:
    # the checks alone served the first record's form for the others until a description in words that say more
    # than which value, in any language, and a schema that shows examples were read by the gate (see ``UNREAD``)
    got = _run(FORMS_UNREAD[case], "Extract name and city as JSON.", FRENCH, corroborate=corroborate)
    assert sum(wrong for _, wrong in got) == 0, got


STATIONS = [
    ("Ann Lee lives in Oslo, near the Lyon station.", {"name": "Ann Lee", "city": "Oslo"}),
    ("Bob Ray lives in Rome, near the Paris station.", {"name": "Bob Ray", "city": "Rome"}),
    ("Dee Orr lives in Bern, near the Milan station.", {"name": "Dee Orr", "city": "Bern"}),
    ("Eve Kim lives in Graz, near the Turin station.", {"name": "Eve Kim", "city": "Graz"}),
    ("Fay Orr lives in Bonn, near the Lille station.", {"name": "Fay Orr", "city": "Bonn"}),
]


def test_a_slip_on_a_record_with_two_candidates_is_not_carried_to_later_records() -> None:
    slip = {"Ann Lee lives in Oslo, near the Lyon station.": {"name": "Ann Lee", "city": "Lyon"}}
    got = _run(_schema(name="string", city="string"), "Extract name and city as JSON.", STATIONS, slip)
    # the slip is never served for another record: each right answer that follows contradicts it (the model's
    # answer puts another word in the slip's slot) and is refused, none served wrong (open: the refusals go on
    # until the slip's entry is evicted; nothing tells which of the two answers is the slip)
    assert got == [("model", False)] * 5


def test_without_corroboration_the_slip_is_not_carried_either() -> None:
    # the checks alone carried it before: "Lyon" and "Oslo" are values alike, and the name no value holds beside
    # them changed (Oslo to Rome), so which one the city is cannot be told and the model answers (helper-125's class)
    slip = {"Ann Lee lives in Oslo, near the Lyon station.": {"name": "Ann Lee", "city": "Lyon"}}
    got = _run(_schema(name="string", city="string"), "Extract name and city as JSON.", STATIONS, slip, corroborate=False)
    assert sum(wrong for _, wrong in got) == 0, got


def test_a_code_where_the_agreeing_records_wrote_a_name_is_never_carried() -> None:
    # "Full state name" (a form no list holds); the first two records write it in full and agree, the third writes
    # the code: copying "NV" into the name's place would be grounded and wrong
    records = [
        ("Ann Lee moved to Nevada.", {"name": "Ann Lee", "state": "Nevada"}),
        ("Bob Ray moved to Texas.", {"name": "Bob Ray", "state": "Texas"}),
        ("Dee Orr moved to NV.", {"name": "Dee Orr", "state": "Nevada"}),
        ("Eve Kim moved to Ohio.", {"name": "Eve Kim", "state": "Ohio"}),
    ]
    schema = _schema(name="string", state={"type": "string", "description": "Full state name"})
    got = _run(schema, "Extract name and state as JSON.", records)
    assert sum(wrong for _, wrong in got) == 0, got
    assert got[1] == ("model", False) and got[3] == ("reuse", False)


# helper-116's attack on the rule: records that corroborated a key already had the asked form, then one that does
# not; each grid served 2 of 2 (or 3 of 3) wrong before values were vouched for by kind and answers could veto
KINDS = {
    "ISO dates shown only in examples, then another date layout": (
        _schema(name="string", date={"type": "string", "examples": ["2024-01-31"]}),
        [
            ("Ann Lee was born on 2020-01-05.", {"name": "Ann Lee", "date": "2020-01-05"}),
            ("Bob Ray was born on 2021-03-07.", {"name": "Bob Ray", "date": "2021-03-07"}),
            ("Dee Orr was born on 2022/03/07.", {"name": "Dee Orr", "date": "2022-03-07"}),
            ("Eve Kim was born on 07.03.2019.", {"name": "Eve Kim", "date": "2019-03-07"}),
        ],
    ),
    "a name asked as on a passport (nested), then one with a title": (
        {
            "type": "object",
            "properties": {
                "person": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string", "description": "the person's name as on a passport"},
                        "city": {"type": "string"},
                    },
                    "required": ["name", "city"],
                }
            },
            "required": ["person"],
        },
        [
            ("Ann Lee lives in Paris.", {"person": {"name": "Ann Lee", "city": "Paris"}}),
            ("Bob Ray lives in Rome.", {"person": {"name": "Bob Ray", "city": "Rome"}}),
            ("Prof Dee Orr lives in Bern.", {"person": {"name": "Dee Orr", "city": "Bern"}}),
            ("Sir Eve Kim lives in Oslo.", {"person": {"name": "Eve Kim", "city": "Oslo"}}),
        ],
    ),
    "English names shown in examples, then a name with letters beyond ASCII": (
        _schema(name="string", city={"type": "string", "examples": ["Munich", "Cologne"]}),
        [
            ("Ann Lee lives in Berlin.", {"name": "Ann Lee", "city": "Berlin"}),
            ("Bob Ray lives in Bonn.", {"name": "Bob Ray", "city": "Bonn"}),
            ("Dee Orr lives in München.", {"name": "Dee Orr", "city": "Munich"}),
            ("Eve Kim lives in Köln.", {"name": "Eve Kim", "city": "Cologne"}),
        ],
    ),
    "a form the model showed once (Londres), then records that need no change": (
        _schema(name="string", city={"type": "string", "description": "都市名（フランス語で）"}),
        [
            ("Ann Lee lives in Paris.", {"name": "Ann Lee", "city": "Paris"}),
            ("Bob Ray lives in London.", {"name": "Bob Ray", "city": "Londres"}),
            ("Cal Day lives in Nice.", {"name": "Cal Day", "city": "Nice"}),
            ("Dee Orr lives in Rome.", {"name": "Dee Orr", "city": "Rome"}),
            ("Eve Kim lives in Vienna.", {"name": "Eve Kim", "city": "Vienne"}),
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(KINDS))
def test_a_value_of_a_kind_no_agreeing_answer_showed_is_never_served_wrong(case: str) -> None:
    schema, records = KINDS[case]
    got = _run(schema, "Extract the fields as JSON.", records)
    assert sum(wrong for _, wrong in got) == 0, got


def test_a_key_renamed_is_a_slot_of_its_own_even_on_the_same_record() -> None:
    # "price" read as "price_cents" on the same records: the same 5 is another value there (helper-116: 2 of 2)
    a, b = _schema(item="string", price="number"), _schema(item="string", price_cents="number")
    records = [
        (a, "The pen costs 5 dollars.", {"item": "pen", "price": 5}),
        (a, "The cup costs 7 dollars.", {"item": "cup", "price": 7}),
        (b, "The pen costs 5 dollars.", {"item": "pen", "price_cents": 500}),
        (b, "The cup costs 7 dollars.", {"item": "cup", "price_cents": 700}),
        (b, "The box costs 9 dollars.", {"item": "box", "price_cents": 900}),
    ]
    asked: list[dict[str, Any]] = []  # the right answer to the request being asked

    def model(spec: GenerationSpec) -> str:
        return json.dumps(asked[-1])

    engine = StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder(), backend=ScriptedBackend(respond=model))
    wrong = 0
    for schema, text, answer in records:
        asked.append(answer)
        try:
            out = engine.run(Request(f"Extract the fields as JSON. Text: {text}", schema=schema))
        except UnverifiedOutputError:
            continue
        wrong += out.trace.backend_calls == 0 and json.loads(out.text) != answer
    assert wrong == 0


def test_kinds_read_the_shape_a_form_may_turn_on() -> None:
    from stepcache_core.tasks.json.corroborate import kind

    assert kind("2021-03-07") == kind("2024-12-31") != kind("2022/03/07")
    assert kind("Bob Ray") == kind("Ana Ruiz") != kind("Prof Dee Orr")
    assert kind("Berlin") != kind("München") and kind("NV") != kind("Nevada")
    assert kind("Jean-Luc O'Neil") == kind("Ana Ruiz") and kind(3) == kind(4.5) != kind(True)


FRENCH_CITIES = _schema(name="string", city={"type": "string", "description": "都市名（フランス語で）"})
RIGHT_FRENCH = {
    "Ann Lee lives in Paris.": {"name": "Ann Lee", "city": "Paris"},
    "Cal Day lives in Nice.": {"name": "Cal Day", "city": "Nice"},
    "Bob Ray lives in London.": {"name": "Bob Ray", "city": "Londres"},
    "Dr Dee Orr lives in London.": {"name": "Dr Dee Orr", "city": "Londres"},
    "Eve Kim lives in Vienna.": {"name": "Eve Kim", "city": "Vienne"},
    "Fay Orr lives in Brussels.": {"name": "Fay Orr", "city": "Bruxelles"},
}
LATER_FRENCH = ("Eve Kim lives in Vienna.", "Fay Orr lives in Brussels.")


def _french_wrong(engine: StepCacheEngine) -> int:
    """How many of the later records ``engine`` serves wrong from the cache."""
    wrong = 0
    for text in LATER_FRENCH:
        try:
            out = engine.run(Request(f"Extract the fields as JSON. Text: {text}", schema=FRENCH_CITIES))
        except UnverifiedOutputError:
            continue
        wrong += out.trace.backend_calls == 0 and json.loads(out.text) != RIGHT_FRENCH[text]
    return wrong


def test_a_veto_reaches_every_entry_of_the_structure() -> None:
    # helper-117 (2 of 2 wrong): Paris and Nice agree, so both entries serve the city; a record whose name is of a
    # new kind goes to the model, which writes "Londres": the veto was written on the newest entry only, and the
    # older one served "Vienna" and "Brussels"
    def model(spec: GenerationSpec) -> str:
        return json.dumps(RIGHT_FRENCH[max((t for t in RIGHT_FRENCH if t in spec.prompt), key=len)], ensure_ascii=False)

    engine = StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder(), backend=ScriptedBackend(respond=model))
    for text in ("Ann Lee lives in Paris.", "Cal Day lives in Nice.", "Dr Dee Orr lives in London."):
        try:
            engine.run(Request(f"Extract the fields as JSON. Text: {text}", schema=FRENCH_CITIES))
        except UnverifiedOutputError:
            pass  # "Londres" is not in the record: refused, and still a veto
    assert _french_wrong(engine) == 0


def test_a_veto_written_while_another_answer_is_on_its_way_is_kept() -> None:
    # helper-117 (2 of 2 wrong): X (Nice, a slow model) and Y (London -> "Londres") look the Paris entry up
    # together; Y vetoes the city, then X's agreeing answer wrote back the entry it had read (the veto lost) and its
    # own entry inherited no veto
    answered = threading.Event()

    class Parallel:  # a model server that answers calls in parallel
        name = "parallel-fake"

        def complete(self, spec: GenerationSpec) -> Completion:
            text = max((t for t in RIGHT_FRENCH if t in spec.prompt), key=len)
            if text.startswith("Cal Day"):
                answered.wait(10)
            return Completion(json.dumps(RIGHT_FRENCH[text], ensure_ascii=False), 1, 1, 0.01)

    engine = StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder(), backend=Parallel())

    def ask(text: str) -> None:
        try:
            engine.run(Request(f"Extract the fields as JSON. Text: {text}", schema=FRENCH_CITIES))
        except UnverifiedOutputError:
            pass

    ask("Ann Lee lives in Paris.")
    slow = threading.Thread(target=ask, args=("Cal Day lives in Nice.",))
    slow.start()
    time.sleep(0.3)
    ask("Bob Ray lives in London.")
    answered.set()
    slow.join(20)
    assert _french_wrong(engine) == 0


def test_a_unit_after_a_number_is_read_as_written() -> None:
    # helper-117 (2 of 2 wrong, with the checks alone too): "68 degrees Fahrenheit" where "20 degrees Celsius"
    # stood was a capitalised word read as a name; 68 was served for a temperature asked in Celsius
    schema = _schema(city="string", temp={"type": "number", "description": "temperature in degrees Celsius"})
    records = [
        ("Oslo was 20 degrees Celsius today.", {"city": "Oslo", "temp": 20}),
        ("Rome was 25 degrees Celsius today.", {"city": "Rome", "temp": 25}),
        ("Bern was 68 degrees Fahrenheit today.", {"city": "Bern", "temp": 20}),
        ("Graz was 86 degrees Fahrenheit today.", {"city": "Graz", "temp": 30}),
    ]
    for corroborate in (True, False):
        got = _run(schema, "Extract the fields as JSON.", records, corroborate=corroborate)
        assert sum(wrong for _, wrong in got) == 0, (corroborate, got)


def test_a_repaired_answer_that_agrees_corroborates() -> None:
    # a weak model's first answer to the second record fails (not JSON); its repaired answer agrees with the entry
    # re-derived: the third record is reused (on Gemma, "Elena Diaz" always needed a repair, and nothing was reused)
    answers = {
        "Ann Lee lives in Paris.": ['{"name": "Ann Lee", "city": "Paris"}'],
        "Bob Ray lives in Rome.": ["Sure! name: Bob Ray", '{"name": "Bob Ray", "city": "Rome"}'],
    }

    def model(spec: GenerationSpec) -> str:
        text = max((t for t in answers if t in spec.prompt), key=len)
        return answers[text].pop(0) if len(answers[text]) > 1 else answers[text][0]

    engine = StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder(), backend=ScriptedBackend(respond=model))
    for text in answers:
        engine.run(Request(f"Extract name and city as JSON. Text: {text}", schema=_schema(name="string", city="string")))
    out = engine.run(
        Request("Extract name and city as JSON. Text: Dee Orr lives in Bern.", schema=_schema(name="string", city="string"))
    )
    assert out.trace.path == "reuse" and json.loads(out.text) == {"name": "Dee Orr", "city": "Bern"}


def test_the_models_answer_to_a_request_that_asks_for_a_form_is_served_as_written() -> None:
    # "Translate the city name into French.": the model's right answer ("Londres") is no copy of the record, which
    # the checks refuse; the task's repairs would ask for a copy. Before, the caller got UnverifiedOutputError where
    # its model had answered right; now the model's answer, unverified, as it wrote it (and its exact repeat)
    right = {
        "Bob Ray lives in London.": {"name": "Bob Ray", "city": "Londres"},
        "Dee Orr lives in Vienna.": {"name": "Dee Orr", "city": "Vienne"},
    }
    calls: list[str] = []

    def model(spec: GenerationSpec) -> str:
        calls.append(spec.prompt)
        return json.dumps(right[max((t for t in right if t in spec.prompt), key=len)], ensure_ascii=False)

    engine = StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder(), backend=ScriptedBackend(respond=model))
    ask = "Extract name and city as JSON. Translate the city name into French. Text: {}"
    schema = _schema(name="string", city="string")
    for text, answer in right.items():
        out = engine.run(Request(ask.format(text), schema=schema))
        assert json.loads(out.text) == answer and not out.trace.verified and out.trace.backend_calls == 1
    again = engine.run(Request(ask.format("Bob Ray lives in London."), schema=schema))
    assert json.loads(again.text) == right["Bob Ray lives in London."] and len(calls) == 2


def test_a_slip_kept_where_the_names_around_it_changed_is_never_served() -> None:
    # helper-118's review: "in Oslo, near the Lyon station" answered "Lyon" (a slip, grounded); for "in Bergen, near
    # the Lyon station" the adapter keeps "Lyon" (still grounded) and no value moved, so nothing waited for a second
    # answer: the slip was served. A name no value holds that changed around a value that stays reads it anew
    records = [
        ("Ann Lee lives in Oslo, near the Lyon station.", {"name": "Ann Lee", "city": "Oslo"}),
        ("Ann Lee lives in Bergen, near the Lyon station.", {"name": "Ann Lee", "city": "Bergen"}),
        ("Ann Lee lives in Graz, near the Lyon station.", {"name": "Ann Lee", "city": "Graz"}),
    ]
    slip = {records[0][0]: {"name": "Ann Lee", "city": "Lyon"}}
    got = _run(_schema(name="string", city="string"), "Extract name and city as JSON.", records, slip)
    assert sum(wrong for _, wrong in got) == 0, got


# one of two values alike picked by how the record's numbers compare (helper-122, helper-123: the third record was
# served the first person, two agreeing records having vouched for a pick by position): by a threshold the schema
# states, in digits or in words, by one no word states ("the adult"), by a result ("the winner"), the deciding
# number held by another key, one-word names, a number picked among numbers
PICKED = {
    "over a threshold the description states": (
        _schema(name={"type": "string", "description": "Full name of the applicant aged over 65"}),
        "{} is {} and {} is {}.",
        lambda a, b: a > 65,
    ),
    "under a threshold, in the schema's description": (
        {**_schema(name={"type": "string", "description": "full name"}), "description": "The applicant under 18."},
        "{} is {} and {} is {}.",
        lambda a, b: a < 18,
    ),
    "by a threshold no word states": (
        _schema(adult_name={"type": "string", "description": "Name of the adult"}),
        "{} is {} and {} is {}.",
        lambda a, b: a >= 18,
    ),
    "by a result": (
        _schema(winner={"type": "string", "description": "Name of the player who won"}),
        "{} scored {} points and {} scored {} points.",
        lambda a, b: a > b,
    ),
    "by a result, one-word names": (
        _schema(winner={"type": "string", "description": "the city that won the vote"}),
        "{} got {} votes and {} got {} votes.",
        lambda a, b: a > b,
    ),
}
# the same picks written otherwise (helper-124): the numbers in brackets, in clauses of their own, in sentences apart
PICKED_FORMS = {
    "in brackets": "{} ({}) and {} ({}) applied.",
    "in clauses": "{}, aged {}, and {}, who is {}, applied.",
    "in sentences apart": "{} applied last week at {}. The second applicant, {}, turned {} in May.",
}
PAIRS = [("Ann Lee", 70, "Bob Ray", 12), ("Carl Dow", 81, "Dana Fox", 11), ("Eve Hart", 9, "Fay Gold", 68),
         ("Gus Kim", 77, "Hal Moss", 15), ("Ida Orr", 14, "Jon Pike", 90), ("Kay Lu", 16, "Max Ng", 8)]  # fmt: skip
CITIES = {"Ann Lee": "Paris", "Bob Ray": "Rome", "Carl Dow": "Oslo", "Dana Fox": "Lima", "Eve Hart": "Cairo",
          "Fay Gold": "Dublin", "Gus Kim": "Madrid", "Hal Moss": "Vienna", "Ida Orr": "Bern", "Jon Pike": "Graz",
          "Kay Lu": "Kyiv", "Max Ng": "Quito"}  # fmt: skip


@pytest.mark.parametrize("case", sorted(PICKED))
def test_a_value_picked_among_values_alike_by_the_records_numbers_is_never_served_wrong(case: str) -> None:
    schema, record, first = PICKED[case]
    key = next(iter(schema["properties"]))
    named = (lambda n: CITIES[n]) if "one-word" in case else (lambda n: n)
    records = [(record.format(named(a), x, named(b), y), {key: named(a) if first(x, y) else named(b)}) for a, x, b, y in PAIRS]
    got = _run(schema, "Extract the data as JSON.", records)
    assert sum(wrong for _, wrong in got) == 0, got


@pytest.mark.parametrize("form", sorted(PICKED_FORMS))
def test_a_pick_by_numbers_written_otherwise_is_never_served_wrong(form: str) -> None:
    schema = PICKED["over a threshold the description states"][0]
    template = PICKED_FORMS[form]
    records = [(template.format(a, x, b, y), {"name": a if x > 65 else b}) for a, x, b, y in PAIRS]
    got = _run(schema, "Extract the data as JSON.", records)
    assert sum(wrong for _, wrong in got) == 0, got


def test_a_pick_by_a_weekday_is_never_served_wrong() -> None:
    # nothing but words picks here (helper-124): which of two people booked first in the week
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    rows = [("Ann Lee", 0, "Bob Ray", 3), ("Gus Kim", 1, "Hal Moss", 4), ("Carl Dow", 4, "Dana Fox", 0),
            ("Ivy Park", 2, "Jon Bell", 3), ("Eve Hart", 3, "Fay Gold", 1)]  # fmt: skip
    schema = _schema(name={"type": "string", "description": "the person who booked first in the week"})
    records = [(f"{a} booked on {days[x]} and {b} booked on {days[y]}.", {"name": a if x < y else b}) for a, x, b, y in rows]
    got = _run(schema, "Extract the data as JSON.", records)
    assert sum(wrong for _, wrong in got) == 0, got


# a value picked by a label that moved, or among candidates the names' shape does not show (helper-125): each
# (schema, records with the right value), the last record the first with its labels or numbers swapped
RELABELLED = {
    "a price by its plan": (
        _schema(price={"type": "number", "description": "Monthly price of the Pro plan in dollars"}),
        [("The Basic plan costs $30 and the Pro plan costs $50.", 50), ("The Basic plan costs $20 and the Pro plan costs $45.", 45),
         ("The Basic plan costs $25 and the Pro plan costs $60.", 60), ("The Pro plan costs $30 and the Basic plan costs $50.", 30)],
    ),
    "a share by its party": (
        _schema(share={"type": "number", "description": "vote share of the Green party in percent"}),
        [("The Labour party won 45% and the Green party won 12%.", 12), ("The Labour party won 40% and the Green party won 15%.", 15),
         ("The Labour party won 38% and the Green party won 11%.", 11), ("The Green party won 45% and the Labour party won 12%.", 45)],
    ),
    "a price by its plan, in Spanish": (
        _schema(precio={"type": "number", "description": "precio mensual del plan Pro en euros"}),
        [("El plan Básico cuesta 30 € y el plan Pro cuesta 50 €.", 50), ("El plan Básico cuesta 20 € y el plan Pro cuesta 45 €.", 45),
         ("El plan Básico cuesta 25 € y el plan Pro cuesta 60 €.", 60), ("El plan Pro cuesta 30 € y el plan Básico cuesta 50 €.", 30)],
    ),
    "a time by its weekday": (
        _schema(time={"type": "string", "description": "Start time of the Friday meeting (HH:MM)"}),
        [("Meetings: Monday at 09:30 and Friday at 14:00.", "14:00"), ("Meetings: Monday at 08:00 and Friday at 15:30.", "15:30"),
         ("Meetings: Monday at 10:15 and Friday at 16:45.", "16:45"), ("Meetings: Friday at 09:30 and Monday at 14:00.", "09:30")],
    ),
    "a user name in lower case": (
        _schema(username={"type": "string", "description": "username of the member aged over 65"}),
        [("Members: jsmith, age 70; mlee, age 30.", "jsmith"), ("Members: adoe, age 81; bkim, age 44.", "adoe"),
         ("Members: cray, age 77; dlu, age 15.", "cray"), ("Members: jsmith, age 30; mlee, age 70.", "mlee")],
    ),
    "a shorter other name": (
        _schema(name={"type": "string", "description": "Full name of the applicant aged over 65"}),
        [("Ann Lee is 70 and Bob is 30.", "Ann Lee"), ("Carl Dow is 81 and Dan is 44.", "Carl Dow"),
         ("Gus Kim is 77 and Hal is 15.", "Gus Kim"), ("Ann Lee is 30 and Bob is 70.", "Bob")],
    ),
}  # fmt: skip


@pytest.mark.parametrize("corroborate", [True, False])
@pytest.mark.parametrize("case", sorted(RELABELLED))
def test_a_value_picked_by_a_label_or_among_candidates_of_another_shape_is_never_served_wrong(
    case: str, corroborate: bool
) -> None:
    schema, rows = RELABELLED[case]
    key = next(iter(schema["properties"]))
    got = _run(schema, "Extract the data as JSON.", [(text, {key: value}) for text, value in rows], corroborate=corroborate)
    assert sum(wrong for _, wrong in got) == 0, got


def test_the_models_pick_of_a_longer_name_than_the_cached_one_is_served() -> None:
    # helper-125: "Ann" cached, then "Bob Ray" right for the swapped ages: refused as standing elsewhere
    schema = PICKED["over a threshold the description states"][0]
    right = {"Ann is 70 and Bob Ray is 30.": "Ann", "Ann is 30 and Bob Ray is 70.": "Bob Ray"}
    engine = StepCacheEngine(
        store=MemoryStore(),
        embedder=HashEmbedder(),
        backend=ScriptedBackend(respond=lambda spec: json.dumps({"name": right[next(t for t in right if t in spec.prompt)]})),
    )
    for text, name in right.items():
        out = engine.run(Request(f"Extract the data as JSON. Text: {text}", schema=schema))
        assert json.loads(out.text) == {"name": name}


def test_a_pick_among_values_alike_is_reused_where_the_numbers_stay() -> None:
    # the same ages under other names: whichever rule picked Ann picks the one in her place
    schema = PICKED["over a threshold the description states"][0]
    records = [(f"{a} is 70 and {b} is 12.", {"name": a}) for a, _, b, _ in PAIRS[:4]]
    got = _run(schema, "Extract the data as JSON.", records)
    assert got[2:] == [("reuse", False), ("reuse", False)], got


def test_a_number_picked_among_numbers_alike_is_never_served_wrong() -> None:
    schema = _schema(top_price={"type": "integer", "description": "the price of the premium plan, the expensive one"})
    records = [
        (f"One plan costs ${a} and the other costs ${b}.", {"top_price": max(a, b)})
        for a, b in [(30, 50), (20, 45), (10, 70), (80, 20), (90, 40)]
    ]
    got = _run(schema, "Extract the data as JSON.", records)
    assert sum(wrong for _, wrong in got) == 0, got


def test_a_pick_among_candidates_with_no_number_beside_them_stays_reusable() -> None:
    # the control: two people and no number; which one is meant follows the words around them
    records = [
        ("Ann Lee sent a parcel to Bob Ray.", {"sender": "Ann Lee"}),
        ("Carl Dow sent a parcel to Dana Fox.", {"sender": "Carl Dow"}),
        ("Eve Hart sent a parcel to Fay Gold.", {"sender": "Eve Hart"}),
    ]
    got = _run(_schema(sender={"type": "string", "description": "who sends the parcel"}), "Extract as JSON.", records)
    assert got == [("model", False), ("model", False), ("reuse", False)]


# a value the schema lists (an enum) that the model chooses for a record (helper-122: refused on a miss, the model
# right; helper-123: carried to a record that says the word for something else): top-level, optional, nested in an
# object, in a list, a number
AGES = [(34, "Ann Lee"), (41, "Bob Ray"), (52, "Cy Dow"), (9, "Dee Orr"), (7, "Eve Kim"), (60, "Fay Orr")]
GROUP = {"type": "string", "enum": ["child", "adult"]}
JUDGED = {
    "an enum": (_schema(name="string", age_group=GROUP), lambda g: {"age_group": g}),
    "an optional enum": (
        _schema(name="string", age_group={"anyOf": [{"$ref": "#/$defs/Group"}, {"type": "null"}]}) | {"$defs": {"Group": GROUP}},
        lambda g: {"age_group": g},
    ),
    "an enum in a nested object": (
        _schema(name="string", person={"type": "object", "properties": {"age_group": GROUP}, "required": ["age_group"]}),
        lambda g: {"person": {"age_group": g}},
    ),
    "a list of enums": (_schema(name="string", groups={"type": "array", "items": GROUP}), lambda g: {"groups": [g]}),
    "a number enum": (
        _schema(name="string", priority={"type": "integer", "enum": [1, 2, 3]}),
        lambda g: {"priority": 1 if g == "adult" else 3},
    ),
    # helper-125: refused on a miss, the model right (UnverifiedOutputError): options listed only in the key's
    # description, and a root that points at its definition (pydantic's recursive model) read as having no keys
    "options in the description": (
        _schema(name="string", age_group={"type": "string", "description": "'child' or 'adult'"}),
        lambda g: {"age_group": g},
    ),
    "options in an optional key's description": (
        _schema(
            name="string", age_group={"anyOf": [{"type": "string"}, {"type": "null"}], "description": 'one of "child", "adult"'}
        ),
        lambda g: {"age_group": g},
    ),
    "a root $ref": (
        {"$ref": "#/$defs/Person", "$defs": {"Person": _schema(name="string", age_group=GROUP)}},
        lambda g: {"age_group": g},
    ),
    "a root allOf": (
        {"allOf": [{"$ref": "#/definitions/Person"}], "definitions": {"Person": _schema(name="string", age_group=GROUP)}},
        lambda g: {"age_group": g},
    ),
}


@pytest.mark.parametrize(
    "elsewhere",
    ["", " She works at a child care center.", " He signed up for an adult class.", " Session: {other}."],
)
@pytest.mark.parametrize("case", sorted(JUDGED))
def test_a_value_the_schema_lists_and_the_model_chooses_is_served_and_never_carried(case: str, elsewhere: str) -> None:
    schema, value = JUDGED[case]
    # (the last: the enum's word in the record, the other one than the right answer, moving with it: helper-124)
    records = [
        (
            f"{name} is {age} years old.{elsewhere.format(other='child' if age >= 18 else 'adult')}",
            {"name": name, **value("adult" if age >= 18 else "child")},
        )
        for age, name in AGES
    ]
    got = _run(schema, "Extract the JSON.", records)
    assert sum(wrong for _, wrong in got) == 0, got
    engine = StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder(), backend=ScriptedBackend([json.dumps(records[0][1])]))
    out = engine.run(Request(f"Extract the JSON. Text: {records[0][0]}", schema=schema))
    assert json.loads(out.text) == records[0][1] and out.trace.verified  # the model's choice, served and kept


# ---------------------------------------------------- what the record says beside its values (helper-127, both modes)
# each: schema, instruction, records with their right answers asked in turn: the first two alike (the second
# corroborates the first), then one where what the record says beside the values changed the answer
BESIDE = {
    # a label's one word that a yes/no, a null or a left-out key follows from, read as an interchangeable name
    "a label's state word decides a yes/no": (
        _schema(name="string", has_subscription="boolean"),
        "Extract the data as JSON.",
        [("Customer: Ann Lee. Subscription: Premium.", {"name": "Ann Lee", "has_subscription": True}),
         ("Customer: Dee Fox. Subscription: Premium.", {"name": "Dee Fox", "has_subscription": True}),
         ("Customer: Bob Ray. Subscription: None.", {"name": "Bob Ray", "has_subscription": False}),
         ("Customer: Cy Orr. Subscription: Cancelled.", {"name": "Cy Orr", "has_subscription": False})],
    ),
    "a label's state word decides a null": (
        _schema(customer="string", refund_amount={"type": ["number", "null"], "description": "null if no refund"}),
        "Extract the data as JSON.",
        [("Customer: Ann Lee; Amount: $30; Status: Refunded.", {"customer": "Ann Lee", "refund_amount": 30}),
         ("Customer: Dee Fox; Amount: $60; Status: Refunded.", {"customer": "Dee Fox", "refund_amount": 60}),
         ("Customer: Bob Ray; Amount: $45; Status: Shipped.", {"customer": "Bob Ray", "refund_amount": None})],
    ),
    "a label's unit": (
        _schema(route="string", distance_km="number"),
        "Extract the data as JSON.",
        [("Route R1: distance 10 (unit: Kilometres).", {"route": "R1", "distance_km": 10}),
         ("Route R2: distance 10 (unit: Kilometres).", {"route": "R2", "distance_km": 10}),
         ("Route R3: distance 10 (unit: Miles).", {"route": "R3", "distance_km": 16.09})],
    ),
    # a number the request states, which the record's numbers are weighed against
    "a threshold in a key's description, its number held by no key": (
        _schema(name={"type": ["string", "null"], "description": "Full name of the applicant if aged 65 or above, else null"}),
        "Extract the data as JSON.",
        [("Ann Lee, aged 70, applied today.", {"name": "Ann Lee"}),
         ("Dee Fox, aged 70, applied today.", {"name": "Dee Fox"}),
         ("Bob Ray, aged 30, applied today.", {"name": None})],
    ),
    # a negation in the clause after a yes/no field's word, said of another key
    "a negation beside another key's yes/no": (
        _schema(name="string", vegan="boolean", allergy={"type": ["string", "null"]}),
        "Extract the data as JSON.",
        [("Ann Lee is vegan, allergic to nuts.", {"name": "Ann Lee", "vegan": True, "allergy": "nuts"}),
         ("Carl Dow is vegan, allergic to nuts.", {"name": "Carl Dow", "vegan": True, "allergy": "nuts"}),
         ("Bob Ray is vegan, not allergic to nuts.", {"name": "Bob Ray", "vegan": True, "allergy": None}),
         ("Eve Hart is vegan, never allergic to nuts.", {"name": "Eve Hart", "vegan": True, "allergy": None})],
    ),
    # a computed value equal to a stated one only beside 1 or 0
    "a quantity of one": (
        _schema(order="string", unit_price={"type": "number", "description": "price of one item"}),
        "Extract the data as JSON.",
        [("Order A-100: qty 1, total $30.", {"order": "A-100", "unit_price": 30}),
         ("Order A-200: qty 1, total $45.", {"order": "A-200", "unit_price": 45}),
         ("Order A-300: qty 2, total $50.", {"order": "A-300", "unit_price": 25})],
    ),
    "a discount of 0%": (
        _schema(item="string", amount_due="number"),
        "Extract the data as JSON.",
        [("Item Lamp X1: list price $30, discount 0%.", {"item": "Lamp X1", "amount_due": 30}),
         ("Item Desk Z2: list price $80, discount 0%.", {"item": "Desk Z2", "amount_due": 80}),
         ("Item Sofa Q3: list price $50, discount 10%.", {"item": "Sofa Q3", "amount_due": 45})],
    ),
    # a copied date that reads alike in either order
    "a date whose day is its month": (
        _schema(order="string", date={"type": "string", "description": "order date written month/day/year"}),
        "Extract the data as JSON.",
        [("Order A-1 placed 05/05/2024.", {"order": "A-1", "date": "05/05/2024"}),
         ("Order A-2 placed 07/07/2024.", {"order": "A-2", "date": "07/07/2024"}),
         ("Order A-3 placed 25/12/2024.", {"order": "A-3", "date": "12/25/2024"})],
    ),
}  # fmt: skip


@pytest.mark.parametrize("corroborate", [True, False], ids=["default", "checks alone"])
@pytest.mark.parametrize("case", sorted(BESIDE))
def test_what_the_record_or_request_says_beside_the_values_is_read_before_a_reuse(case: str, corroborate: bool) -> None:
    """Classes (helper-127, both modes, every route): a value follows from words or numbers no key holds, which the
    record check took for interchangeable names or numbers; each was served as the cached record's."""
    schema, instruction, records = BESIDE[case]
    got = _run(schema, instruction, records, corroborate=corroborate)
    assert sum(wrong for _, wrong in got) == 0, got


def test_a_record_whose_other_words_stay_is_still_reused_beside_a_label() -> None:
    """Control: the same label layout with the state word kept, another customer and amount, is served."""
    schema = _schema(customer="string", refund_amount={"type": ["number", "null"], "description": "amount refunded"})
    records = [
        (f"Customer: {name}; Amount: ${amount}; Status: Refunded.", {"customer": name, "refund_amount": amount})
        for name, amount in [("Ann Lee", 30), ("Bob Ray", 45), ("Cy Orr", 60), ("Dee Fox", 75)]
    ]
    got = _run(schema, "Extract the order as JSON.", records)
    assert sum(wrong for _, wrong in got) == 0 and any(path == "reuse" for path, _ in got), got


# ------------------------------------------------------------ a key renamed into its opposite (helper-127)
def _alike(a: str, b: str) -> float:
    return 0.9  # as MiniLM rates seller/buyer (0.83), landlord/tenant (0.84), start/end date (0.64)


OPPOSITES = {
    "seller -> buyer": ("Ann Lee sold a bike to Bob Ray.", "item", "bike", ("seller", "Ann Lee"), ("buyer", "Bob Ray")),
    "landlord -> tenant": ("Lease: Ann Lee rents flat 4B to Bob Ray.", "flat", "4B", ("landlord", "Ann Lee"), ("tenant", "Bob Ray")),
    "start -> end": ("Booking B-7: 2024-05-01 until 2024-05-09.", "booking", "B-7", ("start_date", "2024-05-01"), ("end_date", "2024-05-09")),
    "width -> height": ("Frame F2 is 30 cm wide and 45 cm high.", "frame", "F2", ("width", 30), ("height", 45)),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(OPPOSITES))
def test_a_key_renamed_into_one_that_may_name_another_value_of_the_record_is_not_carried(case: str) -> None:
    """Class: names that embed alike may be opposites; the cached value is carried to the new name only where the
    record holds no rival of its kind (or the text labels it with the new name), else the model answers."""
    text, key, value, (old_key, old_value), (new_key, new_value) = OPPOSITES[case]
    kind_of = "integer" if isinstance(old_value, int) else "string"
    old = parse_json_problem(Request(f"Extract as JSON. Text: {text}", schema=_schema(**{key: "string", old_key: kind_of})))
    new = parse_json_problem(Request(f"Extract as JSON. Text: {text}", schema=_schema(**{key: "string", new_key: kind_of})))
    cached = JsonObjectSegmenter().segment(json.dumps({key: value, old_key: old_value}))
    adapted = JsonAdapter().adapt(old, new, cached, AdaptContext(similarity=_alike))
    assert {s.key: s.value for s in adapted} == {key: value}  # the new key is left to the model
    steps = JsonObjectSegmenter().segment(json.dumps({key: value, new_key: new_value}), origin="generated")
    assert not JsonCarryover().stale(old, new, cached, steps, steps[0].text)  # its right answer is not refused


def test_a_key_renamed_where_the_record_holds_no_rival_is_still_carried() -> None:
    """Control: ``city`` -> ``town`` where the record names one place: carried, as before."""
    text = "Extract as JSON. Text: Alice Martin is 31 years old and lives in Lyon."
    old = parse_json_problem(Request(text, schema=_schema(name="string", city="string")))
    new = parse_json_problem(Request(text, schema=_schema(name="string", town="string")))
    cached = JsonObjectSegmenter().segment(json.dumps({"name": "Alice Martin", "city": "Lyon"}))
    adapted = JsonAdapter().adapt(old, new, cached, AdaptContext(similarity=_alike))
    assert {s.key: s.value for s in adapted} == {"name": "Alice Martin", "town": "Lyon"}


# ------------------------------------------- the same classes in other layouts and phrasings (helper-128, both modes)
def _state(layout: str) -> tuple[dict[str, Any], str, list[tuple[str, dict[str, Any]]]]:
    schema = _schema(order="string", refund_amount={"type": ["number", "null"], "description": "amount refunded, null if none"})
    rows = [("A-100", 30, "Refund Issued", 30), ("A-200", 60, "Refund Issued", 60), ("A-300", 45, "Refund Denied", None)]
    records = [(f"Order {o}; Amount: ${a}; " + layout.format(s) + ".", {"order": o, "refund_amount": r}) for o, a, s, r in rows]
    return schema, "Extract the data as JSON.", records


ELSEWHERE = {
    **{f"a label's value {layout[7:-3] or 'colon'} ({layout.format('...')})": _state(layout)
       for layout in ("Status: {}", "Status - {}", "Status={}", "Status ({})", "Status | {}", 'Status: "{}"')},
    "a condition without a number in a key's description": (
        _schema(name={"type": ["string", "null"], "description": "full name of the applicant if an adult, else null"}),
        "Extract the data as JSON.",
        [("Ann Lee, aged 40, applied today.", {"name": "Ann Lee"}), ("Carl Dow, aged 52, applied today.", {"name": "Carl Dow"}),
         ("Bob Ray, aged 12, applied today.", {"name": None})],
    ),
    "a bound in a tool's description": (
        {**_schema(order_id="string", refund={"type": ["number", "null"]}),
         "description": "Refunds are allowed only for orders up to $100; above that, the refund is null."},
        "Extract the data as JSON.",
        [("Order A-1 cost $40.", {"order_id": "A-1", "refund": 40}), ("Order A-2 cost $60.", {"order_id": "A-2", "refund": 60}),
         ("Order A-4 cost $400.", {"order_id": "A-4", "refund": None})],
    ),
    "a sign glued to its number": (
        _schema(order="string", value="string"),
        "Extract the data as JSON.",
        [("Order A-1: value $40.", {"order": "A-1", "value": "$40"}), ("Order A-2: value $60.", {"order": "A-2", "value": "$60"}),
         ("Order A-3: value 75%.", {"order": "A-3", "value": "75%"}), ("Order A-4: value 80%.", {"order": "A-4", "value": "80%"})],
    ),
    "a kept value of zero": (
        _schema(route="string", distance_km="number"),
        "Extract the data as JSON.",
        [("Route R1: 0 miles.", {"route": "R1", "distance_km": 0}), ("Route R2: 0 miles.", {"route": "R2", "distance_km": 0}),
         ("Route R3: 10 miles.", {"route": "R3", "distance_km": 16.09})],
    ),
    "a date asked day first": (
        _schema(order="string", date={"type": "string", "description": "delivery date written day first (day/month/year)"}),
        "Extract the data as JSON.",
        [("Order A-1 delivered 13/05/2024.", {"order": "A-1", "date": "13/05/2024"}),
         ("Order A-2 delivered 14/06/2024.", {"order": "A-2", "date": "14/06/2024"}),
         ("Order A-3 delivered 05/13/2024.", {"order": "A-3", "date": "13/05/2024"})],
    ),
    # helper-130: a copy that was a computation beside 100 or 60 ("out of 100", "in 60 minutes"), and a date
    # order said as "MM-DD-YY"
    "a score out of 100": (
        _schema(student="string", score_percent="number"),
        "Extract the data as JSON.",
        [("Ann Lee scored 45 out of 100.", {"student": "Ann Lee", "score_percent": 45}),
         ("Bob Ray scored 30 out of 100.", {"student": "Bob Ray", "score_percent": 30}),
         ("Cal Ito scored 30 out of 50.", {"student": "Cal Ito", "score_percent": 60})],
    ),
    "a distance in 60 minutes": (
        _schema(car="string", speed_kmh="number"),
        "Extract the data as JSON.",
        [("Car A-1 drove 80 km in 60 minutes.", {"car": "A-1", "speed_kmh": 80}),
         ("Car B-2 drove 50 km in 60 minutes.", {"car": "B-2", "speed_kmh": 50}),
         ("Car C-3 drove 50 km in 30 minutes.", {"car": "C-3", "speed_kmh": 100})],
    ),
    "a date asked as MM-DD-YY": (
        _schema(order="string", date={"type": "string", "description": "delivery date as MM-DD-YY"}),
        "Extract the data as JSON.",
        [("Order A-1 delivered 05-13-24.", {"order": "A-1", "date": "05-13-24"}),
         ("Order A-2 delivered 06-14-24.", {"order": "A-2", "date": "06-14-24"}),
         ("Order A-3 delivered 13-06-24.", {"order": "A-3", "date": "06-13-24"})],
    ),
    "options asked as a question": (
        _schema(name="string", group={"type": "string", "description": "is the person a child or an adult?"}),
        "Extract the data as JSON.",
        [("Ann Lee, 34, signed up for the adult swim session.", {"name": "Ann Lee", "group": "adult"}),
         ("Carl Dow, 41, signed up for the adult swim session.", {"name": "Carl Dow", "group": "adult"}),
         ("Bob Ray, 9, signed up for the adult swim session.", {"name": "Bob Ray", "group": "child"})],
    ),
    "a condition said with 'when ..., else null'": (
        _schema(applicant={"type": ["string", "null"], "description": "the applicant's name when a senior citizen, else null"},
                age="integer"),
        "Extract the data as JSON.",
        [("Ann Lee, age 70, applied for the pass.", {"applicant": "Ann Lee", "age": 70}),
         ("Carl Dow, age 72, applied for the pass.", {"applicant": "Carl Dow", "age": 72}),
         ("Bob Ray, age 30, applied for the pass.", {"applicant": None, "age": 30})],
    ),
    "an optional key's value in parentheses after its name": (
        {"type": "object", "properties": {"name": {"type": "string"}, "employer": {"type": "string"}}, "required": ["name"]},
        "Extract the data as JSON.",
        [("Name: Ann Lee. Employer (None).", {"name": "Ann Lee"}), ("Name: Carl Dow. Employer (None).", {"name": "Carl Dow"}),
         ("Name: Bob Ray. Employer (Google).", {"name": "Bob Ray", "employer": "Google"})],
    ),
    "a negation after a yes/no field's word": (
        _schema(name="string", vegan="boolean", allergy={"type": ["string", "null"]}),
        "Extract the data as JSON.",
        [("Ann Lee is vegan and allergic to nuts.", {"name": "Ann Lee", "vegan": True, "allergy": "nuts"}),
         ("Carl Dow is vegan and allergic to nuts.", {"name": "Carl Dow", "vegan": True, "allergy": "nuts"}),
         ("Bob Ray is vegan and not allergic to nuts.", {"name": "Bob Ray", "vegan": True, "allergy": None})],
    ),
    "options without quotes in a key's description": (
        _schema(name="string", group={"type": "string", "description": "age group: child or adult"}),
        "Extract the data as JSON.",
        [("Ann Lee, 34, signed up for the adult swim session.", {"name": "Ann Lee", "group": "adult"}),
         ("Carl Dow, 41, signed up for the adult swim session.", {"name": "Carl Dow", "group": "adult"}),
         ("Bob Ray, 9, signed up for the adult swim session.", {"name": "Bob Ray", "group": "child"})],
    ),
}  # fmt: skip


@pytest.mark.parametrize("corroborate", [True, False], ids=["default", "checks alone"])
@pytest.mark.parametrize("case", sorted(ELSEWHERE))
def test_the_classes_of_what_is_said_beside_the_values_in_other_layouts(case: str, corroborate: bool) -> None:
    """Classes (helper-128, against the rules above: 8 classes, 40 phrasings served wrong): a label's value after a
    dash, an equals sign, in parentheses or quotes, in two words; a condition said in words ("if an adult") or in
    a tool's description; "$ 60" for "$60"; a kept 0 ("0 miles" for 0 km); a date already in the order asked; a
    negation after a yes/no field's word; options listed without quotes. None is served wrong."""
    schema, instruction, records = ELSEWHERE[case]
    got = _run(schema, instruction, records, corroborate=corroborate)
    assert sum(wrong for _, wrong in got) == 0, got


def test_a_key_renamed_by_its_name_alone_is_carried_only_where_a_second_answer_may_corroborate_it() -> None:
    """Class (helper-128, checks alone): "Ann Lee sold a bike." with ``seller`` cached, asked for ``buyer``: the
    record names no buyer, no rival stands beside the seller, and names that embed alike carried her over. Without
    corroboration, a rename is carried only where the text labels the value with the new name."""
    text = "Extract as JSON. Text: Ann Lee sold a bike."
    old = parse_json_problem(Request(text, schema=_schema(item="string", seller="string")))
    new = parse_json_problem(Request(text, schema=_schema(item="string", buyer="string")))
    cached = JsonObjectSegmenter().segment(json.dumps({"item": "bike", "seller": "Ann Lee"}))
    assert [s.key for s in JsonAdapter(renames_by_similarity=False).adapt(old, new, cached, AdaptContext(similarity=_alike))] == [
        "item"
    ]
    opener = "Extract as JSON. Text: Bob bought a bike from Ann."  # the rival opens the sentence
    old = parse_json_problem(Request(opener, schema=_schema(item="string", seller="string")))
    new = parse_json_problem(Request(opener, schema=_schema(item="string", buyer="string")))
    cached = JsonObjectSegmenter().segment(json.dumps({"item": "bike", "seller": "Ann"}))
    assert [s.key for s in JsonAdapter().adapt(old, new, cached, AdaptContext(similarity=_alike))] == ["item"]


# ------------------------------------ what the request or the answer says that no value holds (helper-134, both modes)
def _lives(*cities: tuple[str, str, str], after: str = "", **described: Any) -> list[tuple[str, dict[str, Any]]]:
    return [(f"{name} lives in {city}.{after}", {"name": name, "city": answer}) for name, city, answer in cities]


_CITIES = (("Ann Lee", "Paris", "Paris"), ("Bob Ray", "Berlin", "Berlin"), ("Dee Fox", "Madrid", "Madrid"))
UNREAD = {
    # an instruction after the record, in words of no plain request: every record holds it as written
    "an instruction after the record": (
        _schema(name="string", city="string"), "Extract the data as JSON.",
        _lives(*_CITIES, ("Cal Ito", "Rome", "Roma"), after=" Cities as the locals write them."), None,
    ),
    "an instruction on its own line after the record": (
        _schema(customer="string"), "Extract the data as JSON.",
        [(f"Customer {n} paid.\nOmit honorifics.", {"customer": v})
         for n, v in (("Ann Lee", "Ann Lee"), ("Bob Ray", "Bob Ray"), ("Dee Fox", "Dee Fox"), ("Dr Ito", "Ito"))], None,
    ),
    "a bound after the record": (
        {"type": "object", "properties": {"items": {"type": "array", "items": _schema(name="string", price="number")}},
         "required": ["items"]},
        "Extract the data as JSON.",
        [(f"Receipt: {n} ${p}. Items over $10 only.", {"items": [{"name": n, "price": p}] if p > 10 else []})
         for n, p in (("lamp", 40), ("sofa", 90), ("desk", 70), ("pen", 3))], None,
    ),
    # a description that asks for a form or a part, in words of no list of forms
    "a city described as the locals write it": (
        _schema(name="string", city={"type": "string", "description": "the city as the locals write it"}),
        "Extract the data as JSON.", _lives(*_CITIES, ("Cal Ito", "Rome", "Roma")), None,
    ),
    "a name described without an honorific": (
        _schema(customer={"type": "string", "description": "customer name without any honorific"}),
        "Extract the data as JSON.",
        [(f"Customer {n} paid.", {"customer": v})
         for n, v in (("Ann Lee", "Ann Lee"), ("Bob Ray", "Bob Ray"), ("Dee Fox", "Dee Fox"), ("Dr Ito", "Ito"))], None,
    ),
    "a domain described as a part of the address": (
        _schema(name="string", domain={"type": "string", "description": "the domain part of the customer's email address"}),
        "Extract the data as JSON.",
        [(f"{n} wrote from {d}.", {"name": n, "domain": d.split("@")[-1]})
         for n, d in (("Ann Lee", "acme.com"), ("Bob Ray", "globex.com"), ("Dee Fox", "initech.com"), ("Cal Ito", "cal@umbrella.com"))],
        None,
    ),
    # a key whose name asks for a part, where the cached records stated the part alone
    "a key named for a part of an address": (
        _schema(name="string", email_domain="string"), "Extract the data as JSON.",
        [(f"{n} wrote from {d}.", {"name": n, "email_domain": d.split("@")[-1]})
         for n, d in (("Ann Lee", "acme.com"), ("Bob Ray", "globex.com"), ("Cal Ito", "cal@umbrella.com"))], None,
    ),
    "a key named for a part of a date": (
        _schema(name="string", birth_year="string"), "Extract the data as JSON.",
        [(f"{n} was born in {d}.", {"name": n, "birth_year": d[:4]})
         for n, d in (("Ann Lee", "1980"), ("Bob Ray", "1975"), ("Cal Ito", "1985-03-02"))], None,
    ),
    "a key named for a part of a phone number": (
        _schema(name="string", area_code="string"), "Extract the data as JSON.",
        [(f"{n}: phone area {d}.", {"name": n, "area_code": d[:3]})
         for n, d in (("Ann Lee", "212"), ("Bob Ray", "415"), ("Cal Ito", "617-555-0100"))], None,
    ),
    "a key named for a part of a name": (
        _schema(first_name="string", amount="number"), "Extract the data as JSON.",
        [(f"{n} paid ${a}.", {"first_name": n.split()[0], "amount": a})
         for n, a in (("Ann", 40), ("Bob", 55), ("Cal Ito", 70))], None,
    ),
    # the same, inside the values' sentence, as a label, in brackets (helper-135)
    "an instruction in the values' sentence": (
        _schema(name="string", city="string"), "Extract the data as JSON.",
        [(f"{n} lives in {c}; write cities as the locals do.", {"name": n, "city": v})
         for n, c, v in (*_CITIES, ("Cal Ito", "Rome", "Roma"))], None,
    ),
    "an instruction as a label": (
        _schema(customer="string"), "Extract the data as JSON.",
        [(f"Customer {n} paid.\nTitles: none.", {"customer": v})
         for n, v in (("Ann Lee", "Ann Lee"), ("Bob Ray", "Bob Ray"), ("Dee Fox", "Dee Fox"), ("Dr Ito", "Ito"))], None,
    ),
    "a bound in brackets": (
        {"type": "object", "properties": {"items": {"type": "array", "items": _schema(name="string", price="number")}},
         "required": ["items"]},
        "Extract the data as JSON.",
        [(f"Receipt (items over $10 only): {n} ${p}.", {"items": [{"name": n, "price": p}] if p > 10 else []})
         for n, p in (("lamp", 40), ("sofa", 90), ("desk", 70), ("pen", 3))], None,
    ),
    **{f"a city described {how}": (
        _schema(name="string", city={"type": "string", "description": text}),
        "Extract the data as JSON.", _lives(*_CITIES, ("Cal Ito", "Rome", "Roma")), None,
    ) for how, text in (("by the language spoken there", "the city name in the language spoken there"),
                        ("in French", "nom de la ville dans la langue du pays"))},
    "a name described with no honorific": (
        _schema(customer={"type": "string", "description": "the customer's name with no honorific"}),
        "Extract the data as JSON.",
        [(f"Customer {n} paid.", {"customer": v})
         for n, v in (("Ann Lee", "Ann Lee"), ("Bob Ray", "Bob Ray"), ("Dee Fox", "Dee Fox"), ("Dr Ito", "Ito"))], None,
    ),
    "a surname described": (
        _schema(customer={"type": "string", "description": "the customer's surname"}, amount="number"),
        "Extract the data as JSON.",
        [(f"{n} paid ${a}.", {"customer": n.split()[-1], "amount": a}) for n, a in (("Lee", 40), ("Ray", 55), ("Cal Ito", 70))],
        None,
    ),
    # a key named for a part, where the value gains one without a mark of the earlier rows (helper-135)
    **{f"a key named {key}": (
        _schema(name="string", **{key: "string"}), "Extract the data as JSON.",
        [(f"{n}: {key.replace('_', ' ')} {v}.", {"name": n, key: right})
         for n, v, right in rows], None,
    ) for key, rows in (
        ("hour", (("Ann Lee", "14", "14"), ("Bob Ray", "9", "9"), ("Cal Ito", "14h30", "14"))),
        ("tld", (("Ann Lee", "com", "com"), ("Bob Ray", "org", "org"), ("Cal Ito", "umbrella.co.uk", "uk"))),
        ("initial", (("Ann Lee", "B", "B"), ("Bob Ray", "D", "D"), ("Cal Ito", "Cal", "C"))),
        ("surname", (("Ann Lee", "Lee", "Lee"), ("Bob Ray", "Ray", "Ray"), ("Cal Ito", "Cal Ito", "Ito"))),
        ("zip5", (("Ann Lee", "10001", "10001"), ("Bob Ray", "60601", "60601"), ("Cal Ito", "941051234", "94105"))),
    )},
    "a note judging in plain words": (
        _schema(customer="string", age="integer"), "Extract the data as JSON.",
        [(f"{n}, {a}, joined the club.", {"customer": n, "age": a})
         for n, a in (("Ann Lee", 12), ("Bob Ray", 14), ("Eve Hart", 13), ("Dee Fox", 40))],
        {f"{n}, {a}, joined the club.": "\n\nNote: the customer is not of age."
         for n, a in (("Ann Lee", 12), ("Bob Ray", 14), ("Eve Hart", 13))} | {"Dee Fox, 40, joined the club.": ""},
    ),
    # the same in layouts the rules above let through (helper-136)
    **{f"a city {how}": (
        _schema(name="string", city=node), "Extract the data as JSON.", _lives(*_CITIES, ("Cal Ito", "Rome", "Roma")), None,
    ) for how, node in (
        ("described in a relative clause", {"type": "string", "description": "the city, where its name is in the tongue spoken there"}),
        ("titled only", {"type": "string", "title": "City as the locals write it"}),
        ("with a hint outside the description", {"type": "string", "hint": "cities as the locals write them"}),
        ("with examples", {"type": "string", "examples": ["Roma", "München"]}),
        ("described by its original name", {"type": "string", "description": "the city's original name"}),
    )},
    "a rule as a field with a capitalised value": (
        _schema(name="string", city="string"), "Extract the data as JSON.",
        _lives(*_CITIES, ("Cal Ito", "Rome", "Roma"), after=" Cities: Local Spelling."), None,
    ),
    "a rule before a colon": (
        _schema(name="string", city="string"), "Extract the data as JSON.",
        [(f"Cities in local spelling: {n} lives in {c}.", {"name": n, "city": v}) for n, c, v in (*_CITIES, ("Cal Ito", "Rome", "Roma"))],
        None,
    ),
    "a rule inside the values' clause": (
        _schema(name="string", city="string"), "Extract the data as JSON.",
        [(f"{n} lives in {c} and wants cities spelled as the locals do.", {"name": n, "city": v})
         for n, c, v in (*_CITIES, ("Cal Ito", "Rome", "Roma"))], None,
    ),
    "a key named in one word for a part": (
        _schema(lastname="string", amount="number"), "Extract the data as JSON.",
        [(f"{n} paid ${a}.", {"lastname": n.split()[-1], "amount": a}) for n, a in (("Lee", 40), ("Ray", 55), ("Cal Ito", 70))],
        None,
    ),
    "a note restating a value and judging": (
        _schema(customer="string", age="integer"), "Extract the data as JSON.",
        [(f"{n}, age {a}, from Canada.", {"customer": n, "age": a})
         for n, a in (("Ann Lee", 12), ("Bob Ray", 14), ("Eve Hart", 13), ("Dee Fox", 40))],
        {f"{n}, age {a}, from Canada.": "\n\nThe customer from Canada is not of age."
         for n, a in (("Ann Lee", 12), ("Bob Ray", 14), ("Eve Hart", 13))} | {"Dee Fox, age 40, from Canada.": ""},
    ),
    # a form asked by a key's name, a short title, a rule in plain and key words, words the new record says
    # (helper-137)
    **{f"a city {how}": (
        _schema(name="string", **node), "Extract the data as JSON.", [
            (t, {"name": a["name"], next(iter(node)): a["city"]}) for t, a in _lives(*_CITIES, ("Cal Ito", "Rome", "Roma"))],
        None,
    ) for how, node in (
        ("under a key that asks a form", {"city_local_spelling": {"type": "string"}}),
        ("titled in two words", {"city": {"type": "string", "title": "Local Spelling"}}),
        ("described as people call it", {"city": {"type": "string", "description": "the city as someone who lives there writes it"}}),
        ("described by who uses the name", {"city": {"type": "string", "description": "the city name used by people who live there"}}),
        ("with a format of its own", {"city": {"type": "string", "format": "endonym"}}),
        ("described as written by someone", {"city": {"type": "string", "description": "the city as written by someone who lives there"}}),
        ("with hints in a list", {"city": {"type": "string", "x-hints": ["City as the people who live there write it."]}}),
        ("described with a verb that translates", {"city": {"type": "string", "description": "translate the city for the people there"}}),
    )},
    "a rule joined to the values' clause": (
        _schema(name="string", city="string"), "Extract the data as JSON.",
        [(f"{n} lives in {c} and please give the city in the language spoken there.", {"name": n, "city": v})
         for n, c, v in (*_CITIES, ("Cal Ito", "Rome", "Roma"))], None,
    ),
    "a rule in plain and key words after the record": (
        _schema(name="string", city="string"), "Extract the data as JSON.",
        _lives(*_CITIES, ("Cal Ito", "Rome", "Roma"), after=" City names as the country writes them."), None,
    ),
    "a description naming a word only the new record says": (
        _schema(customer={"type": "string", "description": "the customer name with no Dr"}),
        "Extract the data as JSON.",
        [(f"Customer {n} paid.", {"customer": v})
         for n, v in (("Ann Lee", "Ann Lee"), ("Bob Ray", "Bob Ray"), ("Dee Fox", "Dee Fox"), ("Dr Ito", "Ito"))], None,
    ),
    "a code of digits under any key": (
        _schema(customer="string", exchange="string"), "Extract the data as JSON.",
        [(f"{n}: phone area {d}.", {"customer": n, "exchange": d[:3]})
         for n, d in (("Ann", "212"), ("Bob", "415"), ("Dee", "305"), ("Cal", "6175550100"))], None,
    ),
    # a note around the object that judges the record in words of neither record
    "a note judging an amount": (
        _schema(order="string", amount="number"), "Extract the data as JSON.",
        [(f"Order {o} totals ${a}.", {"order": o, "amount": a}) for o, a in (("A-1", 4000), ("A-2", 5200), ("A-3", 6100), ("A-4", 12))],
        {f"Order {o} totals ${a}.": "\n\nThis is a high-value order; a manager should approve it." for o, a in
         (("A-1", 4000), ("A-2", 5200), ("A-3", 6100))} | {"Order A-4 totals $12.": ""},
    ),
    "a note judging a place": (
        _schema(customer="string", country="string"), "Extract the data as JSON.",
        [(f"{n} ships to {c}.", {"customer": n, "country": c})
         for n, c in (("Ann Lee", "France"), ("Bob Ray", "Italy"), ("Dee Fox", "Spain"), ("Cal Ito", "Japan"))],
        {f"{n} ships to {c}.": "\n(Inside the EU: no customs declaration needed.)"
         for n, c in (("Ann Lee", "France"), ("Bob Ray", "Italy"), ("Dee Fox", "Spain"))} | {"Cal Ito ships to Japan.": ""},
    ),
}  # fmt: skip


@pytest.mark.parametrize("corroborate", [True, False], ids=["default", "checks alone"])
@pytest.mark.parametrize("case", sorted(UNREAD))
def test_what_the_request_or_the_answer_says_that_no_value_holds_is_never_served_stale(case: str, corroborate: bool) -> None:
    """Classes (helper-134, both modes, LangChain and LlamaIndex too): an instruction the record's span took in, a
    description or a key name that asks for a part or another form, a note around the object: each met the cached
    records by a copy (Paris is Paris in French, the cached records stated the domain alone, the note was true of
    them) and was served for a record it does not fit. None is served wrong now."""
    schema, instruction, records, notes = UNREAD[case]
    got = _run(schema, instruction, records, corroborate=corroborate, notes=notes)
    assert sum(wrong for _, wrong in got) == 0, got


def test_plain_descriptions_leads_and_shared_sentences_still_let_a_record_be_reused() -> None:
    """Control: descriptions that say which value ("who placed the order", "the person's full name", "amount in
    dollars, null if none"), a plain sentence every record holds, a model's lead-in and close: still served."""
    schema = _schema(
        customer={"type": "string", "description": "the person's full name, who placed the order"},
        amount={"type": ["number", "null"], "description": "the amount paid, in dollars, null if none"},
    )
    rows = [("Ann Lee", 30), ("Bob Ray", 45), ("Cy Orr", 60), ("Dee Fox", 75)]
    records = [(f"Customer {n} paid ${a}.\nExtract every field.", {"customer": n, "amount": a}) for n, a in rows]
    for close in (
        "Let me know if you need anything else.",
        "All fields were found in the text.",
        "I hope this is what you were looking for.",
    ):
        notes = {t: f"\n\n{close}" for t, _ in records}
        got = _run(schema, "Here is the record.", records, corroborate=False, notes=notes)
        assert sum(wrong for _, wrong in got) == 0 and any(path == "reuse" for path, _ in got), (close, got)


# a city as the request asks it: the first records' cities need no change, later ones do ("Roma": "Rome")
OFFICE_CITIES = [
    ("Munich", "Munich"),
    ("Berlin", "Berlin"),
    ("Hamburg", "Hamburg"),
    ("Roma", "Rome"),
    ("Firenze", "Florence"),
    ("Napoli", "Naples"),
    ("Paris", "Paris"),
    ("Venezia", "Venice"),
    ("Lisboa", "Lisbon"),
]
FORM_KEYS = [
    "city_anglicized",
    "anglicized_city",
    "city_international",
    "city_ascii",
    "city_latinized",
    "city_translated",
    "city_standardized",
    "city_simplified",
    "city_as_known_abroad",
    "city_common",
    "city_popular_name",
    "CityGlobalStyle",
]


@pytest.mark.parametrize("corroborate", [True, False], ids=["default", "checks alone"])
@pytest.mark.parametrize("key", FORM_KEYS)
def test_a_key_name_whose_words_ask_a_form_no_list_holds_is_never_served_a_copy(key: str, corroborate: bool) -> None:
    """Class (helper-173, this stop): a key's name that asks a form in words no list of the gate held
    ("city_anglicized", "city_common", "city_as_known_abroad"), at the first word or the last. The first records'
    copies fitted ("Munich"); the next records' were served as written ("Roma", where the model writes "Rome"): 5
    wrong of 7 served with probes, 5 of 8 with checks alone. A key's words are read the closed way a description's
    are (``gate.unplain_key_word``)."""
    records = [(f"Our office moved to {city} last spring.", {key: asked}) for city, asked in OFFICE_CITIES]
    got = _run(_schema(**{key: "string"}), "Extract the JSON.", records, corroborate=corroborate)
    assert sum(wrong for _, wrong in got) == 0, got


@pytest.mark.parametrize(
    "key", ["city", "office_city", "new_city", "destination_city", "city_moved_to", "relocation_city", "cityName"]
)
def test_a_key_name_that_only_says_which_value_is_still_reused(key: str) -> None:
    """Control: key names that say which value in a record's or a plain request's words, or name a role by an
    agent noun, still let a later record be served."""
    records = [(f"Our office moved to {city} last spring.", {key: city}) for city, _ in OFFICE_CITIES]
    got = _run(_schema(**{key: "string"}), "Extract the JSON.", records)
    assert sum(wrong for _, wrong in got) == 0 and any(path == "reuse" for path, _ in got), got


def test_a_key_name_is_read_at_any_depth_and_its_parts_and_roles_pass() -> None:
    """The closed reading finds an item's key in a list of objects; a part the adapter keeps one word
    ("area_code", "first_name"), an agent noun ("interviewer") and a word both records say pass."""
    nested = _schema(offices={"type": "array", "items": _schema(city_anglicized="string", staff="integer")})
    problem = parse_json_problem(Request("Extract the JSON. Text: Offices in Roma (4 staff).", schema=nested))
    assert unplain_key_word(problem) == "anglicized"
    plain = _schema(area_code="string", first_name="string", interviewer="string", refund_amount="number")
    problem = parse_json_problem(Request("Extract the JSON. Text: Refunded 30 to Ann, 0161.", schema=plain))
    assert unplain_key_word(problem) is None


@pytest.mark.parametrize("corroborate", [True, False], ids=["default", "checks alone"])
def test_a_whole_number_after_decimal_ones_is_the_models_to_write(corroborate: bool) -> None:
    """Class (helper-176): the cached answers held decimals (7.5, 8.25 points); a record that says "9 points" was
    served 9.0 where the model writes 9 (2 false of 3 served, 2 of 4 checks alone). A whole number the cached
    answers never showed is left to the model."""
    rows = [("Ann Lee", 7.5), ("Bob Ray", 8.25), ("Dee Orr", 9), ("Cy Fox", 6.75), ("Eve Hart", 10)]
    records = [(f"{name} scored {score} points.", {"name": name, "score": score}) for name, score in rows]
    got = _run(_schema(name="string", score="number"), "Extract the JSON.", records, corroborate=corroborate)
    assert sum(wrong for _, wrong in got) == 0, got
