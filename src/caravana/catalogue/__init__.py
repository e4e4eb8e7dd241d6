"""The results catalogue: every run, ensemble, calibration and forecast, in one SQLite file.

Each entry records the scenario (built-in name or absolute path), the setting
overrides, the seed, the caravana version, when it ran, its wall time, and the
folder holding its Parquet files. The file is ``$CARAVANA_HOME/catalogue.sqlite``
(default ``~/.caravana/catalogue.sqlite``).

>>> from caravana import catalogue
>>> run_id = catalogue.register("run", "corridor", Path("out"), seed=1)
>>> catalogue.get_run(run_id).path
>>> [r.id for r in catalogue.list_runs(kind="ensemble")]
"""

from typing import TYPE_CHECKING

from .._lazy import lazy_getattr
from ..results.format import ENSEMBLE, RUN, FolderError
from .records import RunRecord, find_by_path, get_run, list_runs, register, register_or_warn
from .store import HOME_ENV, CatalogueError, catalogue_path, home

# Reading results folders, exporting and reloading pull in the results reader, the scenario
# loader and Flee's writers: imported on first use (PEP 562), so registering a run stays light
# (a `caravana run` does not import the reader: tests/test_startup.py).
_LAZY = {
    "ResultsFolder": "..results.reader",
    "all_values": "..results.reader",
    "dense_counts": "..results.reader",
    "open_results": "..results.reader",
    "read_parquet": "..results.reader",
    "FORMATS": ".export",
    "export_run": ".export",
    "folder_of": ".export",
    "results_from_folder": ".reload",
    "scenario_of": ".reload",
}

if TYPE_CHECKING:
    from ..results.reader import ResultsFolder, all_values, dense_counts, open_results, read_parquet
    from .export import FORMATS, export_run, folder_of
    from .reload import results_from_folder, scenario_of


__getattr__ = lazy_getattr(__name__, _LAZY, globals())


__all__ = [
    "ENSEMBLE",
    "FORMATS",
    "HOME_ENV",
    "RUN",
    "CatalogueError",
    "FolderError",
    "ResultsFolder",
    "RunRecord",
    "all_values",
    "catalogue_path",
    "dense_counts",
    "export_run",
    "find_by_path",
    "folder_of",
    "get_run",
    "home",
    "list_runs",
    "open_results",
    "read_parquet",
    "register",
    "register_or_warn",
    "results_from_folder",
    "scenario_of",
]
