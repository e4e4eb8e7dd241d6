"""A place's briefing (caravana.briefing): its figures against an independent pandas
computation, a forecast folder's briefing, ``caravana brief`` and its one-page PDF."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import caravana
from caravana.behaviours.corridor.aid import read_standards
from caravana.briefing.page import fragment, sentences
from caravana.briefing.sources import briefing
from caravana.cli import app
from caravana.ensemble import run_ensemble
from caravana.forecast import run_forecast, write_forecast
from caravana.forecast.parameters import default_factors
from caravana.i18n import count, language, whole
from caravana.observations import read_observations
from caravana.results.io import write_results
from caravana.scenario.load import BUILTIN_DIR, load_scenario

runner = CliRunner()
MEMBERS = 20
STAYING = ("resting", "waiting", "arrived")


@pytest.fixture(scope="session")
def ensemble20(tmp_path_factory) -> Path:
    """A 20-member ensemble of the corridor scenario, long enough to reach Tijuana (made once)."""
    out = tmp_path_factory.mktemp("briefing") / "ens20"
    run_ensemble("corridor", members=MEMBERS, root_seed=2, backend="inprocess", out_dir=out)
    return out


def members_present(folder: Path, place: str) -> pd.DataFrame:
    """(day x member) people staying at ``place``, read with pandas from the members' Parquet."""
    frames = []
    for m, path in enumerate(sorted((folder / "members").glob("member=*/counts.parquet"))):
        df = pq.read_table(path).to_pandas()
        df["place"], df["status"] = df["place"].astype(str), df["status"].astype(str)
        df = df[(df["place"] == place) & df["status"].isin(STAYING)]
        frames.append(df.groupby("day")["count"].sum().rename(m))
    return pd.concat(frames, axis=1).fillna(0)


@pytest.mark.parametrize("place", ["Matias Romero", "Guadalajara", "Tijuana El Chaparral"])
def test_peak_range_is_p5_p95_of_each_members_own_peak(ensemble20, place):
    b = briefing(ensemble20, place)
    present = members_present(ensemble20, place)
    peaks = present.max(axis=0)
    assert len(peaks) == MEMBERS == b.members
    assert b.peak.p5 == pytest.approx(peaks.quantile(0.05))
    assert b.peak.p50 == pytest.approx(peaks.quantile(0.5))
    assert b.peak.p95 == pytest.approx(peaks.quantile(0.95))
    # (Each member's own peak, not the median of the daily medians, which is lower for a crowd passing
    # on different days in different members. In the 2018 scenario since session 6 the members keep
    # the same days up to the border - no random rest day before Huixtla, as reported - so no place
    # of the route shows that gap in 20 members; it is not asserted here.)
    assert b.person_days.p50 == pytest.approx(present.sum(axis=0).quantile(0.5))
    water = next(n for n in b.needs if n.name == "water_l")
    assert water.value == 15 and water.per_day.p95 == pytest.approx(15 * peaks.quantile(0.95))


