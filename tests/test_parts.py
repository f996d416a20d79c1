"""The independent groups of one instance solved on Dask workers (kouiki/parts.py, `allocate PATH --workers N`)."""

from __future__ import annotations

import pytest

pytest.importorskip("distributed")

from kouiki.cli import main
from kouiki.generate import generate
from kouiki.load import load
from kouiki.pipeline import optimise_by_parts
from kouiki.scenario import Scenario
from kouiki.solvers.highs import SolverSettings


@pytest.fixture(scope="module")
def three_prefectures(tmp_path_factory):
    """A generated region of three prefectures: reach stays inside each, so three groups."""
    folder = tmp_path_factory.mktemp("parts") / "region"
    generate(folder, seed=2, municipalities=24, tasks=8, hubs=6, prefectures=3)
    return folder


def exit_code(args: list[str]) -> int:
    try:
        main(args)
    except SystemExit as stop:
        return stop.code or 0
    return 0


def test_groups_on_two_workers_give_the_same_reports_as_one_by_one(three_prefectures, tmp_path):
    assert exit_code([str(three_prefectures), "--out", str(tmp_path / "serial"), "--quiet"]) == 0
    assert exit_code([str(three_prefectures), "--out", str(tmp_path / "parallel"), "--quiet", "--workers", "2"]) == 0
    for file in ("arrangements.csv", "participation.csv", "ledger.csv"):
        assert (tmp_path / "parallel" / file).read_bytes() == (tmp_path / "serial" / file).read_bytes(), file


def test_each_group_is_one_task_and_the_bound_is_their_sum(three_prefectures):
    from kouiki.parallel import workers
    from kouiki.parts import groups_of, optimise_on_workers

    instance = load(str(three_prefectures))
    scenario, settings = Scenario(), SolverSettings()
    groups, _, coupled = groups_of(instance, scenario)
    assert len(groups) == 3 and not coupled
    serial = optimise_by_parts(instance, scenario, settings)
    with workers(2) as client:
        solve = optimise_on_workers(client, str(three_prefectures), [])
        parallel = solve(instance, scenario, settings)
    assert len(solve.group_seconds) == 3
    assert parallel.evaluation.plan == serial.evaluation.plan
    assert parallel.bound == pytest.approx(serial.bound, rel=1e-12)
    assert parallel.evaluation.total_savings == serial.evaluation.total_savings


def test_a_deadline_reaches_the_groups_as_their_shares_of_its_seconds(three_prefectures, monkeypatch):
    from kouiki import parallel, parts
    from kouiki.deadline import Deadline

    limits = []

    def in_this_process(client, function, jobs, keys, on_done, on_tick=None):
        for number, job in enumerate(jobs):
            limits.append(job.settings.time_limit)
            on_done(number, function(job))

    monkeypatch.setattr(parallel, "run_jobs", in_this_process)
    instance = load(str(three_prefectures))
    solve = parts.optimise_on_workers(None, str(three_prefectures), [], workers=1)
    outcome = solve(instance, Scenario(), SolverSettings(), deadline=Deadline(60, clock=lambda: 1000.0))
    assert len(limits) == 3 and all(0 < limit <= 60 for limit in limits)
    assert sum(limits) == pytest.approx(60)  # one lane: the groups share the budget by size
    assert outcome.evaluation.total_savings == optimise_by_parts(instance, Scenario(), SolverSettings()).evaluation.total_savings
