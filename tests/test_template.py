"""`allocate template DIR`: a skeleton every table of which is valid as written, explained in two languages."""

from __future__ import annotations

import pytest
from click.testing import CliRunner


from conftest import english
from kouiki.cli import allocate, main
from kouiki.load import SCHEMAS
from kouiki.template import COLUMNS, TABLES, readme, template


def make(target) -> None:
    result = CliRunner().invoke(template, [str(target)], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def test_the_template_folder_passes_check_as_written(tmp_path):
    folder = tmp_path / "region"
    make(folder)
    assert sorted(p.name for p in folder.iterdir()) == sorted([*TABLES, "README.md"])
    result = CliRunner().invoke(allocate, english([str(folder), "--check"]), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "is valid" in result.output


def test_every_table_has_its_full_header_and_an_example_row(tmp_path):
    folder = tmp_path / "region"
    make(folder)
    for table in TABLES:
        lines = (folder / table).read_text(encoding="utf-8-sig").splitlines()
        schema = SCHEMAS["instance" if table == "instance.csv" else table]
        header = lines[0].split(",")
        assert [c.name for c in schema] == [h for h in header if h not in ("source",)], table
        assert len(lines) >= 2, f"{table} has no example row"


def test_the_template_solves(tmp_path):
    folder = tmp_path / "region"
    make(folder)
    result = CliRunner().invoke(allocate, english([str(folder), "--out", str(tmp_path / "out"), "--quiet"]), catch_exceptions=False)
    assert result.exit_code == 0, result.output


def test_the_template_workbook_passes_check_as_written(tmp_path):
    book = tmp_path / "region.xlsx"
    make(book)
    result = CliRunner().invoke(allocate, english([str(book), "--check"]), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "region.xlsx [sheet tasks]: Excel workbook" in result.output


def test_the_readme_explains_every_column_in_japanese_and_english():
    text = readme()
    for table in TABLES:
        schema = SCHEMAS["instance" if table == "instance.csv" else table]
        assert f"## {table}" in text
        for column in schema:
            ja, en = COLUMNS[table][column.name]
            assert f"| `{column.name}` |" in text and ja in text and en in text
            assert any("\u3040" <= ch <= "\u9fff" for ch in ja), f"{table}.{column.name} has no Japanese explanation"


def test_an_existing_folder_is_not_overwritten(tmp_path):
    folder = tmp_path / "region"
    folder.mkdir()
    (folder / "tasks.csv").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(template, [str(folder)])
    assert result.exit_code == 2 and "--overwrite" in result.output
    assert (folder / "tasks.csv").read_text(encoding="utf-8") == "mine"


def test_allocate_template_is_dispatched_from_the_main_command(tmp_path):
    with pytest.raises(SystemExit) as stop:
        main(["template", str(tmp_path / "region")])
    assert stop.value.code == 0
    assert (tmp_path / "region" / "README.md").exists()
