from django import template

from profiles.countries import country_name as name_of

register = template.Library()


@register.filter
def country_name(country):
    """`{{ cluster.country|country_name }}`: the name in the visitor's language."""
    return name_of(country)
