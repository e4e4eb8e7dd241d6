"""Assimilation and forecast: a particle filter over ensemble members.

>>> from caravana.forecast import run_forecast, default_factors, write_forecast
>>> obs = read_observations("obs.csv").check_against(scenario)
>>> run = run_forecast(scenario, obs, datetime.date(2018, 10, 24), horizon=47,
...                    particles=200, seed=1, factors=default_factors(scenario))
>>> run.forecast.places          # arrival windows, head-counts, needs at the places ahead
>>> write_forecast(run, Path("out"))

Modules: ``weights`` (ESS, systematic resampling), ``parameters`` (uncertain
factors per particle), ``filter`` (the particle filter), ``passes`` (iterated
filtering: passes of the filter, IF2), ``summary`` (forecast
tables), ``check`` (held-back reports against the intervals), ``pipeline``
(all of it in one call), ``output`` and ``plot``. See docs/forecast.md.
"""

from .filter import Assimilation, FilterStep, assimilate
from .output import write_forecast
from .parameters import Factor, default_factors, parse_factor
from .pipeline import ForecastRun, run_forecast
from .summary import Forecast
from .weights import effective_sample_size, normalise, systematic_resample

__all__ = [
    "Assimilation",
    "Factor",
    "FilterStep",
    "Forecast",
    "ForecastRun",
    "assimilate",
    "default_factors",
    "effective_sample_size",
    "normalise",
    "parse_factor",
    "run_forecast",
    "systematic_resample",
    "write_forecast",
]
