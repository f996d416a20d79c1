"""What one run was asked for, built once by the command line (or a screen, or a battery).

`run.compute` and `run.run` take a `RunRequest` instead of a dozen keywords, and
run.json records `request.options()`, so the two can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from kouiki.scenario import Scenario


@dataclass(frozen=True)
class RunRequest:
    path: str  # the instance as the user named it
    what_ifs: tuple = ()  # kouiki.whatif.WhatIf, in the order given
    # solver settings
    objective: str = "savings"
    time_limit: float | None = None  # seconds for the whole run; the Deadline made at the start holds it
    gap: float = 1e-6
    threads: int | None = None
    seed: int | None = None
    verify: bool = False
    # options and sweeps
    n_options: int = 1
    min_difference: int = 1
    slack: float | None = None
    sweep: str | None = None
    ranked: bool = False  # options as the next-best plans, not the most different ones
    why_not: bool = False
    fair_share: float = 0.5  # fairness warnings (kouiki/fairness.py)
    fair_saving: float = 0.01
    # output
    lang: str = "ja"
    xlsx: bool = False
    plots: bool = False
    out: str | None = None
    overwrite: bool = False

    def scenario(self) -> Scenario:
        return Scenario(objective=self.objective)

    def solver_settings(self, time_limit: float | None = None):
        """HiGHS's settings; `time_limit` is what is left of the run's deadline, not the request's budget."""
        from kouiki.solvers.highs import SolverSettings

        return SolverSettings(time_limit=time_limit, gap=self.gap, threads=self.threads, seed=self.seed)

    def options(self) -> dict:
        """The settings as run.json records them."""
        return {"time_limit": self.time_limit, "gap": self.gap,
                "threads": self.threads, "seed": self.seed, "lang": self.lang, "options": self.n_options,
                "min_difference": self.min_difference, "slack": self.slack, "sweep": self.sweep,
                "xlsx": self.xlsx, "plots": self.plots,
                "ranked": self.ranked, "why_not": self.why_not, "fair_share": self.fair_share, "fair_saving": self.fair_saving}
