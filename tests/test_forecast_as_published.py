"""`caravana forecast --as-published`: only the reports out by the as-of date are assimilated
(``Observations.as_published``); a row about a day up to it published later is left out and
listed in forecast.json; without the option, every row dated up to the as-of date is used."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
from typer.testing import CliRunner

from caravana import load_scenario
from caravana.cli import app
from caravana.forecast import run_forecast
from caravana.observations import read_observations

runner = CliRunner()
AS_OF = "2018-10-21"
HEADER = "date,place,quantity,value,low,high,source,note,reported\n"
EARLY = "2018-10-19,Tecun Uman,present,4500,,,a,,\n"
LATE = "2018-10-21,,caravan_size,5000,,,b,,2018-10-22\n"  # about the as-of date, out the day after
AFTER = "2018-10-23,,caravan_size,7000,,,c,,\n"  # about a later day: held back and scored either way


def _forecast(tmp_path, name: str, rows: str, *extra: str) -> tuple[dict, str]:
    observations, out = tmp_path / f"{name}.csv", tmp_path / name
    observations.write_text(HEADER + rows)
    result = runner.invoke(app, ["forecast", "corridor", "--observations", str(observations), "--as-of", AS_OF,
                                 "--horizon", "3", "--particles", "4", "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return json.loads((out / "forecast.json").read_text()), " ".join(result.output.split())


def _weighed_on(meta: dict, day: str) -> int:
    return sum(s["observations"] for s in meta["filter_steps"] if s["date"] == day)


def test_a_row_about_the_as_of_date_published_the_day_after_is_left_out_only_with_as_published(tmp_path):
    every, _ = _forecast(tmp_path, "every", EARLY + LATE + AFTER)
    published, printed = _forecast(tmp_path, "published", EARLY + LATE + AFTER, "--as-published")
    assert _weighed_on(every, AS_OF) == 1 and every["observations_used"] == 2  # the late row weighs on Oct 21
    assert _weighed_on(published, AS_OF) == 0 and published["observations_used"] == 1
    assert "published_after_as_of" not in every
    late = published["published_after_as_of"]
    assert late["count"] == 1
    assert late["rows"] == [{"date": "2018-10-21", "place": None, "quantity": "caravan_size", "value": 5000,
                             "reported": "2018-10-22", "row": 3}]
    # The rows about later days are held back and scored as without the option.
    assert published["observations_held_back"] == every["observations_held_back"] == 1
    assert {k: v["reports"] for k, v in published["held_back_check"].items()} == {"posterior": 1, "prior": 1}
    # one report in the singular (session 25: "1 reports about days up to ...")
    assert "1 report about a day up to 21 Oct 2018 published after it: left out" in " ".join(printed.split())


def test_as_published_changes_nothing_when_every_row_was_out_by_the_as_of_date(tmp_path):
    corridor, observations = load_scenario("corridor"), tmp_path / "out_in_time.csv"
    observations.write_text(HEADER + EARLY + AFTER)
    reports, as_of = read_observations(observations).check_against(corridor), dt.date.fromisoformat(AS_OF)
    a = run_forecast(corridor, reports, as_of, 3, particles=4, seed=2)
    b = run_forecast(corridor, reports, as_of, 3, particles=4, seed=2, as_published=True)
    for x, y in ((a.forecast.daily, b.forecast.daily), (a.forecast.places, b.forecast.places), (a.held_back, b.held_back)):
        np.testing.assert_equal(x.to_pydict(), y.to_pydict())
    assert a.metadata["filter_steps"] == b.metadata["filter_steps"]
    assert b.metadata["published_after_as_of"] == {"count": 0, "rows": []} and "published_after_as_of" not in a.metadata


def test_as_published_help_and_summary_in_both_languages(monkeypatch, tmp_path):
    monkeypatch.setenv("COLUMNS", "200")
    spanish = " ".join(runner.invoke(app, ["forecast", "--help", "--lang", "es"]).output.split())
    english = " ".join(runner.invoke(app, ["forecast", "--help", "--lang", "en"]).output.split())
    assert "Asimilar solo los reportes publicados hasta la fecha de corte" in spanish
    assert "Assimilate only the reports published by the as-of date" in english
    _, printed = _forecast(tmp_path, "es", EARLY + LATE, "--as-published", "--lang", "es")
    assert "1 reporte sobre un día hasta el" in printed and "publicado después: queda fuera" in printed
