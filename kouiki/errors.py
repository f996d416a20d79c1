"""The error types the command line turns into exit codes (SPEC §7).

Bad input → exit 2, infeasible → exit 1, time limit without a plan → exit 3.
Each carries what a user needs to act on it, never a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the user's input, located like a spreadsheet cell."""

    file: str
    row: int | None  # spreadsheet row: the header is row 1
    column: str | None
    message: str

    def __str__(self) -> str:
        return self.render("en")

    def render(self, lang: str = "ja") -> str:
        """One line naming file, row and column, in `lang` (kouiki/messages.py)."""
        from kouiki.messages import render, text

        column = self.column if not self.column or len(self.column) <= 60 else f"{self.column[:60]}…"
        key = "problem." + ("at" if self.row is not None and column else "at_row" if self.row is not None
                            else "at_column" if column else "in_file")
        line = text(key, lang, file=self.file, row=self.row, column=column, message=render(self.message, lang))
        # One problem, one line: a cell's line breaks or NUL bytes are shown, not obeyed.
        return _CONTROL.sub(lambda m: repr(m.group())[1:-1], line)


class InputError(Exception):
    """Bad input: every problem found, each naming file, row and column."""

    exit_code = 2

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(
            problems, key=lambda p: (p.file, p.row or 0, p.column or "", str(p.message))
        )
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(Exception):
    """A command-line option the tool cannot use (exit 2)."""

    exit_code = 2


class InfeasibleError(Exception):
    """No plan satisfies the rules and what-ifs (exit 1); `reasons` say why in words."""

    exit_code = 1

    def __init__(self, reasons: list[tuple[str, str]], facts: dict | None = None):
        # reasons: (rule or what-if, explanation in words)
        self.reasons = reasons
        self.facts = facts or {}
        super().__init__("; ".join(text for _, text in reasons))


class NoPlanInTimeError(Exception):
    """The time limit ran out before any feasible plan was found (exit 3)."""

    exit_code = 3


class PlanCheckError(Exception):
    """The solver's plan broke a rule or disagreed with the exact evaluation.

    This is a defect (ours or the solver's), never a result to report as a plan.
    """

    exit_code = 4
