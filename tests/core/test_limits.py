"""The caller's generation limits (``Request.max_output_tokens``, ``Request.stop``): what is served is what the
caller's model, under them, would answer."""

from __future__ import annotations

from stepcache_core import Request
from stepcache_core.values import generation_limits

FIRST = "Solve for x: 3x + 5 = 20"
FIRST_STEPS = "3x = 20 - 5\n3x = 15\nx = 5"  # 24 bytes


def test_a_reuse_longer_than_the_callers_max_tokens_is_not_served(make_engine):
    """A re-derived answer longer in UTF-8 bytes than the caller's ``max_output_tokens`` (the first answer fit,
    the one for bigger numbers may not): before, served in full where the model would have been cut off; now the
    model answers. One that fits is still reused."""
    own = "12x = 1307 - 35\n12x = 1272\nx = 106"  # 33 bytes, 9 "tokens" for the scripted backend
    engine, backend = make_engine([FIRST_STEPS, own])
    assert engine.run(Request(FIRST, max_output_tokens=30)).trace.path == "miss"
    fits = engine.run(Request("Solve for x: 3x + 7 = 22", max_output_tokens=30))
    assert fits.trace.path == "reuse" and fits.text == "3x = 22 - 7\n3x = 15\nx = 5" and len(backend.calls) == 1
    out = engine.run(Request("Solve for x: 12x + 35 = 1307", max_output_tokens=30))
    assert out.trace.path == "skip" and "max_output_tokens" in (out.trace.skip_reason or "")
    assert out.text == own and len(backend.calls) == 2


def test_a_reuse_holding_a_callers_stop_string_is_not_served(make_engine):
    """A re-derived answer that holds one of the caller's stop strings (``stop=("16",)``: the model stops before
    it): before, served whole; now the model answers, and its answer, cut at the stop, is served as written (the
    engine's repair would hold the stop string again)."""
    cut = "4x = 19 - 3\n4x = "
    engine, backend = make_engine([FIRST_STEPS, cut], default="4x = 19 - 3\n4x = 16\nx = 4")
    engine.run(Request(FIRST, stop=("16",)))
    out = engine.run(Request("Solve for x: 4x + 3 = 19", stop=("16",)))
    assert out.trace.path == "skip" and "stop string" in (out.trace.skip_reason or "")
    assert out.text == cut and not out.trace.verified and "16" not in out.text
    assert any("repaired answer was not served" in n for n in out.trace.notes)


def test_a_miss_cut_by_the_callers_max_tokens_is_served_as_written_where_no_repair_fits(make_engine):
    """A model answer that used all of the caller's ``max_output_tokens`` and fails verification (cut before its
    final line): before, the engine repaired it (few-shot prompt, then the solver) and served and stored the full
    answer, longer than the model may write; now a repair that does not fit the limit is not served: the model's
    own answer is, as written, and nothing verified is stored. (A repair that fits is served, as without limits.)"""
    cut = "3x = 20 - 5\n3x = 15\nx ="  # 10 "tokens" for the scripted backend
    engine, backend = make_engine([cut, cut], default=FIRST_STEPS)
    out = engine.run(Request(FIRST, max_output_tokens=10))
    assert out.text == cut and not out.trace.verified
    assert any("not served" in n for n in out.trace.notes)
    again = engine.run(Request(FIRST, max_output_tokens=10))
    assert again.trace.backend_calls >= 1  # nothing verified was kept: the model answers again
    roomy, _ = make_engine([cut, cut], default=FIRST_STEPS)
    fits = roomy.run(Request(FIRST, max_output_tokens=200))
    assert fits.trace.verified and "x = 5" in fits.text  # the limit leaves room for the whole answer: repaired


def test_an_answer_stored_under_other_limits_is_not_served_under_these(make_engine):
    """Class (helper-156): one namespace, the same question asked with no limit, then with a stop string the answer
    holds or a ``max_output_tokens`` it does not fit. The identical request was served the stored answer whole (the
    exact path weighed no limit), and a reuse was weighed against the entry's own length, written under no limit.
    The core API now narrows the namespace to the limits, as the integrations key by a model's settings: the
    model answers under each set of limits, and what it wrote under them is reused under them."""
    engine, backend = make_engine([FIRST_STEPS], default="3x = 20 - 5")  # what the model writes under the limits
    assert engine.run(Request(FIRST)).trace.path == "miss"
    for limits in (dict(stop=("\n",)), dict(max_output_tokens=4)):
        out = engine.run(Request(FIRST, **limits))  # type: ignore[arg-type]
        assert out.trace.backend_calls >= 1 and out.text == "3x = 20 - 5", limits
    calls = len(backend.calls)
    again = engine.run(Request(FIRST))
    assert again.trace.backend_calls == 0 and again.text == FIRST_STEPS and len(backend.calls) == calls


def test_limits_that_are_no_limits_are_refused_with_a_typed_error(make_engine):
    """Bad input: a stop that is no sequence of strings, a ``max_output_tokens`` that is no positive int."""
    from stepcache_core.errors import InvalidRequestError

    engine, _ = make_engine([FIRST_STEPS])
    for bad in (
        dict(stop="\n"),
        dict(stop=(1,)),
        dict(stop=("\ud800",)),
        dict(max_output_tokens=0),
        dict(max_output_tokens="20"),
    ):
        try:
            engine.run(Request(FIRST, **bad))  # type: ignore[arg-type]
        except InvalidRequestError:
            continue
        raise AssertionError(f"{bad} was accepted")


def test_generation_limits_read_by_name_the_later_settings_winning():
    """Limits in a model's fields, bound and call arguments (``max_tokens`` and alike, nested ``*kwargs``,
    ``stop``/``stop_sequences``): before, no such reader existed and nothing was passed to the engine."""
    assert generation_limits({"max_tokens": 256}, {"max_tokens": 14}) == (14, ())
    assert generation_limits({"max_new_tokens": 40, "max_tokens": 30}) == (30, ())
    assert generation_limits({"generate_kwargs": {"max_new_tokens": 9}}, None) == (9, ())
    assert generation_limits({"num_predict": -1, "max_tokens": True, "stop": "\n"}) == (None, ("\n",))
    assert generation_limits({"stop": ["a", ""]}, {"stop_sequences": ("b", "a")}) == (None, ("a", "b"))
    assert generation_limits({"max_tokens": 14}, {"max_tokens": None}) == (14, ())
    # (helper-115) other providers' names, at any depth, and numbers written otherwise
    bedrock = {"model_kwargs": {"textGenerationConfig": {"maxTokenCount": 5, "stopSequences": ["X"]}}}
    assert generation_limits(bedrock) == (5, ("X",))
    assert generation_limits({"max_tokens_to_sample": 14}, {"max_tokens": "9"}, {"stop": {"Y"}}) == (9, ("Y",))
    assert generation_limits({"generation_config": {"max_output_tokens": 7.0}}) == (7, ())
