"""Any console: what the terminal's encoding cannot show is degraded, never a crash.

A Japanese Windows console (cp932), a redirect on it, an `ascii` locale or a
latin-1 pipe cannot encode every character we print ("—", "…", "・", the
municipalities' names). Each such character becomes the nearest one the
encoding has ("—" → "-", "…" → "...", full-width → half-width), else "?".
Only the terminal is affected: report files are bytes written apart from it.
"""

from __future__ import annotations

import codecs
import sys
import unicodedata

ERRORS = "kouiki-degrade"

# The characters our own words use that cp932, ascii or latin-1 lack; NFKC
# (full-width → half-width) and "?" cover the rest.
NEAREST = {
    "\u2014": "-", "\u2013": "-", "\u2212": "-", "\u2010": "-", "\u2015": "-",
    "\u2026": "...", "\u00d7": "x", "\u2192": "->", "\u2190": "<-", "\u2264": "<=", "\u2265": ">=",
    "\u30fb": "/", "\u3001": ",", "\u3002": ".", "\u300c": '"', "\u300d": '"', "\u301c": "~",
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ", "\u2248": "~",
}


def _fits(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def nearest(ch: str, encoding: str) -> str:
    """The closest text to `ch` that `encoding` can encode."""
    for candidate in (NEAREST.get(ch), unicodedata.normalize("NFKC", ch)):
        if candidate and candidate != ch and _fits(candidate, encoding):
            return candidate
    return "?"


def _degrade(error: UnicodeError):
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start:error.end]
    return "".join(nearest(ch, error.encoding) for ch in text), error.end


codecs.register_error(ERRORS, _degrade)


def fit(text: str, encoding: str | None) -> str:
    """`text` as `encoding` can show it."""
    if not encoding:
        return text
    try:
        return text.encode(encoding, errors=ERRORS).decode(encoding)
    except LookupError:
        return text


class Tolerant:
    """A text stream that degrades what its encoding cannot show, then writes to the real one.

    It has no `buffer`, so click writes through it instead of re-wrapping the bytes
    underneath (click would turn an ascii console into UTF-8 mojibake).
    """

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(fit(text, getattr(self.stream, "encoding", None)))
        return len(text)

    def __getattr__(self, name):
        if name == "buffer":
            raise AttributeError(name)
        return getattr(self.stream, name)


def tolerate() -> None:
    """Wrap sys.stdout and sys.stderr once, for the whole process (the command line's start)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, Tolerant):
            setattr(sys, name, Tolerant(stream))
