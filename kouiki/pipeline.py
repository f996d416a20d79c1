"""build → solve → evaluate, with the curve refined until the exact plan is trusted.

The chord model underestimates concave costs, so its optimum bounds the true
savings from above. Each plan is evaluated exactly; when a burden cap is broken
only because of the chord, the used pooled volumes become breakpoints and the
model is solved again. A plan is returned only when it keeps every rule under
the exact evaluation and the solver's objective agrees with it.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace

from kouiki.errors import InfeasibleError, NoPlanInTimeError, PlanCheckError
from kouiki.instance import Instance
from kouiki.scenario import Scenario
from kouiki.model import curve
from kouiki.model.build import build_model, pooled_range, start_values
from kouiki.model.heuristic import repair_caps, starting_plan
from kouiki.model.evaluate import Evaluation, evaluate
from kouiki.model.legal import Candidate, Exclusion, legal_choices
from kouiki.solvers.highs import Session, SolverFacts, SolverSettings
from kouiki.explain import explain_infeasible, impossible_what_ifs


@dataclass
class Outcome:
    evaluation: Evaluation
    facts: SolverFacts
    bound: float | None  # valid upper bound on total savings (yen)
    gap: float | None  # (bound − exact savings) / |bound|
    rounds: int  # solves, counting curve refinements
    exclusions: list[Exclusion]
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def initial_curves(instance: Instance, candidates: list[Candidate], tolerance: float) -> dict:
    curves = {}
    for c in candidates:
        task = instance.tasks[c.task]
        if task.scale_elasticity >= 1:
            continue
        low, high = pooled_range(instance, c)
        if high > 0:
            curves[c.key] = curve.breakpoints(task, low, high, tolerance)
    return curves


def curve_error_budget(instance: Instance, ev: Evaluation, tolerance: float) -> float:
    """How far below the bound the curves may leave a plan (yen).

    The smaller of tolerance · Σ s_m · g_t(V) (the chords' error on the plan's
    pooled costs) and tolerance · the plan's savings, so that the plan is
    within the curve tolerance of the optimum in either reading of SPEC §9.
    """
    total = 0.0
    for r in ev.arrangements:
        a = r.arrangement
        task = instance.tasks[a.task]
        if task.scale_elasticity < 1:
            total += instance.methods[a.method].scale_share * task.cost(r.pooled_volume)
    return tolerance * min(total, abs(ev.total_savings))


def chord_shortfall(instance: Instance, ev: Evaluation, curves: dict) -> float:
    """Σ s_m·c_t·(V^b − chord(V)) over the plan: how far the model's objective should exceed the exact one."""
    total = 0.0
    for r in ev.arrangements:
        a = r.arrangement
        key = (a.task, a.method, a.hub)
        if key in curves:
            task = instance.tasks[a.task]
            exact = r.pooled_volume**task.scale_elasticity
            total += instance.methods[a.method].scale_share * task.unit_cost * (exact - curve.chord_value(task, curves[key], r.pooled_volume))
    return total


INITIAL_CHORDS = 0.05
CHORD_FACTOR = 10  # first chords ten times coarser than the tolerance


