"""The forecast's own settings from the other caravans' reports: leave the scored caravan out.

    python benchmarks/filter_settings.py [--leave-out 2018|2021|2023|none]

Each benchmark's settings are printed twice, side by side: ``leave-out`` (every other caravan's file, at any
date: leave-one-caravan-out) and ``earlier`` (only the files of caravans that ended before the scored one's
first as-of date, ``EARLIER_THAN``: as of the date; for 2018 none, so every setting falls back).

The filter's settings (``caravana.forecast.pipeline``) were set, in part, from the days the
benchmarks score: ``STAGE_SD`` (the 2018 stages of Oct 21-26), ``STAGE_HALF_LIFE_DAYS`` (2021's
later pace), ``ASSIMILATION_NOISE`` (2018's accounts to Oct 25) and ``SIZE_SD_PER_DAY`` (2018's size
reports of Oct 13-27). Here each is derived again from the observation files of the caravans other
than the scored one (a forecast of 2018 reads 2021's and 2023's; of 2021, 2018's and 2023's; of 2023,
2018's and 2021's), printed with its data rows and a 95 % interval. The 2018 file is read only for its
rows published by Oct 31, 2018 (its ``reported`` column; the blind test). No forecast is run here.

- **count_sd** (a count report's noise in log1p): the pooled within-count sd of the independent
  accounts of one count on one day (``report_noise.py``'s tables), loose readings included. Only the
  reports' own scatter is measured; the representation error (docs/forecast.md, *Likelihood*) has no
  source that measures it and is not added.
- **day_sd** (a reported day's noise, days): the pooled sd of independent accounts of one arrival or
  departure day (``DAY_ACCOUNTS``).
- **stage_sd** (sd of a day's stage in log): the within-caravan sd of log(km per travel day) over the
  caravans' legs between reported nights (``LEGS``; km from ``routes.csv``, ``pace_prior.road_km``), each caravan's mean
  removed (its pace is the pace factor's business); a leg of several days is their mean stage.
- **stage_half_life** (days): from the lag-1 correlation r of consecutive legs' deviations within a
  caravan, at the legs' mean length L days: L ln 2 / -ln r. Only caravans of at least 4 legs give pairs
  (a 2-leg caravan's pair is -a^2 whatever the truth) and r is corrected for each caravan's removed mean,
  r + (1 + 3r)/n (``lag1``). When r's 95 % interval holds 0 the data cannot tell persistence from none:
  the stated week if a week's r at that lag, 2^(-L/7), lies inside the interval, else the interval's point
  nearest it, its upper end (session 14, s14est: before, the week whatever the interval); wholly below 0:
  0, daily draws.
- **size_reversion** (a day: how fast the size walk's deviation fades back to the model's size; the package's
  ``SIZE_REVERSION_PER_DAY``, a week's half-life, set with hindsight): the maximum-likelihood k of the model's
  own walk over consecutive caravan-size reports of one caravan, a step d (the change of log1p(size)) over t
  days having variance s^2 v_k(t) + 2 c^2, v_k(t) = (1 - exp(-2 k t)) / (2 k) (t at k = 0, a random walk), c
  the same set's count_sd (the reports' scatter at both ends: left out, its flat variance would read as fast
  reversion), s^2 >= 0 profiled out, with its 95 % profile-likelihood interval (``reversion``). The stated
  week if it lies inside the interval, else the interval's end nearest it (session 14). The model's own
  joining and leaving are not subtracted: a steady dwindling adds a drift growing with t, pulling k to 0.
- **size_sd_per_day** (the size walk's range): (0.01, s), s the root mean square of
  d / sqrt(v(t)) over the same steps, at the chosen k (session 13, s13est: before, t, a random walk's,
  which over 11-16-day gaps read the walk's levelling off as a small sd): an upper figure of the unseen
  drift, since it holds the reports' own scatter and the joining the model has. The low end is 0.01
  (est, as before: a crowd of 5,000 gaining or losing ~50 people a day unseen).

A setting is estimated only from at least ``MIN_FREEDOM`` degrees of freedom (pairs, for the
half-life); below that the source set is too thin, the script says so, and the setting falls back to
the stated general value (``FALLBACK``), never to the scored caravan. The method, the tables and the
fallbacks were written before any forecast was scored with them (``benchmarks/results/
forecast_2018_2021_2023-2026-11-27-session13-s13noise-rule.txt``; session 14's changes:
``...-session14-s14est-rule.txt``).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
from pace_prior import road_km
from report_noise import ACCOUNTS, OTHER_ACCOUNTS, interval, pooled_sd

from caravana.forecast.moves import walk_spread
from caravana.forecast.pipeline import SIZE_REVERSION_PER_DAY
from caravana.scenario.load import BUILTIN_DIR

CORRIDOR = BUILTIN_DIR / "corridor"
FILES = {year: CORRIDOR / f"observations_{year}.csv" for year in ("2018", "2021", "2023")}
# The last day a 2018 report may be published and read (the blind test); the others any day.
PUBLISHED_BY = {"2018": dt.date(2018, 10, 31)}
# The benchmarks' first as-of dates: ``earlier`` reads only the files of caravans over by then.
FIRST_AS_OF = {"2018": dt.date(2018, 10, 20), "2021": dt.date(2021, 10, 27), "2023": dt.date(2023, 11, 1)}
# The day each file's caravan set out (its first row): ``earlier`` opens no file of a caravan not yet started.
STARTS = {"2018": dt.date(2018, 10, 12), "2021": dt.date(2021, 10, 23), "2023": dt.date(2023, 10, 30)}
MIN_FREEDOM = 3
MIN_LEGS_FOR_PAIRS = 4  # a caravan's legs for its consecutive pairs to count (``lag1``)
MIN_STEPS_FOR_REVERSION = MIN_FREEDOM + 2  # size steps for the two parameters (s, k) of ``reversion``
# k a day searched by ``reversion``: 0 (a random walk), then 1e-3 (a 2-year half-life) to 10 (100 minutes)
REVERSION_GRID = np.concatenate([[0.0], np.geomspace(1e-3, 10.0, 241)])
CHI2_95 = 3.841  # chi-square, 1 degree of freedom: the profile likelihood's 95 % interval

# Independent accounts of one arrival or departure day (days of the month), by caravan.
DAY_ACCOUNTS: dict[str, dict[tuple[str, str, str], tuple[int, ...]]] = {
    "2018": {},
    "2021": {},
    # El Orbe: left Arriaga "in the first hours of this Friday" (Nov 17); N+: "early hours of this Saturday" (Nov 18)
    "2023": {("2023-11-17", "Arriaga", "departed"): (17, 18)},
}

# A caravan's legs between reported nights: (the rows they rest on, as (date, place, quantity); the
# towns along the road; travel days; why). A report that it arrived at B on day d puts it at B that
# night, one that it left A on d at A the night before; rest days a row states are not travel days.
LEGS: dict[str, list[tuple[tuple[tuple[str, str, str], ...], tuple[str, ...], int, str]]] = {
    "2018": [
        ((("2018-10-21", "Ciudad Hidalgo", "departed"), ("2018-10-21", "Tapachula", "arrived")),
         ("Ciudad Hidalgo", "Tapachula"), 1, "left Ciudad Hidalgo and slept at Tapachula on Oct 21"),
        ((("2018-10-22", "Tapachula", "departed"), ("2018-10-24", "Huixtla", "departed")),
         ("Tapachula", "Huixtla"), 1, "Oct 22: 'first arrivals in Huixtla after an 8-hour walk'; Oct 23 at Huixtla"),
        ((("2018-10-24", "Huixtla", "departed"), ("2018-10-25", "Mapastepec", "departed")),
         ("Huixtla", "Mapastepec"), 1, "left Huixtla Oct 24, left Mapastepec Oct 25: the night of Oct 24 there"),
        ((("2018-10-25", "Mapastepec", "departed"), ("2018-10-25", "Pijijiapan", "arrived")),
         ("Mapastepec", "Pijijiapan"), 1, "Oct 25"),
        ((("2018-10-26", "Pijijiapan", "departed"), ("2018-10-27", "San Pedro Tapanatepec", "arrived")),
         ("Pijijiapan", "Arriaga"), 1, "Oct 26, 'walk and hitchhike' to Arriaga; left Arriaga before dawn Oct 27"),
        ((("2018-10-27", "San Pedro Tapanatepec", "arrived"),), ("Arriaga", "San Pedro Tapanatepec"), 1, "Oct 27"),
        ((("2018-10-29", "Santiago Niltepec", "arrived"),), ("San Pedro Tapanatepec", "Santiago Niltepec"), 1,
         "'crosses the Tapanatepec checkpoint before dawn and stops overnight in Niltepec' (Oct 29)"),
        ((("2018-10-30", "Juchitan", "arrived"),), ("Santiago Niltepec", "Juchitan"), 1, "Oct 30"),
    ],
    "2021": [
        ((("2021-10-23", "Tapachula", "departed"), ("2021-10-25", "Huixtla", "arrived")),
         ("Tapachula", "Huixtla"), 3, "Oct 23-25 (the night of Oct 24 at Huehuetan)"),
        ((("2021-10-27", "Huixtla", "departed"), ("2021-11-01", "Mapastepec", "departed")),
         ("Huixtla", "Mapastepec"), 3, "Oct 27 - Oct 31 at Mapastepec, 'rested in Mapastepec over the weekend' "
         "(Oct 30-31): 3 travel days"),
        ((("2021-11-01", "Mapastepec", "departed"), ("2021-11-02", "Pijijiapan", "arrived")),
         ("Mapastepec", "Pijijiapan"), 2, "Nov 1 (to Hermenegildo Galeana) - Nov 2"),
        ((("2021-11-02", "Pijijiapan", "arrived"), ("2021-11-06", "Arriaga", "arrived")),
         ("Pijijiapan", "Arriaga"), 4, "Nov 3-6 (rests not stated)"),
        ((("2021-11-07", "Arriaga", "departed"), ("2021-11-09", "San Pedro Tapanatepec", "arrived")),
         ("Arriaga", "San Pedro Tapanatepec"), 3, "Nov 7-9"),
        ((("2021-11-10", "San Pedro Tapanatepec", "departed"), ("2021-11-16", "Matias Romero", "departed")),
         ("San Pedro Tapanatepec", "Santiago Niltepec", "Juchitan", "Matias Romero"), 6,
         "Nov 10-15 (rests not stated)"),
    ],
    "2023": [
        ((("2023-10-30", "Tapachula", "departed"), ("2023-11-01", "Huixtla", "arrived")),
         ("Tapachula", "Huixtla"), 3, "Oct 30 - Nov 1, '41.2 km in three days'"),
        ((("2023-11-10", "Huixtla", "departed"), ("2023-11-15", "Arriaga", "arrived")),
         ("Huixtla", "Mapastepec", "Pijijiapan", "Arriaga"), 6, "Nov 10-15, both days approx (rests not stated)"),
    ],
}

# What a setting falls back to when its source set is too thin (est or a general fact).
FALLBACK = {
    "count_sd": (0.5, "est: reports of one crowd disagree by a factor 1.5-2 (issue 4), log 1.65"),
    "day_sd": (1.0, "est: a report dates a night to a calendar day, 'approx' ones a day either way"),
    "stage_sd": (0.35, "est: a round 'a third'"),
    "stage_half_life": (7.0, "est: a week, the size walk's half-life"),
    "size_sd_high": (0.3, "est: 30 % a day"),
    "size_reversion": (SIZE_REVERSION_PER_DAY, "est: a week's half-life, the package's SIZE_REVERSION_PER_DAY"),
}
SIZE_SD_LOW = 0.01  # est (module doc)


@dataclass(frozen=True)
class Setting:
    value: float
    source: str  # how it was derived, or why it fell back


@dataclass(frozen=True)
class FilterSettings:
    left_out: str
    count_sd: Setting
    day_sd: Setting
    stage_sd: Setting
    stage_half_life: Setting
    size_sd_high: Setting
    size_reversion: Setting  # k a day (the size walk's; run_forecast's size_reversion)

    @property
    def size_sd_per_day(self) -> tuple[float, float]:
        return SIZE_SD_LOW, self.size_sd_high.value


def published(row: dict) -> dt.date:
    """The day a row came out: its ``reported`` column, else its day."""
    return dt.date.fromisoformat(row.get("reported") or row["date"])


def readable_rows(year: str) -> dict[tuple[str, str, str], dict]:
    """A caravan's rows by (date, place, quantity), only those published by its reading limit."""
    limit = PUBLISHED_BY.get(year)
    return {(r["date"], r["place"], r["quantity"]): r for r in csv.DictReader(FILES[year].open(encoding="utf-8"))
            if limit is None or published(r) <= limit}


