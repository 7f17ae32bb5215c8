"""Who a word problem's names are (``tasks/word/people.py``, ``tasks/word/places.py``), and what an answer leaves
aside (``verify.set_aside``): the rules by which a rename of a name that may be a place's, or whose answer chose by
what it knows of a name, is refused. Served-answer classes that use them are in test_word_served.py."""

from __future__ import annotations

import pytest

from stepcache_core.tasks.word import gate
from stepcache_core.tasks.word.parse import parse_problem
from stepcache_core.tasks.word.people import a_place_unproven, proven
from stepcache_core.tasks.word.places import a_place
from stepcache_core.tasks.word.verify import left_aside, set_aside
from stepcache_core.values import Request


@pytest.mark.parametrize(
    "name, place",
    [
        ("Florence", True),  # Italy, 367,000
        ("Charlotte", True),  # North Carolina
        ("Madison", True),  # Wisconsin
        ("Sofia", True),  # a capital
        ("Georgia", True),  # a US state and a country
        ("Jordan", True),  # a country
        ("Ann", False),  # a town of Myanmar no English reader knows by name
        ("Mary", False),  # likewise, in Turkmenistan
        ("Tom", False),
        ("Olivia", False),
    ],
)
def test_a_place_is_a_city_a_reader_of_english_may_know_a_state_or_a_country(name, place):
    assert a_place(name) is place


@pytest.mark.parametrize(
    "question, shown",
    [
        ("Madison has 5 pens. She buys 3 more. How many pens does Madison have?", {"Madison"}),
        ("Madison, who has 5 pens, buys 3 more. How many pens does Madison have?", {"Madison"}),
        ("Ann's friend Madison has 5 pens and buys 3 more. How many pens does Madison have?", {"Madison"}),
        ("Madison and her mom have 5 pens and buy 3 more. How many pens do they have?", {"Madison"}),
        ("Madison can eat 4 pieces a day. How many pieces does Madison eat in 3 days?", {"Madison"}),
        ("Tom has 18 pens. Madison has half as many pens as Tom. How many pens does Madison have?", {"Madison"}),
        # a pronoun two names may take, a place's family-run hotels, a clause that compares someone else
        ("Emma pays 40 dollars a night. Florence is where she stays for 3 nights. How much does Emma pay?", set()),
        ("Emma stays at one of Florence's family-run hotels for 3 nights at 40 dollars. How much does she pay?", set()),
        (
            "Florence is where Emma stays, paying 40 dollars a night for 3 nights, more than Tom pays. How much does Emma pay?",
            set(),
        ),
        ("Florence is where Ann stays for 3 nights at 40 dollars a night. How much does Ann pay?", set()),
        # in a question that speaks of an animal, every proof above fits a pet too ("Madison" may be one); not a
        # hot dog
        ("A shop sells cat food at 7 dollars a bag. Madison eats 4 bags a month. How much does Madison's food cost?", set()),
        ("Madison, who sleeps all day, has 2 dogs and buys 3 more. How many dogs does Madison have?", set()),
        ("Madison has 5 hot dogs. She buys 3 more. How many hot dogs does Madison have?", {"Madison"}),
    ],
)
def test_a_person_is_shown_by_more_than_where_a_name_stands(question, shown):
    problem = parse_problem(Request(question))
    assert {n for n in problem.names if n in ("Madison", "Florence", "Emma")} & set(
        proven(question, problem.names) or ()
    ) == shown


def test_no_person_is_shown_in_another_language():
    question = "Florence est la ville où Léa reste 3 nuits à 40 dollars la nuit. Combien Léa paie-t-elle ?"
    problem = parse_problem(Request(question))
    assert proven(question, problem.names) is None
    assert a_place_unproven(question, problem.names, ("Florence",)) == "Florence"


@pytest.mark.parametrize(
    "question, answer, aside",
    [
        # an amount the answer chose against, written as its own kind or not
        (
            "Hotels charge 41 dollars a night in Europe and 23 elsewhere. Ann stays 3 nights in Rome. How much does Ann pay?",
            "Ann pays 3 * 41 = 123 dollars.\n#### 123",
            "23",
        ),
        (
            "Hotels charge 41 dollars per night in Europe and a flat 23-dollar fee elsewhere. Ann stays 3 nights in "
            "Rome. How much does Ann pay?",
            "Ann pays 3 * 41 = 123 dollars.\n#### 123",
            "23",
        ),
        # the span a rate is given for, in a unit no amount taken has: no choice
        (
            "80 kernels pop in the first 16 seconds, then three times that amount in the next 16 seconds. How many kernels pop?",
            "3 * 80 = 240 kernels pop next.\n80 + 240 = 320 kernels pop.\n#### 320",
            None,
        ),
        # every amount taken
        (
            "Ann buys 3 shirts at $12 each and pays with a $50 bill. How much change does Ann get?",
            "Ann spends 3 * 12 = 36 dollars.\nThe change is 50 - 36 = 14 dollars.\n#### 14",
            None,
        ),
    ],
)
def test_an_amount_set_aside_is_one_no_computation_takes(question, answer, aside):
    assert set_aside(parse_problem(Request(question)), answer) == aside
    assert left_aside(parse_problem(Request(question)), answer) == ([aside] if aside else [])


def test_every_amount_set_aside_is_listed():
    question = "Hotels charge 41 dollars a night in Europe, 23 in Asia and 17 elsewhere. Ann stays 3 nights in Rome. How much?"
    assert left_aside(parse_problem(Request(question)), "Ann pays 3 * 41 = 123 dollars.\n#### 123") == ["23", "17"]


@pytest.mark.parametrize(
    "question, branch",
    [
        ("Annas Reise dauert 6 Tage ab Donnerstag. Sie bekommt 5 Punkte am Samstag. Wie viele Punkte?", True),
        ("Le voyage de Léa dure 6 jours à partir du jeudi, 5 points par jour. Combien de points gagne-t-elle ?", True),
        ("Ann leaves on Thursday for a trip of 6 days and earns 5 points a day. How many points does she earn?", True),
        ("Ann leaves on Thursday for a six-day trip and earns 5 points a day. How many points does she earn?", True),
        ("Il travaille du lundi au vendredi, 8 heures par jour, pendant 3 semaines. Combien d'heures travaille-t-il ?", True),
        ("Ann's trip runs from Thursday for 3 full days, 5 points a day and 8 more on Saturday and Sunday. How many?", True),
        # a weekday said once as when something happens, a count per week, the days named and then counted
        ("On Sunday he sold 28 boxes. On Monday he sold 11 more. How many boxes did he sell in two days?", False),
        ("Am Sonntag kauft Anna 5 Äpfel und 3 Birnen. Wie viel Obst hat sie?", False),
        ("On Friday he exercised for 37 minutes. He goes to class for 5 days a week. How long?", False),
    ],
)
def test_a_weekday_beside_a_span_of_days_is_a_branch_in_every_language_read(question, branch):
    problem = parse_problem(Request(question))
    assert gate._branches(question, problem.quantities) is branch
