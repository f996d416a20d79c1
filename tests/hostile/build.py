"""Writes the hostile-input corpus: one folder per case, each a whole instance plus expect.json.

    python tests/hostile/build.py        # rewrite every case folder from CASES below

Each case starts from the small valid instance BASE and changes one thing (or a
few things of one kind). expect.json says what `allocate <folder>` must do:

    what      the case in words
    exit      0 solved, 1 infeasible, 2 refused
    args      extra command-line arguments (e.g. ["--check"])
    messages  for a refusal: [file, row, column, fragment] — one message line must
              start "<file>, row <row>, column '<column>':" (row/column may be null)
              and contain the fragment
    problems  for a refusal: how many problems are reported, when it matters
    output    fragments the terminal output must contain
    loaded    for an accepted case: [table, key, attribute, value] checked on the
              loaded Instance (key is "task/municipality" for rows)
    xfail     a known bug outside the loader that breaks this case today

Cases too big for the repository (100,000 rows, a 1 MB cell), or that git cannot
hold (a directory named instance.csv, an unreadable file), are made at run time
in tests/test_hostile.py. tests/test_hostile.py also checks that the committed
folders are exactly what this script writes.
"""

from __future__ import annotations

import io
import json
import shutil
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).parent

MUNICIPALITIES = """\
municipality,role,population,can_host,burden_cap,label_en
小田原市,central,188856,1,50000000,Odawara
南足柄市,central,41093,1,,Minamiashigara
中井町,town,9230,,,Nakai
神奈川県,prefecture,9200000,0,,Kanagawa
"""
TASKS = """\
task,category,fixed_cost,unit_cost,scale_elasticity,label_en
消防,essential,100000000,5000,0.9,Fire
観光,vitality,20000000,1000,1,Tourism
"""
# rows 2-7 of the spreadsheet
INSTANCE = """\
task,municipality,volume,standalone_cost,willing
消防,小田原市,1000,,1
消防,南足柄市,500,,1
消防,中井町,100,,must
観光,小田原市,200,,
観光,南足柄市,100,,
観光,中井町,50,,0
"""
BASE = {"municipalities.csv": MUNICIPALITIES, "tasks.csv": TASKS, "instance.csv": INSTANCE}


def sub(text: str, *pairs: str) -> str:
    """Replace old→new pairs, each of which must occur exactly once."""
    for old, new in zip(pairs[::2], pairs[1::2]):
        assert text.count(old) == 1, (old, text)
        text = text.replace(old, new)
    return text


