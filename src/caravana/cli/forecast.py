"""``caravana forecast``: assimilate reports up to a date, forecast the days after it."""

from __future__ import annotations

import datetime as dt
import math
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from ..errors import CaravanaError
from ..i18n import N_, capitalised
from .common import (
    CheckpointOpt,
    FleeRules,
    FleeRulesOpt,
    IgnoreUnknownOpt,
    LangOpt,
    OptionalScenarioArg,
    ParamsOpt,
    ResumeOpt,
    SetOpt,
    _,
    app,
    console,
    err_console,
    progress_bar,
    require,
    scenario_overrides,
    speak_about,
    speaking,
    use_language,
    user_errors,
)
from .ensemble import BackendKind
from .tables import fits, fitting, narrowest, snug

if TYPE_CHECKING:  # imported where used, so that `caravana --help` starts at once
    import pyarrow as pa

    from ..forecast.pipeline import ForecastRun


class ReportedDays(str, Enum):
    """How a reported arrival or departure day is assimilated (``forecast.moves.REPORTED_DAYS``)."""

    move = "move"
    once = "once"
    weigh = "weigh"


FORECAST_HELP = N_(
    "Weight ensemble members by the reports up to --as-of (a particle filter), then forecast --horizon days: "
    "arrival windows, head-counts and needs at the places ahead.\n\n"
    "Writes (in --out, each table as Parquet and CSV): places, daily, parameters, particles, held_back (when "
    "reports come after the as-of date), forecast.png and, last, forecast.json. With --checkpoint-every, the "
    "state is kept in OUT.checkpoint/ as it goes; --resume OUT carries on a forecast that stopped, to the same "
    "result as an unbroken one."
)


