"""Forecast the October 2018 caravan from several as-of dates and score each forecast
on the reports after it, up to Oct 31 (the blind-test line: nothing later is used).

    python benchmarks/forecast_2018.py [--as-of 2018-10-20 2018-10-24 2018-10-27]
        [--particles 200] [--seed 1] [--workers 1] [--until 2018-12-10]
        [--weights-only-too] [--stage-sd 0.35] [--plot docs/img/forecast_2018-10-24.png] [--show] [--rows]
        [--set PATH=VALUE ...] [--filter-settings leave-out|earlier|today]

For each as-of date it runs ``caravana forecast``'s pipeline on the built-in
``corridor`` scenario with the built-in 2018 observations (``observations_2018.csv``):
the filter uses the reports up to and including the as-of date; every particle runs on
to ``--until``, by default N days after the as-of date, N the longest duration among the other caravans of
``caravans_other.csv`` (``horizon.py``: session 14's rule; session 13 ran to the scenario's last day,
sessions before it to three days after the last scored report); the scenario's period is lengthened
where the window passes it. Held-back reports after the window's end are not scored (the header says
how many; with the benchmarks' as-of dates there are none). It prints, per as-of date:

- coverage: how many of the held-back reports (after the as-of date, up to Oct 31)
  fall in the P5-P95 interval, for the posterior and for the prior (the same members,
  never weighted: the unweighted ensemble). A day report inside an interval whose P95 is
  "not there by the forecast's end" (a particle that never gets there counts as getting
  there the day after it) is *open-ended*: its upper edge is the window's cut-off, not the
  forecast's. The headline counts it as a miss (a shorter window could otherwise only
  raise the figure); the figure counting it as a hit follows in brackets (``--rows`` flags
  such rows ``open``; docs/history/forecast.md, *Open-ended intervals*);
- the mean interval score (Gneiting and Raftery 2007; width + 20 x the miss; lower is
  better) of the day reports (in days) and of the count reports (relative to the
  report), posterior and prior;
- the effective sample size before the last resampling and the number of distinct
  members the posterior particles descend from;
- CPU time of this process and of its worker processes (read from /proc while they
  live) and wall time: the machine may be shared, so wall time is contended.

The speed target (200 particles over the scenario's 60 days in under a minute on two
cores) is ``--as-of 2018-10-24 --until 2018-12-10 --workers 2``.

``--filter-settings leave-out`` (the default of this benchmark, ``forecast_2021.py`` and ``forecast_2023.py``,
session 13) gives the filter its own settings (count and day noise, the stage's sd and half-life, the size walk's
range and reversion) from the other caravans' observation files, the scored caravan's left out
(``filter_settings.py``; the header prints each with its source); ``earlier`` (session 14): only from the files of
the caravans over before the first as-of date, as of the date (for 2018 none: every setting its stated est), and
the window from the caravans ended before each as-of date; ``today``: the package's defaults
(``caravana.forecast.pipeline``), some of which rest on the days scored here. ``--stage-sd`` sets how much the
caravans' day's stage varies in every member (default: the filter settings'; 0: the model's fixed stages, as
before session 6). ``--weights-only-too``
repeats each forecast with the weighting-only filter (no size moves, no parameter
rejuvenation), the filter as it was before them. ``--set PATH=VALUE`` (repeatable) changes a
scenario setting as ``caravana run --set`` does (a variant scored without editing its
file; the header line lists them). ``--show`` also
prints the full forecast tables of each run; ``--rows`` each held-back report against each
ensemble's P5 / P50 / P95 (which reports a score comes from). The plot of the second as-of date's
forecast (Oct 24; the only one with a single date) goes to ``--plot``.
``--known``: the prior of each as-of date is the scenario as it could have been written on that
day, with no fit (``known_prior.py``; the shipped values were fitted to the reports scored here),
its list of changes printed first; the forecast assimilates only the reports *published* by the
day (``known_fitted.py``: one about an earlier day that came out later is neither assimilated nor
scored; they are listed). ``--known --fitted``: the prior is that scenario fitted to those reports
(``--fit-trials``, ``--fit-seeds``, ``--fit-seed``), as ``calibrate`` then ``forecast --params`` would
do on the day (``known_fitted.py`` says which parameters, why, and how its spread is set).
``--passes K``: iterated filtering (IF2), K passes over the reports up to the as-of date, the last
the forecast (``caravana forecast --passes``; docs/forecast.md, *Iterated filtering*); the prior
scored against stays the first pass's members. ``--resimulate K``: up to K sweeps of moves by re-simulation after each
resampling, as many as expected to give half the copies a new run, fixed before they run from a discarded
pilot's acceptance (session 16; session 15 stopped once half the copies had a new run) (``forecast/resim.py``; docs/forecast.md,
*Resample-move by re-simulation*); a line then gives the posterior's distinct histories beside the members it
descends from. Default 9 in these benchmarks since session 15 (the cap of the ``particles`` library's SMC
samplers, ten states a chain; ``...-session15-s15lineage-rule.txt``), 3 fixed sweeps in session 14;
``caravana forecast``'s default stays 0 (the move costs several times the CPU of a 2018 forecast as of
Oct 27); ``--resimulate 0`` gives the filter without the move.
``benchmarks/forecast_2021.py`` and ``forecast_2023.py`` always give each forecast only the reports
published by its as-of date (``published.py``; their priors are already the scenarios as known).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("COLUMNS", "160")  # wide tables when the output is not a terminal

from filter_settings import describe, earlier, leave_out
from horizon import WindowError, iso_day, window_days, window_ends, with_period
from known_fitted import prior_for

from caravana import load_scenario
from caravana.cli.common import parse_settings
from caravana.cli.forecast import print_forecast
from caravana.ensemble import get_backend
from caravana.errors import CaravanaError
from caravana.forecast import default_factors, run_forecast
from caravana.forecast.filter import particle_days
from caravana.forecast.moves import REPORTED_DAYS
from caravana.forecast.parameters import parse_factor, without
from caravana.forecast.pipeline import (
    ASSIMILATION_NOISE,
    REPORTED_DAYS_DEFAULT,
    SIZE_REVERSION_PER_DAY,
    SIZE_SD_PER_DAY,
    STAGE_HALF_LIFE_DAYS,
    STAGE_SD,
)
from caravana.forecast.plot import plot_forecast, save_figure
from caravana.forecast.resim import Resimulation
from caravana.metrics import NoiseModel
from caravana.observations import Observations, read_observations
from caravana.scenario.load import BUILTIN_DIR
from caravana.scenario.overrides import apply_overrides

AS_OF = ("2018-10-20", "2018-10-24", "2018-10-27")
LAST_REPORT = dt.date(2018, 10, 31)  # the blind-test line
OBSERVATIONS = BUILTIN_DIR / "corridor" / "observations_2018.csv"
DEFAULT_PLOT = Path(__file__).resolve().parent.parent / "docs" / "img" / "forecast_2018-10-24.png"
# The most sweeps of moves by re-simulation after each resampling (forecast/resim.py), stopping once half
# the copies have a new run: 9, the ``particles`` library's SMC samplers' default (a chain of ten states,
# nine moves; session 15). Session 14 made 3 fixed sweeps (its rule was met:
# benchmarks/results/forecast_2018_2021_2023-2026-11-27-session14-s14lineage-{rule,summary}.txt).
RESIMULATE = 9


def cpu_seconds() -> tuple[float, float]:
    """(this process, its finished children) user + system CPU seconds."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, children.ru_utime + children.ru_stime


