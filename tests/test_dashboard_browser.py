"""The dashboard in headless Chromium (Debian's, driven by Playwright), offline: every
request to an address other than this machine's loopback is blocked and counted.

Screenshots go to pytest's temporary folder; with CARAVANA_UPDATE_SCREENSHOTS=1 the
main one is also copied to docs/img/dashboard.png for the README.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import shutil
import statistics
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import pyarrow.parquet as pq
import pytest
from playwright.sync_api import expect

from caravana import catalogue
from caravana.dashboard.serving import build_server
from tests.test_dashboard_api import corridor_run  # noqa: F401  (session fixture)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
LOCAL = {"127.0.0.1", "localhost", "::1", "[::1]"}
DOCS_IMG = Path(__file__).resolve().parents[1] / "docs" / "img"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"needs Debian's chromium at {CHROMIUM}")


class LiveServer:
    """The dashboard served from a thread on a free loopback port."""

    def __init__(self, workspace: Path, folders: list[Path]) -> None:
        self.server, sock = build_server(workspace, folders, port=0)
        host, port = sock.getsockname()[:2]
        self.url = f"http://{host}:{port}/"
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)


@pytest.fixture(scope="module")
def live(tmp_path_factory, corridor_run):  # noqa: F811
    home = tmp_path_factory.mktemp("caravana-home")
    previous = os.environ.get(catalogue.HOME_ENV)
    os.environ[catalogue.HOME_ENV] = str(home)  # runs made here go to a catalogue of their own
    server = LiveServer(tmp_path_factory.mktemp("workspace"), [corridor_run])
    yield server
    server.stop()
    if previous is None:
        os.environ.pop(catalogue.HOME_ENV, None)
    else:
        os.environ[catalogue.HOME_ENV] = previous


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class OfflinePage:
    """A page whose requests to anywhere but loopback are blocked and recorded."""

    def __init__(self, browser, url: str) -> None:
        self.external: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.url = url

    def _route(self, route) -> None:
        host = urlsplit(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL:
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()

    def open(self) -> float:
        """Load the dashboard; return seconds until it has drawn its first run."""
        started = time.perf_counter()
        self.page.goto(self.url)
        self.page.wait_for_selector("body[data-ready='1']", timeout=60_000)
        return time.perf_counter() - started

    def set_day(self, day: int) -> None:
        self.page.eval_on_selector("#day", "(el, d) => { el.value = d; el.dispatchEvent(new Event('input')); }", day)

    def slider_ms(self, days: list[int]) -> tuple[list[float], list[float]]:
        """Per move of the slider, milliseconds (a) to update the page (the input handler:
        map, caravan, chart marker) and (b) until the next frame is painted (rAF paced)."""
        timings = self.page.evaluate("""async (days) => {
            const el = document.getElementById('day');
            const update = [], frame = [];
            for (const d of days) {
                const t = performance.now();
                el.value = d;
                el.dispatchEvent(new Event('input'));
                update.push(performance.now() - t);
                await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
                frame.push(performance.now() - t);
            }
            return [update, frame];
        }""", days)
        return timings[0], timings[1]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def offline(browser, live):
    page = OfflinePage(browser, live.url)
    yield page
    page.close()


def screenshot(page: OfflinePage, tmp_path: Path, name: str, docs: bool = False) -> Path:
    path = tmp_path / f"{name}.png"
    page.page.screenshot(path=path, full_page=True)
    if docs and os.environ.get("CARAVANA_UPDATE_SCREENSHOTS") == "1":
        DOCS_IMG.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, DOCS_IMG / f"{name}.png")
    return path


def wait_until(condition, timeout: float = 10.0) -> None:
    """Poll from Python: the page's CSP forbids the eval that Playwright's wait_for_function uses."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def head_position(page) -> tuple[str, str]:
    head = page.locator("#caravan-0-head")
    return head.get_attribute("cx"), head.get_attribute("cy")


