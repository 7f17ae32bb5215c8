"""Equations and JSON records: classes of input that served a wrong answer from the cache, found by probing the
tasks with unseen inputs and a model that answers every request right. Each test counts what was served from the
cache and the wrong answers among it (0), and fails on the code before its fix.

Classes: a decimal written without its leading zero (".5x"); a factorial ("= 4!"); an answer line stating a
relation no check evaluates ("x = 5 ≥ 0", "|x| = 5", "x = 14/3 ∈ ℤ", "≈ 35"); a JSON schema that changes outside
its keys (its description, title or the definitions a key points to); a negation added in the clause of a value
the reuse keeps ("Bruno no longer works at Initech").
"""

from __future__ import annotations

import json
import re
from fractions import Fraction
from typing import Any

import pytest
import sympy

from stepcache_core import EngineConfig, Request, StepCacheEngine
from stepcache_core.errors import UnverifiedOutputError
from stepcache_core.fakes import HashEmbedder, MemoryStore, ScriptedBackend
from stepcache_core.tasks import TaskRegistry, builtin_tasks
from stepcache_core.tasks.equation.verify import final_answer
from stepcache_core.values import GenerationSpec


def engine_for(respond, tasks: TaskRegistry | None = None) -> tuple[StepCacheEngine, ScriptedBackend]:
    backend = ScriptedBackend(respond=respond)
    engine = StepCacheEngine(
        store=MemoryStore(),
        embedder=HashEmbedder(),
        backend=backend,
        config=EngineConfig(similarity_threshold=0.3),
        tasks=tasks,
    )
    return engine, backend


def root_of(prompt: str) -> Fraction:
    """The request's linear equation solved from its own text: ``.5`` is one half, ``4!`` is 24."""
    m = re.search(r"Solve for x: (.+)$", prompt)
    assert m is not None, prompt
    left, right = m.group(1).split("=")
    x = sympy.Symbol("x")

    def read(side: str) -> sympy.Expr:
        side = re.sub(r"(\d+)!", lambda n: str(sympy.factorial(int(n.group(1)))), side)
        side = re.sub(r"(?<![\d.])\.(\d)", r"0.\1", side)
        side = re.sub(r"(\d(?:\.\d+)?)x", r"\1*x", side)
        return sympy.nsimplify(sympy.sympify(side))

    (root,) = sympy.solve(sympy.Eq(read(left), read(right)), x)
    return Fraction(int(root.p), int(root.q))


def served_wrong(engine: StepCacheEngine, prompts: list[str]) -> tuple[int, int]:
    served = wrong = 0
    for prompt in prompts:
        out = engine.run(Request(prompt))
        stated = final_answer(re.sub(r"\s*≈.*$", "", out.text.strip().splitlines()[-1]), "x")
        right = stated is not None and len(stated) == 1 and Fraction(str(stated[0])) == root_of(prompt)
        if out.trace.backend_calls == 0:
            served += 1
            wrong += not right
        else:
            assert right, (prompt, out.text)
    return served, wrong


def solved(answer_tail: str = ""):
    """A model solving ``a x + b = c`` right, in two lines, with ``answer_tail`` after its final line."""

    def respond(spec: GenerationSpec) -> str:
        root = root_of(spec.prompt)
        shown = str(root.numerator) if root.denominator == 1 else f"{root.numerator}/{root.denominator}"
        return f"x = {shown}{answer_tail}"

    return respond


@pytest.mark.parametrize(
    "first, variants",
    [
        # a decimal without its leading zero: read as 5x before, and the engine's own solve of 5x + 2 = 9 was served
        ("Solve for x: 0.5x + 2 = 9", ["Solve for x: .5x + 2 = 9", "Solve for x: .25x + 2 = 9", "Solve for x: .5x + 3 = 9"]),
        ("Solve for x: .5x + 2 = 9", ["Solve for x: .25x + 2 = 9", "Solve for x: .2x + 1 = 9"]),
        # a factorial: read as an exclamation mark before ("x + 3 = 4!" solved as x = 1)
        ("Solve for x: x + 3 = 4!", ["Solve for x: x + 3 = 5!", "Solve for x: x + 4 = 4!"]),
    ],
)
def test_numbers_are_read_as_written(first, variants):
    engine, _ = engine_for(solved())
    _, wrong = served_wrong(engine, [first, *variants])
    assert wrong == 0


@pytest.mark.parametrize("tail", [" ≥ 0", " \\neq 0", " ∈ ℤ", " (so x > 1)", " => x > 1", "\n|x| = 5"])
def test_a_relation_no_check_evaluates_is_never_served_for_other_numbers(tail):
    """Class: the cached answer states a relation beside its value ("x = 5 ≥ 0", "|x| = 5", "x = 5 ∈ ℤ"): its
    numbers were adapted as if they were the equation's and the relation never evaluated ("x = -5 ≥ 0",
    "|x| = 35", "x = 14/3 ∈ ℤ" served). Such a line is unreadable: the answer is not reused for other numbers."""

    def respond(spec: GenerationSpec) -> str:
        return "3x = 15\nx = 5" + tail if "3x + 5 = 20" in spec.prompt else solved()(spec)

    engine, _ = engine_for(respond)
    prompts = ["Solve for x: 3x + 5 = 20"] + [f"Solve for x: 3x + {b} = 20" for b in (35, 20, 8, 6)]
    served = []
    for prompt in prompts:
        out = engine.run(Request(prompt))
        if out.trace.backend_calls == 0:
            served.append(out.text)
    assert not any(re.search(r"[≥∈>|]|neq", text) for text in served)


