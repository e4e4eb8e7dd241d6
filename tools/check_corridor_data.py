#!/usr/bin/env python3
"""Check the built-in ``corridor`` scenario data and print a table of results.

Usage: python tools/check_corridor_data.py [DATA_DIR]

DATA_DIR defaults to src/caravana/scenario/builtin/corridor next to this file's repo.
Exits 1 if any check FAILs (WARN and INFO lines do not fail). The blind test: it prints no
source dated after Oct 31, 2018 and no figure taken from one; a row that rests on such a
report is named by its id and "a later report".
"""
from __future__ import annotations

import csv
import heapq
import math
import re
import sys
from collections import defaultdict
from collections.abc import Set
from datetime import date
from pathlib import Path

from caravana.scenario.provenance import later_dates

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DIR = REPO / "src" / "caravana" / "scenario" / "builtin" / "corridor"

# The blind test's date: the reports on the 2018 caravans after it are what the model must predict.
BLIND_CUTOFF = date(2018, 10, 31)

R_EARTH_KM = 6371.0
MILE_KM = 1.609344

LOC_COLS = ["name", "country", "lat", "lon", "type", "population", "capacity", "offices", "quality", "source"]
ROUTE_COLS = ["from", "to", "km", "mode", "quality", "source"]
NEEDS_COLS = ["standard", "value", "unit", "context", "source"]
TIMELINE_COLS = ["date", "place", "quantity", "value", "low", "high", "event", "source"]

COUNTRIES = {"HN", "SV", "GT", "MX", "US"}
TYPES = {"origin", "town", "border_crossing", "shelter", "port_of_entry", "us_port", "migration_station"}
OFFICES = {"inm_permits", "comar", "migration_station", "us_port_of_entry"}
LOC_QUALITY = {"sourced", "approx", "est"}
ROUTE_QUALITY = {"sourced", "approx", "est", "aggregate"}
MODES = {"road", "foot", "river", "rail"}
QUANTITIES = {"present", "arrived", "departed", "crossed", "returned", "detained", "asylum_requests", "registered"}
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 .'\-]*$")

# Road-detour allowance for check 3: gc <= km <= DETOUR_FACTOR * gc + DETOUR_KM.
DETOUR_FACTOR = 2.0
DETOUR_KM = 30.0
# Edges at least this long whose km/gc ratio is below TIGHT_RATIO are flagged (WARN): few roads are that straight.
TIGHT_RATIO = 1.05
TIGHT_MIN_KM = 50.0

ORIGIN = "San Pedro Sula"
MX_ENTRY = "Ciudad Hidalgo"

# The 2018 variant's itinerary (scenario.yml; its destination is a marked setting, DATA.md), in order (check 5).
WAYPOINTS = [
    "San Pedro Sula", "Agua Caliente", "Esquipulas", "Chiquimula", "Guatemala City", "Tecun Uman",
    "Ciudad Hidalgo", "Tapachula", "Huixtla", "Mapastepec", "Pijijiapan", "Tonala", "Arriaga",
    "San Pedro Tapanatepec", "Santiago Niltepec", "Juchitan", "Matias Romero", "Sayula de Aleman", "Isla",
    "Cordoba", "Puebla", "Mexico City", "Queretaro", "Irapuato", "Guadalajara", "Tepic", "Mazatlan",
    "Culiacan", "Navojoa", "Hermosillo", "Mexicali", "Tijuana", "San Ysidro",
]
WALK_MODES = {"road", "foot", "river"}  # the caravan walked, hitchhiked, rafted; no freight trains

# Shelter beds of needs_standards.csv rows, by the place they are about (check 4). Beds whose source is
# dated after Oct 31, 2018 are the 2021/2022 variants' own `aid.shelters`, never a cell of locations.csv
# (the blind test); beds from an earlier source must be the place's capacity. Puebla's beds come from an
# undated raw note (no date: kept out of locations.csv like a later report).
CAPACITY_STANDARD_TO_PLACE = {
    "shelter_capacity_example_cdmx_jesus_martinez": "Mexico City",
    "shelter_capacity_example_tijuana_benito_juarez": "Tijuana",
    "shelter_capacity_example_el_barretal": "Tijuana El Barretal",
}
UNDATED_CAPACITY_PLACES = {"Puebla": "an undated raw note, likely a later report"}

