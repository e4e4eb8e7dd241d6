"""Spanish and English through one catalogue: every message of the code, the report and the
dashboard's page is in the catalogue with a Spanish translation, and no English text of the
dashboard's static files bypasses it."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po

from caravana.i18n import LOCALE_DIR, language

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "src" / "caravana" / "dashboard" / "static"
sys.path.insert(0, str(ROOT / "tools"))
import i18n as i18n_tool  # noqa: E402  (tools/i18n.py: what the catalogue is extracted from)


def extracted(tmp_path: Path) -> set[str]:
    """The messages of the code now, extracted afresh the way tools/i18n.py does."""
    pot = tmp_path / "now.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", *i18n_tool.KEYWORDS,
                    "-F", str(ROOT / "tools" / "babel.cfg"), "-o", str(pot), *i18n_tool.SOURCES],
                   cwd=ROOT, check=True, capture_output=True)
    return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(pot.open("rb")) if m.id}


def spanish() -> dict[str, str]:
    catalogue = read_po((LOCALE_DIR / "es" / "LC_MESSAGES" / "caravana.po").open("rb"))
    return {(m.id if isinstance(m.id, str) else m.id[0]): (m.string if isinstance(m.string, str) else m.string[0])
            for m in catalogue if m.id}


def test_every_message_of_the_code_has_a_spanish_translation(tmp_path):
    now, es = extracted(tmp_path), spanish()
    assert len(now) > 150  # the page's, the dashboard's, the briefing's, the report's, the CLI's
    missing = sorted(now - es.keys())
    assert not missing, f"not in the catalogue (run python tools/i18n.py): {missing[:10]}"
    untranslated = sorted(m for m in now if not es[m].strip())
    assert not untranslated, f"no Spanish in caravana.po: {untranslated[:10]}"


def test_named_values_survive_translation():
    """A Spanish message keeps every {name} of its English one (else the page shows '{n}')."""
    for english, translated in spanish().items():
        assert set(re.findall(r"\{(\w*)\}", english)) == set(re.findall(r"\{(\w*)\}", translated)), english


def test_the_dashboard_gets_the_catalogue_in_spanish():
    messages = language("es").catalogue()
    assert messages["Needs at a shelter"] == "Necesidades en un albergue"
    assert messages["{label} (ensemble)"] == "{label} (conjunto)"
    assert language("en").catalogue() == {}  # English is the messages themselves


def test_the_dashboard_gets_each_plural_message_with_its_forms():
    """The page's n_() picks a message's forms by the count: the catalogue gives them, and both
    languages take the first for one and the second for any other count, as n_() assumes."""
    forms = language("es").plural_catalogue()
    assert forms["{n} day"] == ["{n} día", "{n} días"]
    assert forms["{n} day from {start}"] == ["{n} día desde el {start}", "{n} días desde el {start}"]
    assert forms["{place}: {n} staying"] == ["{place}: {n} se queda", "{place}: {n} se quedan"]
    assert "present" not in forms  # a quantity's name has a context: the server shows it
    assert language("en").plural_catalogue() == {}
    plural = language("es").translations.plural  # type: ignore[attr-defined]
    assert [plural(n) for n in (0, 1, 2, 5)] == [1, 0, 1, 1]


# Text of the page that is not a message: names and symbols, the same in both languages.
NOT_MESSAGES = {"caravana", "Español", "English", "A", "B", "API:", "/openapi.json", ",", "▶"}
TRANSLATED_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt")


class _PageText(HTMLParser):
    """Each text of index.html with the data-t of the element holding it, and each
    readable attribute with its data-t-ATTR."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[dict[str, str | None]] = []
        self.bypass: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name in TRANSLATED_ATTRIBUTES:
            if a.get(name) and a.get(f"data-t-{name}") != a[name]:
                self.bypass.append(f"<{tag}> {name}={a[name]!r} without data-t-{name}")
        if tag not in ("meta", "link", "input", "br", "img"):
            self.stack.append(a)

    def handle_endtag(self, tag):
        if tag not in ("meta", "link", "input", "br", "img") and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        text = " ".join(data.split())
        if not text or text in NOT_MESSAGES or not re.search(r"[A-Za-z]{2}", text):
            return
        if not self.stack or (self.stack[-1].get("data-t") or "").split() != text.split():
            self.bypass.append(f"text {text!r} without data-t")


def test_no_english_text_of_the_page_bypasses_the_catalogue():
    parser = _PageText()
    parser.feed((STATIC / "index.html").read_text())
    assert parser.bypass == []


