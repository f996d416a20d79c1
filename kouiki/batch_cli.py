"""`allocate batch PATH SCENARIOS`: a battery of named scenarios in parallel (kouiki/batch.py), one comparison."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from kouiki.errors import InputError, UsageError


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("path")
@click.argument("scenarios", type=click.Path(exists=False))
@click.option("--out", type=click.Path(file_okay=False), help="Battery folder (default results/<instance>-<scenarios>); a rerun resumes it.")
@click.option("--workers", type=click.IntRange(min=1), help="Local worker processes [default: the number of cores].")
@click.option("--scheduler", metavar="ADDRESS", help="Send the scenarios to this Dask scheduler (also $DASK_SCHEDULER_ADDRESS); its workers need kouiki installed and the instance files.")
@click.option("--objective", type=click.Choice(["savings", "regional"]), default="savings", show_default=True)
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), help="Seconds per scenario.")
@click.option("--gap", type=click.FloatRange(min=0), default=1e-6, show_default=True)
@click.option("--threads", type=click.IntRange(min=1), help="Solver threads per scenario.")
@click.option("--seed", type=int, help="Solver random seed.")
@click.option("--quiet", "-q", is_flag=True, help="No progress; print only errors and the battery folder.")
@click.option("--lang", type=click.Choice(["ja", "en"]), default="ja", show_default=True)
@click.option("--xlsx", is_flag=True, help="Also write report.xlsx per scenario and comparison.xlsx (sheet 比較).")
@click.option("--plots", is_flag=True, help="Also write figures per scenario and comparison.png. Needs kouiki[plots].")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def batch(path, scenarios, out, workers, scheduler, objective, time_limit, gap, threads, seed,
          quiet, lang, xlsx, plots, debug):
    """Solve every scenario of SCENARIOS for the instance PATH, in parallel, and compare them.

    SCENARIOS is a CSV with columns scenario,what_if,argument (several rows make
    one scenario; a row with only a name is the plain run) or a folder of
    --whatif files (one scenario per file). Each scenario's reports go into a
    subfolder named by the scenario and a hash of its inputs; a rerun skips the
    finished ones. comparison.csv and comparison_participation.csv compare them.
    Exit codes: 0 every scenario ran (whatever its outcome), 2 bad input,
    4 internal error in some scenario, 130 interrupted (finished scenarios kept).
    """
    from kouiki import batch as battery

    say = (lambda *a, **k: None) if quiet else (lambda text: click.echo(text, err=True))
    try:
        from kouiki.parallel import available, scheduler_address, workers as open_workers

        available(lang)
        if plots:
            from kouiki.reports.plots import PlotsUnavailable, available as plots_available

            try:
                plots_available()
            except PlotsUnavailable as error:
                raise UsageError(str(error)) from None
        from kouiki.load import load

        instance = load(path)
        named = battery.read_scenarios(scenarios, lang)
        battery.check_scenarios(instance, named)  # every what-if, before anything runs
        from kouiki.solvers.highs import SolverSettings

        settings = SolverSettings(time_limit=time_limit, gap=gap, threads=threads, seed=seed)
        folder = Path(out) if out else Path("results") / f"{instance.name}-{Path(scenarios).stem}"
        address = scheduler_address(scheduler)
        where = battery.word("remote", lang, address=address) if address else battery.word("local", lang, count=workers or os.cpu_count() or 1)
        say(battery.word("workers", lang, count=len(named), where=where))
        try:
            with open_workers(workers, scheduler, lang) as client:
                result = battery.run_battery(instance, named, folder, client, settings, objective,
                                             lang, xlsx, plots, quiet, say)
        except KeyboardInterrupt:
            names = {job.folder for job in battery.jobs_for(instance, named, settings, objective, lang, xlsx, plots)}
            done = sum(1 for name in names if (folder / name).is_dir())
            click.secho(battery.word("interrupted", lang, done=done, folder=folder), err=True)
            sys.exit(130)
        unreadable = [f for f in result.facts if f.status == "unreadable_on_worker"]
        if unreadable:
            click.secho(battery.word("unreadable", lang, path=instance.path, count=len(unreadable), message=unreadable[0].explanation),
                        fg="red", err=True)
            sys.exit(2)
        failed = [f.name for f in result.facts if f.status == "internal_error"]
        click.echo(battery.word("done", lang, total=len(result.facts), solved=result.count("optimal", "time_limit"),
                                infeasible=result.count("infeasible"), no_plan=result.count("time_limit_no_plan"),
                                folder=result.folder))
        click.echo(battery.word("comparison", lang, file=result.folder / "comparison.csv"))
        if failed:
            click.secho(battery.word("failed", lang, count=len(failed), names=", ".join(failed)), fg="red", err=True)
            sys.exit(4)
    except InputError as error:
        for problem in error.problems:
            click.secho(str(problem), fg="red", err=True)
        click.secho(battery.word("bad_input", lang, count=len(error.problems)), err=True)
        sys.exit(2)
    except UsageError as error:
        click.secho(str(error), fg="red", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        click.secho(battery.word("interrupted", lang, done=0, folder=out or "results"), err=True)
        sys.exit(130)
    except Exception as error:  # the boundary: no traceback for users unless asked
        if debug:
            raise
        from kouiki.reports.write import OutputError

        if isinstance(error, OutputError):
            click.secho(str(error), fg="red", err=True)
            sys.exit(2)
        click.secho(f"Internal error: {type(error).__name__}: {error} (run with --debug for details)", fg="red", err=True)
        sys.exit(4)
