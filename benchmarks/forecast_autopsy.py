"""Where does a forecast's weight go? A weight autopsy: which reports and which factors.

    python benchmarks/forecast_autopsy.py [--case 2018|2021|2023] [--as-of 2018-10-24]
        [--particles 200] [--seed 1] [--workers 2] [the forecast options of forecast_2018.py]

The forecast options of ``forecast_2018.py`` (``--until``, ``--stage-sd``, ``--stage-half-life``,
``--one-per-source``, ``--resample-at-as-of``, ``--walk-after-as-of``, ``--reported-days``, ``--set``)
are taken; its printing options (``--weights-only-too``, ``--show``, ``--rows``, ``--plot``) are
refused: this script prints its own figures and draws nothing.

It runs the forecast of ``benchmarks/forecast_2018.py`` (or ``forecast_2021.py``,
``forecast_2023.py``) from one as-of date, with the filter's trace on
(``caravana.forecast.filter.Trace``: each report's own log-likelihood per particle, the
moves' marginal likelihoods included, from the pipeline's own scoring), and prints

1. for each scoring date and each report used: the spread of the particles'
   log-likelihood of it (P5 / P50 / P95 and max minus median: a spread of a few units
   concentrates the weight on a few particles); Kish's effective number of prior MEMBERS
   (``weights.ancestors``: 1 / sum of the squared weight each member carries) before the
   date, after the report alone and after the reports of the date so far; which report
   drops it most; and whether the filter resampled there;
2. for each parameter factor, its prior and posterior P5 / P50 / P95 (which factors the
   surviving members share), with the learnt walks' sds;
3. for every report up to the last scored date (used and held back): the prior's
   P5 / P50 / P95 of the simulated value on the report's day (what the model could say
   before any weighting) and the weighted posterior's, against the report, and where the
   report falls in the prior; "prior members near it": the share of prior members inside the
   report's range, or, for a point report, within one sd of it (0.5 in log, the forecast's
   noise), or within a day of a reported day.

Tracing scores the rows that are not moved one at a time (one more scoring per row and
particle); the forecast itself is the same as without it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys

import numpy as np

os.environ.setdefault("COLUMNS", "160")

import forecast_2018  # noqa: E402
import forecast_2021  # noqa: E402
import forecast_2023  # noqa: E402

from caravana import load_scenario  # noqa: E402
from caravana.ensemble import get_backend  # noqa: E402
from caravana.forecast import default_factors, run_forecast  # noqa: E402
from caravana.forecast.summary import quantiles  # noqa: E402
from caravana.forecast.weights import ancestors, effective_sample_size, normalise  # noqa: E402
from caravana.metrics import simulated_values  # noqa: E402
from caravana.observations import Observation, Observations, read_observations  # noqa: E402

# case: (benchmark module, scenario, its default as-of date)
CASES = {"2018": (forecast_2018, "corridor", "2018-10-24"),
         "2021": (forecast_2021, forecast_2021.SCENARIO, "2021-11-02"),
         "2023": (forecast_2023, forecast_2023.SCENARIO, "2023-11-05")}
UNTIL = {"2018": "2018-11-03", "2021": "2021-11-19", "2023": "2023-11-21"}
UNUSED = ("--weights-only-too", "--show", "--rows", "--plot")  # forecast_2018.py's printing options


def _unused(option: str, defaults) -> bool:
    """``option`` names one of ``UNUSED``, in full or as the prefix argparse would take for it
    (one no other option of ``forecast_2018.py`` starts with)."""
    if not option.startswith("--") or len(option) < 3:
        return False
    known = ["--" + name.replace("_", "-") for name in vars(defaults)]
    matches = [o for o in known if o.startswith(option)]
    return option in UNUSED or (bool(matches) and all(o in UNUSED for o in matches))


class Autopsy:
    """A ``filter.Trace``: keeps, per scoring date, the log-weights and members before its
    reports and each report's log-likelihood per particle."""

    def __init__(self) -> None:
        self.dates: dict[dt.date, dict] = {}

    def before(self, date: dt.date, log_w: np.ndarray, members: np.ndarray) -> None:
        self.dates[date] = {"log_w": log_w, "members": members, "reports": []}

    def report(self, date: dt.date, kind: str, row: Observation, increment: np.ndarray) -> None:
        self.dates[date]["reports"].append((kind, row, np.asarray(increment, dtype=np.float64).copy()))


