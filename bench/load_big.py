"""Loading and checking a 100,000-row instance, against the import floor, alternated in one run.

The hostile-input test (tests/test_hostile.py) checks that such an instance
loads and passes --check; how long that takes is measured here, never in a
test: 1,000 tasks × 100 municipalities, written once into a scratch folder.

Usage: python bench/load_big.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from big_instance import write_big_instance  # noqa: E402
from startup import timed  # noqa: E402  (one child process, timed by this one's clock)

FLOOR = [sys.executable, "-c", "import pandas, click"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kouiki-big-") as scratch:
        folder = write_big_instance(Path(scratch) / "big")
        load = [sys.executable, "-c", f"from kouiki.load import load; load({str(folder)!r})"]
        check = [sys.executable, "-c", "from kouiki.cli import main; main()", str(folder), "--check"]
        times: dict[str, list[float]] = {"floor": [], "load": [], "check": []}
        for _ in range(args.repeat):
            for name, command in (("floor", FLOOR), ("load", load), ("check", check)):
                times[name].append(timed(command))
    floor = statistics.median(times["floor"])
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:6s} median {median:6.2f} s  ({median / floor:5.2f} × floor)  runs: "
              + " ".join(f"{v:.2f}" for v in values))
    return 0


if __name__ == "__main__":
    sys.exit(main())
