"""Which prior weights should a caravan's assembly give the border cities at its fork?

    python benchmarks/destination_weights.py

Candidates (``destination_weights.csv``, one row per port of entry of the road graph): equal
weights; the US Border Patrol's FY2018 (Oct 2017 - Sep 2018) Southwest-border apprehensions of
family units by sector; its FY2018 apprehensions with a claim of credible fear by sector. Each
with a distance coefficient ``per_1000_km`` from a grid. They are scored by the log-likelihood of
the border cities that the other caravans with a recorded one went to (``caravans_other.csv``:
the spring 2018 caravan to Tijuana, January 2019 to Piedras Negras), each chosen at the 2018
fork, Mexico City, with the model's own choice rule (``forks.choice_probabilities``) and road km
(``engine.roads``). Two choices are weak evidence: the table says how weak.
"""

from __future__ import annotations

import csv

import numpy as np

from caravana import load_scenario
from caravana.behaviours.corridor.forks import choice_probabilities
from caravana.engine.roads import shortest_roads
from caravana.engine.world import World
from caravana.scenario.load import BUILTIN_DIR

FOLDER = BUILTIN_DIR / "corridor"
FORK = "Mexico City"
CITY_PORT = {"Tijuana": "Tijuana El Chaparral"}  # a record's city -> its port in the graph
GRID = (0.0, 0.25, 0.5, 1.0, 2.0)


def read_weights() -> tuple[list[str], dict[str, np.ndarray]]:
    with open(FOLDER / "destination_weights.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    ports = [r["port"] for r in rows]
    return ports, {
        "equal": np.ones(len(ports)),
        "family units FY2018": np.array([float(r["family_units_fy2018"]) for r in rows]),
        "credible fear FY2018": np.array([float(r["credible_fear_fy2018"]) for r in rows]),
    }


def recorded_choices(ports: list[str]) -> list[tuple[str, str]]:
    with open(FOLDER / "caravans_other.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    out = []
    for r in rows:
        port = CITY_PORT.get(r["furthest_place"], r["furthest_place"])
        if port in ports:
            out.append((r["name"], port))
    return out


def road_km_from_fork(ports: list[str]) -> np.ndarray:
    scenario = load_scenario("corridor")
    world = World.of(scenario)
    net, first = world.network, scenario.corridor.caravans[0]
    road = [first.origin, *first.itinerary]
    passed = np.array([net.index(p) for p in road[: road.index(FORK)]])
    dist, _ = shortest_roads(net, first.modes, net.index(FORK), passed)
    return np.array([dist[net.index(p)] for p in ports])


def main() -> int:
    ports, weightings = read_weights()
    choices = recorded_choices(ports)
    km = road_km_from_fork(ports)
    print(f"fork: {FORK}; road km: " + ", ".join(f"{p} {k:,.0f}" for p, k in zip(ports, km)))
    print("recorded choices: " + ", ".join(f"{name} -> {port}" for name, port in choices))
    print(f"\n{'weights':22s} {'per_1000_km':>11s} {'log-lik':>8s}   " + "   ".join(f"P({p.split()[0]})" for _, p in choices))
    results = []
    for name, w in weightings.items():
        for beta in GRID:
            p = choice_probabilities(w, -beta * km / 1000.0)
            chosen = [p[ports.index(port)] for _, port in choices]
            ll = float(np.sum(np.log(chosen)))
            results.append((ll, name, beta, p))
            print(f"{name:22s} {beta:11.2f} {ll:8.2f}   " + "   ".join(f"{c:8.3f}" for c in chosen))
    ll, name, beta, p = max(results, key=lambda r: r[0])
    print(f"\nbest: {name}, per_1000_km {beta:g} (log-likelihood {ll:.2f}; equal weights, no distance: "
          f"{results[0][0]:.2f})")
    print("choice probabilities at the fork: " + ", ".join(f"{port} {q:.2f}" for port, q in zip(ports, p)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
