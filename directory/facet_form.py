"""The pieces of a faceted search form: its checkbox lists with counts (`FacetField`, drawn
by directory/templates/directory/facet_checkboxes.html), the alphabetical order of their
labels, and the fields and filters of the directory's facets (directory/filters.py). The
cooperation offers' search (cooperation/search.py) draws its facets with the same pieces.
"""

import dataclasses
import unicodedata

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django_filters import MultipleChoiceFilter

from directory.facets import cell_centre
from profiles.countries import country_names

# A long facet shows its most frequent choices; the others open from "Show all".
TOP_CHOICES = 5


@dataclasses.dataclass
class FacetField:
    """One facet's checkboxes as the template draws them: choices are
    (input id, value, label, count, chosen)."""

    name: str
    label: str
    errors: list
    choices: list

    @property
    def chosen_count(self):
        return sum(1 for choice in self.choices if choice[4])

    @property
    def top_choices(self):
        """The choices shown at once: all of a short list; of a long one the most frequent
        and every chosen one, still in display order (`other_choices` holds the rest)."""
        if len(self.choices) <= TOP_CHOICES + 1:
            return self.choices
        by_count = sorted(self.choices, key=lambda choice: -choice[3])[:TOP_CHOICES]
        shown = {choice[0] for choice in by_count} | {c[0] for c in self.choices if c[4]}
        return [choice for choice in self.choices if choice[0] in shown]

    @property
    def other_choices(self):
        shown = {choice[0] for choice in self.top_choices}
        return [choice for choice in self.choices if choice[0] not in shown]


def sort_key(text):
    """A label's place in an alphabetical list in any Latin script: accents and case aside
    ("Álava" between "Alacant" and "Almería", not after "Zaragoza")."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class TermField(forms.MultipleChoiceField):
    """Slugs of one vocabulary's terms; the choices are set for each search (`form`)."""

    def validate(self, value):
        for slug in value:
            ProhibitNullCharactersValidator()(slug)  # says more than "not a valid choice"
        super().validate(value)


class PlaceField(forms.MultipleChoiceField):
    """Cells of the map's grid ("86:-6", directory/facets.py): a point of the map links to
    the clusters of its cells. Any well-formed cell is valid, with or without clusters."""

    def valid_value(self, value):
        try:
            cell_centre(value)
        except ValueError:
            return False
        return True


class PlaceFilter(MultipleChoiceFilter):
    field_class = PlaceField


class TermFilter(MultipleChoiceFilter):
    """Terms of one vocabulary by slug, any number of them (OR)."""

    field_class = TermField


def term_filter(label):
    return TermFilter(label=label, method="filter_facet", widget=forms.CheckboxSelectMultiple)


def country_filter(label):
    return MultipleChoiceFilter(
        label=label,
        choices=lambda: list(country_names().items()),
        method="filter_facet",
        widget=forms.CheckboxSelectMultiple,
    )
