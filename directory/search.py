"""The directory's text search: what a cluster's search document holds and how words match it.

On PostgreSQL every cluster stores an accent-free, weighted `tsvector` (`Cluster.search_vector`,
GIN-indexed): name and acronym weigh most, then city and region, then strategy,
specialisations and partner names. A visitor's words match that document (websearch syntax,
so any string is a valid query) or, to forgive typos such as "smrt city", the name by trigram
word similarity (a GIN trigram index on the name). Matches of the document come first, by
their rank; matches of the name alone follow, by their similarity.

On SQLite every word must appear, case-insensitively, in one of the same fields.
"""

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connections
from django.db.models import (
    Case,
    Exists,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    Subquery,
    TextField,
    When,
)
from django.db.models import Value as V

# One language-neutral configuration for documents and queries alike: names are Spanish,
# German, Polish…; English stemming would mangle them and Spanish stemming the English ones.
CONFIG = "simple"

# Words beyond these are ignored: no visitor types more, and each costs a condition.
MAX_WORDS = 12


class Unaccent(Func):
    """PostgreSQL's `unaccent()`, so that "andalucia" finds "Andalucía"."""

    function = "unaccent"
    output_field = TextField()


class StatementQuery(SearchQuery):
    """A `SearchQuery` parsed once per statement instead of once per row.

    `unaccent()` is only STABLE, so PostgreSQL does not fold `websearch_to_tsquery(…,
    unaccent('…'))` into a constant: ranking 10,000 matches parsed the words 20,000 times
    (more than half the query's time). A scalar subquery is evaluated once (an InitPlan),
    and the GIN index still answers `search_vector @@ (SELECT …)`.
    """

    def as_sql(self, compiler, connection, *args, **kwargs):
        sql, params = super().as_sql(compiler, connection, *args, **kwargs)
        return f"(SELECT {sql})", params


def _is_postgresql(queryset):
    return connections[queryset.db].vendor == "postgresql"


def search_document():
    """The expression a cluster's `search_vector` is computed from."""
    from cooperation.models import PartnerCluster

    partner_names = Subquery(
        PartnerCluster.objects.filter(cluster=OuterRef("pk"))
        .order_by()
        .values("cluster")
        .annotate(names=StringAgg("name", " "))
        .values("names")
    )
    return (
        SearchVector(Unaccent("name"), Unaccent("acronym"), weight="A", config=CONFIG)
        + SearchVector(Unaccent("city"), Unaccent("region"), weight="B", config=CONFIG)
        + SearchVector(
            Unaccent("specialisation_other"),
            # Tags in the rich text are parsed as tags by PostgreSQL and left out.
            Unaccent("strategy"),
            Unaccent(partner_names),
            weight="C",
            config=CONFIG,
        )
    )


def refresh_search_vectors(queryset):
    if not _is_postgresql(queryset):
        return 0
    return queryset.order_by().update_derived(search_vector=search_document())


def words(text):
    """The words of `text` a search uses, one space apart; "" when there are none."""
    return " ".join((text or "").split()[:MAX_WORDS])


def search(queryset, text):
    text = words(text)
    if not text:
        return queryset.annotate(relevance=V(0.0, output_field=FloatField()))
    if _is_postgresql(queryset):
        query = StatementQuery(Unaccent(V(text)), config=CONFIG, search_type="websearch")
        # Clusters whose document holds the words come first, by rank; those found only by
        # a name close to the words (a typo) follow, by similarity. Computing the similarity
        # only for the latter halves the cost of ranking 10,000 matches.
        relevance = Case(
            When(search_vector=query, then=V(1.0) + SearchRank(F("search_vector"), query)),
            default=TrigramWordSimilarity(text, "name"),
            output_field=FloatField(),
        )
        return queryset.filter(
            Q(search_vector=query) | Q(name__trigram_word_similar=text)
        ).annotate(relevance=relevance)
    return _search_with_icontains(queryset, text)


def _search_with_icontains(queryset, text):
    from cooperation.models import PartnerCluster

    condition = Q()
    for word in text.split():
        partner_named = PartnerCluster.objects.filter(cluster=OuterRef("pk"), name__icontains=word)
        condition &= (
            Q(name__icontains=word)
            | Q(acronym__icontains=word)
            | Q(city__icontains=word)
            | Q(region__icontains=word)
            | Q(strategy__icontains=word)
            | Q(specialisation_other__icontains=word)
            | Q(Exists(partner_named))
        )
    # A cluster named after the words comes first; the rest keep their order.
    relevance = Case(
        When(name__icontains=text, then=V(1.0)), default=V(0.0), output_field=FloatField()
    )
    return queryset.filter(condition).annotate(relevance=relevance)
