"""HiGHS on the exact model's arrays (model/matrix.py), kept loaded between solves.

One `Session` holds one model in HiGHS: the pooled-cost cut loop, option
cuts and savings floors add rows to it and re-solve without handing the
model over again. Every solve keeps to the run's deadline: HiGHS's own
time limit is what is left, and a watchdog cancels it at the deadline should
it overrun (it has been seen to inside presolve and the root LP).
"""

from __future__ import annotations

import math
import os
import signal
import threading
from dataclasses import dataclass

import highspy
import numpy

from kouiki.deadline import Deadline
from kouiki.model.matrix import MONEY_UNIT, Exact

GRACE_SECONDS = 1.0  # how long past the deadline HiGHS may take to stop by itself


@dataclass(frozen=True)
class SolverSettings:
    time_limit: float | None = None
    gap: float = 1e-6
    threads: int | None = None
    seed: int | None = None
    log: bool = False
    node_limit: int | None = None  # branch-and-bound nodes at most (a count: the same on any machine)


@dataclass(frozen=True)
class SolverFacts:
    """What HiGHS said: status, incumbent and bound (yen), and its own gap."""

    status: str  # optimal / time_limit / infeasible / error / …
    has_plan: bool
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float


_quiet = threading.Lock()
_banner_shown = False


def _new_highs() -> highspy.Highs:
    """A Highs object; its first construction prints a banner on stdout, which users should not see."""
    global _banner_shown
    with _quiet:
        if _banner_shown:
            return highspy.Highs()
        _banner_shown = True
        try:
            out = os.dup(1)
        except OSError:
            return highspy.Highs()
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), 1)
                return highspy.Highs()
        finally:
            os.dup2(out, 1)
            os.close(out)


MODEL_STATUS = {
    highspy.HighsModelStatus.kOptimal: "optimal",
    highspy.HighsModelStatus.kInfeasible: "infeasible",
    highspy.HighsModelStatus.kUnboundedOrInfeasible: "infeasible",
    highspy.HighsModelStatus.kTimeLimit: "time_limit",
    highspy.HighsModelStatus.kInterrupt: "interrupted",
    highspy.HighsModelStatus.kSolutionLimit: "time_limit",
    highspy.HighsModelStatus.kIterationLimit: "time_limit",
}