@app.command(help=FORECAST_HELP)
def forecast(
    ctx: typer.Context,
    scenario: OptionalScenarioArg = None,
    observations: Annotated[Path | None, typer.Option(help=N_("Observations CSV (docs/observations.md)."))] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help=N_("Last date whose reports are used (YYYY-MM-DD)."))] = None,
    horizon: Annotated[int | None, typer.Option(help=N_("Days to forecast after the as-of date."))] = None,
    particles: Annotated[int, typer.Option(help=N_("Particles (ensemble members) in the filter."))] = 100,
    seed: Annotated[int, typer.Option(help=N_("Root seed: members, parameters, resampling."))] = 0,
    workers: Annotated[int, typer.Option(help=N_("Worker processes (1: all in this process)."))] = 1,
    backend: Annotated[BackendKind | None, typer.Option(
        help=N_("Where the prior and the runs after the as-of date go (default: this process; "
                "processes with --workers > 1; dask with --scheduler)."))] = None,
    scheduler: Annotated[str | None, typer.Option(help=N_("Dask scheduler address, e.g. tcp://host:8786."))] = None,
    vary: Annotated[list[str] | None, typer.Option(
        help=N_("Uncertain factor: PATH=LOW:HIGH multiplies a setting by a log-uniform draw; repeatable "
                "(default for caravans: leave rate, pace, rest, joiners)."))] = None,
    fixed_parameters: Annotated[bool, typer.Option(
        "--fixed-parameters", help=N_("Vary only the seed, not the default factors."))] = False,
    joint_outflows: Annotated[bool, typer.Option(
        "--joint-outflows",
        help=N_("Draw every outflow (leave rates, asylum and permit applications, detentions) together: a "
                "total and the shares of its routes, measured on other caravans (docs/forecast.md, Parameters; "
                "off by default: it failed its keep rule)."))] = False,
    count_sd: Annotated[float | None, typer.Option(
        help=N_("Spread of count reports outside their range (sd of log count; default: the forecast's, "
                "docs/forecast.md)."))] = None,
    day_sd: Annotated[float | None, typer.Option(
        help=N_("Spread of reported arrival days (days; default: the forecast's)."))] = None,
    size_sd_per_day: Annotated[float | None, typer.Option(
        help=N_("Unobserved joining and leaving: sd of a caravan's log size a day between size reports, "
                "fixed (default: learnt from the size reports, docs/forecast.md)."))] = None,
    stage_sd: Annotated[float | None, typer.Option(
        help=N_("How much a caravan's day's stage varies from day to day in every member: sd of its log "
                "(default: the forecast's, docs/forecast.md; 0: the model's fixed stages)."))] = None,
    stage_half_life: Annotated[float | None, typer.Option(
        help=N_("Days a caravan's fast or slow stretch lasts: its stage's deviation halves in this many days "
                "(default: the forecast's, docs/forecast.md; 0: a fresh draw every day)."))] = None,
    size_reversion: Annotated[float | None, typer.Option(
        help=N_("How fast an unseen change in a caravan's size fades back to the model's own size: a rate k a day, "
                "k = ln 2 / half-life in days (default: the forecast's, 0.099, a half-life of 7 days; 0: a random "
                "walk that never fades)."))] = None,
    reported_days: Annotated[ReportedDays, typer.Option(
        help=N_("How a reported arrival or departure day is assimilated: move (the main body is moved to the reported "
                "night), once (a night's position is drawn once; later reports of that night only weigh), weigh "
                "(it only weighs the particles)."))] = ReportedDays.once,
    one_per_source: Annotated[bool, typer.Option(
        "--one-per-source", help=N_("The rows of one source on one date weigh as one report (default: each row "
                                    "as an independent report)."))] = False,
    resample_at_as_of: Annotated[bool, typer.Option(
        "--resample-at-as-of", help=N_("Resample the posterior at the as-of date (session 7's forecast) instead of "
                                       "keeping the particles' weights."))] = False,
    walk_after_as_of: Annotated[bool, typer.Option(
        "--walk-after-as-of", help=N_("Unobserved joining and leaving take fresh noise every day after the as-of date "
                                      "too (session 7's forecast; default: the noise fades after it)."))] = False,
    passes: Annotated[int, typer.Option(
        help=N_("Iterated filtering (IF2): passes over the reports up to the as-of date, each starting from the "
                "parameters the previous one ended with, perturbed less each pass (--cooling); the last pass is the "
                "forecast (default 1: one pass; docs/forecast.md, Iterated filtering)."))] = 1,
    cooling: Annotated[float, typer.Option(
        help=N_("With --passes: each pass's parameter perturbation is this fraction of the previous pass's "
                "(default 0.5)."))] = 0.5,
    resimulate: Annotated[int, typer.Option(
        help=N_("After each resampling, up to K sweeps of moves by re-simulation, as many as expected to give "
                "half the copies a new run, fixed before they run from the acceptance of a discarded "
                "pilot: each copy proposes new parameters, is run again from day 0 on a fresh seed and "
                "replaces the copy by a Metropolis-Hastings ratio, so the posterior keeps more distinct histories; "
                "the runs are made, at extra CPU, on --workers processes of the move's own beside the pool's "
                "(with --workers 2 or more, not with Dask; else in this process), the same forecast, "
                "and counted in the progress bar; not with --passes above 1 (default 0: none; docs/forecast.md, "
                "Resample-move by re-simulation)."))] = 0,
    as_published: Annotated[bool, typer.Option(
        "--as-published", help=N_("Assimilate only the reports published by the as-of date (the observations' "
                                  "'reported' column, else their date): a report about a day up to it that came out "
                                  "later is left out and listed in forecast.json (default: every report dated up to "
                                  "--as-of is assimilated, whenever it came out)."))] = False,
    weights_only: Annotated[bool, typer.Option(
        "--weights-only", help=N_("Only weight and resample: reports do not move caravan sizes or send people home, "
                                  "factors are not rejuvenated."))] = False,
    out: Annotated[Path, typer.Option(help=N_("Folder for the forecast tables, forecast.json and forecast.png."))] = Path("forecast"),
    flee_rules: FleeRulesOpt = FleeRules.v31,
    settings: SetOpt = None,
    params: ParamsOpt = None,
    ignore_unknown_settings: IgnoreUnknownOpt = False,
    checkpoint_every: CheckpointOpt = None,
    resume: ResumeOpt = None,
    lang: LangOpt = None,
) -> None:
    from ..forecast.output import write_forecast

    with user_errors():
        use_language(lang)
        require("report", "matplotlib")  # forecast.png
        from ..checkpoint import checkpoint_folder, load_pickle, read_record, save_pickle, write_record
        from ..checkpoint import remove as remove_checkpoint
        from ..forecast import pipeline  # here: the forecast's modules are heavy
        from ..forecast.filter import Checkpoint

        if checkpoint_every is not None and checkpoint_every < 1:
            raise CaravanaError(f"--checkpoint-every must be at least 1 day, got {checkpoint_every}")
        if resume is not None:
            if scenario is not None:
                raise CaravanaError("give a scenario or --resume, not both (the checkpoint holds the forecast's settings)")
            _refuse_settings_with_resume(ctx)
            folder, record = read_record(resume, "forecast")
            job = load_pickle(folder / "forecast.pkl")
            out, checkpoint_every = Path(record["out"]), checkpoint_every or record["every"]
            scenario, observations, particles, seed = record["source"], Path(record["observations"]), job["particles"], job["seed"]
            flee_rules = FleeRules(record["flee_rules"])
        else:
            missing = [name for name, value in (("a scenario", scenario), ("--observations", observations),
                                                ("--as-of", as_of), ("--horizon", horizon)) if value is None]
            if missing:
                raise CaravanaError(f"give {', '.join(missing)} (or --resume DIR)")
            assert scenario is not None and observations is not None and as_of is not None and horizon is not None
            job = _job(scenario, observations, as_of, horizon, particles=particles, seed=seed, workers=workers,
                       vary=vary, fixed_parameters=fixed_parameters, joint_outflows=joint_outflows,
                       count_sd=count_sd, day_sd=day_sd,
                       size_sd_per_day=size_sd_per_day, weights_only=weights_only,
                       flee_rules=flee_rules, settings=settings, params=params,
                       ignore_unknown_settings=ignore_unknown_settings,
                       options=_filter_options(pipeline, stage_sd=stage_sd, stage_half_life=stage_half_life,
                                               size_reversion=size_reversion, reported_days=reported_days.value,
                                               one_per_source=one_per_source, resample_at_as_of=resample_at_as_of,
                                               walk_after_as_of=walk_after_as_of, passes=passes,
                                               cooling=cooling, as_published=as_published, resimulate=resimulate),
                       defaults=(pipeline.ASSIMILATION_NOISE, pipeline.SIZE_SD_PER_DAY))
            folder = checkpoint_folder(out)
            if checkpoint_every is not None:
                remove_checkpoint(folder)  # an earlier forecast's state must never be resumed as this one's
                write_record(folder, {"kind": "forecast", "source": scenario, "out": str(out.resolve()),
                                      "observations": str(observations), "as_of": as_of, "horizon": horizon,
                                      "particles": particles, "seed": seed, "flee_rules": flee_rules.value,
                                      "every": checkpoint_every})
                save_pickle(folder / "forecast.pkl", job)
        from ..ensemble.store import check_out_dir

        check_out_dir(out)  # the posterior is written as an ensemble folder there
        if workers < 1:
            raise CaravanaError(f"--workers must be at least 1, got {workers}")
        kind = (backend.value if backend else None) or (
            "dask" if scheduler else "processes" if workers > 1 else "inprocess")
        overrides = job.pop("overrides")
        run = _run(**job, kind=kind, workers=workers, scheduler=scheduler,
                   checkpoint=None if checkpoint_every is None else Checkpoint(folder, checkpoint_every))
        run.metadata["settings_changed"] = overrides
        if "without_reports" in run.metadata:  # an empty file, or every row after the as-of date: not a forecast
            err_console.print(_("warning: no report up to the as-of date ({as_of}) in {file}: the result is the "
                                "prior, the model alone, not a forecast from reports").format(
                as_of=speaking().date(run.forecast.as_of), file=observations))
        written = write_forecast(run, out, lang=speaking().code)
        if checkpoint_every is not None:
            remove_checkpoint(folder)  # the forecast is whole on disk
    print_forecast(run)
    for path in written:
        console.print(_("wrote {path}").format(path=path))
    with user_errors():  # a catalogue problem is only a warning: the forecast is on disk
        from ..catalogue import register_or_warn

        meta = run.metadata
        run_id = register_or_warn(
            "ensemble", scenario, out, seed=seed, parameters=overrides,
            metadata={"forecast": True, "as_of": meta["as_of"], "particles": particles,
                      "observations": str(observations), "flee_rules": flee_rules.value},
        )
    if run_id:
        console.print(_("catalogued as ensemble {id}, the forecast's posterior ('caravana runs show {id}'; "
                        "caravana serve {out}; caravana report {out})").format(id=run_id, out=out))


