"""The directory's map, drawn on the server: countries shaded by their clusters, and points.

The shapes are projected once per process for each view (profiles/geography.py): they are
the same for every search, only the counts and the points change. Nothing is fetched from
anywhere and the markup (directory/map_svg.html) holds no script and no style attribute.
"""

import dataclasses
import math

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from directory.facets import cell_centre
from profiles.countries import country_name
from profiles.geography import MapView, country_paths

LEVELS = 5  # shades of the choropleth, besides "no cluster"

VIEWS = {
    "europe": MapView("europe", _("Europe"), -25, 45, 27, 71.5),
    "world": MapView("world", _("The world"), -180, 180, -58, 83.7, group_radius=10),
}


def thresholds(counts):
    """The upper bound of each shade for these counts: at most LEVELS, on a log scale (a few
    countries hold most clusters), each bound distinct."""
    most = max(counts, default=0)
    if most <= 0:
        return []
    bounds = sorted({max(1, math.ceil(most ** (level / LEVELS))) for level in range(1, LEVELS + 1)})
    return bounds


def level_of(count, bounds):
    """The shade (1…) of a count; 0 for no cluster."""
    if count <= 0:
        return 0
    return next(index for index, bound in enumerate(bounds, start=1) if count <= bound)


@dataclasses.dataclass
class Country:
    code: str
    name: str
    path: str
    count: int = 0
    level: int = 0
    chosen: bool = False
    query: str = ""

    @property
    def accessible_name(self):
        return ngettext("%(country)s: %(count)s cluster", "%(country)s: %(count)s clusters",
                        self.count) % {"country": self.name, "count": self.count}


@dataclasses.dataclass
class Point:
    """Clusters close together drawn as one circle: one links to its profile, several to
    the directory's list of their cells."""

    x: float
    y: float
    cells: list
    count: int
    latitude: float
    longitude: float
    url: str = ""
    name: str = ""

    @property
    def radius(self):
        # A group is big enough to carry its number.
        return 5 if self.count == 1 else round(8 + 2.5 * math.log10(self.count), 1)

    @property
    def accessible_name(self):
        if self.name:
            return self.name
        return ngettext(
            "%(count)s cluster around %(place)s", "%(count)s clusters around %(place)s",
            self.count,
        ) % {"count": self.count, "place": coordinates_label(self.latitude, self.longitude)}


def coordinates_label(latitude, longitude):
    """"43.3° N, 2.9° W", in the visitor's language's letters for the directions."""
    north = _("N") if latitude >= 0 else _("S")
    east = _("E") if longitude >= 0 else _("W")
    return f"{abs(latitude):.1f}° {north}, {abs(longitude):.1f}° {east}"


def countries(view_name, counts, chosen, query_for):
    """The countries of the view as drawn: (with clusters: by name, links; without: shapes
    only). `counts` {code: clusters}, `chosen` the countries of the search, `query_for(code)`
    the query string a country links to."""
    bounds = thresholds(counts.values())
    drawn = []
    for code, path in country_paths(VIEWS[view_name]).items():
        count = counts.get(code, 0)
        drawn.append(Country(code, country_name(code), path, count, level_of(count, bounds),
                             code in chosen, query_for(code) if count else ""))
    drawn.sort(key=lambda country: (country.count > 0, str(country.name)))
    return drawn, bounds


def legend(bounds):
    """[(shade, "from–to")] for the shades in use, then "no cluster"."""
    entries, low = [], 1
    for level, bound in enumerate(bounds, start=1):
        entries.append((level, str(low) if low == bound else f"{low}–{bound}"))
        low = bound + 1
    return entries


def points(view_name, places):
    """The points of the view for [(cell, clusters)]: cells within `group_radius` of a
    bigger point join it (the biggest first, so that a city's point stays on the city)."""
    view = VIEWS[view_name]
    drawn = []
    for cell, count in sorted(places, key=lambda place: (-place[1], place[0])):
        latitude, longitude = cell_centre(cell)
        x, y = view.project(longitude, latitude)
        if not view.shows(x, y):
            continue
        for point in drawn:
            if math.hypot(point.x - x, point.y - y) <= view.group_radius:
                point.cells.append(cell)
                point.count += count
                break
        else:
            drawn.append(Point(x, y, [cell], count, latitude, longitude))
    for point in drawn:
        point.cells.sort()
    # The small ones last: drawn on top, so that none hides under a big one.
    return sorted(drawn, key=lambda point: (-point.count, point.cells))
