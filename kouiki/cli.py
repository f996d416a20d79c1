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

from kouiki.catalogue_command import CatalogueCommand, localise
from kouiki.errors import InfeasibleError, InputError, NoPlanInTimeError, PlanCheckError, UsageError
from kouiki.columns import fits
from kouiki.messages import render, rule, text


def shout(line: str, **style) -> None:
    """A refusal on stderr, wrapped to the terminal's 100 columns."""
    click.secho(fits(line), err=True, **style)


def _fraction(ctx, param, value):
    if value is not None and not 0 <= value <= 1:
        raise click.BadParameter(text("cli.bad_fraction", _lang(ctx), value=value))
    return value


def _lang(ctx) -> str:
    """--lang once click has read it, else what the pre-scan found (an option typed before --lang)."""
    if ctx is None:
        return "ja"
    return ctx.params.get("lang") or getattr(ctx.command, "lang", "ja")


class YenAmount(click.ParamType):
    """An amount of yen as the room says it: 1億, 5000万, 100,000,000, ¥100,000,000 (kouiki/numbers.py)."""

    name = "YEN"

    def convert(self, value, param, ctx):
        if isinstance(value, float):
            return value
        from kouiki.numbers import parse_yen

        try:
            return parse_yen(value)
        except ValueError:
            self.fail(text("cli.bad_yen", _lang(ctx), value=value), param, ctx)


# One short example per option, shown after its help text.
EXAMPLES = {
    "out": "--out results/案A", "burden_cap": "--burden-cap 1億", "force": "--force 常備消防=delegation@小田原市",
    "forbid": "--forbid 火葬=association", "forbid_method": "--forbid-method union", "exclude": "--exclude 箱根町",
    "require": "--require 常備消防:箱根町", "fee_ratio": "--fee-ratio delegation=0.9", "min_town_saving": "--min-town-saving 0.05",
    "max_arrangements": "--max-arrangements 5", "merge": "--merge 小田原市+南足柄市=小田原南足柄市", "whatif": "--whatif scenario.csv",
    "n_options": "--options 3", "min_difference": "--min-difference 2", "slack": "--slack 0.05",
    "sweep": "--sweep burden-cap=0:2億:5", "time_limit": "--time-limit 60", "gap": "--gap 0.001", "threads": "--threads 2",
    "seed": "--seed 7", "write_model": "--write-model kensei.mps", "lang": "--lang en",
}


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


@click.command(cls=CatalogueCommand, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
               add_help_option=False, usage="allocate PATH [OPTIONS]", about=("help.about", "help.path", "help.exit_codes"),
               examples=EXAMPLES, commands=("help.template", "help.generate", "help.batch", "help.serve"))
