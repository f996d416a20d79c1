"""`allocate batch PATH SCENARIOS`: a battery of named scenarios in parallel (kouiki/batch.py), one comparison."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from kouiki.catalogue_command import CatalogueCommand
from kouiki.errors import InputError, UsageError
from kouiki.messages import render, text

EXAMPLES = {"out": "--out results/比較A", "workers": "--workers 4", "scheduler": "--scheduler tcp://10.0.0.5:8786",
            "time_limit": "--time-limit 60", "gap": "--gap 0.001", "lang": "--lang en"}


@click.command(cls=CatalogueCommand, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
               usage="allocate batch PATH SCENARIOS [OPTIONS]", examples=EXAMPLES,
               about=("batch.about", "help.path", "batch.scenarios", "batch.folders", "batch.exit_codes"))
@click.argument("path")
@click.argument("scenarios", type=click.Path(exists=False))
@click.option("--out", type=click.Path(file_okay=False), metavar="DIR", help="batch.out")
@click.option("--workers", type=click.IntRange(min=1), metavar="N", help="batch.workers")
@click.option("--scheduler", metavar="ADDRESS", help="batch.scheduler")
@click.option("--objective", type=click.Choice(["savings", "regional"]), metavar="savings|regional", default="savings", help="help.objective")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), metavar="S", help="batch.time_limit")
@click.option("--gap", type=click.FloatRange(min=0), metavar="G", default=1e-6, help="help.gap")
@click.option("--threads", type=click.IntRange(min=1), metavar="N", help="batch.threads")
@click.option("--seed", type=int, metavar="N", help="help.seed")
@click.option("--quiet", "-q", is_flag=True, help="batch.quiet")
@click.option("--lang", type=click.Choice(["ja", "en"]), metavar="ja|en", default="ja", help="help.lang")
@click.option("--xlsx", is_flag=True, help="batch.xlsx")
@click.option("--plots", is_flag=True, help="batch.plots")
@click.option("--debug", is_flag=True, help="help.debug")
def batch(path, scenarios, out, workers, scheduler, objective, time_limit, gap, threads, seed,
          quiet, lang, xlsx, plots, debug):
    """Solve every scenario of SCENARIOS for the instance PATH in parallel, and compare them (batch.about and the keys after it)."""
    from kouiki import batch as battery

    say = (lambda *a, **k: None) if quiet else (lambda line: click.echo(line, err=True))
    try:
        from kouiki.parallel import available, scheduler_address, workers as open_workers

        available(lang)
        if plots:
            from kouiki.reports.plots import PlotsUnavailable, available as plots_available

            try:
                plots_available()
            except PlotsUnavailable as error:
                raise UsageError(error.args[0]) from None
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
            click.secho(render(problem, lang), fg="red", err=True)
        click.secho(battery.word("bad_input", lang, count=len(error.problems)), err=True)
        sys.exit(2)
    except UsageError as error:
        click.secho(render(error.args[0] if error.args else "", lang), fg="red", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        click.secho(battery.word("interrupted", lang, done=0, folder=out or "results"), err=True)
        sys.exit(130)
    except Exception as error:  # the boundary: no traceback for users unless asked
        if debug:
            raise
        from kouiki.reports.write import OutputError

        if isinstance(error, OutputError):
            click.secho(render(error.args[0], lang), fg="red", err=True)
            sys.exit(2)
        click.secho(text("cli.internal", lang, detail=f"{type(error).__name__}: {error}"), fg="red", err=True)
        sys.exit(4)