def xlsx_bytes() -> bytes:
    """A (tiny, fake) workbook: what a .xlsx renamed to .csv starts with. Fixed timestamps, so bytes are stable."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("[Content_Types].xml", (2020, 1, 1, 0, 0, 0)), "<Types/>")
        archive.writestr(zipfile.ZipInfo("xl/workbook.xml", (2020, 1, 1, 0, 0, 0)), "<workbook/>")
    return buffer.getvalue()


def refused(what, *messages, problems=None, **files):
    expect = {"what": what, "exit": 2, "messages": [list(m) for m in messages]}
    if problems is not None:
        expect["problems"] = problems
    return files, expect


def accepted(what, *, args=(), output=(), loaded=(), exit=0, xfail=None, **files):
    expect = {"what": what, "exit": exit, "args": list(args), "output": list(output), "loaded": [list(x) for x in loaded]}
    if xfail:
        expect["xfail"] = xfail  # a known bug outside the loader; the test fails loudly once it is fixed
    return files, expect


I, T, M = INSTANCE, TASKS, MUNICIPALITIES
METHODS = "method,scale_share,fee_ratio\ndelegation,0.9,0.85\nagreement,0.45,0.8\n"

CASES = {
    # ------------------------------------------------------------ SPEC §4 failure modes
    # (those not already in tests/test_load_errors.py)
    "missing_municipalities_file": refused(
        "municipalities.csv is not in the folder",
        ["municipalities.csv", None, None, "file not found"], **{"municipalities.csv": None}),
    "missing_instance_file": refused(
        "the folder has no instance.csv",
        ["instance.csv", None, None, "file not found"], **{"instance.csv": None}),
    "missing_column_category": refused(
        "tasks.csv has no category column",
        ["tasks.csv", 1, "category", "required column is missing"],
        **{"tasks.csv": T.replace(",category", "").replace(",essential", "").replace(",vitality", "")}),
    "missing_column_role": refused(
        "municipalities.csv has no role column",
        ["municipalities.csv", 1, "role", "required column is missing"],
        **{"municipalities.csv": "municipality,population\n小田原市,188856\n南足柄市,41093\n中井町,9230\n"}),
    "empty_required_cells": refused(
        "required cells left blank, one holding only an ideographic space (U+3000)",
        ["instance.csv", 3, "volume", "is empty but required"],
        ["instance.csv", 4, "municipality", "is empty but required"],
        ["tasks.csv", 3, "fixed_cost", "is empty but required"],
        **{"instance.csv": sub(I, "南足柄市,500,", "南足柄市,,", "消防,中井町,", "消防,\u3000,"),
           "tasks.csv": sub(T, ",20000000,", ",,")}),
    "unknown_payer": refused(
        "a payer that is not in municipalities.csv",
        ["instance.csv", 4, "payer", "unknown municipality '箱根町'"],
        **{"instance.csv": sub(I, "willing\n", "willing,payer\n", ",must\n", ",must,箱根町\n")}),
    "current_unknown_ids": refused(
        "current.csv naming an unknown task, hub and participant, and a participant twice",
        ["current.csv", 2, "task", "task 'ごみ処理' is not in tasks.csv"],
        ["current.csv", 3, "hub", "unknown municipality '湯河原町'"],
        ["current.csv", 4, "participants", "unknown municipality '大井町'"],
        ["current.csv", 5, "participants", "'中井町' is listed twice"],
        **{"current.csv": "task,method,hub,participants\n"
                          "ごみ処理,delegation,小田原市,小田原市;中井町\n"
                          "消防,delegation,湯河原町,湯河原町;中井町\n"
                          "消防,delegation,小田原市,小田原市;大井町\n"
                          "観光,agreement,小田原市,小田原市;中井町;中井町\n"}),
    "duplicate_task": refused(
        "tasks.csv defines 消防 twice",
        ["tasks.csv", 4, None, "duplicate task 消防 (first on row 2)"],
        **{"tasks.csv": T + "消防,essential,1,1,1,Fire again\n"}),
    "duplicate_method": refused(
        "a user's methods.csv defines delegation twice",
        ["methods.csv", 4, None, "duplicate method delegation (first on row 2)"],
        **{"methods.csv": METHODS + "delegation,0.8,0.8\n"}),
    "duplicate_compatibility_pair": refused(
        "compatibility.csv lists essential / delegation twice",
        ["compatibility.csv", 4, None, "duplicate pair essential / delegation"],
        **{"compatibility.csv": "category,method,allowed\nessential,delegation,1\nvitality,agreement,1\nessential,delegation,0\n"}),
    "duplicate_reach_pair": refused(
        "reach.csv lists the same pair twice",
        ["reach.csv", 3, None, "duplicate pair 中井町 / 小田原市 (first on row 2)"],
        **{"reach.csv": "municipality,hub\n中井町,小田原市\n中井町,小田原市\n"}),
    "negative_values": refused(
        "negative numbers in four columns of three files, all reported together",
        ["instance.csv", 2, "standalone_cost", "negative"],
        ["tasks.csv", 3, "unit_cost", "negative"],
        ["municipalities.csv", 4, "population", "negative"],
        ["municipalities.csv", 3, "staff_capacity", "negative"],
        problems=4,
        **{"instance.csv": sub(I, "小田原市,1000,,1", "小田原市,1000,-1,1"),
           "tasks.csv": sub(T, ",1000,1,", ",-5,1,"),
           "municipalities.csv": sub(M, "label_en\n", "label_en,staff_capacity\n", "Minamiashigara\n", "Minamiashigara,-1\n",
                                     "Odawara\n", "Odawara,\n", "9230,,,Nakai", "-9230,,,Nakai")}),
    "population_not_whole": refused(
        "a population of 1.5 people",
        ["municipalities.csv", 4, "population", "is not a whole number"],
        **{"municipalities.csv": sub(M, "9230", "1.5")}),
    "nan_and_infinity_in_other_columns": refused(
        "NaN and inf outside the volume column",
        ["tasks.csv", 2, "unit_cost", "not a finite number"],
        ["tasks.csv", 3, "scale_elasticity", "not a finite number"],
        ["municipalities.csv", 2, "day_night_ratio", "not a finite number"],
        **{"tasks.csv": sub(T, ",5000,", ",NaN,", "1000,1,Tourism", "1000,nan,Tourism"),
           "municipalities.csv": sub(M, "label_en\n", "label_en,day_night_ratio\n", "Odawara\n", "Odawara,-inf\n",
                                     "Minamiashigara\n", "Minamiashigara,\n")}),
    "bad_flags": refused(
        "0/1 columns holding yes, 2 and TRUE",
        ["municipalities.csv", 4, "can_host", "must be 0 or 1"],
        ["municipalities.csv", 2, "core_city", "must be 0 or 1"],
        ["municipalities.csv", 3, "in_three_metro_areas", "must be 0 or 1"],
        **{"municipalities.csv": "municipality,role,population,can_host,core_city,in_three_metro_areas\n"
                                 "小田原市,central,188856,1,2,0\n南足柄市,central,41093,1,auto,TRUE\n中井町,town,9230,yes,,\n"}),
    "fraction_out_of_range": refused(
        "a commuting share of 150 %",
        ["municipalities.csv", 2, "metro_commute_share", "outside [0, 1]"],
        **{"municipalities.csv": sub(M, "label_en\n", "label_en,metro_commute_share\n", "Odawara\n", "Odawara,1.5\n")}),
    "methods_bad_values": refused(
        "a user's methods.csv with min_members 0 and scale_share above 1",
        ["methods.csv", 2, "min_members", "must be at least 1"],
        ["methods.csv", 3, "scale_share", "outside [0, 1]"],
        **{"methods.csv": "method,scale_share,fee_ratio,min_members\ndelegation,0.9,0.85,0\nagreement,1.45,0.8,2\n"}),
    "compatibility_allowed_maybe": refused(
        "compatibility.csv's allowed column saying maybe",
        ["compatibility.csv", 3, "allowed", "must be 0 or 1"],
        **{"compatibility.csv": "category,method,allowed\nessential,delegation,1\nvitality,agreement,maybe\n"}),
    "category_without_compatibility_row": refused(
        "a user's compatibility.csv says nothing about vitality, so 観光 could use no method",
        ["tasks.csv", 3, "category", "has no row in the compatibility table"],
        **{"compatibility.csv": "category,method,allowed\nessential,delegation,1\n"}),
    "empty_0_byte_instance": refused(
        "instance.csv is a 0-byte file",
        ["instance.csv", None, None, "is empty"], **{"instance.csv": ""}),
    "header_only_instance": refused(
        "instance.csv has its header and nothing else",
        ["instance.csv", None, None, "has a header but no data rows"],
        **{"instance.csv": "task,municipality,volume,standalone_cost,willing\n"}),
    "whitespace_only_file": refused(
        "tasks.csv holds only spaces and blank lines",
        ["tasks.csv", None, None, "is empty"], **{"tasks.csv": "   \n\n \t\n"}),
    "many_problems": refused(
        "every row of instance.csv is wrong: each is reported, not only the first",
        ["instance.csv", 2, "volume", "not a number"], ["instance.csv", 3, "volume", "negative"],
        ["instance.csv", 4, "willing", "must be 1, 0 or must"], ["instance.csv", 5, "municipality", "did you mean 小田原市"],
        ["instance.csv", 6, "standalone_cost", "not a number"], ["instance.csv", 7, "task", "not in tasks.csv"],
        problems=6,
        **{"instance.csv": sub(I, "小田原市,1000,", "小田原市,千,", "南足柄市,500,", "南足柄市,-500,", ",must\n", ",maybe\n",
                               "観光,小田原市,", "観光,小田原,", "南足柄市,100,,", "南足柄市,100,x,", "観光,中井町,", "観光 ,中井町,").replace("観光 ,", "歓光,")}),
    "negative_burden_cap": accepted(
        "a negative burden cap (SPEC §9: the hub must come out ahead) is accepted",
        loaded=[["municipalities", "小田原市", "burden_cap", -10000000.0]],
        **{"municipalities.csv": sub(M, "50000000", "-10000000")}),

    # ------------------------------------------------------------ file shape and encoding
    "semicolon_with_decimal_commas": refused(
        "European Excel: ';' between cells and ',' as the decimal mark, after a blank line",
        ["instance.csv", 2, None, "semicolon-separated"],
        **{"instance.csv": "\n" + I.replace(",", ";").replace("1000;", "1000,5;")}),
    "tab_separated_cp932": refused(
        "municipalities.csv separated by tabs, in CP932",
        ["municipalities.csv", 1, None, "tab-separated"],
        **{"municipalities.csv": M.replace(",", "\t").encode("cp932")}),
    "utf16_unicode_text": refused(
        "Excel's 'Unicode Text': UTF-16 with a BOM and tabs",
        ["instance.csv", None, None, "UTF-16"], **{"instance.csv": I.replace(",", "\t").encode("utf-16")}),
    "utf16_without_bom": refused(
        "UTF-16 without a BOM: NUL bytes everywhere",
        ["tasks.csv", 1, None, "NUL byte"], **{"tasks.csv": T.encode("utf-16-le")}),
    "bom_but_not_utf8": refused(
        "a UTF-8 BOM in front of CP932 text",
        ["instance.csv", None, None, "BOM but is not valid UTF-8"], **{"instance.csv": b"\xef\xbb\xbf" + I.encode("cp932")}),
    "mixed_encodings": accepted(
        "one file UTF-8, one UTF-8 with BOM, one CP932 with CRLF: accepted, each file's encoding said",
        args=["--check"],
        output=["instance.csv: UTF-8", "municipalities.csv: UTF-8 with BOM", "tasks.csv: Shift_JIS (CP932)"],
        loaded=[["tasks", "消防", "fixed_cost", 100000000.0]],
        **{"municipalities.csv": M.encode("utf-8-sig"), "tasks.csv": T.replace("\n", "\r\n").encode("cp932")}),
    "bom_blank_lines_crlf": accepted(
        "a BOM, then blank and whitespace-only lines, then the table, all with CRLF",
        loaded=[["rows", "消防/小田原市", "volume", 1000.0]],
        **{"instance.csv": ("\r\n  \r\n" + I.replace("\n", "\r\n")).encode("utf-8-sig")}),
    "cr_only_and_mixed_line_endings": accepted(
        "classic-Mac CR line ends in one file, CRLF and LF mixed in another",
        loaded=[["rows", "観光/中井町", "volume", 50.0]],
        **{"instance.csv": I.replace("\n", "\r"), "tasks.csv": T.replace("\n", "\r\n", 2)}),
    "trailing_commas": accepted(
        "extra empty columns: a trailing comma on every row (header included)",
        loaded=[["rows", "消防/中井町", "volume", 100.0]],
        **{"instance.csv": I.replace("\n", ",,\n"), "tasks.csv": T.replace("\n", ",\n")}),
    "value_under_unnamed_column": refused(
        "a value under a column whose header cell is empty would be silently dropped",
        ["instance.csv", 3, None, "in column 6, whose header is empty"],
        **{"instance.csv": sub(I, "willing\n", "willing,\n", "南足柄市,500,,1\n", "南足柄市,500,,1,250\n")}),
    "pandas_index_column": refused(
        "DataFrame.to_csv() with its index: an unnamed first column, reported once",
        ["instance.csv", 2, None, "'0' in column 1, whose header is empty (and 5 more rows)"], problems=1,
        **{"instance.csv": "".join((f"{i - 1}," if i else ",") + line + "\n" for i, line in enumerate(I.splitlines()))}),
    "duplicate_column_in_instance": refused(
        "instance.csv has two volume columns with different values",
        ["instance.csv", 1, "volume", "column appears twice"],
        **{"instance.csv": "".join(line + ("," + line.split(",")[2]) + "\n" for line in I.splitlines())}),
    "fullwidth_header": accepted(
        "header names typed in full-width letters (ｔａｓｋ) are read like cells, NFKC",
        args=["--check"], **{"instance.csv": sub(I, "task,municipality", "ｔａｓｋ,ｍｕｎｉｃｉｐａｌｉｔｙ")}),

    # ------------------------------------------------------------ quotes and line breaks
    "stray_quote_unterminated": refused(
        "a quote opened in a cell and never closed: the rest of the file would be one cell",
        ["instance.csv", 4, "municipality", "never closed"], problems=1,
        **{"instance.csv": sub(I, "消防,中井町", '消防,"中井町')}),
    "stray_quote_after_closing": refused(
        "text after a quoted cell's closing quote",
        ["instance.csv", 3, None, "after its closing quote"],
        **{"instance.csv": sub(I, "消防,南足柄市", '消防,"南足"柄市')}),
    "quote_inside_unquoted_cell": refused(
        "a quote in the middle of an unquoted cell is part of the text, so the id is unknown",
        ["instance.csv", 4, "municipality", "did you mean 中井町"],
        **{"instance.csv": sub(I, "消防,中井町", '消防,中井"町')}),
    "line_break_in_id": refused(
        "a quoted id with a line break in it (Alt+Enter)",
        ["instance.csv", 4, "municipality", "has a line break inside the cell"], problems=1,
        **{"instance.csv": sub(I, "消防,中井町", '消防,"中井\n町"')}),
    "line_break_in_label": accepted(
        "a line break inside a quoted label is the user's prose and kept",
        loaded=[["tasks", "消防", "label_en", "Fire\nand rescue"]],
        **{"tasks.csv": sub(T, "0.9,Fire", '0.9,"Fire\nand rescue"')}),

    # ------------------------------------------------------------ numbers
    "fullwidth_digits_thousands": accepted(
        "full-width digits with ASCII or full-width thousands separators (NFKC)",
        loaded=[["rows", "消防/小田原市", "volume", 12345.0], ["rows", "消防/南足柄市", "volume", 12345.0],
                ["tasks", "消防", "fixed_cost", 100000000.0]],
        **{"instance.csv": sub(I, "小田原市,1000,", '小田原市,"１２,３４５",', "南足柄市,500,", "南足柄市,１２，３４５,"),
           "tasks.csv": sub(T, "100000000", "１００，０００，０００")}),
    "yen_amounts": accepted(
        "money written as ¥1,000,000 / 2,000,000円 / ￥３，０００，０００ / -¥5,000,000 (a cap): accepted in money columns",
        loaded=[["rows", "消防/小田原市", "standalone_cost", 1000000000.0], ["rows", "消防/南足柄市", "standalone_cost", 2000000000.0],
                ["rows", "消防/中井町", "standalone_cost", 300000000.0], ["municipalities", "小田原市", "burden_cap", -5000000.0]],
        **{"instance.csv": sub(I, "小田原市,1000,,", '小田原市,1000,"¥1,000,000,000",', "南足柄市,500,,", "南足柄市,500,2000000000円,",
                               "中井町,100,,", "中井町,100,￥３００，０００，０００,"),
           "municipalities.csv": sub(M, "50000000", '"-¥5,000,000"')}),
    "yen_amounts_cp932": accepted(
        "CP932 shows the yen sign as a backslash: \\100,000,000 in a CP932 tasks.csv",
        loaded=[["tasks", "消防", "fixed_cost", 100000000.0], ["tasks", "観光", "unit_cost", 1000.0]],
        **{"tasks.csv": sub(T, "100000000", '"\\100,000,000"', ",1000,", ",1000円,").encode("cp932")}),
    "yen_on_a_volume": refused(
        "a yen sign on a volume, which is not money",
        ["instance.csv", 2, "volume", "written in yen, but this column is not an amount of money"],
        **{"instance.csv": sub(I, "小田原市,1000,", "小田原市,¥1000,")}),
    "man_yen_units": refused(
        "amounts in 万円 and 千円 are refused rather than guessed",
        ["instance.csv", 2, "standalone_cost", "counts in 万円"], ["tasks.csv", 2, "fixed_cost", "counts in 千円"],
        **{"instance.csv": sub(I, "小田原市,1000,,", "小田原市,1000,500万円,"), "tasks.csv": sub(T, "100000000", "100000千円")}),
    "formulas": refused(
        "Excel formulas left as text: in an id, a cost and a volume",
        ["instance.csv", 4, "task", "spreadsheet formula"], ["tasks.csv", 3, "unit_cost", "spreadsheet formula"],
        ["instance.csv", 5, "volume", "spreadsheet formula"],
        **{"instance.csv": sub(I, "消防,中井町", "=A2,中井町", "小田原市,200,", '小田原市,"=SUM(C2:C4)",'),
           "tasks.csv": sub(T, ",1000,", ",=B2*2,")}),
    "excel_error_values": refused(
        "#DIV/0!, #N/A and #VALUE! exported from failed formulas",
        ["instance.csv", 2, "volume", "spreadsheet error value"], ["instance.csv", 3, "volume", "spreadsheet error value"],
        ["tasks.csv", 2, "unit_cost", "spreadsheet error value"],
        **{"instance.csv": sub(I, "小田原市,1000,", "小田原市,#DIV/0!,", "南足柄市,500,", "南足柄市,#N/A,"),
           "tasks.csv": sub(T, ",5000,", ",#VALUE!,")}),
    "placeholder_values": refused(
        "'-', 'N/A' and なし typed for 'nothing' in number columns",
        ["instance.csv", 2, "volume", "'-' is not a number"], ["instance.csv", 3, "volume", "'N/A' is not a number"],
        ["instance.csv", 4, "volume", "'なし' is not a number"],
        **{"instance.csv": sub(I, "小田原市,1000,", "小田原市,-,", "南足柄市,500,", "南足柄市,N/A,", "中井町,100,", "中井町,なし,")}),
    "huge_numbers": refused(
        "1e300, -1e300 and 1e16: beyond any region's money or counts, and beyond the solver",
        ["instance.csv", 2, "volume", "beyond ±10^15"], ["municipalities.csv", 2, "burden_cap", "beyond ±10^15"],
        ["tasks.csv", 3, "fixed_cost", "beyond ±10^15"],
        **{"instance.csv": sub(I, "小田原市,1000,", "小田原市,1e300,"), "municipalities.csv": sub(M, "50000000", "-1e300"),
           "tasks.csv": sub(T, "20000000", "1e16")}),
    "huge_standalone_cost": refused(
        "a volume of 10^14 is a valid number, but its standalone cost (10^8 + 5000 × volume^0.9) is 2·10^16 yen",
        ["instance.csv", 3, "volume", "gives a standalone cost of 19,905,358,627,674,876 yen a year"],
        **{"instance.csv": sub(I, "南足柄市,500,", "南足柄市,100000000000000,")}),
    "tiny_numbers": accepted(
        "1e-300 as a volume, a unit cost and a standalone cost: accepted and solved",
        loaded=[["rows", "観光/小田原市", "volume", 1e-300], ["tasks", "観光", "unit_cost", 1e-300],
                ["rows", "観光/南足柄市", "standalone_cost", 1e-300]],
        **{"instance.csv": sub(I, "観光,小田原市,200", "観光,小田原市,1e-300", "南足柄市,100,,", "南足柄市,100,1e-300,"),
           "tasks.csv": sub(T, ",1000,1,", ",1e-300,1,")}),
    "tiny_elasticity": accepted(
        "scale_elasticity 1e-300 is inside (0, 1] and must be solved",
        **{"tasks.csv": sub(T, "5000,0.9,", "5000,1e-300,")}),
    "negative_zero": accepted(
        "-0, －０ and -0.0 read as 0 (no report shows -0)",
        loaded=[["rows", "観光/小田原市", "volume", 0.0], ["rows", "観光/南足柄市", "standalone_cost", 0.0],
                ["municipalities", "小田原市", "burden_cap", 0.0]],
        **{"instance.csv": sub(I, "観光,小田原市,200", "観光,小田原市,-0", "南足柄市,100,,", "南足柄市,100,－０,"),
           "municipalities.csv": sub(M, "50000000", "-0.0")}),

    # ------------------------------------------------------------ not text at all
    "nul_byte": refused(
        "a NUL byte inside a cell",
        ["instance.csv", 4, None, "NUL byte"], **{"instance.csv": sub(I, "中井町,100", "中井町,1\x0000").encode()}),
    "control_character": refused(
        "a BEL control character inside a cell",
        ["tasks.csv", 3, None, "control character U+0007"], **{"tasks.csv": sub(T, "Tourism", "Tour\x07ism")}),
    "xlsx_renamed": refused(
        "an .xlsx workbook renamed to instance.csv",
        ["instance.csv", None, None, "is an Excel workbook (.xlsx)"], **{"instance.csv": xlsx_bytes()}),
    "xls_renamed": refused(
        "an old .xls workbook renamed to tasks.csv",
        ["tasks.csv", None, None, "old Excel workbook (.xls)"],
        **{"tasks.csv": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(1, 200))}),
    "binary_garbage": refused(
        "a PNG image renamed to municipalities.csv",
        ["municipalities.csv", None, None, "is neither UTF-8 nor Shift_JIS/CP932"],
        **{"municipalities.csv": b"\x89PNG\r\n\x1a\n" + bytes(range(128, 256))}),

    # ------------------------------------------------------------ ids
    "id_spaces": accepted(
        "ids with leading/trailing spaces (ASCII and ideographic) are stripped",
        loaded=[["rows", "消防/小田原市", "volume", 1000.0], ["rows", "観光/南足柄市", "volume", 100.0]],
        **{"instance.csv": sub(I, "消防,小田原市", " 消防 ,\u3000小田原市 ", "観光,南足柄市", "観光\u3000,南足柄市  ")}),
    "fullwidth_halfwidth_ids": accepted(
        "an id written ｺﾞﾐ処理 (half-width kana) in tasks.csv and ゴミ処理 in instance.csv is one task",
        loaded=[["rows", "ｺﾞﾐ処理/小田原市", "volume", 30.0], ["rows", "ｺﾞﾐ処理/中井町", "volume", 5.0]],
        **{"tasks.csv": T + "ｺﾞﾐ処理,essential,5000000,2000,1,Waste\n",
           "instance.csv": I + "ゴミ処理,小田原市,30,,\nｺﾞﾐ処理,中井町,5,,\n"}),
    "fullwidth_halfwidth_duplicate_ids": refused(
        "ＡＢ町 and AB町 defined as two municipalities: one id, so a duplicate",
        ["municipalities.csv", 7, None, "duplicate municipality AB町 (first on row 6, written ＡＢ町 there"],
        **{"municipalities.csv": M + "ＡＢ町,town,100,,,\nAB町,town,200,,,\n"}),
    "municipality_not_in_municipalities": refused(
        "instance.csv names a municipality municipalities.csv does not have (nothing close)",
        ["instance.csv", 8, "municipality", "unknown municipality '箱根町' (known: 小田原市, 南足柄市, 中井町, 神奈川県)"],
        **{"instance.csv": I + "観光,箱根町,80,,\n"}),
    "reach_to_a_non_hub": accepted(
        "reach.csv pointing at 中井町, which cannot host: harmless, the row is kept and has no effect",
        **{"reach.csv": "municipality,hub\n南足柄市,中井町\n中井町,南足柄市\n小田原市,南足柄市\n神奈川県,中井町\n"}),
    "current_participant_separators": accepted(
        "current.csv participants joined by ;, 、 and a quoted comma: all read",
        output=[], **{"current.csv": "task,method,hub,participants\n"
                                     "消防,delegation,小田原市,小田原市、中井町\n"
                                     '観光,agreement,小田原市,"小田原市, 南足柄市"\n'}),
}


def write(root: Path = HERE, cases: dict = CASES) -> None:
    for name, (files, expect) in cases.items():
        folder = root / name
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        tables = BASE | files
        for file, content in tables.items():
            if content is not None:
                (folder / file).write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        (folder / "expect.json").write_text(json.dumps(expect, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    stale = [p for p in HERE.iterdir() if p.is_dir() and p.name not in CASES and (p / "expect.json").exists()]
    for folder in stale:
        shutil.rmtree(folder)
    write()
    print(f"{len(CASES)} cases written to {HERE}", file=sys.stderr)
