"""report.xlsx: every report table as a sheet, for staff who live in Excel.

Built from the very rows the CSVs are written from (reports/write.py), so the
workbook and the CSVs cannot disagree. What the workbook adds is presentation:
column labels in the user's language, yen as integer numbers with thousands
separators, a frozen header row, filters and column widths that fit Japanese
text. The CSV column names (SPEC §8) stay the machine-readable ids.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

from kouiki.reports.terminal import width

# Every report column: (kind, 日本語, English). kind says how a CSV cell becomes a
# number: "yen" and "int" whole numbers, "real" decimals, "text" stays text (ids
# such as municipality codes keep their leading zeros).
COLUMNS: dict[str, tuple[str, str, str]] = {
    "option": ("int", "案", "Option"),
    "total_savings": ("yen", "節減額（円/年）", "Savings (yen/yr)"),
    "change_vs_status_quo": ("yen", "現状との差（円/年）", "Change vs status quo (yen/yr)"),
    "max_net_burden": ("yen", "最大の純負担（円/年）", "Largest net burden (yen/yr)"),
    "max_net_burden_hub": ("text", "最大の純負担の中心団体", "Hub with the largest net burden"),
    "shared_tasks": ("int", "共同化する事務の数", "Shared tasks"),
    "arrangements": ("int", "連携の数", "Arrangements"),
    "status": ("text", "状態", "Status"),
    "mip_gap": ("real", "MIPギャップ", "MIP gap"),
    "seconds": ("real", "計算時間（秒）", "Seconds"),
    "percent_of_best": ("real", "最善案に対する割合（%）", "Percent of the best"),
    "choices_vs_option_1": ("text", "案1との違い", "Choices vs option 1"),
    "choices_vs_status_quo": ("text", "現状との違い", "Choices vs status quo"),
    "task": ("text", "事務", "Task"),
    "method": ("text", "連携手法（ID）", "Method (id)"),
    "method_ja": ("text", "連携手法", "Method"),
    "hub": ("text", "中心団体", "Hub"),
    "participants": ("text", "参加団体", "Participants"),
    "pooled_volume": ("real", "合算した事務量", "Pooled volume"),
    "standalone_total": ("yen", "単独で行う場合の費用（円/年）", "Standalone total (yen/yr)"),
    "operating_cost": ("yen", "共同処理の運営費（円/年）", "Operating cost (yen/yr)"),
    "arrangement_cost": ("yen", "連携の費用（円/年）", "Arrangement cost (yen/yr)"),
    "payments_in": ("yen", "中心団体への支払（円/年）", "Payments to the hub (yen/yr)"),
    "savings": ("yen", "節減額（円/年）", "Savings (yen/yr)"),
    "municipality": ("text", "市町村", "Municipality"),
    "standalone_cost": ("yen", "単独で行う場合の費用（円/年）", "Standalone cost (yen/yr)"),
    "payment": ("yen", "支払（円/年）", "Payment (yen/yr)"),
    "saving": ("yen", "節減額（円/年）", "Saving (yen/yr)"),
    "role": ("text", "区分", "Role"),
    "cost_under_plan": ("yen", "計画での費用（円/年）", "Cost under the plan (yen/yr)"),
    "net_burden": ("yen", "純負担（円/年）", "Net burden (yen/yr)"),
    "burden_cap": ("yen", "負担上限（円/年）", "Burden cap (yen/yr)"),
    "grants": ("yen", "交付金等（円/年）", "Grants (yen/yr)"),
    "towns_joining": ("int", "参加する町の数", "Towns joining"),
    "regional_cost": ("yen", "地域全体の費用（円/年）", "Regional cost (yen/yr)"),
    "rule": ("text", "ルール・条件", "Rule or what-if"),
    "explanation": ("text", "説明", "Explanation"),
    # issue 14: options in words, fairness shares, why_not.csv
    "in_words_vs_option_1": ("text", "案1との違い（参加の決定）", "Changes vs option 1 in words"),
    "in_words_vs_status_quo": ("text", "現状との違い（参加の決定）", "Changes vs status quo in words"),
    "share_of_savings": ("real", "節減額の割合", "Share of savings"),
    "share_of_standalone": ("real", "単独費用の割合", "Share of standalone costs"),
    "reason": ("text", "理由", "Reason"),
    "amount": ("yen", "金額（円/年）", "Amount (yen/yr)"),
    "savings_with": ("yen", "参加させた場合の節減額（円/年）", "Savings with it (yen/yr)"),
    "break_even_member_fee": ("yen", "損益分岐の均等割（円/年）", "Break-even member_fee (yen/yr)"),
    "break_even_fee_ratio": ("real", "損益分岐の負担率", "Break-even fee ratio"),
    "break_even_burden_cap": ("yen", "参加できる負担上限（円/年）", "Burden cap at which it joins (yen/yr)"),
}

FORMATS = {"yen": "#,##0", "int": "0", "real": "General"}
# Fixed document dates and zip entry times: the same plan gives the same bytes (SPEC §8).
FIXED_TIME = datetime(2000, 1, 1)


def label(column: str, lang: str) -> str:
    kind, ja, en = COLUMNS.get(column, ("text", column, column))
    return ja if lang == "ja" else en


def cell_value(column: str, text):
    """A CSV cell as Excel should hold it: yen and counts as numbers, ids as text."""
    kind = COLUMNS.get(column, ("text",))[0]
    if kind == "text" or text is None or text == "":
        return None if text == "" else text
    if isinstance(text, (int, float)):
        return text
    number = float(text)
    return int(number) if kind in ("yen", "int") or number.is_integer() else number


def _shown(value) -> str:
    """Roughly what Excel shows for a value, to size its column."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:,}" if isinstance(value, int) else f"{value:.6g}"
    return "" if value is None else str(value)


