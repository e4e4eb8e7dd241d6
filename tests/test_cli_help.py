"""`--help` pages in the language of the messages ($CARAVANA_LANG, else the locale's, else
Spanish): every command's page (walking the app, groups and subcommands) shows the Spanish of
each of its help texts and none of their English; in English, each text as the code has it;
paragraphs are whole (Rich wraps them) and a page is never half in one language."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import typer
import typer.main
from typer.testing import CliRunner

from caravana.cli import app
from caravana.cli.common import CommandGroup
from caravana.cli.help import HELP_OPTION, OPTIONS_METAVAR, SUBCOMMAND_METAVAR, TYPER_WORDS, USAGE
from caravana.i18n import language

runner = CliRunner()
SPANISH = language("es")


def _pages() -> dict[tuple[str, ...], object]:
    """Every page: the app's, each group's and each command's (click objects), by command path."""
    found = {}

    def walk(command, path: tuple[str, ...]) -> None:
        found[path] = command
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return found


PAGES = _pages()


def texts(command) -> list[str]:
    """The help texts written in caravana's code that ``command``'s page shows: its own, its
    parameters', and for a group its commands' (as listed: :func:`shown_of`)."""
    found = [command.help, *(p.help for p in command.params)]
    found += [sub.help for sub in getattr(command, "commands", {}).values()]
    return [t for t in found if t]


def shown_of(text: str, command) -> str:
    """How ``text`` (or its translation) shows on ``command``'s page: whole, or a listed
    command's first paragraph."""
    listed = text not in (command.help, *(p.help for p in command.params))
    return flat(text.split("\n\n")[0] if listed else text)


def page(path: tuple[str, ...], lang: str) -> str:
    """``caravana PATH --help`` in ``lang``, wide enough that no text wraps, whitespace and
    panel borders collapsed."""
    result = runner.invoke(app, [*path, "--help"], env={"CARAVANA_LANG": lang, "COLUMNS": "2000"})
    assert result.exit_code == 0, result.output
    return flat(result.output.replace("│", " "))


def flat(text: str) -> str:
    return " ".join(text.split())


def test_every_command_is_walked():
    commands = {" ".join(p) for p in PAGES}
    assert {"", "run", "validate", "scenarios", "ensemble", "calibrate", "compare", "forecast", "news", "news extract",
            "news review", "serve", "report", "brief", "runs", "runs list", "runs show", "runs export", "runs query",
            "flee", "flee check"} <= commands
    assert sum(len(texts(c)) for c in PAGES.values()) > 150


@pytest.mark.parametrize("path", list(PAGES), ids=lambda p: " ".join(p) or "caravana")
def test_the_spanish_page_shows_every_help_text_in_spanish(path):
    shown = page(path, "es")
    command = PAGES[path]
    for text in [*texts(command), HELP_OPTION]:
        spanish = SPANISH._(text)
        assert spanish != text, f"no Spanish in the catalogue for {text!r}"
        assert shown_of(spanish, command) in shown, spanish
        assert shown_of(text, command) not in shown, text
    assert shown.startswith(SPANISH._(USAGE)) and SPANISH._(OPTIONS_METAVAR) in shown
    assert SPANISH._(TYPER_WORDS["OPTIONS_PANEL_TITLE"]) in shown and "Options" not in shown
    if path == ("run",):
        assert "[por defecto: out]" in shown and "[default" not in shown
    if path == ("brief",):
        assert "[obligatorio]" in shown and "Argumentos" in shown and "[required]" not in shown


@pytest.mark.parametrize("path", list(PAGES), ids=lambda p: " ".join(p) or "caravana")
def test_the_english_page_shows_every_help_text_as_written(path):
    shown = page(path, "en")
    for text in [*texts(PAGES[path]), HELP_OPTION]:
        assert shown_of(text, PAGES[path]) in shown, text
    assert shown.startswith(USAGE) and "Options" in shown and "Opciones" not in shown
    if hasattr(PAGES[path], "commands"):
        assert SUBCOMMAND_METAVAR in shown and "Commands" in shown


def test_paragraphs_are_whole_lines():
    """A single line break inside a help text is kept by Typer's Rich output, mid-sentence at
    any width: texts break only between paragraphs (a blank line), in both languages."""
    for command in PAGES.values():
        for text in texts(command):
            for version in (text, SPANISH._(text)):
                assert "\n" not in version.replace("\n\n", ""), version