@click.argument("path")
@click.help_option("-h", "--help", help="help.show_help")
@click.version_option(None, "--version", package_name="kouiki", message="kouiki %(version)s", help="help.version")
@click.option("--check", is_flag=True, help="help.check")
@click.option("--out", type=click.Path(file_okay=False), metavar="DIR", help="help.out")
@click.option("--overwrite", is_flag=True, help="help.overwrite")
@optgroup("What-ifs (also as rows of a --whatif file)")
@click.option("--burden-cap", type=YenAmount(), help="help.burden_cap")
@click.option("--force", multiple=True, metavar="TASK=METHOD[@HUB]", help="help.force")
@click.option("--forbid", multiple=True, metavar="TASK=METHOD", help="help.forbid")
@click.option("--forbid-method", multiple=True, metavar="METHOD", help="help.forbid_method")
@click.option("--exclude", multiple=True, metavar="MUNICIPALITY", help="help.exclude")
@click.option("--require", multiple=True, metavar="TASK:MUNICIPALITY", help="help.require")
@click.option("--fee-ratio", multiple=True, metavar="METHOD=R", help="help.fee_ratio")
@click.option("--min-town-saving", type=float, metavar="R", callback=_fraction, help="help.min_town_saving")
@click.option("--max-arrangements", type=click.IntRange(min=0), metavar="N", help="help.max_arrangements")
@click.option("--keep-current", is_flag=True, help="help.keep_current")
@click.option("--merge", multiple=True, metavar="A+B[=NEW]", help="help.merge")
@click.option("--whatif", multiple=True, type=click.Path(dir_okay=False), metavar="FILE", help="help.whatif")
@optgroup("Options and sweeps")
@click.option("--options", "n_options", type=click.IntRange(min=1), metavar="K", default=1, help="help.options")
@click.option("--min-difference", type=click.IntRange(min=1), metavar="D", default=1, help="help.min_difference")
@click.option("--slack", type=float, metavar="E", callback=_fraction, help="help.slack")
@click.option("--ranked", is_flag=True, help="help.ranked")
@click.option("--why-not", "why_not", is_flag=True, help="help.why_not")
@click.option("--fair-share", type=float, metavar="R", callback=_fraction, default=0.5, help="help.fair_share")
@click.option("--fair-saving", type=float, metavar="R", callback=_fraction, default=0.01, help="help.fair_saving")
@click.option("--sweep", metavar="burden-cap=LO:HI:N", help="help.sweep")
@optgroup("Solver")
@click.option("--objective", type=click.Choice(["savings", "regional"]), metavar="savings|regional", default="savings", help="help.objective")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), metavar="S", help="help.time_limit")
@click.option("--gap", type=click.FloatRange(min=0), metavar="G", default=1e-6, help="help.gap")
@click.option("--threads", type=click.IntRange(min=1), metavar="N", help="help.threads")
@click.option("--seed", type=int, metavar="N", help="help.seed")
@click.option("--workers", type=click.IntRange(min=1), metavar="N", help="help.workers")
@click.option("--scheduler", metavar="ADDRESS", help="help.scheduler")
@click.option("--verify", "verify_plan", is_flag=True, help="help.verify")
@click.option("--write-model", type=click.Path(dir_okay=False), metavar="FILE", help="help.write_model")
@optgroup("Output")
@click.option("--quiet", "-q", is_flag=True, help="help.quiet")
@click.option("--lang", type=click.Choice(["ja", "en"]), metavar="ja|en", default="ja", help="help.lang")
@click.option("--xlsx", is_flag=True, help="help.xlsx")
@click.option("--plots", is_flag=True, help="help.plots")
@click.option("--debug", is_flag=True, help="help.debug")
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
                raise UsageError(error.args[0]) from None
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
            click.echo(render(runner.write_model(instance, what_ifs, Scenario(objective=objective), Path(write_model)), lang))
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
        click.echo(text("cli.reports", lang, folder=written))
    except InputError as error:
        for problem in error.problems:
            shout(render(problem, lang), fg="red")
        shout(text("cli.problems", lang, count=len(error.problems)))
        sys.exit(2)
    except UsageError as error:
        shout(render(error.args[0] if error.args else "", lang), fg="red")
        sys.exit(2)
    except InfeasibleError as error:
        shout(text("cli.infeasible", lang), fg="red")
        for rule_id, reason in error.reasons:
            shout(text("cli.reason", lang, rule=rule(rule_id, lang), text=render(reason, lang)))
        if error.facts.get("folder"):
            shout(text("cli.explanation_written", lang, folder=error.facts["folder"]))
        sys.exit(1)
    except NoPlanInTimeError:
        # the engine's own sentence is English (kouiki/pipeline.py); the catalogue's says the same
        limit = f"{time_limit:g}" if time_limit else None
        click.secho(text("cli.no_plan_in_time", lang, seconds=limit) if limit else text("cli.no_plan_in_time_unknown", lang),
                    fg="red", err=True)
        sys.exit(3)
    except OutOfTime:
        click.secho(text("cli.out_of_time", lang, seconds=f"{time_limit:g}"), fg="red", err=True)
        sys.exit(3)
    except PlanCheckError as error:
        shout(text("cli.internal_no_report", lang, detail=render(error.args[0] if error.args else "", lang)), fg="red")
        if debug:
            raise
        sys.exit(4)
    except KeyboardInterrupt:  # SIGINT or SIGTERM, at any stage (kouiki/interrupts.py)
        shout(text("cli.interrupted", lang))
        sys.exit(interrupts.EXIT_CODE)
    except Exception as error:  # the boundary: no traceback for users unless asked
        if debug:
            raise
        from kouiki.reports.write import OutputError

        if isinstance(error, OutputError):
            shout(render(error.args[0], lang), fg="red")
            sys.exit(2)
        shout(text("cli.internal", lang, detail=f"{type(error).__name__}: {error}"), fg="red")
        sys.exit(4)


localise(allocate, "ja")  # also for callers that invoke `allocate` without main()

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
    return allocate.main(args, prog_name="allocate", standalone_mode=False)


if __name__ == "__main__":  # pragma: no cover
    main()
