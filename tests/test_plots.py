"""--plots: PNG figures in the report folder, with Japanese text drawn from the font we ship."""

from __future__ import annotations

import struct
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("matplotlib")
pytest.importorskip("matplotlib_fontja")


from conftest import english
from kouiki.cli import allocate  # noqa: E402
from kouiki.reports import plots  # noqa: E402

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text.strip() + "\n", encoding="utf-8")


@pytest.fixture
def region(tmp_path) -> Path:
    """A city and two towns, three tasks; the city can host and the towns gain by joining."""
    folder = tmp_path / "region"
    folder.mkdir()
    write(folder, "municipalities.csv", """
municipality,role,population,can_host,burden_cap,label_en
小田原市,central,150000,1,100000000,Odawara
真鶴町,town,7000,,,Manazuru
湯河原町,town,23000,1,0,Yugawara
""")
    write(folder, "tasks.csv", """
task,category,fixed_cost,unit_cost,scale_elasticity,label_en
常備消防,essential,300000000,10000,0.9,Fire service
ごみ焼却,essential,100000000,5000,1,Waste incineration
観光振興,vitality,20000000,100,1,Tourism
""")
    write(folder, "instance.csv", """
task,municipality,volume
常備消防,小田原市,150000
常備消防,真鶴町,7000
常備消防,湯河原町,23000
ごみ焼却,小田原市,150000
ごみ焼却,真鶴町,7000
ごみ焼却,湯河原町,23000
観光振興,小田原市,150000
観光振興,湯河原町,23000
""")
    return folder


def run(args: list[str]):
    return CliRunner().invoke(allocate, english(args), catch_exceptions=False)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def glyph_warnings(draw) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        draw()
    return [str(w.message) for w in caught if "Glyph" in str(w.message) and "missing" in str(w.message)]


def test_plots_are_written_into_the_report_folder(region, tmp_path):
    out = tmp_path / "out"
    result = run([str(region), "--out", str(out), "--plots", "--quiet"])
    assert result.exit_code == 0, result.output
    for name in ("participation.png", "burden.png"):
        data = (out / name).read_bytes()
        width, height = png_size(data)
        assert 400 <= width <= 6000 and 300 <= height <= 6000, (name, width, height)
        assert 5_000 < len(data) < 3_000_000, (name, len(data))
    assert not (out / "tradeoff.png").exists()


def test_no_plots_without_the_option(region, tmp_path):
    out = tmp_path / "out"
    assert run([str(region), "--out", str(out), "--quiet"]).exit_code == 0
    assert not list(out.glob("*.png"))


def test_a_sweep_draws_the_tradeoff_curve(region, tmp_path):
    out = tmp_path / "out"
    result = run([str(region), "--out", str(out), "--plots", "--xlsx", "--sweep", "burden-cap=0:200000000:3", "--quiet"])
    assert result.exit_code == 0, result.output
    width, height = png_size((out / "tradeoff.png").read_bytes())
    assert width > 600 and height > 400
    from openpyxl import load_workbook

    assert load_workbook(out / "report.xlsx").sheetnames == ["overview", "tradeoff"]


def test_no_japanese_glyph_is_missing_from_any_figure(region, tmp_path):
    """Every figure, in Japanese and English, renders without matplotlib's 'Glyph … missing' warning."""
    out = tmp_path / "out"
    # the sweep's figure is drawn directly; the plan's figures by a real run
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for lang in ("ja", "en"):
            assert run([str(region), "--out", str(out / lang), "--plots", "--lang", lang, "--quiet"]).exit_code == 0
        plots.tradeoff_png([(0.0, 1e8, 2, 2, "optimal"), (-1e8, None, 0, 0, "infeasible")], "ja")
    missing = [str(w.message) for w in caught if "Glyph" in str(w.message) and "missing" in str(w.message)]
    assert missing == []


def test_the_glyph_check_would_catch_a_font_without_japanese():
    """The control for the test above: the same text in DejaVu Sans (no kana, no kanji) does warn."""
    def draw_in(font: str):
        def draw():
            import matplotlib

            with plots.japanese_font(), matplotlib.rc_context({"font.family": font}):
                fig = plots.figure(3, 2)
                fig.subplots().set_title("参加の状況（案1）中心団体・節減額 −100")
                plots.png(fig)
        return draw

    assert glyph_warnings(draw_in("DejaVu Sans")), "no warning for a font without Japanese: the check is blind"
    assert glyph_warnings(draw_in(plots.FONT)) == []


def test_the_figures_use_the_font_shipped_in_the_package():
    from matplotlib import font_manager

    import matplotlib_fontja

    with plots.japanese_font():
        found = font_manager.findfont(font_manager.FontProperties(family=plots.FONT), fallback_to_default=False)
    assert Path(found) == Path(matplotlib_fontja.get_font_ttf_path())


def test_matplotlib_is_imported_only_for_plots(region, tmp_path):
    code = (
        "import sys\n"
        "from kouiki.cli import main\n"
        "try:\n"
        f"    main([{str(region)!r}, '--out', {str(tmp_path / 'out')!r}, '--quiet'])\n"
        "except SystemExit as stop:\n"
        "    assert stop.code in (0, None), stop.code\n"
        "print('matplotlib' in sys.modules)\n"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().splitlines()[-1] == "False"