class Planner:
    """Finds plans for one instance and scenario, keeping its model between calls.

    Two refinements run in one loop, each keeping the model a relaxation, so
    every solver bound is a true upper bound on the savings:
    - burden caps (L6) start switched off and are switched on for the hubs a
      plan overburdens (row generation: most caps never bind, and a model
      without them is much easier for HiGHS);
    - where a cap is broken only because a chord understates a concave cost,
      or the chords leave the plan further from the bound than allowed, the
      plan's pooled volumes become breakpoints and the model is rebuilt.
    A plan is accepted when, evaluated exactly, it is within
    gap·|bound| + curve_tolerance·(the plan's pooled costs) of the bound.
    Option sets add cuts (`differ_from`, `at_least`) to the kept model.
    """

    def __init__(self, instance: Instance, scenario: Scenario, settings: SolverSettings,
                 curve_tolerance: float = 1e-3, omit: frozenset = frozenset(), explain: bool = True, progress=None,
                 deadline=None):
        settings = _shim_time_limit(settings, deadline)
        self.started = time.perf_counter()
        self.progress = progress or (lambda text: None)
        self.instance, self.scenario, self.settings = instance, scenario, settings
        self.curve_tolerance, self.omit, self.explain = curve_tolerance, omit, explain
        self.timings = {"legal": 0.0, "build": 0.0, "solve": 0.0, "evaluate": 0.0}
        self.candidates, self.exclusions = legal_choices(instance, scenario, omit)
        self.timings["legal"] = time.perf_counter() - self.started
        impossible = impossible_what_ifs(instance, scenario, self.candidates, self.exclusions)
        if impossible:
            raise InfeasibleError(impossible)
        # First chords ten times coarser than the tolerance (never finer than
        # 0.1 %, never coarser than 5 %): fewer binaries; the loop refines the
        # chords only where a plan needs it.
        self.curves = initial_curves(instance, self.candidates, min(max(CHORD_FACTOR * curve_tolerance, 1e-3), INITIAL_CHORDS))
        self.scale = sum(instance.standalone(t, j) for (t, j) in instance.rows) + 1.0
        self.session: Session | None = None
        self.active_caps: set[str] = set()
        self.cuts: list[tuple[frozenset, int]] = []  # (choices of an earlier option, D)
        self.floor: float | None = None  # least savings an option may have (--slack)
        self.rounds = 0

    # ------------------------------------------------------------------ cuts
    def differ_from(self, plan, at_least: int) -> None:
        """Later plans differ from this one in at least `at_least` (task, method, hub) choices."""
        choices = frozenset((a.task, a.method, a.hub) for a in plan)
        self.cuts.append((choices, at_least))
        if self.session is not None:
            self._add_cut(self.session.built, choices, at_least)

    def at_least(self, savings: float) -> None:
        """Later plans save at least this much (yen)."""
        self.floor = savings
        if self.session is not None:
            self._add_floor(self.session.built)

    def _add_cut(self, built, choices, at_least) -> None:
        m = built.model
        chosen = [m.x[k] for k in choices if k in m.x]
        others = [m.x[k] for k in m.A if k not in choices]
        built.model.distinct.add(len(chosen) - sum(chosen) + sum(others) >= at_least)

    def _add_floor(self, built) -> None:
        from kouiki.model.build import MONEY_UNIT

        m = built.model
        if hasattr(m, "savings_floor"):
            m.del_component(m.savings_floor)
        import pyomo.environ as pyo

        # the chord objective overstates savings, so this keeps a relaxation
        m.savings_floor = pyo.Constraint(expr=m.total_savings.expr >= self.floor / MONEY_UNIT)

    def _build(self):
        clock = time.perf_counter()
        built = build_model(self.instance, self.scenario, self.candidates, self.curves, self.omit, active_caps=self.active_caps)
        for choices, at_least in self.cuts:
            self._add_cut(built, choices, at_least)
        if self.floor is not None:
            self._add_floor(built)
        self.timings["build"] += time.perf_counter() - clock
        if built.constant_infeasible:
            raise InfeasibleError(built.constant_infeasible)
        return built

    # ------------------------------------------------------------------ solving
    def starting_plan(self):
        """The greedy plan (model/heuristic.py), computed once; None when it finds none."""
        if not hasattr(self, "_start"):
            clock = time.perf_counter()
            self._start = None if self.omit else starting_plan(self.instance, self.scenario, self.candidates)
            self.timings["heuristic"] = time.perf_counter() - clock
        return self._start

    def next(self) -> Outcome:
        """The best plan the model admits now, exactly evaluated and re-checked."""
        instance, scenario, settings = self.instance, self.scenario, self.settings
        started = time.perf_counter()
        deadline = None if settings.time_limit is None else self.started + settings.time_limit
        best = None  # (evaluation, facts) of the best plan that keeps every rule exactly
        upper = None  # the least upper bound on the true savings seen in this call
        rounds = 0
        if not self.cuts and self.floor is None and self.candidates:
            # a plan keeping every rule is an incumbent should the time run out:
            # the greedy plan, or doing everything alone when that is allowed
            for start in (self.starting_plan(), []):
                if start is None:
                    continue
                start_ev = evaluate(instance, scenario, start)
                if not start_ev.violations and (best is None or start_ev.total_savings > best[0].total_savings):
                    best = (start_ev, SolverFacts("heuristic", True, start_ev.total_savings, None, None, 0.0))
        while True:
            rounds += 1
            if self.session is None:
                built = self._build()
                if not self.candidates:
                    ev = evaluate(instance, scenario, [])
                    if ev.violations:
                        raise InfeasibleError(explain_infeasible(instance, scenario, settings, self.omit) if self.explain else [])
                    best, upper = (ev, SolverFacts("optimal", True, 0.0, 0.0, 0.0, 0.0)), 0.0
                    break
                self.session = Session(built)
            remaining = None if deadline is None else max(deadline - time.perf_counter(), 0.01)
            clock = time.perf_counter()
            # HiGHS's presolve costs more than it saves on these models once it
            # has a starting plan (Kensei with caps on: 1.6 s against 3.1 s;
            # without caps 0.12 s against 0.37 s).
            presolve = False
            start = best[0].plan if best is not None else self.starting_plan()
            if start is not None:
                self.session.give_start(start_values(self.session.built, instance, start))
            plan, facts = self.session.solve(SolverSettings(remaining, settings.gap, settings.threads, settings.seed, settings.log), presolve)
            self.timings["solve"] += time.perf_counter() - clock
            self.progress(f"solve {rounds}: {facts.status}"
                          + (f", savings {facts.objective / 1e4:,.0f}万円" if facts.objective is not None else "")
                          + (f", gap {facts.gap:.2g}" if facts.gap is not None else "")
                          + (f", caps on at {len(self.active_caps)} hubs" if self.active_caps else ""))
            if not facts.has_plan:
                if facts.status == "infeasible":
                    if self.cuts or self.floor is not None:
                        raise NoMoreOptions()
                    # a relaxation with no plan: the full problem has none either
                    raise InfeasibleError(explain_infeasible(instance, scenario, settings, self.omit) if self.explain else [])
                if facts.status == "time_limit" and best is not None:
                    break
                if facts.status == "time_limit":
                    raise NoPlanInTimeError(f"the time limit of {settings.time_limit:g} s ran out before any plan satisfying every rule was found; try a longer --time-limit")
                raise PlanCheckError(f"HiGHS stopped without a plan (status: {facts.status}); "
                                     "no plan is reported because none could be proven")
            clock = time.perf_counter()
            ev = evaluate(instance, scenario, plan)
            self.timings["evaluate"] += time.perf_counter() - clock
            other = [v for v in ev.violations if v[0] != "L6"]
            if other:
                raise PlanCheckError("the solver's plan breaks a rule: " + "; ".join(f"{r}: {t}" for r, t in other))
            expected_gap = chord_shortfall(instance, ev, self.curves)
            if abs(facts.objective - ev.total_savings - expected_gap) > 1e-6 * self.scale + 10:
                raise PlanCheckError(
                    f"the solver's objective {facts.objective:,.0f} yen and the exact evaluation "
                    f"{ev.total_savings:,.0f} yen (+{expected_gap:,.0f} yen of chord error) disagree"
                )
            if facts.bound is not None and math.isfinite(facts.bound):
                upper = facts.bound if upper is None else min(upper, facts.bound)
            overburdened = set() if "L6" in self.omit else {
                h for h, burden in ev.net_burden.items() if burden > scenario.cap(instance, h) + 1.0}
            below_floor = self.floor is not None and ev.total_savings < self.floor - 1.0
            if not overburdened and not below_floor and (
                    best is None or ev.total_savings > best[0].total_savings
                    or (best[1].status == "heuristic" and ev.total_savings >= best[0].total_savings - 1.0)):
                best = (ev, facts)
            out_of_time = deadline is not None and time.perf_counter() >= deadline
            if best is not None:
                if out_of_time:
                    break
                if upper is not None:  # no bound yet (HiGHS stopped early): nothing is proven
                    bound = max(upper, best[0].total_savings)
                    allowed = settings.gap * abs(bound) + curve_error_budget(instance, best[0], self.curve_tolerance) + 1.0
                    if bound - best[0].total_savings <= allowed:
                        break
            elif out_of_time:
                raise NoPlanInTimeError(f"the time limit of {settings.time_limit:g} s ran out before any plan keeping every burden cap under the exact costs was found; try a longer --time-limit")
            if overburdened:
                # Once one cap binds, switch every cap on: one by one, each new row
                # pushes load onto the next hub and costs a whole re-solve.
                everyone = set(instance.hubs())
                if self.session.built.activate_caps(everyone):
                    self.active_caps |= everyone
                    continue  # same model in HiGHS, more rows
                # Every cap is on, so a chord understated a cost. A plan mended by
                # dropping a member is exactly feasible; if it is close enough to
                # the bound, no refinement and re-solve is needed.
                mended = repair_caps(instance, scenario, plan) if not self.cuts and self.floor is None else None
                if mended is not None:
                    mended_ev = evaluate(instance, scenario, mended)
                    if best is None or mended_ev.total_savings > best[0].total_savings:
                        best = (mended_ev, replace(facts, objective=mended_ev.total_savings))
                    if upper is not None:
                        bound = max(upper, best[0].total_savings)
                        allowed = settings.gap * abs(bound) + curve_error_budget(instance, best[0], self.curve_tolerance) + 1.0
                        if bound - best[0].total_savings <= allowed:
                            break
            refinable = {}
            for r in ev.arrangements:
                a = r.arrangement
                key = (a.task, a.method, a.hub)
                if key in self.curves and min(abs(p - r.pooled_volume) for p in self.curves[key]) > 1e-9 * max(1.0, r.pooled_volume):
                    refinable[key] = r.pooled_volume
            if not refinable:
                if best is None:
                    if below_floor:
                        raise NoMoreOptions()
                    raise PlanCheckError("the solver's plan breaks a burden cap under the exact costs: " + "; ".join(t for r, t in ev.violations if r == "L6"))
                break  # the plan is exact; only the solver's own gap remains
            # The chords are exact at their breakpoints: make the plan's pooled volumes breakpoints.
            for key, volume in refinable.items():
                self.curves[key] = sorted(set(self.curves[key]) | {volume})
            self.active_caps |= self.session.built.active_caps()
            self.session = None
        self.rounds += rounds
        ev, facts = best
        timings = dict(self.timings, total=time.perf_counter() - self.started, this_plan=time.perf_counter() - started)
        warnings = []
        if upper is None and self.session is not None:
            # HiGHS stopped before its root LP: the LP relaxation still bounds the savings
            upper = self.session.relaxation_bound()
        if upper is None:
            bound, gap = None, None
            warnings.append("stopped by the time limit before HiGHS had any bound: how far this plan is from the best is unknown")
        else:
            bound = max(upper, ev.total_savings)
            gap = max(bound - ev.total_savings, 0.0) / max(abs(bound), 1.0) + 0.0  # never -0
            if gap > settings.gap + curve_error_budget(instance, ev, self.curve_tolerance) / max(abs(bound), 1.0) + 1e-12:
                warnings.append(f"stopped by the time limit: the plan is within {gap:.2%} of the best possible")
        return Outcome(ev, facts, bound, gap, rounds, self.exclusions, timings, warnings)


