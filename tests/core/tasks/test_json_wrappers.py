"""JSON from real chains, in the core: values kept whole, yes/no fields read from the text, answers kept in their
wrapper, schemas discovered from format instructions. Each test names the class of input it covers."""

from __future__ import annotations

import json

import pytest

from stepcache_core import MemoryStore, Request, StepCacheEngine
from stepcache_core.bench.formats_json_corpus import CASES, WRAPPERS, JsonAssistant
from stepcache_core.fakes import HashEmbedder
from stepcache_core.segment import JsonObjectSegmenter
from stepcache_core.tasks.json import JsonVerifier, parse_json_problem
from stepcache_core.tasks.json.discover import discover_schema, instructions_from_template
from stepcache_core.tasks.json.text import boolean_stated, grounded

SEG = JsonObjectSegmenter()


def verdicts(text: str, schema: dict, answer: str, origin: str = "generated") -> list:
    problem = parse_json_problem(Request(text, schema=schema))
    return JsonVerifier().verify_steps(problem, SEG.segment(answer, origin=origin))  # type: ignore[arg-type]


SCHEMAS = {case.kind: case.model.model_json_schema() for case in CASES}


# ----------------------------------------------------------------- values kept whole


@pytest.mark.parametrize(
    "value,text",
    [
        ("C++", "Tom knows C++, Rust and Go."),
        ("C#", "Lena knows C#, Python and Go."),
        ("+1 415 555 0199", "Call +1 415 555 0199 today."),
        ("LH 1234", "Flight LH 1234 leaves at noon."),
        ("Jean-Luc O'Neil", "Jean-Luc O'Neil is 52."),
        ("priya.shah@example.com", "Write to priya.shah@example.com now."),
        ("2026-12-03", "It leaves on 2026-12-03."),
    ],
)
def test_whole_values_with_symbols_digits_and_punctuation_are_grounded(value, text):
    assert grounded(value, text)


@pytest.mark.parametrize(
    "value,text",
    [
        ("C", "Tom knows C++, Rust and Go."),  # a prefix cut at a symbol
        ("C", "Lena knows C#, Python and Go."),
        ("+1", "Call +1 415 555 0199 today."),  # a prefix cut at a space inside a number
        ("0199", "Call +1 415 555 0199 today."),
        ("1042", "Order A-1042 ships today."),
    ],
)
def test_cut_values_are_not_grounded(value, text):
    assert not grounded(value, text)


@pytest.mark.parametrize(
    "kind,text,answer",
    [
        ("product", "The Nordik 2 kettle costs 40 dollars and is in stock.", {"product": "Nordik 2 kettle", "price": 40, "in_stock": True}),
        ("contact", "Contact Priya Shah at priya.shah@example.com or +1 415 555 0199.",
         {"name": "Priya Shah", "email": "priya.shah@example.com", "phone": "+1 415 555 0199"}),
        ("flight", "Flight LH 1234 leaves Frankfurt for Boston on 2026-12-03.",
         {"flight": "LH 1234", "origin": "Frankfurt", "destination": "Boston", "date": "2026-12-03"}),
        ("developer", "Tom Becker knows C++, Rust and Go.", {"name": "Tom Becker", "languages": ["C++", "Rust", "Go"]}),
    ],
)  # fmt: skip
def test_records_with_hard_values_verify(kind, text, answer):
    assert all(v.ok for v in verdicts(text, SCHEMAS[kind], json.dumps(answer)))


@pytest.mark.parametrize(
    "kind,text,answer",
    [
        ("contact", "Contact Priya Shah at priya.shah@example.com or +1 415 555 0199.",
         {"name": "Priya Shah", "email": "priya.shah@example.com", "phone": "+1"}),
        ("developer", "Tom Becker knows C++, Rust and Go.", {"name": "Tom Becker", "languages": ["C", "Rust", "Go"]}),
        ("developer", "Tom Becker knows C++, Rust and Go.", {"name": "Tom Becker", "languages": ["Tom Becker", "C++"]}),
        ("product", "The Vento X5 fan costs 85 dollars and is out of stock.", {"product": "Vento X5 fan", "price": 85, "in_stock": True}),
    ],
)  # fmt: skip
def test_cut_misplaced_or_contradicted_values_are_refused(kind, text, answer):
    assert not all(v.ok for v in verdicts(text, SCHEMAS[kind], json.dumps(answer)))


# ----------------------------------------------------------------- yes/no fields


@pytest.mark.parametrize(
    "key,text,stated",
    [
        ("in_stock", "The fan is out of stock.", False),
        ("in_stock", "It is in stock.", True),
        ("in_stock", "It is not in stock.", False),
        ("is_vegan", "The dish is vegan.", True),
        ("is_vegan", "The dish isn't vegan.", False),
        ("has_parking", "There is no parking.", False),
        ("in_stock", "Nothing is said about it.", None),
        ("in_stock", "In stock: the blue one; the red one is out of stock.", None),  # both: cannot tell
    ],
)
def test_a_yes_no_field_follows_the_texts_statement_negations_included(key, text, stated):
    assert boolean_stated(key, text) is stated


