"""Request templates (issue 18): what a request says besides the slots its task adapts. Each test names the class
of input it stands for; the traps corpus (tests/*/test*_traps.py) runs the same classes end to end."""

from __future__ import annotations

import pytest

from stepcache_core import Request
from stepcache_core.tasks.equation.parse import parse_problem
from stepcache_core.tasks.json.parse import allowed_values, parse_json_problem, record_text
from stepcache_core.tasks.template import canonical_ask, fold_whitespace

SOLVE = "\u27e8SOLVE\u27e9"


# --- the shared helpers ---------------------------------------------------------------------------------------------
def test_fold_whitespace_keeps_inner_words_and_drops_trailing_marks() -> None:
    assert fold_whitespace("  Solve   for x:\n 3x = 1 ?!") == "Solve for x: 3x = 1"


def test_canonical_ask_needs_every_word_in_the_vocabulary_and_each_slot_once() -> None:
    vocab = {"solve", "for"}
    assert (
        canonical_ask(
            "Solve for \u27e8V\u27e9: \u27e8EQ\u27e9", vocab, slots=("\u27e8EQ\u27e9",), free=("\u27e8V\u27e9",), canonical="C"
        )
        == "C"
    )
    assert (
        canonical_ask("Solve \u27e8EQ\u27e9 twice", vocab, slots=("\u27e8EQ\u27e9",), canonical="C")
        == "Solve \u27e8EQ\u27e9 twice"
    )
    assert canonical_ask("Solve \u27e8EQ\u27e9 \u27e8EQ\u27e9", vocab, slots=("\u27e8EQ\u27e9",), canonical="C") != "C"
    assert canonical_ask("Solve \u27e8EQ\u27e9 for 2", vocab, slots=("\u27e8EQ\u27e9",), canonical="C") != "C"  # a digit


# --- equations: phrasings of one ask share a template ----------------------------------------------------------------
@pytest.mark.parametrize(
    "prompt",
    [
        "Solve for x: 3x + 5 = 20",
        "Find x if 3x + 7 = 22",
        "Work out y: 3y + 5 = 26",
        "What value of x satisfies 3x + 5 = 20?",
        "Find the value of x in the equation 3x + 5 = 20.",
        "Determine x given that 3x + 5 = 20.",
        "3x + 5 = 20. Solve for x.",
        "Given 3x + 5 = 20, solve for x.",
        "3x + 5 = 20",
        "Solve for t1: 4t1 + 2 = 10",
    ],
)
def test_equation_asks_that_only_say_solve_fold_to_one_template(prompt: str) -> None:
    problem = parse_problem(Request(prompt))
    assert problem.template == SOLVE and problem.solves


@pytest.mark.parametrize("prompt", ["Solve \\(3x+5=20\\) for x.", "Solve for x: $3x + 5 = 20$", "Solve for x: 3*x + 5 = 20"])
def test_an_ask_that_writes_its_math_otherwise_keeps_its_notation_in_the_template(prompt: str) -> None:
    """Class (helper-176): a model mirrors the request's notation (TeX delimiters, a product's sign) in its steps;
    asks that differ in it are two templates, each still only asking to solve."""
    problem = parse_problem(Request(prompt))
    assert problem.template.startswith(SOLVE) and problem.template != SOLVE and problem.solves


@pytest.mark.parametrize(
    "prompt",
    [
        "If 3x + 5 = 20, what is 3x - 1?",  # another expression
        "Solve for x: 3x + 7 = 20 and round to one decimal",  # a rounding
        "Solve for x: 3x + 5 = 20, then 2x + 1 = 3",  # a second equation
        "Answer in Spanish: solve for x: 3x + 5 = 20",  # a language
        "Solve for x: 3x + 5 = 20. Only give the final number",  # a form
        "Solve for x: 3x + 5 = 20. Round your answer to one decimal place.",  # a rounding, its own sentence
        "If 3x + 7 = 22, what is x x?",  # a product, in "solve it" words only (helper-122)
        "Solve for x: 3x + 7 = 22. Is x a value?",  # a yes or no, in "solve it" words only (helper-122)
        "Is there a value of x that satisfies 3x + 7 = 22?",  # a yes or no that opens the ask
    ],
)
def test_equation_asks_for_more_keep_their_words_and_are_not_pure_solves(prompt: str) -> None:
    problem = parse_problem(Request(prompt))
    assert problem.template != SOLVE and not problem.solves


def test_equation_context_before_the_ask_is_kept_but_the_ask_still_folds() -> None:
    a = parse_problem(Request("You are terse.\n\nSolve for x: 3x + 5 = 20"))
    b = parse_problem(Request("You are terse.\n\nFind x if 3x + 9 = 30"))
    c = parse_problem(Request("You are verbose.\n\nSolve for x: 3x + 5 = 20"))
    assert a.template == b.template != c.template and a.solves


# --- JSON: the record and the key names are the slots ----------------------------------------------------------------
SCHEMA = {"type": "object", "properties": {"name": {"type": "string"}, "age": {"type": "integer"}}}


def _json(prompt: str) -> str:
    return parse_json_problem(Request(prompt, schema=SCHEMA)).template


def test_json_phrasings_of_one_extraction_share_a_template_whatever_the_record() -> None:
    assert (
        _json("Extract name, age as JSON. Text: Alice is 30.")
        == _json("Return a JSON object with the fields name and age. Text: Bob Stone, 41, a pilot.")
        == _json("Extract the name and age from this text:\nCarla is 25.")
    )


@pytest.mark.parametrize(
    "prompt",
    [
        "Extract name, age as JSON. Text: Alice is 30. Answer in French.",  # an instruction after the record
        "Extract name, age as JSON in uppercase. Text: Alice is 30.",  # an instruction before it
        "Extract name, age (in months) as JSON. Text: Alice is 30.",  # a hint after a key
    ],
)
def test_json_instructions_around_the_record_must_match(prompt: str) -> None:
    assert _json(prompt) != _json("Extract name, age as JSON. Text: Alice is 30.")


def test_json_values_come_from_the_record_not_the_instructions() -> None:
    keys = ("name", "city")
    example = 'Give the name and city as JSON, for example {"name": "Jane Doe", "city": "Paris"}.\n\nYuki moved to Osaka.'
    assert "Paris" not in record_text(example, keys) and "Osaka" in record_text(example, keys)
    hinted = "Extract the expense as JSON: currency (the ISO code, e.g. EUR) and amount.\n\nText: 55 CHF."
    assert "EUR" not in record_text(hinted, ("currency", "amount"))
    plain = "Please find attached my order: Alice Martin, 30."
    assert record_text(plain, keys) == plain  # no label, no instruction line: all of it is the record


def test_allowed_value_lists_are_read_from_the_instructions_and_examples_are_not_lists() -> None:
    assert allowed_values("Fields: priority (low, medium or high) and component.", ("priority", "component")) == {
        "priority": ("low", "medium", "high")
    }
    assert allowed_values("payment_method must be card, cash or transfer; total in euros.", ("payment_method",)) == {
        "payment_method": ("card", "cash", "transfer")
    }
    assert allowed_values("currency (the ISO code, e.g. EUR) and amount", ("currency", "amount")) == {}
    assert allowed_values("Extract name, age as JSON.", ("name", "age")) == {}
