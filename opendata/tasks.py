"""Work the task queue does for open data: a profile's PDFs, made right after an edit."""

import logging

from django.conf import settings
from django.db import transaction
from django_tasks import task

from profiles.models import Cluster

logger = logging.getLogger(__name__)


def render_pdfs_after_edit(cluster_ids):
    """Queue the PDFs of the edited profiles in every language, once the edit has committed,
    so that the first visitor to download one does not wait for it.

    Only where a worker runs them (PDF_RENDER_AFTER_EDIT, on with TASK_BACKEND=database): run
    in-process, the editor's save would wait for WeasyPrint instead. Bulk changes (imports,
    generated clusters) queue nothing: their PDFs are made on demand.
    """
    if settings.PDF_RENDER_AFTER_EDIT and cluster_ids:
        ids = list(cluster_ids)
        transaction.on_commit(lambda: render_profile_pdfs.enqueue(ids))


@task()
def render_profile_pdfs(cluster_ids):
    from opendata import pdf  # WeasyPrint takes a second to import: only where a PDF is made

    published = Cluster.objects.published().filter(pk__in=cluster_ids).values_list("slug",
                                                                                   flat=True)
    for slug in published:
        for language, _name in settings.LANGUAGES:
            try:
                pdf.cached_profile_pdf(slug, language)
            except pdf.PdfUnavailable:  # being made by a visitor's request, or failed: logged
                logger.warning("PDF of %s (%s) not made after the edit", slug, language)