def ended_before(year: str, day: dt.date) -> bool:
    """Whether every row of ``year``'s file it may read was dated and published before ``day``: the
    caravan's file was over by then (``--filter-settings earlier``). A caravan that set out on or after ``day``
    did not exist then: its file is not opened."""
    if STARTS[year] >= day:
        return False
    rows = readable_rows(year).values()
    return bool(rows) and all(max(dt.date.fromisoformat(r["date"]), published(r)) < day for r in rows)


def others(left_out: str) -> list[str]:
    """The caravans read when ``left_out`` is scored (``none``: all, as for a caravan not in the package)."""
    if left_out not in (*FILES, "none"):
        raise SystemExit(f"error: --leave-out {left_out}: not one of {', '.join(FILES)}, none")
    return [year for year in FILES if year != left_out]


def earlier_than(caravan: str, day: dt.date) -> list[str]:
    """The caravans read when ``caravan`` is scored from ``day`` on, as of that day: those whose file was over
    before it (``ended_before``; the scored caravan's own file is never read)."""
    return [year for year in others(caravan) if ended_before(year, day)]


def fallback(name: str, why: str) -> Setting:
    value, source = FALLBACK[name]
    return Setting(value, f"too thin ({why}): falls back to {value:.4g} ({source})")


def _accounts(years: list[str], rows_of: dict) -> dict:
    """The independent accounts of one count on one day in these caravans' readable rows."""
    tables = {"2018": ACCOUNTS, **OTHER_ACCOUNTS}
    return {key: figures for year in years for key, figures in tables[year].items() if key in rows_of[year]}