# What --resume may be given: how and where to go on, not what is forecast (the checkpoint holds that).
RESUME_OPTIONS = {"resume", "checkpoint_every", "workers", "backend", "scheduler", "lang"}


def _refuse_settings_with_resume(ctx: typer.Context) -> None:
    """A setting of the forecast given with --resume would be silently ignored (the
    checkpoint's are used): refuse it."""
    def typed(name: str) -> bool:  # by name: typer may carry its own copy of click's enum
        source = ctx.get_parameter_source(name)
        return source is not None and source.name == "COMMANDLINE"

    given = [p for p in ctx.command.params if p.name not in RESUME_OPTIONS and p.name is not None and typed(p.name)]
    if given:
        options = ", ".join(p.opts[0] for p in given)
        raise CaravanaError(f"{options}: not with --resume (a resumed forecast keeps its checkpoint's settings)")


def _filter_options(pipeline, *, stage_sd: float | None, stage_half_life: float | None, size_reversion: float | None,
                    **flags) -> dict:
    """``run_forecast``'s keyword arguments for the filter's stage, size walk and report
    options, checked; an option not given takes the forecast's default (``forecast.pipeline``)."""
    chosen = {"stage_sd": pipeline.STAGE_SD if stage_sd is None else stage_sd,
              "stage_half_life": pipeline.STAGE_HALF_LIFE_DAYS if stage_half_life is None else stage_half_life,
              "size_reversion": pipeline.SIZE_REVERSION_PER_DAY if size_reversion is None else size_reversion}
    for key, value in chosen.items():
        option = "--" + key.replace("_", "-")
        if not (value >= 0 and math.isfinite(value)):
            raise CaravanaError(f"{option} must be 0 or more (and finite), got {value}")
    pipeline.Passes(flags.get("passes", 1), flags.get("cooling", pipeline.Passes.cooling))  # checks them
    pipeline.Resimulation(flags.get("resimulate", 0)).check_passes(flags.get("passes", 1))
    return {**chosen, **flags}


