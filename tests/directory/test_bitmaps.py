"""A search's counts come from the index's bitmaps (directory/bitmaps.py): the clusters of
each facet key and of each word, kept in step by every refresh. These tests change clusters
as the admin and the import do, then check that a search counts and lists what the
full-text search and the keys give, and that the kept bitmaps are those made afresh."""

import re
import threading
import time
from urllib.parse import urlencode

import pytest
from django import db
from django.db import connection, transaction

from cluster_portal import changes
from cooperation.models import PartnerCluster
from directory import bitmaps
from directory.filters import ClusterFilter
from directory.models import FacetBitmap, SearchWord
from profiles.models import Cluster
from tests.directory.test_directory import listed, members
from tests.directory.test_facet_keys import counts_shown
from tests.factories import (
    ClusterFactory,
    IndustrialEcosystemFactory,
    PartnerClusterFactory,
    SectoralIndustryFactory,
    TargetCountryFactory,
)

pytestmark = pytest.mark.django_db

SEARCHES = [
    {"q": "hydrogen", "country": "ES"},
    {"q": "hydrogen", "country": ["ES", "FR"], "sector": "energy"},
    {"q": "energy", "sector": "energy", "members": "50-249", "ecosystem": "mobility"},
    {"q": "smart grid", "target": "KR"},
    {"q": "smrt", "country": "FR"},  # a typo: the closest known words
    {"q": "energías renovables"},  # a plural and an accent
    {"sector": ["energy", "textiles"], "country": "ES"},
    {"country": "ES"},
    {"q": "nothingmatchesthis", "country": "ES"},
]


def kept_bitmaps():
    """Every bitmap the index keeps, as sorted lists (empty ones left out)."""
    facets = {(row.facet, row.value): sorted(bitmaps.bitmap(row.clusters))
              for row in FacetBitmap.objects.all()}
    words = {row.word: sorted(bitmaps.bitmap(row.clusters)) for row in SearchWord.objects.all()}
    return ({key: ids for key, ids in facets.items() if ids},
            {word: ids for word, ids in words.items() if ids})


def page(visitor, query):
    """What a visitor reads of a search: the results and every count."""
    response = visitor.get("/clusters/?" + urlencode(query, doseq=True))
    total = re.search(r"([\d,]+) cluster organisations?", response.text)
    return listed(response), counts_shown(response), total and total[1]


@pytest.fixture
def directory():
    energy = SectoralIndustryFactory(name="Energy")
    textiles = SectoralIndustryFactory(name="Textiles")
    mobility = IndustrialEcosystemFactory(name="Mobility")
    clusters = [
        ClusterFactory(name="Bilbao Hydrogen Cluster", country="ES", sectoral_industries=[energy],
                       industrial_ecosystems=[mobility]),
        ClusterFactory(name="Sevilla Smart Grid", country="ES", sectoral_industries=[energy],
                       strategy="<p>Energías renovables y redes inteligentes.</p>"),
        ClusterFactory(name="Lyon Textile Network", country="FR", sectoral_industries=[textiles],
                       strategy="<p>Smart textiles for hydrogen tanks.</p>"),
        ClusterFactory(name="Madrid Mobility Energy", country="ES", sectoral_industries=[energy],
                       industrial_ecosystems=[mobility]),
        ClusterFactory(name="Draft Hydrogen Cluster", country="ES", status=Cluster.Status.DRAFT,
                       sectoral_industries=[energy]),
    ]
    members(clusters[0], 120)
    members(clusters[3], 60)
    TargetCountryFactory(cluster=clusters[1], country="KR")
    PartnerClusterFactory(cluster=clusters[3], name="Hydrogen Valley Network")
    changes.clusters_changed([cluster.pk for cluster in clusters])
    return clusters


