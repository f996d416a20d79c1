"""A 100,000-row instance, written on the spot: the hostile-input test checks it loads, bench/load_big.py times it."""

from __future__ import annotations

from pathlib import Path


def write_big_instance(folder: Path, tasks: int = 1000, municipalities: int = 100) -> Path:
    """1,000 tasks × 100 municipalities: a 100,000-row instance.csv."""
    folder.mkdir(parents=True)
    names = [f"m{j:03d}" for j in range(municipalities)]
    categories = ["essential", "vitality", "wide_area", "other"]
    (folder / "municipalities.csv").write_text(
        "municipality,role,population\n"
        + "".join(f"{m},{'central' if j < 10 else 'town'},{1000 * (j + 1)}\n" for j, m in enumerate(names)), encoding="utf-8")
    (folder / "tasks.csv").write_text(
        "task,category,fixed_cost,unit_cost\n"
        + "".join(f"t{i:04d},{categories[i % 4]},1000000,5000\n" for i in range(tasks)), encoding="utf-8")
    with (folder / "instance.csv").open("w", encoding="utf-8", newline="") as handle:
        handle.write("task,municipality,volume\n")
        for i in range(tasks):
            handle.writelines(f"t{i:04d},{m},{(7 * i + j) % 500 + 1}\n" for j, m in enumerate(names))
    return folder
