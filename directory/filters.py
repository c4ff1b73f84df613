"""The directory's search: words, facets and sort order, all carried in the URL.

`ClusterFilter(data=request.GET, queryset=Cluster.objects.published()).qs` gives the matching
clusters in the chosen order (by relevance when words are given); the directory page, its
exports and benchmarks all start from it. Choices combine with AND across facets and OR
within one. Values that do not exist (an unknown country code, a retired slug, a query too
long) become form errors and are left out of the search; the page still answers.
"""

import copy
import dataclasses
import functools
import hashlib

from django import forms
from django.core.cache import cache
from django.core.validators import ProhibitNullCharactersValidator
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    ExpressionWrapper,
    Max,
    OuterRef,
    Q,
    Value,
    When,
)
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter, ChoiceFilter, FilterSet, MultipleChoiceFilter, fields

from cooperation.models import TargetCountry
from directory import compiled_sql
from directory import facets as facet_keys
from directory.directory_terms import current_vocabularies
from directory.facets import SIZE_BANDS, TERM_FACETS
from directory.search import words
from profiles.countries import country_name, country_names
from profiles.models import Cluster

PAGE_SIZE = 20
# What a result card shows (templates/includes/cluster_cards.html).
CARD_FIELDS = ("name", "slug", "acronym", "country", "city", "region", "updated")
# Bounds how long a change that leaves the clusters' number and last update alone (a term
# deleted in the admin) can take to show in the unfiltered counts.
WHOLE_DIRECTORY_CACHE_SECONDS = 600
MAX_QUERY_LENGTH = 200

SORTS = {
    "relevance": (_("Relevance"), ["-relevance", "name", "pk"]),
    "name": (_("Name"), ["name", "pk"]),
    "country": (_("Country"), ["country", "name", "pk"]),
    "updated": (_("Last updated"), ["-updated", "pk"]),
}

# The facets in the order the form shows and the counts follow.
FACETS = ["country", *TERM_FACETS, "label", "target", "members"]
BAND_LABELS = {value: label for value, label, _low, _high in SIZE_BANDS}


@dataclasses.dataclass
class FacetField:
    """One facet's checkboxes as the template draws them: choices are
    (input id, value, label, count, chosen), everything ready to print."""

    name: str
    label: str
    errors: list
    choices: list


def _country_choices():
    return list(country_names().items())


class _CountryField(fields.MultipleChoiceField):
    def valid_value(self, value):
        # A lookup in the table of names: the default walks all 250 choices for each value.
        return value in country_names()

    def __deepcopy__(self, memo):
        # Every search's form copies its fields; ChoiceField's copy would deep-copy the 250
        # (code, name) pairs, which no search changes.
        return forms.Field.__deepcopy__(self, memo)


class CountryFilter(MultipleChoiceFilter):
    """Countries by ISO code, any number of them (OR)."""

    field_class = _CountryField


class _TermField(forms.MultipleChoiceField):
    """Slugs of one vocabulary's terms, cleaned to those terms (`VocabularyTerm`s).

    `terms` ({slug: term}) is set by `ClusterFilter.form` for each search, from the
    vocabularies each app server keeps (directory/directory_terms.py).
    """

    terms = {}

    def valid_value(self, value):
        return value in self.terms

    def validate(self, value):
        for slug in value:
            ProhibitNullCharactersValidator()(slug)  # says more than "not a valid choice"
        super().validate(value)

    def clean(self, value):
        return [self.terms[slug] for slug in dict.fromkeys(super().clean(value))]


class TermFilter(MultipleChoiceFilter):
    """Terms of one vocabulary by slug, any number of them (OR)."""

    field_class = _TermField


def _term_filter(label):
    return TermFilter(label=label, method="filter_facet", widget=forms.CheckboxSelectMultiple)


