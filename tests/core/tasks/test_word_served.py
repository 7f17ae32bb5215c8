"""Word problems: classes of input that served a wrong answer from the cache, each now counted over a grid of
variants (served from the cache, and wrong among those). Found by probing the task with unseen question families
and a model that answers every question right; each test fails on the code before its fix.

Classes: a condition the answer states in words, in English or another language ("this qualifies for the $100
offer", "que supera los 100 dólares"); a constant the answer never names (4 legs per cow) that a question number
happened to equal, vouched for by a caller who changed only the other numbers; money re-derived finer than the
cent; a branch on which of two computed amounts is larger, ending in a quotient (any language); a result the
answer states without computing it ("can fill 6 full cartons") that equals a number of the question; an answer
that never states a number of the question ("exactly 10", a threshold equal to a result, a slip at round totals);
a rounding rule in another language; a rule the first numbers leave idle (a cap in number words, parity, every
n-th one, a clock in another language).
"""

from __future__ import annotations

import calendar
import itertools
import math
import re
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import pytest
from num2words import num2words

from stepcache_core import EngineConfig, Request, StepCacheEngine, background
from stepcache_core.fakes import HashEmbedder, MemoryStore, ScriptedBackend
from stepcache_core.tasks import word_problem_task
from stepcache_core.tasks.template import persona_only
from stepcache_core.tasks.word.corroborate import WordCorroboration
from stepcache_core.tasks.word.gate import WordGate
from stepcache_core.tasks.word.gender import gender_of, pattern, readings, unmatched
from stepcache_core.tasks.word.parse import parse_problem
from stepcache_core.tasks.word.read import final_answer
from stepcache_core.values import GenerationSpec, Step


def engine_for(model: Callable[[GenerationSpec], str], probes: int = 2) -> StepCacheEngine:
    return StepCacheEngine(
        store=MemoryStore(),
        embedder=HashEmbedder(),
        backend=ScriptedBackend(respond=model),
        config=EngineConfig(corroboration_probes=probes),
    )


def tally(engine: StepCacheEngine, asks: list[tuple[str, Fraction]]) -> tuple[int, int]:
    """(served from the cache, wrong among them) over ``asks`` (question, right final answer)."""
    served = wrong = 0
    for question, right in asks:
        out = engine.run(Request(question))
        background.drain(10)
        final = final_answer(out.text)
        right_here = final is not None and abs(final[0] - right) <= Fraction(1, 10**5)  # as written, to 6 places
        if out.trace.backend_calls == 0:
            served += 1
            wrong += not right_here
        else:
            assert right_here  # the model's own answer, right by construction
    return served, wrong


def wrong_served(answer: Callable[[str], str], questions: list[str]) -> int:
    """Wrong answers served from the cache over ``questions``, asked in turn of an engine whose model is ``answer``
    (always right; three probes an entry), each scored against the model's own final answer."""
    engine = engine_for(lambda spec: answer(spec.prompt), probes=3)
    _, wrong = tally(engine, [(q, final_answer(answer(q))[0]) for q in questions])  # type: ignore[index]
    return wrong


def false_served(
    model: Callable[[str], str], questions: list[str], probes: int = 3, *, corroborate: bool = True
) -> tuple[int, int]:
    """(served from the cache, false among them) over ``questions`` asked in turn of an engine whose model is
    ``model`` (always right): a served answer is false unless it is the model's own answer to that question, word
    for word. ``corroborate=False``: the checks alone (the word task re-derives from the first verified answer)."""
    engine = engine_for(lambda spec: model(spec.prompt), probes=probes)
    if not corroborate:
        engine.tasks.register(word_problem_task(corroborate=False), replace=True)
    served = false = 0
    for q in questions:
        out = engine.run(Request(q))
        background.drain(10)
        if out.trace.backend_calls == 0:
            served += 1
            false += out.text != model(q)
    return served, false


# ------------------------------------------------------------------------------ a condition stated in words
OFFER = {
    "en": (
        "Customers who spend ${t} get a ${g} discount. {name} buys {n} lamps at ${p} each for her desk. How much does "
        "{name} pay?",
        r"spend \$(\d+) get a \$(\d+) discount\. (\w+) buys (\d+) lamps at \$(\d+)",
        "{name} spends {n} * {p} = <<{n}*{p}={c}>>{c} dollars.\nThis qualifies for the ${t} offer, so {name} pays "
        "{c} - {g} = <<{c}-{g}={d}>>{d} dollars.\n#### {d}",
        "{name} spends {n} * {p} = <<{n}*{p}={c}>>{c} dollars.\nThat is not enough for the ${t} offer.\n#### {c}",
    ),
    "es": (
        "Si la compra supera los {t} dólares, hay un descuento de {g} dólares. {name} compra {n} lámparas a {p} "
        "dólares cada una. ¿Cuánto paga {name}?",
        r"supera los (\d+) dólares, hay un descuento de (\d+) dólares\. (\w+) compra (\d+) lámparas a (\d+)",
        "{name} gasta {n} * {p} = <<{n}*{p}={c}>>{c} dólares, que supera los {t} dólares.\nCon el descuento paga "
        "{c} - {g} = <<{c}-{g}={d}>>{d} dólares.\n#### {d}",
        "{name} gasta {n} * {p} = <<{n}*{p}={c}>>{c} dólares, que no supera los {t} dólares.\n#### {c}",
    ),
    "de": (
        "Bei einem Einkauf über {t} Euro gibt es {g} Euro Rabatt. {name} kauft {n} Lampen zu je {p} Euro. Wie viel zahlt {name}?",
        r"über (\d+) Euro gibt es (\d+) Euro Rabatt\. (\w+) kauft (\d+) Lampen zu je (\d+)",
        "{name} zahlt {n} * {p} = <<{n}*{p}={c}>>{c} Euro, das ist über {t} Euro.\nMit Rabatt: {c} - {g} = "
        "<<{c}-{g}={d}>>{d} Euro.\n#### {d}",
        "{name} zahlt {n} * {p} = <<{n}*{p}={c}>>{c} Euro, nicht über {t} Euro.\n#### {c}",
    ),
}


@pytest.mark.parametrize("language", sorted(OFFER))
def test_a_condition_the_answer_states_in_words_moves_no_number(language):
    """Class: a threshold of the question that no computation takes, which the answer reads in words of any
    language ("qualifies", "supera", "über"). The first answer is above it, the probes scale every number (and
    stay above): re-derived for a basket below, the discount would be served. A question quantity no computation
    takes now moves no number; names still do, where the question shows a person ("for her desk"): under a name it
    does not show one (any name of a question in another language), the amount the answer leaves aside may be one
    it chose by what it knows of the name, and the model answers."""
    question, read, above, below = OFFER[language]

    def model(spec: GenerationSpec) -> str:
        m = re.search(read, spec.prompt)
        assert m is not None, spec.prompt
        t, g, name, n, p = int(m[1]), int(m[2]), m[3], int(m[4]), int(m[5])
        c = n * p
        return (above if c > t else below).format(name=name, n=n, p=p, c=c, t=t, g=g, d=c - g)

    engine = engine_for(model)
    asks = [(question.format(t=100, g=15, name="Ann", n=3, p=40), Fraction(105))]
    for name, n, p in [("Dan", 2, 30), ("Eve", 3, 20), ("Fay", 1, 45), ("Gus", 4, 40), ("Hal", 5, 30), ("Ann", 2, 45)]:
        c = n * p
        asks.append((question.format(t=100, g=15, name=name, n=n, p=p), Fraction(c - 15 if c > 100 else c)))
    asks.append((question.format(t=100, g=15, name="Ivy", n=3, p=40), Fraction(105)))  # names only
    served, wrong = tally(engine, asks)
    assert wrong == 0
    assert served >= (1 if language == "en" else 0)  # the names-only variant


# ---------------------------------------------------------------- a constant a question number happened to equal
FARM = "{name}'s farm has {c} cows and {h} horses. How many legs do the animals have in total?"


def farm_model(spec: GenerationSpec) -> str:
    m = re.search(r"farm has (\d+) cows and (\d+) horses", spec.prompt)
    assert m is not None
    c, h = int(m[1]), int(m[2])
    return (
        f"The cows have {c} * 4 = <<{c}*4={c * 4}>>{c * 4} legs.\nThe horses have {h} * 4 = <<{h}*4={h * 4}>>{h * 4} legs.\n"
        f"In total {c * 4} + {h * 4} = <<{c * 4}+{h * 4}={c * 4 + h * 4}>>{c * 4 + h * 4} legs.\n#### {c * 4 + h * 4}"
    )


def test_a_caller_who_keeps_a_number_vouches_for_nothing_about_it():
    """Class: a constant the answer never names (4 legs) equal to a question number (4 cows). The answer verifies
    only because the question has a 4; a second caller changes only the horses and agrees, which vouched for the
    cows' slot too although it kept its value: the next variant re-derived the 4 legs as its cow count (6 * 6).
    A caller's agreeing answer now vouches only for the slots it changed."""
    engine = engine_for(farm_model)
    asks = [(FARM.format(name="Ann", c=4, h=9), Fraction(52)), (FARM.format(name="Ann", c=4, h=11), Fraction(60))]
    for name, c, h in [("Cy", 6, 12), ("Di", 7, 3), ("Ed", 9, 5), ("Flo", 3, 8), ("Gil", 8, 10)]:
        asks.append((FARM.format(name=name, c=c, h=h), Fraction(4 * c + 4 * h)))
    _, wrong = tally(engine, asks)
    assert wrong == 0


# a unit constant named in another language, equal to a question number: "Eva übt 2 Stunden und 60 Minuten"
UNITS_ABROAD = {
    "de hours": ("Eva übt {w} Stunden und {d} Minuten Klavier. Wie viele Minuten übt sie?", "{w} Stunden sind", "Insgesamt", 60),
    "es hours": ("Eva estudia {w} horas y {d} minutos. ¿Cuántos minutos estudia?", "{w} horas son", "En total", 60),
    "de weeks": (
        "Jonas macht {w} Wochen und {d} Tage Urlaub. Wie viele Tage Urlaub macht er?",
        "{w} Wochen sind",
        "Insgesamt",
        7,
    ),
    "fr weeks": ("Luc part {w} semaines et {d} jours. Combien de jours part-il en tout ?", "{w} semaines font", "Au total", 7),
    "de dozen": (
        "Max kauft {w} Dutzend Eier und {d} einzelne Eier. Wie viele Eier kauft er?",
        "{w} Dutzend sind",
        "Insgesamt",
        12,
    ),
    "it days": ("Marco lavora {w} giorni e {d} ore. Quante ore lavora in tutto?", "{w} giorni sono", "In tutto", 24),
    "pt months": ("Ana tem {w} anos e {d} meses. Quantos meses tem ela?", "{w} anos são", "No total", 12),
}


@pytest.mark.parametrize("corroborate", [True, False], ids=["corroborated", "checks alone"])
@pytest.mark.parametrize("case", sorted(UNITS_ABROAD))
def test_a_unit_constant_named_in_another_language_is_a_constant(case, corroborate):
    """Class: a step that converts by a unit constant named in German, French, Spanish, Italian or Portuguese ("2 Stunden sind 2 * 60
    Minuten"), where the first question's other number happens to equal it ("und 60 Minuten"). The constants were
    known by their English names only, so the step's 60 was read as the question's 60 minutes and re-derived as
    the new minutes: 6 false of 10 with the checks alone (helper-151; the second model answer of the default mode
    disagreed, and it served nothing). The units of time, the dozen and the hundred are named in the task's other
    languages too."""
    question, said, total, unit = UNITS_ABROAD[case]
    read = re.compile(re.escape(question).replace(r"\{w\}", r"(\d+)").replace(r"\{d\}", r"(\d+)"))

    def model(prompt: str) -> str:
        m = read.search(prompt)
        assert m is not None, prompt
        w, d = int(m[1]), int(m[2])
        a = w * unit
        return f"{said.format(w=w)} {w} * {unit} = <<{w}*{unit}={a}>>{a}.\n{total} {a} + {d} = <<{a}+{d}={a + d}>>{a + d}.\n#### {a + d}"

    grid = [(2, unit), (3, 4), (2, 3), (5, 1), (6, 2), (4, 5), (3, unit), (7, 3), (5, 6), (8, 4)]
    served, false = false_served(model, [question.format(w=w, d=d) for w, d in grid], corroborate=corroborate)
    assert false == 0
    assert served >= 6  # as in English ("2 hours and 60 minutes": 9 of 10)


# --------------------------------------------------------------------------------------------- money to the cent
JACKET = (
    "A jacket costs ${p}. It is on sale for {d}% off, and then a {t}% sales tax is added. How much does {name} pay "
    "for the jacket?"
)


def _money(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{float(x):.2f}"


def jacket_model(spec: GenerationSpec) -> str:
    m = re.search(r"\$(\d+)\. It is on sale for (\d+)% off, and then a (\d+)%", spec.prompt)
    assert m is not None
    p, d, t = int(m[1]), int(m[2]), int(m[3])
    keep, tax = Fraction(100 - d, 100), Fraction(100 + t, 100)
    after, total = p * keep, p * keep * tax
    if (total * 100).denominator != 1:  # to the cent, as a model writes money (its own computation inexact)
        return f"After the discount: ${_money(after)}. With tax: ${_money(total)}.\n\n**Answer: {_money(total)}**"
    return (
        f"After the discount the jacket costs {p} × {_money(keep)} = ${_money(after)}.\n"
        f"With tax: {_money(after)} × {_money(tax)} = ${_money(total)}.\n\n**Answer: {_money(total)}**"
    )


def test_money_is_never_re_derived_finer_than_the_cent():
    """Class: an amount the answer writes to the cent ($57.75) re-derived for other numbers into fractions of a cent
    ($61.875, where the model and any grader say $61.88). A number written with decimals takes a new value only in
    as many places as it had (or two), and never one with no finite decimals."""
    engine = engine_for(jacket_model)
    asks = []
    for p, d, t in [(75, 30, 10), (75, 25, 10), (80, 15, 5), (60, 35, 10), (90, 20, 10), (50, 10, 8), (75, 30, 10)]:
        total = Fraction(p) * Fraction(100 - d, 100) * Fraction(100 + t, 100)
        asks.append((JACKET.format(p=p, d=d, t=t, name="Ann"), Fraction(round(total * 100), 100)))
    served, wrong = tally(engine, asks)
    assert wrong == 0
    assert served >= 1  # the identical repeat, at least


# ----------------------------------------------------------------- a branch on which computed amount is larger
EARN = {
    "en": "{a} works {h1} hours at ${r1} per hour and {b} works {h2} hours at ${r2} per hour. How many times as much as the other does the one who earns more earn?",
    "es": "{a} trabaja {h1} horas a ${r1} por hora y {b} trabaja {h2} horas a ${r2} por hora. ¿Cuántas veces más que el otro gana quien gana más?",
    "de": "{a} arbeitet {h1} Stunden zu ${r1} pro Stunde und {b} arbeitet {h2} Stunden zu ${r2} pro Stunde. Wie viel Mal so viel wie der andere verdient, wer mehr verdient?",
}
EARN_READ = re.compile(r"(\w+) \w+ (\d+) \w+ \w+ \$(\d+) \w+ \w+ \w+ (\w+) \w+ (\d+) \w+ \w+ \$(\d+)")


def earn_model(spec: GenerationSpec) -> str:
    m = EARN_READ.search(spec.prompt)
    assert m is not None, spec.prompt
    n1, h1, r1, n2, h2, r2 = m[1], int(m[2]), int(m[3]), m[4], int(m[5]), int(m[6])
    e1, e2 = h1 * r1, h2 * r2
    (big, b), (_, s) = ((n1, e1), (n2, e2)) if e1 >= e2 else ((n2, e2), (n1, e1))
    r = Fraction(b, s)
    shown = str(r.numerator) if r.denominator == 1 else f"{float(r):.6f}".rstrip("0")
    return (
        f"{n1}: {h1} × {r1} = <<{h1}*{r1}={e1}>>{e1}.\n{n2}: {h2} × {r2} = <<{h2}*{r2}={e2}>>{e2}.\n"
        f"{big}: {b} ÷ {s} = <<{b}/{s}={shown}>>{shown}.\n#### {shown}"
    )


@pytest.mark.parametrize("language", sorted(EARN))
def test_which_computed_amount_is_larger_is_never_re_derived_across(language):
    """Class: a branch on which of two computed amounts is larger ("the one who earns more", in any language),
    ending in a quotient that stays positive either way (150 ÷ 120). The probe kept the first order and agreed;
    a variant where the other one earns more was served 70 ÷ 125 = 0.56 (right: 1.79). A quotient whose side of 1
    changes is no longer re-derived, and the probe tries first the point where the results compare otherwise."""
    question = EARN[language]
    engine = engine_for(earn_model)
    asks = [(question.format(a="Ann", b="Bob", h1=6, r1=20, h2=10, r2=15), Fraction(150, 120))]
    for a, b, h1, r1, h2, r2 in [
        ("Ivy", "Gus", 5, 25, 7, 10),
        ("Ida", "Hal", 12, 10, 12, 8),
        ("Eve", "Ivan", 4, 30, 9, 20),
        ("Zoe", "Karl", 8, 25, 5, 20),
        ("Mia", "Leo", 3, 40, 6, 30),
        ("Nina", "Otto", 10, 12, 4, 25),
    ]:
        e1, e2 = h1 * r1, h2 * r2
        asks.append((question.format(a=a, b=b, h1=h1, r1=r1, h2=h2, r2=r2), Fraction(max(e1, e2), min(e1, e2))))
    served, wrong = tally(engine, asks)
    assert wrong == 0


# ------------------------------------------------------------- a fee on whichever computed amount is larger
FEE = {
    "en": (
        "{a} buys {n} pens at ${p} each. {b} buys {m} books at ${q} each. The one who spends more pays a service fee "
        "of {r}% on their own order. How much do they pay altogether?",
        "{w} spends more, so {w} pays the fee",
    ),
    "es": (
        "{a} compra {n} bolígrafos a {p} dólares cada uno. {b} compra {m} libros a {q} dólares cada uno. Quien gasta "
        "más paga una comisión del {r}% de su pedido. ¿Cuánto pagan en total?",
        "{X} es más que {Y}, así que {w} paga la comisión",
    ),
    "de": (
        "{a} kauft {n} Stifte zu je {p} Euro. {b} kauft {m} Bücher zu je {q} Euro. Wer mehr ausgibt, zahlt eine "
        "Gebühr von {r}% auf die eigene Bestellung. Wie viel zahlen sie zusammen?",
        "{X} ist mehr als {Y}, also zahlt {w} die Gebühr",
    ),
    "fr": (
        "{a} achète {n} stylos à {p} euros chacun. {b} achète {m} livres à {q} euros chacun. Celui qui dépense le plus "
        "paie des frais de {r}% sur sa commande. Combien paient-ils au total ?",
        "{w} dépense plus que {v}, donc {w} paie les frais",
    ),
}
FEE_READ = re.compile(r"(\w+) \w+ (\d+) \w+ \D*?(\d+) .*?\. (\w+) \w+ (\d+) \w+ \D*?(\d+) .*?(\d+)%")


def fee_model(language: str) -> Callable[[GenerationSpec], str]:
    def model(spec: GenerationSpec) -> str:
        m = FEE_READ.search(spec.prompt)
        assert m is not None, spec.prompt
        a, n, p, b, k, q, r = m[1], int(m[2]), int(m[3]), m[4], int(m[5]), int(m[6]), int(m[7])
        x, y = n * p, k * q
        (w, big), (v, small) = ((a, x), (b, y)) if x > y else ((b, y), (a, x))
        fee = Fraction(big * r, 100)
        g = str(fee.numerator) if fee.denominator == 1 else f"{float(fee):g}"
        t = x + y + fee
        total = str(t.numerator) if t.denominator == 1 else f"{float(t):g}"
        said = FEE[language][1].format(w=w, v=v, X=big, Y=small)
        return (
            f"{a}: {n} * {p} = <<{n}*{p}={x}>>{x}.\n{b}: {k} * {q} = <<{k}*{q}={y}>>{y}.\n"
            f"{said}: {big} * {r}% = <<{big}*{r}%={g}>>{g}.\n{x} + {y} + {g} = <<{x}+{y}+{g}={total}>>{total}\n#### {total}"
        )

    return model


@pytest.mark.parametrize("language", sorted(FEE))
def test_a_fee_on_whichever_computed_amount_is_larger_is_never_re_derived_across(language):
    """Class: a branch on which of two computed amounts is larger, named in the question's words of any language
    ("the one who spends more", "quien gasta más", "wer mehr ausgibt", "celui qui dépense le plus"), where nothing
    turns negative and no quotient crosses 1: a fee on the larger order, then the total. The probe kept Ann the
    larger spender and agreed; 9 of 15 variants where Bob spends more were served Ann's fee (a helper's probe: 36
    wrong in each of the four languages). Two results computed alike, added together and otherwise used apart,
    now never swap which is the larger in a re-derivation."""
    question = FEE[language][0]
    engine = engine_for(fee_model(language))

    def right(n: int, p: int, k: int, q: int, r: int) -> Fraction:
        return n * p + k * q + Fraction(max(n * p, k * q) * r, 100)

    asks = [(question.format(a="Ann", b="Bob", n=40, p=5, m=3, q=6, r=10), right(40, 5, 3, 6, 10))]
    grid = [(50, 4, 3, 7, 20), (30, 8, 4, 5, 10), (5, 4, 4, 6, 10), (3, 10, 5, 9, 20), (6, 5, 7, 10, 10)]
    grid += [(4, 5, 9, 10, 30), (7, 10, 11, 4, 10), (10, 3, 8, 5, 40), (9, 10, 10, 10, 10), (3, 20, 7, 10, 30)]
    # renamed in kind (a question in another language is renamed only where each person keeps a gender)
    women = ["Eva", "Ida", "Mia", "Zoe", "Lisa", "Nina", "Rosa", "Sara", "Tina", "Vera"]
    men = ["Carl", "Emil", "Finn", "Hugo", "Ivan", "Karl", "Leo", "Marco", "Otto", "Paul"]
    for i, (n, p, k, q, r) in enumerate(grid):
        asks.append((question.format(a=women[i], b=men[i], n=n, p=p, m=k, q=q, r=r), right(n, p, k, q, r)))
    served, wrong = tally(engine, asks)
    assert wrong == 0
    if language == "en":
        # the variants where the same one spends more are still reused; the other languages' answers compare the
        # two amounts in words ("400 es más que 18"), a claim the carryover reads as one (as "400 is more than 18")
        assert served >= 2


# ------------------------------------------------------------------------- a 0 hides what it multiplies
LEGS = "{a}'s farm has {x} cows and {y} hens, and each cow has {z} legs. How many legs do the animals have in total?"
LEGS_READ = re.compile(r"farm has (\d+) cows and (\d+) hens, and each cow has (\d+) legs")


def legs_model(spec: GenerationSpec) -> str:
    m = LEGS_READ.search(spec.prompt)
    assert m is not None, spec.prompt
    x, y, z = int(m[1]), int(m[2]), int(m[3])
    hens = f"The hens have {y} * 2 = <<{y}*2={2 * y}>>{2 * y} legs.\n" if y else "There are no hens.\n"
    return f"The cows have {x} * {z} = <<{x}*{z}={x * z}>>{x * z} legs.\n{hens}In total {x * z} + {2 * y} = <<{x * z}+{2 * y}={x * z + 2 * y}>>{x * z + 2 * y} legs.\n#### {x * z + 2 * y}"


def test_an_answer_at_a_point_with_a_zero_vouches_for_nothing():
    """Class: a caller's question with a 0 ("5 cows and 0 hens"). The legs each hen has (2, the model's own) equal
    the question's 2 cows, so a re-derivation maps them to the cows; where the hens are 0 the product hides it,
    the model's answer agreed, and it vouched for the cow slot: "3 cows and 5 hens" was served 27 legs (right: 22;
    7 of 9 wrong in a helper's grid). A 0 in the question or in a result now vouches for nothing."""
    engine = engine_for(legs_model)
    asks = [(LEGS.format(a="Ann", x=2, y=7, z=4), Fraction(22))]
    for a, x, y, z in [("Bo", 2, 5, 4), ("Cy", 2, 7, 6), ("Di", 5, 0, 4), ("Ed", 3, 5, 4), ("Flo", 5, 7, 4)]:
        asks.append((LEGS.format(a=a, x=x, y=y, z=z), Fraction(x * z + 2 * y)))
    asks += [(LEGS.format(a="Gil", x=x, y=y, z=4), Fraction(x * 4 + 2 * y)) for x, y in ((9, 7), (10, 10), (3, 1))]
    served, wrong = tally(engine, asks)
    assert wrong == 0


# ------------------------------------------------- a branch on which of the question's own quantities is larger
GIVE = {
    "es": "{a} tiene {x} pegatinas y {b} tiene {y}. Quien tenga más pegatinas le da 3 a la otra persona. Después {a} vende cada pegatina a 4 dólares y {b} cada una a 6 dólares. ¿Cuánto dinero ganan en total?",
    "de": "{a} hat {x} Aufkleber und {b} hat {y} Aufkleber. Wer mehr hat, gibt dem anderen 3 Aufkleber. Dann verkauft {a} jeden Aufkleber für 4 Euro und {b} jeden für 6 Euro. Wie viel Geld verdienen sie zusammen?",
    "fr": "{a} a {x} autocollants et {b} en a {y}. Celui qui en a le plus donne 3 autocollants à l'autre. Ensuite {a} vend chaque autocollant 4 euros et {b} chacun 6 euros. Combien d'argent gagnent-ils au total ?",
    "pt": "{a} tem {x} figurinhas e {b} tem {y}. Quem tiver mais dá 3 figurinhas para o outro. Depois {a} vende cada figurinha por 4 reais e {b} cada uma por 6 reais. Quanto dinheiro eles ganham no total?",
    "en": "{a} picks the number {x} and {b} picks the number {y}. The person with the bigger number subtracts 3 from it and the other person adds 3. Then {a} multiplies the result by 4 and {b} multiplies it by 6. What is the sum of their final numbers?",
}
GIVE_READ = re.compile(r"^(\w+) \D*?(\d+)\D+?(\w+) \D*?(\d+)")


def give_model(spec: GenerationSpec) -> str:
    """Right for any numbers: the one with more (the bigger number) gives 3 (subtracts 3), the other gets 3."""
    m = GIVE_READ.search(spec.prompt.strip().splitlines()[-1])
    assert m is not None, spec.prompt
    a, x, b, y = m[1], int(m[2]), m[3], int(m[4])
    nx, ny = (x - 3, y + 3) if x > y else (x + 3, y - 3)
    opx, opy = ("-", "+") if x > y else ("+", "-")
    return (
        f"{a}: {x} {opx} 3 = <<{x}{opx}3={nx}>>{nx}.\n{b}: {y} {opy} 3 = <<{y}{opy}3={ny}>>{ny}.\n"
        f"{a}: {nx} * 4 = <<{nx}*4={4 * nx}>>{4 * nx}.\n{b}: {ny} * 6 = <<{ny}*6={6 * ny}>>{6 * ny}.\n"
        f"{4 * nx} + {6 * ny} = <<{4 * nx}+{6 * ny}={4 * nx + 6 * ny}>>{4 * nx + 6 * ny}.\n#### {4 * nx + 6 * ny}"
    )


@pytest.mark.parametrize("language", sorted(GIVE))
def test_a_branch_on_which_quantity_is_larger_is_probed_where_they_trade_places(language):
    """Class: a branch on which of the question's own quantities is larger, in words no list holds ("quien tenga
    más", "wer mehr hat", "celui qui en a le plus", "quem tiver mais", "the person with the bigger number"). Drawn
    near their values, 100 and 7 never swapped at a probe, which agreed; later callers on the same side vouched for
    each other; a helper's grid served 30 to 56 wrong per language. The first probe is now the point where the
    quantities of a kind trade places, and which of two is larger is a slot of its own: vouched for only by an
    answer where it flipped."""
    question = GIVE[language]
    engine = engine_for(give_model)

    def right(x: int, y: int) -> Fraction:
        nx, ny = (x - 3, y + 3) if x > y else (x + 3, y - 3)
        return Fraction(4 * nx + 6 * ny)

    asks = [(question.format(a="Ana", b="Bob", x=100, y=7), right(100, 7))]
    pairs = [(5, 30), (12, 9), (9, 12), (6, 100), (50, 51), (60, 10), (10, 60), (13, 17), (200, 300), (300, 200)]
    names = ["Cy", "Di", "Ed", "Flo", "Gil", "Hana", "Ivo", "Jo", "Kai", "Lu", "Max", "Ned"]
    asks += [(question.format(a=names[i], b=names[-1 - i], x=x, y=y), right(x, y)) for i, (x, y) in enumerate(pairs)]
    served, wrong = tally(engine, asks)
    assert wrong == 0


SPEND = (
    "{a} buys {n} pens at ${p} each. {b} buys a bag for ${k} and a hat for ${h}. The one who spends more pays a fee "
    "of 10% on their own order. How much do they pay altogether?"
)
SPEND_READ = re.compile(r"(\w+) buys (\d+) pens at \$(\d+) each\. (\w+) buys a bag for \$(\d+) and a hat for \$(\d+)")


def spend_model(spec: GenerationSpec) -> str:
    m = SPEND_READ.search(spec.prompt)
    assert m is not None, spec.prompt
    a, n, p, b, k, h = m[1], int(m[2]), int(m[3]), m[4], int(m[5]), int(m[6])
    x, y = n * p, k + h
    big = max(x, y)
    fee = Fraction(big, 10)
    g = str(fee.numerator) if fee.denominator == 1 else f"{float(fee):g}"
    t = x + y + fee
    total = str(t.numerator) if t.denominator == 1 else f"{float(t):g}"
    return (
        f"{a}: {n} * {p} = <<{n}*{p}={x}>>{x}.\n{b}: {k} + {h} = <<{k}+{h}={y}>>{y}.\n"
        f"The fee: {big} * 10% = <<{big}*10%={g}>>{g}.\n{x} + {y} + {g} = <<{x}+{y}+{g}={total}>>{total}\n#### {total}"
    )


def test_a_fee_on_the_larger_of_two_amounts_computed_otherwise_is_never_re_derived_across():
    """Class: the fee goes on the larger of two amounts computed in different ways (20 × 30 against 50 + 40), and
    the answer never says why. Results computed alike were kept in order; these were not, and a helper's grid
    served 8 wrong per language. Any two results a later step adds together and the answer otherwise uses apart
    now keep which is the larger."""
    engine = engine_for(spend_model)
    asks = [(SPEND.format(a="Ana", b="Bob", n=20, p=30, k=50, h=40), Fraction(600 + 90 + 60))]
    grid = [(10, 20, 50, 40), (2, 15, 50, 35), (3, 10, 60, 70), (30, 20, 20, 10), (4, 5, 30, 40), (25, 10, 80, 60)]
    for (n, p, k, h), a, b in zip(
        grid, ("Cy", "Di", "Ed", "Flo", "Gil", "Hana"), ("Ivo", "Jo", "Kai", "Lu", "Max", "Ned"), strict=True
    ):
        x, y = n * p, k + h
        asks.append((SPEND.format(a=a, b=b, n=n, p=p, k=k, h=h), x + y + Fraction(max(x, y), 10)))
    served, wrong = tally(engine, asks)
    assert wrong == 0


# ------------------------------------------------------------------- a choice by rank among three or more
JUDGES = "The judges give {a} scores of {w}, {x}, {y} and {z}. The highest and the lowest are dropped. What is the average of the remaining scores?"
JUDGES_READ = re.compile(r"give (\w+) scores of (\d+), (\d+), (\d+) and (\d+)\.")


def judges_model(spec: GenerationSpec) -> str:
    m = JUDGES_READ.search(spec.prompt)
    assert m is not None, spec.prompt
    scores = [int(m[i]) for i in range(2, 6)]
    t, hi, lo = sum(scores), max(scores), min(scores)
    rest = t - hi - lo
    avg = Fraction(rest, 2)
    shown = str(avg.numerator) if avg.denominator == 1 else f"{float(avg):g}"
    listed = " + ".join(map(str, scores))
    return (
        f"The scores add up to {listed} = <<{listed.replace(' ', '')}={t}>>{t}.\n"
        f"Dropping the highest and the lowest leaves {t} - {hi} - {lo} = <<{t}-{hi}-{lo}={rest}>>{rest}.\n"
        f"Half of that is the average: {rest} / 2 = <<{rest}/2={shown}>>{shown}.\n#### {shown}"
    )


def test_which_quantities_rank_highest_and_lowest_is_corroborated_as_a_ranking():
    """Class: a choice by rank among three or more quantities ("the highest and the lowest are dropped", "the
    runner-up"). The reversed point keeps the middle ones in the middle, so the probe agreed and every pairwise
    order counted as corroborated; a helper's grid served 18 wrong of 23 (scores 4, 6, 9, 10 served 5, right 7.5).
    A list of numbers is now of one kind, and a ranking of a kind is corroborated only by an answer ranked the
    same way."""
    engine = engine_for(judges_model)
    asks = [(JUDGES.format(a="Ann", w=9, x=6, y=4, z=10), Fraction(15, 2))]
    grid = list(itertools.permutations((4, 6, 9, 10)))[:20] + [(3, 5, 8, 7), (10, 2, 6, 8), (7, 7, 9, 3)]
    names = ["Bea", "Ivy", "Ida", "Eve", "Zoe", "Mia", "Nina", "Rosa", "Sara", "Tina", "Vera", "Lisa"]
    for k, scores in enumerate(grid):
        w, x, y, z = scores
        rest = sum(scores) - max(scores) - min(scores)
        asks.append((JUDGES.format(a=names[k % len(names)], w=w, x=x, y=y, z=z), Fraction(rest, 2)))
    served, wrong = tally(engine, asks)
    assert wrong == 0


FRUIT = "{a} picks {x} apples and {b} buys {y} pears. If {a}'s apples outnumber {b}'s pears, {a} eats 3 of the apples. How many fruits do they have now?"
FRUIT_READ = re.compile(r"(\w+) picks (\d+) apples and (\w+) buys (\d+) pears")


def fruit_model(spec: GenerationSpec) -> str:
    m = FRUIT_READ.search(spec.prompt)
    assert m is not None, spec.prompt
    a, x, y = m[1], int(m[2]), int(m[4])
    if x > y:
        return f"{a} eats 3: {x} - 3 = <<{x}-3={x - 3}>>{x - 3} apples are left.\nTogether {x - 3} + {y} = <<{x - 3}+{y}={x + y - 3}>>{x + y - 3} fruits.\n#### {x + y - 3}"
    return f"Together {x} + {y} = <<{x}+{y}={x + y}>>{x + y} fruits.\n#### {x + y}"


def test_a_condition_comparing_two_amounts_of_different_kinds_moves_no_number():
    """Class: a condition comparing amounts the question does not state as one number, and of different kinds ("if
    Ann's apples outnumber Bob's pears", "if the books cost more than her wallet holds"). No kind links them, so no
    probe swapped them; a helper's grid served 15 wrong of 29. A condition with a comparison in it now moves no
    number (an amount's "5 more apples than" and a threshold's "more than 50" are read as before)."""
    engine = engine_for(fruit_model)
    asks = [(FRUIT.format(a="Ann", b="Bob", x=14, y=6), Fraction(17))]
    for a, b, x, y in [("Bea", "Carl", 6, 9), ("Ida", "Emil", 6, 6), ("Zoe", "Finn", 20, 8), ("Nina", "Ivan", 5, 30)]:
        asks.append((FRUIT.format(a=a, b=b, x=x, y=y), Fraction(x + y - 3 if x > y else x + y)))
    served, wrong = tally(engine, asks)
    assert wrong == 0


# ------------------------------------------------------------------------- a quantity the answer leaves aside
# (a number no computation takes: a GSM-Symbolic distractor, a threshold read in words or not at all, a step skipped)
ABSENT = (
    "There are {a} fifth-graders at Oak Ridge School. {g} of them are girls. On Friday, {x} fifth-grade girls and "
    "{y} fifth-grade boys were absent. How many fifth-grade boys were at school on Friday?"
)
ABSENT_READ = re.compile(r"There are (\d+) fifth-graders .*? (\d+) of them are girls\. On Friday, (\d+) .*? and (\d+) fifth")


def absent_answer(a: int, g: int, x: int, y: int, *, slip: bool = False) -> str:
    boys = a - g
    if slip:  # the girls' absences taken from the boys (every computation true, every number grounded)
        return f"{a} - {g} = <<{a}-{g}={boys}>>{boys} boys.\n{boys} - {x} = <<{boys}-{x}={boys - x}>>{boys - x} boys.\n#### {boys - x}"
    return (
        f"{a} - {g} = <<{a}-{g}={boys}>>{boys} boys.\n{boys} - {y} = <<{boys}-{y}={boys - y}>>{boys - y} boys.\n#### {boys - y}"
    )


ABSENT_GRID = [(164, 80, 7, 4), (164, 80, 9, 3), (150, 70, 8, 5), (120, 64, 6, 11), (90, 40, 12, 6)]


def _values(read: str, prompt: str) -> dict[str, int]:
    """The numbers of ``prompt`` in order, named by ``read`` ("n t g k m")."""
    return dict(zip(read.split(), (int(x) for x in re.findall(r"\d+", prompt)), strict=True))


# a threshold compared with a question quantity the answer otherwise uses ("if she has more than 20")
APPLES = {
    "es": "{name} tiene {n} manzanas. Si {name} tiene más de {t}, le da {g} manzanas a Bea. Luego {name} compra {k} "
    "bolsas con {m} manzanas cada una. ¿Cuántas manzanas tiene {name} ahora?",
    "de": "{name} hat {n} Äpfel. Wenn {name} mehr als {t} hat, gibt {name} {g} Äpfel an Bea. Dann kauft {name} {k} "
    "Tüten mit je {m} Äpfeln. Wie viele Äpfel hat {name} jetzt?",
    "nl": "{name} heeft {n} appels. Als {name} meer dan {t} heeft, geeft {name} {g} appels aan Bea. Daarna koopt "
    "{name} {k} zakken met elk {m} appels. Hoeveel appels heeft {name} nu?",
}
APPLES_READ = "n t g k m"


def apples_answer(v: dict[str, int]) -> str:
    bags = v["k"] * v["m"]
    lines = f"{v['k']} * {v['m']} = <<{v['k']}*{v['m']}={bags}>>{bags}\n"
    have = v["n"]
    if v["n"] > v["t"]:
        lines += f"{have} - {v['g']} = <<{have}-{v['g']}={have - v['g']}>>{have - v['g']}\n"
        have -= v["g"]
    return lines + f"{have} + {bags} = <<{have}+{bags}={have + bags}>>{have + bags}\n#### {have + bags}"


# a threshold on a sum of counts the answer never computes ("livraison offerte dès 8 articles")
PENS = (
    "{name} achète {a} stylos rouges à {p} euros chacun et {b} stylos bleus à {q} euros chacun. La livraison coûte "
    "{s} euros, offerte dès {t} articles. Combien {name} paie-t-elle ?"
)
PENS_READ = "a p b q s t"


def pens_answer(v: dict[str, int]) -> str:
    x, y = v["a"] * v["p"], v["b"] * v["q"]
    out = f"{v['a']} * {v['p']} = <<{v['a']}*{v['p']}={x}>>{x}\n{v['b']} * {v['q']} = <<{v['b']}*{v['q']}={y}>>{y}\n"
    out += f"{x} + {y} = <<{x}+{y}={x + y}>>{x + y}\n"
    if v["a"] + v["b"] >= v["t"]:
        return out + f"La livraison est offerte.\n#### {x + y}"
    return out + f"{x + y} + {v['s']} = <<{x + y}+{v['s']}={x + y + v['s']}>>{x + y + v['s']}\n#### {x + y + v['s']}"


# two quantities left aside whose relation decides ("younger than 16 ... Ann is 17")
TICKETS = "A ticket costs ${p}. Anyone younger than {l} gets in free. {name} is {y} and buys tickets for {n} friends too. How much does {name} pay?"
TICKETS_READ = "p l y n"


def tickets_answer(v: dict[str, int]) -> str:
    people = v["n"] + (v["y"] >= v["l"])
    return f"{people} * {v['p']} = <<{people}*{v['p']}={people * v['p']}>>{people * v['p']}\n#### {people * v['p']}"


LEFT_ASIDE = {
    "apples-es": (
        APPLES["es"],
        APPLES_READ,
        apples_answer,
        dict(n=12, t=20, g=3, k=4, m=7),
        [dict(n=29, t=20, g=4, k=5, m=8), dict(n=25, t=20, g=3, k=3, m=6), dict(n=9, t=20, g=3, k=2, m=5)],
    ),
    **{
        f"apples-{language}": (
            APPLES[language],
            APPLES_READ,
            apples_answer,
            dict(n=12, t=20, g=3, k=4, m=7),
            [dict(n=29, t=20, g=4, k=5, m=8), dict(n=25, t=20, g=3, k=3, m=6)],
        )
        for language in ("de", "nl")
    },
    "pens-fr": (
        PENS,
        PENS_READ,
        pens_answer,
        dict(a=3, p=12, b=4, q=9, s=7, t=10),
        [dict(a=6, p=12, b=7, q=9, s=7, t=10), dict(a=5, p=13, b=5, q=9, s=6, t=10), dict(a=2, p=15, b=5, q=8, s=6, t=8)],
    ),
    "tickets-en": (
        TICKETS,
        TICKETS_READ,
        tickets_answer,
        dict(p=14, l=16, y=17, n=4),
        [dict(p=14, l=18, y=15, n=4), dict(p=12, l=16, y=12, n=5), dict(p=10, l=20, y=21, n=3)],
    ),
}


@pytest.mark.parametrize("case", sorted(LEFT_ASIDE))
def test_a_quantity_the_answer_leaves_aside_moves_no_number(case):
    """Class: a number of the question no computation of the answer takes, which decides a branch the answer does
    not state: a threshold compared with a quantity the answer uses otherwise ("si tiene más de 20", "wenn mehr
    als 20", "als meer dan 20"), a threshold on a sum the answer never computes ("livraison offerte dès 10
    articles"), an age limit and an age both left aside ("younger than 16 ... is 17"). A session let such answers
    verify and served them where the way that number compared with the answer's own numbers was unchanged: a
    helper's probe got 15 of 20 wrong per language (69 apples where 65 is right). Nothing tells a distractor from
    such a branch, so no reuse with other numbers is served from an answer that leaves a number aside."""
    question, read, answer, first, grid = LEFT_ASIDE[case]

    def model(spec: GenerationSpec) -> str:
        return answer(_values(read, spec.prompt))

    wrong = 0
    for variant in grid:  # each variant after the first answer and its own probes
        engine = engine_for(model)
        engine.run(Request(question.format(name="Ann", **first)))
        background.drain(10)
        _, bad = tally(engine, [(question.format(name="Ivo", **variant), final_answer(answer(variant))[0])])  # type: ignore[index]
        wrong += bad
    assert wrong == 0


def test_a_distractor_or_a_skipped_step_is_never_reused_with_other_numbers():
    """Class: a number given only to mislead (the girls absent, when the boys are asked: GSM-Symbolic's
    distractors), and the same question answered with a slip that leaves a number aside (the girls' absences
    taken from the boys). Which one an answer is, no check tells: neither is reused with other numbers; none is
    served wrong."""
    for slip in (False, True):

        def model(spec: GenerationSpec, slip: bool = slip) -> str:
            m = ABSENT_READ.search(spec.prompt)
            assert m is not None, spec.prompt
            values = tuple(int(g) for g in m.groups())
            return absent_answer(*values, slip=slip and values == ABSENT_GRID[0])

        engine = engine_for(model)
        engine.run(Request(ABSENT.format(a=164, g=80, x=7, y=4)))
        background.drain(10)
        asks = [(ABSENT.format(a=a, g=g, x=x, y=y), Fraction(a - g - y)) for a, g, x, y in ABSENT_GRID[1:]]
        served, wrong = tally(engine, asks)
        assert wrong == 0 and served == 0


# ------------------------------------------------------------------------------ a result stated, never computed
CARTONS = (
    "{name} has {x} eggs. Each carton holds {y} eggs. After filling as many full cartons as possible, how many "
    "eggs are left over?"
)
CARTONS_READ = re.compile(r"(\w+) has (\d+) eggs\. Each carton holds (\d+)")
FULL_GROUPS = {
    "cartons": (
        CARTONS,
        CARTONS_READ,
        "{name} can fill {q} full cartons.\nThey hold {q} * {y} = <<{q}*{y}={p}>>{p} eggs.\n{x} - {p} = "
        "<<{x}-{p}={r}>>{r} eggs are left over.\n#### {r}",
    ),
    # the same result in forms ``counts_other`` does not read: a label, a bare product, a pronoun
    "cartons-label": (
        CARTONS,
        CARTONS_READ,
        "Full cartons: {q}\nThey hold {q} * {y} = <<{q}*{y}={p}>>{p} eggs.\n{x} - {p} = <<{x}-{p}={r}>>{r} eggs are "
        "left over.\n#### {r}",
    ),
    "cartons-bare": (
        CARTONS,
        CARTONS_READ,
        "{q} * {y} = <<{q}*{y}={p}>>{p} eggs fit in full cartons.\n{x} - {p} = <<{x}-{p}={r}>>{r}\n#### {r}",
    ),
    "cartons-pronoun": (
        CARTONS,
        CARTONS_READ,
        "{name} fills {q} of them, with {q} * {y} = <<{q}*{y}={p}>>{p} eggs.\n{x} - {p} = <<{x}-{p}={r}>>{r} eggs "
        "are left over.\n#### {r}",
    ),
    "tables": (
        "{x} guests come to {name}'s party. Each table seats {y} guests, and only full tables are used. How many "
        "guests must stand?",
        re.compile(r"(\d+) guests come to (\w+)'s party\. Each table seats (\d+)"),
        "{name} can seat {q} full tables.\n{q} tables seat {q} * {y} = <<{q}*{y}={p}>>{p} guests.\n{x} - {p} = "
        "<<{x}-{p}={r}>>{r} guests must stand.\n#### {r}",
    ),
}


@pytest.mark.parametrize("family", sorted(FULL_GROUPS))
def test_a_result_the_answer_states_without_computing_it_is_no_question_number(family):
    """Class: a floor quotient the answer states as a claim ("can fill 6 full cartons") that equals a number of
    the question (40 eggs in cartons of 6: 6 cartons), so that its value alone reads it as the carton size. A
    caller who changed the egg count where the quotient stayed 6 (41 eggs) agreed, and vouched for the egg
    count: a helper's probe then got 6 of 7 served answers wrong (50 eggs: 14 left over, where 2 is right).
    The answer counts cartons where the question's 6 counts eggs: which one it is cannot be told, and no reuse
    with other numbers is served from it."""
    question, read, answer = FULL_GROUPS[family]

    def model(spec: GenerationSpec) -> str:
        m = read.search(spec.prompt)
        if m is None:
            return "I cannot help with that."
        (name, x, y) = (m[1], int(m[2]), int(m[3])) if family.startswith("cartons") else (m[2], int(m[1]), int(m[3]))
        q = x // y
        return answer.format(name=name, q=q, y=y, p=q * y, x=x, r=x % y)

    size = 6 if family.startswith("cartons") else 8
    first = size * size + 4  # the quotient equals the group size
    engine = engine_for(model)
    asks = [(question.format(name=name, x=x, y=size), Fraction(x % size)) for name, x in (("Ann", first), ("Bob", first + 1))]
    asks += [(question.format(name="Cy", x=x, y=size), Fraction(x % size)) for x in range(first + 5, first + 30, 3)]
    _, wrong = tally(engine, asks)
    assert wrong == 0


# ------------------------------------------------------------------------------ a fraction's share or what is left
_DENOMINATORS = {"half": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4, "fourths": 4}
_DENOMINATORS |= {"fifth": 5, "fifths": 5}
_NUMERATORS = {"one": 1, "two": 2, "three": 3, "four": 4}
_FRACTION_WORDS = r"(half|(?:one|two|three|four) (?:thirds?|quarters?|fourths?|fifths?))"


def _said(words: str) -> Fraction:
    """ "half", "two thirds", "one quarter" as a fraction."""
    if words == "half":
        return Fraction(1, 2)
    top, bottom = words.split()
    return Fraction(_NUMERATORS[top], _DENOMINATORS[bottom])


SHARES = {
    # the share: "half as many" is 18 × 1 ÷ 2, and "one third as many" 18 × 1 ÷ 3
    "share": (
        "{name} has {x} red pens. Bo has {f} as many red pens as {name}, and {k} blue pens. How many pens does Bo have?",
        re.compile(rf"has (\d+) red pens\. Bo has {_FRACTION_WORDS} as many red pens as \w+, and (\d+) blue"),
        lambda x, f, k: (f"Bo has {x} × {f.numerator} ÷ {f.denominator} = {x * f} red pens.", x * f),
    ),
    # what is left: giving away half leaves 24 × 1 ÷ 2, giving away one third leaves 24 × 2 ÷ 3
    "left": (
        "{name} had {x} apples and gave away {f} of them. Then {name} bought {k} more. How many apples does {name} have now?",
        re.compile(rf"had (\d+) apples and gave away {_FRACTION_WORDS} of them\. Then \w+ bought (\d+) more"),
        lambda x, f, k: (f"{x} × {(1 - f).numerator} ÷ {(1 - f).denominator} = {x * (1 - f)} apples are kept.", x * (1 - f)),
    ),
}
SHARE_GRID = [(30, "one third", 4), (36, "one quarter", 7), (40, "one fifth", 3), (18, "half", 6), (45, "one fifth", 2)]


@pytest.mark.parametrize("family", sorted(SHARES))
def test_a_fraction_of_a_half_is_read_as_the_share_only_once_corroborated(family):
    """Class: a question's "half", where the answer writes ``1 ÷ 2``: the share or what is left of it, which a half
    cannot tell apart. Read as the share where the numbers are corroborated: at a second point with another
    fraction the two readings differ, so an answer that took what is left ("gave away half": 24 × 1 ÷ 2 are kept)
    disagrees there, and nothing is re-derived from it; one that took the share ("half as many") agrees, and
    variants with other fractions are served."""
    question, read, step = SHARES[family]

    def model(spec: GenerationSpec) -> str:
        m = read.search(spec.prompt)
        if m is None:
            return "I cannot help with that."
        x, f, k = int(m[1]), _said(m[2]), int(m[3])
        line, part = step(x, f, k)
        if part.denominator != 1:
            return "The count is not whole."
        return f"{line}\n{part} + {k} = {part + k}\n#### {part + k}"

    engine = engine_for(model)
    asks = [(question.format(name="Ann", x=24, f="half", k=5), step(24, Fraction(1, 2), 5)[1] + 5)]
    asks += [(question.format(name="Ivy", x=x, f=f, k=k), step(x, _said(f), k)[1] + k) for x, f, k in SHARE_GRID]
    served, wrong = tally(engine, asks)
    assert wrong == 0
    if family == "share":  # each variant, the first one with "one third" included (before: 4 of 5)
        assert served == len(SHARE_GRID)


# ------------------------------------------------------------------------------ a question number equal to a constant
ROOMS = (
    "A hospital has {r} rooms. {k} workers share them equally, and cleaning a room takes {m} minutes. How many hours "
    "does each worker spend cleaning?"
)
ROOMS_READ = re.compile(r"has (\d+) rooms\. (\d+) workers .*? takes (\d+) minutes", re.S)


def _number(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.2f}"


def test_a_question_number_equal_to_a_constant_is_read_by_its_line_once_corroborated():
    """Class: a question's number equal to a constant the question names (60 rooms, and the minutes of an hour):
    a 60 of the answer may be either. Where numbers are corroborated, it is the constant where its line names it
    ("1200 / 60 = 20 hours"), else the question's ("60 / 4 = 15 rooms each"); a second point moves the rooms and
    not the hour, so a wrong reading disagrees there. Every variant is served after one probe, none wrongly (before:
    4 of 5, after the two probes of a precedent)."""

    def model(spec: GenerationSpec) -> str:
        m = ROOMS_READ.search(spec.prompt)
        if m is None:
            return "I cannot help with that."
        r, k, minutes = (Fraction(x) for x in m.groups())
        each, total = r / k, r / k * minutes
        return (
            f"{_number(r)} / {_number(k)} = {_number(each)} rooms each.\n{_number(each)} * {_number(minutes)} = "
            f"{_number(total)} minutes.\n{_number(total)} / 60 = {_number(total / 60)} hours.\n#### {_number(total / 60)}"
        )

    engine = engine_for(model)
    grid = [(60, 4, 20), (48, 4, 25), (72, 6, 30), (90, 5, 20), (84, 7, 15), (120, 8, 16)]
    served, wrong = tally(engine, [(ROOMS.format(r=r, k=k, m=m), Fraction(r * m, k * 60)) for r, k, m in grid])
    assert wrong == 0 and served == len(grid) - 1


# ------------------------------------------------------------------------------ a number the answer never states
def exactly_answer(v: dict[str, int]) -> str:
    n, p, e = v["n"], v["p"], v["e"]
    if n == e:
        return f"{n} - 1 = <<{n}-1={n - 1}>>{n - 1} boxes are paid.\n{n - 1} * {p} = <<{n - 1}*{p}={(n - 1) * p}>>{(n - 1) * p}\n#### {(n - 1) * p}"
    return f"{n} * {p} = <<{n}*{p}={n * p}>>{n * p}\n#### {n * p}"


def round_slip_answer(v: dict[str, int]) -> str:
    return absent_answer(v["a"], v["g"], v["x"], v["y"], slip=v["a"] % 10 == 0)  # slips at round totals only


def _final(answer: Callable[[dict[str, int]], str]) -> Callable[[dict[str, int]], Fraction]:
    return lambda v: final_answer(answer(v))[0]  # type: ignore[index]


NEVER_STATED = {
    # a condition true at one value only ("exactly 10"): at 1 and far above it, as at the first question, it fails
    "exactly-en": (
        "{name} buys {n} boxes of pens at ${p} per box. Every order of exactly {e} gets one box free. How much does {name} pay?",
        "n p e",
        exactly_answer,
        _final(exactly_answer),
        dict(n=4, p=7, e=10),
        [dict(n=10, p=9, e=10), dict(n=12, p=5, e=12), dict(n=6, p=8, e=10), dict(n=9, p=4, e=9)],
    ),
    # a threshold equal to a result of the answer (4 * 7 = 28, "más de 28"), so that only the amount given away
    # is left aside
    "threshold-is-a-result-es": (
        APPLES["es"],
        APPLES_READ,
        apples_answer,
        _final(apples_answer),
        dict(n=12, t=28, g=3, k=4, m=7),
        [dict(n=29, t=28, g=3, k=4, m=7), dict(n=35, t=28, g=4, k=4, m=7), dict(n=40, t=28, g=6, k=4, m=7)],
    ),
    # a model that slips at round totals only, where the girls' absences are a distractor (the variants are not
    # round: there the model is right)
    "round-slip-en": (
        ABSENT,
        "a g x y",
        round_slip_answer,
        lambda v: Fraction(v["a"] - v["g"] - v["y"]),
        dict(a=150, g=70, x=8, y=5),
        [dict(a=164, g=80, x=7, y=4), dict(a=163, g=70, x=8, y=5), dict(a=151, g=60, x=9, y=6), dict(a=157, g=70, x=8, y=5)],
    ),
}


@pytest.mark.parametrize("case", sorted(NEVER_STATED))
def test_an_answer_that_never_states_a_number_is_reused_for_no_other(case):
    """Class: an answer that never states a number of the question, right or not, asked again with other numbers.
    A session stored such answers and reused them once the model agreed with them where that number alone moved
    to 1 and far above every other number; a helper's probe found it serving wrong answers: a condition true at
    one value only ("every order of exactly 10", 10 of 15 wrong, in English and German), a threshold that equals
    a result of the answer ("más de 28" beside 4 * 7 = 28, 3 of 5), and a model slipping at round totals only
    (both extremes keep the total: 19 of 20). Which numbers such an answer may move, no check tells: none."""
    question, read, answer, right, first, grid = NEVER_STATED[case]

    def model(spec: GenerationSpec) -> str:
        return answer(_values(read, spec.prompt))

    engine = engine_for(model)
    engine.run(Request(question.format(name="Ann", **first)))
    background.drain(10)
    _, wrong = tally(engine, [(question.format(name="Ivo", **v), right(v)) for v in grid])
    assert wrong == 0


ROUNDING = {
    "de": "{name} kauft {n} Bücher zu je {p} Euro. Der Betrag wird auf volle Zehner abgerundet. Wie viel zahlt {name}?",
    "es": "{name} compra {n} libros a {p} euros cada uno. El total se redondea hacia abajo a la decena. ¿Cuánto paga {name}?",
    "fr": "{name} achète {n} livres à {p} euros chacun. Le total est arrondi à la dizaine inférieure. Combien paie {name} ?",
    # rounding said without a rounding word
    "en-whole-tens": "{name} buys {n} books at {p} dollars each. The shop only takes whole tens and waives the rest. "
    "How much does {name} pay?",
    "en-number-of-tens": "{name} buys {n} books at {p} dollars each. The bill is cut down to a whole number of tens. "
    "How much does {name} pay?",
}


@pytest.mark.parametrize("language", sorted(ROUNDING))
def test_a_rounding_rule_in_any_language_moves_no_number(language):
    """Class: a rounding rule of the question in another language ("auf volle Zehner abgerundet", "se redondea",
    "arrondi") where the first total is round already (3 × 20 = 60), so that the answer never shows the rounding.
    The probes keep each number's step (20 stays a multiple of 10), agree, and a helper's probe then got 12 of 16
    served answers wrong (3 × 19: 57 served, 50 right). English was refused already ("rounded down")."""

    def model(spec: GenerationSpec) -> str:
        n, p = (int(x) for x in re.findall(r"\d+", spec.prompt)[:2])
        c = n * p
        out = f"{n} * {p} = <<{n}*{p}={c}>>{c}\n"
        if c % 10:
            return out + f"{c} - {c % 10} = <<{c}-{c % 10}={c - c % 10}>>{c - c % 10}\n#### {c - c % 10}"
        return out + f"#### {c}"

    engine = engine_for(model)
    question = ROUNDING[language]
    asks = [(question.format(name="Ann", n=3, p=20), Fraction(60))]
    asks += [
        (question.format(name="Cy", n=n, p=p), Fraction(n * p - n * p % 10)) for n, p in ((3, 19), (4, 17), (2, 33), (5, 21))
    ]
    _, wrong = tally(engine, asks)
    assert wrong == 0


# ------------------------------------------------------------------------------ a rule the first numbers leave idle
def _gsm(lines: list[tuple[str, int]], final: int) -> str:
    """GSM8K lines ``a op b`` with their results, then the final answer."""
    out = [f"{expr} = <<{expr.replace(' ', '')}={value}>>{value}" for expr, value in lines]
    return "\n".join([*out, f"#### {final}"])


def capped(v: dict[str, int]) -> str:  # each guest gets at most 15 (a number in words the task does not read)
    each = min(v["w"], 15)
    return _gsm([(f"{v['g']} * {each}", v["g"] * each)], v["g"] * each)


def minimum(v: dict[str, int]) -> str:  # a ride costs at least 15
    cost = v["k"] * v["p"]
    return (
        _gsm([(f"{v['k']} * {v['p']}", cost)], max(cost, 15))
        if cost >= 15
        else f"{v['k']} * {v['p']} = <<{v['k']}*{v['p']}={cost}>>{cost}, under the minimum.\n#### 15"
    )


def odd(v: dict[str, int]) -> str:  # one eaten when the total is odd
    total = v["b"] * v["a"]
    if total % 2:
        return _gsm([(f"{v['b']} * {v['a']}", total), (f"{total} - 1", total - 1)], total - 1)
    return _gsm([(f"{v['b']} * {v['a']}", total)], total)


def fifth_free(v: dict[str, int]) -> str:  # every fifth one free
    paid = v["n"] - v["n"] // 5
    if paid != v["n"]:
        return _gsm([(f"{v['n']} - {v['n'] // 5}", paid), (f"{paid} * {v['p']}", paid * v["p"])], paid * v["p"])
    return _gsm([(f"{v['n']} * {v['p']}", v["n"] * v["p"])], v["n"] * v["p"])


def clock(v: dict[str, int]) -> str:  # the hour after sleeping, on a 24-hour clock
    end = v["h"] + v["s"]
    if end >= 24:
        return _gsm([(f"{v['h']} + {v['s']}", end), (f"{end} - 24", end - 24)], end - 24)
    return _gsm([(f"{v['h']} + {v['s']}", end)], end)


# the variants of each family: the first numbers leave the rule idle, later ones make it bite
ODD_GRID = [dict(b=4, a=6), dict(b=3, a=5), dict(b=5, a=7), dict(b=6, a=8)]
FIFTH_GRID = [dict(n=3, p=4), dict(n=2, p=5), dict(n=4, p=3), dict(n=3, p=6), dict(n=6, p=4), dict(n=13, p=3)]
CLOCK_GRID = [dict(h=13, s=4), dict(h=20, s=7), dict(h=22, s=5), dict(h=9, s=3)]
CAP_GRID = [dict(g=4, w=6), dict(g=5, w=20), dict(g=3, w=18), dict(g=6, w=9)]

IDLE_RULES = {
    "cap-in-words-de": (
        "{name} lädt {g} Gäste ein. Jeder Gast möchte {w} Kekse, aber jeder bekommt höchstens fünfzehn Kekse. Wie "
        "viele Kekse werden verteilt?",
        "g w",
        capped,
        CAP_GRID,
    ),
    "cap-in-words-es": (
        "{name} invita a {g} amigos. Cada uno quiere {w} galletas, pero nadie recibe más de once. ¿Cuántas galletas "
        "reparte {name}?",
        "g w",
        lambda v: _gsm([(f"{v['g']} * {min(v['w'], 11)}", v["g"] * min(v["w"], 11))], v["g"] * min(v["w"], 11)),
        CAP_GRID,
    ),
    "cap-in-words-cs": (
        "{name} pozve {g} hostů. Každý host chce {w} sušenek, ale každý dostane nejvýše patnáct sušenek. Kolik sušenek se rozdá?",
        "g w",
        capped,
        CAP_GRID,
    ),
    "cap-roman-en": (
        "{name} invites {g} guests. Each guest wants {w} cookies, but each gets at most XV cookies. How many cookies "
        "are handed out?",
        "g w",
        capped,
        CAP_GRID,
    ),
    "minimum-in-words-fr": (
        "Un taxi coûte {p} euros par kilomètre, au minimum quinze euros. {name} fait {k} kilomètres. Combien paie {name} ?",
        "p k",
        minimum,
        [dict(p=4, k=6), dict(p=3, k=4), dict(p=2, k=5), dict(p=5, k=7)],
    ),
    "odd-en": (
        "{name} packs {b} bags with {a} apples each. If the total comes out odd, {name} eats an apple. How many apples are left?",
        "b a",
        odd,
        ODD_GRID,
    ),
    "odd-de": (
        "{name} packt {b} Tüten mit je {a} Äpfeln. Ist die Summe ungerade, isst {name} einen Apfel. Wie viele Äpfel bleiben?",
        "b a",
        odd,
        ODD_GRID,
    ),
    "every-fifth-en": (
        "{name} buys {n} coffees at ${p} each. Every fifth coffee is free. How much does {name} pay?",
        "n p",
        fifth_free,
        FIFTH_GRID,
    ),
    "every-fifth-de": (
        "{name} kauft {n} Kaffees zu je {p} Euro. Jeder fünfte Kaffee ist gratis. Wie viel zahlt {name}?",
        "n p",
        fifth_free,
        FIFTH_GRID,
    ),
    "odd-fi": (
        "{name} pakkaa {b} pussia, joissa on {a} omenaa. Jos summa on pariton, {name} syö yhden omenan. Montako omenaa jää?",
        "b a",
        odd,
        ODD_GRID,
    ),
    "clock-it": (
        "Sono le ore {h}. {name} dorme {s} ore. A che ora si sveglia {name}?",
        "h s",
        clock,
        CLOCK_GRID,
    ),
    "clock-de": (
        "Es ist {h} Uhr. {name} schläft {s} Stunden. Um wie viel Uhr wacht {name} auf?",
        "h s",
        clock,
        CLOCK_GRID,
    ),
}


@pytest.mark.parametrize("case", sorted(IDLE_RULES))
def test_a_rule_the_first_numbers_leave_idle_moves_no_number(case):
    """Class: a rule of the question that the first numbers leave without effect, so the first (right) answer
    never shows it, and re-derived for other numbers it is skipped: a cap or a minimum in number words the task
    does not read ("höchstens fünfzehn", "más de once", "au minimum quinze"), parity ("if the total comes out odd",
    "ungerade"), every n-th one ("every fifth coffee is free", "jeder fünfte"), a clock in another language ("13
    Uhr"; 20 + 7 is 3 o'clock). A helper's probe got 5 to 12 of 16 served answers wrong in each (English "every
    fifth": 2 of 4; its case here passes on the code before too). The gate now reads number words of the
    languages ``num2words`` writes, and those rules in words: no number moves."""
    question, read, answer, asks = IDLE_RULES[case]

    def model(spec: GenerationSpec) -> str:
        return answer(_values(read, spec.prompt))

    engine = StepCacheEngine(
        store=MemoryStore(),
        embedder=HashEmbedder(),
        backend=ScriptedBackend(respond=model),
        config=EngineConfig(corroboration_probes=3),
    )
    names = itertools.cycle(["Anna", "Bruno", "Clara", "Dora", "Emil"])
    _, wrong = tally(engine, [(question.format(name=next(names), **v), final_answer(answer(v))[0]) for v in asks])  # type: ignore[index]
    assert wrong == 0


# ------------------------------------------------------------------------------ a limit said without a digit
def wrong_rentals(
    model: Callable[[GenerationSpec], str],
    question: str,
    first: tuple[int, int],
    variants: list[tuple[int, int]],
    billed: Callable[[int], int],
    disputed: list[int] | None = None,
) -> int:
    """Wrong answers served for a rental ``question`` ({n} days or units at ${r}) asked first at ``first``, then at
    each of ``variants`` (count, rate), on an engine with the default probe budget; ``billed``: the units charged
    for a count. ``disputed`` receives how many entries the probes disputed."""
    engine = engine_for(model, probes=EngineConfig().corroboration_probes)
    asks = [(question.format(name="Ann", n=first[0], r=first[1]), Fraction(billed(first[0]) * first[1]))]
    asks += [(question.format(name="Bea", n=n, r=r), Fraction(billed(n) * r)) for n, r in variants]
    _, wrong = tally(engine, asks)
    if disputed is not None:
        disputed.append(engine.prober.usage["disputed"])
    return wrong


def billing_model(read: re.Pattern[str], billed: Callable[[int], int]) -> Callable[[GenerationSpec], str]:
    """A model that answers a rental question (``read`` takes its rate, name and count) rightly: ``billed`` units
    charged for a count, in GSM8K style."""

    def model(spec: GenerationSpec) -> str:
        m = read.search(spec.prompt)
        if m is None:
            return "I cannot help with that."
        r, name, n = int(m[1]), m[2], int(m[3])
        k = billed(n)
        if k == n:
            return f"{name} pays {n} * {r} = <<{n}*{r}={n * r}>>{n * r} dollars.\n#### {n * r}"
        return f"{name} is billed for {k}: {k} * {r} = <<{k}*{r}={k * r}>>{k * r} dollars.\n#### {k * r}"

    return model


# (question, what reads a point's rate, name and count, the cap, the answer under the cap, the answer over it)
CAPS_IN_WORDS = {
    "week-en": (
        "A shop rents a bike for ${r} per day, and charges for a week at most, however long the rental. {name} rents "
        "a bike for {n} days. How much does {name} pay?",
        r"for \$(\d+) per day.*?(\w+) rents a bike for (\d+) days",
        7,
        "{name} pays {n} * {r} = <<{n}*{r}={t}>>{t} dollars.\n#### {t}",
        "A week is charged at most: 7 * {r} = <<7*{r}={t}>>{t} dollars.\n#### {t}",
    ),
    "week-en-apart": (
        "A shop's bike rental costs ${r} per day, and it charges for a week at most, however long the rental. {name} "
        "keeps a bike {n} days. How much does {name} pay?",
        r"costs \$(\d+) per day.*?(\w+) keeps a bike (\d+) days",
        7,
        "{name} pays {n} * {r} = <<{n}*{r}={t}>>{t} dollars.\n#### {t}",
        "A week is charged at most: 7 * {r} = <<7*{r}={t}>>{t} dollars.\n#### {t}",
    ),
    "fortnight-en": (
        "A shop rents a tent for ${r} per night, and never bills beyond a fortnight. {name} keeps a tent for {n} "
        "nights. How much does {name} pay?",
        r"for \$(\d+) per night.*?(\w+) keeps a tent for (\d+) nights",
        14,
        "{name} pays {n} * {r} = <<{n}*{r}={t}>>{t} dollars.\n#### {t}",
        "A fortnight at most: 14 * {r} = <<14*{r}={t}>>{t} dollars.\n#### {t}",
    ),
    "docena-es": (
        "Una tienda alquila bicicletas a {r} dólares cada una, y un grupo paga como máximo una docena. El club de "
        "{name} alquila {n} bicicletas. ¿Cuánto paga el club?",
        r"a (\d+) dólares cada una.*?El club de (\w+) alquila (\d+) bicicletas",
        12,
        "El club paga {n} * {r} = <<{n}*{r}={t}>>{t} dólares.\n#### {t}",
        "Solo se cobran 12: 12 * {r} = <<12*{r}={t}>>{t} dólares.\n#### {t}",
    ),
    "woche-de": (
        "Ein Laden vermietet ein Fahrrad für {r} Euro pro Tag und berechnet höchstens eine Woche. {name} mietet ein "
        "Fahrrad für {n} Tage. Wie viel zahlt {name}?",
        r"für (\d+) Euro pro Tag.*?(\w+) mietet ein Fahrrad für (\d+) Tage",
        7,
        "{name} zahlt {n} * {r} = <<{n}*{r}={t}>>{t} Euro.\n#### {t}",
        "Höchstens eine Woche: 7 * {r} = <<7*{r}={t}>>{t} Euro.\n#### {t}",
    ),
    "semaine-fr": (
        "Un magasin loue un vélo {r} euros par jour et ne facture jamais plus d'une semaine. {name} loue un vélo "
        "pendant {n} jours. Combien paie {name} ?",
        r"vélo (\d+) euros par jour.*?(\w+) loue un vélo pendant (\d+) jours",
        7,
        "{name} paie {n} * {r} = <<{n}*{r}={t}>>{t} euros.\n#### {t}",
        "Une semaine au plus : 7 * {r} = <<7*{r}={t}>>{t} euros.\n#### {t}",
    ),
}
CAP_VARIANTS = [(4, 9), (15, 6), (20, 8), (9, 5), (30, 4), (14, 7), (18, 3)]


@pytest.mark.parametrize("family", sorted(CAPS_IN_WORDS))
@pytest.mark.parametrize("first", [(5, 3), (6, 4)])
def test_a_limit_said_without_a_digit_moves_no_number(family, first):
    """Class: a cap the question says in words and no digit ("a week at most", "beyond a fortnight", "como máximo
    una docena", "höchstens eine Woche", "plus d'une semaine"), idle at the first numbers. A helper's probe got 4
    to 6 of 7 served answers wrong (30 days at $4: $120 served, $28 right), for three reasons, each closed: the
    gate did not read such a limit; the probe where the question's own values trade places (5 days at $3 became
    3 days at $5, as idle) vouched for every number; and a probe over the cap (8 days) got a right answer that
    never uses 8, which failed verification as a slip, where it refutes the entry (all its computations true,
    another result)."""
    question, pattern, cap, under, over = CAPS_IN_WORDS[family]
    read = re.compile(pattern, re.S)

    def model(spec: GenerationSpec) -> str:
        m = read.search(spec.prompt)
        if m is None:
            return "I cannot help with that."
        r, name, n = int(m[1]), m[2], int(m[3])
        return (under if n <= cap else over).format(name=name, n=n, r=r, t=min(n, cap) * r)

    assert wrong_rentals(model, question, first, CAP_VARIANTS, lambda n: min(n, cap)) == 0


# (question, the floor, the first (count, rate), the variants)
MINIMUMS_IN_WORDS = {
    "shorter-en": (
        "A shop rents a bike for ${r} per day. Rentals shorter than a week are billed as a full week. {name} rents a "
        "bike for {n} days. How much does {name} pay?",
        7,
        (20, 3),
        [(25, 4), (5, 4), (3, 6), (6, 5), (4, 9), (30, 2), (10, 3)],
    ),
    "shortest-en": (
        "A shop rents a bike for ${r} per day, and the shortest rental it bills is a week. {name} rents a bike for {n} "
        "days. How much does {name} pay?",
        7,
        (20, 3),
        [(25, 4), (5, 4), (3, 6), (6, 5), (4, 9), (30, 2), (10, 3)],
    ),
    "hour-minimum-en": (
        "A plumber charges ${r} per minute, with a one-hour minimum. {name} needs the plumber for {n} minutes. How "
        "much does {name} pay?",
        60,
        (120, 3),
        [(150, 4), (30, 4), (45, 6), (20, 5), (50, 9), (90, 3)],
    ),
}


@pytest.mark.parametrize("family", sorted(MINIMUMS_IN_WORDS))
def test_a_minimum_said_without_a_digit_moves_no_number(family):
    """Class: a minimum the question says in words ("rentals shorter than a week are billed as a full week", "the
    shortest rental it bills is a week", "a one-hour minimum"), idle at a first value far above it (20 days). A
    helper got 4 of 6 or 7 served answers wrong (30 minutes served $120, $240 right): no probe went below about
    half the first value, and the first one that agreed vouched for every value. The gate reads these limits."""
    question, floor, (n0, r0), variants = MINIMUMS_IN_WORDS[family]
    read = re.compile(r"\$(\d+) per (?:day|minute).*?(\w+) (?:rents a bike for|needs the plumber for) (\d+)", re.S)
    billed = lambda n: max(n, floor)  # noqa: E731
    assert wrong_rentals(billing_model(read, billed), question, (n0, r0), variants, billed) == 0


UNREAD_CAP = (
    "A shop rents a bike for ${r} per day. The bill never grows once the bike has been out for a week. {name} rents "
    "a bike for {n} days. How much does {name} pay?"
)
UNREAD_CAP_READ = re.compile(r"for \$(\d+) per day.*?(\w+) rents a bike for (\d+) days", re.S)


week_capped = billing_model(UNREAD_CAP_READ, lambda n: min(n, 7))
"""The right answer to ``UNREAD_CAP``: a week is the most that is charged."""


@pytest.mark.parametrize("first", [(6, 4), (4, 9), (2, 5)])
def test_a_probe_answer_that_leaves_a_number_aside_refutes_the_entry(first):
    """Class: a cap in words the gate does not read ("the bill never grows once the bike has been out for a
    week"), idle at the first numbers. A probe over the cap (8 days) gets a right answer that never uses 8: it
    fails verification, and was taken for a slip of the model's; the next point, under the cap, agreed and
    vouched for every number (a helper: 6 of 7 served wrong). Every computation of that answer is true and its
    result is another: it refutes the entry. The point next to it disagrees too (a skipped step would not), and
    the entry is disputed. Where no probe crosses the cap (a first question of 5 days, whose first probe asks 3),
    this reads nothing: see the README."""
    disputed: list[int] = []
    assert wrong_rentals(week_capped, UNREAD_CAP, first, CAP_VARIANTS, lambda n: min(n, 7), disputed) == 0
    assert disputed[0] >= 1


def test_a_callers_answer_that_leaves_a_number_aside_refutes_the_entry():
    """Class: the same cap in words, refuted by a caller's own question over it (15 days) rather than by a probe
    (none here): the model's answer there, unverified, refutes the entry; the engine asks the point next to it,
    the model disagrees again, and the entry is disputed. Before, a later caller under the cap (4 days) agreed
    and vouched for every number, and callers over it were served the uncapped product."""
    engine = engine_for(week_capped, probes=0)
    grid = [(5, 3), (15, 6), (4, 9), (20, 8), (30, 4), (6, 5), (9, 5)]
    _, wrong = tally(engine, [(UNREAD_CAP.format(name="Ann", n=n, r=r), Fraction(min(n, 7) * r)) for n, r in grid])
    assert wrong == 0 and engine.prober.usage["disputed"] >= 1


# (question, what reads a point's rate, name and count, the units billed for a count)
UNITS_UNREAD: dict[str, tuple[str, str, Callable[[int], int]]] = {
    "week-cap-en": (UNREAD_CAP, UNREAD_CAP_READ.pattern, lambda n: min(n, 7)),
    "month-cap-en": (
        "A shop rents a bike for ${r} per day. The bill never grows once the bike has been out for a month. {name} "
        "rents a bike for {n} days. How much does {name} pay?",
        UNREAD_CAP_READ.pattern,
        lambda n: min(n, 30),
    ),
    "week-floor-en": (
        "A shop rents a bike for ${r} per day. Short rentals are billed as though the bike had been out for a week. "
        "{name} rents a bike for {n} days. How much does {name} pay?",
        UNREAD_CAP_READ.pattern,
        lambda n: max(n, 7),
    ),
    "week-cap-de": (
        "Ein Laden vermietet ein Rad für {r} Euro pro Tag. Die Rechnung wächst nicht mehr, sobald das Rad eine Woche "
        "unterwegs war. {name} mietet ein Rad für {n} Tage. Wie viel zahlt {name}?",
        r"für (\d+) Euro pro Tag.*?(\w+) mietet ein Rad für (\d+) Tage",
        lambda n: min(n, 7),
    ),
    "once-passed-en": (
        "A shop rents a bike for ${r} per day. Charges stop once a week has passed. {name} rents a bike for {n} days. "
        "How much does {name} pay?",
        UNREAD_CAP_READ.pattern,
        lambda n: min(n, 7),
    ),
    "back-to-back-en": (
        UNREAD_CAP.replace("{n} days", "{n} back-to-back days"),
        r"for \$(\d+) per day.*?(\w+) rents a bike for (\d+) back-to-back days",
        lambda n: min(n, 7),
    ),
    "ordinal-en": (
        "A shop rents a bike for ${r} per day. The eighth and later days are free. {name} rents a bike for {n} days. "
        "How much does {name} pay?",
        UNREAD_CAP_READ.pattern,
        lambda n: min(n, 7),
    ),
    "weeklong-en": (
        "A shop rents a bike for ${r} per day. A weeklong rental or longer costs the same as a weeklong one. {name} "
        "rents a bike for {n} days. How much does {name} pay?",
        UNREAD_CAP_READ.pattern,
        lambda n: min(n, 7),
    ),
    "ordinal-floor-pt": (
        "Uma loja aluga uma bicicleta por {r} reais por dia. Cobra-se pelo menos a primeira semana. {name} aluga uma "
        "bicicleta por {n} dias. Quanto paga {name}?",
        r"por (\d+) reais por dia.*?(\w+) aluga uma bicicleta por (\d+) dias",
        lambda n: max(n, 7),
    ),
    "ordinal-it": (
        "Un albergo costa {r} euro a notte. Dall'ottava notte in poi non si paga più. {name} resta {n} notti. Quanto "
        "paga {name}?",
        r"costa (\d+) euro a notte.*?(\w+) resta (\d+) notti",
        lambda n: min(n, 7),
    ),
    "dozen-cap-en": (
        "A bakery sells rolls at ${r} each, and the price stops growing after a dozen. {name} buys {n} rolls. How much "
        "does {name} pay?",
        r"rolls at \$(\d+) each.*?(\w+) buys (\d+) rolls",
        lambda n: min(n, 12),
    ),
    # as an adjective, or each whole one (a helper's grids: 30 of 40 and 74 of 95 served wrong)
    "weekly-pass-en": (
        "A shop rents a bike for ${r} per day. Nobody pays for more days than a weekly pass covers. {name} rents a "
        "bike for {n} days. How much does {name} pay?",
        UNREAD_CAP_READ.pattern,
        lambda n: min(n, 7),
    ),
    "each-full-week-en": (
        "A shop rents a bike for ${r} per day. In each full week of a rental, one day is free. {name} rents a bike "
        "for {n} days. How much does {name} pay?",
        UNREAD_CAP_READ.pattern,
        lambda n: n - n // 7,
    ),
}


@pytest.mark.parametrize("family", sorted(UNITS_UNREAD))
@pytest.mark.parametrize("first", [(5, 3), (10, 4)])
def test_a_limit_said_as_a_unit_in_words_is_served_only_within_what_agreeing_answers_spanned(family, first):
    """Class: a limit the gate does not read, said as one unit in words ("once the bike has been out for a week",
    "for a month", "after a dozen", "sobald das Rad eine Woche unterwegs war"; after an ordinal, "the eighth and
    later days", "a primeira semana", "dall'ottava notte"; in a compound, "a weeklong rental"; as an adjective, "a
    weekly pass"; each whole one, "in each full week"; a cap or a floor),
    idle at the first numbers and at every point a probe or caller agreed at: helpers got 6 of 7 later variants
    served wrong (a first question of 5 days, whose first probe asked 3), then up to 7 of 10 in each wording
    the first rule did not read. An amount said as a unit in words that the answer never computes with may be
    such a limit: each moved number is served only within the span agreeing answers covered
    (``WordCorroboration.missing``), and past it the model answers."""
    question, pattern, billed = UNITS_UNREAD[family]
    variants = [(9, 5), (3, 4), (12, 3), (6, 7), (8, 6), (4, 9), (14, 2), (40, 3), (33, 6), (45, 2)]
    assert wrong_rentals(billing_model(re.compile(pattern, re.S), billed), question, first, variants, billed) == 0


def test_a_unit_the_answer_computes_with_needs_no_span():
    """Class: the cost side. A unit in words the answer computes with ("for a week", 7 days) is read, not a limit
    idle at the first numbers: variants are served past what the probes spanned."""
    question = "A shop rents a bike for ${r} per day. {name} rents {n} bikes for a week. How much does {name} pay?"
    read = re.compile(r"for \$(\d+) per day\. (\w+) rents (\d+) bikes")

    def model(spec: GenerationSpec) -> str:
        m = read.search(spec.prompt)
        if m is None:
            return "I cannot help with that."
        r, n = int(m[1]), int(m[3])
        return f"A week is 7 days: {n} * 7 = <<{n}*7={7 * n}>>{7 * n} bike-days.\n{7 * n} * {r} = <<{7 * n}*{r}={7 * n * r}>>{7 * n * r}.\n#### {7 * n * r}"

    engine = engine_for(model, probes=EngineConfig().corroboration_probes)
    assert engine.run(Request(question.format(name="Ann", n=3, r=5))).trace.verified
    assert background.drain(10)
    # (totals under 1,000: how the model groups thousands, no text here shows)
    asks = [(question.format(name="Bea", n=n, r=r), Fraction(7 * n * r)) for n, r in [(14, 9), (11, 12), (4, 6)]]
    served, wrong = tally(engine, asks)
    assert wrong == 0 and served == len(asks)


def test_the_period_a_question_asks_per_needs_no_span():
    """Class: the cost side again. A unit in words that ends the question as the period its amount is asked in
    ("How many hours does he spend writing a week?", GSM-Symbolic's template 72, which lost 4 of 6 variants to the
    span rule) is a rate: the minutes per page are served past what the probes spanned, rightly."""
    question = (
        "{name} was a pen pal with {p} people. They each send {k} letters a week that are {g} pages long. {name} "
        "responds in kind. {name} can write a page every {m} minutes. How many hours does {name} spend writing a week?"
    )
    read = re.compile(
        r"pen pal with (\d+) people\. They each send (\d+) letters a week that are (\d+) pages long.*?every (\d+) minutes", re.S
    )

    def model(spec: GenerationSpec) -> str:
        m = read.search(spec.prompt)
        if m is None:
            return "I cannot help with that."
        p, k, g, t = (int(x) for x in m.groups())
        letters, pages, minutes = p * k, p * k * g, p * k * g * t
        hours = Fraction(minutes, 60)
        if hours.denominator != 1:
            return "I cannot help with that."
        return (
            f"{p}*{k}=<<{p}*{k}={letters}>>{letters} letters a week\n{letters}*{g}=<<{letters}*{g}={pages}>>{pages} pages\n"
            f"{pages}*{t}=<<{pages}*{t}={minutes}>>{minutes} minutes\n{minutes}/60=<<{minutes}/60={hours}>>{hours} hours\n"
            f"#### {hours}"
        )

    engine = engine_for(model, probes=EngineConfig().corroboration_probes)
    assert engine.run(Request(question.format(name="Joe", p=10, k=2, g=9, m=10))).trace.verified
    assert background.drain(10)
    grid = [(8, 4, 9, 5), (6, 2, 5, 30), (20, 3, 10, 2), (5, 3, 4, 40)]
    asks = [(question.format(name="Tim", p=p, k=k, g=g, m=m), Fraction(p * k * g * m, 60)) for p, k, g, m in grid]
    served, wrong = tally(engine, asks)
    assert wrong == 0 and served == len(asks)


def test_a_step_skipped_at_one_point_only_refutes_nothing():
    """Class: the cost side of a refutation. A caller's answer that skipped a step (every computation true, another
    result, the shirts' count never used) refutes the entry there; the model's answer at the point next to it
    agrees with the entry, so the entry is not disputed, and later variants are served, rightly."""
    question = "{name} buys {n} shirts at ${p} each and pays with ${b}. How much change does {name} get?"
    read = re.compile(r"buys (\d+) shirts at \$(\d+) each and pays with \$(\d+)")
    slipped = "Bea buys 4 shirts at $11 each and pays with $60."

    def model(spec: GenerationSpec) -> str:
        m = read.search(spec.prompt)
        if m is None:
            return "I cannot help with that."
        n, p, b = (int(x) for x in m.groups())
        if slipped in spec.prompt:  # the product skipped: true computations, another result
            return f"{b} - {p} = <<{b}-{p}={b - p}>>{b - p}\n#### {b - p}"
        return f"{n} * {p} = <<{n}*{p}={n * p}>>{n * p}\n{b} - {n * p} = <<{b}-{n * p}={b - n * p}>>{b - n * p}\n#### {b - n * p}"

    engine = engine_for(model, probes=0)
    assert engine.run(Request(question.format(name="Ann", n=3, p=12, b=50))).trace.verified
    out = engine.run(Request(question.format(name="Bea", n=4, p=11, b=60)))
    assert out.trace.backend_calls == 1 and out.text.endswith("#### 49")  # the slip, served as the model wrote it
    assert background.drain(10)
    assert engine.prober.usage["probes"] == 1 and engine.prober.usage["disputed"] == 0
    grid = [(5, 9, 70), (2, 13, 40), (6, 7, 50)]
    served, wrong = tally(engine, [(question.format(name="Ivy", n=n, p=p, b=b), Fraction(b - n * p)) for n, p, b in grid])
    assert wrong == 0 and served == len(grid)


CEILINGS = {
    "en": (
        "A parking garage charges ${r} per hour, and any part of an hour is charged as a full hour. {name} parks for "
        "{h} hours and also pays a ${f} cleaning fee. How much does {name} pay?",
        r"charges \$(\d+) per hour.*?(\w+) parks for ([\d.]+) hours and also pays a \$(\d+)",
    ),
    "en-started": (
        "A kayak rental costs ${r} for each started hour. {name} paddles for {h} hours and buys a ${f} map. How much "
        "does {name} spend?",
        r"costs \$(\d+) for each started hour\. (\w+) paddles for ([\d.]+) hours and buys a \$(\d+)",
    ),
    "de": (
        "Ein Parkhaus kostet {r} Euro pro Stunde, jede angefangene Stunde zählt voll. {name} parkt {h} Stunden und "
        "zahlt dazu {f} Euro Reinigung. Wie viel zahlt {name}?",
        r"kostet (\d+) Euro pro Stunde.*?(\w+) parkt ([\d.]+) Stunden und zahlt dazu (\d+)",
    ),
}


@pytest.mark.parametrize("family", sorted(CEILINGS))
def test_a_value_finer_than_the_questions_is_corroborated_at_such_a_value(family):
    """Class: a rule on whole units in words ("any part of an hour is charged as a full hour", "each started
    hour", "jede angefangene Stunde"), idle at whole first numbers; a caller asks for 2.5 hours. Probes keep each
    value's grain, so no probe ever met a half hour, and 2.5 × $6 is whole: a helper got 3 of 4 served answers
    wrong. A value finer than the question's is a slot of its own now, vouched for only by an answer at such a
    value."""
    question, pattern = CEILINGS[family]
    read = re.compile(pattern, re.S)

    def model(spec: GenerationSpec) -> str:
        m = read.search(spec.prompt)
        if m is None:
            return "I cannot help with that."
        r, h, f = int(m[1]), math.ceil(Fraction(m[3])), int(m[4])
        return _gsm([(f"{h} * {r}", h * r), (f"{h * r} + {f}", h * r + f)], h * r + f)

    engine = engine_for(model)
    truth = [(4, "3", 5), (4, "3", 5), (6, "2.5", 7), (5, "3.5", 5), (4, "1.5", 9), (8, "4.25", 3), (6, "3.75", 7)]
    asks = [(question.format(name="Ann", r=r, h=h, f=f), Fraction(math.ceil(Fraction(h)) * r + f)) for r, h, f in truth]
    _, wrong = tally(engine, asks)
    assert wrong == 0


# ------------------------------------------------------------------------------ what a names-only change may change
def fact_model(spec: GenerationSpec) -> str:
    """Apples bought in bags, plus what the context says the buyer already has."""
    m = re.search(r"(\w+) buys (\d+) bags with (\d+) apples", spec.prompt)
    if m is None:
        return "I cannot help with that."
    name, bags, each = m[1], int(m[2]), int(m[3])
    had = re.search(rf"{name} already has (\d+) apples", spec.prompt)
    bought = bags * each
    out = f"{name} buys {bags} * {each} = <<{bags}*{each}={bought}>>{bought} apples.\n"
    if had is None:
        return out + f"#### {bought}"
    total = int(had[1]) + bought
    return out + f"{name} has {had[1]} + {bought} = <<{had[1]}+{bought}={total}>>{total} apples.\n#### {total}"


def test_a_fact_beside_the_question_about_a_person_moves_no_name():
    """Class: a system prompt or an earlier turn that states a fact about a person ("Ann already has 5 apples"),
    and a question about another person, then about that one (names only), or with the fact's number equal to
    one of the question (the first answer "5 + 35" verifies on the question's 5). A helper's probe through
    LangChain's cache and LlamaIndex got 5 of 8 served answers wrong: the context was read only where a number
    changed. Now it is read where a name changes too."""
    engine = engine_for(fact_model)
    question = "{name} buys {n} bags with {k} apples each. How many apples does {name} have?"
    asks = []
    for context, first, then in [
        ("Ann already has 5 apples.", ("Bob", 4, 6), ("Ann", 4, 6)),
        ("Dan already has 2 apples.", ("Dan", 9, 2), ("Gus", 9, 2)),
        ("Ann already has 5 apples.", ("Ann", 5, 7), ("Bob", 5, 7)),
    ]:
        for name, n, k in (first, then):
            had = re.search(rf"{name} already has (\d+)", context)
            asks.append((Request(question.format(name=name, n=n, k=k), context=context), n * k + (int(had[1]) if had else 0)))
    served = wrong = 0
    for request, right in asks:
        out = engine.run(request)
        background.drain(10)
        final = final_answer(out.text)
        served += out.trace.backend_calls == 0
        wrong += out.trace.backend_calls == 0 and (final is None or final[0] != right)
    assert wrong == 0


@pytest.mark.parametrize(
    ("first", "then", "right"),
    [
        ("Including Ann, how many people are at the party?", "Excluding Ann, how many people are at the party?", 15),
        ("Including Ann, how many people are at the party?", "Besides Ann, how many people are at the party?", 15),
        ("Everyone eats 2 apples. How many apples are left?", "Nobody eats 2 apples. How many apples are left?", 48),
    ],
)
def test_a_capitalised_word_that_starts_a_sentence_is_no_name(first, then, right):
    """Class: a word capitalised only because it starts a sentence ("Including", "Everyone", "Besides"), once,
    read as a name, so that changing it was a rename: a helper's probe got 4 of 6 served answers wrong ("Excluding
    Ann": 16 served, 15 right). It is text of the question now, and changing it is another question."""

    def model(spec: GenerationSpec) -> str:
        if "party" in spec.prompt:
            m = re.search(r"invited (\d+) friends and (\d+) cousins", spec.prompt)
            assert m is not None
            a, b = int(m[1]), int(m[2])
            guests = f"{a} + {b} = <<{a}+{b}={a + b}>>{a + b} guests.\n"
            if "Including" in spec.prompt:
                return guests + f"With the host: {a + b} + 1 = <<{a + b}+1={a + b + 1}>>{a + b + 1} people.\n#### {a + b + 1}"
            return guests + f"#### {a + b}"
        m = re.search(r"her (\d+) friends each have (\d+) apples", spec.prompt)
        assert m is not None
        people, each = int(m[1]) + 1, int(m[2])
        total = people * each
        out = f"{people} * {each} = <<{people}*{each}={total}>>{total} apples.\n"
        if spec.prompt.count("Everyone"):
            return (
                out
                + f"{people} * 2 = <<{people}*2={people * 2}>>{people * 2}\n{total} - {people * 2} = <<{total}-{people * 2}={total - people * 2}>>{total - people * 2}\n#### {total - people * 2}"
            )
        if "Someone" in spec.prompt:
            return out + f"{total} - 2 = <<{total}-2={total - 2}>>{total - 2}\n#### {total - 2}"
        return out + f"#### {total}"

    lead = (
        "Ann invited 12 friends and 3 cousins to her party. "
        if "party" in first
        else "Ann and her 3 friends each have 12 apples. "
    )
    engine = engine_for(model)
    engine.run(Request(lead + first))
    background.drain(10)
    out = engine.run(Request(lead + then))
    final = final_answer(out.text)
    assert final is not None and final[0] == right


# a word the name data holds as a first name that names a language, a people, a season or a planet (helper-156:
# "using German words" then "using Danish words", 4 false of 7, both modes)
NOT_PEOPLE = {
    "a language": ("Write your answer using {w} words.", ["German", "Danish"]),
    "a season": ("They save it for {w}.", ["Summer", "Autumn"]),
    "a planet": ("They live on {w}.", ["Venus", "Luna"]),
}


@pytest.mark.parametrize("corroborate", [True, False], ids=["corroborated", "checks alone"])
@pytest.mark.parametrize("case", sorted(NOT_PEOPLE))
def test_a_word_that_names_a_language_or_a_season_is_no_person(case, corroborate):
    """Class (helper-156): a capitalised word the name data holds as a first name that here names a language, a
    season or a planet ("using German words", "in Summer", "on Venus"). Two of one gender were read as a rename
    that changes no one's gender, a names-only reuse: the Danish request was served the German answer. Such a
    word is text of the question now: changed, the model answers."""
    suffix, (first, then) = NOT_PEOPLE[case]
    question = "Ann has {a} dollars and Tom has {b} dollars. How much money do they have together? " + suffix
    said = {first: "insgesamt", then: "i alt"}

    def model(prompt: str) -> str:
        a, b = (int(x) for x in re.findall(r"\d+", prompt)[:2])
        word = first if first in prompt else then
        return f"{a} + {b} = {a + b} dollars {said[word]}\n#### {a + b}"

    asks = [question.format(a=a, b=b, w=w) for w in (first, then) for a, b in FLIP[:4]]
    _, false = false_served(model, asks, corroborate=corroborate)
    assert false == 0


def test_whitespace_inside_a_question_is_part_of_it():
    """Class (helper-156): two requests that differ only in whitespace inside the text, where it carries meaning
    (a line of code indented into a loop or out of it). Whitespace was folded, for the identical request's key and
    for the template: 302 was served where the program prints 174. Only the ends are folded now."""
    inside = "What does this Python program print?\n\ntotal = {a}\nfor step in range(2):\n    total = total + {b}\n    total = total * 2\nprint(total)"
    outside = inside.replace("\n    total = total * 2", "\ntotal = total * 2")

    def model(prompt: str) -> str:
        a, b = int(re.findall(r"total = (\d+)", prompt)[0]), int(re.findall(r"total \+ (\d+)", prompt)[0])
        lines, t = [], a
        for _ in range(2):
            lines.append(f"{t} + {b} = {t + b}")
            t += b
            if "\n    total = total * 2" in prompt:
                lines.append(f"{t} * 2 = {t * 2}")
                t *= 2
        if "\n    total = total * 2" not in prompt:
            lines.append(f"{t} * 2 = {t * 2}")
            t *= 2
        return "\n".join(lines) + f"\n#### {t}"

    asks = [template.format(a=a, b=b) for a, b in FLIP[:4] for template in (inside, outside)]
    asks += [inside.format(a=a, b=b) for a, b in FLIP[4:]] + [outside.format(a=a, b=b) for a, b in FLIP[:4]]
    for corroborate in (True, False):
        _, false = false_served(model, asks, corroborate=corroborate)
        assert false == 0


# a mark right after the question's last number ("5 times 4!", "3 times 0.333..."), read as the sentence's end
# (helper-160: 6 false of 6, both modes)
MARKED_LAST = {
    "a factorial": ("Please calculate {a} times {b}{mark}", ".", "!"),
    "a repeating decimal": ("Please calculate {a} times 0.{b}{mark}", ".", "..."),
}


@pytest.mark.parametrize("corroborate", [True, False], ids=["corroborated", "checks alone"])
@pytest.mark.parametrize("case", sorted(MARKED_LAST))
def test_a_mark_right_after_the_last_number_is_part_of_the_question(case, corroborate):
    """Class (helper-160): "Please calculate 5 times 4!" matched "Please calculate 5 times 4." (the template dropped
    a trailing "!" or "..." as the sentence's end), and was served 20 where the model answers 5 × 4! = 120; "0.333..."
    likewise. A mark right after a number is kept in the template now: the model answers."""
    question, plain, marked = MARKED_LAST[case]

    def model(prompt: str) -> str:
        a, b = (int(x) for x in re.findall(r"\d+", prompt)[:2]) if "0." not in prompt else (int(prompt.split()[2]), 0)
        if prompt.endswith("!"):
            return (
                f"{b}! = {math.factorial(b)}\n{a} * {math.factorial(b)} = {a * math.factorial(b)}\n#### {a * math.factorial(b)}"
            )
        if prompt.endswith("..."):
            return f"0.333... is 1/3\n{a} * 1/3 = {Fraction(a, 3)}\n#### {Fraction(a, 3)}"
        if "0." in prompt:
            return f"{a} * 0.333 = {Decimal(a) * Decimal('0.333')}\n#### {Decimal(a) * Decimal('0.333')}"
        return f"{a} * {b} = {a * b}\n#### {a * b}"

    asks = []
    for a, b in [(5, 4), (6, 3), (7, 4)]:
        for mark in (plain, marked, plain, marked):
            asks.append(question.format(a=a, b=b if "0." not in question else 333, mark=mark))
    _, false = false_served(model, asks, corroborate=corroborate)
    assert false == 0


# an ending glued to a number whose form follows how the number is said (helper-159: 2 to 8 false per language,
# both modes)
_TR_LAST = {1: "bir", 2: "iki", 3: "üç", 4: "dört", 5: "beş", 6: "altı", 7: "yedi", 8: "sekiz", 9: "dokuz", 10: "on"}
_TR_LAST |= {20: "yirmi", 30: "otuz", 40: "kırk", 50: "elli", 60: "altmış", 70: "yetmiş", 80: "seksen", 90: "doksan"}


def _turkish_is(n: int) -> str:
    """ "64'tür", "89'dur", "72'dir": the copula after the number follows its last word's sounds."""
    word = _TR_LAST[n % 10] if n % 10 else _TR_LAST[n % 100]
    vowel = [c for c in word if c in "aeıioöuü"][-1]
    harmony = {"a": "ı", "ı": "ı", "e": "i", "i": "i", "o": "u", "u": "u", "ö": "ü", "ü": "ü"}[vowel]
    return f"{n}'{'t' if word[-1] in 'çfhkpsşt' else 'd'}{harmony}r"


def _hungarian_object(n: int) -> str:
    """ "64-et", "53-at", "72-t": the object ending follows the number's last word."""
    last = {0: "et", 1: "et", 2: "t", 3: "at", 4: "et", 5: "öt", 6: "ot", 7: "et", 8: "at", 9: "et"}
    tens = {1: "et", 2: "at", 3: "at", 4: "et", 5: "et", 6: "at", 7: "et", 8: "at", 9: "et"}
    return f"{n}-{last[n % 10] if n % 10 else tens[n // 10 % 10]}"


GLUED_ENDINGS = {
    "Turkish": lambda t: f"Cevap {_turkish_is(t)}.",
    "Korean": lambda t: f"따라서 사과는 모두 {t}{'가' if t % 10 in (2, 4, 5, 9) else '이'} 됩니다.",
    "Hungarian": lambda t: f"Tehát {_hungarian_object(t)} kapunk.",
    "Dutch": lambda t: f"Op de {t}{'ste' if t in (1, 8) or t >= 20 else 'de'} dag zijn ze samen.",
    # (helper-161) Spanish abbreviated ordinals: "1ro", "2do", "3ro", "4to", "7mo", "8vo", "9no"
    "Spanish": lambda t: (
        f"Llegan en el {t}{ {1: 'ro', 2: 'do', 3: 'ro', 7: 'mo', 8: 'vo', 9: 'no', 0: 'mo'}.get(t % 10, 'to') } puesto."
    ),
}


@pytest.mark.parametrize("corroborate", [True, False], ids=["corroborated", "checks alone"])
@pytest.mark.parametrize("language", sorted(GLUED_ENDINGS))
def test_an_ending_glued_to_a_number_is_never_left_on_another(language, corroborate):
    """Class (helper-159): an answer in a language whose ending glued to a number follows how the number is said
    ("Cevap 64'tür" but "72'dir", "64가" but "53이", "64-et" but "53-at", "13de" but "21ste"). Re-derived, the old
    ending stayed on the new number (English "21st" is read; no other language's was). An answer with such an
    ending is re-derived for no other number now."""
    say = GLUED_ENDINGS[language]

    def model(prompt: str) -> str:
        a, b = (int(x) for x in re.findall(r"\d+", prompt)[:2])
        return f"{a} + {b} = {a + b}\n{say(a + b)}\n#### {a + b}"

    question = "Ann has {a} apples and Tom has {b} apples. How many apples do they have in all? Answer in " + language + "."
    grid = [(41, 23), (37, 52), (53, 19), (22, 31), (61, 17), (14, 47), (10, 6), (30, 2)]
    _, false = false_served(model, [question.format(a=a, b=b) for a, b in grid], corroborate=corroborate)
    assert false == 0


# a noun whose form follows a count's last digits, in an answer line without a letter only those languages write
# (helper-159: 1 or 2 false of 5 or 6 with corroboration, 2 to 5 of 7 without)
def _slavic(r: int, one: str, few: str, many: str) -> str:
    if r % 10 == 1 and r % 100 != 11:
        return one
    return few if 2 <= r % 10 <= 4 and not 12 <= r % 100 <= 14 else many


COUNT_FORMS_PLAIN = {
    "Czech": ("Anna", "apples", lambda r: f"Anna má nyní {r} {'jablko' if r == 1 else 'jablka' if 2 <= r <= 4 else 'jablek'}."),
    "Croatian": ("Ana", "apples", lambda r: f"Ana sada ima {r} {_slavic(r, 'jabuka', 'jabuke', 'jabuka')}."),
    "Polish": ("Ania", "cats", lambda r: f"Ania ma teraz {r} {_slavic(r, 'kota', 'koty', 'kotów')}."),
    # (helper-161) Polish with no small word of the list but "ma" before the count
    "Polish, ma": ("Ania", "cats", lambda r: f"Ania ma {r} {_slavic(r, 'kota', 'koty', 'kotów')}."),
}


@pytest.mark.parametrize("corroborate", [True, False], ids=["corroborated", "checks alone"])
@pytest.mark.parametrize("language", sorted(COUNT_FORMS_PLAIN))
def test_a_count_form_by_the_last_digits_is_read_without_the_languages_own_letters(language, corroborate):
    """Class (helper-159): an answer in Czech, Croatian or Polish whose line holds none of the letters the carry-over
    tells those languages by ("Anna má nyní 3 jablka", "Ana sada ima 3 jabuke"): the noun's form was read as
    English's (one or not), and "5 jablka" was served where the model writes "5 jablek". Their small words tell
    them now."""
    name, thing, say = COUNT_FORMS_PLAIN[language]

    def model(prompt: str) -> str:
        a, b = (int(x) for x in re.findall(r"\d+", prompt)[:2])
        return f"{a} - {b} = {a - b}\n{say(a - b)}\n#### {a - b}"

    question = f"{name} has {{a}} {thing} and gives away {{b}} of them. How many {thing} are left? Answer in {language}."
    grid = [(9, 6), (9, 4), (8, 5), (27, 3), (30, 8), (12, 9), (10, 5), (26, 4)]
    _, false = false_served(model, [question.format(a=a, b=b) for a, b in grid], corroborate=corroborate)
    assert false == 0


# ------------------------------------------------------------------------------ renames that are no renames
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def rename_model(spec: GenerationSpec) -> str:
    """Right for each family of ``RENAMES``, in the words a model uses: it says what it leaves aside ("the other
    drink ($2) is not bought"), so that every number of the question is stated and the answer verifies."""
    p = spec.prompt
    if m := re.search(r"has (\d+) apples and \w+ has (\d+) apples\. (\w+) their", p):
        a, b = int(m[1]), int(m[2])
        sym = {"Add": "+", "Multiply": "*", "Subtract": "-"}[m[3]]
        v = {"+": a + b, "*": a * b, "-": a - b}[sym]
        return f"{a} {sym} {b} = <<{a}{sym}{b}={v}>>{v}\n#### {v}"
    if m := re.search(r"arbeitet (\d+) (\w+) und \w+ arbeitet (\d+) \w+\.", p):
        a, b = int(m[1]), int(m[3])
        out = f"{a} + {b} = <<{a}+{b}={a + b}>>{a + b} {'hours' if m[2] == 'Stunden' else 'days'}\n"
        if m[2] == "Stunden":
            return out + f"{a + b} * 60 = <<{a + b}*60={(a + b) * 60}>>{(a + b) * 60} minutes\n#### {(a + b) * 60}"
        h = (a + b) * 24
        return out + f"{a + b} * 24 = <<{a + b}*24={h}>>{h} hours\n{h} * 60 = <<{h}*60={h * 60}>>{h * 60} minutes\n#### {h * 60}"
    if m := re.search(r"A Coke costs \$(\d+) and a Sprite costs \$(\d+)\. \w+ buys (\d+) (\w+)\.", p):
        price, other = (int(m[1]), int(m[2])) if m[4] == "Cokes" else (int(m[2]), int(m[1]))
        n = int(m[3])
        return (
            f"The other drink (${other}) is not bought.\n{n} * {price} = <<{n}*{price}={n * price}>>{n * price}\n#### {n * price}"
        )
    if m := re.search(r"Eine Birne kostet (\d+) Euro und eine Banane kostet (\d+) Euro\. \w+ kauft (\d+) (\w+)\.", p):
        price, other = (int(m[1]), int(m[2])) if m[4] == "Birnen" else (int(m[2]), int(m[1]))
        n = int(m[3])
        return f"Die andere Frucht ({other} Euro) kauft sie nicht.\n{n} * {price} = <<{n}*{price}={n * price}>>{n * price}\n#### {n * price}"
    if m := re.search(r"jogs (\d+) km a day from (\w+) to (\w+) and (\d+) km", p):
        a, b, days = int(m[1]), int(m[4]), DAYS.index(m[3]) - DAYS.index(m[2]) + 1
        return (
            f"{m[2]} to {m[3]}: {a} * {days} = <<{a}*{days}={a * days}>>{a * days} km.\n"
            f"{a * days} + {b} = <<{a * days}+{b}={a * days + b}>>{a * days + b}\n#### {a * days + b}"
        )
    if m := re.search(r"Ann (\w+) has (\d+) apples, Bob (\w+) has (\d+) apples and Cy (\w+) has (\d+) apples", p):
        have = [("Ann", m[1], int(m[2])), ("Bob", m[3], int(m[4])), ("Cy", m[5], int(m[6]))]
        mine = [(who, n) for who, last, n in have if last == "Smith"]
        if len(mine) == 1:
            return f"Only {mine[0][0]} Smith is a Smith, so the Smiths have {mine[0][1]} apples.\n#### {mine[0][1]}"
        (x, a), (y, b) = mine
        rest = next((who, n) for who, last, n in have if last != "Smith")
        return (
            f"{rest[0]} is no Smith, so {rest[0]}'s {rest[1]} apples do not count.\nThe Smiths are {x} Smith and {y} Smith: "
            f"{a} + {b} = <<{a}+{b}={a + b}>>{a + b} apples.\n#### {a + b}"
        )
    return "I cannot help with that."


RENAMES = {
    "operation": (
        "Ann has 12 apples and Bob has 4 apples. {w} their apples together. What number do you get?",
        ["Multiply", "Add", "Subtract"],
    ),
    "unit-de": (
        "Anna arbeitet 3 {w} und Bruno arbeitet 2 {w}. Wie viele Minuten arbeiten beide zusammen?",
        ["Stunden", "Tage", "Wochen"],
    ),
    "item-form": ("A Coke costs $2 and a Sprite costs $3. Ann buys 4 {w}. How much does Ann pay?", ["Cokes", "Sprites"]),
    "item-form-de": (
        "Eine Birne kostet 2 Euro und eine Banane kostet 3 Euro. Anna kauft 4 {w}. Wie viel zahlt Anna?",
        ["Birnen", "Bananen"],
    ),
    "weekday": (
        "Ann jogs 3 km a day from {w} and 2 km extra at the end. How many km does Ann jog?",
        ["Mon to Sun", "Sat to Sun", "Mon to Tue"],
    ),
    "surname": (
        "Ann {w} has 5 apples, Bob {x} has 3 apples and Cy {w} has 2 apples. How many apples do the Smiths have?",
        ["Smith/Jones", "Jones/Smith"],
    ),
}


@pytest.mark.parametrize("case", sorted(RENAMES))
def test_a_capitalised_word_whose_change_changes_the_arithmetic_is_no_rename(case):
    """Class: a capitalised word that is no person's name, changed where no number is: an operation that opens a
    sentence ("Multiply" -> "Add": 48 served, 16 right), a German unit ("Stunden" -> "Tage"), a weekday ("Mon to
    Sun" -> "Sat to Sun"), a plural that takes the price of its singular ("4 Cokes" -> "4 Sprites" beside "a
    Coke costs $2", "Birnen" -> "Bananen"), surnames that say who counts ("the Smiths"). A helper's probe got
    each served wrong as a names-only reuse. Operations, weekdays and German time words are no names; a name and
    a form of it (Coke and Cokes, Smith and the Smiths) are renamed alike or not at all."""
    question, words = RENAMES[case]
    engine = engine_for(rename_model)
    asks = []
    for w in words:
        first, second = (w.split("/") + [""])[:2]
        prompt = question.format(w=first, x=second)
        asks.append((prompt, final_answer(rename_model(GenerationSpec(prompt=prompt)))[0]))  # type: ignore[index]
    _, wrong = tally(engine, asks)
    assert wrong == 0


# ------------------------------------------------------------------------------ a condition with no number in it
def _mugs_fee(a: int, b: int, c: int, applies: bool) -> tuple[str, int]:
    cost = a * b
    if not applies:
        return f"The mugs cost {a} * {b} = <<{a}*{b}={cost}>>{cost} dollars, and the fee is waived.\n#### {cost}", cost
    return (
        f"The mugs cost {a} * {b} = <<{a}*{b}={cost}>>{cost} dollars.\nWith the fee: {cost} + {c} = <<{cost}+{c}={cost + c}>>{cost + c}.\n#### {cost + c}",
        cost + c,
    )


def _notebooks(a: int, b: int, _: int, bulk: bool) -> tuple[str, int]:
    cost = a * b
    if not bulk:
        return f"{a} * {b} = <<{a}*{b}={cost}>>{cost} dollars.\n#### {cost}", cost
    return (
        f"Full price: {a} * {b} = <<{a}*{b}={cost}>>{cost} dollars.\nA bulk buyer pays half: {cost} / 2 = <<{cost}/2={cost // 2}>>{cost // 2}.\n#### {cost // 2}",
        cost // 2,
    )


def _coffees(a: int, b: int, _: int, capped: bool) -> tuple[str, int]:
    k = min(a, 30)
    return f"She pays for {k} coffees: {k} * {b} = <<{k}*{b}={k * b}>>{k * b} dollars.\n#### {k * b}", k * b


def _pairs(a: int, b: int, _: int, odd: bool) -> tuple[str, int]:
    k = a + odd
    return f"She pays {k} * {b} / 2 = <<{k}*{b}/2={k * b // 2}>>{k * b // 2} dollars.\n#### {k * b // 2}", k * b // 2


# (question, what reads a, b and c, the answer and its result for (a, b, c, whether the rule applies), the rule)
CONDITIONS: dict[str, tuple[str, str, Callable[..., tuple[str, int]], Callable[[int, int, int], bool]]] = {
    "large-orders": (
        "{name} orders {a} mugs at ${b} each. There is a ${c} delivery fee, which is waived for large orders. How "
        "much does {name} pay?",
        r"orders (\d+) mugs at \$(\d+) each\. There is a \$(\d+)",
        _mugs_fee,
        lambda a, b, c: a * b < 500,
    ),
    "small-orders": (
        "{name} orders {a} mugs at ${b} each. Small orders pay a delivery fee of ${c}. How much does {name} pay?",
        r"orders (\d+) mugs at \$(\d+) each\. Small orders pay a delivery fee of \$(\d+)",
        _mugs_fee,
        lambda a, b, c: a < 50,
    ),
    "bulk-buyers": (
        "{name} buys {a} notebooks at ${b} each. Bulk buyers pay half. How much does {name} pay?",
        r"buys (\d+) notebooks at \$(\d+) each",
        _notebooks,
        lambda a, b, c: a >= 100,
    ),
    "ordinal-word": (
        "{name} buys {a} coffees at ${b} each this month. Every coffee after her thirtieth is free. How much does {name} pay?",
        r"buys (\d+) coffees at \$(\d+) each this month",
        _coffees,
        lambda a, b, c: a > 30,
    ),
    "sold-in-pairs": (
        "{name} needs {a} concert tickets. Tickets are only sold in pairs, at ${b} a pair. How much does {name} spend?",
        r"needs (\d+) concert tickets\. Tickets are only sold in pairs, at \$(\d+)",
        _pairs,
        lambda a, b, c: a % 2 == 1,
    ),
}


@pytest.mark.parametrize("family", sorted(CONDITIONS))
def test_a_condition_said_with_no_number_is_read_as_a_branch(family):
    """Class: a condition on how much said with no number ("waived for large orders", "small orders pay a fee",
    "bulk buyers pay half"), an English ordinal word ("after her thirtieth"), a sale in whole lots ("only sold in
    pairs", answered in one expression): where it bites the model decides, and the first numbers and the first
    probes left it idle. A helper got 23 of 50 served answers wrong; these are branches of the answer the gate
    reads now, and numbers that moved are the model's to answer."""
    question, pattern, answer, applies = CONDITIONS[family]
    read = re.compile(pattern)

    def values(prompt: str) -> tuple[int, int, int] | None:
        m = read.search(prompt)
        if m is None:
            return None
        a, b, *c = (int(g) for g in m.groups())
        return a, b, c[0] if c else 0

    def model(spec: GenerationSpec) -> str:
        v = values(spec.prompt)
        if v is None:
            return "I cannot help with that."
        return answer(*v, applies(*v))[0]

    engine = engine_for(model, probes=EngineConfig().corroboration_probes)
    grid = [(5, 4, 6), (6, 9, 4), (30, 20, 6), (60, 9, 5), (12, 50, 9), (101, 7, 4), (7, 5, 6), (200, 3, 8), (33, 7, 3)]
    if family == "sold-in-pairs":  # the first count even, and the first probe's too
        grid = [(6, 4, 0), (12, 20, 0), (7, 4, 0), (9, 6, 0), (13, 2, 0), (8, 5, 0), (15, 4, 0)]
    elif family == "bulk-buyers":  # the first order a bulk one; no cheaper order was ever answered
        grid = [(150, 4, 0), (600, 20, 0), (40, 6, 0), (64, 4, 0), (8, 5, 0), (120, 2, 0), (33, 7, 0)]
    elif family == "ordinal-word":
        grid = [(4, 3, 0), (12, 15, 0), (8, 5, 0), (150, 4, 0), (40, 6, 0), (200, 3, 0), (33, 7, 0), (64, 4, 0)]
    asks = []
    for n, (a, b, c) in enumerate(grid):
        fields = {"a": a, "b": b, "c": c}
        asks.append((question.format(name="Ann" if n == 0 else "Bea", **fields), Fraction(answer(a, b, c, applies(a, b, c))[1])))
    _, wrong = tally(engine, asks)
    assert wrong == 0


# ------------------------------------------------------------------------------ a pronoun among two people
# the reader's girls: those of the grids below, and those the relabelled points rename into
GIRLS = frozenset({"Ann", "Sue", "Kate", "Bea", "Lena", "Maria", "Olivia", "Sofia"})


def _stickers(n1: str, n2: str, a: int, b: int) -> tuple[str, int]:
    """She gives b of hers to him: the one asked about gains b when he is a boy, loses b when she is a girl."""
    if n1 in GIRLS:
        return f"{n1} gives away {b} stickers.\n{a} - {b} = {a - b}\n#### {a - b}", a - b
    return f"{n1} gets {b} stickers.\n{a} + {b} = {a + b}\n#### {a + b}", a + b


def _marbles(n1: str, n2: str, a: int, b: int) -> tuple[str, int]:
    """She doubles her marbles: the girl's count doubles, whichever name comes first."""
    hers, his = (a, b) if n1 in GIRLS else (b, a)
    return f"{hers} * 2 = {2 * hers}\n{2 * hers} + {his} = {2 * hers + his}\n#### {2 * hers + his}", 2 * hers + his


PRONOUNS = {
    "stickers": (
        "{n1} and {n2} each have {a} stickers. She gives {b} of hers to him. How many stickers does {n1} have now?",
        r"(\w+) and (\w+) each have (\d+) stickers\. She gives (\d+)",
        _stickers,
    ),
    "marbles": (
        "{n1} has {a} marbles and {n2} has {b} marbles. She doubles her marbles. How many marbles do they have together now?",
        r"(\w+) has (\d+) marbles and (\w+) has (\d+) marbles",
        _marbles,
    ),
    "stickers, de": (
        "{n1} und {n2} besitzen je {a} Sticker. Sie gibt ihm {b} von ihren Stickern. Wie viele Sticker besitzt {n1} jetzt?",
        r"(\w+) und (\w+) besitzen je (\d+) Sticker\. Sie gibt ihm (\d+)",
        _stickers,
    ),
}


@pytest.mark.parametrize("family", sorted(PRONOUNS))
def test_a_pronoun_among_two_people_is_not_renamed(family):
    """Class (a helper's probe, 9 of 12 served wrong): a pronoun that tells two named people apart by gender
    ("She gives 3 of hers to him"). Which step is whose follows from the names, which the task cannot tell
    apart: a rename handed the girl's step to the boy, with the numbers unchanged (names only) or moved (the
    probes keep the first names, so they agreed). A rename that does not keep each person's gender, as the task
    reads it, goes to the model; one that keeps it (Ann for Sue, Tom for Jim) is still served."""
    question, pattern, answer = PRONOUNS[family]
    read = re.compile(pattern)

    def model(spec: GenerationSpec) -> str:
        m = read.search(spec.prompt)
        if m is None:
            return "I cannot help with that."
        g = m.groups()
        if family.startswith("stickers"):
            return answer(g[0], g[1], int(g[2]), int(g[3]))[0]
        return answer(g[0], g[2], int(g[1]), int(g[3]))[0]

    engine = engine_for(model, probes=EngineConfig().corroboration_probes)
    grid = [("Ann", "Tom", 10, 7), ("Tom", "Ann", 10, 7), ("Jim", "Sue", 20, 9), ("Bob", "Kate", 12, 5), ("Sue", "Bob", 8, 3)]
    grid += [("Lena", "Jim", 14, 6), ("Tom", "Bea", 9, 2), ("Ann", "Tom", 11, 4)]
    asks = [(question.format(n1=n1, n2=n2, a=a, b=b), Fraction(answer(n1, n2, a, b)[1])) for n1, n2, a, b in grid]
    served, wrong = tally(engine, asks)
    assert wrong == 0
    assert served >= 1  # the first names with other numbers are still reused


EMAILS = "{name} receives {n} emails a day. {p}% of them need no response. He answers the rest. How many emails does {name} answer in {d} days?"
EMAILS_READ = re.compile(
    r"(\w+) receives (\d+) emails a day\. (\d+)% of them need no response\. He answers the rest\. .* in (\d+) days"
)


def _emails(n: int, p: int, d: int) -> tuple[str, int]:
    x = n * p // 100
    y = n - x
    return (
        f"{n} * {p}/100 = {x} emails need no response.\n{n} - {x} = {y} emails a day.\n{y} * {d} = {y * d}\n#### {y * d}",
        y * d,
    )


def test_a_rename_across_genders_is_served_once_a_relabelled_point_agrees():
    """Class: a question whose pronoun stays as it was while its person is renamed into another gender, or into a
    name given to both ("Bob ... He answers" asked for Maria or Alex: GSM-Symbolic's variants are written so, and
    an app's template may be too). Whom "He" means the task cannot tell, so the first answer alone is not
    re-derived for such names; the engine asks the model itself, in the background, at a point it already agreed
    at with the person renamed into a woman's name. Where that answer agrees, the variants with women's names are
    served (new numbers too). A name given to both genders ("Alex", "Casey") is served too: the first question
    holds for a man's name, the relabelled point for a woman's, so the answer holds whichever a reader takes it
    for. Where the answers would not agree, see the pronoun test above and the next one."""
    asked: list[str] = []

    def model(spec: GenerationSpec) -> str:
        m = EMAILS_READ.search(spec.prompt)
        assert m is not None, spec.prompt
        asked.append(m[1])
        return _emails(int(m[2]), int(m[3]), int(m[4]))[0]

    engine = engine_for(model, probes=EngineConfig().corroboration_probes)
    # (every total under 1,000: how the model groups thousands, no answer here shows)
    grid = [("Bob", 200, 25, 4), ("Maria", 200, 25, 4), ("Alex", 160, 25, 3), ("Sue", 120, 10, 5), ("Tom", 300, 20, 4)]
    grid += [("Eva", 80, 50, 7), ("Casey", 400, 5, 2), ("Alex", 90, 10, 8)]
    asks = [(EMAILS.format(name=name, n=n, p=p, d=d), Fraction(_emails(n, p, d)[1])) for name, n, p, d in grid]
    served, wrong = tally(engine, asks[:1])
    assert asked == ["Bob", "Bob", "Maria"]  # the first answer, a point with other numbers, that point relabelled
    served, wrong = tally(engine, asks[1:])
    assert wrong == 0
    assert served == len(grid) - 1  # every caller but the first


DINER_WOMEN = {"Ann", "Sue", "Kate", "Lena", "Bea", "Maria", "Eva"}
DINER = {
    "en, a role": (
        "{a} works {h} hours and {b} works {k} hours at a diner. The waitress earns ${w} an hour and the cook earns "
        "${c} an hour. How much do they earn together?",
        r"(\w+) works (\d+) hours and (\w+) works (\d+) hours at a diner\. The waitress earns \$(\d+) an hour and "
        r"the cook earns \$(\d+)",
    ),
    "en, kin": (
        "{a} works {h} hours and {b} works {k} hours. They are twins: the sister earns ${w} an hour and the brother "
        "earns ${c} an hour. How much do they earn together?",
        r"(\w+) works (\d+) hours and (\w+) works (\d+) hours\. They are twins: the sister earns \$(\d+) an hour "
        r"and the brother earns \$(\d+)",
    ),
    "es, a role": (
        "{a} trabaja {h} horas y {b} trabaja {k} horas en un restaurante. La camarera gana {w} dólares por hora y el "
        "cocinero gana {c} dólares por hora. ¿Cuánto ganan entre los dos?",
        r"(\w+) trabaja (\d+) horas y (\w+) trabaja (\d+) horas en un restaurante\. La camarera gana (\d+) dólares "
        r"por hora y el cocinero gana (\d+)",
    ),
}
CROSS_RENAMES = [("Ann", "Tom"), ("Tom", "Ann"), ("Sue", "Jim"), ("Bob", "Kate"), ("Lena", "Jim"), ("Jim", "Bea")]
CROSS_RENAMES += [("Maria", "Bob"), ("Tom", "Eva")]


PRONOUN_KEPT = {
    "en": ("{n} buys {k} apples at ${p} each. How much does {n} pay?", "{n} buys {k} apples.\n{pr} pays", ("She", "He")),
    "es": (
        "{n} compra {k} manzanas a {p} dólares cada una. ¿Cuánto paga {n}?",
        "{n} compra {k} manzanas.\n{pr} paga",
        ("Ella", "Él"),
    ),
    "fr": (
        "{n} achète {k} pommes à {p} dollars chacune. Combien paie {n} ?",
        "{n} achète {k} pommes.\n{pr} paie",
        ("Elle", "Il"),
    ),
}


@pytest.mark.parametrize("language", sorted(PRONOUN_KEPT))
def test_a_pronoun_of_the_answer_follows_no_rename_into_another_gender(language):
    """Class: the cached answer calls its one person "She" where the question only names her ("Ann buys 3 apples.
    She pays 3 * 2"). Renamed Tom, numbers and name followed and "She" stayed: 3 of 5 served with a false pronoun,
    in every language. A word of one gender that the new question does not say, where someone of that gender is
    renamed into another, is stale: the model answers, and its answer serves the next man's name. A question that
    says the word itself (GSM-Symbolic's "Alex ... he sold") licenses it."""
    question, line, (she, he) = PRONOUN_KEPT[language]
    read = re.compile(question.split("{k}")[0].replace("{n}", r"(\w+)") + r"(\d+)\D+(\d+)")

    def model(prompt: str) -> str:
        n, k, p = list(re.finditer(read, prompt))[-1].groups()
        return (
            line.format(n=n, k=k, pr=she if n in DINER_WOMEN else he)
            + f" {k} * {p} = <<{k}*{p}={int(k) * int(p)}>>{int(k) * int(p)}.\n#### {int(k) * int(p)}"
        )

    engine = engine_for(lambda spec: model(spec.prompt), probes=EngineConfig().corroboration_probes)
    served = false = 0
    for n, k, p in [("Ann", 3, 2), ("Tom", 3, 2), ("Sue", 4, 5), ("Jim", 4, 5), ("Bob", 6, 3), ("Eva", 7, 2)]:
        q = question.format(n=n, k=k, p=p)
        out = engine.run(Request(q))
        background.drain(10)
        if out.trace.backend_calls == 0:
            served += 1
            false += out.text != model(q)
    assert false == 0 and served >= 2


OPEN_GENDER = {
    "a discount for women ('female members')": (
        "A gym charges ${p} per visit, and female members pay half price. {a} visits the gym {k} times this month. "
        "How much does {a} pay?",
        r"\$(\d+) per visit, and female members pay half price\. (\w+) visits the gym (\d+) times",
    ),
    "a discount for a sorority": (
        "A gym charges ${p} per visit, and sorority members pay half price. {a} visits the gym {k} times this month. "
        "How much does {a} pay?",
        r"\$(\d+) per visit, and sorority members pay half price\. (\w+) visits the gym (\d+) times",
    ),
}


@pytest.mark.parametrize("family", sorted(OPEN_GENDER))
def test_a_gender_said_in_words_no_list_holds_is_vouched_for_by_a_relabelled_point(family):
    """Class (helper-61): a rule that turns on a person's gender, said in words no list of gendered words holds
    ("female members", "sorority members"; any word may say it). A relaxation that skipped the relabelled point
    where neither question nor answer says a listed word served Ann's half price to Tom (3 of 4 served wrong):
    a rename across genders is served only once a model answer under names of the new genders agrees."""
    question, read = OPEN_GENDER[family]

    def model(prompt: str) -> str:
        p, a, k = re.findall(read, prompt)[-1]
        p, k = int(p), int(k)
        if a in DINER_WOMEN:
            return (
                f"{a} pays half of {p}: {p} / 2 = <<{p}/2={p // 2}>>{p // 2} dollars a visit.\n"
                f"For {k} visits: {k} * {p // 2} = <<{k}*{p // 2}={k * p // 2}>>{k * p // 2} dollars.\n#### {k * p // 2}"
            )
        return f"{a} pays {p} dollars a visit.\nFor {k} visits: {k} * {p} = <<{k}*{p}={k * p}>>{k * p} dollars.\n#### {k * p}"

    grid = [("Ann", 10, 8), ("Tom", 10, 8), ("Maria", 12, 6), ("Jim", 10, 8), ("Bob", 14, 5), ("Sue", 10, 8), ("Eva", 12, 6)]
    assert wrong_served(model, [question.format(a=a, p=p, k=k) for a, p, k in grid]) == 0


@pytest.mark.parametrize("family", sorted(DINER))
def test_a_rename_across_genders_where_a_role_or_kin_says_one_is_never_served_wrong(family):
    """Class: a word of one gender that is no pronoun ("the waitress", "the sister"), or a language whose articles
    and endings say one ("La camarera"), tells which of two people is which: renamed across genders, the same
    answer goes to another person. None is served wrong."""
    question, read = DINER[family]

    def model(prompt: str) -> str:
        a, h, b, k, w, c = re.findall(read, prompt)[-1]
        (x, y) = (int(w), int(c)) if a in DINER_WOMEN else (int(c), int(w))
        p, q = x * int(h), y * int(k)
        return (
            f"{a} earns {x} * {h} = <<{x}*{h}={p}>>{p} dollars.\n{b} earns {y} * {k} = <<{y}*{k}={q}>>{q} dollars.\n"
            f"Together: {p} + {q} = <<{p}+{q}={p + q}>>{p + q} dollars.\n#### {p + q}"
        )

    hours = itertools.cycle([(6, 8), (6, 8), (5, 9)])
    asks = [question.format(a=a, b=b, w=12, c=15, h=h, k=k) for (a, b), (h, k) in zip(CROSS_RENAMES, hours)]
    assert wrong_served(model, asks) == 0


# a word whose form follows the gender of the person it is about, in a line that names them: (her form, his form)
GENDERED_FORMS = {
    "en, a role": ("{n}, the hostess, pays", "{n}, the host, pays"),
    "en, an actress": ("{n}, the actress, pays", "{n}, the actor, pays"),
    "en, a compound in -woman": ("{n}, a chairwoman, pays", "{n}, a chairman, pays"),
    "en, a widow": ("{n}, a widow, pays", "{n}, a widower, pays"),
    "en, kin": ("{n}, his aunt, pays", "{n}, his uncle, pays"),
    "pl, a past verb (helper-61)": ("{n} zapłaciła", "{n} zapłacił"),
    "cs, a past verb": ("{n} zaplatila", "{n} zaplatil"),
    "ru, a past verb": ("{n} заплатила", "{n} заплатил"),
    "es, an adjective": ("{n} está contenta y paga", "{n} está contento y paga"),
    "it, an adjective": ("{n} è stanca e paga", "{n} è stanco e paga"),
    "fr, a participle": ("{n} est ravie et paie", "{n} est ravi et paie"),
}
APPLES_BOUGHT = "{n} buys {k} apples at ${p} each. How much does {n} pay?"
APPLES_BOUGHT_RE = re.compile(r"(\w+) buys (\d+) apples at \$(\d+)")


@pytest.mark.parametrize("form", sorted(GENDERED_FORMS))
def test_a_rename_across_genders_keeps_no_word_whose_form_follows_the_gender(form):
    """Class (helper-61, and found this stop): an answer whose words take the gender of the person they are about,
    where the question's do not ("Ann buys 3 apples" asked, "Ann, the hostess, pays 6" or "Ann zapłaciła 6"
    answered). Renamed Tom, the numbers agree at every relabelled point, which vouched for the rename: "Tom, the
    hostess" and "Tom zapłaciła" were served, 4 of 6 false in every form (English roles, kin and compounds, Slavic
    past verbs, Romance adjectives). No list holds such words in every language; a relabelled point vouches for
    the new genders only where the model answers in the words the entry says there."""
    her, his = GENDERED_FORMS[form]

    def model(prompt: str) -> str:
        n, k, p = APPLES_BOUGHT_RE.findall(prompt)[-1]
        said = (her if gender_of(n) == "f" else his).format(n=n)
        return f"{said} {k} * {p} = <<{k}*{p}={int(k) * int(p)}>>{int(k) * int(p)} dollars.\n#### {int(k) * int(p)}"

    grid = [("Ann", 3, 2), ("Tom", 3, 2), ("Bob", 3, 2), ("Mary", 4, 5), ("John", 3, 2), ("Eve", 3, 2), ("Mark", 4, 5)]
    served, false = false_served(model, [APPLES_BOUGHT.format(n=n, k=k, p=p) for n, k, p in grid])
    assert false == 0
    assert served >= 2  # a rename within one gender is still served


def _finnish_genitive(n: str) -> str:
    return {"Matti": "Matin", "Pekka": "Pekan"}.get(n, n + "n" if n[-1] in "aeiouy" else n + "in")


def _polish_genitive(n: str) -> str:
    return {"Ewa": "Ewy", "Marta": "Marty", "Zosia": "Zosi", "Anna": "Anny", "Piotr": "Piotra", "Jan": "Jana"}[n]


def _turkish_genitive(n: str) -> str:
    vowel = [c for c in n.lower() if c in "aeıioöuü"][-1]
    harmony = "ı" if vowel in "aı" else "i" if vowel in "ei" else "u" if vowel in "ou" else "ü"
    return f"{n}'{'n' if n[-1].lower() in 'aeıioöuü' else ''}{harmony}n"


def _family(s: str) -> str:
    return s + "es" if s.endswith(("s", "x", "z", "ch", "sh")) else s + "s"


_CURRENCY = {"Florence": "euros", "Charlotte": "dollars", "Sofia": "leva", "Vienna": "euros", "Savannah": "dollars"}
_CURRENCY |= {"Odessa": "hryvnias", "Valencia": "euros"}
# a name in a form of its own: (question, how to read it, the line that says the name, the grid)
NAME_FORMS = {
    "fi, a case ending ('Annan')": (
        "{n} ostaa {k} omenaa, ja yksi omena maksaa {p} euroa. Paljonko {n} maksaa yhteensä?",
        r"(\w+) ostaa (\d+) omenaa, ja yksi omena maksaa (\d+) euroa",
        lambda n: f"{_finnish_genitive(n)} omenat maksavat",
        ["Anna", "Liisa", "Maija", "Kaisa", "Matti", "Pekka", "Elina"],
    ),
    "pl, a stem that changes ('Ewy' of Ewa)": (
        "{n} kupuje {k} jabłek po {p} zł za sztukę. Ile płaci {n}?",
        r"(\w+) kupuje (\d+) jabłek po (\d+) zł",
        lambda n: f"Zakupy {_polish_genitive(n)} kosztują",
        ["Ewa", "Marta", "Zosia", "Anna", "Piotr", "Jan", "Ewa"],
    ),
    "tr, a suffix after an apostrophe ('Burak'ın')": (
        "{n} {k} elma alıyor ve bir elma {p} lira. {n} toplam kaç lira öder?",
        r"(\w+) (\d+) elma alıyor ve bir elma (\d+) lira",
        lambda n: f"{_turkish_genitive(n)} ödediği:",
        ["Elif", "Zeynep", "Merve", "Esra", "Burak", "Fatma", "Irmak"],
    ),
    "fr, an elision ('d'Anne')": (
        "{n} achète {k} pommes à {p} euros chacune. Combien paie {n} ?",
        r"(\w+) achète (\d+) pommes à (\d+) euros",
        lambda n: "Le panier " + ("d'" + n if n[0] in "AEIOUH" else "de " + n) + " coûte",
        ["Marie", "Anne", "Sophie", "Emma", "Claire", "Julie", "Isabelle"],
    ),
    "a handle ('ann7')": (
        "{n} buys {k} pens at ${p} each and signs the receipt with a handle. How much does {n} pay?",
        r"(\w+) buys (\d+) pens at \$(\d+)",
        lambda n: f"Signed {n.lower()}7: {n} pays",
        ["Ann", "Mary", "Sue", "Emma", "Tom", "Lisa", "Kate"],
    ),
    "a family's plural ('the Joneses')": (
        "Mr. {n} buys {k} movie tickets at ${p} each for his family. How much does the family pay?",
        r"Mr\. (\w+) buys (\d+) movie tickets at \$(\d+)",
        lambda n: f"The {_family(n)} pay",
        ["Smith", "Jones", "Davis", "Brown", "Harris", "Lopez", "Walsh"],
    ),
    "a place the name data holds as a woman's name ('in Florence')": (
        "Ann buys {k} croissants in {n} at {p} each in the local currency. How much does Ann spend?",
        r"Ann buys (\d+) croissants in (\w+) at (\d+) each",
        None,
        ["Florence", "Charlotte", "Sofia", "Vienna", "Savannah", "Odessa", "Valencia"],
    ),
}


@pytest.mark.parametrize("form", sorted(NAME_FORMS))
def test_a_name_in_a_form_of_its_own_is_never_renamed_false(form):
    """Class (helper-63): the answer writes a renamed name in a form the rename does not reach or gets wrong: a
    case ending ("Annan", "Ewy" of Ewa, "Burak'ın" with its vowel harmony), a word before it whose form follows its
    first sound ("de Anne" for "d'Anne"), inside a handle ("ann7"), as a family's plural ("the Joness" for the
    Joneses), or a place the name data holds as a woman's name, whose currency the answer says (Florence served
    Charlotte "euros"). 2 to 6 of 6 served false on 8c54048. A rename is served only where every form of the name
    is one the rename writes; a capitalised word after "in" is a place, a word of the text."""
    question, read, says, names = NAME_FORMS[form]
    pattern_ = re.compile(read)

    def model(prompt: str) -> str:
        groups = pattern_.findall(prompt)[-1]
        if says is None:  # the place: the currency is its own
            k, n, p = groups
            return (
                f"Ann spends {k} * {p} = <<{k}*{p}={int(k) * int(p)}>>{int(k) * int(p)} {_CURRENCY[n]}.\n#### {int(k) * int(p)}"
            )
        n, k, p = groups
        return f"{says(n)} {k} * {p} = <<{k}*{p}={int(k) * int(p)}>>{int(k) * int(p)}.\n#### {int(k) * int(p)}"

    values = [(3, 2), (3, 2), (4, 5), (3, 2), (6, 7), (3, 2), (4, 5)]
    _, false = false_served(model, [question.format(n=n, k=k, p=p) for n, (k, p) in zip(names, values, strict=True)])
    assert false == 0


def test_an_answer_stored_beside_an_entry_inherits_no_genders_it_words_otherwise():
    """Class (helper-63): a model answer that agrees with an entry is stored corroborated for what the entry was,
    a pattern of genders among them; the entry's pattern was vouched for in the entry's words ("Ann the hostess",
    relabelled with a woman's name), the new answer's words are a man's ("Tom the host"). It served "Sue the host"
    (3 of 5 false). An answer inherits a pattern of genders only where it says the entry's very words."""
    question = "{a} buys {k} apples at ${p} each from {b}. How much does {a} pay?"
    read = re.compile(r"(\w+) buys (\d+) apples at \$(\d+) each from (\w+)")

    def model(prompt: str) -> str:
        a, k, p, b = read.findall(prompt)[-1]
        c = int(k) * int(p)
        role = "hostess" if gender_of(a) == "f" else "host"
        return f"{a} the {role} pays {k} * {p} = <<{k}*{p}={c}>>{c} dollars to {b}.\n#### {c}"

    grid = [("Ann", 3, 2, "Bob"), ("Tom", 4, 5, "Bob"), ("Sue", 4, 5, "Amy"), ("Mary", 4, 5, "Kate"), ("Lisa", 6, 7, "Emma")]
    grid += [("Eve", 4, 5, "Jane"), ("Sue", 3, 2, "Bob")]
    served, false = false_served(model, [question.format(a=a, k=k, p=p, b=b) for a, k, p, b in grid])
    assert false == 0 and served >= 1


def test_a_rename_that_swaps_whom_the_question_s_pronouns_mean_is_served_in_no_false_words():
    """Class: a question that says both people's pronouns ("She gives him 3 apples") where the rename swaps the
    genders (Ann and Tom asked as Bob and Sue): the giver is now the second person. The total stays what it was,
    so the relabelled point agreed, and "Bob gives Sue 3 apples" was served where Sue gives Bob 3 (1 of 1 served
    false). The relabelled point vouches only where the model says it in the same words."""
    question = "{a} has {x} apples and {b} has {y} apples. She gives him {z} apples. How many apples do they have together?"
    read = re.compile(r"(\w+) has (\d+) apples and (\w+) has (\d+) apples\. She gives him (\d+)")

    def model(prompt: str) -> str:
        a, x, b, y, z = read.findall(prompt)[-1]
        giver, taker = (a, b) if gender_of(a) == "f" else (b, a)
        t = int(x) + int(y)
        return f"{giver} gives {taker} {z} apples; the total stays {x} + {y} = <<{x}+{y}={t}>>{t} apples.\n#### {t}"

    grid = [("Ann", 10, "Tom", 5, 3), ("Bob", 10, "Sue", 5, 3), ("Mia", 12, "Leo", 7, 2), ("Hal", 9, "Eve", 6, 4)]
    grid += [("Kim", 11, "Ned", 4, 3), ("Gus", 8, "Ann", 13, 5), ("Mary", 10, "John", 5, 3)]
    _, false = false_served(model, [question.format(a=a, x=x, b=b, y=y, z=z) for a, x, b, y, z in grid])
    assert false == 0


def test_a_name_given_to_both_genders_reads_as_each():
    """Class: a name the data gives to women and men alike ("Alex", "Tyler") where a name of one gender stood. A
    pattern of genders with one (``genders=?Put,?Alex``) is held where both of its readings are (a woman's name
    there, and a man's); a word the data does not know ("Costco": maybe no person) and a pattern of more than three
    such names are not read so."""
    assert readings("genders=?Put,?Alex,m") == {"genders=?Put,f,m", "genders=?Put,m,m"}
    assert readings("genders=?Tyler,?Alex") == {"genders=f,f", "genders=f,m", "genders=m,f", "genders=m,m"}
    assert readings("genders=?Costco,m") == frozenset()
    assert readings("genders=f,m") == frozenset()
    assert readings("genders=?Alex,?Tyler,?Chris,?Jordan") == frozenset()
    assert readings("q0") == frozenset()
    corroboration = WordCorroboration()
    old = parse_problem(Request(EMAILS.format(name="Bob", n=200, p=25, d=4)))
    new = parse_problem(Request(EMAILS.format(name="Alex", n=200, p=25, d=4)))
    needed = corroboration.varied(old, new)
    assert needed == {"genders=?Alex"}
    # the first question holds for a man's name: a woman's is what is missing
    assert corroboration.missing(old, needed, frozenset()) == needed
    assert corroboration.missing(old, needed, frozenset({"genders=f"})) == frozenset()
    # not where a word of one gender names no one of the first question ("He" beside Ann): its own pattern is
    # none the first answer holds at
    ann = parse_problem(Request(EMAILS.format(name="Ann", n=200, p=25, d=4)))
    assert corroboration.missing(ann, corroboration.varied(ann, new), frozenset({"genders=m"})) == needed


@pytest.mark.parametrize("alex", ["f", "m"])
def test_a_name_given_to_both_genders_is_served_only_where_both_readings_agree(alex):
    """Class: a word of one gender whose meaning turns on a name given to both genders ("Alex gives 4 of her
    stickers": hers, or Ann's if a reader takes Alex for a man). The relabelled point into a man's name answers
    otherwise than the first question, so the name is not read as each gender alike, whichever gender the model
    itself gives Alex: the callers named Alex get the model's answer."""
    reader_m = READER_M | ({"Alex"} if alex == "m" else set())

    def solve(a_name: str, a: int, b: int, b_name: str, c: int, d: int) -> tuple[str, int]:
        if b_name in reader_m:
            kept = a + b - d
            return f"{a_name} has {a} + {b} - {d} = {kept}.\n{kept} - {c} = {kept - c}\n#### {kept - c}", kept - c
        left = c - d
        return (
            f"{a_name} has {a} + {b} = {a + b}.\n{b_name} keeps {c} - {d} = {left}.\n{a + b} - {left} = {a + b - left}\n#### {a + b - left}",
            a + b - left,
        )

    calls: list[str] = []

    def model(spec: GenerationSpec) -> str:
        m = GIVES_HER_READ.search(spec.prompt)
        assert m is not None, spec.prompt
        calls.append(m[4])
        return solve(m[1], int(m[2]), int(m[3]), m[4], int(m[5]), int(m[6]))[0]

    engine = engine_for(model, probes=EngineConfig().corroboration_probes)
    grid = [("Ann", 20, 5, "Sue", 9, 3), ("Ann", 22, 6, "Alex", 8, 4), ("Eva", 24, 7, "Alex", 10, 5)]
    grid += [("Ann", 26, 8, "Alex", 11, 6), ("Bea", 21, 6, "Eva", 10, 3)]
    asks = [
        (GIVES_HER.format(a_name=p, a=a, b=b, b_name=q, c=c, d=d), Fraction(solve(p, a, b, q, c, d)[1]))
        for p, a, b, q, c, d in grid
    ]
    served, wrong = tally(engine, asks)
    assert wrong == 0
    assert "Alex" in calls  # the first caller named Alex is not served from Sue's answer
    assert served >= 1  # Eva for Sue: one gender, new numbers


COOK = (
    "{name} has {x} apples. The cook has {y} bags with {z} apples in each bag. She gives half of her apples to the "
    "teacher. How many apples do {name} and the cook have together now?"
)
COOK_READ = re.compile(r"(\w+) has (\d+) apples\. The cook has (\d+) bags with (\d+) apples")


def _cook(name: str, x: int, y: int, z: int) -> tuple[str, Fraction]:
    """ "She" is the named person where a reader reads her as a woman, else the cook (a reader reads Alex, Jordan,
    Tyler as men here)."""
    bags = y * z
    if name in READER_F | {"Anna", "Emma", "Lisa"}:
        give = Fraction(x, 2)
        lines = f"{name} gives away {x} * 1/2 = {give} apples.\n{name} keeps {x} - {give} = {x - give}."
        kept = x - give + bags
        return f"The cook has {y} * {z} = {bags} apples.\n{lines}\n{x - give} + {bags} = {kept}\n#### {kept}", kept
    give = Fraction(bags, 2)
    lines = f"The cook gives away {bags} * 1/2 = {give} apples.\nThe cook keeps {bags} - {give} = {bags - give}."
    kept = x + bags - give
    return f"The cook has {y} * {z} = {bags} apples.\n{lines}\n{x} + {bags - give} = {kept}\n#### {kept}", kept


@pytest.mark.parametrize("later", ["men", "both"])
def test_an_agreement_where_two_amounts_coincide_vouches_for_no_genders(later):
    """Class: a caller's question where an amount the answer computes equals a quantity or another amount ("James
    has 20 apples. The cook has 4 bags with 5 apples": 20 and 20), so that a step handed to the other person
    gives the same answer. Such an agreement vouched for the other gender's reading everywhere: a helper served the
    next men's names wrong (6 of 11), and since names given to both genders read as each, 10 of 15 with Alex,
    Jordan, Tyler. No two quantities alike was not enough: no computed amount may be alike either."""
    grid = [("Maria", 14, 3, 4), ("Anna", 16, 3, 4), ("Emma", 18, 2, 5), ("Lisa", 12, 2, 3), ("James", 20, 4, 5)]
    if later == "men":
        grid += [("David", 16, 3, 4), ("Peter", 16, 2, 5), ("Paul", 18, 3, 4), ("Mark", 14, 2, 3), ("John", 12, 2, 4)]
    else:
        grid += [("Alex", 16, 3, 4), ("Jordan", 16, 2, 5), ("Tyler", 18, 3, 4), ("Alex", 14, 2, 3), ("David", 18, 2, 3)]

    def model(spec: GenerationSpec) -> str:
        m = COOK_READ.search(spec.prompt)
        assert m is not None, spec.prompt
        return _cook(m[1], int(m[2]), int(m[3]), int(m[4]))[0]

    engine = engine_for(model, probes=EngineConfig().corroboration_probes)
    served, wrong = tally(engine, [(COOK.format(name=n, x=x, y=y, z=z), _cook(n, x, y, z)[1]) for n, x, y, z in grid])
    assert wrong == 0
    assert served >= 1  # women's names with new numbers


@pytest.mark.parametrize(
    "question",
    [
        "The Smith family baked 40 cupcakes and sold 25 of them. How many are left?",
        "The Treasure hunt team hid 380 candies and found 132 of them. How many are still hidden?",
        "Greenville High School holds graduation in their Sports Arena, which has 400 seats; 250 are taken. How many are free?",
        "Warrior Sir Alex slew 20 trolls and Ann slew 15. How many trolls did they slay?",
        "Comet Halley comes back every 76 years. Ann saw the comet at 12. How old is Ann when it next comes back?",
        "Lake Tahoe is 22 miles long. Ann swims 3 miles of the lake a day. How many days does Ann take to cross it?",
    ],
)
def test_a_name_inside_a_longer_name_is_never_relabelled(question):
    """Class: a word the name data lists as a first name, written as a family's, a team's or a place's name, or
    as a title before a name ("the Smith family", "The Treasure hunt team", "Sports Arena", "Sir Alex"), or after
    a noun that opens the sentence ("Comet Halley ... the comet", "Lake Tahoe ... the lake"). A
    relabelled point made a question no one asks of it ("The Maria hunt team"): in seed 1 of the GSM-Symbolic
    bench, most of the 47 probe answers the scripted model could not read were such points, each a model call.
    A person's own name in the same question is still relabelled."""
    request = Request(question)
    problem = parse_problem(request)
    renamed = set()
    for point in WordCorroboration().relabels(request, problem):
        new = parse_problem(point)
        renamed |= {a for a, b in zip(problem.names, new.names, strict=True) if a != b}
    assert renamed == ({"Ann"} if "Ann" in problem.names else set())


def test_the_relabelled_points_rename_the_people_into_every_pattern_of_genders():
    """Class: the points the engine asks a pattern of genders at. They rename the people, wherever the question
    names them (possessives too), into every pattern of genders, one person first, then two at once (an answer
    where only Ann is renamed says nothing of a question where Ann and Tom both are), then one into another name of
    their own; never into a name given to both (which would vouch for itself only). Every number and every other
    word is kept. A word that is no first name ("Costco") or a name whose gender a word before it says ("his
    sister Chris") is not renamed, and no new name is one the question holds already, nor two people one name."""
    question = "Ann and Tom shop at Costco with his sister Chris. Ann's cart holds 10 apples and Tom's 7. She gives him 3. How many apples does Tom have now?"
    request = Request(question)
    problem = parse_problem(request)
    points = WordCorroboration().relabels(request, problem)
    first_turn: list[tuple[frozenset[str], str]] = []
    for point in points:
        new = parse_problem(point)
        assert new.values == problem.values and new.template == problem.template
        changed = [(a, b) for a, b in zip(problem.names, new.names, strict=True) if a != b]
        assert changed and all(b not in problem.names for _, b in changed)
        assert len({b for _, b in changed}) == len(changed)
        assert {a for a, _ in changed} <= {"Ann", "Tom"}  # not Costco, not Chris
        if len(first_turn) < 5:
            first_turn.append((frozenset(a for a, _ in changed), pattern(new)))
    at = problem.names.index
    genders = [(p.split("=")[1].split(",")[at("Ann")], p.split("=")[1].split(",")[at("Tom")]) for _, p in first_turn]
    # Ann (f) and Tom (m): each alone into the other gender, then both, then each into another name of their own
    assert [sorted(who) for who, _ in first_turn] == [["Ann"], ["Tom"], ["Ann", "Tom"], ["Ann"], ["Tom"]]
    assert genders == [("m", "m"), ("f", "f"), ("m", "f"), ("f", "m"), ("f", "m")]
    assert len(points) == 2 * len(first_turn)  # then all of it with other new names

    # never into a name a reader may take for the same person as one the question holds (Daniel beside Dan; a helper)
    question = "Dan and Mark each have 10 stickers. He gives 3 of his to him. How many does Mark have now?"
    request = Request(question)
    problem = parse_problem(request)
    given = {n for point in WordCorroboration().relabels(request, problem) for n in parse_problem(point).names}
    assert given and not given & {"Daniel", "Maria"}  # Maria shares "Mar" with Mark


def test_an_agreement_vouches_for_the_genders_only_where_no_two_quantities_are_alike():
    """Class: two people who hold the same amount. A step handed to the other person there takes the same value,
    so an agreement at such a point says nothing of whom "she" means: the genders' slot is vouched for only at a
    point where every quantity has a value of its own."""
    corroboration = WordCorroboration()
    # nor where an amount the answer computes equals a quantity (Tom's 7 + 3 is Ann's 10)
    for values, vouches in (((10, 10, 3), False), ((10, 7, 3), False), ((10, 6, 3), True)):
        a, b, c = values
        problem = parse_problem(Request(f"Ann has {a} stickers and Tom has {b}. She gives him {c}. How many does Tom have now?"))
        steps = [Step(0, f"{b} + {c} = {b + c}\n#### {b + c}")]
        assert (pattern(problem) in corroboration.vouched(problem, steps, steps)) is vouches

    # one computation written twice in a line is no coincidence: a GSM8K annotation in another order than its
    # expression, a product written "2(7)"; two computations that result alike are (the cook's 4 bags of 5 apples
    # beside 2 boxes of 10), and so is one computed in two lines
    problem = parse_problem(Request("Ann has 10 stickers and Tom has 7. She gives him 3. How many does Tom have now?"))
    for text, vouches in (
        ("Tom has 7 + 3 = <<3+7=10>>10.\n#### 10", False),  # 10 is Ann's quantity
        ("She has 2/3*9 = <<9*2/3=6>>6 left.\nHe has 7 + 6 = <<7+6=13>>13.\n#### 13", True),
        ("Twice his: 2(7) = 14 and 2*7 = 14.\n14 - 3 = 11\n#### 11", True),
        ("He has 2 * 6 = 12 and she has 4 * 3 = 12.\n12 - 3 = 9\n#### 9", False),
        ("He has 2 * 7 = 14.\nShe has 7 * 2 = 14.\n14 - 3 = 11\n#### 11", False),  # in two lines: two steps
    ):
        steps = [Step(0, text)]
        assert (pattern(problem) in corroboration.vouched(problem, steps, steps)) is vouches, text


# names as a careful reader reads them; the name data gives Luca, Claude, Maxime and Einstein no gender (absent, or
# too rare), and Carol and Kelly none (given to men too, more than 5 in 100)
READER_F = {"Ann", "Sue", "Eva", "Kate", "Lena", "Bea", "Maria", "Olivia", "Sofia", "Carol", "Kelly"}
READER_M = {"Tom", "Bob", "Jim", "James", "David", "Daniel", "Luca", "Claude", "Maxime", "Einstein"}
GIVES_HER = (
    "{a_name} has {a} stickers and buys {b} more. {b_name} has {c} stickers. {b_name} gives {d} of her stickers to "
    "the teacher. How many more stickers does {a_name} have than {b_name} now?"
)
GIVES_HER_READ = re.compile(r"(\w+) has (\d+) stickers and buys (\d+) more\. (\w+) has (\d+) stickers\. \4 gives (\d+)")


def _gives_her(a_name: str, a: int, b: int, b_name: str, c: int, d: int) -> tuple[str, int]:
    """ "her stickers" are the giver's own, unless a reader reads the giver as a man: then they are the other
    person's (the one woman named)."""
    total = a + b
    if b_name not in READER_M:
        left = c - d
        return (
            f"{a_name} has {a} + {b} = {total}.\n{b_name} keeps {c} - {d} = {left}.\n{total} - {left} = {total - left}\n#### {total - left}",
            total - left,
        )
    kept = total - d
    return (
        f"{a_name} has {a} + {b} = {total}.\n{a_name} keeps {total} - {d} = {kept}.\n{kept} - {c} = {kept - c}\n#### {kept - c}",
        kept - c,
    )


def test_a_name_of_no_clear_gender_stands_for_itself():
    """Class: a word of one gender whose meaning turns on a name the name data cannot tell, while a reader can
    ("Luca gives 4 of her stickers": Luca is a man to a reader, so they are Ann's; the data lacks Luca, and gives
    Carol to men too). A relabelled point into a name given to both ("Alex") once vouched for every such name (a
    helper's grid: 19 of 25 served wrong). Such a name now stands for itself in the pattern of genders; names the
    data reads one way keep being served."""

    def model(spec: GenerationSpec) -> str:
        m = GIVES_HER_READ.search(spec.prompt)
        assert m is not None, spec.prompt
        return _gives_her(m[1], int(m[2]), int(m[3]), m[4], int(m[5]), int(m[6]))[0]

    engine = engine_for(model, probes=EngineConfig().corroboration_probes)
    grid = [("Ann", 20, 5, "Sue", 9, 3), ("Ann", 22, 6, "Eva", 8, 4), ("Ann", 22, 6, "Luca", 8, 4)]
    grid += [("Eva", 30, 7, "Claude", 11, 4), ("Lena", 18, 9, "Maxime", 7, 5), ("Kate", 26, 3, "Einstein", 12, 5)]
    grid += [("Ann", 24, 8, "Alex", 9, 4), ("Bea", 21, 6, "Carol", 10, 3), ("Sue", 27, 4, "Kelly", 11, 6)]
    asks = [
        (GIVES_HER.format(a_name=p, a=a, b=b, b_name=q, c=c, d=d), Fraction(_gives_her(p, a, b, q, c, d)[1]))
        for p, a, b, q, c, d in grid
    ]
    served, wrong = tally(engine, asks)
    assert wrong == 0
    assert served >= 1  # the women's names the data reads so (Eva) are re-derived


STICKERS_GIVE = {
    "en": (
        "{a_name} has {a} stickers and {b_name} has {b} stickers. She gives him {d} stickers. How many more stickers "
        "does {a_name} have than {b_name} now?",
        r"(\w+) has (\d+) stickers and (\w+) has (\d+) stickers\. She gives him (\d+)",
    ),
    "es": (
        "{a_name} tiene {a} pegatinas y {b_name} tiene {b} pegatinas. Ella le da {d} pegatinas a él. ¿Cuántas "
        "pegatinas más que {b_name} tiene {a_name} ahora?",
        r"(\w+) tiene (\d+) pegatinas y (\w+) tiene (\d+) pegatinas\. Ella le da (\d+)",
    ),
}


def _gives(a_name: str, a: int, b_name: str, b: int, d: int, first_gives: bool) -> tuple[str, int]:
    """The answer to "how many more does the first have than the second" after one gives the other ``d``."""
    if first_gives:
        x, y = a - d, b + d
        lines = f"{a_name} has {a} - {d} = {x}.\n{b_name} has {b} + {d} = {y}."
    else:
        x, y = a + d, b - d
        lines = f"{a_name} has {a} + {d} = {x}.\n{b_name} has {b} - {d} = {y}."
    return f"{lines}\n{x} - {y} = {x - y}\n#### {x - y}", x - y


def _given_grid(template: str, read: str, solve: Callable[..., tuple[str, int]], grid: list[tuple]) -> tuple[int, int]:
    """(served, wrong) over ``grid`` (first name, amount, second name, amount, given), asked in order of an engine
    whose model answers by ``solve``."""

    def model(spec: GenerationSpec) -> str:
        m = re.search(read, spec.prompt)
        assert m is not None, spec.prompt
        return solve(m[1], int(m[2]), m[3], int(m[4]), int(m[5]))[0]

    engine = engine_for(model, probes=EngineConfig().corroboration_probes)
    asks = [(template.format(a_name=p, a=a, b_name=q, b=b, d=d), Fraction(solve(p, a, q, b, d)[1])) for p, a, q, b, d in grid]
    return tally(engine, asks)


def _she_gives_him(a_name: str, a: int, b_name: str, b: int, d: int) -> tuple[str, int]:
    """The one a reader can read as a woman gives to the other; where both or neither can be, the first named
    gives (the convention a model may follow for a question that has no reading)."""
    first = not (b_name in READER_F and a_name not in READER_F) and a_name not in READER_M or b_name in READER_M
    return _gives(a_name, a, b_name, b, d, first)


@pytest.mark.parametrize("language", sorted(STICKERS_GIVE))
def test_a_relabelled_point_with_no_reading_vouches_for_no_name_of_no_clear_gender(language):
    """Class: a first question whose person has a name the data gives to both genders and a reader reads as a
    woman ("Carol", then "She gives him"). Renaming the other person into "Maria" makes a question with no reading
    ("Carol and Maria. She gives him 4"); a model that answers it by a convention (the first named gives) agrees,
    and that pattern once served every name of no clear gender in first place: "Luca and Ann. She gives him 6",
    where only Ann can give, was served as if Luca gave (a helper's grid: 10 of 10 served wrong, English and
    Spanish)."""
    grid = [("Carol", 32, "Tom", 18, 4), ("Carol", 30, "Bob", 16, 5), ("Luca", 34, "Ann", 20, 6)]
    grid += [("Einstein", 36, "Sue", 22, 3), ("Claude", 40, "Kate", 25, 7), ("Maxime", 29, "Lena", 13, 5)]
    grid += [("Alex", 33, "Ann", 14, 6)]
    served, wrong = _given_grid(*STICKERS_GIVE[language], _she_gives_him, grid)
    assert wrong == 0
    assert served >= 1  # Carol and another man: the same names' genders, new numbers (asked second: a caller's
    # answer that disagrees with the entry, under other genders, may leave it serving its own question only)


def test_a_pronoun_that_begins_a_sentence_is_not_relabelled():
    """Class: "Ella", "Elle", "Sie" beginning a sentence of a Spanish, French or German question: the parser reads a
    capitalised word as a name, and the name data knows Ella. It is "she" there: never renamed by a relabelled
    point, and no woman named for the check of a word no named person's gender has."""
    question = "Tom tiene 10 pegatinas y Bob tiene 7. Ella le da 3 a Bob. ¿Cuántas pegatinas tiene Bob ahora?"
    request = Request(question)
    problem = parse_problem(request)
    assert "Ella" in problem.names
    for point in WordCorroboration().relabels(request, problem):
        assert "Ella le da" in point.prompt
    renamed = parse_problem(Request(question.replace("Tom", "Jim")))
    assert pattern(renamed) in WordCorroboration().varied(problem, renamed)  # "Ella" is a woman none names


HE_GIVES_HER = {
    "en": (
        "{a_name} has {a} stickers and {b_name} has {b} stickers. He gives her {d} stickers. How many more stickers "
        "does {a_name} have than {b_name} now?",
        r"(\w+) has (\d+) stickers and (\w+) has (\d+) stickers\. He gives her (\d+)",
    ),
    "es": (
        "{a_name} tiene {a} pegatinas y {b_name} tiene {b} pegatinas. Él le da {d} pegatinas a ella. ¿Cuántas "
        "pegatinas más que {b_name} tiene {a_name} ahora?",
        r"(\w+) tiene (\d+) pegatinas y (\w+) tiene (\d+) pegatinas\. Él le da (\d+)",
    ),
}
# names the data gives women (95% and more) that a question may give a man: only the man can be "he"
MEN_HERE = {"Evelyn", "Beverly", "Shirley"}


def _he_gives_her(a_name: str, a: int, b_name: str, b: int, d: int) -> tuple[str, int]:
    """The one a reader can read as the man gives: a man's name, else a name this question makes a man's; the
    first named where neither or both are (a convention for a question with no reading)."""
    rank = {name: 2 if name in READER_M else 1 if name in MEN_HERE else 0 for name in (a_name, b_name)}
    return _gives(a_name, a, b_name, b, d, rank[a_name] >= rank[b_name])


@pytest.mark.parametrize("language", sorted(HE_GIVES_HER))
def test_a_word_of_a_gender_no_named_person_has_vouches_for_no_pattern(language):
    """Class: a woman's name by the data that a question makes a man's ("Ann and Evelyn. He gives her 5": only
    Evelyn can be he), and a relabelled point with no reading ("Maria and Ann. He gives her 4", a man renamed). An
    answer by a convention agreed there, and an answer to "Evelyn and Ann" agreed too, and either vouched for
    two women's names: "Ann and Evelyn" was served as if Ann gave (a helper's grids: 28 served wrong of 36, in six
    languages). Where a word of one gender is of a gender none of the named people has by the task's reading, an
    agreement vouches for no pattern of genders."""
    grid = [("Tom", 20, "Ann", 9, 4), ("Bob", 26, "Eva", 12, 5), ("Evelyn", 25, "Ann", 12, 3)]
    grid += [("Ann", 22, "Evelyn", 8, 5), ("Sue", 24, "Beverly", 7, 3), ("Kate", 21, "Shirley", 10, 6)]
    served, wrong = _given_grid(*HE_GIVES_HER[language], _he_gives_her, grid)
    assert wrong == 0
    assert served >= 1  # a man and a woman renamed alike (Bob and Eva)
    assert unmatched(parse_problem(Request(HE_GIVES_HER[language][0].format(a_name="Ann", a=22, b_name="Evelyn", b=8, d=5))))


@pytest.mark.parametrize(
    "question, name, renamed, follows",
    [
        ("Ana tiene 20 pegatinas y Tom tiene 9. Ella le da 4 pegatinas a Tom. ¿Cuántas tiene Tom ahora?", "Ella", "Sue", False),
        ("Ana tem 20 adesivos e Tom tem 9. Ela dá 4 adesivos ao Tom. Quantos adesivos o Tom tem agora?", "Ela", "Sue", False),
        ("Ann har 20 klistermärken och Tom har 9. Hon ger 4 klistermärken till Tom. Hur många har Tom nu?", "Hon", "Bob", False),
        ("Ana tiene 20 pegatinas y Tom tiene 9. Sue le da 4 pegatinas a Tom. ¿Cuántas tiene Tom ahora?", "Sue", "Ella", False),
        # a line's bullet or dialogue dash opens a sentence too (a helper's grids: 42 served wrong of 111)
        ("Ana tiene 20 pegatinas y Tom tiene 9.\n- Ella le da 4 pegatinas a Tom.\n¿Cuántas tienen ahora?", "Ella", "Sue", False),
        (
            "Lena har 20 klistermärken och Bob har 9.\n— Hon ger 4 klistermärken till Bob. Hur många har Bob nu?",
            "Hon",
            "Sue",
            False,
        ),
        (
            "Ella has 20 stickers and Tom has 9. Tom gives Ella 4 stickers. How many stickers does Ella have now?",
            "Ella",
            "Sue",
            True,
        ),
        # a sentence plainly in English (GSM-Symbolic's "Ella's dog has 14 puppies"), or with one word of it in a
        # line with three
        ("Ella's dog has 14 puppies, 7 of which have spots. Joe's has 18. How many puppies are there?", "Ella", "Sue", True),
        (
            "Ella has 25 light orange spools of thread and 85 dark purple spools. What percent of her spools are orange?",
            "Ella",
            "Sue",
            True,
        ),
        (
            "Please answer the following question with the number only: L'Ana té 10 pomes. Ella en dóna 4 a en Tom. "
            "Quantes pomes té l'Ana ara?",
            "Ella",
            "Maria",
            False,
        ),
        ("Ella buys 4 apples. Tom buys 9. How many apples do Ella's friends have?", "Ella", "Sue", True),
        # a sentence with no word of English that opens its paragraph, where every other sentence of the paragraph
        # holds one (GSM-Symbolic's "Ella is required to submit a 38-page dissertation."); not where one holds none
        (
            "Ella is required to submit a 38-page dissertation. She already finished writing 1/2 of the dissertation. "
            "How many pages does she have left to write?",
            "Ella",
            "Sue",
            True,
        ),
        (
            "Ana tiene 10 manzanas. Ella le da 4 a Tom. Answer with the number only and show how you got there.",
            "Ella",
            "Sue",
            False,
        ),
        # ... nor where it does not open its paragraph, or where someone is named before it, whom "she" may stand
        # for (helper-78, on a first version that read the line only: 51 served wrong of 14 grids)
        (
            "Ana tiene 20 manzanas y Tom tiene 9.\nElla le da 4 manzanas a Tom. How many more apples does Ana have than Tom now?",
            "Ella",
            "Sue",
            False,
        ),
        (
            "Ana tiene 20 manzanas y Tom tiene 9.\n\nElla le da 4 manzanas a Tom. How many more apples does Ana have "
            "than Tom now?",
            "Ella",
            "Sue",
            False,
        ),
        (
            "Ana has 20 apples and Tom has 9 apples.Ella le da 4 manzanas a Tom. How many more apples does Ana have "
            "than Tom now?",
            "Ella",
            "Sue",
            False,
        ),
        (
            "Lena har 20 äpplen och Tom har 9.\nHon ger 4 äpplen till Tom. How many more apples does Lena have than Tom now?",
            "Hon",
            "Alex",
            False,
        ),
        # any other language keeps the word "she" or "he": one the task lists no small words of (Catalan), a
        # telegraphic question, an English instruction around it (a helper: 4 or 5 served wrong of 7 in ca, es,
        # fr, pt, sv, where a first version looked for small words of the word's own languages)
        ("Ella compra 4 manzanas. Tom compra 9. ¿Cuántas compra Tom?", "Ella", "Sue", False),
        ("Ana kauft 4 Äpfel und Tom 9. Er gibt Ana 2. Wie viele hat Tom?", "Er", "Bob", False),
        ("L'Ana té 10 pomes. Ella en dóna 4 a en Tom. Quantes pomes té l'Ana ara?", "Ella", "Maria", False),
        ("Ana compra 10 manzanas. Ella regala 4 manzanas a Tom. Manzanas restantes de Ana ahora?", "Ella", "Sara", False),
        ("Ana: 10 pommes. Elle offre 4 pommes à Tom. Pommes restantes chez Ana maintenant?", "Elle", "Julia", False),
        ("Ana possui 10 maçãs. Ela dá 4 maçãs a Tom. Maçãs de Ana agora?", "Ela", "Sofia", False),
        ("Ana: 10 äpplen. Hon ger Tom 4 äpplen. Antal äpplen hos Ana nu?", "Hon", "Erik", False),
        # Spanish that quotes speech: "he comprado", "has comprado" (I have, you have) are no English (a helper: 6
        # served wrong of 13)
        (
            "Ana tiene 10 manzanas. Ella le dice a Tom: he comprado 4 manzanas, ¿y cuántas has comprado tú? Tom tiene 7 "
            "manzanas. ¿Cuántas manzanas tienen Ana y Tom en total?",
            "Ella",
            "Sue",
            False,
        ),
        (
            "Solve the problem and give the answer with the number only.\n\nL'Ana té 10 pomes. Ella en dóna 4 a en "
            "Tom. Quantes pomes té l'Ana ara?",
            "Ella",
            "Maria",
            False,
        ),
    ],
)
def test_a_pronoun_read_as_a_name_is_not_renamed(question, name, renamed, follows):
    """Class: "Ella", "Ela", "Hon" beginning a sentence are "she", which the parser reads as a name (capitalised,
    and the name data knows them). Renamed into a person ("Sue le da 4"), another person gives, and a rename that
    keeps the gender needed no second answer (a helper's grids: 28 served wrong of 35, Spanish, Portuguese,
    Swedish). The gate refuses a rename from or into such a word, unless the question writes it capitalised inside a
    sentence too, where it names someone ("Tom gives Ella 4": GSM-Symbolic's Ella), or every sentence it begins is
    plainly English ("Ella's dog has 14 puppies, 7 of which have spots"; or with no word of English itself, "Ella
    is required to submit a 38-page dissertation.", where it opens its paragraph, no one is named before it, and
    every other sentence of the paragraph holds one)."""
    old = parse_problem(Request(question))
    new = parse_problem(Request(question.replace(name, renamed)))
    assert name in old.names and renamed in new.names
    verdict = WordGate().compatible(old, new)
    assert verdict.ok is follows and (follows or "pronoun" in verdict.reason)


@pytest.mark.parametrize(
    "names, renamed, follows",
    [
        (("Katherine", "Ann", "Kate"), ("Margaret", "Ann", "Lisa"), False),  # one person becomes two
        (("Margaret", "Ann", "Lisa"), ("Elizabeth", "Sue", "Liz"), False),  # two people become one
        (("James", "Eva", "Jim"), ("Peter", "Eva", "Paul"), False),
        (("Katherine", "Ann", "Kate"), ("Katherine", "Sue", "Kate"), True),  # the two forms kept
        (("Margaret", "Ann", "Lisa"), ("Olivia", "Sue", "Emma"), True),  # strangers stay strangers
        # forms of other languages the data lacks, which share three letters (a helper's grid: 26 served wrong of 29)
        (("Fernando", "Ana", "Nando"), ("Juan", "Ana", "Pedro"), False),
        (("Juan", "Ana", "Pedro"), ("Johannes", "Ana", "Hans"), False),
        (("Carlos", "Ana", "Miguel"), ("Friedrich", "Ana", "Fritz"), False),
    ],
)
def test_a_person_named_in_two_forms_is_not_renamed(names, renamed, follows):
    """Class: one person named twice ("Katherine has 20 stickers ... Ann gives Kate 4"), or two people whose names
    are forms of one ("Elizabeth" and "Liz"). Each name is a slot, so a rename that keeps every gender needed no
    second answer, and gave to another person (a helper's grid: 7 served wrong of 8). A rename of either name of
    such a pair, in either question, goes to the model (the pairs of the ``nicknames`` package, and first names
    that share three letters in a row)."""
    question = "{0} has 20 stickers and {1} has 9. {1} gives {2} 4 stickers. How many stickers does {0} have now?"
    old = parse_problem(Request(question.format(*names)))
    new = parse_problem(Request(question.format(*renamed)))
    assert old.names == names and new.names == renamed
    assert WordGate().compatible(old, new).ok is follows


GENDER_RENAMES = [
    # (question, the name renamed, its new name, whether the rename follows)
    # a word of one gender among people (helpers' probes: 9 of 12, then 49 and 175 served wrong)
    ("Ann and Tom each have 10 stickers. She gives 3 of hers to him. How many does Tom have now?", "Ann", "Sue", True),
    ("Ann and Tom each have 10 stickers. She gives 3 of hers to him. How many does Tom have now?", "Ann", "Jim", False),
    ("Ann and Tom each have 10 stickers. She gives 3 of hers to him. How many does Tom have now?", "Ann", "Alex", False),
    (
        "Ann and Tom each have 10 stickers. The schoolgirl gives 3 to the schoolboy. How many does Tom have now?",
        "Ann",
        "Jim",
        False,
    ),
    ("Ann and Tom each have 10 stickers. The landlady gives 3 to the tenant. How many does Tom have now?", "Ann", "Jim", False),
    # one person named, and one the question does not name (any role: a cook, "the latter")
    ("Ann and the cook each have 10 stickers. He gives 3 of his to her. How many does Ann have now?", "Ann", "Tom", False),
    # ... where a pronoun's gender is no named person's, not even in kind: whom it means, the task cannot read
    ("Ann and the cook each have 10 stickers. He gives 3 of his to her. How many does Ann have now?", "Ann", "Sue", False),
    ("Tom and the cook each have 10 stickers. He gives 3 of his to the cook. How many does Tom have now?", "Tom", "Jim", True),
    # a name the data gives no gender: a place, a famous surname, a word no one is named
    ("Curie and Tom each have 12 stickers. She gives 4 of hers to him. How many does Tom have now?", "Curie", "Einstein", False),
    # a pronoun, a boy or a man no named person's gender fits, by the task's reading (Grace and Evelyn read as
    # women, where the question makes Evelyn the boy: a fourth helper, 48 served wrong)
    ("Ann and Tom each have 12 stickers. He gives 4 of his to her. How many does Ann have now?", "Tom", "Evelyn", False),
    ("Evelyn and Ann each have 12 stickers. The boy gives 4 to the girl. How many does Ann have now?", "Evelyn", "Grace", False),
    ("Evelyn y Ann tienen 12 pegatinas cada uno. Él le da 4 a ella. ¿Cuántas tiene Ann ahora?", "Evelyn", "Grace", False),
    # a gender the question gives the name by a word before it: a title, what the person is to another
    ("Prince Chris slew 45 goblins. Prince Lucas slew twice as many as he did. How many did Lucas slay?", "Chris", "Alex", True),
    ("Tom and his sister Chris each have 10 stickers. She gives 3 to him. How many does Tom have now?", "Chris", "Alex", True),
    # a relation after a name's possessive says the gender too (a helper: "Ann's sister James" was a man)
    ("Tom and Eve's sister Chris each have 10 stickers. She gives 3 to him. How many does Tom have now?", "Chris", "Alex", True),
    # a relation word, then a comma: a list of people, not the name's gender (a helper's grid: 22 of 22 served wrong)
    (
        "Ann invited her aunt, Sue and the cook to lunch. Sue brought 12 cookies and Ann brought 20. She gave 4 of hers "
        "to Ann. How many more cookies does Ann have than Sue now?",
        "Sue",
        "Tom",
        False,
    ),
    ("Chris and Tom each have 10 stickers. She gives 3 of hers to him. How many does Tom have now?", "Chris", "Alex", False),
    # ... not across a sentence's end ("their mom. Ann and Tom sit down")
    (
        "Ann and Tom each have 12 stickers, and so does their dad. Ann and Tom also visit their mom. Tom and Ann sit "
        "down, and he gives 4 of his stickers to her. How many does Ann have now?",
        "Tom",
        "Alex",
        False,
    ),
    # another language: every rename keeps a clear gender, whatever words it says
    ("Ann en Tom hebben elk 12 stickers. Ze geeft hem 4. Hoeveel heeft Ann nu? Is dat meer of minder?", "Ann", "Lisa", True),
    ("Ann en Tom hebben elk 12 stickers. Ze geeft hem 4. Hoeveel heeft Ann nu? Is dat meer of minder?", "Ann", "Jim", False),
    ("Ann und Tom besitzen je 10 Sticker. Sie gibt ihm 3 davon. Wie viele besitzt Tom jetzt?", "Ann", "Marie", True),
    # words of one gender are an open class ("the girlfriend", "la ragazza", "Ella le da 2 a él": a fourth helper,
    # 104 served wrong past a list): a rename keeps a gender the task can tell wherever the question says none
    (
        "Ann and Tom each have 10 stickers. The girlfriend gives 3 to the boyfriend. How many does Tom have now?",
        "Ann",
        "Jim",
        False,
    ),
    (
        "Ann y Tom tienen 10 pegatinas cada uno. Ella le da 3 a él. ¿Cuántas tiene Tom? Please show the steps and the total.",
        "Ann",
        "Jim",
        False,
    ),
    ("Ann has 10 stickers and Tom has 7 stickers. How many stickers do they have together?", "Ann", "Sue", True),
    ("Ann has 10 stickers and Tom has 7 stickers. How many stickers do they have together?", "Ann", "Alex", False),
    ("Costco sells Ann 4 apples at $3 each. How many dollars does Ann spend?", "Costco", "Walmart", False),
]


@pytest.mark.parametrize(("question", "name", "renamed", "follows"), GENDER_RENAMES)
def test_a_word_of_one_gender_keeps_each_renamed_persons_gender(question, name, renamed, follows):
    """Class: a word of one gender (a pronoun, "the schoolgirl", "the landlady", "la ragazza") that tells people
    apart, named or not ("the cook"). Which step is whose follows from the names: a rename keeps it only when each
    renamed person keeps a gender the task can tell, by a word before the name ("Prince Chris", "his sister Chris")
    or by the first name's data. Any other rename (into another gender, into a name given to both genders,
    "Alex", or known as no one's first name, "Einstein", "Costco") needs a second model answer at names of the new
    genders (the slot ``genders=...``): the first answer alone is not re-derived for it. Such words are an open
    class in every language: every question is read as if it said one."""
    old = parse_problem(Request(question))
    new = parse_problem(Request(question.replace(name, renamed)))
    assert old.names != new.names and WordGate().compatible(old, new).ok
    needs = {s for s in WordCorroboration().varied(old, new) if s.startswith("genders=")}
    assert needs == (set() if follows else {pattern(new)}), question


# ------------------------------------------------------------------------------ a number equal to a sum of others
STICKERS = (
    "{name} has {a} stickers, Tom has {b} stickers and Bob has {c} stickers. Each sticker is worth ${p}. How much "
    "are all their stickers worth?"
)
STICKERS_READ = re.compile(
    r"(\w+) has (\d+) stickers, \w+ has (\d+) stickers and \w+ has (\d+) stickers\. Each sticker is worth \$(\d+)"
)

# when a model skips Ann's stickers, a number that only happens to equal Tom's and Bob's together: at the first
# question only; whenever it equals their sum (a misreading: "all their stickers" as Tom's and Bob's); whenever it
# does and every number is round (probe values keep their grain)
SKIPS: dict[str, tuple[Callable[[int, int, int, int], bool], tuple[int, int, int, int], list[tuple[str, int, int, int, int]]]] = {
    "first-only": (lambda k, a, b, c: k == 1, (12, 5, 7, 3), [("Ann", 12, 5, 7, 3), ("Eve", 12, 5, 7, 3), ("Sue", 9, 4, 5, 3)]),
    "when-it-sums": (lambda k, a, b, c: a == b + c, (12, 5, 7, 3), [("Eve", 12, 5, 7, 3), ("Sue", 9, 4, 5, 3)]),
    "round-and-sums": (
        lambda k, a, b, c: a == b + c and a % 10 == b % 10 == c % 10 == 0,
        (50, 20, 30, 4),
        [("Ann", 50, 20, 30, 4), ("Eve", 50, 20, 30, 4), ("Ann", 13, 6, 7, 4), ("Sue", 90, 40, 50, 3)],
    ),
}


@pytest.mark.parametrize("case", sorted(SKIPS))
def test_a_number_that_only_happens_to_sum_others_hides_no_skipped_step(case):
    """Class: a number that equals the sum of others in its unit without being their total (Ann's 12 stickers,
    beside Tom's 5 and Bob's 7), left aside by a model that skipped a step (Ann's stickers never counted), at the
    first question only, whenever the sum holds, or whenever it holds and every number is round (as probe values
    keep their grain). A session read such numbers as totals a step may leave aside (GSM-Symbolic's "walks 32 feet,
    14 on the beach and 18 on the sidewalk"); a helper served 1, 9 and 9 wrong in grids of 10 or 11, and the
    change was withdrawn. An answer that never uses a number of the question is not stored: none is served."""
    skips, (a0, b0, c0, p0), grid = SKIPS[case]
    calls: list[str] = []

    def model(spec: GenerationSpec) -> str:
        calls.append(spec.prompt)
        m = STICKERS_READ.search(spec.prompt)
        assert m is not None, spec.prompt
        a, b, c, p = (int(x) for x in m.groups()[1:])
        if skips(len(calls), a, b, c):
            bp, cp = b * p, c * p
            return f"{b} * {p} = <<{b}*{p}={bp}>>{bp}\n{c} * {p} = <<{c}*{p}={cp}>>{cp}\n{bp} + {cp} = <<{bp}+{cp}={bp + cp}>>{bp + cp}\n#### {bp + cp}"
        s = a + b + c
        return f"{a} + {b} + {c} = <<{a}+{b}+{c}={s}>>{s} stickers\n{s} * {p} = <<{s}*{p}={s * p}>>{s * p}\n#### {s * p}"

    engine = engine_for(model)
    engine.run(Request(STICKERS.format(name="Ann", a=a0, b=b0, c=c0, p=p0)))
    assert background.drain(10)
    wrong = 0
    for name, a, b, c, p in grid:
        out = engine.run(Request(STICKERS.format(name=name, a=a, b=b, c=c, p=p)))
        background.drain(10)
        wrong += out.trace.backend_calls == 0 and not out.text.endswith(f"#### {(a + b + c) * p}")
    assert wrong == 0


THRESHOLD = "Customers who spend ${t} get a ${g} discount. {name} buys {n} lamps at ${p} each. How much does {name} pay?"
THRESHOLD_READ = re.compile(r"spend \$(\d+) get a \$(\d+) discount\. (\w+) buys (\d+) lamps at \$(\d+)")


def threshold_answer(spec: GenerationSpec) -> str:
    """Right for any numbers: the offer applies over the threshold, as the answer says in words."""
    m = THRESHOLD_READ.search(spec.prompt)
    assert m is not None, spec.prompt
    t, g, name, n, p = int(m[1]), int(m[2]), m[3], int(m[4]), int(m[5])
    c = n * p
    if c > t:
        return (
            f"{name} spends {n} * {p} = <<{n}*{p}={c}>>{c} dollars.\nThis qualifies for the ${t} offer, so {name} "
            f"pays {c} - {g} = <<{c}-{g}={c - g}>>{c - g} dollars.\n#### {c - g}"
        )
    return f"{name} spends {n} * {p} = <<{n}*{p}={c}>>{c} dollars.\nThat is not enough for the ${t} offer.\n#### {c}"


def test_a_condition_in_words_on_a_number_that_happens_to_sum_others_is_never_re_derived():
    """Class: a threshold the answer reads in words ("qualifies for the $55 offer") whose value only happens to equal
    the sum of two others in its unit ($15 discount + $40 lamp). A helper got 79 of 99 served wrong (en; es and de
    alike) from a model that is always right, when a withdrawn version took such a number for a total and
    re-derived the answer wherever the sum held, across the threshold."""
    engine = engine_for(threshold_answer)
    engine.run(Request(THRESHOLD.format(t=55, g=15, name="Ann", n=3, p=40)))
    assert background.drain(10)
    grid = [(15, 10), (20, 12), (30, 25), (25, 40), (10, 50)]
    # two lamps, the threshold their discount and price together: the offer applies only where 2p > g + p
    asks = [(THRESHOLD.format(t=g + p, g=g, name="Eve", n=2, p=p), Fraction(2 * p - g if p > g else 2 * p)) for g, p in grid]
    _, wrong = tally(engine, asks)
    assert wrong == 0


# ------------------------------------------------------------------------------ a value that wraps around
WRAPS = {
    # an hour of the day written "18h": the hours wrap at 24
    "clock-h": (
        "A train leaves Lyon at {a}h and the trip takes {b} hours. At what hour does {n}'s train arrive?",
        r"at (\d+)h and the trip takes (\d+) hours",
        24,
        0,
    ),
    "clock-hour": (
        "A train leaves at hour {a} and the trip takes {b} hours. At what hour does {n}'s train arrive?",
        r"at hour (\d+) and the trip takes (\d+) hours",
        24,
        0,
    ),
    # a date: June has 30 days
    "date": (
        "{n}'s holiday starts on June {a} and lasts {b} days. On what date in June or July does it end?",
        r"June (\d+) and lasts (\d+) days",
        30,
        -1,
    ),
    # the same date in other languages (a helper: 3 or 4 served wrong of 7 to 9 in Spanish and German)
    "date-es": (
        "Las vacaciones de {n} empiezan el {a} de junio y duran {b} días. ¿Qué día de junio o julio terminan?",
        r"el (\d+) de junio y duran (\d+) días",
        30,
        -1,
    ),
    "date-de": (
        "{n}s Urlaub beginnt am {a}. Juni und dauert {b} Tage. An welchem Tag im Juni oder Juli endet er?",
        r"am (\d+)\. Juni und dauert (\d+) Tage",
        30,
        -1,
    ),
    "date-fr": (
        "Les vacances de {n} commencent le {a} juin et durent {b} jours. Quel jour de juin ou juillet finissent-elles ?",
        r"le (\d+) juin et durent (\d+) jours",
        30,
        -1,
    ),
    # a heading: 360 degrees
    "heading": (
        "{n}'s ship sails on a heading of {a} degrees, then turns right by {b} degrees. What is the new heading in degrees?",
        r"heading of (\d+) degrees, then turns right by (\d+) degrees",
        360,
        0,
    ),
}
WRAP_GRIDS = {
    "clock-h": [("Ann", 10, 5), ("Eve", 18, 8), ("Gil", 21, 4), ("Sue", 9, 3)],
    "clock-hour": [("Ann", 10, 5), ("Eve", 18, 8), ("Gil", 21, 4), ("Sue", 9, 3)],
    "date": [("Ann", 10, 5), ("Eve", 25, 10), ("Gil", 28, 6), ("Sue", 12, 4)],
    "date-es": [("Ana", 10, 5), ("Eva", 25, 10), ("Gil", 28, 6), ("Sue", 12, 4), ("Ana", 20, 14)],
    "date-de": [("Ana", 10, 5), ("Eva", 25, 10), ("Gil", 28, 6), ("Sue", 12, 4), ("Ana", 20, 14)],
    "date-fr": [("Ana", 10, 5), ("Eva", 25, 10), ("Gil", 28, 6), ("Sue", 12, 4), ("Ana", 20, 14)],
    "heading": [("Ann", 120, 40), ("Eve", 300, 90), ("Gil", 340, 40), ("Sue", 100, 50)],
}


@pytest.mark.parametrize("case", sorted(WRAPS))
def test_a_value_that_wraps_at_a_number_no_question_states_is_never_re_derived(case):
    """Class: an answer that wraps at a number the question never states: an hour of the day ("at 18h", "hour 18":
    24), a date ("June 25", "el 25 de junio", "am 25. Juni": 30 days), a heading (360 degrees). The first answer and the probes stayed below the
    wrap and agreed; a helper got 3 or 4 of 4 to 6 served wrong with a model that is always right ("18 + 8 = 26h").
    The gate reads these as a clock, a calendar and a bearing, whose numbers the model answers."""
    question, read, wrap, offset = WRAPS[case]

    def model(spec: GenerationSpec) -> str:
        m = re.search(read, spec.prompt)
        assert m is not None, spec.prompt
        a, b = int(m[1]), int(m[2])
        t = a + b + offset
        s = f"{a} + {b}" + (f" - {-offset}" if offset else "")
        if t < wrap or (offset and t <= wrap):
            return f"It is {s} = {t}.\n#### {t}"
        return f"{s} = {t}, which wraps past {wrap}, so it is {t} - {wrap} = {t - wrap}.\n#### {t - wrap}"

    def right(a: int, b: int) -> Fraction:
        t = a + b + offset
        return Fraction(t if (t < wrap or (offset and t <= wrap)) else t - wrap)

    engine = engine_for(model)
    _, wrong = tally(engine, [(question.format(n=n, a=a, b=b), right(a, b)) for n, a, b in WRAP_GRIDS[case]])
    assert wrong == 0


CAPS_BY_A_FACT = {
    "june": ("as many days as June has", 30, [(27, 3), (20, 4), (31, 5), (40, 5), (60, 3), (33, 8)]),
    "tour": ("as many days as the Tour de France lasts", 23, [(20, 4), (22, 7), (24, 5), (30, 5), (40, 3), (26, 8)]),
}


@pytest.mark.parametrize("case", sorted(CAPS_BY_A_FACT))
def test_a_cap_set_by_a_fact_the_task_cannot_read_is_never_re_derived(case):
    """Class: an amount that stops growing at a value the question gives only as a fact of the world ("the bill
    never grows once the bike has been out for as many days as June has"). The first question and the probes
    stayed under the cap and agreed; a helper got 72 of 108 served wrong with a model that is always right (and 4
    of 4 with the Tour de France's 23 days). The gate reads "never grows once" without a unit it reads as a limit
    the new numbers may cross, and the month's days as a calendar."""
    fact, cap, grid = CAPS_BY_A_FACT[case]
    question = (
        f"A shop rents a bike for ${{r}} per day. The bill never grows once the bike has been out for {fact}. "
        "{name} rents a bike for {n} days. How much does {name} pay?"
    )
    read = re.compile(r"for \$(\d+) per day.*?(\w+) rents a bike for (\d+) days", re.S)

    model = billing_model(read, lambda n: min(n, cap))

    engine = engine_for(model, probes=4)
    asks = [
        (question.format(name="Ann" if i == 0 else "Bea", n=n, r=r), Fraction(min(n, cap) * r)) for i, (n, r) in enumerate(grid)
    ]
    _, wrong = tally(engine, asks)
    assert wrong == 0


def test_a_dispute_reaches_every_entry_of_the_question_that_re_derives_alike(monkeypatch):
    """Class: two callers' answers to one template stored as entries of their own (the second asked its numbers in
    the other order), then a rule neither showed (the hour wraps past 24). A model answer past it disputed the entry
    it was compared with; the other entry kept serving the unwrapped sum (a helper: 2 served wrong). The answer
    that disputes one entry now disputes every entry of the structure that re-derives to another result there.
    The gate reads "18h" as a clock and refuses such reuse itself; here it is made blind to clocks, and the callers
    bear names the name data does not know, so that each asks the model (names of a gender, or given to both, are
    served from the first answer, wrong past midnight: the clock is the gate's to read)."""
    from stepcache_core.tasks.word import gate as word_gate

    monkeypatch.setattr(word_gate, "_BRANCH", re.compile(r"(?!)"))
    word_gate._unread.cache_clear()
    question = "A train leaves Lyon at {s}h and the trip takes {d} hours. At what hour does {name}'s train arrive?"

    def model(spec: GenerationSpec) -> str:  # always right: the hour wraps past midnight
        m = re.search(r"at (\d+)h and the trip takes (\d+) hours", spec.prompt)
        assert m is not None, spec.prompt
        s, d = int(m[1]), int(m[2])
        if s + d < 24:
            return f"The train arrives at {s} + {d} = {s + d}h.\n#### {s + d}"
        return f"{s} + {d} = {s + d}, which is past midnight, so the hour is {s + d} - 24 = {s + d - 24}.\n#### {s + d - 24}"

    engine = engine_for(model)
    grid = [("Ann", 10, 5), ("Bex", 12, 6), ("Vix", 7, 8), ("Tuk", 20, 7), ("Tiv", 22, 9), ("Yaz", 18, 8), ("Zorro", 21, 4)]
    try:
        _, wrong = tally(engine, [(question.format(name=n, s=s, d=d), Fraction((s + d) % 24)) for n, s, d in grid])
    finally:
        word_gate._unread.cache_clear()
    assert wrong == 0


ALTERNATING = {
    "alternating": "{name} swims {p} laps on the first day, rests on the second day, and keeps alternating like this for {n} days. How many laps does {name} swim in total?",
    "so-on": "{name} swims {p} laps on the first day, rests on the second day, and so on, for {n} days. How many laps does {name} swim in total?",
    "repeats": "{name} swims {p} laps on the first day, rests on the second day, and repeats this for {n} days. How many laps does {name} swim in total?",
    # no word of the gate's: the verifier places a 2 named by "the second ... the remaining" only where a step takes
    # it away
    "remaining": "{name} swims {p} laps on the first day, rests on the second day, and does the same over the remaining days of {n} days. How many laps does {name} swim in total?",
}


@pytest.mark.parametrize("case", sorted(ALTERNATING))
def test_a_pattern_over_the_first_and_second_day_is_never_re_derived(case):
    """Class: a pattern set by "the first day ..., the second day ..." that repeats: the count it ends on turns on
    the parity of the days (25 days: 13 swimming days, not 12.5). Round day counts, which every probe keeps, are
    even, so the probes agreed with "30 * 6 / 2" and an odd caller was served it (a helper: 5 of 7 wrong, 41 of 59
    over many first questions), once "second" named a 2. The gate reads "alternating", "and so on", "repeats this"
    as a branch; and a 2 named by "the second ... the remaining" is one a step may only take away."""
    question = ALTERNATING[case]
    read = re.compile(r"(\w+) swims (\d+) laps on the first day, rests on the second day, .* (\d+) days\. How many")

    def solve(p: int, n: int) -> tuple[str, int]:
        d = (n + 1) // 2
        if n % 2 == 0:
            return f"The laps are {n} * {p} / 2 = {n * p // 2}.\n#### {n * p // 2}", d * p
        return f"Days 1, 3, 5 and so on: {d} of the {n} days.\n{d} * {p} = {d * p}\n#### {d * p}", d * p

    def model(spec: GenerationSpec) -> str:
        m = read.search(spec.prompt)
        assert m is not None, spec.prompt
        return solve(int(m[2]), int(m[3]))[0]

    engine = engine_for(model, probes=EngineConfig().corroboration_probes)
    grid = [("Mia", 6, 30), ("Mia", 8, 20), ("Ann", 6, 40), ("Mia", 4, 25), ("Mia", 6, 31), ("Sue", 10, 17), ("Ann", 4, 13)]
    _, wrong = tally(engine, [(question.format(name=a, p=p, n=n), Fraction(solve(p, n)[1])) for a, p, n in grid])
    assert wrong == 0


UNIT_CAPS = {
    "en": "Flour costs ${p} per 100 grams, and the shop never charges for more than a kilogram. {name} buys {g} grams. How much does {name} pay?",
    "en-min": "Flour costs ${p} per 100 grams, and every parcel is billed as at least a kilogram. {name} buys {g} grams. How much does {name} pay?",
    "de": "Mehl kostet ${p} pro 100 grams, und niemand zahlt für mehr als ein Kilo. {name} kauft {g} grams. Wie viel zahlt {name}?",
    "es": "La harina cuesta ${p} por 100 grams, y nadie paga por más de un kilo. {name} compra {g} grams. ¿Cuánto paga {name}?",
    "fr": "La farine coûte ${p} les 100 grams, et rien n'est facturé au-delà d'un kilo. {name} achète {g} grams. Combien paie {name} ?",
}


@pytest.mark.parametrize("case", sorted(UNIT_CAPS))
def test_a_cap_said_as_a_unit_of_measure_is_never_re_derived(case):
    """Class: a cap or a minimum said as one unit of measure in words ("never charges for more than a kilogram",
    "billed as at least a kilogram", "mehr als ein Kilo", "más de un kilo", "au-delà d'un kilo"): its value (1000
    grams) is a number the question never writes, so no probe moves or crosses it. A helper got 5 or 6 served wrong
    of 7 or 8 in each language, with a model that is always right. The gate reads units of measure beside periods
    and groups in its limits."""
    question = UNIT_CAPS[case]
    floor = case.endswith("-min")

    def billed(g: int) -> int:
        return max(g, 1000) if floor else min(g, 1000)

    def model(spec: GenerationSpec) -> str:
        m = re.search(r"\$(\d+) \w+ (\d+) grams.*?(\w+) \w+ (\d+) grams", spec.prompt, re.S)
        assert m is not None, spec.prompt
        p, u, name, g = int(m[1]), int(m[2]), m[3], int(m[4])
        b = billed(g)
        k, c = Fraction(b, u), Fraction(b, u) * p
        if b == g:
            return f"{name} buys {g} / {u} = <<{g}/{u}={k}>>{k} lots of {u} grams.\n{k} * {p} = <<{k}*{p}={c}>>{c} dollars.\n#### {c}"
        return f"{name} is charged for {b} grams.\n{b} / {u} = <<{b}/{u}={k}>>{k} lots, and {k} * {p} = <<{k}*{p}={c}>>{c} dollars.\n#### {c}"

    engine = engine_for(model, probes=4)
    first = 3000 if floor else 200
    grid = [first, 500, 1200, 1500, 3000, 800, 300] if not floor else [first, 800, 500, 300, 2000, 1500]
    names = ["Ann", "Bea", "Clara", "Diana", "Emma", "Maria", "Olivia"]
    asks = [(question.format(p=4, name=names[i], g=g), Fraction(billed(g), 100) * 4) for i, g in enumerate(grid)]
    _, wrong = tally(engine, asks)
    assert wrong == 0


# ------------------------------------------------------------------------------ hours of a 12-hour clock
def limo_answer(v: dict[str, int]) -> str:
    """The span between two hours of the afternoon (from noon: as many hours as the later one), its cost, and a
    booking fee."""
    a, b, p, f = v["a"], v["b"], v["p"], v["f"]
    if a == 12:
        hours, first = b, f"From noon to {b} PM is {b} hours."
    else:
        hours, first = b - a, f"The ride lasts {b} - {a} = <<{b}-{a}={b - a}>>{b - a} hours."
    cost = hours * p
    return (
        f"{first}\nThe hours cost {hours} * {p} = <<{hours}*{p}={cost}>>{cost} dollars.\n"
        f"With the fee: {cost} + {f} = <<{cost}+{f}={cost + f}>>{cost + f} dollars.\n#### {cost + f}"
    )


def film_answer(v: dict[str, int]) -> str:
    """The hour a film ends on a 12-hour clock: past 12 it starts again."""
    end = v["a"] + v["s"]
    if end <= 12:
        return f"The film ends at {v['a']} + {v['s']} = <<{v['a']}+{v['s']}={end}>>{end} PM.\n#### {end}"
    return (
        f"{v['a']} + {v['s']} = <<{v['a']}+{v['s']}={end}>>{end} hours past noon.\nOn the clock that is {end} - 12 = "
        f"<<{end}-12={end - 12}>>{end - 12} AM.\n#### {end - 12}"
    )


CLOCKS = {
    "span": (
        "{name} hires a limousine from {a} PM to {b} PM at ${p} an hour, and pays a ${f} booking fee. How much does {name} pay?",
        "a b p f",
        limo_answer,
        [
            dict(a=3, b=8, p=40, f=3),  # the fee shares the first hour's value
            dict(a=4, b=9, p=30, f=5),
            dict(a=12, b=5, p=40, f=6),
            dict(a=5, b=11, p=20, f=4),
            dict(a=6, b=10, p=50, f=7),
            dict(a=2, b=7, p=60, f=9),
        ],
    ),
    "an hour and a duration": (
        "{name} puts on a film at {a} PM. It lasts {s} hours. At what hour does {name} leave?",
        "a s",
        film_answer,
        [dict(a=3, s=5), dict(a=2, s=4), dict(a=4, s=3), dict(a=9, s=5), dict(a=8, s=6), dict(a=7, s=5)],
    ),
}


@pytest.mark.parametrize("case", sorted(CLOCKS))
def test_hours_of_a_12_hour_clock_move_only_as_a_span_between_two(case):
    """Class: hours of a 12-hour clock ("from 3 PM to 8 PM", "at 9 PM"). The span between two hours of one half of
    the day is their difference wherever they move (1 to 11); from 12 PM it is not, and an hour plus a duration
    passes 12, where the clock starts again (9 PM + 5 hours is 2 AM): a model that is always right, a grid with
    each, no served answer wrong. Spans are served."""
    question, read, answer, asks = CLOCKS[case]

    def model(spec: GenerationSpec) -> str:
        return answer(_values(read, spec.prompt))

    names = itertools.cycle(["Anna", "Bruno", "Clara", "Dora", "Emil"])
    served, wrong = tally(
        engine_for(model, probes=3),
        [(question.format(name=next(names), **v), final_answer(answer(v))[0]) for v in asks],  # type: ignore[index]
    )
    assert wrong == 0
    assert served >= (2 if case == "span" else 0)


BIRTHS = {"twins": 2, "triplets": 3, "quadruplets": 4, "quintuplets": 5, "sextuplets": 6, "septuplets": 7, "octuplets": 8}
DRESSING = (
    "{name} has {born}. They must all be dressed by {a} AM, and she dresses them one after another. Dressing each "
    "child takes {m} minutes. At what hour must {name} start?"
)


def dressing_answer(prompt: str) -> str:
    """The hour to start: the hour they must be ready, less the time it takes (an hour minus a duration)."""
    m = re.search(r"(\w+) has (\w+)\. They must all be dressed by (\d+) AM.* takes (\d+) minutes", prompt)
    assert m is not None
    name, n, a, each = m[1], BIRTHS[m[2]], int(m[3]), int(m[4])
    total, hours = n * each, Fraction(n * each, 60)
    start = a - hours
    return (
        f"Dressing all of them takes {n} * {each} = <<{n}*{each}={total}>>{total} minutes.\n"
        f"That is {total} / 60 = <<{total}/60={_number(hours)}>>{_number(hours)} hours.\n"
        f"{name} must start at {a} - {_number(hours)} = <<{a}-{_number(hours)}={_number(start)}>>{_number(start)} AM.\n"
        f"#### {_number(start)}"
    )


def test_an_hour_that_shares_a_birth_words_value_is_never_read_as_the_count():
    """Class (helper-55): an hour of the clock that shares its value with a count in words ("octuplets" beside "8
    AM"). The probes tied the birth word to the hour as if it restated it, so no point ever parted them, and the
    adapter read "8 - 2" (the hour less a duration) as the count: a caller who moved the hour got the first
    answer's start back. A birth word restates only a count of children now, and an answer at a point where the
    two part disagrees with that reading."""
    asks = [("octuplets", 8, 15), ("octuplets", 6, 15), ("octuplets", 9, 15), ("quadruplets", 8, 15), ("octuplets", 10, 30)]
    names = itertools.cycle(["Anna", "Bruno", "Clara"])
    questions = [DRESSING.format(name=next(names), born=b, a=a, m=m) for b, a, m in asks]
    _, wrong = tally(
        engine_for(lambda spec: dressing_answer(spec.prompt), probes=3),
        [(q, final_answer(dressing_answer(q))[0]) for q in questions],  # type: ignore[index]
    )
    assert wrong == 0


# ------------------------------------------------------------------------------ whom a word of one gender means
WOMEN, MEN = {"Amy", "Emma", "Lucy", "Kate", "Jane", "Sara", "Rose"}, {"Max", "Jack", "Mark", "Paul", "Carl", "Noah", "Luke"}
MARBLES = (
    "{p1} has {a} red marbles and {b} blue marbles. {p2} has {c} red marbles and {d} blue marbles. Then she gets {k} "
    "times as many red marbles as she had, and he gets {e} more blue marbles. How many more marbles does {p1} have "
    "than {p2} now?"
)
MARBLES_READ = re.compile(
    r"(\w+) has (\d+) red marbles and (\d+) blue marbles\. (\w+) has (\d+) red marbles and (\d+) blue marbles\. Then "
    r"she gets (\d+) times as many red marbles as she had, and he gets (\d+) more"
)


def marbles_answer(prompt: str) -> str:
    """Whoever "she" is (the woman of the two, by the model's own reading of names: relabelled points use
    Maria/Olivia/Sofia and James/David/Daniel) triples her red marbles; "he" adds blue ones."""
    m = MARBLES_READ.search(prompt)
    assert m is not None
    p1, a, b, p2, c, d, k, e = m[1], *map(int, m.group(2, 3)), m[4], *map(int, m.group(5, 6, 7, 8))
    if p1 in MEN | {"James", "David", "Daniel"} and p2 in WOMEN | {"Maria", "Olivia", "Sofia"}:  # "she" is the second
        r1, r3 = a + b, k * c
        x, y = r1 + e, r3 + d
        lines = (
            f"{p1} has {a} + {b} = <<{a}+{b}={r1}>>{r1} marbles, and then {r1} + {e} = <<{r1}+{e}={x}>>{x} marbles.\n"
            f"{p2} now has {c} * {k} = <<{c}*{k}={r3}>>{r3} red marbles.\n{p2} has {r3} + {d} = <<{r3}+{d}={y}>>{y} marbles.\n"
        )
    else:
        r1, r3 = k * a, c + d
        x, y = r1 + b, r3 + e
        lines = (
            f"{p1} now has {a} * {k} = <<{a}*{k}={r1}>>{r1} red marbles.\n{p1} has {r1} + {b} = <<{r1}+{b}={x}>>{x} marbles.\n"
            f"{p2} has {c} + {d} = <<{c}+{d}={r3}>>{r3} marbles, and then {r3} + {e} = <<{r3}+{e}={y}>>{y} marbles.\n"
        )
    return lines + f"{p1} has {x} - {y} = <<{x}-{y}={x - y}>>{x - y} more marbles.\n#### {x - y}"


def test_a_relabelled_point_whose_final_answer_agrees_by_chance_vouches_for_no_genders():
    """Class (helper-55): a question where whom "she" means decides which amounts are computed, at numbers where
    both readings end alike (she triples 15 red marbles or his 8, and he adds 23 = 15 + 8 blue ones to the other:
    the same difference either way). The first question renamed into the other genders agreed there and vouched
    for them; a caller whose man is named first was served the first reading (4 of 7 served, 4 wrong). A gender
    pattern is vouched for now only where the answer computes the same amounts as the stored one."""
    first = dict(p1="Amy", a=15, b=7, p2="Max", c=8, d=9, e=23, k=3)
    grid = [
        dict(p1="Emma", a=12, b=6, p2="Jack", c=7, d=8, e=11, k=4),
        dict(p1="Mark", a=14, b=8, p2="Lucy", c=6, d=10, e=12, k=4),
        dict(p1="Paul", a=13, b=5, p2="Kate", c=9, d=4, e=10, k=4),
        dict(p1="Carl", a=12, b=6, p2="Jane", c=7, d=8, e=11, k=5),
        dict(p1="Noah", a=15, b=7, p2="Sara", c=8, d=9, e=20, k=4),
        dict(p1="Luke", a=11, b=5, p2="Rose", c=6, d=4, e=13, k=5),
    ]
    questions = [MARBLES.format(**v) for v in [first, *grid]]
    _, wrong = tally(
        engine_for(lambda spec: marbles_answer(spec.prompt), probes=3),
        [(q, final_answer(marbles_answer(q))[0]) for q in questions],  # type: ignore[index]
    )
    assert wrong == 0


def finish_answer(prompt: str) -> str:
    """The hour something ends, asked as an hour of a 12-hour clock (the first number of the question is the hour
    it starts, the duration is in hours): past 12 the clock starts again."""
    a, d = (int(n) for n in re.findall(r"\d+", prompt)[:2])
    end = a + d
    out = f"It ends at {a} + {d} = <<{a}+{d}={end}>>{end}.\n"
    if end > 12:
        out += f"Past 12 the clock starts again: {end} - 12 = <<{end}-12={end - 12}>>{end - 12}.\n"
    return out + f"#### {end - 12 if end > 12 else end}"


ASKED_HOURS = [
    # an hour said with the part of the day (helper-55)
    "{name} starts a puzzle at {a} in the evening and works on it for {d} hours. At what hour does {name} finish?",
    "{name} starts a puzzle at {a} in the afternoon and works on it for {d} hours. At what hour does {name} finish?",
    # a bare hour in a question that asks for one, or says it by the quarter or the sun (helper-57)
    "{name} starts cooking at {a} and cooks for {d} hours. At what hour does {name} finish?",
    "After lunch, at {a}, {name} starts painting and paints for {d} hours. At what hour does {name} stop?",
    "{name} leaves at dawn, at {a}, and rides for {d} hours. At what hour does {name} arrive?",
    "{name}'s train leaves at quarter to {a} and runs for {d} hours. It arrives at quarter to what?",
    "{name}'s train leaves on the hour at {a} and runs for {d} hours. At what hour on the dial does it arrive?",
    "{name} starts a puzzle at {a} and works on it for {d} hours. What time is it when {name} is done?",
    # a question that asks when, with the hour bare or said as a clock is in each language
    "{name} gets to the office at {a}, works for {d} hours and then goes home. When does {name} go home?",
    "The movie starts at {a}. It is {d} hours long. Work out when {name} gets out.",
    "{name} empieza a cocinar a las {a} y cocina durante {d} horas. ¿Cuándo termina {name}?",
    "{name} commence à cuisiner à {a} heures et cuisine pendant {d} heures. Quand {name} finit-elle ?",
    "{name} beginnt um {a} zu kochen und kocht {d} Stunden lang. Wann ist {name} fertig?",
    "{name} comincia a cucinare alle {a} e cucina per {d} ore. Quando finisce {name}?",
    "{name} começa a cozinhar às {a} e cozinha durante {d} horas. Quando termina {name}?",
    "{name} begint om {a} uur met koken en kookt {d} uur. Wanneer is {name} klaar?",
]


@pytest.mark.parametrize("question", ASKED_HOURS)
def test_an_hour_of_the_day_said_without_am_or_pm_moves_no_number(question):
    """Class: an hour said with no AM/PM ("at 8 in the evening", "starts cooking at 3" in a question that asks
    "At what hour", "what time", "quarter to what?", or says it by the quarter or the sun: "quarter to 3", "at
    dawn"). A right answer that passes 12 writes "- 12", which grounds nowhere and is never stored; one that does
    not was re-derived for an hour that does. Helper-55 got 6 + 7 hours served as 13 (2 of 3 served wrong, "in
    the evening"); helper-57 got 9 + 5 served as 14 (4 of 7 wrong in each form) and 21 + 5 as 26 on a 24-hour
    clock. The gate reads each as a clock, in the languages it reads ("de la tarde", "abends", "du soir"). And a
    question that asks when ("When does she go home?", "¿Cuándo termina?", "Wann ist sie fertig?"): 4 of 4 to 6
    served were wrong in seven such forms on 33caf52."""
    grid = [(3, 2), (2, 4), (4, 3), (9, 5), (10, 4), (8, 6), (11, 3)]
    names = itertools.cycle(["Anna", "Clara", "Dora", "Emma"])
    asks = [question.format(name=next(names), a=a, d=d) for a, d in grid]
    assert wrong_served(finish_answer, asks) == 0


def wrap_answer(prompt: str) -> str:
    """A point in time later by a span (the first two numbers of the question): an hour of a 24-hour day, a day of a
    30-day month or a month of the year, by the question's words; past the cycle it starts again."""
    a, d = (int(n) for n in re.findall(r"\d+", prompt)[:2])
    cycle = 12 if re.search(r"\bmes\b|\bmonth\b", prompt) else 30 if re.search(r"jour|Tag\b|day\b", prompt) else 24
    end = a + d
    out = f"It is {a} + {d} = <<{a}+{d}={end}>>{end}.\n"
    if end > cycle:
        out += f"The cycle starts again: {end} - {cycle} = <<{end}-{cycle}={end - cycle}>>{end - cycle}.\n"
    return out + f"#### {end - cycle if end > cycle else end}"


POINTS_ASKED = [
    "{name}'s train leaves at {a} and travels for {d} hours. What is the arrival time of the train?",
    "Der Zug von {name} fährt um {a} los und fährt {d} Stunden. Um wie viel Uhr kommt der Zug an?",
    "El tren de {name} sale a las {a} y viaja durante {d} horas. ¿Cuál es la hora de llegada del tren?",
    "O trem de {name} parte às {a} e viaja durante {d} horas. Qual é o horário de chegada do trem?",
    "De trein van {name} vertrekt om {a} en rijdt {d} uur. Wat is de aankomsttijd van de trein?",
    "Today is day {a} of the month for {name}. Which day of the month is it in {d} days?",
    "Heute ist der {a}. Tag des Monats bei {name}. Welcher Tag des Monats ist in {d} Tagen?",
    "Nous sommes le {a} du mois chez {name}. Quel jour du mois serons-nous dans {d} jours ?",
    "El cumpleaños de {name} es en el mes {a}. El de Luis es {d} meses después. ¿En qué mes es el cumpleaños de Luis?",
]


@pytest.mark.parametrize("question", POINTS_ASKED)
def test_a_point_in_time_asked_by_its_noun_moves_no_number(question):
    """Class (helper-119): a question that asks for a point in time by its noun, not by "when" or "what time": "the
    arrival time", "um wie viel Uhr" (at how much o'clock: an amount's words), "la hora de llegada", "o horário",
    "de aankomsttijd", the day of the month, the month as a number. The answer's sum wraps at 24, 30 or 12 where a
    re-derivation does not: 21 + 5 served as 26 (German, Spanish, Portuguese, Dutch, English), day 27 + 9 as 36,
    month 10 + 4 as 14, with corroboration on (an agreeing answer below the wrap vouched for it) and off."""
    grid = [(9, 5), (7, 3), (10, 4), (21, 5), (20, 6), (11, 3), (27, 9), (8, 6)]
    names = itertools.cycle(["Anna", "Clara", "Dora", "Emma"])
    asks = [question.format(name=next(names), a=a, d=d) for a, d in grid]
    assert wrong_served(wrap_answer, asks) == 0


# a point in a cycle said by the smaller unit's count (helper-154: 3 or 4 false of 7 to 8 per phrasing, both modes)
IN_A_CYCLE = {
    "seconds past the full minute": (
        "{n}'s stopwatch shows {a} seconds past the full minute. {n} waits {d} more seconds. How many seconds past "
        "the full minute does it show now?",
        60,
    ),
    "Minuten nach der vollen Stunde": (
        "Der Bus von {n} fährt {a} Minuten nach der vollen Stunde ab, und die Fahrt dauert {d} Minuten. Wie viele "
        "Minuten nach der vollen Stunde kommt der Bus an?",
        60,
    ),
    "minutes après l'heure": (
        "Le bus de {n} part {a} minutes après l'heure pile et le trajet dure {d} minutes. Combien de minutes après "
        "l'heure pile arrive-t-il ?",
        60,
    ),
    "hours into the day": (
        "{n}'s train leaves {a} hours into the day and is on the move for {d} hours. How many hours into its day "
        "of arrival does it arrive?",
        24,
    ),
    # (helper-157)
    "minutes past the top of the hour": (
        "{n}'s bus leaves {a} minutes past the top of the hour and the ride takes {d} minutes. How many minutes past "
        "the top of the hour does it arrive?",
        60,
    ),
    "Minuten nach voll": (
        "Der Bus von {n} fährt {a} Minuten nach voll ab, die Fahrt dauert {d} Minuten. Wie viele Minuten nach voll kommt er an?",
        60,
    ),
    "minuti passata l'ora": (
        "L'autobus di {n} parte {a} minuti passata l'ora e il viaggio dura {d} minuti. Quanti minuti passata l'ora arriva?",
        60,
    ),
    "minutos passados da hora": (
        "O ônibus de {n} sai {a} minutos passados da hora e a viagem dura {d} minutos. Quantos minutos passados da "
        "hora ele chega?",
        60,
    ),
    "months into the year": (
        "{n}'s course starts {a} months into the year and runs for {d} months. How many months into the year does it end?",
        12,
    ),
    "days into the week": (
        "{n} starts a project {a} days into the week and works on it for {d} days. How many days into the week does it end?",
        7,
    ),
}


@pytest.mark.parametrize("corroborate", [True, False], ids=["corroborated", "checks alone"])
@pytest.mark.parametrize("case", sorted(IN_A_CYCLE))
def test_a_point_in_a_cycle_counted_in_the_smaller_unit_moves_no_number(case, corroborate):
    """Class (helper-154): a question that says a point in a cycle by the count of its smaller unit and asks for
    one ("40 seconds past the full minute", "wie viele Minuten nach der vollen Stunde", "minutes après l'heure pile",
    "hours into its day of arrival"): the gate read a plain sum, and a probe below the wrap vouched for every
    value; 40 + 35 was served as 75 where the stopwatch shows 15. Such a question is a clock reading now, whose
    numbers do not move."""
    question, cycle = IN_A_CYCLE[case]

    def model(prompt: str) -> str:
        a, d = (int(x) for x in re.findall(r"\d+", prompt)[:2])
        s, k = a + d, (a + d) // cycle
        if k == 0:
            return f"{a} + {d} = <<{a}+{d}={s}>>{s}\n#### {s}"
        return f"{a} + {d} - {k * cycle} = <<{a}+{d}-{k * cycle}={s - k * cycle}>>{s - k * cycle}\n#### {s - k * cycle}"

    grid = {
        60: [(10, 25), (15, 20), (40, 35), (20, 30), (45, 25), (5, 40), (50, 30), (12, 33)],
        24: [(5, 8), (6, 9), (20, 7), (4, 10), (18, 9), (3, 11), (21, 6), (7, 5)],
        7: [(1, 2), (2, 3), (4, 5), (1, 4), (3, 6), (2, 2), (5, 4), (3, 1)],
        12: [(2, 3), (3, 4), (8, 6), (1, 5), (7, 9), (4, 2), (9, 5), (5, 3)],
    }[cycle]
    names = itertools.cycle(["Ann", "Bea", "Cleo", "Dora"])
    _, false = false_served(model, [question.format(n=next(names), a=a, d=d) for a, d in grid], corroborate=corroborate)
    assert false == 0


# the rest past whole units of a constant, restated in two units (helper-155: 5 false of 8 to 9 per phrasing, both
# modes; English "1 hour and 15 minutes" was refused by a list of English unit words)
REST_PAST_UNITS = {
    "es": (
        "Ana lee {a} minutos el lunes y {b} minutos el martes. ¿Cuántos minutos lee en total?",
        lambda t, h, r: f"{t} - {60 * h} = {r}, así que son {h} hora{'s' if h > 1 else ''} y {r} minutos",
        ("minutos", "En total"),
    ),
    "en, plus": (
        "Ann reads for {a} minutes on Monday and {b} minutes on Tuesday. How many minutes does she read in total?",
        lambda t, h, r: f"{t} - {60 * h} = {r}, so that is {h} hour{'s' if h > 1 else ''} plus {r} minutes",
        ("minutes", "In total"),
    ),
    "en, h:mm": (
        "Ann reads for {a} minutes on Monday and {b} minutes on Tuesday. How many minutes does she read in total?",
        lambda t, h, r: f"{t} - {60 * h} = {r}, so that is {h}:{r:02d} hours",
        ("minutes", "In total"),
    ),
    "de": (
        "Anna liest {a} Minuten am Montag und {b} Minuten am Dienstag. Wie viele Minuten liest sie insgesamt?",
        lambda t, h, r: f"{t} - {60 * h} = {r}, also {h} Stunde{'n' if h > 1 else ''} und {r} Minuten",
        ("Minuten", "Insgesamt"),
    ),
    "it": (
        "Anna legge {a} minuti lunedì e {b} minuti martedì. Quanti minuti legge in tutto?",
        lambda t, h, r: f"{t} - {60 * h} = {r}, quindi {h} or{'e' if h > 1 else 'a'} e {r} minuti",
        ("minuti", "In tutto"),
    ),
    # (helper-157) the whole hours as a count times the unit, and the two units glued
    "fr, k × 60": (
        "Anne lit {a} minutes lundi et {b} minutes mardi. Combien de minutes lit-elle au total ?",
        lambda t, h, r: f"{t} - {h} × 60 = {r}, soit {h} heure{'s' if h > 1 else ''} + {r} minutes",
        ("minutes", "Au total"),
    ),
    "fr, 1h15": (
        "Anne lit {a} minutes lundi et {b} minutes mardi. Combien de minutes lit-elle au total ?",
        lambda t, h, r: f"{t} - {60 * h} = {r}, soit {h}h{r:02d}",
        ("minutes", "Au total"),
    ),
}


@pytest.mark.parametrize("corroborate", [True, False], ids=["corroborated", "checks alone"])
@pytest.mark.parametrize("case", sorted(REST_PAST_UNITS))
def test_the_rest_past_whole_units_is_never_re_derived_past_one_unit(case, corroborate):
    """Class (helpers 155, 157): an answer that takes whole units of a constant from an amount and restates the rest
    in two units ("75 - 60 = 15, así que son 1 hora y 15 minutos", "1 hour plus 15 minutes", "1:15 hours", "75 - 1
    × 60", "soit 1h15"). Re-derived past 120 minutes it said "150 - 60 = 90 ... 1 hora y 90 minutos", where the
    model takes two hours ("150 - 120 = 30"). A rest below one unit that re-derives to a unit or more (or below
    none) now refuses, in any language, and so does an answer that glues two numbers by a unit's letters."""
    question, middle, (unit, total) = REST_PAST_UNITS[case]

    def model(prompt: str) -> str:
        a, b = (int(x) for x in re.findall(r"\d+", prompt)[:2])
        t = a + b
        h, r = divmod(t, 60)
        return f"{a} + {b} = {t} {unit}.\n{middle(t, h, r)}.\n{total}: {60 * h} + {r} = {t} {unit}.\n#### {t}"

    grid = [(40, 35), (50, 40), (30, 45), (25, 80), (70, 80), (90, 60), (45, 105), (100, 50), (65, 70), (55, 50)]
    served, false = false_served(model, [question.format(a=a, b=b) for a, b in grid], corroborate=corroborate)
    assert false == 0
    if "1h" not in case:
        assert served >= 2  # the callers whose rest stays below an hour


# ------------------------------------------------------------------------------ a precision asked of the answer
PRECISION = {
    "en": "{n} has {m} liters of juice and drinks {p}% of it. How many liters does {n} drink? Give the answer to one decimal place.",
    "en tenths": "{n} has {m} liters of juice and drinks {p}% of it. How many liters does {n} drink? Answer to the tenths place.",
    "es": "{n} tiene {m} litros de jugo y bebe el {p}% de ellos. ¿Cuántos litros bebe {n}? Da la respuesta con un decimal.",
    "de": "{n} besitzt {m} Liter Saft und trinkt {p}% davon. Wie viele Liter trinkt {n}, mit einer Nachkommastelle angegeben?",
    "fr": "{n} a {m} litres de jus et en boit {p}%. Combien de litres {n} boit-elle ? Donne la réponse avec une décimale.",
    "pt": "{n} tem {m} litros de suco e bebe {p}% deles. Quantos litros {n} bebe? Dê a resposta com uma casa decimal.",
    "nl": "{n} heeft {m} liter sap en drinkt {p}% ervan. Hoeveel liter drinkt {n}? Geef het antwoord met één decimaal.",
}
JUICE = [("Ann", 30, 12), ("Ann", 37, 12), ("Bea", 23, 17), ("Cleo", 41, 13), ("Dora", 30, 14), ("Eva", 19, 21), ("Fay", 43, 11)]


def to_tenths(value: Fraction) -> Fraction:
    return Fraction(math.floor(value * 10 + Fraction(1, 2)), 10)


def juice_answer(prompt: str) -> str:
    """The liters drunk, computed exactly and then given to one decimal place, as asked."""
    m = list(re.finditer(r"(\d+) (?:liters|litros|Liter|litres|liter)\b\D*?(\d+)%", prompt))[-1]
    liters, share = int(m[1]), int(m[2])
    exact = Fraction(liters * share, 100)
    shown = format_number(exact)
    out = f"The share drunk is {liters} * {share} / 100 = <<{liters}*{share}/100={shown}>>{shown} liters.\n"
    if to_tenths(exact) != exact:
        out += f"To one decimal place that is {format_number(to_tenths(exact))}.\n"
    return out + f"#### {format_number(to_tenths(exact))}"


def format_number(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.6f}".rstrip("0").rstrip(".")


@pytest.mark.parametrize("lang", sorted(PRECISION))
def test_a_precision_asked_in_words_moves_no_number(lang):
    """Class (helper-58): "to one decimal place", "to the tenths place", "mit einer Nachkommastelle", "con un
    decimal"... At the first numbers (30 liters, 12%) the exact result has one decimal already, so the answer
    never writes the rounding; re-derived, 37 liters gave 4.44 where 4.4 is asked (5 of 6 served wrong in every
    language on 12cac03)."""
    asks = [PRECISION[lang].format(n=n, m=m, p=p) for n, m, p in JUICE]
    assert wrong_served(juice_answer, asks) == 0


@pytest.mark.parametrize(
    "context",
    [
        "You are a helpful math tutor.\nExample: 10 / 3 = 3.3\nExample: 2 / 3 = 0.7",
        "You are a tutor.\nExample: 4.44 = 4.4",
        # with a letter (helper-84: 3 or 4 wrong of 6, through LangChain's cache, its Runnable and LlamaIndex)
        "You are a helpful math tutor.\nExample: x = 10 / 3 = 3.3\nExample: x = 0.35 * 7 = 2.5",
        "Example: 10 / 3 = 3.3 m\nExample: 5 / 4 = 1.3 m",
        "You are a helpful math tutor.\nExample: 3x = 10\nx = 3.3",
    ],
)
def test_a_system_prompt_whose_worked_examples_round_is_no_persona(context):
    """Class (helper-58, helper-84): labelled worked examples in a system prompt are dropped as a few-shot prompt's,
    but one that is not exactly true ("10 / 3 = 3.3", "x = 10 / 3 = 3.3", "10 / 3 = 3.3 m", "3x = 10" solved as "x =
    3.3") shows a rule of the answers, a rounding: 5 of 6 served wrong. An example with a letter was read as an
    equation to solve, whatever its sides said."""
    question = "{n} has {m} liters of juice and drinks {p}% of it. How many liters does {n} drink?"
    engine = engine_for(lambda spec: juice_answer(spec.prompt), probes=3)
    served = wrong = 0
    for n, m, p in JUICE:
        q = question.format(n=n, m=m, p=p)
        out = engine.run(Request(q, context=context))
        background.drain(10)
        if out.trace.backend_calls == 0:
            served += 1
            wrong += final_answer(out.text) != final_answer(juice_answer(q))
    assert wrong == 0
    assert not persona_only(context) and persona_only("You are a tutor.\nExample: 10 / 4 = 2.5")
    # exact examples, with letters, one variable over two examples, or the same one twice, are a few-shot prompt's
    for exact in ("Example: 2x + 3 = 11\n2x = 8\nx = 4", "Example: 2(x + 1) = 10\nx = 4\nExample: 3x - 1 = 8\nx = 3"):
        assert persona_only("You are a helpful math tutor.\n" + exact)


# ------------------------------------------------------------------------------ a rule said "for instance"
INSTANCE_RULES = [
    "For instance, delivery costs $7, and orders that reach $30 ship free.",
    "For example, delivery costs $7 but is free on orders that top $30.",
    "Shipping rules differ between shops. At this one, for instance, delivery costs $7 and any order that reaches $30 ships free.",
    "At Example Books, delivery costs $7, and orders that reach $30 ship free.",
]
BOOKS = [("Ann", 4, 40), ("Bea", 3, 9), ("Cleo", 5, 4), ("Dora", 6, 35), ("Eva", 3, 8), ("Fay", 4, 6), ("Gina", 7, 3)]


def books_answer(prompt: str) -> str:
    """Books bought, and the $7 delivery below $30 (a terse answer above it: the rule never written down)."""
    m = list(re.finditer(r"([A-Z]\w+) buys (\d+) books at \$(\d+)", prompt))[-1]
    a, p = int(m[2]), int(m[3])
    c = a * p
    out = f"{m[1]} pays {a} * {p} = <<{a}*{p}={c}>>{c} dollars"
    if c >= 30:
        return out + f".\n#### {c}"
    return out + f" for the books.\nDelivery adds 7: {c} + 7 = <<{c}+7={c + 7}>>{c + 7} dollars.\n#### {c + 7}"


@pytest.mark.parametrize("rule", INSTANCE_RULES)
def test_a_rule_said_for_instance_holds_quantities(rule):
    """Class (helper-58): a sentence with "for instance", "for example" (or a shop called "Example Books") had its
    numbers dropped as an example of the answer's format, so $7 and $30 were text no check reads: 4 books at $40
    were answered without delivery, and 3 at $9 served 27 where 34 is right (5 of 6 wrong). Only an instruction
    about the answer's format holds examples now ("Put the answer in \\boxed{}, for example \\boxed{42}")."""
    question = rule + " {n} buys {a} books at ${p} each. How much does {n} pay in total?"
    asks = [question.format(n=n, a=a, p=p) for n, a, p in BOOKS]
    assert wrong_served(books_answer, asks) == 0


# ------------------------------------------------------------------------------ what a reused answer says in prose
WAGES = "{a} works {h} hours at ${r} per hour. {b} works {k} hours at ${s} per hour. How much do they earn together?"
EARN_GRID = [
    ("Ann", 6, 20, "Bob", 5, 13),
    ("Cara", 5, 12, "Dan", 8, 11),
    ("Eve", 7, 15, "Finn", 4, 9),
    ("Gwen", 3, 14, "Hugo", 9, 12),
    ("Ivy", 8, 16, "Jack", 3, 10),
    ("Kim", 4, 11, "Leo", 6, 17),
    ("Mia", 9, 13, "Ned", 7, 8),
]
EARN_CLAIMS = {
    "a word of comparison": "So {top} ends the day richer.",
    "a lead": "So {top} is ahead of {other}.",
    "es": "Así que {top} gana más que {other}.",
    "de": "Also verdient {top} mehr als {other}.",
    "fr": "Donc {top} gagne plus que {other}.",
    "a chat verdict": "✅ **{top}** is the top earner today.",
    "an open word (helper-60)": "{top} has the edge.",
    "a table cell (helper-60)": "| Leader | {top} |",
    "an instruction that presumes who leads": "Then find how much {top} earns over {other}.",
    "an instruction that names a lead": "Next, work out {top}'s lead.",
    "a claim after an instruction": "Then add them up, so {top} has the edge.",
    "a purpose that is a possessive": "To {top}'s advantage, they share it.",
    "an instruction whose object is a majority (helper-61)": "Then add {other}'s pay to the bulk of it.",
    "an instruction with a relative clause (helper-61)": "Then add {other}'s pay to the part that {top} brings home.",
    "es, an instruction with a relative clause (helper-61)": "Luego suma lo de {other} a lo que gana {top}.",
    "an adjective in an instruction (helper-62)": "Add {other}'s pay to {top}'s heftier pay.",
    "a clause joined to an instruction (helper-62)": "Then add them and {top} still comes out first.",
    "de, a lead noun in an instruction (helper-62)": "Dann berechne den Vorsprung von {top}.",
    "a verdict in an instruction (helper-62)": "Then add the bonus {top} earned for finishing first.",
    "a bare rank": "{other} is second.",
    "a rank with no verb": "{top} is first, {other} second.",
    "a rank said 'number one'": "{top} is number one.",
    "es, a bare rank": "{top} es la primera.",
    "a rank in digits": "{other} is 2nd.",
}


def earn_answer(claim: str) -> Callable[[str, bool], str]:
    def answer(prompt: str, claims: bool = True) -> str:
        m = list(re.finditer(r"(\w+) works (\d+) hours at \$(\d+) per hour\. (\w+) works (\d+) hours at \$(\d+)", prompt))[-1]
        a, h, r, b, k, s = m[1], int(m[2]), int(m[3]), m[4], int(m[5]), int(m[6])
        x, y = h * r, k * s
        top, other = (a, b) if x > y else (b, a)
        return (
            f"{a} earns {h} * {r} = <<{h}*{r}={x}>>{x} dollars.\n{b} earns {k} * {s} = <<{k}*{s}={y}>>{y} dollars.\n"
            f"Together they earn {x} + {y} = <<{x}+{y}={x + y}>>{x + y} dollars.\n"
            + (f"{claim.format(top=top, other=other)}\n" if claims else "")
            + f"#### {x + y}"
        )

    return answer


READ = "{n} reads {p} pages. Each page takes {m} minutes to read. How many minutes does {n} spend reading?"
READ_GRID = [("Ann", 5, 15), ("Cara", 3, 10), ("Dora", 4, 20), ("Eve", 2, 25), ("Fay", 6, 12), ("Gus", 7, 5), ("Hal", 9, 8)]


def read_answer(form: str) -> Callable[[str, bool], str]:
    """Minutes read, and the total against an hour in ``form`` where it is over one; in mixed units where it is."""

    def answer(prompt: str, claims: bool = True) -> str:
        m = list(re.finditer(r"(\w+) reads (\d+) pages\. Each page takes (\d+) minutes", prompt))[-1]
        p, k = int(m[2]), int(m[3])
        t = p * k
        line = f"{p} * {k} = <<{p}*{k}={t}>>{t} minutes"
        if claims and form == "mixed" and 60 < t < 120:
            line += f", that is 1 hour {t - 60} minutes"
        elif claims and form != "mixed" and t > 60:
            line += form.format(t=t)
        return line + f".\n#### {t}"

    return answer


CARDS = "{a} has {x} cards and {b} has {y} cards. How many cards do they have together?"
CARDS_GRID = [("Ann", 10, "Bob", 20), ("Cara", 12, "Dan", 30), ("Eve", 7, "Finn", 21), ("Gwen", 9, "Hugo", 18)]
CARDS_GRID += [("Ivy", 11, "Jack", 33), ("Kim", 8, "Leo", 40), ("Mia", 13, "Ned", 26)]


def cards_answer(prompt: str, claims: bool = True) -> str:
    """Cards together, and "twice as many" where it holds (a ratio the answer names, no computation states)."""
    m = list(re.finditer(r"(\w+) has (\d+) cards and (\w+) has (\d+) cards", prompt))[-1]
    a, x, b, y = m[1], int(m[2]), m[3], int(m[4])
    claim = f"{b} has twice as many cards as {a}.\n" if claims and y == 2 * x else ""
    return f"{claim}Together they have {x} + {y} = <<{x}+{y}={x + y}>>{x + y} cards.\n#### {x + y}"


MUGS = "{n} buys {b} boxes of mugs for ${p} each and sells all the mugs for ${s} in total. What is {n}'s profit in dollars?"
MUGS_GRID = [("Ann", 4, 15, 50), ("Cara", 3, 10, 45), ("Dora", 5, 12, 70), ("Eve", 2, 30, 50), ("Fay", 6, 5, 40)]
MUGS_GRID += [("Gus", 3, 20, 70), ("Hal", 4, 9, 30)]


def mugs_answer(size: bool) -> Callable[[str, bool], str]:
    """A profit, and the word for its sign ("a loss", "a profit"), or for its size where it stays positive ("a tiny
    profit", "a healthy profit")."""

    def answer(prompt: str, claims: bool = True) -> str:
        m = list(re.finditer(r"(\w+) buys (\d+) boxes of mugs for \$(\d+) each and sells all the mugs for \$(\d+)", prompt))[-1]
        n, b, p, s = m[1], int(m[2]), int(m[3]), int(m[4])
        c = b * p
        word = ("a tiny profit" if s - c < 10 else "a healthy profit") if size else ("a loss" if s < c else "a profit")
        said = f"So {n} makes {word}.\n" if claims else ""
        return f"{n} pays {b} * {p} = <<{b}*{p}={c}>>{c} dollars.\nProfit: {s} - {c} = <<{s}-{c}={s - c}>>{s - c} dollars.\n{said}#### {s - c}"

    return answer


PAY = "{n} earned ${a} per hour. Then {n}'s pay went up by ${b} per hour. What is {n}'s new hourly pay in dollars?"
PAY_GRID = [("Ann", 50, 25), ("Cara", 40, 10), ("Dora", 20, 5), ("Eve", 60, 15), ("Fay", 80, 20), ("Gus", 30, 15), ("Hal", 70, 7)]


def pay_answer(prompt: str, claims: bool = True) -> str:
    """The new pay, and the raise as a percentage no computation states ("a 50% raise" where 50 is the old pay)."""
    m = list(re.finditer(r"(\w+) earned \$(\d+) per hour\. Then \w+'s pay went up by \$(\d+)", prompt))[-1]
    n, a, b = m[1], int(m[2]), int(m[3])
    said = f", a {format_number(Fraction(100 * b, a))}% raise" if claims else ""
    return f"{n} now earns {a} + {b} = <<{a}+{b}={a + b}>>{a + b} dollars per hour{said}.\n#### {a + b}"


EGGS = "{n} buys {b} boxes with {e} eggs in each. How many eggs does {n} buy?"
EGGS_GRID = [("Katherine", 3, 4), ("Elizabeth", 5, 3), ("Robert", 4, 5), ("Katherine", 6, 2), ("William", 2, 7)]
EGGS_GRID += [("Elizabeth", 3, 6), ("Robert", 7, 3)]
NICKNAMES = {"Katherine": "Kate", "Elizabeth": "Liz", "Robert": "Bob", "William": "Liam"}


def eggs_answer(form: str) -> Callable[[str, bool], str]:
    """Eggs bought, told under the buyer's nickname, or with the count in Spanish words too."""

    def answer(prompt: str, claims: bool = True) -> str:
        m = list(re.finditer(r"(\w+) buys (\d+) boxes with (\d+) eggs", prompt))[-1]
        n, b, e = m[1], int(m[2]), int(m[3])
        who = NICKNAMES.get(n, n) if claims and form == "nickname" else n
        said = f" ({num2words(b * e, lang='es')} huevos)" if claims and form == "es" else ""
        return f"{who} buys {b} * {e} = <<{b}*{e}={b * e}>>{b * e} eggs{said}.\n#### {b * e}"

    return answer


LEFT = "{n} has ${m}. A game costs ${g} and a controller costs ${c}. How much money will {n} have left after buying both?"
LEFT_GRID = [("Ana", 100, 45, 25), ("Cara", 80, 50, 25), ("Dana", 90, 40, 30), ("Eva", 70, 20, 15), ("Fina", 60, 30, 25)]
LEFT_GRID += [("Gina", 120, 60, 50), ("Lola", 200, 90, 30)]


def left_answer(prompt: str, claims: bool = True) -> str:
    """Money left, in a chat layout, with a verdict on how much ("Plenty of money left", "Only a little")."""
    m = list(re.finditer(r"(\w+) has \$(\d+)\. A game costs \$(\d+) and a controller costs \$(\d+)", prompt))[-1]
    have, g, c = int(m[2]), int(m[3]), int(m[4])
    verdict = (
        ("✅ Plenty of money left for snacks.\n\n" if have - g - c >= 30 else "⚠️ Only a little money is left.\n\n")
        if claims
        else ""
    )
    return (
        f"**Step 1:** Cost of both: $ {g} + {c} = {g + c} $\n\n**Step 2:** Money left: $ {have} - {g + c} = {have - g - c} $\n\n"
        f"{verdict}The answer is $\\boxed{{{have - g - c}}}$."
    )


PROFIT_GRID = [("Ann", 4, 15, 62), ("Cara", 3, 10, 75), ("Dora", 5, 12, 63), ("Eve", 2, 30, 90), ("Fay", 6, 5, 34)]
PROFIT_GRID += [("Gus", 3, 20, 64), ("Hal", 4, 9, 80)]


BOOK = "{n} has a book with {t} pages and reads {p} pages a day. How many days does it take {n} to finish the book?"
BOOK_GRID = [("Ann", 100, 20), ("Ann", 60, 20), ("Ann", 90, 15), ("Ann", 140, 20), ("Ann", 48, 12), ("Ann", 200, 25)]
BOOK_GRID += [("Ann", 30, 10)]
WEEKS = "{n} has a book with {t} pages and reads {p} pages a day, starting on a Monday. How many days does it take {n} to finish the book?"
WEEKS_GRID = [("Ann", 80, 10), ("Ann", 60, 20), ("Ann", 90, 15), ("Ann", 140, 20), ("Ann", 48, 12), ("Ann", 30, 10)]
WEEKS_GRID += [("Ann", 200, 25)]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def book_answer(form: str) -> Callable[[str, bool], str]:
    """Days to read a book, and a word the number of days decides: the last day as an ordinal ("the fifth day"),
    the weekday it ends on (from a Monday), or the week it falls in ("the second week")."""

    def answer(prompt: str, claims: bool = True) -> str:
        m = list(re.finditer(r"(\w+) has a book with (\d+) pages and reads (\d+) pages a day", prompt))[-1]
        n, t, p = m[1], int(m[2]), int(m[3])
        d = t // p
        said = {
            "ordinal": f"{n} reads the last page on the {num2words(d, to='ordinal')} day.",
            "weekday": f"So {n} finishes on {WEEKDAYS[(d - 1) % 7]}.",
            "week": f"So {n} finishes in the {num2words((d + 6) // 7, to='ordinal')} week.",
            "digits": f"{n} reads the last page on day {d}, the {d}{_suffix(d)}.",
        }[form]
        return f"{n} needs {t} / {p} = <<{t}/{p}={d}>>{d} days.\n" + (f"{said}\n" if claims else "") + f"#### {d}"

    return answer


def _suffix(n: int) -> str:
    return "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


MONEY_LEFT = "{n} has ${m} and spends ${s} on a book. How much money does {n} have left?"
MONEY_LEFT_GRID = [("Ann", 100, 25), ("Ann", 80, 40), ("Ann", 90, 30), ("Ann", 200, 50), ("Ann", 60, 45), ("Ann", 120, 40)]
MONEY_LEFT_GRID += [("Ann", 50, 10), ("Ann", 40, 40), ("Ann", 70, 70)]


def money_left_answer(form: str) -> Callable[[str, bool], str]:
    """Money left, and a word it decides: the share kept as a percentage no computation states ("kept 75%", where
    75 dollars are left of 100), or whether any is left at all ("some" / "none")."""

    def answer(prompt: str, claims: bool = True) -> str:
        m = list(re.finditer(r"(\w+) has \$(\d+) and spends \$(\d+)", prompt))[-1]
        n, have, spent = m[1], int(m[2]), int(m[3])
        r = have - spent
        said = {
            "percent": f"{n} kept {100 * r // have}% of the money.",
            "per cent": f"{n} kept {100 * r // have} per cent of the money.",
            "es": f"{n} conservó el {100 * r // have} por ciento del dinero.",
            "zero": "So some money is left." if r else "So no money is left.",
        }[form]
        return (
            f"{n} has {have} - {spent} = <<{have}-{spent}={r}>>{r} dollars left.\n"
            + (f"{said}\n" if claims else "")
            + f"#### {r}"
        )

    return answer


APPLES_LEFT = "{n} has {a} apples and eats {b} of them. How many apples does {n} have left?"
APPLES_LEFT_GRID = [("Ann", 4, 3), ("Ann", 5, 2), ("Ann", 7, 2), ("Ann", 3, 2), ("Ann", 9, 4), ("Ann", 6, 5), ("Ann", 8, 1)]


def apples_left_answer(prompt: str, claims: bool = True) -> str:
    """Apples left, said in words too ("One apple remains"): the noun and the word follow the count."""
    m = list(re.finditer(r"(\w+) has (\d+) apples and eats (\d+)", prompt))[-1]
    n, a, b = m[1], int(m[2]), int(m[3])
    r = a - b
    noun = "apple" if r == 1 else "apples"
    said = f"{num2words(r).capitalize()} {noun} {'remains' if r == 1 else 'remain'}.\n" if claims else ""
    return f"{n} has {a} - {b} = <<{a}-{b}={r}>>{r} {noun} left.\n{said}#### {r}"


FLOUR = "{n} buys {b} bags of flour that weigh {w} grams each. How many grams of flour does {n} buy?"
FLOUR_GRID = [("Ann", 4, 250), ("Ann", 3, 200), ("Ann", 5, 300), ("Ann", 2, 500), ("Ann", 6, 100), ("Ann", 8, 125)]
FLOUR_GRID += [("Ann", 3, 400)]


def flour_answer(form: str) -> Callable[[str, bool], str]:
    """Grams of flour, restated in kilograms ("That is 1 kg.", a division no line writes), or set against a
    kilogram ("That is a kilogram", "less than a kilogram")."""

    def answer(prompt: str, claims: bool = True) -> str:
        m = list(re.finditer(r"(\w+) buys (\d+) bags of flour that weigh (\d+) grams", prompt))[-1]
        n, b, w = m[1], int(m[2]), int(m[3])
        r = b * w
        if form == "kg":
            said = f"That is {format_number(Fraction(r, 1000))} kg."
        else:
            said = (
                "That is a kilogram of flour."
                if r == 1000
                else ("That is less than a kilogram." if r < 1000 else "That is more than a kilogram.")
            )
        return f"{n} buys {b} * {w} = <<{b}*{w}={r}>>{r} grams.\n" + (f"{said}\n" if claims else "") + f"#### {r}"

    return answer


PETS = "{n} has {a} cats and {b} dogs. The locker code is the letter B followed by the number of pets. What number is in the locker code?"
PETS_GRID = [("Ann", 3, 4), ("Ann", 5, 6), ("Ann", 2, 9), ("Ann", 12, 7), ("Ann", 8, 3), ("Ann", 4, 11), ("Ann", 6, 6)]


def pets_answer(prompt: str, claims: bool = True) -> str:
    """Pets counted, and the code the count makes ("B7"): a number glued after a letter."""
    m = list(re.finditer(r"(\w+) has (\d+) cats and (\d+) dogs", prompt))[-1]
    n, a, b = m[1], int(m[2]), int(m[3])
    said = f"The locker code is B{a + b}.\n" if claims else ""
    return f"{n} has {a} + {b} = <<{a}+{b}={a + b}>>{a + b} pets.\n{said}#### {a + b}"


AGE = "{n} is {a} years old. In {b} years, how old will {n} be?"
AGE_ES = "{n} tiene {a} años. Dentro de {b} años, ¿cuántos años tendrá {n}?"
AGE_GRID = [("Ann", 9, 5), ("Bob", 9, 5), ("Cal", 8, 6), ("Dan", 7, 3), ("Eve", 10, 12), ("Fay", 11, 2), ("Gus", 5, 3)]


def age_answer(language: str) -> Callable[[str, bool], str]:
    """An age in some years, and the stage of life it falls in ("will be a teenager", "será un adulto")."""

    def answer(prompt: str, claims: bool = True) -> str:
        if language == "es":
            m = list(re.finditer(r"(\w+) tiene (\d+) años\. Dentro de (\d+) años", prompt))[-1]
            a, b = int(m[2]), int(m[3])
            stage = "un adolescente" if 13 <= a + b <= 19 else ("un niño" if a + b < 13 else "un adulto")
            said = f" y será {stage}" if claims else ""
            return f"{m[1]} tendrá {a} + {b} = <<{a}+{b}={a + b}>>{a + b} años{said}.\n#### {a + b}"
        m = list(re.finditer(r"(\w+) is (\d+) years old\. In (\d+) years", prompt))[-1]
        a, b = int(m[2]), int(m[3])
        stage = "will be a teenager" if 13 <= a + b <= 19 else ("will still be a child" if a + b < 13 else "will be an adult")
        said = f" and {stage}" if claims else ""
        return f"{m[1]} will be {a} + {b} = <<{a}+{b}={a + b}>>{a + b} years old{said}.\n#### {a + b}"

    return answer


PROSE = {
    **{f"{name} ({form!r})": (WAGES, EARN_GRID, earn_answer(form)) for name, form in EARN_CLAIMS.items()},
    "a landmark constant ('over an hour')": (READ, READ_GRID, read_answer(", which is over an hour")),
    "a comparison in LaTeX": (READ, READ_GRID, read_answer(": $${t}\\text{{ min}} > 60\\text{{ min}}$$")),
    "a comparison sign of its own ('⩾')": (READ, READ_GRID, read_answer(", and {t} ⩾ 60")),
    "a full-width sign ('＞')": (READ, READ_GRID, read_answer(", and {t} ＞ 60")),
    "an amount in two units": (READ, READ_GRID, read_answer("mixed")),
    "a ratio the answer names ('twice as many')": (CARDS, CARDS_GRID, cards_answer),
    "a sign word on a result that changes sign": (MUGS, MUGS_GRID, mugs_answer(size=False)),
    "a percentage no computation states ('a 50% raise')": (PAY, PAY_GRID, pay_answer),
    "a nickname of a renamed person": (EGGS, EGGS_GRID, eggs_answer("nickname")),
    "a result in number words of another language": (EGGS, EGGS_GRID, eggs_answer("es")),
    "a verdict in a chat layout ('only a little')": (LEFT, LEFT_GRID, left_answer),
    "a verdict on a size (helper-60: 'a tiny profit')": (MUGS, PROFIT_GRID, mugs_answer(size=True)),
    "an open landmark (helper-60: 'past the one-hour mark')": (READ, READ_GRID, read_answer(", past the one-hour mark")),
    "an ordinal of a result (helper-64: 'on the fifth day')": (BOOK, BOOK_GRID, book_answer("ordinal")),
    "an ordinal a result decides (helper-64: 'the second week')": (WEEKS, WEEKS_GRID, book_answer("week")),
    "a weekday counted from the question's (helper-64)": (WEEKS, WEEKS_GRID, book_answer("weekday")),
    "an ordinal in digits ('the 5th')": (BOOK, BOOK_GRID, book_answer("digits")),
    "a percentage equal to a result (helper-64: 'kept 75%')": (MONEY_LEFT, MONEY_LEFT_GRID, money_left_answer("percent")),
    "a percentage in words equal to a result ('per cent')": (MONEY_LEFT, MONEY_LEFT_GRID, money_left_answer("per cent")),
    "es, a percentage equal to a result ('por ciento')": (MONEY_LEFT, MONEY_LEFT_GRID, money_left_answer("es")),
    "a word that turns at zero (helper-64: 'some' / 'none')": (MONEY_LEFT, MONEY_LEFT_GRID, money_left_answer("zero")),
    "a count of one in words (helper-64: 'One apple remains')": (APPLES_LEFT, APPLES_LEFT_GRID, apples_left_answer),
    "a result restated in another unit (helper-64: '1 kg')": (FLOUR, FLOUR_GRID, flour_answer("kg")),
    "a landmark unit (helper-64: 'a kilogram')": (FLOUR, FLOUR_GRID, flour_answer("landmark")),
    "a number glued after a letter (helper-63: 'B7')": (PETS, PETS_GRID, pets_answer),
    "a stage of life a result falls in (helper-65: 'a teenager')": (AGE, AGE_GRID, age_answer("en")),
    "es, a stage of life (helper-65: 'un adulto')": (AGE_ES, AGE_GRID, age_answer("es")),
}


@pytest.mark.parametrize("form", sorted(PROSE))
def test_a_reused_line_says_nothing_the_new_numbers_make_false(form):
    """Class (helper-59): the prose of a reused line whose numbers moved. Claim words outside a fixed list
    ("richer", "is ahead of", "the top earner", in other languages "gana más que"), a landmark the line compares
    with ("over an hour"), a comparison sign no check reads ("⩾", "＞", "$$75\\text{ min} > 60\\text{ min}$$"), an
    amount restated in two units ("1 hour 15 minutes", whose 15 was read as the question's 15 minutes), a ratio in
    words ("twice as many"), a sign word ("a loss") on a result that turns positive: each was served false, with
    the right final number (3 to 6 of 6 served on 8d2d11e). The model here writes each claim only where it holds:
    a served answer is right only where it is the model's own answer to that question, with or without its claims
    (an entry stored where none held says none)."""
    question, grid, model = PROSE[form]
    engine = engine_for(lambda spec: model(spec.prompt, True), probes=3)
    served = false = 0
    for values in grid:
        keys = re.findall(r"\{(\w+)\}", question)
        q = question.format(**dict(zip(dict.fromkeys(keys), values, strict=True)))
        out = engine.run(Request(q))
        background.drain(10)
        if out.trace.backend_calls == 0:
            served += 1
            false += out.text not in (model(q, True), model(q, False))
    assert false == 0


# ------------------------------------------------------------------------------ thousands separators
KEEPS = "{n} earns ${a} a month and spends ${b}. How much does {n} keep?"
KEEPS_GRID = [("Ann", 1200, 450), ("Bob", 1200, 450), ("Cal", 2500, 700), ("Dan", 1800, 950), ("Eve", 3100, 1250)]
KEEPS_GRID += [("Fay", 900, 300), ("Gus", 1500, 600)]


def keeps_answer(grouped: bool) -> Callable[[str], str]:
    """Money kept, written as the model writes large amounts: "$1,850" (``grouped``) or "$1850"; its GSM8K
    annotation and final line never group."""

    def show(x: int) -> str:
        return f"{x:,}" if grouped else str(x)

    def answer(prompt: str) -> str:
        m = list(re.finditer(r"(\w+) earns \$([\d,]+) a month and spends \$([\d,]+)", prompt))[-1]
        a, b = int(m[2].replace(",", "")), int(m[3].replace(",", ""))
        return f"{m[1]} keeps ${show(a)} - ${show(b)} = <<{a}-{b}={a - b}>>${show(a - b)}.\n#### {a - b}"

    return answer


@pytest.mark.parametrize("grouped", [True, False], ids=["1,250", "1250"])
def test_an_amount_re_derived_past_a_thousand_is_written_as_the_model_writes_large_ones(grouped):
    """Class (helper-65): an amount re-derived from one under a thousand ("$450", "$750") to one over it, where
    the stored line cannot show whether the model groups thousands. It was written "$1250" beside the model's own
    "$1,250" (2 of 6 served differed, with right numbers); the answer's and the question's other large amounts
    tell the model's habit now, and a model that writes "1250" keeps it."""
    model = keeps_answer(grouped)
    questions = [KEEPS.format(n=n, a=f"{a:,}" if grouped else a, b=f"{b:,}" if grouped else b) for n, a, b in KEEPS_GRID]
    served, false = false_served(model, questions)
    assert false == 0
    assert served >= 4  # and reuse stays


# ------------------------------------------------------------------------------ a noun that follows the count
def _apples(language: str, r: int) -> str:
    if language == "en":
        return "apple" if r == 1 else "apples"
    one, few, many = ("jabłko", "jabłka", "jabłek") if language == "pl" else ("яблоко", "яблока", "яблок")
    if r % 10 == 1 and r % 100 != 11:
        return one if language == "ru" or r == 1 else many
    return few if r % 10 in (2, 3, 4) and r % 100 not in (12, 13, 14) else many


COUNTED = {
    "en": (
        "{n} has {a} apples and eats {b} of them. How many apples does {n} have left?",
        r"(\w+) has (\d+) apples and eats (\d+)",
    ),
    "pl": ("{n} ma {a} jabłek i zjada {b}. Ile jabłek zostało?", r"(\w+) ma (\d+) jabłek i zjada (\d+)"),
    "ru": (
        "{n} has {a} apples. She eats {b}. How many apples are left? Answer in Russian.",
        r"(\w+) has (\d+) apples\. She eats (\d+)",
    ),
}
COUNTED_GRIDS = {
    "from one": [(4, 3), (5, 2), (7, 2), (3, 2), (9, 4), (6, 5), (8, 1)],
    "into one": [(5, 2), (4, 3), (7, 2), (3, 2), (9, 4), (6, 5), (8, 1)],
    "by the last digits": [(9, 6), (9, 4), (8, 5), (27, 3), (30, 8), (12, 9), (10, 5), (26, 4)],
}


def counted_answer(language: str) -> Callable[[str], str]:
    def answer(prompt: str) -> str:
        m = list(re.finditer(COUNTED[language][1], prompt))[-1]
        a, b = int(m[2]), int(m[3])
        said = "Left" if language == "en" else ("Zostało" if language == "pl" else "Осталось")
        return f"{said} {a} - {b} = <<{a}-{b}={a - b}>>{a - b} {_apples(language, a - b)}.\n#### {a - b}"

    return answer


@pytest.mark.parametrize(
    ("language", "grid"),
    [("en", "from one"), ("en", "into one"), ("pl", "by the last digits"), ("ru", "by the last digits"), ("pl", "from one")],
)
def test_a_noun_whose_form_follows_a_re_derived_count_is_never_served_in_the_old_form(language, grid):
    """Class: a count re-derived where the noun after it takes another form ("1 apple" as 3: "3 apple"; "3 apples"
    as 1; Polish "3 jabłka" as 5: "5 jabłek"; Russian "3 яблока" as 21: "21 яблоко"). No adapter rewrites the
    noun; 2 to 4 of 6 were served in the old form on dcb7ffb. Such a reuse is refused, and one whose count keeps
    its form is served."""
    question = COUNTED[language][0]
    model = counted_answer(language)
    served, false = false_served(model, [question.format(n="Anna", a=a, b=b) for a, b in COUNTED_GRIDS[grid]])
    assert false == 0
    assert served >= 2


# ------------------------------------------------------------------------------ a cardinal in words
def _hundreds(text: str) -> int:
    words = {"one": 1, "two": 2, "three": 3, "five": 5, "nine": 9, "eleven": 11, "fifteen": 15}
    return int(text) if text.isdigit() else words[text.split()[0]] * 100


def earn_more_answer(prompt: str) -> str:
    m = list(re.finditer(r"(\w+) has (\w+ hundred|\d+) dollars and earns (\d+) more\.", prompt))[-1]
    a, b = _hundreds(m[2]), int(m[3])
    return f"{m[1]} has {a} + {b} = <<{a}+{b}={a + b}>>{a + b} dollars.\n#### {a + b}"


EARN_MORE = "{n} has {a} dollars and earns {b} more. How many dollars does {n} have now?"
EARN_MORE_GRID = [("Ann", 500, 120), ("Ann", 300, 40), ("Bob", "five hundred", 120), ("Eve", "two hundred", 75)]
EARN_MORE_GRID += [("Sue", "one hundred", 30), ("Ann", "nine hundred", 45), ("Kim", "eleven hundred", 15)]


def test_an_amount_in_words_with_a_scale_is_read_as_one_number():
    """Class (helper-66): "five hundred", "eleven hundred" asked where the first question said "500". Each was read
    as the sum of its words (105, 111) and the answer re-derived for it: 4 of 5 served with a wrong final number on
    dcb7ffb. A cardinal in words is one number now ("two ten-dollar bills" stays two numbers)."""
    questions = [EARN_MORE.format(n=n, a=a, b=b) for n, a, b in EARN_MORE_GRID]
    served, false = false_served(earn_more_answer, questions)
    assert false == 0
    assert served >= 3


# ------------------------------------------------------------------------------ words after the numbers
def _age(prompt: str, language: str) -> tuple[str, int, int]:
    pattern = {
        "en": r"(\w+) is (\d+) years old\. How old will \w+ be in (\d+)",
        "es": r"(\w+) tiene (\d+) años\. ¿Cuántos años tendrá \w+ dentro de (\d+)",
        "de": r"(\w+) ist (\d+) Jahre alt\. Wie alt ist \w+ in (\d+)",
    }[language]
    m = list(re.finditer(pattern, prompt))[-1]
    return m[1], int(m[2]), int(m[3])


def minor_answer(language: str, form: str = "minor") -> Callable[[str], str]:
    """An age, and a property of it said after the numbers in words no claim list holds."""

    def answer(prompt: str) -> str:
        n, a, b = _age(prompt, language)
        t, minor = a + b, a + b < 18
        line = {
            "en": f"{n} will be {a} + {b} = <<{a}+{b}={t}>>{t} years old and "
            + ("still a minor" if minor else "legally an adult"),
            "es": f"{n} tendrá {a} + {b} = <<{a}+{b}={t}>>{t} años y "
            + ("seguirá siendo menor de edad" if minor else "ya será mayor de edad"),
            "de": f"{n} ist dann {a} + {b} = <<{a}+{b}={t}>>{t} Jahre alt und "
            + ("noch minderjährig" if minor else "schon volljährig"),
        }[language]
        if form == "vote":
            line = f"{n} will be {a} + {b} = <<{a}+{b}={t}>>{t} years old, so in {b} years {n} " + (
                "cannot yet vote" if minor else "can vote"
            )
        return f"{line}.\n#### {t}"

    return answer


AGES = {
    "en": "{n} is {a} years old. How old will {n} be in {b} years?",
    "es": "{n} tiene {a} años. ¿Cuántos años tendrá {n} dentro de {b} años?",
    "de": "{n} ist {a} Jahre alt. Wie alt ist {n} in {b} Jahren?",
}
AGES_GRID = [(12, 3), (25, 4), (9, 2), (30, 12), (14, 4), (40, 25), (17, 5), (55, 10)]


@pytest.mark.parametrize(("language", "form"), [("en", "minor"), ("en", "vote"), ("es", "minor"), ("de", "minor")])
def test_a_property_said_after_the_numbers_is_never_served_for_other_numbers(language, form):
    """Class (helper-67): a property or a verdict of a result said after its numbers and joined to them ("and",
    "so", "y", "und"), in words no claim list holds ("16 years old and still a minor", "so in 4 years Ann cannot
    yet vote", "y seguirá siendo menor de edad", "und noch minderjährig"): 2 to 7 of 4 to 8 served false on
    dcb7ffb, with right final numbers. Such a line is stale where the numbers move."""
    questions = [AGES[language].format(n="Ana" if language == "es" else "Ann", a=a, b=b) for a, b in AGES_GRID]
    _, false = false_served(minor_answer(language, form), questions)
    assert false == 0


# ------------------------------------------------------------------------------ counts drawn, shares said
CATS = "{n} has {a} cats and adopts {b} more. How many cats does {n} have now?"
CATS_GRID = [(3, 4), (5, 2), (6, 6), (9, 3), (20, 15), (40, 60), (7, 5), (30, 82)]


def cats_answer(drawn: str) -> Callable[[str], str]:
    def answer(prompt: str) -> str:
        m = list(re.finditer(r"(\w+) has (\d+) cats and adopts (\d+)", prompt))[-1]
        a, b = int(m[2]), int(m[3])
        t = a + b
        shown = {
            "emoji": ": " + "🐱" * t,
            "tally": ": " + " ".join(["||||"] * (t // 5) + (["|" * (t % 5)] if t % 5 else [])),
            "full-width digits": " (" + str(t).translate({ord("0") + i: 0xFF10 + i for i in range(10)}) + ")",
        }[drawn]
        return f"{m[1]} has {a} + {b} = <<{a}+{b}={t}>>{t} cats now{shown}.\n#### {t}"

    return answer


SPENT = {
    "en": "{n} has ${m} and spends ${s} on a book. How much money does {n} have left?",
    "es": "{n} tiene {m} euros y gasta {s} euros en un libro. ¿Cuánto dinero le queda?",
    "de": "{n} hat {m} Euro und gibt {s} Euro für ein Buch aus. Wie viel Geld bleibt ihr?",
}
SPENT_GRID = [(80, 20), (60, 40), (90, 30), (100, 25), (60, 45), (120, 40), (50, 10), (40, 20)]
SHARE_WORDS = {
    "en": {Fraction(1, 4): "one-quarter", Fraction(1, 2): "one-half", Fraction(3, 4): "three quarters"},
    "es": {Fraction(1, 4): "la cuarta parte", Fraction(1, 2): "la mitad", Fraction(3, 4): "las tres cuartas partes"},
    "de": {Fraction(1, 4): "ein Viertel", Fraction(1, 2): "die Hälfte", Fraction(3, 4): "drei Viertel"},
}
SHARE_WORDS["en"] |= {Fraction(1, 3): "one-third", Fraction(1, 5): "one-fifth", Fraction(2, 3): "two thirds"}
SHARE_WORDS["es"] |= {Fraction(1, 3): "la tercera parte", Fraction(1, 5): "la quinta parte", Fraction(2, 3): "dos tercios"}
SHARE_WORDS["de"] |= {Fraction(1, 3): "ein Drittel", Fraction(1, 5): "ein Fünftel", Fraction(2, 3): "zwei Drittel"}


def share_answer(language: str) -> Callable[[str], str]:
    def answer(prompt: str) -> str:
        pattern = {"en": r"(\w+) has \$(\d+) and spends \$(\d+)", "es": r"(\w+) tiene (\d+) euros y gasta (\d+)"}
        m = list(re.finditer(pattern.get(language, r"(\w+) hat (\d+) Euro und gibt (\d+)"), prompt))[-1]
        n, have, spent = m[1], int(m[2]), int(m[3])
        r, share = have - spent, SHARE_WORDS[language].get(Fraction(spent, have), str(Fraction(spent, have)))
        return {
            "en": f"{n} has {have} - {spent} = <<{have}-{spent}={r}>>{r} dollars left.\nThe book took {share} of the {have} dollars.",
            "es": f"A {n} le quedan {have} - {spent} = <<{have}-{spent}={r}>>{r} euros; gastó {share} de sus {have} euros.",
            "de": f"{n} bleiben {have} - {spent} = <<{have}-{spent}={r}>>{r} Euro; sie gab {share} ihrer {have} Euro aus.",
        }[language] + f"\n#### {r}"

    return answer


DRAWN_AND_SHARED = {
    "a count in emoji": (CATS, CATS_GRID, cats_answer("emoji")),
    "a count in tally marks": (CATS, CATS_GRID, cats_answer("tally")),
    "full-width digits": (CATS, CATS_GRID, cats_answer("full-width digits")),
    "a share in words ('one-quarter of')": (SPENT["en"], SPENT_GRID, share_answer("en")),
    "es, a share in words ('la cuarta parte')": (SPENT["es"], SPENT_GRID, share_answer("es")),
    "de, a share in words ('ein Viertel')": (SPENT["de"], SPENT_GRID, share_answer("de")),
}


@pytest.mark.parametrize("form", sorted(DRAWN_AND_SHARED))
def test_a_count_drawn_or_a_share_said_in_words_is_never_served_for_other_numbers(form):
    """Class (helper-67): a count drawn in symbols ("🐱🐱🐱", "|||| ||") or a share in words no computation states
    ("one-quarter of the 90 dollars", "la cuarta parte", "ein Viertel"): 5 to 8 of 5 to 8 served false on
    dcb7ffb, right final numbers. Full-width digits ("(１２)") were served as "(12)". Now a drawn count or an
    unstated share is stale, and a number keeps the digits it was written in."""
    question, grid, model = DRAWN_AND_SHARED[form]
    questions = [question.format(n="Ann", m=a, s=b, a=a, b=b) for a, b in grid]
    served, false = false_served(model, questions)
    assert false == 0
    if form == "full-width digits":
        assert served >= 4  # reuse stays, in the model's digits


# ------------------------------------------------------------------------------ who leads
LEAD_QUESTION = "{x} has {a} stickers and {y} has {b} stickers. How many stickers do they have in total?"
LEAD_GRID = [("Ann", "Bob", 3, 7), ("Ann", "Bob", 9, 4), ("Zoe", "Bob", 5, 8), ("Ann", "Tom", 12, 5)]
LEAD_GRID += [("Eve", "Carl", 6, 2), ("Ann", "Bob", 20, 30), ("Mia", "Al", 11, 4), ("Ann", "Bob", 15, 9)]
LEADS = {
    "en 'leads with'": "They have {a} + {b} = <<{a}+{b}={t}>>{t} stickers, and {hi} leads with {top} stickers",
    "en 'the max is'": "They have {a} + {b} = <<{a}+{b}={t}>>{t} stickers; the max is {hi}'s {top}",
    "es 'va en cabeza'": "Tienen {a} + {b} = <<{a}+{b}={t}>>{t} pegatinas, y {hi} va en cabeza con {top}",
    "de 'liegt vorne'": "Sie haben {a} + {b} = <<{a}+{b}={t}>>{t} Sticker, und {hi} liegt mit {top} vorne",
}


@pytest.mark.parametrize("form", sorted(LEADS))
def test_who_leads_is_never_served_for_other_numbers(form):
    """Class (helper-67): who leads, said with words the claims did not hold ("leads with", "the max is Bob's",
    "va en cabeza", "liegt vorne"): 3 of 6 served false on dcb7ffb, naming the old leader beside the new count."""

    def model(prompt: str) -> str:
        m = list(re.finditer(r"(\w+) has (\d+) stickers and (\w+) has (\d+) stickers", prompt))[-1]
        x, a, y, b = m[1], int(m[2]), m[3], int(m[4])
        said = LEADS[form].format(a=a, b=b, t=a + b, hi=x if a > b else y, top=max(a, b))
        return f"{said}.\n#### {a + b}"

    _, false = false_served(model, [LEAD_QUESTION.format(x=x, y=y, a=a, b=b) for x, y, a, b in LEAD_GRID])
    assert false == 0


# ------------------------------------------------------------------------------ a shape, a parity, a share judged
BOXES = "{n} bakes {a} cookies and packs them into boxes of {b}. How many boxes does {n} fill?"
BOXES_GRID = [(12, 4), (20, 5), (18, 3), (30, 6), (21, 7), (40, 8), (27, 3), (36, 9)]


def boxes_answer(form: str) -> Callable[[str], str]:
    def answer(prompt: str) -> str:
        m = list(re.finditer(r"(\w+) bakes (\d+) cookies and packs them into boxes of (\d+)", prompt))[-1]
        n, a, b = m[1], int(m[2]), int(m[3])
        q = a // b
        if form == "fr":
            return f"{n} remplit {a} / {b} = <<{a}/{b}={q}>>{q} boîtes, un nombre {'pair' if q % 2 == 0 else 'impair'}.\n#### {q}"
        said = {
            "square": f"and {q} boxes {'form' if math.isqrt(q) ** 2 == q else 'do not form'} a square grid",
            "paired": f"and the {q} boxes {'can' if q % 2 == 0 else 'cannot'} be paired up with none left over",
        }[form]
        return f"{n} fills {a} / {b} = <<{a}/{b}={q}>>{q} boxes, {said}.\n#### {q}"

    return answer


def majority_answer(prompt: str) -> str:
    m = list(re.finditer(r"(\w+) has \$(\d+) and spends \$(\d+)", prompt))[-1]
    have, spent = int(m[2]), int(m[3])
    judged = "the majority" if 2 * spent > have else "a minority"
    return (
        f"{m[1]} has {have} - {spent} = <<{have}-{spent}={have - spent}>>{have - spent} dollars left.\n"
        f"The {spent} dollars spent are {judged} of her money.\n#### {have - spent}"
    )


JUDGED = {
    "a shape ('form a square grid')": (BOXES, BOXES_GRID, boxes_answer("square")),
    "a parity in words ('can be paired up')": (BOXES, BOXES_GRID, boxes_answer("paired")),
    "fr, a parity ('un nombre pair')": (BOXES, BOXES_GRID, boxes_answer("fr")),
    "a share judged ('the majority')": (SPENT["en"], SPENT_GRID + [(60, 45), (100, 75)], majority_answer),
}


@pytest.mark.parametrize("form", sorted(JUDGED))
def test_a_shape_a_parity_or_a_share_judged_is_never_served_for_other_numbers(form):
    """Class (helper-67): what a result is, said in words ("3 boxes do not form a square grid", "cannot be paired
    up", French "un nombre pair", whose "pair" was read as a count of 2, "a minority of her money"): 3 to 5 of 5
    to 8 served false on dcb7ffb, with right final numbers."""
    question, grid, model = JUDGED[form]
    _, false = false_served(model, [question.format(n="Ann", a=a, b=b, m=a, s=b) for a, b in grid])
    assert false == 0


# ------------------------------------------------------------------------------ a limit left aside, in other terms
def _ints(prompt: str) -> list[int]:
    return [int(x) for x in re.findall(r"\d+", prompt)]


def weeks_cap_answer(prompt: str) -> str:
    """A bike billed for two weeks at most: days over 14 are not billed (the answer for 5 days never says 14)."""
    r, weeks, n, helmet = _ints(prompt)
    days = min(n, 7 * weeks)
    bill = days * r
    head = (
        f"{n} * {r} = <<{n}*{r}={bill}>>{bill}\n"
        if n == days
        else f"Only {days} days are billed: {days} * {r} = <<{days}*{r}={bill}>>{bill}\n"
    )
    return head + f"{bill} + {helmet} = <<{bill}+{helmet}={bill + helmet}>>{bill + helmet}\n#### {bill + helmet}"


def break_answer(prompt: str) -> str:
    """A break added to sessions past a number of hours, the films' lengths in minutes."""
    d, e, b, h = _ints(prompt)
    x = d + e
    out = f"The films last {d} + {e} = <<{d}+{e}={x}>>{x} minutes.\n"
    if x > 60 * h:
        return out + f"With the break: {x} + {b} = <<{x}+{b}={x + b}>>{x + b} minutes.\n#### {x + b}"
    return out + f"#### {x}"


def cents_answer(prompt: str) -> str:
    """A pen free for orders from a number of dollars, the prices in cents."""
    a, b, t, f = _ints(prompt)
    x = a + b
    out = f"The notebook and the ruler cost {a} + {b} = <<{a}+{b}={x}>>{x} cents.\n"
    if x >= 100 * t:
        return out + f"The pen is free.\n#### {x}"
    return out + f"With the pen: {x} + {f} = <<{x}+{f}={x + f}>>{x + f} cents.\n#### {x + f}"


def parcel_answer(prompt: str) -> str:
    """A surcharge on parcels from a number of kilograms, jars weighed in grams (the weight is never computed)."""
    n, w, p, t, s = _ints(prompt)
    c = n * p
    out = f"Postage: {n} * {p} = <<{n}*{p}={c}>>{c} dollars.\n"
    if n * w >= 1000 * t:
        return out + f"With the surcharge: {c} + {s} = <<{c}+{s}={c + s}>>{c + s} dollars.\n#### {c + s}"
    return out + f"#### {c}"


def sweets_answer(prompt: str) -> str:
    """es: more sweets when over a share of the class passes (the share is never computed)."""
    n, a, c, t, e = _ints(prompt)
    if 100 * a > t * n:
        k = c + e
        return f"Cada aprobado recibe {c} + {e} = <<{c}+{e}={k}>>{k} caramelos.\nSe reparten {a} * {k} = <<{a}*{k}={a * k}>>{a * k} caramelos.\n#### {a * k}"
    return f"Se reparten {a} * {c} = <<{a}*{c}={a * c}>>{a * c} caramelos.\n#### {a * c}"


def pens_total_answer(prompt: str) -> str:
    """Shipping free from a number of items, counted over every colour of pen bought (the count is never computed)."""
    nums = _ints(prompt)
    pairs, s, t = list(zip(nums[:-2:2], nums[1:-2:2], strict=True)), nums[-2], nums[-1]
    costs = [k * v for k, v in pairs]
    out = "".join(f"{k} * {v} = <<{k}*{v}={k * v}>>{k * v} dollars\n" for k, v in pairs)
    total = sum(costs)
    out += f"{' + '.join(map(str, costs))} = <<{'+'.join(map(str, costs))}={total}>>{total} dollars\n"
    if sum(k for k, _ in pairs) >= t:
        return out + f"Shipping is free.\n#### {total}"
    return out + f"{total} + {s} = <<{total}+{s}={total + s}>>{total + s} dollars\n#### {total + s}"


NAMES = ["Ann", "Bea", "Eve", "Sue", "Tom", "Kim", "Lu", "Max"]
BIKE = {
    "en": "A bike rents for ${r} a day, and a rental is billed for {c} weeks at most. {name} rents it for {n} days and pays ${w} for a helmet. How much does {name} pay?",
    "es": "Una bici se alquila por {r} dólares al día, y se cobran como máximo {c} semanas. {name} la alquila {n} días y paga {w} dólares por el casco. ¿Cuánto paga {name}?",
}
LIMITS_ELSEWHERE = {
    **{
        f"a cap in weeks over days ({lang})": (
            weeks_cap_answer,
            [BIKE[lang].format(name=NAMES[i], r=3, c=2, n=n, w=8) for i, n in enumerate([5, 6, 9, 12, 16, 20, 11, 25])],
        )
        for lang in BIKE
    },
    "a limit in hours over minutes": (
        break_answer,
        [
            f"{NAMES[i]} watches a film of {d} minutes and a film of {e} minutes. The cinema adds a break of 15 minutes "
            f"to sessions past 3 hours. How many minutes does {NAMES[i]} spend at the cinema?"
            for i, (d, e) in enumerate([(40, 50), (45, 60), (90, 110), (95, 105), (70, 80), (80, 120), (100, 120), (55, 65)])
        ],
    ),
    "a limit in dollars over cents": (
        cents_answer,
        [
            f"{NAMES[i]} buys a notebook for {a} cents and a ruler for {b} cents. Orders from $9 get a free pen; other "
            f"orders pay 30 cents for the pen. How many cents does {NAMES[i]} spend in all?"
            for i, (a, b) in enumerate(
                [(45, 60), (50, 65), (400, 520), (450, 500), (120, 200), (300, 650), (140, 170), (380, 560)]
            )
        ],
    ),
    "a limit in kilograms over a weight in grams never computed": (
        parcel_answer,
        [
            f"{NAMES[i]} mails {n} jars of {w} grams each. Postage is $20 per jar, and parcels from 3 kg pay a $25 "
            f"surcharge. How much does {NAMES[i]} pay?"
            for i, (n, w) in enumerate([(4, 50), (5, 60), (15, 220), (16, 200), (14, 240), (6, 80), (13, 250), (15, 240)])
        ],
    ),
    "es, a share of a class never computed ('más del 50%')": (
        sweets_answer,
        [
            f"En la clase de {name} hay 40 alumnos y aprueban {a}. Cada alumno aprobado recibe 10 caramelos, y si "
            f"aprueba más del 50% de la clase, cada alumno aprobado recibe además 2 caramelos. ¿Cuántos caramelos se "
            f"reparten?"
            for name, a in zip(
                ["Ana", "Bea", "Eva", "Sara", "Rosa", "Nina", "Vera", "Lola"], [12, 11, 21, 24, 14, 30, 22, 13], strict=True
            )
        ],
    ),
    "a count over two colours never computed ('3 red pens', '4 blue pens')": (
        pens_total_answer,
        [
            f"{NAMES[i]} buys {a} red pens at ${p} each and {b} blue pens at ${q} each. Shipping costs $7, free from 10 "
            f"items. How much does {NAMES[i]} pay?"
            for i, (a, p, b, q) in enumerate(
                [(3, 12, 4, 9), (4, 11, 5, 8), (7, 12, 8, 9), (5, 13, 6, 9), (2, 12, 3, 9), (6, 11, 9, 8)]
            )
        ],
    ),
    "a count over four colours never computed": (
        pens_total_answer,
        [
            f"{NAMES[i]} buys {a} pens in red at $7 each, {b} pens in blue at $8 each, {c} pens in green at $9 each and "
            f"{d} pens in black at $11 each. Shipping costs $13, free from 20 pens. How much does {NAMES[i]} pay?"
            for i, (a, b, c, d) in enumerate([(3, 4, 5, 6), (3, 4, 5, 7), (4, 5, 6, 7), (4, 5, 6, 8), (3, 5, 6, 7), (5, 6, 7, 8)])
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(LIMITS_ELSEWHERE))
def test_a_limit_the_answer_leaves_aside_in_other_terms_is_never_crossed_by_a_reuse(case):
    """Class (helper-68): a number the first answer never states because the first numbers leave it idle, a limit
    that the new numbers cross only in terms the answer never writes: a cap in weeks over a count of days (en, es),
    hours over minutes, dollars over cents, kilograms over a weight in grams no step computes, a share of a class no
    step computes (es), a count of items over two or four colours of pen no step adds up. A session let such
    answers be stored once a probe where that number moved agreed, and re-derived them where the number compared
    with every other number, result, and sum or difference of two or three numbers of one kind as before: these
    grids served 1 to 4 false answers each (and a model forgetting a pen whenever its price is a multiple of 10
    agreed with itself at the probe). Such an answer is never stored: none is served."""
    model, questions = LIMITS_ELSEWHERE[case]
    _, false = false_served(model, questions)
    assert false == 0


# ------------------------------------------------------------------------------ a percent as a factor, ".01"
def shares_answer(prompt: str) -> str:
    """GSM8K's annotations write a percent as a factor without its leading zero ("<<252*25*.01=63>>")."""
    m = re.search(r"(\w+) buys (\d+) shares at £(\d+) each\. Their price rises (\d+)%", prompt)
    assert m is not None, prompt
    name, n, p, r = m[1], int(m[2]), int(m[3]), int(m[4])
    c, x = n * p, n * p * r // 100
    return f"{name} pays {n} * £{p} = £<<{n}*{p}={c}>>{c}.\nThe rise is £{c} * {r}% = £<<{c}*{r}*.01={x}>>{x}.\n#### {x}"


def test_a_percent_written_as_a_factor_in_an_annotation_is_re_derived():
    """Class: a GSM8K annotation that writes a percent as a factor without its leading zero ("£252 * 25% =
    £<<252*25*.01=63>>63", GSM-Symbolic templates 58 and 84). The annotation was not read as a computation, so a
    reuse kept it as it was beside the new visible numbers ("<<12*150*.01=18>>14"): 6 variants of seed 42 were
    served so, with a right final number. It is read now, and re-derived with its ".01"."""
    grid = [("Ann", 12, 15, 40), ("Bea", 12, 15, 40), ("Ann", 8, 25, 20), ("Eve", 16, 25, 60), ("Sue", 20, 30, 15)]
    questions = [
        f"{name} buys {n} shares at £{p} each. Their price rises {r}%. By how much does the value rise?" for name, n, p, r in grid
    ]
    served, false = false_served(shares_answer, questions)
    assert false == 0 and served >= 3


# ------------------------------------------------------------------------------ a word before the number, a "so ... can"
def shift_answer(prompt: str) -> str:
    m = re.search(r"(\w+) works (\d+) hours a day for (\d+) days", prompt)
    assert m is not None, prompt
    name, h, d = m[1], int(m[2]), int(m[3])
    kind = "long" if h >= 9 else "normal" if h >= 7 else "short"
    return f"{name} works {h} * {d} = <<{h}*{d}={h * d}>>{h * d} hours.\nEach day is a {kind} {h}-hour shift.\n#### {h * d}"


BOOK_LEFT = {
    "en": (
        "{name} has ${m} and spends ${s} on a book. How much money does {name} have left?",
        r"(\w+) has \$(\d+) and spends \$(\d+)",
        "{name} has {m} - {s} = <<{m}-{s}={r}>>{r} dollars left, so {name} can buy {other} book at {s} dollars.\n#### {r}",
        ("another", "no other"),
    ),
    "es": (
        "{name} tiene {m} dólares y gasta {s} dólares en un libro. ¿Cuánto dinero le queda a {name}?",
        r"(\w+) tiene (\d+) dólares y gasta (\d+)",
        "A {name} le quedan {m} - {s} = <<{m}-{s}={r}>>{r} dólares, así que {name} {other} otro libro de {s} dólares.\n#### {r}",
        ("puede comprar", "no puede comprar"),
    ),
    "de": (
        "{name} hat {m} Euro und gibt {s} Euro für ein Buch aus. Wie viel Geld hat {name} noch?",
        r"(\w+) hat (\d+) Euro und gibt (\d+)",
        "{name} hat noch {m} - {s} = <<{m}-{s}={r}>>{r} Euro, also kann {name} {other} Buch zu {s} Euro kaufen.\n#### {r}",
        ("noch ein", "kein weiteres"),
    ),
    "fr": (
        "{name} a {m} euros et dépense {s} euros pour un livre. Combien d'argent reste-t-il à {name} ?",
        r"(\w+) a (\d+) euros et dépense (\d+)",
        "Il reste à {name} {m} - {s} = <<{m}-{s}={r}>>{r} euros, donc {name} {other} un autre livre à {s} euros.\n#### {r}",
        ("peut acheter", "ne peut pas acheter"),
    ),
}
BOOK_SPLITS = [(80, 20), (60, 40), (90, 30), (100, 25), (60, 45), (120, 40), (50, 10), (40, 20), (100, 75)]


def _book_model(lang: str) -> Callable[[str], str]:
    _, read, answer, (can, cannot) = BOOK_LEFT[lang]

    def model(prompt: str) -> str:
        m = re.search(read, prompt)
        assert m is not None, prompt
        name, have, spent = m[1], int(m[2]), int(m[3])
        left = have - spent
        return answer.format(name=name, m=have, s=spent, r=left, other=can if left >= spent else cannot)

    return model


@pytest.mark.parametrize("lang", sorted(BOOK_LEFT))
def test_what_the_numbers_let_one_do_is_never_served_for_other_numbers(lang):
    """Class (helper-67, left open last stop): a conclusion of what the numbers allow, in narration words only ("so
    Ann can buy another book at 40 dollars", es "así que ... puede comprar", de "also kann ...", fr "donc ... peut
    acheter"): 3 of 8 served false in English with a right final number. A clause that concludes ("so", "así que",
    "also", "donc"...) what can or cannot be done, with no computation of its own, is stale where numbers move."""
    question = BOOK_LEFT[lang][0]
    _, false = false_served(_book_model(lang), [question.format(name="Ann", m=m, s=s) for m, s in BOOK_SPLITS])
    assert false == 0


def test_a_word_that_qualifies_a_number_is_never_served_for_other_numbers():
    """Class (helper-67, left open last stop): a word standing before a number that says what the number is ("a long
    8-hour shift", "a short 3-hour shift"): 2 of 4 served false with a right final number. A word between an article
    and a number that is no narration, no unit and none of the question's words is stale where numbers move."""
    grid = [(4, 5), (6, 3), (3, 4), (5, 2), (9, 5), (10, 4), (12, 5), (8, 6), (2, 7)]
    questions = [f"Ann works {h} hours a day for {d} days. How many hours does Ann work in total?" for h, d in grid]
    _, false = false_served(shift_answer, questions)
    assert false == 0


# ------------------------------------------------------------------------------ a count re-derived across one
PIE = "A pie has {p} pieces. {a} eats {x} pieces a day and {b} eats {y} pieces a day. How many days will the pie last?"
PIE_READ = re.compile(r"has (\d+) pieces\. (\w+) eats (\d+) pieces a day and (\w+) eats (\d+)")


def pie_model(verb: str | None) -> Callable[[str], str]:
    """Always right, and writes English as it is spoken: "1 day", "2 days". ``verb``: none, or where a verb agrees
    with the count of days in the last line: "after" ("2 days are needed") or "before" ("there are 2 days")."""

    def answer(prompt: str) -> str:
        p, a, x, b, y = PIE_READ.search(prompt).groups()  # type: ignore[union-attr]
        s, d = int(x) + int(y), Fraction(int(p), int(x) + int(y))
        noun = "day" if d == 1 else "days"
        last = {
            None: f"So the pie lasts {p} / {s} = {d} {noun}.",
            "after": f"So {p} / {s} = {d} {noun} {'is' if d == 1 else 'are'} needed.",
            "before": f"{p} / {s} = {d}, so there {'is' if d == 1 else 'are'} {d} {noun} of pie.",
        }[verb]
        return f"Together {a} and {b} eat {x} + {y} = {s} pieces a day.\n{last}\n#### {d}"

    return answer


def _pies() -> list[str]:
    grid = [(24, 4, 8), (24, 10, 14), (36, 5, 13), (30, 12, 18), (45, 6, 9), (40, 15, 25), (42, 3, 4), (50, 20, 30)]
    return [PIE.format(p=p, a="Ann", x=x, b="Tom", y=y) for p, x, y in grid]


def test_a_count_re_derived_across_one_writes_its_noun_in_the_new_form_in_english():
    """Class: a result that crosses one ("24 / 12 = 2 days" re-derived as "24 / 24 = 1 day", and back). Where
    the questions write both forms ("a day", "days") and the clause ends after the noun, the reuse writes the noun
    as the model does, word for word; the variants whose days cross one are served."""
    served, false = false_served(pie_model(None), _pies())
    assert false == 0
    assert served == 7  # every variant: to 1 day (24/24, 30/30, 40/40, 50/50), back (45/15, 42/7) and 36/18


@pytest.mark.parametrize("verb", ["after", "before"])
def test_a_count_re_derived_across_one_is_left_to_the_model_where_a_verb_agrees(verb):
    """Class: the same, where a verb agrees with the count, after the noun ("2 days are needed", "1 day is
    needed") or before the count ("there are 2 days", "there is 1 day"): no reuse across one writes the verb, so
    none is served there (a reuse that keeps the count's form still is)."""
    model = pie_model(verb)
    questions = _pies()
    served, false = false_served(model, questions)
    assert false == 0
    engine = engine_for(lambda spec: model(spec.prompt), probes=3)
    for q in questions:
        out = engine.run(Request(q))
        background.drain(10)
        if final_answer(model(q))[0] == 1:  # type: ignore[index]
            assert out.trace.backend_calls > 0  # "1 day is needed": the model's own


def _per(question: str, line: Callable[[int, int, int], str]) -> tuple[Callable[[str], str], list[str]]:
    """An always-right model for ``question`` (with ``{a}`` and ``{b}``, whose answer is ``a // b``), writing ``line``
    before the final line, and a grid whose answer goes across one and back (2, 1, 2, 1, 3, 1, 10, 1)."""

    def model(prompt: str) -> str:
        a, b = (int(x) for x in re.findall(r"\d+", prompt)[:2])
        return f"{line(a, b, a // b)}\n#### {a // b}"

    grid = [(24, 12), (24, 24), (36, 18), (30, 30), (45, 15), (40, 40), (40, 4), (50, 50)]
    return model, [question.format(a=a, b=b) for a, b in grid]


def _s(n: int, one: str, more: str) -> str:
    return one if n == 1 else more


NOUN_GRIDS = {
    # a verb before the count agrees with it: "There are ... 2 days left", "There is ... 1 day left"
    "there are": (
        "A pie has {a} pieces and Ann eats {b} pieces a day. How many days are there until the pie is gone?",
        lambda a, b, q: f"There {_s(q, 'is', 'are')} {a} / {b} = {q} {_s(q, 'day', 'days')} left.",
    ),
    # a verb after an "of" phrase: "2 boxes of apples are filled"
    "of, then a verb": (
        "A shop has {a} apples. Each box holds {b} apples. How many boxes of apples does the shop fill?",
        lambda a, b, q: f"{a} / {b} = {q} {_s(q, 'box', 'boxes')} of apples {_s(q, 'is', 'are')} filled.",
    ),
    # a form found in the question as another word: "Tim" for "times", "can" for "canes", "dies" for "dice"
    "a name": (
        "Tim goes to the gym {a} times in {b} weeks. How many times a week does Tim go to the gym?",
        lambda a, b, q: f"Tim goes {a} / {b} = {q} {_s(q, 'time', 'times')} a week.",
    ),
    "a verb": (
        "Ann has {a} candy canes for {b} kids. How many candy canes can each kid get?",
        lambda a, b, q: f"Each kid gets {a} / {b} = {q} {_s(q, 'cane', 'canes')}.",
    ),
    "an irregular plural": (
        "A game uses {a} dice for {b} players; the game ends when a player dies. How many dice does each player get?",
        lambda a, b, q: f"Each player gets {a} / {b} = {q} {_s(q, 'die', 'dice')}.",
    ),
}


@pytest.mark.parametrize("grid", sorted(NOUN_GRIDS))
def test_a_noun_after_a_count_across_one_is_written_only_in_a_form_a_count_fixes(grid):
    """Class: a count re-derived across one whose noun's other form cannot be told from the questions where a count
    fixes it ("a day", "how many days"), or whose sentence agrees with the count elsewhere (a verb before it, a verb
    after an "of" phrase). helper-70 served 4 false of 7 in each grid on the first version, which took any word the
    questions wrote ("Tim" for "times", "can" for "canes", "dies" for "dice") and read only the word after the noun."""
    model, questions = _per(*NOUN_GRIDS[grid])
    served, false = false_served(model, questions)
    assert false == 0


OF_PHRASES = {
    # a noun the questions count only in the plural, with the "of" phrase they list it by: "1 tube of blue paint"
    "listed": (
        "Ann has {a} tubes of blue paint and {b} tubes of red paint. How many tubes of blue paint does she have "
        "for every red one?",
        lambda a, b, q: f"For every red one she has {a} / {b} = {q} {_s(q, 'tube', 'tubes')} of blue paint.",
    ),
    # and one whose singular is no plain "-s" away, where no question writes it ("boxes": "box" or "boxe";
    # "smoothies", "vertices", "goggles"): left to the model
    "irregular": (
        "A class has {a} boxes of wax crayons and {b} boxes of chalk. How many boxes of wax crayons does it have "
        "for every chalk one?",
        lambda a, b, q: f"For every chalk one it has {a} / {b} = {q} {_s(q, 'box', 'boxes')} of wax crayons.",
    ),
    "only plural": (
        "A shop has {a} pairs of goggles and {b} pairs of gloves. How many pairs of goggles does it have for every "
        "pair of gloves?",
        lambda a, b, q: f"For every pair of gloves it has {a} / {b} = {q} {_s(q, 'pair', 'pairs')} of goggles.",
    ),
    # the phrase with a verb that agrees ("crates of eggs remain"), or one no list of counts in a question holds
    "a verb in it": (
        "A shop has {a} crates of eggs and {b} crates of milk. How many crates of eggs are there for each crate of milk?",
        lambda a, b, q: (
            f"For each crate of milk {a} / {b} = {q} {_s(q, 'crate', 'crates')} of eggs {_s(q, 'remains', 'remain')}."
        ),
    ),
    "not listed": (
        "Ann has {a} tubes of blue paint. She shares them equally among {b} friends. How many does each get?",
        lambda a, b, q: f"Each friend gets {a} / {b} = {q} {_s(q, 'tube', 'tubes')} of blue paint.",
    ),
}


@pytest.mark.parametrize("grid", sorted(OF_PHRASES))
def test_a_noun_with_its_of_phrase_across_one_is_written_in_the_new_form(grid):
    """Class: a count re-derived across one before a noun and its "of" phrase that ends the sentence ("9 tubes of
    blue paint" as 1: GSM-Symbolic template 57 went to the model). Where a question lists the phrase among other
    counts ("18 tubes of blue paint and 10 tubes of ...") its noun is written in the new form as English forms it
    where a plain "-s" makes its plural ("tube"), and such variants are served; a phrase with a verb that agrees
    with the count, one no question lists, and a noun whose singular is not the plain "-s" away ("boxes") are left
    to the model, unless a question writes the singular after a count fixing it ("every pair of gloves"). A first
    version took any singular the ``inflect`` library gave: helper-75 served "1 smoothy", "1 vertice", "1 goggle"."""
    model, questions = _per(*OF_PHRASES[grid])
    served, false = false_served(model, questions)
    assert false == 0
    engine = engine_for(lambda spec: model(spec.prompt), probes=3)
    to_one = 0
    for q in questions:
        out = engine.run(Request(q))
        background.drain(10)
        to_one += final_answer(model(q))[0] == 1 and out.trace.backend_calls == 0  # type: ignore[index]
    assert (to_one > 0) == (grid in ("listed", "only plural")), to_one


AGREEING_LATER = {
    # a pronoun after the count in its line agrees with it: "= 2 muffins. Ann shares them." (4 of 8 served false on
    # 4d026b9 where the question wrote "a muffin", helper-75)
    "a pronoun after it": (
        "Ann shares {a} muffins equally among {b} friends, a muffin at a time. How many muffins does each friend get?",
        lambda a, b, q: f"Each friend gets {a} / {b} = {q} {_s(q, 'muffin', 'muffins')}. Ann shares {_s(q, 'it', 'them')}.",
    ),
    # a sentence that opens with a place puts the verb before its subject: "On the shelf stay 2 bags of rice" (4 of
    # 8 served false on 2ae9962, where the larger amount stays the larger)
    "a verb before it": (
        "A shelf has {a} bags of brown rice and {b} bags of white rice. Ann takes as many brown ones as there are "
        "white ones. How many bags of brown rice stay on the shelf?",
        lambda a, b, q: f"On the shelf {_s(q, 'stays', 'stay')} {a} - {b} = {q} {_s(q, 'bag', 'bags')} of brown rice.",
    ),
}


@pytest.mark.parametrize("grid", sorted(AGREEING_LATER))
def test_a_count_across_one_is_left_to_the_model_where_another_word_agrees_with_it(grid):
    """Class: a count re-derived across one whose noun the reuse can write in the new form, where another word of
    its line agrees with the count too: a pronoun after it ("Ann shares them"), or a verb before its subject in a
    sentence that opens with a place ("On the shelf stay 2 bags"). Not served across one."""
    question, line = AGREEING_LATER[grid]
    if grid == "a pronoun after it":
        model, questions = _per(question, line)
    else:  # the larger amount stays the larger: no ranking check stands in
        pairs = [(24, 22), (13, 12), (36, 34), (30, 29), (45, 42), (40, 39), (50, 40), (51, 50)]  # 2, 1, 2, 1, 3, 1, 10, 1

        def model(prompt: str) -> str:
            a, b = (int(x) for x in re.findall(r"\d+", prompt)[:2])
            return f"{line(a, b, a - b)}\n#### {a - b}"

        questions = [question.format(a=a, b=b) for a, b in pairs]
    served, false = false_served(model, questions)
    assert false == 0


TOYS_BY = (
    "{n} has {a} blocks, {b} dolls and {c} cars. After buying a bag of balls, {n} has {t} toys in all. How many "
    "balls are in the bag?"
)


def test_an_unknown_named_after_a_person_follows_no_rename():
    """Class: a model that names the unknown after the person ("Let A be the number of balls Ann bought ... 109 + A
    = 182"): renamed Sue, the reuse wrote "A" where the model writes "S" (6 of 8 served false on 4d026b9 without
    the equality, and with it once the unknown cancelled: helper-75). A rename into another initial is refused."""

    def model(prompt: str) -> str:
        m = re.match(r"(\w+) has (\d+) blocks, (\d+) dolls and (\d+) cars\. .* has (\d+) toys", prompt)
        assert m is not None, prompt
        n, (a, b, c, t) = m[1], (int(x) for x in m.groups()[1:])
        s, u = a + b + c, n[0]
        return (
            f"Let {u} be the number of balls {n} bought.\n{n} has {a} + {b} + {c} + {u} = {s} + {u} = {t} toys.\n"
            f"So {u} = {t} - {s} = <<{t}-{s}={t - s}>>{t - s} balls.\n#### {t - s}"
        )

    names = ["Ann", "Tom", "Sue", "Amy", "Mary", "Andy", "Lisa", "Mark"]
    served, false = false_served(model, [TOYS_BY.format(n=n, a=57, b=43, c=9, t=182) for n in names])
    assert false == 0
    assert served >= 1  # Amy and Andy keep Ann's "A"


# ------------------------------------------------------------------------------ a step's heading, a graded word
FLIP = [(41, 23), (37, 52), (53, 19), (22, 31), (61, 17), (14, 47), (43, 29), (26, 38)]  # which is larger flips


def _two(question: str, lines: Callable[[int, int], list[str]]) -> tuple[Callable[[str], str], list[str]]:
    """An always-right model for ``question`` (with ``{a}`` and ``{b}``) writing ``lines(a, b)`` and then a GSM8K
    final line with the last number written, and the :data:`FLIP` grid."""

    def model(prompt: str) -> str:
        a, b = (int(x) for x in re.findall(r"\d+", prompt)[:2])
        written = "\n".join(lines(a, b))
        return f"{written}\n#### {re.findall(r'-?[0-9]+', written)[-1]}"

    return model, [question.format(a=a, b=b) for a, b in FLIP]


SLIDES = "A park has a red slide {a} meters long and a blue slide {b} meters long. Ann rides each slide once. How many meters does Ann slide?"
GAME = "In a game Ann has {a} points and Tom has {b} points. How many points do they have together?"
WAGE = (
    "Last year Ann earned {a} dollars a week. This year she earns {b} dollars a week. How much did she earn in one "
    "week of each year together?"
)
PLANS = "Plan X costs {a} dollars a month and plan Y costs {b} dollars a month. How much do plans X and Y cost together a month?"
COAT = "Ann has {a} dollars. She buys a coat for {b} dollars. How much money does she have after?"
_SOLVENT = [(61, 23), (45, 42), (73, 19), (36, 34), (81, 17), (39, 38), (55, 29), (28, 27)]  # 5 or more left, or not


def _grade(a: int, b: int, bigger: str, smaller: str) -> str:
    return bigger if a > b else smaller


# what a step's heading says, in words of its own, that the new numbers may make false (helper-71: 4 false of 7 in
# each grid on a version that let a heading hold any word without the shape of a claim; helper-72: the same with
# a list of measures, "First find the extra distance on the red slide")
HEADING_CLAIMS = {
    "a plain adjective": (
        SLIDES,
        lambda a, b: [
            f"First find the distance Ann slides on the {_grade(a, b, 'big', 'small')} slide: {a} meters",
            f"Then find the distance on the {_grade(a, b, 'small', 'big')} slide: {b} meters",
            f"Then add the distances: {a} + {b} = {a + b} meters",
        ],
    ),
    "a role, possessive": (
        GAME,
        lambda a, b: [
            f"First find Ann's points: {a} points",
            f"Then find the {_grade(a, b, 'loser', 'winner')}'s points: {b} points",
            f"Add them: {a} + {b} = {a + b} points",
        ],
    ),
    "an event after": (
        WAGE,
        lambda a, b: [
            f"First find her weekly pay after the {_grade(a, b, 'cut', 'raise')}: {b} dollars",
            f"Add last year's pay: {a} + {b} = {a + b} dollars",
        ],
    ),
    "an evaluative noun": (
        PLANS,
        lambda a, b: [
            f"First find the cost of the {_grade(a, b, 'premium', 'basic')} plan X: {a} dollars",
            f"Then add plan Y: {a} + {b} = {a + b} dollars",
        ],
    ),
    "a purpose": (
        PLANS,
        lambda a, b: [f"First add the costs to see why Ann goes with plan {_grade(b, a, 'X', 'Y')}: {a} + {b} = {a + b} dollars"],
    ),
    "a measure and a side": (
        SLIDES,
        lambda a, b: [
            f"First find the extra distance on the {_grade(a, b, 'red', 'blue')} slide",
            f"The red slide is {a} meters and the blue slide is {b} meters",
            f"Ann slides {a} + {b} = {a + b} meters",
        ],
    ),
}
# statements that open as a heading does: "we find" (a finding), "add to this" (a fact), "find ... and Ann stays"
HEADING_LIKE = {
    "we find": lambda a, b: [f"Now we find Ann stays {_grade(a - b, 4, 'solvent', 'broke')}, with {a} - {b} = {a - b} dollars"],
    "add to this": lambda a, b: [
        f"Add to this the fact she is {_grade(a - b, 4, 'solvent', 'broke')}, and she has {a} - {b} = {a - b} dollars"
    ],
    "and a clause": lambda a, b: [
        f"Find her balance and Ann stays {_grade(a - b, 4, 'solvent', 'broke')}: {a} - {b} = {a - b} dollars"
    ],
}


@pytest.mark.parametrize("case", sorted(HEADING_CLAIMS) + sorted(HEADING_LIKE))
def test_a_heading_in_words_of_its_own_is_read_as_any_other_clause(case):
    """Class: GSM8K's worked solutions head each step in the imperative ("First find the ..."), and a heading may
    say what the new numbers make false (a plain adjective, a role, an event, an evaluative noun, a purpose, a side:
    "the extra distance on the red slide"), as may a statement that opens as a heading would ("we find", "add to
    this"). Two versions that read headings as naming served false in these grids (helper-71, helper-72); they were
    withdrawn: a heading is read as any clause with no number, its words the question's or narration."""
    if case in HEADING_CLAIMS:
        model, questions = _two(*HEADING_CLAIMS[case])
    else:
        model, questions = _two(COAT, HEADING_LIKE[case])
        questions = [COAT.format(a=a, b=b) for a, b in _SOLVENT]
    served, false = false_served(model, questions)
    assert false == 0


BAKERY = "A bakery sells {a} cakes a day at {b} dollars each and pays 30 dollars a day in rent. How much does it keep a day?"
OVEN = "Ann bakes {a} cookies and each round in the oven takes {b} minutes; 12 cookies fit at a time. How many minutes does she bake?"
# a heading that names a measure or a unit the answer counts in, in words the question does not say ("First find
# the daily revenue", "how many batches"), in GSM8K's and a chat's styles; each model reads the question's three
# numbers (a probe moves the rent and the oven's size too)
HEADING_MEASURES = {
    "a measure, GSM8K": (
        BAKERY,
        [(41, 3), (37, 5), (53, 2), (22, 4), (61, 3), (14, 6), (43, 7), (26, 9)],
        lambda a, b, c: [
            f"First find the daily revenue: {a} cakes * {b} dollars/cake = <<{a}*{b}={a * b}>>{a * b} dollars",
            f"Then subtract the rent: {a * b} - {c} = <<{a * b}-{c}={a * b - c}>>{a * b - c} dollars",
        ],
    ),
    "a unit counted, chat": (
        OVEN,
        [(48, 11), (36, 9), (60, 13), (24, 7), (72, 8), (84, 10), (96, 6), (120, 14)],
        lambda a, b, c: [
            f"- First find how many batches she bakes: {a} cookies / {c} cookies/batch = {Fraction(a, c)} batches",
            f"- Then multiply the number of batches by the time per batch: {Fraction(a, c)} batches × {b} "
            f"minutes/batch = {Fraction(a, c) * b} minutes",
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(HEADING_MEASURES))
def test_a_heading_that_names_a_measure_or_a_counted_unit_is_reused_with_other_numbers(case):
    """Class: GSM8K's worked solutions head each step with what it finds, in words the question need not say
    ("First find the daily revenue: ...", "- First find how many batches she bakes: ..." where a step counts "= 4
    batches"). A heading in the imperative that names a measure or a unit the answer counts in asserts nothing of
    the numbers: reused with other numbers, 0 false (GSM-Symbolic template 65; before, every such answer went to
    the model). What a heading names that the numbers may make false stays refused (see
    ``test_a_heading_in_words_of_its_own_is_read_as_any_other_clause``)."""
    question, grid, lines = HEADING_MEASURES[case]

    def model(prompt: str) -> str:
        a, b, c = (int(x) for x in re.findall(r"\d+", prompt)[:3])
        written = "\n".join(lines(a, b, c))
        return f"{written}\n#### {re.findall(r'-?[0-9/]+', written)[-1]}"

    questions = [question.format(a=a, b=b) for a, b in grid]
    served, false = false_served(model, questions)
    assert false == 0
    assert served >= len(questions) - 3  # the first, and the probes' misses


def _side(other: int, given: int) -> str:
    return "width" if other < given else ("length" if other > given else "other side")


def _by(a: int, b: int) -> tuple[str, str]:
    return ("length", "width") if a >= b else ("width", "length")


RUG_AREA = (
    "A rectangular rug has an area of {a} square feet. One side of the rug measures {b} feet. What is its perimeter in feet?"
)
MAT = "A mat is {a} inches by {b} inches. What is the area of the mat in square inches?"
DRIVERS = (
    "Ann drives {a} miles in {b} hours. Tom drives {c} miles in {d} hours. The faster driver gets a prize. What is the "
    "sum of their speeds in miles per hour?"
)
# a side or a role named by which value is larger, where the question names none (helper-82: 4 or 5 false of 8 in
# each grid; the statement, the heading with a number and the drivers on the committed code too)
SIDES = {
    "a heading, the other side computed": (
        RUG_AREA,
        [(48, 8), (60, 5), (72, 12), (36, 3), (84, 14), (90, 6), (63, 9), (56, 4)],
        lambda a, b: [
            f"First find the {_side(a // b, b)}: {a} / {b} = <<{a}/{b}={a // b}>>{a // b} feet",
            f"Then add the two sides: {b} + {a // b} = <<{b}+{a // b}={b + a // b}>>{b + a // b} feet",
            f"Then multiply by 2: {b + a // b} * 2 = <<{b + a // b}*2={2 * (b + a // b)}>>{2 * (b + a // b)} feet",
        ],
    ),
    "a heading with a number": (
        MAT,
        FLIP,
        lambda a, b: [
            f"First multiply the {_by(a, b)[0]} by 2: {a} * 2 = <<{a}*2={2 * a}>>{2 * a} inches",
            f"Then add the {_by(a, b)[1]}: {2 * a} + {b} = <<{2 * a}+{b}={2 * a + b}>>{2 * a + b} inches",
        ],
    ),
    "a statement": (
        MAT,
        FLIP,
        lambda a, b: [
            f"The {_by(a, b)[0]} is {a} inches.",
            f"The {_by(a, b)[1]} is {b} inches.",
            f"Multiply them: {a} * {b} = <<{a}*{b}={a * b}>>{a * b} square inches",
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(SIDES))
def test_a_side_named_by_which_is_longer_is_never_served_across_a_swap(case):
    """Class: a figure's sides named by which is longer ("the length", "the width") where the question names none
    ("a mat 37 inches by 52 inches", "one side measures 5 feet"), in a heading, a heading with a number or a plain
    statement: the new numbers may make the length the shorter side. Such a line is the model's to write once the
    numbers move; a question that names its sides ("the length of the room", "41 meters long") fixes them."""
    question, grid, lines = SIDES[case]

    def model(prompt: str) -> str:
        a, b = (int(x) for x in re.findall(r"\d+", prompt)[:2])
        written = "\n".join(lines(a, b))
        return f"{written}\n#### {re.findall(r'-?[0-9]+', written)[-1]}"

    served, false = false_served(model, [question.format(a=a, b=b) for a, b in grid])
    assert false == 0


def test_a_role_named_by_a_grade_the_numbers_decide_is_never_served_across_a_swap():
    """Class: the question names a role by a grade its numbers decide, in a clause with no number ("The faster
    driver gets a prize."), and the answer says it of one computation ("First find the speed of the faster driver:
    180 / 3 = 60"): with other numbers the other driver may be the faster (helper-82: 2 false of 8 on the committed
    code). No number moves."""
    grid = [(120, 2, 150, 3), (100, 2, 180, 3), (180, 3, 100, 2), (150, 3, 120, 2), (200, 4, 140, 2), (140, 2, 200, 4)]

    def model(prompt: str) -> str:
        a, b, c, d = (int(x) for x in re.findall(r"\d+", prompt)[:4])
        x, y = ("faster driver", "other driver") if a // b > c // d else ("other driver", "faster driver")
        return (
            f"First find the speed of the {x}: {a} / {b} = <<{a}/{b}={a // b}>>{a // b} miles per hour\n"
            f"Then find the speed of the {y}: {c} / {d} = <<{c}/{d}={c // d}>>{c // d} miles per hour\n"
            f"Then add the speeds: {a // b} + {c // d} = <<{a // b}+{c // d}={a // b + c // d}>>{a // b + c // d} miles "
            f"per hour\n#### {a // b + c // d}"
        )

    for order in (grid, grid[::-1]):
        served, false = false_served(model, [DRIVERS.format(a=a, b=b, c=c, d=d) for a, b, c, d in order])
        assert false == 0


PET_FOOD = (
    "Ann has a big dog and a small cat. The dog eats {a} grams of food a day and the cat eats {b} grams a day. How "
    "many grams do they eat in a day?"
)
WALK = "Ann walks {a} minutes to school and Tom walks {b} minutes. How many minutes do they walk together?"
TEAMS = (
    "The team with more points wins. The Red team has {a} points and the Blue team has {b} points. How many points "
    "do the teams have in all?"
)
CAJAS = "Una caja roja tiene {a} manzanas y una caja azul tiene {b} manzanas. ¿Cuántas manzanas hay en total?"
BOITES = "Une boîte rouge contient {a} pommes et une boîte bleue contient {b} pommes. Combien de pommes y a-t-il en tout ?"
KISTEN = "Eine rote Kiste hat {a} Äpfel und eine blaue Kiste hat {b} Äpfel. Wie viele Äpfel sind es insgesamt?"
# a word that grades which value is larger, in a line re-derived for numbers that may turn it (4 false of 7 in
# each grid before; the last five are helper-72's)
GRADED_WORDS = {
    "the question's measure as a grade": (
        SLIDES,
        lambda a, b: [
            f"On the {_grade(a, b, 'long', 'short')} red slide, Ann slides {a} meters.",
            f"On the blue slide, she slides {b} meters.",
            f"In all: {a} + {b} = {a + b} meters",
        ],
    ),
    "the question's label of another thing": (
        PET_FOOD,
        lambda a, b: [
            f"The dog is the {_grade(a, b, 'big', 'small')} eater at {a} grams a day",
            f"The cat eats {b} grams a day",
            f"Together: {a} + {b} = {a + b} grams",
        ],
    ),
    "a count before it": (
        WALK,
        lambda a, b: [
            f"Ann walks {a} {_grade(a, b, 'long', 'short')} minutes",
            f"Tom walks {b} minutes",
            f"Together: {a} + {b} = {a + b} minutes",
        ],
    ),
    "a role of the question's verb": (
        TEAMS,
        lambda a, b: [
            f"First find the winning team's points: {max(a, b)} points",
            f"Then add the other team's points: {max(a, b)} + {min(a, b)} = {a + b} points",
        ],
    ),
    "es": (
        CAJAS,
        lambda a, b: [
            f"La caja roja es la {_grade(a, b, 'más llena', 'más vacía')} con {a} manzanas",
            f"La caja azul tiene {b} manzanas",
            f"En total: {a} + {b} = {a + b} manzanas",
        ],
    ),
    "es, plain": (
        CAJAS,
        lambda a, b: [
            f"La caja roja es la {_grade(a, b, 'grande', 'pequeña')} con {a} manzanas",
            f"La caja azul tiene {b} manzanas",
            f"En total: {a} + {b} = {a + b} manzanas",
        ],
    ),
    "fr": (
        BOITES,
        lambda a, b: [
            f"La boîte rouge est la plus {_grade(a, b, 'pleine', 'vide')} avec {a} pommes",
            f"La boîte bleue contient {b} pommes",
            f"En tout : {a} + {b} = {a + b} pommes",
        ],
    ),
    "de": (
        KISTEN,
        lambda a, b: [
            f"Die rote Kiste ist die {_grade(a, b, 'größte', 'kleinste')} mit {a} Äpfeln",
            f"Die blaue Kiste hat {b} Äpfel",
            f"Insgesamt: {a} + {b} = {a + b} Äpfel",
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(GRADED_WORDS))
def test_a_graded_word_the_numbers_may_turn_is_never_reused_across(case):
    """Class: a graded adjective or a role that says which value is larger, in a line whose numbers move: the
    question's measure written as a grade ("a red slide 41 meters long": "On the long red slide"), the question's
    label of one thing said of another ("a big dog": "the big eater"), after a count ("37 long minutes"), a role of
    the question's verb ("wins": "the winning team"), and a grade in Spanish, French, German. It is a claim unless
    it measures ("41 meters long"), asks ("how long") or says the question's own label of the same noun."""
    model, questions = _two(*GRADED_WORDS[case])
    served, false = false_served(model, questions)
    assert false == 0


def test_a_label_the_question_gives_a_noun_is_reused_beside_that_noun():
    """Class: a graded adjective the question says of a noun ("When the water is cold"), written before that noun
    in the answer ("Cold water mile"): the question's own label, which no number turns. Reused."""
    swim = (
        "When the water is cold Ann swims a mile in {a} minutes. When the water is warm she swims a mile in {b} "
        "minutes. How long does she take to swim a mile in each?"
    )
    model, questions = _two(
        swim,
        lambda a, b: [f"Cold water mile: {a} minutes", f"Warm water mile: {b} minutes", f"Both: {a} + {b} = {a + b} minutes"],
    )
    served, false = false_served(model, questions)
    assert false == 0
    assert served >= len(questions) - 2


HEAVIER = (
    "A red box holds {a} apples and a blue box holds {b} apples. Ann takes the heavier box. How many apples are in both boxes?"
)
WHICH_IS_LARGER = {
    "named, then its amount": lambda a, b: [
        f"The heavier box is the {_grade(a, b, 'red', 'blue')} one: {max(a, b)} apples.",
        f"Both boxes: {a} + {b} = {a + b} apples",
    ],
    "named only": lambda a, b: [
        f"The heavier box: the {_grade(a, b, 'red', 'blue')} one.",
        f"Both boxes: {a} + {b} = {a + b} apples",
    ],
    # (the next three are helper-73's: 3 or 4 false of 7 in each grid on 8c9ae45)
    "the question's words only": lambda a, b: [
        f"Ann takes the {_grade(a, b, 'red', 'blue')} box.",
        f"Both boxes: {a} + {b} = {a + b} apples",
    ],
    "a word of its own beside a label": lambda a, b: [
        f"The {_grade(a, b, 'red', 'blue')} box has the extra apples.",
        f"Both boxes: {a} + {b} = {a + b} apples",
    ],
    "split at a colon": lambda a, b: [
        f"Extra apples: {_grade(a, b, 'red', 'blue')} box",
        f"Both boxes: {a} + {b} = {a + b} apples",
    ],
}
TWO_BOXES = "A red box holds {a} apples and a blue box holds {b} apples. How many apples are in both boxes?"
MONEY = "Ann has {a} dollars and Tom has {b} dollars. How many dollars do they have together?"
WHICH_HAS_MORE = {
    "a name": lambda a, b: [f"{_grade(a, b, 'Ann', 'Tom')} has extra money.", f"Together: {a} + {b} = {a + b} dollars"],
    "a name beside the sum": lambda a, b: [
        f"{_grade(a, b, 'Ann', 'Tom')} has extra money and together they have {a} + {b} = {a + b} dollars"
    ],
    "a pronoun": lambda a, b: [f"{_grade(a, b, 'She', 'He')} has extra money.", f"Together: {a} + {b} = {a + b} dollars"],
}


@pytest.mark.parametrize("case", sorted(WHICH_IS_LARGER))
def test_which_quantity_is_larger_said_in_words_is_vouched_only_in_the_same_words(case):
    """Class: an answer that computes with two quantities alike (their sum) and says in the question's own words
    which one is larger ("The heavier box is the red one"). Their order was read as choosing nothing, and a probe
    where they trade places agreed on the sum in other words ("... the blue one"): 4 false of 7 before. An answer
    that compares in words keeps the order a slot, and an agreement vouches for an order only in the very words
    the stored answer says there. Where the question itself names a role by the grade ("Ann takes the heavier
    box"), no number moves at all now (see ``test_a_role_named_by_a_grade_the_numbers_decide_is_never_served_across_a_swap``)."""
    question = TWO_BOXES if case in ("a word of its own beside a label", "split at a colon") else HEAVIER
    model, questions = _two(question, WHICH_IS_LARGER[case])
    served, false = false_served(model, questions)
    assert false == 0
    if question is TWO_BOXES:
        assert served >= 3  # the callers whose boxes rank as the first's


@pytest.mark.parametrize("case", sorted(WHICH_HAS_MORE))
def test_an_answer_that_tells_two_people_apart_is_vouched_only_in_the_same_words(case):
    """Class: an answer that sums two people's amounts alike and says, by a name or a pronoun, who has more ("Tom
    has extra money", "She has extra money"), in a sentence of its own or beside the sum. The order of the amounts
    is a slot wherever the answer tells them apart outside a sentence that states one of them in the question's
    words (helper-73: 4 false of 7 in each grid on 8c9ae45)."""
    model, questions = _two(MONEY, WHICH_HAS_MORE[case])
    served, false = false_served(model, questions)
    assert false == 0


# who takes which amount, said by a word no check reads as comparing ("the box with extra apples", "the heftier jar")
WHO_TAKES_WHICH = {
    "extra apples, he and his sister": (
        "A red box holds {a} apples and a blue box holds {b} apples. Tom gets the box with extra apples and his sister "
        "gets the other box. How many apples do they get in all?",
        "Tom gets {x} apples.",
        "His sister gets {y} apples.",
    ),
    "the heftier jar, she and her son": (
        "Ann has a jar with {a} coins and a jar with {b} coins. She gives the heftier jar to her son and keeps the "
        "other. How many coins are in both jars?",
        "Her son gets the jar of {x} coins.",
        "She keeps the jar of {y} coins.",
    ),
}


@pytest.mark.parametrize("case", sorted(WHO_TAKES_WHICH))
def test_who_takes_the_larger_amount_is_vouched_only_with_the_numbers_in_the_same_places(case):
    """Class: a question that says who takes the larger amount by a word no check reads as comparing ("the box with
    extra apples", "the heftier jar"), and an answer that says who gets how many, then sums. At the point where the
    amounts trade places the model's answer ("Tom gets 41 apples. His sister gets 23.") agreed with the stored one
    re-derived there ("Tom gets 23 ... His sister gets 41") word for word and on the sum, which vouched for every
    order: 4 false of 8 (helper-150). An order is vouched for now only where the answers also state the same
    numbers in the same places."""
    question, first, second = WHO_TAKES_WHICH[case]
    model, questions = _two(
        question,
        lambda a, b: [
            first.format(x=max(a, b), y=min(a, b)),
            second.format(x=max(a, b), y=min(a, b)),
            f"In all they have {a} + {b} = <<{a}+{b}={a + b}>>{a + b}.",
        ],
    )
    served, false = false_served(model, questions)
    assert false == 0
    assert served >= 4  # the callers whose amounts rank as a stored answer's


ROLES = (
    "Ann is a chef, Tom is a baker and Ben is a clerk. The chef has {a} eggs, the baker has {b} eggs and the clerk "
    "has {c} eggs. How many eggs do they have?"
)


def test_an_answer_in_other_words_inherits_no_order_of_amounts():
    """Class: a caller's own answer, stored after it agreed on the final number with an entry re-derived for it but
    in other words ("She has extra eggs" where the entry says "He has extra eggs"). It inherited the entry's
    corroborated orders of the amounts, vouched for in the entry's words, and served "She" at an order where the
    chef has the least (1 false of 10, helper-150). Orders are inherited only by an answer in the entry's words
    with its numbers in the same places."""

    def model(prompt: str) -> str:
        a, b, c = (int(x) for x in re.findall(r"\d+", prompt)[:3])
        who = "She" if a == max(a, b, c) else "He"
        return f"{who} has extra eggs.\nIn all: {a} + {b} + {c} = <<{a}+{b}+{c}={a + b + c}>>{a + b + c} eggs\n#### {a + b + c}"

    grid = [(41, 23, 35), (23, 41, 35), (35, 23, 41), (52, 17, 30), (17, 30, 52), (30, 52, 17), (44, 29, 61), (61, 44, 29)]
    grid += [(29, 61, 44), (38, 12, 27)]
    served, false = false_served(model, [ROLES.format(a=a, b=b, c=c) for a, b, c in grid])
    assert false == 0
    assert served >= 4


# an amount picked out by its rank in words no check reads as comparing (helper-153: 4 to 7 false of 7 to 10, in
# both modes, on b551853 and before)
MONEY_THREE = "Ann has {a} dollars, Tom has {b} dollars and Ben has {c} dollars. How many dollars do they have in all?"
SPARE = (
    "A red box holds {a} apples and a blue box holds {b} apples. Tom gets the box with the spare apples and Sue gets "
    "the leftover box. How many apples do they get in all?"
)
THREE_ORDERS = [(41, 23, 35), (23, 41, 35), (35, 23, 41), (52, 17, 30), (17, 30, 52), (30, 52, 17), (44, 29, 61)]
THREE_ORDERS += [(61, 44, 29), (29, 61, 44), (38, 12, 27)]


def _picked(word: str, pick: Callable[[list[int]], int]) -> Callable[[str], str]:
    def model(prompt: str) -> str:
        amounts = [int(x) for x in re.findall(r"\d+", prompt)[:3]]
        s = sum(amounts)
        return f"The {word} holds {pick(amounts)} dollars.\nIn all: {' + '.join(map(str, amounts))} = {s} dollars\n#### {s}"

    return model


RANK_PICKS = {
    "the leader of two": (_picked("leader", max), [MONEY.format(a=a, b=b) for a, b in FLIP]),
    "the middle pile of three": (
        _picked("middle pile", lambda xs: sorted(xs)[1]),
        [MONEY_THREE.format(a=a, b=b, c=c) for a, b, c in THREE_ORDERS],
    ),
    "the bottom pile of three": (_picked("bottom pile", min), [MONEY_THREE.format(a=a, b=b, c=c) for a, b, c in THREE_ORDERS]),
    "who gets which, by names the question gives no amount": _two(
        SPARE, lambda a, b: [f"Tom gets {max(a, b)} apples and Sue gets {min(a, b)} apples.", f"In all: {a} + {b} = {a + b}."]
    ),
}


@pytest.mark.parametrize("corroborate", [True, False], ids=["corroborated", "checks alone"])
@pytest.mark.parametrize("case", sorted(RANK_PICKS))
def test_an_amount_picked_out_by_its_rank_keeps_the_order_a_slot(case, corroborate):
    """Class: an answer that sums amounts alike and states one of them in a sentence that picks it out by its rank,
    in words no check reads as comparing ("The leader holds 41 dollars", "The middle pile holds 35", "Tom gets 41
    apples and Sue gets 23" where the question names Tom and Sue for no amount). Such a sentence was read as
    telling nothing apart, so any order of the amounts was served: 4 to 7 false of 7 to 10 (helper-153), in both
    modes. A clause that states some of the amounts, not by a word of their own clause in the question, now tells
    them apart: their order is a slot (served only where a model answer met it), and with the checks alone no
    order but the first answer's is served."""
    model, questions = RANK_PICKS[case]
    served, false = false_served(model, questions, corroborate=corroborate)
    assert false == 0
    assert served >= 3  # the callers whose amounts rank as a stored answer's


# amounts stated in an order the answer chose, by how they rank (found while checking the open list of 1cda7e6: 4
# false of 7 in both modes, 7 of 9 for three amounts)
OWN_APPLES = "Ann has {a} apples and Tom has {b} apples. How many apples do they have together?"


def _ranked(amounts: list[tuple[str, int]], *, high_first: bool = True) -> list[tuple[str, int]]:
    return sorted(amounts, key=lambda kv: -kv[1] if high_first else kv[1])


SORTED_BY_RANK = {
    "names, the larger first": _two(
        OWN_APPLES,
        lambda a, b: [
            " and ".join(f"{n} has {v} apples" for n, v in _ranked([("Ann", a), ("Tom", b)])) + ".",
            f"Together: {a} + {b} = {a + b} apples",
        ],
    ),
    "names, the smaller first": _two(
        OWN_APPLES,
        lambda a, b: [
            " and ".join(f"{n} has {v} apples" for n, v in _ranked([("Ann", a), ("Tom", b)], high_first=False)) + ".",
            f"Together: {a} + {b} = {a + b} apples",
        ],
    ),
    "a sum, the larger first": _two(OWN_APPLES, lambda a, b: [f"Together: {max(a, b)} + {min(a, b)} = {a + b} apples"]),
    "one line each, the larger first": _two(
        OWN_APPLES,
        lambda a, b: [*(f"{n}: {v} apples" for n, v in _ranked([("Ann", a), ("Tom", b)])), f"Together: {a} + {b} = {a + b}"],
    ),
    "three, the largest first": (
        lambda prompt: (
            lambda xs: f"In all: {' + '.join(map(str, sorted(xs, reverse=True)))} = {sum(xs)} dollars\n#### {sum(xs)}"
        )([int(x) for x in re.findall(r"\d+", prompt)[:3]]),
        [MONEY_THREE.format(a=a, b=b, c=c) for a, b, c in THREE_ORDERS],
    ),
}


@pytest.mark.parametrize("corroborate", [True, False], ids=["corroborated", "checks alone"])
@pytest.mark.parametrize("case", sorted(SORTED_BY_RANK))
def test_amounts_stated_in_an_order_of_their_rank_keep_the_order_a_slot(case, corroborate):
    """Class: an answer that states amounts it sums alike in an order it chose by how they rank ("Tom has 52 apples
    and Ann has 37 apples", "52 + 37", one line each from the largest) of a question that states them in its own
    ("Ann has 37 apples and Tom has 52"). It was served in the first answer's order wherever they ranked otherwise:
    true, but not the model's answer (4 false of 7, both modes). The order of a kind's amounts an answer states is
    now a slot: stated in another order than the question's, each ranking is one; in the question's, one model
    answer that keeps it where they rank otherwise vouches for all (with the checks alone, neither is served)."""
    model, questions = SORTED_BY_RANK[case]
    served, false = false_served(model, questions, corroborate=corroborate)
    assert false == 0
    assert served >= 3  # the callers whose amounts rank as a stored answer's


def test_amounts_stated_in_the_questions_order_are_served_in_any_order_once_vouched():
    """The same question answered in the question's order ("Ann has 37 apples and Tom has 52 apples"): the probe
    where the two trade places keeps that order, which vouches for every ranking; callers are served whatever
    their order."""
    model, questions = _two(
        OWN_APPLES, lambda a, b: [f"Ann has {a} apples and Tom has {b} apples.", f"Together: {a} + {b} = {a + b} apples"]
    )
    served, false = false_served(model, questions)
    assert false == 0
    assert served >= len(questions) - 1


def test_a_label_in_the_questions_words_beside_its_own_amount_keeps_the_order_free():
    """Class: an answer whose steps label each amount in the question's words ("For the blue balls, 9 balls x
    $5/ball = $45") and then sum them alike: the labels state each one's own amount and say nothing of which is
    larger, so callers with other numbers are served whatever their order (a probe need not meet each order)."""
    balls = "There are {a} blue balls and {b} yellow balls in the warehouse. How many balls are in the warehouse?"
    model, questions = _two(
        balls,
        lambda a, b: [
            f"For the blue balls: {a} balls.",
            f"For the yellow balls: {b} balls.",
            f"In all: {a} + {b} = {a + b} balls.",
        ],
    )
    served, false = false_served(model, questions)
    assert false == 0
    assert served >= len(questions) - 2


PASTRIES = (
    "Ann buys 2 boxes of eclairs at ${a} a box, 3 boxes of macarons at ${b} a box and 5 boxes of brownies at ${c} a "
    "box. How much does she pay in all?"
)
CLOTHES = "Ann buys a top for ${a}, a skirt for ${b} and a belt for ${c}. How much does she pay in all?"
PRICES_IN_ALL_ORDERS = [
    (18, 74, 114),
    (74, 18, 114),
    (114, 74, 18),
    (22, 95, 61),
    (61, 22, 95),
    (95, 61, 22),
    (40, 17, 66),
    (17, 66, 40),
]


def _charges(prompt: str) -> str:
    """Each box's charge in a sentence of its own, then their sum (GSM-Symbolic template 36's answer)."""
    bought = [(int(n), int(p)) for n, p in re.findall(r"(\d+) boxes of \w+ at \$(\d+)", prompt)]
    said = [
        f"The charge for the {item} was {n} * ${p} = ${n * p}."
        for item, (n, p) in zip(("eclairs", "macarons", "brownies"), bought, strict=True)
    ]
    costs = [n * p for n, p in bought]
    return "\n".join([*said, f"In all: {' + '.join(map(str, costs))} = {sum(costs)} dollars.", f"#### {sum(costs)}"])


def _top_price(prompt: str) -> str:
    """The dearest item named with a word of the question that ranks ("the top price is the skirt")."""
    prices = [int(x) for x in re.findall(r"\$(\d+)", prompt)[:3]]
    dearest = max(zip(prices, ("top", "skirt", "belt"), strict=True))
    return f"The top price is the {dearest[1]}: ${dearest[0]}.\nIn all: {' + '.join(map(str, prices))} = {sum(prices)} dollars\n#### {sum(prices)}"


AMOUNT_NOUNS = {"the charge for each": (PASTRIES, _charges), "the top price, in the question's words": (CLOTHES, _top_price)}


@pytest.mark.parametrize("case", sorted(AMOUNT_NOUNS))
def test_a_noun_for_an_amount_beside_a_label_is_a_word_of_its_own(case):
    """Class: a step that labels its amount in the question's words and names it "the charge", "the price" ("The
    total charge for the eclairs was 2*$18 = $36"), where the answer sums the amounts alike, with prices in every
    order. A withdrawn change read such nouns as the question's own words, so the order stayed free: helper-76
    then served 4 false of 7 in 6 of 16 grids where the question holds a word that ranks ("a top", "a main dish",
    "First ...": "The top price is the belt", "The main cost is the dish"). Such a noun is a word of the answer's
    own: each order waits for a probe that meets it."""
    question, model = AMOUNT_NOUNS[case]
    served, false = false_served(model, [question.format(a=a, b=b, c=c) for a, b, c in PRICES_IN_ALL_ORDERS])
    assert false == 0


HAT_AND_SCARF = "First Ann buys a hat for ${a}, then a scarf for ${b}. How much does she pay in all?"
RANKED_IN_QUESTION_WORDS: dict[str, tuple[Callable[[int, int], list[str]], bool]] = {
    # one amount singled out with a word of the question ("First") that ranks it
    "one singled out": (lambda a, b: [f"First is the {'hat' if a > b else 'scarf'}: ${max(a, b)}."], False),
    # each by its own label in the same words: free
    "each by its label": (lambda a, b: [f"The hat is ${a}.", f"The scarf is ${b}."], True),
}


@pytest.mark.parametrize("case", sorted(RANKED_IN_QUESTION_WORDS))
def test_an_order_said_in_the_questions_own_words_is_a_slot(case):
    """Class: an answer that sums two amounts alike and says which is larger only in words of the question ("First
    is the hat: $41" where the question begins "First Ann buys a hat for $41, then a scarf for $23"): the order was
    free, and helper-76 got 4 false of 7 on 7518695. A sentence in the question's words that tells one amount
    from the others, where another amount is never stated beside a word of its own clause in the question ("then a
    scarf for $23": then, scarf), picks that one out: the order is a slot, and each order waits for a probe that
    meets it. Where each is stated by its own words ("The hat is $41. The scarf is $23.") the order stays free."""
    lines, free = RANKED_IN_QUESTION_WORDS[case]
    model, questions = _two(HAT_AND_SCARF, lambda a, b: [*lines(a, b), f"In all: {a} + {b} = {a + b} dollars."])
    served, false = false_served(model, questions)
    assert false == 0
    if free:
        assert served >= len(questions) - 2


ROLE_BY_GENDER = {
    # a role word of one gender that no list of such words holds
    "female seller": "The female seller sells {a} cups each day and the male seller sells {b} cups each day.",
    "saleswoman": "The saleswoman sells {a} cups each day and the salesman sells {b} cups each day.",
    # a fact that says a gender with no word of one
    "pregnant": "The pregnant one sells {a} cups each day and the other one sells {b} cups each day.",
}
ROLE_GRID = [
    ("Ann", "Tom", 5, 8, 3, 7),
    ("Bob", "Sue", 6, 9, 4, 2),
    ("John", "Mary", 7, 11, 2, 5),
    ("Emily", "James", 4, 7, 5, 3),
]
ROLE_GRID += [("Mike", "Linda", 3, 10, 6, 4), ("Sarah", "Paul", 6, 13, 4, 9)]


@pytest.mark.parametrize("case", sorted(ROLE_BY_GENDER))
def test_a_rename_across_genders_waits_even_where_no_listed_word_has_a_gender(case):
    """Class: a question where a gender decides whose number is whose through a word no list holds ("the female
    seller", "the saleswoman") or a fact ("the pregnant one"), and the answer speaks of the people by name only. A
    relaxation that let a rename across genders go unprobed where no pronoun or listed word of one gender stood
    (question and answer in English) was withdrawn: helper-79 served 5 wrong of 6 in each of 18 such grids. Each
    rename into another pattern of genders still waits for a model answer at names of that pattern; none is served
    wrong."""
    question = (
        "{A} and {B} sell lemonade at a fair. "
        + ROLE_BY_GENDER[case]
        + " {A} works {c} days and {B} works {d} days. How many cups do they sell in all?"
    )

    def model(prompt: str) -> str:
        m = re.search(r"(\w+) and (\w+) sell lemonade", prompt)
        assert m is not None, prompt
        a, b, c, d = (int(x) for x in re.findall(r"\d+", prompt)[:4])
        first, second = (a, b) if gender_of(m[1]) == "f" else (b, a)
        x, y = first * c, second * d
        return (
            f"{m[1]} sells {first} * {c} = <<{first}*{c}={x}>>{x} cups.\n{m[2]} sells {second} * {d} = "
            f"<<{second}*{d}={y}>>{y} cups.\nTogether they sell {x} + {y} = <<{x}+{y}={x + y}>>{x + y} cups.\n#### {x + y}"
        )

    served, false = false_served(model, [question.format(A=A, B=B, a=a, b=b, c=c, d=d) for A, B, a, b, c, d in ROLE_GRID])
    assert false == 0
    assert served >= 2  # the same pattern of genders as an answer already given, with other numbers


# ---------------------------------------------------------------- how a re-derived number is written (helper-81)
def _writer(question: str, rows: list[tuple[object, ...]], lines: Callable[..., str]) -> tuple[Callable[[str], str], list[str]]:
    """An always-right model for ``question`` (its name and numbers, read back in order) writing ``lines(name,
    *numbers)``, and the questions of ``rows``."""

    def model(prompt: str) -> str:
        name = re.match(r"\w+", prompt)
        numbers = [Decimal(x) for x in re.findall(r"\d+(?:\.\d+)?", prompt)]
        assert name is not None, prompt
        return lines(name.group(), *numbers)

    return model, [question.format(*row) for row in rows]


def _article(n: Decimal) -> str:
    return (
        "an" if str(n).startswith("8") or str(n) in ("11", "18") or str(n).startswith(("11", "18")) and len(str(n)) == 5 else "a"
    )


WALKS = "{0} walks {1} minutes to school and {2} minutes back home. How many minutes does {0} walk in a day?"
PENS_BOUGHT = "{0} buys {1} pens at ${2} each. How much does {0} spend?"
RUNS = "{0} runs {1} km on Monday and {2} km on Tuesday. How many km does {0} run in all?"
FRIENDS = "{0} has {1} friends and gives each friend {2} stickers. How many stickers does {0} give away?"
GYM = "{0} goes to the gym {1} times a week. How many times does {0} go to the gym in {2} weeks?"
# each class: the question, the grid (both orders are asked) and the model's lines; every grid once served a number
# written otherwise than the model writes it, or a count of two said in a word where the question's 2 moved
WRITTEN = {
    "an article before the number": (
        WALKS,
        [("Ann", 20, 60), ("Mia", 25, 45), ("Zoe", 30, 50), ("Eva", 5, 6), ("Lily", 40, 48), ("Kate", 8, 10)],
        lambda n, a, b: f"{a} + {b} = {a + b}\nSo {n} has {_article(a + b)} {a + b}-minute walk each day.\n#### {a + b}",
    ),
    "a compound number word": (
        WALKS,
        [("Ann", 20, 60), ("Mia", 25, 63), ("Zoe", 30, 41), ("Eva", 50, 32), ("Lily", 40, 35), ("Kate", 38, 50)],
        lambda n, a, b: f"{a} + {b} = {a + b}\n{num2words(int(a + b)).capitalize()} minutes in total.\n#### {a + b}",
    ),
    "decimals padded to cents": (
        PENS_BOUGHT,
        [
            ("Mia", 4, "1.50"),  # a whole amount padded first, both ways: "$6.00", "$18.00"
            ("Ann", 3, "2.50"),
            ("Zoe", 5, "1.25"),
            ("Eva", 2, "3.75"),
            ("Lily", 6, "0.75"),
            ("Kate", 8, "2.25"),
        ],
        lambda n, a, p: f"{a} x ${p:.2f} = ${a * p:.2f}\n{n} spends ${a * p:.2f}.\n#### {a * p:.2f}",
    ),
    "decimals padded to tenths": (
        RUNS,
        [("Ann", "2.5", "3.5"), ("Mia", "1.5", "2.0"), ("Zoe", "4.5", "1.5"), ("Eva", "3.5", "2.5"), ("Kate", "5.5", "0.5")],
        lambda n, a, b: f"{a:.1f} + {b:.1f} = {a + b:.1f} km\n{n} runs {a + b:.1f} km in all.\n#### {a + b:.1f}",
    ),
    "a label's letter before a number": (
        "{0} sells Grade A eggs for {1} cents each and sells {2} eggs. How many cents does {0} make?",
        [("Ann", 5, 20), ("Mia", 8, 21), ("Zoe", 12, 30), ("Eva", 11, 25), ("Lily", 18, 40), ("Kate", 80, 95)],
        lambda n, c, k: (
            f"{n} sells {k} eggs of Grade A {c} cents each, so {k} * {c} = <<{k}*{c}={k * c}>>{k * c} cents.\n#### {k * c}"
        ),
    ),
    "a quantity as the question writes it": (
        "{0} buys {1} gallons of gas at ${2} per gallon. How much does {0} pay?",
        [("Ann", "12.50", "3.00"), ("Mia", "12", "4.00"), ("Zoe", "10.50", "2.00"), ("Eva", "14", "3.00"), ("Kate", "9", "2.00")],
        lambda n, g, p: f"{n} buys {g} gallons at ${p:.2f} each: {g} * {p:.2f} = ${g * p:.2f}\n#### {g * p:.2f}",
    ),
    "both, for two": (
        FRIENDS,
        [("Ann", 3, 5), ("Mia", 2, 7), ("Zoe", 4, 6), ("Eva", 2, 9), ("Lily", 5, 4), ("Rosa", 2, 8)],
        lambda n, k, s: (
            f"{k} x {s} = {k * s}\n{'Both friends' if k == 2 else f'All {num2words(int(k))} friends'} get {s} "
            f"stickers each, so {n} gives away {k * s} stickers.\n#### {k * s}"
        ),
    ),
    "twice, for two": (
        GYM,
        [("Ann", 3, 4), ("Mia", 2, 5), ("Zoe", 4, 3), ("Eva", 2, 6), ("Lily", 5, 2), ("Kate", 2, 8)],
        lambda n, k, w: (
            f"{n} goes {'twice' if k == 2 else f'{num2words(int(k))} times'} a week for {w} weeks.\n"
            f"{k} x {w} = {k * w}\n#### {k * w}"
        ),
    ),
}


@pytest.mark.parametrize("order", ["forward", "backward"])
@pytest.mark.parametrize("case", sorted(WRITTEN))
def test_a_re_derived_number_is_written_as_the_model_writes_it(case, order):
    """Class: a number the reuse writes anew, and the words that follow its value in English: the article before
    it ("a 70-minute walk", "an 80-minute walk"), a compound number word's hyphen ("Eighty-eight", where the cached
    answer wrote "Seventy"), decimals the writer pads ("$18.00" beside "$7.50", "6.0 km"), and a count of two said
    in a word of its own ("Both friends", "twice a week"). Served as the cached answer wrote them, they were the
    model's answer to another number: "a 80-minute walk", "$18", "Both friends get 5 stickers each" for 3 friends
    (helper-81: 2 to 6 false of 8 per grid). Now each is written as the model writes it, or the model answers. A
    label's capital letter is no article ("Grade A 8 cents" stayed "Grade A"), and a quantity the answer restates
    is written as the new question writes it, whatever the answer pads ("12 gallons" beside "$48.00"): helper-85
    served "Grade An 8 cents" and "12.00 gallons" on a first version."""
    question, rows, lines = WRITTEN[case]
    model, questions = _writer(question, rows if order == "forward" else rows[::-1], lines)
    served, false = false_served(model, questions)
    assert false == 0
    assert served >= 2  # reuse goes on where the words still hold: the same count of two, a value that keeps them


# ---------------------------------------------------------------- a name that is also a word (helper-83)
STICKERS_TOGETHER = "{0} has {1} stickers and {2} has {3} stickers. How many stickers do they have together?"
FESTIVAL = "{0} buys {1} tickets to the Hope Festival at ${2} each and {3} snacks at ${4} each. How much does {0} spend?"
PIZZAS = "{0} orders {1} pizzas at ${2} each and {3} drinks at ${4} each. How much does {0} pay?"
# each class: the question, its rows (a person whose name is also a word of the answer first) and the model's lines
# (of the question's name and numbers, in order)
NAME_AS_WORD = {
    "a sign-off": (
        STICKERS_TOGETHER,
        [("Hope", 12, "Tom", 7), ("Ann", 12, "Tom", 7), ("Mia", 12, "Ben", 7), ("Hope", 15, "Tom", 8), ("Zoe", 15, "Tom", 8)],
        lambda a, x, b, y: (
            f"{a} has {x} stickers and {b} has {y} stickers.\n{x} + {y} = <<{x}+{y}={x + y}>>{x + y}\n"
            f"They have {x + y} stickers together. Hope this helps!\n#### {x + y}"
        ),
    ),
    "another thing's name": (
        FESTIVAL,
        [("Hope", 3, 12, 2, 5), ("Ann", 3, 12, 2, 5), ("Mia", 4, 10, 3, 6), ("Hope", 4, 10, 3, 6), ("Zoe", 2, 15, 6, 3)],
        lambda n, a, p, b, q: (
            f"Tickets: {a} * {p} = <<{a}*{p}={a * p}>>{a * p} dollars\nSnacks: {b} * {q} = "
            f"<<{b}*{q}={b * q}>>{b * q} dollars\n{n} spends {a * p} + {b * q} = <<{a * p}+{b * q}={a * p + b * q}>>"
            f"{a * p + b * q} dollars at the Hope Festival.\n#### {a * p + b * q}"
        ),
    ),
    "a label": (
        PIZZAS,
        [("Bill", 3, 12, 2, 5), ("Bill", 4, 10, 3, 6), ("Tom", 3, 12, 2, 5), ("Ben", 5, 9, 4, 7), ("Sam", 2, 15, 6, 3)],
        lambda n, a, p, b, q: (
            f"Pizzas: {a} * {p} = <<{a}*{p}={a * p}>>{a * p} dollars\nDrinks: {b} * {q} = "
            f"<<{b}*{q}={b * q}>>{b * q} dollars\nBill: {a * p} + {b * q} = <<{a * p}+{b * q}={a * p + b * q}>>"
            f"{a * p + b * q} dollars\n#### {a * p + b * q}"
        ),
    ),
}


@pytest.mark.parametrize("order", ["forward", "backward"])
@pytest.mark.parametrize("case", sorted(NAME_AS_WORD))
def test_a_name_that_is_also_a_word_of_the_answer_is_renamed_only_as_the_person(case, order):
    """Class: a person whose name is also a word the answer writes for something else: a sign-off ("Hope this
    helps!"), another thing's name ("the Hope Festival"), a line's label among things' labels ("Pizzas: ...",
    "Drinks: ...", "Bill: 36 + 10", the bill). Renamed everywhere, the reuse wrote "Ann this helps!", "the Ann
    Festival", "Tom: 36 + 10" (helper-83: 3 or 4 false of 5 or 6 per grid, where the cached question had that name).
    The rename leaves such a word as it is, and the old name left in the answer sends the request to the model."""
    question, rows, lines = NAME_AS_WORD[case]

    def model(prompt: str) -> str:
        name = re.match(r"[A-Z][a-z]+", prompt)
        assert name is not None, prompt
        values = [int(x) for x in re.findall(r"\d+", prompt)]
        if case == "a sign-off":
            other = re.search(r"and ([A-Z][a-z]+) has", prompt)
            assert other is not None, prompt
            return lines(name.group(), values[0], other.group(1), values[1])
        return lines(name.group(), *values[:4])

    served, false = false_served(model, [question.format(*row) for row in (rows if order == "forward" else rows[::-1])])
    assert false == 0


# ---------------------------------------------------------------- a place that is also a given name (helper-87)
PLACE_CURRENCY = {
    "India": "rupees",
    "Kenya": "Kenyan shillings",
    "Florence": "euros",
    "Sydney": "Australian dollars",
    "Georgia": "lari",
    "Charlotte": "US dollars",
}
PLACE_QUESTIONS = {
    "flies to": "{p} flies to {c} and buys {n} scarves that cost {k} each in the local currency. How much does {p} spend?",
    "a shopkeeper from": "A shopkeeper from {c} sells {p} {n} scarves at {k} each in her local currency. How much does {p} pay?",
    "visits": "{p} visits {c} and pays {k} a night for {n} nights in the local money. How much does {p} pay?",
}


@pytest.mark.parametrize("order", ["forward", "backward"])
@pytest.mark.parametrize("case", sorted(PLACE_QUESTIONS))
def test_a_place_named_like_a_person_is_no_slot(case, order):
    """Class (helper-87): a place whose name the name data holds as a person's ("Georgia", "Charlotte", "India",
    "Florence", "Sydney", "Kenya"), where the answer follows the place (its currency). Read as a person and renamed,
    "Charlotte" was served the lari of Georgia (3 false of 3 served per grid, through LangChain and LlamaIndex too). A
    name that stands only where a place goes ("to", "from", "visits") is a word of the question now: another place
    is another question. The person in the same questions is renamed as before."""
    question = PLACE_QUESTIONS[case]

    def model(prompt: str) -> str:
        place = next(c for c in PLACE_CURRENCY if c in prompt)
        person = re.search(r"\b(Ann|Mia|Zoe|Eva)\b", prompt)
        assert person is not None, prompt
        n, k = (int(x) for x in re.findall(r"\d+", prompt)[:2])
        money = PLACE_CURRENCY[place]
        return f"{person.group()} pays {n} x {k} = <<{n}*{k}={n * k}>>{n * k} {money}.\n#### {n * k}"

    rows = [
        (p, c, n, k)
        for (p, c), (n, k) in zip(
            [
                ("Ann", "Georgia"),
                ("Mia", "Charlotte"),
                ("Zoe", "India"),
                ("Eva", "Kenya"),
                ("Ann", "Florence"),
                ("Mia", "Sydney"),
            ],
            [(4, 300), (5, 300), (4, 300), (6, 250), (3, 120), (4, 300)],
            strict=True,
        )
    ]
    rows += [("Zoe", "Georgia", 7, 200), ("Eva", "Georgia", 4, 300)]  # the same place, another person
    asks = [question.format(p=p, c=c, n=n, k=k) for p, c, n, k in rows]
    served, false = false_served(model, asks if order == "forward" else asks[::-1])
    assert false == 0
    assert served >= 1  # Georgia asked again by another person: renamed as before


# ---------------------------------------------------------------- how the model writes a new number (helper-86, -88)
def _de(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _lakhs(n: int) -> str:
    head, tail = str(n)[:-3], str(n)[-3:]
    groups = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    return ",".join([head, *groups, tail]) if head else tail


def _minimal(x: Fraction) -> str:  # as few decimals as it needs
    return str(x.numerator) if x.denominator == 1 else f"{float(x):g}"


WRITTEN_AS = {
    # a total that crosses 1,000 where no text shows how the writer groups thousands
    "thousands, en": (
        "A shop sells {n} chairs at ${p} each. How much money does it make?",
        [(12, 40), (30, 50), (25, 60), (8, 45), (40, 90), (11, 30), (15, 70)],
        lambda n, p: f"The shop makes {n} × ${p} = ${n * p:,}.\n#### {n * p}",
    ),
    "thousands, de": (
        "Ein Laden verkauft {n} Stühle zu je {p} €. Wie viel Euro nimmt er ein?",
        [(12, 40), (30, 50), (25, 60), (8, 45), (40, 90), (11, 30), (15, 70)],
        lambda n, p: f"Der Laden nimmt {n} × {p} € = {_de(n * p)} € ein.\n#### {n * p}",
    ),
    "lakhs": (
        "A shop sells {n} chairs at {p} rupees each. How many rupees does it make?",
        [(12, 2500), (20, 4500), (30, 4000), (8, 4500), (40, 9000), (11, 3000), (15, 7000)],
        lambda n, p: f"The shop makes {n} × {_lakhs(p)} = {_lakhs(n * p)} rupees.\n#### {n * p}",
    ),
    # a value with fewer decimals than the cached one, where the writer writes as few as it needs
    "decimals, kg": (
        "A bag of rice weighs {n} kg. How many kg do {p} bags weigh?",
        [("2.25", 3), ("2.4", 3), ("1.5", 4), ("3.75", 2), ("2.8", 5), ("1.25", 4), ("2.6", 3)],
        lambda n, p: f"{p} × {n} = {_minimal(Fraction(n) * p)} kg\n#### {_minimal(Fraction(n) * p)}",
    ),
    # a whole total where the price had cents: "$10.00" where the question has cents, "$12" where it has none
    "cents": (
        "A notebook costs ${n}. Ann buys {p} notebooks. How much does Ann spend?",
        [("2.25", 3), ("2.50", 4), ("3", 4), ("1.75", 4), ("4", 3), ("2.40", 5), ("1.20", 5)],
        lambda n, p: (
            f"{p} × ${n} = ${float(Fraction(n) * p):.2f}\n#### {float(Fraction(n) * p):.2f}"
            if "." in n
            else f"{p} × ${n} = ${int(n) * p}\n#### {int(n) * p}"
        ),
    ),
}


@pytest.mark.parametrize("order", ["forward", "backward"])
@pytest.mark.parametrize("case", sorted(WRITTEN_AS))
def test_a_new_number_is_served_only_where_the_answer_shows_how_the_model_writes_it(case, order):
    """Class (helper-86, helper-88): a re-derived number whose written form the cached answer does not show: a total
    that crosses 1,000 ("$1080", where the model writes "$1,080", "21.150 €", "1 200 €"), one past a lakh written
    in Western groups ("150,000" for "1,50,000"), a value padded to the cached one's places ("7.20 kg" for "7.2"),
    and a whole total beside a price with cents ("$10" for "$10.00"; "$12.00" of "$3" each, for "$12"). Served 3 to
    6 false of 8 per grid. Such a number is written only where a text shows how; otherwise the model answers."""
    question, rows, model_of = WRITTEN_AS[case]

    def model(prompt: str) -> str:
        for n, p in rows:
            if prompt == question.format(n=n, p=p):
                return model_of(n, p)
        raise AssertionError(prompt)

    asks = [question.format(n=n, p=p) for n, p in rows]
    served, false = false_served(model, asks if order == "forward" else asks[::-1])
    assert false == 0
    if case in ("thousands, en", "decimals, kg"):
        assert served >= 1  # values the cached answer shows how to write are still served


# ---------------------------------------------------------------- words that judge a number (helper-88)
def _under_half(a: int, b: int) -> bool:
    return 2 * (a - b) < a  # what is left is under half of it: "only"


# each class: the question, the model, the first question's numbers (the judgement made there) and later ones (where
# the model judges otherwise)
LATER = [(18, 6), (16, 3), (80, 20), (20, 4), (30, 10), (25, 5)]
SIZE_JUDGED = {
    "only, en": (
        "Tom has {a} apples and eats {b} of them. How many apples are left?",
        lambda a, b: (
            f"{'Only ' if _under_half(a, b) else ''}{a} - {b} = <<{a}-{b}={a - b}>>{a - b} apples are left.\n#### {a - b}"
        ),
        (11, 8),
        LATER,
    ),
    "solo, es": (
        "Tomás tiene {a} manzanas y se come {b}. ¿Cuántas manzanas le quedan?",
        lambda a, b: (
            f"{a} - {b} = {a - b}\n{'Solo le quedan' if _under_half(a, b) else 'Le quedan'} {a - b} manzanas.\n#### {a - b}"
        ),
        (11, 8),
        LATER,
    ),
    "nur noch, de": (
        "Tom hat {a} Äpfel und isst {b} davon. Wie viele Äpfel bleiben übrig?",
        lambda a, b: (
            f"{a} - {b} = {a - b}\nEs bleiben {'nur noch ' if _under_half(a, b) else ''}{a - b} Äpfel übrig.\n#### {a - b}"
        ),
        (11, 8),
        LATER,
    ),
    "an emoji": (
        "Tom buys a bike for {b} dollars and sells it for {a} dollars. How much profit does he make?",
        lambda a, b: f"Profit: {a} - {b} = <<{a}-{b}={a - b}>>{a - b} dollars {'🎉' if a - b >= 50 else '👍'}\n#### {a - b}",
        (100, 80),
        [(150, 60), (200, 80), (300, 100), (120, 50), (90, 20)],
    ),
    "a word after an arrow": (
        "Tom has {a} minutes and spends {b} of them on the bus. How many minutes does he have left?",
        lambda a, b: f"{a} - {b} = {a - b} minutes{' → tight!' if _under_half(a, b) else ''}\n#### {a - b}",
        (11, 8),
        LATER,
    ),
    "a verb before the count, es": (
        "Tomás tiene {a} manzanas y se come {b}. ¿Cuántas manzanas le quedan al final?",
        lambda a, b: (
            f"Tomás tenía {a} manzanas y se come {b}, así que {'queda' if a - b == 1 else 'quedan'} {a} - {b} = {a - b}."
            f"\n#### {a - b}"
        ),
        (12, 11),
        LATER,
    ),
}


@pytest.mark.parametrize("case", sorted(SIZE_JUDGED))
def test_a_word_that_judges_a_number_is_not_served_for_another(case):
    """Class (helper-88): a word that judges a number as it is said: "Only 18 - 6 = 12 apples are left", "Solo le
    quedan", "nur noch", an emoji chosen by size ("👍", "🎉"), a word after an arrow ("8 minutes → tight!",
    helper-89), and a verb before a count that agrees with it in
    another language ("así que queda 9 - 3 = 6": "quedan"). Carried over, "Only" was served for 12 of 18 and "queda"
    for 6: 3 to 7 false of 8 per grid. Such a line is refused when its numbers moved. Still open the other way: a
    remark the model makes at some values only, missing from a stored answer made without it, is served without
    it."""
    question, model_of, first, later = SIZE_JUDGED[case]

    def model(prompt: str) -> str:
        a, b = (int(x) for x in re.findall(r"\d+", prompt)[:2])
        return model_of(a, b)

    served, false = false_served(model, [question.format(a=a, b=b) for a, b in [first, *later]])
    assert false == 0


def test_a_doubt_is_settled_by_an_answer_that_writes_the_number_so():
    """Class: the cost side of the doubt above. A model that writes thousands ungrouped ("$1500") is served totals
    past 1,000 once one of its answers shows how (a probe's or a caller's answer that agreed word for word with
    the entry re-derived there vouches for the doubt; a caller's answer is also an entry that shows it); a model
    that groups them ("$1,500") is never served them ungrouped (the grid above)."""
    question = "A shop sells {n} chairs at ${p} each. How much money does it make?"

    def model(prompt: str) -> str:
        n, p = (int(x) for x in re.findall(r"\d+", prompt)[:2])
        return f"The shop makes {n} × ${p} = ${n * p}.\n#### {n * p}"

    engine = engine_for(lambda spec: model(spec.prompt), probes=3)
    engine.run(Request(question.format(n=12, p=40)))
    background.drain(10)
    crossing = [(30, 50), (40, 45), (25, 60), (70, 20), (45, 30)]  # 1500, 1800, 1500, 1400, 1350
    served = 0
    for n, p in crossing:
        out = engine.run(Request(question.format(n=n, p=p)))
        background.drain(10)
        assert out.text == model(question.format(n=n, p=p))
        served += out.trace.backend_calls == 0
    assert served >= len(crossing) - 1  # the first may be the model's: its answer settles the doubt


def test_only_an_answer_that_says_the_doubted_text_word_for_word_settles_the_doubt():
    """Class: what settles a doubt (see :func:`stepcache_core.adapt.shown`): an answer written exactly as the
    doubted steps, numbers and all; one that groups ("$1,500") or pads ("$1500.00") settles nothing."""
    from stepcache_core.adapt import shown
    from stepcache_core.values import Step

    adapted = [Step(0, "The shop makes 30 × $50 = $1500.\n", "adapted", doubt="written(thousands)"), Step(1, "#### 1500")]
    assert shown(adapted, [Step(0, "The shop makes 30 × $50 = $1500.\n"), Step(1, "#### 1500")]) == {"written(thousands)"}
    assert shown(adapted, [Step(0, "The shop makes 30 × $50 = $1,500.\n"), Step(1, "#### 1500")]) == set()
    assert shown(adapted, [Step(0, "The shop makes 30 × $50 = $1500.00.\n"), Step(1, "#### 1500")]) == set()
    assert shown([Step(0, "30 × $50 = $1500", "adapted")], [Step(0, "30 × $50 = $1500")]) == set()  # no doubt


# ---------------------------------------------------------------- rows a model sorts by value (helper-88)
def _sorted_rows(prompt: str, layout: str) -> str:
    a, b, c, d = (int(x) for x in re.findall(r"\d+", prompt)[:4])
    x, y = a * b, c * d
    if layout == "table, de":  # a question and its answer in German, the amounts after the number
        rows = sorted([("Stühle", x), ("Tische", y)], key=lambda row: -row[1])
        return (
            f"Stühle: {a} * {b} = {x} €\nTische: {c} * {d} = {y} €\n\n| Posten | Kosten |\n|:--|--:|\n"
            + "".join(f"| {n} | {v} € |\n" for n, v in rows)
            + f"\nZusammen: {x} + {y} = {x + y} €\n#### {x + y}"
        )
    first = f"Chairs: {a} * {b} = <<{a}*{b}={x}>>{x} dollars.\nTables: {c} * {d} = <<{c}*{d}={y}>>{y} dollars.\n\n"
    rows = sorted([("Chairs", x), ("Tables", y)], key=lambda row: -row[1])
    if layout == "table":
        listed = "| Item | Cost |\n|---|---|\n" + "".join(f"| {n} | ${v} |\n" for n, v in rows)
    elif layout == "numbered":
        listed = "".join(f"{i}. {n.lower()}: ${v}\n" for i, (n, v) in enumerate(rows, 1))
    elif layout == "bullets, rising":
        listed = "".join(f"- {n}: ${v}\n" for n, v in rows[::-1])
    else:  # lines of a label and its value
        listed = "".join(f"{n}: ${v}\n" for n, v in rows)
    return first + listed + f"\nTotal: {x} + {y} = <<{x}+{y}={x + y}>>{x + y} dollars.\n#### {x + y}"


SORTED_ROWS = ["table", "numbered", "bullets, rising", "labels", "table, de"]
# the first question's costs, then later ones whose subtotals (chairs, tables) cross: 480 > 270, then 150 < 280...
CROSSING = [(12, 40, 3, 90), (5, 30, 4, 70), (12, 45, 4, 60), (6, 50, 5, 80), (15, 20, 3, 50), (4, 60, 6, 30)]


@pytest.mark.parametrize("order", ["forward", "backward"])
@pytest.mark.parametrize("layout", SORTED_ROWS)
def test_rows_sorted_by_value_are_not_served_in_the_old_order(layout, order):
    """Class (helper-88, 3 false of 8 per grid): a table, a numbered or bulleted list, or lines of a label and its
    value, that the model sorts by value ("| Chairs | $480 |" above "| Tables | $270 |"). Served for 150 and 280,
    the rows stood in the old order. Rows in the order of one of their columns are refused where the new values
    break it."""
    question = "A shop sells {} chairs at ${} each and {} tables at ${} each. How much money does it make?"
    if layout == "table, de":
        question = "Ein Laden verkauft {} Stühle zu je {} € und {} Tische zu je {} €. Was kosten die Posten zusammen?"
    asks = [question.format(*costs) for costs in CROSSING]
    served, false = false_served(lambda p: _sorted_rows(p, layout), asks if order == "forward" else asks[::-1])
    assert false == 0


def test_rows_whose_order_stands_are_served_and_bullets_that_compute_are_no_list():
    """Class: the cost side of the rows above. Rows whose order by value the new numbers keep are served, and
    bullets that compute ("- 20 - 4 = 16", "- 16 * 3 = 48", as the chat-style answers write a derivation) are steps
    the model writes in the order it works, no list: served across values that cross (4 > 3, then 2 < 5)."""
    question = "A shop sells {} chairs at ${} each and {} tables at ${} each. How much money does it make?"
    kept = [(12, 40, 3, 90), (11, 40, 3, 80), (12, 45, 2, 90), (13, 40, 3, 70), (12, 50, 4, 60)]
    served, false = false_served(lambda p: _sorted_rows(p, "table"), [question.format(*costs) for costs in kept])
    assert served >= 3 and false == 0

    def derivation(prompt: str) -> str:
        a, b, c = (int(x) for x in re.findall(r"\d+", prompt)[:3])
        return f"- {a} - {b} = {a - b} apples are left.\n- {a - b} * {c} = {(a - b) * c} cents.\n\n#### {(a - b) * c}"

    asked = "Tom has {} apples and eats {} of them. He sells the rest for {} cents each. How many cents does he get?"
    crossing = [(20, 4, 3), (30, 2, 5), (25, 3, 4), (40, 8, 2), (18, 2, 6)]  # 4 > 3, then 2 < 5...
    served, false = false_served(derivation, [asked.format(*nums) for nums in crossing])
    assert false == 0 and served >= 3


# ---------------------------------------------------------------- grouping in computations vs sentences (helper-89)
def _grouped_in(prompt: str, where: str) -> str:
    a, b, c = (int(x) for x in re.findall(r"\d+", prompt)[:3])
    made, left = a * b, a * b - c
    if where == "sentences":  # "30 × 40 = 1200", then "1,100 pencils left"
        return f"{b} × {a} = {made}\n{made} − {c} = {left}\nSo the school has {left:,} pencils left.\nThe answer is {left}."
    if where == "computations":  # "30 × 40 = 1,200", then "1100 pencils left"
        return f"{b} × {a} = {made:,}\n{made:,} − {c} = {left:,}\nSo the school has {left} pencils left.\nThe answer is {left}."
    # money: "$1200" in computations, "$1,100" in a sentence after them
    return f"Chairs: {a} × ${b} = ${made}\nRent: ${made} − ${c} = ${left}\nThe shop keeps ${left:,}.\n#### {left}"


GROUPED_IN = ["sentences", "computations", "sentences, money"]
# the first question's totals stay under 1,000; later ones cross it (1200 - 300 = 900, 1500 - 400 = 1100...)
PENCILS = [(20, 30, 100), (40, 30, 300), (50, 30, 400), (60, 25, 200), (30, 40, 100), (80, 20, 300), (45, 40, 600)]


@pytest.mark.parametrize("order", ["forward", "backward"])
@pytest.mark.parametrize("where", GROUPED_IN)
def test_how_the_model_groups_in_sentences_is_not_read_for_its_computations(where, order):
    """Class (helper-89, 6 false of 8 in one order): a writer that groups thousands in sentences and not in
    computations ("30 × 40 = 1200" beside "1,100 pencils are left"), or the other way round. Once an answer with
    "1200" in a computation was stored, "1100" was served in the sentence too. How the answer groups is read for
    each kind of place apart; the questions, which have no computations, tell only of sentences."""
    question = "Each box holds {} pencils and a school buys {} boxes. It gives away {} pencils. How many pencils are left?"
    if where.endswith("money"):
        question = "A shop sells {} chairs at ${} each and pays ${} in rent. How much money does the shop keep?"
    asks = [question.format(*nums) for nums in PENCILS]
    served, false = false_served(lambda p: _grouped_in(p, where), asks if order == "forward" else asks[::-1])
    assert false == 0


# ---------------------------------------------------------------- a yes or no the numbers decide (helper-91)
def _teen(verdicts: tuple[str, str]) -> Callable[[str], str]:
    def model(prompt: str) -> str:
        a, b = (int(x) for x in re.findall(r"\d+", prompt)[:2])
        return f"{a} + {b} = {a + b}\n{verdicts[0] if 13 <= a + b <= 19 else verdicts[1]}\n#### {a + b}"

    return model


def _three_digits(prompt: str) -> str:
    a, b = (int(x) for x in re.findall(r"\d+", prompt)[:2])
    verdict = "That is a three-digit number." if a + b >= 100 else "That is not a three-digit number."
    return f"Tim has {a} + {b} = <<{a}+{b}={a + b}>>{a + b} stamps.\n{verdict}\n#### {a + b}"


YES_OR_NO = {
    "a clause joined after the amount's, en": (
        "Ann is {} years old. How old will Ann be in {} years, and will Ann be a teenager then?",
        _teen(("Ann will be a teenager then.", "Ann will not be a teenager then.")),
    ),
    "a clause joined after the amount's, es": (
        "Ann tiene {} años. ¿Cuántos años tendrá Ann dentro de {} años, y será Ann una adolescente?",
        _teen(("Ann será una adolescente.", "Ann no será una adolescente.")),
    ),
    "a clause joined after the amount's, de": (
        "Ann ist {} Jahre alt. Wie alt ist Ann in {} Jahren, und ist Ann dann eine Jugendliche?",
        _teen(("Ann ist dann eine Jugendliche.", "Ann ist dann keine Jugendliche.")),
    ),
    "a question of its own": (
        "Tim has {} stamps and buys {} more. How many stamps does Tim have? Is that a three-digit number?",
        _three_digits,
    ),
    "whether": (
        "Tim has {} stamps and buys {} more. Find how many stamps Tim has, and say whether that is a three-digit number.",
        _three_digits,
    ),
    # (helper-92) a verdict asked in one or two words: after "so", as a bare predicate, with "or not"
    "two words after so": (
        "Ann is {} years old. How old will Ann be in {} years, so a teenager?",
        _teen(("So yes, a teenager.", "So no, not a teenager.")),
    ),
    "a bare predicate after a comma": (
        "Ann is {} years old. How old will Ann be in {} years, a teenager?",
        _teen(("Yes, a teenager.", "No, not a teenager.")),
    ),
    "or not": (
        "Ann is {} years old. How old will Ann be in {} years, teenager or not?",
        _teen(("Teenager.", "Not a teenager.")),
    ),
    "donc, fr": (
        "Ann a {} ans. Quel âge aura Ann dans {} ans, donc adolescente ?",
        _teen(("Oui, adolescente.", "Non, pas adolescente.")),
    ),
    # (helper-95) a bare noun, a state reached, "or not" closing a statement
    "a bare noun": (
        "Ann is {} years old. How old will Ann be in {} years, teenager?",
        _teen(("Yes, a teenager.", "No, not a teenager.")),
    ),
    "teenager yet": (
        "Ann is {} years old. How old will Ann be in {} years; teenager yet?",
        _teen(("Yes, a teenager.", "No, not a teenager.")),
    ),
    "ya adolescente, es": (
        "Ann tiene {} años. ¿Cuántos años tendrá Ann dentro de {} años, ya adolescente?",
        _teen(("Sí, adolescente.", "No, no adolescente.")),
    ),
    "or not, in a statement": (
        "Ann is {} years old. Say how old Ann will be in {} years and a teenager or not.",
        _teen(("A teenager.", "Not a teenager.")),
    ),
}
TEENS = [(12, 3), (5, 3), (10, 4), (8, 2), (11, 5), (6, 4), (14, 2), (3, 5)]
STAMPS = [(60, 30), (70, 45), (50, 20), (80, 40), (40, 35), (90, 30), (55, 25), (65, 50)]


@pytest.mark.parametrize("order", ["forward", "backward"])
@pytest.mark.parametrize("case", sorted(YES_OR_NO))
def test_a_yes_or_no_the_numbers_decide_is_not_served_for_other_numbers(case, order):
    """Class (helper-91, 2 to 8 false of 10 per grid, in English, French, Spanish and German): a question that asks
    yes or no beside the amount ("..., and will Ann be a teenager then?", "Is that a three-digit number?"), whose
    verdict the answer says in the question's own words. Every word of "Ann will be a teenager then." is the
    question's, so no check read it, and it was served for 8 as for 15 (in Spanish the "no" line too). The gate
    now refuses moved numbers where a question asks yes or no (see ``gate._asks_yes_or_no``)."""
    question, model = YES_OR_NO[case]
    rows = STAMPS if "stamps" in question else TEENS
    asks = [question.format(*row) for row in rows]
    served, false = false_served(model, asks if order == "forward" else asks[::-1])
    assert false == 0


# ---------------------------------------------------------------- a value on a dial wraps (helper-90)
def _on_a_dial(full: int, says: str) -> Callable[[str], str]:
    def model(prompt: str) -> str:
        a, b = (int(x) for x in re.findall(r"\d+", prompt)[:2])
        s = a + b
        if s < full or (full == 12 and s == 12):
            return f"{a} + {b} = <<{a}+{b}={s}>>{s}\n{says.format(s)}\n#### {s}"
        return f"{a} + {b} = <<{a}+{b}={s}>>{s}\nIt goes round after {full}: {s} - {full} = <<{s}-{full}={s - full}>>{s - full}.\n{says.format(s - full)}\n#### {s - full}"

    return model


ON_A_DIAL = {
    "hour hand": ("The hour hand points at {}. Where does it point after {} more hours?", 12, "The hand points at {}."),
    "minute mark": (
        "The minute hand is at the {}-minute mark. Where is it {} minutes later?",
        60,
        "It is at the {}-minute mark.",
    ),
    "dial in degrees": (
        "A dial is set to {} degrees. Ann turns it {} degrees further. At how many degrees is it set now?",
        360,
        "The dial is set to {} degrees.",
    ),
    "Zeiger, de": ("Der Stundenzeiger zeigt auf {}. Wohin zeigt er nach {} weiteren Stunden?", 12, "Er zeigt auf {}."),
    # (helper-92) a turn said otherwise, and the seconds a display reads
    "pivots, degrees": (
        "A robot faces {} degrees. It pivots by {} degrees more. What angle does it face now?",
        360,
        "It faces {} degrees.",
    ),
    "seconds on a display": ("The seconds on a display read {}. What do they read {} seconds later?", 60, "They read {}."),
}
DIAL_ROWS = {
    12: [(2, 5), (3, 4), (1, 8), (4, 6), (9, 5), (10, 4), (8, 7), (11, 6)],
    60: [(10, 15), (20, 25), (5, 40), (30, 20), (40, 35), (50, 25), (45, 30), (35, 40)],
    360: [(30, 50), (100, 120), (45, 90), (200, 60), (300, 90), (250, 170), (320, 80), (270, 135)],
}


@pytest.mark.parametrize("order", ["forward", "backward"])
@pytest.mark.parametrize("case", sorted(ON_A_DIAL))
def test_a_value_on_a_dial_is_not_served_past_where_it_wraps(case, order):
    """Class (helper-90, 4 false of 8 per grid in one order): a hand or a mark on a dial, or a turn in degrees: 9
    + 5 on the hour hand points at 2, and the 40-minute mark 35 minutes later is the 15-minute mark. Served from
    an answer that never wrapped, the sum was served ("14", "the 75-minute mark", "390 degrees"). The gate reads a
    hand, a minute mark, a dial and a turn in degrees as a value that wraps, as it reads a clock."""
    question, full, says = ON_A_DIAL[case]
    asks = [question.format(*row) for row in DIAL_ROWS[full]]
    served, false = false_served(_on_a_dial(full, says), asks if order == "forward" else asks[::-1])
    assert false == 0


# ---------------------------------------------------------------- a word said of a value another one took (helper-91)
def test_a_word_said_of_an_old_value_is_not_kept_because_the_new_question_has_that_value():
    """Class (helper-91, 3 false of 8): "Ann reads the last page on the ninth day." after 63 / 7 = 9, asked with 9
    pages a day: the new question has a 9, so "ninth" was read as said of it and kept (the answer is the sixth
    day). A word for a value (an ordinal, a number in words, "one") that a quantity or a result had and no longer
    has in its place is now stale wherever else the new values have it. The cost side: the question's own word
    for a value it keeps ("The Lee twins found 35 × 2") stays, where a result moved from 2."""

    def model(prompt: str) -> str:
        r, n = (int(x) for x in re.findall(r"\d+", prompt)[:2])
        return f"{n} / {r} = <<{n}/{r}={n // r}>>{n // r}\nAnn reads the last page on the {num2words(n // r, to='ordinal')} day.\n#### {n // r}"

    def opening(prompt: str) -> str:  # (helper-92) the ordinal opens the line
        r, n = (int(x) for x in re.findall(r"\d+", prompt)[:2])
        day = num2words(n // r, to="ordinal").capitalize()
        return f"{n} / {r} = <<{n}/{r}={n // r}>>{n // r}\n{day} day: Ann reads the last page.\n#### {n // r}"

    def french(prompt: str) -> str:  # "six" is French and English: no English word is written for it
        r, n = (int(x) for x in re.findall(r"\d+", prompt)[:2])
        return f"{n} / {r} = {n // r}\nIl lui faut {num2words(n // r, lang='fr')} jours.\n#### {n // r}"

    question = "Ann reads {} pages a day. Her book has {} pages. How many days does Ann need to read the book?"
    rows = [(7, 63), (9, 54), (4, 36), (6, 24), (8, 48), (3, 27), (5, 40), (9, 81)]  # 63 / 7 = 9, then 9 a day...
    for answer in (model, opening):
        for asks in ([question.format(*row) for row in rows], [question.format(*row) for row in rows[::-1]]):
            served, false = false_served(answer, asks)
            assert false == 0
    asked = "Ann lit {} pages par jour. Son livre a {} pages. Combien de jours lui faut-il pour lire le livre ?"
    served, false = false_served(french, [asked.format(*row) for row in [(7, 42), (9, 54), (6, 30), (4, 28)]])
    assert false == 0

    def twins(prompt: str) -> str:
        hid, each, left = (int(x) for x in re.findall(r"\d+", prompt)[:3])
        found, rest = each * 2, hid - each * 2
        return (
            f"- The Lee twins found, ${each} \\times 2 = {found}$ toys.\n- The number that remained hidden was ${hid} - {found} = {rest}$"
            f" toys\n- Since {left} toys were not found, this means the friends found {rest} - {left} = {rest - left} toys.\n\n"
            f"The answer is {rest - left}."
        )

    # (GSM-Symbolic's template 81 and its chat-style answer)
    asked = "The Charity fundraiser team hid {} toys. The Lee twins each found {} toys. All the other toys except {} were found by their friends. How many toys did the friends find?"
    served, false = false_served(twins, [asked.format(*row) for row in [(80, 35, 8), (90, 31, 9), (190, 38, 17), (100, 41, 6)]])
    assert false == 0 and served >= 2


# ---------------------------------------------------------------- a count judged by a quantifier (helper-88)
def _judged(words: tuple[str, str], line: str) -> Callable[[str], str]:
    def model(prompt: str) -> str:
        had, ate = (int(x) for x in re.findall(r"\d+", prompt)[:2])
        left = had - ate
        said = line.format(left, words[0] if ate * 2 < had else words[1])
        return f"{had} - {ate} = <<{had}-{ate}={left}>>{left}\n{said}\n#### {left}"

    return model


QUANTIFIED = {
    "few, in a trailing phrase": (
        "Tom had {} apples. He ate {} of them as snacks. How many apples are left?",
        _judged(("few", "many"), "Tom has {} apples left over from his {} snacks."),
    ),
    "a few or most": (
        "Tom had {} apples. He ate {} of them as snacks. How many apples are left?",
        _judged(("a few", "most"), "Tom has {} apples left after eating {} of them."),
    ),
    "pocos, es": (
        "Tom tenía {} manzanas. Se comió {} de ellas. ¿Cuántas manzanas le quedan?",
        _judged(("pocas", "muchas"), "A Tom le quedan {} manzanas después de comerse {} de ellas."),
    ),
    "wenige, de": (
        "Tom hatte {} Äpfel. Er aß {} davon. Wie viele Äpfel hat er noch?",
        _judged(("wenige", "viele"), "Tom hat noch {} Äpfel, nachdem er {} gegessen hat."),
    ),
}
# (helper-95) more quantifiers, en, es, it, pt, nl
QUANTIFIED |= {
    f"{low} or {high}": (
        "Tom had {} apples. He ate {} of them as snacks. How many apples are left?",
        _judged((low, high), "Tom has {} apples left after eating {} of them."),
    )
    for low, high in (("a fraction", "nearly all"), ("a dozen or so", "dozens"))
} | {
    f"{low} or {high}, {language}": (question, _judged((low, high), line))
    for language, question, line, low, high in (
        (
            "es",
            "Tom tenía {} manzanas. Se comió {} de ellas. ¿Cuántas manzanas le quedan?",
            "A Tom le quedan {} manzanas después de comerse {} de ellas.",
            "unas cuantas",
            "varias",
        ),
        (
            "it",
            "Tom aveva {} mele. Ne ha mangiate {}. Quante mele gli restano?",
            "A Tom restano {} mele dopo averne mangiate {}.",
            "alcune",
            "la maggior parte",
        ),
        (
            "nl",
            "Tom had {} appels. Hij at er {} van op. Hoeveel appels heeft hij nog?",
            "Tom heeft nog {} appels, nadat hij er {} van op at.",
            "enkele",
            "de meeste",
        ),
    )
}
ATE = [(20, 3), (30, 5), (40, 8), (20, 15), (30, 22), (50, 9), (40, 33), (60, 50)]


@pytest.mark.parametrize("order", ["forward", "backward"])
@pytest.mark.parametrize("case", sorted(QUANTIFIED))
def test_a_count_judged_by_a_quantifier_is_not_served_for_other_numbers(case, order):
    """Class (helper-88, 2 to 4 false of 8, wrong in what it says): a quantifier that judges a count in a phrase
    that concludes nothing ("13 apples left over from his few snacks", "after eating a few of them", "pocas",
    "wenige"); the model says "many" or "most" past half. No computation states it, and the judging words were read
    only beside "only", "too" or "not". A quantifier the question does not use is now a claim of the line; "how
    many" restating the question is none."""
    question, model = QUANTIFIED[case]
    asks = [question.format(*row) for row in (ATE if order == "forward" else ATE[::-1])]
    served, false = false_served(model, asks)
    assert false == 0


# ---------------------------------------------------------------- a result restated as a fraction (helper-94)
def _fraction(form: str) -> Callable[[str], str]:
    def model(prompt: str) -> str:
        cups, cakes = (int(x) for x in re.findall(r"\d+", prompt)[:2])
        share = Fraction(cups, cakes)
        said = f"{share.numerator}/{share.denominator}" if share.denominator != 1 else str(share.numerator)
        return form.format(cups=cups, cakes=cakes, said=said, decimal=f"{float(share):g}")

    return model


FRACTION_FORMS = {
    "a decimal computed, a fraction said": "{cups} / {cakes} = {decimal}\nEach cake needs {said} cup of flour.\n#### {said}",
    "a fraction computed and said again": "{cups} / {cakes} = {said}\nOne cake needs {said} cups.\n#### {said}",
    "said in a sentence, the answer is": "{cups} / {cakes} = {decimal}\nSo each cake needs {said} cup.\nThe answer is {said}.",
    "said, a decimal final": "{cups} / {cakes} = {decimal}\nThat is {said} of a cup per cake.\n#### {decimal}",
}
CUPS = [(2, 4), (3, 4), (3, 6), (4, 4), (2, 3), (6, 8), (5, 10), (4, 8), (2, 6)]


@pytest.mark.parametrize("order", ["forward", "backward"])
@pytest.mark.parametrize("form", sorted(FRACTION_FORMS))
def test_a_result_said_as_a_fraction_follows_the_result(form, order):
    """Class (helper-94, 5 to 7 false of 9 per grid, the prose wrong): a result restated as a fraction in a line
    that computes nothing ("Each cake needs 1/2 cup." after "3 / 6 = 0.5"). Its parts were re-derived each on its
    own, so a 2 that the question also has (2 cups) moved with the question: "1/3 cup" was served for 3 cups and 6
    cakes, under a final line of 1/2; "1/4 cups" for 4 cups and 4 cakes. A fraction whose value is a result now
    follows the result, in lowest terms as the answer wrote it, and is refused where the result is no fraction any
    more or its parts may be the question's numbers."""
    question = "A recipe needs {} cups of flour for {} cakes. How many cups are needed for one cake?"
    asks = [question.format(*row) for row in (CUPS if order == "forward" else CUPS[::-1])]
    right = {q: Fraction(*(int(x) for x in re.findall(r"\d+", q)[:2])) for q in asks}
    model = _fraction(FRACTION_FORMS[form])
    served, false = false_served(model, asks)
    assert false == 0
    assert tally(engine_for(lambda spec: model(spec.prompt), probes=3), list(right.items()))[1] == 0


# ---------------------------------------------------------------- a decimal comma with three places (helper-93)
def _litres(answer: str, read: str, op: str) -> Callable[[str], str]:
    def model(prompt: str) -> str:
        m = re.search(read, prompt)
        assert m is not None
        amount, count = Fraction(m[1].replace(",", ".")), int(m[2])
        total = amount * count if op == "*" else amount / count
        said = f"{float(total):.3f}".replace(".", ",")
        return answer.format(n=count, w=m[1], t=said)

    return model


DECIMAL_COMMA = {
    "de, a product": (
        "Eine Flasche enthält {} Liter Saft. Ann kauft {} Flaschen. Wie viele Liter Saft kauft Ann?",
        _litres("{n} · {w} l = {t} l\n#### {t}", r"enthält (\d+,\d{3}) Liter Saft\. Ann kauft (\d+)", "*"),
    ),
    "fr, a product": (
        "Une bouteille contient {} litre de jus. Ann achète {} bouteilles. Combien de litres de jus achète Ann ?",
        _litres(
            "{n} × {w} L = {t} L\nAnn achète {t} litres de jus.\n#### {t}",
            r"contient (\d+,\d{3}) litre de jus\. Ann achète (\d+)",
            "*",
        ),
    ),
    "es, a product": (
        "Una botella contiene {} litros de zumo. Ann compra {} botellas. ¿Cuántos litros de zumo compra Ann?",
        _litres(
            "{n} × {w} l = {t} l\nAnn compra {t} litros.\n#### {t}",
            r"contiene (\d+,\d{3}) litros de zumo\. Ann compra (\d+)",
            "*",
        ),
    ),
    "de, a quotient": (
        "Ann hat {} kg Mehl und füllt es gleichmäßig in {} Dosen. Wie viel kg Mehl kommen in jede Dose?",
        _litres(
            "{w} kg / {n} = {t} kg\nIn jede Dose kommen {t} kg Mehl.\n#### {t}",
            r"hat (\d+,\d{3}) kg Mehl und füllt es gleichmäßig in (\d+)",
            "/",
        ),
    ),
}
# (helper-95) texts with none of the small words of English or of the languages counted: any may have the comma
DECIMAL_COMMA |= {
    f"{language}, few words": (
        question,
        _litres("{w} kg / {n} = {t} kg\n#### {t}", read, "/"),
    )
    for language, question, read in (
        (
            "sv",
            "Anna har {} kg mjöl som hon delar lika i {} burkar. Hur många kg mjöl blir det i varje burk?",
            r"har (\d+,\d{3}) kg mjöl som hon delar lika i (\d+)",
        ),
        (
            "no",
            "Anna har {} kg mel som hun deler likt i {} bokser. Hvor mange kg mel blir det i hver boks?",
            r"har (\d+,\d{3}) kg mel som hun deler likt i (\d+)",
        ),
        (
            "fr",
            "Tom achète {} kg de farine, répartis en {} pots. Combien de kg par pot ?",
            r"achète (\d+,\d{3}) kg de farine, répartis en (\d+)",
        ),
    )
}
LITRES = [("0,750", 4), ("1,500", 3), ("0,250", 2), ("0,330", 6), ("1,250", 4), ("0,700", 10), ("2,000", 5), ("0,125", 8)]
FLOUR_COMMAS = [("2,500", 4), ("3,000", 4), ("7,500", 3), ("1,200", 2), ("9,000", 2), ("2,400", 6), ("6,000", 3), ("4,800", 8)]


@pytest.mark.parametrize("order", ["forward", "backward"])
@pytest.mark.parametrize("case", sorted(DECIMAL_COMMA))
def test_a_decimal_comma_with_three_places_moves_no_number(case, order):
    """Class (helper-93, wrong: 1 to 6 of 6 to 7 served per grid): a decimal comma before three places, as German,
    French or Spanish write litres and kilograms ("0,250 Liter", "2,500 kg" for 2.5 kg). The task read a group of
    thousands (250, 2500); a product or a quotient verifies either way, and its re-derivation in whole numbers was
    served ("3 · 0,250 l = 750 l", "#### 750" for three quarters of a kilogram). A comma after a 0, or before three
    digits in a text of a language that writes a decimal comma, now moves no number, kept or moved, in the question
    or in the answer."""
    question, model = DECIMAL_COMMA[case]
    rows = FLOUR_COMMAS if "quotient" in case or "few words" in case else LITRES
    asks = [question.format(*row) for row in (rows if order == "forward" else rows[::-1])]
    served, false = false_served(model, asks)
    assert false == 0


def test_a_group_of_thousands_in_english_still_moves():
    """The cost side of the decimal comma: "2,500 apples" in an English question is a group of thousands, and a
    reuse across its values is still served (right, as the model writes it)."""

    def model(prompt: str) -> str:
        had, boxes = (int(x.replace(",", "")) for x in re.findall(r"\d[\d,]*", prompt)[:2])
        return f"{had:,} / {boxes} = <<{had}/{boxes}={had // boxes}>>{had // boxes:,}\n#### {had // boxes}"

    question = "A farm has {} apples and packs them into {} boxes of the same size. How many apples go in each box?"
    rows = [("2,500", 5), ("3,000", 4), ("1,200", 6), ("4,800", 8), ("6,000", 3)]
    served, false = false_served(model, [question.format(*row) for row in rows])
    assert false == 0 and served >= 2


# ---------------------------------------------------------------- how a writer says a count (helper-93)
def test_a_count_of_the_question_that_crosses_one_moves_no_number_where_its_noun_is_said_away():
    """Class (helper-93, 1 to 4 false of 4 to 7 per grid, worded otherwise): a count of the question that is 1 in
    one question and not in the other ("The number of cats in Ann's house is 1."), whose noun the answer says away
    from any number ("the cat eats" at 1, "the cats eat" at 3), where no check of a number's own noun reads it.
    Such a count moves no number now. The cost side: where the answer says its noun only right after a number, or
    not at all ("Ann has 1 boxes with 5 pens", an answer that speaks of pens), the counts still move."""

    def model(prompt: str) -> str:
        cats, cans, weeks = (int(n) for n in re.findall(r"\d+", prompt)[:3])
        who = "the cat eats" if cats == 1 else "the cats eat"
        week = cats * cans
        return (
            f"In a week {who} {cats} * {cans} = <<{cats}*{cans}={week}>>{week} cans.\n"
            f"In {weeks} weeks {who} {week} * {weeks} = <<{week}*{weeks}={week * weeks}>>{week * weeks} cans.\n"
            f"#### {week * weeks}"
        )

    question = "The number of cats in Ann's house is {}. Each cat eats {} cans of food a week. How many cans do the cats eat in {} weeks?"
    rows = [(3, 4, 2), (1, 5, 3), (2, 6, 4), (1, 3, 2), (4, 2, 5), (1, 7, 2), (5, 3, 3), (1, 4, 6)]
    for asks in ([question.format(*row) for row in rows], [question.format(*row) for row in rows[::-1]]):
        served, false = false_served(model, asks)
        assert false == 0

    def pens(prompt: str) -> str:
        boxes, each, loose = (int(x) for x in re.findall(r"\d+", prompt)[:3])
        held = boxes * each
        return f"{boxes} * {each} = <<{boxes}*{each}={held}>>{held}\n{held} + {loose} = <<{held}+{loose}={held + loose}>>{held + loose}\n#### {held + loose}"

    question = "Ann has {} boxes with {} pens in each box, and {} loose pens. How many pens does Ann have?"
    served, false = false_served(pens, [question.format(*row) for row in [(3, 4, 2), (1, 5, 3), (2, 6, 4), (1, 3, 2), (4, 2, 5)]])
    assert false == 0 and served >= 3


def _spells_through(through: int, line: str = "Ann needs {} days.") -> Callable[[str], str]:
    def model(prompt: str) -> str:
        each, pages = (int(x) for x in re.findall(r"\d+", prompt)[:2])
        days = pages // each
        said = num2words(days) if days <= through else str(days)
        return f"{pages} / {each} = <<{pages}/{each}={days}>>{days}\n{line.format(said)}\n#### {days}"

    return model


SPELLED = {
    "under ten": (_spells_through(9), [(9, 54), (7, 84), (4, 48), (6, 30), (8, 120), (3, 27), (5, 40), (9, 135)]),
    "through ten": (_spells_through(10), [(9, 54), (5, 60), (4, 40), (6, 72), (3, 30), (7, 70), (2, 22), (8, 80), (9, 90)]),
}


@pytest.mark.parametrize("order", ["forward", "backward"])
@pytest.mark.parametrize("writer", sorted(SPELLED))
def test_a_writer_that_spells_out_small_numbers_is_not_guessed(writer, order):
    """Class (helper-93, helper-97: 3 to 5 false of 7 to 9 per grid, worded otherwise): a writer that spells out
    small numbers in its sentences and writes the rest in digits, under ten (AP) or through ten ("Ann needs six
    days", "Ann needs 12 days"). A sentence's 12 restated as 6 was written "6 days", and "six" restated as 12
    "twelve days". A sentence's number restated under ten or as ten is now a doubt an answer written so settles,
    unless the answer writes a number as small in digits in a sentence; a number in words restated in another band
    (under ten, ten, to twenty, under a hundred) is one too, settled for that band only. A final answer and a line
    that computes are digits. Still open: a writer that spells through twenty, whose "12 days" restated from 25 is
    served in digits (a doubt there cost 31 GSM-Symbolic variants)."""
    model, rows = SPELLED[writer]
    question = "Ann reads {} pages a day. Her book has {} pages. How many days does Ann need to read the book?"
    asks = [question.format(*row) for row in (rows if order == "forward" else rows[::-1])]
    served, false = false_served(model, asks)
    assert false == 0 and served >= 3


def test_digits_in_money_a_sign_or_a_list_tell_nothing_of_a_sentence():
    """Class (helper-97, 3 to 5 false of 6 to 7 per grid, worded otherwise): a writer that spells out counts under
    ten in its sentences and writes digits in money ("$9 a day"), before a sign ("9 x 6") or in a list's line ("-
    First book: 6 days"). Those digits were read as its way with small numbers, and "12 days" restated as 6 was
    served "6 days". Only a sentence's count tells now."""

    def said(n: int) -> str:
        return num2words(n) if n < 10 else str(n)

    def money(prompt: str) -> str:
        each, price = (int(x) for x in re.findall(r"\d+", prompt)[:2])
        days = price // each
        return f"Ann saves ${each} a day.\n${price} / ${each} = <<{price}/{each}={days}>>{days}\nAnn needs {said(days)} days.\n#### {days}"

    def sign(prompt: str) -> str:
        boxes, each, given = (int(x) for x in re.findall(r"\d+", prompt)[:3])
        held, left = boxes * each, boxes * each - given
        return (
            f"{boxes} x {each} = <<{boxes}*{each}={held}>>{held}\n{held} - {given} = <<{held}-{given}={left}>>{left}\n"
            f"Ann has {said(left)} pens left.\n#### {left}"
        )

    grids = [
        (
            money,
            "Ann saves ${} a day. She wants a bike that costs ${}. How many days does Ann need to save?",
            [(9, 108), (8, 48), (7, 84), (6, 30), (9, 135), (3, 27), (5, 40), (4, 48)],
        ),
        (
            sign,
            "Ann buys {} boxes with {} pens in each box. She gives away {} pens. How many pens are left?",
            [(3, 5, 3), (4, 5, 14), (3, 6, 11), (2, 9, 6), (4, 4, 13), (5, 3, 7), (2, 8, 9), (3, 7, 10)],
        ),
    ]
    for model, question, rows in grids:
        for asks in ([question.format(*row) for row in rows], [question.format(*row) for row in rows[::-1]]):
            served, false = false_served(model, asks)
            assert false == 0


def test_a_fraction_in_words_past_tenths_is_never_half_rewritten():
    """Class (helper-97, **wrong**: 6 of 7 served stated another amount): a result said as a fraction in words
    whose denominator is past tenths ("One cake needs five twelfths of a cup", "seven twentieths"). Only the
    numerator word was read, and rewritten: "three twelfths" (a quarter) was served for 3/4. Fractions in words are
    read through "twentieths", "hundredths" and "thousandths" now, and one that cannot be written plainly makes
    the model answer."""
    ordinals = {
        2: "half",
        3: "third",
        4: "quarter",
        5: "fifth",
        8: "eighth",
        9: "ninth",
        10: "tenth",
        12: "twelfth",
        20: "twentieth",
    }

    def model(prompt: str) -> str:
        cups, cakes = (int(x) for x in re.findall(r"\d+", prompt)[:2])
        share = Fraction(cups, cakes)
        ordinal = ordinals[share.denominator]
        words = f"{num2words(share.numerator)} {ordinal if share.numerator == 1 else 'halves' if ordinal == 'half' else ordinal + 's'}"
        return f"{cups} / {cakes} = {share}\nOne cake needs {words} of a cup of flour.\n#### {share}"

    question = "A recipe needs {} cups of flour for {} cakes. How many cups of flour does one cake need?"
    rows = [(7, 12), (5, 12), (3, 4), (2, 3), (7, 10), (3, 8), (4, 9), (3, 5), (7, 20), (9, 20)]
    for order in (rows, rows[::-1]):
        asks = [question.format(*row) for row in order]
        served, false = false_served(model, asks)
        assert false == 0
        right = [(q, Fraction(*(int(x) for x in re.findall(r"\d+", q)[:2]))) for q in asks]
        assert tally(engine_for(lambda spec: model(spec.prompt), probes=3), right)[1] == 0


def test_a_score_written_as_the_questions_counts_is_not_reduced():
    """Class (helper-95, 2 false of 7 in one order, worded otherwise: she got 9 right, not 3): a score restated as
    the question's two counts ("She got 9/12 questions right." after 9 / 12 = 0.75). Where the first question's
    counts were in lowest terms (3 of 4), the fraction followed the result in lowest terms: "3/4 questions right"
    for 9 of 12. Where its own parts and the result can be written apart, it is refused."""

    def model(prompt: str) -> str:
        right, asked = (int(x) for x in re.findall(r"\d+", prompt)[:2])
        share, percent = Fraction(right, asked), Fraction(right * 100, asked)
        return (
            f"{right} / {asked} = {float(share):g}\nShe got {right}/{asked} questions right.\n"
            f"{float(share):g} * 100 = {float(percent):g}\n#### {float(percent):g}"
        )

    question = "Ann answered {} of the {} questions on her test correctly. What percent of the questions did she get right?"
    rows = [(3, 4), (6, 8), (1, 2), (9, 12), (2, 4), (4, 5), (8, 10), (3, 5), (12, 20), (5, 10)]
    for asks in ([question.format(*row) for row in rows], [question.format(*row) for row in rows[::-1]]):
        served, false = false_served(model, asks)
        assert false == 0


def _pens(form: Callable[[str, str, str, Decimal], str]) -> Callable[[str], str]:
    def model(prompt: str) -> str:
        count, price = re.findall(r"\d+(?:\.\d+)?", prompt)[:2]
        return form(prompt.split()[0], count, price, int(count) * Decimal(price))

    return model


def _shortest(value: Decimal) -> str:
    return format(value.normalize(), "f")


CALCULATORS = {
    "pads its annotations, not its sentences": lambda n, c, p, t: (
        f"{n} spends {c} * {p} = <<{c}*{p}={t:.2f}>>{_shortest(t)} dollars.\n#### {_shortest(t)}"
    ),
    "pads both": lambda n, c, p, t: f"{n} spends {c} * ${p} = <<{c}*{p}={t:.2f}>>${t:.2f}.\n#### {t:.2f}",
}
PEN_ROWS = [
    ("Ann", 3, "1.50"),
    ("Ann", 4, "2.25"),
    ("Mia", 5, "1.20"),
    ("Zoe", 2, "3.75"),
    ("Eva", 6, "0.85"),
    ("Kate", 7, "1.10"),
    ("Lia", 4, "2.50"),
    ("Ivy", 8, "0.75"),
]


@pytest.mark.parametrize("order", ["forward", "backward"])
@pytest.mark.parametrize("form", sorted(CALCULATORS))
def test_a_calculator_annotation_is_written_as_the_writer_writes_its_annotations(form, order):
    """Class (helper-94, helper-95: 1 to 6 false of 3 to 6 per grid, worded otherwise): a writer whose calculator
    annotations pad otherwise than a calculator prints: to fixed places where its sentences do not
    ("<<6*0.85=5.10>>5.1 dollars"), a whole result too ("<<8*0.75=6.00>>"), or the question's number copied as the
    question writes it ("<<7*1.10=7.7>>" of "$1.10"). Annotations were always written in as few places as a value
    needs. How a writer writes its annotations is read from them (``numbers.Calculator``), apart from its
    sentences. Still open: where they do not show whether it copies the question's number ("<<4*2.25=9>>"), one
    that the new question pads ("$1.10") is written as a calculator prints it."""
    question = "{} buys {} pens at ${} each. How much does {} spend?"
    asks = [question.format(n, c, p, n) for n, c, p in (PEN_ROWS if order == "forward" else PEN_ROWS[::-1])]
    served, false = false_served(_pens(CALCULATORS[form]), asks)
    assert false == 0


# ---------------------------------------------------------------- how a language counts (helper-96)
def _below_two(line: str, one: str, more: str) -> Callable[[str], str]:
    def model(prompt: str) -> str:
        poured, bottles = (int(x) for x in re.findall(r"\d+", prompt)[:2])
        each = f"{poured / bottles:g}"
        return f"{poured} / {bottles} = {each}\n{line.format(each, one if poured / bottles < 2 else more)}\n#### {each}"

    return model


def _slovenian(prompt: str) -> str:
    had, ate = (int(x) for x in re.findall(r"\d+", prompt)[:2])
    left = had - ate
    forms = {1: ("ostane", "jabolko"), 2: ("ostaneta", "jabolki"), 3: ("ostanejo", "jabolka"), 4: ("ostanejo", "jabolka")}
    verb, noun = forms.get(left % 100, ("ostane", "jabolk"))
    return f"{had} - {ate} = {left}\nŠpeli {verb} {left} {noun}.\n#### {left}"


COUNTED_BY_LANGUAGE = {
    "fr, singular below two": (
        "Marie verse {} litres de jus dans {} bouteilles de façon égale. Combien de litres de jus y a-t-il dans chaque bouteille ?",
        _below_two("Chaque bouteille contient {} {} de jus.", "litre", "litres"),
        [(3, 2), (5, 2), (1, 2), (7, 2), (9, 6), (15, 6), (3, 4), (9, 4)],
    ),
    "pt, singular below two": (
        "Ana divide {} litros de suco igualmente em {} garrafas. Quantos litros de suco ficam em cada garrafa?",
        _below_two("Cada garrafa fica com {} {} de suco.", "litro", "litros"),
        [(3, 2), (5, 2), (1, 2), (7, 2), (9, 6), (15, 6), (3, 4), (9, 4)],
    ),
    "sl, a dual": (
        "Spela has {} apples. She eats {}. How many apples are left? Answer in Slovenian.",
        _slovenian,
        [(9, 7), (9, 6), (8, 6), (10, 6), (12, 10), (11, 8), (7, 5), (15, 11)],
    ),
}


@pytest.mark.parametrize("order", ["forward", "backward"])
@pytest.mark.parametrize("case", sorted(COUNTED_BY_LANGUAGE))
def test_a_noun_counted_as_its_language_counts_is_not_served_in_another_form(case, order):
    """Class (helper-96, 2 to 4 false of 4 to 7 per grid, worded otherwise): French and Portuguese take the singular
    for every count below two ("1.5 litre", "2.5 litres"), Slovenian a dual for two ("2 jabolki", "3 jabolka"). The
    form of a count read one or not only (and 2 to 4 as one class), so "2.5 litre" and "3 jabolki" were served. A
    count's form now tells below two in French and Portuguese, and two in the languages counted by last digits."""
    question, model, rows = COUNTED_BY_LANGUAGE[case]
    asks = [question.format(*row) for row in (rows if order == "forward" else rows[::-1])]
    served, false = false_served(model, asks)
    assert false == 0


# ------------------------------------------------------------------------- a unit said as one of it (helper-98)
def _as_one_unit(question: str, computed: Callable[[int, int], int], line: str, said: dict[int, str], unit: str):
    """A model that computes in ``unit`` and says a result of one larger unit as that unit ("a week")."""

    def model(prompt: str) -> str:
        a, b = (int(x) for x in re.findall(r"\d+", prompt)[:2])
        name = prompt.split()[0]
        r = computed(a, b)
        op = "/" if computed(6, 3) == 2 else "*"
        return f"{a} {op} {b} = <<{a}{op}{b}={r}>>{r} {unit}\n{line.format(n=name, s=said.get(r, f'{r} {unit}'))}\n#### {r}"

    return question, model


ONE_UNIT = {
    "a week (GSM8K)": (
        *_as_one_unit(
            "{} drives {} km at {} km a day. How many days does the trip take?",
            lambda a, b: a // b,
            "The trip takes {s}.",
            {7: "a week"},
            "days",
        ),
        [("Ann", 700, 100), ("Mia", 900, 100), ("Zoe", 1400, 100), ("Eva", 600, 100), ("Kate", 800, 100)],
    ),
    "an hour (chat, bold)": (
        *_as_one_unit(
            "{} reads {} pages. Each page takes {} minutes. How many minutes does {} read?",
            lambda a, b: a * b,
            "**{n} reads for {s}.**",
            {60: "an hour"},
            "minutes",
        ),
        [("Ann", 20, 3), ("Mia", 15, 3), ("Zoe", 10, 3), ("Eva", 11, 5), ("Kate", 9, 5)],
    ),
    "a liter": (
        *_as_one_unit(
            "{} fills {} glasses with {} ml of juice each. How many ml of juice does {} use?",
            lambda a, b: a * b,
            "{n} uses {s} of juice.",
            {1000: "a liter"},
            "ml",
        ),
        [("Ann", 4, 250), ("Mia", 3, 250), ("Zoe", 5, 300), ("Eva", 2, 500), ("Kate", 7, 100)],
    ),
    "a year, answer line": (
        *_as_one_unit(
            "{} needs {} dollars and saves {} dollars a month. How many months does {} need?",
            lambda a, b: a // b,
            "Answer: {s}",
            {12: "a year"},
            "months",
        ),
        [("Ann", 600, 50), ("Mia", 700, 50), ("Zoe", 450, 50), ("Eva", 500, 50), ("Kate", 900, 50)],
    ),
}


@pytest.mark.parametrize("case", sorted(ONE_UNIT))
def test_a_result_said_as_one_unit_is_never_served_for_another_value(case):
    """Class (helper-98: 4 to 6 false of 6 per grid, a wrong amount in words): a result said as one of a larger
    unit ("700 / 100 = 7 days", then "The trip takes a week."; "an hour" for 60 minutes, "a liter" for 1000 ml, "a
    year" for 12 months) was served for other numbers as it was: "The trip takes a week." for 9 days (the final
    line right). Such a unit is now read as the value it stands for in the answer's smaller unit, and a line that
    says it of an old value is stale. (The other way round, "9 days" re-derived as "7 days" where the model writes
    "a week", is worded otherwise and still open.)"""
    question, model, rows = ONE_UNIT[case]
    asks = [question.format(n, a, b, n) for n, a, b in rows]  # the first answer says the unit
    said = {"a week", "an hour", "a liter", "a year"}
    engine = engine_for(lambda spec: model(spec.prompt), probes=3)
    stale = 0
    for q in asks:
        out = engine.run(Request(q))
        background.drain(10)
        if out.trace.backend_calls == 0:
            stale += any(w in out.text and w not in model(q) for w in said)
    assert stale == 0


# ----------------------------------------------------- an answer line that says its number in a sentence (helper-104)
ANSWER_LINE_QUESTION = "{} has {} apples, gives away {} and buys {} more. How many apples does {} have?"
ANSWER_LINE_ROWS = [
    ("Ann", 12, 5, 4),
    ("Mia", 15, 6, 3),
    ("Zoe", 9, 2, 7),
    ("Eva", 20, 11, 5),
    ("Kim", 8, 8, 1),
    ("Ivy", 30, 12, 9),
]


def _apples_left(prompt: str) -> str:
    name = prompt.split()[0]
    a, b, c = (int(x) for x in re.findall(r"\d+", prompt)[:3])
    left = a - b + c
    return (
        f"**Step 1:** {name} gives away {b}: {a} - {b} = {a - b} apples.\n"
        f"**Step 2:** {name} buys {c} more: {a - b} + {c} = {left} apples.\n\n"
        f"**Answer:** {name} has **{left}** {'apple' if left == 1 else 'apples'}."
    )


@pytest.mark.parametrize("order", ["forward", "backward"])
def test_an_answer_line_that_says_its_number_in_a_sentence_is_read(order):
    """Class (helper-103: chat answers ending "**Answer:** Ann has **14** apples." had "no final answer" and were
    never stored, so never reused): an answer line ("Answer:", "Final answer:", bold or not) that says exactly one
    number in a sentence states that number as the final answer. Served for other numbers, right word for word."""
    asks = [
        ANSWER_LINE_QUESTION.format(n, a, b, c, n)
        for n, a, b, c in (ANSWER_LINE_ROWS if order == "forward" else ANSWER_LINE_ROWS[::-1])
    ]
    served, false = false_served(_apples_left, asks)
    assert served >= 3 and false == 0


def _aged(prompt: str) -> tuple[str, int, int]:
    a, b = (int(x) for x in re.findall(r"\d+", prompt)[:2])
    return prompt.split()[0], a, b


def _budget(prompt: str) -> tuple[str, int, int, int, int]:
    a, price, k = (int(x) for x in re.findall(r"\d+", prompt)[:3])
    return prompt.split()[0], a, price, k, a - price * k


def _kind(age: int) -> str:
    return "teenager" if 13 <= age <= 19 else "child" if age < 13 else "adult"


AGE_AHEAD = "{} is {} years old. How old will {} be in {} years?"
AGE_AHEAD_ROWS = [("Ann", 10, 3), ("Mia", 9, 3), ("Zoe", 11, 2), ("Eva", 15, 4), ("Kim", 12, 7), ("Ivy", 8, 4), ("Bea", 16, 3)]
BOOKS_LEFT = "{} has ${}. Each book costs ${}. {} buys {} books. How much money does {} have left?"
BOOKS_LEFT_ROWS = [
    ("Ann", 50, 8, 5),
    ("Mia", 40, 7, 4),
    ("Zoe", 30, 6, 4),
    ("Eva", 60, 9, 6),
    ("Kim", 45, 10, 4),
    ("Ivy", 35, 5, 6),
]


def _said_of_age(line: Callable[[str, int], str]) -> Callable[[str], str]:
    def model(prompt: str) -> str:
        name, now, years = _aged(prompt)
        return f"{now} + {years} = {now + years}\n{line(name, now + years)}"

    return model


def _said_of_budget(line: Callable[[str, int, int], str]) -> Callable[[str], str]:
    def model(prompt: str) -> str:
        name, a, price, k, left = _budget(prompt)
        return f"{k} * {price} = {k * price}\n{a} - {k * price} = {left}\n{line(name, left, price)}"

    return model


JUDGED_IN_ANSWER = {
    "a category past an age said as one word": (
        AGE_AHEAD,
        AGE_AHEAD_ROWS,
        _said_of_age(lambda n, age: f"Answer: {n} will be a {age}-year-old {_kind(age)}."),
    ),
    "a category after an age said as one word, no verb": (
        AGE_AHEAD,
        AGE_AHEAD_ROWS,
        _said_of_age(lambda n, age: f"Answer: {age}-year-old {_kind(age)}"),
    ),
    "a category before the number, no verb": (
        AGE_AHEAD,
        AGE_AHEAD_ROWS,
        _said_of_age(lambda n, age: f"Answer: a {_kind(age)} of {age}"),
    ),
    "a category in German, after dann": (
        AGE_AHEAD,
        AGE_AHEAD_ROWS,
        _said_of_age(
            lambda n, age: f"Answer: {n} ist dann {'eine Jugendliche' if 13 <= age <= 19 else 'ein Kind'} mit {age} Jahren."
        ),
    ),
    "a time judged, already or still": (
        AGE_AHEAD,
        AGE_AHEAD_ROWS,
        _said_of_age(
            lambda n, age: f"Answer: {n} will {'already' if age >= 13 else 'still'} be {age}{'' if age >= 13 else ' only'}."
        ),
    ),
    "a stage named in the answer line": (
        AGE_AHEAD,
        AGE_AHEAD_ROWS,
        _said_of_age(
            lambda n, age: (
                f"Answer: {n} will be in {'high' if age >= 14 else 'middle' if age >= 11 else 'elementary'} school at age {age}."
            )
        ),
    ),
    "what one can do, in a clause with no number": (
        BOOKS_LEFT,
        BOOKS_LEFT_ROWS,
        _said_of_budget(
            lambda n, left, p: f"Answer: {n} {'can' if left >= p else 'cannot'} buy another book; {n} has ${left} left."
        ),
    ),
    "what one can do, on a line of its own": (
        BOOKS_LEFT,
        BOOKS_LEFT_ROWS,
        _said_of_budget(
            lambda n, left, p: f"{n} {'can' if left >= p else 'cannot'} buy another book.\nAnswer: {n} has ${left} left."
        ),
    ),
    "a verdict in a word": (
        BOOKS_LEFT,
        BOOKS_LEFT_ROWS,
        _said_of_budget(lambda n, left, p: f"Answer: {'Yes' if left >= p else 'No'}, {n} has ${left} left."),
    ),
}


def _with_hashes(model: Callable[[str], str]) -> Callable[[str], str]:
    """``model``'s answer with a GSM8K final line after it (its last result)."""

    def hashed(prompt: str) -> str:
        said = model(prompt)
        last = re.findall(r"= \$?(\d+)", said)[-1]
        return f"{said}\n#### {last}"

    return hashed


@pytest.mark.parametrize("final", ["answer line", "####"])
@pytest.mark.parametrize("order", ["forward", "backward"])
@pytest.mark.parametrize("case", sorted(JUDGED_IN_ANSWER))
def test_a_judgement_of_the_numbers_in_the_answer_is_never_served_stale(case, order, final):
    """Class (helper-104: 4 to 5 false of 5 to 7 served per grid, stale words, in nine families): a category or a
    verdict the answer says of its numbers where no check read it: before the number ("Answer: a teenager of
    12", "will be in middle school at age 19"), past an age said as one word ("a 12-year-old teenager"), after a
    German "dann", as a time ("will already be 12"), as what one can do in a clause with no number ("Eva can buy
    another book; Eva has $6 left"), or as "Yes"/"No". Each was served for numbers where the model says the
    opposite (with or without a GSM8K final line after it). An answer line now reads every word it says besides
    its number, the question's words and the nouns the answer counts; the others are read where they stand."""
    question, rows, model = JUDGED_IN_ANSWER[case]
    rows = rows if order == "forward" else rows[::-1]
    if question is BOOKS_LEFT:
        asks = [question.format(n, a, p, n, k, n) for n, a, p, k in rows]
    else:
        asks = [question.format(n, a, n, b) for n, a, b in rows]
    served, false = false_served(model if final == "answer line" else _with_hashes(model), asks)
    assert false == 0


# each: the question, its pattern, and the symbol the model writes for each currency word
EARNINGS = {
    "en": (
        "{n} earns {a} {c} an hour and works {h} hours. How much does {n} earn?",
        r"(\w+) earns (\d+) (\w+) an hour and works (\d+) hours",
        {"Euros": "€{}", "Dollars": "${}", "Pounds": "£{}", "Francs": "CHF {}"},
        ["Ann", "Bob", "Cy"],
    ),
    "de": (
        "{n} verdient {a} {c} pro Stunde und arbeitet {h} Stunden. Wie viel verdient {n}?",
        r"(\w+) verdient (\d+) (\w+) pro Stunde und arbeitet (\d+) Stunden",
        {"Euro": "{} €", "Dollar": "{} $", "Pfund": "{} £", "Franken": "{} CHF"},
        ["Anna", "Lena", "Maria"],
    ),
}


@pytest.mark.parametrize("lang", sorted(EARNINGS))
def test_a_capitalised_currency_after_a_number_is_no_name_to_rename(lang):
    """Class (helper-106: 2 to 3 false of 6 served, English and German): a currency or unit word capitalised
    after its number ("20 Euros an hour", "12 Dollar pro Stunde", always so in German) was read as a name, so
    another currency was a rename: each currency's first answer agreed with the entry's value and vouched for it,
    and "Cy earns 12 Dollars" was served "£36" from the Pounds entry. A capitalised word right after a number is
    what it counts or measures: another one is another question."""
    question, pattern, symbols, names = EARNINGS[lang]

    def model(prompt: str) -> str:
        n, a, c, h = re.search(pattern, prompt).groups()  # type: ignore[union-attr]
        total = int(a) * int(h)
        return f"{n}: {a} * {h} = <<{a}*{h}={total}>>{symbols[c].format(total)}.\n#### {total}"

    currencies = list(symbols)
    asks = [question.format(n=names[0], c=c, a=20, h=5) for c in currencies]
    asks += [question.format(n=names[n], c=currencies[c], a=a, h=h) for c, a, h, n in EARNING_POINTS]
    served, false = false_served(model, asks)
    assert false == 0


EARNING_POINTS = [(0, 30, 4, 1), (1, 12, 3, 2), (2, 15, 6, 0), (3, 25, 2, 1), (1, 40, 3, 0), (0, 18, 5, 2)]


@pytest.mark.parametrize(
    "question",
    [
        "Ein Stift kostet 2 Euro. Lisa kauft {a} Stifte. Wie viele {u} zahlt Lisa?",
        "Ein Sack wiegt 2 Kilogramm. Lisa kauft {a} Säcke. Wie viel {u} trägt Lisa?",
        "A pen costs 2 Dollars. Ann buys {a} pens. How many {u} does Ann pay?",
    ],
)
def test_a_unit_counted_once_is_no_name_where_it_is_asked_again(question):
    """Class (helper-119, the checks alone): a unit capitalised after its number ("2 Euro", "2 Kilogramm", always
    so in German) and asked again bare ("Wie viele Euro zahlt Lisa?"): the question's own "Euro" was read as a
    name there, so asking in "Cent" was a rename and 6 was served for 600 cents. A word counted anywhere in the
    question is what it counts wherever it stands: another unit is another question."""
    units = {"Stift": ("Euro", "Cent"), "Sack": ("Kilogramm", "Gramm"), "pen": ("Dollars", "Cents")}
    old, new = next(v for k, v in units.items() if k in question)
    verdict = WordGate().compatible(
        parse_problem(Request(question.format(a=3, u=old))), parse_problem(Request(question.format(a=3, u=new)))
    )
    assert not verdict.ok


# ------------------------------------------- a choice said in words beside a count the answer never computes with
def _limited(name: str, wanted: int, price: int, left: int, words: bool) -> tuple[str, str]:
    w = num2words(wanted) if words else str(wanted)
    b = min(wanted, left)
    question = (
        f"{name} wants to buy {w} tickets at ${price} each, but only {left} tickets are left. How much money does {name} spend?"
    )
    answer = (
        f"{name} wants {w} tickets, but only {left} are left, so {name} buys {b} tickets. {name} spends {b} * {price} = "
        f"<<{b}*{price}={b * price}>>{b * price} dollars.\n#### {b * price}"
    )
    return question, answer


def _fitting(name: str, wanted: int, each: int, room: int, words: bool) -> tuple[str, str]:
    w = num2words(wanted) if words else str(wanted)
    b = min(wanted, room)
    question = (
        f"{name} wants to invite {w} friends, but only {room} friends fit in the room. Each guest gets {each} cupcakes. "
        f"How many cupcakes does {name} need?"
    )
    answer = (
        f"{name} wants to invite {w} friends, but only {room} fit in the room, so {name} invites {b} friends. "
        f"{name} needs {b} * {each} = <<{b}*{each}={b * each}>>{b * each} cupcakes.\n#### {b * each}"
    )
    return question, answer


def _shelved(name: str, room: int, has: int, buys: int, words: bool) -> tuple[str, str]:
    r = num2words(room) if words else str(room)
    total = has + buys
    question = (
        f"{name}'s shelf has room for {r} books. {name} has {has} books and buys {buys} more books. {name} puts as many "
        "of the books on the shelf as fit. How many books are on the shelf?"
    )
    answer = (
        f"{name} has {has} + {buys} = <<{has}+{buys}={total}>>{total} books, and the shelf has room for {r} books, "
        f"so {min(total, room)} books are on the shelf.\n#### {min(total, room)}"
    )
    return question, answer


def _library(name: str, wanted: int, price: int, stocked: int, words: bool) -> tuple[str, str]:
    w = num2words(wanted) if words else str(wanted)
    b = min(wanted, stocked)
    question = (
        f"{name}'s library wants {w} books, but the shop has only {stocked} novels. Each novel costs ${price}. How much "
        f"does {name}'s library pay?"
    )
    answer = (
        f"The library wants {w} books, but the shop has only {stocked} novels, so it buys {b} novels. It pays {b} * "
        f"{price} = <<{b}*{price}={b * price}>>{b * price} dollars.\n#### {b * price}"
    )
    return question, answer


CHOSEN_IN_WORDS = {
    # the count and what it is weighed against under other nouns (helper-125: "twenty books", "9 novels")
    "books and novels": (
        _library,
        r"(\w+)'s library wants (\w+) books, but the shop has only (\d+) novels\. Each novel costs \$(\d+)",
    ),
    "tickets left": (_limited, r"(\w+) wants to buy (\w+) tickets at \$(\d+) each, but only (\d+)"),
    "guests who fit": (_fitting, r"(\w+) wants to invite (\w+) friends, but only (\d+) .*?gets (\d+) cupcakes"),
    "room on a shelf": (_shelved, r"(\w+)'s shelf has room for (\w+) books\. \w+ has (\d+) books and buys (\d+)"),
}
_NUMBER_WORDS = {num2words(n): n for n in range(1, 100)}
# the first, then the count in words kept while the other numbers cross it, then the count in words crossing them,
# then the count equal to another number of the question in both (helper-123: 8 tickets at $8, then 4 at $4), and
# equal to another one that stays while the rest cross it (helper-124: 5 tickets at $5, 3 left, then 7 left)
CHOSEN_ROWS = [("Tom", 5, 8, 3), ("Ann", 5, 9, 7), ("Sam", 5, 6, 2), ("Eva", 2, 9, 4), ("Kim", 12, 3, 8), ("Leo", 6, 4, 9),
               ("Ned", 8, 8, 3), ("Pat", 4, 4, 6), ("Ola", 5, 5, 3), ("Ray", 5, 5, 7)]  # fmt: skip


@pytest.mark.parametrize("corroborate", [True, False], ids=["default", "checks alone"])
@pytest.mark.parametrize("words", [True, False], ids=["count in words", "count in digits"])
@pytest.mark.parametrize("case", sorted(CHOSEN_IN_WORDS))
def test_a_choice_said_in_words_beside_a_count_no_computation_takes_is_never_served_stale(case, words, corroborate):
    """Class (helper-121, both modes): the answer chooses in words between a count it never computes with and
    another number ("Tom wants five tickets, but only 3 are left, so he buys 3"; "room for twenty books, so 9 are
    on the shelf"). A count in words that the answer says again passed as used ("after three days", one step a
    day), so "two tickets, 4 left" was served "buys 4". Such a count now passes only while it stays and no number
    of the question nor any result crosses it ("five" kept while 3 left becomes 7 is refused too)."""
    make, pattern = CHOSEN_IN_WORDS[case]

    def model(prompt: str) -> str:  # right at any numbers, a corroboration probe's too
        name, first, *rest = re.search(pattern, prompt).groups()  # type: ignore[union-attr]
        a, b = (int(x) for x in rest)
        if case in ("guests who fit", "books and novels"):  # (room, each) as the question says them
            a, b = b, a
        return make(name, _NUMBER_WORDS.get(first) or int(first), a, b, not first.isdigit())[1]

    served, false = false_served(model, [make(*row, words)[0] for row in CHOSEN_ROWS], corroborate=corroborate)
    assert false == 0


_GROUP_WORDS = {"a dozen": 12, "a score of": 20, "two dozen": 24}
# the first, then the stock crossing the group while the price stays, then crossing back with another price
_GROUP_ROWS = {12: [(9, 3), (15, 3), (7, 2), (20, 4)], 20: [(9, 3), (25, 3), (14, 2), (30, 5)],
               24: [(10, 3), (30, 3), (12, 2), (40, 4)]}  # fmt: skip


def _grouped(group: str, stocked: int, price: int) -> tuple[str, str]:
    bought = min(_GROUP_WORDS[group], stocked)
    question = (
        f"A library wants {group} books, but the shop has only {stocked} novels. Each novel costs ${price}. How much "
        "does the library pay?"
    )
    answer = (
        f"The library wants {group} books, but the shop has only {stocked} novels, so it buys {bought} novels. It pays "
        f"{bought} * {price} = <<{bought}*{price}={bought * price}>>{bought * price} dollars.\n#### {bought * price}"
    )
    return question, answer


@pytest.mark.parametrize("corroborate", [True, False], ids=["default", "checks alone"])
@pytest.mark.parametrize("group", sorted(_GROUP_WORDS))
def test_a_choice_weighed_against_a_group_word_is_never_served_stale(group, corroborate):
    """Class (helper-125, both modes): the count the answer chose by is a group in words ("wants a score of books,
    but the shop has only 9 novels, so it buys 9 novels"), which counts no noun of its own: the crossing check read
    cardinals only, so 25 novels was served 75 for 60. A group the answer says in one sentence with another number
    is weighed against it now, as a cardinal is."""

    def model(prompt: str) -> str:
        said, stocked, price = re.search(r"wants (.+?) books, .*?only (\d+) novels\. Each novel costs \$(\d+)", prompt).groups()  # type: ignore[union-attr]
        return _grouped(said, int(stocked), int(price))[1]

    questions = [_grouped(group, stocked, price)[0] for stocked, price in _GROUP_ROWS[_GROUP_WORDS[group]]]
    served, false = false_served(model, questions, corroborate=corroborate)
    assert false == 0


@pytest.mark.parametrize("group", sorted(_GROUP_WORDS))
def test_a_group_word_that_no_number_crosses_still_lets_the_answer_be_reused(group):
    """Control for the class above: while the stock stays below the group ("a dozen books", 9 then 7, 5, 10
    novels), what the answer chose stays right, and the questions are served from the cache, right."""

    def model(prompt: str) -> str:
        said, stocked, price = re.search(r"wants (.+?) books, .*?only (\d+) novels\. Each novel costs \$(\d+)", prompt).groups()  # type: ignore[union-attr]
        return _grouped(said, int(stocked), int(price))[1]

    questions = [_grouped(group, stocked, price)[0] for stocked, price in [(9, 3), (7, 2), (5, 4), (10, 6)]]
    served, false = false_served(model, questions)
    assert false == 0 and served >= 2


# ----------------------------------------------------------------- whole lots behind a rate per unit (helper-121)
def _buses(name: str, seats: int, cost: int, riders: int) -> tuple[str, str]:
    rate = Fraction(cost, seats)
    buses = -(-riders // seats)
    question = (
        f"A bus has {seats} seats and costs ${cost} to rent for the day. {riders} students from {name}'s school are "
        "going on the trip, and each student needs a seat. How much does the school pay to rent the buses?"
    )
    if riders % seats == 0:  # the model's way at a multiple: a rate per seat
        answer = (
            f"Each seat costs {cost} / {seats} = ${write_decimal(rate)}. For {riders} students the school pays "
            f"{riders} * {write_decimal(rate)} = ${write_decimal(rate * riders)}.\n#### {write_decimal(rate * riders)}"
        )
    else:
        answer = (
            f"The school needs {buses} buses. It pays {buses} * {cost} = <<{buses}*{cost}={buses * cost}>>"
            f"{buses * cost} dollars.\n#### {buses * cost}"
        )
    return question, answer


def _packs(name: str, size: int, price: int, needs: int) -> tuple[str, str]:
    packs = -(-needs // size)
    question = (
        f"A pack of {size} pens costs ${price}. Pens are sold only in packs. {name} needs {needs} pens. How many "
        f"dollars does {name} spend on pens?"
    )
    if needs % size == 0:
        rate = Fraction(price, size)
        answer = (
            f"Each pen costs {price} / {size} = ${write_decimal(rate)}. {name} spends {needs} * {write_decimal(rate)} = "
            f"${write_decimal(rate * needs)}.\n#### {write_decimal(rate * needs)}"
        )
    else:
        answer = f"{name} buys {packs} packs: {packs} * {price} = {packs * price} dollars.\n#### {packs * price}"
    return question, answer


def _painting_classes(name: str, size: int, classes: int, seats: int) -> tuple[str, str]:
    riders, cost = size * classes, 250
    buses = -(-riders // seats)
    question = (
        f"Each class of {name}'s school has {size} students and {classes} classes go on a trip. A bus has {seats} "
        f"seats and costs ${cost} to rent. Each student needs a seat. How many dollars does the school pay for buses?"
    )
    if riders % seats == 0:  # the students a result, the rate per seat at a multiple
        rate = Fraction(cost, seats)
        answer = (
            f"{size} * {classes} = <<{size}*{classes}={riders}>>{riders} students go. Each seat costs {cost} / {seats} = "
            f"${write_decimal(rate)}. The school pays {riders} * {write_decimal(rate)} = ${write_decimal(rate * riders)}."
            f"\n#### {write_decimal(rate * riders)}"
        )
    else:
        answer = (
            f"{size} * {classes} = <<{size}*{classes}={riders}>>{riders} students need {buses} buses: {buses} * {cost} = "
            f"<<{buses}*{cost}={buses * cost}>>{buses * cost} dollars.\n#### {buses * cost}"
        )
    return question, answer


def write_decimal(value: Fraction) -> str:
    """``value`` in decimals, as few as it needs (a quarter: 0.25)."""
    text = f"{float(value):.4f}".rstrip("0").rstrip(".")
    assert Fraction(text) == value
    return text


LOTS = {
    "students counted in classes": (
        _painting_classes,
        r"class of (\w+)'s school has (\d+) students and (\d+) classes go on a trip\. A bus has (\d+) seats",
        (0, 1, 2, 3),
    ),
    "buses rented whole": (_buses, r"has (\d+) seats and costs \$(\d+) .*?(\d+) students from (\w+)'s", (3, 0, 1, 2)),
    "pens sold in packs": (_packs, r"pack of (\d+) pens costs \$(\d+)\..*?(\w+) needs (\d+) pens", (2, 0, 1, 3)),
}
LOT_ROWS = [("Ann", 40, 250, 120), ("Mia", 40, 250, 100), ("Zoe", 50, 300, 200), ("Eva", 8, 30, 20), ("Kim", 4, 7, 10),
            ("Ivy", 40, 250, 160)]  # fmt: skip


CLASS_ROWS = [("Ann", 30, 4, 40), ("Mia", 25, 4, 40), ("Zoe", 20, 6, 40), ("Eva", 15, 6, 40), ("Kim", 35, 4, 40),
              ("Ivy", 40, 3, 40)]  # fmt: skip


@pytest.mark.parametrize("corroborate", [True, False], ids=["default", "checks alone"])
@pytest.mark.parametrize("case", sorted(LOTS))
def test_a_count_of_whole_lots_hidden_behind_a_rate_per_unit_is_never_served_stale(case, corroborate):
    """Class (helper-121, both modes): at a multiple (120 students, buses of 40) a rate per seat (250 / 40 = 6.25,
    120 * 6.25 = 750) and a count of buses agree; re-derived for 100 students the rate gave 625 where 3 buses cost
    750. A count that was a whole number of lots of a count the answer divides by must stay one, the question's or
    a result (helper-123: "30 * 4 = 120 students" re-derived as 100, served 625 for 750)."""
    make, pattern, order = LOTS[case]

    def model(prompt: str) -> str:  # right at any numbers, a corroboration probe's too
        found = re.search(pattern, prompt).groups()  # type: ignore[union-attr]
        name, *numbers = (found[i] for i in order)
        return make(name, *(int(n) for n in numbers))[1]

    rows = CLASS_ROWS if case == "students counted in classes" else LOT_ROWS
    served, false = false_served(model, [make(*row)[0] for row in rows], corroborate=corroborate)
    assert false == 0
    # the buses' multiples (160 students after 120) are still reused by default (the pens' first answer is not
    # corroborated in time: the model answers every other point otherwise)
    assert served >= (case == "buses rented whole" and corroborate)


# ------------------------------------------- a first answer whose numbers coincide (helper-126, checks alone)
def _walk(prompt: str) -> str:
    minutes, speed = (int(x) for x in re.search(r"for (\d+) minutes at (\d+)", prompt).groups())  # type: ignore[union-attr]
    hours, miles = minutes // 60, minutes // 60 * speed
    return (
        f"{minutes} minutes is {minutes} / 60 = <<{minutes}/60={hours}>>{hours} hours. Tom walks {speed} * {hours} = "
        f"<<{speed}*{hours}={miles}>>{miles} miles.\n#### {miles}"
    )


def _given_away(prompt: str) -> str:
    n, r = (int(x) for x in re.search(r"has (\d+) marbles and gives (\d+)%", prompt).groups())  # type: ignore[union-attr]
    given = n * r // 100
    if r == 50:  # the share is what is left: the model says it once
        return f"Tom gives away {n} * {r} / 100 = <<{n}*{r}/100={given}>>{given} marbles, so he has {given} left.\n#### {given}"
    return (
        f"Tom gives away {n} * {r} / 100 = <<{n}*{r}/100={given}>>{given} marbles, so he has {n} - {given} = "
        f"<<{n}-{given}={n - given}>>{n - given} left.\n#### {n - given}"
    )


def _fence(prompt: str) -> str:
    side, cost = (int(x) for x in re.search(r"sides of (\d+) meters\. Fencing costs \$(\d+)", prompt).groups())  # type: ignore[union-attr]
    p = 4 * side
    return (
        f"The perimeter is 4 * {side} = <<4*{side}={p}>>{p} meters. The fence costs {p} * {cost} = "
        f"<<{p}*{cost}={p * cost}>>{p * cost} dollars.\n#### {p * cost}"
    )


def _trio(prompt: str) -> str:
    cats, cans = (int(x) for x in re.search(r"trio of dogs and (\d+) cats\. Each animal eats (\d+)", prompt).groups())  # type: ignore[union-attr]
    n = 3 + cats
    return f"Tom has 3 + {cats} = <<3+{cats}={n}>>{n} animals. They eat {n} * {cans} = <<{n}*{cans}={n * cans}>>{n * cans} cans.\n#### {n * cans}"


def _fortnight(prompt: str) -> str:
    room, breakfast = (int(x) for x in re.search(r"costs \$(\d+) a night and breakfast costs \$(\d+)", prompt).groups())  # type: ignore[union-attr]
    day = room + breakfast
    return (
        f"Each day costs {room} + {breakfast} = <<{room}+{breakfast}={day}>>{day} dollars. A fortnight is 14 days, so "
        f"Ann pays 14 * {day} = <<14*{day}={14 * day}>>{14 * day} dollars.\n#### {14 * day}"
    )


def _dozens(prompt: str) -> str:
    n, k = (int(x) for x in re.search(r"buys (\d+) dozen eggs and uses (\d+)", prompt).groups())  # type: ignore[union-attr]
    return f"Tom buys {n} * 12 = <<{n}*12={n * 12}>>{n * 12} eggs. He has {n * 12} - {k} = <<{n * 12}-{k}={n * 12 - k}>>{n * 12 - k} eggs left.\n#### {n * 12 - k}"


def _asked_unit(prompt: str) -> str:
    n, c = (int(x) for x in re.search(r"buys (\d+) pens at \$(\d+)", prompt).groups())  # type: ignore[union-attr]
    if "Cents" in prompt:
        return f"He spends {n} * {c} = <<{n}*{c}={n * c}>>{n * c} dollars, which is {n * c} * 100 = <<{n * c}*100={n * c * 100}>>{n * c * 100} cents.\n#### {n * c * 100}"
    return f"He spends {n} * {c} = <<{n}*{c}={n * c}>>{n * c} dollars.\n#### {n * c}"


def _compared(prompt: str) -> str:
    a, b = (int(x) for x in re.search(r"Ann Has (\d+) Apples\. Tom Has (\d+)", prompt).groups())  # type: ignore[union-attr]
    n = a + b if "More" in prompt else a - b
    sign = "+" if "More" in prompt else "-"
    return f"Tom has {a} {sign} {b} = <<{a}{sign}{b}={n}>>{n} apples.\n#### {n}"


def _bank(prompt: str) -> str:
    have, move = (int(x) for x in re.search(r"(?i)has (\d+) dollars\. (?:the bank will )?\w+ her (\d+)", prompt).groups())  # type: ignore[union-attr]
    left = have - move if "Bill" in prompt else have + move
    sign = "-" if "Bill" in prompt else "+"
    return f"Ann has {have} {sign} {move} = <<{have}{sign}{move}={left}>>{left} dollars.\n#### {left}"


def _amici(prompt: str) -> str:
    friends = {"Otto": 8, "Sei": 6, "Tre": 3}[prompt.split()[0]]
    cookies = int(re.search(r"dividono (\d+)", prompt).group(1))  # type: ignore[union-attr]
    return f"{cookies} / {friends} = <<{cookies}/{friends}={cookies // friends}>>{cookies // friends}\n#### {cookies // friends}"


def _pronouns(prompt: str) -> str:
    first, second = re.search(r"^(\w+) has 5 apples and (\w+) has 3", prompt).groups()  # type: ignore[union-attr]
    if gender_of(first) == "f":  # she gives him 2
        return f"{first} gives {second} 2 apples, so {first} has 5 - 2 = <<5-2=3>>3 apples. {second} had 3 apples.\n#### 3"
    return f"{second} gives {first} 2 apples, so {first} has 5 + 2 = <<5+2=7>>7 apples. {second} had 3 apples.\n#### 7"


COINCIDENT = {
    # an hour's 60 beside the question's 60 minutes, in one step
    "a constant equal to the question's number": (
        _walk, [f"Tom walks for {m} minutes at {s} miles per hour. How many miles does Tom walk?"
                for m, s in [(60, 4), (120, 4), (180, 3), (120, 5)]],
    ),
    # at 50% what is given away is what is left
    "a share of a half": (
        _given_away, [f"Tom has {n} marbles and gives {r}% of them to Ann. How many marbles does Tom have left?"
                   for n, r in [(30, 50), (40, 25), (60, 20), (80, 75)]],
    ),
    # a square's 4 sides, no number of the question, beside its side of 4
    "an unstated count equal to the question's number": (
        _fence, [f"A square garden has sides of {s} meters. Fencing costs ${c} per meter. How much does the fence cost?"
                 for s, c in [(4, 3), (6, 3), (5, 2), (8, 4)]],
    ),
    # a group word the task does not count ("a trio") beside the question's 3
    "a count in words the task does not read": (
        _trio, [f"Tom has a trio of dogs and {c} cats. Each animal eats {k} cans of food a week. How many cans do "
                "Tom's animals eat in a week?" for c, k in [(3, 4), (5, 4), (7, 2), (2, 3)]],
    ),
    # a fortnight's 14 beside a price of $14
    "a period's constant equal to a price": (
        _fortnight, [f"Ann stays at a hotel for a fortnight. The room costs ${p} a night and breakfast costs ${b} a "
                     "day. How much does Ann pay?" for p, b in [(60, 14), (60, 10), (80, 12), (14, 6)]],
    ),
    # a dozen's 12 beside the question's 12 eggs, in two steps (helper-133)
    "a constant equal to the question's number, in two steps": (
        _dozens, [f"Tom buys {n} dozen eggs and uses {k} eggs for a cake. How many eggs are left?"
                  for n, k in [(2, 12), (3, 5), (4, 10), (5, 12)]],
    ),
    # a capitalised word read as a name: the unit asked, a comparison in Title Case (helper-133)
    "a unit asked, capitalised": (
        _asked_unit, [f"Tom buys {n} pens at ${c} each. How many {u} does he spend?"
                      for n, c, u in [(4, 2, "Cents"), (4, 2, "Dollars"), (5, 3, "Dollars"), (6, 2, "Cents")]],
    ),
    "a comparison in Title Case": (
        _compared, [f"Ann Has {a} Apples. Tom Has {b} Apples {w} Than Ann. How Many Apples Does Tom Have?"
                    for a, b, w in [(5, 3, "More"), (9, 4, "Fewer"), (7, 2, "More"), (8, 3, "Fewer")]],
    ),
    # a verb that is also a first name, in a question that capitalises its words (helper-139, both modes)
    "a verb read as a name in Title Case": (
        _bank, [f"Ann Has {h} Dollars. The Bank Will {v} Her {m} Dollars. How Many Dollars Will Ann Have?"
                for h, v, m in [(100, "Bill", 30), (100, "Grant", 30), (90, "Grant", 20), (80, "Bill", 10)]],
    ),
    # the same verb in sentence case, or as an imperative (helper-140, both modes)
    "a verb read as a name, capitalised mid-sentence": (
        _bank, [f"Ann has {h} dollars. The bank will {v} her {m} dollars. How many dollars will Ann have?"
                for h, v, m in [(100, "Bill", 30), (100, "Grant", 30), (90, "Grant", 20), (80, "Bill", 10)]],
    ),
    "a verb read as a name, as an imperative": (
        _bank, [f"Ann has {h} dollars. {v} her {m} dollars. How many dollars does Ann have now?"
                for h, v, m in [(100, "Bill", 30), (100, "Grant", 30), (90, "Grant", 20), (80, "Bill", 10)]],
    ),
    # a number in another language that is also a first name (helper-139, checks alone)
    "a number word read as a name": (
        _amici, [f"{n} amici dividono {c} biscotti e 8 caramelle. Quanti biscotti riceve ogni amico?"
                 for n, c in [("Otto", 24), ("Sei", 24), ("Tre", 24), ("Otto", 48)]],
    ),
    # names only, renamed into other genders: "she" is another person
    "a pronoun under a rename into other genders": (
        _pronouns, [f"{a} has 5 apples and {b} has 3 apples. She gives him 2 apples. How many apples does {a} have now?"
                    for a, b in [("Tom", "Ann"), ("Sue", "Bob"), ("Jim", "Eve"), ("Amy", "Ken")]],
    ),
}  # fmt: skip


@pytest.mark.parametrize("corroborate", [True, False], ids=["default", "checks alone"])
@pytest.mark.parametrize("case", sorted(COINCIDENT))
def test_a_first_answer_whose_numbers_coincide_is_never_served_for_others(case, corroborate):
    """Classes (helper-126, checks alone: 5 classes, 11 phrasings served wrong; the default engine held, a second
    point disagreeing): the first answer's numbers coincide so that it reads two ways, and re-derived by the wrong
    reading it is served for other numbers. "60 / 60" (60 minutes and an hour's 60), "4 * 4" (a square's 4 sides
    and its side), "3 + 3" (an unread "trio" and 3 cats), "14 * 24" (a fortnight and $14): one step takes a moving
    number more often than the question states it; 50% gives away what is left; "she gives him" after a rename
    into other genders. Checks alone refuse each; the default engine asks a second point. Helper-133, checks alone:
    "2 * 12" for 2 dozen beside 12 eggs used (a constant the question's words name, written as its number); a
    capitalised "Cents" or "More" read as a name and renamed ("Dollars", "Fewer"): only first names are renamed.
    Helper-139: "Will Bill Her" -> "Will Grant Her" in a Title Case question (both modes: two men's names, no probe
    asked), "Otto amici" -> "Sei amici" (numbers that are first names): neither is renamed. Helper-140: the same verb
    mid-sentence ("The bank will Bill her") or as an imperative ("Bill her 30 dollars"): a word right before whom it
    acts on is no name."""
    model, questions = COINCIDENT[case]
    served, false = false_served(model, questions, corroborate=corroborate)
    assert false == 0


def _bus_fare(prompt: str, *, form: str = "count first") -> str:
    n, k, c = (int(x) for x in re.search(r"(\d+) students .*?holds (\d+) students and costs \$(\d+)", prompt).groups())  # type: ignore[union-attr]
    if n % k == 0 and form == "rent first":  # (helper-130: "250 * 120 / 40")
        return f"The school pays {c} * {n} / {k} = <<{c}*{n}/{k}={n // k * c}>>{n // k * c} dollars.\n#### {n // k * c}"
    if n % k == 0 and form == "grouped":  # (helper-132: "250 * (120 / 40)")
        return f"The school pays {c} * ({n} / {k}) = <<{c}*({n}/{k})={n // k * c}>>{n // k * c} dollars.\n#### {n // k * c}"
    if n % k == 0:  # where the seats come out even, the model folds the count of buses into one expression
        return f"The school pays {n} / {k} * {c} = <<{n}/{k}*{c}={n // k * c}>>{n // k * c} dollars.\n#### {n // k * c}"
    buses = -(-n // k)
    return f"The school needs {buses} buses. It pays {buses} * {c} = <<{buses}*{c}={buses * c}>>{buses * c} dollars.\n#### {buses * c}"


@pytest.mark.parametrize("form", ["count first", "rent first", "grouped"])
@pytest.mark.parametrize("corroborate", [True, False], ids=["default", "checks alone"])
def test_whole_lots_folded_into_one_expression_are_never_served_as_a_fraction(corroborate, form):
    """Class (helper-129, the default engine: 15 of 45 asks served wrong, probes agreeing): "120 / 40 * 250" counts
    whole buses inside one expression; probes that divide evenly again agree with it, and 150 students were served
    150 / 40 * 200 = 750 for 4 buses, $800. A count divided by a count inside a longer computation that was whole
    must stay whole re-derived."""
    questions = [
        f"{n} students are going on a field trip. Each bus holds {k} students and costs ${c} to rent for the day. How "
        "much does the school spend on buses?"
        for n, k, c in [(120, 40, 250), (140, 70, 100), (150, 40, 200), (90, 40, 100), (200, 40, 300), (170, 40, 50)]
    ]
    served, false = false_served(lambda q: _bus_fare(q, form=form), questions, corroborate=corroborate)
    assert false == 0


# ------------------------------------------------------------------------------ a final line's thousands
_SHIRTS = re.compile(r"(\w+) buys (\d+) shirts at \$(\d+) each and pays with a \$(\d+) bill")


def _change(prompt: str, *, final: str = "grouped", box: bool = False) -> str:
    """The change, every amount of a thousand or more grouped in the sentences, and on the final line as ``final``
    says ("grouped", "plain")."""
    name, n, p, b = _SHIRTS.search(prompt).groups()  # type: ignore[union-attr]
    c, left = int(n) * int(p), int(b) - int(n) * int(p)
    shown = f"{left:,}" if final == "grouped" else str(left)
    last = f"\\boxed{{{shown}}}" if box else f"#### {shown}"
    return f"{name} spends {n} * {p} = {c:,} dollars.\nThe change is {int(b):,} - {c:,} = {left:,} dollars.\n{last}"


@pytest.mark.parametrize("box", [False, True], ids=["#### line", "boxed"])
@pytest.mark.parametrize("final", ["grouped", "plain"])
@pytest.mark.parametrize("corroborate", [True, False], ids=["default", "checks alone"])
def test_a_final_line_that_crosses_a_thousand_is_written_as_the_model_writes_it(corroborate, final, box):
    """Class (found this stop, both modes: 4 false of 5 served): "#### 650" re-derived as "#### 1600" where the
    model, which groups "1,350" and "2,000" in its sentences, writes "#### 1,600". The final line was held never to
    group, as GSM8K's do. Where the answer's own final line does not show it, a writer that groups elsewhere may
    group there too: the step is doubted until an answer that writes it vouches (plain, as GSM8K writes it)."""
    questions = [
        f"{name} buys {n} shirts at ${p} each and pays with a ${b} bill. How much change does {name} get?"
        for name, n, p, b in [("Ann", 3, 450, 2000), ("Bea", 4, 350, 3000), ("Cy", 5, 650, 5000), ("Di", 6, 250, 2000)]
        + [("Ed", 2, 450, 3000), ("Flo", 3, 350, 5000)]
    ]
    served, false = false_served(lambda q: _change(q, final=final, box=box), questions, corroborate=corroborate)
    assert false == 0
    if final == "plain" and corroborate:
        assert served >= 3  # a probe's "#### 1600" vouches for the plain form


# ------------------------------------------------------------------------------ a word of the name data said of no one
# (question with {a}, {b}, {n} and the word {w}; the pattern that reads the word; word -> whether the first price
# applies; the words asked in turn, each pair of one gender in the name data, so no gender is ever in question)
_THINGS = {
    "a saint's day": (
        "Tickets cost {a} dollars in December and {b} dollars in March. Ann buys {n} tickets for St. {w}'s Day. How "
        "much does Ann pay?",
        r"St\. (\w+)'s Day", {"Patrick": False, "Nicholas": True, "Joseph": False, "Stephen": True, "David": False},
    ),
    "a city a parcel is bound for": (
        "Shipping costs {a} dollars per parcel inside the US and {b} dollars per parcel abroad. Ann sends {n} parcels "
        "bound for {w}. How much does Ann pay?",
        r"bound for (\w+)", {"Charlotte": True, "Florence": False, "Augusta": True, "Vienna": False, "Geneva": False},
    ),
    "a city called": (
        "Calls cost {a} cents per minute when the callee's local time is within business hours and {b} cents per "
        "minute otherwise. It is 3 PM in New York. Ann calls {w} for {n} minutes. How many cents does Ann pay?",
        r"calls (\w+) for", {"Denver": True, "Wellington": False, "Cleveland": True, "Hamilton": False, "Orlando": True},
    ),
    "a chess piece": (
        "A chess club awards {a} points for capturing a piece that moves diagonally and {b} points for any other "
        "piece. Ann captures her opponent's {w} {n} times in a tournament. How many points does Ann get?",
        r"opponent's (\w+)", {"Bishop": True, "Rook": False, "King": True, "Rook ": False},
    ),
    "a club one watches": (
        "A travel agent charges {a} dollars per trip to see an English club and {b} dollars per trip to see a "
        "Scottish club. Ann books {n} trips to watch {w}. How much does Ann pay?",
        r"watch (\w+)", {"Everton": True, "Morton": False, "Lincoln": True, "Clyde": False, "Preston": True},
    ),
    "a kind said first": (
        "A large box holds {a} apples and a small box holds {b} apples. {w} ones are what Ann buys, {n} of them. How "
        "many apples does Ann get?",
        r"(\w+) ones are", {"Major": True, "Junior": False, "Major ": True, "Junior ": False},
    ),
}  # fmt: skip


def _by_the_word(prompt: str, pattern: str, first: dict[str, bool]) -> str:
    """The amount, at the price the word's facts pick (an always-right model that knows them)."""
    a, b, n = (int(x) for x in re.findall(r"\d+", prompt)[:3])
    word = re.search(pattern, prompt).group(1)  # type: ignore[union-attr]
    price, other = (a, b) if first[word] else (b, a)
    return f"{word} is {'the first' if first[word] else 'the second'} kind, so the {other} rate does not apply.\nAnn pays {n} * {price} = {n * price}.\n#### {n * price}"


@pytest.mark.parametrize("moved", [False, True], ids=["the word alone", "numbers too"])
@pytest.mark.parametrize("corroborate", [True, False], ids=["default", "checks alone"])
@pytest.mark.parametrize("case", sorted(_THINGS))
def test_a_word_of_the_name_data_that_the_question_says_of_no_one_is_never_renamed(case, corroborate, moved):
    """Class (helper-162, both modes: 2 to 4 false of 3 to 7 served per phrasing): a capitalised word that the name
    data holds as a first name, which the question says of no one: a saint's day, a city, a chess piece, a club, a
    kind ("Major ones"). Renamed within one gender it needed no second answer, and the first answer's facts ("is in
    March", "is abroad") were served for another word. An English question says a person somewhere as one (a
    sentence's subject, an owner, whom something is given, after a title); a word said nowhere so is a place or a
    thing: a change of it changes the question."""
    template, pattern, first = _THINGS[case]
    words = [w.strip() for w in first]
    points = [(41, 23, 3), (37, 52, 4), (53, 19, 2), (22, 31, 5), (61, 17, 3)] if moved else [(41, 23, 3)] * 5
    questions = [template.format(a=a, b=b, n=n, w=w) for w, (a, b, n) in zip(words * 2, points * 2)]
    served, false = false_served(
        lambda q: _by_the_word(q, pattern, {k.strip(): v for k, v in first.items()}), questions, corroborate=corroborate
    )
    assert false == 0


_PEOPLE = {
    "subject": (
        "{w} has {a} pens and Tom has {b} pens. Tom buys {n} more. How many pens do they have together?",
        "Together they have {a} + {b} + {n} = <<{a}+{b}+{n}={r}>>{r} pens.\n#### {r}", lambda a, b, n: a + b + n,
    ),
    "owner and recipient": (
        "A teacher gives {w} {a} pens, and {w}'s brother gives {w} {b} pens. {w} loses {n} of them. How many pens "
        "does {w} have?",
        "{w} has {a} + {b} - {n} = <<{a}+{b}-{n}={r}>>{r} pens.\n#### {r}", lambda a, b, n: a + b - n,
    ),
    "whom one asks": (
        "Tom has {a} pens and buys {b} more. He asks {w} to take {n} of them. How many pens does Tom have left?",
        "Tom has {a} + {b} - {n} = <<{a}+{b}-{n}={r}>>{r} pens left.\n#### {r}", lambda a, b, n: a + b - n,
    ),
    "whom one gives": (
        "Tom has {a} pens and buys {b} more. He gives {w} the {n} blue ones. How many pens does Tom have left?",
        "Tom has {a} + {b} - {n} = <<{a}+{b}-{n}={r}>>{r} pens left.\n#### {r}", lambda a, b, n: a + b - n,
    ),
    "title": (
        "Dr. {w} has {a} pens and buys {b} more, then gives away {n}. How many pens does Dr. {w} have?",
        "Dr. {w} has {a} + {b} - {n} = <<{a}+{b}-{n}={r}>>{r} pens.\n#### {r}", lambda a, b, n: a + b - n,
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(_PEOPLE))
def test_a_person_the_question_says_as_one_is_still_renamed(case):
    """The control: a name the question says of someone (a sentence's subject, an owner, whom something is given,
    after a title) is still renamed, with no model call, and right."""
    template, answer, result = _PEOPLE[case]
    read = re.compile(
        re.escape(template)
        .replace(r"\{w\}", r"(\w+)")
        .replace(r"\{a\}", r"(\d+)")
        .replace(r"\{b\}", r"(\d+)")
        .replace(r"\{n\}", r"(\d+)")
    )

    def pens(prompt: str) -> str:
        w = read.search(prompt).group(1)  # type: ignore[union-attr]
        a, b, n = (int(x) for x in re.findall(r"\d+", prompt)[:3])
        return answer.format(w=w, a=a, b=b, n=n, r=result(a, b, n))

    points = [(41, 23, 3), (37, 52, 4), (53, 19, 2), (22, 31, 5)]
    questions = [template.format(w=w, a=a, b=b, n=n) for w, (a, b, n) in zip(["Ann", "Sue", "Eve", "Amy"], points)]
    served, false = false_served(pens, questions)
    assert false == 0 and served >= 2


# ------------------------------------------------------------------------------ a name where a person may stand
# (question with {a}, {b}, {n} and the word {w}; the pattern that reads the word; word -> whether the first price
# applies; the words asked in turn, each pair of one gender in the name data). Each word stands where a person
# may: a sentence's subject, after a title, whom something is given
_SAID_AS_PEOPLE = {
    "a city a sentence opens with": (
        "Hotels add a tax of {a} dollars per night in Europe and {b} dollars per night elsewhere. {w} is where Ann "
        "stays for {n} nights. How much tax does Ann pay?",
        r"(\w+) is where", {"Florence": True, "Charlotte": False, "Valencia": True, "Augusta": False, "Helena": False},
    ),
    "a city after a royal title": (
        "Shipping costs {a} dollars per parcel within Saskatchewan and {b} dollars per parcel to other provinces. Ann "
        "sends {n} parcels to Prince {w}. How much does Ann pay?",
        r"Prince (\w+)\.", {"Albert": True, "Rupert": False, "Edward": False},
    ),
    "a ship after a royal title": (
        "A cruise tour costs {a} dollars on a ship in service and {b} dollars on a retired ship moored as a hotel. "
        "Ann books {n} tours on Queen {w}. How much does Ann pay?",
        r"Queen (\w+)\b", {"Mary": False, "Victoria": True, "Elizabeth": True, "Anne": True},
    ),
    "a club that sells": (
        "Premier League tickets cost {a} dollars and other league tickets cost {b} dollars. {w} sells Ann {n} "
        "tickets. How much does Ann pay?",
        r"(\w+) sells", {"Everton": True, "Preston": False, "Chester": False},
    ),
    "a pet that is fed": (
        "A dog's meal holds {a} grams of food and a cat's meal {b} grams. Ann feeds {w} {n} meals. How many grams of "
        "food does Ann use?",
        r"feeds (\w+) \d", {"Snoopy": True, "Garfield": False, "Scooby": True, "Felix": False},
    ),
    "a state a clause opens with": (
        "A state with an income tax takes {a} dollars per paycheck and a state without one takes {b} dollars. Since "
        "{w} is where Ann works, how much does Ann pay for {n} paychecks?",
        r"Since (\w+) is", {"Florida": False, "Georgia": True, "Virginia": True, "Carolina": True},
    ),
}  # fmt: skip


@pytest.mark.parametrize("moved", [False, True], ids=["the word alone", "numbers too"])
@pytest.mark.parametrize("corroborate", [True, False], ids=["default", "checks alone"])
@pytest.mark.parametrize("case", sorted(_SAID_AS_PEOPLE))
def test_an_amount_the_answer_sets_aside_for_another_of_its_kind_is_never_chosen_again_under_other_names(
    case, corroborate, moved
):
    """Class (helper-165, both modes: 2 to 4 false of 3 to 5 served per phrasing): a word that stands where a person
    may ("Florence is where Ann stays", "Prince Albert", "Queen Mary", "Everton sells Ann", "feeds Garfield 3
    meals"), of a place, a ship, a club or a pet whose facts pick one of two prices. Renamed within one gender it
    needed no second answer, and the first answer's pick was served for another word. An answer that takes one
    amount and leaves another of its kind aside (both dollars per night) chose by something, and under other names
    it is not re-derived: the model answers."""
    template, pattern, first = _SAID_AS_PEOPLE[case]
    words = list(first)
    points = [(41, 23, 3), (37, 52, 4), (53, 19, 2), (22, 31, 5), (61, 17, 3)] if moved else [(41, 23, 3)] * 5
    questions = [template.format(a=a, b=b, n=n, w=w) for w, (a, b, n) in zip(words * 2, points * 2)]
    served, false = false_served(lambda q: _by_the_word(q, pattern, first), questions, corroborate=corroborate)
    assert false == 0


def _hotel(prompt: str) -> str:
    """The bill, with the tax that hotels in Europe add where the city is in Europe (an always-right model)."""
    a, n, t = (int(x) for x in re.findall(r"\d+", prompt)[:3])
    city = next(c for c in _IN_EUROPE if re.search(rf"\b{c}\b", prompt))
    rooms, tax = n * a, n * a * t // 100
    if not _IN_EUROPE[city]:
        return f"Ann pays {n} * {a} = {rooms} dollars for the rooms.\n{city} is not in Europe, so no tax applies.\n#### {rooms}"
    return (
        f"Ann pays {n} * {a} = {rooms} dollars for the rooms.\n{city} is in Europe, so the tax is {rooms} * {t}% = {tax}"
        f" dollars.\nIn total {rooms} + {tax} = {rooms + tax} dollars.\n#### {rooms + tax}"
    )


_IN_EUROPE = {"Florence": True, "Charlotte": False, "Valencia": True, "Madison": False, "Victoria": False, "Sofia": True}


@pytest.mark.parametrize("moved", [False, True], ids=["the city alone", "numbers too"])
@pytest.mark.parametrize("corroborate", [True, False], ids=["default", "checks alone"])
@pytest.mark.parametrize(
    "template",
    [
        "A hotel room costs {a} dollars per night. Ann stays {n} nights. Hotels in Europe add a tax of {t}% of the "
        "bill. {w} is where Ann stays. How much does Ann pay?",
        "A hotel room costs {a} dollars per night. {w} hosts Ann for {n} nights. Hotels in Europe add a tax of {t}% "
        "of the bill. How much does Ann pay?",
    ],
    ids=["a city a sentence opens with", "a city that hosts"],
)
def test_a_name_that_is_also_a_place_is_renamed_only_where_the_question_shows_a_person(template, corroborate, moved):
    """Class (found this stop, both modes: 4 false of 5 served): a city named like a woman, where a person may stand
    ("Florence is where Ann stays"), in a question whose rule rests on what is known of it ("Hotels in Europe add
    a tax"). The answer for Florence takes every amount; renamed Charlotte, the tax no longer applies. A word that
    is also a place's name (GeoNames' cities of 100,000 or more, states, countries) is renamed only where the
    question shows a person: a word of their gender that goes back to them, "who", an age, a title, kin."""
    words = list(_IN_EUROPE)
    points = [(40, 3, 10), (50, 4, 10), (60, 5, 20), (70, 2, 10), (80, 3, 20), (90, 4, 10)] if moved else [(40, 3, 10)] * 6
    questions = [template.format(a=a, n=n, t=t, w=w) for w, (a, n, t) in zip(words * 2, points * 2)]
    served, false = false_served(_hotel, questions, corroborate=corroborate)
    assert false == 0


@pytest.mark.parametrize(
    "template",
    [
        "{w} has {a} pens and buys {b} more. Then she gives away {n} of them. How many pens does {w} have?",
        "{w}, who has {a} pens, buys {b} more and gives away {n}. How many pens does {w} have?",
        "Ann's friend {w} has {a} pens and buys {b} more, then gives away {n}. How many pens does {w} have?",
        "{w} and her mom have {a} pens and buy {b} more, then give away {n}. How many pens do they have?",
    ],
    ids=["a pronoun", "who", "kin before", "kin after"],
)
def test_a_name_that_is_also_a_place_is_still_renamed_where_the_question_shows_a_person(template):
    """The control: "Madison", "Charlotte", "Victoria" (also cities) renamed one into another where the question
    shows a person (a pronoun of her gender that goes back to her, "who", kin) is still served, and right."""
    read = re.compile(r"(\d+)\D+(\d+)\D+(\d+)")

    def pens(prompt: str) -> str:
        a, b, n = (int(x) for x in read.search(prompt).groups())  # type: ignore[union-attr]
        return f"There are {a} + {b} - {n} = <<{a}+{b}-{n}={a + b - n}>>{a + b - n} pens.\n#### {a + b - n}"

    points = [(41, 23, 3), (37, 52, 4), (53, 19, 2), (22, 31, 5)]
    names = ["Madison", "Charlotte", "Victoria", "Florence"]
    questions = [template.format(w=w, a=a, b=b, n=n) for w, (a, b, n) in zip(names, points)]
    served, false = false_served(pens, questions)
    assert false == 0 and served >= 2


# (helper-166: what the answer knows of a name, beyond the amounts a question sets beside one another; each
# model picks by the first word of the question that its facts know)
_IN_EUROPE_TOO = {
    "Venice": True, "Augusta": False, "Siena": True, "Helena": False, "Florence": True, "Charlotte": False,
    "Valencia": True, "Alexandria": False, "Verona": True, "Savannah": False, "Rosario": False, "Marbella": True,
}  # fmt: skip
_BRITISH = {"Adele": True, "Shakira": False, "Dido": True, "Rihanna": False, "Enya": False}


def _known(prompt: str, facts: dict[str, bool]) -> tuple[str, bool]:
    word = next(w for w in re.findall(r"\w+", prompt) if w in facts)
    return word, facts[word]


def _rate_or_other(prompt: str) -> str:
    """A rate per night in Europe, another elsewhere (or a flat fee: "a flat 23-dollar fee")."""
    a, b, n = (int(x) for x in re.findall(r"\d+", prompt)[:3])
    city, europe = _known(prompt, _IN_EUROPE_TOO)
    if "flat" in prompt and not europe:
        return f"{city} is not in Europe, so the nightly rate does not apply.\nAnn pays the flat fee: 1 * {b} = {b} dollars.\n#### {b}"
    price = a if europe else b
    return f"{city} is {'' if europe else 'not '}in Europe, so each night costs {price} dollars.\nAnn pays {n} * {price} = {n * price} dollars.\n#### {n * price}"


def _tax_or_discount(prompt: str) -> str:
    """Every amount used either way: a city tax added in Europe, taken off elsewhere."""
    a, b, n = (int(x) for x in re.findall(r"\d+", prompt)[:3])
    city, europe = _known(prompt, _IN_EUROPE_TOO)
    total = n * a + b if europe else n * a - b
    sign = "+" if europe else "-"
    return (
        f"The rooms cost {n} * {a} = {n * a} dollars.\n{city} is {'' if europe else 'not '}in Europe, so the {b} dollars "
        f"are {'a tax' if europe else 'a discount'}: {n * a} {sign} {b} = {total} dollars.\n#### {total}"
    )


def _bonus(facts: dict[str, bool], unit: str, words: dict[str, str]) -> Callable[[str], str]:
    """A share added where the name's facts say so ("Adele is British", "Florence est en Europe")."""

    def model(prompt: str) -> str:
        a, n, t = (int(x) for x in re.findall(r"\d+", prompt)[:3])
        name, yes = _known(prompt, facts)
        base = words["base"].format(n=n, a=a, na=n * a, unit=unit)
        if not yes:
            return f"{base}\n{words['no'].format(w=name)}\n#### {n * a}"
        extra = n * a * t // 100
        lines = words["yes"].format(w=name, na=n * a, t=t, x=extra, total=n * a + extra, unit=unit)
        return f"{base}\n{lines}\n#### {n * a + extra}"

    return model


_EN_TAX = {
    "base": "Ann pays {n} * {a} = {na} {unit}.",
    "yes": "{w} is in Europe, so the tax is {na} * {t}% = {x} {unit}.\nIn total {na} + {x} = {total} {unit}.",
    "no": "{w} is not in Europe, so no tax applies.",
}
_WORLD_FACTS: dict[str, tuple[Callable[[str], str], str, list[str], tuple[int, int, int]]] = {
    "a second amount with no noun after it": (
        _rate_or_other,
        "Hotels charge {} dollars a night in Europe and {} elsewhere. {w} is where Ann stays for {} nights. How much "
        "does Ann pay?",
        ["Venice", "Augusta", "Siena", "Helena"], (41, 23, 3),
    ),
    "a second amount in words, the first with its sign": (
        _rate_or_other,
        "Hotels charge ${} per night in Europe and {} dollars per night elsewhere. {w} is where Ann stays for {} "
        "nights. How much does Ann pay?",
        ["Venice", "Augusta", "Siena", "Helena"], (41, 23, 3),
    ),
    "a flat fee against a rate": (
        _rate_or_other,
        "Hotels charge {} dollars per night in Europe and a flat {}-dollar fee for the whole stay elsewhere. {w} is "
        "where Ann stays for {} nights. How much does Ann pay?",
        ["Augusta", "Venice", "Helena", "Siena"], (41, 23, 3),
    ),
    "an amount added or taken off by the place": (
        _tax_or_discount,
        "A room costs {} dollars per night. Hotels in Europe add a city tax of {} dollars per stay; elsewhere they "
        "take it off. {w} is where Ann stays for {} nights. How much does Ann pay?",
        ["Venice", "Augusta", "Siena", "Helena"], (41, 23, 3),
    ),
    "a place the gazetteer lacks": (
        _bonus(_IN_EUROPE_TOO, "dollars", _EN_TAX),
        "A hotel room costs {} dollars per night. Ann stays {} nights. Hotels in Europe add a tax of {}% of the bill. "
        "{w} is where Ann stays. How much does Ann pay?",
        ["Venice", "Augusta", "Siena", "Helena"], (40, 3, 10),
    ),
    "a famous singer": (
        _bonus(_BRITISH, "dollars", {
            "base": "The station pays {n} * {a} = {na} {unit}.",
            "yes": "{w} is a British singer, so the bonus is {na} * {t}% = {x} {unit}.\nIn total {na} + {x} = {total} {unit}.",
            "no": "{w} is not a British singer, so there is no bonus.",
        }),
        "A radio station pays {} dollars each time it plays a song. It plays {w}'s new song {} times. Songs by "
        "British singers get a bonus of {}% of the total. How much does the station pay?",
        ["Adele", "Shakira", "Dido", "Rihanna", "Enya"], (40, 3, 10),
    ),
    # (helper-167: the fact said with a number, or not at all, or of someone the question shows a person)
    "a famous singer, the fact beside a number": (
        _bonus(_BRITISH, "dollars", {
            "base": "The station pays {n} * {a} = {na} {unit}.",
            "yes": "Since {w} is British the bonus is {na} * {t}% = {x} {unit}.\nIn total {na} + {x} = {total} {unit}.",
            "no": "There is no bonus: 0 dollars.",
        }),
        "A radio station pays {} dollars each time it plays a song. It plays {w}'s new song {} times. Songs by "
        "British singers get a bonus of {}% of the total. How much does the station pay?",
        ["Adele", "Shakira", "Dido", "Rihanna", "Enya"], (40, 3, 10),
    ),
    "a famous singer, a silent answer": (
        _bonus(_BRITISH, "dollars", {
            "base": "The station pays {n} * {a} = {na} {unit}.",
            "yes": "The bonus is {na} * {t}% = {x} {unit}.\nIn total {na} + {x} = {total} {unit}.",
            "no": "There is no bonus: 0 dollars.",
        }),
        "A radio station pays {} dollars each time it plays a song. It plays {w}'s new song {} times. Songs by "
        "British singers get a bonus of {}% of the total. How much does the station pay?",
        ["Adele", "Shakira", "Dido", "Rihanna", "Enya"], (40, 3, 10),
    ),
    "a famous singer the question shows a person": (
        _bonus(_BRITISH, "dollars", {
            "base": "The station pays {n} * {a} = {na} {unit}.",
            "yes": "{w} is a British singer, so the bonus is {na} * {t}% = {x} {unit}.\nIn total {na} + {x} = {total} {unit}.",
            "no": "{w} is not a British singer, so there is no bonus.",
        }),
        "A radio station pays {} dollars each time it plays a song. {w} sings her new song {} times on it. Songs by "
        "British singers get a bonus of {}% of the total. How much does the station pay?",
        ["Adele", "Shakira", "Dido", "Rihanna", "Enya"], (40, 3, 10),
    ),
    "a pronoun whose nearest name is the place": (
        _bonus(_IN_EUROPE_TOO, "dollars", _EN_TAX),
        "Ann books a hotel room for {} dollars per night, {} nights in all. Hotels in Europe add a tax of {}% of the "
        "bill. {w} is where she stays. How much does Ann pay?",
        ["Florence", "Charlotte", "Valencia", "Alexandria"], (40, 3, 10),
    ),
    "a place's family-run hotels": (
        _bonus(_IN_EUROPE_TOO, "dollars", _EN_TAX),
        "Ann stays in one of {w}'s family-run hotels at {} dollars per night for {} nights. Hotels in Europe add a tax "
        "of {}% of the bill. How much does Ann pay?",
        ["Florence", "Charlotte", "Valencia", "Alexandria"], (40, 3, 10),
    ),
    "a place in a clause that compares someone": (
        _bonus(_IN_EUROPE_TOO, "dollars", _EN_TAX),
        "{w} is where Ann stays, paying {} dollars per night for {} nights, more than Tom pays at home. Hotels in "
        "Europe add a tax of {}% of the bill. How much does Ann pay?",
        ["Florence", "Charlotte", "Valencia", "Alexandria"], (40, 3, 10),
    ),
    "terse English": (
        _bonus(_IN_EUROPE_TOO, "dollars", _EN_TAX),
        "A hotel room costs {} dollars per night. {w} is where Ann stays, {} nights. Hotels in Europe add a {}% tax. "
        "What will Ann pay?",
        ["Florence", "Charlotte", "Valencia", "Alexandria"], (40, 3, 10),
    ),
    "French": (
        _bonus(_IN_EUROPE_TOO, "dollars", {
            "base": "Léa paie {n} * {a} = {na} {unit} pour les nuits.",
            "yes": "{w} est en Europe, donc la taxe est {na} * {t}% = {x} {unit}.\nAu total {na} + {x} = {total} {unit}.",
            "no": "{w} n'est pas en Europe, donc pas de taxe.",
        }),
        "Une chambre coûte {} dollars par nuit. {w} est la ville où Léa reste {} nuits. Les hôtels en Europe ajoutent "
        "une taxe de {}% de la note. Combien Léa paie-t-elle ?",
        ["Florence", "Charlotte", "Valencia", "Alexandria"], (40, 3, 10),
    ),
    "Spanish": (
        _bonus(_IN_EUROPE_TOO, "dólares", {
            "base": "Ana paga {n} * {a} = {na} {unit} por las noches.",
            "yes": "{w} está en Europa, así que el impuesto es {na} * {t}% = {x} {unit}.\nEn total {na} + {x} = {total} {unit}.",
            "no": "{w} no está en Europa, así que no hay impuesto.",
        }),
        "Una habitación cuesta {} dólares por noche. {w} es donde Ana se queda {} noches. Los hoteles en Europa cobran "
        "un impuesto del {}% de la cuenta. ¿Cuánto paga Ana?",
        ["Valencia", "Rosario", "Marbella", "Alexandria"], (40, 3, 10),
    ),
}  # fmt: skip


@pytest.mark.parametrize("corroborate", [True, False], ids=["default", "checks alone"])
@pytest.mark.parametrize("case", sorted(_WORLD_FACTS))
def test_what_an_answer_knows_of_a_name_is_never_served_for_another(case, corroborate):
    """Classes (helper-166, both modes: 1 to 6 false of 3 to 11 served per phrasing, after the two rules above): a
    city, a region or a singer named where a person may stand, whose facts the answer follows ("Venice is in Europe",
    "Adele is British"), and which no rule above reads: an amount left aside with no noun after it ("23 elsewhere"),
    every amount used either way (a tax added or taken off), a percent only one branch applies, a place the
    gazetteer lacks, a proof a place satisfies (a pronoun whose nearest name is the place, "Florence's family-run
    hotels", a clause that compares someone else), a question too terse or in another language for the English
    proof. Under other names the question does not show to be people's, an answer that leaves an amount aside or
    says a fact of a name with no number is not re-derived: the model answers."""
    model, template, words, point = _WORLD_FACTS[case]
    questions = [template.format(*point, w=w) for w in words * 2]
    served, false = false_served(model, questions, corroborate=corroborate)
    assert false == 0


@pytest.mark.parametrize("corroborate", [True, False], ids=["default", "checks alone"])
def test_a_person_whose_answer_leaves_an_amount_aside_is_still_renamed(corroborate):
    """The control: an answer that leaves an amount aside (the pears, where the question asks about apples) and says
    "Ann" in a clause with no number is still reused under other names where the question shows each a person
    ("her lunch box", "She eats")."""

    def apples(prompt: str) -> str:
        name = re.match(r"(\w+)", prompt).group(1)  # type: ignore[union-attr]
        bought, pears, eaten = (int(x) for x in re.findall(r"\d+", prompt)[:3])
        left = bought - eaten
        return (
            f"{name} only counts her apples.\nShe leaves the {pears} pears aside.\n"
            f"She has {bought} - {eaten} = <<{bought}-{eaten}={left}>>{left} apples left.\n#### {left}"
        )

    questions = [
        f"{w} buys {a} apples and {p} pears for her lunch box. She eats {e} apples. How many apples does {w} have left?"
        for w, a, p, e in [("Ann", 9, 4, 2), ("Sue", 9, 4, 2), ("Eve", 9, 4, 2), ("Amy", 9, 4, 2)]
    ]
    served, false = false_served(apples, questions, corroborate=corroborate)
    assert false == 0 and served >= 2


# ------------------------------------------------------------------------------ a pet, a famous person
# (a name -> whether the first of two prices is the one its facts pick; the words the answer says of each)
_CATS = {"Garfield": True, "Odie": False, "Felix": True, "Snoopy": False, "Sylvester": True, "Scooby": False}
_STORMS = {"Katrina": True, "Sandy": False, "Harvey": True, "Irene": False, "Rita": True, "Hugo": False}
_LEFT_HANDED = {"Obama": True, "Biden": False, "Oprah": True, "Madonna": False, "Einstein": True, "Beyonce": False}


def _by_what_is_known(
    facts: dict[str, bool], kinds: tuple[str, str], why: str = "so the {other} dollar price does not apply", silent: bool = False
) -> Callable[[str], str]:
    """The total at the price what is known of the name picks (an always-right model that knows it; of a name it
    does not know, the second price)."""

    def model(prompt: str) -> str:
        a, b, n = (int(x) for x in re.findall(r"\d+", prompt)[:3])
        word = next(w for w in re.findall(r"\b[A-Z][a-z]+\b", prompt) if w not in {"A", "Left", "Jon", "How"})
        first = facts.get(word, False)
        price, other = (a, b) if first else (b, a)
        kind = kinds[0] if first else kinds[1]
        said = "" if silent else f"{word} is {kind}, {why.format(other=other, word=word, kind=kind, price=price)}.\n"
        if why.startswith("{word}"):  # the whole sentence given
            said = why.format(other=other, word=word, kind=kind, price=price) + "\n"
        return f"{said}The food costs {n} * {price} = {n * price} dollars.\n#### {n * price}"

    return model


_PET_FOOD = "A pet shop sells cat food at {a} dollars a bag and dog food at {b} dollars a bag. "
_KNOWN_OF_A_NAME = {
    "a pet that eats": (_by_what_is_known(_CATS, ("a cat", "a dog")), _PET_FOOD + "{w} eats {n} bags of food a month. How much does {w}'s food cost each month?"),
    "a pet that eats, a silent answer": (
        _by_what_is_known(_CATS, ("a cat", "a dog"), silent=True),
        _PET_FOOD + "{w} eats {n} bags of food a month. How much does {w}'s food cost each month?",
    ),
    "a pet and his bowl": (
        _by_what_is_known(_CATS, ("a cat", "a dog")),
        _PET_FOOD + "{w} empties {n} bags into his bowl each month. How much does {w}'s food cost each month?",
    ),
    "a pet that is someone's friend": (
        _by_what_is_known(_CATS, ("a cat", "a dog")),
        _PET_FOOD + "Jon's friend {w} needs {n} bags a month. How much does {w}'s food cost each month?",
    ),
    "a pet who sleeps": (
        _by_what_is_known(_CATS, ("a cat", "a dog")),
        _PET_FOOD + "{w}, who sleeps all day, gets {n} bags a month. How much does {w}'s food cost each month?",
    ),
    "a famous person, the fact in a sentence of its own": (
        _by_what_is_known(
            _LEFT_HANDED, ("left-handed", "right-handed"), "and that matters.\nThe {other} dollar pairs are not for her"
        ),
        "Left-handed scissors cost {a} dollars a pair and right-handed scissors cost {b} dollars a pair. {w} buys {n} "
        "pairs for her own use. How much does {w} pay?",
    ),
    "a famous person, the fact in a clause opened by because": (
        _by_what_is_known(
            _LEFT_HANDED, ("left-handed", "right-handed"), "{word} pays {price} dollars a pair: because {word} is {kind}, the {other} dollar price does not apply."
        ),
        "Left-handed scissors cost {a} dollars a pair and right-handed scissors cost {b} dollars a pair. {w}, who likes "
        "crafts, buys {n} pairs. How much does {w} pay?",
    ),
    "a famous person, the fact as what one is": (
        _by_what_is_known(
            _LEFT_HANDED, ("left-handed", "right-handed"), "{word} pays {price} dollars each, not {other}, as a {kind} person."
        ),
        "Left-handed scissors cost {a} dollars a pair and right-handed scissors cost {b} dollars a pair. {w}, who likes "
        "crafts, buys {n} pairs. How much does {w} pay?",
    ),
    "a famous person, the fact by another verb": (
        _by_what_is_known(
            _LEFT_HANDED, ("left-handed", "right-handed"), "{word} plays {kind}, so the {other} dollar price does not apply."
        ),
        "Scissors for lefties cost {a} dollars each and scissors for righties cost {b} dollars each. {w}, who likes "
        "crafts, buys {n} scissors. How much does {w} pay?",
    ),
    "a famous person, the fact in another language": (
        _by_what_is_known(
            _LEFT_HANDED, ("Linkshänder", "Rechtshänder"), "{word} ist {kind}, also gilt der Preis von {other} Dollar nicht."
        ),
        "Scissors for lefties cost {a} dollars each and scissors for righties cost {b} dollars each. {w}, who likes "
        "crafts, buys {n} scissors. How much does {w} pay?",
    ),
    "a storm no word of the question calls one": (
        _by_what_is_known(
            _STORMS,
            ("Gulf Coast", "East Coast"),
            "{word} struck the {kind}, so the {other} dollar rate does not apply.",
        ),
        "Repairs on the Gulf Coast cost {a} dollars per roof and repairs on the East Coast cost {b} dollars per roof. "
        "{w}, who was feared by all, damaged {n} roofs. How much do the repairs after {w} cost?",
    ),
    "a famous person shown one by a pronoun": (
        _by_what_is_known(_LEFT_HANDED, ("left-handed", "right-handed"), "so the {other} dollar pairs are not for {word}"),
        "Left-handed scissors cost {a} dollars a pair and right-handed scissors cost {b} dollars a pair. {w} buys {n} "
        "pairs for her own use. How much does {w} pay?",
    ),
}  # fmt: skip


@pytest.mark.parametrize("corroborate", [True, False], ids=["default", "checks alone"])
@pytest.mark.parametrize("case", sorted(_KNOWN_OF_A_NAME))
def test_a_choice_by_what_is_known_of_a_pet_or_a_famous_person_is_never_served_for_another(case, corroborate):
    """Classes (helper-167 and this stop, both modes: 2 to 4 false of 6 to 7 served per phrasing): a pet's name
    ("Garfield eats", "his bowl", "Jon's friend Garfield"), which every English proof of a person also fits, or a
    famous person's ("Obama is left-handed, so the 23 dollar pairs are not for Obama"), where the question offers two
    prices and the answer picks one by what it knows of the name. In a question that speaks of an animal, no name
    is shown to be a person's; and under a rename of people, an answer with a sentence that says a renamed name and
    the amount it leaves aside is not re-derived: the model answers."""
    model, template = _KNOWN_OF_A_NAME[case]
    facts = _CATS if "pet" in case else _STORMS if "storm" in case else _LEFT_HANDED
    questions = [template.format(a=41, b=23, n=3, w=w) for w in list(facts) * 2]
    served, false = false_served(model, questions, corroborate=corroborate)
    assert false == 0


@pytest.mark.parametrize("corroborate", [True, False], ids=["default", "checks alone"])
def test_a_person_in_a_question_that_speaks_of_animals_is_still_renamed(corroborate):
    """The control: in a question about someone's cats, an answer that takes every amount is still reused under other
    names, though no name there is shown to be a person's."""

    def cats(prompt: str) -> str:
        a, b, n = (int(x) for x in re.findall(r"\d+", prompt)[:3])
        return f"{prompt.split()[0]} has {a} + {b} - {n} = <<{a}+{b}-{n}={a + b - n}>>{a + b - n} cats.\n#### {a + b - n}"

    questions = [
        f"{w} has {a} cats and adopts {b} more. She gives {n} to her friend. How many cats does {w} have now?"
        for w, (a, b, n) in zip(["Ann", "Sue", "Eve", "Amy"], [(7, 5, 2), (9, 4, 3), (6, 8, 1), (5, 3, 2)])
    ]
    served, false = false_served(cats, questions, corroborate=corroborate)
    assert false == 0 and served >= 2


# ------------------------------------------------------------------------------ a verdict asked by who or which
# (question with {a} boxes of {p} against {b} bags of {q}; the answer's lines, given the amounts and the winner's words)
_WHO_WINS = {
    "who has more, Ann or Bob": (
        "Ann has {a} boxes of {p} marbles and Bob has {b} bags of {q} marbles. Who has more marbles, Ann or Bob, and "
        "how many marbles do they have together?",
        ("Ann", "Bob"), "Ann has {a} * {p} = {x} marbles.\nBob has {b} * {q} = {y} marbles.\n{w} has more marbles.\n"
        "Together they have {x} + {y} = {t} marbles.",
    ),
    "the answer compares the amounts it weighs": (
        "Ann has {a} boxes of {p} marbles and Bob has {b} bags of {q} marbles. Who has more marbles, Ann or Bob, and "
        "how many marbles do they have together?",
        ("Ann", "Bob"), "Ann has {a} * {p} = {x} marbles.\nBob has {b} * {q} = {y} marbles.\nSince {big} > {small}, {w} "
        "has more marbles.\nTogether they have {x} + {y} = {t} marbles.",
    ),
    "a choice put between two": (
        "Ann has {a} boxes of {p} marbles and Bob has {b} bags of {q} marbles. Does Ann or Bob have more marbles, and "
        "how many marbles do they have together?",
        ("Ann", "Bob"), "Ann has {a} * {p} = {x} marbles.\nBob has {b} * {q} = {y} marbles.\n{w} has more marbles.\n"
        "Together they have {x} + {y} = {t} marbles.",
    ),
    "a comparison beside no verdict": (
        "Ann has {a} boxes of {p} marbles and Bob has {b} bags of {q} marbles. Who has more marbles, and how many "
        "marbles do they have together?",
        ("Ann", "Bob"), "The sizes compare as {p} < {q}.\nAnn has {a} * {p} = {x} marbles.\nBob has {b} * {q} = {y} "
        "marbles.\n{w} has more marbles.\nTogether they have {x} + {y} = {t} marbles.",
    ),
    "German, which beside a comparative by its ending": (
        "Eine rote Kiste hat {a} Bücher zu {p} Kilo und eine blaue Kiste {b} Bücher zu {q} Kilo. Welche Kiste ist "
        "schwerer, und wie viel wiegen beide zusammen?",
        ("rote", "blaue"), "Die rote Kiste wiegt {a} * {p} = {x} Kilo.\nDie blaue Kiste wiegt {b} * {q} = {y} Kilo.\nDie "
        "{w} Kiste ist schwerer.\nZusammen wiegen sie {x} + {y} = {t} Kilo.",
    ),
    "who after an opening phrase": (
        "Ann has {a} boxes of {p} marbles and Bob has {b} bags of {q} marbles. Of Ann and Bob, who has more marbles, "
        "and how many marbles do they have together?",
        ("Ann", "Bob"), "Ann has {a} * {p} = {x} marbles.\nBob has {b} * {q} = {y} marbles.\n{w} has more marbles.\n"
        "Together they have {x} + {y} = {t} marbles.",
    ),
    "a true comparison the verdict does not follow": (
        "Ann has {a} boxes of {p} marbles and Bob has {b} bags of {q} marbles. Who has more marbles, and how many "
        "marbles do they have together?",
        ("Ann", "Bob"), "Ann has more containers, since {a} > {b}.\nAnn has {a} * {p} = {x} marbles.\nBob has {b} * {q} = "
        "{y} marbles.\n{w} has more marbles.\nTogether they have {x} + {y} = {t} marbles.",
    ),
    "which box is heavier": (
        "A red box holds {a} books of {p} pounds and a blue box holds {b} books of {q} pounds. Which box is heavier, and "
        "what is the total weight of both boxes?",
        ("red", "blue"), "The red box weighs {a} * {p} = {x} pounds.\nThe blue box weighs {b} * {q} = {y} pounds.\nThe {w} "
        "box is heavier.\nThe total weight is {x} + {y} = {t} pounds.",
    ),
    "a request to tell which": (
        "Farm A has {a} pens of {p} sheep and Farm B has {b} pens of {q} sheep. Determine which farm has more sheep and "
        "how many sheep there are in all.",
        ("A", "B"), "Farm A has {a} * {p} = {x} sheep.\nFarm B has {b} * {q} = {y} sheep.\nFarm {w} has more sheep.\n"
        "In all there are {x} + {y} = {t} sheep.",
    ),
    "German": (
        "Ann hat {a} Schachteln mit je {p} Murmeln und Bob hat {b} Beutel mit je {q} Murmeln. Wer hat mehr Murmeln, und "
        "wie viele Murmeln haben sie zusammen?",
        ("Ann", "Bob"), "Ann hat {a} * {p} = {x} Murmeln.\nBob hat {b} * {q} = {y} Murmeln.\n{w} hat mehr Murmeln.\n"
        "Zusammen haben sie {x} + {y} = {t} Murmeln.",
    ),
    "Spanish": (
        "Ana tiene {a} cajas de {p} canicas y Luis tiene {b} bolsas de {q} canicas. ¿Quién tiene más canicas y cuántas "
        "canicas tienen entre los dos?",
        ("Ana", "Luis"), "Ana tiene {a} * {p} = {x} canicas.\nLuis tiene {b} * {q} = {y} canicas.\n{w} tiene más canicas."
        "\nEntre los dos tienen {x} + {y} = {t} canicas.",
    ),
    "French, which beside a comparative": (
        "La boîte rouge contient {a} livres de {p} kilos et la boîte bleue {b} livres de {q} kilos. Quelle boîte pèse le "
        "plus, et quel est le poids total ?",
        ("rouge", "bleue"), "La boîte rouge pèse {a} * {p} = {x} kilos.\nLa boîte bleue pèse {b} * {q} = {y} kilos.\nLa "
        "boîte {w} pèse le plus.\nLe poids total est {x} + {y} = {t} kilos.",
    ),
}  # fmt: skip


def _who_wins(case: str) -> Callable[[str], str]:
    """The amounts, the side with more (an always-right model) and the total."""
    template, sides, lines = _WHO_WINS[case]

    def model(prompt: str) -> str:
        a, p, b, q = (int(x) for x in re.findall(r"\d+", prompt)[:4])
        x, y = a * p, b * q
        w = sides[0] if x > y else sides[1]
        body = lines.format(a=a, p=p, b=b, q=q, x=x, y=y, t=x + y, w=w, big=max(x, y), small=min(x, y))
        return f"{body}\n#### {x + y}"

    return model


@pytest.mark.parametrize("corroborate", [True, False], ids=["default", "checks alone"])
@pytest.mark.parametrize("case", sorted(_WHO_WINS))
def test_a_verdict_asked_by_who_or_which_moves_no_number(case, corroborate):
    """Class (helper-169, both modes: 5 false of 8 to 9 served per phrasing): a question that asks who or which
    ("Who has more marbles, Ann or Bob, and how many...?", "Which box is heavier?"), whose answer says the verdict
    in the question's own words ("Ann has more marbles."), read as the question restated. Its amounts are the
    answer's own (41 boxes of 2 against 23 bags of 3): the numbers of the question kept their order at every point
    while the products traded places, and a probe at another point agreed. The verdict is what the numbers decide
    and no check reads it, nor which comparison the answer states is the one it follows ("The sizes compare as 2 <
    3."): other numbers are the model's."""
    template = _WHO_WINS[case][0]
    points = [(41, 2, 23, 3), (45, 2, 25, 3), (25, 2, 20, 3), (50, 2, 31, 3), (27, 2, 21, 3), (60, 2, 35, 3), (33, 2, 25, 3)]
    questions = [template.format(a=a, p=p, b=b, q=q) for a, p, b, q in points]
    served, false = false_served(_who_wins(case), questions, corroborate=corroborate)
    assert false == 0


def test_a_verdict_asked_by_who_is_still_renamed():
    """The control: at the same numbers, "Who has more marbles, Ann or Bob" asked of other people is served, the
    verdict renamed with them."""
    template = _WHO_WINS["who has more, Ann or Bob"][0]
    questions = [
        template.format(a=41, p=2, b=23, q=3).replace("Ann", first).replace("Bob", second)
        for first, second in [("Ann", "Bob"), ("Sue", "Tom"), ("Eve", "Sam"), ("Amy", "Dan")]
    ]
    model = _who_wins("who has more, Ann or Bob")

    def renamed(prompt: str) -> str:
        first, second = re.findall(r"\b([A-Z][a-z]+) ha[sd]\b", prompt)[:2]
        return model(prompt.replace(first, "Ann").replace(second, "Bob")).replace("Ann", first).replace("Bob", second)

    served, false = false_served(renamed, questions)
    assert false == 0 and served >= 2


# ------------------------------------------------------------------------------ whom the answer speaks as or to
# (a name -> the line the model writes for it: its language, or its manner)
_SPOKEN_AS = {
    "Pierre": "Ann dépense {a} * {b} = {x} dollars.", "Hans": "Ann gibt {a} * {b} = {x} Dollar aus.",
    "Pablo": "Ann gasta {a} * {b} = {x} dólares.", "Giuseppe": "Ann spende {a} * {b} = {x} dollari.",
    "Sherlock": "Elementary: Ann spends {a} * {b} = {x} dollars.", "Elvis": "Uh-huh, Ann spends {a} * {b} = {x} dollars.",
    "Homer": "D'oh! Ann spends {a} * {b} = {x} dollars.", "Moses": "Thus it is written: Ann spends {a} * {b} = {x} dollars.",
}  # fmt: skip
# (a name -> its currency and the rate of a dollar in it)
_HOME = {"Pierre": ("euros", "0.9"), "Oliver": ("pounds", "0.8"), "Hans": ("euros", "0.9"), "Harry": ("pounds", "0.8")}
_NOTEBOOKS = "Ann buys {a} notebooks at {b} dollars each. How much does she spend?"
_SPEAKS = {
    "as if a native speaker explains it": (_NOTEBOOKS + " Answer as if {w} explains it in his own language.", "language"),
    "who asks, in his mother tongue": ("{w} asks: " + _NOTEBOOKS + " Reply in his mother tongue.", "language"),
    "in someone's native language": ("Please respond in {w}'s native language. " + _NOTEBOOKS, "language"),
    "who says, in the story's frame": ("{w} says: " + _NOTEBOOKS + " Reply in his mother tongue.", "language"),
    "as if a persona explains it": (_NOTEBOOKS + " Answer as if {w} explains it.", "manner"),
    "in a persona's voice": (_NOTEBOOKS + " Reply in {w}'s voice.", "manner"),
    "pretend to be someone's student": ("Pretend I am {w}'s student. " + _NOTEBOOKS, "manner"),
    "French, answer as someone": (_NOTEBOOKS + " Réponds comme {w}.", "language"),
    "let someone answer": ("Let {w} answer this one. " + _NOTEBOOKS, "manner"),
    "a greeting in the question": ("Hey {w}, here is one for you: " + _NOTEBOOKS, "language"),
    "you are someone": ("Du bist {w}. " + _NOTEBOOKS, "language"),
    "in his home currency": (
        _NOTEBOOKS + " Answer as if {w} pays, in his home currency (1 dollar is 0.9 euros or 0.8 pounds).", "currency"
    ),
    "who asks, in his own currency": (
        "{w} asks: " + _NOTEBOOKS + " Give it in his own currency (1 dollar is 0.9 euros or 0.8 pounds).", "currency"
    ),
}  # fmt: skip


def _speaks(prompt: str) -> str:
    """The answer in the language, the manner or the currency of the name the instruction gives (an always-right
    model that knows who each name is)."""
    a, b = (int(x) for x in re.findall(r"\d+", prompt)[:2])
    word = next(w for w in re.findall(r"[A-Z]\w+", prompt) if w in _SPOKEN_AS or w in _HOME)
    if "currency" in prompt:
        unit, rate = _HOME[word]
        other = "0.8" if rate == "0.9" else "0.9"
        x = a * b
        y = Fraction(x) * Fraction(rate)
        shown = f"{float(y):g}"
        return f"Ann spends {a} * {b} = {x} dollars.\nThe rate is {rate} per dollar, not {other}.\nIn {unit}: {x} * {rate} = {shown} {unit}.\n#### {shown}"
    return _SPOKEN_AS[word].format(a=a, b=b, x=a * b) + f"\n#### {a * b}"


@pytest.mark.parametrize("moved", [False, True], ids=["the name alone", "numbers too"])
@pytest.mark.parametrize("corroborate", [True, False], ids=["default", "checks alone"])
@pytest.mark.parametrize("case", sorted(_SPEAKS))
def test_a_name_the_answer_speaks_as_or_to_is_never_renamed(case, corroborate, moved):
    """Class (helper-170, both modes: 3 to 7 false of 3 to 7 served per phrasing): an instruction beside the
    question that names whom the answer speaks as or to ("Answer as if Pierre explains it in his own language",
    "Reply in Yoda's voice", "Pierre asks: ... Reply in his mother tongue"), or asks by who someone is ("in his own
    currency"). The name was a slot, renamed where the answer never says it, and the French answer was served for
    Hans, the euros for Oliver. Such a name is not renamed, nor any name where the question asks by someone's
    language, country or currency: the model answers."""
    template, kind = _SPEAKS[case]
    words = (
        list(_HOME)
        if kind == "currency"
        else ["Pierre", "Hans", "Pablo", "Giuseppe"]
        if kind == "language"
        else ["Sherlock", "Elvis", "Homer", "Moses"]
    )
    points = [(41, 23), (37, 52), (53, 19), (22, 31)] if moved else [(41, 23)] * 4
    questions = [template.format(a=a, b=b, w=w) for w, (a, b) in zip(words * 2, points * 2)]
    served, false = false_served(_speaks, questions, corroborate=corroborate)
    assert false == 0


# ------------------------------------------------------------------------------ a number in a form of the model's own
def _decimal(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"


# (question with {a} and {b}; the answer's lines for them, an always-right model)
_FORMS = {
    "a result said as about so much": (
        "A rope {a} meters long is cut into {b} equal pieces. How long is each piece?",
        lambda a, b: f"Each piece is {a} / {b} = {Fraction(a, b)} meters, about {round(a / b, 1):g} meters long.\n#### {Fraction(a, b)}",
        [(3, 2), (5, 4), (7, 4), (9, 2), (11, 4), (13, 8)],
    ),
    "a percentage restated as a share whose part is its number": (
        "A jacket costs {a} dollars and is {b}% off. How much is the discount?",
        lambda a, b: f"{b}% is {Fraction(b, 100)}.\nThe discount is {a} * {Fraction(b, 100)} = {_decimal(Fraction(a * b, 100))} dollars.\n#### {_decimal(Fraction(a * b, 100))}",
        [(120, 10), (90, 30), (200, 5), (80, 20), (60, 50), (150, 40)],
    ),
    "a tip as a share whose part is its number": (
        "A meal costs {a} dollars. Ann leaves a {b}% tip. How much is the tip?",
        lambda a, b: f"{b}% is {Fraction(b, 100)}.\nThe tip is {a} * {Fraction(b, 100)} = {_decimal(Fraction(a * b, 100))} dollars.\n#### {_decimal(Fraction(a * b, 100))}",
        [(120, 10), (90, 30), (200, 5), (80, 20), (60, 50), (150, 40)],
    ),
    "a result with so much or so after it": (
        "A rope {a} meters long is cut into {b} equal pieces. How long is each piece?",
        lambda a, b: f"Each piece is {a} / {b} = {Fraction(a, b)} meters.\nThat is {round(a / b, 1):g} meters, give or take.\n#### {Fraction(a, b)}",
        [(3, 2), (5, 4), (7, 4), (9, 2), (11, 4), (13, 8)],
    ),
    "a percentage in a word the reader leaves plain": (
        "A jacket costs {a} dollars and is {b} pct off. How much is the discount?",
        lambda a, b: f"{b} pct is {Fraction(b, 100)}.\nThe discount is {a} * {Fraction(b, 100)} = {_decimal(Fraction(a * b, 100))} dollars.\n#### {_decimal(Fraction(a * b, 100))}",
        [(120, 10), (90, 30), (200, 5), (80, 20), (60, 50), (150, 40)],
    ),
    "a fraction not in lowest terms": (
        "Ann uses {a}/4 cup of sugar for each cake. She bakes {b} cakes. How much sugar does she use?",
        lambda a, b: f"She uses {b} * {a}/4 = {a * b}/4 cups of sugar.\n#### {_decimal(Fraction(a * b, 4))}",
        [(3, 2), (3, 4), (1, 6), (3, 8), (1, 3), (3, 5), (1, 10)],
    ),
}  # fmt: skip


@pytest.mark.parametrize("corroborate", [True, False], ids=["default", "checks alone"])
@pytest.mark.parametrize("case", sorted(_FORMS))
def test_a_number_in_a_form_of_the_models_own_moves_no_number(case, corroborate):
    """Classes (helper-169): a number whose form for other values one answer does not show. "about 1.5 meters"
    of 3/2 was re-derived "about 1.25" where the model rounds to "about 1.2" (2 of 2 served, both modes); "10% is
    1/10", whose 10 is no question's 10 percent, re-derived "30% is 1/30" and "90 * 1/30 = 3", which every check
    passes (2 of 2 served, checks alone); "6/4 cups" re-derived "3/2" where the model writes "12/4" (4 of 7, both
    modes). A number said as approximate, a percentage a step takes as a plain number with no 100 beside it, and a
    result written as a fraction not in lowest terms move no number: the model answers."""
    template, lines, points = _FORMS[case]
    read = re.compile(re.escape(template).replace(r"\{a\}", r"(\d+)").replace(r"\{b\}", r"(\d+)"))

    def model(prompt: str) -> str:
        m = read.search(prompt)
        if m is None:
            return "I cannot read this.\n#### 0"
        return lines(int(m.group(1)), int(m.group(2)))

    questions = [template.format(a=a, b=b) for a, b in points]
    served, false = false_served(model, questions, corroborate=corroborate)
    assert false == 0


def test_an_amount_the_question_says_as_about_so_much_still_moves():
    """The control: "about 30 minutes" restated from the question is the question's own amount, re-derived with it."""

    def rides(prompt: str) -> str:
        a, b = (int(x) for x in re.findall(r"\d+", prompt)[:2])
        return f"Each ride takes about {a} minutes.\nShe rides {b} * {a} = <<{b}*{a}={a * b}>>{a * b} minutes.\n#### {a * b}"

    template = "A bus ride takes about {a} minutes. Ann rides the bus {b} times a week. How many minutes does she ride?"
    questions = [template.format(a=a, b=b) for a, b in [(30, 4), (25, 6), (40, 3), (35, 5)]]
    served, false = false_served(rides, questions)
    assert false == 0 and served >= 1


# ------------------------------------------------------------------------------ a span on the calendar
def _savings(prompt: str) -> str:
    born, year = (int(x) for x in re.findall(r"\d+", prompt)[:2])
    age, days = year - born, 366 if calendar.isleap(year) else 365
    return (
        f"At the start of {year}, Ann is {year} - {born} = {age} years old.\n"
        f"The year {year} has {days} days, so she saves {age} * {days} = {age * days} dollars.\n#### {age * days}"
    )


def _jogging(prompt: str) -> str:
    n, k = (int(x) for x in re.findall(r"\d+", prompt)[:2])
    weeks, rest = divmod(n, 7)
    if weeks != 1:
        days = 5 * weeks + min(rest, 5)
        return f"{n} days hold {weeks} full weeks and {rest} more days, so she jogs on {days} days.\nShe jogs {days} * {k} = {days * k} km.\n#### {days * k}"
    lines = [
        f"The rest of the days are {n} - 7 = {rest} days.",
        "She rests on both Saturdays and Sundays of the whole week, so she jogs on 7 - 2 = 5 days of it.",
    ]
    if rest <= 5:
        days = 5 + rest
        lines.append(f"She jogs on each of the rest of the days: 5 + {rest} = {days} days.")
    else:
        days = 5 + rest - 1
        lines.append(f"The last of the rest of the days is a Saturday: 5 + {rest} - 1 = {days} days.")
    return "\n".join([*lines, f"She jogs {days} * {k} = {days * k} km."]) + f"\n#### {days * k}"


def _months_of_classes(prompt: str) -> str:
    n, k = (int(x) for x in re.findall(r"\d+", prompt)[:2])
    august = (n + 6) // 12  # the Augusts among n months counted from March
    if not august:
        return f"She has a class in each of the {n} months.\nShe pays {n} * {k} = {n * k} dollars.\n#### {n * k}"
    return f"The {n} months include August, with no class: {n} - 1 = {n - 1} months with a class.\nShe pays {n - 1} * {k} = {(n - 1) * k} dollars.\n#### {(n - 1) * k}"


def _winter_months(prompt: str) -> str:
    n, a, b = (int(x) for x in re.findall(r"\d+", prompt)[:3])
    winter = sum(1 for i in range(n) if (9 + i) % 12 + 1 in (12, 1, 2))  # the months counted from October
    ones = " + ".join(["1"] * winter) + (f" = {winter}" if winter > 1 else "")
    return (
        f"Each winter month of the pass: {ones}.\nEach other month: {n} - {winter} = {n - winter}.\n"
        f"Ann pays {winter} * {a} + {n - winter} * {b} = {winter * a + (n - winter) * b} dollars.\n"
        f"#### {winter * a + (n - winter) * b}"
    )


_CALENDAR = {
    "a year said as a date (leap years)": (
        _savings,
        "Ann was born at the start of {}. Every day during all of {}, she saved as many dollars as her age in years at "
        "the start of that year. How much did she save that year?",
        [(1995, 2023), (1990, 2024), (1997, 2021), (1993, 2020), (1999, 2027), (1991, 2028), (1994, 2022), (1985, 2016)],
    ),
    "a day of the week that recurs in a span": (
        _jogging,
        "Ann starts a jogging plan on a Monday and follows it for {} days in a row: one whole week and then the rest of "
        "the days. She jogs {} km on each day of the plan except Saturdays and Sundays, when she rests. How many km "
        "does she jog?",
        [(10, 4), (13, 4), (11, 6), (13, 3), (8, 6), (12, 4), (13, 5), (9, 7)],
    ),
    "a month named beside a count of months": (
        _months_of_classes,
        "Ann signs up in March for {} months of painting classes. Each month of classes costs ${}. The school is closed "
        "in August, and Ann does not pay for August. How much does she pay?",
        [(4, 45), (8, 40), (3, 45), (7, 35), (5, 50), (9, 30), (10, 40), (6, 45)],
    ),
    # (helper-165: other ways to say the year and the span)
    "a year said as a date, every day of it": (
        _savings,
        "Ann was born at the start of {}. She saved as many dollars as her age in years every day of {}. How much did "
        "she save that year?",
        [(1995, 2023), (1990, 2024), (1997, 2021), (1993, 2020), (1999, 2027), (1991, 2028)],
    ),
    "a year said as a date, its calendar year": (
        _savings,
        "Ann was born at the start of {}. Every day of the {} calendar year, she saved as many dollars as her age in "
        "years. How much did she save that year?",
        [(1995, 2023), (1990, 2024), (1997, 2021), (1993, 2020), (1999, 2027), (1991, 2028)],
    ),
    "a span of months said as an N-month pass": (
        _winter_months,
        "Ann buys a {}-month gym pass starting in October. Each winter month (December to February) costs {} dollars "
        "and each other month costs {} dollars. How much does Ann pay for the pass?",
        [(6, 41, 23), (5, 37, 22), (4, 43, 19), (7, 39, 21), (3, 44, 26), (9, 36, 17)],
    ),
}  # fmt: skip


@pytest.mark.parametrize("corroborate", [True, False], ids=["default", "checks alone"])
@pytest.mark.parametrize("case", sorted(_CALENDAR))
def test_a_span_of_the_calendar_whose_length_moves_is_answered_by_the_model(case, corroborate):
    """Classes (helper-163, both modes: 2 to 4 false of 4 to 7 served): whether a year is a leap year ("during all of
    2024": 366 days, where 2023's answer says 365), which weekdays a span of days reaches ("starts on a Monday ...
    except Saturdays"), which months a span of months reaches ("in March for 8 months ... closed in August") move
    with the numbers, and no computation of the first answer shows it (a probe in the same branch agreed). Such a
    question is a branch the gate reads: its numbers do not move."""
    model, template, points = _CALENDAR[case]
    served, false = false_served(model, [template.format(*p) for p in points], corroborate=corroborate)
    assert false == 0


def _trip(prompt: str) -> str:
    """Points for a trip of ``d`` days from a Thursday, with a bonus on each Saturday and Sunday it reaches."""
    d, p, bonus = (int(x) for x in re.findall(r"\d+", prompt)[:3])
    k = sum(1 for i in range(d) if (3 + i) % 7 in (5, 6))
    lines = [f"{d} * {p} = {d * p}."]
    lines += [["0 * {L} = 0.", "1 * {L} = {L}.", "1 + 1 = 2, 2 * {L} = {b}.", "2 + 1 = 3, 3 * {L} = {b}.",
               "2 + 2 = 4, 4 * {L} = {b}."][k].format(L=bonus, b=k * bonus)]  # fmt: skip
    return "\n".join([*lines, f"{d * p} + {k * bonus} = {d * p + k * bonus}."]) + f"\n#### {d * p + k * bonus}"


# a trip of {} days from a Thursday, {} points a day, {} more on each Saturday and Sunday it reaches
_WEEKDAYS_ABROAD = {
    "German": "Annas Reise von {} Tagen beginnt am Donnerstag. Anna bekommt {} Punkte für jeden Tag der Reise und {} "
    "Bonuspunkte am Samstag und am Sonntag, wenn die Reise sie erreicht. Wie viele Punkte bekommt sie insgesamt?",
    "German, on Saturdays": "Annas Reise dauert {} Tage ab einem Donnerstag. Sie bekommt {} Punkte pro Tag und "
    "samstags und sonntags {} Bonuspunkte. Wie viele Punkte bekommt sie?",
    "French": "Le voyage d'Anne dure {} jours et commence un jeudi. Elle gagne {} points par jour et {} points de plus "
    "chaque samedi et chaque dimanche du voyage. Combien de points gagne-t-elle ?",
    "Spanish": "El viaje de Ana dura {} días y empieza el jueves. Gana {} puntos cada día y {} puntos extra los sábados "
    "y los domingos del viaje. ¿Cuántos puntos gana?",
    "Italian": "Il viaggio di Anna dura {} giorni e inizia di giovedì. Guadagna {} punti al giorno e {} punti in più "
    "ogni sabato e ogni domenica del viaggio. Quanti punti guadagna?",
    "Dutch": "De reis van Anna duurt {} dagen en begint op donderdag. Ze krijgt {} punten per dag en {} extra punten "
    "op zaterdagen en zondagen van de reis. Hoeveel punten krijgt ze?",
    "the weekend, in German": "Annas Reise von {} Tagen beginnt an einem Donnerstag. Sie bekommt {} Punkte pro Tag "
    "und {} Bonuspunkte an jedem Tag am Wochenende. Wie viele Punkte bekommt sie?",
    # (helper-166: other ways to say where the span starts)
    "German, from Thursday": "Annas Reise dauert {} Tage ab Donnerstag. Anna bekommt {} Punkte für jeden Tag der Reise "
    "und {} Bonuspunkte am Samstag und am Sonntag, falls die Reise sie erreicht. Wie viele Punkte bekommt sie?",
    "German, a separable verb": "Annas Reise von {} Tagen geht am Donnerstag los. Anna bekommt {} Punkte für jeden Tag "
    "der Reise und {} Bonuspunkte am Samstag und am Sonntag, falls die Reise sie erreicht. Wie viele Punkte bekommt sie?",
    "French, from Thursday": "Le voyage de Léa dure {} jours à partir du jeudi. Léa gagne {} points par jour de voyage "
    "et {} points de bonus pour samedi et dimanche s'ils font partie du voyage. Combien de points gagne-t-elle ?",
    "Spanish, leaves on Thursday": "Ana sale de viaje el jueves por {} días. Gana {} puntos por cada día del viaje y {} "
    "puntos extra el sábado y el domingo si el viaje llega a ellos. ¿Cuántos puntos gana en total?",
    "Italian, from Thursday": "Il viaggio di Anna dura {} giorni a partire da giovedì. Anna guadagna {} punti per ogni "
    "giorno del viaggio e {} punti bonus sabato e domenica se il viaggio li raggiunge. Quanti punti guadagna?",
    "Dutch, from Thursday": "Anna's reis duurt {} dagen vanaf donderdag. Anna krijgt {} punten per dag van de reis en {} "
    "bonuspunten voor zaterdag en zondag als de reis ze haalt. Hoeveel punten krijgt ze in totaal?",
    "Portuguese, from Thursday": "A viagem da Ana dura {} dias a partir da quinta-feira. Ana ganha {} pontos por dia de "
    "viagem e {} pontos de bônus no sábado e no domingo, se a viagem chegar a eles. Quantos pontos ela ganha?",
    "English, consecutive full days": "Ann's trip runs from Thursday for {} consecutive full days. Ann gets {} points "
    "for each day of the trip and {} bonus points on Saturday and on Sunday if the trip reaches them. How many points "
    "does she get?",
    "English, sleeps": "Ann's trip from Thursday lasts {} sleeps. Ann gets {} points for each day of the trip and {} "
    "bonus points on Saturday and on Sunday if the trip reaches them. How many points does she get?",
    "English, the first of the days": "Thursday is the first of the {} calendar days of Ann's trip. Ann gets {} points "
    "for each of those days and {} bonus points on Saturday and on Sunday if the trip reaches them. How many points "
    "does she get?",
    "English, leaves on Friday": "Ann leaves on Thursday for a trip of {} days. She earns {} points each day and {} "
    "bonus points on Saturday and on Sunday if the trip reaches them. How many points does she earn?",
}  # fmt: skip


@pytest.mark.parametrize("corroborate", [True, False], ids=["default", "checks alone"])
@pytest.mark.parametrize("case", sorted(_WEEKDAYS_ABROAD))
def test_weekdays_of_other_languages_that_a_span_reaches_are_answered_by_the_model(case, corroborate):
    """Class (helper-165, German, both modes: 3 false of 5 served; helper-166, other ways to say the start: 2 to 4
    false of 3 to 7 in each language): "beginnt am Donnerstag ... am Samstag und am Sonntag": which weekend days a
    trip of 6 or 8 days reaches moves with its length, as in English. The weekday patterns were English only. A
    span that starts on a weekday, a weekday that recurs ("samstags", "chaque samedi", "los sábados", "ogni
    sabato", "op zaterdagen"), the weekend in German, French, Spanish, Italian, Dutch and Portuguese, and a weekday
    beside a count of days in any of them ("dauert 6 Tage ab Donnerstag") are branches the gate reads: their
    numbers do not move."""
    points = [(6, 7, 5), (3, 8, 9), (5, 6, 4), (3, 9, 7), (8, 4, 6), (3, 5, 8), (7, 9, 3), (3, 6, 11)]
    served, false = false_served(_trip, [_WEEKDAYS_ABROAD[case].format(*p) for p in points], corroborate=corroborate)
    assert false == 0


def _holiday_stay(prompt: str) -> str:
    """Points for a stay of ``n`` nights from Christmas night, with a bonus for New Year's Eve (the 7th night)."""
    a, bonus, n = (int(x) for x in re.findall(r"\d+", prompt)[:3])
    reached = 1 if n >= 7 else 0
    return (
        f"Ann earns {n} * {a} = {n * a} points for the nights.\nThe stay reaches New Year's Eve {reached} times: "
        f"{reached} * {bonus} = {reached * bonus} bonus points.\nIn total {n * a} + {reached * bonus} = "
        f"{n * a + reached * bonus} points.\n#### {n * a + reached * bonus}"
    )


@pytest.mark.parametrize("corroborate", [True, False], ids=["default", "checks alone"])
def test_a_holiday_a_span_of_nights_reaches_is_answered_by_the_model(corroborate):
    """Class (helper-167, both modes: 2 false of 3, 4 of 7): "checks in on Christmas night and stays 4 nights ... a
    bonus for the night of New Year's Eve": whether the stay reaches the holiday moves with its length, and no
    month or weekday is named. A holiday named beside a count of nights is a branch, like a weekday."""
    questions = [
        f"A hotel gives {a} points a night and {b} bonus points for the night of New Year's Eve. Ann checks in on "
        f"Christmas night and stays {n} nights. How many points does Ann get?"
        for a, b, n in [(3, 50, 8), (4, 40, 3), (5, 60, 9), (3, 45, 4), (6, 50, 2), (4, 55, 10)]
    ]
    served, false = false_served(_holiday_stay, questions, corroborate=corroborate)
    assert false == 0


def test_a_weekday_said_once_in_another_language_still_moves():
    """The control: "Am Sonntag kauft Anna..." says when, once: its numbers still move, with no model call."""

    def apples(prompt: str) -> str:
        a, b = (int(x) for x in re.findall(r"\d+", prompt)[:2])
        return f"Anna hat {a} + {b} = <<{a}+{b}={a + b}>>{a + b} Äpfel.\n#### {a + b}"

    questions = [
        f"Anna hat {a} Äpfel. Am Sonntag kauft sie {b} Äpfel dazu. Wie viele Äpfel hat Anna jetzt?"
        for a, b in [(12, 5), (17, 8), (23, 9), (31, 4)]
    ]
    served, false = false_served(apples, questions)
    assert false == 0 and served >= 2


# ------------------------------------------------------------------------------ a count drawn in marks (helper-175)
MARKS = {"asterisks": "*", "hashes": "#", "an equals bar": "=", "dots apart": "●, ", "letters apart": "x,", "o apart": "o ",
         "CJK tallies": "正 "}  # fmt: skip


@pytest.mark.parametrize("corroborate", [True, False], ids=["probes", "checks alone"])
@pytest.mark.parametrize("marks", sorted(MARKS))
def test_a_count_drawn_in_marks_markdown_uses_or_in_letters_is_never_redrawn(marks: str, corroborate: bool) -> None:
    """Class (helper-175): "Draw the total as tally marks." answered "***************" (15), "x,x,x", "正 正":
    marks markdown uses, or letters and glyphs apart, were left to layout; 15 marks were served beside 20
    marbles (6 false of 6 served in both modes). A run of one mark drawn again and again is the model's now."""
    mark = MARKS[marks]

    def model(question: str) -> str:
        m = re.search(r"(\w+) has (\d+) bags of (\d+) marbles", question)
        assert m is not None
        name, a, b = m[1], int(m[2]), int(m[3])
        drawn = (mark * (a * b)).rstrip(", ")
        return f"{name} has {a} * {b} = <<{a}*{b}={a * b}>>{a * b} marbles.\ntally marks: {drawn}\n#### {a * b}"

    ask = "{} has {} bags of {} marbles. How many marbles does {} have? Draw the total as tally marks."
    questions = [ask.format(n, a, b, n) for n, a, b in [("Ann", 3, 5), ("Tom", 4, 5), ("Eve", 2, 7), ("Bob", 3, 4)]]
    _, false = false_served(model, questions, corroborate=corroborate)
    assert false == 0


# ------------------------------------------------------------------------------ a parity said in other languages
PARITY = {
    "Swedish": lambda t: f"{t} är ett {'jämnt' if t % 2 == 0 else 'udda'} tal.",
    "Polish": lambda t: f"{t} to liczba {'parzysta' if t % 2 == 0 else 'nieparzysta'}.",
    "Turkish": lambda t: f"{t} bir {'çift' if t % 2 == 0 else 'tek'} sayıdır.",
    "Greek": lambda t: f"Το {t} είναι {'άρτιος' if t % 2 == 0 else 'περιττός'} αριθμός.",
    "Hindi": lambda t: f"{t} एक {'सम' if t % 2 == 0 else 'विषम'} संख्या है।",
    "Russian": lambda t: f"{t} — {'чётное' if t % 2 == 0 else 'нечётное'} число.",
}


@pytest.mark.parametrize("corroborate", [True, False], ids=["probes", "checks alone"])
@pytest.mark.parametrize("language", sorted(PARITY))
def test_a_parity_said_in_another_language_is_a_claim(language: str, corroborate: bool) -> None:
    """Class (helper-175): "24 är ett jämnt tal." after the total, in a language outside the claim lists: served
    for 45 (5 false of 6 served, both modes, in Swedish, Polish, Turkish, Greek and Hindi)."""
    say = PARITY[language]

    def model(question: str) -> str:
        m = re.search(r"(\w+) buys (\d+) bags of (\d+) apples", question)
        assert m is not None
        a, b = int(m[2]), int(m[3])
        return f"{m[1]} has {a} * {b} = <<{a}*{b}={a * b}>>{a * b} apples.\n{say(a * b)}\n#### {a * b}"

    ask = "{} buys {} bags of {} apples. How many apples does {} have? Answer in " + language + "."
    points = [("Ann", 3, 8), ("Tom", 5, 9), ("Eve", 4, 6), ("Bob", 7, 3), ("Kim", 2, 9)]
    _, false = false_served(model, [ask.format(n, a, b, n) for n, a, b in points], corroborate=corroborate)
    assert false == 0
