"""Ctrl-C and SIGTERM at every stage of a run (issue 10): exit 130, one line, no report folder.

Each run is `allocate` as a user starts it, with one stage's function wrapped to
say "STAGE REACHED" on stderr and then wait there; the test sends the signal
only once the run is in that stage, so nothing depends on how fast the machine
is. Every run inherits SIGINT as *ignored*, as a job started in the background
of a script does: that is how Ctrl-C used to be lost before the solve.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import small_region

from kouiki.generate import generate

# STAGE names the function to hold; HOLD_SECONDS is how long it waits there (the
# signal should end the run long before). "highs" does not hold: HiGHS runs;
# "before_highs" holds in Python just before HiGHS starts.
LAUNCHER = r"""
import os, sys, time
stage, hold = os.environ["STAGE"], float(os.environ.get("HOLD_SECONDS", "600"))

def reached():
    print("STAGE REACHED", file=sys.stderr, flush=True)

def holding(module, name, wait=True):
    original = getattr(module, name)
    done = []
    def wrapper(*args, **kwargs):
        if not done:
            done.append(True)
            reached()
            # short steps, as running code would take: a signal that the kernel hands to
            # one of HiGHS's threads wakes no long sleep of the main thread
            for _ in range(int(hold / 0.01) if wait else 0):
                time.sleep(0.01)
        return original(*args, **kwargs)
    setattr(module, name, wrapper)

if stage == "loading":
    import kouiki.load as target
    holding(target, "parse_table")
elif stage == "legal":
    import kouiki.model.legal as target
    holding(target, "l9_member_not_worse_off")
elif stage == "build":  # the engine's model builder, by either of its names
    import kouiki.pipeline as target
    holding(target, "exact_model" if hasattr(target, "exact_model") else "build_model")
elif stage in ("highs", "before_highs"):
    import kouiki.solvers.highs as target
    holding(target.Session, "solve_mip", wait=stage == "before_highs")
elif stage == "options":
    import kouiki.pipeline as target
    holding(target.Planner, "differ_from")
elif stage == "writing":
    import kouiki.reports.write as target
    holding(target.os, "replace")
