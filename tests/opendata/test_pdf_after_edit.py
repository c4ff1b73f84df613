"""With a task worker, an edit queues its profile's PDFs, so that the first visitor to download
one does not wait for WeasyPrint.

A module of its own: the worker closes the database connection after each task, so only a
transactional test survives it, and test_profile_pdf.py holds its shared rows in a
module-long transaction, inside which the edit's on_commit would never run.
"""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from opendata import pdf
from tests.factories import ClusterFactory
from tests.forms import form_data
from tests.pdfs import pdf_text


@pytest.fixture(autouse=True)
def fresh_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db(transaction=True)
def test_with_a_worker_an_edit_makes_the_pdfs_before_the_first_download(
    portal_editor_client, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.PDF_RENDER_AFTER_EDIT = True
    cluster = ClusterFactory(name="Early PDF Cluster")
    change = f"/admin/profiles/cluster/{cluster.pk}/change/"
    data = form_data(portal_editor_client.get(change).text, "cluster_form")
    data["name"] = "Renamed PDF Cluster"
    assert portal_editor_client.post(change, data).status_code == 302
    [queued] = DBTaskResult.objects.values_list("task_path", flat=True)
    assert queued == "opendata.tasks.render_profile_pdfs"

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    cluster.refresh_from_db()
    for language, prefix in (("en", ""), ("es", "/es")):
        made = cache.get(pdf.pdf_cache_key(cluster, language))
        assert made.startswith(b"%PDF")
        assert Client().get(f"{prefix}/clusters/{cluster.slug}/profile.pdf").content == made
    assert "Renamed PDF Cluster" in pdf_text(PdfReader(io.BytesIO(made)))