class _FiltersCopiedShallow(dict):
    """The filter set's filters, which django-filter deep-copies for every search, with their
    choices and querysets: a third of building the form. Only their parent differs from one
    search to the next, so a shallow copy of each does, with its own link to its method."""

    def __deepcopy__(self, memo):
        copies = {}
        for name, filter_ in self.items():
            clone = copy.copy(filter_)
            clone.method = filter_.method  # binds the method to the copy's parent
            copies[name] = clone
        return copies


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
    country = CountryFilter(
        label=_("Country"),
        choices=_country_choices,
        method="filter_facet",
        widget=forms.CheckboxSelectMultiple,
    )
    sector = _term_filter(_("Sectoral industry"))
    technology = _term_filter(_("Technology field"))
    s3 = _term_filter(_("S3 EU priority area"))
    emerging = _term_filter(_("Emerging industry"))
    ecosystem = _term_filter(_("Industrial ecosystem"))
    label = _term_filter(_("Cluster excellence label"))
    target = CountryFilter(
        label=_("Cooperation target country"),
        choices=_country_choices,
        method="filter_facet",
        widget=forms.CheckboxSelectMultiple,
    )
    members = MultipleChoiceFilter(
        label=_("Number of members"),
        choices=list(BAND_LABELS.items()),
        method="filter_facet",
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Cluster
        fields = []

    @classmethod
    def get_filters(cls):
        return _FiltersCopiedShallow(super().get_filters())

    @functools.cached_property
    def vocabularies(self):
        return current_vocabularies(self.queryset.db, self._data_version)

    @functools.cached_property
    def _data_version(self):
        # Read once per search: the vocabularies and the unfiltered counts both key on it.
        return facet_keys.data_version()

    # --- Filtering ------------------------------------------------------------------------

    def filter_queryset(self, queryset):
        if self._reads_facet_keys():
            queryset = _matching_keys(queryset, self._words(), self._chosen_keys())
        else:
            queryset = self._filtered(queryset)
        # The sort order is applied last, once the words have annotated their relevance.
        return self.order(queryset, "sort", self.form.cleaned_data.get("sort"))

    def results(self):
        """The matching clusters in order, with what a result card shows, for a Paginator.

        On PostgreSQL by SQL built once per shape of search (directory/compiled_sql.py).
        """
        if not self._reads_facet_keys():
            return self.qs.only(*CARD_FIELDS)
        words, chosen = self._words(), self._chosen_keys()
        sort = self._sort()

        def build(values):
            words_, chosen_ = _unpack(values, bool(words), chosen)
            matching = _matching_keys(self.queryset.all(), words_, chosen_)
            return matching.order_by(*SORTS[sort][1]).only(*CARD_FIELDS).query.sql_with_params()

        shape = ("results", self._base_shape, bool(words), _shape_of(chosen), sort)
        sql, params = compiled_sql.sql_with_params(shape, _pack(words, chosen), build)
        return _ResultRows(sql, params, self.queryset.db)

    def _filtered(self, queryset, without=None):
        """The clusters matching every valid choice except those of facet `without`."""
        for name, value in self.form.cleaned_data.items():
            if name not in ("sort", without):
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_text(self, queryset, name, value):
        return queryset.search(value)

    def filter_facet(self, queryset, name, value):
        return queryset.filter(self.condition(name, value)) if value else queryset

    def condition(self, name, value):
        """The SQL condition a cluster meets when it has one of the `value`s of facet `name`,
        through its relations (SQLite; PostgreSQL reads the facet keys instead)."""
        if name == "country":
            return Q(country__in=value)
        if name == "label":
            return Q(excellence_label__in=[term.pk for term in value])
        if name == "target":
            return Exists(TargetCountry.objects.filter(cluster=OuterRef("pk"), country__in=value))
        if name == "members":
            bands = Q()
            for band, _label, low, high in SIZE_BANDS:
                if band in value:
                    in_band = Q(composition__total_members__gte=low)
                    if high is not None:
                        in_band &= Q(composition__total_members__lte=high)
                    bands |= in_band
            return bands
        # A term facet: an EXISTS on the link table, so that a cluster with two of the chosen
        # terms appears once, without DISTINCT.
        through, column = _link_table(TERM_FACETS[name])
        links = through.objects.filter(
            cluster_id=OuterRef("pk"), **{f"{column}__in": [term.pk for term in value]}
        )
        return Exists(links)

    def _reads_facet_keys(self):
        return connections[self.queryset.db].vendor == "postgresql"

    @functools.cached_property
    def _base_shape(self):
        # What the SQL of a search also depends on: the clusters searched (always the
        # published ones, but said rather than assumed) and the database.
        return (self.queryset.db, str(self.queryset.query.where))

    def _keys(self, name, value):
        if name in TERM_FACETS or name == "label":
            return [facet_keys.key(name, term.pk) for term in value]
        return [facet_keys.key(name, item) for item in value]

    def _chosen_keys(self):
        """{facet: [its chosen values' keys]} for every facet with a valid choice."""
        data = self.form.cleaned_data
        return {name: self._keys(name, data[name]) for name in FACETS if data.get(name)}

    def order(self, queryset, name, value):
        return queryset.order_by(*SORTS[self._sort()][1])

    def _sort(self):
        value = self.form.cleaned_data.get("sort")
        if value not in SORTS or (value == "relevance" and not self._has_words()):
            value = "relevance" if self._has_words() else "name"
        return value

    def _words(self):
        return words(self.form.cleaned_data.get("q"))

    def _has_words(self):
        return bool(self._words())

    # --- Facet counts ---------------------------------------------------------------------

    def count_facets(self):
        """For every facet, the choices worth showing and how many clusters each would leave.

        Each facet counts within the clusters matching the words and every *other* facet's
        choices, so that choices of one facet can be added to each other (OR) and the numbers
        stay true. All facets and the total are counted by one SQL query, whatever the number
        of clusters (see `_count_rows`). Returns {facet: [(value, label, count, chosen), …]}
        and keeps `facet_fields`, a `FacetField` for each facet worth showing.
        """
        self.errors  # noqa: B018  (validates the form, filling cleaned_data)
        rows = self._count_rows()
        self.total = sum(n for facet, _value, n in rows if facet == "total")
        terms = self.vocabularies.by_pk
        counted = {name: {} for name in FACETS}
        for facet, value, n in rows:
            if facet not in counted or value in (None, ""):
                continue
            if facet in ("country", "target"):
                counted[facet][value] = (country_name(value), n)
            elif facet == "members":
                counted[facet][value] = (BAND_LABELS[value], n)
            elif (facet, int(value)) in terms:
                term = terms[facet, int(value)]
                counted[facet][term.slug] = (term.label, n)
        positions = self.vocabularies.by_slug
        facets = {}
        for name in FACETS:
            chosen = self._chosen(name)
            for value in chosen:
                if value not in counted[name]:
                    counted[name][value] = (self._label_of_chosen(name, value), 0)
            choices = [
                (value, label, count, value in chosen)
                for value, (label, count) in counted[name].items()
            ]
            choices.sort(key=lambda choice: _display_order(name, choice, positions.get(name)))
            facets[name] = choices
        # A facet without any choice to offer is left out of the form, unless it has to say
        # why a value of the URL was ignored. The checkboxes are drawn by one template tag
        # (templatetags/directory.py): crispy-forms' templates per checkbox took ~30 ms.
        self.facet_fields = [
            FacetField(
                name=name,
                label=self.filters[name].label,
                errors=self.form.errors.get(name, []),
                choices=[(f"id_{name}_{index}", *choice)
                         for index, choice in enumerate(facets[name])],
            )
            for name in FACETS if facets[name] or name in self.form.errors
        ]
        return facets

    def _count_rows(self):
        """[(facet, value, count)] for every facet, plus ("total", "", count)."""
        if self._reads_facet_keys():
            return self._count_rows_from_keys()
        return self._count_rows_through_relations()

    def _count_rows_from_keys(self):
        """The counts from the facet keys, on PostgreSQL: one query, read through indexes.

        Facet F counts within S_F, the clusters matching the words and every chosen facet but
        F; the other facets and the total count within S, matching all. A cluster in S_F but
        not in S fails exactly one facet, F: the query reads only the clusters failing at most
        one chosen facet (an OR of index conditions, so PostgreSQL intersects the word and
        facet bitmaps before it reads a row), notes which facet each fails, and counts each of
        its keys where that facet is the key's own or none. Without words and with at most
        one facet chosen, that facet's S_F is the whole directory: its counts come from the
        unfiltered ones (cached, see `_whole_directory_counts`).
        """
        words, chosen = self._words(), self._chosen_keys()
        if not words and len(chosen) <= 1:
            if not chosen:
                return self._whole_directory_counts()
            # The chosen facet counts within the whole directory; the others within its choice.
            (name, _keys), = chosen.items()
            rows = self._count_keys_within(words, chosen, failing=False, skip=(name,))
            return rows + [row for row in self._whole_directory_counts() if row[0] == name]
        return self._count_keys_within(words, chosen, failing=len(chosen) > 0, skip=())

    def _count_keys_within(self, words, chosen, failing, skip):
        """The counts (`_count_keys_sql`) of the clusters matching the words and the keys: with
        `failing`, those failing at most one chosen facet, counted as the facet they fail;
        otherwise those matching them all. By SQL built once per shape (compiled_sql.py)."""

        def build(values):
            words_, chosen_ = _unpack(values, bool(words), chosen)
            base = self.queryset.all()
            if not failing:
                return _count_keys_sql(_matching_keys(base, words_, chosen_), {}, skip)
            base = _matching_keys(base, words_, {})
            if len(chosen_) > 1:
                failing_at_most_one = Q()
                for name in chosen_:
                    all_but = Q()
                    for other, keys in chosen_.items():
                        if other != name:
                            all_but &= Q(facet_keys__overlap=keys)
                    failing_at_most_one |= all_but
                base = base.filter(failing_at_most_one)
            return _count_keys_sql(base, chosen_, skip)

        shape = ("counts", self._base_shape, bool(words), _shape_of(chosen), failing, skip)
        sql, params = compiled_sql.sql_with_params(shape, _pack(words, chosen), build)
        return [row for row in self._rows(sql, params) if row[0] not in skip]

    def _count_rows_through_relations(self, whole_directory=False):
        """[(facet, value, count)] for every facet, plus ("total", "", count), in one query.

        A common table expression holds the clusters matching the words (evaluated once),
        each with one flag per chosen facet saying whether it meets that facet's choices.
        Facet F then counts the rows whose flags other than F's are all true.
        """
        data = self.form.cleaned_data
        candidates = self.queryset.all()
        if self._has_words():
            candidates = self.filters["q"].filter(candidates, data["q"])
        flags = {name: f"f_{name}" for name in FACETS if data.get(name)}
        band = Case(
            *[
                When(composition__total_members__gte=low, then=Value(value))
                for value, _label, low, _high in reversed(SIZE_BANDS)
            ],
            default=Value(""),
            output_field=CharField(),
        )
        annotations = {"band": band}
        for name, flag in flags.items():
            annotations[flag] = ExpressionWrapper(
                self.condition(name, data[name]), output_field=BooleanField()
            )
        base = candidates.order_by().annotate(**annotations)
        base = base.values_list("pk", "country", "excellence_label_id", *annotations)
        base_sql, params = base.query.sql_with_params()
        columns = ["id", "country", "label_id", "band", *flags.values()]
        keep = "1 = 1"
        if len(flags) > 1:
            # A cluster failing two facets' choices counts nowhere: leave it out early.
            failures = " + ".join(f"CAST(NOT {flag} AS INTEGER)" for flag in flags.values())
            keep = f"{failures} <= 1"

        def meeting_all_but(name=None):
            conditions = [flag for facet, flag in flags.items() if facet != name]
            return " AND ".join(conditions) or "1 = 1"

        parts = [
            f"SELECT 'total', '', COUNT(*) FROM base WHERE {meeting_all_but()}",
            "SELECT 'country', country, COUNT(*) FROM base "
            f"WHERE {meeting_all_but('country')} GROUP BY country",
            "SELECT 'label', CAST(label_id AS TEXT), COUNT(*) FROM base "
            f"WHERE label_id IS NOT NULL AND {meeting_all_but('label')} GROUP BY label_id",
            "SELECT 'members', band, COUNT(*) FROM base "
            f"WHERE {meeting_all_but('members')} GROUP BY band",
            "SELECT 'target', t.country, COUNT(DISTINCT base.id) FROM base "
            f"JOIN {TargetCountry._meta.db_table} t ON t.cluster_id = base.id "
            f"WHERE {meeting_all_but('target')} GROUP BY t.country",
        ]
        for name, relation in TERM_FACETS.items():
            through, column = _link_table(relation)
            term_column = through._meta.get_field(column).column
            parts.append(
                f"SELECT '{name}', CAST(l.{term_column} AS TEXT), COUNT(*) FROM base "
                f"JOIN {through._meta.db_table} l ON l.cluster_id = base.id "
                f"WHERE {meeting_all_but(name)} GROUP BY l.{term_column}"
            )
        if not flags and not self._has_words() and not whole_directory:
            return self._whole_directory_counts()
        return self._run_count_query(columns, base_sql, params, parts, keep)

    def _whole_directory_counts(self):
        """The counts of the unfiltered directory, cached: every visitor's first page shows
        them, and at 100,000 clusters they take most of a second to compute. The key holds
        the directory's data version (bumped by every change the signals see) and the last
        update of any cluster (an index read), so an edit or addition starts afresh."""
        last = Cluster.objects.using(self.queryset.db).aggregate(last=Max("updated"))["last"]
        version = self._data_version
        key = "directory-facet-counts:" + hashlib.sha256(
            f"{self._base_shape}|{version}|{last}".encode()
        ).hexdigest()
        rows = cache.get(key) if version is not None else None
        if rows is None:
            if self._reads_facet_keys():
                rows = self._rows(*_count_keys_sql(self.queryset.all(), {}, skip=()))
            else:
                rows = self._count_rows_through_relations(whole_directory=True)
            if version is not None:
                cache.set(key, rows, timeout=WHOLE_DIRECTORY_CACHE_SECONDS)
        return rows

    def _run_count_query(self, columns, base_sql, params, parts, keep):
        connection = connections[self.queryset.db]
        materialized = "MATERIALIZED " if connection.vendor in ("postgresql", "sqlite") else ""
        sql = (
            f"WITH candidate ({', '.join(columns)}) AS ({base_sql}), "
            f"base AS {materialized}(SELECT * FROM candidate WHERE {keep}) "
            + " UNION ALL ".join(parts)
        )
        return self._rows(sql, params)

    def _rows(self, sql, params):
        with connections[self.queryset.db].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _chosen(self, name):
        value = self.form.cleaned_data.get(name) or []
        if name in TERM_FACETS or name == "label":
            return [term.slug for term in value]
        return list(value)

    def _label_of_chosen(self, name, value):
        if name in ("country", "target"):
            return country_name(value)
        if name == "members":
            return BAND_LABELS[value]
        return next(term.label for term in self.form.cleaned_data[name] if term.slug == value)

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
        return active

    def query_string(self, drop=None, keep_page=False):
        """This search as a URL query, without `page` (unless asked) and without one choice."""
        data = self.data or {}
        if hasattr(data, "lists"):
            items = data.lists()
        else:
            items = ((k, v if isinstance(v, list | tuple) else [v]) for k, v in data.items())
        pairs = []
        for key, values in items:
            if key == "page" and not keep_page:
                continue
            for value in values:
                if drop and key == drop[0] and (drop[1] is None or value == drop[1]):
                    continue
                pairs.append((key, value))
        return urlencode(pairs)

    def get_form_class(self):
        # django-filter builds a new form class, and a field per filter, for every search;
        # the filters never change, so one class per process serves every request (the form
        # instances still get their own fields).
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for name in (*TERM_FACETS, "label"):
                form.fields[name].terms = self.vocabularies.by_slug[name]
        return self._form


def _matching_keys(queryset, words, chosen):
    """On PostgreSQL: the clusters of `queryset` matching the words and, for each chosen facet,
    having one of its keys (an overlap with the GIN-indexed facet keys, directory/facets.py)."""
    if words:
        queryset = queryset.search(words)
    for keys in chosen.values():
        queryset = queryset.filter(facet_keys__overlap=keys)
    return queryset


def _shape_of(chosen):
    return tuple((name, len(keys)) for name, keys in chosen.items())


def _pack(words, chosen):
    """A search's values as compiled_sql takes them: the words (if any), then every key."""
    return ((words,) if words else ()) + tuple(key for keys in chosen.values() for key in keys)


def _unpack(values, has_words, chosen):
    """`_pack` undone, after the shape of `chosen`: (words, {facet: keys})."""
    words = values[0] if has_words else ""
    position = 1 if has_words else 0
    unpacked = {}
    for name, keys in chosen.items():
        unpacked[name] = list(values[position:position + len(keys)])
        position += len(keys)
    return words, unpacked


class _ResultRows:
    """Matching clusters by compiled SQL, read a page at a time: what a Paginator slices."""

    def __init__(self, sql, params, using):
        self.sql, self.params, self.using = sql, params, using

    def __getitem__(self, page):
        return list(Cluster.objects.using(self.using).raw(
            f"{self.sql} LIMIT %s OFFSET %s", [*self.params, page.stop - page.start, page.start]
        ))


def _count_keys_sql(base, chosen, skip):
    """(sql, params) counting the facet keys of the clusters of `base`, plus the total:
    [(facet, value, count)], with ("total", "", count).

    `chosen` maps each chosen facet to its keys; a cluster failing one of them counts only
    for that facet's keys (see `ClusterFilter._count_rows_from_keys`); facets in `skip` need
    not be counted.
    """
    if not chosen:
        # No cluster can fail a choice: a plain GROUP BY, which PostgreSQL may run in parallel
        # workers. Each cluster adds a "total:" key, so that one pass also counts them all
        # (even one whose keys were never filled).
        base_sql, params = base.order_by().values_list("facet_keys").query.sql_with_params()
        sql = (
            "SELECT split_part(key, ':', 1), substr(key, strpos(key, ':') + 1), COUNT(*) "
            "FROM (SELECT unnest(array_append(keys, 'total:')) AS key "
            f"FROM ({base_sql}) AS matching (keys)) AS facet_key GROUP BY key"
        )
        return sql, params
    failing = Case(
        *[When(~Q(facet_keys__overlap=keys), then=Value(name)) for name, keys in chosen.items()],
        default=None,
        output_field=CharField(),
    )
    base = base.order_by().annotate(failing=failing).values_list("facet_keys", "failing")
    base_sql, params = base.query.sql_with_params()
    skipped = "".join(" AND split_part(key, ':', 1) <> %s" for _name in skip)
    sql = (
        f"WITH base (keys, failing) AS MATERIALIZED ({base_sql}) "
        "SELECT split_part(key, ':', 1), substr(key, strpos(key, ':') + 1), COUNT(*) "
        "FROM (SELECT unnest(keys) AS key, failing FROM base) AS facet_key "
        f"WHERE (failing IS NULL OR failing = split_part(key, ':', 1)){skipped} "
        "GROUP BY key "
        "UNION ALL SELECT 'total', '', COUNT(*) FROM base WHERE failing IS NULL"
    )
    return sql, (*params, *skip)


def _display_order(name, choice, terms):
    """Terms in their vocabulary's order, size bands smallest first, countries by name."""
    value, label, _count, _chosen = choice
    if name in TERM_FACETS or name == "label":
        return (terms[value].position if value in terms else 0, str(label))
    if name == "members":
        return ([band[0] for band in SIZE_BANDS].index(value), "")
    return (0, str(label))


def _link_table(relation):
    """The M2M link model behind `Cluster.<relation>` and the name of its term field."""
    field = Cluster._meta.get_field(relation)
    return field.remote_field.through, field.m2m_reverse_field_name()
