"""The contacts of a cluster's management team, and what of them the public sees."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from profiles.fields import international_format, normalise_phone_numbers

from .cluster import Cluster
from .tabs import ProfilePart


class Contact(ProfilePart):
    """A person or function in the cluster's management team, shown on the public profile."""

    profile_tab = "general"

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="contacts")
    role = models.CharField(
        _("role"),
        max_length=200,
        help_text=_("Public, e.g. “Cluster Manager” or “Project Manager”."),
    )
    name = models.CharField(
        _("name"), max_length=200, blank=True, help_text=_("Optional; public.")
    )
    email = models.EmailField(
        _("email"), blank=True, help_text=_("Optional; public only when the person agreed (below).")
    )
    phone_numbers = models.TextField(
        _("phone numbers"),
        blank=True,
        help_text=_(
            "One number per line, e.g. +34 600 958 325 or 0034 600 958 325; a number "
            "without its country code is read as one of the profile's country. Shown in one "
            "international format however you type it; public only when the person agreed "
            "(below)."
        ),
    )
    public_consent = models.BooleanField(
        _("agreed to publication"),
        default=False,
        help_text=_(
            "Tick only when this person agreed that their e-mail address and phone numbers "
            "are shown on the public profile and in its open data. Unticked, only the role "
            "and name are public."
        ),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("management team contact")
        verbose_name_plural = _("management team contacts")

    def __str__(self):
        return self.name or self.role

    def clean(self):
        try:
            try:  # the form's cluster, as changed on the same form
                country = self.cluster.country
            except models.ObjectDoesNotExist:
                country = None
            self.phone_numbers = normalise_phone_numbers(self.phone_numbers, country)
        except ValidationError as error:
            raise ValidationError({"phone_numbers": error.messages}) from None

    @property
    def phones(self):
        return [international_format(n) for n in self.phone_numbers.split() if n]

    # What visitors, exports and search engines get: nothing the person did not agree to.
    @property
    def public_email(self):
        return self.email if self.public_consent else ""

    @property
    def public_phones(self):
        return self.phones if self.public_consent else []

    @property
    def public_phone_numbers(self):
        return [n for n in self.phone_numbers.split() if n] if self.public_consent else []

