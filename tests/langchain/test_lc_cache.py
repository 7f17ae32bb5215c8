"""StepCache as LangChain's LLM cache, on fakes (no model, no disk except the default-path test)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from langchain_core.globals import get_llm_cache, set_llm_cache
from langchain_core.language_models import FakeListChatModel, FakeListLLM
from langchain_core.load import dumps
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from langchain_core.outputs import ChatGeneration, Generation

from stepcache_core import ConfigError, MemoryStore, StepCacheEngine, StoreError
from stepcache_core.fakes import HashEmbedder
from stepcache_langchain import LangChainBackend, StepCache

BASE = "Solve for x: 3x + 5 = 20"
BASE_STEPS = "3x = 20 - 5\n3x = 15\nx = 5"
VARIANT = "Solve for x: 3x + 8 = 20"
VARIANT_ANSWER = "x = 4"


def chat_prompt(*messages: Any) -> str:
    return dumps(list(messages))


# ----------------------------------------------------------------- construction


class _SlowOpen:
    """Stands in for StepCacheEngine in LazyEngine: building it takes ``delay`` seconds (a cold Chroma open)."""

    delay = 1.0

    def __new__(cls, **kw: Any) -> StepCacheEngine:
        import time

        time.sleep(cls.delay)
        return StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder())


def test_a_new_store_never_holds_up_the_first_call(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """Class: a fresh process's first call on a new cache directory (issue 20, item 8). The store opens in the
    background; the first lookup waits at most OPEN_WAIT_S, the model answers, and its answer is recorded once
    the store is open, before the next call looks up."""
    import time

    import stepcache_core.integration as integration

    monkeypatch.setattr(integration, "StepCacheEngine", _SlowOpen)
    cache = StepCache(persist_directory=tmp_path / "new")
    set_llm_cache(cache)
    llm = FakeListLLM(responses=[BASE_STEPS, "never asked"])
    t = time.perf_counter()
    assert llm.invoke(BASE) == BASE_STEPS
    assert time.perf_counter() - t < _SlowOpen.delay / 2
    assert cache.last_trace is not None and "still opening" in cache.last_trace["notes"][0]
    again = llm.invoke(BASE)  # waits for the pending record (and the open), then hits
    assert again == BASE_STEPS and cache.last_trace["path"] == "reuse" and cache.last_trace["exact_hit"]


def test_a_store_that_holds_entries_is_waited_for(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """Class: a restarted app over a populated directory: a hit is likely, so the first lookup waits for the open."""
    import stepcache_core.integration as integration

    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "index.sqlite3").write_text("")  # holds something
    monkeypatch.setattr(integration, "StepCacheEngine", _SlowOpen)
    monkeypatch.setattr(_SlowOpen, "delay", 0.5)
    cache = StepCache(persist_directory=tmp_path / "old")
    assert not cache._fresh
    assert cache.lookup(BASE, "llm-string") is None and cache.last_trace is not None
    assert cache.last_trace["path"] == "miss"  # looked up in the opened store, not bypassed


def test_no_arg_construction_is_lazy_and_uses_default_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setenv("STEPCACHE_DIR", str(tmp_path / "sc"))
    cache = StepCache()  # returns at once: the store opens in the background
    assert cache._lazy.wait_open(60) and cache._lazy.built
    set_llm_cache(cache)
    assert get_llm_cache() is cache
    engine = cache.engine
    assert engine.store.location == str(tmp_path / "sc")
    engine.embedder = HashEmbedder()  # keep the test fast: no MiniLM load
    cache.update("Hello world", "llm-a", [Generation(text="Hi!")])
    assert cache.lookup("Hello world", "llm-a") == [Generation(text="Hi!")]
    cache.clear()
    assert cache.lookup("Hello world", "llm-a") is None


def test_conflicting_arguments_raise() -> None:
    with pytest.raises(ConfigError):
        StepCache(engine=StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder()), persist_directory="/tmp/x")
    with pytest.raises(ConfigError):
        StepCache(persist_directory="/tmp/x", host="localhost")


def test_backend_argument_is_wrapped(engine: StepCacheEngine) -> None:
    cache = StepCache(engine=engine, backend=FakeListLLM(responses=["x"]))
    assert isinstance(cache.backend, LangChainBackend)


# ----------------------------------------------------------------- LLM prompts through LangChain


def test_llm_math_variant_served_adapted_without_model_call(engine: StepCacheEngine) -> None:
    cache = StepCache(engine=engine)
    set_llm_cache(cache)
    llm = FakeListLLM(responses=[BASE_STEPS, "MODEL CALLED"])
    assert llm.invoke(BASE) == BASE_STEPS
    assert llm.i == 1
    out = llm.invoke(VARIANT)
    assert out.splitlines()[-1] == VARIANT_ANSWER
    assert llm.i == 1  # served from the cache
    assert cache.last_trace is not None and cache.last_trace["path"] == "reuse"
    result = llm.generate([VARIANT])
    gen = result.generations[0][0]
    assert type(gen) is Generation
    assert gen.generation_info is not None and gen.generation_info["stepcache"]["task"] == "linear_equation"


async def test_llm_async_through_cache(engine: StepCacheEngine) -> None:
    set_llm_cache(StepCache(engine=engine))
    llm = FakeListLLM(responses=[BASE_STEPS, "MODEL CALLED"])
    assert await llm.ainvoke(BASE) == BASE_STEPS
    assert (await llm.ainvoke(VARIANT)).endswith(VARIANT_ANSWER)
    assert llm.i == 1


def test_text_prompt_exact_only(engine: StepCacheEngine) -> None:
    set_llm_cache(StepCache(engine=engine))
    llm = FakeListLLM(responses=["Paris.", "Berlin."])
    assert llm.invoke("What is the capital of France?") == "Paris."
    assert llm.invoke("What is the capital of France?") == "Paris."
    assert llm.invoke("What is the capital of Germany?") == "Berlin."


@pytest.mark.parametrize("first, second", [("Define AI", "define ai"), ("Hi there!", "Hi there"), ("Define  AI", "Define AI")])
def test_text_prompts_share_an_answer_only_when_identical(engine: StepCacheEngine, first: str, second: str) -> None:
    set_llm_cache(StepCache(engine=engine))
    llm = FakeListLLM(responses=["One answer.", "Another answer.", "A third answer."])
    chat = FakeListChatModel(responses=["One answer.", "Another answer.", "A third answer."])
    assert llm.invoke(first) == "One answer." and chat.invoke(first).content == "One answer."
    assert llm.invoke(second) == "Another answer." and llm.i == 2  # the model was called for the second prompt
    assert chat.invoke(second).content == "Another answer." and chat.i == 2


def test_text_prompts_differing_only_in_whitespace_at_the_ends_share_an_answer(engine: StepCacheEngine) -> None:
    set_llm_cache(StepCache(engine=engine))
    llm = FakeListLLM(responses=["One answer.", "Another answer.", "A third answer."])
    chat = FakeListChatModel(responses=["One answer.", "Another answer.", "A third answer."])
    assert llm.invoke("Define AI") == "One answer." and chat.invoke("Define AI").content == "One answer."
    assert llm.invoke(" Define AI \n") == "One answer." and llm.i == 1
    assert chat.invoke(" Define AI \n").content == "One answer." and chat.i == 1


def test_key_fn_keys_templated_prompts_on_the_question(engine: StepCacheEngine) -> None:
    head = "Solve each equation.\n\nEquation: 2x + 3 = 11\n2x = 8\nx = 4\n\nEquation: "
    cache = StepCache(engine=engine, key_fn=lambda p: p.rsplit("Equation:", 1)[-1])
    cache.update(head + "3x + 5 = 20\n", "L", [Generation(text=BASE_STEPS)])
    hit = cache.lookup(head + "3x + 8 = 20\n", "L")
    assert hit is not None and hit[0].text.endswith(VARIANT_ANSWER)
    # another template around the same question never shares the entry
    assert cache.lookup("Other preamble.\n\nEquation: 3x + 5 = 20\n", "L") is None


# ----------------------------------------------------------------- chat prompts


def test_chat_model_math_variant(engine: StepCacheEngine) -> None:
    cache = StepCache(engine=engine)
    set_llm_cache(cache)
    chat = FakeListChatModel(responses=[BASE_STEPS, "MODEL CALLED"])
    first = chat.invoke(BASE)
    assert first.content == BASE_STEPS
    second = chat.invoke(VARIANT)
    assert isinstance(second, AIMessage)
    assert second.content.splitlines()[-1] == VARIANT_ANSWER
    assert second.response_metadata["stepcache"]["path"] == "reuse"
    assert chat.i == 1


def test_chat_history_is_part_of_the_key(engine: StepCacheEngine) -> None:
    cache = StepCache(engine=engine)
    sys_a, sys_b = SystemMessage("You are a tutor."), SystemMessage("You are a pirate.")
    q = HumanMessage("Tell me a joke")
    gens = [ChatGeneration(message=AIMessage(content="A joke."))]
    cache.update(chat_prompt(sys_a, q), "L", gens)
    assert cache.lookup(chat_prompt(sys_a, q), "L") == gens
    assert cache.lookup(chat_prompt(sys_b, q), "L") is None
    assert cache.lookup(chat_prompt(q), "L") is None
    longer = chat_prompt(sys_a, HumanMessage("hi"), AIMessage("hello"), q)
    assert cache.lookup(longer, "L") is None
    # math: the last human turn is matched semantically, the history exactly
    cache.update(chat_prompt(sys_a, HumanMessage(BASE)), "L", [ChatGeneration(message=AIMessage(content=BASE_STEPS))])
    hit = cache.lookup(chat_prompt(sys_a, HumanMessage(VARIANT)), "L")
    assert hit is not None and hit[0].text.endswith(VARIANT_ANSWER)
    assert cache.lookup(chat_prompt(sys_b, HumanMessage(VARIANT)), "L") is None


def test_generation_type_preserved(engine: StepCacheEngine) -> None:
    cache = StepCache(engine=engine)
    # text task: exact objects back, whichever kind was stored
    chat_gens = [ChatGeneration(message=AIMessage(content="hello", response_metadata={"m": 1}), generation_info={"g": 2})]
    cache.update(chat_prompt(HumanMessage("greet me")), "L", chat_gens)
    got = cache.lookup(chat_prompt(HumanMessage("greet me")), "L")
    assert got == chat_gens and isinstance(got[0], ChatGeneration)
    llm_gens = [Generation(text="hello"), Generation(text="hi", generation_info={"n": 2})]
    cache.update("greet me", "L", llm_gens)
    got2 = cache.lookup("greet me", "L")
    assert got2 == llm_gens and not isinstance(got2[0], ChatGeneration)
    # verified task: a served (adapted) text comes back as the caller's kind
    cache.update(BASE, "L", [Generation(text=BASE_STEPS)])
    cache.update(chat_prompt(HumanMessage(BASE)), "L", [ChatGeneration(message=AIMessage(content=BASE_STEPS))])
    llm_hit = cache.lookup(VARIANT, "L")
    chat_hit = cache.lookup(chat_prompt(HumanMessage(VARIANT)), "L")
    assert llm_hit is not None and type(llm_hit[0]) is Generation
    assert chat_hit is not None and isinstance(chat_hit[0], ChatGeneration) and isinstance(chat_hit[0].message, AIMessage)


def test_partition_by_llm_string(engine: StepCacheEngine) -> None:
    cache = StepCache(engine=engine)
    cache.update("Hello there", "model-a temp=0", [Generation(text="Hi")])
    cache.update(BASE, "model-a temp=0", [Generation(text=BASE_STEPS)])
    assert cache.lookup("Hello there", "model-a temp=0") == [Generation(text="Hi")]
    assert cache.lookup("Hello there", "model-a temp=1") is None
    assert cache.lookup(VARIANT, "model-b temp=0") is None
    assert cache.lookup(VARIANT, "model-a temp=0") is not None


def test_tenant_partition(engine: StepCacheEngine) -> None:
    StepCache(engine=engine, tenant="a").update("Hello there", "L", [Generation(text="Hi")])
    assert StepCache(engine=engine, tenant="b").lookup("Hello there", "L") is None
    assert StepCache(engine=engine, tenant="a").lookup("Hello there", "L") == [Generation(text="Hi")]


# ----------------------------------------------------------------- verification and patching

UNADAPTABLE = "3x = 15\nx = 15/3 + 11 - 11\nx = 5"  # "11" explains nothing: its line cannot be adapted


def test_failed_verification_without_backend_is_a_miss(engine: StepCacheEngine) -> None:
    cache = StepCache(engine=engine)
    cache.update(BASE, "L", [Generation(text=UNADAPTABLE)])
    assert cache.lookup(BASE, "L") is not None  # exact entry verifies
    assert cache.lookup(VARIANT, "L") is None


def test_wrong_output_is_not_stored(engine: StepCacheEngine) -> None:
    cache = StepCache(engine=engine)
    cache.update(BASE, "L", [Generation(text="3x = 15\nx = 6")])
    assert cache.lookup(BASE, "L") is None
    assert cache.lookup(VARIANT, "L") is None


def test_patch_with_langchain_backend(engine: StepCacheEngine) -> None:
    patcher = FakeListLLM(responses=["3x = 12\nx = 4"])
    cache = StepCache(engine=engine, backend=patcher)
    cache.update(BASE, "L", [Generation(text=UNADAPTABLE)])
    hit = cache.lookup(VARIANT, "L")
    assert hit is not None
    assert hit[0].text.splitlines()[-1] == VARIANT_ANSWER
    trace = hit[0].generation_info["stepcache"] if hit[0].generation_info else {}
    assert trace["path"] == "patch" and trace["backend_calls"] == 1


def test_patch_backend_bypasses_the_global_cache(engine: StepCacheEngine, recording_llm: Any) -> None:
    patcher = recording_llm(responses=["3x = 12\nx = 4"])
    cache = StepCache(engine=engine, backend=patcher)
    set_llm_cache(cache)  # the backend model must not consult this cache for its patch prompt
    cache.update(BASE, "L", [Generation(text=UNADAPTABLE)])
    hit = cache.lookup(VARIANT, "L")
    assert hit is not None and hit[0].text.endswith(VARIANT_ANSWER)
    assert len(patcher.prompts) == 1 and "Equation: 3x + 8 = 20" in patcher.prompts[0]
    assert patcher.stops[0] == ["\n\n", "Equation:"]


# ----------------------------------------------------------------- failures never break the app


class BrokenStore(MemoryStore):
    def get(self, collection: str, entry_id: str) -> Any:
        raise StoreError("disk on fire", location="broken", operation="get")

    def query(self, collection: str, embedding: Any, k: int) -> Any:
        raise StoreError("disk on fire", location="broken", operation="query")

    def put(self, collection: str, entry: Any, embedding: Any) -> None:
        raise StoreError("disk on fire", location="broken", operation="put")


def test_store_failure_is_a_logged_miss(caplog: pytest.LogCaptureFixture) -> None:
    cache = StepCache(engine=StepCacheEngine(store=BrokenStore(), embedder=HashEmbedder()))
    set_llm_cache(cache)
    llm = FakeListLLM(responses=[BASE_STEPS, BASE_STEPS])
    with caplog.at_level(logging.WARNING, logger="stepcache_langchain"):
        assert llm.invoke(BASE) == BASE_STEPS
        assert llm.invoke(BASE) == BASE_STEPS
    assert llm.i == 0  # both calls reached the model (FakeListLLM wraps around after two)
    assert cache.lookup(BASE, "L") is None
    assert any("store failed" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("prompt", ["", "   ", "bad\x00bytes"])
def test_bad_prompt_is_a_miss(engine: StepCacheEngine, prompt: str) -> None:
    cache = StepCache(engine=engine)
    cache.update(prompt, "L", [Generation(text="whatever")])  # no exception
    assert cache.lookup(prompt, "L") is None


def test_a_long_prompt_calls_the_model_no_more_often_than_in_memory_cache(engine: StepCacheEngine) -> None:
    """Class: prompts too long to analyse (a RAG prompt of 45k characters) under ``set_llm_cache``, in one
    sequence with short ones: StepCache calls the model exactly as often as LangChain's ``InMemoryCache``."""
    from langchain_core.caches import InMemoryCache

    rag = "Context: " + "a long passage of retrieved text. " * 1400 + "\nQuestion: what is it about?"
    assert len(rag) > 45_000
    sequence = [rag, "Write a haiku about autumn", rag, rag + " Answer briefly.", "Write a haiku about autumn", rag]
    calls = {}
    for name, cache in (("in_memory", InMemoryCache()), ("stepcache", StepCache(engine=engine))):
        set_llm_cache(cache)
        try:
            llm = FakeListLLM(responses=[f"answer {i}" for i in range(20)])
            answers = [llm.invoke(p) for p in sequence]
        finally:
            set_llm_cache(None)
        calls[name] = (llm.i, answers)
    assert calls["stepcache"] == calls["in_memory"] and calls["stepcache"][0] == 3


