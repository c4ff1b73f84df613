from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .models import Page


@require_safe
def page(request, kind):
    page = Page.objects.in_language(kind)
    if page is None:
        raise Http404("No such page.")
    return render(request, "pages/page.html", {"page": page})
