"""CSV reports and run.json (SPEC §8), written whole or not at all.

Every file goes into a hidden temporary folder beside the destination, which
is renamed into place only once all of them are written: a crash or Ctrl-C
never leaves half a report. CSVs are UTF-8 with BOM (Excel opens them as
UTF-8), rows in the user's order (municipalities.csv, tasks.csv), numbers
rounded to whole yen: the same input gives the same bytes. Timings live only in run.json and summary.csv's seconds column.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kouiki.instance import Instance
from kouiki.messages import Message
from kouiki.model.evaluate import Evaluation

BOM = "\ufeff"


@dataclass
class Option:
    """One plan to report: option 0 is the status quo, 1 the optimum."""

    number: int
    evaluation: Evaluation
    status: str
    gap: float | None
    seconds: float | None
    share_of_best: float | None = None
    changes_vs_best: str = ""
    changes_vs_status_quo: str = ""
    words_vs_best: str = ""  # the participation changes in words (kouiki/alternatives.py)
    words_vs_status_quo: str = ""


def yen(value: float | None) -> str:
    if value is None:
        return ""
    rounded = int(round(value))
    return str(rounded if rounded != 0 else 0)


def amount(value: float) -> str:
    """Volumes: whole numbers as such, others with up to 6 decimals."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def inert(cell):
    """A text cell Excel would run as a formula (=, +, -, @ first) gets a leading apostrophe.

    Numbers stay numbers: only text that is not a number is guarded.
    """
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@"):
        try:
            float(cell)
        except ValueError:
            return "'" + cell
    return cell


def to_csv(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([inert(cell) for cell in row] for row in rows)
    return (BOM + buffer.getvalue()).encode("utf-8")


# Each report is a header and rows of CSV cells; the CSV and the Excel writers
# (reports/xlsx.py) both take them from here, so the two can never disagree.
Rows = tuple[list[str], list[list]]


def summary_rows(instance: Instance, options: list[Option]) -> Rows:
    base = next((o.evaluation.total_savings for o in options if o.number == 0), None)
    rows = []
    for o in options:
        ev = o.evaluation
        burden, hub = ev.max_net_burden
        shared = len({r.arrangement.task for r in ev.arrangements})
        change = "" if base is None else yen(ev.total_savings - base)
        rows.append([
            o.number, yen(ev.total_savings), change, yen(burden), hub or "", shared, len(ev.arrangements),
            o.status, "" if o.gap is None else f"{o.gap:.6g}", "" if o.seconds is None else f"{o.seconds:.3f}",
            "" if o.share_of_best is None else f"{100 * o.share_of_best:.2f}", o.changes_vs_best, o.changes_vs_status_quo,
            o.words_vs_best, o.words_vs_status_quo,
            yen(sum(row.cost_under_plan for row in ev.ledger)),
        ])
    header = ["option", "total_savings", "change_vs_status_quo", "max_net_burden", "max_net_burden_hub",
              "shared_tasks", "arrangements", "status", "mip_gap", "seconds",
              "percent_of_best", "choices_vs_option_1", "choices_vs_status_quo",
              "in_words_vs_option_1", "in_words_vs_status_quo",
              # Σ cost under the plan: plans with different parties (a merger) compare by it, not by savings
              "regional_cost"]
    return header, rows


def arrangements_rows(instance: Instance, options: list[Option]) -> Rows:
    rows = []
    for o in options:
        for r in o.evaluation.arrangements:
            a = r.arrangement
            rows.append([
                o.number, a.task, a.method, instance.methods[a.method].label_ja, a.hub, ";".join(instance.in_order(a.participants)),
                amount(r.pooled_volume), yen(r.standalone_total), yen(r.operating_cost), yen(r.arrangement_cost),
                yen(r.payments_in), yen(r.savings),
            ])
    header = ["option", "task", "method", "method_ja", "hub", "participants", "pooled_volume", "standalone_total",
              "operating_cost", "arrangement_cost", "payments_in", "savings"]
    return header, rows


def participation_rows(instance: Instance, options: list[Option]) -> Rows:
    rows = []
    for o in options:
        for p in o.evaluation.participation:
            rows.append([o.number, p.task, p.municipality, p.method or "", p.hub or "", yen(p.standalone_cost), yen(p.payment), yen(p.saving)])
    header = ["option", "task", "municipality", "method", "hub", "standalone_cost", "payment", "saving"]
    return header, rows


def ledger_rows(instance: Instance, options: list[Option]) -> Rows:
    rows = []
    for o in options:
        for row in o.evaluation.ledger:
            rows.append([
                o.number, row.municipality, row.role, yen(row.standalone_total), yen(row.cost_under_plan), yen(row.saving),
                yen(row.net_burden), yen(row.burden_cap), yen(row.grants),
            ])
    header = ["option", "municipality", "role", "standalone_total", "cost_under_plan", "saving", "net_burden", "burden_cap", "grants"]
    return header, rows


def tradeoff_rows(points: list[tuple]) -> Rows:
    rows = [[yen(cap), yen(savings), arrangements, towns, status] for cap, savings, arrangements, towns, status in points]
    return ["burden_cap", "total_savings", "arrangements", "towns_joining", "status"], rows


def infeasibility_rows(reasons: list[tuple[str, str]]) -> Rows:
    return ["rule", "explanation"], [[rule, text] for rule, text in reasons]


def tradeoff_table(points: list[tuple]) -> bytes:
    return to_csv(*tradeoff_rows(points))


def infeasibility_table(reasons: list[tuple[str, str]]) -> bytes:
    return to_csv(*infeasibility_rows(reasons))


def plan_tables(instance: Instance, options: list[Option]) -> dict[str, Rows]:
    return {
        "summary.csv": summary_rows(instance, options),
        "arrangements.csv": arrangements_rows(instance, options),
        "participation.csv": participation_rows(instance, options),
        "ledger.csv": ledger_rows(instance, options),
    }


def plan_files(instance: Instance, options: list[Option]) -> dict[str, bytes]:
    return {name: to_csv(*table) for name, table in plan_tables(instance, options).items()}


def run_json(document: dict) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


class OutputError(Exception):
    """The report folder cannot be written (exit 2)."""

    exit_code = 2


def write_folder(out: Path, files: dict[str, bytes], overwrite: bool = False) -> Path:
    """Write every file into a temporary folder, then move it into place."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not overwrite:
        raise OutputError(Message("cli.output_exists", folder=str(out)))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    except OSError as error:
        raise OutputError(Message("write.cannot_create", folder=str(out), reason=error.strerror)) from None
    try:
        for name, data in files.items():
            (staging / name).write_bytes(data)
        if out.exists():
            shutil.rmtree(out)
        os.replace(staging, out)
    except BaseException as error:
        if isinstance(error, KeyboardInterrupt) and not staging.exists():
            shutil.rmtree(out, ignore_errors=True)  # Ctrl-C just after the move: no folder either
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, OSError):
            raise OutputError(Message("write.cannot_write", folder=str(out), reason=error.strerror)) from None
        raise
    return out
