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
that newsroom's figure N (Oct 15, Oct 21 twice, Oct 23), and the Oct 21 asylum row and the
Oct 20 returns join two measures (people referred to the INM, people registered; returned,
returned or in transit). So the script also prints the pooled sd without those six rows, and
a 95 % interval for the pooled sd (chi-square, from its few degrees of freedom): with 11
degrees of freedom it is wide (6 before session 16's rows, s16rows), and it holds 0.5.
"""

from __future__ import annotations

import csv
import math

from caravana.forecast.pipeline import ASSIMILATION_NOISE
from caravana.scenario.load import BUILTIN_DIR

OBSERVATIONS = BUILTIN_DIR / "corridor" / "observations_2018.csv"
# Other caravans' files (session 10): any date of theirs may be read (they are not the 2018 caravan).
OTHERS = {"2021": BUILTIN_DIR / "corridor" / "observations_2021.csv",
          "2023": BUILTIN_DIR / "corridor" / "observations_2023.csv"}

# (date, place, quantity): the accounts' figures, as the row's source and note give them.
ACCOUNTS = {
    ("2018-10-12", "San Pedro Sula", "present"): (160, 200),  # jintakhan.com; Guadalajara Reporter "~200"
    ("2018-10-15", "", "caravan_size"): (1500, 1600, 2000),  # USA Today "more than 1,500"; NBC "1,600 to ~2,000" (s16rows)
    ("2018-10-20", "", "returned"): (2000, 2500),  # Reuters: 2,000 returned; "about 2,500" returned or in transit (s16rows)
    ("2018-10-21", "Ciudad Hidalgo", "arrivals"): (2665, 5100, 7200),  # Suchiate 2,665 (s16rows); Reuters >5,100; Fox
    ("2018-10-21", "", "caravan_size"): (3000, 5000),  # Civil Protection / EFE "more than 3,000"; AP "about 5,000"
    ("2018-10-21", "", "asylum_requests"): (640, 1028),  # EFE "640 referred to INM"; Milenio "1,028 registered"
    ("2018-10-23", "", "caravan_size"): (5000, 7000),  # the government "about 5,000"; CBS/AP "over 7,000" (s16rows)
    # AP; organisers. dpa's 3,630 "per authorities" is the Oct 24 statement, its own row since s16rows: not a
    # second account (s16mendR)
    ("2018-10-25", "", "caravan_size"): (4000, 5500),
}


# The other caravans' rows whose range is made of accounts of one count on one day (session 10), by file.
OTHER_ACCOUNTS = {
    "2021": {("2021-10-23", "", "caravan_size"): (2000, 6000),  # AP "about 2,000"; Left Voice "some 6,000" (session 12)
             ("2021-11-09", "", "caravan_size"): (1500, 1680, 4000)},  # Regeneracion; authorities; organisers (EFE)
    "2023": {("2023-10-30", "", "caravan_size"): (3500, 5000, 10000),  # Chiapas officials; organiser; El Orbe ">10,000"
             ("2023-11-01", "", "caravan_size"): (5000, 8000),  # La Jornada: "at least 5,000"; the organisers "up to 8,000"
             ("2023-11-05", "Huixtla", "present"): (3500, 7000),  # Reuters: Chiapas government; organisers
             ("2023-11-18", "", "caravan_size"): (2000, 2300)},  # Milenio "about two thousand"; N+ 2,300
}
OTHER_LOOSE = {("2023-10-30", "", "caravan_size"), ("2023-11-01", "", "caravan_size"),
               ("2023-11-18", "", "caravan_size")}  # "more than", "at least", "about": a bound read as a figure
# The 2018 accounts a forecast as of its earliest scored date (Oct 20, 2018) may read.
EARLIEST_AS_OF = "2018-10-20"

# The rows read loosely (see the docstring): a "more than" taken as a figure, or two measures.
LOOSE = {("2018-10-21", "Ciudad Hidalgo", "arrivals"), ("2018-10-21", "", "caravan_size"),
         ("2018-10-21", "", "asylum_requests"),
         # session 16's rows (s16rows): a "more than" / "over" taken as a figure, or two measures (returned; returned
         # or in transit)
         ("2018-10-15", "", "caravan_size"), ("2018-10-20", "", "returned"), ("2018-10-23", "", "caravan_size")}


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


def show(path, accounts: dict, loose: set) -> None:
    """Each count's accounts and their sd, after checking them against the file's range."""
    rows = {(r["date"], r["place"], r["quantity"]): r for r in csv.DictReader(path.open(encoding="utf-8"))}
    print(f"independent accounts of one count on one day, {path.name}:")
    for key, figures in accounts.items():
        row = rows[key]
        if (float(row["low"]), float(row["high"])) != (min(figures), max(figures)):
            raise SystemExit(f"error: {key}: the file's range {row['low']}-{row['high']} is not the accounts {figures}")
        logs = [math.log1p(f) for f in figures]
        mean = sum(logs) / len(logs)
        ss = sum((x - mean) ** 2 for x in logs)
        spread = math.sqrt(ss / (len(logs) - 1))
        print(f"  {key[0]} {key[1] or 'caravan':<15} {key[2]:<16} {', '.join(f'{f:,}' for f in figures):<20} "
              f"sd of log1p {spread:.2f}{'  (read loosely)' if key in loose else ''}")


def pooled_line(label: str, accounts: dict) -> None:
    sd, freedom = pooled_sd(accounts)
    low, high = interval(sd, freedom)
    print(f"{label}: {sd:.2f} ({len(accounts)} counts, {freedom} degrees of freedom; 95 % interval {low:.2f}-{high:.2f})")


def main() -> int:
    show(OBSERVATIONS, ACCOUNTS, LOOSE)
    pooled, freedom = pooled_sd(ACCOUNTS)
    low, high = interval(pooled, freedom)
    print(f"pooled sd of one report in log1p: {pooled:.2f} ({len(ACCOUNTS)} counts, {freedom} degrees of freedom; "
          f"95 % interval {low:.2f}-{high:.2f}); a report x{math.exp(pooled):.2f} off is one sd away")
    strict = {key: figures for key, figures in ACCOUNTS.items() if key not in LOOSE}
    sd_strict, freedom_strict = pooled_sd(strict)
    low, high = interval(sd_strict, freedom_strict)
    print(f"without the rows read loosely: {sd_strict:.2f} ({len(strict)} counts, {freedom_strict} degrees of freedom; "
          f"95 % interval {low:.2f}-{high:.2f})")
    # Session 10: the other caravans' accounts too, and 2018's only up to the earliest as-of date.
    others: dict = {}
    for year, path in OTHERS.items():
        show(path, OTHER_ACCOUNTS[year], OTHER_LOOSE)
        others.update(OTHER_ACCOUNTS[year])
    pooled_line("pooled sd, the other caravans (2021, 2023)", others)
    pooled_line("  without the rows read loosely", {k: v for k, v in others.items() if k not in OTHER_LOOSE})
    early = {k: v for k, v in ACCOUNTS.items() if k[0] <= EARLIEST_AS_OF}
    pooled_line(f"pooled sd, the other caravans and 2018's accounts up to {EARLIEST_AS_OF}", {**others, **early})
    pooled_line("pooled sd, every caravan's accounts (2018's to Oct 25)", {**others, **ACCOUNTS})
    print(f"the forecast's count_sd: {ASSIMILATION_NOISE.count_sd} (x{math.exp(ASSIMILATION_NOISE.count_sd):.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
