"""Errors in Spanish and English: the command line's ``error:`` lines (in --lang, else
$CARAVANA_LANG, else the locale's language) and the dashboard API's error details (in the
request's lang or Accept-Language), through the same catalogue as every other message."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import caravana
from caravana import ScenarioError
from caravana.cli import app
from caravana.i18n import language
from caravana.i18n.errors import error_text, translated

from .test_bad_input import CSV_CASES

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from babel_errors import error_templates  # noqa: E402

runner = CliRunner()
ES, EN = language("es"), language("en")


def cli(*args: str, env: dict | None = None):
    return runner.invoke(app, list(args), env={"CARAVANA_LANG": None, "LC_ALL": None, "LANG": None, **(env or {})})


def error_line(result) -> str:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1, result.output
    return lines[0]


# --------------------------------------------------------------------------- the command line

def test_a_bad_table_cell_in_spanish_and_english(yaml_scenario, tmp_path):
    scenario = yaml_scenario(locations="name,type,country,lat,lon,population,capacity\n"
                                       "A,conflict_zone,X,10.0,20.0,1000,\nB,town,X,10,20,-5,\nC,camp,Y,11.0,21.0,0,300\n")
    where = scenario.parent / "locations.csv"
    es = error_line(cli("run", str(scenario), "--out", str(tmp_path / "o"), "--lang", "es"))
    en = error_line(cli("run", str(scenario), "--out", str(tmp_path / "o"), "--lang", "en"))
    assert es == f"error: archivo {where}, fila 3, campo 'population': debe ser mayor o igual que 0 (se dio '-5')"
    assert en == f"error: file {where}, row 3, field 'population': Input should be greater than or equal to 0 (got '-5')"
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("env,spanish", [({"CARAVANA_LANG": "es"}, True), ({"CARAVANA_LANG": "en"}, False),
                                         ({"LANG": "es_MX.UTF-8"}, True), ({"LANG": "en_GB.UTF-8"}, False)])
def test_a_command_without_lang_tells_in_the_preferred_language(tmp_path, env, spanish):
    line = error_line(cli("validate", str(tmp_path / "nowhere.yml"), env=env))
    if spanish:
        assert line.startswith(f"error: archivo {tmp_path / 'nowhere.yml'}: no existe tal archivo, carpeta ni escenario")
    else:
        assert line.startswith(f"error: file {tmp_path / 'nowhere.yml'}: no such file, folder or built-in scenario")


def test_a_wrong_setting_in_spanish_is_not_cut_before_it_is_translated(tmp_path):
    """A long message is translated whole, then cut: its Spanish still reads as Spanish."""
    line = error_line(cli("run", "corridor", "--days", "2", "--set", "corridor.caravans[0].pacee=3",
                          "--out", str(tmp_path / "o"), "--lang", "es"))
    assert line.startswith("error: campo 'corridor.caravans[0].pacee': CaravanSpec no tiene el campo 'pacee' (conocidos: ")
    line = error_line(cli("run", "corridor", "--days", "2", "--set", "nope", "--out", str(tmp_path / "o"),
                          "--lang", "es"))
    assert line == "error: --set 'nope': se esperaba ruta=valor, p. ej. corridor.caravans[0].pace_km=30"


def test_a_wrong_option_in_the_language_of_lang(tmp_path):
    """click rejects --days abc before --lang is read; the line is still in --lang's language."""
    es = error_line(cli("run", "corridor", "--days", "abc", "--lang", "es", env={"CARAVANA_LANG": "en"}))
    en = error_line(cli("run", "corridor", "--days", "abc", "--lang=en", env={"CARAVANA_LANG": "es"}))
    assert es.startswith("error: valor inválido para '--days': debe ser un número entero válido")
    assert en.startswith("error: Invalid value for '--days': Input should be a valid integer")


def test_an_unknown_language_is_told_in_the_preferred_one(tmp_path):
    line = error_line(cli("run", "corridor", "--days", "2", "--lang", "fr", "--out", str(tmp_path / "o"),
                          env={"CARAVANA_LANG": "es"}))
    assert line == "error: el idioma 'fr' no está disponible (elija es o en)"


def test_warnings_in_spanish(yaml_scenario):
    """A warning (a second road between the same two places) in the command's language."""
    scenario = yaml_scenario(routes="from,to,km\nA,B,100\nB,C,150\nB,A,120\n")
    home = str(scenario.parent / "home")
    es = cli("run", str(scenario), "--out", str(scenario.parent / "es"), env={"CARAVANA_LANG": "es", "CARAVANA_HOME": home})
    en = cli("run", str(scenario), "--out", str(scenario.parent / "en"), env={"CARAVANA_LANG": "en", "CARAVANA_HOME": home})
    assert es.exit_code == 0 and en.exit_code == 0, es.output + en.output
    routes = scenario.parent / "routes.csv"
    assert f"warning: {routes} row 4: second road route between 'A' and 'B'" in en.output.replace("\n", ""), en.output
    assert f"aviso: {routes} fila 4: segunda ruta de road entre 'A' y 'B'" in es.output.replace("\n", ""), es.output
    assert "warning:" not in es.output


