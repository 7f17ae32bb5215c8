"""The format instructions LangChain's output parsers write into prompts, read from the installed libraries.

``PydanticOutputParser`` and ``JsonOutputParser(pydantic_object=...)`` (langchain-core) embed a JSON Schema;
``StructuredOutputParser`` (langchain-classic, when installed) embeds ``"name": type  // description`` lines.
The templates are imported, never copied, so a LangChain upgrade that rewords them keeps working (or, if a
template disappears, discovery of that parser's schema stops and its prompts are exact-match text again).
"""

from __future__ import annotations

import logging
from functools import cache

from stepcache_core.tasks.json.discover import Discovered, Instructions, discover_schema, instructions_from_template

__all__ = ["langchain_instructions", "discover"]

logger = logging.getLogger("stepcache_langchain")


@cache
def langchain_instructions() -> tuple[Instructions, ...]:
    found: list[Instructions] = []

    def add(name: str, module: str, attr: str, placeholder: str, kind: str = "json_schema") -> None:
        try:
            mod = __import__(module, fromlist=[attr])
            template = getattr(mod, attr)
            found.append(instructions_from_template(name, template, placeholder, kind))  # type: ignore[arg-type]
        except Exception as e:  # not installed, or reworded: that parser's prompts stay exact-match text
            logger.debug("stepcache: no format instructions %s.%s (%s)", module, attr, e)

    add("JsonOutputParser", "langchain_core.output_parsers.format_instructions", "JSON_FORMAT_INSTRUCTIONS", "schema")
    add("PydanticOutputParser", "langchain_core.output_parsers.pydantic", "_PYDANTIC_FORMAT_INSTRUCTIONS", "schema")
    add(
        "PydanticOutputParser (classic)",
        "langchain_classic.output_parsers.format_instructions",
        "PYDANTIC_FORMAT_INSTRUCTIONS",
        "schema",
    )
    add(
        "StructuredOutputParser",
        "langchain_classic.output_parsers.format_instructions",
        "STRUCTURED_FORMAT_INSTRUCTIONS",
        "format",
        "structured_lines",
    )
    add(
        "StructuredOutputParser (only_json)",
        "langchain_classic.output_parsers.format_instructions",
        "STRUCTURED_FORMAT_SIMPLE_INSTRUCTIONS",
        "format",
        "structured_lines",
    )
    found.sort(key=lambda ins: len(ins.prefix), reverse=True)  # the most specific first
    return tuple(found)


def discover(text: str) -> Discovered | None:
    """The schema a LangChain output parser's instructions carry in ``text``, and ``text`` without them."""
    if "```" not in text and "schema" not in text:
        return None
    return discover_schema(text, langchain_instructions())
