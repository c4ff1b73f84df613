"""The directory's own index of the published clusters: what a visitor's words and facet
choices are matched against. Rebuilt from the clusters by `directory.index.refresh`; nothing
here is edited by hand or shown as it is."""

import functools
import operator

from django.db import models

from profiles.models import Cluster


class SearchEntry(models.Model):
    """One published cluster's search document: every word a visitor may look it up by,
    folded (lower case, no accents, one space between words; see `directory.index.fold`).

    PostgreSQL reads `document` through a full-text GIN index, SQLite through an FTS5 table
    kept in step (directory/backends.py); `name` (name and acronym) ranks name matches first.
    """

    cluster = models.OneToOneField(
        Cluster, on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    name = models.TextField()
    document = models.TextField()
    # How many published clusters it works with (its `Partnership`s): the portal's network
    # starts from the best connected cluster of a search.
    partners = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "search entries"
        indexes = [models.Index(fields=["-partners", "cluster"], name="search_entry_partners_idx")]

    def __str__(self):
        return self.name


class FacetKey(models.Model):
    """One value a published cluster can be narrowed by: ("country", "ES"), ("sector", "12")
    (a term's pk), ("members", "50-249")… Filtering and counting read these rows alone."""

    # No index of its own: the unique (cluster, facet, value) index reads a cluster's keys
    # without visiting the table.
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="facet_keys",
                                db_index=False)
    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=20)

    class Meta:
        indexes = [
            models.Index(fields=["facet", "value", "cluster"], name="facet_key_lookup_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "facet", "value"], name="facet_key_once_per_cluster"
            ),
        ]

    def __str__(self):
        return f"{self.facet}:{self.value}"


class SearchWord(models.Model):
    """A distinct word of the search documents: a mistyped word ("smrt") is replaced by the
    known words closest to it (directory/search.py). `clusters` holds the ids of the
    published clusters whose document holds it, as a roaring bitmap: a search's words are
    matched in memory with its choices (directory/bitmaps.py)."""

    word = models.CharField(max_length=100, unique=True)
    clusters = models.BinaryField(default=b"")

    def __str__(self):
        return self.word


class FacetCount(models.Model):
    """How many published clusters hold one facet key: the unfiltered directory's counts,
    which every visitor's first page shows. Kept in step with the keys by the index's
    refresh, in the same transaction, so that it is never stale."""

    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=20)
    clusters = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["facet", "value"], name="facet_count_once"),
        ]

    def __str__(self):
        return f"{self.facet}:{self.value} ({self.clusters})"


class FacetBitmap(models.Model):
    """Which published clusters hold one key of a facet of the form (or a place of the map):
    their ids as a compressed roaring bitmap (pyroaring's portable format). A search with
    choices counts each chosen facet by intersecting these in memory, where joining the keys
    of thousands of clusters per chosen facet would be slow (directory/bitmaps.py). Kept in
    step with the keys by the index's refresh, in the same transaction."""

    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=20)
    clusters = models.BinaryField(default=b"")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["facet", "value"], name="facet_bitmap_once"),
        ]

    def __str__(self):
        return f"{self.facet}:{self.value}"


class Partnership(models.Model):
    """Two published clusters that work together (either names the other as a partner), one
    row a pair, the lower id first, with both countries: the portal's network is read from
    these rows alone, without joining the profiles. The index keeps them, and the count of
    partnerships between each two countries (a `FacetCount` of facet "partnerships"), in
    step with the clusters."""

    first = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="+",
                              db_index=False)  # the unique (first, second) index serves it
    second = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="+")
    first_country = models.CharField(max_length=2)
    second_country = models.CharField(max_length=2)
    reciprocal = models.BooleanField(default=False)  # both name each other

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="partnership_once"),
            models.CheckConstraint(condition=models.Q(first__lt=models.F("second")),
                                   name="partnership_lower_id_first"),
        ]

    def __str__(self):
        return f"{self.first_id} – {self.second_id}"

    @property
    def countries_key(self):
        """The FacetCount value of its two countries: "DE-FR", in alphabetical order."""
        return countries_key(self.first_country, self.second_country)


def countries_key(country, other):
    return "-".join(sorted([country or "", other or ""]))


def of_keys(keys):
    """The condition selecting the rows (`FacetCount`s, `FacetBitmap`s) of these (facet,
    value) keys; there must be at least one."""
    return functools.reduce(operator.or_, (models.Q(facet=facet, value=value)
                                           for facet, value in keys))
