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
NO_ROW, ALONE = "#ffffff", "#d9d9d9"
METHOD_COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#17becf"]

PREFECTURE = "#c5b0d5"  # core-city affairs no hub can lead: the prefecture keeps them
BURDEN, GAIN, SAVING, CAP = "#f28e2b", "#4e79a7", "#59a14f", "#c0392b"


def word(key: str, lang: str, **values) -> str:
    from kouiki.messages import text

    return text(f"plot.{key}", lang, **values)


def unit(lang: str) -> float:
    """The terminal's unit: 万円 in Japanese, million yen in English (kouiki/messages.py's money)."""
    return 1e4 if lang == "ja" else 1e6


def label(value: float, lang: str) -> str:
    from kouiki.messages import money

    return money(value, lang)


class PlotsUnavailable(Exception):
    """--plots needs the `plots` extra (matplotlib and matplotlib-fontja)."""


def available() -> None:
    """Raise PlotsUnavailable unless the plotting packages are installed (checked before solving)."""
    from importlib.util import find_spec

    missing = [name for name in ("matplotlib", "matplotlib_fontja") if find_spec(name) is None]
    if missing:
        from kouiki.messages import Message

        raise PlotsUnavailable(Message("cli.plots_missing", packages=" / ".join(missing)))


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


def _grid(instance: Instance, ev, tasks: list[str], munis: list[str], code: dict[str, int]):
    """Codes of the cells (0 no row, 1 alone, 2 the prefecture keeps a core-city affair, 3… methods) and the hubs."""
    grid = [[0] * len(tasks) for _ in munis]
    hubs = []
    for p in ev.participation:
        if p.task not in tasks or p.municipality not in munis:
            continue
        y, x = munis.index(p.municipality), tasks.index(p.task)
        if p.method:
            grid[y][x] = code[p.method]
        elif instance.tasks[p.task].core_city_affair and not instance.municipalities[p.municipality].core_city_powers:
            grid[y][x] = 2  # SPEC §4: in a town's area the prefecture does a core-city affair
        else:
            grid[y][x] = 1
        if p.hub == p.municipality:
            hubs.append((x, y))
    return grid, hubs


def participation_png(instance: Instance, option, lang: str = "ja", before=None) -> bytes:
    """Municipalities × tasks, coloured by the method each joins by (★ the hub); the status quo beside the plan."""
    from matplotlib.colors import ListedColormap
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    panels = [(before, word("status_quo", lang))] if before is not None else []
    panels.append((option, word("option", lang, n=option.number)))
    tasks = list(instance.tasks)
    munis = list(instance.municipalities)
    used = [m for m in instance.methods if any(p.method == m for o, _ in panels for p in o.evaluation.participation)]
    code = {m: 3 + i for i, m in enumerate(used)}
    # a method keeps its colour whichever others appear: its place in the methods table
    order = list(instance.methods)
    colours = [NO_ROW, ALONE, PREFECTURE] + [METHOD_COLOURS[order.index(m) % len(METHOD_COLOURS)] for m in used]
    grids = [_grid(instance, o.evaluation, tasks, munis, code) for o, _ in panels]
    prefecture = any(2 in row for grid, _ in grids for row in grid)

    with japanese_font():
        fig = figure(min(3 + 0.42 * len(tasks) * len(panels), 40), min(3.2 + 0.36 * len(munis), 30))
        axes = fig.subplots(1, len(panels), sharey=True, squeeze=False)[0]
        for ax, (grid, hubs), (_, title) in zip(axes, grids, panels):
            ax.imshow(grid, cmap=ListedColormap(colours), vmin=0, vmax=len(colours) - 1, aspect="auto", interpolation="nearest")
            if hubs:
                ax.scatter([x for x, _ in hubs], [y for _, y in hubs], marker="*", s=90, color="black", linewidths=0)
            ax.set_xticks(range(len(tasks)), [_task_label(instance, t, lang) for t in tasks], rotation=90)
            ax.set_yticks(range(len(munis)), [_municipality_label(instance, m, lang) for m in munis])
            ax.set_xticks([i - 0.5 for i in range(1, len(tasks))], minor=True)
            ax.set_yticks([i - 0.5 for i in range(1, len(munis))], minor=True)
            ax.grid(which="minor", color="white", linewidth=1.5)
            ax.tick_params(which="minor", length=0)
            ax.set_title(title)
        fig.suptitle(word("participation", lang, left=panels[0][1], right=panels[-1][1]) if len(panels) > 1 else panels[0][1])
        handles = [Patch(facecolor=colours[code[m]], label=_method_label(instance, m, lang)) for m in used]
        handles.append(Patch(facecolor=colours[1], label=word("alone", lang)))
        if prefecture:
            handles.append(Patch(facecolor=PREFECTURE, label=word("prefecture", lang)))
        handles.append(Patch(facecolor=colours[0], edgecolor="#999999", label=word("no_row", lang)))
        handles.append(Line2D([], [], marker="*", color="black", linestyle="", markersize=10, label=word("hub", lang)))
        fig.legend(handles=handles, loc="outside right upper", frameon=False)
        return png(fig)