# --------------------------------------------------------------------------- every mistake of the bad-input suite

@pytest.mark.parametrize("overrides", [pytest.param(o, id=i) for i, o, *_ in CSV_CASES])
def test_every_bad_table_error_has_its_spanish(yaml_scenario, overrides):
    """Each table mistake of tests/test_bad_input.py reads differently in Spanish: a template matched."""
    with pytest.raises(ScenarioError) as info:
        caravana.load_scenario(yaml_scenario(**overrides))
    english, spanish = error_text(info.value, EN), error_text(info.value, ES)
    assert english == str(info.value)
    assert spanish != english and spanish.startswith("archivo "), spanish
    assert translated(info.value.message, ES) != info.value.message, info.value.message


# --------------------------------------------------------------------------- matching messages to templates

def test_templates_are_extracted_from_raise_sites():
    source = '''
def f(path, n, exc):
    if n:
        raise ScenarioError(f"no item [{n}] in a list of {len(path)}", field="x")
    raise HTTPException(404, "no " + f"run {path!r}" + (f": {exc}" if exc else ""))
    raise ValueError("a bug's message, not the user's")
'''
    found = [t for _, t in sorted(error_templates(source))]
    assert found == ["no item [{n}] in a list of {len(path)}", "no run {path!r}", "no run {path!r}: {exc}"]
    assert [t for _, t in sorted(error_templates(source, validators=True))][-1] == "a bug's message, not the user's"


def test_values_are_kept_and_nested_messages_translated():
    text = "file a, b.csv, row 3, field 'date': Value error, end must not come before start"
    assert translated(text, ES) == "archivo a, b.csv, fila 3, campo 'date': end no debe ser anterior a start"
    assert translated("no item [Tapachula] in a list of 4", ES) == "no hay elemento [Tapachula] en una lista de 4"
    assert translated("something no template knows", ES) == "something no template knows"
    assert translated("no item [x] in a list of 4", EN) == "no item [x] in a list of 4"


# --------------------------------------------------------------------------- the dashboard API

@pytest.fixture
def client(tmp_path):
    from caravana.dashboard.app import create_app

    return TestClient(create_app(tmp_path / "ws"))


@pytest.mark.parametrize("ask,spanish", [({"headers": {"Accept-Language": "es-MX,es;q=0.9"}}, True),
                                         ({"headers": {"Accept-Language": "en-US,en;q=0.9"}}, False),
                                         ({"params": {"lang": "es"}, "headers": {"Accept-Language": "en"}}, True),
                                         ({}, False)])
def test_api_error_details_in_the_requests_language(client, ask, spanish):
    missing = client.get("/api/runs/abc123", **ask)
    assert missing.status_code == 404
    assert missing.json()["detail"] == ("no hay corrida con id 'abc123'" if spanish else "no run with id 'abc123'")
    unknown = client.post("/api/runs", data={"scenario": "atlantis"}, **ask)
    assert unknown.status_code == 400
    assert unknown.json()["detail"].startswith("no hay escenario incluido 'atlantis' (incluidos: " if spanish
                                               else "no built-in scenario 'atlantis' (built-in: ")
    bad_until = client.post("/api/runs", data={"scenario": "corridor", "until": "soon"}, **ask)
    assert bad_until.status_code == 422
    assert bad_until.json()["detail"] == ("until debe ser una fecha AAAA-MM-DD (se dio 'soon')" if spanish
                                          else "until must be a date YYYY-MM-DD (got 'soon')")


def test_api_validation_and_refusals_in_spanish(client):
    spanish = {"Accept-Language": "es"}
    too_long = client.get("/api/runs/x/needs", params={"place": "A" * 300, "first_day": -1}, headers=spanish)
    assert too_long.status_code == 422
    assert too_long.json()["detail"] == ("place: el texto debe tener como máximo 200 caracteres; "
                                         "first_day: debe ser mayor o igual que 0")
    cross = client.post("/api/runs", data={"scenario": "corridor"},
                        headers={**spanish, "Origin": "http://evil.example"})
    assert cross.status_code == 403
    assert cross.json()["detail"] == "petición de otro sitio rechazada: abra la página del propio tablero"


