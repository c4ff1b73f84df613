"""The search of /cooperation-offers/ (and its feed and the API): words, facets with counts.

Offers are few (hundreds), so the words are matched in the database on each offer's folded
text (`search_text`: lower case, no accents, the same on SQLite and PostgreSQL) and the
facets are counted in Python over the public offers, without the directory's index.
"""

import functools
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.facet_form import FacetField, sort_key
from directory.index import fold
from profiles.countries import country_name
from profiles.models import IndustrialEcosystem, SectoralIndustry

from .offers import CooperationOffer

PAGE_SIZE = 20
OPEN, CLOSED = "open", "closed"
STATES = {OPEN: _("Open"), CLOSED: _("Closed or past the deadline")}

SORTS = {
    "newest": (_("Newest first"), ["-published_at", "-pk"]),
    "deadline": (_("Deadline, soonest first"), ["deadline", "-published_at", "-pk"]),
    "title": (_("Title"), ["title", "pk"]),
}

# Facet name -> its label; the order of the form.
FACETS = {
    "kind": _("Kind of offer"),
    "sector": _("Sectoral industry"),
    "ecosystem": _("Industrial ecosystem"),
    "country": _("Country of the cluster"),
    "target": _("Target country"),
    "state": _("Open or closed"),
}


def facet_keys(offers, today):
    """{offer id: {facet: {values}}} of the offers of the queryset `offers`, in its order,
    read as plain values (four queries, no model instances: the list counts every offer)."""
    keys = {}
    rows = offers.values_list("pk", "kind", "status", "deadline", "cluster__country",
                              "target_countries")
    for pk, kind, status, deadline, country, targets in rows:
        is_open = status == CooperationOffer.Status.PUBLISHED and (
            deadline is None or deadline >= today)
        keys[pk] = {
            "kind": {kind}, "sector": set(), "ecosystem": set(), "country": {str(country)},
            "target": {str(getattr(t, "code", t)) for t in _codes(targets)},
            "state": {OPEN if is_open else CLOSED},
        }
    for facet, relation in (("sector", "sectoral_industries"),
                            ("ecosystem", "industrial_ecosystems")):
        field = CooperationOffer._meta.get_field(relation)
        links = field.remote_field.through.objects.filter(
            **{f"{field.m2m_field_name()}__in": offers.values("pk")}
        ).values_list(f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}__slug")
        for pk, slug in links:
            keys[pk][facet].add(slug)
    return keys


def _codes(targets):
    # A CountryField(multiple=True) reads as its codes joined by commas, or as countries.
    return [code for code in targets.split(",") if code] if isinstance(targets, str) else targets


class OfferResults:
    """The matching offers in order, read from the database a page at a time (Paginator,
    the feed and the API slice it)."""

    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, index):
        ids = self.ids[index]
        offers = CooperationOffer.objects.select_related("cluster").in_bulk(ids)
        return [offers[pk] for pk in ids]


class OfferSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=200,
        help_text=_("Words of the title or the description, e.g. “hydrogen”."),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False,
        choices=[(key, label) for key, (label, _ordering) in SORTS.items()],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        terms = {
            "sector": SectoralIndustry.objects.all(),
            "ecosystem": IndustrialEcosystem.objects.all(),
        }
        for name, label in FACETS.items():
            self.fields[name] = forms.MultipleChoiceField(label=label, required=False)
        self.fields["kind"].choices = CooperationOffer.Kind.choices
        for name, queryset in terms.items():
            self.fields[name].choices = [(term.slug, term.label) for term in queryset]
        countries = sorted(((code, name) for code, name in _country_choices()),
                           key=lambda choice: sort_key(choice[1]))
        self.fields["country"].choices = self.fields["target"].choices = countries
        self.fields["state"].choices = list(STATES.items())


def _country_choices():
    from django_countries import countries

    return [(code, country_name(code)) for code, _name in countries]


class OfferSearch:
    """One search of the offers, from a query string: `results()`, `facet_fields`…"""

    def __init__(self, data, cluster=None):
        self.form = OfferSearchForm(data=data)
        self.form.is_valid()  # fills cleaned_data with the valid fields; errors are shown
        self.cluster = cluster
        self.chosen = {name: set(self.form.cleaned_data.get(name) or []) for name in FACETS}
        if not self.chosen["state"]:
            self.chosen["state"] = {OPEN}  # closed offers only when asked for
        self.words = fold(self.form.cleaned_data.get("q", "")).split()
        self.sort = self.form.cleaned_data.get("sort") or "newest"
        self._matching, self.counts = self._search()

    def _search(self):
        offers = CooperationOffer.objects.public()
        if self.cluster is not None:
            offers = offers.filter(cluster=self.cluster)
        for word in self.words:
            offers = offers.filter(search_text__contains=word)
        keyed = facet_keys(offers.order_by(*SORTS[self.sort][1]), timezone.localdate())

        def matches(keys, leave_out=None):
            return all(keys[name] & wanted for name, wanted in self.chosen.items()
                       if wanted and name != leave_out)

        counts = {name: {} for name in FACETS}
        for keys in keyed.values():
            for name in FACETS:
                if matches(keys, leave_out=name):  # a facet's counts ignore its own choices
                    for value in keys[name]:
                        counts[name][value] = counts[name].get(value, 0) + 1
        return [pk for pk, keys in keyed.items() if matches(keys)], counts

    def results(self):
        return OfferResults(self._matching)

    @property
    def total(self):
        return len(self._matching)

    @functools.cached_property
    def facet_fields(self):
        """The facets as the directory's template draws them: the choices that match any
        offer, and every chosen one."""
        fields = []
        for name, label in FACETS.items():
            bound = self.form[name]
            choices = [
                (f"id_{name}_{index}", value, text, self.counts[name].get(value, 0),
                 value in self.chosen[name])
                for index, (value, text) in enumerate(bound.field.choices)
                if self.counts[name].get(value) or value in self.chosen[name]
            ]
            fields.append(FacetField(name, label, bound.errors, choices))
        return fields

    def canonical_pairs(self):
        pairs = []
        if self.form.cleaned_data.get("q"):
            pairs.append(("q", self.form.cleaned_data["q"].strip()))
        for name in FACETS:
            pairs += [(name, value) for value in sorted(self.form.cleaned_data.get(name) or [])]
        if self.sort != "newest":
            pairs.append(("sort", self.sort))
        return pairs

    def query_string(self, drop=None, page=1):
        """The search as a query string, without one choice `drop` ((name, value) or
        (name, None)), with `page` beyond 1."""
        pairs = [(key, value) for key, value in self.canonical_pairs()
                 if not (drop and key == drop[0] and drop[1] in (None, value))]
        if page > 1:
            pairs.append(("page", page))
        return urlencode(pairs)

    def active_choices(self):
        """[(facet label, choice label, query string without it)] for what was chosen."""
        active = []
        if self.form.cleaned_data.get("q"):
            active.append((self.form.fields["q"].label, self.form.cleaned_data["q"],
                           self.query_string(drop=("q", None))))
        for facet in self.facet_fields:
            for _id, value, text, _count, chosen in facet.choices:
                if chosen and value in (self.form.cleaned_data.get(facet.name) or []):
                    active.append((facet.label, text, self.query_string(drop=(facet.name, value))))
        return active
