"""`allocate template DIR`: an instance to fill in, so a new region starts from a valid skeleton.

Every table gets its full header and a real example row (a city and a town
sharing their fire service), so `allocate DIR --check` passes as written;
README.md explains each column in Japanese and English (SPEC §4). methods.csv
and compatibility.csv are copies of the built-in tables: edit them, or delete
them to keep using the built-in ones. A DIR ending in .xlsx gets the same
tables as sheets of one workbook, with the explanation on a README sheet.
"""

from __future__ import annotations

import csv
import io
from importlib import resources
from pathlib import Path

import click

from kouiki.catalogue_command import CatalogueCommand, refuse
from kouiki.columns import fits
from kouiki.load import SCHEMAS, sheet_name
from kouiki.messages import Message, render, text

# The tables in the order a user fills them in; SCHEMAS names the instance table "instance".
TABLES = ("municipalities.csv", "tasks.csv", "instance.csv", "reach.csv", "current.csv", "methods.csv", "compatibility.csv")
BUILT_IN = ("methods.csv", "compatibility.csv")

EXAMPLES: dict[str, list[dict[str, str]]] = {
    "municipalities.csv": [
        {"municipality": "例市", "role": "central", "can_host": "1", "population": "120000", "core_city": "auto",
         "day_night_ratio": "1.02", "in_three_metro_areas": "0", "burden_cap": "0", "label_en": "Rei City", "label_ja": "例市"},
        {"municipality": "例町", "role": "town", "can_host": "0", "population": "15000", "core_city": "auto",
         "day_night_ratio": "0.85", "in_three_metro_areas": "0", "label_en": "Rei Town", "label_ja": "例町"},
    ],
    "tasks.csv": [
        {"task": "常備消防", "category": "essential", "fixed_cost": "300000000", "unit_cost": "8000",
         "scale_elasticity": "0.9", "core_city_affair": "0", "label_ja": "常備消防", "label_en": "Fire service"},
    ],
    "instance.csv": [
        {"task": "常備消防", "municipality": "例市", "volume": "120000", "willing": "1"},
        {"task": "常備消防", "municipality": "例町", "volume": "15000", "willing": "1"},
    ],
    "reach.csv": [{"municipality": "例町", "hub": "例市"}],
    "current.csv": [{"task": "常備消防", "method": "delegation", "hub": "例市", "participants": "例市;例町", "since": "2015-04-01"}],
}

FILES = {
    "municipalities.csv": ("必須。連携に加わりうる団体（市町村・県）を1行に1つ。", "Required. One row per party that may take part (municipalities, the prefecture)."),
    "tasks.csv": ("必須。共同化を検討する事務を1行に1つ。費用曲線 g(V) = fixed_cost + unit_cost × V^scale_elasticity。",
                  "Required. One row per candidate task, with its cost curve g(V) = fixed_cost + unit_cost × V^scale_elasticity."),
    "instance.csv": ("必須。ある事務をある団体が持つ組み合わせを1行に1つ（持たない組み合わせは書かない）。",
                     "Required. One row per (task, municipality) that has the task; leave out pairs that do not exist."),
    "reach.csv": ("任意。どの団体がどの中心団体の連携に加われるか。このファイルがあると、書かれた組み合わせだけが許される。ファイルごと消せば、どの団体もどの中心団体にも加われる。",
                  "Optional. Which municipality may join which hub. When the file exists only the pairs listed are allowed; delete it to let everyone join every hub."),
    "current.csv": ("任意。現在すでに行っている連携。案0（現状）として同じ式で評価され、各案との差が示される。",
                    "Optional. The arrangements in force today: reported as option 0 (the status quo), evaluated by the same formulas, and every option is compared with it."),
    "methods.csv": ("任意。連携手法の表（組み込みの表の写し）。あると組み込みの表に置き換わる。消せば組み込みの表を使う。",
                    "Optional. The cooperation methods (a copy of the built-in table). When present it replaces the built-in one; delete it to use the built-in table."),
    "compatibility.csv": ("任意。事務の分類ごとに使える連携手法（組み込みの表の写し）。あると組み込みの表に置き換わる。",
                          "Optional. Which method each task category may use (a copy of the built-in table). When present it replaces the built-in one."),
}

