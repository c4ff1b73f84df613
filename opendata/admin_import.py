"""The admin's "Import clusters" pages: an upload form whose file the task `run_import` imports
with the command's code, and a page per import showing its progress, then its report."""

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from opendata.exports import site_origin
from opendata.imports.files import ImportFileError, check_name, check_size
from opendata.models import ImportRun
from opendata.tasks import run_import
from profiles.models import Cluster, is_editor

RECENT_RUNS = 10
# How often the status page reloads itself while the import waits or runs.
REFRESH_SECONDS = 3


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("A .csv or .json file with the columns or fields of the directory's export."),
    )
    status = forms.ChoiceField(
        label=_("Status of new clusters"),
        choices=[
            (Cluster.Status.DRAFT, Cluster.Status.DRAFT.label),
            (Cluster.Status.PUBLISHED, Cluster.Status.PUBLISHED.label),
        ],
        initial=Cluster.Status.DRAFT,
        help_text=_("Clusters already on the portal keep their status."),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file and show what would change"),
        required=False,
        initial=True,
    )

    def clean_file(self):
        # Refused before anything reads it (or, later, stores it).
        upload = self.cleaned_data["file"]
        try:
            check_name(upload.name)
            check_size(upload.size)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        return upload


def import_view(model_admin, request):
    """The upload form and the recent imports. A valid upload is stored and run as a task:
    a large file takes longer than a request may."""
    # Imports touch many clusters at once: portal editors only, never a cluster's staff.
    if not is_editor(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        run = ImportRun.objects.create(
            started_by=request.user,
            file=upload,
            file_name=upload.name[:255],
            dry_run=form.cleaned_data["dry_run"],
            new_status=form.cleaned_data["status"],
            origin=site_origin(),
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        # At once in this process (the default backend), or by a worker (the database queue).
        run_import.enqueue(run.pk)
        return HttpResponseRedirect(
            reverse("admin:profiles_cluster_import_run", args=[run.pk])
        )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Import clusters"),
        "form": form,
        "runs": ImportRun.objects.select_related("started_by")[:RECENT_RUNS],
    }
    return TemplateResponse(request, "admin/profiles/cluster/import.html", context)


def import_run_view(model_admin, request, run_id):
    """One import: its progress while it waits or runs, then its report."""
    if not is_editor(request.user):
        raise PermissionDenied
    run = get_object_or_404(ImportRun.objects.select_related("started_by"), pk=run_id)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Import of %(file)s") % {"file": run.file_name},
        "run": run,
        "report": run.import_report(),
        "refresh_seconds": REFRESH_SECONDS if run.in_progress else None,
    }
    return TemplateResponse(request, "admin/profiles/cluster/import_run.html", context)
