"""Fuzzing the loader through the command line (issue 5): mutate a valid instance at random.

Whatever the mutation — a hostile cell, a deleted or doubled row, a dropped,
doubled or renamed column, a file cut at a random byte, CP932 instead of UTF-8 —
`allocate` must end in a solved plan with reports (exit 0), an explained
infeasibility (exit 1), or a refusal whose every line names the file (and the
row and column where there is one) (exit 2). Never exit 4, never a traceback,
never a hang.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


from conftest import english, unfold
from kouiki.cli import allocate

# A small valid instance with every optional table, so each parser is in reach.
VALID = {
    "municipalities.csv": [
        ["municipality", "role", "population", "can_host", "burden_cap", "day_night_ratio", "label_en"],
        ["小田原市", "central", "188856", "1", "50000000", "1.02", "Odawara"],
        ["南足柄市", "central", "41093", "1", "", "0.9", "Minamiashigara"],
        ["中井町", "town", "9230", "", "", "", "Nakai"],
        ["神奈川県", "prefecture", "9200000", "0", "", "", "Kanagawa"],
    ],
    "tasks.csv": [
        ["task", "category", "fixed_cost", "unit_cost", "scale_elasticity", "fee_ratio", "label_en"],
        ["消防", "essential", "100000000", "5000", "0.9", "", "Fire"],
        ["観光", "vitality", "20000000", "1000", "1", "0.8", "Tourism"],
    ],
    "instance.csv": [
        ["task", "municipality", "volume", "standalone_cost", "willing", "payer"],
        ["消防", "小田原市", "1000", "", "1", ""],
        ["消防", "南足柄市", "500", "", "1", ""],
        ["消防", "中井町", "100", "", "must", "神奈川県"],
        ["観光", "小田原市", "200", "", "", ""],
        ["観光", "南足柄市", "100", "150000000", "", ""],
        ["観光", "中井町", "50", "", "0", ""],
    ],
    "compatibility.csv": [
        ["category", "method", "allowed"],
        ["essential", "delegation", "1"],
        ["essential", "joint_body", "1"],
        ["vitality", "agreement", "1"],
        ["vitality", "council", "0"],
    ],
    "reach.csv": [
        ["municipality", "hub"],
        ["中井町", "小田原市"],
        ["中井町", "南足柄市"],
        ["南足柄市", "小田原市"],
        ["小田原市", "南足柄市"],
    ],
    "current.csv": [
        ["task", "method", "hub", "participants"],
        ["消防", "delegation", "小田原市", "小田原市;中井町"],
    ],
}
FILES = sorted(VALID)
COLUMNS = sorted({name for table in VALID.values() for name in table[0]})

# What hostile cells are made of: numbers in every width, separators, quotes,
# line breaks, formulas, special floats, emoji, CJK, control bytes.
FRAGMENTS = [
    "0", "1", "7", "42", "1000", "-", "+", ".", "e", "E", "1e300", "1e-300", "-0",
    "１", "２", "３", "０", "，", "．", "－",
    ",", ";", "\t", '"', "'", "\n", "\r\n", "\r", " ", "\u3000", "",
    "=", "=SUM(A1)", "#N/A", "nan", "NaN", "inf", "-inf",
    "¥", "￥", "円", "万円", "\\",
    "🚒", "消防", "観光", "小田原市", "中井町", "南足柄市", "神奈川県", "ＡＢ", "ｺﾞﾐ", "must", "central", "town",
    "delegation", "事務の委託", "、", "\x00", "\x07", "\ufeff",
]
hostile_text = st.lists(st.sampled_from(FRAGMENTS), min_size=0, max_size=6).map("".join)

FULL_WIDTH = str.maketrans("0123456789,.-", "０１２３４５６７８９，．－")


def styled(value: float, style: int) -> str:
    """A number as people type it: plainly, in exponent form, with thousands separators, full-width, with a yen sign."""
    if style == 0:
        return repr(value)
    if style == 1:
        return f"{value:.3e}"
    if style == 2:
        return f"{value:,.0f}" if abs(value) < 1e18 else repr(value)
    if style == 3:
        return f"{value:,.2f}".translate(FULL_WIDTH) if abs(value) < 1e18 else repr(value)
    return f"¥{value:,.0f}" if abs(value) < 1e18 else repr(value)


# Numbers that parse, at every scale, so that odd but valid values reach the solver.
numeric_text = st.builds(
    styled,
    st.one_of(st.integers(-10**17, 10**17).map(float), st.floats(allow_nan=True, allow_infinity=True),
              st.sampled_from([0.0, -0.0, 1e-300, 5e-324, 0.5, 1.0, 1e15, 1e15 + 1, 999999999999999.9])),
    st.integers(0, 4),
)

mutation = st.one_of(
    st.tuples(st.just("cell"), st.integers(0, 50), st.integers(0, 50), hostile_text),
    st.tuples(st.just("cell"), st.integers(1, 50), st.integers(0, 50), numeric_text),
    st.tuples(st.just("delete_row"), st.integers(0, 50)),
    st.tuples(st.just("duplicate_row"), st.integers(0, 50)),
    st.tuples(st.just("drop_column"), st.integers(0, 50)),
    st.tuples(st.just("duplicate_column"), st.integers(0, 50)),
    st.tuples(st.just("rename_column"), st.integers(0, 50), st.one_of(st.sampled_from(COLUMNS), hostile_text)),
    st.tuples(st.just("truncate"), st.floats(0, 1)),
    st.tuples(st.just("cp932")),
    st.tuples(st.just("bom")),
)
edit = st.tuples(st.sampled_from(FILES), mutation)

# exit 2: `<file>: …`, `<file>, row N: …`, `<file>, row N, column 'c': …` (file may be "built-in x.csv")
PROBLEM_LINE = re.compile(r"^[^,:]+?(, row \d+)?(, column '.*?')?: \S")
REPORTS = ("summary.csv", "arrangements.csv", "participation.csv", "ledger.csv", "run.json")


def serialise(records: list[list[str]], quoted: bool) -> str:
    """Quoted: as a CSV writer would write the cells. Raw: cells joined by commas as
    they are, so a comma, quote or line break inside a cell breaks the file's shape."""
    if not quoted:
        return "".join(",".join(record) + "\n" for record in records)
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(records)
    return buffer.getvalue()


