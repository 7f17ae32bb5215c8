import json

import pytest

from stepcache_core.bench.judge import is_correct
from stepcache_core.bench.runner import render_markdown, summarize
from stepcache_core.bench.systems import ExactCache, NoCache, SemanticCache
from stepcache_core.bench.workload import PERTURBATIONS, build_workload, read_workload, write_workload
from stepcache_core.errors import ConfigError
from stepcache_core.fakes import HashEmbedder, ScriptedBackend
from stepcache_core.tasks import builtin_tasks
from stepcache_core.values import Request


def test_workload_is_deterministic_complete_and_parsable(tmp_path):
    rows = build_workload(42)
    assert rows == build_workload(42) and rows != build_workload(43)
    assert {r["perturbation"] for r in rows if not r["warmup"]} == set(PERTURBATIONS)
    tasks = builtin_tasks()
    for r in rows:
        problem = tasks.get(r["task"]).parse(Request(r["prompt"], task=r["task"], schema=r.get("schema")))
        if r["task"] == "linear_equation":
            want = r["expected"].get("values") or [r["expected"]["value"]]
            assert sorted(str(s) for s in problem.solutions) == sorted(want), r
    path = tmp_path / "w.jsonl"
    write_workload(rows, path)
    assert read_workload(path) == rows


def test_read_workload_rejects_bad_lines(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"id": 1}\n')
    with pytest.raises(ConfigError):
        read_workload(p)


def test_judge_reads_only_the_served_text():
    lin = {"task": "linear_equation", "expected": {"variable": "x", "value": "11/4"}}
    assert is_correct(lin, "4x = 11\nx = 11/4") and is_correct(lin, "x = 2.75")
    assert not is_correct(lin, "x = 3") and not is_correct(lin, None)
    js = {"task": "json_extraction", "expected": {"name": "Ann", "age": 3}}
    assert is_correct(js, '{"name": "ann", "age": 3}') and not is_correct(js, '{"name": "Ann"}')


def test_baselines_and_summary_on_a_scripted_backend():
    rows = build_workload(1, k=1, groups=1)
    backend = ScriptedBackend(respond=lambda spec: "x = 1")
    systems = [NoCache(backend), ExactCache(backend), SemanticCache(backend, HashEmbedder())]
    from stepcache_core.bench.runner import run_systems

    results = run_systems(systems, rows, progress=False)
    exact = [r for r in results if r["system"] == "exact" and r["perturbation"] == "exact"]
    assert exact and all(r["path"] == "reuse" and r["prompt_tokens"] == 0 for r in exact)
    summary = summarize(
        results, {"date": "d", "machine": "m", "backend": "b", "seeds": [1], "scored_per_system": 1, "warmup_per_system": 1}
    )
    assert set(summary["systems"]) == {"none", "exact", "semantic"}
    assert "| none |" in render_markdown(summary)
    json.dumps(summary)


def test_report_merges_result_files(tmp_path):
    from stepcache_core.cli import main

    def line(system, rid, correct, seed):
        return json.dumps(
            {
                "system": system,
                "id": rid,
                "task": "linear_equation",
                "perturbation": "numeric",
                "warmup": False,
                "path": "miss",
                "output": "x = 1",
                "latency_s": 1.0,
                "backend_s": 0.9,
                "prompt_tokens": 10,
                "completion_tokens": 5,
                "verified": True,
                "correct": correct,
                "error": None,
                "seed": seed,
            }
        )

    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text(line("none", "r1", False, 42) + "\n" + line("stepcache", "r1", True, 42) + "\n")
    b.write_text(line("none", "r1", True, 43) + "\n" + line("stepcache", "r1", True, 43) + "\n")
    assert main(["report", str(a), str(b), "--out", str(tmp_path / "out"), "--no-plots"]) == 0
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["systems"]["none"]["correctness"] == 0.5 and summary["systems"]["stepcache"]["n"] == 2
    assert summary["targets"]["tokens_ratio"] == 1.0


def test_judge_uses_squad_normalisation_for_strings():
    js = {"task": "json_extraction", "expected": {"event": "book fair"}}
    assert is_correct(js, '{"event": "The Book Fair."}') and not is_correct(js, '{"event": "fair"}')


def test_the_shapes_workload_is_unseen_scored_cold_and_stated_by_its_texts(tmp_path):
    """Every shape's values are in its text, whole (phones, codes, hyphenated names), and every row is scored."""
    from jsonschema import validate

    from stepcache_core.bench.shapes import SHAPES, build_shapes

    rows = build_shapes(42, k=2)
    assert rows == build_shapes(42, k=2) and len(rows) == len(SHAPES) * (1 + 3 * 2)
    assert not any(r["warmup"] for r in rows)
    from stepcache_core.bench.workload import _entities

    seen_kinds = {e["kind"] for e in _entities()}
    assert not {r["group"].removeprefix("shape-") for r in rows} & seen_kinds
    tasks = builtin_tasks()

    def leaves(v):
        if isinstance(v, dict):
            return [x for y in v.values() for x in leaves(y)]
        if isinstance(v, list):
            return [x for y in v for x in leaves(y)]
        return [v]

    for r in rows:
        tasks.get("json_extraction").parse(Request(r["prompt"], task=r["task"], schema=r["schema"]))
        validate(r["expected"], r["schema"])
        for value in leaves(r["expected"]):
            if not isinstance(value, bool):
                assert str(value) in r["prompt"], (r["id"], value)
    path = tmp_path / "s.jsonl"
    write_workload(rows, path)
    assert read_workload(path) == rows


def test_the_judge_compares_nested_values_field_by_field():
    js = {"task": "json_extraction", "expected": {"to": "Ann", "address": {"city": "Lyon", "lines": ["12 Rue A", "B"]}}}
    assert is_correct(js, '{"to": "ann", "address": {"city": "lyon", "lines": ["12 rue a", "b"]}}')
    assert not is_correct(js, '{"to": "Ann", "address": {"city": "Lyon", "lines": ["12 Rue A"]}}')


def test_a_bench_route_whose_package_is_missing_names_it_and_its_extra():
    from importlib.metadata import EntryPoint

    from stepcache_core.bench import plugins

    route = EntryPoint(name="langchain", value="stepcache_no_such_package.bench:main", group=plugins.FORMATS)
    done = plugins.run(route, timeout=120)
    assert done.returncode == plugins.MISSING_PACKAGE, done.stderr
    assert "'stepcache_no_such_package'" in done.stderr and "pip install 'stepcache[langchain]'" in done.stderr
    assert "Traceback" not in done.stderr
    with pytest.raises(ConfigError):
        plugins.routes("stepcache.bench_nothing")
