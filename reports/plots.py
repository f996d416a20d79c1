"""PNG figures for a council paper (--plots): who joins what, who gains and who carries it.

matplotlib is imported only here, and only when --plots is given. Text uses
IPAexGothic, the font matplotlib-fontja ships, never the machine's fonts, so
Japanese renders the same on every computer. Figures are drawn on the Agg
canvas directly (no pyplot, no global figure state) and saved without the
version stamp, so the same plan gives the same bytes.
"""

from __future__ import annotations

import io
from contextlib import contextmanager

from kouiki.instance import Instance

FONT = "IPAexGothic"  # shipped by matplotlib-fontja
DPI = 150
MILLION = 1e6
NO_ROW, ALONE = "#ffffff", "#d9d9d9"
METHOD_COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#17becf"]

WORDS = {
    "participation": ("参加の状況（案{n}）", "Who takes part, by which method (option {n})"),
    "alone": ("単独で実施", "alone"),
    "no_row": ("事務なし", "no such task"),
    "hub": ("中心団体", "hub"),
    "burden": ("節減額と中心団体の純負担（案{n}）", "Savings and hubs' net burden (option {n})"),
    "saving": ("節減額", "saving"),
    "net_burden": ("純負担", "net burden"),
    "cap": ("負担上限", "burden cap"),
    "money": ("百万円/年", "million yen a year"),
    "tradeoff": ("負担上限と節減額のトレードオフ", "Trade-off: burden cap against savings"),
    "cap_axis": ("中心団体の負担上限（百万円/年）", "burden cap on each hub (million yen a year)"),
    "savings_axis": ("地域の節減額（百万円/年）", "savings of the region (million yen a year)"),
    "infeasible": ("計画なし", "no plan"),
}


def word(key: str, lang: str, **values) -> str:
    ja, en = WORDS[key]
    return (ja if lang == "ja" else en).format(**values)


class PlotsUnavailable(Exception):
    """--plots needs the `plots` extra (matplotlib and matplotlib-fontja)."""


def available() -> None:
    """Raise PlotsUnavailable unless the plotting packages are installed (checked before solving)."""
    from importlib.util import find_spec

    missing = [name for name in ("matplotlib", "matplotlib_fontja") if find_spec(name) is None]
    if missing:
        raise PlotsUnavailable(f"--plots needs {' and '.join(missing)}: pip install 'kouiki[plots]'")


@contextmanager
def japanese_font():
    """matplotlib settings under which Japanese text renders with the shipped font."""
    import matplotlib

    import matplotlib_fontja  # noqa: F401  registers IPAexGothic with matplotlib's font manager

    with matplotlib.rc_context({"font.family": FONT, "axes.unicode_minus": True, "figure.dpi": DPI}):
        yield


def figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _task_label(instance: Instance, task: str, lang: str) -> str:
    t = instance.tasks.get(task)
    return task if t is None else (t.label_ja if lang == "ja" else t.label_en)


def _municipality_label(instance: Instance, municipality: str, lang: str) -> str:
    m = instance.municipalities.get(municipality)
    return m.label_en if lang == "en" and m is not None and m.label_en else municipality


def _method_label(instance: Instance, method: str, lang: str) -> str:
    m = instance.methods[method]
    return m.label_ja if lang == "ja" else m.label_en


def participation_png(instance: Instance, option, lang: str = "ja") -> bytes:
    """Municipalities × tasks, each cell coloured by the method it joins by; ★ marks the hub."""
    from matplotlib.colors import ListedColormap
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    ev = option.evaluation
    tasks = list(instance.tasks)
    munis = list(instance.municipalities)
    used = [m for m in instance.methods if any(p.method == m for p in ev.participation)]
    # colour index: 0 no row, 1 alone, 2… the methods in their table's order
    code = {m: 2 + i for i, m in enumerate(used)}
    grid = [[0] * len(tasks) for _ in munis]
    hubs = []
    for p in ev.participation:
        if p.task not in tasks or p.municipality not in munis:
            continue
        y, x = munis.index(p.municipality), tasks.index(p.task)
        grid[y][x] = code[p.method] if p.method else 1
        if p.hub == p.municipality:
            hubs.append((x, y))
    # a method keeps its colour whichever others appear: its place in the methods table
    order = list(instance.methods)
    colours = [NO_ROW, ALONE] + [METHOD_COLOURS[order.index(m) % len(METHOD_COLOURS)] for m in used]

    with japanese_font():
        fig = figure(min(3 + 0.42 * len(tasks), 30), min(2.6 + 0.36 * len(munis), 30))
        ax = fig.subplots()
        ax.imshow(grid, cmap=ListedColormap(colours), vmin=0, vmax=len(colours) - 1, aspect="auto", interpolation="nearest")
        if hubs:
            ax.scatter([x for x, _ in hubs], [y for _, y in hubs], marker="*", s=90, color="black", linewidths=0)
        ax.set_xticks(range(len(tasks)), [_task_label(instance, t, lang) for t in tasks], rotation=90)
        ax.set_yticks(range(len(munis)), [_municipality_label(instance, m, lang) for m in munis])
        ax.set_xticks([i - 0.5 for i in range(1, len(tasks))], minor=True)
        ax.set_yticks([i - 0.5 for i in range(1, len(munis))], minor=True)
        ax.grid(which="minor", color="white", linewidth=1.5)
        ax.tick_params(which="minor", length=0)
        ax.set_title(word("participation", lang, n=option.number))
        handles = [Patch(facecolor=colours[code[m]], label=_method_label(instance, m, lang)) for m in used]
        handles.append(Patch(facecolor=colours[1], label=word("alone", lang)))
        handles.append(Patch(facecolor=colours[0], edgecolor="#999999", label=word("no_row", lang)))
        handles.append(Line2D([], [], marker="*", color="black", linestyle="", markersize=10, label=word("hub", lang)))
        fig.legend(handles=handles, loc="outside right upper", frameon=False)
        return png(fig)


