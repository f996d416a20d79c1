"""The pieces around HiGHS: the LP bound when HiGHS has none, the greedy start, the cap repair."""

from __future__ import annotations

from random_instances import write_random_instance

from kouiki.load import load
from kouiki.model.build import build_model
from kouiki.model.evaluate import evaluate
from kouiki.model.heuristic import repair_caps, starting_plan
from kouiki.model.legal import legal_choices
from kouiki.pipeline import initial_curves, optimise
from kouiki.scenario import Scenario
from kouiki.solvers.highs import Session, SolverSettings

from conftest import small_region, write


def test_the_lp_relaxation_bounds_the_optimum_and_integrality_comes_back(tmp_path):
    instance = load(str(small_region(tmp_path / "r")))
    scenario = Scenario(burden_cap=1e8)
    candidates, _ = legal_choices(instance, scenario)
    session = Session(build_model(instance, scenario, candidates, initial_curves(instance, candidates, 0.01)))
    plan, first = session.solve(SolverSettings(gap=1e-9))
    bound = session.relaxation_bound()
    assert bound is not None and bound >= first.objective - 1.0
    again, second = session.solve(SolverSettings(gap=1e-9))  # integrality restored: the same MIP optimum
    assert sorted(again) == sorted(plan)
    assert abs(second.objective - first.objective) <= 1.0


def test_the_greedy_start_keeps_every_rule_on_random_instances(tmp_path):
    found = 0
    for seed in range(30):
        folder = tmp_path / str(seed)
        folder.mkdir()
        options = write_random_instance(folder, seed)
        instance = load(str(folder))
        scenario = Scenario(burden_cap=options["burden_cap"], min_town_saving=options["min_town_saving"],
                            max_arrangements=options["max_arrangements"])
        candidates, _ = legal_choices(instance, scenario)
        plan = starting_plan(instance, scenario, candidates)
        if plan is not None:
            found += 1
            assert evaluate(instance, scenario, plan).violations == []
    assert found >= 10


def test_a_plan_over_its_cap_is_mended_by_dropping_members(tmp_path):
    folder = small_region(tmp_path / "r", in_force=False)
    write(folder, "municipalities.csv", """
municipality,role,population,can_host
A市,central,150000,1
B町,town,20000,
C町,town,8000,
""")
    instance = load(str(folder))
    generous = optimise(instance, Scenario(burden_cap=1e12, fee_ratio={"delegation": 0.1, "association": 0.1}),
                        SolverSettings()).evaluation
    burden, hub = generous.max_net_burden
    assert burden > 0  # members pay little, so the hub carries the arrangement
    tight = Scenario(burden_cap=burden - 1e6, fee_ratio={"delegation": 0.1, "association": 0.1})
    assert any(rule == "L6" for rule, _ in evaluate(instance, tight, generous.plan).violations)
    mended = repair_caps(instance, tight, generous.plan)
    assert mended is not None
    after = evaluate(instance, tight, mended)
    assert after.violations == []
    assert after.total_savings < generous.total_savings
