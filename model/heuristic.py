"""A quick, feasible starting plan for HiGHS (a MIP start).

The model's LP relaxation is tight (0.01 % on the prefecture preset), but HiGHS
spends most of its time finding a first good plan. This greedy plan gives it
one: per task, repeatedly open the arrangement (method, hub, members) that
saves most, members with a negative marginal saving left out; then, while a
hub breaks its burden cap or staff capacity, ban its most burdensome
arrangement and try again. Only a plan that keeps every rule under the exact
evaluation is returned.
"""

from __future__ import annotations

from kouiki.instance import MUST, Instance
from kouiki.model.evaluate import Arrangement, evaluate
from kouiki.model.legal import Candidate
from kouiki.scenario import Scenario


def _savings_of(instance: Instance, c: Candidate, standalone: float, volume: float, count: int) -> float:
    """The saving of `count` participants whose standalone costs and volumes sum as given."""
    task, method = instance.tasks[c.task], instance.methods[c.method]
    operating = method.scale_share * task.cost(volume) + (1 - method.scale_share) * standalone
    return standalone - operating - method.arrangement_cost - method.member_cost * count


def _savings(instance: Instance, c: Candidate, members: list[str]) -> float:
    participants = [c.hub, *members]
    return _savings_of(instance, c, sum(instance.standalone(c.task, j) for j in participants),
                       sum(instance.volume(c.task, j) for j in participants), len(participants))


def best_members(instance: Instance, c: Candidate, available: set[str]) -> tuple[list[str], float]:
    """The candidate's members among `available`, dropping those whose marginal saving is negative.

    A member's marginal saving is the total's against the total without it,
    each from the participants' summed standalone costs and volumes.
    """
    members = [j for j in c.members if j in available]
    need = instance.methods[c.method].min_members - 1
    cost = {j: instance.standalone(c.task, j) for j in (c.hub, *members)}
    volume = {j: instance.volume(c.task, j) for j in (c.hub, *members)}
    for _ in range(3):
        s, v, n = sum(cost[j] for j in (c.hub, *members)), sum(volume[j] for j in (c.hub, *members)), len(members) + 1
        total = _savings_of(instance, c, s, v, n)
        # a marginal saving of zero keeps the member; 1e-6 yen absorbs the subtraction's rounding
        keep = [j for j in members if total - _savings_of(instance, c, s - cost[j], v - volume[j], n - 1) >= -1e-6]
        if len(keep) == len(members):
            break
        members = keep
    if len(members) < need:
        return members, float("-inf")
    return members, _savings(instance, c, members)


def greedy_plan(instance: Instance, scenario: Scenario, candidates: list[Candidate], banned: set) -> list[Arrangement]:
    by_task: dict[str, list[Candidate]] = {}
    for c in candidates:
        if (c.task, c.hub) not in banned:
            by_task.setdefault(c.task, []).append(c)
    bodies_paid: set[tuple[str, str]] = set()
    plan: list[Arrangement] = []
    for t in sorted(by_task):
        available = {j for (tt, j) in instance.rows if tt == t} | {c.hub for c in by_task[t]}
        while True:
            best = None
            for c in by_task[t]:
                if c.hub not in available:
                    continue
                members, value = best_members(instance, c, available)
                if (c.method, c.hub) not in bodies_paid:
                    value -= instance.methods[c.method].body_cost
                if best is None or value > best[0]:
                    best = (value, c, members)
            must = [j for j in available if instance.rows.get((t, j)) is not None and instance.rows[(t, j)].willing == MUST]
            if best is None or (best[0] <= 0 and not must):
                break
            if best[0] == float("-inf"):
                break
            _, c, members = best
            plan.append(Arrangement.of(c.task, c.method, c.hub, members))
            bodies_paid.add((c.method, c.hub))
            available -= {c.hub, *members}
    if scenario.max_arrangements is not None and len(plan) > scenario.max_arrangements:
        ranked = sorted(plan, key=lambda a: -_savings(instance, Candidate(a.task, a.method, a.hub, ()), list(a.members)))
        plan = ranked[: scenario.max_arrangements]
    return plan


def starting_plan(instance: Instance, scenario: Scenario, candidates: list[Candidate], passes: int = 25,
                  deadline=None) -> list[Arrangement] | None:
    """A plan keeping every rule exactly, or None when the greedy finds none (or the deadline passes first)."""
    banned: set = set()
    for _ in range(passes):
        if deadline is not None and deadline.expired():
            return None
        plan = greedy_plan(instance, scenario, candidates, banned)
        ev = evaluate(instance, scenario, plan)
        if not ev.violations:
            return plan
        over = {h for h, burden in ev.net_burden.items() if burden > scenario.cap(instance, h) + 1.0}
        staff: dict[str, float] = {}
        for r in ev.arrangements:
            h = r.arrangement.hub
            staff[h] = staff.get(h, 0.0) + instance.tasks[r.arrangement.task].staff_per_unit * r.pooled_volume
        over |= {h for h, need in staff.items() if instance.municipalities[h].staff_capacity is not None
                 and need > instance.municipalities[h].staff_capacity}
        worst = {}
        for r in ev.arrangements:
            h = r.arrangement.hub
            if h in over and (h not in worst or r.hub_burden > worst[h].hub_burden):
                worst[h] = r
        if not worst:
            return None  # broken for a reason a ban does not mend (must rows, what-ifs)
        # ban the task at that hub whatever the method: another method there burdens it alike
        banned |= {(r.arrangement.task, r.arrangement.hub) for r in worst.values()}
    return None


def repair_caps(instance: Instance, scenario: Scenario, plan, max_steps: int = 12,
                deadline=None) -> list[Arrangement] | None:
    """Mend a plan that breaks burden caps by a little (a pooled cost HiGHS priced too low).

    Step by step, at each overburdened hub, drop the member (or the whole
    arrangement) whose removal lowers that hub's burden at the least loss of
    savings, until every rule holds exactly. None when that does not happen,
    or when the `deadline` passes first: each trial is a whole evaluation, and
    a group of a hundred municipalities has thousands of trials.
    """
    plan = list(plan)
    for _ in range(max_steps):
        if deadline is not None and deadline.expired():
            return None
        ev = evaluate(instance, scenario, plan)
        if not ev.violations:
            return plan
        if any(rule != "L6" for rule, _ in ev.violations):
            return None
        over = {h for h, burden in ev.net_burden.items() if burden > scenario.cap(instance, h) + 1.0}
        best = None
        for i, a in enumerate(plan):
            if a.hub not in over:
                continue
            changes = [[*plan[:i], *plan[i + 1:]]]
            for j in a.members:
                smaller = Arrangement.of(a.task, a.method, a.hub, [k for k in a.members if k != j])
                changes.append([*plan[:i], smaller, *plan[i + 1:]])
            for trial in changes:
                if deadline is not None and deadline.expired():
                    return None
                after = evaluate(instance, scenario, trial)
                relief = ev.net_burden[a.hub] - after.net_burden[a.hub]
                if relief <= 0 or any(rule != "L6" for rule, _ in after.violations):
                    continue
                mended = after.net_burden[a.hub] <= scenario.cap(instance, a.hub) + 1.0
                loss = ev.total_savings - after.total_savings
                key = (not mended, loss if mended else loss / relief)
                if best is None or key < best[0]:
                    best = (key, trial)
        if best is None:
            return None
        plan = best[1]
    return plan if not evaluate(instance, scenario, plan).violations else None