# column → (日本語, English), per table. Every column the loader knows is explained.
COLUMNS: dict[str, dict[str, tuple[str, str]]] = {
    "municipalities.csv": {
        "municipality": ("団体の名前（ID）。他の表はこの名前で参照する。", "The party's name (its id); other tables refer to it by this name."),
        "role": ("central（中心市）、town（町村）、prefecture（県）のいずれか。", "central (a central city), town, or prefecture."),
        "can_host": ("1 なら中心団体として連携を率いることができる。空欄なら central は 1、それ以外は 0。", "1 if it may lead arrangements as a hub; blank means 1 for central and 0 otherwise."),
        "population": ("人口（0以上の整数）。", "Population (a whole number, 0 or more)."),
        "core_city": ("中核市の権能を持つか：1、0、auto（人口20万人以上なら持つ）。空欄は auto。", "Has core-city (中核市) powers: 1, 0 or auto (yes from 200,000 people). Blank means auto."),
        "day_night_ratio": ("昼夜間人口比率（連携中枢都市の要件 B）。空欄だと要件を満たさない扱い。", "Day/night population ratio (condition B for leading a metropolitan partnership); blank fails the condition."),
        "in_three_metro_areas": ("三大都市圏にあれば 1（要件 C が適用される）。", "1 if it lies in the three metropolitan areas (condition C applies)."),
        "metro_commute_share": ("政令市・特別区へ通勤する人の割合（0〜1、要件 C）。", "Share of residents commuting to a designated city or the 23 wards (0 to 1, condition C)."),
        "burden_cap": ("中心団体としての純負担の上限（円/年）。負の値も可。空欄なら --burden-cap、なければ 0。", "Cap on its net burden as a hub (yen a year; may be negative). Blank: the --burden-cap option, else 0."),
        "staff_capacity": ("中心団体として受け持てる職員数（人）。空欄は無制限。", "Staff (FTE) it can give to the tasks it leads; blank means unlimited."),
        "label_en": ("英語名（報告・図に使う）。", "English name, used in English reports and figures."),
        "label_ja": ("日本語名（メモ）。", "Japanese name (for your notes)."),
    },
    "tasks.csv": {
        "task": ("事務の名前（ID、日本語可）。", "The task's name (its id; Japanese is fine)."),
        "category": ("事務の分類：wide_area、vitality、essential、core_service、core_bulk、other（日本語名も可）。使える連携手法が決まる。",
                     "Category: wide_area, vitality, essential, core_service, core_bulk or other (or its Japanese name); it decides which methods are allowed."),
        "fixed_cost": ("一つの実施体制にかかる年間の固定費（円）。", "Yearly fixed cost of one operating unit (yen)."),
        "unit_cost": ("事務量1単位あたりの費用（円）。", "Cost per unit of volume (yen)."),
        "scale_elasticity": ("規模の弾力性 b（0より大きく1以下、空欄は1）。1未満だと規模の経済が働く。", "Scale elasticity b in (0, 1], blank means 1; below 1 the task gets cheaper per unit as it grows."),
        "core_city_affair": ("中核市の事務なら 1（中核市の権能を持つ中心団体だけが率いられる）。", "1 for a core-city affair: only a hub with core-city powers may lead it."),
        "fee_ratio": ("この事務で参加団体が中心団体に払う割合（0〜1、単独費用に対して）。空欄なら手法の値。", "Share of its standalone cost a member pays the hub for this task (0 to 1); blank uses the method's."),
        "staff_per_unit": ("事務量1単位あたりに中心団体が要する職員数（人）。空欄は0。", "Hub staff (FTE) needed per unit of volume; blank means 0."),
        "label_ja": ("日本語名（報告・図に使う）。", "Japanese name, used in reports and figures."),
        "label_en": ("英語名（報告・図に使う）。", "English name, used in English reports and figures."),
    },
    "instance.csv": {
        "task": ("tasks.csv にある事務の名前。", "A task named in tasks.csv."),
        "municipality": ("municipalities.csv にある団体の名前。", "A party named in municipalities.csv."),
        "volume": ("年間の事務量（件数、対象人口など。0以上）。", "Yearly workload (cases, population served, …; 0 or more)."),
        "standalone_cost": ("単独で行う場合の年間費用（円）。空欄なら費用曲線から計算。", "Yearly cost of doing it alone (yen); blank computes it from the cost curve."),
        "willing": ("1：加わってよい、0：この事務には一切加わらない、must：必ずどこかの連携に加わる。空欄は1。",
                    "1: may join; 0: takes no part in this task at all; must: has to join (or lead) an arrangement. Blank means 1."),
        "payer": ("この団体の負担金を払う団体（空欄なら自分）。", "Who pays this member's fee (blank: itself)."),
    },
    "reach.csv": {
        "municipality": ("加わる側の団体。", "The municipality that would join."),
        "hub": ("その団体が加われる中心団体。", "A hub it may join."),
    },
    "current.csv": {
        "task": ("事務の名前。", "The task."),
        "method": ("連携手法（ID または日本語名、例：delegation／事務の委託）。", "The method (id or Japanese name, e.g. delegation / 事務の委託)."),
        "hub": ("中心団体。", "The hub."),
        "participants": ("参加団体を ; で区切って（中心団体も含める）。", "The participants joined by ';' (the hub included)."),
        "since": ("開始時期（メモ）。", "Since when (for your notes)."),
    },
    "methods.csv": {
        "method": ("手法のID。", "The method's id."),
        "label_ja": ("日本語名。", "Japanese name."),
        "label_en": ("英語名。", "English name."),
        "basis": ("根拠法令（メモ）。", "Legal basis (for your notes)."),
        "scale_share": ("規模の経済のうち実際に得られる割合（0〜1）。", "Share of the economies of scale the method captures (0 to 1)."),
        "arrangement_cost": ("連携一件あたりの年間費用（円）。", "Yearly cost of one arrangement (yen)."),
        "member_cost": ("参加団体一つあたりの年間費用（円）。", "Yearly cost per participant (yen)."),
        "body_cost": ("組合などの組織の年間費用（中心団体ごとに一度）。", "Yearly cost of a body such as an association, once per hub."),
        "fee_ratio": ("参加団体が単独費用に対して払う割合（0〜1）。", "Share of its standalone cost a member pays the hub (0 to 1)."),
        "member_fee": ("参加団体が払う定額の負担金（円/年）。", "Flat fee a member pays the hub (yen a year)."),
        "min_members": ("最少の参加団体数（中心団体を含む。空欄は2）。", "Fewest participants, the hub included (blank means 2)."),
        "prefecture_may_join": ("県が加われるなら 1。", "1 if the prefecture may take part."),
        "grant_hub": ("中心団体が受ける交付金等（円/年）。", "Grants the hub receives (yen a year)."),
        "grant_member": ("参加団体一つが受ける交付金等（円/年）。", "Grants each member receives (yen a year)."),
    },
    "compatibility.csv": {
        "category": ("事務の分類。", "Task category."),
        "method": ("連携手法。", "Method."),
        "allowed": ("その分類にその手法を使えるなら 1、使えないなら 0。", "1 if the category may use the method, 0 if not."),
    },
}

