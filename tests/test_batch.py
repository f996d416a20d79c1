"""Scenario batteries (`allocate batch`, kouiki/batch.py) on Dask: reading, checking, resuming, comparing.

The Kensei battery below is solved three times (1 local worker, 2 local workers,
a Dask scheduler and two workers started here as separate processes) and each
scenario once more by plain `allocate`; one module-scoped fixture does all of
it, so the slow solves happen once for every assertion that reads them.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from conftest import small_region, write
from kouiki.batch import ALONE, check_scenarios, read_scenarios
from kouiki.cli import main
from kouiki.errors import InputError
from kouiki.load import load

# At least six Kensei scenarios, the merger and an infeasible one among them;
# chosen among the what-ifs that solve in seconds today (keep-current takes minutes).
KENSEI_BATTERY = """
scenario,what_if,argument
現状,,
上限1億,burden-cap,100000000
合併,merge,小田原市+南足柄市
合併で上限1億,merge,小田原市+南足柄市
合併で上限1億,burden-cap,100000000
委託料5割,fee-ratio,delegation=0.5
箱根町の消防,require,常備消防:箱根町
"""
SCENARIO_ARGS = {
    "現状": [],
    "上限1億": ["--burden-cap", "100000000"],
    "合併": ["--merge", "小田原市+南足柄市"],
    "合併で上限1億": ["--merge", "小田原市+南足柄市", "--burden-cap", "100000000"],
    "委託料5割": ["--fee-ratio", "delegation=0.5"],
    "箱根町の消防": ["--require", "常備消防:箱根町"],  # 箱根町 has willing = 0 for it: infeasible
}


def exit_code(args: list[str]) -> int:
    try:
        main(args)
    except SystemExit as stop:
        return stop.code or 0
    return 0


def subfolders(out: Path) -> dict[str, Path]:
    """Scenario name → its report subfolder (name-hash)."""
    return {p.name.rsplit("-", 1)[0]: p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")}


@pytest.fixture(scope="module")
def kensei_batteries(tmp_path_factory):
    """The Kensei battery with 1 and 2 local workers and on a separate scheduler; each scenario by `allocate`."""
    root = tmp_path_factory.mktemp("battery")
    scenarios = root / "scenarios.csv"
    write(root, "scenarios.csv", KENSEI_BATTERY)
    runs = {}
    for name, extra in (("one", ["--workers", "1"]), ("two", ["--workers", "2"])):
        code = exit_code(["batch", "kensei", str(scenarios), "--out", str(root / name), "--quiet"] + extra)
        runs[name] = (code, root / name)
    with dask_cluster(root) as address:
        code = exit_code(["batch", "kensei", str(scenarios), "--out", str(root / "cluster"), "--quiet", "--scheduler", address])
        runs["cluster"] = (code, root / "cluster")
    alone = {}
    for name, args in SCENARIO_ARGS.items():
        folder = root / "alone" / name
        alone[name] = (exit_code(["kensei", *args, "--out", str(folder), "--quiet"]), folder)
    return runs, alone


class dask_cluster:
    """`dask scheduler` and two `dask worker`s on 127.0.0.1, as separate processes, for the length of a with-block."""

    def __init__(self, root: Path):
        self.file = root / "scheduler.json"
        self.processes: list[subprocess.Popen] = []

    def __enter__(self) -> str:
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        self.processes.append(subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                                                "--port", "0", "--no-dashboard", "--scheduler-file", str(self.file)], **quiet))
        for _ in range(600):
            if self.file.exists() and self.file.stat().st_size:
                break
            time.sleep(0.1)
        for _ in range(2):
            self.processes.append(subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", "--scheduler-file", str(self.file),
                                                    "--host", "127.0.0.1", "--nthreads", "1", "--no-dashboard"], **quiet))
        return json.loads(self.file.read_text())["address"]

    def __exit__(self, *exc):
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def test_every_kensei_battery_run_exits_0_with_every_scenario(kensei_batteries):
    runs, _ = kensei_batteries
    for name, (code, out) in runs.items():
        assert code == 0, name
        assert set(subfolders(out)) == set(SCENARIO_ARGS), name


def test_each_scenarios_arrangements_match_a_separate_allocate_run_byte_for_byte(kensei_batteries):
    runs, alone = kensei_batteries
    for name, (code, folder) in alone.items():
        for run, (_, out) in runs.items():
            mine = subfolders(out)[name]
            assert sorted(p.name for p in mine.iterdir()) == sorted(p.name for p in folder.iterdir()), (run, name)
            for file in ("arrangements.csv", "participation.csv", "ledger.csv"):
                if (folder / file).exists():
                    assert (mine / file).read_bytes() == (folder / file).read_bytes(), (run, name, file)
            if (folder / "infeasibility.csv").exists():  # the same words, but the what-if came from another place
                said = (mine / "infeasibility.csv").read_text(encoding="utf-8-sig")
                for batch_source, cli_source in (("scenarios.csv row 8", "command line"), ("scenarios.csv 8 行目", "コマンドライン")):
                    said = said.replace(batch_source, cli_source)
                assert said == (folder / "infeasibility.csv").read_text(encoding="utf-8-sig")


def test_comparison_is_byte_identical_with_one_two_and_cluster_workers(kensei_batteries):
    runs, _ = kensei_batteries
    files = ("comparison.csv", "comparison_participation.csv")
    first = {f: (runs["one"][1] / f).read_bytes() for f in files}
    for name in ("two", "cluster"):
        for f in files:
            assert (runs[name][1] / f).read_bytes() == first[f], (name, f)


def test_the_infeasible_scenario_is_a_row_with_its_explanation(kensei_batteries):
    runs, alone = kensei_batteries
    assert alone["箱根町の消防"][0] == 1 and alone["現状"][0] == 0
    rows = read_csv(runs["one"][1] / "comparison.csv")
    assert [r["scenario"] for r in rows] == list(SCENARIO_ARGS)  # input order
    by_name = {r["scenario"]: r for r in rows}
    assert by_name["箱根町の消防"]["status"] == "infeasible"
    assert "箱根町" in by_name["箱根町の消防"]["explanation"] and by_name["箱根町の消防"]["total_savings"] == ""
    assert by_name["現状"]["status"] == "optimal" and int(by_name["現状"]["total_savings"]) > 0
    summary = read_csv(subfolders(runs["one"][1])["上限1億"] / "summary.csv")
    option = next(r for r in summary if r["option"] == "1")
    assert by_name["上限1億"]["total_savings"] == option["total_savings"]
    assert by_name["上限1億"]["change_vs_status_quo"] == option["change_vs_status_quo"]
    assert "seconds" not in rows[0]


def test_participation_comparison_has_a_column_per_scenario_and_the_merged_city(kensei_batteries):
    runs, _ = kensei_batteries
    rows = read_csv(runs["one"][1] / "comparison_participation.csv")
    assert list(rows[0]) == ["task", "municipality"] + list(SCENARIO_ARGS)
    merged = [r for r in rows if r["municipality"] == "小田原市・南足柄市"]
    assert merged and all(r["現状"] == "" and r["合併"] for r in merged)
    assert all(r["箱根町の消防"] == "" for r in rows)
    cells = {r["現状"] for r in rows if r["municipality"] != "小田原市・南足柄市"}
    assert ALONE in cells and any("@" in c for c in cells)


def test_rerunning_a_finished_battery_solves_nothing_and_keeps_every_folder(kensei_batteries):
    runs, _ = kensei_batteries
    scenarios = runs["one"][1].parent / "scenarios.csv"
    before = {name: p.stat().st_ino for name, p in subfolders(runs["one"][1]).items()}
    comparison = (runs["one"][1] / "comparison.csv").read_bytes()
    assert exit_code(["batch", "kensei", str(scenarios), "--out", str(runs["one"][1]), "--quiet", "--workers", "1"]) == 0
    assert {name: p.stat().st_ino for name, p in subfolders(runs["one"][1]).items()} == before
    assert {r["this_run"] for r in read_csv(runs["one"][1] / "comparison_seconds.csv")} == {"reused"}
    assert (runs["one"][1] / "comparison.csv").read_bytes() == comparison


def read_csv(path: Path) -> list[dict[str, str]]:
    import csv
    import io

    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


# ---------------------------------------------------------------- small instances


def test_a_scenario_csv_groups_rows_by_name_in_input_order(tmp_path):
    write(tmp_path, "s.csv", """
