"""Policy variants: each changes what it says, and bad policy files fail clearly."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from caravana import ScenarioError, load_scenario, run
from caravana.cli import app
from caravana.policies import Policy, PolicySet, compare_policies, indicators, read_policies
from caravana.policies.compare import border_cities
from caravana.scenario.load import builtin_path

POLICIES_2018 = builtin_path("corridor") / "policies_2018.yml"


@pytest.fixture(scope="module")
def corridor():
    # 90 days: the first caravan reaches Tijuana in the third month.
    scenario = load_scenario("corridor")
    return scenario.model_copy(update={"period": scenario.period.model_copy(update={"days": 90})})


@pytest.fixture(scope="module")
def outcomes(corridor):
    return {o.policy.name: o for o in compare_policies(corridor, read_policies(POLICIES_2018), seeds=[0, 1])}


def _events(results, event: str, cause: str | None = None) -> int:
    t = results.tables["events"].to_pydict()
    return sum(c for e, k, c in zip(t["event"], t["cause"], t["count"]) if e == event and cause in (None, k))


def test_border_cities_are_mexican_places_next_to_us_ports(corridor):
    names = {corridor.locations[i].name for i in border_cities(corridor)}
    assert {"Tijuana", "Tijuana El Chaparral", "Mexicali", "Ciudad Juarez"} <= names
    assert not names & {"San Ysidro", "Mexico City", "Tapachula"}


def test_remain_in_mexico_keeps_everyone_who_arrives_waiting_in_mexico(outcomes):
    on, base = outcomes["Remain in Mexico on"], outcomes["baseline"]
    assert base.mean("crossed") > 0
    assert on.mean("crossed") == 0  # hearings come 90 days after arriving, beyond the 90-day run
    assert on.mean("waiting_in_border_cities") > base.mean("waiting_in_border_cities") + base.mean("crossed") / 2


def test_the_checkpoint_line_detains_people_north_of_tapachula(corridor):
    line = read_policies(POLICIES_2018).policies[0]
    for seed in (0, 1):
        results = run(line.apply(corridor), seed=seed)
        assert _events(results, "detained", "checkpoint line north of Tapachula") > 0
        assert _events(run(corridor, seed=seed), "detained", "checkpoint line north of Tapachula") == 0


def test_inm_capacity_scales_the_daily_intake_at_the_bridge(corridor):
    halved, doubled = read_policies(POLICIES_2018).policies[1:3]
    # A bridge that is full every day (the fitted 2018 intake, 877 a day, never is: the queue binds).
    from caravana.scenario.overrides import apply_overrides
    corridor = apply_overrides(corridor, {"corridor.enforcement.checkpoints[Rodolfo Robles bridge].admit_per_day": 100})
    admitted = {
        name: _events(run(policy.apply(corridor), seed=2), "admitted_to_claim")
        for name, policy in (("half", halved), ("base", Policy(name="b")), ("double", doubled))
    }
    assert admitted["half"] < admitted["base"] < admitted["double"]
    bridge = halved.apply(corridor).corridor.enforcement.checkpoints[0]
    assert bridge.admit_per_day == 50 and isinstance(bridge.admit_per_day, int)


def test_every_variant_runs_the_same_seeds_and_baseline_comes_first(corridor, outcomes):
    assert next(iter(outcomes)) == "baseline"
    base = run(corridor, seed=1)
    assert outcomes["baseline"].runs[1] == indicators(base, border_cities(corridor))
    assert all(len(o.runs) == 2 for o in outcomes.values())
    assert np.isfinite(outcomes["baseline"].sd("deaths"))


@pytest.mark.parametrize(
    ("policy", "field"),
    [
        ({"name": "x", "set": {"corridor.papers.nope": 1}}, "corridor.papers.nope"),
        ({"name": "x", "add": {"corridor.papers.asylum.apply_rate": [1]}}, "corridor.papers.asylum.apply_rate"),
        ({"name": "x", "scale": {"corridor.caravans[0].name": 2}}, "corridor.caravans[0].name"),
        ({"name": "x", "set": {"corridor.papers.asylum.apply_rate": 2.0}}, "corridor.papers.asylum.apply_rate"),
    ],
)
def test_a_bad_policy_names_the_setting(corridor, policy, field):
    with pytest.raises(ScenarioError) as err:
        compare_policies(corridor, PolicySet(policies=[Policy(**policy)]), seeds=[0], days=2)
    assert err.value.field == field


def test_cli_compare_prints_the_table_and_refuses_a_bad_file(tmp_path):
    result = CliRunner().invoke(app, ["compare", "corridor", "--seeds", "1", "--days", "10", "--out", str(tmp_path)],
                                env={"COLUMNS": "200"})  # at 80 the variants' names wrap (as they should)
    assert result.exit_code == 0, result.output
    assert "Remain in Mexico on" in result.output
    assert (tmp_path / "policy_comparison.csv").read_text().startswith('"variant","seed"')
    bad = tmp_path / "bad.yml"
    bad.write_text("policies:\n  - name: x\n    sett: {}\n")
    result = CliRunner().invoke(app, ["compare", "corridor", "--policies", str(bad), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "bad.yml" in result.output and "sett" in result.output
    assert not (tmp_path / "o").exists()


def test_cli_compare_shows_every_figure_whole_at_80_columns(tmp_path):
    """An 80-column terminal cut the figures ("5,3…") and the headings ("lle…") (session 20's walk)."""
    import csv

    result = CliRunner().invoke(app, ["compare", "corridor", "--seeds", "1", "--days", "10", "--lang", "es",
                                      "--out", str(tmp_path)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert "…" not in result.output
    assert max(len(line) for line in result.output.splitlines()) <= 80
    words = set(result.output.split())
    with (tmp_path / "policy_comparison.csv").open() as f:
        for row in csv.DictReader(f):  # one seed: each mean is the run's own figure
            for k, v in row.items():
                if k not in ("variant", "seed"):
                    assert f"{float(v):,.0f}" in words, (row["variant"], k, v)


@pytest.mark.parametrize(("lang", "headings", "variant"), [
    ("es", ["llegaron a la frontera", "cruzaron", "en ciudades fronterizas", "detenidos", "fallecidos", "regresaron"],
     "2: línea de retenes al norte de Tapachula"),
    ("en", ["reached the border", "crossed", "in border cities", "detained", "dead", "returned"], "checkpoint line"),
])
def test_cli_compare_names_its_indicators_whole_at_80_columns(tmp_path, lang, headings, variant):
    """The headings were the codes with spaces ("waiting in border cities"), cut inside words at 80
    columns in Spanish ("fronteriz" over "as", "regresaro" over "n"): each indicator has a name."""
    result = CliRunner().invoke(app, ["compare", "corridor", "--seeds", "1", "--days", "3", "--lang", lang],
                                env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    head = lines[lines.index(next(line for line in lines if line.startswith("┏"))) + 1:]
    head = head[:head.index(next(line for line in head if line.startswith("┡")))]
    columns = zip(*(line.split("┃")[2:-1] for line in head))  # the indicators' headings, line by line
    assert [" ".join(" ".join(cell.split()) for cell in column).strip() for column in columns] == headings
    assert variant in result.output
    assert ("1: caso base" if lang == "es" else "│ baseline ") in result.output  # the code's variant, translated
    title = " ".join(" ".join(lines[:lines.index(next(line for line in lines if line.startswith("┏")))]).split())
    # one seed has no spread: its title says so and no "± 0" stands under the figures (session 24's walk)
    assert title.endswith("una corrida por variante (semilla 0)" if lang == "es" else "one run per variant (seed 0)"), title
    assert "±" not in result.output
    for name in headings:  # each named once more with its meaning
        assert any(line.startswith(f"{name}: ") for line in lines), name


def test_cli_compare_gives_the_spread_over_two_seeds_or_more():
    result = CliRunner().invoke(app, ["compare", "corridor", "--seeds", "2", "--days", "3", "--lang", "es"],
                                env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    title = " ".join(" ".join(lines[:lines.index(next(line for line in lines if line.startswith("┏")))]).split())
    assert title.endswith("media ± desviación estándar, semillas 0-1"), title
    assert result.output.count("± ") == 7 * 6 + 1  # each variant's each indicator, and the title


def test_every_builtin_variant_has_its_name_in_both_languages():
    """The built-in set's variant names were shown in English on a Spanish page."""
    from caravana.i18n import language
    from caravana.policies.names import BUILTIN_VARIANTS
    from caravana.scenario.load import BUILTIN_DIR

    names = {p.name for p in read_policies(BUILTIN_DIR / "corridor" / "policies_2018.yml").policies}
    assert names == BUILTIN_VARIANTS
    es = language("es")
    assert all(es._(name) != name for name in names), [n for n in names if es._(n) == n]


def test_a_users_policy_file_keeps_its_variants_names(tmp_path):
    """A user's own file is shown as written, even a variant named as a built-in one."""
    from caravana.scenario.load import BUILTIN_DIR

    own = tmp_path / "mine.yml"
    own.write_text((BUILTIN_DIR / "corridor" / "policies_2018.yml").read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(app, ["compare", "corridor", "--policies", str(own), "--seeds", "1", "--days", "2",
                                      "--lang", "es"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert "2: checkpoint line north of Tapachula" in result.output and "línea de retenes" not in result.output
    assert "1: caso base" in result.output
