"""``caravana run | validate | scenarios``: one scenario, its summary, Flee's error table."""

# No `from __future__ import annotations` here: Typer reads each command's annotations twice (the
# signature, then the type hints), compiling and evaluating every one from its string when they
# are strings; as objects there is nothing to compile. A name imported only for type checking is quoted.

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
    ScenarioArg,
    SetOpt,
    _,
    app,
    console,
    run_with_progress,
    scenario_overrides,
    speak_about,
    speaking,
    use_language,
    user_errors,
)

if TYPE_CHECKING:  # imported where used, so that `caravana --help` starts at once

    from ..scenario.schema import Scenario


RUN_HELP = N_(
    "Run one scenario and write per-place daily counts and run metadata.\n\n"
    "Writes (in --out, each as Parquet and CSV): counts (people per day, place and status) and each behaviour's "
    "tables (corridor: needs, caravans, caravan_origins, caravan_arrivals, events), then world.json (places, routes, "
    "roads) and metadata.json. A row in the results catalogue records the run."
)


@app.command(help=RUN_HELP)
def run(
    scenario: OptionalScenarioArg = None,
    seed: Annotated[int | None, typer.Option(help=N_("Random seed (default: the scenario's)."))] = None,
    days: Annotated[int | None, typer.Option(min=1, help=N_("Days to simulate (default: the scenario's period)."))] = None,
    out: Annotated[Path, typer.Option(help=N_("Folder for counts.parquet, counts.csv, metadata.json."))] = Path("out"),
    flee_rules: FleeRulesOpt = FleeRules.v31,
    ignore_unknown_settings: IgnoreUnknownOpt = False,
    settings: SetOpt = None,
    params: ParamsOpt = None,
    checkpoint_every: CheckpointOpt = None,
    resume: ResumeOpt = None,
    lang: LangOpt = None,
) -> None:
    from ..catalogue import register_or_warn
    from ..checkpoint import STATE, checkpoint_folder, read_record, resume_simulation, write_record
    from ..checkpoint import remove as remove_checkpoint
    from ..results.io import check_run_folder, write_results
    from ..scenario.load import load_scenario
    from ..scenario.overrides import apply_overrides
    from .probes import kernels_for

    with user_errors():
        use_language(lang)
        if resume is not None:
            if scenario is not None:
                raise CaravanaError("give a scenario or --resume, not both (the checkpoint holds the scenario)")
            folder, record = read_record(resume, "run")
            kernels_for(None)
            sim = resume_simulation(folder)
            scenario, out, overrides = record["source"], Path(record["out"]), record["overrides"]
            flee_rules = FleeRules(record["flee_rules"])
            checkpoint_every = checkpoint_every or record["every"]
            loaded = sim.scenario
        else:
            if scenario is None:
                raise CaravanaError("give a scenario to run (or --resume DIR)")
            base = load_scenario(scenario, flee_rules=flee_rules.value, ignore_unknown_settings=ignore_unknown_settings)
            overrides = scenario_overrides(base, params, settings)
            loaded = apply_overrides(base, overrides)
            kernels_for(loaded)  # before the engine's kernels are imported (caravana.cli.probes)
            from ..model import simulation

            sim = simulation(loaded, seed=seed, days=days)
            folder = checkpoint_folder(out)
            if checkpoint_every is not None:
                remove_checkpoint(folder)  # an earlier run's state must never be resumed as this one's
                write_record(folder, {"kind": "run", "source": scenario, "out": str(out.resolve()), "overrides": overrides,
                                      "flee_rules": flee_rules.value, "every": checkpoint_every})
        check_run_folder(out)  # before the run: writing replaces the folder
        results = run_with_progress(sim, loaded.name, checkpoint_every, folder / STATE)
        flee_out = None
        if loaded.observations:  # Flee's out.csv, inside the folder's one atomic write
            from ..flee.outcsv import write_flee_out_csv

            flee_out = lambda folder: [write_flee_out_csv(results, loaded, folder / "out.csv")]  # noqa: E731
        written = write_results(results, out, also=flee_out)
        if checkpoint_every is not None:
            remove_checkpoint(folder)  # the results are whole on disk
    from ..scenario.names import names_key

    speak_about(names_key(loaded.name, loaded.builtin))
    if "caravans" in results.tables:
        _print_caravan_summary(results)
    else:
        _print_summary(results, loaded)
    console.print(speaking().n_("{people} people, {days} day, seed {seed}, {seconds} s",
                                "{people} people, {days} days, seed {seed}, {seconds} s", results.days).format(
        people=f"{results.metadata['people']:,}", days=results.days, seed=results.metadata["seed"],
        seconds=f"{results.metadata['wall_seconds']:.2f}"))
    for path in written:
        console.print(_("wrote {path}").format(path=path))
    with user_errors():  # a catalogue problem is only a warning: the results are on disk
        run_id = register_or_warn("run", scenario, out, seed=results.metadata["seed"], parameters=overrides,
                                  metadata={"flee_rules": flee_rules.value})
    if run_id:
        console.print(_("catalogued as run {id} ('caravana runs show {id}')").format(id=run_id))