def test_a_cached_boolean_is_adapted_to_the_new_texts_statement():
    engine = StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder(), backend=JsonAssistant("raw"))
    schema = SCHEMAS["product"]
    engine.run(Request("The Nordik 2 kettle costs 40 dollars and is in stock.", schema=schema))
    # a second record that moves every value, the yes/no included, is the model's: it corroborates the first
    second = engine.run(Request("The Alto 7 blender costs 60 dollars and is out of stock.", schema=schema))
    assert second.trace.backend_calls == 1
    out = engine.run(Request("The Vento X5 fan costs 85 dollars and is out of stock.", schema=schema))
    assert out.trace.path == "reuse" and json.loads(out.text) == {"product": "Vento X5 fan", "price": 85, "in_stock": False}


# ----------------------------------------------------------------- wrappers


@pytest.mark.parametrize("wrapper", sorted(WRAPPERS))
def test_a_reuse_keeps_the_answers_wrapper_and_rewrites_only_changed_values(wrapper):
    engine = StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder(), backend=JsonAssistant(wrapper))
    case = next(c for c in CASES if c.kind == "developer")
    (base, _), (variant, expected) = case.texts[0], case.texts[1]
    first = engine.run(Request(base, schema=SCHEMAS["developer"]))
    assert first.text == WRAPPERS[wrapper](case.texts[0][1])  # the model's answer, as it wrote it
    # the second record is the model's: its answer agrees with the first re-derived, and corroborates it
    second = engine.run(Request(case.second[0], schema=SCHEMAS["developer"]))
    assert second.trace.backend_calls == 1 and second.text == WRAPPERS[wrapper](case.second[1])
    out = engine.run(Request(variant, schema=SCHEMAS["developer"]))
    assert out.trace.path == "reuse" and out.text == WRAPPERS[wrapper](expected)


def test_a_second_object_in_an_answer_is_refused():
    problem = parse_json_problem(Request("Tom Becker knows C++.", schema=SCHEMAS["developer"]))
    assert not JsonVerifier().check(problem, '{"name": "Tom Becker", "languages": ["C++"]} or {"name": "Tom"}').ok


# ----------------------------------------------------------------- discovery


TEMPLATE = "Answer in JSON.\nThe schema:\n```\n{schema}\n```\nNothing else."


def test_a_schema_in_format_instructions_is_discovered_and_cut_from_the_text():
    ins = instructions_from_template("test", TEMPLATE, "schema")
    schema = {"properties": {"name": {"type": "string"}}, "required": ["name"]}
    prompt = "Extract it.\n" + TEMPLATE.format(schema=json.dumps(schema)) + "\nText: Maria Lopez is 34."
    found = discover_schema(prompt, [ins])
    assert found is not None and found.schema["properties"] == schema["properties"] and found.schema["type"] == "object"
    assert "schema" not in found.text and found.text.endswith("Text: Maria Lopez is 34.")


@pytest.mark.parametrize(
    "prompt",
    [
        "Extract it. Text: Maria Lopez is 34.",  # no instructions
        "Answer in JSON.\nThe schema:\n```\n{not json\n```\nNothing else.",  # broken schema
        'Answer in JSON.\nThe schema:\n```\n{"properties": {}}\n```\nNothing else.',  # no fields
    ],
)
def test_prompts_without_a_readable_schema_discover_nothing(prompt):
    assert discover_schema(prompt, [instructions_from_template("test", TEMPLATE, "schema")]) is None


def test_the_wrappers_prose_follows_a_renamed_value():
    engine = StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder(), backend=JsonAssistant("raw"))
    engine.record(
        Request("Maria Lopez is 34 and lives in Madrid.", schema=SCHEMAS["person"]),
        'Here is Maria Lopez\'s record:\n{"name": "Maria Lopez", "age": 34, "city": "Madrid"}',
    )
    # a second record, answered by the model in the same words, corroborates the first
    assert engine.record(
        Request("Kofi Mensah is 27 and lives in Accra.", schema=SCHEMAS["person"]),
        'Here is Kofi Mensah\'s record:\n{"name": "Kofi Mensah", "age": 27, "city": "Accra"}',
    )
    out = engine.run(Request("Ana Ruiz is 34 and lives in Madrid.", schema=SCHEMAS["person"]))
    assert (
        out.trace.path == "reuse" and out.text == 'Here is Ana Ruiz\'s record:\n{"name": "Ana Ruiz", "age": 34, "city": "Madrid"}'
    )
