"""HTML to PDF with the system's headless Chromium (``--print-to-pdf``): offline, and
the same engine the dashboard is tested in, so the printed page is the one on screen.
The page's print stylesheet sets A4 and its margins."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import CaravanaError
from ..results.io import atomic_write

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
BROWSER_ENV = "CARAVANA_CHROMIUM"
TIMEOUT_S = 120


def find_browser() -> str:
    """``$CARAVANA_CHROMIUM``, else the first Chromium on the PATH."""
    named = os.environ.get(BROWSER_ENV)
    if named:
        return named
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise CaravanaError("--pdf needs Chromium (apt install chromium) or the path of one in "
                        f"${BROWSER_ENV}; the HTML page can be printed from any browser instead")


def html_to_pdf(html: str, out: Path) -> Path:
    """Print ``html`` to ``out`` (written whole or not at all). Nothing is fetched: the
    page is self-contained and the browser runs with networking features off."""
    browser = find_browser()
    with tempfile.TemporaryDirectory(prefix="caravana-pdf-") as tmp:
        page, pdf = Path(tmp) / "page.html", Path(tmp) / "page.pdf"
        page.write_text(html, encoding="utf-8")
        # Even with its networking features off, Chromium looks up Google's hosts (update and
        # account services: DNS queries seen with strace, session 20); the page names no host,
        # so every name resolves to "not found" and nothing leaves the machine.
        command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   "--host-resolver-rules=MAP * ~NOTFOUND",
                   f"--user-data-dir={Path(tmp) / 'profile'}", "--no-pdf-header-footer",
                   f"--print-to-pdf={pdf}", page.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise CaravanaError(f"could not run {browser} to make the PDF: {exc}") from None
        if done.returncode != 0 or not pdf.is_file():
            tail = (done.stderr or "").strip().splitlines()[-1:] or ["no output"]
            raise CaravanaError(f"{browser} did not make the PDF (exit {done.returncode}): {tail[0]}")
        atomic_write(Path(out), lambda target: shutil.copyfile(pdf, target))
    return Path(out)
