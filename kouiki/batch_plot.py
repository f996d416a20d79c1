"""comparison.png for a battery (--plots): each scenario's savings and largest net burden side by side.

Drawn with the figure helpers of reports/plots.py (the shipped Japanese font,
no pyplot, no version stamp), from the same rows as comparison.csv.
"""

from __future__ import annotations

from kouiki.messages import text
from kouiki.reports.plots import figure, japanese_font, png

MILLION = 1e6  # the chart's unit: 百万円


def word(key: str, lang: str) -> str:
    """The catalogue's sentence chart.KEY (kouiki/messages.py) in `lang`."""
    return text("chart." + key, lang)


def comparison_png(battery: list, lang: str = "ja") -> bytes:
    """Two bars per scenario (savings, max net burden), in input order; a scenario without a plan is marked."""

    def million(text: str) -> float:
        return int(text) / MILLION if text else 0.0

    names = [f.name for f in battery]
    savings = [million(f.summary.get("total_savings", "")) for f in battery]
    burden = [million(f.summary.get("max_net_burden", "")) for f in battery]
    with japanese_font():
        fig = figure(max(6.0, 0.9 * len(names) + 2), 5)
        ax = fig.subplots()
        positions = range(len(names))
        ax.bar([p - 0.2 for p in positions], savings, width=0.4, color="#4e79a7", label=word("savings", lang))
        ax.bar([p + 0.2 for p in positions], burden, width=0.4, color="#e15759", label=word("burden", lang))
        for p, f in zip(positions, battery):
            if not f.summary:
                ax.annotate(word("no_plan", lang), (p, 0), ha="center", va="bottom", color="#c0392b")
        ax.axhline(0, color="#555555", linewidth=0.8)
        ax.set_xticks(list(positions), names, rotation=30, ha="right")
        ax.set_ylabel(word("money", lang))
        ax.yaxis.set_major_formatter("{x:,.0f}")
        ax.grid(axis="y", color="#e0e0e0")
        ax.set_title(word("title", lang))
        ax.legend()
        return png(fig)
