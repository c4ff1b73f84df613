"""Rows of an inline in the order the person puts them, with no number to type.

Contacts, major players, partners and programmes carry a `position`. In the form it is a hidden
field: the up/down buttons (static/js/admin-ordering.js) move a row and number the rows in
their new order; a row without a number (a new one, or any row without JavaScript) goes last.
"""

from django import forms
from django.utils.text import capfirst

from editorial.scoping import ScopedInlineFormSet


class OrderedInlineFormSet(ScopedInlineFormSet):
    def clean(self):
        super().clean()
        kept = [form for form in self.forms if self._is_kept(form)]
        numbered = [form.cleaned_data.get("position") for form in kept]
        following = max((n for n in numbered if n is not None), default=0) + 1
        for form in kept:
            if form.cleaned_data.get("position") is None:
                form.instance.position = following
                following += 1

    def _is_kept(self, form):
        if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
            return False
        return form.instance.pk is not None or form.has_changed()


class OrderedRowsMixin:
    """For inlines whose model has a `position`: hidden, set by moving rows (new rows last)."""

    formset = OrderedInlineFormSet

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "position":
            return forms.IntegerField(
                label=capfirst(db_field.verbose_name), required=False, min_value=0,
                widget=forms.HiddenInput(attrs={"data-position": ""}),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    class Media:
        js = ["js/admin-ordering.js"]
