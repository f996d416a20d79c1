"""The mixed-integer program of SPEC §5–§6, built with Pyomo and solved elsewhere.

Variables exist only for legally possible choices (model/legal.py):
  x[t,m,h]    arrangement of task t by method m led by hub h exists
  y[t,m,h,j]  member j ≠ h joins it (binary; y ≤ x, disaggregated)
  z[t,m,h]    its pooled volume is positive (only where the hub brings none)
  δ, w        incremental piecewise-linear chord of V^b where b < 1
  u[m,h]      the separate body of method m at hub h is paid for
  q[m,h], r[m,h,j]  grants received by the hub and by a member (≤ 1, ≤ Σ x / Σ y)
Money enters in units of 1e6 yen (MONEY_UNIT): raw yen coefficients of 1e7–1e10
draw scaling warnings from HiGHS, millions of yen do not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyomo.environ as pyo

from kouiki.instance import MUST, Instance
from kouiki.scenario import Scenario
from kouiki.model.legal import Candidate

MONEY_UNIT = 1e6


@dataclass
class Built:
    """A Pyomo model with the maps back to the SPEC's words."""

    model: pyo.ConcreteModel
    candidates: dict[tuple[str, str, str], Candidate]
    curves: dict[tuple[str, str, str], list[float]]  # breakpoints in use
    constant_infeasible: list[tuple[str, str]] = field(default_factory=list)

    def activate_caps(self, hubs) -> set[str]:
        """Switch on the L6 rows of these hubs; return those that were off."""
        switched = set()
        caps = getattr(self.model, "l6_burden_cap", None)
        for h in hubs:
            if caps is not None and h in caps and not caps[h].active:
                caps[h].activate()
                switched.add(h)
        return switched

    def active_caps(self) -> set[str]:
        caps = getattr(self.model, "l6_burden_cap", None)
        return {h for h in caps if caps[h].active} if caps is not None else set()


def pooled_range(instance: Instance, c: Candidate) -> tuple[float, float]:
    """Smallest positive and largest pooled volume the arrangement can have."""
    volumes = [instance.volume(c.task, c.hub)] + [instance.volume(c.task, j) for j in c.members]
    positive = [v for v in volumes if v > 0]
    hub_volume = volumes[0]
    low = hub_volume if hub_volume > 0 else (min(positive) if positive else 0.0)
    return low, sum(volumes)


