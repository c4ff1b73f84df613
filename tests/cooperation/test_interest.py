"""Express interest and Contact this cluster: a visitor writes to a cluster through the portal;
the message reaches that cluster's staff (and no one else) by e-mail, the sender gets a copy,
robots and floods are kept out, and staff read only their own cluster's inbox."""

import datetime
import io
import json
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cooperation.models import InterestMessage
from tests.factories import (
    ClusterFactory,
    CooperationOfferFactory,
    InterestMessageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SENDER = "Marie.Dubois@Lab.example.org"


@pytest.fixture(autouse=True)
def quick_forms(settings):
    settings.INTEREST_MIN_FILL_SECONDS = 0


@pytest.fixture
def porto():
    """A published cluster with two staff, an open offer, and an inactive former colleague."""
    cluster = ClusterFactory(name="Porto Maritime Centre")
    for name in ("joana", "rui"):
        cluster.staff.add(UserFactory(username=name, email=f"{name}@porto.example.org"))
    cluster.staff.add(UserFactory(username="gone", email="gone@porto.example.org",
                                  is_active=False))
    return cluster


@pytest.fixture
def offer(porto):
    return CooperationOfferFactory(cluster=porto, title="Partners for a port robotics project")


def write(browser, path, **changes):
    page = browser.get(path)
    assert page.status_code == 200
    shown_at = re.search(r'name="shown_at" value="([^"]+)"', page.text).group(1)
    data = {"sender_name": "Marie Dubois", "organisation": "Lyon Mobility Lab",
            "country": "FR", "email": SENDER,
            "message": "We build harbour drones and would like to join.",
            "consent": "on", "nickname": "", "shown_at": shown_at, **changes}
    return browser.post(path, data)


def offer_path(offer, language=""):
    return f"{language}/cooperation-offers/{offer.slug}/interest/"


def contact_path(cluster, language=""):
    return f"{language}/clusters/{cluster.slug}/contact/"


# --- Sending --------------------------------------------------------------------------------


def test_a_visitor_expresses_interest_in_an_offer_and_its_cluster_staff_get_it(
    visitor, offer, porto
):
    other = ClusterFactory(name="Basque Energy Cluster")
    other.staff.add(UserFactory(username="iker", email="iker@basque.example.org"))
    CooperationOfferFactory(cluster=other, title="Secret Basque plan")

    response = write(visitor, offer_path(offer))

    assert response.status_code == 200
    assert "Your message is on its way" in response.text
    message = InterestMessage.objects.get()
    assert (message.cluster, message.offer, message.email, message.language) == (
        porto, offer, SENDER.lower(), "en")
    to_staff, copy = mail.outbox
    assert sorted(to_staff.to) == ["joana@porto.example.org", "rui@porto.example.org"]
    assert to_staff.reply_to == [SENDER.lower()]
    assert "Partners for a port robotics project" in to_staff.subject
    for text in ["Marie Dubois", "Lyon Mobility Lab", "France", SENDER.lower(),
                 "We build harbour drones",
                 f"http://testserver/admin/cooperation/interestmessage/{message.pk}/change/"]:
        assert text in to_staff.body, text
    # Nothing from another cluster: its name, its offers, its staff.
    for text in ["Basque", "iker@"]:
        assert text not in to_staff.body + to_staff.subject + " ".join(to_staff.to)
    assert copy.to == [SENDER.lower()]
    assert "We build harbour drones" in copy.body
    assert "porto.example.org" not in copy.body + " ".join(copy.to + copy.cc + copy.bcc)


def test_a_visitor_writes_from_a_profile_and_gets_a_spanish_copy_from_the_spanish_page(
    visitor, porto
):
    profile = visitor.get(porto.get_absolute_url())
    assert f'href="/clusters/{porto.slug}/contact/"' in profile.text
    assert "@porto.example.org" not in profile.text  # no staff address on the public page

    response = write(visitor, contact_path(porto, "/es"), message="Hola, ¿colaboramos?")

    assert response.status_code == 200
    assert "Su mensaje está en camino" in response.text
    message = InterestMessage.objects.get()
    assert message.offer is None and message.language == "es"
    to_staff, copy = mail.outbox
    assert "A message from Lyon Mobility Lab" == to_staff.subject  # the portal's language
    assert copy.subject == "Su mensaje a Porto Maritime Centre"
    assert "Hola, ¿colaboramos?" in copy.body


def test_every_input_has_a_label_and_mistakes_are_named(visitor, offer):
    page = visitor.get(offer_path(offer))
    for name in ["sender_name", "organisation", "country", "email", "message", "consent"]:
        assert f'for="id_{name}"' in page.text, name
    response = write(visitor, offer_path(offer), email="not an address", consent="",
                     message="x" * 3001)
    assert response.status_code == 400
    assert "Enter a valid email address." in response.text
    assert "Agree to pass your details on to send the message." in response.text
    assert "Ensure this value has at most 3000 characters (it has 3001)." in response.text
    assert 'aria-describedby="id_email_error id_email_helptext"' in response.text
    assert not InterestMessage.objects.exists() and mail.outbox == []


def test_line_breaks_in_a_name_cannot_add_mail_headers(visitor, offer):
    response = write(visitor, offer_path(offer), organisation="Lab\r\nBcc: all@example.org",
                     sender_name="Marie\nDubois")
    assert response.status_code == 200
    message = InterestMessage.objects.get()
    assert (message.organisation, message.sender_name) == ("Lab Bcc: all@example.org",
                                                           "Marie Dubois")
    to_staff, _copy = mail.outbox
    assert to_staff.bcc == [] and "\n" not in to_staff.subject


def test_drafts_unknown_offers_and_unpublished_clusters_cannot_be_written_to(visitor, porto):
    draft = CooperationOfferFactory(cluster=porto, draft=True)
    hidden = ClusterFactory(name="Hidden Cluster", draft=True)
    assert visitor.get(offer_path(draft)).status_code == 404
    assert visitor.get("/cooperation-offers/no-such-offer/interest/").status_code == 404
    assert visitor.get(contact_path(hidden)).status_code == 404


def test_a_closed_offer_points_to_the_cluster_instead(visitor, porto):
    closed = CooperationOfferFactory(cluster=porto, closed=True)
    past = CooperationOfferFactory(cluster=porto,
                                   deadline=timezone.localdate() - datetime.timedelta(1))
    for offer in (closed, past):
        page = visitor.get(offer_path(offer))
        assert page.status_code == 410
        assert f'href="/clusters/{porto.slug}/contact/"' in page.text
        assert visitor.post(offer_path(offer), {}).status_code == 410
    assert not InterestMessage.objects.exists()


# --- Robots and floods ----------------------------------------------------------------------


def test_a_filled_honeypot_looks_sent_but_nothing_is_stored_or_sent(visitor, offer):
    response = write(visitor, offer_path(offer), nickname="buy-now")
    assert response.status_code == 200 and "Your message is on its way" in response.text
    assert not InterestMessage.objects.exists() and mail.outbox == []


def test_a_form_sent_back_too_fast_is_refused_with_a_message(visitor, offer, settings):
    settings.INTEREST_MIN_FILL_SECONDS = 60
    response = write(visitor, offer_path(offer))
    assert response.status_code == 400
    assert "faster than a person can fill it in" in response.text
    assert not InterestMessage.objects.exists() and mail.outbox == []


def test_the_sixth_message_in_an_hour_from_one_address_is_neither_stored_nor_sent(
    visitor, offer, porto
):
    other = ClusterFactory(name="Basque Energy Cluster")
    for number in range(5):
        target = offer_path(offer) if number % 2 else contact_path(other)
        assert write(visitor, target, message=f"Message {number}").status_code == 200
    assert InterestMessage.objects.count() == 5
    sent = len(mail.outbox)

    response = write(visitor, contact_path(porto), message="Message 6")

    assert response.status_code == 429
    assert "Too many messages" in response.text
    assert InterestMessage.objects.count() == 5 and len(mail.outbox) == sent
    # Another address still gets through.
    elsewhere = Client(REMOTE_ADDR="198.51.100.9")
    assert write(elsewhere, contact_path(porto)).status_code == 200


def test_behind_proxies_the_limit_counts_the_senders_address(settings, porto):
    # What cluster_portal/settings.py makes of PROXY_COUNT=1 (nginx in front): the limit reads
    # the address as the login lock-out and the API's rate limit do.
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    settings.IPWARE_STRICT = False
    other = ClusterFactory(name="Basque Energy Cluster")
    for number in range(6):  # a sender making up addresses in front is still one sender
        proxy = Client(REMOTE_ADDR="127.0.0.1",
                       HTTP_X_FORWARDED_FOR=f"10.9.9.{number}, 81.2.69.160")
        response = write(proxy, contact_path(other if number % 2 else porto),
                         message=f"Message {number}")
    assert response.status_code == 429
    elsewhere = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="84.200.69.80")
    assert write(elsewhere, contact_path(porto)).status_code == 200


