"""The admin's "Import clusters" page: the import command's code behind an upload form."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from opendata.exports import site_origin
from opendata.imports import ImportFileError, check_name, check_size, import_clusters
from profiles.models import Cluster, is_editor


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
    # Imports touch many clusters at once: portal editors only, never a cluster's staff.
    if not is_editor(request.user):
        raise PermissionDenied
    report = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = import_clusters(
                upload,
                upload.name,
                dry_run=form.cleaned_data["dry_run"],
                new_status=form.cleaned_data["status"],
                origin=site_origin(request),
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            level = messages.ERROR if report.errors else messages.SUCCESS
            messages.add_message(request, level, report.summary())
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Import clusters"),
        "form": form,
        "report": report,
    }
    return TemplateResponse(request, "admin/profiles/cluster/import.html", context)
