"""Country names in the visitor's language, read from a table made once per language.

django-countries translates a name afresh on every `country.name`; a directory page names
up to 250 countries in its facets and one per result (bench/render.py).
"""

import functools

from django.utils.translation import get_language
from django_countries import countries


def country_names():
    """{code: name} of every country, sorted by name in the visitor's language."""
    return _names(get_language())


def country_name(country):
    """The name of a country given as a code or as a CountryField value."""
    code = getattr(country, "code", country)
    return _names(get_language()).get(code, code)


@functools.cache
def _names(language):
    # str(): django-countries hands out lazy names, which would be translated on every use.
    return {code: str(name) for code, name in countries}
