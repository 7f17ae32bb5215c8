"""The engine's paths, on the shipped fakes."""

from __future__ import annotations

import json
import re
import threading

import pytest

from stepcache_core import (
    BackendError,
    BackendTimeoutError,
    ConfigError,
    EngineConfig,
    InvalidRequestError,
    Namespace,
    PromptTooLongError,
    Request,
    StepCacheEngine,
    StoreError,
    UnverifiedOutputError,
    background,
)
from stepcache_core.fakes import HashEmbedder, MemoryStore, ScriptedBackend
from stepcache_core.request import entry_id
from stepcache_core.segment import LineSegmenter
from stepcache_core.tasks import RepairPolicy, TaskProfile, builtin_tasks
from stepcache_core.tasks.text import IdenticalGate, TextProblem, TextPrompter
from stepcache_core.values import Verdict

from .conftest import PERSON

BASE = "Solve for x: 3x + 5 = 20"


def test_miss_then_exact_reuse(make_engine):
    engine, backend = make_engine(["3x = 15\nx = 5"])
    first = engine.run(Request(BASE))
    assert first.trace.path == "miss" and first.text.endswith("x = 5") and first.trace.backend_calls == 1
    second = engine.run(Request(BASE))
    assert second.trace.path == "reuse" and second.trace.exact_hit and second.trace.backend_calls == 0
    assert second.trace.total_tokens == 0 and len(backend.calls) == 1


def test_adapted_reuse_needs_no_model_call(make_engine):
    engine, backend = make_engine(["3x = 20 - 5\n3x = 15\nx = 5"])
    engine.run(Request(BASE))
    out = engine.run(Request("Solve for x: 3x + 11 = 47"))
    assert out.trace.path == "reuse" and out.trace.steps_adapted == 3
    assert out.text.splitlines()[-1] == "x = 12"
    assert len(backend.calls) == 1


def test_patch_regenerates_only_from_the_first_failing_step(make_engine, monkeypatch):
    from stepcache_core.tasks.equation.adapt import EquationAdapter

    real = EquationAdapter.adapt

    def stuck_last(self, old, new, steps, ctx):  # an adapter that cannot rewrite the final line
        out = real(self, old, new, steps, ctx)
        return out[:-1] + [steps[-1]]

    monkeypatch.setattr(EquationAdapter, "adapt", stuck_last)
    engine, backend = make_engine(["3x + 5 = 20\n3x = 15\nx = 5"])
    engine.run(Request(BASE))
    backend._script.append("x = 6")
    out = engine.run(Request("Solve for x: 3x + 2 = 20"))
    assert out.trace.path == "patch" and out.text == "3x + 2 = 20\n3x = 18\nx = 6"
    assert out.trace.steps_adapted == 2 and out.trace.steps_regenerated == 1
    patch = backend.calls[-1]
    assert patch.purpose == "patch" and "3x = 18" in patch.prompt and 'From the line "x = 5" on it is wrong' in patch.prompt
    assert patch.base is not None and patch.base.prompt.endswith("Equation: 3x + 2 = 20\n3x + 2 = 20\n3x = 18\n")


def test_a_reuse_that_holds_nothing_for_the_request_is_not_patched(make_engine):
    engine, backend = make_engine(["3x + 5 = 20\n3x = 15\nx = 5"])
    engine.run(Request(BASE))
    # another shape: no equation of the cached answer holds, so the caller's own prompt answers it
    backend._script.append("3x = 21\nx = 7")
    out = engine.run(Request("Solve for x: 20 = 3x - 1"))
    assert out.trace.path == "skip" and out.text == "3x = 21\nx = 7"
    assert backend.calls[-1].purpose == "generate" and backend.calls[-1].prompt == "Solve for x: 20 = 3x - 1"


def test_wrong_model_falls_back_to_deterministic_solution(make_engine):
    engine, backend = make_engine(default="x = 99")
    out = engine.run(Request("Solve for x: 2x + 9 = 5x - 3"))
    assert out.trace.fallback == "deterministic" and out.text.splitlines()[-1] == "x = 4"
    assert out.trace.verified
    assert len(backend.calls) == 1 + 1  # generation + the bounded patch attempt


def test_skip_on_structure_change(make_engine):
    engine, backend = make_engine(["3x = 15\nx = 5", "x = -2, x = 2"])
    engine.run(Request(BASE))
    out = engine.run(Request("Solve for x: x^2 + 5 = 9"))
    assert out.trace.path == "skip" and "degree" in (out.trace.skip_reason or "")
    assert out.text.splitlines()[-1] == "x = -2, x = 2"


