"""Fairness at a glance (issue 14): who takes the savings, against who brings the costs.

For each option and municipality: its share of the savings (its ledger
saving over the sum of all ledger savings of that option) against its share
of the standalone costs. Two warnings, thresholds as options: one party takes
more than `most_share` of the savings; a member saves less than
`least_saving` of its standalone cost in an arrangement it joins.
"""

from __future__ import annotations

from dataclasses import dataclass

from kouiki.messages import text


def say(key: str, lang: str, **values) -> str:
    """The catalogue's sentence fair.KEY (kouiki/messages.py) in `lang`."""
    return text("fair." + key, lang, **values)


@dataclass(frozen=True)
class Fairness:
    most_share: float = 0.5  # warn when one party takes more than this share of the savings
    least_saving: float = 0.01  # warn when a member saves less than this share of its standalone cost


def shares(ev) -> dict[str, tuple[float, float]]:
    """municipality → (share of the savings, share of the standalone costs), in ledger order."""
    saved = sum(row.saving for row in ev.ledger)
    cost = sum(row.standalone_total for row in ev.ledger)
    return {row.municipality: (row.saving / saved if abs(saved) > 1.0 else 0.0,
                               row.standalone_total / cost if cost else 0.0) for row in ev.ledger}


def warnings(ev, fairness: Fairness, lang: str = "ja") -> list[str]:
    found = []
    for who, (share, _) in shares(ev).items():
        if share > fairness.most_share:
            found.append(say("dominant", lang, who=who, share=share, limit=fairness.most_share))
    for p in ev.participation:
        if p.method is not None and p.hub != p.municipality and p.standalone_cost > 0:
            share = p.saving / p.standalone_cost
            if share < fairness.least_saving:
                found.append(say("thin", lang, who=p.municipality, task=p.task, share=share, limit=fairness.least_saving))
    return found


def fairness_text(instance, ev, fairness: Fairness, lang: str = "ja") -> list[str]:
    """The terminal lines: every municipality's two shares, then the warnings."""
    if not ev.plan:
        return []
    separator = "、" if lang == "ja" else ", "
    table = shares(ev)
    order = [j for j in instance.municipalities if j in table]
    line = say("heading", lang) + separator.join(say("entry", lang, who=j, saving=table[j][0], cost=table[j][1]) for j in order)
    return [line] + warnings(ev, fairness, lang)


def ledger_with_shares(table, options):
    """ledger.csv with share_of_savings and share_of_standalone (fractions, 6 decimals) added."""
    header, rows = table
    extra = []
    for o in options:
        table_of = shares(o.evaluation)
        extra.extend(table_of[row.municipality] for row in o.evaluation.ledger)
    assert len(extra) == len(rows)
    # rounded first (+ 0.0 drops a −0): sums in another order may differ in the last bits
    rows = [row + [f"{round(saving, 6) + 0.0:.6f}", f"{round(cost, 6) + 0.0:.6f}"] for row, (saving, cost) in zip(rows, extra)]
    return header + ["share_of_savings", "share_of_standalone"], rows
