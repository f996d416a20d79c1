"""Trust (issue 5): same answer whatever the row order or thread count, faults end cleanly, answers re-checked.

- Row order and --threads do not change a byte of the reports.
- Ctrl-C during a solve: exit 130, no report folder, no `.<name>.partial-*` folder.
- --time-limit holds by our own clock (the watchdog cancels HiGHS GRACE_SECONDS after it);
  wall-clock bounds are ten times what is expected, so a busy machine cannot fail them.
- --verify passes on random instances of moderate size and catches a re-solve that disagrees.
- HiGHS errors and unwritable output locations are reported in a sentence, with no folder left.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import itertools
import json
import math
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import english, small_region, summary, unfold, write

from kouiki.cli import allocate
from kouiki.generate import generate
from kouiki.load import bundled_instances

PLAN_FILES = ["summary.csv", "arrangements.csv", "participation.csv", "ledger.csv"]


# ---------------------------------------------------------------- helpers

def run(args: list[str]):
    return CliRunner().invoke(allocate, english([str(a) for a in args]))


def no_traceback(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


def partial_folders(out: Path) -> list[Path]:
    return list(out.parent.glob(f".{out.name}.partial-*"))


def read_rows(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def comparable(folder: Path) -> dict[str, object]:
    """The report CSVs as bytes; summary.csv without its `seconds` column (a timing)."""
    found: dict[str, object] = {}
    for name in PLAN_FILES:
        if name == "summary.csv":
            rows = read_rows(folder / name)
            drop = rows[0].index("seconds")
            found[name] = [row[:drop] + row[drop + 1:] for row in rows]
        else:
            found[name] = (folder / name).read_bytes()
    return found


@pytest.fixture
def region(tmp_path) -> Path:
    """A city and two towns sharing fire and waste (as in test_reports)."""
    return small_region(tmp_path / "region", in_force=False)


@pytest.fixture(scope="module")
def hard(tmp_path_factory) -> Path:
    """40 municipalities × 30 tasks × 4 hubs: HiGHS needs about a minute to prove the optimum."""
    folder = tmp_path_factory.mktemp("hard") / "h2"
    generate(folder, municipalities=40, tasks=30, hubs=4, seed=2)
    return folder


def kensei_copy(folder: Path) -> Path:
    shutil.copytree(bundled_instances()["kensei"], folder)
    return folder


# municipalities.csv and tasks.csv set the order of every report (issue 11): only the
# other tables' row order must not matter.
ORDER_FILES = ("municipalities.csv", "tasks.csv")


def shuffle_rows(source: Path, target: Path, rng: random.Random) -> None:
    """Copy an instance folder, every CSV but the two that set the reports' order with its data rows in a random order."""
    target.mkdir()
    for path in sorted(source.iterdir()):
        if path.suffix != ".csv" or path.name in ORDER_FILES:
            shutil.copy(path, target / path.name)
            continue
        rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
        header, body = rows[0], rows[1:]
        shuffled = body[:]
        while len(body) > 1 and shuffled == body:
            rng.shuffle(shuffled)
        buffer = io.StringIO(newline="")
        csv.writer(buffer, lineterminator="\n").writerows([header] + shuffled)
        (target / path.name).write_text(buffer.getvalue(), encoding="utf-8", newline="")


# ---------------------------------------------------------------- determinism

# Kensei (with current.csv, so option 0 too) capped at 2 arrangements solves in ~1.5 s;
# a generated instance adds reach.csv and a larger participation table.
def _kensei(folder: Path) -> tuple[Path, list[str]]:
    return kensei_copy(folder), ["--max-arrangements", "2"]


def _generated(folder: Path) -> tuple[Path, list[str]]:
    generate(folder, municipalities=20, tasks=8, hubs=3, seed=11)
    return folder, []


@pytest.mark.parametrize("make", [_kensei, _generated], ids=["kensei", "generated"])
def test_row_order_does_not_change_a_byte_of_the_reports(tmp_path, make):
    original, options = make(tmp_path / "original")
    base = tmp_path / "base"
    result = run([original, "--out", base, "--quiet", *options])
    assert result.exit_code == 0, result.output
    expected = comparable(base)
    rng = random.Random(5)
    for n in range(3):
        shuffled = tmp_path / f"shuffled{n}"
        shuffle_rows(original, shuffled, rng)
        assert (shuffled / "instance.csv").read_bytes() != (original / "instance.csv").read_bytes()
        out = tmp_path / f"out{n}"
        result = run([shuffled, "--out", out, "--quiet", *options])
        assert result.exit_code == 0, result.output
        got = comparable(out)
        for name in PLAN_FILES:
            assert got[name] == expected[name], f"shuffle {n}: {name} differs"


