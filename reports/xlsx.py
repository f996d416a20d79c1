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


def workbook(tables: dict[str, tuple[list[str], list[list]]], lang: str = "ja",
             method_names: dict[str, str] | None = None) -> bytes:
    """One sheet per table (named like its CSV without `.csv`), as the bytes of an .xlsx.

    `method_names` maps method ids to their names in `lang`; the `method_ja`
    column shows them (in Japanese or English), the `method` column keeps the id.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    book.properties.creator = "kouiki"
    book.properties.created = book.properties.modified = FIXED_TIME
    for name, (header, rows) in tables.items():
        sheet = book.create_sheet(name.removesuffix(".csv"))
        sheet.append([label(column, lang) for column in header])
        method_at = header.index("method") if "method" in header else None
        for row in rows:
            values = [cell_value(column, text) for column, text in zip(header, row)]
            if method_names and "method_ja" in header and method_at is not None:
                values[header.index("method_ja")] = method_names.get(row[method_at], row[header.index("method_ja")])
            sheet.append(values)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
        if rows:
            sheet.auto_filter.ref = sheet.dimensions
        for index, column in enumerate(header, start=1):
            kind = COLUMNS.get(column, ("text",))[0]
            letter = get_column_letter(index)
            if kind in FORMATS:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = FORMATS[kind]
            # width in Excel's character units, where a CJK character takes two
            widest = max([width(_shown(v)) for (v,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index, values_only=True)]
                         + [min(width(label(column, lang)), 24)])
            sheet.column_dimensions[letter].width = min(max(widest + 2, 8), 60)
    buffer = io.BytesIO()
    book.save(buffer)
    return _stable(buffer.getvalue())


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
