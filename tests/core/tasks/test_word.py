"""The ``word_problem`` task: arithmetic word problems whose variants change names and numbers (issue 22).

Classes of input, each named in its test: quantities as digits, money, percentages, fractions and words; answers
in GSM8K form (``<<a*b=c>>``, ``#### n``) and chat form (LaTeX, ``×``, sentences, ``\\boxed``); variants with
names only, numbers only, both; role changes (a count that stops being whole, a quantity turning negative, two
slots with one value); slips (a wrong product, a skipped step); and requests other tasks own.
"""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

from stepcache_core import EngineConfig, Request, StepCacheEngine, background
from stepcache_core.fakes import HashEmbedder, MemoryStore, ScriptedBackend
from stepcache_core.segment import LayoutSegmenter
from stepcache_core.tasks import builtin_tasks, word_problem_task
from stepcache_core.tasks.word.gate import WordGate
from stepcache_core.tasks.word.numbers import grouping, half_of_day, hand, quantities, write_number, write_words
from stepcache_core.tasks.word.parse import parse_problem
from stepcache_core.tasks.word.read import computations, final_answer
from stepcache_core.tasks.word.verify import WordVerifier

CARDS = "A boy has {n} cards. His brother has {k} fewer cards than he has. How many cards do they have together?"
CARDS_GSM = (
    "His brother has {n} - {k} = <<{n}-{k}={d}>>{d} cards.\nTogether, they have {n} + {d} = <<{n}+{d}={t}>>{t} cards.\n#### {t}"
)
CARDS_CHAT = (
    "**Step 1.** His brother has $ {n} - {k} = {d} $ cards.\n\n"
    "**Step 2.** Together they have ${n} + {d} = {t}$ cards.\n\nThe answer is \\boxed{{{t}}}."
)
SHOP = "{name} buys {n} shirts at ${p} each and pays with a ${b} bill. How much change does {name} get?"
SHOP_GSM = (
    "{name} spends {n} * {p} = <<{n}*{p}={c}>>{c} dollars.\nThe change is {b} - {c} = <<{b}-{c}={r}>>{r} dollars.\n#### {r}"
)


@pytest.fixture
def make_engine():
    """Engines whose word task re-derives from the first verified answer (``corroborate=False``), so that these
    tests see the adapter itself; the corroboration tests at the end pass ``corroborate=True`` (the default).
    Without corroboration probes: the tests script the model's answers in order."""

    def make(script=(), *, default=None, respond=None, corroborate=False, store=None):
        tasks = builtin_tasks()
        tasks.register(word_problem_task(corroborate=corroborate), replace=True)
        backend = ScriptedBackend(script, respond=respond, default=default)
        # the engine's own corroboration probes would take the script's answers: tests/core/test_probe.py has them
        config = EngineConfig(similarity_threshold=0.3, corroboration_probes=0)
        return StepCacheEngine(
            store=store or MemoryStore(), embedder=HashEmbedder(), backend=backend, tasks=tasks, config=config
        ), backend

    return make


def cards(n: int, k: int, form: str = CARDS_GSM) -> tuple[str, str]:
    return CARDS.format(n=n, k=k), form.format(n=n, k=k, d=n - k, t=2 * n - k)


def shop(name: str, n: int, p: int, b: int) -> tuple[str, str]:
    q = SHOP.format(name=name, n=n, p=p, b=b)
    return q, SHOP_GSM.format(name=name, n=n, p=p, b=b, c=n * p, r=b - n * p)


@pytest.mark.parametrize(
    "text, values",
    [
        ("She had $1,200.50 and 3 apples", [Fraction(240100, 200), 3]),
        ("a 25% discount on 80 books", [25, 80]),
        ("half of 500, twice as many, a dozen eggs", [Fraction(1, 2), 500, 2, 12]),
        ("three fifths of 455 and one quarter of 8", [Fraction(3, 5), 455, Fraction(1, 4), 8]),
        ("3/4 of the 12 cakes", [Fraction(3, 4), 12]),
        # a cardinal in words is one number (helper-66: "five hundred" was 5 + 100); two side by side are two
        ("five hundred dollars and eleven hundred more", [500, 1100]),
        ("one hundred and twenty-five apples, three thousand five hundred pears", [125, 3500]),
        ("two ten-dollar bills and twenty-one cats", [2, 10, 21]),
        ("a hundred people paid $2 million, or 2.5 thousand each", [100, 2_000_000, 2500]),
        ("three hundred-dollar bills and 5 thousand-piece puzzles", [3, 100, 5]),
    ],
)
def test_quantities_in_every_written_form(text, values):
    assert [q.value for q in quantities(text)] == [Fraction(v) for v in values]


def test_children_of_one_birth_are_a_count_said_again():
    """Class: a count said by the word for children of one birth ("her 5 grandchildren. They're quintuplets"): it
    is the count said again, and is written back as the word for another count, or not at all."""
    q = quantities("Emily knits for her 5 grandchildren. They're quintuplets, so they're all the same size.")
    assert [(x.value, x.kind) for x in q] == [(5, "digits"), (5, "word")]
    assert write_words(Fraction(3), "quintuplets") == "triplets" and write_words(Fraction(2), "Triplets") == "Twins"
    assert write_words(Fraction(9), "twins") is None and write_words(Fraction(5, 2), "twins") is None


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("from 3 PM to 7 PM", ["p", "p"]),
        ("opens at 9 a.m. and closes at 11 am", ["a", "a"]),
        ("from 12 PM to 3 PM", [None, "p"]),  # noon comes before 1 PM
        ("from 7:30 PM to 9 PM", [None, None, "p"]),  # minutes: another kind of time
        ("5 amps and 3 pmol", [None, None]),
    ],
)
def test_hours_of_one_half_of_the_day(text, hours):
    """Class: an hour of a 12-hour clock, whole, 1 to 11 and without minutes: two of one half of the day are as
    many hours apart as their difference."""
    assert [h and h[0] for h in (half_of_day(text, q) for q in quantities(text))] == hours


def test_numbers_are_written_back_as_they_were():
    assert write_number(Fraction(1155), "1,000") == "1,155" and write_number(Fraction(17, 2), "8.25") == "8.50"
    assert write_number(Fraction(20), "25%") == "20%" and write_number(Fraction(1, 3), "2") == "1/3"
    # too small to show whether thousands are grouped: as the writer groups them elsewhere; never in annotations
    assert write_number(Fraction(1250), "450", grouped=True) == "1,250" and write_number(Fraction(1250), "450") == "1250"
    assert write_number(Fraction(1250), "1200", grouped=True) == "1250"
    assert grouping("<<1200-450=750>> $1,200\n#### 1200") is True and grouping("$1200", "$1,200") is False
    assert grouping("$450", "no large number") is None
    # digits of another script stay in it
    assert write_number(Fraction(15), "１２") == "１５" and write_number(Fraction(7), "١٢") == "٧"
    # a decimal without its leading zero, as a program writes it, stays so ("12*150*.01")
    assert write_number(Fraction(1, 100), ".01") == ".01" and write_number(Fraction(3, 4), ".5") == ".75"


def test_how_a_writer_groups_is_read_apart_in_computations_and_in_sentences():
    """Class (helper-89): "30 × 40 = 1200" beside "1,100 pencils are left". A computation's grouping tells nothing
    of a sentence's, nor the other way round; the questions have sentences only."""
    writer = hand("30 × 40 = 1200\n1200 − 100 = 1100\nSo 1,100 pencils are left.", "Each box holds 40 pencils.", "")
    assert (writer.grouped, writer.computing) == (True, False)
    assert writer.grouped_at(Fraction(1500)) is True and writer.grouped_at(Fraction(1500), computed=True) is False
    # where only sentences show it, a computation's number is doubted (and the other way round)
    said = hand("20 × 30 = 600\nThey made $1,250 in all.", "", "")
    assert said.unwritable(Fraction(1200), "600", computed=True) == "written(thousands)"
    assert said.unwritable(Fraction(1200), "600") is None
    asked = hand("20 × 30 = 600", "It costs $1,250.", "")
    assert asked.unwritable(Fraction(1200), "600", computed=True) == "written(thousands)"
    assert asked.grouped_at(Fraction(1200)) is True


@pytest.mark.parametrize(
    "line, found",
    [
        ("Natalia sold 48/2 = <<48/2=24>>24 clips in May.", [("48/2", 24), ("48/2", 24)]),
        ("Teddy completed 250 pieces + 500 pieces = 750 pieces.", [("250+500", 750)]),
        ("- She earns $12 \\times 5 = \\$60$", [("12*5", 60)]),
        ("\\frac{48}{2} = 24 and 5 x 3 = 15", [("(48)/(2)", 24), ("5*3", 15)]),
        ("The total is (3 + 4) × 2 = 14, and 50 ÷ 5 = 10.", [("(3+4)*2", 14), ("50/5", 10)]),
        ("She sold half as many, 24, in May.", []),
        # a percent as a factor without its leading zero, in an annotation beside its own expression (GSM8K)
        ("£252 * 25% = £<<252*25*.01=63>>63", [("252*25*1/100", 63), ("252*25", 63)]),
        ("It is version 2.5 of 3.", []),
    ],
)
def test_computations_in_gsm8k_plain_and_latex_forms(line, found):
    got = [("".join(str(t.value) if not isinstance(t, str) else t for t in c.tokens), c.result.value) for c in computations(line)]
    assert got == [(e, Fraction(r)) for e, r in found]


@pytest.mark.parametrize("text", ["work\n#### 72", "so \\boxed{72}.", "The answer is $72.", "**Answer:** 72", "Final answer: 72"])
def test_final_answer_forms(text):
    got = final_answer(text)
    assert got is not None and got[0] == 72


def _verdicts(question: str, answer: str):
    return WordVerifier().verify_steps(parse_problem(Request(question)), LayoutSegmenter().segment(answer))


def test_a_right_answer_verifies_in_both_forms():
    for form in (CARDS_GSM, CARDS_CHAT):
        q, a = cards(5, 3, form)
        assert all(v.ok for v in _verdicts(q, a)), form


def test_slips_fail_and_unreadable_answers_are_told_apart():
    q, a = cards(5, 3)
    wrong = _verdicts(q, a.replace("<<5+2=7>>7", "<<5+2=8>>8").replace("#### 7", "#### 8"))
    assert not all(v.ok for v in wrong) and not any(v.unreadable for v in wrong if not v.ok)  # a wrong sum
    skipped = _verdicts(q, "Together, they have 5 + 2 = <<5+2=7>>7 cards.\n#### 7")  # the step giving 2 is gone
    assert not all(v.ok for v in skipped) and "neither the question nor an earlier step" in next(
        v.reason for v in skipped if not v.ok
    )
    nowhere = _verdicts(q, a + "\nHe had 41 cards last year.")
    assert any(v.unreadable for v in nowhere if not v.ok)
    no_final = _verdicts(q, a.replace("\n#### 7", ""))
    assert any(v.unreadable for v in no_final if not v.ok)
    off_final = _verdicts(q, a.replace("#### 7", "#### 2"))
    assert not all(v.ok for v in off_final)


@pytest.mark.parametrize("form", [CARDS_GSM, CARDS_CHAT])
def test_numbers_only_variant_is_re_derived_without_the_model(make_engine, form):
    q1, a1 = cards(5, 3, form)
    engine, backend = make_engine([a1])
    engine.run(Request(q1))
    q2, expected = cards(11, 2, form)
    out = engine.run(Request(q2))
    assert out.trace.path == "reuse" and out.trace.verified and out.text == expected and len(backend.calls) == 1


def test_names_only_and_both_variants(make_engine):
    q1, a1 = shop("Maria", 3, 12, 50)
    engine, backend = make_engine([a1])
    engine.run(Request(q1))
    for name, n, p, b in (("Lena", 3, 12, 50), ("Ana", 4, 7, 100)):
        q, expected = shop(name, n, p, b)
        out = engine.run(Request(q))
        assert out.trace.path == "reuse" and out.text == expected, out.trace.notes
    assert len(backend.calls) == 1


def test_a_names_only_variant_keeps_the_numbers_as_the_answer_wrote_them(make_engine):
    """Class: a names-only variant of an answer that writes a number no exact value writes again, a float's digits
    ("8/3=2.6666666666666665", as GSM-Symbolic's template 88 does). Every number re-derives to itself and keeps its
    text; only the names change. The adapter refused it as "finer than the answer wrote", and the model answered
    twice for a question whose numbers had not moved."""
    question = "{name} runs three times as fast as she walks. She runs at 8 miles per hour. How far does {name} walk in 3 hours?"
    answer = (
        "{name} walks at 8/3=2.6666666666666665 miles per hour.\n"
        "In 3 hours she walks 3*2.6666666666666665=<<3*2.6666666666666665=8>>8 miles.\n#### 8"
    )
    engine, backend = make_engine([answer.format(name="Emma")])
    assert engine.run(Request(question.format(name="Emma"))).trace.verified
    for name in ("Sophia", "Maya"):
        out = engine.run(Request(question.format(name=name)))
        assert out.trace.path == "reuse" and out.text == answer.format(name=name), out.trace.notes
    assert len(backend.calls) == 1


SLIDES = (
    "The big slide is {a} yards long and people slide down at {b} yards a minute. The small slide is {c} yards long "
    "and people slide down at {d} yards a minute. How much longer does a ride on the big slide take?"
)


def _slides(a: int, b: int, c: int, d: int) -> str:
    big, small = a // b, c // d
    return (
        f"The big slide takes {a} / {b} = <<{a}/{b}={big}>>{big} minutes.\n"
        f"The small slide takes {c} / {d} = <<{c}/{d}={small}>>{small} minutes.\n"
        f"It takes {big} minutes - {small} minutes = <<{big}-{small}={big - small}>>{big - small} minutes longer.\n"
        f"#### {big - small}"
    )


@pytest.mark.parametrize("numbers", [(350, 70, 300, 100), (300, 60, 240, 80), (260, 65, 100, 50)])
def test_a_result_equal_to_what_it_takes_is_re_derived(make_engine, numbers):
    """Class: a computation whose result equals a number it takes ("4 - 2 = 2"), written as an expression and its
    GSM8K annotation in one line, in an answer whose final result also equals an earlier one (GSM-Symbolic's
    template 87). The annotation's 2 was read after the expression's result 2 had been recorded, so the 2 it
    takes had two sources; and the final "#### 2" named two results. A computation written twice in a line is
    now re-derived once, and the final answer is the last result."""
    engine, backend = make_engine([_slides(260, 65, 200, 100)])
    assert engine.run(Request(SLIDES.format(a=260, b=65, c=200, d=100))).trace.verified
    a, b, c, d = numbers
    out = engine.run(Request(SLIDES.format(a=a, b=b, c=c, d=d)))
    assert out.trace.path == "reuse" and out.text == _slides(a, b, c, d), out.trace.notes
    assert len(backend.calls) == 1


def test_role_changes_are_refused_and_the_model_answers(make_engine):
    q1, a1 = shop("Maria", 3, 12, 50)
    q2, a2 = shop("Maria", 5, 12, 50)  # the change would be 50 - 60: negative
    engine, backend = make_engine([a1, a2])
    engine.run(Request(q1))
    out = engine.run(Request(q2))
    assert out.trace.path == "skip" and out.text == a2 and len(backend.calls) == 2
    assert out.trace.verified  # "50 - 60 = -10": a negative result is read and checked like any other
    q3, a3 = cards(7, 7)  # both slots hold one value in the question: which 7 is which cannot be told
    q4, a4 = cards(9, 4)
    engine, backend = make_engine([a3, a4])
    engine.run(Request(q3))
    assert engine.run(Request(q4)).text == a4 and len(backend.calls) == 2


def test_another_item_or_question_is_another_template(make_engine):
    q1, a1 = cards(5, 3)
    other_item = q1.replace("cards", "marbles")
    other_question = q1.replace("together?", "together, and how many more does the boy have?")
    engine, backend = make_engine([a1], default="Together they have 13 marbles.\n#### 13")
    engine.run(Request(q1))
    for q in (other_item, other_question):
        out = engine.run(Request(q))
        assert out.trace.path in ("miss", "skip") and out.trace.backend_calls == 1


