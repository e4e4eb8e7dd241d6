"""Two sets of forecast benchmark outputs side by side (forecast_2018.py, forecast_2021.py, forecast_2023.py).

Reads each output's ``as of ... filter: state+parameters`` blocks (the posterior's and the prior's
coverage and interval scores, the members the posterior descends from by weight) and prints, per
forecast, both sets, then per caravan the means over its forecasts and the change of the count
score, and the coverage over all forecasts: the mean of the per-forecast percentages (issue 12's 80 % is a
per-as-of-date target) beside the pooled figure, held-back reports in P5-P95 over all held-back reports
(a 3-report forecast weighs as much as a 24-report one in the mean, not in the pooled figure).

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
# The move by re-simulation (``--resimulate``): the distinct histories the posterior carries by weight;
# without the move every particle's history is its member's, so the histories are the members.
HISTORIES = re.compile(r"posterior carries ([\d.]+) distinct histories by weight")


class PairsError(Exception):
    """A user's mistake (a missing file, outputs that do not pair): one line, exit 2."""


def forecasts(path: str) -> list[dict]:
    """Each forecast of one output: as_of, post and prior (hits, reports, day score, count score), ancestors."""
    out: list[dict] = []
    try:
        f = open(path, encoding="utf-8")
    except OSError as e:
        raise PairsError(f"{path}: cannot read it ({e.strerror})") from None
    with f:
        for line in f:
            if m := AS_OF.match(line):
                out.append({"as_of": m[1]})
            elif out and "post" not in out[-1] and (m := POSTERIOR.match(line)):
                out[-1]["post"] = (int(m[1]), int(m[2]), float(m[3]), float(m[4]))
            elif out and "prior" not in out[-1] and (m := PRIOR.match(line)):
                out[-1]["prior"] = (int(m[1]), int(m[2]), float(m[3]), float(m[4]))
            elif out and (m := ANCESTORS.search(line)):
                out[-1]["ancestors"] = float(m[1])
            elif out and (m := HISTORIES.search(line)):
                out[-1]["histories"] = float(m[1])
    for forecast in out:
        missing = [key for key in ("post", "prior", "ancestors") if key not in forecast]
        if missing:
            raise PairsError(f"{path}: the forecast as of {forecast['as_of']} has no {', '.join(missing)} line "
                             "(an aborted run?)")
        forecast.setdefault("histories", forecast["ancestors"])
    return out


def read(args: argparse.Namespace, sets: dict[str, str]) -> dict[tuple[str, str], dict[str, list[dict]]]:
    """Every output's forecasts, per (caravan, seed) and set, checked to pair before anything is printed:
    the sets are paired by index, so each must have set a's as-of dates, in order, and at least one."""
    outputs = {}
    for caravan in args.caravans:
        for seed in args.seeds:
            paths = {k: p.format(caravan=caravan, seed=seed) for k, p in sets.items()}
            runs = {k: forecasts(path) for k, path in paths.items()}
            days = {k: [r["as_of"] for r in v] for k, v in runs.items()}
            if not days["a"]:
                raise PairsError(f"{paths['a']}: no 'as of ..., filter: state+parameters' block")
            for k, path in paths.items():
                if days[k] != days["a"]:
                    raise PairsError(f"{path}: as-of dates {' '.join(days[k]) or 'none'} do not pair with "
                                     f"{paths['a']}'s {' '.join(days['a'])}")
            outputs[caravan, seed] = runs
    return outputs


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("a", help="path pattern with {caravan} and {seed}")
    parser.add_argument("b", help="path pattern with {caravan} and {seed}")
    parser.add_argument("--caravans", nargs="+", default=["2018", "2021", "2023"])
    parser.add_argument("--seeds", nargs="+", default=["1", "2"])
    args = parser.parse_args(argv)
    sets = {"a": args.a, "b": args.b}
    try:
        outputs = read(args, sets)
    except PairsError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    means = table(args, sets, outputs)
    print()
    for caravan, per in means.items():
        print(caravan + ": " + " | ".join(
            f"{k}: coverage {st.mean(v['cov']):.1f} % ({pooled(v)}), counts {st.mean(v['counts']):.3f}, "
            f"days {st.mean(v['days']):.2f}, members by weight {st.mean(v['anc']):.1f}, histories "
            f"{st.mean(v['hist']):.1f}, met {v['met']}/{len(v['cov'])}"
            for k, v in per.items()))
        a, b = per["a"], per["b"]
        print(f"   b against a: count score {100 * (st.mean(b['counts']) / st.mean(a['counts']) - 1):+.1f} %, "
              f"members by weight {st.mean(b['anc']) - st.mean(a['anc']):+.1f}, "
              f"histories by weight {st.mean(b['hist']) - st.mean(a['hist']):+.1f}")
    every = {k: {key: [x for per in means.values() for x in per[k][key]] for key in ("cov", "hits", "reports")}
             for k in sets}
    print("all: " + " | ".join(f"{k}: mean coverage {st.mean(v['cov']):.2f} % over {len(v['cov'])} forecasts, "
                               f"{pooled(v)}" for k, v in every.items()))
    return 0


def pooled(figures: dict) -> str:
    """The pooled coverage: held-back reports in P5-P95 over all held-back reports of the forecasts."""
    hits, reports = sum(figures["hits"]), sum(figures["reports"])
    return f"pooled {hits}/{reports} = {100 * hits / reports:.1f} % of the held-back reports"


def table(args: argparse.Namespace, sets: dict[str, str], outputs: dict) -> dict[str, dict]:
    """Print a row per forecast (both sets) and return, per caravan and set, its figures over its forecasts."""
    print("caravan as of      seed | per set: in P5-P95 (open-ended as misses), days post/prior, counts post/prior, "
          "members / distinct histories by weight; 'met': coverage >= 80 % and both scores under the prior's")
    means = {}
    for caravan in args.caravans:
        per: dict[str, dict] = {k: {key: [] for key in ("cov", "days", "counts", "anc", "hist", "hits", "reports")} | {"met": 0}
                                for k in sets}
        for seed in args.seeds:
            runs = outputs[caravan, seed]
            for i, first in enumerate(runs["a"]):
                row = f"{caravan:<8}{first['as_of']:<11}{seed:<5}"
                for k in sets:
                    r = runs[k][i]
                    (h, n, d, c), (_, _, pd, pc) = r["post"], r["prior"]
                    cov, met = 100 * h / n, 100 * h / n >= 80 and d < pd and c < pc
                    row += (f"| {k}: {h:2d}/{n:2d} {cov:5.1f}%, {d:6.2f}/{pd:6.2f}, {c:6.2f}/{pc:6.2f}, "
                            f"{r['ancestors']:6.1f}/{r['histories']:6.1f}{' met' if met else '    '} ")
                    for key, v in (("cov", cov), ("days", d), ("counts", c), ("anc", r["ancestors"]), ("hist", r["histories"]), ("hits", h),
                                   ("reports", n)):
                        per[k][key].append(v)
                    per[k]["met"] += met
                print(row)
        means[caravan] = per
    return means


if __name__ == "__main__":
    sys.exit(main())
