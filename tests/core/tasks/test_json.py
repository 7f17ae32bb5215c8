import json

import pytest

from stepcache_core.errors import InvalidRequestError, InvalidSchemaError
from stepcache_core.segment import JsonObjectSegmenter
from stepcache_core.tasks.base import AdaptContext
from stepcache_core.tasks.json import JsonAdapter, JsonGate, JsonPrompter, JsonVerifier, parse_json_problem
from stepcache_core.tasks.json.text import grounded
from stepcache_core.values import Request

from ..conftest import PERSON

SEG = JsonObjectSegmenter()


def problem(text, schema=PERSON):
    return parse_json_problem(Request(text, task="json_extraction", schema=schema))


def test_verifier_per_key_schema_and_grounding():
    p = problem("Alice is 30 and lives in Paris.")
    steps = SEG.segment('{"name": "Alice", "age": "30", "city": "Rome"}')
    oks = [(v.key, v.ok) for v in JsonVerifier().verify_steps(p, steps)]
    assert oks == [("name", True), ("age", False), ("city", False)]


def test_missing_required_key_and_malformed_output():
    p = problem("Alice is 30 and lives in Paris.")
    verdicts = JsonVerifier().verify_steps(p, SEG.segment('{"name": "Alice", "age": 30}'))
    assert [v.key for v in verdicts if not v.ok] == ["city"]
    assert not any(v.ok for v in JsonVerifier().verify_steps(p, SEG.segment('{"name": "Ali')))
    # a wrapper around the one object is the model's layout; a second object is ambiguous
    assert JsonVerifier().check(p, 'Here it is: {"name": "Alice", "age": 30, "city": "Paris"} (from the text)').ok
    assert not JsonVerifier().check(p, '{"name": "Alice", "age": 30, "city": "Paris"} or {"name": "Al"}').ok


def test_cached_booleans_follow_the_texts_own_statement_or_are_not_trusted():
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "vip": {"type": "boolean"}, "newsletter": {"type": "boolean"}},
        "required": ["name", "vip"],
    }
    cached = SEG.segment('{"name": "Alice", "vip": true}')
    assert all(v.ok for v in JsonVerifier().verify_steps(problem("Alice is a VIP", schema), cached))
    assert [v.ok for v in JsonVerifier().verify_steps(problem("Alice is not a VIP", schema), cached)] == [True, False]
    unstated = SEG.segment('{"name": "Alice", "vip": true, "newsletter": false}')
    assert [v.ok for v in JsonVerifier().verify_steps(problem("Alice is a VIP", schema), unstated)] == [True, True, False]
    fresh = SEG.segment('{"name": "Alice", "vip": true, "newsletter": false}', origin="generated")
    assert all(v.ok for v in JsonVerifier().verify_steps(problem("Alice is a VIP", schema), fresh))


def test_grounding_numbers_and_words():
    assert grounded(30, "she is 30")
    assert not grounded(3, "she is 30")
    assert grounded("New York", "lives in new  york.")
    assert not grounded("York", "Yorkshire")


def test_adapter_follows_text_edits_and_key_renames():
    old = problem("Alice Martin is 31 years old and lives in Lyon.")
    schema = {
        **PERSON,
        "properties": {"name": {"type": "string"}, "age": {"type": "integer"}, "town": {"type": "string"}},
        "required": ["name", "age", "town"],
    }
    new = problem("Bruno Costa is 45 years old and lives in Lyon.", schema)
    steps = JsonAdapter().adapt(old, new, SEG.segment('{"name": "Alice Martin", "age": 31, "city": "Lyon"}'), AdaptContext())
    assert {s.key: s.value for s in steps} == {"name": "Bruno Costa", "age": 45, "town": "Lyon"}
    assert all(v.ok for v in JsonVerifier().verify_steps(new, steps))


def test_gate_rejects_another_kind_of_entity():
    company = {
        "type": "object",
        "properties": {"company": {"type": "string"}, "founded": {"type": "integer"}, "hq": {"type": "string"}},
    }
    assert not JsonGate().compatible(problem("Alice is 30"), problem("Acme was founded in 1990", company)).ok


def test_patch_asks_only_for_failing_keys():
    p = problem("Alice is 30 and lives in Paris.")
    steps = SEG.segment('{"name": "Alice", "age": 30, "city": "Rome"}')
    verdicts = JsonVerifier().verify_steps(p, steps)
    spec = JsonPrompter().patch(p, steps, verdicts)
    assert spec.json_schema is not None and list(spec.json_schema["properties"]) == ["city"]
    merged = JsonPrompter().merge(p, steps, verdicts, '{"city": "Paris"}')
    assert {s.key: s.value for s in merged} == {"name": "Alice", "age": 30, "city": "Paris"}


