"""Corroboration probes (``stepcache_core.probe``, issue 22): a word problem's first verified answer is checked at a
second point, asked of the model by the engine itself in the background, so that the first caller who changes the
numbers is already served from the cache.

Classes of input, each named in its test: a right first answer (corroborated, the next variant re-derived with no
model call); a consistent slip (true computations, wrong structure: the probe disagrees, nothing is vouched, no
wrong answer served); a probe answer that does not verify; a model that fails during the probe; the bounds (one
probe per entry, off when ``corroboration_probes=0``); the probe's questions themselves (values that hide no slip,
written the way the question wrote its own, a repeated value kept repeated, a chat turn inside a longer prompt); a
request under a context (probes asked through the caller's own call, reworded; none where it cannot be).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from fractions import Fraction

import pytest

from stepcache_core import EngineConfig, Request, StepCacheEngine, background
from stepcache_core.errors import ConfigError
from stepcache_core.fakes import CallersCall, HashEmbedder, MemoryStore, ScriptedBackend
from stepcache_core.segment import LayoutSegmenter
from stepcache_core.tasks.word import WordCorroboration
from stepcache_core.tasks.word import gate as word_gate
from stepcache_core.tasks.word.parse import parse_problem
from stepcache_core.tasks.word.read import final_answer
from stepcache_core.values import GenerationSpec

from .tasks.test_word import virus

SHOP = "{name} buys {n} shirts at ${p} each and pays with a ${b} bill. How much change does {name} get?"
SHOP_READ = re.compile(r"(?P<name>\w+) buys (?P<n>\d+) shirts at \$(?P<p>\d+) each and pays with a \$(?P<b>\d+) bill")


def shop_answer(name: str, n: int, p: int, b: int) -> str:
    c = n * p
    return f"{name} spends {n} * {p} = <<{n}*{p}={c}>>{c} dollars.\nThe change is {b} - {c} = <<{b}-{c}={b - c}>>{b - c} dollars.\n#### {b - c}"


def shop_model(spec: GenerationSpec) -> str:
    """A model that answers the shop question right for any numbers."""
    m = SHOP_READ.search(spec.prompt)
    assert m is not None, spec.prompt
    return shop_answer(m["name"], int(m["n"]), int(m["p"]), int(m["b"]))


def engine_for(respond, probes: int = 1) -> tuple[StepCacheEngine, ScriptedBackend]:
    backend = ScriptedBackend(respond=respond)
    engine = StepCacheEngine(
        store=MemoryStore(), embedder=HashEmbedder(), backend=backend, config=EngineConfig(corroboration_probes=probes)
    )
    return engine, backend


def test_a_first_answer_is_corroborated_in_the_background_and_the_first_variant_is_reused():
    """Class: a right first answer. The probe asks the model the question with other numbers, off the request's
    path; the two agree, so the first caller who changes the numbers (and the name) gets a reuse with no model
    call. Then that point is asked once more with the person renamed into another gender ("James", within a budget
    of the same size): its agreement serves the renames into men's names too. The probes' answers are checks:
    nothing more is stored."""
    engine, backend = engine_for(shop_model)
    first = engine.run(Request(SHOP.format(name="Ann", n=3, p=12, b=50)))
    assert first.trace.path == "miss" and first.trace.verified and first.trace.backend_calls == 1
    assert background.drain(10)
    assert engine.prober.usage["probes"] == 2 and engine.prober.usage["corroborated"] == 2
    assert len(backend.calls) == 3 and backend.calls[1].prompt != backend.calls[0].prompt
    assert backend.calls[2].prompt == backend.calls[1].prompt.replace("Ann", "James")
    assert engine.count() == 1
    out = engine.run(Request(SHOP.format(name="Bea", n=4, p=9, b=60)))
    assert out.trace.path == "reuse" and out.trace.backend_calls == 0
    assert out.text == shop_answer("Bea", 4, 9, 60)
    out = engine.run(Request(SHOP.format(name="Tom", n=5, p=8, b=70)))
    assert out.trace.path == "reuse" and out.trace.backend_calls == 0
    assert out.text == shop_answer("Tom", 5, 8, 70)
    assert len(backend.calls) == 3


def skipped_day(n: int, k: int) -> str:
    """The virus question answered with its third day skipped: every computation true, every number the
    question's ("three days" said too), and the wrong structure."""
    a, b = n * k, n + n * k
    c, d = b * k, b + b * k
    return (
        f"On the first day, {n}*{k} = <<{n}*{k}={a}>>{a} more people are infected.\n"
        f"There are {n} + {a} = <<{n}+{a}={b}>>{b} infected people after the first day.\n"
        f"On the second day, {b}*{k} = <<{b}*{k}={c}>>{c} more people are infected.\n"
        f"There are {b} + {c} = <<{b}+{c}={d}>>{d} infected people after three days.\n#### {d}"
    )


def test_a_consistent_slip_is_caught_by_the_probe_and_never_re_derived():
    """Class: a consistent slip on the first answer (a skipped step that every check passes). At the probe's
    numbers the slip re-derived and the model's answer disagree: the entry is disputed. It still serves its
    identical request (as an exact cache would: the model's own answer), and nothing is re-derived from it: a
    variant with other numbers, or only another name, is the model's to answer."""
    question = "A virus infects {n} people in {name}'s town. Every day, each infected person infects {k} others. How many people are infected after three days?"

    def model(spec: GenerationSpec) -> str:
        m = re.search(r"infects (\d+) people in (\w+)'s town\. Every day, each infected person infects (\d+)", spec.prompt)
        assert m is not None
        n, k = int(m[1]), int(m[3])
        return skipped_day(n, k) if (n, k) == (5, 4) else virus(n, k)

    engine, backend = engine_for(model)
    first = engine.run(Request(question.format(n=5, k=4, name="Ann")))
    assert first.trace.verified and first.text.endswith("#### 125")  # the model's own answer, as it wrote it
    assert background.drain(10)
    assert engine.prober.usage["probes"] == 1 and engine.prober.usage["disputed"] == 1
    assert engine.prober.usage["corroborated"] == 0
    again = engine.run(Request(question.format(n=5, k=4, name="Ann")))
    assert again.trace.path == "reuse" and again.text == first.text and again.trace.backend_calls == 0
    other = engine.run(Request(question.format(n=6, k=5, name="Ann")))
    assert other.trace.backend_calls == 1 and other.text.endswith("#### 1296")  # re-derived, the slip would say 216
    renamed = engine.run(Request(question.format(n=5, k=4, name="Bo")))
    assert renamed.trace.backend_calls == 1  # the slip re-derived for another name would be served


def test_a_probe_answer_that_does_not_verify_vouches_for_nothing():
    """Class: the model answers the probe wrongly (a false product). The entry stays uncorroborated."""
    answers = iter([shop_answer("Ann", 3, 12, 50)])

    def model(spec: GenerationSpec) -> str:
        right = next(answers, None)
        return right if right is not None else "Ann spends 4 * 9 = <<4*9=37>>37 dollars.\n#### 23"

    engine, _ = engine_for(model)
    engine.run(Request(SHOP.format(name="Ann", n=3, p=12, b=50)))
    assert background.drain(10)
    assert engine.prober.usage["probes"] == 1 and engine.prober.usage["corroborated"] == 0
    assert engine.run(Request(SHOP.format(name="Ann", n=4, p=9, b=60))).trace.backend_calls == 1


def test_a_probe_answer_that_does_not_verify_is_followed_by_another_point_within_the_budget():
    """Class: the model slips on the probe (a false product; real models do, the GSM bench's scripted one on 1 in 10
    questions). With a budget of two, the second round asks another point (never the same one again) and its
    right answer corroborates the entry, where the first slip used to end all probing (then comes the relabelled
    point of that agreement: Ann renamed James)."""
    asked: list[str] = []

    def model(spec: GenerationSpec) -> str:
        asked.append(spec.prompt)
        if len(asked) == 2:
            return "Ann spends 4 * 9 = <<4*9=37>>37 dollars.\n#### 23"
        return shop_model(spec)

    engine, _ = engine_for(model, probes=2)
    engine.run(Request(SHOP.format(name="Ann", n=3, p=12, b=50)))
    assert background.drain(10)
    assert engine.prober.usage["probes"] == 3 and engine.prober.usage["corroborated"] == 2
    assert len(set(asked)) == 4 and sum("Ann" in a for a in asked) == 3
    out = engine.run(Request(SHOP.format(name="Bea", n=4, p=9, b=60)))
    assert out.trace.backend_calls == 0 and out.text == shop_answer("Bea", 4, 9, 60)  # 0 wrong
    engine, _ = engine_for(model, probes=1)  # a budget of one: the slip ends it
    asked.clear()
    engine.run(Request(SHOP.format(name="Ann", n=3, p=12, b=50)))
    assert background.drain(10)
    assert engine.prober.usage["probes"] == 1 and engine.prober.usage["corroborated"] == 0


