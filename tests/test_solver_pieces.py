"""The pieces around HiGHS: the LP bound when HiGHS has none, the greedy start, the cap repair."""

from __future__ import annotations

import pytest
from random_instances import write_random_instance

from kouiki.load import load
from kouiki.deadline import Deadline
from kouiki.model.evaluate import evaluate
from kouiki.model.heuristic import repair_caps, starting_plan
from kouiki.model.legal import legal_choices
from kouiki.model.matrix import MONEY_UNIT, exact_model
from kouiki.pipeline import optimise
from kouiki.scenario import Scenario
from kouiki.solvers.highs import Session, SolverSettings

from conftest import small_region, write


def test_the_lp_relaxation_bounds_the_optimum_and_integrality_comes_back(tmp_path):
    instance = load(str(small_region(tmp_path / "r")))
    scenario = Scenario(burden_cap=1e8)
    candidates, _ = legal_choices(instance, scenario)
    session = Session(exact_model(instance, scenario, candidates), SolverSettings())
    first, values = session.solve_mip(Deadline(), 1e-9)
    status, _, relaxed = session.solve_lp(Deadline())
    assert status == "optimal" and relaxed * MONEY_UNIT >= first.objective - 1.0
    again, second_values = session.solve_mip(Deadline(), 1e-9)  # integrality restored: the same MIP optimum
    assert abs(again.objective - first.objective) <= 1.0
    assert all(abs(v - round(v)) < 1e-6 for v, integer in zip(second_values, session.exact.matrix.integer) if integer)


def test_pooled_cost_cuts_are_valid_everywhere_and_exact_where_they_are_cut(tmp_path):
    """Edmonds: every cut is below f on every participant set, and the cut for a set is tight there."""
    import itertools
    import random

    from kouiki.model.matrix import PooledCost

    rng = random.Random(7)
    for _ in range(40):
        n = rng.randint(1, 6)
        curve = PooledCost(("t", "m", "h"), tuple(range(n)), tuple(rng.choice([0.0, rng.uniform(0, 50)]) for _ in range(n)),
                           rng.uniform(0, 5), rng.uniform(0, 3), rng.choice([0.3, 0.7, 0.95, 1.0]))
        sets = [set(c) for k in range(n + 1) for c in itertools.combinations(range(n), k)]
        for chosen in sets:
            weights = curve.exact_cut(chosen)
            exact = curve.g(sum(curve.volumes[i] for i in chosen))
            assert sum(weights[i] for i in chosen) == pytest.approx(exact, abs=1e-9)
            for other in sets:
                assert sum(weights[i] for i in other) <= curve.g(sum(curve.volumes[i] for i in other)) + 1e-9
            point = [1.0 if i in chosen else 0.0 for i in range(n)]
            assert curve.most_violated(point)[0] == pytest.approx(exact, abs=1e-9)


def test_the_exact_model_prices_a_plan_at_its_exact_savings(tmp_path):
    """At a plan's start values the objective is the evaluator's total savings, to the yen."""
    instance = load(str(small_region(tmp_path / "r")))
    scenario = Scenario(burden_cap=1e12)
    candidates, _ = legal_choices(instance, scenario)
    exact = exact_model(instance, scenario, candidates)
    plan = starting_plan(instance, scenario, candidates)
    assert plan
    values = exact.start_values(plan)
    objective = sum(exact.matrix.cost[c] * v for c, v in values.items()) * MONEY_UNIT
    assert objective == pytest.approx(evaluate(instance, scenario, plan).total_savings, abs=1.0)
    for (index, coefficients, lower, upper), name in zip(exact.matrix.rows, exact.matrix.row_names):
        activity = sum(values[c] * a for c, a in zip(index, coefficients))
        assert lower - 1e-7 <= activity <= upper + 1e-7, name


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


def hub_carried_region(folder):
    """The small region with one hub and low fee ratios: the hub carries the arrangements."""
    small_region(folder, in_force=False)
    write(folder, "municipalities.csv", """
municipality,role,population,can_host
A市,central,150000,1
B町,town,20000,
C町,town,8000,
""")
    return load(str(folder))


def test_a_plan_over_its_cap_is_mended_by_dropping_members(tmp_path):
    instance = hub_carried_region(tmp_path / "r")
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


def test_mending_stops_when_its_time_is_up(tmp_path, monkeypatch):
    """Each trial evaluates the whole plan (thousands at national scale): the mend keeps to its deadline."""
    from kouiki.model import heuristic

    instance = hub_carried_region(tmp_path / "r")
    fees = {"delegation": 0.1, "association": 0.1}
    generous = optimise(instance, Scenario(burden_cap=1e12, fee_ratio=fees), SolverSettings()).evaluation
    tight = Scenario(burden_cap=generous.max_net_burden[0] - 1e6, fee_ratio=fees)
    now = [0.0]
    deadline = Deadline(5, clock=lambda: now[0])
    evaluations = []
    real = heuristic.evaluate

    def evaluate_as_time_passes(*args, **kwargs):
        evaluations.append(1)
        now[0] += 3.0  # each trial costs 3 s of the 5
        return real(*args, **kwargs)

    monkeypatch.setattr(heuristic, "evaluate", evaluate_as_time_passes)
    assert repair_caps(instance, tight, generous.plan, deadline=deadline) is None
    assert len(evaluations) == 2  # the plan itself and one trial: then the time is up
    assert repair_caps(instance, tight, generous.plan) is not None  # without a deadline it mends


def test_a_start_proven_optimal_is_the_plan_when_highs_hands_back_fractional_values(tmp_path):
    """Seen on the national preset: status optimal, no improving solution, a fractional solution."""
    instance = load(str(small_region(tmp_path / "r")))
    scenario = Scenario(burden_cap=1e12)
    candidates, _ = legal_choices(instance, scenario)
    exact = exact_model(instance, scenario, candidates)
    optimum = optimise(instance, scenario, SolverSettings()).evaluation.plan
    session = Session(exact, SolverSettings())
    session.add_rows([(name, terms, 0.0, float("inf")) for name, terms in exact.exact_cuts(optimum)])
    start = exact.start_values(optimum)
    session.give_start(start)

    class FractionalSolution:  # HiGHS as seen, everything else passed through
        def __init__(self, highs):
            self._highs = highs

        def __getattr__(self, name):
            return getattr(self._highs, name)

        def getSolution(self):
            solution = self._highs.getSolution()
            solution.col_value = [0.5 if integer else v for v, integer in zip(solution.col_value, exact.matrix.integer)]
            return solution

    session.highs = FractionalSolution(session.highs)
    facts, values = session.solve_mip(Deadline(600), 1e-6)
    assert facts.status == "optimal" and facts.has_plan
    if session.incumbent is None:  # HiGHS reported nothing better than the start: the start is the plan
        assert exact.plan_of(values) == exact.plan_of([start.get(i, 0.0) for i in range(len(values))])
    assert sorted(map(str, exact.plan_of(values))) == sorted(map(str, optimum))
