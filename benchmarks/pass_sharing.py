"""Could the passes over everyone in a corridor particle-day share one pass? What they read, when.

    python benchmarks/pass_sharing.py [--particles 4] [--days 60] [--repeat 1000]

s17day's profile (``particle_day_profile.py``) found four passes over everyone a day, in this
order: the morning rosters (``groups.members_by_group``, asked by ``returns``), transit's
who-may-join (``transit._may_join``, after the caravans step), caravan_log's ``tally_groups``
and the flows pass (``engine.counting``, asked by ``place_flows``, stepped last; over everyone
on days when more than a quarter moved, else over those listed). Two passes can share one only if nobody's
``status``, ``group`` or ``loc`` changes between them: for each pass and the one before it
(the last of yesterday's before the first of today's), this prints on how many days those
changed, from copies taken as each pass starts (``particle_cost.py``'s particles, seed 1).

The one pair with nothing between them is ``tally_groups`` and the flows pass. Fused into one
loop, they would read each person's ``loc`` and ``status`` once instead of twice, and run one
loop instead of two; all the other work of each stays. So the most a fusion saves is a loop
that loads them and does nothing else: ``_shared_loads`` (vectorised) and
``_shared_loads_scalar`` (a store a person, not vectorised: an over-estimate), timed beside the
two passes on the people as each last found them. Prints medians; no result is changed.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
from numba import njit  # (not caravana's: not cached, so loading this file by path, as its test does, is safe)
from particle_day_profile import particles

import caravana.behaviours.corridor.caravan as caravan
import caravana.behaviours.corridor.transit as transit
from caravana.engine import counting

# The passes, in their daily order: the module each is looked up from when called, its name there.
PASSES = [("rosters", caravan, "members_by_group"), ("may join", transit, "_may_join"),
          ("flows", counting, "count_with_flows"), ("tally", caravan, "tally_groups")]


@njit(nogil=True)
def _shared_loads(loc, status):
    """The part of a fused pass the two passes would share: each person's place and status read."""
    t = 0
    for i in range(loc.shape[0]):
        t += loc[i] ^ status[i]  # (used, so the loads are not dropped)
    return t


@njit(nogil=True)
def _shared_loads_scalar(loc, status, out):
    """The same in a loop that cannot be vectorised (an index written, kept or not, as the flows
    pass lists people): loads, loop control and a store a person."""
    k = 0
    for i in range(loc.shape[0]):
        out[k] = i
        k += (loc[i] ^ status[i]) & 1
    return k


def changes(before, after) -> tuple[int, int, int]:
    """People of both copies whose (status, group, loc) differ, field by field."""
    n = min(len(before[0]), len(after[0]))
    return tuple(int((b[:n] != a[:n]).sum()) for b, a in zip(before, after))  # type: ignore[return-value]


def watch(sim_of, seen: list, took: dict) -> dict:
    """Wrap each pass so that, as it starts, a copy of (status, group, loc) is appended to ``seen``
    with its name, and its time (the copies left out) to ``took[name]``; returns the wrapped
    functions' originals by name (the flows pass also keeps its arguments, the night before it
    copied)."""
    originals = {}
    for name, module, attr in PASSES:
        original = originals[name] = getattr(module, attr)

        def wrapped(*a, _name=name, _original=original, **k):
            pop = sim_of()
            seen.append((_name, (pop.status.copy(), pop.group.copy(), pop.loc.copy())))
            if _name == "flows":
                originals["flows args"] = (a[0].copy(), a[1].copy(), a[2], a[3].copy())
            if _name == "tally":
                originals["tally args"] = (a, k)
            t = time.perf_counter()
            result = _original(*a, **k)
            took.setdefault(_name, []).append(time.perf_counter() - t)
            return result

        setattr(module, attr, wrapped)
    return originals


def median_us(f, repeat: int) -> float:
    times = np.empty(repeat)
    for r in range(repeat):
        t = time.perf_counter()
        f()
        times[r] = time.perf_counter() - t
    return float(np.median(times) * 1e6)


def time_passes(originals: dict, pop, n_places: int, repeat: int) -> tuple:
    """The flows pass on the people as its last pass over everyone found them (recounting and
    committing nothing: each repeat does the same work), the tally as on the last day, and the
    shared loads on the people now: (people, people, then each median in us)."""
    f_loc, f_status, staying, night = originals["flows args"]
    out = np.zeros((n_places, len(staying)), dtype=np.int64)
    arr, dep = np.zeros(n_places, dtype=np.int64), np.zeros(n_places, dtype=np.int64)
    changed, tonight = np.empty(max(len(f_loc), pop.n), dtype=np.int64), np.empty(len(f_loc), dtype=np.int32)
    flows, tally = originals["flows"], originals["tally"]
    t_args, t_kw = originals["tally args"]
    return (len(f_loc), pop.n,
            median_us(lambda: flows(f_loc, f_status, staying, night, False, out, arr, dep, changed, tonight), repeat),
            median_us(lambda: tally(*t_args, **t_kw), repeat),
            median_us(lambda: _shared_loads(pop.loc, pop.status), repeat),
            median_us(lambda: _shared_loads_scalar(pop.loc, pop.status, changed), repeat))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--particles", type=int, default=4)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=1000)
    args = parser.parse_args(argv)
    print(f"{args.particles} particles x {args.days} days, seed 1, load {os.getloadavg()[0]:.2f}")
    current: list = [None]
    seen: list = []
    took: dict[str, list] = {}
    originals = watch(lambda: current[0].population, seen, took)
    pairs: dict[tuple[str, str], list] = {}
    timings = []
    for sim in particles(args.particles, 1, args.days):
        current[0] = sim
        seen.clear()
        kept = {name: len(times) for name, times in took.items()}
        sim.step()  # (day 0: kernels loaded, not timed)
        for name, times in took.items():
            del times[kept.get(name, 0):]
        for _ in range(args.days - 1):
            sim.step()
        for (a, before), (b, after) in zip(seen, seen[1:]):
            pairs.setdefault((a, b), []).append(changes(before, after))
        if "flows args" in originals:  # (else no pass over everyone yet: nothing to time)
            timings.append(time_passes(originals, sim.population, sim.network.n_places, args.repeat))
    n_days = args.particles * (args.days - 1)
    print("\nas stepped (days 1 on): pass, calls a particle-day, us a call (median), us a particle-day")
    for name, _, _ in PASSES:
        v = np.array(took.get(name, [0.0])) * 1e6
        print(f"  {name:9s} {len(took.get(name, [])) / n_days:5.2f} {np.median(v):8.1f} {v.sum() / n_days:8.1f}")
    print("\npass -> next pass        times   days changed: status  group  loc   (median people changed: status)")
    for (a, b), rows in pairs.items():
        v = np.array(rows)
        print(f"{a:>8s} -> {b:<12s} {len(v):6d}   {int((v[:, 0] > 0).sum()):20d} {int((v[:, 1] > 0).sum()):6d}"
              f" {int((v[:, 2] > 0).sum()):4d}   ({np.median(v[:, 0]):.0f})")
    print("\nus a call, median: flows pass (people), tally_groups (people), shared loads, shared loads scalar"
          " (the last two bound a fusion's saving)")
    for n_flows, n, t_flows, t_tally, t_shared, t_scalar in timings:
        print(f"  {t_flows:7.1f} ({n_flows})   {t_tally:7.1f} ({n})   {t_shared:5.1f}   {t_scalar:5.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