def test_an_observation_with_an_unknown_place_in_spanish(tmp_path):
    """Errors raised through a helper (observations' fail(field, message)) are in the catalogue too."""
    observations = tmp_path / "obs.csv"
    observations.write_text("date,place,quantity,value\n2018-10-20,Atlantis,present,100\n", encoding="utf-8")
    args = ["forecast", "corridor", "--observations", str(observations), "--as-of", "2018-10-22", "--horizon", "2",
            "--particles", "2", "--out", str(tmp_path / "fc")]
    es = error_line(cli(*args, "--lang", "es"))
    en = error_line(cli(*args, "--lang", "en"))
    assert es.startswith(f"error: archivo {observations}, fila 2, campo 'place': lugar desconocido 'Atlantis' (no es"), es
    assert en.startswith(f"error: file {observations}, row 2, field 'place': unknown place 'Atlantis'"), en
    assert "Mazatl" not in es and not en.endswith("?)")  # nothing close to Atlantis: no guess
    assert not (tmp_path / "fc").exists()
    observations.write_text("date,place,quantity,value\n2018-10-20,Tecun,present,100\n", encoding="utf-8")
    es = error_line(cli(*args, "--lang", "es"))  # a misspelt place: the guess brief gives, by its shown name
    en = error_line(cli(*args, "--lang", "en"))
    assert es == (f"error: archivo {observations}, fila 2, campo 'place': lugar desconocido 'Tecun' (no es un lugar ni "
                  "un país del escenario corridor; ¿quiso decir 'Tecún Umán'?)"), es
    assert en == (f"error: file {observations}, row 2, field 'place': unknown place 'Tecun' (not a place or a country "
                  "of scenario corridor; did you mean 'Tecún Umán'?)"), en
    observations.write_text("date,place,quantity,value\n2018-10-20,Tapachula,arrived,100\n", encoding="utf-8")
    es = error_line(cli(*args, "--lang", "es"))  # a row validator's message (pydantic's "Value error, ...")
    assert es.endswith("campo 'value': 'arrived' no lleva valor (la fecha es la observación); informe el tamaño de "
                       "la caravana en una fila caravan_size (se dio '100')"), es


def test_a_missing_column_value_in_spanish(yaml_scenario):
    scenario = yaml_scenario(locations="name,type,country,lat,lon,population,capacity\n"
                                       "A,conflict_zone,X,10.0,20.0,1000,\nB,,X,10,20,5,\nC,camp,Y,11.0,21.0,0,300\n")
    with pytest.raises(ScenarioError) as info:
        caravana.load_scenario(scenario)
    assert error_text(info.value, ES).endswith(translated(info.value.message, ES))
    assert translated(info.value.message, ES) != info.value.message, info.value.message


def test_pydantic_says_an_empty_list_in_the_singular_and_it_is_translated(tmp_path):
    """pydantic writes "at least 1 item" (singular) for a list that needs one element."""
    line = error_line(cli("run", "corridor", "--days", "2", "--out", str(tmp_path / "o"), "--lang", "es",
                          "--set", 'corridor.regularisations=[{"places": [], "share": 0.3}]'))
    assert "la lista debe tener al menos 1 elemento, no 0" in line
    assert "List should" not in line
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("cell,spanish", [
    ("2018-10-32", "debe ser una fecha o fecha y hora válida; el día está fuera de rango (se dio '2018-10-32')"),
    ("2018-13-01", "el mes está fuera del rango 1-12 (se dio '2018-13-01')"),
    ("2018/10/20", "separador de fecha inválido, se espera `-` (se dio '2018/10/20')"),
    ("2018-10-2", "el texto es demasiado corto para una fecha AAAA-MM-DD (se dio '2018-10-2')"),
    ("2018-10-20T10:00", "una fecha no lleva hora (escriba solo AAAA-MM-DD) (se dio '2018-10-20T10:00')"),
])
def test_the_reason_pydantic_gives_for_a_bad_date_is_in_spanish(tmp_path, cell, spanish):
    """pydantic's date reasons ("day value is outside expected range") are catalogue messages too."""
    observations = tmp_path / "obs.csv"
    observations.write_text(f"date,place,quantity,value\n{cell},Tapachula,present,100\n", encoding="utf-8")
    line = error_line(cli("forecast", "corridor", "--observations", str(observations), "--as-of", "2018-10-22",
                          "--horizon", "2", "--particles", "2", "--out", str(tmp_path / "fc"), "--lang", "es"))
    assert line.endswith(spanish), line
    assert not any(word in line for word in ("value", "range", "invalid", "input", "expected", "Datetimes")), line


