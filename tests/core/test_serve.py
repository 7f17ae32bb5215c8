"""Serving sessions (``stepcache_core.serve``): a caller-made call looked up, answered by the caller, recorded.

Classes of input: a hit, a miss whose answer verifies, a miss whose answer is wrong (never stored), an answer the
cache cannot keep (not one tool call), a hit the caller cannot deliver, a store that fails on lookup and on record,
a request the engine cannot take.
"""

from __future__ import annotations

import pytest

from stepcache_core import InvalidRequestError, Request, StoreError, open_session
from stepcache_core.fakes import MemoryStore
from stepcache_core.serve import replay_pieces

BASE = "Solve for x: 3x + 5 = 20"


class _DownStore(MemoryStore):
    """A store whose reads fail (a server that went away)."""

    def get(self, collection, entry_id):
        raise StoreError("store is down", location="test")


class _FullStore(MemoryStore):
    """A store whose writes fail (a full disk)."""

    def put(self, collection, entry, embedding):
        raise StoreError("disk full", location="test")


def test_a_miss_is_recorded_and_its_repeat_is_a_hit(make_engine):
    engine, backend = make_engine()
    session = open_session(engine, Request(BASE), streamed=True)
    assert session.hit is None and session.request.task == "linear_equation"
    for piece in replay_pieces("3x = 15\nx = 5"):
        session.feed(piece)
    trace = session.close(prompt_tokens=7, completion_tokens=4)
    assert trace.path == "miss" and trace.recorded and trace.verified and trace.streamed
    assert (trace.prompt_tokens, trace.completion_tokens, trace.backend_calls) == (7, 4, 1)
    again = open_session(engine, Request(BASE))
    assert again.hit is not None and again.hit.text == "3x = 15\nx = 5" and "".join(again.pieces()) == again.hit.text
    assert again.trace is again.hit.trace and not backend.calls
    with pytest.raises(RuntimeError):
        again.close(text="x = 5")


def test_a_wrong_answer_is_served_by_the_caller_but_never_stored(make_engine):
    engine, _ = make_engine()
    session = open_session(engine, Request(BASE))
    trace = session.close(text="3x = 15\nx = 6")
    assert not trace.recorded and not trace.verified and not trace.streamed
    assert "not recorded: failed verification" in trace.notes
    assert open_session(engine, Request(BASE)).hit is None and engine.count() == 0


def test_an_answer_the_cache_cannot_keep_and_a_declined_hit(make_engine):
    engine, _ = make_engine()
    trace = open_session(engine, Request(BASE)).close(text="x = 5", unusable="not one call of the tool")
    assert not trace.recorded and "not recorded: not one call of the tool" in trace.notes and engine.count() == 0
    assert open_session(engine, Request(BASE)).close(text="3x = 15\nx = 5").recorded
    session = open_session(engine, Request(BASE))
    assert session.hit is not None
    session.decline("cached tool call could not be rebuilt")
    assert session.hit is None and session.trace is None
    trace = session.close(text="3x = 15\nx = 5")
    assert trace.path == "miss" and "hit declined: cached tool call could not be rebuilt" in trace.notes


def test_a_store_that_fails_is_a_miss_and_the_answer_still_reaches_the_caller(make_engine):
    engine, _ = make_engine(store=_DownStore())
    session = open_session(engine, Request(BASE))
    assert session.hit is None
    trace = session.close(text="3x = 15\nx = 5")
    assert any(n.startswith("lookup failed: ") for n in trace.notes)
    engine, _ = make_engine(store=_FullStore())
    trace = open_session(engine, Request(BASE)).close(text="3x = 15\nx = 5")
    assert not trace.recorded and any(n.startswith("not recorded: store failed") for n in trace.notes)


def test_without_reuse_or_store_and_for_bad_requests(make_engine):
    engine, _ = make_engine()
    assert open_session(engine, Request(BASE)).close(text="3x = 15\nx = 5").recorded
    assert open_session(engine, Request(BASE), reuse=False).hit is None
    trace = open_session(engine, Request("Solve for x: 3x + 6 = 21"), reuse=False, store=False).close(text="3x = 15\nx = 5")
    assert not trace.recorded and "not recorded: store disabled" in trace.notes
    assert open_session(engine, Request(BASE), reuse=False).close(text="   ").notes[-1] == "not recorded: empty answer"
    with pytest.raises(InvalidRequestError):
        open_session(engine, Request(""))