def test_prompt_a_task_cannot_parse_falls_back_to_exact_text(engine: StepCacheEngine) -> None:
    cache = StepCache(engine=engine)
    prompt = "Return JSON describing a cat."  # detected as JSON extraction, but no schema/keys: exact text task
    gens = [Generation(text='{"animal": "cat"}')]
    cache.update(prompt, "L", gens)
    assert cache.lookup(prompt, "L") == gens


def test_unsupported_generation_types_are_ignored(engine: StepCacheEngine, caplog: pytest.LogCaptureFixture) -> None:
    cache = StepCache(engine=engine)
    with caplog.at_level(logging.WARNING, logger="stepcache_langchain"):
        cache.update("Hello there", "L", ["not a generation"])  # type: ignore[list-item]
        cache.update("Hello there", "L", [])
    assert cache.lookup("Hello there", "L") is None
    assert any("update ignored" in r.getMessage() for r in caplog.records)


def test_generations_that_do_not_serialize_keep_their_text(engine: StepCacheEngine) -> None:
    cache = StepCache(engine=engine)
    cache.update("Hello there", "L", [Generation(text="Hi", generation_info={"obj": object()})])
    got = cache.lookup("Hello there", "L")
    assert got == [Generation(text="Hi")]


async def test_async_methods(engine: StepCacheEngine) -> None:
    cache = StepCache(engine=engine)
    await cache.aupdate(BASE, "L", [Generation(text=BASE_STEPS)])
    hit = await cache.alookup(VARIANT, "L")
    assert hit is not None and hit[0].text.endswith(VARIANT_ANSWER)
    await cache.aclear()
    assert await cache.alookup(BASE, "L") is None


