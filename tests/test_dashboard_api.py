"""The dashboard's JSON API against results computed independently here: a corridor run
written by ``write_results``, a small ensemble, runs started through the API."""

from __future__ import annotations

import csv
import io
import json
import shutil
import time
import zipfile
from pathlib import Path

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

import caravana
from caravana import catalogue
from caravana.behaviours.corridor.aid import read_standards
from caravana.dashboard.app import create_app
from caravana.dashboard.policies import PolicyForm, apply_policy, policy_overrides
from caravana.errors import CaravanaError
from caravana.results.io import write_results
from caravana.scenario.load import BUILTIN_DIR, load_scenario
from caravana.scenario.overrides import get_setting

STAYING = ("resting", "waiting", "arrived")


@pytest.fixture(scope="session")
def corridor_run(tmp_path_factory) -> Path:
    """A corridor run folder as ``caravana run corridor --out`` writes it."""
    folder = tmp_path_factory.mktemp("results") / "corridor-seed1"
    write_results(caravana.run("corridor", seed=1), folder)
    return folder


@pytest.fixture(scope="session")
def small_ensemble(tmp_path_factory) -> Path:
    from caravana.ensemble import run_ensemble

    folder = tmp_path_factory.mktemp("results") / "corridor-ensemble"
    run_ensemble("corridor", 3, 5, days=25, backend="inprocess", out_dir=folder)
    return folder


@pytest.fixture(autouse=True)
def private_catalogue(tmp_path, monkeypatch):
    """Runs made in tests go to a catalogue of their own, not the user's."""
    monkeypatch.setenv(catalogue.HOME_ENV, str(tmp_path / "caravana-home"))


@pytest.fixture
def client(tmp_path, corridor_run, small_ensemble):
    app = create_app(tmp_path / "workspace", [corridor_run, small_ensemble])
    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c


def wait_for(client: TestClient, run_id: str, timeout: float = 60.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = client.get(f"/api/runs/{run_id}").json()
        if run["status"] in ("done", "failed"):
            return run
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} did not finish in {timeout} s")


def counts_at(folder: Path, place: str, statuses: tuple[str, ...], days: int) -> np.ndarray:
    """Daily sum of ``statuses`` at ``place``, read straight from counts.parquet."""
    t = pq.read_table(folder / "counts.parquet").to_pandas()
    t = t[(t["place"].astype(str) == place) & t["status"].astype(str).isin(statuses)]
    out = np.zeros(days)
    for day, n in t.groupby("day")["count"].sum().items():
        out[int(day)] = n
    return out


def test_lists_the_folders_given(client):
    runs = {r["id"]: r for r in client.get("/api/runs").json()}
    assert runs["corridor-seed1"]["kind"] == "run"
    assert runs["corridor-ensemble"]["kind"] == "ensemble"
    assert all(r["status"] == "done" for r in runs.values())


def test_summary_places_and_outcomes(client, corridor_run):
    s = client.get("/api/runs/corridor-seed1").json()
    assert s["kind"] == "run" and s["members"] == 1 and s["days"] == 60 and s["start"] == "2018-10-12"
    located = [p for p in s["places"] if p.get("lat") is not None]
    assert len(located) == len(s["places"]) == 71  # the built-in's map, though the folder has none
    # Everyone is in exactly one status at the end.
    assert sum(o["p50"] for o in s["outcomes"].values()) == s["people"]
    meta = caravana.load_scenario("corridor")
    assert s["caravans"][0]["destination"] == meta.corridor.caravans[0].itinerary[-1]


