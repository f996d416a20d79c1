"""Issue 11: every word from the catalogue, a terminal a room can read, the user's order, 1億 on the command line."""

from __future__ import annotations

import ast
import csv
import io
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import read_report as read
from kouiki import messages
from kouiki.cli import allocate, localise
from kouiki.columns import WIDTH, width, wrap
from kouiki.load import bundled_instances, load
from kouiki.numbers import parse_yen

SOURCES = [p for folder in ("kouiki", "model", "reports", "solvers") for p in (Path(__file__).parents[1] / folder).glob("*.py")]


# ---------------------------------------------------------------- the catalogue


def test_every_message_renders_in_both_languages_with_sample_arguments():
    for key, pair in messages.CATALOGUE.items():
        assert len(pair) == 2 and all(pair), key
        ja, en = (messages.text(key, lang, **messages.sample_arguments(key)) for lang in messages.LANGUAGES)
        assert ja and en, key


def test_both_languages_of_a_message_take_the_same_arguments():
    import string

    for key, (ja, en) in messages.CATALOGUE.items():
        names = [{f for _, f, _, _ in string.Formatter().parse(t) if f} for t in (ja, en)]
        assert names[0] == names[1], key


def catalogue_keys_used_in_the_code() -> set[str]:
    """Every literal key given to Message(...) or text(...) anywhere in the package."""
    used = set()
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in ("Message", "text"):
                if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                    used.add(node.args[0].value)
    return used


def test_every_key_the_code_uses_is_in_the_catalogue():
    missing = catalogue_keys_used_in_the_code() - set(messages.CATALOGUE)
    assert not missing, sorted(missing)


def test_a_message_is_text_in_japanese_and_renders_in_english():
    m = messages.Message("legal.l8", party="箱根町", task="火葬")
    assert isinstance(m, str) and "意思" in m
    assert m.render("en") == "箱根町 is not willing to take part in 火葬 (willing = 0)"
    assert messages.rule("L9", "ja") == "L9 町の持ち出しが単独実施を超えない"
    assert messages.rule("L9", "en") == "L9 no member pays more than doing it alone"


def test_money_is_in_man_yen_with_separators_and_never_minus_zero():
    assert messages.money(4_230_462_486) == "423,046万円"
    assert messages.money(-3_080_000) == "-308万円"
    assert messages.money(-1) == "0万円"
    assert messages.money(3_300_960_000, sign=True) == "+330,096万円"
    assert messages.money(4_230_462_486, "en") == "¥4,230.5M"


# ---------------------------------------------------------------- numbers on the command line


@pytest.mark.parametrize("typed", ["1億", "10000万", "100,000,000", "¥100,000,000", "１億円", "100000000", "1e8", "￥100,000,000"])
def test_an_amount_of_yen_is_read_as_the_room_says_it(typed):
    assert parse_yen(typed) == 100_000_000


@pytest.mark.parametrize("typed", ["1億5000万", "1.5億", "150,000,000円"])
def test_myriad_units_add_up(typed):
    assert parse_yen(typed) == 150_000_000


@pytest.mark.parametrize("typed", ["", "abc", "億", "1,2", "1億x", "nan", "inf", "1e300"])
def test_an_amount_that_is_not_one_is_refused(typed):
    with pytest.raises(ValueError):
        parse_yen(typed)


def report_bytes(folder: Path) -> dict[str, bytes]:
    """The plan files, without the seconds a run took."""
    found = {}
    for name in ("arrangements.csv", "participation.csv", "ledger.csv"):
        found[name] = (folder / name).read_bytes()
    rows = list(csv.reader(io.StringIO((folder / "summary.csv").read_bytes().decode("utf-8-sig"))))
    column = rows[0].index("seconds")
    found["summary.csv"] = repr([r[:column] + r[column + 1:] for r in rows]).encode()
    return found


def test_burden_cap_1oku_equals_burden_cap_100000000(tmp_path):
    runs = {}
    for typed in ("1億", "100000000", "100,000,000", "¥100,000,000", "10000万"):
        out = tmp_path / f"out-{len(runs)}"
        result = CliRunner().invoke(allocate, ["kensei", "--burden-cap", typed, "--max-arrangements", "2", "--out", str(out), "--quiet"])
        assert result.exit_code == 0, result.output
        runs[typed] = report_bytes(out)
    assert all(found == runs["100000000"] for found in runs.values())


