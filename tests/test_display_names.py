"""Names a user reads for the scenario's identifiers: places ("Juchitán", "Ciudad de México"),
caravans ("segunda caravana de 2018") and quantities ("presentes"), per language, in every
display (brief, report, dashboard, the run's and the forecast's tables); files keep the
identifiers; a scenario the package has no names for shows its identifiers."""

from __future__ import annotations

import csv
import datetime as dt
import re
import warnings

import numpy as np
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from rich.console import Console
from typer.testing import CliRunner

import caravana
from caravana import catalogue, load_scenario
from caravana.briefing.figures import from_members
from caravana.briefing.page import page
from caravana.briefing.text import summary
from caravana.cli import app, common
from caravana.cli.common import use_language
from caravana.i18n import language
from caravana.results.io import write_results
from caravana.scenario.aliases import ALIASES_FILE
from caravana.scenario.load import BUILTIN_DIR, builtin_names
from caravana.scenario.names import caravan_labels, place_names
from tests.conftest import SCENARIO_YML

runner = CliRunner()
DAYS = 40  # the first caravan is past Mexico City by then


@pytest.fixture(scope="module")
def results():
    return caravana.run("corridor", seed=1, days=DAYS)


@pytest.fixture(scope="module")
def folder(results, tmp_path_factory):
    out = tmp_path_factory.mktemp("names") / "run"
    write_results(results, out)
    return out


def _printed(monkeypatch, module, fn, *args, lang: str) -> str:
    """What a printing function of the command line (``module``'s ``fn``) writes, in ``lang``, on
    a wide terminal of its own: the shared console and the command's language are left as they were."""
    monkeypatch.setattr(common, "_speaking", [])
    use_language(lang)
    wide = Console(width=250)
    monkeypatch.setattr(module, "console", wide)
    with wide.capture() as out:
        fn(*args)
    return out.get()


# ---------------------------------------------------------------- the data


def test_every_shown_name_is_of_a_builtin_place_in_es_or_en():
    places = set()
    for name in builtin_names():
        with warnings.catch_warnings():  # notes on Flee's shipped data
            warnings.simplefilter("ignore")
            places |= {loc.name for loc in load_scenario(name).locations}
    with ALIASES_FILE.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if not r["alias"].startswith("#")]
    shown = [(r["place"], code) for r in rows for code in (r["shown"] or "").split()]
    assert shown and {place for place, _ in shown} <= places
    assert {code for _, code in shown} == {"es", "en"}
    assert len(shown) == len(set(shown))  # one name per place and language
    assert place_names()["Juchitan"] == {"es": "Juchitán", "en": "Juchitán"}


def test_every_builtin_caravan_has_a_label_in_both_languages():
    corridor = BUILTIN_DIR / "corridor"
    caravans = set()
    for file in ("scenario.yml", "2021.yml", "2022.yml", "2023.yml"):
        caravans |= {c.name for c in load_scenario(corridor / file).corridor.caravans}
    assert caravans and caravans <= set(caravan_labels())
    assert all(set(caravan_labels()[c]) == {"es", "en"} for c in caravans)


def test_language_gives_names_and_falls_back_to_identifiers():
    es, en = language("es"), language("en")
    assert (es.place("Mexico City"), en.place("Mexico City")) == ("Ciudad de México", "Mexico City")
    assert (es.place("Tecun Uman"), en.place("Guatemala City")) == ("Tecún Umán", "Guatemala City")
    assert (es.caravan("second-2018"), en.caravan("second-2018")) == ("segunda caravana de 2018", "second 2018 caravan")
    # a user's scenario: no names in the package, its identifiers as they are
    assert (es.place("Villa Nueva"), en.place("Villa Nueva")) == ("Villa Nueva", "Villa Nueva")
    assert (es.caravan("my-caravan"), en.caravan("my-caravan")) == ("caravana my-caravan", "caravan my-caravan")
    assert (es.quantity("present", 1), es.quantity("present", 4000), es.quantity("present")) == (
        "presente", "presentes", "presentes")
    assert (en.quantity("asylum_requests", 1), en.quantity("asylum_requests", 3)) == ("asylum request", "asylum requests")
    assert es.quantity("dead", 1) == "fallecido" and es.quantity("caravan_size", 2000) == "tamaño de la caravana"
    assert es.quantity("not_a_quantity") == "not a quantity"


# ---------------------------------------------------------------- the displays


