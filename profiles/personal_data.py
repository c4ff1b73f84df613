"""The personal data of profiles: management-team contacts, and their change history."""

from django.utils.translation import gettext_lazy as _

from personaldata.registry import Holding, register
from profiles.models import Cluster, Contact


def _cluster_name(contact):
    try:
        return contact.cluster.name
    except Cluster.DoesNotExist:  # a version of a contact whose cluster was deleted since
        return None


def _describe(contact):
    return f"{contact.name or '—'} ({contact.role}, {_cluster_name(contact) or '—'})"


def _contact_data(contact):
    return {
        "cluster": _cluster_name(contact),
        "role": contact.role,
        "name": contact.name,
        "email": contact.email,
        "phone_numbers": [n for n in contact.phone_numbers.split() if n],
        "agreed_to_publication": contact.public_consent,
    }


@register
class Contacts(Holding):
    label = _("Management team contacts")
    model = Contact

    def find(self, email):
        return Contact.objects.filter(email__iexact=email).select_related("cluster")

    def export(self, contact):
        return _contact_data(contact)

    def describe(self, contact):
        return _describe(contact)

    def erase(self, contacts, email):
        # The role stays on the profile ("Cluster Manager"); the person leaves it.
        ids = [contact.pk for contact in contacts]
        Contact.objects.filter(pk__in=ids).update(
            name="", email="", phone_numbers="", public_consent=False
        )

    def clusters(self, contacts):
        return {contact.cluster_id for contact in contacts}


@register
class ContactHistory(Holding):
    """Every earlier version of a contact that had the address, and every version of the
    contacts that have it now (their name and numbers are the same person's)."""

    label = _("Change history of management team contacts")
    model = Contact.history.model

    def find(self, email):
        current = Contact.objects.filter(email__iexact=email).values("pk")
        return (self.model.objects.filter(email__iexact=email)
                | self.model.objects.filter(id__in=current)).order_by("history_date")

    def export(self, version):
        return {
            "changed_at": version.history_date.isoformat(timespec="seconds"),
            "change": version.get_history_type_display(),
            **_contact_data(version),
        }

    def describe(self, version):
        return f"{version.history_date:%Y-%m-%d %H:%M} {version.get_history_type_display()}: " \
            + _describe(version)

    def erase(self, versions, email):
        self.model.objects.filter(history_id__in=[v.history_id for v in versions]).update(
            name="", email="", phone_numbers="", public_consent=False
        )
