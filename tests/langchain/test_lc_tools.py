"""Answers that are tool calls, under ``set_llm_cache``: ``bind_tools`` and ``with_structured_output`` (LangChain's
own implementation over ``bind_tools``), with OpenAI-style and Anthropic-style messages. The one tool a request
leaves the model gives the JSON task its schema; a reuse is served as a tool call of the same shape."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from langchain_core.globals import set_llm_cache
from langchain_core.language_models import BaseChatModel
from langchain_core.load import dumpd
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import BaseModel, Field

from stepcache_core import MemoryStore, StepCacheEngine, background
from stepcache_core.bench.formats_json import run_json_corpus, summarize_json_corpus
from stepcache_core.bench.formats_json_corpus import CASES, TOOL_STYLES, JsonAssistant, Person
from stepcache_core.fakes import HashEmbedder
from stepcache_langchain import StepCache, StepCacheRunnable
from stepcache_langchain._tools import ToolTarget, invocation_params, response_schema, tool_call_answer, tool_target
from stepcache_langchain.bench_formats import TOOL_MODES, TOOL_PROMPT, ToolCallingChatModel, ToolRoute, tool_call_kept

PERSON_TOOL = convert_to_openai_tool(Person)
KOFI, KOFI_ARGS = next(c for c in CASES if c.kind == "person").second
"""The person case's corroborating record: it moves every value of Maria's records, so the model's answer to it,
asked right after Maria's, corroborates her entry for every key (an entry serves another record only then: see
:mod:`stepcache_core.tasks.json.corroborate`)."""


MARIA_27 = "Maria Lopez is 27 and lives in Accra."
MARIA_27_ARGS = {"name": "Maria Lopez", "age": 27, "city": "Accra"}


class Weather(BaseModel):
    """Look up the weather in a city."""

    city: str = Field(description="the city")


# ---------------------------------------------------------------- reading llm_string


def test_invocation_params_read_the_literal_settings_of_a_serializable_models_llm_string() -> None:
    head = json.dumps({"id": ["langchain", "chat_models", "openai", "ChatOpenAI"], "kwargs": {"x": "a---[b]"}}, sort_keys=True)
    params = {"tools": [PERSON_TOOL], "tool_choice": "Person", "stop": None, "schema": Person}
    llm_string = head + "---" + str(sorted(params.items(), key=lambda kv: kv[0]))
    got = invocation_params(llm_string)
    assert got["tools"] == [PERSON_TOOL] and got["tool_choice"] == "Person" and got["stop"] is None
    assert "schema" not in got  # a <class ...> repr is skipped, the rest still read


def test_a_separator_inside_a_setting_does_not_hide_the_parameters() -> None:
    tool = {**PERSON_TOOL, "function": {**PERSON_TOOL["function"], "description": "A person. }---[ see notes"}}
    llm_string = json.dumps({"id": ["x"]}) + "---" + str(sorted({"tools": [tool], "stop": None}.items()))
    assert invocation_params(llm_string)["tools"] == [tool]


def test_invocation_params_of_a_string_that_is_not_a_param_list_are_empty() -> None:
    for text in ("", "llm", "[('a', 1", "{'a': 1}", "[('tools', [)]", "x" * 300_000):
        assert invocation_params(text) == {}


def test_the_one_tool_is_the_only_tool_or_the_one_tool_choice_names_in_any_provider_format() -> None:
    weather = convert_to_openai_tool(Weather)
    anthropic = {"name": "Person", "description": "", "input_schema": PERSON_TOOL["function"]["parameters"]}
    assert tool_target({"tools": [PERSON_TOOL]}) == ToolTarget("Person", PERSON_TOOL["function"]["parameters"])
    assert tool_target({"tools": [anthropic]}) == ToolTarget("Person", anthropic["input_schema"])
    for choice in ("Person", {"type": "function", "function": {"name": "Person"}}, {"type": "tool", "name": "Person"}):
        assert tool_target({"tools": [weather, PERSON_TOOL], "tool_choice": choice}) is not None, choice
    # the model chooses among several tools: which one is the model's decision, not a checkable fact
    for choice in (None, "auto", "any", "required"):
        assert tool_target({"tools": [weather, PERSON_TOOL], "tool_choice": choice}) is None, choice
    assert tool_target({"tools": [PERSON_TOOL, {"type": "retrieval"}]}) is None  # a tool this cannot read
    assert tool_target({}) is None and tool_target({"tools": []}) is None


def test_json_modes_give_their_schema() -> None:
    schema = Person.model_json_schema()
    assert (
        response_schema({"response_format": {"type": "json_schema", "json_schema": {"name": "Person", "schema": schema}}})
        == schema
    )
    assert response_schema({"format": schema}) == schema
    assert response_schema({"response_format": {"type": "json_object"}}) is None and response_schema({"format": "json"}) is None


def test_only_one_call_of_the_target_tool_is_kept_as_a_tool_call() -> None:
    target = tool_target({"tools": [PERSON_TOOL]})
    assert target is not None
    args = {"name": "Maria Lopez", "age": 34, "city": "Madrid"}

    def gen(*calls: dict[str, Any]) -> list[ChatGeneration]:
        return [ChatGeneration(message=AIMessage(content="", tool_calls=list(calls)))]

    one = {"name": "Person", "args": args, "id": "call_1", "type": "tool_call"}
    kept = tool_call_answer(gen(one), target)
    assert kept is not None and json.loads(kept[0]) == args
    assert tool_call_answer(gen(one, {**one, "id": "call_2"}), target) is None  # parallel calls
    assert tool_call_answer(gen({**one, "name": "Other"}), target) is None
    assert tool_call_answer([ChatGeneration(message=AIMessage(content=json.dumps(args)))], target) is None  # text, not a call


# ---------------------------------------------------------------- the corpus


@pytest.fixture(scope="module", params=TOOL_MODES)
def corpus(request: Any) -> dict[str, Any]:
    rows = run_json_corpus(ToolRoute(request.param), wrappers=tuple(TOOL_STYLES))
    return {"rows": rows, "summary": summarize_json_corpus(rows)}


def test_tool_call_answers_are_reused_as_tool_calls_in_every_style(corpus: dict[str, Any]) -> None:
    for key, s in corpus["summary"].items():
        assert s["error_rows"] == 0, key
        assert s["first_served_as_written"] == 1.0, key
        assert s["repeats_identical"] == 1.0, key  # the same call, its id included
        assert s["variants_reused_correct"] == 1.0 and s["variants_reused_no_model_call"] == 1.0, key
        assert s["wrong_served"] == 0, key
        assert s["prompt_verbatim"] == 1.0, key
        assert s["served_as_tool_calls"] == 1.0, key  # fresh ids; raw provider copies carry the adapted arguments


# ---------------------------------------------------------------- one code path, as a caller writes it


def _chain(model: ToolCallingChatModel, *tools: type[BaseModel], **kwargs: Any) -> Any:
    return TOOL_PROMPT | model.bind_tools(list(tools), **kwargs)


def test_a_reused_tool_call_has_a_fresh_id_no_usage_and_the_trace(engine: Any) -> None:
    """Maria's record, then a corroborating record (the model's), then another of Maria's, reused."""
    model = ToolCallingChatModel(assistant=JsonAssistant("anthropic-tool-use"))
    cache = StepCache(engine=engine)
    set_llm_cache(cache)
    chain = _chain(model, Person)
    first = chain.invoke({"text": "Maria Lopez is 34 and lives in Madrid."})
    corroborating = chain.invoke({"text": KOFI})
    assert len(model.received) == 2  # the second record is the model's: it corroborates the first
    reused = chain.invoke({"text": "Maria Lopez is 41 and lives in Porto."})
    assert len(model.received) == 2
    assert reused.tool_calls[0]["args"] == {"name": "Maria Lopez", "age": 41, "city": "Porto"}
    assert reused.tool_calls[0]["id"] != first.tool_calls[0]["id"] and reused.tool_calls[0]["id"].startswith("call_")
    assert reused.tool_calls[0]["id"] != corroborating.tool_calls[0]["id"]
    assert reused.content[0] == first.content[0]  # the text block, byte for byte
    assert reused.content[1]["input"] == reused.tool_calls[0]["args"]
    assert first.usage_metadata is not None and not (reused.usage_metadata or {}).get("total_tokens")  # no tokens spent
    assert reused.response_metadata["stepcache"]["path"] == "reuse"