def descendants_cpu() -> float:
    """User + system CPU seconds of this process's living descendants (the worker pool
    and its fork server), with what they reaped of descendants that ended (the move's workers,
    ``forecast.shards``, end before the pool), from /proc (Linux; 0 elsewhere): the pool's
    workers are not our children, so RUSAGE_CHILDREN never sees them."""
    try:
        stats = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                # ppid; utime + stime + cutime + cstime (children ended and waited for)
                stats[int(entry.name)] = (int(fields[1]), sum(int(f) for f in fields[11:15]))
    except OSError:
        return 0.0
    mine, total, grew = {os.getpid()}, 0, True
    while grew:
        new = {pid for pid, (ppid, _) in stats.items() if ppid in mine and pid not in mine}
        grew, mine = bool(new), mine | new
    total = sum(stats[pid][1] for pid in mine if pid != os.getpid() and pid in stats)
    return total / os.sysconf("SC_CLK_TCK")


def forecast(scenario, reports: Observations, as_of: dt.date, until: dt.date, args, weights_only: bool, factors=None,
             trace=None):
    """The forecast from ``as_of`` to ``until`` with ``args``' options (``trace``: ``forecast_autopsy.py``'s);
    (the run, wall seconds, CPU seconds here, CPU seconds in workers)."""
    kind = "inprocess" if args.workers == 1 else "processes"
    horizon = (until - as_of).days
    with get_backend(kind, workers=args.workers) as backend:
        wall, cpu, workers = time.perf_counter(), cpu_seconds(), descendants_cpu()
        also = [parse_factor(v) for v in args.vary_also]  # a setting one of them varies leaves the defaults
        base = default_factors(scenario, outflows=args.joint_outflows) if factors is None else factors
        run = run_forecast(scenario, reports, as_of, horizon, particles=args.particles, seed=args.seed,
                           factors=without(base, {p for f in also for p in f.paths}) + also,
                           backend=backend, weights_only=weights_only,
                           stage_sd=args.stage_sd, stage_half_life=args.stage_half_life, one_per_source=args.one_per_source,
                           noise=args.filter["noise"], size_sd_per_day=args.filter["size_sd_per_day"],
                           size_reversion=args.filter["size_reversion"],
                           reported_days=args.reported_days, resample_at_as_of=args.resample_at_as_of,
                           walk_after_as_of=args.walk_after_as_of, passes=args.passes, trace=trace,
                           resimulate=args.resimulate)
        workers = descendants_cpu() - workers  # before the pool closes
        wall = time.perf_counter() - wall
    after = cpu_seconds()
    return run, wall, after[0] - cpu[0], workers


