"""``caravana report``: a self-contained HTML page with PNG figures, for a run and an ensemble."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import caravana
from caravana import catalogue
from caravana.cli import app
from caravana.ensemble import run_ensemble
from caravana.report import build_report
from caravana.report.data import CAMP, PRESENT, report_data
from caravana.report.inputs import resolve
from caravana.results.io import write_results
from tests.language_check import english_left

runner = CliRunner()
SECTIONS = ("summary", "timeline", "map", "places", "needs", "outcomes")
FIGURES = ("timeline", "map", "places", "needs", "outcomes")
DAYS = 30


@pytest.fixture(autouse=True)
def caravana_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "caravana-home"
    monkeypatch.setenv(catalogue.HOME_ENV, str(home))
    return home


def make_corridor_run(out: Path, seed: int = 3) -> Path:
    write_results(caravana.run("corridor", seed=seed, days=DAYS), out)
    return out


def make_ensemble(out: Path, members: int = 3) -> Path:
    run_ensemble("corridor", members=members, root_seed=2, days=DAYS, backend="inprocess", out_dir=out)
    return out


@pytest.fixture(scope="module")
def corridor_run(tmp_path_factory) -> Path:
    return make_corridor_run(tmp_path_factory.mktemp("corridor") / "run")


@pytest.fixture(scope="module")
def run_report(corridor_run, tmp_path_factory) -> list[Path]:
    """The corridor run's report, made once for the tests that read it."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(catalogue.HOME_ENV, str(tmp_path_factory.mktemp("home")))
        return build_report(str(corridor_run), tmp_path_factory.mktemp("report") / "report.html")


@pytest.fixture(scope="module")
def ensemble(tmp_path_factory) -> Path:
    return make_ensemble(tmp_path_factory.mktemp("ensemble") / "ens")


def assert_self_contained(html: str) -> list[bytes]:
    """No scripts, styles, fonts or images from anywhere else; return the inline PNGs."""
    lowered = html.lower()
    for forbidden in (
        'src="http',
        "src='http",
        'href="http',
        "href='http",
        "<link",
        "<script",
        "url(",
        "@import",
        "//cdn",
    ):
        assert forbidden not in lowered, forbidden
    sources = re.findall(r'<img[^>]*\ssrc="([^"]*)"', html)
    assert sources and all(s.startswith("data:image/png;base64,") for s in sources)
    assert all(h.startswith("#") for h in re.findall(r'href="([^"]*)"', html))  # in-page anchors only
    pngs = [base64.b64decode(s.split(",", 1)[1]) for s in sources]
    assert all(p.startswith(b"\x89PNG\r\n\x1a\n") for p in pngs)
    return pngs


def _table_row(html: str, first_cell: str) -> list[str]:
    match = re.search(rf"<tr><td>{re.escape(first_cell)}</td>(.*?)</tr>", html)
    assert match, first_cell
    return re.findall(r"<td[^>]*>(.*?)</td>", match.group(1))


def test_run_report_is_self_contained_and_has_every_section(corridor_run, run_report):
    written, out = run_report, run_report[-1]
    assert out.name == "report.html" and [p.name for p in written[:-1]] == [f"report_{f}.png" for f in FIGURES]
    html = out.read_text(encoding="utf-8")
    pngs = assert_self_contained(html)
    assert pngs == [p.read_bytes() for p in written[:-1]]  # the page shows exactly the files beside it
    for section in SECTIONS:
        assert f'<section id="{section}">' in html
    assert "single run" in html and "observations_2018.csv" in html  # the built-in 2018 reports are drawn

    # The outcomes table holds the run's own final totals.
    final = caravana.catalogue.results_from_folder(catalogue.open_results(corridor_run)).totals_by_status()[-1]
    for status, n in zip(caravana.engine.status.STATUS_NAMES, final):
        if n:
            assert _table_row(html, status)[0] == f"{n:,}"


def test_the_same_inputs_make_the_same_report(corridor_run, run_report, tmp_path):
    again = build_report(str(corridor_run), tmp_path / "again" / "report.html")
    assert [p.name for p in again] == [p.name for p in run_report]
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in run_report]


