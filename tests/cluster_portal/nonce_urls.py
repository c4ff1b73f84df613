"""The portal's URLs plus two visitors' pages, one with a CSP nonce and one without."""

from django.http import HttpResponse
from django.urls import path

from cluster_portal.page_cache import cached_for_visitors
from cluster_portal.urls import urlpatterns as portal_urlpatterns


@cached_for_visitors("nonce-test")
def page_with_a_nonce(request):
    return HttpResponse(f'<script nonce="{request.csp_nonce}">let page = 1;</script>')


@cached_for_visitors("nonce-test")
def page_without_a_nonce(request):
    return HttpResponse("<p>The same for every visitor.</p>")


urlpatterns = [
    path("with-nonce/", page_with_a_nonce),
    path("without-nonce/", page_without_a_nonce),
    *portal_urlpatterns,
]
