"""The dashboard's review panel: its API (/api/news) and the panel in a browser."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from caravana.dashboard.app import create_app
from caravana.news.review import EDITABLE

PROPOSALS = (
    "file,date,place,quantity,value,low,high,confidence,sentence,start,end,evidence,source,language,published,status\n"
    'a.txt,2018-10-21,Tapachula,present,7000,,,0.90,"Unos 7.000 migrantes llegaron ayer a Tapachula.",0,47,7.000,'
    "https://x.example/a 2018-10-22,es,2018-10-22,\n"
    'a.txt,2018-10-21,Tapachula,arrived,,,,0.85,"Unos 7.000 migrantes llegaron ayer a Tapachula.",0,47,Tapachula,'
    "https://x.example/a 2018-10-22,es,2018-10-22,\n"
    'a.txt,2018-10-20,Oaxaca,present,50,,,0.60,"Unos 50 migrantes llegaron a Oaxaca el sábado.",48,95,50,'
    "https://x.example/a 2018-10-22,es,2018-10-22,\n"
)


@pytest.fixture
def client(tmp_path):
    with TestClient(create_app(tmp_path / "workspace"), base_url="http://127.0.0.1") as c:
        yield c


def upload(client, text=PROPOSALS, name="proposals.csv"):
    return client.post("/api/news/proposals", files={"file": (name, text.encode(), "text/csv")},
                       data={"scenario": "corridor"})


def test_proposals_are_read_with_each_rows_problem(client):
    r = upload(client)
    assert r.status_code == 200, r.text
    rows = r.json()["rows"]
    assert [(x["row"], x["quantity"], x["value"]) for x in rows] == [
        ("2", "present", "7000"), ("3", "arrived", ""), ("4", "present", "50")]
    assert rows[0]["problem"] is None and rows[1]["problem"] is None
    assert "unknown place 'Oaxaca'" in rows[2]["problem"] and rows[2]["problem"].startswith("row 4, field 'place'")
    # which columns a reviewer may edit comes from Python (news.review), not a copy in news.js
    assert r.json()["editable"] == list(EDITABLE)
    assert "const EDITABLE" not in (Path(create_app.__code__.co_filename).parent / "static" / "news.js").read_text()


def test_a_rows_problem_is_in_the_pages_language_with_the_places_it_suggests(client):
    """The panel showed each row's problem in English on a Spanish page ("row 4, field 'place': unknown
    place ..."), as the server wrote it; now in the page's language, a misspelt place with a guess."""
    text = PROPOSALS.replace(",Oaxaca,", ",Tecun,")
    r = client.post("/api/news/proposals", files={"file": ("proposals.csv", text.encode(), "text/csv")},
                    data={"scenario": "corridor"}, headers={"Accept-Language": "es"})
    assert r.status_code == 200, r.text
    assert r.json()["rows"][2]["problem"] == ("fila 4, campo 'place': lugar desconocido 'Tecun' (no es un lugar ni un país "
                                              "del escenario corridor; ¿quiso decir 'Tecún Umán'?)")


def test_a_broken_proposals_file_is_one_plain_error(client):
    r = upload(client, PROPOSALS.replace("2018-10-20,Oaxaca", "2018-10-32,Oaxaca"))
    assert r.status_code == 400
    assert r.json()["detail"] == "file proposals.csv, row 4, field 'date': '2018-10-32' is not a date (YYYY-MM-DD)"
    assert upload(client, "just,some\ncsv,text\n").status_code == 400


def decided(client, statuses, edits=None):
    rows = upload(client).json()["rows"]
    for row, status in zip(rows, statuses):
        row["status"] = status
        row.update((edits or {}).get(row["row"], {}))
    return [{k: v for k, v in row.items() if k not in ("row", "problem", "problems", "country", "names")}
            for row in rows]  # as news.js


