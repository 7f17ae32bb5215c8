"""Hostile input: every request or model answer is answered in bounded time with a typed error or a
correct result, nothing wrong is served or stored, and a schema never reaches the network or the disk."""

from __future__ import annotations

import socket
import time

import pytest

from stepcache_core import (
    EngineConfig,
    InvalidEquationError,
    InvalidRequestError,
    InvalidSchemaError,
    Request,
    StepCacheEngine,
    StepCacheError,
    UnverifiedOutputError,
)
from stepcache_core.bounds import check_expression
from stepcache_core.fakes import HashEmbedder, MemoryStore, ScriptedBackend
from stepcache_core.tasks.equation.expr import linear_form, parse_equation

BUDGET_S = 10.0

# each class of hostile request, with the error type it must get (within BUDGET_S, before any model call)
HOSTILE_REQUESTS = [
    ("power tower in a request", Request("Solve for x: x + 9^9^9^9 = 2"), InvalidEquationError),
    ("huge exponent (dense polynomial)", Request("Solve for x: x^99999999 = 2"), InvalidEquationError),
    ("5000-digit power", Request("Solve for x: x + 10^5000 = 1"), InvalidEquationError),
    ("200-digit literal", Request("Solve for x: x + " + "9" * 200 + " = 1"), InvalidEquationError),
    ("3000 nested parentheses", Request("Solve for x: " + "(" * 3000 + "x" + ")" * 3000 + " = 1"), InvalidEquationError),
    ("degree above the solver's limit", Request("Solve for x: x^40 + x = 2"), InvalidEquationError),
    ("lone surrogate in the prompt", Request("Solve for x: 3x + 5 = 20 \ud800"), InvalidRequestError),
    ("lone surrogate in key_text", Request("Write a poem", key_text="poem \udfff"), InvalidRequestError),
    ("schema given as a string", Request("Extract JSON", schema="{}"), InvalidSchemaError),  # type: ignore[arg-type]
    ("schema given as a list", Request("Extract JSON", schema=[1, 2]), InvalidSchemaError),  # type: ignore[arg-type]
    ("schema given as True", Request("Extract JSON", schema=True), InvalidSchemaError),  # type: ignore[arg-type]
    (
        "remote $ref",
        Request(
            "Extract name as JSON. Text: Ann.",
            schema={"type": "object", "properties": {"name": {"$ref": "http://127.0.0.1:9/s.json"}}},
        ),
        InvalidSchemaError,
    ),
    (
        "file $ref",
        Request(
            "Extract name as JSON. Text: Ann.", schema={"type": "object", "properties": {"name": {"$ref": "file:///etc/passwd"}}}
        ),
        InvalidSchemaError,
    ),
    (
        "self-referencing $ref",
        Request("Extract name as JSON. Text: Ann.", schema={"$ref": "#", "properties": {"name": {}}}),
        InvalidSchemaError,
    ),
]


def _nest(depth: int) -> dict:
    schema: dict = {"type": "string"}
    for _ in range(depth):
        schema = {"type": "object", "properties": {"a": schema}}
    return schema


def _engine(script=(), default=None, **config) -> tuple[StepCacheEngine, ScriptedBackend]:
    backend = ScriptedBackend(script, default=default)
    engine = StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder(), backend=backend, config=EngineConfig(**config))
    return engine, backend


@pytest.mark.parametrize("name,request_,error", HOSTILE_REQUESTS, ids=[r[0] for r in HOSTILE_REQUESTS])
def test_hostile_request_gets_a_typed_error_before_any_model_call(name, request_, error):
    engine, backend = _engine()
    t = time.perf_counter()
    with pytest.raises(error):
        engine.run(request_)
    assert time.perf_counter() - t < BUDGET_S
    assert backend.calls == [], "the model was called before the request was checked"
    assert engine.count() == 0