def line(name: str, s: dict) -> str:
    """One ensemble's coverage line, from ``check.summary_by_ensemble``: open-ended hits counted
    as misses, then (if any) as hits (module doc)."""
    opened, closed = s.get("open_hits", 0), s["hits"] - s.get("open_hits", 0)
    as_hits = (f" [{opened} open-ended counted as misses; as hits: {s['hits']}/{s['reports']} "
               f"({s['hits'] / s['reports']:.0%})]") if opened else ""
    parts = [f"{name:>9}: {closed:2d}/{s['reports']:2d} in P5-P95 ({closed / s['reports']:4.0%}){as_hits}"]
    if s["day_reports"]:
        parts.append(f"days: width {s['day_width']:4.1f}, score {s['day_interval_score']:5.2f} ({s['day_reports']})")
    if s["count_reports"]:
        parts.append(f"counts: width {s['count_width']:5.0%}, score {s['count_interval_score']:5.2f} "
                     f"({s['count_reports']})")
    return "; ".join(parts)


def print_rows(held_back, start: dt.date) -> None:
    """Each held-back report and each ensemble's P5 / P50 / P95 of it (days as dates),
    hit or miss and interval score: which reports a score comes from. A hit whose P95 is
    "not there by the end" is flagged ``open`` (``check.open_ended``)."""
    def show(value: float, unit: str) -> str:
        return (start + dt.timedelta(days=round(value))).strftime("%b %d") if unit == "day" else f"{value:,.0f}"

    for r in held_back.to_pylist() if held_back.num_rows else []:
        reported = show(r["observed"], r["unit"]) + (f" [{r['low']:,.0f}-{r['high']:,.0f}]"
                                                      if r["unit"] == "people" and r["low"] != r["high"] else "")
        band = " / ".join(show(r[q], r["unit"]) for q in ("p5", "p50", "p95"))
        print(f"    {r['ensemble']:>9} row {r['row']:2d} {r['date']} {r['place'] or '':<22} {r['quantity']:<13} "
              f"reported {reported:<20} P5/P50/P95 {band:<28} {'hit ' if r['hit'] else 'MISS'} "
              f"score {r['interval_score']:.2f}{' open: P95 past the end, counted as a miss' if r['open_ended'] else ''}")


