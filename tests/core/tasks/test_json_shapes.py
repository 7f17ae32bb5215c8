"""JSON values in shapes the benchmark's workload never shows: nested objects, lists from an enumeration,
yes/no settings said as on/off, names that carry a model code or a house number. Each class: answers a small
model really gave (Gemma 3 270M on ``stepcache workload --shapes``) are refused, the right ones verify."""

from __future__ import annotations

import json

import pytest

from stepcache_core import Request
from stepcache_core.bench.shapes import SHAPES
from stepcache_core.segment import JsonObjectSegmenter
from stepcache_core.tasks.json import JsonVerifier, parse_json_problem
from stepcache_core.tasks.json.text import boolean_stated, enumeration_gap

SEG = JsonObjectSegmenter()


def ok(shape: str, text: str, answer: dict, origin: str = "generated") -> bool:
    problem = parse_json_problem(Request(f"Extract the record as JSON. Text: {text}", schema=SHAPES[shape][1]))
    return all(v.ok for v in JsonVerifier().verify_steps(problem, SEG.segment(json.dumps(answer), origin=origin)))  # type: ignore[arg-type]


ADDRESS = "Ship the parcel to Lena Vogel, 7 Rue des Lilas, 59823 Bristol."
ADDRESS_2 = "The parcel goes to 12 Harbour Lane in Porto (93227) for Aiko Tanaka."


def address(street: str, city: str, postcode: str, recipient: str = "Lena Vogel") -> dict:
    return {"recipient": recipient, "address": {"street": street, "city": city, "postcode": postcode}}


def test_a_nested_object_with_every_field_in_place_verifies() -> None:
    assert ok("nested-address", ADDRESS, address("7 Rue des Lilas", "Bristol", "59823"))
    assert ok("nested-address", ADDRESS_2, address("12 Harbour Lane", "Porto", "93227", "Aiko Tanaka"))


@pytest.mark.parametrize(
    "answer",
    [
        address("Lena Vogel", "Bristol", "59823"),  # a nested field holding another field's value
        address("7 Rue des Lilas", "Bristol", "59823 Bristol"),  # a nested value swallowing a sibling's
        address("59823 Bristol", "Bristol", "59823 Bristol"),
        address("Rue des Lilas", "Bristol", "59823"),  # a street cut from its house number
    ],
)
def test_nested_fields_are_checked_like_top_level_ones(answer: dict) -> None:
    assert not ok("nested-address", ADDRESS, answer)


ORDER = "Order D-2489 holds a desk lamp, a blender and a mirror; the total is 793 dollars."


def test_a_list_must_hold_every_item_of_the_texts_enumeration() -> None:
    assert ok("order-list", ORDER, {"order_id": "D-2489", "items": ["desk lamp", "blender", "mirror"], "total": 793})
    for items in (["mirror"], ["desk lamp", "mirror"], ["blender", "mirror"], ["blender", "desk lamp", "mirror"]):
        assert not ok("order-list", ORDER, {"order_id": "D-2489", "items": items, "total": 793}), items


@pytest.mark.parametrize(
    "items,text,gap",
    [
        (["C++", "Rust", "Go"], "Tom knows C++, Rust and Go.", None),
        (["Rust", "Go"], "Tom knows C++, Rust and Go.", "C++"),
        (["tea", "coffee"], "We serve tea or coffee, and cake.", "cake"),
        (["Lyon"], "She lives in Lyon.", None),
    ],
)
def test_enumeration_gaps(items: list[str], text: str, gap: str | None) -> None:
    assert enumeration_gap(items, text) == gap


@pytest.mark.parametrize(
    "key,text,stated",
    [
        ("auto_renew", "Lena bought the family plan for 7 months, with auto-renewal off.", False),
        ("auto_renew", "With auto-renewal on, Mia Kowalski has the family plan.", True),
        ("auto_renew", "Auto-renewal is not enabled.", False),
        ("auto_renew", "Auto-renewal is turned on.", True),
        ("newsletter", "Newsletter: yes.", True),
        ("newsletter", "Newsletter: no.", False),
        ("newsletter", "Newsletter:no", False),
        ("in_stock", "The kettle is in stock, no doubt.", True),  # "no" answers nothing here
        ("dark_mode", "Dark mode disabled.", False),
    ],
)
def test_a_setting_is_what_the_text_says_after_its_name(key: str, text: str, stated: bool) -> None:
    assert boolean_stated(key, text) is stated


