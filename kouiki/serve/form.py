"""A what-if form sent from the page → a `kouiki.whatif.WhatIf`, or a refusal in words.

The page only composes the argument the command line would take
(`TASK=METHOD@HUB`, `A+B=NEW`, …); checking it is left to `kouiki.whatif.apply`,
the code the CLI uses, so the screen and the terminal accept and refuse the
same things with the same words. What is checked here is the request itself:
known fields only, short values, no control characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kouiki.serve.words import word
from kouiki.whatif import WhatIf

LIMIT = 100  # characters in one field: names and numbers are far shorter
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

# kind → (fields, how they become the CLI's argument); optional fields end with "?"
WHAT_IF_FORMS: dict[str, tuple[tuple[str, ...], str]] = {
    "burden-cap": (("amount",), "{amount}"),
    "exclude": (("municipality",), "{municipality}"),
    "require": (("task", "municipality"), "{task}:{municipality}"),
    "force": (("task", "method", "hub?"), "{task}={method}{at_hub}"),
    "forbid": (("task", "method"), "{task}={method}"),
    "forbid-method": (("method",), "{method}"),
    "fee-ratio": (("method", "ratio"), "{method}={ratio}"),
    "keep-current": ((), ""),
    "merge": (("first", "second", "new?"), "{first}+{second}{is_new}"),
    "max-arrangements": (("count",), "{count}"),
    "min-town-saving": (("ratio",), "{ratio}"),
}
# what-ifs that hold one value: setting one again replaces it instead of adding a second
SINGLE = ("burden-cap", "max-arrangements", "min-town-saving", "keep-current")
MAX_OPTIONS = 5
ALLOWED_EXTRA = ("kind", "base", "token")


class RequestRefused(Exception):
    """A request the screen cannot use (HTTP 400); the text says why in the user's language."""


@dataclass(frozen=True)
class Fields:
    """The fields of one form, checked for shape only."""

    values: dict[str, str]
    lang: str

    def get(self, name: str, required: bool = True) -> str:
        value = self.values.get(name, "").strip()
        if required and not value:
            raise RequestRefused(word("bad_request", self.lang, reason=word("missing_field", self.lang, field=name)))
        return value


def fields_of(form, allowed: tuple[str, ...], lang: str) -> Fields:
    """Every field known, single-valued, short and printable, or the request is refused."""
    values: dict[str, str] = {}
    for name, value in form.multi_items():
        if name not in allowed or name in values or not isinstance(value, str):
            raise RequestRefused(word("bad_request", lang, reason=word("bad_field", lang, field=name[:40])))
        if len(value) > LIMIT:
            raise RequestRefused(word("bad_request", lang, reason=word("too_long", lang, field=name, limit=LIMIT)))
        if _CONTROL.search(value):
            raise RequestRefused(word("bad_request", lang, reason=word("bad_field", lang, field=name)))
        values[name] = value
    return Fields(values, lang)


def allowed_fields(kind: str) -> tuple[str, ...]:
    names, _ = WHAT_IF_FORMS[kind]
    return ALLOWED_EXTRA + tuple(n.rstrip("?") for n in names)


def what_if_from(kind: str, fields: Fields, source: str) -> WhatIf:
    """The WhatIf the command line would make from the same words."""
    if kind not in WHAT_IF_FORMS:
        raise RequestRefused(word("bad_request", fields.lang, reason=word("unknown_kind", fields.lang, kind=kind[:40])))
    names, pattern = WHAT_IF_FORMS[kind]
    values = {n.rstrip("?"): fields.get(n.rstrip("?"), required=not n.endswith("?")) for n in names}
    if kind == "burden-cap":
        values["amount"] = yen_text(values["amount"], fields.lang)
    values["at_hub"] = f"@{values['hub']}" if values.get("hub") else ""
    values["is_new"] = f"={values['new']}" if values.get("new") else ""
    return WhatIf(kind, pattern.format(**values), source)


def count_of(text: str, low: int, high: int, name: str, lang: str) -> int:
    """A whole number in [low, high] from a request field, or a refusal."""
    if not re.fullmatch(r"\d{1,6}", text.strip()) or not low <= int(text) <= high:
        raise RequestRefused(word("bad_request", lang, reason=word("bad_field", lang, field=name)))
    return int(text)


_UNITS = {"兆": 10**12, "億": 10**8, "万": 10**4}
_AMOUNT = re.compile(r"(?P<sign>[-−－]?)(?P<parts>(?:[0-9.,]+[兆億万])*[0-9.,]*)円?")


def yen_text(text: str, lang: str) -> str:
    """An amount written as the room says it (1億, 5000万, 1億2000万円) → plain yen digits.

    Plain numbers pass through unchanged so that the CLI's own check judges them;
    the what-if argument then reads like `--burden-cap 100000000`.
    """
    text = text.strip().translate(str.maketrans("０１２３４５６７８９．，", "0123456789.,"))
    if not any(unit in text for unit in _UNITS) and not text.endswith("円"):
        return text
    match = _AMOUNT.fullmatch(text)
    if not match or not match["parts"]:
        raise RequestRefused(word("money_unit", lang, text=text))
    total, rest = 0, match["parts"]
    for number, unit in re.findall(r"([0-9.,]+)([兆億万])", rest):
        total += _number(number, text, lang) * _UNITS[unit]
    tail = re.sub(r"[0-9.,]+[兆億万]", "", rest)
    if tail:
        total += _number(tail, text, lang)
    sign = -1 if match["sign"] else 1
    value = sign * total
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _number(part: str, text: str, lang: str) -> float:
    try:
        return float(part.replace(",", ""))
    except ValueError:
        raise RequestRefused(word("money_unit", lang, text=text)) from None