def test_invalid_schema_and_missing_constraints_are_typed_errors():
    with pytest.raises(InvalidSchemaError):
        problem("x", {"type": "object", "properties": {"a": {"type": "no-such-type"}}})
    with pytest.raises(InvalidRequestError):
        parse_json_problem(Request("give me JSON", task="json_extraction"))


def test_a_value_that_swallows_another_fails_and_equal_values_both_fail():
    schema = {
        "type": "object",
        "properties": {"title": {"type": "string"}, "director": {"type": "string"}, "runtime": {"type": "integer"}},
    }
    p = problem("Hollow Peaks, directed by Goran Petrov, runs 115 minutes.", schema)
    steps = SEG.segment('{"title": "115 minutes", "director": "Goran Petrov", "runtime": 115}', origin="generated")
    assert [(v.key, v.ok) for v in JsonVerifier().verify_steps(p, steps)] == [
        ("title", False),
        ("director", True),
        ("runtime", True),
    ]
    same = SEG.segment('{"title": "Goran Petrov", "director": "Goran Petrov", "runtime": 115}', origin="generated")
    assert [v.ok for v in JsonVerifier().verify_steps(p, same)] == [False, False, True]


def test_units_and_cut_names_are_not_field_values():
    schema = {
        "type": "object",
        "properties": {"make": {"type": "string"}, "model": {"type": "string"}, "owner": {"type": "string"}},
    }
    p = problem("The Toyota Golf has 186040 km on it and sells for 18915 euros. It belongs to Dana Levi.", schema)

    def oks(obj: str) -> list[bool]:
        return [v.ok for v in JsonVerifier().verify_steps(p, SEG.segment(obj, origin="generated"))]

    # make and model split the name "Toyota Golf" between them: fine
    assert oks('{"make": "Toyota", "model": "Golf", "owner": "Dana Levi"}') == [True, True, True]
    # a unit is not a model; "Toyota" then cuts "Toyota Golf" with no field holding the rest
    assert oks('{"make": "Toyota", "model": "euros", "owner": "Dana Levi"}') == [False, False, True]
    # "Toyota Golf" swallows "Golf", which then cuts the name; a person's name is never cut
    assert oks('{"make": "Toyota Golf", "model": "Golf", "owner": "Levi"}') == [False, False, False]


def test_patch_grammar_leaves_out_values_that_clash_with_kept_fields():
    schema = {"type": "object", "properties": {"product": {"type": "string"}, "brand": {"type": "string"}}}
    p = problem("The Altair toaster costs 229 dollars.", schema)
    steps = SEG.segment('{"product": "Altair toaster", "brand": "Altair"}', origin="generated")
    verdicts = JsonVerifier().verify_steps(p, steps)
    assert [v.ok for v in verdicts] == [False, True]
    spec = JsonPrompter().patch(p, steps, verdicts)
    assert spec.json_schema is not None
    offered = spec.json_schema["properties"]["product"]["enum"]
    assert "toaster" in offered and not any("Altair" in o for o in offered)
    assert list(spec.json_schema["properties"]) == ["product"]


def test_partial_tokens_are_not_grounded():
    assert not grounded("1042", "Order A-1042 ships today.")
    assert grounded("A-1042", "Order A-1042.")


def test_values_cut_from_a_sentence_are_rejected():
    from stepcache_core.tasks.json.text import plausible_span

    for bad in ["The book fair in", "in Lyon", "8 days and drew", "Running 99 minutes", "the", "Belonging to Dana Levi , Nala"]:
        assert not plausible_span(bad), bad
    for good in ["book fair", "The Hague", "Alice Martin", "A-1042", "LH402", "Northern Lights"]:
        assert plausible_span(good), good


def test_extractive_spans_offer_names_whole():
    from stepcache_core.tasks.json.prompt import _spans

    spans = _spans("Dana Levi is 52 and lives in Quito. The Kovu heater is red. Order A-1042 ships.")
    assert "Dana Levi" in spans and "Levi" not in spans and "Dana" not in spans
    assert "Kovu" in spans and "A-1042" in spans and "Quito" in spans
    # after an article a capitalised run names a thing whose parts can be fields (make, model)
    assert {"Toyota", "Golf", "Toyota Golf"} <= set(_spans("The Toyota Golf has 9 km on it."))
    # no span crosses a clause boundary
    spans = _spans("Living in Denver, Dana Levi is 55. Lyon. Alice Martin sings.")
    assert "Denver Dana Levi" not in spans and "Lyon Alice" not in spans and "Denver" in spans


