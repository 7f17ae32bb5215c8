"""Reading answers as models write them: layout labels, markdown, LaTeX, chains, names, signed numbers.

Each test names the class of input it covers; the instances are examples of the class, not the workload's."""

from __future__ import annotations

import pytest

from stepcache_core import Request
from stepcache_core.bench.formats import STYLES, Problem, solve
from stepcache_core.segment import LayoutSegmenter
from stepcache_core.tasks.equation import EquationVerifier, parse_problem
from stepcache_core.tasks.equation.notation import Names, label_end, math_view, number_spans, statements

SEG = LayoutSegmenter()


def verdicts(prompt: str, answer: str):
    problem = parse_problem(Request(prompt))
    return EquationVerifier().verify_steps(problem, SEG.segment(answer))


def passes(prompt: str, answer: str) -> bool:
    return all(v.ok for v in verdicts(prompt, answer))


# ----------------------------------------------------------------- layout


@pytest.mark.parametrize(
    "text",
    [
        "",
        "x = 5",
        "\n\n3x = 15\n\n\nx = 5\n",
        "### Step 1\r\n3x = 15\r\n\r\nx = 5",
        "  - indented bullet\n\t- tab\n",
        "\\[\n3x = 15\n\\]\n\n**Answer:** \\(x = 5\\)",
    ],
)
def test_layout_segmentation_round_trips_every_text_byte_for_byte(text):
    assert SEG.render(SEG.segment(text)) == text


@pytest.mark.parametrize(
    "line,label",
    [
        ("Step 1: Subtract 5", "Step 1: "),
        ("**Step 2:** Divide by 3", "**Step 2:** "),
        ("### Step 3 - Check", "### Step 3 - "),
        ("1. Subtract 5", "1. "),
        ("2) 3x = 15", "2) "),
        ("- 3x = 15", "- "),
        ("> * Step 4: x = 5", "> * Step 4: "),
        ("3x = 15", ""),
        ("1.5x = 3", ""),  # a decimal is not a list number
    ],
)
def test_layout_labels_are_not_math(line, label):
    assert line[: label_end(line)].rstrip() == label.rstrip()


# ----------------------------------------------------------------- math views


@pytest.mark.parametrize(
    "text,expected",
    [
        ("\\(3x + 5 = 20\\)", ["3x + 5 = 20"]),
        ("\\[ x = \\frac{15}{3} \\]", ["x = ((15)/(3))"]),
        ("$$3x \\cdot 2 = 30$$", ["3x * 2 = 30"]),
        ("$x = 20 \\div 4$", ["x = 20 / 4"]),
        ("3x = 20 − 5", ["3x = 20 - 5"]),  # unicode minus
        ("2 × 3x = 30", ["2 * 3x = 30"]),
        ("3x = 15 \\implies x = 5", ["3x = 15", "x = 5"]),
        ("3x = 15 ⇒ x = 5", ["3x = 15", "x = 5"]),
        ("3x &= 15 \\\\", ["3x = 15"]),
        ("**Answer: x = 5**", ["x = 5"]),
        ("Subtract 5 from both sides to get 3x = 15.", ["3x = 15"]),
        ("3x = 20 - 5 = 15", ["3x = 20 - 5 = 15"]),
    ],
)
def test_latex_markdown_and_unicode_math_read_as_plain_statements(text, expected):
    assert [" ".join(s.split()) for s in statements(math_view(text))] == expected


@pytest.mark.parametrize(
    "prompt,written,placeholder_equation",
    [
        ("Solve for t1: 4t1 - 7 = 21", "4t1 - 7 = 21", "4Q - 7 = 21"),
        ("Solve for x_{2}: 3x_{2} = 9", "3x_2 = 9", "3Q = 9"),
        ("Find \\theta: 2\\theta + 1 = 9", "2θ + 1 = 9", "2Q + 1 = 9"),
        ("Solve for rate: 3rate + 2 = 11", "3rate + 2 = 11", "3Q + 2 = 11"),
    ],
)
def test_names_map_to_one_unknown_in_every_spelling(prompt, written, placeholder_equation):
    problem = parse_problem(Request(prompt))
    assert problem.equation == placeholder_equation and problem.written == written


def test_names_are_never_split_into_letters_or_digits():
    names = Names.detect("Solve for t1: 4t1 - 7 = 21", "4t1 - 7 = 21")
    assert [m.group() for m in number_spans("4t1 - 7 = 21 and t12 = 3", names)] == ["4", "7", "21", "3"]
    assert math_view("t1 = 7, t12 = 7", names).startswith("Q = 7")


def test_unary_minus_belongs_to_its_number_binary_minus_does_not():
    spans = number_spans("x = -3/4, 20 - 5 = 15, (-2), 3θ - 7")
    assert [(s.group(), s.signed) for s in spans] == [
        ("-3/4", True), ("20", False), ("5", False), ("15", False), ("-2", True), ("3", False), ("7", False)
    ]  # fmt: skip


# ----------------------------------------------------------------- verification: accepts every style