def test_json_reuse_adapt_and_key_patch(make_engine):
    engine, backend = make_engine(
        ['{"name": "Alice Martin", "age": 31, "city": "Lyon"}', '{"name": "Carla Diaz", "age": 52, "city": "Lyon"}']
    )
    engine.run(Request("Extract name, age and city as JSON. Text: Alice Martin is 31 and lives in Lyon.", schema=PERSON))
    # the second record is the model's: its answer agrees with the first re-derived, and corroborates it
    second = engine.run(Request("Extract name, age and city as JSON. Text: Carla Diaz is 52 and lives in Lyon.", schema=PERSON))
    assert second.trace.backend_calls == 1 and len(backend.calls) == 2
    out = engine.run(Request("Extract name, age and city as JSON. Text: Bruno Costa is 45 and lives in Lyon.", schema=PERSON))
    assert out.trace.path == "reuse" and out.trace.steps_adapted == 2
    assert out.text == '{"name": "Bruno Costa", "age": 45, "city": "Lyon"}'
    schema = {
        **PERSON,
        "properties": {**PERSON["properties"], "job": {"type": "string"}},
        "required": [*PERSON["required"], "job"],
    }
    backend._script.append('{"job": "chef"}')
    out = engine.run(
        Request("Extract name, age, city and job as JSON. Text: Bruno Costa is 45, a chef, and lives in Lyon.", schema=schema)
    )
    assert out.trace.path == "patch" and out.trace.steps_regenerated == 1
    assert out.text == '{"name": "Bruno Costa", "age": 45, "city": "Lyon", "job": "chef"}'
    assert list(backend.calls[-1].json_schema["properties"]) == ["job"]


def test_json_repair_then_failure_is_never_served(make_engine):
    engine, backend = make_engine(default='{"name": "Zed", "age": 1, "city": "Nowhere"}', max_calls=None)
    with pytest.raises(UnverifiedOutputError) as info:
        engine.run(Request("Extract as JSON. Text: Alice is 30 and lives in Paris.", schema=PERSON))
    assert [c.purpose for c in backend.calls] == ["generate", "patch", "repair", "regenerate"]
    assert info.value.model_calls == 4 and info.value.prompt_tokens > 0  # a refusal's cost is still reported
    assert engine.count() == 0  # nothing unverified was stored


def test_json_one_shot_repair_feeds_back_the_error(make_engine):
    engine, backend = make_engine(["not json", "still not json", '{"name": "Alice", "age": 30, "city": "Paris"}'], max_calls=3)
    out = engine.run(Request("Extract as JSON. Text: Alice is 30 and lives in Paris.", schema=PERSON))
    assert out.trace.fallback == "repair"
    assert "rejected" in backend.calls[2].prompt


@pytest.mark.parametrize(
    "first, second",
    [
        ("Write a haiku about autumn", "Write a haiku about spring"),
        ("Define AI", "define ai"),
        ("Hi there!", "Hi there"),
        ("Define  AI", "Define AI"),
        ("Define\nAI", "Define AI"),
    ],
)
def test_text_task_reuses_only_identical_requests(make_engine, first, second):
    """No verifier vouches for another request: case, punctuation and inner whitespace are the caller's words."""
    engine, backend = make_engine(["One answer.", "Another answer."])
    assert engine.run(Request(first)).text == "One answer."
    out = engine.run(Request(second))
    assert out.trace.task == "text" and out.trace.path == "miss" and out.text == "Another answer." and len(backend.calls) == 2


def test_text_task_ignores_whitespace_at_the_two_ends_only(make_engine):
    engine, backend = make_engine(["One answer.", "Another answer."])
    engine.run(Request("Define AI"))
    out = engine.run(Request(" Define AI \n"))
    assert out.trace.exact_hit and out.text == "One answer." and len(backend.calls) == 1


def test_the_indentation_of_a_first_line_that_others_follow_is_part_of_the_request(make_engine):
    """Class (helper-160): a prompt that opens with an indented line of code or YAML ("    print(1)\nWhy does
    Python raise an error?") was the same exact key as the unindented one, whose answer ("it prints 1") was served.
    Only the blank lines before a prompt, the whitespace after it and the spaces before a prompt of one line are
    ignored now."""
    engine, backend = make_engine(["It prints 1.", "IndentationError: unexpected indent.", "Valid.", "Not valid."])
    engine.run(Request("print(1)\nWhy does Python raise an error?"))
    out = engine.run(Request("    print(1)\nWhy does Python raise an error?"))
    assert out.trace.backend_calls == 1 and out.text == "IndentationError: unexpected indent."
    engine.run(Request("- a\n- b\nIs this YAML list valid?"))
    out = engine.run(Request("  - a\n- b\nIs this YAML list valid?"))
    assert out.trace.backend_calls == 1 and out.text == "Not valid."
    again = engine.run(Request("\n\n- a\n- b\nIs this YAML list valid?  \n"))
    assert again.trace.exact_hit and again.text == "Valid." and len(backend.calls) == 4
    # (helper-161) lines broken by "\r" alone are lines too
    assert entry_id("text", Request("    return x\r  y")) != entry_id("text", Request("return x\r  y"))