@pytest.mark.parametrize("row,spanish", [
    # (not "presente": a quantity's shown name is read as its code since session 23; a quantity nothing is close
    # to is said as a misspelt one is, the value once, since session 24, not by pydantic's "Input should be ...")
    # (and the quantities by the names a Spanish user types, each with the file's code, since session 24)
    ("2018-10-20,Tapachula,asilados,100", "campo 'quantity': 'asilados' no es una cantidad; una de: presentes "
                                          "(present), en el campamento (camp), tamaño de la caravana (caravan_size), "
                                          "llegados (arrived), salieron (departed), cruzaron (crossed), detenidos "
                                          "(detained), regresaron (returned), deportados (deported), se establecieron "
                                          "(settled), fallecidos (dead), solicitudes de asilo (asylum_requests), "
                                          "llegadas (arrivals)"),
    ("2018-10-20,Tapachula,present,cien", "campo 'value': debe ser un número válido; el texto no se puede leer como "
                                          "número (se dio 'cien')"),
])
def test_a_message_written_before_got_is_matched_whole(tmp_path, row, spanish):
    """"Input should be {expected}" no longer swallows the " (got ...)" after a longer message, and a Literal's
    choices end in "o", not pydantic's "or"."""
    observations = tmp_path / "obs.csv"
    observations.write_text(f"date,place,quantity,value\n{row}\n", encoding="utf-8")
    line = error_line(cli("forecast", "corridor", "--observations", str(observations), "--as-of", "2018-10-22",
                          "--horizon", "2", "--particles", "2", "--out", str(tmp_path / "fc"), "--lang", "es"))
    assert line.endswith(spanish), line
    assert " or " not in line and "valid" not in line, line


def test_the_closest_place_names_are_suggested_in_spanish():
    from caravana.scenario.aliases import resolve
    from caravana.scenario.names import names_key

    with pytest.raises(caravana.CaravanaError) as info:
        resolve("Juchitlan", ["Juchitan", "Huixtla", "Arriaga"])  # Huixtla (0.62) is too far to be meant
    assert translated(str(info.value), ES) == "no hay lugar llamado 'Juchitlan' (¿quiso decir 'Juchitan'?)"
    assert error_text(info.value, ES) == "no hay lugar llamado 'Juchitlan' (¿quiso decir 'Juchitán'?)"
    with pytest.raises(caravana.CaravanaError) as info:  # a user's own scenario: its own names
        resolve("Juchitlan", ["Juchitan", "Huixtla", "Arriaga"], names_key("corridor", builtin=False))
    assert error_text(info.value, ES) == "no hay lugar llamado 'Juchitlan' (¿quiso decir 'Juchitan'?)"
    with pytest.raises(caravana.CaravanaError) as info:
        resolve("Oslo", ["Juchitan"])
    assert translated(str(info.value), ES) == "no hay lugar llamado 'Oslo'"


def test_clicks_possible_options_are_in_spanish():
    es = error_line(cli("run", "corridor", "--dias", "3", "--lang", "es"))
    assert es == "error: no existe la opción --dias (opciones posibles: --days)", es
    en = error_line(cli("run", "corridor", "--dias", "3", "--lang", "en"))
    assert en == "error: No such option: --dias (Possible options: --days)", en


def test_a_row_outside_the_period_names_the_period_as_dates_are_written(tmp_path):
    """"2018-09-24 queda fuera del periodo del escenario (2018-10-12 a 2018-12-10)" among "24 oct 2018"s (session 22's
    walk): the period as the reader writes dates, the row's date as the file has it, and the file's name untouched."""
    observations = tmp_path / "2018-10-12_obs.csv"  # an ISO date in the file's name stays as it is
    observations.write_text("date,place,quantity,value\n2018-09-24,Tapachula,present,100\n", encoding="utf-8")
    args = ["forecast", "corridor", "--observations", str(observations), "--as-of", "2018-10-22", "--horizon", "2",
            "--particles", "2", "--out", str(tmp_path / "fc")]
    es = error_line(cli(*args, "--lang", "es"))
    en = error_line(cli(*args, "--lang", "en"))
    assert es == (f"error: archivo {observations}, fila 2, campo 'date': 2018-09-24 queda fuera del periodo del "
                  "escenario (12 oct 2018 a 10 dic 2018)"), es
    assert en.endswith("2018-09-24 is outside the scenario's period (12 Oct 2018 to 10 Dec 2018)"), en
    assert not (tmp_path / "fc").exists()


def test_a_proposal_outside_the_period_keeps_the_dates_to_write(tmp_path):
    """The review's reason ("... queda fuera del periodo del escenario (...)") carries the period's dates too."""
    import datetime as dt

    from caravana import CaravanaError, load_scenario
    from caravana.i18n.errors import error_text
    from caravana.news.review import check_against

    row = {"date": "2021-12-14", "place": "Tapachula", "quantity": "present", "value": "200", "low": "", "high": "",
           "file": "a.txt", "source": "a.txt", "sentence": "..."}
    with pytest.raises(CaravanaError) as err:
        check_against(row, load_scenario("corridor"), where="file p.csv, row 3")
    assert err.value.dates == (dt.date(2018, 10, 12), dt.date(2018, 12, 10))
    assert error_text(err.value, language("es")).endswith("2021-12-14 queda fuera del periodo del escenario "
                                                          "(12 oct 2018 a 10 dic 2018)")
