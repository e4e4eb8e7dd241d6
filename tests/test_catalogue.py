"""The results catalogue: register, list, show, export; two processes at once; bad input."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import caravana
from caravana import catalogue
from caravana.catalogue import store
from caravana.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def caravana_home(tmp_path, monkeypatch) -> Path:
    """Every test gets its own catalogue; ~/.caravana is never touched."""
    home = tmp_path / "caravana-home"
    monkeypatch.setenv(catalogue.HOME_ENV, str(home))
    return home


@pytest.fixture(scope="module")
def mali_run(tmp_path_factory) -> Path:
    """A short mali2012 run written by ``caravana run`` (it has observations, so out.csv too)."""
    out = tmp_path_factory.mktemp("mali") / "run"
    env_home = tmp_path_factory.mktemp("mali-home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(catalogue.HOME_ENV, str(env_home))
        result = runner.invoke(app, ["run", "mali2012", "--days", "12", "--seed", "4", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _run_id(output: str) -> str:
    for word in output.split():
        if len(word) == 8 and all(c in "0123456789abcdef" for c in word):
            return word
    raise AssertionError(f"no run id in {output!r}")


def test_caravana_run_registers_and_runs_show_lists_it(tmp_path, caravana_home, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")  # Rich folds long paths at 80 columns
    out = tmp_path / "run"
    result = runner.invoke(app, ["run", "mali2012", "--days", "5", "--seed", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    run_id = _run_id(result.output.split("catalogued as run")[1])
    assert (caravana_home / "catalogue.sqlite").is_file()

    record = catalogue.get_run(run_id)
    metadata = json.loads((out / "metadata.json").read_text())
    assert (record.kind, record.scenario, record.scenario_name, record.seed) == ("run", "mali2012", "mali2012", 2)
    assert record.path == out.resolve()
    assert record.wall_seconds == pytest.approx(metadata["wall_seconds"])
    assert record.caravana_version == metadata["caravana_version"]
    assert record.metadata == {"flee_rules": "3.1"}

    listed = runner.invoke(app, ["runs", "list"])
    assert listed.exit_code == 0 and run_id in listed.output and "mali2012" in listed.output
    shown = runner.invoke(app, ["runs", "show", run_id[:5]])
    assert shown.exit_code == 0
    for text in (run_id, str(out.resolve()), "counts.parquet", "metadata.json", "out.csv"):
        assert text in shown.output


def test_register_reads_defaults_from_the_folder_and_filters(tmp_path, mali_run):
    scenario_file = tmp_path / "my.yml"
    scenario_file.write_text("name: x\n")
    first = catalogue.register("run", "mali2012", mali_run)
    second = catalogue.register(
        "ensemble",
        str(scenario_file),
        tmp_path,
        seed=7,
        parameters={"settings.movement.awareness_level": 2},
        metadata={"members": 3},
    )
    third = catalogue.register("calibration", "corridor", tmp_path)

    ens = catalogue.get_run(second)
    assert ens.scenario == str(scenario_file.resolve())  # paths are stored absolute
    assert ens.seed == 7 and ens.parameters == {"settings.movement.awareness_level": 2}
    assert ens.metadata == {"members": 3} and ens.wall_seconds is None
    assert catalogue.get_run(first).seed == 4  # from metadata.json

    assert [r.id for r in catalogue.list_runs()] == [third, second, first]  # newest first
    assert [r.id for r in catalogue.list_runs(kind="ensemble")] == [second]
    assert [r.id for r in catalogue.list_runs(scenario="mali2012")] == [first]
    assert [r.id for r in catalogue.list_runs(scenario=str(scenario_file))] == [second]
    assert [r.id for r in catalogue.list_runs(limit=1)] == [third]
    listed = runner.invoke(app, ["runs", "list", "--kind", "calibration"])
    assert third in listed.output and first not in listed.output


def test_id_prefixes_and_unknown_ids(tmp_path, monkeypatch):
    ids = iter(["abcd0001", "abcd0001", "abcd0002"])  # the second is a clash: a new id is drawn
    monkeypatch.setattr("caravana.catalogue.records.secrets.token_hex", lambda n: next(ids))
    assert catalogue.register("run", "corridor", tmp_path) == "abcd0001"
    assert catalogue.register("run", "corridor", tmp_path) == "abcd0002"
    assert catalogue.get_run("abcd0002").id == "abcd0002"
    with pytest.raises(catalogue.CatalogueError, match="ambiguous"):
        catalogue.get_run("abcd")
    with pytest.raises(catalogue.CatalogueError, match="no run with id 'ffff'"):
        catalogue.get_run("ffff")
    with pytest.raises(ValueError):
        catalogue.register("Not A Kind", "corridor", tmp_path)


REGISTER_MANY = textwrap.dedent("""
    import sys
    from pathlib import Path
    from caravana import catalogue
    name, n = sys.argv[1], int(sys.argv[2])
    print("ready", flush=True)
    sys.stdin.readline()  # both processes start registering together
    for i in range(n):
        print(catalogue.register("run", "corridor", Path("."), seed=i, metadata={"writer": name, "i": i}), flush=True)
