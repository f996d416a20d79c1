"""The MIP's optimum against brute-force enumeration of every plan of tiny instances.

The oracle (tests/oracle.py) reads the same CSVs and applies SPEC §5–§6 on its
own, importing nothing from kouiki; agreement between the two is the strongest
evidence that the model encodes the SPEC.
"""

from __future__ import annotations

import pytest
from oracle import best_plan
from oracle import evaluate as oracle_evaluate
from random_instances import write_random_instance

from kouiki.errors import InfeasibleError
from kouiki.load import load
from kouiki.pipeline import optimise
from kouiki.scenario import Scenario
from kouiki.solvers.highs import SolverSettings

SEEDS = range(60)


def solve(folder, options, tolerance=1e-3):
    scenario = Scenario(
        burden_cap=options["burden_cap"],
        min_town_saving=options["min_town_saving"],
        max_arrangements=options["max_arrangements"],
    )
    return optimise(load(str(folder)), scenario, SolverSettings(gap=1e-9, threads=1), curve_tolerance=tolerance)


@pytest.mark.parametrize("seed", SEEDS)
def test_mip_optimum_matches_every_plan_enumerated(tmp_path, seed):
    options = write_random_instance(tmp_path, seed)
    truth = best_plan(tmp_path, **options)
    if truth.savings is None:
        with pytest.raises(InfeasibleError):
            solve(tmp_path, options)
        return
    outcome = solve(tmp_path, options)
    ev = outcome.evaluation
    # the plan is exactly feasible, so it cannot beat the true optimum …
    assert ev.total_savings <= truth.savings + 1.0
    # … and the curves may cost at most the curve tolerance of the optimum (SPEC §9)
    allowed = 1.0 + 1e-9 * abs(outcome.bound) + 1e-3 * abs(truth.savings)
    assert ev.total_savings >= truth.savings - allowed, (truth.plan, ev.plan)
    # the oracle's own formulas agree with our evaluator on our plan
    plan = [(a.task, a.method, a.hub, frozenset(a.participants)) for a in ev.plan]
    check = oracle_evaluate(tmp_path, plan, options["burden_cap"], min_town_saving=options["min_town_saving"], max_arrangements=options["max_arrangements"])
    assert check["violations"] == []
    assert check["total_savings"] == pytest.approx(ev.total_savings, abs=1.0)
    for hub, burden in ev.net_burden.items():
        assert check["net_burden"][hub] == pytest.approx(burden, abs=1.0)


@pytest.mark.parametrize("seed", range(0, 60, 3))
def test_tight_curve_tolerance_gives_the_exact_optimum(tmp_path, seed):
    options = write_random_instance(tmp_path, seed)
    truth = best_plan(tmp_path, **options)
    if truth.savings is None:
        pytest.skip("no feasible plan for this seed")
    outcome = solve(tmp_path, options, tolerance=1e-7)
    assert outcome.evaluation.total_savings == pytest.approx(truth.savings, abs=1.0 + 1e-6 * abs(truth.savings))


def test_random_instances_exercise_sharing_caps_and_infeasibility(tmp_path):
    """The seeds above are not all trivial: some share, some are infeasible."""
    outcomes = {"shared": 0, "alone": 0, "infeasible": 0}
    for seed in SEEDS:
        folder = tmp_path / str(seed)
        folder.mkdir()
        truth = best_plan(folder, **write_random_instance(folder, seed))
        key = "infeasible" if truth.savings is None else ("shared" if truth.plan else "alone")
        outcomes[key] += 1
    assert outcomes["shared"] >= 20 and outcomes["infeasible"] >= 5, outcomes
