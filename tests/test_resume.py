"""Checkpoint and resume: a run stopped at any day and resumed equals the unbroken run,
person for person; an ensemble killed by PID mid-run and resumed re-runs only its
unfinished members and equals the unbroken ensemble."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

import caravana
from caravana.checkpoint import load_pickle, save_pickle
from caravana.ensemble import run_ensemble
from caravana.model import simulation

DAYS = 20


def same_table(a, b) -> bool:
    """Equal schemas and values, NaN equal to NaN (a caravan not yet formed has NaN positions)."""
    return a.schema == b.schema and a.to_pandas().equals(b.to_pandas())


def assert_same_people(a, b) -> None:
    """Every attribute of every person, and every day's counts, identical."""
    assert a.day == b.day and a.population.n == b.population.n
    for name in a.population.fields:
        assert np.array_equal(a.population.field(name), b.population.field(name)), name
    assert np.array_equal(a.counts, b.counts)


@pytest.mark.parametrize("name", ["corridor", "mali2012"])
def test_a_run_stopped_at_several_days_and_resumed_equals_the_unbroken_run(tmp_path, name):
    scenario = caravana.load_scenario(name)
    unbroken = simulation(scenario, seed=7, days=DAYS)
    unbroken_results = unbroken.run()
    for stop in (1, 6, 13, DAYS - 1):
        sim = simulation(scenario, seed=7, days=DAYS)
        for _ in range(stop):
            sim.step()
        save_pickle(tmp_path / "state.pkl", sim)
        del sim  # what a crash does
        resumed = load_pickle(tmp_path / "state.pkl")
        assert resumed.day == stop
        results = resumed.run()
        assert_same_people(resumed, unbroken)
        assert results.tables.keys() == unbroken_results.tables.keys()
        for table in results.tables:
            assert same_table(results.tables[table], unbroken_results.tables[table]), (stop, table)


KILLED_AT_CHECKPOINT = textwrap.dedent(f"""
    import os, signal, sys
    import caravana.checkpoint as checkpoint
    scenario, out, every, kill_at = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    real, saved = checkpoint.save_pickle, []
    def save_then_die(path, obj):
        real(path, obj)
        saved.append(path)
        if len(saved) == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
    checkpoint.save_pickle = save_then_die
    from caravana.cli import app
    app(["run", scenario, "--days", "{DAYS}", "--seed", "7", "--out", out, "--checkpoint-every", every])
""")


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from caravana.cli import app; app()", *args],
                          capture_output=True, text=True, timeout=600, env={**os.environ})


def check_cli_resume(tmp_path: Path, name: str, every: int, kill_at: int) -> None:
    full = tmp_path / "full"
    assert cli("run", name, "--days", str(DAYS), "--seed", "7", "--out", str(full)).returncode == 0
    out = tmp_path / "part"
    killed = subprocess.run([sys.executable, "-c", KILLED_AT_CHECKPOINT, name, str(out), str(every), str(kill_at)],
                            capture_output=True, text=True, timeout=600)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    assert not out.exists() and (tmp_path / "part.checkpoint" / "state.pkl").exists()
    resumed = cli("run", "--resume", str(out))
    assert resumed.returncode == 0, resumed.stderr
    assert not (tmp_path / "part.checkpoint").exists()  # removed once the results are whole
    for path in sorted(full.glob("*.parquet")):
        assert same_table(pq.read_table(out / path.name), pq.read_table(path)), path.name
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in full.iterdir())


def test_a_run_killed_at_its_second_checkpoint_resumes_to_the_same_results(tmp_path):
    check_cli_resume(tmp_path, "corridor", every=4, kill_at=2)


@pytest.mark.slow
@pytest.mark.parametrize(("every", "kill_at"), [(3, 1), (5, 3)])
def test_mali2012_killed_at_a_checkpoint_resumes_to_the_same_results(tmp_path, every, kill_at):
    check_cli_resume(tmp_path, "mali2012", every=every, kill_at=kill_at)