def _job(scenario: str, observations: Path, as_of: str, horizon: int, *, particles: int, seed: int, workers: int,
         vary, fixed_parameters: bool, count_sd, day_sd, size_sd_per_day, weights_only: bool,
         joint_outflows: bool = False,
         flee_rules: FleeRules,
         settings, params, ignore_unknown_settings: bool, options: dict, defaults) -> dict:
    """Everything a forecast runs on, checked (also what a checkpoint keeps to resume it)."""
    from ..forecast.filter import check_dates
    from ..forecast.parameters import check_factors, default_factors, parse_factor
    from ..metrics import NoiseModel
    from ..observations import read_observations
    from ..scenario.load import load_scenario
    from ..scenario.overrides import apply_overrides

    noise, size_sd = defaults
    count_sd = noise.count_sd if count_sd is None else count_sd
    day_sd = noise.day_sd if day_sd is None else day_sd
    size_sd_per_day = size_sd if size_sd_per_day is None else size_sd_per_day
    date = _date(as_of)
    if joint_outflows and (vary or fixed_parameters):  # they replace the default factors it draws: it would be ignored
        option = "--vary" if vary else "--fixed-parameters"
        raise CaravanaError(f"--joint-outflows: not with {option} (it draws the default outflow factors)")
    for name, value, least in (("particles", particles, 2), ("workers", workers, 1)):
        if value < least:
            raise CaravanaError(f"--{name} must be at least {least}, got {value}")
    lowest_size_sd = min(size_sd_per_day) if isinstance(size_sd_per_day, tuple) else size_sd_per_day  # fixed or a range
    for name, value in (("count-sd", count_sd), ("day-sd", day_sd), ("size-sd-per-day", lowest_size_sd)):
        if not value > 0:
            raise CaravanaError(f"--{name} must be positive, got {value}")
    loaded = load_scenario(scenario, flee_rules=flee_rules.value, ignore_unknown_settings=ignore_unknown_settings)
    overrides = scenario_overrides(loaded, params, settings)
    loaded = apply_overrides(loaded, overrides)  # the factors then multiply the fitted values
    if joint_outflows and loaded.corridor is None:
        raise CaravanaError(f"--joint-outflows: scenario '{loaded.name}' has no caravans (it draws their outflows)")
    check_dates(loaded, date, horizon)
    reports = read_observations(observations).check_against(loaded)
    factors = [parse_factor(v) for v in vary or []] or (
        [] if fixed_parameters else default_factors(loaded, outflows=joint_outflows))
    check_factors(loaded, factors)
    return {"scenario": loaded, "reports": reports, "date": date, "horizon": horizon, "particles": particles,
            "seed": seed, "factors": factors, "noise": NoiseModel(count_sd, day_sd), "weights_only": weights_only,
            "size_sd_per_day": size_sd_per_day, "overrides": overrides, **options}


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CaravanaError(f"--as-of '{text}' is not a date (YYYY-MM-DD)") from None


