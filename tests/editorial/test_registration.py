"""Register your cluster: the public form, the e-mailed link, the editors' decision, the
public profile; and what keeps robots and other people's mailboxes out."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from editorial.models import Registration
from editorial.registration import PRIVACY_NOTICE_VERSION
from profiles.models import Cluster
from tests.factories import ClusterFactory, RegistrationFactory
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
    """The tests send the form at once; one test checks the minimum fill time itself."""
    settings.REGISTRATION_MIN_FILL_SECONDS = 0


def filled(**changes):
    data = {
        "country": "ES", "name": "Andalusian Aerospace Cluster", "city": "Sevilla",
        "website": "https://aerospace.example.org", "official_programme": "",
        "total_members": "40", "sme_members": "25", "large_company_members": "5",
        "research_members": "6", "other_members": "4", "management_fte": "2.5",
        "person_name": "Lucía Romero", "role": "Cluster manager",
        "email": "Lucia@Aerospace.example.org", "consent": "on", "nickname": "",
    }
    data.update(changes)
    return data


def send(browser, path="/register/", **changes):
    """Open the form, check it, send it: as a person would, with the page's signed time."""
    page = browser.get(path)
    shown_at = re.search(r'name="shown_at" value="([^"]+)"', page.text).group(1)
    data = filled(shown_at=shown_at, **changes)
    checked = browser.post(path, {**data, "check": "1"})
    return checked, browser.post(path, {**data, "send": "1"})


def confirm_link(message):
    return re.search(r"https?://[^/\s]+(/(?:es/)?register/confirm/\S+/)", message.body).group(1)


def confirm(link, password=PASSWORD):
    browser = Client()
    page = browser.get(link)
    assert page.status_code == 200, page.text
    return browser.post(link, {"new_password1": password, "new_password2": password},
                        follow=True)


def decide(browser, registration, button, note=""):
    url = f"/admin/editorial/registration/{registration.pk}/change/"
    data = form_data(browser.get(url).text, "registration_form")
    data["decision_note"] = note
    data[button] = "on"
    return browser.post(url, data, follow=True)


def test_the_form_explains_the_criteria_before_anything_is_entered(visitor):
    page = visitor.get("/register/")
    assert page.status_code == 200
    assert "At least 0.5 full-time equivalents" in page.text
    assert "At least 15 committed members" in page.text
    assert "official national or regional cluster programme" in page.text
    assert 'name="csrfmiddlewaretoken"' in page.text
    assert "no-cache" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]


def test_the_form_is_never_served_from_the_page_cache(visitor):
    first, second = visitor.get("/register/"), visitor.get("/register/")
    assert first.headers.get("X-Cache") is None and second.headers.get("X-Cache") is None
    token = re.compile(r'name="shown_at" value="([^"]+)"')
    assert token.search(first.text).group(1) and "csrftoken" in second.cookies


def test_spanish_form_is_served_under_es(visitor):
    page = visitor.get("/es/register/")
    assert page.status_code == 200
    assert '<html lang="es">' in page.text
    assert "Registre su clúster" in page.text
    checked, _sent = send(visitor, path="/es/register/", management_fte="0.3")
    assert "El equipo de gestión suma 0,3 equivalentes" in checked.text


def test_registration_confirmation_approval_and_public_profile(visitor, editors):
    checked, sent = send(visitor)
    assert "The cluster meets the criteria" in checked.text
    assert 'name="send"' in checked.text
    assert "Check your mailbox" in sent.text
    registration = Registration.objects.get()
    assert registration.state == Registration.State.UNCONFIRMED
    assert registration.consent_version == PRIVACY_NOTICE_VERSION
    assert registration.consented_at is not None
    assert registration.email == "lucia@aerospace.example.org"
    # Nothing reaches the editors, nor the site, before the address is confirmed.
    assert editors.get("/admin/editorial/registration/").context["cl"].result_count == 0
    assert not Cluster.objects.exists()

    [message] = mail.outbox
    assert message.to == ["lucia@aerospace.example.org"]
    assert "Andalusian Aerospace Cluster" in message.subject
    done = confirm(confirm_link(message))
    assert "Your e-mail address is confirmed" in done.text

    person = User.objects.get(email="lucia@aerospace.example.org")
    assert person.is_staff and person.is_active and not person.is_superuser
    cluster = Cluster.objects.get(name="Andalusian Aerospace Cluster")
    assert cluster.status == Cluster.Status.IN_REVIEW
    assert cluster.country == "ES" and cluster.city == "Sevilla"
    assert cluster.composition.total_members == 40 and cluster.composition.research_members == 6
    assert list(cluster.staff.all()) == [person]
    # Not public while it waits; its staff go on filling it in the admin.
    assert visitor.get(f"/clusters/{cluster.slug}/").status_code == 404
    staff = Client()
    assert staff.login(username=person.username, password=PASSWORD)
    assert staff.get(f"/admin/profiles/cluster/{cluster.pk}/change/").status_code == 200

    start = editors.get("/admin/").text
    assert "Requests waiting for you:" in start and "1 registration<" in start
    queue = editors.get("/admin/editorial/registration/?state__exact=waiting")
    assert "Andalusian Aerospace Cluster" in queue.text
    review = editors.get(f"/admin/editorial/registration/{registration.pk}/change/")
    assert "✔ met:" in review.text and "✘" not in review.text
    assert f"version {PRIVACY_NOTICE_VERSION}, on" in review.text
    assert 'name="_approve_publish"' in review.text

    mail.outbox.clear()
    decided = decide(editors, registration, "_approve_publish", note="Welcome!")
    assert "Approve and publish — done" in decided.text
    cluster.refresh_from_db()
    assert cluster.status == Cluster.Status.PUBLISHED
    public = visitor.get(f"/clusters/{cluster.slug}/")
    assert public.status_code == 200 and "Andalusian Aerospace Cluster" in public.text
    assert "Lucía Romero" not in public.text and "lucia@" not in public.text
    [decision] = mail.outbox
    assert "is approved" in decision.subject
    assert f"http://testserver/clusters/{cluster.slug}/" in decision.body
    assert "Welcome!" in decision.body