# Sheet names in the user's language (the CSVs keep their file names).
SHEETS = {"summary.csv": "xlsx.summary_sheet", "arrangements.csv": "xlsx.arrangements_sheet",
          "participation.csv": "xlsx.participation_sheet", "ledger.csv": "xlsx.ledger_sheet",
          "tradeoff.csv": "xlsx.tradeoff_sheet", "infeasibility.csv": "xlsx.infeasibility_sheet"}
# Cells longer than this go to the differences sheet; the table keeps a pointer (one long
# cell made LibreOffice print the summary on 14 pages).
LONG_TEXT = 60
WRAPPED = ("explanation", "participants")


def sheet_title(name: str, lang: str) -> str:
    from kouiki.messages import text

    return text(SHEETS[name], lang) if name in SHEETS else name.removesuffix(".csv")


def shown_value(column: str, value, lang: str, method_names: dict[str, str]):
    """A cell as a council reads it: roles and statuses in words, method names beside their ids."""
    from kouiki.messages import CATALOGUE, text

    if value is None or value == "":
        return value
    if column == "role" and f"role.{value}" in CATALOGUE:
        return text(f"role.{value}", lang)
    if column == "status" and f"status.{value}" in CATALOGUE:
        return text(f"status.{value}", lang)
    return value


def changes_in_words(changes: str, lang: str, method_names: dict[str, str]) -> list[str]:
    """summary.csv's `add task:method@hub; drop …` as sentences."""
    from kouiki.messages import text

    found = []
    for part in filter(None, (p.strip() for p in changes.split(";"))):
        verb, _, choice = part.partition(" ")
        task, _, rest = choice.partition(":")
        method, _, hub = rest.partition("@")
        key = "term.add" if verb == "add" else "term.drop"
        found.append(text(key, lang, task=task, method=method_names.get(method, method), hub=hub))
    return found