def test_page_loads_offline_and_draws_the_map(offline, tmp_path):
    seconds = offline.open()
    page = offline.page
    assert offline.external == []
    assert page.locator("#map path.land").count() >= 8  # Mexico, the US, Guatemala...
    assert page.locator("#map path.border").count() > 20
    assert page.locator("#map circle.place").count() == 71
    assert page.locator("#map line.route").count() > 50
    assert "corridor" in page.locator("#run-info").inner_text()
    assert page.locator("#chart path.median").count() == 1
    # the needs table opens on the days anyone stays at the place, chosen as dates (a place the
    # caravans pass, not a hub where migrants in transit wait all run long)
    page.select_option("#needs-place", "Esquipulas")
    first, last = (dt.date.fromisoformat(page.input_value(f"#needs-{end}")) for end in ("from", "to"))
    assert dt.date(2018, 10, 12) <= first <= last <= dt.date(2018, 12, 10)
    assert (last - first).days + 1 < 60
    # the table is drawn when its rows arrive: wait for them rather than race them
    expect(page.locator("#needs-table tbody tr")).to_have_count((last - first).days + 1, timeout=20_000)
    assert page.locator("#needs-table thead").count() == 1  # one table, not two drawings stacked
    assert offline.errors == []
    screenshot(offline, tmp_path, "dashboard-load")
    print(f"\npage load, one corridor run: {seconds * 1000:.0f} ms")


def test_slider_moves_the_caravan(offline, tmp_path):
    offline.open()
    page = offline.page
    offline.set_day(3)
    early, text_early = head_position(page), page.locator("#caravan-info").inner_text()
    offline.set_day(30)
    late, text_late = head_position(page), page.locator("#caravan-info").inner_text()
    assert early != late and text_early != text_late
    assert page.locator("#day-label").inner_text() == "Nov 11, 2018"  # a date, not a day number
    assert page.locator("#map-date").inner_text() == "Nov 11, 2018"
    # Place sizes follow the day: Huixtla is crowded on day 11 (Oct 23, the caravan's rest day
    # there), nearly empty on day 1 (a hundred people waiting in transit).
    huixtla = page.locator("#map circle.place[data-place='Huixtla']")
    offline.set_day(1)
    r1 = float(huixtla.get_attribute("r"))
    offline.set_day(11)
    assert float(huixtla.get_attribute("r")) > r1 + 5
    # Play advances the days, pause stops them.
    offline.set_day(0)
    page.click("#play")
    wait_until(lambda: int(page.eval_on_selector("#day", "el => el.value")) >= 3)
    page.click("#play")
    stopped = page.eval_on_selector("#day", "el => el.value")
    time.sleep(0.6)
    assert page.eval_on_selector("#day", "el => el.value") == stopped
    update, frame = offline.slider_ms(list(range(0, 60, 3)))
    screenshot(offline, tmp_path, "dashboard-day")
    print(f"\nslider, one corridor run: update median {statistics.median(update):.1f} ms (max {max(update):.1f}), "
          f"to the next painted frame median {statistics.median(frame):.1f} ms")
    assert offline.external == [] and offline.errors == []


def test_clicking_a_place_charts_it(offline):
    offline.open()
    page = offline.page
    offline.set_day(0)  # small circles: nothing covers Mexico City
    page.locator("#map circle.place[data-place='Mexico City']").click()
    expect(page.locator("#chart-legend")).to_have_text(re.compile("^Mexico City"))
    assert page.locator("#place").input_value() == "Mexico City"
    assert page.locator("#needs-place").input_value() == "Mexico City"