def test_approved_as_a_draft_goes_back_to_its_staff_with_the_note(visitor, editors):
    send(visitor)
    confirm(confirm_link(mail.outbox[0]))
    registration = Registration.objects.get()
    decide(editors, registration, "_approve_draft", note="Add your strategy, please.")
    cluster = Cluster.objects.get()
    assert cluster.status == Cluster.Status.DRAFT
    assert cluster.review_note == "Add your strategy, please."
    assert "Complete the profile in the admin" in mail.outbox[-1].body
    assert visitor.get(f"/clusters/{cluster.slug}/").status_code == 404


def test_a_rejected_registration_leaves_nothing_public_and_the_account_disabled(
    visitor, editors
):
    send(visitor)
    confirm(confirm_link(mail.outbox[0]))
    registration = Registration.objects.get()
    slug = registration.cluster.slug
    refused = decide(editors, registration, "_reject")
    assert "why the request is rejected" in refused.text
    assert Cluster.objects.exists()

    decide(editors, registration, "_reject", note="This is a company, not a cluster.")
    registration.refresh_from_db()
    assert registration.state == Registration.State.REJECTED
    assert not Cluster.objects.exists()
    assert visitor.get(f"/clusters/{slug}/").status_code == 404
    assert "Andalusian" not in visitor.get("/clusters/").text
    person = User.objects.get(email="lucia@aerospace.example.org")
    assert not person.is_active
    assert not Client().login(username=person.username, password=PASSWORD)
    assert "not approved" in mail.outbox[-1].body
    assert "This is a company, not a cluster." in mail.outbox[-1].body


def test_a_miss_is_explained_and_blocks_the_request_without_a_programme(visitor):
    checked, sent = send(visitor, management_fte="0.2", research_members="0",
                         other_members="0")
    assert checked.status_code == 400
    assert "does not meet these criteria" in checked.text
    assert "0.2 full-time equivalents" in checked.text
    assert "All members are of one kind" in checked.text
    # The criteria explained up front are marked too.
    assert checked.text.count("<strong>not met</strong>") == 2
    assert sent.status_code == 400
    assert not Registration.objects.exists() and not mail.outbox


def test_an_official_programme_lets_a_miss_go_to_the_editors(visitor, editors):
    checked, _sent = send(visitor, management_fte="0.2",
                          official_programme="Agrupaciones Empresariales Innovadoras")
    assert "an editor will decide" in checked.text
    registration = Registration.objects.get()
    confirm(confirm_link(mail.outbox[0]))
    review = editors.get(f"/admin/editorial/registration/{registration.pk}/change/")
    assert "✘ not met:" in review.text
    assert "Waived if the official programme" in review.text


def test_members_by_kind_cannot_exceed_the_total(visitor):
    checked, _sent = send(visitor, total_members="20")
    assert "more than the total of 20" in checked.text
    assert not Registration.objects.exists()


def test_a_similar_name_in_the_same_country_is_offered_to_claim(visitor):
    ClusterFactory(name="Andalusia Aerospace Cluster", country="ES")
    ClusterFactory(name="Andalusian Aerospace Cluster", country="PT", slug="pt-aero")
    ClusterFactory(name="Andalusian Aerospace Draft", country="ES", draft=True)
    checked, _sent = send(visitor)
    assert "Is it one of these?" in checked.text
    assert "/register/claim/andalusia-aerospace-cluster/" in checked.text
    assert "pt-aero" not in checked.text  # another country
    assert "Andalusian Aerospace Draft" not in checked.text  # not public


