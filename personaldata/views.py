"""The editors' page for one person's data: find it, export it, erase it (admin/personal-data/).

Everything goes by POST, so the address never appears in a URL, a browser history or an
access log.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from opendata.exports import to_json
from personaldata import models
from profiles.models import is_editor


class PersonForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person"))
    confirm = forms.BooleanField(
        label=_("I have checked the records above: erase or anonymise all of them"),
        required=False,
    )


def personal_data(request):
    if not is_editor(request.user):  # editors only; never cluster staff
        raise PermissionDenied
    context = {**admin.site.each_context(request), "title": _("Personal data of one person")}
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        # The button pressed, by its name: "find", "export" or "erase".
        action = next((name for name in ("export", "erase") if name in request.POST), "find")
        if action == "export":
            document = models.export(email, request.user)
            response = HttpResponse(to_json(document, indent=2),
                                    content_type="application/json; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
            return response
        if action == "erase":
            if not form.cleaned_data["confirm"]:
                form.add_error("confirm", _("Tick the box to confirm the erasure."))
            else:
                done = models.erase(email, request.user)
                messages.success(request, _("Erased: %(records)s.") % {
                    "records": ", ".join(f"{label} ({n})" for label, n in done.counts.items())
                    or _("nothing was found")
                })
                return redirect("admin:personal_data")
        found, mentions = models.find(email)
        context.update(
            found=[(holding.label, [holding.describe(record) for record in records])
                   for holding, records in found if records],
            # Names, not classes: a template calls what it can call.
            mentions=[(model._meta.verbose_name, field.verbose_name, str(record))
                      for model, field, record in mentions],
            searched=True,
        )
    context.update(form=form, requests=models.Request.objects.select_related("handled_by")[:20])
    return TemplateResponse(request, "admin/personal_data.html", context)