def count_noise(years: list[str], rows_of: dict, show: bool) -> Setting:
    accounts = _accounts(years, rows_of)
    if show:
        print("count reports: independent accounts of one count on one day (report_noise.py's tables)")
        for key, figures in accounts.items():
            print(f"  {key[0]} {key[1] or 'caravan':<15} {key[2]:<16} {', '.join(f'{f:,}' for f in figures)}")
    sd, freedom = pooled_sd(accounts) if accounts else (0.0, 0)
    if freedom < MIN_FREEDOM:
        return fallback("count_sd", f"{freedom} degrees of freedom")
    low, high = interval(sd, freedom)
    if show:
        z = standardised(accounts, sd)
        print(f"  tails: {len(z)} accounts' deviations from their count's mean, in pooled sd (each scaled by "
              f"sqrt(k / (k - 1))): largest |z| {max(map(abs, z)):.2f}, mean z^4 {sum(x ** 4 for x in z) / len(z):.2f} "
              "(a Gaussian: 3; outliers would show as |z| > 3 or a mean z^4 well above 3)")
    return Setting(round(sd, 2), f"pooled sd of log1p {sd:.3f}, {len(accounts)} counts, {freedom} df, "
                                 f"95 % interval {low:.2f}-{high:.2f}")


def standardised(accounts: dict, sd: float) -> list[float]:
    """Each account's deviation from its count's mean log1p, over the pooled sd, scaled to unit variance."""
    z = []
    for figures in accounts.values():
        logs = [math.log1p(f) for f in figures]
        mean, k = sum(logs) / len(logs), len(logs)
        z += [(x - mean) / (sd * math.sqrt((k - 1) / k)) for x in logs]
    return z


