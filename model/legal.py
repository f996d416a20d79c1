"""Which (task, method, hub) arrangements and which members the law and the data allow.

The rules that depend on one choice alone (L2, L3, L4, L5's party rules, L8's
willing = 0, L9) are decided here, before any variable exists: the model only
ever sees legally possible choices (STYLE: no variable created then fixed to 0).
Each predicate returns None when the choice passes, else the reason in words;
the evaluator calls the same predicates to re-check a finished plan.
"""

from __future__ import annotations

from dataclasses import dataclass

from kouiki.instance import CORE_CITY_POPULATION, METRO_COMMUTE_LIMIT, UNWILLING, Instance
from kouiki.messages import Message
from kouiki.scenario import Scenario

METRO = "metro_agreement"


def yen(value: float) -> str:
    """Exact yen in a reason (a break-even is worth the digits); the unit is in the sentence."""
    return f"{value:,.0f}"


def l2_compatible(instance: Instance, task: str, method: str) -> str | None:
    """L2: method m allowed for the task's category (§3 table)."""
    category = instance.tasks[task].category
    if (category, method) in instance.compatibility:
        return None
    return Message("legal.l2", method=instance.methods[method].label_ja, method_id=method, category=category)


def l3_core_city(instance: Instance, task: str, hub: str) -> str | None:
    """L3: a task with core_city_affair = 1 can only be led by a hub with core-city powers."""
    if not instance.tasks[task].core_city_affair:
        return None
    city = instance.municipalities[hub]
    if city.core_city_powers:
        return None
    if city.core_city is False:
        return Message("legal.l3_flag", task=task, hub=hub)
    return Message("legal.l3_population", task=task, hub=hub, population=f"{city.population:,}", threshold=f"{CORE_CITY_POPULATION:,}")


def l4_metro_hub(instance: Instance, scenario: Scenario, hub: str) -> str | None:
    """L4: metro_agreement only at a hub meeting conditions A, B and C of the 連携中枢都市 guideline."""
    city = instance.municipalities[hub]
    failed = []
    if not (city.core_city_powers or city.population >= CORE_CITY_POPULATION):
        failed.append(Message("legal.l4_a", threshold=f"{CORE_CITY_POPULATION:,}", population=f"{city.population:,}"))
    if city.day_night_ratio is None:
        failed.append(Message("legal.l4_b_missing"))
    elif city.day_night_ratio < scenario.day_night_threshold:
        failed.append(Message("legal.l4_b_low", ratio=f"{city.day_night_ratio:g}", threshold=f"{scenario.day_night_threshold:g}"))
    if city.in_three_metro_areas:
        share = city.metro_commute_share
        if share is None:
            failed.append(Message("legal.l4_c_missing"))
        elif share >= METRO_COMMUTE_LIMIT:
            failed.append(Message("legal.l4_c_high", share=f"{share:.1%}", limit=f"{METRO_COMMUTE_LIMIT:.0%}"))
    if not failed:
        return None
    return Message("legal.l4", hub=hub, failed=failed)


def l5_party(instance: Instance, method: str, party: str) -> str | None:
    """L5: a prefecture party only where prefecture_may_join."""
    if instance.municipalities[party].role == "prefecture" and not instance.methods[method].prefecture_may_join:
        return Message("legal.l5_prefecture", party=party, method=instance.methods[method].label_ja, method_id=method)
    return None


def l5_reach(instance: Instance, member: str, hub: str) -> str | None:
    """L5: reach.csv respected."""
    if instance.reaches(member, hub):
        return None
    return Message("legal.l5_reach", member=member, hub=hub)


def l8_willing(instance: Instance, task: str, party: str) -> str | None:
    """L8: willing = 0 rows never join (nor lead, SPEC §9)."""
    row = instance.rows.get((task, party))
    if row is not None and row.willing == UNWILLING:
        return Message("legal.l8", party=party, task=task)
    return None


def l9_member_not_worse_off(instance: Instance, scenario: Scenario, task: str, method: str, member: str) -> str | None:
    """L9: each member other than the hub pays at most (1 − R) of its standalone cost."""
    standalone = instance.standalone(task, member)
    payment = scenario.payment(instance, task, method, member)
    limit = (1 - scenario.min_town_saving) * standalone
    if payment <= limit + 1e-9 * max(1.0, standalone):
        return None
    if scenario.min_town_saving:
        return Message("legal.l9_share", member=member, payment=yen(payment), task=task, method=method,
                       share=f"{1 - scenario.min_town_saving:.0%}", standalone=yen(standalone))
    return Message("legal.l9", member=member, payment=yen(payment), task=task, method=method, standalone=yen(standalone))


