"""Workshop screen latency on Kensei: what-if request → new plan on the page, beside a CLI run of the same what-if.

Starts `allocate serve kensei` on a free loopback port, waits until its first
plan is solved (server warm), then for each of 10 different what-ifs posts the
form the page posts, polls until the scenario is solved and fetches its page:
that span is the latency a room waits. Each what-if is also run as
`allocate kensei --quiet --KIND ARG` (a cold process, as a facilitator types it).
Goal (issue 12): median ≤ 1 s once the exact-column engine (issue 9) has landed.

Usage: python bench/serve_latency.py [--cli-runs N]
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

WHAT_IFS = [  # (form fields the page posts, the CLI's option and argument)
    ({"kind": "exclude", "municipality": "箱根町"}, ["--exclude", "箱根町"]),
    ({"kind": "exclude", "municipality": "真鶴町"}, ["--exclude", "真鶴町"]),
    ({"kind": "burden-cap", "amount": "1億"}, ["--burden-cap", "100000000"]),
    ({"kind": "burden-cap", "amount": "5000万"}, ["--burden-cap", "50000000"]),
    ({"kind": "forbid-method", "method": "association"}, ["--forbid-method", "association"]),
    ({"kind": "forbid-method", "method": "delegation"}, ["--forbid-method", "delegation"]),
    ({"kind": "max-arrangements", "count": "10"}, ["--max-arrangements", "10"]),
    ({"kind": "fee-ratio", "method": "delegation", "ratio": "0.7"}, ["--fee-ratio", "delegation=0.7"]),
    ({"kind": "keep-current"}, ["--keep-current"]),
    ({"kind": "merge", "first": "小田原市", "second": "南足柄市", "new": ""}, ["--merge", "小田原市+南足柄市"]),
]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def allocate() -> list[str]:
    found = shutil.which("allocate")
    return [found] if found else [sys.executable, "-c", "from kouiki.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def status(base: str, number: int) -> str:
    with urllib.request.urlopen(f"{base}/api/scenarios/{number}") as response:
        return json.load(response)["status"]


def until_done(base: str, number: int) -> str:
    while (found := status(base, number)) in ("pending", "running"):
        time.sleep(0.02)
    return found


def post(base: str, fields: dict) -> int:
    opener = urllib.request.build_opener(NoRedirect)
    data = urllib.parse.urlencode({**fields, "base": "0"}).encode()
    try:
        opener.open(urllib.request.Request(f"{base}/whatif", data=data))
    except urllib.error.HTTPError as answer:  # the 303 to the new scenario's page
        if answer.code != 303:
            raise
        return int(answer.headers["location"].split("s=")[1])
    raise RuntimeError("the server did not answer with the new scenario")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli-runs", type=int, default=len(WHAT_IFS), help="how many of the what-ifs to time on the CLI too")
    args = parser.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(allocate() + ["serve", "kensei", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    scratch = Path(tempfile.mkdtemp(prefix="kouiki-serve-bench-"))
    rows = []
    try:
        while True:
            try:
                until_done(base, 0)
                break
            except OSError:
                time.sleep(0.2)
        for i, (fields, cli) in enumerate(WHAT_IFS):
            started = time.perf_counter()
            number = post(base, fields)
            outcome = until_done(base, number)
            with urllib.request.urlopen(f"{base}/?s={number}") as page:
                page.read()
            screen = time.perf_counter() - started
            command = None
            if i < args.cli_runs:
                started = time.perf_counter()
                subprocess.run(allocate() + ["kensei", "--quiet", "--overwrite", "--out", str(scratch / "cli"), *cli],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                command = time.perf_counter() - started
            rows.append((" ".join(cli), outcome, screen, command))
            print(f"{' '.join(cli):40s} {outcome:11s} screen {screen:7.2f} s   cli {'' if command is None else f'{command:7.2f} s'}",
                  flush=True)
    finally:
        server.terminate()
        server.wait(30)
        shutil.rmtree(scratch, ignore_errors=True)
    screen = statistics.median(r[2] for r in rows)
    timed_cli = [r[3] for r in rows if r[3] is not None]
    print(f"median, {len(rows)} what-ifs: screen {screen:.2f} s (goal ≤ 1 s after issue 9)"
          + (f"; cli {statistics.median(timed_cli):.2f} s; ratio screen/cli {screen / statistics.median(timed_cli):.2f}"
             if timed_cli else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
