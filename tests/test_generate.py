"""Synthetic instances (kouiki.generate) load, are reproducible, and have the
shape they promise: Japan-like populations, reach only to own-prefecture hubs,
every task category present.
"""

from __future__ import annotations

import csv
import statistics
from pathlib import Path

import pytest

from kouiki.generate import PRESETS, generate
from kouiki.load import load

FILES = ("municipalities.csv", "tasks.csv", "instance.csv", "reach.csv")
CATEGORIES = {"wide_area", "vitality", "essential", "core_service", "core_bulk", "other"}
SMALL = dict(municipalities=12, tasks=8, hubs=3)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _hubs(folder: Path) -> set[str]:
    return {r["municipality"] for r in _read(folder / "municipalities.csv") if r["can_host"] == "1"}


def test_small_instance_loads(tmp_path):
    summary = generate(tmp_path / "small", seed=1, **SMALL)
    instance = load(str(tmp_path / "small"))
    assert len(instance.municipalities) == summary["municipalities"] == 12
    assert len(instance.tasks) == summary["tasks"] == 8
    assert len(instance.rows) == summary["rows"]
    assert summary["hubs"] == 3 and set(summary["hub_ids"]) == _hubs(tmp_path / "small")
    assert sorted(p.name for p in (tmp_path / "small").iterdir()) == sorted(FILES)
    # Hubs are the largest municipalities (the central cities).
    populations = sorted((m.population for m in instance.municipalities.values()), reverse=True)
    assert {m.population for m in instance.municipalities.values() if m.can_host} == set(populations[:3])
    assert all(not (tmp_path / "small" / name).read_bytes().startswith(b"\xef\xbb\xbf") for name in FILES)


def test_same_seed_same_bytes_other_seed_differs(tmp_path):
    generate(tmp_path / "a", seed=7, **SMALL)
    generate(tmp_path / "b", seed=7, **SMALL)
    generate(tmp_path / "c", seed=8, **SMALL)
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in FILES)
    assert any((tmp_path / "a" / f).read_bytes() != (tmp_path / "c" / f).read_bytes() for f in FILES)


def test_population_median_is_japan_like(tmp_path):
    generate(tmp_path / "p", seed=3, municipalities=500, tasks=1, hubs=5)
    median = statistics.median(int(r["population"]) for r in _read(tmp_path / "p" / "municipalities.csv"))
    assert 12_000 <= median <= 48_000


def test_reach_points_to_hubs_one_to_three_each(tmp_path):
    folder = tmp_path / "r"
    generate(folder, seed=5, municipalities=40, tasks=3, hubs=5)
    hubs = _hubs(folder)
    reach = _read(folder / "reach.csv")
    assert all(r["hub"] in hubs and r["municipality"] != r["hub"] for r in reach)
    reached: dict[str, int] = {}
    for r in reach:
        reached[r["municipality"]] = reached.get(r["municipality"], 0) + 1
    towns = {r["municipality"] for r in _read(folder / "municipalities.csv")} - hubs
    assert all(1 <= reached.get(town, 0) <= 3 for town in towns)


def test_no_reach_across_prefectures(tmp_path):
    folder = tmp_path / "three"
    summary = generate(folder, seed=2, municipalities=45, tasks=4, hubs=6, prefectures=3)
    load(str(folder))
    prefecture = lambda id_: id_.split("-")[0]  # noqa: E731 - ids look like P03-M012
    munis = _read(folder / "municipalities.csv")
    assert {prefecture(m["municipality"]) for m in munis} == {"P01", "P02", "P03"}
    assert {prefecture(h) for h in summary["hub_ids"]} == {"P01", "P02", "P03"}
    reach = _read(folder / "reach.csv")
    assert reach and all(prefecture(r["municipality"]) == prefecture(r["hub"]) for r in reach)


def test_prefecture_preset(tmp_path):
    folder = tmp_path / "pref"
    summary = generate(folder, seed=1, **PRESETS["prefecture"])
    instance = load(str(folder))
    assert (len(instance.municipalities), len(instance.tasks), summary["hubs"]) == (60, 60, 6)
    assert sum(m.can_host for m in instance.municipalities.values()) == 6
    assert {t.category for t in instance.tasks.values()} == CATEGORIES
    assert any(t.scale_elasticity < 1 for t in instance.tasks.values())
    assert any(t.core_city_affair for t in instance.tasks.values())
    assert any(r.willing == "0" for r in instance.rows.values())


def test_every_category_in_a_small_draw(tmp_path):
    generate(tmp_path / "s", seed=11, **SMALL)
    assert {r["category"] for r in _read(tmp_path / "s" / "tasks.csv")} == CATEGORIES


def test_refuses_a_non_empty_folder_and_bad_counts(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError):
        generate(tmp_path / "full", seed=1, **SMALL)
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["keep.txt"]
    with pytest.raises(ValueError):
        generate(tmp_path / "x", seed=1, municipalities=10, tasks=2, hubs=2, prefectures=3)
    assert not (tmp_path / "x").exists()