def test_one_thread_and_two_threads_give_the_same_reports(tmp_path):
    # One process per run, as `allocate` is used: HiGHS fixes its thread pool for the
    # whole process at the first solve (see the test below).
    original, options = _kensei(tmp_path / "kensei")
    outs = {}
    for threads in (1, 2):
        outs[threads] = tmp_path / f"threads{threads}"
        process = subprocess.run([sys.executable, "-m", "kouiki.cli", str(original), "--out", str(outs[threads]),
                                  "--quiet", "--threads", str(threads), *options], capture_output=True, text=True, timeout=120)
        assert process.returncode == 0, process.stderr
    assert summary(outs[1])[-1]["total_savings"] == summary(outs[2])[-1]["total_savings"]
    one, two = comparable(outs[1]), comparable(outs[2])
    for name in PLAN_FILES:
        assert one[name] == two[name], f"{name} differs between --threads 1 and --threads 2"


def test_another_thread_count_in_the_same_process_works_or_is_explained(tmp_path):
    # a model HiGHS has to branch on (tiny ones never start the thread pool)
    original, options = _kensei(tmp_path / "kensei")
    results = [run([original, "--out", tmp_path / f"threads{threads}", "--quiet", "--threads", threads, *options])
               for threads in (2, 1)]
    for result in results:
        no_traceback(result)
        assert result.exit_code == 0 or "thread" in result.output, result.output


# ---------------------------------------------------------------- Ctrl-C
# Ctrl-C just before HiGHS starts and inside a HiGHS solve: tests/test_interrupts.py
# (stages "before_highs" and "highs"), with every other stage of a run.


# ---------------------------------------------------------------- time limit

def test_time_limit_holds_by_the_wall_clock(hard, tmp_path):
    out = tmp_path / "report"
    # how closely the limit holds is measured by bench/timelimit.py; here, what happened:
    # HiGHS needs about a minute for this instance, so a plan marked time_limit (or exit 3)
    # means the run stopped at its limit (the timeout only keeps a hung run from hanging the suite)
    process = subprocess.run([sys.executable, "-m", "kouiki.cli", str(hard), "--time-limit", "2", "--out", str(out), "--quiet"],
                             capture_output=True, text=True, timeout=900)
    assert process.returncode in (0, 3), process.stderr
    if process.returncode == 3:
        assert "制限時間" in process.stderr and not out.exists()  # the default language
        return
    option = summary(out)[-1]
    assert option["status"] == "time_limit", option
    assert option["mip_gap"] and math.isfinite(float(option["mip_gap"])) and float(option["mip_gap"]) > 0
    assert partial_folders(out) == []


def test_a_time_limit_before_any_bound_is_not_reported_optimal(hard, tmp_path, monkeypatch):
    from kouiki.solvers import highs as solver

    # In a fresh `allocate` process (2 cores, default threads) HiGHS stopped at its limit
    # before the root LP reports objective_bound = inf; a process whose thread pool was
    # sized 1 by an earlier test gets a finite bound. Pin what HiGHS says in the first case.
    real_solve = solver.Session.solve_mip

    def no_bound_yet(self, deadline, gap, on_improving=None):
        facts, values = real_solve(self, deadline, gap, on_improving)
        if facts.status == "time_limit":
            facts = dataclasses.replace(facts, bound=math.inf, gap=math.nan)
        return facts, values

    monkeypatch.setattr(solver.Session, "solve_mip", no_bound_yet)
    out = tmp_path / "report"
    result = run([hard, "--time-limit", "0.05", "--out", out, "--quiet"])
    assert result.exit_code in (0, 3), result.output
    if result.exit_code == 0:
        option = summary(out)[-1]
        assert option["status"] == "time_limit", option
        assert option["mip_gap"] == "" or math.isfinite(float(option["mip_gap"])), option

        def refuse(constant):
            raise ValueError(f"run.json holds {constant}, which is not JSON")

        json.loads((out / "run.json").read_text(encoding="utf-8"), parse_constant=refuse)


def test_the_watchdog_cancels_highs_when_it_overruns_its_limit(hard, monkeypatch):
    """HiGHS told to ignore the limit (as it did for 54 s in presolve): our clock stops it."""
    from kouiki.deadline import Deadline
    from kouiki.load import load
    from kouiki.model.legal import legal_choices
    from kouiki.model.matrix import exact_model
    from kouiki.scenario import Scenario
    from kouiki.solvers import highs as solver

    instance = load(str(hard))
    candidates, _ = legal_choices(instance, Scenario())
    exact = exact_model(instance, Scenario(), candidates)

    session = solver.Session(exact, solver.SolverSettings())
    deaf = DeafHighs(session)
    monkeypatch.setattr(session, "highs", deaf)
    # an injected clock that moves one second each time it is read: HiGHS's limit passes at once
    deadline = Deadline(0.5, clock=itertools.count(0.0, 1.0).__next__)
    facts, _ = session.solve_mip(deadline, 1e-9)
    assert session.cancelled and deaf.stopped  # HiGHS would have run on: only the watchdog stopped it
    assert facts.status == "time_limit"


class DeafHighs:
    """A HiGHS that ignores its time limit and runs until asked to stop (as it once did for 54 s in presolve)."""

    def __init__(self, session):
        self.session, self.highs, self.stopped = session, session.highs, False

    def run(self):
        for _ in range(6000):  # at most a minute
            if self.session.stop_requested:  # what HiGHS's interrupt callback answers
                self.stopped = True
                return
            time.sleep(0.01)

    def __getattr__(self, name):
        return getattr(self.highs, name)


