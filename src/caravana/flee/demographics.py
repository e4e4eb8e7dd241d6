"""Flee's ``input_csv/demographics_<attribute>.csv``: who the new people are.

Flee 3.1 (``spawning.read_demographics``) reads every such file: the attribute's name is
the file name's second ``_``-separated word, the header names the attribute's column
(its values), ``Default`` (weights for any place) and optionally one column per place
(weights there). Each new person gets one value of each attribute, drawn with the
weights of the place they spawn at. caravana uses ``age`` and ``gender`` (Flee's
``ChildrenAvoidHazards`` and ``BoysTakeRisk``, ``behaviours/demographics.py``).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ScenarioError
from ..scenario.schema import Demographic
from ..scenario.tables import check_width, read_csv_rows, validate_row


def read_demographics(input_csv: Path) -> dict[str, Demographic]:
    """Attribute -> table, for every ``demographics_*.csv`` in ``input_csv``."""
    out: dict[str, Demographic] = {}
    for path in sorted(input_csv.glob("demographics_*.csv")):
        attribute = path.stem.split("_")[1]  # Flee's own rule
        rows = read_csv_rows(path)
        if not rows:
            raise ScenarioError("empty demographics table", file=path)
        header = [c.strip() for c in rows[0][1]]
        if attribute not in header:
            raise ScenarioError(f"no '{attribute}' column (the file name names the attribute)", file=path, row=1)
        if "Default" not in header:
            raise ScenarioError("no 'Default' column of weights", file=path, row=1)
        value_col = header.index(attribute)
        weights: dict[str, list[float]] = {name: [] for k, name in enumerate(header) if k != value_col}
        values = []
        for line, cells in rows[1:]:
            check_width(path, line, cells, len(header), "the header (row 1)")
            values.append(cells[value_col].strip())
            for k, name in enumerate(header):
                if k != value_col:
                    weights[name].append(_weight(path, line, name, cells[k]))
        out[attribute] = validate_row(Demographic, {"values": values, "weights": weights}, file=path, row=None)
    return out


def _weight(path: Path, line: int, column: str, text: str) -> float:
    try:
        return float(text)  # validate_row then refuses negative, NaN and infinite weights
    except ValueError:
        raise ScenarioError(f"not a number (got {text.strip()!r})", file=path, row=line, field=column) from None
