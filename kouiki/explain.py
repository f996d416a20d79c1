"""Why no plan exists: a minimal set of the user's what-ifs and rules that conflict (SPEC §7).

Forced choices are first checked against the rules directly; otherwise a
deletion filter drops each what-if (or soft rule) in turn and keeps it out
while the rest still admit no plan, so that everything named is needed for
the conflict.
"""

from __future__ import annotations

import time

from kouiki.instance import MUST, Instance
from kouiki.messages import Message, Rule, Yen
from kouiki.model.legal import Candidate, Exclusion, legal_choices
from kouiki.scenario import Scenario
from kouiki.solvers.highs import SolverSettings


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
        if instance.municipalities[h].burden_cap is not None:
            source = Message("explain.cap_own")
        else:
            source = Message("explain.cap_option" if scenario.burden_cap else "explain.cap_default")
        return Message("explain.cap", hub=h, money=Yen(cap), source=source)
    if rule == "L7":
        return Message("explain.staff", hub=item[1], capacity=f"{instance.municipalities[item[1]].staff_capacity:g}")
    if rule == "L8":
        return Message("explain.must", municipality=item[2], task=item[1])
    return Message("explain.max_arrangements", count=scenario.max_arrangements)


def is_feasible(instance: Instance, scenario: Scenario, settings: SolverSettings, omit: frozenset,
                undecided: bool = True, nodes: int | None = None) -> bool:
    """Does any plan keep every rule? The LP relaxation answers "no" at once; any exact plan answers "yes".

    `nodes` bounds the branch and bound (a count, not a time, so the answer is
    the same on a busy machine); a check it cuts short is undecided.
    """
    from kouiki.errors import InfeasibleError, NoPlanInTimeError
    from kouiki.pipeline import Planner

    try:
        Planner(instance, scenario, SolverSettings(settings.time_limit, 1e9, settings.threads, settings.seed,
                                                   node_limit=nodes), omit, explain=False).next()
    except InfeasibleError:
        return False
    except NoPlanInTimeError:
        # Undecided within the time counts as feasible: the filter then keeps
        # the constraint, so what it names is still a true conflict, at worst
        # not a minimal one.
        return undecided
    return True


EXPLAIN_SECONDS = 60.0  # how long an explanation may take without --time-limit
# "the conflict runs through Lx" is said only when a plan without Lx is found
# quickly (the greedy plan, or within this many branch-and-bound nodes and
# seconds): a side remark, not worth minutes. Without L9 every member is
# eligible everywhere and HiGHS's root alone took 27 s on Kensei.
RULE_CHECK_NODES = 50
RULE_CHECK_SECONDS = 2.0


def within(settings: SolverSettings, deadline: float) -> SolverSettings:
    """The solver settings for one feasibility check, bounded by the explanation's deadline."""
    return SolverSettings(max(deadline - time.perf_counter(), 0.2), settings.gap, settings.threads, settings.seed)


def explain_infeasible(instance: Instance, scenario: Scenario, settings: SolverSettings, omit: frozenset) -> list[tuple[str, str]]:
    """A minimal set of conflicting constraints (deletion filter): dropping any one admits a plan."""
    deadline = time.perf_counter() + (settings.time_limit or EXPLAIN_SECONDS)
    items = soft_items(instance, scenario)
    keep = list(items)
    for item in items:
        trial = [i for i in keep if i != item]
        dropped = frozenset(i for i in items if i not in trial) | omit
        if not is_feasible(instance, scenario, within(settings, deadline), dropped):
            keep = trial
    if not keep:
        return [("rules", Message("explain.no_plan_rules"))]
    return [(item[0], describe(instance, scenario, item)) for item in keep]


