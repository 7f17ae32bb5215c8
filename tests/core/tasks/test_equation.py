import pytest

from stepcache_core.errors import InvalidEquationError
from stepcache_core.segment import LineSegmenter
from stepcache_core.tasks.base import AdaptContext
from stepcache_core.tasks.equation import EquationAdapter, EquationGate, EquationSolver, parse_problem
from stepcache_core.tasks.equation.verify import EquationVerifier
from stepcache_core.values import Request

CACHED = "3x + 5 = 20\n3x = 20 - 5\n3x = 15\nx = 5"


def adapt(old_prompt, new_prompt, cached=CACHED):
    old, new = parse_problem(Request(old_prompt)), parse_problem(Request(new_prompt))
    steps = EquationAdapter().adapt(old, new, LineSegmenter().segment(cached), AdaptContext())
    return steps, new


@pytest.mark.parametrize(
    "prompt,final",
    [
        ("Solve for x: 3x + 7 = 20", "x = 13/3"),
        ("Solve for y: 3y + 25 = 20", "y = -5/3"),
        ("Solve for x: 4x + 5 = 21", "x = 4"),
        ("Find x: 3x + 5 = 20.5", "x = 31/6"),
    ],
)
def test_adapter_recomputes_constants_and_renames(prompt, final):
    steps, new = adapt("Solve for x: 3x + 5 = 20", prompt)
    assert steps[-1].text == final
    assert all(v.ok for v in EquationVerifier().verify_steps(new, steps))
    assert {s.origin for s in steps} == {"adapted"}


def test_adapter_leaves_other_shapes_alone():
    steps, _ = adapt("Solve for x: 3x + 5 = 20", "Solve for x: 5 + 3x = 20")
    assert [s.origin for s in steps] == ["cached"] * 4


@pytest.mark.parametrize(
    "prompt,final",
    [
        ("Solve for x: x^2 + 4x - 45 = 0", "x = -9, x = 5"),  # other signs: another shape, same degree
        ("Solve for y: y^2 - 4 = 0", "y = -2, y = 2"),
    ],
)
def test_adapter_restates_a_nonlinear_equation_and_solves_its_roots(prompt, final):
    cached = "x^2 - 10x + 16 = 0\nx = 2, x = 8"
    steps, new = adapt("Solve for x: x^2 - 10x + 16 = 0", prompt, cached)
    assert steps[0].text == new.equation and steps[-1].text == final
    assert all(v.ok for v in EquationVerifier().verify_steps(new, steps))


def test_adapter_leaves_a_nonlinear_working_step_for_verification():
    cached = "x^2 - 10x + 16 = 0\n(x - 2)(x - 8) = 0\nx = 2, x = 8"
    steps, new = adapt("Solve for x: x^2 - 10x + 16 = 0", "Solve for x: x^2 - 7x + 12 = 0", cached)
    verdicts = EquationVerifier().verify_steps(new, steps)
    assert steps[1].origin == "cached" and not verdicts[1].ok


def test_gate_rejects_structure_changes():
    gate = EquationGate()
    base = parse_problem(Request("Solve for x: 3x + 5 = 20"))
    assert gate.compatible(base, parse_problem(Request("Solve for x: 9x - 1 = 2"))).ok
    for other in ["Solve for x: x^2 = 4", "Solve for x: 3x + 5 = x + 1", "Solve for x: 3x + 5y = 20"]:
        assert not gate.compatible(base, parse_problem(Request(other))).ok


@pytest.mark.parametrize(
    "prompt",
    [
        "Solve for x: 3x + 5 = 20",
        "Solve for z: 2(z - 3) = 4z + 1",
        "Solve for x: x/4 + 2 = 7",
        "Solve for x: x^2 - 5x + 6 = 0",
        "Solve for x: 0.5x = 3",
    ],
)
def test_deterministic_solver_always_verifies(prompt):
    problem = parse_problem(Request(prompt))
    text = EquationSolver().solve(problem)
    assert EquationVerifier().check(problem, text).ok, text


def test_prompt_without_equation_is_a_typed_error():
    with pytest.raises(InvalidEquationError):
        parse_problem(Request("Solve for x please"))


def test_adapter_treats_a_literal_fraction_as_one_number():
    steps, new = adapt("Solve for x: 3x + 5x = 38", "Solve for x: 2x + 1x = 90", cached="3x + 5x = 38\n8x = 38\nx = 19/4")
    assert [s.text for s in steps] == ["2x + 1x = 90", "3x = 90", "x = 30"]


def test_detection_covers_common_wordings():
    from stepcache_core.tasks.equation import detect

    for prompt in [
        "Determine x given that 3x + 5x = 38.",
        "Calculate y: 2y = 4",
        "What value of x satisfies 2x = 4?",
        "3x + 5 = 20",
    ]:
        assert detect(Request(prompt)), prompt


@pytest.mark.parametrize(
    "prompt,name,root",
    [
        ("Solve for t1: 4t1 - 7 = 21", "t1", 7),  # a subscripted variable, never 4*t*1
        ("Solve for x2: 3x2 + 5 = 20", "x2", 5),
        ("Solve for x_1: 2x_1 = 8", "x_1", 4),
        ("Solve for x_{1}: 2x_{1} + 2 = 8", "x_1", 3),
        ("Solve for rate: 3rate + 2 = 11", "rate", 3),  # a named multi-letter unknown, never r*a*t*e
        ("Find speed: speed/2 + 1 = 9", "speed", 16),
        ("Solve for θ: 2θ - 1 = 9", "θ", 5),
        ("Solve for \\theta: 2\\theta - 1 = 9", "θ", 5),
    ],
)
def test_variables_that_are_names_are_read_as_one_unknown(prompt, name, root):
    problem = parse_problem(Request(prompt))
    assert problem.name == name and problem.degree == 1 and problem.solutions == (root,)


def test_named_variable_requests_are_never_served_from_another_equation(make_engine):
    engine, backend = make_engine(["4t1 = 28\nt1 = 7"])
    first = engine.run(Request("Solve for t1: 4t1 - 7 = 21"))
    assert first.trace.task == "linear_equation" and first.text == "4t1 = 28\nt1 = 7"
    second = engine.run(Request("Solve for t1: 4t1 - 11 = 21"))
    assert second.trace.path == "reuse" and second.text == "4t1 = 32\nt1 = 8"
    third = engine.run(Request("Solve for t2: 4t2 - 11 = 21"))
    assert third.trace.path == "reuse" and third.text == "4t2 = 32\nt2 = 8"
    assert len(backend.calls) == 1
