"""The forecast's picture (forecast.png) in Spanish and English: its title, panel titles,
axis labels, legends and the month names of its date axes, from the same catalogue."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from caravana.cli import app
from caravana.forecast import default_factors, run_forecast
from caravana.forecast.plot import plot_forecast
from caravana.i18n import language
from caravana.observations import read_observations
from caravana.scenario.load import BUILTIN_DIR, load_scenario

OBSERVATIONS_2018 = BUILTIN_DIR / "corridor" / "observations_2018.csv"


@pytest.fixture(scope="module")
def forecast():
    corridor = load_scenario("corridor")
    reports = read_observations(OBSERVATIONS_2018).check_against(corridor)
    return run_forecast(corridor, reports, dt.date(2018, 10, 22), 10, particles=4, seed=0,
                        factors=default_factors(corridor))


def texts(figure) -> list[str]:
    """Every text drawn: titles, axis labels, legends, tick labels and the date axes' offsets."""
    figure.canvas.draw()
    found = [figure.get_suptitle()]
    for ax in figure.axes:
        found += [ax.get_title(), ax.get_ylabel(), ax.xaxis.get_offset_text().get_text()]
        found += [t.get_text() for t in ax.get_xticklabels()]
        legend = ax.get_legend()
        if legend is not None:
            found += [t.get_text() for t in legend.get_texts()]
    return [t for t in found if t]


def test_the_plot_in_spanish_and_english(forecast):
    es, en = texts(plot_forecast(forecast, lang="es")), texts(plot_forecast(forecast, lang="en"))
    assert es[0].startswith("corridor: pronóstico del 22 oct 2018 al 1 nov 2018, 4 partículas (")
    assert en[0].startswith("corridor: forecast from 22 Oct 2018 to 1 Nov 2018, 4 particles (")
    for words in ("mediana posterior", "previa P5-P95", "personas con la caravana",
                  "llegada del grueso de la caravana a los lugares por delante (barra: P5-P95, punto: mediana)"):
        assert words in es, words
    for words in ("posterior median", "prior P5-P95", "people with the caravan"):
        assert words in en and words not in es, words
    # Month names on the date axes: Matplotlib's own are English whatever the language.
    november_es, november_en = language("es").month_abbreviations()[10], language("en").month_abbreviations()[10]
    assert november_es != november_en
    assert any(november_es in t for t in es) and not any(november_en in t for t in es), es
    assert any(november_en in t for t in en), en


def test_the_cli_draws_the_plot_in_lang(tmp_path, monkeypatch):
    import caravana.forecast.plot as plot

    asked: list[str | None] = []
    drawn = plot.plot_forecast
    monkeypatch.setattr(plot, "plot_forecast", lambda run, lang=None: asked.append(lang) or drawn(run, lang=lang))
    out = CliRunner().invoke(app, ["forecast", "corridor", "--observations", str(OBSERVATIONS_2018),
                                   "--as-of", "2018-10-20", "--horizon", "2", "--particles", "2",
                                   "--out", str(tmp_path / "fc"), "--lang", "es"],
                             env={"CARAVANA_LANG": "en", "CARAVANA_HOME": str(tmp_path / "home")})
    assert out.exit_code == 0, out.output
    assert asked == ["es"] and (tmp_path / "fc" / "forecast.png").exists()


def test_one_report_is_said_in_the_singular(tmp_path):
    """The title said "1 reportes usados" (session 25's walk, a forecast from one accepted row): each
    count has its own plural now, in the picture as in the terminal's first line."""
    corridor = load_scenario("corridor")
    path = tmp_path / "one.csv"
    path.write_text("date,place,quantity,value\n2018-10-21,Tapachula,present,5000\n", encoding="utf-8")
    one = run_forecast(corridor, read_observations(path).check_against(corridor), dt.date(2018, 10, 22), 2,
                       particles=2, seed=0, factors=default_factors(corridor))
    assert texts(plot_forecast(one, lang="es"))[0].endswith("2 partículas (1 reporte usado, 0 reservados)")
    assert texts(plot_forecast(one, lang="en"))[0].endswith("2 particles (1 report used, 0 held back)")
    result = CliRunner().invoke(app, ["forecast", "corridor", "--observations", str(path), "--as-of", "2018-10-22",
                                      "--horizon", "2", "--particles", "2", "--lang", "es",
                                      "--out", str(tmp_path / "fc")],
                                env={"COLUMNS": "200", "CARAVANA_HOME": str(tmp_path / "home")})
    assert result.exit_code == 0, result.output
    assert "con 2 partículas, 1 reporte usado, 0 posteriores al 22 oct 2018 reservados" in result.output