def test_a_slip_at_the_point_that_confirms_a_refutation_disputes_nothing():
    """Class: a probe answer that skipped a step (true computations, another result: it refutes the entry), then, at
    the point next to it, a slip of the model's: a false product (``13 * 5 = 75``). An answer that does not verify
    disputed a right entry there. A slip tells nothing: the next point as far from the first question at least is
    asked; there the model agrees, and the entry serves variants, rightly."""
    calls: list[str] = []

    def model(spec: GenerationSpec) -> str:
        calls.append(spec.prompt)
        m = SHOP_READ.search(spec.prompt)
        assert m is not None, spec.prompt
        name, n, p, b = m["name"], int(m["n"]), int(m["p"]), int(m["b"])
        if len(calls) == 2:  # the change from one shirt's price: a step skipped
            return f"The change is {b} - {p} = <<{b}-{p}={b - p}>>{b - p} dollars.\n#### {b - p}"
        if len(calls) == 3:  # a product off by ten
            c = n * p + 10
            return f"{name} spends {n} * {p} = <<{n}*{p}={c}>>{c} dollars.\nThe change is {b} - {c} = <<{b}-{c}={b - c}>>{b - c} dollars.\n#### {b - c}"
        return shop_answer(name, n, p, b)

    engine, _ = engine_for(model, probes=4)
    engine.run(Request(SHOP.format(name="Ann", n=3, p=12, b=50)))
    assert background.drain(10)
    assert engine.prober.usage["disputed"] == 0 and engine.prober.usage["corroborated"] >= 1
    out = engine.run(Request(SHOP.format(name="Bea", n=4, p=9, b=60)))
    assert out.trace.backend_calls == 0 and out.text == shop_answer("Bea", 4, 9, 60)


@pytest.mark.parametrize(
    ("answer", "refutes"),
    [
        ("Ann spends 9 * 12 = <<9*12=120>>120 dollars.\n#### 30", False),  # a slip: refutes nothing
        ("Ann spends 100 / 3 = 33.3 dollars a day.\n#### 33.3", True),  # a rounding, another result
        ("Ann spends 9 * 12 = <<9*12=109>>109 dollars.\n#### 41", True),  # within 1%: a rule may be left aside too
        ("Ann spends 9 * 12 = <<9*12=108>>108 dollars.\n#### 108", True),  # true, another result
    ],
)
def test_an_answer_refutes_unless_a_computation_of_it_is_off_by_more_than_a_rounding(answer, refutes):
    """Class: what refutes an entry re-derived at a point: an answer whose computations are true within 1% (a
    rounding, or a small slip on top of a rule the entry never showed: ``30 * 8 = 241`` where the entry bills 81
    days) and whose result is another. A helper served wrong answers when a near slip refuted nothing."""
    problem = parse_problem(Request(SHOP.format(name="Ann", n=9, p=12, b=150)))
    segment = LayoutSegmenter().segment
    assert WordCorroboration().refutes(problem, segment(shop_answer("Ann", 9, 12, 150)), segment(answer)) is refutes


TOUR = (
    "A shop rents a bike for ${r} per day. The bill never grows once the bike has been out for as many days as the "
    "Tour de France lasts. {name} rents a bike for {n} days. How much does {name} pay?"
)
TOUR_READ = re.compile(r"for \$(\d+) per day.*?(\w+) rents a bike for (\d+) days", re.S)


def tour_model(slip: int, at: int) -> Callable[[GenerationSpec], str]:
    """Right (23 days billed at most, as many as the Tour de France lasts), except ``slip`` dollars more on the
    ``at``-th question it is asked past the cap."""
    past: list[str] = []

    def model(spec: GenerationSpec) -> str:
        m = TOUR_READ.search(spec.prompt)
        assert m is not None, spec.prompt
        r, name, n = int(m[1]), m[2], int(m[3])
        k = min(n, 23)
        if k < n:
            past.append(spec.prompt)
        t = k * r + (slip if k < n and len(past) == at else 0)
        if k == n:
            return f"{name} pays {n} * {r} = <<{n}*{r}={t}>>{t} dollars.\n#### {t}"
        return f"{name} is billed for {k} days: {k} * {r} = <<{k}*{r}={t}>>{t} dollars.\n#### {t}"

    return model


TOUR_SLIPS = {
    # a caller past the cap refutes; the model slips at the point asked to confirm it (a false product)
    "at-the-confirming-point": (10, 2, 0, [(20, 3), (24, 5), (19, 4), (30, 5), (40, 3), (26, 8)]),
    # the first probe past the cap answered with the cap and one dollar more, within 1%
    "in-the-refuting-probe": (1, 1, 4, [(19, 6), (24, 5), (30, 5), (40, 3), (26, 8)]),
    # a caller's refuting answer with such a slip, then a caller under the cap
    "in-the-callers-refuting-answer": (1, 1, 0, [(20, 3), (24, 5), (19, 4), (30, 5), (40, 3), (26, 8)]),
}


@pytest.mark.parametrize("case", sorted(TOUR_SLIPS))
def test_a_cap_the_gate_does_not_read_is_not_vouched_for_past_by_a_point_back_under_it(case, monkeypatch):
    """Class: a rule the gate does not read ("as many days as the Tour de France lasts": 23 days at most), crossed
    by a caller or a probe whose answer refutes the entry, with a slip of the model's there or at the point asked
    next. A helper got 3 to 4 served wrong of 4 in each grid (with "as many days as June has", which the gate now
    reads): a slip at the confirming point no longer disputed the entry, and the next point asked lay back under
    the cap, agreed, and vouched for every number. A point that confirms a refutation now moves each number the
    refuting one moved as far at least, the same way (past the cap too), and a slip within 1% still refutes. The gate
    now reads "never grows once" and refuses such a reuse itself; here it is made blind to it, so that the probes'
    own guard is what is tested (a cap in words no pattern of the gate's reads is an open class)."""
    monkeypatch.setattr(word_gate, "_STOPS", re.compile(r"(?!)"))
    word_gate._unread.cache_clear()  # read once per question: not as the blind gate read it, in any other test
    slip, at, probes, grid = TOUR_SLIPS[case]
    engine, _ = engine_for(tour_model(slip, at), probes=probes)
    wrong = 0
    try:
        for i, (n, r) in enumerate(grid):
            out = engine.run(Request(TOUR.format(name="Ann" if i == 0 else "Bea", n=n, r=r)))
            background.drain(10)
            final = final_answer(out.text)
            wrong += out.trace.backend_calls == 0 and (final is None or final[0] != min(n, 23) * r)
    finally:
        word_gate._unread.cache_clear()
    assert wrong == 0


def test_the_probes_keep_a_count_of_the_people_the_question_names():
    """Class: a number in words that counts the people the question names ("the total for the two", of two
    cashiers; "all three" of three friends). The probes said "the nine" there, a question about no one, which
    the GSM bench's model could not answer (template 97: 6 of 7 probes unanswered, a variant not served); a
    model would guess. They keep that count, and vary the multiplier in words and the numbers."""
    corroboration = WordCorroboration()
    for question, kept in (
        (
            "Ava works exactly twice as fast as her colleague Mia. Daily, Mia serves 50 customers. How many "
            "customers do the two serve in a week?",
            "do the two serve",
        ),
        (
            "At a bakery, Anna, Beth and Carla each bake 12 pies a day, 5 days a week. How many pies do all three bake?",
            "all three",
        ),
    ):
        probes = corroboration.probes(Request(question), parse_problem(Request(question)))
        assert probes and all(kept in p.prompt for p in probes), [p.prompt for p in probes if kept not in p.prompt][:2]
    bakery = "At a bakery, Anna, Beth and Carla each bake 12 pies a day, 5 days a week. How many pies do all three bake?"
    varied = corroboration.probes(Request(bakery), parse_problem(Request(bakery)))
    assert any("12 pies" not in p.prompt for p in varied)


def test_the_probes_say_a_count_said_again_once_and_keep_hours_on_the_clock():
    """Class: a count the question says twice, in digits and by a birth word ("her 5 grandchildren. They're
    quintuplets"), and hours of a 12-hour clock ("from 3 PM to 8 PM"). The probes said "7 grandchildren. They're
    quintuplets" (GSM-Symbolic template 23), or "they're sextuplets" beside 10, and "from 12 PM to 35 PM"
    (template 89): questions about nothing, which the model could not answer. A birth word says its number's new
    value at every point (as a word it can say, 2 to 8), an hour stays one from 3 to 11 o'clock, and the points
    a few steps away move each hour a few hours."""
    knit = (
        "Emily knits for her 5 grandchildren. They're quintuplets, so they're all the same size. Each outfit takes 3 "
        "skeins for a sweater and 10 for mittens. How many skeins does she need?"
    )
    probes = WordCorroboration().probes(Request(knit), parse_problem(Request(knit)))
    assert len(probes) >= 24
    for probe in probes:
        count, born, *_ = parse_problem(probe).quantities
        assert count.value == born.value and born.text in ("triplets", "quadruplets", "sextuplets", "septuplets", "octuplets")
    limo = "Ann hires a limousine from 3 PM to 8 PM at $40 an hour, and pays a $9 booking fee. How much does Ann pay?"
    probes = WordCorroboration().probes(Request(limo), parse_problem(Request(limo)))
    spans = [tuple(q.value for q in parse_problem(p).quantities[:2]) for p in probes]
    assert len(spans) >= 24 and all(3 <= a <= 11 and 3 <= b <= 11 for a, b in spans)
    assert sum(b > a for a, b in spans) >= len(spans) // 3


