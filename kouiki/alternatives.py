"""Options that really differ (issue 14): each as different as possible from the ones before it.

Option 1 is the optimum. Every later option saves at least (1 − slack) of it
and changes as many (task, municipality) participation decisions against the
earlier options as a greedy search can reach (model/options.py counts them):
from option 1, take step after step the move — switch an arrangement's method
or hub, dissolve it, drop, add or move one member — that most raises the
smallest change against any earlier option, more savings breaking ties, while
the plan keeps every rule and the savings floor; then the moves that raise the
savings without lowering that change. Every plan looked at is
evaluated exactly (model/evaluate.py): what is reported is what the SPEC's
formulas give, and it breaks no rule.

A solve of the kept model with the change as objective was tried first: on
Kensei it ran for minutes where this search takes seconds (docs/decisions.md).
The search is deterministic, so the same input gives the same options.
"""

from __future__ import annotations

import time

from kouiki.instance import UNWILLING
from kouiki.messages import text
from kouiki.model.evaluate import Arrangement, evaluate
from kouiki.model.options import decisions_changed, participation

SEPARATOR = {"ja": "・", "en": ", "}
DEFAULT_SLACK = 0.05  # options save at least 95 % of the best unless --slack says otherwise


def say(key: str, lang: str, **values) -> str:
    """The catalogue's sentence alt.KEY (kouiki/messages.py) in `lang`."""
    return text("alt." + key, lang, **values)


MAX_STEPS = 60  # moves per option at most (each raises the change by at least one decision)


def moves(plan, candidates, alone):
    """Plans one step from `plan` (module docstring), in a fixed order."""
    by_task: dict[str, list] = {}
    for c in candidates:
        by_task.setdefault(c.task, []).append(c)
    allowed = {c.key: set(c.members) for c in candidates}
    plan = list(plan)
    for i, a in enumerate(plan):
        rest = plan[:i] + plan[i + 1:]
        busy = {j for b in rest if b.task == a.task for j in b.participants}
        yield rest  # dissolve it
        for j in a.members:
            yield rest + [Arrangement.of(a.task, a.method, a.hub, [k for k in a.participants if k != j])]
        for c in by_task.get(a.task, []):
            if (c.method, c.hub) == (a.method, a.hub) or c.hub in busy:
                continue
            members = [j for j in a.participants if j in allowed[c.key]]
            yield rest + [Arrangement.of(a.task, c.method, c.hub, members)]
        for j in alone.get(a.task, []):
            if j in allowed[a.task, a.method, a.hub] and j not in busy:
                yield rest + [Arrangement.of(a.task, a.method, a.hub, a.participants + (j,))]
        for k, b in enumerate(plan):
            if k != i and b.task == a.task:
                for j in a.members:
                    if j in allowed[b.task, b.method, b.hub]:
                        others = [d for n, d in enumerate(plan) if n not in (i, k)]
                        yield others + [Arrangement.of(a.task, a.method, a.hub, [x for x in a.participants if x != j]),
                                        Arrangement.of(b.task, b.method, b.hub, b.participants + (j,))]
    led = {(a.task, a.hub) for a in plan}
    taking_part = participation(plan)
    for c in candidates:  # a new pair: an alone hub and an alone member
        if (c.task, c.hub) in led or (c.task, c.hub) in taking_part:
            continue
        for j in alone.get(c.task, []):
            if j in allowed[c.key]:
                yield plan + [Arrangement.of(c.task, c.method, c.hub, [j])]
                break


def willing_alone(instance, plan) -> dict[str, list[str]]:
    """Per task, the municipalities with a row, willing, that take part in none of the plan's arrangements."""
    taking_part = participation(plan)
    alone: dict[str, list[str]] = {}
    for (t, j), row in instance.rows.items():
        if (t, j) not in taking_part and row.willing != UNWILLING:
            alone.setdefault(t, []).append(j)
    return {t: sorted(js) for t, js in alone.items()}


