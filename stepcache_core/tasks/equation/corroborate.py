"""How the model writes a root no cached answer of its showed: settled by one answer of its own that agrees.

An equation's steps are checked link by link, and the root exactly; what no check reads is how the model *writes*
a root of another kind than the cached one. "x = 5" re-derived for a root of 13/3 may be "x = 13/3", "x = 4.33",
"x ≈ 4.33" or "x = 4 1/3", as the model writes; "x = 2.5" re-derived for 13/3 may be rounded to any number of
places. Such a step is adapted with a *doubt* (:attr:`~stepcache_core.values.Step.doubt`, see
:func:`~stepcache_core.tasks.equation.carry.root_doubt`): the model answers the first request that needs it, and
where its answer says the adapted steps word for word, the entry is vouched for that doubt, and later requests of
that kind are served. Nothing else is corroborated: every value the adapter moves is checked exactly, and the
engine asks no probes of its own (a doubt is settled by a caller's request, as it comes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...values import Request, Step

__all__ = ["EquationCorroboration"]


class EquationCorroboration:
    """Corroborates only the doubts the adapter names (see the module's docstring)."""

    def varied(self, old: Any, new: Any, cached: Sequence[Step] | None = None) -> frozenset[str]:
        return frozenset()

    def vouched(self, problem: Any, adapted: Sequence[Step], answered: Sequence[Step]) -> frozenset[str]:
        return frozenset()

    def vouching(self, old: Any, new: Any, cached: Sequence[Step]) -> frozenset[str]:
        return frozenset()

    def missing(self, old: Any, needed: frozenset[str], corroborated: frozenset[str], *, probing: bool = False) -> frozenset[str]:
        return needed - corroborated

    def agrees(self, problem: Any, adapted: Sequence[Step], answered: Sequence[Step]) -> bool:
        return "".join(s.text for s in adapted).strip() == "".join(s.text for s in answered).strip()

    def refutes(self, problem: Any, adapted: Sequence[Step], answered: Sequence[Step]) -> bool:
        return False  # every root is checked exactly: an answer that did not verify says nothing of an entry

    def probes(self, request: Request, problem: Any) -> Sequence[Request]:
        return ()