def test_places_and_caravans_are_named_in_the_pages_language(browser, live):
    """Spanish: "Ciudad de México" on the map, in the place lists and the chart's legend, the
    caravan by its label; the lists' values stay the identifiers; switching to English renames."""
    spanish = OfflinePage(browser, live.url + "?lang=es")
    try:
        spanish.open()
        page = spanish.page
        spanish.set_day(0)
        assert page.locator("#map text.label[data-place='Mexico City']").text_content() == "Ciudad de México"
        page.locator("#map circle.place[data-place='Mexico City']").click()
        expect(page.locator("#chart-legend")).to_have_text(re.compile("^Ciudad de México"))
        assert page.locator("#place").input_value() == "Mexico City"
        assert page.locator("#place option:checked").inner_text() == "Ciudad de México"
        page.select_option("#place", "Tapachula")  # its reports' points say what they count in Spanish
        expect(page.locator("#chart circle.observation title").first).to_contain_text("presentes")
        spanish.set_day(20)
        assert "Caravana de octubre de 2018:" in page.locator("#caravan-info").inner_text()
        page.select_option("#lang", "en")
        expect(page.locator("#place option[value='Mexico City']")).to_have_text("Mexico City")
        assert page.locator("#map text.label[data-place='Mexico City']").text_content() == "Mexico City"
        assert "October 2018 caravan:" in page.locator("#caravan-info").inner_text()
        assert spanish.external == [] and spanish.errors == []
    finally:
        spanish.close()


def test_events_table_lists_what_happened_and_follows_the_place(offline, corridor_run):  # noqa: F811
    offline.open()
    page = offline.page
    events = pq.read_table(corridor_run / "events.parquet").to_pandas()
    rows = page.locator("#events-table tbody tr")
    assert rows.count() == events.groupby(["event", "cause"]).ngroups
    first = rows.nth(0).locator("td")
    assert int(first.nth(2).inner_text().replace(",", "")) == events.groupby(["event", "cause"])["count"].sum().max()
    page.select_option("#events-place", "Tapachula")
    here = events[events["place"] == "Tapachula"]
    wait_until(lambda: rows.count() == here.groupby(["event", "cause"]).ngroups)
    assert "Tapachula" in page.locator("#events-note").inner_text()
    assert offline.errors == []


def test_scenario_runs_from_the_form_and_its_result_appears(offline, tmp_path):
    offline.open()
    page = offline.page
    page.select_option("#scenario", "corridor")
    assert page.get_attribute("#run-until", "type") == "date"  # people choose the last date, not a day count
    assert page.get_attribute("#run-until", "min") == "2018-10-12"
    page.fill("#run-until", "2018-10-31")  # the 20th day
    page.fill("input[name=seed]", "7")
    page.select_option("select[name=checkpoints]", "off")
    page.fill("input[name=label]", "no checkpoints, 20 days")
    page.click("#run-button")
    page.wait_for_selector("#jobs li.job.done", timeout=60_000)
    expect(page.locator("#run-info")).to_contain_text("20 days", timeout=20_000)
    assert "seed 7" in page.locator("#run-info").inner_text()
    assert page.locator("#run-select option:checked").inner_text() == "no checkpoints, 20 days"
    assert page.locator("#map circle.place").count() == 71
    assert page.eval_on_selector("#day", "el => el.max") == "19"
    # compared with the run shown before
    # the comparison is drawn after the run has loaded: wait for it rather than race it
    expect(page.locator("#compare-b option:checked")).to_have_text("no checkpoints, 20 days", timeout=20_000)
    expect(page.locator("#compare-chart path.median")).to_have_count(2, timeout=20_000)
    wait_until(lambda: page.locator("#compare-table tbody tr").count() >= 10, timeout=20)
    assert page.locator("#run-error").is_hidden()
    offline.set_day(12)
    screenshot(offline, tmp_path, "dashboard", docs=True)
    assert offline.external == [] and offline.errors == []


def test_bad_upload_shows_a_readable_error(offline, tmp_path):
    offline.open()
    page = offline.page
    bad = tmp_path / "my-scenario.yml"
    bad.write_text("name: mine\nstart: 2020-02-30\ndays: 5\ntables: {locations: places.csv}\n")
    page.set_input_files("#upload", str(bad))
    assert page.locator("#scenario").is_disabled()
    page.click("#run-button")
    error = page.locator("#run-error")
    error.wait_for(state="visible", timeout=20_000)
    message = error.inner_text()
    assert message.startswith("The run was not started: file my-scenario.yml")
    assert "field 'start'" in message and "Traceback" not in message and str(tmp_path) not in message
    screenshot(offline, tmp_path, "dashboard-upload-error", docs=True)
    assert offline.external == []


