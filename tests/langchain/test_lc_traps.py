"""The traps corpus (issue 18) through LangChain: ``set_llm_cache(StepCache(...))`` and ``StepCacheRunnable``, JSON
requests carrying a ``PydanticOutputParser``'s format instructions."""

from __future__ import annotations

from typing import Any

import pytest

from stepcache_core.bench.traps import CATEGORIES, shortfalls, trap_rows
from stepcache_langchain.bench_traps import MODES, LangChainTrapRoute


@pytest.fixture(scope="module", params=MODES)
def rows(request: Any) -> list[dict[str, Any]]:
    return trap_rows(LangChainTrapRoute(request.param))


@pytest.mark.parametrize("category", CATEGORIES)
def test_nothing_is_served_wrong(rows: list[dict[str, Any]], category: str) -> None:
    wrong, _ = shortfalls(rows, category)
    assert not wrong, "served wrong:\n" + "\n".join(wrong)


@pytest.mark.parametrize("category", CATEGORIES)
def test_the_safe_variants_are_still_reused(rows: list[dict[str, Any]], category: str) -> None:
    _, missed = shortfalls(rows, category)
    assert not missed, "not reused:\n" + "\n".join(missed)
