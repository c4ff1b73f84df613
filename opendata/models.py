"""Imports started in the admin: the stored file, the state of its task and its report."""

import dataclasses
import secrets

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

from opendata.imports.report import ImportReport
from profiles.models import Cluster


def import_storage():
    # Outside MEDIA_ROOT: an uploaded file holds unpublished data, and no web server serves
    # this folder. The file is deleted once its import has run.
    return FileSystemStorage(location=settings.IMPORT_ROOT)


def stored_name(instance, filename):
    # A random name: the editor's file name is kept in file_name and never becomes a path.
    return secrets.token_hex(16)


class ImportRun(models.Model):
    """One import started on the admin's import page, run by the task `run_import`."""

    class State(models.TextChoices):
        WAITING = "waiting", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("started by"),
    )
    created = models.DateTimeField(_("started at"), auto_now_add=True)
    finished = models.DateTimeField(_("finished at"), null=True, blank=True)
    file = models.FileField(_("file"), storage=import_storage, upload_to=stored_name,
                            blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    dry_run = models.BooleanField(_("dry run"), default=True)
    new_status = models.CharField(_("status of new clusters"), max_length=20,
                                  choices=Cluster.Status.choices, default=Cluster.Status.DRAFT)
    # The portal's address as the editor used it (logos may be given by it) and their
    # language, in which the problems are written.
    origin = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=10, default=settings.LANGUAGE_CODE)
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.WAITING)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in the file"), null=True, blank=True)
    report = models.JSONField(_("report"), null=True, blank=True)
    error = models.TextField(_("why the import could not run"), blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rows_total__isnull=True)
                | models.Q(rows_done__lte=models.F("rows_total")),
                name="importrun_rows_done_within_total",
            ),
        ]

    def __str__(self):
        return f"{self.file_name} ({self.created:%Y-%m-%d %H:%M})"

    @property
    def in_progress(self):
        return self.state in (self.State.WAITING, self.State.RUNNING)

    def import_report(self):
        """The ImportReport the run recorded, or None before it has one."""
        return ImportReport(**self.report) if self.report is not None else None

    def record(self, report):
        self.report = dataclasses.asdict(report)
