"""Bytes each person costs in memory, per built-in scenario: the per-person fields a run
allocates (the engine's core fields, the optional ones its behaviours name in
``Behaviour.uses``, and the behaviours' own), with their dtypes.

    python benchmarks/person_bytes.py [corridor mali2012 burundi2015]

To compare with another checkout, run it with ``PYTHONPATH=/path/to/checkout/src``.
"""

from __future__ import annotations

import sys

import caravana


def main() -> None:
    names = sys.argv[1:] or ["corridor", "mali2012", "burundi2015"]
    print(f"caravana from {caravana.__file__}")
    for name in names:
        sim = caravana.simulation(caravana.load_scenario(name), seed=1, days=1)
        sim.run()
        pop = sim.population
        fields = ", ".join(f"{f}:{pop.field(f).dtype}" for f in pop.fields)
        print(f"{name}: {pop.nbytes_per_person} bytes per person, {len(pop.fields)} fields ({fields})")


if __name__ == "__main__":
    main()