def day_noise(years: list[str], rows_of: dict, show: bool) -> Setting:
    accounts = {key: days for year in years for key, days in DAY_ACCOUNTS[year].items() if key in rows_of[year]}
    if show:
        print("reported days: independent accounts of one arrival or departure day")
        for key, days in accounts.items():
            print(f"  {key[0]} {key[1]:<15} {key[2]:<16} days {', '.join(map(str, days))}")
    squares = sum(sum((d - sum(days) / len(days)) ** 2 for d in days) for days in accounts.values())
    freedom = sum(len(days) - 1 for days in accounts.values())
    if freedom < MIN_FREEDOM:
        return fallback("day_sd", f"{freedom} degrees of freedom")
    sd = math.sqrt(squares / freedom)
    low, high = interval(sd, freedom)
    return Setting(round(sd, 2), f"pooled sd {sd:.3f} days, {freedom} df, 95 % interval {low:.2f}-{high:.2f}")


def leg_paces(year: str, rows: dict, show: bool) -> list[tuple[float, int]]:
    """(log km per travel day, travel days) of each of a caravan's legs whose rows it may read."""
    legs = []
    for keys, towns, days, why in LEGS[year]:
        if not all(key in rows for key in keys):
            continue
        length = road_km(towns[0], towns[-1])  # the shortest road path: the coastal road here
        legs.append((math.log(length / days), days))
        if show:
            print(f"  {year} {towns[0]} - {towns[-1]}: {length:.0f} km in {days} travel day(s), "
                  f"{length / days:.1f} km a day ({why})")
    return legs


