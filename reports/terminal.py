"""The plan as the room sees it, on a projector: every line at most 100 display columns.

Words come from the message catalogue (kouiki/messages.py); money is in 万円
(ja) or million yen (en) with separators; municipalities and tasks follow the
user's order (municipalities.csv, tasks.csv).
"""

from __future__ import annotations

import math

from kouiki.columns import WIDTH, fits, pad, width, wrap
from kouiki.instance import Instance
from kouiki.messages import money, rule, text
from kouiki.model.evaluate import Evaluation

# Kept for callers from before the catalogue: term.<key> of kouiki/messages.py.
def word(key: str, lang: str = "ja", **values) -> str:
    """A heading or phrase in the user's language, filled with `values`."""
    return text(f"term.{key}", lang, **values)


PROVEN_GAP = 1e-6  # the default --gap: at or below it a plan is optimal, proven


def status_words(status: str, gap: float | None, lang: str = "ja") -> str:
    """最適（証明済み） / 最善から最大 x% 以内 / 時間切れ: what the gap means, in words."""
    if status == "status_quo":
        return text("status.status_quo", lang)
    if gap is None:
        return text("status.time_limit", lang)
    if gap <= PROVEN_GAP:
        return text("status.optimal", lang)
    return text("status.within", lang, gap=percent(gap))


def percent(share: float) -> str:
    """A share as a percentage with the digits that matter (0.04%, 3%, 12.5%)."""
    value = 100 * share
    if value >= 10:
        return f"{value:.1f}%".replace(".0%", "%")
    return f"{value:.2g}%"


def at_most(share: float) -> str:
    """A share as a percentage with two significant digits, rounded up (0.3612 → "37%"): never understated."""
    value = 100 * share
    if value <= 0:
        return "0%"
    digits = max(0, 1 - math.floor(math.log10(value)))
    scale = 10**digits
    shown = math.ceil(value * scale - 1e-9) / scale
    return f"{shown:.{digits}f}%"


def option_title(number: int, lang: str = "ja", status: str = "", gap: float | None = 0.0, share: float | None = None,
                 best_proven: bool = True, within: float | None = None) -> str:
    """An option's heading. Only a plan proven within the requested gap (status "optimal") is called the best (issue 10).

    `within` is how far below the best possible the plan may be (None: unknown);
    `best_proven` says whether option 1, the yardstick of `share`, is proven.
    """
    if number == 0:
        return text("term.status_quo", lang)
    words = status_words(status, gap, lang)
    proven = status in ("", "optimal", "alternative")
    if number == 1 or share is None:
        if proven:
            return text("term.best", lang, n=number, status=words)
        if within is None:
            return text("term.within_unknown", lang, n=number, status=words)
        return text("term.within", lang, n=number, within=at_most(within), status=words)
    if best_proven:
        return text("term.share", lang, n=number, share=f"{share:.1%}", status=words)
    if within is None:
        return text("term.share_unknown", lang, n=number, share=f"{share:.1%}", status=words)
    return text("term.share_within", lang, n=number, share=f"{share:.1%}", within=at_most(within), status=words)


def method_name(instance: Instance, method: str, lang: str = "ja") -> str:
    m = instance.methods[method]
    return m.label_ja if lang == "ja" else m.label_en


def task_name(instance: Instance, task: str, lang: str = "ja") -> str:
    t = instance.tasks[task]
    return (t.label_ja if lang == "ja" else t.label_en) or task


def role_name(role: str, lang: str = "ja") -> str:
    return text(f"role.{role}", lang)


