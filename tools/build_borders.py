"""Build the dashboard's bundled map: country shapes and borders of Central America,
Mexico and the US border region, from Natural Earth (public domain) as redistributed
in npm's ``world-atlas`` package (TopoJSON).

    python tools/build_borders.py                       # fetches world-atlas with `npm pack`
    python tools/build_borders.py --source countries-50m.json

Writes ``src/caravana/geo/borders.json`` (committed; nothing is fetched at run time):

    {"bbox": [west, south, east, north], "source": ..., "licence": ...,
     "countries": [{"id": "484", "name": "Mexico", "rings": [[[lon, lat], ...], ...]}],
     "borders": [[[lon, lat], ...], ...]}

``rings`` are the country's polygons clipped to the box (for filling land); ``borders``
are the coastlines and land borders clipped to the box as open lines (for stroking), so
the box's edge is never drawn as if it were a border.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

import numpy as np

WORLD_ATLAS = "world-atlas@2.0.2"
BBOX = (-120.0, 7.0, -77.0, 36.0)  # west, south, east, north
TOLERANCE_DEG = 0.02  # Douglas-Peucker tolerance, ~2 km: finer than the map's pixels
DECIMALS = 3
MIN_RING_AREA = 0.002  # square degrees; drops islets smaller than ~25 km2
OUT = Path(__file__).resolve().parents[1] / "src" / "caravana" / "geo" / "borders.json"


def fetch_world_atlas(workdir: Path) -> Path:
    """``countries-50m.json`` from the npm registry, through npm's ordinary client."""
    subprocess.run(["npm", "pack", WORLD_ATLAS, "--silent"], cwd=workdir, check=True, capture_output=True)
    tgz = next(workdir.glob("world-atlas-*.tgz"))
    with tarfile.open(tgz) as tar:
        tar.extract("package/countries-50m.json", workdir, filter="data")
    return workdir / "package" / "countries-50m.json"


def decode_arcs(topology: dict) -> list[np.ndarray]:
    """TopoJSON's quantised, delta-encoded arcs as (n, 2) lon/lat arrays."""
    scale = np.array(topology["transform"]["scale"])
    translate = np.array(topology["transform"]["translate"])
    return [np.cumsum(np.array(arc, dtype=float), axis=0) * scale + translate for arc in topology["arcs"]]


def ring_points(arc_ids: list[int], arcs: list[np.ndarray]) -> np.ndarray:
    """A ring from its arc indices (``~i`` = arc ``i`` reversed); shared end points once."""
    parts = []
    for i in arc_ids:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        parts.append(arc if not parts else arc[1:])
    return np.concatenate(parts)


def polygons_of(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def clip_ring(ring: np.ndarray, bbox=BBOX) -> np.ndarray:
    """Sutherland-Hodgman: the part of a closed ring inside the box (a closed ring)."""
    west, south, east, north = bbox
    edges = [
        (lambda p: p[0] >= west, lambda a, b: _cross_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _cross_x(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: _cross_y(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: _cross_y(a, b, north)),
    ]
    points = [tuple(p) for p in ring[:-1]]
    for inside, cross in edges:
        if not points:
            break
        out = []
        for i, current in enumerate(points):
            previous = points[i - 1]
            if inside(current):
                if not inside(previous):
                    out.append(cross(previous, current))
                out.append(current)
            elif inside(previous):
                out.append(cross(previous, current))
        points = out
    if len(points) < 3:
        return np.empty((0, 2))
    return np.array(points + [points[0]])


def _cross_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cross_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def clip_line(line: np.ndarray, bbox=BBOX) -> list[np.ndarray]:
    """The pieces of an open line inside the box (points outside dropped, the crossing
    segment kept to its first outside point so lines reach the box's edge)."""
    west, south, east, north = bbox
    inside = (line[:, 0] >= west) & (line[:, 0] <= east) & (line[:, 1] >= south) & (line[:, 1] <= north)
    keep = inside.copy()
    keep[1:] |= inside[:-1]
    keep[:-1] |= inside[1:]
    pieces, start = [], None
    for i, k in enumerate(keep):
        if k and start is None:
            start = i
        if (not k or i == len(keep) - 1) and start is not None:
            end = i + 1 if k else i
            if end - start >= 2:
                pieces.append(np.clip(line[start:end], [west, south], [east, north]))
            start = None
    return pieces


def simplify(points: np.ndarray, tolerance: float = TOLERANCE_DEG) -> np.ndarray:
    """Douglas-Peucker, keeping both end points (a closed ring stays closed)."""
    if len(points) < 3:
        return points
    keep = np.zeros(len(points), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        a, b = points[first], points[last]
        inner = points[first + 1:last]
        ab = b - a
        length = np.hypot(*ab)
        if length == 0:  # closed ring: distance to the shared end point
            dist = np.hypot(*(inner - a).T)
        else:
            dist = np.abs(ab[0] * (inner[:, 1] - a[1]) - ab[1] * (inner[:, 0] - a[0])) / length
        i = int(np.argmax(dist))
        if dist[i] > tolerance:
            keep[first + 1 + i] = True
            stack += [(first, first + 1 + i), (first + 1 + i, last)]
    return points[keep]


def area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return abs(float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))) / 2


def rounded(points: np.ndarray) -> list[list[float]]:
    out: list[list[float]] = []
    for lon, lat in np.round(points, DECIMALS).tolist():
        if not out or out[-1] != [lon, lat]:
            out.append([lon, lat])
    return out


def build(topology: dict) -> dict:
    arcs = decode_arcs(topology)
    west, south, east, north = BBOX
    countries, used_arcs = [], set()
    for geometry in topology["objects"]["countries"]["geometries"]:
        rings = []
        for polygon in polygons_of(geometry):
            for arc_ids in polygon:
                ring = ring_points(arc_ids, arcs)
                lon, lat = ring[:, 0], ring[:, 1]
                if lon.max() < west or lon.min() > east or lat.max() < south or lat.min() > north:
                    continue
                used_arcs.update(i if i >= 0 else ~i for i in arc_ids)
                clipped = simplify(clip_ring(ring))
                if len(clipped) >= 4 and area(clipped) >= MIN_RING_AREA:
                    rings.append(rounded(clipped))
        if rings:
            countries.append({"id": geometry.get("id"), "name": geometry["properties"]["name"], "rings": rings})
    borders = []
    for i in sorted(used_arcs):
        for piece in clip_line(arcs[i]):
            line = simplify(piece)
            span = line.max(axis=0) - line.min(axis=0)
            if len(line) >= 2 and span.max() >= 0.05:  # drop the outlines of islets
                borders.append(rounded(line))
    return {
        "bbox": list(BBOX),
        "source": f"Natural Earth 1:50m admin 0 countries (v4.1.0), via npm {WORLD_ATLAS} "
        f"(countries-50m.json); clipped to the box, simplified at {TOLERANCE_DEG} degrees",
        "licence": "Natural Earth: public domain. world-atlas packaging: ISC, (c) Michael Bostock.",
        "countries": sorted(countries, key=lambda c: c["name"]),
        "borders": borders,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="world-atlas countries-50m.json (default: npm pack)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = args.source or fetch_world_atlas(Path(tmp))
        topology = json.loads(source.read_text(encoding="utf-8"))
    data = build(topology)
    args.out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    points = sum(len(r) for c in data["countries"] for r in c["rings"]) + sum(map(len, data["borders"]))
    print(f"wrote {args.out}: {len(data['countries'])} countries, {len(data['borders'])} border lines, "
          f"{points} points, {args.out.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
