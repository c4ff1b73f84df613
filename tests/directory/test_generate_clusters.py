"""`manage.py generate_clusters`: made-up published clusters for load tests."""

import re

import pytest
from django.core.management import CommandError, call_command

from profiles.models import Cluster
from tests.factories import ClusterFactory

pytestmark = pytest.mark.django_db


def test_generated_clusters_are_published_searchable_and_complete(visitor):
    call_command("generate_clusters", count=30, seed=3, batch_size=7, verbosity=0)
    response = visitor.get("/clusters/")
    assert "30 cluster organisations match" in response.text
    slug = response.text.split('<h3 class="card-name"><a href="/clusters/', 1)[1].split("/", 1)[0]
    profile = visitor.get(f"/clusters/{slug}/")
    assert profile.status_code == 200
    assert "Cluster Manager" in profile.text
    # Every facet has something to count.
    for facet in ["country", "sector", "ecosystem", "members"]:
        assert f'name="{facet}"' in response.text
    # A second run adds to the first, with new addresses.
    call_command("generate_clusters", count=5, seed=3, verbosity=0)
    assert "35 cluster organisations match" in visitor.get("/clusters/").text


def names_listed(response):
    return re.findall(r'<h3 class="card-name"><a href="/clusters/[^/]+/">([^<]+)</a>',
                      response.text)


def test_same_seed_gives_the_same_clusters(visitor):
    call_command("generate_clusters", count=10, seed=9, verbosity=0)
    first = names_listed(visitor.get("/clusters/?sort=name"))
    Cluster.objects.all().delete()
    call_command("generate_clusters", count=10, seed=9, verbosity=0)
    assert names_listed(visitor.get("/clusters/?sort=name")) == first
    assert len(first) == 10


def test_refuses_a_database_with_real_clusters_unless_forced():
    ClusterFactory(name="A Real Cluster")
    with pytest.raises(CommandError, match="1 cluster.* that were not generated"):
        call_command("generate_clusters", count=5, verbosity=0)
    call_command("generate_clusters", count=5, force=True, verbosity=0)
    assert Cluster.objects.filter(generated=True).count() == 5
