"""The proposals file: what ``caravana news extract`` writes and ``caravana news review``
reads. One row per proposed observation, with its evidence; ``status`` is empty until a
person accepts (``accepted``), edits (``edited``) or rejects (``rejected``) the row."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from pathlib import Path

from ..errors import ScenarioError
from ..observations import quantity_code
from ..scenario.tables import check_separator, read_text
from .extract import Proposal

# reading: what proposed the row ("rules", "mover": the learned movement proposer of --moves, "alternative": the
# --learned chooser's other reading of a rules' figure (session 11); empty in files written before session 8)
COLUMNS = ("file", "date", "place", "quantity", "value", "low", "high", "confidence", "sentence", "start",
           "end", "evidence", "source", "language", "published", "reading", "status")
REQUIRED = ("file", "date", "place", "quantity", "value", "low", "high", "confidence", "sentence")
STATUSES = ("", "accepted", "edited", "rejected")


def _number(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def proposal_row(p: Proposal, status: str = "") -> dict[str, str]:
    return {
        "file": p.file, "date": p.date.isoformat(), "place": p.place, "quantity": str(p.quantity),
        "value": _number(p.value), "low": _number(p.low), "high": _number(p.high),
        "confidence": f"{p.confidence:.2f}", "sentence": p.sentence, "start": str(p.start), "end": str(p.end),
        "evidence": p.evidence, "source": p.source, "language": p.language,
        "published": p.published.isoformat() if p.published else "", "reading": p.reading, "status": status,
    }


def write_rows(rows: list[dict[str, str]], path: Path | None, stream=None) -> None:
    """Write the rows (all of them or none: a temporary file renamed into place)."""
    if path is None:
        _write(rows, stream)
        return
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        _write(rows, fh)
    tmp.replace(path)


def _write(rows, fh) -> None:
    writer = csv.DictWriter(fh, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a proposals file, each checked (file, row and column named on error)."""
    if not path.is_file():
        raise ScenarioError("not found", file=path)
    # as every table is read: a file saved as "CSV" but not UTF-8 (a spreadsheet's) says so, no traceback
    return parse_rows(read_text(path), path)


def parse_rows(text: str, name) -> list[dict[str, str]]:
    """The rows of proposals CSV ``text`` (from file ``name``), each checked."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    check_separator(list(reader.fieldnames or []), name, 1)
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise ScenarioError(f"missing column(s) {', '.join(missing)} (a proposals file from "
                            "'caravana news extract')", file=name, row=1)
    rows = []
    for number, row in enumerate(reader, start=2):
        row = {c: (row.get(c) or "").strip() if c != "sentence" else (row.get(c) or "") for c in COLUMNS}
        check_row(row, name, number)
        rows.append(row)
    return rows


def rows_csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    _write(rows, out)
    return out.getvalue()


def check_row(row: dict[str, str], path, number: int) -> None:
    """Raise a ScenarioError naming the file, row and column if ``row`` is not a proposal;
    its quantity, if written as the tables show it, becomes its code."""
    def fail(column, message):
        raise ScenarioError(message, file=path, row=number, field=column)

    try:
        dt.date.fromisoformat(row["date"])
    except ValueError:
        fail("date", f"'{row['date']}' is not a date (YYYY-MM-DD)")
    try:  # a quantity as the tables show it ("presentes": a person's edit) is read as its code
        row["quantity"] = quantity_code(row["quantity"])
    except ValueError as exc:
        raise ScenarioError(str(exc), file=path, row=number, field="quantity") from None
    for column in ("value", "low", "high", "confidence"):
        if row[column]:
            try:
                x = float(row[column])
            except ValueError:
                fail(column, f"'{row[column]}' is not a number")
            if not math.isfinite(x) or x < 0:
                fail(column, f"'{row[column]}' must be a finite number ≥ 0")
    if row["status"] not in STATUSES:
        fail("status", f"unknown status '{row['status']}' (empty, accepted, edited or rejected)")
