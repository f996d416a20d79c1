"""Bar charts as inline SVG: drawn on the server, so the page needs no script and no network."""

from __future__ import annotations

from markupsafe import Markup, escape

from kouiki.serve.words import man_yen

# in the SVG's own units; drawn half a 1920 px screen wide, text stays about 20 px high
ROW = 40  # per bar: readable from the back of a room
LABEL = 150
VALUE = 150
WIDTH = 640


def bars(rows: list[dict], lang: str, title: str) -> Markup:
    """Horizontal bars from zero; each row: label, value, optional `mark` (a cap drawn as a line), `over`."""
    values = [abs(r["value"]) for r in rows] + [abs(r["mark"]) for r in rows if r.get("mark") is not None]
    span = max(values + [1.0])
    negative = any(r["value"] < 0 or (r.get("mark") or 0) < 0 for r in rows)
    plot = WIDTH - LABEL - VALUE
    zero = LABEL + (plot / 2 if negative else 0)
    scale = (plot / 2 if negative else plot) / span
    height = ROW * len(rows) + 10
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}">']
    for i, row in enumerate(rows):
        y = 5 + i * ROW
        value = row["value"]
        x, w = (zero, value * scale) if value >= 0 else (zero + value * scale, -value * scale)
        colour = "over" if row.get("over") else ("neg" if value < 0 else "pos")
        parts.append(f'<text x="{LABEL - 10}" y="{y + ROW * 0.62:.0f}" class="label" text-anchor="end">{escape(row["label"])}</text>')
        parts.append(f'<rect x="{x:.1f}" y="{y + 6}" width="{max(w, 1):.1f}" height="{ROW - 14}" class="bar {colour}"/>')
        if row.get("mark") is not None:
            mx = zero + row["mark"] * scale
            parts.append(f'<line x1="{mx:.1f}" x2="{mx:.1f}" y1="{y + 1}" y2="{y + ROW - 3}" class="cap"/>')
        parts.append(f'<text x="{WIDTH - 5}" y="{y + ROW * 0.62:.0f}" class="value" text-anchor="end">{escape(man_yen(value, lang))}</text>')
    parts.append(f'<line x1="{zero:.1f}" x2="{zero:.1f}" y1="0" y2="{height}" class="zero"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
