"""Workshop what-ifs: the user's words → a new Instance (merges) and a Scenario.

A what-if comes from the command line or from a what-if file (one per row),
so that a workshop's scenario is a file it can keep. The file has two columns:

    what_if,argument
    burden-cap,100000000
    force,常備消防=delegation@小田原市
    exclude,箱根町
    merge,小田原市+南足柄市=小田原南足柄市

`what_if` is an option name without the leading dashes; `argument` is what
would follow it on the command line (empty for keep-current).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from pathlib import Path

from kouiki.errors import InputError, Problem, UsageError
from kouiki.instance import MUST, UNWILLING, WILLING, CurrentArrangement, Instance, Municipality, Row
from kouiki.load import decode, names_for
from kouiki.messages import Message, Yen
from kouiki.scenario import Scenario

KINDS = (
    "merge", "exclude", "burden-cap", "force", "forbid", "forbid-method", "require",
    "fee-ratio", "min-town-saving", "max-arrangements", "keep-current",
)


@dataclass(frozen=True)
class WhatIf:
    kind: str  # one of KINDS
    argument: str  # as the user typed it
    source: str  # "command line" or "whatif.csv row 3"

    @property
    def label(self) -> str:
        return f"--{self.kind} {self.argument}".rstrip()

    @property
    def where(self):
        """Where the user wrote it, in words: the command line, or a file's row."""
        file, found, row = self.source.rpartition(" row ")
        if found and row.isdigit():
            return Message("whatif.file_row", file=file, row=int(row))
        return Message("whatif.command_line") if self.source == "command line" else self.source


class _Resolver:
    """Turns names typed by the user into ids, or a message suggesting close ones."""

    def __init__(self, instance: Instance, what: WhatIf):
        self.names = names_for(instance)
        self.what = what

    def fail(self, message):
        raise UsageError(Message("whatif.refused", label=self.what.label, source=self.what.where, text=message))

    def get(self, kind: str, text: str) -> str:
        found = self.names[kind].get(text)
        if found is None:
            self.fail(self.names[kind].unknown(text.strip()))
        return found

    def pair(self, text: str, sep: str, usage: str) -> tuple[str, str]:
        """TEXT split once at `sep` (TASK=METHOD, TASK:MUNICIPALITY, …), or the usage in words."""
        left, found, right = text.partition(sep)
        if not found:
            self.fail(Message("whatif.write_as", usage=usage))
        return left, right

    def number(self, text: str, low: float | None = None, high: float | None = None) -> float:
        try:
            value = float(text.replace(",", "").replace("_", ""))
        except ValueError:
            self.fail(Message("whatif.not_a_number", value=text))
        if value != value or value in (float("inf"), float("-inf")):
            self.fail(Message("whatif.not_finite", value=text))
        if abs(value) > 1e15:  # the loader's bound on money too: beyond it HiGHS loses precision
            self.fail(Message("whatif.too_large", value=text))
        if low is not None and high is None and value < low:
            self.fail(Message("whatif.at_least", value=text, low=f"{low:g}"))
        if (low is not None and value < low) or (high is not None and value > high):
            self.fail(Message("whatif.between", value=text, low=f"{low:g}", high=f"{high:g}"))
        return value

    def yen(self, text: str) -> float:
        """An amount as the room says it (1億, 5000万, 100,000,000), like the command line's --burden-cap."""
        from kouiki.numbers import parse_yen

        try:
            return parse_yen(text)
        except ValueError:
            self.fail(Message("cli.bad_yen", value=text))


