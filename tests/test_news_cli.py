"""`caravana news extract` and `caravana news review` from the command line, and the
whole way from the seed articles on the 2018 caravan to a forecast."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

pytest.importorskip("dateparser")
pytest.importorskip("selectolax")

from typer.testing import CliRunner  # noqa: E402

from caravana.cli import app  # noqa: E402

SEEDS = Path(__file__).parent / "data" / "news"  # the seed articles of shared/seeds, copied unchanged
# The two seed articles on the October 2018 caravan, dated from their content (neither
# prints a date): 003 says the caravan marched "on Sunday" (Oct 21) and left "ten days
# ago"; 002 describes 7,000 people crossing southern Mexico (Oct 22-25).
SEED_2018 = {"seed_003_100637b86b55153b.txt": "2018-10-22", "seed_002_b52e3ebda5ac79f5.txt": "2018-10-23"}

HTML = """<!doctype html><html lang="es"><head><title>Caravana</title>
<meta property="article:published_time" content="2018-10-22T09:30:00-05:00">
<script>window.data = {"visits": "12,000 personas"};</script></head>
<body><nav><a href="/">Portada</a> 5,000 suscriptores</nav>
<article><h1>La caravana llega a Tapachula</h1>
<p>Unos <b>7.000</b> migrantes llegaron ayer a Tapachula, Chiapas.</p>
<p>La policía desplegó 400 agentes en el puente.</p></article>
<footer>© 2018</footer></body></html>"""


def invoke(*args, input=None):
    return CliRunner().invoke(app, [str(a) for a in args], input=input, env={"COLUMNS": "100"})


def rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_extract_an_html_page(tmp_path):
    page = tmp_path / "nota.html"
    page.write_text(HTML, encoding="utf-8")
    out = tmp_path / "proposals.csv"
    result = invoke("news", "extract", page, "--out", out)
    assert result.exit_code == 0, result.output
    got = rows(out)
    counts = [(r["quantity"], r["place"], r["date"], r["value"]) for r in got if r["value"]]
    assert counts == [("present", "Tapachula", "2018-10-21", "7000")]  # not the police, nor the page furniture
    assert ("arrived", "Tapachula", "2018-10-21") in [(r["quantity"], r["place"], r["date"]) for r in got]
    assert got[0]["sentence"] == "Unos 7.000 migrantes llegaron ayer a Tapachula, Chiapas."
    assert got[0]["language"] == "es" and got[0]["published"] == "2018-10-22"


def test_a_report_without_a_date_is_an_error_unless_published_is_given(tmp_path):
    report = tmp_path / "nota.txt"
    report.write_text("Unos 7.000 migrantes llegaron ayer a Tapachula.\n", encoding="utf-8")
    out = tmp_path / "proposals.csv"
    result = invoke("news", "extract", report, "--out", out)
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == (
        f"error: file {report}: no publication date (none in the page or in a reports.csv manifest); "
        "give it with --published YYYY-MM-DD")
    assert "Traceback" not in result.output and not out.exists()
    result = invoke("news", "extract", report, "--out", out, "--published", "2018-10-22")
    assert result.exit_code == 0, result.output
    assert [(r["date"], r["value"]) for r in rows(out) if r["value"]] == [("2018-10-21", "7000")]


def test_bad_published_date_and_manifest_are_one_line_errors(tmp_path):
    report = tmp_path / "nota.txt"
    report.write_text("Unos 7.000 migrantes llegaron ayer a Tapachula.\n", encoding="utf-8")
    result = invoke("news", "extract", report, "--published", "22/10/2018")
    assert result.exit_code == 2 and "error: --published '22/10/2018' is not a date" in result.output
    (tmp_path / "reports.csv").write_text("file,published,url,language\nnota.txt,2018-13-01,,es\n")
    result = invoke("news", "extract", tmp_path)
    assert result.exit_code == 2
    assert f"error: file {tmp_path / 'reports.csv'}, row 2, field 'published'" in result.output


def test_extract_reads_standard_input_and_a_manifest(tmp_path):
    result = invoke("news", "extract", "-", "--published", "2021-10-26",
                    input="About 3,000 migrants left Tapachula on Saturday.\n")
    assert result.exit_code == 0, result.output
    assert "2021-10-23,,caravan_size,3000" in result.stdout
    (tmp_path / "a.txt").write_text("Ayer salieron 2.000 migrantes de Tapachula.\n", encoding="utf-8")
    (tmp_path / "reports.csv").write_text("file,published,url,language\na.txt,2021-10-24,https://x.example/a,es\n")
    out = tmp_path / "p.csv"
    assert invoke("news", "extract", tmp_path, "--out", out).exit_code == 0
    (row, *_) = rows(out)
    assert (row["date"], row["quantity"], row["value"]) == ("2021-10-23", "caravan_size", "2000")
    assert row["source"] == "https://x.example/a 2021-10-24"


def _proposals(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Unos 7.000 migrantes llegaron ayer a Tapachula. Las autoridades detuvieron a 300 migrantes "
        "en Huixtla el domingo. Unos 50 migrantes llegaron a Oaxaca el sábado.\n", encoding="utf-8")
    (folder / "reports.csv").write_text("file,published,url,language\na.txt,2018-10-22,https://x.example/a,es\n")
    out = tmp_path / "proposals.csv"
    assert invoke("news", "extract", folder, "--out", out).exit_code == 0
    return out


def test_review_in_the_terminal_accept_edit_reject(tmp_path):
    proposals = _proposals(tmp_path)
    pending = [r for r in rows(proposals) if float(r["confidence"]) >= 0.5]
    assert [r["quantity"] for r in pending][:3] == ["arrived", "present", "detained"]
    observations = tmp_path / "obs.csv"
    # accept the first, reject the second, edit the third (300 -> 350), then quit
    answers = "a\nr\ne\n\n\n\n350\n\n\nq\n"
    result = invoke("news", "review", proposals, "--out", observations, input=answers)
    assert result.exit_code == 0, result.output
    assert "Unos 7.000 migrantes llegaron ayer a Tapachula." in result.output  # the evidence is shown
    got = rows(observations)
    assert [(r["date"], r["place"], r["quantity"], r["value"]) for r in got] == [
        ("2018-10-21", "Tapachula", "arrived", ""), ("2018-10-21", "Huixtla", "detained", "350")]
    assert got[0]["source"] == "https://x.example/a 2018-10-22 (a.txt)"
    assert got[0]["note"] == "Unos 7.000 migrantes llegaron ayer a Tapachula."
    assert [r["status"] for r in rows(proposals)][:3] == ["accepted", "rejected", "edited"]
    # a second review goes on where the first stopped, and keeps what was accepted
    result = invoke("news", "review", proposals, "--out", observations, input="q\n")
    assert result.exit_code == 0 and len(rows(observations)) == 2


def test_review_refuses_an_edit_the_scenario_cannot_take(tmp_path):
    proposals = _proposals(tmp_path)
    observations = tmp_path / "obs.csv"
    # edit the first row's place (an arrival) to a place not in the scenario: refused, then rejected
    answers = "e\n\nOaxaca\n\n\n\n\nr\nq\n"
    result = invoke("news", "review", proposals, "--out", observations, input=answers)
    assert result.exit_code == 0, result.output
    assert "unknown place 'Oaxaca'" in result.output
    assert rows(observations) == [] and rows(proposals)[0]["status"] == "rejected"


def test_review_rejects_a_broken_proposals_file(tmp_path):
    bad = tmp_path / "p.csv"
    bad.write_text("file,date,place,quantity,value,low,high,confidence,sentence\n"
                   "a.txt,2018-10-21,Tapachula,crowd,7000,,,0.9,x\n")
    result = invoke("news", "review", bad, "--accept-all", "--out", tmp_path / "o.csv")
    assert result.exit_code == 2
    assert f"error: file {bad}, row 2, field 'quantity': 'crowd' is" in result.output  # (the long path's line is cut)
    assert not (tmp_path / "o.csv").exists()


def test_seed_articles_to_a_forecast(tmp_path):
    """The 2018 seed articles -> proposals -> accepted -> `caravana forecast` runs on them."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    for name in SEED_2018:
        shutil.copy(SEEDS / name, folder / name)
    (folder / "reports.csv").write_text("file,published,url,language\n" + "".join(
        f"{name},{day},,en\n" for name, day in SEED_2018.items()))
    proposals, observations = tmp_path / "proposals.csv", tmp_path / "observations.csv"
    assert invoke("news", "extract", folder, "--out", proposals).exit_code == 0
    result = invoke("news", "review", proposals, "--accept-all", "--out", observations)
    assert result.exit_code == 0, result.output
    got = {(r["date"], r["place"], r["quantity"], r["value"]) for r in rows(observations)}
    # what the articles say: 2,000 left San Pedro Sula ten days before Oct 22; more than 7,200 entered Mexico
    assert ("2018-10-12", "", "caravan_size", "2000") in got
    assert ("2018-10-22", "", "caravan_size", "7200") in got
    assert ("2018-10-13", "San Pedro Sula", "departed", "") in got
    assert not any(value in {"2300", "2200", "400", "1100", "14596"} for *_, value in got)  # distractors
    out = tmp_path / "forecast"
    result = invoke("forecast", "corridor", "--observations", observations, "--as-of", "2018-10-22",
                    "--horizon", "2", "--particles", "4", "--out", out)
    assert result.exit_code == 0, result.output
    assert (out / "forecast.json").exists() and (out / "places.csv").exists()