def test_an_approximation_is_checked_not_carried():
    """Class: "x = 13/3 ≈ 4.33", a rounding after the exact value: checked against the value (a wrong one fails),
    and never re-derived into another value's place ("x = -5 ≈ 35" was served)."""
    from .test_equation_notation import passes

    assert passes("Solve for x: 3x + 7 = 20", "3x = 13\nx = 13/3 ≈ 4.33")
    assert passes("Solve for x: 3x + 7 = 20", "3x = 13\n\\(x = \\frac{13}{3} \\approx 4.333\\)")
    assert not passes("Solve for x: 3x + 7 = 20", "3x = 13\nx = 13/3 ≈ 4.5")

    def respond(spec: GenerationSpec) -> str:
        root = root_of(spec.prompt)
        return f"x = {root.numerator}/{root.denominator} ≈ {float(root):.2f}" if root.denominator != 1 else f"x = {root}"

    engine, _ = engine_for(respond)
    _, wrong = served_wrong(engine, [f"Solve for x: 3x + {b} = 20" for b in (7, 35, 8, 11, 1)])
    assert wrong == 0


# ------------------------------------------------------------------------------------------------------ JSON
PARTY = {"type": "object", "properties": {"name": {"type": "string"}, "city": {"type": "string"}}, "required": ["name", "city"]}
PARCEL = re.compile(r"(\w+) in (\w+) sends a parcel to (\w+) in (\w+)")


def party_model(spec: GenerationSpec) -> str:
    m = PARCEL.search(spec.prompt)
    assert m is not None
    schema = json.dumps(spec.json_schema or {}) + spec.prompt
    name, city = (m[3], m[4]) if "receives" in schema else (m[1], m[2])
    return json.dumps({"p": name} if '"p"' in schema else {"name": name, "city": city})


@pytest.mark.parametrize(
    "sender, receiver",
    [
        (
            {**PARTY, "description": "The person who sends the parcel"},
            {**PARTY, "description": "The person who receives the parcel"},
        ),
        ({**PARTY, "title": "Sender"}, {**PARTY, "title": "Sender (the one who receives)"}),
        (
            {
                "type": "object",
                "properties": {"p": {"$ref": "#/$defs/P"}},
                "$defs": {"P": {"description": "who sends", "type": "string"}},
            },
            {
                "type": "object",
                "properties": {"p": {"$ref": "#/$defs/P"}},
                "$defs": {"P": {"description": "who receives", "type": "string"}},
            },
        ),
    ],
)
def test_a_schema_changed_outside_its_keys_is_another_request(sender, receiver):
    """Class: the schema's own description, title or a definition a key's ``$ref`` points to changes ("the person
    who sends" / "who receives"): the sender's record was served for the receiver. The schema without its keys
    must now be the same."""
    engine, backend = engine_for(party_model)
    text = "Extract the record as JSON. Text: {} in {} sends a parcel to {} in {}."
    engine.run(Request(text.format("Alice", "Lyon", "Bob", "Oslo"), schema=sender, task="json_extraction"))
    calls = len(backend.calls)
    engine.run(Request(text.format("Carla", "Rome", "Dan", "Oslo"), schema=receiver, task="json_extraction"))
    engine.run(Request(text.format("Alice", "Lyon", "Bob", "Oslo"), schema=receiver, task="json_extraction"))
    assert len(backend.calls) == calls + 2  # both are the model's to answer


def test_a_negation_in_the_clause_of_a_kept_value_is_not_read_as_the_patched_keys():
    """Class: "Bruno no longer works at Initech." after "Alice works at Acme.": the new words were taken as the
    patched name's (the model read that clause) and the adapted employer was kept: "Initech" served where the
    model says null. A clause that also holds a reused value must say what it said before."""
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "employer": {"type": ["string", "null"]}},
        "required": ["name", "employer"],
    }
    right = {"Alice works at Acme.": ("Alice", "Acme"), "Bruno no longer works at Initech.": ("Bruno", None)}

    def model(spec: GenerationSpec) -> str:
        for text, (name, employer) in right.items():
            if text in spec.prompt:
                return json.dumps({"name": name, "employer": employer})
        raise AssertionError(spec.prompt)

    engine, _ = engine_for(model)
    for text, (name, employer) in right.items():
        out = engine.run(Request("Extract as JSON. Text: " + text, schema=schema, task="json_extraction"))
        assert json.loads(out.text) == {"name": name, "employer": employer}


