"""How much of the move by re-simulation's stepping early rejection could save (measurement only:
the forecast is made as ``forecast_speed.py`` makes it, in one process, and nothing it draws changes).

    python benchmarks/early_rejection_bound.py [--as-of 2018-10-24] [--seed 3] [--particles 200]

The move (``forecast/resim.py``) runs each proposal from day 0 to the report date t and takes it when
log u < log W_t(x') - log W_t(x_j) + log_ratio, W_t the product of the run's weight increments over the
report dates up to t. Each increment has an upper bound that does not depend on the run (its report's
likelihood at its best; a move's marginal likelihood is an average of the report's likelihood, so at
most its best). After report date d a proposal whose cumulative increments plus the bounds of the
later dates' increments fall below its uniform's threshold would be refused whatever the rest of
its run does (Solonen et al. 2012's early rejection). This script records, for every re-simulated
run (the pilot's too), each date's increment (through ``shards.LocalRuns``) and the uniform its
ratio was compared with, and prints the date at which the bound would already refuse it, and the
particle-days that would not be stepped.

The bounds (``metrics.NoiseModel``; count values as log1p): a count report of range [lo, hi] has
log density at most -log(hi - lo + sd sqrt(2 pi)) (inside its range); a reported day at most
-log(day_sd sqrt(2 pi)). ``move_positions``, ``move_days`` and ``move_returns`` weigh a particle by a
prior-weighted average of that density over a finite set (stops, shares sent home) whose weights sum
to one: at most the density's sup. ``move_sizes`` weighs it by a Riemann sum of the walk's prior
times the density on a grid of x = mu + tau z: at most the sup times the prior's grid sum,
sum phi(z_i) dz, the same for every tau (computed below). Scored rows (``metrics.log_likelihood``)
are the densities themselves. A row of k of one source (``--one-per-source``, off here) would be
tempered by 1/k or widened by sqrt(k); not handled (refused).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import time
from functools import partial

import numpy as np
from forecast_2018 import LAST_REPORT, OBSERVATIONS, reports_until

import caravana.forecast.filter as filter_module
from caravana import load_scenario
from caravana.ensemble import get_backend
from caravana.forecast import default_factors, run_forecast
from caravana.forecast import moves as moves_module
from caravana.forecast.shards import LocalRuns
from caravana.metrics import NoiseModel
from caravana.observations import Observation


def count_sup(noise: NoiseModel, row: Observation) -> float:
    low, high = row.bounds
    return -math.log(math.log1p(high) - math.log1p(low) + noise.count_sd * math.sqrt(2 * math.pi))


def day_sup(noise: NoiseModel) -> float:
    return -math.log(noise.day_sd * math.sqrt(2 * math.pi))


def size_grid_mass(points: int) -> float:
    """sum phi(z_i) dz over ``SizeMove``'s grid z in [-6, 6] (the x >= 0 cut only drops terms)."""
    z = np.linspace(-6.0, 6.0, points)
    return float(np.sum(np.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)) * 12.0 / (points - 1))


def row_sup(fn, row: Observation, move) -> float:
    noise = move.noise
    if fn is moves_module.move_days:
        return day_sup(noise)
    if fn is moves_module.move_sizes:
        return count_sup(noise, row) + max(0.0, math.log(size_grid_mass(move.points)))
    return count_sup(noise, row)  # move_positions, move_returns


def scored_sup(observations, scorer) -> float:
    if not (isinstance(scorer, partial) and scorer.func is filter_module_log_likelihood()):
        raise SystemExit(f"unknown scorer {scorer!r}: no bound")
    noise = scorer.keywords.get("noise") or NoiseModel()
    return sum(count_sup(noise, r) if r.is_count else day_sup(noise) for r in observations)


def filter_module_log_likelihood():
    from caravana.metrics import log_likelihood
    return log_likelihood


RUNS: list[LocalRuns] = []
TRIALS: list[dict] = []


def instrument() -> None:
    init, step, apply, score = LocalRuns.__init__, LocalRuns.step, LocalRuns.apply, LocalRuns.score

    def new_init(self, sims, add):
        init(self, sims, add)
        self.log = []
        RUNS.append(self)

    def new_step(self, day):
        self.log.append([day, np.zeros(len(self.sims)), 0.0])
        step(self, day)

    def new_apply(self, fn, rows, **kwargs):
        out = apply(self, fn, rows, **kwargs)
        if self.log:
            self.log[-1][1] = self.log[-1][1] + out[0]
            self.log[-1][2] += sum(row_sup(fn, row, kwargs["move"]) for row in rows)
        return out

    def new_score(self, observations, scorer, light):
        out = score(self, observations, scorer, light)
        if self.log:
            self.log[-1][1] = self.log[-1][1] + out
            self.log[-1][2] += scored_sup(observations, scorer)
        return out

    LocalRuns.__init__, LocalRuns.step, LocalRuns.apply, LocalRuns.score = new_init, new_step, new_apply, new_score
    accepted = filter_module.accepted

    def new_accepted(current_ll, proposed_ll, log_ratio, inside, rng):
        state = rng.bit_generator.state
        u = rng.random(len(current_ll))
        rng.bit_generator.state = state
        take = accepted(current_ll, proposed_ll, log_ratio, inside, rng)
        runs = RUNS[-1]  # the trial's runs: the last made before its ratio
        TRIALS.append({"current": current_ll.copy(), "proposed": proposed_ll.copy(), "log_ratio": log_ratio.copy(),
                       "u": u, "take": take.copy(), "log": [(d, inc.copy(), sup) for d, inc, sup in runs.log],
                       "size": len(current_ll)})
        return take

    filter_module.accepted = new_accepted


