"""Long alternations of words, compiled to be tried only where one of them can start.

Python's ``re`` tries a pattern such as ``\\b(?:more|less|fewer|...)`` branch by branch at every position of the
text, spaces and punctuation included. :func:`alternation` puts a lookahead for the characters any branch can start
with in front (read from the parsed pattern), so the other positions are passed at once: the same matches, found in
about half the time on the word task's hot path (a hit re-reads every reused line)."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["alternation"]

_WORD = re.compile(r"\w")


def alternation(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``pattern`` compiled with a lookahead for its possible first characters, where they are all word characters
    or listed ones; as it is otherwise (or where the pattern cannot be read so)."""
    try:
        starts = None if flags & re.ASCII else _starts(pattern, flags)  # (ASCII: "\\w" is not every letter)
    except Exception:  # an internal parser of another Python: the plain pattern is still right
        starts = None
    return re.compile(f"(?=[{starts}])" + pattern if starts else pattern, flags)


def _starts(pattern: str, flags: int) -> str | None:
    """The contents of a character class that holds every character a match of ``pattern`` can start with, or
    ``None`` where a match may be empty or start with a character no short class names."""
    from re import _constants as c  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]

    chars: set[str] = set()

    def add_literal(code: int) -> bool:
        ch = chr(code)
        chars.add(r"\w" if ch.isalnum() or ch == "_" else re.escape(ch))
        return True

    def add_set(items: Any) -> bool:
        if items and items[0][0] is c.NEGATE:  # [^\W\d_]: the word characters it does not take away
            if (c.CATEGORY, c.CATEGORY_NOT_WORD) in items[1:]:
                chars.add(r"\w")
                return True
            return False
        for op, av in items:
            if op is c.LITERAL:
                add_literal(av)
            elif op is c.CATEGORY and av in (c.CATEGORY_DIGIT, c.CATEGORY_WORD):
                chars.add(r"\w")
            elif op is c.RANGE and av[1] - av[0] < 4096 and all(_WORD.match(chr(x)) for x in range(av[0], av[1] + 1)):
                chars.add(r"\w")
            else:
                return False
        return True

    def first(items: Any) -> bool | None:
        """Adds what ``items`` can start with; ``None`` where they can match nothing at all (look further)."""
        for op, av in items:
            if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
                continue
            if op is c.LITERAL:
                return add_literal(av)
            if op is c.IN:
                return add_set(av)
            if op is c.SUBPATTERN:
                found = first(av[-1])
                if found is None:
                    continue
                return found
            if op is c.BRANCH:
                results = [first(alt) for alt in av[1]]
                if any(r is False for r in results):
                    return False
                if any(r is None for r in results):
                    continue  # a branch that may be empty: what follows it may start a match too
                return True
            if op in (c.MAX_REPEAT, c.MIN_REPEAT):
                low, _, body = av
                found = first(body)
                if found is False:
                    return False
                if found is None or low == 0:
                    continue  # may be skipped: what follows may start a match too
                return True
            return False
        return None

    if first(_parser.parse(pattern, flags)) is not True:
        return None
    return "".join(sorted(chars))
