"""One run of `allocate`: what-ifs → plans (options or a sweep) → status quo → reports → terminal."""

from __future__ import annotations

import platform
import shutil
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from kouiki import interrupts
from kouiki.columns import fits
from kouiki.deadline import Deadline
from kouiki.errors import InfeasibleError, UsageError
from kouiki.instance import Instance
from kouiki.request import RunRequest
from kouiki.scenario import Scenario

__version__ = "0.1.0"


def check_summary(instance: Instance, lang: str = "ja") -> str:
    """What --check prints: the instance in numbers, and what the rules already exclude."""
    from kouiki.columns import fits
    from kouiki.load import builtin_labels
    from kouiki.messages import text
    from kouiki.model.legal import legal_choices

    munis = instance.municipalities
    hubs = instance.hubs()
    none = text("check.none", lang)
    join = text("join", lang)
    lines = [text("check.valid", lang, name=instance.name, path=instance.path)]
    for file, encoding in sorted(instance.files.items()):
        lines.append(text("check.file", lang, file=file, encoding=encoding))
    roles: dict[str, int] = {}
    for m in munis.values():
        roles[m.role] = roles.get(m.role, 0) + 1
    lines.append(text("check.parties", lang, count=len(munis),
                      roles=join.join(text("check.role_count", lang, role=text(f"role.{r}", lang), count=n) for r, n in roles.items())))
    lines.append(text("check.hubs", lang, hubs=join.join(hubs) or none))
    lines.append(text("check.core_city", lang, cities=join.join(j for j, m in munis.items() if m.core_city_powers) or none))
    lines.append(text("check.tasks", lang, tasks=len(instance.tasks), rows=len(instance.rows), methods=len(instance.methods),
                      current=len(instance.current)))
    names = builtin_labels("categories.csv")
    by_category: dict[str, int] = {}
    for task in instance.tasks.values():
        by_category[task.category] = by_category.get(task.category, 0) + 1
    label = (lambda c: names.get(c, (c, c))[0 if lang == "ja" else 1])
    lines.append(text("check.by_category", lang, categories=join.join(text("check.category_count", lang, category=label(c), count=n)
                                                                       for c, n in by_category.items())))
    candidates, excluded = legal_choices(instance, Scenario())
    lines.append(text("check.candidates", lang, candidates=len(candidates), excluded=len(excluded)))
    return fits("\n".join(lines))


def default_out(instance: Instance) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    base = Path("results") / f"{instance.name}-{stamp}"
    folder, n = base, 1
    while folder.exists():
        n += 1
        folder = base.with_name(f"{base.name}-{n}")
    return folder


def status_quo(instance: Instance, scenario: Scenario):
    """Option 0: the arrangements in force, evaluated by the same code."""
    from kouiki.model.evaluate import Arrangement, evaluate

    plan = [Arrangement.of(c.task, c.method, c.hub, c.participants) for c in instance.current]
    return evaluate(instance, scenario, plan)


def versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version(), "kouiki": __version__}
    for package in ("pyomo", "highspy", "click"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = None
    return found


def run_document(instance: Instance, scenario: Scenario, options: dict, said: list[str], what_ifs: list, **extra) -> dict:
    document = {
        "kouiki": __version__,
        "instance": {"name": instance.name, "path": instance.path, "sha256": instance.checksum, "files": dict(sorted(instance.files.items()))},
        "what_ifs": [{"what_if": w.kind, "argument": w.argument, "source": w.source} for w in what_ifs],
        "what_ifs_in_words": said,
        "scenario": scenario.as_dict(),
        "options": options,
        "versions": versions(),
    }
    document.update(extra)
    return document


def changes(plan, reference, instance: Instance | None = None) -> str:
    """What a plan adds (+) and drops (−) against another, as (task, method, hub) choices (ids: the CSV contract)."""
    mine = {(a.task, a.method, a.hub) for a in plan}
    theirs = {(a.task, a.method, a.hub) for a in reference}
    order = (lambda k: (instance.task_rank(k[0]), instance.municipality_rank(k[2]), k[1])) if instance is not None else None
    added = [f"add {t}:{m}@{h}" for t, m, h in sorted(mine - theirs, key=order)]
    dropped = [f"drop {t}:{m}@{h}" for t, m, h in sorted(theirs - mine, key=order)]
    return "; ".join(added + dropped)


ADAPTIVE = 0  # the N of a sweep written without one
ADAPTIVE_POINTS = 7


def parse_sweep(text: str) -> tuple[float, float, int]:
    """burden-cap=LO:HI:N, amounts as the room says them (0:2億:5)."""
    from kouiki.messages import Message
    from kouiki.numbers import parse_yen

    name, _, rng = text.partition("=")
    if name.strip() != "burden-cap":
        raise UsageError(Message("whatif.sweep_only_cap", value=text))
    try:
        parts = rng.split(":")
        if len(parts) == 2:  # no N: the points go where the plan changes (run_sweep)
            parts.append(str(ADAPTIVE))
        low, high, count = parts
        low, high, count = parse_yen(low), parse_yen(high), int(count)
    except ValueError:
        raise UsageError(Message("whatif.sweep_form", value=text)) from None
    if (count < 1 and count != ADAPTIVE) or (count != 1 and high < low):
        raise UsageError(Message("whatif.sweep_range", value=text))
    return low, high, count


@dataclass(frozen=True)
class WorkbookSource:
    """What report.xlsx is built from (the report tables, the what-ifs in words), so it can be built later.

    The workshop screen builds the workbook only when a report is downloaded;
    `allocate --xlsx` builds it at once. Plain data: it crosses processes.
    """

    overview: dict  # instance name, path, sha256, the what-ifs in words
    tables: dict  # report file name -> (header, rows), as for the CSVs
    lang: str
    method_names: dict  # method id -> its name in `lang`

    def build(self) -> bytes:
        from kouiki.reports.xlsx import workbook

        return workbook(self.tables, self.lang, self.method_names, self.overview)


def workbook_source(instance: Instance, tables: dict, lang: str, said: list[str] | None) -> WorkbookSource:
    from kouiki.reports.terminal import method_name

    overview = {"name": instance.name, "path": instance.path, "sha256": instance.checksum, "what_ifs": said or []}
    return WorkbookSource(overview, tables, lang, {m: method_name(instance, m, lang) for m in instance.methods})


def report_files(source: WorkbookSource, xlsx: bool = False) -> dict[str, bytes]:
    """The CSVs of `source`'s tables, and report.xlsx built from the same rows when --xlsx asks for it."""
    from kouiki.reports.write import to_csv

    files = {name: to_csv(*table) for name, table in source.tables.items()}
    if xlsx:
        files["report.xlsx"] = source.build()
    return files


@dataclass
class RunResult:
    """What one run computed, before anything is written: the report files and what they say.

    `status` is "solved", "infeasible" (then `reasons` holds the conflict in
    words) or "sweep". The workshop screen and scenario batteries call
    `compute` and keep these in memory; the command line writes `files`.
    """

    status: str
    files: dict[str, bytes]
    instance: Instance  # after the what-ifs (a merger changes the parties)
    scenario: Scenario
    said: list[str]  # the what-ifs in words
    options: list = field(default_factory=list)  # reports.write.Option, option 0 the status quo if any
    outcomes: list = field(default_factory=list)  # pipeline.Outcome of options 1…K
    reasons: list[tuple[str, str]] = field(default_factory=list)
    workbook: WorkbookSource | None = None  # report.xlsx to build later (when `files` has none)
    points: list = field(default_factory=list)  # a sweep's points


def run(instance: Instance, request: RunRequest, folder: Path, say=None, deadline: Deadline | None = None,
        by_parts=None) -> Path:
    """compute(), then write the report folder whole (an infeasible run writes its explanation and raises).

    A Ctrl-C or SIGTERM that some library swallowed on the way still leaves no folder.
    """
    from kouiki.reports.write import write_folder

    result = compute(instance, request, say, deadline, by_parts=by_parts)
    interrupts.check()
    written = write_folder(folder, result.files, request.overwrite)
    if interrupts.received():
        shutil.rmtree(written, ignore_errors=True)
        raise KeyboardInterrupt
    if result.status == "infeasible":
        raise InfeasibleError(result.reasons, {"folder": str(written)})
    return written


REPORT_SECONDS = 0.3  # kept back from the solve for status quo, reports and run.json …
REPORT_SECONDS_PER_ROW = 8e-5  # … and per task row and option (national, 160,824 rows: about 13 s, measured: the
# whole plan evaluated, the status quo, the CSVs and run.json took 10–13 s after the solves on 2 cores)


def solve_deadline(instance: Instance, request: RunRequest, deadline: Deadline) -> Deadline:
    """The part of the run's budget the solves may use: what is left, less the time the reports need."""
    left = deadline.remaining()
    if left is None:
        return deadline.child()
    reserve = REPORT_SECONDS + REPORT_SECONDS_PER_ROW * len(instance.rows) * request.n_options
    return deadline.child(seconds=max(left - reserve, 0.5 * left))


def compute(instance: Instance, request: RunRequest, say=None, deadline: Deadline | None = None,
            by_parts=None) -> RunResult:
    """Every report file of one run, in memory; `deadline` is the run's one time budget (from `request` if None).

    `by_parts`: what solves the independent groups (default optimise_by_parts; kouiki/parts.py on Dask workers).
    """
    from kouiki import whatif
    from kouiki.alternatives import changes_in_words
    from kouiki.errors import NoPlanInTimeError
    from kouiki.explain import explain_with_what_ifs
    from kouiki.fairness import Fairness, fairness_text, ledger_with_shares
    from kouiki.pipeline import NoMoreOptions, Planner, optimise_by_parts
    from kouiki.reports import terminal
    from kouiki.reports.write import Option, infeasibility_rows, plan_tables, run_json

    from kouiki.messages import Message, render, rule, text

    say = say or (lambda *a, **k: None)
    deadline = deadline or Deadline(request.time_limit)
    what_ifs, base, lang, xlsx = list(request.what_ifs), request.scenario(), request.lang, request.xlsx
    options, n_options, min_difference, slack = request.options(), request.n_options, request.min_difference, request.slack
    ranked, why_not, plots = request.ranked, request.why_not, request.plots
    fairness = Fairness(request.fair_share, request.fair_saving)
    steps = [0]

    def progress(_engine_words: str) -> None:
        """Elapsed time and the step on long runs only; --quiet silences it with everything else.

        The engine's own line carries the model's objective, which the exact
        evaluation may then contradict: the room sees only that work goes on.
        """
        steps[0] += 1
        if deadline.elapsed() > 1.0:
            say(text("progress.working", lang, seconds=f"{deadline.elapsed():6.1f}", step=steps[0]))

    solved, scenario, said_messages = whatif.apply(instance, base, what_ifs)
    said = [render(m, lang) for m in said_messages]
    for line in said:
        say(text("term.what_if", lang, text=line))
    solving = solve_deadline(solved, request, deadline)
    settings = request.solver_settings()
    if request.sweep and why_not:
        raise UsageError(Message("cli.why_not_sweep"))
    if request.sweep:
        return run_sweep(solved, scenario, request, say, said, solving)
    try:
        if n_options == 1 and not why_not:
            # one plan: independent groups of municipalities may be solved apart
            planner = None
            first = (by_parts or optimise_by_parts)(solved, scenario, settings, explain=not what_ifs,
                                                    progress=progress, deadline=solving)
        else:
            planner = Planner(solved, scenario, settings, explain=not what_ifs, progress=progress, deadline=solving)
            first = planner.next()
    except InfeasibleError as error:
        if what_ifs:
            # minimal among the user's what-ifs, even when a forced choice was refused outright
            error.reasons = explain_with_what_ifs(instance, base, what_ifs, request.solver_settings(solving.remaining()),
                                                  deadline=solving)
        reasons = [(r, render(t, lang)) for r, t in error.reasons]
        document = run_document(solved, scenario, options, said, what_ifs, status="infeasible",
                                conflict=[{"rule": r, "explanation": t} for r, t in reasons],
                                timings={"total": round(deadline.elapsed(), 4)})
        tables = {"infeasibility.csv": infeasibility_rows(reasons)}
        source = workbook_source(solved, tables, lang, said)
        files = report_files(source, xlsx)
        files["run.json"] = run_json(document)
        return RunResult("infeasible", files, solved, scenario, said, reasons=list(error.reasons),
                         workbook=source)
    outcomes = [first]
    if request.verify:
        from kouiki.pipeline import verify

        say(render(verify(solved, scenario, request.solver_settings(solving.remaining()), first, deadline=solving), lang))
    notes, warnings = [], []
    reasons_why_not = None
    if why_not:
        from kouiki.why_not import why_not_rows

        reasons_why_not = why_not_rows(planner, first, lang)  # before any option row narrows the model
    if not ranked and n_options > 1 and solving.expired():
        warnings.append(Message("term.options_cut_short", found=1, asked=n_options, next=2))
    elif not ranked and n_options > 1:
        from kouiki.alternatives import DEFAULT_SLACK, distinct_options, say as alternatives_say

        slack = DEFAULT_SLACK if slack is None else slack
        say(alternatives_say("slack", lang, floor=1 - slack, slack=slack))
        outcomes, notes = distinct_options(planner, first, n_options, min_difference, slack, lang)
    elif slack is not None and n_options > 1:
        planner.at_least((1 - slack) * first.evaluation.total_savings)
    while ranked and len(outcomes) < n_options:
        # options found before the time ran out are kept and reported (exit 0)
        if solving.expired():
            warnings.append(Message("term.options_cut_short", found=len(outcomes), asked=n_options, next=len(outcomes) + 1))
            break
        planner.differ_from(outcomes[-1].evaluation.plan, min_difference)
        try:
            outcomes.append(planner.next())
        except NoMoreOptions:
            if slack is not None:
                notes.append(Message("term.only_options_slack", count=len(outcomes), min_difference=min_difference, slack=f"{slack:.1%}"))
            else:
                notes.append(Message("term.only_options", count=len(outcomes), min_difference=min_difference))
            break
        except NoPlanInTimeError:
            warnings.append(Message("term.options_cut_short", found=len(outcomes), asked=n_options, next=len(outcomes) + 1))
            break

    # A merger changes the parties: savings alone then mislead, so the regional cost goes beside them.
    merged = any(w.kind == "merge" for w in what_ifs)
    if merged:
        alone = (lambda inst: sum(inst.standalone(t, j) for t, j in inst.rows))
        say(fits(text("term.standalone_merger", lang, before=terminal.money(alone(instance), lang), after=terminal.money(alone(solved), lang))))
    reported = []
    current = None
    if solved.current:
        current = status_quo(solved, scenario)
        reported.append(Option(0, current, "status_quo", None, None))
        say(terminal.plan_text(solved, current, terminal.option_title(0, lang), lang))
        if merged:
            say(text("term.regional_cost", lang, money=terminal.money(terminal.regional_cost(current), lang)))
        for rule_id, reason in current.violations:
            say(fits(text("term.status_quo_breaks", lang, rule=rule(rule_id, lang), text=render(reason, lang))))
        say("")
    best = first.evaluation.total_savings
    first_proven = not first.warnings
    for number, outcome in enumerate(outcomes, start=1):
        ev = outcome.evaluation
        status = "alternative" if outcome.facts.status == "alternative" else ("optimal" if not outcome.warnings else "time_limit")
        option = Option(number, ev, status, outcome.gap, outcome.timings.get("this_plan"),
                        share_of_best=ev.total_savings / best if best else 1.0,
                        changes_vs_best=changes(ev.plan, first.evaluation.plan, solved) if number > 1 else "",
                        changes_vs_status_quo=changes(ev.plan, current.plan, solved) if current is not None else "",
                        words_vs_best=changes_in_words(solved, ev.plan, first.evaluation.plan, lang) if number > 1 else "",
                        words_vs_status_quo=changes_in_words(solved, ev.plan, current.plan, lang) if current is not None else "")
        reported.append(option)
        if number > 1:
            continue  # later options go side by side in one table below
        title = terminal.option_title(number, lang, status, outcome.gap, option.share_of_best,
                                      best_proven=first_proven, within=distance_from_best(first, ev))
        say(terminal.plan_text(solved, ev, title, lang))
        if merged:
            say(text("term.regional_cost", lang, money=terminal.money(terminal.regional_cost(ev), lang)))
        if current is not None:
            change = terminal.money(ev.total_savings - current.total_savings, lang, sign=True)
            if merged:
                cost_change = terminal.money(terminal.regional_cost(ev) - terminal.regional_cost(current), lang, sign=True)
                say(fits(text("term.against_status_quo_cost", lang, change=change, cost_change=cost_change)))
            else:
                say(text("term.against_status_quo", lang, change=change))
        for line in fairness_text(solved, ev, fairness, lang):
            say(fits(line))
        say("")
    if len(outcomes) > 1:
        say(terminal.options_text(solved, reported, lang))
        say("")
    for o in reported:
        if o.number >= 1 and o.status == "time_limit":
            say(fits(text("term.warning", lang, text=text("engine.no_bound", lang) if o.gap is None
                                                    else text("engine.within", lang, gap=terminal.percent(o.gap)))))
    for note in notes:
        say(fits(text("term.note", lang, text=render(note, lang))))
    notes = [render(note, lang) for note in notes]
    for warning in warnings:
        say(fits(text("term.warning", lang, text=render(warning, lang))))
    for line in terminal.refusals(solved, first.exclusions, lang):
        say(line)
    if reasons_why_not is not None:
        from kouiki.why_not import why_not_table, why_not_text

        for line in why_not_text(reasons_why_not, lang):
            say(line)
    tables = plan_tables(solved, reported)
    tables["ledger.csv"] = ledger_with_shares(tables["ledger.csv"], reported)
    if reasons_why_not is not None:
        tables["why_not.csv"] = why_not_table(reasons_why_not)
    source = workbook_source(solved, tables, lang, said)
    files = report_files(source, xlsx)
    if plots:
        from kouiki.reports.plots import plan_pngs

        files.update(plan_pngs(solved, reported, lang))
    document = run_document(
        solved, scenario, options, said, what_ifs,
        status=reported[-1].status if len(outcomes) == 1 else "options",
        solver={"name": "HiGHS", "via": "highspy (in memory; the model of kouiki/model/matrix.py)",
                "status": first.facts.status, "objective_yen": first.facts.objective, "bound_yen": first.bound,
                "gap": first.gap, "solves": planner.rounds if planner else first.rounds},
        options_found=len(outcomes),
        notes=notes,
        timings={k: round(v, 4) for k, v in (planner.timings if planner else first.timings).items()},
        warnings=[render(w, lang) for o in outcomes for w in o.warnings] + [render(w, lang) for w in warnings],
        excluded=[{"rule": e.rule, "task": e.task, "method": e.method, "hub": e.hub, "member": e.member, "reason": render(e.reason, lang)}
                  for e in first.exclusions],
    )
    files["run.json"] = run_json(document)
    return RunResult("solved", files, solved, scenario, said, options=reported, outcomes=outcomes,
                     workbook=source)


def distance_from_best(first, evaluation) -> float | None:
    """How far below the best possible savings a plan may be, as a share of option 1's bound (None: unknown)."""
    if first.bound is None:
        return None
    return max(first.bound - evaluation.total_savings, 0.0) / max(abs(first.bound), 1.0)


def run_sweep(instance, scenario, request: RunRequest, say, said, deadline: Deadline):
    """Solve for N burden caps from LO to HI and write tradeoff.csv (the whiteboard curve).

    Each cap gets an equal share of what is left; when the time is up, the points finished are reported.
    """
    from kouiki.errors import NoPlanInTimeError
    from kouiki.pipeline import optimise
    from kouiki.reports import terminal
    from kouiki.messages import Message, Yen, render, text
    from kouiki.reports.write import run_json, tradeoff_rows

    low, high, count = parse_sweep(request.sweep)
    lang, xlsx, plots = request.lang, request.xlsx, request.plots
    settings = request.solver_settings()
    warnings: list[str] = []
    planned = ADAPTIVE_POINTS if count == ADAPTIVE else count

    done = []

    def point(cap: float) -> tuple | None:
        if deadline.expired():
            if not warnings:
                warnings.append(Message("term.sweep_cut_short", done=len(done), planned=planned, cap=Yen(cap)))
            return None  # a point not computed is not reported
        done.append(cap)
        trial = replace(scenario, burden_cap=cap)
        share = deadline.child(share=1 / max(planned - len(warnings), 1))
        try:
            outcome = optimise(instance, trial, settings, explain=False, deadline=share)
        except InfeasibleError:
            return (cap, None, 0, 0, "infeasible")
        except NoPlanInTimeError:
            return (cap, None, 0, 0, "time_limit_no_plan")
        ev = outcome.evaluation
        towns = {j for a in ev.plan for j in a.members if instance.municipalities[j].role == "town"}
        return (cap, ev.total_savings, len(ev.plan), len(towns), "optimal" if not outcome.warnings else "time_limit")

    if count == ADAPTIVE:
        points = adaptive_points(point, low, high, ADAPTIVE_POINTS)
    else:
        caps = [low] if count == 1 else [low + (high - low) * i / (count - 1) for i in range(count)]
        points = [p for p in (point(cap) for cap in caps) if p is not None]
    say(terminal.tradeoff_text(points, lang))
    for warning in warnings:
        say(fits(text("term.warning", lang, text=render(warning, lang))))
    files = report_files(workbook_source(instance, {"tradeoff.csv": tradeoff_rows(points)}, lang, said), xlsx)
    if plots:
        from kouiki.reports.plots import tradeoff_png

        files["tradeoff.png"] = tradeoff_png(points, request.lang)
    document = run_document(instance, scenario, request.options(), said, list(request.what_ifs), status="sweep",
                            sweep=request.sweep, warnings=[render(w, lang) for w in warnings],
                            points=[{"burden_cap": c, "total_savings": s, "arrangements": a, "towns_joining": t, "status": st}
                                    for c, s, a, t, st in points])
    files["run.json"] = run_json(document)
    return RunResult("sweep", files, instance, scenario, said, points=points)


def adaptive_points(point, low: float, high: float, most: int) -> list[tuple]:
    """Caps where the plan changes: both ends, then the midpoint of the widest interval whose ends differ.

    Round yen caps; the same caps for the same instance, so the sweep stays deterministic.
    """
    found = {cap: p for cap in (low, high) if (p := point(cap)) is not None}
    if len(found) < 2:  # the time ran out: what was computed
        return list(found.values())

    def differ(a, b) -> bool:
        return (found[a][1] is None) != (found[b][1] is None) or (found[a][1] is not None and abs(found[a][1] - found[b][1]) >= 1.0)

    while len(found) < most:
        caps = sorted(found)
        changing = [(b - a, a, b) for a, b in zip(caps, caps[1:]) if differ(a, b) and b - a >= 2]
        if not changing:
            break
        _, a, b = max(changing)
        middle = float(round((a + b) / 2))
        computed = point(middle)
        if computed is None:
            break
        found[middle] = computed
    return [found[cap] for cap in sorted(found)]


def write_model(instance: Instance, what_ifs: list, base: Scenario, path: Path) -> str:
    """The exact model as HiGHS holds it before the solve (the initial pooled-cost cuts), in MPS or LP."""
    from kouiki import whatif
    from kouiki.model.legal import legal_choices
    from kouiki.model.matrix import exact_model
    from kouiki.solvers.highs import Session, SolverSettings

    solved, scenario, _ = whatif.apply(instance, base, what_ifs)
    candidates, _ = legal_choices(solved, scenario)
    if not candidates:
        from kouiki.messages import Message

        raise UsageError(Message("engine.no_candidates"))
    exact = exact_model(solved, scenario, candidates)
    status = Session(exact, SolverSettings()).write(str(path))
    if status not in ("HighsStatus.kOk", "HighsStatus.kWarning"):
        from kouiki.messages import Message

        raise UsageError(Message("engine.highs_write_failed", path=str(path), status=str(status)))
    from kouiki.messages import Message

    return Message("engine.wrote_model", path=str(path), count=len(candidates), variables=len(exact.matrix.names),
                   constraints=len(exact.matrix.rows))