# Distances the articles quote, compared with graph shortest paths (informational, WARN if > 25 % off).
# (label, from, to, claimed_km, modes)
PLAUSIBILITY = [
    ("GT border (Ciudad Hidalgo) -> Brownsville, 'about 1,100 mi' (seed article 003, about 2018-10-22)",
     MX_ENTRY, "Brownsville", 1100 * MILE_KM, WALK_MODES),
    ("Huixtla -> McAllen, '1,100 mi' (USA Today 2018-10-25)", "Huixtla", "McAllen", 1100 * MILE_KM, WALK_MODES),
    ("Ciudad Hidalgo -> Mapastepec, ~140 km (dpa 2018-10-25)", MX_ENTRY, "Mapastepec", 140, WALK_MODES),
    ("Ciudad Hidalgo -> Pijijiapan, ~187 km (Milenio 2018-10-26)", MX_ENTRY, "Pijijiapan", 187, WALK_MODES),
    ("Tecun Uman -> San Pedro Tapanatepec, ~190 mi (USA Today 2018-10-27)", "Tecun Uman",
     "San Pedro Tapanatepec", 190 * MILE_KM, WALK_MODES),
    ("Ciudad Hidalgo -> Juchitan, ~250 mi into Mexico (AP 2018-10-31)", MX_ENTRY, "Juchitan", 250 * MILE_KM,
     WALK_MODES),
    ("Santiago Niltepec -> Reynosa (Tamaulipas), ~2,000 km (EFE 2018-10-29)", "Santiago Niltepec", "Reynosa",
     2000, WALK_MODES),
    ("Santiago Niltepec -> Tijuana (Baja California), ~3,500 km (EFE 2018-10-29)", "Santiago Niltepec", "Tijuana",
     3500, WALK_MODES),
    # No longer compared (the blind test): a figure from a report on the 2018 caravans dated after Oct 31, 2018,
    # or from an undated one about roads past Juchitan, where the reports to Oct 31 leave the caravan.
]
NOT_COMPARED = [
    ("cordoba-mexico-city", "a later report"),
    ("sayula-mexico-city", "an undated report, likely a later report"),
    ("mexico-city-tijuana", "an undated report, likely a later report"),
]
PLAUSIBLE_TOLERANCE = 0.25


# ----------------------------------------------------------------------------- helpers
class Report:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str]] = []

    def add(self, check: str, status: str, detail: str) -> None:
        self.rows.append((check, status, detail))

    def ok(self, check: str, cond: bool, detail: str, warn_only: bool = False) -> bool:
        self.add(check, "PASS" if cond else ("WARN" if warn_only else "FAIL"), detail)
        return cond

    @property
    def failed(self) -> int:
        return sum(1 for _, s, _ in self.rows if s == "FAIL")

    def print(self) -> None:
        w1 = max(len(c) for c, _, _ in self.rows)
        print(f"{'check'.ljust(w1)}  status  detail")
        print(f"{'-' * w1}  ------  {'-' * 60}")
        for c, s, d in self.rows:
            lines = d.split("\n")
            print(f"{c.ljust(w1)}  {s.ljust(6)}  {lines[0]}")
            for extra in lines[1:]:
                print(f"{' ' * w1}  {' ' * 6}  {extra}")


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * R_EARTH_KM * math.asin(math.sqrt(h))


def read_csv(path: Path, cols: list[str], rep: Report, label: str) -> list[dict[str, str]]:
    if not path.exists():
        rep.add(f"0 files: {label}", "FAIL", f"missing {path}")
        return []
    raw = path.read_bytes()
    problems = []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        rep.add(f"0 files: {label}", "FAIL", f"not UTF-8: {exc}")
        return []
    if text.startswith("\ufeff"):
        problems.append("has a BOM")
    lines = text.splitlines()
    if any(line.lstrip().startswith("#") for line in lines):
        problems.append("has comment lines")
    reader = csv.DictReader(lines)
    if reader.fieldnames != cols:
        problems.append(f"header {reader.fieldnames} != {cols}")
    rows = list(reader)
    for i, r in enumerate(rows, start=2):
        if None in r or any(v is None for v in r.values()):
            problems.append(f"line {i}: wrong number of fields")
    rep.ok(f"0 files: {label}", not problems, f"{len(rows)} rows" + ("; " + "; ".join(problems) if problems else ""))
    return rows


