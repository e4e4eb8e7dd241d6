"""Calibration: fit scenario parameters to observations (``docs/observations.md``, "Calibration").

- ``params``:    the parameters YAML (paths, bounds, priors), checked against a scenario
- ``objective``: what a worker runs for one trial and seed
- ``search``:    ``calibrate`` (Optuna TPE over the execution backends) and its result
- ``output``:    fitted.json, trials and before/after error tables, written atomically
- ``records``:   one shared habit set for recorded caravans, tested leave-one-out
"""

from .output import errors_table, trials_table, write_calibration
from .params import ParamSpec, check_params, read_params
from .search import CalibrationResult, Trial, calibrate

__all__ = [
    "CalibrationResult",
    "ParamSpec",
    "Trial",
    "calibrate",
    "check_params",
    "errors_table",
    "read_params",
    "trials_table",
    "write_calibration",
]
