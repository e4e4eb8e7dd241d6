"""Two sets of forecast benchmark outputs side by side (forecast_2018.py, forecast_2021.py, forecast_2023.py).

Reads each output's ``as of ... filter: state+parameters`` blocks (the posterior's and the prior's
coverage and interval scores, the members the posterior descends from by weight) and prints, per
forecast, both sets, then per caravan the means over its forecasts and the change of the count
score, and the coverage over all forecasts: the mean of the per-forecast percentages (issue 12's 80 % is a
per-as-of-date target) beside the pooled figure, held-back reports in P5-P95 over all held-back reports
(a 3-report forecast weighs as much as a 24-report one in the mean, not in the pooled figure).

    python benchmarks/forecast_pairs.py "results/forecast_{caravan}-...-base-seed{seed}.txt" \\
        "results/forecast_{caravan}-...-joint-seed{seed}.txt" [--caravans 2018 2021 2023] [--seeds 1 2]

``--spread PATTERN [PATTERN ...]`` reads ONE set over many seeds instead (session 19, s19seeds): for each
caravan and seed the one file among the patterns that exists (seeds run at different times have different
names), and prints per as-of date the share of seeds on which the forecast is "met", the mean, sd and range
of the coverage and of the posterior's and the prior's scores, the sd of the posterior's score less the
prior's (how much the filter adds to the spread the prior's members already have), and per caravan each
seed's met count and pooled coverage; with ``--rows`` also each held-back report's hit or miss on each seed
(``forecast_2018.py --rows`` output): which reports flip between seeds. The seeds are Monte Carlo draws of
one forecast: the spread is its noise, not a choice among them.

    python benchmarks/forecast_pairs.py --spread "results/forecast_{caravan}-...-seed{seed}.txt" \\
        "results/forecast_{caravan}-...-other-seed{seed}.txt" --caravans 2021 2023 --seeds 1 2 3 4 5 [--rows]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import statistics as st
import sys
from typing import TextIO

AS_OF = re.compile(r"^as of (\S+), filter: state\+parameters")
SCORES = r"\s+(\d+)/\s*(\d+) in P5-P95.*?days: width\s+\S+, score\s+([\d.]+).*?counts: width\s+\S+, score\s+([\d.]+)"
POSTERIOR, PRIOR = re.compile(r"^\s+posterior:" + SCORES), re.compile(r"^\s+prior:" + SCORES)
ANCESTORS = re.compile(r"posterior descends from ([\d.]+) members by weight")
# The move by re-simulation (``--resimulate``): the distinct histories the posterior carries by weight;
# without the move every particle's history is its member's, so the histories are the members.
HISTORIES = re.compile(r"posterior carries ([\d.]+) distinct histories by weight")
# A held-back report against one ensemble's band (forecast_2018.py's print_rows; the place may be empty).
ROW = re.compile(r"^\s+(posterior|prior) row\s+(\d+) (\d{4}-\d\d-\d\d) (.*?)\s+(\S+)\s+reported (.+?)\s+"
                 r"P5/P50/P95 (.+?) / (.+?) / (.+?)\s+(hit|MISS)\s+score ([\d.]+)( open:)?")


class PairsError(Exception):
    """A user's mistake (a missing file, outputs that do not pair): one line, exit 2."""


def open_output(path: str) -> TextIO:
    """A saved benchmark output opened for reading, or PairsError naming it (a user's mistake: one line)."""
    try:
        return open(path, encoding="utf-8")
    except OSError as e:
        raise PairsError(f"{path}: cannot read it ({e.strerror})") from None


def forecasts(path: str) -> list[dict]:
    """Each forecast of one output: as_of, post and prior (hits, reports, day score, count score), ancestors."""
    out: list[dict] = []
    with open_output(path) as f:
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
            elif out and (m := ROW.match(line)):
                out[-1].setdefault("rows", []).append(row(m))
    for forecast in out:
        missing = [key for key in ("post", "prior", "ancestors") if key not in forecast]
        if missing:
            raise PairsError(f"{path}: the forecast as of {forecast['as_of']} has no {', '.join(missing)} line "
                             "(an aborted run?)")
        forecast.setdefault("histories", forecast["ancestors"])
    return out


