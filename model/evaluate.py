"""Exact evaluation of a plan from SPEC §5's formulas, and a re-check of L1–L10.

Written from the formulas alone, never from the MIP's variables, so that it
checks the optimiser (STYLE: the evaluator is the referee).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kouiki.instance import MUST, Instance
from kouiki.scenario import Scenario
from kouiki.messages import Message
from kouiki.model import legal

SLACK_YEN = 1.0  # SPEC §9: every constraint holds with 1 yen of slack


@dataclass(frozen=True, order=True)
class Arrangement:
    """a = (t, m, h, P): task, method, hub, and participants (the hub included)."""

    task: str
    method: str
    hub: str
    participants: tuple[str, ...]  # sorted, hub included

    @classmethod
    def of(cls, task: str, method: str, hub: str, participants) -> "Arrangement":
        return cls(task, method, hub, tuple(sorted(set(participants) | {hub})))

    @property
    def members(self) -> tuple[str, ...]:
        """Participants other than the hub."""
        return tuple(j for j in self.participants if j != self.hub)


@dataclass(frozen=True)
class ArrangementResult:
    arrangement: Arrangement
    pooled_volume: float
    standalone_total: float
    operating_cost: float
    arrangement_cost: float
    payments_in: float
    savings: float
    hub_burden: float  # this arrangement's part of the hub's net burden


@dataclass(frozen=True)
class Participation:
    task: str
    municipality: str
    method: str | None  # None: does the task alone
    hub: str | None
    standalone_cost: float
    payment: float  # what it pays as a member (0 alone or as hub)
    saving: float  # S − payment for members; 0 alone; the hub's is in its net burden


@dataclass(frozen=True)
class LedgerRow:
    municipality: str
    role: str
    standalone_total: float
    cost_under_plan: float
    saving: float
    net_burden: float | None  # municipalities that can host
    burden_cap: float | None
    grants: float
    member_saving: float  # Σ (S − payment) over arrangements joined as a member


@dataclass
class Evaluation:
    plan: tuple[Arrangement, ...]
    arrangements: list[ArrangementResult]
    participation: list[Participation]
    ledger: list[LedgerRow]
    total_savings: float
    body_costs: dict[tuple[str, str], float]
    grants: dict[str, float]
    net_burden: dict[str, float]
    violations: list[tuple[str, str]] = field(default_factory=list)

    @property
    def max_net_burden(self) -> tuple[float | None, str | None]:
        """The largest net burden and its hub, among the hubs that lead something if any do."""
        if not self.net_burden:
            return None, None
        leading = {a.hub for a in self.plan}
        pool = sorted(h for h in self.net_burden if h in leading) or sorted(self.net_burden)
        hub = max(pool, key=lambda h: self.net_burden[h])
        return self.net_burden[hub], hub


def evaluate(instance: Instance, scenario: Scenario, plan) -> Evaluation:
    """Every reported number of one plan, exactly, plus the rules it breaks."""
    plan = tuple(sorted(plan))
    tasks, methods, munis = instance.tasks, instance.methods, instance.municipalities
    results: list[ArrangementResult] = []
    role_in: dict[tuple[str, str], Arrangement] = {}
    burden: dict[str, float] = defaultdict(float)
    outlay: dict[str, float] = defaultdict(float)  # what each municipality pays out under the plan
    member_saving: dict[str, float] = defaultdict(float)
    violations: list[tuple[str, str]] = []

    for a in plan:
        task, method = tasks[a.task], methods[a.method]
        S = {j: instance.standalone(a.task, j) for j in a.participants}
        volume = sum(instance.volume(a.task, j) for j in a.participants)
        standalone_total = sum(S.values())
        operating = method.scale_share * task.cost(volume) + (1 - method.scale_share) * standalone_total
        arrangement_cost = method.arrangement_cost + method.member_cost * len(a.participants)
        payments = {j: scenario.payment(instance, a.task, a.method, j) for j in a.members}
        payments_in = sum(payments.values())
        savings = standalone_total - operating - arrangement_cost
        hub_part = operating + arrangement_cost - payments_in - S[a.hub]
        results.append(ArrangementResult(a, volume, standalone_total, operating, arrangement_cost, payments_in, savings, hub_part))
        burden[a.hub] += hub_part
        outlay[a.hub] += operating + arrangement_cost - payments_in
        for j in a.members:
            row = instance.rows.get((a.task, j))
            payer = row.payer if row is not None and row.payer else j
            outlay[payer] += payments[j]
            member_saving[j] += S[j] - payments[j]
        for j in a.participants:
            if (a.task, j) in role_in:
                violations.append(("L1", Message("eval.two_arrangements", municipality=j, task=a.task)))
            role_in[(a.task, j)] = a

    # bodies and grants, once per (method, hub)
    used = sorted({(a.method, a.hub) for a in plan})
    body_costs = {(m, h): methods[m].body_cost for (m, h) in used if methods[m].body_cost > 0}
    grants: dict[str, float] = defaultdict(float)
    for (m, h) in used:
        method = methods[m]
        if method.grant_hub:
            grants[h] += method.grant_hub
        if method.grant_member:
            joined = {j for a in plan if (a.method, a.hub) == (m, h) for j in a.members}
            for j in joined:
                grants[j] += method.grant_member
    for (m, h), cost in body_costs.items():
        burden[h] += cost
        outlay[h] += cost
    for j, amount in grants.items():
        burden[j] -= amount
        outlay[j] -= amount

    total = sum(r.savings for r in results) - sum(body_costs.values())
    # reports follow the user's order: tasks as in tasks.csv, hubs as in municipalities.csv
    results.sort(key=lambda r: (instance.task_rank(r.arrangement.task), instance.municipality_rank(r.arrangement.hub), r.arrangement.method))
    body_costs = dict(sorted(body_costs.items(), key=lambda item: (instance.municipality_rank(item[0][1]), item[0][0])))

    participation: list[Participation] = []
    for (t, j) in sorted(instance.rows, key=lambda key: (instance.task_rank(key[0]), instance.municipality_rank(key[1]))):
        S = instance.standalone(t, j)
        a = role_in.get((t, j))
        if a is None:
            participation.append(Participation(t, j, None, None, S, 0.0, 0.0))
            outlay[j] += S
        elif a.hub == j:
            participation.append(Participation(t, j, a.method, a.hub, S, 0.0, 0.0))
        else:
            pay = scenario.payment(instance, t, a.method, j)
            participation.append(Participation(t, j, a.method, a.hub, S, pay, S - pay))

    standalone_of: dict[str, float] = defaultdict(float)
    for (t, j) in instance.rows:
        standalone_of[j] += instance.standalone(t, j)
    net_burden = {h: burden[h] for h in instance.hubs()}
    ledger = []
    for j in munis:  # municipalities.csv's order
        city = munis[j]
        cost = outlay[j]
        ledger.append(
            LedgerRow(
                j, city.role, standalone_of[j], cost, standalone_of[j] - cost,
                net_burden.get(j), scenario.cap(instance, j) if city.can_host else None,
                grants.get(j, 0.0), member_saving[j],
            )
        )
    evaluation = Evaluation(plan, results, participation, ledger, total, body_costs, dict(grants), net_burden, violations)
    violations.extend(check_rules(instance, scenario, evaluation, role_in))
    return evaluation


def check_rules(instance: Instance, scenario: Scenario, ev: Evaluation, role_in: dict) -> list[tuple[str, str]]:
    """L1–L10 on a finished plan (L1's double membership is found while evaluating)."""
    found: list[tuple[str, str]] = []
    munis = instance.municipalities
    seen_hub: set[tuple[str, str]] = set()
    for r in ev.arrangements:
        a = r.arrangement
        if a.method not in instance.methods:
            found.append(("L2", Message("eval.method_unavailable", task=a.task, method=a.method)))
            continue
        if (a.task, a.hub) in seen_hub:
            found.append(("L1", Message("eval.leads_two", hub=a.hub, task=a.task)))
        seen_hub.add((a.task, a.hub))
        if not munis[a.hub].can_host:
            found.append(("L5", Message("eval.cannot_host", hub=a.hub, task=a.task)))
        for rule, why in (
            ("L2", legal.l2_compatible(instance, a.task, a.method)),
            ("L3", legal.l3_core_city(instance, a.task, a.hub)),
            ("L4", legal.l4_metro_hub(instance, scenario, a.hub) if a.method == legal.METRO else None),
        ):
            if why:
                found.append((rule, why))
        if len(a.participants) < instance.methods[a.method].min_members:
            found.append(("L5", Message("eval.too_few", task=a.task, method=a.method, hub=a.hub, count=len(a.participants),
                                        need=instance.methods[a.method].min_members)))
        for j in a.participants:
            for rule, why in (("L5", legal.l5_party(instance, a.method, j)), ("L8", legal.l8_willing(instance, a.task, j))):
                if why:
                    found.append((rule, why))
        for j in a.members:
            if (a.task, j) not in instance.rows:
                found.append(("L5", Message("eval.no_row", municipality=j, task=a.task, hub=a.hub)))
            for rule, why in (("L5", legal.l5_reach(instance, j, a.hub)), ("L9", legal.l9_member_not_worse_off(instance, scenario, a.task, a.method, j))):
                if why:
                    found.append((rule, why))
    for h, value in ev.net_burden.items():
        cap = scenario.cap(instance, h)
        if value > cap + SLACK_YEN:
            found.append(("L6", Message("eval.over_cap", hub=h, burden=f"{value:,.0f}", cap=f"{cap:,.0f}")))
    staff: dict[str, float] = defaultdict(float)
    for r in ev.arrangements:
        staff[r.arrangement.hub] += instance.tasks[r.arrangement.task].staff_per_unit * r.pooled_volume
    for h, need in staff.items():
        capacity = munis[h].staff_capacity
        if capacity is not None and need > capacity + 1e-6:
            found.append(("L7", Message("eval.staff", hub=h, need=f"{need:g}", capacity=f"{capacity:g}")))
    for (t, j), row in instance.rows.items():
        if row.willing == MUST and (t, j) not in role_in:
            found.append(("L8", Message("eval.must_alone", municipality=j, task=t)))
    found.extend(check_what_ifs(instance, scenario, ev, role_in))
    if scenario.max_arrangements is not None and len(ev.arrangements) > scenario.max_arrangements:
        found.append(("L10", Message("eval.too_many", count=len(ev.arrangements), allowed=scenario.max_arrangements)))
    return found


def check_what_ifs(instance: Instance, scenario: Scenario, ev: Evaluation, role_in: dict) -> list[tuple[str, str]]:
    """The workshop's what-ifs (SPEC §7) on a finished plan."""
    found: list[tuple[str, str]] = []
    chosen = {(a.task, a.method, a.hub): a for a in ev.plan}
    for a in ev.plan:
        if a.method in scenario.forbidden_methods or (a.task, a.method) in scenario.forbidden:
            found.append(("what-if", Message("eval.forbidden_used", task=a.task, method=a.method)))
        for j in a.participants:
            if j in scenario.excluded:
                found.append(("what-if", Message("eval.excluded_joins", municipality=j, task=a.task)))
    for (t, m, h) in scenario.forced:
        if not any(k[0] == t and k[1] == m and (h is None or k[2] == h) for k in chosen):
            found.append(("what-if", Message("eval.forced_missing", label=f"{t}={m}{'@' + h if h else ''}")))
    for (t, j) in scenario.required:
        if (t, j) not in role_in:
            found.append(("what-if", Message("eval.required_missing", municipality=j, task=t)))
    if scenario.keep_current:
        for c in instance.current:
            a = chosen.get((c.task, c.method, c.hub))
            if a is None or not set(c.participants) <= set(a.participants):
                found.append(("what-if", Message("eval.current_dissolved", task=c.task, method=c.method, hub=c.hub)))
    return found
