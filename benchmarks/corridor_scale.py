"""How the corridor's cost grows with its people: the built-in corridor scenario (2018
variant) with every people-count input multiplied by ×1, ×10, ×100, ×1000, timed per behaviour.

    python benchmarks/corridor_scale.py                   # x1 x10 x100 x1000, seed 1
    python benchmarks/corridor_scale.py --scales 1 10 100 --seed 3

Scaled: caravans' initial sizes and joiners a day, transit hubs' initial stock and arrivals
a day, lone travellers a day. Not scaled: capacities (ports, permits, blockades, shelters),
so queues grow with the people, as they would if more people came to the same corridor.

For each scale: people spawned, people-days simulated (people in the run summed over days),
CPU seconds of the whole run (``time.process_time``: the machine is shared, wall time is
noisy) and, per behaviour, its CPU seconds and people-days per CPU second; ``engine`` is
the rest (the daily counts and the loop). The Numba kernels are compiled (or loaded from
the cache) by a warm-up run first. The last line is ``growth exponent X``: the slope of
log CPU time against log people from ×10 to the largest scale (least squares).

    python benchmarks/corridor_scale.py --scales 10 --instructions 10

``--instructions SCALE...`` also counts each behaviour's machine instructions at those scales,
under Valgrind's callgrind (``callgrind.py``): a measure of work that does not depend on what
else the machine runs (CPU seconds of this memory-bound run vary by ~20 % between windows for
the same code), printed beside the seconds of the same scale. It counts instructions, not the
time they wait on memory, for Numba kernels compiled for the CPU Valgrind shows (AVX2, not the
host's AVX-512), and is slow: ~25 minutes at x1 on a loaded machine (mostly Valgrind's dumps,
two a behaviour a day), more at x10.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import warnings
from pathlib import Path

import callgrind
import numpy as np

import caravana.scenario.limits as limits
from caravana import load_scenario, simulation
from caravana.scenario.corridor import CorridorSpec


def scaled(scenario, factor: float):
    """``scenario`` with every people-count input times ``factor`` (capacities unchanged)."""
    corridor = scenario.corridor.model_dump(by_alias=True)
    for caravan in corridor["caravans"]:
        caravan["initial_size"] = max(1, round(caravan["initial_size"] * factor))
        for joiners in caravan["joiners"]:
            joiners["per_day"] *= factor
    for flow in corridor.get("individuals") or []:
        flow["per_day"] *= factor
    if corridor.get("transit"):
        for hub in corridor["transit"]["hubs"]:
            hub["initial"] = round(hub["initial"] * factor)
            hub["per_day"] *= factor
    return scenario.model_copy(update={"corridor": CorridorSpec.model_validate(corridor)})


def timed_run(scenario, seed: int, marked: bool = False) -> dict:
    """One run, with each behaviour's ``step`` timed in CPU seconds. ``marked``: under callgrind,
    the instructions of each behaviour's steps and of the rest (``engine``) dumped apart."""
    sim = simulation(scenario, seed=seed)
    spent = {b.name: 0.0 for b in sim.behaviours}
    for behaviour in sim.behaviours:
        def timed(sim, step=behaviour.step, name=behaviour.name):
            if marked:
                callgrind.dump("engine")  # (what ran since the last step)
            start = time.process_time()
            step(sim)
            spent[name] += time.process_time() - start
            if marked:
                callgrind.dump(name)
        behaviour.step = timed  # this instance only
    if marked:
        callgrind.collect()
    start = time.process_time()
    people_days = 0
    while sim.day < sim.days:
        sim.step()
        people_days += int(sim.spawned[sim.day - 1])  # people in the run that day (not sim.population:
        # read between days, it would make every later day count afresh, as for a forecast)
    total = time.process_time() - start
    if marked:
        callgrind.dump("engine")
        callgrind.collect()
    spent["engine"] = total - sum(spent.values())
    return {"people": int(sim.spawned[sim.day - 1]), "people_days": people_days, "seconds": total, "spent": spent}


def main() -> None:
    # The run-size limit guards users from runs their laptop cannot hold; its estimate of the
    # people a corridor spawns is an upper bound (x1000 estimates ~170 M, ~27 M spawn). This
    # benchmark goes past it on purpose, and says how many people it ran. Set here, not at
    # import, so a test that imports ``scaled`` keeps the real limit for the tests after it.
    limits.MAX_PEOPLE = 10**12
    warnings.filterwarnings("ignore", message="this run needs about")
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", default="corridor")
    parser.add_argument("--scales", type=float, nargs="*", default=[1, 10, 100, 1000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--instructions", type=float, nargs="*", default=[], metavar="SCALE",
                        help="also count each behaviour's machine instructions at these scales, under Valgrind's "
                             "callgrind (load-independent; ~100 times slower: x10 takes a few minutes)")
    parser.add_argument("--marked", type=float, help=argparse.SUPPRESS)  # (the run callgrind counts)
    args = parser.parse_args()
    base = load_scenario(args.scenario)
    simulation(base, seed=0).run()  # compile (or load cached) kernels
    if args.marked is not None:
        r = timed_run(scaled(base, args.marked), args.seed, marked=callgrind.under_valgrind())
        print(json.dumps({"people": r["people"], "people_days": r["people_days"]}))
        return
    rows = []
    for factor in args.scales:
        r = timed_run(scaled(base, factor), args.seed)
        rows.append((factor, r))
        print(f"x{factor:g}: {r['people']:,} people, {r['people_days']:,} people-days, "
              f"{r['seconds']:.2f} CPU s, {r['people_days'] / r['seconds'] / 1e6:.2f} M people-days/s", flush=True)
        for name, seconds in sorted(r["spent"].items(), key=lambda kv: -kv[1]):
            rate = f"{r['people_days'] / seconds / 1e6:10.2f} M" if seconds > 0 else "         - "
            print(f"    {name:<14} {seconds:9.3f} s {100 * seconds / r['seconds']:5.1f} %  {rate} people-days/s")
    fit = [(np.log(r["people"]), np.log(r["seconds"])) for factor, r in rows if factor >= 10]
    if len(fit) >= 2:
        x, y = np.array(fit).T
        print(f"growth exponent {np.polyfit(x, y, 1)[0]:.2f}")
    else:
        print("growth exponent - (needs two scales of x10 or more)")
    timed = dict(rows)
    counted = []
    for factor in args.instructions:
        with tempfile.TemporaryDirectory() as folder:
            command = [sys.executable, __file__, "--scenario", args.scenario, "--seed", str(args.seed),
                       "--marked", str(factor)]
            spent, printed = callgrind.run(command, Path(folder))
        r = json.loads(printed.strip().splitlines()[-1])
        total = sum(spent.values())
        counted.append((factor, r["people"], total))
        print(f"x{factor:g} instructions (callgrind, load-independent): {r['people']:,} people, "
              f"{total / 1e9:.2f} G, {total / r['people_days']:,.0f} per people-day", flush=True)
        seconds = timed[factor]["spent"] if factor in timed else {}
        for name, n in sorted(spent.items(), key=lambda kv: -kv[1]):
            beside = f"  ({seconds[name]:.3f} CPU s above)" if name in seconds else ""
            print(f"    {name:<14} {n / 1e6:11.1f} M {100 * n / total:5.1f} %  {n / r['people_days']:9.1f} "
                  f"per people-day{beside}")
    if len(counted) >= 2:
        x, y = np.log(np.array([(people, total) for factor, people, total in counted if factor >= 10])).T
        if len(x) >= 2:
            print(f"instructions growth exponent {np.polyfit(x, y, 1)[0]:.2f}")


if __name__ == "__main__":
    main()