def test_a_page_not_in_utf8_is_read_with_a_warning(tmp_path):
    report = tmp_path / "nota.txt"
    report.write_bytes("Unos 7.000 migrantes llegaron ayer a Tecún Umán.\n".encode("cp1252"))
    result = invoke("news", "extract", report, "--published", "2018-10-22")
    assert result.exit_code == 0, result.output
    assert f"warning: file {report}: not UTF-8; read as Windows-1252" in result.output
    assert "2018-10-21,Tecun Uman,present,7000" in result.output


def test_extract_learned_gives_the_rules_rows_with_the_models_confidence(tmp_path):
    text = ("La caravana de unos 3.000 migrantes salió este sábado de Tapachula. "
            "El domingo llegaron a Huixtla, donde 200 fueron detenidos.\n")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "reports.csv").write_text("file,published,url,language\na.txt,2021-10-26,,es\n")
    plain, learned = tmp_path / "plain.csv", tmp_path / "learned.csv"
    assert invoke("news", "extract", tmp_path / "a.txt", "--published", "2021-10-26", "--out", plain).exit_code == 0
    result = invoke("news", "extract", tmp_path / "a.txt", "--published", "2021-10-26", "--out", learned, "--learned")
    assert result.exit_code == 0, result.output
    key = ("date", "place", "quantity", "value", "sentence")
    a, b = rows(plain), rows(learned)
    assert a and [tuple(r[k] for k in key) for r in a] == [tuple(r[k] for k in key) for r in b]
    assert [r["confidence"] for r in a] != [r["confidence"] for r in b]
    assert all(0 <= float(r["confidence"]) <= 1 for r in b)


