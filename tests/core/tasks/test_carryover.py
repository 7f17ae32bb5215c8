"""Carryover checks (issue 18): what a reuse would carry from the cached request that the new one does not share.
Each test names the class of input it stands for; every one ends with what is served, counted as wrong or not."""

from __future__ import annotations

import json
import re
from fractions import Fraction
from typing import Any

from stepcache_core import Request, StepCacheEngine
from stepcache_core.fakes import HashEmbedder, MemoryStore, ScriptedBackend
from stepcache_core.segment import JsonObjectSegmenter, LayoutSegmenter
from stepcache_core.tasks import builtin_tasks
from stepcache_core.tasks.equation import EquationCarryover, parse_problem
from stepcache_core.tasks.json import JsonCarryover, parse_json_problem


def _engine() -> StepCacheEngine:
    """The JSON checks alone decide a reuse for another record: by default it would also wait for a second model
    answer that agrees (``tests/core/tasks/test_json_corroborate.py``), and every JSON case here would go to the
    model without testing what the checks carry over."""
    return StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder(), tasks=builtin_tasks(json_corroboration=False))


def _served(cached: tuple[str, str], new: str, model: str, schema: dict[str, Any] | None = None) -> tuple[str, str]:
    """(path, text) of ``new`` after ``cached`` was answered; ``model`` is the model's answer to anything else."""
    engine = _engine()
    engine.run(Request(cached[0], schema=schema), backend=ScriptedBackend([cached[1]]))
    out = engine.run(Request(new, schema=schema), backend=ScriptedBackend([], default=model))
    return out.trace.path, out.text


# --- equations ------------------------------------------------------------------------------------------------------
def test_another_problems_working_with_the_same_root_is_stale() -> None:
    """Class: another equation, same root. ``4x = 12`` holds for 5x - 6 = 9 too; it is the other problem's."""
    old, new = parse_problem(Request("Solve for x: 4x + 2 = 14")), parse_problem(Request("Solve for x: 5x - 6 = 9"))
    steps = LayoutSegmenter().segment("4x + 2 = 14\n4x = 12\nx = 3")
    found = EquationCarryover().stale(old, new, steps, steps, "")
    assert [v.step for v in found] == [0, 1] and all(not v.ok for v in found)
    path, text = _served(("Solve for x: 4x + 2 = 14", "4x + 2 = 14\n4x = 12\nx = 3"), "Solve for x: 5x - 6 = 9", "5x = 15\nx = 3")
    assert "14" not in text and "12" not in text and text.endswith("x = 3")  # 0 wrong


def test_adapted_steps_may_derive_a_number_equal_to_an_old_constant() -> None:
    """Class: safe numeric variant whose working passes through an old constant (2x = 10 - 6 = 4)."""
    path, text = _served(
        ("Solve for x: 2x + 4 = 10", "2x + 4 = 10\n2x = 10 - 4 = 6\nx = 3"), "Solve for x: 2x + 6 = 10", "unused"
    )
    assert path == "reuse" and text == "2x + 6 = 10\n2x = 10 - 6 = 4\nx = 2"


def test_a_root_written_as_a_word_is_never_reused() -> None:
    """Class: stale prose. Digits are adapted, number words are not."""
    cached = ("Solve for x: 2x + 6 = 12", "2x = 6, then divide by 2.\nSo x is three: x = 3.")
    path, text = _served(cached, "Solve for x: 2x + 6 = 16", "2x = 10, then divide by 2.\nSo x is five: x = 5.")
    assert "three" not in text and "x = 5" in text


def test_a_check_in_words_whose_numbers_could_be_the_root_or_a_constant_is_not_guessed() -> None:
    """Class: a constant equal to the root (4x + 3 = 15, x = 3). "4 times 7 is 28" would be true and meaningless."""
    cached = ("Solve for x: 4x + 3 = 15", "4x + 3 = 15\n4x = 12\nx = 3\nCheck: so 4 times 3 is 12")
    path, text = _served(cached, "Solve for x: 4x + 7 = 15", "4x = 8\nx = 2")
    assert "28" not in text and "4 times 7" not in text and "x = 2" in text


