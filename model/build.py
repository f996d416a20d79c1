"""The mixed-integer program of SPEC §5–§6 declared in Pyomo: the model of record.

Variables exist only for legally possible choices (model/legal.py):
  x[t,m,h]      arrangement of task t by method m led by hub h exists
  y[t,m,h,j]    member j ≠ h joins it (binary; y ≤ x, disaggregated)
  eta[t,m,h]    its pooled cost g_t(V), where that is not linear in x and y
  body[m,h]     the separate body of method m at hub h is paid for
  grant_hub[m,h], grant_member[m,h,j]   grants received (≤ 1, ≤ Σ x / Σ y)
Money enters in units of 1e6 yen (MONEY_UNIT).

η is bounded below by extended polymatroid inequalities (model/matrix.py
says why they describe the pooled cost exactly); the model starts from the
cuts of `initial_weights`, and the solve adds the rest. The solver reads the
same model from model/matrix.py, built straight into arrays because building
through Pyomo took longer than the whole solve; tests/test_matrix.py proves
on random instances that the two have the same rows, columns and
coefficients.
"""

from __future__ import annotations

import pyomo.environ as pyo

from kouiki.instance import MUST, Instance
from kouiki.model.legal import Candidate
from kouiki.model.matrix import MONEY_UNIT, PooledCost, initial_weights, linear_cost
from kouiki.scenario import Scenario


