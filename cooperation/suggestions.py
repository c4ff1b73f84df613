""""Clusters you may want to meet": for a published cluster, the published clusters in other
countries, not yet its partners (either naming the other), that share the most sectors,
technology fields and industrial ecosystems with it.

Counted from the directory's bitmaps of its facet keys (directory/bitmaps.py: the published
clusters holding each term, and each country), in memory, and cached under the directory's
data version, which any change to a profile, a partnership or a vocabulary bumps.
"""

import collections
import dataclasses
import itertools

from django.db.models import Q
from django.utils.translation import gettext, ngettext
from pyroaring import BitMap

from cooperation.models import PartnerCluster
from cooperation.network import cached
from directory import bitmaps
from directory.models import FacetKey
from profiles.countries import country_name
from profiles.models import Cluster

SUGGESTIONS = 5
CANDIDATES = 10  # read to find them
# The facets compared, in the order the reason names them.
SHARED_FACETS = ["sector", "technology", "ecosystem"]


@dataclasses.dataclass
class Suggestion:
    slug: str
    name: str
    country: str
    shared: dict  # {facet: terms in common}

    @property
    def country_name(self):
        return country_name(self.country)

    @property
    def reason(self):
        """"3 sectors and 1 ecosystem in common", in the visitor's language."""
        parts = [_terms_in_common(facet, self.shared[facet]) for facet in SHARED_FACETS
                 if self.shared.get(facet)]
        if len(parts) > 1:
            return gettext("%(terms)s and %(last)s in common") % {
                "terms": ", ".join(parts[:-1]), "last": parts[-1]}
        return gettext("%(terms)s in common") % {"terms": parts[0]}


def _terms_in_common(facet, count):
    if facet == "sector":
        text = ngettext("%(count)s sector", "%(count)s sectors", count)
    elif facet == "technology":
        text = ngettext("%(count)s technology field", "%(count)s technology fields", count)
    else:
        text = ngettext("%(count)s ecosystem", "%(count)s ecosystems", count)
    return text % {"count": count}


def suggestions_for(cluster):
    """Up to SUGGESTIONS Suggestions for the published `cluster`, the most terms in common
    first (then the longest on the portal)."""
    return cached(f"suggestions:{cluster.pk}", lambda: _suggestions(cluster.pk, cluster.country))


def _suggestions(cluster_id, country):
    own = list(FacetKey.objects.filter(cluster_id=cluster_id, facet__in=SHARED_FACETS)
               .values_list("facet", "value"))
    if not own:
        return []
    partners = PartnerCluster.objects.filter(
        Q(cluster_id=cluster_id) | Q(partner_id=cluster_id)
    ).values_list("cluster_id", "partner_id")
    known = BitMap(pk for pair in partners for pk in pair if pk) | BitMap([cluster_id])
    # The clusters holding each of its terms, and those of its country, as the directory's
    # bitmaps: `at_least[k]` holds the clusters with more than k of its terms in common.
    holding = bitmaps.read_keys([*own, ("country", country)])
    left_out = known | holding.pop(("country", country), BitMap())
    at_least = []
    for clusters in holding.values():
        at_least.append(BitMap())
        for level in range(len(at_least) - 1, 0, -1):
            at_least[level] |= at_least[level - 1] & clusters
        at_least[0] |= clusters
    # The most terms in common first, then the longest on the portal (lowest id); a few
    # spare, should a cluster have been deleted behind the index's back.
    chosen = []
    for level in range(len(at_least) - 1, -1, -1):
        exactly = at_least[level] - (at_least[level + 1] if level + 1 < len(at_least)
                                     else BitMap()) - left_out
        chosen += itertools.islice(exactly, CANDIDATES - len(chosen))
        if len(chosen) == CANDIDATES:
            break
    profiles = {pk: (slug, name, str(code)) for pk, slug, name, code in
                Cluster.objects.published().filter(pk__in=chosen).values_list(
                    "pk", "slug", "name", "country")}
    return [Suggestion(*profiles[pk], _shared(pk, holding))
            for pk in chosen if pk in profiles][:SUGGESTIONS]


def _shared(pk, holding):
    """{facet: how many of the terms (`holding`: {(facet, value): BitMap}) cluster `pk` holds}."""
    shared = collections.Counter(facet for (facet, _value), clusters in holding.items()
                                 if pk in clusters)
    return {facet: shared[facet] for facet in SHARED_FACETS if shared[facet]}
