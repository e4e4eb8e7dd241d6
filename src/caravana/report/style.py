"""How report figures look and become PNG bytes: Matplotlib's Agg renderer, no pyplot
(no global figure state, safe in a server thread), and the DejaVu fonts that ship
inside Matplotlib, so nothing is looked up or downloaded and every machine draws
the same picture."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ..i18n import N_
from .data import Band

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

DPI = 100
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")
STATUS_COLOURS = {
    "resting": "#4c78a8",
    "travelling": "#9ecae9",
    "waiting": "#f58518",
    "detained": "#e45756",
    "deported": "#b279a2",
    "settled": "#54a24b",
    "arrived": "#eeca3b",
    "crossed": "#72b7b2",
    "returned": "#9d755d",
    "dead": "#222222",
}
RC: dict[RcKeyType, Any] = {
    "font.family": "DejaVu Sans",  # bundled with Matplotlib
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.frameon": False,
    "legend.fontsize": 8,
    "svg.fonttype": "none",
}


@contextmanager
def style() -> Iterator[None]:
    with matplotlib.rc_context(RC):
        yield


def new_figure(
    width: float,
    height: float,
    *,
    left: float = 0.75,
    right: float = 0.25,
    top: float = 0.4,
    bottom: float = 0.5,
    hspace: float = 0.3,
    wspace: float = 0.2,
) -> Figure:
    """A figure with fixed margins in inches. (A layout engine would fit them to the
    labels, but draws every figure twice: it doubled the report's time.)"""
    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    fig.subplots_adjust(
        left=left / width,
        right=1 - right / width,
        top=1 - top / height,
        bottom=bottom / height,
        hspace=hspace,
        wspace=wspace,
    )
    return fig


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG, without the Software tag, so the same data gives the same bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def human(value: float) -> str:
    """12,300 → 12.3k; 4,500,000 → 4.5M: short tick labels."""
    for size, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.3g}"


def human_axis(ax: Axes, which: str = "y") -> None:
    axis = ax.yaxis if which == "y" else ax.xaxis
    axis.set_major_formatter(FuncFormatter(lambda v, _: human(v)))


def draw_band(ax: Axes, dates: Sequence, band: Band, colour: str, label: str | None = None, lw: float = 1.6) -> None:
    """The median as a line; for an ensemble, P25-P75 and P5-P95 as shaded bands behind it."""
    if band.has_spread:
        ax.fill_between(dates, band.p5, band.p95, color=colour, alpha=0.15, lw=0)
        ax.fill_between(dates, band.p25, band.p75, color=colour, alpha=0.3, lw=0)
    ax.plot(dates, band.p50, color=colour, lw=lw, label=label)


def band_legend_note(spread: bool) -> str:
    return N_("Line: median over members; shading: P25-P75 (dark) and P5-P95 (light).") if spread else ""


def finite_max(*arrays: np.ndarray) -> float:
    values = [np.nanmax(a) for a in arrays if np.size(a) and np.isfinite(a).any()]
    return float(max(values)) if values else 0.0