def stages(years: list[str], rows_of: dict, show: bool) -> tuple[Setting, Setting]:
    """(stage_sd, stage_half_life) from the legs' within-caravan deviations."""
    if show:
        print("stages: legs between reported nights (km from routes.csv)")
    deviations, days = [], []
    for year in years:
        legs = leg_paces(year, rows_of[year], show)
        if not legs:
            continue
        mean = sum(x for x, _ in legs) / len(legs)
        deviations.append([x - mean for x, _ in legs])
        days += [d for _, d in legs]
    freedom = sum(len(run) - 1 for run in deviations)
    if freedom < MIN_FREEDOM:
        stage_sd = fallback("stage_sd", f"{freedom} degrees of freedom")
    else:
        sd = math.sqrt(sum(x * x for run in deviations for x in run) / freedom)
        low, high = interval(sd, freedom)
        stage_sd = Setting(round(sd, 2), f"within-caravan sd of log km a travel day {sd:.3f}, "
                                         f"{sum(map(len, deviations))} legs, {freedom} df, 95 % interval {low:.2f}-{high:.2f}")
    return stage_sd, half_life(deviations, sum(days) / len(days) if days else 0.0)


def lag1(deviations: list[list[float]]) -> tuple[float, float, float, int] | None:
    """(r, its 95 % interval's low and high ends, pairs): the pooled lag-1 correlation of consecutive
    deviations from each caravan's mean, over caravans of at least ``MIN_LEGS_FOR_PAIRS`` legs, corrected
    for the removed mean (None below ``MIN_FREEDOM`` pairs).

    Removing a caravan's mean biases its r by about -(1 + 3 r) / n (n its legs; Marriott and Pope 1954,
    Kendall 1954): a 2-leg caravan's deviations are (a, -a), its pair -a^2 whatever the truth. So short
    caravans give no pairs, and r and its Fisher-z interval's ends get r + (1 + 3 r) w, w the mean 1/n of
    the caravans weighted by the pairs each gives."""
    runs = [run for run in deviations if len(run) >= MIN_LEGS_FOR_PAIRS]
    pairs = [pair for run in runs for pair in zip(run, run[1:])]
    if len(pairs) < MIN_FREEDOM:
        return None
    raw = sum(a * b for a, b in pairs) / math.sqrt(sum(a * a for a, _ in pairs) * sum(b * b for _, b in pairs))
    w = sum((len(run) - 1) / len(run) for run in runs) / len(pairs)
    z, half = math.atanh(max(min(raw, 0.999), -0.999)), 1.96 / math.sqrt(max(len(pairs) - 3, 1))

    def corrected(r: float) -> float:
        return max(min(r + (1 + 3 * r) * w, 0.999), -0.999)

    return corrected(raw), corrected(math.tanh(z - half)), corrected(math.tanh(z + half)), len(pairs)