def alternative(instance, scenario, candidates, earlier: list, floor: float, deadline=None):
    """The most different plan the greedy search reaches within the floor, exactly evaluated (None: no move at all)."""
    def spread(plan) -> int:
        return min(decisions_changed(plan, e) for e in earlier)

    # a fixed order of plans, candidates and towns: ties go the same way whatever the input's row order
    candidates = sorted(candidates, key=lambda c: c.key)
    current, current_ev, current_spread = sorted(earlier[0]), None, 0
    for _ in range(MAX_STEPS):
        if deadline is not None and deadline.expired() and current_ev is not None:
            break  # the run's time is up: the most different plan reached so far
        best = None
        for trial in moves(current, candidates, willing_alone(instance, current)):
            wide = spread(trial)
            if wide <= current_spread or (best is not None and wide < best[0]):
                continue
            ev = evaluate(instance, scenario, trial)
            if ev.violations or ev.total_savings < floor - 1.0:
                continue
            if best is None or (wide, ev.total_savings) > (best[0], best[1].total_savings):
                best = (wide, ev, trial)
        if best is None:
            break
        current_spread, current_ev, current = best[0], best[1], sorted(best[2])
    return polish(instance, scenario, candidates, current, current_ev, current_spread, spread, deadline)


def polish(instance, scenario, candidates, current, current_ev, current_spread, spread, deadline=None):
    """Then the moves that raise the savings without lowering the change reached, best first."""
    if current_ev is None:
        return None, 0
    for _ in range(MAX_STEPS):
        if deadline is not None and deadline.expired():
            break
        best = None
        for trial in moves(current, candidates, willing_alone(instance, current)):
            if spread(trial) < current_spread:
                continue
            ev = evaluate(instance, scenario, trial)
            if ev.violations or ev.total_savings <= current_ev.total_savings + 1.0:
                continue
            if best is None or ev.total_savings > best[0].total_savings:
                best = (ev, trial)
        if best is None:
            break
        current_ev, current = best[0], sorted(best[1])
    return current_ev, current_spread


def distinct_options(planner, first, n_options: int, min_difference: int, slack: float, lang: str = "ja"):
    """Options 2…K after `first`; returns (outcomes, notes). Fewer than K when no move keeps the rules: a note says so."""
    from kouiki.pipeline import Outcome
    from kouiki.solvers.highs import SolverFacts

    outcomes, notes = [first], []
    floor = (1 - slack) * first.evaluation.total_savings
    while len(outcomes) < n_options:
        started = time.perf_counter()
        ev, wide = alternative(planner.instance, planner.scenario, planner.candidates,
                               [o.evaluation.plan for o in outcomes], floor, planner.deadline)
        if ev is None or wide < min_difference:
            notes.append(say("fewer", lang, found=len(outcomes), floor=1 - slack, k=min_difference))
            break
        seconds = time.perf_counter() - started
        facts = SolverFacts("alternative", True, ev.total_savings, None, None, seconds)
        outcomes.append(Outcome(ev, facts, None, None, 0, first.exclusions, {"this_plan": seconds}))
    return outcomes, notes


def changes_in_words(instance, plan, reference, lang: str = "ja") -> str:
    """What a plan changes against another, task by task, in words.

    Names go in sorted order, as in every report (the same input in any row order
    gives the same bytes); the issue-11 catalogue may move this to the user's order.
    """
    mine, theirs = participation(plan), participation(reference)
    order = sorted(instance.municipalities)
    methods = instance.methods

    def label(m):
        return methods[m].label_ja if lang == "ja" else (methods[m].label_en or m)

    parts = []
    for task in sorted(instance.tasks):
        joined = [j for j in order if (task, j) in mine and (task, j) not in theirs]
        left = [j for j in order if (task, j) in theirs and (task, j) not in mine]
        old_ways = sorted({w for (t, _), w in theirs.items() if t == task})
        new_ways = sorted({w for (t, _), w in mine.items() if t == task})
        if joined:
            parts.append(say("join", lang, who=SEPARATOR[lang].join(joined), task=task))
        if left:
            parts.append(say("leave", lang, who=SEPARATOR[lang].join(left), task=task))
        if old_ways and new_ways and old_ways != new_ways:
            old_m = sorted({m for m, _ in old_ways})
            new_m = sorted({m for m, _ in new_ways})
            if old_m != new_m:
                parts.append(say("method", lang, task=task, old=SEPARATOR[lang].join(map(label, old_m)),
                                 new=SEPARATOR[lang].join(map(label, new_m))))
            old_h = [h for h in order if h in {h for _, h in old_ways}]
            new_h = [h for h in order if h in {h for _, h in new_ways}]
            if old_h != new_h:
                parts.append(say("hub", lang, task=task, old=SEPARATOR[lang].join(old_h), new=SEPARATOR[lang].join(new_h)))
    if not parts:
        return say("same", lang)
    return say("decisions", lang, n=decisions_changed(plan, reference)) + ": " + "; ".join(parts)
