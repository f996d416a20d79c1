"""build → solve → evaluate, with the curve refined until the exact plan is trusted.

The chord model underestimates concave costs, so its optimum bounds the true
savings from above. Each plan is evaluated exactly; when a burden cap is broken
only because of the chord, the used pooled volumes become breakpoints and the
model is solved again. A plan is returned only when it keeps every rule under
the exact evaluation and the solver's objective agrees with it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from kouiki.errors import InfeasibleError, NoPlanInTimeError, PlanCheckError
from kouiki.instance import MUST, Instance
from kouiki.scenario import Scenario
from kouiki.model import curve
from kouiki.model.build import build_model, pooled_range
from kouiki.model.evaluate import Arrangement, Evaluation, evaluate
from kouiki.model.legal import Candidate, Exclusion, legal_choices
from kouiki.solvers.highs import Session, SolverFacts, SolverSettings, solve


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
    """What the chords may understate the plan's costs by: tolerance · Σ s_m · g_t(V)."""
    total = 0.0
    for r in ev.arrangements:
        a = r.arrangement
        task = instance.tasks[a.task]
        if task.scale_elasticity < 1:
            total += instance.methods[a.method].scale_share * task.cost(r.pooled_volume)
    return tolerance * total


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


def optimise(
    instance: Instance,
    scenario: Scenario,
    settings: SolverSettings,
    curve_tolerance: float = 1e-3,
    omit: frozenset = frozenset(),
) -> Outcome:
    """The best plan, exactly evaluated and re-checked; raise if there is none.

    Two refinements run in one loop, each keeping the model a relaxation, so
    every solver bound is a true upper bound on the savings:
    - burden caps (L6) start switched off and are switched on for the hubs a
      plan overburdens (row generation: most caps never bind, and a model
      without them is much easier for HiGHS);
    - where a cap is broken only because a chord understates a concave cost,
      or the chords leave the plan further from the bound than allowed, the
      plan's pooled volumes become breakpoints and the model is rebuilt.
    The loop stops when the exactly evaluated plan is within
    gap·|bound| + curve_tolerance·(the plan's pooled costs) of the bound.
    """
    started = time.perf_counter()
    timings = {"legal": 0.0, "build": 0.0, "solve": 0.0, "evaluate": 0.0}
    candidates, exclusions = legal_choices(instance, scenario, omit)
    timings["legal"] = time.perf_counter() - started
    # First chords ten times coarser than the tolerance (never finer than 0.1 %,
    # never coarser than 5 %): fewer binaries, and the loop below refines the
    # chords only where a plan needs it.
    curves = initial_curves(instance, candidates, min(max(10 * curve_tolerance, 1e-3), 0.05))
    deadline = None if settings.time_limit is None else started + settings.time_limit
    scale = sum(instance.standalone(t, j) for (t, j) in instance.rows) + 1.0
    rounds = 0
    best = None  # (evaluation, facts) of the best plan that keeps every rule exactly
    upper = None  # the least upper bound on the true savings seen so far
    session = None
    active_caps: set[str] = set()
    while True:
        rounds += 1
        if session is None:
            clock = time.perf_counter()
            built = build_model(instance, scenario, candidates, curves, omit, active_caps=active_caps)
            timings["build"] += time.perf_counter() - clock
            if built.constant_infeasible:
                raise InfeasibleError(built.constant_infeasible)
            session = Session(built) if candidates else None
        remaining = None if deadline is None else max(deadline - time.perf_counter(), 0.01)
        clock = time.perf_counter()
        if session is not None:
            # Without burden caps the model is easy and HiGHS's presolve costs more
            # than it saves (Kensei: 0.12 s against 0.37 s); with caps it pays.
            presolve = bool(session.built.active_caps())
            plan, facts = session.solve(SolverSettings(remaining, settings.gap, settings.threads, settings.seed, settings.log), presolve)
        else:
            plan, facts = [], SolverFacts("optimal", True, 0.0, 0.0, 0.0, 0.0)
        timings["solve"] += time.perf_counter() - clock
        if not facts.has_plan:
            if facts.status == "infeasible":
                # a relaxation with no plan: the full problem has none either
                raise InfeasibleError(explain_infeasible(instance, scenario, settings, omit))
            if best is not None:
                break
            if facts.status == "time_limit":
                raise NoPlanInTimeError(f"the time limit of {settings.time_limit:g} s ran out before any plan satisfying every rule was found; try a longer --time-limit")
            raise PlanCheckError(f"HiGHS stopped without a plan (status: {facts.status})")
        clock = time.perf_counter()
        ev = evaluate(instance, scenario, plan)
        timings["evaluate"] += time.perf_counter() - clock
        other = [v for v in ev.violations if v[0] != "L6"]
        if other:
            raise PlanCheckError("the solver's plan breaks a rule: " + "; ".join(f"{r}: {t}" for r, t in other))
        expected_gap = chord_shortfall(instance, ev, curves)
        if abs(facts.objective - ev.total_savings - expected_gap) > 1e-6 * scale + 10:
            raise PlanCheckError(
                f"the solver's objective {facts.objective:,.0f} yen and the exact evaluation "
                f"{ev.total_savings:,.0f} yen (+{expected_gap:,.0f} yen of chord error) disagree"
            )
        if facts.bound is not None:
            upper = facts.bound if upper is None else min(upper, facts.bound)
        overburdened = {h for h, burden in ev.net_burden.items() if burden > scenario.cap(instance, h) + 1.0} if "L6" not in omit else set()
        if not overburdened and (best is None or ev.total_savings > best[0].total_savings):
            best = (ev, facts)
        out_of_time = deadline is not None and time.perf_counter() >= deadline
        if best is not None:
            bound = max(upper if upper is not None else best[1].objective, best[0].total_savings)
            allowed = settings.gap * abs(bound) + curve_error_budget(instance, best[0], curve_tolerance) + 1.0
            if bound - best[0].total_savings <= allowed or out_of_time:
                break
        elif out_of_time:
            raise NoPlanInTimeError(f"the time limit of {settings.time_limit:g} s ran out before any plan keeping every burden cap under the exact costs was found; try a longer --time-limit")
        if overburdened and session is not None and session.built.activate_caps(overburdened):
            active_caps |= overburdened
            continue  # same model in HiGHS, more rows
        refinable = {}
        for r in ev.arrangements:
            a = r.arrangement
            key = (a.task, a.method, a.hub)
            if key in curves and min(abs(p - r.pooled_volume) for p in curves[key]) > 1e-9 * max(1.0, r.pooled_volume):
                refinable[key] = r.pooled_volume
        if not refinable:
            if best is None:
                raise PlanCheckError("the solver's plan breaks a burden cap under the exact costs: " + "; ".join(t for r, t in ev.violations if r == "L6"))
            break  # the plan is exact; only the solver's own gap remains
        # The chords are exact at their breakpoints: make the plan's pooled volumes breakpoints.
        for key, volume in refinable.items():
            curves[key] = sorted(set(curves[key]) | {volume})
        active_caps |= session.built.active_caps() if session is not None else set()
        session = None
    ev, facts = best
    bound = max(upper if upper is not None else facts.objective, ev.total_savings)
    gap = (bound - ev.total_savings) / max(abs(bound), 1.0)
    timings["total"] = time.perf_counter() - started
    warnings = []
    if gap > settings.gap + curve_error_budget(instance, ev, curve_tolerance) / max(abs(bound), 1.0) + 1e-12:
        warnings.append(f"stopped by the time limit: the plan is within {gap:.2%} of the best possible")
    return Outcome(ev, facts, bound, gap, rounds, exclusions, timings, warnings)


