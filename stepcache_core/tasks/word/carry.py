"""What a reused answer to a word problem may still say of the cached question."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from fractions import Fraction
from functools import lru_cache

from ...values import Step, Verdict
from ..regex import alternation
from .adapt import inflected, plural, question_map
from .gate import asks_who_or_which, foreign_numbers
from .gender import given_name, unlicensed
from .numbers import CALENDAR, ORDINAL_VALUES, ORDINAL_WORD, quantities, to_fraction
from .parse import WordProblem, names_in
from .read import GRADED, comparisons, computations, final_answer, graded_forms
from .verify import line_numbers

__all__ = ["WordCarryover"]


# a grade in the gate's other languages, as the graded adjectives (:data:`~.read.GRADED`) are in English: a superlative or a
# comparative with its article ("la más llena", "la plus pleine", "die größte", "la più piena", "a mais cheia", "de
# grootste"), and the plain forms of the common graded adjectives ("la caja grande", "die volle Kiste"); not the
# forms English writes too ("grand total", "a tennis court", "lent", the name "Cara")
_GRADED_ABROAD = (
    r"(?:el|la|los|las|lo|le|les|il|i|gli|o|a|os|as|de|het)\s+(?:más|menos|plus|moins|più|meno|mais|meest|minst)|"
    r"(?:el|la|los|las|lo)\s+(?:mayor|menor|mejor|peor)(?:es)?|"
    r"(?:größt|kleinst|höchst|niedrigst|längst|kürzest|ältest|jüngst|billigst|teuerst|schnellst|langsamst|"
    r"schwerst|leichtest|meist|wenigst|best|schlechtest|vollst|leerst)e[nrms]?|"
    r"(?:größer|kleiner|höher|länger|kürzer|älter|jünger|billiger|teurer|schneller|langsamer|schwerer|leichter|"
    r"besser|schlechter|voller|leerer)(?:e[nrms]?)?|"
    r"(?:groß|klein|lang|kurz|billig|schnell|langsam|schwer|leicht|voll|leer)(?:e[nrms]?)?|teure[nrms]?|"
    r"grandes?|pequeñ[oa]s?|larg[oa]s?|cort[oa]s?|alt[oa]s?|baj[oa]s?|viej[oa]s?|jóvenes|joven|barat[oa]s?|caros?|"
    r"rápid[oa]s?|lent[oa]s?|pesad[oa]s?|liger[oa]s?|llen[oa]s?|vací[oa]s?|menor(?:es)?|mejor(?:es)?|peor(?:es)?|"
    r"grands|petite?s?|longues?|courtes?|hautes?|basses?|vieux|vieilles?|jeunes?|chères?|cher|rapides?|lourde?s?|"
    r"légère?s?|pleine?s?|vides?|meilleure?s?|pires?|"
    r"piccol[oaie]|lunghi|lunghe|pien[oaie]|vuot[oaie]|maggiori?|minori?|migliori?|peggiori?|"
    r"pequen[oa]s?|curt[oa]s?|velh[oa]s?|chei[oa]s?|vazi[oa]s?|maior(?:es)?|melhor(?:es)?|pior(?:es)?|"
    r"grootste|kleinste|groot|grote|kort|korte|goedkope?|volle|lege"
)


# a rank said as what someone is, with no noun after it ("Hugo is second.", "Gwen first, Hugo second", "Ana es
# la primera."), in the languages the gate reads: an ordinal after a word (not "First, find ..." opening a sentence,
# nor "the first week") and before the clause ends
_ORDINALS = (
    r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|\d+(?:st|nd|rd|th)|"
    r"primer[oa]?|segund[oa]|tercer[oa]?|[uú]ltim[oa]|premi[eè]re?|deuxi[eè]me|troisi[eè]me|derni[eè]re?|"
    r"erste[rn]?|zweite[rn]?|dritte[rn]?|letzte[rn]?|prim[oa]|second[oa]|terz[oa]|primeir[oa]|terceir[oa]|eerste|"
    r"tweede|derde|laatste"
)
_RANK_SAID = rf"(?<=[^\W\d_]\s)(?:{_ORDINALS})(?=[ \t]*(?:[.,;:!?)\n]|$))"


# words that compare values or state a property of one: a claim about the numbers that no computation states. By
# class: a comparative or superlative, a comparison said as a verb ("outearns", "is ahead of", "beats"), a rank
# ("comes second", "first place", "the top earner"), a ratio in words ("twice as many", "half as much", "a third
# of"), a verdict on a sign or a budget ("makes a loss", "in the red", "plenty left"), a landmark the value is set
# against ("over an hour", "well over a dozen", "just under $100"), a property (even, prime), a branch (within the
# limit, waived), and a comparison in the languages the gate reads ("gana más que", "verdient mehr als")
_CLAIM = alternation(
    r"\b(?:more|less|fewer|" + graded_forms() + r"|than|exceeds?|exceeded|exceeding|most|least|fewest|enough|"
    r"afford|affordable|even|odd|positive|negative|prime|round|rounded|rounds|nearest|integer|divisible|short|surplus|"
    r"deficit|limit|limits|limited|within|reach|reaches|reached|waived|free|minimum|maximum|winner|wins|won|loses|"
    r"winning|losing|leading|trailing|"
    r"lost|instead|otherwise|above|below|beyond|capped|exactly|"
    r"ahead|behind|in\s+the\s+lead|takes?\s+the\s+lead|(?:is|are|was|were)\s+leading|trail(?:s|ing|ed)?\s+(?:by|behind)|"
    # who leads, in the languages the task reads ("Bob leads with 9", "the max is Bob's", "va en cabeza", "liegt
    # vorne", "mène", "in testa", "lidera")
    r"lead(?:s|ing)?\s+(?:with|by)|the\s+max|(?:en|a\s+la)\s+cabeza|lidera\w*|vorne?|führt|führen|en\s+tête|mène|"
    r"in\s+testa|na\s+frente|"
    # a share judged ("the majority", "a minority", "la mayoría", "die Mehrheit") and a parity in French, whose
    # "pair" is read as a count of 2 ("un nombre pair")
    r"majority|minority|mayor[ií]a|minor[ií]a|Mehrheit|Minderheit|majorité|minorité|maggioranza|minoranza|maioria|"
    r"nombres?\s+(?:im)?paire?s?|"
    # a parity in other languages ("24 är ett jämnt tal", "liczba parzysta", "çift sayı", "άρτιος", "सम संख्या",
    # "четное", "偶数"), where a word that also means "equal" or "single" is read only beside its noun
    r"jämn[at]?|udda|ulige|partall|oddetall|(?:nie)?parzyst\w*|(?:çift|tek)\s+say\w*|άρτι\w*|περιττ\w*|"
    r"(?:सम|विषम)\s+संख्य|(?:не)?чётн\w*|(?:не)?четн\w*|sud[ýáé]|lich[ýáé]|páros|páratlan|parillinen|pariton|"
    r"genap|ganjil|偶数|奇数|짝수|홀수|ungerade\w*|gerade\s+Zahl\w*|impar(?:es)?|n[úu]meros?\s+pa(?:r|res)\b|"
    r"dispari|numer[oi]\s+pari|even\s+getal|oneven|"
    # a share said as a part ("la quinta parte", "las tres cuartas partes", "a terça parte", "la terza parte")
    r"[^\W\d_]+\s+partes?|"
    r"lag(?:s|ging|ged)?\s+behind|out(?:earn|scor|number|sell|sold|perform|pac|run|spen|grow|last|weigh|do|did)\w*|"
    r"beat(?:s|en)?(?!\s+(?:per|a\s+minute|each|every))|surpass\w*|overtak\w*|topped|edges?\s+out|"
    r"(?:first|second|third|fourth|fifth|last)\s+(?:place|prize|spot|position)|runner-?up|champions?|"
    r"(?:number|no\.?)\s+(?:one|1)|" + _RANK_SAID + r"|(?:comes?|came|finish(?:es|ed)?|ranks?|ranked|"
    r"places?|placed)\s+(?:(?:out|in|up)\s+)?(?:first|second|third|fourth|fifth|last|top|bottom)|"
    r"(?:top|bottom)\s+(?:earner|scorer|seller|spot|rank|performer|player|student|team|of\s+the\s+(?:class|list|table))s?|"
    r"twice|thrice|double[ds]?|doubling|triple[ds]?|tripling|quadruple[ds]?|halved?|halves|half\s+(?:as|of)|"
    r"(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\s+times\s+(?:as|more|less|fewer|the|what|that|his|her|"
    r"their|its|[A-Z]\w*'s)|"
    r"(?:a|one|two)\s+(?:third|quarter|fifth)s?\s+(?:as|of)|(?:two|three|four|five|ten|hundred|many)-?fold|"
    r"(?:just|well|slightly|a\s+bit|a\s+little)\s+(?:over|under|above|below)|"
    r"equally|evenly|"
    r"(?:a|at\s+a|in)\s+(?:loss|profit|gain)|break(?:s|ing)?\s+even|broke\s+even|in\s+the\s+(?:red|black)|"
    r"plenty|ample|sufficient|insufficient|too\s+(?:much|many|few|little)|(?:over|under|within)\s+budget|owes?|"
    r"only\s+(?:a\s+)?(?:little|few|bit|handful)|a\s+lot|lots\s+of|not\s+(?:many|much)|"
    # a number judged small or large as it is said ("Only 18 - 6 = 12 are left", "just 4", "a full 18", "solo le
    # quedan 3", "nur noch 3", "il n'en reste que 3"), in the languages the task reads
    r"measly|paltry|meager|meagre|as\s+(?:few|little)\s+as|"
    r"(?:only|just|merely|mere|solo|sólo|solamente|nur|bloß|lediglich|seulement|soltanto|apenas|somente|slechts)\s+"
    r"(?:[^\W\d_]+\s+){0,2}(?=[$€£¥]?\d)|(?:a\s+)?(?:full|whole|whopping)\s+(?=[$€£¥]?\d)|"
    r"n(?:e\s+|['’])(?:[^\W\d_]+\s+){1,3}que\s+(?=[$€£¥]?\d)|barely|hardly|scarcely|mostly|(?:nearly|almost)\s+"
    r"all|(?:is|are|was|were)\s+(?:over|under)|"
    r"(?:over|under|about|around|nearly|almost|roughly|approximately|just|well|not|is|are|was|were|isn't|wasn't|"
    r"makes?|made|equals?|reaches|precisely)\s+(?:a|an|one|half\s+an?)\s+"
    r"(?:hour|day|week|month|year|dozen|hundred|thousand|million|minute|mile|kilo\w*|met(?:er|re)|lit(?:er|re)|"
    r"pound|dollar|euro|foot|yard|gallon|ton)s?|"
    r"(?:más|menos)\s+(?:[^\W\d_]+\s+)?que|(?:mehr|weniger)\s+(?:[^\W\d_]+\s+)?als|(?:plus|moins)\s+"
    r"(?:[^\W\d_]+\s+)?que|(?:più|meno)\s+(?:[^\W\d_]+\s+)?(?:di|che)|(?:mais|menos)\s+(?:[^\W\d_]+\s+)?"
    r"(?:que|do\s+que)|(?:meer|minder)\s+(?:[^\W\d_]+\s+)?dan|am\s+meisten|le\s+plus|il\s+più|o\s+mais|"
    r"het\s+meest|"
    # a count judged by a quantifier ("from his few snacks", "after eating a few of them", "many of them", "a
    # handful", "several", "viele", "pocos"): the model says "most" past half, which no computation states
    r"(?:a\s+)?few|many|several|numerous|countless|a\s+(?:little|handful|couple|bunch|fraction)|(?:tons|loads|heaps)\s+of|"
    r"the\s+bulk|a\s+number\s+of|dozens|(?:nearly|almost)\s+(?:all|every)|"
    r"poc[oa]s|much[oa]s|peu|beaucoup|wenige|viele|poch[ie]|molt[ie]|pouc[oa]s|muit[oa]s|weinig|veel|"
    r"algun[oa]s|unas?\s+cuant[oa]s|vari[oa]s|alcun[ie]|un\s+paio|parecchi[ie]|algum[ao]s|umas?\s+quant[ao]s|"
    r"v[áa]ri[ao]s|la\s+maggior\s+parte|enkele|de\s+meeste|een\s+paar|verscheidene|quelques|plusieurs|"
    r"la\s+plupart|einige|die\s+meisten|ein\s+paar|mehrere|" + _GRADED_ABROAD + r"|"
    # a time judged against the numbers, said of what someone is ("Mia will already be 12", "is still 12", "no
    # longer a child"; not the story's "she still needs to write", "eggs still in the yard"), and a verdict in a
    # word ("Answer: No, Ivy has $5 left."), in the languages the task reads
    r"(?:will|would|is|are|was|were|be|'s|’s)\s+(?:still|already|yet)|(?:still|already)\s+(?:be|is|are|was|were)|"
    r"no\s+longer|anymore|(?:es|está|será|ist|wird|est|sera|è|sarà|é|is|wordt)\s+(?:todavía|aún|ya|noch|schon|"
    r"bereits|encore|déjà|ancora|già|ainda|já|nog|al)|(?:todavía|aún|ya|noch|schon|bereits|encore|déjà|ancora|già|"
    r"ainda|já|nog)\s+(?:es|está|será|ist|wird|est|sera|è|sarà|é|is)|"
    r"(?:yes|no|sí|ja|nein|oui|non|sì|sim|não|nee)(?=\s*[,.!;:]|\s*$))\b",
    re.IGNORECASE,
)


# a number said as near another it stands for ("about 1.5 meters", "≈ 33", "roughly $40", "just under 2",
# "which rounds to 1.3", "etwa 12", "environ 3"): how far the model rounds is its own, and one point does not show it
# ("about 1.25" or "about 1.2" at 5/4)
_APPROXIMATE = re.compile(
    r"(?:\b(?:about|approximately|approx\.?|roughly|around|nearly|almost|circa|ca\.|close\s+to|just\s+(?:under|over|"
    r"below|above)|a\s+(?:bit|little)\s+(?:under|over|more\s+than|less\s+than)|rounds?\s+(?:up\s+|down\s+)?to|"
    r"rounded\s+(?:up\s+|down\s+)?to|etwa|ungefähr|rund|knapp|environ|presque|à\s+peu\s+près|aproximadamente|"
    r"casi|unos|unas|quasi|ongeveer|bijna|cerca\s+de|in\s+the\s+region\s+of|alrededor\s+de|autour\s+de|"
    r"por\s+volta\s+de|all['’]incirca|zo['’]n|some|in\s+the\s+neighbou?rhood\s+of|on\s+the\s+order\s+of|"
    r"rounding\s+gives|approssimativamente|pakweg|approximativement|quelques?|quase)\s+|[≈~∼≃≅≒]\s*)"
    r"(?:[$€£]\s*)?(\d[\d,]*(?:\.\d+)?)|"
    # ("1.25 meters or so", "1.3 give or take", "1,3 ungefähr")
    r"(\d[\d,]*(?:\.\d+)?)(?:\s+[^\W\d_]+){0,2},?\s+(?:or\s+so|give\s+or\s+take|more\s+or\s+less|or\s+thereabouts|"
    r"ungefähr|environ|circa|all['’]incirca|aproximadamente|ongeveer)\b",
    re.IGNORECASE,
)
# an emoji or a pictograph: a mood or a verdict on the numbers no check reads
_PICTOGRAPH = re.compile(r"[\u231a\u231b\u23e9-\u23fa\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff]")


class WordCarryover:
    """A cached name that the new question does not have, or a number written in words whose value changed
    ("she sold half" when the new question says a third), is stale. So is a whole answer the adapter left as it
    was (it refused) when the question's numbers changed: its old numbers may all be numbers of the new question
    too ("4 + 3 + 4" for 7, 4 and 3 pizzas), and would verify there by coincidence.

    When the numbers changed, a reused line that compares values or states a property of one in words the
    question does not use ("She spent more than she kept", "an even number", "so she can afford it") makes a claim
    no computation checks, and which the new numbers may make false: that line is stale. So does a line that
    states which branch applies ("within the limit", "reaches $20, so shipping is waived", "Ann is the winner",
    "Rounded"). Restating the question's own words ("5 fewer cards than he has") is not: the gate keeps them."""

    def stale(
        self, old: WordProblem, new: WordProblem, cached: Sequence[Step], steps: Sequence[Step], text: str
    ) -> list[Verdict]:
        gone = [n for n in old.names if n not in new.names]
        changed = question_map(old, new)
        found = []
        moved = any(a.value != b.value for a, b in zip(old.quantities, new.quantities, strict=False))
        if moved and computations_of(cached) and [s.text for s in steps] == [s.text for s in cached]:
            found.append(Verdict(False, "the cached answer could not be re-derived for the new numbers", step=None))
        asked = _bigrams(new.prompt)
        now_values = set(new.values) | _results_of(steps)  # the values the reused answer has (the question's, its results)
        results = _results_of(cached)
        counted = _stems(new.prompt)
        fresh = all(s.origin == "generated" for s in steps)  # the model's own whole answer, not a patch beside cached lines
        allowed = _NARRATION | _stems(new.prompt) | _stems(" ".join(new.names))
        sided = _SIDES_SAID.search(new.prompt) is not None
        two_moved = any(a.value == 2 != b.value for a, b in zip(old.quantities, new.quantities, strict=False))

        @lru_cache(maxsize=1)
        def moved_away() -> frozenset[Fraction]:
            # the values a number of the question or a result had that moved in the reused answer: a word said of
            # one ("on the ninth day" after 63 / 7 = 9) is said of the old value even where the new question has it
            # too (9 pages a day): "in now" by coincidence (read only where a line says a number in words)
            return _moved_away(cached, steps, old, new)

        if moved and asks_who_or_which(new.prompt):
            # "Who has more marbles, Ann or Bob?": "Ann has more marbles." is the question's own words at any numbers,
            # and the amounts it weighs may be the answer's own (41 boxes of 2 against 23 bags of 3), whose order no
            # check reads; nor does one tell which comparison the answer states is the one its verdict follows ("Ann
            # has more boxes, 27 > 21." holds while the marbles trade places)
            found.append(Verdict(False, "the question asks who or which, a verdict the new numbers may turn", step=None))
        for step in steps:
            if moved and step.origin in ("cached", "adapted"):
                claim = next((m.group() for m in _CLAIM.finditer(step.text) if _claims(step.text, m, asked, new)), None)
                if claim is None:
                    claim = _foreign_number(step.text, new.prompt)
                if claim is None:
                    claim = _unread_clause(step.text, allowed, units=lambda: _counted(tuple(cached)))
                if claim is None:  # "16 years old and still a minor", "so in 4 years Ann cannot yet vote"
                    claim = _unread_clause(step.text, allowed, tails=True, also=lambda: _counted(tuple(cached)))
                if claim is None:  # "a long 8-hour shift", "so Ann can buy another book at 40 dollars"
                    claim = _qualified(step.text, allowed) or _able(step.text, asked)
                if claim is None and _ANSWER_LINE.match(step.text):
                    # "Answer: Eva will be in middle school at age 19.", "Answer: a teenager of 12": an answer line
                    # says its number and what it counts; any other word of it is said of the numbers
                    claim = _unread_answer(step.text, allowed, lambda: _counted(tuple(cached)))
                if claim is None and (near := _approximate(step.text, new.prompt)) is not None:
                    claim = near  # "about 1.5 meters" of 3/2, where the model rounds 5/4 to "about 1.2"
                if claim is None and (picture := _PICTOGRAPH.search(step.text)) is not None:
                    claim = picture.group()  # "30 dollars 👍" where 120 gets "🎉", "✅" within the budget
                if claim is not None:
                    found.append(Verdict(False, f"says {claim!r} of the cached numbers, which no check reads", step=step.index))
                elif _unread_comparison(step.text):
                    found.append(Verdict(False, "compares numbers in a form no check reads", step=step.index))
                elif not sided and (side := _SIDE.search(step.text)) is not None:
                    # "The length is 37 inches" of "a mat 37 inches by 52 inches": the longer side, which the new
                    # numbers may make the other one
                    found.append(Verdict(False, f"says {side.group()!r}, a side the new numbers may swap", step=step.index))
            if moved and step.origin in ("cached", "adapted"):
                stated = _said_of_old(step, cached, results, old, new, now_values, asked, counted, moved_away)
                if stated is not None:
                    found.append(Verdict(False, f"says {stated!r} of the cached numbers, which no check reads", step=step.index))
            if old.names != new.names and step.origin in ("cached", "adapted"):
                # "Kate buys..." for Katherine, renamed Elizabeth: a form of a name the rename does not reach
                # the names the parser reads, and a capitalised word inside a sentence ("Then Will pays"); one that
                # starts a sentence is a name only as the parser reads it ("Tomorrow, ...")
                inside = re.findall(r"(?:(?<=[^\W\d_],\s)|(?<=[^\W\d_]\s))[A-Z][a-z]+\b", step.text)
                said = [w for _, _, w in names_in(step.text)] + inside
                other = next((w for w in said if w.casefold() not in _SMALL and _other_name(w, old, new)), None)
                if other is not None:
                    found.append(Verdict(False, f"names {other}, whom neither question names", step=step.index))
            if old.names != new.names and step.origin in ("cached", "adapted"):
                was = cached[step.index].text if step.index < len(cached) else ""
                form = _name_in_form(step.text, was, old, new)
                if form is not None:
                    found.append(Verdict(False, f"writes {form!r}, a name in a form the rename does not reach", step=step.index))
            if moved and step.origin == "adapted" and step.index < len(cached):
                agreeing = _agreement(cached[step.index].text, step.text, f"{new.prompt}\n{old.prompt}")
                if agreeing is not None:
                    found.append(Verdict(False, f"writes {agreeing!r}, a noun whose form follows the count", step=step.index))
            if step.origin in ("cached", "adapted") and (word := unlicensed(old, new, step.text)) is not None:
                found.append(Verdict(False, f"says {word!r} of someone renamed into another gender", step=step.index))
            for name in gone:
                if re.search(rf"\b{re.escape(name)}\b", step.text):
                    found.append(Verdict(False, f"names {name}, who is not in the new question", step=step.index))
                elif re.search(rf"(?<![^\W\d_]){re.escape(name[0])}\.", step.text) and name[0] not in new.prompt:
                    # "K. buys 15 eggs" for Katherine, renamed Elizabeth: her initial stays hers
                    found.append(Verdict(False, f"writes {name}'s initial, who is not in the new question", step=step.index))
                elif name[0] not in {n[0] for n in new.names} and _unknown_named(step.text, name[0]):
                    # "Let A be the number of balls Ann buys ... 109 + A = 182" renamed Sue: the model names the
                    # unknown after the person ("S" for Sue)
                    found.append(Verdict(False, f"writes {name}'s initial as an unknown", step=step.index))
            # a number in words the adapter wrote for the new question ("Two years from now" for "in two years",
            # where the cached line said "Five") is the new value, not a stale one
            before = Counter(_said(cached[step.index].text) if step.index < len(cached) else ())
            for q in quantities(step.text):
                if q.kind != "word" or q.value not in changed or changed.get(q.value) == q.value:
                    continue
                if step.origin == "adapted" and Counter(_said(step.text))[q.text.casefold()] > before[q.text.casefold()]:
                    continue
                if fresh and any(
                    o.kind == "word" and o.value == q.value and o.text.casefold() == q.text.casefold() for o in new.quantities
                ):
                    continue  # the model's own answer repeating the new question's words ("one quarter" of both)
                found.append(Verdict(False, f"says {q.text!r}, which the new question changed", step=step.index))
            if two_moved and step.origin in ("cached", "adapted") and (pair := _TWO_SAID.search(step.text)) is not None:
                # "Both friends get 7 stickers each" where the question's 2 friends are 3 now: a count of two said in
                # a word no number reads
                found.append(Verdict(False, f"says {pair.group()!r}, a count of two the new question changed", step=step.index))
            if step.origin == "adapted" and (pair := _ALL_TWO.search(step.text)) is not None:
                # "All three friends" re-derived for two: English says "both", and "twice a week"
                found.append(Verdict(False, f"writes {pair.group()!r}, where a count of two is said otherwise", step=step.index))
        return found


