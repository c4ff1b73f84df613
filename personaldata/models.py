"""Requests of people about their personal data, as handled by the editors: recorded without
the data itself (who handled it, when, what kind and how many records), so the record of an
erasure keeps nothing of what was erased."""

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cluster_portal import changes
from personaldata import registry
from profiles.models import Cluster


class Request(models.Model):
    class Kind(models.TextChoices):
        ACCESS = "access", _("access (export)")
        ERASURE = "erasure", _("erasure")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled at"), default=timezone.now)
    # {label of the kind of record: how many}; never the address or the records themselves.
    counts = models.JSONField(_("records"), default=dict)

    class Meta:
        verbose_name = _("personal data request")
        verbose_name_plural = _("personal data requests")
        ordering = ["-handled_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.handled_at:%Y-%m-%d %H:%M}"


def find(email):
    """[(holding, [records])] for every registered holding, then ("mentions", [(model, field,
    record)]) for free texts that mention the address elsewhere."""
    email = email.strip()
    found, seen = [], set()
    for holding in registry.holdings():
        records = list(holding.find(email))
        seen.update((type(record), record.pk) for record in records)
        found.append((holding, records))
    return found, list(registry.mentions(email, frozenset(seen)))


def _cluster_of(record):
    if isinstance(record, Cluster):
        return record.pk
    cluster_id = getattr(record, "cluster_id", None)
    return cluster_id if isinstance(cluster_id, int) else None


def _counts(found, mentions):
    counts = {str(holding.label): len(records) for holding, records in found if records}
    if mentions:
        counts[str(MENTIONS_LABEL)] = len(mentions)
    return counts


MENTIONS_LABEL = _("Other texts that mention the address")


def export(email, handled_by):
    """The person's data as one JSON-ready dict (right of access); the request is recorded."""
    found, mentions = find(email)
    document = {
        "email": email.strip(),
        "exported": timezone.now().isoformat(timespec="seconds"),
        "portal": settings.SITE_URL,
        "records": {
            str(holding.label): [holding.export(record) for record in records]
            for holding, records in found if records
        },
    }
    if mentions:
        document["records"][str(MENTIONS_LABEL)] = [
            {"table": str(model._meta.verbose_name), "field": field.name,
             "text": field.value_to_string(record)}
            for model, field, record in mentions
        ]
    Request.objects.create(kind=Request.Kind.ACCESS, handled_by=handled_by,
                           counts=_counts(found, mentions))
    return document


@transaction.atomic
def erase(email, handled_by):
    """Erase or anonymise every record about `email`, history included, in one transaction;
    record that it was done, with counts only. Returns the Request."""
    email = email.strip()
    found, mentions = find(email)
    clusters = {_cluster_of(record) for _, records in found for record in records}
    clusters |= {_cluster_of(record) for _, _, record in mentions}
    for holding, records in found:
        if records:
            holding.erase(records, email)
    registry.erase_mentions(email)
    # The public pages that showed any of it are rendered afresh.
    transaction.on_commit(lambda: changes.clusters_changed(clusters - {None}, touched=False))
    return Request.objects.create(kind=Request.Kind.ERASURE, handled_by=handled_by,
                                  counts=_counts(found, mentions))