def test_words_leading_to_a_new_keys_value_are_read_with_it_and_nothing_else_is():
    """Class: a request adds a key and the words that say its value ("..., lives in Lyon and works as a pilot"
    for a new ``job``), in the clause of a reused value (the city). Those words are the new value's, read by the
    model when it patches that key: the rest is reused (the selective patch). Words added elsewhere in that clause
    ("lives no longer in Lyon") are not, and the reused city is never served with them."""
    person = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "age": {"type": "integer"}, "city": {"type": ["string", "null"]}},
        "required": ["name", "age", "city"],
    }
    job = {**person, "properties": {**person["properties"], "job": {"type": "string"}}, "required": [*person["required"], "job"]}
    read = re.compile(r"Text: (\w+ \w+) is (\d+) years old,? (?:and )?lives (no longer )?in (\w+)(?: and works as an? (\w+))?")

    def model(spec: GenerationSpec) -> str:
        m = read.search(spec.prompt)
        assert m is not None, spec.prompt
        record = {"name": m[1], "age": int(m[2]), "city": None if m[3] else m[4], "job": m[5]}
        wanted = (spec.json_schema or job)["properties"]
        return json.dumps({k: v for k, v in record.items() if k in wanted})

    engine, _ = engine_for(model)

    def ask(text: str, schema: dict) -> Any:
        keys = ", ".join(schema["properties"])
        return engine.run(Request(f"Extract {keys} as JSON. Text: {text}", schema=schema, task="json_extraction"))

    ask("Alice Martin is 31 years old and lives in Lyon.", person)
    ask("Bruno Costa is 45 years old and lives in Lyon.", person)
    patched = ask("Bruno Costa is 45 years old, lives in Lyon and works as a pilot.", job)
    assert patched.trace.path == "patch" and patched.trace.steps_regenerated == 1
    assert json.loads(patched.text) == {"name": "Bruno Costa", "age": 45, "city": "Lyon", "job": "pilot"}
    moved = ask("Carla Dias is 50 years old, lives no longer in Lyon and works as a nurse.", job)
    assert json.loads(moved.text)["city"] is None


CORRECTED = [
    "Carla Dias is 50 years old and lives in Rome. Sorry, I meant Vienna.",
    "Dan Evans is 28 years old and lives in Oslo. Actually, Dan moved to Berlin.",
    "Bruno Costa is 45 years old and lives in Paris.",
    "Eva Fox is 39 years old and lives in Madrid.",
]


@pytest.mark.parametrize("order", ["forward", "backward"])
def test_a_record_that_corrects_itself_is_no_precedent_for_one_that_does_not(order):
    """Class (helper-99: 2 of 4 requests raised in each grid): a cached record read past a correction ("lives in
    Rome. Sorry, I meant Vienna.") and a new record that states each value once. Reuse was refused, rightly, but
    the model's own right answer ("Paris", where the new text says "lives in Paris") was then judged against the
    cached entry as a contradiction ("'Paris' does not stand where the cached 'city' stood"), and the caller got
    ``UnverifiedOutputError``. A record that corrects itself is now another request for one that does not, either
    way round, and contradicts nothing."""
    right = re.compile(
        r"Text: (\w+ \w+) is (\d+) years old and lives in (\w+)\.(?: Sorry, I meant (\w+)\.| Actually, \w+ moved to (\w+)\.)?"
    )

    def model(spec: GenerationSpec) -> str:
        m = right.search(spec.prompt)
        assert m is not None, spec.prompt
        return json.dumps({"name": m[1], "age": int(m[2]), "city": m[4] or m[5] or m[3]})

    engine, _ = engine_for(model)
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "age": {"type": "integer"}, "city": {"type": "string"}},
        "required": ["name", "age", "city"],
    }
    served = 0
    for text in CORRECTED if order == "forward" else CORRECTED[::-1]:
        prompt = "Extract name, age and city as JSON. Text: " + text
        out = engine.run(Request(prompt, schema=schema, task="json_extraction"))
        assert json.loads(out.text) == json.loads(model(GenerationSpec(prompt=prompt)))
        served += out.trace.backend_calls == 0
    assert served <= 1  # only the two plain records share their words


def _records(schema: dict, instruction: str, records: list[tuple[str, dict]], order: str) -> int:
    """Ask ``records`` (text, the right answer) in ``order`` of an engine whose model extracts each right; every
    answer must be the right one (none raised, none wrong). The count served from the cache."""
    right = {text: answer for text, answer in records}

    def model(spec: GenerationSpec) -> str:
        return json.dumps(next(a for t, a in right.items() if t in spec.prompt))

    engine, _ = engine_for(model)
    served = 0
    for text, answer in records if order == "forward" else records[::-1]:
        out = engine.run(Request(f"{instruction} Text: {text}", schema=schema, task="json_extraction"))
        assert json.loads(out.text) == answer, (text, out.text)
        served += out.trace.backend_calls == 0
    return served