def kish_members(log_w: np.ndarray, members: np.ndarray) -> float:
    """Kish's effective number of prior members of particles weighted by ``log_w``."""
    return ancestors(members, normalise(log_w))["effective"]


def describe(row: Observation) -> str:
    count = "" if not row.is_count else (f"{row.value:,.0f}" if row.bounds[0] == row.bounds[1]
                                          else f"{row.value or 0:,.0f} [{row.bounds[0]:,.0f}-{row.bounds[1]:,.0f}]")
    return f"row {row.row or 0:2d} {row.date} {row.place or '':<16.16} {row.quantity.value:<13} {count}"


def print_weights(autopsy: Autopsy, steps: list[dict]) -> None:
    """Part 1: each report's log-likelihood spread and what it does to the effective members."""
    resampled = {s["date"]: s["resampled"] for s in steps}
    print("\n1. each report's log-likelihood over the particles, and Kish's effective number of members")
    print(f"   {'report':<62} {'kind':<13} {'P5':>8} {'P50':>8} {'P95':>8} {'max-med':>8} "
          f"{'alone':>7} {'so far':>7}")
    for date, seen in autopsy.dates.items():
        log_w, members = seen["log_w"], seen["members"]
        start = kish_members(log_w, members)
        print(f"  {date}: before its reports {start:.1f} effective members, ESS "
              f"{effective_sample_size(normalise(log_w)):.1f}")
        so_far, worst = log_w.copy(), None
        for kind, row, inc in seen["reports"]:
            p5, p50, p95 = np.percentile(inc, [5, 50, 95])
            alone = kish_members(log_w + inc, members)
            so_far = so_far + inc
            after = kish_members(so_far, members)
            if worst is None or alone < worst[0]:
                worst = (alone, row)
            print(f"   {describe(row):<62} {kind:<13} {p5:8.2f} {p50:8.2f} {p95:8.2f} {np.max(inc) - p50:8.2f} "
                  f"{alone:7.1f} {after:7.1f}")
        if worst is not None:
            end = kish_members(so_far, members)
            print(f"   -> after {date}: {end:.1f} effective members (ESS {effective_sample_size(normalise(so_far)):.1f})"
                  f"{', resampled' if resampled.get(date.isoformat()) else ''}; drops it most alone: "
                  f"{describe(worst[1]).strip()} ({start:.1f} -> {worst[0]:.1f})")


def print_factors(run) -> None:
    """Part 2: each factor's prior and posterior spread."""
    print("\n2. factors: prior P5 / P50 / P95 -> posterior (weighted) P5 / P50 / P95")
    for r in run.parameters.to_pylist():
        print(f"   {r['factor']:<34} [{r['low']:g}, {r['high']:g}]  prior {r['prior_p5']:.2f} / {r['prior_p50']:.2f} / "
              f"{r['prior_p95']:.2f}  posterior {r['posterior_p5']:.2f} / {r['posterior_p50']:.2f} / "
              f"{r['posterior_p95']:.2f}")
    learnt = run.metadata["filter"]
    if isinstance(learnt, dict):
        walk = learnt["size_moves"]
        if "sd_per_day_prior" in walk:
            print(f"   size walk sd a day: prior {walk['sd_per_day_prior']} -> posterior {walk['sd_per_day_posterior']}")
        pos = learnt["position_moves"]
        print(f"   position walk km sd a day: prior {pos['km_sd_per_day_prior']} -> posterior "
              f"{pos['km_sd_per_day_posterior']}")


def shown(value: float, row: Observation, start: dt.date) -> str:
    """A simulated value as the report states it: people, or a day as a date ("never": not there by the end)."""
    if row.is_count:
        return f"{value:,.0f}"
    return "never" if not np.isfinite(value) else (start + dt.timedelta(days=int(round(value)))).strftime("%b %d")


