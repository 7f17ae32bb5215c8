"""The JSON task's prompts: few-shot extraction, values generated under an extractive grammar (spans of the text)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from ...segment import JsonObjectSegmenter, find_json_object
from ...values import GenerationSpec, Step, Verdict
from .parse import JsonProblem, source_text
from .text import clauses, name_runs, overlaps, plausible_span

__all__ = ["JsonPrompter"]


_FEW_SHOT = """Extract the requested fields from the text as one JSON object. Use values exactly as written in the text.

Text: Maria Lopez, 34, works as a nurse in Madrid.
Keys: name, age, city
JSON: {"name": "Maria Lopez", "age": 34, "city": "Madrid"}

Text: The Nordik kettle sells for 40 dollars at the Oslo store.
Keys: product, brand, store
JSON: {"product": "kettle", "brand": "Nordik", "store": "Oslo"}

Text: The wine festival in Porto drew 800 guests. Order #5521 of 3 chairs ships to Lima.
Keys: event, guests, order_id, destination
JSON: {"event": "wine festival", "guests": 800, "order_id": "#5521", "destination": "Lima"}

"""


def _keys_line(problem: JsonProblem, keys: Sequence[str]) -> str:
    return ", ".join(keys)


def _name_parts(words: list[str]) -> set[tuple[int, int]]:
    """(start, end) of the sub-spans of names that are not offered: a person's name is offered whole."""
    parts: set[tuple[int, int]] = set()
    for i, j, parts_ok in name_runs(words):
        if not parts_ok:
            parts |= {(a, b) for a in range(i, j) for b in range(a + 1, j + 1) if (a, b) != (i, j)}
    return parts


def _spans(text: str, max_words: int = 4, limit: int = 400) -> list[str]:
    """Word spans of ``text`` that could be a field value, shortest first; none crosses a clause boundary."""
    parts = clauses(text)
    out: dict[str, None] = {}
    for n in range(1, max_words + 1):
        for words in parts:
            cut = _name_parts(words)
            for i in range(len(words) - n + 1):
                if (i, i + n) not in cut:
                    out.setdefault(" ".join(words[i : i + n]), None)
                if len(out) >= limit:
                    return list(out)
    return list(out)


def _extractive(prop: Any, text: str, avoid: Sequence[Any] = ()) -> Any:
    """Restrict a property to what the text states: word spans for strings, its numbers for integers, at any
    depth (a nested object's fields, a list's items).

    Spans that overlap a value in ``avoid`` (the kept fields of a patch) are left out: the verifier
    would reject them as a clash anyway."""
    if not isinstance(prop, dict) or "enum" in prop or "const" in prop:
        return prop
    kind = prop.get("type")
    # a nested object's fields and a list's items are values of the text too: a free string inside them lets a
    # small model ramble until its token limit, with nothing to verify
    if kind == "object" and isinstance(prop.get("properties"), dict):
        return {**prop, "properties": {k: _extractive(v, text, avoid) for k, v in prop["properties"].items()}}
    if kind == "array" and isinstance(prop.get("items"), dict):
        return {**prop, "items": _extractive(prop["items"], text, avoid)}
    if kind == "string" and not prop.get("format") and not prop.get("pattern"):
        spans = [
            s
            for s in _spans(text)
            if plausible_span(s) and not s.replace(".", "").isdigit() and not any(overlaps(s, v) for v in avoid)
        ]
        return {**prop, "enum": spans} if spans else prop
    if kind == "integer":
        numbers = sorted({int(n.replace(",", "")) for n in re.findall(r"(?<![\w\-])\d[\d,]*(?![\w.]\d)", text)})
        return {"enum": numbers} if numbers else prop
    return prop


def _subschema(
    problem: JsonProblem, keys: Sequence[str], *, extractive: bool = False, avoid: Sequence[Any] = ()
) -> dict[str, Any] | None:
    """The schema restricted to ``keys``; ``extractive`` also restricts values to spans of the text,
    so a repaired value is grounded by construction (verification still judges the choice)."""
    if problem.schema is None:
        return None
    props = problem.schema.get("properties", {})
    text = source_text(problem)
    return {
        "type": "object",
        "properties": {k: _extractive(props.get(k, {}), text, avoid) if extractive else props.get(k, {}) for k in keys},
        "required": list(keys),
        "additionalProperties": False,
    }