def apply(tables: dict[str, list[list[str]]], encodings: dict[str, str], cuts: dict[str, float], file: str, change: tuple) -> None:
    records = tables[file]
    kind = change[0]
    if kind == "cell" and records:
        row = records[change[1] % len(records)]
        if row:
            row[change[2] % len(row)] = change[3]
    elif kind == "delete_row" and records:
        del records[change[1] % len(records)]
    elif kind == "duplicate_row" and records:
        index = change[1] % len(records)
        records.insert(index, list(records[index]))
    elif kind in ("drop_column", "duplicate_column", "rename_column") and records and records[0]:
        column = change[1] % len(records[0])
        for number, row in enumerate(records):
            if column >= len(row):
                continue
            if kind == "drop_column":
                del row[column]
            elif kind == "duplicate_column":
                row.insert(column, row[column])
            elif number == 0:
                row[column] = change[2]
    elif kind == "truncate":
        cuts[file] = change[1]
    elif kind == "cp932":
        encodings[file] = "cp932"
    elif kind == "bom":
        encodings[file] = "utf-8-sig"


def write_instance(folder: Path, edits: list[tuple], quoted: bool) -> None:
    tables = {name: [list(row) for row in rows] for name, rows in VALID.items()}
    encodings = {name: "utf-8" for name in tables}
    cuts: dict[str, float] = {}
    for file, change in edits:
        apply(tables, encodings, cuts, file, change)
    folder.mkdir()
    for name, records in tables.items():
        text = serialise(records, quoted)
        try:
            data = text.encode(encodings[name])
        except UnicodeEncodeError:  # re-encode as CP932 only when it can hold the text
            data = text.encode("utf-8")
        except UnicodeError:
            data = text.encode("utf-8", "surrogatepass")
        if name in cuts:
            data = data[: int(len(data) * cuts[name])]
        (folder / name).write_bytes(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(edit, min_size=1, max_size=3), quoted=st.booleans())
def test_any_mutation_of_a_valid_instance_is_solved_or_refused_clearly(edits, quoted):
    with tempfile.TemporaryDirectory() as temporary:
        folder, out = Path(temporary) / "case", Path(temporary) / "out"
        write_instance(folder, edits, quoted)
        result = CliRunner().invoke(allocate, english([str(folder), "--out", str(out), "--time-limit", "5", "--quiet"]))
        output = result.output
        assert "Traceback" not in output, output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert result.exit_code in (0, 1, 2), f"exit {result.exit_code}:\n{output}"
        if result.exit_code == 0:
            assert all((out / name).exists() for name in REPORTS), output
        elif result.exit_code == 1:
            assert result.stderr.strip(), "an infeasible run must say why"
            assert (out / "infeasibility.csv").exists() and not (out / "summary.csv").exists()
        else:
            assert not out.exists(), "a refused input must leave no output folder"
            lines = unfold(result.stderr).strip().splitlines()
            assert len(lines) >= 2 and lines[-1].endswith("nothing was written."), result.stderr
            for line in lines[:-1]:
                assert PROBLEM_LINE.match(line), f"not a located one-line message: {line!r}"


def test_the_fuzzer_starts_from_a_valid_instance_that_solves(tmp_path):
    write_instance(tmp_path / "case", [], quoted=True)
    out = tmp_path / "out"
    result = CliRunner().invoke(allocate, english([str(tmp_path / "case"), "--out", str(out), "--time-limit", "5"]))
    assert result.exit_code == 0, result.output
    assert all((out / name).exists() for name in REPORTS)