def table(header: list[str], rows: list[list[str]], right: set[int] = frozenset(), wrap_column: int | set[int] | None = None,
          columns: int = WIDTH) -> str:
    """Rows under a header; the cells of the `wrap_column`(s) are wrapped so that every line fits `columns`."""
    wrapping = set() if wrap_column is None else {wrap_column} if isinstance(wrap_column, int) else set(wrap_column)
    widths = [max([width(h)] + [width(r[i]) for r in rows]) for i, h in enumerate(header)]
    floor = {i: max(width(header[i]), 10) for i in wrapping}
    while sum(widths) + 2 * (len(widths) - 1) > columns:  # narrow the widest wrappable column, one column at a time
        narrowable = [i for i in wrapping if widths[i] > floor[i]]
        if not narrowable:
            break
        widest = max(narrowable, key=lambda i: widths[i])
        widths[widest] -= 1
    lines = ["  ".join(pad(h, widths[i], i in right) for i, h in enumerate(header)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for r in rows:
        cells = [[c] for c in r]
        for i in wrapping:
            cells[i] = wrap(r[i], widths[i]) or [""]
        for k in range(max(len(c) for c in cells)):
            parts = [pad(c[k] if k < len(c) else "", widths[i], i in right) for i, c in enumerate(cells)]
            lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def man_yen(value: float, lang: str = "ja") -> str:
    """Money as 万円 (10,000 yen), the unit council papers use, with the sign (million yen in English)."""
    return money(value, lang)


def members_text(instance: Instance, arrangement, lang: str = "ja") -> str:
    """Who joins, in the user's order; "all others" when everyone with the task joins."""
    members = instance.in_order(arrangement.members)
    if not members:
        return text("term.hub_alone", lang)
    having = [j for j in instance.municipalities if j != arrangement.hub and (arrangement.task, j) in instance.rows]
    missing = [j for j in having if j not in members]
    if len(members) >= 4 and not missing and set(members) <= set(having):
        return text("term.all_others", lang, count=len(members))
    if len(members) >= 4 and len(missing) <= 2 and set(members) <= set(having):
        return text("term.all_but", lang, names="・".join(missing))
    return "・".join(members)


def burden_text(value: float, lang: str = "ja") -> str:
    """A net burden, a negative one said as a gain (持ち出しなし・収入超過)."""
    if round(value / 1e4) < 0:
        return text("term.gain", lang, money=money(-value, lang))
    return money(value, lang)


def plan_text(instance: Instance, ev: Evaluation, title: str, lang: str = "ja", ledger: bool = True) -> str:
    lines = [title]
    if ev.arrangements:
        rows = []
        for r in ev.arrangements:
            a = r.arrangement
            # the task's id: the name the user types in what-ifs, and short
            rows.append([a.task, method_name(instance, a.method, lang), a.hub,
                         members_text(instance, a, lang), money(r.savings, lang)])
        header = [text(f"term.{key}", lang) for key in ("task", "method", "hub", "members", "savings_yr")]
        lines.append(table(header, rows, right={4}, wrap_column={0, 1, 3}))
    else:
        lines.append(text("term.no_arrangement", lang))
    for (m, h), cost in ev.body_costs.items():
        lines.append(text("term.body_cost", lang, method=method_name(instance, m, lang), hub=h, cost=money(cost, lang)))
    lines.append(text("term.total", lang, money=money(ev.total_savings, lang), yen=f"{ev.total_savings:,.0f}"))
    leading = {a.hub for a in ev.plan}
    hub_rows = []
    for row in ev.ledger:
        if row.net_burden is not None and row.municipality in leading:
            grants = text("term.grants", lang, money=money(row.grants, lang)) if row.grants else ""
            hub_rows.append(text("term.hub_row", lang, name=pad(row.municipality, 10), burden=burden_text(row.net_burden, lang),
                                 cap=money(row.burden_cap, lang), grants=grants))
    if hub_rows:
        lines.append(text("term.hubs", lang))
        lines.extend(hub_rows)
    if ledger and ev.plan:
        lines.append(ledger_text(instance, ev, lang))
    return fits("\n".join(lines))


def ledger_text(instance: Instance, ev: Evaluation, lang: str = "ja") -> str:
    """Each municipality's bottom line: what it saves against doing everything alone, and a hub's net burden."""
    leading = {a.hub for a in ev.plan}
    rows = []
    for row in ev.ledger:
        burden = burden_text(row.net_burden, lang) if row.net_burden is not None and row.municipality in leading else ""
        rows.append([row.municipality, role_name(row.role, lang), money(row.saving, lang), burden])
    header = [text(f"term.ledger_{key}", lang) for key in ("municipality", "role", "saving", "burden")]
    return text("term.ledger", lang) + "\n" + "\n".join("  " + line for line in table(header, rows, right={2}).split("\n"))


def regional_cost(ev: Evaluation) -> float:
    """Σ cost under the plan over every party: what the region pays a year (grants from outside lower it)."""
    return sum(row.cost_under_plan for row in ev.ledger)


def change_lines(instance: Instance, plan, reference, lang: str = "ja", limit: int = 6) -> list[str]:
    """What a plan adds and drops against another, in words, in the user's order."""
    mine = {(a.task, a.method, a.hub) for a in plan}
    theirs = {(a.task, a.method, a.hub) for a in reference}
    order = lambda key: (instance.task_rank(key[0]), instance.municipality_rank(key[2]), key[1])  # noqa: E731
    found = [text("term.add", lang, task=task_name(instance, t, lang), method=method_name(instance, m, lang), hub=h)
             for t, m, h in sorted(mine - theirs, key=order)]
    found += [text("term.drop", lang, task=task_name(instance, t, lang), method=method_name(instance, m, lang), hub=h)
              for t, m, h in sorted(theirs - mine, key=order)]
    if not found:
        return [text("term.no_change", lang)]
    if len(found) > limit:
        return found[:limit - 1] + [text("term.change_count", lang, shown="", more=len(found) - limit + 1).strip()]
    return found


def options_text(instance: Instance, options, lang: str = "ja") -> str:
    """K options side by side: savings, largest net burden, arrangements, status; then what each changes against option 1."""
    rows = []
    for o in options:
        ev = o.evaluation
        burden, hub = ev.max_net_burden
        rows.append([str(o.number), money(ev.total_savings, lang),
                     "" if burden is None else f"{burden_text(burden, lang)}（{hub}）" if lang == "ja" else f"{burden_text(burden, lang)} ({hub})",
                     str(len(ev.arrangements)), status_words(o.status, o.gap, lang)])
    header = [text(f"term.{key}", lang) for key in ("option", "savings_yr", "max_burden", "arrangements", "status")]
    lines = [text("term.options_title", lang), table(header, rows, right={1, 3})]
    first = next((o for o in options if o.number == 1), None)
    for o in options:
        if first is None or o.number <= 1:
            continue
        changes = change_lines(instance, o.evaluation.plan, first.evaluation.plan, lang)
        lines.append(text("term.option_changes", lang, n=o.number, changes=text("join", lang).join(changes)))
    return fits("\n".join(lines))


def refusals(instance: Instance, exclusions, lang: str = "ja") -> list[str]:
    """The refusals a room asks about, in words: core-city affairs (L3) and the 連携中枢都市圏 (L4)."""
    from kouiki.messages import render

    lines = []
    seen = set()
    for e in exclusions:
        if e.rule == "L4" and e.hub and e.hub not in seen and instance.municipalities[e.hub].role == "central":
            seen.add(e.hub)
            lines.append(text("term.refused_l4", lang, rule=rule("L4", lang), text=render(e.reason, lang)))
    core_tasks = {e.task for e in exclusions if e.rule == "L3"}
    if core_tasks:
        hubs = [h for h in instance.hubs() if instance.municipalities[h].core_city_powers]
        if hubs:
            lines.append(text("term.core_only", lang, count=len(core_tasks), hubs=text("join", lang).join(hubs), rule=rule("L3", lang)))
        else:
            biggest = max(instance.hubs(), key=lambda h: instance.municipalities[h].population, default=None)
            if biggest:
                city = instance.municipalities[biggest]
                lines.append(text("term.core_none", lang, rule=rule("L3", lang), count=len(core_tasks), city=biggest,
                                  population=f"{city.population:,}"))
    return [fits(line) for line in lines]


def tradeoff_text(points, lang: str = "ja") -> str:
    rows = [[money(cap, lang), "—" if savings is None else money(savings, lang), str(n), str(towns),
             text(f"status.{status}", lang) if status in ("infeasible", "time_limit_no_plan") else status_words(status, 0.0 if status == "optimal" else None, lang)]
            for cap, savings, n, towns, status in points]
    header = [text(f"term.{key}", lang) for key in ("burden_cap", "savings_yr", "arrangements", "towns_joining", "status")]
    lines = [text("term.tradeoff", lang), table(header, rows, right={0, 1, 2, 3})]
    solved = [(s, n) for _, s, n, _, st in points if s is not None]
    if len(points) > 1 and len(solved) == len(points) and len({round(s) for s, _ in solved}) == 1:
        lines.append(text("term.sweep_flat", lang))
    return fits("\n".join(lines))