@pytest.mark.parametrize("style", TOOL_STYLES)
def test_text_beside_a_tool_call_that_states_the_cached_arguments_is_never_served_for_new_ones(style: str) -> None:
    """Class: prose the model writes beside its call ("Recording Maria Lopez, 34, of Madrid."), in both providers'
    layouts. Found by probing: it was served next to the new arguments (41, Porto). The model answers instead;
    prose that names no changed argument is still reused (once a corroborating record, the model's, followed the
    first: Maria at another age and city, so that her name, the one argument the prose states, stays)."""
    for narration, reused in (("Recording {name}, {age}, of {city}.", False), ("Recording {name}.", True)):
        model = ToolCallingChatModel(assistant=JsonAssistant(style, answers={MARIA_27: MARIA_27_ARGS}), narration=narration)
        set_llm_cache(StepCache(engine=StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder())))
        chain = _chain(model, Person)
        chain.invoke({"text": "Maria Lopez is 34 and lives in Madrid."})
        assert chain.invoke({"text": MARIA_27}).tool_calls[0]["args"] == MARIA_27_ARGS
        assert len(model.received) == 2, narration  # the second record is the model's: it corroborates the first
        second = chain.invoke({"text": "Maria Lopez is 41 and lives in Porto."})
        said = second.content if isinstance(second.content, str) else second.content[0]["text"]
        assert second.tool_calls[0]["args"] == {"name": "Maria Lopez", "age": 41, "city": "Porto"}
        assert "Madrid" not in said and "34" not in said
        assert "Accra" not in said and "27" not in said  # nor the corroborating record's arguments
        # one more than before: the corroborating record is the model's
        assert len(model.received) == (2 if reused else 3), narration


