from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from profiles.fields import WebAddressField
from profiles.models import RICH_TEXT_HELP, Cluster, ProfilePart, ProfilePartQuerySet
from profiles.rich_text import RichTextField


class FundedProgrammeQuerySet(ProfilePartQuerySet):
    def by_scope(self):
        """[{"label", "programmes"}] per scope that has any, for the programmes tab."""
        groups = {scope: {"label": label, "programmes": []}
                  for scope, label in FundedProgramme.Scope.choices}
        for programme in self:
            groups[programme.scope]["programmes"].append(programme)
        return [group for group in groups.values() if group["programmes"]]


class FundedProgramme(ProfilePart):
    """A funded support programme or project the cluster takes part in."""

    profile_tab = "programmes"

    class Scope(models.TextChoices):
        EUROPEAN = "european", _("European programmes")
        NATIONAL = "national", _("National programmes")
        REGIONAL = "regional", _("Regional programmes")

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        PARTNER = "partner", _("Partner")
        ASSOCIATED = "associated", _("Associated partner")
        BENEFICIARY = "beneficiary", _("Beneficiary")

    class Status(models.TextChoices):
        PROPOSAL = "proposal", _("Proposal under evaluation")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="programmes")
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    name = models.CharField(_("project or programme name"), max_length=300)
    description = RichTextField(_("description"), blank=True, help_text=RICH_TEXT_HELP)
    link = WebAddressField(_("website"), blank=True)
    funding_body = models.CharField(
        _("funding programme or body"),
        max_length=300,
        blank=True,
        help_text=_("E.g. “Interreg SUDOE” or “DG REGIO”."),
    )
    role = models.CharField(_("the cluster's role"), max_length=12, choices=Role.choices,
                            blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = FundedProgrammeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "-start_date", "name"]
        verbose_name = _("funded support programme")
        verbose_name_plural = _("funded support programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(start_date__lte=F("end_date")),
                name="programme_starts_before_it_ends",
                violation_error_message=_("The programme cannot end before it starts."),
            )
        ]

    def __str__(self):
        return self.name
