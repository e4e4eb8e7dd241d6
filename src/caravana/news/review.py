"""From proposals to observations: a person accepts, edits or rejects each proposed row
(``caravana news review``, or the dashboard's panel); the accepted rows, each keeping its
source and sentence, become an observations file (``docs/observations.md``) that
``caravana forecast --observations`` reads.

The functions here do the bookkeeping; the terminal dialogue is in ``caravana.cli.news``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import CaravanaError, DatedWarning, ScenarioError
from ..observations import Observation, Observations, quantity_code
from ..scenario.tables import WRITTEN
from .proposals import QUANTITY_AS_WRITTEN

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


def check_against(row: dict[str, str], scenario, where: str = "proposal", *, typed: str | None = None) -> str:
    """Raise CaravanaError (one line: the proposal row and what is wrong) if the row would
    not be a valid observation of ``scenario``; else the row's place as the scenario's
    identifier ("Mexico City" for a place typed "Ciudad de México"), "" for none.
    ``typed``: the quantity as a person typed it in an edit ("llegados"); the errors name it so
    (the terminal's review and the dashboard's panel alike), not by the row's code; by default the
    name the proposals file wrote it by, if that is still the row's quantity."""
    written = row.get(QUANTITY_AS_WRITTEN)
    if typed is None and written and quantity_code(written) == row["quantity"]:
        typed = written
    fields = {k: v for k, v in observation_row(row).items() if v != ""}
    if typed:  # read back to the row's code by the quantity's validator
        fields["quantity"] = typed
    try:
        obs = Observation.model_validate(fields, context={WRITTEN: fields})
    except Exception as exc:  # pydantic's ValidationError: say which field, in one line
        errors: list[dict] = getattr(exc, "errors", lambda: [])()
        if errors:
            e = errors[0]
            field = ".".join(str(x) for x in e.get("loc", ()))
            raise CaravanaError(f"{where}, field '{field}': {e.get('msg', exc)}") from None
        raise CaravanaError(f"{where}: {exc}") from None
    try:
        checked = Observations(rows=(obs,)).check_against(scenario)
    except ScenarioError as exc:
        raise CaravanaError(f"{where}, field '{exc.field}': {exc.message}", dates=exc.dates, places=exc.places,
                            scenario=exc.scenario) from None
    return checked.rows[0].place or ""


def country_of(row: dict[str, str], scenario) -> str | None:
    """The country code a proposal is placed at ("MX"), or None for a town or no place.

    A country is a valid place for a count (docs/observations.md: it is compared with the sum
    over the country's places), so the review accepts it; but the extractor writes a country when
    it found no town in the sentence ("a young man died" under a Mexican dateline), and a reader
    took "MX" for a typo. The review says what such a row means, so a person can keep it (a
    country-wide count: "1,700 detained in Mexico") or edit it to the town the sentence names."""
    from ..observations import ScenarioContext

    place = (row.get("place") or "").strip()
    context = ScenarioContext.of(scenario)
    return place if place and place not in context.countries and place in set(context.countries.values()) else None


def warn_if_outside_period(rows: list[dict[str, str]], scenario) -> None:
    """Warn when proposals are dated outside ``scenario``'s period: the review will not accept
    them (a 2021 caravan's news read with the 2018 corridor)."""
    import datetime as dt
    import warnings

    from ..observations import ScenarioContext

    context = ScenarioContext.of(scenario)
    start, end = context.start, context.start + dt.timedelta(days=context.days - 1)
    dates = [dt.date.fromisoformat(r["date"]) for r in rows if r.get("date")]
    outside = [d for d in dates if not start <= d <= end]
    if outside:
        warnings.warn(DatedWarning(f"{len(outside)} of {len(dates)} proposals are dated outside the scenario's period "
                                   f"({start} to {end}, from {min(outside)} to {max(outside)}): the review cannot accept "
                                   "them for this scenario", (start, end, min(outside), max(outside))), stacklevel=2)


def accepted(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return [r for r in rows if r["status"] in ("accepted", "edited")]


def observations_csv(rows: list[dict[str, str]]) -> str:
    """The accepted rows of ``rows`` as the text of an observations file."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=OBSERVATION_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(observation_row(r) for r in accepted(rows))
    return out.getvalue()


def write_observations(rows: list[dict[str, str]], path: Path) -> int:
    """Write the accepted rows of ``rows`` as an observations file (atomically); their count."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(observations_csv(rows), encoding="utf-8")
    tmp.replace(path)
    return len(accepted(rows))
