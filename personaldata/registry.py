"""What the portal holds about people, as each app declares it, found by one e-mail address.

An app that stores personal data adds a `personal_data.py` that registers one `Holding` per
kind of record (profiles: management-team contacts and their history; editorial: staff
accounts, invitations, logins, queued e-mails…). The editors' page (views.py) then finds,
exports and erases them all; `purge_personal_data` deletes what a holding keeps past its
retention period. After the registered holdings, `mentions` searches every other text column
of every table, so that an address typed into a free text is found and erased too.
"""

import json
import re

from django.apps import apps
from django.db import models
from django.db.models.functions import Cast

_holdings = []


def register(holding_class):
    """Class decorator: `@register class Contacts(Holding): …` in an app's personal_data.py."""
    _holdings.append(holding_class())
    return holding_class


def holdings():
    return list(_holdings)


class Holding:
    """One kind of record about people. Subclasses set `label` and `model`, and define
    `find`, `export` and `erase`; `retention` (a key of settings.PERSONAL_DATA_RETENTION_DAYS)
    and `expired` when records of the kind must not be kept for ever."""

    label = ""
    model = None
    retention = None

    def find(self, email):
        """A queryset of the records about `email`."""
        raise NotImplementedError

    def export(self, record):
        """A JSON-ready dict of what the record holds about the person."""
        raise NotImplementedError

    def describe(self, record):
        """One line that tells the editor which record this is."""
        return str(record)

    def erase(self, records, email):
        """Erase or anonymise `records` (what find() returned) so nothing about the person
        is left; write no new record that holds the erased data."""
        raise NotImplementedError

    def expired(self, before):
        """A queryset of the records older than `before` (a datetime)."""
        raise NotImplementedError

    def delete(self, records):
        """Erase by deleting, for records that hold nothing but the person's data."""
        self.model.objects.filter(pk__in=[record.pk for record in records]).delete()


# --- Free texts -----------------------------------------------------------------------------

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)
ERASED = "[erased]"
# Tables that hold no one's text: the schema's own bookkeeping.
SKIPPED = {"contenttypes.contenttype", "auth.permission", "sessions.session",
           "personaldata.request"}


def text_columns():
    """(model, field name) for every text column of every table of the portal."""
    for model in apps.get_models(include_auto_created=True):
        if model._meta.label_lower in SKIPPED or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, TEXT_FIELDS):
                yield model, field


def _mentioning(model, field, email):
    if isinstance(field, models.JSONField):
        return model._default_manager.annotate(
            _as_text=Cast(field.name, models.TextField())
        ).filter(_as_text__icontains=email)
    return model._default_manager.filter(**{f"{field.name}__icontains": email})


def mentions(email, found=frozenset()):
    """(model, field, record) for every text column that mentions `email` in a record not in
    `found` ((model, pk) pairs the holdings already found)."""
    for model, field in text_columns():
        for record in _mentioning(model, field, email):
            if (model, record.pk) not in found:
                yield model, field, record


def erase_mentions(email):
    """Replace the address wherever it is still written. Returns how many records changed."""
    pattern = re.compile(re.escape(email), re.IGNORECASE)
    changed = 0
    for model, field in text_columns():
        for record in _mentioning(model, field, email):
            value = getattr(record, field.attname)
            if isinstance(field, models.JSONField):
                value = json.loads(pattern.sub(ERASED, json.dumps(value, ensure_ascii=False)))
            else:
                value = pattern.sub(ERASED, value)[: field.max_length or None]
            # update(): no signal, no history row re-writing what is being erased.
            model._default_manager.filter(pk=record.pk).update(**{field.attname: value})
            changed += 1
    return changed