def test_a_tool_call_whose_arguments_are_not_in_the_text_is_never_stored(engine: Any) -> None:
    class Inventing(ToolCallingChatModel):
        def _generate(self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any) -> Any:
            result = super()._generate(messages, stop, run_manager, **kwargs)
            call = result.generations[0].message.tool_calls[0]
            bad = {**call, "args": {**call["args"], "city": "Atlantis"}}
            result.generations[0] = ChatGeneration(message=AIMessage(content="", tool_calls=[bad]))
            return result

    model = Inventing(assistant=JsonAssistant("openai-tool-call"))
    set_llm_cache(StepCache(engine=engine))
    chain = _chain(model, Person)
    chain.invoke({"text": "Maria Lopez is 34 and lives in Madrid."})
    chain.invoke({"text": "Maria Lopez is 41 and lives in Porto."})
    chain.invoke({"text": "Maria Lopez is 34 and lives in Madrid."})
    assert len(model.received) == 3  # nothing reused, not even the identical request


def test_with_several_tools_the_models_choice_is_reused_only_for_identical_requests(engine: Any) -> None:
    """An agent's tool choice is a decision no check can verify for another request: exact repeats only, and the
    served call is equal to the model's (every field)."""
    model = ToolCallingChatModel(assistant=JsonAssistant("openai-tool-call"))
    set_llm_cache(StepCache(engine=engine))
    chain = _chain(model, Person, Weather)
    first = chain.invoke({"text": "Maria Lopez is 34 and lives in Madrid."})
    again = chain.invoke({"text": "Maria Lopez is 34 and lives in Madrid."})
    assert len(model.received) == 1 and again.tool_calls == first.tool_calls
    chain.invoke({"text": "Maria Lopez is 41 and lives in Porto."})
    assert len(model.received) == 2