def test_fixer_trims_a_value_that_swallowed_another_fields_value():
    from stepcache_core.tasks.json import JsonFixer

    schema = {
        "type": "object",
        "properties": {"make": {"type": "string"}, "model": {"type": "string"}, "km": {"type": "integer"}},
    }
    p = problem("The Toyota Golf has 9000 km on it.", schema)
    steps = SEG.segment('{"make": "Toyota Golf", "model": "Golf", "km": 9000}', origin="generated")
    fixed = JsonFixer().fix(p, steps, JsonVerifier().verify_steps(p, steps))
    assert fixed is not None and [s.value for s in fixed] == ["Toyota", "Golf", 9000]
    assert all(v.ok for v in JsonVerifier().verify_steps(p, fixed))
    # equal values: nothing to trim
    same = SEG.segment('{"make": "Toyota Golf", "model": "Toyota Golf", "km": 9000}', origin="generated")
    assert JsonFixer().fix(p, same, JsonVerifier().verify_steps(p, same)) is None


def test_adapter_finds_moved_values_by_their_neighbouring_words():
    schema = {
        "type": "object",
        "properties": {"order_id": {"type": "string"}, "quantity": {"type": "integer"}, "destination": {"type": "string"}},
    }
    old = problem("Extract as JSON. Text: Order A-1042 contains 42 boxes and ships to Valencia with UPS.", schema)
    new = problem("Extract as JSON. Text: Shipping to Osaka with UPS, order E-5583 contains 37 boxes.", schema)
    steps = SEG.segment('{"order_id": "A-1042", "quantity": 42, "destination": "Valencia"}', origin="generated")
    adapted = JsonAdapter().adapt(old, new, steps, AdaptContext())
    assert [s.value for s in adapted] == ["E-5583", 37, "Osaka"]
    assert all(v.ok for v in JsonVerifier().verify_steps(new, adapted))


def test_adapter_leaves_a_value_whose_neighbours_are_ambiguous():
    from stepcache_core.tasks.json.adapt import _by_anchors

    # "the food market took" and "took place in": two spans of the shape of "book fair" touch an anchor
    old = "The book fair in Valencia lasted 5 days."
    new = "Over 4 days, the food market took place in Osaka."
    assert _by_anchors("book fair", old, new) == "book fair"
    assert _by_anchors("Valencia", old, new) == "Osaka"


def test_adapter_follows_the_diff_even_when_the_old_value_moved_to_another_field():
    schema = {
        "type": "object",
        "properties": {"flight": {"type": "string"}, "origin": {"type": "string"}, "destination": {"type": "string"}},
    }
    old = problem("Text: Flight LH402 departs from Denver at gate A12 and lands in Bergen.", schema)
    new = problem("Text: Flight BA286 departs from Valencia at gate C3 and lands in Denver.", schema)
    steps = SEG.segment('{"flight": "LH402", "origin": "Denver", "destination": "Bergen"}', origin="generated")
    assert [s.value for s in JsonAdapter().adapt(old, new, steps, AdaptContext())] == ["BA286", "Valencia", "Denver"]


def test_a_field_name_is_not_a_value():
    schema = {"type": "object", "properties": {"flight": {"type": "string"}, "departure": {"type": "string"}}}
    p = problem("Flight LH402 departs from Denver.", schema)
    steps = SEG.segment('{"flight": "LH402", "departure": "Flight"}', origin="generated")
    assert [v.ok for v in JsonVerifier().verify_steps(p, steps)] == [True, False]


def test_rename_the_embedding_cannot_vouch_for_needs_the_text_to_label_the_value():
    def schema(*keys):
        return {"type": "object", "properties": {k: {"type": "string"} for k in keys}}

    text = "Text: Flight LH402 departs from Denver at gate A12 and lands in Bergen."
    old = problem(text, schema("flight", "origin", "destination"))
    steps = SEG.segment('{"flight": "LH402", "origin": "Denver", "destination": "Bergen"}', origin="generated")
    unrelated = AdaptContext(similarity=lambda a, b: 0.1)
    # "departs from Denver": the text labels the value with the new name
    renamed = JsonAdapter().adapt(old, problem(text, schema("flight", "departure", "destination")), steps, unrelated)
    assert [(s.key, s.value) for s in renamed] == [("flight", "LH402"), ("departure", "Denver"), ("destination", "Bergen")]
    # "gate" labels A12, not Denver: no rename, the key is left to patching
    gated = JsonAdapter().adapt(old, problem(text, schema("flight", "gate", "destination")), steps, unrelated)
    assert [s.key for s in gated] == ["flight", "destination"]