def test_namespaces_never_share_entries(make_engine):
    engine, backend = make_engine(["3x = 15\nx = 5", "3x = 15\nx = 5"])
    engine.run(Request(BASE, namespace=Namespace(model="a")))
    assert engine.run(Request(BASE, namespace=Namespace(model="b"))).trace.path == "miss"


def test_lookup_without_backend_is_a_miss_when_verification_fails(make_engine):
    engine, _ = make_engine(["3x + 5 = 20\n3x = 15\nx = 5"])
    engine.run(Request(BASE))
    assert engine.lookup(Request("Solve for x: 3x + 8 = 20")).trace.path == "reuse"
    assert engine.lookup(Request("Solve for x: 20 = 3x - 1")) is None


def test_record_rejects_wrong_output(make_engine):
    engine, _ = make_engine()
    assert not engine.record(Request(BASE), "x = 6")
    assert engine.record(Request(BASE), "3x = 15\nx = 5")
    assert engine.count() == 1


@pytest.mark.parametrize("prompt", ["", "   ", "a\x00b", "\x01\x02\x03\x04\x05"])
def test_bad_prompts_are_typed_errors(make_engine, prompt):
    engine, _ = make_engine()
    with pytest.raises(InvalidRequestError):
        engine.run(Request(prompt))


def test_a_prompt_too_long_to_analyse_is_cached_for_its_exact_repeat(make_engine):
    """Class: a long prompt (a RAG prompt with its context, here 45,000 characters with an equation in it). It is
    not parsed nor embedded: the model answers it once and its identical repeat is served, as an exact cache
    would; a request that names a task for itself is refused with a typed error."""
    engine, backend = make_engine(["The context says 42.", "Other."])
    prompt = "Context: " + "lorem ipsum dolor 3x + 5 = 20 " * 1500 + "\nQuestion: what does the context say?"
    assert len(prompt) > 45_000
    first = engine.run(Request(prompt))
    assert first.text == "The context says 42." and first.trace.task == "text" and first.trace.backend_calls == 1
    again = engine.run(Request(prompt))
    assert again.text == first.text and again.trace.exact_hit and again.trace.backend_calls == 0
    other = engine.run(Request(prompt.replace("42", "43") + " And?"))
    assert other.trace.backend_calls == 1 and other.text == "Other."
    with pytest.raises(PromptTooLongError):
        engine.run(Request("Solve for x: 3x + 5 = 20 " + "x" * 40_000, task="linear_equation"))


def test_backend_errors_and_timeouts_are_typed():
    def boom(spec):
        raise RuntimeError("server down")

    engine = StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder(), backend=ScriptedBackend(respond=boom))
    with pytest.raises(BackendError):
        engine.run(Request("Write a poem"))
    slow = StepCacheEngine(
        store=MemoryStore(),
        embedder=HashEmbedder(),
        backend=ScriptedBackend(default="x", latency_s=2),
        config=EngineConfig(backend_timeout_s=0.2),
    )
    with pytest.raises(BackendTimeoutError):
        slow.run(Request("Write a poem"))


class _FailingStore(MemoryStore):
    def put(self, collection, entry, embedding):
        raise StoreError("disk full", location="fake", operation="put")


def test_store_failure_is_recorded_not_fatal():
    engine = StepCacheEngine(store=_FailingStore(), embedder=HashEmbedder(), backend=ScriptedBackend(["3x = 15\nx = 5"]))
    out = engine.run(Request(BASE))
    assert out.text.endswith("x = 5") and any("store failed" in n for n in out.trace.notes)


def test_corrupted_entry_is_not_served(make_engine):
    store = MemoryStore()
    engine, backend = make_engine(["3x = 15\nx = 5", "3x = 15\nx = 5"], store=store)
    engine.run(Request(BASE))
    (bucket,) = store._data.values()
    ((eid, (entry, vec)),) = bucket.items()
    from dataclasses import replace

    bucket[eid] = (replace(entry, output="3x = 15\nx = 6"), vec)
    out = engine.run(Request(BASE))
    assert out.text.endswith("x = 5") and out.trace.path != "reuse"


def test_custom_task_is_registered_per_instance(make_engine):
    class Upper:
        name = "upper"

        def verify_steps(self, problem, steps):
            return [Verdict(s.text.isupper(), "not upper", step=s.index) for s in steps]

        def check(self, problem, text):
            return Verdict(text.isupper(), "not upper")

    profile = TaskProfile(
        name="shout",
        parse=lambda r: TextProblem(r.prompt, r.prompt),
        detect=lambda r: r.prompt.startswith("SHOUT"),
        segmenter=LineSegmenter(),
        prompter=TextPrompter(),
        gate=IdenticalGate(),
        verifier=Upper(),
        repair=RepairPolicy(patch_attempts=1),
    )
    engine, backend = make_engine(["hello", "HELLO"])
    other, _ = make_engine()
    engine.tasks.register(profile)
    assert "shout" not in other.tasks
    out = engine.run(Request("SHOUT hello", task="shout"))
    assert out.text == "HELLO" and out.trace.path == "miss"
    with pytest.raises(ConfigError):
        other.run(Request("SHOUT hello", task="shout"))