def _name_in_form(text: str, was: str, old: WordProblem, new: WordProblem) -> str | None:
    """A renamed person's name in a form of its own that the rename leaves as it was or gets wrong (``text``: the
    reused line, ``was``: the cached line it comes from): inflected ("Annan omenat", "Piotra", "Burak'ın", "Zakupy
    Ewy" of Ewa: a case ending, not English's "'s"), inside a handle or an address ("ann7", "ann@shop.com"), or next
    to a word whose form follows the name's first sound (French "de Anne" for "d'Anne", Spanish "y Ignacio" for
    "e Ignacio")."""
    names = set(old.names) | set(new.names)
    for a, b in zip(old.names, new.names, strict=False):
        if a == b:
            continue
        names |= {a + "s", plural(a)}  # the forms the rename writes anew ("Avas plant giveaway", "the Joneses")
        if plural(b) != b + "s" and re.search(rf"\b{re.escape(a)}s\b", was):
            return b + "s"  # "the Smiths" renamed Jones: a possessive ("Joness") or a family ("the Joneses")?
        for m in re.finditer(rf"\b{re.escape(a)}[^\W\d_]+|\b{re.escape(b)}['\u2019](?![sS]\b)[^\W\d_]+", text):
            if m.group() not in names:
                return m.group()
        if len(a) >= 3 and a[-1] in "aeiouy":  # a stem that changes its last vowel ("Ewa", "Ewy"; "Marta", "Marty")
            for m in re.finditer(rf"\b{re.escape(a[:-1])}[^\W\d_]*", was):
                if m.group() not in names:
                    return m.group()
        low = a.casefold()
        for token in re.findall(r"[\w.@+-]*[\d@_][\w.@+-]*", text):
            if low in token.casefold() and token.casefold().strip(".") != low:
                return token
        vowel = re.match(r"(?i)[aeiouàâéèêëîïôûùh]", b) is not None
        if vowel and re.search(rf"(?i)\b(?:de|le|la|que|ne|se|je|me|te|ce|di|lo)\s+{re.escape(b)}\b", text):
            return b
        if not vowel and re.search(rf"(?i)\b(?:d|l|qu|j|m|n|s|t|c)['\u2019]{re.escape(b)}\b", text):
            return b
        # Spanish "and" is "e" before an /i/ sound ("Juan e Ignacio", "e Hilario"): renamed from or into one
        if re.search(rf"\by\s+{re.escape(b)}\b", text) and _I_SOUND.match(b):
            return b
        if re.search(rf"\be\s+{re.escape(b)}\b", text) and _I_SOUND.match(a) and not _I_SOUND.match(b):
            return b
    return None


