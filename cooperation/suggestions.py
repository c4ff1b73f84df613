""""Clusters you may want to meet": for a published cluster, the published clusters in other
countries, not yet its partners (either naming the other), that share the most sectors,
technology fields and industrial ecosystems with it.

Counted from the directory's facet keys (one row per published cluster and term:
directory/models.py), read from their index a facet at a time, and cached under the
directory's data version, which any change to a profile, a partnership or a vocabulary
bumps.
"""

import collections
import dataclasses

from django.db.models import Q
from django.utils.translation import gettext, ngettext

from cooperation.models import PartnerCluster
from cooperation.network import cached
from directory import backends
from directory.models import FacetKey
from profiles.countries import country_name
from profiles.models import Cluster

SUGGESTIONS = 5
CANDIDATES = 60  # the best ranked clusters whose countries are read at a time
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
    own = collections.defaultdict(list)
    for facet, value in FacetKey.objects.filter(
            cluster_id=cluster_id, facet__in=SHARED_FACETS).values_list("facet", "value"):
        own[facet].append(value)
    if not own:
        return []
    partners = PartnerCluster.objects.filter(
        Q(cluster_id=cluster_id) | Q(partner_id=cluster_id)
    ).values_list("cluster_id", "partner_id")
    known = {pk for pair in partners for pk in pair if pk} | {cluster_id}
    # The clusters holding each of its terms, a facet at a time: each such query reads the
    # keys' index alone (one over every facet would read the table), and counting some
    # 30,000 ids in Python takes less than the database's grouping of those rows.
    shared, terms = {}, collections.Counter()
    for facet, values in own.items():
        holding = backends.cluster_ids(FacetKey.objects.filter(facet=facet, value__in=values))
        shared[facet] = collections.Counter(holding)
        terms.update(holding)
    for pk in known:
        terms.pop(pk, None)
    # By terms in common, the most first, then the longest on the portal (lowest id); a
    # few candidates at a time, the countries of each few read, until five are in others.
    found, candidates = [], []
    for count in range(max(terms.values(), default=0), 0, -1):
        for pk in sorted([pk for pk, held in terms.items() if held == count]):
            candidates.append(pk)
            if len(candidates) == CANDIDATES:
                found += _in_other_countries(candidates, country, shared)
                candidates = []
                if len(found) >= SUGGESTIONS:
                    return found[:SUGGESTIONS]
    found += _in_other_countries(candidates, country, shared)
    return found[:SUGGESTIONS]


def _in_other_countries(candidates, country, shared):
    """The Suggestions of the published `candidates` not in `country`, in their order."""
    profiles = {pk: (slug, name, str(code)) for pk, slug, name, code in
                Cluster.objects.published().filter(pk__in=candidates).exclude(
                    country=country).values_list("pk", "slug", "name", "country")}
    return [Suggestion(*profiles[pk], {facet: shared[facet][pk] for facet in shared})
            for pk in candidates if pk in profiles]