def test_ensemble_report_draws_the_ensembles_bands(ensemble, tmp_path):
    out = tmp_path / "ens.html"
    written = build_report(str(ensemble), out, day="2018-10-20")
    html = out.read_text(encoding="utf-8")
    assert len(assert_self_contained(html)) == len(FIGURES) == len(written) - 1
    assert "ensemble of 3 members" in html and "P5 to P95" in html and "map on 20 Oct 2018" in html  # the chosen date, not a day number
    for section in SECTIONS:
        assert f'<section id="{section}">' in html


def test_ensemble_bands_are_the_members_quantiles(ensemble):
    data = report_data(catalogue.open_results(ensemble))
    members = [
        catalogue.dense_counts(pq.read_table(f), str(f), data.days, list(data.places))[0]
        for f in sorted((ensemble / "members").glob("member=*/counts.parquet"))
    ]
    assert data.members == len(members) == 3
    counts = np.stack(members)
    present_index = [caravana.engine.status.STATUS_NAMES.index(s) for s in PRESENT.statuses]
    present = counts[..., present_index].sum(axis=-1)
    bands = data.place_bands(PRESENT)
    np.testing.assert_allclose(bands.p50, np.quantile(present, 0.5, axis=0))
    np.testing.assert_allclose(bands.p5, np.quantile(present, 0.05, axis=0))
    # One status: straight from quantiles.parquet, equal to the members' quantiles too.
    resting = counts[..., caravana.Status.RESTING]
    np.testing.assert_allclose(data.place_bands(CAMP).p95, np.quantile(resting, 0.95, axis=0))
    # Outcomes: the outcome quantiles of the final totals.
    finals = counts[:, -1].sum(axis=1)
    for status, band in data.outcomes().items():
        i = caravana.engine.status.STATUS_NAMES.index(status)
        assert float(band.p50) == pytest.approx(np.quantile(finals[:, i], 0.5))
    # The map's head-counts are the mean over members.
    staying = data.staying_on(10)
    idx = [caravana.engine.status.STATUS_NAMES.index(s) for s in ("resting", "waiting", "arrived")]
    expected = counts[:, 10][..., idx].sum(axis=-1).mean(axis=0)
    np.testing.assert_allclose([staying[p] for p in data.places], expected)


def test_report_by_run_id_and_for_a_flee_scenario(tmp_path):
    out = tmp_path / "mali"
    result = runner.invoke(app, ["run", "mali2012", "--days", "40", "--out", str(out)])
    assert result.exit_code == 0, result.output
    run_id = catalogue.list_runs()[0].id
    result = runner.invoke(app, ["report", run_id])
    assert result.exit_code == 0, result.output
    html = (out / "report.html").read_text(encoding="utf-8")
    assert_self_contained(html)
    assert run_id in html and "camp count" in html  # Flee's observed camps, drawn on the places
    assert "no caravan" in html and "no aid settings" in html
    inputs = resolve(run_id)
    assert inputs.scenario is not None and inputs.scenario.name == "mali2012"


def test_report_without_a_known_scenario_has_no_map_but_says_why(corridor_run, tmp_path):
    import json
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(corridor_run, copy)
    meta = json.loads((copy / "metadata.json").read_text())
    (copy / "metadata.json").write_text(json.dumps({**meta, "scenario": "somewhere-else"}))
    build_report(str(copy))
    html = (copy / "report.html").read_text(encoding="utf-8")
    assert "No map" in html and not (copy / "report_map.png").exists()
    assert '<section id="places">' in html


def test_bad_inputs_are_one_error_line_and_write_nothing(corridor_run, tmp_path, tree_snapshot):
    empty = tmp_path / "empty"
    empty.mkdir()
    bad_obs = tmp_path / "obs.csv"
    bad_obs.write_text("date,place,quantity,value\n2018-10-14,Nowhere,present,10\n")
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    before = tree_snapshot(corridor_run)
    cases = [
        (["report", "deadbeef"], "no catalogue"),
        (["report", str(empty)], "holds no caravana results"),
        (["report", str(tmp_path / "missing-folder")], "no such folder, and not a run id"),
        (["report", str(corridor_run), "--day", "400"], "outside the run"),
        (["report", str(corridor_run), "--day", "yesterday"], "expected a day number or a date"),
        (["report", str(corridor_run), "--observations", str(bad_obs)], "row 2, field 'place'"),
        (["report", str(corridor_run), "--out", str(a_file / "report.html")], "cannot write"),
    ]
    for args, message in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0], (args, result.output)
    catalogue.register("run", "corridor", corridor_run)
    result = runner.invoke(app, ["report", "0123abcd"])
    assert result.exit_code == 2 and "no run with id '0123abcd'" in result.output
    assert tree_snapshot(corridor_run) == before
    assert list(empty.iterdir()) == []


