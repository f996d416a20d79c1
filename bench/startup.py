"""How long `allocate` takes against the floor of its own stack, measured side by side.

Runs each command alternately (so a busy machine slows all of them alike),
prints the medians and the ratios the foundation issue sets as goals:
  allocate kensei       ≤ 1.5 × python -c "import pyomo.environ, highspy, pandas, click"
  allocate --help       ≤ 0.3 s
  allocate kensei --check ≤ python -c "import pandas" + 0.3 s

Usage: python bench/startup.py [--repeat N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def command_for_allocate() -> list[str]:
    found = shutil.which("allocate")
    return [found] if found else [sys.executable, "-m", "kouiki.cli"]


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=11)
    args = parser.parse_args()
    allocate = command_for_allocate()
    scratch = Path(tempfile.mkdtemp(prefix="kouiki-bench-"))
    commands = {
        "floor: import pyomo.environ, highspy, pandas, click": [sys.executable, "-c", "import pyomo.environ, highspy, pandas, click"],
        "floor: import pandas": [sys.executable, "-c", "import pandas"],
        "allocate kensei": None,  # a fresh --out each time
        "allocate --help": allocate + ["--help"],
        "allocate kensei --check": allocate + ["kensei", "--check"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(args.repeat):
        for name, command in commands.items():
            if command is None:
                command = allocate + ["kensei", "--quiet", "--out", str(scratch / f"run{round_}")]
            times[name].append(timed(command))
    shutil.rmtree(scratch, ignore_errors=True)
    median = {name: statistics.median(values) for name, values in times.items()}
    width = max(len(n) for n in median)
    print(f"{'command':<{width}}  median s  (of {args.repeat}, alternated)")
    for name, value in median.items():
        print(f"{name:<{width}}  {value:8.3f}")
    floor = median["floor: import pyomo.environ, highspy, pandas, click"]
    goals = [
        ("allocate kensei / stack floor", median["allocate kensei"] / floor, "≤ 1.5", median["allocate kensei"] <= 1.5 * floor),
        ("allocate --help (s)", median["allocate --help"], "≤ 0.3", median["allocate --help"] <= 0.3),
        ("allocate --check − import pandas (s)", median["allocate kensei --check"] - median["floor: import pandas"], "≤ 0.3",
         median["allocate kensei --check"] - median["floor: import pandas"] <= 0.3),
    ]
    print()
    for name, value, goal, met in goals:
        print(f"{name:<{width}}  {value:8.3f}  goal {goal}: {'met' if met else 'NOT met'}")
    return 0 if all(met for *_, met in goals) else 1


if __name__ == "__main__":
    sys.exit(main())