def test_a_generated_boolean_the_text_contradicts_is_refused() -> None:
    text = "Lena Vogel bought the family plan for 7 months, with auto-renewal off."
    right = {"customer": "Lena Vogel", "plan": "family", "months": 7, "auto_renew": False}
    assert ok("subscription", text, right)
    assert not ok("subscription", text, {**right, "auto_renew": True})


@pytest.mark.parametrize(
    "value,text,whole",
    [
        ("S2 speaker", "The Orbit S2 speaker costs 55 dollars and is in stock.", "Orbit S2 speaker"),
        ("Orbit S2", "The Orbit S2 speaker costs 55 dollars and is in stock.", "Orbit S2 speaker"),  # before its noun
        ("Orbit S2 speaker", "The Orbit S2 speaker costs 55 dollars and is in stock.", None),
    ],
)
def test_a_value_that_starts_inside_a_name_with_a_model_code_is_a_cut(value: str, text: str, whole: str | None) -> None:
    answer = {"product": value, "price": 55, "in_stock": True}
    assert ok("stock-boolean", text, answer) is (whole is None)
    if whole is not None:
        assert ok("stock-boolean", text, {**answer, "product": whole})


def test_codes_after_a_sentence_initial_word_stay_whole() -> None:
    text = "Your flight LH 1234 on 2027-03-04 has seat 14C."
    assert ok("booking", text, {"flight": "LH 1234", "date": "2027-03-04", "seat": "14C"})
    text = "Flight LH 1234 on 2027-03-04 has seat 14C."
    assert ok("booking", text, {"flight": "LH 1234", "date": "2027-03-04", "seat": "14C"})


@pytest.mark.parametrize(
    "value,text,whole",
    [
        ("Nordik 2", "The Nordik 2 kettle costs 321 dollars and is out of stock.", "Nordik 2 kettle"),
        ("Aqua 7", "At 50 dollars, the Aqua 7 filter is in stock.", "Aqua 7 filter"),
        ("Luma 300", "The Luma 300 lamp costs 239 dollars and is in stock.", "Luma 300 lamp"),
    ],
)
def test_a_name_that_stops_at_its_model_code_before_the_thing_it_names_is_a_cut(value: str, text: str, whole: str) -> None:
    price = int(next(w for w in text.split() if w.isdigit() and w not in value.split()))
    answer = {"product": value, "price": price, "in_stock": "out of stock" not in text}
    assert not ok("stock-boolean", text, answer)
    assert ok("stock-boolean", text, {**answer, "product": whole})


def test_a_code_followed_by_a_verb_or_a_preposition_is_whole() -> None:
    assert ok(
        "booking",
        "Flight LH 1234 leaves on 2027-03-04 from seat 14C.",
        {"flight": "LH 1234", "date": "2027-03-04", "seat": "14C"},
    )


@pytest.mark.parametrize(
    "value,text",
    [
        ("Martin works", "Alice Martin works in the research department in Lyon."),  # a name run on into its verb
        ("Running", "Running 99 minutes, Paper Moons was directed by Dana Levi."),  # a clause's opening participle
    ],
)
def test_spans_cut_from_a_sentence_are_not_names(value: str, text: str) -> None:
    from stepcache_core.tasks.json.text import _cut_name

    assert _cut_name(value, [], text) is not None
    assert _cut_name("Alice Martin", [], text) is None and _cut_name("Paper Moons", [], text) is None


@pytest.mark.parametrize(
    "key,value,text,named",
    [
        ("departure", "D22", "Flight AF117 departs from Osaka at gate D22 and lands in Denver.", "Osaka"),
        ("departure", "Osaka", "Flight AF117 departs from Osaka at gate D22 and lands in Denver.", None),
        ("flight", "AF117", "Flight AF117 departs from Osaka at gate D22 and lands in Denver.", None),
        ("destination", "Denver", "Flight AF117 departs from Osaka at gate D22 and lands in Denver.", None),  # no label
        ("visitors", 5, "The jazz festival drew 2703 visitors over 5 days.", "2703"),
        ("visitors", 2703, "The jazz festival drew 2703 visitors over 5 days.", None),
        ("ship_to", "DHL", "Order A-1042 contains 12 boxes and ships to Lyon with DHL.", "Lyon"),
    ],
)
def test_a_value_the_text_labels_with_another_keys_word_is_refused(key: str, value: object, text: str, named: str | None) -> None:
    from stepcache_core.tasks.json.text import labelled_elsewhere

    assert labelled_elsewhere(key, value, text) == named
