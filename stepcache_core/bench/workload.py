"""The built-in workload: linear equations and JSON extraction, with perturbation families.

One request per line (JSONL): ``id``, ``task``, ``prompt``, ``group``,
``perturbation``, ``warmup``, ``schema`` (JSON tasks) and ``expected``
(equations: ``{"variable": "x", "value": "11/4"}`` or ``"values"`` for several
roots; JSON: the expected object). Deterministic for a seed.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..tasks.equation.expr import format_number

__all__ = ["build_workload", "write_workload", "read_workload", "PERTURBATIONS"]

PERTURBATIONS = ("exact", "numeric", "rename", "paraphrase", "reorder", "schema", "semantic")

_WORDING = [
    "Solve for {v}: {eq}",
    "Find the value of {v} in the equation {eq}.",
    "What value of {v} satisfies {eq}?",
    "Determine {v} given that {eq}.",
]
_REORDER = ["{eq}. Solve for {v}.", "Given {eq}, solve for {v}."]
_VARS = "yznktm"


def _lin_shapes() -> list[tuple[str, Callable[[random.Random], dict[str, int]], Callable[[dict[str, int]], Fraction]]]:
    def r(lo: int, hi: int) -> Callable[[random.Random], int]:
        return lambda g: g.randint(lo, hi)

    def params(**ranges: tuple[int, int]) -> Callable[[random.Random], dict[str, int]]:
        return lambda g: {k: g.randint(*v) for k, v in ranges.items()}

    F = Fraction
    return [
        ("{a}{v} + {b} = {c}", params(a=(2, 9), b=(1, 30), c=(10, 90)), lambda p: F(p["c"] - p["b"], p["a"])),
        ("{a}{v} - {b} = {c}", params(a=(2, 9), b=(1, 30), c=(1, 90)), lambda p: F(p["c"] + p["b"], p["a"])),
        ("{a}({v} + {b}) = {c}", params(a=(2, 7), b=(1, 12), c=(10, 90)), lambda p: F(p["c"], p["a"]) - p["b"]),
        ("{v}/{a} + {b} = {c}", params(a=(2, 8), b=(1, 20), c=(21, 60)), lambda p: (p["c"] - p["b"]) * F(p["a"])),
        ("{b} + {a}{v} = {c}", params(a=(2, 9), b=(1, 30), c=(31, 99)), lambda p: F(p["c"] - p["b"], p["a"])),
        ("{c} = {a}{v} - {b}", params(a=(2, 9), b=(1, 30), c=(1, 90)), lambda p: F(p["c"] + p["b"], p["a"])),
        ("{a}({v} - {b}) = {c}", params(a=(2, 7), b=(1, 12), c=(1, 90)), lambda p: F(p["c"], p["a"]) + p["b"]),
        (
            "{a}{v} + {b} = {c}{v} + {d}",
            params(a=(5, 9), b=(1, 20), c=(1, 4), d=(21, 60)),
            lambda p: F(p["d"] - p["b"], p["a"] - p["c"]),
        ),
        ("{a}{v} + {c}{v} = {b}", params(a=(2, 6), c=(1, 5), b=(10, 90)), lambda p: F(p["b"], p["a"] + p["c"])),
        (
            "{a}{v} - {b} = {c}{v} + {d}",
            params(a=(6, 9), b=(1, 20), c=(1, 5), d=(1, 40)),
            lambda p: F(p["d"] + p["b"], p["a"] - p["c"]),
        ),
    ]


def _eq(shape: str, p: dict[str, int], v: str) -> str:
    return shape.format(v=v, **p)


def _linear(g: random.Random, k: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for gi, (shape, draw, solve) in enumerate(_lin_shapes()):
        group = f"lin{gi}"
        base_p = draw(g)
        base_eq = _eq(shape, base_p, "x")

        def row(
            pert: str,
            i: int,
            prompt: str,
            variable: str,
            value: Fraction | None = None,
            values: list[int] | None = None,
            group: str = group,
        ) -> None:
            expected: dict[str, Any] = {"variable": variable}
            if values is not None:
                expected["values"] = [str(x) for x in values]
            else:
                assert value is not None
                expected["value"] = format_number(value)
            rows.append(
                {
                    "id": f"{group}-{pert}-{i}",
                    "task": "linear_equation",
                    "prompt": prompt,
                    "group": group,
                    "perturbation": pert,
                    "warmup": pert == "base",
                    "expected": expected,
                }
            )

        row("base", 0, _WORDING[0].format(v="x", eq=base_eq), "x", solve(base_p))
        for i in range(k):
            row("exact", i, _WORDING[0].format(v="x", eq=base_eq), "x", solve(base_p))
            p = draw(g)
            row("numeric", i, _WORDING[0].format(v="x", eq=_eq(shape, p, "x")), "x", solve(p))
            v = _VARS[(gi + i) % len(_VARS)]
            row("rename", i, _WORDING[0].format(v=v, eq=_eq(shape, base_p, v)), v, solve(base_p))
            row("paraphrase", i, _WORDING[1 + i % 3].format(v="x", eq=base_eq), "x", solve(base_p))
            p2 = draw(g) if i else base_p
            row("reorder", i, _REORDER[i % 2].format(v="x", eq=_eq(shape, p2, "x")), "x", solve(p2))
            r1, r2 = g.randint(-9, 9), g.randint(1, 9)
            if r1 == r2:
                r2 += 1
            s, prod = r1 + r2, r1 * r2
            quad = f"x^2 {'-' if s >= 0 else '+'} {abs(s)}x {'+' if prod >= 0 else '-'} {abs(prod)} = 0".replace(
                " 0x", ""
            ).replace(" + 0 =", " =")
            if s == 0:
                quad = f"x^2 {'+' if prod >= 0 else '-'} {abs(prod)} = 0"
            row("semantic", i, _WORDING[0].format(v="x", eq=quad), "x", values=sorted({r1, r2}))
    return rows


_NAMES = [
    "Alice Martin",
    "Bruno Costa",
    "Chen Wei",
    "Dana Levi",
    "Emeka Obi",
    "Farah Khan",
    "Goran Petrov",
    "Hana Sato",
    "Ivan Novak",
    "Julia Rossi",
    "Kofi Mensah",
    "Lena Vogel",
]
_CITIES = ["Lyon", "Porto", "Osaka", "Denver", "Nairobi", "Krakow", "Valencia", "Bergen", "Quito", "Adelaide"]
_WORDS = ["Silent Rivers", "Northern Lights", "Paper Moons", "Iron Gardens", "Glass Harbor", "Amber Fields", "Hollow Peaks"]
_BRANDS = ["Zentra", "Kovu", "Altair", "Mirella", "Tessaro", "Brightway"]
_DEPTS = ["finance", "marketing", "research", "logistics", "legal"]
_SPECIES = ["dog", "cat", "parrot", "rabbit", "turtle"]
_EVENTS = ["jazz festival", "book fair", "robotics expo", "food market", "film week"]


def _entities() -> list[dict[str, Any]]:
    """Entity kinds: keys (with types), a renamed key, an extra key, text templates, value drawers."""

    def pick(pool: list[str]) -> Callable[[random.Random], str]:
        return lambda g: g.choice(pool)

    def num(lo: int, hi: int) -> Callable[[random.Random], int]:
        return lambda g: g.randint(lo, hi)

    return [
        {
            "kind": "person",
            "keys": {"name": pick(_NAMES), "age": num(18, 90), "city": pick(_CITIES)},
            "extra": ("job", pick(["chef", "pilot", "nurse", "teacher"])),
            "rename": ("city", "location"),
            "text": "{name} is {age} years old and lives in {city}. {name} works as a {job}.",
            "reordered": "Living in {city}, {name} is {age} years old and works as a {job}.",
        },
        {
            "kind": "product",
            "keys": {"product": pick(["blender", "kettle", "toaster", "heater"]), "brand": pick(_BRANDS), "price": num(20, 900)},
            "extra": ("color", pick(["red", "black", "white", "green"])),
            "rename": ("price", "cost"),
            "text": "The {brand} {product} costs {price} dollars and comes in {color}.",
            "reordered": "For {price} dollars you can buy the {brand} {product}, which comes in {color}.",
        },
        {
            "kind": "order",
            "keys": {
                "order_id": pick(["A-1042", "B-2291", "C-3310", "D-4478", "E-5583"]),
                "quantity": num(2, 60),
                "destination": pick(_CITIES),
            },
            "extra": ("carrier", pick(["DHL", "UPS", "FedEx"])),
            "rename": ("destination", "ship_to"),
            "text": "Order {order_id} contains {quantity} boxes and ships to {destination} with {carrier}.",
            "reordered": "Shipping to {destination} with {carrier}, order {order_id} contains {quantity} boxes.",
        },
        {
            "kind": "book",
            "keys": {"title": pick(_WORDS), "author": pick(_NAMES), "year": num(1950, 2024)},
            "extra": ("pages", num(120, 900)),
            "rename": ("author", "writer"),
            "text": "{title} was written by {author} in {year} and has {pages} pages.",
            "reordered": "In {year}, {author} wrote {title}, which has {pages} pages.",
        },
        {
            "kind": "employee",
            "keys": {"name": pick(_NAMES), "department": pick(_DEPTS), "salary": num(30000, 120000)},
            "extra": ("city", pick(_CITIES)),
            "rename": ("department", "team"),
            "text": "{name} works in the {department} department in {city} and earns {salary} euros a year.",
            "reordered": "Earning {salary} euros a year, {name} works in the {department} department in {city}.",
        },
        {
            "kind": "flight",
            "keys": {
                "flight": pick(["LH402", "AF117", "BA286", "KL643", "IB310"]),
                "origin": pick(_CITIES),
                "destination": pick(_CITIES),
            },
            "extra": ("gate", pick(["A12", "B7", "C3", "D22"])),
            "rename": ("origin", "departure"),
            "text": "Flight {flight} departs from {origin} at gate {gate} and lands in {destination}.",
            "reordered": "Landing in {destination}, flight {flight} departs from {origin} at gate {gate}.",
        },
        {
            "kind": "event",
            "keys": {"event": pick(_EVENTS), "city": pick(_CITIES), "attendees": num(200, 9000)},
            "extra": ("days", num(2, 9)),
            "rename": ("attendees", "visitors"),
            "text": "The {event} in {city} lasted {days} days and drew {attendees} visitors.",
            "reordered": "Drawing {attendees} visitors over {days} days, the {event} took place in {city}.",
        },
        {
            "kind": "movie",
            "keys": {"title": pick(_WORDS), "director": pick(_NAMES), "runtime": num(80, 190)},
            "extra": ("year", num(1970, 2024)),
            "rename": ("director", "filmmaker"),
            "text": "{title}, directed by {director} in {year}, runs {runtime} minutes.",
            "reordered": "Running {runtime} minutes, {title} was directed by {director} in {year}.",
        },
        {
            "kind": "car",
            "keys": {
                "make": pick(["Toyota", "Volvo", "Skoda", "Mazda", "Renault"]),
                "model": pick(["Corolla", "Octavia", "Clio", "Civic", "Golf"]),
                "mileage": num(5000, 200000),
            },
            "extra": ("price", num(3000, 40000)),
            "rename": ("mileage", "odometer"),
            "text": "The {make} {model} has {mileage} km on it and sells for {price} euros.",
            "reordered": "Selling for {price} euros, the {make} {model} has {mileage} km on it.",
        },
        {
            "kind": "pet",
            "keys": {
                "name": pick(["Biscuit", "Luna", "Pepper", "Milo", "Nala", "Rocky"]),
                "species": pick(_SPECIES),
                "age": num(1, 15),
            },
            "extra": ("owner", pick(_NAMES)),
            "rename": ("species", "animal"),
            "text": "{name} is a {species} aged {age} that belongs to {owner}.",
            "reordered": "Belonging to {owner}, {name} is a {species} aged {age}.",
        },
    ]


_JSON_WORDING = ["Extract {keys} as JSON. Text: {text}", "Return a JSON object with the fields {keys}. Text: {text}"]


def _schema(types: dict[str, str]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {k: {"type": t} for k, t in types.items()},
        "required": list(types),
        "additionalProperties": False,
    }


def _json(g: random.Random, k: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    ents = _entities()
    for gi, ent in enumerate(ents):
        group = f"json{gi}"

        def draw(ent: dict[str, Any] = ent) -> dict[str, Any]:
            vals = {key: f(g) for key, f in ent["keys"].items()}
            extra_key, extra_f = ent["extra"]
            vals[extra_key] = extra_f(g)
            if ent["kind"] == "flight":
                while vals["destination"] == vals["origin"]:
                    vals["destination"] = g.choice(_CITIES)
            return vals

        def types_of(ent: dict[str, Any], vals: dict[str, Any], keys: Iterable[str]) -> dict[str, str]:
            return {key: "integer" if isinstance(vals[key], int) else "string" for key in keys}

        def row(
            pert: str,
            i: int,
            vals: dict[str, Any],
            keys: list[str],
            *,
            reordered: bool = False,
            wording: int = 0,
            rename: tuple[str, str] | None = None,
            ent: dict[str, Any] = ent,
            group: str = group,
        ) -> None:
            text = (ent["reordered"] if reordered else ent["text"]).format(**vals)
            out_keys = [rename[1] if rename and key == rename[0] else key for key in keys]
            types = types_of(ent, vals, keys)
            types = {(rename[1] if rename and key == rename[0] else key): t for key, t in types.items()}
            expected = {ok: vals[key] for ok, key in zip(out_keys, keys)}
            prompt = _JSON_WORDING[wording].format(keys=", ".join(out_keys), text=text)
            rows.append(
                {
                    "id": f"{group}-{pert}-{i}",
                    "task": "json_extraction",
                    "prompt": prompt,
                    "group": group,
                    "perturbation": pert,
                    "warmup": pert == "base",
                    "schema": _schema(types),
                    "expected": expected,
                }
            )

        base = draw()
        keys = list(ent["keys"])
        row("base", 0, base, keys)
        for i in range(k):
            row("exact", i, base, keys)
            row("numeric", i, draw(), keys)
            row("rename", i, base if i == 0 else draw(), keys, rename=ent["rename"])
            row("paraphrase", i, base if i == 0 else draw(), keys, wording=1)
            row("reorder", i, base if i == 0 else draw(), keys, reordered=True)
            extra = ent["extra"][0]
            if i == 1:
                row("schema", i, base, keys[:-1])
            else:
                row("schema", i, base if i == 0 else draw(), keys + [extra])
            other = ents[(gi + 1 + i) % len(ents)]
            ovals = {key: f(g) for key, f in other["keys"].items()}
            ovals[other["extra"][0]] = other["extra"][1](g)
            if other["kind"] == "flight":
                while ovals["destination"] == ovals["origin"]:
                    ovals["destination"] = g.choice(_CITIES)
            row("semantic", i, ovals, list(other["keys"]), ent=other)
    return rows


def build_workload(seed: int = 42, *, k: int = 3, groups: int | None = None) -> list[dict[str, Any]]:
    """Warmup rows first (one per group), then the variants in a seed-shuffled order."""
    g = random.Random(seed)
    rows = _linear(g, k) + _json(g, k)
    if groups is not None:
        keep = {f"lin{i}" for i in range(groups)} | {f"json{i}" for i in range(groups)}
        rows = [r for r in rows if r["group"] in keep]
    warm = [r for r in rows if r["warmup"]]
    rest = [r for r in rows if not r["warmup"]]
    g.shuffle(rest)
    return warm + rest


def write_workload(rows: list[dict[str, Any]], path: str | Path) -> None:
    Path(path).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def read_workload(path: str | Path) -> list[dict[str, Any]]:
    from ..errors import ConfigError

    rows = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise ConfigError(f"{path}:{n}: not JSON ({e.msg})") from e
        missing = [f for f in ("id", "task", "prompt") if f not in row]
        if missing:
            raise ConfigError(f"{path}:{n}: missing fields {missing}")
        row.setdefault("group", row["id"])
        row.setdefault("perturbation", "unknown")
        row.setdefault("warmup", False)
        rows.append(row)
    return rows