def test_a_tool_choice_naming_one_of_several_tools_makes_the_answer_checkable(engine: Any) -> None:
    """Maria's record, a corroborating record (the model's), then Ana's, reused."""
    model = ToolCallingChatModel(assistant=JsonAssistant("openai-tool-call"))
    set_llm_cache(StepCache(engine=engine))
    chain = _chain(model, Weather, Person, tool_choice="Person")
    chain.invoke({"text": "Maria Lopez is 34 and lives in Madrid."})
    chain.invoke({"text": KOFI})
    assert len(model.received) == 2  # the second record is the model's: it corroborates the first
    reused = chain.invoke({"text": "Ana Ruiz is 34 and lives in Madrid."})
    assert len(model.received) == 2 and reused.tool_calls[0]["args"]["name"] == "Ana Ruiz"


def test_an_equation_asked_with_tools_bound_is_never_served_as_text(engine: Any) -> None:
    """The question reads like an equation, but the answer is a tool call: it is kept whole, for identical requests."""
    model = ToolCallingChatModel(assistant=JsonAssistant("openai-tool-call"))
    set_llm_cache(StepCache(engine=engine))
    chain = _chain(model, Person, Weather)
    first = chain.invoke({"text": "Solve for x: 3x + 5 = 20"})
    again = chain.invoke({"text": "Solve for x: 3x + 5 = 20"})
    assert again.tool_calls == first.tool_calls and len(model.received) == 1


def test_a_text_answer_to_a_tool_bound_call_is_served_as_text_for_identical_requests(engine: Any) -> None:
    class Chatty(ToolCallingChatModel):
        def _generate(self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any) -> Any:
            return super()._generate(messages, stop, run_manager)  # ignores the tools: answers in text

    model = Chatty(assistant=JsonAssistant("raw"))
    set_llm_cache(StepCache(engine=engine))
    chain = _chain(model, Person)
    first = chain.invoke({"text": "Maria Lopez is 34 and lives in Madrid."})
    again = chain.invoke({"text": "Maria Lopez is 34 and lives in Madrid."})
    assert again.content == first.content and not again.tool_calls and len(model.received) == 1


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.kind)
def test_with_structured_output_returns_the_adapted_object(engine: Any, case: Any) -> None:
    """The base record, then the case's corroborating record (the model's), then the other texts, reused."""
    model = ToolCallingChatModel(assistant=JsonAssistant("openai-tool-call"))
    set_llm_cache(StepCache(engine=engine))
    chain = TOOL_PROMPT | model.with_structured_output(case.model)
    (base, base_expected), *others = case.texts
    assert chain.invoke({"text": base}).model_dump() == base_expected
    assert chain.invoke({"text": case.second[0]}).model_dump() == case.second[1]
    assert len(model.received) == 2  # the second record is the model's: it corroborates the first
    for text, expected in others:
        assert chain.invoke({"text": text}).model_dump() == expected
    assert len(model.received) == 2


# ---------------------------------------------------------------- StepCacheRunnable around a model with tools bound


def test_the_runnable_around_bound_tools_returns_the_models_own_message_then_reuses_it_as_a_tool_call(engine: Any) -> None:
    from stepcache_langchain import StepCacheRunnable

    model = ToolCallingChatModel(assistant=JsonAssistant("openai-tool-call"))
    runnable = StepCacheRunnable(model.bind_tools([Person]), engine=engine)
    first = (TOOL_PROMPT | runnable).invoke({"text": "Maria Lopez is 34 and lives in Madrid."})
    assert first.tool_calls and first.additional_kwargs["tool_calls"][0]["id"] == first.tool_calls[0]["id"]  # the model's own
    (TOOL_PROMPT | runnable).invoke({"text": KOFI})
    assert len(model.received) == 2  # the second record is the model's: it corroborates the first
    chunks = list((TOOL_PROMPT | runnable).stream({"text": "Ana Ruiz is 34 and lives in Madrid."}))
    assert len(model.received) == 2 and len(chunks) == 1
    assert chunks[0].tool_calls[0]["args"] == {"name": "Ana Ruiz", "age": 34, "city": "Madrid"}
    assert chunks[0].response_metadata["stepcache"]["path"] == "reuse"