def workbook(tables: dict[str, tuple[list[str], list[list]]], lang: str = "ja",
             method_names: dict[str, str] | None = None, overview: dict | None = None) -> bytes:
    """A council-ready .xlsx: an overview sheet, one sheet per table, the long texts on their own sheet.

    `method_names` maps method ids to their names in `lang`; `overview` holds the
    instance (name, path, sha256) and the what-ifs in words for the 概要 sheet.
    Every sheet prints on A4 landscape, all columns on the page's width, its header
    repeated on each page.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from kouiki.messages import text

    method_names = method_names or {}
    book = Workbook()
    book.remove(book.active)
    book.properties.creator = "kouiki"
    book.properties.created = book.properties.modified = FIXED_TIME
    front = book.create_sheet(text("xlsx.overview_sheet", lang))
    differences: list[list] = []
    for name, (header, rows) in tables.items():
        sheet = book.create_sheet(sheet_title(name, lang))
        sheet.append([label(column, lang) for column in header])
        method_at = header.index("method") if "method" in header else None
        totals_at = [i for i, column in enumerate(header) if COLUMNS.get(column, ("text",))[0] == "yen"]
        group_of = header.index("option") if "option" in header and name != "summary.csv" else None
        group, sums = None, None

        def close_group():
            if group is None or not totals_at:
                return
            line = [None] * len(header)
            line[0] = text("xlsx.total", lang) if group_of is None else f"{text('plot.option', lang, n=group)} {text('xlsx.total', lang)}"
            for i in totals_at:
                line[i] = sums[i]
            sheet.append(line)
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)

        for row in rows:
            if group_of is not None and row[group_of] != group:
                close_group()
                group, sums = row[group_of], {i: 0 for i in totals_at}
            values = [cell_value(column, value) for column, value in zip(header, row)]
            if "method_ja" in header and method_at is not None:
                values[header.index("method_ja")] = method_names.get(row[method_at], row[header.index("method_ja")])
            for i, column in enumerate(header):
                values[i] = shown_value(column, values[i], lang, method_names)
                if column.startswith("choices_vs_") and values[i]:
                    sentences = changes_in_words(str(values[i]), lang, method_names)
                    joined = text("join", lang).join(sentences)
                    if len(joined) > LONG_TEXT:
                        start = len(differences) + 2
                        differences.extend([row[0], label(column, lang), s] for s in sentences)
                        values[i] = text("xlsx.see_sheet", lang, sheet=text("xlsx.texts_sheet", lang), row=start)
                    else:
                        values[i] = joined
            if sums is not None:
                for i in totals_at:
                    sums[i] += values[i] or 0
            sheet.append(values)
        close_group()
        _dress(sheet, header, [label(column, lang) for column in header], lang)
    if differences:
        sheet = book.create_sheet(text("xlsx.texts_sheet", lang))
        header = ["option", "changes", "explanation"]
        sheet.append([label("option", lang), text("xlsx.column", lang), text("xlsx.meaning", lang)])
        for line in differences:
            sheet.append(line)
        _dress(sheet, header, [c.value for c in sheet[1]], lang)
    _overview(front, tables, lang, overview or {})
    buffer = io.BytesIO()
    book.save(buffer)
    return _stable(buffer.getvalue())


def _dress(sheet, header: list[str], labels: list[str], lang: str) -> None:
    """Bold frozen header, filters, number formats, widths that fit Japanese text, and print set-up."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    if sheet.max_row > 1:
        sheet.auto_filter.ref = sheet.dimensions
    for index, column in enumerate(header, start=1):
        kind = COLUMNS.get(column, ("text",))[0]
        letter = get_column_letter(index)
        wrapped = column in WRAPPED or column.startswith("choices_vs_")
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if kind in FORMATS:
                cell.number_format = FORMATS[kind]
            if wrapped:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        # width in Excel's character units, where a CJK character takes two
        widest = max([width(_shown(v)) for (v,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index, values_only=True)]
                     + [min(width(labels[index - 1]), 24)])
        sheet.column_dimensions[letter].width = min(max(widest + 2, 8), 40 if wrapped else 60)
    _print_setup(sheet)


def _print_setup(sheet) -> None:
    """A4 landscape, every column on the page's width (as many pages down as needed), the header on each page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = True


def _overview(sheet, tables: dict, lang: str, overview: dict) -> None:
    """概要: the instance, every what-if in words, the totals of each option, and what each column means."""
    from openpyxl.styles import Alignment, Font

    from kouiki.messages import text

    def heading(words: str) -> None:
        sheet.append([])
        sheet.append([words])
        sheet[sheet.max_row][0].font = Font(bold=True)

    sheet.append([text("xlsx.overview_title", lang)])
    sheet["A1"].font = Font(bold=True, size=14)
    for key, value in (("xlsx.instance", overview.get("name")), ("xlsx.file", overview.get("path")),
                       ("xlsx.checksum", overview.get("sha256"))):
        if value:
            sheet.append([text(key, lang), value])
    heading(text("xlsx.what_ifs", lang))
    for line in overview.get("what_ifs") or [text("xlsx.no_what_if", lang)]:
        sheet.append(["", line])
    if "summary.csv" in tables:
        header, rows = tables["summary.csv"]
        heading(text("xlsx.totals", lang))
        columns = ["option", "total_savings", "regional_cost", "max_net_burden", "max_net_burden_hub", "arrangements", "status"]
        columns = [c for c in columns if c in header]
        sheet.append([label(c, lang) for c in columns])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in rows:
            values = [shown_value(c, cell_value(c, row[header.index(c)]), lang, {}) for c in columns]
            sheet.append(values)
            for c, cell in zip(columns, sheet[sheet.max_row]):
                if COLUMNS.get(c, ("text",))[0] == "yen":
                    cell.number_format = FORMATS["yen"]
    heading(text("xlsx.columns", lang))
    sheet.append([text("xlsx.sheet", lang), text("xlsx.column", lang), text("xlsx.meaning", lang)])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for name, (header, _) in tables.items():
        for column in header:
            meaning = text(f"column.{column}", lang) if f"column.{column}" in _catalogue() else ""
            sheet.append([sheet_title(name, lang), label(column, lang), meaning])
            sheet[sheet.max_row][2].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.append([])
    sheet.append([text("xlsx.money_note", lang)])
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 36
    sheet.column_dimensions["C"].width = 70
    for column in "DEFG":
        sheet.column_dimensions[column].width = 16
    _print_setup(sheet)
    sheet.print_title_rows = None


def _catalogue() -> dict:
    from kouiki.messages import CATALOGUE

    return CATALOGUE


def _stable(data: bytes) -> bytes:
    """The same workbook with fixed zip times and document dates, so runs compare byte for byte."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), content)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, content)
    return out.getvalue()
