from stepcache_core.segment import LineSegmenter
from stepcache_core.tasks.equation import parse_problem
from stepcache_core.tasks.equation.verify import EquationVerifier
from stepcache_core.values import Request

V = EquationVerifier()


def verdicts(prompt, text):
    problem = parse_problem(Request(prompt))
    return [v.ok for v in V.verify_steps(problem, LineSegmenter().segment(text))], problem


def test_correct_solution_passes_every_step():
    oks, problem = verdicts("Solve for x: 3x + 5 = 20", "3x + 5 = 20\n3x = 15\nx = 5")
    assert oks == [True, True, True]
    assert V.check(problem, "3x = 15\nx = 5").ok


def test_wrong_middle_step_is_located():
    oks, _ = verdicts("Solve for x: 3x + 5 = 20", "3x + 5 = 20\n3x = 25\nx = 5")
    assert oks == [True, False, True]


def test_final_value_must_be_exact_and_reduced():
    assert verdicts("Solve for x: 4x = 11", "x = 11/4")[0] == [True]
    assert verdicts("Solve for x: 4x = 11", "x = 2.75")[0] == [True]
    assert verdicts("Solve for x: 4x = 11", "x = 22/8")[0] == [False]
    assert verdicts("Solve for x: 3x = 1", "x = 0.333")[0] == [False]


def test_last_step_must_state_the_answer():
    assert verdicts("Solve for x: 3x + 5 = 20", "3x + 5 = 20\n3x = 15")[0] == [True, False]


def test_prose_numbers_must_come_from_the_request():
    assert verdicts("Solve for x: 3x + 5 = 20", "Subtract 5 from both sides\n3x = 15\nx = 5")[0] == [True, True, True]
    assert verdicts("Solve for x: 3x + 5 = 20", "Subtract 7 from both sides\n3x = 15\nx = 5")[0] == [False, True, True]


def test_garbage_and_empty_output_fail_without_raising():
    assert verdicts("Solve for x: 3x + 5 = 20", "import os; os.system('x')")[0] == [False]
    problem = parse_problem(Request("Solve for x: 3x + 5 = 20"))
    assert not V.check(problem, "").ok


def test_quadratic_needs_every_root():
    assert verdicts("Solve for x: x^2 - 5x + 6 = 0", "x = 2, x = 3")[0] == [True]
    assert verdicts("Solve for x: x^2 - 5x + 6 = 0", "x = 2")[0] == [False]