def test_two_threads_lose_nothing(make_engine):
    engine, _ = make_engine(respond=lambda spec: "done")
    errors: list[BaseException] = []

    def work(i):
        try:
            for j in range(20):
                engine.run(Request(f"Write note {i}-{j}"))
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and engine.count() == 40


def test_store_bound_and_ttl():
    store = MemoryStore(max_entries=2)
    engine = StepCacheEngine(store=store, embedder=HashEmbedder(), backend=ScriptedBackend(default="ok"))
    for i in range(4):
        engine.run(Request(f"Write note {i}"))
    assert engine.count() == 2
    expiring = MemoryStore(ttl_s=1e-9)
    engine = StepCacheEngine(store=expiring, embedder=HashEmbedder(), backend=ScriptedBackend(default="ok"))
    engine.run(Request("Write note"))
    assert engine.run(Request("Write note")).trace.path == "miss"


def test_clear_by_namespace(make_engine):
    engine, _ = make_engine(default="ok")
    engine.run(Request("Write a", namespace=Namespace(tenant="t1")))
    engine.run(Request("Write b", namespace=Namespace(tenant="t2")))
    engine.clear(Namespace(tenant="t1"))
    assert engine.count(Namespace(tenant="t1")) == 0 and engine.count(Namespace(tenant="t2")) == 1


PRODUCT = {
    "type": "object",
    "properties": {"product": {"type": "string"}, "brand": {"type": "string"}, "price": {"type": "integer"}},
    "required": ["product", "brand", "price"],
}


def test_json_value_that_swallowed_another_is_trimmed_without_the_model(make_engine):
    engine, backend = make_engine(['{"product": "Altair toaster", "brand": "Altair", "price": 229}'])
    out = engine.run(
        Request("Extract product, brand, price as JSON. Text: The Altair toaster costs 229 dollars.", schema=PRODUCT)
    )
    assert out.trace.fallback == "fix" and len(backend.calls) == 1
    assert out.text == '{"product": "toaster", "brand": "Altair", "price": 229}'


def test_failed_reuse_patches_once_then_regenerates_on_the_generation_path(make_engine):
    # (the JSON checks alone: by default a reuse whose record names other people waits for a corroborating answer
    # and is never patched; the patch path is the subject here)
    engine, backend = make_engine(
        ['{"name": "Alice Martin", "age": 31, "city": "Lyon"}'],
        default='{"name": "Zed", "age": 1, "city": "Nowhere"}',
        max_calls=None,
        tasks=builtin_tasks(json_corroboration=False),
    )
    engine.run(Request("Extract name, age and city as JSON. Text: Alice Martin is 31 and lives in Lyon.", schema=PERSON))
    with pytest.raises(UnverifiedOutputError):
        engine.run(
            Request("Extract name, age and city as JSON. Text: Aged 31 and living in Oslo, says Bob Stone.", schema=PERSON)
        )
    # the reuse path patched the failing key only; the full chain ran once, on the generation path
    assert [c.purpose for c in backend.calls[1:]] == ["patch", "generate", "patch", "repair", "regenerate"]


def test_a_records_frame_comes_back_with_every_reuse_of_its_entry_and_nothing_else():
    """The frame is the integration's (a tool call's envelope): kept unread, handed back on exact hits and
    adapted reuses (for the caller to adapt: without ``reframe`` such a reuse is not stored), and never attached
    to a fresh answer. (Frames are the subject: the JSON checks alone decide a reuse, without the corroborating
    answer the default awaits for another record; see ``tests/core/tasks/test_json_corroborate.py``.)"""
    engine = StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder(), tasks=builtin_tasks(json_corroboration=False))
    first = Request("Extract name, age and city as JSON. Text: Alice Martin is 31 and lives in Lyon.", schema=PERSON)
    assert engine.record(first, '{"name": "Alice Martin", "age": 31, "city": "Lyon"}', frame="tool-call:1")
    exact = engine.lookup(first)
    assert exact is not None and exact.trace.exact_hit and exact.frame == "tool-call:1"
    other = Request("Extract name, age and city as JSON. Text: Bruno Costa is 45 and lives in Lyon.", schema=PERSON)
    adapted = engine.lookup(other)
    assert adapted is not None and adapted.trace.path == "reuse" and adapted.frame == "tool-call:1"
    assert '"Bruno Costa"' in adapted.text
    backend = ScriptedBackend(['{"name": "Chen Wu", "age": 28, "city": "Oslo"}'])
    fresh = engine.run(
        Request("Extract the tool's name, age and city. Text: Chen Wu is 28 and lives in Oslo.", schema=PERSON),
        backend=backend,
        reuse=False,
    )
    assert fresh.frame == ""
    assert engine.record(first, '{"name": "Alice Martin", "age": 31, "city": "Lyon"}')  # re-recorded without a frame
    again = engine.lookup(first)
    assert again is not None and again.frame == ""


