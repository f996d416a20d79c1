"""Solve a built model with HiGHS through Pyomo's in-memory persistent interface.

A `Session` keeps the model loaded in HiGHS, so that activating a burden cap
(pipeline's row generation) or adding a cut re-solves without handing the
whole model over again.
"""

from __future__ import annotations

import math
import signal
import threading
import time
from dataclasses import dataclass

import highspy
import numpy
from pyomo.contrib.solver.common.results import TerminationCondition
from pyomo.contrib.solver.solvers.highs import Highs

from kouiki.model.build import MONEY_UNIT, Built
from kouiki.model.evaluate import Arrangement


@dataclass(frozen=True)
class SolverSettings:
    time_limit: float | None = None
    gap: float = 1e-6
    threads: int | None = None
    seed: int | None = None
    log: bool = False


@dataclass(frozen=True)
class SolverFacts:
    """What HiGHS said: status, incumbent and bound (yen), and its own gap."""

    status: str  # optimal / time_limit / infeasible / error / …
    has_plan: bool
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float


GRACE_SECONDS = 1.0  # how long past --time-limit HiGHS may take to stop by itself

STATUS = {
    TerminationCondition.convergenceCriteriaSatisfied: "optimal",
    TerminationCondition.maxTimeLimit: "time_limit",
    TerminationCondition.provenInfeasible: "infeasible",
    TerminationCondition.infeasibleOrUnbounded: "infeasible",
    TerminationCondition.interrupted: "interrupted",
}


class Session:
    """One model kept in HiGHS across solves."""

    def __init__(self, built: Built):
        self.built = built
        self.solver = Highs()

    def _cancel(self) -> None:
        highs = getattr(self.solver, "_solver_model", None)
        if highs is not None:
            self.cancelled = True
            highs.cancelSolve()

    def give_start(self, values: list) -> bool:
        """Hand HiGHS a starting solution (variable → value); False if the interface would not take it."""
        model = self.built.model
        if getattr(self.solver, "_model", None) is not model:
            self.solver.set_instance(model)
        columns = getattr(self.solver, "_pyomo_var_to_solver_var_map", None)
        highs = getattr(self.solver, "_solver_model", None)
        if columns is None or highs is None:
            return False
        pairs = sorted((columns[id(var)], value) for var, value in values if id(var) in columns)
        if not pairs:
            return False
        index = numpy.array([c for c, _ in pairs], dtype=numpy.int32)
        value = numpy.array([v for _, v in pairs], dtype=numpy.float64)
        return highs.setSolution(len(pairs), index, value) == highspy.HighsStatus.kOk

    def relaxation_bound(self, seconds: float = 30.0) -> float | None:
        """The LP relaxation's optimum (yen): a true bound when HiGHS stopped before having one.

        Integrality is lifted on the kept HiGHS model for one LP solve and put back.
        """
        highs = getattr(self.solver, "_solver_model", None)
        if highs is None:
            return None
        lp = highs.getLp()
        integrality = list(lp.integrality_)
        n = lp.num_col_
        if not integrality or n == 0:
            return None
        index = numpy.arange(n, dtype=numpy.int32)
        try:
            highs.changeColsIntegrality(n, index, numpy.array([highspy.HighsVarType.kContinuous] * n))
            highs.setOptionValue("time_limit", float(seconds))
            highs.run()
            ok = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
            value = highs.getInfo().objective_function_value * MONEY_UNIT if ok else None
        finally:
            highs.changeColsIntegrality(n, index, numpy.array(integrality))
        return value if value is not None and math.isfinite(value) else None

    def solve(self, settings: SolverSettings, presolve: bool = True) -> tuple[list[Arrangement], SolverFacts]:
        """Run HiGHS on the model as it stands now; read back the chosen arrangements."""
        model = self.built.model
        config = {
            "load_solutions": False,
            "raise_exception_on_nonoptimal_result": False,
            "rel_gap": settings.gap,
            "solver_options": {"output_flag": settings.log, "mip_feasibility_tolerance": 1e-7, "presolve": "on" if presolve else "off"},
        }
        if settings.time_limit is not None:
            config["time_limit"] = max(settings.time_limit, 0.01)
        if settings.threads is not None:
            config["threads"] = settings.threads
        if settings.seed is not None:
            config["solver_options"]["random_seed"] = settings.seed
        started = time.perf_counter()
        # Our own clock: HiGHS has been seen to overrun time_limit inside presolve
        # and the root LP; a watchdog cancels the solve a little after the limit.
        watchdog = None
        self.cancelled = False
        if settings.time_limit is not None:
            watchdog = threading.Timer(settings.time_limit + GRACE_SECONDS, self._cancel)
            watchdog.daemon = True
            watchdog.start()
        # Ctrl-C: highspy runs Python's signal handler inside its own callback and
        # swallows the KeyboardInterrupt, so we note it ourselves, cancel the
        # solve, and raise once HiGHS has returned.
        self.interrupted = False
        previous = None
        if threading.current_thread() is threading.main_thread():
            def on_interrupt(signum, frame):
                self.interrupted = True
                self._cancel()

            previous = signal.signal(signal.SIGINT, on_interrupt)
        if settings.threads is not None:
            # HiGHS sizes one thread pool per process at its first solve
            highspy.Highs.resetThreadScheduler(True)
        try:
            results = self.solver.solve(model, **config)
        finally:
            if watchdog is not None:
                watchdog.cancel()
            if previous is not None:
                signal.signal(signal.SIGINT, previous)
        seconds = time.perf_counter() - started
        status = STATUS.get(results.termination_condition, results.termination_condition.name)
        if self.interrupted or (status == "interrupted" and not self.cancelled):
            raise KeyboardInterrupt
        if self.cancelled:
            status = "time_limit"
        has_plan = results.incumbent_objective is not None
        plan: list[Arrangement] = []
        if has_plan:
            results.solution_loader.load_vars()
            for key in model.A:
                if model.x[key].value is not None and model.x[key].value > 0.5:
                    members = [j for j in self.built.candidates[key].members if (model.y[(*key, j)].value or 0) > 0.5]
                    plan.append(Arrangement.of(*key, members))
        objective = results.incumbent_objective * MONEY_UNIT if has_plan else None
        bound = results.objective_bound
        # before HiGHS has any bound it reports ±inf: no bound is known then
        bound = bound * MONEY_UNIT if bound is not None and math.isfinite(bound) else None
        gap = None
        if objective is not None and bound is not None:
            gap = abs(bound - objective) / max(abs(bound), 1.0)
        return plan, SolverFacts(status, has_plan, objective, bound, gap, seconds)


def solve(built: Built, settings: SolverSettings) -> tuple[list[Arrangement], SolverFacts]:
    """Solve once (a fresh session)."""
    return Session(built).solve(settings)
