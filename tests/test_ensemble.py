"""Ensembles: identical results whatever the backend and workers, surviving worker deaths,
the on-disk layout (DuckDB-queryable, complete flag last), and the CLI's bad input."""

from __future__ import annotations

import functools
import json
import os
import sys
import types
from pathlib import Path

import duckdb
import numpy as np
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import caravana
from caravana.cli import app
from caravana.ensemble import get_backend, member_seeds, run_ensemble
from caravana.ensemble.backends import DaskBackend, ProcessBackend
from caravana.ensemble.members import MemberTask, run_member
from caravana.errors import CaravanaError

MEMBERS, DAYS, ROOT = 5, 20, 11
runner = CliRunner()


@pytest.fixture(scope="module")
def corridor():
    return caravana.load_scenario("corridor")


@pytest.fixture(scope="module")
def reference(corridor, tmp_path_factory):
    """The ensemble run in this process, written to disk: what every backend must match."""
    out = tmp_path_factory.mktemp("ensemble") / "out"
    return run_ensemble(corridor, MEMBERS, ROOT, days=DAYS, backend="inprocess", out_dir=out), out


@pytest.fixture(scope="module")
def dask_cluster():
    """One Dask LocalCluster of 2 worker processes for the module (starting one takes seconds)."""
    with get_backend("dask", workers=2) as backend:
        yield backend


@pytest.fixture(autouse=True)
def caravana_home(tmp_path, monkeypatch):
    monkeypatch.setenv("CARAVANA_HOME", str(tmp_path / "caravana-home"))  # the CLI catalogues its runs


def assert_identical(a, b) -> None:
    assert a.member_seeds == b.member_seeds
    assert np.array_equal(a.counts, b.counts)
    for name in ("quantiles", "outcomes", "outcome_quantiles", "events"):
        assert getattr(a, name).equals(getattr(b, name)), name
    assert a.arrays.keys() == b.arrays.keys() and {"needs", "caravans"} <= a.arrays.keys()
    for name, (entry, table) in a.arrays.items():  # by value, NaN (a caravan not formed yet) equal to NaN
        assert entry == b.arrays[name][0] and table.to_pandas().equals(b.arrays[name][1].to_pandas()), name


# ------------------------------------------------------------------ the same numbers everywhere


def test_one_and_two_worker_processes_give_identical_quantiles(corridor, reference):
    ref, _ = reference
    for workers in (1, 2):
        with get_backend("processes", workers=workers) as backend:
            assert_identical(run_ensemble(corridor, MEMBERS, ROOT, days=DAYS, backend=backend), ref)


def test_dask_local_cluster_gives_identical_quantiles(corridor, reference, dask_cluster):
    assert dask_cluster.workers == 2
    result = run_ensemble(corridor, MEMBERS, ROOT, days=DAYS, backend=dask_cluster)
    assert result.metadata["backend"] == {"kind": "dask", "workers": 2, "scheduler": "LocalCluster"}
    assert_identical(result, reference[0])


def test_members_differ_and_each_is_the_single_run_with_its_seed(corridor, reference):
    ref, _ = reference
    assert len(set(ref.member_seeds)) == MEMBERS
    assert len({ref.counts[i].tobytes() for i in range(MEMBERS)}) == MEMBERS
    alone = caravana.run(corridor, seed=ref.member_seeds[3], days=DAYS)
    assert np.array_equal(alone.counts, ref.counts[3])
    # Member i's seed depends on the root seed and i only.
    assert member_seeds(ROOT, 2) == ref.member_seeds[:2]
    assert member_seeds(ROOT + 1, 2) != ref.member_seeds[:2]


# ------------------------------------------------------------------ worker deaths


def crash_once(fn, marker: str, victim_seed: int, task):
    """Kill the worker process the first time it is given the victim's task."""
    if task.seed == victim_seed and not os.path.exists(marker):
        Path(marker).touch()
        os._exit(1)
    return fn(task)


def always_crash(item):
    os._exit(1)


class CrashingProcesses(ProcessBackend):
    def __init__(self, marker: Path, victim_seed: int) -> None:
        super().__init__(2)
        self.crash = (str(marker), victim_seed)

    def imap(self, fn, items, progress=None):
        return super().imap(functools.partial(crash_once, fn, *self.crash), items, progress)


class CrashingDask(DaskBackend):
    def __init__(self, marker: Path, victim_seed: int, cluster: DaskBackend) -> None:
        super().__init__(scheduler=cluster.client.scheduler.address)  # a client of the module's cluster
        self.crash = (str(marker), victim_seed)

    def imap(self, fn, items, progress=None):
        return super().imap(functools.partial(crash_once, fn, *self.crash), items, progress)


