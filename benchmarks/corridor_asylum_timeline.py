"""When does the 2018 corridor's model make its asylum requests, and whom does it shed in Mexico?

    python benchmarks/corridor_asylum_timeline.py [--seeds 1 2 3] [--days 20] [--set PATH=VALUE ...]

For each seed, one run of the built-in ``corridor`` scenario (its own values, no forecast
factors): the cumulative asylum requests by day (``asylum_claim`` and ``admitted_to_claim``
events, as ``caravana.metrics`` counts ``asylum_requests``), the requests by place and cause,
and the members who stay behind worn out by the road, by place. docs/history/forecast.md (*Session 9*)
quotes it; ``--set`` runs a variant (``--set corridor.papers.asylum.claim_when_staying=0``: the
model without "staying means asking").
"""

from __future__ import annotations

import argparse

import caravana
from caravana.cli.common import parse_settings
from caravana.scenario.overrides import apply_overrides

CLAIMS = ("asylum_claim", "admitted_to_claim")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--days", type=int, default=20)
    parser.add_argument("--set", action="append", default=[], metavar="PATH=VALUE")
    args = parser.parse_args(argv)
    scenario = caravana.load_scenario("corridor")
    if args.set:
        scenario = apply_overrides(scenario, parse_settings(args.set))
    print(f"corridor, {args.days} days, settings changed: {args.set or 'none'}")
    for seed in args.seeds:
        events = caravana.run(scenario, seed=seed, days=args.days).tables["events"].to_pandas()
        claims = events[events.event.isin(CLAIMS)]
        by_day = claims.groupby("date")["count"].sum().cumsum()
        print(f"seed {seed}: requests by day (cumulative): "
              + ", ".join(f"{d.strftime('%b %d')} {int(v):,}" for d, v in by_day.items()))
        where = claims.groupby(["place", "cause"])["count"].sum()
        print("  requests by place (cause): " + ", ".join(f"{p} ({c or 'office or bridge'}) {int(v):,}"
                                                         for (p, c), v in where.items()))
        worn = events[(events.event == "waiting_in_transit") & (events.cause == "worn out by the road")]
        worn = worn.groupby("place")["count"].sum()
        print("  stayed behind worn out, waiting in transit: " + (", ".join(f"{p} {int(v):,}" for p, v in worn.items())
                                                                 or "none"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