def _run(scenario, reports, date, horizon, *, particles, seed, factors, noise, kind, workers, scheduler,
         **options) -> ForecastRun:
    """The forecast with a progress bar, on the backend ``kind``."""
    from ..ensemble import get_backend
    from ..forecast.filter import check_dates, particle_days
    from ..forecast.pipeline import run_forecast

    as_of_day, end_day = check_dates(scenario, date, horizon)
    total = particle_days(particles, end_day, options.get("passes", 1), as_of_day)
    with get_backend(kind, workers=workers, scheduler=scheduler) as backend, progress_bar(_("particle-days")) as bar:
        task = bar.add_task(_("forecasting {scenario}").format(scenario=scenario.name), total=total)
        return run_forecast(scenario, reports, date, horizon, particles=particles, seed=seed, factors=factors,
                            noise=noise, backend=backend, **options,
                            progress=lambda done, of: bar.update(task, completed=done, total=of))


# ---------------------------------------------------------------- printing


def _day(value: dt.date | None, end: dt.date) -> str:
    from .common import speaking

    date = speaking().date
    return _("after {date}").format(date=date(end, year=False)) if value is None else date(value, year=False)


def _interval(row: dict, prefix: str, scale: float = 1.0, unit: str = "", sep: str = " ") -> str:
    """"median (P5-P95)"; with ``sep="\\n"`` the range goes under the median (a narrow table)."""
    from ..i18n import count

    lo, mid, hi = (row.get(f"{prefix}_{q}") for q in ("p5", "p50", "p95"))
    if lo is None or mid is None or hi is None or math.isnan(lo):
        return "-"
    return f"{count(mid / scale)}{unit}{sep}({count(lo / scale)}-{count(hi / scale)})"


def _rows(table: pa.Table, ensemble: str) -> list[dict]:
    import pyarrow.compute as pc

    return table.filter(pc.equal(table["ensemble"], ensemble)).to_pylist() if table.num_rows else []


def print_forecast(run: ForecastRun) -> None:
    fc, meta = run.forecast, run.metadata
    from ..scenario.names import recorded_key

    speak_about(recorded_key(meta))
    as_of = speaking().date(fc.as_of)
    used, held = meta["observations_used"], meta["observations_held_back"]  # each its own plural ("1 reporte usado")
    console.print(f"[bold]{escape(fc.scenario)}[/bold]: " + escape(_(
        "forecast from {as_of} to {end} with {particles} particles, {used}, {held}"
    ).format(as_of=as_of, end=speaking().date(fc.end), particles=meta["particles"],
             used=speaking().n_("{n} report used", "{n} reports used", used).format(n=used),
             held=speaking().n_("{n} after {as_of} held back", "{n} after {as_of} held back", held).format(
                 n=held, as_of=as_of))), markup=True)
    if "published_after_as_of" in meta:
        late = meta["published_after_as_of"]["count"]
        console.print(speaking().n_(
            "{n} report about a day up to {as_of} published after it: left out (--as-published; listed in "
            "forecast.json)",
            "{n} reports about days up to {as_of} published after it: left out (--as-published; listed in "
            "forecast.json)", late).format(n=late, as_of=speaking().date(fc.as_of)))
    print_places(run)
    print_filter(run)
    print_held_back(run)


