"""`{% locator_map cluster %}`: where a cluster is, as a small SVG map of its surroundings."""

from django import template

from profiles.countries import country_name
from profiles.geography import country_paths, locator_view

register = template.Library()


@register.inclusion_tag("includes/profile/locator_map.html")
def locator_map(cluster):
    if not cluster.has_location:
        return {"cluster": None}
    view = locator_view(cluster.latitude, cluster.longitude)
    x, y = view.project(cluster.longitude, cluster.latitude)
    own = str(cluster.country)
    # The cluster's own country last: its outline is drawn over its neighbours'.
    shapes = sorted(country_paths(view).items(), key=lambda shape: shape[0] == own)
    return {
        "cluster": cluster,
        "view": view,
        "shapes": [(path, code == own) for code, path in shapes],
        "x": round(x, 1),
        "y": round(y, 1),
        "place": cluster.location or country_name(cluster.country),
    }
