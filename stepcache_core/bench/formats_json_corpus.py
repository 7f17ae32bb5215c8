"""The JSON formats corpus's workload: extraction answers in the wrappers chat models put around JSON (raw, pretty,
fenced, a sentence before or after), for records whose values are hard to keep whole (names with hyphens and
apostrophes, products with digits, e-mails, phone numbers, flight codes, dates, ``C++``/``C#``, booleans said
with a negation).

:class:`JsonAssistant` plays the chat model: it finds which record's text the prompt holds (whatever template
or format instructions surround it) and answers that record's object in its wrapper. Data only: :mod:`.formats_json`
runs the corpus through routes.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field

from ..values import Completion, GenerationSpec

__all__ = [
    "Person",
    "Product",
    "Contact",
    "Flight",
    "Developer",
    "OrderLine",
    "Order",
    "Case",
    "CASES",
    "WRAPPERS",
    "TOOL_STYLES",
    "JsonAssistant",
]


class Person(BaseModel):
    name: str = Field(description="the person's full name")
    age: int = Field(description="age in years")
    city: str = Field(description="the city the person lives in")


class Product(BaseModel):
    product: str = Field(description="the product's full name, model number included")
    price: int = Field(description="price in dollars")
    in_stock: bool = Field(description="whether the product is in stock")


class Contact(BaseModel):
    name: str = Field(description="the contact's full name")
    email: str = Field(description="e-mail address")
    phone: str = Field(description="phone number as written")


class Flight(BaseModel):
    flight: str = Field(description="flight number")
    origin: str = Field(description="departure city")
    destination: str = Field(description="arrival city")
    date: str = Field(description="departure date")


class Developer(BaseModel):
    name: str = Field(description="the developer's full name")
    languages: list[str] = Field(description="programming languages the developer knows")


class OrderLine(BaseModel):
    item: str = Field(description="the product ordered")
    quantity: int = Field(description="how many of it")


class Order(BaseModel):
    customer: str = Field(description="who placed the order")
    lines: list[OrderLine] = Field(description="the order lines, in the text's order")


@dataclass(frozen=True)
class Case:
    """One record kind: its model, and texts with the object each states (the first is the base request). ``second``:
    a record that moves every value of the base one, asked right after it: the model answers it (an entry serves
    another record only once a second answer agreed with it, key by key: see
    :mod:`stepcache_core.tasks.json.corroborate`), and the other texts are reused from then on."""

    kind: str
    model: type[BaseModel]
    texts: tuple[tuple[str, dict[str, Any]], ...] = field(default_factory=tuple)
    second: tuple[str, dict[str, Any]] = ("", {})


CASES: tuple[Case, ...] = (
    Case("person", Person, (
        ("Maria Lopez is 34 and lives in Madrid.", {"name": "Maria Lopez", "age": 34, "city": "Madrid"}),
        ("Ana Ruiz is 34 and lives in Madrid.", {"name": "Ana Ruiz", "age": 34, "city": "Madrid"}),
        ("Maria Lopez is 41 and lives in Porto.", {"name": "Maria Lopez", "age": 41, "city": "Porto"}),
        ("Jean-Luc O'Neil is 52 and lives in Lyon.", {"name": "Jean-Luc O'Neil", "age": 52, "city": "Lyon"}),
    ), ("Kofi Mensah is 27 and lives in Accra.", {"name": "Kofi Mensah", "age": 27, "city": "Accra"})),
    Case("product", Product, (
        ("The Nordik 2 kettle costs 40 dollars and is in stock.", {"product": "Nordik 2 kettle", "price": 40, "in_stock": True}),
        ("The Nordik 3 kettle costs 45 dollars and is in stock.", {"product": "Nordik 3 kettle", "price": 45, "in_stock": True}),
        ("The Vento X5 fan costs 85 dollars and is out of stock.", {"product": "Vento X5 fan", "price": 85, "in_stock": False}),
    ), ("The Alto 7 blender costs 60 dollars and is out of stock.",
        {"product": "Alto 7 blender", "price": 60, "in_stock": False})),
    Case("contact", Contact, (
        ("Contact Priya Shah at priya.shah@example.com or +1 415 555 0199.",
         {"name": "Priya Shah", "email": "priya.shah@example.com", "phone": "+1 415 555 0199"}),
        ("Contact Omar Haddad at omar.h@example.org or +44 20 7946 0958.",
         {"name": "Omar Haddad", "email": "omar.h@example.org", "phone": "+44 20 7946 0958"}),
    ), ("Contact Lars Berg at lars.berg@example.net or +46 8 555 0142.",
        {"name": "Lars Berg", "email": "lars.berg@example.net", "phone": "+46 8 555 0142"})),
    Case("flight", Flight, (
        ("Flight LH 1234 leaves Frankfurt for Boston on 2026-12-03.",
         {"flight": "LH 1234", "origin": "Frankfurt", "destination": "Boston", "date": "2026-12-03"}),
        ("Flight BA 287 leaves London for San Francisco on 2027-01-15.",
         {"flight": "BA 287", "origin": "London", "destination": "San Francisco", "date": "2027-01-15"}),
    ), ("Flight AF 66 leaves Paris for New York on 2027-03-09.",
        {"flight": "AF 66", "origin": "Paris", "destination": "New York", "date": "2027-03-09"})),
    Case("developer", Developer, (
        ("Tom Becker knows C++, Rust and Go.", {"name": "Tom Becker", "languages": ["C++", "Rust", "Go"]}),
        ("Lena Vogel knows C#, Python and Go.", {"name": "Lena Vogel", "languages": ["C#", "Python", "Go"]}),
    ), ("Ravi Nair knows Java, Kotlin and Swift.", {"name": "Ravi Nair", "languages": ["Java", "Kotlin", "Swift"]})),
    Case("order", Order, (  # a list of records: each line an object
        ("Ines Duarte ordered 3 lamps and 2 rugs.",
         {"customer": "Ines Duarte", "lines": [{"item": "lamps", "quantity": 3}, {"item": "rugs", "quantity": 2}]}),
        ("Karl Weber ordered 6 chairs and 4 tables.",
         {"customer": "Karl Weber", "lines": [{"item": "chairs", "quantity": 6}, {"item": "tables", "quantity": 4}]}),
        ("Ines Duarte ordered 2 lamps and 3 rugs.",
         {"customer": "Ines Duarte", "lines": [{"item": "lamps", "quantity": 2}, {"item": "rugs", "quantity": 3}]}),
    ), ("Mia Chen ordered 5 vases and 7 mugs.",
        {"customer": "Mia Chen", "lines": [{"item": "vases", "quantity": 5}, {"item": "mugs", "quantity": 7}]})),
)  # fmt: skip
"""The record kinds and their texts. Their models have no docstrings: one would become the schema's description,
which prompts and format instructions carry."""


def _raw(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False)


def _pretty(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)


WRAPPERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "raw": _raw,
    "pretty": _pretty,
    "fenced": lambda o: f"```json\n{_pretty(o)}\n```",
    "sentence-then-fence": lambda o: f"Here is the extracted information:\n\n```json\n{_pretty(o)}\n```",
    "fence-then-sentence": lambda o: f"```json\n{_pretty(o)}\n```\n\nLet me know if you need anything else.",
    "fenced-no-language": lambda o: f"```\n{_pretty(o)}\n```",
}
"""How chat models wrap a JSON answer: the answer's text for an object."""