# a word right after a number ("1 apple", "3 apples", "5 яблок"): a noun or a unit, whose form may follow the count;
# not one of two letters or fewer ("1 kg", "4 on", "2 h"), an abbreviation or a particle that keeps its form
_AFTER_NUMBER = re.compile(r"[ \t\u00a0]*([^\W\d_]{3,})")
# letters of the languages whose nouns take another form past 1 by the last digits of the count, not by 1 alone
# (Russian "2 яблока", "5 яблок", "21 яблоко"; Polish "2 jabłka", "5 jabłek"; Czech, Croatian, Lithuanian,
# Latvian...), and of Arabic (a dual, and other forms from 3 to 10 and from 11 to 99)
_BY_LAST_DIGITS = re.compile(
    r"[\u0400-\u04ff\u010c\u010d\u0106\u0107\u0110\u0111\u0160\u0161\u017d\u017e"
    r"\u011a\u011b\u0158\u0159\u016e\u016f\u0164\u0165\u010e\u010f\u0147\u0148\u013d\u013e\u0139\u013a"
    r"\u0154\u0155\u0104\u0105\u0118\u0119\u0141\u0142\u0143\u0144\u015a\u015b\u0179\u017a\u017b\u017c"
    r"\u0116\u0117\u012e\u012f\u0172\u0173\u016a\u016b\u0100\u0101\u0112\u0113\u012a\u012b\u0122\u0123"
    r"\u0136\u0137\u013b\u013c\u0145\u0146]"
)
# and their small words, for a line with none of those letters ("Anna má nyní 3 jablka", "Ana sada ima 3 jabuke",
# "Ania teraz ma 3 koty", "Ana ima zdaj 2 jabolki"), Polish "ma" before a count and its genitive plural ("kotów")
_BY_LAST_DIGITS_WORDS = re.compile(
    r"\b(?:má|mají|nyní|teď|celkem|takže|jsou|také|ima|imaju|imajo|sada|ukupno|zato|mają|teraz|razem|więc|"
    r"są|jest|też|zdaj|skupaj|torej|tudi|dakle|ili|kolik|koliko|ile)\b|\bma\s+\d|[^\W\d_]ów\b",
    re.IGNORECASE,
)
_ARABIC = re.compile(r"[\u0600-\u06ff]")
# French and Portuguese, whose singular takes every count below two
_BELOW_TWO = re.compile(
    r"\b(?:les|des|est|une|reste|restent|il|elle|du|aux|pour|avec|dans|chaque|de|la|le|et|sont|ont|uma|um|os|são|"
    r"sobra|sobram|fica|ficam|não|tem|têm|com|cada)\b",
    re.IGNORECASE,
)


