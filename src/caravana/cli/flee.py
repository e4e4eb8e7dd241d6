"""``caravana flee check FOLDER``: what a Flee folder would import as, and what is set aside, before running."""

from __future__ import annotations

import warnings
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from ..errors import CaravanaError
from .common import FleeRules, FleeRulesOpt, IgnoreUnknownOpt, app, console, user_errors

flee_app = typer.Typer(no_args_is_help=True, help="Flee input folders: check what caravana reads from them.")
app.add_typer(flee_app, name="flee")


@flee_app.command()
def check(
    folder: Annotated[Path, typer.Argument(help="A Flee input folder (input_csv/, source_data/, simsetting.yml).")],
    flee_rules: FleeRulesOpt = FleeRules.v31,
    ignore_unknown_settings: IgnoreUnknownOpt = False,
) -> None:
    """Read a Flee folder without running it: what would be imported, what is ignored and why."""
    from ..flee.importer import read_flee_folder_report

    with user_errors(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if not (folder / "input_csv").is_dir():
            raise CaravanaError(f"{folder}: not a Flee folder (input_csv/ is missing)")
        scenario, report = read_flee_folder_report(folder, flee_rules.value, ignore_unknown_settings)
    kinds = Counter(loc.type.value for loc in scenario.locations)
    console.print(f"[bold]{folder}[/bold] imports (rules: Flee {flee_rules.value}):")
    console.print(f"  period      {scenario.period.start} + {scenario.period.days} days")
    console.print("  locations   " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))
    console.print(f"  routes      {len(scenario.routes)}; closures {len(scenario.closures)}; "
                  f"conflict changes {len(scenario.conflicts)}")
    spawning = scenario.settings.spawning
    if spawning.conflict_driven is not None:
        rule = spawning.conflict_driven
        console.print(f"  spawning    by conflicts themselves ({rule.spawn_mode}, "
                      f"{rule.displaced_per_conflict_day:g} per conflict day); count files used for comparison only")
    else:
        source = "sum of camp counts" if spawning.sum_from_camps else "'total' count file"
        console.print(f"  spawning    daily rise of the {source} ({len(scenario.spawning.totals)} points)")
    console.print(f"  observed    {len(scenario.observations)} places with counts: {', '.join(sorted(scenario.observations))}")
    if report.used:
        console.print("  settings    " + ", ".join(f"{k}={v}" for k, v in report.used.items()))
    notes = [(k, why) for k, why in report.ignored.items()]
    notes += [(k, f"NOT IMPLEMENTED, ignored on request: {why}") for k, why in report.refused.items()]
    notes += [("", str(w.message)) for w in caught if "ignored on request" not in str(w.message)
              and "setting '" not in str(w.message)]
    if notes:
        console.print("[bold]set aside[/bold] (changes nothing in a Flee 3.1 run unless marked NOT IMPLEMENTED):")
        for key, why in notes:
            console.print(f"  - {key + ': ' if key else ''}{why}", markup=False, highlight=False)
    else:
        console.print("nothing set aside")
