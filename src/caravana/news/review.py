"""From proposals to observations: a person accepts, edits or rejects each proposed row
(``caravana news review``, or the dashboard's panel); the accepted rows, each keeping its
source and sentence, become an observations file (``docs/observations.md``) that
``caravana forecast --observations`` reads.

The functions here do the bookkeeping; the terminal dialogue is in ``caravana.cli.news``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from ..errors import CaravanaError, ScenarioError
from ..observations import Observation, Observations

OBSERVATION_COLUMNS = ("date", "place", "quantity", "value", "low", "high", "source", "note")
EDITABLE = ("date", "place", "quantity", "value", "low", "high")


def observation_row(row: dict[str, str]) -> dict[str, str]:
    """A proposal as an observations row: its source (address or file, and publication
    date) and, in the note, the sentence it was read from."""
    source = row.get("source") or row["file"]
    if row.get("file") and row["file"] not in source:
        source = f"{source} ({Path(row['file']).name})"
    note = " ".join(row["sentence"].split())
    return {"date": row["date"], "place": row["place"], "quantity": row["quantity"], "value": row["value"],
            "low": row["low"], "high": row["high"], "source": source, "note": note}


def check_against(row: dict[str, str], scenario, where: str = "proposal") -> None:
    """Raise CaravanaError (one line: the proposal row and what is wrong) if the row would
    not be a valid observation of ``scenario``."""
    fields = {k: v for k, v in observation_row(row).items() if v != ""}
    try:
        obs = Observation.model_validate(fields)
    except Exception as exc:  # pydantic's ValidationError: say which field, in one line
        errors = getattr(exc, "errors", lambda: [])()
        if errors:
            e = errors[0]
            field = ".".join(str(x) for x in e.get("loc", ()))
            raise CaravanaError(f"{where}, field '{field}': {e.get('msg', exc)}") from None
        raise CaravanaError(f"{where}: {exc}") from None
    try:
        Observations(rows=(obs,)).check_against(scenario)
    except ScenarioError as exc:
        raise CaravanaError(f"{where}, field '{exc.field}': {exc.message}") from None


def accepted(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return [r for r in rows if r["status"] in ("accepted", "edited")]


def write_observations(rows: list[dict[str, str]], path: Path) -> int:
    """Write the accepted rows of ``rows`` as an observations file (atomically); their count."""
    chosen = accepted(rows)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=OBSERVATION_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(observation_row(r) for r in chosen)
    tmp.replace(path)
    return len(chosen)
