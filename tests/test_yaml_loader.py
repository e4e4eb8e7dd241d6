"""caravana reads YAML files with PyYAML's C parser (libyaml) when PyYAML has it
(caravana.scenario.tables): it must read every YAML file of the project as PyYAML's
pure-Python parser does, and a malformed or unusual file must be told exactly as that
parser told it (its message and row)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from caravana.errors import ScenarioError
from caravana.scenario import tables

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted(p for folder in ("src", "tests") for pattern in ("*.yml", "*.yaml") for p in (ROOT / folder).rglob(pattern))


_PurePython = tables._PlainSafeLoader  # PyYAML's pure-Python parser, dates kept as strings

needs_libyaml = pytest.mark.skipif(not getattr(yaml, "__with_libyaml__", False), reason="PyYAML built without libyaml")


def _events(text: str, loader) -> list[tuple]:
    return [(type(e).__name__, getattr(e, "value", None), getattr(e, "anchor", None), getattr(e, "tag", None),
             getattr(e, "implicit", None), e.start_mark.line if e.start_mark else None)
            for e in yaml.parse(text, Loader=loader)]  # noqa: S506 - safe loaders


def _outcome(text: str, loader) -> tuple:
    try:
        return ("value", yaml.load(text, Loader=loader))  # noqa: S506 - safe loaders
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return ("error", type(exc).__name__, mark.line if mark else None)


@needs_libyaml
def test_the_c_parser_is_used():
    assert issubclass(tables._FastLoader, yaml.CSafeLoader)


@needs_libyaml
@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_yaml_file_reads_the_same(path):
    text = path.read_text(encoding="utf-8")
    assert _outcome(text, tables._FastLoader) == _outcome(text, _PurePython)
    assert _events(text, tables._FastLoader) == _events(text, _PurePython)


def test_the_project_has_yaml_files_to_compare():
    assert len(FILES) >= 5 and any(p.name == "simsetting.yml" for p in FILES)


MALFORMED = [
    "a: 1\nb: [1, 2\nc: 3\n",
    "a: 1\n  b: 2\n",
    "a: b: c\n",
    "- a\nb: 1\n",
    "a: 'x\n",
    "a: *nope\n",
    "a: 1\n\tb: 2\n",
    "a: !!python/object:os.system x\n",
    "key: [\n",
    "a: @x\n",
    "a: 1\n...\nb: 2\n",
    "a: 1\n---\nb: 2\n",
    "? [a]\n: 1\n",
]
TYPED = "a: 0x1F\nb: 1_000\nc: .inf\nd: 2018-10-20\ne: yes\nf: ~\ng: 1e3\nh: 010\ni: &x [1, {j: 2}]\nk: *x\n"


@needs_libyaml
@pytest.mark.parametrize("text", [*MALFORMED, TYPED])
def test_malformed_yaml_fails_at_the_same_row_and_values_are_typed_the_same(text):
    c_parser, pure = _outcome(text, tables._FastLoader), _outcome(text, _PurePython)
    assert (c_parser[0], c_parser[-1]) == (pure[0], pure[-1])  # the value, or the error's row
    assert c_parser[0] == ("error" if text in MALFORMED else "value")


def test_a_bad_scenario_file_is_one_clear_error_with_its_row(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("name: x\nstart: 2018-10-12\n  days: 3\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        tables.read_yaml(bad)
    assert "invalid YAML" in str(caught.value) and caught.value.row == 3


# Text the two parsers treat differently (a BOM past the start, a lone surrogate from a
# command line's undecodable byte) and messages libyaml gives with less in them.
UNUSUAL = ["a: 1\n\ufeffb: 2\n", "\ufeffa: 1\n", "a: x\x01y\n", "a: [1, 2]\nb: *nope\n", "a: 1\n  b: 2\n", *MALFORMED]


@pytest.mark.parametrize("text", UNUSUAL)
def test_a_file_is_told_as_pyyamls_own_parser_tells_it(tmp_path, text):
    path = tmp_path / "f.yml"
    path.write_text(text, encoding="utf-8")
    try:
        expected = ("value", yaml.load(text, Loader=_PurePython))  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        expected = ("error", f"invalid YAML: {getattr(exc, 'problem', None) or 'invalid YAML'}", mark.line + 1 if mark else None)
    try:
        got = ("value", tables.read_yaml(path))
    except ScenarioError as exc:
        got = ("error", exc.message, exc.row)
    assert got == expected
    if "*nope" in text:
        assert "'nope'" in got[1]


def test_an_undecodable_byte_in_a_set_value_is_one_clear_error(tmp_path):
    """`--set $'name=\\xff'`: Python hands the byte over as a lone surrogate, which libyaml
    cannot encode; the value is read by the pure-Python parser, whose error is one line."""
    from typer.testing import CliRunner

    from caravana.cli import app

    with pytest.raises(yaml.YAMLError):
        tables.parse_yaml_value("\udcff")
    result = CliRunner().invoke(app, ["run", "corridor", "--days", "1", "--set", "name=\udcff", "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and result.stderr.startswith("error: --set") and "Traceback" not in result.output
    assert not (tmp_path / "o").exists()