def test_an_unreduced_fraction_is_a_division_of_two_numbers() -> None:
    """Class: a chain whose fraction equals the root (x = 12/4 = 3 must not become x = 2 = 2)."""
    path, text = _served(("Solve for x: 4x + 3 = 15", "4x = 15 - 3\nx = 12/4 = 3"), "Solve for x: 4x + 7 = 15", "unused")
    assert path == "reuse" and text == "4x = 15 - 7\nx = 8/4 = 2"


# --- JSON -----------------------------------------------------------------------------------------------------------
def _schema(**types: str) -> dict[str, Any]:
    return {"type": "object", "properties": {k: {"type": t} for k, t in types.items()}, "required": list(types)}


TRIP = _schema(origin="string", destination="string")


def _json_stale(
    schema: dict[str, Any], old: tuple[str, dict[str, Any]], new: tuple[str, dict[str, Any]], note: str = ""
) -> list[Any]:
    seg = JsonObjectSegmenter()
    po, pn = parse_json_problem(Request(old[0], schema=schema)), parse_json_problem(Request(new[0], schema=schema))
    cached = seg.segment(json.dumps(old[1]) + note)
    steps = seg.segment(json.dumps(new[1]) + note, origin="cached")
    return JsonCarryover().stale(po, pn, cached, steps, json.dumps(new[1]) + note)


def test_a_value_that_changed_its_role_word_is_stale() -> None:
    """Class: roles reversed ("from Lyon to Porto" -> "from Porto to Lyon")."""
    found = _json_stale(
        TRIP, ("Trip from Lyon to Porto.", {"origin": "Lyon", "destination": "Porto"}),
        ("Trip from Porto to Lyon.", {"origin": "Lyon", "destination": "Porto"}),
    )  # fmt: skip
    assert {v.key for v in found} == {"origin", "destination"}


def test_the_same_roles_with_other_values_are_not_stale() -> None:
    """Class: safe variant (other cities, same roles)."""
    assert not _json_stale(
        TRIP, ("Trip from Lyon to Porto.", {"origin": "Lyon", "destination": "Porto"}),
        ("Trip from Madrid to Seville.", {"origin": "Madrid", "destination": "Seville"}),
    )  # fmt: skip


def test_values_that_swapped_places_around_the_same_words_are_stale() -> None:
    """Class: roles reversed without role words ("Kovacs beat Moreau" -> "Moreau beat Kovacs")."""
    schema = _schema(winner="string", loser="string")
    found = _json_stale(
        schema, ("Kovacs beat Moreau.", {"winner": "Kovacs", "loser": "Moreau"}),
        ("Moreau beat Kovacs.", {"winner": "Kovacs", "loser": "Moreau"}),
    )  # fmt: skip
    assert {v.key for v in found} == {"winner", "loser"}


def test_a_record_with_another_unclaimed_name_offers_a_second_candidate() -> None:
    """Class: two people for one key (a caller and the boss they call for)."""
    schema = _schema(customer="string")
    found = _json_stale(
        schema, ("This is Nora Quinn, call me back.", {"customer": "Nora Quinn"}),
        ("This is Nora Quinn, calling for my boss, Mark Ellis.", {"customer": "Nora Quinn"}),
    )  # fmt: skip
    assert found  # the added words are a change no value accounts for (and a second candidate for the key)
    same_words = _json_stale(
        schema, ("Nora Quinn and her boss called.", {"customer": "Nora Quinn"}),
        ("Nora Quinn and her boss Mark Ellis called.", {"customer": "Nora Quinn"}),
    )  # fmt: skip
    assert same_words


def test_a_record_that_corrects_itself_goes_to_the_model() -> None:
    """Class: corrections, in several languages."""
    schema = _schema(quantity="integer")
    for text in (
        "I want 3 units, actually, make it 4.",
        "Ich hätte gern 2 Packungen, nein, doch lieber 5.",
        "mardi... non, plutôt 4",
    ):
        found = _json_stale(schema, ("I want 3 units.", {"quantity": 3}), (text, {"quantity": 4}))
        assert found and found[0].step is None, text


def test_a_note_naming_the_cached_record_is_stale_and_skips_the_reuse() -> None:
    """Class: stale prose around the object (the note names the cached person and age)."""
    path, text = _served(
        ("Extract name, age as JSON. Text: Alice is 30 years old.", '{"name": "Alice", "age": 30}\nNote: Alice is 30.'),
        "Extract name, age as JSON. Text: Bob is 41 years old.",
        '{"name": "Bob", "age": 41}',
        _schema(name="string", age="integer"),
    )
    assert path == "skip" and text == '{"name": "Bob", "age": 41}'  # the model answered: 0 wrong