@pytest.mark.parametrize("style", sorted(STYLES))
@pytest.mark.parametrize(
    "problem", [Problem(3, 5, 20), Problem(4, -7, 21, "t1"), Problem(3, 7, 20, "θ"), Problem(2, 6, 6, "rate")]
)
def test_every_assistant_style_verifies_when_right(style, problem):
    assert passes(problem.question, solve(style, problem))


# ----------------------------------------------------------------- verification: refutes every style when wrong


def _corrupt_final(text: str, problem: Problem) -> str:
    right = str(problem.root.numerator) if problem.root.denominator == 1 else None
    assert right is not None
    lines = text.splitlines(keepends=True)
    for i in range(len(lines) - 1, -1, -1):
        if right in lines[i]:
            j = lines[i].rfind(right)
            lines[i] = lines[i][:j] + str(int(right) + 1) + lines[i][j + len(right) :]
            return "".join(lines)
    raise AssertionError("no final value found")


@pytest.mark.parametrize("style", sorted(STYLES))
def test_a_wrong_final_value_is_refuted_in_every_style(style):
    problem = Problem(3, 5, 20)
    bad = verdicts(problem.question, _corrupt_final(solve(style, problem), problem))
    failed = [v for v in bad if not v.ok]
    assert failed and not all(v.unreadable for v in failed)


@pytest.mark.parametrize(
    "answer",
    [
        "3x = 20 - 5 = 14\nx = 14/3",  # a chain with a wrong link
        "\\[ x = \\frac{15}{3} = 6 \\]\n**Answer:** x = 6",
        "Step 1: 3x = 16\nStep 2: x = 16/3",
        "3x + 7 = 20\n3x = 13\nx = 13/3",  # restates another equation of the same structure, consistently
        "x = 5\nCheck: 3(5) + 5 = 21",  # wrong arithmetic after the answer
        "The answer is \\boxed{6}. Since 3x = 15, x = 5.",
        "The answer is \\boxed{6}.\n3x = 15\nx = 5",  # a wrong boxed value before a right final line
        "3x = 15\nx = 5\n\nThe final answer is: $\\boxed{\\frac{16}{3}}$",  # a wrong LaTeX fraction, boxed last
        "3x = 15\nx = 5\nSo x is 6.",  # a value stated in words after the right one
        "3x = 15, so x equals 6.",
        "3x = 15\nx = 5\n**Answer:** 6",
    ],
)
def test_wrong_statements_anywhere_are_refuted(answer):
    failed = [v for v in verdicts("Solve for x: 3x + 5 = 20", answer) if not v.ok]
    assert failed and not all(v.unreadable for v in failed)


@pytest.mark.parametrize(
    "answer",
    [
        "Let me think about this carefully.",  # no final answer at all
        "The result is five.",
        "\\boxed{5}",  # a bare value that never names the variable
        "3x = 15\nx = 5\nThe final answer is \\boxed{\\sqrt{25}}",  # a boxed value it cannot read
    ],
)
def test_answers_without_a_readable_final_answer_are_unreadable_not_passed(answer):
    failed = [v for v in verdicts("Solve for x: 3x + 5 = 20", answer) if not v.ok]
    assert failed and all(v.unreadable for v in failed)


def test_final_answer_must_name_the_request_variable():
    assert not passes("Solve for t1: 4t1 - 7 = 21", "4t1 = 28\nt = 7")
    assert not passes("Solve for t1: 4t1 - 7 = 21", "4t = 28\nt = 7")  # read as another unknown, never as t1
    assert passes("Solve for t1: 4t1 - 7 = 21", "4t1 = 28\nt1 = 7")


def test_final_values_must_be_exact_and_reduced():
    assert not passes("Solve for x: 3x + 5 = 20", "3x = 15\nx = 15/3")
    assert not passes("Solve for x: 3x + 5 = 20", "3x = 15\n\\(x = \\frac{10}{2}\\)")
    assert passes("Solve for x: 3x + 7 = 20", "3x = 13\n\\(x = \\frac{13}{3}\\)")
    assert passes("Solve for x: 3x + 7 = 20", "3x = 13\nx = 13/3 ≈ 4.33")  # an approximation after the exact value


@pytest.mark.parametrize(
    "prompt,answer",
    [
        ("Solve for k: 2.5k = 10", "Divide both sides by 2.5:\n\nk = 10 ÷ 2.5 = 4"),  # a chain whose first link is not a number
        ("Solve for y: 5y - 4 = 3y + 6", "We have $5y - 4 = 3y + 6$.\nMoving terms: $2y = 10$.\nThus $y = 5$."),
        ("Solve for x: x/4 + 2 = 5", "1) Subtract 2: x/4 = 3\n2) Multiply by 4: x = 12\n\n**x = 12**"),
    ],
)
def test_answers_outside_the_corpus_verify(prompt, answer):
    assert passes(prompt, answer)
    assert not passes(prompt, answer.replace("= 4", "= 5").replace("y = 5$", "y = 6$").replace("x = 12**", "x = 13**"))