def test_the_runnable_around_several_tools_lets_the_model_choose_every_time(engine: Any) -> None:
    from stepcache_langchain import StepCacheRunnable

    model = ToolCallingChatModel(assistant=JsonAssistant("openai-tool-call"))
    runnable = StepCacheRunnable(model.bind_tools([Person, Weather]), engine=engine)
    for _ in range(2):
        out = (TOOL_PROMPT | runnable).invoke({"text": "Maria Lopez is 34 and lives in Madrid."})
        assert out.tool_calls[0]["name"] == "Person" and out.response_metadata["stepcache"]["path"] == "bypass"
    assert len(model.received) == 2


# ---------------------------------------------------------------- a variant asked again (issue 18)

MARIA = "Maria Lopez is 34 and lives in Madrid."
MARIA_41 = "Maria Lopez is 41 and lives in Porto."
MARIA_41_ARGS = {"name": "Maria Lopez", "age": 41, "city": "Porto"}


class _NoSignatures(MemoryStore):
    """Finds nothing by structure: the variant is found by similarity, and its reuse is stored."""

    def find(self, collection: str, signature: str, k: int) -> list[Any]:
        return []


@pytest.fixture(params=[MemoryStore, _NoSignatures], ids=["by-structure", "by-similarity"])
def found(request: Any) -> StepCacheEngine:
    return StepCacheEngine(store=request.param(), embedder=HashEmbedder())


def _untraced(message: AIMessage) -> AIMessage:
    """The message without the trace (which says how it was served: adapted, then exact) nor LangChain's run id."""
    meta = {k: v for k, v in message.response_metadata.items() if k != "stepcache"}
    return message.model_copy(update={"response_metadata": meta, "id": None})


def _served_again_as_before(first: AIMessage, corroborating: AIMessage, variant: AIMessage, again: AIMessage) -> None:
    """``again`` (the variant asked a second time) is the message the variant was served, call id and provider
    copies included, and nothing in it comes from ``first`` nor ``corroborating`` (the records the variant may
    have been adapted from: Maria's, and the model's answer that corroborated it)."""
    dumped = json.dumps(dumpd(_untraced(again)))
    assert first.tool_calls[0]["id"] not in dumped and "Madrid" not in dumped and '"age": 34' not in dumped
    assert corroborating.tool_calls[0]["id"] not in dumped and "Accra" not in dumped and '"age": 27' not in dumped
    call = again.tool_calls[0]
    assert call["args"] == MARIA_41_ARGS and call["id"] == variant.tool_calls[0]["id"] != first.tool_calls[0]["id"]
    assert call["id"] != corroborating.tool_calls[0]["id"]
    assert tool_call_kept(again, "Person", variant.tool_calls[0]["id"])  # raw OpenAI call, Anthropic block: its own
    assert _untraced(again) == _untraced(variant)


@pytest.mark.parametrize("style", sorted(TOOL_STYLES))
def test_bind_tools_a_variant_asked_again_gets_its_own_call_back(found: StepCacheEngine, style: str) -> None:
    """Maria's record, a corroborating record (the model's), then the variant, reused, and asked again."""
    model = ToolCallingChatModel(assistant=JsonAssistant(style))
    set_llm_cache(StepCache(engine=found))
    chain = _chain(model, Person)
    first, corroborating = (chain.invoke({"text": t}) for t in (MARIA, KOFI))
    assert len(model.received) == 2  # the second record is the model's: it corroborates the first
    variant, again = (chain.invoke({"text": t}) for t in (MARIA_41, MARIA_41))
    assert len(model.received) == 2
    _served_again_as_before(first, corroborating, variant, again)
    assert variant.response_metadata["stepcache"]["path"] == "reuse" and again.response_metadata["stepcache"]["exact_hit"]


