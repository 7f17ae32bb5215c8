"""The format instructions LlamaIndex's ``PydanticOutputParser`` appends to prompts (``LLMTextCompletionProgram``,
``as_structured_llm`` on completion models), read from the installed library, never copied."""

from __future__ import annotations

import logging
from functools import cache

from stepcache_core.tasks.json.discover import Discovered, Instructions, discover_schema, instructions_from_template

__all__ = ["llamaindex_instructions", "discover"]

logger = logging.getLogger("stepcache_llamaindex")


@cache
def llamaindex_instructions() -> tuple[Instructions, ...]:
    try:
        from llama_index.core.output_parsers.pydantic import PYDANTIC_FORMAT_TMPL

        return (instructions_from_template("PydanticOutputParser", PYDANTIC_FORMAT_TMPL, "schema"),)
    except Exception as e:  # reworded or moved: such prompts are exact-match text again
        logger.debug("stepcache: no LlamaIndex format instructions (%s)", e)
        return ()


def discover(text: str) -> Discovered | None:
    """The schema LlamaIndex's output parser wrote into ``text``, and ``text`` without it."""
    if "schema" not in text:
        return None
    return discover_schema(text, llamaindex_instructions())
