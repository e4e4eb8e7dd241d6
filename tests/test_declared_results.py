"""A behaviour that declares one result finds it, with no other code, in a run folder,
an ensemble's quantiles, the dashboard's API and the report."""

from __future__ import annotations

import json

import numpy as np
import pytest

import caravana
from caravana import catalogue
from caravana.engine.behaviour import Behaviour
from caravana.engine.status import Status
from caravana.results.declared import Declared, ResultArray
from caravana.results.io import write_results

DAYS = 6


class RestingTally(Behaviour):
    """A toy: how many people rest at each place at the end of each day's earlier steps."""

    name = "resting_tally"
    declares = (Declared("resting_tally", ("day", "place"), "int64", "quantiles", "people resting, a toy tally"),)

    def init(self, sim) -> None:
        self.tally = np.zeros((sim.days, sim.network.n_places), dtype=np.int64)

    def step(self, sim) -> None:
        pop = sim.population
        resting = pop.status[: pop.n] == int(Status.RESTING)
        self.tally[sim.day] = np.bincount(pop.loc[: pop.n][resting], minlength=sim.network.n_places)

    def arrays(self, sim) -> dict[str, ResultArray]:
        return {"resting_tally": ResultArray(self.declares[0], self.tally[: sim.day])}


def test_a_declared_result_reaches_folder_ensemble_dashboard_and_report(tmp_path):
    scenario = caravana.load_scenario("corridor")
    sim = caravana.simulation(scenario, seed=2, days=DAYS, extra=[RestingTally()])
    results = sim.run()
    expected = results.counts[:, :, int(Status.RESTING)]  # the same count, taken by the engine
    assert np.array_equal(results.arrays["resting_tally"].values, expected)

    run_dir = tmp_path / "run"
    write_results(results, run_dir)
    manifest = json.loads((run_dir / "metadata.json").read_text())
    assert manifest["arrays"]["resting_tally"]["combine"] == "quantiles"
    table = catalogue.open_results(run_dir).read_array("resting_tally")
    assert table.num_rows == expected.size and table["value"].to_numpy().sum() == expected.sum()

    from caravana.ensemble import run_ensemble

    ens_dir = tmp_path / "ensemble"
    ensemble = run_ensemble(scenario, 3, root_seed=5, days=DAYS, backend="inprocess", out_dir=ens_dir,
                            extra=[RestingTally()])
    quantiles = catalogue.open_results(ens_dir).read_array("resting_tally")
    members = np.stack([ensemble.counts[m][:, :, int(Status.RESTING)] for m in range(3)])
    assert np.allclose(quantiles["p50"].to_numpy(), np.percentile(members, 50, axis=0).ravel())
    assert np.allclose(quantiles["mean"].to_numpy(), members.mean(axis=0).ravel())

    fastapi = pytest.importorskip("fastapi")
    assert fastapi
    from fastapi.testclient import TestClient

    from caravana.dashboard.app import create_app

    with TestClient(create_app(tmp_path / "workspace", [run_dir, ens_dir]), base_url="http://127.0.0.1") as client:
        runs = {r["id"]: r for r in client.get("/api/runs").json()}
        for run_id in runs:
            listed = client.get(f"/api/runs/{run_id}/arrays").json()
            assert listed["resting_tally"]["dims"] == ["day", "place"]
            rows = client.get(f"/api/runs/{run_id}/arrays/resting_tally").json()
            assert len(rows) == expected.size and {"day", "date", "place"} <= set(rows[0])
        assert client.get(f"/api/runs/{next(iter(runs))}/arrays/nothing").status_code == 404

    pytest.importorskip("matplotlib")
    from caravana.report import build_report

    for folder in (run_dir, ens_dir):
        page = build_report(str(folder))[-1].read_text()
        assert "resting_tally" in page and "people resting, a toy tally" in page


def test_needs_and_the_caravan_log_are_declared_with_the_tables_values():
    """The corridor's needs, caravan log, origins and arrivals: declared arrays holding what
    the run's own tables say, cell for cell (absent table rows are zeros)."""
    results = caravana.run(caravana.load_scenario("corridor"), seed=3, days=15)
    places, arrays, tables = list(results.places), results.arrays, results.tables
    needs = arrays["needs"]
    assert needs.spec.combine == "quantiles" and needs.labels["quantity"][:3] == ["present", "sheltered", "plaza"]
    for row in tables["needs"].to_pylist()[::7]:
        for q, name in enumerate(needs.labels["quantity"]):
            assert needs.values[row["day"], places.index(row["place"]), q] == pytest.approx(row[name])
    assert needs.values[..., 0].sum() == tables["needs"]["present"].to_numpy().sum()

    log, names = arrays["caravans"], arrays["caravans"].labels["caravan"]
    for row in tables["caravans"].to_pylist():
        got = log.values[row["day"], names.index(row["caravan"])]
        want = [row[q] for q in log.labels["quantity"]]
        assert np.allclose(got, np.array(want, dtype=float), equal_nan=True)

    origins = arrays["caravan_origins"]
    assert origins.values.sum() == tables["caravan_origins"]["members"].to_numpy().sum() > 0
    for row in tables["caravan_origins"].to_pylist()[::5]:
        label = f"caravan:{row['from_caravan']}" if row["from_caravan"] else f"place:{row['from_place']}"
        assert origins.values[row["day"], names.index(row["caravan"]), origins.labels["origin"].index(label)] \
            == row["members"]
    arrived = arrays["caravan_arrivals"]
    assert arrived.values.sum() == tables["caravan_arrivals"]["arrived"].to_numpy().sum() > 0


def test_numpy_columns_become_the_arrow_arrays_pa_array_makes():
    """caravana.results.arrow.column wraps numbers and days without pyarrow's masked-array
    check: the same type, no nulls, and the same Parquet bytes as pa.array's."""
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    from caravana.results.arrow import column

    def parquet(array):
        out = io.BytesIO()
        pq.write_table(pa.table({"x": array}), out)
        return out.getvalue()

    cases = [np.arange(-2, 5).astype(t) for t in (np.int8, np.int16, np.int32, np.int64, np.float32, np.float64)]
    cases += [np.arange(5).astype(t) for t in (np.uint8, np.uint16, np.uint32, np.uint64)]
    cases += [np.array([1.5, np.nan, -np.inf]), np.arange(10)[::2], np.array([], np.int32),
              np.array(["2018-10-12", "1900-01-01", "2100-12-31"], dtype="datetime64[D]"),
              np.array([], dtype="datetime64[D]"), np.array([True, False]), np.zeros((2, 2), np.int32)[0]]
    for values in cases:
        made, expected = column(values), pa.array(values)
        assert made.type == expected.type and made.null_count == expected.null_count == 0
        assert parquet(made) == parquet(expected), values
