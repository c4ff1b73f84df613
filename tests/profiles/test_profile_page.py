import pytest

from tests.factories import ClusterFactory

pytestmark = pytest.mark.django_db


def test_published_profile_shows_its_name(visitor):
    cluster = ClusterFactory(name="Smart City Cluster")
    response = visitor.get(f"/clusters/{cluster.slug}/")
    assert response.status_code == 200
    assert "Smart City Cluster" in response.text