def _print_summary(results, scenario: "Scenario") -> None:
    import numpy as np

    from ..engine.status import STATUS_NAMES
    from ..flee.validation import validate_results

    final = results.counts[-1]
    table = Table(title=_("{scenario}: end of {date}").format(scenario=scenario.name, date=results.dates[-1]))
    table.add_column(_("place"))
    for name in STATUS_NAMES:
        if final[:, STATUS_NAMES.index(name)].any():
            table.add_column(_(name), justify="right")
    shown_status = [i for i in range(len(STATUS_NAMES)) if final[:, i].any()]
    order = np.argsort(-final.sum(axis=1))
    for place in order[:15]:
        if final[place].sum() == 0:
            break
        table.add_row(speaking().place(results.places[place]), *(f"{final[place, s]:,}" for s in shown_status))
    console.print(table)
    if scenario.observations:
        v = validate_results(results, scenario)
        console.print(_("Flee error against observations: ARD {ard}, rescaled {rescaled}").format(
            ard=f"{v['ard']:.3f}", rescaled=f"{v['ard_rescaled']:.3f}"))


def _print_caravan_summary(results) -> None:
    """Where each caravan is each day, when it reached each place, and outcomes."""
    log = results.tables["caravans"].to_pylist()
    for caravan in dict.fromkeys(row["caravan"] for row in log):
        rows = [r for r in log if r["caravan"] == caravan and r["centre_place"] is not None]
        # One row per move of the centre to a new place, and the last day.
        shown = [r for i, r in enumerate(rows) if i == 0 or r["centre_place"] != rows[i - 1]["centre_place"]]
        if rows and shown[-1] is not rows[-1]:
            shown.append(rows[-1])
        name = capitalised(speaking().caravan(caravan))
        if not shown:  # a run that ends before it leaves: one line, not a table without rows
            console.print(speaking().n_("{caravan}: not on the road in this run's {days} day",
                                        "{caravan}: not on the road in this run's {days} days",
                                        results.days).format(caravan=name, days=results.days))
            continue
        title = _("{caravan}: where the centre of the column is, day by day")
        table = Table(title=title.format(caravan=name))
        for i, col in enumerate((_("date"), _("centre at"), _("with the caravan"), _("arrived"), _("column km"))):
            table.add_column(col, justify="left" if i < 2 else "right")
        for r in shown:
            table.add_row(speaking().date(r["date"]), speaking().place(r["centre_place"]), f"{r['size']:,}",
                          f"{r['arrived']:,}", f"{r['length_km']:.0f}")
        console.print(table)
    final = results.totals_by_status()[-1]
    console.print(_("outcomes at the end: ") + ", ".join(f"{_(name)} {int(n):,}" for name, n in zip(results.statuses, final) if n))


@app.command(help=N_("Run a scenario with observations over several seeds and print Flee's error table."))
def validate(
    folder: ScenarioArg,
    seeds: Annotated[int, typer.Option(min=1, help=N_("Number of seeds to run."))] = 3,
    seed: Annotated[int, typer.Option(help=N_("First seed."))] = 0,
    days: Annotated[int | None, typer.Option(min=1)] = None,
    flee_rules: FleeRulesOpt = FleeRules.v31,
    ignore_unknown_settings: IgnoreUnknownOpt = False,
    lang: LangOpt = None,
) -> None:
    import numpy as np

    from ..flee.validation import validate_results
    from ..scenario.load import load_scenario
    from .probes import kernels_for

    with user_errors():
        use_language(lang)
        loaded = load_scenario(folder, flee_rules=flee_rules.value, ignore_unknown_settings=ignore_unknown_settings)
        if not loaded.observations:
            raise CaravanaError(f"{folder}: the scenario has no observations to validate against")
        kernels_for(loaded)  # before the engine's kernels are imported (caravana.cli.probes)
        from ..model import simulation

        reports = []
        for s in range(seed, seed + seeds):
            sim = simulation(loaded, seed=s, days=days)
            reports.append(validate_results(run_with_progress(sim, _("run with seed {seed}").format(seed=s)), loaded))
    table = Table(title=_("{scenario}: averaged relative difference (Flee's definition), {n} seeds").format(
        scenario=loaded.name, n=seeds))
    for column in (_("seed"), "ARD", _("ARD rescaled")):
        table.add_column(column, justify="right")
    for s, r in zip(range(seed, seed + seeds), reports):
        table.add_row(str(s), f"{r['ard']:.4f}", f"{r['ard_rescaled']:.4f}")
    ard = np.array([r["ard"] for r in reports])
    resc = np.array([r["ard_rescaled"] for r in reports])
    table.add_row(_("mean ± sd"), f"{ard.mean():.4f} ± {ard.std(ddof=1) if seeds > 1 else 0:.4f}",
                  f"{resc.mean():.4f} ± {resc.std(ddof=1) if seeds > 1 else 0:.4f}")
    console.print(table)
    camps = Table(title=_("per camp (first seed): final simulated vs observed"))
    for i, col in enumerate((_("camp"), _("simulated"), _("observed"), _("mean relative error"))):
        camps.add_column(col, justify="left" if i == 0 else "right")
    for camp, c in reports[0]["camps"].items():
        camps.add_row(camp, f"{c['final_simulated']:,}", f"{c['final_observed']:,}", f"{c['mean_relative_error']:.3f}")
    console.print(camps)


@app.command(help=N_("List the built-in scenarios."))
def scenarios() -> None:
    from ..scenario.load import builtin_names

    for name in builtin_names():
        console.print(name)
