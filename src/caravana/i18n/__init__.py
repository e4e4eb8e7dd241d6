"""Spanish and English for what people read: gettext catalogues and Babel's formats.

Messages are written in English in the code, wrapped in ``_()``/``ngettext`` of a
:class:`Language`; their Spanish is in ``locale/es/LC_MESSAGES/caravana.po``
(compiled to ``caravana.mo`` beside it with ``pybabel compile -d src/caravana/i18n/locale
-D caravana``; a test checks the two agree). The dashboard's script gets the same
catalogue as JSON (:func:`Language.catalogue`). Numbers and dates follow the
language's conventions (Mexican Spanish: ``2,600``, ``29 oct 2018``).

Whole numbers are rounded half away from zero (8.5 -> 9) everywhere, as the
browser's ``Intl.NumberFormat`` does, so a median reads the same in the terminal,
the report and the dashboard.
"""

from __future__ import annotations

import datetime as dt
import gettext
import math
import os
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from ..errors import CaravanaError

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "caravana"
LANGUAGES = ("es", "en")
DEFAULT = "es"  # most users work in Spanish
BABEL_LOCALES = {"es": "es_MX", "en": "en_US"}
# Each language's short month names, as Babel writes them for BABEL_LOCALES ("d MMM y": "23 oct 2018";
# a test holds them to Babel's): written out so that a date costs no Babel import, and a run's table can
# show "23 oct 2018" without the +3 % of instructions Babel's import and locale data cost a run (session 22).
MONTHS = {"es": ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"),
          "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")}


def N_(message: str) -> str:
    """Marks a message for the catalogue where it is defined; it is translated where shown."""
    return message


def whole(x: float) -> int:
    """Round half away from zero (8.5 -> 9, -8.5 -> -9): the browser's rule."""
    return int(math.copysign(math.floor(abs(x) + 0.5), x))


def count(x: float) -> str:
    """A head-count for a table in English: ``2,600``, rounded by :func:`whole`."""
    return f"{whole(x):,}"


def capitalised(text: str) -> str:
    """The text with its first letter in capitals (a caravan's label opening a title)."""
    return text[:1].upper() + text[1:]


def language_of(value: str | None, default: str = DEFAULT) -> str:
    """``es``, ``es-MX``, ``en_GB``... -> ``es`` or ``en``; an unknown value is an error."""
    if value is None or value == "":
        return default
    code = value.strip().lower().replace("_", "-").split("-")[0]
    if code not in LANGUAGES:
        raise CaravanaError(f"language '{value}' is not available (choose es or en)")
    return code


@dataclass(frozen=True)
class Language:
    code: str
    translations: gettext.NullTranslations = field(repr=False, compare=False)
    # the scenario whose places are shown (the names are the built-in scenarios'); None: not said
    scenario: str | None = None

    def about(self, scenario: str) -> Language:
        """This language, showing the places of ``scenario`` (a user's own keep their names)."""
        return replace(self, scenario=scenario)

    def _(self, message: str) -> str:
        return self.translations.gettext(message)

    def n_(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def place(self, name: str) -> str:
        """A place's name as this language shows it ("Juchitán", "Ciudad de México"), from its
        identifier; the identifier itself when the package has no name for it."""
        from ..scenario.names import place_name  # read only where a name is shown

        return place_name(name, self.code, self.scenario)

    def caravan(self, name: str) -> str:
        """A caravan's label ("segunda caravana de 2018"), from its identifier; for a caravan
        without one, "caravana <identifier>"."""
        from ..scenario.names import caravan_label

        return caravan_label(name, self.code) or self._("caravan {name}").format(name=name)

    def quantity(self, code: str, n: float | None = None) -> str:
        """A quantity's name (``present``: "presentes"; of a count of one, "presente"); a code
        the package does not know is shown with spaces for underscores, translated if it can be."""
        from .quantities import CONTEXT, NAMES

        if code not in NAMES:
            return self._(code.replace("_", " "))
        # no figure (a heading, an arrival's day): the plural
        return self.translations.npgettext(CONTEXT, *NAMES[code], 2 if n is None or math.isnan(n) else whole(n))

    @property
    def babel_locale(self) -> str:
        return BABEL_LOCALES[self.code]

    def number(self, x: float | None) -> str:
        """A whole number with the language's digit grouping; a dash for none."""
        if x is None or (isinstance(x, float) and math.isnan(x)):
            return "–"
        from babel.numbers import format_decimal  # Babel loads only when something is shown

        return format_decimal(whole(x), locale=self.babel_locale)

    def date(self, day: dt.date | None, *, year: bool = True) -> str:
        """"23 oct 2018" ("23 Oct 2018"; without the year, "23 oct"): Babel's "d MMM y"."""
        if day is None:
            return "–"
        shown = f"{day.day} {MONTHS[self.code][day.month - 1]}"
        return f"{shown} {day.year}" if year else shown

    def month_abbreviations(self) -> list[str]:
        """January..December, short, as this language writes them (for figures' date axes)."""
        return list(MONTHS[self.code])

    def catalogue(self) -> dict[str, str]:
        """Every translated message (English -> this language), for the dashboard's script;
        not the errors' templates (context ``error``: the server translates its errors)."""
        catalog = getattr(self.translations, "_catalog", {}) or {}
        return {k: v for k, v in catalog.items() if isinstance(k, str) and k and "\x04" not in k}

    def plural_catalogue(self) -> dict[str, list[str]]:
        """Every message with plural forms (its English singular -> its forms, for one and for
        others), for the dashboard's ``n_()``; none in English, whose forms are the code's."""
        catalog = getattr(self.translations, "_catalog", {}) or {}
        forms: dict[str, list[str]] = {}
        for key in sorted(k for k in catalog if isinstance(k, tuple) and "\x04" not in k[0]):
            forms.setdefault(key[0], []).append(catalog[key])
        return forms


LANG_ENV = "CARAVANA_LANG"


def preferred() -> str:
    """The language asked for where none is given: $CARAVANA_LANG, else the locale's
    ($LC_ALL, $LC_MESSAGES, $LANG) if Spanish or English, else Spanish."""
    return chosen() or DEFAULT


def chosen() -> str | None:
    """The language the user chose without --lang: $CARAVANA_LANG, else the locale's if Spanish
    or English; None when neither says (Spanish is then a default, not a choice)."""
    asked = os.environ.get(LANG_ENV)
    if asked:
        return language_of(asked)
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        code = (os.environ.get(variable) or "").split("_")[0].split(".")[0].lower()
        if code:
            return code if code in LANGUAGES else None
    return None


def language(code: str | None = None) -> Language:
    """Spanish or English (``es``, ``en``, ``es-MX``...); without a code, :func:`preferred`."""
    return _language(language_of(code) if code else preferred())


@cache
def _language(code: str) -> Language:
    if code == "en":  # the messages are written in English
        return Language(code, gettext.NullTranslations())
    return Language(code, gettext.translation(DOMAIN, LOCALE_DIR, languages=[code]))
