"""Claim this profile: a person asks to become staff of an existing cluster; the e-mail is
confirmed, and they get no access before an editor approves."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from editorial.models import Claim
from tests.factories import ClusterFactory, UserFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors(editor):
    """An editor's own browser, apart from the visitor's."""
    browser = Client()
    browser.force_login(editor)
    return browser

User = get_user_model()
PASSWORD = "a long chosen passphrase"


@pytest.fixture(autouse=True)
def quick_forms(settings):
    settings.REGISTRATION_MIN_FILL_SECONDS = 0


def send_claim(browser, cluster, **changes):
    path = f"/register/claim/{cluster.slug}/"
    page = browser.get(path)
    assert page.status_code == 200
    shown_at = re.search(r'name="shown_at" value="([^"]+)"', page.text).group(1)
    data = {"person_name": "Pablo Ruiz", "role": "Project manager",
            "email": "pablo@cluster.example.org", "message": "I run its office since 2021.",
            "consent": "on", "nickname": "", "shown_at": shown_at, "send": "1", **changes}
    return browser.post(path, data)


def confirm(message):
    link = re.search(r"https?://[^/\s]+(/register/claim/confirm/\S+/)", message.body).group(1)
    return Client().post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD},
                         follow=True)


def decide(browser, claim, button, note=""):
    url = f"/admin/editorial/claim/{claim.pk}/change/"
    data = form_data(browser.get(url).text, "claim_form")
    data["decision_note"] = note
    data[button] = "on"
    return browser.post(url, data, follow=True)


def test_each_profile_offers_to_claim_it(visitor):
    cluster = ClusterFactory(name="Porto Maritime Centre")
    page = visitor.get(f"/clusters/{cluster.slug}/")
    assert f'href="/register/claim/{cluster.slug}/"' in page.text


def test_a_draft_cannot_be_claimed(visitor):
    cluster = ClusterFactory(draft=True)
    assert visitor.get(f"/register/claim/{cluster.slug}/").status_code == 404


def test_a_claim_gives_no_access_before_approval_and_staff_rights_after(
    visitor, editors
):
    cluster = ClusterFactory(name="Porto Maritime Centre", staff=[UserFactory()])
    sent = send_claim(visitor, cluster)
    assert "Check your mailbox" in sent.text
    claim = Claim.objects.get()
    assert claim.state == Claim.State.UNCONFIRMED
    assert editors.get("/admin/editorial/claim/").context["cl"].result_count == 0

    [message] = mail.outbox
    assert "Porto Maritime Centre" in message.subject
    assert "Your e-mail address is confirmed" in confirm(message).text
    person = User.objects.get(email="pablo@cluster.example.org")
    assert not person.is_staff and person.is_active
    assert not cluster.staff.filter(pk=person.pk).exists()
    browser = Client()
    assert browser.login(username=person.username, password=PASSWORD)
    # The admin refuses a person who is not staff: to its login page, and no profile.
    assert browser.get(f"/admin/profiles/cluster/{cluster.pk}/change/").status_code == 302
    assert browser.get("/admin/").status_code == 302

    review = editors.get(f"/admin/editorial/claim/{claim.pk}/change/")
    assert "I run its office since 2021." in review.text
    decide(editors, claim, "_approve")
    person.refresh_from_db()
    assert person.is_staff
    assert cluster.staff.filter(pk=person.pk).exists()
    assert browser.get(f"/admin/profiles/cluster/{cluster.pk}/change/").status_code == 200
    assert "you can now edit the profile of Porto Maritime Centre" in mail.outbox[-1].body


def test_a_rejected_claim_disables_the_account_made_for_it(visitor, editors):
    cluster = ClusterFactory()
    send_claim(visitor, cluster)
    confirm(mail.outbox[0])
    claim = Claim.objects.get()
    decide(editors, claim, "_reject", note="We could not confirm your role.")
    person = User.objects.get(email="pablo@cluster.example.org")
    assert not person.is_active
    assert not cluster.staff.filter(pk=person.pk).exists()
    assert "We could not confirm your role." in mail.outbox[-1].body


def test_an_existing_account_keeps_its_password_and_is_not_disabled_by_a_rejection(
    visitor, editors, cluster_a, staff_a
):
    staff_a.email = "pablo@cluster.example.org"
    staff_a.set_password(PASSWORD)
    staff_a.save()
    cluster = ClusterFactory()
    send_claim(visitor, cluster)
    link = re.search(r"(/register/claim/confirm/\S+/)", mail.outbox[0].body).group(1)
    page = Client().get(link)
    assert "You already have an account" in page.text and "new_password1" not in page.text
    Client().post(link)
    claim = Claim.objects.get()
    assert claim.user == staff_a and not claim.made_account
    decide(editors, claim, "_reject", note="No.")
    staff_a.refresh_from_db()
    assert staff_a.is_active and staff_a.check_password(PASSWORD)


def test_a_claim_honeypot_stores_nothing(visitor):
    cluster = ClusterFactory()
    sent = send_claim(visitor, cluster, nickname="spam")
    assert "Check your mailbox" in sent.text
    assert not Claim.objects.exists() and not mail.outbox


def test_the_clusters_staff_are_told_and_may_approve_the_claim(visitor, cluster_a, staff_a):
    staff_a.email = "marta@cluster-a.example"
    staff_a.save()
    cluster_a.status = "published"
    cluster_a.save()
    send_claim(visitor, cluster_a)
    confirm(mail.outbox[0])
    claim = Claim.objects.get()
    told = mail.outbox[-1]
    assert told.to == ["marta@cluster-a.example"]
    assert "Pablo Ruiz (Project manager, pablo@cluster.example.org)" in told.body
    assert f"http://testserver/admin/editorial/claim/{claim.pk}/change/" in told.body

    staff = Client()
    staff.force_login(staff_a)
    assert "1 claim of a profile" in staff.get("/admin/").text
    decide(staff, claim, "_approve")
    claim.refresh_from_db()
    assert claim.state == Claim.State.APPROVED and claim.decided_by == staff_a
    assert cluster_a.staff.filter(email="pablo@cluster.example.org").exists()


def test_staff_of_another_cluster_see_neither_the_claim_nor_registrations(
    visitor, staff_b_client
):
    cluster = ClusterFactory()
    send_claim(visitor, cluster)
    confirm(mail.outbox[0])
    claim = Claim.objects.get()
    assert staff_b_client.get(f"/admin/editorial/claim/{claim.pk}/change/").status_code == 404
    assert staff_b_client.get("/admin/editorial/claim/").context["cl"].result_count == 0
    assert staff_b_client.get("/admin/editorial/registration/").status_code == 403
    url = f"/admin/editorial/claim/{claim.pk}/change/"
    assert staff_b_client.post(url, {"_approve": "on"}).status_code == 404
    claim.refresh_from_db()
    assert claim.state == Claim.State.WAITING