def test_the_review_shows_similar_profiles_of_every_status(visitor, editors):
    draft = ClusterFactory(name="Andalusian Aerospace Cluster Association", draft=True)
    send(visitor)
    confirm(confirm_link(mail.outbox[0]))
    registration = Registration.objects.get()
    review = editors.get(f"/admin/editorial/registration/{registration.pk}/change/")
    assert f"/admin/profiles/cluster/{draft.pk}/change/" in review.text
    assert "(Draft)" in review.text
    assert "(Submitted for review)" not in review.text  # not its own draft


def test_an_expired_or_tampered_link_does_nothing(visitor, settings):
    send(visitor)
    link = confirm_link(mail.outbox[0])
    tampered = link.replace("/confirm/", "/confirm/x")
    page = Client().get(tampered)
    assert page.status_code == 410 and "not valid" in page.text
    assert Client().post(tampered, {"new_password1": PASSWORD,
                                    "new_password2": PASSWORD}).status_code == 410
    settings.REGISTRATION_CONFIRM_DAYS = 0
    expired = Client().post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert expired.status_code == 410 and "expired" in expired.text
    assert not User.objects.exists() and not Cluster.objects.exists()
    assert Registration.objects.get().state == Registration.State.UNCONFIRMED


def test_a_link_for_a_claim_does_not_confirm_a_registration(visitor):
    registration = RegistrationFactory()
    token = signing.dumps(registration.pk, salt="editorial.claim")
    assert Client().get(f"/register/confirm/{token}/").status_code == 410


def test_a_used_link_cannot_be_used_again(visitor):
    send(visitor)
    link = confirm_link(mail.outbox[0])
    confirm(link)
    again = Client().get(link)
    assert again.status_code == 410 and "already been confirmed" in again.text
    pressed_again = Client().post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert pressed_again.status_code == 410
    assert Cluster.objects.count() == 1 and User.objects.count() == 1


def test_a_weak_password_is_refused_and_nothing_is_made(visitor):
    send(visitor)
    link = confirm_link(mail.outbox[0])
    page = Client().post(link, {"new_password1": "short", "new_password2": "short"})
    assert page.status_code == 400 and "too short" in page.text
    assert not User.objects.exists() and not Cluster.objects.exists()


def test_the_honeypot_stores_nothing_but_looks_like_success(visitor):
    _checked, sent = send(visitor, nickname="Buy cheap watches")
    assert "Check your mailbox" in sent.text
    assert not Registration.objects.exists() and not mail.outbox


def test_a_form_sent_back_too_fast_is_refused(visitor, settings):
    settings.REGISTRATION_MIN_FILL_SECONDS = 60
    checked, sent = send(visitor)
    assert "faster than a person can fill it in" in sent.text
    assert not Registration.objects.exists()


def test_a_forged_form_time_is_refused(visitor):
    response = visitor.post("/register/", {**filled(shown_at="123"), "send": "1"})
    assert response.status_code == 400 and "open for too long" in response.text
    assert not Registration.objects.exists()


def test_the_sixth_request_from_one_address_in_an_hour_stores_nothing(visitor):
    for n in range(5):
        _checked, sent = send(visitor, email=f"person{n}@example.org", name=f"Cluster {n}")
        assert sent.status_code == 200
    _checked, sixth = send(visitor, email="sixth@example.org")
    assert sixth.status_code == 429 and "Try again in an hour" in sixth.text
    assert Registration.objects.count() == 5
    assert not Registration.objects.filter(email="sixth@example.org").exists()
    # Another address is not held up.
    other = Client(REMOTE_ADDR="192.0.2.7")
    _checked, sent = send(other, email="other@example.org")
    assert sent.status_code == 200


def test_unconfirmed_requests_expire_and_are_deleted(settings):
    settings.REGISTRATION_CONFIRM_DAYS = 3
    old = RegistrationFactory(created=timezone.now() - timezone.timedelta(days=4))
    fresh = RegistrationFactory()
    confirmed = RegistrationFactory(state=Registration.State.WAITING,
                                    created=timezone.now() - timezone.timedelta(days=10))
    call_command("delete_unconfirmed_requests", stdout=open("/dev/null", "w"))
    assert set(Registration.objects.all()) == {fresh, confirmed}
    assert not Registration.objects.filter(pk=old.pk).exists()


def test_the_email_is_written_in_the_forms_language(visitor):
    send(visitor, path="/es/register/")
    [message] = mail.outbox
    assert "/es/register/confirm/" in message.body
    assert "Confirme" in message.subject


def test_the_directory_and_footer_link_to_the_form(visitor):
    ClusterFactory()
    page = visitor.get("/clusters/")
    assert page.text.count('href="/register/"') >= 2