def test_the_root_page_at_80_columns_breaks_only_where_rich_wraps():
    result = runner.invoke(app, ["--help"], env={"CARAVANA_LANG": "es", "COLUMNS": "80"})
    rows = [line.strip("│ ") for line in result.output.splitlines()]
    # `brief`'s help fills its lines: no short line inside a sentence, as the old "days above half" was
    brief = next(i for i, row in enumerate(rows) if row.startswith("brief "))
    assert all(len(rows[i]) > 60 for i in (brief, brief + 1)), rows[brief:brief + 3]


def test_a_page_missing_a_translation_stays_wholly_in_english():
    """Half and half reads worse: one help text without Spanish keeps the whole page, Typer's
    words too, in English."""
    demo = typer.Typer(cls=CommandGroup)

    @demo.command(help="A help text the catalogue does not have.")
    def one(seed: int = typer.Option(0, help="First seed.")) -> None:
        pass

    @demo.command(help="List the built-in scenarios.")
    def two() -> None:
        pass

    result = runner.invoke(demo, ["one", "--help"], env={"CARAVANA_LANG": "es", "COLUMNS": "200"})
    shown = flat(result.output.replace("│", " "))
    assert "A help text the catalogue does not have." in shown and "First seed." in shown
    assert "Usage:" in shown and "Options" in shown and "Primera semilla" not in shown and "Uso:" not in shown
    translated = flat(runner.invoke(demo, ["two", "--help"], env={"CARAVANA_LANG": "es"}).output)
    assert "Listar los escenarios incluidos." in translated and "Uso:" in translated


def test_a_run_that_prints_no_help_loads_no_help_module():
    """Translating help costs a simulating command nothing: `caravana run` without --help
    never imports caravana.cli.help (nor Babel)."""
    code = ("import sys, tempfile\nfrom caravana.cli import main\n"
            "sys.argv = ['caravana', 'run', 'mali2012', '--days', '2', '--out', tempfile.mkdtemp() + '/out']\n"
            "import caravana.cli.quit as q\nq.exit_now = lambda code: (_ for _ in ()).throw(SystemExit(code))\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m == 'caravana.cli.help' or m.split('.')[0] == 'babel'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"


TYPER_TYPES = re.compile(r"<(?:bool|str|int|float|path|file|directory|int range|float range)>|list\[")


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_option_takes_a_word_not_a_python_type(lang):
    """Typer showed Python's types ("--help <bool>", "<str>", "<path>", "<list[Path]>") and the
    code's names in the usage line ("caravana brief [OPCIONES] {place} {source}"): each option
    and argument now says in words, in the page's language, what it takes; a flag says nothing."""
    from caravana.cli.metavars import words

    for path, command in PAGES.items():
        shown = page(path, lang)
        assert not TYPER_TYPES.search(shown), (path, TYPER_TYPES.search(shown).group(0))
        assert not re.search(r"\{\w+\}", shown[:100]), (path, shown[:100])  # the usage line: no "{place}"
        for english in words(command, typer.Context(command)):
            said = language(lang)._(english)
            assert said in shown, (path, said)
            if lang == "es":
                assert said != english, f"no Spanish for the word {english!r}"
    brief = page(("brief",), "es")
    assert "brief [OPCIONES] LUGAR CARPETA " in brief[:60]
    assert "--pdf ARCHIVO" in brief and "--help Mostrar" in brief  # a flag: no "<bool>"
    forecast = page(("forecast",), "es")
    for option, word in (("--as-of", "FECHA"), ("--horizon", "DÍAS"), ("--out", "CARPETA"), ("--vary", "RUTA=BAJO:ALTO")):
        assert f"{option} {word}" in forecast, option
    assert "news extract [OPTIONS] FILE... " in page(("news", "extract"), "en")[:60]


@pytest.mark.parametrize("lang, said", [("es", "falta el argumento 'LUGAR'"), ("en", "Missing argument 'PLACE'")])
def test_a_missing_argument_is_named_as_its_help_page_names_it(lang, said):
    result = runner.invoke(app, ["brief"], env={"CARAVANA_LANG": lang})
    assert result.exit_code == 2 and said in result.output, result.output
