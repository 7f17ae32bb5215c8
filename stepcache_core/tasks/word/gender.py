"""Whether a first name is a woman's or a man's, from the name data of ``nomquamgender`` (MIT; Van Buskirk et al.,
2023: about 720,000 names of many countries, each with how often it was given to women).

A word problem's pronouns tell its people apart by gender ("Tom and Ann each have 10 stickers. She gives 3 of hers
to him."): a rename keeps whom they mean only when each renamed person keeps a gender. A name the data does not
hold, or gives to women and men alike ("Alex", "Jordan", a place, a shop), has no gender here: the gate does not
rename it.

The package's module imports pandas to annotate tables; only its data is read here, once per process and on first
need (about 2 s), and kept as a small table of the names clearly given to one gender.
"""

from __future__ import annotations

import importlib.util
import json
import threading
from pathlib import Path
from typing import Literal

__all__ = ["gender_of"]

Gender = Literal["f", "m"]

# a name is one gender's when at most this share of the people who bear it are of the other (half the package's
# default: "Alex" and "Chris" are given to about one woman in ten), among at least this many people (a word that
# is no name, such as "Feeling", is rare in the data)
_CLEAR = 0.05
_BEARERS = 50

_lock = threading.Lock()
_table: dict[str, Gender] | None = None


def gender_of(name: str) -> Gender | None:
    """``"f"`` or ``"m"`` for a first name clearly given to one gender; ``None`` for any other name (unknown,
    given to both, or no data installed)."""
    key = _key(name)
    return _genders().get(key) if key else None


def _key(name: str) -> str:
    from unidecode import unidecode  # the data's names are transliterated to ASCII ("Zoë" is "zoe")

    return unidecode(name).strip().lower()


def _genders() -> dict[str, Gender]:
    global _table
    with _lock:
        if _table is None:
            _table = _load()
        return _table


def _load() -> dict[str, Gender]:
    spec = importlib.util.find_spec("nomquamgender")  # found without importing it (its module imports pandas)
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / "name_data.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    table: dict[str, Gender] = {}
    for name, row in data.items():
        try:
            bearers, women = int(row[1]), float(row[2])
        except (TypeError, ValueError, IndexError):
            continue
        if bearers >= _BEARERS and (women >= 1 - _CLEAR or women <= _CLEAR):
            table[name] = "f" if women >= 1 - _CLEAR else "m"
    return table
