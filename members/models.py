import functools
import operator

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from profiles.fields import WebAddressField
from profiles.models import Cluster, ProfilePart

PART_FIELDS = ["sme_members", "large_company_members", "research_members", "other_members"]


def _count(verbose_name, help_text=""):
    return models.PositiveIntegerField(verbose_name, null=True, blank=True, help_text=help_text)


class Composition(ProfilePart):
    """Who the cluster's members are, by kind; each count is optional and public."""

    profile_tab = "composition"
    # Saved with every field empty (the admin's inline), it leaves the tab empty.
    fills_tab = functools.reduce(
        operator.or_,
        [Q(**{f"{count}__isnull": False}) for count in ["total_members", *PART_FIELDS]],
        ~Q(entrepreneurship_facilities=""),
    )

    cluster = models.OneToOneField(Cluster, on_delete=models.CASCADE, related_name="composition")
    total_members = _count(_("total number of members"))
    sme_members = _count(_("number of SME members"))
    large_company_members = _count(_("number of larger company members"))
    research_members = _count(
        _("number of research organisations/universities/technology centres")
    )
    other_members = _count(_("number of other ecosystem actors"))
    entrepreneurship_facilities = models.TextField(
        _("entrepreneurship and scale-up support facilities"),
        blank=True,
        help_text=_("Incubators, accelerators, fab labs… in the cluster's ecosystem."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership figures")
        verbose_name_plural = _("membership figures")
        constraints = [
            models.CheckConstraint(
                condition=Q(total_members__isnull=True)
                | Q(
                    total_members__gte=Coalesce(F("sme_members"), 0)
                    + Coalesce(F("large_company_members"), 0)
                    + Coalesce(F("research_members"), 0)
                    + Coalesce(F("other_members"), 0)
                ),
                name="composition_parts_within_total",
                violation_error_message=_(
                    "The members by kind add up to more than the total number of members."
                ),
            ),
        ] + [
            models.CheckConstraint(
                condition=Q(**{f"{field}__gte": 0}) | Q(**{f"{field}__isnull": True}),
                name=f"composition_{field}_not_negative",
            )
            for field in ["total_members", *PART_FIELDS]
        ]

    def __str__(self):
        return str(_("Composition of %(cluster)s") % {"cluster": self.cluster})

    @property
    def parts_total(self):
        return sum(getattr(self, field) or 0 for field in PART_FIELDS)

    def clean(self):
        if self.total_members is not None and self.parts_total > self.total_members:
            raise ValidationError(
                {
                    "total_members": _(
                        "The members by kind add up to %(parts)s, more than the total of "
                        "%(total)s. Raise the total or correct the parts."
                    )
                    % {"parts": self.parts_total, "total": self.total_members}
                }
            )


class MajorPlayer(ProfilePart):
    """A well-known member named on the profile, with a link to its site."""

    profile_tab = "composition"

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="major_players")
    name = models.CharField(_("name"), max_length=200)
    link = WebAddressField(_("website"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("major player")
        verbose_name_plural = _("major players")

    def __str__(self):
        return self.name