PERSON = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "age": {"type": "integer"}, "city": {"type": "string"}},
    "required": ["name", "age", "city"],
}
RECORD_CLASSES = {
    # the new record says its value twice, once after another key's role word ("works for the Oslo council"):
    # "'Oslo' follows 'for' where the cached 'city' followed no role word"
    "a value said twice": (
        PERSON,
        "Extract name, age and city as JSON.",
        [
            (
                "Alice Martin is 31 years old and lives in Lyon. She works for Acme.",
                {"name": "Alice Martin", "age": 31, "city": "Lyon"},
            ),
            (
                "Dan Evans is 28 years old and lives in Oslo. He works for the Oslo council.",
                {"name": "Dan Evans", "age": 28, "city": "Oslo"},
            ),
        ],
    ),
    "a number said twice": (
        {
            "type": "object",
            "properties": {"address": {"type": "string"}, "rooms": {"type": "integer"}, "price": {"type": "integer"}},
            "required": ["address", "rooms", "price"],
        },
        "Extract address, rooms and price as JSON.",
        [
            (
                "The flat at 12 Oak Street has 3 rooms and rents for 900 euros.",
                {"address": "12 Oak Street", "rooms": 3, "price": 900},
            ),
            (
                "The flat at 4 Mill Lane has 4 rooms and rents for 1100 euros.",
                {"address": "4 Mill Lane", "rooms": 4, "price": 1100},
            ),
        ],
    ),
    # a date whose day is also the count: "July 5" was read as swallowing the 5 speakers and trimmed to "July",
    # served as verified (and stored) on a miss, and reused
    "a value inside another that the text also states apart": (
        {
            "type": "object",
            "properties": {"event": {"type": "string"}, "date": {"type": "string"}, "speakers": {"type": "integer"}},
            "required": ["event", "date", "speakers"],
        },
        "Extract event, date and speakers as JSON.",
        [
            ("The data forum on May 3 has 25 speakers.", {"event": "data forum", "date": "May 3", "speakers": 25}),
            ("The web meetup on July 5 has 5 speakers.", {"event": "web meetup", "date": "July 5", "speakers": 5}),
            ("The book fair on June 9 has 9 speakers.", {"event": "book fair", "date": "June 9", "speakers": 9}),
        ],
    ),
}


# a preposition that opens the sentence before the value ("In Oslo lives ...", "À Lyon habite ..."): each raised on
# its own, "value of 'city' cuts the name 'In Oslo'"
RECORD_CLASSES["a value after a preposition that opens the sentence"] = (
    PERSON,
    "Extract name, age and city as JSON.",
    [
        ("In Oslo lives Dan Evans, aged 28.", {"name": "Dan Evans", "age": 28, "city": "Oslo"}),
        ("À Lyon habite Eva Fox, 39 ans.", {"name": "Eva Fox", "age": 39, "city": "Lyon"}),
        ("In Rome lives Carla Dias, aged 50.", {"name": "Carla Dias", "age": 50, "city": "Rome"}),
    ],
)


@pytest.mark.parametrize("order", ["forward", "backward"])
@pytest.mark.parametrize("case", sorted(RECORD_CLASSES))
def test_a_right_extraction_is_served_as_the_model_wrote_it(case, order):
    """Classes (helper-100: 1 to 3 of 6 per grid): the model's right answer raised ``UnverifiedOutputError``
    because the new record says the value twice and one mention follows another key's role word ("lives in Oslo.
    He works for the Oslo council"), or because a preposition opening the sentence was read as part of a name ("In
    Oslo"); and a right value that holds another field's number ("July 5" beside 5 speakers, "4 Mill Lane" beside
    4 rooms) was trimmed to a wrong one ("July", "Mill Lane") and served as verified. A mention with the cached
    value's roles may now be the model's, unless the cached value's own slot holds something else; a number
    inside a string clashes only where the text never states it apart; a sentence's opening preposition (never a
    surname's particle: "De Luca") is no part of a name. Still raised (open): a cached record with a word between
    the anchor and its value ("lives in downtown Oslo") makes a plain record's right answer a contradiction."""
    schema, instruction, records = RECORD_CLASSES[case]
    _records(schema, instruction, records, order)


SLIPS = {
    # the cached record and its right answer; a new record, the slipping model's answer to it, and the right one
    "a value taken from a mention in another role": (
        ("Alice Martin is 31 years old and lives in Lyon. She works for Acme.", ("Alice Martin", 31, "Lyon")),
        "Dan Evans is 28 years old and lives in Rome. He works for the Oslo council in Oslo.",
        ("Dan Evans", 28, "Oslo"),
        ("Dan Evans", 28, "Rome"),
    ),
    "a value taken from a mention with no slot of the cached one": (
        ("Alice Martin is 31 years old and lives in Lyon. She works for Acme.", ("Alice Martin", 31, "Lyon")),
        "Dan Evans is 28 years old and moved from Oslo to Rome. He works for the Oslo council.",
        ("Dan Evans", 28, "Oslo"),
        ("Dan Evans", 28, "Rome"),
    ),
    "a name cut at a mention of its part": (
        ("Alice Martin is 31 years old and lives in Lyon.", ("Alice Martin", 31, "Lyon")),
        "Dana Levi is 34 years old and lives in Oslo. Levi works as a nurse.",
        ("Levi", 34, "Oslo"),
        ("Dana Levi", 34, "Oslo"),
    ),
    "a surname's particle cut": (
        ("Alice Martin is 31 years old and lives in Lyon.", ("Alice Martin", 31, "Lyon")),
        "De Luca is 44 years old and lives in Rome.",
        ("Luca", 44, "Rome"),
        ("De Luca", 44, "Rome"),
    ),
    "a city taken from a name that holds it": (
        ("Alice Martin is 31 years old and lives in Lyon.", ("Alice Martin", 31, "Lyon")),
        "Jack London is 40 years old and lives in Paris. He was born in London.",
        ("Jack London", 40, "London"),
        ("Jack London", 40, "Paris"),
    ),
}