def _count_form(n: Fraction, text: str) -> tuple[object, ...]:
    """What decides the form of a noun counted by ``n`` in ``text``'s language, finer than any one language's
    rules where the script or letters cannot tell which (the plural categories of Unicode CLDR): one or not; for
    the languages of :data:`_BY_LAST_DIGITS`, whole or not (a genitive singular: "1,5 яблока"), the last digit's
    class, a teen, 2 to 4 (Czech) and a dual (Slovenian); in French and Portuguese, below two or not; and in
    Arabic, 2, 3 to 10 and 11 to 99 by the last two digits."""
    form: tuple[object, ...] = (n == 1,)
    whole = n.numerator // n.denominator
    if _BY_LAST_DIGITS.search(text) or _BY_LAST_DIGITS_WORDS.search(text):
        last = whole % 10
        form += (n.denominator != 1, 0 if last == 0 else 1 if last == 1 else 2 if last <= 4 else 5)
        form += (11 <= whole % 100 <= 19, 2 <= n <= 4, whole % 100 == 2)  # (a dual: Slovenian "2 jabolki")
    if _BELOW_TWO.search(text):
        form += (n < 2,)  # French and Portuguese count 1.5 as one: "1,5 litre", "2,5 litres"
    if _ARABIC.search(text):
        form += (n == 2, 3 <= whole % 100 <= 10, 11 <= whole % 100 <= 99)
    return form


def _unknown_named(text: str, letter: str) -> bool:
    """Whether ``text`` writes ``letter`` (a capital) as an unknown: "Let A be", "A = 182 - 109", "109 + A"."""
    at = re.escape(letter)
    return bool(
        re.search(
            rf"\b(?:[Ll]et|[Cc]all)\s+{at}\b|(?<![^\W\d_]){at}(?![^\W\d_])\s*[=+\-*/×÷]|[=+\-*/×÷]\s*{at}(?![^\W\d_])", text
        )
    )


# a line in another language than English: a small word of one of the languages the task reads, a letter English
# does not write, or no small word of English at all
_FOREIGN_WORDS = re.compile(
    r"\b(?:el|los|las|del|cada|que|es|por|así|queda|quedan|une|les|des|est|reste|lui|gli|che|rimane|rimangono|uma|"
    r"dos|sobra|sobram|der|und|ist|sind|ein|eine|noch|het|een|nog|dus|zijn|och|för)\b|[à-öø-ÿąćęłńśźżčřšž]",
    re.IGNORECASE,
)
_ENGLISH_SMALL = re.compile(
    r"\b(?:the|and|of|is|are|was|were|has|have|had|each|for|with|that|this|will|so|she|he|they|it|in|on|to|"
    r"because|there|left)\b",
    re.IGNORECASE,
)


def _foreign(line: str) -> bool:
    """Whether ``line`` is written in another language than English (see :data:`_FOREIGN_WORDS`)."""
    return bool(_FOREIGN_WORDS.search(line)) or (bool(re.search(r"[^\W\d_]{3}", line)) and not _ENGLISH_SMALL.search(line))


def _agreement(was: str, text: str, questions: str) -> str | None:
    """A number the adapter rewrote in ``text`` (the cached line ``was``) whose next word's form may follow the
    count, where the new count takes another form: "1 apple" re-derived as 3, "3 apples" as 1, "3 яблока" as 5;
    and in a line of another language, any count that takes another form.
    The reuse is refused, unless the adapter wrote the noun in the new count's form where it can tell it (English,
    a form ``questions`` write where a count fixes it: see :func:`~.adapt.inflected`)."""
    before, after = line_numbers(was), line_numbers(text)
    if len(before) != len(after):
        return None
    operands: set[tuple[int, int]] | None = None
    for a, b in zip(before, after, strict=True):
        if a.value == b.value or b.percent:
            continue
        word = _AFTER_NUMBER.match(text, b.end)
        if word is None and _count_form(a.value, was) != _count_form(b.value, text) and _foreign(text):
            operands = operands if operands is not None else {(n.start, n.end) for c in computations(text) for n in c.operands}
            if (b.start, b.end) in operands:
                continue
            # a word elsewhere in the line may agree with a count (not an operand), in a language whose forms no
            # check here writes: a verb before it ("así que queda 9 - 3 = 6": "quedan"; "rimane", "sobra", "er is
            # nog", "został")
            return text[b.start : b.end]
        if word is not None and _count_form(a.value, was) != _count_form(b.value, text):
            noun = inflected(was, a.start, a.end, a.value, b.value, questions)
            if noun is not None and word.group(1) == noun[2]:
                continue  # "2 days" written "1 day"
            return text[b.start : word.end()]
    return None


# a unit said as one of it ("The trip takes a week.", "She reads for an hour.", "**Answer: a liter**"), and what one
# of it is in the smaller units an answer counts in: a result or a number of the question said so (7 days, 60
# minutes, 1000 ml) is said of the old value, which no adapter rewrites
_ONE_UNIT = re.compile(
    r"\b(?:a|an|one)\s+(?:(?:full|whole|single|entire)\s+)?(seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|"
    r"years?|decades?|century|centuries|met(?:er|re)s?|kilomet(?:er|re)s?|centimet(?:er|re)s?|kilo(?:gram)?s?|lit(?:er|re)s?|"
    r"gallons?|quarts?|pints?|foot|feet|yards?|miles?|pounds?|dollars?|euros?|tons?|tonnes?)\b",
    re.IGNORECASE,
)
_UNIT_SIZES: dict[str, frozenset[int]] = {
    "minute": frozenset({60}),
    "hour": frozenset({60, 3600}),
    "day": frozenset({24, 1440}),
    "week": frozenset({7, 168}),
    "fortnight": frozenset({14}),
    "month": frozenset({4, 28, 30, 31}),
    "year": frozenset({12, 52, 365}),
    "decade": frozenset({10}),
    "century": frozenset({100}),
    "meter": frozenset({100, 1000}),
    "kilometer": frozenset({1000}),
    "centimeter": frozenset({10}),
    "kilogram": frozenset({1000}),
    "kilo": frozenset({1000}),
    "liter": frozenset({1000}),
    "gallon": frozenset({4, 8, 128}),
    "quart": frozenset({2, 32}),
    "pint": frozenset({2, 16}),
    "foot": frozenset({12}),
    "yard": frozenset({3, 36}),
    "mile": frozenset({1760, 5280}),
    "pound": frozenset({16, 100}),
    "dollar": frozenset({100}),
    "euro": frozenset({100}),
    "ton": frozenset({1000, 2000}),
    "tonne": frozenset({1000}),
}
# before such a unit: a rate or a constant ("$10 an hour", "100 km a day", "60 minutes in an hour"), or a share of
# it ("half an hour", "a quarter of an hour": read as numbers in words)
_RATE_BEFORE = re.compile(r"(?:\d[\d.,]*\s*(?:[^\W\d_]+\s+){0,2}|\b(?:per|half|of)\s+)$", re.IGNORECASE)


def _unit_key(word: str) -> str:
    word = word.casefold().replace("metre", "meter").replace("litre", "liter")
    if word in ("feet", "foot"):
        return "foot"
    if word in ("century", "centuries"):
        return "century"
    return word[:-1] if word.endswith("s") else word


def _one_unit(
    text: str, had: set[Fraction], now: set[Fraction], away: Callable[[], frozenset[Fraction]], prompt: str
) -> str | None:
    """A unit said as one of it (:data:`_ONE_UNIT`) where the old answer or question had that one in a smaller unit
    or counted it ("700 / 100 = 7 days" and "The trip takes a week.") and the new one does not: not a rate or a
    constant the line states, nor the question's own words."""
    plain = re.sub(r"<<[^<>]*>>", " ", text)
    for m in _ONE_UNIT.finditer(plain):
        if _RATE_BEFORE.search(plain[max(0, m.start() - 40) : m.start()]) or re.search(
            rf"\b{re.escape(' '.join(m.group().split()))}\b", " ".join(prompt.split()), re.IGNORECASE
        ):
            continue
        sizes = _UNIT_SIZES.get(_unit_key(m.group(1)), frozenset()) | {1}
        if any(Fraction(v) in had and (Fraction(v) not in now or Fraction(v) in away()) for v in sizes):
            return m.group()
    return None


_I_SOUND = re.compile(r"(?:I|Hi)(?![aeou])")
# a category said of someone or something: a copula, perhaps "still" or "now", an indefinite article and a noun
# ("will be a teenager", "is still a child", "será un adolescente", "est une adulte", "wird ein Erwachsener")
_CATEGORY = re.compile(
    r"\b(?:be|is|are|was|were|becomes?|became|ser[áa]?|es|son|est|sera|devient|ist|sind|wird|werden|è|sarà|é|"
    r"zijn|wordt)\s+(?:(?:still|now|already|then|finally|todavía|ya|entonces|encore|déjà|alors|noch|schon|dann|"
    r"ancora|già|allora|ainda|então|nog|dan)\s+)?(?:a|an|un|una|une|ein|eine|einen|uno|um|uma|een)\s+"
    # (past an age or a measure said as one word: "will be a 12-year-old teenager")
    r"(?:\d+(?:-[^\W\d_]+)+\s+)?([^\W\d_]+)"
    # and a noun after an age said as one word, with no verb at all ("Answer: 12-year-old teenager")
    r"|\b\d+-years?-old\s+([^\W\d_]+)",
    re.IGNORECASE,
)
# one symbol drawn again and again: a count in emoji or tally marks ("🐱🐱🐱", "||||"); not a layout's marks
# (markdown's "**", "---", "==", "##", "~~", "``", an ellipsis, "!!")
_DRAWN = re.compile(r"([^\w\s*\-=_#~`.,;:!?'\"()\[\]{}<>/\\$%&+^@])(?:[ \t\u200d\ufe0f]*\1)+")
# any one mark, letter or glyph said again and again, bare or apart ("*****", "x, x, x", "o o o", "正 正 正")
_REPEATED = re.compile(r"(?<![\w*#=~\-])(\S)(?:(?:[ \t]*,?[ \t]*)\1){2,}(?![\w*#=~\-])")
# a layout's own runs: markdown emphasis and rules, an ellipsis
_LAYOUT_RUN = re.compile(r"^(?:\*{2,3}|-{3,}|={3,}|_{3,}|#{1,6}|~{2,}|`{3}|\.{3,}|!{2,3}|\?{2,3})$")


