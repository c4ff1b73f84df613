from django import template
from django.utils.html import format_html_join

register = template.Library()


@register.simple_tag
def facet_checkboxes(facet):
    """One facet's checkboxes (a `FacetField`), each with its label and count.

    Built in one pass here: a directory page draws about a hundred of them, and as a template
    loop they cost more than the search and its counts together (bench/render.py).
    """
    invalid = " is-invalid" if facet.errors else ""
    return format_html_join(
        "\n",
        '<div class="form-check">'
        '<input type="checkbox" class="form-check-input{}" name="{}" value="{}" id="{}"{}>'
        '<label for="{}" class="form-check-label">{} ({})</label>'
        "</div>",
        (
            (invalid, facet.name, value, input_id, " checked" if chosen else "",
             input_id, label, count)
            for input_id, value, label, count, chosen in facet.choices
        ),
    )
