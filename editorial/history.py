"""A cluster's change log across the cluster and its parts, and undoing one change.

django-simple-history keeps one history table per model; a profile's story is spread over the
cluster's table and those of its contacts, partners, programmes… This module reads them as one
list, and reverts a change as a new, recorded change.
"""

import datetime
import difflib
import html
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from cluster_portal import changes
from profiles.models import Cluster
from profiles.rich_text import RichTextField

KINDS = {"+": "added", "~": "changed", "-": "deleted"}


@dataclass
class Change:
    label: str
    old: str
    new: str
    # For texts: [(kind, words)] with kind "same", "deleted" or "added", in reading order.
    words: list | None = None


@dataclass
class Entry:
    record: object
    changes: list = field(default_factory=list)

    @property
    def kind(self):
        return KINDS[self.record.history_type]

    @property
    def model(self):
        return self.record.instance_type

    @property
    def model_label(self):
        return self.model._meta.label_lower

    @property
    def what(self):
        return f"{capfirst(self.model._meta.verbose_name)}: {self.record.instance}"

    @property
    def revertible(self):
        # A profile's own creation is undone by retiring it, not by deleting it.
        return not (self.model is Cluster and self.record.history_type == "+")


def history_models():
    return [Cluster, *Cluster.part_models()]


def records_of(cluster):
    """Every historical record of `cluster` and of its parts, deleted parts included."""
    records = list(Cluster.history.filter(id=cluster.pk).select_related("history_user"))
    for part in Cluster.part_models():
        records += part.history.filter(cluster_id=cluster.pk).select_related("history_user")
    return records


def change_log(cluster):
    """Entries for the history page, newest first, each with its old → new values."""
    versions = defaultdict(list)
    for record in records_of(cluster):
        versions[(record.instance_type, record.id)].append(record)
    entries = []
    for records in versions.values():
        records.sort(key=lambda r: (r.history_date, r.history_id))
        previous = None
        for record in records:
            entry = Entry(record, _changes(record, previous))
            if entry.changes or record.history_type != "~":  # a save that changed nothing
                entries.append(entry)
            previous = record
    entries.sort(key=lambda e: (e.record.history_date, e.record.history_id), reverse=True)
    return entries


def find_record(cluster, model_label, history_id):
    """The record `history_id` of the model `model_label`, if it belongs to `cluster`."""
    for model in history_models():
        if model._meta.label_lower == model_label:
            scope = {"id": cluster.pk} if model is Cluster else {"cluster_id": cluster.pk}
            return model.history.filter(history_id=history_id, **scope).first()
    return None


def _changes(record, previous):
    model = record.instance_type
    if record.history_type == "-":
        return []
    if previous is None or record.history_type == "+":
        # A new row: list what it was created with.
        return [
            Change(_label(model, f.name), "", _display(model, f.name, getattr(record, f.attname)))
            for f in record.tracked_fields
            if f.editable and not f.primary_key and f.name != "cluster"
            and getattr(record, f.attname) not in (None, "")
        ]
    delta = record.diff_against(previous)
    return [_change(model, change.field, change.old, change.new) for change in delta.changes]


def _change(model, name, old, new):
    old_text, new_text = _display(model, name, old), _display(model, name, new)
    words = None
    if isinstance(model._meta.get_field(name), models.TextField):
        words = word_diff(
            "" if old_text == "—" else old_text, "" if new_text == "—" else new_text
        )
    return Change(_label(model, name), old_text, new_text, words)


def visible_text(value):
    """What a visitor reads of a rich text: its words, one line per paragraph, no tags."""
    text = re.sub(r"(?i)<br\s*/?>|</(p|h[1-6]|li|blockquote)>", "\n", value or "")
    text = re.sub(r"(?i)<li[^>]*>", "• ", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def word_diff(old, new):
    """[(kind, text)] turning `old` into `new` word by word: "same", "deleted", "added"."""
    old_words, new_words = re.findall(r"\S+\s*", old), re.findall(r"\S+\s*", new)
    parts = []
    # Words are compared without the space after them (a paragraph added after the last
    # word gives it a line break); the new text's spacing is shown.
    matcher = difflib.SequenceMatcher(
        a=[w.strip() for w in old_words], b=[w.strip() for w in new_words], autojunk=False
    )
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("same", "".join(new_words[b1:b2])))
            continue
        if a2 > a1:
            parts.append(("deleted", "".join(old_words[a1:a2])))
        if b2 > b1:
            parts.append(("added", "".join(new_words[b1:b2])))
    return parts


def _label(model, name):
    # capfirst, not capitalize(): "S3 EU priority areas", not "S3 eu priority areas".
    return str(capfirst(model._meta.get_field(name).verbose_name))


def _display(model, name, value):
    model_field = model._meta.get_field(name)
    if model_field.many_to_many:
        target = model_field.m2m_reverse_field_name()
        ids = [row[target] for row in value]
        objects = model_field.related_model._default_manager.in_bulk(ids)
        return ", ".join(str(objects.get(pk, f"#{pk}")) for pk in ids) or "—"
    if getattr(model_field, "multiple", False):  # several countries (an offer's targets)
        return ", ".join(str(country.name) for country in value) or "—"
    if value in (None, ""):
        return "—"
    if model_field.is_relation:
        related = model_field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else _("#%(id)s (deleted)") % {"id": value}
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, RichTextField):
        return visible_text(value)
    if isinstance(value, datetime.datetime):
        return date_format(value, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    return str(value)


@transaction.atomic
def revert(record, user):
    """Undo the change `record` made, as a new change by `user`.

    Raises ValidationError with a message for the editor when the change cannot be undone as
    it stands (the row is gone, or undoing it would break a rule such as a unique slug).
    """
    cluster = Cluster.objects.get(
        pk=record.id if record.instance_type is Cluster else record.cluster_id
    )
    _undo(record, user)
    # Undoing a change of the cluster itself may restore an old slug or status.
    changes.clusters_changed([cluster.pk], former=[(cluster.slug, cluster.status)])


def _undo(record, user):
    model = record.instance_type
    current = model._default_manager.filter(pk=record.id).first()
    reason = _("Reverted the change of %(date)s") % {
        "date": date_format(record.history_date, "DATETIME_FORMAT")
    }
    if record.history_type == "+":
        if model is Cluster:
            raise ValidationError(_("A profile's creation cannot be undone; retire it instead."))
        if current is None:
            raise ValidationError(_("This row has already been deleted."))
        current._history_user, current._change_reason = user, reason
        current.delete()
        return
    if record.history_type == "-":
        if current is not None:
            raise ValidationError(_("This row has already been restored."))
        restored = record.instance
        restored.full_clean()
        restored._history_user, restored._change_reason = user, reason
        restored.save(force_insert=True)
        return
    if current is None:
        raise ValidationError(_("This row has been deleted since; restore it first."))
    previous = record.prev_record
    m2m = {}
    for change in record.diff_against(previous).changes:
        model_field = model._meta.get_field(change.field)
        if model_field.many_to_many:
            target = model_field.m2m_reverse_field_name()
            m2m[model_field.name] = [row[target] for row in change.old]
        else:
            setattr(current, model_field.attname, getattr(previous, model_field.attname))
    current.full_clean()
    current._history_user, current._change_reason = user, reason
    current.save()
    for name, ids in m2m.items():
        getattr(current, name).set(ids)