def test_a_model_that_fails_during_the_probe_changes_nothing(caplog):
    """Class: the model raises during the probe (down, timed out). Logged, the entry stays as it was, and the
    next requests are served as before."""
    calls = []

    def model(spec: GenerationSpec) -> str:
        calls.append(spec.prompt)
        if len(calls) == 2:
            raise RuntimeError("model down")
        return shop_model(spec)

    engine, _ = engine_for(model)
    with caplog.at_level(logging.INFO, logger="stepcache"):
        engine.run(Request(SHOP.format(name="Ann", n=3, p=12, b=50)))
        assert background.drain(10)
    assert any("corroboration probe" in r.getMessage() and "model down" in r.getMessage() for r in caplog.records)
    assert engine.prober.usage["corroborated"] == 0 and engine.count() == 1
    again = engine.run(Request(SHOP.format(name="Ann", n=3, p=12, b=50)))
    assert again.trace.path == "reuse" and again.text == shop_answer("Ann", 3, 12, 50)


def test_probes_are_bounded_and_can_be_turned_off():
    """Class: the bounds. ``corroboration_probes=0`` makes no probe (the next caller with other numbers
    corroborates, as before); with 1, an entry is probed once however often its request comes back; a negative
    bound is a typed error."""
    engine, backend = engine_for(shop_model, probes=0)
    engine.run(Request(SHOP.format(name="Ann", n=3, p=12, b=50)))
    assert background.drain(10) and len(backend.calls) == 1 and engine.prober.usage["probes"] == 0
    assert engine.run(Request(SHOP.format(name="Ann", n=4, p=9, b=60))).trace.backend_calls == 1

    engine, backend = engine_for(lambda spec: shop_answer("Ann", 3, 12, 50) if "$12" in spec.prompt else "no")
    for _ in range(3):
        engine.run(Request(SHOP.format(name="Ann", n=3, p=12, b=50)))
        assert background.drain(10)
    assert engine.prober.usage["probes"] == 1  # the probe's answer ("no") vouched nothing; it is not asked again
    with pytest.raises(ConfigError):
        EngineConfig(corroboration_probes=-1)


def test_a_relabelled_point_that_disagrees_leaves_the_entry_as_it_was():
    """Class: a question where the person's gender may decide whom a step goes to. After a round agrees, the
    engine asks that point again with the person renamed into the other gender (see
    ``WordCorroboration.relabels``), within a budget as large as the rounds'. An answer there that disagrees is
    about the names: the entry is not disputed and still serves other numbers under names of its own gender, while
    a caller who renames into that gender gets the model's answer (the model here reads "James" and "Tom" so, and
    no other man's name: a second one is not asked, since David agreeing would not outvote it). A name given to
    both genders ("Sam") is its own: its first caller's answer that agrees serves its next."""

    def model(spec: GenerationSpec) -> str:
        m = SHOP_READ.search(spec.prompt)
        assert m is not None, spec.prompt
        name, n, p, b = m["name"], int(m["n"]), int(m["p"]), int(m["b"])
        if name in ("James", "Tom"):  # read otherwise for a man: he keeps back n dollars (every number the question's)
            c = n * p
            return f"{name} spends {n} * {p} = {c} dollars.\nHe keeps {b} - {c} - {n} = {b - c - n} dollars.\n#### {b - c - n}"
        return shop_answer(name, n, p, b)

    engine, backend = engine_for(model, probes=EngineConfig().corroboration_probes)
    engine.run(Request(SHOP.format(name="Ann", n=3, p=12, b=50)))
    assert background.drain(10)
    asked = [SHOP_READ.search(c.prompt)["name"] for c in backend.calls[1:]]
    assert asked == ["Ann", "James"]  # one point with other numbers, then James (disagrees), and no other man
    assert engine.prober.usage["disputed"] == 0
    assert engine.run(Request(SHOP.format(name="Bea", n=4, p=9, b=60))).trace.backend_calls == 0
    out = engine.run(Request(SHOP.format(name="Sam", n=5, p=8, b=70)))
    assert out.trace.backend_calls == 1 and out.text == shop_answer("Sam", 5, 8, 70)
    out = engine.run(Request(SHOP.format(name="Sam", n=6, p=7, b=80)))
    assert out.trace.backend_calls == 0 and out.text == shop_answer("Sam", 6, 7, 80)
    out = engine.run(Request(SHOP.format(name="Tom", n=3, p=12, b=50)))
    assert out.trace.backend_calls == 1 and out.text.endswith("#### 11")


def test_the_probe_questions_hide_no_slip_and_keep_the_questions_writing():
    """Class: the probe's questions. Every quantity in digits or as a percentage changes, to a value that is not
    0, 1 or 2, not another quantity's there, not a named constant (a dozen); a share stays under 100%; separators,
    decimals and the percent sign are kept; a value stated twice stays one value, except at the points before
    the last ones (a few steps away), where each of the two takes its own (where a precedent may be asked). Those probes keep the words ("half");
    the later ones say another value in words too, never "a dozen". The same question gets the same probes."""
    prompt = (
        "A shop sells 1,200 shirts at $2.50 each and a dozen hats. Half of the shirts are red and 15% of them are "
        "on sale. Each of the 40 boxes holds 40 hats. How much money does the shop make from shirts?"
    )
    request = Request(prompt)
    problem = parse_problem(request)
    probes = WordCorroboration().probes(request, problem)
    assert probes and probes == WordCorroboration().probes(request, problem)
    in_words = split = 0
    phases: list[bool] = []
    for probe in probes:
        qs = parse_problem(probe).quantities
        assert [q.kind for q in qs] == [q.kind for q in problem.quantities]
        shirts, price, dozen, half, share, boxes, holds = qs
        assert re.fullmatch(r"\d{1,3}(,\d{3})+|\d{1,3}", shirts.text)
        assert re.fullmatch(r"\d+\.\d\d|\d+", price.text)
        assert dozen.text == "a dozen" and dozen.value == 12
        assert share.text.endswith("%") and 0 < share.value < 100
        phases.append(boxes.value != holds.value)  # else one value, stated twice
        split += phases[-1]
        news = [shirts.value, price.value, share.value, boxes.value] + ([holds.value] if phases[-1] else [])
        assert len(set(news)) == len(news) and not set(news) & {Fraction(0), Fraction(1), Fraction(2), Fraction(12)}
        # each moved (another quantity's first value may be drawn: at the point, no two write alike)
        assert shirts.value != 1200 and price.value != Fraction(5, 2) and share.value != 15 and boxes.value != 40
        if half.text != "Half":
            in_words += 1
            assert half.value not in (Fraction(1, 2), *news) and half.value < 1 and half.text[0].isupper()
    assert probes[0].prompt.count("Half of the shirts") == 1 and 0 < in_words < len(probes) and 0 < split < len(probes)
    # the points that split a value come in one run, after those in words, before those a few steps away
    first, last = phases.index(True), len(phases) - 1 - phases[::-1].index(True)
    assert all(phases[first : last + 1]) and last < len(phases) - 1


def test_no_second_point_gives_two_quantities_a_value_an_answer_writes_alike():
    """Class: a second point where a percentage's share equals a fraction the question says in words (25% and "one
    quarter" both write 1/4), or its complement equals another quantity (70% leaves 30 next to 30 questions). Which
    quantity a number of the probe's answer is could not be told, so it neither re-derived nor served as a
    precedent (GSM-Symbolic template 19's probe asked 25% with "one quarter"). Such points are not asked."""
    prompt = (
        "In a 40-item quiz, 60% of the questions are chemistry and the rest are history. If Ann gets 75% of the "
        "chemistry questions right and one quarter of the history questions right, how many points does Ann get?"
    )
    request = Request(prompt)
    probes = WordCorroboration().probes(request, parse_problem(request))
    assert len(probes) >= 12
    for probe in probes:
        size, chemistry, right, part = parse_problem(probe).quantities
        written = [{size.value}, {chemistry.value / 100, 1 - chemistry.value / 100, 100 - chemistry.value}]
        written += [{right.value / 100, 1 - right.value / 100, 100 - right.value}, {part.value, Fraction(part.value.denominator)}]
        assert all(not a & b for i, a in enumerate(written) for b in written[i + 1 :]), probe.prompt


