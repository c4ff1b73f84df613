"""The rows of an admin fieldset drawn in Python, with the markup of Django's own template.

The cluster change form has about 250 fields; drawing each one's row, label and help text
through the template engine (Django's `admin/includes/fieldset.html` and a label template per
field) was a third of its server time. `editorial/templates/admin/includes/fieldset.html`
keeps the fieldset's heading from Django's template and draws its rows with `fieldset_rows`:
the same HTML (tests/editorial/test_admin_fieldset_markup.py compares it with Django's template
on the change form, so an upgrade of Django that changes the markup fails that test). Each
widget is still drawn by its own template.
"""

from django import template
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def fieldset_rows(fieldset):
    return mark_safe("".join(_row(line) for line in fieldset))


def _field_data(field, key):
    """A field's name, help text… (a read-only field keeps them in a dict)."""
    bound = field.field
    return bound.get(key, "") if field.is_readonly else getattr(bound, key)


def _row(line):
    fields = list(line)
    single = len(line.fields) == 1
    errors = line.errors() if single else ""
    classes = ["form-row"]
    if errors:
        classes.append("errors")
    if not line.has_visible_field:
        classes.append("hidden")
    classes += [f"field-{name}" for field in fields if (name := _field_data(field, "name"))]
    cells = mark_safe("".join(_cell(field, single) for field in fields))
    if not single:
        cells = format_html('<div class="flex-container form-multiline">{}</div>', cells)
    return format_html('<div class="{}">{}{}</div>', " ".join(classes), errors, cells)


def _cell(field, single):
    bound = field.field
    errors = "" if single or field.is_readonly or not bound.errors else str(bound.errors)
    hidden = _field_data(field, "is_hidden")
    classes = ["flex-container"]
    if not single:
        classes.append("fieldBox")
        if name := _field_data(field, "name"):
            classes.append(f"field-{name}")
        if errors:
            classes.append("errors")
        if hidden:
            classes.append("hidden")
    if field.is_checkbox:
        classes.append("checkbox-row")
        content = format_html("{}{}", bound, _label(field))
    elif field.is_readonly:
        content = format_html('{}<div class="readonly">{}</div>', _label(field), field.contents())
    else:
        content = format_html("{}{}", _label(field), bound)
    help_text = _field_data(field, "help_text")
    if help_text:
        help_id = "" if field.is_readonly else bound.id_for_label
        help_text = format_html(
            '<div class="help{}"{}><div>{}</div></div>',
            " hidden" if hidden else "",
            format_html(' id="{}_helptext"', help_id) if help_id else "",
            mark_safe(help_text),
        )
    return format_html('<div>{}<div class="{}">{}</div>{}</div>', errors, " ".join(classes),
                       content, help_text)


def _label(field):
    """`AdminField.label_tag()` (the admin's classes on `BoundField.label_tag()`) without a
    template per label."""
    if field.is_readonly:
        return field.label_tag()  # already drawn without a template
    bound, form_field = field.field, field.field.field
    classes = [name for name, applies in [("vCheckboxLabel", field.is_checkbox),
                                          ("required", form_field.required),
                                          ("inline", not field.is_first)] if applies]
    attrs = {"class": " ".join(classes)} if classes else {}
    contents = conditional_escape(bound.label)
    suffix = "" if field.is_checkbox else (
        form_field.label_suffix if form_field.label_suffix is not None else bound.form.label_suffix
    )
    # Translators' note in Django: a label ending in one of these gets no suffix.
    if suffix and contents and contents[-1] not in gettext(":?.!"):
        contents = format_html("{}{}", contents, suffix)
    widget = form_field.widget
    id_ = widget.attrs.get("id") or bound.auto_id
    if not id_:
        return contents
    if id_for_label := widget.id_for_label(id_):
        attrs["for"] = id_for_label
    if form_field.required and hasattr(bound.form, "required_css_class"):
        css = bound.form.required_css_class
        attrs["class"] = f"{attrs['class']} {css}" if "class" in attrs else css
    return format_html("<label{}>{}</label>", flatatt(attrs), contents)
