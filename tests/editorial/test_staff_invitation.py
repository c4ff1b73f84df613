"""Editors invite people to edit a cluster; nothing changes on an account until the invited
person accepts through the link in the e-mail, so an invitation cannot take over an account."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


def invite_url(cluster):
    return f"/admin/profiles/cluster/{cluster.pk}/invite/"


def accept_link(message):
    """The invitation's link, as a path (SITE_URL is the address in the e-mail)."""
    return re.search(r"https?://[^/\s]+(/accounts/invitation/\S+/)", message.body).group(1)


def accept(link):
    """A browser that opens the e-mail's link and presses "Accept"."""
    browser = Client()
    page = browser.get(link)
    assert page.status_code == 200
    assert "Accept the invitation" in page.text
    return browser, browser.post(link, follow=True)


def test_a_new_person_accepts_chooses_a_password_and_edits_only_that_cluster(
    portal_editor_client, cluster_a, cluster_b, settings
):
    settings.SITE_URL = "https://clusters.example.eu"
    response = portal_editor_client.post(
        invite_url(cluster_a),
        {"email": "Marta@Cluster-A.example", "first_name": "Marta", "last_name": "Gil"},
        follow=True,
    )
    assert "is on its way to marta@cluster-a.example" in response.text
    assert "e-mail sent" in response.text
    # Nothing exists before the person accepts.
    assert not User.objects.filter(email__iexact="marta@cluster-a.example").exists()

    [invitation] = mail.outbox
    assert invitation.to == ["marta@cluster-a.example"]
    assert "Cluster A" in invitation.subject
    assert "https://clusters.example.eu/accounts/invitation/" in invitation.body
    browser, form_page = accept(accept_link(invitation))
    assert "Enter new password" in form_page.text
    person = User.objects.get(email="marta@cluster-a.example")
    assert person.is_staff and not person.is_superuser and person.first_name == "Marta"
    assert list(person.staffed_clusters.all()) == [cluster_a]

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
    # The editor sees it accepted; the link does not work twice.
    assert "accepted on" in portal_editor_client.get(invite_url(cluster_a)).text
    assert Client().post(accept_link(invitation)).status_code == 410


def test_several_people_edit_the_same_cluster(portal_editor_client, cluster_a, staff_a):
    portal_editor_client.post(invite_url(cluster_a), {"email": "second@cluster-a.example"})
    accept(accept_link(mail.outbox[0]))
    second = User.objects.get(email="second@cluster-a.example")
    assert set(cluster_a.staff.all()) == {staff_a, second}
    for person in (staff_a, second):
        browser = Client()
        browser.force_login(person)
        assert browser.get(f"/admin/profiles/cluster/{cluster_a.pk}/change/").status_code == 200
    page = Client()
    page.force_login(second)
    assert "staff-a" in page.get(f"/admin/profiles/cluster/{cluster_a.pk}/change/").text


def test_someone_with_an_account_accepts_and_logs_in_with_it(
    portal_editor_client, cluster_a, cluster_b, staff_b
):
    portal_editor_client.post(invite_url(cluster_a), {"email": staff_b.email})
    assert set(staff_b.staffed_clusters.all()) == {cluster_b}
    [invitation] = mail.outbox
    _browser, page = accept(accept_link(invitation))
    assert page.redirect_chain[-1][0].startswith("/admin/login/")
    assert "You can now edit “Cluster A”" in page.text
    assert set(staff_b.staffed_clusters.all()) == {cluster_a, cluster_b}
    staff_b.refresh_from_db()
    assert staff_b.has_usable_password()  # unchanged: no reset link for an existing password


def test_inviting_a_superusers_address_gives_the_editor_nothing(
    portal_editor_client, cluster_a, settings
):
    """Mail down or not, the editor never sees a link, and the superuser account is unchanged."""
    root = User.objects.create_superuser("root", "root@portal.example", None)  # no password
    for backend in ("django.core.mail.backends.locmem.EmailBackend",
                    "django.core.mail.backends.smtp.EmailBackend"):
        settings.EMAIL_BACKEND = backend
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
        response = portal_editor_client.post(
            invite_url(cluster_a), {"email": "root@portal.example"}, follow=True
        )
        assert "/accounts/reset/" not in response.text
        assert "/accounts/invitation/" not in response.text
    assert "the e-mail could not be sent" in response.text
    root.refresh_from_db()
    assert not root.has_usable_password()
    assert not cluster_a.staff.exists()
    # Only the mailbox's reader can accept, and accepting does not reset a password either.
    [sent] = mail.outbox
    assert sent.to == ["root@portal.example"]


def test_an_invitation_does_not_make_an_account_staff_until_accepted(
    portal_editor_client, cluster_a
):
    visitor = UserFactory(username="visitor", email="visitor@example.org", is_staff=False)
    portal_editor_client.post(invite_url(cluster_a), {"email": "visitor@example.org"})
    visitor.refresh_from_db()
    assert not visitor.is_staff
    accept(accept_link(mail.outbox[0]))
    visitor.refresh_from_db()
    assert visitor.is_staff and list(visitor.staffed_clusters.all()) == [cluster_a]


def test_a_tampered_or_expired_link_is_refused_with_a_message(
    portal_editor_client, cluster_a, settings
):
    portal_editor_client.post(invite_url(cluster_a), {"email": "late@example.org"})
    link = accept_link(mail.outbox[0])
    tampered = link.replace("/accounts/invitation/", "/accounts/invitation/x")
    response = Client().post(tampered)
    assert response.status_code == 410 and "not valid" in response.text
    settings.SECRET_KEY = "another key"  # as good as expired: the signature no longer holds
    assert Client().get(link).status_code == 410
    assert not User.objects.filter(email="late@example.org").exists()


def test_a_bad_address_gets_a_clear_message(portal_editor_client, cluster_a):
    response = portal_editor_client.post(invite_url(cluster_a), {"email": "not an address"})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.text
    assert not mail.outbox


def test_staff_cannot_invite(staff_a_client, cluster_a):
    response = staff_a_client.post(invite_url(cluster_a), {"email": "friend@example.org"})
    assert response.status_code == 403
    assert not mail.outbox
    UserFactory(username="unrelated")  # staff never see the user list either
    assert staff_a_client.get("/admin/auth/user/").status_code == 403


# The worker closes the database connection after each task, as a long-running process should:
# only a transactional test survives that.
@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_the_worker_sends_the_invitation(
    portal_editor_client, cluster_a, settings
):
    """Production's way: the request only queues the e-mail; `make worker` sends it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    page = portal_editor_client.post(
        invite_url(cluster_a), {"email": "queued@cluster-a.example"}, follow=True
    )
    assert "e-mail waiting to be sent" in page.text
    assert not mail.outbox

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    [sent] = mail.outbox
    assert sent.to == ["queued@cluster-a.example"]
    assert "e-mail sent" in portal_editor_client.get(invite_url(cluster_a)).text


def test_inviting_someone_who_already_edits_the_cluster_says_so(
    portal_editor_client, cluster_a, staff_a
):
    response = portal_editor_client.post(invite_url(cluster_a), {"email": staff_a.email.upper()})
    assert response.status_code == 200
    assert f"{staff_a.email} already edits this cluster." in response.text
    assert not mail.outbox
