"""Where does a forecast's weight go, and what does it miss? A weight autopsy (which reports
and which factors) and a miss table (why each held-back report is missed).

    python benchmarks/forecast_autopsy.py [--case 2018|2021|2023 ...] [--misses] [--as-of 2018-10-24]
        [--particles 200] [--seed 1] [--workers 2] [--known] [the forecast options of forecast_2018.py]

The forecast options of ``forecast_2018.py`` (``--until``, ``--stage-sd``, ``--stage-half-life``,
``--one-per-source``, ``--resample-at-as-of``, ``--walk-after-as-of``, ``--reported-days``, ``--set``,
``--known``, ...) are taken; its printing options (``--weights-only-too``, ``--show``, ``--rows``,
``--plot``) are refused: this script prints its own figures and draws nothing.

It runs the forecast of ``benchmarks/forecast_2018.py`` (or ``forecast_2021.py``,
``forecast_2023.py``) as that benchmark runs it: its own settings (2021's and 2023's ``SETTINGS`` and ``VARY_ALSO``, unless
``--as-written``), its reports (2021, 2023: as published by the as-of date; 2018 with ``--known``:
the prior as known and the reports as published, ``known_fitted.py``) and its window (each as-of
date + the longest of the other caravans' durations unless ``--until``: ``horizon.py``).

``--misses``: for each case and each of its benchmark's as-of dates (or ``--as-of``'s), no trace; it
prints the benchmark's coverage lines and every held-back report against the posterior's and the
prior's intervals (``forecast_2018.py --rows``), then each report the posterior misses (an open-ended
band counted as a miss, as the benchmark's headline) with its cause class, the first that applies
(fixed before the first table: ``benchmarks/results/forecast_horizon-2026-11-27-session13-s13horizon-rule.txt``):

1. outlier: another report of the same date, quantity and place (or both about the whole caravan)
   whose range does not overlap this one's, and which the posterior's interval hits;
2. never there: a day band still open at the window's end (P95 "not there by the end");
3. arrival (departure) too late / too early: the posterior's P5 after the reported day / its P95 before it;
4. attrition quantity too low / too high: returned, deported, detained, asylum requests, crossed, dead
   (the people who leave the caravan): the P95 below the report's low / the P5 above its high;
5. count too low / too high: the other counts (present, caravan size, arrivals).

A missed count at a place (present, arrivals) is followed by where the posterior's main body spent that night
(session 15, s15oct20; the classes are unchanged): the weight whose body (the place with the most people resting)
is there, and the P5 / P50 / P95 of its first night there. A band whose body is there in a few per cent of the
weight and whose first night there comes days after the report is a caravan too late (or early), not too small.

and, at the end, the misses by class for each case and for all of them.

Without ``--misses`` it runs one as-of date (the case's middle one by default) with the filter's trace on
(``caravana.forecast.filter.Trace``: each report's own log-likelihood per particle, the
moves' marginal likelihoods included, from the pipeline's own scoring), and prints

1. for each scoring date and each report used: the spread of the particles'
   log-likelihood of it after the date's moves (P5 / P50 / P95, max minus min and max minus
   median: a spread of a few units concentrates the weight on a few particles); the prior
   MEMBERS the particles descend from (``weights.ancestors``), by weight (issue 12's count:
   a member counts in full when it carries one particle's share) and Kish's effective number
   (1 / sum of the squared weight each member carries), before the date, after the report
   alone and after the reports of the date so far; each report's share of the date's fall in
   log members by weight (``report_drops``: the shares need not sum to one); which report
   drops it most; whether the filter resampled there; and, at the end, the reports that take
   most off the lineage alone (session 20: which reports carry the collapse);
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
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

import numpy as np

os.environ.setdefault("COLUMNS", "160")

import forecast_2018  # noqa: E402
import forecast_2021  # noqa: E402
import forecast_2023  # noqa: E402
from horizon import WindowError, window_ends, with_period  # noqa: E402
from known_fitted import prior_for  # noqa: E402
from published import as_published  # noqa: E402

from caravana import load_scenario  # noqa: E402
from caravana.forecast.summary import quantiles  # noqa: E402
from caravana.forecast.weights import ancestors, effective_sample_size, normalise  # noqa: E402
from caravana.metrics import simulated_values  # noqa: E402
from caravana.observations import Observation, Observations  # noqa: E402


class Case(NamedTuple):
    """What a caravan's benchmark runs (its ``main``): its module, scenario, the as-of date of the
    weight autopsy, its own settings, and its prior without ``--known`` (``published.as_published``)."""

    module: ModuleType
    scenario: str | Path
    as_of: str
    settings: tuple[str, ...] = ()
    as_known: Callable | None = None
    vary_also: tuple[str, ...] = ()  # the benchmark's own factors (2021, 2023: its later leg's pace)


CASES = {"2018": Case(forecast_2018, "corridor", "2018-10-24"),
         "2021": Case(forecast_2021, forecast_2021.SCENARIO, "2021-11-02", forecast_2021.SETTINGS, as_published,
                      forecast_2021.VARY_ALSO),
         "2023": Case(forecast_2023, forecast_2023.SCENARIO, "2023-11-05", forecast_2023.SETTINGS, as_published,
                      forecast_2023.VARY_ALSO)}
ATTRITION = {"returned", "deported", "detained", "asylum_requests", "crossed", "dead"}  # people who leave the caravan
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


class Drop(NamedTuple):
    """What one report of a date does to the lineage (``report_drops``)."""

    kind: str
    row: Observation
    increment: np.ndarray  # its log-likelihood per particle
    alone: float  # members by weight after this report alone
    so_far: float  # after the date's reports up to this one
    kish_alone: float
    kish_so_far: float
    share: float  # the part of the date's fall in log members by weight this report alone makes (nan: no fall)


def report_drops(log_w: np.ndarray, members: np.ndarray,
                 reports: list[tuple[str, Observation, np.ndarray]]) -> tuple[float, float, list[Drop]]:
    """(members by weight before the date's reports, after all of them, each report's ``Drop``):
    the lineage count issue 12 reads (``weights.ancestors``' ``weighted``: a member counts in full
    when it carries one particle's share) after each report alone and after the reports so far,
    and each report's share of the date's fall, log(before / alone) / log(before / after). The
    shares need not sum to one: two reports that favour different particles each fall less alone
    than together."""
    def weighted(lw: np.ndarray) -> float:
        return ancestors(members, normalise(lw))["weighted"]

    before, so_far, rows = weighted(log_w), log_w.copy(), []
    for kind, row, inc in reports:
        so_far = so_far + inc
        rows.append((kind, row, inc, weighted(log_w + inc), weighted(so_far), kish_members(log_w + inc, members),
                     kish_members(so_far, members)))
    after = weighted(so_far)
    fall = np.log(before / after)
    return before, after, [Drop(*r[:7], float(np.log(before / r[3]) / fall) if fall > 1e-9 else float("nan"))
                           for r in rows]


def describe(row: Observation) -> str:
    count = "" if not row.is_count else (f"{row.value:,.0f}" if row.bounds[0] == row.bounds[1]
                                          else f"{row.value or 0:,.0f} [{row.bounds[0]:,.0f}-{row.bounds[1]:,.0f}]")
    return f"row {row.row or 0:2d} {row.date} {row.place or '':<16.16} {row.quantity.value:<13} {count}"


def print_weights(autopsy: Autopsy, steps: list[dict]) -> None:
    """Part 1: each report's log-likelihood spread and what it does to the prior members the particles
    descend from (by weight, issue 12's count, and Kish's effective number), then the reports ranked by
    what each alone takes off the lineage."""
    resampled = {s["date"]: s["resampled"] for s in steps}
    print("\n1. each report's log-likelihood over the particles (after the date's moves: a moved report's is its "
          "move's marginal), and the prior members the particles descend from: by weight (issue 12's count) and "
          "Kish's effective number, after the report alone and after the date's reports so far; 'share': the part "
          "of the date's fall in log members by weight the report alone makes")
    print(f"   {'report':<62} {'kind':<13} {'P5':>8} {'P50':>8} {'P95':>8} {'max-min':>8} {'max-med':>8} "
          f"{'by wt alone':>11} {'so far':>7} {'share':>6} {'Kish alone':>10} {'so far':>7}")
    ranked = []
    for date, seen in autopsy.dates.items():
        log_w, members = seen["log_w"], seen["members"]
        before, after, drops = report_drops(log_w, members, seen["reports"])
        print(f"  {date}: before its reports {before:.1f} members by weight, {kish_members(log_w, members):.1f} "
              f"effective (Kish), ESS {effective_sample_size(normalise(log_w)):.1f}")
        for d in drops:
            p5, p50, p95 = np.percentile(d.increment, [5, 50, 95])
            spread = np.max(d.increment) - np.min(d.increment)
            print(f"   {describe(d.row):<62} {d.kind:<13} {p5:8.2f} {p50:8.2f} {p95:8.2f} {spread:8.2f} "
                  f"{np.max(d.increment) - p50:8.2f} {d.alone:11.1f} {d.so_far:7.1f} {d.share:6.0%} "
                  f"{d.kish_alone:10.1f} {d.kish_so_far:7.1f}")
            ranked.append((np.log(before / d.alone), d))
        if drops:
            worst = min(drops, key=lambda d: d.alone)
            total = log_w + sum(d.increment for d in drops)
            print(f"   -> after {date}: {after:.1f} members by weight, {kish_members(total, members):.1f} effective "
                  f"(ESS {effective_sample_size(normalise(total)):.1f})"
                  f"{', resampled' if resampled.get(date.isoformat()) else ''}; drops it most alone: "
                  f"{describe(worst.row).strip()} ({before:.1f} -> {worst.alone:.1f})")
    print("\n   the reports that take most off the lineage alone (members by weight before -> after the report alone):")
    for fall, d in sorted(ranked, key=lambda r: -r[0])[:8]:
        print(f"   {describe(d.row):<62} {d.kind:<13} x{np.exp(-fall):.2f} of its date's members, share {d.share:.0%}")


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


def miss_class(row: dict, posterior: dict, reports: Observations) -> str:
    """The cause class of a held-back report the posterior misses (module doc; ``row``: its row of
    the held-back check, ``posterior``: the posterior's rows by report row)."""
    if row["unit"] == "people":
        for other in reports:
            low, high = other.bounds
            if (other.row != row["row"] and other.date == row["date"] and str(other.quantity) == row["quantity"]
                    and other.place == row["place"] and (high < row["low"] or low > row["high"])
                    and posterior.get(other.row, {}).get("hit") and not posterior[other.row]["open_ended"]):
                return "outlier: a same-day report disagrees, the forecast hits it"
    if row["open_ended"]:
        return "never there by the window's end"
    if row["unit"] == "day":
        event = "arrival" if row["quantity"] == "arrived" else "departure"
        return f"{event} too late" if row["p5"] > row["observed"] else f"{event} too early"
    kind = "attrition quantity" if row["quantity"] in ATTRITION else "count"
    return f"{kind} too low" if row["p95"] < row["low"] else f"{kind} too high"


def body_places(counts, statuses: tuple[str, ...]) -> np.ndarray:
    """(members, days): the place index where each member's main body spends each night, the place with the
    most people resting there (every caravan's; -1 where nobody rests)."""
    resting = statuses.index("resting")
    out = np.empty(counts.shape[:2], dtype=np.int64)
    for i in range(counts.shape[0]):  # one member at a time (a Spool reads from disk)
        night = np.asarray(counts[i])[:, :, resting]
        out[i] = np.where(night.max(axis=1) > 0, night.argmax(axis=1), -1)
    return out


def where_the_body_was(bodies: np.ndarray, weights: np.ndarray, place: int, day: int, start: dt.date) -> str:
    """For a missed count at ``place`` on ``day``: the posterior's weight whose main body spends that night
    there, and the P5 / P50 / P95 of the body's first night there (too late, too early, or there but too few)."""
    there = bodies == place
    first = np.where(there.any(axis=1), there.argmax(axis=1), np.inf)
    q = quantiles(first, weights=weights)
    shown = ["never" if not np.isfinite(v) else (start + dt.timedelta(days=int(v))).strftime("%b %d") for v in q[[0, 2, 4]]]
    return (f"body there that night: {float(weights[there[:, day]].sum()):.0%} of the weight; its first night there "
            f"P5/P50/P95 {' / '.join(shown)}")


def print_misses(run, reports: Observations, start: dt.date) -> Counter:
    """Part 4 (``--misses``): each held-back report and both ensembles' intervals, then each report
    the posterior misses with its cause class (and, for a count at a place, where the posterior's main
    body spent that night: ``where_the_body_was``); the classes' counts."""
    forecast_2018.print_rows(run.held_back, start)
    rows = [r for r in (run.held_back.to_pylist() if run.held_back.num_rows else []) if r["ensemble"] == "posterior"]
    by_row = {r["row"]: r for r in rows}
    classes: Counter = Counter()
    ensemble = run.ensemble
    bodies = None
    print("  misses of the posterior (open-ended counted as misses) and their cause:")
    for r in rows:
        if r["hit"] and not r["open_ended"]:
            continue
        cause = miss_class(r, by_row, reports)
        classes[cause] += 1
        print(f"    row {r['row']:2d} {r['date']} {r['place'] or '(all)':<22} {r['quantity']:<15} -> {cause}")
        day = (r["date"] - ensemble.start).days
        if r["unit"] == "people" and r["place"] in ensemble.places and 0 <= day < ensemble.days:
            bodies = body_places(ensemble.counts, ensemble.statuses) if bodies is None else bodies
            print("        " + where_the_body_was(bodies, ensemble.weights, ensemble.places.index(r["place"]), day,
                                                  ensemble.start))
    if not classes:
        print("    none")
    return classes


def print_classes(totals: dict[str, Counter]) -> None:
    """The misses by class, for each case and for all of them."""
    every = sorted(set().union(*totals.values()))
    print("\nmisses by class (posterior, every as-of date):")
    print(f"  {'class':<60} " + " ".join(f"{case:>6}" for case in totals) + "    all")
    for cause in every:
        print(f"  {cause:<60} " + " ".join(f"{totals[case][cause]:6d}" for case in totals)
              + f" {sum(t[cause] for t in totals.values()):6d}")
    print(f"  {'all':<60} " + " ".join(f"{sum(t.values()):6d}" for t in totals.values())
          + f" {sum(sum(t.values()) for t in totals.values()):6d}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--case", nargs="+", choices=sorted(CASES), default=["2018"])
    parser.add_argument("--misses", action="store_true")
    known, rest = parser.parse_known_args(argv)
    defaults = forecast_2018.arguments(__doc__, (), None, forecast_2018.DEFAULT_PLOT, [], known=True, caravan="2018")
    unused = [a for a in rest if _unused(a.split("=")[0], defaults)]
    if unused:
        print(f"error: forecast_autopsy.py does not take {', '.join(unused)} (see its doc)", file=sys.stderr)
        return 2
    if len(known.case) > 1 and any(a.startswith("--as-of") for a in rest):
        print("error: --as-of takes one case's dates; with several cases each runs its benchmark's", file=sys.stderr)
        return 2
    totals: dict[str, Counter] = {}
    for name in known.case:
        case = CASES[name]
        as_of = case.module.AS_OF if known.misses else (case.as_of,)
        args = forecast_2018.with_own(forecast_2018.arguments(__doc__, as_of, None, case.module.DEFAULT_PLOT, rest,
                                                              known=True, caravan=name), case.settings,
                                          case.vary_also)
        scenario = forecast_2018.with_settings(load_scenario(case.scenario), args.set)  # (--set: a variant)
        try:
            ends = window_ends(scenario, args.until, args.as_of, forecast_2018.as_of_honest(args))
        except WindowError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        scenario = with_period(scenario, max(ends.values()))
        reports = forecast_2018.reports_until(scenario, case.module.OBSERVATIONS, case.module.LAST_REPORT)
        prior = prior_for(args) if name == "2018" and (args.known or args.fitted) else case.as_known
        totals[name] = Counter()
        for text in args.as_of:
            as_of_date, until = dt.date.fromisoformat(text), ends[text]
            ran, factors, given = prior(scenario, as_of_date, reports) if prior else (scenario, None, reports)
            autopsy = None if known.misses else Autopsy()  # (the trace: the last pass)
            run = forecast_2018.forecast(ran, given, as_of_date, until, args, False, factors, trace=autopsy)[0]
            meta = run.metadata
            lineage = meta["ancestors"]
            print(f"{name} ({scenario.name}) as of {as_of_date}, forecast to {until}, {args.particles} particles, seed "
                  f"{args.seed}: {meta['observations_used']} reports used, {meta['observations_held_back']} held back; "
                  f"posterior descends from {lineage['weighted']:.1f} members by weight "
                  f"({lineage['weighted'] / args.particles:.0%}), effective (Kish) {lineage['effective']:.1f}, "
                  f"distinct {lineage['distinct']}")
            for ensemble, s in meta["held_back_check"].items():
                print("  " + forecast_2018.line(ensemble, s))
            if autopsy is None:
                totals[name] += print_misses(run, reports, scenario.period.start)
            else:
                print_weights(autopsy, meta["filter_steps"])
                print_factors(run)
                print_reports(run, reports, scenario.period.start)
            sys.stdout.flush()
    if known.misses:
        print_classes(totals)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
