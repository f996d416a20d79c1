"""A run's result as plain data the page draws: picklable, so the solving process can send it.

Built from `kouiki.run.RunResult` (its evaluated options and conflict reasons),
never from how the engine solved: the page shows the same numbers as the CSVs.
"""

from __future__ import annotations


def plan_view(result) -> dict:
    """What the page needs of one run: parties and tasks in the user's order, and every option."""
    instance = result.instance
    view = {
        "status": result.status,
        "said": list(result.said),
        "reasons": [list(r) for r in result.reasons],
        "municipalities": [
            {"id": j, "role": m.role, "label_en": m.label_en or j, "can_host": m.can_host}
            for j, m in instance.municipalities.items()
        ],
        "tasks": [{"id": t, "label_ja": task.label_ja or t, "label_en": task.label_en or t} for t, task in instance.tasks.items()],
        "methods": {m: {"ja": method.label_ja, "en": method.label_en or m} for m, method in instance.methods.items()},
        "options": [option_view(o) for o in result.options],
    }
    return view


def option_view(option) -> dict:
    ev = option.evaluation
    burden, burden_hub = ev.max_net_burden
    return {
        "number": option.number,
        "status": option.status,
        "gap": option.gap,
        "total_savings": ev.total_savings,
        "max_net_burden": burden,
        "max_burden_hub": burden_hub,
        "arrangements": [
            {"task": r.arrangement.task, "method": r.arrangement.method, "hub": r.arrangement.hub,
             "participants": list(r.arrangement.participants), "members": list(r.arrangement.members),
             "savings": r.savings}
            for r in ev.arrangements
        ],
        "body_costs": [{"method": m, "hub": h, "cost": c} for (m, h), c in ev.body_costs.items() if c],
        "ledger": [
            {"municipality": row.municipality, "role": row.role, "saving": row.saving,
             "net_burden": row.net_burden, "burden_cap": row.burden_cap, "grants": row.grants}
            for row in ev.ledger
        ],
        "participation": {f"{p.task}\t{p.municipality}": [p.method, p.hub] for p in ev.participation if p.method},
        "changes_vs_status_quo": option.changes_vs_status_quo,
    }