def test_a_value_outside_the_instructions_allowed_list_is_refused() -> None:
    """Class: instructions. "bank" is grounded in "bank transfer" but the instructions allow card, cash or transfer."""
    schema = _schema(payment_method="string", total="integer")
    prompt = "payment_method must be card, cash or transfer; total is the amount in euros.\n\n{}"
    path, text = _served(
        (prompt.format("Paid 64 euros by card at the front desk."), '{"payment_method": "card", "total": 64}'),
        prompt.format("Settled the 64 euros by bank transfer on Monday."),
        '{"payment_method": "transfer", "total": 64}',
        schema,
    )
    assert json.loads(text) == {"payment_method": "transfer", "total": 64}


def test_a_generated_value_may_not_take_a_slot_the_cached_record_gave_to_something_else() -> None:
    """Class: roles, on the model's own answer (full protocol, seed 43: Gemma named the pet after its owner). The
    cached entry is the precedent: "belongs to Dana Levi" was no one's ``name``."""
    import pytest

    from stepcache_core.errors import UnverifiedOutputError

    schema = _schema(name="string", species="string", age="integer")
    prompt = "Extract name, species, age as JSON. Text: {}"
    engine = _engine()
    engine.run(
        Request(prompt.format("Nala is a dog aged 7 that belongs to Dana Levi."), schema=schema),
        backend=ScriptedBackend(['{"name": "Nala", "species": "dog", "age": 7}']),
    )
    wrong = '{"name": "Hana Sato", "species": "turtle", "age": 1}'
    new = Request(prompt.format("Belonging to Hana Sato, Pepper is a turtle aged 1."), schema=schema)
    with pytest.raises(UnverifiedOutputError):  # never served, never stored: 0 wrong
        engine.run(new, backend=ScriptedBackend([], default=wrong))
    right = '{"name": "Pepper", "species": "turtle", "age": 1}'
    out = engine.run(new, backend=ScriptedBackend([], default=right))
    assert json.loads(out.text) == json.loads(right)


def test_record_keeps_no_answer_that_contradicts_its_precedent() -> None:
    """Class: roles, on the set_llm_cache route (LangChain serves the model's answer; the cache decides what it
    keeps). A wrong answer kept would be reused by every later variant."""
    schema = _schema(name="string", species="string", age="integer")
    prompt = "Extract name, species, age as JSON. Text: {}"
    engine = _engine()
    assert engine.record(Request(prompt.format("Nala is a dog aged 7 that belongs to Dana Levi."), schema=schema),
                         '{"name": "Nala", "species": "dog", "age": 7}')  # fmt: skip
    new = Request(prompt.format("Belonging to Hana Sato, Pepper is a turtle aged 1."), schema=schema)
    assert not engine.record(new, '{"name": "Hana Sato", "species": "turtle", "age": 1}')
    assert engine.record(new, '{"name": "Pepper", "species": "turtle", "age": 1}')


def test_a_renamed_key_keeps_the_slot_of_the_key_it_renames() -> None:
    """Class: roles on a renamed key (full protocol: ``department -> team``, which Gemma patched with the city or
    "logistics department"). The cached ``department`` is the precedent of ``team``."""
    dept = _schema(name="string", department="string", salary="integer")
    team = _schema(name="string", team="string", salary="integer")
    text = "Extract name, {k}, salary as JSON. Text: {t}"
    base = "Bruno Costa works in the logistics department in Valencia and earns 85646 euros a year."
    for new_text in (base, "Julia Rossi works in the research department in Quito and earns 50332 euros a year."):
        for wrong in (
            "Valencia" if new_text == base else "Quito",
            "logistics department" if new_text == base else "research department",
        ):
            engine = _engine()
            engine.run(Request(text.format(k="department", t=base), schema=dept),
                       backend=ScriptedBackend(['{"name": "Bruno Costa", "department": "logistics", "salary": 85646}']))  # fmt: skip
            name, salary = ("Bruno Costa", 85646) if new_text == base else ("Julia Rossi", 50332)
            answer = json.dumps({"name": name, "team": wrong, "salary": salary})
            try:
                out = engine.run(
                    Request(text.format(k="team", t=new_text), schema=team), backend=ScriptedBackend([], default=answer)
                )
            except Exception as e:  # refused: nothing served
                assert type(e).__name__ == "UnverifiedOutputError"
            else:
                assert json.loads(out.text)["team"] != wrong, (new_text, wrong)