@pytest.mark.parametrize("case", sorted(SLIPS))
def test_a_slipping_models_answer_is_never_served_as_verified(case):
    """Class (helper-101, against relaxations tried for the classes above: 11 to 25 wrong values served per grid):
    a small model takes a value from the wrong mention (the city from "the Oslo council in Oslo", a city inside a
    person's name), cuts a name at a mention of its part ("Levi" of "Dana Levi ... Levi works") or drops a
    surname's particle ("Luca" of "De Luca"). None of these may be served as verified, nor stored: the caller
    gets ``UnverifiedOutputError`` (or the cached answer re-derived right), and a later right record is never
    served the slip. (Open: on an empty cache a value taken from the wrong mention, "Oslo" of "lives in Rome. He
    works for the Oslo council", has no precedent to contradict, and is served.)"""
    (cached, right), text, slipped, truth = SLIPS[case]
    answers = {cached: right, text: slipped}

    def model(spec: GenerationSpec) -> str:
        name, age, city = next(a for t, a in answers.items() if t in spec.prompt)
        return json.dumps({"name": name, "age": age, "city": city})

    engine, _ = engine_for(model)
    ask = "Extract name, age and city as JSON. Text: "
    engine.run(Request(ask + cached, schema=PERSON, task="json_extraction"))
    try:
        out = engine.run(Request(ask + text, schema=PERSON, task="json_extraction"))
    except UnverifiedOutputError:
        pass
    else:
        assert json.loads(out.text) == dict(zip(("name", "age", "city"), truth, strict=True))
    # the slip is not stored: the right record asked next is the model's or a right reuse
    again = engine.run(Request(ask + cached, schema=PERSON, task="json_extraction"))
    assert json.loads(again.text) == dict(zip(("name", "age", "city"), right, strict=True))


PURCHASE = {
    "type": "object",
    "properties": {"item": {"type": "string"}, "price": {"type": "integer"}},
    "required": ["item", "price"],
}
CHEAPER = {
    "type": "object",
    "properties": {
        "item": {"type": "string", "description": "the cheaper item"},
        "price": {"type": "integer", "description": "the price of the cheaper item in dollars"},
    },
    "required": ["item", "price"],
}
BASKETS = [("pen", 3, "cup", 5), ("pen", 2, "cup", 9), ("pen", 7, "cup", 5), ("book", 9, "mug", 4), ("hat", 6, "bag", 8)]
SELECTIONS = {
    "in the instruction": ("Extract the cheaper item and its price as JSON. Text: ", PURCHASE),
    "in the instruction, a superlative": ("Extract the most expensive item and its price as JSON. Text: ", PURCHASE),
    "in the schema's descriptions": ("Extract the purchase as JSON. Text: ", CHEAPER),
    "in the record itself": ("Extract the purchase as JSON. Text: He wants the cheaper one. ", PURCHASE),
    "in a key's name": (
        "Extract the purchase as JSON. Text: ",
        {"type": "object", "properties": {"cheapest_item": {"type": "string"}}, "required": ["cheapest_item"]},
    ),
}


@pytest.mark.parametrize("order", ["forward", "backward"])
@pytest.mark.parametrize("case", sorted(SELECTIONS))
def test_a_value_picked_by_comparing_values_is_never_reused_for_another_record(case, order):
    """Class (helper-102: 2 false of 3 served per grid, on every JSON route of both integrations): the request
    picks a value by comparing the record's values ("Extract the cheaper item", a key described "the price of
    the cheaper item", a ``cheapest_item`` key, "He wants the cheaper one." in the record). The first record's
    answer was re-derived by position (the first item), so another record's dearer item was served; and the
    model's right answer where the other item is cheaper raised as a contradiction of the cached slot. A request
    that picks values by a comparative or a superlative (in the record, a definite pick: "the cheaper one") is
    now reused only for the same record."""
    instruction, schema = SELECTIONS[case]

    def model(spec: GenerationSpec) -> str:
        items = re.findall(r"a (\w+) for \$(\d+)", spec.prompt)
        rule = json.dumps(spec.json_schema or {}) + spec.prompt
        pick = max if "expensive" in rule else min
        item, price = pick(items, key=lambda x: int(x[1]))
        if "cheapest_item" in rule:
            return json.dumps({"cheapest_item": item})
        return json.dumps({"item": item, "price": int(price)})

    engine, _ = engine_for(model)
    for basket in BASKETS if order == "forward" else BASKETS[::-1]:
        prompt = instruction + "Bob buys a {} for ${} and a {} for ${}.".format(*basket)
        out = engine.run(Request(prompt, schema=schema, task="json_extraction"))
        assert json.loads(out.text) == json.loads(model(GenerationSpec(prompt=prompt, json_schema=schema))), prompt


def _object(**types: Any) -> dict[str, Any]:
    """A schema requiring ``types``' keys, each a JSON type name or a whole property schema."""
    props = {k: {"type": v} if isinstance(v, str) else v for k, v in types.items()}
    return {"type": "object", "properties": props, "required": list(props)}