def test_brief_in_the_terminal_and_as_a_page(folder, monkeypatch):
    monkeypatch.setattr(common, "_speaking", [])  # the command's --lang, not left to later tests
    es = runner.invoke(app, ["brief", "Ciudad de México", str(folder), "--lang", "es"])
    assert es.exit_code == 0, es.output
    assert es.output.startswith("Ficha: Ciudad de México\n") and "Mexico City" not in es.output
    en = runner.invoke(app, ["brief", "ciudad de mexico", str(folder), "--lang", "en"])
    assert en.output.startswith("Briefing: Mexico City\n")
    reports = [{"date": "2018-10-31", "place": "Juchitan", "quantity": "present", "value": 1}]
    b = from_members("Juchitan", np.array([[0, 100, 4000, 300]], dtype=float), kind="run", scenario="corridor",
                     source="x", start=dt.date(2018, 10, 29), reports=reports)
    assert "31 oct 2018 Juchitán: presente 1" in summary(b, language("es"))
    html = page(b, "es")
    assert "<title>Ficha: Juchitán</title>" in html and "<h2>Juchitán</h2>" in html
    assert "<td>Juchitán</td><td>presente</td>" in html
    assert "<h2>Juchitán</h2>" in page(b, "en") and "Juchitan<" not in page(b, "en")


def test_a_place_without_a_name_is_shown_by_its_identifier():
    b = from_members("Villa Nueva", np.array([[0, 100, 40, 3]], dtype=float), kind="run", scenario="mine",
                     source="x", start=dt.date(2020, 1, 1))
    assert summary(b, language("es")).startswith("Ficha: Villa Nueva\n")
    assert "<h2>Villa Nueva</h2>" in page(b, "en")


def test_the_runs_tables_name_places_and_caravans(results, monkeypatch):
    from caravana.cli import run
    from caravana.cli.run import _print_caravan_summary

    es = _printed(monkeypatch, run, _print_caravan_summary, results, lang="es")
    assert "Caravana de octubre de 2018: dónde está el centro de la columna" in es
    assert "Segunda caravana de 2018: dónde está" in es
    assert "Juchitán" in es and "Ciudad de México" in es and "october-2018" not in es and "Juchitan " not in es
    en = _printed(monkeypatch, run, _print_caravan_summary, results, lang="en")
    assert "October 2018 caravan: where the centre of the column is" in en and "Mexico City" in en
    # dates as the rest of the output writes them ("12 oct 2018"), not ISO (session 22's walk)
    assert "│ 12 oct 2018 │ San Pedro Sula" in es and "│ 12 Oct 2018 │ San Pedro Sula" in en
    assert not re.search(r"\d{4}-\d\d-\d\d", es + en)


def test_files_keep_the_identifiers(folder):
    places = set(pq.read_table(folder / "counts.parquet").column("place").to_pylist())
    assert {"Juchitan", "Mexico City"} <= places and "Juchitán" not in places
    caravans = set(pq.read_table(folder / "caravans.parquet").column("caravan").to_pylist())
    assert "october-2018" in caravans


def test_report_names_places_in_its_language(folder, tmp_path, monkeypatch):
    from caravana.report import build_report

    monkeypatch.setenv(catalogue.HOME_ENV, str(tmp_path / "home"))
    es = build_report(str(folder), tmp_path / "es" / "report.html", lang="es")[-1].read_text(encoding="utf-8")
    assert "<h2>Juchitán</h2>" in es and re.search(r"<td>Juchitán</td>", es) and "<td>Juchitan</td>" not in es
    en = build_report(str(folder), tmp_path / "en" / "report.html", lang="en")[-1].read_text(encoding="utf-8")
    assert "<td>Mexico City</td>" in en or "<h2>Mexico City</h2>" in en
    assert "Ciudad de México" not in en


def test_dashboard_serves_the_names_and_briefs_with_them(folder, tmp_path, monkeypatch):
    from caravana.dashboard.app import create_app

    monkeypatch.setenv(catalogue.HOME_ENV, str(tmp_path / "home"))
    client = TestClient(create_app(tmp_path / "ws", [folder]))
    es = client.get("/api/i18n/es").json()
    assert es["places"]["Mexico City"] == "Ciudad de México" and es["caravans"]["second-2018"] == "segunda caravana de 2018"
    en = client.get("/api/i18n/en").json()
    assert "Mexico City" not in en["places"] and en["caravans"]["second-2018"] == "second 2018 caravan"
    run_id = client.get("/api/runs").json()[0]["id"]
    brief = client.get(f"/api/runs/{run_id}/brief", params={"place": "Ciudad de México", "lang": "es"}).json()
    assert brief["place"] == "Mexico City" and "<h2>Ciudad de México</h2>" in brief["html"]
    brief = client.get(f"/api/runs/{run_id}/brief", params={"place": "Juchitan", "lang": "en"}).json()
    assert "<h2>Juchitán</h2>" in brief["html"]