def test_a_chat_model_is_told_which_keys_to_patch_and_a_base_model_gets_the_few_shot_framing():
    problem = parse_json_problem(Request("Extract as JSON. Text: Maria Lopez is 34 and lives in Madrid.", schema=PERSON))
    steps = SEG.segment('{"name": "Maria Lopez", "age": 35, "city": "Madrid"}')
    verdicts = JsonVerifier().verify_steps(problem, steps)
    for spec in (JsonPrompter().patch(problem, steps, verdicts), JsonPrompter().repair(problem, steps[1].text, verdicts[1])):
        assert spec is not None
        assert spec.prompt.count("Text: Maria Lopez is 34 and lives in Madrid.") == 1
        assert "Return one JSON object with exactly these keys" in spec.prompt and "Keys:" not in spec.prompt
        base = spec.for_base_model()
        assert base is not spec and base.prompt.endswith("JSON: ") and "Keys:" in base.prompt
    patch = JsonPrompter().patch(problem, steps, verdicts)
    assert "age" in patch.prompt and "city" not in patch.prompt.split("keys:")[-1]  # only the failing key


# --- lists of records (issue 20, item 5) -------------------------------------------------------------------------------
ORDER = {
    "type": "object",
    "properties": {
        "customer": {"type": "string"},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "quantity": {"type": "integer"}},
                "required": ["name", "quantity"],
            },
        },
    },
    "required": ["customer", "items"],
}
ORDER_PROMPT = "Extract the order as JSON. Text: {}"


def _order(customer, *lines):
    return {"customer": customer, "items": [{"name": n, "quantity": q} for q, n in lines]}


def _order_text(customer, *lines):
    said = [f"{q} {n}" for q, n in lines]
    return f"{customer} ordered {', '.join(said[:-1]) + ' and ' + said[-1] if len(said) > 1 else said[0]}."


@pytest.mark.parametrize(
    "lines",
    [
        ((5, "apples"), (4, "pears")),  # other quantities
        ((5, "plums"), (4, "figs")),  # other items
        ((5, "plums"), (2, "pears")),  # one item kept, one changed
        ((2, "apples"), (3, "pears")),  # the two quantities swapped
    ],
)
def test_a_list_of_records_is_adapted_item_by_item_without_the_model(lines):
    """Class: arrays of objects (order lines) whose items' values change; each verified and grounded like a field.
    A second order, the model's, corroborates the first (a reuse for another record waits for one)."""
    import json

    from stepcache_core import StepCacheEngine
    from stepcache_core.fakes import HashEmbedder, MemoryStore, ScriptedBackend

    engine = StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder())
    first = ((3, "apples"), (2, "pears"))
    engine.run(
        Request(ORDER_PROMPT.format(_order_text("Ana Silva", *first)), schema=ORDER),
        backend=ScriptedBackend([json.dumps(_order("Ana Silva", *first))]),
    )
    second = ((7, "kiwis"), (6, "limes"))
    model = ScriptedBackend([json.dumps(_order("Carla Diaz", *second))])
    engine.run(Request(ORDER_PROMPT.format(_order_text("Carla Diaz", *second)), schema=ORDER), backend=model)
    assert len(model.calls) == 1
    out = engine.run(
        Request(ORDER_PROMPT.format(_order_text("Bruno Costa", *lines)), schema=ORDER),
        backend=ScriptedBackend([], default="MODEL"),
    )
    assert out.trace.path == "reuse" and out.trace.backend_calls == 0
    assert json.loads(out.text) == _order("Bruno Costa", *lines)  # 0 wrong


def test_a_list_of_records_must_hold_every_record_of_the_text_in_its_order():
    """Classes: a record left out of the enumeration, records out of the text's order, a counted word that is the
    record's item (not a unit slip). A model answer like these is never stored, so never reused."""
    text = _order_text("Bruno Costa", (5, "plums"), (4, "figs"), (1, "melon"))
    p = problem(ORDER_PROMPT.format(text), ORDER)

    def failures(obj):
        import json

        return [v.reason for v in JsonVerifier().verify_steps(p, SEG.segment(json.dumps(obj), origin="generated")) if not v.ok]

    assert failures(_order("Bruno Costa", (5, "plums"), (4, "figs"), (1, "melon"))) == []
    assert "leaves out" in failures(_order("Bruno Costa", (5, "plums"), (4, "figs")))[0]
    assert "order" in failures(_order("Bruno Costa", (4, "figs"), (5, "plums"), (1, "melon")))[0]
    assert "not stated" in failures(_order("Bruno Costa", (5, "plums"), (4, "figs"), (2, "melon")))[0]


