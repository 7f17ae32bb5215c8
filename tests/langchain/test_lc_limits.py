"""The caller's length and stop limits (a model's ``max_tokens`` field, ``.bind(max_tokens=...)``, a call's
``stop=``): what is served is what the caller's model, under them, would answer. Fakes only: a chat model that
solves "ax + b = c" right, one token per character, cut at its ``max_tokens`` and before any stop string."""

from __future__ import annotations

import json
import re
from typing import Any

from langchain_core.globals import set_llm_cache
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from stepcache_core import background
from stepcache_core.fakes import HashEmbedder, MemoryStore
from stepcache_langchain import StepCache, StepCacheRunnable

EQUATION = "Solve for x: {}x + {} = {}"


def solved(question: str, max_tokens: int | None, stop: list[str] | None) -> str:
    """The model's answer: the full solution, cut before the first stop string, then at ``max_tokens`` characters."""
    m = re.search(r"(\d+)x \+ (\d+) = (\d+)", question)
    assert m is not None, question
    a, b, c = (int(g) for g in m.groups())
    text = f"{a}x = {c} - {b}\n{a}x = {c - b}\nx = {(c - b) // a}"
    for s in stop or []:
        text = text.split(s)[0]
    return text[:max_tokens] if max_tokens is not None else text


class CharChat(BaseChatModel):
    max_tokens: int | None = None
    sent: list[str] = []

    @property
    def _llm_type(self) -> str:
        return "char-chat"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"max_tokens": self.max_tokens}

    def _generate(
        self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None, **kwargs: Any
    ) -> ChatResult:
        question = str([m for m in messages if isinstance(m, HumanMessage)][-1].content)
        self.sent.append(question)
        text = solved(question, kwargs.get("max_tokens", self.max_tokens), stop)
        usage = {"input_tokens": len(question), "output_tokens": len(text), "total_tokens": len(question) + len(text)}
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text, usage_metadata=usage))])


def test_set_llm_cache_does_not_reuse_past_the_models_max_tokens():
    """``set_llm_cache`` with a chat model whose ``max_tokens`` field is 30: the first answer (24 characters) is
    stored, the one re-derived for bigger numbers (33) would be cut. Before, served in full from the cache; now the
    model answers (its own cut answer)."""
    model = CharChat(max_tokens=30, sent=[])
    set_llm_cache(StepCache(store=MemoryStore(), embedder=HashEmbedder()))
    model.invoke([HumanMessage(EQUATION.format(3, 5, 20))])
    background.drain(20)
    question = EQUATION.format(12, 35, 1307)
    out = model.invoke([HumanMessage(question)])
    assert out.content == solved(question, 30, None) and len(model.sent) >= 2


def test_set_llm_cache_does_not_reuse_an_answer_holding_the_calls_stop_string():
    """``set_llm_cache`` and ``invoke(..., stop=["16"])``: the answer re-derived for 4x + 3 = 19 holds "16". Before,
    served whole from the cache; now the model answers, and stops before it."""
    model = CharChat(sent=[])
    set_llm_cache(StepCache(store=MemoryStore(), embedder=HashEmbedder()))
    model.invoke([HumanMessage(EQUATION.format(3, 5, 20))], stop=["16"])
    background.drain(20)
    question = EQUATION.format(4, 3, 19)
    out = model.invoke([HumanMessage(question)], stop=["16"])
    assert out.content == solved(question, None, ["16"]) and len(model.sent) >= 2


def test_runnable_reuse_and_miss_under_a_bound_max_tokens():
    """``StepCacheRunnable(model.bind(max_tokens=...))``. A reuse longer than the bound limit: before, served in
    full; now the model answers. A miss the limit cut (14 characters, no final line): before, the engine repaired it
    (few-shot prompt, solver) and served the full answer; now the model's own answer, as written (the repair, longer
    than the limit, is not served)."""
    model = CharChat(sent=[])
    runnable = StepCacheRunnable(model.bind(max_tokens=30), store=MemoryStore(), embedder=HashEmbedder())
    runnable.invoke([HumanMessage(EQUATION.format(3, 5, 20))])
    question = EQUATION.format(12, 35, 1307)
    out = runnable.invoke([HumanMessage(question)])
    assert out.content == solved(question, 30, None) and len(model.sent) >= 2
    short = StepCacheRunnable(model.bind(max_tokens=14), store=MemoryStore(), embedder=HashEmbedder())
    sent = len(model.sent)
    cut = short.invoke([HumanMessage(EQUATION.format(3, 5, 20))])
    assert cut.content == "3x = 20 - 5\n3x" and len(model.sent) > sent
    assert not cut.response_metadata["stepcache"]["verified"]


