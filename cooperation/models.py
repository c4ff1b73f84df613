from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from profiles.fields import WebAddressField
from profiles.models import Cluster, CooperationActivity, ProfilePart, ProfilePartQuerySet


class Scope(models.TextChoices):
    INTERNATIONAL = "international", _("International cooperation")
    TRANSNATIONAL = "transnational", _("Trans-national cooperation")


def by_scope(cluster):
    """[{"label", "countries", "activities"}] per scope that has any, for the cooperation tab.

    Reads the cluster's prefetched target countries and activities (Cluster.with_tab).
    """
    scopes = {scope: {"label": label, "countries": [], "activities": []}
              for scope, label in Scope.choices}
    for target in cluster.target_countries.all():
        scopes[target.scope]["countries"].append(target.country)
    for undertaken in cluster.undertaken_activities.all():
        scopes[undertaken.scope]["activities"].append(undertaken.activity)
    return [scope for scope in scopes.values() if scope["countries"] or scope["activities"]]


class TargetCountry(ProfilePart):
    """A country the cluster targets; international = beyond the EU, trans-national = within."""

    profile_tab = "cooperation"

    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="target_countries"
    )
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    country = CountryField(_("country"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["scope", "country"]
        verbose_name = _("target country")
        verbose_name_plural = _("target countries")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "scope", "country"],
                name="target_country_once_per_scope",
                violation_error_message=_("This country is already listed for this scope."),
            )
        ]
        indexes = [models.Index(fields=["country", "cluster"])]

    def __str__(self):
        return f"{self.get_scope_display()}: {self.country.name}"


class UndertakenActivityQuerySet(ProfilePartQuerySet):
    def for_profile(self):
        return self.select_related("activity")


class UndertakenActivity(ProfilePart):
    """An activity the cluster undertook to support its members abroad."""

    profile_tab = "cooperation"

    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="undertaken_activities"
    )
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    activity = models.ForeignKey(
        CooperationActivity, on_delete=models.PROTECT, verbose_name=_("activity")
    )

    objects = UndertakenActivityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["scope", "activity__position", "activity__name"]
        verbose_name = _("cooperation activity undertaken")
        verbose_name_plural = _("cooperation activities undertaken")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "scope", "activity"],
                name="activity_once_per_scope",
                violation_error_message=_("This activity is already listed for this scope."),
            )
        ]

    def __str__(self):
        return f"{self.get_scope_display()}: {self.activity}"


class PartnerClusterQuerySet(ProfilePartQuerySet):
    def for_profile(self):
        # The tab links each partner's profile while it is published (public_profile).
        return self.select_related("partner")


class PartnerCluster(ProfilePart):
    """A cluster this one collaborates with; linked to its profile when it is on the portal."""

    profile_tab = "cooperation"

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("name"), max_length=200)
    country = CountryField(_("country"), blank=True)
    link = WebAddressField(_("website"), blank=True,
                           help_text=_("The partner's own website (optional)."))
    partner = models.ForeignKey(
        Cluster,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partnered_by",
        verbose_name=_("profile on this portal"),
        help_text=_("When the partner has a published profile here, the public page links to it."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = PartnerClusterQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("partner cluster")
        verbose_name_plural = _("partner clusters")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(partner=models.F("cluster")),
                name="partner_is_another_cluster",
                violation_error_message=_("A cluster cannot be its own partner."),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.partner_id:
            # What the row leaves empty comes from the chosen profile; a name the row gives
            # ("Our Hungarian partner") stays.
            self.name = self.name.strip() or self.partner.name
            self.country = self.country or self.partner.country
        elif not self.name.strip():
            raise ValidationError(
                {"name": _("Type the partner's name, or choose its profile on this portal.")}
            )

    @property
    def public_profile(self):
        """The partner's profile when visitors can open it, else None."""
        if self.partner_id and self.partner.is_public:
            return self.partner
        return None


# Offers and visitors' messages live in their own modules; imported here so that Django finds
# the models.
from .interest_messages import InterestMessage  # noqa: E402, F401
from .offers import CooperationOffer  # noqa: E402, F401
