"""Does the 2018 forecast's lineage grow with the particles? (session 24, s24lineage)

    python benchmarks/forecast_lineage_scaling.py "results/forecast_2018-...-seed{seed}-p{particles}.txt" \\
        --particles 100 200 400 --seeds 16 17 18 [--autopsy "results/...-autopsy-p{particles}.txt"]

Reads ``forecast_2018.py`` outputs (one per seed and particle count, each with one or more as-of dates) and
prints, per forecast: the members the posterior descends from by weight (issue 12's count,
``forecast/weights.ancestors``: sum over members of min(1, N W_a)), its share of N, Kish's effective members,
the distinct histories by weight (the move by re-simulation), whether issue 12's target is met (coverage >= 80 %
and both interval scores under the prior's: ``forecast_pairs.met``) and the run's CPU, wall and peak memory as
the output records them; then, per as-of date and particle count, the means over the seeds.

Why the share of N is the figure to watch: for weights w_a = L_a / sum L over N members drawn from the prior,
N W_a tends to L_a / E[L], so (1/N) sum_a min(1, N W_a) tends to E_prior[min(1, L / E L)] = 1 - TV(prior,
posterior), the overlap of the prior and the posterior over the members' draws, and Kish's effective members / N to
1 / (1 + chi^2(posterior || prior)) (Agapiou, Papaspiliopoulos, Sanz-Alonso and Stuart 2017). Both are properties of
the prior against the reports, not of N. That is exact for one importance step; the filter resamples and moves
between dates, so for it this is a heuristic reading: resampling loses members at small N that the limit keeps (a
member with N W_a < 1 survives by chance), so a share that rises with N is the filter's, and one that stays put from
100 to 400 particles is read as the limit.

``--autopsy PATTERN`` (with ``{particles}``) also reads ``forecast_autopsy.py`` outputs of one forecast at each
particle count and prints, per report date, the members by weight after the date's reports, their share of N and the
date's cut (after / before its reports): on which dates the share keeps with N and on which it does not.
"""

from __future__ import annotations

import argparse
import re
import statistics as st
import sys

from forecast_pairs import AS_OF, PairsError, forecasts, met, open_output

KISH = re.compile(r"members by weight .*?effective \(Kish\): ([\d.]+)")
TIME = re.compile(r"time: [\d,]+ particle-days; CPU ([\d.]+) s here \+ ([\d.]+) s in workers; wall ([\d.]+) s")
PEAK = re.compile(r"^peak memory ([\d.]+) GiB")
BEFORE = re.compile(r"^  (\d{4}-\d\d-\d\d): before its reports ([\d.]+) members by weight")
AFTER = re.compile(r"^   -> after (\d{4}-\d\d-\d\d): ([\d.]+) members by weight, ([\d.]+) effective")
RSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")  # /usr/bin/time -v, when the run had it


def costs(path: str) -> tuple[list[tuple[float, float]], float | None]:
    """Per forecast of one output (in order) its (CPU s, wall s), and the run's peak memory in GiB (the
    process's own figure, or /usr/bin/time -v's maximum resident set if recorded; the larger)."""
    times, peaks = [], []
    with open_output(path) as f:
        for line in f:
            if m := TIME.search(line):
                times.append((float(m[1]) + float(m[2]), float(m[3])))
            elif m := PEAK.match(line):
                peaks.append(float(m[1]))
            elif m := RSS.search(line):
                peaks.append(int(m[1]) / 2**20)
    return times, max(peaks) if peaks else None


def kish(path: str) -> list[float]:
    """Kish's effective members of each forecast of one output, in order."""
    found: list[float] = []
    with open_output(path) as f:
        for line in f:
            if AS_OF.match(line):
                found.append(float("nan"))
            elif found and (m := KISH.search(line)):
                found[-1] = float(m[1])
    return found


def read(pattern: str, seeds: list[str], particles: list[int]) -> list[dict]:
    """One record per forecast: seed, particles, as-of date and the figures the module doc lists."""
    records = []
    for n in particles:
        for seed in seeds:
            path = pattern.format(seed=seed, particles=n)
            runs = forecasts(path)
            if not runs:
                raise PairsError(f"{path}: no 'as of ..., filter: state+parameters' block")
            (times, peak), effective = costs(path), kish(path)
            for i, run in enumerate(runs):
                cpu, wall = times[i] if i < len(times) else (float("nan"), float("nan"))
                records.append({"seed": seed, "n": n, "as_of": run["as_of"], "members": run["ancestors"],
                                "kish": effective[i] if i < len(effective) else float("nan"),
                                "histories": run["histories"], "met": met(run), "coverage": run["post"][:2],
                                "cpu": cpu, "wall": wall, "peak": peak})
    return records


