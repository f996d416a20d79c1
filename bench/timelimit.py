"""Does --time-limit hold end to end? Wall time of `allocate` against the limit it was given.

For the prefecture and national presets (`allocate generate DIR --preset … --seed 1`)
and --time-limit 5, 30 and 100, it runs `allocate DIR --time-limit T -q` in a child
process and measures, by this process's wall clock, from the start of the child to
its exit: Python's start, imports, loading, legal choices, the greedy start, the
build, HiGHS and the reports all count. The goal (issue 10): every run ends within
T + max(2 s, 5 % of T).

Usage: python bench/timelimit.py [--quick] [--out bench/timelimit.csv]
--quick runs only --time-limit 5 on both presets. Instances go to bench/out/.
Writes the CSV and prints a table; quote the ratios from one run of it.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PRESETS = ("prefecture", "national")
LIMITS = (5, 30, 100)
QUICK_LIMITS = (5,)


def allocate_command() -> list[str]:
    found = shutil.which("allocate", path=str(Path(sys.executable).parent)) or shutil.which("allocate")
    return [found] if found else [sys.executable, "-m", "kouiki.cli"]


def instance(preset: str) -> Path:
    folder = HERE / "out" / f"{preset}-seed1"
    if not (folder / "instance.csv").exists():
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(allocate_command() + ["generate", str(folder), "--preset", preset, "--seed", "1"], check=True)
    return folder


def allowed(limit: float) -> float:
    """How far past the limit a run may end: max(2 s, 5 %)."""
    return max(2.0, 0.05 * limit)


def one_run(folder: Path, limit: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="timelimit-") as scratch:
        out = Path(scratch) / "report"
        started = time.perf_counter()
        process = subprocess.run(allocate_command() + [str(folder), "--time-limit", str(limit), "--out", str(out), "-q"],
                                 capture_output=True, text=True)
        wall = time.perf_counter() - started
        status = gap = ""
        if (out / "summary.csv").exists():
            rows = list(csv.DictReader(io.StringIO((out / "summary.csv").read_text(encoding="utf-8-sig"))))
            last = rows[-1] if rows else {}
            status, gap = last.get("status", ""), last.get("mip_gap", "")
    return {
        "instance": folder.name, "time_limit": limit, "wall_seconds": round(wall, 2),
        "wall_over_limit": round(wall / limit, 3), "over_seconds": round(wall - limit, 2),
        "allowed_over_seconds": allowed(limit), "within_goal": wall <= limit + allowed(limit),
        "exit_code": process.returncode, "status": status, "mip_gap": gap,
        "message": process.stderr.strip().splitlines()[-1][:160] if process.stderr.strip() else "",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only --time-limit 5 on both presets")
    parser.add_argument("--out", type=Path, default=HERE / "timelimit.csv")
    parser.add_argument("--presets", default=",".join(PRESETS))
    args = parser.parse_args(argv)
    limits = QUICK_LIMITS if args.quick else LIMITS
    rows = []
    for preset in args.presets.split(","):
        folder = instance(preset)
        for limit in limits:
            row = one_run(folder, limit)
            row.update(machine=f"{platform.machine()} {os.cpu_count()} cores", load_average=round(os.getloadavg()[0], 2))
            rows.append(row)
            print(f"{row['instance']:<18} limit {limit:>4} s  wall {row['wall_seconds']:>7.1f} s  "
                  f"ratio {row['wall_over_limit']:>6.2f}  {'ok  ' if row['within_goal'] else 'OVER'}  "
                  f"exit {row['exit_code']}  {row['status']} {row['mip_gap']}", flush=True)
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {args.out}; {sum(r['within_goal'] for r in rows)} of {len(rows)} runs within limit + max(2 s, 5 %)")
    return 0 if all(r["within_goal"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
