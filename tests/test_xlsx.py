"""Excel in and out: a workbook instance is read exactly like its CSVs; report.xlsx holds every table."""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook


from conftest import english, unfold
from kouiki.cli import allocate
from kouiki.load import bundled_instances, cell_text, load
from kouiki.reports import xlsx

# Keeps the two Kensei solves to a few seconds; the plan is still chosen by the MIP.
FAST = ["--max-arrangements", "2", "--quiet"]


def run(args: list[str]):
    return CliRunner().invoke(allocate, english(args), catch_exceptions=False)


def typed(text: str):
    """A CSV cell as someone typing it into Excel would leave it: numbers as numbers."""
    if text == "":
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def workbook_from(folder: Path, path: Path, notes: bool = True) -> Path:
    book = Workbook()
    book.remove(book.active)
    if notes:  # users keep notes beside the tables; they must be ignored
        memo = book.create_sheet("メモ")
        memo.append(["出典", "=1+1", 3.5])
        memo.append(["この表は2024年度の決算から"])
    for table in sorted(folder.glob("*.csv")):
        sheet = book.create_sheet(table.stem)
        with table.open(encoding="utf-8-sig", newline="") as handle:
            for record in csv.reader(handle):
                sheet.append([typed(cell) for cell in record])
    book.save(path)
    return path


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


@pytest.fixture(scope="module")
def kensei_runs(tmp_path_factory):
    """Kensei solved from its CSVs (with --xlsx) and from a workbook of the same tables."""
    root = tmp_path_factory.mktemp("kensei")
    book = workbook_from(bundled_instances()["kensei"], root / "kensei.xlsx")
    from_csv = run(["kensei", "--out", str(root / "from_csv"), "--xlsx", "--lang", "ja", *FAST])
    assert from_csv.exit_code == 0, from_csv.output
    from_book = run([str(book), "--out", str(root / "from_book"), *FAST])
    assert from_book.exit_code == 0, from_book.output
    return root


def without_origin(instance):
    return dataclasses.replace(instance, name="", path="", files={}, checksum="")


def test_a_workbook_loads_to_the_same_instance_as_its_csvs(tmp_path):
    book = workbook_from(bundled_instances()["kensei"], tmp_path / "region.xlsx")
    from_book, from_csv = load(str(book)), load("kensei")
    assert without_origin(from_book) == without_origin(from_csv)
    assert from_book.name == "region"
    assert set(from_book.files) == {f"region.xlsx [sheet {s}]" for s in ("instance", "tasks", "municipalities", "current")}


def test_a_workbook_gives_the_same_plan_as_its_csvs(kensei_runs):
    plan_from_csv = (kensei_runs / "from_csv" / "arrangements.csv").read_bytes()
    assert plan_from_csv == (kensei_runs / "from_book" / "arrangements.csv").read_bytes()
    assert len(read_csv(kensei_runs / "from_csv" / "arrangements.csv")) > 1


def test_the_report_workbook_holds_every_table_with_the_csvs_rows(kensei_runs):
    folder = kensei_runs / "from_csv"
    book = load_workbook(folder / "report.xlsx")
    tables = {"案の一覧": "summary", "連携": "arrangements", "参加": "participation", "団体の収支": "ledger"}
    assert book.sheetnames[0] == "概要" and book.sheetnames[1:5] == list(tables)
    for title, name in tables.items():
        sheet = book[title]
        rows = read_csv(folder / f"{name}.csv")
        options = {r[0] for r in rows[1:]}
        totals = len(options) if name != "summary" and any(xlsx.COLUMNS[c][0] == "yen" for c in rows[0]) else 0
        assert sheet.max_row == len(rows) + totals, title  # one totals row per option
        assert sheet.freeze_panes == "A2"
        assert sheet.max_column == len(rows[0])
        # every CSV column has a label of its own in the one label map
        assert all(column in xlsx.COLUMNS for column in rows[0]), rows[0]
        assert [c.value for c in sheet[1]] == [xlsx.label(column, "ja") for column in rows[0]]
        # printable: A4 landscape, all columns on the page's width, the header on every page
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
        assert sheet.print_title_rows == "$1:$1"


def test_yen_are_integer_numbers_and_ids_stay_text_in_the_report_workbook(kensei_runs):
    folder = kensei_runs / "from_csv"
    sheet = load_workbook(folder / "report.xlsx")["団体の収支"]
    rows = read_csv(folder / "ledger.csv")
    header = rows[0]
    for csv_row, cells in zip(rows[1:], [r for r in sheet.iter_rows(min_row=2) if r[1].value is not None]):
        for column, text, cell in zip(header, csv_row, cells):
            if column in ("standalone_total", "cost_under_plan", "saving"):
                assert isinstance(cell.value, int) and cell.value == int(text)
                assert cell.number_format == "#,##0"
            if column == "municipality":
                assert cell.value == text
            if column == "role":
                assert cell.value in ("中心市", "町村", "県")


def test_the_workbook_totals_add_up_each_option(kensei_runs):
    sheet = load_workbook(kensei_runs / "from_csv" / "report.xlsx")["団体の収支"]
    header = [c.value for c in sheet[1]]
    saving = header.index(xlsx.label("saving", "ja"))
    running = 0
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if row[1] is None:  # the totals row of an option
            assert row[saving] == running
            running = 0
        else:
            running += row[saving]


