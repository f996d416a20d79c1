"""What parallel workers buy: a 12-scenario Kensei battery and the national preset, 1 and 2 local workers.

    python bench/batch.py            # the 12 Kensei scenarios and the national preset (minutes today)
    python bench/batch.py --quick    # the battery and a small nine-prefecture stand-in for the national preset
    python bench/batch.py --skip-battery --gap 0.01   # the national preset alone, each group to a 1 % gap

Every figure comes from this one run, on this machine: wall times with 1 and 2
local Dask workers and their ratio; each group's solve time; the scheduling
overhead per task (no-op tasks through the same cluster); and from those the
projected wall time on 8, 16 and 47 workers:

    projected(W) = client-side time + makespan of the groups on W workers
                   (longest first, never below the slowest group) + overhead × ⌈groups / W⌉

Results are appended to bench/batch_results.csv (one row per measurement).
"""

from __future__ import annotations

import argparse
import csv
import heapq
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from kouiki.batch import NamedScenario, check_scenarios, run_battery
from kouiki.load import load
from kouiki.parallel import run_jobs, workers
from kouiki.parts import optimise_on_workers
from kouiki.scenario import Scenario
from kouiki.solvers.highs import SolverSettings
from kouiki.whatif import WhatIf

# A workshop's dozen (keep-current is left out: it alone takes minutes today).
KENSEI_SCENARIOS = [
    ("現状", []),
    ("上限0", [("burden-cap", "0")]),
    ("上限1億", [("burden-cap", "100000000")]),
    ("上限5千万", [("burden-cap", "50000000")]),
    ("箱根町なし", [("exclude", "箱根町")]),
    ("合併", [("merge", "小田原市+南足柄市")]),
    ("合併で上限1億", [("merge", "小田原市+南足柄市"), ("burden-cap", "100000000")]),
    ("委託料5割", [("fee-ratio", "delegation=0.5")]),
    ("町の節減1割", [("min-town-saving", "0.1")]),
    ("連携5件まで", [("max-arrangements", "5")]),
    ("委託なし", [("forbid-method", "delegation")]),
    ("箱根町の消防", [("require", "常備消防:箱根町")]),  # infeasible
]
PROJECTED = (8, 16, 47)
RESULTS = Path(__file__).with_name("batch_results.csv")


def nothing(value):
    return value


def overhead_per_task(client, count: int = 200) -> float:
    """Seconds the cluster adds per task: no-op tasks through the same submit/wait path."""
    started = time.perf_counter()
    run_jobs(client, nothing, list(range(count)), [f"noop-{time.monotonic_ns()}-{n}" for n in range(count)], lambda i, r: None)
    return (time.perf_counter() - started) / count


def makespan(seconds: list[float], lanes: int) -> float:
    """Longest-first list scheduling of the groups on `lanes` workers (what Dask's queue comes close to)."""
    loads = [0.0] * lanes
    for s in sorted(seconds, reverse=True):
        heapq.heapreplace(loads, loads[0] + s)
    return max(loads)


