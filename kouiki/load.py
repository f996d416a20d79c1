"""Read an instance (SPEC §4) into a frozen `Instance`, or refuse it with every problem found.

Only the standard library is used here, so `allocate PATH --check` stays fast:
no pandas, Pyomo or HiGHS is imported on this path.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import math
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Callable

from kouiki.errors import InputError, Problem
from kouiki.messages import Message
from kouiki.instance import (
    MUST,
    UNWILLING,
    WILLING,
    CurrentArrangement,
    Instance,
    Method,
    Municipality,
    Row,
    Task,
)

MAIN_FILE = "instance.csv"
SIBLINGS_REQUIRED = ("tasks.csv", "municipalities.csv")
SIBLINGS_OPTIONAL = ("methods.csv", "compatibility.csv", "reach.csv", "current.csv")
# Relations whose empty table means something: nobody reaches another hub;
# no arrangement is in force today.
MAY_BE_EMPTY = ("reach.csv", "current.csv")
# A workbook holds the same tables as sheets named like the files without `.csv`.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


# ---------------------------------------------------------------- cell parsers
# Each parser takes the stripped cell text and returns a value or raises
# ValueError with a reason the user can act on.

_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")
# Larger than any amount or count a region has (Japan's whole national budget is
# about 1.1·10^14 yen a year): such a number is a unit slip or a typo, and a model
# holding it beside ordinary costs is beyond the solver's floating-point arithmetic.
LARGEST = 1e15
# What Excel writes into a CSV for a cell whose formula failed.
_EXCEL_ERROR = re.compile(r"#(N/A|NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|SPILL!|CALC!|GETTING_DATA)", re.IGNORECASE)
_YEN_UNITS = ("百万円", "万円", "千円", "億円", "兆円")


def _number(text: str) -> float:
    # NFKC turns full-width digits and signs (１２３，－) into ASCII: Japanese
    # Excel users type them, and they are unambiguous.
    text = unicodedata.normalize("NFKC", text).strip()
    if text.startswith("="):
        raise ValueError(Message("load.formula", value=_shown(text)))
    if _EXCEL_ERROR.fullmatch(text):
        raise ValueError(Message("load.excel_error", value=text))
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    try:
        value = float(text)
    except ValueError:
        if "円" in text or text.lstrip("+-").startswith(("¥", "\\")):
            raise ValueError(Message("load.yen_not_money", value=_shown(text))) from None
        raise ValueError(Message("load.not_a_number", value=_shown(text))) from None
    if not math.isfinite(value):
        raise ValueError(Message("load.not_finite", value=_shown(text)))
    if abs(value) > LARGEST:
        raise ValueError(Message("load.too_large", value=_shown(text)))
    return value + 0.0  # -0 is 0: no report shows "-0"


def _money(text: str) -> float:
    """An amount of yen as Japanese Excel may write it: ¥1,000, ￥1,000, 1,000円, or
    \\1,000 (a CP932 file's yen sign is the backslash byte)."""
    value = unicodedata.normalize("NFKC", text).strip()  # ￥ → ¥
    unit = next((u for u in _YEN_UNITS if value.endswith(u)), None)
    if unit is not None:
        raise ValueError(Message("load.unit", value=_shown(value), unit=unit))
    sign = ""
    if value[:1] in ("+", "-"):
        sign, value = value[0], value[1:].lstrip()
    if value[:1] in ("¥", "\\"):
        value = value[1:].lstrip()
    if value.endswith("円"):
        value = value[:-1].rstrip()
    return _number(sign + value)


def _at_least_zero(value: float, text: str) -> float:
    if value < 0:
        raise ValueError(Message("load.negative", value=_shown(text)))
    return value


def _non_negative(text: str) -> float:
    return _at_least_zero(_number(text), text)


def _amount(text: str) -> float:
    """Yen ≥ 0."""
    return _at_least_zero(_money(text), text)


def _fraction(text: str) -> float:
    value = _number(text)
    if not 0 <= value <= 1:
        raise ValueError(Message("load.outside_fraction", value=_shown(text)))
    return value


def _elasticity(text: str) -> float:
    value = _number(text)
    if not 0 < value <= 1:
        raise ValueError(Message("load.outside_elasticity", value=_shown(text)))
    return value


def _count(text: str) -> int:
    value = _non_negative(text)
    if value != int(value):
        raise ValueError(Message("load.not_whole", value=_shown(text)))
    return int(value)


def _flag(text: str) -> bool:
    value = unicodedata.normalize("NFKC", text).strip()
    if value in ("1", "1.0"):
        return True
    if value in ("0", "0.0"):
        return False
    raise ValueError(Message("load.flag", value=_shown(text)))


def _willing(text: str) -> str:
    value = unicodedata.normalize("NFKC", text).strip().lower()
    if value in ("1", "1.0"):
        return WILLING
    if value in ("0", "0.0"):
        return UNWILLING
    if value == MUST:
        return MUST
    raise ValueError(Message("load.willing", value=_shown(text)))


# Roles as a Japanese sheet writes them (the template's README glosses central as 中心市).
_ROLES_JA = {"中心市": "central", "市": "central", "町": "town", "村": "town", "町村": "town",
             "県": "prefecture", "都": "prefecture", "道": "prefecture", "府": "prefecture", "都道府県": "prefecture"}


def _role(text: str) -> str:
    value = unicodedata.normalize("NFKC", text).strip().lower()
    value = _ROLES_JA.get(value, value)
    if value not in ("central", "town", "prefecture"):
        raise ValueError(Message("load.role", value=_shown(text)))
    return value


def _core_city(text: str) -> bool | None:
    if text.strip().lower() == "auto":
        return None
    return _flag(text)


def _text(text: str) -> str:
    # Excel writes a formula's value, so a leading '=' is a formula typed as text; it
    # would also become a live formula in any report Excel opens.
    if text.startswith("="):
        raise ValueError(Message("load.formula", value=_shown(text)))
    return text


def _shown(text: str, limit: int = 60) -> str:
    """A cell as a message quotes it: on one line, and cut when long (a 1 MB cell is not echoed)."""
    text = re.sub(r"[\x00-\x1f\x7f]", lambda m: repr(m.group())[1:-1], text)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


@dataclass(frozen=True)
class Column:
    name: str
    parse: Callable[[str], object] = _text
    required: bool = False  # the column must exist and every cell be filled


# Columns whose names mark documentation, kept by the user and not used.
def _is_note(column: str) -> bool:
    return column in ("note", "source", "notes") or column.endswith(("_note", "_source"))


SCHEMAS: dict[str, list[Column]] = {
    "instance": [
        Column("task", required=True),
        Column("municipality", required=True),
        Column("volume", _non_negative, required=True),
        Column("standalone_cost", _amount),
        Column("willing", _willing),
        Column("payer"),
    ],
    "tasks.csv": [
        Column("task", required=True),
        Column("category", required=True),
        Column("fixed_cost", _amount, required=True),
        Column("unit_cost", _amount, required=True),
        Column("scale_elasticity", _elasticity),
        Column("core_city_affair", _flag),
        Column("fee_ratio", _fraction),
        Column("staff_per_unit", _non_negative),
        Column("label_ja"),
        Column("label_en"),
    ],
    "municipalities.csv": [
        Column("municipality", required=True),
        Column("role", _role, required=True),
        Column("can_host", _flag),
        Column("population", _count, required=True),
        Column("core_city", _core_city),
        Column("day_night_ratio", _non_negative),
        Column("in_three_metro_areas", _flag),
        Column("metro_commute_share", _fraction),
        Column("burden_cap", _money),
        Column("staff_capacity", _non_negative),
        Column("label_en"),
        Column("label_ja"),
    ],
    "methods.csv": [
        Column("method", required=True),
        Column("label_ja"),
        Column("label_en"),
        Column("basis"),
        Column("scale_share", _fraction, required=True),
        Column("arrangement_cost", _amount),
        Column("member_cost", _amount),
        Column("body_cost", _amount),
        Column("fee_ratio", _fraction, required=True),
        Column("member_fee", _amount),
        Column("min_members", _count),
        Column("prefecture_may_join", _flag),
        Column("grant_hub", _amount),
        Column("grant_member", _amount),
    ],
    "compatibility.csv": [
        Column("category", required=True),
        Column("method", required=True),
        Column("allowed", _flag, required=True),
    ],
    "reach.csv": [
        Column("municipality", required=True),
        Column("hub", required=True),
    ],
    "current.csv": [
        Column("task", required=True),
        Column("method", required=True),
        Column("hub", required=True),
        Column("participants", required=True),
        Column("since"),
    ],
    "categories.csv": [
        Column("category", required=True),
        Column("label_ja"),
        Column("label_en"),
        Column("seed_section"),
    ],
}


# ---------------------------------------------------------------- raw reading


# What a file that is not CSV text starts with, and what to tell its owner.
_NOT_CSV = (
    (b"PK\x03\x04", "load.zip_as_csv"),
    (b"\xd0\xcf\x11\xe0", "load.xls_as_csv"),
    (b"\xff\xfe", "load.utf16"),
    (b"\xfe\xff", "load.utf16"),
)
_SAVE_AS = Message("load.save_as")
# C0 controls other than tab, line feed and carriage return: no spreadsheet writes them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _line_of(text: str, position: int) -> int:
    return len(re.findall(r"\r\n|\r|\n", text[:position])) + 1


def decode(data: bytes, file: str) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM) or CP932, and say which was used.

    A binary file (a workbook renamed to .csv, UTF-16, anything with NUL bytes)
    is refused as such, not decoded into nonsense columns.
    """
    for magic, what in _NOT_CSV:
        if data.startswith(magic):
            raise InputError([Problem(file, None, None, Message("load.not_csv", what=Message(what), save_as=_SAVE_AS))])
    if b"\x00" in data:
        before = data[: data.index(b"\x00")].decode("latin-1")  # only its line breaks matter
        row = _line_of(before, len(before))
        raise InputError([Problem(file, row, None, Message("load.nul", save_as=_SAVE_AS))])
    text, encoding = _decode_text(data, file)
    control = _CONTROL.search(text)
    if control:
        raise InputError([Problem(file, _line_of(text, control.start()), None,
                                  Message("load.control", code=f"U+{ord(control.group()):04X}", save_as=_SAVE_AS))])
    return text, encoding


def _decode_text(data: bytes, file: str) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8 with BOM"
        except UnicodeDecodeError as error:
            raise InputError([Problem(file, None, None, Message("load.bad_bom", reason=error.reason, position=error.start))]) from None
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        # CP932 is Microsoft's superset of Shift_JIS, what Japanese Excel writes.
        return data.decode("cp932"), "Shift_JIS (CP932)"
    except UnicodeDecodeError as error:
        raise InputError([Problem(file, None, None, Message("load.encoding", position=error.start))]) from None


def _check_delimiter(header_line: str, file: str, row: int = 1) -> None:
    commas = header_line.count(",")
    for name, char in (("semicolon", ";"), ("tab", "\t")):
        if header_line.count(char) > commas:
            raise InputError([Problem(file, row, None, Message(f"load.{name}_separated"))])


@dataclass
class Table:
    file: str
    encoding: str
    columns: list[str]
    rows: list[tuple[int, dict[str, object]]]  # (spreadsheet row, parsed cells)
    raw: bytes


def read_table(path: Path, schema_name: str, problems: list[Problem], display: str | None = None) -> Table | None:
    """Parse one CSV by its schema; append every problem found, return None if unusable."""
    file = display or path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(file, None, None, Message("load.not_found")))
        return None
    except IsADirectoryError:
        problems.append(Problem(file, None, None, Message("load.folder")))
        return None
    except OSError as error:
        problems.append(Problem(file, None, None, Message("load.unreadable", reason=error.strerror)))
        return None
    try:
        text, encoding = decode(data, file)
        lines = re.split(r"\r\n|\r|\n", text)
        row, first = next(((i + 1, line) for i, line in enumerate(lines) if line.strip()), (1, ""))
        _check_delimiter(first, file, row)
    except InputError as error:
        problems.extend(error.problems)
        return None
    return parse_table(text, SCHEMAS[schema_name], file, encoding, data, problems, schema_name in MAY_BE_EMPTY)


# ---------------------------------------------------------------- workbooks
# A sheet's used cells become rows of text as a CSV would hold them, and go
# through parse_table: a workbook is validated exactly like a folder of CSVs.


def sheet_name(table: str) -> str:
    """The sheet holding a table: its CSV file name without `.csv` (`tasks.csv` → `tasks`)."""
    return table.removesuffix(".csv")


def cell_text(value: object) -> str:
    """A cell's value as CSV text that parses back to the same value."""
    if value is None:
        return ""
    if isinstance(value, bool):  # before int: TRUE/FALSE in a 0/1 column
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Excel stores every number as a double: 3.0 was typed as 3; repr round-trips the rest.
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)


