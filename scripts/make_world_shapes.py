"""Regenerate profiles/data/countries.json, the country shapes of the maps.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    DJANGO_SETTINGS_MODULE=cluster_portal.settings .venv/bin/python \
        scripts/make_world_shapes.py package/countries-50m.json

Reads the TopoJSON of the npm package `world-atlas` (Natural Earth's 1:50m admin-0 countries,
public domain; the package is ISC-licensed, see profiles/data/LICENSE-world-atlas.txt),
decodes its arcs into rings of (longitude, latitude), simplifies each ring
(Douglas-Peucker, 0.05°), drops Antarctica, and writes {ISO 3166 alpha-2 code: [rings]}.
Run at development time only; the portal reads the committed result (profiles/geography.py).
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "profiles" / "data" / "countries.json"
TOLERANCE = 0.05  # degrees: about 5 km, under a pixel of the Europe map
# Natural Earth gives these no ISO numeric code; their names say which alpha-2 they are.
BY_NAME = {"Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO"}


def decode_arcs(topology):
    """Every arc as a list of (lon, lat): delta-decoded and transformed."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs, indexes):
    """A ring from its arc indexes (a negative index ~i is arc i reversed), without the
    point each arc repeats from the previous one."""
    points = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def simplify(points, tolerance):
    """Douglas-Peucker on a closed ring, iteratively (rings have thousands of points)."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = (dx * dx + dy * dy) ** 0.5
        farthest, distance = None, tolerance
        for i in range(first + 1, last):
            px, py = points[i]
            if length:
                d = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / length
            else:
                d = ((px - x1) ** 2 + (py - y1) ** 2) ** 0.5
            if d > distance:
                farthest, distance = i, d
        if farthest is not None:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def main(source):
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django_countries import countries

    topology = json.loads(Path(source).read_text())
    arcs = decode_arcs(topology)
    shapes = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry["properties"]["name"]
        code = BY_NAME.get(name) or (countries.alpha2(int(geometry["id"]))
                                     if geometry.get("id") else None)
        if not code or code == "AQ":
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for indexes in polygon:
                points = simplify(ring(arcs, indexes), TOLERANCE)
                if len(points) >= 4:
                    shapes.setdefault(code, []).append(
                        [[round(x, 2), round(y, 2)] for x, y in points])
    OUT.write_text(json.dumps({
        "source": "world-atlas 2.0.2 (npm, ISC), countries-50m.json: Natural Earth 1:50m "
                  "admin-0 countries (public domain); simplified by scripts/make_world_shapes.py",
        "countries": dict(sorted(shapes.items())),
    }, separators=(",", ":")) + "\n")
    print(f"{len(shapes)} countries written to {OUT.relative_to(ROOT)} "
          f"({OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main(sys.argv[1])