def impossible_what_ifs(instance: Instance, scenario: Scenario, candidates: list[Candidate], exclusions: list[Exclusion]) -> list[tuple[str, str]]:
    """Forced choices checked against the rules directly, before any solve.

    Each entry is a conflict by itself: no legal arrangement can meet that what-if.
    """
    keys = {c.key: c for c in candidates}

    def why(task, method, hub=None, member=None):
        found = sorted({Message("explain.reason_rule", reason=e.reason, rule=Rule(e.rule)) for e in exclusions
                        if e.task == task and (method is None or e.method == method)
                        and (hub is None or e.hub in (None, hub)) and e.member == member})
        if not found:
            return Message("explain.no_host")
        return found[:4] + ([Message("explain.and_more", count=len(found) - 4)] if len(found) > 4 else [])

    reasons: list[tuple[str, str]] = []
    for (t, m, h) in scenario.forced:
        if not any(k[0] == t and k[1] == m and (h is None or k[2] == h) for k in keys):
            label = f"--force {t}={m}" + (f"@{h}" if h else "")
            if h is not None and not instance.municipalities[h].can_host:
                reasons.append(("what-if", Message("explain.force_no_host", label=label, hub=h)))
            else:
                reasons.append(("what-if", Message("explain.impossible", label=label, why=why(t, m, h))))
    for (t, j) in sorted(scenario.required):
        if (t, j) not in instance.rows and not any(k[0] == t and k[2] == j for k in keys):
            reasons.append(("what-if", Message("explain.require_no_row", label=f"--require {t}:{j}", municipality=j, task=t)))
        elif not any((k[0] == t and k[2] == j) or (k[0] == t and j in c.members) for k, c in keys.items()):
            because = why(t, None, None, j) if any(e.member == j and e.task == t for e in exclusions) else why(t, None, j)
            reasons.append(("what-if", Message("explain.impossible", label=f"--require {t}:{j}", why=because)))
    if scenario.keep_current:
        for c in instance.current:
            key = (c.task, c.method, c.hub)
            label = Message("explain.keep_current_label", task=c.task, method=c.method, hub=c.hub, row=c.row)
            if key not in keys:
                reasons.append(("what-if", Message("explain.impossible", label=label, why=why(c.task, c.method, c.hub))))
                continue
            for j in c.participants:
                if j != c.hub and j not in keys[key].members:
                    because = why(c.task, c.method, c.hub, j) if (c.task, j) in instance.rows else Message("explain.member_no_row", municipality=j, task=c.task)
                    reasons.append(("what-if", Message("explain.impossible", label=label, why=because)))
    return reasons


def explain_with_what_ifs(instance: Instance, base: Scenario, what_ifs: list, settings: SolverSettings,
                          deadline=None) -> list[tuple[str, str]]:
    """A minimal set of the user's what-ifs that admit no plan together, and the rules they hit.

    Deletion filter: drop each what-if in turn and keep it out if the rest are
    still infeasible. Legal rules stay hard. Removing any one what-if named
    makes the problem feasible. With the run's `deadline` (kouiki.deadline) the
    filter stops checking when it passes, at most EXPLAIN_SECONDS from now.
    """
    from kouiki.errors import UsageError
    from kouiki.whatif import apply

    if deadline is not None:
        left = deadline.child(seconds=EXPLAIN_SECONDS).remaining()
        deadline = time.perf_counter() + left
    else:
        deadline = time.perf_counter() + (settings.time_limit or EXPLAIN_SECONDS)

    def feasible(subset) -> bool:
        try:
            inst, scenario, _ = apply(instance, base, subset)
        except UsageError:
            return False  # a what-if that names what another one creates (a merged city)
        candidates, exclusions = legal_choices(inst, scenario)
        if impossible_what_ifs(inst, scenario, candidates, exclusions):
            return False
        return is_feasible(inst, scenario, within(settings, deadline), frozenset())

    if not feasible([]):
        return [("data", Message("explain.even_without"))] + explain_infeasible(instance, base, settings, frozenset())
    # Dropping a what-if must loosen the problem for the filter to be sound. A
    # cap at or above the default 0, a fee ratio or a merger may loosen it when
    # kept, so they stay applied in the background unless they alone conflict.
    def loosens(w) -> bool:
        if w.kind == "burden-cap":
            from kouiki.numbers import parse_yen

            try:
                return parse_yen(w.argument) >= 0
            except ValueError:
                return False
        return w.kind in ("fee-ratio", "merge")

    background = [w for w in what_ifs if loosens(w)]
    if feasible(background):
        suspects = [w for w in what_ifs if not loosens(w)]
    else:
        background, suspects = [], list(what_ifs)
    keep = list(suspects)
    for what in suspects:
        if time.perf_counter() >= deadline:
            break  # out of time: the rest stay named, a true conflict though perhaps not minimal
        trial = [w for w in keep if w is not what]
        if not feasible(background + trial):
            keep = trial
    inst, scenario, said = apply(instance, base, background + keep)
    reasons = [("what-if", Message("explain.what_if", label=w.label, source=w.where)) for w in keep]
    candidates, exclusions = legal_choices(inst, scenario)
    direct = impossible_what_ifs(inst, scenario, candidates, exclusions)
    if direct:
        details = [("detail", text) for _, text in direct]
    else:
        details = [r for r in explain_infeasible(inst, scenario, settings, frozenset()) if r[0] != "rules"]
        # which rules the conflict runs through: leaving one out admits a plan
        for rule in ("L1", "L5", "L6", "L7", "L8", "L9", "L10"):
            if time.perf_counter() >= deadline:
                break
            quick = within(settings, min(deadline, time.perf_counter() + RULE_CHECK_SECONDS))
            if is_feasible(inst, scenario, quick, frozenset({rule}), undecided=False, nodes=RULE_CHECK_NODES):
                details.append((rule, Message("explain.runs_through", rule=rule)))
    others = [w for w in what_ifs if w not in keep]
    if keep and others and not feasible(others + keep[1:]):
        details.append(("note", Message("explain.another_conflict")))
    if background:
        details.append(("note", Message("explain.with_background", labels=", ".join(w.label for w in background))))
    return reasons + details
