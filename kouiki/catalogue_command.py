"""A click command that speaks the message catalogue: `allocate` and each of its subcommands.

Its --help is written from catalogue keys in the language the command line
asks for (`--lang`, read before click parses anything), wrapped by display
width; click's own refusals (an unknown option, a missing argument, a bad
value) are introduced by a catalogue sentence and exit 2 (SPEC §7).
"""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from kouiki.columns import WIDTH, fits, pad, width, wrap
from kouiki.messages import CATALOGUE, text

NAMES_COLUMN = 30  # where an option's help starts, after "  " and its names


def language_of(args: list[str]) -> str:
    """--lang as typed (before click parses anything, so that --help and click's refusals speak it)."""
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1] if args[i + 1] in ("ja", "en") else "ja"
        if arg.startswith("--lang="):
            value = arg.partition("=")[2]
            return value if value in ("ja", "en") else "ja"
    return "ja"


class CatalogueCommand(click.Command):
    """A command whose --help and refusals come from the catalogue.

    usage: the synopsis after "使い方:", e.g. "allocate template TARGET [OPTIONS]";
    about: keys of the paragraphs under it; examples: option name → an example
    shown after its help; commands: keys "allocate X — what it does" listed last.
    Each option's `help` is a catalogue key; `localise` turns it into a sentence.
    """

    def __init__(self, *args, usage: str, about: tuple[str, ...], examples: dict[str, str] | None = None,
                 commands: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.usage = usage
        self.about = about
        self.examples = examples or {}
        self.commands = commands
        self.lang = "ja"

    def usage_line(self) -> str:
        return f"{text('help.usage', self.lang)}: {self.usage}"

    def format_usage(self, ctx, formatter):
        formatter.write(self.usage_line() + "\n")

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = text("help.show_help", self.lang)
        return option

    def format_help(self, ctx, formatter):
        """Usage, what it does, each option with its help wrapped by display width (Japanese is two columns a character)."""
        lines = [self.usage_line(), ""]
        for key in self.about:
            lines.extend(wrap(text(key, self.lang), WIDTH, "  ", first="  "))
        lines += ["", text("help.options_heading", self.lang) + ":"]
        records = [p.get_help_record(ctx) for p in self.get_params(ctx) if isinstance(p, click.Option)]
        for names, sentence in filter(None, records):
            lines.extend(_entry(names, sentence))
        if self.commands:
            lines += ["", text("help.commands", self.lang) + ":"]
            for key in self.commands:
                command, _, sentence = text(key, self.lang).partition(" — ")
                lines.extend(_entry(command, sentence))
        formatter.write("\n".join(lines) + "\n")

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """Parse in the language typed; click's refusals in a catalogue sentence, exit 2."""
        args = list(sys.argv[1:] if args is None else args)
        localise(self, language_of(args))
        try:
            done = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.MissingParameter as error:  # before BadParameter, its base: its own message is empty
            self.refuse(text("cli.usage_error", self.lang, detail=error.format_message()))
        except click.BadParameter as error:  # our own sentence or click's, named by its option
            self.refuse(text("cli.bad_value", self.lang, option=_named(error.param), detail=error.message))
        except click.ClickException as error:  # click's own refusals (an unknown option, too many arguments)
            self.refuse(text("cli.usage_error", self.lang, detail=error.format_message()))
        except click.Abort:
            click.secho(text("cli.interrupted", self.lang), err=True)
            sys.exit(130)
        if standalone_mode:  # as click's own main: the process ends here (--help gives its exit code)
            sys.exit(done if isinstance(done, int) else 0)
        return done

    def refuse(self, sentence: str) -> NoReturn:
        click.secho(fits(sentence), fg="red", err=True)
        click.echo(self.usage_line(), err=True)
        sys.exit(2)


def refuse(sentence: str, code: int = 2) -> NoReturn:
    """A subcommand's refusal: red on stderr, wrapped to the terminal's width; the process ends with `code` (SPEC §7)."""
    click.secho(fits(sentence), fg="red", err=True)
    sys.exit(code)


def _named(param) -> str:
    """An option as typed (--gap), an argument as the usage line shows it (OUTDIR)."""
    if param is None:
        return ""
    return param.opts[0] if isinstance(param, click.Option) else param.human_readable_name


def _entry(names: str, sentence: str) -> list[str]:
    """One row of a help table: the names, then the sentence wrapped beside them (below them when they are long)."""
    hang = " " * (NAMES_COLUMN + 2)
    if width(names) <= NAMES_COLUMN - 4:
        return wrap(sentence, WIDTH, hang, first="  " + pad(names, NAMES_COLUMN))
    return ["  " + names, *wrap(sentence, WIDTH, hang, first=hang)]


def localise(command: CatalogueCommand, lang: str) -> None:
    """Turn the options' help keys into sentences in `lang`, each with its example."""
    command.lang = lang
    for param in command.params:
        # click 8.1–8.4 give arguments no `help` attribute at all; 8.5 gives them None
        own = getattr(param, "help", None)
        key = getattr(param, "help_key", None) or (own if own in CATALOGUE else None)
        if key is None:
            continue
        param.help_key = key
        sentence = text(key, lang)
        if param.name in command.examples:
            sentence += " " + text("help.example", lang, example=command.examples[param.name])
        param.help = sentence
