"""Scenario batteries: many named what-if scenarios of one instance, solved in parallel, compared in one report.

A battery is a CSV (`scenario,what_if,argument`; several rows make one
scenario, a row with only a name is the plain run) or a folder of --whatif
files (one scenario per file, named by the file). Every what-if of every
scenario is checked against the instance before anything is solved.

Each scenario is one `kouiki.run.compute` call on a Dask worker
(kouiki/parallel.py); its report files come back to this process, which writes
them whole into `<battery folder>/<scenario>-<hash of its inputs>/`, the same
files `allocate PATH <what-ifs> --out DIR` writes. A rerun skips the
subfolders already there, so an interrupted battery resumes where it stopped.
The comparison is read back from those files, so a resumed scenario and a
freshly solved one give the same row, whatever the number of workers.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import signal
import socket
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from difflib import get_close_matches
from pathlib import Path

from kouiki.errors import InputError, NoPlanInTimeError, PlanCheckError, Problem, UsageError
from kouiki.instance import Instance
from kouiki.messages import Message, text
from kouiki.whatif import KINDS, WhatIf, read_file

ALONE = "単独"  # comparison_participation.csv: the municipality does the task alone


def word(key: str, lang: str = "ja", **values) -> str:
    """The catalogue's sentence battery.KEY (kouiki/messages.py) in `lang`."""
    return text("battery." + key, lang, **values)


@dataclass(frozen=True)
class NamedScenario:
    """One scenario of a battery: its name and what-ifs, in the order the user wrote them."""

    name: str
    what_ifs: tuple[WhatIf, ...]
    file: str  # where it was written, for messages
    rows: tuple[int | None, ...] = ()  # the spreadsheet row of each what-if (None: a whole file)


# ---------------------------------------------------------------- reading and checking

_UNSAFE = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f]')


def _name_problem(name: str, lang: str) -> str | None:
    if not name:
        return word("no_name", lang)
    if _UNSAFE.search(name) or name.startswith(".") or len(name) > 100 or name != name.strip():
        return word("bad_name", lang, name=name)
    return None


def read_scenarios(path: str, lang: str = "ja") -> list[NamedScenario]:
    """The scenarios of a battery file or folder, in input order; every bad row reported at once."""
    source = Path(path)
    if source.is_dir():
        return _scenarios_of_folder(source, lang)
    if not source.exists():
        raise InputError([Problem(source.name, None, None, word("not_found", lang, path=path))])
    return _scenarios_of_csv(source, lang)


def _scenarios_of_folder(folder: Path, lang: str) -> list[NamedScenario]:
    """One scenario per .csv what-if file, named by the file, in file-name order (a folder has no other)."""
    problems: list[Problem] = []
    found: list[NamedScenario] = []
    seen: dict[str, str] = {}
    for file in sorted(p for p in folder.iterdir() if p.suffix.lower() == ".csv" and p.is_file()):
        name = file.stem
        trouble = _name_problem(name, lang)
        if trouble:
            problems.append(Problem(file.name, None, None, trouble))
            continue
        if name.casefold() in seen:  # two folders that a case-insensitive disk would make one
            problems.append(Problem(file.name, None, None, word("duplicate", lang, name=name)))
            continue
        seen[name.casefold()] = name
        try:
            what_ifs = read_file(str(file))
        except InputError as error:
            problems.extend(error.problems)
            continue
        rows = tuple(int(w.source.rsplit(" ", 1)[1]) for w in what_ifs)
        found.append(NamedScenario(name, tuple(what_ifs), file.name, rows))
    if problems:
        raise InputError(problems)
    if not found:
        raise InputError([Problem(folder.name, None, None, word("no_scenarios", lang, file=folder.name))])
    return found