def _shim_time_limit(settings: SolverSettings, deadline) -> SolverSettings:
    """Issue 10's stand-in until the engine reads the deadline itself: what is left becomes the time limit."""
    if deadline is None or not deadline.limited:
        return settings
    return replace(settings, time_limit=deadline.remaining())


class NoMoreOptions(Exception):
    """No further plan differs enough from the earlier ones (or stays within the slack)."""


def optimise(
    instance: Instance,
    scenario: Scenario,
    settings: SolverSettings,
    curve_tolerance: float = 1e-3,
    omit: frozenset = frozenset(),
    explain: bool = True,
    progress=None,
    deadline=None,
) -> Outcome:
    """The best plan, exactly evaluated and re-checked; raise if there is none."""
    return Planner(instance, scenario, settings, curve_tolerance, omit, explain, progress, deadline).next()


def components(instance: Instance, candidates: list[Candidate]) -> list[set[str]]:
    """Groups of municipalities that can never share an arrangement with another group.

    Hubs and the members that could join them are linked; burden caps, body
    costs, grants and staff capacity are all per hub, so without a global
    arrangement count (L10) each group is a problem of its own.
    """
    parent = {j: j for j in instance.municipalities}

    def root(j):
        while parent[j] != j:
            parent[j] = parent[parent[j]]
            j = parent[j]
        return j

    for c in candidates:
        for j in c.members:
            a, b = root(c.hub), root(j)
            if a != b:
                parent[a] = b
    groups: dict[str, set[str]] = {}
    for j in instance.municipalities:
        groups.setdefault(root(j), set()).add(j)
    return sorted(groups.values(), key=lambda g: (-len(g), sorted(g)[0]))


