""""Clusters you may want to meet": for a published cluster, the published clusters in other
countries, not yet its partners (either naming the other), that share the most sectors,
technology fields and industrial ecosystems with it.

Counted in the database from the directory's facet keys (one row per published cluster and
term: directory/models.py), in one grouped query, and cached under the directory's data
version, which any change to a profile, a partnership or a vocabulary bumps.
"""

import dataclasses

from django.db.models import Count, Q
from django.utils.translation import gettext, ngettext

from cooperation.models import PartnerCluster
from cooperation.network import cached
from directory.models import FacetKey
from profiles.countries import country_name
from profiles.models import Cluster

SUGGESTIONS = 5
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
    same_terms = Q()
    for facet in SHARED_FACETS:
        values = [value for key_facet, value in own if key_facet == facet]
        if values:
            same_terms |= Q(facet=facet, value__in=values)
    partners = PartnerCluster.objects.filter(
        Q(cluster_id=cluster_id) | Q(partner_id=cluster_id)
    ).values_list("cluster_id", "partner_id")
    known = {pk for pair in partners for pk in pair if pk} | {cluster_id}
    counts = {f"shared_{facet}": Count("cluster_id", filter=Q(facet=facet))
              for facet in SHARED_FACETS}
    # The index holds published clusters only, and their countries as keys too: the keys
    # alone are grouped, the profiles read for the five found.
    same_country = FacetKey.objects.filter(facet="country", value=country).values("cluster_id")
    rows = list(FacetKey.objects.filter(same_terms)
                .exclude(cluster_id__in=known)
                .exclude(cluster_id__in=same_country)
                .values("cluster_id")
                .annotate(shared=Count("cluster_id"), **counts)
                .order_by("-shared", "cluster_id")[:SUGGESTIONS])
    profiles = {pk: (slug, name, str(code)) for pk, slug, name, code in Cluster.objects.filter(
        pk__in=[row["cluster_id"] for row in rows]).values_list("pk", "slug", "name", "country")}
    return [Suggestion(*profiles[row["cluster_id"]],
                       {facet: row[f"shared_{facet}"] for facet in SHARED_FACETS})
            for row in rows if row["cluster_id"] in profiles]