@pytest.mark.parametrize("kind", ["processes", "dask"])
def test_a_worker_killed_mid_ensemble_is_rerun_and_the_result_is_identical(
    corridor, reference, tmp_path, kind, dask_cluster
):
    ref, _ = reference
    marker = tmp_path / "crashed"
    done = []
    victim = ref.member_seeds[3]
    crashing = CrashingProcesses(marker, victim) if kind == "processes" else CrashingDask(marker, victim, dask_cluster)
    with crashing as backend:
        result = run_ensemble(
            corridor, MEMBERS, ROOT, days=DAYS, backend=backend, progress=lambda n, total: done.append((n, total))
        )
        if isinstance(backend, ProcessBackend):
            assert backend.restarts == 1
    assert marker.exists()  # a worker really died
    assert done[-1] == (MEMBERS, MEMBERS) and [n for n, _ in done] == list(range(1, MEMBERS + 1))
    assert_identical(result, ref)


def test_a_task_that_always_kills_its_worker_fails_the_run_and_writes_nothing(corridor, tmp_path):
    backend = ProcessBackend(2, max_restarts=1)
    with backend, pytest.raises(CaravanaError, match="incomplete"):
        backend.map(always_crash, range(3))

    class Doomed(ProcessBackend):
        def imap(self, fn, items, progress=None):
            return super().imap(always_crash, items, progress)

    with Doomed(1, max_restarts=0) as doomed, pytest.raises(CaravanaError, match="incomplete"):
        run_ensemble(corridor, 2, ROOT, days=3, backend=doomed, out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_main_script_read_from_stdin_is_refused_before_workers_start(monkeypatch):
    main = types.ModuleType("__main__")
    main.__file__, main.__spec__ = "<stdin>", None  # what `python - < script.py` leaves
    monkeypatch.setitem(sys.modules, "__main__", main)
    with get_backend("processes", workers=1) as backend, pytest.raises(CaravanaError, match="stdin"):
        backend.map(abs, [-1])


def test_an_error_in_a_task_reaches_the_caller(corridor):
    with get_backend("processes", workers=2) as backend, pytest.raises(CaravanaError, match="a run lasts 1 to"):
        backend.map(run_member, [MemberTask(corridor, seed=1, days=0)])


# ------------------------------------------------------------------ results on disk


def test_files_and_complete_flag(reference):
    ref, out = reference
    meta = json.loads((out / "ensemble.json").read_text())
    assert meta["complete"] is True
    assert (meta["members"], meta["root_seed"], meta["days"], meta["scenario"]) == (MEMBERS, ROOT, DAYS, "corridor")
    assert meta["member_seeds"] == ref.member_seeds
    for name in meta["files"]:
        assert (out / name).exists()
    assert pq.read_table(out / "quantiles.parquet").equals(ref.quantiles)
    assert sorted(p.name for p in (out / "members").iterdir()) == [f"member={i:04d}" for i in range(MEMBERS)]
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary files left


def test_duckdb_reads_the_members_dataset_and_recomputes_the_quantiles(reference):
    ref, out = reference
    members = f"read_parquet('{out}/members/*/*.parquet', hive_partitioning=true, hive_types={{'member': INTEGER}})"
    people = duckdb.sql(
        f"SELECT member, sum(count) FROM {members} WHERE day = {DAYS - 1} GROUP BY member ORDER BY member"
    ).fetchall()
    assert people == [(i, int(ref.counts[i, -1].sum())) for i in range(MEMBERS)]
    # P25 and P95 of one place/status/day over members, by DuckDB (members without a row count 0).
    rows = duckdb.sql(
        f"""WITH m AS (SELECT range AS member FROM range({MEMBERS})),
                 c AS (SELECT member, count FROM {members} WHERE day = 10 AND place = 'Tapachula' AND status = 'resting')
            SELECT quantile_cont(coalesce(c.count, 0), 0.25), quantile_cont(coalesce(c.count, 0), 0.95)
            FROM m LEFT JOIN c USING (member)"""
    ).fetchall()[0]
    q = ref.quantiles.filter(
        (ref.quantiles["day"].to_numpy() == 10)
        & (np.array(ref.quantiles["place"].to_pylist()) == "Tapachula")
        & (np.array(ref.quantiles["status"].to_pylist()) == "resting")
    ).to_pylist()
    assert len(q) == 1 and q[0]["p95"] > 0
    assert (q[0]["p25"], q[0]["p95"]) == pytest.approx(rows)


def test_rewriting_a_folder_with_fewer_members_leaves_no_stale_member(corridor, tmp_path):
    out = tmp_path / "out"
    run_ensemble(corridor, 3, 1, days=2, backend="inprocess", out_dir=out)
    run_ensemble(corridor, 2, 1, days=2, backend="inprocess", out_dir=out)
    assert sorted(p.name for p in (out / "members").iterdir()) == ["member=0000", "member=0001"]
    assert json.loads((out / "ensemble.json").read_text())["members"] == 2


# ------------------------------------------------------------------ outcomes


def test_outcomes_arrival_days_follow_the_itinerary_and_totals_add_up(reference):
    ref, _ = reference
    rows = ref.outcomes.to_pylist()
    first = "october-2018"  # the scenario's first caravan; the later ones start from day 9 on
    for member in range(MEMBERS):
        arrivals = [r["value"] for r in rows
                    if r["member"] == member and r["outcome"] == "arrival_day" and r["caravan"] == first]
        reached = [d for d in arrivals if d is not None]
        assert reached == sorted(reached) and len(reached) >= 5  # in itinerary order
        assert all(d is None for d in arrivals[len(reached) :])  # never reached: only at the end
        finals = sum(r["value"] for r in rows if r["member"] == member and r["outcome"] == "final_count")
        assert finals == ref.spawned[member, -1]
    summary = {(r["outcome"], r["place"] or r["status"]): r for r in ref.outcome_quantiles.to_pylist()
               if r["caravan"] in (first, None)}
    tapachula = summary[("arrival_day", "Tapachula")]
    assert tapachula["reached"] == 1.0 and tapachula["p5"] <= tapachula["p50"] <= tapachula["p95"]


def ref_scenario_caravans():
    return caravana.load_scenario("corridor").corridor.caravans


def test_needs_and_caravans_are_kept_as_declared(reference):
    """Needs, the caravan log, origins and arrivals: each as its behaviour declares it."""
    ref, _ = reference
    assert {"needs", "caravans", "caravan_origins", "caravan_arrivals"} <= set(ref.arrays)
    assert all(entry["combine"] == "quantiles" for name, (entry, _) in ref.arrays.items()
               if name in ("needs", "caravans", "caravan_origins", "caravan_arrivals"))
    rows = ref.arrays["caravans"][1].to_pylist()
    centre = [r for r in rows if r["quantity"] == "centre_km" and r["caravan"] == "october-2018"]
    assert len(centre) == DAYS
    assert {r["caravan"] for r in rows} == {c.name for c in ref_scenario_caravans()}
    assert all(r["p5"] <= r["p50"] <= r["p95"] for r in centre if not np.isnan(r["p50"]))
    assert not np.isnan(centre[-1]["p50"])
    needs = ref.arrays["needs"][1]
    water = needs.filter(np.array(needs["quantity"].to_pylist()) == "water_l")
    assert water.num_rows > 0 and min(water["p95"].to_pylist()) >= 0 and max(water["p95"].to_pylist()) > 0
    arrivals = ref.arrays["caravan_arrivals"][1]
    assert arrivals.num_rows > 0 and np.nansum(arrivals["mean"].to_numpy()) > 0


def test_flee_scenario_arrival_is_first_day_anyone_is_there():
    result = run_ensemble("mali2012", 2, 0, days=15, backend="inprocess")
    rows = [r for r in result.outcomes.to_pylist() if r["outcome"] == "arrival_day" and r["member"] == 1]
    assert [r["place"] for r in rows] == list(result.places) and not any(r["caravan"] for r in rows)
    present = result.counts[1].sum(axis=2) > 0  # (days, places)
    expected = [int(np.argmax(present[:, p])) if present[:, p].any() else None for p in range(len(result.places))]
    assert [r["value"] for r in rows] == expected
    assert None in expected and 0 in expected and any(d not in (None, 0) for d in expected)


# ------------------------------------------------------------------ the command line


def test_cli_runs_an_ensemble_with_overrides(tmp_path):
    out = tmp_path / "ens"
    result = runner.invoke(
        app,
        [
            "ensemble",
            "corridor",
            "--members",
            "3",
            "--seed",
            "4",
            "--days",
            "12",
            "--backend",
            "inprocess",
            "--set",
            "corridor.caravans[0].pace_km=35",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    meta = json.loads((out / "ensemble.json").read_text())
    assert meta["overrides"] == {"corridor.caravans[0].pace_km": 35} and meta["complete"]
    assert "Tecún Umán" in result.output and "P5 – P95" in result.output and "catalogued as ensemble" in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["--members", "0"], "--members must be at least 1"),
        (["--set", "corridor.caravans[0].no_such_field=3"], "no_such_field"),
        (["--set", "corridor.caravans[0].pace_km"], "expected path=value"),
        (["--workers", "0"], "--workers must be at least 1"),
        (["--seed", "-3"], "--seed must be 0 or more"),
        (["--backend", "processes", "--scheduler", "tcp://127.0.0.1:1"], "needs the dask backend"),
    ],
)
def test_cli_bad_input_is_one_error_line_and_writes_nothing(tmp_path, args, message):
    out = tmp_path / "ens"
    result = runner.invoke(app, ["ensemble", "corridor", "--days", "3", "--out", str(out), *args])
    assert result.exit_code == 2
    assert result.output.startswith("error:") and message in result.output
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert not out.exists() and not (tmp_path / "caravana-home").exists()


def test_cli_refuses_a_folder_holding_other_files_in_members(tmp_path, tree_snapshot):
    out = tmp_path / "ens"
    (out / "members").mkdir(parents=True)
    (out / "members" / "notes.txt").write_text("mine")
    before = tree_snapshot(tmp_path)
    result = runner.invoke(app, ["ensemble", "corridor", "--members", "2", "--days", "2", "--out", str(out)])
    assert result.exit_code == 2 and "not ensemble members" in result.output
    assert tree_snapshot(tmp_path) == before
