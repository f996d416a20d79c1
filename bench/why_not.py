"""`allocate kensei --why-not` against a plain `allocate kensei`, alternated in one run (issue 14).

Each round runs the plain command and the --why-not command once each, in
child processes, one after the other (the order swaps every round, so a busy
machine weighs on both alike). The goal: the median --why-not run within
3 × the median plain run.

Usage: python bench/why_not.py [--rounds 5] [--instance kensei]
Prints each round and the medians with their ratio.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL = 3.0


def timed(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from kouiki.cli import main; main()", *args], check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--instance", default="kensei")
    args = parser.parse_args()
    plain, why = [], []
    with tempfile.TemporaryDirectory() as folder:
        runs = {
            "plain": [args.instance, "--quiet", "--overwrite", "--out", str(Path(folder) / "plain")],
            "why_not": [args.instance, "--quiet", "--overwrite", "--why-not", "--out", str(Path(folder) / "why")],
        }
        for round_ in range(args.rounds):
            order = ("plain", "why_not") if round_ % 2 == 0 else ("why_not", "plain")
            seconds = {name: timed(runs[name]) for name in order}
            plain.append(seconds["plain"])
            why.append(seconds["why_not"])
            print(f"round {round_ + 1}: plain {seconds['plain']:.1f} s, --why-not {seconds['why_not']:.1f} s", flush=True)
    a, b = statistics.median(plain), statistics.median(why)
    print(f"median plain {a:.1f} s, median --why-not {b:.1f} s: ratio {b / a:.2f} (goal ≤ {GOAL:g})")
    return 0 if b <= GOAL * a else 1


if __name__ == "__main__":
    sys.exit(main())