def test_an_incomplete_or_memberless_ensemble(ensemble, tmp_path):
    import json
    import shutil

    copy = tmp_path / "ens"
    shutil.copytree(ensemble, copy, ignore=shutil.ignore_patterns("members"))
    data = report_data(catalogue.open_results(copy))
    np.testing.assert_allclose(
        data.place_bands(CAMP).p50, report_data(catalogue.open_results(ensemble)).place_bands(CAMP).p50
    )
    with pytest.raises(catalogue.CatalogueError, match="no members"):
        data.place_bands(PRESENT)  # a sum over statuses needs the members' own counts
    meta = json.loads((copy / "ensemble.json").read_text())
    (copy / "ensemble.json").write_text(json.dumps({**meta, "complete": False}))
    result = runner.invoke(app, ["report", str(copy)])
    assert result.exit_code == 2 and "the ensemble is not complete" in result.output
    assert not (copy / "report.html").exists()


def test_report_in_spanish_and_english(corridor_run, tmp_path):
    """Every heading and explanation of the report in the language asked for."""
    spanish = build_report(str(corridor_run), tmp_path / "es.html", lang="es")[-1].read_text(encoding="utf-8")
    english = build_report(str(corridor_run), tmp_path / "en.html", lang="en")[-1].read_text(encoding="utf-8")
    for words in ("Resumen", "Cronología", "Lugares a lo largo del tiempo", "Necesidades", "Resultados finales",
                  "una corrida", "informe de caravana", "fecha del máximo", '<html lang="es">'):
        assert words in spanish
    for words in ("Summary", "Timeline", "Places over time", "Needs of the people", "Outcomes", "single run",
                  "caravana report", "date of the peak", '<html lang="en">'):
        assert words in english and words not in spanish


@pytest.mark.parametrize(("lang", "months", "foreign"), [("es", {"nov", "dic", "ene"}, "Dec"), ("en", {"Nov", "Dec", "Jan"}, "dic")])
def test_figures_date_axes_name_the_months_in_the_reports_language(lang, months, foreign):
    """Matplotlib writes month names with the C locale's strftime (English): a Spanish report's
    date axes must say "nov", "dic", "ene"."""
    import datetime as dt

    from caravana.i18n import language
    from caravana.report.figures import _date_axis, speaking
    from caravana.report.style import new_figure

    days = [dt.date(2018, 10, 12) + dt.timedelta(days=d) for d in range(80)]
    fig = new_figure(8, 3)
    ax = fig.add_subplot()
    ax.plot(days, range(80))
    with speaking(language(lang)):
        _date_axis(ax)
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels()] + [ax.xaxis.get_major_formatter().get_offset()]
    shown = " ".join(labels)
    assert months <= set(re.findall(r"[A-Za-z]+", shown)), labels
    assert foreign not in shown


def _page_texts(html: str) -> list[str]:
    """Every piece of text a person reads on the page (between tags, and the images' alt texts)."""
    body = re.sub(r"<(style|script)\b.*?</\1>", "", html, flags=re.S)
    texts = [unescape(t).strip() for t in re.split(r"<[^>]+>", body)]
    return [t for t in texts if t] + [unescape(a) for a in re.findall(r'alt="([^"]*)"', html)]


def test_spanish_report_has_no_english_left_and_no_meaningless_totals(corridor_run, ensemble, tmp_path):
    """The declared results' section ("Más resultados") in Spanish: descriptions, dimensions and how
    members combine translated; no total summing litres with kcal or people with km."""
    for folder in (corridor_run, ensemble):
        html = build_report(str(folder), tmp_path / "es.html", lang="es")[-1].read_text(encoding="utf-8")
        section = html[html.index('<section id="declared">'):]
        assert "Más resultados" in section and "arrays/needs.parquet" in section
        assert "llegadas acumuladas" in section and "día × lugar × cantidad" in section
        assert english_left(_page_texts(html)) == [], english_left(_page_texts(html))
        assert "p50 " not in section and "totals" not in section
    assert "percentiles sobre los miembros" in section  # an ensemble says how its members combine
    english = build_report(str(ensemble), tmp_path / "en.html", lang="en")[-1].read_text(encoding="utf-8")
    assert "day × place × quantity" in english and "percentiles over members" in english


