"""Independent groups of municipalities solved apart give the optimum of the whole model."""

from __future__ import annotations

import pytest

from kouiki.generate import generate
from kouiki.load import load
from kouiki.model.legal import legal_choices
from kouiki.pipeline import components, optimise, optimise_by_parts
from kouiki.scenario import Scenario
from kouiki.solvers.highs import SolverSettings


@pytest.mark.parametrize("seed", [3, 4])
def test_groups_solved_apart_reach_the_whole_models_optimum(tmp_path, seed):
    generate(tmp_path / "i", municipalities=14, tasks=4, hubs=3, seed=seed, prefectures=3)
    instance = load(str(tmp_path / "i"))
    candidates, _ = legal_choices(instance, Scenario())
    assert len(components(instance, candidates)) >= 2  # prefectures never share a hub
    settings = SolverSettings(gap=1e-9, threads=1)
    apart = optimise_by_parts(instance, Scenario(), settings)
    whole = optimise(instance, Scenario(), settings)
    assert apart.evaluation.violations == []
    assert apart.evaluation.total_savings == pytest.approx(whole.evaluation.total_savings, abs=1.0 * (len(whole.evaluation.plan) + 1))
    assert apart.bound >= apart.evaluation.total_savings - 1.0


def test_an_arrangement_count_keeps_the_model_whole(tmp_path):
    generate(tmp_path / "i", municipalities=12, tasks=3, hubs=3, seed=5, prefectures=3)
    instance = load(str(tmp_path / "i"))
    limited = Scenario(max_arrangements=1)
    outcome = optimise_by_parts(instance, limited, SolverSettings(gap=1e-9))
    assert len(outcome.evaluation.plan) <= 1