def build_model(instance: Instance, scenario: Scenario, candidates: list[Candidate],
                omit: frozenset = frozenset()) -> pyo.ConcreteModel:
    """Sets, parameters, variables, constraints and objective, in that order."""
    m = pyo.ConcreteModel(name="kouiki")
    by_key = {c.key: c for c in sorted(candidates, key=lambda c: c.key)}
    tasks, methods, munis = instance.tasks, instance.methods, instance.municipalities
    money = 1.0 / MONEY_UNIT
    regional = scenario.objective == "regional"

    def S(t: str, j: str) -> float:
        return instance.standalone(t, j) * money

    def vol(t: str, j: str) -> float:
        return instance.volume(t, j)

    # ------------------------------------------------------------------ sets
    m.A = pyo.Set(initialize=list(by_key), dimen=3, ordered=True)
    m.Y = pyo.Set(initialize=[(*k, j) for k, c in by_key.items() for j in c.members], dimen=4, ordered=True)
    m.CURVED = pyo.Set(initialize=[k for k, c in by_key.items() if not linear_cost(instance, c)], dimen=3, ordered=True)
    m.BODY = pyo.Set(initialize=sorted({(k[1], k[2]) for k in by_key if methods[k[1]].body_cost > 0}), dimen=2, ordered=True)
    m.GRANT_HUB = pyo.Set(initialize=sorted({(k[1], k[2]) for k in by_key if methods[k[1]].grant_hub > 0}), dimen=2, ordered=True)
    m.GRANT_MEMBER = pyo.Set(initialize=sorted(
        {(k[1], k[2], j) for k, c in by_key.items() for j in c.members
         if methods[k[1]].grant_member > 0 and (munis[j].can_host or regional)}), dimen=3, ordered=True)

    # ------------------------------------------------------------------ variables
    m.x = pyo.Var(m.A, domain=pyo.Binary)
    m.y = pyo.Var(m.Y, domain=pyo.Binary)
    m.eta = pyo.Var(m.CURVED, domain=pyo.NonNegativeReals)
    m.body = pyo.Var(m.BODY, bounds=(0, 1))
    m.grant_hub = pyo.Var(m.GRANT_HUB, bounds=(0, 1))
    m.grant_member = pyo.Var(m.GRANT_MEMBER, bounds=(0, 1))

    # ------------------------------------------------------------------ expressions
    def members(k):
        return by_key[k].members

    def pooled(k):
        """V = Σ_{j∈P} volume[t,j]."""
        t, _, h = k
        return vol(t, h) * m.x[k] + sum(vol(t, j) * m.y[(*k, j)] for j in members(k))

    def pooled_cost(k):
        """g_t(V) in money units: η, or fixed_cost·x + unit_cost·V where b = 1 and the hub brings volume."""
        if k in m.CURVED:
            return m.eta[k]
        task = tasks[k[0]]
        fixed = task.fixed_cost * money if vol(k[0], k[2]) > 0 else 0.0
        return fixed * m.x[k] + task.unit_cost * money * pooled(k)

    def savings(k):
        """Σ_P S − operating cost − arrangement cost, with operating = s·g(V) + (1−s)·Σ_P S."""
        t, mm, h = k
        method = methods[mm]
        s = method.scale_share
        fixed = (method.arrangement_cost + method.member_cost) * money
        joined = sum((s * S(t, j) - method.member_cost * money) * m.y[(*k, j)] for j in members(k))
        return (s * S(t, h) - fixed) * m.x[k] + joined - s * pooled_cost(k)

    def burden_of_arrangement(k):
        """operating + arrangement cost − payments in − the hub's own standalone cost."""
        t, mm, h = k
        method = methods[mm]
        s = method.scale_share
        ratio = scenario.payment_ratio(instance, t, mm)
        joined = sum(((1 - s - ratio) * S(t, j) + (method.member_cost - method.member_fee) * money) * m.y[(*k, j)]
                     for j in members(k))
        fixed = (method.arrangement_cost + method.member_cost) * money
        return s * pooled_cost(k) + (fixed - s * S(t, h)) * m.x[k] + joined

    joins: dict[tuple[str, str], list] = {}
    for k in m.A:
        joins.setdefault((k[0], k[2]), []).append(m.x[k])
    for k in m.Y:
        joins.setdefault((k[0], k[3]), []).append(m.y[k])
    grants_to: dict[str, list] = {}
    for (mm, h) in m.GRANT_HUB:
        grants_to.setdefault(h, []).append(methods[mm].grant_hub * money * m.grant_hub[mm, h])
    for (mm, h, j) in m.GRANT_MEMBER:
        grants_to.setdefault(j, []).append(methods[mm].grant_member * money * m.grant_member[mm, h, j])

    # ------------------------------------------------------------------ pooled costs
    def pooled_cost_cut(m, t, mm, h, n):
        """η ≥ Σ_i w_i·z_i: an extended polymatroid inequality of g_t over {hub} ∪ members (Edmonds 1970)."""
        k = (t, mm, h)
        weights = initial_weights(_curve(instance, by_key[k]))[n]
        z = [m.x[k]] + [m.y[(*k, j)] for j in members(k)]
        return m.eta[k] >= sum(w * zi for w, zi in zip(weights, z) if w)

    cut_index = [(*k, n) for k in m.CURVED for n in range(len(initial_weights(_curve(instance, by_key[k]))))]
    m.pooled_cost = pyo.Constraint(cut_index, rule=pooled_cost_cut, doc=pooled_cost_cut.__doc__)

    # ------------------------------------------------------------------ constraints
    def link_member(m, t, mm, h, j):
        """A member joins only an arrangement that exists (y ≤ x, disaggregated for a tight relaxation)."""
        return m.y[t, mm, h, j] <= m.x[t, mm, h]

    m.link_member = pyo.Constraint(m.Y, rule=link_member, doc=link_member.__doc__)

    def l1_one_method_per_task_and_hub(m, t, j):
        """L1: at most one arrangement per (task, hub); each municipality joins at most one arrangement per task."""
        return sum(joins[(t, j)]) <= 1

    if "L1" not in omit:
        m.l1_one_method_per_task_and_hub = pyo.Constraint(sorted(k for k, terms in joins.items() if len(terms) > 1),
                                                          rule=l1_one_method_per_task_and_hub,
                                                          doc=l1_one_method_per_task_and_hub.__doc__)

    def l5_members(m, t, mm, h):
        """L5: |P| ≥ min_members_m (the hub counts)."""
        need = methods[mm].min_members - 1
        if need <= 0:
            return pyo.Constraint.Skip
        return sum(m.y[t, mm, h, j] for j in members((t, mm, h))) >= need * m.x[t, mm, h]

    if "L5" not in omit:
        m.l5_members = pyo.Constraint(m.A, rule=l5_members, doc=l5_members.__doc__)

    def body_paid(m, t, mm, h):
        """body_cost_m is paid once for every (m, h) with at least one arrangement."""
        return m.body[mm, h] >= m.x[t, mm, h]

    m.body_paid = pyo.Constraint([k for k in m.A if (k[1], k[2]) in m.BODY], rule=body_paid, doc=body_paid.__doc__)

    def grant_hub_earned(m, mm, h):
        """h receives grant_hub_m once if it leads at least one arrangement of m."""
        return m.grant_hub[mm, h] <= sum(m.x[k] for k in m.A if k[1] == mm and k[2] == h)

    m.grant_hub_earned = pyo.Constraint(m.GRANT_HUB, rule=grant_hub_earned, doc=grant_hub_earned.__doc__)

    def grant_member_earned(m, mm, h, j):
        """A member receives grant_member_m once per (m, h) it joins."""
        return m.grant_member[mm, h, j] <= sum(m.y[k] for k in m.Y if k[1] == mm and k[2] == h and k[3] == j)

    m.grant_member_earned = pyo.Constraint(m.GRANT_MEMBER, rule=grant_member_earned, doc=grant_member_earned.__doc__)

    def net_burden(m, h):
        """Σ_a at h (operating + arrangement cost − payments in − [h ∈ P]·S[t,h]) + bodies − grants."""
        return (sum(burden_of_arrangement(k) for k in m.A if k[2] == h)
                + sum(methods[mm].body_cost * money * m.body[mm, hh] for (mm, hh) in m.BODY if hh == h)
                - sum(grants_to.get(h, [])))

    def l6_burden_cap(m, h):
        """L6: each hub's net burden ≤ its cap."""
        if ("L6", h) in omit or not (any(k[2] == h for k in m.A) or grants_to.get(h)):
            return pyo.Constraint.Skip  # a hub with nothing to lead: its burden is 0 (refused beforehand if the cap is below 0)
        return net_burden(m, h) <= scenario.cap(instance, h) * money

    if "L6" not in omit:
        m.l6_burden_cap = pyo.Constraint(sorted(instance.hubs()), rule=l6_burden_cap, doc=l6_burden_cap.__doc__)

    def l7_capacity(m, h):
        """L7: Σ staff_per_unit_t · V over a hub's arrangements ≤ staff_capacity."""
        capacity = munis[h].staff_capacity
        terms = [tasks[k[0]].staff_per_unit * pooled(k) for k in m.A if k[2] == h and tasks[k[0]].staff_per_unit > 0]
        if capacity is None or not terms or ("L7", h) in omit:
            return pyo.Constraint.Skip
        return sum(terms) <= capacity

    if "L7" not in omit:
        m.l7_capacity = pyo.Constraint(sorted(instance.hubs()), rule=l7_capacity, doc=l7_capacity.__doc__)

    def l8_must_join(m, t, j):
        """L8: `must` rows join something (leading counts)."""
        if ("L8", t, j) in omit or (t, j) not in joins:
            return pyo.Constraint.Skip
        return sum(joins[(t, j)]) >= 1

    if "L8" not in omit:
        m.l8_must_join = pyo.Constraint(sorted(k for k, row in instance.rows.items() if row.willing == MUST),
                                        rule=l8_must_join, doc=l8_must_join.__doc__)

    # What-ifs (pipeline refuses beforehand those no legal choice can meet)
    def whatif_force(m, i):
        """What-if --force TASK=METHOD[@HUB]: that arrangement exists."""
        t, mm, h = scenario.forced[i]
        keys = [k for k in m.A if k[0] == t and k[1] == mm and (h is None or k[2] == h)]
        return sum(m.x[k] for k in keys) >= 1 if keys else pyo.Constraint.Skip

    m.whatif_force = pyo.Constraint(range(len(scenario.forced)), rule=whatif_force, doc=whatif_force.__doc__)

    def whatif_require(m, t, j):
        """What-if --require TASK:MUNICIPALITY: it takes part in the task (leading counts)."""
        return sum(joins[(t, j)]) >= 1 if (t, j) in joins else pyo.Constraint.Skip

    m.whatif_require = pyo.Constraint(sorted(scenario.required), rule=whatif_require, doc=whatif_require.__doc__)

    def whatif_keep_current(m, i):
        """What-if --keep-current: an arrangement in force keeps its method, hub and participants."""
        c = instance.current[i]
        key = (c.task, c.method, c.hub)
        kept = [j for j in c.participants if j != c.hub]
        if key not in by_key or any(j not in members(key) for j in kept):
            return pyo.Constraint.Skip
        return m.x[key] + sum(m.y[(*key, j)] for j in kept) >= len(kept) + 1

    current = range(len(instance.current)) if scenario.keep_current else []
    m.whatif_keep_current = pyo.Constraint(current, rule=whatif_keep_current, doc=whatif_keep_current.__doc__)

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

    m.total_savings = pyo.Objective(rule=total_savings, sense=pyo.maximize, doc=total_savings.__doc__)
    return m


def _curve(instance: Instance, c: Candidate) -> PooledCost:
    """g_t over this arrangement's ground set, for its cuts' weights (columns are not needed here)."""
    task = instance.tasks[c.task]
    volumes = (instance.volume(c.task, c.hub), *(instance.volume(c.task, j) for j in c.members))
    return PooledCost(c.key, tuple(range(len(volumes))), volumes, task.fixed_cost / MONEY_UNIT,
                      task.unit_cost / MONEY_UNIT, task.scale_elasticity)
