"""A forecast folder in the dashboard (headless Chromium, offline as in
test_dashboard_browser): its reports drawn as points, filled when the filter used them,
open when held back, and its as-of date marked on the chart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from typer.testing import CliRunner

from caravana.cli import app
from caravana.scenario.load import BUILTIN_DIR
from tests.test_dashboard_browser import CHROMIUM, LiveServer, OfflinePage, browser  # noqa: F401

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"needs Debian's chromium at {CHROMIUM}")
AS_OF = "2018-10-20"


def show(page, place: str, quantity: str) -> None:
    from caravana.i18n import language

    page.select_option("#place", place)
    page.select_option("#quantity", quantity)
    shown = language("en").place(place)  # the legend names the place as the page does (English: the browser's)
    expect(page.locator("#chart-legend")).to_have_text(re.compile(f"^{re.escape(shown)}, {quantity}"))


def test_forecast_shows_reports_as_points_and_marks_the_as_of_date(browser, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setenv("CARAVANA_HOME", str(tmp_path / "home"))
    out = tmp_path / "fc"
    result = CliRunner().invoke(app, [
        "forecast", "corridor", "--observations", str(BUILTIN_DIR / "corridor" / "observations_2018.csv"),
        "--as-of", AS_OF, "--horizon", "4", "--particles", "4", "--out", str(out)])
    assert result.exit_code == 0, result.output
    server = LiveServer(tmp_path / "workspace", [out])
    offline = OfflinePage(browser, server.url)
    try:
        offline.open()
        page = offline.page
        # Tecun Uman: two head-counts before the as-of date (Oct 18 and 19), used by the filter.
        show(page, "Tecun Uman", "present")
        assert page.locator("#chart circle.observation:not(.held-back)").count() == 2
        assert page.locator("#chart circle.held-back").count() == 0
        assert page.locator("#chart line.as-of-marker").count() == 1
        # the as-of date as the page writes dates ("20 oct" / "Oct 20"), not "2018-10-20" (session 20)
        es = page.evaluate("document.documentElement.lang") == "es"
        assert page.locator("#chart text.as-of-label").text_content() == ("20 oct" if es else "Oct 20")
        assert ("20 oct 2018" if es else "Oct 20, 2018") in page.locator("#chart-legend").inner_text()
        assert AS_OF not in page.locator("#chart-legend").inner_text()
        # Tapachula: the Oct 21 head-count came after the as-of date: held back, drawn open (session 16's Oct 23
        # fairground count was a second one until the review removed it, s16mendR: one shelter, not the place).
        show(page, "Tapachula", "present")
        assert page.locator("#chart circle.held-back").count() == 1
        assert page.locator("#chart circle.observation:not(.held-back)").count() == 0
        marker = float(page.locator("#chart line.as-of-marker").get_attribute("x1"))
        held = [float(c.get_attribute("cx")) for c in page.locator("#chart circle.held-back").all()]
        assert min(held) > marker  # after the as-of mark on the time axis
        # The briefing panel: the forecast's own briefing, as `caravana brief` prints it, and only of the places
        # it has figures for (the members' briefing said "an ensemble of 4 runs", with other dates; walk C3/E2)
        from caravana.briefing.sources import forecast_places

        offered = page.eval_on_selector_all("#brief-place option", "os => os.map(o => o.value)")
        assert offered and set(offered) <= set(forecast_places(out))
        expect(page.locator("#briefing article.briefing")).to_contain_text(
            re.compile("a forecast of 4 particles|un pronóstico de 4 partículas"))
        assert page.locator("#page-error").is_hidden()
        assert offline.external == [] and offline.errors == []
    finally:
        offline.close()
        server.stop()
