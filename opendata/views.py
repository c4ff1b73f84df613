from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from directory.filters import ClusterFilter
from profiles.models import Cluster
from profiles.views import published_profile

from . import exports


@require_safe
def cluster_pdf(request, slug):
    """The print view as an A4 PDF, rebuilt only when the profile has changed since."""
    from . import pdf  # WeasyPrint takes a second to import: only where a PDF is made

    try:
        document = pdf.cached_profile_pdf(slug, get_language())
    except Cluster.DoesNotExist:
        raise Http404("No such published profile.") from None
    except pdf.PdfUnavailable as refusal:
        response = HttpResponse(
            str(refusal.message), status=503, content_type="text/plain; charset=utf-8"
        )
        response["Retry-After"] = str(refusal.retry_after)
        add_never_cache_headers(response)
        return response
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{slug}.pdf"'
    return response


@require_safe
def cluster_json(request, slug):
    cluster = published_profile(slug)
    document = exports.profile_document(cluster, exports.site_origin())
    return HttpResponse(
        exports.to_json(document, indent=2), content_type="application/json; charset=utf-8"
    )


@require_safe
def profile_schema(request, version):
    if version != exports.SCHEMA_VERSION:
        raise Http404("No such schema version.")
    return FileResponse(
        exports.SCHEMA_PATH.open("rb"), content_type="application/schema+json"
    )


def _directory_results(request):
    """The clusters the directory shows for this query string, every page of them."""
    return ClusterFilter(data=request.GET, queryset=Cluster.objects.published()).qs


@require_safe
def export_csv(request):
    lines = exports.csv_lines(_directory_results(request), exports.site_origin())
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="clusters.csv"'
    return response


@require_safe
def export_json(request):
    lines = exports.json_lines(_directory_results(request), exports.site_origin())
    response = StreamingHttpResponse(lines, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="clusters.json"'
    return response


@require_safe
def robots_txt(request):
    # Plain text, no template and no query: crawlers ask for it often.
    sitemap = exports.site_origin() + reverse("sitemap-index")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /clusters/export.",
        "Disallow: /clusters/*/print/",
        "Disallow: /clusters/*/profile.pdf",
        f"Sitemap: {sitemap}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
