"""The traps corpus (issue 18, "Nothing in the request goes unread") through ``StepCacheEngine.run``.

A cached answer must never be served for a request that differs in something else than its slots (an extra ask,
a self-correction, swapped roles, the prompt's own instructions, a negated statement, prose restating the cached
values, another equation with the same root, free text in another case), while the safe variants of the same
families (only slots changed) are still reused."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from stepcache_core.bench.traps import CASES, CATEGORIES, CoreTrapRoute, TrapModel, judge, shortfalls, trap_rows


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    return trap_rows(CoreTrapRoute())


def test_every_class_has_ten_traps_and_ten_safe_variants() -> None:
    counts = Counter((c.category, c.expect) for c in CASES)
    for category in CATEGORIES:
        assert counts[category, "must_not_reuse"] >= 10 and counts[category, "reuse_ok"] >= 10, category
    assert len({(c.category, c.id) for c in CASES}) == len(CASES)


def test_the_models_answers_are_correct_and_serving_the_cached_one_is_not() -> None:
    for case in CASES:
        assert judge(case, case.new_answer) is None, case.id
        if case.expect == "must_not_reuse":
            assert judge(case, case.cached_answer) is not None, case.id


def test_the_scripted_model_answers_the_request_its_prompt_carries() -> None:
    case = next(c for c in CASES if c.id == "actually-make-it-4")  # the new text holds the cached one
    model = TrapModel(case)
    assert model.respond(case.request(case.new)) == case.new_answer
    assert model.respond(case.request(case.cached)) == case.cached_answer
    keys = f"Text: {case.new}\n\nReturn one JSON object with exactly these keys: quantity. Copy every value exactly as written."
    assert model.respond(keys) == '{"quantity": 4}'


@pytest.mark.parametrize("category", CATEGORIES)
def test_nothing_is_served_wrong(rows: list[dict[str, Any]], category: str) -> None:
    wrong, _ = shortfalls(rows, category)
    assert not wrong, "served wrong:\n" + "\n".join(wrong)


@pytest.mark.parametrize("category", CATEGORIES)
def test_the_safe_variants_are_still_reused(rows: list[dict[str, Any]], category: str) -> None:
    _, missed = shortfalls(rows, category)
    assert not missed, "not reused:\n" + "\n".join(missed)