@pytest.mark.parametrize("style", sorted(TOOL_STYLES))
def test_with_structured_output_a_variant_asked_again_gets_its_own_call_back(found: StepCacheEngine, style: str) -> None:
    """Maria's record, a corroborating record (the model's), then the variant, reused, and asked again."""
    model = ToolCallingChatModel(assistant=JsonAssistant(style))
    set_llm_cache(StepCache(engine=found))
    chain = TOOL_PROMPT | model.with_structured_output(Person, include_raw=True)
    first, corroborating = (chain.invoke({"text": t}) for t in (MARIA, KOFI))
    assert len(model.received) == 2  # the second record is the model's: it corroborates the first
    assert corroborating["parsed"] == Person(**KOFI_ARGS)
    variant, again = (chain.invoke({"text": t}) for t in (MARIA_41, MARIA_41))
    assert len(model.received) == 2
    assert again["parsed"] == variant["parsed"] == Person(**MARIA_41_ARGS)
    _served_again_as_before(first["raw"], corroborating["raw"], variant["raw"], again["raw"])


@pytest.mark.parametrize("style", sorted(TOOL_STYLES))
def test_the_runnable_around_bound_tools_serves_a_variant_asked_again_its_own_call(found: StepCacheEngine, style: str) -> None:
    """Maria's record, a corroborating record (the model's), then the variant, reused, and asked again."""
    from stepcache_langchain import StepCacheRunnable

    model = ToolCallingChatModel(assistant=JsonAssistant(style))
    chain = TOOL_PROMPT | StepCacheRunnable(model.bind_tools([Person]), engine=found)
    first, corroborating = (chain.invoke({"text": t}) for t in (MARIA, KOFI))
    assert len(model.received) == 2  # the second record is the model's: it corroborates the first
    variant, again = (chain.invoke({"text": t}) for t in (MARIA_41, MARIA_41))
    assert len(model.received) == 2
    _served_again_as_before(first, corroborating, variant, again)
    assert variant.response_metadata["stepcache"]["path"] == "reuse" and again.response_metadata["stepcache"]["exact_hit"]


# ------------------------------------------------------------- the model's settings on the tool route (helper-102)
EVEN = "Extract the item whose price is an even number of dollars."
BASKETS = [("pen", 3, "cup", 4), ("pen", 2, "cup", 9), ("pen", 7, "cup", 6), ("book", 8, "mug", 5), ("hat", 1, "bag", 4)]


class Purchase(BaseModel):
    """A purchase."""

    item: str = Field(description="the item")
    price: int = Field(description="its price in dollars")


class RuledModel(BaseChatModel):
    """Fills the one bound tool's arguments for the last human turn: the first item, or under its own
    ``system_prompt`` (one of its identifying settings) the rule that prompt says."""

    system_prompt: str = ""
    calls: int = 0

    @property
    def _llm_type(self) -> str:
        return "ruled-fake"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"system_prompt": self.system_prompt}

    def bind_tools(self, tools: Any, tool_choice: Any = None, **kwargs: Any) -> Any:
        return self.bind(tools=[convert_to_openai_tool(t) for t in tools], tool_choice=tool_choice, **kwargs)

    def _generate(self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any) -> ChatResult:
        self.calls += 1
        args = self.answer(str(messages[-1].content))
        call = {"name": kwargs["tools"][0]["function"]["name"], "args": args, "id": f"call_{self.calls}"}
        return ChatResult(generations=[ChatGeneration(message=AIMessage("", tool_calls=[call]))])

    def answer(self, text: str) -> dict[str, Any]:
        items = [(item, int(price)) for item, price in re.findall(r"a (\w+) for \$(\d+)", text)]
        item, price = next((i for i in items if i[1] % 2 == 0), items[0]) if self.system_prompt else items[0]
        return {"item": item, "price": price}