def test_extract_moves_adds_only_movements_to_the_rules_rows(tmp_path):
    text = ("The caravan of about 3,000 migrants reached Tapachula on Saturday. "
            "Hundreds started out walking from the city of Huixtla on Monday.\n")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    plain, moves = tmp_path / "plain.csv", tmp_path / "moves.csv"
    assert invoke("news", "extract", tmp_path / "a.txt", "--published", "2021-10-26", "--out", plain).exit_code == 0
    result = invoke("news", "extract", tmp_path / "a.txt", "--published", "2021-10-26", "--out", moves, "--moves")
    assert result.exit_code == 0, result.output
    a, b = rows(plain), rows(moves)
    assert a and all(r in b for r in a) and len(b) > len(a)
    assert all(r["quantity"] in ("arrived", "departed") and not r["value"] and float(r["confidence"]) >= 0.5
               and r["reading"] == "mover" for r in b if r not in a)
    assert all(r["reading"] == "rules" for r in a)
    # the review says which rows the learned model proposed
    result = invoke("news", "review", moves, "--out", tmp_path / "obs.csv", input="s\n" * len(b) + "q\n")
    assert result.exit_code == 0, result.output
    shown = [r for r in b if float(r["confidence"]) >= 0.5]
    assert result.output.count("proposed by the learned movement model") == sum(r["reading"] == "mover" for r in shown) > 0