def test_map_frames_follow_the_caravan(client, corridor_run):
    m = client.get("/api/runs/corridor-seed1/map").json()
    assert len(m["staying"]) == 60 and all(len(row) == 71 for row in m["staying"])
    tapachula = m["places"].index("Tapachula")
    expected = counts_at(corridor_run, "Tapachula", STAYING, 60)
    assert [row[tapachula] for row in m["staying"]] == expected.tolist()
    caravan = m["caravans"][0]
    log = pq.read_table(corridor_run / "caravans.parquet").to_pylist()
    for day in (5, 20, 40):
        frame = caravan["days"][day]
        assert frame["head"]["km"] == pytest.approx(log[day]["head_km"], abs=0.05)
        assert frame["head"]["lat"] == pytest.approx(log[day]["head_lat"], abs=1e-3)
        assert frame["tail"]["place"] == log[day]["tail_place"]
        assert frame["path"][0] == pytest.approx([log[day]["tail_lat"], log[day]["tail_lon"]], abs=1e-3)
        assert frame["path"][-1] == pytest.approx([log[day]["head_lat"], log[day]["head_lon"]], abs=1e-3)
    assert caravan["days"][30]["head"]["km"] > caravan["days"][5]["head"]["km"]


def test_series_is_the_run_and_observations_are_of_the_same_quantity(client, corridor_run):
    s = client.get("/api/runs/corridor-seed1/series", params={"place": "Tecun Uman", "quantity": "present"}).json()
    present = ("resting", "travelling", "waiting", "detained", "arrived")
    assert s["p50"] == counts_at(corridor_run, "Tecun Uman", present, 60).tolist()
    assert s["p5"] == s["p95"] == s["p50"]  # one run: no band
    observed = [o for o in s["observations"]]
    assert observed and all(o["quantity"] == "present" and o["place"] == "Tecun Uman" for o in observed)
    assert {"2018-10-19", "2018-10-18"} <= {o["date"] for o in observed}


def test_ensemble_bands_are_ordered_and_from_the_members(client, small_ensemble):
    s = client.get("/api/runs/corridor-ensemble/series", params={"place": "Tapachula"}).json()
    assert s["members"] == 3 and len(s["dates"]) == 25
    bands = np.array([s[k] for k in ("p5", "p25", "p50", "p75", "p95")])
    assert (np.diff(bands, axis=0) >= -1e-9).all()
    members = [counts_at(p.parent, "Tapachula", STAYING, 25)
               for p in sorted((small_ensemble / "members").glob("*/counts.parquet"))]
    assert s["p50"] == pytest.approx(np.median(members, axis=0).tolist())
    assert s["p95"] == pytest.approx(np.percentile(members, 95, axis=0).tolist())
    assert (bands[-1] > bands[0]).any()  # the members differ somewhere