from kouiki.cli import main
main(sys.argv[1:])
"""


def ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def stopped(instance: Path, out: Path, stage: str, sent: int = signal.SIGINT, extra: tuple = (),
            after: float = 0.0) -> tuple[int, str]:
    """Start allocate, wait until it reaches `stage` (then `after` s more), send `sent`.

    Returns (exit code, stderr). How fast the run stops is not measured here: a run
    that ignored the signal would wait out its stage (HOLD_SECONDS) and finish its
    solve, and could never exit 130.
    """
    env = dict(os.environ, STAGE=stage, PYTHONUNBUFFERED="1")
    process = subprocess.Popen([sys.executable, "-c", LAUNCHER, str(instance), "--out", str(out), *extra],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True,
                               preexec_fn=ignore_sigint)
    try:
        reached = threading.Event()
        lines: list[str] = []

        def read_stderr():
            for line in process.stderr:
                lines.append(line)
                if "STAGE REACHED" in line:
                    reached.set()

        reader = threading.Thread(target=read_stderr, daemon=True)
        reader.start()
        # generous: a busy machine may take long to import Pyomo and load
        assert reached.wait(120), f"the run never reached {stage}: " + "".join(lines)
        time.sleep(after)
        assert process.poll() is None, f"the run ended before the signal: {''.join(lines)}"
        process.send_signal(sent)
        try:
            code = process.wait(timeout=900)  # only so that a hung run cannot hang the suite
        except subprocess.TimeoutExpired:
            pytest.fail(f"still running long after the signal: {''.join(lines)}")
        reader.join(5)
        return code, "".join(lines)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> Path:
    """40 municipalities × 30 tasks × 4 hubs: HiGHS needs about a minute to prove the optimum."""
    folder = tmp_path_factory.mktemp("large") / "region"
    generate(folder, municipalities=40, tasks=30, hubs=4, seed=2)
    return folder


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    """A city and two towns: solved at once, so a run soon reaches its options and its reports."""
    return small_region(tmp_path_factory.mktemp("small") / "region", in_force=False)


def assert_stopped_cleanly(code: int, stderr: str, out: Path) -> None:
    assert code == 130, f"exit {code}; folder written: {out.exists()}; {stderr}"
    assert not out.exists(), "a report folder was written after the interrupt"
    assert list(out.parent.glob(f".{out.name}.partial-*")) == [], "a staging folder was left"
    assert "Traceback" not in stderr, stderr
    message = [line for line in stderr.splitlines() if line and "STAGE REACHED" not in line and not line.startswith("…")]
    assert len(message) == 1 and "中断" in message[0], stderr


@pytest.mark.parametrize("stage", ["loading", "legal", "build", "before_highs"])
def test_ctrl_c_before_the_solve_exits_130_and_writes_nothing(large, tmp_path, stage):
    out = tmp_path / "report"
    assert_stopped_cleanly(*stopped(large, out, stage), out)


def test_ctrl_c_inside_highs_exits_130_and_writes_nothing(large, tmp_path):
    out = tmp_path / "report"
    assert_stopped_cleanly(*stopped(large, out, "highs", after=1.0), out)


def test_ctrl_c_between_two_options_exits_130_and_writes_nothing(small, tmp_path):
    out = tmp_path / "report"
    assert_stopped_cleanly(*stopped(small, out, "options", extra=("--options", "2", "--ranked")), out)


def test_ctrl_c_while_the_reports_are_written_leaves_no_folder_and_no_staging(small, tmp_path):
    out = tmp_path / "report"
    assert_stopped_cleanly(*stopped(small, out, "writing"), out)


@pytest.mark.parametrize("stage", ["legal", "highs", "writing"])
def test_sigterm_is_an_interrupt_too(large, small, tmp_path, stage):
    out = tmp_path / "report"
    instance = small if stage == "writing" else large
    assert_stopped_cleanly(*stopped(instance, out, stage, sent=signal.SIGTERM, after=1.0 if stage == "highs" else 0.0), out)


def test_an_interrupt_a_library_swallowed_still_never_exits_0(small, tmp_path):
    """A KeyboardInterrupt caught somewhere on the way: the run must still end 130 with no folder."""
    from click.testing import CliRunner

    from kouiki import interrupts
    from kouiki.cli import allocate
    from kouiki.model import legal

    original = legal.l9_member_not_worse_off
    swallowed = []

    def pressed_and_swallowed(*args, **kwargs):
        if not swallowed:
            swallowed.append(True)
            try:
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(1)  # the handler runs here and raises …
            except KeyboardInterrupt:
                pass  # … and a careless library swallows it
        return original(*args, **kwargs)

    out = tmp_path / "report"
    legal.l9_member_not_worse_off = pressed_and_swallowed
    try:
        result = CliRunner().invoke(allocate, [str(small), "--out", str(out), "--quiet"])
    finally:
        legal.l9_member_not_worse_off = original
    assert swallowed
    assert result.exit_code == interrupts.EXIT_CODE, result.output
    assert not out.exists()
    assert signal.getsignal(signal.SIGINT) is not interrupts._on_signal, "the handler outlived the run"


def test_sigterm_goes_to_the_handler_that_holds_sigint_while_highs_runs():
    """The HiGHS session holds SIGINT to cancel the solve; a SIGTERM must reach it the same way."""
    from kouiki import interrupts

    calls = []
    with interrupts.caught():
        held = signal.signal(signal.SIGINT, lambda signum, frame: calls.append(signum))
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            for _ in range(100):
                if calls:
                    break
                time.sleep(0.01)
        finally:
            signal.signal(signal.SIGINT, held)
        assert calls == [signal.SIGINT]
        assert interrupts.received()
        with pytest.raises(KeyboardInterrupt):
            interrupts.check()
    assert signal.getsignal(signal.SIGTERM) is not interrupts._on_signal
