"""The plan as the room sees it: a table of arrangements and the totals."""

from __future__ import annotations

import unicodedata

from kouiki.instance import Instance
from kouiki.model.evaluate import Evaluation


def width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, columns: int, right: bool = False) -> str:
    fill = " " * max(columns - width(text), 0)
    return fill + text if right else text + fill


def table(header: list[str], rows: list[list[str]], right: set[int] = frozenset()) -> str:
    widths = [max([width(h)] + [width(r[i]) for r in rows]) for i, h in enumerate(header)]
    lines = ["  ".join(pad(h, widths[i], i in right) for i, h in enumerate(header)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for r in rows:
        lines.append("  ".join(pad(c, widths[i], i in right) for i, c in enumerate(r)).rstrip())
    return "\n".join(lines)


def man_yen(value: float) -> str:
    """Money as 万円 (10,000 yen), the unit council papers use, with the sign."""
    return f"{value / 1e4:,.0f}万円"


def plan_text(instance: Instance, ev: Evaluation, title: str) -> str:
    lines = [title]
    if ev.arrangements:
        rows = []
        for r in ev.arrangements:
            a = r.arrangement
            method = instance.methods[a.method]
            members = "・".join(a.members) or "(hub alone)"
            rows.append([a.task, f"{method.label_ja} ({a.method})", a.hub, members, man_yen(r.savings)])
        lines.append(table(["task", "method", "hub", "members", "savings/yr"], rows, right={4}))
    else:
        lines.append("  no arrangement: every municipality does every task alone")
    for (m, h), cost in sorted(ev.body_costs.items()):
        lines.append(f"  body cost of {instance.methods[m].label_ja} at {h}: -{man_yen(cost)} (once for all its tasks)")
    lines.append(f"Total savings: {man_yen(ev.total_savings)} a year ({ev.total_savings:,.0f} yen)")
    hub_rows = []
    for row in ev.ledger:
        if row.net_burden is not None:
            grants = f"  grants {man_yen(row.grants)}" if row.grants else ""
            hub_rows.append(f"  {pad(row.municipality, 10)} net burden {man_yen(row.net_burden):>12} (cap {man_yen(row.burden_cap)}){grants}")
    if hub_rows:
        lines.append("Hubs (net burden against cap):")
        lines.extend(hub_rows)
    towns = [row for row in ev.ledger if row.member_saving]
    if towns:
        lines.append("Members' savings: " + ", ".join(f"{row.municipality} {man_yen(row.member_saving)}" for row in towns))
    return "\n".join(lines)


def refusals(instance: Instance, exclusions) -> list[str]:
    """The refusals a room asks about, in words: core-city affairs (L3) and the 連携中枢都市圏 (L4)."""
    lines = []
    seen = set()
    for e in exclusions:
        if e.rule == "L4" and e.hub and e.hub not in seen and instance.municipalities[e.hub].role == "central":
            seen.add(e.hub)
            lines.append(f"refused (L4): {e.reason}")
    core_tasks = sorted({e.task for e in exclusions if e.rule == "L3"})
    if core_tasks:
        hubs = [h for h in instance.hubs() if instance.municipalities[h].core_city_powers]
        if hubs:
            lines.append(f"core-city affairs ({len(core_tasks)} tasks) may be led only by {', '.join(hubs)} (L3)")
        else:
            biggest = max(instance.hubs(), key=lambda h: instance.municipalities[h].population, default=None)
            if biggest:
                city = instance.municipalities[biggest]
                lines.append(f"refused (L3): no hub has core-city powers, so {len(core_tasks)} core-city affairs stay with the prefecture "
                             f"({biggest} has {city.population:,} people, fewer than 200,000)")
    return lines


def tradeoff_text(points) -> str:
    rows = [[f"{cap / 1e4:,.0f}万円", "—" if savings is None else man_yen(savings), str(n), str(towns), status]
            for cap, savings, n, towns, status in points]
    return "Trade-off: burden cap against savings\n" + table(["burden cap", "savings/yr", "arrangements", "towns joining", "status"], rows, right={0, 1, 2, 3})