def row(m: re.Match) -> dict:
    """One ``--rows`` line: which report (row, date, place, quantity, reported), which ensemble, and its
    outcome: "+" a hit, "L" a band below the report (too few people, or too early), "H" above it, "O" a band whose
    P95 is open past the window's end (a miss, as the benchmark's headline counts it), "M" another miss."""
    year = int(m[3][:4])

    def value(text: str) -> float:
        text = text.strip()
        if re.fullmatch(r"[A-Z][a-z]{2} \d\d", text):  # a day, in the report's year
            return dt.datetime.strptime(f"{year} {text}", "%Y %b %d").toordinal()
        return float(text.replace(",", ""))

    reported = m[6].strip()
    point, _, bracket = reported.partition(" [")
    low, high = ((value(x) for x in bracket.rstrip("]").split("-")) if bracket else (value(point),) * 2)
    p5, p95 = value(m[7]), value(m[9])
    outcome = "O" if m[12] else "+" if m[10] == "hit" else "L" if p95 < low else "H" if p5 > high else "M"
    return {"ensemble": m[1], "report": (int(m[2]), m[3], m[4].strip(), m[5], reported), "outcome": outcome,
            "score": float(m[11])}


def met(forecast: dict) -> bool:
    """Issue 12's target for one forecast: coverage >= 80 % and both the posterior's scores under the prior's."""
    (h, n, d, c), (_, _, pd, pc) = forecast["post"], forecast["prior"]
    return 100 * h / n >= 80 and d < pd and c < pc


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
    parser.add_argument("a", nargs="?", help="path pattern with {caravan} and {seed}")
    parser.add_argument("b", nargs="?", help="path pattern with {caravan} and {seed}")
    parser.add_argument("--caravans", nargs="+", default=["2018", "2021", "2023"])
    parser.add_argument("--seeds", nargs="+", default=["1", "2"])
    parser.add_argument("--spread", nargs="+", metavar="PATTERN",
                        help="one set over many seeds instead of two sets: per caravan and seed, the one file among "
                             "these patterns that exists")
    parser.add_argument("--rows", action="store_true", help="with --spread: each held-back report's outcome per seed")
    args = parser.parse_args(argv)
    if (args.spread is None) == (args.b is None) or (args.spread is not None and args.a is not None):
        parser.error("give two path patterns a and b, or --spread PATTERN [PATTERN ...]")
    try:
        if args.spread is not None:
            spread(args, read_seeds(args))
            return 0
        sets = {"a": args.a, "b": args.b}
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
                    cov, hit = 100 * h / n, met(r)
                    row += (f"| {k}: {h:2d}/{n:2d} {cov:5.1f}%, {d:6.2f}/{pd:6.2f}, {c:6.2f}/{pc:6.2f}, "
                            f"{r['ancestors']:6.1f}/{r['histories']:6.1f}{' met' if hit else '    '} ")
                    for key, v in (("cov", cov), ("days", d), ("counts", c), ("anc", r["ancestors"]), ("hist", r["histories"]), ("hits", h),
                                   ("reports", n)):
                        per[k][key].append(v)
                    per[k]["met"] += hit
                print(row)
        means[caravan] = per
    return means


def read_one(args: argparse.Namespace, seed: str) -> dict[str, list[dict]]:
    """--spread: each caravan's forecasts on one seed, from the one file among the patterns that exists."""
    runs = {}
    for caravan in args.caravans:
        paths = list(dict.fromkeys(p.format(caravan=caravan, seed=seed) for p in args.spread))
        found = [path for path in paths if os.path.exists(path)]
        if len(found) != 1:
            raise PairsError(f"{' or '.join(found or paths)}: {'no' if not found else 'more than one'} output of "
                             f"{caravan} on seed {seed} ({'none exists' if not found else 'which one?'})")
        runs[caravan] = forecasts(found[0])
        if not runs[caravan]:
            raise PairsError(f"{found[0]}: no 'as of ..., filter: state+parameters' block")
    return runs


