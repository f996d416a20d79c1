"""A scenario as the page shows it: rows and charts in the user's language, from `view.plan_view` data."""

from __future__ import annotations

from kouiki.serve.charts import bars
from kouiki.serve.words import man_yen, word

PALETTE = 9  # CSS classes method-0 … method-8 (static/page.css)


class Names:
    """Labels of parties, tasks and methods in one language, in the user's input order."""

    def __init__(self, view: dict, lang: str):
        self.lang = lang
        self.municipalities = [m["id"] for m in view["municipalities"]]
        self.roles = {m["id"]: m["role"] for m in view["municipalities"]}
        self.hosts = [m["id"] for m in view["municipalities"] if m["can_host"]]
        self._muni = {m["id"]: (m["id"] if lang == "ja" else m["label_en"]) for m in view["municipalities"]}
        self.tasks = [t["id"] for t in view["tasks"]]
        self._task = {t["id"]: t["label_ja"] if lang == "ja" else t["label_en"] for t in view["tasks"]}
        self._method = {m: labels[lang] for m, labels in view["methods"].items()}
        self.colour = {m: f"method-{i % PALETTE}" for i, m in enumerate(view["methods"])}

    def muni(self, j: str | None) -> str:
        return self._muni.get(j, j or "")

    def task(self, t: str) -> str:
        return self._task.get(t, t)

    def method(self, m: str) -> str:
        return self._method.get(m, m)

    def members(self, js) -> str:
        """Members in the order of municipalities.csv, as the user lists them."""
        order = {j: i for i, j in enumerate(self.municipalities)}
        js = sorted(js, key=lambda j: order.get(j, len(order)))
        return "・".join(self.muni(j) for j in js) if self.lang == "ja" else ", ".join(self.muni(j) for j in js)


def option(view: dict, number: int) -> dict | None:
    return next((o for o in view["options"] if o["number"] == number), None)


def arrangement_rows(o: dict, names: Names) -> list[dict]:
    order = {t: i for i, t in enumerate(names.tasks)}
    rows = sorted(o["arrangements"], key=lambda a: (order.get(a["task"], 0), a["hub"]))
    return [{"task": names.task(a["task"]), "task_id": a["task"], "method": names.method(a["method"]), "method_id": a["method"],
             "colour": names.colour.get(a["method"], ""), "hub": names.muni(a["hub"]), "hub_id": a["hub"],
             "members": names.members(a["members"]) or word("alone", names.lang), "participants": a["participants"],
             "savings": man_yen(a["savings"], names.lang)} for a in rows]


def burden_chart(o: dict, names: Names):
    rows = []
    for row in o["ledger"]:
        if row["net_burden"] is None:
            continue
        cap = row["burden_cap"]
        rows.append({"label": names.muni(row["municipality"]), "value": row["net_burden"], "mark": cap,
                     "over": cap is not None and row["net_burden"] > cap + 1})
    return bars(rows, names.lang, word("burdens", names.lang)) if rows else ""


def savings_chart(o: dict, names: Names):
    saving = {row["municipality"]: row["saving"] for row in o["ledger"]}
    rows = [{"label": names.muni(j), "value": saving.get(j, 0.0)} for j in names.municipalities]
    return bars(rows, names.lang, word("municipality_savings", names.lang))


def matrix(o: dict, names: Names) -> list[dict]:
    """Tasks × municipalities: the method's colour where the municipality takes part, ★ on the hub."""
    table = []
    for t in names.tasks:
        cells = []
        for j in names.municipalities:
            method, hub = o["participation"].get(f"{t}\t{j}", (None, None))
            if method is None:
                cells.append({"mark": "", "colour": "alone", "title": word("alone", names.lang)})
            else:
                cells.append({"mark": "★" if hub == j else "●", "colour": names.colour.get(method, ""),
                              "title": f"{names.method(method)} / {names.muni(hub)}"})
        table.append({"task": names.task(t), "cells": cells})
    return table