def test_a_chat_turn_is_probed_inside_the_prompt_that_holds_it():
    """Class: a request whose embedded text is the user's turn of a longer prompt (chat integrations): the turn
    is varied where the prompt holds it; a turn the prompt does not hold once is not probed."""
    turn = SHOP.format(name="Ann", n=3, p=12, b=50)
    request = Request(f"System: be brief.\nUser: {turn}", key_text=turn)
    probes = WordCorroboration().probes(request, parse_problem(request))
    assert probes and all(p.prompt == f"System: be brief.\nUser: {p.key_text}" and p.key_text != turn for p in probes)
    twice = Request(f"{turn}\n{turn}", key_text=turn)
    assert WordCorroboration().probes(twice, parse_problem(twice)) == []


def test_a_second_round_vouches_for_the_numbers_in_words():
    """Class: a multiplier in words ("twice"). The first probe varies the digits (any model reads them); with a
    budget of two, a second varies the words too ("five times"), and a variant that changes the multiplier is
    then re-derived with no model call. With a budget of one, that variant is the model's."""
    times = {"twice": 2, "three times": 3, "four times": 4, "five times": 5, "six times": 6, "seven times": 7}
    times |= {"eight times": 8, "nine times": 9, "ten times": 10, "eleven times": 11, "twelve times": 12}
    question = "Ann has {n} apples. Bo has {k} as many apples as Ann. How many apples do they have together?"

    def solve(n: int, k: int) -> str:
        return f"Bo has {n} * {k} = <<{n}*{k}={n * k}>>{n * k} apples.\nTogether they have {n} + {n * k} = <<{n}+{n * k}={n + n * k}>>{n + n * k} apples.\n#### {n + n * k}"

    def model(spec: GenerationSpec) -> str:
        m = re.search(r"\w+ has (\d+) apples\. \w+ has ([a-z ]+?) as many", spec.prompt)
        assert m is not None
        return solve(int(m[1]), times[m[2]])

    for budget, calls in ((2, 0), (1, 1)):
        engine, backend = engine_for(model, probes=budget)
        engine.run(Request(question.format(n=7, k="three times")))
        assert background.drain(10)
        # the rounds (the names kept), then as many relabelled points at most
        rounds = [c for c in backend.calls[1:] if "Ann has" in c.prompt and "Bo has" in c.prompt]
        assert len(rounds) == budget and len(backend.calls) - 1 <= 2 * budget
        out = engine.run(Request(question.format(n=9, k="four times")))
        assert out.trace.backend_calls == calls and out.text.endswith("#### 45")


def test_the_callers_own_call_never_answers_a_probe():
    """Class: ``engine.run`` with only the caller's own call (``passthrough``, which ignores the engine's prompt
    and repeats the caller's request): a probe through it would get the first question's answer again, disagree
    and dispute a right entry. No probe is asked; the next caller with other numbers corroborates, as before."""
    own = ScriptedBackend(respond=shop_model)
    engine = StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder())
    engine.run(Request(SHOP.format(name="Ann", n=3, p=12, b=50)), passthrough=own)
    assert background.drain(10)
    assert len(own.calls) == 1 and engine.prober.usage["probes"] == 0 and engine.prober.usage["disputed"] == 0


GROUPED = "You are a helpful math tutor.\nExample: 1200 + 300 = 1,500"


def grouping_model(spec: GenerationSpec) -> str:
    """The shop question answered right, amounts grouped by thousands where the prompt says so."""
    m = SHOP_READ.search(spec.prompt)
    assert m is not None, spec.prompt
    name, n, p, b = m["name"], int(m["n"]), int(m["p"]), int(m["b"])
    show = (lambda v: f"{v:,}") if GROUPED in spec.prompt else str
    c = n * p
    return (
        f"{name} spends {n} * {p} = {show(c)} dollars.\nThe change is {show(b)} - {show(c)} = {show(b - c)} dollars."
        f"\n#### {show(b - c)}"
    )


def asked_in_context(
    context: str, respond: Callable[[GenerationSpec], str], points: list[tuple[str, int, int, int]]
) -> tuple[StepCacheEngine, ScriptedBackend, int, int]:
    """(the engine, the caller's model, served with no call of it, false among them): the shop question at
    ``points`` asked in turn under ``context``, each through the caller's own call (a :class:`CallersCall` over a
    model answering ``respond``); the engine's own backend answers the task's prompt alone."""
    model = ScriptedBackend(respond=respond)
    engine = StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder(), backend=ScriptedBackend(respond=shop_model))
    served = false = 0
    for name, n, p, b in points:
        question = SHOP.format(name=name, n=n, p=p, b=b)
        asked = len(model.calls)
        out = engine.run(Request(question, context=context), passthrough=CallersCall(model, question, context))
        assert background.drain(10)
        if len(model.calls) == asked:
            served += 1
            false += out.text != respond(GenerationSpec(f"{context}\n\n{question}"))
    return engine, model, served, false


def test_probes_are_asked_through_the_callers_own_call_with_its_context():
    """Class: a request with a context the engine's backend never sends (a system prompt that sets how amounts are
    written), whose caller's own call can be reworded (:class:`Reasking`, as both integrations' are). The probe is
    that call with the question replaced: the model answers it under the caller's context, agrees, and the next
    caller with other numbers is served what their model writes (grouped), with no model call. Before, no probe
    was asked there: the second caller's model answered."""
    # (the change stays under a thousand: how a final line groups one is a doubt of its own)
    points = [("Ann", 3, 450, 2000), ("Bea", 4, 350, 2000), ("Cy", 5, 320, 2000), ("Di", 6, 250, 2000)]
    engine, model, served, false = asked_in_context(GROUPED, grouping_model, points)
    assert false == 0 and served == 3
    assert engine.prober.usage["probes"] >= 1 and engine.prober.usage["corroborated"] >= 1
    assert all(spec.prompt.startswith(GROUPED) for spec in model.calls)  # every question with the caller's context
    assert len({spec.prompt for spec in model.calls}) == len(model.calls)  # the probes asked other questions


def test_a_context_the_callers_call_cannot_reword_is_not_probed():
    """Class: the same request, its caller's call not rewordable (the question split across a turn's blocks) and
    the engine's backend unable to send the context: nothing is asked (a probe without the context would answer
    another request), and the second caller's answer corroborates."""
    model = ScriptedBackend(respond=grouping_model)
    engine = StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder(), backend=ScriptedBackend(respond=shop_model))
    question = SHOP.format(name="Ann", n=3, p=450, b=2000)
    engine.run(Request(question, context=GROUPED), passthrough=CallersCall(model, question, GROUPED, rewordable=False))
    assert background.drain(10)
    assert len(model.calls) == 1 and engine.prober.usage["probes"] == 0


def test_a_rule_in_the_callers_context_is_neither_probed_nor_re_derived():
    """Class: the caller's context holds a rule that the first question left idle ("round to the nearest ten" on
    an amount that is a multiple of ten). The gate reads such a context as a condition: nothing is re-derived
    under it, so no probe is asked either (its answer could vouch for nothing served), and every caller gets the
    model's own answer."""
    rule = "Round every amount of change to the nearest ten dollars."

    def rounding(spec: GenerationSpec) -> str:
        text = shop_model(spec)
        change = int(text.rsplit("#### ", 1)[1])
        if rule in spec.prompt and change % 10:
            rounded = (change + 5) // 10 * 10
            return text.rsplit("#### ", 1)[0] + f"Rounded to the nearest ten, that is {rounded} dollars.\n#### {rounded}"
        return text

    points = [("Ann", 3, 10, 50), ("Bea", 4, 9, 60), ("Cy", 5, 8, 70), ("Di", 2, 13, 40)]
    engine, model, served, false = asked_in_context(rule, rounding, points)
    assert false == 0 and served == 0
    assert engine.prober.usage["probes"] == 0 and len(model.calls) == 4


QUIZ = (
    "In a {n}-item quiz, {p}% of the questions are chemistry and the rest are history. If {name} gets {q}% of the "
    "chemistry questions right and half of the history questions right, how many points does {name} get?"
)
QUIZ_READ = re.compile(r"In a (\d+)-item quiz, (\d+)% of the questions are chemistry .*? If (\w+) gets (\d+)% of")


_PARTS = {"half": Fraction(1, 2), "one third": Fraction(1, 3), "two thirds": Fraction(2, 3), "one quarter": Fraction(1, 4)}
_PARTS |= {"three quarters": Fraction(3, 4), "one fifth": Fraction(1, 5), "two fifths": Fraction(2, 5)}
_PARTS |= {"three fifths": Fraction(3, 5), "four fifths": Fraction(4, 5)}


def quiz_part(prompt: str) -> Fraction:
    """The share of the history questions a quiz question says ("half", or another a probe writes: "two fifths")."""
    m = re.search(r"right and ([a-z]+(?: [a-z]+)?) of the history", prompt)
    assert m is not None and m[1] in _PARTS, prompt
    return _PARTS[m[1]]


