"""Open data's background work: an import stored by the admin's import page, and a
profile's PDFs made right after an edit."""

import logging
import threading

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from opendata.imports import import_clusters
from opendata.imports.files import ImportFileError
from opendata.models import ImportRun
from profiles.models import Cluster

logger = logging.getLogger(__name__)

# How often the status page's count moves: every few hundred rows costs one UPDATE.
PROGRESS_EVERY = 200


@task()
def run_import(import_run_id):
    """Run the stored import, recording progress, then its report or why it could not run.

    Writes nothing unless every row is valid (import_clusters). The stored file is deleted
    once the import has run, whatever the outcome.
    """
    run = ImportRun.objects.filter(pk=import_run_id, state=ImportRun.State.WAITING).first()
    if run is None:  # run already (a task delivered twice) or deleted
        return
    run.state = ImportRun.State.RUNNING
    run.save(update_fields=["state"])
    progress = _Progress(run.pk)
    try:
        with translation.override(run.language), run.file.open("rb") as file:
            report = import_clusters(
                file, run.file_name, dry_run=run.dry_run, new_status=run.new_status,
                origin=run.origin or None, progress=progress.count, author=run.started_by,
            )
    except ImportFileError as error:
        run.state, run.error = ImportRun.State.FAILED, str(error)
    except Exception:
        with translation.override(run.language):
            run.state = ImportRun.State.FAILED
            run.error = _("The import stopped on an unexpected error; the server's log has "
                          "the details.")
        raise  # the task fails too, and the tasks framework logs the traceback
    else:
        run.state = ImportRun.State.DONE
        run.record(report)
        run.rows_done = run.rows_total = progress.total
    finally:
        progress.finish()
        run.finished = timezone.now()
        run.file.delete(save=False)
        run.save()


class _Progress:
    """Counts the rows as the import applies them; every PROGRESS_EVERY rows, writes the count.

    The rows are applied in one transaction, which no other connection sees before it ends
    (and a dry run never commits). So the count is written from a thread of its own, which
    has a database connection of its own, in autocommit: the status page sees it at once. One
    write at a time and none waited for: a database that lets one writer at a time (SQLite)
    makes it wait for the import rather than hold the import up.
    """

    def __init__(self, run_id):
        self.run_id = run_id
        self.total = 0
        self.thread = None

    def count(self, rows):
        self.total = len(rows)
        for done, row in enumerate(rows, start=1):
            yield row
            if done % PROGRESS_EVERY == 0 and not (self.thread and self.thread.is_alive()):
                self.thread = threading.Thread(
                    target=_write_progress, args=(self.run_id, done, self.total), daemon=True
                )
                self.thread.start()

    def finish(self):
        # The final count comes after any count still being written.
        if self.thread:
            self.thread.join()


def _write_progress(run_id, done, total):
    try:
        ImportRun.objects.filter(pk=run_id).update(rows_done=done, rows_total=total)
    except DatabaseError:
        logger.info("Progress of import %s not written now", run_id, exc_info=True)
    finally:
        connection.close()


# --- PDFs after an edit ------------------------------------------------------------------


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
