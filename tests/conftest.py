"""Instances several test files share."""

from __future__ import annotations

import csv
import io
from pathlib import Path


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text.strip() + "\n", encoding="utf-8")


def small_region(folder: Path, in_force: bool = True) -> Path:
    """A city and two towns sharing fire and waste; optionally the fire delegation in force today."""
    folder.mkdir(parents=True)
    write(folder, "municipalities.csv", """
municipality,role,population,can_host,burden_cap
A市,central,150000,1,100000000
B町,town,20000,,
C町,town,8000,,
""")
    write(folder, "tasks.csv", """
task,category,fixed_cost,unit_cost,scale_elasticity
fire,essential,300000000,10000,0.9
waste,essential,100000000,5000,1
""")
    write(folder, "instance.csv", """
task,municipality,volume
fire,A市,150000
fire,B町,20000
fire,C町,8000
waste,A市,150000
waste,B町,20000
waste,C町,8000
""")
    if in_force:
        write(folder, "current.csv", """
task,method,hub,participants
fire,事務の委託,A市,A市;B町
""")
    return folder


def unfold(text: str) -> str:
    """Terminal output with its wrapped lines joined again (a line over 100 columns continues indented by 4)."""
    import re
    import unicodedata

    def join(m):  # English wraps at a space; Japanese between any two characters
        wide = all(unicodedata.east_asian_width(c) in "WF" for c in (m.group(1), m.group(2)))
        return m.group(1) + ("" if wide else " ") + m.group(2)

    return re.sub(r"(\S)\n {4}(\S)", join, text)


def english(args: list) -> list[str]:
    """Command-line arguments with `--lang en` unless they choose a language: these tests read English sentences."""
    args = [str(a) for a in args]
    return args if "--lang" in args else args + ["--lang", "en"]


def read_report(path: Path) -> list[dict]:
    """A report CSV (UTF-8 with the BOM Excel needs) as one dict per row."""
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def summary(folder: Path) -> list[dict]:
    """summary.csv of a report folder, a dict per option."""
    return read_report(folder / "summary.csv")