def quiz_answer(n: int, p: int, q: int, *, slip: bool = False, part: Fraction = Fraction(1, 2)) -> str:
    """The worked answer (``slip``: half the chemistry questions counted for history, where half the history
    questions are meant; every computation true, every number grounded)."""
    c, h = Fraction(n * p, 100), Fraction(n * (100 - p), 100)
    a, b = c * q / 100, (c if slip else h) * part

    def w(x: Fraction) -> str:
        return str(x.numerator) if x.denominator == 1 else f"{float(x):g}"

    by = "/ 2" if part == Fraction(1, 2) else f"* {part.numerator}/{part.denominator}"
    lines = [f"There are {n} * {p}/100 = <<{n}*{p}/100={w(c)}>>{w(c)} chemistry questions."]
    if not slip:
        lines = [
            f"History is 100% - {p}% = {100 - p}% of the quiz.",
            lines[0],
            f"There are {n} * {100 - p}/100 = <<{n}*{100 - p}/100={w(h)}>>{w(h)} history questions.",
        ]
    lines += [
        f"From chemistry: {w(c)} * {q}/100 = <<{w(c)}*{q}/100={w(a)}>>{w(a)} points.",
        f"From history: {w(c if slip else h)} {by} = <<{w(c if slip else h)}{by.replace(' ', '')}={w(b)}>>{w(b)} points.",
        f"In total {w(a)} + {w(b)} = <<{w(a)}+{w(b)}={w(a + b)}>>{w(a + b)} points.\n#### {w(a + b)}",
    ]
    return "\n".join(lines)


def test_a_precedent_is_asked_only_where_the_first_answer_fails_on_which_quantity_a_number_is():
    """Class: a first answer that re-derives at no point, for either reason. Where a number of it may be two
    quantities of the first question (the quiz's 40 and 100% - 60%), an answer at that point can settle it: a
    precedent is worth asking. Where a value stops fitting its role there (a count of questions that is not whole),
    the point is no question worth asking (the GSM bench's probes asked "25 hours each day" and got answers no
    check could read)."""
    from stepcache_core.segment import LayoutSegmenter

    corroboration = WordCorroboration()
    first = parse_problem(Request(QUIZ.format(n=40, p=60, q=75, name="Ann")))
    cached = LayoutSegmenter().segment(quiz_answer(40, 60, 75))
    settles = parse_problem(Request(QUIZ.format(n=80, p=30, q=25, name="Ann")))
    assert corroboration.ambiguous(first, cached, settles)
    # a point whose own values write alike (50% and "half": 1/2) could not re-derive its answer back either
    assert not corroboration.ambiguous(first, cached, parse_problem(Request(QUIZ.format(n=80, p=30, q=50, name="Ann"))))
    plain = parse_problem(Request(QUIZ.format(n=80, p=30, q=25, name="Ann")))  # no two values alike
    plain_answer = LayoutSegmenter().segment(quiz_answer(80, 30, 25))
    not_whole = parse_problem(Request(QUIZ.format(n=70, p=30, q=25, name="Ann")))  # 21 * 25/100 = 5.25 points
    assert not corroboration.ambiguous(plain, plain_answer, not_whole)
    assert not corroboration.ambiguous(plain, plain_answer, parse_problem(Request(QUIZ.format(n=60, p=40, q=75, name="Ann"))))


def test_a_first_answer_with_a_coincidence_gets_a_precedent_of_its_own():
    """Class: a first answer that re-derives at no second point, because two of its numbers share a value (a
    40-item quiz where 100% - 60% = 40%: which 40 a later step uses cannot be told). The probe's question is
    asked anyway; its answer, re-derived for the first question, agrees with the first answer, so it is stored
    as a precedent of its own (its values share nothing) and a second round corroborates it. The next caller
    with other numbers is served from it; a names-only caller is still served the first answer re-named."""

    def model(spec: GenerationSpec) -> str:
        m = QUIZ_READ.search(spec.prompt)
        assert m is not None, spec.prompt
        return quiz_answer(int(m[1]), int(m[2]), int(m[4]), part=quiz_part(spec.prompt))

    engine, backend = engine_for(model, probes=2)
    first = engine.run(Request(QUIZ.format(n=40, p=60, q=75, name="Ann")))
    assert first.trace.verified and first.text.endswith("#### 26")
    assert background.drain(10)
    assert engine.prober.usage["precedents"] == 1 and engine.prober.usage["disputed"] == 0
    assert engine.count() == 2  # the first answer, and the precedent (a question no caller asked)
    calls = len(backend.calls)
    served = wrong = 0
    for n, p, q, name in ((80, 30, 50, "Bea"), (60, 40, 25, "Ivy"), (20, 50, 60, "Ida"), (100, 70, 80, "Eve")):
        out = engine.run(Request(QUIZ.format(n=n, p=p, q=q, name=name)))
        background.drain(10)
        served += out.trace.backend_calls == 0
        wrong += out.trace.backend_calls == 0 and out.text != quiz_answer(n, p, q).replace("Ann", name)
    assert wrong == 0 and served == 4
    renamed = engine.run(Request(QUIZ.format(n=40, p=60, q=75, name="Zoe")))
    assert renamed.trace.backend_calls == 0 and renamed.text == first.text.replace("Ann", "Zoe")
    assert len(backend.calls) == calls


def test_a_precedent_that_disagrees_disputes_the_first_answer():
    """Class: a consistent slip on a first answer with a coincidence (history counted in full). The probe's right
    answer, re-derived for the first question, disagrees with it: the first entry is disputed (its identical
    request only), the probe's answer is not kept, and a variant is the model's to answer."""

    def model(spec: GenerationSpec) -> str:
        m = QUIZ_READ.search(spec.prompt)
        assert m is not None
        n, p, q = int(m[1]), int(m[2]), int(m[4])
        return quiz_answer(n, p, q, slip=(n, p) == (40, 60), part=quiz_part(spec.prompt))

    engine, backend = engine_for(model, probes=2)
    first = engine.run(Request(QUIZ.format(n=40, p=60, q=75, name="Ann")))
    assert first.trace.verified and first.text.endswith("#### 30")  # the model's own (wrong) answer
    assert background.drain(10)
    assert engine.prober.usage["disputed"] == 1 and engine.prober.usage["precedents"] == 0
    assert engine.count() == 1
    out = engine.run(Request(QUIZ.format(n=80, p=30, q=50, name="Bo")))
    assert out.trace.backend_calls == 1 and out.text == quiz_answer(80, 30, 50)


def test_a_fraction_in_digits_is_varied_by_the_probe():
    """Class: a quantity written as a fraction in digits ("1/2 pound"): the probe gives it another value too, so
    that a later caller who changes it can be served."""
    question = "Carl has {w} pounds of water. Each small cube uses {f} pound. He makes {k} small cubes. How much water is left?"
    request = Request(question.format(w=124, f="1/2", k=14))
    probes = WordCorroboration().probes(request, parse_problem(request))
    assert probes and all("1/2 pound" not in p.prompt for p in probes)
    assert all(re.search(r"uses \d+/\d+ pound", p.prompt) for p in probes)


def test_a_slip_on_the_probes_own_question_never_becomes_a_precedent():
    """Class: a model right everywhere but on the one question the engine asks for a precedent, where it takes the
    history count as (100 - p)% of (100 - p) instead of (100 - p)% of n (every computation true). Re-derived for
    the first question the slip agrees, because there n = 100 - p: the very coincidence the precedent is for.
    Stored on that agreement it was served to the probe's question under another name (53.5 where 70 is right).
    A precedent is now kept only once a point of its own agrees; here that point disagrees, and it is dropped."""
    asked: list[str] = []

    def model(spec: GenerationSpec) -> str:
        m = QUIZ_READ.search(spec.prompt)
        assert m is not None
        asked.append(spec.prompt)
        n, p, q = int(m[1]), int(m[2]), int(m[4])
        if len(asked) != 2:
            return quiz_answer(n, p, q, part=quiz_part(spec.prompt))
        base = 100 - p
        c, h = Fraction(n * p, 100), Fraction(base * (100 - p), 100)
        a, b = c * q / 100, h / 2

        def w(x: Fraction) -> str:
            return str(x.numerator) if x.denominator == 1 else f"{float(x):g}"

        return (
            f"There are {n} * {p}/100 = <<{n}*{p}/100={w(c)}>>{w(c)} chemistry questions.\n"
            f"There are {base} * {100 - p}/100 = <<{base}*{100 - p}/100={w(h)}>>{w(h)} history questions.\n"
            f"From chemistry: {w(c)} * {q}/100 = <<{w(c)}*{q}/100={w(a)}>>{w(a)} points.\n"
            f"From history: {w(h)} / 2 = <<{w(h)}/2={w(b)}>>{w(b)} points.\n"
            f"In total {w(a)} + {w(b)} = <<{w(a)}+{w(b)}={w(a + b)}>>{w(a + b)} points.\n#### {w(a + b)}"
        )

    engine, _ = engine_for(model, probes=2)
    engine.run(Request(QUIZ.format(n=40, p=60, q=75, name="Ann")))
    assert background.drain(10)
    assert engine.prober.usage["precedents"] == 0
    m = QUIZ_READ.search(asked[1])
    assert m is not None
    n, p, q = int(m[1]), int(m[2]), int(m[4])
    wrong = 0
    for name in ("Zed", "Ann"):  # the probe's question, renamed and verbatim
        out = engine.run(Request(QUIZ.format(n=n, p=p, q=q, name=name)))
        background.drain(10)
        wrong += not out.text.endswith(quiz_answer(n, p, q).rsplit("#### ", 1)[1])
    for n, p, q in ((80, 30, 50), (60, 40, 25), (140, 30, 20)):
        out = engine.run(Request(QUIZ.format(n=n, p=p, q=q, name="Bo")))
        background.drain(10)
        wrong += not out.text.endswith(quiz_answer(n, p, q).rsplit("#### ", 1)[1])
    assert wrong == 0


