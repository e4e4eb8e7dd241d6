"""Leave-one-out over the recorded caravans of 2019-2024: can one shared set of habits,
fitted on the other caravans, say how far a caravan gets and how long it lasts?

    python benchmarks/caravans_other.py [--candidates 128] [--seeds 2] [--days 60] [--seed 0] [--no-on-foot]

Each caravan of ``caravans_other.csv`` dated 2019-2024 with a recorded furthest point is
replayed (``caravana.scenario.records``) from its start date, origin, initial size and its
year's policy (``policies_other.yml``) only, on the 2018 road from its origin. The shared
habits (``examples/params/caravans_other.yml``: pace, rests, leaving, detention, taking
papers) are ``--candidates`` sets drawn once from their priors; every set replays every
caravan (``--seeds`` seeds, medians). For each caravan, the set with the lowest mean
``metrics.course_error`` on the *other* caravans is used (``caravana.calibrate.records``),
and its replay of the left-out caravan is compared with the record: the furthest km its
centre reached (``metrics.caravan_furthest_km``) and its duration in days
(``metrics.caravan_end_day``: fewer than 10 % of its peak still with it, or arrived).
No per-caravan tuning. Also printed: the prior centre (no fit) and the set fitted on all
caravans (in-sample, for reference). CPU time is printed; the machine is shared.

Two ways to use the other caravans are printed, from the same replays:

- *best set*: the one habit set with the lowest mean error on the other caravans;
- *pooled* (``calibrate.records.pooled_leave_one_out``): the median of the replays of the
  k sets best on the other caravans, k chosen by a leave-one-out nested within the other
  caravans. The table shows the pooled prediction; the medians of both are printed.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from caravana import load_scenario
from caravana.calibrate import read_params
from caravana.calibrate.records import Course, best_on, candidates, leave_one_out, pooled_leave_one_out, replay_all
from caravana.scenario.records import SharedHabits, read_policies, read_records, recorded_furthest_km

ROOT = Path(__file__).resolve().parent.parent
PARAMS = ROOT / "examples" / "params" / "caravans_other.yml"
YEARS = range(2019, 2025)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=128, help="habit sets drawn from the priors (a power of 2)")
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0, help="seed of the candidate draw")
    parser.add_argument("--no-on-foot", action="store_true", help="an ablation: drop the policies' caravan sections "
                        "(every caravan at the riding pace; the same candidate sets)")
    args = parser.parse_args(argv)

    base, policies, specs = load_scenario("corridor"), read_policies(), read_params(PARAMS)
    if args.no_on_foot:
        policies = {name: {k: v for k, v in policy.items() if k != "caravan"} for name, policy in policies.items()}
    records = [r for r in read_records() if r.start.year in YEARS and r.scored]
    skipped = [r.name for r in read_records() if r.start.year in YEARS and not r.scored]
    prior = SharedHabits(**{s.path: s.centre() for s in specs})
    sets = [prior, *candidates(specs, args.candidates, seed=args.seed)]
    seeds = list(range(args.seeds))
    started = time.process_time()
    replays = replay_all(records, sets, seeds, days=args.days, base=base, policies=policies,
                         progress=lambda i, n: print(f"\r  replayed {i}/{n} habit sets", end="", flush=True))
    cpu = time.process_time() - started
    print()
    errors = np.array([[r.error for r in row] for row in replays])
    drawn = errors[1:]  # the prior centre is a reference, not a candidate
    fold = [1 + c for c in leave_one_out(drawn)]
    everything = 1 + best_on(drawn, range(len(records)))

    recorded_km = [float(recorded_furthest_km(rec, base) or 0.0) for rec in records]  # every record is scored
    course = Course.of(replays[1:], recorded_km, [rec.duration_days for rec in records], args.days)
    pooled = pooled_leave_one_out(course)
    print(f"{len(records)} caravans of 2019-2024 (not scored, no furthest point: {', '.join(skipped) or 'none'}); "
          f"{args.candidates} habit sets x {len(seeds)} seeds, {args.days}-day runs; {cpu:.0f} s CPU")
    print("leave-one-out: each caravan predicted from the other caravans only; the table: pooled "
          "(median of the k sets best on the others, k by a nested leave-one-out)\n")
    header = (f"{'caravan':10s} {'start':10s} {'origin':14s} {'size':>5s} {'policy':20s} {'k':>3s} "
              f"{'km rec':>7s} {'km model':>8s} {'km err':>7s} {'d rec':>5s} {'d model':>7s} {'d err':>6s}")
    print(header)
    summary = {}
    for method in ("best set", "pooled"):
        km_err, day_err, course_err = [], [], []
        for i, rec in enumerate(records):
            if method == "pooled":
                k, km_model, end_day = pooled[i]  # k counts the drawn sets (the prior centre is not one)
            else:
                k, km_model, end_day = 1, replays[fold[i]][i].furthest_km, replays[fold[i]][i].end_day
            km = recorded_km[i]
            dk = km_model - km
            km_err.append(dk)
            course_err.append(course.error(i, km_model, end_day))
            end = args.days if np.isnan(end_day) else end_day
            dd = None if rec.duration_days is None else end - rec.duration_days
            if dd is not None:
                day_err.append(dd)
            if method != "pooled":
                continue
            model_days = f">{args.days}" if np.isnan(end_day) else f"{end_day:.0f}"
            print(f"{rec.name:10s} {rec.start!s:10s} {rec.place:14s} {rec.initial_size:5d} {rec.policy or '-':20s} {k:3d} "
                  f"{km:7.0f} {km_model:8.0f} {dk:+7.0f} {rec.duration_days if rec.duration_days is not None else '-':>5} "
                  f"{model_days:>7s} {('-' if dd is None else f'{dd:+.0f}'):>6s}")
        summary[method] = (km_err, day_err, course_err)
    for method, (km_err, day_err, course_err) in summary.items():
        print(f"{method:9s}: median |km error| {np.median(np.abs(km_err)):.0f} km (median km error {np.median(km_err):+.0f}); "
              f"median |days error| {np.median(np.abs(day_err)):.1f} days (median {np.median(day_err):+.1f}) "
              f"over {len(day_err)} caravans with a recorded end; mean course error {np.mean(course_err):.3f}")
    print(f"course error (metrics.course_error) for reference: prior centre {errors[0].mean():.3f}; "
          f"best set fitted on all (in-sample) {errors[everything].mean():.3f}")

    def show(habits: SharedHabits) -> str:
        return ", ".join(f"{s.label} {getattr(habits, s.path):.3g}" for s in specs)

    print(f"\nprior centre: {show(prior)}")
    print(f"fitted on all: {show(sets[everything])}")
    chosen = sorted(set(fold))
    print(f"leave-one-out picked {len(chosen)} different set(s):")
    for c in chosen:
        print(f"  for {', '.join(r.name for r, f in zip(records, fold) if f == c)}: {show(sets[c])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