def test_deeply_nested_schema_is_refused():
    engine, backend = _engine()
    with pytest.raises(InvalidSchemaError):
        engine.run(Request("Extract a as JSON. Text: Ann.", schema=_nest(500)))
    assert backend.calls == []


def test_schema_refs_never_touch_the_network(monkeypatch):
    opened: list[object] = []

    def refuse(*args, **kwargs):
        opened.append(args)
        raise AssertionError("network access from a schema")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    engine, _ = _engine()
    for host in ("http://example.invalid/a.json", "https://127.0.0.1:1/b.json"):
        with pytest.raises(InvalidSchemaError, match="does not resolve inside the schema"):
            engine.run(
                Request("Extract name as JSON. Text: Ann.", schema={"type": "object", "properties": {"name": {"$ref": host}}})
            )
    assert opened == []


def test_local_refs_still_work():
    schema = {
        "type": "object",
        "$defs": {"name": {"type": "string"}},
        "properties": {"name": {"$ref": "#/$defs/name"}, "age": {"type": "integer"}},
        "required": ["name", "age"],
    }
    engine, _ = _engine(['{"name": "Ann Lee", "age": 31}'])
    out = engine.run(Request("Extract name and age as JSON. Text: Ann Lee is 31.", schema=schema))
    assert out.trace.verified and '"Ann Lee"' in out.text


def test_catastrophic_pattern_fails_the_check_in_bounded_time():
    schema = {"type": "object", "properties": {"code": {"type": "string", "pattern": "^(a+)+$"}}, "required": ["code"]}
    value = "a" * 40 + "!"
    engine, backend = _engine([f'{{"code": "{value}"}}'] * 4)
    t = time.perf_counter()
    with pytest.raises(UnverifiedOutputError):
        engine.run(Request(f"Extract code as JSON. Text: the code is {value}", schema=schema))
    assert time.perf_counter() - t < BUDGET_S
    assert engine.count() == 0


@pytest.mark.parametrize(
    "answer",
    [
        "x + 9^9^9^9 = 2\nx = 5",  # a tower inside a model's answer to a harmless prompt
        "x^99999999 = 3\nx = 5",
        "3x = 10^5000\nx = 5",
        "(" * 3000 + "3x" + ")" * 3000 + " = 15\nx = 5",
    ],
    ids=["tower", "huge-exponent", "huge-power", "deep-nesting"],
)
def test_hostile_model_answer_is_never_served_and_never_hangs(answer):
    engine, backend = _engine([answer], default=answer, verify_budget_s=2.0)
    t = time.perf_counter()
    out = engine.run(Request("Solve for x: 3x + 5 = 20"))
    assert time.perf_counter() - t < BUDGET_S
    # the hostile steps failed verification; what is served is a verified answer (the sympy solver's)
    assert out.trace.verified and out.text.splitlines()[-1] == "x = 5"
    assert "9^9" not in out.text and "99999999" not in out.text
    assert engine.record(Request("Solve for x: 3x + 5 = 21"), answer) is False


def test_answer_too_long_is_neither_verified_nor_stored():
    long_answer = "\n".join(["3x + 5 = 20"] * 5000) + "\nx = 5"
    engine, _ = _engine([long_answer], default=long_answer)
    out = engine.run(Request("Solve for x: 3x + 5 = 20"))
    assert out.trace.fallback == "deterministic" and len(out.text) < 200
    assert engine.record(Request("Solve for x: 3x + 5 = 20"), long_answer) is False
    big_text = "word " * 20_000
    engine2, _ = _engine([big_text], max_output_chars=50_000)
    served = engine2.run(Request("Write an essay"))
    assert served.text == big_text and engine2.count() == 0 and any("not stored" in n for n in served.trace.notes)