class JsonPrompter:
    """The caller's prompt on a miss (few-shot framing for base models); patches ask only for the failing keys."""

    max_tokens = 160

    def generate(self, problem: JsonProblem) -> GenerationSpec:
        keys = list(problem.properties)
        # extractive from the start: verification demands values stated in the text, so the grammar offers only those
        spec = _subschema(problem, keys, extractive=True) or problem.schema
        base = GenerationSpec(self._prompt(problem, keys), self.max_tokens, ("\n\n", "\nText:"), spec, "generate")
        # a chat model gets the caller's prompt as it is; a base model the few-shot framing, under the grammar
        return GenerationSpec(problem.prompt, 4 * self.max_tokens, (), problem.schema, "generate", base=base)

    def _failing_keys(self, problem: JsonProblem, steps: Sequence[Step], verdicts: Sequence[Verdict]) -> list[str]:
        present = {s.key for s in steps if s.key is not None}
        failing = [v.key for v in verdicts if not v.ok and v.key]
        missing = [k for k in problem.properties if k not in present and (k in problem.required or problem.schema is not None)]
        keys = list(dict.fromkeys([k for k in failing if k in problem.properties or problem.schema is None] + missing))
        return keys

    def patch(self, problem: JsonProblem, steps: Sequence[Step], verdicts: Sequence[Verdict]) -> GenerationSpec:
        keys = self._failing_keys(problem, steps, verdicts)
        if not keys or any(s.key is None for s in steps):
            return self.generate(problem)
        schema = _subschema(problem, keys, extractive=True, avoid=[st.value for st in steps if st.key not in keys])
        base = GenerationSpec(self._prompt(problem, keys), self.max_tokens, ("\n\n", "\nText:"), schema, "patch")
        # a chat model gets an instruction naming the keys; a base model the few-shot framing
        return GenerationSpec(self._instruction(problem, keys), 4 * self.max_tokens, (), schema, "patch", base=base)

    def merge(self, problem: JsonProblem, steps: Sequence[Step], verdicts: Sequence[Verdict], generated: str) -> list[Step]:
        patch = find_json_object(generated) or {}
        keys = self._failing_keys(problem, steps, verdicts)
        if any(s.key is None for s in steps):
            return JsonObjectSegmenter().segment(generated, origin="generated")
        bad = set(keys) | {v.key for v in verdicts if not v.ok and v.key}
        merged: dict[str, tuple[Any, str]] = {}
        for s in steps:
            assert s.key is not None
            if s.key not in bad:
                merged[s.key] = (s.value, s.origin)
        for k in keys:
            if k in patch:
                merged[k] = (patch[k], "generated")
        order = {k: i for i, k in enumerate(problem.properties)}
        items = sorted(merged.items(), key=lambda kv: order.get(kv[0], len(order)))
        return [
            Step(i, json.dumps({k: v}, ensure_ascii=False), origin, k, v)  # type: ignore[arg-type]
            for i, (k, (v, origin)) in enumerate(items)
        ]

    def repair(self, problem: JsonProblem, text: str, verdict: Verdict) -> GenerationSpec | None:
        keys = list(problem.properties)
        prompt = (
            self._prompt(problem, keys).rstrip("JSON: ")
            + f"\nA previous answer was rejected: {verdict.reason}\nRejected: {text.strip()[:300]}\nJSON: "
        )
        schema = _subschema(problem, keys, extractive=True) or problem.schema
        base = GenerationSpec(prompt, self.max_tokens, ("\n\n", "\nText:"), schema, "repair")
        said = f"A previous answer was rejected because {verdict.reason}:\n{text.strip()[:300]}\n\n"
        return GenerationSpec(said + self._instruction(problem, keys), 4 * self.max_tokens, (), schema, "repair", base=base)

    @staticmethod
    def _instruction(problem: JsonProblem, keys: Sequence[str]) -> str:
        """The chat model's instruction: the text, the keys, values copied from the text."""
        return (
            f"Text: {' '.join(problem.text.split())}\n\n"
            f"Return one JSON object with exactly these keys: {_keys_line(problem, keys)}. Copy every value exactly as "
            "the text writes it. Answer with the JSON object only."
        )

    @staticmethod
    def _prompt(problem: JsonProblem, keys: Sequence[str]) -> str:
        return f"{_FEW_SHOT}Text: {' '.join(problem.text.split())}\nKeys: {_keys_line(problem, keys)}\nJSON: "
