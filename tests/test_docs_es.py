"""The Spanish user's guide (docs/es/guia.md) names only commands and options that exist.

Every `caravana ...` line of its shell blocks, and every `caravana ...` span in its text, is
checked against the command line: the command (and sub-command) must exist, and each
``--option`` must be one of its options and be listed by its ``--help``. Renaming an option
or a command without updating the guide fails here.
"""

from __future__ import annotations

import functools
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.core import TyperGroup
from typer.testing import CliRunner

from caravana.cli import app

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "es" / "guia.md"
BLOCK = re.compile(r"^```bash\n(.*?)^```", re.S | re.M)
SPAN = re.compile(r"`(caravana [^`]+)`")
# The tasks the guide walks through: each must keep at least one command in it.
TASKS = {("scenarios",), ("run",), ("brief",), ("forecast",), ("news", "extract"), ("news", "review"),
         ("serve",), ("report",), ("compare",), ("ensemble",), ("runs", "list")}


def guide_commands(text: str) -> list[list[str]]:
    """The argument lists (after ``caravana``) of the guide's shell lines and inline spans."""
    lines = []
    for block in BLOCK.findall(text):
        lines += block.replace("\\\n", " ").splitlines()
    lines += SPAN.findall(text)
    commands = []
    for line in lines:
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        words: list[str] = []
        for token in [*lexer, ";"]:  # a pipe, && or ; ends one command
            if token not in ("|", "||", "&&", ";", "&"):
                words.append(token)
                continue
            while words and re.fullmatch(r"[A-Z_]+=\S*", words[0]):  # VAR=value caravana ...
                words = words[1:]
            if words and words[0] == "caravana":
                commands.append(words[1:])
            words = []
    return commands


def resolve(words: list[str]) -> tuple[list[str], Any, list[str]]:
    """The command path, its (click) command and the options given; KeyError names what is wrong."""
    command = typer.main.get_command(app)
    path: list[str] = []
    rest = list(words)
    while isinstance(command, TyperGroup) and rest and not rest[0].startswith("-"):
        name = rest.pop(0)
        sub = command.commands.get(name)
        if sub is None:
            raise KeyError(f"no command 'caravana {' '.join([*path, name])}'")
        command, path = sub, [*path, name]
    options = [w.split("=", 1)[0] for w in rest if w.startswith("--")]
    known = {o for p in command.params for o in (*p.opts, *p.secondary_opts)} | {"--help"}
    unknown = [o for o in options if o not in known]
    if unknown:
        raise KeyError(f"'caravana {' '.join(path)}' has no option {', '.join(unknown)}")
    return path, command, options


@functools.cache
def help_options(path: tuple[str, ...]) -> set[str]:
    """The options ``caravana PATH --help`` prints."""
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return set(re.findall(r"--[a-z][a-z0-9-]*", result.output))


def test_the_guide_has_commands_for_every_task():
    commands = guide_commands(GUIDE.read_text(encoding="utf-8"))
    paths = {tuple(resolve(words)[0]) for words in commands}
    assert len(commands) >= 25
    assert TASKS <= paths, f"tasks without a command in the guide: {sorted(TASKS - paths)}"


@pytest.mark.parametrize("words", guide_commands(GUIDE.read_text(encoding="utf-8")), ids=" ".join)
def test_each_command_and_option_exists(words):
    try:
        path, _, options = resolve(words)
    except KeyError as exc:
        pytest.fail(f"docs/es/guia.md: {exc.args[0]}")
    listed = help_options(tuple(path))
    assert set(options) <= listed, f"not in 'caravana {' '.join(path)} --help': {set(options) - listed}"


def test_a_renamed_option_or_command_is_caught():
    text = "```bash\ncaravana forecast corridor \\\n    --as-off 2018-10-24 --horizon 20\ncaravana pronostico\n```\n"
    bad_option, bad_command = guide_commands(text)
    with pytest.raises(KeyError, match="--as-off"):
        resolve(bad_option)
    with pytest.raises(KeyError, match="pronostico"):
        resolve(bad_command)
    assert resolve(["news", "review", "propuestas.csv", "--out", "a.csv"])[0] == ["news", "review"]


def test_the_files_the_guide_cites_exist():
    """Its figures' results files, the scripts it names and its links and pictures are in the tree."""
    text = GUIDE.read_text(encoding="utf-8")
    root = GUIDE.parents[2]
    cited = set(re.findall(r"`((?:benchmarks|src)/[^`\s]+\.(?:txt|py|csv|yml))", text))
    linked = {GUIDE.parent / target for target in re.findall(r"(?:\]\(|src=\")(\.\.[^)\"#]+)", text)}
    assert len(cited) >= 4 and len(linked) >= 6
    missing = [str(p) for p in cited if not (root / p).exists()] + [str(p) for p in linked if not p.exists()]
    assert not missing, f"docs/es/guia.md names files that do not exist: {missing}"


DOCS = Path(__file__).resolve().parents[1] / "docs"


def output_blocks(text: str) -> list[str]:
    """The fenced blocks without a language tag: what a command prints."""
    blocks, inside, tag = [], None, ""
    for line in text.splitlines():
        if line.startswith("```"):
            if inside is None:
                inside, tag = [], line[3:].strip()
            else:
                if not tag:
                    blocks.append("\n".join(inside))
                inside = None
        elif inside is not None:
            inside.append(line)
    return blocks


@pytest.mark.parametrize("doc", [GUIDE, DOCS / "forecast.md"], ids=["guia", "forecast"])
def test_printed_tables_in_the_docs_are_as_an_80_column_terminal_shows_them(doc):
    """The guide's forecast extract was a 200-column table while a laptop's terminal, 80 columns,
    folds it: each extract of a table is from a real run at 80 columns, in the page's language."""
    tables = [block for block in output_blocks(doc.read_text(encoding="utf-8")) if "┃" in block]
    assert tables, doc
    for block in tables:
        assert max(len(line) for line in block.splitlines()) <= 80, block
    window = r"\(\d+ oct-\d+ oct\)" if doc is GUIDE else r"\(\d+ Oct-\d+ Oct\)"  # the folded table's, in the page's language
    heading = "llega" if doc is GUIDE else "arrives"
    assert any(heading in block and re.search(window, block) for block in tables)
