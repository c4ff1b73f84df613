"""Views for machines and for errors: the health check, robots.txt and the 500 page."""

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponsePermanentRedirect, HttpResponseServerError, JsonResponse
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def _database_answers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _cache_answers():
    probe = get_random_string(12)
    cache.set("healthz", probe, 10)
    return cache.get("healthz") == probe


@never_cache
@require_safe
def healthz(request):
    """200 when the database (and Redis, when configured) answer; 503 otherwise.

    A load balancer takes an app server out of rotation on 503. The body says which part
    failed, never why: error texts can carry host names and passwords.
    """
    checks = {"database": _database_answers}
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        checks["cache"] = _cache_answers
    results = {}
    for name, check in checks.items():
        try:
            results[name] = "ok" if check() else "error"
        except Exception:  # any failure of a backing service means "not healthy"
            results[name] = "error"
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse({"status": "ok" if healthy else "error", **results},
                        status=200 if healthy else 503)


def _in_admin(request):
    return request.path_info.startswith(reverse("admin:index"))


def permission_denied(request, exception):
    """403: inside the admin a page with the admin's header saying what to do."""
    from django.contrib import admin

    if _in_admin(request):
        return admin.site.error_page(request, 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    """404: inside the admin a page with the admin's header; elsewhere the site's own."""
    from django.contrib import admin

    if _in_admin(request) and getattr(request, "user", None) is not None \
            and request.user.is_authenticated:
        return admin.site.error_page(request, 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """The 500 page: static text and the request id to quote, nothing that could fail again.

    For every method: a POST that fails is an error to show and log, not a 405.
    """
    template = loader.get_template("500.html")
    context = {"request_id": getattr(request, "request_id", "")}
    return HttpResponseServerError(template.render(context))


@require_safe
def favicon(request):
    """/favicon.ico: the hashed static icon, for browsers and crawlers that ask for it."""
    return HttpResponsePermanentRedirect(static("icons/favicon.ico"))