def test_a_bad_cell_in_a_workbook_is_refused_naming_the_sheet_row_and_column(tmp_path):
    book_path = workbook_from(bundled_instances()["kensei"], tmp_path / "book.xlsx")
    book = load_workbook(book_path)
    header = [c.value for c in book["tasks"][1]]
    fixed, unit = header.index("fixed_cost") + 1, header.index("unit_cost") + 1
    book["tasks"].cell(3, fixed).value = "たくさん"
    book["tasks"].cell(5, unit).value = "=C5*2"  # a formula never calculated: openpyxl keeps no value
    book.save(book_path)
    out = tmp_path / "out"
    result = run([str(book_path), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "book.xlsx [sheet tasks], row 3, column 'fixed_cost': 'たくさん' is not a number" in result.output
    assert "book.xlsx [sheet tasks], row 5, column 'unit_cost': cell" in result.output
    assert "=C5*2" in unfold(result.output) and "no calculated value" in unfold(result.output)
    assert "row 5, column 'unit_cost': is empty" not in result.output  # one problem per cell, not two
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_missing_table_sheet_is_named_with_the_sheets_the_workbook_has(tmp_path):
    book = Workbook()
    book.active.title = "instance"
    book.active.append(["task", "municipality", "volume"])
    book.active.append(["t", "A", 1])
    book.save(tmp_path / "book.xlsx")
    result = run([str(tmp_path / "book.xlsx"), "--check"])
    assert result.exit_code == 2
    assert "book.xlsx [sheet tasks]: sheet not found (the workbook has: instance)" in result.output


def test_a_file_that_is_no_workbook_is_refused_with_exit_2(tmp_path):
    (tmp_path / "book.xlsx").write_text("task,municipality\n", encoding="utf-8")
    result = run([str(tmp_path / "book.xlsx"), "--check"])
    assert result.exit_code == 2 and "cannot be read as an Excel workbook" in result.output


@pytest.mark.parametrize("value, text", [
    (3, "3"), (3.0, "3"), (113.6, "113.6"), (0.1 + 0.2, "0.30000000000000004"), (-0.0, "0"), (1e-7, "1e-07"),
    (True, "1"), (False, "0"), (None, ""), ("例市", "例市"),
    (datetime.datetime(2013, 3, 31), "2013-03-31"), (datetime.datetime(2013, 3, 31, 9, 30), "2013-03-31T09:30:00"),
    (datetime.date(1991, 4, 1), "1991-04-01"),
])
def test_a_cell_becomes_the_text_that_parses_back_to_its_value(value, text):
    assert cell_text(value) == text
    if isinstance(value, float):
        assert float(text) == value


def test_the_report_workbook_is_the_same_bytes_for_the_same_tables():
    tables = {"ledger.csv": (["option", "municipality", "saving"], [[1, "A市", "1234567"]])}
    data = xlsx.workbook(tables)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z" in core and datetime.date.today().isoformat() not in core


def test_report_workbook_labels_and_method_names_follow_the_language():
    tables = {"arrangements.csv": (["option", "task", "method", "method_ja", "savings"],
                                   [[1, "火葬", "delegation", "事務の委託", "1000"]])}
    names = {"delegation": "Delegation of affairs"}
    sheet = load_workbook(io.BytesIO(xlsx.workbook(tables, "en", names)))["arrangements"]
    assert [c.value for c in sheet[1]] == ["Option", "Task", "Method (id)", "Method", "Savings (yen/yr)"]
    assert [c.value for c in sheet[2]] == [1, "火葬", "delegation", "Delegation of affairs", 1000]
    sheet = load_workbook(io.BytesIO(xlsx.workbook(tables, "ja", {"delegation": "事務の委託"})))["連携"]
    assert [c.value for c in sheet[1]][:4] == ["案", "事務", "連携手法（ID）", "連携手法"]
    assert sheet["D2"].value == "事務の委託"
    assert sheet.column_dimensions["B"].width >= 6  # two CJK characters take four columns


def test_terminal_headings_follow_the_language(tmp_path):
    from kouiki.template import folder_files

    folder = tmp_path / "region"
    folder.mkdir()
    for name, data in folder_files().items():
        (folder / name).write_bytes(data)
    japanese = run([str(folder), "--out", str(tmp_path / "ja"), "--lang", "ja"])
    english = run([str(folder), "--out", str(tmp_path / "en"), "--lang", "en"])
    assert japanese.exit_code == english.exit_code == 0
    assert "案1 — 最善の案" in japanese.output and "節減額の合計" in japanese.output and "事務の委託" in japanese.output
    assert "Option 1 — the best plan" in english.output and "Total savings" in english.output
    assert "Delegation of affairs" in english.output
    # the CSVs keep their machine-readable columns in both languages (summary.csv holds timings)
    for name in ("arrangements.csv", "participation.csv", "ledger.csv"):
        assert (tmp_path / "ja" / name).read_bytes() == (tmp_path / "en" / name).read_bytes()
    check = run([str(folder), "--check", "--lang", "en"])
    assert "tasks by category: Essential services" in check.output
