"""A single run is an ensemble of one: its band, computed in one place, is what the
ensemble statistics give for one member."""

from __future__ import annotations

import numpy as np

from caravana.results.bands import STAT_COLUMNS, one_run, summarise


def test_a_runs_band_is_the_statistics_of_an_ensemble_of_one():
    values = np.random.default_rng(4).integers(0, 900, size=(30, 12)).astype(float)
    values[3, 4] = np.nan  # e.g. a caravan not formed yet
    band = one_run(values)
    assert band.shape == (len(STAT_COLUMNS), *values.shape)
    assert np.array_equal(band, summarise(values[None], skip_nan=True), equal_nan=True)
    assert not band.flags.writeable  # a view of the run's values, not six copies


def test_summarise_orders_the_quantiles():
    stats = summarise(np.random.default_rng(5).normal(size=(50, 7)))
    assert (np.diff(stats[:5], axis=0) >= 0).all()


# ---------------------------------------------------------------- weighted bands (a forecast's posterior)

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from caravana.results.bands import QUANTILES, member_median, member_share, weighted_quantiles  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 25), st.integers(1, 6), st.integers(0, 2**32 - 1), st.booleans(), st.booleans())
def test_weighted_quantiles_are_numpys_weighted_quantiles_cell_by_cell(members, cells, seed, ties, missing):
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 4, size=(members, cells)).astype(float) if ties else rng.normal(size=(members, cells))
    values[rng.random(values.shape) < 0.1] = np.inf  # "never", as an arrival day
    if missing:  # a NaN makes NumPy's whole cell NaN, whatever its weight
        values[rng.random(values.shape) < 0.05] = np.nan
    weights = rng.random(members) * (rng.random(members) < 0.7)
    if not weights.sum() > 0:
        weights[0] = 1.0
    found = weighted_quantiles(values, weights)
    for c in range(cells):
        expected = np.quantile(values[:, c], QUANTILES, method="inverted_cdf", weights=weights)
        np.testing.assert_array_equal(found[:, c], expected)  # NaN equals NaN here


def test_weighted_summary_skips_missing_values_and_members_without_weight():
    values = np.array([[1.0, np.nan, np.nan], [2.0, 5.0, np.nan], [3.0, np.nan, 7.0]])
    weights = np.array([0.2, 0.5, 0.0])
    stats = summarise(values, skip_nan=True, weights=weights)
    # cumulative weight 2/7 at 1 (reaches P5 and P25), 1 at 2
    assert stats[:, 0].tolist() == [1.0, 1.0, 2.0, 2.0, 2.0, (0.2 * 1 + 0.5 * 2) / 0.7]
    assert stats[:, 1].tolist() == [5.0] * 6  # the one member with a value
    assert np.isnan(stats[:, 2]).all()  # its only value weighs nothing
    assert member_median(values[:, 0], weights) == 2.0 and member_median(values[:, 0]) == 2.0
    assert member_share(np.array([True, False, True]), weights / weights.sum()) == 1  # 3 x 0.2/0.7 = 0.86
    assert member_share(np.array([True, False, True])) == 2


def test_a_weighted_share_is_never_said_as_none_or_all_when_it_is_not():
    happened = np.zeros(200, dtype=bool)
    happened[0] = True
    small = np.full(200, 1.0)
    small[0] = 0.01  # 0.01 / 199.01 of the weight: 0.01 of 200 members
    assert member_share(happened, small / small.sum()) == 1
    assert member_share(~happened, small / small.sum()) == 199
    nothing = np.full(200, 1.0)
    nothing[0] = 0.0  # weighs nothing: none, and the others all
    assert member_share(happened, nothing / nothing.sum()) == 0
    assert member_share(~happened, nothing / nothing.sum()) == 200


def test_an_unweighted_summary_is_unchanged_by_the_weighted_path():
    """Ensembles (no weights) keep NumPy's linear quantiles bit for bit; equal weights give
    the weighted rule (a value some member had), which is another rule."""
    values = np.random.default_rng(6).integers(0, 50, size=(9, 40)).astype(float)
    plain = summarise(values)
    assert np.array_equal(plain[:5], np.quantile(values, QUANTILES, axis=0))
    assert np.array_equal(plain[5], values.mean(axis=0))
    equal = summarise(values, weights=np.full(9, 1 / 9))
    assert np.array_equal(equal[:5], np.quantile(values, QUANTILES, axis=0, method="inverted_cdf"))
    np.testing.assert_allclose(equal[5], values.mean(axis=0))


def test_a_folders_member_weights_are_read_normalised_and_a_wrong_list_is_one_clear_error(tmp_path):
    import json

    import pytest

    from caravana.ensemble import run_ensemble
    from caravana.results.reader import FolderError, open_results

    out = tmp_path / "ens"
    run_ensemble("mali2012", members=2, root_seed=1, days=3, backend="inprocess", out_dir=out)
    assert open_results(out).member_weights is None  # an ensemble: members weigh alike
    meta = json.loads((out / "ensemble.json").read_text())
    for weights, ok in (([1.0, 3.0], True), ([1.0], False), ([1.0, -1.0], False), ([0, 0], False), (["a", 1], False)):
        (out / "ensemble.json").write_text(json.dumps({**meta, "member_weights": weights}))
        if ok:
            assert open_results(out).member_weights.tolist() == [0.25, 0.75]
        else:
            with pytest.raises(FolderError, match="member_weights must be 2 numbers"):
                _ = open_results(out).member_weights