def arguments(doc: str, as_of: tuple[str, ...], until: str | None, plot: Path, argv=None, known: bool = False,
              caravan: str | None = None) -> argparse.Namespace:
    """The benchmark's options; ``caravan`` ("2018", "2021", "2023") is the one scored, whose own reports
    ``--filter-settings leave-out`` (its default) keeps out of the filter's settings (``filter_settings.py``);
    without it the package's defaults."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    if caravan is not None:
        parser.add_argument("--filter-settings", choices=("leave-out", "earlier", "today"), default="leave-out",
                            help="the filter's own settings (count and day noise, stage sd and half-life, size walk): "
                                 f"from the other caravans' reports, {caravan}'s left out (leave-out, default; "
                                 "benchmarks/filter_settings.py), from only those over before the first as-of date "
                                 "(earlier; the window too), or the package's defaults (today)")
    if known:
        parser.add_argument("--known", action="store_true",
                            help="the prior as known on each as-of date, with no fit (benchmarks/known_prior.py), "
                                 "and only the reports published by then (benchmarks/known_fitted.py)")
        parser.add_argument("--fitted", action="store_true",
                            help="with --known: the prior fitted to the reports published by each as-of date")
        parser.add_argument("--fit-trials", type=int, default=200, help="(--fitted) trials of each fit")
        parser.add_argument("--fit-seeds", type=int, default=3, help="(--fitted) seeds per trial")
        parser.add_argument("--fit-seed", type=int, default=0, help="(--fitted) the fit's seed")
    parser.add_argument("--as-of", nargs="+", default=list(as_of), type=iso_day)
    parser.add_argument("--particles", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1, help="1: in this process; more: local processes")
    parser.add_argument("--until", default=until, type=iso_day,
                        help=f"last forecast day (default {until})" if until else
                        "last forecast day (default: N days after each as-of date, N the longest of the other "
                        "caravans' durations; horizon.py)")
    parser.add_argument("--weights-only-too", action="store_true", help="also run the weighting-only filter")
    parser.add_argument("--stage-sd", type=float, default=None,
                        help=f"day-to-day sd of the caravans' stages in log (default: --filter-settings'; the package's "
                             f"{STAGE_SD}; 0: fixed stages)")
    parser.add_argument("--stage-half-life", type=float, default=None,
                        help=f"days a stage's deviation takes to halve (default: --filter-settings'; the package's "
                             f"{STAGE_HALF_LIFE_DAYS}; 0: daily draws)")
    parser.add_argument("--one-per-source", action="store_true",
                        help="the rows of one source on one date weigh as one report (forecast/sources.py)")
    parser.add_argument("--resample-at-as-of", action="store_true",
                        help="resample the posterior at the as-of date (session 7) instead of keeping its weights")
    parser.add_argument("--walk-after-as-of", action="store_true",
                        help="the size walk takes fresh noise every day after the as-of date too (session 7)")
    parser.add_argument("--reported-days", choices=REPORTED_DAYS, default=REPORTED_DAYS_DEFAULT,
                        help="how a reported arrival or departure day is assimilated (forecast/moves.py)")
    parser.add_argument("--passes", type=int, default=1,
                        help="iterated filtering: passes over the reports up to the as-of date (forecast/passes.py)")
    parser.add_argument("--resimulate", type=int, default=RESIMULATE, metavar="K",
                        help=f"up to K sweeps of moves by re-simulation after each resampling, stopping once half the "
                             f"copies have a new run (forecast/resim.py; 0: none; "
                             f"default {RESIMULATE})")
    parser.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                        help="a scenario setting, as `caravana run --set` (repeatable): a variant scored without "
                             "editing its file, e.g. corridor.caravans[0].break_up_rate=0.07")
    parser.add_argument("--vary-also", action="append", default=[], metavar="PATH=LOW:HIGH",
                        help="an uncertain factor added to the default ones (as `caravana forecast --vary`, which "
                             "replaces them; repeatable). It adds a column to the factors' draws, so every "
                             "factor's draws change: compare with a baseline run with the same factor at =1:1. A "
                             "setting a default factor varies too is taken out of it (e.g. a pace leg of its own)")
    parser.add_argument("--as-written", action="store_true",
                        help="the scenario file as written: without the settings and factors this caravan's "
                             "benchmark adds to it (its module doc says which and why)")
    # No figure unless asked: a benchmark run on any seed would otherwise overwrite the docs' figure.
    parser.add_argument("--plot", type=Path, default=None,
                        help=f"write the middle as-of date's forecast plot here (the docs' figure is {plot})")
    parser.add_argument("--show", action="store_true", help="print each forecast's tables")
    parser.add_argument("--rows", action="store_true", help="print each held-back report against each ensemble's interval")
    parser.add_argument("--joint-outflows", action="store_true",
                        help="draw the outflow factors (leave rates, asylum, detentions) together, not each on its "
                             "own (caravana.forecast.outflows; as `caravana forecast --joint-outflows`)")
    # --joint-outflows: passed on by forecast() and prior_for(), no module state
    args = parser.parse_args(argv)
    try:  # refused before any forecast runs (the move's default is on here)
        Resimulation(args.resimulate).check_passes(args.passes)
    except CaravanaError as error:
        parser.error(str(error))
    return with_filter_settings(args, caravan)


def with_filter_settings(args: argparse.Namespace, caravan: str | None) -> argparse.Namespace:
    """``args`` with the filter's own settings in ``args.filter`` (noise, size walk, their sources) and
    ``--stage-sd`` / ``--stage-half-life`` filled in where not given: from the caravans other than
    ``caravan`` (``--filter-settings leave-out``), from those over before the first as-of date (``earlier``),
    or the package's defaults (``today``; no caravan)."""
    mode = getattr(args, "filter_settings", "today")
    if mode in ("leave-out", "earlier"):
        first = min(dt.date.fromisoformat(day) for day in args.as_of) if args.as_of else None
        derived = leave_out(caravan) if mode == "leave-out" else earlier(caravan, first)
        stage_sd, half_life = derived.stage_sd.value, derived.stage_half_life.value
        label = f"leave-out ({caravan} left out)" if mode == "leave-out" else f"earlier ({derived.left_out})"
        args.filter = {"noise": NoiseModel(count_sd=derived.count_sd.value, day_sd=derived.day_sd.value),
                       "size_sd_per_day": derived.size_sd_per_day, "size_reversion": derived.size_reversion.value,
                       "sources": [label, *describe(derived)]}
    else:
        stage_sd, half_life = STAGE_SD, STAGE_HALF_LIFE_DAYS
        args.filter = {"noise": ASSIMILATION_NOISE, "size_sd_per_day": SIZE_SD_PER_DAY,
                       "size_reversion": SIZE_REVERSION_PER_DAY,
                       "sources": ["today: the package's defaults (caravana.forecast.pipeline)"]}
    args.stage_sd = stage_sd if args.stage_sd is None else args.stage_sd
    args.stage_half_life = half_life if args.stage_half_life is None else args.stage_half_life
    return args