def test_a_longer_list_goes_to_the_model_and_its_answer_is_served():
    """Class: the new text enumerates more records than the cached one: no item to adapt, so the model answers."""
    import json

    from stepcache_core import StepCacheEngine
    from stepcache_core.fakes import HashEmbedder, MemoryStore, ScriptedBackend

    engine = StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder())
    first = ((3, "apples"), (2, "pears"))
    engine.run(
        Request(ORDER_PROMPT.format(_order_text("Ana Silva", *first)), schema=ORDER),
        backend=ScriptedBackend([json.dumps(_order("Ana Silva", *first))]),
    )
    lines = ((5, "plums"), (4, "figs"), (1, "melon"))
    want = _order("Bruno Costa", *lines)
    out = engine.run(
        Request(ORDER_PROMPT.format(_order_text("Bruno Costa", *lines)), schema=ORDER),
        backend=ScriptedBackend([], default=json.dumps(want)),
    )
    assert out.trace.backend_calls >= 1 and json.loads(out.text) == want


_UPPER_PERSON = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "age": {"type": "integer"}, "city": {"type": "string"}},
    "required": ["name", "age", "city"],
}


def _upper_model(spec, always=False):
    """A model that follows the upper-case instruction (``always``: it stands in its system prompt, which the
    caller's own call sends it)."""
    import re as _re

    m = _re.search(r"(\w+ \w+) is (\d+) and lives in (\w+)", spec.prompt)
    name, age, city = m.group(1), int(m.group(2)), m.group(3)
    if always or "upper case" in spec.prompt:
        name, city = name.upper(), city.upper()
    return json.dumps({"name": name, "age": age, "city": city})


@pytest.mark.parametrize("where", ["context", "request"])
def test_a_condition_on_the_values_form_is_never_re_derived_away(make_engine, where):
    """Class: "Write every name and city in upper case." in the caller's system prompt (``Request.context``) or in
    the request itself: the cached values are in another form than the text spells them, and the next record
    was served as the text spells it ("John Smith" for "JOHN SMITH"). Now the system prompt stops values moving
    unless it is a persona, and a value the model reformed is not re-derived: the model writes the new one."""
    engine, backend = make_engine(respond=lambda spec: _upper_model(spec, always=where == "context"))

    def ask(record):
        if where == "context":
            return Request(
                f"Extract the person: {record}", schema=_UPPER_PERSON, context="Write every name and city in upper case."
            )
        return Request(f"Extract the person, writing every name and city in upper case: {record}", schema=_UPPER_PERSON)

    engine.run(ask("Maria Lopez is 34 and lives in Madrid."))
    out = engine.run(ask("John Smith is 52 and lives in Boston."))
    assert json.loads(out.text) == {"name": "JOHN SMITH", "age": 52, "city": "BOSTON"}
    assert out.trace.backend_calls == 1


@pytest.mark.parametrize(
    "prompt, answer",
    [
        ("What is JSON?", "JSON is a text format for data."),
        ("Explain JSON in one line.", "JSON writes objects as text."),
        ("Ann buys 3 boxes of 4 apples. How many apples does Ann have? Reply in JSON.", '{"answer": 12}'),
        (
            "Ann buys 3 boxes of 4 apples. How many apples does Ann have? Reply in JSON with keys answer and unit.",
            '{"answer": 12, "unit": "apples"}',
        ),
    ],
)
def test_a_prompt_that_only_names_json_is_asked_of_the_model(prompt, answer):
    """Class (helper-94): a request that names JSON and gives no keys, neither a schema nor required keys (a
    question about JSON, a word problem asking for a JSON reply). It was routed to the extraction and raised
    ``InvalidRequestError``; the model now answers it as the caller sent it, twice over (the second time from an
    exact repeat or the model, never an error), and nothing else routes otherwise."""
    from stepcache_core import EngineConfig, StepCacheEngine
    from stepcache_core.fakes import HashEmbedder, MemoryStore, ScriptedBackend

    seen: list[str] = []
    engine = StepCacheEngine(
        store=MemoryStore(),
        embedder=HashEmbedder(),
        backend=ScriptedBackend(respond=lambda spec: seen.append(spec.prompt) or answer),
        config=EngineConfig(corroboration_probes=0),
    )
    first = engine.run(Request(prompt))
    assert first.text == answer and seen[0] == prompt
    assert engine.run(Request(prompt)).text == answer
    assert engine.tasks.detect(Request(prompt)).name != "json_extraction"
    assert engine.tasks.detect(Request(prompt, required_keys=("answer",))).name == "json_extraction"
