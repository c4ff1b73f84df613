"""Cluster staff write, publish and close their own offers, and nobody else's."""

import re

import pytest

from cooperation.models import CooperationOffer
from tests.factories import ContactFactory, CooperationOfferFactory
from tests.forms import errors_in, form_data

pytestmark = pytest.mark.django_db

ADD = "/admin/cooperation/cooperationoffer/add/"
LIST = "/admin/cooperation/cooperationoffer/"


def text_of(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def change_url(offer):
    return f"/admin/cooperation/cooperationoffer/{offer.pk}/change/"


def new_offer(browser, **fields):
    data = form_data(browser.get(ADD).text, "cooperationoffer_form")
    data.update(kind="partners", title="Partners for a Horizon Europe bid",
                description="<p>We look for <strong>partners</strong>.</p><script>x</script>",
                status="published", **fields)
    return browser.post(ADD, data)


def test_staff_publish_an_offer_of_their_cluster_and_the_text_is_cleaned(
    staff_a_client, cluster_a
):
    contact = ContactFactory(cluster=cluster_a, role="Project Manager")

    response = new_offer(staff_a_client, cluster=str(cluster_a.pk), contact=str(contact.pk),
                         deadline="31/12/2030", target_countries=["FR", "PT"])

    assert response.status_code == 302, errors_in(response)
    offer = CooperationOffer.objects.get()
    assert offer.cluster == cluster_a and offer.status == "published"
    assert offer.slug == "partners-for-a-horizon-europe-bid"
    assert offer.published_at is not None
    assert "<script>" not in offer.description and "<strong>partners</strong>" in offer.description
    assert [c.code for c in offer.target_countries] == ["FR", "PT"]
    history = staff_a_client.get(f"/admin/profiles/cluster/{cluster_a.pk}/history/").text
    assert "Partners for a Horizon Europe bid" in history  # on the profile's change history


def test_staff_are_offered_only_their_own_clusters_and_contacts(
    staff_a_client, cluster_a, cluster_b
):
    ContactFactory(cluster=cluster_b, role="Secret Manager of B")
    page = staff_a_client.get(ADD).text

    assert "Cluster A" in page
    assert "Cluster B" not in page and "Secret Manager of B" not in page
    response = new_offer(staff_a_client, cluster=str(cluster_b.pk))
    assert response.status_code == 200  # "Select a valid choice", nothing saved
    assert not CooperationOffer.objects.exists()


def test_staff_of_cluster_b_can_neither_see_nor_change_cluster_a_offers(
    staff_b_client, cluster_a
):
    offer = CooperationOfferFactory(cluster=cluster_a, title="Offer of A")

    assert "Offer of A" not in staff_b_client.get(LIST).text
    assert staff_b_client.get(change_url(offer)).status_code == 404
    assert staff_b_client.post(change_url(offer), {"title": "Taken over"}).status_code == 404
    response = staff_b_client.post(LIST, {
        "action": "close", "_selected_action": [str(offer.pk)], "index": "0",
    })
    offer.refresh_from_db()
    assert offer.status == "published" and offer.title == "Offer of A"
    assert response.status_code in (200, 302)


def test_a_contact_of_another_cluster_is_refused(editor_client, cluster_a, cluster_b):
    other = ContactFactory(cluster=cluster_b)

    response = new_offer(editor_client, cluster=str(cluster_a.pk), contact=str(other.pk),
                         slug="")

    assert response.status_code == 200
    assert "Choose a contact of the offer" in response.text


def test_staff_close_their_offer_with_the_action(staff_a_client, cluster_a):
    offer = CooperationOfferFactory(cluster=cluster_a)

    staff_a_client.post(LIST, {"action": "close", "_selected_action": [str(offer.pk)]})

    offer.refresh_from_db()
    assert offer.status == "closed"


def test_editors_see_every_cluster_offers(portal_editor_client, cluster_a, cluster_b):
    CooperationOfferFactory(cluster=cluster_a, title="Offer of A")
    CooperationOfferFactory(cluster=cluster_b, title="Offer of B")

    page = portal_editor_client.get(LIST).text

    assert "Offer of A" in page and "Offer of B" in page


def test_a_change_of_target_countries_is_on_the_profile_history(staff_a_client, cluster_a):
    offer = CooperationOfferFactory(cluster=cluster_a, target_countries=["FR"])
    data = form_data(staff_a_client.get(change_url(offer)).text, "cooperationoffer_form")
    data["target_countries"] = ["FR", "DE"]

    assert staff_a_client.post(change_url(offer), data).status_code == 302

    history = staff_a_client.get(f"/admin/profiles/cluster/{cluster_a.pk}/history/")
    assert history.status_code == 200
    assert "Target countries: France → Germany, France" in text_of(history.text)
