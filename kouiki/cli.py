"""`allocate`: parse the command line, call the library, print. Nothing else.

Heavy imports (Pyomo, HiGHS) happen only once a solve is needed, so that
`allocate --help` and `allocate PATH --check` answer at once.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from kouiki import interrupts
from kouiki.deadline import Deadline, OutOfTime


def optgroup(title: str):
    """A heading in --help (click has no option groups; this keeps the decorators readable)."""
    return lambda f: f

from kouiki.errors import InfeasibleError, InputError, NoPlanInTimeError, PlanCheckError, UsageError


def _fraction(ctx, param, value):
    if value is not None and not 0 <= value <= 1:
        raise click.BadParameter("must be between 0 and 1")
    return value


WHAT_IF_OPTIONS = ("merge", "exclude", "burden_cap", "force", "forbid", "forbid_method", "require",
                   "fee_ratio", "min_town_saving", "max_arrangements", "keep_current")


def what_ifs_from(params: dict) -> list:
    """The command line's what-ifs in the words the user typed (kouiki/whatif.py parses them)."""
    from kouiki.whatif import WhatIf, read_file

    found = []
    for name in WHAT_IF_OPTIONS:
        value = params[name]
        kind = name.replace("_", "-")
        if value is None or value is False or value == ():
            continue
        if value is True:
            found.append(WhatIf(kind, "", "command line"))
        elif isinstance(value, tuple):
            found.extend(WhatIf(kind, str(v), "command line") for v in value)
        else:
            if isinstance(value, float) and value.is_integer():
                value = int(value)  # 123456789.0 → "123456789", never rounded
            found.append(WhatIf(kind, str(value), "command line"))
    for path in params["whatif"]:
        found.extend(read_file(path))
    return found


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
               epilog="Other commands: `allocate template DIR` (an empty instance to fill in), "
                      "`allocate batch PATH SCENARIOS` (many scenarios in parallel, compared), "
                      "`allocate generate --help` (make a test instance).")
