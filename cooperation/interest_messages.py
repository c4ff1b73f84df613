"""Messages visitors send a cluster ("Express interest" on an offer, "Contact this cluster" on a
profile): e-mailed to the cluster's staff and kept in the admin's inbox (admin_inbox.py) until
answered and for settings.PERSONAL_DATA_RETENTION_DAYS["messages"] days (personal_data.py).

No change history: the sender's text is stored once, as sent, and never edited.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from profiles.models import Cluster

from .offers import CooperationOffer

MESSAGE_MAX_LENGTH = 3000


class InterestMessageQuerySet(models.QuerySet):
    def unanswered(self):
        return self.filter(answered_at__isnull=True)


class InterestMessage(models.Model):
    """What a visitor wrote to a cluster, about one of its offers or about the cluster."""

    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="interest_messages",
        verbose_name=_("cluster"),
    )
    offer = models.ForeignKey(
        CooperationOffer, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="interest_messages", verbose_name=_("offer"),
        help_text=_("Empty when the message was written from the cluster's profile."),
    )
    sender_name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200)
    country = CountryField(_("country"))
    email = models.EmailField(_("e-mail address"))
    message = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    consent = models.BooleanField(
        _("agreed to pass the details on"),
        help_text=_("The sender agreed that the cluster's staff receive these details."),
    )
    consent_version = models.CharField(_("privacy notice agreed to"), max_length=20)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES,
        help_text=_("The language of the page it was sent from, and of the sender's copy."),
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("answered by"),
    )

    objects = InterestMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("message from a visitor")
        verbose_name_plural = _("messages from visitors")
        indexes = [
            models.Index(fields=["cluster", "-created_at"], name="interest_cluster_date_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent=True), name="interest_message_has_consent",
                violation_error_message=_("A message is only kept with the sender's consent."),
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(answered_at__gte=models.F("created_at")),
                name="interest_answered_after_sent",
                violation_error_message=_("A message is answered after it was sent."),
            ),
        ]

    def __str__(self):
        return _("%(organisation)s, %(date)s") % {
            "organisation": self.organisation,
            "date": timezone.localtime(self.created_at).strftime("%Y-%m-%d %H:%M"),
        }

    @property
    def is_answered(self):
        return self.answered_at is not None

    def mark_answered(self, user):
        self.answered_at, self.answered_by = timezone.now(), user
        self.save(update_fields=["answered_at", "answered_by"])

    def mark_unanswered(self):
        self.answered_at = self.answered_by = None
        self.save(update_fields=["answered_at", "answered_by"])