@dataclass
class Workbook:
    """The table sheets of an .xlsx, as CSV text, with the formulas Excel never calculated."""

    file: str
    titles: list[str]
    sheets: dict[str, str] = field(default_factory=dict)  # table sheet → CSV text
    uncalculated: dict[str, list[Problem]] = field(default_factory=dict)

    def display(self, table: str) -> str:
        return f"{self.file} [sheet {sheet_name(table)}]"

    def has(self, table: str) -> bool:
        return sheet_name(table) in self.sheets

    def table(self, table: str, problems: list[Problem]) -> Table | None:
        file, sheet = self.display(table), sheet_name(table)
        if sheet not in self.sheets:
            problems.append(Problem(file, None, None, Message("load.sheet_not_found", sheets=", ".join(self.titles))))
            return None
        text = self.sheets[sheet]
        formulas = self.uncalculated.get(sheet, [])
        found: list[Problem] = []
        parsed = parse_table(text, SCHEMAS[table], file, "Excel workbook", text.encode("utf-8"), found, table in MAY_BE_EMPTY)
        # the empty cell an uncalculated formula leaves is not a second problem
        cells = {(p.row, p.column) for p in formulas}
        problems.extend(formulas)
        problems.extend(p for p in found if (p.row, p.column) not in cells)
        return parsed


