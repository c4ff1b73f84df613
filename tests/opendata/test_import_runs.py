"""Imports from the admin run as background tasks: stored upload, status page, report."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command

from opendata.models import ImportRun
from opendata.tasks import run_import
from profiles.models import Cluster
from tests.factories import SuperuserFactory
from tests.opendata.test_import_clusters import _upload, admin_import, csv_text

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/profiles/cluster/import/"


def stored_files():
    return sorted(p.name for p in settings.IMPORT_ROOT.glob("*")) if settings.IMPORT_ROOT.exists() \
        else []


def test_an_admin_import_is_recorded_and_its_upload_deleted_once_run(editor_client, editor):
    before = stored_files()
    response = admin_import(editor_client, _upload(csv_text(["one", "One", "ES", ""]), "mine.csv"))
    run = ImportRun.objects.get()
    assert response.redirect_chain == [(f"{IMPORT_URL}{run.pk}/", 302)]
    assert (run.started_by, run.file_name, run.dry_run, run.state) == (
        editor, "mine.csv", False, ImportRun.State.DONE
    )
    assert (run.rows_done, run.rows_total) == (1, 1)
    assert run.report["created"] == ["one"]
    assert not run.file
    assert stored_files() == before
    # Finished: the page no longer reloads itself.
    assert 'http-equiv="refresh"' not in response.text
    assert "Created 1, updated 0, left 0 unchanged." in response.text


def test_uploads_wait_outside_the_public_media_folder():
    location = ImportRun._meta.get_field("file").storage.path("x")
    assert not location.startswith(str(settings.MEDIA_ROOT))
    assert location.startswith(str(settings.IMPORT_ROOT))


def test_a_waiting_import_page_reloads_itself_without_script(editor_client, editor):
    run = ImportRun.objects.create(started_by=editor, file_name="big.csv")
    page = editor_client.get(f"{IMPORT_URL}{run.pk}/").text
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "The import waits for a worker to start it." in page
    assert f'<a href="{IMPORT_URL}{run.pk}/">Refresh</a>' in page
    ImportRun.objects.filter(pk=run.pk).update(state="running", rows_done=400, rows_total=108000)
    page = editor_client.get(f"{IMPORT_URL}{run.pk}/").text
    assert "400 of 108000 rows done." in page
    assert '<meta http-equiv="refresh"' in page


def test_the_import_page_lists_the_recent_imports(editor_client):
    admin_import(editor_client, _upload(csv_text(["x", "X", "ES", "Nope"]), "bad.csv"))
    admin_import(editor_client, _upload("", "empty.json"))  # refused by the form: no run
    admin_import(editor_client, _upload("[]", "list.json"))
    page = editor_client.get(IMPORT_URL).text
    runs = list(ImportRun.objects.all())
    assert [run.file_name for run in runs] == ["list.json", "bad.csv"]
    for run in runs:
        assert f'href="{IMPORT_URL}{run.pk}/"' in page
    assert "1 problem(s) found; nothing was imported." in page
    assert "The JSON holds no “clusters” list" in page


def test_a_run_that_stops_on_an_unexpected_error_says_so(editor_client, editor):
    run = ImportRun.objects.create(started_by=editor, file_name="gone.csv", file="missing")
    run_import.enqueue(run.pk)
    run.refresh_from_db()
    assert run.state == ImportRun.State.FAILED
    page = editor_client.get(f"{IMPORT_URL}{run.pk}/").text
    assert "The import could not run; nothing was written." in page
    assert "The import stopped on an unexpected error" in page


def test_a_run_is_run_once_only(editor, editor_client):
    admin_import(editor_client, _upload(csv_text(["one", "One", "ES", ""])))
    run = ImportRun.objects.get()
    Cluster.objects.all().delete()
    run_import.enqueue(run.pk)  # delivered twice: the second finds it done
    assert not Cluster.objects.exists()


def test_cluster_staff_can_neither_start_nor_see_imports(staff_a_client, editor):
    run = ImportRun.objects.create(started_by=editor, file_name="secret.csv")
    assert staff_a_client.get(IMPORT_URL).status_code == 403
    response = staff_a_client.post(
        IMPORT_URL, {"file": _upload(csv_text(["x", "X", "ES", ""])), "status": "published"}
    )
    assert response.status_code == 403
    assert ImportRun.objects.count() == 1
    assert staff_a_client.get(f"{IMPORT_URL}{run.pk}/").status_code == 403
    assert staff_a_client.get(f"{IMPORT_URL}999999/").status_code == 403


def test_an_editor_sees_404_for_an_import_that_does_not_exist(editor_client):
    assert editor_client.get(f"{IMPORT_URL}999999/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_an_import_waits_for_the_worker(settings, client):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(SuperuserFactory(username="queue-editor"))
    upload = csv_text(["queued", "Queued Cluster", "ES", ""], ["later", "Later", "PT", ""])

    response = admin_import(client, _upload(upload, "queued.csv"))
    run = ImportRun.objects.get()
    assert run.state == ImportRun.State.WAITING
    assert "The import waits for a worker to start it." in response.text
    assert '<meta http-equiv="refresh"' in response.text
    # The upload waits under a random name of its own, outside the media folder.
    assert re.fullmatch(r"[0-9a-f]{32}", run.file.name)
    assert run.file.path.startswith(str(settings.IMPORT_ROOT))
    assert not Cluster.objects.exists()

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    run.refresh_from_db()
    assert (run.state, run.rows_done, run.rows_total) == (ImportRun.State.DONE, 2, 2)
    assert not run.file and not ImportRun._meta.get_field("file").storage.exists(
        response.context["run"].file.name
    )
    page = client.get(f"{IMPORT_URL}{run.pk}/").text
    assert "Created 2, updated 0, left 0 unchanged." in page
    assert '<meta http-equiv="refresh"' not in page
    assert set(Cluster.objects.values_list("slug", flat=True)) == {"queued", "later"}


def test_the_history_says_who_imported_what_from_which_file(editor_client, editor):
    admin_import(editor_client, _upload(csv_text(["one", "One", "ES", ""]), "partners 2026.csv"))
    cluster = Cluster.objects.get(slug="one")

    history = editor_client.get(f"/admin/profiles/cluster/{cluster.pk}/history/").text

    assert "(Imported from partners 2026.csv)" in history
    assert f"<td>{editor.get_username()}</td>" in history
    assert "An import or a command" not in history