# --- JSON: every difference between the two records accounted for ----------------------------------------------------
PERSON = _schema(name="string", age="integer", city="string")
ANA = ("Ana Silva is 30 and lives in Lisbon.", {"name": "Ana Silva", "age": 30, "city": "Lisbon"})
BRUNO = {"name": "Bruno Costa", "age": 45, "city": "Porto"}


def test_a_record_that_differs_only_in_its_values_is_reused() -> None:
    """Class: safe variant. Only the values changed, and a number no key extracts ("2 kids")."""
    assert not _json_stale(PERSON, ANA, ("Bruno Costa is 45 and lives in Porto.", BRUNO))
    assert not _json_stale(
        PERSON,
        ("Ana Silva is 30, has 2 kids and lives in Lisbon.", ANA[1]),
        ("Bruno Costa is 45, has 3 kids and lives in Porto.", BRUNO),
    )


def test_words_the_record_adds_outside_its_values_go_to_the_model() -> None:
    """Classes: an extra ask inside the record (English and Spanish, no instruction verb to spot), a negation, a
    hedge, a second clause about another value, a question. Each adds words no value fills: the model answers."""
    for text in (
        "Bruno Costa is 45 and lives in Porto. Also list his hobbies.",
        "Bruno Costa is 45 and lives in Porto. Además, indica sus aficiones.",
        "Bruno Costa is 45 and no longer lives in Porto.",
        "Bruno Costa is about 45 and lives in Porto.",
        "Bruno Costa is 45 and lives in Porto, he moved from Braga last year.",
        "Bruno Costa is 45 and lives in Porto?",
    ):
        found = _json_stale(PERSON, ANA, (text, BRUNO))
        assert found and found[0].step is None and "accounts for" in found[0].reason, text


def test_words_the_record_drops_or_rephrases_go_to_the_model() -> None:
    """Class: paraphrase. The task cannot tell a rephrased record from a changed one, so it does not reuse."""
    for text in ("Bruno Costa, 45, lives in Porto.", "Bruno Costa is 45 and lives near Porto."):
        found = _json_stale(PERSON, ANA, (text, BRUNO))
        assert found and "accounts for" in found[0].reason, text


def test_a_yes_no_field_restated_is_a_value_not_a_change() -> None:
    """Class: a boolean's own words ("in stock" / "out of stock" / "not in stock") are its slot."""
    schema = _schema(product="string", price="integer", in_stock="boolean")
    old = ("The Nordik 2 kettle costs 40 dollars and is in stock.", {"product": "Nordik 2 kettle", "price": 40, "in_stock": True})
    for text, stocked in (
        ("The Vento X5 fan costs 85 dollars and is out of stock.", False),
        ("The Vento X5 fan costs 85 dollars and is not in stock.", False),
        ("The Vento X5 fan costs 85 dollars and is in stock.", True),
    ):
        new = (text, {"product": "Vento X5 fan", "price": 85, "in_stock": stocked})
        assert not _json_stale(schema, old, new), text


def test_an_extra_ask_in_the_record_is_answered_by_the_model_on_the_engine() -> None:
    """Class: extra ask after the record, end to end (the wrong reuse found by probing: the cached-shape JSON was
    served). The model's answer is served as written: 0 wrong."""
    prompt = "Extract name, age, city as JSON. Text: {}"
    model = '{"name": "Bruno Costa", "age": 45, "city": "Porto"}\nHis hobbies are not stated in the text.'
    path, text = _served(
        (prompt.format(ANA[0]), json.dumps(ANA[1])),
        prompt.format("Bruno Costa is 45 and lives in Porto. Also list his hobbies."),
        model,
        PERSON,
    )
    assert path in ("skip", "miss") and text == model
    path, text = _served(
        (prompt.format(ANA[0]), json.dumps(ANA[1])), prompt.format("Bruno Costa is 45 and lives in Porto."), "{}", PERSON
    )
    assert path == "reuse" and json.loads(text) == BRUNO