def read_workbook(path: Path, tables: tuple[str, ...], problems: list[Problem]) -> Workbook | None:
    """Read the sheets named like `tables` (other sheets are the user's notes and ignored)."""
    import zipfile

    import openpyxl  # only a workbook instance pays for it
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import InvalidFileException

    file = path.name
    try:
        # data_only: a formula's value as Excel last saved it; the second read shows
        # which empty cells are formulas that were never calculated.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "extension not supported" etc. concern formatting, not data
            values = openpyxl.load_workbook(path, data_only=True)
            formulas = openpyxl.load_workbook(path, data_only=False)
    except FileNotFoundError:
        problems.append(Problem(file, None, None, Message("load.not_found")))
        return None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        problems.append(Problem(file, None, None, Message("load.bad_workbook", reason=str(error))))
        return None
    workbook = Workbook(file, list(values.sheetnames))
    by_name = {title.strip().lower(): title for title in values.sheetnames}
    for table in tables:
        title = by_name.get(sheet_name(table).lower())
        if title is None:
            continue
        sheet = sheet_name(table)
        shown, computed = values[title], formulas[title]
        last_row = max(shown.max_row, computed.max_row)
        last_column = max(shown.max_column, computed.max_column)
        rows: list[list[str]] = []
        missing: list[tuple[int, int, str]] = []
        for value_row, formula_row in zip(
            shown.iter_rows(min_row=1, max_row=last_row, min_col=1, max_col=last_column),
            computed.iter_rows(min_row=1, max_row=last_row, min_col=1, max_col=last_column),
        ):
            texts = []
            for value_cell, formula_cell in zip(value_row, formula_row):
                if value_cell.value is None and formula_cell.data_type == "f":
                    formula = formula_cell.value
                    missing.append((formula_cell.row, formula_cell.column, getattr(formula, "text", None) or str(formula)))
                    texts.append("")
                else:
                    texts.append(cell_text(value_cell.value))
            while texts and texts[-1] == "":
                texts.pop()
            rows.append(texts)
        while rows and not rows[-1]:
            rows.pop()
        header_index = next((i for i, r in enumerate(rows) if any(c.strip() for c in r)), None)
        header = [c.strip() for c in rows[header_index]] if header_index is not None else []
        display = workbook.display(table)
        problems_here = []
        columns = {c.name for c in SCHEMAS[table]}
        for row, column, formula in missing:
            name = header[column - 1] if header_index is not None and row > header_index + 1 and column <= len(header) and header[column - 1] else None
            if name and name not in columns:
                continue  # a note column: ignored like its other cells
            cell = f"{get_column_letter(column)}{row}"
            problems_here.append(Problem(display, row, name or get_column_letter(column),
                                         Message("load.uncalculated", cell=cell, formula=formula)))
        buffer = io.StringIO(newline="")
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        workbook.sheets[sheet] = buffer.getvalue()
        workbook.uncalculated[sheet] = problems_here
    return workbook