def tally(engine: StepCacheEngine, asks: list[tuple[str, Fraction | int]]) -> tuple[int, int]:
    """(served from the cache, wrong among all answers) over ``asks`` (question, right final answer), the background
    probes each one starts drained before the next."""
    served = wrong = 0
    for question, right in asks:
        out = engine.run(Request(question))
        background.drain(10)
        served += out.trace.backend_calls == 0
        final = final_answer(out.text)
        wrong += final is None or final[0] != right
    return served, wrong


PUZZLES = (
    "It takes {name} {a} minutes to finish a sudoku puzzle and {b} minutes to finish a word puzzle. Over the holiday "
    "{name} solved {x} sudoku puzzles and {y} word puzzles. How much time did {name} spend on these games?"
)
PUZZLES_READ = re.compile(r"takes \w+ (\d+) minutes .*? and (\d+) minutes .*? solved (\d+) sudoku puzzles and (\d+) word")


def puzzles_answer(a: int, b: int, x: int, y: int) -> str:
    return (
        f"Sudoku: {a} * {x} = <<{a}*{x}={a * x}>>{a * x} minutes.\nWord puzzles: {b} * {y} = <<{b}*{y}={b * y}>>{b * y} "
        f"minutes.\nIn all {a * x} + {b * y} = <<{a * x}+{b * y}={a * x + b * y}>>{a * x + b * y} minutes.\n#### {a * x + b * y}"
    )


def test_two_quantities_sharing_a_value_get_a_precedent_where_each_has_its_own():
    """Class: a first question whose two quantities share a value ("4 sudoku puzzles and 4 word puzzles"): which 4 a
    step takes cannot be told, so the first answer re-derives nowhere. Every second point that keeps a value said
    twice as one quantity keeps the two alike, and an answer there could not be re-derived back either (the GSM
    bench's probe asked "4 minutes ... 4 sudoku puzzles and 20 word puzzles" and learnt nothing). The precedent is
    asked where each quantity has a value of its own; the next callers with other numbers are served from it, and
    none is served a wrong answer."""

    def model(spec: GenerationSpec) -> str:
        m = PUZZLES_READ.search(spec.prompt)
        assert m is not None, spec.prompt
        return puzzles_answer(*(int(g) for g in m.groups()))

    probes = WordCorroboration().probes(
        *(lambda r: (r, parse_problem(r)))(Request(PUZZLES.format(name="Emma", a=20, b=13, x=4, y=4)))
    )
    split = [p for p in probes if (m := PUZZLES_READ.search(p.prompt)) and m[3] != m[4]]
    assert split, "no point gives the two 4s values of their own"
    engine, backend = engine_for(model, probes=3)
    first = engine.run(Request(PUZZLES.format(name="Emma", a=20, b=13, x=4, y=4)))
    assert first.trace.verified and first.text.endswith("#### 132")
    assert background.drain(10)
    assert engine.prober.usage["precedents"] == 1 and engine.prober.usage["disputed"] == 0
    grid = ((29, 5, 6, 4), (25, 17, 3, 5), (8, 3, 2, 12), (30, 10, 5, 5))
    served, wrong = tally(engine, [(PUZZLES.format(name="Lea", a=a, b=b, x=x, y=y), a * x + b * y) for a, b, x, y in grid])
    assert wrong == 0 and served == 4


GEAR = (
    "{name} bought a t-shirt for £{a}, a pair of shorts for £{b} more than the t-shirt cost, and a pair of sneakers "
    "for half of their original £{c} price. How much did {name} spend in all?"
)
GEAR_READ = re.compile(r"t-shirt for £(\d+), a pair of shorts for £(\d+) more .*? for (\w+(?: \w+)?) of their original £(\d+)")
_SHARES = _PARTS | {"half": Fraction(1, 2)}


def gear_answer(a: int, b: int, c: int, part: Fraction = Fraction(1, 2)) -> str:
    s, k = a + b, c * part
    assert k.denominator == 1
    return (
        f"The shorts cost £{b} + £{a} = £<<{b}+{a}={s}>>{s}.\n"
        f"The sneakers cost £{c} * {part.numerator}/{part.denominator} = £<<{c}*{part.numerator}/{part.denominator}={k}>>{k}.\n"
        f"In all £{a} + £{s} + £{k} = £<<{a}+{s}+{k}={a + s + k}>>{a + s + k}.\n#### {a + s + k}"
    )