NOTES = {
    "header": ("# 広域連携の入力ひな形 / Instance template\n\n"
               "各表には見本の行が入っています。見本のまま `allocate このフォルダ --check` が通ります。"
               "見本の行をあなたの地域のデータに置き換えてください。列名（1行目）は変えないでください。"
               "`note` という列や、名前が `_note` で終わる列はメモとして読み飛ばされます。"
               "Excel で編集したら「CSV UTF-8（コンマ区切り）」で保存してください（Shift_JIS の CSV も読めます）。\n\n"
               "Every table holds an example row; as written, `allocate THIS_FOLDER --check` passes. Replace the examples "
               "with your region's data and keep the header row as it is. A column named `note`, or ending in `_note`, "
               "is kept as a note and ignored. From Excel, save as 'CSV UTF-8 (comma delimited)' (Shift_JIS CSV is read too).\n"),
    "workbook": ("# 広域連携の入力ひな形 / Instance template (workbook)\n\n"
                 "表ごとのシート（instance、tasks、municipalities など）を埋めてください。それ以外のシート（このシートも）は読み飛ばされます。\n"
                 "Fill in one sheet per table (instance, tasks, municipalities, …). Any other sheet, this one included, is ignored.\n"),
}


def _required(table: str) -> dict[str, bool]:
    schema = SCHEMAS["instance" if table == "instance.csv" else table]
    return {c.name: c.required for c in schema}


