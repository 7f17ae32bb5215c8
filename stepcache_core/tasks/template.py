"""Request templates: what a request says besides the slots its task adapts.

A reuse is safe only when every difference between the new request and the cached one is a slot the task adapts
(an equation's constants and variable, a record's values). A task writes its request as a *template*: the prompt
with those slots replaced by markers, everything else kept. Two requests whose templates differ ask for different
things (another question, an instruction, a second equation, a language, a rounding): the gate refuses the reuse
and the caller's model answers.

Phrasings a task reads as the very same ask ("Solve for x: ...", "Find x if ...", "What value of x satisfies
...?") are folded to one canonical template: every word of the template outside its slots comes from the task's
closed vocabulary of such asks. A word outside it (a digit, "round", "Spanish", "not", "and") keeps the template
literal, so it must match exactly.
"""

from __future__ import annotations

import re
from collections.abc import Collection

__all__ = ["fold_whitespace", "canonical_ask", "SLOT_MARK"]

SLOT_MARK = "\u27e8{}\u27e9"
"""How a slot is written in a template: ``⟨EQ⟩``, ``⟨V⟩``, ``⟨REC⟩``."""

_TOKENS = re.compile(r"\u27e8[A-Z]+\u27e9|[^\W\d_]+(?:'[^\W\d_]+)?|\d+|\S")
_QUIET = frozenset(":,.;?!()\"'\uff1a\uff0c\u3002\uff1f\uff01\uff08\uff09\u3001")  # and their full-width forms


def fold_whitespace(text: str) -> str:
    """Whitespace runs become one space; the ends and a trailing full stop, question or exclamation mark go."""
    return re.sub(r"[\s.!?]+$", "", " ".join(text.split()))


def canonical_ask(
    template: str, vocabulary: Collection[str], *, slots: Collection[str], canonical: str, free: Collection[str] = ()
) -> str:
    """``canonical`` when every word of ``template`` is in ``vocabulary`` (case-folded), its punctuation is quiet,
    each of ``slots`` appears in it exactly once and ``free`` slots any number of times; else ``template`` itself
    (which must then match exactly)."""
    tokens = _TOKENS.findall(template)
    for slot in slots:
        if tokens.count(slot) != 1:
            return template
    for tok in tokens:
        if tok in slots or tok in free or tok in _QUIET:
            continue
        if tok.startswith("\u27e8") or tok.casefold() not in vocabulary:
            return template
    return canonical