# ----------------------------------------------------------------- hostile input


@pytest.mark.parametrize(
    "prompt,answer",
    [
        ("Solve for x: 3x + 5 = 20", "x + 9^9^9^9 = 2\nx = 5"),  # a tower in the model's answer to a harmless prompt
        ("Solve for x: 3x + 5 = 20", "x^99999999 = 3\nx = 5"),
        ("Solve for x: x + 9^9^9^9 = 2", "x = 1"),  # a tower in the prompt
        ("Solve for x: " + "(" * 3000 + "x" + ")" * 3000 + " = 1", "x = 1"),
        ("Tell me a joke \ud800", "No."),  # a lone surrogate
    ],
    ids=["answer-tower", "answer-huge-exponent", "prompt-tower", "prompt-deep-nesting", "prompt-surrogate"],
)
def test_hostile_prompts_and_answers_never_break_or_freeze_the_caller(engine: StepCacheEngine, prompt: str, answer: str) -> None:
    import time

    cache = StepCache(engine=engine)
    t = time.perf_counter()
    assert cache.lookup(prompt, "llm") is None
    cache.update(prompt, "llm", [Generation(text=answer)])
    hit = cache.lookup(prompt, "llm")
    assert time.perf_counter() - t < 10
    if hit is not None:  # only an answer that verified may come back
        assert "9^9" not in hit[0].text and "99999999" not in hit[0].text


