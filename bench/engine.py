"""The engine's goals (issue 9), measured side by side with the import floor in one run.

Each command runs in a child process, alternated with
`python -c "import pyomo.environ, highspy, pandas, click"` (the floor), so a
busy machine slows all of them alike; medians of --repeat runs and their
ratios are printed and written to bench/engine.csv.

  allocate kensei                      ≤ 4 × floor (cap 0, proven to the default gap)
  allocate kensei --options 5          ≤ 3 × a plain run
  allocate kensei --keep-current       ≤ 2 × a plain run
  allocate kensei --burden-cap -1億    ≤ 3 × a plain run (infeasible, explained)
  prefecture preset --gap 1e-4         ≤ 15 × floor (proven)

Usage: python bench/engine.py [--repeat 5] [--only kensei,options,...]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FLOOR = [sys.executable, "-c", "import pyomo.environ, highspy, pandas, click"]
ALLOCATE = [sys.executable, "-m", "kouiki.cli"]


def prefecture() -> str:
    folder = HERE / "out" / "prefecture"
    if not (folder / "instance.csv").exists():
        subprocess.run([*ALLOCATE, "generate", str(folder), "--preset", "prefecture", "--seed", "1"], check=True,
                       stdout=subprocess.DEVNULL)
    return str(folder)


CASES = {
    "kensei": (["kensei"], 0),
    "options": (["kensei", "--options", "5"], 0),
    "keep_current": (["kensei", "--keep-current"], 0),
    "infeasible": (["kensei", "--burden-cap", "-100000000"], 1),
    "prefecture": (None, 0),
}
GOALS = [("kensei", "floor", 4.0), ("options", "kensei", 3.0), ("keep_current", "kensei", 2.0),
         ("infeasible", "kensei", 3.0), ("prefecture", "floor", 15.0)]


def timed(command: list[str], expected: int) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != expected:
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}, not {expected}: {done.stderr[-500:]}")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", default=",".join(CASES))
    parser.add_argument("--out", default=str(HERE / "engine.csv"))
    args = parser.parse_args()
    chosen = [c for c in args.only.split(",") if c]
    scratch = Path(tempfile.mkdtemp(prefix="kouiki-engine-"))
    times: dict[str, list[float]] = {"floor": [], **{c: [] for c in chosen}}
    for round_ in range(args.repeat):
        times["floor"].append(timed(FLOOR, 0))
        for case in chosen:
            words, expected = CASES[case]
            if words is None:
                words = [prefecture(), "--gap", "1e-4"]
            out = scratch / f"{case}-{round_}"
            times[case].append(timed([*ALLOCATE, *words, "--quiet", "--out", str(out)], expected))
            times["floor"].append(timed(FLOOR, 0))
        print(f"round {round_ + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items()), flush=True)
    median = {k: statistics.median(v) for k, v in times.items() if v}
    rows = []
    for case, base, goal in GOALS:
        if case in median and base in median:
            ratio = median[case] / median[base]
            rows.append({"case": case, "median_s": round(median[case], 3), "against": base,
                         "against_median_s": round(median[base], 3), "ratio": round(ratio, 2), "goal": goal,
                         "met": ratio <= goal, "repeat": args.repeat})
    with open(args.out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["case"])
        writer.writeheader()
        writer.writerows(rows)
    print(f"\nfloor median {median['floor']:.3f} s")
    for r in rows:
        print(f"{r['case']:<14} {r['median_s']:8.3f} s  = {r['ratio']:6.2f} × {r['against']:<8} goal ≤ {r['goal']}: "
              f"{'met' if r['met'] else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