def test_bad_upload_error_in_spanish(browser, live, tmp_path):
    """The server's error detail comes in the page's language (the page sends it with each request)."""
    spanish = OfflinePage(browser, live.url + "?lang=es")
    try:
        spanish.open()
        page = spanish.page
        bad = tmp_path / "mi-escenario.yml"
        bad.write_text("name: mine\nstart: 2020-02-30\ndays: 5\ntables: {locations: places.csv}\n")
        page.set_input_files("#upload", str(bad))
        page.click("#run-button")
        error = page.locator("#run-error")
        error.wait_for(state="visible", timeout=20_000)
        message = error.inner_text()
        assert message.startswith("La corrida no se inició: archivo mi-escenario.yml, campo 'start': "), message
        assert "file" not in message and "field" not in message and "Input should" not in message
        assert spanish.external == []
    finally:
        spanish.close()


@pytest.mark.slow
def test_responsiveness_with_a_100_member_ensemble(browser, tmp_path):
    """Page load and slider updates with a 100-member corridor ensemble (printed, not asserted)."""
    from caravana.ensemble import run_ensemble

    folder = tmp_path / "ensemble-100"
    started = time.perf_counter()
    run_ensemble("corridor", 100, 1, out_dir=folder)
    built = time.perf_counter() - started
    server = LiveServer(tmp_path / "workspace", [folder])
    page = OfflinePage(browser, server.url)
    try:
        first = page.open()  # includes reading the 100 members
        again = page.open()  # from the server's cache
        assert "ensemble of 100 members" in page.page.locator("#run-info").inner_text()
        assert page.page.locator("#chart path.band").count() == 2
        update, frame = page.slider_ms(list(range(60)) * 2)
        screenshot(page, tmp_path, "dashboard-ensemble")
        assert page.external == [] and page.errors == []
    finally:
        page.close()
        server.stop()
    print(f"\n100-member corridor ensemble (built in {built:.0f} s): page load {first * 1000:.0f} ms first, "
          f"{again * 1000:.0f} ms cached; slider update median {statistics.median(update):.1f} ms, "
          f"max {max(update):.1f} ms, to the next painted frame median {statistics.median(frame):.1f} ms, "
          f"max {max(frame):.1f} ms, over {len(update)} moves")


# A request made first and answered last: the page's fetch, slowed for one address.
SLOW_FETCH = """(needle) => {
  window.__slow = { asked: 0, answered: 0 };
  const fetchNow = window.fetch.bind(window);
  window.fetch = (url, options) => {
    if (!String(url).includes(needle)) return fetchNow(url, options);
    window.__slow.asked += 1;
    return new Promise((wait) => setTimeout(wait, 1200)).then(() => fetchNow(url, options))
      .finally(() => { window.__slow.answered += 1; });
  };
}"""


def _slowed_answers_arrived(page) -> bool:
    slow = page.evaluate("() => window.__slow")
    return slow["asked"] > 0 and slow["answered"] == slow["asked"]


@pytest.mark.parametrize("select,needle,shown", [
    ("#place", "/series?place=", lambda page: page.inner_text("#chart-legend").split(",")[0]),
    ("#brief-place", "/brief?place=", lambda page: page.get_attribute("#briefing article.briefing", "data-place")),
])
def test_only_the_latest_choice_draws(offline, select, needle, shown):
    """Choose a place, then another before the first one's answer has come: the panel shows
    the second place, also once the first answer arrives (it used to overwrite the second)."""
    offline.open()
    page = offline.page
    first, second = [o for o in page.eval_on_selector_all(f"{select} option", "os => os.map(o => o.value)")
                     if o != page.input_value(select)][:2]
    page.wait_for_timeout(300)  # the first run's panels are drawn
    page.evaluate(SLOW_FETCH, needle + quote(first, safe=""))
    page.select_option(select, first)
    page.select_option(select, second)
    wait_until(lambda: _slowed_answers_arrived(page), timeout=20)
    page.wait_for_timeout(300)  # time to draw what came last
    assert shown(page) == second
    assert offline.errors == []


