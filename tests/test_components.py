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


def test_time_left_over_goes_to_a_group_that_stopped_unproven(tmp_path, monkeypatch):
    """A group stopped by its share of the time is solved again with what the others left unused."""
    import dataclasses

    from kouiki.deadline import Deadline
    from kouiki.pipeline import Planner

    generate(tmp_path / "i", municipalities=14, tasks=4, hubs=3, seed=3, prefectures=3)
    instance = load(str(tmp_path / "i"))
    calls: dict[int, int] = {}
    real = Planner.finish

    def first_try_cut_short(self, search, deadline=None):
        calls[id(self)] = calls.get(id(self), 0) + 1
        outcome = real(self, search, deadline)
        if len(calls) == 1 and calls[id(self)] == 1:  # the first group: as if its share ran out
            return dataclasses.replace(outcome, warnings=["cut short"], bound=outcome.bound + 1e9)
        return outcome

    monkeypatch.setattr(Planner, "finish", first_try_cut_short)
    outcome = optimise_by_parts(instance, Scenario(), SolverSettings(gap=1e-9, threads=1), deadline=Deadline(3600))
    assert sorted(calls.values(), reverse=True)[0] == 2  # the first group was finished twice
    assert sum(calls.values()) == len(calls) + 1  # every other group once
    assert not outcome.warnings and outcome.gap is not None and outcome.gap <= 1e-9 + 1e-12