def test_needs_table_and_csv(client, corridor_run):
    params = {"place": "Tapachula", "first_day": 8, "last_day": 14}
    rows = client.get("/api/runs/corridor-seed1/needs", params=params).json()
    assert [r["day"] for r in rows] == list(range(8, 15))
    water = read_standards()["water_total_min"]
    expected = counts_at(corridor_run, "Tapachula", STAYING, 60)[8:15]
    assert [r["present"] for r in rows] == expected.tolist()
    assert [r["water_l"] for r in rows] == pytest.approx((expected * water).tolist())
    response = client.get("/api/runs/corridor-seed1/needs", params={**params, "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    from_csv = list(csv.DictReader(io.StringIO(response.text)))
    assert [float(r["toilets"]) for r in from_csv] == [r["toilets"] for r in rows]
    places = client.get("/api/runs/corridor-seed1/needs/places").json()
    # the busiest: a hub on the route (Agua Caliente: Hondurans following the first caravan wait there)
    assert places[0] in ("Tapachula", "Tijuana El Chaparral", "Ciudad Hidalgo", "Agua Caliente") and "Tegucigalpa" not in places


def test_ensemble_needs_give_median_and_p95(client):
    rows = client.get("/api/runs/corridor-ensemble/needs", params={"place": "Tapachula"}).json()
    assert len(rows) == 25
    assert all(r["water_l_p95"] >= r["water_l"] for r in rows)


def test_compare_two_runs(client):
    c = client.get("/api/compare", params={"a": "corridor-seed1", "b": "corridor-ensemble"}).json()
    assert c["a"]["days"] == 60 and c["b"]["days"] == 25
    assert set(c["a"]["outcomes"]) == set(c["b"]["outcomes"])


def test_run_started_from_the_api_with_a_policy(client, tmp_path):
    r = client.post("/api/runs", data={"scenario": "corridor", "days": "25", "seed": "3", "checkpoints": "off",
                                       "permits_per_day": "5", "label": "no checkpoints"})
    assert r.status_code == 202, r.text
    job = r.json()
    assert job["overrides"] == {"corridor.enforcement.checkpoints": [], "corridor.papers.permits.per_day": 5}
    run = wait_for(client, job["id"])
    assert run["status"] == "done", run.get("error")
    assert run["label"] == "no checkpoints" and run["days"] == 25 and run["seed"] == 3
    results = tmp_path / "workspace" / "runs" / job["id"] / "results"
    assert (results / "counts.parquet").is_file() and (results / "dashboard.json").is_file()
    # No checkpoint: nobody is ever detained. The same days with checkpoints do detain people.
    counts = pq.read_table(results / "counts.parquet")
    assert pc.sum(counts.filter(pc.equal(counts["status"].cast("string"), "detained"))["count"]).as_py() in (None, 0)
    baseline = caravana.run("corridor", seed=3, days=25).counts[:, :, 3].sum()
    assert baseline > 0
    record = catalogue.get_run(run["catalogue_id"])
    assert record.path == results.resolve() and record.parameters == job["overrides"] and record.seed == 3
    # A new server on the same workspace lists the run again.
    again = create_app(tmp_path / "workspace")
    assert any(j["id"] == job["id"] and j["status"] == "done" for j in again.state.registry.list())


def test_uploaded_zip_scenario_runs(client, yaml_scenario):
    folder = yaml_scenario().parent
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for path in folder.iterdir():
            z.write(path, f"my-scenario/{path.name}")
    r = client.post("/api/runs", files={"file": ("my-scenario.zip", buffer.getvalue(), "application/zip")})
    assert r.status_code == 202, r.text
    run = wait_for(client, r.json()["id"])
    assert run["status"] == "done" and run["scenario"] == "tiny" and run["days"] == 10 and not run["has_needs"]


def test_policy_overrides_change_the_named_settings():
    corridor = load_scenario("corridor")
    policy = PolicyForm(metering_per_day=10, asylum_per_day=7, remain_in_mexico=True)
    changed, _ = apply_policy(corridor, policy)
    assert get_setting(changed, "corridor.papers.ports[0].per_day") == 10
    assert get_setting(changed, "corridor.papers.metering_per_day") == 10
    assert get_setting(changed, "corridor.papers.asylum.decisions_per_day") == 7
    assert get_setting(changed, "corridor.papers.remain_in_mexico.start") == 0
    assert get_setting(changed, "corridor.papers.remain_in_mexico.wait_days") == 90
    assert get_setting(corridor, "corridor.papers.ports[0].per_day") == 80  # the original is untouched
    # Values equal to the scenario's change nothing; Remain in Mexico from day 109 is off in 60 days.
    assert policy_overrides(corridor, PolicyForm(checkpoints=True, permits_per_day=100, remain_in_mexico=False)) == {}
    assert policy_overrides(corridor, PolicyForm(remain_in_mexico=False), days=200) == {
        "corridor.papers.remain_in_mexico": None}
    with pytest.raises(CaravanaError, match="no corridor section"):
        policy_overrides(load_scenario("mali2012"), PolicyForm(checkpoints=False))


def test_bundled_borders_cover_the_corridor(client):
    borders = client.get("/api/borders").json()
    west, south, east, north = borders["bbox"]
    names = {c["name"] for c in borders["countries"]}
    assert {"Mexico", "Guatemala", "Honduras", "El Salvador", "United States of America"} <= names
    for place in load_scenario("corridor").locations:
        assert west < place.lon < east and south < place.lat < north, place.name
    assert "public domain" in borders["licence"]


def test_a_run_of_a_scenario_file_is_drawn_from_its_own_world(tmp_path, corridor_run):
    """A folder written by ``caravana run path/to/scenario.yml`` carries its world
    (``world.json``): it is drawn with that scenario's map, catalogued or not."""
    scenario_file = BUILTIN_DIR / "corridor" / "2021.yml"
    folder = tmp_path / "corridor-2021"
    write_results(caravana.run(load_scenario(scenario_file), seed=2, days=15), folder)
    expected = {p["name"]: (p["lat"], p["lon"]) for p in json.loads((folder / "world.json").read_text())["places"]}
    app = create_app(tmp_path / "workspace", [folder])
    with TestClient(app, base_url="http://127.0.0.1") as client:
        summary = client.get("/api/runs/corridor-2021").json()
        assert summary["places"] and all(p.get("lat") is not None for p in summary["places"])
        assert all((p["lat"], p["lon"]) == expected[p["name"]] for p in summary["places"])
        frames = client.get("/api/runs/corridor-2021/map").json()
        assert frames["caravans"] and frames["caravans"][0]["road"] is not None


def test_serve_lists_the_newest_catalogued_runs_once(tmp_path, corridor_run):
    from caravana.dashboard.registry import catalogued_folders

    given = tmp_path / "given"
    write_results(caravana.run("corridor", seed=2, days=5), given)
    elsewhere, gone, own = tmp_path / "elsewhere", tmp_path / "gone", tmp_path / "workspace" / "runs" / "run-0001"
    for folder, seed in ((elsewhere, 3), (gone, 4), (own, 5)):
        write_results(caravana.run("corridor", seed=seed, days=5), folder)
    catalogue.register("run", "corridor", elsewhere, seed=3)  # the same folder written twice
    ids = {f: catalogue.register("run", "corridor", f, seed=s) for f, s in
           ((given, 2), (elsewhere, 3), (gone, 4), (own, 5))}
    shutil.rmtree(gone)  # the folder holds subfolders (arrays/)

    found = catalogued_folders(10, skip=[given, tmp_path / "workspace"])
    assert [folder for folder, _ in found] == [elsewhere.resolve()]  # not given, not gone, not the dashboard's own
    assert ids[elsewhere][:8] in found[0][1] and "seed 3" in found[0][1]
    assert catalogued_folders(0) == []

    app = create_app(tmp_path / "workspace", [given], catalogued=found)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        runs = c.get("/api/runs").json()
        assert sorted(r["origin"] for r in runs) == ["catalogue", "folder"]
        listed = next(r for r in runs if r["origin"] == "catalogue")
        assert listed["label"] == found[0][1]
        assert c.get(f"/api/runs/{listed['id']}").json()["days"] == 5


def test_events_add_up_the_runs_event_table(client, corridor_run):
    events = pq.read_table(corridor_run / "events.parquet").to_pandas()
    rows = client.get("/api/runs/corridor-seed1/events").json()
    expected = events.groupby(["event", "cause"])["count"].sum()
    assert {(r["event"], r["cause"]): r["people"] for r in rows} == expected.to_dict()
    assert [r["people"] for r in rows] == sorted((r["people"] for r in rows), reverse=True)
    dates = events.groupby(["event", "cause"])["date"].agg(["min", "max"])
    assert {(r["event"], r["cause"]): (r["first"], r["last"]) for r in rows} == {
        k: (str(v["min"]), str(v["max"])) for k, v in dates.iterrows()}
    # At one place and over some days: only those rows.
    here = events[(events["place"] == "Tapachula") & events["day"].between(5, 20)]
    at = client.get("/api/runs/corridor-seed1/events?place=Tapachula&first_day=5&last_day=20").json()
    assert sum(r["people"] for r in at) == here["count"].sum() > 0
    places = client.get("/api/runs/corridor-seed1/events/places").json()
    assert set(places) == set(events["place"]) and places[0] == events.groupby("place")["count"].sum().idxmax()
    assert client.get("/api/runs/corridor-seed1/events?place=Atlantis").status_code == 404
    assert client.get("/api/runs/corridor-seed1/events?first_day=9&last_day=3").status_code == 422
    assert client.get("/api/runs/corridor-seed1/events").status_code == 200


def test_an_ensemble_shows_the_mean_of_its_members_events(client, small_ensemble):
    reduced = pq.read_table(small_ensemble / "events.parquet").to_pandas()
    rows = client.get("/api/runs/corridor-ensemble/events").json()
    assert rows and client.get("/api/runs/corridor-ensemble").json()["has_events"] is True
    expected = reduced.groupby(["event", "cause"])["mean"].sum()
    assert {(r["event"], r["cause"]): r["people"] for r in rows} == {k: round(v) for k, v in expected.items()}
    assert (reduced["p5"] <= reduced["p50"]).all() and (reduced["p50"] <= reduced["p95"]).all()
    assert client.get("/api/runs/corridor-seed1").json()["has_events"] is True


def test_run_until_a_date_instead_of_a_number_of_days(client):
    """The page asks for the last date to simulate; the server turns it into days from the start."""
    r = client.post("/api/runs", data={"scenario": "corridor", "until": "2018-10-21", "seed": "4"})
    assert r.status_code == 202, r.text
    run = wait_for(client, r.json()["id"])
    assert run["status"] == "done" and run["days"] == 10  # Oct 12 to Oct 21
    for bad in ("2018-10-11", "21/10/2018"):  # before the start; not a date
        r = client.post("/api/runs", data={"scenario": "corridor", "until": bad})
        assert r.status_code == 422 and "until" in r.json()["detail"], r.text


@pytest.mark.parametrize("written", ["Juchitán", "juchitan", "Ciudad de México"])
def test_every_place_input_takes_accents_and_spanish_or_english_names(client, written):
    """The chart, the needs table and the events table take a place as a person types it."""
    name = {"Ciudad de México": "Mexico City"}.get(written, "Juchitan")
    series = client.get("/api/runs/corridor-seed1/series", params={"place": written})
    assert series.status_code == 200, series.text
    assert series.json()["p50"] == client.get("/api/runs/corridor-seed1/series", params={"place": name}).json()["p50"]
    needs = client.get("/api/runs/corridor-seed1/needs", params={"place": written})
    assert needs.status_code == 200 and needs.json() == client.get(
        "/api/runs/corridor-seed1/needs", params={"place": name}).json()
    events = client.get("/api/runs/corridor-seed1/events", params={"place": written})
    assert events.status_code == 200 and events.json() == client.get(
        "/api/runs/corridor-seed1/events", params={"place": name}).json()
    missing = client.get("/api/runs/corridor-seed1/series", params={"place": "Juchitlann"})
    assert missing.status_code == 404 and "did you mean 'Juchitán'" in missing.json()["detail"]


@pytest.mark.parametrize("lang,said", [
    ("es", "no hay lugar llamado 'Ciudad de Mexco' (¿quiso decir 'Ciudad de México'?) en esta corrida"),
    ("en", "no place named 'Ciudad de Mexco' (did you mean 'Mexico City'?) in this run")])
def test_a_place_not_found_is_said_in_the_requests_language_with_the_names_shown(client, lang, said):
    """The chart's, the needs' and the events' "not found" suggested identifiers, in English,
    whatever the page's language (session 23's walk); they answer as the briefing does."""
    for endpoint in ("series", "needs", "events"):
        r = client.get(f"/api/runs/corridor-seed1/{endpoint}", params={"place": "Ciudad de Mexco"},
                       headers={"Accept-Language": lang})
        assert r.status_code == 404 and r.json()["detail"] == said, (endpoint, r.text)
