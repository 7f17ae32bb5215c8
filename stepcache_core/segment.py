"""Segmentation stage: split an output into ordered steps, and render steps back."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from .values import Origin, Step

__all__ = ["LineSegmenter", "LayoutSegmenter", "JsonObjectSegmenter", "ParagraphSegmenter", "find_json_object"]

_NUMBERING = re.compile(r"^\s*(?:step\s*\d+\s*[:.)-]\s*|\d+\s*[.)]\s+|[-*•]\s+)", re.IGNORECASE)


class LineSegmenter:
    """One step per non-empty line; leading numbering ("1.", "Step 2:") is dropped."""

    def segment(self, text: str, *, origin: Origin = "cached") -> list[Step]:
        lines = [_NUMBERING.sub("", ln).strip() for ln in text.splitlines()]
        return [Step(i, ln, origin) for i, ln in enumerate(ln for ln in lines if ln)]

    def render(self, steps: Sequence[Step]) -> str:
        return "\n".join(s.text for s in steps)


class LayoutSegmenter:
    """One step per non-blank line, keeping the answer's layout byte for byte.

    A step's text is its line as written (labels, markdown, LaTeX, indentation) with its line break and the blank
    lines after it; blank lines before the first line belong to the first step. ``render`` is concatenation, so
    ``render(segment(t)) == t`` for every text, and a step rewritten in place changes nothing around it.
    """

    def segment(self, text: str, *, origin: Origin = "cached") -> list[Step]:
        parts: list[str] = []
        lead = ""
        for line in text.splitlines(keepends=True):
            if line.strip():
                parts.append(lead + line)
                lead = ""
            elif parts:
                parts[-1] += line
            else:
                lead += line
        if lead:  # nothing but blank lines
            parts.append(lead)
        return [Step(i, p, origin) for i, p in enumerate(parts)]

    def render(self, steps: Sequence[Step]) -> str:
        return "".join(s.text for s in steps)


class ParagraphSegmenter:
    """Numbered items when the text has them, else blank-line separated paragraphs."""

    _ITEM = re.compile(r"^\s*(?:\d+[.)]|[-*•])\s+", re.MULTILINE)

    def segment(self, text: str, *, origin: Origin = "cached") -> list[Step]:
        if len(self._ITEM.findall(text)) >= 2:
            starts = [m.start() for m in self._ITEM.finditer(text)]
            head = text[: starts[0]].strip()
            parts = ([head] if head else []) + [text[a:b].strip() for a, b in zip(starts, starts[1:] + [len(text)])]
        else:
            parts = [p.strip() for p in re.split(r"\n\s*\n", text)]
        return [Step(i, p, origin) for i, p in enumerate(p for p in parts if p)]

    def render(self, steps: Sequence[Step]) -> str:
        sep = "\n" if any(self._ITEM.match(s.text) for s in steps) else "\n\n"
        return sep.join(s.text for s in steps)


def find_json_object(text: str) -> dict[str, Any] | None:
    """The first JSON object in ``text`` (models often wrap it in prose or fences)."""
    decoder = json.JSONDecoder()
    for m in re.finditer(r"\{", text):
        try:
            value, _ = decoder.raw_decode(text, m.start())
        except (json.JSONDecodeError, RecursionError):
            continue
        if isinstance(value, dict):
            return value
    return None


class JsonObjectSegmenter:
    """The one JSON object of an output, one step per top-level key.

    Text without a JSON object becomes a single step with ``key=None`` (which the
    JSON verifier rejects), so malformed output is a failed check, never a crash.
    """

    def segment(self, text: str, *, origin: Origin = "cached") -> list[Step]:
        obj = find_json_object(text)
        if obj is None:
            return [Step(0, text, origin)]
        return [Step(i, json.dumps({k: v}, ensure_ascii=False), origin, key=k, value=v) for i, (k, v) in enumerate(obj.items())]

    def render(self, steps: Sequence[Step]) -> str:
        if any(s.key is None for s in steps):
            return "\n".join(s.text for s in steps)
        return json.dumps({s.key: s.value for s in steps}, ensure_ascii=False)
