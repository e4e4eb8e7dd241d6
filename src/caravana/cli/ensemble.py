"""``caravana ensemble``: many members of one scenario, reduced to quantiles, with a summary."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
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
    progress_bar,
    scenario_overrides,
    speak_about,
    speaking,
    use_language,
    user_errors,
)
from .tables import fitting, snug

if TYPE_CHECKING:  # imported where used, so that `caravana --help` starts at once

    from ..ensemble import EnsembleResult



class BackendKind(str, Enum):
    inprocess = "inprocess"
    processes = "processes"
    dask = "dask"


# where the members ran, as the summary line says it ("procesos x 2")
BACKENDS = {"inprocess": N_("in this process"), "processes": N_("processes"), "dask": "Dask"}

ENSEMBLE_HELP = N_(
    "Run an ensemble (members with seeds from one root seed) and write quantiles and outcomes.\n\n"
    "Writes (in --out): members/member=NNNN/counts.parquet (every member's counts); quantiles, outcomes, "
    "outcome_quantiles and (corridor) needs and caravans, each as Parquet and CSV; world.json; and, last, "
    "ensemble.json. A row in the results catalogue records the run."
)


@app.command(help=ENSEMBLE_HELP)
def ensemble(
    scenario: OptionalScenarioArg = None,
    members: Annotated[int, typer.Option(help=N_("Number of members (runs)."))] = 20,
    seed: Annotated[int, typer.Option(help=N_("Root seed; member seeds are spawned from it."))] = 0,
    days: Annotated[int | None, typer.Option(help=N_("Days to simulate (default: the scenario's period)."))] = None,
    workers: Annotated[int | None, typer.Option(help=N_("Worker processes (default: all cores)."))] = None,
    backend: Annotated[
        BackendKind | None, typer.Option(help=N_("Where members run (default: processes, or dask with --scheduler)."))
    ] = None,
    scheduler: Annotated[str | None, typer.Option(help=N_("Dask scheduler address, e.g. tcp://host:8786."))] = None,
    settings: SetOpt = None,
    params: ParamsOpt = None,
    out: Annotated[
        Path, typer.Option(help=N_("Folder for members/, quantiles.parquet, outcomes.parquet, ensemble.json."))
    ] = Path("ensemble"),
    flee_rules: FleeRulesOpt = FleeRules.v31,
    ignore_unknown_settings: IgnoreUnknownOpt = False,
    checkpoint_every: CheckpointOpt = None,
    resume: ResumeOpt = None,
    lang: LangOpt = None,
) -> None:
    from ..checkpoint import checkpoint_folder, load_pickle, read_record, save_pickle, write_record
    from ..checkpoint import remove as remove_checkpoint
    from ..ensemble import get_backend, run_ensemble
    from ..ensemble.store import check_out_dir
    from ..scenario.load import load_scenario
    from ..scenario.overrides import apply_overrides

    with user_errors():
        use_language(lang)
        _check_counts(members=members, days=days, workers=workers, checkpoint_every=checkpoint_every)
        if resume is not None:
            if scenario is not None:
                raise CaravanaError("give a scenario or --resume, not both (the checkpoint holds the scenario)")
            folder: Path | None
            folder, record = read_record(resume, "ensemble")
            loaded = load_pickle(folder / "scenario.pkl")
            scenario, out, overrides = record["source"], Path(record["out"]), record["overrides"]
            members, seed, days = record["members"], record["seed"], record["days"]
            flee_rules, checkpoint_every = FleeRules(record["flee_rules"]), checkpoint_every or record["every"]
        else:
            if scenario is None:
                raise CaravanaError("give a scenario to run (or --resume DIR)")
            if seed < 0:
                raise CaravanaError(f"--seed must be 0 or more, got {seed}")
            loaded = load_scenario(scenario, flee_rules=flee_rules.value,
                                   ignore_unknown_settings=ignore_unknown_settings)
            overrides = scenario_overrides(loaded, params, settings)
            apply_overrides(loaded, overrides)  # mistakes show now, before workers start
            folder = checkpoint_folder(out) if checkpoint_every is not None else None
            if folder is not None:
                remove_checkpoint(folder)  # an earlier ensemble's members must never be taken for this one's
                write_record(folder, {"kind": "ensemble", "source": scenario, "out": str(out.resolve()),
                                      "overrides": overrides, "members": members, "seed": seed, "days": days,
                                      "flee_rules": flee_rules.value, "every": checkpoint_every})
                save_pickle(folder / "scenario.pkl", loaded)
        check_out_dir(out)
        kind = (backend.value if backend else None) or ("dask" if scheduler else "processes")
        with get_backend(kind, workers=workers, scheduler=scheduler) as runner, progress_bar(_("members")) as bar:
            task = bar.add_task(loaded.name, total=members)
            result = run_ensemble(
                loaded,
                members,
                seed,
                overrides=overrides,
                days=days,
                backend=runner,
                out_dir=out,
                progress=lambda done, total: bar.update(task, completed=done),
                metadata={"source": scenario, "flee_rules": flee_rules.value},
                checkpoint=folder,
                checkpoint_every=checkpoint_every,
            )
        if folder is not None:
            remove_checkpoint(folder)  # the ensemble is whole on disk
    print_summary(result)
    backend_info = result.metadata["backend"]
    console.print(speaking().n_("{members} members, {days} day, root seed {seed}, {backend} x {workers}, {seconds} s",
                                "{members} members, {days} days, root seed {seed}, {backend} x {workers}, {seconds} s",
                                result.days).format(
        members=result.members, days=result.days, seed=seed, backend=_(BACKENDS.get(backend_info["kind"], backend_info["kind"])),
        workers=backend_info["workers"], seconds=f"{result.metadata['wall_seconds']:.1f}"))
    for path in result.files:
        console.print(_("wrote {path}").format(path=path))
    with user_errors():  # a catalogue problem is only a warning: the results are on disk
        from ..catalogue import register_or_warn

        run_id = register_or_warn(
            "ensemble",
            scenario,
            out,
            seed=seed,
            parameters=overrides,
            metadata={"members": members, "flee_rules": flee_rules.value},
        )
    if run_id:
        console.print(_("catalogued as ensemble {id} ('caravana runs show {id}')").format(id=run_id))


def _check_counts(**values: int | None) -> None:
    # Checked here rather than by typer's min=, so a mistake is one plain error line.
    for name, value in values.items():
        if value is not None and value < 1:
            raise CaravanaError(f"--{name} must be at least 1, got {value}")


# ---------------------------------------------------------------------------- summary


def print_summary(result: EnsembleResult) -> None:
    from ..scenario.names import recorded_key

    speak_about(recorded_key(result.metadata))
    console.print(_arrivals_table(result))
    for line in _unreached(result):
        console.print(line)
    console.print(_headcounts_table(result))
    console.print(_outcomes_table(result))


def _interval(low: float | None, high: float | None, fmt=None, sep: str = " ") -> str:
    from ..i18n import count

    fmt = fmt or count  # the locale's number format (default here: i18n imports Babel)
    if low is None and high is None:
        return ""
    if low == high:  # every member alike: one figure, not "14 oct 2018 – 14 oct 2018"
        return _or_dash(low, fmt)
    return f"{_or_dash(low, fmt)} –{sep}{_or_dash(high, fmt)}"


def _or_dash(value: float | None, fmt) -> str:
    return _("not reached") if value is None else fmt(value)


def _arrivals_table(result: EnsembleResult) -> Table:
    """The arrival days with their years, each row on one line, if the terminal is wide enough; else
    names folding (an 80-column terminal cut "salvadoran-oct…") and the dates without their year when
    it is one (said in the title), or each range on two lines."""
    return fitting(lambda narrow: _arrivals(result, narrow=narrow), console, unwrapped=True)


def _arrival_rows(result: EnsembleResult) -> list[dict]:
    return [r for r in result.outcome_quantiles.to_pylist() if r["outcome"] == "arrival_day"]


def _unreached(result: EnsembleResult) -> list[str]:
    """Per caravan, the places no member reached, in one line: as rows of "not reached" they
    were most of an 80-column terminal's table (a 30-day ensemble of the corridor: 150 lines)."""
    rows = _arrival_rows(result)
    lines = []
    for caravan in dict.fromkeys(r["caravan"] for r in rows if r["caravan"]):
        places = [speaking().place(r["place"]) for r in rows if r["caravan"] == caravan and not r["reached"]]
        if places:
            lines.append(speaking().n_("{caravan}: not reached by any member in {days} day: {places}",
                                       "{caravan}: not reached by any member in {days} days: {places}",
                                       result.days).format(
                caravan=capitalised(speaking().caravan(caravan)), days=result.days, places=", ".join(places)))
    return lines


