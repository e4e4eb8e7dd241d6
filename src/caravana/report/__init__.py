"""``caravana report``: one self-contained HTML page and its PNG figures for a run or an
ensemble: the caravan's timeline, a map, places over time with the ensemble's bands
and what was observed, daily needs at the busiest places, and outcomes.

>>> from caravana.report import build_report
>>> build_report("runs/corridor")            # a results folder, or a catalogue run id
[.../report_timeline.png, ..., .../report.html]

Modules: ``inputs`` (folder, scenario, observations), ``data`` (a run or an ensemble
as bands), ``figures`` and ``style`` (Matplotlib, Agg), ``page`` (HTML), ``build``.
"""

from .build import build_report

__all__ = ["build_report"]
