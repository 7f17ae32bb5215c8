"""JSON extraction on the records real apps send: forms, signatures, listings, invoices, e-mails laid out in lines,
labelled with any noun, with a parser's format instructions before or after them. A model's right answer must be
served as it wrote it (verified, no model call beyond its own); a slip must still fail. Each ``RIGHT`` row is a
class of input whose right answer raised :class:`UnverifiedOutputError` (or was rewritten) before; each ``SLIPS``
row is a wrong answer the checks must keep refusing.

Found by a study of twelve pydantic workloads nobody tuned for (invoices, tickets, job posts, contacts, listings,
flights, intake forms, real estate, invitations, reviews, shipping notices, leave requests): 180 of 216 right
answers raised, and the model-free fixer served 3 of them wrong (a product's name with its brand cut off, the
brand stated apart read as a clash).
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

import pytest

from stepcache_core import EngineConfig, Request, StepCacheEngine
from stepcache_core.errors import UnverifiedOutputError
from stepcache_core.fakes import HashEmbedder, MemoryStore, ScriptedBackend
from stepcache_core.segment import JsonObjectSegmenter
from stepcache_core.tasks import builtin_tasks
from stepcache_core.tasks.json.parse import parse_json_problem
from stepcache_core.tasks.json.verify import JsonVerifier
from stepcache_core.values import GenerationSpec

# LangChain's PydanticOutputParser format instructions, in their words' shape
_FORMAT = (
    "The output should be formatted as a JSON instance that conforms to the JSON schema below.\n\n"
    'As an example, for the schema {{"properties": {{"foo": {{"title": "Foo", "type": "array", "items": '
    '{{"type": "string"}}}}}}, "required": ["foo"]}}\nthe object {{"foo": ["bar", "baz"]}} is a well-formatted '
    "instance of the schema.\n\nHere is the output schema:\n```\n{schema}\n```"
)


def _schema(fields: dict[str, str]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {k: {"type": t, "title": k.replace("_", " ").title()} for k, t in fields.items()},
        "required": list(fields),
    }


def _prompt(instruction: str, label: str, record: str, schema: dict[str, Any], *, format_first: bool) -> str:
    fmt = _FORMAT.format(schema=json.dumps(schema))
    if format_first:
        return f"{instruction}\n\n{fmt}\n\n{label}:\n{record}\n"
    return f"{instruction}\n\n{label}:\n{record}\n\n{fmt}\n"


# (class, instruction, label, record, fields, right answer)
RIGHT = [
    (
        "a record labelled with a noun of its domain, format instructions before it, a '#' number sign",
        "Extract the following fields from the invoice below as JSON.",
        "Invoice",
        "ACME Office Supplies Inc.\n\nINVOICE #100-2345\nInvoice date: March 3, 2024\nDue date: April 2, 2024\n\n"
        "Bill to:\nBrightside Dental LLC\n\nSubtotal: $1,299.00\nTOTAL DUE (USD): $1,299.00\n",
        {"invoice_number": "string", "vendor": "string", "bill_to": "string", "total": "number"},
        {
            "invoice_number": "100-2345",
            "vendor": "ACME Office Supplies Inc.",
            "bill_to": "Brightside Dental LLC",
            "total": 1299.0,
        },
    ),
    (
        "a signature in lines: a name, then a title on the next line (no name across a line break)",
        "Extract the contact information from the e-mail signature below.",
        "Signature",
        "Best regards,\nDaniel Kim\nSenior Account Manager\nNorthwind Logistics\nTel. +1 415 555 0199\ndaniel.kim@northwind.com",
        {"name": "string", "job_title": "string", "company": "string", "email": "string"},
        {
            "name": "Daniel Kim",
            "job_title": "Senior Account Manager",
            "company": "Northwind Logistics",
            "email": "daniel.kim@northwind.com",
        },
    ),
    (
        "an agent's name, then the brokerage on the next line; two equal numbers each labelled by its own key",
        "Extract the following fields as JSON from the real-estate listing.",
        "Listing text",
        "Condo for sale — 88 Harbor View Blvd, San Diego\n2 bedrooms, 2 bathrooms, 1,180 square feet\n\n"
        "Listed by Miguel Santos\nCompass\n619-555-0145",
        {"address": "string", "bedrooms": "integer", "bathrooms": "integer", "agent_name": "string"},
        {"address": "88 Harbor View Blvd", "bedrooms": 2, "bathrooms": 2, "agent_name": "Miguel Santos"},
    ),
    (
        "a greeting before a name; a flight's code before its city",
        "Extract the booking details from this confirmation e-mail as JSON.",
        "Email",
        "Dear Ana Pereira,\n\nYour booking is confirmed.\nEK 202 Dubai (DXB) - New York JFK (JFK)\nSeat 45K",
        {"passenger_name": "string", "flight_number": "string", "origin": "string", "seat": "string"},
        {"passenger_name": "Ana Pereira", "flight_number": "EK 202", "origin": "Dubai", "seat": "45K"},
    ),
    (
        "a form's whole line as a free-text value; a date written in parts; a phone's digits before an e-mail",
        "Extract the patient intake information from the form below.",
        "Form",
        "PATIENT INTAKE FORM\nName: Robert J. Hayes\nVisit date: March 12, 2024\nPhone: (503) 555-0171\n"
        "robert.hayes@example.com\nReason for visit: persistent lower back pain for 3 weeks",
        {"patient_name": "string", "visit_date": "string", "email": "string", "reason_for_visit": "string"},
        {
            "patient_name": "Robert J. Hayes",
            "visit_date": "March 12, 2024",
            "email": "robert.hayes@example.com",
            "reason_for_visit": "persistent lower back pain for 3 weeks",
        },
    ),
    (
        "a long product name that holds its brand, the brand stated apart",
        "Extract structured product data from the listing.",
        "Listing",
        "Instant Pot Duo 7-in-1 Electric Pressure Cooker, 6 Quart Stainless Steel\nBrand: Instant Pot\n"
        "Item code: IP-DUO60-V5\nOur price: $89.95",
        {"name": "string", "brand": "string", "sku": "string", "price": "number"},
        {
            "name": "Instant Pot Duo 7-in-1 Electric Pressure Cooker, 6 Quart Stainless Steel",
            "brand": "Instant Pot",
            "sku": "IP-DUO60-V5",
            "price": 89.95,
        },
    ),
    (
        "a word two keys share is no label of either; a key's word inside the value; a value with its own form",
        "Extract the event details from the invitation.",
        "Invitation",
        "Annual Spring Gala 2024\nHosted by the Riverside Arts Foundation\n\nDrinks on us. RSVP to Jake "
        "(jake.turner@gmail.com) by June 7.",
        {"event_name": "string", "host": "string", "rsvp_email": "string", "rsvp_by": "string"},
        {
            "event_name": "Annual Spring Gala 2024",
            "host": "Riverside Arts Foundation",
            "rsvp_email": "jake.turner@gmail.com",
            "rsvp_by": "June 7",
        },
    ),
]


# system-generated records (one layout, other values): a same-layout study of eight such workloads raised on 25 of
# 64 right answers before ("Hi Emma," read as one name,
# "WARNING alert" as a participle's clause; "Oslo → London" stays one: values around an arrow could be swapped)
RIGHT += [
    (
        "a greeting before a first name",
        "Extract the shipment details from the notification e-mail as JSON.",
        "Email",
        "Hi Emma,\n\nYour order #10452 has shipped via UPS.\nRoute: from Oslo to London\nItems in this package: 3",
        {"customer_name": "string", "order_number": "string", "origin": "string", "destination": "string"},
        {"customer_name": "Emma", "order_number": "10452", "origin": "Oslo", "destination": "London"},
    ),
    (
        "a word in capitals ending in -ing that states a value",
        "Extract the alert details from the monitoring e-mail.",
        "Email",
        "[GridWatch] WARNING alert on TMP-0042\n\nSite: Rotterdam DC1\nAcknowledged: No",
        {"severity": "string", "sensor_id": "string", "site": "string"},
        {"severity": "WARNING", "sensor_id": "TMP-0042", "site": "Rotterdam DC1"},
    ),
]


def _engine(answer: str = "{}", *, respond=None, corroborate: bool = True) -> tuple[StepCacheEngine, ScriptedBackend]:
    """An engine on the shipped fakes whose model answers ``answer`` (or ``respond(spec)``); ``corroborate=False``
    lets the JSON checks alone decide a reuse."""
    backend = ScriptedBackend(default=answer, respond=respond)
    engine = StepCacheEngine(
        store=MemoryStore(),
        embedder=HashEmbedder(),
        backend=backend,
        config=EngineConfig(similarity_threshold=0.3),
        tasks=builtin_tasks(json_corroboration=corroborate),
    )
    return engine, backend


@pytest.mark.parametrize("format_first", [True, False], ids=["format-first", "format-last"])
@pytest.mark.parametrize(("cls", "instruction", "label", "record", "fields", "right"), RIGHT, ids=[r[0][:40] for r in RIGHT])
def test_a_right_answer_is_served_as_the_model_wrote_it(cls, instruction, label, record, fields, right, format_first):
    schema = _schema(fields)
    answer = "Here is the extracted information:\n```json\n" + json.dumps(right, indent=2) + "\n```"
    engine, backend = _engine(answer)
    out = engine.run(Request(_prompt(instruction, label, record, schema, format_first=format_first), schema=schema))
    assert out.trace.verified and out.text == answer, (cls, out.trace.notes)
    assert [c.purpose for c in backend.calls] == ["generate"]


# (class, record, fields, the slip); the record's label and format instructions as above
SLIPS = [
    (
        "a surname cut from the name in a sentence",
        "Dana Levi is 34 and lives in Oslo.",
        {"name": "string", "age": "integer"},
        {"name": "Levi", "age": 34},
    ),
    (
        "a number the text states once answering two fields",
        "2 bedrooms, 1 bathroom, 900 square feet.",
        {"bedrooms": "integer", "bathrooms": "integer"},
        {"bedrooms": 2, "bathrooms": 2},
    ),
    (
        "a brand only inside the product's name, both fields the same phrase",
        "The Altair toaster costs 229 dollars.",
        {"product": "string", "brand": "string", "price": "integer"},
        {"product": "Altair toaster", "brand": "Altair", "price": 229},
    ),
    (
        "the text labels another value with the key's word",
        "The train departs from Osaka at gate D22.",
        {"departure": "string"},
        {"departure": "D22"},
    ),
    (
        "a value not in the record",
        "Order no. 558-0031 has shipped.\nEstimated delivery: January 28, 2025",
        {"order_number": "string", "estimated_delivery": "string"},
        {"order_number": "558-0032", "estimated_delivery": "January 28, 2025"},
    ),
]


# found by an attack on the relaxed checks (each served by the first version of this change)
SLIPS += [
    (
        "equal names, the text labels them apart",
        "Bill to: Anna Berg\nShip to: Tom Lee\nOrdered by Anna Berg",
        {"bill_to": "string", "ship_to": "string"},
        {"bill_to": "Anna Berg", "ship_to": "Anna Berg"},
    ),
    (
        "equal dates under labels two keys share a word of",
        "Check-in: May 3\nCheck-out: May 5\nPaid on May 3",
        {"check_in": "string", "check_out": "string"},
        {"check_in": "May 3", "check_out": "May 3"},
    ),
    (
        "equal names in prose, stated twice",
        "Anna Berg sent a parcel to Tom Lee.\nAnna Berg paid the shipping.",
        {"sender": "string", "recipient": "string"},
        {"sender": "Anna Berg", "recipient": "Anna Berg"},
    ),
    (
        "a form's fields swapped",
        "Name: Robert Hayes\nCity: Portland\nEmployer: Nike",
        {"name": "string", "city": "string", "employer": "string"},
        {"name": "Robert Hayes", "city": "Nike", "employer": "Portland"},
    ),
    (
        "a form's line holding the next field's value, under another key's label",
        "Address: 12 Oak Street, Springfield\nCity: Springfield",
        {"street": "string", "city": "string"},
        {"street": "12 Oak Street, Springfield", "city": "Springfield"},
    ),
    (
        "'Label: not ...' that says yes",
        "Rent: 1200\nPets: not a problem, cats and dogs welcome",
        {"rent": "integer", "pets": "boolean"},
        {"rent": 1200, "pets": False},
    ),
    (
        "fields parted by bars, swapped (bars part no names: the run is one, both values cut it)",
        "Listed by Miguel Santos | Compass Realty | 619-555-0145",
        {"agent_name": "string", "brokerage": "string"},
        {"agent_name": "Compass Realty", "brokerage": "Miguel Santos"},
    ),
]


@pytest.mark.parametrize(("cls", "record", "fields", "slip"), SLIPS, ids=[s[0][:40] for s in SLIPS])
def test_a_slip_still_fails_verification(cls, record, fields, slip):
    schema = _schema(fields)
    prompt = _prompt("Extract the fields as JSON.", "Record", record, schema, format_first=True)
    problem = parse_json_problem(Request(prompt, schema=schema))
    steps = JsonObjectSegmenter().segment(json.dumps(slip), origin="generated")
    assert not all(v.ok for v in JsonVerifier().verify_steps(problem, steps)), cls


# later attacks (helper-145 to 149), whole prompts: (class, prompt, fields, the slip)
SLIP_PROMPTS = [
    (
        "a paragraph of instructions under a line label before the record's known label",
        "Extract the sender and the amount as JSON.\n\nNote:\nIgnore amounts quoted from earlier mails, like the 500 "
        "EUR invoice.\n\nEmail: Hi, this is Bob Ray, please pay 120 EUR.",
        {"sender": "string", "amount": "integer"},
        {"sender": "Bob Ray", "amount": 500},
    ),
    (
        "a key's word inside the value, the text labelling another value with it",
        "Extract the hotel as JSON.\n\nText:\nWe met at Hotel Central for drinks, then checked into hotel Grand Plaza.",
        {"hotel": "string"},
        {"hotel": "Hotel Central"},
    ),
    (
        "equal numbers, one key labelling another number too",
        "Extract the booking as JSON.\n\nText:\nWe booked 4 nights for 2 guests. The suite sleeps up to 4 guests.",
        {"nights": "integer", "guests": "integer"},
        {"nights": 4, "guests": 4},
    ),
    (
        "a form of address in a brand of three words",
        "Extract the product as JSON.\n\nReceipt:\nOne can of Dr Pepper Zero bought at Tesco\n",
        {"product": "string", "store": "string"},
        {"product": "Pepper Zero", "store": "Tesco"},
    ),
    (
        "a carrier's code of three capitals before a house number",
        "Extract the address as JSON.\n\nShipping label:\nDeliver via UPS 12 Oak Street, Leeds.\n",
        {"street": "string", "city": "string"},
        {"street": "Oak Street", "city": "Leeds"},
    ),
    (
        "two values of one kind under form labels in another language, swapped",
        "Extract the person as JSON.\n\nFormular:\nName: Anna Berg\nStadt: Bern\nLand: Schweiz\n",
        {"name": "string", "city": "string", "country": "string"},
        {"name": "Anna Berg", "city": "Schweiz", "country": "Bern"},
    ),
    (
        "camelCase keys swapped under their form labels",
        "Extract the person as JSON.\n\nForm:\nFirst name: Anna\nLast name: Berg\n",
        {"firstName": "string", "lastName": "string"},
        {"firstName": "Berg", "lastName": "Anna"},
    ),
    (
        "a form's whole line under a label that shares one word with the key",
        "Extract the referral as JSON.\n\nReferral form:\nPatient: Ana Ruiz\nReason for visit: lower back pain for "
        "3 weeks\nReason for referral: needs an MRI of the spine within 2 weeks\n",
        {"visit_reason": "string", "referral_reason": "string"},
        {"visit_reason": "needs an MRI of the spine within 2 weeks", "referral_reason": "lower back pain for 3 weeks"},
    ),
    (
        "a label at the prompt's start, a key's example in the instruction after the record",
        "Customer:\nRobert Hayes, Portland\n\nReturn JSON with name, nickname (e.g. Bob) and city.\n",
        {"name": "string", "nickname": "string", "city": "string"},
        {"name": "Robert Hayes", "nickname": "Bob", "city": "Portland"},
    ),
    (
        "the same in another language",
        "Rechnung:\nACME GmbH, Summe 120 EUR\n\nExtract vendor, total and currency (e.g. USD) as JSON.\n",
        {"vendor": "string", "total": "number", "currency": "string"},
        {"vendor": "ACME GmbH", "total": 120, "currency": "USD"},
    ),
    (
        "a company's name in capitals before a house number",
        "Extract the address as JSON.\n\nShipping label:\nDeliver to ACME 12 Oak Street, Leeds\n",
        {"street": "string", "city": "string"},
        {"street": "Oak Street", "city": "Leeds"},
    ),
    (
        "a form of address that is part of a brand",
        "Extract the product as JSON.\n\nReceipt:\nOne can of Dr Pepper bought at Tesco for 1.20\n",
        {"brand": "string", "store": "string"},
        {"brand": "Pepper", "store": "Tesco"},
    ),
    (
        "one label under two section headings, the sections swapped",
        "Extract the intake as JSON.\n\nIntake form:\nPatient\nName: Ana Ruiz\nPhone: 555-0101\nEmergency contact\n"
        "Name: Tom Lee\nPhone: 555-0199\n",
        {
            "patient_name": "string",
            "patient_phone": "string",
            "emergency_contact_name": "string",
            "emergency_contact_phone": "string",
        },
        {
            "patient_name": "Tom Lee",
            "patient_phone": "555-0199",
            "emergency_contact_name": "Ana Ruiz",
            "emergency_contact_phone": "555-0101",
        },
    ),
    (
        "a label of a word two keys share, beside the other key's own label",
        "Extract the invoice as JSON.\n\nInvoice:\nDate: March 3, 2024\nPayment terms: 30 days\nDate due: April 2, 2024\n",
        {"invoice_date": "string", "due_date": "string"},
        {"invoice_date": "April 2, 2024", "due_date": "March 3, 2024"},
    ),
    (
        "values on the two sides of an arrow, swapped",
        "Extract the route as JSON.\n\nBooking:\nFlight LH 123\nRoute: Oslo → London\n",
        {"origin": "string", "destination": "string"},
        {"origin": "London", "destination": "Oslo"},
    ),
    (
        "a first name that is a greeting in German ('Moin'), cut off: no greeting the names read",
        "Extract the customer as JSON.\n\nEmail:\nMoin Khan moved to Lahore.\n",
        {"name": "string", "city": "string"},
        {"name": "Khan", "city": "Lahore"},
    ),
    (
        "an example record before the real one",
        "Extract name and city as JSON.\n\nExample:\nAnna Berg lives in Oslo.\n\nCustomer letter:\nTom Lee lives in Paris.\n",
        {"name": "string", "city": "string"},
        {"name": "Anna Berg", "city": "Oslo"},
    ),
]


_NESTED = {
    "type": "object",
    "properties": {
        part: {"type": "object", "properties": {"name": {"type": "string"}, "city": {"type": "string"}}}
        for part in ("shipping", "billing")
    },
}
_SWAPPED = {"shipping": {"name": "Ben Holm", "city": "Bergen"}, "billing": {"name": "Anna Berg", "city": "Oslo"}}


@pytest.mark.parametrize("corroborate", [True, False], ids=["default", "checks-alone"])
@pytest.mark.parametrize(
    "form",
    [
        "Shipping name: Anna Berg\nShipping city: Oslo\nBilling name: Ben Holm\nBilling city: Bergen",
        "Shipping:\nName: Anna Berg\nCity: Oslo\n\nBilling:\nName: Ben Holm\nCity: Bergen",
    ],
    ids=["labels-name-the-path", "one-label-under-two-sections"],
)
def test_nested_objects_swapped_under_their_labels_are_never_served(form, corroborate):
    """A nested object's fields are read against the text's labels as a top-level key's are (``shipping.name``
    as "shipping name"): the two addresses swapped passed every check before."""
    engine, _ = _engine(json.dumps(_SWAPPED), corroborate=corroborate)
    with pytest.raises(UnverifiedOutputError):
        engine.run(Request(f"Extract the order as JSON.\n\nForm:\n{form}\n", schema=_NESTED))
    right = {"shipping": {"name": "Anna Berg", "city": "Oslo"}, "billing": {"name": "Ben Holm", "city": "Bergen"}}
    if form.startswith("Shipping name"):  # where the labels name each path, the right answer is served as written
        engine, _ = _engine(json.dumps(right))
        out = engine.run(Request(f"Extract the order as JSON.\n\nForm:\n{form}\n", schema=_NESTED))
        assert out.trace.verified and json.loads(out.text) == right


@pytest.mark.parametrize(("cls", "prompt", "fields", "slip"), SLIP_PROMPTS, ids=[s[0][:40] for s in SLIP_PROMPTS])
@pytest.mark.parametrize("corroborate", [True, False], ids=["default", "checks-alone"])
def test_a_slip_in_a_realistic_prompt_is_never_served(cls, prompt, fields, slip, corroborate):
    schema = _schema(fields)
    engine, _ = _engine(json.dumps(slip), corroborate=corroborate)
    with pytest.raises(UnverifiedOutputError):
        engine.run(Request(prompt, schema=schema))
    assert engine.count() == 0, cls


def test_a_name_that_holds_a_brand_the_text_states_apart_is_served_as_written():
    """ "Patagonia Better Sweater" beside "Brand: Patagonia": each field has a phrase of its own, nothing clashes, and
    the model-free fixer, which trims a value that swallowed another ("Altair toaster" beside "Altair" where the
    text says "Altair" only inside it), has nothing to trim (it served "Better Sweater" before)."""
    schema = _schema({"product": "string", "brand": "string", "price": "integer"})
    answer = '{"product": "Altair toaster", "brand": "Altair", "price": 229}'
    engine, backend = _engine(answer)
    out = engine.run(
        Request(
            "Extract product, brand, price as JSON. Text: Brand: Altair. The Altair toaster costs 229 dollars.", schema=schema
        )
    )
    assert out.trace.verified and out.text == answer and out.trace.fallback is None


def _served_wrong(prompts: list[tuple[str, dict[str, Any]]], corroborate: bool) -> tuple[int, int]:
    """Runs ``prompts`` in order through one engine whose model answers each one right; returns how many were
    served from the cache (no model call) and how many of all served were wrong."""
    from stepcache_core import background

    schema = _schema({"name": "string", "city": "string"})
    right = {p: json.dumps(a) for p, a in prompts}
    engine, _ = _engine(
        respond=lambda spec: next((a for p, a in right.items() if p in spec.prompt), "{}"), corroborate=corroborate
    )
    reused = wrong = 0
    for prompt, answer in prompts:
        try:
            out = engine.run(Request(prompt, schema=schema))
        except UnverifiedOutputError:
            continue
        background.drain(10)
        reused += out.trace.backend_calls == 0
        wrong += json.loads(out.text) != answer
    return reused, wrong


_LEAD = (
    "Extract the details.\nThe output should be formatted as a JSON instance that conforms to the JSON schema below. "
    '{how}\n```\n{{"properties": {{"name": {{"type": "string"}}, "city": {{"type": "string"}}}}}}\n```\n\nText:\n{record}\n'
)
_CLIENTS = [
    ("Our new client Anna Berg from Oslo signed today.", {"name": "Anna Berg", "city": "Oslo"}),
    ("Our new client Ben Holm from Bergen signed today.", {"name": "Ben Holm", "city": "Bergen"}),
    ("Our new client Carl Dahl from Tromso signed today.", {"name": "Carl Dahl", "city": "Tromso"}),
]


@pytest.mark.parametrize("corroborate", [True, False], ids=["default", "checks-alone"])
@pytest.mark.parametrize(
    ("how", "record", "right"),
    [
        (
            "Write every value in uppercase.",
            "Our new client Dag Lund from Narvik signed today.",
            {"name": "DAG LUND", "city": "NARVIK"},
        ),
        (
            "For name give the surname only.",
            "Our new client Eva Moen from Molde signed today.",
            {"name": "Moen", "city": "Molde"},
        ),
        (
            "Translate city names to English.",
            "Our new client Eva Moen from København signed today.",
            {"name": "Eva Moen", "city": "Copenhagen"},
        ),
        (
            'For example {"name": "DOE", "city": "PARIS"}.',
            "Our new client Eva Moen from Molde signed today.",
            {"name": "MOEN", "city": "MOLDE"},
        ),
        (
            "{ Write every value in uppercase.",
            "Our new client Dag Lund from Narvik signed today.",
            {"name": "DAG LUND", "city": "NARVIK"},
        ),
    ],
    ids=["uppercase", "surname-only", "translate", "example-object", "unclosed-brace"],
)
def test_a_sentence_of_the_callers_inside_a_parsers_format_block_is_read(how, record, right, corroborate):
    """A parser's format instructions before the record stay in what two requests must share: the caller's
    sentence or example inside them is an instruction like any other. (Left out, as a first version of this
    change did, all five were served by reuse, unchanged; a second one left them out when every word outside
    their JSON was a parser's, and an example object or an unclosed brace got through.)"""
    prompts = [(_LEAD.format(how="", record=r), a) for r, a in _CLIENTS]
    _, wrong = _served_wrong([*prompts, (_LEAD.format(how=how, record=record), right)], corroborate)
    assert wrong == 0


@pytest.mark.parametrize("corroborate", [True, False], ids=["default", "checks-alone"])
def test_a_greeting_is_never_served_as_part_of_a_name(corroborate):
    """Records with no greeting, then one with "Hi" before the name: the reuse's name took the greeting in."""
    letter = "Extract the name and city as JSON.\n\nEmail:\n{}, your parcel was shipped to {} today.\n"
    prompts = [
        (letter.format("Anna Berg", "Oslo"), {"name": "Anna Berg", "city": "Oslo"}),
        (letter.format("Ben Holm", "Bergen"), {"name": "Ben Holm", "city": "Bergen"}),
        (letter.format("Carl Dahl", "Tromso"), {"name": "Carl Dahl", "city": "Tromso"}),
        (letter.format("Hi Dana Ruiz", "Madrid"), {"name": "Dana Ruiz", "city": "Madrid"}),
    ]
    assert _served_wrong(prompts, corroborate)[1] == 0


@pytest.mark.parametrize("corroborate", [True, False], ids=["default", "checks-alone"])
def test_a_description_in_the_schema_of_a_format_block_before_the_record_is_read(corroborate):
    """The schema a parser prints before the record describes ``name`` as "the surname only": a reuse of the
    whole names answered without it would be wrong."""
    schema = '{{"properties": {{"name": {{"type": "string"{desc}}}, "city": {{"type": "string"}}}}}}'
    lead = (
        "Extract the details.\nThe output should be formatted as a JSON instance that conforms to the JSON schema "
        "below.\n```\n{schema}\n```\n\nText:\n{record}\n"
    )
    plain = lead.replace("{schema}", schema.format(desc=""))
    surname = lead.replace("{schema}", schema.format(desc=', "description": "the surname only"'))
    prompts = [(plain.replace("{record}", r), a) for r, a in _CLIENTS]
    record = "Our new client Eva Moen from Molde signed today."
    assert (
        _served_wrong([*prompts, (surname.replace("{record}", record), {"name": "Moen", "city": "Molde"})], corroborate)[1] == 0
    )


def test_the_fixers_trim_takes_the_mark_that_parted_the_two_values():
    """ "12 Oak Street, Springfield" beside "City: Springfield": the trimmed street was served "12 Oak Street,"."""
    schema = _schema({"street": "string", "city": "string"})
    engine, backend = _engine('{"street": "12 Oak Street, Springfield", "city": "Springfield"}')
    out = engine.run(
        Request("Extract as JSON.\n\nForm:\nAddress: 12 Oak Street, Springfield\nCity: Springfield\n", schema=schema)
    )
    assert json.loads(out.text) == {"street": "12 Oak Street", "city": "Springfield"} and len(backend.calls) == 1


# ---------------------------------------------------------------- a value the new record writes otherwise
SAME_BUT_WRITTEN = {
    "case": ("Ann Lee", "ANN LEE"),
    "an accent decomposed": ("Jose Ruiz", unicodedata.normalize("NFD", "José Ruiz")),
    "spacing": ("Ann Lee", "Ann  Lee"),
    "quotes": ('Ann "Jo" Lee', "Ann \u201cJo\u201d Lee"),
    "a variation selector": ("Ann Lee \u2764", "Ann Lee \u2764\ufe0f"),
    # (helper-161)
    "a skin tone": ("Ann Lee \U0001f44d", "Ann Lee \U0001f44d\U0001f3fd"),
    "a keycap": ("Room 1", "Room 1\u20e3"),
}


@pytest.mark.parametrize("case", sorted(SAME_BUT_WRITTEN))
def test_a_value_the_new_record_writes_otherwise_is_the_models_to_copy(case):
    """Class (helper-160): a record whose value differs from the cached record's only in how it is written (case,
    an accent as a combining mark, spacing, quotes, a variation selector: "ANN LEE" beside "Ann Lee") was served the
    cached value (12 false of 12 per kind): the checks compare folded text, and found it there. A value the model
    copied as written, which the new record writes otherwise, is the model's to copy now (both directions)."""
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "city": {"type": "string"}},
        "required": ["name", "city"],
    }

    def model(spec: GenerationSpec) -> str:
        m = re.search(r"Name: (.*)\nCity: (.*)", spec.prompt)
        assert m is not None
        return json.dumps({"name": m[1], "city": m[2]}, ensure_ascii=False)

    first, then = SAME_BUT_WRITTEN[case]
    for x, y in ((first, then), (then, first)):
        engine = StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder(), backend=ScriptedBackend(respond=model))
        engine.run(Request(f"Extract the record as JSON.\n\nName: {x}\nCity: Bern", schema=schema))
        prompt = f"Extract the record as JSON.\n\nName: {y}\nCity: Bern"
        out = engine.run(Request(prompt, schema=schema))
        assert out.trace.backend_calls == 1 or out.text == model(GenerationSpec(prompt))