def print_places(run: ForecastRun) -> None:
    """The arrival tables (one per caravan) and the needs at each place's peak: the full tables if
    the terminal is wide enough, else the folded ones (:mod:`caravana.cli.tables`)."""
    fc = run.forecast
    posterior, prior = _rows(fc.places, "posterior"), _rows(fc.places, "prior")
    prior_of = {(r["caravan"], r["place"]): r for r in prior}
    if not fc.routes:
        console.print(fitting(lambda narrow: _presence_table(fc, posterior, prior_of, narrow=narrow), console))
        return
    shown = [r for r in posterior if r["arrival_p5"] is not None]
    caravans = list(dict.fromkeys(r["caravan"] for r in posterior))
    wide_tables = [_arrival_table(fc, caravan, shown, prior_of, len(caravans) > 1, narrow=False) for caravan in caravans]
    narrow = not all(fits(t, console) for t in wide_tables)
    for caravan, wide in zip(caravans, wide_tables):  # a place ahead of two caravans has a row in each one's table
        whose = capitalised(speaking().caravan(caravan)) if len(caravans) > 1 else ""
        later = [speaking().place(r["place"]) for r in posterior if r["caravan"] == caravan and r["arrival_p5"] is None]
        table = _arrival_table(fc, caravan, shown, prior_of, bool(whose), narrow=True) if narrow else wide
        if table.row_count:
            console.print(table)
        if later:
            console.print((f"{whose}: " if whose else "") + _("not reached by {end} in 95 percent of particles: "
                                                               "{places}").format(end=_day(fc.end, fc.end),
                                                                                  places=", ".join(later)))
    if narrow and shown:
        console.print(_("(the prior, the same forecast without reports, is in places.csv; a terminal {width} "
                        "columns wide or wider shows it in these tables too)").format(
            width=max(narrowest(t, console) for t in wide_tables)))
    if shown and "peak_water_l_p50" in shown[0]:
        console.print(fitting(lambda narrow: _needs_table(shown, narrow=narrow), console))


def _arrival_table(fc, caravan: str, shown: list[dict], prior_of: dict, named: bool, *, narrow: bool) -> Table:
    """One caravan's arrivals and head-counts at the places ahead, each count over its range. Full:
    eight columns, the prior's beside the posterior's; narrow (an 80-column terminal): five, the
    median day over its window, no prior."""
    title = _("arrival of the main body and head-counts at the places ahead: median (P5-P95)")
    table = Table(title=f"{title}\n{capitalised(speaking().caravan(caravan))}" if named else title)
    headings: tuple[str, ...]
    if narrow:
        headings = (_("place"), _("arrives"), _("by end"), _("with caravan on arrival"), _("peak present"))
    else:
        headings = (_("place"), _("arrives (P5-P95)"), _("median"), _("by end"), _("with caravan on arrival"),
                    _("peak present"), _("prior: arrives"), _("prior: peak present"))
    for i, heading in enumerate(headings):  # a long place name folds
        table.add_column(heading, justify="left" if i in ((0, 1) if narrow else (0, 1, 6)) else "right",
                         overflow="fold" if i == 0 else "ellipsis")
    end = fc.end
    for r in shown:
        if r["caravan"] != caravan:
            continue
        window = f"{_day(r['arrival_p5'], end)}-{_day(r['arrival_p95'], end)}"
        figures = [f"{r['share_arriving']:.0%}", _interval(r, "size_on_arrival", sep="\n"),
                   _interval(r, "peak_present", sep="\n")]
        if narrow:  # an open end on a line of its own, never folded ("después del 13" over "nov")
            opened = "\n" if r["arrival_p95"] is None else ""
            window = f"{_day(r['arrival_p5'], end)}-{opened}{_day(r['arrival_p95'], end)}"
            table.add_row(speaking().place(r["place"]), f"{_day(r['arrival_p50'], end)}\n({window})", *figures)
            continue
        p = prior_of.get((r["caravan"], r["place"]), {})
        prior_window = f"{_day(p.get('arrival_p5'), end)}-{_day(p.get('arrival_p95'), end)}" if p.get("arrival_p5") else "-"
        table.add_row(speaking().place(r["place"]), window, _day(r["arrival_p50"], end), *figures, prior_window,
                      _interval(p, "peak_present", sep="\n"))
    return snug(table, wrapping=(0,) if narrow else (0, 2))


