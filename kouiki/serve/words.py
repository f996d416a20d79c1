"""The workshop screen's words: its sentences are the catalogue's `screen.*` keys (kouiki/messages.py).

What-if refusals are the library's own words (UsageError / InputError), shown
as they are; money is shown as the room reads it (億 and 万).
"""

from __future__ import annotations

from kouiki.messages import text

LANGS = ("ja", "en")


def word(key: str, lang: str = "ja", **values) -> str:
    """The catalogue's sentence screen.KEY (kouiki/messages.py) in `lang`."""
    return text("screen." + key, lang, **values)


def man_yen(value: float, lang: str = "ja") -> str:
    """Money as the room reads it: 億 and 万 (1億2,345万円), with a sign when negative."""
    sign = "-" if value < 0 else ""
    man = round(abs(value) / 1e4)
    oku, rest = divmod(man, 10_000)
    if oku and rest:
        shown = f"{oku:,}億{rest:,}万円"
    elif oku:
        shown = f"{oku:,}億円"
    else:
        shown = f"{rest:,}万円"
    return sign + shown