def test_a_cluster_receives_at_most_so_many_messages_an_hour_from_all_addresses(
    porto, settings
):
    settings.INTEREST_MESSAGES_PER_CLUSTER_PER_HOUR = 3
    for number in range(3):
        browser = Client(REMOTE_ADDR=f"198.51.100.{number + 1}")
        assert write(browser, contact_path(porto)).status_code == 200
    response = write(Client(REMOTE_ADDR="198.51.100.50"), contact_path(porto))
    assert response.status_code == 429
    assert InterestMessage.objects.count() == 3
    # Other clusters are not affected.
    other = ClusterFactory(name="Basque Energy Cluster")
    assert write(Client(REMOTE_ADDR="198.51.100.51"), contact_path(other)).status_code == 200


# --- The staff's inbox ----------------------------------------------------------------------

INBOX = "/admin/cooperation/interestmessage/"


@pytest.fixture
def messages_a_and_b(cluster_a, cluster_b, staff_a, staff_b):
    return (InterestMessageFactory(cluster=cluster_a, organisation="Lisbon Ports Lab"),
            InterestMessageFactory(cluster=cluster_b, organisation="Bilbao Robotics"))


def test_staff_see_only_their_own_clusters_messages(messages_a_and_b, staff_a_client):
    mine, theirs = messages_a_and_b
    inbox = staff_a_client.get(INBOX)
    assert inbox.status_code == 200
    assert "Lisbon Ports Lab" in inbox.text and "Bilbao Robotics" not in inbox.text
    page = staff_a_client.get(f"{INBOX}{mine.pk}/change/")
    assert page.status_code == 200 and mine.message in page.text and mine.email in page.text
    for url in [f"{INBOX}{theirs.pk}/change/", f"{INBOX}{theirs.pk}/history/",
                f"{INBOX}{theirs.pk}/delete/"]:
        assert staff_a_client.get(url).status_code == 404, url


