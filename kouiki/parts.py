"""One large instance split into its independent groups, each group solved on a Dask worker.

The parallel twin of `kouiki.pipeline.optimise_by_parts`: the same groups
(`pipeline.components`, `pipeline.part_of`), each solved by
`pipeline.optimise`, the plans joined, the whole plan evaluated exactly and
the bound taken as the sum of the groups' bounds. Workers get the instance path
and the what-ifs (small, picklable) and rebuild the part themselves; the plans
come back in group order, so the result does not depend on which worker
finished first. `allocate PATH --workers N` / `--scheduler ADDRESS` use it.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field

from kouiki.batch import instance_for
from kouiki.deadline import Deadline
from kouiki.errors import InfeasibleError, NoPlanInTimeError, PlanCheckError


@dataclass(frozen=True)
class GroupJob:
    instance_path: str
    checksum: str
    what_ifs: tuple  # kouiki.whatif.WhatIf, applied on the worker as on the client
    objective: str
    group: tuple[str, ...]  # the municipalities of one independent group
    settings: object  # SolverSettings, the time limit already this group's share
    explain: bool


@dataclass
class GroupDone:
    """A group's plan and solver facts, or why it has none (exceptions travel back as data)."""

    plan: tuple = ()
    bound: float | None = None
    rounds: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    failure: str = ""  # "", "infeasible", "no_plan_in_time", "plan_check"
    reasons: list = field(default_factory=list)
    message: str = ""


def solve_group(job: GroupJob) -> GroupDone:
    """One group of the instance, as optimise_by_parts solves it; runs on a Dask worker."""
    from kouiki import whatif
    from kouiki.pipeline import optimise, part_of
    from kouiki.scenario import Scenario

    started = time.perf_counter()
    try:
        instance = instance_for(job)
        solved, scenario, _ = whatif.apply(instance, Scenario(objective=job.objective), list(job.what_ifs))
        outcome = optimise(part_of(solved, set(job.group)), scenario, job.settings, explain=job.explain,
                           deadline=Deadline(job.settings.time_limit))  # made on the worker: a clock does not travel
    except InfeasibleError as error:
        return GroupDone(failure="infeasible", reasons=list(error.reasons), seconds=time.perf_counter() - started)
    except NoPlanInTimeError as error:
        return GroupDone(failure="no_plan_in_time", message=error.args[0] if error.args else "", seconds=time.perf_counter() - started)
    except PlanCheckError as error:  # the message stays a catalogue Message, shown in the run's language
        return GroupDone(failure="plan_check", message=error.args[0] if error.args else "", seconds=time.perf_counter() - started)
    return GroupDone(tuple(outcome.evaluation.plan), outcome.bound, outcome.rounds, dict(outcome.timings),
                     list(outcome.warnings), time.perf_counter() - started)


def groups_of(instance, scenario) -> tuple[list[set[str]], list, bool]:
    """The independent groups optimise_by_parts would solve apart, the exclusions, and whether they are coupled."""
    from kouiki.model.legal import legal_choices
    from kouiki.pipeline import components

    candidates, exclusions = legal_choices(instance, scenario)
    groups = [g for g in components(instance, candidates) if len(g) > 1 or any(c.hub in g for c in candidates)]
    coupled = scenario.max_arrangements is not None or any(h is None for _, _, h in scenario.forced)
    return groups, exclusions, coupled


def optimise_on_workers(client, instance_path: str, what_ifs: list, objective: str = "savings", workers: int | None = None):
    """An `optimise_by_parts` look-alike that solves the groups on the client's workers.

    Pass it to `kouiki.run.compute(..., by_parts=...)`. The instance and
    scenario it is called with must be what `whatif.apply` makes of the
    instance at `instance_path` and `what_ifs` (the workers rebuild them so).
    `group_seconds` afterwards holds each group's solve time, for bench/.
    """

    def solve(instance, scenario, settings, explain: bool = True, progress=None, deadline=None):
        """`deadline` (a kouiki.deadline.Deadline) travels as seconds: a clock does not cross machines."""
        from dataclasses import replace

        from kouiki.parallel import run_jobs
        from kouiki.pipeline import joined, optimise
        from kouiki.solvers.highs import SolverSettings

        started = time.perf_counter()
        if deadline is not None and deadline.limited:
            left = deadline.remaining()
            settings = replace(settings, time_limit=left if settings.time_limit is None else min(settings.time_limit, left))
        groups, exclusions, coupled = groups_of(instance, scenario)
        if coupled or len(groups) <= 1:
            return optimise(instance, scenario, settings, explain=explain, progress=progress, deadline=deadline)
        lanes = workers or max(len(client.scheduler_info().get("workers", {})), 1)
        total = sum(len(g) for g in groups)
        jobs = []
        for group in groups:
            limit = None
            if settings.time_limit is not None:
                # `lanes` groups run side by side: each may use its share of lanes × the limit, never more than the limit
                limit = max(settings.time_limit * min(1.0, lanes * len(group) / total), 0.05)
            jobs.append(GroupJob(instance_path, instance.checksum,
                                 tuple(what_ifs), scenario.objective, tuple(sorted(group)),
                                 SolverSettings(limit, settings.gap, settings.threads, settings.seed, settings.log),
                                 explain))
        done: dict[int, GroupDone] = {}

        def finished(index: int, result: GroupDone) -> None:
            done[index] = result
            if progress:
                progress(f"group {len(done)}/{len(groups)} solved: {len(groups[index])} municipalities, {result.seconds:.1f} s")

        run_jobs(client, solve_group, jobs, [f"group-{n}-{uuid.uuid4().hex}" for n in range(len(jobs))], finished)
        solve.group_seconds = [done[n].seconds for n in range(len(jobs))]
        results = [done[n] for n in range(len(jobs))]
        for failure, error in (("infeasible", None), ("plan_check", PlanCheckError), ("no_plan_in_time", NoPlanInTimeError)):
            for r in results:
                if r.failure == failure:
                    raise InfeasibleError(r.reasons) if error is None else error(r.message)
        plan, bound, rounds, warnings = [], 0.0, 0, []
        timings = {"legal": 0.0, "build": 0.0, "solve": 0.0, "evaluate": 0.0, "heuristic": 0.0}
        for r in results:
            plan.extend(r.plan)
            bound = None if bound is None or r.bound is None else bound + r.bound
            rounds += r.rounds
            for key, value in r.timings.items():
                if key in timings:
                    timings[key] += value
            warnings.extend(r.warnings[:1])
        return joined(instance, scenario, settings, plan, bound, rounds, exclusions, timings, len(warnings),
                      len(groups), time.perf_counter, started)

    solve.group_seconds = []
    return solve



def on_workers(instance_path: str, what_ifs: list, objective: str = "savings", workers: int | None = None,
               scheduler: str | None = None, lang: str = "ja"):
    """`optimise_on_workers` with its own cluster, opened for the solve and closed after it (the CLI's --workers)."""
    from kouiki.parallel import available
    from kouiki.parallel import workers as open_workers

    available(lang)  # refuse before the instance is solved, not after

    def solve(*args, **kwargs):
        with open_workers(workers, scheduler, lang) as client:
            return optimise_on_workers(client, instance_path, what_ifs, objective, workers)(*args, **kwargs)

    return solve
