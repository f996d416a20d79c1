"""report.xlsx prints as a council paper: LibreOffice turns the overview and the summary into at most 2 A4 pages each."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from kouiki.cli import allocate

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFINFO = shutil.which("pdfinfo")
pytestmark = pytest.mark.skipif(not (SOFFICE and PDFINFO), reason="needs LibreOffice (soffice) and pdfinfo: apt-get install libreoffice-calc poppler-utils")


def printed_pages(book: Path, sheet: str, work: Path) -> int:
    """How many A4 pages LibreOffice prints for one sheet of `book`."""
    single = load_workbook(book)
    for other in list(single.sheetnames):
        if other != sheet:
            single.remove(single[other])
    work.mkdir(parents=True, exist_ok=True)
    path = work / "sheet.xlsx"
    single.save(path)
    profile = (work / "profile").as_uri()  # a profile of its own: no clash with a running LibreOffice
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation={profile}", "--convert-to", "pdf", "--outdir", str(work), str(path)],
                   check=True, capture_output=True, timeout=240)
    info = subprocess.run([PDFINFO, str(work / "sheet.pdf")], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def test_the_overview_and_summary_sheets_print_on_at_most_two_a4_pages(tmp_path):
    out = tmp_path / "out"
    # three options against the status quo: the long 現状との違い cells that once filled 14 pages
    result = CliRunner().invoke(allocate, ["kensei", "--options", "3", "--xlsx", "--lang", "ja", "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    book = out / "report.xlsx"
    assert load_workbook(book).sheetnames[:2] == ["概要", "案の一覧"]
    for sheet in ("概要", "案の一覧"):
        pages = printed_pages(book, sheet, tmp_path / sheet)
        print(f"{sheet}: {pages} page(s)")
        assert 1 <= pages <= 2, (sheet, pages)
