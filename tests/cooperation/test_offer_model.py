import datetime

import pytest
from django.utils import timezone

from cooperation.models import CooperationOffer
from profiles.models import Cluster
from tests.factories import ClusterFactory, CooperationOfferFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_listed_offers_are_published_open_and_of_published_clusters():
    shown = [
        CooperationOfferFactory(title="No deadline"),
        CooperationOfferFactory(title="Ends today", deadline=TODAY),
    ]
    CooperationOfferFactory(title="Ended", deadline=TODAY - datetime.timedelta(days=1))
    CooperationOfferFactory(title="Draft", draft=True)
    CooperationOfferFactory(title="Closed", closed=True)
    CooperationOfferFactory(title="Of a draft", cluster=ClusterFactory(draft=True))

    assert set(CooperationOffer.objects.listed()) == set(shown)
    assert set(CooperationOffer.objects.closed().values_list("title", flat=True)) == {
        "Ended", "Closed",
    }


def test_an_offer_gets_an_address_from_its_title_and_a_publication_date():
    first = CooperationOfferFactory(title="Partners for Horizón", published_at=None)
    second = CooperationOfferFactory(title="Partners for Horizón")

    assert first.slug == "partners-for-horizon"
    assert second.slug == "partners-for-horizon-2"
    assert first.published_at is not None
    assert "horizon" in first.search_text


def test_an_open_offer_fills_the_cooperation_tab_until_its_deadline():
    cluster = ClusterFactory()
    CooperationOfferFactory(cluster=cluster, deadline=TODAY - datetime.timedelta(days=1))
    filled = Cluster.objects.with_filled_tabs().get(pk=cluster.pk).filled_cooperation
    assert not filled

    CooperationOfferFactory(cluster=cluster, deadline=TODAY)
    assert Cluster.objects.with_filled_tabs().get(pk=cluster.pk).filled_cooperation
