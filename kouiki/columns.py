"""Display columns: a terminal (or a projector) shows East Asian wide characters two columns wide.

Every line kouiki prints fits in WIDTH columns; `wrap` breaks Japanese text
between any two characters (but not before 、。）」 or after （「) and English
text at spaces.
"""

from __future__ import annotations

import unicodedata

WIDTH = 100
_NO_LINE_START = set("、。，．）」』】〕・：；！？ー%）)]},.;:!?")
_NO_LINE_END = set("（「『【〔([{")


def width(text: str) -> int:
    """Columns a string takes in a terminal: wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, columns: int, right: bool = False) -> str:
    fill = " " * max(columns - width(text), 0)
    return fill + text if right else text + fill


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _pieces(text: str) -> list[str]:
    """Units that may not be split: an ASCII word (with its trailing space), or one wide character."""
    pieces: list[str] = []
    for ch in text:
        if pieces and not _wide(ch) and ch != " " and not _wide(pieces[-1][-1]) and not pieces[-1].endswith(" "):
            pieces[-1] += ch
        elif pieces and ch == " ":
            pieces[-1] += ch
        elif pieces and _wide(ch) and pieces[-1][-1].isdigit():  # 1億, 5000万: a number keeps its unit
            pieces[-1] += ch
        elif pieces and ch in _NO_LINE_START:
            pieces[-1] += ch
        elif pieces and pieces[-1][-1] in _NO_LINE_END:
            pieces[-1] += ch
        else:
            pieces.append(ch)
    return pieces


def wrap(text: str, columns: int = WIDTH, indent: str = "", first: str | None = None) -> list[str]:
    """`text` as lines of at most `columns` display columns; later lines start with `indent`."""
    lead = indent if first is None else first
    lines: list[str] = []
    line = lead
    for piece in _pieces(text):
        if width(line + piece.rstrip()) > columns and line.strip():
            lines.append(line.rstrip())
            line = indent + piece.lstrip()
        else:
            line += piece
        while width(line.rstrip()) > columns:  # one piece longer than a line: cut it
            cut = len(line)
            while cut > len(indent) + 1 and width(line[:cut]) > columns:
                cut -= 1
            lines.append(line[:cut])
            line = indent + line[cut:]
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def fits(text: str, columns: int = WIDTH) -> str:
    """Every line of `text` wrapped to `columns`, keeping each line's own indentation."""
    out = []
    for line in text.split("\n"):
        if width(line) <= columns:
            out.append(line)
            continue
        body = line.lstrip(" ")
        indent = " " * (len(line) - len(body))
        out.extend(wrap(body, columns, indent + "    ", first=indent))
    return "\n".join(out)