def _wrong_served(
    schema: dict, instruction: str, records: list[tuple[str, dict]], layout: str = "{instruction} Text: {text}"
) -> tuple[int, int]:
    """(served from the cache, wrong among them) over ``records`` (text, right answer) asked in turn, in
    ``layout``, of an engine whose model extracts each right. The model's right answer may be refused (raised):
    not served, not wrong. The JSON checks alone decide a reuse for another record: by default it also waits for a
    second model answer that agrees (``test_json_corroborate.py``), which would send most of these records to the
    model whatever the checks read."""
    right = {text: answer for text, answer in records}

    def model(spec: GenerationSpec) -> str:
        return json.dumps(right[max((t for t in right if t in spec.prompt), key=len)])

    engine, _ = engine_for(model, builtin_tasks(json_corroboration=False))
    served = wrong = 0
    for text, answer in records:
        try:
            prompt = layout.format(instruction=instruction, text=text)
            out = engine.run(Request(prompt, schema=schema, task="json_extraction"))
        except UnverifiedOutputError:
            continue
        if out.trace.backend_calls == 0:
            served += 1
            wrong += json.loads(out.text) != answer
    return served, wrong


NAMED = _object(name="string", city="string")
# each: the schema, the instruction, the records (the first one's value needed no change: "Paris" is French)
VALUE_FORMS = {
    "a translation asked beside the keys": (
        NAMED,
        "Extract name and city as JSON. Translate the city name into French.",
        [("Ann Lee lives in Paris.", "Paris"), ("Bob Ray lives in London.", "Londres"), ("Dee Orr lives in Vienna.", "Vienne")],
    ),
    "a translation asked in the key's description": (
        _object(name="string", city={"type": "string", "description": "the city, translated into French"}),
        "Extract name and city as JSON.",
        [("Ann Lee lives in Paris.", "Paris"), ("Bob Ray lives in London.", "Londres"), ("Dee Orr lives in Vienna.", "Vienne")],
    ),
    "a case asked beside the keys": (
        NAMED,
        "Extract name and city as JSON. Write the city in upper case.",
        [("Ann Lee lives in NYC.", "NYC"), ("Bob Ray lives in Oslo.", "OSLO"), ("Dee Orr lives in Rome.", "ROME")],
    ),
    "a part of the value asked ('only')": (
        _object(name="string", city="string"),
        "Extract name and city as JSON. Give the city's first word only.",
        [("Ann Lee lives in Oslo.", "Oslo"), ("Bob Ray lives in New York.", "New"), ("Dee Orr lives in San Jose.", "San")],
    ),
    "a code asked beside the keys": (
        _object(name="string", city="string"),
        "Extract name and city as JSON. Give the city as its IATA airport code.",
        [("Ann Lee lives in LAX.", "LAX"), ("Bob Ray lives in Oslo.", "OSL"), ("Dee Orr lives in Rome.", "FCO")],
    ),
}


@pytest.mark.parametrize("case", sorted(VALUE_FORMS))
def test_a_value_asked_in_another_form_than_the_records_is_not_reused_for_another_record(case):
    """Class (helper-108: 2 to 4 wrong of 2 to 5 served in eight grids): the request asks for a value in another
    form than the record's ("Translate the city name into French.", "upper case", "first name only", "ISO 8601
    dates", "the price in cents", "after the discount", in the instruction or a key's description), and the
    first record's value needed no change ("Paris" is French already). The re-grounded copy "London" was served
    where the model writes "Londres". The request's words besides the keys must now be a plain extraction's
    (``gate.transforms``) for another record to be served; a key's name or description is read for a form."""
    schema, instruction, rows = VALUE_FORMS[case]
    records = [(text, {"name": text.split(" lives")[0], "city": city}) for text, city in rows]
    served, wrong = _wrong_served(schema, instruction, records)
    assert wrong == 0


CITIES_IN_FRENCH = [
    ("Ann Lee lives in Paris.", "Paris"),
    ("Bob Ray lives in London.", "Londres"),
    ("Dee Orr lives in Vienna.", "Vienne"),
]
# each: the key the city is asked under, its schema, the instruction and the prompt's layout
FORMS_ELSEWHERE = {
    "an instruction after the record": (
        "city",
        "string",
        "Extract name and city as JSON.",
        "{instruction} Text: {text} Translate the city into French.",
    ),
    "an instruction on a line of its own": (
        "city",
        "string",
        "Extract name and city as JSON.",
        "{instruction} Text: {text}\nCity names must be in French.",
    ),
    "an instruction before an unlabelled record": (
        "city",
        "string",
        "Translate the city into French.",
        "{instruction}\n\n{text}",
    ),
    "a key name's part": ("city_fr", "string", "Extract name and city_fr as JSON.", "{instruction} Text: {text}"),
    "a language as an adjective": (
        "city",
        {"type": "string", "description": "French name of the city"},
        "Extract name and city as JSON.",
        "{instruction} Text: {text}",
    ),
    "a description in another language": (
        "city",
        {"type": "string", "description": "la ciudad, en francés"},
        "Extract name and city as JSON.",
        "{instruction} Text: {text}",
    ),
    "a language in a key name's first word": (
        "french_city",
        "string",
        "Extract name and french_city as JSON.",
        "{instruction} Text: {text}",
    ),
    "a language named alone in the description": (
        "city",
        {"type": "string", "description": "die Stadt, französisch"},
        "Extract name and city as JSON.",
        "{instruction} Text: {text}",
    ),
    "a property named title": (
        "title",
        {"type": "string", "description": "the city, translated into French"},
        "Extract name and title as JSON.",
        "{instruction} Text: {text}",
    ),
}