# --- equations: the answer's prose is read too ------------------------------------------------------------------------
def test_a_claim_about_the_cached_values_is_never_served_for_new_ones() -> None:
    """Classes: parity, sign, integrality, primality, comparison, said in a reused line or a note after the steps.
    The line is patched through the model (here "MODEL"), never served as the cached answer wrote it: 0 wrong."""
    for answer, new in (
        ("Subtract 5 from both sides: 3x = 15.\nDivide by 3: x = 5.\nSo x = 5, which is odd.", "Solve for x: 3x + 8 = 20"),
        ("3x = 15\nx = 5\nThe solution is positive.", "Solve for x: 3x + 35 = 20"),
        ("3x = 15\nx = 5 (an integer)", "Solve for x: 3x + 6 = 20"),
        ("3x = 15\nx = 5\nNote: 5 is a prime number.", "Solve for x: 3x + 8 = 20"),
        ("3x = 15\nx = 5, greater than 4.", "Solve for x: 3x + 11 = 20"),
    ):
        path, text = _served(("Solve for x: 3x + 5 = 20", answer), new, "MODEL")
        for claim in ("odd", "positive", "integer", "prime", "greater"):
            assert claim not in text, (answer, text)


def test_narrated_steps_are_still_reused() -> None:
    """Class: safe variant. Prose that only narrates the solving is re-derived with the numbers, no model call."""
    answer = "I'll solve this step by step.\nSubtract 5 from both sides: 3x = 15.\nThen divide both sides by 3: x = 5.\nSo the answer is x = 5."
    path, text = _served(("Solve for x: 3x + 5 = 20", answer), "Solve for x: 3x + 8 = 20", "MODEL")
    assert path == "reuse" and "MODEL" not in text and text.splitlines()[-1] == "So the answer is x = 4."


# --- found by probing on unseen inputs (classes named per case) --------------------------------------------------------
def _asks_the_model(cached: tuple[str, str], new: str, schema: dict[str, Any]) -> bool:
    """Whether ``new`` went to the model (whose answer, "MODEL", is no JSON: refused, never served) rather than
    being served from the cached entry."""
    from stepcache_core.errors import UnverifiedOutputError

    engine = _engine()
    engine.run(Request(cached[0], schema=schema), backend=ScriptedBackend([cached[1]]))
    backend = ScriptedBackend([], default="MODEL")
    try:
        out = engine.run(Request(new, schema=schema), backend=backend)
    except UnverifiedOutputError:
        return bool(backend.calls)
    return bool(backend.calls) and out.trace.path != "reuse"


def test_words_around_a_value_are_never_carried_into_it() -> None:
    """Classes: a diff's replaced run longer than the value (a negation, a time limit, a parenthesis, quotes or
    markdown around it, a list item that swallows a conjunction). The value is left to the model: 0 wrong."""
    for text in (
        "Bruno Costa is 45 and lives in Porto no more.",
        "Bruno Costa is 45 and lives in Porto (not anymore).",
        "Bruno Costa is 45 and lives in Porto until May.",
        "Not Bruno Costa is 45 and lives in Porto.",
        'Bruno Costa is 45 and lives in "Porto".',
        "Bruno Costa is 45 and lives in **Porto**.",
        "Bruno (Costa) is 45 and lives in Porto.",
    ):
        assert _asks_the_model(
            ("Extract as JSON. Text: " + ANA[0], json.dumps(ANA[1])), "Extract as JSON. Text: " + text, PERSON
        ), text
    skills = _schema(name="string", skills="array")
    skills["properties"]["skills"] = {"type": "array", "items": {"type": "string"}}
    assert _asks_the_model(
        ("Extract as JSON. Text: Ana knows Python and Rust.", '{"name": "Ana", "skills": ["Python", "Rust"]}'),
        "Extract as JSON. Text: Bruno knows Java and Go and C++.",
        skills,
    )


def test_a_currency_or_symbol_the_record_changes_is_a_change() -> None:
    """Class: symbols outside the values ("$40" -> "€55" under ``price_usd``): the model answers."""
    schema = _schema(item="string", price_usd="number")
    assert _asks_the_model(
        ("Extract as JSON. Text: The lamp costs $40.", '{"item": "lamp", "price_usd": 40}'),
        "Extract as JSON. Text: The chair costs €55.",
        schema,
    )
    path, served = _served(
        ("Extract as JSON. Text: The lamp costs $40.", '{"item": "lamp", "price_usd": 40}'),
        "Extract as JSON. Text: The chair costs $55.",
        "MODEL",
        schema,
    )
    assert path == "reuse" and json.loads(served) == {"item": "chair", "price_usd": 55}