def test_arrival_is_a_large_group_coming_on_top_of_those_there_from_the_start(ensemble20):
    """Migrants in transit wait at Arriaga (the freight-train town) from before the run: they did not
    arrive on its first day. The arrival is the first day a tenth of the member's own peak has come
    on top of them."""
    b = briefing(ensemble20, "Arriaga")
    present = members_present(ensemble20, "Arriaga")
    firsts, waiting = [], []
    for m in present.columns:
        series = present[m].reindex(range(present.index.max() + 1), fill_value=0)
        tenth = max(0.1 * series.max(), 1)
        base = series.iloc[0] if series.iloc[0] >= tenth else 0
        if base:
            waiting.append(base)
        firsts.append(int(series.index[series - base >= tenth][0]))
    assert waiting and b.from_start.n == len(waiting)  # the test's point: people there from day 0
    assert b.from_start.p5 >= min(waiting) and b.from_start.p95 <= max(waiting)
    assert 0 < min(firsts) <= b.arrival.p5 <= b.arrival.p50 <= b.arrival.p95 <= max(firsts)
    assert {b.arrival.p5, b.arrival.p50, b.arrival.p95} <= set(firsts)
    ordered = sorted(firsts)
    assert ordered[(len(ordered) - 1) // 2] <= b.arrival.p50 <= ordered[len(ordered) // 2]
    assert b.date(b.arrival.p50) == dt.date(2018, 10, 12) + dt.timedelta(days=int(b.arrival.p50))
    says = sentences(b, language("en"))
    assert "already here on 12 Oct 2018, the first simulated day: they came before it" in says["from_start"]


def test_a_place_where_no_group_comes_on_top_says_so():
    from caravana.briefing.figures import from_members

    present = [[160, 160, 150, 40, 0, 0], [0, 0, 30, 300, 280, 0]]  # waiting from the start; a caravan passing
    b = from_members("X", present, kind="ensemble", scenario="s", source="f", start=dt.date(2018, 10, 12))
    assert b.from_start.n == 1 and b.from_start.p50 == 160 and b.arrival.n == 1 and b.arrival.p50 == 2
    alone = from_members("X", present[:1], kind="run", scenario="s", source="f", start=dt.date(2018, 10, 12))
    assert alone.arrival is None
    says = sentences(alone, language("es"))
    assert says["arrival"] == "Ningún grupo grande llega además de quienes están aquí desde el principio."
    assert says["from_start"].startswith("160 personas ya están aquí el 12 oct 2018, el primer día simulado")


def test_single_run_briefing_has_no_range(tmp_path):
    folder = tmp_path / "run"
    write_results(caravana.run("corridor", seed=1, days=30), folder)
    b = briefing(folder, "Juchitan")
    assert b.members == 1 and b.peak.exact
    text = runner.invoke(app, ["brief", "Juchitán", str(folder), "--lang", "en"]).output
    assert "no range" in text and "Juchitán" in text
    import re

    for lang in ("en", "es"):  # no "(4 to 4)": a single run's figures are given without a range
        said = " ".join(sentences(b, language(lang)).values())
        assert not re.search(r"\((\S+) (to|a) \1\)", said), said
    # nor "In 1 of 1 futures", nor a median and a P95 that are one figure twice ("72,360 / 72,360")
    from caravana.briefing.text import summary

    es = summary(b, language("es"))
    assert "1 de 1" not in es and "Qué preparar (un día en el máximo):" in es and "mediana" not in es
    water = next(n for n in b.needs if n.name == "water_l")
    assert f"Agua (litros): {language('es').number(water.per_day.p50)}  [" in es
    if b.still_there:
        assert "Todavía hay gente aquí el " in es
    from caravana.briefing.page import needs_table

    table = needs_table(b, language("es"))  # the page's table: no P95 column, no "(x)" after the whole stay
    assert "Prever (P95)" not in table and not re.search(r"\(\d", table)


@pytest.fixture(scope="module")
def forecast6(tmp_path_factory):
    """A 6-particle, 6-day forecast of the corridor scenario as of Oct 22, 2018, and its folder."""
    corridor = load_scenario("corridor")
    reports = read_observations(BUILTIN_DIR / "corridor" / "observations_2018.csv").check_against(corridor)
    run = run_forecast(corridor, reports, dt.date(2018, 10, 22), 6, particles=6, seed=0,
                       factors=default_factors(corridor))
    folder = tmp_path_factory.mktemp("forecast") / "fc"
    write_forecast(run, folder, plot=False)
    return run, folder


def test_forecast_briefing_shows_as_of_date_and_reports(forecast6):
    run, folder = forecast6
    b = briefing(folder, "Pijijiapan")
    assert b.kind == "forecast" and b.as_of == dt.date(2018, 10, 22)
    assert any(r["place"] == "Pijijiapan" and r["date"] == "2018-10-25" and r["after_as_of"] for r in b.reports)
    row = next(r for r in run.forecast.places.to_pylist() if r["ensemble"] == "posterior" and r["place"] == "Pijijiapan")
    assert (b.peak.p5, b.peak.p95) == (row["peak_present_p5"], row["peak_present_p95"])
    # Pijijiapan is ahead of several caravans: the briefing says whose arrival it gives, and the
    # others' windows (they were not shown: Tapachula's "arrives 27-30 Oct" was the second caravan's)
    rows = [r for r in run.forecast.places.to_pylist() if r["ensemble"] == "posterior" and r["place"] == "Pijijiapan"]
    assert len(rows) > 1 and b.caravan == row["caravan"]
    others = {name: window for name, window in b.other_caravans}
    assert set(others) == {r["caravan"] for r in rows} - {row["caravan"]}
    es = language("es")
    said = sentences(b, es)["caravan"]  # the caravans by their labels ("segunda caravana de 2018")
    assert said.startswith(f"Esa llegada es la de la {es.caravan(row['caravan'])}.")
    for r in rows:  # a 6-day forecast: the later caravans come after its end in some futures
        if r["caravan"] != row["caravan"]:
            assert others[r["caravan"]] is None and r["arrival_p95"] is None
            assert f"La {es.caravan(r['caravan'])} también llega aquí, en algunos futuros después del 28 oct 2018" in said
    # water and food over the whole stay: people-days times the daily standard (was "–")
    totals = {need.name: need.total for need in b.needs}
    assert totals["covered_m2"] is None and totals["toilets"] is None  # set up once, for the peak
    standards = read_standards()
    assert totals["water_l"].p50 == pytest.approx(row["person_days_p50"] * standards["water_total_min"])
    assert totals["food_kcal"].p95 == pytest.approx(row["person_days_p95"] * standards["food_energy_min"])
    # The daily table repeats a place's series under every caravan that has it ahead: the days
    # above half the peak are one caravan's, never more than the forecast's days.
    daily = [r for r in run.forecast.daily.to_pylist() if r["ensemble"] == "posterior" and r["series"] == "present"
             and r["place"] == "Pijijiapan"]
    assert len({r["caravan"] for r in daily}) > 1  # the case this guards
    # ... and counted over the forecast's days (after the as-of date), as its peak and people-days
    # are: the table starts on the scenario's first day ("20 days" in a 10-day forecast, walk D2).
    # The sentence says which days.
    assert min(r["date"] for r in daily) < dt.date(2018, 10, 22)  # the past this guards against
    mine = np.array([r["p50"] for r in daily if r["caravan"] == row["caravan"]
                     and dt.date(2018, 10, 22) < r["date"] <= dt.date(2018, 10, 28)])
    assert len(mine) == 6 and b.days_above_half.p50 == (mine > mine.max() / 2).sum()
    es = sentences(b, language("es"))
    assert es["days"].startswith("Del 23 oct 2018 al 28 oct 2018, los días del pronóstico, más de la mitad del máximo "
                                 "está aquí durante ")
    assert "personas-día del 23 oct 2018 al 28 oct 2018 (" in es["person_days"]
    assert "From 23 Oct 2018 to 28 Oct 2018, the forecast's days" in sentences(b, language("en"))["days"]
    page = fragment(b, language("es"))
    assert b.days_above_half.p95 == 1  # one day: singular ("1 días" was session 20's walk)
    assert "<span>día por encima de la mitad del máximo, 23 oct – 28 oct</span>" in page
    assert "Días del pronóstico" in page and "Toda la estancia" not in page  # the needs' column, as the people-days
    for lang, as_of in (("en", "22 Oct 2018"), ("es", "22 oct 2018")):
        out = runner.invoke(app, ["brief", "Pijijiapan", str(folder), "--lang", lang])
        assert out.exit_code == 0, out.output
        arrived = {"en": "arrived", "es": "llegados"}[lang]  # the quantity's name in the reader's language
        day = {"en": "25 Oct 2018", "es": "25 oct 2018"}[lang]
        assert as_of in out.output and f"{day} Pijijiapan: {arrived}" in out.output


def test_report_and_dashboard_give_a_forecast_folder_the_forecasts_own_briefing(forecast6, tmp_path, monkeypatch):
    """One answer per place: `caravana report` and the dashboard brief a forecast folder as
    `caravana brief` does (its figures after the as-of date, "a forecast of N particles"), not
    from its posterior's members (whose series start on the scenario's first day and mix every
    caravan: "16 Oct - 29 Oct" at Juchitan for the October caravan, then in Guatemala)."""
    from fastapi.testclient import TestClient

    from caravana import catalogue
    from caravana.briefing.sources import forecast_places
    from caravana.dashboard.app import create_app
    from caravana.report import build_report

    monkeypatch.setenv(catalogue.HOME_ENV, str(tmp_path / "home"))
    _, folder = forecast6
    ahead = forecast_places(folder)
    en = language("en")
    build_report(str(folder), tmp_path / "fc.html", lang="en")
    html = (tmp_path / "fc.html").read_text(encoding="utf-8")
    briefed = [p for p in ahead if fragment(briefing(folder, p), en) in html]
    assert briefed, "the report shows none of the forecast's own briefings"
    assert "a forecast of 6 particles" in html and "an ensemble of 6 runs" not in html
    with TestClient(create_app(tmp_path / "workspace", [folder]), base_url="http://127.0.0.1") as client:
        summary = client.get("/api/runs/fc").json()
        assert set(summary["briefed_places"]) == set(ahead)  # the page offers only these
        got = client.get("/api/runs/fc/brief", params={"place": "Pijijiapan", "lang": "en"}).json()
        assert got["html"] == fragment(briefing(folder, "Pijijiapan"), en)
        assert got["key_places"] and set(got["key_places"]) <= set(ahead)
        # a place the forecast has no figures for (behind every caravan): said, as `caravana brief` says it
        behind = next(p["name"] for p in summary["places"] if p["name"] not in ahead)
        answer = client.get("/api/runs/fc/brief", params={"place": behind, "lang": "en"})
    assert answer.status_code == 404 and f"has no figures for '{behind}'" in answer.json()["detail"]


def test_a_moved_forecast_folder_still_lists_its_reports(forecast6, tmp_path):
    """The observations file named in forecast.json is gone (the folder was copied to another
    machine): the briefing lists the reports the forecast keeps beside its bands, as the report
    and the dashboard did before they used the forecast's briefing."""
    import json

    _, folder = forecast6
    moved = tmp_path / "moved"
    shutil.copytree(folder, moved)
    meta = json.loads((moved / "forecast.json").read_text(encoding="utf-8"))
    meta["observations_file"] = str(tmp_path / "gone.csv")
    (moved / "forecast.json").write_text(json.dumps(meta), encoding="utf-8")
    key = lambda b: [(r["date"], r["place"], r["quantity"], r["value"], r["after_as_of"]) for r in b.reports]  # noqa: E731
    here, there = briefing(folder, "Pijijiapan"), briefing(moved, "Pijijiapan")
    assert key(here) and key(there) == key(here)


def test_unknown_place_is_a_clear_error_suggesting_the_names_shown(ensemble20):
    """The suggestions are the places as the user reads them ("Juchitán", not the identifier
    "Juchitan"), in both languages; a name close to none gets no guess (Huixtla was one)."""
    es = runner.invoke(app, ["brief", "Juchitlan", str(ensemble20), "--lang", "es"])
    assert es.exit_code == 2 and es.output == "error: no hay lugar llamado 'Juchitlan' (¿quiso decir 'Juchitán'?)\n"
    en = runner.invoke(app, ["brief", "tecun", str(ensemble20), "--lang", "en"])
    assert en.exit_code == 2 and en.output == "error: no place named 'tecun' (did you mean 'Tecún Umán'?)\n"
    mexico = runner.invoke(app, ["brief", "ciudad de mexco", str(ensemble20), "--lang", "es"])  # its other names too
    assert mexico.exit_code == 2 and "¿quiso decir 'Ciudad de México'" in mexico.output, mexico.output


def test_whole_numbers_round_half_away_from_zero():
    assert [whole(x) for x in (8.5, 9.5, 2.4, -8.5)] == [9, 10, 2, -9]
    assert language("en").number(8.5) == "9" and language("es").number(2600) == "2,600"
    assert count(8.5) == "9" and count(2599.5) == "2,600"  # the CLI and report tables: as the dashboard


@pytest.mark.skipif(shutil.which("chromium") is None or shutil.which("pdftotext") is None,
                    reason="needs chromium and pdftotext")
@pytest.mark.parametrize("lang,words", [("es", ("personas", "Agua", "Letrinas")),
                                        ("en", ("people", "Water", "Toilets"))])
def test_pdf_is_one_page_with_the_key_figures(ensemble20, tmp_path, lang, words):
    pdf = tmp_path / f"juchitan-{lang}.pdf"
    out = runner.invoke(app, ["brief", "Juchitan", str(ensemble20), "--lang", lang, "--pdf", str(pdf)])
    assert out.exit_code == 0, out.output
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    b = briefing(ensemble20, "Juchitan")
    lang_ = language(lang)
    for figure in (lang_.number(b.peak.p5), lang_.number(b.peak.p95), lang_.number(b.person_days.p50),
                   lang_.date(b.date(b.arrival.p5), year=False), *words):
        assert figure in text, figure


def test_compiled_catalogue_matches_its_po_source():
    from babel.messages.pofile import read_po

    from caravana.i18n import LOCALE_DIR

    with open(LOCALE_DIR / "es" / "LC_MESSAGES" / "caravana.po", "rb") as f:
        messages = [m for m in read_po(f) if m.id and not isinstance(m.id, tuple)]
    po = {(m.context, m.id): m.string for m in messages}
    assert all(po.values()), [k for k, v in po.items() if not v]  # every message translated
    compiled = language("es").translations
    assert {(c, k): compiled.pgettext(c, k) if c else compiled.gettext(k) for c, k in po} == po  # run
    # `python tools/i18n.py` after editing the .po
    assert any(c == "error" for c, _ in po)  # the errors' templates are there too


def test_report_puts_key_places_first_and_peaks_are_members_own(ensemble20, tmp_path):
    import re

    from caravana.report import build_report

    page = build_report(str(ensemble20), tmp_path / "report.html", lang="en")[-1].read_text(encoding="utf-8")
    sections = re.findall(r'<section id="([a-z]+)"', page)
    assert sections[0] == "briefings"
    briefed = re.findall(r'data-place="([^"]+)"', page)
    assert {"Juchitan", "Mexico City", "Tijuana El Chaparral"} <= set(briefed)
    row = re.search(r"<td>Juchitán</td><td class=\"n\">([\d,]+)</td>", page[page.index('id="places"'):])
    own = members_present(ensemble20, "Juchitan").max(axis=0)
    # "present" (also on the road leaving) holds at least everyone staying: its peak is no lower
    assert int(row.group(1).replace(",", "")) >= own.quantile(0.05)


@pytest.mark.parametrize("command", [["run"], ["ensemble"], ["forecast"], ["calibrate"], ["report"], ["brief"],
                                     ["serve"]])
def test_help_says_what_the_command_writes(command):
    out = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert out.exit_code == 0 and "Writes" in out.output


def test_ensemble_tables_are_also_csv(ensemble20):
    for name in ("quantiles", "outcomes", "outcome_quantiles", "arrays/needs", "arrays/caravans"):
        csv, parquet = ensemble20 / f"{name}.csv", ensemble20 / f"{name}.parquet"
        assert csv.is_file() and len(pd.read_csv(csv)) == pq.read_metadata(parquet).num_rows


def test_results_series_counts_everyone_staying_at_the_place():
    results = caravana.run("corridor", seed=1, days=20)
    i = results.place_index("Tapachula")
    staying = results.counts[:, i, 0] + results.counts[:, i, 2] + results.counts[:, i, 6]  # resting, waiting, arrived
    assert (results.series("Tapachula") == staying).all() and results.counts[:, i, 2].max() > 0
    assert (results.series("Tapachula", "resting") == results.counts[:, i, 0]).all()


def test_place_names_with_accents_and_spanish_forms_in_every_input(tmp_path):
    from caravana.scenario.overrides import apply_overrides

    corridor = load_scenario("corridor")
    changed = apply_overrides(corridor, {"locations[Juchitán].capacity": 500})
    assert next(loc for loc in changed.locations if loc.name == "Juchitan").capacity == 500
    csv = tmp_path / "observations.csv"  # invented rows: days to Oct 31, 2018, places the caravan had reached by then
    csv.write_text("date,place,quantity,value,low,high,source,note\n"
                   "2018-10-31,Juchitán,present,4000,,,test,\n2018-10-17,Ciudad de Guatemala,present,5000,,,test,\n",
                   encoding="utf-8")
    rows = read_observations(csv).check_against(corridor).rows
    assert [(r.place, r.row) for r in rows] == [("Juchitan", 2), ("Guatemala City", 3)]
    out = runner.invoke(app, ["run", "corridor", "--days", "2", "--set", "locations[Juchitlan].capacity=5",
                              "--out", str(tmp_path / "bad")])
    assert out.exit_code == 2 and "no item named 'Juchitlan'" in out.output and not (tmp_path / "bad").exists()
    caravan = runner.invoke(app, ["run", "corridor", "--days", "2", "--set", "corridor.caravans[octubre-2018].pace_km=30",
                                  "--out", str(tmp_path / "bad"), "--lang", "es"])  # a caravan by its Spanish name
    assert caravan.exit_code == 2 and caravan.output.endswith(
        "no hay elemento llamado 'octubre-2018' (¿quiso decir 'october-2018'?)\n"), caravan.output


def test_dashboard_gives_each_members_own_peak_and_the_briefing(ensemble20, tmp_path):
    from fastapi.testclient import TestClient

    from caravana.dashboard.app import create_app

    client = TestClient(create_app(tmp_path / "ws", [ensemble20]))
    run_id = client.get("/api/runs").json()[0]["id"]
    s = client.get(f"/api/runs/{run_id}/series", params={"place": "Guadalajara", "quantity": "staying"}).json()
    peaks = members_present(ensemble20, "Guadalajara").max(axis=0)
    assert s["own_peak"]["p5"] == pytest.approx(peaks.quantile(0.05))
    assert s["own_peak"]["p95"] == pytest.approx(peaks.quantile(0.95))
    brief = client.get(f"/api/runs/{run_id}/brief", params={"place": "juchitán", "lang": "es"}).json()
    assert brief["place"] == "Juchitan" and "personas aquí en el máximo" in brief["html"]
    assert client.get("/place/Juchitan").status_code == 200
    assert client.get(f"/api/runs/{run_id}/brief", params={"place": "Atlantis"}).status_code == 404


@pytest.mark.skipif(shutil.which("chromium") is None or shutil.which("strace") is None,
                    reason="needs chromium and strace")
def test_pdf_is_made_without_looking_up_any_host(tmp_path):
    """Offline means offline: the browser that prints the PDF sends no DNS query (Chromium
    asked for clients2.google.com, update.googleapis.com and accounts.google.com before).
    Skipped where chromium or strace is missing (then nothing checks this)."""
    trace = tmp_path / "trace.txt"
    script = ("from pathlib import Path; from caravana.briefing.pdf import html_to_pdf; "
              f"html_to_pdf('<html><body><p>hola</p></body></html>', Path({str(tmp_path / 'x.pdf')!r}))")
    done = subprocess.run(["strace", "-f", "-qq", "-e", "trace=connect", "-o", str(trace),
                           sys.executable, "-c", script], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "x.pdf").stat().st_size > 0
    lookups = [line for line in trace.read_text().splitlines() if "htons(53)" in line]
    assert not lookups, lookups[:3]


def test_terminal_briefing_names_reports_in_the_readers_language():
    """`caravana brief` in Spanish listed reports as "present 4,000", "arrived" and said
    "1 reportes"; it now says what the page says, and how many reports it left out."""
    from caravana.briefing.figures import from_members
    from caravana.briefing.text import SHOWN_REPORTS, summary

    present = np.array([[0, 100, 4000, 300]], dtype=float)
    one = [{"date": "2018-10-31", "place": "Juchitan", "quantity": "present", "value": 4000}]
    b = from_members("Juchitan", present, kind="run", scenario="corridor", source="x",
                     start=dt.date(2018, 10, 29), reports=one)
    es = summary(b, language("es"))
    assert "1 reporte en este lugar o cerca." in es and "31 oct 2018 Juchitán: presentes 4,000" in es
    assert "present 4" not in es
    assert "31 Oct 2018 Juchitán: present 4,000" in summary(b, language("en"))
    many = [{"date": f"2018-10-{d}", "place": "Juchitan", "quantity": "arrived", "value": None} for d in range(10, 20)]
    b = from_members("Juchitan", present, kind="run", scenario="corridor", source="x",
                     start=dt.date(2018, 10, 29), reports=many)
    es = summary(b, language("es"))
    assert "10 reportes en este lugar o cerca." in es and es.count(": llegados") == SHOWN_REPORTS
    assert f"... y {10 - SHOWN_REPORTS} más" in es


def test_a_place_ahead_of_several_caravans_gives_the_others_windows():
    """The sentence of the other caravans' arrival windows (a forecast's place ahead of several)."""
    from caravana.briefing.figures import Spread, from_members

    b = from_members("Juchitan", np.array([[0, 100, 4000, 300]], dtype=float), kind="forecast", scenario="corridor",
                     source="x", start=dt.date(2018, 10, 12))
    b.caravan, b.as_of = "october-2018", dt.date(2018, 10, 24)
    b.other_caravans = [("second-2018", Spread(23, 24, 27, 20, 20)), ("salvadoran-oct28", None)]
    said = sentences(b, language("es"))["caravan"]
    assert said == ("Esa llegada es la de la caravana de octubre de 2018. La segunda caravana de 2018 también llega "
                    "aquí: entre el 4 nov 2018 y el 8 nov 2018 (mediana 5 nov 2018). La caravana salvadoreña del 28 de "
                    "octubre también llega aquí, en algunos futuros después del 15 oct 2018, el último día "
                    "pronosticado.")


def test_a_forecast_of_an_own_scenario_has_one_briefing_everywhere(forecast6, tmp_path, monkeypatch):
    """`caravana brief`, the report and the dashboard brief a forecast folder with one function
    (sources.forecast_briefing) and one map, the folder's own world.json. brief took the map of
    the built-in scenario of the forecast's name: a forecast of a renamed or an own scenario got
    none, and listed only the reports at the place (Tapachula: 4 where the report listed 10)."""
    import json

    from caravana import catalogue
    from caravana.briefing.sources import briefing_of_loaded, forecast_places
    from caravana.display.loading import load_folder
    from caravana.report import build_report

    monkeypatch.setenv(catalogue.HOME_ENV, str(tmp_path / "home"))
    _, folder = forecast6
    own = tmp_path / "own"
    shutil.copytree(folder, own)
    meta = json.loads((own / "forecast.json").read_text(encoding="utf-8"))
    meta["scenario"] = "corredor-albergue"  # a copy of the corridor's YAML under its own name
    (own / "forecast.json").write_text(json.dumps(meta), encoding="utf-8")
    place = "Tapachula"
    said = briefing(own, place)
    assert said == briefing_of_loaded(load_folder(own), place)  # the dashboard's
    near_only = [r for r in said.reports if r["place"] != place]
    assert near_only, "no report near Tapachula but at it: the briefing had no map"
    assert [r["place"] for r in said.reports] == [r["place"] for r in briefing(folder, place).reports]
    en = language("en")
    build_report(str(own), tmp_path / "own.html", lang="en")
    html = (tmp_path / "own.html").read_text(encoding="utf-8")
    same = [p for p in forecast_places(own) if fragment(briefing(own, p), en) in html]
    assert same and len(same) == html.count('<article class="briefing"'), same  # every briefing of the report


def test_one_day_is_said_in_the_singular_and_the_no_figures_error_writes_its_date(forecast6, tmp_path):
    """"1 días por encima de la mitad del máximo" in a briefing's key figures, "1 días" after a
    one-day run; and the error for a place the forecast has no figures for gave its as-of date
    as "2018-10-22" among Spanish words (the rest of the output writes "22 oct 2018")."""
    import dataclasses

    from caravana.briefing.figures import Spread

    _, folder = forecast6
    b = briefing(folder, "Pijijiapan")
    one = dataclasses.replace(b, days_above_half=Spread(1.0, 1.0, 1.0, 1, 1))
    es, en = fragment(one, language("es")), fragment(one, language("en"))
    assert "<span>día por encima de la mitad del máximo, 23 oct – 28 oct</span>" in es and "días por encima" not in es
    assert "<span>day above half the peak, 23 Oct – 28 Oct</span>" in en
    some = dataclasses.replace(b, days_above_half=Spread(1.0, 1.0, 2.0, 6, 6))  # "1–2"
    assert "días por encima de la mitad del máximo" in fragment(some, language("es"))
    for lang, said in (("es", "caravana el 22 oct 2018: "), ("en", "caravan on 22 Oct 2018: ")):
        out = runner.invoke(app, ["brief", "San Pedro Sula", str(folder), "--lang", lang])
        assert out.exit_code == 2 and said in out.output and "2018-10-22" not in out.output, out.output
    out = runner.invoke(app, ["run", "mali2012", "--days", "1", "--lang", "es", "--out", str(tmp_path / "one")],
                        env={"CARAVANA_HOME": str(tmp_path / "home")})
    assert out.exit_code == 0, out.output
    assert " personas, 1 día, semilla " in out.output
