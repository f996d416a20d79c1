"""Scale benchmark: each stage of `allocate` timed apart, peak memory, and the bare solver beside it.

For each size it runs, in this one session and on this machine:
  1. kouiki end to end in a child process (load, legal choices + build, solve,
     evaluate, report timed apart; peak resident memory of the child);
  2. `allocate --write-model` to export the exact model as HiGHS receives it
     (its initial pooled-cost cuts; the cut loop's rows are kouiki's own work);
  3. bare HiGHS (highspy) on that MPS file with the same time limit and gap,
     in a child process (its wall time and peak memory).
The ratio kouiki / bare HiGHS is the speed claim; both include reading input.

Usage: python bench/run.py [--sizes kensei,prefecture,200x100x10,national] [--out bench/results.csv]
Writes bench/results.csv and prints a table. Instances are generated into bench/out/.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# size → (generator arguments or None for a bundled instance, time limit s, gap, target text)
SIZES = {
    "kensei": (None, 60, 1e-6, "proven optimal"),
    "prefecture": (["--preset", "prefecture"], 10, 1e-4, "gap ≤ 1e-4 in ≤ 10 s"),
    "200x100x10": (["--municipalities", "200", "--tasks", "100", "--hubs", "10"], 60, 1e-3, "gap ≤ 0.1 % in ≤ 60 s"),
    "national": (["--preset", "national"], 120, 1e-2, "gap ≤ 1 % in ≤ 120 s, ≤ 4 GB"),
}

KOUIKI_CHILD = r'''
import json, resource, sys, time
from pathlib import Path
started = time.perf_counter()
from kouiki.load import load
from kouiki.pipeline import optimise_by_parts
from kouiki.reports.write import Option, plan_files, write_folder
from kouiki.scenario import Scenario
from kouiki.solvers.highs import SolverSettings
imported = time.perf_counter()
path, limit, gap, out = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
instance = load(path)
loaded = time.perf_counter()
outcome = optimise_by_parts(instance, Scenario(), SolverSettings(time_limit=limit, gap=gap))
solved = time.perf_counter()
files = plan_files(instance, [Option(1, outcome.evaluation, "optimal", outcome.gap, None)])
write_folder(Path(out), files, overwrite=True)
reported = time.perf_counter()
t = outcome.timings
print(json.dumps({
    "import_s": imported - started, "load_s": loaded - imported,
    "build_s": t.get("legal", 0) + t.get("build", 0) + t.get("heuristic", 0), "root_s": t.get("root", 0), "solve_s": t.get("solve", 0),
    "evaluate_s": t.get("evaluate", 0), "report_s": reported - solved, "total_s": reported - started,
    "savings": outcome.evaluation.total_savings, "bound": outcome.bound, "gap": outcome.gap,
    "root_bound": outcome.root_bound,
    "root_gap": None if outcome.root_bound is None else (outcome.root_bound - outcome.evaluation.total_savings) / abs(outcome.root_bound),
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
'''

RAW_CHILD = r'''
import json, resource, sys, time
started = time.perf_counter()
import highspy
h = highspy.Highs()
h.setOptionValue("output_flag", False)
h.readModel(sys.argv[1])
h.setOptionValue("time_limit", float(sys.argv[2]))
h.setOptionValue("mip_rel_gap", float(sys.argv[3]))
h.run()
info = h.getInfo()
print(json.dumps({"total_s": time.perf_counter() - started, "status": str(h.getModelStatus()).split(".")[-1],
                  "objective": info.objective_function_value * 1e6, "bound": info.mip_dual_bound * 1e6,
                  "gap": info.mip_gap, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
'''


def child(code: str, *args: str, timeout: float) -> dict:
    try:
        done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"killed after {timeout:.0f} s"}
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1][:200]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def allocate() -> list[str]:
    return [sys.executable, "-m", "kouiki.cli"]


def instance_for(size: str, generator: list[str] | None) -> str:
    if generator is None:
        return size
    folder = HERE / "out" / size
    if not (folder / "instance.csv").exists():
        subprocess.run([*allocate(), "generate", str(folder), *generator, "--seed", "1"], check=True)
    return str(folder)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--out", default=str(HERE / "results.csv"))
    parser.add_argument("--no-raw", action="store_true", help="skip exporting the model and the bare HiGHS run")
    args = parser.parse_args()
    rows = []
    for size in args.sizes.split(","):
        generator, limit, gap, target = SIZES[size]
        path = instance_for(size, generator)
        ours = child(KOUIKI_CHILD, path, str(limit), str(gap), str(HERE / "out" / f"{size}-report"), timeout=limit * 3 + 300)
        raw: dict = {}
        if not args.no_raw:
            mps = HERE / "out" / f"{size}.mps"
            started = time.perf_counter()
            exported = subprocess.run([*allocate(), path, "--write-model", str(mps)], capture_output=True, text=True, timeout=1800)
            export_s = time.perf_counter() - started
            raw = child(RAW_CHILD, str(mps), str(limit), str(gap), timeout=limit * 3 + 120) if exported.returncode == 0 else {"error": "export failed"}
            raw["export_s"] = export_s
        row = {
            "size": size, "target": target, "time_limit_s": limit, "gap_asked": gap,
            **{f"kouiki_{k}": v for k, v in ours.items()},
            **{f"raw_{k}": v for k, v in raw.items()},
        }
        if "total_s" in ours and "total_s" in raw:
            row["ratio_kouiki_to_raw"] = ours["total_s"] / raw["total_s"]
        rows.append(row)
        print(f"{size}: {json.dumps(row, ensure_ascii=False)}", flush=True)
    columns = sorted({k for r in rows for k in r}, key=lambda k: (not k.startswith(("size", "target", "time", "gap")), k))
    with open(args.out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    print()
    header = ["size", "load", "build", "root", "solve", "eval", "report", "total", "peak MB", "root gap", "gap", "raw HiGHS", "raw gap", "raw MB", "ratio"]
    print("  ".join(f"{h:>10}" for h in header))
    for r in rows:
        def cell(key, fmt="{:.2f}"):
            value = r.get(key)
            return fmt.format(value) if isinstance(value, (int, float)) else str(value or "-")[:10]
        print("  ".join(f"{c:>10}" for c in [
            r["size"], cell("kouiki_load_s"), cell("kouiki_build_s"), cell("kouiki_root_s"), cell("kouiki_solve_s"), cell("kouiki_evaluate_s"),
            cell("kouiki_report_s"), cell("kouiki_total_s"), cell("kouiki_peak_mb", "{:.0f}"), cell("kouiki_root_gap", "{:.1e}"), cell("kouiki_gap", "{:.1e}"),
            cell("raw_total_s"), cell("raw_gap", "{:.1e}"), cell("raw_peak_mb", "{:.0f}"), cell("ratio_kouiki_to_raw"),
        ]))
        if "kouiki_error" in r or "raw_error" in r:
            print(f"{'':>10}  {r.get('kouiki_error', '')} {r.get('raw_error', '')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
