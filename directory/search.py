"""The directory's words: how a visitor's text becomes a search, the same on both databases.

The text is folded as the documents are (directory/index.py) and split into words. Each word
matches a document word it is, or begins ("grid" finds "grids"). A word that no known word
begins with is taken for a typo and replaced by the known words closest to it by trigram
similarity, as PostgreSQL's pg_trgm measures it ("smrt" -> "smart", "seville" -> "sevilla");
the candidates come from the database (directory/backends.py), the ranking from here, so both
databases choose the same words. A plural is looked up by its singular's start ("energías"
finds "energía", "grids" finds "grid"). Every word must match (AND). Clusters whose name or
acronym holds them all come first; `some_words` finds those holding only some, which the
directory offers when the words together find few.
"""

from django.db.models import Case, IntegerField, Value, When

from directory import backends
from directory.index import fold
from directory.models import SearchWord

# Words beyond these are ignored: no visitor types more, and each costs a condition.
MAX_WORDS = 12
# pg_trgm's default similarity threshold; the closest few words above it replace a typo.
SIMILARITY_THRESHOLD = 0.3
CLOSEST_WORDS = 3
# Shorter words keep their "s" ("gas" is no plural of "ga").
PLURAL_FROM_LENGTH = 5


def words(text):
    """The folded words of `text` a search uses, one space apart; "" when there are none."""
    return " ".join(fold(text).split()[:MAX_WORDS])


def trigrams(word):
    """pg_trgm's trigrams of one word: padded with two spaces before and one after."""
    padded = f"  {word} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


def similarity(a, b):
    """pg_trgm's similarity(): shared trigrams over all trigrams of the two words."""
    first, second = trigrams(a), trigrams(b)
    return len(first & second) / len(first | second)


def closest_words(word):
    """The known words closest to a mistyped `word`, best first (at most CLOSEST_WORDS)."""
    scored = sorted(
        (-score, candidate)
        for candidate in backends.similar_word_candidates(word)
        if (score := similarity(word, candidate)) >= SIMILARITY_THRESHOLD
    )
    return [candidate for _score, candidate in scored[:CLOSEST_WORDS]]


def terms_of(text):
    """[[(word, whole_word_only)]]: per word of `text`, the alternatives any of which may
    match; an empty list when `text` has no word."""
    terms = []
    for word in words(text).split():
        if len(word) >= PLURAL_FROM_LENGTH and word.endswith("s"):
            # English and Spanish plurals: the singular's start finds both forms.
            word = word[:-1]
        if SearchWord.objects.filter(word__startswith=word).exists():
            terms.append([(word, False)])
        else:
            # No close word either: the word stays, and finds nothing, as it should.
            terms.append([(close, True) for close in closest_words(word)] or [(word, True)])
    return terms


def search(queryset, terms):
    """The clusters of `queryset` holding every term (`terms_of`)."""
    return queryset.filter(pk__in=backends.matching_clusters(terms))


def some_words(queryset, terms):
    """The clusters of `queryset` holding some but not all of the terms, annotated with
    how many they hold (`words_held`); none for a single term."""
    return (queryset.exclude(pk__in=backends.matching_clusters(terms))
            .annotate(words_held=words_held(terms)).filter(words_held__gt=0))


def words_held(terms):
    """How many of the terms a cluster holds."""
    return sum(
        (Case(When(pk__in=backends.matching_clusters([term]), then=Value(1)),
              default=Value(0), output_field=IntegerField()) for term in terms),
        Value(0),
    )


def relevance(terms):
    """1 for the clusters whose name or acronym holds every term, 0 for the others: name
    matches come first."""
    return Case(
        When(pk__in=backends.matching_clusters(terms, in_name=True), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
