"""Bad input is refused whole (SPEC §4, §9): every problem named by file, row and
column, exit code 2, and no report folder. Good input in the shapes Japanese
Excel writes (CP932, BOM, full-width digits, CRLF) loads.

Each test builds a small valid instance in tmp_path and changes one thing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner


from conftest import english, unfold
from kouiki.cli import allocate
from kouiki.load import load

MUNICIPALITIES = """\
municipality,role,population
小田原市,central,188856
南足柄市,central,41093
中井町,town,9230
"""

TASKS = """\
task,category,fixed_cost,unit_cost
消防,essential,1000000,5000
観光,vitality,500000,1000
"""

INSTANCE = """\
task,municipality,volume
消防,小田原市,100
消防,南足柄市,50
消防,中井町,10
観光,小田原市,20
観光,南足柄市,10
"""


def make_instance(folder: Path, encoding: str = "utf-8", newline: str = "\n", **files: str | None) -> Path:
    """Write a valid three-file instance; `tasks=...` etc. replace a file, None leaves it out."""
    tables = {"municipalities": MUNICIPALITIES, "tasks": TASKS, "instance": INSTANCE} | files
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        if text is not None:
            (folder / f"{name}.csv").write_bytes(text.replace("\n", newline).encode(encoding))
    return folder / "instance.csv"


def refused(tmp_path: Path, **files: str | None) -> str:
    """Run `allocate` on the instance with `files` changed; it must exit 2 and write nothing."""
    path = make_instance(tmp_path / "case", **files)
    out = tmp_path / "out"
    result = CliRunner().invoke(allocate, english([str(path), "--out", str(out)]))
    assert result.exit_code == 2, result.output
    assert not out.exists()
    assert "Traceback" not in result.output
    return result.stderr


def located(text: str, file: str, row: int | None, column: str | None) -> str:
    """The one message line at (file, row, column), failing if there is none."""
    where = file + (f", row {row}" if row is not None else "") + (f", column '{column}'" if column else "") + ":"
    lines = [line for line in unfold(text).splitlines() if line.startswith(where)]
    assert lines, f"no message at {where!r} in:\n{text}"
    return lines[0]


def with_row(table: str, row: str) -> str:
    return table + row + "\n"


# ---------------------------------------------------------------- missing files and columns


def test_missing_tasks_file_is_refused_naming_it(tmp_path):
    text = refused(tmp_path, tasks=None)
    assert "not found" in located(text, "tasks.csv", None, None)


def test_missing_required_column_is_refused_on_the_header_row(tmp_path):
    text = refused(tmp_path, instance=INSTANCE.replace(",volume", ",volume_note"))
    assert "missing" in located(text, "instance.csv", 1, "volume")


def test_empty_file_is_refused(tmp_path):
    assert "empty" in located(refused(tmp_path, tasks=""), "tasks.csv", None, None)


def test_header_only_file_is_refused(tmp_path):
    text = refused(tmp_path, municipalities="municipality,role,population\n")
    assert "no data rows" in located(text, "municipalities.csv", None, None)


# ---------------------------------------------------------------- unknown ids and duplicates


def test_unknown_municipality_is_refused_with_a_close_name_suggested(tmp_path):
    text = refused(tmp_path, instance=INSTANCE.replace("消防,小田原市", "消防,小田原"))
    message = located(text, "instance.csv", 2, "municipality")
    assert "小田原" in message and "did you mean 小田原市" in message


def test_unknown_task_is_refused_with_row_and_column(tmp_path):
    text = refused(tmp_path, instance=with_row(INSTANCE, "ごみ処理,中井町,5"))
    assert "ごみ処理" in located(text, "instance.csv", 7, "task")


def test_unknown_category_is_refused_with_a_close_name_suggested(tmp_path):
    text = refused(tmp_path, tasks=TASKS.replace("essential", "essentail"))
    assert "did you mean essential" in located(text, "tasks.csv", 2, "category")


def test_bad_task_row_gives_no_second_error_where_the_task_is_used(tmp_path):
    text = refused(tmp_path, tasks=TASKS.replace("essential", "essentail"))
    assert "not in tasks.csv" not in text


def test_bad_municipality_row_gives_no_second_error_where_it_is_used(tmp_path):
    text = refused(tmp_path, municipalities=MUNICIPALITIES.replace("town,9230", "village,9230"))
    located(text, "municipalities.csv", 4, "role")
    assert "instance.csv" not in text


def test_duplicate_task_and_municipality_row_is_refused_naming_both_rows(tmp_path):
    text = refused(tmp_path, instance=with_row(INSTANCE, "消防,小田原市,7"))
    message = located(text, "instance.csv", 7, None)
    assert "duplicate" in message and "row 2" in message


def test_duplicate_through_an_english_name_is_refused(tmp_path):
    munis = MUNICIPALITIES.replace("population\n", "population,label_en\n").replace("188856", "188856,Odawara")
    text = refused(tmp_path, municipalities=munis, instance=with_row(INSTANCE, "消防,Odawara,7"))
    assert "duplicate" in located(text, "instance.csv", 7, None)


def test_duplicate_municipality_is_refused(tmp_path):
    text = refused(tmp_path, municipalities=with_row(MUNICIPALITIES, "中井町,town,9230"))
    assert "duplicate" in located(text, "municipalities.csv", 5, None)


def test_task_without_rows_in_instance_is_refused(tmp_path):
    text = refused(tmp_path, tasks=with_row(TASKS, "ごみ処理,essential,1,1"))
    assert "no rows in instance.csv" in located(text, "tasks.csv", 4, "task")


# ---------------------------------------------------------------- values


def test_negative_volume_is_refused_with_row_and_column(tmp_path):
    text = refused(tmp_path, instance=INSTANCE.replace(",50", ",-50"))
    assert "negative" in located(text, "instance.csv", 3, "volume")


def test_non_numeric_cost_is_refused_with_row_and_column(tmp_path):
    text = refused(tmp_path, tasks=TASKS.replace("500000", "高い"))
    assert "not a number" in located(text, "tasks.csv", 3, "fixed_cost")


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "Infinity"])
def test_nan_and_infinite_volume_are_refused(tmp_path, value):
    text = refused(tmp_path, instance=INSTANCE.replace(",100", f",{value}"))
    assert "not a finite number" in located(text, "instance.csv", 2, "volume")


def test_spreadsheet_formula_is_refused_as_a_formula(tmp_path):
    text = refused(tmp_path, instance=INSTANCE.replace(",100", ",=SUM(A1)"))
    assert "formula" in located(text, "instance.csv", 2, "volume")


def test_bad_willing_value_is_refused(tmp_path):
    instance = INSTANCE.replace("volume\n", "volume,willing\n").replace(",10\n観光", ",10,yes\n観光")
    text = refused(tmp_path, instance=instance)
    assert "1, 0 or must" in located(text, "instance.csv", 4, "willing")


def test_bad_role_is_refused(tmp_path):
    text = refused(tmp_path, municipalities=MUNICIPALITIES.replace("town", "village"))
    assert "central, town or prefecture" in located(text, "municipalities.csv", 4, "role")


@pytest.mark.parametrize("value", ["0", "1.5"])
def test_scale_elasticity_outside_zero_to_one_is_refused(tmp_path, value):
    tasks = TASKS.replace("unit_cost\n", "unit_cost,scale_elasticity\n").replace(",5000\n", f",5000,{value}\n")
    text = refused(tmp_path, tasks=tasks)
    assert "(0, 1]" in located(text, "tasks.csv", 2, "scale_elasticity")


def test_fee_ratio_above_one_is_refused(tmp_path):
    tasks = TASKS.replace("unit_cost\n", "unit_cost,fee_ratio\n").replace(",1000\n", ",1000,1.2\n")
    text = refused(tmp_path, tasks=tasks)
    assert "[0, 1]" in located(text, "tasks.csv", 3, "fee_ratio")


def test_several_errors_in_one_file_are_all_reported(tmp_path):
    instance = INSTANCE.replace(",100", ",-1").replace(",50", ",abc").replace("中井町,10", "中井,10")
    text = refused(tmp_path, instance=instance)
    located(text, "instance.csv", 2, "volume")
    located(text, "instance.csv", 3, "volume")
    located(text, "instance.csv", 4, "municipality")
    assert "3 problem(s)" in text


def test_errors_in_several_files_are_all_reported(tmp_path):
    text = refused(tmp_path, tasks=TASKS.replace("5000", "-5"), municipalities=MUNICIPALITIES.replace("9230", "x"))
    located(text, "tasks.csv", 2, "unit_cost")
    located(text, "municipalities.csv", 4, "population")


# ---------------------------------------------------------------- file shape


def test_semicolon_separated_file_is_refused_as_such(tmp_path):
    text = refused(tmp_path, instance=INSTANCE.replace(",", ";"))
    assert "semicolon-separated" in located(text, "instance.csv", 1, None)


def test_tab_separated_file_is_refused_as_such(tmp_path):
    text = refused(tmp_path, tasks=TASKS.replace(",", "\t"))
    assert "tab-separated" in located(text, "tasks.csv", 1, None)


def test_row_with_more_cells_than_header_is_refused(tmp_path):
    text = refused(tmp_path, instance=INSTANCE.replace("中井町,10", "中井町,10,5"))
    assert "4 cells" in located(text, "instance.csv", 4, None)


def test_duplicate_column_name_is_refused(tmp_path):
    text = refused(tmp_path, municipalities=MUNICIPALITIES.replace("population\n", "population,role\n"))
    assert "twice" in located(text, "municipalities.csv", 1, "role")


def test_unknown_column_is_refused_with_a_note_suffix_hint(tmp_path):
    munis = MUNICIPALITIES.replace("population\n", "population,area_km2\n")
    text = refused(tmp_path, municipalities=munis)
    assert "_note" in located(text, "municipalities.csv", 1, "area_km2")


def test_note_column_is_accepted(tmp_path):
    munis = MUNICIPALITIES.replace("population\n", "population,population_note\n").replace("188856", "188856,2020 census")
    assert load(str(make_instance(tmp_path, municipalities=munis))).municipalities["小田原市"].population == 188856


# ---------------------------------------------------------------- optional tables


def test_methods_file_without_a_required_column_is_refused(tmp_path):
    make_instance(tmp_path / "case")
    (tmp_path / "case" / "methods.csv").write_text("method,scale_share\ndelegation,0.9\n", encoding="utf-8")
    text = refused(tmp_path)
    assert "missing" in located(text, "methods.csv", 1, "fee_ratio")


def test_compatibility_naming_an_unknown_method_is_refused(tmp_path):
    make_instance(tmp_path / "case")
    compat = "category,method,allowed\nessential,delegation,1\nvitality,agreement,1\nessential,delegaton,1\n"
    (tmp_path / "case" / "compatibility.csv").write_text(compat, encoding="utf-8")
    text = refused(tmp_path)
    assert "did you mean delegation" in located(text, "compatibility.csv", 4, "method")


def test_reach_naming_an_unknown_municipality_is_refused(tmp_path):
    make_instance(tmp_path / "case")
    (tmp_path / "case" / "reach.csv").write_text("municipality,hub\n中井町,小田原市\n中井町,大磯町\n", encoding="utf-8")
    text = refused(tmp_path)
    assert "大磯町" in located(text, "reach.csv", 3, "hub")


def test_current_with_an_unknown_method_is_refused(tmp_path):
    make_instance(tmp_path / "case")
    current = "task,method,hub,participants\n消防,delegaton,小田原市,小田原市;中井町\n"
    (tmp_path / "case" / "current.csv").write_text(current, encoding="utf-8")
    text = refused(tmp_path)
    assert "did you mean delegation" in located(text, "current.csv", 2, "method")


def test_current_with_a_hub_outside_the_participants_is_refused(tmp_path):
    make_instance(tmp_path / "case")
    current = "task,method,hub,participants\n消防,delegation,小田原市,南足柄市;中井町\n"
    (tmp_path / "case" / "current.csv").write_text(current, encoding="utf-8")
    text = refused(tmp_path)
    assert "小田原市" in located(text, "current.csv", 2, "participants")


# ---------------------------------------------------------------- what Japanese Excel writes


def test_cp932_instance_loads_and_check_names_the_encoding(tmp_path):
    path = make_instance(tmp_path / "case", encoding="cp932")
    out = tmp_path / "out"
    result = CliRunner().invoke(allocate, english([str(path), "--check", "--out", str(out)]))
    assert result.exit_code == 0, result.output
    assert "instance.csv: Shift_JIS (CP932)" in result.output
    assert not out.exists()


def test_utf8_with_bom_loads(tmp_path):
    instance = load(str(make_instance(tmp_path, encoding="utf-8-sig")))
    assert instance.files["instance.csv"] == "UTF-8 with BOM"
    assert instance.rows[("消防", "小田原市")].volume == 100


def test_bom_then_blank_lines_then_header_loads(tmp_path):
    path = make_instance(tmp_path, encoding="utf-8-sig", instance="\n\n" + INSTANCE)
    assert len(load(str(path)).rows) == 5


def test_rows_after_leading_blank_lines_are_counted_like_a_spreadsheet(tmp_path):
    # The header sits on spreadsheet row 3, so the first data row is row 4.
    instance = "\ufeff\n\n" + INSTANCE.replace(",100", ",-100")
    text = refused(tmp_path, instance=instance)
    located(text, "instance.csv", 4, "volume")


def test_full_width_digits_and_thousands_separators_parse_as_numbers(tmp_path):
    instance = INSTANCE.replace(",100", ",１２３４５").replace(",50", ',"12,345"')
    rows = load(str(make_instance(tmp_path, instance=instance))).rows
    assert rows[("消防", "小田原市")].volume == 12345
    assert rows[("消防", "南足柄市")].volume == 12345


def test_japanese_method_and_category_names_are_accepted(tmp_path):
    path = make_instance(tmp_path, tasks=TASKS.replace("essential", "生活必須事務"))
    (tmp_path / "compatibility.csv").write_text(
        "category,method,allowed\n生活必須事務,事務の委託,1\nvitality,連携協約,1\n", encoding="utf-8")
    (tmp_path / "current.csv").write_text(
        "task,method,hub,participants\n消防,事務の委託,小田原市,小田原市;中井町\n", encoding="utf-8")
    instance = load(str(path))
    assert instance.tasks["消防"].category == "essential"
    assert instance.compatibility == {("essential", "delegation"), ("vitality", "agreement")}
    assert instance.current[0].method == "delegation"


def test_windows_line_endings_load(tmp_path):
    assert len(load(str(make_instance(tmp_path, newline="\r\n"))).rows) == 5


def test_empty_trailing_rows_are_ignored(tmp_path):
    path = make_instance(tmp_path, instance=INSTANCE + ",,\n,,\n", tasks=TASKS + ",,,\n")
    assert len(load(str(path)).tasks) == 2


def test_valid_instance_loads(tmp_path):
    instance = load(str(make_instance(tmp_path)))
    assert set(instance.municipalities) == {"小田原市", "南足柄市", "中井町"}
    assert len(instance.rows) == 5
