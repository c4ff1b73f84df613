"""The personal data of cooperation: the messages visitors send clusters (interest_messages.py).

A message holds nothing but what its sender wrote: erasing deletes it, and it is deleted
settings.PERSONAL_DATA_RETENTION_DAYS["messages"] days after it was sent.
"""

from django.utils.translation import gettext_lazy as _

from personaldata.registry import Holding, register

from .interest_messages import InterestMessage


@register
class InterestMessages(Holding):
    label = _("Messages to clusters (express interest, contact)")
    model = InterestMessage
    retention = "messages"

    def find(self, email):
        return InterestMessage.objects.filter(email__iexact=email).select_related(
            "cluster", "offer"
        )

    def export(self, message):
        return {
            "cluster": message.cluster.name,
            "offer": message.offer.title if message.offer else None,
            "name": message.sender_name,
            "organisation": message.organisation,
            "country": message.country.code,
            "email": message.email,
            "message": message.message,
            "agreed_to_privacy_notice": message.consent_version,
            "language": message.language,
            "sent_at": message.created_at.isoformat(timespec="seconds"),
            "answered_at": message.is_answered and message.answered_at.isoformat(
                timespec="seconds"
            ) or None,
        }

    def describe(self, message):
        return f"{message.cluster.name}: {message}"

    def erase(self, messages, email):
        self.delete(messages)

    def expired(self, before):
        return InterestMessage.objects.filter(created_at__lt=before)
