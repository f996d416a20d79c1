"""`allocate`: parse the command line, call the library, print. Nothing else.

Heavy imports (Pyomo, HiGHS) happen only once a solve is needed, so that
`allocate --help` and `allocate PATH --check` answer at once.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from kouiki.errors import InfeasibleError, InputError, NoPlanInTimeError, PlanCheckError, UsageError


def _fee_ratio(ctx, param, values):
    ratios = {}
    for value in values:
        method, _, ratio = value.partition("=")
        try:
            number = float(ratio)
        except ValueError:
            raise click.BadParameter(f"'{value}' should look like METHOD=R, e.g. delegation=0.8") from None
        if not 0 <= number <= 1:
            raise click.BadParameter(f"'{value}': R must be between 0 and 1")
        ratios[method.strip()] = number
    return ratios


def _fraction(ctx, param, value):
    if value is not None and not 0 <= value <= 1:
        raise click.BadParameter("must be between 0 and 1")
    return value


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("path")
@click.option("--check", is_flag=True, help="Validate the instance and print a summary; solve nothing.")
@click.option("--out", type=click.Path(file_okay=False), help="Report folder (default results/<instance>-<time>).")
@click.option("--overwrite", is_flag=True, help="Replace an existing non-empty --out folder.")
@click.option("--burden-cap", type=float, default=0.0, show_default=True, help="Cap on each hub's net burden (yen/yr) where municipalities.csv gives none.")
@click.option("--min-town-saving", type=float, default=0.0, callback=_fraction, help="L9: each member saves at least this share of its standalone cost.")
@click.option("--max-arrangements", type=click.IntRange(min=0), help="L10: at most this many arrangements.")
@click.option("--fee-ratio", multiple=True, callback=_fee_ratio, metavar="METHOD=R", help="What-if: members pay R of their standalone cost under METHOD.")
@click.option("--objective", type=click.Choice(["savings", "regional"]), default="savings", show_default=True, help="'regional' counts grants from outside the region as gains.")
@click.option("--curve-tolerance", type=float, default=1e-3, show_default=True, help="Largest relative error of the piecewise-linear cost curves.")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), help="Stop after this many seconds with the best plan found.")
@click.option("--gap", type=click.FloatRange(min=0), default=1e-6, show_default=True, help="Relative optimality gap at which the solver stops.")
@click.option("--threads", type=click.IntRange(min=1), help="Solver threads.")
@click.option("--seed", type=int, help="Solver random seed.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors and the report folder.")
@click.option("--lang", type=click.Choice(["ja", "en"]), default="ja", show_default=True, help="Language of method names in the terminal.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def allocate(path, check, out, overwrite, burden_cap, min_town_saving, max_arrangements, fee_ratio, objective,
             curve_tolerance, time_limit, gap, threads, seed, quiet, lang, debug):
    """Choose shared tasks, cooperation methods (地方自治法), hubs and members for a region.

    PATH is an instance.csv (its sibling tables beside it), a folder holding
    instance.csv, or the name of a bundled instance such as `kensei`.
    Exit codes: 0 solved, 1 infeasible (explained), 2 bad input, 3 no plan
    within the time limit, 4 internal error (a plan failed its exact re-check).
    """
    from kouiki import run as runner

    say = (lambda *a, **k: None) if quiet else click.echo
    try:
        from kouiki.load import load

        instance = load(path)
        if check:
            click.echo(runner.check_summary(instance))
            return
        scenario = runner.make_scenario(instance, burden_cap, min_town_saving, max_arrangements, fee_ratio, objective)
        settings = runner.make_settings(time_limit, gap, threads, seed)
        folder = Path(out) if out else runner.default_out(instance)
        outcome = runner.run(instance, scenario, settings, curve_tolerance, folder, overwrite, say,
                             options={"curve_tolerance": curve_tolerance, "time_limit": time_limit, "gap": gap,
                                      "threads": threads, "seed": seed, "lang": lang})
        click.echo(f"Reports: {outcome}")
    except InputError as error:
        for problem in error.problems:
            click.secho(str(problem), fg="red", err=True)
        click.secho(f"{len(error.problems)} problem(s) in the input; nothing was written.", err=True)
        sys.exit(2)
    except UsageError as error:
        click.secho(str(error), fg="red", err=True)
        sys.exit(2)
    except InfeasibleError as error:
        click.secho("No plan satisfies every rule. These conflict (drop any one of them and a plan exists):", fg="red", err=True)
        for rule, text in error.reasons:
            click.secho(f"  [{rule}] {text}", err=True)
        if error.facts.get("folder"):
            click.echo(f"Explanation written to {error.facts['folder']}", err=True)
        sys.exit(1)
    except NoPlanInTimeError as error:
        click.secho(str(error), fg="red", err=True)
        sys.exit(3)
    except PlanCheckError as error:
        click.secho(f"Internal error, no report written: {error}", fg="red", err=True)
        if debug:
            raise
        sys.exit(4)
    except KeyboardInterrupt:
        click.secho("Interrupted; no report was written.", err=True)
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


def main():
    allocate(prog_name="allocate")


if __name__ == "__main__":  # pragma: no cover
    main()
