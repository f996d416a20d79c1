"""Hostile input (issue 5): the corpus in tests/hostile/, plus the cases made at run time.

Every case ends in one of two ways, and never in a traceback:
- accepted: exit 0 with reports (or, with --check, a summary and no folder);
- refused: exit 2, each problem on one line `<file>[, row N][, column 'c']: …`,
  and no output folder at all.

tests/hostile/build.py writes the corpus and documents expect.json.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner


from big_instance import write_big_instance
from conftest import english, unfold
from kouiki.cli import allocate
from kouiki.load import load

CORPUS = Path(__file__).parent / "hostile"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "expect.json").exists())
REPORTS = ("summary.csv", "arrangements.csv", "participation.csv", "ledger.csv", "run.json")
# What a refusal's lines look like: file, then optionally row and column, then the message.
PROBLEM_LINE = re.compile(r"^(?P<file>[^,:]+?)(, row (?P<row>\d+))?(, column '(?P<column>.*?)')?: \S")


def run_cli(args: list[str]):
    return CliRunner().invoke(allocate, english(args))


def located(text: str, file: str, row: int | None, column: str | None) -> list[str]:
    """The message lines at exactly (file, row, column)."""
    where = file + (f", row {row}" if row is not None else "") + (f", column '{column}'" if column else "") + ":"
    return [line for line in unfold(text).splitlines() if line.startswith(where)]


def assert_refused(result, out: Path) -> list[str]:
    """Exit 2, no traceback, no folder, and every line but the count is a located problem."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert not out.exists(), "a refused input must leave no output folder"
    lines = unfold(result.stderr).strip().splitlines()
    assert lines and re.fullmatch(r"\d+ problem\(s\) in the input; nothing was written\.", lines[-1]), result.stderr
    for line in lines[:-1]:
        assert PROBLEM_LINE.match(line), f"not a located one-line message: {line!r}"
    return lines[:-1]


def value_of(instance, table: str, key: str, attribute: str):
    if table == "rows":
        task, municipality = key.split("/")
        return getattr(instance.rows[(task, municipality)], attribute)
    return getattr(getattr(instance, table)[key], attribute)


@pytest.mark.parametrize("case", CASES)
def test_corpus_case(case, tmp_path):
    folder = CORPUS / case
    expect = json.loads((folder / "expect.json").read_text(encoding="utf-8"))
    out = tmp_path / "out"
    result = run_cli([str(folder), "--out", str(out), *expect.get("args", [])])
    if expect.get("xfail"):
        if result.exit_code == expect["exit"]:
            pytest.fail(f"{case} works now: remove its xfail in tests/hostile/build.py ({expect['xfail']})")
        pytest.xfail(expect["xfail"])
    assert "Traceback" not in result.output
    assert result.exit_code == expect["exit"], result.output
    if expect["exit"] == 2:
        lines = assert_refused(result, out)
        for file, row, column, fragment in expect["messages"]:
            found = located(result.stderr, file, row, column)
            assert any(fragment in line for line in found), f"no {file}/{row}/{column} message with {fragment!r} in:\n{result.stderr}"
        if "problems" in expect:
            assert len(lines) == expect["problems"], result.stderr
        return
    for fragment in expect.get("output", []):
        assert fragment in result.output
    if "--check" in expect.get("args", []):
        assert not out.exists()
    else:
        assert all((out / name).exists() for name in REPORTS), sorted(p.name for p in out.iterdir())
        for report in out.glob("*.csv"):
            with report.open(encoding="utf-8-sig", newline="") as handle:
                cells = [cell for row in csv.reader(handle) for cell in row]
            assert "-0" not in cells and "nan" not in cells, report.name
    instance = load(str(folder))
    for table, key, attribute, value in expect.get("loaded", []):
        got = value_of(instance, table, key, attribute)
        assert got == value, (table, key, attribute, got)
        if isinstance(got, float) and got == 0:
            assert math.copysign(1, got) == 1, "-0 must be read as 0"


def test_corpus_is_what_build_py_writes(tmp_path):
    """The committed folders are exactly the generator's output (edit build.py, then rerun it)."""
    sys.path.insert(0, str(CORPUS))
    try:
        import build
    finally:
        sys.path.remove(str(CORPUS))
    build.write(tmp_path)
    written = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    committed = {p.relative_to(CORPUS): p.read_bytes() for p in CORPUS.rglob("*")
                 if p.is_file() and p.parent != CORPUS and (p.parent / "expect.json").exists()}
    assert written.keys() == committed.keys()
    assert [k for k in written if written[k] != committed[k]] == []


# ---------------------------------------------------------------- made at run time


def base_instance(folder: Path) -> Path:
    """A copy of the corpus's valid base instance."""
    sys.path.insert(0, str(CORPUS))
    try:
        import build
    finally:
        sys.path.remove(str(CORPUS))
    folder.mkdir(parents=True)
    for name, text in build.BASE.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_directory_named_instance_csv_is_refused(tmp_path):
    folder = base_instance(tmp_path / "case")
    (folder / "instance.csv").unlink()
    (folder / "instance.csv").mkdir()
    out = tmp_path / "out"
    result = run_cli([str(folder), "--out", str(out)])
    assert "is a folder" in located(result.stderr, "instance.csv", None, None)[0]
    assert_refused(result, out)
    # named directly, it is not taken for an instance folder either
    result = run_cli([str(folder / "instance.csv"), "--out", str(out)])
    assert "is a folder" in located(result.stderr, "instance.csv", None, None)[0]
    assert_refused(result, out)