@pytest.mark.parametrize("option, module, name", [("--learned", "caravana.news.rescore", "rescorer"),
                                                  ("--moves", "caravana.news.mover", "movement")])
@pytest.mark.parametrize("content", [None, "{not json", '{"format": "something else"}'])
def test_extract_with_a_missing_or_broken_model_file_is_one_clear_error(tmp_path, monkeypatch, option, module, name,
                                                                          content):
    import importlib

    model = tmp_path / "model.json"
    if content is not None:
        model.write_text(content, encoding="utf-8")
    monkeypatch.setattr(importlib.import_module(module), "MODEL_FILE", model)
    (tmp_path / "a.txt").write_text("La caravana de unos 3.000 migrantes salió este sábado de Tapachula.\n",
                                    encoding="utf-8")
    out = tmp_path / "out.csv"
    result = invoke("news", "extract", tmp_path / "a.txt", "--published", "2021-10-26", "--out", out, option)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"error: file {model}") and "Traceback" not in result.output
    assert (f"cannot read the {name} model" in lines[0]) == (content != '{"format": "something else"}')
    assert not out.exists()


def test_news_help_pages_in_both_languages(monkeypatch):
    """`caravana news extract|review --help` in Spanish and English, and the group's own page."""
    monkeypatch.setenv("COLUMNS", "200")
    spanish = " ".join(CliRunner().invoke(app, ["news", "extract", "--help", "--lang", "es"]).output.split())
    assert "Proponer observaciones fechadas" in spanish and "El escenario cuyos lugares" in spanish
    assert "Propose dated observations" not in spanish
    english = " ".join(CliRunner().invoke(app, ["news", "review", "--help", "--lang", "en"]).output.split())
    assert "Accept, edit or reject each proposed observation" in english and "Aceptar" not in english
    review_es = " ".join(CliRunner().invoke(app, ["news", "review", "--help", "--lang", "es"]).output.split())
    assert "Mostrar también las filas ya aceptadas o rechazadas" in review_es
    group = " ".join(CliRunner().invoke(app, ["news", "--help"], env={"CARAVANA_LANG": "es"}).output.split())
    assert "Leer noticias" in group and "Proponer observaciones fechadas" in group and "Read news reports" not in group


def test_review_in_spanish_leaves_no_english(tmp_path, monkeypatch):
    """The review in Spanish (session 20's user walk): the title's file and row, the edit's
    prompts, a refused edit's reason and --accept-all's warnings were in English."""
    monkeypatch.chdir(tmp_path)  # short names: a long path would be wrapped inside a word
    proposals = Path(_proposals(tmp_path).name)
    observations = Path("obs.csv")
    # edit the first row's place to a place not in the scenario: refused, then rejected
    result = invoke("news", "review", proposals, "--out", observations, "--lang", "es",
                    input="e\n\nOaxaca\n\n\n\n\nr\nq\n")
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())  # as read, whatever the terminal's width wrapped
    assert f"archivo {proposals}, fila 2" in said
    for prompt in ("fecha [2018-10-21]:", "lugar [Tapachula]:", "cantidad [llegados]:"):  # (the name, session 25)
        assert prompt in said
    # what the file's code means, and the code: the name first, as the errors list them ("arrived
    # (llegados)" before session 25, while an error listed "llegados (arrived)")
    assert "llegados (arrived)" in said and "arrived (llegados)" not in said
    assert "lugar desconocido 'Oaxaca'" in said
    first = said
    # a row of another year than the scenario's is left pending, and says why in Spanish
    text = proposals.read_text(encoding="utf-8").replace("2018-10-21", "2021-10-21")
    proposals.write_text(text, encoding="utf-8")
    result = invoke("news", "review", proposals, "--accept-all", "--out", observations, "--lang", "es")
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "aviso: no aceptada, queda pendiente: archivo" in said
    assert "queda fuera del periodo del escenario" in said
    assert "1 observación escrita en obs.csv; decisiones guardadas en proposals.csv" in said  # not "(es)"
    out = invoke("news", "extract", tmp_path / "reports", "--out", "again.csv", "--lang", "es").output
    assert "1 reporte, 4 propuestas escritas en again.csv" in " ".join(out.split())
    for english in ("file ", "row ", "outside the scenario", "unknown place", " date [", " place ["):
        assert english not in first + said, english