def read_file(path: str) -> list[WhatIf]:
    """The what-ifs of a file, in order; every bad row reported at once."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as error:
        raise InputError([Problem(file.name, None, None, Message("load.unreadable", reason=error.strerror))]) from None
    text, _ = decode(data, file.name)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    problems: list[Problem] = []
    header = [c.strip().lstrip("\ufeff") for c in rows[0]] if rows else []
    if header[:2] != ["what_if", "argument"]:
        raise InputError([Problem(file.name, 1, None, Message("whatif.bad_header"))])
    found: list[WhatIf] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        kind = row[0].strip().lstrip("-")
        argument = row[1].strip() if len(row) > 1 else ""
        if kind not in KINDS:
            from difflib import get_close_matches

            close = get_close_matches(kind, KINDS, n=2)
            hint = Message("whatif.did_you_mean", names=" / ".join(close)) if close else Message("whatif.valid_kinds", names=", ".join(KINDS))
            problems.append(Problem(file.name, number, "what_if", Message("whatif.unknown_kind", kind=kind, hint=hint)))
            continue
        if kind != "keep-current" and not argument:
            problems.append(Problem(file.name, number, "argument", Message("whatif.needs_argument", kind=kind)))
            continue
        found.append(WhatIf(kind, argument, f"{file.name} row {number}"))
    if problems:
        raise InputError(problems)
    return found


def merge(instance: Instance, first: str, second: str, new: str) -> Instance:
    """Two municipalities become one (SPEC §4's merger scenario).

    Populations and volumes add up; a standalone cost is recomputed from the
    cost curve on the merged volume unless one was given, in which case the two
    standalone costs add up; core-city powers are re-derived from the merged
    population unless one side had them set explicitly; the day/night ratio
    and commuting share are combined population-weighted (an approximation:
    commuting between the two cities no longer counts, which this ignores).
    """
    a, b = instance.municipalities[first], instance.municipalities[second]
    total = a.population + b.population

    def weighted(x, y):
        # Where only one side has the figure, it stands for the merged city
        # (an estimate; `apply` says so in words).
        if x is None or y is None:
            return x if y is None else y
        return (x * a.population + y * b.population) / total if total else (x + y) / 2

    def added(x, y):
        return None if x is None or y is None else x + y

    explicit = [c for c in (a.core_city, b.core_city) if c is not None]
    merged = Municipality(
        id=new,
        role="central" if "central" in (a.role, b.role) else a.role,
        can_host=a.can_host or b.can_host,
        population=total,
        core_city=True if True in explicit else (False if explicit and not any(explicit) and len(explicit) == 2 else None),
        day_night_ratio=weighted(a.day_night_ratio, b.day_night_ratio),
        in_three_metro_areas=a.in_three_metro_areas or b.in_three_metro_areas,
        metro_commute_share=weighted(a.metro_commute_share, b.metro_commute_share),
        burden_cap=added(a.burden_cap, b.burden_cap),
        staff_capacity=added(a.staff_capacity, b.staff_capacity),
        label_en=f"{a.label_en or first} + {b.label_en or second}",
    )
    # the merged city takes the place of the first of the two in the user's order
    municipalities = {}
    for j, m in instance.municipalities.items():
        if j in (first, second):
            municipalities.setdefault(new, merged)
        else:
            municipalities[j] = m

    def rename(j: str) -> str:
        return new if j in (first, second) else j

    rows: dict[tuple[str, str], Row] = {}
    for (t, j), row in instance.rows.items():
        if j not in (first, second):
            rows[(t, j)] = replace(row, payer=rename(row.payer) if row.payer else None)
    for t in instance.tasks:
        parts = [instance.rows[(t, j)] for j in (first, second) if (t, j) in instance.rows]
        if not parts:
            continue
        volume = sum(p.volume for p in parts)
        given = any(p.standalone_cost is not None for p in parts)
        standalone = sum(instance.standalone(t, p.municipality) for p in parts) if given else None
        willing = [p.willing for p in parts]
        merged_willing = MUST if MUST in willing else (UNWILLING if all(w == UNWILLING for w in willing) else WILLING)
        payers = {rename(p.payer) for p in parts if p.payer}
        rows[(t, new)] = Row(t, new, volume, standalone, merged_willing, payers.pop() if len(payers) == 1 else None)
    reach = None
    if instance.reach is not None:
        reach = frozenset((rename(j), rename(h)) for j, h in instance.reach if rename(j) != rename(h))
    current = []
    for c in instance.current:
        participants = tuple(dict.fromkeys(rename(j) for j in c.participants))
        current.append(CurrentArrangement(c.task, c.method, rename(c.hub), participants, c.row))
    return replace(instance, municipalities=municipalities, rows=rows, reach=reach, current=tuple(current))


def apply(instance: Instance, base: Scenario, what_ifs: list[WhatIf]) -> tuple[Instance, Scenario, list[str]]:
    """Apply the what-ifs in a fixed order (merges, then exclusions, then the rest).

    Returns the new instance, the scenario, and each what-if in words.
    """
    order = {kind: i for i, kind in enumerate(KINDS)}
    said: list[Message] = []
    fields: dict = {}
    forced, forbidden, forbidden_methods, required, excluded = [], set(), set(), set(), set()
    fee_ratio = dict(base.fee_ratio)
    for what in sorted(what_ifs, key=lambda w: order[w.kind]):
        r = _Resolver(instance, what)
        arg = what.argument
        if what.kind == "merge":
            left, _, new = arg.partition("=")
            a_text, plus, b_text = left.partition("+")
            if not plus:
                r.fail(Message("whatif.write_as", usage="A+B / A+B=NEW"))
            a, b = r.get("municipality", a_text), r.get("municipality", b_text)
            if a == b:
                r.fail(Message("whatif.self_merge"))
            new = new.strip() or f"{a}・{b}"
            if new in instance.municipalities and new not in (a, b):
                r.fail(Message("whatif.name_taken", name=new))
            before = (instance.municipalities[a], instance.municipalities[b])
            instance = merge(instance, a, b, new)
            city = instance.municipalities[new]
            said.append(Message("whatif.merge", a=a, b=b, new=new, population=f"{city.population:,}",
                                powers=Message("whatif.with" if city.core_city_powers else "whatif.without")))
            for field in ("day_night_ratio", "metro_commute_share"):
                known = [x for x in before if getattr(x, field) is not None]
                if len(known) == 1:
                    said.append(Message("whatif.merged_figure", what=Message(f"whatif.{field}"), source=known[0].id,
                                        value=f"{getattr(known[0], field):g}", other=({a, b} - {known[0].id}).pop()))
        elif what.kind == "exclude":
            j = r.get("municipality", arg)
            excluded.add(j)
            said.append(Message("whatif.exclude", municipality=j))
        elif what.kind == "burden-cap":
            fields["burden_cap"] = r.yen(arg)
            said.append(Message("whatif.burden_cap", money=Yen(fields["burden_cap"]), yen=f"{fields['burden_cap']:,.0f}"))
        elif what.kind == "force":
            task_text, rest = r.pair(arg, "=", "TASK=METHOD / TASK=METHOD@HUB")
            method_text, at, hub_text = rest.partition("@")
            t, m = r.get("task", task_text), r.get("method", method_text)
            h = r.get("municipality", hub_text) if at else None
            forced.append((t, m, h))
            said.append(Message("whatif.force_at", task=t, method=m, hub=h) if h else Message("whatif.force", task=t, method=m))
        elif what.kind == "forbid":
            task_text, method_text = r.pair(arg, "=", "TASK=METHOD")
            t, m = r.get("task", task_text), r.get("method", method_text)
            forbidden.add((t, m))
            said.append(Message("whatif.forbid", task=t, method=m))
        elif what.kind == "forbid-method":
            m = r.get("method", arg)
            forbidden_methods.add(m)
            said.append(Message("whatif.forbid_method", method=m))
        elif what.kind == "require":
            task_text, muni_text = r.pair(arg, ":", "TASK:MUNICIPALITY")
            t, j = r.get("task", task_text), r.get("municipality", muni_text)
            required.add((t, j))
            said.append(Message("whatif.require", municipality=j, task=t))
        elif what.kind == "fee-ratio":
            method_text, ratio = r.pair(arg, "=", "METHOD=R")
            m = r.get("method", method_text)
            fee_ratio[m] = r.number(ratio, 0, 1)
            said.append(Message("whatif.fee_ratio", method=m, ratio=f"{fee_ratio[m]:.0%}"))
        elif what.kind == "min-town-saving":
            fields["min_town_saving"] = r.number(arg, 0, 1)
            said.append(Message("whatif.min_town_saving", ratio=f"{fields['min_town_saving']:.0%}"))
        elif what.kind == "max-arrangements":
            value = r.number(arg, 0)
            if value != int(value):
                r.fail(Message("whatif.whole"))
            fields["max_arrangements"] = int(value)
            said.append(Message("whatif.max_arrangements", count=int(value)))
        elif what.kind == "keep-current":
            fields["keep_current"] = True
            said.append(Message("whatif.keep_current"))
    scenario = replace(
        base, **fields, fee_ratio=fee_ratio, forced=tuple(forced), forbidden=frozenset(forbidden),
        forbidden_methods=frozenset(forbidden_methods), required=frozenset(required),
        excluded=frozenset(excluded),
    )
    return instance, scenario, said