COMET = (
    "Comet {comet} orbits the sun every {n} years. {name}'s uncle saw the comet when he was {a} years old. How "
    "old will the uncle be when he sees the comet again?"
)


def test_a_things_own_name_is_text_not_a_person(make_engine):
    """Class: a capitalised word right after a word the question also writes as a common noun ("Comet Halley"
    beside "the comet", "Lake Tahoe" beside "the lake", "Uncle Bob" beside "his uncle"): the thing's own name, text
    of the question, not a person a rename may give another gender (GSM-Symbolic template 73 read "Halley" as a
    person of either gender). Another such name is another question; a person's name after "Then" stays a name."""
    q = COMET.format(comet="Halley", n=76, a=30, name="Oliver")
    assert parse_problem(Request(q)).names == ("Oliver",)
    assert parse_problem(Request("Lake Tahoe is 22 miles long. Ann swims 3 miles of the lake. How far is left?")).names == (
        "Ann",
    )
    assert parse_problem(Request("Uncle Bob has 3 cats and his uncle Tom has 4. How many cats?")).names == ("Tom",)
    assert parse_problem(Request("Then Ann buys 3 pens and 4 pads. How many items?")).names == ("Ann",)
    answer = "He will be 30 + 76 = <<30+76=106>>106 years old.\n#### 106"
    engine, backend = make_engine([answer], default="#### 0")
    engine.run(Request(q))
    renamed = engine.run(Request(COMET.format(comet="Halley", n=76, a=30, name="James")))
    assert renamed.text == answer and renamed.trace.backend_calls == 0
    other = engine.run(Request(COMET.format(comet="Encke", n=76, a=30, name="Oliver")))
    assert other.trace.backend_calls == 1 and other.text == "#### 0"


def test_a_wrong_model_answer_is_served_as_written_and_never_stored(make_engine):
    q1, a1 = cards(5, 3)
    slipped = a1.replace("<<5+2=7>>7", "<<5+2=8>>8").replace("#### 7", "#### 8")
    engine, backend = make_engine([slipped, a1])
    out = engine.run(Request(q1))
    assert out.text == slipped and not out.trace.verified and engine.count() == 0
    q2, _ = cards(11, 2)
    assert engine.run(Request(q2)).trace.backend_calls == 1  # nothing to reuse: the model answers


def test_other_tasks_keep_their_requests(make_engine):
    engine, _ = make_engine()
    assert engine.resolve(Request("Solve for x: 3x + 5 = 20")).task == "linear_equation"
    schema = {"type": "object", "properties": {"age": {"type": "integer"}}}
    assert engine.resolve(Request("Extract the age: Ana is 34 and has 2 cats.", schema=schema)).task == "json_extraction"
    assert engine.resolve(Request("Tell me a story about a cat.")).task == "text"
    assert engine.resolve(Request(cards(5, 3)[0])).task == "word_problem"


def test_an_instruction_example_is_no_quantity_of_the_question(make_engine):
    # class: a question with one quantity the task reads (the others in words of a language it does not read),
    # under an instruction whose format example holds a number (GSM-Symbolic's German instruction): the word task
    # does not claim it only for its parser to refuse it; the core API routes it to the text task, no error
    engine, _ = make_engine(["Also 45. \\boxed{45}"])
    instruction = "Schreibe die endgültige Antwort in \\boxed{}, zum Beispiel: \\boxed{42}."
    question = "Ein Jongleur hat 60 Bälle, drei Viertel davon Tennisbälle. Wie viele Tennisbälle gibt es?"
    request = Request(f"{instruction}\n\n{question}")
    assert engine.resolve(request).task == "text"
    assert engine.run(request).text == "Also 45. \\boxed{45}"


APPLES = "Tom has {a} apples and Sara has {b} apples. Who has more, and how many apples do they have in total?"
APPLES_GSM = "Since {a} > {b}, Tom has more.\nTogether they have {a} + {b} = <<{a}+{b}={t}>>{t} apples.\n#### {t}"


def test_a_comparison_whose_outcome_flips_is_refused(make_engine):
    # (a question that asks who has more moves no number at all now, a comparison beside its verdict or not: see
    # test_word_served's verdicts; the verifier still refuses a comparison that no longer holds)
    a1 = APPLES_GSM.format(a=12, b=8, t=20)
    engine, backend = make_engine([a1, "Sara has more.\nTogether they have 5 + 9 = <<5+9=14>>14 apples.\n#### 14"])
    engine.run(Request(APPLES.format(a=12, b=8)))
    flipped = engine.run(Request(APPLES.format(a=5, b=9)))
    assert flipped.trace.backend_calls == 1 and "Tom has more" not in flipped.text
    false = _verdicts(APPLES.format(a=5, b=9), APPLES_GSM.format(a=5, b=9, t=14))
    assert not all(v.ok for v in false) and "does not hold" in next(v.reason for v in false if not v.ok)


def test_a_comparison_or_property_said_in_words_is_never_served_for_new_numbers(make_engine):
    """Class: claims in prose about the cached numbers (a comparison, a parity, affordability) that no computation
    states. Found by probing: "She spent more than she kept." was served for 2 shirts, where she kept more."""
    for extra in ("\nShe spent more than she kept.", "\nSo the change is an even number.", "\nSo she can afford them."):
        q, a = shop("Mia", 3, 10, 50)
        a = a.replace("\n####", extra + "\n####")
        engine, _ = make_engine([a], default="MODEL")
        engine.run(Request(q))
        out = engine.run(Request(shop("Mia", 2, 10, 50)[0]))
        assert out.trace.path in ("skip", "patch") and extra.strip() not in out.text, extra
    q, a = cards(12, 5, CARDS_GSM.replace("His brother has", "His brother has 5 fewer cards than he has, so"))
    engine, _ = make_engine([a], default="MODEL")
    engine.run(Request(q))
    out = engine.run(Request(cards(20, 4)[0]))  # the question's own comparison, restated: still reused
    assert out.trace.path == "reuse" and "4 fewer cards than he has" in out.text


TICKETS = (
    "Tickets cost ${p} each. Groups of 10 or more people get 10% off. A group of {n} people buys tickets. How much do they pay?"
)
TICKETS_GSM = (
    "The tickets cost {n} * {p} = <<{n}*{p}={c}>>{c} dollars.\nThe discount is {c} * 10 / 100 = <<{c}*10/100={d}>>{d} "
    "dollars.\nThey pay {c} - {d} = <<{c}-{d}={r}>>{r} dollars.\n#### {r}"
)


