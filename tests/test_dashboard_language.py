"""The whole dashboard in Spanish and in English (Chromium, external requests blocked):
no catalogued English message left on the Spanish page, the switch redraws everything, and
the map's labels of the key places do not overlap, at desktop width and at 390 px."""

from __future__ import annotations

import re
from itertools import combinations
from pathlib import Path

import pytest

from tests.language_check import english_left
from tests.test_dashboard_api import corridor_run  # noqa: F401  (session fixture)
from tests.test_dashboard_browser import CHROMIUM, OfflinePage, browser, live, wait_until  # noqa: F401

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"needs Debian's chromium at {CHROMIUM}")

# Everything a person reads: text, options, labels for screen readers, placeholders, tooltips.
READABLE = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!el || el.closest("#map .label-layer, script, style, code")) continue;
    const text = node.textContent.trim();
    if (text) out.push(text);
  }
  for (const el of document.querySelectorAll("[aria-label], [placeholder], [title]")) {
    for (const a of ["aria-label", "placeholder", "title"]) if (el.getAttribute(a)) out.push(el.getAttribute(a));
  }
  out.push(document.title);
  return out;
}"""


def open_in(browser, url: str, width: int = 1400) -> OfflinePage:  # noqa: F811
    page = OfflinePage(browser, url)
    page.page.set_viewport_size({"width": width, "height": 1000})
    page.open()
    return page


def test_spanish_page_has_no_english_message_left(browser, live):  # noqa: F811
    page = open_in(browser, f"{live.url}?lang=es")
    try:
        p = page.page
        page.set_day(20)
        p.wait_for_selector("#events-table tbody tr")
        p.wait_for_selector("#compare-table tbody tr", state="attached")
        texts = p.evaluate(READABLE)
        assert english_left(texts) == [], english_left(texts)
        assert p.evaluate("document.documentElement.lang") == "es"
        assert p.locator("#needs-panel h2").inner_text() == "Necesidades en un albergue"
        assert "días desde el" in p.locator("#run-info").inner_text()
        assert p.locator("#day-label").inner_text() == "1 nov 2018"  # a date in Spanish, not "day 20"
        assert p.locator("#needs-table thead th").first.inner_text() == "fecha"
        assert re.match(r"\d{1,2} [a-z]{3} 2018$", p.locator("#needs-table tbody td").first.inner_text())
        assert "se quedan" in p.locator("#quantity option:checked").inner_text()  # the server's labels too
        assert english_left(["people staying"]) != []  # the check sees English when there is some
        assert page.external == [] and page.errors == []
    finally:
        page.close()


def test_the_switch_redraws_the_page_in_the_other_language(browser, live):  # noqa: F811
    page = open_in(browser, f"{live.url}?lang=en")
    try:
        p = page.page
        assert p.locator("#needs-panel h2").inner_text() == "Needs at a shelter"
        assert "days from" in p.locator("#run-info").inner_text()
        english = p.locator("#chart-legend").inner_text()
        p.select_option("#lang", "es")
        wait_until(lambda: "días desde" in p.locator("#run-info").inner_text())
        wait_until(lambda: p.locator("#chart-legend").inner_text() != english)
        assert p.locator("#needs-panel h2").inner_text() == "Necesidades en un albergue"
        assert p.locator("#play").inner_text().endswith("Reproducir")
        try:  # the panels drawn from data are redrawn one after another
            wait_until(lambda: english_left(p.evaluate(READABLE)) == [], timeout=10)
        except AssertionError:
            assert english_left(p.evaluate(READABLE)) == []
        assert page.external == [] and page.errors == []
    finally:
        page.close()


# each label by its place's identifier (data-place): its text is the name in the page's language
LABEL_BOXES = """() => [...document.querySelectorAll('#map text.label.shown')].map((t) => {
  const r = t.getBoundingClientRect();
  return [t.dataset.place, r.left, r.top, r.right, r.bottom];
})"""


def overlapping(boxes: list) -> list[tuple[str, str]]:
    return [(a[0], b[0]) for a, b in combinations(boxes, 2)
            if a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5 and a[2] < b[4] - 0.5 and b[2] < a[4] - 0.5]


@pytest.mark.parametrize("width", [1400, 390])
def test_map_labels_of_the_key_places_do_not_overlap(browser, live, width):  # noqa: F811
    page = open_in(browser, f"{live.url}?lang=es", width)
    try:
        p = page.page
        key = p.evaluate("fetch('/api/runs/corridor-seed1/map').then((r) => r.json()).then((f) => f.key_places)")
        # The road's end is always key; the others are the busiest places, which depend on the model.
        assert "Tijuana El Chaparral" in key and len(key) >= 6, key
        shown_ever: set[str] = set()
        for day in (0, 5, 10, 20, 30, 45):
            page.set_day(day)
            boxes = p.evaluate(LABEL_BOXES)
            assert overlapping(boxes) == [], (day, overlapping(boxes))
            assert all(b[4] - b[2] >= 9 for b in boxes)  # readable on the screen, at either width
            assert len(boxes) >= (6 if width > 1000 else 3)
            shown_ever |= {b[0] for b in boxes}
        assert len(shown_ever & set(key)) >= (len(key) // 2 if width > 1000 else 3), (shown_ever, key)
        assert overlapping([["a", 0, 0, 10, 10], ["b", 5, 5, 15, 15]]) == [("a", "b")]  # the check can fail
        assert page.external == [] and page.errors == []
    finally:
        page.close()


# the page's own n_(), from the module the page loaded (same address, same catalogue)
COUNTS = """async () => {
  const { n_ } = await import("/static/i18n.js");
  return [1, 2].flatMap((n) => [n_("{n} day", "{n} days", n, { n }), n_("{n} person", "{n} people", n, { n }),
    n_("{place}: {n} staying", "{place}: {n} staying", n, { place: "Tapachula", n }), n_("{n} day", "{n} days", -n, { n: -n })]);
}"""


def test_counts_of_one_are_said_in_the_singular_in_both_languages(browser, live):  # noqa: F811
    page = open_in(browser, f"{live.url}?lang=es")
    try:
        p = page.page
        assert p.evaluate(COUNTS) == ["1 día", "1 persona", "Tapachula: 1 se queda", "-1 día",
                                      "2 días", "2 personas", "Tapachula: 2 se quedan", "-2 días"]
        assert re.search(r"semilla \d+, 60 días desde el 12 oct 2018, [\d,]+ personas$", p.locator("#run-info").inner_text())
        p.select_option("#lang", "en")
        wait_until(lambda: "days from" in p.locator("#run-info").inner_text())
        assert p.evaluate(COUNTS) == ["1 day", "1 person", "Tapachula: 1 staying", "-1 day",
                                      "2 days", "2 people", "Tapachula: 2 staying", "-2 days"]
        assert page.external == [] and page.errors == []
    finally:
        page.close()


def test_a_users_own_scenario_keeps_its_place_names_on_the_page(browser, live):  # noqa: F811
    page = open_in(browser, f"{live.url}?lang=es")
    try:
        names = page.page.evaluate("""async () => {
          const { placeName, showScenario } = await import("/static/i18n.js");
          const shown = [placeName("Cordoba")];  // the corridor's run is loaded
          showScenario("mine");
          shown.push(placeName("Cordoba"), placeName("Mexico City"));
          showScenario("corridor-2021");
          return [...shown, placeName("Cordoba")];
        }""")
        assert names == ["Córdoba", "Cordoba", "Mexico City", "Córdoba"]
    finally:
        page.close()


@pytest.fixture(scope="module")
def own_corridor_run(tmp_path_factory) -> Path:
    """A run of a user's own scenario that is named "corridor" too (places Cordoba, Juchitan, Mexico City)."""
    import caravana
    from caravana.results.io import write_results
    from tests.conftest import DEFAULT_FILES, SCENARIO_YML
    from tests.test_display_names import OWN_LOCATIONS, OWN_ROUTES

    scenario = tmp_path_factory.mktemp("own-scenario")
    files = {**DEFAULT_FILES, "scenario.yml": SCENARIO_YML.replace("name: tiny", "name: corridor"),
             "locations.csv": OWN_LOCATIONS, "routes.csv": OWN_ROUTES}
    for name, text in files.items():
        (scenario / name).write_text(text, encoding="utf-8")
    out = tmp_path_factory.mktemp("results") / "own-corridor"
    write_results(caravana.run(scenario / "scenario.yml", seed=3), out)
    return out


