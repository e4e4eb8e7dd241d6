"""MAP fits and fit plans (caravana.calibrate.priors): the penalty's arithmetic, a plan's
fixed settings and priors, its errors, and a MAP fit pulled toward its prior."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from caravana import ScenarioError, load_scenario
from caravana.calibrate import ParamSpec, calibrate, read_params, trials_table
from caravana.calibrate.output import summary
from caravana.calibrate.priors import LAPLACE_SCALE, penalty, prior_median, prior_sd, read_plan, z_score

from .test_calibrate import MOVECHANCE, PARAMS, TRUE_MOVECHANCE, synthetic_observations, tiny, write_params  # noqa: F401


def spec(**kw) -> ParamSpec:
    return ParamSpec.model_validate({"path": "x", "low": 1.0, "high": 100.0, "prior": "loguniform"} | kw)


def test_the_default_prior_puts_the_bounds_two_sd_from_the_middle():
    s = spec()
    assert prior_median(s) == pytest.approx(10.0)
    assert z_score(s, 1.0) == pytest.approx(-2.0) and z_score(s, 100.0) == pytest.approx(2.0)
    linear = ParamSpec(path="y", low=0.0, high=8.0)
    assert prior_median(linear) == 4.0 and prior_sd(linear) == 2.0 and z_score(linear, 6.0) == 1.0


def test_a_given_prior_and_the_penalty_scale():
    s = spec(median=20.0, sd=0.5)
    assert z_score(s, 20.0) == 0.0
    assert z_score(s, 20.0 * math.e) == pytest.approx(2.0)
    # b sum(z^2) / (2 n): two sd off on 10 observations
    assert penalty([s], {"x": 20.0 * math.e}, 10) == pytest.approx(LAPLACE_SCALE * 4 / 20)
    assert penalty([s], {"x": 20.0}, 10) == 0.0
    with pytest.raises(ValueError):
        penalty([s], {"x": 20.0}, 0)
    with pytest.raises(ValueError, match="median"):
        spec(median=500.0)


PLAN_PARAMS = """\
- {path: a, low: 1, high: 100, prior: loguniform}
- {path: b, low: 0, high: 10}
- {path: c, low: 1, high: 9, integer: true}
"""


def test_a_plan_fixes_some_parameters_and_sets_the_priors_of_others(tmp_path):
    specs = read_params(write_params(tmp_path, PLAN_PARAMS))
    plan_file = tmp_path / "plan.yml"
    plan_file.write_text(
        "fixed:\n  - {path: c, value: 4.4, source: another caravan}\n"
        "priors:\n  - {path: a, median: 30, sd: 0.3, source: a general fact}\n", encoding="utf-8")
    free, fixed = read_plan(plan_file).apply(specs)
    assert fixed == {"c": 4}  # cast like the parameter (an integer)
    assert [s.path for s in free] == ["a", "b"]
    assert free[0].median == 30 and free[0].sd == 0.3 and free[0].source == "a general fact"
    assert free[1].median is None and prior_median(free[1]) == 5.0


@pytest.mark.parametrize("text, row, field, words", [
    ("fixed:\n  - {path: c, value: 4}\n", 2, "source", "missing"),
    ("fixed:\n  - {path: nope, value: 4, source: s}\n", 2, "path", "not a parameter"),
    ("priors:\n  - {path: a, median: 500, sd: 0.3, source: s}\n", 2, "median", "within"),
    ("priors:\n  - {path: a, median: 5, sd: 0, source: s}\n", 2, "sd", ""),
    ("fixed:\n  - {path: a, value: 4, source: s}\npriors:\n  - {path: a, median: 5, sd: 1, source: s}\n", 4, "path", "twice"),
    ("other: []\n", None, None, "expected a mapping"),
])
def test_bad_plans_name_file_row_and_field(tmp_path, text, row, field, words):
    specs = read_params(write_params(tmp_path, PLAN_PARAMS))
    plan_file = tmp_path / "plan.yml"
    plan_file.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        read_plan(plan_file).apply(specs)
    assert err.value.file is not None and str(plan_file) in str(err.value.file)
    assert err.value.row == row and err.value.field == field and words in err.value.message


def test_a_map_fit_is_pulled_toward_a_tight_prior(tiny, tmp_path):  # noqa: F811
    """With a tight prior far from the truth, the MAP fit stays near the prior's median
    while the plain fit finds the truth; the search minimised the loss plus the penalty."""
    scenario = load_scenario(tiny)
    observations = synthetic_observations(scenario)
    specs = read_params(write_params(tmp_path, PARAMS))
    tight = [s.model_copy(update={"median": 0.7, "sd": 0.05}) for s in specs]
    until = dt.date(2020, 1, 11)
    plain = calibrate(scenario, observations, tight, trials=16, seeds=1, fit_until=until, seed=7)
    mapped = calibrate(scenario, observations, tight, trials=16, seeds=1, fit_until=until, seed=7, map_prior=True)
    assert abs(plain.fitted[MOVECHANCE] - TRUE_MOVECHANCE) < abs(mapped.fitted[MOVECHANCE] - TRUE_MOVECHANCE)
    assert mapped.fitted[MOVECHANCE] > 0.5
    table = trials_table(mapped).to_pylist()
    n = len(observations.split(until)[0])
    for row in table:
        assert row["loss"] == pytest.approx(row["fit_loss"] + penalty(tight, {MOVECHANCE: row[MOVECHANCE]}, n))
    assert all(t.penalty == 0.0 for t in plain.trials)
    best = summary(mapped)["best_trial"]  # the written summary keeps the loss and the penalty apart
    assert best["fit_loss"] == pytest.approx(mapped.best.fit_loss)
    assert best["penalty"] == pytest.approx(mapped.best.penalty) and best["penalty"] > 0
