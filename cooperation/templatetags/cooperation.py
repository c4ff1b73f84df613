from django import template

from cooperation import models, network, suggestions

register = template.Library()


@register.filter
def cooperation_by_scope(cluster):
    """`{% for scope in cluster|cooperation_by_scope %}`: the cooperation tab's groups."""
    return models.by_scope(cluster)


@register.inclusion_tag("includes/profile/network.html")
def cooperation_network(cluster):
    """`{% cooperation_network cluster %}`: the cluster's network, drawn (cached)."""
    return {"cluster": cluster, "network": network.profile_network(cluster)}


@register.inclusion_tag("includes/profile/suggestions.html")
def partner_suggestions(cluster):
    """`{% partner_suggestions cluster %}`: "Clusters you may want to meet" (cached)."""
    return {"cluster": cluster, "suggestions": suggestions.suggestions_for(cluster)}
