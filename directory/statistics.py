"""The statistics of a directory search: clusters by country, sector, ecosystem, label,
membership size and year established, as bar charts drawn on the server and tables.

Every count is the directory's own facet count for the same search (`count_facets`), so
a bar and the list it links to always agree: a bar links to the search with that value
as its facet's only choice, which finds exactly the bar's clusters.
"""

import dataclasses

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

# (facet, the table's title, the first column's heading), in the page's order.
CHARTS = [
    ("country", _("Clusters by country"), _("Country")),
    ("sector", _("Clusters by sectoral industry"), _("Sectoral industry")),
    ("ecosystem", _("Clusters by industrial ecosystem"), _("Industrial ecosystem")),
    ("label", _("Clusters by cluster excellence label"), _("Cluster excellence label")),
    ("members", _("Clusters by number of members"), _("Number of members")),
    ("established", _("Clusters by year established"), _("Year established")),
]
CHART_FACETS = [facet for facet, _title, _heading in CHARTS]
# The SVG's units: a bar's row, the labels' column, the longest bar.
ROW, LABEL_WIDTH, BAR_WIDTH, WIDTH = 24, 210, 255, 520
LABEL_CHARACTERS = 28  # a longer label is cut with "…" in the chart (the table has it whole)


@dataclasses.dataclass
class Bar:
    value: str
    label: str
    count: int
    query: str
    chosen: bool
    y: int = 0
    width: float = 0

    @property
    def short_label(self):
        """The label cut to fit the chart, keeping its last word: labels of one vocabulary
        often differ only at their end ("Cluster Management Excellence Bronze", "… Silver")."""
        label = str(self.label)
        if len(label) <= LABEL_CHARACTERS:
            return label
        last = label.rsplit(maxsplit=1)[-1]
        if len(last) > LABEL_CHARACTERS // 2:
            return label[:LABEL_CHARACTERS - 1] + "…"
        return label[:LABEL_CHARACTERS - len(last) - 2].rstrip() + "… " + last

    @property
    def text_y(self):
        return self.y + ROW // 2 + 5

    def prepare(self, list_url):
        """What the template prints, made here once: a chart has a hundred bars, and each
        value resolved and localised by the template costs more than the rest of the page."""
        self.url = f"{list_url}?{self.query}"
        self.name = ngettext("%(label)s: %(count)s cluster", "%(label)s: %(count)s clusters",
                             self.count) % {"label": self.label, "count": self.count}
        self.width_attribute = f"{self.width:.1f}"
        self.count_text = str(self.count)


@dataclasses.dataclass
class Chart:
    facet: str
    title: str
    heading: str
    bars: list

    @property
    def height(self):
        return len(self.bars) * ROW + 4

    @property
    def total(self):
        return sum(bar.count for bar in self.bars)


def charts(search, facets):
    """The page's charts for a search and its facet counts (`ClusterFilter.count_facets`):
    the values counting some cluster, countries by number, the rest in the form's order."""
    drawn = []
    list_url = reverse("directory:cluster-list")
    for facet, title, heading in CHARTS:
        bars = [Bar(value, label, count, search.replaced(facet, value), chosen)
                for value, label, count, chosen in facets.get(facet, []) if count]
        if facet == "country":
            bars.sort(key=lambda bar: (-bar.count, str(bar.label)))
        most = max((bar.count for bar in bars), default=0)
        for row, bar in enumerate(bars):
            bar.y = row * ROW + 2
            bar.width = round(BAR_WIDTH * bar.count / most, 1) if most else 0
            bar.prepare(list_url)
        drawn.append(Chart(facet, title, heading, bars))
    return drawn


def chart_geometry():
    return {"row": ROW, "label_width": LABEL_WIDTH, "bar_width": BAR_WIDTH, "width": WIDTH,
            "bar_height": ROW - 8, "label_x": LABEL_WIDTH - 8, "count_x": LABEL_WIDTH + 4}


def membership_totals(search):
    """{"members", "smes", "reporting", "reporting_smes"}: the members and SME members of
    the matching clusters that give them, and how many clusters give each. Sums over the
    index's membership keys (directory/facets.py): value × the clusters holding it."""
    totals = {"members": 0, "smes": 0, "reporting": 0, "reporting_smes": 0}
    names = {"total_members": ("members", "reporting"), "sme_members": ("smes", "reporting_smes")}
    for facet, value, clusters in search.count_membership():
        total, reporting = names[facet]
        totals[total] += int(value) * clusters
        totals[reporting] += clusters
    return totals