@dataclass(frozen=True)
class Candidate:
    """A legally possible arrangement slot: task t, method m, hub h, and who may join."""

    task: str
    method: str
    hub: str
    members: tuple[str, ...]  # possible participants other than the hub

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.task, self.method, self.hub)


@dataclass(frozen=True)
class Exclusion:
    """A choice the rules exclude, and why (run.json lists them)."""

    rule: str
    task: str
    method: str
    hub: str | None
    member: str | None
    reason: str


def legal_choices(instance: Instance, scenario: Scenario, omit: frozenset[str] = frozenset(),
                  deadline=None) -> tuple[list[Candidate], list[Exclusion]]:
    """Every legally possible (task, method, hub) with its possible members, and every exclusion.

    `omit` names rules to leave out (used by tests that show each rule matters).
    A member refused whatever the hub (L5 party, L8, L9, --exclude) is listed once
    with hub None; a member outside a hub's reach is not listed (reach.csv is that record).
    With a `deadline` (kouiki.deadline), each task is decided only while time is left (OutOfTime).
    """
    candidates: list[Candidate] = []
    excluded: list[Exclusion] = []
    hubs = instance.hubs()
    metro_reason = {h: (None if "L4" in omit else l4_metro_hub(instance, scenario, h)) for h in hubs}
    participants_of: dict[str, list[str]] = {}
    for (task, muni) in instance.rows:
        participants_of.setdefault(task, []).append(muni)
    reached_by: dict[str, set[str]] | None = None
    if instance.reach is not None and "L5" not in omit:
        reached_by = {h: {h} for h in hubs}
        for member, hub in instance.reach:
            reached_by.setdefault(hub, {hub}).add(member)

    for task in instance.tasks:
        if deadline is not None:
            deadline.check()
        everyone = sorted(participants_of.get(task, []))
        for method in instance.methods:
            reason = None if "L2" in omit else l2_compatible(instance, task, method)
            if reason:
                excluded.append(Exclusion("L2", task, method, None, None, reason))
                continue
            if method in scenario.forbidden_methods or (task, method) in scenario.forbidden:
                what = f"--forbid-method {method}" if method in scenario.forbidden_methods else f"--forbid {task}={method}"
                excluded.append(Exclusion("what-if", task, method, None, None, Message("legal.forbidden", method=method, task=task, what=what)))
                continue
            eligible = []
            for member in everyone:
                member_checks = (
                    ("L5", lambda: None if "L5" in omit else l5_party(instance, method, member)),
                    ("L8", lambda: None if "L8" in omit else l8_willing(instance, task, member)),
                    ("L9", lambda: None if "L9" in omit else l9_member_not_worse_off(instance, scenario, task, method, member)),
                    ("what-if", lambda: Message("legal.stays_out", municipality=member) if member in scenario.excluded else None),
                )
                for rule, check in member_checks:
                    why = check()
                    if why:
                        excluded.append(Exclusion(rule, task, method, None, member, why))
                        break
                else:
                    eligible.append(member)
            for hub in hubs:
                checks = (
                    ("L3", lambda: None if "L3" in omit else l3_core_city(instance, task, hub)),
                    ("L4", lambda: metro_reason[hub] if method == METRO else None),
                    ("L5", lambda: None if "L5" in omit else l5_party(instance, method, hub)),
                    ("L8", lambda: None if "L8" in omit else l8_willing(instance, task, hub)),
                    ("what-if", lambda: Message("legal.stays_out", municipality=hub) if hub in scenario.excluded else None),
                )
                failure = None
                for rule, check in checks:
                    why = check()
                    if why:
                        failure = Exclusion(rule, task, method, hub, None, why)
                        break
                if failure:
                    excluded.append(failure)
                    continue
                reach = reached_by.get(hub, {hub}) if reached_by is not None else None
                members = tuple(j for j in eligible if j != hub and (reach is None or j in reach))
                need = instance.methods[method].min_members
                if "L5" not in omit and 1 + len(members) < need:
                    excluded.append(Exclusion("L5", task, method, hub, None, Message("legal.l5_members", method=method, need=need, most=1 + len(members), hub=hub)))
                    continue
                candidates.append(Candidate(task, method, hub, members))
    return candidates, excluded