def reports_until(scenario, observations: Path, last_report: dt.date) -> Observations:
    """The observations file's reports dated up to ``last_report``, checked against ``scenario``:
    nothing dated after it is used or scored."""
    everything = read_observations(observations).check_against(scenario)
    return Observations(rows=tuple(r for r in everything if r.date <= last_report), file=everything.file,
                        context=everything.context)


def run_case(scenario, observations: Path, last_report: dt.date, args: argparse.Namespace, prior=None) -> None:
    """Forecast from each as-of date and print the figures (see the module doc)."""
    reports = reports_until(scenario, observations, last_report)
    ends = window_ends(scenario, args.until, args.as_of, as_of_honest(args))  # (checked first by main_for)
    window = (f"to {args.until} (--until)" if args.until else
              window_days(scenario, min(map(dt.date.fromisoformat, args.as_of)) if as_of_honest(args) else None).source)
    filters = [("state+parameters", False)] + ([("weights only", True)] if args.weights_only_too else [])
    print(f"{scenario.name}, {args.particles} particles, seed {args.seed}, stage sd {args.stage_sd}, half-life "
          f"{args.stage_half_life}, reported days: {args.reported_days}, forecast window {window}, held-back reports up to "
          f"{last_report}{', resampled at the as-of date' if args.resample_at_as_of else ''}"
          f"{', walk after the as-of date' if args.walk_after_as_of else ''}"
          f"{f', {args.passes} passes' if args.passes > 1 else ''}"
          f"{f', up to {args.resimulate} sweeps of moves by re-simulation' if args.resimulate else ''}"
          f"{', outflows drawn together' if args.joint_outflows else ''}"
          f"{', settings: ' + ' '.join(args.set) if args.set else ''}"
          f"{', factors also: ' + ' '.join(args.vary_also) if args.vary_also else ''}")
    noise = args.filter["noise"]
    print(f"filter settings: count sd {noise.count_sd}, day sd {noise.day_sd}, size walk sd a day "
          f"{args.filter['size_sd_per_day']} reverting at {args.filter['size_reversion']:.4g} a day, stage sd "
          f"{args.stage_sd}, half-life {args.stage_half_life}; "
          + "; ".join(args.filter["sources"]))
    for n, text in enumerate(args.as_of):
        as_of, until = dt.date.fromisoformat(text), ends[text]
        beyond = sum(1 for r in reports if as_of < r.date and r.date > until)
        known, factors, given = prior(scenario, as_of, reports) if prior else (scenario, None, reports)  # --known
        for name, weights_only in filters:
            run, wall, cpu, child_cpu = forecast(known, given, as_of, until, args, weights_only, factors)
            meta = run.metadata
            if args.show:
                print_forecast(run)
            if args.plot and not weights_only and n == min(1, len(args.as_of) - 1):  # the second as-of date: a middle one
                save_figure(plot_forecast(run), args.plot)
            work = particle_days(args.particles, run.assimilation.end_day, args.passes, run.assimilation.as_of_day)
            print(f"\nas of {as_of}, filter: {name} ({meta['observations_used']} reports used, "
                  f"{meta['observations_held_back']} held back)")
            print(f"  window: to {until} ({(until - as_of).days} days); held-back reports after its end, not "
                  f"scored: {beyond}")
            for ensemble, s in meta["held_back_check"].items():
                print("  " + line(ensemble, s))
            if args.rows:
                print_rows(run.held_back, scenario.period.start)
            steps = ", ".join(f"{s['date'][5:]} {s['ess']:.0f}{'*' if s['resampled'] else ''}"
                              for s in meta["filter_steps"])
            print(f"  ESS after each report date (* resampled): {steps}")
            kept = ", ".join(f"{s['date'][5:]} {s['members']}" for s in meta["filter_steps"] if s["resampled"])
            print(f"  members the particles descend from after each resampling: {kept or 'none'}; "
                  f"at the end (distinct, any weight): {meta['distinct_members_in_posterior']}")
            lineage = meta["ancestors"]  # docs/forecast.md, *Ancestors*: the target is judged on "weighted"
            print(f"  ESS at the as-of date {meta['ess_at_as_of']:.1f} of {args.particles}; posterior descends from "
                  f"{lineage['weighted']:.1f} members by weight ({lineage['weighted'] / args.particles:.0%}); "
                  f"distinct, any weight: {lineage['distinct']}; effective (Kish): {lineage['effective']:.1f}")
            if "resimulation" in meta:  # the move by re-simulation: distinct histories beside the lineage
                kept, moved = meta["histories"], meta["resimulation"]
                print(f"  histories: posterior carries {kept['weighted']:.1f} distinct histories by weight "
                      f"({kept['weighted'] / args.particles:.0%}); distinct, any weight: {kept['distinct']}; effective "
                      f"(Kish): {kept['effective']:.1f}; re-simulated runs {moved['runs']:,} "
                      f"(pilot {moved.get('pilot', 0):,}), accepted {moved['accepted']:,}; "
                      "histories after each resampling: " + ", ".join(
                          f"{s['date'][5:]} {s['histories']} (+{s['accepted']})" for s in meta["filter_steps"] if s["resampled"]))
            for p in meta.get("passes", {}).get("before_the_last", []):  # iterated filtering
                print(f"  pass {p['pass']}: members by weight at the as-of date {p['ancestors_by_weight']:.1f}, "
                      f"log-likelihood {p['log_likelihood']:.1f}; last pass: {meta['passes']['last_log_likelihood']:.1f}")
            if isinstance(meta["filter"], dict):
                print(f"  size moves: +{meta['filter']['people_added_by_size_moves']:,} / "
                      f"-{meta['filter']['people_removed_by_size_moves']:,} people over all particles and dates")
            print(f"  time: {work:,} particle-days; CPU {cpu:.1f} s here + {child_cpu:.1f} s in workers; "
                  f"wall {wall:.1f} s (shared machine: load average {os.getloadavg()[0]:.1f})")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(f"\npeak memory {peak:.2f} GiB; plot: {args.plot or 'none (--plot FILE)'}")