# Columns of prose, where a line break (Alt+Enter in Excel) is the user's to keep.
_FREE_TEXT = ("label_ja", "label_en", "basis")


def _open_quote(first_line: str, records: list[list[str]]) -> tuple[bool, str | None]:
    """Whether a record's first line ends inside a quoted cell, and that cell's column."""
    try:
        for _ in csv.reader([first_line], strict=True):
            pass
        return False, None
    except csv.Error as error:
        if str(error) != "unexpected end of data":
            return False, None
    cells = next(csv.reader([first_line]), [])  # leniently: the open cell comes last
    header = next((r for r in records if any(c.strip() for c in r)), None)
    if header is None or not cells or len(cells) > len(header):
        return True, None
    return True, unicodedata.normalize("NFKC", header[len(cells) - 1]).strip().lstrip("\ufeff") or None


def _records(text: str, file: str, problems: list[Problem]) -> list[list[str]] | None:
    """The CSV records, read strictly: a stray quote is refused on its own row, not read on to the end of the file."""
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 0  # the physical line the last whole record ended on
    try:
        for record in reader:
            records.append(record)
            line = reader.line_num
    except csv.Error as error:
        row, reason = len(records) + 1, str(error)
        open_quote, column = _open_quote(re.split(r"\r\n|\r|\n", text)[line], records)
        if reason == "unexpected end of data" or ("field larger than field limit" in reason and open_quote):
            message = Message("load.open_quote")
        elif "field larger than field limit" in reason:
            message = Message("load.huge_cell", limit=f"{csv.field_size_limit():,}")
        elif reason.startswith("',' expected after"):
            message = Message("load.after_quote")
        else:
            message = Message("load.bad_csv", reason=reason)
        problems.append(Problem(file, row, column, message))
        return None
    return records


def parse_table(text: str, schema: list[Column], file: str, encoding: str, raw: bytes, problems: list[Problem],
                may_be_empty: bool | None = None) -> Table | None:
    if may_be_empty is None:
        may_be_empty = file in MAY_BE_EMPTY
    records = _records(text, file, problems)
    if records is None:
        return None
    # Blank lines before the header (e.g. after a BOM) still count as spreadsheet rows.
    header_index = next((i for i, r in enumerate(records) if any(c.strip() for c in r)), None)
    if header_index is None:
        problems.append(Problem(file, None, None, Message("load.empty")))
        return None
    header = [unicodedata.normalize("NFKC", c).strip().lstrip("\ufeff") for c in records[header_index]]
    header_row = header_index + 1
    known = {c.name: c for c in schema}
    count_before = len(problems)
    seen: set[str] = set()
    for name in header:
        if name == "":
            continue
        if name in seen:
            problems.append(Problem(file, header_row, name, Message("load.column_twice")))
        seen.add(name)
    for column in schema:
        if column.required and column.name not in seen:
            problems.append(Problem(file, header_row, column.name, Message("load.column_missing")))
    if len(problems) > count_before:
        return None
    unknown = [n for n in header if n and n not in known and not _is_note(n)]
    for name in unknown:
        valid = ", ".join(c.name for c in schema)
        problems.append(Problem(file, header_row, name, Message("load.unknown_column", valid=valid)))
    rows: list[tuple[int, dict[str, object]]] = []
    unnamed: dict[int, list[tuple[int, str]]] = {}  # values under a column without a name
    for index in range(header_index + 1, len(records)):
        record = records[index]
        row_number = index + 1
        if not any(cell.strip() for cell in record):
            continue  # an empty spreadsheet row carries nothing
        if len(record) > len(header) and any(c.strip() for c in record[len(header):]):
            problems.append(Problem(file, row_number, None, Message("load.too_many_cells", cells=len(record), header=len(header))))
            continue
        for position, name in enumerate(header[: len(record)]):
            if name == "" and record[position].strip():
                unnamed.setdefault(position, []).append((row_number, record[position].strip()))
        cells: dict[str, object] = {}
        for position, name in enumerate(header):
            column = known.get(name)
            if column is None:
                continue
            text = record[position].strip() if position < len(record) else ""
            if text == "":
                if column.required:
                    problems.append(Problem(file, row_number, name, Message("load.required_empty")))
                cells[name] = None
                continue
            if ("\n" in text or "\r" in text) and name not in _FREE_TEXT:
                problems.append(Problem(file, row_number, name, Message("load.line_break", value=_shown(text))))
                continue
            try:
                cells[name] = column.parse(text)
            except ValueError as error:
                problems.append(Problem(file, row_number, name, error.args[0] if error.args else str(error)))
        rows.append((row_number, cells))
    for position, found in unnamed.items():
        more = Message("load.and_more_rows", count=len(found) - 1) if len(found) > 1 else ""
        problems.append(Problem(file, found[0][0], None, Message("load.unnamed", value=_shown(found[0][1]), position=position + 1, more=more)))
    if not rows and not may_be_empty:
        problems.append(Problem(file, None, None, Message("load.no_rows")))
    return Table(file, encoding, header, rows, raw)


