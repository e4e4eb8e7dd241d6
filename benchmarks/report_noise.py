"""How much do independent reports of the same count on the same day disagree?

    python benchmarks/report_noise.py

The forecast weighs a count report with a noise of ``count_sd`` in log(1 + count)
(``caravana.forecast.pipeline.ASSIMILATION_NOISE``, 0.5). Part of that noise is the
reports' own scatter: two newsrooms counting the same crowd on the same day give
different figures. This script measures that part from ``observations_2018.csv`` alone
(no forecast is run, nothing is scored): the rows whose [low, high] range is made of
independent accounts of one count on one day (the accounts are named in the row's
source and note), each account's figure in log1p, and the pooled within-row sd
(sum of squared deviations from each row's mean over the sum of (accounts - 1)).
Rows whose range is only a bound (a "more than" with no second figure) are left out; the
script stops if a row's range no longer matches the accounts listed here.

Two readings are loose, and the script says so: a newsroom's "more than N" is taken as
that newsroom's figure N (Oct 21, two rows), and the Oct 21 asylum row joins two measures
(people referred to the INM, people registered). So the script also prints the pooled sd
without those three rows, and a 95 % interval for the pooled sd (chi-square, from its few
degrees of freedom): with 6 degrees of freedom it is wide, and it holds the forecast's 0.5.
"""

from __future__ import annotations

import csv
import math

from caravana.forecast.pipeline import ASSIMILATION_NOISE
from caravana.scenario.load import BUILTIN_DIR

OBSERVATIONS = BUILTIN_DIR / "corridor" / "observations_2018.csv"

# (date, place, quantity): the accounts' figures, as the row's source and note give them.
ACCOUNTS = {
    ("2018-10-12", "San Pedro Sula", "present"): (160, 200),  # jintakhan.com; Guadalajara Reporter "~200"
    ("2018-10-21", "Ciudad Hidalgo", "arrivals"): (5100, 7200),  # Reuters "more than 5,100"; Fox "5,100-7,200"
    ("2018-10-21", "", "caravan_size"): (3000, 5000),  # Civil Protection / EFE "more than 3,000"; AP "about 5,000"
    ("2018-10-21", "", "asylum_requests"): (640, 1028),  # EFE "640 referred to INM"; Milenio "1,028 registered"
    ("2018-10-25", "", "caravan_size"): (3630, 4000, 5500),  # authorities; AP; organisers
}


# The rows read loosely (see the docstring): a "more than" taken as a figure, or two measures.
LOOSE = {("2018-10-21", "Ciudad Hidalgo", "arrivals"), ("2018-10-21", "", "caravan_size"),
         ("2018-10-21", "", "asylum_requests")}


def pooled_sd(accounts: dict) -> tuple[float, int]:
    """The pooled within-count sd of log1p(figure), and its degrees of freedom."""
    squares, freedom = 0.0, 0
    for figures in accounts.values():
        logs = [math.log1p(f) for f in figures]
        mean = sum(logs) / len(logs)
        squares += sum((x - mean) ** 2 for x in logs)
        freedom += len(logs) - 1
    return math.sqrt(squares / freedom), freedom


def interval(sd: float, freedom: int) -> tuple[float, float]:
    """A 95 % interval for a pooled sd with ``freedom`` degrees of freedom (chi-square)."""
    from scipy.stats import chi2

    return sd * math.sqrt(freedom / chi2.ppf(0.975, freedom)), sd * math.sqrt(freedom / chi2.ppf(0.025, freedom))


def main() -> int:
    rows = {(r["date"], r["place"], r["quantity"]): r for r in csv.DictReader(OBSERVATIONS.open(encoding="utf-8"))}
    print(f"independent accounts of one count on one day, {OBSERVATIONS.name}:")
    for key, figures in ACCOUNTS.items():
        row = rows[key]
        if (float(row["low"]), float(row["high"])) != (min(figures), max(figures)):
            raise SystemExit(f"error: {key}: the file's range {row['low']}-{row['high']} is not the accounts {figures}")
        logs = [math.log1p(f) for f in figures]
        mean = sum(logs) / len(logs)
        ss = sum((x - mean) ** 2 for x in logs)
        spread = math.sqrt(ss / (len(logs) - 1))
        print(f"  {key[0]} {key[1] or 'caravan':<15} {key[2]:<16} {', '.join(f'{f:,}' for f in figures):<20} "
              f"sd of log1p {spread:.2f}{'  (read loosely)' if key in LOOSE else ''}")
    pooled, freedom = pooled_sd(ACCOUNTS)
    low, high = interval(pooled, freedom)
    print(f"pooled sd of one report in log1p: {pooled:.2f} ({len(ACCOUNTS)} counts, {freedom} degrees of freedom; "
          f"95 % interval {low:.2f}-{high:.2f}); a report x{math.exp(pooled):.2f} off is one sd away")
    strict = {key: figures for key, figures in ACCOUNTS.items() if key not in LOOSE}
    sd_strict, freedom_strict = pooled_sd(strict)
    low, high = interval(sd_strict, freedom_strict)
    print(f"without the rows read loosely: {sd_strict:.2f} ({len(strict)} counts, {freedom_strict} degrees of freedom; "
          f"95 % interval {low:.2f}-{high:.2f})")
    print(f"the forecast's count_sd: {ASSIMILATION_NOISE.count_sd} (x{math.exp(ASSIMILATION_NOISE.count_sd):.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