def read_seeds(args: argparse.Namespace) -> dict[str, dict[str, list[dict]]]:
    """--spread: every seed's outputs, checked before anything is printed to have the first seed's as-of dates."""
    outputs = {seed: read_one(args, seed) for seed in args.seeds}
    first = args.seeds[0]
    for caravan in args.caravans:
        dates = [f["as_of"] for f in outputs[first][caravan]]
        for seed in args.seeds:
            if (days := [f["as_of"] for f in outputs[seed][caravan]]) != dates:
                raise PairsError(f"{caravan} on seed {seed}: as-of dates {' '.join(days)} do not pair with seed "
                                 f"{first}'s {' '.join(dates)}")
    return outputs


def spread(args: argparse.Namespace, outputs: dict[str, dict[str, list[dict]]]) -> None:
    """Print, per caravan and as-of date, the met share and the spread of coverage and scores over the seeds,
    then each seed's met count and pooled coverage (and with --rows each report's outcome per seed)."""
    seeds = args.seeds
    print(f"seeds {' '.join(seeds)} (Monte Carlo draws of one forecast). Per as-of date: met (coverage >= 80 % and "
          "both scores under the prior's) on k of n seeds, and which part failed; mean, sd [min-max] over the seeds "
          "of the coverage, of the posterior's (post) and the prior's score, and of post - prior")
    for caravan in args.caravans:
        dates = [f["as_of"] for f in outputs[seeds[0]][caravan]]
        for i, day in enumerate(dates):
            runs = [outputs[seed][caravan][i] for seed in seeds]
            fails = {"coverage < 80 %": sum(100 * r["post"][0] / r["post"][1] < 80 for r in runs),
                     "days not under the prior's": sum(r["post"][2] >= r["prior"][2] for r in runs),
                     "counts not under the prior's": sum(r["post"][3] >= r["prior"][3] for r in runs)}
            print(f"\n{caravan} as of {day}: met on {sum(met(r) for r in runs)}/{len(runs)} seeds ("
                  + "".join("m" if met(r) else "." for r in runs) + "); failed: "
                  + ", ".join(f"{k} on {v}" for k, v in fails.items()))
            print(f"   coverage %      {describe([100 * r['post'][0] / r['post'][1] for r in runs])}")
            for j, name in ((2, "days"), (3, "counts")):
                post, prior = [r["post"][j] for r in runs], [r["prior"][j] for r in runs]
                print(f"   {name:<6} post     {describe(post)}\n   {name:<6} prior    {describe(prior)}\n"
                      f"   {name:<6} post-pri {describe([a - b for a, b in zip(post, prior)])}")
            if args.rows:
                report_rows(runs)
        print(f"\n{caravan} per seed: " + ", ".join(
            f"{seed}: met {sum(met(f) for f in outputs[seed][caravan])}/{len(dates)}, pooled "
            f"{sum(f['post'][0] for f in outputs[seed][caravan])}/{sum(f['post'][1] for f in outputs[seed][caravan])}"
            for seed in seeds))


def describe(values: list[float]) -> str:
    """Mean, sd (0 on one seed) and range of one figure over the seeds."""
    sd = st.stdev(values) if len(values) > 1 else 0.0
    return f"{st.mean(values):7.2f}, sd {sd:6.2f} [{min(values):.2f}-{max(values):.2f}]"


def report_rows(runs: list[dict]) -> None:
    """Each held-back report's outcome on each seed, in the seeds' order (+ hit, L band below, H above, O open, M other;
    ? a seed whose output has no --rows line for it), both ensembles; hits and mean score over the seeds that have it."""
    for ensemble in ("posterior", "prior"):
        outcomes: dict[tuple, list[dict | None]] = {}
        for i, r in enumerate(runs):
            for x in r.get("rows", []):
                if x["ensemble"] == ensemble:
                    outcomes.setdefault(x["report"], [None] * len(runs))[i] = x
        for (number, date, place, quantity, reported), found in outcomes.items():
            xs = [x for x in found if x is not None]
            print(f"     {ensemble:>9} row {number:2d} {date} {place:<22} {quantity:<13} {reported:<20} "
                  f"{''.join(x['outcome'] if x else '?' for x in found)} hits {sum(x['outcome'] == '+' for x in xs)}/"
                  f"{len(xs)}, score {st.mean(x['score'] for x in xs):.2f}")


if __name__ == "__main__":
    sys.exit(main())
