"""The plan as the room sees it: a table of arrangements and the totals."""

from __future__ import annotations

import math
import unicodedata

from kouiki.instance import Instance
from kouiki.model.evaluate import Evaluation

# Headings and fixed phrases in Japanese and English (--lang); the numbers, ids and
# what-if echoes around them are the same in both.
WORDS = {
    "task": ("事務", "task"),
    "method": ("連携手法", "method"),
    "hub": ("中心団体", "hub"),
    "members": ("参加団体", "members"),
    "savings_yr": ("節減額/年", "savings/yr"),
    "hub_alone": ("（中心団体のみ）", "(hub alone)"),
    "no_arrangement": ("  連携なし：どの市町村もすべての事務を単独で行う", "  no arrangement: every municipality does every task alone"),
    "body_cost": ("  {method}の組織の費用（{hub}）: -{cost}（その手法の事務すべてで一度だけ）", "  body cost of {method} at {hub}: -{cost} (once for all its tasks)"),
    "total": ("節減額の合計: 年 {man}（{yen:,.0f} 円）", "Total savings: {man} a year ({yen:,.0f} yen)"),
    "hubs": ("中心団体の純負担（上限との比較）:", "Hubs (net burden against cap):"),
    "hub_row": ("  {name} 純負担 {burden:>12}（上限 {cap}）{grants}", "  {name} net burden {burden:>12} (cap {cap}){grants}"),
    "grants": ("  交付金等 {man}", "  grants {man}"),
    "member_savings": ("参加団体の節減額: ", "Members' savings: "),
    "status_quo": ("案0 — 現在の連携（現状）", "Option 0 — the arrangements in force today (status quo)"),
    "best": ("案{n} — 最善の案（{status}、ギャップ {gap}）", "Option {n} — the best plan ({status}, gap {gap})"),
    "share": ("案{n} — 最善の案の {share:.1%}（{status}、ギャップ {gap}）", "Option {n} — {share:.1%} of the best ({status}, gap {gap})"),
    # a plan not proven within the requested gap is never called the best (issue 10)
    "within": ("案{n} — 最善から最大 {within} 以内（{status}）", "Option {n} — within {within} of the best possible ({status})"),
    "within_unknown": ("案{n} — 最善からの差は不明（{status}）", "Option {n} — how far from the best possible is unknown ({status})"),
    "share_within": ("案{n} — 案1の {share:.1%}、最善から最大 {within} 以内（{status}）",
                     "Option {n} — {share:.1%} of option 1, within {within} of the best possible ({status})"),
    "share_unknown": ("案{n} — 案1の {share:.1%}、最善からの差は不明（{status}）",
                      "Option {n} — {share:.1%} of option 1; how far from the best possible is unknown ({status})"),
    "against_best": ("  案1との違い: {changes}", "  against option 1: {changes}"),
    "against_status_quo": ("  現状との差: 年 {change}万円", "  against the status quo: {change}万円 a year"),
    "tradeoff": ("トレードオフ：負担上限と節減額", "Trade-off: burden cap against savings"),
    "burden_cap": ("負担上限", "burden cap"),
    "arrangements": ("連携の数", "arrangements"),
    "towns_joining": ("参加する町", "towns joining"),
    "status": ("状態", "status"),
}


def word(key: str, lang: str = "ja", **values) -> str:
    """A heading or phrase in the user's language, filled with `values`."""
    ja, en = WORDS[key]
    return (ja if lang == "ja" else en).format(**values)


def at_most(share: float) -> str:
    """A share as a percentage with two significant digits, rounded up (0.3612 → "37%"): never understated."""
    percent = 100 * share
    if percent <= 0:
        return "0%"
    digits = max(0, 1 - math.floor(math.log10(percent)))
    scale = 10**digits
    value = math.ceil(percent * scale - 1e-9) / scale
    return f"{value:.{digits}f}%"


def option_title(number: int, lang: str = "ja", status: str = "", gap: float | None = 0.0, share: float | None = None,
                 best_proven: bool = True, within: float | None = None) -> str:
    """An option's heading. Only a plan proven within the requested gap (status "optimal") is called the best.

    `within` is how far below the best possible the plan may be (None: unknown);
    `best_proven` says whether option 1, the yardstick of `share`, is proven.
    """
    if number == 0:
        return word("status_quo", lang)
    proven = status in ("", "optimal")
    shown_gap = "?" if gap is None else f"{gap:.2g}"  # no bound when HiGHS stopped before having one
    if number == 1 or share is None:
        if proven:
            return word("best", lang, n=number, status=status, gap=shown_gap)
        if within is None:
            return word("within_unknown", lang, n=number, status=status)
        return word("within", lang, n=number, within=at_most(within), status=status)
    if best_proven:
        return word("share", lang, n=number, share=share, status=status, gap=shown_gap)
    if within is None:
        return word("share_unknown", lang, n=number, share=share, status=status)
    return word("share_within", lang, n=number, share=share, within=at_most(within), status=status)


def method_name(instance: Instance, method: str, lang: str = "ja") -> str:
    m = instance.methods[method]
    return m.label_ja if lang == "ja" else m.label_en


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


def plan_text(instance: Instance, ev: Evaluation, title: str, lang: str = "ja") -> str:
    lines = [title]
    if ev.arrangements:
        rows = []
        for r in ev.arrangements:
            a = r.arrangement
            members = "・".join(a.members) or word("hub_alone", lang)
            rows.append([a.task, f"{method_name(instance, a.method, lang)} ({a.method})", a.hub, members, man_yen(r.savings)])
        header = [word(key, lang) for key in ("task", "method", "hub", "members", "savings_yr")]
        lines.append(table(header, rows, right={4}))
    else:
        lines.append(word("no_arrangement", lang))
    for (m, h), cost in sorted(ev.body_costs.items()):
        lines.append(word("body_cost", lang, method=method_name(instance, m, lang), hub=h, cost=man_yen(cost)))
    lines.append(word("total", lang, man=man_yen(ev.total_savings), yen=ev.total_savings))
    hub_rows = []
    for row in ev.ledger:
        if row.net_burden is not None:
            grants = word("grants", lang, man=man_yen(row.grants)) if row.grants else ""
            hub_rows.append(word("hub_row", lang, name=pad(row.municipality, 10), burden=man_yen(row.net_burden),
                                 cap=man_yen(row.burden_cap), grants=grants))
    if hub_rows:
        lines.append(word("hubs", lang))
        lines.extend(hub_rows)
    towns = [row for row in ev.ledger if row.member_saving]
    if towns:
        lines.append(word("member_savings", lang) + ", ".join(f"{row.municipality} {man_yen(row.member_saving)}" for row in towns))
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


def tradeoff_text(points, lang: str = "ja") -> str:
    rows = [[f"{cap / 1e4:,.0f}万円", "—" if savings is None else man_yen(savings), str(n), str(towns), status]
            for cap, savings, n, towns, status in points]
    header = [word(key, lang) for key in ("burden_cap", "savings_yr", "arrangements", "towns_joining", "status")]
    return word("tradeoff", lang) + "\n" + table(header, rows, right={0, 1, 2, 3})
