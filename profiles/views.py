from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import DEFAULT_DB_ALIAS
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from . import compiled_sql, exports
from .filters import PAGE_SIZE, ClusterFilter
from .models import Cluster
from .page_cache import DIRECTORY, PROFILE, cached_for_visitors


@cached_for_visitors(DIRECTORY)
def home(request):
    recent = Cluster.objects.published().select_related().order_by("-updated")[:6]
    return render(
        request,
        "home.html",
        {"recent_clusters": recent, "cluster_count": Cluster.objects.published().count()},
    )


@cached_for_visitors(DIRECTORY)
def cluster_list(request):
    """The directory: words, facets with their counts, sort order and pages, all in the URL."""
    search = ClusterFilter(data=request.GET, queryset=Cluster.objects.published())
    facets = search.count_facets()
    paginator = Paginator(search.results(), PAGE_SIZE)
    paginator.count = search.total  # counted with the facets: saves a second search
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "profiles/cluster_list.html",
        {
            "search": search,
            "form": search.form,
            "facet_fields": search.facet_fields,
            "page": page,
            "active_choices": search.active_choices(facets),
            "query_string": search.query_string(),
            "words": search.form.cleaned_data.get("q", ""),
        },
    )


def _published_profile(slug, section=None):
    def build(values):
        clusters = Cluster.objects.published().filter(slug=values[0])
        return clusters.with_tab(section) if section else clusters.with_profile()

    # Built and compiled once per tab (profiles/compiled_sql.py): that took as long as the rest
    # of the view.
    clusters = compiled_sql.prepared(("profile", section), (slug,), build, DEFAULT_DB_ALIAS)
    found = list(clusters)
    if len(found) != 1:
        raise Http404("No such published profile.")
    return found[0]


@cached_for_visitors(PROFILE)
def cluster_detail(request, slug, section="general"):
    cluster = _published_profile(slug, section)
    sections = cluster.filled_sections()
    titles = dict(sections)
    if section not in titles:
        # A tab with nothing filled is not offered, so its URL does not exist either.
        raise Http404("This profile has no such section.")
    urls = cluster.page_urls()
    return render(
        request,
        "profiles/cluster_detail.html",
        {
            "cluster": cluster,
            "urls": urls,
            "tabs": [(slug, title, urls[slug]) for slug, title in sections],
            "section": section,
            "section_title": titles[section],
            "section_template": f"includes/profile/{section}.html",
            # The general tab is the profile's main page: its JSON-LD names the contacts too.
            "organization_ld": exports.organization_ld(
                cluster,
                exports.site_origin(request),
                contacts=cluster.contacts.all() if section == "general" else (),
            ),
        },
    )


def _print_context(request, cluster, printed_on):
    urls = cluster.page_urls()
    return {
        "cluster": cluster,
        "urls": urls,
        "sections": cluster.filled_sections(),
        "canonical_url": request.build_absolute_uri(urls["general"]),
        "printed_on": printed_on,
    }


@cached_for_visitors(PROFILE)
def cluster_print(request, slug):
    cluster = _published_profile(slug)
    return render(
        request,
        "profiles/cluster_print.html",
        _print_context(request, cluster, printed_on=timezone.localdate()),
    )


def cluster_pdf(request, slug):
    """The print view as an A4 PDF, rebuilt only when the profile has changed since."""
    from . import pdf  # WeasyPrint takes a second to import: only where a PDF is made

    stamp = get_object_or_404(Cluster.objects.published().only("pk", "updated"), slug=slug)
    origin = exports.site_origin(request)

    def build():
        cluster = _published_profile(slug)
        # No "printed on" date: the cached file serves until the profile changes.
        context = _print_context(request, cluster, printed_on=None)
        return pdf.render_pdf(
            render_to_string("profiles/cluster_print.html", context, request), origin
        )

    document = cache.get_or_set(pdf.pdf_cache_key(stamp, origin), build, pdf.PDF_CACHE_SECONDS)
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{slug}.pdf"'
    return response


def cluster_json(request, slug):
    cluster = _published_profile(slug)
    document = exports.profile_document(cluster, exports.site_origin(request))
    return HttpResponse(
        exports.to_json(document, indent=2), content_type="application/json; charset=utf-8"
    )


def profile_schema(request, version):
    if version != exports.SCHEMA_VERSION:
        raise Http404("No such schema version.")
    return FileResponse(
        exports.SCHEMA_PATH.open("rb"), content_type="application/schema+json"
    )


def _directory_results(request):
    """The clusters the directory shows for this query string, every page of them."""
    return ClusterFilter(data=request.GET, queryset=Cluster.objects.published()).qs


def export_csv(request):
    lines = exports.csv_lines(_directory_results(request), exports.site_origin(request))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="clusters.csv"'
    return response


def export_json(request):
    lines = exports.json_lines(_directory_results(request), exports.site_origin(request))
    response = StreamingHttpResponse(lines, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="clusters.json"'
    return response


def robots_txt(request):
    # Plain text, no template and no query: crawlers ask for it often.
    sitemap = request.build_absolute_uri(reverse("sitemap-index"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /clusters/export.",
        "Disallow: /clusters/*/print/",
        "Disallow: /clusters/*/profile.pdf",
        f"Sitemap: {sitemap}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
