"""The JSON API under ``/api``: scenarios, runs, their results and needs.

Endpoints are plain (synchronous) functions, so FastAPI runs them in its thread pool
and a slow computation never blocks the server. Every input is checked here or by
the scenario loader; a mistake gets a 4xx answer with ``{"detail": "..."}`` in plain words.
"""

from __future__ import annotations

import datetime as dt
import io
import pathlib
import warnings
from functools import cache
from typing import Annotated, Any, Literal

import pyarrow.csv as pacsv
from fastapi import (
    APIRouter,
    File,
    Form,
    HTTPException,
    Path,
    Query,
    Request,
    Response,
    UploadFile,
)

from .. import __version__
from ..display.loading import LoadedRun
from ..errors import E_, CaravanaError, UnknownPlace
from ..geo import borders_json
from ..results.reader import open_results
from ..scenario.limits import check_run_size, expected_people
from ..scenario.load import builtin_names, builtin_path, load_scenario
from ..scenario.names import names_in
from ..scenario.schema import Scenario
from . import views
from .policies import POLICY_HELP, PolicyForm, apply_policy, current_policy, policy_fields
from .registry import RunRegistry
from .uploads import (
    MAX_UPLOAD_BYTES,
    UploadError,
    relative_message,
    save_upload,
    too_large,
)
from .vocabulary import vocabulary

router = APIRouter(prefix="/api")
MAX_DAYS = 10_000
MAX_PEOPLE_PER_RUN = 2_000_000  # venezuela2022, the largest built-in, spawns at most about 1.2 million
MAX_LABEL = 80
RunId = Annotated[str, "a run id from GET /api/runs"]


def request_language(request: Request):
    """The language to answer in: the request's ``lang`` (query), else its Accept-Language
    header's first Spanish or English (the page sends its own; so does every browser), else
    English, the language the API is documented in (a script that asks for nothing)."""
    from ..i18n import LANGUAGES, language

    asked = request.query_params.get("lang")
    if asked is None:
        for part in request.headers.get("accept-language", "").split(","):
            code = part.split(";")[0].strip().lower()[:2]
            if code in LANGUAGES:
                asked = code
                break
    try:
        return language(asked or "en")
    except CaravanaError:  # ?lang=fr: the endpoint that reads lang says so, in English
        return language("en")


def in_language(request: Request, text: str) -> str:
    """An English error message in the request's language (:mod:`caravana.i18n.errors`)."""
    from ..i18n.errors import translated

    return translated(text, request_language(request))


def registry(request: Request) -> RunRegistry:
    return request.app.state.registry


def _loaded(request: Request, run_id: str) -> LoadedRun:
    try:
        return registry(request).loaded(run_id)
    except KeyError:
        raise HTTPException(404, f"no run with id '{run_id}'") from None


def _place(request: Request, run: LoadedRun, place: str) -> str:
    """The run's name of the place asked for: with or without accents, in Spanish or English.
    Not found: said in the request's language, the places it suggests by the names the page shows."""
    from ..i18n.errors import names_written, translated
    from ..scenario.aliases import resolve
    from ..scenario.names import recorded_key

    try:
        return resolve(place, run.places, recorded_key(run.metadata))
    except CaravanaError as exc:
        speaker = request_language(request)
        raise HTTPException(404, names_written(translated(E_(f"{exc} in this run"), speaker), exc, speaker)) from None


@cache
def _builtin(name: str) -> Scenario:
    with warnings.catch_warnings():  # notes on Flee's shipped data, not the user's to fix
        warnings.simplefilter("ignore")
        return load_scenario(name)


@router.get("/health", summary="Is the server up; its version")
def health() -> dict[str, str]:
    return {"status": "ok", "version": __version__}


@router.get("/borders", summary="The bundled country shapes and borders (Natural Earth, public domain)")
def borders() -> Response:
    return Response(borders_json(), media_type="application/json",
                    headers={"Cache-Control": "public, max-age=86400"})


@router.get("/scenarios", summary="Built-in scenarios with their policy settings")
def scenarios() -> list[dict[str, Any]]:
    out = []
    for name in builtin_names():
        s = _builtin(name)
        out.append({"name": name, "description": s.description, "start": s.period.start.isoformat(),
                    "days": s.period.days, "seed": s.seed, "policy": current_policy(s)})
    return out


@router.get("/page", summary="The server's rules the page follows: the upload limit, the longest label, "
            "the needs table's columns, the policy fields and the words shown from the data (states, events, "
            "causes, quantities, job states; in English: the page translates them)")
def page_rules() -> dict[str, Any]:
    return {"max_upload_bytes": MAX_UPLOAD_BYTES, "max_label": MAX_LABEL,
            "needs_columns": [{"name": name, "label": label} for name, label in views.NEEDS_COLUMNS.items()],
            "policy_fields": policy_fields(), "codes": list(vocabulary())}