def test_verification_budget_turns_into_a_failed_verdict(monkeypatch):
    from stepcache_core.tasks.equation import verify as equation

    real = equation._Reading.verify

    def slow(self, step):
        time.sleep(0.05)
        return real(self, step)

    monkeypatch.setattr(equation._Reading, "verify", slow)
    slow_answer = "\n".join(["3x = 15"] * 40) + "\nx = 5"
    engine, _ = _engine([slow_answer], default=slow_answer, verify_budget_s=0.3)
    out = engine.run(Request("Solve for x: 3x + 5 = 20"))
    assert out.trace.fallback == "deterministic"  # the model's (right) answer could not be checked in time


def test_a_plugin_that_raises_is_a_typed_error_or_a_failed_check():
    from dataclasses import replace

    from stepcache_core.tasks import builtin_tasks

    tasks = builtin_tasks()
    linear = tasks.get("linear_equation")

    def boom(request):
        raise RecursionError("deep")

    tasks.register(replace(linear, name="fragile", parse=boom, detect=lambda r: False))
    engine = StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder(), backend=ScriptedBackend(), tasks=tasks)
    with pytest.raises(InvalidRequestError, match="RecursionError"):
        engine.run(Request("Solve for x: 3x + 5 = 20", task="fragile"))


@pytest.mark.parametrize(
    "text",
    ["9^9^9^9", "x^99999999", "10^5000", "2^(3^(4^5))", "((x^8)^8)^8", "(" * 100 + "1" + ")" * 100, "1" * 100],
)
def test_check_expression_refuses_expensive_math_fast(text):
    t = time.perf_counter()
    with pytest.raises(InvalidEquationError):
        check_expression(text)
    assert time.perf_counter() - t < 0.1


@pytest.mark.parametrize("text", ["3x + 5 = 20", "x^2 - 5x + 6 = 0", "2^x = 8", "(x+1)^3 = 8", "4(n + 1) = 18", "x^8 = 256"])
def test_check_expression_accepts_ordinary_equations(text):
    check_expression(text)


def test_fast_linear_path_refuses_huge_powers_without_computing_them():
    t = time.perf_counter()
    assert linear_form("x + 9^999999 = 2", "x") is None
    assert time.perf_counter() - t < 0.1
    with pytest.raises(InvalidEquationError):
        parse_equation("x + 9^999999 = 2", "x")


def test_every_hostile_error_is_a_stepcache_error():
    for _, _request, error in HOSTILE_REQUESTS:
        assert issubclass(error, StepCacheError)


def test_deeply_nested_json_answer_is_a_failed_check_not_a_crash():
    schema = {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}
    hostile = '{"name": ' + "[" * 100_000 + "]" * 100_000 + "}"
    engine, backend = _engine([hostile] * 6)
    t = time.perf_counter()
    with pytest.raises(UnverifiedOutputError):
        engine.run(Request("Extract name as JSON. Text: Ann Lee called.", schema=schema))
    assert time.perf_counter() - t < BUDGET_S and engine.count() == 0


@pytest.mark.parametrize(
    "prop",
    [
        {"type": "string", "description": "value " * 15000 + ":"},  # a list of options read in a long description
        {"type": "string", "pattern": "(" + "|" * 30000 + ")x"},  # the alternatives of a long pattern
        {"type": "string", "description": "is it " + "a, " * 20000 + "b or c?"},  # options asked as a question
    ],
    ids=["long description", "long pattern", "long question"],
)
def test_a_schema_that_lists_its_options_at_length_is_read_in_bounded_time(prop):
    """Class (review of the options readers: 4 to 100 s before, quadratic regexes): a schema near the size limit whose
    description or pattern is long is read in bounded time, and the model's answer is served."""
    schema = {"type": "object", "properties": {"code": prop, "name": {"type": "string"}}, "required": ["name"]}
    engine, _ = _engine(['{"name": "Ann Lee"}'])
    t = time.perf_counter()
    out = engine.run(Request("Extract the name as JSON. Text: Ann Lee is 31.", schema=schema))
    assert time.perf_counter() - t < BUDGET_S and '"Ann Lee"' in out.text
