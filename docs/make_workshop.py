"""Regenerate docs/workshop.md from the tool's real output, so the walk-through never drifts.

    python docs/make_workshop.py            # runs every step (a few minutes), rewrites docs/workshop.md
    python docs/make_workshop.py --check    # exit 1 if docs/workshop.md differs from a fresh run

Each step runs `allocate` on the bundled Kensei region exactly as a facilitator types it
(in a scratch folder, `--out` a folder of its own) and pastes stdout and stderr unedited,
except that progress lines (which carry the seconds a run took) and the scratch folder's
name are normalised, so two runs on different machines give the same page.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PAGE = Path(__file__).with_name("workshop.md")

INTRO = """# A policy workshop on the Kensei region, step by step

A script for a facilitator running a 広域連携 workshop with `allocate` on the bundled
Kensei region (小田原市, 南足柄市 and eight towns). Every block below is the tool's own
terminal output, pasted by `docs/make_workshop.py` (run it again after any change to
the tool; `--check` tells whether this page is still true). Progress lines, which carry
the seconds a run took, are shown as `… 計算中`; report folders as `<out>`. The figures
are partly public and partly assumptions (`docs/assumptions.md`): say so before anyone
quotes one. Add `--lang en` for English; the CSV files are the same in both languages.
"""

# (heading, what the room learns, the arguments after `allocate`)
STEPS = [
    ("1. The status quo and the best plan",
     "Option 0 is what is in force today, evaluated by the same formulas; option 1 is the best plan "
     "under the default cap of 0 (no hub pays more than before). Each municipality's bottom line "
     "closes the plan; a negative net burden is shown as a gain.",
     ["kensei"]),
    ("2. What a hub's willingness to carry a burden is worth",
     "A cap of 1億円 a year for every hub; amounts are typed as the room says them.",
     ["kensei", "--burden-cap", "1億"]),
    ("3. The trade-off curve",
     "Without N the sweep puts its points where the plan changes.",
     ["kensei", "--sweep", "burden-cap=0:2億", "--plots"]),
    ("4. The merger",
     "After a merger the parties differ, so the regional cost is printed beside the savings.",
     ["kensei", "--merge", "小田原市+南足柄市=小田原南足柄市"]),
    ("5. Three options to discuss",
     "Option 1 in full, the others side by side with what each changes against option 1.",
     ["kensei", "--options", "3", "--min-difference", "2"]),
    ("6. When there is no plan",
     "A what-if set that no plan satisfies is explained with the what-ifs and rules that conflict.",
     ["kensei", "--burden-cap", "-5億"]),
    ("7. Checking an instance before the workshop",
     "",
     ["kensei", "--check"]),
]

PROGRESS = re.compile(r"^… +[\d.]+ (秒|s) +.*$", re.MULTILINE)


def command() -> list[str]:
    found = shutil.which("allocate")
    return [found] if found else [sys.executable, "-m", "kouiki.cli"]


def run_step(arguments: list[str], scratch: Path, number: int) -> tuple[str, int]:
    out = scratch / f"ws-{number}"
    args = arguments if "--check" in arguments else arguments + ["--out", str(out)]
    done = subprocess.run(command() + args, capture_output=True, text=True, encoding="utf-8", cwd=scratch,
                          env=dict(os.environ, PYTHONIOENCODING="utf-8"))
    text = (done.stdout + done.stderr).replace(str(out), "<out>").replace(str(scratch), "<scratch>")
    text = PROGRESS.sub("… 計算中", text)
    text = re.sub(r"(… 計算中\n)+", "… 計算中\n", text)
    return text.rstrip("\n"), done.returncode


def page() -> str:
    parts = [INTRO]
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        for number, (heading, words, arguments) in enumerate(STEPS, start=1):
            output, code = run_step(arguments, scratch, number)
            parts.append(f"## {heading}\n")
            if words:
                parts.append(words + "\n")
            typed = " ".join(arguments) + ("" if "--check" in arguments else " --out <out>")
            parts.append(f"```text\n$ allocate {typed}\n{output}\n```\n")
            parts.append(f"Exit code {code}.\n")
    return "\n".join(parts)


def main() -> int:
    fresh = page()
    if "--check" in sys.argv[1:]:
        same = PAGE.exists() and PAGE.read_text(encoding="utf-8") == fresh
        print("docs/workshop.md is up to date" if same else "docs/workshop.md differs from the tool's output: run docs/make_workshop.py")
        return 0 if same else 1
    PAGE.write_text(fresh, encoding="utf-8")
    print(f"wrote {PAGE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
