from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def facet_checkboxes(facet):
    """One facet's checkboxes (a `FacetField`), each with its label and count.

    Built in one pass with the standard library's escape(): a directory page draws about a
    hundred of them, and as a template loop, or even with format_html(), they cost more than
    the search and its counts together (bench/render.py). Every value is escaped here.
    """
    invalid = " is-invalid" if facet.errors else ""
    name = escape(facet.name)
    lines = []
    for input_id, value, label, count, chosen in facet.choices:
        input_id = escape(input_id)
        lines.append(
            f'<div class="form-check"><input type="checkbox" class="form-check-input{invalid}"'
            f' name="{name}" value="{escape(str(value))}" id="{input_id}"'
            f'{" checked" if chosen else ""}><label for="{input_id}" class="form-check-label">'
            f"{escape(str(label))} ({int(count)})</label></div>"
        )
    return mark_safe("\n".join(lines))  # noqa: S308 - every value is escaped above
