"""Why not? (issue 14): for every willing municipality left alone in a task by option 1, the reason.

Each (task, municipality) that has a row, is willing and does the task alone
in option 1 gets one of these reasons, cheapest first:

- rule: no legal arrangement of the task can include it (model/legal.py's
  exclusions say which rule, with its numbers); for L9 the break-even
  member_fee and fee ratio at which that rule would let it in;
- lower_savings: the best plan with it taking part (as `--require TASK:MUNICIPALITY`
  would ask) saves less than option 1, by the amount shown;
- hub_cap: no plan with it keeps every rule, and adding it to option 1's
  arrangement breaks only a hub's burden cap: which hub, by how much, and the
  cap at which that plan would keep every rule;
- other_rule: no plan with it keeps every rule, for the rule named;
- tie: a plan with it saves as much as option 1 (within 1 yen per arrangement);
- undecided: its forced re-solve did not finish within its share of the run's time.

The forced re-solves run on the Planner that found option 1, with one
participation row added and let go after (model/options.py), so its cuts carry
over; every plan and amount comes from the exact evaluation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from kouiki.instance import UNWILLING
from kouiki.messages import text
from kouiki.model.evaluate import Arrangement, evaluate
from kouiki.model.options import participation, take_part_row

PRIORITY = ("L9", "L8", "what-if", "L5", "L3", "L4", "L2")  # the rule named first when several keep it out
HUB_PRIORITY = ("L3", "L4", "L8", "what-if", "L5", "L2", "L9")  # … when no hub can lead the task


def say(key: str, lang: str, **values) -> str:
    """The catalogue's sentence whynot.KEY (kouiki/messages.py) in `lang`."""
    return text("whynot." + key, lang, **values)


def man(value: float) -> str:
    return f"{value / 1e4:,.0f}万円"


@dataclass(frozen=True)
class WhyNot:
    task: str
    municipality: str
    reason: str  # rule, lower_savings, hub_cap, other_rule, tie, undecided
    rule: str = ""
    hub: str = ""
    amount: float | None = None  # yen: L9's payment above the limit, the savings lost, or the burden above the cap
    savings_with: float | None = None  # the best plan's savings with it taking part (yen)
    break_even_member_fee: float | None = None
    break_even_fee_ratio: float | None = None
    break_even_burden_cap: float | None = None
    text: str = ""


def left_alone(instance, plan) -> list[tuple[str, str]]:
    """(task, municipality) rows, willing, that do the task alone in the plan, sorted (as report rows are)."""
    taking_part = participation(plan)
    return sorted(k for k, row in instance.rows.items() if row.willing != UNWILLING and k not in taking_part)


def can_take_part(candidates, task: str, municipality: str) -> bool:
    return any(c.task == task and (municipality in c.members or c.hub == municipality) for c in candidates)


# ---------------------------------------------------------------------- reasons without a solve


def l9_reason(instance, scenario, task: str, municipality: str, methods: list[str], lang: str) -> WhyNot:
    """The L9 refusal closest to passing, with the member_fee and fee ratio at which it would pass."""
    standalone = instance.standalone(task, municipality)
    limit = (1 - scenario.min_town_saving) * standalone

    def excess(m):
        return scenario.payment(instance, task, m, municipality) - limit

    method = min(methods, key=lambda m: (excess(m), m))
    ratio = scenario.payment_ratio(instance, task, method)
    fee = instance.methods[method].member_fee
    payment = scenario.payment(instance, task, method, municipality)
    fee_even = limit - ratio * standalone
    ratio_even = (limit - fee) / standalone if standalone > 0 else None
    fee_even = fee_even if fee_even >= 0 else None
    ratio_even = ratio_even if ratio_even is not None and ratio_even >= 0 else None
    none = say("no_break_even", lang)
    label = instance.methods[method].label_ja if lang == "ja" else method
    text = say("l9", lang, method=label, payment=man(payment), limit=man(limit), fee=man(fee), ratio=ratio,
               fee_even=say("at_most", lang, value=man(fee_even)) if fee_even is not None else none,
               ratio_even=say("at_most", lang, value=f"{math.floor(ratio_even * 1e6) / 1e6:.6g}") if ratio_even is not None else none)
    return WhyNot(task, municipality, "rule", "L9", amount=payment - limit, break_even_member_fee=fee_even,
                  break_even_fee_ratio=ratio_even, text=text)