@router.get("/policies", summary="What each policy field of POST /api/runs changes")
def policies() -> dict[str, str]:
    return POLICY_HELP


@router.get("/runs", summary="Every run and ensemble the server knows, with status and progress")
def list_runs(request: Request) -> list[dict[str, Any]]:
    return [{**run, "error": in_language(request, run["error"])} if run.get("error") else run
            for run in registry(request).list()]


def _int_field(name: str, value: str | None, low: int, high: int) -> int | None:
    if value is None or value.strip() == "":
        return None
    try:
        number = int(value.strip())
    except ValueError:
        raise HTTPException(422, f"{name} must be a whole number (got '{value[:40]}')") from None
    if not low <= number <= high:
        raise HTTPException(422, f"{name} must be between {low:,} and {high:,} (got {number:,})")
    return number


def _switch(name: str, value: str | None) -> bool | None:
    if value is None or value.strip() in ("", "scenario"):
        return None
    if value in ("on", "off"):
        return value == "on"
    raise HTTPException(422, f"{name} must be 'on', 'off' or empty (as in the scenario); got '{value[:40]}'")


@router.post("/runs", status_code=202, summary="Start a run of a built-in or uploaded scenario",
             description="Multipart form. Give `scenario` (a built-in name) or `file` (a .yml file or a .zip of a "
             "scenario folder, at most 5 MB). Optional: `seed`, `days` or `until` (the last date to simulate, "
             "YYYY-MM-DD: what the page asks), `label`, and the policy fields "
             "`checkpoints` (on/off), `permits_per_day`, `asylum_per_day`, `metering_per_day`, "
             "`remain_in_mexico` (on/off); an empty field keeps the scenario's setting. "
             "Answers 202 with the run's id; poll GET /api/runs/{id} for progress.")
def start_run(
    request: Request,
    scenario: Annotated[str | None, Form()] = None,
    file: Annotated[UploadFile | None, File()] = None,
    seed: Annotated[str | None, Form()] = None,
    days: Annotated[str | None, Form()] = None,
    until: Annotated[str | None, Form()] = None,
    label: Annotated[str | None, Form()] = None,
    checkpoints: Annotated[str | None, Form()] = None,
    permits_per_day: Annotated[str | None, Form()] = None,
    asylum_per_day: Annotated[str | None, Form()] = None,
    metering_per_day: Annotated[str | None, Form()] = None,
    remain_in_mexico: Annotated[str | None, Form()] = None,
) -> dict[str, Any]:
    run_seed = _int_field("seed", seed, 0, 2**32 - 1)
    run_days = _int_field("days", days, 1, MAX_DAYS)
    policy = PolicyForm(
        checkpoints=_switch("checkpoints", checkpoints),
        permits_per_day=_int_field("permits_per_day", permits_per_day, 0, 1_000_000),
        asylum_per_day=_int_field("asylum_per_day", asylum_per_day, 0, 1_000_000),
        metering_per_day=_int_field("metering_per_day", metering_per_day, 0, 1_000_000),
        remain_in_mexico=_switch("remain_in_mexico", remain_in_mexico),
    )
    upload = (file, file.filename) if file is not None and file.filename else None  # the file and its name
    if (upload is not None) == bool(scenario and scenario.strip()):
        raise HTTPException(400, "give either a built-in scenario name or a scenario file to upload, not both")
    scenario = scenario or ""
    if upload is None and scenario not in builtin_names():
        raise HTTPException(400, f"no built-in scenario '{scenario[:60]}' (built-in: {', '.join(builtin_names())})")
    reg = registry(request)
    title = (label or "").strip()[:MAX_LABEL] or None
    named = upload[1] if upload is not None else scenario
    job = reg.new_job(label=title or named, scenario=named, seed=run_seed, days=run_days, overrides={})
    scenario_folder: pathlib.Path | None  # where the scenario's files are, for the run's map
    try:
        if upload is not None:
            data = upload[0].file.read(MAX_UPLOAD_BYTES + 1)
            if len(data) > MAX_UPLOAD_BYTES:
                raise too_large("the uploaded file", MAX_UPLOAD_BYTES)
            source = save_upload(upload[1], data, job.folder / "scenario")
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                base = load_scenario(source)
            job.warnings = [relative_message(str(w.message), job.folder / "scenario") for w in caught][:20]
            job.source, scenario_folder = str(source), source if source.is_dir() else source.parent
        else:
            base = _builtin(scenario)
            job.source, scenario_folder = scenario, builtin_path(scenario)
        if until and until.strip():
            run_days = job.days = _days_until(until, base)
        loaded, overrides = apply_policy(base, policy, run_days)
        check_size(loaded, run_days, run_seed)
        job.scenario, job.overrides = loaded.name, overrides
        if title is None:
            job.label = _auto_label(loaded.name, run_seed, overrides)
    except UploadError as exc:
        reg.discard(job)
        raise HTTPException(exc.status, str(exc)) from None
    except CaravanaError as exc:
        reg.discard(job)
        raise HTTPException(400, relative_message(str(exc), job.folder / "scenario")) from None
    reg.submit(job, loaded, scenario_folder)
    return job.public()