def test_a_directory_named_tasks_csv_is_refused(tmp_path):
    folder = base_instance(tmp_path / "case")
    (folder / "tasks.csv").unlink()
    (folder / "tasks.csv").mkdir()
    out = tmp_path / "out"
    result = run_cli([str(folder), "--out", str(out)])
    assert "is a folder" in located(result.stderr, "tasks.csv", None, None)[0]
    assert_refused(result, out)


def test_a_path_that_does_not_exist_is_refused(tmp_path):
    out = tmp_path / "out"
    result = run_cli([str(tmp_path / "nowhere"), "--out", str(out)])
    assert "no such file or folder" in result.stderr
    assert_refused(result, out)


def test_an_unreadable_file_is_refused(tmp_path):
    folder = base_instance(tmp_path / "case")
    tasks = folder / "tasks.csv"
    tasks.chmod(0)
    try:
        try:
            tasks.read_bytes()
            pytest.skip("running as root: chmod 000 does not stop reading")
        except PermissionError:
            pass
        out = tmp_path / "out"
        result = run_cli([str(folder), "--out", str(out)])
        assert "cannot be read (Permission denied)" in located(result.stderr, "tasks.csv", None, None)[0]
        assert_refused(result, out)
    finally:
        tasks.chmod(0o644)


def test_a_one_megabyte_cell_is_refused_on_its_row(tmp_path):
    folder = base_instance(tmp_path / "case")
    text = (folder / "tasks.csv").read_text(encoding="utf-8")
    (folder / "tasks.csv").write_text(text.replace("Tourism", "観" * 1_000_000), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli([str(folder), "--out", str(out)])
    assert "longer than" in located(result.stderr, "tasks.csv", 3, None)[0]
    assert_refused(result, out)
    assert len(result.output) < 2000


def test_a_long_unknown_id_is_not_echoed_whole(tmp_path):
    folder = base_instance(tmp_path / "case")
    text = (folder / "instance.csv").read_text(encoding="utf-8")
    (folder / "instance.csv").write_text(text.replace("消防,中井町", "消防," + "中" * 20_000), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli([str(folder), "--out", str(out)])
    message = located(result.stderr, "instance.csv", 4, "municipality")[0]
    assert "unknown municipality" in message and "(20,000 characters)" in message and len(message) < 400
    assert_refused(result, out)


def test_a_100000_row_instance_loads_and_checks(tmp_path):
    """What happens, not how fast: bench/load_big.py times it (1.4 s to load on an idle 2-core machine)."""
    folder = write_big_instance(tmp_path / "big")
    instance = load(str(folder))
    assert len(instance.rows) == 100_000
    out = tmp_path / "out"
    result = run_cli([str(folder), "--check", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "100000 task rows" in result.output and not out.exists()


def test_a_stray_quote_deep_in_a_100000_row_file_is_refused_while_loading(tmp_path, monkeypatch):
    from kouiki import run

    def never(*args, **kwargs):
        raise AssertionError("a file that does not load must never reach the solve")

    monkeypatch.setattr(run, "compute", never)
    monkeypatch.setattr(run, "run", never)
    folder = write_big_instance(tmp_path / "big")
    lines = (folder / "instance.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    lines[49_999] = lines[49_999].replace(",", ',"', 1)  # spreadsheet row 50,000
    (folder / "instance.csv").write_text("".join(lines), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli([str(folder), "--out", str(out)])
    assert "never closed" in located(result.stderr, "instance.csv", 50_000, "municipality")[0]
    assert_refused(result, out)


# ---------------------------------------------------------------- the real command


@pytest.mark.parametrize("case", ["stray_quote_unterminated", "xlsx_renamed", "nul_byte", "many_problems"])
def test_the_installed_command_refuses_without_a_traceback(case, tmp_path):
    out = tmp_path / "out"
    command = shutil.which("allocate")
    args = [command] if command else [sys.executable, "-c", "from kouiki.cli import main; main()"]
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    done = subprocess.run([*args, str(CORPUS / case), "--out", str(out), "--lang", "en"], capture_output=True, text=True,
                          encoding="utf-8", timeout=120, env=env)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    assert not out.exists()
    expect = json.loads((CORPUS / case / "expect.json").read_text(encoding="utf-8"))
    for file, row, column, fragment in expect["messages"]:
        assert any(fragment in line for line in located(done.stderr, file, row, column)), done.stderr


def test_the_installed_command_solves_an_accepted_hostile_case(tmp_path):
    out = tmp_path / "out"
    command = shutil.which("allocate")
    args = [command] if command else [sys.executable, "-c", "from kouiki.cli import main; main()"]
    done = subprocess.run([*args, str(CORPUS / "yen_amounts_cp932"), "--out", str(out), "--quiet"], capture_output=True,
                          text=True, encoding="utf-8", timeout=120, env=dict(os.environ, PYTHONIOENCODING="utf-8"))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert all((out / name).exists() for name in REPORTS)