# ---------------------------------------------------------------- built-in tables


def _builtin(name: str) -> tuple[str, bytes]:
    data = resources.files("kouiki").joinpath("data", name).read_bytes()
    return name, data


def _read_builtin(name: str, problems: list[Problem]) -> Table | None:
    file, data = _builtin(name)
    text, encoding = decode(data, f"built-in {file}")
    return parse_table(text, SCHEMAS[name], f"built-in {file}", encoding, data, problems)


def builtin_labels(name: str) -> dict[str, tuple[str, str]]:
    """id → (label_ja, label_en) from a built-in table (methods.csv, categories.csv)."""
    table = _read_builtin(name, [])
    key = SCHEMAS[name][0].name
    return {c[key]: (c.get("label_ja") or c[key], c.get("label_en") or c[key]) for _, c in table.rows}


def bundled_instances() -> dict[str, Path]:
    root = resources.files("kouiki.instances")
    found = {}
    for entry in root.iterdir():
        if entry.is_dir() and (Path(str(entry)) / MAIN_FILE).exists():
            found[entry.name] = Path(str(entry))
    return found


def resolve(path_text: str) -> tuple[Path, Path]:
    """(main file, folder) for what the user typed: a CSV, a workbook, a folder, or a bundled name."""
    path = Path(path_text)
    if not path.exists():
        bundled = bundled_instances()
        if path_text in bundled:
            path = bundled[path_text]
        else:
            names = ", ".join(sorted(bundled)) or "—"
            raise InputError([Problem(path_text, None, None, Message("load.no_such_path", names=names))])
    if path.is_dir() and (path.suffix.lower() != ".csv" or (path / MAIN_FILE).exists()):
        return path / MAIN_FILE, path
    return path, path.parent  # a folder named like a CSV is refused by read_table


# ---------------------------------------------------------------- assembling


class _Names:
    """Ids and the Japanese (or English) names accepted in their place (SPEC §9)."""

    def __init__(self, kind: str):
        self.kind = kind
        self.ids: list[str] = []
        self.alias: dict[str, str] = {}

    def add(self, id_: str, *names: str | None) -> None:
        # Full-width and half-width forms (ＡＢ / AB, ｶﾅ / カナ) name the same thing.
        self.ids.append(id_)
        self.alias[id_] = id_
        self.alias[_id_key(id_)] = id_
        for name in names:
            if name:
                self.alias.setdefault(name.strip(), id_)
                self.alias.setdefault(_id_key(name), id_)

    def get(self, text: str) -> str | None:
        return self.alias.get(_id_key(text)) or self.alias.get(text.strip())

    def unknown(self, text: str) -> str:
        from difflib import get_close_matches

        close = get_close_matches(text, list(self.alias), n=3, cutoff=0.5) if len(text) < 1000 else []
        if close:
            hint = Message("load.did_you_mean", names=", ".join(close))
        else:
            hint = Message("load.known", names=", ".join(self.ids[:12]) + (", …" if len(self.ids) > 12 else ""))
        return Message("load.unknown", kind=Message(f"load.kind_{self.kind}"), value=_shown(text), hint=hint)


def _id_key(text: str) -> str:
    """What makes two ids the same: their NFKC forms, without surrounding spaces."""
    return unicodedata.normalize("NFKC", text).strip()


def _method_from(cells: dict) -> Method:
    def money(name: str) -> float:
        return cells.get(name) or 0.0

    min_members = cells.get("min_members")
    return Method(
        id=cells["method"],
        label_ja=cells.get("label_ja") or cells["method"],
        label_en=cells.get("label_en") or cells["method"],
        scale_share=cells["scale_share"],
        arrangement_cost=money("arrangement_cost"),
        member_cost=money("member_cost"),
        body_cost=money("body_cost"),
        fee_ratio=cells["fee_ratio"],
        member_fee=money("member_fee"),
        min_members=2 if min_members is None else min_members,
        prefecture_may_join=bool(cells.get("prefecture_may_join") or False),
        grant_hub=money("grant_hub"),
        grant_member=money("grant_member"),
    )


