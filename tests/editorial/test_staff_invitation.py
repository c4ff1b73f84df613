"""Editors invite several people to edit a cluster; a new person chooses a password by email."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


def invite_url(cluster):
    return f"/admin/profiles/cluster/{cluster.pk}/invite/"


def test_a_new_person_is_invited_chooses_a_password_and_edits_only_that_cluster(
    portal_editor_client, cluster_a, cluster_b
):
    response = portal_editor_client.post(
        invite_url(cluster_a),
        {"email": "Marta@Cluster-A.example", "first_name": "Marta", "last_name": "Gil"},
        follow=True,
    )
    assert "can now edit “Cluster A”; an invitation was sent" in response.text
    person = User.objects.get(email="Marta@cluster-a.example")
    assert person.is_staff and not person.is_superuser
    assert not person.has_usable_password()
    assert list(person.staffed_clusters.all()) == [cluster_a]

    [invitation] = mail.outbox
    assert invitation.to == ["Marta@cluster-a.example"]
    assert "Cluster A" in invitation.subject
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", invitation.body).group(1)

    browser = Client()
    form_page = browser.get(link, follow=True)
    assert "Enter new password" in form_page.text
    done = browser.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a sea of clusters", "new_password2": "a sea of clusters"},
        follow=True,
    )
    assert "Password reset complete" in done.text

    assert browser.post("/admin/login/", {"username": person.username,
                                          "password": "a sea of clusters"}).status_code == 302
    assert browser.get(f"/admin/profiles/cluster/{cluster_a.pk}/change/").status_code == 200
    assert browser.get(f"/admin/profiles/cluster/{cluster_b.pk}/change/").status_code == 404


def test_several_people_edit_the_same_cluster(portal_editor_client, cluster_a, staff_a):
    portal_editor_client.post(invite_url(cluster_a), {"email": "second@cluster-a.example"})
    second = User.objects.get(email="second@cluster-a.example")
    assert set(cluster_a.staff.all()) == {staff_a, second}
    for person in (staff_a, second):
        browser = Client()
        browser.force_login(person)
        assert browser.get(f"/admin/profiles/cluster/{cluster_a.pk}/change/").status_code == 200
    # Each sees who else edits the profile.
    page = Client()
    page.force_login(second)
    assert "staff-a" in page.get(f"/admin/profiles/cluster/{cluster_a.pk}/change/").text


def test_someone_with_an_account_is_added_and_told_where_to_log_in(
    portal_editor_client, cluster_a, cluster_b, staff_b
):
    portal_editor_client.post(invite_url(cluster_a), {"email": staff_b.email})
    assert set(staff_b.staffed_clusters.all()) == {cluster_a, cluster_b}
    [invitation] = mail.outbox
    assert "/accounts/reset/" not in invitation.body
    assert "http://testserver/admin/" in invitation.body


def test_a_bad_address_gets_a_clear_message(portal_editor_client, cluster_a):
    response = portal_editor_client.post(invite_url(cluster_a), {"email": "not an address"})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.text
    assert not cluster_a.staff.exists()


def test_when_the_mail_cannot_be_sent_the_editor_gets_the_link(
    portal_editor_client, cluster_a, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    response = portal_editor_client.post(
        invite_url(cluster_a), {"email": "new@cluster-a.example"}, follow=True
    )
    assert "the email could not be sent" in response.text
    assert "http://testserver/accounts/reset/" in response.text
    assert cluster_a.staff.filter(email="new@cluster-a.example").exists()


def test_staff_cannot_invite(staff_a_client, cluster_a):
    response = staff_a_client.post(invite_url(cluster_a), {"email": "friend@example.org"})
    assert response.status_code == 403
    assert not User.objects.filter(email="friend@example.org").exists()
    UserFactory(username="unrelated")  # staff never see the user list either
    assert staff_a_client.get("/admin/auth/user/").status_code == 403
