"""Country shapes projected into SVG: the directory's maps and a profile's locator map.

The shapes are Natural Earth's countries from the npm package world-atlas, simplified once
into profiles/data/countries.json by scripts/make_world_shapes.py (longitude, latitude;
licence in profiles/data/LICENSE-world-atlas.txt). A `MapView` is a part of the world drawn
in Mercator's projection; `country_paths` projects the shapes into it once per process.
"""

import dataclasses
import functools
import json
import math
from pathlib import Path

SHAPES_FILE = Path(__file__).resolve().parent / "data" / "countries.json"
MARGIN = 20  # units around a view that shapes are kept in, so that edges stay outside it


@dataclasses.dataclass(frozen=True)
class MapView:
    """A part of the world in view: its bounds in degrees, drawn `width` units wide."""

    name: str
    label: str = dataclasses.field(compare=False)
    west: float
    east: float
    south: float
    north: float
    width: int = 1000
    group_radius: float = 14  # points closer than this (in units) are drawn as one

    @property
    def scale(self):
        return self.width / math.radians(self.east - self.west)

    @property
    def height(self):
        return round((_mercator(self.north) - _mercator(self.south)) * self.scale)

    def project(self, longitude, latitude):
        """(x, y) of a place in this view's units, y downwards."""
        x = math.radians(longitude - self.west) * self.scale
        y = (_mercator(self.north) - _mercator(latitude)) * self.scale
        return x, y

    def shows(self, x, y):
        return 0 <= x <= self.width and 0 <= y <= self.height


def _mercator(latitude):
    latitude = max(min(latitude, 85), -85)
    return math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2))


@functools.cache
def _shapes():
    return json.loads(SHAPES_FILE.read_text())["countries"]


@functools.lru_cache(maxsize=256)  # the directory's views and the profiles' locator maps
def country_paths(view):
    """{country code: SVG path data} of the countries with some part in `view`, projected
    and thinned to what the view can show (no two points within half a unit)."""
    low, high_x, high_y = -MARGIN, view.width + MARGIN, view.height + MARGIN
    paths = {}
    for code, rings in _shapes().items():
        parts, box = [], [math.inf, math.inf, -math.inf, -math.inf]
        for ring in rings:
            points = []
            for longitude, latitude in _unwrapped(ring):
                x, y = view.project(longitude, latitude)
                box = [min(box[0], x), min(box[1], y), max(box[2], x), max(box[3], y)]
                # Outside the view a point only has to stay outside: clamp it to the margin.
                x, y = min(max(x, low), high_x), min(max(y, low), high_y)
                if not points or abs(x - points[-1][0]) + abs(y - points[-1][1]) >= 0.5:
                    points.append((x, y))
            xs, ys = [x for x, _y in points], [y for _x, y in points]
            if len(points) >= 3 and (max(xs) - min(xs)) * (max(ys) - min(ys)) >= 1:
                parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in points) + "Z")
        # In view when its bounds meet the view's: a view may lie within one country.
        in_view = box[0] <= view.width and box[2] >= 0 and box[1] <= view.height and box[3] >= 0
        if in_view and parts:
            paths[code] = "".join(parts)
    return paths


def _unwrapped(ring):
    """A ring that crosses the antimeridian (eastern Russia, Fiji) with its western
    longitudes moved past 180°: drawn as one shape running off the map's edge, not as a
    band across the whole world."""
    if not any(abs(a[0] - b[0]) > 180 for a, b in zip(ring, ring[1:], strict=False)):
        return ring
    return [(longitude + 360 if longitude < 0 else longitude, latitude)
            for longitude, latitude in ring]


def locator_view(latitude, longitude, width=320, height=220, degrees=16):
    """A small view centred on a place, `degrees` of longitude wide: a profile's locator
    map. Centred on the place's half-degree, so that neighbours share the projected shapes."""
    centre_lon = (math.floor(longitude * 2) + 0.5) / 2
    centre_lat = (math.floor(latitude * 2) + 0.5) / 2
    west, east = centre_lon - degrees / 2, centre_lon + degrees / 2
    scale = width / math.radians(degrees)
    middle = _mercator(centre_lat)
    half = height / 2 / scale
    north = math.degrees(2 * math.atan(math.exp(middle + half)) - math.pi / 2)
    south = math.degrees(2 * math.atan(math.exp(middle - half)) - math.pi / 2)
    return MapView("locator", "", west, east, south, north, width=width)
