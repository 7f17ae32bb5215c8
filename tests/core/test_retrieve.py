"""The retrieval stage (``stepcache_core.retrieve``): candidates by structure and by embedding, through the gate.

Classes of input: a same-structure request (found without embedding), a request of another structure (the gate
refuses it and says why), an unverified entry (never a candidate), and a replaced retriever.
"""

from __future__ import annotations

from stepcache_core import Request
from stepcache_core.intake import RunLog
from stepcache_core.retrieve import Retrieved, Retriever

BASE = "Solve for x: 3x + 5 = 20"


def test_by_signature_needs_no_embedding_and_passes_the_gate(make_engine):
    engine, _ = make_engine()
    assert engine.record(Request(BASE), "3x = 15\nx = 5")
    run = RunLog()
    prep = engine.prepare(Request("Solve for x: 3x + 8 = 29"), run)
    found = engine.retriever.by_signature(prep, run)
    assert found is not None and found[0].entry.prompt == BASE and found[0].similarity is None
    assert "embed" not in run.stages and run.vector is None
    run = RunLog()
    other = engine.prepare(Request("Solve for x: 3x + 5 = 20 - x"), run)
    assert engine.retriever.by_signature(other, run) is None


def test_by_embedding_keeps_what_passes_the_gate_and_says_why_not(make_engine):
    engine, _ = make_engine()
    assert engine.record(Request(BASE), "3x = 15\nx = 5")
    assert not engine.record(Request("Solve for x: 2x = 9"), "x = 5")  # wrong: not a candidate
    run = RunLog()
    prep = engine.prepare(Request("Solve for x: 3x + 5 = 20. Round to two decimals."), run)
    got = engine.retriever.by_embedding(prep, run)
    assert not got.chosen and got.nearest is not None and got.skip_reason
    assert run.vector is not None and engine.retriever.vector(prep, run) is run.vector
    run = RunLog()
    prep = engine.prepare(Request("Solve for x: 3x + 1 = 7"), run)
    got = engine.retriever.by_embedding(prep, run)
    assert [c.entry.prompt for c, _ in got.chosen] == [BASE]


def test_a_replaced_retriever_decides_what_is_reused(make_engine):
    class Nothing(Retriever):
        def by_structure(self, prep, run, n=4):
            return []

        def by_embedding(self, prep, run):
            return Retrieved()

    engine, backend = make_engine(["3x = 15\nx = 5", "3x = 6\nx = 2"])
    engine.run(Request(BASE))
    engine.retriever = Nothing(engine.store, engine.embedder, engine.config)
    out = engine.run(Request("Solve for x: 3x + 1 = 7"))
    assert out.trace.path == "miss" and len(backend.calls) == 2