def _presence_table(fc, posterior: list[dict], prior_of: dict, *, narrow: bool) -> Table:
    """A scenario without routes: people present at the busiest places (the prior's column too
    when it fits)."""
    table = Table(title=_("people present at the busiest places, {as_of} to {end}: median (P5-P95)").format(
        as_of=speaking().date(fc.as_of), end=speaking().date(fc.end)))
    headings = (_("place"), _("peak present"), _("person-days"), _("prior: peak present"))
    for i, col in enumerate(headings):
        table.add_column(col, justify="left" if i == 0 else "right", overflow="fold" if i == 0 else "ellipsis")
    sep = "\n" if narrow else " "
    for r in posterior:
        p = prior_of.get((r["caravan"], r["place"]), {})
        table.add_row(speaking().place(r["place"]), _interval(r, "peak_present", sep=sep), _interval(r, "person_days", sep=sep),
                      _interval(p, "peak_present", sep=sep))
    return snug(table)


def _needs_table(shown: list[dict], *, narrow: bool) -> Table:
    needs = Table(title=_("daily needs at the peak of presence, posterior: median (P5-P95)"))
    for i, col in enumerate((_("place"), _("water (m3/day)"), _("food (Mcal/day)"), _("covered space (m2)"),
                             _("toilets"))):
        needs.add_column(col, justify="left" if i == 0 else "right", overflow="fold" if i == 0 else "ellipsis")
    once: dict[str, dict] = {}  # a place's needs are its whole head-count's (every caravan's): one row each
    for r in shown:
        once.setdefault(r["place"], r)
    sep = "\n" if narrow else " "
    for r in once.values():
        needs.add_row(speaking().place(r["place"]), _interval(r, "peak_water_l", 1000, sep=sep),
                      _interval(r, "peak_food_kcal", 1000, sep=sep),
                      _interval(r, "peak_covered_m2", sep=sep), _interval(r, "peak_toilets", sep=sep))
    return snug(needs)


def print_filter(run: ForecastRun) -> None:
    meta = run.metadata
    day = speaking().date  # "12 oct: 20", as the tables write days (was "10-12 20")
    steps = ", ".join(f"{day(dt.date.fromisoformat(s['date']), year=False)}: {s['ess']:.0f}{'*' if s['resampled'] else ''}"
                      for s in meta["filter_steps"])
    console.print(_("effective sample size after each report date (* resampled): {steps}").format(
        steps=steps or _("no reports before the as-of date")))
    # Members counted by the weight they carry (docs/forecast.md, *Ancestors*): with equal weights, the distinct ones.
    console.print(_("posterior particles descend from {n} of {particles} members").format(
        n=f"{meta['ancestors']['weighted']:.0f}", particles=meta["particles"]))
    moves = meta["filter"]
    if isinstance(moves, dict) and moves["people_added_by_size_moves"] + moves["people_removed_by_size_moves"]:
        console.print(_("reports of caravan sizes added {added} and removed {removed} people, over all particles "
                        "(unobserved joining and leaving)").format(added=speaking().number(moves["people_added_by_size_moves"]),
                                                                  removed=speaking().number(moves["people_removed_by_size_moves"])))
    if run.parameters.num_rows:
        table = Table(title=_("parameter factors (x the scenario's value): median (P5-P95)"))
        for i, col in enumerate((_("factor"), _("prior"), _("posterior"))):
            table.add_column(col, justify="left" if i == 0 else "right")
        from ..forecast.factor_names import factor_name

        under = None  # each caravan's label once, its factors under it
        for r in run.parameters.to_pylist():
            caravan, name = factor_name(r["factor"], speaking())
            if caravan is not None and caravan != under:
                table.add_row(caravan, "", "")
            under = caravan
            table.add_row(name if caravan is None else f"  {name}", *(f"{r[f'{e}_p50']:.2f} ({r[f'{e}_p5']:.2f}-{r[f'{e}_p95']:.2f})"
                                         for e in ("prior", "posterior")))
        console.print(table)


