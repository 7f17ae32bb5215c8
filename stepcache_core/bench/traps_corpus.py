"""The traps corpus's workload (issue 18, "Nothing in the request goes unread"): pairs of requests where a cached
answer looks reusable for the new request but is not, beside safe variants of the same families that must still be
reused.

Each :class:`Trap` holds a cached request and the answer a chat model wrote for it, a new request and the
(correct) answer the model writes for that one, and an expectation: ``must_not_reuse`` (a trap: any answer
served must be correct for the new request, so in practice the model answers it) or ``reuse_ok`` (a safe
variant: reused or patched, and correct). :class:`TrapModel` is that scripted model. Classes
(:data:`CATEGORIES`):

- ``extra_ask``: the new question asks for more than the cached equation's root (another expression, a
  rounding, a second equation, another language, another form).
- ``correction``: the new text corrects itself or offers two candidates for one key.
- ``roles``: the new text swaps the entities' roles (origin/destination, seller/buyer, possessives, passives).
- ``instructions``: the prompt's own instructions (a hint after a key, a list of allowed values, an example)
  hold the cached value; the new text does not.
- ``statements``: the new text negates a yes/no field, implies its opposite, or enumerates list items.
- ``stale_prose``: the cached answer's prose or chains restate values of the cached request.
- ``other_problem``: another equation with the same root, whose working the cached answer does not show.
- ``exact_text``: free text differing in case, punctuation or inner whitespace.

A data table: :mod:`.traps` runs the cases through routes, judges and reports them.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, Field

from ..segment import find_json_object
from ..values import Completion, GenerationSpec
from .formats_corpus import Problem, follow_patch, solve
from .formats_json_corpus import WRAPPERS, Contact, Developer, Flight, Person, Product

__all__ = ["CATEGORIES", "CASES", "Expect", "Task", "Trap", "TrapModel"]

Expect = Literal["must_not_reuse", "reuse_ok"]
Task = Literal["equation", "json", "text"]

CATEGORIES = (
    "extra_ask",
    "correction",
    "roles",
    "instructions",
    "statements",
    "stale_prose",
    "other_problem",
    "exact_text",
)
"""The classes of cases, in the order the corpus and its reports list them."""


@dataclass(frozen=True)
class Trap:
    """One case: a cached request and its answer, a new request and its correct answer, what is expected.

    ``cached`` / ``new`` are the question (equations, free text) or the text a JSON prompt carries; ``prompt``
    is the caller's JSON prompt around it (``{text}`` marks the text) and ``record`` the object's model (its
    JSON Schema is the request's schema). ``solves``: the new request's equation, when the correct answer is its
    root. ``says`` / ``never``: what a correct answer to the new request states, and must not state (for JSON:
    in the prose around the object)."""

    id: str
    category: str
    expect: Expect
    cached: str
    cached_answer: str
    new: str
    new_answer: str
    task: Task = "equation"
    record: type[BaseModel] | None = None
    prompt: str = "{text}"
    solves: Problem | None = None
    says: tuple[str, ...] = ()
    never: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"{self.id}: unknown category {self.category!r}")
        if (self.record is not None) != (self.task == "json"):
            raise ValueError(f"{self.id}: a JSON case needs a record, and only a JSON case has one")

    @property
    def schema(self) -> dict[str, Any] | None:
        return self.record.model_json_schema() if self.record is not None else None

    def request(self, text: str) -> str:
        """The caller's whole prompt for ``text`` (``cached`` or ``new``)."""
        return self.prompt.replace("{text}", text)


# ---------------------------------------------------------------- the scripted model


_PATCH_KEYS = re.compile(r"Return one JSON object with exactly these keys: (.+?)\. Copy every value")


def _as_is(text: str) -> str:
    return text


def _folded(text: str) -> str:
    return " ".join(text.split())


class TrapModel:
    """The scripted chat model of one case (a core ``Backend``; the integrations wrap :meth:`respond` in their
    own fake models, whose ``style`` it provides). It answers whichever of the case's two requests the prompt
    carries, and follows the engine's patch instructions: an equation's lines after the ones it keeps, a JSON
    object of the keys it names. ``prompts`` records everything it was sent."""

    def __init__(self, case: Trap) -> None:
        self.case = case
        self.style = self.name = f"trap:{case.id}"
        self.prompts: list[str] = []
        self._lock = threading.Lock()

    def _which(self, prompt: str) -> tuple[str, str] | None:
        """(request, answer) the prompt is about: the request it states first (the longer one on a tie), read
        as written, then with whitespace folded (a patch instruction folds it)."""
        pairs = [(self.case.cached, self.case.cached_answer), (self.case.new, self.case.new_answer)]
        for norm in (_as_is, _folded):
            seen = norm(prompt)
            found = [(seen.find(norm(q)), -len(q), q, a) for q, a in pairs if norm(q) and norm(q) in seen]
            if found:
                _, _, q, a = min(found)
                return q, a
        return None

    def respond(self, prompt: str) -> str:
        with self._lock:
            self.prompts.append(prompt)
        which = self._which(prompt)
        if which is None:
            return "I'm not sure what you are asking."
        _, answer = which
        keys = _PATCH_KEYS.search(prompt)
        if keys is not None:
            obj = find_json_object(answer) or {}
            return json.dumps({k: obj[k] for k in (k.strip() for k in keys.group(1).split(",")) if k in obj}, ensure_ascii=False)
        patched = follow_patch(prompt, answer)
        return answer if patched is None else patched

    def complete(self, spec: GenerationSpec) -> Completion:
        text = self.respond(spec.prompt)
        return Completion(text, len(spec.prompt.split()), len(text.split()))


# ---------------------------------------------------------------- records (JSON cases)


class Order(BaseModel):
    item: str = Field(description="the product ordered")
    quantity: int = Field(description="how many units")


class Shipment(BaseModel):
    order_id: str = Field(description="the order number")
    express: bool = Field(description="whether the customer wants express shipping")


class Callback(BaseModel):
    customer: str = Field(description="the account holder the call is about")
    phone: str = Field(description="the number to call back")


class Payment(BaseModel):
    payer: str = Field(description="who paid")
    amount: int = Field(description="the amount paid, in euros")


class Stay(BaseModel):
    guest: str = Field(description="the guest's full name")
    nights: int = Field(description="number of nights")
    breakfast: bool = Field(description="whether breakfast is included")


class Appointment(BaseModel):
    day: str = Field(description="the day of the meeting")
    time: str = Field(description="the time of the meeting")


class Delivery(BaseModel):
    recipient: str = Field(description="who receives the parcel")
    city: str = Field(description="the delivery city")


class Signup(BaseModel):
    name: str = Field(description="the person's full name")
    email: str = Field(description="e-mail address")


class Plan(BaseModel):
    plan: str = Field(description="the plan's name")
    auto_renew: bool = Field(description="whether the plan renews automatically")


class Review(BaseModel):
    product: str = Field(description="the product reviewed")
    rating: int = Field(description="stars given, 1 to 5")


class Reservation(BaseModel):
    guests: int = Field(description="number of people")
    time: str = Field(description="the reservation time")


class Trip(BaseModel):
    origin: str = Field(description="where the journey starts")
    destination: str = Field(description="where the journey ends")


class Sale(BaseModel):
    item: str = Field(description="what was sold")
    seller: str = Field(description="who sold it")
    buyer: str = Field(description="who bought it")


class DogWalk(BaseModel):
    walker: str = Field(description="who walks the dog")
    owner: str = Field(description="whose dog it is")
    dog: str = Field(description="the dog's name")


class Transfer(BaseModel):
    sender: str = Field(description="who sent the money")
    recipient: str = Field(description="who received it")
    amount: int = Field(description="the amount, in dollars")


class Cake(BaseModel):
    baker: str = Field(description="who baked the cake")
    recipient: str = Field(description="who the cake is for")


class Match(BaseModel):
    winner: str = Field(description="the player who won")
    loser: str = Field(description="the player who lost")
    score: str = Field(description="the final score")


class Email(BaseModel):
    sender: str = Field(description="who wrote the e-mail")
    recipient: str = Field(description="who it was sent to")
    subject: str = Field(description="what it is about")


class Loan(BaseModel):
    lender: str = Field(description="who lent the item")
    borrower: str = Field(description="who borrowed it")
    item: str = Field(description="what was lent")


class Lease(BaseModel):
    landlord: str = Field(description="who rents the flat out")
    tenant: str = Field(description="who rents it")


class Translation(BaseModel):
    source_language: str = Field(description="the language to translate from")
    target_language: str = Field(description="the language to translate into")


class Exchange(BaseModel):
    amount: int = Field(description="the amount to convert")
    from_currency: str = Field(description="the currency converted from")
    to_currency: str = Field(description="the currency converted into")


class Interview(BaseModel):
    interviewer: str = Field(description="who asked the questions")
    candidate: str = Field(description="who was interviewed")


class TableBooking(BaseModel):
    booked_by: str = Field(description="who made the booking")
    guest: str = Field(description="who the table is for")


class Expense(BaseModel):
    currency: str
    amount: int


class Ticket(BaseModel):
    status: str
    owner: str


class Resident(BaseModel):
    name: str
    city: str


class Bug(BaseModel):
    priority: str
    component: str


class Bill(BaseModel):
    payment_method: str
    total: int


class Garment(BaseModel):
    size: str
    colour: str


class LampOrder(BaseModel):
    customer: str
    quantity: int


class Subscription(BaseModel):
    status: str
    plan: str


class Inquiry(BaseModel):
    department: str
    invoice: str


class Container(BaseModel):
    country: str
    port: str


class Hike(BaseModel):
    distance: int
    unit: str


class Weather(BaseModel):
    city: str
    temperature: int


class Hotel(BaseModel):
    hotel: str = Field(description="the hotel's name")
    pets_allowed: bool = Field(description="whether pets are allowed")


class Concert(BaseModel):
    event: str = Field(description="the event's name")
    outdoor: bool = Field(description="whether it takes place outdoors")


class Account(BaseModel):
    user: str = Field(description="the account's owner")
    verified: bool = Field(description="whether the account is verified")


class Fare(BaseModel):
    route: str = Field(description="the route of the ticket")
    refundable: bool = Field(description="whether the ticket is refundable")


class Patient(BaseModel):
    patient: str = Field(description="the patient's full name")
    smoker: bool = Field(description="whether the patient smokes")


class Allergies(BaseModel):
    name: str = Field(description="the person's full name")
    allergies: list[str] = Field(description="what the person is allergic to")


class Parcel(BaseModel):
    items: list[str] = Field(description="the items in the parcel")


class Recipe(BaseModel):
    ingredients: list[str] = Field(description="the ingredients needed")


class Job(BaseModel):
    title: str = Field(description="the job title")
    remote: bool = Field(description="whether the job is remote")


class Meeting(BaseModel):
    attendees: list[str] = Field(description="the people attending")


class Dish(BaseModel):
    dish: str = Field(description="the dish's name")
    vegan: bool = Field(description="whether the dish is vegan")


class Speaker(BaseModel):
    name: str = Field(description="the person's full name")
    languages: list[str] = Field(description="the languages the person speaks")


class LineItem(BaseModel):
    item: str = Field(description="the product ordered")
    quantity: int = Field(description="how many units")
    unit_price: int = Field(description="price of one unit, in dollars")


# ---------------------------------------------------------------- case builders


def _solved(
    cat: str, id: str, expect: Expect, style: str, old: Problem, new: Problem, *, asked: tuple[str, str] | None = None
) -> Trap:
    """An equation pair answered in one of the formats corpus's styles; ``asked`` rewords the two questions."""
    cached, new_q = asked or (old.question, new.question)
    return Trap(id, cat, expect, cached, solve(style, old), new_q, solve(style, new), solves=new)


def _steps(
    cat: str, id: str, expect: Expect, cached: tuple[str, str], new: tuple[str, str], *,
    solves: Problem | None = None, says: tuple[str, ...] = (), never: tuple[str, ...] = (),
) -> Trap:  # fmt: skip
    """An equation pair answered as written here: ``(question, answer)`` each."""
    return Trap(id, cat, expect, cached[0], cached[1], new[0], new[1], solves=solves, says=says, never=never)


Wrap = Callable[[dict[str, Any]], str]


def _record(
    cat: str, id: str, expect: Expect, record: type[BaseModel], cached: tuple[str, dict[str, Any]],
    new: tuple[str, dict[str, Any]], *, wrap: str | Wrap = "raw", prompt: str = "Extract the record.\nText: {text}",
    never: tuple[str, ...] = (),
) -> Trap:  # fmt: skip
    """A JSON pair: ``(text, object)`` each, both answers in one wrapper (a :data:`WRAPPERS` name or a function)."""
    render = WRAPPERS[wrap] if isinstance(wrap, str) else wrap
    answers = render(cached[1]), render(new[1])
    return Trap(
        id, cat, expect, cached[0], answers[0], new[0], answers[1], task="json", record=record, prompt=prompt, never=never
    )


def _text(id: str, expect: Expect, cached: tuple[str, str], new: tuple[str, str]) -> Trap:
    return Trap(id, "exact_text", expect, cached[0], cached[1], new[0], new[1], task="text")


_pretty = WRAPPERS["pretty"]


T: Expect = "must_not_reuse"
S: Expect = "reuse_ok"
P = Problem


# ---------------------------------------------------------------- the corpus
# fmt: off

CLAUDE, GPT, GEMINI, LLAMA = "claude-steps-bold-answer", "chatgpt-markdown-latex", "gemini-numbered-list", "llama-step-labels-boxed"
DISPLAY, PLAIN, MISTRAL, QWEN = "display-math-lines", "plain-lines", "mistral-sentences", "qwen-aligned-chain"

_EXTRA_ASK: tuple[Trap, ...] = (
    _steps("extra_ask", "ask-another-expression", T,
           ("Solve for x: 3x + 5 = 20", solve(CLAUDE, P(3, 5, 20))),
           ("If 3x + 5 = 20, what is 3x - 1?",
            "I'll find 3x first.\n\nSubtract 5 from both sides:\n3x = 15\n\nThen subtract 1:\n3x - 1 = 15 - 1 = 14\n\n**Answer: 14**"),
           says=("14",)),
    _steps("extra_ask", "ask-the-square", T,
           ("Solve for y: 7y - 4 = 24", solve(GEMINI, P(7, -4, 24, "y"))),
           ("Solve for y: 7y - 4 = 24, then give the value of y squared.",
            "Here's how to solve the equation:\n\n1. **Add 4 to both sides:**\n   7y = 28\n\n2. **Divide both sides by 7:**\n"
            "   y = 4\n\n3. **Square it:**\n   y² = 4² = 16\n\nTherefore, y = 4 and **y² = 16**."),
           says=("16",)),
    _steps("extra_ask", "round-to-one-decimal", T,
           ("Solve for x: 3x + 4 = 21", solve(GPT, P(3, 4, 21))),
           ("Solve for x: 3x + 4 = 21 and round to one decimal place.",
            "To solve for \\(x\\), isolate it on one side.\n\n### Step 1: Subtract 4 from both sides\n\\[\n3x = 17\n\\]\n\n"
            "### Step 2: Divide both sides by 3\n\\[\nx = \\frac{17}{3} \\approx 5.67\n\\]\n\n"
            "**Answer:** \\(x \\approx 5.7\\) (rounded to one decimal place)"),
           says=("5.7",)),
    _steps("extra_ask", "a-second-equation", T,
           ("Solve for x: 2x + 1 = 9", solve(PLAIN, P(2, 1, 9))),
           ("Solve for x: 2x + 1 = 9, then 5x - 2 = 3.",
            "First equation:\n2x = 9 - 1\n2x = 8\nx = 4\n\nSecond equation:\n5x = 3 + 2\n5x = 5\nx = 1"),
           says=("x = 4", "x = 1")),
    _steps("extra_ask", "answer-in-spanish", T,
           ("Solve for x: 4x - 7 = 21", solve(CLAUDE, P(4, -7, 21))),
           ("Answer in Spanish: Solve for x: 4x - 7 = 21",
            "Lo resolveré paso a paso.\n\nPartimos de: 4x - 7 = 21\n\nSumamos 7 a ambos lados:\n4x = 21 + 7\n4x = 28\n\n"
            "Dividimos ambos lados entre 4:\nx = 7\n\n**Respuesta: x = 7**"),
           says=("Respuesta: x = 7",)),
    _steps("extra_ask", "only-the-final-number", T,
           ("Solve for n: 5n + 3 = 38", solve(LLAMA, P(5, 3, 38, "n"))),
           ("Solve for n: 5n + 3 = 38. Only give the final number.", "7"),
           says=("7",), never=("5n",)),
    _steps("extra_ask", "show-no-steps", T,
           ("Solve for t: 6t - 5 = 13", solve(DISPLAY, P(6, -5, 13, "t"))),
           ("Solve for t: 6t - 5 = 13. Show no steps.", "t = 3"),
           says=("t = 3",), never=("6t",)),
    _steps("extra_ask", "check-by-substitution", T,
           ("Solve for x: 9x + 2 = 47", solve(MISTRAL, P(9, 2, 47))),
           ("Solve for x: 9x + 2 = 47 and check your answer by substitution.",
            "To solve 9x + 2 = 47, first subtract 2 from both sides, which gives 9x = 45.\n"
            "Then divide both sides by 9 to get x = 5.\n"
            "Check: substituting x = 5 gives 9(5) + 2 = 45 + 2 = 47, which matches the right-hand side.\n"
            "So the solution is x = 5."),
           says=("Check",)),
    _steps("extra_ask", "what-is-2x-plus-1", T,
           ("What is x if 8x - 3 = 29?", "8x = 29 + 3\n8x = 32\nx = 4"),
           ("What is 2x + 1 if 8x - 3 = 29?", "8x = 29 + 3\n8x = 32\nx = 4\n2x + 1 = 2(4) + 1 = 9\n\nThe answer is 9."),
           says=("The answer is 9",)),
    _steps("extra_ask", "is-it-prime", T,
           ("Find a: 12a + 6 = 78", solve(QWEN, P(12, 6, 78, "a"))),
           ("Find a: 12a + 6 = 78. Is a a prime number?",
            "12a = 78 - 6 = 72, so a = 72 / 12 = 6.\n\nNo: 6 is not a prime number, since 6 = 2 × 3."),
           says=("not a prime number",)),
    _steps("extra_ask", "as-a-percentage", T,
           ("Solve for x: 5x + 10 = 35", solve(CLAUDE, P(5, 10, 35))),
           ("Solve for x: 5x + 10 = 35 and express x as a percentage of 20.",
            "I'll solve this step by step.\n\nSubtract 10 from both sides:\n5x = 25\n\nDivide both sides by 5:\nx = 5\n\n"
            "As a percentage of 20: 5 / 20 = 0.25 = 25%\n\n**Answer: 25%**"),
           says=("25%",)),
    _steps("extra_ask", "in-words", T,
           ("Solve for x: 3x + 6 = 21", solve(GEMINI, P(3, 6, 21))),
           ("Solve for x: 3x + 6 = 21 and write the answer in words.",
            "Here's how to solve the equation:\n\n1. **Subtract 6 from both sides:**\n   3x = 15\n\n"
            "2. **Divide both sides by 3:**\n   x = 5\n\nIn words: **x equals five**."),
           says=("five",)),
    _steps("extra_ask", "as-a-decimal", T,
           ("Solve for x: 2x - 3 = 8", solve(PLAIN, P(2, -3, 8))),
           ("Solve for x: 2x - 3 = 8. Give x as a decimal.", "2x = 8 + 3\n2x = 11\nx = 5.5"),
           says=("x = 5.5",)),
    _steps("extra_ask", "is-it-negative", T,
           ("Solve for m: 3m + 12 = 3", solve(LLAMA, P(3, 12, 3, "m"))),
           ("Solve for m: 3m + 12 = 3. Is m negative?",
            "Step 1: Subtract 12 from both sides of the equation.\n3m = 3 - 12 = -9\n\n"
            "Step 2: Divide both sides by 3.\nm = -9 / 3 = -3\n\nYes, m is negative: m = -3."),
           says=("Yes",)),
    _steps("extra_ask", "answer-in-german", T,
           ("Solve for x: 6x + 2 = 20", solve(CLAUDE, P(6, 2, 20))),
           ("Antworte auf Deutsch: Solve for x: 6x + 2 = 20",
            "Ich löse das Schritt für Schritt.\n\nAusgangspunkt: 6x + 2 = 20\n\nZiehe auf beiden Seiten 2 ab:\n6x = 20 - 2\n"
            "6x = 18\n\nTeile beide Seiten durch 6:\nx = 3\n\n**Antwort: x = 3**"),
           says=("Antwort: x = 3",)),
    _steps("extra_ask", "x-plus-ten", T,
           ("Solve for x: 4x + 8 = 20", solve(PLAIN, P(4, 8, 20))),
           ("Solve for x: 4x + 8 = 20. What is x + 10?", "4x = 20 - 8\n4x = 12\nx = 3\nx + 10 = 3 + 10 = 13"),
           says=("13",)),
    # safe: constants, names, phrasings the task reads as the same question
    _solved("extra_ask", "safe-constants", S, CLAUDE, P(3, 5, 20), P(3, 7, 25)),
    _solved("extra_ask", "safe-constants-minus", S, GEMINI, P(7, -4, 24, "y"), P(7, -9, 40, "y")),
    _solved("extra_ask", "safe-find-x-if", S, GPT, P(3, 4, 21), P(3, 4, 23),
            asked=("Solve for x: 3x + 4 = 21", "Find x if 3x + 4 = 23.")),
    _solved("extra_ask", "safe-work-out", S, DISPLAY, P(6, -5, 13, "t"), P(6, -5, 31, "t"),
            asked=("Solve for t: 6t - 5 = 13", "Work out t: 6t - 5 = 31")),
    _solved("extra_ask", "safe-rename", S, PLAIN, P(2, 1, 9), P(2, 1, 15, "z")),
    _solved("extra_ask", "safe-boxed", S, LLAMA, P(5, 3, 38, "n"), P(5, 3, 58, "n")),
    _steps("extra_ask", "safe-what-is-x-if", S,
           ("What is x if 8x - 3 = 29?", "8x = 29 + 3\n8x = 32\nx = 4"),
           ("What is x if 8x - 3 = 45?", "8x = 45 + 3\n8x = 48\nx = 6"), solves=P(8, -3, 45)),
    _solved("extra_ask", "safe-solve-for-x-after", S, MISTRAL, P(9, 2, 47), P(9, 2, 65),
            asked=("Solve 9x + 2 = 47 for x.", "Solve 9x + 2 = 65 for x.")),
    _solved("extra_ask", "safe-greek", S, QWEN, P(4, 1, 17, "θ"), P(4, 3, 31, "θ")),
    _solved("extra_ask", "safe-determine", S, CLAUDE, P(5, 10, 35), P(6, 10, 46),
            asked=("Determine x: 5x + 10 = 35", "Determine x: 6x + 10 = 46")),
    _solved("extra_ask", "safe-subscript", S, GPT, P(2, -6, 10, "x_2"), P(2, -6, 16, "x_2")),
    _solved("extra_ask", "safe-word-name", S, GEMINI, P(4, 2, 30, "rate"), P(4, 6, 30, "rate")),
    _solved("extra_ask", "safe-calculate-given", S, PLAIN, P(3, 6, 21), P(3, 6, 27),
            asked=("Calculate x: 3x + 6 = 21", "Calculate x given 3x + 6 = 27.")),
)

_MESSAGE = "Turn the message below into a record.\n\nMessage: {text}"


def _c(id: str, expect: Expect, record: type[BaseModel], cached: tuple[str, dict[str, Any]], new: tuple[str, dict[str, Any]],
       wrap: str | Wrap = "raw") -> Trap:
    return _record("correction", id, expect, record, cached, new, wrap=wrap, prompt=_MESSAGE)


_SPEAKER = ("Please send 3 units of the Orbit S2 speaker.", {"item": "Orbit S2 speaker", "quantity": 3})
_EXPRESS = ("Order A-1042, shipping: express.", {"order_id": "A-1042", "express": True})
_DANA = ("Hi, this is Dana Whitfield, please call me back on 555-0142.", {"customer": "Dana Whitfield", "phone": "555-0142"})
_JONAS = ("Jonas Berg paid 120 euros for the tickets.", {"payer": "Jonas Berg", "amount": 120})
_INES = ("Book 2 nights for Ines Carvalho, with breakfast.", {"guest": "Ines Carvalho", "nights": 2, "breakfast": True})
_TUESDAY = ("Let's meet on Tuesday at 10:00.", {"day": "Tuesday", "time": "10:00"})
_LEA = ("Deliver the parcel to Lea Martin in Lyon.", {"recipient": "Lea Martin", "city": "Lyon"})
_TEA = ("Ich hätte gern 2 Packungen grünen Tee.", {"item": "grünen Tee", "quantity": 2})
_TOM = ("Sign me up: Tom Reed, tom.r@example.com.", {"name": "Tom Reed", "email": "tom.r@example.com"})
_PRO = ("Please switch auto-renew on for my Pro plan.", {"plan": "Pro", "auto_renew": True})
_LUMO = ("I'd give the Lumo desk lamp 4 stars.", {"product": "Lumo desk lamp", "rating": 4})
_TABLE = ("Table for 6 at 20:00, please.", {"guests": 6, "time": "20:00"})
_NORA = ("This is Nora Quinn, my number is 020 7946 0321.", {"customer": "Nora Quinn", "phone": "020 7946 0321"})
_MARDI = ("Rendez-vous mardi à 9h30.", {"day": "mardi", "time": "9h30"})

_CORRECTION: tuple[Trap, ...] = (
    _c("actually-make-it-4", T, Order, _SPEAKER,
       ("Please send 3 units of the Orbit S2 speaker... actually, make it 4.", {"item": "Orbit S2 speaker", "quantity": 4})),
    _c("express-no-standard", T, Shipment, _EXPRESS,
       ("Order A-1042, shipping: express... no, standard is fine.", {"order_id": "A-1042", "express": False}), "fenced"),
    _c("calling-for-her-father", T, Callback, _DANA,
       ("Hi, this is Dana Whitfield calling for my father, Harold Whitfield, who holds the account. Please call back on 555-0142.",
        {"customer": "Harold Whitfield", "phone": "555-0142"}), "pretty"),
    _c("two-amounts", T, Payment, _JONAS,
       ("Jonas Berg paid 120 euros for the tickets but got 20 back, so 100 euros in the end.", {"payer": "Jonas Berg", "amount": 100}),
       "sentence-then-fence"),
    _c("without-breakfast-after-all", T, Stay, _INES,
       ("Book 2 nights for Ines Carvalho, with breakfast. Sorry, without breakfast after all.",
        {"guest": "Ines Carvalho", "nights": 2, "breakfast": False})),
    _c("thursday-then", T, Appointment, _TUESDAY,
       ("Let's meet on Tuesday at 10:00. Wait, Tuesday doesn't work for me; Thursday then, same time.",
        {"day": "Thursday", "time": "10:00"}), "fenced-no-language"),
    _c("i-mean-lille", T, Delivery, _LEA,
       ("Deliver the parcel to Lea Martin in Lyon, sorry, I mean Lille.", {"recipient": "Lea Martin", "city": "Lille"}),
       "fence-then-sentence"),
    _c("doch-lieber-5", T, Order, _TEA,
       ("Ich hätte gern 2 Packungen grünen Tee, nein, doch lieber 5.", {"item": "grünen Tee", "quantity": 5})),
    _c("old-address", T, Signup, _TOM,
       ("Sign me up: Tom Reed, tom.r@example.com. Oh wait, that's my old address; use tom.reed@example.org.",
        {"name": "Tom Reed", "email": "tom.reed@example.org"}), "pretty"),
    _c("leave-it-off", T, Plan, _PRO,
       ("Please switch auto-renew on for my Pro plan. Hmm, on second thought, leave it off.", {"plan": "Pro", "auto_renew": False}),
       "fenced"),
    _c("actually-no-3", T, Review, _LUMO,
       ("I'd give the Lumo desk lamp 4 stars. Actually no, 3: the switch broke after a week.",
        {"product": "Lumo desk lamp", "rating": 3})),
    _c("two-dropped-out", T, Reservation, _TABLE,
       ("Table for 6 at 20:00, please. Two of us dropped out, so make it 4.", {"guests": 4, "time": "20:00"}), "sentence-then-fence"),
    _c("on-behalf-of-her-boss", T, Callback, _NORA,
       ("This is Nora Quinn, calling on behalf of my boss, Mark Ellis; my number is 020 7946 0321.",
        {"customer": "Mark Ellis", "phone": "020 7946 0321"})),
    _c("plutot-mercredi", T, Appointment, _MARDI,
       ("Rendez-vous mardi à 9h30... non, plutôt mercredi, même heure.", {"day": "mercredi", "time": "9h30"}), "pretty"),
    # safe: the same messages with other values
    _c("safe-quantity", S, Order, _SPEAKER, ("Please send 7 units of the Orbit S2 speaker.", {"item": "Orbit S2 speaker", "quantity": 7})),
    _c("safe-order-id", S, Shipment, _EXPRESS, ("Order B-2210, shipping: express.", {"order_id": "B-2210", "express": True}), "fenced"),
    _c("safe-caller", S, Callback, _DANA,
       ("Hi, this is Marco Bellini, please call me back on 555-0199.", {"customer": "Marco Bellini", "phone": "555-0199"}), "pretty"),
    _c("safe-amount", S, Payment, _JONAS, ("Jonas Berg paid 85 euros for the tickets.", {"payer": "Jonas Berg", "amount": 85}),
       "sentence-then-fence"),
    _c("safe-nights", S, Stay, _INES,
       ("Book 5 nights for Ines Carvalho, with breakfast.", {"guest": "Ines Carvalho", "nights": 5, "breakfast": True})),
    _c("safe-day-and-time", S, Appointment, _TUESDAY, ("Let's meet on Friday at 15:30.", {"day": "Friday", "time": "15:30"}),
       "fenced-no-language"),
    _c("safe-recipient-city", S, Delivery, _LEA,
       ("Deliver the parcel to Hugo Blanc in Porto.", {"recipient": "Hugo Blanc", "city": "Porto"}), "fence-then-sentence"),
    _c("safe-packungen", S, Order, _TEA, ("Ich hätte gern 6 Packungen grünen Tee.", {"item": "grünen Tee", "quantity": 6})),
    _c("safe-signup", S, Signup, _TOM, ("Sign me up: Ana Brito, ana.b@example.net.", {"name": "Ana Brito", "email": "ana.b@example.net"}),
       "pretty"),
    _c("safe-auto-renew-off", S, Plan, _PRO, ("Please switch auto-renew off for my Pro plan.", {"plan": "Pro", "auto_renew": False}),
       "fenced"),
    _c("safe-stars", S, Review, _LUMO, ("I'd give the Lumo desk lamp 2 stars.", {"product": "Lumo desk lamp", "rating": 2})),
    _c("safe-table", S, Reservation, _TABLE, ("Table for 3 at 19:30, please.", {"guests": 3, "time": "19:30"}), "sentence-then-fence"),
    _c("safe-jeudi", S, Appointment, _MARDI, ("Rendez-vous jeudi à 11h00.", {"day": "jeudi", "time": "11h00"}), "pretty"),
    _c("safe-number", S, Callback, _NORA,
       ("This is Leo Park, my number is 020 7946 0888.", {"customer": "Leo Park", "phone": "020 7946 0888"})),
)


def _r(id: str, expect: Expect, record: type[BaseModel], cached: tuple[str, dict[str, Any]], new: tuple[str, dict[str, Any]],
       wrap: str | Wrap = "raw") -> Trap:
    return _record("roles", id, expect, record, cached, new, wrap=wrap)


def _swap(obj: dict[str, Any], a: str, b: str) -> dict[str, Any]:
    return {**obj, a: obj[b], b: obj[a]}


_TRAIN = ("I need a train from Lyon to Porto.", {"origin": "Lyon", "destination": "Porto"})
_VESPA = ("The Vespa was sold by Marco Rossi to Elena Bianchi.", {"item": "Vespa", "seller": "Marco Rossi", "buyer": "Elena Bianchi"})
_REX = ("Ben walks Ana's dog Rex every morning.", {"walker": "Ben", "owner": "Ana", "dog": "Rex"})
_SENT = ("Lina Haddad sent 50 dollars to Omar Farouk.", {"sender": "Lina Haddad", "recipient": "Omar Farouk", "amount": 50})
_CAKE = ("A birthday cake baked by Sofia for Karim.", {"baker": "Sofia", "recipient": "Karim"})
_FINAL = ("Kovacs beat Moreau 6-4 6-3 in the final.", {"winner": "Kovacs", "loser": "Moreau", "score": "6-4 6-3"})
_MAIL = ("Email from Priya Nair to Daniel Cho about the Q3 budget.",
         {"sender": "Priya Nair", "recipient": "Daniel Cho", "subject": "Q3 budget"})
_BIKE = ("Marta lent her bike to Piotr for the weekend.", {"lender": "Marta", "borrower": "Piotr", "item": "bike"})
_FLAT = ("Mr Grant rents the flat on Elm Street to Ms Osei.", {"landlord": "Mr Grant", "tenant": "Ms Osei"})
_LETTER = ("Translate this letter from German into Italian.", {"source_language": "German", "target_language": "Italian"})
_USD = ("Convert 200 USD to EUR.", {"amount": 200, "from_currency": "USD", "to_currency": "EUR"})
_BILLET = ("Un billet de Lyon à Porto, s'il vous plaît.", {"origin": "Lyon", "destination": "Porto"})
_INTERVIEW = ("Daniel Cho was interviewed by Priya Nair.", {"interviewer": "Priya Nair", "candidate": "Daniel Cho"})
_BOOKED = ("Kai booked a table for Mia.", {"booked_by": "Kai", "guest": "Mia"})
_DEPARTING = ("Flight to Porto, departing from Lyon.", {"origin": "Lyon", "destination": "Porto"})

_ROLES: tuple[Trap, ...] = (
    _r("from-porto-to-lyon", T, Trip, _TRAIN, ("I need a train from Porto to Lyon.", _swap(_TRAIN[1], "origin", "destination"))),
    _r("sold-by-the-buyer", T, Sale, _VESPA,
       ("The Vespa was sold by Elena Bianchi to Marco Rossi.", _swap(_VESPA[1], "seller", "buyer")), "pretty"),
    _r("whose-dog", T, DogWalk, _REX, ("Ana walks Ben's dog Rex every morning.", _swap(_REX[1], "walker", "owner")), "fenced"),
    _r("sent-back", T, Transfer, _SENT, ("Omar Farouk sent 50 dollars to Lina Haddad.", _swap(_SENT[1], "sender", "recipient"))),
    _r("baked-by-for", T, Cake, _CAKE, ("A birthday cake baked by Karim for Sofia.", _swap(_CAKE[1], "baker", "recipient")),
       "sentence-then-fence"),
    _r("the-other-won", T, Match, _FINAL, ("Moreau beat Kovacs 6-4 6-3 in the final.", _swap(_FINAL[1], "winner", "loser")), "pretty"),
    _r("reply-email", T, Email, _MAIL,
       ("Email from Daniel Cho to Priya Nair about the Q3 budget.", _swap(_MAIL[1], "sender", "recipient")), "fenced"),
    _r("lent-his-bike", T, Loan, _BIKE, ("Piotr lent his bike to Marta for the weekend.", _swap(_BIKE[1], "lender", "borrower"))),
    _r("rents-to", T, Lease, _FLAT, ("Ms Osei rents the flat on Elm Street to Mr Grant.", _swap(_FLAT[1], "landlord", "tenant")),
       "fence-then-sentence"),
    _r("translate-back", T, Translation, _LETTER,
       ("Translate this letter from Italian into German.", _swap(_LETTER[1], "source_language", "target_language"))),
    _r("convert-back", T, Exchange, _USD, ("Convert 200 EUR to USD.", _swap(_USD[1], "from_currency", "to_currency")), "pretty"),
    _r("billet-retour", T, Trip, _BILLET,
       ("Un billet de Porto à Lyon, s'il vous plaît.", _swap(_BILLET[1], "origin", "destination")), "fenced"),
    _r("active-voice", T, Interview, _INTERVIEW,
       ("Daniel Cho interviewed Priya Nair.", _swap(_INTERVIEW[1], "interviewer", "candidate"))),
    _r("booked-for", T, TableBooking, _BOOKED, ("Mia booked a table for Kai.", _swap(_BOOKED[1], "booked_by", "guest")),
       "sentence-then-fence"),
    _r("departing-from", T, Trip, _DEPARTING,
       ("Flight to Lyon, departing from Porto.", _swap(_DEPARTING[1], "origin", "destination")), "pretty"),
    # safe: other values in the same roles
    _r("safe-train", S, Trip, _TRAIN, ("I need a train from Madrid to Seville.", {"origin": "Madrid", "destination": "Seville"})),
    _r("safe-sale", S, Sale, _VESPA,
       ("The Vespa was sold by Luca Ferri to Giulia Conti.", {"item": "Vespa", "seller": "Luca Ferri", "buyer": "Giulia Conti"}),
       "pretty"),
    _r("safe-dog", S, DogWalk, _REX, ("Ben walks Ana's dog Pepper every morning.", {**_REX[1], "dog": "Pepper"}), "fenced"),
    _r("safe-amount", S, Transfer, _SENT, ("Lina Haddad sent 75 dollars to Omar Farouk.", {**_SENT[1], "amount": 75})),
    _r("safe-cake", S, Cake, _CAKE, ("A birthday cake baked by Sofia for Yara.", {"baker": "Sofia", "recipient": "Yara"}),
       "sentence-then-fence"),
    _r("safe-final", S, Match, _FINAL,
       ("Kovacs beat Nilsen 7-5 6-2 in the final.", {"winner": "Kovacs", "loser": "Nilsen", "score": "7-5 6-2"}), "pretty"),
    # a rephrased record ("Daniel Cho got an email from Priya Nair ...") is a change no slot accounts for: the model
    # answers it (see JsonCarryover); safe variants differ in their values only
    _r("safe-email-others", S, Email, _MAIL, ("Email from Lena Vogel to Omar Haddad about the Q4 forecast.",
       {"sender": "Lena Vogel", "recipient": "Omar Haddad", "subject": "Q4 forecast"}), "fenced"),
    _r("safe-loan", S, Loan, _BIKE, ("Marta lent her bike to Jonas for the weekend.", {**_BIKE[1], "borrower": "Jonas"})),
    _r("safe-lease", S, Lease, _FLAT, ("Mr Grant rents the flat on Elm Street to Ms Adeyemi.", {**_FLAT[1], "tenant": "Ms Adeyemi"}),
       "fence-then-sentence"),
    _r("safe-translate", S, Translation, _LETTER, ("Translate this letter from Dutch into Italian.", {**_LETTER[1], "source_language": "Dutch"})),
    _r("safe-convert", S, Exchange, _USD, ("Convert 350 USD to EUR.", {**_USD[1], "amount": 350}), "pretty"),
    _r("safe-billet", S, Trip, _BILLET, ("Un billet de Nantes à Bordeaux, s'il vous plaît.", {"origin": "Nantes", "destination": "Bordeaux"}),
       "fenced"),
    _r("safe-interview", S, Interview, _INTERVIEW, ("Lucas Meyer was interviewed by Priya Nair.", {**_INTERVIEW[1], "candidate": "Lucas Meyer"})),
    _r("safe-booked-for", S, TableBooking, _BOOKED, ("Kai booked a table for Noor.", {"booked_by": "Kai", "guest": "Noor"}),
       "sentence-then-fence"),
    _r("safe-train-others", S, Trip, _TRAIN, ("I need a train from Seville to Bilbao.", {"origin": "Seville", "destination": "Bilbao"})),
)


def _i(id: str, expect: Expect, record: type[BaseModel], prompt: str, cached: tuple[str, dict[str, Any]],
       new: tuple[str, dict[str, Any]], wrap: str | Wrap = "raw") -> Trap:
    return _record("instructions", id, expect, record, cached, new, wrap=wrap, prompt=prompt)


_ISO = "Extract the expense as JSON: currency (the ISO code, e.g. EUR) and amount.\n\nText: {text}"
_STATUS = "Return the ticket's status (one of open, closed, pending) and its owner as JSON.\n\n{text}"
_EXAMPLE = 'Give the person\'s name and city as JSON, for example {"name": "Jane Doe", "city": "Paris"}.\n\n{text}'
_TRIAGE = "Triage this bug report. Fields: priority (low, medium or high) and component.\nReport: {text}"
_METHOD = "payment_method must be card, cash or transfer; total is the amount in euros.\n\n{text}"
_SIZE = "Extract size (S, M, L or XL) and colour from the customer's message: {text}"
_SMITH = "Fields: customer (full name, e.g. John Smith) and quantity.\nMessage: {text}"
_SUBSCRIPTION = "Report the subscription status (active, paused or cancelled) and plan.\nEmail: {text}"
_ROUTE = "Route this message: department (sales, support or billing) and invoice number.\n\n{text}"
_COUNTRY = "Extract the destination country (e.g. Germany) and port.\nText: {text}"
_UNIT = "Fields: distance (a number) and unit (km or mi). {text}"
_OSLO = 'Return the city and temperature, e.g. {"city": "Oslo", "temperature": -3}.\n{text}'

_EUR = ("Paid 40 EUR for the hotel.", {"currency": "EUR", "amount": 40})
_OPEN = ("Ticket 88 is open; Ravi Menon owns it.", {"status": "open", "owner": "Ravi Menon"})
_PARIS = ("Yuki Tanaka lives in Paris.", {"name": "Yuki Tanaka", "city": "Paris"})
_HIGH = ("High priority: card payments fail in checkout.", {"priority": "high", "component": "checkout"})
_CARD = ("Paid 64 euros by card at the front desk.", {"payment_method": "card", "total": 64})
_SIZE_M = ("I'd like it in size M, in blue.", {"size": "M", "colour": "blue"})
_JOHN = ("John Smith ordered 3 lamps.", {"customer": "John Smith", "quantity": 3})
_ACTIVE = ("Status update: your Premium subscription is active.", {"status": "active", "plan": "Premium"})
_SALES = ("Question for sales about invoice INV-7781.", {"department": "sales", "invoice": "INV-7781"})
_HAMBURG = ("Container bound for Hamburg, Germany.", {"country": "Germany", "port": "Hamburg"})
_KM = ("The hike is 12 km long.", {"distance": 12, "unit": "km"})
_MINUS3 = ("It is -3 degrees in Oslo today.", {"city": "Oslo", "temperature": -3})

_INSTRUCTIONS: tuple[Trap, ...] = (
    _i("iso-code-hint", T, Expense, _ISO, _EUR, ("The hotel came to 55 CHF.", {"currency": "CHF", "amount": 55})),
    _i("one-of-open-closed", T, Ticket, _STATUS, _OPEN,
       ("Ravi Menon closed ticket 88 this morning.", {"status": "closed", "owner": "Ravi Menon"}), "pretty"),
    _i("example-object", T, Resident, _EXAMPLE, _PARIS,
       ("Yuki Tanaka moved to Osaka last spring.", {"name": "Yuki Tanaka", "city": "Osaka"}), "fenced"),
    _i("priority-levels", T, Bug, _TRIAGE, _HIGH,
       ("Cosmetic glitch in the footer; priority is low.", {"priority": "low", "component": "footer"}), "sentence-then-fence"),
    _i("allowed-methods", T, Bill, _METHOD, _CARD,
       ("Settled the 64 euros by bank transfer on Monday.", {"payment_method": "transfer", "total": 64})),
    _i("size-list", T, Garment, _SIZE, _SIZE_M, ("Could I get the green one in XL?", {"size": "XL", "colour": "green"}), "fenced"),
    _i("example-name", T, LampOrder, _SMITH, _JOHN,
       ("3 lamps, ordered by phone by Aiko Mori.", {"customer": "Aiko Mori", "quantity": 3}), "pretty"),
    _i("status-list", T, Subscription, _SUBSCRIPTION, _ACTIVE,
       ("We have cancelled your Premium subscription as requested.", {"status": "cancelled", "plan": "Premium"})),
    _i("department-list", T, Inquiry, _ROUTE, _SALES,
       ("I was charged twice on invoice INV-7781; please have billing look at it.", {"department": "billing", "invoice": "INV-7781"}),
       "fence-then-sentence"),
    _i("example-country", T, Container, _COUNTRY, _HAMBURG,
       ("Container bound for Rotterdam in the Netherlands.", {"country": "Netherlands", "port": "Rotterdam"})),
    _i("unit-choices", T, Hike, _UNIT, _KM, ("It's a 12 mi loop.", {"distance": 12, "unit": "mi"}), "pretty"),
    _i("example-weather", T, Weather, _OSLO, _MINUS3, ("Bergen is at 4 degrees today.", {"city": "Bergen", "temperature": 4}),
       "fenced"),
    # the record holds the value in the form asked, and yet a reuse is refused: the instructions ask for a form ("the
    # ISO code", a name or a country like the example's) the next record may not hold as written ("paid in pounds",
    # "from the UK": a copy is then wrong), which no check reads (helper-108). They were safe variants before
    _i("iso-code-as-written", T, Expense, _ISO, _EUR, ("Paid 65 USD for the hotel.", {"currency": "USD", "amount": 65})),
    _i("example-name-as-written", T, LampOrder, _SMITH, _JOHN,
       ("Aiko Mori ordered 5 lamps.", {"customer": "Aiko Mori", "quantity": 5}), "pretty"),
    _i("example-country-as-written", T, Container, _COUNTRY, _HAMBURG,
       ("Container bound for Le Havre, France.", {"country": "France", "port": "Le Havre"})),
    # safe: the same instructions, other values in the same sentence
    _i("safe-status", S, Ticket, _STATUS, _OPEN, ("Ticket 91 is pending; Mei Lin owns it.", {"status": "pending", "owner": "Mei Lin"}),
       "pretty"),
    _i("safe-example-object", S, Resident, _EXAMPLE, _PARIS, ("Omar Haddad lives in Lisbon.", {"name": "Omar Haddad", "city": "Lisbon"}),
       "fenced"),
    _i("safe-priority", S, Bug, _TRIAGE, _HIGH,
       ("Medium priority: card payments fail in checkout.", {"priority": "medium", "component": "checkout"}), "sentence-then-fence"),
    _i("safe-method", S, Bill, _METHOD, _CARD, ("Paid 80 euros by cash at the front desk.", {"payment_method": "cash", "total": 80})),
    _i("safe-size", S, Garment, _SIZE, _SIZE_M, ("I'd like it in size L, in red.", {"size": "L", "colour": "red"}), "fenced"),
    _i("safe-size-s", S, Garment, _SIZE, _SIZE_M, ("I'd like it in size S, in black.", {"size": "S", "colour": "black"})),
    _i("safe-subscription", S, Subscription, _SUBSCRIPTION, _ACTIVE,
       ("Status update: your Basic subscription is paused.", {"status": "paused", "plan": "Basic"})),
    _i("safe-department", S, Inquiry, _ROUTE, _SALES,
       ("Question for support about invoice INV-9020.", {"department": "support", "invoice": "INV-9020"}), "fence-then-sentence"),
    _i("safe-distance", S, Hike, _UNIT, _KM, ("The hike is 18 km long.", {"distance": 18, "unit": "km"}), "pretty"),
    _i("safe-weather", S, Weather, _OSLO, _MINUS3, ("It is 7 degrees in Tromsø today.", {"city": "Tromsø", "temperature": 7}), "fenced"),
)


def _st(id: str, expect: Expect, record: type[BaseModel], cached: tuple[str, dict[str, Any]], new: tuple[str, dict[str, Any]],
        wrap: str | Wrap = "raw") -> Trap:
    return _record("statements", id, expect, record, cached, new, wrap=wrap, prompt="Extract the fields from this text: {text}")


_AERO = ("The Aero 3 blender costs 60 dollars and is in stock.", {"product": "Aero 3 blender", "price": 60, "in_stock": True})
_KIRO = ("Good news: the Kiro 9 lamp costs 25 dollars and is in stock.", {"product": "Kiro 9 lamp", "price": 25, "in_stock": True})
_LUMO_PETS = ("Pets are allowed at Casa Lumo.", {"hotel": "Casa Lumo", "pets_allowed": True})
_PICNIC = ("The Jazz Picnic is held outdoors in Vondelpark.", {"event": "Jazz Picnic", "outdoor": True})
_KIM = ("Kim Lee's account is verified.", {"user": "Kim Lee", "verified": True})
_OSLO_BERGEN = ("The Oslo-Bergen ticket is refundable.", {"route": "Oslo-Bergen", "refundable": True})
_RAY = ("Ray Dunn smokes a pack a day.", {"patient": "Ray Dunn", "smoker": True})
_BECKER = ("Tom Becker knows C++, Rust and Go.", {"name": "Tom Becker", "languages": ["C++", "Rust", "Go"]})
_NO_ALLERGIES = ("Mila Novak has no known allergies.", {"name": "Mila Novak", "allergies": []})
_ALLERGIC = ("Mila Novak is allergic to peanuts and shellfish.", {"name": "Mila Novak", "allergies": ["peanuts", "shellfish"]})
_ONE_ITEM = ("The parcel contains a desk lamp.", {"items": ["desk lamp"]})
_THREE_ITEMS = ("The parcel contains a desk lamp, a blender and a mirror.", {"items": ["desk lamp", "blender", "mirror"]})
_FLOUR = ("You need flour, eggs and milk.", {"ingredients": ["flour", "eggs", "milk"]})
_REMOTE = ("The data analyst role is fully remote.", {"title": "data analyst", "remote": True})
_ATTENDEES = ("Attendees: Ana and Luis.", {"attendees": ["Ana", "Luis"]})
_CURRY = ("The lentil curry is vegan.", {"dish": "lentil curry", "vegan": True})
_SAM = ("Sam Ortiz speaks English and Spanish.", {"name": "Sam Ortiz", "languages": ["English", "Spanish"]})
_JON = ("Jon Hale has no known allergies.", {"name": "Jon Hale", "allergies": []})
_VENTO = ("The Vento X5 fan costs 85 dollars and is out of stock.", {"product": "Vento X5 fan", "price": 85, "in_stock": False})

_STATEMENTS: tuple[Trap, ...] = (
    _st("not-in-stock", T, Product, _AERO,
        ("The Aero 3 blender costs 60 dollars and is not in stock.", {**_AERO[1], "in_stock": False})),
    _st("sold-out", T, Product, _KIRO,
        ("Bad news: the Kiro 9 lamp costs 25 dollars and sold out this morning.", {**_KIRO[1], "in_stock": False}), "pretty"),
    _st("does-not-allow-pets", T, Hotel, _LUMO_PETS, ("Casa Lumo does not allow pets.", {**_LUMO_PETS[1], "pets_allowed": False}),
        "fenced"),
    _st("moved-inside", T, Concert, _PICNIC,
        ("Because of the storm, the Jazz Picnic moved inside the Paradiso hall.", {**_PICNIC[1], "outdoor": False})),
    _st("not-verified-yet", T, Account, _KIM, ("Kim Lee's account has not been verified yet.", {**_KIM[1], "verified": False}), "pretty"),
    _st("non-refundable", T, Fare, _OSLO_BERGEN,
        ("The Oslo-Bergen ticket is non-refundable.", {**_OSLO_BERGEN[1], "refundable": False})),
    _st("quit-smoking", T, Patient, _RAY, ("Ray Dunn quit smoking in 2019.", {**_RAY[1], "smoker": False}), "sentence-then-fence"),
    _st("one-more-language", T, Developer, _BECKER,
        ("Tom Becker knows C++, Rust, Go and Python.", {"name": "Tom Becker", "languages": ["C++", "Rust", "Go", "Python"]}), "fenced"),
    _st("empty-list-then-two", T, Allergies, _NO_ALLERGIES, _ALLERGIC, "pretty"),
    _st("one-item-then-three", T, Parcel, _ONE_ITEM, _THREE_ITEMS),
    _st("and-salt", T, Recipe, _FLOUR, ("You need flour, eggs, milk and salt.", {"ingredients": ["flour", "eggs", "milk", "salt"]}),
        "fenced"),
    _st("on-site", T, Job, _REMOTE, ("The data analyst role is on-site in Leeds; no remote work.", {**_REMOTE[1], "remote": False})),
    _st("third-attendee", T, Meeting, _ATTENDEES, ("Attendees: Ana, Luis and Chen.", {"attendees": ["Ana", "Luis", "Chen"]}), "pretty"),
    _st("contains-ghee", T, Dish, _CURRY, ("The lentil curry contains ghee, so it is not vegan.", {**_CURRY[1], "vegan": False}),
        "fence-then-sentence"),
    _st("only-english", T, Speaker, _SAM, ("Sam Ortiz speaks only English.", {"name": "Sam Ortiz", "languages": ["English"]})),
    _st("except-penicillin", T, Allergies, _JON,
        ("Jon Hale has no known allergies except penicillin.", {"name": "Jon Hale", "allergies": ["penicillin"]}), "sentence-then-fence"),
    _st("asked-then-answered", T, Product, _AERO,
        ("Is the Aero 3 blender in stock? Sadly, no. It costs 60 dollars.", {**_AERO[1], "in_stock": False}), "fenced"),
    _st("was-in-stock", T, Product, _KIRO,
        ("The Kiro 9 lamp costs 25 dollars; it was in stock yesterday but it is gone today.", {**_KIRO[1], "in_stock": False})),
    _st("but-not-python", T, Developer,
        ("Tom Becker knows C++, Rust, Go and Python.", {"name": "Tom Becker", "languages": ["C++", "Rust", "Go", "Python"]}),
        ("Tom Becker knows C++, Rust and Go, but not Python.", _BECKER[1]), "pretty"),
    # safe: other entities, the same statements
    _st("safe-product", S, Product, _AERO,
        ("The Aero 5 blender costs 75 dollars and is in stock.", {"product": "Aero 5 blender", "price": 75, "in_stock": True})),
    _st("safe-good-news", S, Product, _KIRO,
        ("Good news: the Kiro 7 lamp costs 30 dollars and is in stock.", {"product": "Kiro 7 lamp", "price": 30, "in_stock": True}),
        "pretty"),
    _st("safe-hotel", S, Hotel, _LUMO_PETS, ("Pets are allowed at Hotel Sirena.", {"hotel": "Hotel Sirena", "pets_allowed": True}),
        "fenced"),
    _st("safe-event", S, Concert, _PICNIC, ("The Folk Night is held outdoors in Vondelpark.", {"event": "Folk Night", "outdoor": True})),
    _st("safe-account", S, Account, _KIM, ("Ada Moss's account is verified.", {"user": "Ada Moss", "verified": True}), "pretty"),
    _st("safe-fare", S, Fare, _OSLO_BERGEN, ("The Rome-Milan ticket is refundable.", {"route": "Rome-Milan", "refundable": True})),
    _st("safe-patient", S, Patient, _RAY, ("Ana Silva smokes a pack a day.", {"patient": "Ana Silva", "smoker": True}),
        "sentence-then-fence"),
    _st("safe-developer", S, Developer, _BECKER,
        ("Lena Vogel knows C#, Python and Go.", {"name": "Lena Vogel", "languages": ["C#", "Python", "Go"]}), "fenced"),
    _st("safe-allergies", S, Allergies, _ALLERGIC,
        ("Mila Novak is allergic to eggs and soy.", {"name": "Mila Novak", "allergies": ["eggs", "soy"]}), "pretty"),
    _st("safe-items", S, Parcel, _THREE_ITEMS,
        ("The parcel contains a floor lamp, a toaster and a rug.", {"items": ["floor lamp", "toaster", "rug"]})),
    _st("safe-ingredients", S, Recipe, _FLOUR, ("You need rice, beans and corn.", {"ingredients": ["rice", "beans", "corn"]}), "fenced"),
    _st("safe-job", S, Job, _REMOTE, ("The UX designer role is fully remote.", {"title": "UX designer", "remote": True})),
    _st("safe-attendees", S, Meeting, _ATTENDEES, ("Attendees: Mara and Tom.", {"attendees": ["Mara", "Tom"]}), "pretty"),
    _st("safe-dish", S, Dish, _CURRY, ("The chickpea stew is vegan.", {"dish": "chickpea stew", "vegan": True}), "fence-then-sentence"),
    _st("safe-out-of-stock", S, Product, _VENTO,
        ("The Vento X7 fan costs 95 dollars and is out of stock.", {"product": "Vento X7 fan", "price": 95, "in_stock": False})),
)


def _lives(o: dict[str, Any]) -> str:
    return f"```json\n{_pretty(o)}\n```\n\n{o['name']} is {o['age']} years old and lives in {o['city']}."


def _record_for(o: dict[str, Any]) -> str:
    return f"Here's the record for {o['name']} ({o['age']}, {o['city']}):\n\n{json.dumps(o, ensure_ascii=False)}"


def _price_note(o: dict[str, Any]) -> str:
    stock = "in stock" if o["in_stock"] else "out of stock"
    return f"{json.dumps(o, ensure_ascii=False)}\n\nNote: the price ({o['price']} dollars) is taken as stated, and the kettle is {stock}."


def _found_contact(o: dict[str, Any]) -> str:
    return f"I found {o['name']}'s contact details:\n\n```json\n{_pretty(o)}\n```"


def _departs(o: dict[str, Any]) -> str:
    return f"{_pretty(o)}\n\n({o['flight']} departs {o['origin']} and arrives in {o['destination']}.)"


def _total(o: dict[str, Any]) -> str:
    return f"```json\n{_pretty(o)}\n```\nThat makes a total of {o['quantity'] * o['unit_price']} dollars."


def _bullets(o: dict[str, Any]) -> str:
    return f"```json\n{_pretty(o)}\n```\n\n- **Name:** {o['name']}\n- **Age:** {o['age']}\n- **City:** {o['city']}"


def _stock_note(o: dict[str, Any]) -> str:
    return f"{_pretty(o)}\n\nIt is currently {'in stock' if o['in_stock'] else 'out of stock'}."


def _age_note(o: dict[str, Any]) -> str:
    return f"{json.dumps(o, ensure_ascii=False)}\n\n{o['name']} is {o['age']} years old."


def _sp(id: str, expect: Expect, record: type[BaseModel], cached: tuple[str, dict[str, Any]], new: tuple[str, dict[str, Any]],
        wrap: str | Wrap, never: tuple[str, ...] = ()) -> Trap:
    return _record("stale_prose", id, expect, record, cached, new, wrap=wrap, never=never)


_MARIA = ("Maria Lopez is 34 and lives in Madrid.", {"name": "Maria Lopez", "age": 34, "city": "Madrid"})
_ANA = ("Ana Ruiz is 41 and lives in Porto.", {"name": "Ana Ruiz", "age": 41, "city": "Porto"})
_NORDIK = ("The Nordik 2 kettle costs 40 dollars and is in stock.", {"product": "Nordik 2 kettle", "price": 40, "in_stock": True})
_PRIYA = ("Contact Priya Shah at priya.shah@example.com or +1 415 555 0199.",
          {"name": "Priya Shah", "email": "priya.shah@example.com", "phone": "+1 415 555 0199"})
_OMAR = ("Contact Omar Haddad at omar.h@example.org or +44 20 7946 0958.",
         {"name": "Omar Haddad", "email": "omar.h@example.org", "phone": "+44 20 7946 0958"})
_LH = ("Flight LH 1234 leaves Frankfurt for Boston on 2026-12-03.",
       {"flight": "LH 1234", "origin": "Frankfurt", "destination": "Boston", "date": "2026-12-03"})
_BA = ("Flight BA 287 leaves London for San Francisco on 2027-01-15.",
       {"flight": "BA 287", "origin": "London", "destination": "San Francisco", "date": "2027-01-15"})
_LAMPS = ("Order: 3 desk lamps at 12 dollars each.", {"item": "desk lamps", "quantity": 3, "unit_price": 12})

_STALE_PROSE: tuple[Trap, ...] = (
    _sp("note-names-person-and-age", T, Person, _MARIA, _ANA, _lives),
    _sp("sentence-before-names-them", T, Person, ("Lena Vogel, 29, lives in Berlin.", {"name": "Lena Vogel", "age": 29, "city": "Berlin"}),
        ("Tom Becker, 52, lives in Hamburg.", {"name": "Tom Becker", "age": 52, "city": "Hamburg"}), _record_for),
    _sp("note-restates-price", T, Product, _NORDIK,
        ("The Nordik 3 kettle costs 45 dollars and is in stock.", {"product": "Nordik 3 kettle", "price": 45, "in_stock": True}), _price_note),
    _sp("contact-named-before", T, Contact, _PRIYA, _OMAR, _found_contact),
    _sp("flight-parenthetical", T, Flight, _LH, _BA, _departs),
    _sp("derived-total", T, LineItem, _LAMPS, ("Order: 4 desk lamps at 12 dollars each.", {**_LAMPS[1], "quantity": 4}), _total,
        never=("36",)),
    _sp("bullet-summary", T, Person, _MARIA,
        ("Jean-Luc O'Neil is 52 and lives in Lyon.", {"name": "Jean-Luc O'Neil", "age": 52, "city": "Lyon"}), _bullets),
    _sp("stock-note", T, Product, _VENTO, ("The Vento X5 fan costs 85 dollars and is back in stock.", {**_VENTO[1], "in_stock": True}),
        _stock_note, never=("out of stock",)),
    _steps("stale_prose", "times-check", T,
           ("Solve for x: 4x + 3 = 15",
            "Subtract 3 from both sides: 4x = 12.\nDivide both sides by 4: x = 3.\nCheck: 4 times 3 is 12, and 12 + 3 = 15."),
           ("Solve for x: 4x + 7 = 15",
            "Subtract 7 from both sides: 4x = 8.\nDivide both sides by 4: x = 2.\nCheck: 4 times 2 is 8, and 8 + 7 = 15."),
           solves=P(4, 7, 15)),
    _steps("stale_prose", "division-chain", T,
           ("Solve for x: 4x + 3 = 15", "4x = 15 - 3\n4x = 12\nx = 12/4 = 3"),
           ("Solve for x: 4x + 7 = 15", "4x = 15 - 7\n4x = 8\nx = 8/4 = 2"), solves=P(4, 7, 15)),
    _steps("stale_prose", "root-in-words", T,
           ("Solve for x: 2x + 6 = 12", "Subtract 6 from both sides to get 2x = 6, then divide by 2.\nSo x is three: x = 3."),
           ("Solve for x: 2x + 6 = 16", "Subtract 6 from both sides to get 2x = 10, then divide by 2.\nSo x is five: x = 5."),
           solves=P(2, 6, 16), never=("three",)),
    _steps("stale_prose", "half-of", T,
           ("Solve for p: 2p + 10 = 30", "2p = 30 - 10 = 20\nHalf of 20 is 10, so p = 10."),
           ("Solve for p: 2p + 10 = 40", "2p = 40 - 10 = 30\nHalf of 30 is 15, so p = 15."), solves=P(2, 10, 40, "p")),
    _steps("stale_prose", "since-times-table", T,
           ("Solve for x: 5x - 2 = 18", "Add 2 to both sides: 5x = 20.\nSince 5 × 4 = 20, x = 4."),
           ("Solve for x: 5x - 2 = 33", "Add 2 to both sides: 5x = 35.\nSince 5 × 7 = 35, x = 7."), solves=P(5, -2, 33)),
    # safe: prose and chains that restate only the request's own numbers, wrappers whose sentences name nothing
    _solved("stale_prose", "safe-chain-labels", S, LLAMA, P(3, 5, 20), P(3, 7, 25)),
    _solved("stale_prose", "safe-sentences", S, MISTRAL, P(4, -7, 21), P(4, -3, 29)),
    _solved("stale_prose", "safe-bold-answer", S, CLAUDE, P(2, 9, 25, "k"), P(2, 9, 31, "k")),
    _solved("stale_prose", "safe-numbered", S, GEMINI, P(5, 4, 39), P(6, 4, 46)),
    _solved("stale_prose", "safe-aligned", S, QWEN, P(3, -8, 13, "y"), P(3, -2, 13, "y")),
    _steps("stale_prose", "safe-division-chain", S,
           ("Solve for x: 4x + 3 = 15", "4x = 15 - 3 = 12\nx = 12/4 = 3"),
           ("Solve for x: 4x + 3 = 27", "4x = 27 - 3 = 24\nx = 24/4 = 6"), solves=P(4, 3, 27)),
    _sp("safe-closing-sentence", S, Person, _MARIA, _ANA, "fence-then-sentence"),
    _sp("safe-opening-sentence", S, Contact, _PRIYA, _OMAR, "sentence-then-fence"),
    _sp("safe-note-edited-in-place", S, Person, _MARIA,
        ("Maria Lopez is 35 and lives in Madrid.", {"name": "Maria Lopez", "age": 35, "city": "Madrid"}), _age_note),
    _solved("stale_prose", "safe-display", S, DISPLAY, P(7, -3, 25), P(7, -3, 39)),
    _solved("stale_prose", "safe-plain", S, PLAIN, P(9, 4, 40, "n"), P(9, 4, 58, "n")),
    _solved("stale_prose", "safe-latex-greek", S, GPT, P(5, -2, 18, "θ"), P(5, -7, 18, "θ")),
    _sp("safe-flight", S, Flight, _LH, _BA, "fenced-no-language"),
)

_OTHER_PROBLEM: tuple[Trap, ...] = (
    _solved("other_problem", "sign-flips-same-root", T, PLAIN, P(4, 2, 14), P(5, -6, 9)),
    _solved("other_problem", "minus-for-plus", T, CLAUDE, P(2, 3, 11), P(3, -2, 10)),
    _solved("other_problem", "plus-for-minus", T, GEMINI, P(6, -4, 20, "y"), P(2, 7, 15, "y")),
    _solved("other_problem", "root-one", T, LLAMA, P(8, -5, 3), P(3, 4, 7)),
    _solved("other_problem", "sentences", T, MISTRAL, P(5, -10, 15, "t"), P(2, 5, 15, "t")),
    _solved("other_problem", "negative-root", T, GPT, P(3, 9, 0), P(4, -8, -20)),
    _solved("other_problem", "display", T, DISPLAY, P(7, 1, 36), P(3, -4, 11)),
    _solved("other_problem", "root-zero", T, QWEN, P(6, 5, 5), P(2, -3, -3)),
    _steps("other_problem", "sides-swapped", T,
           ("Solve for n: 12 = 4n + 4", "4n + 4 = 12\n4n = 8\nn = 2"),
           ("Solve for n: 2n + 6 = 10", "2n = 10 - 6\n2n = 4\nn = 2"), solves=P(2, 6, 10, "n")),
    _steps("other_problem", "brackets", T,
           ("Solve for x: 2(x + 1) = 10", "2x + 2 = 10\n2x = 8\nx = 4"),
           ("Solve for x: 3x - 4 = 8", "3x = 8 + 4\n3x = 12\nx = 4"), solves=P(3, -4, 8)),
    _steps("other_problem", "decimal-coefficient", T,
           ("Solve for x: 0.5x + 1 = 3", "0.5x = 3 - 1\n0.5x = 2\nx = 4"),
           ("Solve for x: 2x - 1 = 7", "2x = 7 + 1\n2x = 8\nx = 4"), solves=P(2, -1, 7)),
    _steps("other_problem", "a-fraction", T,
           ("Solve for x: x/3 + 2 = 5", "x/3 = 5 - 2\nx/3 = 3\nx = 9"),
           ("Solve for x: 2x - 8 = 10", "2x = 10 + 8\n2x = 18\nx = 9"), solves=P(2, -8, 10)),
    _steps("other_problem", "negative-coefficient", T,
           ("Solve for k: 10 - 2k = 4", "-2k = 4 - 10\n-2k = -6\nk = 3"),
           ("Solve for k: 4k + 1 = 13", "4k = 13 - 1\n4k = 12\nk = 3"), solves=P(4, 1, 13, "k")),
    _steps("other_problem", "both-sides", T,
           ("Solve for x: 5x + 2 = 3x + 10", "5x - 3x = 10 - 2\n2x = 8\nx = 4"),
           ("Solve for x: 7x - 8 = 20", "7x = 20 + 8\n7x = 28\nx = 4"), solves=P(7, -8, 20)),
    # safe: the same equation with other constants (the same root for the first four)
    _solved("other_problem", "safe-same-root", S, PLAIN, P(4, 2, 14), P(5, 2, 17)),
    _solved("other_problem", "safe-same-root-steps", S, CLAUDE, P(2, 3, 11), P(2, 5, 13)),
    _solved("other_problem", "safe-same-root-list", S, GEMINI, P(6, -4, 20, "y"), P(6, -10, 14, "y")),
    _solved("other_problem", "safe-same-root-boxed", S, LLAMA, P(8, -5, 3), P(8, -1, 7)),
    _solved("other_problem", "safe-sentences", S, MISTRAL, P(5, -10, 15, "t"), P(5, -10, 30, "t")),
    _solved("other_problem", "safe-negative-root", S, GPT, P(3, 9, 0), P(5, 15, 0)),
    _solved("other_problem", "safe-display", S, DISPLAY, P(7, 1, 36), P(3, 5, 20)),
    _solved("other_problem", "safe-root-zero", S, QWEN, P(6, 5, 5), P(6, 8, 8)),
    _steps("other_problem", "safe-sides-swapped", S,
           ("Solve for n: 12 = 4n + 4", "4n + 4 = 12\n4n = 8\nn = 2"),
           ("Solve for n: 12 = 5n + 2", "5n + 2 = 12\n5n = 10\nn = 2"), solves=P(5, 2, 12, "n")),
    _steps("other_problem", "safe-brackets", S,
           ("Solve for x: 2(x + 1) = 10", "2x + 2 = 10\n2x = 8\nx = 4"),
           ("Solve for x: 2(x + 3) = 14", "2x + 6 = 14\n2x = 8\nx = 4"), solves=P(2, 6, 14)),
    _steps("other_problem", "safe-negative-coefficient", S,
           ("Solve for k: 10 - 2k = 4", "-2k = 4 - 10\n-2k = -6\nk = 3"),
           ("Solve for k: 16 - 2k = 4", "-2k = 4 - 16\n-2k = -12\nk = 6"), solves=P(-2, 16, 4, "k")),
    _solved("other_problem", "safe-z", S, CLAUDE, P(9, -2, 25, "z"), P(9, -11, 16, "z")),
)

_AI = ("Define AI", "AI (artificial intelligence) is the field of computer science that builds systems able to perform tasks that "
       "normally need human intelligence, such as understanding language, recognising images and making decisions.")
_TURKEY = ("Tell me about Turkey in one sentence.", "Turkey is a transcontinental country spanning southeastern Europe and western "
           "Asia, with Ankara as its capital and Istanbul as its largest city.")
_POLISH = ("Translate to German: Polish", "Polnisch")
_FACTORIAL = ("Compute 4!", "4! = 4 × 3 × 2 × 1 = 24")
_LEAVING = ("Translate to Spanish: You're leaving?", "¿Te vas?")
_INDENTED = ("What does this print?\n\nfor i in range(3):\n    pass\n    print(i)",
             "It prints 0, 1 and 2, one per line: print(i) is inside the loop.")
_SPACES = ("Count the spaces in: 'a  b'", "There are 2 spaces.")
_NICE = ("Describe Nice in one sentence.", "Nice is a city on the French Riviera, known for the Promenade des Anglais and its pebble beaches.")
_REVERSE = ("Reverse the string 'Abc'", "'cbA'")
_UPPER = ("How many uppercase letters are in 'HeLLo'?", "Three: H, L and L.")
_MB = ("How many bits are in 1 MB?", "1 MB (megabyte) is 8,000,000 bits (8,388,608 if you mean a mebibyte).")
_ML = ("Convert 5 mL to liters", "5 mL = 0.005 L")
_CO = ("What is Co?", "Co is the chemical symbol of cobalt, element 27.")

_EXACT_TEXT: tuple[Trap, ...] = (
    _text("lowercase-ai", T, _AI, ("define ai", "An ai is a three-toed sloth (genus *Bradypus*), a slow-moving tree-dwelling mammal of "
                                                "Central and South America; its name imitates its high, whistling call.")),
    _text("country-or-bird", T, _TURKEY, ("Tell me about turkey in one sentence.", "The turkey is a large bird native to North America, "
                                          "domesticated for its meat and traditionally served at Thanksgiving.")),
    _text("polish-or-polish", T, _POLISH, ("Translate to German: polish", "polieren (the verb) or die Politur (the noun)")),
    _text("factorial-mark", T, _FACTORIAL, ("Compute 4", "4 is already a number; there is nothing to compute. Did you mean 4! (that is 24)?")),
    _text("question-or-statement", T, _LEAVING, ("Translate to Spanish: You're leaving.", "Te vas.")),
    _text("python-indentation", T, _INDENTED, ("What does this print?\n\nfor i in range(3):\n    pass\nprint(i)",
                                               "It prints 2 once: print(i) runs after the loop, when i is 2.")),
    _text("inner-spaces", T, _SPACES, ("Count the spaces in: 'a b'", "There is 1 space.")),
    _text("city-or-adjective", T, _NICE, ("Describe nice in one sentence.", '"Nice" describes something pleasant, agreeable or kind.')),
    _text("case-of-a-string", T, _REVERSE, ("Reverse the string 'abc'", "'cba'")),
    _text("uppercase-count", T, _UPPER, ("How many uppercase letters are in 'hello'?", "None: every letter of 'hello' is lowercase.")),
    _text("megabit", T, _MB, ("How many bits are in 1 Mb?", "1 Mb (megabit) is 1,000,000 bits.")),
    _text("megaliters", T, _ML, ("Convert 5 ML to liters", "5 ML (megaliters) = 5,000,000 L")),
    _text("cobalt-or-carbon-monoxide", T, _CO, ("What is CO?", "CO is carbon monoxide, a colourless, toxic gas.")),
    # safe: whitespace at the ends only
    _text("safe-ai", S, _AI, ("  Define AI\n", _AI[1])),
    _text("safe-turkey", S, _TURKEY, (_TURKEY[0] + "   ", _TURKEY[1])),
    _text("safe-polish", S, _POLISH, ("\n\n" + _POLISH[0], _POLISH[1])),
    _text("safe-factorial", S, _FACTORIAL, (_FACTORIAL[0] + "\n", _FACTORIAL[1])),
    _text("safe-leaving", S, _LEAVING, ("\t" + _LEAVING[0], _LEAVING[1])),
    _text("safe-indented", S, _INDENTED, (_INDENTED[0] + "\n\n", _INDENTED[1])),
    _text("safe-spaces", S, _SPACES, (" " + _SPACES[0], _SPACES[1])),
    _text("safe-nice", S, _NICE, (_NICE[0] + "\n", _NICE[1])),
    _text("safe-reverse", S, _REVERSE, (_REVERSE[0] + "  ", _REVERSE[1])),
    _text("safe-uppercase", S, _UPPER, (_UPPER[0] + "\r\n", _UPPER[1])),
    _text("safe-mb", S, _MB, ("  " + _MB[0], _MB[1])),
    _text("safe-ml", S, _ML, (_ML[0] + "\n", _ML[1])),
    _text("safe-co", S, _CO, (_CO[0] + " \n", _CO[1])),
)

# fmt: on

CASES: tuple[Trap, ...] = (
    _EXTRA_ASK + _CORRECTION + _ROLES + _INSTRUCTIONS + _STATEMENTS + _STALE_PROSE + _OTHER_PROBLEM + _EXACT_TEXT
)
"""The corpus, class by class: traps first, then the safe variants of their families."""