def _days_until(until: str, scenario: Scenario) -> int:
    """The days to simulate for a last date chosen on the page (people choose dates, not day numbers)."""
    try:
        last = dt.date.fromisoformat(until.strip())
    except ValueError:
        raise UploadError(f"until must be a date YYYY-MM-DD (got '{until[:40]}')", status=422) from None
    days = (last - scenario.period.start).days + 1
    if not 1 <= days <= MAX_DAYS:
        raise UploadError(f"until must be between the scenario's start {scenario.period.start} and "
                          f"{MAX_DAYS} days after it (got {last})", status=422)
    return days


def check_size(scenario: Scenario, days: int | None, seed: int | None) -> None:
    """Refuse, before anything is allocated, a run bigger than the dashboard takes (the
    server is shared; the command line takes up to the engine's own limits)."""
    days = scenario.period.days if days is None else days
    people = expected_people(scenario, days)
    if people > MAX_PEOPLE_PER_RUN:
        raise UploadError(
            f"the scenario could spawn about {people:,.0f} people; the dashboard runs at most "
            f"{MAX_PEOPLE_PER_RUN:,} (run it with 'caravana run' instead)", status=413)
    check_run_size(scenario, days, scenario.seed if seed is None else seed)


def _auto_label(name: str, seed: int | None, overrides: dict[str, Any]) -> str:
    changes = ", ".join(f"{k.split('.')[-1]}={'off' if v in (None, []) else v}" for k, v in overrides.items()
                        if "ports[" not in k)
    return f"{name}" + (f" seed {seed}" if seed is not None else "") + (f" ({changes})" if changes else "")


@router.get("/runs/{run_id}", summary="A run's status and, when done, its summary (places, outcomes, caravans)")
def run_details(request: Request, run_id: RunId) -> dict[str, Any]:
    reg = registry(request)
    try:
        entry = reg.describe(run_id)
    except KeyError:
        raise HTTPException(404, f"no run with id '{run_id}'") from None
    if entry["status"] != "done":
        return entry
    return {**entry, **views.summary(_loaded(request, run_id))}


@router.get("/runs/{run_id}/map", summary="Per day: head-count staying at each place, and each caravan's column")
def run_map(request: Request, run_id: RunId) -> dict[str, Any]:
    return views.map_frames(_loaded(request, run_id))


@router.get("/runs/{run_id}/series", summary="Daily bands (P5-P95, P25-P75, median) at one place, and observations")
def run_series(
    request: Request,
    run_id: RunId,
    place: Annotated[str, Query(max_length=200)],
    quantity: Annotated[str, Query(max_length=40, description="'staying' or a status name")] = "staying",
) -> dict[str, Any]:
    run = _loaded(request, run_id)
    if quantity not in views.QUANTITIES:
        raise HTTPException(422, f"quantity must be one of {', '.join(views.QUANTITIES)}; got '{quantity}'")
    return views.series(run, _place(request, run, place), quantity)


def _day_range(run: LoadedRun, first_day: int | None, last_day: int | None) -> tuple[int, int]:
    """The days asked for, the whole run by default; 422 outside it."""
    first = 0 if first_day is None else first_day
    last = run.days - 1 if last_day is None else last_day
    if first > last or last >= run.days:
        raise HTTPException(422, f"days must satisfy 0 <= first_day <= last_day <= {run.days - 1}")
    return first, last


@router.get("/runs/{run_id}/needs/places", summary="Places where anyone stayed, most person-days first")
def run_needs_places(request: Request, run_id: RunId) -> list[str]:
    return views.needs_places(_loaded(request, run_id))


@router.get("/runs/{run_id}/needs", summary="Needs at one place per day: water, food, covered space, toilets",
            description="`format=csv` downloads the same rows as CSV. Ensembles give the median and P95.")
