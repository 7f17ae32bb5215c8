"""JSON through LangChain's own output parsers: ``PydanticOutputParser``, ``JsonOutputParser(pydantic_object=...)``
and ``StructuredOutputParser`` write format instructions into the caller's prompt; StepCache reads the schema from
them (no code change by the caller), and answers in any wrapper are reused in that wrapper."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.globals import set_llm_cache

from stepcache_core.bench.formats_json import run_json_corpus, summarize_json_corpus
from stepcache_core.bench.formats_json_corpus import CASES, JsonAssistant
from stepcache_langchain import StepCache
from stepcache_langchain._discover import discover
from stepcache_langchain.bench_formats import EXTRACT, JSON_PARSERS, ParserRoute, StyledChatModel, make_parser


@pytest.mark.parametrize("parser", JSON_PARSERS)
def test_each_parsers_instructions_give_the_schema_of_its_model(parser: str) -> None:
    for case in CASES:
        instructions = make_parser(parser, case.model).get_format_instructions()
        found = discover(f"Extract the record.\n{instructions}\n\nText: {case.texts[0][0]}")
        assert found is not None, (parser, case.kind)
        assert list(found.schema["properties"]) == list(case.model.model_fields)
        assert found.text.endswith(case.texts[0][0]) and "schema" not in found.text.casefold()


@pytest.fixture(
    scope="module", params=[(p, m) for p in JSON_PARSERS for m in ("set_llm_cache", "runnable")], ids=lambda x: f"{x[1]}-{x[0]}"
)
def corpus(request: Any) -> dict[str, Any]:
    parser, mode = request.param
    rows = run_json_corpus(ParserRoute(parser, mode))
    return {"rows": rows, "summary": summarize_json_corpus(rows)}


def test_every_wrapper_meets_the_targets(corpus: dict[str, Any]) -> None:
    for key, s in corpus["summary"].items():
        assert s["error_rows"] == 0, key
        assert s["repeats_identical"] == 1.0, key
        assert s["first_served_as_written"] == 1.0, key
        assert s["variants_reused_correct"] >= 0.9, key
        assert s["wrong_served"] == 0, key
        assert s["prompt_verbatim"] == 1.0, key
        assert s["reused_in_their_wrapper"] is None or s["reused_in_their_wrapper"] >= 0.9, key


def test_a_parser_prompt_without_the_cache_knowing_the_schema_is_still_one_code_path(engine: Any) -> None:
    """The caller changes nothing: the chain is ``prompt | model | parser`` under ``set_llm_cache``. The base record,
    then the case's corroborating record (the model's), then another record, reused."""
    case = next(c for c in CASES if c.kind == "person")
    parser = make_parser("PydanticOutputParser", case.model)
    model = StyledChatModel(assistant=JsonAssistant("sentence-then-fence"))
    cache = StepCache(engine=engine)
    set_llm_cache(cache)
    chain = EXTRACT.partial(format_instructions=parser.get_format_instructions()) | model | parser
    first = chain.invoke({"text": case.texts[0][0]})
    assert first.model_dump() == case.texts[0][1]
    corroborating = chain.invoke({"text": case.second[0]})
    assert corroborating.model_dump() == case.second[1]
    assert len(model.received) == 2  # the second record is the model's: it corroborates the first
    second = chain.invoke({"text": case.texts[1][0]})
    assert second.model_dump() == case.texts[1][1] and len(model.received) == 2
    assert cache.last_trace is not None and cache.last_trace["task"] == "json_extraction" and cache.last_trace["path"] == "reuse"


@pytest.mark.parametrize("mode", ["set_llm_cache", "runnable"])
@pytest.mark.parametrize("parser", ["PydanticOutputParser", "JsonOutputParser"])
def test_instructions_in_the_system_prompt_give_the_schema(parser: str, mode: str) -> None:
    """Class: a chat extractor with the parser's instructions in the system message and the record alone in the
    human turn (it got 0 JSON reuse: every record called the model). The same targets as in the human turn."""
    summary = summarize_json_corpus(run_json_corpus(ParserRoute(parser, mode, placement="system")))
    for key, s in summary.items():
        assert s["error_rows"] == 0, key
        assert s["wrong_served"] == 0, key
        assert s["first_served_as_written"] == 1.0, key
        assert s["variants_reused_correct"] >= 0.9, (key, s["variants_reused_correct"])