def test_resume_without_a_checkpoint_is_one_clean_error(tmp_path):
    result = cli("run", "--resume", str(tmp_path / "nothing"))
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and "no checkpoint to resume" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_ensemble_killed_by_pid_resumes_only_its_unfinished_members(tmp_path):
    members, days, seed = 5, 16, 4
    unbroken = run_ensemble("corridor", members, seed, days=days, backend="inprocess")
    out = tmp_path / "ens"
    child = subprocess.Popen(
        [sys.executable, "-c", "from caravana.cli import app; app()", "ensemble", "corridor", "--members",
         str(members), "--days", str(days), "--seed", str(seed), "--workers", "2", "--checkpoint-every", "4",
         "--out", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True, env={**os.environ})
    saved = tmp_path / "ens.checkpoint" / "members"
    deadline = time.monotonic() + 300
    while len(list(saved.glob("*.pkl"))) < 2:
        assert child.poll() is None, "the ensemble finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(child.pid, signal.SIGKILL)  # the parent and its workers, mid-run
    child.wait()
    finished = len(list(saved.glob("*.pkl")))
    assert finished < members and not out.exists()
    resumed = cli("ensemble", "--resume", str(out), "--workers", "2")
    assert resumed.returncode == 0, resumed.stderr
    meta = json.loads((out / "ensemble.json").read_text())
    assert meta["resumed"] == {"members_from_checkpoint": finished, "members_run": members - finished}
    assert same_table(pq.read_table(out / "quantiles.parquet"), unbroken.quantiles)
    assert same_table(pq.read_table(out / "outcomes.parquet"), unbroken.outcomes)
    assert not (tmp_path / "ens.checkpoint").exists()


# ---------------------------------------------------------------- forecast

FORECAST = ["corridor", "--observations", str(Path(caravana.__file__).parent / "scenario" / "builtin" / "corridor" /
                                              "observations_2018.csv"),
            "--as-of", "2018-10-24", "--horizon", "6", "--particles", "6", "--seed", "3"]


def same_folders(a: Path, b: Path) -> None:
    """The same files, and every table in them equal (forecast.json differs only in times)."""
    assert sorted(p.relative_to(a) for p in a.rglob("*")) == sorted(p.relative_to(b) for p in b.rglob("*"))
    tables = sorted(a.rglob("*.parquet"))
    assert tables
    for path in tables:
        assert same_table(pq.read_table(path), pq.read_table(b / path.relative_to(a))), path.name
    meta_a, meta_b = (json.loads((x / "forecast.json").read_text()) for x in (a, b))
    for meta in (meta_a, meta_b):
        meta.pop("wall_seconds")
    assert meta_a == meta_b


@pytest.mark.parametrize("passes", [1, 2])  # 2: the passes before the last run again, the last resumes
def test_a_forecast_resumed_from_any_saved_state_equals_the_unbroken_forecast(tmp_path, passes):
    from caravana.forecast import default_factors, run_forecast
    from caravana.forecast.filter import Checkpoint
    from caravana.observations import read_observations

    scenario = caravana.load_scenario("corridor")
    reports = read_observations(Path(FORECAST[2])).check_against(scenario)
    as_of = dt.date(2018, 10, 24)

    def forecast(checkpoint=None):
        return run_forecast(scenario, reports, as_of, 5, particles=5, seed=2, factors=default_factors(scenario),
                            checkpoint=checkpoint, passes=passes)

    unbroken = forecast()
    folder = tmp_path / "ckpt"
    forecast(Checkpoint(folder, 3))
    assert (folder / "filter.pkl").exists() and len(list((folder / "prior").glob("*.pkl"))) == 5
    saved = load_pickle(folder / "filter.pkl")
    assert not saved.continuing and 0 < saved.dates_done  # a state part-way through the filter
    for path in sorted((folder / "posterior").glob("*.pkl"))[::2]:
        path.unlink()  # these particles are run again from the filter's state
    for path in sorted((folder / "prior").glob("*.pkl"))[1::2]:
        path.unlink()
    resumed = forecast(Checkpoint(folder, 3))
    for name in ("places", "daily"):
        assert same_table(getattr(resumed.forecast, name), getattr(unbroken.forecast, name)), name
    assert same_table(resumed.held_back, unbroken.held_back) and same_table(resumed.totals, unbroken.totals)
    assert np.array_equal(resumed.assimilation.posterior_members, unbroken.assimilation.posterior_members)
    assert np.array_equal(resumed.assimilation.posterior_values, unbroken.assimilation.posterior_values)
    for a, b in zip(resumed.assimilation.posterior, unbroken.assimilation.posterior):
        assert np.array_equal(a.counts, b.counts)


@pytest.mark.parametrize("workers", ["1", pytest.param("2", marks=pytest.mark.slow)])
def test_a_forecast_killed_mid_run_resumes_to_the_same_forecast(tmp_path, workers):
    full = tmp_path / "full"
    done = cli("forecast", *FORECAST, "--out", str(full))
    assert done.returncode == 0, done.stderr[-2000:]
    out = tmp_path / "part"
    child = subprocess.Popen(
        [sys.executable, "-c", "from caravana.cli import app; app()", "forecast", *FORECAST, "--workers", workers,
         "--checkpoint-every", "2", "--out", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True, env={**os.environ})
    state = tmp_path / "part.checkpoint" / "filter.pkl"
    deadline = time.monotonic() + 300
    while not state.exists():  # killed as soon as the filter has saved its state once
        assert child.poll() is None, "the forecast finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.killpg(child.pid, signal.SIGKILL)  # the parent and any workers, mid-run
    child.wait()
    assert not out.exists()
    resumed = cli("forecast", "--resume", str(out), "--workers", workers)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert not (tmp_path / "part.checkpoint").exists()  # removed once the forecast is whole
    same_folders(out, full)


def test_forecast_resume_without_a_checkpoint_or_with_a_run_checkpoint_is_one_clean_error(tmp_path):
    result = cli("forecast", "--resume", str(tmp_path / "nothing"))
    assert result.returncode == 2 and "no checkpoint to resume" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    missing = cli("forecast", "corridor")
    assert missing.returncode == 2 and "--observations" in missing.stderr and "--as-of" in missing.stderr


def test_a_checkpoint_of_another_caravana_or_unstamped_is_one_clear_error(tmp_path):
    """A pickle from other code may lack fields this code reads (FleeMovement._cum was added
    in session 7): refused at once, in the reader's language, not a traceback mid-run."""
    from caravana.checkpoint import RECORD, STAMP, STATE, write_record

    sim = simulation(caravana.load_scenario("mali2012"), seed=7, days=6)
    for _ in range(2):
        sim.step()
    folder = tmp_path / "out.checkpoint"
    write_record(folder, {"kind": "run", "source": "mali2012", "out": str(tmp_path / "out"), "overrides": {},
                          "flee_rules": "3.1", "every": 2})
    save_pickle(folder / STATE, sim)
    record = json.loads((folder / RECORD).read_text())
    assert record[STAMP].startswith(caravana.__version__)
    for stamp in (None, f"{caravana.__version__}+0000000000000000"):  # written before stamps; other source
        other = {k: v for k, v in record.items() if k != STAMP} | ({} if stamp is None else {STAMP: stamp})
        (folder / RECORD).write_text(json.dumps(other))
        for lang, words in (("en", "this checkpoint was made by another version of caravana; start the run again"),
                            ("es", "otra versión de caravana")):
            result = cli("run", "--resume", str(tmp_path / "out"), "--lang", lang)
            assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
            assert result.stderr.startswith("error: ") and words in result.stderr
            assert str(folder) in result.stderr and not (tmp_path / "out").exists()
    (folder / RECORD).write_text(json.dumps(record))  # this caravana's own: resumed (in another process)
    assert cli("run", "--resume", str(tmp_path / "out")).returncode == 0 and (tmp_path / "out").is_dir()