def to_float(s: str) -> float | None:
    try:
        return float(s)
    except (TypeError, ValueError):
        return None


def dijkstra(adj: dict[str, list[tuple[str, float, str]]], src: str, modes: set[str],
             banned: Set[str] = frozenset()) -> tuple[dict[str, float], dict[str, str]]:
    dist = {src: 0.0}
    prev: dict[str, str] = {}
    heap = [(0.0, src)]
    while heap:
        d, u = heapq.heappop(heap)
        if d > dist.get(u, math.inf):
            continue
        for v, km, mode in adj[u]:
            if mode not in modes or v in banned:
                continue
            nd = d + km
            if nd < dist.get(v, math.inf) - 1e-9:
                dist[v], prev[v] = nd, u
                heapq.heappush(heap, (nd, v))
    return dist, prev


def path_to(prev: dict[str, str], src: str, dst: str) -> list[str]:
    out = [dst]
    while out[-1] != src:
        out.append(prev[out[-1]])
    return out[::-1]


# ----------------------------------------------------------------------------- checks
def main(argv: list[str]) -> int:
    data_dir = Path(argv[1]) if len(argv) > 1 else DEFAULT_DIR
    rep = Report()
    locs = read_csv(data_dir / "locations.csv", LOC_COLS, rep, "locations.csv")
    routes = read_csv(data_dir / "routes.csv", ROUTE_COLS, rep, "routes.csv")
    needs = read_csv(data_dir / "needs_standards.csv", NEEDS_COLS, rep, "needs_standards.csv")
    timeline = read_csv(data_dir / "timeline_2018.csv", TIMELINE_COLS, rep, "timeline_2018.csv")
    rep.ok("0 files: DATA.md", (data_dir / "DATA.md").exists(), str(data_dir / "DATA.md"))

    # ---- location fields
    bad = []
    place: dict[str, dict[str, str]] = {}
    names = [r["name"] for r in locs]
    dup_names = sorted({n for n in names if names.count(n) > 1})
    for r in locs:
        n = r["name"]
        if not NAME_RE.match(n) or n != n.strip():
            bad.append(f"{n!r}: name not ASCII-safe / has commas")
        if r["country"] not in COUNTRIES:
            bad.append(f"{n}: country {r['country']!r}")
        lat, lon = to_float(r["lat"]), to_float(r["lon"])
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            bad.append(f"{n}: lat/lon {r['lat']},{r['lon']}")
        for col in ("population", "capacity"):
            if r[col] and not r[col].isdigit():
                bad.append(f"{n}: {col} {r[col]!r} not a whole number")
        offices = [o for o in r["offices"].split(";") if o]
        if any(o not in OFFICES for o in offices):
            bad.append(f"{n}: offices {r['offices']!r}")
        if r["quality"] not in LOC_QUALITY:
            bad.append(f"{n}: quality {r['quality']!r}")
        if not r["source"].strip():
            bad.append(f"{n}: empty source")
        place[n] = r
    rep.ok("0 fields: locations", not bad, "country/lat/lon/numbers/offices/quality/source well formed"
           + ("\n" + "\n".join(bad) if bad else ""))
    coords = {n: (float(r["lat"]), float(r["lon"])) for n, r in place.items()
              if to_float(r["lat"]) is not None and to_float(r["lon"]) is not None}

    # ---- check 1: endpoints, duplicate names, duplicate edges
    bad = []
    edges = set()
    dup_edges = []
    for i, r in enumerate(routes, start=2):
        for end in ("from", "to"):
            if r[end] not in place:
                bad.append(f"line {i}: {end} {r[end]!r} is not a location")
        if r["from"] == r["to"]:
            bad.append(f"line {i}: self loop {r['from']}")
        if r["mode"] not in MODES:
            bad.append(f"line {i}: mode {r['mode']!r}")
        if r["quality"] not in ROUTE_QUALITY:
            bad.append(f"line {i}: quality {r['quality']!r}")
        km = to_float(r["km"])
        if km is None or km <= 0:
            bad.append(f"line {i}: km {r['km']!r}")
        key = (frozenset((r["from"], r["to"])), r["mode"])
        if key in edges:
            dup_edges.append(f"{r['from']} - {r['to']} ({r['mode']})")
        edges.add(key)
    rep.ok("1 route endpoints are locations", not bad,
           f"{len(routes)} routes, {len(place)} places" + ("\n" + "\n".join(bad) if bad else ""))
    rep.ok("1 no duplicate names", not dup_names, ", ".join(dup_names) or f"{len(names)} unique names")
    rep.ok("1 no duplicate edges", not dup_edges,
           "; ".join(dup_edges) or "unique (unordered pair, mode); parallel edges only with different modes")

    # ---- graph (aggregate rows excluded from paths)
    adj: dict[str, list[tuple[str, float, str]]] = defaultdict(list)
    for n in place:
        adj[n]
    for r in routes:
        km = to_float(r["km"])
        if r["from"] in place and r["to"] in place and km and r["quality"] != "aggregate":
            adj[r["from"]].append((r["to"], km, r["mode"]))
            adj[r["to"]].append((r["from"], km, r["mode"]))

    # ---- check 2: connectivity
    all_modes = MODES
    if ORIGIN in place:
        d_origin, _ = dijkstra(adj, ORIGIN, all_modes)
        unreached = sorted(set(place) - set(d_origin))
        rep.ok("2 graph connected", not unreached,
               "one component" if not unreached else "not connected; unreachable from San Pedro Sula: "
               + ", ".join(unreached))
        rep.ok("2 all places reachable from San Pedro Sula", not unreached,
               f"{len(d_origin)}/{len(place)} reachable")
    else:
        rep.add("2 graph connected", "FAIL", f"{ORIGIN} missing")
    us_places = sorted(n for n, r in place.items() if r["country"] == "US")
    if MX_ENTRY in place:
        d_ch, _ = dijkstra(adj, MX_ENTRY, all_modes)
        missing_us = [n for n in us_places if n not in d_ch]
        rep.ok("2 US places reachable from Ciudad Hidalgo", bool(us_places) and not missing_us,
               ", ".join(f"{n} {d_ch[n]:.0f} km" for n in us_places if n in d_ch)
               + (("; unreachable: " + ", ".join(missing_us)) if missing_us else ""))
    else:
        rep.add("2 US places reachable from Ciudad Hidalgo", "FAIL", f"{MX_ENTRY} missing")

    # ---- check 3: km vs great-circle
    below, above, tight = [], [], []
    worst = (0.0, "")
    for r in routes:
        a, b, km = r["from"], r["to"], to_float(r["km"])
        if a not in coords or b not in coords or km is None:
            continue
        gc = haversine_km(*coords[a], *coords[b])
        label = f"{a} - {b} ({r['mode']}): {km:g} km, gc {gc:.1f} km"
        if km < gc - 1e-9:
            below.append(label)
        if r["quality"] != "aggregate" and km > DETOUR_FACTOR * gc + DETOUR_KM:
            above.append(label + f", limit {DETOUR_FACTOR * gc + DETOUR_KM:.1f}")
        if gc > 0 and km >= TIGHT_MIN_KM and km / gc < TIGHT_RATIO:
            tight.append(label + f", ratio {km / gc:.3f}")
        if gc > 0 and km / gc > worst[0] and r["quality"] != "aggregate":
            worst = (km / gc, label)
    n_agg = sum(1 for r in routes if r["quality"] == "aggregate")
    rep.ok("3 km >= great-circle", not below, "all routes" if not below else "\n".join(below))
    rep.ok(f"3 km <= {DETOUR_FACTOR:g} x gc + {DETOUR_KM:g}", not above,
           (f"all non-aggregate routes ({n_agg} aggregate exempt); highest ratio {worst[0]:.2f}: {worst[1]}"
            if not above else "\n".join(above)))
    rep.ok(f"3 plausibility: ratio >= {TIGHT_RATIO} for km >= {TIGHT_MIN_KM:g}", not tight,
           "none suspiciously straight" if not tight else "\n".join(tight), warn_only=True)

    # ---- check 4: types and capacities
    bad_type = [f"{n}: {r['type']!r}" for n, r in place.items() if r["type"] not in TYPES]
    rep.ok("4 every place has a valid type", not bad_type,
           "; ".join(bad_type) or ", ".join(f"{t} {sum(1 for r in locs if r['type'] == t)}"
                                            for t in sorted(TYPES)))
    expected: dict[str, int] = {}  # beds an earlier source gives: the place's capacity
    kept_out: dict[str, str] = dict(UNDATED_CAPACITY_PLACES)  # place -> why it has no capacity here
    for r in needs:
        about = CAPACITY_STANDARD_TO_PLACE.get(r["standard"])
        if about is None or to_float(r["value"]) is None:
            continue
        if later_dates(r["source"], BLIND_CUTOFF):
            kept_out[about] = f"{r['standard']}: a later report"
        else:
            expected[about] = int(float(r["value"]))
    cap_bad = []
    for n, cap in sorted(expected.items()):
        shelter = place.get(n)
        if shelter is None:
            cap_bad.append(f"{n}: missing place")
        elif shelter["type"] != "shelter":
            cap_bad.append(f"{n}: type {shelter['type']} (expected shelter)")
        elif shelter["capacity"] != str(cap):
            cap_bad.append(f"{n}: capacity {shelter['capacity']!r}, sources say {cap}")
    if expected:
        rep.ok("4 shelters with known capacity have it", not cap_bad,
               "; ".join(cap_bad) or ", ".join(f"{n} {c}" for n, c in sorted(expected.items())))
    else:
        rep.add("4 shelters with known capacity have it", "INFO",
                "none to check: every shelter's known beds rest on a later or undated report")
    # The places whose beds only a later (or undated) report gives, and any capacity whose own source
    # cites a later date, must be empty cells: the 2018 variant reads this table.
    from_later = [f"{n} ({why})" for n, why in sorted(kept_out.items()) if place.get(n, {}).get("capacity")]
    from_later += [f"{n} (its source: a later report)" for n, r in sorted(place.items())
                   if r["capacity"] and later_dates(r["source"], BLIND_CUTOFF)]
    rep.ok("4 no capacity from a later report", len(kept_out) >= 4 and not from_later,
           "; ".join(from_later) or "no capacity here for " + "; ".join(
               f"{n} ({why})" for n, why in sorted(kept_out.items())))
    non_shelter_cap = [n for n, r in place.items() if r["capacity"] and r["type"] != "shelter"]
    rep.ok("4 capacity only on shelters", not non_shelter_cap, ", ".join(non_shelter_cap) or "yes")
    no_cap = sorted(n for n, r in place.items() if r["type"] == "shelter" and not r["capacity"])
    rep.add("4 shelters without a known capacity", "INFO", ", ".join(no_cap) or "none")

    # ---- check 5: the Oct 2018 caravan path
    missing_wp = [w for w in WAYPOINTS if w not in place]
    if missing_wp:
        rep.add("5 itinerary waypoints exist", "FAIL", ", ".join(missing_wp))
    else:
        rep.add("5 itinerary waypoints exist", "PASS", f"{len(WAYPOINTS)} waypoints")
        full = [WAYPOINTS[0]]
        legs = []
        broken = []
        wp_set = set(WAYPOINTS)
        for a, b in zip(WAYPOINTS, WAYPOINTS[1:]):
            dist, prev = dijkstra(adj, a, WALK_MODES, banned=wp_set - {a, b})
            if b not in dist:
                broken.append(f"{a} -> {b}")
                continue
            p = path_to(prev, a, b)
            legs.append((a, b, dist[b], p[1:-1]))
            full.extend(p[1:])
        repeats = sorted({n for n in full if full.count(n) > 1})
        rep.ok("5 waypoints form a path", not broken and not repeats,
               ("legs missing: " + ", ".join(broken) if broken else "")
               + ("; nodes repeated: " + ", ".join(repeats) if repeats else "")
               or f"{len(legs)} legs, {len(full)} nodes, no node repeated (road/foot/river edges)")
        if not broken:
            cum = 0.0
            lines = [f"{'waypoint':<22} {'leg km':>7} {'from SPS':>9} {'from CH':>8}  via"]
            ch_at = None
            lines.append(f"{WAYPOINTS[0]:<22} {0:>7} {0:>9} {'':>8}")
            for _a, b, km, via in legs:
                cum += km
                if b == MX_ENTRY:
                    ch_at = cum
                from_ch = "" if ch_at is None else f"{cum - ch_at:.0f}"
                lines.append(f"{b:<22} {km:>7g} {cum:>9.0f} {from_ch:>8}  {', '.join(via)}")
            lines.append(f"total San Pedro Sula -> San Ysidro {cum:.0f} km ({cum / MILE_KM:.0f} mi); "
                         f"Ciudad Hidalgo -> San Ysidro {cum - (ch_at or 0):.0f} km "
                         f"({(cum - (ch_at or 0)) / MILE_KM:.0f} mi)")
            rep.add("5 itinerary km", "INFO", "\n".join(lines))

    # ---- plausibility against the articles (WARN only)
    for label, a, b, claimed, modes in PLAUSIBILITY:
        if a not in place or b not in place:
            rep.add("5 plausibility", "WARN", f"{label}: {a} or {b} missing")
            continue
        dist, prev = dijkstra(adj, a, modes)
        if b not in dist:
            rep.add("5 plausibility", "WARN", f"{label}: no path")
            continue
        d = dist[b]
        off = d / claimed - 1
        via = path_to(prev, a, b)
        short_via = " > ".join(via) if len(via) <= 8 else " > ".join(via[:4] + ["..."] + via[-3:])
        rep.ok("5 plausibility", abs(off) <= PLAUSIBLE_TOLERANCE,
               f"{label}: graph {d:.0f} km ({d / MILE_KM:.0f} mi) vs {claimed:.0f} km, {off:+.0%}\n  via {short_via}",
               warn_only=True)

    rep.add("5 plausibility", "INFO", "not compared (blind test): " + "; ".join(
        f"{row_id} ({why})" for row_id, why in NOT_COMPARED))

    # ---- timeline
    bad = []
    prev_date = None
    for i, r in enumerate(timeline, start=2):
        try:
            dt = date.fromisoformat(r["date"])
            if (dt.year, dt.month) != (2018, 10):
                bad.append(f"line {i}: date {r['date']} outside Oct 2018")
            if prev_date and dt < prev_date:
                bad.append(f"line {i}: dates not sorted")
            prev_date = dt
        except ValueError:
            bad.append(f"line {i}: date {r['date']!r}")
        if r["place"] and r["place"] not in place:
            bad.append(f"line {i}: place {r['place']!r} not in locations.csv")
        if r["quantity"] and r["quantity"] not in QUANTITIES:
            bad.append(f"line {i}: quantity {r['quantity']!r}")
        nums = {}
        for col in ("value", "low", "high"):
            if r[col]:
                v = to_float(r[col])
                if v is None or v < 0:
                    bad.append(f"line {i}: {col} {r[col]!r}")
                nums[col] = v
        if nums and not r["quantity"]:
            bad.append(f"line {i}: numbers without a quantity")
        if r["value"] and (not r["low"] or not r["high"]):
            bad.append(f"line {i}: value without low/high")
        if all(nums.get(c) is not None for c in ("value", "low", "high")):
            if not nums["low"] <= nums["value"] <= nums["high"]:
                bad.append(f"line {i}: not low <= value <= high")
        if not r["event"].strip() or not r["source"].strip():
            bad.append(f"line {i}: empty event or source")
    rep.ok("6 timeline rows valid", not bad,
           f"{len(timeline)} rows; places in locations.csv, quantities in the allowed set, low <= value <= high"
           + ("\n" + "\n".join(bad) if bad else ""))

    # ---- needs standards
    bad = []
    stds = [r["standard"] for r in needs]
    for i, r in enumerate(needs, start=2):
        if to_float(r["value"]) is None:
            bad.append(f"line {i}: value {r['value']!r}")
        if not r["unit"] or not r["source"]:
            bad.append(f"line {i}: empty unit or source")
    if len(set(stds)) != len(stds):
        bad.append("duplicate standard names")
    rep.ok("7 needs_standards valid", not bad, f"{len(needs)} standards" + ("\n" + "\n".join(bad) if bad else ""))

    rep.print()
    n_warn = sum(1 for _, s, _ in rep.rows if s == "WARN")
    print()
    print(f"{len(place)} places, {len(routes)} routes, {len(timeline)} timeline rows, {len(needs)} standards; "
          f"{rep.failed} failed, {n_warn} warnings")
    return 1 if rep.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
