"""Extraction shapes the main workload never shows: contacts (e-mail, phone), a nested address, an order with a
list of items, a yes/no stock fact, a booking with a flight code, a date and a seat, a subscription whose
renewal is said as on/off. ``stepcache workload --shapes`` writes them in the workload format, for
``stepcache bench --workload``.

Every request is scored (no warm-up rows): the first request of each shape is a cold miss, as it is for a
user whose app sends a shape the cache has never seen, so the latency percentiles include what a miss and its
repairs cost.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

__all__ = ["SHAPES", "build_shapes"]

_PEOPLE = ["Priya Shah", "Omar Haddad", "Jean-Luc O'Neil", "Mia Kowalski", "Tomas Berg", "Aiko Tanaka", "Lena Vogel"]
_STREETS = ["12 Harbour Lane", "7 Rue des Lilas", "450 Pine Street", "3 Kings Road", "88 Elm Avenue"]
_CITIES = ["Bristol", "Lyon", "Denver", "Krakow", "Porto", "Osaka"]
_ITEMS = ["kettle", "desk lamp", "rug", "toaster", "mirror", "bookshelf", "blender"]
_PRODUCTS = ["Nordik 2 kettle", "Vento X5 fan", "Luma 300 lamp", "Aqua 7 filter", "Orbit S2 speaker"]
_PLANS = ["basic", "family", "premium", "student"]


def _email(name: str, g: random.Random) -> str:
    first, *rest = name.casefold().replace("'", "").replace("-", "").split()
    return f"{first}.{rest[-1] if rest else 'x'}@{g.choice(['example.com', 'example.org', 'mail.test'])}"


def _phone(g: random.Random) -> str:
    return f"+{g.choice([1, 44, 49, 33])} {g.randint(20, 899)} {g.randint(100, 999)} {g.randint(1000, 9999)}"


def _contact(g: random.Random) -> tuple[dict[str, Any], dict[str, Any]]:
    name = g.choice(_PEOPLE)
    value = {"name": name, "email": _email(name, g), "phone": _phone(g)}
    return value, value


def _address(g: random.Random) -> tuple[dict[str, Any], dict[str, Any]]:
    fields = {
        "recipient": g.choice(_PEOPLE),
        "street": g.choice(_STREETS),
        "city": g.choice(_CITIES),
        "postcode": str(g.randint(10000, 99999)),
    }
    return fields, {"recipient": fields["recipient"], "address": {k: fields[k] for k in ("street", "city", "postcode")}}


def _order(g: random.Random) -> tuple[dict[str, Any], dict[str, Any]]:
    items = g.sample(_ITEMS, 3)
    fields = {
        "order_id": f"{g.choice('ABCDE')}-{g.randint(1000, 9999)}",
        "i1": items[0],
        "i2": items[1],
        "i3": items[2],
        "total": g.randint(20, 900),
    }
    return fields, {"order_id": fields["order_id"], "items": items, "total": fields["total"]}


def _stock(g: random.Random) -> tuple[dict[str, Any], dict[str, Any]]:
    in_stock = g.random() < 0.5
    fields = {"product": g.choice(_PRODUCTS), "price": g.randint(15, 400), "stock": "in stock" if in_stock else "out of stock"}
    return fields, {"product": fields["product"], "price": fields["price"], "in_stock": in_stock}


def _booking(g: random.Random) -> tuple[dict[str, Any], dict[str, Any]]:
    fields = {
        "flight": f"{g.choice(['LH', 'BA', 'AF', 'KL'])} {g.randint(100, 2999)}",
        "date": f"2027-{g.randint(1, 12):02d}-{g.randint(1, 28):02d}",
        "seat": f"{g.randint(1, 40)}{g.choice('ABCDEF')}",
    }
    return fields, dict(fields)


def _subscription(g: random.Random) -> tuple[dict[str, Any], dict[str, Any]]:
    renew = g.random() < 0.5
    fields = {
        "customer": g.choice(_PEOPLE),
        "plan": g.choice(_PLANS),
        "months": g.randint(2, 24),
        "renew": "on" if renew else "off",
    }
    return fields, {"customer": fields["customer"], "plan": fields["plan"], "months": fields["months"], "auto_renew": renew}


def _obj(props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": props, "required": list(props), "additionalProperties": False}


_S = {"type": "string"}
_I = {"type": "integer"}
_B = {"type": "boolean"}

SHAPES: dict[str, tuple[Callable[[random.Random], tuple[dict[str, Any], dict[str, Any]]], dict[str, Any], tuple[str, str]]] = {
    "contact": (
        _contact,
        _obj({"name": _S, "email": _S, "phone": _S}),
        ("You can reach {name} at {email} or on {phone}.", "Call {phone} or write to {email} to reach {name}."),
    ),
    "nested-address": (
        _address,
        _obj({"recipient": _S, "address": _obj({"street": _S, "city": _S, "postcode": _S})}),
        ("Ship the parcel to {recipient}, {street}, {postcode} {city}.", "The parcel goes to {street} in {city} ({postcode}) for {recipient}."),
    ),
    "order-list": (
        _order,
        _obj({"order_id": _S, "items": {"type": "array", "items": _S}, "total": _I}),
        ("Order {order_id} holds a {i1}, a {i2} and a {i3}; the total is {total} dollars.", "For {total} dollars, order {order_id} ships a {i1}, a {i2} and a {i3}."),
    ),
    "stock-boolean": (
        _stock,
        _obj({"product": _S, "price": _I, "in_stock": _B}),
        ("The {product} costs {price} dollars and is {stock}.", "At {price} dollars, the {product} is {stock}."),
    ),
    "booking": (
        _booking,
        _obj({"flight": _S, "date": _S, "seat": _S}),
        ("Your flight {flight} on {date} has seat {seat}.", "Seat {seat} is yours on flight {flight}, departing {date}."),
    ),
    "subscription": (
        _subscription,
        _obj({"customer": _S, "plan": _S, "months": _I, "auto_renew": _B}),
        (
            "{customer} bought the {plan} plan for {months} months, with auto-renewal {renew}.",
            "With auto-renewal {renew}, {customer} has the {plan} plan for {months} months.",
        ),
    ),
}  # fmt: skip
"""Each shape: a drawer (template fields, expected object), the JSON Schema, two wordings of the text."""

_ASK = ("Extract the record as JSON. Text: {text}", "Return the record as a JSON object. Text: {text}")


def _row(
    shape: str, pert: str, i: int, text: str, wording: int, schema: dict[str, Any], expected: dict[str, Any]
) -> dict[str, Any]:
    return {
        "id": f"{shape}-{pert}-{i}",
        "task": "json_extraction",
        "prompt": _ASK[wording].format(text=text),
        "group": f"shape-{shape}",
        "perturbation": pert,
        "warmup": False,
        "schema": schema,
        "expected": expected,
    }


def build_shapes(seed: int = 42, *, k: int = 5) -> list[dict[str, Any]]:
    """Per shape: its first request (a cold miss), then ``k`` rounds of an exact repeat, new values, and new
    values in the other wording."""
    g = random.Random(seed)
    rows: list[dict[str, Any]] = []
    for shape, (draw, schema, wordings) in SHAPES.items():
        base_fields, base_expected = draw(g)
        plan: list[tuple[str, int, dict[str, Any], dict[str, Any], int]] = [("base", 0, base_fields, base_expected, 0)]
        for i in range(k):
            plan.append(("exact", i, base_fields, base_expected, 0))
            plan.append(("values", i, *draw(g), 0))
            plan.append(("paraphrase", i, *draw(g), 1))
        rows += [_row(shape, pert, i, wordings[w].format(**f), w, schema, e) for pert, i, f, e, w in plan]
    return rows