# ------------------------------------------------------------------- words a record capitalises that no name is
def _records_served_false(properties: dict[str, Any], records: list[tuple[str, dict[str, Any]]], corroborate: bool):
    """(served, false) over the last record, after the others, with a model that answers each record rightly."""
    schema = {"type": "object", "properties": properties, "required": list(properties)}
    right = {text: answer for text, answer in records}

    def model(spec: GenerationSpec) -> str:
        hits = [t for t in right if t in " ".join(spec.prompt.split())]
        return json.dumps(right[max(hits, key=len)], ensure_ascii=False) if hits else "{}"

    engine, _ = _engine(respond=model, corroborate=corroborate)
    served = false = 0
    for i, (text, answer) in enumerate(records):
        request = Request(f"Extract the fields as JSON. Text: {text}", schema=schema, task="json_extraction")
        try:
            out = engine.run(request)
        except UnverifiedOutputError:
            continue
        if i == len(records) - 1 and out.trace.backend_calls == 0:
            served += 1
            false += json.loads(out.text) != answer
    return served, false


_CAPITALISED = {
    "a currency": (
        {"name": {"type": "string"}, "price_eur": {"type": "number"}},
        [(f"Order by {n}, Price In Euros: {p}.", {"name": n, "price_eur": p}) for n, p in [("Maria Lopez", 40), ("Tom Berg", 35), ("Eva Kim", 20)]]
        + [("Order by Ana Ruiz, Price In Dollars: 50.", {"name": "Ana Ruiz", "price_eur": 46})],
    ),
    "a negation": (
        {"name": {"type": "string"}, "confirmed": {"type": "boolean"}},
        [(f"Guest {n}, Booking Confirmed By {h}.", {"name": n, "confirmed": True}) for n, h in [("Maria Lopez", "Ritz"), ("Tom Berg", "Marriott"), ("Eva Kim", "Sheraton")]]
        + [("Guest Ana Ruiz, Booking Not Confirmed By Hilton.", {"name": "Ana Ruiz", "confirmed": False})],
    ),
    "a correction": (
        {"name": {"type": "string"}, "city": {"type": "string"}},
        [(f"{n} lives in {c} (Moved From {o}).", {"name": n, "city": c}) for n, c, o in [("Maria Lopez", "Madrid", "Rome"), ("Tom Berg", "Oslo", "Bergen"), ("Eva Kim", "Seoul", "Busan")]]
        + [("Ana Ruiz lives in Seville (Moved To Bilbao).", {"name": "Ana Ruiz", "city": "Bilbao"})],
    ),
}  # fmt: skip


@pytest.mark.parametrize("corroborate", [True, False], ids=["default", "checks alone"])
@pytest.mark.parametrize("case", sorted(_CAPITALISED))
def test_a_word_a_record_capitalises_that_no_name_is_is_read_as_said(case, corroborate):
    """Class (helper-173, both modes: 1 to 7 false of 1 to 7 served per phrasing): a record that capitalises its
    words inside a sentence ("Price In Euros", "Booking Not Confirmed", "Moved To Bilbao"). Such a word that no
    value holds was compared as a name that varies from record to record ("Aa"), so "Dollars" where "Euros" stood,
    "Not", "To" where "From" stood, were no change. A negation, a state, a relation, a currency or a unit is
    compared as written; a negation capitalised beside a yes/no field reads both as a name's and as a negation, and
    where the two differ the field is not read."""
    properties, records = _CAPITALISED[case]
    served, false = _records_served_false(properties, records, corroborate)
    assert false == 0
