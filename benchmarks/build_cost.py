"""CPU cost of building one re-simulated run (``filter._Member.build``, the forecast's run recipe),
split into its parts, over runs with parameters drawn as the forecast draws them.

    python benchmarks/build_cost.py [--runs 200] [--repeat 3]

Parts, each timed by itself over the same drawn parameters (CPU seconds of this process, the best
of ``--repeat`` loops, per run):

- ``bases``: reading each factor's base value (``get_setting``, 26 paths by default);
- ``rebuild``: setting the scaled values, each model on their paths re-validated by pydantic
  (``overrides._replace_all``);
- ``check_scenario``: the whole scenario's cross-checks (``scenario.checks``);
- ``simulation``: constructing the Simulation from the changed scenario (``model.simulation``);
- ``build``: the whole recipe as the forecast runs it (``_Member.build``).

The built-in ``corridor`` scenario and ``default_factors``, as ``forecast_speed.py`` runs them.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from caravana import load_scenario
from caravana.forecast import default_factors
from caravana.forecast.filter import _Member
from caravana.forecast.parameters import draw_factors
from caravana.model import simulation
from caravana.scenario.checks import check_scenario
from caravana.scenario.overrides import _replace_all, get_setting, parse_path


def best(loop, repeat: int) -> float:
    """The least CPU seconds of ``repeat`` calls of ``loop``."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        loop()
        times.append(time.process_time() - start)
    return min(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    scenario = load_scenario("corridor")
    factors = tuple(default_factors(scenario))
    values = draw_factors(factors, args.runs, np.random.default_rng(1))
    members = [_Member(scenario, factors, v, i, 60) for i, v in enumerate(values)]
    paths = [p for f in factors for p in f.paths]
    bases = {p: get_setting(scenario, p) for p in paths}

    def overrides(v):
        out = {}
        for factor, value in zip(factors, v):
            for path in factor.paths:
                scaled = bases[path] * float(value)
                out[path] = round(scaled) if isinstance(bases[path], int) else scaled
        return out

    changed = [_replace_all(scenario, [(parse_path(p), x, p) for p, x in overrides(v).items()]) for v in values]
    parts = {
        "bases": lambda: [get_setting(scenario, p) for _ in values for p in paths],
        "rebuild": lambda: [_replace_all(scenario, [(parse_path(p), x, p) for p, x in overrides(v).items()])
                            for v in values],
        "check_scenario": lambda: [check_scenario(s) for s in changed],
        "simulation": lambda: [simulation(s, seed=i, days=60) for i, s in enumerate(changed)],
        "build": lambda: [m.build() for m in members],
    }
    print(f"{len(factors)} factors, {len(paths)} paths, {args.runs} runs, best of {args.repeat}; "
          f"load average {os.getloadavg()[0]:.2f} (shared machine, 2 cores)")
    whole = best(parts["build"], args.repeat)
    for name, loop in parts.items():
        seconds = whole if name == "build" else best(loop, args.repeat)
        print(f"  {name:15s} {seconds / args.runs * 1e3:6.2f} ms a run  ({seconds / whole:5.1%} of build)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