@click.argument("path")
@click.option("--check", is_flag=True, help="Validate the instance and print a summary; solve nothing.")
@click.option("--out", type=click.Path(file_okay=False), help="Report folder (default results/<instance>-<time>).")
@click.option("--overwrite", is_flag=True, help="Replace an existing non-empty --out folder.")
@optgroup("What-ifs (also as rows of a --whatif file)")
@click.option("--burden-cap", type=float, help="Cap on each hub's net burden (yen/yr) where municipalities.csv gives none [default: 0].")
@click.option("--force", multiple=True, metavar="TASK=METHOD[@HUB]", help="This task must be shared by this method (and hub).")
@click.option("--forbid", multiple=True, metavar="TASK=METHOD", help="This task may not use this method.")
@click.option("--forbid-method", multiple=True, metavar="METHOD", help="No arrangement may use this method.")
@click.option("--exclude", multiple=True, metavar="MUNICIPALITY", help="This municipality stays out of every arrangement.")
@click.option("--require", multiple=True, metavar="TASK:MUNICIPALITY", help="This municipality must take part in this task.")
@click.option("--fee-ratio", multiple=True, metavar="METHOD=R", help="Members pay R of their standalone cost under METHOD.")
@click.option("--min-town-saving", type=float, callback=_fraction, help="L9: each member saves at least this share of its standalone cost.")
@click.option("--max-arrangements", type=click.IntRange(min=0), help="L10: at most this many arrangements.")
@click.option("--keep-current", is_flag=True, help="The arrangements in force (current.csv) may not be dissolved.")
@click.option("--merge", multiple=True, metavar="A+B[=NEW]", help="Merger scenario: A and B become one municipality.")
@click.option("--whatif", multiple=True, type=click.Path(dir_okay=False), help="A CSV of what-ifs (columns what_if,argument).")
@optgroup("Options and sweeps")
@click.option("--options", "n_options", type=click.IntRange(min=1), default=1, show_default=True, help="Find this many plans: the best, then each as different as possible from the earlier ones.")
@click.option("--min-difference", type=click.IntRange(min=1), default=1, show_default=True, help="Each option changes at least this many (task, municipality) participation decisions against every earlier one ((task, method, hub) choices with --ranked).")
@click.option("--slack", type=float, callback=_fraction, help="Options must save at least (1 − E) of the best [default: 0.05; none with --ranked].")
@click.option("--ranked", is_flag=True, help="Options are the next-best plans in order, not the most different ones.")
@click.option("--why-not", "why_not", is_flag=True, help="Say why each willing municipality left alone in option 1 is left alone; write why_not.csv.")
@click.option("--fair-share", type=float, callback=_fraction, default=0.5, show_default=True, help="Warn when one party takes more than this share of the savings.")
@click.option("--fair-saving", type=float, callback=_fraction, default=0.01, show_default=True, help="Warn when a member saves less than this share of its standalone cost in an arrangement it joins.")
@click.option("--sweep", metavar="burden-cap=LO:HI:N", help="Solve for N caps from LO to HI; write tradeoff.csv.")
@optgroup("Solver")
@click.option("--objective", type=click.Choice(["savings", "regional"]), default="savings", show_default=True, help="'regional' counts grants from outside the region as gains.")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), help="Stop after this many seconds with the best plan found.")
@click.option("--gap", type=click.FloatRange(min=0), default=1e-6, show_default=True, help="Relative optimality gap at which the solver stops.")
@click.option("--threads", type=click.IntRange(min=1), help="Solver threads.")
@click.option("--seed", type=int, help="Solver random seed.")
@click.option("--workers", type=click.IntRange(min=1), help="Solve the instance's independent groups on this many local Dask worker processes. Needs kouiki[batch].")
@click.option("--scheduler", metavar="ADDRESS", help="Solve the independent groups on the Dask cluster at ADDRESS. Needs kouiki[batch].")
@click.option("--verify", "verify_plan", is_flag=True, help="Re-solve with the plan's choices fixed and another seed, and confirm the savings.")
@click.option("--write-model", type=click.Path(dir_okay=False), help="Write the whole model (every cap on) as an MPS file for HiGHS and stop; for benchmarks.")
@optgroup("Output")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors and the report folder.")
@click.option("--lang", type=click.Choice(["ja", "en"]), default="ja", show_default=True, help="Language of headings, method and category names in the terminal, report.xlsx and figures (CSV columns stay ids).")
@click.option("--xlsx", is_flag=True, help="Also write report.xlsx: every report table as a sheet.")
@click.option("--plots", is_flag=True, help="Also write PNG figures (participation, burden; tradeoff for --sweep). Needs kouiki[plots].")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@interrupts.handled
def allocate(path, check, out, overwrite, objective, time_limit, gap, threads, seed, workers, scheduler, verify_plan, write_model,
             quiet, lang, xlsx, plots, debug, n_options, min_difference, slack, sweep, whatif,
             ranked, why_not, fair_share, fair_saving, **what_if_params):
    """Choose shared tasks, cooperation methods (地方自治法), hubs and members for a region.

    PATH is an instance.csv (its sibling tables beside it), a folder holding
    instance.csv, an Excel workbook (.xlsx) with a sheet per table, or the
    name of a bundled instance such as `kensei`.
    Exit codes: 0 solved, 1 infeasible (explained), 2 bad input, 3 no plan
    within the time limit, 4 internal error (a plan failed its exact re-check).
    """
    say = (lambda *a, **k: None) if quiet else click.echo
    # One budget for the whole run, counted from the process's start (main), passed down to every stage.
    deadline = Deadline.since(_started.pop() if _started else time.monotonic(), time_limit)
    try:
        if plots and not check:
            from kouiki.reports.plots import PlotsUnavailable, available

            try:
                available()  # before a long solve, not after it
            except PlotsUnavailable as error:
                raise UsageError(str(error)) from None
        from kouiki.load import load

        instance = load(path, deadline=deadline)
        if check:
            from kouiki import run as runner

            click.echo(runner.check_summary(instance, lang))
            return
        what_ifs = what_ifs_from(dict(what_if_params, whatif=whatif))
        from kouiki import run as runner
        from kouiki.request import RunRequest
        from kouiki.scenario import Scenario

        if write_model:
            click.echo(runner.write_model(instance, what_ifs, Scenario(objective=objective), Path(write_model)))
            return
        folder = Path(out) if out else runner.default_out(instance)
        by_parts = None
        if workers or scheduler:  # the independent groups on Dask workers (kouiki/parts.py)
            from kouiki.parts import on_workers

            by_parts = on_workers(path, what_ifs, objective, workers, scheduler, lang)
        request = RunRequest(path=path, what_ifs=tuple(what_ifs), objective=objective, time_limit=time_limit, gap=gap,
                             threads=threads, seed=seed, verify=verify_plan,
                             n_options=n_options, min_difference=min_difference, slack=slack, sweep=sweep,
                             ranked=ranked, why_not=why_not, fair_share=fair_share, fair_saving=fair_saving,
                             lang=lang, xlsx=xlsx, plots=plots, out=out, overwrite=overwrite)
        written = runner.run(instance, request, folder, say, deadline, by_parts=by_parts)
        interrupts.check()  # a Ctrl-C some library swallowed: never exit 0 after it
        click.echo(f"Reports: {written}")
    except InputError as error:
        for problem in error.problems:
            click.secho(str(problem), fg="red", err=True)
        click.secho(f"{len(error.problems)} problem(s) in the input; nothing was written.", err=True)
        sys.exit(2)
    except UsageError as error:
        click.secho(str(error), fg="red", err=True)
        sys.exit(2)
    except InfeasibleError as error:
        click.secho("No plan satisfies every rule. These conflict (drop any one of the what-ifs named and this conflict goes away):", fg="red", err=True)
        for rule, text in error.reasons:
            click.secho(f"  [{rule}] {text}", err=True)
        if error.facts.get("folder"):
            click.echo(f"Explanation written to {error.facts['folder']}", err=True)
        sys.exit(1)
    except NoPlanInTimeError as error:
        click.secho(str(error), fg="red", err=True)
        sys.exit(3)
    except OutOfTime:
        click.secho(f"the time limit of {time_limit:g} s ran out before any plan was found; try a longer --time-limit", fg="red", err=True)
        sys.exit(3)
    except PlanCheckError as error:
        click.secho(f"Internal error, no report written: {error}", fg="red", err=True)
        if debug:
            raise
        sys.exit(4)
    except KeyboardInterrupt:  # SIGINT or SIGTERM, at any stage (kouiki/interrupts.py)
        click.secho(INTERRUPTED.get(lang, INTERRUPTED["en"]), err=True)
        sys.exit(interrupts.EXIT_CODE)
    except Exception as error:  # the boundary: no traceback for users unless asked
        if debug:
            raise
        from kouiki.reports.write import OutputError

        if isinstance(error, OutputError):
            click.secho(str(error), fg="red", err=True)
            sys.exit(2)
        click.secho(f"Internal error: {type(error).__name__}: {error} (run with --debug for details)", fg="red", err=True)
        sys.exit(4)


INTERRUPTED = {"ja": "中断しました（Ctrl-C または SIGTERM）。報告は書き出していません。",
               "en": "Interrupted (Ctrl-C or SIGTERM); no report was written."}

_started: list[float] = []  # when main() began: the run's deadline counts from there


def main(argv: list[str] | None = None):
    _started[:] = [time.monotonic()]
    from kouiki.console import tolerate

    tolerate()  # any console: what its encoding cannot show is degraded, never a crash
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "generate":
        from kouiki.generate_cli import generate

        return generate(args[1:], prog_name="allocate generate")
    if args and args[0] == "batch":
        from kouiki.batch_cli import batch

        return batch(args[1:], prog_name="allocate batch")
    if args and args[0] == "template":
        from kouiki.template import template

        return template(args[1:], prog_name="allocate template")
    if args and args[0] == "serve":
        from kouiki.serve_cli import serve

        return serve(args[1:], prog_name="allocate serve")
    return allocate(args, prog_name="allocate")


if __name__ == "__main__":  # pragma: no cover
    main()