def _marks_counting(text: str) -> str | None:
    """A run of one mark, letter or glyph, three or more, bare or apart: a count drawn in marks that :data:`_DRAWN`
    leaves to markdown ("tally marks: ***************") or to words ("x, x, x, x", "正 正 正"), which no adapter
    redraws. Not a layout's own run ("**", "***", "---", "###"), nor a word's letters ("www")."""
    bare = re.sub(r"<<[^<>]*>>", " ", text)
    for m in _REPEATED.finditer(bare):
        run = re.sub(r"[\s,]", "", m.group())
        if m.group(1).isdigit() or (m.group(1).isalnum() and m.group(1).isascii() and run == m.group()):
            continue  # ("www", "zzz": a word's letters, not marks apart)
        start, end = bare.rfind("\n", 0, m.start()) + 1, bare.find("\n", m.end())
        line = bare[start : end if end >= 0 else len(bare)]
        own_line = re.fullmatch(r"[\s|:+*=_~#`.\-]+", line) is not None  # a rule, an underline, a table's ruled row
        heading = run[0] == "#" and line.lstrip().startswith(run + " ")
        if _LAYOUT_RUN.match(run) and (run[0] in "*~`.!?" or own_line or heading):
            continue  # a line of marks only ("---", "|---|---|"), a heading's marks, emphasis, an ellipsis
        return m.group()
    return None


# a number glued after letters ("B7", "ann7"), and an ordinal in digits ("3rd")
_GLUED = re.compile(r"\b[^\W\d_]+\d[\w]*")
_ORDINAL_DIGITS = re.compile(r"\b(\d+)(st|nd|rd|th)\b", re.IGNORECASE)


def _ordinal_suffix(n: int) -> str:
    if n % 100 in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _moved_away(cached: Sequence[Step], steps: Sequence[Step], old: WordProblem, new: WordProblem) -> frozenset[Fraction]:
    """The values of ``old``'s quantities and of ``cached``'s results that the reused ``steps`` (for ``new``) do
    not keep in their place; every result of ``cached`` where the two answers compute a different number of
    results."""
    was = [c.result.value for s in cached for line in s.text.splitlines() for c in computations(line)]
    now = [c.result.value for s in steps for line in s.text.splitlines() for c in computations(line)]
    results = {a for a, b in zip(was, now, strict=True) if a != b} if len(was) == len(now) else set(was)
    return frozenset(results | {a for a, b in zip(old.values, new.values, strict=False) if a != b})


def _results_of(steps: Sequence[Step]) -> set[Fraction]:
    return {c.result.value for s in steps for line in s.text.splitlines() for c in computations(line)}


def _opens(text: str, at: int) -> bool:
    """Whether the word at ``at`` opens its sentence ("First, find...", "Second, add..."): an order of steps."""
    return re.search(r"(?:^|[.!?:\n])[\s*#>\-]*$", text[:at]) is not None


def _approximate(text: str, prompt: str) -> str | None:
    """A number ``text`` says as approximate (see ``_APPROXIMATE``), unless the question ``prompt`` says it so too
    ("about 30 minutes" of "takes about 30 minutes"), if any."""
    for m in _APPROXIMATE.finditer(text):
        said = r"\s+".join(re.escape(part) for part in m.group().split())
        if not re.search(rf"(?<![\w.,]){said}(?![\d.,]\d|\d)", prompt, re.IGNORECASE):
            return m.group()
    return None


def _restated(text: str, m: re.Match[str], asked: set[tuple[str, str]]) -> bool:
    """Whether the word ``m`` stands in ``text`` beside a neighbour as the question says them ("on Monday")."""
    word = m.group().casefold()
    before = re.findall(r"[^\W\d_]+|\d+", text[: m.start()])
    after = re.findall(r"[^\W\d_]+|\d+", text[m.end() :])
    return bool((before and (before[-1].casefold(), word) in asked) or (after and (word, after[0].casefold()) in asked))


def _said_of_old(
    step: Step,
    cached: Sequence[Step],
    results: set[Fraction],
    old: WordProblem,
    new: WordProblem,
    now: set[Fraction],
    asked: set[tuple[str, str]],
    counted: set[str],
    away: Callable[[], frozenset[Fraction]],
) -> str | None:
    """What a reused line says of the cached numbers that no adapter rewrites, where the numbers moved:

    - an ordinal in words the question does not say so, of a value the new answer does not have, which the cached
      answer had ("on the fifth day" after 100 / 20 = 5) or which counts a unit the question does not ("in the second
      week" of 8 days); "on the second day" of a question counting days is the answer's own order of steps, which a
      second point tells (see :meth:`~.corroborate.WordCorroboration.vouched`), and "First, find" opens a sentence;
    - an ordinal in digits whose ending no longer fits ("the 3th day");
    - a result of the cached answer said in words that the new one does not have ("One apple remains"), or a
      share in words that neither the new question nor the new answer has ("one-quarter of the 90 dollars");
    - a unit said as one of it where the old answer had that one in a smaller unit ("The trip takes a week." after
      700 / 100 = 7 days, "an hour" for 60 minutes: see :func:`_one_unit`);
    - a category the question does not name ("will be a teenager", "será un adulto");
    - a day or a month the question does not say (days counted from a Monday: "finishes on Wednesday");
    - a number glued after letters ("code B7");
    - a count drawn in symbols ("🐱🐱🐱", tally marks "||||");
    - in a line that computes nothing, a number the adapter kept that neither the new question nor the new answer
      has ("That is 1 kg." of 1000 grams).

    ``results``: the cached answer's results; ``now``: the new question's values and the reused answer's results;
    ``counted``: the new question's words and their stems; ``away``: the values that moved (see
    :func:`_moved_away`), which a word says of the old place even where ``now`` has them elsewhere."""
    text = step.text
    for m in ORDINAL_WORD.finditer(text):
        value = Fraction(ORDINAL_VALUES[m.group().casefold()])
        if (value in now and value not in away()) or _restated(text, m, asked):
            continue
        unit = re.match(r"\s+([^\W\d_]+)", text[m.end() :])
        if _opens(text, m.start()) and (unit is None or not _forms(unit.group(1).casefold()) & counted):
            # "First, find", "Second we add": an order of steps ("Ninth day: she reads the last page", of the days
            # the question counts, is a value)
            continue
        if value in results | set(old.values) or (unit is not None and not _forms(unit.group(1).casefold()) & counted):
            return m.group()
    for q in quantities(text):  # a result said in words ("Three apples remain" after 5 - 2 = 3), or a share
        # no computation states ("The book took one-quarter of the 90 dollars", "60 minutes, half an hour")
        if q.kind != "word" or not (q.value in results or q.value.denominator != 1):
            continue
        # (the question's own word for a value it keeps, "The Lee twins found 35 × 2": said of the question's twins,
        # whatever result of the answer moved from 2)
        own = any(n.kind == "word" and n.text.casefold() == q.text.casefold() and n.value == q.value for n in new.quantities)
        if q.value not in now or (q.value in away() and not own):
            return q.text
    one = re.search(r"\b(?:one|single)\b", text, re.IGNORECASE)  # ("One apple remains", which no count reads)
    if one is not None and 1 in results and (1 not in now or 1 in away()):
        return one.group()
    as_one = _one_unit(text, results | set(old.values), now, away, new.prompt)  # ("The trip takes a week.")
    if as_one is not None:
        return as_one
    for m in _ORDINAL_DIGITS.finditer(text):
        if m.group(2).casefold() != _ordinal_suffix(int(m.group(1))):
            return m.group()
    for m in CALENDAR.finditer(text):
        if not re.search(rf"\b{re.escape(m.group())}\b", new.prompt, re.IGNORECASE):
            return m.group()
    for m in _CATEGORY.finditer(text):  # "will be a teenager", "será un adulto": what someone is, by the numbers
        word = (m.group(1) or m.group(2)).casefold()
        if not _forms(word) & counted and not _UNIT.fullmatch(word) and not re.match(r"\s+(?:of\b|\d)", text[m.end() :]):
            return m.group()
    drawn = _DRAWN.search(re.sub(r"<<[^<>]*>>", " ", text))
    if drawn is not None:  # "🐱🐱🐱🐱🐱🐱🐱", "|||| ||": a count drawn in symbols, which no adapter redraws
        return drawn.group()
    if (marks := _marks_counting(text)) is not None:  # "***************" beside 15, "x, x, x", "正 正 正"
        return marks
    glued = _GLUED.search(re.sub(r"<<[^<>]*>>|\\[A-Za-z]+", " ", text))
    if glued is not None:  # "The locker code is B7.": a number inside a word, which no adapter rewrites
        return glued.group()
    if step.index < len(cached) and not computations(text) and final_answer(text) is None:
        was = [n.value for n in line_numbers(cached[step.index].text)]
        is_ = [n.value for n in line_numbers(text)]
        if len(was) == len(is_):
            kept = next((a for a, b in zip(was, is_, strict=True) if a == b and a not in now and a not in new.values), None)
            if kept is not None:
                return str(kept)
    return None