def _scenarios_of_csv(file: Path, lang: str) -> list[NamedScenario]:
    from kouiki.load import decode

    try:
        data = file.read_bytes()
    except OSError as error:
        raise InputError([Problem(file.name, None, None, f"cannot be read ({error.strerror})")]) from None
    text, _ = decode(data, file.name)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = [c.strip().lstrip("\ufeff") for c in rows[0]] if rows else []
    if header[:3] != ["scenario", "what_if", "argument"]:
        raise InputError([Problem(file.name, 1, None, word("header", lang))])
    problems: list[Problem] = []
    order: list[str] = []
    what_ifs: dict[str, list[WhatIf]] = {}
    numbers: dict[str, list[int]] = {}
    for number, row in enumerate(rows[1:], start=2):
        cells = [c.strip() for c in row] + ["", "", ""]
        if not any(cells):
            continue
        name, kind, argument = cells[0], cells[1].lstrip("-"), cells[2]
        trouble = _name_problem(name, lang)
        if trouble:
            problems.append(Problem(file.name, number, "scenario", trouble))
            continue
        if name not in what_ifs:
            order.append(name)
            what_ifs[name], numbers[name] = [], []
        if not kind and not argument:
            continue  # a name alone: the plain run, or nothing more for this scenario
        if kind not in KINDS:
            close = get_close_matches(kind, KINDS, n=2)
            hint = f"; did you mean {' or '.join(close)}?" if close else f" (valid: {', '.join(KINDS)})"
            problems.append(Problem(file.name, number, "what_if", word("unknown_kind", lang, kind=kind, hint=hint)))
            continue
        if kind != "keep-current" and not argument:
            problems.append(Problem(file.name, number, "argument", word("needs_argument", lang, kind=kind)))
            continue
        what_ifs[name].append(WhatIf(kind, argument, f"{file.name} row {number}"))
        numbers[name].append(number)
    if problems:
        raise InputError(problems)
    if not order:
        raise InputError([Problem(file.name, None, None, word("no_scenarios", lang, file=file.name))])
    return [NamedScenario(n, tuple(what_ifs[n]), file.name, tuple(numbers[n])) for n in order]


def check_scenarios(instance: Instance, scenarios: list[NamedScenario]) -> None:
    """Every what-if of every scenario against the instance, by the CLI's own code; all problems at once.

    Merges come first (later what-ifs may name the merged city), then each
    other what-if is checked on its own, so one bad row does not hide another.
    """
    from kouiki import whatif
    from kouiki.scenario import Scenario

    problems: list[Problem] = []
    for scenario in scenarios:
        located = list(zip(scenario.what_ifs, scenario.rows or [None] * len(scenario.what_ifs)))
        merges = [w for w in located if w[0].kind == "merge"]
        others = [w for w in located if w[0].kind != "merge"]
        accepted: list[WhatIf] = []
        for what, row in merges + others:
            trial = accepted + [what] if what.kind == "merge" else [w for w in accepted if w.kind == "merge"] + [what]
            try:
                whatif.apply(instance, Scenario(), trial)
            except UsageError as error:
                message = str(error)
                prefix = f"{what.label} ({what.source}): "
                message = message[len(prefix):] if message.startswith(prefix) else message
                column = "argument" if row is not None else None
                problems.append(Problem(scenario.file, row, column, f"{scenario.name}: {what.label}: {message}"))
                continue
            if what.kind == "merge":
                accepted.append(what)
    if problems:
        raise InputError(problems)


# ---------------------------------------------------------------- one scenario on a worker


