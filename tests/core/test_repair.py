"""The repair stage (``stepcache_core.repair``): the ladder of rungs and the memory of structures whose repairs fail.

Classes of input: a wrong answer that a patch mends, a wrong answer that only the deterministic solver mends, a
ladder replaced by a subclass, and structures whose model repairs keep failing.
"""

from __future__ import annotations

import pytest

from stepcache_core import Request, UnverifiedOutputError
from stepcache_core.intake import RunLog
from stepcache_core.repair import Attempt, Repaired, RepairLadder, RepairMemory

BASE = "Solve for x: 3x + 5 = 20"


def _attempt(engine, text: str):
    run = RunLog()
    prep = engine.prepare(Request(BASE), run)
    steps = engine.verification.segment(prep.profile, text, "generated")
    ok, whole, verdicts = engine.verification.steps(prep, steps, run)
    assert not ok
    return prep, run, Attempt(steps, verdicts, whole, text)


def test_the_ladder_of_each_task_cheapest_first(make_engine):
    engine, _ = make_engine()
    ladder = engine.repairs
    names = {}
    for prompt, schema in (
        (BASE, None),
        ("Extract as JSON. Text: Ann is 30.", {"type": "object", "properties": {"name": {"type": "string"}}}),
        ("Hello there", None),
    ):
        prep = engine.prepare(Request(prompt, schema=schema), RunLog())
        names[prep.profile.name] = ([r.name for r in ladder.rungs(prep, False)], [r.name for r in ladder.rungs(prep, True)])
    assert names["linear_equation"] == (["patch", "solve"], ["patch", "solve"])  # a wrong line is patched, never regenerated
    assert names["json_extraction"][0][0] == "fix" and "regenerate" not in names["json_extraction"][1]
    assert names["text"] == ([], [])


def test_a_patch_mends_from_the_first_failing_step_and_the_solver_is_last(make_engine):
    engine, backend = make_engine(["x = 5"])
    prep, run, attempt = _attempt(engine, "3x = 15\nx = 6")
    result = engine.repairs.repair(prep, run, backend, attempt, selective=True)
    assert isinstance(result, Repaired) and result.fallback is None and run.calls == 1
    assert [s.text.strip() for s in result.steps] == ["3x = 15", "x = 5"]
    engine, backend = make_engine(default="x = 9")
    prep, run, attempt = _attempt(engine, "3x = 15\nx = 6")
    result = engine.repairs.repair(prep, run, backend, attempt, selective=False)
    assert isinstance(result, Repaired) and result.fallback == "deterministic" and run.calls == 1
    assert [s.origin for s in result.steps] == ["deterministic"] * 3 and result.steps[-1].text == "x = 5"


def test_a_ladder_subclass_changes_the_rungs(make_engine):
    class NoSolver(RepairLadder):
        def rungs(self, prep, selective):
            return [r for r in super().rungs(prep, selective) if r.name != "solve"]

    engine, backend = make_engine(default="x = 9")
    engine.repairs = NoSolver(engine.verification, engine.config)
    with pytest.raises(UnverifiedOutputError):
        engine.run(Request(BASE))
    assert [c.purpose for c in backend.calls] == ["generate", "patch"]


def test_the_memory_skips_a_failing_structure_then_tries_again(make_engine):
    engine, _ = make_engine()
    memory = RepairMemory(skips=2, size=1)
    prep = engine.prepare(Request(BASE), RunLog())
    other = engine.prepare(Request("Solve for y: 2y - 3 = 7 + y"), RunLog())
    assert not memory.skip(prep)
    memory.mark(prep, True)
    assert [memory.skip(prep) for _ in range(3)] == [True, True, False]
    memory.mark(prep, True)
    memory.mark(prep, False)  # a repair that worked clears it
    assert not memory.skip(prep)
    memory.mark(prep, True)
    memory.mark(other, True)  # size 1: the older structure is forgotten
    assert not memory.skip(prep) and memory.skip(other)