def test_the_compare_panel_names_each_runs_places_by_its_own_scenario(browser, corridor_run, own_corridor_run,  # noqa: F811
                                                                      tmp_path_factory, monkeypatch):
    """A: the built-in corridor, B: a user's own "corridor", the page showing B. A's places had B's
    (no) names ("Mexico City"), and the place both have was named by the run loaded only."""
    from caravana import catalogue
    from caravana.display.loading import load_folder
    from caravana.i18n import language
    from tests.test_dashboard_browser import LiveServer

    monkeypatch.setenv(catalogue.HOME_ENV, str(tmp_path_factory.mktemp("home")))
    server = LiveServer(tmp_path_factory.mktemp("workspace"), [corridor_run, own_corridor_run])
    page = open_in(browser, f"{server.url}?lang=es&run=own-corridor")
    try:
        p = page.page
        wait_until(lambda: p.evaluate("document.querySelector('#run-select').value") == "own-corridor", timeout=20)
        p.select_option("#compare-a", "corridor-seed1")
        p.select_option("#compare-b", "own-corridor")
        p.select_option("#place", "Cordoba")
        wait_until(lambda: p.locator("#compare-legend").inner_text().startswith("Córdoba / Cordoba,"), timeout=20)
        rows = p.locator("#compare-table tbody td:first-child").all_inner_texts()
        es = language("es")
        destinations = {c["destination"] for c in load_folder(corridor_run).arrivals.values()}
        assert destinations and any(es.place(d) != d for d in destinations)  # a name the corridor's places have
        for d in destinations:  # run A's, by run A's names
            assert any(row.endswith(f" {es.place(d)}") for row in rows), (d, rows)
        assert page.external == [] and page.errors == []
    finally:
        page.close()
        server.stop()