def side_by_side(status_quo: dict | None, plan: dict, names: Names) -> list[dict]:
    """One line per task that either the status quo or the plan shares."""
    def by_task(o):
        found: dict[str, list[str]] = {}
        for a in (o or {}).get("arrangements", []):
            found.setdefault(a["task"], []).append(
                f"{names.method(a['method'])} @ {names.muni(a['hub'])} ({len(a['participants'])})")
        return found

    before, after = by_task(status_quo), by_task(plan)
    return [{"task": names.task(t), "before": " / ".join(before.get(t, [])) or "—", "after": " / ".join(after.get(t, [])) or "—",
             "changed": before.get(t) != after.get(t)} for t in names.tasks if t in before or t in after]


def plan_page(view: dict, number: int, lang: str) -> dict:
    """Everything the plan section draws for option `number` (and the status quo beside it)."""
    names = Names(view, lang)
    chosen = option(view, number) or option(view, 1)
    status_quo = option(view, 0)
    if chosen is None:
        return {"names": names}
    change = None if status_quo is None or chosen is status_quo else chosen["total_savings"] - status_quo["total_savings"]
    burden, hub = chosen["max_net_burden"], chosen["max_burden_hub"]
    return {
        "names": names,
        "number": chosen["number"],
        "numbers": [o["number"] for o in view["options"]],
        "status": chosen["status"],
        "gap": chosen["gap"],
        "arrangements": arrangement_rows(chosen, names),
        "total": man_yen(chosen["total_savings"], lang),
        "total_yen": round(chosen["total_savings"]),
        "count": len(chosen["arrangements"]),
        "change": None if change is None else ("+" if change >= 0 else "") + man_yen(change, lang),
        "max_burden": None if burden is None else f"{man_yen(burden, lang)} ({names.muni(hub)})",
        "burden_chart": burden_chart(chosen, names),
        "savings_chart": savings_chart(chosen, names),
        "matrix": matrix(chosen, names),
        "legend": [{"method": names.method(m), "colour": c} for m, c in names.colour.items()
                   if any(a["method"] == m for o in view["options"] for a in o["arrangements"])],
        "side_by_side": side_by_side(status_quo, chosen, names) if status_quo is not None and chosen is not status_quo else [],
        "status_quo": arrangement_rows(status_quo, names) if status_quo is not None else [],
    }


def comparison(scenarios: list, lang: str) -> dict:
    """Scenarios side by side: savings and burdens, and which towns join what, from each one's option 1."""
    shown = [(s, option(s.view, 1)) for s in scenarios if s.view and option(s.view, 1)]
    if not shown:
        return {"columns": [], "rows": [], "towns": [], "tasks": []}
    names = Names(shown[0][0].view, lang)
    columns = [s.name for s, _ in shown]
    rows = []

    def add(label, values):
        rows.append({"label": label, "cells": values})

    add(word("total", lang), [man_yen(o["total_savings"], lang) for _, o in shown])
    add(word("against_status_quo", lang), [
        ("+" if (o["total_savings"] - option(s.view, 0)["total_savings"]) >= 0 else "")
        + man_yen(o["total_savings"] - option(s.view, 0)["total_savings"], lang) if option(s.view, 0) else "—"
        for s, o in shown])
    add(word("arrangements_count", lang), [str(len(o["arrangements"])) for _, o in shown])
    for hub in names.hosts:
        values = []
        for _, o in shown:
            row = next((r for r in o["ledger"] if r["municipality"] == hub), None)
            values.append("—" if row is None or row["net_burden"] is None else man_yen(row["net_burden"], lang))
        add(f"{word('hub', lang)} {names.muni(hub)}", values)
    towns = []
    for j in names.municipalities:
        values = []
        for s, o in shown:
            shared = [t for key, (m, h) in o["participation"].items() for t in [key.split("\t")[0]] if key.split("\t")[1] == j]
            saving = next((r["saving"] for r in o["ledger"] if r["municipality"] == j), 0.0)
            values.append(f"{len(shared)} / {man_yen(saving, lang)}")
        towns.append({"label": names.muni(j), "cells": values})
    tasks = []
    for t in names.tasks:
        values = []
        for s, o in shown:
            found = [f"{names.method(a['method'])} @ {names.muni(a['hub'])} ({len(a['participants'])})"
                     for a in o["arrangements"] if a["task"] == t]
            values.append(" / ".join(found) or "—")
        if any(v != "—" for v in values):
            tasks.append({"label": names.task(t), "cells": values, "changed": len(set(values)) > 1})
    return {"columns": columns, "rows": rows, "towns": towns, "tasks": tasks}
