"""Issue 11 for the subcommands: template, generate, batch and serve speak the catalogue in --lang, help and refusals too."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from conftest import unfold
from kouiki import messages
from kouiki.batch_cli import batch
from kouiki.cli import main
from kouiki.columns import WIDTH, width
from kouiki.generate_cli import generate
from kouiki.serve_cli import serve
from kouiki.template import template
from test_japanese_first import allowed_names, sentences

COMMANDS = {"template": template, "generate": generate, "batch": batch, "serve": serve}
USAGE = {"ja": "使い方: allocate", "en": "Usage: allocate"}


def lines_of(result) -> list[str]:
    return (result.stdout + result.stderr).splitlines()


def said(result) -> str:
    """Everything printed, with the lines wrapped at 100 columns (long temporary paths) joined again."""
    return unfold(result.stdout + result.stderr)


def in_other_language(lang: str, result) -> list[str]:
    return sentences(lang, lines_of(result), allowed_names())


@pytest.mark.parametrize("name", COMMANDS)
def test_help_is_japanese_by_default_and_fits_100_columns(name):
    result = CliRunner().invoke(COMMANDS[name], ["--help"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{USAGE['ja']} {name} ")
    assert "オプション:" in result.output and "例: --" in result.output
    assert not in_other_language("ja", result), result.output
    too_wide = [line for line in lines_of(result) if width(line) > WIDTH]
    assert not too_wide, too_wide


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize("args", [["--help", "--lang", "en"], ["--lang", "en", "--help"], ["--lang=en", "-h"]])
def test_help_in_english_wherever_lang_is_typed(name, args):
    result = CliRunner().invoke(COMMANDS[name], args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{USAGE['en']} {name} ")
    assert "Options:" in result.output and "e.g. --" in result.output
    assert not in_other_language("en", result), result.output
    assert all(width(line) <= WIDTH for line in lines_of(result))


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_and_paragraph_of_the_help_is_a_catalogue_key(name):
    command = COMMANDS[name]
    options = [p for p in command.params if isinstance(p, click.Option)]
    assert [p.name for p in options if getattr(p, "help_key", None) not in messages.CATALOGUE] == []
    assert [p.name for p in options if p.name == "lang"], "every subcommand takes --lang"
    assert all(key in messages.CATALOGUE for key in command.about)


def test_the_subcommands_help_comes_through_main_in_the_language_typed(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["batch", "--lang", "en", "--help"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.startswith("Usage: allocate batch PATH SCENARIOS")
    with pytest.raises(SystemExit) as stop:
        main(["serve", "--help"])
    assert stop.value.code == 0 and capsys.readouterr().out.startswith("使い方: allocate serve PATH")


# ---------------------------------------------------------------- click's own refusals


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize("lang", messages.LANGUAGES)
def test_an_unknown_option_is_a_catalogue_sentence_and_exit_2(name, lang):
    result = CliRunner().invoke(COMMANDS[name], ["somewhere", "--no-such-option", "--lang", lang])
    assert result.exit_code == 2
    introduction = messages.text("cli.usage_error", lang, detail="").strip()
    assert result.stderr.startswith(introduction), result.stderr
    assert f"{USAGE[lang]} {name} " in result.stderr


@pytest.mark.parametrize("lang", messages.LANGUAGES)
def test_a_missing_argument_and_a_bad_value_are_catalogue_sentences(lang):
    missing = CliRunner().invoke(generate, ["--lang", lang])
    assert missing.exit_code == 2
    assert missing.stderr.startswith(messages.text("cli.usage_error", lang, detail="Missing argument 'OUTDIR'."))
    bad = CliRunner().invoke(generate, ["out", "--municipalities", "1", "--lang", lang])
    assert bad.exit_code == 2
    expected = {"ja": "--municipalities の値が正しくありません: ", "en": "--municipalities: "}[lang]
    assert bad.stderr.startswith(expected), bad.stderr


# ---------------------------------------------------------------- template


@pytest.mark.parametrize("lang, written, next_step", ids=messages.LANGUAGES, argvalues=[
    ("ja", "ひな形を {path} に書きました", "見本の行をあなたの地域のデータに置き換えたら"),
    ("en", "Template written to {path}", "Replace the example rows with your region's data"),
])
def test_template_says_what_it_wrote_in_the_language_chosen(tmp_path, lang, written, next_step):
    for target in (tmp_path / "region", tmp_path / "region.xlsx"):
        result = CliRunner().invoke(template, [str(target), "--lang", lang])
        assert result.exit_code == 0, result.output
        assert written.format(path=target) in said(result) and next_step in said(result)
        assert f"allocate {target} --check" in said(result)
        assert not in_other_language(lang, result), result.output


@pytest.mark.parametrize("lang, folder_taken, workbook_taken", ids=messages.LANGUAGES, argvalues=[
    ("ja", "はすでにあり空ではありません。別のフォルダにするか --overwrite を付けてください",
     "はすでにあります。別の名前にするか --overwrite を付けてください"),
    ("en", "already exists and is not empty; choose another folder or add --overwrite",
     "already exists; choose another name or add --overwrite"),
])
def test_template_refuses_to_overwrite_in_the_language_chosen(tmp_path, lang, folder_taken, workbook_taken):
    folder, book = tmp_path / "region", tmp_path / "region.xlsx"
    folder.mkdir()
    (folder / "tasks.csv").write_text("mine", encoding="utf-8")
    book.write_bytes(b"mine")
    for target, sentence in ((folder, folder_taken), (book, workbook_taken)):
        result = CliRunner().invoke(template, [str(target), "--lang", lang])
        assert result.exit_code == 2 and sentence in said(result), result.output
        assert not in_other_language(lang, result), result.output
    assert (folder / "tasks.csv").read_text(encoding="utf-8") == "mine" and book.read_bytes() == b"mine"


# ---------------------------------------------------------------- generate

SMALL = ["--municipalities", "6", "--tasks", "3", "--hubs", "2"]


@pytest.mark.parametrize("lang, wrote", ids=messages.LANGUAGES, argvalues=[
    ("ja", "{folder} に書きました: 市町村 6、事務 3、中心団体 2、事務の行 "),
    ("en", "Wrote {folder}: 6 municipalities, 3 tasks, 2 hubs, "),
])
def test_generate_says_what_it_wrote_in_the_language_chosen(tmp_path, lang, wrote):
    folder = tmp_path / "synthetic"
    result = CliRunner().invoke(generate, [str(folder), *SMALL, "--lang", lang])
    assert result.exit_code == 0, result.output
    assert said(result).startswith(wrote.format(folder=folder)) and (folder / "instance.csv").exists()
    assert not in_other_language(lang, result), result.output


@pytest.mark.parametrize("lang", messages.LANGUAGES)
@pytest.mark.parametrize("args, key", ids=["hubs_exceed", "hubs_too_few", "prefectures_exceed"], argvalues=[
    (["--municipalities", "4", "--hubs", "5"], "generate.hubs_exceed"),
    (["--municipalities", "4", "--hubs", "2", "--prefectures", "3"], "generate.hubs_too_few"),
    (["--municipalities", "3", "--hubs", "3", "--prefectures", "4"], "generate.prefectures_exceed"),
])
def test_generate_refuses_impossible_counts_before_writing(tmp_path, lang, args, key):
    result = CliRunner().invoke(generate, [str(tmp_path / "g"), *args, "--lang", lang])
    assert result.exit_code == 2
    assert messages.CATALOGUE[key][messages.LANGUAGES.index(lang)].split("{")[0] in said(result), result.stderr
    assert not (tmp_path / "g").exists()
    assert not in_other_language(lang, result), result.output


@pytest.mark.parametrize("lang", messages.LANGUAGES)
def test_generate_refuses_a_folder_that_is_not_empty(tmp_path, lang):
    (tmp_path / "g").mkdir()
    (tmp_path / "g" / "keep.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(generate, [str(tmp_path / "g"), *SMALL, "--lang", lang])
    assert result.exit_code == 2
    assert messages.text("generate.not_empty", lang, folder=tmp_path / "g") in said(result)
    assert [p.name for p in (tmp_path / "g").iterdir()] == ["keep.txt"]


# ---------------------------------------------------------------- batch and serve


@pytest.mark.parametrize("lang, introduction", ids=messages.LANGUAGES, argvalues=[("ja", "内部エラー: RuntimeError: "), ("en", "Internal error: RuntimeError: ")])
def test_an_internal_error_in_a_battery_is_said_in_the_language_chosen(tmp_path, monkeypatch, lang, introduction):
    import kouiki.batch

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(kouiki.batch, "read_scenarios", broken)
    result = CliRunner().invoke(batch, ["kensei", str(tmp_path / "s.csv"), "--out", str(tmp_path / "out"), "--lang", lang])
    assert result.exit_code == 4
    assert said(result).startswith(introduction + "boom"), result.stderr


def test_a_battery_folder_that_cannot_be_made_is_said_in_both_languages(tmp_path):
    from kouiki.batch import run_battery
    from kouiki.load import load
    from kouiki.reports.write import OutputError

    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    with pytest.raises(OutputError) as caught:
        run_battery(load("kensei"), [], tmp_path / "file" / "battery", client=None, settings=None)
    sentence = caught.value.args[0]
    assert "を作れません" in messages.render(sentence, "ja")
    assert messages.render(sentence, "en").startswith("cannot create the battery folder")


@pytest.mark.parametrize("lang, problems", ids=messages.LANGUAGES, argvalues=[("ja", "入力に 3 件の問題があります"), ("en", "3 problem(s) in the input")])
def test_bad_input_to_batch_and_serve_is_said_in_the_language_chosen(tmp_path, lang, problems):
    (tmp_path / "instance.csv").write_text("task,municipality,volume\nfire,A,-1\n", encoding="utf-8")
    (tmp_path / "s.csv").write_text("scenario,what_if,argument\nplain,,\n", encoding="utf-8")
    served = CliRunner().invoke(serve, [str(tmp_path / "instance.csv"), "--port", "1", "--lang", lang])
    assert served.exit_code == 2 and problems in said(served), served.output
    located = {"ja": "instance.csv 2 行目 列「volume」", "en": "instance.csv, row 2, column 'volume'"}[lang]
    assert located in said(served)
    battery = CliRunner().invoke(batch, [str(tmp_path / "instance.csv"), str(tmp_path / "s.csv"), "--out", str(tmp_path / "out"),
                                         "--quiet", "--lang", lang])
    assert battery.exit_code == 2 and located in said(battery), battery.output
    for result in (served, battery):
        assert not in_other_language(lang, result), result.output