scenario,what_if,argument
b,burden-cap,5
plain,,
b,exclude,C町
a,--keep-current,
""")
    found = read_scenarios(str(tmp_path / "s.csv"))
    assert [s.name for s in found] == ["b", "plain", "a"]
    assert [(w.kind, w.argument) for w in found[0].what_ifs] == [("burden-cap", "5"), ("exclude", "C町")]
    assert found[0].rows == (2, 4) and found[1].what_ifs == () and found[2].what_ifs[0].kind == "keep-current"


def test_a_folder_of_whatif_files_is_one_scenario_per_file(tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    write(folder, "cap.csv", "what_if,argument\nburden-cap,100\n")
    write(folder, "alone.csv", "what_if,argument\n")
    write(folder, "notes.txt", "not a scenario")
    found = read_scenarios(str(folder))
    assert [(s.name, len(s.what_ifs)) for s in found] == [("alone", 0), ("cap", 1)]


def test_bad_scenario_rows_are_all_reported_with_row_and_column(tmp_path):
    write(tmp_path, "s.csv", """
scenario,what_if,argument
ok,burden-cap,5
,burden-cap,5
x/y,burden-cap,5
z,burdencap,5
z,exclude,
""")
    with pytest.raises(InputError) as caught:
        read_scenarios(str(tmp_path / "s.csv"), lang="en")
    where = [(p.row, p.column) for p in caught.value.problems]
    assert where == [(3, "scenario"), (4, "scenario"), (5, "what_if"), (6, "argument")]
    assert "burden-cap" in str(caught.value)  # the suggestion


def test_what_ifs_are_checked_against_the_instance_up_front(tmp_path):
    region = small_region(tmp_path / "r")
    write(tmp_path, "s.csv", """
