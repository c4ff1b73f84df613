"""The directory's facets: what a cluster can be narrowed by, as (facet, value) keys.

Every published cluster has one `FacetKey` row per value: ("country", "ES"), ("label", "3")
and ("sector", "12") by term pk, ("target", "KR"), ("members", "50-249"). Choosing values of
a facet keeps the clusters with one of its keys (OR within a facet, AND across facets);
counting a facet groups the keys of the clusters matching everything else. One algorithm,
plain ORM, on SQLite and PostgreSQL alike (directory/filters.py).
"""

from django.utils.translation import gettext_lazy as _

# Membership size bands on Composition.total_members: (URL value, label, lowest, highest).
SIZE_BANDS = [
    ("1-49", _("1–49 members"), 1, 49),
    ("50-249", _("50–249 members"), 50, 249),
    ("250+", _("250 members or more"), 250, None),
]
BAND_LABELS = {value: label for value, label, _low, _high in SIZE_BANDS}

# The URL parameter of each term facet and the Cluster relation it reads.
TERM_FACETS = {
    "sector": "sectoral_industries",
    "technology": "technology_fields",
    "s3": "s3_priority_areas",
    "emerging": "emerging_industries",
    "ecosystem": "industrial_ecosystems",
}

# The facets in the order the form shows them.
FACETS = ["country", *TERM_FACETS, "label", "target", "members"]


def band_of(total_members):
    """The size band of a number of members, or None (unknown, or no member)."""
    if total_members is None:
        return None
    for value, _label, low, high in SIZE_BANDS:
        if total_members >= low and (high is None or total_members <= high):
            return value
    return None


def keys_of(country, label_id, targets, term_pks, total_members):
    """[(facet, value)] of a cluster: its country, excellence label (pk), target countries,
    terms ({facet: [pk]}) and number of members."""
    keys = {("country", str(country))}
    if label_id:
        keys.add(("label", str(label_id)))
    keys.update(("target", str(target)) for target in targets)
    for facet, pks in term_pks.items():
        keys.update((facet, str(pk)) for pk in pks)
    band = band_of(total_members)
    if band:
        keys.add(("members", band))
    return sorted(keys)