def print_reports(run, reports: Observations, start: dt.date) -> None:
    """Part 3: every report against the prior's and the weighted posterior's spread of it."""
    prior = np.array([simulated_values(r, reports) for r in run.assimilation.prior])
    posterior = np.array([simulated_values(r, reports) for r in run.assimilation.posterior])
    weights = run.assimilation.particle_weights
    as_of = dt.date.fromisoformat(run.metadata["as_of"])
    print("\n3. each report against the prior's P5 / P50 / P95 of it on its day, and the weighted posterior's")
    for k, row in enumerate(reports):
        a = quantiles(np.nan_to_num(prior[:, k], nan=np.inf))
        b = quantiles(np.nan_to_num(posterior[:, k], nan=np.inf), weights=weights)
        if row.is_count:
            low, high = row.bounds
            where = ("above the prior's P95" if low > a[4] else "below the prior's P5" if high < a[0] else
                     "in the prior's P5-P95")
            share = float(np.mean((prior[:, k] >= low) & (prior[:, k] <= high))) if low != high else float(
                np.mean(np.abs(np.log1p(prior[:, k]) - np.log1p(low)) <= 0.5))
        else:
            reported = (row.date - start).days
            where = ("later than the prior's P95" if reported > a[4] else "earlier than the prior's P5"
                     if reported < a[0] else "in the prior's P5-P95")
            share = float(np.mean(np.abs(prior[:, k] - reported) <= 1.0))
        used = "used" if row.date <= as_of else "held "
        print(f"   {used} {describe(row):<62} prior {' / '.join(shown(v, row, start) for v in a[[0, 2, 4]]):<24} posterior "
              f"{' / '.join(shown(v, row, start) for v in b[[0, 2, 4]]):<24} {where}; prior members near it {share:.0%}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--case", choices=sorted(CASES), default="2018")
    known, rest = parser.parse_known_args(argv)
    module, scenario_name, as_of = CASES[known.case]
    if not any(a.startswith("--as-of") for a in rest):
        rest = ["--as-of", as_of, *rest]
    unused = [a for a in rest if _unused(a.split("=")[0], forecast_2018.arguments(__doc__, (), "", module.DEFAULT_PLOT, []))]
    if unused:
        print(f"error: forecast_autopsy.py does not take {', '.join(unused)} (see its doc)", file=sys.stderr)
        return 2
    args = forecast_2018.arguments(__doc__, (as_of,), UNTIL[known.case], module.DEFAULT_PLOT, rest)
    scenario = forecast_2018.with_settings(load_scenario(scenario_name), args.set)  # (--set: a variant)
    everything = read_observations(module.OBSERVATIONS).check_against(scenario)
    reports = Observations(rows=tuple(r for r in everything if r.date <= module.LAST_REPORT), file=everything.file,
                           context=everything.context)
    until = dt.date.fromisoformat(args.until)
    for text in args.as_of:
        as_of_date = dt.date.fromisoformat(text)
        autopsy = Autopsy()
        kind = "inprocess" if args.workers == 1 else "processes"
        with get_backend(kind, workers=args.workers) as backend:
            run = run_forecast(scenario, reports, as_of_date, (until - as_of_date).days, particles=args.particles,
                               seed=args.seed, factors=default_factors(scenario, outflows=args.joint_outflows), backend=backend,
                               stage_sd=args.stage_sd, stage_half_life=args.stage_half_life,
                               one_per_source=args.one_per_source, reported_days=args.reported_days,
                               resample_at_as_of=args.resample_at_as_of, walk_after_as_of=args.walk_after_as_of,
                               passes=args.passes, trace=autopsy)  # (the trace: the last pass)
        meta = run.metadata
        lineage = meta["ancestors"]
        print(f"{known.case} ({scenario.name}) as of {as_of_date}, {args.particles} particles, seed {args.seed}: "
              f"{meta['observations_used']} reports used, {meta['observations_held_back']} held back; posterior "
              f"descends from {lineage['weighted']:.1f} members by weight ({lineage['weighted'] / args.particles:.0%}), "
              f"effective (Kish) {lineage['effective']:.1f}, distinct {lineage['distinct']}")
        for name, s in meta["held_back_check"].items():
            print("  " + forecast_2018.line(name, s))
        print_weights(autopsy, meta["filter_steps"])
        print_factors(run)
        print_reports(run, reports, scenario.period.start)
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