def test_forecast_tables_name_places_and_caravans(monkeypatch):
    from caravana.cli import forecast
    from caravana.cli.forecast import print_held_back, print_places
    from caravana.forecast import run_forecast
    from caravana.observations import read_observations

    corridor = load_scenario("corridor")
    observations = read_observations(BUILTIN_DIR / "corridor" / "observations_2018.csv").check_against(corridor)
    run = run_forecast(corridor, observations, dt.date(2018, 10, 22), 3, particles=4, seed=0)
    es = _printed(monkeypatch, forecast, print_places, run, lang="es")
    assert "Ciudad de México" in es and "Juchitán" in es and "Mexico City" not in es
    en = _printed(monkeypatch, forecast, print_places, run, lang="en")
    assert "Mexico City" in en and "Juchitán" in en
    held = _printed(monkeypatch, forecast, print_held_back, run, lang="es")
    assert "presentes" in held and " present " not in held
    assert "Juchitan" in set(run.forecast.places.column("place").to_pylist())  # the table keeps identifiers


# a user's own scenario whose places share identifiers with the corridor's named places
OWN_LOCATIONS = """\
name,type,country,lat,lon,population,capacity
Cordoba,conflict_zone,X,10.0,20.0,1000,
Juchitan,town,X,10.5,20.5,500,
Mexico City,camp,Y,11.0,21.0,0,300
"""
OWN_ROUTES = "from,to,km\nCordoba,Juchitan,100\nJuchitan,Mexico City,150\n"


@pytest.mark.parametrize("name", ["tiny", "corridor"])
def test_a_users_own_place_keeps_its_name(name, yaml_scenario, tmp_path, monkeypatch):
    """The shown names are the built-in corridor's: a user's "Cordoba" is not Córdoba (Veracruz),
    even in a scenario of the user's named "corridor" (the names went by the scenario's name)."""
    es = language("es")
    assert (es.about("corridor").place("Cordoba"), es.about("corridor-2021").place("Juchitan")) == ("Córdoba", "Juchitán")
    assert (es.about("tiny").place("Cordoba"), language("en").about("tiny").place("Juchitan")) == ("Cordoba", "Juchitan")
    # the other built-in scenario with names keeps them (s22review: venezuela2022 had lost them)
    assert (es.about("venezuela2022").place("Cucuta"), es.about("venezuela2022").place("Merida")) == ("Cúcuta", "Mérida")
    scenario = yaml_scenario(locations=OWN_LOCATIONS, routes=OWN_ROUTES, yaml=SCENARIO_YML.replace("name: tiny", f"name: {name}"),
                             closures="kind,name1,name2,start,end\ncountry,X,Y,5,8\n")
    monkeypatch.setattr(common, "_speaking", [])
    monkeypatch.setenv(catalogue.HOME_ENV, str(tmp_path / "home"))
    monkeypatch.setenv("COLUMNS", "80")
    out = tmp_path / "mine"
    run = runner.invoke(app, ["run", str(scenario), "--out", str(out), "--lang", "es"])
    assert run.exit_code == 0, run.output
    assert "Cordoba" in run.output and "Juchitan" in run.output
    assert not re.search("Córdoba|Juchitán|Ciudad de México", run.output)
    brief = runner.invoke(app, ["brief", "Juchitan", str(out), "--lang", "es"])
    assert brief.exit_code == 0 and brief.output.startswith("Ficha: Juchitan\n"), brief.output
    from caravana.report import build_report

    report = build_report(str(out), tmp_path / "report.html", lang="es")[-1].read_text(encoding="utf-8")
    assert "Juchitan" in report and not re.search("Córdoba|Juchitán|Ciudad de México", report)
    # the folder alone (no catalogue: no map, the busiest places' briefings), whose briefings said "Córdoba"
    monkeypatch.setenv(catalogue.HOME_ENV, str(tmp_path / "no-catalogue"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "catalogue not read"
        alone = build_report(str(out), tmp_path / "alone.html", lang="es")[-1].read_text(encoding="utf-8")
    assert '<article class="briefing" lang="es" data-place="Cordoba">\n<h2>Cordoba</h2>' in alone
    assert not re.search("Córdoba|Juchitán|Ciudad de México", alone)
    wrong = runner.invoke(app, ["brief", "Juchitlan", str(out), "--lang", "es"])  # its suggestion too
    assert wrong.exit_code == 2 and "¿quiso decir 'Juchitan'?" in wrong.output, wrong.output


def test_a_caravan_not_yet_on_the_road_is_one_line_not_an_empty_table(monkeypatch):
    """A two-day run printed, for each caravan that leaves later, a table's heading with no row (session 22's walk)."""
    from caravana.cli import run
    from caravana.cli.run import _print_caravan_summary

    short = caravana.run("corridor", seed=1, days=2)
    es = _printed(monkeypatch, run, _print_caravan_summary, short, lang="es")
    assert "Segunda caravana de 2018: no está en camino en los 2 días de esta corrida" in es
    assert es.count("dónde está el centro de la columna") == 1  # the October caravan's table only
    en = _printed(monkeypatch, run, _print_caravan_summary, short, lang="en")
    assert "Second 2018 caravan: not on the road in this run's 2 days" in en