def test_extract_warns_when_proposals_fall_outside_the_scenarios_period(tmp_path):
    """News of another year read with the 2018 corridor: every proposal would be refused at the
    review, one by one (session 20's user walk); extract says so at once."""
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text("Unos 3.000 migrantes salieron ayer de Tapachula.\n", encoding="utf-8")
    (folder / "reports.csv").write_text("file,published,url,language\na.txt,2021-10-24,,es\n")
    result = invoke("news", "extract", folder, "--out", tmp_path / "p.csv", "--lang", "es")
    assert result.exit_code == 0, result.output
    n = len(rows(tmp_path / "p.csv"))
    said = " ".join(result.output.split())
    # dates as the rest of the output writes them (were ISO: "(2018-10-12 a 2018-12-10; van del 2021-10-23", session 22)
    assert (f"aviso: {n} de {n} propuestas tienen fechas fuera del periodo del escenario (12 oct 2018 a 10 dic 2018; "
            "van del 23 oct 2021") in said
    folder2 = tmp_path / "r2018"
    folder2.mkdir()
    (folder2 / "a.txt").write_text("Unos 3.000 migrantes salieron ayer de Tapachula.\n", encoding="utf-8")
    (folder2 / "reports.csv").write_text("file,published,url,language\na.txt,2018-10-23,,es\n")
    assert "aviso" not in invoke("news", "extract", folder2, "--out", tmp_path / "q.csv", "--lang", "es").output


def test_review_edit_takes_a_quantity_by_its_spanish_name(tmp_path):
    """The review shows "detained (detenidos)"; a person may type either word in the edit."""
    proposals = _proposals(tmp_path)
    observations = tmp_path / "obs.csv"
    # edit the first row (Tapachula, arrived) into 7,000 detained people; then quit
    result = invoke("news", "review", proposals, "--out", observations, "--lang", "es",
                    input="e\n\n\ndetenidos\n7000\n\n\nq\n")
    assert result.exit_code == 0, result.output
    got = rows(observations)
    assert [(r["place"], r["quantity"], r["value"]) for r in got] == [("Tapachula", "detained", "7000")]


def test_review_keeps_the_decisions_made_when_stopped_at_a_prompt(tmp_path):
    """Ctrl+C or Ctrl+D at the review's prompt lost every decision of the session (Typer's
    "Aborted!"); they are kept as with q, and an edit left half-way changes nothing."""
    proposals = _proposals(tmp_path)
    before = rows(proposals)
    observations = tmp_path / "obs.csv"
    # accept the first; start editing the second (a new date), then the input ends (Ctrl+D)
    result = invoke("news", "review", proposals, "--out", observations, "--lang", "es", input="a\ne\n2018-10-30\n")
    assert result.exit_code == 1, result.output  # the input's end stops the review, rows left pending
    after = rows(proposals)
    assert after[0]["status"] == "accepted" and len(rows(observations)) == 1
    assert after[1:] == before[1:]  # the half-made edit left nothing
    said = " ".join(result.output.split())
    assert "1 observación escrita en" in said


@pytest.mark.parametrize("lang,ended", [
    ("es", "la entrada terminó en archivo proposals.csv, fila 3: la revisión se detiene ahí; esta fila y las "
           "siguientes quedan pendientes"),
    ("en", "the input ended at file proposals.csv, row 3: the review stops there; this row and those after it "
           "stay pending")])
