"""How the admin edits the portal's field types: dates typed day/month/year, rich text in an
editor that offers the formatting the public page shows (django-prose-editor, ProseMirror).

The editor's scripts are modules found through an inline import map; the change form gives
it the request's CSP nonce (ClusterAdmin.render_change_form), so the admin's policy needs no
'unsafe-inline'.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import CountryField
from django_prose_editor.widgets import AdminProseEditorWidget
from js_asset import Media

from profiles.countries import country_name, country_names
from profiles.fields import DayMonthYearField, DayMonthYearInput
from profiles.rich_text import EDITOR_EXTENSIONS, RichTextField


class RichTextEditor(AdminProseEditorWidget):
    """The editor of the package's configurable preset, its toolbar named in the admin's
    language: our preset "portal" (settings.DJANGO_PROSE_EDITOR_PRESETS)."""

    def __init__(self, attrs=None):
        super().__init__(attrs, config={"extensions": EDITOR_EXTENSIONS}, preset="portal")


FIELD_OVERRIDES = {
    # Day/month/year, with no calendar pop-up (whose script also adds a "You are 1 hour
    # behind server time" note under a plain date).
    models.DateField: {"form_class": DayMonthYearField, "widget": DayMonthYearInput},
    RichTextField: {"widget": RichTextEditor},
}


# --- Countries of inline rows: one shared list, not 250 options in every row ---------------

COUNTRY_LIST_ID = "country-names"  # the <datalist> the change form holds once


class CountryNameInput(forms.TextInput):
    """Type a country's name (in the admin's language or English) or its code; the browser
    offers the names from the form's one list. A stored code is shown as its name."""

    def __init__(self, attrs=None):
        super().__init__({"list": COUNTRY_LIST_ID, "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        code = str(getattr(value, "code", value) or "")
        return country_name(code) if code else ""


class CountryNameField(forms.CharField):
    """The country of a row: its code, read from a typed name or code."""

    default_error_messages = {
        "invalid": _("“%(value)s” is not a country: choose one from the list, e.g. Spain."),
    }

    def __init__(self, *, choices=None, coerce=None, empty_value="", **kwargs):
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value).strip()
        if not text:
            return ""
        if text.upper() in dict(countries):
            return text.upper()
        wanted = text.casefold()
        for names in (country_names(), {code: str(name) for code, name in countries}):
            for code, name in names.items():
                if name.casefold() == wanted:
                    return code
        raise ValidationError(self.error_messages["invalid"], code="invalid",
                              params={"value": text})

    def has_changed(self, initial, data):
        initial_code = str(getattr(initial, "code", initial) or "")
        try:
            return initial_code != self.to_python(data)
        except ValidationError:
            return True


class RowCountryMixin:
    """For admins whose rows name a country (the profile, partners, target countries)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Before the admin's own handling, which gives any field with choices a <select>.
        if isinstance(db_field, CountryField):
            return db_field.formfield(
                choices_form_class=CountryNameField, widget=CountryNameInput, **kwargs
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


# --- Profile choosers of inline rows: the chosen labels of all rows read at once -------------


class ChosenLabels:
    """The labels of what a formset's rows have chosen in one field, read in one query for all
    the rows when the first is drawn (the admin's chooser would read each row's itself)."""

    def __init__(self, formset, name, formfield):
        self.formset, self.name = formset, name
        self.queryset, self.label = formfield.queryset, formfield.label_from_instance
        self.key = formfield.to_field_name or "pk"
        self.labels = None

    def get(self, value):
        if self.labels is None:
            chosen = {str(form[self.name].value()) for form in self.formset.forms}
            chosen -= {"", "None"}
            found = self.queryset.filter(**{f"{self.key}__in": chosen}) if chosen else []
            self.labels = {str(getattr(item, self.key)): self.label(item) for item in found}
        return self.labels.get(str(value))


class ChosenOptionSelect(forms.Select):
    """The admin's autocomplete chooser (its attributes and scripts, so the same search box)
    holding only the row's chosen option, labelled from the formset's ChosenLabels."""

    def __init__(self, chooser, labels):
        super().__init__(attrs=chooser.attrs)
        self.chooser, self.labels = chooser, labels
        self.is_required = chooser.is_required

    @property
    def media(self):
        return self.chooser.media

    def build_attrs(self, base_attrs, extra_attrs=None):
        return self.chooser.build_attrs(base_attrs, extra_attrs)

    def get_context(self, name, value, attrs):
        chosen = [(v, self.labels.get(v)) for v in self.format_value(value) if v]
        self.choices = [("", ""), *((v, label) for v, label in chosen if label is not None)]
        # As the admin's chooser: the empty option is never marked as chosen.
        return super().get_context(name, [v for v, _label in chosen], attrs)


def media_with_nonce(media, request):
    """The page's media with the request's CSP nonce on its tags (the import map's too)."""
    return Media.from_media(media).with_nonce(request.csp_nonce)
