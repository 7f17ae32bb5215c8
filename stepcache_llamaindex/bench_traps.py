"""The traps corpus (issue 18) through LlamaIndex: ``StepCacheLLM`` in front of a scripted chat model
(:class:`~stepcache_llamaindex.bench_formats.StyledLLM` speaking for each case's
:class:`~stepcache_core.bench.traps.TrapModel`), called with ``llm.predict``.

Questions are the user turn under a system prompt; a JSON request is the caller's prompt with LlamaIndex's
``PydanticOutputParser`` on it (the schema appended as ``LLMTextCompletionProgram`` appends it; the raw answer is
kept, so the prose around the object is judged too). ``python -m stepcache_llamaindex.bench_traps`` prints the
rows as JSON lines; :func:`main` is registered as the ``llamaindex`` route of ``stepcache.bench_traps``
(``pyproject.toml``), which ``stepcache bench --formats`` runs in its own process (the core never imports LlamaIndex).
"""

from __future__ import annotations

from collections.abc import Callable

from llama_index.core.base.llms.types import ChatMessage, MessageRole
from llama_index.core.output_parsers import PydanticOutputParser
from llama_index.core.prompts import BasePromptTemplate, ChatPromptTemplate, PromptTemplate

from stepcache_core import StepCacheEngine
from stepcache_core.bench.formats import Served, checks_engine
from stepcache_core.bench.traps import Trap, TrapModel, rows_main, trap_rows

from .bench_formats import StyledLLM
from .llm import StepCacheLLM

__all__ = ["ASK", "LlamaIndexTrapRoute", "main"]

ASK = ChatPromptTemplate(
    message_templates=[
        ChatMessage(role=MessageRole.SYSTEM, content="You are a helpful assistant."),
        ChatMessage(role=MessageRole.USER, content="{request}"),
    ]
)
"""Questions: the caller's system prompt, the question as the user turn."""


class LlamaIndexTrapRoute:
    """``StepCacheLLM(llm=model).predict(prompt, request=...)``: :data:`ASK` for questions, the caller's JSON
    prompt with a ``PydanticOutputParser`` of the case's record for extractions."""

    name = "llamaindex"

    def __init__(self, make_engine: Callable[[], StepCacheEngine] = checks_engine) -> None:
        self._make_engine = make_engine

    def open(self, model: TrapModel, case: Trap) -> Callable[[str], Served]:
        inner = StyledLLM(assistant=model)
        llm = StepCacheLLM(llm=inner, engine=self._make_engine())
        prompt: BasePromptTemplate = ASK
        if case.record is not None:
            prompt = PromptTemplate("{request}", output_parser=PydanticOutputParser(case.record))

        def serve(text: str) -> Served:
            seen = len(inner.received)
            out = llm.predict(prompt, request=case.request(text))
            trace = llm.last_trace or {}
            return Served(out, str(trace.get("path", "miss")), len(inner.received) - seen)

        return serve


def main(argv: list[str] | None = None) -> int:
    return rows_main(lambda: trap_rows(LlamaIndexTrapRoute()), argv, (__doc__ or "").splitlines()[0])


if __name__ == "__main__":
    raise SystemExit(main())