scenario,what_if,argument
ok,merge,A市+B町=AB市
ok,exclude,AB市
bad,exclude,Z町
bad,fee-ratio,delegation=2
""")
    instance = load(str(region))
    with pytest.raises(InputError) as caught:
        check_scenarios(instance, read_scenarios(str(tmp_path / "s.csv")))
    assert [(p.file, p.row, p.column) for p in caught.value.problems] == [("s.csv", 4, "argument"), ("s.csv", 5, "argument")]
    assert "Z町" in str(caught.value) and "bad" in str(caught.value)


def test_a_bad_battery_exits_2_before_anything_runs(tmp_path, capsys):
    region = small_region(tmp_path / "r")
    write(tmp_path, "s.csv", "scenario,what_if,argument\nfine,,\nbad,exclude,Z町\n")
    out = tmp_path / "out"
    assert exit_code(["batch", str(region), str(tmp_path / "s.csv"), "--out", str(out), "--quiet", "--lang", "en"]) == 2
    assert not out.exists()
    assert "s.csv, row 3, column 'argument'" in capsys.readouterr().err


def test_without_the_batch_extra_the_user_is_told_how_to_install_it(tmp_path, monkeypatch, capsys):
    import builtins

    real_import = builtins.__import__

    def no_dask(name, *args, **kwargs):
        if name.split(".")[0] == "distributed":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    region = small_region(tmp_path / "r")
    write(tmp_path, "s.csv", "scenario,what_if,argument\nfine,,\n")
    assert exit_code(["batch", str(region), str(tmp_path / "s.csv"), "--out", str(tmp_path / "out")]) == 2
    assert 'pip install "kouiki[batch]"' in capsys.readouterr().err


def test_an_unreachable_scheduler_from_the_environment_is_refused_in_words(tmp_path, capsys, monkeypatch):
    region = small_region(tmp_path / "r")
    write(tmp_path, "s.csv", "scenario,what_if,argument\nfine,,\n")
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", "tcp://127.0.0.1:9")
    code = exit_code(["batch", str(region), str(tmp_path / "s.csv"), "--out", str(tmp_path / "out"), "--quiet", "--lang", "en"])
    assert code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err


SMALL_SCENARIOS = 16


def small_battery(tmp_path: Path) -> tuple[Path, Path]:
    region = small_region(tmp_path / "r")
    lines = ["scenario,what_if,argument"]
    for n in range(SMALL_SCENARIOS):
        lines.append(f"cap{n:02d},burden-cap,{n * 1_000_000}")
        if n % 2:
            lines.append(f"cap{n:02d},exclude,C町")
    write(tmp_path, "s.csv", "\n".join(lines))
    return region, tmp_path / "s.csv"


def test_sigint_during_a_battery_keeps_finished_scenarios_and_a_rerun_does_the_rest_once(tmp_path):
    region, scenarios = small_battery(tmp_path)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "kouiki.cli", "batch", str(region), str(scenarios), "--out", str(out), "--workers", "1", "--quiet"]
    battery = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    for _ in range(1200):  # until the first scenario is written (at most 2 minutes)
        if out.is_dir() and subfolders(out) or battery.poll() is not None:
            break
        time.sleep(0.1)
    battery.send_signal(signal.SIGINT)
    _, err = battery.communicate(timeout=120)
    assert battery.returncode == 130, err.decode()
    finished = {name: p.stat().st_ino for name, p in subfolders(out).items()}
    assert 1 <= len(finished) < SMALL_SCENARIOS
    assert not list(out.glob(".*")), "a partial folder was left behind"
    assert not (out / "comparison.csv").exists()
    for folder in subfolders(out).values():
        assert {p.name for p in folder.iterdir()} == {"summary.csv", "arrangements.csv", "participation.csv", "ledger.csv", "run.json"}

    again = subprocess.run(command, capture_output=True, cwd=tmp_path, timeout=600)
    assert again.returncode == 0, again.stderr.decode()
    after = subfolders(out)
    assert len(after) == SMALL_SCENARIOS
    assert {name: after[name].stat().st_ino for name in finished} == finished  # not redone
    seconds = {r["scenario"]: r["this_run"] for r in read_csv(out / "comparison_seconds.csv")}
    assert {n for n, how in seconds.items() if how == "reused"} == set(finished)
    assert {n for n, how in seconds.items() if how == "solved"} == set(after) - set(finished)
    rows = read_csv(out / "comparison.csv")
    assert [r["scenario"] for r in rows] == [f"cap{n:02d}" for n in range(SMALL_SCENARIOS)]


def test_changing_a_scenarios_what_ifs_solves_it_again_under_a_new_hash(tmp_path):
    region = small_region(tmp_path / "r")
    write(tmp_path, "s.csv", "scenario,what_if,argument\nx,burden-cap,0\ny,exclude,C町\n")
    out = tmp_path / "out"
    assert exit_code(["batch", str(region), str(tmp_path / "s.csv"), "--out", str(out), "--quiet", "--workers", "1"]) == 0
    first = {p.name for p in out.iterdir() if p.is_dir()}
    write(tmp_path, "s.csv", "scenario,what_if,argument\nx,burden-cap,5000000\ny,exclude,C町\n")
    assert exit_code(["batch", str(region), str(tmp_path / "s.csv"), "--out", str(out), "--quiet", "--workers", "1"]) == 0
    second = {r["folder"]: r["this_run"] for r in read_csv(out / "comparison_seconds.csv")}
    assert sorted(second.values()) == ["reused", "solved"]
    assert [f for f, how in second.items() if how == "reused"][0] in first
    assert [f for f, how in second.items() if how == "solved"][0] not in first


def test_xlsx_and_plots_add_a_comparison_workbook_and_chart(tmp_path):
    from openpyxl import load_workbook

    region = small_region(tmp_path / "r")
    write(tmp_path, "s.csv", "scenario,what_if,argument\nplain,,\nnobody,exclude,A市\nnone,require,fire:A市\nnone,exclude,A市\n")
    out = tmp_path / "out"
    assert exit_code(["batch", str(region), str(tmp_path / "s.csv"), "--out", str(out), "--quiet", "--workers", "1", "--xlsx", "--plots"]) == 0
    book = load_workbook(out / "comparison.xlsx")
    assert "比較" in book.sheetnames  # after the workbook's 概要 sheet (issue 11)
    assert [c.value for c in book["比較"]["A"]][1:] == ["plain", "nobody", "none"]
    assert (out / "comparison.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (subfolders(out)["plain"] / "report.xlsx").exists()


def test_a_worker_that_cannot_read_the_instance_reports_it_instead_of_failing(tmp_path):
    from dataclasses import replace

    from kouiki.batch import NamedScenario, jobs_for, solve_scenario
    from kouiki.solvers.highs import SolverSettings

    instance = load(str(small_region(tmp_path / "r")))
    job = jobs_for(instance, [NamedScenario("plain", (), "s.csv")], SolverSettings())[0]
    elsewhere = solve_scenario(replace(job, instance_path=str(tmp_path / "not-here")))
    assert elsewhere.status == "unreadable_on_worker" and "not-here" in elsewhere.message and not elsewhere.files
    other_files = solve_scenario(replace(job, checksum="0" * 64))
    assert other_files.status == "unreadable_on_worker" and "checksum" in other_files.message
    assert solve_scenario(job).status == "solved"