def _duplicates(table: Table, key: Callable[[dict], tuple], what: str, problems: list[Problem],
                shown: Callable[[dict], tuple] | None = None) -> None:
    """Rows with the same key; `shown` is the key as the row writes it, when `key` normalises it."""
    first: dict[tuple, tuple[int, tuple]] = {}
    for row_number, cells in table.rows:
        k = key(cells)
        if any(part is None for part in k):
            continue
        written = shown(cells) if shown else k
        if k in first:
            row, first_written = first[k]
            same = Message("load.same_id", written=" / ".join(map(_shown, first_written))) if written != first_written else ""
            problems.append(Problem(table.file, row_number, None, Message("load.duplicate", what=Message(f"load.what_{what.replace(' ', '_')}"),
                                                                          value=" / ".join(map(_shown, map(str, written))), row=row, same=same)))
        else:
            first[k] = (row_number, written)


def _duplicate_ids(table: Table, column: str, problems: list[Problem]) -> None:
    """Rows of a table keyed by one id column that name the same id."""
    _duplicates(table, lambda c: (_id_key(c[column]) if c.get(column) is not None else None,), column, problems,
                lambda c: (c.get(column),))


def load(path_text: str, deadline=None) -> Instance:
    """Read the instance the user named; raise InputError listing every problem.

    With a `deadline` (kouiki.deadline), each table is read only while time is left (OutOfTime).
    """
    main, folder = resolve(path_text)
    problems: list[Problem] = []
    files: dict[str, str] = {}
    digest = hashlib.sha256()

    workbook = None
    if main.suffix.lower() in WORKBOOK_SUFFIXES:
        workbook = read_workbook(main, ("instance",) + SIBLINGS_REQUIRED + SIBLINGS_OPTIONAL, problems)
        if workbook is None:
            raise InputError(problems)
    elif main.suffix.lower() == ".xls":
        raise InputError([Problem(main.name, None, None, Message("load.old_xls"))])

    def exists(name: str) -> bool:
        return workbook.has(name) if workbook is not None else (folder / name).exists()

    def read(name: str) -> Table | None:
        if deadline is not None:
            deadline.check()
        if workbook is not None:
            table = workbook.table(name, problems)
        elif name == "instance":
            table = read_table(main, name, problems, main.name)
        else:
            table = read_table(folder / name, name, problems)
        if table is not None:
            files[table.file] = table.encoding
            digest.update(table.file.encode() + b"\0" + table.raw + b"\0")
        return table

    instance_table = read("instance")
    tasks_table = read("tasks.csv")
    munis_table = read("municipalities.csv")

    def optional(name: str) -> Table | None:
        return read(name) if exists(name) else None

    methods_table = optional("methods.csv")
    if methods_table is None and not exists("methods.csv"):
        methods_table = _read_builtin("methods.csv", problems)
    compat_table = optional("compatibility.csv")
    if compat_table is None and not exists("compatibility.csv"):
        compat_table = _read_builtin("compatibility.csv", problems)
    reach_table = optional("reach.csv")
    current_table = optional("current.csv")
    categories_table = _read_builtin("categories.csv", problems)

    # Bad cells alone do not stop here: the cross-file checks below still run, so a
    # file's unknown ids are reported with its bad values (SPEC §4: all errors of a
    # file). A table that is unreadable or has no rows would only make every
    # reference to it fail, so that stops here.
    tables = (instance_table, tasks_table, munis_table, methods_table, compat_table)
    if None in tables or not all(t.rows for t in tables):
        raise InputError(problems)

    methods, method_names = _methods(methods_table, problems)
    compatibility, category_names, categories_in_table = _compatibility(compat_table, categories_table, method_names, problems)
    municipalities, muni_names = _municipalities(munis_table, problems)
    tasks, task_rows, task_names = _tasks(tasks_table, category_names, categories_in_table, problems)
    rows = _rows(instance_table, tasks_table, tasks, task_rows, task_names, muni_names, problems)
    reach = _reach(reach_table, muni_names, problems)
    current = _current(current_table, task_names, method_names, muni_names, problems)

    if problems:
        raise InputError(problems)

    return Instance(
        name=folder.name if main.name == MAIN_FILE else main.stem,
        path=str(main),
        methods=methods,
        compatibility=frozenset(compatibility),
        tasks=tasks,
        municipalities=municipalities,
        rows=rows,
        reach=frozenset(reach) if reach is not None else None,
        current=tuple(current),
        files=files,
        checksum=digest.hexdigest(),
    )



# ---------------------------------------------------------------- one function per table
# Each reads its parsed table, appends its problems (duplicates always through
# _duplicates), and returns what the next tables need to resolve their names.


def _methods(methods_table: Table, problems: list[Problem]) -> tuple[dict[str, Method], "_Names"]:
    _duplicate_ids(methods_table, "method", problems)
    methods: dict[str, Method] = {}
    method_names = _Names("method")
    method_ids: set[str] = set()
    for row_number, cells in methods_table.rows:
        if cells.get("method") is None or _id_key(cells["method"]) in method_ids:
            continue
        method_ids.add(_id_key(cells["method"]))
        if None in (cells.get("scale_share"), cells.get("fee_ratio")):
            if cells.get("method") is not None and method_names.get(cells["method"]) is None:
                method_names.add(cells["method"])  # known, so its uses raise no second error
            continue
        method = _method_from(cells)
        if method.min_members < 1:
            problems.append(Problem(methods_table.file, row_number, "min_members", Message("load.min_members")))
        methods[method.id] = method
        method_names.add(method.id, cells.get("label_ja"), cells.get("label_en"))
    return methods, method_names


