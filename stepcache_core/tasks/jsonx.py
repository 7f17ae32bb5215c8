"""The ``json_extraction`` task: one JSON object, valid for the request's schema, values from its text."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import InvalidRequestError, InvalidSchemaError
from ..segment import JsonObjectSegmenter, find_json_object
from ..values import GenerationSpec, Request, Step, Verdict, canonical_json
from ..verify.jsonout import JsonProblem, JsonVerifier, clauses, grounded, name_runs, overlaps, plausible_span, validator_for
from .base import AdaptContext, RepairPolicy, TaskProfile, mask_numbers

__all__ = ["json_extraction_task", "parse_json_problem", "JsonAdapter", "JsonFixer", "JsonGate", "JsonPrompter"]

_DETECT = re.compile(r"\bjson\b", re.IGNORECASE)
# words keep inner dots and dashes ("A-1042", "3.5") but not a sentence's final period ("Lyon.")
_WORD = re.compile(r"[\w@+\-/'.]*\w|[^\w\s]")
_TYPES = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "array": list, "object": dict}


def parse_json_problem(request: Request) -> JsonProblem:
    schema = dict(request.schema) if request.schema is not None else None
    if schema is not None:
        if not isinstance(schema, dict):
            raise InvalidSchemaError("schema must be a JSON object")
        validator_for(schema)  # raises InvalidSchemaError
        if schema.get("type", "object") != "object":
            raise InvalidSchemaError("json_extraction needs a schema whose type is 'object'")
    props = tuple((schema or {}).get("properties", {}) or ())
    required = tuple(dict.fromkeys(tuple((schema or {}).get("required", ()) or ()) + tuple(request.required_keys)))
    if not props and not required:
        raise InvalidRequestError("json_extraction needs a schema with properties or required_keys")
    types = {k: str(v.get("type", "")) for k, v in ((schema or {}).get("properties", {}) or {}).items() if isinstance(v, dict)}
    return JsonProblem(
        prompt=request.prompt,
        text=request.prompt,
        schema=schema,
        required=required,
        properties=props or required,
        types=types,
    )


def detect(request: Request) -> bool:
    return request.schema is not None or bool(request.required_keys) or bool(_DETECT.search(request.prompt))


class JsonGate:
    """Another kind of entity (most keys differ) or another output type means no reuse."""

    def __init__(self, min_key_overlap: float = 0.5) -> None:
        self.min_key_overlap = min_key_overlap

    def compatible(self, old: JsonProblem, new: JsonProblem) -> Verdict:
        a, b = set(old.properties), set(new.properties)
        overlap = len(a & b) / max(1, len(a | b))
        renamed = len(a - b) == len(b - a) == 1
        if overlap < self.min_key_overlap and not (renamed and len(a) >= 2 and overlap >= 0.3):
            return Verdict(False, f"schema keys changed too much (overlap {overlap:.2f})")
        for k in a & b:
            if old.types.get(k) != new.types.get(k):
                return Verdict(False, f"type of {k!r} changed")
        return Verdict.passed()


def _is_number(token: str) -> bool:
    return token.replace(",", "").replace(".", "", 1).isdigit()


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text)


class JsonAdapter:
    """Renames keys, drops removed keys and carries value changes over from the text diff.

    A key present only in the new schema takes the value of a key present only
    in the old one when they sit at the same position with the same type and
    their names are similar (embedding similarity, when available). A value
    whose words were replaced in the request text (``Alice`` -> ``Bob``) is
    replaced the same way. Everything else is left for verification to judge.
    """

    def __init__(self, min_name_similarity: float = 0.55) -> None:
        self.min_name_similarity = min_name_similarity

    def adapt(self, old: JsonProblem, new: JsonProblem, steps: Sequence[Step], ctx: AdaptContext) -> list[Step]:
        if any(s.key is None for s in steps):
            return list(steps)
        renames = self._renames(old, new, ctx, {s.key: s.value for s in steps if s.key is not None})
        replacements = self._replacements(old.text, new.text)
        out: list[Step] = []
        for s in steps:
            assert s.key is not None
            key = renames.get(s.key, s.key)
            if key not in new.properties and new.schema is not None:
                continue  # removed from the schema
            value = self._replace(s.value, replacements, new.text)
            if (
                value == s.value
                and not isinstance(value, (bool, list, dict))
                and value is not None
                and not grounded(value, new.text)
            ):
                # the diff did not line up (clauses moved): find the value by the words around it
                value = _by_anchors(value, source_text(old), source_text(new))
            if key != s.key or value != s.value:
                out.append(Step(len(out), json.dumps({key: value}, ensure_ascii=False), "adapted", key, value))
            else:
                out.append(Step(len(out), s.text, s.origin, s.key, s.value))
        # order as in the new schema
        order = {k: i for i, k in enumerate(new.properties)}
        out.sort(key=lambda st: order.get(st.key or "", len(order)))
        return [Step(i, st.text, st.origin, st.key, st.value) for i, st in enumerate(out)]

    def _renames(self, old: JsonProblem, new: JsonProblem, ctx: AdaptContext, values: Mapping[str, Any]) -> dict[str, str]:
        gone = [k for k in old.properties if k not in new.properties]
        added = [k for k in new.properties if k not in old.properties]
        renames: dict[str, str] = {}
        for g in gone:
            pos = old.properties.index(g)
            for a in added:
                if a in renames.values():
                    continue
                same_pos = pos < len(new.properties) and new.properties[pos] == a
                same_type = old.types.get(g) == new.types.get(a)
                if not (same_pos and same_type):
                    continue
                similar = (
                    ctx.similarity is None or ctx.similarity(g.replace("_", " "), a.replace("_", " ")) >= self.min_name_similarity
                )
                # names the embedding can't vouch for (origin -> departure) still rename when the text
                # itself labels the value with the new name ("departs from Denver")
                if not (similar or _labelled(a, values.get(g), source_text(old))):
                    continue
                renames[g] = a
        return renames

    @staticmethod
    def _replacements(old_text: str, new_text: str) -> dict[str, str]:
        a, b = _tokens(old_text), _tokens(new_text)
        out: dict[str, str] = {}
        matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "replace" and i2 - i1 <= 6 and j2 - j1 <= 6:
                out[" ".join(a[i1:i2]).casefold()] = " ".join(b[j1:j2])
            if op == "replace":
                # an edited clause often starts or ends with the changed number: "31" -> "45, a chef,"
                for x, y in ((a[i1], b[j1]), (a[i2 - 1], b[j2 - 1])):
                    if _is_number(x) and _is_number(y):
                        out[x.casefold()] = y
        return out

    def _replace(self, value: Any, replacements: Mapping[str, str], text: str) -> Any:
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, (int, float)):
            new = replacements.get(str(value).casefold())
            if new is not None:
                try:
                    return type(value)(new.replace(",", ""))
                except ValueError:
                    return value
            return value
        if isinstance(value, str):
            # the diff first: "departs from Denver ... lands in Bergen" -> "departs from Valencia ... lands in
            # Denver" replaces this "Denver", even though the new text still says "Denver" elsewhere
            key = " ".join(_tokens(value)).casefold()
            if key in replacements:
                return replacements[key]
            if grounded(value, text):
                return value
            # a value spanning an edit: substitute the replaced words inside it
            words = _tokens(value)
            swapped = [replacements.get(w.casefold(), w) for w in words]
            if swapped != words:
                candidate = " ".join(swapped)
                return candidate if grounded(candidate, text) else value
            return value
        if isinstance(value, list):
            return [self._replace(v, replacements, text) for v in value]
        return value


class JsonFixer:
    """Trims a string value that swallowed another field's value at its start or end.

    Small models often answer ``"product": "Altair toaster", "brand": "Altair"``;
    the rest of the swallowing value ("toaster") is then the field's own part.
    The trimmed value is verified like any other (a unit such as "minutes" left
    from "115 minutes" fails, and the field goes to patching).
    """

    def fix(self, problem: JsonProblem, steps: Sequence[Step], verdicts: Sequence[Verdict]) -> list[Step] | None:
        if any(s.key is None for s in steps):
            return None
        failing = {v.key for v in verdicts if not v.ok and v.key}
        values = {s.key: s.value for s in steps}
        out: list[Step] = []
        changed = False
        for s in steps:
            value = s.value
            if s.key in failing and isinstance(value, str):
                for other_key, other in values.items():
                    if other_key == s.key or isinstance(other, bool) or other is None:
                        continue
                    rest = _trim(value, str(other))
                    if rest is not None:
                        value = rest
                        break
            if value != s.value:
                changed = True
                out.append(Step(s.index, json.dumps({s.key: value}, ensure_ascii=False), "generated", s.key, value))
            else:
                out.append(s)
        return out if changed else None


def _trim(value: str, part: str) -> str | None:
    words, cut = value.split(), part.split()
    n = len(cut)
    if not cut or n >= len(words):
        return None
    folded = [w.casefold() for w in words]
    target = [w.casefold() for w in cut]
    if folded[:n] == target:
        return " ".join(words[n:])
    if folded[-n:] == target:
        return " ".join(words[:-n])
    return None


_LINK_WORDS = frozenset("from to by in at of for on with as".split())


def _occurrences(words: Sequence[str], value: str) -> list[int]:
    """Where the words of ``value`` stand in ``words`` (case-insensitive)."""
    want = [w.casefold() for w in _WORD.findall(value)]
    n = len(want)
    folded = [w.casefold() for w in words]
    return [i for i in range(len(folded) - n + 1) if folded[i : i + n] == want] if n else []


def _stem(word: str) -> str:
    return word if len(word) <= 4 else word[: max(4, len(word) - 3)]


def _labelled(key: str, value: Any, text: str) -> bool:
    """Whether the text names ``value`` with a word of ``key``: the word just before it (or before
    one linking word: "departs from Denver", "written by Lena Vogel") or just after it ("2703 visitors")."""
    if value is None or isinstance(value, (bool, list, dict)):
        return False
    stems = [_stem(w) for w in key.casefold().replace("-", "_").split("_") if len(w) >= 3]
    words = [w.casefold() for w in _WORD.findall(text)]
    n = len(_WORD.findall(str(value)))
    if not stems:
        return False
    for i in _occurrences(words, str(value)):
        near = [words[i - 1]] if i > 0 else []
        if near and near[0] in _LINK_WORDS and i > 1:
            near.append(words[i - 2])
        if i + n < len(words):
            near.append(words[i + n])
        if any(w.startswith(stem) for w in near for stem in stems):
            return True
    return False


def _shape(token: str) -> str:
    if _is_number(token):
        return "9"
    return "A" if token[:1].isupper() else "a"


def _by_anchors(value: Any, old_text: str, new_text: str) -> Any:
    """The new text's counterpart of ``value``, found by the words around it in the old text.

    ``"ships to Valencia with UPS"`` -> ``"Shipping to Osaka with UPS"`` gives ``"Osaka"``: a span
    of the same shape (word count, capitalisation, number or not) between the same neighbours.
    Both neighbours must match, or one when exactly one span of that shape sits next to it;
    anything ambiguous leaves the value unchanged (verification then sends it to patching).
    """
    is_int = isinstance(value, int)
    old = _WORD.findall(old_text)
    new = _WORD.findall(new_text)
    n = len(_WORD.findall(str(value)))
    hits = _occurrences(old, str(value))
    if len(hits) != 1:
        return value
    i = hits[0]
    left = old[i - 1].casefold() if i > 0 else None
    right = old[i + n].casefold() if i + n < len(old) else None
    shape = [_shape(t) for t in old[i : i + n]]
    both: list[str] = []
    one: list[str] = []
    for j in range(len(new) - n + 1):
        span = new[j : j + n]
        if [_shape(t) for t in span] != shape:
            continue
        lm = left is not None and j > 0 and new[j - 1].casefold() == left
        rm = right is not None and j + n < len(new) and new[j + n].casefold() == right
        text = " ".join(span)
        if lm and rm:
            both.append(text)
        elif lm or rm:
            one.append(text)
    found = both if both else one
    if len(set(found)) != 1:
        return value
    if is_int:
        try:
            return int(found[0].replace(",", ""))
        except ValueError:
            return value
    return found[0]


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


def source_text(problem: JsonProblem) -> str:
    """The text the values come from: after the last 'Text:' when the prompt has one."""
    head, sep, tail = problem.text.rpartition("Text:")
    return tail if sep else problem.text


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
    """Restrict a scalar property to what the text states: word spans for strings, its numbers for integers.

    Spans that overlap a value in ``avoid`` (the kept fields of a patch) are left out: the verifier
    would reject them as a clash anyway."""
    if not isinstance(prop, dict) or "enum" in prop or "const" in prop:
        return prop
    kind = prop.get("type")
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
    """Few-shot extraction prompts; patches ask only for the failing keys."""

    max_tokens = 160

    def generate(self, problem: JsonProblem) -> GenerationSpec:
        keys = list(problem.properties)
        # extractive from the start: verification demands values stated in the text, so the grammar offers only those
        spec = _subschema(problem, keys, extractive=True) or problem.schema
        return GenerationSpec(self._prompt(problem, keys), self.max_tokens, ("\n\n", "\nText:"), spec, "generate")

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
        return GenerationSpec(
            self._prompt(problem, keys),
            self.max_tokens,
            ("\n\n", "\nText:"),
            _subschema(problem, keys, extractive=True, avoid=[st.value for st in steps if st.key not in keys]),
            "patch",
        )

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
        return GenerationSpec(
            prompt, self.max_tokens, ("\n\n", "\nText:"), _subschema(problem, keys, extractive=True) or problem.schema, "repair"
        )

    @staticmethod
    def _prompt(problem: JsonProblem, keys: Sequence[str]) -> str:
        return f"{_FEW_SHOT}Text: {' '.join(problem.text.split())}\nKeys: {_keys_line(problem, keys)}\nJSON: "


def json_extraction_task() -> TaskProfile:
    return TaskProfile(
        name="json_extraction",
        parse=parse_json_problem,
        detect=detect,
        segmenter=JsonObjectSegmenter(),
        prompter=JsonPrompter(),
        gate=JsonGate(),
        verifier=JsonVerifier(),
        adapter=JsonAdapter(),
        solver=None,
        fixer=JsonFixer(),
        repair=RepairPolicy(patch_attempts=1, feedback_repairs=1, full_regenerations=1),
        retrieval_text=mask_numbers,
        signature=lambda p: canonical_json([list(p.properties), dict(p.types), sorted(p.required)]),
    )