def _arrivals(result: EnsembleResult, *, narrow: bool) -> Table:
    rows = _arrival_rows(result)
    with_caravans = any(r["caravan"] for r in rows)
    by_caravan = with_caravans and len({r["caravan"] for r in rows}) > 1
    if not with_caravans:  # without caravans every place has a row: show the ones reached last
        rows = sorted((r for r in rows if r["p50"] is not None), key=lambda r: r["p50"])[-15:]
    else:  # the places no member reached are listed under the table (_unreached)
        rows = [r for r in rows if r["reached"]]

    # Folded at 80 columns, a window kept its year twice over two lines ("19 oct 2018 –" / "20 oct 2018"):
    # when the run's days are all in one year, the title says it once and the dates drop it ("19 oct – 20 oct";
    # a window to "not reached" still folds)
    final_day = result.start + dt.timedelta(days=result.days - 1)
    yearless = narrow and result.start.year == final_day.year

    def date(day: float) -> str:  # as the forecast's and the briefing's tables write dates ("14 oct 2018")
        return speaking().date(result.start + dt.timedelta(days=round(day)), year=not yearless)

    if yearless:
        title = (_("first day the caravan's centre reached each place in {year}: median and P5–P95 over {members}")
                 if with_caravans else _("first day anyone reached each place in {year}: median and P5–P95 over "
                                         "{members}"))
    else:
        title = (_("first day the caravan's centre reached each place: median and P5–P95 over {members}")
                 if with_caravans else _("first day anyone reached each place: median and P5–P95 over {members}"))
    members = speaking().n_("{n} member", "{n} members", result.members).format(n=result.members)  # ("de 1 miembro")
    table = Table(title=title.format(members=members, year=result.start.year))
    names = [_("caravan")] if by_caravan else []
    for col in [*names, _("place"), _("median"), "P5–P95" if narrow else "P5 – P95"]:  # (as the title: no fold)
        table.add_column(col, justify="left", overflow="fold")
    table.add_column(_("reached"), justify="right")
    for i, r in enumerate(rows):
        # the caravan's name on its first row only, a line under its last
        first = i == 0 or rows[i - 1]["caravan"] != r["caravan"]
        last = i == len(rows) - 1 or rows[i + 1]["caravan"] != r["caravan"]
        # capitalised, as the run's and the forecast's tables name a caravan at the head of its rows
        cells = [capitalised(speaking().caravan(r["caravan"])) if first else ""] if by_caravan else []
        table.add_row(*cells, speaking().place(r["place"]), _or_dash(r["p50"], date),
                      _interval(r["p5"], r["p95"], date, sep="\n" if narrow and not (yearless and r["p95"] is not None)
                                else " "), f"{r['reached']:.0%}",
                      end_section=by_caravan and last)
    # the place's name wraps; a caravan's too if it has words ("caravana salvadoreña del 28 de octubre"),
    # not an identifier ("salvadoran-oct28"), which would break inside
    words = by_caravan and any(" " in str(cell) for cell in table.columns[0].cells)
    return snug(table, wrapping=(0, 1) if words else (len(names),))