def test_accepted_rows_become_an_observations_file(client):
    rows = decided(client, ["accepted", "rejected", "edited"], {"4": {"place": "Juchitan", "value": "60"}})
    r = client.post("/api/news/observations", json={"scenario": "corridor", "rows": rows})
    assert r.status_code == 200, r.text
    got = list(csv.DictReader(io.StringIO(r.text)))
    assert [(o["date"], o["place"], o["quantity"], o["value"]) for o in got] == [
        ("2018-10-21", "Tapachula", "present", "7000"), ("2018-10-20", "Juchitan", "present", "60")]
    assert got[0]["source"] == "https://x.example/a 2018-10-22 (a.txt)"
    assert got[0]["note"] == "Unos 7.000 migrantes llegaron ayer a Tapachula."


def test_a_row_edited_by_the_names_the_panel_shows_keeps_the_files_codes(client):
    """An edit typed as the panel shows things ("Ciudad de México", "presentes") was refused with the
    file's codes (quantity) or kept as typed (place); each is stored as the scenario's and the file's."""
    rows = decided(client, ["rejected", "rejected", "edited"], {"4": {"place": "Ciudad de México", "quantity": "presentes"}})
    r = client.post("/api/news/observations", json={"scenario": "corridor", "rows": rows})
    assert r.status_code == 200, r.text
    got = list(csv.DictReader(io.StringIO(r.text)))
    assert [(o["place"], o["quantity"], o["value"]) for o in got] == [("Mexico City", "present", "50")]


def test_an_accepted_row_the_scenario_cannot_take_is_refused(client):
    rows = decided(client, ["accepted", "", "accepted"])
    r = client.post("/api/news/observations", json={"scenario": "corridor", "rows": rows})
    assert r.status_code == 400
    assert r.json()["detail"].startswith("row 4, field 'place': unknown place 'Oaxaca'")


@pytest.mark.parametrize("lang,detail", [
    ("en", "row 3, field 'value': 'arrived' takes no value (the date is the observation); "),
    ("es", "fila 3, campo 'value': 'arrived' no lleva valor (la fecha es la observación); ")])
def test_a_refused_rows_error_has_no_pydantic_prefix(client, lang, detail):
    """The English answer passed the check's validation message through as it came: "row 3, field
    'value': Value error, 'arrived' takes no value ..." (pydantic's prefix, mid-line; session 24)."""
    rows = decided(client, ["rejected", "edited", "rejected"], {"3": {"value": "100"}})
    r = client.post("/api/news/observations", json={"scenario": "corridor", "rows": rows},
                    headers={"Accept-Language": lang})
    assert r.status_code == 400
    assert r.json()["detail"].startswith(detail), r.json()["detail"]
    assert "Value error" not in r.json()["detail"]


@pytest.mark.parametrize("lang,guess", [
    ("es", "'presnetes' no es una cantidad (¿quiso decir presentes (present)?); una de: presentes (present), "),
    ("en", "'presnetes' is not a quantity (did you mean 'present'?); one of: present, ")])
def test_a_misspelt_quantity_is_suggested_by_the_name_a_user_types(client, lang, guess):
    """The panel's edit "presnetes" was told "¿quiso decir 'present'?" on a Spanish page (a code);
    now the name a user types in the page's language, with its code."""
    rows = decided(client, ["rejected", "rejected", "edited"], {"4": {"quantity": "presnetes"}})
    r = client.post("/api/news/observations", json={"scenario": "corridor", "rows": rows},
                    headers={"Accept-Language": lang})
    assert r.status_code == 400
    assert guess in r.json()["detail"], r.json()["detail"]


@pytest.mark.parametrize("lang,detail", [
    ("es", "fila 3, campo 'value': 'llegados' no lleva valor (la fecha es la observación); "),
    ("en", "row 3, field 'value': 'llegados' takes no value (the date is the observation); ")])
def test_an_edits_error_names_the_quantity_as_typed(client, lang, detail):
    """A row edited on the panel as "llegados" with a value was refused as "'arrived' no lleva valor": the
    file's code, which the reviewer never typed (the terminal's review named it as typed since session 24).
    The check is given the name typed (news.review.check_against's ``typed``), as in the terminal."""
    rows = decided(client, ["rejected", "edited", "rejected"], {"3": {"quantity": "llegados", "value": "100"}})
    r = client.post("/api/news/observations", json={"scenario": "corridor", "rows": rows},
                    headers={"Accept-Language": lang})
    assert r.status_code == 400
    assert r.json()["detail"].startswith(detail), r.json()["detail"]
    assert "'arrived'" not in r.json()["detail"]