def burden_png(instance: Instance, option, lang: str = "ja") -> bytes:
    """Each municipality's saving and, for those that can host, its net burden against its cap."""
    order = list(instance.municipalities)  # the user's order, as in the participation figure
    ledger = sorted(option.evaluation.ledger, key=lambda row: order.index(row.municipality) if row.municipality in order else len(order))
    names = [_municipality_label(instance, row.municipality, lang) for row in ledger]
    with japanese_font():
        fig = figure(9, min(2 + 0.5 * len(ledger), 30))
        ax = fig.subplots()
        ys = range(len(ledger))
        ax.barh([y - 0.2 for y in ys], [row.saving / MILLION for row in ledger], height=0.4, color="#59a14f", label=word("saving", lang))
        hosts = [(y, row) for y, row in zip(ys, ledger) if row.net_burden is not None]
        ax.barh([y + 0.2 for y, _ in hosts], [row.net_burden / MILLION for _, row in hosts], height=0.4, color="#f28e2b",
                label=word("net_burden", lang))
        for y, row in hosts:  # a net burden near 0 has no visible bar: say it in numbers
            ax.annotate(f"{row.net_burden / MILLION:,.1f}", (row.net_burden / MILLION, y + 0.2), xytext=(4, 0),
                        textcoords="offset points", va="center", fontsize=8, color="#a05a00")
        capped = [(y, row.burden_cap) for y, row in hosts if row.burden_cap is not None]
        if capped:
            ax.vlines([cap / MILLION for _, cap in capped], [y - 0.05 for y, _ in capped], [y + 0.45 for y, _ in capped],
                      color="#c0392b", linewidth=2.5, label=word("cap", lang))
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_yticks(list(ys), names)
        ax.invert_yaxis()
        ax.set_xlabel(word("money", lang))
        ax.xaxis.set_major_formatter("{x:,.0f}")
        ax.grid(axis="x", color="#e0e0e0")
        ax.set_axisbelow(True)
        ax.set_title(word("burden", lang, n=option.number))
        fig.legend(loc="outside lower center", ncols=3, frameon=False)
        return png(fig)


def tradeoff_png(points: list[tuple], lang: str = "ja") -> bytes:
    """Savings against the burden cap of a --sweep; caps without a plan are marked at zero."""
    solved = [(cap / MILLION, savings / MILLION) for cap, savings, *_ in points if savings is not None]
    failed = [cap / MILLION for cap, savings, *_ in points if savings is None]
    with japanese_font():
        fig = figure(8, 5)
        ax = fig.subplots()
        if solved:
            ax.plot([c for c, _ in solved], [s for _, s in solved], marker="o", color="#4e79a7", label=word("savings_axis", lang))
        if failed:
            ax.scatter(failed, [0] * len(failed), marker="x", color="#c0392b", label=word("infeasible", lang), zorder=3)
        ax.set_xlabel(word("cap_axis", lang))
        ax.set_ylabel(word("savings_axis", lang))
        ax.xaxis.set_major_formatter("{x:,.0f}")
        ax.yaxis.set_major_formatter("{x:,.0f}")
        ax.grid(color="#e0e0e0")
        ax.set_title(word("tradeoff", lang))
        if failed:
            ax.legend()
        return png(fig)


def plan_pngs(instance: Instance, options: list, lang: str = "ja") -> dict[str, bytes]:
    """participation.png and burden.png for the best plan (option 1)."""
    best = next((o for o in options if o.number == 1), options[-1])
    return {"participation.png": participation_png(instance, best, lang), "burden.png": burden_png(instance, best, lang)}