def test_a_bad_amount_on_the_command_line_is_refused_in_words(tmp_path):
    localise(allocate, "ja")
    result = CliRunner().invoke(allocate, ["kensei", "--burden-cap", "一億くらい", "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "金額として読めません" in result.output and not (tmp_path / "o").exists()


def test_version_is_printed():
    result = CliRunner().invoke(allocate, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("kouiki ")


def test_help_lists_the_subcommands_and_an_example_per_option():
    for lang, example in (("ja", "例:"), ("en", "e.g.")):
        result = CliRunner().invoke(allocate, ["--help", "--lang", lang])
        for command in ("allocate template", "allocate generate", "allocate batch", "allocate serve"):
            assert command in result.output, (lang, command)
        assert f"{example} --burden-cap 1億" in " ".join(result.output.split())


# ---------------------------------------------------------------- the battery of runs


def broken_copy(folder: Path) -> Path:
    """Kensei with a bad number, an unknown municipality and a bad role."""
    shutil.copytree(bundled_instances()["kensei"], folder)
    rows = (folder / "instance.csv").read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    cells = rows[1].split(",")
    cells[header.index("volume")] = "たくさん"
    rows[1] = ",".join(cells)
    cells = rows[2].split(",")
    cells[header.index("municipality")] = "小田原"
    rows[2] = ",".join(cells)
    (folder / "instance.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    munis = (folder / "municipalities.csv").read_text(encoding="utf-8").replace(",town,", ",city,", 1)
    (folder / "municipalities.csv").write_text(munis, encoding="utf-8")
    return folder


def must_without_a_hub(folder: Path) -> Path:
    """B町 must share T, but the only hub takes no part in T: the model's constant conflict (model/build.py)."""
    folder.mkdir()
    (folder / "municipalities.csv").write_text("municipality,role,population,can_host\nA市,central,150000,1\nB町,town,9000,\n", encoding="utf-8")
    (folder / "tasks.csv").write_text("task,category,fixed_cost,unit_cost\nT,essential,80000000,4000\n", encoding="utf-8")
    (folder / "instance.csv").write_text("task,municipality,volume,willing\nT,A市,150000,0\nT,B町,9000,must\n", encoding="utf-8")
    return folder


RUNS = {
    "success": lambda tmp: ["kensei", "--max-arrangements", "3", "--out", str(tmp / "ok")],
    "options": lambda tmp: ["kensei", "--max-arrangements", "3", "--options", "3", "--out", str(tmp / "options")],
    "merge": lambda tmp: ["kensei", "--max-arrangements", "3", "--merge", "小田原市+南足柄市", "--out", str(tmp / "merge")],
    "infeasible": lambda tmp: ["kensei", "--burden-cap", "-5億", "--out", str(tmp / "infeasible")],
    "bad input": lambda tmp: [str(broken_copy(tmp / "broken")), "--out", str(tmp / "bad")],
    "engine refusal": lambda tmp: [str(must_without_a_hub(tmp / "must")), "--out", str(tmp / "must-out")],
    "check": lambda tmp: ["kensei", "--check"],
    "help": lambda tmp: ["--help"],
}


@pytest.fixture(scope="module")
def battery(tmp_path_factory):
    """Every run of RUNS in both languages: (exit code, every line it printed)."""
    found = {}
    for lang in messages.LANGUAGES:
        localise(allocate, lang)
        for name, args in RUNS.items():
            tmp = tmp_path_factory.mktemp(f"{lang}-{name.replace(' ', '-')}")
            result = CliRunner().invoke(allocate, args(tmp) + ["--lang", lang])
            assert result.exception is None or isinstance(result.exception, SystemExit), result.output
            found[(lang, name)] = (result.exit_code, (result.stdout + result.stderr).splitlines())
    localise(allocate, "ja")
    return found


def test_the_battery_exits_as_the_spec_says(battery):
    expected = {"success": 0, "options": 0, "merge": 0, "infeasible": 1, "bad input": 2, "engine refusal": 1, "check": 0, "help": 0}
    for (lang, name), (code, lines) in battery.items():
        assert code == expected[name], (lang, name, lines)


def test_every_terminal_line_fits_100_display_columns(battery):
    for (lang, name), (_, lines) in battery.items():
        too_wide = [line for line in lines if width(line) > WIDTH]
        assert not too_wide, (lang, name, too_wide)


def allowed_names() -> set[str]:
    """Names and ids the user gave or the tables define: they are not sentences in either language."""
    instance = load("kensei")
    names = set(instance.tasks) | set(instance.municipalities) | set(instance.methods)
    names |= {t.label_ja for t in instance.tasks.values()} | {t.label_en for t in instance.tasks.values()}
    names |= {m.label_ja for m in instance.methods.values()}
    names |= {"小田原市・南足柄市", "小田原", "たくさん", "連携中枢都市圏", "中核市", "万円", "円"}
    return {n for n in names if n}


# A few words of English in a row: a sentence the Japanese output should not contain.
ENGLISH_WORDS = re.compile(r"\b[A-Za-z][a-z']*(?:[ ,;]+[A-Za-z][a-z']*){2,}")
# Kana (the grammar of a Japanese sentence); kanji alone may be a name or a legal term.
JAPANESE_WORDS = re.compile(r"[\u3040-\u30ff]{2,}")
# What may appear in either language: options, paths, file names, the ids of the SPEC's tables.
NEUTRAL = re.compile(r"allocate(?: [a-z]+)?(?: [A-Z]+)*|--[a-z][a-z-]*|\S*[/\\]\S*|\S+\.(?:csv|xlsx|json|png|py)\b|\b[a-z]+_[a-z_]+\b|'[^']*'|\([a-z_ ]+\)")
IDS = {"delegation", "association", "agreement", "council", "joint_body", "substitution", "union", "voluntary",
       "metro_agreement", "central", "town", "prefecture", "savings", "regional", "must", "kouiki", "pip", "install",
       "matplotlib", "plots", "kensei", "sha", "utf", "ja", "en"}


def stripped(line: str, names: set[str]) -> str:
    for name in sorted(names, key=len, reverse=True):
        line = line.replace(name, " ")
    return NEUTRAL.sub(" ", line)


def sentences(lang: str, lines: list[str], names: set[str]) -> list[str]:
    """Lines holding a sentence in the other language."""
    found = []
    for line in lines:
        rest = stripped(line, names)
        if lang == "ja":
            words = [m.group() for m in ENGLISH_WORDS.finditer(rest)
                     if not set(re.findall(r"[A-Za-z']+", m.group().lower())) <= IDS]
            if words:
                found.append(line)
        elif JAPANESE_WORDS.search(rest):
            found.append(line)
    return found


@pytest.mark.parametrize("lang,name", [(lang, name) for lang in messages.LANGUAGES for name in RUNS])
def test_no_sentence_in_the_other_language(battery, lang, name):
    _, lines = battery[(lang, name)]
    assert not sentences(lang, lines, allowed_names()), (lang, name)


def test_the_scan_finds_a_sentence_in_the_wrong_language():
    names = allowed_names()
    assert sentences("ja", ["小田原市 cannot lead a 連携中枢都市圏 agreement"], names)
    assert sentences("en", ["小田原市 は中心団体になれません"], names)
    assert not sentences("ja", ["--burden-cap 1億 (delegation) instance.csv"], names)


def test_wrapping_counts_wide_characters_twice():
    line = "南足柄市・中井町・大井町・松田町・山北町・開成町・箱根町・真鶴町・湯河原町"
    lines = wrap(line, 30)
    assert all(width(part) <= 30 for part in lines) and "".join(lines) == line


# ---------------------------------------------------------------- the user's order


def ordered_region(folder: Path) -> Path:
    """Municipalities and tasks listed against code-point order, so any sort by name shows."""
    folder.mkdir()
    (folder / "municipalities.csv").write_text(
        "municipality,role,population,can_host\n湯河原町,town,24000,1\n中井町,town,9000,\n小田原市,central,188000,1\n箱根町,town,11000,\n",
        encoding="utf-8")
    (folder / "tasks.csv").write_text(
        "task,category,fixed_cost,unit_cost\n火葬,essential,80000000,4000\nごみ焼却,essential,300000000,10000\n",
        encoding="utf-8")
    rows = ["task,municipality,volume"]
    for task in ("ごみ焼却", "火葬"):
        for muni, volume in (("箱根町", 11000), ("小田原市", 188000), ("中井町", 9000), ("湯河原町", 24000)):
            rows.append(f"{task},{muni},{volume}")
    (folder / "instance.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def test_reports_list_municipalities_and_tasks_in_the_users_order(tmp_path):
    munis, tasks = ["湯河原町", "中井町", "小田原市", "箱根町"], ["火葬", "ごみ焼却"]
    assert munis != sorted(munis) and tasks != sorted(tasks)
    out = tmp_path / "out"
    localise(allocate, "ja")
    result = CliRunner().invoke(allocate, [str(ordered_region(tmp_path / "region")), "--out", str(out), "--xlsx"])
    assert result.exit_code == 0, result.output
    participation = read(out / "participation.csv")
    assert [r["task"] for r in participation] == [t for t in tasks for _ in munis]
    assert [r["municipality"] for r in participation] == munis * len(tasks)
    assert [r["municipality"] for r in read(out / "ledger.csv")] == munis
    arrangements = read(out / "arrangements.csv")
    assert [r["task"] for r in arrangements] == sorted((r["task"] for r in arrangements), key=tasks.index)
    for r in arrangements:
        shown = r["participants"].split(";")
        assert shown == sorted(shown, key=munis.index)
    # the terminal's bottom line per municipality
    lines = result.output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("団体ごとの収支"))
    firsts = [line.split()[0] for line in lines[start + 3:start + 3 + len(munis)]]
    assert firsts == munis
    # the workbook's participation sheet
    from openpyxl import load_workbook

    book = load_workbook(out / "report.xlsx")
    sheet = next(s for s in book if s.title in ("参加", "participation"))
    column = [c.value for c in sheet[1]].index("市町村")
    names = [row[column] for row in sheet.iter_rows(min_row=2, values_only=True) if row[column] in munis]
    assert names == munis * len(tasks)