def _headcounts_table(result: EnsembleResult, shown: int = 12) -> Table:
    import numpy as np

    from ..engine.status import STAYING
    from ..ensemble.reduce import summarise
    from ..i18n import count

    staying = [result.statuses.index(s.name.lower()) for s in STAYING]
    at_end = result.counts[:, -1][:, :, staying].sum(axis=2)  # (members, places)
    stats = summarise(at_end)
    order = [p for p in np.argsort(-stats[2], kind="stable") if stats[4, p] > 0][:shown]
    table = Table(title=_("people staying at each place on {date} (resting, waiting, arrived)").format(
        date=speaking().date(result.dates[-1])))
    for i, col in enumerate((_("place"), _("median"), "P5 – P95", _("mean"))):
        table.add_column(col, justify="left" if i == 0 else "right")
    for p in order:
        table.add_row(
            speaking().place(result.places[p]), count(stats[2, p]), _interval(stats[0, p], stats[4, p]), count(stats[5, p])
        )
    return table


def _outcomes_table(result: EnsembleResult) -> Table:
    from ..i18n import count

    table = Table(title=_("everyone by status on {date}").format(date=speaking().date(result.dates[-1])))
    for i, col in enumerate((_("status"), _("median"), "P5 – P95", _("mean"))):
        table.add_column(col, justify="left" if i == 0 else "right")
    for r in result.outcome_quantiles.to_pylist():
        if r["outcome"] == "final_count" and r["p95"]:
            table.add_row(_(r["status"]), count(r["p50"]), _interval(r["p5"], r["p95"]), count(r["mean"]))
    return table
