"""What the corridor's optional mechanisms cost: the built-in 2018 scenario, 90 days, in-process,
as shipped and with every mechanism of issue 11 switched on.

    python benchmarks/corridor_mechanisms.py [--seeds 10] [--days 90]

"With mechanisms" keeps the shipped scenario's first caravan (its road cut at Mexico City), puts a
second one from San Pedro Sula nine days later in place of the other shipped caravans, and adds
settings that exist only to exercise the code (they are not a calibrated scenario and say nothing
about 2018): people waiting in transit at Tecun Uman, Tapachula and Mexico City;
merging; both caravans choosing a border city at Mexico City among the seven ports of the data
(with a split), riders up to three stops ahead; leavers who stay in transit; irregular
crossings, settling and asylum at the border, and metering at every port.

Prints the CPU time (``time.process_time``, this process only) per run: median, min, max over
seeds after one warm-up run that compiles the Numba kernels, the people simulated, and, with
the mechanisms, the destinations chosen and how many people the stock gave the caravans.
"""

from __future__ import annotations

import argparse
import statistics
import time

from caravana import load_scenario, simulation
from caravana.scenario.corridor import CorridorSpec

PORTS = ["Tijuana El Chaparral", "Mexicali", "Nogales", "Ciudad Juarez", "Piedras Negras", "Reynosa", "Matamoros"]


def with_mechanisms(scenario):
    """The shipped scenario plus illustrative settings for every optional mechanism."""
    corridor = scenario.corridor.model_dump(by_alias=True)
    first = corridor["caravans"][0]
    road = first["itinerary"][: first["itinerary"].index("Mexico City") + 1]
    first.update(
        itinerary=road,
        stopovers={},
        pace=[leg for leg in first["pace"] if leg["from"] in [first["origin"], *road]],
        destinations={port: 1.0 for port in PORTS},
        choice={"per_1000_km": 1.0, "per_wait_day": 0.05, "split_share": 0.2},
        ride_ahead_stages=3,
        leavers_wait_share=0.3,
    )
    second = {**first, "name": "second", "start_day": 9, "departure_day": 10, "initial_size": 1500,
              "joiners": [j for j in first["joiners"] if j["place"] != "San Pedro Sula"]}
    corridor["caravans"] = [first, second]
    corridor["transit"] = {"hubs": [
        {"place": "Tecun Uman", "initial": 500, "per_day": 50},
        {"place": "Tapachula", "initial": 1000, "per_day": 50},
        {"place": "Mexico City", "initial": 300, "per_day": 20},
    ]}
    corridor["merging"] = {"chance": 0.5}
    corridor["border"] = {"irregular_rate": 0.02, "settle_rate": 0.01, "asylum_rate": 0.005}
    corridor["papers"]["metering_per_day"] = 80
    return scenario.model_copy(update={"corridor": CorridorSpec.model_validate(corridor)})


def timed(scenario, seeds) -> tuple[list[float], list]:
    simulation(scenario, seed=10_000).run()  # compile, warm caches
    times, sims = [], []
    for seed in seeds:
        sim = simulation(scenario, seed=seed)
        t = time.process_time()
        sim.run()
        times.append(time.process_time() - t)
        sims.append(sim)
    return times, sims


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--days", type=int, default=90)
    args = parser.parse_args()
    shipped = load_scenario("corridor")
    shipped = shipped.model_copy(update={"period": shipped.period.model_copy(update={"days": args.days})})
    print(f"2018 corridor scenario, {args.days} days, {args.seeds} seeds, CPU seconds per run (process_time)")
    for label, scenario in (("as shipped", shipped), ("with mechanisms", with_mechanisms(shipped))):
        times, sims = timed(scenario, range(args.seeds))
        people = statistics.median(sim.population.n for sim in sims)
        print(f"{label:16s} median {statistics.median(times):.3f}  min {min(times):.3f}  max {max(times):.3f}"
              f"  people (median) {people:.0f}")
        if label == "with mechanisms":
            chosen: dict[str, int] = {}
            for sim in sims:
                for st in sim.behaviour("caravans").states:
                    if st.destination:
                        chosen[st.destination] = chosen.get(st.destination, 0) + 1
            taken = statistics.median(int(sim.behaviour("transit").joined.sum()) for sim in sims)
            print(f"  destinations chosen (caravans and split groups, all seeds): {dict(sorted(chosen.items()))}")
            print(f"  people the stock in transit gave the caravans (median per run): {taken:.0f}")


if __name__ == "__main__":
    main()