class _NoSignatures(MemoryStore):
    """A store that finds nothing by structure: every reuse is found by similarity (and so is stored)."""

    def find(self, collection, signature, k):
        return []


ALICE = Request("Extract name, age and city as JSON. Text: Alice Martin is 31 and lives in Lyon.", schema=PERSON)
ALICE_ANSWER = '{"name": "Alice Martin", "age": 31, "city": "Lyon"}'
BRUNO = Request("Extract name, age and city as JSON. Text: Bruno Costa is 45 and lives in Lyon.", schema=PERSON)


@pytest.mark.parametrize("store", [MemoryStore, _NoSignatures], ids=["by-structure", "by-similarity"])
def test_a_reuse_under_a_new_prompt_is_served_and_stored_with_its_own_frame(store):
    """``reframe(source frame, served text)`` gives the frame a reuse is served in; asked again, the variant is an
    exact hit on its own entry: the same text and the same frame, never the record it was adapted from. (The JSON
    checks alone decide a reuse: frames are the subject, not the corroborating answer the default awaits.)"""
    engine = StepCacheEngine(store=store(), embedder=HashEmbedder(), tasks=builtin_tasks(json_corroboration=False))
    assert engine.record(ALICE, ALICE_ANSWER, frame="call-1:Alice Martin")
    made: list[tuple[str, str]] = []

    def reframe(frame: str, text: str) -> str:
        made.append((frame, text))
        return f"call-{len(made) + 1}:{json.loads(text)['name']}"

    variant = engine.lookup(BRUNO, reframe=reframe)
    assert variant is not None and variant.trace.path == "reuse" and not variant.trace.exact_hit
    assert variant.frame == "call-2:Bruno Costa" and made == [("call-1:Alice Martin", variant.text)]
    again = engine.lookup(BRUNO, reframe=reframe)
    assert again is not None and again.trace.exact_hit and len(made) == 1
    assert (again.text, again.frame) == (variant.text, variant.frame) and "Alice" not in again.text + again.frame
    assert engine.lookup(ALICE, reframe=reframe).frame == "call-1:Alice Martin"  # an exact hit is never reframed

    # a patch is reframed the same way, through run()
    schema = {
        **PERSON,
        "properties": {**PERSON["properties"], "job": {"type": "string"}},
        "required": [*PERSON["required"], "job"],
    }
    chef = Request("Extract name, age, city and job as JSON. Text: Bruno Costa is 45, a chef, and lives in Lyon.", schema=schema)
    backend = ScriptedBackend(['{"job": "chef"}'])
    patched = engine.run(chef, backend=backend, reframe=reframe)
    assert patched.trace.path == "patch" and patched.frame == "call-3:Bruno Costa"
    repeat = engine.run(chef, backend=backend, reframe=reframe)
    assert repeat.trace.exact_hit and (repeat.text, repeat.frame) == (patched.text, patched.frame) and len(backend.calls) == 1


def test_without_reframe_a_reuse_of_a_framed_entry_is_never_stored_with_the_source_frame():
    """The source frame holds the source's delivery (its arguments, its call id): a variant stored with it would be
    served that on its exact repeat. Without ``reframe`` the reuse is served (with the source frame, for the caller
    to adapt) and not stored; a frameless entry's reuse is stored as before. (The JSON checks alone decide a reuse:
    a store that finds nothing by structure finds no precedent for a corroborating answer to agree with.)"""
    engine = StepCacheEngine(store=_NoSignatures(), embedder=HashEmbedder(), tasks=builtin_tasks(json_corroboration=False))
    assert engine.record(ALICE, ALICE_ANSWER, frame="call-1:Alice Martin")
    for _ in range(2):
        out = engine.lookup(BRUNO)
        assert out is not None and out.trace.path == "reuse" and not out.trace.exact_hit
        assert out.frame == "call-1:Alice Martin" and '"Bruno Costa"' in out.text
    assert engine.count() == 1
    plain = StepCacheEngine(store=_NoSignatures(), embedder=HashEmbedder(), tasks=builtin_tasks(json_corroboration=False))
    assert plain.record(ALICE, ALICE_ANSWER)
    assert plain.lookup(BRUNO).frame == "" and plain.lookup(BRUNO).trace.exact_hit and plain.count() == 2