def print_held_back(run: ForecastRun) -> None:
    rows = run.held_back.to_pylist() if run.held_back.num_rows else []
    if not rows:
        return
    start, end = run.forecast.start, run.forecast.end
    # check_held_back lists the same reports, in the same order, for each ensemble.
    pairs = [{"posterior": a, "prior": b}
             for a, b in zip(_rows(run.held_back, "posterior"), _rows(run.held_back, "prior"))]
    console.print(fitting(lambda narrow: _held_back_table(run, pairs, start, end, narrow=narrow), console))
    for ensemble, s in run.metadata["held_back_check"].items():
        parts = [_("{ensemble}: {hits}/{reports} reports inside the P5-P95 interval").format(
            ensemble=_(ensemble), hits=s["hits"], reports=s["reports"])]
        if s["open_hits"]:
            parts[0] += speaking().n_(", {n} of them open-ended", ", {n} of them open-ended", s["open_hits"]).format(
                n=s["open_hits"])
        if s["day_reports"]:
            parts.append(_("days: width {width}, interval score {score}").format(
                width=f"{s['day_width']:.1f}", score=f"{s['day_interval_score']:.1f}"))
        if s["count_reports"]:
            parts.append(_("counts: width {width}, interval score {score}").format(
                width=f"{s['count_width']:.0%}", score=f"{s['count_interval_score']:.2f}"))
        console.print("; ".join(parts))
    console.print(_("(interval score: width + 20 x the miss; lower is better; days, or relative to the report)"))
    if any(r["open_ended"] for r in rows):
        console.print(_("(open: a hit whose P95 is 'not there by {end}': it comes from the forecast's end, "
                        "not from a band that closes before it)").format(end=_day(end, end)))


def _held_back_table(run: ForecastRun, pairs: list[dict], start: dt.date, end: dt.date, *, narrow: bool) -> Table:
    """The held-back reports against the posterior's and the prior's intervals. Full: eight columns;
    narrow: the date over the place, each interval over its verdict, a count over its range."""
    table = Table(title=_("reports after {as_of} (not used) against the P5-P95 intervals").format(
        as_of=speaking().date(run.forecast.as_of)))
    headings: tuple[str, ...]
    if narrow:
        headings = (f"{_('date')}\n{_('place')}", _("quantity"), _("reported"), _("posterior"), _("prior"))
    else:
        headings = (_("date"), _("place"), _("quantity"), _("reported"), _("posterior"), "", _("prior"), " ")
    first_right = 2 if narrow else 3
    for i, col in enumerate(headings):
        table.add_column(col, justify="left" if i < first_right else "right", overflow="fold" if i < 2 else "ellipsis")
    for pair in pairs:
        first = pair["posterior"]
        where = [_day(first["date"], end), speaking().place(first["place"] or "")]
        cells = ["\n".join(where)] if narrow else where
        counted = None if first["unit"] == "day" else first["observed"]  # singular or plural by the figure
        cells += [speaking().quantity(first["quantity"], counted), _reported(first, start, sep="\n" if narrow else " ")]
        for ensemble in ("posterior", "prior"):
            r = pair[ensemble]
            cells += [f"{_simulated(r, start, end, open_sep=chr(10))}\n{_hit(r)}"] if narrow else [_simulated(r, start, end), _hit(r)]
        table.add_row(*cells)
    return snug(table, wrapping=(0, 1) if narrow else (1, 2))


def _hit(r: dict) -> str:
    """A held-back row's verdict; an open-ended hit (``check.open_ended``) says so."""
    if not r["hit"]:
        return _("MISS")
    return _("hit (open)") if r["open_ended"] else _("hit")


def _reported(r: dict, start: dt.date, sep: str = " ") -> str:
    from ..i18n import count

    if r["unit"] == "day":
        return _day(start + dt.timedelta(days=int(r["observed"])), start)
    return count(r["observed"]) if r["low"] == r["high"] else f"{count(r['observed'])}{sep}({count(r['low'])}-{count(r['high'])})"


def _simulated(r: dict, start: dt.date, end: dt.date, open_sep: str = "") -> str:
    """The interval; ``open_sep`` goes before an open end ("después del 26 oct"): a narrow table's
    line break, so that the long window does not take the room of the place's and quantity's words."""
    from ..i18n import count

    if r["unit"] == "day":
        def day(value: float) -> str:
            date = start + dt.timedelta(days=int(value))
            return _day(None if date > end else date, end)  # the day after the end: never got there

        opened = start + dt.timedelta(days=int(r["p95"])) > end
        return f"{day(r['p5'])}-{open_sep if opened else ''}{day(r['p95'])}"
    return f"{count(r['p5'])}-{count(r['p95'])}"