@pytest.mark.parametrize("route", ["set_llm_cache", "runnable"])
@pytest.mark.parametrize("order", ["forward", "backward"])
def test_a_rule_in_the_models_own_settings_is_read_on_the_tool_route(route: str, order: str) -> None:
    """Class (helper-102: 2 false of 3 served per grid): a rule in the model's own settings (a ``system_prompt``
    field among its identifying parameters: "Extract the item whose price is an even number of dollars") was read
    as the request's context on the text route, but not where the model fills a tool's arguments
    (``with_structured_output``, ``bind_tools``): the first record's answer was re-derived by position for
    records where the rule picks the other item. The tool route reads the settings too, and a rule there is a
    condition the values may not meet: the model answers."""
    model = RuledModel(system_prompt=EVEN)
    if route == "set_llm_cache":
        set_llm_cache(StepCache(store=MemoryStore(), embedder=HashEmbedder()))
        chain = model.with_structured_output(Purchase)

        def ask(text: str) -> dict[str, Any]:
            return chain.invoke([HumanMessage(text)]).model_dump()  # type: ignore[union-attr]
    else:
        runnable = StepCacheRunnable(
            model.bind_tools([Purchase], tool_choice="Purchase"), store=MemoryStore(), embedder=HashEmbedder()
        )

        def ask(text: str) -> dict[str, Any]:
            return runnable.invoke([HumanMessage(text)]).tool_calls[0]["args"]

    try:
        for basket in BASKETS if order == "forward" else BASKETS[::-1]:
            text = "Extract the purchase: Bob buys a {} for ${} and a {} for ${}.".format(*basket)
            assert ask(text) == model.answer(text), text
            background.drain(10)
    finally:
        set_llm_cache(None)


class RefundPolicyModel(BaseChatModel):
    """Calls the one bound tool with the order and amount of the last human turn when the tool's description allows
    it (amounts up to $100), else answers in words."""

    calls: int = 0

    @property
    def _llm_type(self) -> str:
        return "refund-fake"

    def bind_tools(self, tools: Any, tool_choice: Any = None, **kwargs: Any) -> Any:
        return self.bind(tools=[convert_to_openai_tool(t) for t in tools], **kwargs)

    def _generate(self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any) -> ChatResult:
        self.calls += 1
        return ChatResult(generations=[ChatGeneration(message=self.answer(str(messages[-1].content)))])

    def answer(self, text: str) -> AIMessage:
        order, amount = re.search(r"order (\S+), it cost \$(\d+)", text).groups()  # type: ignore[union-attr]
        if int(amount) > 100:
            return AIMessage("Refunds above $100 need a manager's approval; I can't issue this one.")
        call = {"name": "issue_refund", "args": {"order_id": order, "amount": int(amount)}, "id": f"call_{self.calls}"}
        return AIMessage("", tool_calls=[call])


class issue_refund(BaseModel):  # noqa: N801 (a tool is named as the model calls it)
    """Issue a refund for an order. Refunds are allowed only for orders up to $100; above that, do not call this tool."""

    order_id: str
    amount: int


@pytest.mark.parametrize("route", ["set_llm_cache", "runnable"])
def test_a_number_a_tools_description_weighs_the_arguments_against_is_read_before_a_reuse(route: str) -> None:
    """Class (helper-127: 2 of 2 served wrong): the tool's description says when to call it ("only for orders up to
    $100"); after calls for $40, $60 and $80, "it cost $400" was served a call with the new arguments, where the
    model answers in words. A carried number on the other side of a number the request states (in a tool's or a
    key's description, the instructions, the context) from the cached one is a decision the model makes again."""
    model = RefundPolicyModel()
    if route == "set_llm_cache":
        set_llm_cache(StepCache(store=MemoryStore(), embedder=HashEmbedder()))
        bound: Any = model.bind_tools([issue_refund])
    else:
        bound = StepCacheRunnable(model.bind_tools([issue_refund]), store=MemoryStore(), embedder=HashEmbedder())
    wrong = served = 0
    try:
        for order, amount in [("A-100", 40), ("A-200", 60), ("A-300", 80), ("A-400", 400), ("A-500", 90), ("A-600", 900)]:
            text = f"Please refund order {order}, it cost ${amount}."
            before = model.calls
            out = bound.invoke([HumanMessage(text)])
            background.drain(10)
            right = model.answer(text)
            if model.calls == before:
                served += 1
                calls = [[(c["name"], c["args"]) for c in m.tool_calls] for m in (out, right)]
                wrong += calls[0] != calls[1] or (not calls[1] and out.content != right.content)
    finally:
        set_llm_cache(None)
    assert wrong == 0 and served + model.calls == 6
