"""Date axes in the reader's language, for every figure that has one (the report's, the
forecast's plot). Imports Matplotlib: only plotting modules import this."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import matplotlib.dates as mdates
from matplotlib.axes import Axes


class _NamedMonths(mdates.ConciseDateFormatter):
    """Matplotlib's concise dates with the reader's month names: its strftime writes the C
    locale's English ones whatever the report's language."""

    def __init__(self, locator: mdates.DateLocator, month_names: Sequence[str]):
        super().__init__(locator)
        english = [dt.date(2000, m, 1).strftime("%b") for m in range(1, 13)]
        self._names = dict(zip(english, month_names, strict=True))
        self._english = re.compile(r"\b(" + "|".join(english) + r")\b")

    def _named(self, text: str) -> str:
        return self._english.sub(lambda m: self._names[m.group()], text)

    def format_ticks(self, values):
        return [self._named(label) for label in super().format_ticks(values)]

    def get_offset(self) -> str:
        return self._named(super().get_offset())


def date_axis(ax: Axes, month_names: Sequence[str] | None = None) -> None:
    """Dates on the x axis; ``month_names`` (January..December, short) in the reader's language."""
    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    formatter = mdates.ConciseDateFormatter(locator) if month_names is None else _NamedMonths(locator, month_names)
    ax.xaxis.set_major_formatter(formatter)
