"""`allocate generate OUTDIR`: write a synthetic, Japan-shaped instance (kouiki/generate.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("outdir", type=click.Path(file_okay=False))
@click.option("--preset", type=click.Choice(["prefecture", "national"]), help="60 × 60 × 6 hubs, or 1,741 municipalities in 47 prefectures × 100 tasks × 80 hubs.")
@click.option("--municipalities", type=click.IntRange(min=2), help="Number of municipalities.")
@click.option("--tasks", type=click.IntRange(min=1), help="Number of candidate tasks.")
@click.option("--hubs", type=click.IntRange(min=1), help="Number of hubs (the largest municipalities).")
@click.option("--prefectures", type=click.IntRange(min=1), help="Split into this many prefectures (reach stays inside one).")
@click.option("--seed", type=int, default=1, show_default=True)
def generate(outdir, preset, municipalities, tasks, hubs, prefectures, seed):
    """Write a valid synthetic instance into OUTDIR (for benchmarks and trials)."""
    from kouiki.generate import PRESETS, generate as write

    shape = dict(PRESETS[preset]) if preset else {"municipalities": 60, "tasks": 60, "hubs": 6, "prefectures": 1}
    for name, value in (("municipalities", municipalities), ("tasks", tasks), ("hubs", hubs), ("prefectures", prefectures)):
        if value is not None:
            shape[name] = value
    if shape["hubs"] > shape["municipalities"]:
        click.secho("--hubs cannot exceed --municipalities", fg="red", err=True)
        sys.exit(2)
    folder = Path(outdir)
    if folder.exists() and any(folder.iterdir()):
        click.secho(f"{folder} exists and is not empty; choose another folder", fg="red", err=True)
        sys.exit(2)
    summary = write(folder, seed=seed, **shape)
    click.echo(f"Wrote {folder}: {summary['municipalities']} municipalities, {summary['tasks']} tasks, "
               f"{summary['hubs']} hubs, {summary['rows']:,} task rows (seed {seed})")
