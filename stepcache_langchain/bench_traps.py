"""The traps corpus (issue 18) through LangChain: ``set_llm_cache(StepCache(...))`` and ``StepCacheRunnable`` in
front of a scripted chat model (:class:`~stepcache_langchain.bench_formats.StyledChatModel` speaking for each
case's :class:`~stepcache_core.bench.traps.TrapModel`).

Questions are the human turn under a system prompt; a JSON request is the caller's prompt followed by a real
output parser's format instructions, whose schema the cache discovers. ``python -m stepcache_langchain.bench_traps``
prints the rows as JSON lines; :func:`main` is registered as the ``langchain`` route of ``stepcache.bench_traps``
(``pyproject.toml``), which ``stepcache bench --formats`` runs in its own process (the core never imports LangChain).
"""

from __future__ import annotations

from collections.abc import Callable

from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from stepcache_core import StepCacheEngine
from stepcache_core.bench.formats import Served, checks_engine
from stepcache_core.bench.traps import Trap, TrapModel, rows_main, trap_rows

from .bench_formats import JSON_PARSERS, StyledChatModel, invoke_under, make_parser
from .cache import StepCache
from .runnable import StepCacheRunnable

__all__ = ["ASK", "EXTRACT", "LangChainTrapRoute", "MODES", "main"]

ASK = ChatPromptTemplate.from_messages([("system", "You are a helpful assistant."), ("human", "{request}")])
"""Questions: the caller's system prompt, the question as the human turn."""

EXTRACT = ChatPromptTemplate.from_messages(
    [("system", "You extract structured data from text."), ("human", "{request}\n\n{format_instructions}")]
)
"""JSON requests: the caller's prompt (its instructions around the text), then the parser's format instructions."""

MODES = ("set_llm_cache", "runnable")


class LangChainTrapRoute:
    """``prompt | model | StrOutputParser()`` under ``set_llm_cache(StepCache(...))``, or ``prompt |
    StepCacheRunnable(model) | StrOutputParser()``; JSON prompts carry ``parser``'s format instructions."""

    def __init__(
        self, mode: str, *, parser: str = "PydanticOutputParser", make_engine: Callable[[], StepCacheEngine] = checks_engine
    ) -> None:
        if mode not in MODES or parser not in JSON_PARSERS:
            raise ValueError(f"choose a mode from {MODES} and a parser from {JSON_PARSERS}")
        self.mode, self.parser, self._make_engine = mode, parser, make_engine
        self.name = mode

    def open(self, model: TrapModel, case: Trap) -> Callable[[str], Served]:
        chat = StyledChatModel(assistant=model)
        engine = self._make_engine()
        prompt = ASK
        if case.record is not None:
            prompt = EXTRACT.partial(format_instructions=make_parser(self.parser, case.record).get_format_instructions())
        # under set_llm_cache the same model patches a reuse that fails (StepCache(backend=...)), as the Runnable does
        cache = StepCache(engine=engine, backend=chat) if self.mode == "set_llm_cache" else None
        runnable = StepCacheRunnable(chat, engine=engine) if self.mode == "runnable" else None
        chain = prompt | (runnable if runnable is not None else chat) | StrOutputParser()

        def serve(text: str) -> Served:
            seen = len(chat.received)
            if cache is not None:
                cache.last_trace = None  # set by a hit only: what is left after the call is this call's
            out = invoke_under(cache, chain, {"request": case.request(text)})
            calls = len(chat.received) - seen
            trace = (cache.last_trace if cache is not None else runnable.last_trace if runnable is not None else None) or {}
            # under set_llm_cache a call that reached the model without a hit is LangChain's miss, whatever the
            # cache thought; a hit's model call is its patch
            path = "miss" if cache is not None and calls and not trace else str(trace.get("path", "miss"))
            return Served(out, path, calls)

        return serve


def main(argv: list[str] | None = None) -> int:
    return rows_main(
        lambda: [r for mode in MODES for r in trap_rows(LangChainTrapRoute(mode))], argv, (__doc__ or "").splitlines()[0]
    )


if __name__ == "__main__":
    raise SystemExit(main())