# a sign that compares two values: where the line states more comparisons than :func:`~.read.comparisons` reads
# ("$$75\text{ min} > 60\text{ min}$$", "75 ⩾ 60", a full-width "＞"), the adapter checks none of the others
_COMPARISON_SIGN = re.compile(
    r"(?<![<>-])[<>](?![<>=])|<=|>=|[≤≥⩽⩾＜＞≦≧≠≈≃∼≶≷≪≫]|\\(?:leq?|geq?|lt|gt|neq?|approx|sim|simeq|ll|gg|leqslant|geqslant)\b"
)


def _unread_comparison(line: str) -> bool:
    """Whether ``line`` compares values with a sign in a form no check reads (see ``_COMPARISON_SIGN``)."""
    text = re.sub(r"<<[^<>]*>>", " ", line)
    text = re.sub(r"<[A-Za-z/][^<>]*>", " ", text)  # an HTML tag ("<b>", "</sub>") compares nothing
    return len(_COMPARISON_SIGN.findall(text)) > len(comparisons(line))


# small words that start a sentence capitalised, some of which the name data lists as names ("She", "The", "Con")
_SMALL = frozenset(
    "she he they it its the this that these those there then so thus therefore each every step total answer final "
    "first next after before now we you i a an and or but if when while since because in on at of for with to by "
    "from as all both one two three "
    # and the small words of the languages the gate reads ("Con el descuento paga...")
    "el la los las un una y o que con por para de del en al se su sus lo es son si como pero entonces "
    "le les une des et ou qui avec pour du au aux il elle ils elles ce cette son sa ses est sont donc alors "
    "der die das den dem ein eine und oder mit für von zu im am auf ist sind er sie es wenn dann also "
    "gli uno e che per di da su è sono se quindi poi "
    "os as um uma com em no na é são então "
    "het een dat met voor van op zijn als dan dus".split()
)


# the factor a ratio word names, which a computation of its sentence may take ("doubled ... 248 * 2", "halved ... 30 / 2")
_FACTORS = {
    "twice": Fraction(2),
    "double": Fraction(2),
    "doubles": Fraction(2),
    "doubled": Fraction(2),
    "doubling": Fraction(2),
    "halved": Fraction(2),
    "halve": Fraction(2),
    "halves": Fraction(2),
    "thrice": Fraction(3),
    "triple": Fraction(3),
    "triples": Fraction(3),
    "tripled": Fraction(3),
    "tripling": Fraction(3),
    "quadruple": Fraction(4),
    "quadrupled": Fraction(4),
    "quadruples": Fraction(4),
}


# the words an answer narrates arithmetic with, in any question: how it is told, never what holds of the numbers.
# A clause of a reused line that states no number (none in digits, none in words) narrates the computations beside
# it with these, the new question's own words and its names; any other word ("Cara has the edge", "a tiny profit",
# "past the one-hour mark", a table cell "Leader") may state what the new numbers make false: the model answers.
# English, and the small words of the languages the gate reads
_NARRATION = frozenset(
    """a an the this that these those it its they them their theirs there here he she him her his hers we us
    our you your i me my one ones of to in on at by for from with into onto as and or so then thus hence
    therefore since because which who whom whose what when where how is are was were be been being am has have
    had having do does did done will would can could shall should must may might need needs needed let lets each
    every per all both altogether together total totals totaling totalling overall combined combine combining sum
    sums amount amounts number numbers value values result results answer answers final finally step steps solve
    solving solution find finding found calculate calculating calculated calculation compute computing computed
    work working out first next now also get gets got getting make makes made making take takes took taking
    give gives gave given giving use uses used using add adds added adding addition subtract subtracts subtracted
    subtracting subtraction multiply multiplies multiplied multiplying multiplication divide divides divided
    dividing division times plus minus equal equals product quotient difference left remaining remain remains
    remainder spend spends spent spending pay pays paid paying cost costs costing buy buys bought buying sell
    sells sold selling earn earns earned earning charge charges charged money price prices item items many much
    means mean meaning know known see note start starting begin beginning initially initial original originally
    new count counts counted counting whole part parts fraction fractions percent percentage convert converting
    converted express expressed represent represents including include includes again already still far rest
    other others another some any everything while between up after before during end figure purchase
    purchases purchased purchasing save saves saved saving savings lose loses lost losing daily weekly monthly
    yearly hourly second third fourth fifth sixth seventh eighth ninth tenth last without additional extra further
    text mathrm boxed frac dfrac tfrac cdot div left right quad qquad mathbf textbf aligned align""".split()
)
# the small words of the gate's other languages: narration too, met as whole words only (an English word's stem is
# none of them: "comes" is no Portuguese "com", "less" no French "les")
_NARRATION_ABROAD = frozenset(
    """y o el la los las un una de del al en con por para es son fue era que cada entonces así
    le les une des du au aux et ou est sont donc alors chaque pour avec
    der die das den dem des ein eine einen einem einer und oder ist sind war also dann jede jeder jedes für mit
    von zu im insgesamt il lo gli uno e è sono quindi poi ogni di da nel nella totale
    os as um uma é são então com do da no na
    het een en of zijn dus dan elke elk voor met van op totaal""".split()
)
_NARRATION = _NARRATION | _NARRATION_ABROAD