@dataclass(frozen=True)
class ScenarioJob:
    """What a worker needs to solve one scenario: small and picklable (no Instance, no Pyomo)."""

    name: str
    folder: str  # subfolder of the battery folder
    instance_path: str
    checksum: str  # the worker must read the same instance
    what_ifs: tuple[WhatIf, ...]
    objective: str
    settings: object  # kouiki.solvers.highs.SolverSettings
    lang: str
    xlsx: bool
    plots: bool

    def request(self):
        """The scenario as `allocate` would be asked for it (run.json records request.options())."""
        from kouiki.request import RunRequest

        s = self.settings
        return RunRequest(path=self.instance_path, what_ifs=tuple(self.what_ifs), objective=self.objective,
                          time_limit=s.time_limit, gap=s.gap, threads=s.threads, seed=s.seed,
                          lang=self.lang, xlsx=self.xlsx, plots=self.plots)

    def digest(self) -> str:
        """A hash of everything that shapes the scenario's reports; the subfolder carries it."""
        from kouiki.run import __version__

        s = self.settings
        inputs = {"kouiki": __version__, "instance": self.checksum,
                  "what_ifs": [[w.kind, w.argument] for w in self.what_ifs], "objective": self.objective,
                  "solver": [s.time_limit, s.gap, s.threads, s.seed],
                  "lang": self.lang, "xlsx": self.xlsx, "plots": self.plots}
        return hashlib.sha256(json.dumps(inputs, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


@dataclass
class ScenarioDone:
    """What comes back from a worker: the report files (nothing written yet) and the outcome."""

    name: str
    status: str  # solved / infeasible / time_limit_no_plan / internal_error / unreadable_on_worker
    files: dict[str, bytes]
    message: str = ""
    seconds: float = 0.0


_loaded: dict[str, Instance] = {}  # per worker process: each instance is read once


def instance_for(job: ScenarioJob) -> Instance:
    from kouiki.load import load

    instance = _loaded.get(job.instance_path)
    if instance is None or instance.checksum != job.checksum:
        instance = _loaded[job.instance_path] = load(job.instance_path)
    if instance.checksum != job.checksum:
        raise InputError([Problem(job.instance_path, None, None, f"this worker reads other files (checksum {instance.checksum[:12]}, "
                                                                 f"expected {job.checksum[:12]})")])
    return instance


def solve_scenario(job: ScenarioJob) -> ScenarioDone:
    """One scenario, as `allocate PATH <what-ifs>` would solve it; runs on a Dask worker."""
    from kouiki.messages import render
    from kouiki.run import compute

    started = time.perf_counter()
    try:
        instance = instance_for(job)
        result = compute(instance, job.request())  # its Deadline is made here, on the worker
    except InputError as error:  # a worker elsewhere that does not see the instance at this path
        return ScenarioDone(job.name, "unreadable_on_worker", {}, f"{socket.gethostname()}: {error}", time.perf_counter() - started)
    except NoPlanInTimeError as error:
        return ScenarioDone(job.name, "time_limit_no_plan", {}, render(error.args[0] if error.args else "", job.lang),
                            time.perf_counter() - started)
    except PlanCheckError as error:
        return ScenarioDone(job.name, "internal_error", {}, render(error.args[0] if error.args else "", job.lang),
                            time.perf_counter() - started)
    return ScenarioDone(job.name, result.status, result.files, "", time.perf_counter() - started)


# ---------------------------------------------------------------- the comparison, read from the report files


def _table(data: bytes | None) -> list[dict[str, str]]:
    """A report CSV's rows as dicts, with the formula guard's apostrophe taken off again."""
    if not data:
        return []
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    for row in rows:
        for key, cell in row.items():
            if cell[:2] in ("'=", "'+", "'-", "'@"):
                row[key] = cell[1:]
    return rows


@dataclass
class ScenarioFacts:
    """The comparison's view of one scenario, read from its report files."""

    name: str
    status: str
    what_ifs: str
    summary: dict[str, str] = field(default_factory=dict)  # option 1's summary.csv row
    total_regional_cost: int | None = None
    towns_sharing: int | None = None
    participation: dict[tuple[str, str], str] = field(default_factory=dict)
    explanation: str = ""
    seconds: float | None = None
    folder: str = ""


def facts_of(name: str, what_ifs: tuple[WhatIf, ...], status: str, files: dict[str, bytes], message: str = "") -> ScenarioFacts:
    words = "; ".join(f"{w.kind} {w.argument}".rstrip() for w in what_ifs)
    facts = ScenarioFacts(name, status, words, explanation=message)
    if "infeasibility.csv" in files:
        facts.status = "infeasible"
        facts.explanation = "; ".join(f"[{r['rule']}] {r['explanation']}" for r in _table(files["infeasibility.csv"]))
    if "summary.csv" not in files:
        if "run.json" in files:  # an infeasible run times itself there only
            facts.seconds = json.loads(files["run.json"]).get("timings", {}).get("total")
        return facts
    summary = next(r for r in _table(files["summary.csv"]) if r["option"] == "1")
    facts.summary = summary
    facts.status = summary["status"]
    facts.seconds = float(summary["seconds"]) if summary["seconds"] else None
    ledger = [r for r in _table(files.get("ledger.csv")) if r["option"] == "1"]
    facts.total_regional_cost = sum(int(r["cost_under_plan"]) for r in ledger)
    towns = {r["municipality"] for r in ledger if r["role"] == "town"}
    for r in _table(files.get("participation.csv")):
        if r["option"] == "1":
            facts.participation[(r["task"], r["municipality"])] = f"{r['method']}@{r['hub']}" if r["method"] else ALONE
    facts.towns_sharing = len({j for (_, j), cell in facts.participation.items() if cell != ALONE and j in towns})
    return facts


COMPARISON_HEADER = ["scenario", "status", "total_savings", "change_vs_status_quo", "total_regional_cost",
                     "max_net_burden", "max_net_burden_hub", "arrangements", "shared_tasks", "towns_sharing",
                     "mip_gap", "what_ifs", "explanation"]


def comparison_rows(battery: list[ScenarioFacts]) -> tuple[list[str], list[list]]:
    """One row per scenario, in input order; no timings, so the bytes never depend on the workers."""
    rows = []
    for f in battery:
        s = f.summary
        rows.append([f.name, f.status, s.get("total_savings", ""), s.get("change_vs_status_quo", ""),
                     "" if f.total_regional_cost is None else f.total_regional_cost, s.get("max_net_burden", ""),
                     s.get("max_net_burden_hub", ""), s.get("arrangements", ""), s.get("shared_tasks", ""),
                     "" if f.towns_sharing is None else f.towns_sharing, s.get("mip_gap", ""), f.what_ifs, f.explanation])
    return COMPARISON_HEADER, rows


def participation_comparison(instance: Instance, battery: list[ScenarioFacts]) -> tuple[list[str], list[list]]:
    """Task × municipality, one column per scenario: method@hub or 単独 (blank: no plan, or not a party there).

    Rows follow instance.csv; a merged city's rows follow, in the order the scenarios bring them.
    """
    keys = list(instance.rows)
    known = set(keys)
    for f in battery:
        for key in f.participation:
            if key not in known:
                known.add(key)
                keys.append(key)
    rows = [[t, j] + [f.participation.get((t, j), "") for f in battery] for t, j in keys]
    return ["task", "municipality"] + [f.name for f in battery], rows


def seconds_rows(battery: list[ScenarioFacts], solved_now: set[str]) -> tuple[list[str], list[list]]:
    """The timings kept out of comparison.csv: seconds per scenario and whether this run solved it."""
    rows = [[f.name, "" if f.seconds is None else f"{f.seconds:.3f}", "solved" if f.name in solved_now else "reused", f.folder]
            for f in battery]
    return ["scenario", "seconds", "this_run", "folder"], rows


# ---------------------------------------------------------------- the battery


@dataclass
class BatteryResult:
    folder: Path
    facts: list[ScenarioFacts]
    solved_now: list[str]
    reused: list[str]

    def count(self, *statuses: str) -> int:
        return sum(1 for f in self.facts if f.status in statuses)


def _atomic_write(path: Path, data: bytes) -> None:
    """Replace one file whole (the comparison files of the battery folder)."""
    handle, staging = tempfile.mkstemp(prefix=f".{path.name}.partial-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(staging, path)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise


@contextmanager
def interrupts_deferred():
    """Ctrl-C waits until the block is done, then stops the run: a scenario's folder is written whole or not at all."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: caught.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


def _read_folder(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def _clear_leftovers(out: Path) -> None:
    """Staging folders a killed run left behind (a clean stop removes its own)."""
    for leftover in out.glob(".*.partial-*"):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def jobs_for(instance: Instance, scenarios: list[NamedScenario], settings, objective: str = "savings",
             lang: str = "ja", xlsx: bool = False, plots: bool = False) -> list[ScenarioJob]:
    jobs = []
    for s in scenarios:
        job = ScenarioJob(s.name, "", instance.path, instance.checksum, s.what_ifs, objective, settings,
                          lang, xlsx, plots)
        jobs.append(replace(job, folder=f"{s.name}-{job.digest()[:12]}"))
    return jobs


def run_battery(instance: Instance, scenarios: list[NamedScenario], out: Path, client, settings,
                objective: str = "savings", lang: str = "ja", xlsx: bool = False,
                plots: bool = False, quiet: bool = False, say=print) -> BatteryResult:
    """Solve every scenario not already in `out` on the client's workers, then write the comparison.

    Each finished scenario is written as soon as it arrives, whole (write_folder);
    Ctrl-C cancels the rest and keeps those.
    """
    from kouiki.parallel import run_jobs
    from kouiki.reports.write import OutputError, to_csv, write_folder

    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(Message("batch.cannot_create", folder=str(out), reason=error.strerror)) from None
    _clear_leftovers(out)
    jobs = jobs_for(instance, scenarios, settings, objective, lang, xlsx, plots)
    facts: dict[int, ScenarioFacts] = {}
    reused = []
    for number, (scenario, job) in enumerate(zip(scenarios, jobs)):
        if (out / job.folder).is_dir():
            facts[number] = facts_of(scenario.name, scenario.what_ifs, "", _read_folder(out / job.folder))
            facts[number].folder = job.folder
            reused.append(scenario.name)
    if reused:
        say(word("reused", lang, count=len(reused)))
    todo = [number for number in range(len(jobs)) if number not in facts]
    solved_now: list[str] = []
    from tqdm import tqdm

    bar = tqdm(total=len(jobs), initial=len(reused), desc=word("progress", lang), unit=word("unit", lang), disable=quiet,
               dynamic_ncols=True, leave=True)

    def finished(index: int, done: ScenarioDone) -> None:
        number = todo[index]
        job = jobs[number]
        if done.files:
            with interrupts_deferred():
                write_folder(out / job.folder, done.files)
        facts[number] = facts_of(job.name, job.what_ifs, done.status, done.files, done.message)
        facts[number].folder = job.folder if done.files else ""
        if facts[number].seconds is None:
            facts[number].seconds = done.seconds
        solved_now.append(job.name)
        bar.update(1)

    def tick(running: dict[int, float]) -> None:
        if running:
            index, seconds = max(running.items(), key=lambda item: item[1])
            bar.set_postfix_str(word("longest", lang, name=jobs[todo[index]].name, seconds=seconds))

    try:
        if todo:
            run_jobs(client, solve_scenario, [jobs[n] for n in todo], [f"scenario-{n}-{jobs[n].folder}" for n in todo],
                     finished, tick)
    finally:
        bar.close()
    battery = [facts[number] for number in range(len(jobs))]
    _atomic_write(out / "comparison.csv", to_csv(*comparison_rows(battery)))
    _atomic_write(out / "comparison_participation.csv", to_csv(*participation_comparison(instance, battery)))
    _atomic_write(out / "comparison_seconds.csv", to_csv(*seconds_rows(battery, set(solved_now))))
    if xlsx:
        from kouiki.reports.xlsx import workbook

        tables = {"比較": comparison_rows(battery), "参加": participation_comparison(instance, battery)}
        _atomic_write(out / "comparison.xlsx", workbook(tables, lang, {}))
    if plots:
        from kouiki.batch_plot import comparison_png

        _atomic_write(out / "comparison.png", comparison_png(battery, lang))
    return BatteryResult(out, battery, solved_now, reused)
