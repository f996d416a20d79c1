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


def solve(folder, options):
    scenario = Scenario(
        burden_cap=options["burden_cap"],
        min_town_saving=options["min_town_saving"],
        max_arrangements=options["max_arrangements"],
    )
    return optimise(load(str(folder)), scenario, SolverSettings(gap=1e-9, threads=1))


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
    # pooled costs are exact in the model (SPEC §5): the plan is the optimum, to
    # floating point (1 yen per arrangement), b < 1 included
    allowed = 1.0 * (len(ev.plan) + 1)
    assert abs(ev.total_savings - truth.savings) <= allowed, (truth.plan, ev.plan)
    assert outcome.gap is not None and outcome.gap <= 1e-9 + allowed / max(abs(outcome.bound), 1.0)
    # the oracle's own formulas agree with our evaluator on our plan
    plan = [(a.task, a.method, a.hub, frozenset(a.participants)) for a in ev.plan]
    check = oracle_evaluate(tmp_path, plan, options["burden_cap"], min_town_saving=options["min_town_saving"], max_arrangements=options["max_arrangements"])
    assert check["violations"] == []
    assert check["total_savings"] == pytest.approx(ev.total_savings, abs=1.0)
    for hub, burden in ev.net_burden.items():
        assert check["net_burden"][hub] == pytest.approx(burden, abs=1.0)


def test_the_seeds_include_concave_costs_with_partial_member_sets(tmp_path):
    """Exactness matters where b < 1 and a plan leaves some members out: the seeds above have such optima."""
    found = 0
    for seed in SEEDS:
        folder = tmp_path / str(seed)
        folder.mkdir()
        options = write_random_instance(folder, seed)
        truth = best_plan(folder, **options)
        instance = load(str(folder))
        for task, method, hub, participants in truth.plan or []:
            rows = [j for (t, j) in instance.rows if t == task]
            if instance.tasks[task].scale_elasticity < 1 and len(participants) >= 2 and set(rows) - set(participants):
                found += 1
    assert found >= 3, found


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