def test_a_negation_word_inside_a_name_is_not_a_negation() -> None:
    """Class: names that are negation words ("Bruno No is married" is married)."""
    from stepcache_core.tasks.json.text import boolean_stated

    assert boolean_stated("married", "Bruno No is married.") is True
    assert boolean_stated("married", "Bruno is not married.") is False
    assert boolean_stated("married", "No, Bruno is not married.") is False


def test_a_schema_format_is_enforced_on_every_value() -> None:
    """Class: ``format: date`` (and the other formats jsonschema checks): "03/04/2025" is not an ISO date."""
    schema = _schema(event="string", date="string")
    schema["properties"]["date"]["format"] = "date"
    assert _asks_the_model(  # "03/04/2025" is never served under format "date"
        ("Extract as JSON. Text: The meeting is on 2024-05-10.", '{"event": "meeting", "date": "2024-05-10"}'),
        "Extract as JSON. Text: The concert is on 03/04/2025.",
        schema,
    )


def test_a_condition_or_follow_up_both_requests_share_is_read_only_by_the_model() -> None:
    """Classes: a condition on the root (sign, integer, interval, in English and French), a format (decimal,
    rounding, modulo, base) and a follow-up computation, each shared by the cached and the new request: they held
    for the cached numbers; only the model reads them for the new ones. A renamed variable is still reused."""
    for ask, old_eq, old_answer, new_eq in (
        ("Solve for x, given that x > 0: {}", "2x + 4 = 10", "2x = 6\nx = 3", "2x + 10 = 4"),
        ("Solve for x where x is an integer: {}", "2x = 6", "x = 3", "2x = 7"),
        ("Résous pour x entier : {}", "2x = 6", "x = 3", "2x = 7"),
        ("Solve for x in the interval [0, 10]: {}", "3x + 5 = 20", "3x = 15\nx = 5", "3x + 5 = 50"),
        ("Solve for x and give the answer as a decimal: {}", "4x = 10", "x = 2.5", "4x = 11"),
        ("Solve for x, rounding to the nearest whole number: {}", "3x + 5 = 20", "3x = 15\nx = 5", "3x + 5 = 21"),
        ("Solve for x modulo 7: {}", "3x + 5 = 20", "3x = 15\nx = 5", "3x + 5 = 24"),
        ("Solve for x: {} Then compute x + 3.", "2x + 3 = 7.", "2x = 4\nx = 2\n2 + 3 = 5", "2x + 3 = 9."),
    ):
        path, served = _served((ask.format(old_eq), old_answer), ask.format(new_eq), "MODEL")
        assert served == "MODEL", (ask, served)
    path, served = _served(
        ("Solve for x, given that x > 0: 2x + 4 = 10", "2x = 6\nx = 3"), "Solve for y, given that y > 0: 2y + 4 = 10", "MODEL"
    )
    assert path == "reuse" and served == "2y = 6\ny = 3"


def test_a_decimal_the_cached_answer_wrote_stays_a_decimal_once_the_model_showed_it() -> None:
    """Class: answer layout (the caller's model wrote 2.5). A root of other decimal places is the model's to write
    the first time ("2.75" or "2.8"); its answer stored, roots of its places are served as it writes them (3.25,
    2.25, not 13/4), and one that never ends waits for the model again ("10/3" or "3.33")."""

    def written(c: int) -> str:
        value = Fraction(c, 4)
        return f"x = {float(value)}" if value.denominator != 3 else f"x = {value}"

    engine = StepCacheEngine(
        store=MemoryStore(),
        embedder=HashEmbedder(),
        backend=ScriptedBackend(respond=lambda spec: written(int(re.findall(r"4x = (\d+)", spec.prompt)[0]))),
    )
    paths = []
    for c in (10, 11, 13, 9):
        out = engine.run(Request(f"Solve for x: 4x = {c}"))
        paths.append(out.trace.path)
        assert out.text == written(c)
    assert paths == ["miss", "skip", "reuse", "reuse"]