def tickets(n: int, p: int) -> tuple[str, str]:
    c = n * p
    return TICKETS.format(n=n, p=p), TICKETS_GSM.format(n=n, p=p, c=c, d=c // 10, r=c - c // 10)


def test_a_threshold_the_new_numbers_may_cross_is_read_by_the_model(make_engine):
    """Classes: a threshold ("10 or more", "over $50", "at least 3") whose comparison the answer never writes, and
    a number in ambiguous notation ("1.000"). Found by probing: a group of 4 was served the 10% discount (72, not
    80), with a corroborated entry; "1.000 cakes" was read as 1."""
    engine, _ = make_engine([tickets(12, 20)[1], tickets(15, 30)[1]], default="MODEL", corroborate=True)
    engine.run(Request(tickets(12, 20)[0]))
    engine.run(Request(tickets(15, 30)[0]))  # agrees: the entry is corroborated
    out = engine.run(Request(tickets(4, 20)[0]))
    assert out.text == "MODEL"
    renamed = engine.run(Request(tickets(12, 20)[0].replace("A group", "The group")))  # another template: the model
    assert renamed.text == "MODEL"
    recipe = "A recipe needs {a} cups of flour per cake. How many cups are needed for {n} cakes?"
    engine, _ = make_engine(["3 * 4 = <<3*4=12>>12 cups.\n#### 12"], default="MODEL")
    engine.run(Request(recipe.format(a=3, n=4)))
    assert engine.run(Request(recipe.format(a=3, n="1.000"))).text == "MODEL"
    assert engine.run(Request(recipe.format(a=3, n=7))).text.endswith("#### 21")  # plain numbers: still reused


def test_a_result_restated_in_words_is_never_served_stale(make_engine):
    """An answer that restates a value in words ("so seven cards") is re-derived in words, never served with the
    old word left in; a word that cannot say the new value ("twice" for 3) makes the model answer. Past ten ("seven"
    restated as 20) many writers switch to digits: "twenty" is a doubt that an answer written so settles, for the
    numbers to twenty."""
    from num2words import num2words

    def spelled(spec):
        n, k = (int(x) for x in re.findall(r"\d+", spec.prompt)[:2])
        total = 2 * n - k
        return cards(n, k)[1].replace(f"#### {total}", f"That makes {num2words(total)} cards.\n#### {total}")

    engine, backend = make_engine(respond=spelled)
    q1 = cards(5, 3)[0]
    engine.run(Request(q1))
    background.drain(10)
    out = engine.run(Request(cards(11, 2)[0]))
    background.drain(10)
    assert "seven" not in out.text and "That makes twenty cards." in out.text and out.text.endswith("#### 20")
    again = engine.run(Request(cards(11, 3)[0]))  # settled for its band (to twenty) by an answer written so: served
    assert "That makes nineteen cards." in again.text and again.trace.backend_calls == 0
    too_big = engine.run(Request(cards(80, 20)[0]))  # 140 has no plain word form here: the model answers
    assert "seven" not in too_big.text and too_big.trace.backend_calls == 1


@pytest.mark.parametrize(
    "question, answer",
    [
        # a float a program printed, carried into the next step
        (
            "Jo runs 8 miles in 3 hours. How far does Jo run in 6 hours?",
            "Jo runs 8/3=2.6666666666666665 miles per hour.\nIn 6 hours: 6 * 2.6666666666666665 = 16 miles.\n#### 16",
        ),
        # operations in words, a fraction as a result, a unit rate, an implicit product
        ("A tank holds 14 liters. Half of it leaks. How much leaks?", "14 times 1/2 equals 7 liters leak.\n#### 7"),
        ("Mo walks 14 feet in 56 minutes. How fast is Mo?", "14/56 = 1/4 feet per minute.\nThe answer is 1/4."),
        ("Ann buys 9 balls at $5 each. What does she pay?", "- 9 balls × $5/ball = $45.\n\nThe answer is 45."),
        ("A room is 81 feet by 9 feet. What is its perimeter?", "The perimeter is 2(81+9) = 180 feet.\n#### 180"),
        # "one", "per dozen" and an instruction's example are no quantities to use
        (
            "Put the answer in \\boxed{}, for example: \\boxed{42}.\n\nOne baker sells 2 dozen rolls at $18 per dozen. "
            "How much does he earn?",
            "He earns 2 * 18 = 36 dollars.\n\\boxed{36}",
        ),
        # a group a rate is given for ("15 for a pair of booties", "$4 for a dozen eggs")
        (
            "A sweater takes 3 skeins of wool, and it takes 15 for a pair of booties. Emily knits both for each of her "
            "5 grandchildren. How many skeins does she need?",
            "Each child needs 3 + 15 = 18 skeins.\nAll of them need 5 * 18 = 90 skeins.\n#### 90",
        ),
    ],
)
def test_answers_written_as_programs_and_people_write_them_verify(question, answer):
    """Classes: float output, operations in words, fraction results, unit rates, implicit products; and words of
    the question that are not quantities ("one", "per dozen", "for a pair of", an instruction's example)."""
    verdicts = _verdicts(question, answer)
    assert all(v.ok for v in verdicts), [v.reason for v in verdicts if not v.ok]


def _reused(make_engine, answer: str, first: str, then: str):
    """What ``then`` is served once ``first`` was answered with ``answer`` (the model answers "#### 0" after)."""
    engine, _ = make_engine([answer], default="#### 0")
    engine.run(Request(first))
    return engine.run(Request(then))


MARBLES = "Lucas has {n} marbles. He dropped {share} of them and found {k} again. How many marbles does he have?"


def test_a_share_and_what_is_left_of_it_follow_as_pairs(make_engine):
    """Class: a fraction of the question used through its complement ("dropped three quarters": 1 ÷ 4 are
    left). The complement follows the share (3/4 -> 3/5 leaves 2/5), never the bare denominator."""
    answer = "He kept 64 × 1 ÷ 4 = 16 marbles.\nHe has 16 + 11 = 27 marbles.\n#### 27"
    engine, backend = make_engine([answer], default="#### 0")
    engine.run(Request(MARBLES.format(n=64, share="three quarters", k=11)))
    out = engine.run(Request(MARBLES.format(n=30, share="three fifths", k=3)))
    assert out.text.endswith("#### 15") and "30 × 2 ÷ 5 = 12" in out.text and out.trace.backend_calls == 0


COD = "Will caught {n} cods. The first weighs {a} kg, the second {b} kg, each other one 10 kg. A kg sells for ${p}. What does he earn?"


def test_a_small_number_the_question_may_not_have_given_is_not_remapped(make_engine):
    """Class: value coincidence. "7 - 2" counts the first two cods, but the price is also $2: when the price
    changes, which 2 the answer meant cannot be told, so the model answers (no reuse that would be wrong)."""
    answer = (
        "The first two earn (30 + 20) * 2 = 100 dollars.\nThe other cods are 7 - 2 = 5.\n"
        "They earn 5 * 10 * 2 = 100 dollars.\nIn all 100 + 100 = 200 dollars.\n#### 200"
    )
    engine, backend = make_engine([answer], default="#### 0")
    first = engine.run(Request(COD.format(n=7, a=30, b=20, p=2)))
    assert first.trace.verified
    out = engine.run(Request(COD.format(n=7, a=30, b=20, p=3)))
    assert out.trace.backend_calls == 1 and out.text == "#### 0"


def test_counts_in_words_are_rewritten_in_words(make_engine):
    """Class: numbers in words in the answer ("one fifth", "seven times") follow their slot, in words."""
    q = "Ann saves ${n}. She spends {share} of it. How much does she spend?"
    answer = "She spends one fifth of $950: 950 × 1/5 = 190 dollars.\n#### 190"
    out = _reused(make_engine, answer, q.format(n=950, share="one fifth"), q.format(n=870, share="two thirds"))
    assert "She spends two thirds of $870: 870 × 2/3 = 580 dollars." in out.text and out.text.endswith("#### 580")
    assert out.trace.backend_calls == 0
    # where the new question says the new value in words of its own, the answer says them too ("half", not the
    # "one half" the first words' form would give: GSM-Symbolic templates 55 and 92)
    out = _reused(make_engine, answer, q.format(n=950, share="one fifth"), q.format(n=870, share="half"))
    assert "She spends half of $870: 870 × 1/2 = 435 dollars." in out.text and out.text.endswith("#### 435")


KNIT = (
    "Emily knits for her {n} grandchildren. They're {born}, so they're all the same size. Each outfit takes {s} "
    "skeins for a sweater and {m} for mittens. How many skeins does she need?"
)
KNIT_ANSWER = "One outfit takes 3 + 10 = <<3+10=13>>13 skeins.\nAll of them take 5 * 13 = <<5*13=65>>65 skeins.\n#### 65"


def test_a_count_said_again_by_a_birth_word_moves_with_it(make_engine):
    """Class: a count the question says twice, in digits and as children of one birth ("5 grandchildren. They're
    quintuplets"). The two move together, and the answer follows them; where the new question says two counts
    ("4 grandchildren. They're triplets") which one a step takes cannot be told, and the model answers."""
    first = KNIT.format(n=5, born="quintuplets", s=3, m=10)
    out = _reused(make_engine, KNIT_ANSWER, first, KNIT.format(n=4, born="quadruplets", s=6, m=9))
    assert out.trace.backend_calls == 0 and out.text.endswith("#### 60") and "4 * 15 = <<4*15=60>>60" in out.text
    out = _reused(make_engine, KNIT_ANSWER, first, KNIT.format(n=4, born="triplets", s=6, m=9))
    assert out.trace.backend_calls == 1 and out.text == "#### 0"


LIMO = (
    "{name} hires a limousine from {a} PM to {b} PM at ${p} an hour. The tip is thrice the hourly rate. How much does {name} pay?"
)
LIMO_ANSWER = (
    "The ride lasts {b} - {a} = <<{b}-{a}={h}>>{h} hours.\nThe hours cost {h} * {p} = <<{h}*{p}={c}>>{c} dollars.\n"
    "The tip is {p} * 3 = <<{p}*3={t}>>{t} dollars.\nIn all: {c} + {t} = <<{c}+{t}={s}>>{s} dollars.\n#### {s}"
)
MOVIE = "{name} puts on a film at {a} PM. It lasts {s} hours. {name} leaves as it ends, at which PM hour?"


def limo(a: int, b: int, p: int) -> tuple[str, str]:
    h = b - a
    return LIMO.format(name="Ann", a=a, b=b, p=p), LIMO_ANSWER.format(a=a, b=b, p=p, h=h, c=h * p, t=3 * p, s=h * p + 3 * p)


def test_hours_of_one_half_of_the_day_move_only_as_the_span_between_two(make_engine):
    """Class: hours of a 12-hour clock ("from 4 PM to 9 PM"). The span between two of one half of the day is their
    difference, and re-derives ("11 - 5"). An hour that shares its value with another quantity ("3 PM" and
    "thrice", "8 AM" and "octuplets") may be either: without a second answer to tell them apart, refused (see
    tests/core/tasks/test_word_served.py for the reading corroboration makes). An hour added to a duration
    ("starts at 9 PM and lasts 5 hours") passes 12, where the clock starts again: never re-derived (the adapter
    refuses, and the gate already refuses a question that asks for the hour by its noun, "at which PM hour?");
    nor a question at 12 PM."""
    first, answer = limo(4, 9, 40)
    out = _reused(make_engine, answer, first, limo(5, 11, 30)[0])
    assert out.trace.backend_calls == 0 and out.text == limo(5, 11, 30)[1]
    assert _reused(make_engine, answer, first, limo(12, 5, 40)[0]).trace.backend_calls == 1
    shared, answer = limo(3, 8, 40)
    assert _reused(make_engine, answer, shared, limo(5, 11, 30)[0]).trace.backend_calls == 1
    watch = "The film ends at 3 + 5 = <<3+5=8>>8 PM.\n#### 8"
    old, new = (parse_problem(Request(MOVIE.format(a=a, s=5, name="Ann"))) for a in (3, 9))
    assert "asks when" in WordGate().compatible(old, new).reason
    out = _reused(make_engine, watch, MOVIE.format(a=3, s=5, name="Ann"), MOVIE.format(a=9, s=5, name="Ann"))
    assert out.trace.backend_calls == 1 and out.text == "#### 0"
    # asked "When does Ann leave?", the gate refuses first (see test_a_branch_on_the_questions_own_numbers_moves_no_number)
    when = "{name} puts on a film at {a} PM. It lasts {s} hours. When does {name} leave?"
    old, new = (parse_problem(Request(when.format(a=a, s=5, name="Ann"))) for a in (3, 9))
    assert not WordGate().compatible(old, new).ok


def test_a_small_number_written_as_the_question_wrote_it_follows_its_slot(make_engine):
    """Class: a 1 or 2 the answer writes as the question did (the multiplier "twice" where it multiplies, the
    divisor of "half", "£2" after the same currency sign) follows the new question; a bare "- 2" does not."""
    q = "Ava eats 4 pieces of pie a day and David eats {m} as much. How many pieces do they eat a day?"
    answer = "David eats twice as much: 4 * 2 = 8 pieces.\nTogether 4 + 8 = 12 pieces.\n#### 12"
    out = _reused(make_engine, answer, q.format(m="twice"), q.format(m="three times"))
    assert out.text == "David eats three times as much: 4 * 3 = 12 pieces.\nTogether 4 + 12 = 16 pieces.\n#### 16"
    assert out.trace.backend_calls == 0

    q = "Sam has 60 marbles and gives away {share} of them. How many does he keep?"
    answer = "He gives away 60 / 4 = 15 marbles.\nHe keeps 60 - 15 = 45 marbles.\n#### 45"
    out = _reused(make_engine, answer, q.format(share="a quarter"), q.format(share="one fifth"))
    assert out.text == "He gives away 60 / 5 = 12 marbles.\nHe keeps 60 - 12 = 48 marbles.\n#### 48"
    assert out.trace.backend_calls == 0

    q = "A loaf costs £7. Biscuits cost £{b} each. How much do 3 loaves and 6 biscuits cost?"
    answer = "Loaves: 3 * £7 = £21.\nBiscuits: 6 * £2 = £12.\nIn all 21 + 12 = 33 pounds.\n#### 33"
    out = _reused(make_engine, answer, q.format(b=2), q.format(b=5))
    assert "6 * £5 = £30" in out.text and out.text.endswith("#### 51") and out.trace.backend_calls == 0


def test_a_fraction_is_never_followed_through_another_slot_of_the_same_value(make_engine):
    """Class: a number that two quantities of the question could give. "half" leaves a half, so ``1/2`` may be
    the share or what is left; and the 2 of "half" is not the 2 of "twice". Found as wrong reuses on GSM-Symbolic
    (templates 86 and 92): every variant here is right or answered by the model."""
    q = "Lucas slew {n} goblins. Matt slew {m} as many as Lucas. David slew {share} as many as Matt. How many did David slay?"
    answer = "Matt slew twice as many, or 2*90=<<2*90=180>>180 goblins.\nDavid slew half as many as Matt, or 180*1/2=<<180*1/2=90>>90 goblins.\n#### 90"
    engine, backend = make_engine([answer], default="#### 0")
    assert engine.run(Request(q.format(n=90, m="twice", share="half"))).trace.verified
    for n, m, share, right in ((100, "four times", "three quarters", 300), (60, "three times", "two thirds", 120)):
        out = engine.run(Request(q.format(n=n, m=m, share=share)))
        assert out.text == "#### 0" or out.text.endswith(f"#### {right}"), out.text
    q = "Her sneakers cost {share} of the ${p} price. Shorts cost $5 more than the $11 shirt. What did she pay?"
    answer = "Sneakers: 54*1/2 = 27 dollars.\nShorts: 5 + 11 = 16 dollars.\nIn all 11 + 16 + 27 = 54 dollars.\n#### 54"
    out = _reused(make_engine, answer, q.format(share="half", p=54), q.format(share="two thirds", p=60))
    assert out.text == "#### 0" or out.text.endswith("#### 67"), out.text


def test_a_conversion_constant_equal_to_a_question_number_is_not_remapped(make_engine):
    """Class: an unstated constant with a question's value ("3 yard(s) * (3 feet / 1 yard)": the question's 3 and
    3 feet per yard). Found as a wrong reuse on GSM-Symbolic (template 50, seed 7): the model answers instead."""
    q = "An office is {area} square feet. Its length is {yd} yard(s). What is its perimeter in feet?"
    answer = (
        "The length is 3 yard(s) * (3 feet / 1 yard(s)) = <<3*(3/1)=9>>9 feet.\n"
        "The width is 288 square feet / 9 feet = <<288/9=32>>32 feet.\nThe perimeter is 2(32+9) = 82 feet\n#### 82"
    )
    out = _reused(make_engine, answer, q.format(area=288, yd=3), q.format(area=960, yd=8))
    assert out.text == "#### 0" or out.text.endswith("#### 128"), out.text


def test_a_skipped_step_that_leaves_a_result_unused_is_caught():
    """Class: a slip that skips a step yet uses every number of the question ("400 + 100 = 500", then "7700 /
    400"): a result that nothing later uses is not verified (found storing a slipped answer with seed 7)."""
    q = "A hall seats 7700. 400 seats are for graduates and 100 for faculty. How many tickets does each graduate get?"
    right = "400 + 100 = <<400+100=500>>500 seats.\n7700 - 500 = <<7700-500=7200>>7200 seats.\n7200/400 = <<7200/400=18>>18 tickets\n#### 18"
    skipped = "400 + 100 = <<400+100=500>>500 seats.\n7700/400 = <<7700/400=19.25>>19.25 tickets\n#### 19.25"
    assert all(v.ok for v in _verdicts(q, right))
    verdicts = _verdicts(q, skipped)
    assert not all(v.ok for v in verdicts) and "never uses it" in next(v.reason for v in verdicts if not v.ok)


TOYS = "Ann has {a} blocks, {b} dolls and {c} cars. She buys a bag of balls, which brings her toys up to {t}. How many balls are in the bag?"


def _toys(a: int, b: int, c: int, t: int, said: int | None = None, letter: str = "T") -> str:
    s = a + b + c
    return (
        f"Let {letter} be the number of balls.\nShe has {a} + {b} + {c} + {letter} = {said or s} + {letter} = {t} toys.\n"
        f"So {letter} = {t} - {said or s} = <<{t}-{said or s}={t - (said or s)}>>{t - (said or s)} balls.\n#### {t - (said or s)}"
    )


def test_an_unknown_on_both_sides_of_an_equality_cancels(make_engine):
    """Class: an answer that names the unknown with a letter and adds it to both sides ("57 + 43 + 9 + T = 109 + T =
    182"): the sum is a computation the verifier reads (GSM-Symbolic template 9 was never stored). Added on one
    side only, or another letter on the other, or a false sum, it is no such computation: not verified."""
    q = TOYS.format(a=57, b=43, c=9, t=182)
    assert all(v.ok for v in _verdicts(q, _toys(57, 43, 9, 182)))
    assert all(v.ok for v in _verdicts(q, _toys(57, 43, 9, 182, letter="n")))
    assert [str(c.result.value) for c in computations("5 + 4 + T = 9 + T = 12")] == ["9"]
    for line in ("5 + 4 + T = 9 + U = 12", "5 + 4 + T = 9 = 12", "5 + 4 * T = 9 * T", "5 + 4 + x = 9 + x"):
        assert [c.result.value for c in computations(line)] != [9], line
    verdicts = _verdicts(q, _toys(57, 43, 9, 182, said=110))
    assert not all(v.ok for v in verdicts) and "not 110" in next(v.reason for v in verdicts if not v.ok)
    out = _reused(make_engine, _toys(57, 43, 9, 182), q, q.replace("Ann", "Sue"))
    assert out.text == _toys(57, 43, 9, 182) and out.trace.backend_calls == 0


def test_a_refused_adaptation_is_never_served_as_it_was(make_engine):
    """Class: an answer the adapter cannot re-derive whose old numbers are all numbers of the new question too
    ("4 + 3 + 4" for 7, 4 and 3 pizzas; 7 is also a week): verified there by coincidence, it was served wrong
    (seed 2). A slot echoed by a multiplier is not told from another slot of its value either (seed 2, "twice"
    and 2 kilometers)."""
    q = "An uncle eats {a} pizzas per day, his spouse eats {b} pizzas per day, and their son eats {c} pizzas per day. How many pizzas does this family eat in one week?"
    answer = "In one day they eat 4 + 3 + 4 = <<4+3+4=11>>11 pizzas.\nIn a week they eat 11 * 7 = <<11*7=77>>77 pizzas.\n#### 77"
    out = _reused(make_engine, answer, q.format(a=4, b=3, c=4), q.format(a=7, b=4, c=3))
    assert out.text == "#### 0" or out.text.endswith("#### 98"), out.text
    q = "Cold, Emma swims a kilometer in {t} minutes. Warm, she takes {d} minutes more than {m} as long. How much longer do {k} kilometers take warm than cold?"
    answer = (
        "Warm: 6+2*11=28 minutes\nCold: 2(11)=<<2*11=22>>22 minutes\nWarm: 2(28)=<<2*28=56>>56 minutes\n"
        "She takes 56-22=<<56-22=34>>34 minutes longer\n#### 34"
    )
    out = _reused(make_engine, answer, q.format(t=11, d=6, m="twice", k=2), q.format(t=12, d=6, m="twice", k=8))
    assert out.text == "#### 0" or out.text.endswith("#### 144"), out.text


def test_a_multiplier_added_as_an_amount_is_caught():
    """Class: a skipped step whose gap is filled with the question's multiplier ("718 kiwis + 2 kiwis" where the
    question said "two times the number"): found stored with seed 3 and served to names-only variants."""
    q = "Alex picks 362 kiwis on Friday and 356 on Saturday. On Sunday he picks two times the number of Friday. How many kiwis does Alex have?"
    right = "362 + 356 = 718 kiwis.\n2 × 362 = 724 kiwis.\n718 + 724 = 1442 kiwis.\n\nThe answer is 1442."
    slipped = "362 + 356 = 718 kiwis.\n718 kiwis + 2 kiwis = 720 kiwis.\n\nThe answer is 720."
    assert all(v.ok for v in _verdicts(q, right))
    verdicts = _verdicts(q, slipped)
    assert not all(v.ok for v in verdicts) and "added as an amount" in next(v.reason for v in verdicts if not v.ok)


VIRUS = "A virus infects {n} people. Every day, each infected person infects {k} others. How many people are infected after three days?"


def virus(n: int, k: int, *, slip: bool = False) -> str:
    """The worked answer; ``slip``: the first day's product skipped and ``n + n`` written for it (GSM-Symbolic
    template 98, seed 1): every computation is true and every number the question's, and for ``k = 2`` it even
    looks right."""
    lines, total = [], n
    if slip:
        lines.append(f"There are {n}+{n} = <<{n}+{n}={2 * n}>>{2 * n} infected people after the first day.")
        total, days = 2 * n, ("second", "third")
    else:
        days = ("first", "second", "third")
    for day in days:
        new = total * k
        lines.append(f"On the {day} day, {total}*{k} = <<{total}*{k}={new}>>{new} more people are infected.")
        when = "three days" if day == "third" else f"the {day} day"
        lines.append(f"There are {total} + {new} = <<{total}+{new}={total + new}>>{total + new} infected people after {when}.")
        total += new
    return "\n".join(lines) + f"\n#### {total}"


def test_a_consistent_slip_is_not_re_derived_for_other_numbers(make_engine):
    """Class: a slipped first answer that verifies (true computations, grounded numbers, wrong structure). Found
    as a wrong reuse on GSM-Symbolic (seed 1, template 98: 216 served where 324 is right). Until a second model
    answer agrees, a variant with other numbers is the model's to answer."""
    engine, backend = make_engine([virus(6, 2, slip=True), virus(12, 2), virus(5, 3)], corroborate=True)
    first = engine.run(Request(VIRUS.format(n=6, k=2)))
    assert first.trace.verified and first.text.endswith("#### 108")  # the model's own (wrong) answer, as written
    second = engine.run(Request(VIRUS.format(n=12, k=2)))
    assert second.trace.backend_calls == 1 and second.text.endswith("#### 324")
    assert "not yet corroborated" in (second.trace.skip_reason or "")
    # the slip and the right answer disagree: neither is vouched for, and the next variant is the model's too
    third = engine.run(Request(VIRUS.format(n=5, k=3)))
    assert third.trace.backend_calls == 1 and third.text.endswith("#### 320")


def test_names_alone_need_no_second_answer(make_engine):
    """Class: a names-only variant (the same numbers): the computations are the ones the model wrote."""
    engine, backend = make_engine([shop("Ann", 3, 12, 50)[1]], default="#### 0", corroborate=True)
    engine.run(Request(shop("Ann", 3, 12, 50)[0]))
    out = engine.run(Request(shop("Bea", 3, 12, 50)[0]))
    assert out.trace.path == "reuse" and out.trace.backend_calls == 0 and out.text.endswith("#### 14")
    assert "Bea spends" in out.text and "Ann" not in out.text


def test_an_agreeing_second_answer_corroborates_the_entry(make_engine):
    """Class: corroboration. A second model answer to other numbers that agrees with the first re-derived marks
    both entries for the slots it changed; later variants are re-derived, in other numbers and names, with no
    model call. A second answer that keeps a number the answer computes with (the count of shirts) vouches for
    nothing: there a 3 of the answer could as well be a result it never wrote down that happens to be 3 (see
    ``WordCorroboration.vouching``)."""
    script = [shop("Ann", 3, 12, 50)[1], shop("Ann", 3, 14, 60)[1], shop("Ann", 4, 13, 70)[1]]
    engine, backend = make_engine(script, default="#### 0", corroborate=True)
    engine.run(Request(shop("Ann", 3, 12, 50)[0]))
    assert engine.run(Request(shop("Ann", 3, 14, 60)[0])).trace.backend_calls == 1
    out = engine.run(Request(shop("Ann", 4, 13, 70)[0]))  # the count of shirts kept its value at both answers
    assert out.trace.backend_calls == 1 and len(backend.calls) == 3
    for name, n, p, b in (("Ivy", 3, 15, 50), ("Ann", 3, 14, 70), ("Ida", 3, 11, 70), ("Eve", 5, 11, 90), ("Zoe", 2, 20, 45)):
        out = engine.run(Request(shop(name, n, p, b)[0]))
        assert out.trace.backend_calls == 0 and out.text == shop(name, n, p, b)[1]
    assert len(backend.calls) == 3


def test_a_value_that_could_hide_a_slip_is_not_vouched_for(make_engine):
    """Class: a slip that a value hides. ``n + n`` for ``n × k`` agrees with the right answer wherever k is 2, so
    an agreement at a point where k is 2 vouches for the other slots, not for k: a variant that changes k is the
    model's to answer. And an agreement at a point that keeps k (a slip ``6 + 6`` at k = 2, then 12 people at
    k = 2) vouches for nothing: the next variant is the model's too."""
    engine, backend = make_engine([virus(6, 4), virus(12, 2), virus(5, 5)], default="#### 0", corroborate=True)
    assert engine.run(Request(VIRUS.format(n=6, k=4))).trace.verified
    assert engine.run(Request(VIRUS.format(n=12, k=2))).trace.backend_calls == 1  # agrees, k is 2 there
    out = engine.run(Request(VIRUS.format(n=7, k=4)))  # (9 would cross 1,000, which no text shows how it writes)
    assert out.trace.backend_calls == 0 and out.text == virus(7, 4)
    out = engine.run(Request(VIRUS.format(n=5, k=5)))
    assert out.trace.backend_calls == 1 and out.text == virus(5, 5)

    slip = virus(6, 2).replace("6*2 = <<6*2=12>>12", "6+6 = <<6+6=12>>12")
    engine, backend = make_engine([slip, virus(12, 2), virus(9, 2), virus(5, 3)], default="#### 0", corroborate=True)
    assert engine.run(Request(VIRUS.format(n=6, k=2))).trace.verified
    assert engine.run(Request(VIRUS.format(n=12, k=2))).trace.backend_calls == 1  # agrees: 12 + 12 is 12 × 2
    for n, k, total in ((9, 2, 243), (5, 3, 320)):
        out = engine.run(Request(VIRUS.format(n=n, k=k)))
        assert out.trace.backend_calls == 1 and out.text.endswith(f"#### {total}")


def test_caller_made_calls_corroborate_through_record(make_engine):
    """Class: the route where the caller's own call answers a miss and hands its answer to ``record`` (LangChain's
    cache, streams): a recorded answer that agrees corroborates the entry as a generated one does."""
    engine, _ = make_engine(corroborate=True)
    assert engine.record(Request(shop("Ann", 3, 12, 50)[0]), shop("Ann", 3, 12, 50)[1])
    assert engine.lookup(Request(shop("Ann", 4, 13, 55)[0])) is None
    assert engine.record(Request(shop("Ann", 4, 13, 55)[0]), shop("Ann", 4, 13, 55)[1])
    out = engine.lookup(Request(shop("Bea", 3, 9, 30)[0]))
    assert out is not None and out.text.endswith("#### 3") and out.trace.backend_calls == 0
    # a recorded slip that disagrees corroborates nothing
    engine, _ = make_engine(corroborate=True)
    engine.record(Request(VIRUS.format(n=6, k=2)), virus(6, 2, slip=True))
    engine.record(Request(VIRUS.format(n=12, k=2)), virus(12, 2))
    assert engine.lookup(Request(VIRUS.format(n=5, k=3))) is None


@pytest.mark.parametrize(
    "phrase",
    [
        "orders of $50 or higher ship free",
        "orders that exceed $50 ship free",
        "orders of $50+ ship free",
        "orders ≥ $50 ship free",
        "orders greater than or equal to $50 ship free",
    ],
)
def test_threshold_phrasings_are_read(phrase):
    """Class: a threshold in other words (found in review: these phrasings were not read as thresholds)."""
    from stepcache_core.tasks.word.gate import _THRESHOLD

    assert _THRESHOLD.search(phrase)


# --------------------------------------------------------------- found by probing unseen inputs (issue 22 review)
@pytest.mark.parametrize(
    "first, second",
    [
        (
            "Ann scored 80 points. Bob scored 15% more points than Ann. How many points did Bob get?",
            "Ann scored 80 points. Bob scored 15 more points than Ann. How many points did Bob get?",
        ),
        (
            "Ann scored 80 points. Bob scored 15 more points than Ann. How many points did Bob get?",
            "Ann scored 80 points. Bob scored 15% more points than Ann. How many points did Bob get?",
        ),
    ],
)
def test_a_percentage_and_a_plain_number_are_other_questions(first, second):
    """Class: the same number as a percentage and as an amount ("15% more" / "15 more"): other questions (the
    cached answer came back word for word: 92 for 95)."""
    assert parse_problem(Request(first)).template != parse_problem(Request(second)).template


THRESHOLDS = [
    "Orders over {t} dollars ship free.",
    "Orders larger than ${t} ship free.",
    "Orders that top ${t} ship free.",
    "Orders past ${t} ship free.",
    "Orders which surpass ${t} ship free.",
    "Orders in excess of ${t} ship free.",
    "Orders over USD {t} ship free.",
    "Orders that reach ${t} ship free.",
    "Orders of ${t} and more ship free.",
    "Orders of ${t} or beyond ship free.",
    "Orders (min. ${t}) ship free.",
    "Seniors {t} or older ship free.",
    "Children {t} and under ship free.",
    "Parcels of {t}kg+ ship free.",
    "Orders of at least {t} items ship free.",
]


@pytest.mark.parametrize("phrase", THRESHOLDS)
def test_a_threshold_is_read_by_the_words_around_its_number(phrase):
    """Class: a threshold in any words that compare with a number, the number in digits or in words ("over fifty
    dollars", "(min. $50)", "65 or older", "5kg+"): no number may move (a $40 order was served 40, not 45, once a
    probe on the same side of the threshold corroborated)."""
    text = phrase + " Shipping costs $5. Ann buys {n} books at $10 each. How much does Ann pay?"
    for t in ("50", "fifty"):
        if t == "fifty" and ("$" in phrase or "{t}kg" in phrase):
            continue
        old = parse_problem(Request(text.format(t=t, n=6)))
        new = parse_problem(Request(text.format(t=t, n=4)))
        verdict = WordGate().compatible(old, new)
        assert not verdict.ok and "threshold" in verdict.reason, (phrase, t)


@pytest.mark.parametrize(
    "question",
    [
        "Ann has 5 more apples than Bo. Bo has 7 apples. How many apples does Ann have?",
        "Tom has 3 more than twice as many cards as Sam. Sam has 8 cards. How many cards does Tom have?",
        "A shop sells 40 shirts over 5 days. How many shirts does it sell each day?",
    ],
)
def test_amounts_that_are_not_thresholds_still_move(question):
    """Class: "5 more apples than", "3 more than twice", "over 5 days" (a span): amounts, not comparisons with a
    limit; variants with other numbers are still the adapter's."""
    old = parse_problem(Request(question))
    new = parse_problem(Request(re.sub(r"\b(\d+)\b", lambda m: str(int(m[1]) + 1), question, count=1)))
    assert WordGate().compatible(old, new).ok


REACHED = (
    "Ann has {a} blocks, {b} dolls and {c} cars. She buys a bag of balls, bringing her total number of toys up to {t}. "
    "How many balls are in the bag?"
)


def test_a_total_said_to_reach_a_number_moves(make_engine):
    """Class (GSM-Symbolic template 9): a total said to have reached a number, in narration ("bringing her total
    number of toys up to 182.", "which brought the sum up to $96."): the total became that number, an amount the
    answer sums to, not a limit. Its variants are the adapter's, and one whose parts outgrow the total is still refused (a
    negative count)."""
    first = REACHED.format(a=57, b=43, c=9, t=182)
    out = _reused(make_engine, _toys(57, 43, 9, 182), first, REACHED.format(a=50, b=40, c=10, t=150))
    assert out.text == _toys(50, 40, 10, 150) and out.trace.backend_calls == 0
    out = _reused(make_engine, _toys(57, 43, 9, 182), first, REACHED.format(a=50, b=40, c=10, t=90))
    assert out.text == "#### 0" and out.trace.backend_calls == 1
    sums = "Ann pays ${a} for a hat, ${b} for a scarf and buys a bag, which brought the sum up to ${t}. How much is the bag?"
    assert (
        WordGate()
        .compatible(parse_problem(Request(sums.format(a=5, b=7, t=20))), parse_problem(Request(sums.format(a=6, b=7, t=22))))
        .ok
    )


@pytest.mark.parametrize(
    "limit",
    [
        "She buys a bag of balls, which brings her toys up to {t}.",  # no word says a total: "her toys up to 40"
        "The ferry brings cars up to {t} tons across.",
        "She brings her kids up to age {t} for free.",
        "She can take her total up to {t} toys.",
        "She buys a bag of balls without bringing her total up to {t}.",
        "Will the bag bring her total number of toys up to {t}?",
        "Her aunt may add balls up to {t} toys in all.",
        # a rule, said of each one (helper-80: 3 or 4 false of 8 in each grid, two uses of one cap)
        "Each toy she buys brings the toy count up to {t}, the most her shelf holds.",
        "Each hour pushes the daily total up to ${t}, and never higher.",
        "Each bag she buys brings her toys total up to {t} toys at most for a day.",
        # a cap said after the number, of a total reached
        "She bought a bag, bringing her total up to {t}, the most her shelf holds.",
        "She bought a bag, bringing her toy total up to {t} toys at most.",
    ],
)
def test_up_to_a_number_is_a_limit_unless_a_total_is_said_to_reach_it(limit):
    """Class: "up to" a number after anything but a total said to have reached it, in narration and the number
    ending its sentence: a limit (a cap, a rule for each one, a range of ages or weights, a target the numbers may
    miss), whose side the new numbers may cross."""
    text = "Ann has {a} blocks and 9 dolls. " + limit + " How many toys does Ann have?"
    old, new = (parse_problem(Request(text.format(a=a, t=40))) for a in (12, 15))
    verdict = WordGate().compatible(old, new)
    assert not verdict.ok and "threshold" in verdict.reason, limit


@pytest.mark.parametrize(
    "question",
    [
        "Cid has {a} stickers and Dan has 9 stickers. The one with more stickers gives 3 stickers to the other. How many stickers does Cid have now?",
        "Tickets cost $5 on even days and $8 on odd days. Ann buys 3 tickets on day {a}. How much does Ann pay?",
        "A movie starts at {a} o'clock and lasts 5 hours. At what hour does the movie end?",
        "On a 12-hour clock, a movie starts at {a} and lasts 5 hours. At what hour does it end?",
        # a question that asks when, in any language the gate reads
        "Ann starts cooking at {a} and cooks for 5 hours. When does Ann finish?",
        "The shop opens at {a} and stays open 5 hours. Until when is it open?",
        "The movie starts at {a} and is 5 hours long. Work out when it ends.",
        "Ana empieza a las {a} y trabaja 5 horas. ¿Cuándo termina?",
        "Anna beginnt um {a} und arbeitet 5 Stunden. Wann ist sie fertig?",
        "Anne commence à {a} heures et travaille 5 heures. Quand finit-elle ?",
        # a question that asks for a point in time by its noun (helper-119), in any language the gate reads
        "Tom's train leaves at {a} and travels for 5 hours. What is the arrival time of the train?",
        "Der Zug von Tom fährt um {a} los und fährt 5 Stunden. Um wie viel Uhr kommt der Zug an?",
        "Der Zug von Tom fährt um {a} los und fährt 5 Stunden. Welche Ankunftszeit hat der Zug?",
        "El tren de Ana sale a las {a} y viaja durante 5 horas. ¿Cuál es la hora de llegada del tren?",
        "O trem de Ana parte às {a} e viaja durante 5 horas. Qual é o horário de chegada do trem?",
        "De trein van Sanne vertrekt om {a} en rijdt 5 uur. Wat is de aankomsttijd van de trein?",
        "Today is day {a} of the month for the Smiths. Which day of the month is it in 5 days?",
        "Heute ist der {a}. Tag des Monats bei Familie Krause. Welcher Tag des Monats ist in 5 Tagen?",
        "Nous sommes le {a} du mois chez les Martin. Quel jour du mois serons-nous dans 5 jours ?",
        "El cumpleaños de Ana es en el mes {a}. El de Luis es 5 meses después. ¿En qué mes es el cumpleaños de Luis?",
        # and in the forms helper-120 found past a list of nouns: no question word the list had, more words between,
        # an elided article, a title's full stop, an abbreviation, a plural, a heading or a minute of the hour
        "Tom's train leaves at {a} and travels for 5 hours. What's the arrival time of the train?",
        "Tom's train leaves at {a} and travels for 5 hours. Find the arrival time of the train.",
        "Tom's train leaves at {a} and travels for 5 hours. What is, then, the express train's scheduled arrival time?",
        "Tom's train leaves at {a} and travels for 5 hours. What is the train's ETA?",
        "Mr. Lee's train leaves at {a} and travels for 5 hours. When does Mr. Lee's train arrive?",
        "Tom's train leaves at {a} and travels for 5 hours. What are the arrival times of the train?",
        "Der Zug von Tom fährt um {a} los und fährt 5 Stunden. Wie spät ist es bei der Ankunft?",
        "Der Zug von Tom fährt um {a} los und fährt 5 Stunden. Um wieviel Uhr kommt der Zug an?",
        "Le train de Léa part à {a} heures et roule pendant 5 heures. Quelle est l'heure d'arrivée du train ?",
        "Il treno di Marco parte alle {a} e viaggia per 5 ore. Qual è l'ora di arrivo del treno?",
        "Ana's birthday is in month {a}. Luis's birthday is 5 months later. What's the number of Luis's birthday month?",
        "Tom's ship sails on a course of {a}0 degrees. It turns by 90 degrees. What is the ship's new course in degrees?",
        "Tom's bus leaves at {a} minutes past and the ride takes 25 minutes. At what minute does the bus arrive?",
    ],
)
def test_a_branch_on_the_questions_own_numbers_moves_no_number(question):
    """Class: the answer's branch depends on how the question's own numbers compare (the one with more), on
    parity (even days) or on a clock (hours wrap): re-derived, the old branch was served ("Cid has 5 and Dan 9, so
    Cid has more"; 10 o'clock + 5 hours = 15). A question that asks when asks an hour or a date, which wraps where
    the answer's sum does not (6 + 5 hours is 11 o'clock, 11 + 5 is 4)."""
    verdict = WordGate().compatible(parse_problem(Request(question.format(a=11))), parse_problem(Request(question.format(a=6))))
    assert not verdict.ok


@pytest.mark.parametrize(
    "question",
    [
        "Ann buys a hat for ${a} and 3 scarves for $4 each. How much does Ann spend?",
        "A fire truck carries {a} hoses of 20 meters each. How many meters of hose does it carry?",
        "Anna hat {a} Äpfel und kauft 3 Birnen. Wie viele Früchte hat Anna?",
    ],
)
def test_words_that_are_numbers_only_in_another_language_move_numbers(question):
    """Class (helper-58): "hat" is six in Hungarian and "fire" four in Danish; in an English question (and "hat"
    in a German one, where it is the verb) they are words, not a number the task does not read."""
    verdict = WordGate().compatible(parse_problem(Request(question.format(a=5))), parse_problem(Request(question.format(a=7))))
    assert verdict.ok, verdict.reason


@pytest.mark.parametrize(
    "question",
    [
        "Ann was {a} when she started school 5 years ago. How old is Ann now?",
        "Ann has {a} apples when she gets home and eats 5. How many apples does Ann have left when she goes to bed?",
        "¿Cuántas manzanas tiene Ana cuando llega a casa, si tenía {a} y comió 5?",
        # a time noun in a question that asks an amount or a rate, not a point in time
        "Ann works {a} hours a day for 5 days. What is her pay per day if she earns $3 an hour?",
        "Ann works {a} hours a day for 5 days. What percentage of her day does she work?",
        "Als Ann {a} uur per dag werkt en 5 uur slaapt, welk percentage van haar dag werkt ze?",
        "Ann wartet {a} Minuten und dann 5 Minuten. Wie viel Zeit wartet Ann insgesamt?",
        "Ann plays {a} games of 5 minutes. How much time did she spend playing these games?",
        "Lisa liest {a} Seiten am Tag. Wie viele Tage braucht Lisa für 50 Seiten?",
        "Léa lit {a} pages par heure. Combien d'heures lui faut-il pour 50 pages ?",
        "Anna legge {a} pagine al giorno. Quanti giorni le servono per 50 pagine?",
        "Sanne leest {a} bladzijden per uur. Hoeveel uur heeft ze nodig voor 50 bladzijden?",
        "Mr. Patel has ${a} and spends $5. What is Mr. Patel's budget now?",
    ],
)
def test_an_amount_asked_at_a_time_still_moves(question):
    """Class: "when" inside a question that asks an amount ("How many ... when she goes to bed?") asks no time."""
    verdict = WordGate().compatible(parse_problem(Request(question.format(a=30))), parse_problem(Request(question.format(a=40))))
    assert verdict.ok, verdict.reason


@pytest.mark.parametrize(
    "question",
    [
        "{n} har {a} äpplen och köper 5 till. Hur mycket frukt har {n} nu?",
        "{n} ma {a} jabłek i kupuje 5. Jaka jest teraz liczba jabłek?",
        "{n} has {a} apples and buys 5 more. {n}'s apples now number?",
    ],
)
def test_a_question_that_asks_no_amount_the_gate_reads_moves_no_number(question):
    """Class: a question whose asking the gate does not read as an amount: in a language whose amount words it does
    not read past "how many" (Swedish, Polish), or in a form no list holds. What it asks may be a time, a date, a
    heading, a verdict: where the gate cannot tell, the numbers do not move (a rename still does)."""
    gate = WordGate()
    first = parse_problem(Request(question.format(n="Anna", a=3)))
    assert not gate.compatible(first, parse_problem(Request(question.format(n="Anna", a=4)))).ok
    renamed = gate.compatible(first, parse_problem(Request(question.format(n="Clara", a=3))))
    assert renamed.ok, renamed.reason


def test_the_callers_instructions_beside_the_question_stop_numbers_moving(make_engine):
    """Class: a system prompt that changes what the answer must be ("Round every amount to the nearest ten."),
    read as the request's context: numbers do not move; a persona ("You are a patient math tutor.") does not stop
    them."""
    q = SHOP.format(name="Ann", n=3, p=12, b=50)
    q2 = SHOP.format(name="Ann", n=3, p=14, b=50)
    gate = WordGate()
    rounding = "Round every amount to the nearest ten."
    assert not gate.compatible(parse_problem(Request(q, context=rounding)), parse_problem(Request(q2, context=rounding))).ok
    persona = "You are a patient math tutor. Explain every step."
    assert gate.compatible(parse_problem(Request(q, context=persona)), parse_problem(Request(q2, context=persona))).ok


@pytest.mark.parametrize(
    "question",
    [
        "Andrea scored 208 points. Chris scored 9 points more than half as many as Andrea. How many points did they score in total?",
        "Each llama needs 14 kg, and each duck needs 8 kg less than twice the amount each llama needs. If there are 10 llamas and 33 ducks, how many kg of grain are needed?",
    ],
)
def test_an_amount_more_than_a_multiple_is_not_a_threshold(question):
    """Class: "9 points more than half as many", "8 kg less than twice": arithmetic on a multiple (GSM-Symbolic
    templates 53, 71, 93), not a limit; found when the threshold reading was widened."""
    old = parse_problem(Request(question))
    new = parse_problem(Request(re.sub(r"\b(\d+)\b", lambda m: str(int(m[1]) + 2), question, count=1)))
    assert WordGate().compatible(old, new).ok


def test_a_threshold_after_an_article_is_still_one():
    """Class: "a price more than $50": the article is not an amount."""
    q = "Shipping is free for a basket more than ${t}. Shipping costs $5. Ann buys 6 books at $10 each. How much does Ann pay?"
    assert not WordGate().compatible(parse_problem(Request(q.format(t=50))), parse_problem(Request(q.format(t=40)))).ok


MORE_LIMITS = [
    "Each customer is limited to {t} pens. Pens cost $3 each. Ann wants {n} pens. How much does Ann pay?",
    "Taxis charge a minimum fare of ${t}. A ride costs $2 per mile. Ann rides {n} miles. How much does Ann pay?",
    "Buyers of between {t} and 40 shirts get 10% off. Shirts cost $5. Ann buys {n} shirts. How much does Ann pay?",
    "Refunds are capped at ${t}. Ann returns {n} books at $4 each. How much is Ann refunded?",
    "Orders of {t}-40 pens ship free, others pay $3. Pens cost $2. Ann buys {n} pens. How much does Ann pay?",
    "A movie starts at {t} pm and lasts {n} hours. At what hour does it end?",
    "It is hour {t} of the day. In {n} hours, what hour of the day will it be?",
    "Today is day {t} of the week. What day of the week is it in {n} days?",
    "In the year 20{t}, Ann saves $3 a day for {n} days of the year. How much does Ann save?",
    "A shop is open Monday to Friday and sells {t} cakes a day. How many cakes does it sell in {n} days?",
    "A red shirt costs ${t} and a blue shirt costs ${n}. Ann buys 3 of the cheaper shirts. How much does Ann pay?",
    "Ann scored {t} points and Bob scored {n} points. The winner gets 5 bonus points. How many points does Bob end with?",
    "Ann has {t} apples and Bob has {n}. If Ann has more apples than Bob, she gives him 3; otherwise he gives her 4. How many apples does Bob have?",
    "A pen costs ${t}. Ann buys {n} pens. Round the total cost to the nearest ten dollars. How much does Ann pay?",
    # a second helper's round: how often, capped ("only once per day"), a period of the calendar or of work
    "A machine bakes {n} loaves every {t} hours, but only once per day. How many loaves does it bake a week?",
    "A machine bakes {n} loaves every {t} hours, but no more than one batch per calendar day. How many a week?",
    "Renting a bike costs ${t} per day, but no one is billed for more than a calendar month. What do {n} days cost?",
    "Renting a bike costs ${t} per day, but no one is billed for more than a school year. What do {n} days cost?",
    "Renting a bike costs ${t} per day, but billing is capped per fortnight. What do {n} days cost?",
    # a third round: whole units of a period or a group, where the answer prices per smaller unit (350 / 7 a day)
    "Eggs are sold only by the dozen, at ${t} per dozen. Ann needs {n} eggs. How much does Ann spend?",
    "Cabins are rented by the week only, at ${t} per week. Ann stays {n} days. How much does Ann pay?",
    "The garage charges ${t} per hour, and any part of an hour is billed in full. Ann parks {n}0 minutes. What is owed?",
    "Bikes are rented by the whole day, at ${t} per day. Ann rides for {n} hours. How much does Ann pay?",
    "Cabins cost ${t} per week; there are no daily rates. Ann stays {n} days. How much does Ann pay?",
    "Eier gibt es nur im Dutzend, {t} Euro pro Dutzend. Ann braucht {n} Eier. Wie viel zahlt Ann?",
    # a fourth round: offers on pairs, where an odd count decides and the answer halved the price (10 / 2 a shirt)
    "Ann buys {n} shirts at ${t} each. The shop runs a buy one, get one free offer. How much does Ann pay?",
    "Ann buys {n} mugs at ${t} each. The second mug of each pair is half price. How much does Ann pay?",
    "Mugs are sold two-for-one at ${t} a mug. Ann takes {n} mugs. How much does Ann pay?",
    "Tassen gibt es zwei zum Preis von einer, {t} Euro die Tasse. Ann nimmt {n} Tassen. Wie viel zahlt Ann?",
]


@pytest.mark.parametrize("question", MORE_LIMITS)
def test_limits_ranges_branches_calendars_and_roundings_move_no_number(question):
    """Class (second probe of unseen inputs): a limit, a range, a branch in words ("cheaper", "the winner",
    "otherwise"), a clock or calendar ("11 pm", "day 6 of the week", "Monday to Friday", "in the year 2024") or a
    rounding asked in the question: each served a wrong answer once a probe on the same side agreed (42 for 30,
    14 o'clock, 1095 for a leap year, 42 for 40)."""
    old = parse_problem(Request(question.format(t=12, n=9)))
    new = parse_problem(Request(question.format(t=12, n=14)))
    assert not WordGate().compatible(old, new).ok, question


# (a question, the same question with only names changed, whose answer differs with the same numbers)
NAMES_THAT_DECIDE = [
    # a thing the question counts, capitalised where a sentence starts, is no name: swapped, it takes another price
    (
        "Pears cost $2 each. Apples cost $3 each. Ann buys 4 apples and 5 pears. How much does Ann pay?",
        "Apples cost $2 each. Pears cost $3 each. Ann buys 4 apples and 5 pears. How much does Ann pay?",
    ),
    (
        "Children pay $9 per ticket and Adults pay $4 per ticket. The Lees bring 2 adults and 3 children. How much "
        "do the Lees pay?",
        "Adults pay $9 per ticket and Children pay $4 per ticket. The Lees bring 2 adults and 3 children. How much "
        "do the Lees pay?",
    ),
    # siblings: whether the one named is a brother or a sister
    (
        "Tom has 3 brothers and 7 sisters. How many more sisters than brothers does each of Tom's brothers have?",
        "Ann has 3 brothers and 7 sisters. How many more sisters than brothers does each of Ann's brothers have?",
    ),
    (
        "Lena hat 3 Brüder und 7 Schwestern. Wie viele Schwestern hat jeder von Lenas Brüdern?",
        "Jonas hat 3 Brüder und 7 Schwestern. Wie viele Schwestern hat jeder von Jonas Brüdern?",
    ),
    # the letters of a name
    (
        "Engraving a name costs $2 per letter. Maria engraves Maria's name on 3 mugs. How much does Maria pay?",
        "Engraving a name costs $2 per letter. Christopher engraves Christopher's name on 3 mugs. How much does Christopher pay?",
    ),
    # the clock of a place
    (
        "Ann leaves London at 3 o'clock London time and flies 4 hours to Paris. What time is it in Paris when Ann lands?",
        "Ann leaves London at 3 o'clock London time and flies 4 hours to Tokyo. What time is it in Tokyo when Ann lands?",
    ),
    # a second helper's round: girls and boys counted or priced, a word engraved, a surname, a time in words
    (
        "The Lee family has 3 daughters and 2 sons. Ann is one of their children. How many sisters does Ann have?",
        "The Lee family has 3 daughters and 2 sons. Tom is one of their children. How many sisters does Tom have?",
    ),
    (
        "At camp each girl pays 5 dollars and each boy pays 3 dollars. Ann, Mary and Tom sign up. How much do they pay?",
        "At camp each girl pays 5 dollars and each boy pays 3 dollars. Ann, Peter and Tom sign up. How much do they pay?",
    ),
    (
        "An engraver charges 3 dollars per letter. Ann has the word Love engraved on a ring and pays a 5 dollar fee "
        "too. How much does it cost?",
        "An engraver charges 3 dollars per letter. Ann has the word Forever engraved on a ring and pays a 5 dollar "
        "fee too. How much does it cost?",
    ),
    (
        "A 3-hour meeting starts at 9 in the morning in London. What hour is it in Dublin when the meeting ends?",
        "A 3-hour meeting starts at 9 in the morning in London. What hour is it in Athens when the meeting ends?",
    ),
    # a fourth helper's round: an order of names (5 served wrong of 7), a name also written in capitals or with
    # accents, where the parser reads that form as text (6 of 6)
    (
        "Ann has 30 stickers and Sue has 12 stickers. The girl listed first in alphabetical order gives the other 4 "
        "stickers. How many more stickers does Ann have than Sue now?",
        "Sue has 30 stickers and Ann has 12 stickers. The girl listed first in alphabetical order gives the other 4 "
        "stickers. How many more stickers does Sue have than Ann now?",
    ),
    (
        "Ann has 30 stickers and Sue has 12. They sort themselves A to Z, and the first gives the other 4. How many "
        "more stickers does Ann have than Sue now?",
        "Zoe has 30 stickers and Sue has 12. They sort themselves A to Z, and the first gives the other 4. How many "
        "more stickers does Zoe have than Sue now?",
    ),
    (
        "Chloé has 23 stickers and Jim has 11 stickers. Jim gives Chloe 5 stickers. How many more stickers does Chloé "
        "have than Jim now?",
        "Chloé has 23 stickers and Jim has 11 stickers. Jim gives Emma 5 stickers. How many more stickers does Chloé "
        "have than Jim now?",
    ),
    (
        "ANN has 20 stickers and Tom has 9 stickers. Tom gives Ann 4 stickers. How many more stickers does ANN have "
        "than Tom now?",
        "ANN has 20 stickers and Tom has 9 stickers. Tom gives Sue 4 stickers. How many more stickers does ANN have "
        "than Tom now?",
    ),
]


@pytest.mark.parametrize(("question", "renamed"), NAMES_THAT_DECIDE)
def test_a_name_that_decides_the_answer_by_itself_is_not_renamed(question, renamed):
    """Class (a helper's probe of names-only variants, 8 served wrong in 6 families): a capitalised word that
    looks like a name but decides the answer with the numbers unchanged. Item words capitalised at a sentence
    start ("Pears cost $2 each" beside "5 pears") were names, and swapping them swapped the prices; a sibling
    question depends on whether the one named is a brother or a sister; a price per letter of a name on its
    length; the time in a place on the place. None of them is served for the renamed question."""
    assert not WordGate().compatible(parse_problem(Request(question)), parse_problem(Request(renamed))).ok


def test_names_that_decide_nothing_are_still_renamed():
    """Class: the cost side. People renamed beside item words, a clock of no place, or a sister named as one still
    follow."""
    pairs = [
        ("Ann buys 4 apples and 5 pears at $2 each. How much does Ann pay?", "Bea"),
        ("Joshua hires a limousine from 3 PM to 7 PM at $37 an hour. How much does Joshua pay?", "Jason"),
        ("David is 20 years old. In 5 years his sister Abby will be twice as old as David is now. How old is Abby?", "Mark"),
    ]
    for question, name in pairs:
        old = parse_problem(Request(question))
        new = parse_problem(Request(question.replace(old.names[0], name)))
        assert old.names != new.names and WordGate().compatible(old, new).ok, question


@pytest.mark.parametrize(
    "instruction",
    [
        "Put your final numeric answer in \\boxed{}.",
        "Write the answer as a whole number.",
        "Give each step on a line of its own.",
        "Show all your work.",
        "Mark the final answer with ####.",
    ],
)
def test_a_verb_that_opens_an_instruction_is_no_name(instruction):
    """Class: a caller's instruction that opens with a capitalised verb ("Put your final answer...", GSM-Symbolic's
    own prompt; "Mark the final answer"): no person, and no slot of the template. Read as a name of no clear
    gender, it stood in every pattern of genders, and a rename across genders waited for a relabelled point that
    no probe could give. A verb is followed by its object's determiner ("your", "the", "each", "all"), a name by
    what the person does; the instruction stays in the template as written."""
    question = f"{instruction} Ann buys 3 apples at $2 each. How much does Ann pay?"
    problem = parse_problem(Request(question))
    assert problem.names == ("Ann",)
    assert instruction.split()[0] in problem.template
    renamed = parse_problem(Request(question.replace("Ann", "Tom")))
    assert WordGate().compatible(problem, renamed).ok


@pytest.mark.parametrize(
    ("question", "thing", "changed"),
    [
        ("Laura hid 60 eggs for the Easter egg hunt. Emily finds 5 eggs. How many eggs are still hidden?", "Easter", "Diwali"),
        ("The Jones family bakes 80 biscuits and eats 12. How many biscuits are left?", "Jones", "Smith"),
        ("Ann wants a Tesla that costs $900 a month to lease. How much does Ann pay in 3 months?", "Tesla", "Ford"),
    ],
)
def test_a_capitalised_word_after_an_article_is_no_person(question, thing, changed):
    """Class: a capitalised word right after "the", "a" or "an" (GSM-Symbolic's "the Easter egg hunt", "The Jones
    family", a brand): an event, a family or a thing, not someone the template renames. Read as a name the data
    gives to both genders ("Easter"), it stood in every pattern of genders, and a rename of the people around it
    waited for relabelled points for both of its readings. It stays a word of the text: another one is another
    question (the gate refuses), and the people beside it are still renamed."""
    problem = parse_problem(Request(question))
    assert thing not in problem.names and thing in problem.template
    assert not WordGate().compatible(problem, parse_problem(Request(question.replace(thing, changed)))).ok
    if problem.names:
        renamed = parse_problem(Request(question.replace(problem.names[0], "Maria")))
        assert WordGate().compatible(problem, renamed).ok


def test_a_line_stating_the_branch_is_a_claim_even_in_the_questions_words(make_engine):
    """Class: the reused answer says which branch holds ("So Bob has more.") with a word the question uses
    elsewhere ("how many more pens"): a claim about the cached numbers, stale when they move; the question's own
    phrase ("4 more pens than Ann") is not."""
    from stepcache_core.tasks.word.carry import WordCarryover

    q = "Ann has {a} pens and Bob has {b} pens. How many more pens does Bob have than Ann?"
    cached = "So Bob has more.\n{b} - {a} = <<{b}-{a}={c}>>{c}\n#### {c}"
    old, new = parse_problem(Request(q.format(a=5, b=9))), parse_problem(Request(q.format(a=6, b=9)))
    steps = LayoutSegmenter().segment(cached.format(a=5, b=9, c=4), origin="cached")
    adapted = LayoutSegmenter().segment(cached.format(a=6, b=9, c=3), origin="adapted")
    found = WordCarryover().stale(old, new, steps, adapted, cached)
    assert found and any("'more'" in v.reason for v in found)
    restated = "Bob has 9 - 5 = <<9-5=4>>4 more pens than Ann.\n#### 4"
    steps = LayoutSegmenter().segment(restated, origin="cached")
    adapted = LayoutSegmenter().segment(restated.replace("9 - 5 = <<9-5=4>>4", "9 - 6 = <<9-6=3>>3"), origin="adapted")
    assert not WordCarryover().stale(old, new, steps, adapted, restated)


LOAVES = "A loaf costs ${l}. Biscuits cost ${b} each. How much more do {n} loaves cost than {k} biscuits?"
LOAVES_GSM = (
    "{n} loaves cost {n} * {l} = <<{n}*{l}={x}>>{x} dollars.\n{k} biscuits cost {k} * {b} = <<{k}*{b}={y}>>{y} dollars.\n"
    "The loaves cost {x} - {y} = ${d} more than the biscuits.\n#### {d}"
)


def loaves(loaf: int, b: int, n: int, k: int, form: str = LOAVES_GSM) -> tuple[str, str]:
    x, y = n * loaf, k * b
    return LOAVES.format(l=loaf, b=b, n=n, k=k), form.format(l=loaf, b=b, n=n, k=k, x=x, y=y, d=x - y)


def test_a_positive_amounts_comparative_is_no_claim_and_a_verbs_is(make_engine):
    """Class: a computed amount's comparative ("$9 more than the biscuits", "28 more blue cards than red cards", "10
    years older than"): how much, true while the amount stays positive, which the adapter keeps. Every such line was
    refused as a claim (GSM-Symbolic templates 38, 62 and six others reused names only). A comparison a verb makes
    ("the loaves weigh more than the biscuits"), or an amount re-derived to 0, is still a claim: the model answers."""
    engine, _ = make_engine(default="MODEL")
    engine.run(Request(loaves(7, 3, 4, 5)[0]), backend=ScriptedBackend([loaves(7, 3, 4, 5)[1]]))
    question, right = loaves(9, 4, 3, 6)
    out = engine.run(Request(question))
    assert out.trace.path == "reuse" and out.text == right  # 0 wrong
    claim = LOAVES_GSM.replace("The loaves cost", "So the loaves weigh more than the biscuits.\nThey cost")
    engine, _ = make_engine(default="MODEL")
    engine.run(Request(loaves(7, 3, 4, 5)[0]), backend=ScriptedBackend([loaves(7, 3, 4, 5, claim)[1]]))
    out = engine.run(Request(question))
    assert out.trace.path == "skip" and out.text == "MODEL"
    engine, _ = make_engine(default="MODEL")
    engine.run(Request(loaves(7, 3, 4, 5)[0]), backend=ScriptedBackend([loaves(7, 3, 4, 5)[1]]))
    out = engine.run(Request(loaves(6, 4, 2, 3)[0]))  # 12 - 12: "$0 more than the biscuits"
    assert out.trace.path == "skip" and out.text == "MODEL"


FROSTING = "{name} has {j} jars of frosting. Each jar can decorate {b} brownies. If each tray holds {t} brownies, how many trays can {name} fill?"
FROSTING_GSM = (
    "{name} has enough frosting for {j} * {b} = <<{j}*{b}={n}>>{n} brownies.\n"
    "{name} has to reach the trays.\n{name} fills {n} / {t} = <<{n}/{t}={k}>>{k} trays.\n#### {k}"
)


def frosting(name: str, j: int, b: int, t: int, form: str = FROSTING_GSM) -> tuple[str, str]:
    return FROSTING.format(name=name, j=j, b=b, t=t), form.format(name=name, j=j, b=b, t=t, n=j * b, k=j * b // t)


@pytest.mark.parametrize(
    ("claim", "stale"),
    [
        ("", False),  # "enough frosting for 12 * 14 = 168": what the computation makes; "to reach the trays": a story
        ("So {name} has enough frosting for the trays.\n", True),  # sufficiency no computation states
        ("So the brownies reach the target.\n", True),  # reaching a mark a number sets
        ("So {name} reached her goal.\n", True),  # reaching a mark a number sets
        ("{name} finds some of her lost brownies.\n", False),  # what was lost
        ("So {name} lost the contest.\n", True),  # who lost: a branch
        ("So {name} lost brownies.\n", True),  # who lost, with an object (a helper's probe: served wrong)
        ("So {name} reaches the trays first.\n", True),  # who got there
        ("So the {n} brownies cost more than the trays.\n", True),  # a number, a unit, a verb: a comparison
        ("So {n} is larger than {t}.\n", True),  # a number the line does not compute: a comparison
    ],
)
def test_enough_reach_and_lost_are_claims_only_when_they_compare_or_decide(make_engine, claim, stale):
    """Class: "enough", "reach" and "lost" in a reused line. "enough <thing> for <a computation the line states>"
    says what the computation makes, "to reach the bank" and "his lost marbles" are the story; all were refused as
    claims (GSM-Symbolic templates 14, 61 and 64 reused names only). Sufficiency in words, reaching a number or a
    goal, or who lost, are still claims about the cached numbers: the model answers."""
    form = FROSTING_GSM.replace("#### ", claim + "#### ") if claim else FROSTING_GSM
    engine, _ = make_engine(default="MODEL")
    engine.run(Request(frosting("Ann", 12, 14, 7)[0]), backend=ScriptedBackend([frosting("Ann", 12, 14, 7, form)[1]]))
    question, right = frosting("Ann", 18, 8, 12, form)
    out = engine.run(Request(question))
    if stale:
        assert out.trace.path == "skip" and out.text == "MODEL"
    else:
        assert out.trace.path == "reuse" and out.text == right  # 0 wrong


SODA = "A glass holds {g} mL of soda. Alex drinks {n} glasses{trip}. Soda has {c} calories per mL. How many calories does Alex drink?"
SODA_CHAT = (
    "- He drank ${g} \\times {n} = {m}$ mL of soda.\n- So he drank ${m} \\times {c} = {k}$ calories.\n\nThe answer is {k}."
)


@pytest.mark.parametrize("trip", ["", " on the way there and back"])
def test_a_two_of_the_question_follows_it_unless_the_question_names_another_two(make_engine, trip):
    """Class: a quantity of 2 in digits ("2 glasses") the answer uses bare ("12 × 2"). With no other two in sight,
    it is the question's 2 and follows it (GSM-Symbolic template 56 and six others reused names only: any 1 or 2
    was taken for a count the answer might have made up). Where the question or the line names a two of its own
    ("there and back", "a pair", "half", "the second"), which 2 it is cannot be told: the model answers."""
    engine, _ = make_engine(default="MODEL")

    def soda(g: int, n: int, c: int) -> tuple[str, str]:
        q = SODA.format(g=g, n=n, c=c, trip=trip)
        return q, SODA_CHAT.format(g=g, n=n, c=c, m=g * n, k=g * n * c)

    engine.run(Request(soda(12, 2, 8)[0]), backend=ScriptedBackend([soda(12, 2, 8)[1]]))
    question, right = soda(15, 3, 9)
    out = engine.run(Request(question))
    if trip:
        assert out.trace.path == "skip" and out.text == "MODEL"
    else:
        assert out.trace.path == "reuse" and out.text == right  # 0 wrong


def test_a_fraction_in_words_written_as_digits_follows_as_a_pair(make_engine):
    """Class: "one fifth" in the question, "950 × 1/5" in the answer; the variant says "two thirds". Each part of
    the fraction outside a computation was looked up alone, and 5 could not be placed (GSM-Symbolic template 35 reused names
    only); the fraction follows as a pair, as it does inside a computation."""
    q = "A charity covers {f} of the £{c} cost. Ann has £{h}. How much is Ann missing?"
    a = "The charity pays {c} × {w}, that is {c} × {n} ÷ {d} = £{p}.\nAnn has {p} + {h} = £{t}.\nShe needs {c} - {t} = £{m} more.\n#### {m}"

    def charity(f: str, w: str, c: int, h: int) -> tuple[str, str]:
        p = Fraction(c) * Fraction(w)
        assert p.denominator == 1
        n, d = w.split("/")
        return q.format(f=f, c=c, h=h), a.format(c=c, w=w, n=n, d=d, p=p, h=h, t=p + h, m=c - p - h)

    engine, _ = make_engine(default="MODEL")
    engine.run(
        Request(charity("one fifth", "1/5", 950, 115)[0]), backend=ScriptedBackend([charity("one fifth", "1/5", 950, 115)[1]])
    )
    question, right = charity("two thirds", "2/3", 870, 115)
    out = engine.run(Request(question))
    assert out.trace.path == "reuse" and out.text == right  # 0 wrong


@pytest.mark.parametrize(
    ("line", "claim"),
    [
        ("200 is larger than 18, so Ann pays the fee.", True),  # "10% is added": "is" follows a number there too
        ("Ann's 40 pens cost more in total.", True),  # "40 pens cost" is the question's, and still a comparison
        ("Ann's 200 dollars is higher than Bob's 18 dollars.", True),
        ("Ann pays 200 - 18 = <<200-18=182>>182 dollars more than Bob.", False),  # an amount the line computes
    ],
)
def test_a_comparative_after_a_number_is_an_amount_only_when_the_line_computes_it(line, claim):
    """Class: a comparison of two amounts written after a number ("200 is larger than 18"), which the rule for an
    amount's comparative ("£9 more than") read as an amount whenever the words between followed a number somewhere
    in the question: a helper's probe had it served for the other branch (36 wrong per family). An amount is now a
    number the line computes or the question states, followed at most by its unit."""
    from stepcache_core.tasks.word.carry import WordCarryover

    q = "Ann's {n} pens cost ${p} each. Bob buys {m} books at ${k} each. A fee of 10% is added. How much do they pay?"
    old, new = parse_problem(Request(q.format(n=40, p=5, m=3, k=6))), parse_problem(Request(q.format(n=30, p=5, m=3, k=6)))
    cached = LayoutSegmenter().segment(line + "\n#### 182", origin="cached")
    adapted = [s.__class__(s.index, s.text, "adapted") for s in cached]
    found = WordCarryover().stale(old, new, cached, adapted, line)
    assert any("of the cached numbers" in v.reason for v in found) == claim


@pytest.mark.parametrize(
    ("line", "claim"),
    [
        ("She has doubled them: 248 * 2 = <<248*2=496>>496 letters.", False),  # the line computes the ratio it names
        ("Bob has twice as many letters as Ann.", True),  # a ratio no computation states
        ("She writes three times as many: 32 * 3 = <<32*3=96>>96 letters.", False),  # the question's own slot word
        ("So Ann ends the day richer.", True),
        ("So Ann is ahead of Bob.", True),
        ("Ann comes second and Bob takes first place.", True),
        ("That is well over a dozen letters.", True),
        ("Así que Ann gana más que Bob.", True),
        ("So Ann took longer than Bob.", True),
        ("Then she adds the rest: 32 + 24 = <<32+24=56>>56 letters.", False),
        ("Ann has 2 * 11 = <<2*11=22>>22 letters; Bob has double what Ann has.", True),  # another sentence's 2
        ("Bob holds three times Ann's count.", True),  # the question's slot word, said of other people
        ("Bob has 3 times as many as Ann: 24 * 3 = <<24*3=72>>72 letters.", False),
        ("So Bob has the edge.", True),  # a clause with no number says only what narrates, or the question's words
        ("| Leader | Bob |", True),
        ("Let's solve this step by step.", False),
        # a rank with its particle (helper-62), and an English word whose stem is a small word of another language
        # ("comes": Portuguese "com"; "pours": French "pour")
        ("Then add them and Bob comes out first.", True),
        ("Then add them and Ann still comes along.", True),
        ("So Bob pours it all in.", True),
    ],
)
def test_a_claim_is_read_by_its_class_not_from_a_list_of_instances(line, claim):
    """Class (helper-59): claims of a reused line whose numbers moved, by class: comparatives and superlatives
    ("richer", built from adjectives that grade), comparisons as verbs ("ahead of"), ranks ("comes second"), ratios
    in words ("twice as many"), landmarks ("well over a dozen") and comparisons in other languages ("gana más
    que"). Narration is none: a ratio the line computes ("doubled ... 248 * 2"), the question's slot word."""
    from stepcache_core.tasks.word.carry import WordCarryover

    q = "Ann writes {n} letters three times, and Bob writes {m} letters. How many letters do they write?"
    old, new = parse_problem(Request(q.format(n=32, m=24))), parse_problem(Request(q.format(n=30, m=24)))
    cached = LayoutSegmenter().segment(line + "\n#### 496", origin="cached")
    adapted = [s.__class__(s.index, s.text, "adapted") for s in cached]
    found = WordCarryover().stale(old, new, cached, adapted, line)
    assert any("of the cached numbers" in v.reason for v in found) == claim, found


def test_a_count_of_the_questions_people_said_in_words_grounds_a_divisor(make_engine):
    """Class: "the average age of the two is 98/2": the 2 is how many people the question names, said in words in
    the step. It came from nowhere the verifier could see, so no answer to GSM-Symbolic template 31 was ever
    stored. A count equal to the question's names, said in words where it is used, now grounds it (the gate keeps
    the names' count, so it stays 2 in every variant); a word count the names do not fix still grounds nothing."""
    q = "{a} and {b} are {d} years apart in age. If {a}, who is younger than {b}, is {y} years old, what's the average of their ages?"
    a = (
        "If {a} is {y} years old, {b} is {y}+{d} = <<{y}+{d}={o}>>{o} years old.\nThe sum of their ages is {o}+{y} = "
        "<<{o}+{y}={s}>>{s} years\nThe average age of the {w} is {s}/2 = <<{s}/2={m}>>{m} years\n#### {m}"
    )

    def ages(x: str, y: str, d: int, age: int, w: str = "two") -> tuple[str, str]:
        o, s_ = age + d, 2 * age + d
        return q.format(a=x, b=y, d=d, y=age), a.format(a=x, b=y, d=d, y=age, o=o, s=s_, m=Fraction(s_, 2), w=w)

    engine, _ = make_engine(default="MODEL")
    first = engine.run(Request(ages("Ann", "Joe", 10, 44)[0]), backend=ScriptedBackend([ages("Ann", "Joe", 10, 44)[1]]))
    assert first.trace.verified
    question, right = ages("Ann", "Joe", 6, 32)
    out = engine.run(Request(question))
    assert out.trace.path == "reuse" and out.text == right  # 0 wrong
    engine, _ = make_engine(default="MODEL")
    other = engine.run(Request(ages("Ann", "Joe", 10, 44)[0]), backend=ScriptedBackend([ages("Ann", "Joe", 10, 44, "three")[1]]))
    assert not other.trace.verified  # "the three" with two people named: still from nowhere


def test_a_fraction_result_used_as_its_two_parts_follows_the_result(make_engine):
    """Class: a result written as a fraction ("14/56 = 1/4") then used as its two parts ("3 × 1/4"): the 4 came
    from nowhere the verifier could see (GSM-Symbolic template 17's answer), and the adapter could not place it.
    The parts now stand for the earlier result, in verification and re-derivation ("30/45 = 2/3", "3 × 2/3"); a
    division of two numbers that each have a source stays a division."""
    q = "Maya walks {b} feet on the beach in {m} minutes. On the sidewalk she walks at thrice the rate. How long do {s} feet on the sidewalk take, in minutes?"
    a = "On the beach she walks {b}/{m} = {r} feet per minute.\nOn the sidewalk, 3 × {r} = {v} feet per minute.\n{s} feet take {s} ÷ {v} = {t} minutes.\n#### {t}"

    def walk(b: int, m: int, s: int) -> tuple[str, str]:
        r = Fraction(b, m)
        v = 3 * r
        shown = str(v.numerator) if v.denominator == 1 else f"{float(v):g}"
        return q.format(b=b, m=m, s=s), a.format(b=b, m=m, r=f"{r.numerator}/{r.denominator}", v=shown, s=s, t=s / v)

    engine, _ = make_engine(default="MODEL")
    first = engine.run(Request(walk(14, 56, 18)[0]), backend=ScriptedBackend([walk(14, 56, 18)[1]]))
    assert first.trace.verified
    question, right = walk(14, 40, 21)  # (a rate in two decimals, as "0.75" was: no text shows how 1.2 is written)
    out = engine.run(Request(question))
    assert out.trace.path == "reuse" and out.text == right  # 0 wrong


@pytest.mark.parametrize(
    ("question", "refused"),
    [
        ("Ab fünfzig Euro Einkaufswert gibt es {g} Euro Rabatt. Ana kauft {n} Lampen zu je {p} Euro. Wie viel zahlt Ana?", True),
        (
            "A partir de cincuenta dólares hay {g} dólares de descuento. Ana compra {n} lámparas a {p} dólares. ¿Cuánto paga Ana?",
            True,
        ),
        ("Dès cinquante euros d'achat, {g} euros de remise. Ana achète {n} lampes à {p} euros. Combien paie Ana ?", True),
        ("Spend a C-note and you get ${g} off. Ann buys {n} lamps at ${p} each. How much does Ann pay?", True),
        ("Spend half a grand and you get ${g} off. Ann buys {n} lamps at ${p} each. How much does Ann pay?", True),
        (
            "Wie meer dan honderd euro uitgeeft, krijgt {g} euro korting. Ann koopt {n} lampen van {p} euro. Hoeveel betaalt Ann?",
            True,
        ),
        ("Kto wyda ponad sto złotych, dostaje {g} złotych rabatu. Ann kupuje {n} lamp po {p} złotych. Ile płaci Ann?", True),
        ("From the tenth lamp on, the shop takes ${g} off. Ann buys {n} lamps at ${p} each. How much does Ann pay?", True),
        (
            "If the lamps cost more than her wallet holds, Ann gets ${g} off. Ann buys {n} lamps at ${p} each. How much does Ann pay?",
            True,
        ),
        ("Once a week Ann gets ${g} off. Ann buys {n} lamps at ${p} each, and the rest is due. How much does Ann pay?", False),
        ("If Ann buys {g} more lamps than Bob, and Bob buys {n} lamps at ${p} each, how much does Bob pay?", False),
    ],
)
def test_a_number_in_words_the_task_does_not_read_moves_no_number(question, refused):
    """Class: a limit written in words of another language or in slang ("ab fünfzig Euro", "a partir de cincuenta",
    "dès cinquante", "a C-note", "half a grand"). The reader leaves it as text of the template, so no threshold
    check saw it and no computation needed it: a helper's grid served 20 wrong of 64 per family (a $40 basket got
    the discount). Such a question now moves no number; names still move. English words that are number words
    elsewhere ("once", "due") are not numbers."""
    old = parse_problem(Request(question.format(g=10, n=3, p=20)))
    new = parse_problem(Request(question.format(g=10, n=2, p=20)))
    assert WordGate().compatible(old, new).ok != refused
    assert WordGate().compatible(old, parse_problem(Request(question.format(g=10, n=3, p=20)))).ok


def test_the_questions_own_two_in_words_is_the_two_a_bare_2_stands_for(make_engine):
    """Class: the question says its 2 in words ("twice as old", "in two years") and the answer writes it bare
    ("20 × 2", "120 - 2"). The words were taken for another two the answer might have counted, so no number moved
    (GSM-Symbolic template 29); they are the question's own quantity, which the 2 follows."""
    q = "{a} is {x} years old. In {y} years his sister {b} will be {m} as old as {a} is now. How old is {b} right now?"
    a = "- {Y} years from now {b} will be ${x} \\times {k} = {p}$.\n- Right now {b} is ${p} - {n} = {r}$ years old.\n\nThe answer is {r}."
    words = {2: "two", 5: "five", 3: "three"}
    times = {2: "twice", 5: "five times", 3: "thrice"}

    def ages(x: int, y: int, k: int) -> tuple[str, str]:
        question = q.format(a="David", b="Abby", x=x, y=words[y], m=times[k])
        return question, a.format(b="Abby", x=x, k=k, p=x * k, n=y, r=x * k - y, Y=words[y].capitalize())

    engine, _ = make_engine(default="MODEL")
    engine.run(Request(ages(20, 5, 2)[0]), backend=ScriptedBackend([ages(20, 5, 2)[1]]))
    question, right = ages(24, 2, 5)
    out = engine.run(Request(question))
    assert out.trace.path == "reuse" and out.text == right  # 0 wrong


SHARES = (
    "In a {n}-item quiz, {p}% of the questions are chemistry and the rest are history. If {name} gets {q}% of the "
    "chemistry questions right and one quarter of the history questions right, how many points does {name} get?"
)


def shares_answer(n: int, p: int, q: int) -> str:
    c, h = n * p // 100, n * (100 - p) // 100
    a, b = c * q // 100, h // 4
    return (
        f"There are {n} * {p}/100 = <<{n}*{p}/100={c}>>{c} chemistry questions.\n"
        f"There are {n} - {c} = <<{n}-{c}={h}>>{h} history questions.\n"
        f"Chemistry gives {c} * {q}/100 = <<{c}*{q}/100={a}>>{a} points.\n"
        f"History gives one quarter of {h}: {h} / 4 = <<{h}/4={b}>>{b} points.\n"
        f"In all {a} + {b} = <<{a}+{b}={a + b}>>{a + b} points.\n#### {a + b}"
    )


def test_a_model_answer_saying_the_new_questions_own_words_is_no_carryover():
    """Class: a new question whose number in words ("one quarter") keeps its value while another quantity's share
    now writes alike (75% became 25%: its share 1/4, and what is left of 75% was 1/4 too). The model's own answer
    saying "one quarter" repeats the new question; it was taken for the cached answer's changed words, so a right
    answer was served unverified and never stored, and the next caller went to the model again."""
    engine = StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder(), config=EngineConfig(corroboration_probes=0))
    engine.run(Request(SHARES.format(n=40, p=60, q=75, name="Ann")), backend=ScriptedBackend([shares_answer(40, 60, 75)]))
    out = engine.run(Request(SHARES.format(n=80, p=65, q=25, name="Ann")), backend=ScriptedBackend([shares_answer(80, 65, 25)]))
    assert out.text == shares_answer(80, 65, 25)  # 0 wrong: the model's own
    assert out.trace.verified and engine.count() == 2


@pytest.mark.parametrize(
    ("question", "line", "value", "other"),
    [
        # a count of another thing the question names: the result stated, never computed
        ("Ann has 40 eggs. Each carton holds 6 eggs. How many full cartons?", "She can fill 6 full cartons.", 6, True),
        ("Ana tiene 40 huevos. Cada cartón lleva 6 huevos.", "Puede llenar 6 cartones.", 6, True),
        # the question's own count, said again with its noun, a plural or an adjective the question has too
        ("Ann has 40 eggs. Each carton holds 6 eggs. How many full cartons?", "Each holds 6 eggs, so 40 / 6.", 6, False),
        ("He sold 28 boxes of gingerbread and 14 of pie. How many boxes?", "He sold 28 boxes of it.", 28, False),
        ("Ana tiene 40 huevos. Cada cartón lleva 6 huevos.", "Lleva 6 huevo cada uno.", 6, False),
        # a question number that counts nothing said after it ("costs $6."): nothing to tell them apart by
        ("A carton costs $6. Ann buys 4 cartons.", "Ann buys 6 cartons.", 6, False),
        # a word nowhere in the question names no other thing of it
        ("Ann has 40 eggs. Each carton holds 6 eggs.", "That is 6 dozen-ish.", 6, False),
    ],
)
def test_a_number_that_counts_another_thing_of_the_question(question, line, value, other):
    """Class: an answer's number whose value equals a question's number but which counts another thing the
    question names (any language: the words are compared on their first four letters, so plurals and accents
    read alike); the adapter refuses to take one for the other (see test_word_served)."""
    from stepcache_core.tasks.word.echo import counts_other
    from stepcache_core.tasks.word.verify import line_numbers

    problem = parse_problem(Request(question))
    num = next(n for n in line_numbers(line) if n.value == value)
    assert counts_other(problem, line, num) is other


RENTAL = "A shop rents a bike for ${r} per day. {limit} {name} rents a bike for {n} days. How much does {name} pay?"


@pytest.mark.parametrize(
    ("limit", "answer", "limited"),
    [
        # an amount said as a unit, left aside by the answer: it may limit the count of days, not the rate per day
        ("The bill never grows once the bike has been out for a week.", "5 * 3 = 15\n#### 15", {"at(q1)=9"}),
        ("Die Rechnung wächst nicht mehr nach einer Woche.", "5 * 3 = 15\n#### 15", {"at(q1)=9"}),
        # the answer computes with the unit's value: it is read, not left aside
        ("The bill never grows once the bike has been out for a week.", "7 * 3 = 21\n#### 21", set()),
        # a rate, not an amount ("5 days a week", "hours a week"); a result that equals the unit's value is no use
        ("The shop opens 6 days a week.", "5 * 3 = 15\n#### 15", set()),
        ("Its staff work 40 hours a week.", "5 * 3 = 15\n#### 15", set()),
        ("The bill never grows once the bike has been out for a month.", "10 * 3 = 30\n#### 30", {"at(q1)=9"}),
        # after an ordinal, in a compound, after "once" that is no frequency
        ("The eighth and later days are free.", "5 * 3 = 15\n#### 15", {"at(q1)=9"}),
        ("Se cobra como mínimo la primera semana.", "5 * 3 = 15\n#### 15", {"at(q1)=9"}),
        ("A weeklong rental costs the same as a longer one.", "5 * 3 = 15\n#### 15", {"at(q1)=9"}),
        ("Charges stop once a week has passed.", "5 * 3 = 15\n#### 15", {"at(q1)=9"}),
        ("He rides twice a week.", "5 * 3 = 15\n#### 15", set()),
        # as an adjective of a period, or each whole one (a helper: 30 of 40 and 74 of 95 served wrong)
        ("Nobody pays for more days than a weekly pass covers.", "5 * 3 = 15\n#### 15", {"at(q1)=9"}),
        ("The monthly cap applies.", "5 * 3 = 15\n#### 15", {"at(q1)=9"}),
        ("In each full week of a rental, Sunday is free.", "5 * 3 = 15\n#### 15", {"at(q1)=9"}),
        ("Its staff are paid $900 weekly.", "5 * 3 = 15\n#### 15", set()),
        # the end of a period ("by the end of the week", "within the week", "beyond the workweek")
        ("The bill stops growing by the end of the week.", "5 * 3 = 15\n#### 15", {"at(q1)=9"}),
        ("Billing stops within the week.", "5 * 3 = 15\n#### 15", {"at(q1)=9"}),
        ("Any days beyond the workweek are free.", "5 * 3 = 15\n#### 15", {"at(q1)=9"}),
    ],
)
def test_spans_are_needed_only_for_what_a_unit_left_aside_may_limit(limit, answer, limited):
    """Class: which moved numbers are served only within the span agreeing answers covered (see
    ``WordCorroboration.missing``): those counted in periods, where the question says a period as one unit in
    words that the answer never computes with."""
    corroboration = word_problem_task().corroboration
    assert corroboration is not None
    old = parse_problem(Request(RENTAL.format(r=3, n=5, name="Ann", limit=limit)))
    new = parse_problem(Request(RENTAL.format(r=4, n=9, name="Ann", limit=limit)))
    cached = LayoutSegmenter().segment(answer)
    spans = {s for s in corroboration.varied(old, new, cached) if s.startswith("at(")}
    assert spans == limited


WRITER = "{name} writes {r} pages a day, one page every {n} minutes. How many minutes does {name} spend {end}?"
OVEN = "An oven bakes {r} loaves an hour. {name} keeps it running for {n} hours without a stop. How many loaves {end}?"


@pytest.mark.parametrize(
    ("question", "end", "limited"),
    [
        # the period the question asks its amount per, ending it: the interval of a rate ("a page every 9 minutes")
        # is no amount a rule may cap
        (WRITER, "writing a week", set()),
        (WRITER, "at the desk writing a month", set()),
        # an amount of time it may cap ("running for 27 hours", asked "a day"): a helper got 12 of 13 served wrong
        (OVEN, "does it bake a day", {"at(q1)=9"}),
        (OVEN, "is it baking a day", {"at(q1)=9"}),
        # an amount of time: "in a week", "if she keeps at it a week", "a full week" may be what a rule limits
        (WRITER, "writing in a week", {"at(q1)=9"}),
        (WRITER, "writing if she keeps at it a week", {"at(q1)=9"}),
        (WRITER, "writing a full week", {"at(q1)=9"}),
    ],
)
def test_the_period_a_question_asks_per_limits_only_amounts_of_time(question, end, limited):
    """Class: a unit in words that ends the question as the period its amount is asked in ("How many hours does he
    spend writing a week?", GSM-Symbolic's template 72): the interval of a rate ("a page every 9 minutes") needs
    no span; an amount of time ("keeps it running for 27 hours") does, as everywhere else."""
    corroboration = word_problem_task().corroboration
    assert corroboration is not None
    old = parse_problem(Request(question.format(r=3, n=5, name="Ann", end=end)))
    new = parse_problem(Request(question.format(r=4, n=9, name="Ann", end=end)))
    cached = LayoutSegmenter().segment("3 * 5 = 15\n#### 15")
    assert {s for s in corroboration.varied(old, new, cached) if s.startswith("at(")} == limited


def test_a_span_is_held_between_the_first_value_and_those_agreeing_answers_had():
    """Class: the span itself: a value between the first one and one an agreeing answer had is held, one past
    every such value is not; a probe is not asked past a side an answer reached twice the first value on."""
    corroboration = word_problem_task().corroboration
    assert corroboration is not None
    old = parse_problem(Request(RENTAL.format(r=3, n=5, name="Ann", limit="")))
    held = frozenset({"q0", "q1", "at(q1)=3", "at(q1)=12"})
    need = frozenset({"q1", "at(q1)=4", "at(q1)=12", "at(q1)=2", "at(q1)=13"})
    assert corroboration.missing(old, need, held) == {"at(q1)=2", "at(q1)=13"}
    assert corroboration.missing(old, need, held, probing=True) == {"at(q1)=2"}


CODS = (
    "William caught {n} cods last Monday, the first cod he caught weighs {a} kilograms, the second cod he caught "
    "weighs {b} kilograms, and each remaining cod he caught weighs {c} kilograms. How many kilograms of cod did he catch?"
)
CODS_ANSWER = (
    "The rest of the cods are {n} - 2 = {r}.\nThey weigh {r} * {c} = {w} kilograms.\nIn all, {a} + {b} + {w} = {t}.\n#### {t}"
)


def test_the_items_a_question_counts_by_ordinal_name_their_count(make_engine):
    """Class: a count the question says by naming its items in order ("the first cod ..., the second cod ..., each
    remaining cod"): the answer subtracts 2, which the question never writes (GSM-Symbolic template 76: its first
    answer never verified, 6 variants). "The second ... each remaining" names the 2, which a step may take away
    (a 2 divided by is a period: see the alternating days in test_word_served); the answer is re-derived for
    another catch with the 2 kept."""
    engine, _ = make_engine(default="MODEL")

    def cods(n: int, a: int, b: int, c: int) -> tuple[str, str]:
        r = n - 2
        return CODS.format(n=n, a=a, b=b, c=c), CODS_ANSWER.format(n=n, r=r, c=c, w=r * c, a=a, b=b, t=a + b + r * c)

    question, answer = cods(7, 56, 38, 26)
    first = engine.run(Request(question), backend=ScriptedBackend([answer]))
    assert first.trace.verified
    question, right = cods(9, 50, 41, 23)
    out = engine.run(Request(question))
    assert out.trace.path == "reuse" and out.text == right  # 0 wrong


@pytest.mark.parametrize(
    ("question", "line", "stale"),
    [
        ("A mat is {a} inches by {b} inches. What is its area?", "The width is {a} inches.", True),
        ("Eine Matte ist {a} cm auf {b} cm groß. Wie groß ist ihre Fläche?", "Die Breite ist {a} cm.", True),
        ("Una alfombra mide {a} pies por {b} pies. ¿Cuál es su área?", "El ancho es {a} pies.", True),
        ("Un tapis mesure {a} cm sur {b} cm. Quelle est son aire ?", "La largeur est de {a} cm.", True),
        # the question names its sides: the answer's names follow them
        ("A mat is {a} inches long and {b} inches wide. What is its area?", "The width is {b} inches.", False),
        ("Eine Matte ist {a} cm lang und {b} cm breit. Wie groß ist ihre Fläche?", "Die Breite ist {b} cm.", False),
        ("The length of a mat is {a} inches and its width is {b} inches. What is its area?", "The width is {b} inches.", False),
    ],
)
def test_a_side_named_where_the_question_names_none_is_stale(question, line, stale):
    """Class: a side of a figure named by which is longer ("the width", "die Breite", "el ancho", "la largeur")
    where the question names no side ("37 inches by 52 inches"): with other numbers the width may be the longer
    side, so the line is the model's to write. A question that names its sides fixes them."""
    from stepcache_core.tasks.word.carry import WordCarryover

    old, new = (parse_problem(Request(question.format(a=a, b=b))) for a, b in ((37, 52), (61, 17)))
    cached = LayoutSegmenter().segment(line.format(a=37, b=52) + "\n#### 1924", origin="cached")
    adapted = [s.__class__(s.index, line.format(a=61, b=17) if s.index == 0 else s.text, "adapted") for s in cached]
    found = WordCarryover().stale(old, new, cached, adapted, line.format(a=37, b=52))
    assert any("a side the new numbers may swap" in v.reason for v in found) == stale


@pytest.mark.parametrize(
    ("text", "renamed"),
    [
        ("May has 5 apples. In May she buys 3.", "Ann has 5 apples. In May she buys 3."),
        ("On May 5, May pays $3.", "On May 5, Ann pays $3."),
        ("Will she have enough? Will has 5.", "Will she have enough? Bob has 5."),
        ("Hope spends $46 at the Hope Festival. Hope this helps!", "Zoe spends $46 at the Hope Festival. Hope this helps!"),
        ("Bill: 36 + 10 = 46. So Bill pays 46.", "Bill: 36 + 10 = 46. So Tom pays 46."),  # a label alone may be a word
        ("- **Bill:** 36 + 10 = 46\n- **Will:** 5 = 5", "- **Tom:** 36 + 10 = 46\n- **Bob:** 5 = 5"),  # people's labels
        ("Hope: 12\nWill: 7\nTotal: 19", "Zoe: 12\nBob: 7\nTotal: 19"),
        ("- Then Hope buys 3, and Tom gives Hope 2.", "- Then Zoe buys 3, and Tom gives Zoe 2."),
    ],
)
def test_a_rename_reaches_a_name_only_where_it_is_the_person(text, renamed):
    """Class (helper-83): a person's name that is also a word the answer writes for something else: a month ("in
    May", "May 5"), a modal ("Will she"), a sign-off ("Hope this helps!"), another thing's name ("the Hope
    Festival"), a line's label that no other person's name stands beside ("Bill: 36 + 10", the bill). Those stay
    (and the old name left in the answer sends the request to the model); the person is renamed, and so are labels
    in a column of people ("Bill: 36" beside "Will: 5")."""
    from stepcache_core.tasks.word.adapt import _rename

    assert _rename(text, ["May", "Will", "Hope", "Bill"], ["Ann", "Bob", "Zoe", "Tom"]) == renamed


def test_a_rename_reaches_a_name_the_new_question_gives_someone_else():
    """Class (helper-85): a name of the cached question that the new one gives another person ("Tom gives Ann a
    bag" asked as "Ann gives Bea a bag"): left as it was where it might be no person, no check could tell it from
    that person ("Ann gives Ann a bag" was served), so it is renamed; a name the new question does not have is left,
    and the word carryover refuses it."""
    from stepcache_core.tasks.word.adapt import _rename

    assert _rename("Tom gives Ann a bag of 5 apples.", ["Tom", "Ann"], ["Ann", "Bea"]) == "Ann gives Bea a bag of 5 apples."
    # after "Monday" (a capitalised word), Tom may be no person: left where the new question has no Tom (refused)
    assert _rename("On Monday Tom gives Ann 5 apples.", ["Tom", "Ann"], ["Ann", "Bea"]) == "On Monday Tom gives Bea 5 apples."
    assert _rename("On Monday Ann gives Tom 5 apples.", ["Tom", "Ann"], ["Ann", "Bea"]) == "On Monday Bea gives Ann 5 apples."


@pytest.mark.parametrize(
    "question, asks",
    [
        ("How old will Ann be in 3 years, and will Ann be a teenager then?", True),
        ("How many stamps does Tim have? Is that a three-digit number?", True),
        ("¿Cuántos años tendrá Ann dentro de 3 años, y será Ann una adolescente?", True),
        ("Wie alt ist Ann in 3 Jahren, und ist Ann dann eine Jugendliche?", True),
        ("Quel âge aura Ann dans 3 ans ? Sera-t-elle une adolescente ?", True),
        ("Find how many stamps Tim has, and say whether that is a three-digit number.", True),
        # (helper-92) no comma before the clause, a dash or brackets, an instruction, "yes or no", a choice of words
        ("How old will Ann be in 3 years and will Ann be a teenager then?", True),
        ("How old will Ann be in 3 years - and will Ann be a teenager then?", True),
        ("How old will Ann be in 3 years (and will Ann be a teenager then)?", True),
        ("How old will Ann be in 3 years? Tell me if Ann will be a teenager then.", True),
        ("How old will Ann be in 3 years? Teenager then: yes or no.", True),
        ("How old will Ann be in 3 years, and which will Ann be then, a child or a teenager?", True),
        ("How old will Ann be in 3 years, and what is more, will Ann be a teenager then?", True),
        ("Dime cuántos años tendrá Ann y dime si será una adolescente.", True),
        # a verdict in a word or two after the amount's question, "or not"
        ("How old will Ann be in 3 years, so a teenager?", True),
        ("How old will Ann be in 3 years, a teenager?", True),
        ("How old will Ann be in 3 years, but still a child?", True),
        ("How old will Ann be in 3 years, teenager or not?", True),
        ("Quel âge aura Ann dans 3 ans, donc majeure ?", True),
        ("Wie alt ist Ann in 3 Jahren, also volljährig?", True),
        ("¿Cuántos años tendrá Ann en 3 años, o no?", True),
        # amounts asked: none of these is a yes or no
        ("If he makes 9 giant cubes, 10 medium cubes, and 14 small cubes, how many pounds of water does he have left?", False),
        ("How much did she spend on apples, pears, and the bananas?", False),
        ("If he also paid $320,000 for the loan, how much is Prof. Johnson's net proceeds from selling the apartment?", False),
        ("Find the combined total of the number of grapes and plums Bob has in the house?", False),
        ("Can you work out how much she pays?", False),
        ("She must decide whether to do it herself or hire one. How much more money will she have if she hires one?", False),
        ("If they work 10 hours each day, what percentage of their day, on average, is spent cleaning rooms?", False),
        ("Ana tem 10 maçãs e dá 3 ao Luís. Quantas maçãs lhe restam?", False),
        ("How many pages has she read, so far?", False),
        ("How many apples are left, in total?", False),
        ("How many did he sell, a week?", False),
        ("How much will it cost, to the nearest cent?", False),
        # (helper-95) a bare noun or a state reached; the amount asked again after a comma
        ("How old will Ann be in 3 years, teenager?", True),
        ("How old will Ann be in 3 years; teenager yet?", True),
        ("Say how old Ann will be in 3 years and a teenager or not.", True),
        ("How much does the room cost, a night?", False),
        ("How much is each share (a fraction)?", False),
        ("How much is left, so in total?", False),
        ("Wie viel bezahlt Ann, also insgesamt?", False),
        ("How much does he pay, but after taxes?", False),
        ("How much does she earn, approximately?", False),
    ],
)
def test_a_question_that_asks_yes_or_no_is_told_from_one_that_asks_an_amount(question, asks):
    """Class (helper-91): a yes or no the numbers decide, asked beside the amount or on its own, in the languages
    the gate reads; the cost side: amounts asked after a condition, over a list, with an abbreviation's dot, as a
    request put as a question, or beside a "whether" the story states (every GSM-Symbolic template is one)."""
    from stepcache_core.tasks.word.gate import _asks_yes_or_no

    assert _asks_yes_or_no(question) is asks


@pytest.mark.parametrize(
    "question, asks",
    [
        ("Who has more marbles, Ann or Bob, and how many marbles do they have together?", True),
        ("How many marbles do they have together, and who has more?", True),
        ("Which box is heavier, and what is the total weight?", True),
        ("Determine which farm has more sheep and how many sheep there are in all.", True),
        ("Wer hat mehr Murmeln, und wie viele haben sie zusammen?", True),
        ("¿Quién tiene más canicas y cuántas tienen entre los dos?", True),
        ("Qui a le plus de billes ?", True),
        ("Chi ha più biglie?", True),
        ("Wie heeft meer knikkers?", True),
        ("Quem tem mais berlindes?", True),
        ("Quelle boîte pèse le plus ?", True),
        ("Welche Kiste hat mehr Bücher?", True),
        # (helper-171) after an opening phrase, a choice between two, a request to tell it
        ("After counting, who has more marbles, Ann or Bob, and how many do they have?", True),
        ("In the end, who has more?", True),
        ("So, who has more?", True),
        ("Does Ann or Bob have more marbles, and how many do they have together?", True),
        ("Is the red box or the blue box heavier?", True),
        ("How many do they have together? Also tell which of the two has more.", True),
        ("Find who has more.", True),
        ("Name the heavier box.", True),
        # amounts asked: a relative "who", a "which" that asks an amount, a "wie" that asks how many
        ("If Ashley, who is younger than Joe, is 44 years old, what's the average of their ages?", False),
        ("Ann, whose dog eats 3 cans a day, buys 12 cans. How many days do they last?", False),
        ("Quel est le prix total ?", False),
        ("¿Cuál es el costo total?", False),
        ("Welchen Betrag zahlt sie insgesamt?", False),
        ("Wie viele Murmeln hat Ann?", False),
        ("How many pens does the girl who sits next to Ann have?", False),
        ("The store, which sells pens at 2 dollars each, has 40 pens. How many dollars does it make?", False),
        ("Her sister, who has 5 apples, gives 2 away. How many are left?", False),
        ("Find the rest of the money.", False),
        ("How many apples or pears does she have left?", False),
        ("Quel est le total si elle achète 3 pommes de plus ?", False),
    ],
)
def test_a_question_that_asks_who_or_which_is_told_from_one_that_asks_an_amount(question, asks):
    """Class (helper-169): a verdict of who or which, which the numbers decide, asked beside the amount or on its
    own in the languages the gate reads; the cost side: a relative "who", "which" words that ask an amount."""
    from stepcache_core.tasks.word.gate import asks_who_or_which

    assert asks_who_or_which(question) is asks


@pytest.mark.parametrize(
    "question, name, speaks",
    [
        ("Ann buys 41 notebooks at 23 dollars each. How much does she spend? Answer as if Pierre explains it.", "Pierre", True),
        ("Pierre asks: Ann buys 41 notebooks at 23 dollars each. How much does she spend?", "Pierre", True),
        ("Ann buys 41 notebooks at 23 dollars each. How much does she spend? Reply in Yoda's voice.", "Yoda", True),
        ("Pretend I am Tom's student. Ann buys 41 notebooks at 23 dollars each. How much does she spend?", "Tom", True),
        ("Ann buys 41 notebooks at 23 dollars each. How much does she spend? Tom answers this one.", "Tom", True),
        # (helper-171)
        ("Pierre says: Ann buys 41 notebooks at 23 dollars each. How much does she spend?", "Pierre", True),
        ("Question from Pierre: Ann buys 41 notebooks at 23 dollars each. How much does she spend?", "Pierre", True),
        ("Ann buys 41 notebooks at 23 dollars each. How much does she spend? It should sound like Yoda.", "Yoda", True),
        ("Ann buys 41 notebooks at 23 dollars each. How much does she spend? Explain it to Pierre.", "Pierre", True),
        ("Ann buys 41 notebooks at 23 dollars each. How much does she spend? Write it the way Hans would.", "Hans", True),
        # the story's people
        ("Ann asks Tom for 5 dollars and buys 3 pens at 2 dollars each. How much does she have left?", "Ann", False),
        ("Tom answers 12 questions in 3 hours. How many does he answer per hour?", "Tom", False),
        ("Tom wonders how many of his 12 apples are left after he eats 3. How many are left?", "Tom", False),
        ("Ann buys 41 notebooks at 23 dollars each for Tom. How much does she spend?", "Tom", False),
        ("Tell me how many apples Tom has if he buys 4 bags of 6.", "Tom", False),
        ("Tom's shoes cost 40 dollars and his socks 5 dollars. How much does he pay?", "Tom", False),
        ("Ann writes 300 words of her essay a day. How many words in 4 days?", "Ann", False),
        ("Imagine Tom has 12 candies and eats 3. How many are left?", "Tom", False),
    ],
)
def test_a_name_an_instruction_speaks_as_or_to_is_told_from_a_person_of_the_story(question, name, speaks):
    """Class (helper-170): whom the answer speaks as or to, named in an instruction beside the question, is no slot;
    the cost side: people of the story who ask, answer or wonder."""
    from stepcache_core.tasks.word.gate import _persona

    assert _persona(question, name) is speaks