@pytest.mark.skipif(shutil.which("chromium") is None or shutil.which("pdftotext") is None,
                    reason="needs chromium and pdftotext (poppler-utils)")
def test_report_pdf_in_spanish(corridor_run, tmp_path):
    """`report --pdf`: the same page printed by brief --pdf's Chromium, A4, its words in Spanish."""
    pdf, page = tmp_path / "informe.pdf", tmp_path / "informe.html"
    out = runner.invoke(app, ["report", str(corridor_run), "--lang", "es", "--out", str(page), "--pdf", str(pdf)])
    assert out.exit_code == 0, out.output
    assert str(pdf) in out.output.replace("\n", "") and page.is_file()
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info and int(re.search(r"Pages:\s+(\d+)", info).group(1)) > 1
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for words in ("Fichas de los lugares", "Resumen", "Cronología", "Más resultados", "llegadas acumuladas"):
        assert words in text, words
    assert "Summary" not in text and "More results" not in text


def test_report_pdf_without_chromium_is_one_error_and_writes_nothing(corridor_run, tmp_path, monkeypatch):
    monkeypatch.delenv("CARAVANA_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    page = tmp_path / "informe.html"
    out = runner.invoke(app, ["report", str(corridor_run), "--lang", "en", "--out", str(page),
                              "--pdf", str(tmp_path / "x.pdf")])
    assert out.exit_code == 2 and "--pdf needs Chromium" in out.output and "Traceback" not in out.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("lang", "one", "two"), [("es", "conjunto de 1 miembro", "conjunto de 2 miembros"),
                                                  ("en", "ensemble of 1 member", "ensemble of 2 members")])
def test_the_reports_counts_of_members_have_their_singular(lang, one, two):
    from types import SimpleNamespace

    from caravana.i18n import language
    from caravana.report.build import _kind

    def kind(n: int) -> str:
        return _kind(SimpleNamespace(kind="ensemble", weights=None, metadata={}, members=n), language(lang))

    assert (kind(1), kind(2)) == (one, two)


def test_more_results_gives_a_command_that_writes_a_table_a_spreadsheet_opens(tmp_path, monkeypatch):
    """ "Más resultados" said its Parquet files were "for a spreadsheet", which does not open them, and
    a description said "NaN" (session 20's F4, left by sessions 22-23). It now gives the command that
    writes one as CSV, with the run's catalogue id; the command works as written, and a wrong table
    name's error lists the declared results by the name it takes."""
    monkeypatch.setenv(catalogue.HOME_ENV, str(tmp_path / "home"))
    out = tmp_path / "run"
    assert runner.invoke(app, ["run", "corridor", "--days", "3", "--out", str(out)]).exit_code == 0
    page = build_report(str(out), tmp_path / "es.html", lang="es")[-1].read_text(encoding="utf-8")
    section = " ".join(unescape(re.sub(r"<[^>]+>", " ", page[page.index('<section id="declared">'):])).split())
    assert "hoja de cálculo" in section and "NaN antes" not in section and "(vacío, NaN, antes de formarse)" in section
    command = re.search(r"CSV: caravana (runs export \w+ --format csv --table arrays/(\w+) --out \w+\.csv)", section)
    assert command is not None, section
    monkeypatch.chdir(tmp_path)
    done = runner.invoke(app, [*command.group(1).split(), "--lang", "es"])
    assert done.exit_code == 0, done.output
    assert (tmp_path / f"{command.group(2)}.csv").read_text(encoding="utf-8").startswith('"day","date",')
    wrong = runner.invoke(app, [*command.group(1).replace("arrays/", "").split(), "--lang", "es"])
    assert wrong.exit_code == 2 and f"arrays/{command.group(2)}" in wrong.output
    # a folder the catalogue does not know gets no command that cannot run (export takes a catalogued id)
    monkeypatch.setenv(catalogue.HOME_ENV, str(tmp_path / "another-home"))
    page = build_report(str(out), tmp_path / "es2.html", lang="es")[-1].read_text(encoding="utf-8")
    section = " ".join(unescape(re.sub(r"<[^>]+>", " ", page[page.index('<section id="declared">'):])).split())
    assert "Esta carpeta no está en el catálogo de resultados" in section and "runs export ID" not in section