def _compatibility(compat_table: Table, categories_table: Table, method_names: "_Names", problems: list[Problem]):
    """The allowed (category, method) pairs, the category names, and the categories the table lists."""
    builtin_method_names = _Names("method")
    builtin_problems: list[Problem] = []
    for _, cells in _read_builtin("methods.csv", builtin_problems).rows:
        builtin_method_names.add(cells["method"], cells.get("label_ja"), cells.get("label_en"))

    # categories: the built-in ones, plus any the compatibility table introduces
    category_names = _Names("category")
    for _, cells in categories_table.rows:
        category_names.add(cells["category"], cells.get("label_ja"), cells.get("label_en"))
    compatibility: set[tuple[str, str]] = set()
    listed: set[tuple[str, str]] = set()
    _duplicates(compat_table, lambda c: (category_names.get(c["category"]) if c.get("category") else None,
                                         method_names.get(c["method"]) if c.get("method") else None), "pair", problems)
    for row_number, cells in compat_table.rows:
        category_text, method_text = cells.get("category"), cells.get("method")
        if category_text is None or method_text is None:
            continue
        category = category_names.get(category_text)
        if category is None:
            category_names.add(category_text)
            category = category_text
        method = method_names.get(method_text)
        if method is None:
            # A user's methods.csv may leave a built-in method out on purpose
            # (SPEC §2: it then cannot be chosen); only a name nobody knows is an error.
            if builtin_method_names.get(method_text) is None:
                problems.append(Problem(compat_table.file, row_number, "method", method_names.unknown(method_text)))
            continue
        listed.add((category, method))
        if cells.get("allowed"):
            compatibility.add((category, method))
    categories_in_table = {c for c, _ in listed}
    return compatibility, category_names, categories_in_table


def _municipalities(munis_table: Table, problems: list[Problem]) -> tuple[dict[str, Municipality], "_Names"]:
    _duplicate_ids(munis_table, "municipality", problems)
    municipalities: dict[str, Municipality] = {}
    muni_names = _Names("municipality")
    muni_ids: set[str] = set()
    for row_number, cells in munis_table.rows:
        id_ = cells.get("municipality")
        if id_ is None or _id_key(id_) in muni_ids:
            continue
        muni_ids.add(_id_key(id_))
        if cells.get("role") is None or cells.get("population") is None:
            if muni_names.get(id_) is None:
                muni_names.add(id_)  # known, so its uses raise no second error
            continue
        role = cells["role"]
        can_host = cells.get("can_host")
        municipalities[id_] = Municipality(
            id=id_,
            role=role,
            can_host=(role == "central") if can_host is None else can_host,
            population=cells["population"],
            core_city=cells.get("core_city"),
            day_night_ratio=cells.get("day_night_ratio"),
            in_three_metro_areas=bool(cells.get("in_three_metro_areas") or False),
            metro_commute_share=cells.get("metro_commute_share"),
            burden_cap=cells.get("burden_cap"),
            staff_capacity=cells.get("staff_capacity"),
            label_en=cells.get("label_en") or "",
        )
        muni_names.add(id_, cells.get("label_en"))
    return municipalities, muni_names


def _tasks(tasks_table: Table, category_names: "_Names", categories_in_table: set[str], problems: list[Problem]):
    """The tasks, the row each is defined on, and every task name tasks.csv gives."""
    _duplicate_ids(tasks_table, "task", problems)
    tasks: dict[str, Task] = {}
    task_rows: dict[str, int] = {}
    task_names = _Names("task")  # every task tasks.csv names, even on a refused row
    for row_number, cells in tasks_table.rows:
        id_ = cells.get("task")
        if id_ is None or task_names.get(id_) is not None:
            continue
        task_names.add(id_)
        category = None
        if cells.get("category") is not None:
            category = category_names.get(cells["category"])
            if category is None or category not in categories_in_table:
                problems.append(Problem(tasks_table.file, row_number, "category", category_names.unknown(cells["category"]) if category is None else Message("load.category_unlisted", category=category)))
        if None in (category, cells.get("fixed_cost"), cells.get("unit_cost")):
            continue
        elasticity = cells.get("scale_elasticity")
        tasks[id_] = Task(
            id=id_,
            category=category,
            fixed_cost=cells["fixed_cost"],
            unit_cost=cells["unit_cost"],
            scale_elasticity=1.0 if elasticity is None else elasticity,
            core_city_affair=bool(cells.get("core_city_affair") or False),
            fee_ratio=cells.get("fee_ratio"),
            staff_per_unit=cells.get("staff_per_unit") or 0.0,
            label_ja=cells.get("label_ja") or id_,
            label_en=cells.get("label_en") or id_,
        )
        task_rows[id_] = row_number
    return tasks, task_rows, task_names