def readme() -> str:
    """README.md: each table and each of its columns, in Japanese and English."""
    parts = [NOTES["header"]]
    for table in TABLES:
        ja, en = FILES[table]
        parts.append(f"\n## {table}\n\n{ja}\n\n{en}\n\n| 列 column | 必須 required | 意味 | meaning |\n|---|---|---|---|\n")
        required = _required(table)
        for column in header(table):
            c_ja, c_en = COLUMNS[table][column]
            parts.append(f"| `{column}` | {'必須 yes' if required[column] else '任意 no'} | {c_ja} | {c_en} |\n")
    return "".join(parts)


def header(table: str) -> list[str]:
    return [c.name for c in SCHEMAS["instance" if table == "instance.csv" else table]]


def _builtin_rows(table: str) -> tuple[list[str], list[list[str]]]:
    text = resources.files("kouiki").joinpath("data", table).read_text(encoding="utf-8-sig")
    records = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
    return records[0], records[1:]


def table_rows(table: str) -> tuple[list[str], list[list[str]]]:
    if table in BUILT_IN:
        return _builtin_rows(table)
    columns = header(table)
    return columns, [[example.get(c, "") for c in columns] for example in EXAMPLES[table]]


def csv_bytes(columns: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows([columns] + rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8


def folder_files() -> dict[str, bytes]:
    files = {table: csv_bytes(*table_rows(table)) for table in TABLES}
    files["README.md"] = readme().encode("utf-8")
    return files


def _typed(text: str):
    """A cell as a workbook user would type it: numbers as numbers, the rest as text."""
    try:
        number = float(text)
    except ValueError:
        return text if text != "" else None
    return int(number) if number.is_integer() and "." not in text else number


def workbook_bytes() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    notes = book.active
    notes.title = "README"
    for line in readme().splitlines():
        notes.append([line])
    for table in TABLES:
        columns, rows = table_rows(table)
        sheet = book.create_sheet(sheet_name(table))
        sheet.append(columns)
        for row in rows:
            sheet.append([_typed(cell) for cell in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(12, len(column) + 2)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@click.command(cls=CatalogueCommand, context_settings={"help_option_names": ["-h", "--help"]},
               usage="allocate template TARGET [OPTIONS]", about=("template.about", "template.target"),
               examples={"lang": "--lang en"})
@click.argument("target", type=click.Path())
@click.option("--overwrite", is_flag=True, help="template.overwrite")
@click.option("--lang", type=click.Choice(["ja", "en"]), metavar="ja|en", default="ja", help="help.lang_printed")
def template(target, overwrite, lang):
    """Write an empty instance to fill in (the catalogue's template.about says it to the user)."""
    from kouiki.reports.write import OutputError, write_folder

    path = Path(target)
    try:
        if path.suffix.lower() == ".xlsx":
            if path.exists() and not overwrite:
                raise OutputError(Message("template.workbook_exists", path=str(path)))
            data = workbook_bytes()
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f".{path.name}.partial")
            partial.write_bytes(data)
            partial.replace(path)
            written = [path.name]
        else:
            if path.exists() and (not path.is_dir() or any(path.iterdir())) and not overwrite:
                raise OutputError(Message("template.folder_exists", path=str(path)))
            write_folder(path, folder_files(), overwrite)
            written = [*TABLES, "README.md"]
    except OutputError as error:
        refuse(render(error.args[0], lang))
    except OSError as error:
        refuse(text("sub.cannot_write", lang, path=str(path), reason=error.strerror))
    click.echo(fits(text("template.written", lang, path=str(path), files=written)))
    click.echo(fits(text("template.next", lang, path=str(path))))
