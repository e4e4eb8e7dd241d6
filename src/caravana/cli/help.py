"""``--help`` pages in the language of the command's messages (``--lang``, else
$CARAVANA_LANG, else the locale's, else Spanish: :func:`caravana.i18n.preferred`).

Help texts are written once, in English, where the commands and options are defined,
marked ``N_`` (tools/i18n.py extracts them; their Spanish is in the catalogue). When a
page is shown, :func:`translate` puts the command's help, its parameters' help, and for a
group the help of the commands it lists, in that language, with Typer's own words
(``typer.rich_utils``' panel titles, "[required]", "Usage:"...). A page whose texts are not
all in the catalogue is shown wholly in English: half and half reads worse.

Imported only when a page is shown (:class:`caravana.cli.common.CommandGroup`): a command
that prints no help loads neither the catalogue nor Babel for it.
"""

from __future__ import annotations

from typing import Any

import typer
from typer import rich_utils

# Typer ships its own Click as typer._click since 0.26 (no Click installed with it): the class
# typer.Context.formatter_class holds; pyproject.toml's floor (0.27.2) has it.
from typer._click.formatting import HelpFormatter

from ..i18n import N_, Language, language
from .metavars import name_in, words

# typer.rich_utils' words, by the name of the constant that holds each.
TYPER_WORDS = {
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "DEFAULT_STRING": N_("[default: {}]"),
    "ENVVAR_STRING": N_("[env var: {}]"),
    "DEPRECATED_STRING": N_("(deprecated) "),
}
# What a page's usage line and help option say (Typer's defaults).
USAGE = N_("Usage: ")
HELP_OPTION = N_("Show this message and exit.")
OPTIONS_METAVAR = N_("[OPTIONS]")
SUBCOMMAND_METAVAR = N_("COMMAND [ARGS]...")

_page: list[Language] = []  # the language of the page being shown


class _Formatter(HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = _page[0]._(USAGE) if _page else USAGE
        # Typer writes a required argument "{LUGAR}": braces read as noise ("Uso: caravana brief
        # [OPCIONES] LUGAR CARPETA"); an optional one stays "[ESCENARIO]"
        super().write_usage(prog, args.replace("{", "").replace("}", ""), prefix)


class HelpContext(typer.Context):
    """A context whose usage line is in the page's language."""

    formatter_class = _Formatter


def translate(command: Any, ctx: Any) -> None:
    """Put ``command``'s page in the command's language (:func:`caravana.cli.common._reader`),
    or in English if the catalogue lacks one of its texts. ``ctx`` is the command's context
    or its parent's. The English is kept on each object: a page can be translated again
    (the tests show many in one process)."""
    from .common import _reader

    group = hasattr(command, "commands")
    listed = [command.get_command(ctx, name) for name in command.list_commands(ctx)] if group else []
    fields = [(o, "help") for o in (command, *command.get_params(ctx), *listed) if o is not None]
    fields += [(command, "options_metavar"), *([(command, "subcommand_metavar")] if group else [])]
    texts = [_original(o, attr) for o, attr in fields]
    speaker = _reader()
    if any(speaker._(text) == text for text in (*texts, *words(command, ctx), *TYPER_WORDS.values(), USAGE) if text):
        speaker = language("en")
    for (o, attr), text in zip(fields, texts):
        setattr(o, attr, text and speaker._(text))
    for name, text in TYPER_WORDS.items():
        setattr(rich_utils, name, speaker._(text))
    name_in(command, ctx, speaker)
    _page[:] = [speaker]
    command.context_class = HelpContext  # the command's context, if not made yet
    if ctx.command is command:
        ctx.formatter_class = _Formatter


def _original(o: Any, attr: str) -> str | None:
    """The English of ``o``'s ``attr`` (kept aside the first time it is translated)."""
    kept = f"_caravana_{attr}"
    if kept not in vars(o):
        setattr(o, kept, getattr(o, attr))
    return getattr(o, kept)