def test_decisions_go_back_into_the_proposals_file(client, tmp_path):
    rows = decided(client, ["accepted", "rejected", ""])
    r = client.post("/api/news/decisions", json={"scenario": "corridor", "rows": rows})
    assert r.status_code == 200, r.text
    path = tmp_path / "proposals.csv"
    path.write_text(r.text, encoding="utf-8")
    from caravana.news.proposals import read_rows

    assert [row["status"] for row in read_rows(path)] == ["accepted", "rejected", ""]


# --- the panel in a browser -------------------------------------------------------------

browser_mod = pytest.importorskip("tests.test_dashboard_browser")
live, browser, offline, corridor_run = (browser_mod.live, browser_mod.browser, browser_mod.offline,
                                        browser_mod.corridor_run)


def downloaded(page) -> list[tuple[str, str, str]]:
    """Place, quantity and value of each row of the observations file the panel's download gives."""
    with page.expect_download() as download:
        page.click("#news-download")
    got = csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8")))
    return [(o["place"], o["quantity"], o["value"]) for o in got]


def spanish_panel(offline, tmp_path, text):
    """The page in Spanish (Chromium) with the proposals ``text`` loaded in its review panel."""
    if not Path(browser_mod.CHROMIUM).exists():
        pytest.skip("needs Debian's chromium")
    proposals = tmp_path / "proposals.csv"
    proposals.write_text(text, encoding="utf-8")
    offline.url += "?lang=es"
    offline.open()
    offline.page.set_input_files("#news-file", str(proposals))
    return offline.page


def test_review_panel_in_the_browser(offline, tmp_path):
    if not Path(browser_mod.CHROMIUM).exists():
        pytest.skip("needs Debian's chromium")
    proposals = tmp_path / "proposals.csv"
    proposals.write_text(PROPOSALS, encoding="utf-8")
    offline.open()
    page = offline.page
    page.set_input_files("#news-file", str(proposals))
    page.wait_for_selector("#news-table tr[data-row='4']")
    # the evidence is shown with the figure marked, and the problem of the Oaxaca row
    assert page.inner_text("#news-table tr[data-row='2'] mark") == "7.000"
    assert "unknown place 'Oaxaca'" in page.inner_text("#news-table tr[data-row='4']")
    page.click("#news-table tr[data-row='2'] button.accept")
    page.click("#news-table tr[data-row='3'] button.reject")
    page.fill("#news-table tr[data-row='4'] input[aria-label='place, row 4']", "Juchitan")
    page.dispatch_event("#news-table tr[data-row='4'] input[aria-label='place, row 4']", "change")
    page.click("#news-table tr[data-row='4'] button.accept")
    assert page.inner_text("#news-count") == "3 proposals: 2 accepted, 1 rejected, 0 to decide"
    assert downloaded(page) == [
        ("Tapachula", "present", "7000"), ("Juchitan", "present", "50")]
    assert offline.external == [] and offline.errors == []


def test_rows_carry_their_place_and_quantity_by_the_names_each_language_shows(client):
    """The panel's inputs showed the file's words on a Spanish page ("Mexico City", "present") while the
    terminal's review offers "Ciudad de México" and "presentes" (session 25). Each row now carries them in
    each language for the panel to offer."""
    r = upload(client, PROPOSALS.replace(",Oaxaca,", ",Mexico City,"))
    assert r.status_code == 200, r.text
    rows = r.json()["rows"]
    assert [x["names"]["es"] for x in rows] == [{"place": "Tapachula", "quantity": "presentes"},
                                                {"place": "Tapachula", "quantity": "llegados"},
                                                {"place": "Ciudad de México", "quantity": "presentes"}]
    assert rows[2]["names"]["en"] == {"place": "Mexico City", "quantity": "present"}
    assert rows[2]["place"] == "Mexico City" and rows[2]["quantity"] == "present"  # the file's, sent back unedited