def half_life(deviations: list[list[float]], length: float) -> Setting:
    """The stage walk's half-life from ``lag1`` at legs of ``length`` days: L ln 2 / -ln r if its interval
    lies above 0, 0 (daily draws) if below; when it holds 0 (the data cannot tell) the stated week if a week's r
    at that lag, 2^(-L/7), lies in the interval, else the interval's point nearest it (session 14)."""
    short = sum(1 for run in deviations if len(run) < MIN_LEGS_FOR_PAIRS)
    found = lag1(deviations)
    if found is None:
        return fallback("stage_half_life", f"under {MIN_FREEDOM} pairs of consecutive legs from caravans of "
                                           f"{MIN_LEGS_FOR_PAIRS}+ legs")
    r, low, high, pairs = found
    band = (f"lag-1 r {r:.2f} corrected for each caravan's mean over {pairs} pairs (95 % interval {low:.2f}-{high:.2f}; "
            f"{short} caravan(s) of under {MIN_LEGS_FOR_PAIRS} legs give no pairs), legs of {length:.1f} days on average")
    if low <= 0 <= high:  # too thin to tell: the stated week unless the interval rules it out
        week = 2 ** (-length / FALLBACK["stage_half_life"][0])  # a week's half-life's r at lag L
        end = nearest(week, low, high)
        if end == week:
            return fallback("stage_half_life", f"{band}: the interval holds 0 and a week's r {week:.2f}")
        value = 0.0 if end <= 0 else round(length * math.log(2) / -math.log(end), 1)
        return Setting(value, f"{band}: the interval holds 0 but not a week's r {week:.2f}: its nearest point, "
                              f"r {end:.2f}, half-life L ln 2 / -ln r (0 if r <= 0)")
    if high < 0:
        return Setting(0.0, f"{band}: no persistence, daily draws")
    return Setting(round(length * math.log(2) / -math.log(r), 1), f"{band}: half-life L ln 2 / -ln r")


def nearest(stated: float, low: float, high: float) -> float:
    """``stated`` if the interval [low, high] holds it, else the interval's point nearest it: a stated guess
    the data reject at 5 % is not kept, and the least departure from it the data accept is taken."""
    return min(max(stated, low), high)


def size_steps(years: list[str], rows_of: dict) -> list[tuple[float, int, str]]:
    """(d, t, what) of consecutive caravan-size reports of one caravan: d the change of log1p(size) over t days.
    One date's reports (different places) are one size, their mean: t >= 1 day."""
    steps = []
    for year in years:
        reported: dict[dt.date, list[float]] = {}
        for k, r in rows_of[year].items():
            if k[2] == "caravan_size" and r["value"]:
                reported.setdefault(dt.date.fromisoformat(k[0]), []).append(float(r["value"]))
        sizes = sorted((day, sum(v) / len(v)) for day, v in reported.items())
        for (d0, v0), (d1, v1) in zip(sizes, sizes[1:]):
            steps.append((math.log1p(v1) - math.log1p(v0), (d1 - d0).days, f"{year} {d0:%b %d} {v0:,.0f} -> "
                                                                          f"{d1:%b %d} {v1:,.0f}"))
    return steps