def test_staff_mark_their_message_answered_but_cannot_change_what_the_sender_wrote(
    messages_a_and_b, staff_a, staff_a_client
):
    mine, _theirs = messages_a_and_b
    url = f"{INBOX}{mine.pk}/change/"
    response = staff_a_client.post(url, {"_answered": "1", "message": "Rewritten",
                                         "email": "someone@else.example.org"}, follow=True)
    assert response.status_code == 200 and "is marked answered" in response.text
    mine.refresh_from_db()
    assert mine.answered_by == staff_a and mine.answered_at is not None
    assert mine.message == "We would like to join your project on smart mobility."
    assert mine.email.endswith("@lab.example.org")
    staff_a_client.post(url, {"_unanswered": "1"})
    mine.refresh_from_db()
    assert mine.answered_at is None
    assert staff_a_client.get(f"{INBOX}add/").status_code == 403


def test_staff_of_another_cluster_cannot_mark_a_message_answered(
    messages_a_and_b, staff_b_client
):
    mine, _theirs = messages_a_and_b
    assert staff_b_client.post(f"{INBOX}{mine.pk}/change/",
                               {"_answered": "1"}).status_code == 404
    staff_b_client.post(INBOX, {"action": "mark_answered", "_selected_action": [mine.pk]})
    mine.refresh_from_db()
    assert mine.answered_at is None