""")


def test_eight_processes_registering_at_once_lose_nothing(caravana_home):
    """Issue 15: with DuckDB, 4 writers lost 2 of 2,150 rows. Every id returned must be there."""
    n, writers = 25, "ABCDEFGH"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", REGISTER_MANY, name, str(n)],
            env=os.environ.copy(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in writers
    ]
    assert [p.stdout.readline().strip() for p in procs] == ["ready"] * len(writers)
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    returned = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        returned += out.split()
    records = catalogue.list_runs()
    assert len(returned) == len(writers) * n == len({r.id for r in records})
    assert {r.id for r in records} == set(returned)
    assert sorted((r.metadata["writer"], r.metadata["i"]) for r in records) == sorted(
        (w, i) for w in writers for i in range(n)
    )


HOLD_LOCK = textwrap.dedent("""
    import sqlite3, sys, time
    from pathlib import Path
    con = sqlite3.connect(sys.argv[1], isolation_level=None)
    con.execute("BEGIN IMMEDIATE")  # another writer's transaction, open for a while
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
    Path(sys.argv[3]).touch()  # "about to let go"
    con.execute("COMMIT")
    con.close()
""")


def _hold_lock(path: Path, seconds: float, marker: Path) -> subprocess.Popen:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(path), str(seconds), str(marker)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_register_waits_for_another_process_holding_the_file(tmp_path, caravana_home):
    catalogue.register("run", "corridor", tmp_path)
    marker = tmp_path / "letting-go"
    holder = _hold_lock(caravana_home / "catalogue.sqlite", 1.0, marker)
    run_id = catalogue.register("run", "corridor", tmp_path)  # retries until the holder lets go
    assert marker.exists()  # so it waited for the holder rather than writing beside it
    holder.wait()
    assert catalogue.get_run(run_id).id == run_id


def test_a_lock_held_too_long_is_a_clear_error(tmp_path, caravana_home, monkeypatch):
    catalogue.register("run", "corridor", tmp_path)
    monkeypatch.setattr(store, "LOCK_TIMEOUT_S", 0.3)
    holder = _hold_lock(caravana_home / "catalogue.sqlite", 3.0, tmp_path / "letting-go")
    try:
        assert catalogue.list_runs()  # WAL: readers do not wait for a writer
        with pytest.raises(catalogue.CatalogueError, match="locked by another process"):
            catalogue.register("run", "corridor", tmp_path)
    finally:
        holder.kill()
        holder.wait()


def test_missing_and_unreadable_catalogues_are_one_error_line(caravana_home):
    result = runner.invoke(app, ["runs", "list"])
    assert result.exit_code == 2
    expected = (
        f"error: no catalogue at {caravana_home / 'catalogue.sqlite'}: no run has been registered yet "
        "(set CARAVANA_HOME to use another folder)"
    )
    assert result.output.strip().splitlines() == [expected]
    caravana_home.mkdir()
    (caravana_home / "catalogue.sqlite").write_bytes(b"not a database" * 1000)
    result = runner.invoke(app, ["runs", "show", "abcd"])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert "cannot open the catalogue" in result.output and "not a database" in result.output
    with pytest.raises(catalogue.CatalogueError, match="cannot open"):
        catalogue.register("run", "corridor", caravana_home)


def test_a_foreign_sqlite_file_is_not_taken_for_a_catalogue(caravana_home, tmp_path):
    caravana_home.mkdir()
    with closing(sqlite3.connect(caravana_home / "catalogue.sqlite")) as con, con:
        con.execute("CREATE TABLE theirs (x INTEGER)")
    with pytest.raises(catalogue.CatalogueError, match="not a caravana catalogue"):
        catalogue.list_runs()
    with pytest.raises(catalogue.CatalogueError, match="not a caravana catalogue"):
        catalogue.register("run", "corridor", tmp_path)
    with closing(sqlite3.connect(caravana_home / "catalogue.sqlite")) as con:
        assert [t for (t,) in con.execute("SELECT name FROM sqlite_master").fetchall()] == ["theirs"]


def test_export_csv_parquet_and_flee_read_back(tmp_path, mali_run):
    run_id = catalogue.register("run", "mali2012", mali_run, metadata={"flee_rules": "3.1"})
    counts = pq.read_table(mali_run / "counts.parquet")

    as_csv = tmp_path / "x" / "counts.csv"
    result = runner.invoke(app, ["runs", "export", run_id, "--format", "csv", "--out", str(as_csv)])
    assert result.exit_code == 0, result.output
    back = pacsv.read_csv(as_csv)
    assert back.column_names == ["day", "date", "place", "status", "count"]
    assert back.num_rows == counts.num_rows and back["count"].to_pylist() == counts["count"].to_pylist()

    as_parquet = tmp_path / "counts.parquet"
    assert (
        runner.invoke(app, ["runs", "export", run_id, "--format", "parquet", "--out", str(as_parquet)]).exit_code == 0
    )
    assert pq.read_table(as_parquet).equals(counts)
    assert pq.read_schema(as_parquet).metadata == counts.schema.metadata  # the run's metadata travels along

    flee_out = tmp_path / "flee"
    flee_out.mkdir()  # an existing folder: out.csv goes in it
    result = runner.invoke(app, ["runs", "export", run_id, "--format", "flee", "--out", str(flee_out)])
    assert result.exit_code == 0, result.output
    text = (flee_out / "out.csv").read_text()
    header = text.splitlines()[0].split(",")
    assert header[:2] == ["Day", "Date"] and header[2].endswith(" sim") and header[-1] == "refugee_debt"
    assert len(text.splitlines()) == 1 + 12
    # Rebuilt from the catalogue and counts.parquet, it equals what the run itself wrote.
    assert text == (mali_run / "out.csv").read_text()


def test_export_of_a_caravan_table_and_of_an_ensemble(tmp_path):
    from .test_report import make_corridor_run, make_ensemble

    run_dir = make_corridor_run(tmp_path / "run")
    ens_dir = make_ensemble(tmp_path / "ens")
    run_id = catalogue.register("run", "corridor", run_dir)
    ens_id = catalogue.register("ensemble", "corridor", ens_dir)

    out = catalogue.export_run(catalogue.get_run(run_id), "csv", tmp_path / "c.csv", table="caravans")
    assert "head_km" in pacsv.read_csv(out).column_names
    out = catalogue.export_run(catalogue.get_run(ens_id), "parquet", tmp_path / "q.parquet")
    assert pq.read_schema(out).names[:4] == ["day", "date", "place", "status"]
    with pytest.raises(catalogue.CatalogueError, match="single run"):
        catalogue.export_run(catalogue.get_run(ens_id), "flee", tmp_path / "o.csv")
    with pytest.raises(catalogue.CatalogueError, match="no observed camp counts"):
        catalogue.export_run(catalogue.get_run(run_id), "flee", tmp_path / "o.csv")
    assert not (tmp_path / "o.csv").exists()


def test_export_errors_write_nothing(tmp_path, mali_run, tree_snapshot):
    run_id = catalogue.register("run", "mali2012", mali_run)
    gone_id = catalogue.register("run", "mali2012", tmp_path / "deleted")
    target = tmp_path / "out"
    target.mkdir()
    (tmp_path / "a-file").write_text("not a folder")
    before = tree_snapshot(target)
    cases = [
        (["runs", "export", "12345678", "--format", "csv", "--out", str(target / "a.csv")], "no run with id"),
        (
            ["runs", "export", run_id, "--format", "csv", "--table", "nope", "--out", str(target / "a.csv")],
            "no table 'nope'",
        ),
        (["runs", "export", gone_id, "--format", "csv", "--out", str(target / "a.csv")], "no longer exists"),
        (["runs", "export", run_id, "--format", "xls", "--out", str(target / "a.csv")], "xls"),
        (["runs", "export", run_id, "--format", "flee", "--table", "counts", "--out", str(target)], "cannot be chosen"),
        (["runs", "show", "not-an-id"], "is not a run id"),
        (["runs", "export", run_id, "--format", "csv", "--out", str(tmp_path / "a-file" / "x.csv")], "cannot write"),
    ]
    for args, message in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output, (args, result.output)
        if "xls" not in args:  # Typer's own usage error for a bad choice is a few lines
            assert len(result.output.strip().splitlines()) == 1, result.output
    assert tree_snapshot(target) == before


def test_results_folders_carry_their_format_version_and_world(tmp_path):
    """A run folder names its format version and holds its world; a folder of an older
    format (no version, as caravana 0.1 wrote) is refused with a message naming both versions."""
    from caravana.results.format import FORMAT_VERSION
    from caravana.results.io import write_results

    out = tmp_path / "run"
    write_results(caravana.run("corridor", seed=1, days=5), out)
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["format_version"] == FORMAT_VERSION and meta["format"] == "caravana-run"
    world = json.loads((out / "world.json").read_text())
    assert "october-2018" in world["itineraries"] and len(world["places"]) == len(
        caravana.load_scenario("corridor").locations)
    folder = catalogue.open_results(out)
    assert folder.metadata["seed"] == 1 and folder.world == world
    del meta["format_version"]
    (out / "metadata.json").write_text(json.dumps(meta))
    with pytest.raises(catalogue.FolderError, match=rf"format version 1 .*older.*reads version {FORMAT_VERSION}"):
        _ = catalogue.open_results(out).metadata
    # Version 2 (needs and caravans not yet declared arrays): refused the same way, not read half.
    (out / "metadata.json").write_text(json.dumps({**meta, "format_version": 2}))
    with pytest.raises(catalogue.FolderError, match=rf"format version 2 .*older.*reads version {FORMAT_VERSION}"):
        _ = catalogue.open_results(out).metadata


def test_runs_query_is_sql_over_every_catalogued_runs_parquet(tmp_path, mali_run):
    first = catalogue.register("run", "mali2012", mali_run)
    other = tmp_path / "corridor"
    from caravana.results.io import write_results

    write_results(caravana.run("corridor", seed=3, days=4), other)
    second = catalogue.register("run", "corridor", other)
    result = runner.invoke(app, ["runs", "query", "SELECT run_id, count(*) AS n, max(day) AS last FROM counts "
                                 "GROUP BY run_id ORDER BY last"])
    assert result.exit_code == 0, result.output
    cells = [line.replace("│", " ").split() for line in result.output.splitlines()]
    rows = [c for c in cells if c and c[0] in (first, second)]
    assert [r[0] for r in rows] == [second, first]
    assert rows[0][-1] == "3" and rows[1][-1] == "11"  # 4 and 12 days
    bad = runner.invoke(app, ["runs", "query", "SELECT nothing FROM nowhere"])
    assert bad.exit_code == 2 and bad.output.startswith("error: query failed")


def test_runs_list_keeps_short_words_whole_at_80_columns(tmp_path, monkeypatch):
    """An 80-column terminal (a laptop's default) showed "corrido/r" and "ensembl/e" (session 20)."""
    monkeypatch.setenv("COLUMNS", "80")
    folder = tmp_path / "a-rather-long-folder-name-for-the-results-of-this-run" / "corrida"
    catalogue.register("ensemble", "corridor", folder, seed=1)
    out = runner.invoke(app, ["runs", "list", "--lang", "es"])
    assert out.exit_code == 0, out.output
    assert "conjunto" in out.output and "corridor" in out.output, out.output  # the kind whole (in Spanish since s23)
    assert max(len(line) for line in out.output.splitlines()) <= 80
    # ... and the headings and the folder are legible: "s reales" and "carpeta" were one letter a line, the
    # folder 1 character wide (session 20's walk, H2)
    words = out.output.replace("┃", " ").replace("│", " ").split()
    assert "reales" in words and "carpeta" in words, out.output
    assert str(folder)[:10] in out.output, out.output


def test_runs_list_shows_a_folder_under_the_current_one_from_here(tmp_path, monkeypatch):
    """At 80 columns the folder column is 10 characters: a whole path folded into "/tmp/s22us", "ers/walk/c",
    "orrida" (session 22's walk); a folder under the current one is written from here, whole."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.chdir(tmp_path)
    catalogue.register("run", "corridor", tmp_path / "corrida", seed=0)
    elsewhere = tmp_path.parent / "somewhere-else" / "pronostico"
    catalogue.register("ensemble", "corridor", elsewhere, seed=1)
    out = runner.invoke(app, ["runs", "list", "--lang", "es"])
    assert out.exit_code == 0, out.output
    rows = [line for line in out.output.splitlines() if line.startswith("│")]
    assert any(row.split("│")[-2].strip() == "corrida" for row in rows), out.output
    assert str(elsewhere)[:10] in out.output  # a folder elsewhere keeps its whole path
    kinds = [row.split("│")[2].strip() for row in rows if row.split("│")[1].strip()]
    assert sorted(kinds) == ["conjunto", "corrida"], out.output  # the kind in Spanish, not "run", "ensemble"
    # when each was made: the day as the rest of the output writes dates ("28 nov" over "2026 15:48"), not ISO,
    # no wider than the ISO date was (the folder keeps its room: "pronostico" whole)
    created = catalogue.get_run(catalogue.list_runs()[0].id).created
    day = f"{created.day} {('ene feb mar abr may jun jul ago sep oct nov dic').split()[created.month - 1]}"
    assert any(row.split("│")[5].strip() == day for row in rows), out.output
    assert f"{created.year} {created:%H:%M}" in out.output and f"{created:%Y-%m-%d}" not in out.output
    shown = runner.invoke(app, ["runs", "show", catalogue.list_runs()[0].id, "--lang", "es"]).output
    assert f"{day} {created.year} {created:%H:%M:%S} UTC" in shown and "metadatos" in shown, shown
