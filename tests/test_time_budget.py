"""One time budget for the whole run (issue 10), tested with a fake clock, not the machine's speed.

- Options found before the time runs out are kept and reported (exit 0, with a warning).
- A sweep reports the burden caps it finished.
- Loading and legal choices stop at the deadline; no plan found in time is exit 3.
- A plan not proven within the requested gap is never headed "the best".
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import small_region, summary

from kouiki.cli import allocate
from kouiki.deadline import Deadline, OutOfTime
from kouiki.errors import NoPlanInTimeError
from kouiki.load import load
from kouiki.request import RunRequest
from kouiki.scenario import Scenario


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def region(tmp_path) -> Path:
    return small_region(tmp_path / "region", in_force=False)


# ---------------------------------------------------------------- options and sweeps

def test_options_found_before_the_deadline_are_kept_when_it_passes(region, monkeypatch):
    from kouiki import run
    from kouiki.pipeline import Planner

    clock = FakeClock()
    deadline = Deadline(100, clock=clock)
    real_next = Planner.next

    def next_then_time_passes(self):
        outcome = real_next(self)
        clock.now = 1000.0  # the budget is spent once option 1 is found
        return outcome

    monkeypatch.setattr(Planner, "next", next_then_time_passes)
    said = []
    result = run.compute(load(str(region)), RunRequest(path=str(region), n_options=3, lang="en"), said.append, deadline)
    assert result.status == "solved"
    assert [o.number for o in result.options] == [1]
    document = json.loads(result.files["run.json"])
    assert document["options_found"] == 1
    assert any("1 of 3 options found" in w and "time limit" in w for w in document["warnings"])
    assert any("1 of 3 options found" in line for line in said)
    assert not any("options found" in line for line in document["warnings"] if "案" in line)  # one language throughout


def test_options_3_with_a_time_limit_too_short_for_all_reports_the_ones_found(region, tmp_path, monkeypatch):
    """As when HiGHS runs out of time looking for option 2: exit 0, option 1 reported, a warning."""
    from kouiki.pipeline import Planner

    real_next = Planner.next
    calls = []

    def out_of_time_after_the_first(self):
        calls.append(1)
        if len(calls) > 1:
            raise NoPlanInTimeError("the time limit ran out before any plan satisfying every rule was found")
        return real_next(self)

    monkeypatch.setattr(Planner, "next", out_of_time_after_the_first)
    out = tmp_path / "out"
    # the ranked search asks HiGHS for each option (the default distinct search needs no solve)
    result = CliRunner().invoke(allocate, [str(region), "--options", "3", "--ranked", "--time-limit", "30", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert [row["option"] for row in summary(out)] == ["1"]
    assert "案 3 件のうち 1 件が見つかりました" in result.output  # the default language
    calls.clear()
    result = CliRunner().invoke(allocate, [str(region), "--options", "3", "--ranked", "--time-limit", "30", "--lang", "en",
                                           "--out", str(out), "--overwrite"])
    assert result.exit_code == 0, result.output
    assert "1 of 3 options found" in result.output


def test_a_sweep_reports_the_caps_it_finished_when_the_time_runs_out(region, monkeypatch):
    from kouiki import pipeline, run

    clock = FakeClock()
    real_optimise = pipeline.optimise

    def optimise_then_time_passes(*args, **kwargs):
        outcome = real_optimise(*args, **kwargs)
        clock.now = 1000.0
        return outcome

    monkeypatch.setattr(pipeline, "optimise", optimise_then_time_passes)
    request = RunRequest(path=str(region), sweep="burden-cap=0:100000000:4", lang="en")
    result = run.compute(load(str(region)), request, None, Deadline(100, clock=clock))
    assert result.status == "sweep"
    assert len(result.points) == 1
    document = json.loads(result.files["run.json"])
    assert len(document["points"]) == 1
    assert any("1 of 4 burden caps solved" in w for w in document["warnings"])


# ---------------------------------------------------------------- stages check the deadline

def test_legal_choices_stop_at_the_deadline(region):
    from kouiki.model.legal import legal_choices

    clock = FakeClock()
    instance = load(str(region))
    deadline = Deadline(10, clock=clock)
    assert legal_choices(instance, Scenario(), deadline=deadline)[0]
    clock.now = 11
    with pytest.raises(OutOfTime):
        legal_choices(instance, Scenario(), deadline=deadline)


def test_loading_stops_at_the_deadline(region):
    clock = FakeClock()
    deadline = Deadline(10, clock=clock)
    clock.now = 10
    with pytest.raises(OutOfTime):
        load(str(region), deadline=deadline)


def test_a_budget_spent_before_any_plan_is_exit_3_with_nothing_written(region, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(allocate, [str(region), "--time-limit", "1e-9", "--out", str(out)])
    assert result.exit_code == 3, result.output
    assert "制限時間" in result.output and "--time-limit" in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_the_engine_gets_what_is_left_less_the_reports_share():
    from kouiki import run

    clock = FakeClock()
    deadline = Deadline(10, clock=clock)
    clock.now = 4
    instance = type("Rows", (), {"rows": {i: None for i in range(1000)}})()
    solving = run.solve_deadline(instance, RunRequest(path="x"), deadline)
    assert solving.remaining() == pytest.approx(6 - run.REPORT_SECONDS - 1000 * run.REPORT_SECONDS_PER_ROW)
    assert run.solve_deadline(instance, RunRequest(path="x"), Deadline(None, clock=clock)).remaining() is None


def test_the_deadline_counts_from_an_earlier_start():
    clock = FakeClock()
    clock.now = 5
    deadline = Deadline.since(2.0, 10, clock=clock)
    assert deadline.remaining() == pytest.approx(7)
    assert Deadline.since(2.0, None, clock=clock).remaining() is None


# ---------------------------------------------------------------- honest headings

@pytest.mark.parametrize("lang, expected", [("ja", "最善から最大 37% 以内"), ("en", "within 37% of the best possible")])
def test_a_plan_stopped_by_the_time_limit_is_never_called_the_best(lang, expected):
    from kouiki.reports.terminal import option_title

    title = option_title(1, lang, "time_limit", 0.37, 1.0, within=0.37)
    assert expected in title
    assert "最善の案" not in title and "the best plan" not in title
    unknown = option_title(1, lang, "time_limit", None, 1.0, within=None)
    assert "最善の案" not in unknown and "the best plan" not in unknown
    later = option_title(2, lang, "optimal", 0.0, 0.9, best_proven=False, within=0.4)
    assert "最善の案" not in later and "of the best (" not in later
    assert "最善の案" in option_title(1, "ja", "optimal", 0.0, 1.0) or lang == "en"


def test_distances_are_rounded_up_never_understated():
    from kouiki.reports.terminal import at_most

    assert at_most(0.3612) == "37%"
    assert at_most(0.37) == "37%"
    assert at_most(0.0123) == "1.3%"
    assert at_most(0.004) == "0.40%"


def test_the_terminal_heads_an_unproven_plan_with_how_far_it_may_be(region, tmp_path, monkeypatch):
    import dataclasses

    from kouiki import pipeline

    real = pipeline.optimise_by_parts

    def stopped_early(*args, **kwargs):
        outcome = real(*args, **kwargs)
        bound = outcome.evaluation.total_savings / 0.63
        return dataclasses.replace(outcome, bound=bound, gap=0.37,
                                   warnings=["stopped by the time limit: the plan is within 37.00% of the best possible"])

    monkeypatch.setattr(pipeline, "optimise_by_parts", stopped_early)
    result = CliRunner().invoke(allocate, [str(region), "--time-limit", "30", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "最善から最大 37% 以内" in result.output
    assert "最善の案" not in result.output
    assert summary(tmp_path / "out")[0]["status"] == "time_limit"