def _stems(text: str) -> set[str]:
    """The words of ``text``, casefolded, each with its plain stems ("earns", "earned" and "earning" meet at "earn")."""
    out: set[str] = set()
    for w in re.findall(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?", text):
        out |= _forms(w.casefold().replace("\u2019", "'"))
    return out


def _forms(word: str) -> set[str]:
    out = {word}
    for ending in ("'s", "ing", "ed", "es", "s", "d"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[: -len(ending)]
            out.add(stem)
            if len(stem) > 3 and stem[-1] == stem[-2]:
                out.add(stem[:-1])  # "knitting", "knitted": "knit"
    return out


# a word that joins a statement of its own to what came before: "and still a minor", "means no overtime", "so in
# 4 years she cannot yet vote", "y seguirá siendo", "und noch"
_CONCLUDES = re.compile(
    r"\b(?:and|but|so|yet|thus|hence|therefore|which|means?|meaning|y|e|pero|así|entonces|und|aber|also|daher|et|"
    r"mais|donc|quindi|ma|então|mas|logo|en|maar|dus|och|men|så|i|ale|więc)\b",
    re.IGNORECASE,
)


# a noun right after a number in digits, and the one it is counted per ("6 batches", "37 orders/day")
_COUNTED = re.compile(r"\d(?:[\d,.]*\d)?[ \t]*%?[ \t]*([^\W\d_]{3,})(?:[ \t]*/[ \t]*([^\W\d_]{3,}))?")


@lru_cache(maxsize=256)
def _counted(steps: tuple[Step, ...]) -> frozenset[str]:
    """The nouns an answer counts its own quantities in ("6 batches", "orders/day"), and their stems: what it
    names after a number as it names the question's words. Not a word that compares or states a property
    (:data:`_CLAIM`: "6 more", "3 short")."""
    out: set[str] = set()
    for step in steps:
        for m in _COUNTED.finditer(re.sub(r"<<[^<>]*>>|\\[A-Za-z]+", " ", step.text)):
            out.update(f for word in m.groups() if word and not _CLAIM.fullmatch(word) for f in _forms(word.casefold()))
    return frozenset(out)


# a count of two re-derived where English says it in a word of its own: "all two friends" (both), "she goes two
# times a week" (twice); not a result ("12 ÷ 6 = 2 times per year")
_ALL_TWO = re.compile(r"\ball\s+(?:two|2)\b|(?:\btwo|(?<![=\d])(?<!=\s)\b2)\s+times\s+(?:a|an|per|each|every)\b", re.IGNORECASE)
_TWO_SAID = re.compile(
    r"\b(?:both|neither|either|twins|ambos|ambas|beide[mnrs]?|les\s+deux|tous\s+deux|toutes\s+deux|entramb[ie]|"
    r"tutti\s+e\s+due|tutte\s+e\s+due|allebei|beiden)\b",
    re.IGNORECASE,
)


# a side of a figure or a thing, which an answer names by which is longer where the question names none ("a rug 37
# feet by 52 feet", "one side measures 5 feet"), in the languages the gate reads ("el largo", "die Breite", "la
# largeur"); a question that names its sides ("the length of the room", "41 meters long", "3 feet wide", "2 m tall",
# "37 cm de largo", "52 cm breit") fixes them
_SIDE_NOUNS = (
    r"length|width|breadth|height|depth|longitud|anchura|altura|profundidad|largo|ancho|Länge|Breite|Höhe|Tiefe|"
    r"longueur|largeur|hauteur|profondeur|lunghezza|larghezza|altezza|profondità|comprimento|largura|profundidade|"
    r"lengte|breedte|hoogte|diepte"
)
_SIDE = re.compile(rf"\b(?:{_SIDE_NOUNS})s?\b", re.IGNORECASE)
_SIDES_SAID = re.compile(
    rf"\b(?:{_SIDE_NOUNS})s?\b|\d[\d,.]*\s*[-\s]?(?:[^\W\d_]+[-\s])?(?:de\s+)?(?:long|wide|tall|high|deep|lang|breit|hoch|"
    r"tief|lung[oa]|larg[oa]|alt[oa]|ancho|large|haut|breed|hoog|diep)\b",
    re.IGNORECASE,
)


# a clause that sets out what its step computes, in the imperative, as GSM8K's worked solutions head their steps
# ("First find the ride length of the biggest slide", "- Then multiply the number of batches by the time per batch
# to find the total cook time"); English only. Not "we find" (a finding: "we find Ann stays solvent"), nor "add to
# this" (a statement of its own follows)
_HEADING = re.compile(
    r"[\s*#>\-]*(?:(?:first(?:ly)?|then|next|now|finally|lastly|also)\s*,?\s+)*(?:let's\s+|let\s+us\s+)?"
    r"(?:find|calculate|compute|determine|work\s+out|figure\s+out|add(?!\s+to\b)|subtract|multiply|divide|"
    r"convert)\b",
    re.IGNORECASE,
)
# what a heading may name in words of its own: a measure (never what it is of: "the big slide", "the loser's
# points", "the pay after the cut", "the premium plan" say what the numbers may make false; nor a side, "the
# width": see ``_SIDE``), or a unit a computation of the answer counts in ("6 batches": see ``units``)
_MEASURES = frozenset(
    """distance distances area perimeter volume capacity weight weights mass speed speeds rate rates time times
    duration age ages cost costs price prices revenue revenues income incomes pay wage wages salary salaries earnings
    expense expenses bill bills sum sums total totals amount amounts number numbers count counts quantity quantities
    value values share shares ratio percentage fraction balance points score scores""".split()
)
# where a heading's own words end: a clause of its own inside it ("find the cost, since she has time", "find her
# balance and Ann stays solvent") is read as any other
_SUBORDINATE = re.compile(
    r"\b(?:since|because|as|so|hence|thus|therefore|while|when|whenever|whereas|which|that|who|whom|whose|why|"
    r"until|although|though|once|given|considering|meaning|means|where|and|but|or|if|unless|after|before|with|"
    r"without|to\s+(?:see|show|confirm|check|prove|verify|make\s+sure))\b",
    re.IGNORECASE,
)


def _unread_clause(
    line: str,
    allowed: frozenset[str],
    *,
    tails: bool = False,
    also: Callable[[], frozenset[str]] | None = None,
    units: Callable[[], frozenset[str]] | None = None,
) -> str | None:
    """The first word of a clause of ``line`` that states no number and that is none of ``allowed`` (narration,
    ``_NARRATION``, and the new question's words and names), nor a unit; a single letter is a variable ("Let E be
    the episodes"). Words inside a GSM8K annotation or after a LaTeX backslash are its notation.

    ``tails``: of the clauses that state a number, the words after the last one, where they make a statement of
    their own (joined by "and", "so", "means"...: :data:`_CONCLUDES`): "16 years old and still a minor", "9 hours a
    day means overtime every day", "so in 4 years Ann cannot yet vote". What they say may follow the numbers
    before them, as a claim the claim words do not hold does; the words of a number's noun ("wards are
    unoccupied", "cards of different colors") are left to the question's. ``also``: more words allowed, read only
    where a word is none of ``allowed``.

    A step's heading (:data:`_HEADING`: "First find the total lost revenue: ...") may also name, up to its first
    clause of its own, a measure (:data:`_MEASURES`) or a unit the answer counts in (``units``: "how many batches
    of carrots", where a step computes "= 6 batches"). What a heading names that the numbers could make false (a
    side, "the extra distance on the red slide") is said of quantities the answer then tells apart: their order is
    a slot, served only where a probe met it in the stored answer's words (see
    :meth:`~.corroborate.WordCorroboration.varied`)."""
    text = re.sub(r"<<[^<>]*>>", " ", line)
    text = re.sub(r"\\[A-Za-z]+", " ", text)
    # (an arrow ends a clause too: "8 minutes → tight!")
    for clause in re.split(r"[.;:!?,()\[\]|—–\n*`#>→⇒]+|\s-\s|\s=>\s", text):
        if tails and not _CONCLUDES.search(clause):
            continue  # (read first: a clause's quantities are read only where they may matter)
        ends = [m.end() for m in re.finditer(r"\d+", clause)]
        if not ends:  # (where digits are, a count in words is read as the words before the last number)
            ends = [q.end for q in quantities(clause) if q.kind == "word"]
        if bool(ends) != tails:
            continue  # a clause that narrates a number: the claim words above are read there
        tail = clause[max(ends, default=0) :]
        if tails and not _CONCLUDES.search(tail) and not _CONCLUDES.match(clause.lstrip()):
            continue  # what the numbers' nouns are ("wards are unoccupied", "cards of different colors")
        heading = -1  # where a heading's own words end
        if not tails and _HEADING.match(clause) is not None:
            heading = next((m.start() for m in _SUBORDINATE.finditer(clause)), len(clause))
        for m in re.finditer(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?", tail):
            word = m.group().casefold().replace("\u2019", "'")
            stems = _forms(word) - {word} - _NARRATION_ABROAD
            if len(word) == 1 or word in allowed or stems & allowed or _UNIT.fullmatch(word) or _CLAIM.fullmatch(word):
                continue  # (a claim word was read as one above: "to reach the trays" is the story)
            if also is not None and _forms(word) & also():
                continue
            if m.start() < heading and (word in _MEASURES or (units is not None and _forms(word) & units())):
                continue  # what a step sets out to find ("First find the total lost revenue", "how many batches")
            return m.group()
    return None


# a line that states the final answer in a sentence of its own ("**Answer:** Ann has **14** apples.")
_ANSWER_LINE = re.compile(r"\s*[#*_>\s]*(?:final\s+)?answer\s*[*_]*\s*:", re.IGNORECASE)


def _unread_answer(line: str, allowed: frozenset[str], counted: Callable[[], frozenset[str]]) -> str | None:
    """The first word of an answer line (:data:`_ANSWER_LINE`) that is none of ``allowed`` (narration, the
    question's words and names), nor a unit, nor a noun the answer counts in (``counted``)."""
    text = re.sub(r"\\[A-Za-z]+", " ", re.sub(r"<<[^<>]*>>", " ", line))
    opening = _ANSWER_LINE.match(text)
    for m in re.finditer(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?", text[opening.end() if opening else 0 :]):
        word = m.group().casefold().replace("\u2019", "'")
        if len(word) == 1 or word in allowed or (_forms(word) - {word}) & allowed or _UNIT.fullmatch(word):
            continue
        if _forms(word) & counted():
            continue
        return m.group()
    return None


# a word between an article and a number: "a long 8-hour shift", "a mere $3", "eine lange 8-Stunden-Schicht" ("the
# first 3", "the remaining 5" and the question's own words are narration)
_BEFORE_NUMBER = re.compile(
    r"\b(?:a|an|the|this|that|these|those|his|her|their|its|our|my|your|un|una|unos|unas|el|la|los|las|le|les|"
    r"ein|eine|einen|der|die|das|den|dem)\s+([^\W\d_]+)\s+[$€£¥]?\s*\d",
    re.IGNORECASE,
)


def _qualified(line: str, allowed: frozenset[str]) -> str | None:
    """A word that qualifies a number right after it and that is none of ``allowed`` (narration, the question's
    words), nor a unit ("a long 8-hour shift", "a mere $3"): what it says of the number the new one may not be."""
    text = re.sub(r"<<[^<>]*>>", " ", line)
    text = re.sub(r"\\[A-Za-z]+", " ", text)
    for m in _BEFORE_NUMBER.finditer(text):
        word = m.group(1).casefold()
        if len(word) == 1 or word in allowed or _forms(word) & allowed or _UNIT.fullmatch(word):
            continue
        return m.group(1)
    return None


# what the numbers let one do, concluded from them: "so Ann can buy another book at 40 dollars", "which means she
# could not pay", "thus he is able to fill 3 boxes" ("find how much a miner can mine" is the question's own)
_ABLE = re.compile(
    r"\b(?:so|thus|hence|therefore|which\s+means|meaning|that\s+means|así\s+que|por\s+lo\s+tanto|entonces|por\s+eso|"
    r"de\s+modo\s+que|also|daher|deshalb|somit|donc|alors|ainsi|então|portanto|logo|assim|quindi|dunque|perciò|dus|"
    r"daarom)\b[^.;:!?\n]*?"
    r"\b(can(?:not|'t|’t)?|could(?:n't|n’t)?|(?:un)?able\s+to|puede|pueden|podrá|podría|pode|podem|poderá|poderia|"
    r"kann|können|konnte|könnte|peut|peuvent|pourra|pourrait|può|possono|potrà|potrebbe|kan|kunnen|kon)\b",
    re.IGNORECASE,
)


# what one can or cannot do, said in a clause of its own ("Answer: Eva can buy another book; she has $6 left.")
_CAN = re.compile(
    r"\b(can(?:not|'t|’t)?|could(?:n't|n’t)?|(?:un)?able\s+to|puede|pueden|podrá|pode|podem|kann|können|peut|"
    r"peuvent|può|possono|kan|kunnen)\s+([^\W\d_]+)",
    re.IGNORECASE,
)


def _able(line: str, asked: set[tuple[str, str]] | None = None) -> str | None:
    """A clause of ``line`` that concludes what can or cannot be done, with no computation of its own; or that
    says it with no number at all, in words the question (``asked``: its bigrams) does not ("Eva can buy another
    book"; not "how many books she can buy" restated)."""
    for clause in re.split(r"[.;:!?,\n]+", re.sub(r"<<[^<>]*>>", " ", line)):
        m = _ABLE.search(clause)
        if m is not None and not computations(clause):
            return m.group(1)
        can = _CAN.search(clause)
        if (
            can is not None
            and asked is not None
            and not re.search(r"\d", clause)
            and not any(q.kind == "word" for q in quantities(clause))
            and (can.group(1).casefold(), can.group(2).casefold()) not in asked
        ):
            return can.group(1)
    return None


def _sentence(text: str, at: int) -> str:
    """The sentence of ``text`` around ``at`` (up to ``.``, ``;``, ``!``, ``?`` or a line break; not a decimal point)."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, at)]
    start = ends[-1] if ends else 0
    after = _SENTENCE_END.search(text, at)
    return text[start : after.start() if after else len(text)]


_SENTENCE_END = re.compile(r"(?<!\d)\.(?!\d)|[;!?\n]|\.(?=\s|$)")


def _other_name(word: str, old: WordProblem, new: WordProblem) -> bool:
    """Whether ``word`` is a person's given name that neither question writes (a nickname, another person)."""
    if word.endswith("s") and word[:-1] in new.names:
        return False  # "Andreas plant giveaway": Andrea's, its apostrophe left out
    return given_name(word) and not re.search(rf"\b{word}\b", old.prompt) and not re.search(rf"\b{word}\b", new.prompt)


def _foreign_number(line: str, prompt: str) -> str | None:
    """A number word of a language the task does not read ("quince huevos", "also zwölf Eier") in ``line`` and not
    in the question ``prompt``: a result restated in words no adapter rewrites."""
    asked = {w.casefold() for w in re.findall(r"[^\W\d_]+", prompt)}
    for m in re.finditer(r"[^\W\d_]{3,}", line):
        word = m.group().casefold()
        if word in foreign_numbers() and word not in asked:
            return m.group()
    return None


def _said(text: str) -> list[str]:
    """The numbers in words of ``text``, casefolded."""
    return [q.text.casefold() for q in quantities(text) if q.kind == "word"]


def _bigrams(text: str) -> set[tuple[str, str]]:
    words = [w.casefold() for w in re.findall(r"[^\W\d_]+|\d+", text)]
    return set(zip(words, words[1:], strict=False))


def _claims(text: str, m: re.Match[str], asked: set[tuple[str, str]], new: WordProblem) -> bool:
    """Whether ``m`` (a :data:`_CLAIM` word) makes a claim of its own: not the question's own words restated (the
    word with a neighbour as the question says them: "fewer cards than he has"; "so Dan has more" is a claim
    though the question says "the one with more stickers"), and not a positive amount's comparative ("24 more
    people", "$5 less", "10 years older", "£9 more than the biscuits": how much, which the adapter keeps positive)."""
    word = m.group().casefold()
    before = re.findall(r"[^\W\d_]+|\d+", text[: m.start()])
    after = re.findall(r"[^\W\d_]+|\d+", text[m.end() :])
    if (before and (before[-1].casefold(), word) in asked) or (after and (word, after[0].casefold()) in asked):
        return False
    if " " in word and " ".join(word.split()) in " ".join(new.prompt.casefold().split()):
        return False  # "one fifth as many", "half as many": the question's own words
    slots = {q.text.casefold(): q.value for q in new.quantities if q.kind == "word"}
    factor = _FACTORS.get(word.split()[0])
    if factor is None:
        # the question's slot word ("three times as many", "twice"), or a factor in digits ("3 times as many")
        factor = next((v for said, v in slots.items() if word == said or word.startswith(said + " ")), None)
    if factor is None and (times := re.match(r"(\d+)\s+times\b", word)) is not None:
        factor = Fraction(times.group(1))
    sentence = _sentence(text, m.start())
    if factor is not None and any(factor in {n.value for n in c.operands} for c in computations(sentence)):
        # "she has doubled it: 248 * 2 = 496", "twice as many: 2 * 30" (the question's "twice", which the adapter
        # writes anew): the sentence computes the ratio it names; "Tom has double what Paul has" computes none
        return False
    if _COMPARATIVE.fullmatch(word):
        return not _amount(text, text[: m.start()], asked, new)
    if word in GRADED and word != "short":  # ("$5 short" says a sign, measured or not)
        # a measure ("41 meters long", "8 years old") or a question ("how long it takes") says no grade, nor does
        # the question's own label of the same thing ("the water is cold": "Cold water mile"); "the long slide" of
        # "a slide 41 meters long", "the big eater" of "a big dog", "30 long minutes" grade one thing against another
        return not (_measures(text, m.start(), asked) or _labels(word, after[:1], new.prompt))
    if word == "than":  # "£9 more than the biscuits", "28 more blue cards than red ones": an amount's comparative
        compared = _COMPARED.search(text[: m.start()])
        return compared is None or not _amount(text, text[: m.start() - len(compared.group())], asked, new)
    if word == "lost" and _LOST_THING.match(text[m.end() :]) and _OWNED.search(text[: m.start()]):
        return False  # "some of his lost marbles", "the total lost revenue": what was lost, not who lost
    if word == "reach" and re.search(r"\bto\s+$", text[: m.start()], re.IGNORECASE):
        # "minutes left to reach the bank": where they go; "reaches $20", "reached her goal", "reaches the finish
        # first" say who or what got there
        return bool(_REACHED.match(text[m.end() :]))
    if word in ("many", "viele", "veel") and before and before[-1].casefold() in ("how", "wie", "hoe"):
        return False  # "to find how many are left": the question asked, not a count judged
    if word == "many" and [w.casefold() for w in before[-2:]] in _RATIO_AS:
        return False  # "twice as many as": the ratio's word is the claim, and it is read as one (above)
    if word == "enough":  # "enough frosting for 12 * 14 = 168 brownies": what the computation makes, not a claim
        capacity = _CAPACITY.match(text[m.end() :])
        return capacity is None or not any(c.operands[0].start == m.end() + capacity.end() for c in computations(text))
    return True


# a ratio's words before "as many" ("twice as many", "3 times as many", "half as many")
_RATIO_AS = [[w, "as"] for w in ("twice", "thrice", "times", "half", "third", "thirds", "quarter", "quarters", "fifth", "fifths")]


# "lost" before a noun: a lost thing; before an article, a pronoun, a number or nothing it says who lost
_LOST_THING = re.compile(
    r"\s+(?!(?:the|a|an|to|against|his|her|their|its|my|our|your|by|in|on|at|and|or|but|so|because|all|every|"
    r"each|more|less|no|some|any|out|again|twice)\b)[^\W\d_]{3,}\b",
    re.IGNORECASE,
)
# "his lost", "the total lost": a possessive or an article before "lost" (not a subject: "Bob lost points")
_OWNED = re.compile(r"\b(?:his|her|their|its|my|our|your|the|some|any|all|of|total)\s+$", re.IGNORECASE)
# what "reach" claims to reach: a number, or a mark a number sets ("reached her goal", "reaches the limit")
_REACHED = re.compile(
    r"(?:\W+[^\W\d_]+){0,3}?\W*(?:\d|(?:goal|target|limit|threshold|mark|minimum|maximum|quota|cap|total)s?\b)",
    re.IGNORECASE,
)
# "enough <up to two words> for " right before a computation the line states
_CAPACITY = re.compile(r"(?:\s+[^\W\d_]+){0,2}\s+for\s+[$£€]?", re.IGNORECASE)


def _measures(text: str, at: int, asked: set[tuple[str, str]]) -> bool:
    """Whether the graded adjective at ``at`` of ``text`` measures ("41 meters long", "8 years old": a number and
    its unit right before it) or asks ("how long")."""
    before = text[:at]
    if re.search(r"\bhow\s+$", before, re.IGNORECASE):
        return True
    measured = re.search(r"\d(?:[\d,.]*\d)?\s*-?\s*([^\W\d_]+)[\s-]+$", before)
    if measured is None:
        return False
    unit = measured.group(1).casefold()
    return bool(_UNIT.fullmatch(unit)) or any(a.isdigit() and b == unit for a, b in asked)


def _labels(word: str, after: list[str], prompt: str) -> bool:
    """Whether the question says ``word`` of the very noun it stands before here (``after``): "the water is cold"
    for "Cold water mile"."""
    if not after:
        return False
    noun = re.escape(after[0])
    said = rf"\b{noun}\s+(?:is|are|was|were|gets|got|turns|turned|becomes|became)\s+{re.escape(word)}\b"
    return re.search(said, prompt, re.IGNORECASE) is not None


_COMPARATIVE = re.compile(
    r"more|less|fewer|greater|smaller|larger|bigger|higher|lower|longer|shorter|older|younger|cheaper|dearer|faster|"
    r"slower|heavier|lighter",
    re.IGNORECASE,
)
# a comparative and up to three plain words before "than" ("more blue cards than"); no verb or conjunction between
_COMPARED = re.compile(
    rf"\b(?:{_COMPARATIVE.pattern})((?:\s+(?!(?:is|are|was|were|be|has|have|had|and|or|but|so|then|which|that)\b)"
    r"[^\W\d_]+){0,3})\s+$",
    re.IGNORECASE,
)
# the number an amount's comparative follows, and its unit between (at most one word: "10 years older", "9 points more")
_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*%?[\s$*}]*((?:[^\W\d_]+\s+)?)$")


def _amount(text: str, before: str, asked: set[tuple[str, str]], new: WordProblem) -> bool:
    """Whether ``before`` (a prefix of the line ``text``) ends with an amount: a positive number that a computation
    of the line results in or that the new question states, and at most one word the question writes right after
    a number ("10 years", "9 points"). The comparative that follows then says how much more ("£21 - £12 = £9 more",
    "10 years older"), which holds while that amount stays positive. A number then a verb ("200 is larger", "40
    pens cost more"), or one the line does not compute ("Ann's 200 is more"), is a comparison: a claim."""
    m = _AMOUNT.search(before)
    if m is None:
        return False
    value = to_fraction(m.group(1).replace(",", ""))
    if value <= 0 or (value not in {c.result.value for c in computations(text)} and value not in new.values):
        return False
    unit = m.group(2).strip().casefold()
    return not unit or bool(_UNIT.fullmatch(unit)) or any(a.isdigit() and b == unit for a, b in asked)


# units an amount is written in whatever the question's own words ("182 dollars more" for "$5 each")
_UNIT = re.compile(
    r"(?:dollars?|euros?|pounds?|cents?|pence|yen|yuan|rupees?|francs?|seconds?|minutes?|hours?|days?|weeks?|"
    r"months?|years?|points?|units?|items?|pieces?|people|persons?|meters?|metres?|kilometers?|kilometres?|miles?|"
    r"feet|foot|inches?|grams?|kilograms?|kg|km|cm|mm|liters?|litres?|ml|gallons?|ounces?|degrees?)"
)


def computations_of(steps: Sequence[Step]) -> bool:
    """Whether any line of ``steps`` states a computation."""
    return any(computations(line) for s in steps for line in s.text.splitlines())
