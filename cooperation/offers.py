"""Cooperation offers: what a cluster looks for or offers (partners, expertise, a consortium,
an event), published by its staff from the admin and listed at /cooperation-offers/."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from profiles.models import (
    RICH_TEXT_HELP,
    Cluster,
    Contact,
    IndustrialEcosystem,
    ProfilePart,
    ProfilePartQuerySet,
    SectoralIndustry,
    TechnologyField,
)
from profiles.rich_text import RichTextField


def still_open():
    """An offer that is published and whose deadline, if any, is today or later.

    A function, not a constant: "today" is read at every query, so that an offer past its
    deadline leaves the lists by itself the next day, with no job to close it.
    """
    today = timezone.localdate()
    return Q(status=CooperationOffer.Status.PUBLISHED) & (
        Q(deadline__isnull=True) | Q(deadline__gte=today)
    )


class _OpenOffers:
    # ProfilePart.fills_tab is read from the class by the profile's tab conditions; read
    # through this, it is computed on each query, with that day's date.
    def __get__(self, instance, owner):
        return still_open()


class CooperationOfferQuerySet(ProfilePartQuerySet):
    def public(self):
        """Offers a visitor may open: published or closed, of a published cluster."""
        return self.filter(
            status__in=[CooperationOffer.Status.PUBLISHED, CooperationOffer.Status.CLOSED],
            cluster__in=Cluster.objects.published(),
        )

    def listed(self):
        """The open offers of published clusters: the lists, feeds, sitemap and API."""
        return self.filter(still_open(), cluster__in=Cluster.objects.published())

    def closed(self):
        """Public offers that are closed or past their deadline (the list's "Closed")."""
        return self.public().exclude(still_open())

    def for_profile(self):
        # The profile's cooperation tab and its JSON list the open offers only.
        return self.filter(still_open()).for_export()

    def for_export(self):
        """With what an offer's JSON reads (opendata.exports.offer_record)."""
        return self.select_related("cluster", "contact").prefetch_related(
            "sectoral_industries", "technology_fields", "industrial_ecosystems"
        )


class CooperationOffer(ProfilePart):
    """An offer or request a cluster publishes: partners wanted, expertise offered…"""

    profile_tab = "cooperation"
    fills_tab = _OpenOffers()

    class Kind(models.TextChoices):
        PARTNERS = "partners", _("Looking for partners")
        EXPERTISE = "expertise", _("Offering expertise or services")
        CONSORTIUM = "consortium", _("Looking for a project consortium")
        EVENT = "event", _("Event or mission")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")

    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="offers", verbose_name=_("cluster")
    )
    kind = models.CharField(_("kind of offer"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("address (slug)"),
        max_length=200,
        unique=True,
        blank=True,
        help_text=_(
            "The offer's address: /cooperation-offers/this-value/. Made from the title when "
            "left empty; changing it breaks shared links."
        ),
    )
    description = RichTextField(_("description"), help_text=RICH_TEXT_HELP)
    sectoral_industries = models.ManyToManyField(
        SectoralIndustry, blank=True, related_name="+", verbose_name=_("sectoral industries")
    )
    technology_fields = models.ManyToManyField(
        TechnologyField, blank=True, related_name="+", verbose_name=_("technology fields")
    )
    industrial_ecosystems = models.ManyToManyField(
        IndustrialEcosystem, blank=True, related_name="+",
        verbose_name=_("industrial ecosystems"),
    )
    target_countries = CountryField(
        _("target countries"),
        multiple=True,
        blank=True,
        help_text=_(
            "The countries where you look for partners; none means anywhere. Hold Ctrl "
            "(⌘ on a Mac) to choose several."
        ),
    )
    deadline = models.DateField(
        _("deadline"),
        null=True,
        blank=True,
        help_text=_(
            "The last day to answer. The day after, the offer leaves the public lists by "
            "itself; leave empty for an offer without a deadline."
        ),
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who answers"),
        help_text=_(
            "The member of your management team who answers; the public page shows their "
            "role, never their e-mail address."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated = models.DateTimeField(_("last updated"), auto_now=True)
    # The title and description folded (lower case, no accents), for the list's search.
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = CooperationOfferQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["updated", "search_text"],
        m2m_fields=["sectoral_industries", "technology_fields", "industrial_ecosystems"],
    )

    class Meta:
        ordering = ["-published_at", "-created"]
        verbose_name = _("cooperation offer")
        verbose_name_plural = _("cooperation offers")
        indexes = [models.Index(fields=["status", "deadline"], name="offer_status_deadline_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="offer_published_has_date",
                violation_error_message=_("A published offer needs its publication date."),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._free_slug()
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        from directory.index import fold  # directory.index reads cooperation's models

        self.search_text = fold(f"{self.title} {strip_tags(self.description)}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "published_at"}
        super().save(*args, **kwargs)

    def _free_slug(self):
        base = slugify(self.title)[:180] or "offer"
        slug, number = base, 1
        taken = CooperationOffer.objects.exclude(pk=self.pk)
        while taken.filter(slug=slug).exists():
            number += 1
            slug = f"{base}-{number}"
        return slug

    def get_absolute_url(self):
        return reverse("cooperation:offer-detail", args=[self.slug])

    @property
    def is_open(self):
        """Published and not past its deadline (what the lists show)."""
        return self.status == self.Status.PUBLISHED and (
            self.deadline is None or self.deadline >= timezone.localdate()
        )
