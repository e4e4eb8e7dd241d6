"""Two sets of forecast benchmark outputs side by side (forecast_2018.py, forecast_2021.py, forecast_2023.py).

Reads each output's ``as of ... filter: state+parameters`` blocks (the posterior's and the prior's
coverage and interval scores, the members the posterior descends from by weight) and prints, per
forecast, both sets, then per caravan the means over its forecasts and the change of the count
score, and the mean coverage over all forecasts.

    python benchmarks/forecast_pairs.py "results/forecast_{caravan}-...-base-seed{seed}.txt" \\
        "results/forecast_{caravan}-...-joint-seed{seed}.txt" [--caravans 2018 2021 2023] [--seeds 1 2]
"""

from __future__ import annotations

import argparse
import re
import statistics as st
import sys

AS_OF = re.compile(r"^as of (\S+), filter: state\+parameters")
SCORES = r"\s+(\d+)/\s*(\d+) in P5-P95.*?days: width\s+\S+, score\s+([\d.]+).*?counts: width\s+\S+, score\s+([\d.]+)"
POSTERIOR, PRIOR = re.compile(r"^\s+posterior:" + SCORES), re.compile(r"^\s+prior:" + SCORES)
ANCESTORS = re.compile(r"posterior descends from ([\d.]+) members by weight")


def forecasts(path: str) -> list[dict]:
    """Each forecast of one output: as_of, post and prior (hits, reports, day score, count score), ancestors."""
    out: list[dict] = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if m := AS_OF.match(line):
                out.append({"as_of": m[1]})
            elif out and "post" not in out[-1] and (m := POSTERIOR.match(line)):
                out[-1]["post"] = (int(m[1]), int(m[2]), float(m[3]), float(m[4]))
            elif out and "prior" not in out[-1] and (m := PRIOR.match(line)):
                out[-1]["prior"] = (int(m[1]), int(m[2]), float(m[3]), float(m[4]))
            elif out and (m := ANCESTORS.search(line)):
                out[-1]["ancestors"] = float(m[1])
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("a", help="path pattern with {caravan} and {seed}")
    parser.add_argument("b", help="path pattern with {caravan} and {seed}")
    parser.add_argument("--caravans", nargs="+", default=["2018", "2021", "2023"])
    parser.add_argument("--seeds", nargs="+", default=["1", "2"])
    args = parser.parse_args(argv)
    sets = {"a": args.a, "b": args.b}
    coverage: dict[str, list[float]] = {k: [] for k in sets}
    print("caravan as of      seed | per set: in P5-P95 (open-ended as misses), days post/prior, counts post/prior, "
          "members by weight; 'met': coverage >= 80 % and both scores under the prior's")
    means = {}
    for caravan in args.caravans:
        per = {k: {"cov": [], "days": [], "counts": [], "anc": [], "met": 0} for k in sets}
        for seed in args.seeds:
            runs = {k: forecasts(p.format(caravan=caravan, seed=seed)) for k, p in sets.items()}
            for i, first in enumerate(runs["a"]):
                row = f"{caravan:<8}{first['as_of']:<11}{seed:<5}"
                for k in sets:
                    r = runs[k][i]
                    (h, n, d, c), (_, _, pd, pc) = r["post"], r["prior"]
                    cov, met = 100 * h / n, 100 * h / n >= 80 and d < pd and c < pc
                    row += (f"| {k}: {h:2d}/{n:2d} {cov:5.1f}%, {d:6.2f}/{pd:6.2f}, {c:6.2f}/{pc:6.2f}, "
                            f"{r['ancestors']:6.1f}{' met' if met else '    '} ")
                    for key, v in (("cov", cov), ("days", d), ("counts", c), ("anc", r["ancestors"])):
                        per[k][key].append(v)
                    per[k]["met"] += met
                    coverage[k].append(cov)
                print(row)
        means[caravan] = per
    print()
    for caravan, per in means.items():
        print(caravan + ": " + " | ".join(
            f"{k}: coverage {st.mean(v['cov']):.1f} %, counts {st.mean(v['counts']):.3f}, days {st.mean(v['days']):.2f}, "
            f"members by weight {st.mean(v['anc']):.1f}, met {v['met']}/{len(v['cov'])}" for k, v in per.items()))
        a, b = per["a"], per["b"]
        print(f"   b against a: count score {100 * (st.mean(b['counts']) / st.mean(a['counts']) - 1):+.1f} %, "
              f"members by weight {st.mean(b['anc']) - st.mean(a['anc']):+.1f}")
    print("all: " + " | ".join(f"{k}: mean coverage {st.mean(v):.2f} % over {len(v)} forecasts"
                               for k, v in coverage.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
