"""Options that really differ (issue 14): each as different as possible from the ones before it.

Option 1 is the optimum. Every later option saves at least (1 − slack) of it
and is found in two solves of the Planner's kept model:

1. spread: the objective becomes the number of (task, municipality)
   participation decisions changed against the earlier options (model/options.py);
   HiGHS finds the largest change the savings floor allows;
2. best at that spread: the savings objective comes back, with a row asking
   for that much change, and `Planner.next()` finds the best such plan,
   exactly evaluated and re-checked like option 1.

Step 1 prices pooled costs by the cuts found so far, which can understate
them; when step 2 then finds no plan at that spread within the slack, the
spread row is let go and only the `--min-difference` rows stay.
"""

from __future__ import annotations

import numpy

from kouiki.model.options import decisions_changed, difference_terms, differ_row, participation

# Sentences of this module, (ja, en); keyed so they can move into kouiki/messages.py.
TEXT = {
    "join": ("{who}が{task}に参加", "{who} join {task}"),
    "leave": ("{who}が{task}から離脱", "{who} leave {task}"),
    "method": ("{task}は{old}から{new}へ", "{task}: {old} → {new}"),
    "hub": ("{task}の中心団体は{old}から{new}へ", "{task}: hub {old} → {new}"),
    "same": ("変更なし", "no change"),
    "decisions": ("参加の決定 {n} 件が変わる", "{n} participation decisions change"),
    "fewer": ("案は {found} 件のみ: 節減額が最善の {floor:.1%} 以上で、参加の決定が {k} 件以上異なる案はほかにない",
              "only {found} option(s): no other plan saves at least {floor:.1%} of the best and changes at least {k} participation decision(s)"),
    "slack": ("代替案は最善の案の節減額の {floor:.1%} 以上（--slack {slack:g}）", "alternatives save at least {floor:.1%} of the best (--slack {slack:g})"),
}
SEPARATOR = {"ja": "・", "en": ", "}
DEFAULT_SLACK = 0.05  # options save at least 95 % of the best unless --slack says otherwise


def say(key: str, lang: str, **values) -> str:
    ja, en = TEXT[key]
    return (ja if lang == "ja" else en).format(**values)


class Spread:
    """The spread objective on a Planner's kept session, with the savings objective put back after."""

    def __init__(self, planner):
        self.planner = planner
        self.session = planner._session()
        self.exact = planner.exact

    def _costs(self, costs) -> None:
        n = len(costs)
        self.session.highs.changeColsCost(n, numpy.arange(n, dtype=numpy.int32), numpy.array(costs, dtype=float))

    def widest(self, earlier: list, deadline) -> tuple[dict[int, float], float] | None:
        """Terms of the total change against `earlier` and the largest total the model admits (None: none found)."""
        total: dict[int, float] = {}
        constant = 0.0
        for plan in earlier:
            terms, c = difference_terms(self.exact, plan)
            constant += c
            for column, value in terms.items():
                total[column] = total.get(column, 0.0) + value
        costs = [0.0] * len(self.exact.matrix.names)
        for column, value in total.items():
            costs[column] = value
        self._costs(costs)
        try:
            facts, values = self.session.solve_mip(deadline, 0.0)
        finally:
            self._costs(self.exact.matrix.cost)
        if not facts.has_plan or values is None:
            return None
        found = sum(value * round(values[column]) for column, value in total.items())
        return total, found


def distinct_options(planner, first, n_options: int, min_difference: int, slack: float, lang: str = "ja"):
    """Options 2…K after `first`; returns (outcomes, notes). Raises nothing when fewer exist: a note says so."""
    from kouiki.pipeline import NoMoreOptions

    outcomes, notes = [first], []
    best = first.evaluation.total_savings
    planner.at_least((1 - slack) * best)
    spread = Spread(planner)
    session = spread.session
    while len(outcomes) < n_options:
        plans = [o.evaluation.plan for o in outcomes]
        name, terms, lower = differ_row(planner.exact, plans[-1], min_difference)
        session.add_rows([(name, terms, lower, float("inf"))])
        planner.constrained = True
        widest = spread.widest(plans, planner.deadline.child(share=0.5))
        outcome = None
        if widest is not None:
            total, found = widest
            session.add_rows([(("spread",), total, found - 0.5, float("inf"))])
            row = session.highs.getNumRow() - 1
            try:
                outcome = planner.next()
            except NoMoreOptions:
                outcome = None
            finally:
                session.highs.changeRowBounds(row, -float("inf"), float("inf"))
        if outcome is None:
            try:
                outcome = planner.next()
            except NoMoreOptions:
                notes.append(say("fewer", lang, found=len(outcomes), floor=1 - slack, k=min_difference))
                break
        outcomes.append(outcome)
    return outcomes, notes


def changes_in_words(instance, plan, reference, lang: str = "ja") -> str:
    """What a plan changes against another, task by task in tasks.csv order, in words."""
    mine, theirs = participation(plan), participation(reference)
    order = list(instance.municipalities)
    methods = instance.methods

    def label(m):
        return methods[m].label_ja if lang == "ja" else (methods[m].label_en or m)

    parts = []
    for task in instance.tasks:
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
