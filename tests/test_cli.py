"""The command line, end to end."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
from typer.testing import CliRunner

from caravana.cli import app

runner = CliRunner()


def test_run_builtin_writes_counts_metadata_and_flee_out(tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", "mali2012", "--days", "12", "--seed", "5", "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = pq.read_table(out / "counts.parquet")
    assert set(table.column_names) == {"day", "date", "place", "status", "count"}
    assert table.column("day").to_pylist()[-1] == 11
    meta = json.loads((out / "metadata.json").read_text())
    # The counts carry the run's manifest; the folder's adds its file list and completeness mark.
    assert meta.pop("complete") is True and "counts.parquet" in meta.pop("files")
    assert json.loads(table.schema.metadata[b"caravana"]) == meta
    assert meta["seed"] == 5 and meta["days"] == 12 and meta["wall_seconds"] > 0
    assert (out / "counts.csv").read_text().startswith('"day","date","place","status","count"')
    # The CSV holds the places' and statuses' names, as the Parquet's dictionaries decode them.
    first = (out / "counts.csv").read_text().splitlines()[1].split(",")
    assert first[2] == '"' + table.column("place").to_pylist()[0] + '"'
    assert first[3] == '"' + table.column("status").to_pylist()[0] + '"'
    assert (out / "out.csv").exists()
    assert "ARD" in result.output


def test_run_is_reproducible_from_its_seed(tmp_path):
    for name in ("a", "b"):
        assert runner.invoke(app, ["run", "burundi2015", "--days", "20", "--seed", "9", "--out", str(tmp_path / name)]).exit_code == 0
    assert (tmp_path / "a" / "counts.csv").read_bytes() == (tmp_path / "b" / "counts.csv").read_bytes()


def test_validate_prints_error_table():
    result = runner.invoke(app, ["validate", "mali2012", "--seeds", "2", "--days", "30"])
    assert result.exit_code == 0, result.output
    assert "mean ± sd" in result.output and "Fassala-Mbera" in result.output


def test_unknown_scenario_is_one_error_line(tmp_path):
    result = runner.invoke(app, ["run", "no-such-scenario", "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "error:" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o").exists()


def test_names_holding_emoji_codes_are_printed_as_they_are(capsys):
    """caravana writes no emoji codes: a place or path like ':fire:' is printed, not turned into 🔥."""
    from caravana.cli.common import console, err_console

    console.print("wrote /tmp/:fire:/counts.csv")
    err_console.print(":smile: place")
    captured = capsys.readouterr()
    assert "/tmp/:fire:/counts.csv" in captured.out and ":smile: place" in captured.err


def test_paths_holding_square_brackets_are_printed_as_they_are(tmp_path, flee_folder):
    """Rich reads "[x]" as markup and would print "/tmp/[x]/out" as "/tmp//out": the messages
    that carry a user's path or name print it literally."""
    out = tmp_path / "[x]" / "out"
    result = runner.invoke(app, ["run", "mali2012", "--days", "3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    printed = result.output.replace("\n", "")  # (a long path may be folded over lines)
    assert f"wrote{out / 'counts.parquet'}" in printed.replace("wrote ", "wrote")
    folder = flee_folder("burundi2015").rename(tmp_path / "[bold]burundi2015")  # markup a name could hold
    result = runner.invoke(app, ["flee", "check", str(folder)])
    assert result.exit_code == 0, result.output
    assert str(folder) in result.output.replace("\n", "")


def test_table_cells_holding_square_brackets_are_printed_as_they_are(capsys):
    """The consoles read no markup unless a call asks: a place or path in a table's cell too."""
    from rich.table import Table

    from caravana.cli.common import console

    table = Table(title="runs in /tmp/[x]")
    table.add_column("folder")
    table.add_row("/tmp/[x]/out")
    console.print(table)
    out = capsys.readouterr().out
    assert "/tmp/[x]/out" in out and "runs in /tmp/[x]" in out
