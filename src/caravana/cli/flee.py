"""``caravana flee check FOLDER``: what a Flee folder would import as, and what is set aside, before running."""

from __future__ import annotations

import warnings
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ..errors import CaravanaError
from ..i18n import N_
from .common import (
    CommandGroup,
    FleeRules,
    FleeRulesOpt,
    IgnoreUnknownOpt,
    LangOpt,
    _,
    app,
    console,
    in_language,
    use_language,
    user_errors,
)

flee_app = typer.Typer(no_args_is_help=True, cls=CommandGroup, help=N_("Flee input folders: check what caravana reads from them."))
app.add_typer(flee_app, name="flee")


@flee_app.command(help=N_("Read a Flee folder without running it: what would be imported, what is ignored and why."))
def check(
    folder: Annotated[Path, typer.Argument(help=N_("A Flee input folder (input_csv/, source_data/, simsetting.yml)."))],
    flee_rules: FleeRulesOpt = FleeRules.v31,
    ignore_unknown_settings: IgnoreUnknownOpt = False,
    lang: LangOpt = None,
) -> None:
    from ..flee.importer import read_flee_folder_report

    with user_errors(), warnings.catch_warnings(record=True) as caught:
        t = use_language(lang)
        warnings.simplefilter("always")
        if not (folder / "input_csv").is_dir():
            raise CaravanaError(f"{folder}: not a Flee folder (input_csv/ is missing)")
        scenario, report = read_flee_folder_report(folder, flee_rules.value, ignore_unknown_settings)
    kinds = Counter(loc.type.value for loc in scenario.locations)
    line = lambda label, text: console.print(f"  {_(label):<11} {text}")  # noqa: E731  (one aligned line)
    console.print(_("[bold]{folder}[/bold] imports (rules: Flee {rules}):").format(folder=escape(str(folder)), rules=flee_rules.value),
                  markup=True)
    line(N_("period"), t.n_("{start} + {days} day", "{start} + {days} days", scenario.period.days).format(
        start=t.date(scenario.period.start), days=t.number(scenario.period.days)))
    line(N_("locations"), ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))
    line(N_("routes"), _("{routes}; closures {closures}; conflict changes {conflicts}").format(
        routes=len(scenario.routes), closures=len(scenario.closures), conflicts=len(scenario.conflicts)))
    spawning = scenario.settings.spawning
    if spawning.conflict_driven is not None:
        rule = spawning.conflict_driven
        line(N_("spawning"), _("by conflicts themselves ({mode}, {per_day} per conflict day); count files used for "
                               "comparison only").format(mode=rule.spawn_mode, per_day=f"{rule.displaced_per_conflict_day:g}"))
    else:
        source = _("sum of camp counts") if spawning.sum_from_camps else _("'total' count file")
        line(N_("spawning"), _("daily rise of the {source} ({n} points)").format(source=source, n=len(scenario.spawning.totals)))
    line(N_("observed"), _("{n} places with counts: {places}").format(n=len(scenario.observations),
                                                                      places=", ".join(sorted(scenario.observations))))
    if report.used:
        line(N_("settings"), ", ".join(f"{k}={v}" for k, v in report.used.items()))
    notes = [(k, in_language(why)) for k, why in report.ignored.items()]
    notes += [(k, _("NOT IMPLEMENTED, ignored on request: {why}").format(why=in_language(why)))
              for k, why in report.refused.items()]
    notes += [("", in_language(str(w.message))) for w in caught if "ignored on request" not in str(w.message)
              and "setting '" not in str(w.message)]
    if notes:
        console.print(_("[bold]set aside[/bold] (changes nothing in a Flee 3.1 run unless marked NOT IMPLEMENTED):"),
                      markup=True)
        for key, why in notes:
            console.print(f"  - {key + ': ' if key else ''}{why}", highlight=False)
    else:
        console.print(_("nothing set aside"))