class Session:
    """One exact model kept in HiGHS across solves."""

    def __init__(self, exact: Exact, settings: SolverSettings):
        self.exact = exact
        self.settings = settings
        self.highs = _new_highs()
        h = self.highs
        h.setOptionValue("output_flag", bool(settings.log))
        # HiGHS asks its interrupt callbacks whether to stop, often; we answer
        # with our own flag (highspy's cancelSolve() flag outlives the solve)
        self.stop_requested = False
        for callback in (h.cbSimplexInterrupt, h.cbIpmInterrupt, h.cbMipInterrupt):
            callback.subscribe(self._interrupt_check)
        self.on_improving = None  # solve_mip's watcher of each improving solution
        self.incumbent: list[float] | None = None  # the last improving solution HiGHS reported in this solve
        self.start: list[float] | None = None  # the starting solution HiGHS was given
        self.watcher_failed: Exception | None = None
        h.cbMipImprovingSolution.subscribe(self._improving)
        # HiGHS's presolve and its RINS/RENS sub-MIPs cost more than they save
        # on these small models (measured: bench/engine.py).
        # ... except where what-ifs fix arrangements in force: presolve then
        # removes what they decide (Kensei --keep-current: 26 s against 120+ s).
        h.setOptionValue("presolve", "on" if exact.scenario.keep_current else "off")
        h.setOptionValue("mip_heuristic_run_rins", False)
        h.setOptionValue("mip_heuristic_run_rens", False)
        h.setOptionValue("mip_feasibility_tolerance", 1e-7)
        if settings.seed is not None:
            h.setOptionValue("random_seed", int(settings.seed))
        if settings.node_limit is not None:
            h.setOptionValue("mip_max_nodes", int(settings.node_limit))
        if settings.threads is not None:
            # HiGHS sizes one thread pool per process at its first solve
            highspy.Highs.resetThreadScheduler(True)
            h.setOptionValue("threads", int(settings.threads))
        mx = exact.matrix
        n = len(mx.names)
        h.addCols(n, numpy.array(mx.cost, dtype=float), numpy.array(mx.lower, dtype=float),
                  numpy.array(mx.upper, dtype=float), 0, numpy.array([], dtype=numpy.int32),
                  numpy.array([], dtype=numpy.int32), numpy.array([], dtype=float))
        self.integer = numpy.array([highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
                                    for i in mx.integer])
        self.columns = numpy.arange(n, dtype=numpy.int32)
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self._add(mx.rows)
        self.cancelled = False
        self.interrupted = False

    # ------------------------------------------------------------------ rows
    def _add(self, rows) -> None:
        if not rows:
            return
        starts, index, values, lower, upper = [], [], [], [], []
        for columns, coefficients, lo, up in rows:
            starts.append(len(index))
            index.extend(columns)
            values.extend(coefficients)
            lower.append(lo)
            upper.append(up)
        self.highs.addRows(len(rows), numpy.array(lower, dtype=float), numpy.array(upper, dtype=float), len(index),
                           numpy.array(starts, dtype=numpy.int32), numpy.array(index, dtype=numpy.int32),
                           numpy.array(values, dtype=float))

    def add_rows(self, rows: list[tuple[tuple, dict[int, float], float, float]]) -> None:
        """(name, terms, lower, upper) rows: into the kept model and into the matrix of record."""
        mx = self.exact.matrix
        added = []
        for name, terms, lower, upper in rows:
            mx.add_row(name, terms, lower, upper)
            added.append(mx.rows[-1])
        self._add(added)

    # ------------------------------------------------------------------ solving
    def _cancel(self) -> None:
        self.cancelled = True
        self.stop_requested = True

    def _interrupt_check(self, event) -> None:
        event.interrupt(self.stop_requested)

    def _run(self, deadline: Deadline) -> float:
        """Run HiGHS once within the deadline; Ctrl-C inside it is raised once it has stopped.

        HiGHS runs in a thread of its own while this one waits in short steps,
        so that Python's signal handlers run (they only run between bytecodes
        of the main thread) and the deadline is watched by our own clock.
        """
        h = self.highs
        left = deadline.remaining()
        h.setOptionValue("time_limit", float(max(left, 0.01)) if left is not None else float("inf"))
        self.cancelled = False
        self.interrupted = False
        self.stop_requested = False
        previous = None
        if threading.current_thread() is threading.main_thread():
            def on_interrupt(signum, frame):
                self.interrupted = True
                self._cancel()

            previous = signal.signal(signal.SIGINT, on_interrupt)
        started = deadline.clock()
        failure: list[BaseException] = []

        def run():
            try:
                h.run()
            except BaseException as error:  # handed to the waiting thread
                failure.append(error)

        worker = threading.Thread(target=run, name="highs", daemon=True)
        try:
            worker.start()
            while worker.is_alive():
                worker.join(0.05)
                if not self.cancelled and left is not None and deadline.clock() - started > left + GRACE_SECONDS:
                    self._cancel()  # HiGHS overran its own limit: our clock stops it
        finally:
            if worker.is_alive():
                self._cancel()
                worker.join()
            if previous is not None:
                signal.signal(signal.SIGINT, previous)
        if self.interrupted:
            raise KeyboardInterrupt
        if failure:
            raise failure[0]
        return deadline.clock() - started

    def _status(self) -> str:
        status = MODEL_STATUS.get(self.highs.getModelStatus(), "error")
        if status == "interrupted" or self.cancelled:
            return "time_limit"
        return status

    def solve_lp(self, deadline: Deadline) -> tuple[str, list[float] | None, float | None]:
        """The LP relaxation of the model as it stands: status, column values, objective (money units)."""
        h = self.highs
        n = len(self.columns)
        h.changeColsIntegrality(n, self.columns, numpy.array([highspy.HighsVarType.kContinuous] * n))
        try:
            self._run(deadline)
            status = self._status()  # read before integrality comes back: that resets the status
            if status != "optimal":
                return status, None, None
            return status, list(h.getSolution().col_value), h.getInfo().objective_function_value
        finally:
            h.changeColsIntegrality(n, self.columns, self.integer)

    def give_start(self, values: dict[int, float]) -> None:
        self.start = [values.get(i, 0.0) for i in range(len(self.columns))]
        index = numpy.array(sorted(values), dtype=numpy.int32)
        self.highs.setSolution(len(index), index, numpy.array([values[i] for i in index], dtype=float))

    def _improving(self, event) -> None:
        """HiGHS found a better solution: show it to the watcher (in HiGHS's thread; a failure there is kept)."""
        self.incumbent = list(event.data_out.mip_solution)
        if self.on_improving is not None:
            try:
                self.on_improving(self.incumbent)
            except Exception as error:  # raised again once HiGHS has returned
                self.watcher_failed = error

    def solve_mip(self, deadline: Deadline, gap: float, on_improving=None) -> tuple[SolverFacts, list[float] | None]:
        """Branch and bound on the model as it stands; the facts in yen and the best solution's values.

        `on_improving(values)` sees each improving solution as HiGHS finds it.
        """
        h = self.highs
        h.setOptionValue("mip_rel_gap", float(gap))
        self.on_improving, self.watcher_failed, self.incumbent = on_improving, None, None
        try:
            seconds = self._run(deadline)
        finally:
            self.on_improving = None
        if self.watcher_failed is not None:
            raise self.watcher_failed
        info = h.getInfo()
        status = self._status()
        has_plan = info.primal_solution_status == 2  # kSolutionStatusFeasible
        objective = info.objective_function_value * MONEY_UNIT if has_plan else None
        bound = info.mip_dual_bound
        bound = bound * MONEY_UNIT if bound is not None and math.isfinite(bound) else None
        if status == "optimal" and bound is None and objective is not None:
            bound = objective
        found_gap = None
        if objective is not None and bound is not None:
            found_gap = abs(bound - objective) / max(abs(bound), 1.0)
        # HiGHS stopped in the middle of its tree may hand back a node's LP
        # values as its solution: the incumbent is the last improving solution
        # it reported, or the start it was given when it found none better.
        # Proven optimal, its own solution comes first; but it has been seen
        # (national preset, a group proven at its start) to hand back a
        # fractional one then, and the start it proved optimal is the plan.
        values = None
        if has_plan:
            solution = list(h.getSolution().col_value)
            found = [self.incumbent] if self.incumbent is not None else (
                [solution, self.start] if status == "optimal" else [self.start, solution])
            values = next((v for v in found if v is not None and self._integral(v)), None)
        self.start = None  # a start is for one solve: rows added later may cut it off
        if values is None:
            has_plan, objective, found_gap = False, None, None
        return SolverFacts(status, has_plan, objective, bound, found_gap, seconds), values

    def _integral(self, values) -> bool:
        return not any(integer and abs(v - round(v)) > 1e-5 for v, integer in zip(values, self.exact.matrix.integer))

    def write(self, path: str) -> str:
        """The model as HiGHS holds it, with the SPEC's names, in MPS or LP (by the file's ending)."""
        mx = self.exact.matrix
        for i, name in enumerate(mx.names):
            self.highs.passColName(i, _name(name, i))
        for i, name in enumerate(mx.row_names):
            self.highs.passRowName(i, _name(name, i))
        return str(self.highs.writeModel(str(path)))


def _name(parts: tuple, number: int) -> str:
    """An MPS-safe name: the family, then a number (ids may hold spaces and any script)."""
    return f"{parts[0]}_{number}"