def test_runnable_reads_the_models_own_max_tokens_field():
    """``StepCacheRunnable(CharChat(max_tokens=30))``: the limit is a field of the model, not a binding. Before,
    the reuse for bigger numbers was served in full; now the model answers."""
    model = CharChat(max_tokens=30, sent=[])
    runnable = StepCacheRunnable(model, store=MemoryStore(), embedder=HashEmbedder())
    runnable.invoke([HumanMessage(EQUATION.format(3, 5, 20))])
    question = EQUATION.format(12, 35, 1307)
    assert runnable.invoke([HumanMessage(question)]).content == solved(question, 30, None) and len(model.sent) >= 2


def test_runnable_takes_the_models_call_arguments():
    """``StepCacheRunnable.invoke(x, stop=["16"])`` and ``max_tokens=30``, as the model's own ``invoke`` takes them.
    Before, ``TypeError`` (only StepCache's options were accepted). Now they reach the model on a miss, key the entry
    as its settings would, and bound what a reuse may serve: the answer re-derived for 4x + 3 = 19 holds "16" and
    is not served (the model answers, and stops before it); nothing served is wrong."""
    model = CharChat(sent=[])
    runnable = StepCacheRunnable(model, store=MemoryStore(), embedder=HashEmbedder())
    first = runnable.invoke([HumanMessage(EQUATION.format(3, 5, 20))], stop=["16"])
    assert first.content == solved(EQUATION.format(3, 5, 20), None, ["16"]) and len(model.sent) == 1
    question = EQUATION.format(4, 3, 19)
    out = runnable.invoke([HumanMessage(question)], stop=["16"])  # (its cut answer may be sent back to patch)
    assert out.content == solved(question, None, ["16"]) and len(model.sent) >= 2
    sent = len(model.sent)
    reused = runnable.invoke([HumanMessage(EQUATION.format(3, 8, 20))], stop=["16"])  # "3x = 12": no "16" in it
    assert reused.content == solved(EQUATION.format(3, 8, 20), None, ["16"]) and len(model.sent) == sent
    assert reused.response_metadata["stepcache"]["path"] == "reuse"
    # another limit is another key: the model answers, cut where it cuts
    cut = runnable.invoke([HumanMessage(EQUATION.format(12, 35, 1307))], max_tokens=14)
    assert cut.content == solved(EQUATION.format(12, 35, 1307), 14, None) and len(model.sent) > sent
    streamed = "".join(str(c.content) for c in runnable.stream([HumanMessage(question)], stop=["16"]))
    assert streamed == solved(question, None, ["16"])


def test_a_misspelt_option_is_still_refused_before_the_model_sees_it():
    model = CharChat(sent=[])
    runnable = StepCacheRunnable(model, store=MemoryStore(), embedder=HashEmbedder())
    try:
        runnable.invoke([HumanMessage(EQUATION.format(3, 5, 20))], reuze=False)
    except TypeError as e:
        assert "reuse" in str(e)
    else:
        raise AssertionError("a misspelt option reached the model")
    assert model.sent == []


def test_response_format_classes_of_one_name_are_other_requests():
    """Two ``response_format`` classes with the same qualified name (built by one factory, or a class redefined in a
    notebook) and other fields: keyed by ``str(cls)`` they shared an entry, and the second was served the first's
    JSON (helper-117: 3 of 3 setups). Now keyed by their JSON schema, on a call argument and on a bound model."""
    from pydantic import BaseModel, create_model

    class Asked(BaseChatModel):
        sent: list[Any] = []

        @property
        def _llm_type(self) -> str:
            return "asked-chat"

        def _generate(
            self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None, **kwargs: Any
        ) -> ChatResult:
            self.sent.append(kwargs)
            fields = list(kwargs["response_format"].model_json_schema()["properties"])
            values = {"name": "Ann Lee", "city": "Paris", "age": 30, "email": "ann@x.org"}
            content = json.dumps({f: values[f] for f in fields})
            return ChatResult(generations=[ChatGeneration(message=AIMessage(content=content))])

    def answer(*fields: str) -> type[BaseModel]:
        return create_model("Answer", **{f: ((int if f == "age" else str), ...) for f in fields})  # type: ignore[call-overload]

    a, b = answer("name", "city"), answer("age", "email")
    assert str(a) == str(b)
    question = [HumanMessage("Ann Lee, 30, lives in Paris; write to ann@x.org. Give the fields as JSON.")]
    model = Asked(sent=[])
    runnable = StepCacheRunnable(model, store=MemoryStore(), embedder=HashEmbedder())
    runnable.invoke(question, response_format=a)
    served = runnable.invoke(question, response_format=b)
    assert json.loads(str(served.content)) == {"age": 30, "email": "ann@x.org"} and len(model.sent) == 2
    store = MemoryStore()
    StepCacheRunnable(model.bind(response_format=a), store=store, embedder=HashEmbedder()).invoke(question)
    bound = StepCacheRunnable(model.bind(response_format=b), store=store, embedder=HashEmbedder()).invoke(question)
    assert json.loads(str(bound.content)) == {"age": 30, "email": "ann@x.org"} and len(model.sent) == 4