def build_model(
    instance: Instance,
    scenario: Scenario,
    candidates: list[Candidate],
    curves: dict[tuple[str, str, str], list[float]],
    omit: frozenset[str] = frozenset(),
    active_caps: set[str] | None = None,
) -> Built:
    """Sets, parameters, variables, constraints and objective, in that order.

    `active_caps`: the hubs whose L6 row starts active (None: all of them).
    """
    m = pyo.ConcreteModel(name="kouiki")
    by_key = {c.key: c for c in candidates}
    tasks, methods, munis = instance.tasks, instance.methods, instance.municipalities
    money = 1.0 / MONEY_UNIT

    def S(t: str, j: str) -> float:
        return instance.standalone(t, j) * money

    def vol(t: str, j: str) -> float:
        return instance.volume(t, j)

    # ------------------------------------------------------------------ sets
    m.A = pyo.Set(initialize=sorted(by_key), dimen=3, ordered=True)
    m.Y = pyo.Set(initialize=sorted((*c.key, j) for c in candidates for j in c.members), dimen=4, ordered=True)
    needs_z = []
    for c in candidates:
        if vol(c.task, c.hub) <= 0 and any(vol(c.task, j) > 0 for j in c.members):
            needs_z.append(c.key)
    m.Z = pyo.Set(initialize=needs_z, dimen=3, ordered=True)
    curved = [k for k in sorted(curves) if k in by_key and len(curves[k]) > 2]
    m.SEG = pyo.Set(initialize=[(*k, i) for k in curved for i in range(1, len(curves[k]))], dimen=4, ordered=True)
    m.FILL = pyo.Set(initialize=[(*k, i) for k in curved for i in range(1, len(curves[k]) - 1)], dimen=4, ordered=True)
    bodies = sorted({(c.method, c.hub) for c in candidates if methods[c.method].body_cost > 0})
    m.BODY = pyo.Set(initialize=bodies, dimen=2, ordered=True)
    regional = scenario.objective == "regional"
    hub_grants = sorted({(c.method, c.hub) for c in candidates if methods[c.method].grant_hub > 0})
    m.GRANT_HUB = pyo.Set(initialize=hub_grants, dimen=2, ordered=True)
    member_grants = sorted(
        {(c.method, c.hub, j) for c in candidates for j in c.members if methods[c.method].grant_member > 0 and (munis[j].can_host or regional)}
    )
    m.GRANT_MEMBER = pyo.Set(initialize=member_grants, dimen=3, ordered=True)

    # ------------------------------------------------------------------ variables
    m.x = pyo.Var(m.A, domain=pyo.Binary)
    m.y = pyo.Var(m.Y, domain=pyo.Binary)
    m.z = pyo.Var(m.Z, bounds=(0, 1))
    m.delta = pyo.Var(m.SEG, bounds=(0, 1))
    m.fill = pyo.Var(m.FILL, domain=pyo.Binary)
    m.body = pyo.Var(m.BODY, bounds=(0, 1))
    m.grant_hub = pyo.Var(m.GRANT_HUB, bounds=(0, 1))
    m.grant_member = pyo.Var(m.GRANT_MEMBER, bounds=(0, 1))

    # ------------------------------------------------------------------ expressions
    def positive(k):
        """[V > 0] for the arrangement: x itself when the hub brings volume."""
        t, _, h = k
        if vol(t, h) > 0:
            return m.x[k]
        if k in m.Z:
            return m.z[k]
        return 0

    def pooled(k):
        t, _, h = k
        return vol(t, h) * m.x[k] + sum(vol(t, j) * m.y[(*k, j)] for j in by_key[k].members)

    def powered(k):
        """V^b (b = 1: V itself; else the chord through the breakpoints)."""
        t = k[0]
        if tasks[t].scale_elasticity >= 1:
            return pooled(k)
        points = curves[k]
        b = tasks[t].scale_elasticity
        if len(points) <= 2:  # only 0 and one positive volume can occur
            return (points[-1] ** b) * positive(k) if len(points) == 2 else 0
        return sum((points[i] ** b - points[i - 1] ** b) * m.delta[(*k, i)] for i in range(1, len(points)))

    def pooled_cost(k):
        """g_t(V) = fixed_cost·[V > 0] + unit_cost·V^b, in money units."""
        task = tasks[k[0]]
        return task.fixed_cost * money * positive(k) + task.unit_cost * money * powered(k)

    def savings(k):
        """Σ_P S − operating cost − arrangement cost, with operating = s·g(V) + (1−s)·Σ_P S."""
        t, mm, h = k
        method = methods[mm]
        s = method.scale_share
        fixed = (method.arrangement_cost + method.member_cost) * money
        members = sum((s * S(t, j) - method.member_cost * money) * m.y[(*k, j)] for j in by_key[k].members)
        return (s * S(t, h) - fixed) * m.x[k] + members - s * pooled_cost(k)

    def burden_of_arrangement(k):
        """operating + arrangement cost − payments in − the hub's own standalone cost."""
        t, mm, h = k
        method = methods[mm]
        s = method.scale_share
        ratio = scenario.payment_ratio(instance, t, mm)
        members = sum(
            ((1 - s - ratio) * S(t, j) + (method.member_cost - method.member_fee) * money) * m.y[(*k, j)]
            for j in by_key[k].members
        )
        fixed = (method.arrangement_cost + method.member_cost) * money
        return s * pooled_cost(k) - s * S(t, h) * m.x[k] + fixed * m.x[k] + members

    # ------------------------------------------------------------------ constraints
    def link_member(m, t, mm, h, j):
        """A member joins only an arrangement that exists (y ≤ x, disaggregated for a tight relaxation)."""
        return m.y[t, mm, h, j] <= m.x[t, mm, h]

    m.link_member = pyo.Constraint(m.Y, rule=link_member, doc=link_member.__doc__)

    def volume_indicator(m, t, mm, h, j):
        """The fixed cost is paid once anyone brings volume: z ≥ y for members with volume."""
        if vol(t, j) <= 0:
            return pyo.Constraint.Skip
        return m.z[t, mm, h] >= m.y[t, mm, h, j]

    m.volume_indicator = pyo.Constraint(
        [(*k, j) for k in m.Z for j in by_key[k].members], rule=volume_indicator, doc=volume_indicator.__doc__
    )
    m.volume_indicator_off = pyo.Constraint(m.Z, rule=lambda m, *k: m.z[k] <= m.x[k])

    def curve_volume(m, t, mm, h):
        """The chord's segments add up to the pooled volume (scaled by its largest value)."""
        points = curves[(t, mm, h)]
        scale = points[-1]
        filled = sum((points[i] - points[i - 1]) * m.delta[t, mm, h, i] for i in range(1, len(points)))
        return filled / scale == pooled((t, mm, h)) / scale

    m.curve_volume = pyo.Constraint(curved, rule=curve_volume, doc=curve_volume.__doc__)

    def curve_order(m, t, mm, h, i):
        """Segments fill in order (incremental formulation): δ[i+1] ≤ w[i] ≤ δ[i]."""
        return (m.delta[t, mm, h, i + 1], m.fill[t, mm, h, i], m.delta[t, mm, h, i])

    def curve_order_low(m, t, mm, h, i):
        return m.delta[t, mm, h, i + 1] <= m.fill[t, mm, h, i]

    def curve_order_high(m, t, mm, h, i):
        return m.fill[t, mm, h, i] <= m.delta[t, mm, h, i]

    m.curve_order_low = pyo.Constraint(m.FILL, rule=curve_order_low, doc=curve_order.__doc__)
    m.curve_order_high = pyo.Constraint(m.FILL, rule=curve_order_high, doc=curve_order.__doc__)
    m.curve_first = pyo.Constraint(curved, rule=lambda m, *k: m.delta[(*k, 1)] <= m.x[k])

    # L1 ---------------------------------------------------------------
    joins: dict[tuple[str, str], list] = {}
    for k in m.A:
        joins.setdefault((k[0], k[2]), []).append(m.x[k])
    for k in m.Y:
        joins.setdefault((k[0], k[3]), []).append(m.y[k])

    def l1_one_method_per_task_and_hub(m, t, j):
        """L1: at most one arrangement per (task, hub); each municipality joins at most one arrangement per task."""
        return sum(joins[(t, j)]) <= 1

    l1_index = sorted(k for k, terms in joins.items() if len(terms) > 1)
    if "L1" not in omit:
        m.l1_one_method_per_task_and_hub = pyo.Constraint(l1_index, rule=l1_one_method_per_task_and_hub, doc=l1_one_method_per_task_and_hub.__doc__)

    # L5 ---------------------------------------------------------------
    def l5_members(m, t, mm, h):
        """L5: |P| ≥ min_members_m (the hub counts)."""
        need = methods[mm].min_members - 1
        if need <= 0:
            return pyo.Constraint.Skip
        return sum(m.y[t, mm, h, j] for j in by_key[(t, mm, h)].members) >= need * m.x[t, mm, h]

    if "L5" not in omit:
        m.l5_members = pyo.Constraint(m.A, rule=l5_members, doc=l5_members.__doc__)

    # body costs and grants ------------------------------------------
    m.body_paid = pyo.Constraint(
        [k for k in m.A if (k[1], k[2]) in m.BODY],
        rule=lambda m, t, mm, h: m.body[mm, h] >= m.x[t, mm, h],
        doc="body_cost_m is paid once for every (m, h) with at least one arrangement",
    )
    arrangements_of = {}
    for k in m.A:
        arrangements_of.setdefault((k[1], k[2]), []).append(m.x[k])
    m.grant_hub_earned = pyo.Constraint(
        m.GRANT_HUB, rule=lambda m, mm, h: m.grant_hub[mm, h] <= sum(arrangements_of[(mm, h)]),
        doc="h receives grant_hub_m once if it leads at least one arrangement of m",
    )
    member_joins = {}
    for k in m.Y:
        member_joins.setdefault((k[1], k[2], k[3]), []).append(m.y[k])
    m.grant_member_earned = pyo.Constraint(
        m.GRANT_MEMBER, rule=lambda m, mm, h, j: m.grant_member[mm, h, j] <= sum(member_joins[(mm, h, j)]),
        doc="a member receives grant_member_m once per (m, h) it joins",
    )

    # L6 ---------------------------------------------------------------
    at_hub: dict[str, list] = {}
    for k in m.A:
        at_hub.setdefault(k[2], []).append(k)
    grants_to: dict[str, list] = {}
    for (mm, h) in m.GRANT_HUB:
        grants_to.setdefault(h, []).append(methods[mm].grant_hub * money * m.grant_hub[mm, h])
    for (mm, h, j) in m.GRANT_MEMBER:
        grants_to.setdefault(j, []).append(methods[mm].grant_member * money * m.grant_member[mm, h, j])

    def net_burden(m, h):
        """Σ_a at h (operating + arrangement cost − payments in − [h ∈ P]·S[t,h]) + bodies − grants."""
        return (
            sum(burden_of_arrangement(k) for k in at_hub.get(h, []))
            + sum(methods[mm].body_cost * money * m.body[mm, hh] for (mm, hh) in m.BODY if hh == h)
            - sum(grants_to.get(h, []))
        )

    constant_infeasible: list[tuple[str, str]] = []

    def l6_burden_cap(m, h):
        """L6: each hub's net burden ≤ its cap."""
        cap = scenario.cap(instance, h) * money
        if ("L6", h) in omit:
            return pyo.Constraint.Skip
        if not at_hub.get(h) and not grants_to.get(h):
            if cap < 0:
                constant_infeasible.append(("L6", f"{h} has a burden cap of {cap * MONEY_UNIT:,.0f} yen below zero but can lead no arrangement and receives no grant, so its net burden stays 0"))
            return pyo.Constraint.Skip
        return net_burden(m, h) <= cap

    hubs = instance.hubs()
    if "L6" not in omit:
        m.l6_burden_cap = pyo.Constraint(hubs, rule=l6_burden_cap, doc=l6_burden_cap.__doc__)
        # Row generation (pipeline): caps start inactive unless asked for, and
        # are switched on for the hubs whose cap a plan breaks.
        if active_caps is not None:
            for h in m.l6_burden_cap:
                if h not in active_caps:
                    m.l6_burden_cap[h].deactivate()

    # L7 ---------------------------------------------------------------
    def l7_capacity(m, h):
        """L7: Σ staff_per_unit_t · V over a hub's arrangements ≤ staff_capacity."""
        capacity = munis[h].staff_capacity
        terms = [tasks[k[0]].staff_per_unit * pooled(k) for k in at_hub.get(h, []) if tasks[k[0]].staff_per_unit > 0]
        if capacity is None or not terms or ("L7", h) in omit:
            return pyo.Constraint.Skip
        return sum(terms) <= capacity

    if "L7" not in omit:
        m.l7_capacity = pyo.Constraint(hubs, rule=l7_capacity, doc=l7_capacity.__doc__)

    # L8 ---------------------------------------------------------------
    must_rows = sorted(key for key, row in instance.rows.items() if row.willing == MUST)

    def l8_must_join(m, t, j):
        """L8: `must` rows join something (leading counts)."""
        terms = joins.get((t, j), [])
        if ("L8", t, j) in omit:
            return pyo.Constraint.Skip
        if not terms:
            constant_infeasible.append(("L8", f"{j} must take part in {t}, but no legal arrangement of {t} can include it"))
            return pyo.Constraint.Skip
        return sum(terms) >= 1

    if "L8" not in omit:
        m.l8_must_join = pyo.Constraint(must_rows, rule=l8_must_join, doc=l8_must_join.__doc__)

    # What-ifs ---------------------------------------------------------
    # (pipeline.impossible_what_ifs has refused those no legal choice can meet)
    def whatif_force(m, i):
        """What-if --force TASK=METHOD[@HUB]: that arrangement exists."""
        t, mm, h = scenario.forced[i]
        keys = [k for k in m.A if k[0] == t and k[1] == mm and (h is None or k[2] == h)]
        if not keys:
            constant_infeasible.append(("what-if", f"--force {t}={mm}" + (f"@{h}" if h else "") + " has no legal arrangement"))
            return pyo.Constraint.Skip
        return sum(m.x[k] for k in keys) >= 1

    if scenario.forced:
        m.whatif_force = pyo.Constraint(range(len(scenario.forced)), rule=whatif_force, doc=whatif_force.__doc__)

    def whatif_require(m, t, j):
        """What-if --require TASK:MUNICIPALITY: it takes part in the task (leading counts)."""
        terms = joins.get((t, j), [])
        if not terms:
            constant_infeasible.append(("what-if", f"--require {t}:{j} has no legal arrangement"))
            return pyo.Constraint.Skip
        return sum(terms) >= 1

    if scenario.required:
        m.whatif_require = pyo.Constraint(sorted(scenario.required), rule=whatif_require, doc=whatif_require.__doc__)

    def whatif_keep_current(m, i):
        """What-if --keep-current: an arrangement in force keeps its method, hub and participants."""
        c = instance.current[i]
        key = (c.task, c.method, c.hub)
        if key not in by_key or any(j not in by_key[key].members for j in c.participants if j != c.hub):
            constant_infeasible.append(("what-if", f"--keep-current: {c.task} by {c.method} at {c.hub} is no longer legal"))
            return pyo.Constraint.Skip
        members = [j for j in c.participants if j != c.hub]
        return len(members) + 1 <= m.x[key] + sum(m.y[(*key, j)] for j in members)

    if scenario.keep_current and instance.current:
        m.whatif_keep_current = pyo.Constraint(range(len(instance.current)), rule=whatif_keep_current, doc=whatif_keep_current.__doc__)

    # L10 --------------------------------------------------------------
    def l10_how_many(m):
        """L10: the number of arrangements is at most --max-arrangements."""
        return sum(m.x[k] for k in m.A) <= scenario.max_arrangements

    if scenario.max_arrangements is not None and len(m.A) > 0 and "L10" not in omit and ("L10",) not in omit:
        m.l10_how_many = pyo.Constraint(rule=l10_how_many, doc=l10_how_many.__doc__)

    # ------------------------------------------------------------------ objective
    def total_savings(m):
        """Σ_a savings(a) − Σ body costs (+ grants received, with --objective regional)."""
        value = sum(savings(k) for k in m.A) - sum(methods[mm].body_cost * money * m.body[mm, h] for (mm, h) in m.BODY)
        if regional:
            value += sum(sum(g) for g in grants_to.values())
        return value

    m.distinct = pyo.ConstraintList(doc="option sets: cuts keeping later options apart from earlier ones")
    m.total_savings = pyo.Objective(rule=total_savings, sense=pyo.maximize, doc=total_savings.__doc__)
    return Built(m, by_key, {k: curves[k] for k in curved}, constant_infeasible)