def report(records: list[dict]) -> None:
    print("per forecast: members by weight (share of N), Kish's effective members, distinct histories by weight, "
          "issue 12's target (coverage >= 80 % and both scores under the prior's), coverage, CPU and wall of the "
          "forecast, the run's peak memory")
    print(f"{'as of':<11} {'N':>4} {'seed':>4} {'members':>8} {'share':>6} {'Kish':>6} {'histories':>9} {'met':>4} "
          f"{'in P5-P95':>9} {'CPU s':>7} {'wall s':>7} {'peak GiB':>8}")
    for r in sorted(records, key=lambda r: (r["as_of"], r["n"], r["seed"])):
        peak = f"{r['peak']:8.2f}" if r["peak"] is not None else f"{'?':>8}"
        print(f"{r['as_of']:<11} {r['n']:>4} {r['seed']:>4} {r['members']:8.1f} {r['members'] / r['n']:6.1%} "
              f"{r['kish']:6.1f} {r['histories']:9.1f} {'yes' if r['met'] else 'no':>4} "
              f"{r['coverage'][0]:>4}/{r['coverage'][1]:<4} {r['cpu']:7.1f} {r['wall']:7.1f} {peak}")
    print("\nmeans over the seeds, per as-of date and N (share: of N; issue 12's 20 % is the target)")
    print(f"{'as of':<11} {'N':>4} {'seeds':>5} {'members':>8} {'share':>6} {'range':>13} {'Kish':>6} {'Kish/N':>6} "
          f"{'histories':>9} {'met':>5} {'CPU s':>7}")
    for day in sorted({r["as_of"] for r in records}):
        for n in sorted({r["n"] for r in records}):
            rs = [r for r in records if r["as_of"] == day and r["n"] == n]
            if not rs:
                continue
            shares = [r["members"] / n for r in rs]
            print(f"{day:<11} {n:>4} {len(rs):>5} {st.mean(r['members'] for r in rs):8.1f} {st.mean(shares):6.1%} "
                  f"{min(shares):6.1%}-{max(shares):5.1%} {st.mean(r['kish'] for r in rs):6.1f} "
                  f"{st.mean(r['kish'] / n for r in rs):6.1%} {st.mean(r['histories'] for r in rs):9.1f} "
                  f"{sum(r['met'] for r in rs):>2}/{len(rs):<2} {st.mean(r['cpu'] for r in rs):7.1f}")


def autopsy_dates(path: str) -> dict[str, tuple[float, float, float]]:
    """Per report date of one ``forecast_autopsy.py`` output: (members by weight before its reports, after them,
    Kish's effective members after them)."""
    dates: dict[str, tuple[float, float, float]] = {}
    before: dict[str, float] = {}
    with open_output(path) as f:
        for line in f:
            if m := BEFORE.match(line):
                before[m[1]] = float(m[2])
            elif m := AFTER.match(line):
                dates[m[1]] = (before.get(m[1], float("nan")), float(m[2]), float(m[3]))
    if not dates:
        raise PairsError(f"{path}: no '-> after DATE: ... members by weight' line (not a forecast_autopsy.py output?)")
    return dates


def report_dates(pattern: str, particles: list[int]) -> None:
    """--autopsy: per report date and N, the members by weight after the date, their share of N, the date's cut."""
    found = {n: autopsy_dates(pattern.format(particles=n)) for n in particles}
    print("\nper report date (forecast_autopsy.py): members by weight after the date's reports, share of N, "
          "Kish's effective members, and the date's cut (members after / before its reports)")
    print(f"{'date':<11} " + " ".join(f"{f'N={n}: members share Kish cut':>36}" for n in particles))
    for day in sorted({d for dates in found.values() for d in dates}):
        cells = []
        for n in particles:
            before, after, kish = found[n].get(day, (float("nan"),) * 3)
            cells.append(f"{after:14.1f} {after / n:6.1%} {kish:6.1f} {after / before:7.2f}")
        print(f"{day:<11} " + " ".join(f"{c:>36}" for c in cells))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pattern", help="path pattern of forecast_2018.py outputs with {seed} and {particles}")
    parser.add_argument("--seeds", nargs="+", required=True)
    parser.add_argument("--particles", nargs="+", type=int, required=True)
    parser.add_argument("--autopsy", metavar="PATTERN",
                        help="forecast_autopsy.py outputs of one forecast, with {particles}: the members per report date")
    args = parser.parse_args(argv)
    try:
        records = read(args.pattern, args.seeds, args.particles)
        report(records)
        if args.autopsy:
            report_dates(args.autopsy, args.particles)
    except PairsError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