def test_review_says_the_input_ended_not_ctrl_c(tmp_path, monkeypatch, lang, ended):
    """Piped answers that ran out were reported as "interrumpido (Ctrl+C)" (session 23's walk):
    the review says that the input ended, where, and what it saved."""
    monkeypatch.chdir(tmp_path)
    proposals = Path(_proposals(tmp_path).name)
    result = invoke("news", "review", proposals, "--out", "obs.csv", "--lang", lang, input="a\n")
    assert result.exit_code == 1, result.output  # rows pending: a script can tell it from a finished review
    said = " ".join(result.output.split())
    assert ended in said
    assert "Ctrl+C" not in said
    saved = {"es": "1 observación escrita en obs.csv; decisiones guardadas en proposals.csv",
             "en": "1 observation written to obs.csv; decisions saved in proposals.csv"}[lang]
    assert said.index(saved) > said.index(ended)


@pytest.mark.parametrize("lang,prompt", [("es", "lugar [Ciudad de México]:"), ("en", "place [Mexico City]:")])
def test_review_edit_offers_the_place_by_the_name_the_table_shows(tmp_path, lang, prompt):
    """The edit offered the file's identifier ("lugar [Mexico City]") under a table showing
    "Ciudad de México" (session 23's walk); it offers the shown name, and taking it keeps the
    scenario's place."""
    proposals = _proposals(tmp_path)
    table = rows(proposals)
    assert table[1]["quantity"] == "present" and table[1]["place"] == "Tapachula"
    table[1]["place"] = "Mexico City"
    with open(proposals, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    observations = tmp_path / "obs.csv"
    # reject the first; edit the second taking every offered value; then quit
    result = invoke("news", "review", proposals, "--out", observations, "--lang", lang, input="r\ne\n\n\n\n\n\n\nq\n")
    assert result.exit_code == 0, result.output
    assert prompt in " ".join(result.output.split())
    # the table's date as the output writes dates (session 24's walk); the edit offers the file's ISO, which it takes
    assert f"│ {'21 oct 2018' if lang == 'es' else '21 Oct 2018'} │" in result.output
    assert "│ 2018-10-21 " not in result.output and f"{'fecha' if lang == 'es' else 'date'} [2018-10-21]:" in result.output
    got = rows(observations)
    assert [(r["place"], r["quantity"], r["value"]) for r in got] == [("Mexico City", "present", "7000")]



def test_review_edit_offers_the_row_as_last_typed_and_a_dash_empties_a_field(tmp_path):
    """Session 25's walk: an edit refused, the next edit offered the place the table first showed, not
    the one just typed; the quantity was offered by its code ("cantidad [arrived]") under a table showing
    "llegados (arrived)"; and a value could not be emptied (Enter keeps it), so an arrival edited from a
    count was refused again and again ("'llegados' no lleva valor"). Now the row as last typed, the
    quantity by its name, and "-" empties a field (the edit says so)."""
    proposals = _proposals(tmp_path)
    observations = tmp_path / "obs.csv"
    # the second row (present, 7000, Tapachula): edit to Huixtla, arrived, keeping the value (refused);
    # edit again taking what is offered but the value, emptied with "-"
    result = invoke("news", "review", proposals, "--out", observations, "--lang", "es",
                    input="r\ne\n\nHuixtla\nllegados\n\n\n\ne\n\n\n\n-\n\n\nq\n")
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "(Enter conserva lo que está entre corchetes; - deja el campo vacío)" in said, said
    assert "cantidad [presentes]:" in said  # the first edit: the name the table shows
    assert "'llegados' no lleva valor" in said
    second = said.split("'llegados' no lleva valor")[1]
    assert "lugar [Huixtla]:" in second and "cantidad [llegados]:" in second and "valor [7000]:" in second
    assert [(r["place"], r["quantity"], r["value"]) for r in rows(observations)] == [("Huixtla", "arrived", "")]


def test_a_refused_edit_is_not_saved_and_the_file_reads_again(tmp_path):
    """Session 25's walk: an edit refused ("presnetes") stayed in the row, and q saved it in the proposals
    file, which the review could then no longer read ("'presnetes' no es una cantidad", exit 2). The row
    changes only when an edit is taken; the refused one is offered again to the next edit."""
    proposals = _proposals(tmp_path)
    before = rows(proposals)
    result = invoke("news", "review", proposals, "--out", tmp_path / "obs.csv", "--lang", "es",
                    input="e\n\n\npresnetes\n\n\n\ne\n\n\n\n\n\n\nq\n")
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert said.count("'presnetes' no es una cantidad") == 2 and "cantidad [presnetes]:" in said
    assert rows(proposals) == before  # nothing decided, nothing changed
    again = invoke("news", "review", proposals, "--out", tmp_path / "obs.csv", "--lang", "es", input="q\n")
    assert again.exit_code == 0, again.output


@pytest.mark.parametrize("saved,said", [
    ("latin-1", "fila 2: no es UTF-8 válido (byte 0xfa en la posición"),
    ("semicolons", "fila 1: las columnas están separadas por ';', no por ','")])
def test_review_of_a_proposals_file_a_spreadsheet_saved_says_what_to_do(tmp_path, saved, said):
    """Session 25's walk: a proposals file saved by a spreadsheet as "CSV" in Latin-1 ended the review in a
    UnicodeDecodeError traceback, and one with ';' between columns was told every column was missing.
    Each is now the line an observations file gets (the file, the row, what to do)."""
    text = _proposals(tmp_path).read_text(encoding="utf-8").replace("Tapachula.", "Tapachula, según la policía.", 1)
    bad = tmp_path / "bad.csv"
    if saved == "latin-1":  # "según": 0xfa, not UTF-8
        bad.write_bytes(text.encode("latin-1"))
    else:
        bad.write_text(text.replace(",", ";"), encoding="utf-8")
    result = invoke("news", "review", bad, "--out", tmp_path / "obs.csv", "--lang", "es")
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"error: archivo {bad}, {said}"), result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) <= 2


