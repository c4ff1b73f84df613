from django import template

from cooperation import models

register = template.Library()


@register.filter
def cooperation_by_scope(cluster):
    """`{% for scope in cluster|cooperation_by_scope %}`: the cooperation tab's groups."""
    return models.by_scope(cluster)
