"""The review panel's API under ``/api/news``: a proposals file from ``caravana news
extract`` is read and checked against a scenario; the decisions taken on the page come
back as an observations file (for ``caravana forecast``) or as the proposals file with
each row's status (to go on in the terminal with ``caravana news review``).

The server keeps nothing: the page holds the rows and the decisions, and every answer
is computed from what it sends. Rows are checked exactly as the terminal review checks
them (``caravana.news.review.check_against``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, Response, UploadFile
from pydantic import BaseModel, Field

from ..errors import CaravanaError
from ..i18n import LANGUAGES, language
from ..i18n.errors import error_text
from ..news.proposals import COLUMNS, check_row, parse_rows, rows_csv
from ..news.review import EDITABLE, check_against, country_of, observations_csv
from ..scenario.load import builtin_names, load_scenario
from .api import request_language
from .uploads import MAX_UPLOAD_BYTES, too_large

router = APIRouter(prefix="/api/news")
MAX_ROWS = 5000


class Decisions(BaseModel):
    scenario: str = "corridor"
    rows: list[dict[str, str]] = Field(max_length=MAX_ROWS)


def _scenario(name: str):
    if name not in builtin_names():
        raise HTTPException(400, f"unknown scenario '{name}' (built-in: {', '.join(builtin_names())})")
    return load_scenario(name)


def _problems(row: dict[str, str], scenario, number: int) -> dict[str, str] | None:
    """What the scenario says against the row, in each of the page's languages (the panel shows
    the one the page is in, and the other's after a switch, with no new request); None if nothing."""
    try:
        check_against(row, scenario, f"row {number}")
    except CaravanaError as exc:
        return {code: error_text(exc, language(code)) for code in LANGUAGES}
    return None


@router.post("/proposals", summary="Read a proposals CSV: its rows, each with what the scenario says of it, "
             "and which of its columns a reviewer may edit")
async def read_proposals(request: Request, file: Annotated[UploadFile, File()],
                         scenario: Annotated[str, Form()] = "corridor") -> dict:
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise too_large("the proposals file", MAX_UPLOAD_BYTES)
    try:
        rows = parse_rows(data.decode("utf-8-sig"), file.filename or "proposals.csv")
    except UnicodeDecodeError:
        raise HTTPException(400, f"{file.filename}: not a UTF-8 text file") from None
    except CaravanaError as exc:
        raise HTTPException(400, str(exc)) from None
    if len(rows) > MAX_ROWS:
        raise HTTPException(413, f"{file.filename}: more than {MAX_ROWS} proposals")
    loaded = _scenario(scenario)
    speaker = request_language(request)  # the page's (every request of the page says it)
    return {"scenario": scenario, "columns": list(COLUMNS), "editable": list(EDITABLE),
            "rows": [_shown(row, n, loaded, speaker.code) for n, row in enumerate(rows, start=2)]}


def _shown(row: dict[str, str], number: int, scenario, lang: str) -> dict:
    """A row as the panel gets it: its number; "problem" in the request's language and "problems" in
    each (for the page's language switch); "country", the code a row is placed at, not a town ("MX"):
    the panel says what that means; "names", its place and quantity as each language shows them."""
    problems = _problems(row, scenario, number)
    return {**row, "row": str(number), "problem": problems and problems[lang], "problems": problems,
            "country": country_of(row, scenario), "names": _names(row, scenario)}


def _names(row: dict[str, str], scenario) -> dict[str, dict[str, str]]:
    """The row's place and quantity by the names a reader sees, in each of the page's languages
    ("Ciudad de México", "llegados"): the panel's inputs offer them, as the terminal's review does;
    an edit sent back by a name is read as the scenario's place and the file's code."""
    from ..i18n.quantities import offered
    from ..scenario.names import names_key

    key = names_key(scenario.name, scenario.builtin)
    names = {}
    for code in LANGUAGES:
        speaker = language(code).about(key)
        names[code] = {"place": speaker.place(row["place"]) if row["place"] else "",
                       "quantity": offered(row["quantity"], speaker)}
    return names


def _checked(body: Decisions) -> list[dict[str, str]]:
    """The rows as proposals rows; every accepted or edited one valid for the scenario."""
    loaded = _scenario(body.scenario)
    rows = []
    for n, sent in enumerate(body.rows, start=2):
        row = {c: str(sent.get(c, "")) for c in COLUMNS}
        try:  # (a quantity edited by the name the panel shows, "detenidos", becomes the file's code)
            check_row(row, "proposals", n)
        except CaravanaError as exc:
            raise HTTPException(400, str(exc)) from None
        if row["status"] in ("accepted", "edited"):
            try:  # a place edited by any of its names ("Ciudad de México") is the scenario's ("Mexico City")
                # (check_row kept a quantity typed by a name, "detenidos": the errors name it so)
                row["place"] = check_against(row, loaded, f"row {n}")
            except CaravanaError as exc:
                problem = str(exc)  # (the catalogue's template names it so)
                raise HTTPException(400, f"{problem}: edit or reject it") from None
        rows.append(row)
    return rows


@router.post("/observations", summary="The accepted rows as an observations CSV (docs/observations.md)",
             response_class=Response)
def observations(body: Decisions) -> Response:
    return _csv(observations_csv(_checked(body)), "observations.csv")


@router.post("/decisions", summary="The proposals CSV with each row's status, to resume in the terminal",
             response_class=Response)
def decisions(body: Decisions) -> Response:
    return _csv(rows_csv(_checked(body)), "proposals.csv")


def _csv(text: str, filename: str) -> Response:
    return Response(text, media_type="text/csv", headers={"Content-Disposition": f'attachment; filename="{filename}"'})

