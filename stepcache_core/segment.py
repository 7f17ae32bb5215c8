"""Segmentation stage: split an output into ordered steps, and render steps back."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from .values import Origin, Step

__all__ = [
    "LineSegmenter",
    "LayoutSegmenter",
    "JsonObjectSegmenter",
    "ParagraphSegmenter",
    "find_json_object",
    "locate_json_object",
]

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

    def render_like(self, original: str, steps: Sequence[Step]) -> str:
        """``steps`` in ``original``'s wrapper and formatting: the text around the object (a sentence, a fence)
        and every value that did not change stay byte-identical; a changed value is written in place. When the
        keys changed, the object is written again in the original's indentation, inside the same wrapper."""
        if any(s.key is None for s in steps):
            return self.render(steps)
        found = locate_json_object(original)
        if found is None:
            return self.render(steps)
        start, end, spans = found
        new = {str(s.key): s.value for s in steps}
        if list(new) != [k for k, _, _, _ in spans]:
            return original[:start] + _dump_in_style(new, original[start:end]) + original[end:]
        out = original[start:end]
        for key, a, b, old in reversed(spans):
            if new[key] != old or type(new[key]) is not type(old):
                out = out[: a - start] + _dump_like(new[key], original, a, b) + out[b - start :]
        # the wrapper's prose may name a value ("Here is Maria Lopez's record:"): it follows the value
        renamed = [
            (old, new[key]) for key, _, _, old in spans if isinstance(old, str) and isinstance(new[key], str) and old != new[key]
        ]
        head, tail = original[:start], original[end:]
        for old_value, new_value in renamed:
            if len(old_value) >= 3:
                pattern = re.compile(rf"(?<!\w){re.escape(old_value)}(?!\w)")
                literal = new_value.replace("\\", "\\\\")  # a replacement string, not a template
                head, tail = pattern.sub(literal, head), pattern.sub(literal, tail)
        return head + out + tail


def locate_json_object(text: str) -> tuple[int, int, list[tuple[str, int, int, Any]]] | None:
    """Where the first JSON object of ``text`` is, and each top-level value's span: ``(start, end, [(key, a, b,
    value)])``."""
    decoder = json.JSONDecoder()
    for m in re.finditer(r"\{", text):
        try:
            value, end = decoder.raw_decode(text, m.start())
        except (json.JSONDecodeError, RecursionError):
            continue
        if not isinstance(value, dict):
            continue
        spans: list[tuple[str, int, int, Any]] = []
        pos = m.start() + 1
        try:
            while True:
                pos = _skip(text, pos)
                if text[pos] == "}":
                    break
                key, pos = decoder.raw_decode(text, pos)
                pos = _skip(text, pos)
                pos = _skip(text, pos + 1)  # the ':'
                item, after = decoder.raw_decode(text, pos)
                spans.append((key, pos, after, item))
                pos = _skip(text, after)
                if text[pos] == ",":
                    pos += 1
        except (json.JSONDecodeError, IndexError, RecursionError):
            return None
        return m.start(), end, spans
    return None


def _dump_like(value: Any, original: str, a: int, b: int) -> str:
    """``value`` written as the value it replaces at ``original[a:b]`` was: on one line, or indented over
    several lines from the column of the line it starts on."""
    ascii_only = "\\u" in original[a:b]
    raw = original[a:b]
    if "\n" not in raw or not isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=ascii_only)
    line_start = original.rfind("\n", 0, a) + 1
    base = re.match(r"[ \t]*", original[line_start:a])
    pad = base.group() if base else ""
    inner = re.search(r"\n([ \t]+)", raw)
    unit = len(inner.group(1)) - len(pad) if inner and len(inner.group(1)) > len(pad) else 2
    dumped = json.dumps(value, ensure_ascii=ascii_only, indent=unit)
    return dumped.replace("\n", "\n" + pad)


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _dump_in_style(obj: dict[str, Any], original: str) -> str:
    if "\n" not in original:
        return json.dumps(obj, ensure_ascii=False)
    m = re.search(r"\n([ \t]+)\"", original)
    indent: int | str = len(m.group(1)) if m and set(m.group(1)) == {" "} else (m.group(1) if m else 2)
    return json.dumps(obj, ensure_ascii=False, indent=indent)
