"""The language switcher: the page the visitor is on, in each language of the portal.

Every link is built by reverse() from the page's resolved URL, never copied from the
request: an address such as `//evil.example/phish` (a 404) must not become a link off the
site, and a stray query string must not end up on a page the cache shares with everyone.
"""

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_info, override

register = template.Library()


def _home(code):
    with override(code):
        return reverse("home")


def _same_site(path):
    """A path on this site: one "/" and no second "/" or "\\" that browsers read as a host."""
    return path.startswith("/") and not path.startswith(("//", "/\\"))


def other_language_url(request, code, query=""):
    """This page's address in `code` (with `query`, the page's own parameters), or that
    language's home page when the page has none."""
    match = request.resolver_match if request is not None else None
    if match is None or match.url_name is None:
        # Unresolvable (a 404): the translated home page is the nearest thing.
        return _home(code)
    # The request's own match, not translate_url()'s second resolve() of the same path: the
    # switcher is on every page, and an uncached profile spent a twentieth of its time here.
    with override(code):
        try:
            path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return _home(code)
    if not _same_site(path):
        return _home(code)
    return f"{path}?{query}" if query else path


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """`page_query` in the context is the query string that belongs to the page (the
    directory's search, normalised); any other parameters of the request are dropped."""
    request = context.get("request")
    query = context.get("page_query", "")
    current = get_language()
    languages = [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": other_language_url(request, code, query),
            "is_current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]
    return {"languages": languages}


@register.simple_tag
def texts_lang(cluster):
    """` lang="en"` on a block of the cluster's own text when the page is in another
    language (Cluster.texts_language), so that a screen reader switches voice; else nothing."""
    language = getattr(cluster, "texts_language", "") or ""
    if not language or language.split("-")[0] == (get_language() or "").split("-")[0]:
        return ""
    return format_html(' lang="{}"', language)


@register.inclusion_tag("includes/alternate_links.html", takes_context=True)
def alternate_links(context):
    """<link rel="alternate" hreflang> for this page in every language, at SITE_URL: what
    search engines read to offer a visitor the page in their language."""
    request = context.get("request")
    match = request.resolver_match if request is not None else None
    if match is None or match.url_name is None:
        return {"links": []}  # a page not found has no address in another language
    query = context.get("page_query", "")
    origin = settings.SITE_URL
    links = [
        {"code": code, "url": origin + other_language_url(request, code, query)}
        for code, _name in settings.LANGUAGES
    ]
    default = next(link for link in links if link["code"] == settings.LANGUAGE_CODE)
    return {"links": links, "default": default}
