"""The language switcher: the page the visitor is on, in each language of the portal."""

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import get_language, get_language_info, override

register = template.Library()


def other_language_url(request, code):
    """This page's address in `code`, or that language's home page when the page has none."""
    if request is None:
        return translate_url("/", code)
    current = request.get_full_path()
    if code == get_language():
        return current
    match = request.resolver_match
    if match is None or match.url_name is None:
        # Unresolvable (a 404): the translated home page is the nearest thing.
        return translate_url("/", code)
    # The request's own match, not translate_url()'s second resolve() of the same path: the
    # switcher is on every page, and an uncached profile spent a twentieth of its time here.
    with override(code):
        try:
            path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return translate_url("/", code)
    _path, question_mark, query = current.partition("?")
    return path + question_mark + query


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    request = context.get("request")
    current = get_language()
    languages = [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": other_language_url(request, code),
            "is_current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]
    return {"languages": languages}