def soft_items(instance: Instance, scenario: Scenario) -> list[tuple]:
    """The constraints an explanation may name: caps, capacities, must rows, the arrangement count."""
    items: list[tuple] = []
    for h in instance.hubs():
        items.append(("L6", h))
        if instance.municipalities[h].staff_capacity is not None:
            items.append(("L7", h))
    for (t, j), row in sorted(instance.rows.items()):
        if row.willing == MUST:
            items.append(("L8", t, j))
    if scenario.max_arrangements is not None:
        items.append(("L10",))
    return items


def describe(instance: Instance, scenario: Scenario, item: tuple) -> str:
    rule = item[0]
    if rule == "L6":
        h = item[1]
        cap = scenario.cap(instance, h)
        source = "its burden_cap in municipalities.csv" if instance.municipalities[h].burden_cap is not None else "--burden-cap (default 0)"
        return f"{h}'s net burden may not exceed {cap:,.0f} yen ({source})"
    if rule == "L7":
        return f"{item[1]}'s staff capacity is {instance.municipalities[item[1]].staff_capacity:g} FTE"
    if rule == "L8":
        return f"{item[2]} must take part in {item[1]} (willing = must)"
    return f"at most {scenario.max_arrangements} arrangements (--max-arrangements)"


def is_feasible(instance: Instance, scenario: Scenario, settings: SolverSettings, omit: frozenset) -> bool:
    candidates, _ = legal_choices(instance, scenario, omit)
    curves = initial_curves(instance, candidates, 0.05)
    built = build_model(instance, scenario, candidates, curves, omit)
    if built.constant_infeasible:
        return False
    if not candidates:
        return True
    built.model.total_savings.deactivate()
    import pyomo.environ as pyo

    built.model.feasibility = pyo.Objective(expr=0)
    _, facts = solve(built, SolverSettings(settings.time_limit, 1e-4, settings.threads, settings.seed))
    return facts.has_plan


def explain_infeasible(instance: Instance, scenario: Scenario, settings: SolverSettings, omit: frozenset) -> list[tuple[str, str]]:
    """A minimal set of conflicting constraints (deletion filter): dropping any one admits a plan."""
    items = soft_items(instance, scenario)
    keep = list(items)
    for item in items:
        trial = [i for i in keep if i != item]
        dropped = frozenset(i for i in items if i not in trial) | omit
        if not is_feasible(instance, scenario, settings, dropped):
            keep = trial
    if not keep:
        return [("rules", "no plan satisfies the legal rules with this data")]
    return [(item[0], describe(instance, scenario, item)) for item in keep]
