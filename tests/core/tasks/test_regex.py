"""``alternation``: the same matches as ``re.compile``, found only where a branch can start."""

from __future__ import annotations

import re

import pytest

from stepcache_core.tasks.regex import alternation
from stepcache_core.tasks.word import carry, corroborate, gate, numbers, read

TEXTS = [
    "She sold 48 / 2 = <<48/2=24>>24 clips in May, so altogether 48 + 24 = 72 clips.",
    "Tom's 3 cats eat more than Ann's dog; it's the 2nd of May, a Monday — 'twice' as much?",
    "Il n'en reste que 3 ; la moitié, soit 1,5 kg — ¿cuántos más? Über 10 ≤ 12 ≥ 4 < 5 > 2",
    "",
    "  \n\t...!!!",
    "Après le 3e jour, el doble, der Dritte: 一二三 and ½ of $1,250.50",
]


@pytest.mark.parametrize(
    "pattern",
    [r"\b(?:more|less|fewer)\b", r"(?:a\s+)?b\w+", r"[^\W\d_]+\s+partes?", r"\$\d+|\bfoo", r"(?i:mon|tue)\w*", r"x*y", r"a?"],
)
def test_an_alternation_finds_what_the_plain_pattern_finds(pattern: str) -> None:
    fast, plain = alternation(pattern, re.IGNORECASE), re.compile(pattern, re.IGNORECASE)
    for text in TEXTS:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)], (pattern, text)


def test_a_pattern_that_may_match_nothing_is_compiled_as_it_is() -> None:
    assert alternation(r"a?").pattern == r"a?"
    assert alternation(r"(?:x|)").pattern == r"(?:x|)"


def test_a_start_no_word_class_holds_whole_is_compiled_as_it_is() -> None:
    assert alternation(r"[0-z]+x").pattern == r"[0-z]+x"  # ":" to "@" lie between 9 and A
    assert alternation(r"\bfoo", re.ASCII).pattern == r"\bfoo"  # under ASCII, "\w" is no "ü"
    assert alternation(r"[a-z]+x").pattern == r"(?=[\w])[a-z]+x"


@pytest.mark.parametrize(
    "compiled",
    [carry._CLAIM, gate._BRANCH, gate._RULES, gate._ORDINALS, gate._BEFORE, gate._GENDERED, gate._WH,
     gate._UNREAD_NUMBER, read._GRADES, numbers.CALENDAR, numbers.ORDINAL_WORD, corroborate._ASKED_PER],
    ids=lambda p: p.pattern[:24],
)  # fmt: skip
def test_the_word_tasks_alternations_find_what_their_plain_patterns_find(compiled: re.Pattern[str]) -> None:
    assert compiled.pattern.startswith("(?=[")  # read: each is tried only where a branch can start
    plain = re.compile(compiled.pattern[compiled.pattern.index("])") + 2 :], compiled.flags)
    for text in TEXTS:
        assert [m.span() for m in compiled.finditer(text)] == [m.span() for m in plain.finditer(text)], text
