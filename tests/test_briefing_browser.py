"""The place briefing in the dashboard, in Chromium with every request off this machine
blocked: Spanish and English, the deep link /place/NAME, 390 px wide, the run given first."""

from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path

import pytest

from caravana import catalogue
from caravana.briefing.sources import briefing
from caravana.dashboard.serving import build_server
from caravana.i18n import language
from tests.test_briefing import ensemble20  # noqa: F401  (session fixture)
from tests.test_dashboard_api import corridor_run  # noqa: F401  (session fixture)
from tests.test_dashboard_browser import CHROMIUM, DOCS_IMG, OfflinePage, browser  # noqa: F401

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"needs Debian's chromium at {CHROMIUM}")


@pytest.fixture(scope="module")
def served(tmp_path_factory, ensemble20, corridor_run):  # noqa: F811
    """The dashboard given the 20-member ensemble, with another run in the catalogue."""
    home = tmp_path_factory.mktemp("caravana-home")
    previous = os.environ.get(catalogue.HOME_ENV)
    os.environ[catalogue.HOME_ENV] = str(home)
    catalogue.register("run", "corridor", corridor_run, seed=1)
    server, sock = build_server(tmp_path_factory.mktemp("workspace"), [ensemble20], port=0, catalogued=20)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    host, port = sock.getsockname()[:2]
    yield f"http://{host}:{port}/"
    server.should_exit = True
    thread.join(timeout=20)
    if previous is None:
        os.environ.pop(catalogue.HOME_ENV, None)
    else:
        os.environ[catalogue.HOME_ENV] = previous


def open_page(browser, url: str, width: int = 1400) -> OfflinePage:  # noqa: F811
    page = OfflinePage(browser, url)
    page.context.close()
    page.context = browser.new_context(viewport={"width": width, "height": 900})
    page.context.route("**/*", page._route)
    page.page = page.context.new_page()
    page.page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.open()
    page.page.wait_for_selector("#briefing article.briefing", timeout=30_000)
    return page


SPANISH = ("personas aquí en el máximo", "Agua (litros)", "Letrinas", "Qué preparar")
ENGLISH = ("people here at the peak", "Water (litres)", "Toilets", "What to prepare")
# (language, place, words, the README's screenshot of that language)
CASES = [("es", "Juchitán", SPANISH, True), ("en", "Juchitán", ENGLISH, False),
         ("es", "Tijuana El Chaparral", SPANISH, False), ("en", "Tijuana El Chaparral", ENGLISH, True),
         ("es", "Matías Romero", SPANISH, False)]