def load_note() -> str:
    """The machine's load while measuring: on a shared machine it says more about a ratio than the ratio itself."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} on {os.cpu_count()} cores"


def record(rows: list[dict]) -> None:
    new = not RESULTS.exists()
    with RESULTS.open("a", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=["when", "what", "workers", "wall_s", "note"])
        if new:
            writer.writeheader()
        writer.writerows(rows)


def battery(when: str, settings: SolverSettings) -> list[dict]:
    instance = load("kensei")
    named = [NamedScenario(n, tuple(WhatIf(k, a, "bench") for k, a in w), "bench") for n, w in KENSEI_SCENARIOS]
    check_scenarios(instance, named)
    rows, walls = [], {}
    for count in (1, 2):
        out = Path(tempfile.mkdtemp(prefix=f"kouiki-bench-battery-{count}-"))
        try:
            with workers(count) as client:
                started = time.perf_counter()
                result = run_battery(instance, named, out, client, settings, quiet=True, say=lambda text: None)
                walls[count] = time.perf_counter() - started
            seconds = {f.name: f.seconds for f in result.facts}
            if count == 1:
                first_seconds = seconds
        finally:
            shutil.rmtree(out, ignore_errors=True)
        note = "; ".join(f"{n} {s:.1f}" for n, s in seconds.items()) + f"; {load_note()}"
        print(f"Kensei battery, {len(named)} scenarios, {count} worker(s): {walls[count]:.1f} s "
              f"(Σ scenario seconds {sum(seconds.values()):.1f}; per scenario: {note})")
        rows.append({"when": when, "what": f"kensei battery {len(named)}", "workers": count, "wall_s": f"{walls[count]:.2f}", "note": note})
    print(f"  speed-up with 2 workers: {walls[1] / walls[2]:.2f}×")
    one = list(first_seconds.values())
    for lanes in PROJECTED:
        projected = makespan(one, lanes)
        print(f"  projected on {lanes} workers: {projected:.1f} s (the slowest scenario takes {max(one):.1f} s)")
        rows.append({"when": when, "what": f"kensei battery {len(named)} projected", "workers": lanes,
                     "wall_s": f"{projected:.2f}", "note": f"critical path {max(one):.2f} s"})
    return rows


def national(when: str, settings: SolverSettings, quick: bool) -> list[dict]:
    folder = Path(tempfile.mkdtemp(prefix="kouiki-bench-national-")) / "region"
    shape = ["--municipalities", "90", "--tasks", "20", "--hubs", "9", "--prefectures", "9"] if quick else ["--preset", "national"]
    subprocess.run([sys.executable, "-m", "kouiki.cli", "generate", str(folder), *shape, "--seed", "1"], check=True)
    what = "small 9-prefecture stand-in" if quick else "national preset"
    try:
        instance = load(str(folder))
        rows, walls, groups = [], {}, {}
        for count in (1, 2):
            with workers(count) as client:
                # lanes fixed at 1: every group gets the same share of --time-limit in both runs
                solve = optimise_on_workers(client, str(folder), [], workers=1)
                started = time.perf_counter()
                outcome = solve(instance, Scenario(), settings, progress=lambda text: print(f"  {text}", flush=True))
                walls[count] = time.perf_counter() - started
                groups[count] = list(solve.group_seconds)
                overhead = overhead_per_task(client)
            print(f"{what}, {count} worker(s): {walls[count]:.1f} s, {len(groups[count])} groups, "
                  f"savings {outcome.evaluation.total_savings:,.0f} yen, overhead {overhead * 1000:.1f} ms/task")
            rows.append({"when": when, "what": what, "workers": count, "wall_s": f"{walls[count]:.2f}",
                         "note": f"groups {len(groups[count])}; overhead {overhead * 1000:.2f} ms/task; {load_note()}"})
        seconds = groups[1]
        client_side = max(walls[1] - sum(seconds), 0.0)
        print(f"  speed-up with 2 workers: {walls[1] / walls[2]:.2f}×; slowest group {max(seconds):.2f} s of "
              f"{sum(seconds):.2f} s in all; client side {client_side:.2f} s")
        print("  group solve times (s): " + ", ".join(f"{s:.2f}" for s in seconds))
        rows.append({"when": when, "what": f"{what} group seconds", "workers": 1, "wall_s": f"{sum(seconds):.2f}",
                     "note": " ".join(f"{s:.2f}" for s in seconds)})
        for lanes in PROJECTED:
            projected = client_side + makespan(seconds, lanes) + overhead * math.ceil(len(seconds) / lanes)
            print(f"  projected on {lanes} workers: {projected:.1f} s ({walls[1] / projected:.1f}× the 1-worker wall time)")
            rows.append({"when": when, "what": f"{what} projected", "workers": lanes, "wall_s": f"{projected:.2f}",
                         "note": f"critical path {max(seconds):.2f} s + client {client_side:.2f} s"})
        return rows
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small stand-in for the national preset")
    parser.add_argument("--skip-battery", action="store_true")
    parser.add_argument("--time-limit", type=float, help="seconds per scenario / per solve")
    parser.add_argument("--gap", type=float, default=1e-6, help="relative gap of each solve [1e-6]")
    args = parser.parse_args()
    when = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%MZ")
    settings = SolverSettings(time_limit=args.time_limit, gap=args.gap)
    rows = [] if args.skip_battery else battery(when, settings)
    rows += national(when, settings, args.quick)
    record(rows)


if __name__ == "__main__":
    main()