@pytest.mark.parametrize("typed,code", [("  SOLICITUDES  de asilo ", "asylum_requests"),
                                        ("tamano de la caravana", "caravan_size"), ("Caravan Size", "caravan_size"),
                                        ("asylum request", "asylum_requests")])  # English's name, in Spanish
def test_review_edit_takes_a_quantity_whatever_its_accents_case_and_spaces(tmp_path, typed, code):
    """A name typed without the catalogue's exact accents, case or spaces was kept as typed and
    refused with the file's English codes (review of session 20); an unknown one is refused with
    the names the review shows, in Spanish."""
    proposals = _proposals(tmp_path)
    observations = tmp_path / "obs.csv"
    # edit the first row into a quantity that is none, then type it as a person might; then quit
    result = invoke("news", "review", proposals, "--out", observations, "--lang", "es",
                    input=f"e\n\n\nasilados\n7000\n\n\ne\n\n\n{typed}\n\n\n\nq\n")
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "campo 'quantity': 'asilados' no es una cantidad; una de: presentes (present)," in said
    assert "solicitudes de asilo (asylum_requests), llegadas (arrivals) — edítela o recházela" in said
    got = rows(observations)
    assert [(r["place"], r["quantity"], r["value"]) for r in got] == [("Tapachula", code, "7000")]


@pytest.mark.parametrize("lang,typed,value,said", [
    ("es", "llegados", "100", "'llegados' no lleva valor (la fecha es la observación)"),
    ("en", "in the camp", " ", "'in the camp' needs a value (a number of people)")])
def test_review_edit_error_names_the_quantity_as_typed(tmp_path, lang, typed, value, said):
    """An edit typed "llegados" with a value was refused as "'arrived' no lleva valor" (session 24's
    walk): a name the user never typed. The error names the quantity as typed; the row, once right,
    keeps the file's code."""
    proposals = _proposals(tmp_path)
    observations = tmp_path / "obs.csv"
    # edit the first row (arrived, Tapachula) wrongly, then rightly (a value, then none, or the reverse)
    right = " " if value != " " else "7000"
    result = invoke("news", "review", proposals, "--out", observations, "--lang", lang,
                    input=f"e\n\n\n{typed}\n{value}\n\n\ne\n\n\n{typed}\n{right}\n\n\nq\n")
    assert result.exit_code == 0, result.output
    told = " ".join(result.output.split())
    assert said in told, told
    code = {"llegados": "arrived", "in the camp": "camp"}[typed]
    assert f"'{code}'" not in told
    assert [(r["quantity"], r["value"]) for r in rows(observations)] == [(code, right.strip())]


