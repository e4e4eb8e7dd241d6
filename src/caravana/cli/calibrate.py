"""``caravana calibrate``: fit scenario parameters to observations, then score the fit
on the fitted and the held-back observations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from ..errors import CaravanaError
from ..i18n import N_
from .common import (
    FleeRules,
    FleeRulesOpt,
    IgnoreUnknownOpt,
    LangOpt,
    ScenarioArg,
    _,
    app,
    console,
    progress_bar,
    require,
    use_language,
    user_errors,
)
from .ensemble import BackendKind

if TYPE_CHECKING:  # imported where used, so that `caravana --help` starts at once
    from ..calibrate import CalibrationResult
    with user_errors():
        require("calibrate", "optuna")
    from ..observations import Observations


CALIBRATE_COMMAND_HELP = N_(
    "Fit parameters to observations (Optuna TPE) and print the error before and after.\n\n"
    "Writes (in --out): fitted.json (the fitted values, for --params), trials and errors (Parquet and CSV)."
)


@app.command(name="calibrate", help=CALIBRATE_COMMAND_HELP)
def calibrate_command(
    scenario: ScenarioArg,
    params: Annotated[Path, typer.Option(help=N_("Parameters YAML: path, low, high, prior, integer per entry."))],
    out: Annotated[Path, typer.Option(help=N_("Folder for fitted.json, trials and errors (Parquet and CSV)."))],
    observations: Annotated[
        Path | None,
        typer.Option(help=N_("Observations CSV (docs/observations.md); default: a Flee scenario's own camp counts.")),
    ] = None,
    trials: Annotated[int, typer.Option(help=N_("Parameter sets to try."))] = 50,
    fit_until: Annotated[
        str | None, typer.Option(help=N_("Fit to observations up to this date (YYYY-MM-DD); score the rest as held back."))
    ] = None,
    seeds: Annotated[int, typer.Option(help=N_("Seeds per trial (the loss is their mean)."))] = 2,
    eval_seeds: Annotated[int | None, typer.Option(help=N_("Fresh seeds for the before/after scores (default: max(seeds, 4))."))] = None,
    seed: Annotated[int | None, typer.Option(help=N_("Seed of the sampler and of the run seeds (default: the scenario's)."))] = None,
    batch: Annotated[int, typer.Option(help=N_("Trials sampled and run together."))] = 4,
    workers: Annotated[int | None, typer.Option(help=N_("Worker processes (default: all cores)."))] = None,
    backend: Annotated[BackendKind | None, typer.Option(help=N_("Where runs go (default: processes, or dask with --scheduler)."))] = None,
    scheduler: Annotated[str | None, typer.Option(help=N_("Dask scheduler address, e.g. tcp://host:8786."))] = None,
    flee_rules: FleeRulesOpt = FleeRules.v31,
    ignore_unknown_settings: IgnoreUnknownOpt = False,
    lang: LangOpt = None,
) -> None:
    from ..calibrate import calibrate, read_params, write_calibration
    from ..calibrate.params import check_params
    from ..ensemble import get_backend
    from ..scenario.load import load_scenario

    with user_errors():
        use_language(lang)
        for name, value in (("trials", trials), ("seeds", seeds), ("batch", batch), ("eval-seeds", eval_seeds or 1)):
            if value < 1:
                raise CaravanaError(f"--{name} must be at least 1, got {value}")
        last_fitted = _date(fit_until)
        loaded = load_scenario(scenario, flee_rules=flee_rules.value, ignore_unknown_settings=ignore_unknown_settings)
        obs = _observations(observations, loaded)
        specs = read_params(params)
        check_params(specs, loaded)
        if last_fitted is not None and not len(obs.split(last_fitted)[0]):
            raise CaravanaError(f"no observations dated up to {last_fitted} to fit to (--fit-until)")
        if out.exists() and not out.is_dir():
            raise CaravanaError(f"--out {out} is a file, not a folder")
        kind = (backend.value if backend else None) or ("dask" if scheduler else "processes")
        with get_backend(kind, workers=workers, scheduler=scheduler) as runner, progress_bar(_("trials")) as bar:
            task = bar.add_task(_("calibrating {scenario}").format(scenario=loaded.name), total=trials)
            result = calibrate(
                loaded, obs, specs, trials=trials, seeds=seeds, fit_until=last_fitted, seed=seed, batch=batch,
                eval_seeds=eval_seeds, backend=runner,
                progress=lambda done, total: bar.update(task, completed=done),
            )
        written = write_calibration(result, out)
    print_calibration(result)
    for path in written:
        console.print(_("wrote {path}").format(path=path))


def _observations(path: Path | None, scenario) -> Observations:
    from ..observations import camp_observations, read_observations

    if path is not None:
        return read_observations(path).check_against(scenario)
    if not scenario.observations:
        raise CaravanaError(f"--observations is needed: scenario {scenario.name} has no observations of its own")
    return camp_observations(scenario)


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CaravanaError(f"--fit-until: '{text}' is not a date (YYYY-MM-DD)") from None


def print_calibration(result: CalibrationResult) -> None:
    """The fitted values with their spread, and the loss before and after on each part."""
    given = result.evaluation("given").values
    table = Table(title=_("{scenario}: fitted parameters (best of {n} trials; spread: the best {best} trials)").format(
        scenario=result.scenario, n=len(result.trials), best=next(iter(result.spread.values()))["trials"]))
    for i, column in enumerate((_("parameter"), _("prior"), _("scenario"), _("fitted"), _("spread"))):
        table.add_column(column, justify="left" if i == 0 else "right")
    for spec in result.params:
        spread = result.spread[spec.path]
        scale = " log" if spec.is_log else ""
        table.add_row(spec.label, f"{spec.low:g}-{spec.high:g}{scale}", f"{given[spec.path]:.4g}",
                      f"{result.fitted[spec.path]:.4g}", f"{spread['low']:.4g}-{spread['high']:.4g}")
    console.print(table)
    losses = Table(title=_("loss on fresh seeds (mean ± sd): lower is better"))
    losses.add_column(_("parameters"))
    parts = [p for p in ("fitted", "held back") if p in result.evaluations[0].loss]
    part_names = {"fitted": _("fitted"), "held back": _("held back")}
    for part in parts:
        losses.add_column(_("{part} ({n} obs)").format(part=part_names[part], n=result.settings[_count_key(part)]),
                          justify="right")
    for e in result.evaluations:
        losses.add_row(e.name, *(f"{e.loss[p]:.3f} ± {e.loss_sd[p]:.3f}" for p in parts))
    console.print(losses)


def _count_key(part: str) -> str:
    return "fitted_observations" if part == "fitted" else "held_back_observations"