def _rows(instance_table: Table, tasks_table: Table, tasks: dict[str, Task], task_rows: dict[str, int],
          task_names: "_Names", muni_names: "_Names", problems: list[Problem]) -> dict[tuple[str, str], Row]:
    # Municipalities by id, so a row naming one by its label_en is a duplicate too.
    _duplicates(instance_table, lambda c: (task_names.get(c["task"]) or _id_key(c["task"]) if c.get("task") else None, muni_names.get(c["municipality"]) if c.get("municipality") else None), "task and municipality", problems)
    rows: dict[tuple[str, str], Row] = {}
    for row_number, cells in instance_table.rows:
        task, muni = cells.get("task"), cells.get("municipality")
        if task is not None and task_names.get(task) is None:
            problems.append(Problem(instance_table.file, row_number, "task", Message("load.task_unknown", value=_shown(task))))
        task = task_names.get(task) if task is not None else None
        if muni is not None and muni_names.get(muni) is None:
            problems.append(Problem(instance_table.file, row_number, "municipality", Message("load.not_in_municipalities", text=muni_names.unknown(muni))))
        payer = cells.get("payer")
        if payer is not None and muni_names.get(payer) is None:
            problems.append(Problem(instance_table.file, row_number, "payer", Message("load.not_in_municipalities", text=muni_names.unknown(payer))))
        if task not in tasks or muni_names.get(muni or "") is None or cells.get("volume") is None:
            continue
        muni = muni_names.get(muni)
        if (task, muni) in rows:
            continue
        cost = tasks[task].cost(cells["volume"])
        if cells.get("standalone_cost") is None and cost > LARGEST:
            problems.append(Problem(instance_table.file, row_number, "volume", Message("load.cost_too_large", cost=f"{cost:,.0f}", row=task_rows[task])))
            continue
        rows[(task, muni)] = Row(task, muni, cells["volume"], cells.get("standalone_cost"), cells.get("willing") or WILLING, muni_names.get(payer) if payer else None)
    tasks_with_rows = {t for t, _ in rows}
    for task, row_number in task_rows.items():
        if task not in tasks_with_rows and not any(p.file == instance_table.file for p in problems):
            problems.append(Problem(tasks_table.file, row_number, "task", Message("load.task_no_rows", task=task, file=instance_table.file)))
    return rows


def _reach(reach_table: Table | None, muni_names: "_Names", problems: list[Problem]) -> set | None:
    reach = None
    if reach_table is not None:
        reach = set()
        _duplicates(reach_table, lambda c: (c.get("municipality"), c.get("hub")), "pair", problems)
        for row_number, cells in reach_table.rows:
            pair = []
            for column in ("municipality", "hub"):
                value = cells.get(column)
                if value is None:
                    continue
                id_ = muni_names.get(value)
                if id_ is None:
                    problems.append(Problem(reach_table.file, row_number, column, muni_names.unknown(value)))
                pair.append(id_)
            if len(pair) == 2 and None not in pair:
                reach.add(tuple(pair))
    return reach


def _current(current_table: Table | None, task_names: "_Names", method_names: "_Names", muni_names: "_Names",
             problems: list[Problem]) -> list[CurrentArrangement]:
    current: list[CurrentArrangement] = []
    if current_table is not None:
        for row_number, cells in current_table.rows:
            found = {}
            ok = True
            for column, names in (("task", None), ("method", method_names), ("hub", muni_names)):
                value = cells.get(column)
                if value is None:
                    ok = False
                    continue
                if names is None:
                    if task_names.get(value) is None:
                        problems.append(Problem(current_table.file, row_number, column, Message("load.task_unknown", value=_shown(value))))
                        ok = False
                    found[column] = task_names.get(value)
                    continue
                id_ = names.get(value)
                if id_ is None:
                    problems.append(Problem(current_table.file, row_number, column, names.unknown(value)))
                    ok = False
                found[column] = id_
            participants = []
            # `;` as SPEC §4 writes them; `、` and `,` (in a quoted cell) as people list names
            for name in re.split(r"[;,、；，]", cells.get("participants") or ""):
                if not name.strip():
                    continue
                id_ = muni_names.get(name)
                if id_ is None:
                    problems.append(Problem(current_table.file, row_number, "participants", muni_names.unknown(name.strip())))
                    ok = False
                elif id_ in participants:
                    problems.append(Problem(current_table.file, row_number, "participants", Message("load.listed_twice", value=id_)))
                    ok = False
                else:
                    participants.append(id_)
            if ok and found["hub"] not in participants:
                problems.append(Problem(current_table.file, row_number, "participants", Message("load.hub_not_participant", hub=found["hub"])))
                ok = False
            if ok:
                current.append(CurrentArrangement(found["task"], found["method"], found["hub"], tuple(participants), row_number))
    return current


def names_for(instance: Instance) -> dict[str, _Names]:
    """Name lookups for command-line what-ifs (ids and Japanese names)."""
    methods = _Names("method")
    for m in instance.methods.values():
        methods.add(m.id, m.label_ja, m.label_en)
    tasks = _Names("task")
    for t in instance.tasks.values():
        tasks.add(t.id, t.label_ja, t.label_en)
    munis = _Names("municipality")
    for j in instance.municipalities.values():
        munis.add(j.id, j.label_en)
    return {"method": methods, "task": tasks, "municipality": munis}
