"""`allocate generate OUTDIR`: write a synthetic, Japan-shaped instance (kouiki/generate.py)."""

from __future__ import annotations

from pathlib import Path

import click

from kouiki.catalogue_command import CatalogueCommand, refuse
from kouiki.columns import fits
from kouiki.messages import text

EXAMPLES = {"preset": "--preset national", "municipalities": "--municipalities 200", "hubs": "--hubs 10",
            "prefectures": "--prefectures 3", "seed": "--seed 7", "lang": "--lang en"}


@click.command(cls=CatalogueCommand, context_settings={"help_option_names": ["-h", "--help"]},
               usage="allocate generate OUTDIR [OPTIONS]", about=("generate.about", "generate.outdir"), examples=EXAMPLES)
@click.argument("outdir", type=click.Path(file_okay=False))
@click.option("--preset", type=click.Choice(["prefecture", "national"]), metavar="prefecture|national", help="generate.preset")
@click.option("--municipalities", type=click.IntRange(min=2), metavar="N", help="generate.municipalities")
@click.option("--tasks", type=click.IntRange(min=1), metavar="N", help="generate.tasks")
@click.option("--hubs", type=click.IntRange(min=1), metavar="N", help="generate.hubs")
@click.option("--prefectures", type=click.IntRange(min=1), metavar="N", help="generate.prefectures")
@click.option("--seed", type=int, default=1, metavar="N", help="generate.seed")
@click.option("--lang", type=click.Choice(["ja", "en"]), metavar="ja|en", default="ja", help="help.lang_printed")
def generate(outdir, preset, municipalities, tasks, hubs, prefectures, seed, lang):
    """Write a valid synthetic instance into OUTDIR (the catalogue's generate.about says it to the user)."""
    from kouiki.generate import PRESETS, generate as write

    shape = dict(PRESETS[preset]) if preset else {"municipalities": 60, "tasks": 60, "hubs": 6, "prefectures": 1}
    for name, value in (("municipalities", municipalities), ("tasks", tasks), ("hubs", hubs), ("prefectures", prefectures)):
        if value is not None:
            shape[name] = value
    # the bounds kouiki/generate.py holds to, said with the options that set them
    if shape["hubs"] > shape["municipalities"]:
        refuse(text("generate.hubs_exceed", lang, **shape))
    if shape["prefectures"] > shape["municipalities"]:
        refuse(text("generate.prefectures_exceed", lang, **shape))
    if shape["hubs"] < shape["prefectures"]:
        refuse(text("generate.hubs_too_few", lang, **shape))
    folder = Path(outdir)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        refuse(text("generate.not_empty", lang, folder=folder))
    try:
        summary = write(folder, seed=seed, **shape)
    except OSError as error:
        refuse(text("sub.cannot_write", lang, path=folder, reason=error.strerror))
    click.echo(fits(text("generate.wrote", lang, folder=folder, municipalities=summary["municipalities"], tasks=summary["tasks"],
                         hubs=summary["hubs"], rows=f"{summary['rows']:,}", seed=seed)))