def test_last_trace_is_this_threads_and_follows_misses(engine: StepCacheEngine) -> None:
    """Class: traces read by apps. After a miss, ``last_trace`` is that miss (not the previous hit) and says
    whether its answer was recorded; two threads sharing one cache each read their own call's trace; an async
    call leaves its trace with the caller."""
    import asyncio
    import threading

    cache = StepCache(engine=engine)
    set_llm_cache(cache)
    try:
        llm = FakeListLLM(responses=[BASE_STEPS, "A haiku.", "Another."])
        llm.invoke(BASE)
        assert cache.last_trace is not None and cache.last_trace["path"] == "miss" and cache.last_trace["recorded"] is True
        llm.invoke(VARIANT)
        assert cache.last_trace["path"] == "reuse"
        llm.invoke("Write a haiku")
        assert cache.last_trace["path"] == "miss" and cache.last_trace["task"] == "text"
        seen: dict[str, Any] = {}
        gate = threading.Barrier(2)

        def ask(name: str, prompt: str) -> None:
            (llm if name == "hit" else FakeListLLM(responses=["Fresh."])).invoke(prompt)
            gate.wait(timeout=10)  # both calls done before either reads
            seen[name] = cache.last_trace

        threads = [
            threading.Thread(target=ask, args=("hit", BASE)),
            threading.Thread(target=ask, args=("miss", "A new question")),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert seen["hit"]["path"] == "reuse" and seen["hit"]["exact_hit"] and seen["miss"]["path"] == "miss"

        async def later() -> dict[str, Any] | None:
            await llm.ainvoke(VARIANT)
            return cache.last_trace

        assert asyncio.run(later())["path"] == "reuse"
    finally:
        set_llm_cache(None)


def test_count_covers_every_namespace_the_cache_keys_by(engine: StepCacheEngine) -> None:
    """Class: entries LangChain stores under its own namespaces (tenant, model, settings). ``engine.count()``
    counts them (it counted the default namespace alone: 0)."""
    cache = StepCache(engine=engine)
    cache.update(BASE, "model-a", [Generation(text=BASE_STEPS)])
    cache.update("Write a haiku", "model-b", [Generation(text="Leaves.")])
    assert engine.count() == 2


@pytest.mark.parametrize("where", ["cannot open", "server down"])
def test_a_store_that_fails_is_logged_once_and_the_model_serves(tmp_path, caplog: pytest.LogCaptureFixture, where: str) -> None:
    """Class: the store is unusable from the start (its directory is a file; its server is not running). Every
    call is answered by the model, nothing raises, and the failure is logged once per kind (it was logged twice
    per call)."""
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    cache = StepCache(persist_directory=blocker) if where == "cannot open" else StepCache(host="127.0.0.1", port=9)
    set_llm_cache(cache)
    try:
        llm = FakeListLLM(responses=["one", "two", "three"])
        with caplog.at_level(logging.DEBUG, logger="stepcache_core"):
            assert [llm.invoke(f"Write a haiku {i}") for i in range(3)] == ["one", "two", "three"]
    finally:
        set_llm_cache(None)
    warned = [r for r in caplog.records if r.levelno == logging.WARNING and "the store failed" in r.getMessage()]
    assert len(warned) == 1, [r.getMessage() for r in warned]


def test_what_the_last_turn_carries_besides_its_text_is_part_of_the_key(engine: Any) -> None:
    """Class: a user's ``name`` on the last human message (OpenAI-style providers send it to the model). Found by
    probing: "Hello, alice!" was served to bob."""
    cache = StepCache(engine=engine)
    llm_string = "chat-model"
    greet = [SystemMessage("Greet the user by the name on their message.")]
    alice = chat_prompt(*greet, HumanMessage("Say hello to me.", name="alice"))
    bob = chat_prompt(*greet, HumanMessage("Say hello to me.", name="bob"))
    cache.update(alice, llm_string, [ChatGeneration(message=AIMessage(content="Hello, alice!"))])
    assert cache.lookup(bob, llm_string) is None
    hit = cache.lookup(alice, llm_string)
    assert hit is not None and hit[0].text == "Hello, alice!"


def test_a_repeat_in_a_fresh_process_is_served_before_the_store_opens(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """Class: a restarted app's first call is a repeat (issue 20, item 8: at most 0.5 s over the model call). It
    is served from the store's index, sealed as verified for that request by this code, before Chroma is imported
    and opened; an answer the index does not hold waits for the open as before."""
    from stepcache_core.integration import LazyEngine

    first = StepCache(persist_directory=tmp_path / "app", embedder=HashEmbedder())
    assert first._lazy.wait_open(60)
    first.update(BASE, "llm-a", [Generation(text=BASE_STEPS)])
    monkeypatch.setattr(LazyEngine, "open_in_background", lambda self: None)  # the open has not happened yet
    again = StepCache(persist_directory=tmp_path / "app", embedder=HashEmbedder())
    served = again.lookup(BASE, "llm-a")
    assert served is not None and [g.text for g in served] == [BASE_STEPS]
    assert not again._lazy.built and again.last_trace is not None and again.last_trace["exact_hit"]
    assert again.lookup("Solve for x: 3x + 8 = 20", "llm-a") is not None  # adapted: the store opened for it
    assert again._lazy.built