@pytest.mark.parametrize("lang,guess", [
    ("es", "'llegdos' no es una cantidad (¿quiso decir llegados (arrived), llegadas (arrivals)?); una de:"),
    ("en", "'llegdos' is not a quantity (did you mean 'arrived', 'arrivals'?); one of:")])
def test_review_edit_suggests_a_misspelt_quantity_by_the_name_a_user_types(tmp_path, lang, guess):
    """A quantity edited as "llegdos" was told "¿quiso decir 'arrived', 'arrivals'?" in a Spanish
    session: codes, not the names a user types in Spanish (session 24's note). Now the names with
    their codes in Spanish, the codes in English."""
    proposals = _proposals(tmp_path)
    result = invoke("news", "review", proposals, "--out", tmp_path / "obs.csv", "--lang", lang,
                    input="e\n\n\nllegdos\n\n\n\nq\n")
    assert result.exit_code == 0, result.output
    told = " ".join(result.output.split())
    assert guess in told, told


def test_review_says_what_a_row_placed_at_a_country_means(tmp_path):
    """A row at "MX" was accepted as it was, and nothing said why "MX" is vague (session 20's
    walk, B9: "MX, dead"). The extractor writes the country when the sentence's town is not one
    of the scenario's ("50 migrants arrived in Oaxaca" -> MX, present 50). A country is a valid
    place (the count is compared with the sum over the country's places: "1,700 detained in
    Mexico"), so the row may be kept; the review now says what it means, and to put the town the
    sentence names instead; --accept-all warns for such rows."""
    proposals = _proposals(tmp_path)
    table = [r for r in rows(proposals) if float(r["confidence"]) >= 0.5]
    at_country = [i for i, r in enumerate(table) if r["place"] == "MX"]
    assert at_country == [3] and "Oaxaca" in table[3]["sentence"]  # the case this guards
    fresh = tmp_path / "fresh.csv"
    shutil.copy(proposals, fresh)
    result = invoke("news", "review", proposals, "--out", tmp_path / "obs.csv", "--lang", "es", input="r\nr\nr\na\n")
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "MX es un país, no un pueblo: la cifra se compara con la suma de todos los lugares del escenario en MX" in said
    assert said.count("es un país") == 1  # the rows at a town say nothing of the kind
    assert said.index("es un país") > said.index("propuesta 4 de 4")
    assert [(r["place"], r["quantity"]) for r in rows(tmp_path / "obs.csv")] == [("MX", "present")]  # kept: valid
    result = invoke("news", "review", fresh, "--out", tmp_path / "all.csv", "--accept-all", "--lang", "en")
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert f"warning: 1 row accepted is placed at a country, not a town (file {fresh}, row 5)" in said


def test_accept_all_writes_the_files_codes_for_names_the_tables_show(tmp_path):
    """A proposals file whose rows say a quantity and a place as the tables show them ("presentes",
    "Ciudad de México": a person's edit in a spreadsheet) was accepted by --accept-all as it
    stood, so the observations file said "presentes" (s23users2); it gets the quantity's code and
    the scenario's place, as the interactive review writes them."""
    proposals = _proposals(tmp_path)
    table = rows(proposals)
    shown = {"present": "presentes", "detained": "Detenidos", "arrived": "llegados"}
    for row in table:
        row["quantity"] = shown.get(row["quantity"], row["quantity"])
        row["place"] = {"Tapachula": "Ciudad de México"}.get(row["place"], row["place"])
    with open(proposals, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    observations = tmp_path / "obs.csv"
    result = invoke("news", "review", proposals, "--accept-all", "--out", observations, "--lang", "es")
    assert result.exit_code == 0, result.output
    got = [(r["place"], r["quantity"], r["value"]) for r in rows(observations)]
    assert ("Mexico City", "present", "7000") in got and ("Huixtla", "detained", "300") in got
    assert {q for _, q, _ in got} <= {"present", "detained", "arrived", "arrivals", "departed", "caravan_size"}
    assert {r["quantity"] for r in rows(proposals) if r["status"] == "accepted"} <= {q for _, q, _ in got}