def part_of(instance: Instance, group: set[str]) -> Instance:
    from dataclasses import replace

    rows = {k: r for k, r in instance.rows.items() if k[1] in group}
    reach = None if instance.reach is None else frozenset(p for p in instance.reach if p[0] in group and p[1] in group)
    current = tuple(c for c in instance.current if c.hub in group)
    municipalities = {j: m for j, m in instance.municipalities.items() if j in group}
    tasks = {t: task for t, task in instance.tasks.items() if any(k[0] == t for k in rows)}
    return replace(instance, municipalities=municipalities, rows=rows, reach=reach, current=current, tasks=tasks)


def optimise_by_parts(instance: Instance, scenario: Scenario, settings: SolverSettings,
                      curve_tolerance: float = 1e-3, explain: bool = True, progress=None, deadline=None) -> Outcome:
    """The best plan, solving independent groups of municipalities one by one.

    Falls back to one model when the groups are coupled (an arrangement count
    limit, or a forced method without a hub) or when there is only one group.
    """
    settings = _shim_time_limit(settings, deadline)
    started = time.perf_counter()
    candidates, exclusions = legal_choices(instance, scenario)
    groups = [g for g in components(instance, candidates) if len(g) > 1 or any(c.hub in g for c in candidates)]
    coupled = scenario.max_arrangements is not None or any(h is None for _, _, h in scenario.forced)
    if coupled or len(groups) <= 1:
        return optimise(instance, scenario, settings, curve_tolerance, explain=explain, progress=progress)
    plan, bound, rounds = [], 0.0, 0
    timings = {"legal": 0.0, "build": 0.0, "solve": 0.0, "evaluate": 0.0, "heuristic": 0.0}
    warnings: list[str] = []
    left = sum(len(g) for g in groups)
    for number, group in enumerate(groups, start=1):
        limit = None
        if settings.time_limit is not None:
            remaining = settings.time_limit - (time.perf_counter() - started)
            limit = max(remaining * len(group) / left, 0.05)
        left -= len(group)
        part = part_of(instance, group)
        if progress:
            progress(f"group {number}/{len(groups)}: {len(group)} municipalities")
        outcome = optimise(part, scenario, SolverSettings(limit, settings.gap, settings.threads, settings.seed, settings.log),
                           curve_tolerance, explain=explain, progress=progress)
        plan.extend(outcome.evaluation.plan)
        bound = None if bound is None or outcome.bound is None else bound + outcome.bound
        rounds += outcome.rounds
        for key, value in outcome.timings.items():
            if key in timings:
                timings[key] += value
        warnings.extend(outcome.warnings[:1])
    clock = time.perf_counter()
    ev = evaluate(instance, scenario, plan)
    timings["evaluate"] += time.perf_counter() - clock
    if ev.violations:
        raise PlanCheckError("the plans of independent groups break a rule together: " + "; ".join(f"{r}: {t}" for r, t in ev.violations))
    gap = None
    if bound is not None:
        bound = max(bound, ev.total_savings)
        gap = max(bound - ev.total_savings, 0.0) / max(abs(bound), 1.0) + 0.0  # never -0
    timings["total"] = timings["this_plan"] = time.perf_counter() - started
    status = "optimal" if not warnings else "time_limit"
    facts = SolverFacts(status, True, ev.total_savings, bound, gap, timings["solve"])
    if warnings:
        within = "an unknown distance" if gap is None else f"{gap:.2%}"
        warnings = [f"stopped by the time limit: the plan is within {within} of the best possible ({len(groups)} groups solved apart)"]
    return Outcome(ev, facts, bound, gap, rounds, exclusions, timings, warnings)