def size_drift(steps: list[tuple[float, int, str]], k: float, show: bool = False) -> Setting:
    """The size walk's upper sd a day at reversion ``k`` a day from ``size_steps`` (module doc)."""
    if show:
        print(f"size drift: consecutive caravan-size reports of one caravan, d / sqrt(v(t)) in log1p "
              f"(v the model's Ornstein-Uhlenbeck variance over t days for a unit sd, at k {k:.4f} a day)")
        for d, t, what in steps:
            print(f"  {what}: {t} day(s), d {d:+.3f}, d / sqrt(v) {d / walk_spread(1.0, t, k):+.3f}")
    if len(steps) < MIN_FREEDOM:
        return fallback("size_sd_high", f"{len(steps)} steps")
    s = walk_sd([(d, t) for d, t, _ in steps], k)
    low, high = interval(s, len(steps))
    return Setting(round(s, 2), f"root mean square {s:.3f} a sqrt(day) of the model's walk (reverting at "
                                f"{k:.4f} a day), {len(steps)} steps, 95 % interval {low:.2f}-{high:.2f} "
                                "(holds the reports' scatter and modelled joining: an upper figure)")


def walk_sd(steps: list[tuple[float, int]], k: float) -> float:
    """The sd a day of the model's size walk (``moves.walk_spread``: Ornstein-Uhlenbeck, restarted at each
    report) from steps (d, t) of log size over t days: sqrt(mean d^2 / v(t)), v(t) = (1 - exp(-2 k t)) / (2 k).
    d / sqrt(t), a random walk's, would read the walk's levelling off over 11-16-day gaps as a small sd."""
    return math.sqrt(sum((d / walk_spread(1.0, t, k)) ** 2 for d, t in steps) / len(steps))


def profile_log_likelihood(steps: list[tuple[float, int]], k: float, scatter: float) -> float:
    """The Gaussian log-likelihood of steps (d, t), d ~ N(0, s^2 v_k(t) + 2 scatter^2), at its best s^2 >= 0
    (``reversion``): s^2 on a log grid, then refined by bounded Brent between the grid's neighbours."""
    from scipy.optimize import minimize_scalar

    d2 = np.array([d * d for d, _ in steps])
    v = np.array([walk_spread(1.0, t, k) ** 2 for _, t in steps])
    floor = 2 * scatter * scatter

    def minus(log_s2: float) -> float:
        var = np.exp(log_s2) * v + floor
        return 0.5 * float(np.sum(np.log(var) + d2 / var))

    grid = np.linspace(math.log(1e-8), math.log(10 * float(np.max(d2 / v)) + 1e-6), 81)
    values = [minus(u) for u in grid]
    i = int(np.argmin(values))
    best = minimize_scalar(minus, bounds=(grid[max(i - 1, 0)], grid[min(i + 1, len(grid) - 1)]), method="bounded")
    at_zero = 0.5 * float(np.sum(np.log(floor) + d2 / floor)) if floor > 0 else math.inf  # s^2 = 0
    return -min(float(best.fun), values[i], at_zero)


def reversion(steps: list[tuple[float, int]], scatter: float) -> tuple[float, float, float] | None:
    """(k, its 95 % profile-likelihood interval's low and high ends) of the model's size walk from steps
    (d, t) with the reports' ``scatter`` (count sd in log1p) at both ends; k on ``REVERSION_GRID`` (its last
    point read as "no upper end"); None below ``MIN_STEPS_FOR_REVERSION`` steps (module doc)."""
    if len(steps) < MIN_STEPS_FOR_REVERSION:
        return None
    profile = np.array([profile_log_likelihood(steps, k, scatter) for k in REVERSION_GRID])
    inside = REVERSION_GRID[profile >= profile.max() - CHI2_95 / 2]
    return float(REVERSION_GRID[int(np.argmax(profile))]), float(inside.min()), float(inside.max())


def half_life_days(k: float) -> str:
    return "inf" if k <= 0 else f"{math.log(2) / k:.1f}"


def size_reversion(steps: list[tuple[float, int, str]], scatter: float) -> Setting:
    """k a day for the benchmarks' size walk: the stated week unless ``reversion``'s interval rules it out,
    then the interval's end nearest it."""
    found = reversion([(d, t) for d, t, _ in steps], scatter)
    if found is None:
        return fallback("size_reversion", f"{len(steps)} size steps, under {MIN_STEPS_FOR_REVERSION}")
    k, low, high = found
    week = FALLBACK["size_reversion"][0]
    open_end = " (no upper end)" if high >= REVERSION_GRID[-1] else ""
    band = (f"maximum-likelihood k {k:.4f} a day (half-life {half_life_days(k)} days) over {len(steps)} size steps, "
            f"report scatter {scatter} at both ends; 95 % profile interval {low:.4f}-{high:.4f}{open_end} "
            f"(half-life {half_life_days(high)}-{half_life_days(low)} days)")
    chosen = nearest(week, low, high)
    if chosen == week:
        return fallback("size_reversion", f"{band}: it holds a week's")
    return Setting(round(chosen, 4), f"{band}: not a week's ({week:.4f}); its nearest point")