def test_a_request_never_makes_more_model_calls_than_its_budget(make_engine):
    """The default budget (2): a failed reuse gets its patch and the caller's generation; a miss its generation
    and one patch. What still fails is an error, never served; model-free rungs still run. (The JSON checks alone
    decide the reuse: by default it would wait for a corroborating answer and not be patched.)"""
    engine, backend = make_engine(
        ['{"name": "Alice Martin", "age": 31, "city": "Lyon"}'],
        default='{"name": "Zed", "age": 1, "city": "Nowhere"}',
        tasks=builtin_tasks(json_corroboration=False),
    )
    engine.run(Request("Extract name, age and city as JSON. Text: Alice Martin is 31 and lives in Lyon.", schema=PERSON))
    with pytest.raises(UnverifiedOutputError) as info:
        engine.run(
            Request("Extract name, age and city as JSON. Text: Aged 31 and living in Oslo, says Bob Stone.", schema=PERSON)
        )
    assert [c.purpose for c in backend.calls[1:]] == ["patch", "generate"] and info.value.model_calls == 2
    engine, backend = make_engine(default='{"name": "Zed", "age": 1, "city": "Nowhere"}')
    with pytest.raises(UnverifiedOutputError):
        engine.run(Request("Extract as JSON. Text: Carla Diaz is 28 and lives in Quito.", schema=PERSON))
    assert [c.purpose for c in backend.calls] == ["generate", "patch"]
    # an equation whose answers all fail still gets the deterministic solver, which calls no model
    engine, backend = make_engine(default="x = 7")
    out = engine.run(Request(BASE))
    assert out.trace.fallback == "deterministic" and out.text.splitlines()[-1].endswith("x = 5") and len(backend.calls) == 2
    with pytest.raises(ConfigError):
        EngineConfig(max_model_calls=0)


def test_a_structure_whose_repairs_failed_skips_them_for_its_next_requests(make_engine):
    """Repairs that failed for a structure are not paid again by the next requests of that structure (one call
    each, still never served unverified); every eighth request tries them again; another structure is unaffected."""
    engine, backend = make_engine(default='{"name": "Zed", "age": 1, "city": "Nowhere"}')
    texts = [f"Extract as JSON. Text: Person {i} is {20 + i} and lives in Town{i}." for i in range(10)]
    with pytest.raises(UnverifiedOutputError):
        engine.run(Request(texts[0], schema=PERSON))
    assert [c.purpose for c in backend.calls] == ["generate", "patch"]
    calls = []
    for text in texts[1:10]:
        before = len(backend.calls)
        with pytest.raises(UnverifiedOutputError):
            engine.run(Request(text, schema=PERSON, namespace=Namespace()))
        calls.append(len(backend.calls) - before)
    assert calls == [1] * 8 + [2]  # skipped 8 times, then tried again
    other = {**PERSON, "properties": {**PERSON["properties"], "job": {"type": "string"}}}
    before = len(backend.calls)
    with pytest.raises(UnverifiedOutputError):
        engine.run(Request("Extract as JSON. Text: Ann is 30, a chef, and lives in Oslo.", schema=other))
    assert len(backend.calls) - before == 2


class _LoadingEmbedder(HashEmbedder):
    """An embedder whose model is still loading until ``loaded`` is set (:class:`SupportsWarmup`)."""

    def __init__(self) -> None:
        super().__init__()
        import threading

        self.loaded = threading.Event()
        self.started = 0

    def ready(self) -> bool:
        return self.loaded.is_set()

    def load_in_background(self) -> None:
        self.started += 1

    def embed(self, texts):
        assert self.loaded.wait(10), "embedded before the model loaded"
        return super().embed(texts)


def test_a_request_never_waits_for_the_embedding_model():
    """Class: a fresh process whose embedding model is still loading (6-15 s for MiniLM). A miss is answered at
    once and stored under a placeholder (its exact repeat and structural variants are served at once); the real
    vector is written in the background when the model is ready, after which similarity search finds the entry."""
    import time as _time

    from stepcache_core.embed import SupportsWarmup

    embedder = _LoadingEmbedder()
    assert isinstance(embedder, SupportsWarmup)
    store = MemoryStore()
    engine = StepCacheEngine(store=store, embedder=embedder, backend=ScriptedBackend(["3x = 15\nx = 5"]))
    out = engine.run(Request("Solve for x: 3x + 5 = 20"))
    assert out.trace.path == "miss" and embedder.started >= 1
    assert any("placeholder" in n for n in out.trace.notes)
    assert engine.run(Request("Solve for x: 3x + 5 = 20")).trace.exact_hit
    variant = engine.run(Request("Solve for x: 3x + 8 = 20"))
    assert variant.trace.path == "reuse" and variant.text.splitlines()[-1] == "x = 4"
    embedder.loaded.set()
    prep = engine.prepare(Request("Solve for x: 3x + 5 = 20"))
    real = HashEmbedder().embed([engine.retriever.text(prep)])[0]
    deadline = _time.time() + 10
    while _time.time() < deadline and not [c for c in store.query(prep.collection, real, 1) if (c.similarity or 0) > 0.99]:
        _time.sleep(0.05)
    assert store.query(prep.collection, real, 1)[0].entry.id == prep.entry_id


