"""The directory's facets: what a cluster can be narrowed by, as (facet, value) keys.

Every published cluster has one `FacetKey` row per value: ("country", "ES"), ("label", "3")
and ("sector", "12") by term pk, ("target", "KR"), ("members", "50-249"). Choosing values of
a facet keeps the clusters with one of its keys (OR within a facet, AND across facets);
counting a facet counts the clusters matching everything else that hold each key, from the
keys' bitmaps (directory/bitmaps.py). One algorithm on SQLite and PostgreSQL alike
(directory/filters.py).
"""

import math

from django.utils.translation import gettext_lazy as _

# Membership size bands on Composition.total_members: (URL value, label, lowest, highest).
SIZE_BANDS = [
    ("1-49", _("1–49 members"), 1, 49),
    ("50-249", _("50–249 members"), 50, 249),
    ("250+", _("250 members or more"), 250, None),
]
BAND_LABELS = {value: label for value, label, _low, _high in SIZE_BANDS}

# When the cluster organisation was established: (URL value, label, first year, last year).
PERIODS = [
    ("-1989", _("Before 1990"), None, 1989),
    ("1990-1999", _("1990–1999"), 1990, 1999),
    ("2000-2009", _("2000–2009"), 2000, 2009),
    ("2010-2019", _("2010–2019"), 2010, 2019),
    ("2020-", _("2020 or later"), 2020, None),
]
PERIOD_LABELS = {value: label for value, label, _first, _last in PERIODS}

# Where a cluster is, as a cell of a grid of CELLS_PER_DEGREE² cells per square degree
# ("86:-6" is 43°–43.5° N, 3°–2.5° W): the map groups the clusters of a cell and its
# neighbours into one point, and a point's link chooses its cells. Not a facet of the form.
PLACE = "place"
CELLS_PER_DEGREE = 2

# The members of a cluster as keys ("total_members", "120"), not facets of the form: the
# statistics' totals are sums over them (value × clusters), kept unfiltered in the
# `FacetCount`s as the facets' counts are, so that no search sums every composition.
MEMBERSHIP = ["total_members", "sme_members"]

# The URL parameter of each term facet and the Cluster relation it reads.
TERM_FACETS = {
    "sector": "sectoral_industries",
    "technology": "technology_fields",
    "s3": "s3_priority_areas",
    "emerging": "emerging_industries",
    "ecosystem": "industrial_ecosystems",
}

# The facets in the order the form shows them.
FACETS = ["country", *TERM_FACETS, "label", "target", "members", "established"]


def band_of(total_members):
    """The size band of a number of members, or None (unknown, or no member)."""
    if total_members is None:
        return None
    for value, _label, low, high in SIZE_BANDS:
        if total_members >= low and (high is None or total_members <= high):
            return value
    return None


def period_of(date_established):
    """The period (a value of PERIODS) of a date of establishment, or None."""
    if date_established is None:
        return None
    year = date_established.year
    for value, _label, first, last in PERIODS:
        if (first is None or year >= first) and (last is None or year <= last):
            return value
    return None


def membership_keys(total_members, sme_members):
    """[(facet, value)] of a cluster's numbers of members and SME members that are known."""
    return [(facet, str(count)) for facet, count in zip(MEMBERSHIP, (total_members, sme_members),
                                                         strict=True) if count is not None]


def cell_of(latitude, longitude):
    """The grid cell ("lat:lon" indexes) of a location, or None without one."""
    if latitude is None or longitude is None:
        return None
    return (f"{math.floor(latitude * CELLS_PER_DEGREE)}:"
            f"{math.floor(min(longitude, 179.999) * CELLS_PER_DEGREE)}")


def cell_centre(cell):
    """(latitude, longitude) of the centre of a cell; ValueError for anything else."""
    row, column = (int(part) for part in cell.split(":"))
    if not (-90 * CELLS_PER_DEGREE <= row < 90 * CELLS_PER_DEGREE
            and -180 * CELLS_PER_DEGREE <= column < 180 * CELLS_PER_DEGREE):
        raise ValueError(cell)
    return (row + 0.5) / CELLS_PER_DEGREE, (column + 0.5) / CELLS_PER_DEGREE


def keys_of(country, label_id, targets, term_pks, total_members, date_established=None,
            location=(None, None)):
    """[(facet, value)] of a cluster: its country, excellence label (pk), target countries,
    terms ({facet: [pk]}), number of members, date of establishment and (latitude,
    longitude)."""
    keys = {("country", str(country))}
    if label_id:
        keys.add(("label", str(label_id)))
    keys.update(("target", str(target)) for target in targets)
    for facet, pks in term_pks.items():
        keys.update((facet, str(pk)) for pk in pks)
    band = band_of(total_members)
    if band:
        keys.add(("members", band))
    if period := period_of(date_established):
        keys.add(("established", period))
    if cell := cell_of(*location):
        keys.add((PLACE, cell))
    return sorted(keys)