def hub_may_lead(instance, scenario, task: str, method: str, hub: str) -> bool:
    """The hub's own rules (L3, L4, L5 party, L8, --exclude) let it lead this task by this method."""
    from kouiki.model.legal import METRO, l3_core_city, l4_metro_hub, l5_party, l8_willing

    return not (l3_core_city(instance, task, hub) or (method == METRO and l4_metro_hub(instance, scenario, hub))
                or l5_party(instance, method, hub) or l8_willing(instance, task, hub) or hub in scenario.excluded)


def rule_reason(instance, scenario, exclusions, task: str, municipality: str, lang: str) -> WhyNot:
    """No legal arrangement of the task can include it: the rule that keeps it out, from the exclusions."""
    mine = [e for e in exclusions if e.task == task and e.member == municipality]
    general = [e for e in exclusions if e.task == task and e.member is None]
    # methods some hub could lead: only there does a member's own refusal (L9 first) keep it out
    led = {m for m in instance.methods if not any(e.method == m and e.hub is None for e in general)
           and any(hub_may_lead(instance, scenario, task, m, h) for h in instance.hubs() if h != municipality)}
    l9 = [e.method for e in mine if e.rule == "L9" and e.method in led]
    if l9:
        return l9_reason(instance, scenario, task, municipality, l9, lang)
    # when no hub can lead the task at all, what keeps the hubs out comes first
    at_hubs = [e for e in general if e.hub is not None]
    pool = [e for e in mine if e.method in led] + general if led else at_hubs + general + mine
    for rule in (PRIORITY if led else HUB_PRIORITY):
        found = sorted((e for e in pool if e.rule == rule), key=lambda e: (e.method, e.hub or "", e.member or "", e.reason))
        if found:
            return WhyNot(task, municipality, "rule", rule, text=say("rule", lang, rule=rule, reason=found[0].reason))
    return WhyNot(task, municipality, "rule", "L5", text=say("unreachable", lang, who=municipality, task=task))


# ---------------------------------------------------------------------- reasons from a forced re-solve


def insertions(instance, candidates, plan, task: str, municipality: str):
    """Option 1 with the municipality added to one arrangement of the task it could join (or a new pair)."""
    at = {(a.task, a.hub): a for a in plan}
    for c in candidates:
        if c.task != task or municipality not in c.members:
            continue
        existing = at.get((task, c.hub))
        if existing is not None and existing.method != c.method:
            continue
        if existing is None and instance.methods[c.method].min_members > 2:
            continue
        others = [a for a in plan if a is not existing]
        joined = Arrangement.of(task, c.method, c.hub, (existing.participants if existing else (c.hub,)) + (municipality,))
        yield others + [joined]


def blocked_reason(planner, plan, task: str, municipality: str, lang: str) -> WhyNot:
    """No plan with it keeps every rule: the burden cap its simplest addition breaks, else the rules."""
    instance, scenario = planner.instance, planner.scenario
    best_cap, fewest = None, None
    for trial in insertions(instance, planner.candidates, plan, task, municipality):
        ev = evaluate(instance, scenario, trial)
        rules = {rule for rule, _ in ev.violations}
        if rules == {"L6"}:
            over = {h: b - scenario.cap(instance, h) for h, b in ev.net_burden.items() if b > scenario.cap(instance, h) + 1.0}
            total = sum(over.values())
            if over and (best_cap is None or total < best_cap[0]):
                best_cap = (total, over)
        elif ev.violations and (fewest is None or len(ev.violations) < len(fewest)):
            fewest = ev.violations
    if best_cap is not None:
        over = best_cap[1]
        hub = max(over, key=lambda h: (over[h], h))
        cap = scenario.cap(instance, hub)
        even = math.ceil(cap + over[hub])
        return WhyNot(task, municipality, "hub_cap", "L6", hub=hub, amount=over[hub], break_even_burden_cap=float(even),
                      text=say("cap", lang, hub=hub, cap=man(cap), excess=man(over[hub]), even=f"{even:,}円"))
    if fewest:
        rules = "; ".join(f"{rule}: {text}" for rule, text in fewest)
        return WhyNot(task, municipality, "other_rule", fewest[0][0], text=say("other", lang, rules=rules))
    return WhyNot(task, municipality, "other_rule", "", text=say("infeasible", lang))