@pytest.mark.parametrize(
    "prompt, schema, answer",
    [
        ("Solve for x: 3x + 5 = 20", None, "3x = 15\nx = 5"),
        ("Solve for x: 3x + 5 = 20", None, "Subtract 5 from both sides, so 3x = 15, which is odd... x = 5, an integer."),
        (
            "Extract as JSON. Text: Ana Silva signed up for the dinner and asked for the veggie menu.",
            {
                "type": "object",
                "properties": {"name": {"type": "string"}, "vegetarian": {"type": "boolean"}, "newsletter": {"type": "boolean"}},
                "required": ["name", "vegetarian", "newsletter"],
            },
            '{"name": "Ana Silva", "vegetarian": true, "newsletter": false}',
        ),
        (
            "Extract as JSON. Text: Ana Silva called.",
            {"type": "object", "properties": {"name": {"type": "string"}, "phone": {"type": ["string", "null"]}}},
            '{"name": "Ana Silva", "phone": null}',
        ),
        ("Write a haiku about autumn.", None, "Leaves fall slowly down\nred and gold on quiet paths\nthe year exhales here"),
        (
            "A boy has 12 cards. His brother has 5 fewer cards than he has. How many cards do they have together?",
            None,
            "His brother has 12 - 5 = <<12-5=7>>7 cards.\nTogether, they have 12 + 7 = <<12+7=19>>19 cards.\n#### 19",
        ),
    ],
    ids=["equation", "equation-with-claims", "json-unstated-booleans", "json-null", "text", "word-problem"],
)
def test_every_answer_record_keeps_is_served_for_its_exact_repeat(prompt, schema, answer):
    """Class: issue 20, item 6. Whatever ``record`` stores (it returned True) serves the identical request, as
    written, with no model call: a cache is never worse than an exact cache."""
    engine = StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder())
    request = Request(prompt, schema=schema)
    assert engine.record(request, answer)  # each is a right answer, or an unreadable one kept for its repeat
    out = engine.lookup(request)
    assert out is not None and out.text == answer and out.trace.exact_hit
    served = engine.run(request, backend=ScriptedBackend([], default="MODEL"))
    assert served.text == answer and served.trace.backend_calls == 0


# ------------------------------------------------------------- exact repeats served as stored (engine.exact)
def test_an_identical_request_is_served_as_stored_without_reading_it(make_engine, monkeypatch):
    """Class: an exact repeat of a verified answer. It is served from its entry without parsing the request or
    verifying again (the fast path, and what a fresh process serves before sympy and Chroma are imported): the
    entry's seal says this code verified this answer for this request."""
    engine, backend = make_engine(["3x = 15\nx = 5"])
    first = engine.run(Request(BASE))

    def unread(*args, **kwargs):
        raise AssertionError("the request was parsed")

    monkeypatch.setattr("stepcache_core.intake.resolve_task", unread)
    out = engine.exact(Request(BASE))
    assert out is not None and out.text == first.text and out.trace.exact_hit and out.trace.verified
    assert engine.lookup(Request(BASE)).text == first.text and len(backend.calls) == 1
    monkeypatch.undo()
    assert engine.exact(Request("Solve for x: 3x + 6 = 20")) is None


@pytest.mark.parametrize(
    "change",
    [
        lambda e: {"output": "3x = 15\nx = 6"},  # the answer changed in the store
        lambda e: {"checked": "sealed-by-an-older-version"},  # verified by other code: verified again
        lambda e: {"checked": ""},  # stored before seals existed
        lambda e: {"verified": False},  # kept for its identical request only (unreadable, disputed)
    ],
)
def test_an_entry_not_sealed_for_its_answer_goes_the_whole_way(make_engine, change):
    """Class: an entry whose seal does not vouch for it (tampered, older code, no seal, unverified). The fast path
    declines; the whole way verifies it again, so a wrong answer is never served and a right one still is."""
    from dataclasses import replace

    store = MemoryStore()
    engine, backend = make_engine(["3x = 15\nx = 5", "3x = 15\nx = 5"], store=store)
    engine.run(Request(BASE))
    (bucket,) = store._data.values()
    ((eid, (entry, vec)),) = bucket.items()
    bucket[eid] = (replace(entry, **change(entry)), vec)
    assert engine.exact(Request(BASE)) is None
    out = engine.run(Request(BASE))
    assert out.text.endswith("x = 5")