def test_the_panel_offers_names_in_the_pages_language_and_keeps_the_files_words(offline, tmp_path):
    """In the browser, on a Spanish page: the inputs show "Ciudad de México" and "presentes", the other
    language's names after a switch; a row accepted unedited is written with the file's words."""
    page = spanish_panel(offline, tmp_path, PROPOSALS.replace(",Oaxaca,", ",Mexico City,"))
    place, quantity = "#news-table tr[data-row='4'] td:nth-child(2) input", "#news-table tr[data-row='4'] td:nth-child(3) input"
    page.wait_for_selector(place)
    assert (page.input_value(place), page.input_value(quantity)) == ("Ciudad de México", "presentes")
    page.select_option("#lang", "en")
    browser_mod.wait_until(lambda: page.input_value(place) == "Mexico City")
    assert page.input_value(quantity) == "present"
    page.select_option("#lang", "es")
    browser_mod.wait_until(lambda: page.input_value(place) == "Ciudad de México")
    page.click("#news-table tr[data-row='4'] button.accept")
    assert downloaded(page) == [("Mexico City", "present", "50")]
    assert offline.external == [] and offline.errors == []


def test_a_row_placed_at_a_country_is_marked_for_the_panel(client):
    """The terminal review says what a row at a country ("MX") means (session 21's walk); the panel
    gets the country with the row and says the same under its evidence (news.js)."""
    r = upload(client, PROPOSALS.replace("2018-10-20,Oaxaca", "2018-10-20,MX"))
    assert r.status_code == 200, r.text
    rows = r.json()["rows"]
    assert [x["country"] for x in rows] == [None, None, "MX"] and rows[2]["problem"] is None


def test_the_panel_says_what_a_row_at_a_country_means(offline, tmp_path):
    """In the browser: the note under the row at "MX", none under the rows at a town; the row can
    still be accepted (the page does not send the note's field back)."""
    if not Path(browser_mod.CHROMIUM).exists():
        pytest.skip("needs Debian's chromium")
    proposals = tmp_path / "proposals.csv"
    proposals.write_text(PROPOSALS.replace("2018-10-20,Oaxaca", "2018-10-20,MX"), encoding="utf-8")
    offline.open()
    page = offline.page
    page.set_input_files("#news-file", str(proposals))
    page.wait_for_selector("#news-table tr[data-row='4']")
    assert "MX is a country, not a town: the figure is compared with the sum over all the scenario's places in MX" \
        in page.inner_text("#news-table tr[data-row='4']")
    assert "is a country" not in page.inner_text("#news-table tr[data-row='2']")
    page.click("#news-table tr[data-row='4'] button.accept")
    assert downloaded(page) == [("MX", "present", "50")]
    assert offline.external == [] and offline.errors == []


def test_the_panel_shows_a_rows_problem_in_the_language_the_page_is_switched_to(offline, tmp_path):
    """The server wrote each row's problem in the page's language when the file was read; after the
    page's switch to the other language the panel kept it in the first (s23users' walk). The rows
    now carry it in each language and the panel shows the page's (Chromium)."""
    page = spanish_panel(offline, tmp_path, PROPOSALS.replace(",Oaxaca,", ",Tecun,"))
    problem = "#news-table tr[data-row='4'] p.error"
    page.wait_for_selector(problem)
    assert page.inner_text(problem) == ("fila 4, campo 'place': lugar desconocido 'Tecun' (no es un lugar ni un país "
                                        "del escenario corridor; ¿quiso decir 'Tecún Umán'?)")
    page.select_option("#lang", "en")
    browser_mod.wait_until(lambda: page.inner_text(problem).startswith("row 4"))
    assert page.inner_text(problem) == ("row 4, field 'place': unknown place 'Tecun' (not a place or a country of "
                                        "scenario corridor; did you mean 'Tecún Umán'?)")
    page.select_option("#lang", "es")
    browser_mod.wait_until(lambda: page.inner_text(problem).startswith("fila 4"))
    assert offline.external == [] and offline.errors == []