# A string literal of a script that reads as words ("people staying", "as in scenario") must
# be a message, _("...") or N_("..."); literals that are code (selectors, classes, URLs,
# SVG paths, event names) have no two words of letters or are one of these.
CODE_LITERALS = re.compile(r"^(body \*|small \w+|band band-\d+|[\w-]+ [\w-]+ [\w-]+ [\w-]+)$")
LITERAL = re.compile(r"""(?P<call>\bN?_\(\s*)?(?P<q>["'`])(?P<text>(?:\\.|(?!(?P=q)).)*)(?P=q)""")


# n_("{n} day", "{n} days", n): both forms are messages, the plural maybe on the next line
PLURAL_CALL = re.compile(r'\bn_\(\s*("(?:\\.|[^"\\])*")\s*,\s*("(?:\\.|[^"\\])*")')


def english_literals(source: str) -> list[str]:
    found = []
    code = "\n".join(re.sub(r"(^|\s)//\s.*$", "", line) for line in source.splitlines())  # comments out
    for line in PLURAL_CALL.sub(r"_(\1) _(\2", code).splitlines():
        for m in LITERAL.finditer(line):
            text = re.sub(r"\$\{[^}]*\}", " ", m.group("text"))
            if m.group("call") or CODE_LITERALS.match(text.strip()):
                continue
            if re.search(r"[A-Za-z]{2,} +[A-Za-z]{2,}", text):
                found.append(text)
    return found


def test_no_english_text_of_the_scripts_bypasses_the_catalogue():
    bypass = {js.name: english_literals(js.read_text()) for js in sorted(STATIC.glob("*.js"))}
    assert {k: v for k, v in bypass.items() if v} == {}


def test_the_checks_would_catch_a_bypass():
    assert english_literals('html("p", {}, "people staying here", li);') == ["people staying here"]
    assert english_literals('x.textContent = `${n} people staying`;') == ["  people staying"]
    assert english_literals('html("p", {}, _("people staying here"), li);') == []
    assert english_literals('n_("{n} person here",\n  "{n} people here", n, values)') == []
    assert english_literals('n_("{n} person here", "{n} people here", n) + "people staying here"') == ["people staying here"]
    parser = _PageText()
    parser.feed('<p><span data-t="Who">Who</span> Run a scenario</p><svg aria-label="A map"></svg>')
    assert len(parser.bypass) == 2


def test_every_word_the_page_shows_from_the_data_is_served_and_translated():
    """The page translates states, events, causes and quantities from the list GET /api/page
    serves (behaviours declare their events and causes): every word is in Spanish, and the
    list holds what the corridor's behaviours log and what app.js used to copy."""
    from caravana.dashboard.vocabulary import vocabulary

    words = set(vocabulary())
    assert {"rode bus", "merged", "asylum claim", "held at blockade", "truck accident", "left the caravan",
            "resting", "caravan size", "queued"} <= words
    es = spanish()
    assert sorted(w for w in words if not es.get(w)) == []
    assert "const CODES" not in (STATIC / "app.js").read_text()


def test_every_declared_result_is_described_in_spanish():
    """The report's "More results" shows each behaviour's declared descriptions: the extractor takes them
    from the Declared(...) calls (the behaviour layer imports no i18n), so each has its Spanish."""
    from caravana.dashboard.vocabulary import behaviour_classes

    es = language("es")
    declared = [d for kind in behaviour_classes() for d in kind.declares]
    assert {d.name for d in declared} >= {"needs", "caravans", "arrivals", "departures"}
    untranslated = [d.description for d in declared if d.description and es._(d.description) == d.description]
    assert untranslated == []


def test_dates_are_written_as_babel_writes_them_and_a_run_loads_no_babel():
    """Language.date writes "23 oct 2018" from the month names it holds (i18n.MONTHS), so that a run's
    caravan table can show such dates without importing Babel (+3 % of a corridor run's instructions,
    session 22); they must stay Babel's "d MMM y" for the language's locale, month by month."""
    import datetime as dt

    from babel.dates import format_date

    from caravana.i18n import BABEL_LOCALES, LANGUAGES

    for code in LANGUAGES:
        speaker = language(code)
        for month in range(1, 13):
            day = dt.date(2018, month, 23)
            assert speaker.date(day) == format_date(day, "d MMM y", locale=BABEL_LOCALES[code])
            assert speaker.date(day, year=False) == format_date(day, "d MMM", locale=BABEL_LOCALES[code])
    assert language("es").date(dt.date(2018, 10, 3)) == "3 oct 2018"
    code = ("import sys\nfrom caravana.cli.run import _print_caravan_summary\nfrom caravana.cli.common import use_language\n"
            "from caravana import load_scenario, simulation\nuse_language('es')\n"
            "_print_caravan_summary(simulation(load_scenario('corridor'), seed=0, days=4).run())\n"
            "print('babel' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "12 oct 2018" in done.stdout and done.stdout.split()[-1] == "False"
