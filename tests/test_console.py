"""Any console (issue 10): a cp932 or ascii terminal degrades what it cannot show, and the reports stay the same.

`allocate kensei` runs as a user would, with PYTHONIOENCODING set as a Japanese
Windows console (cp932) or a bare locale (ascii) sets it; exit codes and every
report byte (timings aside) must match the UTF-8 run.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kouiki.console import Tolerant, fit, nearest

SCENARIOS = {
    "merge_and_options": (["--merge", "小田原市+南足柄市", "--options", "2"], 0),
    "infeasible": (["--require", "ごみ焼却:箱根町", "--exclude", "箱根町"], 1),
    "english": (["--merge", "小田原市+南足柄市", "--lang", "en"], 0),
}


def allocate(out: Path, encoding: str, arguments: list[str]) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING=encoding)
    return subprocess.run([sys.executable, "-m", "kouiki.cli", "kensei", "--out", str(out), *arguments],
                          capture_output=True, env=env, timeout=600)


def reports(folder: Path) -> dict[str, object]:
    """Every report file; summary.csv without its seconds column, run.json without timings."""
    found: dict[str, object] = {}
    for path in sorted(folder.iterdir()):
        data = path.read_bytes()
        if path.name == "summary.csv":
            rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
            drop = rows[0].index("seconds")
            found[path.name] = [row[:drop] + row[drop + 1:] for row in rows]
        elif path.name == "run.json":
            document = json.loads(data)
            document.pop("timings", None)
            found[path.name] = document
        else:
            found[path.name] = data
    return found


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_a_cp932_or_ascii_console_changes_neither_the_exit_nor_the_reports(tmp_path, scenario):
    arguments, code = SCENARIOS[scenario]
    utf8 = allocate(tmp_path / "utf-8", "utf-8", arguments)
    assert utf8.returncode == code, utf8.stderr.decode("utf-8")
    expected = reports(tmp_path / "utf-8")
    for encoding in ("cp932", "ascii"):
        out = tmp_path / encoding
        run = allocate(out, encoding, arguments)
        stdout, stderr = run.stdout.decode(encoding), run.stderr.decode(encoding)  # only what the console can show
        assert run.returncode == code, stderr
        assert "Internal error" not in stderr and "Traceback" not in stderr, stderr
        assert reports(out) == expected, encoding
        assert stdout or stderr


def test_characters_a_console_lacks_become_the_nearest_it_has():
    assert fit("案1 — 最善の案", "cp932") == "案1 - 最善の案"
    assert fit("… 1.0 s", "ascii") == "... 1.0 s"
    assert fit("小田原市・南足柄市", "ascii") == "????/????"
    assert fit("１２３ＡＢＣ", "ascii") == "123ABC"
    assert fit("小田原市 — 箱根町", "latin-1") == "???? - ???"
    assert nearest("—", "cp932") == "-"


def test_the_console_wrapper_writes_what_the_stream_can_encode():
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")
    tolerant = Tolerant(stream)
    tolerant.write("節減額 — 1,000万円\n")
    tolerant.flush()
    assert raw.getvalue() == "??? - 1,000??\n".encode("ascii")
    assert getattr(tolerant, "buffer", None) is None  # so click does not re-wrap the bytes beneath