def forced_reason(planner, first, task: str, municipality: str, deadline, lang: str) -> WhyNot:
    """Re-solve with the municipality taking part; compare with option 1."""
    from kouiki.errors import NoPlanInTimeError
    from kouiki.pipeline import NoMoreOptions

    name, terms, lower = take_part_row(planner.exact, task, municipality)
    session = planner._session()
    session.add_rows([(name, terms, lower, float("inf"))])
    row = session.highs.getNumRow() - 1
    kept = planner.deadline, planner.constrained
    planner.deadline, planner.constrained = deadline, True
    try:
        outcome = planner.next()
    except NoMoreOptions:
        if deadline.expired():
            return WhyNot(task, municipality, "undecided", text=say("undecided", lang))
        return blocked_reason(planner, first.evaluation.plan, task, municipality, lang)
    except NoPlanInTimeError:
        return WhyNot(task, municipality, "undecided", text=say("undecided", lang))
    finally:
        session.highs.changeRowBounds(row, -float("inf"), float("inf"))
        planner.deadline, planner.constrained = kept
    if outcome.warnings:
        return WhyNot(task, municipality, "undecided", text=say("undecided", lang))
    best, forced = first.evaluation.total_savings, outcome.evaluation.total_savings
    loss = best - forced
    if loss <= 1.0 * (len(outcome.evaluation.plan) + 1):
        return WhyNot(task, municipality, "tie", amount=0.0, savings_with=forced, text=say("tie", lang, forced=man(forced)))
    return WhyNot(task, municipality, "lower_savings", amount=loss, savings_with=forced,
                  text=say("lower", lang, loss=man(loss), best=man(best), forced=man(forced)))


def why_not_rows(planner, first, lang: str = "ja") -> list[WhyNot]:
    """Every willing municipality left alone in option 1, with its reason (module docstring)."""
    instance, scenario = planner.instance, planner.scenario
    alone = left_alone(instance, first.evaluation.plan)
    to_solve = [k for k in alone if can_take_part(planner.candidates, *k)]
    found = {}
    for key in alone:
        if key not in to_solve:
            found[key] = rule_reason(instance, scenario, planner.exclusions, *key, lang)
    run = planner.deadline
    for number, key in enumerate(to_solve):
        # each re-solve gets an even share of what is left of the run's time, half kept for what follows
        share = run.child(share=0.5 / (len(to_solve) - number))
        found[key] = forced_reason(planner, first, *key, share, lang)
    return [found[k] for k in alone]


def why_not_text(reasons: list[WhyNot], lang: str = "ja") -> list[str]:
    lines = [say("heading", lang)]
    lines += [say("line", lang, task=r.task, who=r.municipality, text=r.text) for r in reasons] or [say("none", lang)]
    return lines


def why_not_table(reasons: list[WhyNot]):
    from kouiki.reports.write import yen

    def ratio(value):
        return "" if value is None else f"{math.floor(value * 1e6) / 1e6:.6f}"

    header = ["task", "municipality", "reason", "rule", "hub", "amount", "savings_with", "break_even_member_fee",
              "break_even_fee_ratio", "break_even_burden_cap", "explanation"]
    rows = [[r.task, r.municipality, r.reason, r.rule, r.hub, yen(r.amount), yen(r.savings_with),
             yen(None if r.break_even_member_fee is None else math.floor(r.break_even_member_fee)),
             ratio(r.break_even_fee_ratio), yen(r.break_even_burden_cap), r.text] for r in reasons]
    return header, rows