TOOL_STYLES: dict[str, str] = {
    "openai-tool-call": "no text; the call in ``tool_calls`` and, raw, in ``additional_kwargs``",
    "anthropic-tool-use": "a sentence and a ``tool_use`` block in the content list",
}
"""How chat models deliver a tool call (the integrations' scripted chat models build the message)."""


class JsonAssistant:
    """A scripted chat model answering extraction prompts in one wrapper (a core ``Backend`` too). ``answers``:
    records the corpus does not hold, with the object each states, answered the same way."""

    def __init__(self, wrapper: str, *, name: str | None = None, answers: Mapping[str, dict[str, Any]] | None = None) -> None:
        if wrapper not in WRAPPERS and wrapper not in TOOL_STYLES:
            raise ValueError(f"unknown wrapper {wrapper!r}; choose from {sorted(WRAPPERS) + sorted(TOOL_STYLES)}")
        self.wrapper = wrapper
        self.style = wrapper
        self.name = name or f"json-assistant:{wrapper}"
        self.prompts: list[str] = []
        self.answers = dict(answers or {})
        self._lock = threading.Lock()

    def answer_for(self, prompt: str) -> dict[str, Any] | None:
        known = [*((text, obj) for case in CASES for text, obj in (*case.texts, case.second)), *self.answers.items()]
        found = [(prompt.rfind(text), obj) for text, obj in known if text in prompt]
        return max(found, key=lambda f: f[0])[1] if found else None

    def respond(self, prompt: str) -> str:
        with self._lock:
            self.prompts.append(prompt)
        obj = self.answer_for(prompt)
        if obj is None:
            return "I could not find a record in that text."
        return WRAPPERS.get(self.wrapper, _raw)(obj)

    def complete(self, spec: GenerationSpec) -> Completion:
        text = self.respond(spec.prompt)
        return Completion(text, len(spec.prompt.split()), len(text.split()))