def start_values(built: Built, instance: Instance, plan) -> list:
    """Every variable's value for a plan, to hand HiGHS as a starting solution."""
    m = built.model
    values: list = []  # (variable, value): Pyomo variables are not hashable
    chosen = {(a.task, a.method, a.hub): a for a in plan}
    for k in m.A:
        a = chosen.get(k)
        values.append((m.x[k], 1.0 if a else 0.0))
        for j in built.candidates[k].members:
            values.append((m.y[(*k, j)], 1.0 if a and j in a.participants else 0.0))
        volume = sum(instance.volume(k[0], j) for j in a.participants) if a else 0.0
        if k in m.Z:
            values.append((m.z[k], 1.0 if volume > 0 else 0.0))
        points = built.curves.get(k)
        if points:
            for i in range(1, len(points)):
                share = min(max((volume - points[i - 1]) / (points[i] - points[i - 1]), 0.0), 1.0) if points[i] > points[i - 1] else 0.0
                values.append((m.delta[(*k, i)], share))
                if i < len(points) - 1:
                    values.append((m.fill[(*k, i)], 1.0 if volume >= points[i] - 1e-12 and volume > 0 else 0.0))
    used = {(a.method, a.hub) for a in plan}
    for key in m.BODY:
        values.append((m.body[key], 1.0 if key in used else 0.0))
    for key in m.GRANT_HUB:
        values.append((m.grant_hub[key], 1.0 if key in used else 0.0))
    joined = {(a.method, a.hub, j) for a in plan for j in a.members}
    for key in m.GRANT_MEMBER:
        values.append((m.grant_member[key], 1.0 if key in joined else 0.0))
    return values