def test_a_model_answer_counting_another_thing_than_its_precedent_is_not_served() -> None:
    """Class: a grounded number in the wrong role (full protocol, seed 42, Gemma: ``attendees: 5`` from "over 5
    days" where the cached ``attendees`` was "2703 visitors", which the new record still says). The record was
    rephrased, so the model answered; its answer is checked against the precedent's unit word, and patched."""
    from stepcache_core.errors import UnverifiedOutputError

    schema = _schema(event="string", city="string", attendees="integer")
    prompt = "Extract event, city, attendees as JSON. Text: {}"
    engine = _engine()
    engine.run(
        Request(prompt.format("The book fair in Valencia lasted 5 days and drew 2703 visitors."), schema=schema),
        backend=ScriptedBackend(['{"event": "book fair", "city": "Valencia", "attendees": 2703}']),
    )
    new = Request(prompt.format("Drawing 2703 visitors over 5 days, the book fair took place in Valencia."), schema=schema)
    wrong = '{"event": "book fair", "city": "Valencia", "attendees": 5}'
    try:
        out = engine.run(new, backend=ScriptedBackend([], default=wrong))
    except UnverifiedOutputError:
        pass  # refused: 0 wrong
    else:
        raise AssertionError(f"served {out.text}")
    out = engine.run(new, backend=ScriptedBackend([wrong, '{"attendees": 2703}']))
    assert json.loads(out.text)["attendees"] == 2703


def test_a_paragraph_that_names_json_is_read_as_the_requests_own_words() -> None:
    """Class: a trailing paragraph that names JSON or a schema (a program's "Here's a JSON schema to follow", or a
    record's "He writes JSON at work. Also list his hobbies."): it is not the record's, so it is compared word for
    word as the request's own; an extra ask inside it goes to the model. The same paragraph beside another record
    goes to the model too: its words are not an extraction's ask (``gate.transforms``), and words beside the ask
    may say what the values must be ("Write the names in upper case.")."""
    schema = _schema(name="string", age="integer")
    cached = ("Ana Silva is 30.\n\nShe writes JSON at work.", '{"name": "Ana Silva", "age": 30}')
    assert _asks_the_model(cached, "Bruno Costa is 45.\n\nHe writes JSON at work. Also list his hobbies.", schema)
    assert _asks_the_model(cached, "Bruno Costa is 45.\n\nShe writes JSON at work.", schema)
    path, text = _served(cached, cached[0], "MODEL", schema)  # the very same request is still reused
    assert path == "reuse" and json.loads(text) == {"name": "Ana Silva", "age": 30}


def test_a_paragraph_that_names_json_and_introduces_the_record_keeps_the_record() -> None:
    """Class: an intro paragraph before the record ("Convert the following into JSON with name, age and city:" on
    the line above it). Found in review: the record was cut away, so nothing was ever stored."""
    from stepcache_core.tasks.json.parse import record_text

    prompt = "You are a precise extraction assistant.\n\nConvert the following into JSON with name, age and city:\n{}"
    keys = ("name", "age", "city")
    assert "Ana Ruiz, 34, lives in Lyon." in record_text(prompt.format("Ana Ruiz, 34, lives in Lyon."), keys)
    path, text = _served(
        (prompt.format("Ana Ruiz, 34, lives in Lyon."), '{"name": "Ana Ruiz", "age": 34, "city": "Lyon"}'),
        prompt.format("Tom Berg, 41, lives in Oslo."),
        "MODEL",
        PERSON,
    )
    assert path == "reuse" and json.loads(text) == {"name": "Tom Berg", "age": 41, "city": "Oslo"}


def test_text_beside_a_call_naming_part_of_a_changed_value_is_stale() -> None:
    """Class: prose that names part of a changed value ("Recording Maria, 34." for a call now about John Smith), or
    a value that moved to another key (sender and recipient swapped)."""
    from stepcache_core.tasks.json import stale_mention

    assert stale_mention("Recording Maria, 34.", {"name": "Maria Lopez", "age": 34}, {"name": "John Smith", "age": 34})
    swapped = stale_mention(
        "Transferring $50 from Alice to Bob.", {"sender": "Alice", "recipient": "Bob"}, {"sender": "Bob", "recipient": "Alice"}
    )
    assert swapped is not None
    assert stale_mention("Recording Maria.", {"name": "Maria Lopez", "age": 34}, {"name": "Maria Lopez", "age": 41}) is None