def test_the_inbox_action_marks_the_selected_messages_answered(
    messages_a_and_b, staff_a_client, cluster_a
):
    mine, theirs = messages_a_and_b
    another = InterestMessageFactory(cluster=cluster_a)
    staff_a_client.post(INBOX, {"action": "mark_answered",
                                "_selected_action": [mine.pk, another.pk, theirs.pk]})
    answered = set(InterestMessage.objects.filter(answered_at__isnull=False)
                   .values_list("pk", flat=True))
    assert answered == {mine.pk, another.pk}


def test_the_staff_start_page_counts_their_unanswered_messages_only(
    messages_a_and_b, staff_a_client, cluster_a, cluster_b
):
    InterestMessageFactory(cluster=cluster_a)
    InterestMessageFactory.create_batch(3, cluster=cluster_b)
    start = staff_a_client.get("/admin/")
    assert "2 messages not yet answered" in start.text
    assert f'href="{INBOX}?answered=no"' in start.text
    inbox = staff_a_client.get(INBOX, {"answered": "no"})
    assert "2 messages from visitors" in inbox.text


def test_editors_see_counts_per_cluster_and_read_messages_without_answering(
    messages_a_and_b, portal_editor_client, staff_a_client, cluster_a
):
    mine, _theirs = messages_a_and_b
    now = timezone.now()
    InterestMessageFactory(cluster=cluster_a, created_at=now - datetime.timedelta(1),
                           answered_at=now)
    counts = portal_editor_client.get(f"{INBOX}counts/")
    assert counts.status_code == 200
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td><td>(\d+)</td>',
                      counts.text)
    assert rows == [("Cluster A", "2", "1"), ("Cluster B", "1", "1")]
    assert staff_a_client.get(f"{INBOX}counts/").status_code == 403
    page = portal_editor_client.get(f"{INBOX}{mine.pk}/change/")
    assert page.status_code == 200 and 'name="_answered"' not in page.text
    portal_editor_client.post(f"{INBOX}{mine.pk}/change/", {"_answered": "1"})
    mine.refresh_from_db()
    assert mine.answered_at is None


# --- Data protection ------------------------------------------------------------------------


def test_messages_past_their_retention_are_purged(settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = {**settings.PERSONAL_DATA_RETENTION_DAYS,
                                             "messages": 365}
    now = timezone.now()
    old = InterestMessageFactory(created_at=now - datetime.timedelta(400))
    recent = InterestMessageFactory(created_at=now - datetime.timedelta(30))
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "Messages to clusters (express interest, contact): deleted 1" in out.getvalue()
    assert list(InterestMessage.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not InterestMessage.objects.filter(pk=old.pk).exists()


def test_the_personal_data_page_finds_exports_and_erases_a_senders_messages(
    editor_client, offer
):
    InterestMessageFactory(cluster=offer.cluster, offer=offer, email=SENDER.lower(),
                           sender_name="Marie Dubois")
    InterestMessageFactory(email="someone@else.example.org")
    url = "/admin/personal-data/"
    page = editor_client.post(url, {"email": SENDER, "find": ""})
    assert "Messages to clusters (express interest, contact) (1)" in page.text
    records = json.loads(editor_client.post(url, {"email": SENDER, "export": ""}).content)[
        "records"]
    [exported] = records["Messages to clusters (express interest, contact)"]
    assert exported["offer"] == "Partners for a port robotics project"
    assert exported["name"] == "Marie Dubois"
    editor_client.post(url, {"email": SENDER, "erase": "", "confirm": "on"})
    assert list(InterestMessage.objects.values_list("email", flat=True)) == [
        "someone@else.example.org"]


def test_with_a_worker_the_queue_holds_the_messages_id_and_nothing_the_sender_wrote(
    visitor, offer, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert write(visitor, offer_path(offer)).status_code == 200
    [queued] = DBTaskResult.objects.all()
    message = InterestMessage.objects.get()
    assert queued.task_path.endswith("deliver_interest_message")
    assert queued.args_kwargs == {"args": [message.pk], "kwargs": {}}
    assert mail.outbox == []  # sent by the worker, later


def test_the_privacy_notice_mentions_the_messages(visitor):
    page = visitor.get("/register/privacy/")
    assert "Messages to a cluster" in page.text
    assert "The portal deletes each message 730 days after it was sent" in page.text