def verify(instance: Instance, scenario: Scenario, settings: SolverSettings, curve_tolerance: float, outcome: Outcome) -> str:
    """Re-solve with the plan's (task, method, hub) choices fixed and another seed; the savings must agree.

    Members stay free, so this checks that HiGHS, started afresh, finds no better
    member sets for the same choices and reaches the same savings.
    """
    from dataclasses import replace

    chosen = sorted({(a.task, a.method, a.hub) for a in outcome.evaluation.plan})
    fixed = replace(scenario, forced=tuple(chosen))
    seed = (settings.seed or 0) + 7919
    planner = Planner(instance, fixed, SolverSettings(settings.time_limit, settings.gap, settings.threads, seed), curve_tolerance, explain=False)
    planner.candidates = [c for c in planner.candidates if c.key in set(chosen)]
    planner.curves = {k: v for k, v in planner.curves.items() if k in set(chosen)}
    planner._start = None  # no head start: HiGHS must find the member sets itself
    again = planner.next()
    first, second = outcome.evaluation.total_savings, again.evaluation.total_savings
    allowed = settings.gap * abs(outcome.bound or first) + curve_error_budget(instance, outcome.evaluation, curve_tolerance) + 1.0
    if abs(first - second) > allowed:
        raise PlanCheckError(f"--verify: with the same choices and seed {seed}, HiGHS reached {second:,.0f} yen of savings, "
                             f"not {first:,.0f} yen")
    return f"verified: the plan's {len(chosen)} choices re-solved with seed {seed} give {second:,.0f} yen (difference {second - first:+,.0f} yen)"
