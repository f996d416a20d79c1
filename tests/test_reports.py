"""The reports as a user receives them: complete, stable, Excel-readable (SPEC §8)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import english, unfold, small_region, write

from kouiki.cli import allocate

PLAN_FILES = ["summary.csv", "arrangements.csv", "participation.csv", "ledger.csv"]


@pytest.fixture
def region(tmp_path) -> Path:
    """A city and two towns sharing fire and waste; the fire delegation is in force today."""
    return small_region(tmp_path / "region", in_force=True)


def run(args: list[str]):
    return CliRunner().invoke(allocate, english(args), catch_exceptions=False)


def read_csv(path: Path) -> list[dict]:
    text = path.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff"), f"{path.name} lacks the BOM Excel needs"
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_two_runs_give_byte_identical_reports(region, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    assert run([str(region), "--out", str(first), "--quiet"]).exit_code == 0
    assert run([str(region / "instance.csv"), "--out", str(second), "--quiet"]).exit_code == 0
    for name in PLAN_FILES:
        if name == "summary.csv":  # its seconds column is a timing
            strip = lambda p: [{k: v for k, v in row.items() if k != "seconds"} for row in read_csv(p)]
            assert strip(first / name) == strip(second / name)
        else:
            assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_reports_hold_the_status_quo_as_option_0_and_the_optimum_as_option_1(region, tmp_path):
    out = tmp_path / "out"
    result = run([str(region), "--out", str(out), "--lang", "ja"])
    assert result.exit_code == 0, result.output
    summary = read_csv(out / "summary.csv")
    assert [row["option"] for row in summary] == ["0", "1"]
    assert summary[0]["status"] == "status_quo" and summary[1]["status"] == "optimal"
    change = int(summary[1]["total_savings"]) - int(summary[0]["total_savings"])
    assert int(summary[1]["change_vs_status_quo"]) == change > 0
    arrangements = read_csv(out / "arrangements.csv")
    quo = [a for a in arrangements if a["option"] == "0"]
    assert [(a["task"], a["method"], a["method_ja"], a["participants"]) for a in quo] == [("fire", "delegation", "事務の委託", "A市;B町")]
    # every number in arrangements.csv adds up as SPEC §5 says
    for a in arrangements:
        assert int(a["savings"]) == pytest.approx(int(a["standalone_total"]) - int(a["operating_cost"]) - int(a["arrangement_cost"]), abs=2)
    option1 = sum(int(a["savings"]) for a in arrangements if a["option"] == "1")
    assert option1 == pytest.approx(int(summary[1]["total_savings"]), abs=len(arrangements))
    participation = read_csv(out / "participation.csv")
    assert len(participation) == 2 * 6  # every (task, municipality) row, in both options
    ledger = read_csv(out / "ledger.csv")
    hub = next(row for row in ledger if row["option"] == "1" and row["municipality"] == "A市")
    assert int(hub["net_burden"]) <= int(hub["burden_cap"]) == 100000000
    document = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert document["instance"]["sha256"] and document["solver"]["status"] == "optimal"
    assert any(e["rule"] == "L2" for e in document["excluded"])
    assert "案0" in result.output and "事務の委託" in result.output  # --lang ja, the default


def test_an_infeasible_run_writes_the_explanation_and_no_plan(region, tmp_path):
    write(region, "instance.csv", """
task,municipality,volume,willing
fire,A市,150000,0
fire,B町,20000,must
fire,C町,8000,
waste,A市,150000,
waste,B町,20000,
waste,C町,8000,
""")
    out = tmp_path / "out"
    result = CliRunner().invoke(allocate, english([str(region), "--out", str(out)]))
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["infeasibility.csv", "run.json"]
    rows = read_csv(out / "infeasibility.csv")
    assert rows and rows[0]["rule"] == "L8" and "B町" in rows[0]["explanation"]


def test_a_cap_conflicting_with_must_is_named_in_words(region, tmp_path):
    write(region, "instance.csv", """
task,municipality,volume,willing
fire,A市,150000,
fire,B町,20000,must
fire,C町,8000,
waste,A市,150000,
waste,B町,20000,
waste,C町,8000,
""")
    # A市 would have to come out 10億円 ahead: no plan does that
    write(region, "municipalities.csv", """
municipality,role,population,can_host,burden_cap
A市,central,150000,1,-1000000000
B町,town,20000,,
C町,town,8000,,
""")
    out = tmp_path / "out2"
    result = CliRunner().invoke(allocate, english([str(region), "--out", str(out)]))
    assert result.exit_code == 1
    rules = {row["rule"] for row in read_csv(out / "infeasibility.csv")}
    assert rules == {"L6"} or rules == {"L6", "L8"}
    assert "A市" in result.output


def test_an_existing_report_folder_is_never_overwritten_silently(region, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = CliRunner().invoke(allocate, english([str(region), "--out", str(out)]))
    assert result.exit_code == 2 and "--overwrite" in result.output
    assert (out / "keep.txt").read_text() == "mine"
    assert run([str(region), "--out", str(out), "--overwrite", "--quiet"]).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(PLAN_FILES + ["run.json"])


def test_no_partial_folder_is_left_when_writing_fails(region, tmp_path, monkeypatch):
    from kouiki.reports import write as writer

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    out = tmp_path / "out"
    monkeypatch.setattr(writer.os, "replace", disk_full)
    result = CliRunner().invoke(allocate, english([str(region), "--out", str(out)]))
    assert result.exit_code == 2 and "No space left on device" in unfold(result.output)
    assert not out.exists()
    assert list(tmp_path.glob(".out*")) == []


def test_bad_input_creates_no_folder(region, tmp_path):
    write(region, "tasks.csv", """
task,category,fixed_cost,unit_cost
fire,essential,-5,10000
waste,essential,100000000,5000
""")
    out = tmp_path / "out"
    result = CliRunner().invoke(allocate, english([str(region), "--out", str(out)]))
    assert result.exit_code == 2
    assert "tasks.csv, row 2, column 'fixed_cost'" in result.output
    assert not out.exists()