def test_the_runner_form_follows_the_servers_rules(offline, tmp_path):
    """The policy fields, the label's length and the upload limit come from GET /api/page."""
    from caravana.dashboard.api import MAX_LABEL
    from caravana.dashboard.policies import PolicyForm

    offline.open()
    page = offline.page
    names = page.eval_on_selector_all("#policy select, #policy input", "els => els.map(e => e.name)")
    assert names == [f.name for f in dataclasses.fields(PolicyForm)]
    assert page.get_attribute("#run-form input[name=label]", "maxlength") == str(MAX_LABEL)
    assert "Permits a day" in page.inner_text("#policy")
    page.select_option("#lang", "es")
    expect(page.locator("#policy")).to_contain_text("Permisos al día")
    big = tmp_path / "big.yml"
    big.write_bytes(b"#" * (6 * 1024 * 1024))
    page.set_input_files("#upload", str(big))
    page.click("#run-button")
    expect(page.locator("#run-error")).to_have_text("El archivo tiene 6.0 MB; el límite es 5 MB.")
    assert offline.external == [] and offline.errors == []


def test_the_map_draws_the_roads_beyond_each_caravans_first_fork(browser, tmp_path, monkeypatch):
    """A run whose caravans choose their border city in Mexico City: the map draws, under each
    caravan's road, the road from its first fork to each destination it may choose (world.json)."""
    import json

    import caravana
    from caravana.policies.spec import read_policies
    from caravana.results.io import write_results
    from caravana.scenario.load import BUILTIN_DIR, load_scenario

    monkeypatch.setenv(catalogue.HOME_ENV, str(tmp_path / "home"))
    policies = read_policies(BUILTIN_DIR / "corridor" / "policies_2018.yml")
    choose = next(p for p in policies.policies if p.name == "border city chosen in Mexico City")
    folder = tmp_path / "fork-run"
    write_results(caravana.run(choose.apply(load_scenario("corridor")), seed=1, days=30), folder)
    forks = json.loads((folder / "world.json").read_text(encoding="utf-8"))["fork_roads"]
    expected = {(caravan, destination) for caravan, roads in forks.items() for destination in roads}
    assert len(expected) >= 8
    server = LiveServer(tmp_path / "ws", [folder])
    page = OfflinePage(browser, server.url)
    try:
        page.open()
        drawn = page.page.eval_on_selector_all(
            "#map path.fork-road", "ps => ps.map((p) => [p.dataset.caravans.split('\\n'), p.dataset.destination])")
        assert {(caravan, destination) for caravans, destination in drawn for caravan in caravans} == expected
        assert 8 <= len(drawn) < len(expected)  # a road several caravans may take is drawn once
        title = page.page.locator("#map path.fork-road[data-destination='Matamoros'] title").first.text_content()
        assert "Matamoros" in title and "October 2018 caravan" in title  # the page's English names
        assert page.external == [] and page.errors == []
    finally:
        page.close()
        server.stop()


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_map_keys_words_do_not_overlap(browser, live, lang):
    """The circle sizes' words and the distance scale sit side by side in either language
    (the Spanish words are longer than the English ones the gap was made for)."""
    page = OfflinePage(browser, f"{live.url}?lang={lang}")
    try:
        page.open()
        boxes = page.page.eval_on_selector_all("#map-key text", """ts => ts.map((t) => {
            const r = t.getBoundingClientRect(); return [t.textContent, r.left, r.right]; })""")
        assert len(boxes) >= 3
        for (a, _, a_right), (b, b_left, _) in zip(boxes, boxes[1:]):
            assert a_right <= b_left, f"{a!r} overlaps {b!r}"
    finally:
        page.close()