def test_kept_bitmaps_follow_edits_publishing_and_deleting(directory, editor_client):
    bilbao, sevilla, lyon, madrid, draft = directory
    textiles = lyon.sectoral_industries.get()
    sevilla.strategy = "<p>Hydrogen storage.</p>"  # loses "renovables", gains "hydrogen"
    sevilla.sectoral_industries.add(textiles)
    sevilla.save()
    changes.clusters_changed([sevilla.pk])
    draft.status = Cluster.Status.PUBLISHED
    draft.save()
    changes.clusters_changed([draft.pk])
    lyon.status = Cluster.Status.DRAFT
    lyon.save()
    changes.clusters_changed([lyon.pk])
    response = editor_client.post(f"/admin/profiles/cluster/{bilbao.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302

    kept_facets, kept_words = kept_bitmaps()
    assert kept_words["hydrogen"] == sorted([sevilla.pk, madrid.pk, draft.pk])
    assert "renovables" not in kept_words
    assert kept_facets["sector", str(textiles.pk)] == [sevilla.pk]
    assert kept_facets["country", "ES"] == sorted([sevilla.pk, madrid.pk, draft.pk])
    assert ("country", "FR") not in kept_facets
    # What the index would make afresh (`manage.py refresh_clusters`) is what it kept.
    changes.all_clusters_changed()
    assert kept_bitmaps() == (kept_facets, kept_words)


@pytest.mark.parametrize("in_sql", ["words", "everything"])
def test_a_search_finds_and_counts_as_the_full_text_search_and_the_keys_do(
    directory, visitor, monkeypatch, in_sql
):
    from_bitmaps = [page(visitor, query) for query in SEARCHES]
    assert from_bitmaps[0][0] == sorted([directory[0].slug, directory[3].slug])
    if in_sql == "words":
        # A term naming more known words than the bitmaps read is matched in SQL instead.
        monkeypatch.setattr(bitmaps, "MAX_WORDS_PER_TERM", 0)
    else:
        # The previous engine, kept for those terms: every search counted in SQL.
        monkeypatch.setattr(ClusterFilter, "_matches_in_memory", lambda *args, **kwargs: None)
    changes.clusters_changed([])  # a new data version: nothing counted before is reused
    assert [page(visitor, query) for query in SEARCHES] == from_bitmaps


def test_an_edited_word_leaves_the_search_and_its_counts(directory, visitor):
    sevilla = directory[1]
    query = {"q": "renovables", "country": "ES", "sector": "energy"}
    assert page(visitor, query)[0] == [sevilla.slug]
    sevilla.strategy = "<p>Redes inteligentes.</p>"
    sevilla.save()
    changes.clusters_changed([sevilla.pk])
    results, counts, _total = page(visitor, query)
    assert results == []
    # The chosen values stay on the form, with nothing left to find.
    assert "Spain (0)" in counts and "Energy (0)" in counts


def at_once(*changes):
    """Run each callable in a thread of its own (a connection each, as two app servers
    have), all at once; the errors any of them raised."""
    failures = []

    def run(change):
        try:
            change()
        except Exception as error:  # reported in the test's thread
            failures.append(error)
        finally:
            db.connections.close_all()

    threads = [threading.Thread(target=run, args=(change,)) for change in changes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


# Run by CI's PostgreSQL half.
only_on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite takes one writer at a time: nothing runs concurrently")


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_edits_of_clusters_sharing_keys_and_words_all_count():
    """Two editors save clusters that share a sector, a country and words at the same time:
    each refresh rewrites the same bitmaps, and neither undoes the other's."""
    energy, storage = SectoralIndustryFactory(name="Energy"), SectoralIndustryFactory(
        name="Storage")
    clusters = [ClusterFactory(name=f"Hydrogen Cluster {number}", country="ES",
                               sectoral_industries=[energy]) for number in range(8)]
    changes.clusters_changed([cluster.pk for cluster in clusters])
    start = threading.Barrier(2)

    def edit(part):
        start.wait(timeout=10)
        for cluster in part:
            with transaction.atomic():
                cluster.sectoral_industries.add(storage)
                cluster.strategy = "<p>Batteries.</p>"
                cluster.save()
                changes.clusters_changed([cluster.pk])

    assert at_once(lambda: edit(clusters[0::2]), lambda: edit(clusters[1::2])) == []
    kept_facets, kept_words = kept_bitmaps()
    ids = sorted(cluster.pk for cluster in clusters)
    assert kept_facets["sector", str(storage.pk)] == ids
    assert kept_words["batteries"] == ids
    changes.all_clusters_changed()
    assert kept_bitmaps() == (kept_facets, kept_words)


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_changes_of_the_same_cluster_at_once_leave_the_words_of_both():
    """One editor saves a cluster's strategy while another removes one of its partners: the
    second refresh waits for the first and moves the bitmaps from what the first wrote,
    so that the removed partner's words leave the search."""
    cluster = ClusterFactory(name="Hydrogen Cluster", country="ES",
                             strategy="<p>Electrolysers.</p>")
    partner = PartnerClusterFactory(cluster=cluster, name="Turbines Network")
    changes.clusters_changed([cluster.pk])
    first_refreshed = threading.Event()

    def new_strategy():
        with transaction.atomic():
            Cluster.objects.filter(pk=cluster.pk).update(strategy="<p>Batteries.</p>")
            changes.clusters_changed([cluster.pk], touched=False)
            first_refreshed.set()
            time.sleep(0.5)  # the other change waits for this commit meanwhile

    def partner_removed():
        first_refreshed.wait(timeout=10)
        with transaction.atomic():
            PartnerCluster.objects.filter(pk=partner.pk).delete()
            changes.clusters_changed([cluster.pk], touched=False)

    assert at_once(new_strategy, partner_removed) == []
    _facets, words = kept_bitmaps()
    assert words.get("batteries") == [cluster.pk]
    assert "turbines" not in words and "electrolysers" not in words
    changes.all_clusters_changed()
    assert kept_bitmaps()[1] == words