def run_needs(
    request: Request,
    run_id: RunId,
    place: Annotated[str, Query(max_length=200)],
    first_day: Annotated[int | None, Query(ge=0)] = None,
    last_day: Annotated[int | None, Query(ge=0)] = None,
    format: Literal["json", "csv"] = "json",
) -> Any:
    run = _loaded(request, run_id)
    place = _place(request, run, place)
    if not run.needs:
        raise HTTPException(404, "this run has no needs table (only corridor scenarios compute needs)")
    first, last = _day_range(run, first_day, last_day)
    rows = views.needs_rows(run, place, first, last)
    if format == "json":
        return rows
    buffer = io.BytesIO()
    pacsv.write_csv(views.as_table(rows), buffer)
    safe = "".join(c if c.isalnum() else "_" for c in place)
    return Response(buffer.getvalue(), media_type="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="needs_{safe}_{first}-{last}.csv"'})


@router.get("/runs/{run_id}/events/places", summary="Places where events happened, most people first")
def run_event_places(request: Request, run_id: RunId) -> list[str]:
    return views.event_places(_loaded(request, run_id))


@router.get("/runs/{run_id}/events", summary="People per event and cause: detentions, deaths, permits, "
            "asylum decisions, crossings, returns", description="At one place, or everywhere without `place`.")
def run_events(
    request: Request,
    run_id: RunId,
    place: Annotated[str | None, Query(max_length=200)] = None,
    first_day: Annotated[int | None, Query(ge=0)] = None,
    last_day: Annotated[int | None, Query(ge=0)] = None,
) -> list[dict[str, Any]]:
    run = _loaded(request, run_id)
    if place is not None:
        place = _place(request, run, place)
    if run.events is None:
        raise HTTPException(404, "this run has no events table (Flee scenarios have none)")
    first, last = _day_range(run, first_day, last_day)
    return views.event_rows(run, place, first, last)


@router.get("/runs/{run_id}/arrays", summary="The declared results of a run or ensemble: name, dims, how combined")
def run_arrays(request: Request, run_id: RunId) -> dict[str, Any]:
    return open_results(_loaded(request, run_id).folder).arrays()


@router.get("/runs/{run_id}/arrays/{name}", summary="One declared result's rows (a run's values, an ensemble's "
            "quantiles, sums or each member's peak)")
def run_array(request: Request, run_id: RunId, name: Annotated[str, Path(max_length=100)],
              limit: Annotated[int, Query(ge=1, le=100_000)] = 10_000) -> list[dict[str, Any]]:
    folder = open_results(_loaded(request, run_id).folder)
    if name not in folder.arrays():
        raise HTTPException(404, f"no declared result named '{name}' in this run")
    table = folder.read_array(name).slice(0, limit)
    return [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()} for row in table.to_pylist()]


@router.get("/runs/{run_id}/brief", summary="A place's briefing as HTML: arrival window, peak with its range, "
            "days above half the peak, people-days, departures, needs and reports nearby",
            description="`place` may be written with or without accents, in Spanish or English; `lang` is es or en.")
def run_brief(request: Request, run_id: RunId, place: Annotated[str, Query(max_length=200)],
              lang: Annotated[str, Query(max_length=10)] = "es") -> dict[str, Any]:
    from ..briefing import fragment
    from ..briefing.sources import briefed_places, briefing_of_loaded, key_places_of_run
    from ..i18n import language
    from ..i18n.errors import error_text
    from ..scenario.aliases import resolve
    from ..scenario.names import recorded_key

    run = _loaded(request, run_id)
    try:
        speaker = language(lang)
    except CaravanaError as exc:
        raise HTTPException(422, str(exc)) from None
    try:
        name = resolve(place, run.places, recorded_key(run.metadata))
        # a forecast folder: the forecast's own briefing, the one `caravana brief` gives
        found = briefing_of_loaded(run, name)
    except CaravanaError as exc:  # in the page's language, the places it suggests as it names them
        raise HTTPException(404 if isinstance(exc, UnknownPlace) else 422, error_text(exc, speaker)) from None
    return {"place": found.place, "lang": speaker.code,
            "key_places": key_places_of_run(run, among=briefed_places(run.folder)),
            "html": fragment(found, speaker)}


@router.get("/i18n/{lang}", summary="The dashboard's messages in a language (es, en), from the same catalogues "
            "as the command line and the report")
def messages(lang: str) -> dict[str, Any]:
    from ..i18n import language

    try:
        speaker = language(lang)
    except CaravanaError as exc:
        raise HTTPException(404, str(exc)) from None
    return {"lang": speaker.code, "locale": speaker.babel_locale.replace("_", "-"),  # numbers' and dates' conventions
            "messages": speaker.catalogue(), "plurals": speaker.plural_catalogue(), **names_in(speaker.code)}


@router.get("/compare", summary="Two runs side by side: outcomes at the end and caravan arrivals")
def compare(request: Request, a: Annotated[str, Query(max_length=80)], b: Annotated[str, Query(max_length=80)]
            ) -> dict[str, Any]:
    out = {}
    for key, run_id in (("a", a), ("b", b)):
        run = _loaded(request, run_id)
        s = views.summary(run)
        out[key] = {"id": run_id, "places": list(run.places),
                    **{k: s[k] for k in ("scenario", "names", "kind", "members", "seed", "start", "days", "people", "outcomes",
                                         "caravans")}}
    return out
