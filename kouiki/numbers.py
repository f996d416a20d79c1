"""Amounts of yen as people type them on the command line: 1億, 5000万, 100,000,000, ¥100,000,000.

Files keep the loader's stricter reading (an amount in a table is in yen, so
"50万円" there is refused with advice); a command line is typed in the room,
where 1億 is what everyone says.
"""

from __future__ import annotations

import math
import re
import unicodedata

# Japanese myriad units, largest first: 1兆2000億 is read as 1.2·10^12.
_UNITS = (("兆", 1e12), ("億", 1e8), ("万", 1e4))
_SINGLE_UNITS = (("百万", 1e6), ("千", 1e3))
_PLAIN = re.compile(r"\d+(\.\d+)?|\.\d+")
_GROUPED = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")
LARGEST = 1e15  # the loader's bound: beyond it a unit slip, and beyond HiGHS's precision


def parse_yen(text: str) -> float:
    """The amount `text` names, in yen; ValueError if it names none."""
    value = unicodedata.normalize("NFKC", str(text)).strip().replace("_", "")  # ￥ → ¥, full-width digits
    sign = 1.0
    if value[:1] in ("+", "-", "−"):
        sign, value = (-1.0 if value[0] in "-−" else 1.0), value[1:].strip()
    if value[:1] in ("¥", "\\"):
        value = value[1:].strip()
    if value.endswith("円"):
        value = value[:-1].strip()
    if not value:
        raise ValueError(text)
    total = _myriads(value)
    if not math.isfinite(total) or abs(total) > LARGEST:
        raise ValueError(text)
    return sign * total + 0.0


def _number(part: str) -> float:
    if _GROUPED.fullmatch(part):
        part = part.replace(",", "")
    if not _PLAIN.fullmatch(part):
        raise ValueError(part)
    return float(part)


def _plain(part: str) -> float:
    """A number without a unit, also in the 1e8 form the command line always took."""
    try:
        return _number(part)
    except ValueError:
        if not re.fullmatch(r"(\d+(\.\d*)?|\.\d+)[eE][+-]?\d+", part):
            raise
        return float(part)


def _myriads(value: str) -> float:
    for unit, factor in _SINGLE_UNITS:
        if value.endswith(unit) and not any(u in value[: -len(unit)] for u, _ in _UNITS + _SINGLE_UNITS):
            return _number(value[: -len(unit)]) * factor
    total, rest, seen = 0.0, value, False
    for unit, factor in _UNITS:
        head, found, tail = rest.partition(unit)
        if found:
            total += _number(head) * factor
            rest, seen = tail, True
    if rest:
        total += _number(rest) if seen else _plain(rest)
    elif not seen:
        raise ValueError(value)
    return total
