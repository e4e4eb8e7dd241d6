"""Adding UNHCR count tables the way Flee 3.1 does (``data_layout.csv`` rows naming several files).

Flee 3.1 does not add two interpolated series: it walks the second table's dates and,
for each, adds the first table's value at the next date it has (not interpolated), and
when a date falls between two dates of the first table it pairs the later one. Dates of
the first table past the second's last date are dropped, and past the first table's end
the second table's dates are dropped while the first's last date repeats. The result is
what Flee 3.1 interpolates and spawns from, so caravana reproduces it point for point.
"""

from __future__ import annotations

from ..scenario.schema import CountPoint


def add_count_tables(first: list[CountPoint], second: list[CountPoint]) -> list[CountPoint]:
    """Flee 3.1's sum of two count tables, in file order (see the module note)."""
    out: list[CountPoint] = []
    if not first:
        return out
    j = 0  # position in ``first``
    last_j = len(first) - 1
    previous = 0.0  # the second table's previous count (0 before its first date)
    for point in second:
        # First-table dates before this one get the second table's previous count.
        while point.day > first[j].day:
            out.append(CountPoint(day=first[j].day, count=previous + first[j].count))
            if j == last_j:
                break
            j += 1
        if point.day > first[j].day:
            continue  # past the first table's end: this date is dropped (Flee 3.1)
        out.append(CountPoint(day=point.day, count=point.count + first[j].count))
        if point.day == first[j].day and j < last_j:
            j += 1
        previous = point.count
    return out


def last_per_day(points: list[CountPoint]) -> list[CountPoint]:
    """One point per day, the last one given: what Flee's interpolation reads when a summed
    table holds a day twice (it interpolates from the last row at or before a day)."""
    by_day: dict[int, CountPoint] = {}
    for point in points:
        by_day[point.day] = point
    return list(by_day.values())
