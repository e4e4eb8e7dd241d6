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
