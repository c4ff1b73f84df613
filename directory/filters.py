"""The directory's search: words, facets and sort order, all carried in the URL.

`ClusterFilter(data=request.GET, queryset=Cluster.objects.published()).qs` gives the matching
clusters in the chosen order (by relevance when words are given); the directory page, its
exports and benchmarks all start from it. Choices combine with AND across facets and OR
within one. Values that do not exist (an unknown country code, a retired slug, a query too
long) become form errors and are left out of the search; the page still answers.

Words are matched through the directory's search entries (directory/search.py), facets
through its facet keys (directory/facets.py): the same ORM queries on SQLite and PostgreSQL.
A search's counts, total and (when few) matches are computed from the index's bitmaps of the
same keys and words (directory/bitmaps.py), in memory.
"""

import functools
import hashlib
import math

from django import forms
from django.core.cache import cache
from django.db.models import Case, Count, IntegerField, Value, When
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter, ChoiceFilter, FilterSet, MultipleChoiceFilter
from pyroaring import BitMap

from directory import bitmaps, index
from directory.backends import matching_clusters, name_matching_ids
from directory.facet_form import (
    FacetField,
    PlaceFilter,
    country_filter,
    sort_key,
    term_filter,
)
from directory.facets import (
    BAND_LABELS,
    FACETS,
    MEMBERSHIP,
    PERIOD_LABELS,
    PERIODS,
    PLACE,
    SIZE_BANDS,
    TERM_FACETS,
)
from directory.models import FacetCount, FacetKey
from directory.search import relevance, search, some_words, terms_of, words
from profiles.countries import country_name
from profiles.models import Cluster, ClusterExcellenceLabel

PAGE_SIZE = 20
# What a result card shows (templates/includes/cluster_cards.html): these columns, the
# excellence label and number of members (joined), and up to three terms (`with_cards`).
CARD_FIELDS = ("name", "slug", "acronym", "country", "city", "region", "updated", "logo",
               "strategy", "texts_language", "excellence_label", "composition__total_members")
# Every change the index sees bumps the data version; this only bounds what a change made
# around it (a raw SQL update) can leave in the cached counts and vocabularies.
CACHE_SECONDS = 600
MAX_QUERY_LENGTH = 200
# A search finding at most this many clusters is read as a list of their ids, once per search
# and data version (`few_match_ids`); within SQLite's bound on the parameters of a query.
FEW_MATCHES = 900
# Clusters holding some of the words, offered when all the words together find less than a page.
SOME_WORDS_SHOWN = 10

SORTS = {
    "relevance": (_("Relevance"), ["-relevance", "name", "pk"]),
    "name": (_("Name"), ["name", "pk"]),
    "country": (_("Country"), ["country", "name", "pk"]),
    "updated": (_("Last updated"), ["-updated", "pk"]),
}


def with_cards(clusters):
    """`clusters` with what a result card shows, in three queries for any page of them."""
    return (clusters.select_related("excellence_label", "composition")
            .prefetch_related("sectoral_industries", "industrial_ecosystems")
            .only(*CARD_FIELDS))


def term_models():
    """{facet: the vocabulary model it chooses from}, for the term facets and the label."""
    models = {facet: Cluster._meta.get_field(relation).related_model
              for facet, relation in TERM_FACETS.items()}
    models["label"] = ClusterExcellenceLabel
    return models


def read_vocabularies():
    """{facet: [its terms]}: what the form accepts and the counts are labelled with."""
    return {facet: list(model.objects.all()) for facet, model in term_models().items()}


