"""``caravana compare``: a scenario under policy variants, side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..errors import CaravanaError
from ..i18n import N_
from .common import LangOpt, ScenarioArg, _, app, console, progress_bar, use_language, user_errors
from .tables import fitting, snug


def _default_policies(scenario: str) -> Path:
    from ..scenario.load import builtin_path

    folder = builtin_path(scenario)
    if folder is not None and (folder / "policies_2018.yml").exists():
        return folder / "policies_2018.yml"
    raise CaravanaError(f"{scenario}: no bundled policy set; give one with --policies FILE")


@app.command(help=N_("Run the baseline and each policy variant over the same seeds; print the indicators."))
def compare(
    scenario: ScenarioArg,
    policies: Annotated[Path | None, typer.Option(help=N_("Policy set YAML (default: the built-in corridor's 2018 set)."))] = None,
    seeds: Annotated[int, typer.Option(min=1, help=N_("Seeds per variant (the same seeds for every variant)."))] = 5,
    seed: Annotated[int, typer.Option(help=N_("First seed."))] = 0,
    days: Annotated[int | None, typer.Option(min=1, help=N_("Days to simulate (default: the scenario's period)."))] = None,
    out: Annotated[Path | None, typer.Option(help=N_("Write policy_comparison.csv (one row per variant and seed)."))] = None,
    lang: LangOpt = None,
) -> None:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from ..policies import compare_policies, read_policies
    from ..policies.compare import BASELINE, INDICATORS
    from ..policies.names import BUILTIN_VARIANTS
    from ..results.io import atomic_write
    from ..scenario.load import is_builtin_file, load_scenario

    with user_errors():
        use_language(lang)
        loaded = load_scenario(scenario)
        policy_file = policies if policies is not None else _default_policies(scenario)
        policy_set = read_policies(policy_file)
        seed_list = list(range(seed, seed + seeds))
        with progress_bar(_("runs")) as bar:
            task = bar.add_task(_("policies"), total=(len(policy_set.policies) + 1) * seeds)
            outcomes = compare_policies(
                loaded, policy_set, seed_list, days=days, progress=lambda done, total: bar.update(task, completed=done)
            )
    spread = seeds > 1  # one seed has no spread: "± 0" under every figure said nothing true
    title = (_("{scenario}: policy comparison, mean ± sd over seeds {first}-{last}") if spread else
             _("{scenario}: policy comparison, one run per variant (seed {first})")).format(
        scenario=loaded.name, first=seed_list[0], last=seed_list[-1])

    translated = {BASELINE} | (BUILTIN_VARIANTS if is_builtin_file(policy_file) else set())

    def shown(outcome) -> str:  # a user's policy file's names as written; the package's in the reader's language
        return _(outcome.policy.name) if outcome.policy.name in translated else outcome.policy.name

    def build(numbered: bool) -> Table:
        """Each figure "mean" over "± sd" (one seed: the run's figure alone), headings wrapped at spaces;
        the variants by name, or (a narrow terminal, where their names left no room for whole headings)
        by number."""
        table = Table(title=title)
        table.add_column("#" if numbered else _("variant"), justify="right" if numbered else "left")
        for indicator in INDICATORS.values():
            table.add_column(_(indicator.name), justify="right")
        for number, outcome in enumerate(outcomes, start=1):
            table.add_row(str(number) if numbered else shown(outcome),
                          *(f"{outcome.mean(k):,.0f}" + (f"\n± {outcome.sd(k):,.0f}" if spread else "")
                            for k in INDICATORS))
        return snug(table)

    table = fitting(build, console)
    console.print(table)
    if table.columns[0].header == "#":
        for number, outcome in enumerate(outcomes, start=1):
            console.print(f"{number}: {shown(outcome)}")
    for indicator in INDICATORS.values():
        console.print(f"{_(indicator.name)}: {_(indicator.meaning)}", style="dim")
    if out is not None:
        rows = [
            {"variant": o.policy.name, "seed": s, **run} for o in outcomes for s, run in zip(seed_list, o.runs)
        ]
        path = out / "policy_comparison.csv"
        atomic_write(path, lambda tmp: pacsv.write_csv(pa.Table.from_pylist(rows), tmp))
        console.print(_("wrote {path}").format(path=path))