@pytest.mark.parametrize("case", sorted(FORMS_ELSEWHERE))
def test_a_form_asked_anywhere_in_the_request_is_read(case):
    """Class (helper-113: 2 of 2 served wrong in each): the form asked where the first check did not read it: in
    a sentence the record's span takes in, the same beside every record ("Text: ... Translate the city into
    French."); in a key name's part (``city_fr``, ``french_city``); a language as an adjective, alone or in another
    language ("French name of the city", "en francés", "die Stadt, französisch": helper-115); the description of a
    property named ``title``, which was never read."""
    key, prop, instruction, layout = FORMS_ELSEWHERE[case]
    schema = _object(name="string", **{key: prop})
    records = [(text, {"name": text.split(" lives")[0], key: city}) for text, city in CITIES_IN_FRENCH]
    assert _wrong_served(schema, instruction, records, layout)[1] == 0


def test_a_value_computed_from_the_record_is_not_reused_where_the_first_needed_no_computing():
    """Class (helper-108: 2 of 2 and 2 of 3 served wrong): a key computed from the record ("final_price" after the
    discount, including tax, a price in cents) whose first record was at a neutral point (0% off, "Receipt 500"
    for $5). Read from the key's description now."""
    schema = _object(item="string", final_price={"type": "number", "description": "the price after the discount"})
    records = [
        ("A mug costs $40, discount 0%.", {"item": "mug", "final_price": 40}),
        ("A lamp costs $50, discount 10%.", {"item": "lamp", "final_price": 45}),
        ("A desk costs $80, discount 25%.", {"item": "desk", "final_price": 60}),
    ]
    assert _wrong_served(schema, "Extract item and final_price as JSON.", records) == (0, 0)
    cents = _object(item="string", price_cents="integer")
    records = [
        ("Receipt 500: a lamp for $5.", {"item": "lamp", "price_cents": 500}),
        ("Receipt 500: a desk for $7.", {"item": "desk", "price_cents": 700}),
        ("Receipt 500: a chair for $9.", {"item": "chair", "price_cents": 900}),
    ]
    assert _wrong_served(cents, "Extract item and price_cents as JSON.", records)[1] == 0


def test_a_plain_instruction_beside_the_keys_is_still_reused():
    """The other side: words that only say what the record is ("Turn the message below into a record.") or how
    values are allowed ("one of open, closed or pending") keep a reuse for other records: the owner is carried,
    and the status, a value the request lists, is the model's for each record, asked alone (a patch of that key:
    the model judged the cached record, and the word may stand for something else in another, helper-124)."""
    schema = _object(status={"type": "string", "enum": ["open", "closed", "pending"]}, owner="string")
    records = [
        ("Ticket 88 is open; Ravi Menon owns it.", {"status": "open", "owner": "Ravi Menon"}),
        ("Ticket 91 is pending; Mei Lin owns it.", {"status": "pending", "owner": "Mei Lin"}),
        ("Ticket 95 is closed; Ana Ruiz owns it.", {"status": "closed", "owner": "Ana Ruiz"}),
        ("Ticket 97 is open; Li Wei owns it.", {"status": "open", "owner": "Li Wei"}),
    ]
    right = dict(records)
    asked: list[str] = []

    def model(spec: GenerationSpec) -> str:
        asked.append(spec.prompt)
        return json.dumps(right[max((t for t in right if t in spec.prompt), key=len)])

    engine, _ = engine_for(model, builtin_tasks(json_corroboration=False))
    ask = "Return the ticket's status (one of open, closed, pending) and its owner as JSON. Text: "
    paths = []
    for text, answer in records:
        out = engine.run(Request(ask + text, schema=schema, task="json_extraction"))
        assert json.loads(out.text) == answer
        paths.append(out.trace.path)
    assert paths == ["miss", "patch", "patch", "patch"]
    assert all("exactly these keys: status." in prompt for prompt in asked[1:])


