"""The command line's summaries in Spanish and English: --lang, else $CARAVANA_LANG, else the
locale's language (Spanish or English), else Spanish; an unknown language is one clear error."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from caravana.cli import app

runner = CliRunner()
NO_LANG = {"CARAVANA_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}


def run(tmp_path, *extra: str, env: dict | None = None) -> str:
    out = runner.invoke(app, ["run", "corridor", "--days", "6", "--seed", "3", "--out", str(tmp_path / "r"), *extra],
                        env={**NO_LANG, "CARAVANA_HOME": str(tmp_path / "home"), **(env or {})})
    assert out.exit_code == 0, out.output
    return out.output


@pytest.mark.parametrize("extra,env,spanish", [
    (["--lang", "es"], {"CARAVANA_LANG": "en"}, True),  # the option wins
    (["--lang", "en"], {"CARAVANA_LANG": "es"}, False),
    ([], {"CARAVANA_LANG": "es"}, True),
    ([], {"LANG": "en_US.UTF-8"}, False),  # the locale's language
    ([], {"LC_ALL": "es_MX.UTF-8", "LANG": "en_US.UTF-8"}, True),
    ([], {"LANG": "fr_FR.UTF-8"}, True),  # neither: Spanish, the users' language
    ([], {}, True),
])
def test_run_summary_in_the_chosen_language(tmp_path, extra, env, spanish):
    text = run(tmp_path, *extra, env=env)
    if spanish:
        assert "personas, 6 días, semilla 3" in text and "resultados al final:" in text
        assert "dónde está el centro de la columna" in text and "catalogada como corrida" in text
        assert "people," not in text and "outcomes at the end" not in text
    else:
        assert "people, 6 days, seed 3" in text and "outcomes at the end:" in text and "personas" not in text


def test_ensemble_summary_in_spanish(tmp_path):
    out = runner.invoke(app, ["ensemble", "corridor", "--members", "2", "--days", "5", "--backend", "inprocess",
                              "--out", str(tmp_path / "e"), "--lang", "es"],
                        env={**NO_LANG, "CARAVANA_HOME": str(tmp_path / "home")})
    assert out.exit_code == 0, out.output
    for words in ("2 miembros, 5 días", "todas las personas por estado", "mediana", "catalogado como conjunto"):
        assert words in out.output
    assert "members," not in out.output and "everyone by status" not in out.output


def test_runs_list_in_spanish(tmp_path):
    env = {**NO_LANG, "CARAVANA_HOME": str(tmp_path / "home")}
    run(tmp_path, "--lang", "en", env={"CARAVANA_HOME": str(tmp_path / "home")})
    out = runner.invoke(app, ["runs", "list", "--lang", "es"], env=env)
    assert out.exit_code == 0 and "corridas en" in out.output and "tipo" in out.output and "kind" not in out.output


def test_unknown_language_is_one_clear_error(tmp_path):
    out = runner.invoke(app, ["run", "corridor", "--days", "2", "--out", str(tmp_path / "r"), "--lang", "fr"])
    assert out.exit_code == 2
    assert out.output.strip() == "error: language 'fr' is not available (choose es or en)"
    assert not (tmp_path / "r").exists()
