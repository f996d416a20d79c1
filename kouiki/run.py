"""One run of `allocate`: scenario → optimise → status quo → reports → terminal."""

from __future__ import annotations

import platform
import time
from datetime import datetime
from pathlib import Path

from kouiki.errors import InfeasibleError, UsageError
from kouiki.instance import Instance
from kouiki.load import names_for
from kouiki.scenario import Scenario

__version__ = "0.1.0"


def check_summary(instance: Instance) -> str:
    """What --check prints: the instance in numbers, and what the rules already exclude."""
    from kouiki.model.legal import legal_choices

    munis = instance.municipalities
    hubs = instance.hubs()
    lines = [f"Instance {instance.name} ({instance.path}) is valid."]
    for file, encoding in sorted(instance.files.items()):
        lines.append(f"  {file}: {encoding}")
    roles = {}
    for m in munis.values():
        roles[m.role] = roles.get(m.role, 0) + 1
    lines.append(f"  {len(munis)} parties ({', '.join(f'{n} {r}' for r, n in sorted(roles.items()))}); hubs: {', '.join(hubs) or 'none'}")
    lines.append(f"  core-city powers: {', '.join(j for j, m in munis.items() if m.core_city_powers) or 'none'}")
    lines.append(f"  {len(instance.tasks)} tasks, {len(instance.rows)} task rows, {len(instance.methods)} methods, {len(instance.current)} arrangements in force")
    candidates, excluded = legal_choices(instance, Scenario())
    lines.append(f"  {len(candidates)} legally possible (task, method, hub) arrangements; {len(excluded)} choices excluded by L2–L9")
    return "\n".join(lines)


def make_scenario(instance: Instance, burden_cap, min_town_saving, max_arrangements, fee_ratio, objective) -> Scenario:
    names = names_for(instance)
    ratios = {}
    for method, ratio in fee_ratio.items():
        found = names["method"].get(method)
        if found is None:
            raise UsageError(f"--fee-ratio: {names['method'].unknown(method)}")
        ratios[found] = ratio
    return Scenario(
        burden_cap=burden_cap,
        min_town_saving=min_town_saving or 0.0,
        max_arrangements=max_arrangements,
        fee_ratio=ratios,
        objective=objective,
    )


def make_settings(time_limit, gap, threads, seed):
    from kouiki.solvers.highs import SolverSettings

    return SolverSettings(time_limit=time_limit, gap=gap, threads=threads, seed=seed)


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


def run_document(instance: Instance, scenario: Scenario, options: dict, **extra) -> dict:
    document = {
        "kouiki": __version__,
        "instance": {"name": instance.name, "path": instance.path, "sha256": instance.checksum, "files": dict(sorted(instance.files.items()))},
        "what_ifs": scenario.as_dict(),
        "options": options,
        "versions": versions(),
    }
    document.update(extra)
    return document


def run(instance: Instance, scenario: Scenario, settings, curve_tolerance: float, folder: Path, overwrite: bool, say, options: dict) -> Path:
    from kouiki.pipeline import optimise
    from kouiki.reports import terminal
    from kouiki.reports.write import Option, infeasibility_table, plan_files, run_json, write_folder

    started = time.perf_counter()
    try:
        outcome = optimise(instance, scenario, settings, curve_tolerance)
    except InfeasibleError as error:
        document = run_document(instance, scenario, options, status="infeasible",
                                conflict=[{"rule": r, "explanation": t} for r, t in error.reasons],
                                timings={"total": time.perf_counter() - started})
        write_folder(folder, {"infeasibility.csv": infeasibility_table(error.reasons), "run.json": run_json(document)}, overwrite)
        error.facts["folder"] = str(folder)
        raise
    options_list = []
    if instance.current:
        current = status_quo(instance, scenario)
        options_list.append(Option(0, current, "status_quo", None, None))
        say(terminal.plan_text(instance, current, "Option 0 — the arrangements in force today (status quo)"))
        for rule, text in current.violations:
            say(f"  note: the status quo breaks {rule}: {text}")
        say("")
    ev = outcome.evaluation
    status = "optimal" if outcome.facts.status == "optimal" else "time_limit"
    options_list.append(Option(1, ev, status, outcome.gap, outcome.timings.get("total")))
    say(terminal.plan_text(instance, ev, f"Option 1 — the best plan ({status}, gap {outcome.gap:.2g})"))
    if instance.current:
        change = ev.total_savings - options_list[0].evaluation.total_savings
        say(f"Change against the status quo: {change / 1e4:+,.0f}万円 a year")
    for warning in outcome.warnings:
        say(f"warning: {warning}")
    files = plan_files(instance, options_list)
    document = run_document(
        instance, scenario, options,
        status=status,
        solver={"name": "HiGHS", "via": "pyomo.contrib.solver highs (persistent, in memory)", "status": outcome.facts.status,
                "objective_yen": outcome.facts.objective, "bound_yen": outcome.bound, "gap": outcome.gap, "solves": outcome.rounds},
        timings={k: round(v, 4) for k, v in outcome.timings.items()},
        warnings=outcome.warnings,
        excluded=[{"rule": e.rule, "task": e.task, "method": e.method, "hub": e.hub, "member": e.member, "reason": e.reason}
                  for e in outcome.exclusions],
    )
    files["run.json"] = run_json(document)
    return write_folder(folder, files, overwrite)