CODES = {
    # a currency code beside the value the key converts: "50 EUR" / "50 USD" for price_eur
    "a currency code": (
        _object(item="string", price_eur="number"),
        [
            ("A lamp costs 50 EUR.", {"item": "lamp", "price_eur": 50}),
            ("A desk costs 50 USD.", {"item": "desk", "price_eur": 45}),
            ("A chair costs 40 GBP.", {"item": "chair", "price_eur": 48}),
            ("A rug costs 100 USD.", {"item": "rug", "price_eur": 90}),
        ],
    ),
    # a verdict in capitals after the record: "CONFIRMED" / "FALSE"
    "a verdict in capitals": (
        _object(name="string", city={"type": ["string", "null"]}),
        [
            ("Ann Lee lives in Rome - CONFIRMED.", {"name": "Ann Lee", "city": "Rome"}),
            ("Bob Ray lives in Oslo - FALSE.", {"name": "Bob Ray", "city": None}),
            ("Cy Fox lives in Bern - UNCONFIRMED.", {"name": "Cy Fox", "city": None}),
            ("Dee Orr lives in Bern - WRONG.", {"name": "Dee Orr", "city": None}),
        ],
    ),
    # a unit in capitals: "170 CM" / "70 IN" for height_cm
    "a unit in capitals": (
        _object(name="string", height_cm="number"),
        [
            ("Ann Lee is 170 CM tall.", {"name": "Ann Lee", "height_cm": 170}),
            ("Bob Ray is 180 CM tall.", {"name": "Bob Ray", "height_cm": 180}),
            ("Cy Fox is 70 IN tall.", {"name": "Cy Fox", "height_cm": 177.8}),
            ("Dee Orr is 2 M tall.", {"name": "Dee Orr", "height_cm": 200}),
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(CODES))
def test_a_word_in_capitals_no_value_holds_is_read_as_written(case):
    """Class (helper-108: 3 of 4, 3 of 3, 2 of 3 served wrong): a word in capitals beside the values that no key
    takes, a currency or unit code or a verdict ("50 EUR" / "50 USD", "170 CM" / "70 IN", "- CONFIRMED" /
    "- FALSE"), was read as a name that varies with the record, like "Rome" in "works in Rome". Now compared as
    written: another code or verdict is a change no slot accounts for, and the model answers."""
    schema, records = CODES[case]
    keys = " and ".join(schema["properties"])
    assert _wrong_served(schema, f"Extract {keys} as JSON.", records)[1] == 0


COUNTED = {
    "a count of the key's noun": (
        _object(name="string", has_pets="boolean"),
        [
            ("Ann Lee has 2 pets and lives in Rome.", {"name": "Ann Lee", "has_pets": True}),
            ("Bob Ray has 0 pets and lives in Rome.", {"name": "Bob Ray", "has_pets": False}),
            ("Cy Fox has 3 pets and lives in Rome.", {"name": "Cy Fox", "has_pets": True}),
            ("Fay Ng has 0 pets and lives in Rome.", {"name": "Fay Ng", "has_pets": False}),
        ],
    ),
    "a count beside the key's words": (
        _object(product="string", in_stock="boolean"),
        [
            ("Lamp X2 is in stock: 14 units.", {"product": "Lamp X2", "in_stock": True}),
            ("Desk D4 is in stock: 0 units.", {"product": "Desk D4", "in_stock": False}),
            ("Chair C1 is in stock: 3 units.", {"product": "Chair C1", "in_stock": True}),
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(COUNTED))
def test_a_yes_no_value_that_follows_from_a_count_is_not_reused_for_another_count(case):
    """Class (helper-108: 2 of 3 and 1 of 2 served wrong): a yes/no key whose answer follows from a number no key
    takes ("has 2 pets" / "has 0 pets" for has_pets, "in stock: 0 units"). The number was a wildcard of the
    record's frame. Where an answer holds a yes/no value, such numbers are now compared as written."""
    schema, records = COUNTED[case]
    keys = " and ".join(schema["properties"])
    assert _wrong_served(schema, f"Extract {keys} as JSON.", records)[1] == 0


PLACEHOLDER_RECORDS = {
    # a code (digits) replaced by a word where the cached code stood
    "a word in a code's place": (
        _object(name="string", phone={"type": ["string", "null"]}),
        [
            ("Ann Lee, phone 555-0101.", {"name": "Ann Lee", "phone": "555-0101"}),
            ("Dee Orr, phone unknown.", {"name": "Dee Orr", "phone": None}),
            ("Eli Tan, phone withheld.", {"name": "Eli Tan", "phone": None}),
            ("Fay Ng, phone pending.", {"name": "Fay Ng", "phone": None}),
        ],
    ),
    "a word in a date's place": (
        _object(name="string", signed={"type": ["string", "null"]}),
        [
            ("Ann Lee signed on 2024-03-05 in Oslo.", {"name": "Ann Lee", "signed": "2024-03-05"}),
            ("Bob Ray signed on arrival in Oslo.", {"name": "Bob Ray", "signed": None}),
            ("Cy Fox signed on paper in Oslo.", {"name": "Cy Fox", "signed": None}),
        ],
    ),
    # a capitalised placeholder where a name stood
    "a placeholder in a name's place": (
        _object(name="string", manager={"type": ["string", "null"]}, city={"type": ["string", "null"]}),
        [
            ("Employee: Ann Lee. Manager: Bob Ray. City: Oslo.", {"name": "Ann Lee", "manager": "Bob Ray", "city": "Oslo"}),
            ("Employee: Dee Orr. Manager: Bob Ray. City: Unknown.", {"name": "Dee Orr", "manager": "Bob Ray", "city": None}),
            ("Employee: Fay Ng. Manager: Bob Ray. City: TBD.", {"name": "Fay Ng", "manager": "Bob Ray", "city": None}),
            ("Employee: Gus Hu. Manager: Vacant Position. City: Rome.", {"name": "Gus Hu", "manager": None, "city": "Rome"}),
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(PLACEHOLDER_RECORDS))
def test_a_word_that_stands_for_no_value_is_never_served_as_the_value(case):
    """Class (helper-108: 5 of 5, 3 of 3 and 3 of 3 served wrong): a record that holds a placeholder where the
    cached one held a value ("phone unknown", "signed on arrival", "City: TBD", "Manager: Vacant Position"),
    re-grounded by position and served as the value where the model answers null. A value holding a digit is now
    replaced only by one holding a digit, and a reused placeholder word is stale."""
    schema, records = PLACEHOLDER_RECORDS[case]
    keys = ", ".join(schema["properties"])
    assert _wrong_served(schema, f"Extract {keys} as JSON.", records)[1] == 0