def settings_from(label: str, years: list[str], show: bool = False) -> FilterSettings:
    """The filter's settings from ``years``' files (module doc); ``label`` says which set it is."""
    rows_of = {year: readable_rows(year) for year in years}
    count = count_noise(years, rows_of, show)
    stage_sd, persistence = stages(years, rows_of, show)
    steps = size_steps(years, rows_of)
    k = size_reversion(steps, count.value)
    return FilterSettings(label, count, day_noise(years, rows_of, show), stage_sd, persistence,
                          size_drift(steps, k.value, show), k)


def leave_out(caravan: str, show: bool = False) -> FilterSettings:
    """The filter's settings from every caravan's file but ``caravan``'s (module doc)."""
    return settings_from(caravan, others(caravan), show)


def earlier(caravan: str, day: dt.date | None = None, show: bool = False) -> FilterSettings:
    """The filter's settings from the files of the caravans over before ``day`` (default: ``caravan``'s
    benchmark's first as-of date; ``earlier_than``): as of that day."""
    day = FIRST_AS_OF[caravan] if day is None else day
    return settings_from(f"{caravan}, earlier than {day}", earlier_than(caravan, day), show)


NAMES = ("count_sd", "day_sd", "stage_sd", "stage_half_life", "size_sd_high", "size_reversion")


def describe(settings: FilterSettings) -> list[str]:
    return [f"{name}: {getattr(settings, name).value:.4g} ({getattr(settings, name).source})" for name in NAMES]


def side_by_side(caravans: list[str]) -> list[str]:
    """Each setting's value, leave-out and earlier, for each scored caravan: one table."""
    sets = {(c, mode): (leave_out(c) if mode == "leave-out" else earlier(c)) for c in caravans
            for mode in ("leave-out", "earlier")}
    head = f"{'setting':<16}" + "".join(f"{c + ' ' + mode:>20}" for c, mode in sets)
    return [head, *(f"{name:<16}" + "".join(f"{getattr(s, name).value:>20.4g}" for s in sets.values()) for name in NAMES),
            "earlier reads: " + "; ".join(f"{c}: {', '.join(earlier_than(c, FIRST_AS_OF[c])) or 'none'} (over by "
                                          f"{FIRST_AS_OF[c]})" for c in caravans)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leave-out", nargs="+", default=[*FILES, "none"],
                        help="the scored caravan(s): 2018 2021 2023, or none (every file: a caravan not in the package)")
    parser.add_argument("--earlier", action="store_true",
                        help="also each caravan's earlier set (the files over before its first as-of date), in full")
    args = parser.parse_args(argv)
    for caravan in args.leave_out:
        modes = [("leave-out", others(caravan))]
        if args.earlier and caravan in FIRST_AS_OF:
            modes.append(("earlier", earlier_than(caravan, FIRST_AS_OF[caravan])))
        for mode, years in modes:
            print(f"== {mode}, {caravan}: from {', '.join(years) or 'no file'}"
                  f"{' (2018: rows published by Oct 31, 2018)' if '2018' in years else ''}")
            settings = (leave_out(caravan, show=True) if mode == "leave-out" else earlier(caravan, show=True))
            print("settings:")
            for text in describe(settings):
                print("  " + text)
            print(f"  size_sd_per_day: {settings.size_sd_per_day}\n")
    scored = [c for c in args.leave_out if c in FIRST_AS_OF]
    if scored:
        print("side by side (leave-out: the other caravans at any date; earlier: those over before the first as-of date)")
        for text in side_by_side(scored):
            print("  " + text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
