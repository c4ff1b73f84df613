"""What a result card reads from the directory's facets."""

from django import template

from directory.facets import BAND_LABELS, band_of

register = template.Library()


@register.filter
def member_band(cluster):
    """The cluster's size band as the members facet names it ("50–249 members"), or ""."""
    composition = cluster.composition_or_none
    band = band_of(composition.total_members) if composition else None
    return BAND_LABELS[band] if band else ""