def analyse(trials: list[dict]) -> dict:
    total = saved = runs = refused_early = taken = wrong = checked = 0
    by_date: dict[int, int] = {}
    slack: list[float] = []
    for t in trials:
        days = np.array([d for d, _, _ in t["log"]])
        inc = np.array([i for _, i, _ in t["log"]])  # (dates, runs)
        sups = np.array([s for _, _, s in t["log"]])
        if len(days) == 0:
            continue
        cum = np.cumsum(inc, axis=0)
        checked += int(np.sum(np.abs(cum[-1] - t["proposed"]) > 1e-6 * np.maximum(1, np.abs(t["proposed"]))))
        later = np.concatenate([np.cumsum(sups[::-1])[::-1][1:], [0.0]])  # bound of the dates after each
        last = int(days[-1])
        run_days = last + 1
        if np.any(inc > sups[:, None] + 1e-9):
            wrong += int(np.sum(inc > sups[:, None] + 1e-9))
        log_u = np.log(t["u"])
        for j in range(t["size"]):
            runs += 1
            total += run_days
            if t["take"][j]:
                taken += 1
            # Before any date: the bound of every date; then after each date d.
            bound = np.concatenate([[sups.sum()], cum[:, j] + later]) - t["current"][j] + t["log_ratio"][j]
            slack.extend((inc[:, j] - sups).tolist())
            hit = np.flatnonzero(log_u[j] >= bound[:-1])  # the last: the ratio itself
            if len(hit):
                k = int(hit[0])
                if t["take"][j]:
                    wrong += 1  # the bound would refuse a run the ratio took: not an upper bound
                refused_early += 1
                stopped = -1 if k == 0 else int(days[k - 1])
                saved += last - stopped
                by_date[stopped] = by_date.get(stopped, 0) + 1
    return {"runs": runs, "taken": taken, "refused_early": refused_early, "particle_days": total, "saved": saved,
            "by_day": dict(sorted(by_date.items())), "violations": wrong, "sum_mismatch": checked,
            "slack": np.array(slack)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--particles", type=int, default=200)
    parser.add_argument("--as-of", default="2018-10-24")
    parser.add_argument("--until", default="2018-12-10")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--resimulate", type=int, default=9)
    args = parser.parse_args(argv)
    instrument()
    scenario = load_scenario("corridor")
    reports = reports_until(scenario, OBSERVATIONS, LAST_REPORT)
    as_of, until = dt.date.fromisoformat(args.as_of), dt.date.fromisoformat(args.until)
    print(f"corridor, {args.particles} particles, as of {as_of} to {until}, seed {args.seed}, --resimulate "
          f"{args.resimulate}, 1 worker (in this process); load average {os.getloadavg()[0]:.1f} before; "
          f"{os.cpu_count()} cores shared by the team")
    totals: list[int] = []
    wall = time.perf_counter()
    with get_backend("inprocess", workers=1) as backend:
        run = run_forecast(scenario, reports, as_of, (until - as_of).days, particles=args.particles, seed=args.seed,
                           factors=default_factors(scenario), backend=backend, resimulate=args.resimulate,
                           progress=lambda _d, total: totals.append(total))
    wall = time.perf_counter() - wall
    resim = run.metadata.get("resimulation", {})
    print(f"wall {wall:.0f} s; load average {os.getloadavg()[0]:.1f} after; forecast particle-days {totals[-1]:,}; "
          f"re-simulated runs {resim.get('runs')} (pilot {resim.get('pilot')}), accepted {resim.get('accepted')}")
    print(f"SizeMove grid prior mass (points {moves_module.SizeMove.points}): "
          f"{size_grid_mass(moves_module.SizeMove.points)!r}")
    for name, trials in (("sweeps", [t for t in TRIALS if t["size"] == args.particles]),
                         ("pilots", [t for t in TRIALS if t["size"] != args.particles]), ("all", TRIALS)):
        a = analyse(trials)
        share = a["saved"] / max(a["particle_days"], 1)
        print(f"\n{name}: {len(trials)} trials, {a['runs']:,} runs, taken {a['taken']:,}, refused {a['runs'] - a['taken']:,}; "
              f"the bound refuses {a['refused_early']:,} before the last date ({a['refused_early'] / max(a['runs'], 1):.1%} of the runs, "
              f"{a['refused_early'] / max(a['runs'] - a['taken'], 1):.1%} of the refused)")
        print(f"  move's particle-days {a['particle_days']:,}; saved {a['saved']:,} = {share:.1%} of the move's, "
              f"{a['saved'] / totals[-1]:.1%} of the forecast's")
        print(f"  refused early after day (-1: before any date; count): {a['by_day']}")
        print(f"  increment above its bound: {a['violations']} (must be 0); cumulative sum != path likelihood: "
              f"{a['sum_mismatch']} (must be 0)")
        s = a["slack"]
        if len(s):
            print(f"  increment - bound, per run and date: median {np.median(s):.2f}, P10 {np.percentile(s, 10):.2f}, "
                  f"P90 {np.percentile(s, 90):.2f}, max {s.max():.3g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