class ClusterFilter(FilterSet):
    q = CharFilter(
        label=_("Search"),
        method="filter_text",
        max_length=MAX_QUERY_LENGTH,
        widget=forms.widgets.SearchInput,
        help_text=_("Name, place, strategy, specialisation or partner, e.g. “smart grid”."),
    )
    sort = ChoiceFilter(
        label=_("Sort by"),
        choices=[(key, label) for key, (label, _ordering) in SORTS.items()],
        empty_label=None,
        method="order",
    )
    country = country_filter(_("Country"))
    sector = term_filter(_("Sectoral industry"))
    technology = term_filter(_("Technology field"))
    s3 = term_filter(_("S3 EU priority area"))
    emerging = term_filter(_("Emerging industry"))
    ecosystem = term_filter(_("Industrial ecosystem"))
    label = term_filter(_("Cluster excellence label"))
    target = country_filter(_("Cooperation target country"))
    members = MultipleChoiceFilter(
        label=_("Number of members"),
        choices=list(BAND_LABELS.items()),
        method="filter_facet",
        widget=forms.CheckboxSelectMultiple,
    )
    established = MultipleChoiceFilter(
        label=_("Year established"),
        choices=list(PERIOD_LABELS.items()),
        method="filter_facet",
        widget=forms.CheckboxSelectMultiple,
    )
    # Chosen by following a point of the map, never by a checkbox of the form.
    place = PlaceFilter(label=_("Place on the map"), method="filter_facet",
                        widget=forms.MultipleHiddenInput)

    class Meta:
        model = Cluster
        fields = []

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for facet, terms in self.vocabularies.items():
                form.fields[facet].choices = [(term.slug, term.label) for term in terms]
        return self._form

    @functools.cached_property
    def data_version(self):
        return index.data_version()

    def cached(self, name, compute):
        """`compute()`, kept in the cache under the directory's data version."""
        if self.data_version is None:
            return compute()
        return cache.get_or_set(f"directory-{name}:{self.data_version}", compute,
                                CACHE_SECONDS)

    def cached_for_search(self, name, compute):
        """`compute()` for this search (its words and valid choices), cached as `cached`."""
        return self.cached(f"{name}:{self._search_key()}", compute)

    @functools.cached_property
    def vocabularies(self):
        return self.cached("vocabularies", read_vocabularies)

    @functools.cached_property
    def terms_by_slug(self):
        return {facet: {term.slug: term for term in terms}
                for facet, terms in self.vocabularies.items()}

    # --- Filtering ------------------------------------------------------------------------

    def filter_queryset(self, queryset):
        queryset = self.matching(queryset)
        if self._sort() == "relevance":
            queryset = queryset.annotate(relevance=relevance(self.terms))
        return self.order(queryset, "sort", self.form.cleaned_data.get("sort"))

    @functools.cached_property
    def terms(self):
        """The words of the search as the index matches them (directory/search.py)."""
        return terms_of(self.form.cleaned_data.get("q"))

    def matching(self, queryset, without=None, text=True):
        """The clusters of `queryset` matching the words (unless not `text`) and every valid
        choice except those of facet `without`."""
        for ids in self._conditions(without, text):
            queryset = queryset.filter(pk__in=ids)
        return queryset

    def _conditions(self, without=None, text=True):
        """The sets of cluster ids a match belongs to, as subqueries of the index: one for
        the words, one per chosen facet; or, once a search is known to find few clusters,
        the list of their ids (`few_match_ids`)."""
        if without is None and text and getattr(self, "_match_ids", None) is not None:
            return [self._match_ids]
        data = self.form.cleaned_data
        conditions = []
        if text and self._words():
            conditions.append(matching_clusters(self.terms))
        for name in [*FACETS, PLACE]:
            if name != without and data.get(name):
                conditions.append(self._facet_ids(name, data[name]))
        return conditions

    def few_match_ids(self):
        """The ids of this search's matches if it finds at most FEW_MATCHES clusters, else
        None; found once, then kept (`_match_ids`): every later query of the request (the
        counts of the facets nobody chose, the name split, the results, the map's points,
        the members' totals) reads these ids instead of matching the words and every choice
        again."""
        if not hasattr(self, "_match_ids"):
            self._match_ids = None
            matches = self._matches()
            if matches is not None:
                self._match_ids = list(matches) if len(matches) <= FEW_MATCHES else None
            elif self._chosen_facets():
                # Words alone mostly match many clusters (labels are searched): not tried.
                matches = self.matching(self.queryset.all()).order_by()
                ids = list(matches.values_list("pk", flat=True)[:FEW_MATCHES + 1])
                self._match_ids = ids if len(ids) <= FEW_MATCHES else None
        return self._match_ids

    def _matches(self):
        """The BitMap of this search's matches (`_matches_in_memory`), found once."""
        if not hasattr(self, "_matches_found"):
            self._matches_found = self._matches_in_memory(bitmaps.read(self._chosen_facets()))
        return self._matches_found

    def _matches_in_memory(self, kept, without=None):
        """The BitMap of the clusters matching the words and every choice except those of
        facet `without`, from the bitmaps (`kept`: `bitmaps.read` of the chosen facets at
        least); the whole directory is None, and so is a search whose words name too many
        index words for the bitmaps (then matched in SQL)."""
        data = self.form.cleaned_data
        sets = [bitmaps.union(kept[name].get(value, BitMap())
                              for value in self._values(name, data[name]))
                for name in self._chosen_facets() if name != without]
        if self._has_words():
            if not hasattr(self, "_words_held"):
                self._words_held = bitmaps.holding_terms(self.terms)
            if self._words_held is None:
                return None
            sets.append(self._words_held)
        return BitMap.intersection(*sets) if sets else None

    def filter_text(self, queryset, name, value):
        return search(queryset, self.terms)

    def filter_facet(self, queryset, name, value):
        return queryset.filter(pk__in=self._facet_ids(name, value))

    def _facet_ids(self, name, value):
        keys = FacetKey.objects.filter(facet=name, value__in=self._values(name, value))
        return keys.values("cluster_id")

    def _values(self, name, value):
        """The facet key values of the chosen `value`s: term slugs become term pks."""
        if name in self.terms_by_slug:
            return [str(self.terms_by_slug[name][slug].pk) for slug in value]
        return list(value)

    def results(self):
        """The matching clusters in order, with what a result card shows, for a Paginator
        (`count_facets` counts the name matches with the rest)."""
        if not hasattr(self, "total"):
            self.count_facets()
        if self._sort() != "relevance":
            return with_cards(self.qs)
        by_name = SORTS["name"][1]
        in_name, others = self._name_split()
        return RankedResults(with_cards(in_name.order_by(*by_name)),
                             with_cards(others.order_by(*by_name)), self.name_matches)

    def _name_split(self):
        """(the matches whose name or acronym holds every word, the other matches)."""
        matches = self.matching(self.queryset.all())
        in_name = matching_clusters(self.terms, in_name=True)
        return matches.filter(pk__in=in_name), matches.exclude(pk__in=in_name)

    def some_words_results(self):
        """When two or more words together find less than a page (`total`, from
        `count_facets`), the clusters within the same choices holding some of the words, most
        words first: "Energías renovables" also offers the clusters about "energía"."""
        if len(self.terms) < 2 or self.total >= PAGE_SIZE:
            return []
        clusters = some_words(self.matching(self.queryset.all(), text=False), self.terms)
        return list(with_cards(clusters.order_by("-words_held", "name", "pk"))[:SOME_WORDS_SHOWN])

    def order(self, queryset, name, value):
        sort = self._sort()
        if sort == "country":
            # By the country's name in the visitor's language, not by its code ("Alemania"
            # before "España" in Spanish; the code puts Germany (DE) after Spain (ES)).
            queryset = queryset.annotate(country_rank=self._country_rank())
            return queryset.order_by("country_rank", "name", "pk")
        return queryset.order_by(*SORTS[sort][1])

    def _country_rank(self):
        codes = self.cached("countries", lambda: sorted(
            FacetCount.objects.filter(facet="country", clusters__gt=0)
            .values_list("value", flat=True)))
        ranked = sorted(codes, key=lambda code: sort_key(country_name(code)))
        return Case(*[When(country=code, then=Value(rank)) for rank, code in enumerate(ranked)],
                    default=Value(len(ranked)), output_field=IntegerField())

    def _sort(self):
        value = self.form.cleaned_data.get("sort")
        if value not in SORTS or (value == "relevance" and not self._has_words()):
            value = "relevance" if self._has_words() else "name"
        return value

    def _words(self):
        return words(self.form.cleaned_data.get("q"))

    def _has_words(self):
        return bool(self._words())

    def _chosen_facets(self):
        return [name for name in [*FACETS, PLACE] if self.form.cleaned_data.get(name)]

    # --- Facet counts ---------------------------------------------------------------------

    def count_facets(self):
        """For every facet, the choices worth showing and how many clusters each would leave.

        Facet F counts within the clusters matching the words and every *other* facet's
        choices, so that choices of one facet can be added to each other (OR) and the numbers
        stay true: intersections of the index's bitmaps (`_count_in_memory`), or, for words
        the bitmaps leave to SQL, one grouped query of the facet keys for the facets nobody
        chose and one per chosen facet. Every search's counts are cached under the
        directory's data version (paging and re-sorting a search reuse them; any change to
        the index bumps the version), the unfiltered ones shared by every such search. Returns
        {facet: [(value, label, count, chosen), …]}, and keeps `total` (the number of
        matches) and `facet_fields` (a `FacetField` for each facet worth showing).
        """
        self.errors  # noqa: B018  (validates the form, filling cleaned_data)
        chosen = self._chosen_facets()
        self.name_matches = 0
        if not self._has_words() and not chosen:
            rows = self._whole_directory_counts()
        else:
            rows, self.name_matches, self._match_ids = self.cached(
                f"search-counts-and-ids:{self._search_key()}", self._count_search)
            if not self._has_words() and len(chosen) == 1:
                # The only choice: its own facet counts within the whole directory.
                rows = rows + [row for row in self._whole_directory_counts()
                               if row[0] == chosen[0]]
        self.total = self._total_of(rows)
        facets = self._choices(rows)
        self.facet_fields = [
            FacetField(
                name=name,
                label=self.filters[name].label,
                errors=self.form.errors.get(name, []),
                choices=[(f"id_{name}_{position}", *choice)
                         for position, choice in enumerate(facets[name])],
            )
            # A facet without any choice to offer is left out of the form, unless it has to
            # say why a value of the URL was ignored.
            for name in FACETS if facets[name] or name in self.form.errors
        ]
        return facets

    def count_matches(self):
        """How many clusters match, without the facets' counts (`count_facets` counts both):
        for an API search that asks for no counts. Keeps `total` and the name matches, as
        `count_facets` does, for `results`."""
        self.errors  # noqa: B018  (validates the form, filling cleaned_data)
        if not self._has_words() and not self._chosen_facets():
            self.total = self._total_of(self._whole_directory_counts())
            self.name_matches = 0
            return self.total

        def count():
            ids = self.few_match_ids()
            if (matches := self._matches()) is not None:
                return len(matches), self._name_matches_among(matches), ids
            total = len(ids) if ids is not None else self.matching(self.queryset.all()).count()
            return total, self._name_match_count(), ids

        self.total, self.name_matches, self._match_ids = self.cached(
            f"search-total-and-ids:{self._search_key()}", count)
        return self.total

    def _count_search(self):
        """(facet count rows, how many matches hold every word in their name, the matches'
        ids if few) of this search: the counts `count_facets` describes, from the bitmaps
        unless its words name too many index words."""
        counted = self._count_in_memory()
        if counted is not None:
            return counted
        chosen = self._chosen_facets()
        self.few_match_ids()
        rows = _count_keys(self._conditions(),
                           [name for name in FACETS if name not in chosen])
        for name in chosen:
            if self._has_words() or len(chosen) > 1:
                rows += _count_keys(self._conditions(without=name), [name])
        return rows, self._name_match_count(), self._match_ids

    def _count_in_memory(self):
        """`_count_search` from the bitmaps (directory/bitmaps.py): the facets' in one query,
        each word's in one, the name matches' in one; every count is the size of an
        intersection. None when the words name too many index words."""
        chosen = self._chosen_facets()
        kept = bitmaps.read([*FACETS, *([PLACE] if PLACE in chosen else [])])
        self._matches_found = matches = self._matches_in_memory(kept)
        if matches is None:
            return None
        rows = []
        for name in FACETS:
            within = self._matches_in_memory(kept, without=name) if name in chosen else matches
            if within is None:
                continue  # the only choice, without words: counted in the whole directory
            rows += [(name, value, count) for value, clusters in kept[name].items()
                     if (count := within.intersection_cardinality(clusters))]
        return rows, self._name_matches_among(matches), self.few_match_ids()

    def _name_matches_among(self, matches):
        """How many of `matches` (a BitMap) hold every word in their name or acronym."""
        if not self._has_words():
            return 0
        return matches.intersection_cardinality(
            BitMap(name_matching_ids(self.terms)))

    def _total_of(self, rows):
        """The number of matches, from facet count rows that hold the country facet's.
        Every indexed cluster has exactly one country key: the matches are the clusters
        counted under the chosen countries (within every other choice), or under any."""
        countries = self.form.cleaned_data.get("country")
        return sum(count for facet, value, count in rows
                   if facet == "country" and (not countries or value in countries))

    def _name_match_count(self):
        """How many matches hold every word in their name (none without words)."""
        return self._name_split()[0].count() if self._has_words() else 0

    def _search_key(self):
        """What the counts of a search depend on besides the data: the clusters searched,
        the words as matched and the valid choices (not the sort order, nor the page)."""
        data = self.form.cleaned_data
        search = [str(self.queryset.query), self.terms,
                  [(name, sorted(data[name])) for name in self._chosen_facets()]]
        return hashlib.sha256(repr(search).encode()).hexdigest()[:32]

    def _whole_directory_counts(self):
        """The counts of the unfiltered directory, which every visitor's first page shows:
        read from the `FacetCount`s the index keeps (it holds the published clusters, which
        are what the directory searches), never counted per request."""
        return list(FacetCount.objects.filter(clusters__gt=0, facet__in=[*FACETS, PLACE])
                    .values_list("facet", "value", "clusters"))

    def _choices(self, rows):
        terms_by_pk = {facet: {str(term.pk): term for term in terms}
                       for facet, terms in self.vocabularies.items()}
        counted = {name: {} for name in FACETS}
        for facet, value, count in rows:
            if not value or facet not in counted:  # no country yet; a place of the map
                continue
            if facet in ("country", "target"):
                counted[facet][value] = (country_name(value), count)
            elif facet == "members":
                counted[facet][value] = (BAND_LABELS[value], count)
            elif facet == "established":
                counted[facet][value] = (PERIOD_LABELS[value], count)
            elif value in terms_by_pk.get(facet, {}):
                term = terms_by_pk[facet][value]
                counted[facet][term.slug] = (term.label, count)
        facets = {}
        for name in FACETS:
            chosen = self.form.cleaned_data.get(name) or []
            for value in chosen:
                if value not in counted[name]:
                    counted[name][value] = (self._label_of(name, value), 0)
            choices = [(value, label, count, value in chosen)
                       for value, (label, count) in counted[name].items()]
            choices.sort(key=lambda choice, name=name: self._display_order(name, choice))
            facets[name] = choices
        return facets

    def _label_of(self, name, value):
        if name in ("country", "target"):
            return country_name(value)
        if name == "members":
            return BAND_LABELS[value]
        if name == "established":
            return PERIOD_LABELS[value]
        return self.terms_by_slug[name][value].label

    def _display_order(self, name, choice):
        """Labels in their vocabulary's order (they rank), size bands smallest first, every
        other list alphabetically in the visitor's language (`sort_key`)."""
        value, label, _count, _chosen = choice
        if name == "label":
            return (self.terms_by_slug[name][value].position, sort_key(label))
        if name == "members":
            return ([band[0] for band in SIZE_BANDS].index(value), "")
        if name == "established":
            return ([period[0] for period in PERIODS].index(value), "")
        return (0, sort_key(label))

    # --- What the page shows around the results -------------------------------------------

    def active_choices(self, facets):
        """[(facet label, choice label, query string without that choice)] for chosen values.

        Lets the visitor widen a search one choice at a time, without JavaScript.
        """
        active = []
        if self._has_words():
            active.append((self.filters["q"].label, self.form.cleaned_data["q"],
                           self.query_string(drop=("q", None))))
        for name in FACETS:
            for value, label, _count, chosen in facets.get(name, []):
                if chosen:
                    active.append((self.filters[name].label, label,
                                   self.query_string(drop=(name, value))))
        if self.form.cleaned_data.get(PLACE):
            active.append((self.filters[PLACE].label, _("the point you chose"),
                           self.query_string(drop=(PLACE, None))))
        return active

    def count_places(self):
        """[(cell, clusters)] of the matches that have a location: the map's points. Read
        from the index's place keys as the facets are (the unfiltered directory's from the
        kept counts), and cached under the data version with them."""
        self.errors  # noqa: B018  (validates the form, filling cleaned_data)
        if not self._has_words() and not self._chosen_facets():
            rows = FacetCount.objects.filter(facet=PLACE, clusters__gt=0)
            return sorted(rows.values_list("value", "clusters"))
        rows = self.cached_for_search("place-counts",
                                      lambda: _count_keys(self._conditions(), [PLACE]))
        return sorted((value, count) for _facet, value, count in rows)

    def count_membership(self):
        """[(facet, value, clusters)] of the matches' membership keys (`MEMBERSHIP`): the
        unfiltered directory's from the kept counts, a search's counted as its facets are
        and cached with them."""
        self.errors  # noqa: B018  (validates the form, filling cleaned_data)
        if not self._has_words() and not self._chosen_facets():
            return list(FacetCount.objects.filter(facet__in=MEMBERSHIP, clusters__gt=0)
                        .values_list("facet", "value", "clusters"))
        return self.cached_for_search("membership-counts",
                                      lambda: _count_keys(self._conditions(), MEMBERSHIP))

    def replaced(self, name, value):
        """The query string of this search with `value` as the only choice of facet `name`:
        the slice of the directory a bar, a country or a point of the map links to."""
        pairs = [pair for pair in self.canonical_pairs() if pair[0] != name]
        values = value if isinstance(value, list | tuple) else [value]
        return urlencode(sorted(pairs + [(name, item) for item in values]))

    def canonical_pairs(self):
        """This search's valid values as sorted (name, value) pairs: what the page shows.

        Unknown parameters, invalid and empty values are left out and each facet's values
        sorted, so that every query string meaning the same search gives the same pairs:
        the page's links, and its key in the page cache (directory/views.py), are built
        from them.
        """
        if not hasattr(self, "_canonical_pairs"):  # a statistics page asks a hundred times
            self.errors  # noqa: B018  (validates the form, filling cleaned_data)
            data = self.form.cleaned_data
            pairs = []
            for name in sorted(self.filters):
                value = data.get(name)
                values = sorted(set(value)) if isinstance(value, list | tuple) else [value]
                pairs += [(name, item) for item in values if item]
            self._canonical_pairs = pairs
        return list(self._canonical_pairs)

    def page_number(self, value):
        """The `page` parameter as a page of these results: an int within range, else 1."""
        try:
            number = int(value)
        except (TypeError, ValueError):
            return 1
        if number <= 1:
            return 1
        if not hasattr(self, "total"):
            self.count_facets()
        return number if number <= math.ceil(self.total / PAGE_SIZE) else 1

    def query_string(self, drop=None, page=1):
        """This search as a URL query (`canonical_pairs`), without one choice `drop`
        ((name, value), or (name, None) for all of its values) and with `page` beyond 1."""
        pairs = [(key, value) for key, value in self.canonical_pairs()
                 if not (drop and key == drop[0] and drop[1] in (None, value))]
        if page > 1:
            pairs.append(("page", page))
        return urlencode(pairs)


class RankedResults:
    """The matches in relevance order, for a Paginator: first those whose name or acronym
    holds every word, then the others, each part by name. Two queries that each read the
    name index in order; one ordered by a computed rank would sort every match first."""

    def __init__(self, in_name, others, in_name_count):
        self.in_name, self.others, self.in_name_count = in_name, others, in_name_count

    def __getitem__(self, page):
        start, stop = page.start or 0, page.stop
        split = self.in_name_count
        clusters = list(self.in_name[start:min(stop, split)]) if start < split else []
        if stop > split:
            clusters += self.others[max(start - split, 0):stop - split]
        return clusters


def _count_keys(conditions, facets):
    """[(facet, value, number of clusters with that key)] for these facets, among the
    clusters in every one of `conditions` (`ClusterFilter._conditions`). Read from the index
    alone, which holds the published clusters: what the directory searches."""
    if not facets:
        return []
    keys = FacetKey.objects.all()
    for ids in conditions:
        keys = keys.filter(cluster_id__in=ids)
    keys = keys.filter(facet__in=facets)  # not the map's places or the members' keys
    return list(
        keys.values_list("facet", "value").annotate(clusters=Count("cluster_id")).order_by()
    )