@pytest.mark.parametrize("lang,place,words,docs", CASES)
def test_briefing_in_both_languages_at_390_px(browser, served, ensemble20, tmp_path, lang, place, words, docs):  # noqa: F811
    page = open_page(browser, f"{served}place/{place}?lang={lang}", width=390)
    try:
        text = page.page.inner_text("#briefing")
        b = briefing(ensemble20, place)
        speaker = language(lang)
        day = lambda d: speaker.date(b.date(d), year=False)  # noqa: E731
        window = day(b.arrival.p50) if b.arrival.exact else f"{day(b.arrival.p5)} – {day(b.arrival.p95)}"
        assert window in text  # the arrival window
        assert b.arrival.p5 > 0  # not the first simulated day (Juchitán: people wait there from the start)
        assert f"{speaker.number(b.peak.p5)} – {speaker.number(b.peak.p95)}" in text  # the peak range
        water = next(n for n in b.needs if n.name == "water_l")
        assert speaker.number(water.per_day.p95) in text
        for w in words:
            assert w in text
        assert page.page.evaluate("document.documentElement.lang") == lang
        wide = page.page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter((e) => !e.closest('svg') && e.getBoundingClientRect().right > window.innerWidth + 0.5)
            .slice(0, 5).map((e) => e.tagName + '#' + e.id + '.' + e.className)""")
        assert page.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), wide
        assert page.page.evaluate("location.pathname").startswith("/place/")
        # opened on the folder given to the server, not the catalogued run
        assert "ens20" in page.page.eval_on_selector("#run-select", "s => s.options[s.selectedIndex].text")
        assert page.page.eval_on_selector("#compare-a", "s => s.value") != page.page.eval_on_selector(
            "#compare-b", "s => s.value")
        shot = tmp_path / f"briefing-{lang}.png"
        page.page.locator("#briefing-panel").screenshot(path=shot)
        if docs and os.environ.get("CARAVANA_UPDATE_SCREENSHOTS") == "1":
            DOCS_IMG.mkdir(parents=True, exist_ok=True)
            (DOCS_IMG / f"briefing-{lang}.png").write_bytes(shot.read_bytes())
        assert page.external == [] and page.errors == []
    finally:
        page.close()


def test_map_has_a_key_for_circle_sizes_and_a_scale_bar(browser, served):  # noqa: F811
    page = open_page(browser, f"{served}?lang=en", width=1400)
    try:
        key = page.page.locator("#map-key")
        assert key.locator("circle").count() >= 2  # at least 100 and 1,000 people
        text = key.text_content()
        assert "1,000" in text and "people staying" in text and " km" in text
        radii = [float(c.get_attribute("r")) for c in key.locator("circle").all()]
        assert radii == sorted(radii) and radii[0] < radii[-1]
        assert page.errors == []
    finally:
        page.close()


@pytest.mark.parametrize("lang,place", [("es", "Juchitán"), ("en", "Tijuana El Chaparral")])
def test_the_dashboards_print_fits_one_a4_page(browser, served, ensemble20, tmp_path, lang, place):  # noqa: F811
    """What the page's Print button prints (the print stylesheet), through Chromium's
    print-to-PDF: exactly one A4 page, holding the briefing's key figures."""
    import shutil
    import subprocess

    if shutil.which("pdfinfo") is None or shutil.which("pdftotext") is None:
        pytest.skip("needs pdfinfo and pdftotext (poppler-utils)")
    page = open_page(browser, f"{served}place/{place}?lang={lang}", width=1400)
    try:
        pdf = tmp_path / f"print-{lang}.pdf"
        page.page.emulate_media(media="print")
        page.page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True, print_background=True)
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"^Pages:\s+1$", info, re.M), info
        width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
        assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2  # A4
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        b, speaker = briefing(ensemble20, place), language(lang)
        assert f"{speaker.number(b.peak.p5)} – {speaker.number(b.peak.p95)}" in text
        assert speaker.place(b.place) in text  # as the page names it ("Juchitán", "Tijuana (El Chaparral)")
        assert "Necesidades en un albergue" not in text and "Needs at a shelter" not in text  # the briefing alone
    finally:
        page.close()


@pytest.mark.parametrize("width", [1200, 390])
def test_reports_table_breaks_no_word(browser, tmp_path, width):  # noqa: F811
    """The reports under a briefing (the report's and --html's page): long sources squeezed the
    "What" column until "presentes" and "salieron" were broken inside the word (session 20)."""
    import datetime as dt

    import numpy as np

    from caravana.briefing.figures import from_members
    from caravana.briefing.page import page as whole_page

    source = "Migrant Caravan Swells to 5,000, Resumes March Toward US (Epoch Times, 2018-10-21) https://www.example"
    reports = [{"date": f"2018-10-{d}", "place": "Tapachula", "quantity": q, "value": v, "source": source}
               for d, q, v in ((18, "present", 500), (19, "arrived", None), (21, "departed", None),
                               (21, "arrivals", 5100), (26, "detained", 471))]
    b = from_members("Tapachula", np.array([[0, 100, 4000, 300]], dtype=float), kind="run", scenario="corridor",
                     source="x", start=dt.date(2018, 10, 17), reports=reports)
    html = tmp_path / "brief.html"
    html.write_text(whole_page(b, "es"), encoding="utf-8")
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(html.as_uri())
        broken = page.evaluate("""() => {
          const out = [];
          for (const cell of document.querySelectorAll('table.reports td:not(:last-child), table.reports th')) {
            const node = cell.firstChild;
            if (!node || node.nodeType !== Node.TEXT_NODE) continue;
            for (const m of node.textContent.matchAll(/\\S+/g)) {
              const range = document.createRange();
              range.setStart(node, m.index);
              range.setEnd(node, m.index + m[0].length);
              if (new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1) out.push(m[0]);
            }
          }
          return out;
        }""")
        assert broken == [], broken
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()
