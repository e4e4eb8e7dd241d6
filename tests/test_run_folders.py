"""A run folder holds one run, whole: written into a staging folder and swapped in, its
manifest (with ``"complete": true``) last; readers refuse anything else.

The kill tests run ``caravana run`` in a child process that SIGKILLs itself at a chosen
point of the write (after the k-th table, before the manifest, between the two renames of
the swap), over a folder holding an earlier complete run of another seed: afterwards the
folder is the earlier run, whole, or (between the renames) absent with the next write
restoring order; never a mix of the two.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from caravana import catalogue
from caravana.cli import app

from .conftest import snapshot


def run(*args: str):
    return CliRunner().invoke(app, ["run", *map(str, args)])


def manifest(folder: Path) -> dict:
    return json.loads((folder / "metadata.json").read_text())


def assert_one_whole_run(folder: Path, seed: int) -> None:
    """The folder is one complete run of ``seed``: every file listed, nothing else, the
    counts' own metadata agreeing with the manifest."""
    meta = manifest(folder)
    assert meta["complete"] is True and meta["seed"] == seed
    listed = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    assert listed == sorted([*meta["files"], "metadata.json"])  # declared arrays sit in arrays/
    counts_meta = json.loads(pq.read_schema(folder / "counts.parquet").metadata[b"caravana"])
    assert counts_meta["seed"] == seed and counts_meta["scenario"] == meta["scenario"]
    catalogue.open_results(folder)  # the shared reader accepts it


def test_a_reused_out_folder_keeps_nothing_of_the_earlier_run(tmp_path):
    """corridor then mali2012 into one folder used to leave the corridor's caravans,
    needs and events beside mali's counts (and a 'mali2012' report drew Tapachula)."""
    out = tmp_path / "X"
    assert run("corridor", "--days", "3", "--out", out).exit_code == 0
    assert (out / "caravans.parquet").exists() and (out / "needs.parquet").exists()
    result = run("mali2012", "--days", "3", "--out", out)
    assert result.exit_code == 0, result.output
    assert_one_whole_run(out, seed=0)
    assert manifest(out)["scenario"] == "mali2012"
    for stale in ("caravans", "needs", "events"):
        assert not (out / f"{stale}.parquet").exists() and not (out / f"{stale}.csv").exists()


def test_an_out_folder_holding_other_files_is_refused_before_the_run(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("mine\n")
    before = snapshot(tmp_path)
    result = run("corridor", "--days", "3", "--out", out)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and "not a caravana run" in result.stderr
    assert snapshot(tmp_path) == before


def test_a_run_folder_without_its_completeness_mark_is_refused(tmp_path):
    out = tmp_path / "X"
    assert run("corridor", "--days", "3", "--out", out).exit_code == 0
    meta = manifest(out)
    del meta["complete"]
    (out / "metadata.json").write_text(json.dumps(meta))
    with pytest.raises(catalogue.FolderError, match="not complete"):
        catalogue.open_results(out)
    report = CliRunner().invoke(app, ["report", str(out), "--out", str(tmp_path / "r.html")])
    assert report.exit_code == 2 and "not complete" in report.stderr


KILL_AT = textwrap.dedent("""
    import os, signal, sys
    import caravana.results.io as io
    from caravana.cli import app
    point, out = sys.argv[1], sys.argv[2]
    kill = lambda: os.kill(os.getpid(), signal.SIGKILL)
    calls = {"n": 0}
    if point.startswith("table"):
        k, real = int(point[5:]), io.write_table
        def write_table(*args, **kwargs):
            if calls["n"] == k:
                kill()
            calls["n"] += 1
            return real(*args, **kwargs)
        io.write_table = write_table
    elif point == "manifest":
        real_text = io.atomic_write_text
        def atomic_write_text(path, text):
            if path.name == "metadata.json":
                kill()
            return real_text(path, text)
        io.atomic_write_text = atomic_write_text
    elif point == "swap":
        real_replace = os.replace
        def replace(src, dst):
            if ".tmp-" in str(src) and os.path.basename(str(dst)) == os.path.basename(out):
                kill()  # the old folder is moved aside, the new one not yet in
            return real_replace(src, dst)
        io.os.replace = replace
    app(["run", "corridor", "--days", "3", "--seed", "2", "--out", out])
""")


def kill_while_writing(tmp_path: Path, point: str) -> Path:
    out = tmp_path / "X"
    assert run("corridor", "--days", "3", "--seed", "1", "--out", out).exit_code == 0
    child = subprocess.run([sys.executable, "-c", KILL_AT, point, str(out)], capture_output=True, text=True,
                           timeout=300, env={**os.environ})
    assert child.returncode == -9, child.stderr[-2000:]
    return out


DEFAULT_POINTS = ["table3", "manifest"]
ALL_POINTS = [f"table{k}" for k in range(5)] + ["manifest"]


def check_after_kill(tmp_path, point):
    out = kill_while_writing(tmp_path, point)
    assert_one_whole_run(out, seed=1)  # the earlier run, untouched
    # The next run clears what the killed one left and writes a whole folder.
    assert run("corridor", "--days", "3", "--seed", "3", "--out", out).exit_code == 0
    assert_one_whole_run(out, seed=3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["X"]


@pytest.mark.parametrize("point", DEFAULT_POINTS)
def test_a_run_killed_while_writing_leaves_the_earlier_run_whole(tmp_path, point):
    check_after_kill(tmp_path, point)


@pytest.mark.slow
@pytest.mark.parametrize("point", sorted(set(ALL_POINTS) - set(DEFAULT_POINTS)))
def test_a_run_killed_at_every_table_leaves_the_earlier_run_whole(tmp_path, point):
    check_after_kill(tmp_path, point)


def test_a_run_killed_in_the_middle_of_the_swap_is_refused_then_restored(tmp_path):
    out = kill_while_writing(tmp_path, "swap")
    assert not out.exists()  # between the renames: no folder, never a mixed one
    with pytest.raises(catalogue.FolderError, match="no such folder"):
        catalogue.open_results(out)
    assert run("corridor", "--days", "3", "--seed", "3", "--out", out).exit_code == 0
    assert_one_whole_run(out, seed=3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["X"]
