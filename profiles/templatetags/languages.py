"""The language switcher: the page the visitor is on, in each language of the portal."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

register = template.Library()


def other_language_url(request, code):
    """This page's address in `code`, or that language's home page when the page has none."""
    if request is None:
        return translate_url("/", code)
    current = request.get_full_path()
    url = translate_url(current, code)
    if url == current and code != get_language():
        # Unresolvable (a 404): the translated home page is the nearest thing.
        return translate_url("/", code)
    return url


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