def test_a_question_saying_the_same_words_twice_is_still_probed():
    """Class: a question that states a quantity in the same words twice and keeps it ("a pair of shorts", "a pair
    of sneakers"), beside a fraction in words whose parts write alike ("half": 1/2 and 2). Every second point keeps
    those as they are, and they were taken for two quantities whose values coincide there: no point was ever
    asked, nothing was corroborated, and every later caller with other prices went to the model (GSM template 86:
    0 of 4). Quantities a point keeps may write alike (they do in the first question too); only a value it sets
    may not. Callers with other prices are then served, none wrongly."""

    def model(spec: GenerationSpec) -> str:
        m = GEAR_READ.search(spec.prompt)
        assert m is not None, spec.prompt
        return gear_answer(int(m[1]), int(m[2]), int(m[4]), _SHARES[m[3]])

    first = Request(GEAR.format(name="Claire", a=21, b=10, c=78))
    assert WordCorroboration().probes(first, parse_problem(first))
    engine, _ = engine_for(model, probes=3)
    assert engine.run(first).trace.verified
    assert background.drain(10)
    assert engine.prober.usage["corroborated"] >= 1 and engine.prober.usage["disputed"] == 0
    grid = ((17, 9, 48), (11, 3, 54), (13, 5, 66))
    served, wrong = tally(engine, [(GEAR.format(name="Abby", a=a, b=b, c=c), a + (a + b) + c // 2) for a, b, c in grid])
    assert wrong == 0 and served == 3


PENPALS = (
    "{name} was a pen pal with {a} people. {name} stopped being pen pals with {b} of them. They each send {c} "
    "letters a week that are {d} pages long. {name} responds in kind and can write a page every {e} minutes. How "
    "many hours a week does {name} spend writing?"
)
PENPALS_READ = re.compile(
    r"with (\d+) people\. \w+ stopped .*? with (\d+) of them\. They each send (\d+) letters .*? are (\d+) pages .*? every (\d+) minutes"
)


def penpals_answer(a: int, b: int, c: int, d: int, e: int) -> str:
    def w(x: Fraction) -> str:
        return str(x.numerator) if x.denominator == 1 else f"{float(x):g}"

    p, letters, pages, minutes = a - b, (a - b) * c, (a - b) * c * d, (a - b) * c * d * e
    hours = Fraction(minutes, 60)
    return (
        f"{a} - {b} = <<{a}-{b}={p}>>{p} pen pals.\n{p} * {c} = <<{p}*{c}={letters}>>{letters} letters a week.\n"
        f"{letters} * {d} = <<{letters}*{d}={pages}>>{pages} pages.\n{pages} * {e} = <<{pages}*{e}={minutes}>>{minutes} minutes.\n"
        f"{minutes} / 60 = <<{minutes}/60={w(hours)}>>{w(hours)} hours.\n#### {w(hours)}"
    )


def test_a_precedent_is_asked_only_where_some_reading_of_the_answer_fits():
    """Class: a first answer with a coincidence (9 pages a letter, a page every 9 minutes), whose precedent point
    was chosen only because which 9 a step takes cannot be told there, whatever else fails at it: the GSM bench
    asked "a pen pal with 6 people, stopped with 11 of them" and got a negative count no check reads. A point is
    now worth a precedent only where the answer, with the unsure number read as either quantity, keeps its
    counts whole and positive, and where no two of its values would stand for one another. The precedent is
    stored, and later callers are served from it, none wrongly."""
    asked: list[tuple[int, ...]] = []

    def model(spec: GenerationSpec) -> str:
        m = PENPALS_READ.search(spec.prompt)
        assert m is not None, spec.prompt
        asked.append(tuple(int(g) for g in m.groups()))
        return penpals_answer(*asked[-1])

    engine, _ = engine_for(model, probes=3)
    first = engine.run(Request(PENPALS.format(name="Joe", a=11, b=1, c=2, d=9, e=9)))
    assert first.trace.verified and first.text.endswith("#### 27")
    assert background.drain(10)
    assert all(b < a for a, b, *_ in asked), asked
    assert engine.prober.usage["precedents"] == 1
    grid = ((9, 1, 4, 9, 5), (10, 1, 4, 5, 5), (14, 2, 2, 10, 9), (5, 2, 4, 6, 10))
    served, wrong = tally(
        engine,
        [(PENPALS.format(name="Eric", a=a, b=b, c=c, d=d, e=e), Fraction(a - b) * c * d * e / 60) for a, b, c, d, e in grid],
    )
    assert wrong == 0 and served >= 2


def test_a_count_per_period_stays_within_the_period_at_every_point():
    """Class: a count of days a week, hours a day, months a year: a second point keeps it a question a model can
    answer ("13 days a week" was asked by the GSM bench, and got no answer a check could read)."""
    request = Request(
        "Eric takes 8 classes a day, each 45 minutes long. He goes to class for 5 days a week and sleeps 7 hours "
        "per day. How many minutes a week does he spend in class?"
    )
    probes = WordCorroboration().probes(request, parse_problem(request))
    assert probes
    for probe in probes:
        days = re.search(r"for (\d+) days a week", probe.prompt)
        hours = re.search(r"sleeps (\d+) hours per day", probe.prompt)
        assert days and hours and 3 <= int(days[1]) < 7 and 3 <= int(hours[1]) < 24, probe.prompt


TRIP = {
    "en": (
        "{name} drives {t} hours to the lake and {u} hours back. On the way {name} stops {k} times for {m} minutes "
        "each. How many minutes does the whole trip take?",
        r"drives (\d+) hours to the lake and (\d+) hours back\. On the way \w+ stops (\d+) times for (\d+)",
    ),
    "de": (
        "{name} fährt {t} Stunden zum See und {u} Stunden zurück. Unterwegs hält {name} {k} Mal für je {m} Minuten "
        "an. Wie viele Minuten dauert die ganze Reise?",
        r"fährt (\d+) Stunden zum See und (\d+) Stunden zurück\. Unterwegs hält \w+ (\d+) Mal für je (\d+)",
    ),
}


def trip_answer(t: int, u: int, k: int, m: int) -> str:
    """The round trip as "2 * t" when the legs are equal (a model's shortcut), "t + u" otherwise."""
    hours = 2 * t if t == u else t + u
    leg = f"2 * {t} = <<2*{t}={hours}>>{hours}" if t == u else f"{t} + {u} = <<{t}+{u}={hours}>>{hours}"
    total = hours * 60 + k * m
    return (
        f"Hours: {leg} hours.\n{hours} * 60 = <<{hours}*60={hours * 60}>>{hours * 60} minutes.\n"
        f"Minutes: {k} * {m} = <<{k}*{m}={k * m}>>{k * m} minutes.\n"
        f"{hours * 60} + {k * m} = <<{hours * 60}+{k * m}={total}>>{total} minutes.\n#### {total}"
    )


def trip_model(read: str) -> Callable[[GenerationSpec], str]:
    """A model that answers the trip question right (with the "2 * t" shortcut for equal legs), read by ``read``."""

    def model(spec: GenerationSpec) -> str:
        m = re.search(read, spec.prompt)
        assert m is not None, spec.prompt
        t, u, k, minutes = (int(g) for g in m.groups())
        return trip_answer(t, u, k, minutes)

    return model


def test_only_an_answer_computing_alike_inherits_the_entrys_corroboration():
    """Class: a caller's answer that agrees with a corroborated entry re-derived for it, in another form ("2 * 4"
    where the entry, asked where the legs differed, computes "4 + 4"). The agreement corroborates the entry; the
    new answer was never checked anywhere else, and its own numbers may be read otherwise at another point (its
    2 taken for a 2 of the question): it is stored with none of the entry's slots. An answer computing as the
    entry does inherits them."""
    from stepcache_core.intake import RunLog

    question, read = TRIP["en"]

    engine, _ = engine_for(trip_model(read), probes=3)
    engine.run(Request(question.format(name="Ann", t=3, u=5, k=6, m=15)))
    assert background.drain(10) and engine.prober.usage["corroborated"] >= 1
    run = RunLog()
    prep = engine.prepare(Request(question.format(name="Lea", t=4, u=4, k=7, m=12)), run)
    precedent = engine.adaptation.precedent(prep, run, engine.retriever)
    assert precedent is not None and precedent.ok and precedent.candidate.entry.corroborated
    segment = prep.profile.segmenter.segment
    theirs, own = engine.adaptation.corroborates(prep, precedent, segment(trip_answer(4, 4, 7, 12), origin="generated"))
    assert theirs and not own  # "2 * 4": the entry is corroborated, the new answer inherits nothing
    alike = trip_answer(4, 4, 7, 12).replace("2 * 4 = <<2*4=8>>8", "4 + 4 = <<4+4=8>>8")
    theirs, own = engine.adaptation.corroborates(prep, precedent, segment(alike, origin="generated"))
    assert theirs and own == theirs


@pytest.mark.parametrize("language", sorted(TRIP))
def test_an_answer_agreeing_in_another_form_inherits_no_corroboration(language):
    """Class: a template that states one quantity twice on purpose ("3 hours to the lake and 3 hours back"),
    which a model writes "2 * 3" while the legs are equal and "10 + 13" where a split point makes them differ. The
    precedent asked at that split point is corroborated; a caller's answer "2 * 5" agrees with it on the result.
    Had it been stored with the precedent's corroborated slots (never checked at another point), its 2 could be
    read as 2 stops where the stops change: a helper's probe of work in progress got 4 to 12 of 30 variants per
    language served wrong that way (558 minutes where 378 is right; the unit test above guards the rule itself).
    Over this grid, callers are served and none wrongly."""
    question, read = TRIP[language]

    engine, _ = engine_for(trip_model(read), probes=3)
    # renamed in kind (a question in another language is renamed only where the person keeps a gender)
    asks = [("Ann", 3, 3, 15), ("Lea", 3, 2, 8), ("Mia", 5, 2, 17), ("Mia", 3, 3, 6), ("Eva", 2, 5, 6), ("Ida", 8, 3, 14)]
    asks += [("Rosa", 4, 4, 10), ("Sara", 6, 2, 12), ("Tina", 7, 3, 9), ("Vera", 3, 5, 11)]
    served, wrong = tally(
        engine, [(question.format(name=name, t=t, u=t, k=k, m=minutes), 2 * t * 60 + k * minutes) for name, t, k, minutes in asks]
    )
    assert wrong == 0 and served >= 4


HIRING = (
    "{n} people apply for a job at Acme. Of the people that apply, only {p}% receive interviews. Of those who receive "
    "interviews, {q}% receive a job offer. Of those who receive a job offer, {part} of the people accept the "
    "position. How many people accept the position?"
)
HIRING_READ = re.compile(r"(\d+) people apply.*?only (\d+)% receive.*?interviews, (\d+)% receive.*?offer, (\w+(?: \w+)?) of")


def hiring_answer(prompt: str) -> str:
    """A chat-style answer that writes each share as a decimal, so its first result (100 people of 1000 at 10%) is
    also the 100 of a percentage."""
    m = HIRING_READ.search(prompt)
    if m is None or m[4] not in _PARTS:
        return "I cannot help with that."
    n, p, q, part = int(m[1]), int(m[2]), int(m[3]), _PARTS[m[4]]
    a, b, c = n * Fraction(p, 100), n * Fraction(p, 100) * Fraction(q, 100), n * Fraction(p * q, 10000) * part
    if any(x.denominator != 1 for x in (a, b, c)):
        return "I cannot help with that."
    return (
        f"- The number of people that receive interviews is ${n} \\times {p / 100:g} = {a}$ people\n"
        f"- The number of people that receive a job offer is ${a} \\times {q / 100:g} = {b}$ people\n"
        f"- The number of people that accept the position is {b} × {part.numerator} ÷ {part.denominator} = {c} people\n\n"
        f"The answer is {c}."
    )


TRUCK = (
    "{name}'s truck breaks down. The truck weighs {t} kilograms and he has groceries in it weighing {g} kilograms. "
    "He also has his four young teammates who weigh {w} kilograms each in it. If the force to move the truck is {p}% "
    "of the weight, how much force does he need to push the truck?"
)
TRUCK_READ = re.compile(
    r"weighs (\d+) kilograms.*?weighing (\d+) kilograms.*?his (\w+) young teammates who weigh (\d+) kilograms.*?is (\d+)%", re.S
)
COUNTS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}


def truck_answer(prompt: str) -> str:
    t, g, said, w, p = TRUCK_READ.findall(prompt)[0]
    t, g, w, p, k = int(t), int(g), int(w), int(p), COUNTS[said]
    mates, total = k * w, t + g + k * w
    force = Fraction(total * p, 100)
    if force.denominator != 1:
        return "I cannot help with that."
    return (
        f"His {said} teammates weigh {w}*{k}=<<{w}*{k}={mates}>>{mates} kilograms\n"
        f"So the total weight is {t}+{g}+{mates}=<<{t}+{g}+{mates}={total}>>{total} kilograms\n"
        f"So he needs {total}*{p / 100:g}=<<{total}*{p / 100:g}={force}>>{force} kilograms\n#### {force}"
    )


def test_a_precedent_is_not_asked_where_a_result_would_be_a_constant_the_question_names():
    """Class: a precedent's point where a result of the answer takes the value of a constant the question names
    (100, in a question of percents): GSM-Symbolic's template 67, whose four teammates and 4% make the first
    answer unsure which 4 is which. Its precedent was asked where the teammates weigh 25 kilograms each, and
    there "25 × 4 = 100" is a result and the 100 of a percentage alike: the answer could not be re-derived back,
    the precedent was dropped, and no variant that moves the 4% was served. Such a point is not chosen now."""
    first = TRUCK.format(name="Henry", t=2200, g=275, w=50, p=4)
    corroboration, old, cached = (
        WordCorroboration(),
        parse_problem(Request(first)),
        LayoutSegmenter().segment(truck_answer(first)),
    )
    point = lambda t, g, w, p: parse_problem(Request(TRUCK.format(name="Henry", t=t, g=g, w=w, p=p)))  # noqa: E731
    assert not corroboration.ambiguous(old, cached, point(2500, 900, 25, 56))  # 25 × 4 = 100
    assert corroboration.ambiguous(old, cached, point(3600, 200, 275, 14))
    engine, _ = engine_for(lambda spec: truck_answer(spec.prompt), probes=4)
    assert engine.run(Request(first)).trace.verified
    assert background.drain(10)
    grid = ((1400, 200, 50, 5), (1000, 400, 50, 2), (2650, 350, 50, 3))
    asks = [(TRUCK.format(name="Max", t=t, g=g, w=w, p=p), Fraction((t + g + 4 * w) * p, 100)) for t, g, w, p in grid]
    served, wrong = tally(engine, asks)
    assert wrong == 0 and served == len(grid)
    assert engine.prober.usage["precedents"] == 1


def test_a_precedent_is_not_asked_where_a_reading_of_the_answer_would_coincide_there():
    """Class: a precedent's point where some reading of the first answer makes a result coincide with a quantity.
    "1000 × 0.1 = 100" makes the first answer unsure (its next 100 is the result or a percentage's 100); the first
    point such an answer is worth asking at was the one where 10% and 48% trade places, and there the model's
    answer computes 1000 × 0.48 × 0.1 = 48, the 48% again: it could not be re-derived back, the precedent was
    dropped, and GSM template 94's variants were never served. Every reading of the answer that fits is weighed
    now, and the precedent is asked at a point none of them coincides at."""
    engine, _ = engine_for(lambda spec: hiring_answer(spec.prompt), probes=4)
    first = engine.run(Request(HIRING.format(n=1000, p=10, q=48, part="half")))
    assert first.trace.verified and first.text.endswith("The answer is 24.")
    assert background.drain(10)
    assert engine.prober.usage["precedents"] == 1
    grid = ((1000, 50, 12, "half"), (960, 40, 50, "half"), (2000, 30, 15, "half"))
    asks = [(HIRING.format(n=n, p=p, q=q, part=part), n * p * q // 20000) for n, p, q, part in grid]
    served, wrong = tally(engine, asks)
    assert wrong == 0 and served == len(grid)


WARDS = (
    "A hospital has a capacity of {c} wards with 1/{k} occupied. {n} patients are admitted each day, each into a "
    "free ward. How many wards are still free after {w} weeks?"
)
WARDS_READ = re.compile(r"capacity of (\d+) wards with 1/(\d+) occupied\. (\d+) patients .* after (\d+) weeks")


def wards_answer(c: int, k: int, n: int, w: int) -> str:
    taken, free, week = c // k, c - c // k, n * 7
    return (
        f"1/{k} of the wards are occupied: {c} / {k} = {taken}.\nWithout new patients, {c} - {taken} = {free} are "
        f"unoccupied.\nIn a week, {n} × 7 = {week} patients come.\nIn all, {week} × {w} = {week * w} patients.\n"
        f"So {free} - {week * w} = {free - week * w} wards are left.\n#### {free - week * w}"
    )


def test_a_point_a_few_steps_away_fits_where_roles_bind_the_values_tightly():
    """Class: an answer whose roles leave little room (1/8 of 1600 wards stays whole, 62 patients a day for 3
    weeks stay under the 1400 free wards): the points that move every number up to 5 times, or anywhere from half
    to twice it, break a role there, and GSM-Symbolic's hospital template was never corroborated. The last
    points move each number a few steps of its grain; where one fits, the model agrees, and the callers' variants
    are served."""
    asked: list[tuple[int, ...]] = []

    def model(spec: GenerationSpec) -> str:
        m = WARDS_READ.search(spec.prompt)
        assert m is not None, spec.prompt
        asked.append(tuple(int(g) for g in m.groups()))
        return wards_answer(*asked[-1])

    engine, _ = engine_for(model, probes=3)
    first = engine.run(Request(WARDS.format(c=1600, k=8, n=62, w=3)))
    assert first.trace.verified
    assert background.drain(10)
    assert len(asked) >= 2  # a second point was asked
    grid = ((1680, 8, 60, 3), (1520, 8, 58, 3), (1760, 8, 66, 3))
    answers = [(WARDS.format(c=c, k=k, n=n, w=w), Fraction(c - c // k - n * 7 * w)) for c, k, n, w in grid]
    served, wrong = tally(engine, answers)
    assert wrong == 0 and served >= 2


def test_names_are_relabelled_at_the_first_question_where_no_other_point_fits():
    """Class: a first answer that re-derives at no second point (its roles bind every number: 62 patients a day
    for 3 weeks barely fit the 1400 free wards), so no point agreed with it, and a caller renames its person into
    another gender ("Ann ... She admits" asked for Tom or Alex). The relabelled points were asked only where
    the model had agreed: never here, and every such caller asked the model. The first question's own numbers,
    where the entry is the model's answer, now serve as that point."""
    question = (
        "{name} runs a hospital with a capacity of {c} wards with 1/8 occupied. She admits {n} patients each day, "
        "each into a free ward. How many wards are still free after {w} weeks?"
    )
    read = re.compile(
        r"(\w+) runs a hospital with a capacity of (\d+) wards with 1/(\d+) occupied\. She admits (\d+) .* after (\d+) weeks"
    )
    asked: list[str] = []

    def model(spec: GenerationSpec) -> str:
        m = read.search(spec.prompt)
        assert m is not None, spec.prompt
        asked.append(m[1])
        return wards_answer(int(m[2]), int(m[3]), int(m[4]), int(m[5]))

    engine, _ = engine_for(model, probes=3)
    assert engine.run(Request(question.format(name="Ann", c=1600, n=62, w=3))).trace.verified
    assert background.drain(10)
    assert "James" in asked  # the relabelled point, at the first question's numbers
    served, wrong = tally(engine, [(question.format(name=name, c=1600, n=62, w=3), 98) for name in ("Tom", "Alex", "Sue")])
    assert wrong == 0 and served == 3


def test_the_relabelled_points_are_the_same_in_every_process():
    """Class: one question asked of two processes (two workers, two runs of a benchmark). The relabelled points
    and their order do not depend on the order a set of strings iterates in, which each process draws anew: a
    person whose name says no gender ("Tyler" is given to both) is renamed into a woman's name first, then a
    man's, everywhere."""
    import subprocess
    import sys

    code = (
        "from stepcache_core import Request\n"
        "from stepcache_core.tasks.word import WordCorroboration\n"
        "from stepcache_core.tasks.word.parse import parse_problem\n"
        "q = Request('Ann, Tyler and Tom share 30 apples. Ann takes 8, Tyler takes 9 and Tom takes the rest. "
        "How many apples does Tom take?')\n"
        "print([r.prompt for r in WordCorroboration().relabels(q, parse_problem(q))])\n"
    )
    seen = set()
    for seed in ("1", "2", "3"):
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONHASHSEED": seed}
        )
        assert done.returncode == 0, done.stderr[-2000:]
        seen.add(done.stdout)
    assert len(seen) == 1 and "Tyler" in seen.pop()  # one list, the same everywhere (and not empty)