def main_for(doc: str, scenario: str | Path, observations: Path, last_report: dt.date, as_of: tuple[str, ...],
             plot: Path, argv=None, settings: tuple[str, ...] = (), vary_also: tuple[str, ...] = (),
             prior=None, as_known=None, caravan: str = "2018") -> int:
    """A caravan's benchmark (this one, ``forecast_2021.py``, ``forecast_2023.py``): its
    arguments, then ``run_case`` on its scenario and reports. ``settings`` (``PATH=VALUE``) and
    ``vary_also`` (``PATH=LOW:HIGH``) are the caravan's own, applied before the command line's
    ``--set`` / ``--vary-also`` unless ``--as-written``. ``prior(args)`` gives, with ``--known``, a
    ``(scenario, as_of, reports)`` -> (the scenario, factors and reports as known on the day);
    ``as_known`` is such a function used without ``--known`` (2021, 2023: ``published.as_published``)."""
    args = with_own(arguments(doc, as_of, None, plot, argv, known=prior is not None, caravan=caravan), settings,
                    vary_also)
    loaded = with_settings(load_scenario(scenario), args.set)
    try:
        ends = window_ends(loaded, args.until, args.as_of, as_of_honest(args))
    except WindowError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    run_case(with_period(loaded, max(ends.values())), observations, last_report, args,
             prior(args) if getattr(args, "known", False) or getattr(args, "fitted", False) else as_known)
    return 0


def as_of_honest(args: argparse.Namespace) -> bool:
    """``--filter-settings earlier``: the window from only the caravans ended before each as-of date too."""
    return getattr(args, "filter_settings", None) == "earlier"


def with_own(args: argparse.Namespace, settings: tuple[str, ...], vary_also: tuple[str, ...]) -> argparse.Namespace:
    """``args`` with a caravan's own settings and factors before the command line's, unless ``--as-written``."""
    if not args.as_written:
        args.set, args.vary_also = [*settings, *args.set], [*vary_also, *args.vary_also]
    return args


def with_settings(scenario, settings: list[str]):
    """The scenario with ``--set`` settings (``PATH=VALUE``) applied, checked as ``caravana run`` checks them."""
    return apply_overrides(scenario, parse_settings(settings)) if settings else scenario


def main(argv=None) -> int:
    return main_for(__doc__, "corridor", OBSERVATIONS, LAST_REPORT, AS_OF, DEFAULT_PLOT, argv,
                    prior=prior_for)


if __name__ == "__main__":
    raise SystemExit(main())
