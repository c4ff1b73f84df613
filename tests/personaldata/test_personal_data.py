"""One person's data: editors find it by e-mail address, export it, erase it everywhere.

The erasure test checks every text column of every table itself, without asking the
registry: an app that stores the address somewhere new and registers nothing fails it.
"""

import datetime
import io
import json

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from editorial.models import Claim, Invitation, Registration
from editorial.password_reset import send_password_reset
from opendata.models import ImportRun
from personaldata.models import Request
from profiles.models import Contact
from tests.factories import (
    ClaimFactory,
    ClusterFactory,
    ContactFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ADDRESS = "Ana.Ruiz@example.org"
URL = "/admin/personal-data/"


@pytest.fixture
def ana(cluster_a, editor, settings, client):
    """Ana, the manager of cluster A, in every place the portal keeps people's data."""
    contact = ContactFactory(cluster=cluster_a, name="Ana Ruiz", email=ADDRESS,
                             phone_numbers="+34600111222", public_consent=True)
    contact.name = "Ana Ruiz Pérez"
    contact.save()  # a second version in the history
    gone = ContactFactory(cluster=ClusterFactory(name="Old Cluster"), name="Ana R.",
                          email=ADDRESS.lower(), public_consent=False)
    gone.delete()  # only the history has it now
    user = UserFactory(username="aruiz", email=ADDRESS, first_name="Ana", last_name="Ruiz")
    cluster_a.staff.add(user)
    invitation = Invitation.objects.create(cluster=cluster_a, email=ADDRESS, invited_by=editor)
    LogEntry.objects.create(
        user=editor, content_type=ContentType.objects.get_for_model(Invitation),
        object_id=str(invitation.pk), object_repr=str(invitation), action_flag=ADDITION,
    )
    now = timezone.now()
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        fields = {"failures_since_start": 1} if model is AccessAttempt else {}
        model.objects.create(username="aruiz", ip_address="192.0.2.7", user_agent="Firefox",
                             path_info="/admin/login/", attempt_time=now, **fields)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.post("/admin/password_reset/", {"email": ADDRESS})  # queued, never sent
    cluster_a.why_choose_us = f"<p>Write to {ADDRESS.upper()} for visits.</p>"
    cluster_a.save()
    ImportRun.objects.create(started_by=editor, file_name="clusters.csv",
                             report={"problems": [f"row 3: {ADDRESS} is already a contact"]})
    return user


def find(browser):
    return browser.post(URL, {"email": ADDRESS, "find": ""})


def tables_mentioning(address):
    """(table, column) of every text column, in every table, that holds the address."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField | models.JSONField):
                continue
            rows = model._default_manager.annotate(
                _text=Cast(field.name, models.TextField())
            ).filter(_text__icontains=address)
            if rows.exists():
                found.append((model._meta.db_table, field.column))
    return found


def test_the_editor_finds_every_record_about_the_address(ana, editor_client):
    page = find(editor_client)
    assert page.status_code == 200
    for heading in [
        "Management team contacts (1)",
        "Change history of management team contacts (4)",  # 2 versions of each
        "Accounts (cluster staff and editors) (1)",
        "Invitations to edit a cluster (1)",
        "Logins (1)", "Failed logins (1)", "Repeated failed logins (lock-outs) (1)",
        "E-mails queued or sent (invitations, password resets) (1)",
        "Entries of the admin&#x27;s log (1)",
        "Other texts that mention the address (",
    ]:
        assert heading in page.text, heading
    assert "Ana Ruiz Pérez (Cluster Manager, Cluster A)" in page.text
    assert "Deleted: Ana R. (Cluster Manager, Old Cluster)" in page.text


def test_the_access_export_holds_every_record_the_search_finds(ana, editor_client):
    response = editor_client.post(URL, {"email": ADDRESS, "export": ""})
    assert response["Content-Disposition"] == 'attachment; filename="personal-data.json"'
    document = json.loads(response.content)
    records = document["records"]
    assert document["email"] == ADDRESS
    assert records["Management team contacts"] == [{
        "cluster": "Cluster A", "role": "Cluster Manager", "name": "Ana Ruiz Pérez",
        "email": ADDRESS, "phone_numbers": ["+34600111222"], "agreed_to_publication": True,
    }]
    history = records["Change history of management team contacts"]
    assert [(v["change"], v["name"], v["cluster"]) for v in history] == [
        ("Created", "Ana Ruiz", "Cluster A"), ("Changed", "Ana Ruiz Pérez", "Cluster A"),
        ("Created", "Ana R.", "Old Cluster"), ("Deleted", "Ana R.", "Old Cluster"),
    ]
    [account] = records["Accounts (cluster staff and editors)"]
    assert account["username"] == "aruiz" and account["edits_clusters"] == ["Cluster A"]
    assert records["Logins"][0]["ip_address"] == "192.0.2.7"
    assert records["E-mails queued or sent (invitations, password resets)"][0]["task"] == \
        "send_password_reset"
    mentions = records["Other texts that mention the address"]
    assert {m["table"] for m in mentions} >= {"cluster", "import"}
    # As many records as the search page lists, kind by kind.
    [request] = Request.objects.all()
    assert request.kind == "access"
    assert request.counts == {label: len(items) for label, items in records.items()}
    assert ADDRESS.lower() not in json.dumps(request.counts).lower()


def test_erasure_leaves_no_trace_of_the_address_in_any_table_history_included(
    ana, editor_client, editor, visitor, cluster_a
):
    assert tables_mentioning(ADDRESS)  # the test sees the address before
    response = editor_client.post(URL, {"email": ADDRESS, "erase": "", "confirm": "on"},
                                  follow=True)
    assert "Erased: " in response.text and "Management team contacts (1)" in response.text

    assert tables_mentioning(ADDRESS) == []
    assert tables_mentioning("Ana Ruiz") == []  # names in the history went with it
    assert tables_mentioning("aruiz") == []  # and the old user name
    # The profile keeps the role; the account cannot log in or edit any more.
    contact = Contact.objects.get(cluster=cluster_a)
    assert (contact.role, contact.name, contact.email, contact.phone_numbers) == \
        ("Cluster Manager", "", "", "")
    ana.refresh_from_db()
    assert not ana.is_active and not ana.has_usable_password()
    assert not cluster_a.staff.exists()
    assert not Invitation.objects.exists() and not DBTaskResult.objects.exists()
    # The erasure itself is recorded, with counts only.
    [request] = Request.objects.all()
    assert (request.kind, request.handled_by) == ("erasure", editor)
    assert request.counts["Invitations to edit a cluster"] == 1
    # Searching again finds nothing; the page says so.
    assert "The portal holds nothing about this address." in find(editor_client).text


def test_erasure_needs_the_editor_to_confirm(ana, editor_client):
    response = editor_client.post(URL, {"email": ADDRESS, "erase": ""})
    assert response.status_code == 200
    assert "Tick the box to confirm the erasure." in response.text
    assert Contact.objects.filter(email=ADDRESS).exists()
    assert not Request.objects.exists()


def test_editors_of_the_group_may_use_the_page_cluster_staff_and_visitors_may_not(
    ana, portal_editor_client, staff_a_client, visitor
):
    assert portal_editor_client.get(URL).status_code == 200
    assert find(portal_editor_client).status_code == 200
    assert staff_a_client.get(URL).status_code == 403
    for action in ("find", "export", "erase"):
        response = staff_a_client.post(URL, {"email": ADDRESS, action: "", "confirm": "on"})
        assert response.status_code == 403
    assert visitor.get(URL)["Location"] == "/admin/login/?next=/admin/personal-data/"
    assert visitor.post(URL, {"email": ADDRESS, "erase": "", "confirm": "on"}
                        ).status_code == 302
    assert Contact.objects.filter(email=ADDRESS).exists()
    assert get_user_model().objects.filter(username="aruiz", is_active=True).exists()


def test_the_admin_start_page_links_editors_to_it(editor_client, staff_a_client):
    assert URL in editor_client.get("/admin/").text
    assert URL not in staff_a_client.get("/admin/").text


def test_a_malformed_address_gets_a_message(editor_client):
    page = editor_client.post(URL, {"email": "not an address", "erase": ""})
    assert page.status_code == 200
    assert "Enter a valid email address." in page.text


# --- Retention --------------------------------------------------------------------------------


def test_purge_deletes_login_records_and_finished_tasks_past_their_retention(settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = {**settings.PERSONAL_DATA_RETENTION_DAYS,
                                             "access_logs": 30, "task_results": 7}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    now = timezone.now()
    for days in (29, 31):
        log = AccessLog.objects.create(username=f"u{days}", ip_address="192.0.2.1",
                                       user_agent="x", path_info="/")
        # attempt_time is set on create; the test dates it afterwards.
        AccessLog.objects.filter(pk=log.pk).update(
            attempt_time=now - datetime.timedelta(days))
    for days in (6, 8):
        send_password_reset.enqueue(f"t{days}@example.org")
    DBTaskResult.objects.filter(args_kwargs__args=["t8@example.org"]).update(
        finished_at=now - datetime.timedelta(8), status="SUCCESSFUL")
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "Logins: deleted 1 older than 30 days" in out.getvalue()
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["u29"]
    assert [r.args_kwargs["args"] for r in DBTaskResult.objects.all()] == [["t6@example.org"]]


def test_registrations_and_claims_are_found_exported_erased_and_kept_only_for_a_while(
    editor_client, settings
):
    RegistrationFactory(email=ADDRESS, person_name="Ana Ruiz", name="Costa Maritime Cluster")
    ClaimFactory(email=ADDRESS.lower(), person_name="Ana Ruiz",
                 cluster=ClusterFactory(name="Cluster B"), message=f"Write to {ADDRESS}.")
    page = find(editor_client)
    assert "Registration requests (1)" in page.text and "Claims of profiles (1)" in page.text
    records = json.loads(editor_client.post(URL, {"email": ADDRESS, "export": ""}).content)[
        "records"]
    assert records["Registration requests"][0]["name"] == "Ana Ruiz"
    assert records["Claims of profiles"][0]["cluster"] == "Cluster B"

    response = editor_client.post(URL, {"email": ADDRESS, "erase": "", "confirm": "on"})
    assert response.status_code in (200, 302)
    assert not Registration.objects.exists() and not Claim.objects.exists()
    assert tables_mentioning(ADDRESS.lower()) == []

    # Decided requests go after the retention period; one still waiting for an editor stays.
    settings.PERSONAL_DATA_RETENTION_DAYS = {**settings.PERSONAL_DATA_RETENTION_DAYS,
                                             "registration_requests": 365}
    now = timezone.now()
    old, recent, waiting = RegistrationFactory.create_batch(3)
    Registration.objects.filter(pk=old.pk).update(decided_at=now - datetime.timedelta(400))
    Registration.objects.filter(pk=recent.pk).update(decided_at=now - datetime.timedelta(30))
    call_command("purge_personal_data", stdout=io.StringIO())
    assert set(Registration.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}


# --- Consent to publication -----------------------------------------------------------------


def test_contact_address_and_phones_are_public_only_where_the_person_agreed(visitor):
    cluster = ClusterFactory(name="Consent Cluster")
    ContactFactory(cluster=cluster, role="Cluster Manager", name="Eva Agreed",
                   email="eva@example.org", phone_numbers="+34600111222")
    ContactFactory(cluster=cluster, role="Project Manager", name="Luis Private",
                   email="luis@example.org", phone_numbers="+34600333444",
                   public_consent=False)
    page = visitor.get(cluster.get_absolute_url()).text
    assert "eva@example.org" in page and "+34 600 11 12 22" in page
    assert "Luis Private" in page and "Project Manager" in page
    assert "luis@example.org" not in page and "600 33 34 44" not in page
    data = visitor.get(f"/clusters/{cluster.slug}/profile.json").json()
    assert [(c["name"], c["email"], c["phone_numbers"]) for c in data["cluster"]["contacts"]] \
        == [("Eva Agreed", "eva@example.org", ["+34600111222"]), ("Luis Private", "", [])]


def test_a_new_contact_starts_unpublished_and_the_admin_can_tick_it(editor_client):
    assert Contact._meta.get_field("public_consent").default is False
    assert "public_consent" in editor_client.get(
        f"/admin/profiles/cluster/{ClusterFactory().pk}/change/").text
