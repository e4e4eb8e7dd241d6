"""Why do the reported-day moves (``moves.move_days``) change the 2018 forecast? A diagnosis.

    python benchmarks/forecast_day_moves.py [--case 2018|2021] [--as-of 2018-10-24]
        [--seed 1] [--particles 200] [--stage-half-life 0] [--rules weigh move]

For each rule of ``moves.REPORTED_DAYS`` given (``weigh``: a reported day only weights
particles, by the day the run's caravan centre gets there, as in session 6; ``move``: it
moves the main body, session 7; others: see ``docs/forecast.md``) it runs the forecast
of ``benchmarks/forecast_2018.py`` (or ``forecast_2021.py``) from one as-of date and prints

- every held-back report: the posterior's P5-P50-P95 and interval score under each rule
  (and the prior's), so one sees which reports a rule makes worse;
- every reported day the filter assimilated: where the posterior's caravan centre (the
  median member, as ``caravana.metrics`` reads a day) got there, P5-P50-P95 of the day,
  against the report, under each rule (does the state agree with the reports it was
  given, read as the held-back reports are read?);
- under a moving rule, for each reported day when it was assimilated: the ESS of its
  weights alone, how many particles' bodies it moved and how far (km and days of the
  caravan's mean stage), where the bodies were before (days early or late by km), the
  share of the caravan's members with the body (only they are moved), and how far the
  centre moved against the body.

A diagnostic of sessions 7-10, kept as it was written: it runs the old windows (its ``CASES``, to three
days after the last scored report) with the package's filter settings, not the benchmarks' window to the
scenario's last day (``horizon.py``) and leave-out settings (``filter_settings.py``) of session 13, so its
figures are not comparable with the benchmarks' headline.

The instrumentation wraps ``filter.move_days`` while this script runs (the same draws in
the same order: rows are passed one at a time, as ``move_days`` takes them in turn).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os

import numpy as np

os.environ.setdefault("COLUMNS", "160")

from forecast_2018 import LAST_REPORT as LAST_2018  # noqa: E402
from forecast_2018 import OBSERVATIONS as OBS_2018  # noqa: E402
from forecast_2021 import LAST_REPORT as LAST_2021  # noqa: E402
from forecast_2021 import OBSERVATIONS as OBS_2021  # noqa: E402
from forecast_2021 import SCENARIO as SCENARIO_2021  # noqa: E402

from caravana import load_scenario  # noqa: E402
from caravana.behaviours.corridor.interfaces import CaravanGroups  # noqa: E402
from caravana.forecast import default_factors, run_forecast  # noqa: E402
from caravana.forecast import filter as filter_module  # noqa: E402
from caravana.forecast.check import check_held_back  # noqa: E402
from caravana.forecast.moves import REPORTED_DAYS, _mean_stage, caravan_index, night_of  # noqa: E402
from caravana.observations import Observations, read_observations  # noqa: E402

CASES = {"2018": ("corridor", OBS_2018, LAST_2018, "2018-10-24", "2018-11-03"),
         "2021": (SCENARIO_2021, OBS_2021, LAST_2021, "2021-11-02", "2021-11-19")}


def _body_facts(sim, c: int) -> tuple[float, float, float, float]:
    """(body km, centre km of the members, share of members with the body, mean stage km)."""
    caravans = sim.provider(CaravanGroups)
    st = caravans.states[c]
    m = caravans.members(sim, c)
    ckm = sim.population.ckm[m]
    share = float(np.count_nonzero(ckm == st.body)) / max(len(m), 1)
    centre = float(np.median(ckm)) if len(m) else np.nan
    stage = _mean_stage(sim, c, int(st.path.segment(np.asarray([st.body]))[0]))
    return float(st.body), centre, share, stage


def instrument(log: list[dict]):
    """A wrapper of ``move_days`` recording, row by row, what each move did."""
    original = filter_module.move_days

    def wrapped(sims, rows, move, since, rng, sd=None):
        total, moved_total = np.zeros(len(sims)), np.zeros(2, dtype=np.int64)
        for obs in rows:
            c = caravan_index(sims[0], obs.caravan)
            before = [_body_facts(sim, c) for sim in sims]
            out, moved = original(sims, [obs], move, since, rng, sd)
            after = [_body_facts(sim, c) for sim in sims]
            route = sims[0].provider(CaravanGroups).states[c].path
            place = sims[0].network.index(obs.place)
            place_km = float(route.km[route.index_of(place)]) if place in route.places else np.nan
            w = np.exp(out - out.max())
            w /= w.sum()
            log.append({"obs": obs, "ess": float(1 / np.sum(w**2)), "before": np.array(before),
                        "after": np.array(after), "place_km": place_km})
            total += out
            moved_total += moved
        return total, moved_total

    return wrapped


def run(case: str, as_of: dt.date, seed: int, particles: int, half_life: float, rule: str):
    scenario_ref, observations, last, _, until = CASES[case]
    scenario = load_scenario(scenario_ref)
    everything = read_observations(observations).check_against(scenario)
    reports = Observations(rows=tuple(r for r in everything if r.date <= last), file=everything.file,
                           context=everything.context)
    log: list[dict] = []
    saved = filter_module.move_days
    filter_module.move_days = instrument(log)
    try:
        result = run_forecast(scenario, reports, as_of, (dt.date.fromisoformat(until) - as_of).days,
                              particles=particles, seed=seed, factors=default_factors(scenario),
                              stage_half_life=half_life, reported_days=rule)
    finally:
        filter_module.move_days = saved
    used = Observations(rows=tuple(r for r in reports if r.date <= as_of and not r.is_count), file=reports.file,
                        context=reports.context)
    ensembles = {"posterior": result.assimilation.posterior}
    weights = {"posterior": result.assimilation.particle_weights}  # read as the held-back ones are
    fit = check_held_back(ensembles, used, result.forecast.end, weights)
    return result, log, fit


def _rows(table) -> list[dict]:
    return table.to_pylist() if table.num_rows else []


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", choices=sorted(CASES), default="2018")
    parser.add_argument("--as-of", default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--particles", type=int, default=200)
    parser.add_argument("--stage-half-life", type=float, default=0.0)
    parser.add_argument("--rules", nargs="+", choices=REPORTED_DAYS, default=["weigh", "move"])
    args = parser.parse_args(argv)
    as_of = dt.date.fromisoformat(args.as_of or CASES[args.case][3])
    print(f"{args.case}, as of {as_of}, seed {args.seed}, {args.particles} particles, stage half-life "
          f"{args.stage_half_life}, rules {' '.join(args.rules)}")
    runs = {rule: run(args.case, as_of, args.seed, args.particles, args.stage_half_life, rule) for rule in args.rules}

    print("\nheld-back reports: P5-P50-P95 and interval score (counts: relative to the report)")
    tables = {rule: _rows(r.held_back) for rule, (r, _, _) in runs.items()}
    first = tables[args.rules[0]]
    for i, row in enumerate(r for r in first if r["ensemble"] == "posterior"):
        what = f"{row['date']} {row['place'] or '-'} {row['quantity']} {row['low']:g}-{row['high']:g}"
        cells = []
        for rule in args.rules:
            post = [r for r in tables[rule] if r["ensemble"] == "posterior"][i]
            cells.append(f"{rule}: {post['p5']:.0f}-{post['p50']:.0f}-{post['p95']:.0f} {post['interval_score']:.2f}")
        prior = [r for r in first if r["ensemble"] == "prior"][i]
        cells.append(f"prior: {prior['p5']:.0f}-{prior['p50']:.0f}-{prior['p95']:.0f} {prior['interval_score']:.2f}")
        print(f"  {what:55s} " + " | ".join(cells))
    for rule, (r, _, _) in runs.items():
        meta = r.metadata
        s = meta["held_back_check"]["posterior"]
        print(f"  {rule}: days {s['day_interval_score']}, counts {s['count_interval_score']}, "
              f"ancestors {meta['distinct_members_in_posterior']}; ESS "
              + ", ".join(f"{x['date'][5:]} {x['ess']:.0f}{'*' if x['resampled'] else ''}" for x in meta["filter_steps"]))

    print("\nassimilated reported days, read from the posterior as the held-back ones are (day P5-P50-P95, report)")
    fits = {rule: _rows(fit) for rule, (_, _, fit) in runs.items()}
    for i, row in enumerate(fits[args.rules[0]]):
        what = f"{row['date']} {row['place']} {row['quantity']} (day {row['observed']:.0f})"
        cells = [f"{rule}: {fits[rule][i]['p5']:.0f}-{fits[rule][i]['p50']:.0f}-{fits[rule][i]['p95']:.0f}"
                 for rule in args.rules]
        print(f"  {what:50s} " + " | ".join(cells))

    for rule, (_, log, _) in runs.items():
        if not log:
            continue
        print(f"\nrule {rule}: each reported day when assimilated (night = the night it puts the body at the place)")
        print("  report                                   night  ESS   moved  |km| mean  days off before P5/P50/P95"
              "  with body  centre shift / body shift")
        for entry in log:
            obs, b, a = entry["obs"], entry["before"], entry["after"]
            shift = a[:, 0] - b[:, 0]
            moved = shift != 0
            off = (b[:, 0] - entry["place_km"]) / np.maximum(b[:, 3], 1e-6)
            centre = a[:, 1] - b[:, 1]
            ratio = (np.sum(centre[moved]) / np.sum(shift[moved])) if moved.any() else np.nan
            q = np.nanpercentile(off, [5, 50, 95])
            print(f"  {str(obs.date)} {obs.place[:18]:18s} {str(obs.quantity):8s} {str(night_of(obs))[5:]}  "
                  f"{entry['ess']:5.0f}  {moved.sum():4d}  {np.abs(shift[moved]).mean() if moved.any() else 0:6.1f}  "
                  f"{q[0]:+5.1f} {q[1]:+5.1f} {q[2]:+5.1f}      {np.median(b[:, 2]):4.0%}      {ratio:5.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