# ---------------------------------------------------------------- --verify

@pytest.mark.parametrize("seed", range(1, 9))
def test_verify_passes_on_random_instances_of_moderate_size(tmp_path, seed):
    rng = random.Random(seed)
    shape = dict(municipalities=rng.randint(15, 25), tasks=rng.randint(6, 10), hubs=rng.randint(2, 3))
    folder = tmp_path / "instance"
    generate(folder, seed=seed, **shape)
    result = run([folder, "--verify", "--time-limit", "30", "--out", tmp_path / "report"])
    assert result.exit_code == 0, (shape, result.output)
    assert "verified: the plan" in result.output


def test_verify_catches_a_re_solve_that_disagrees(tmp_path, monkeypatch):
    from kouiki import pipeline
    from kouiki.model.evaluate import evaluate

    folder = tmp_path / "instance"
    generate(folder, municipalities=18, tasks=7, hubs=3, seed=1)
    real_next = pipeline.Planner.next
    calls = []

    def worse_the_second_time(self):
        outcome = real_next(self)
        calls.append(outcome)
        if len(calls) < 2:
            return outcome
        # the re-solve "finds" the plan without its most saving arrangement
        plan = sorted(outcome.evaluation.arrangements, key=lambda r: r.savings)
        worse = evaluate(self.instance, self.scenario, [r.arrangement for r in plan[:-1]])
        assert worse.total_savings < outcome.evaluation.total_savings - 1e6
        return dataclasses.replace(outcome, evaluation=worse)

    monkeypatch.setattr(pipeline.Planner, "next", worse_the_second_time)
    out = tmp_path / "report"
    # --max-arrangements couples the groups: one Planner for the plan, the second call is --verify's
    result = run([folder, "--verify", "--max-arrangements", "12", "--out", out])
    assert len(calls) == 2
    assert result.exit_code == 4, result.output
    assert "--verify" in result.output
    no_traceback(result)
    assert not out.exists() and partial_folders(out) == []


# ---------------------------------------------------------------- HiGHS errors

def _highs_fails(monkeypatch):
    from kouiki.solvers import highs as solver

    def error(self, deadline, gap, on_improving=None):
        return solver.SolverFacts("error", False, None, None, None, 0.0), None

    def lp_error(self, deadline):
        return "error", None, None

    monkeypatch.setattr(solver.Session, "solve_mip", error)
    monkeypatch.setattr(solver.Session, "solve_lp", lp_error)  # no LP bound either: only HiGHS could prove a plan


def test_a_highs_error_without_any_plan_is_reported_in_words(region, tmp_path, monkeypatch):
    from kouiki import pipeline

    # B町 must join fire, so doing everything alone is no fallback; no greedy plan either
    write(region, "instance.csv", """
task,municipality,volume,willing
fire,A市,150000,
fire,B町,20000,must
fire,C町,8000,
waste,A市,150000,
waste,B町,20000,
waste,C町,8000,
""")
    _highs_fails(monkeypatch)
    monkeypatch.setattr(pipeline.Planner, "starting_plan", lambda self, deadline=None: None)
    out = tmp_path / "report"
    result = run([region, "--out", out])
    assert result.exit_code == 4, result.output
    assert "HiGHS stopped without a plan (status: error)" in result.output
    no_traceback(result)
    assert not out.exists() and partial_folders(out) == []


def test_a_highs_error_is_reported_in_words_not_as_an_optimal_plan(region, tmp_path, monkeypatch):
    _highs_fails(monkeypatch)
    out = tmp_path / "report"
    result = run([region, "--out", out])
    assert result.exit_code == 4, (result.exit_code, result.output, out.exists() and summary(out))
    assert "HiGHS" in result.output
    no_traceback(result)
    assert not out.exists() and partial_folders(out) == []


# ---------------------------------------------------------------- output location

def test_a_read_only_output_location_is_refused_in_words(region, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        probe = locked / "probe"
        try:
            probe.mkdir()
            probe.rmdir()
            pytest.skip("running as root: permissions are not enforced (the file case below covers it)")
        except PermissionError:
            pass
        out = locked / "report"
        result = run([region, "--out", out, "--quiet"])
        assert result.exit_code == 2, result.output
        assert "cannot create the report folder" in result.output and "ermission denied" in result.output
        no_traceback(result)
        assert not out.exists() and list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_an_output_location_under_a_file_is_refused_in_words(region, tmp_path):
    blocker = tmp_path / "somefile.txt"
    blocker.write_text("not a folder")
    out = blocker / "report"
    result = run([region, "--out", out, "--quiet"])
    assert result.exit_code == 2, result.output
    assert f"cannot create the report folder {out}" in unfold(result.output)
    no_traceback(result)
    assert blocker.read_text() == "not a folder"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["region", "somefile.txt"]