def burden_png(instance: Instance, option, lang: str = "ja") -> bytes:
    """Each municipality's saving and, for the hubs that lead something, the net burden against the cap.

    A negative net burden is drawn and labelled as a gain; the cap is a labelled line;
    value labels sit beyond both the bar and the cap, so nothing overprints them.
    """
    from matplotlib.patches import Patch
    from matplotlib.lines import Line2D

    ev = option.evaluation
    per = unit(lang)
    ledger = list(ev.ledger)  # municipalities.csv's order (model/evaluate.py)
    leading = {a.hub for a in ev.plan}
    names = [_municipality_label(instance, row.municipality, lang) for row in ledger]
    hosts = [(y, row) for y, row in enumerate(ledger) if row.net_burden is not None and row.municipality in leading]
    with japanese_font():
        fig = figure(10, min(2.4 + 0.55 * len(ledger), 30))
        ax = fig.subplots()
        ys = range(len(ledger))
        savings = [row.saving / per for row in ledger]
        ax.barh([y - 0.2 for y in ys], savings, height=0.4, color=SAVING)
        values = [row.net_burden / per for _, row in hosts]
        ax.barh([y + 0.2 for y, _ in hosts], values, height=0.4, color=[BURDEN if v > 0 else GAIN for v in values])
        caps = sorted({row.burden_cap for _, row in hosts if row.burden_cap is not None})
        span = max([abs(v) for v in savings + values] + [abs(c) / per for c in caps] + [1.0])
        for cap in caps:
            ax.axvline(cap / per, color=CAP, linestyle="--", linewidth=1.6, zorder=3)
        for (y, row), value in zip(hosts, values):
            cap = row.burden_cap / per if row.burden_cap is not None else value
            right = max(value, cap, 0)
            words = label(row.net_burden, lang) if value > 0 else f"{word('gain_short', lang)} {label(-row.net_burden, lang)}"
            ax.annotate(words, (right, y + 0.2), xytext=(6, 0), textcoords="offset points", va="center", fontsize=8,
                        color="#a05a00" if value > 0 else "#2b4f75")
        for y, value, row in zip(ys, savings, ledger):
            ax.annotate(label(row.saving, lang), (max(value, 0), y - 0.2), xytext=(6, 0), textcoords="offset points",
                        va="center", fontsize=8, color="#2e6b2a")
        ax.axvline(0, color="black", linewidth=0.8)
        low = min(savings + values + [c / per for c in caps] + [0])
        ax.set_xlim(low - 0.05 * span, max(savings + values + [c / per for c in caps] + [0]) + 0.35 * span)
        ax.set_yticks(list(ys), names)
        ax.invert_yaxis()
        ax.set_xlabel(word("money", lang))
        ax.xaxis.set_major_formatter("{x:,.0f}")
        ax.grid(axis="x", color="#e0e0e0")
        ax.set_axisbelow(True)
        ax.set_title(word("burden", lang, n=option.number))
        handles = [Patch(facecolor=SAVING, label=word("saving", lang))]
        if any(v > 0 for v in values):
            handles.append(Patch(facecolor=BURDEN, label=word("net_burden", lang)))
        if any(v <= 0 for v in values):
            handles.append(Patch(facecolor=GAIN, label=word("gain", lang)))
        for cap in caps:
            handles.append(Line2D([], [], color=CAP, linestyle="--", label=word("cap", lang, money=label(cap, lang))))
        fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 4), frameon=False)
        return png(fig)


def tradeoff_png(points: list[tuple], lang: str = "ja") -> bytes:
    """Savings against the burden cap of a --sweep: the computed points only, labelled, on an axis from zero."""
    per = unit(lang)
    solved = [(cap, savings) for cap, savings, *_ in points if savings is not None]
    failed = [cap for cap, savings, *_ in points if savings is None]
    with japanese_font():
        fig = figure(8, 5)
        ax = fig.subplots()
        if solved:
            # no line between the points: nothing was computed between them
            ax.scatter([c / per for c, _ in solved], [s / per for _, s in solved], marker="o", color="#4e79a7",
                       label=word("computed", lang), zorder=3)
            for cap, savings in solved:
                ax.annotate(label(savings, lang), (cap / per, savings / per), xytext=(0, 8), textcoords="offset points",
                            ha="center", fontsize=8)
        if failed:
            ax.scatter([c / per for c in failed], [0] * len(failed), marker="x", color=CAP, label=word("infeasible", lang), zorder=3)
        top = max([s for _, s in solved] + [1.0]) / per
        ax.set_ylim(0, top * 1.15)  # an honest axis: from zero, so a 3 % change looks like 3 %
        caps = [c / per for c, *_ in points]
        if caps:
            margin = (max(caps) - min(caps)) * 0.08 or 1.0
            ax.set_xlim(min(caps) - margin, max(caps) + margin)
        ax.set_xlabel(word("cap_axis", lang))
        ax.set_ylabel(word("savings_axis", lang))
        ax.xaxis.set_major_formatter("{x:,.0f}")
        ax.yaxis.set_major_formatter("{x:,.0f}")
        ax.grid(color="#e0e0e0")
        ax.set_title(word("tradeoff", lang))
        ax.legend(loc="lower right")
        return png(fig)


def plan_pngs(instance: Instance, options: list, lang: str = "ja") -> dict[str, bytes]:
    """participation.png (the status quo beside option 1) and burden.png for the best plan (option 1)."""
    best = next((o for o in options if o.number == 1), options[-1])
    before = next((o for o in options if o.number == 0), None)
    return {"participation.png": participation_png(instance, best, lang, before),
            "burden.png": burden_png(instance, best, lang)}