def test_free_text_repeats_are_served_as_stored(make_engine):
    """Class: a task that verifies nothing (free text): its exact repeat is the fast path too."""
    engine, backend = make_engine(["Paris is the capital of France."])
    first = engine.run(Request("What is the capital of France?"))
    out = engine.exact(Request("What is the capital of France?"))
    assert out is not None and out.text == first.text and not out.trace.verified and len(backend.calls) == 1


def test_a_recorded_answer_whose_text_fails_the_whole_check_is_not_sealed(make_engine):
    """Class (found in review): ``record`` verifies an answer's steps and stores the raw text, which may hold more
    than the steps (a second JSON object: "Or, for the brother: {...}"). The whole way checks the stored text
    whole before serving it and refuses; the fast path must not serve it either: only a text that passes whole is
    sealed."""
    engine, _ = make_engine()
    request = Request("Extract: Ana Silva, 41, lives in Lisbon.", schema=PERSON, task="json_extraction")
    raw = '{"name": "Ana Silva", "age": 41, "city": "Lisbon"}\nOr, for the brother: {"name": "Rui Silva", "age": 38, "city": "Porto"}'
    engine.record(request, raw)
    assert engine.exact(request) is None
    with pytest.raises(UnverifiedOutputError):  # the whole way, as before: a typed refusal, nothing served
        engine.lookup(request)


CONTEXTS = {
    # the same question, the same numbers: the exact path
    "text, exact repeat": ("Translate 'good morning'.", "Translate 'good morning'.", "Answer in French."),
    "equation, exact repeat": ("Solve for x: 3x + 4 = 19", "Solve for x: 3x + 4 = 19", "Work modulo 7."),
    "word, exact repeat": (
        "Ann buys 4 apples at $3 each. How much does she pay?",
        "Ann buys 4 apples at $3 each. How much does she pay?",
        "All prices include a one-time fee of $5.",
    ),
    # other numbers, under a context made only of persona words that still changes the answer: the whole way
    "word, other numbers, persona words": (
        "5 students each buy 4 apples at $3 each. How much do they pay?",
        "8 students each buy 6 apples at $9 each. How much do they pay?",
        "Answer per student.",
    ),
}


@pytest.mark.parametrize("case", sorted(CONTEXTS))
def test_an_answer_made_without_a_context_never_serves_a_request_with_one(make_engine, case):
    """Class (a helper's probe of the core API, 3 of 9 served wrong): a condition in what the caller sends beside
    the question (``Request.context``: a system prompt, earlier turns) that changes the answer. The integrations
    key by their context; a core caller's context was read only when a number moved, and only by the word and
    equation gates, against the new request alone: the same question under "All prices include a one-time fee of
    $5." was served the answer made without it, and "Answer per student." (persona words only) adapted an answer
    made with no context. The engine now narrows the namespace to the context, on every path."""
    first, second, context = CONTEXTS[case]
    answers = {
        "Translate 'good morning'.": "Good morning.",
        "Solve for x: 3x + 4 = 19": "3x = 15\nx = 5",
        "Ann buys 4 apples at $3 each. How much does she pay?": "4 * 3 = 12\n#### 12",
    }
    seen: set[str] = set()

    def model(spec):
        """The first answer to the first question; a later call is the model's answer in context. The students
        are counted by the prompt alone, as a probe asks them (the core backend is sent the prompt)."""
        if m := re.match(r"(\d+) students each buy (\d+) apples at \$(\d+)", spec.prompt):
            s, a, p = (int(g) for g in m.groups())
            return f"{s} * {a} = {s * a}\n{s * a} * {p} = {s * a * p}\n#### {s * a * p}"
        if spec.prompt == first and first not in seen:
            seen.add(first)
            return answers[first]
        return "The model's own answer."

    engine, backend = make_engine(respond=model)
    engine.run(Request(first))
    background.drain(10)
    kept = engine.run(Request(first)).text
    calls = len(backend.calls)
    served = engine.run(Request(second, context=context))
    assert served.trace.backend_calls >= 1 and len(backend.calls) > calls
    again = engine.run(Request(first, context=context))  # its own context's answer is kept apart, and served again
    background.drain(10)
    assert engine.run(Request(first, context=context)).text == again.text
    assert engine.run(Request(first)).text == kept  # and the first answer is still there, unchanged


def test_a_context_narrows_a_namespace_once():
    """The namespace narrowed by a request's context is narrowed again to the same one (a request validated
    twice, on the exact path and then the whole way), and two contexts narrow it apart."""
    from stepcache_core.request import validate_request

    once = validate_request(Request("What is 2 + 2?", context="Be brief."))
    assert validate_request(once).namespace == once.namespace != Namespace()
    assert validate_request(Request("What is 2 + 2?", context="Be terse.")).namespace != once.namespace
    assert validate_request(Request("What is 2 + 2?")).namespace == Namespace()
