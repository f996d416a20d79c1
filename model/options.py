"""Rows and objectives over (task, municipality) participation decisions (issue 14).

A participation decision is what one municipality does in one task: alone, or
in the arrangement of method m at hub h (as its hub or as a member). These are
the choices a council votes on, so options are told apart by them, and
"why not?" forces one of them in. Nothing here is part of the model of record
(model/build.py): the Planner adds these rows at solve time, as it adds its
`distinct` and `savings_floor` rows.
"""

from __future__ import annotations

from kouiki.model.matrix import Exact


def participation(plan) -> dict[tuple[str, str], tuple[str, str]]:
    """(task, municipality) → (method, hub) for everyone who takes part; absent means alone."""
    return {(a.task, j): (a.method, a.hub) for a in plan for j in a.participants}


def decisions_changed(plan, other) -> int:
    """How many (task, municipality) participation decisions differ between two plans."""
    mine, theirs = participation(plan), participation(other)
    return sum(1 for key in set(mine) | set(theirs) if mine.get(key) != theirs.get(key))


def join_columns(exact: Exact) -> dict[tuple[str, str], dict[tuple[str, str], int]]:
    """(task, municipality) → {(method, hub): the column that is 1 when it takes part that way}."""
    col = exact.matrix.column
    joins: dict[tuple[str, str], dict[tuple[str, str], int]] = {}
    for (t, m, h), c in exact.candidates.items():
        joins.setdefault((t, h), {})[(m, h)] = col[("x", t, m, h)]
        for j in c.members:
            joins.setdefault((t, j), {})[(m, h)] = col[("y", t, m, h, j)]
    return joins


def difference_terms(exact: Exact, plan) -> tuple[dict[int, float], float]:
    """The number of decisions changed against `plan`, as terms plus a constant.

    A decision the plan takes changes when its column goes to 0 (L1 lets a
    municipality take part once per task, so any other way of taking part sets
    it to 0 too); a municipality the plan leaves alone changes when any of its
    columns goes to 1. Decisions the model cannot take (no legal arrangement)
    count as changed whatever the solve does.
    """
    taken = participation(plan)
    terms: dict[int, float] = {}
    constant = 0.0
    joins = join_columns(exact)
    for key, ways in joins.items():
        if key in taken:
            constant += 1.0
            column = ways.get(taken[key])
            if column is not None:
                terms[column] = terms.get(column, 0.0) - 1.0
        else:
            for column in ways.values():
                terms[column] = terms.get(column, 0.0) + 1.0
    constant += sum(1 for key in taken if key not in joins)
    return terms, constant


def differ_row(exact: Exact, plan, at_least: int) -> tuple[tuple, dict[int, float], float]:
    """Later plans change at least `at_least` participation decisions against this one."""
    terms, constant = difference_terms(exact, plan)
    return ("distinct_participation",), terms, at_least - constant


def take_part_row(exact: Exact, task: str, municipality: str) -> tuple[tuple, dict[int, float], float] | None:
    """The municipality takes part in the task (as hub or member), as --require would ask; None if it cannot."""
    ways = join_columns(exact).get((task, municipality))
    if not ways:
        return None
    return ("why_not_take_part", task, municipality), {c: 1.0 for c in ways.values()}, 1.0
