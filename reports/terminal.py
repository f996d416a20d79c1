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
    towns = [row for row in ev.ledger if row.net_burden is None and row.member_saving]
    if towns:
        lines.append("Members' savings: " + ", ".join(f"{row.municipality} {man_yen(row.member_saving)}" for row in towns))
    return "\n".join(lines)
