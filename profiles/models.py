from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .fields import FacetKeysField, WebAddressField, international_format, normalise_phone_numbers
from .rich_text import RichTextField

RICH_TEXT_HELP = _(
    "Shown on the public profile. Paragraphs, bold, italics, lists and links are kept; "
    "any other HTML is removed when you save."
)


# --- Controlled vocabularies -------------------------------------------------------------


class TermQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class TermManager(models.Manager.from_queryset(TermQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Term(models.Model):
    """A term of a controlled vocabulary, chosen on profiles and used as a directory facet."""

    name = models.CharField(_("label (English)"), max_length=200, unique=True)
    name_es = models.CharField(
        _("label (Spanish)"),
        max_length=200,
        blank=True,
        help_text=_("Shown on the Spanish site; the English label is used when empty."),
    )
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text=_(
            "Stable identifier used in directory URLs, exports and imports. "
            "Keep it when you rename the label."
        ),
    )
    alias = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Another spelling used by some sources (e.g. “Defence”); imports accept it."),
    )
    is_active = models.BooleanField(
        _("offered to editors"),
        default=True,
        help_text=_(
            "Untick to retire the term: it is no longer offered, "
            "but stays on the profiles that carry it."
        ),
    )
    position = models.PositiveIntegerField(default=0)

    objects = TermManager()

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        return self.label

    def natural_key(self):
        return (self.slug,)

    @property
    def label(self):
        """The label in the visitor's language, falling back to English."""
        if (get_language() or "en").startswith("es") and self.name_es:
            return self.name_es
        return self.name


class SectoralIndustry(Term):
    class Meta(Term.Meta):
        verbose_name = _("sectoral industry")
        verbose_name_plural = _("sectoral industries")


class TechnologyField(Term):
    class Meta(Term.Meta):
        verbose_name = _("technology field")


class S3PriorityArea(Term):
    class Meta(Term.Meta):
        verbose_name = _("S3 EU priority area")


class EmergingIndustry(Term):
    class Meta(Term.Meta):
        verbose_name = _("emerging industry")
        verbose_name_plural = _("emerging industries")


class IndustrialEcosystem(Term):
    class Meta(Term.Meta):
        verbose_name = _("industrial ecosystem")


class ClusterExcellenceLabel(Term):
    class Meta(Term.Meta):
        verbose_name = _("cluster excellence label")


class SupportService(Term):
    class Meta(Term.Meta):
        verbose_name = _("support service")


class CooperationActivity(Term):
    class Meta(Term.Meta):
        verbose_name = _("cooperation activity")
        verbose_name_plural = _("cooperation activities")


# --- The cluster ------------------------------------------------------------------------


class YesNo(models.TextChoices):
    NOT_STATED = "", _("Not stated")
    YES = "yes", _("Yes")
    NO = "no", _("No")


class ClusterQuerySet(models.QuerySet):
    def published(self):
        """What the public sees: the only starting point of public views, search and exports."""
        return self.filter(status=Cluster.Status.PUBLISHED)

    def search(self, text):
        """Clusters matching the visitor's words, annotated with `relevance` (higher first).

        Full-text search plus name similarity for typos on PostgreSQL; a plainer
        accent-sensitive `icontains` on SQLite so that a newcomer's `make run` still searches.
        """
        from . import search

        return search.search(self, text)

    def refresh_search_vectors(self):
        """Recompute the stored search document of these clusters (one UPDATE; PostgreSQL only).

        `save()` keeps it current through signals; bulk inserts must call this themselves.
        """
        from . import search

        return search.refresh_search_vectors(self)

    def refresh_facet_keys(self):
        """Recompute the facet keys of these clusters (one UPDATE; PostgreSQL only).

        Signals keep them current on every change through models and the admin; bulk
        inserts must call this themselves (see profiles/facets.py).
        """
        from . import facets

        return facets.refresh_facet_keys(self)

    def refresh_directory_columns(self):
        """Both stored columns of the directory, search document and facet keys, in one
        UPDATE (PostgreSQL only): half the dead row versions of two UPDATEs after a save or
        a bulk load."""
        from . import facets, search

        if not search._is_postgresql(self):
            return 0
        return self.order_by().update(
            search_vector=search.search_document(), facet_keys=facets.keys_expression()
        )

    def with_profile(self):
        """Everything a profile page shows, in a fixed number of queries."""
        from cooperation.models import PartnerCluster

        partners = PartnerCluster.objects.select_related("partner").order_by("position", "name")
        return self.select_related("excellence_label", "composition").prefetch_related(
            "sectoral_industries",
            "technology_fields",
            "s3_priority_areas",
            "emerging_industries",
            "industrial_ecosystems",
            "support_services",
            "contacts",
            "major_players",
            "target_countries",
            Prefetch("undertaken_activities", queryset=_undertaken_activities()),
            Prefetch("partners", queryset=partners),
            "programmes",
        )


def _undertaken_activities():
    from cooperation.models import UndertakenActivity

    return UndertakenActivity.objects.select_related("activity")


class ClusterManager(models.Manager.from_queryset(ClusterQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Cluster(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "review", _("Submitted for review")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    # The public tabs, in order. Templates, the print view and completeness all read this.
    SECTIONS = [
        ("general", _("General information")),
        ("sectors", _("Sectoral and industrial focus")),
        ("composition", _("Composition of the cluster")),
        ("strategy", _("Cluster strategy")),
        ("cooperation", _("Cooperation activities")),
        ("programmes", _("Support programmes")),
    ]

    # General information
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text=_(
            "The profile's address: /clusters/this-value/. Changing it breaks shared links."
        ),
    )
    acronym = models.CharField(max_length=50, blank=True)
    country = CountryField(_("country"))
    region = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=200, blank=True)
    website = WebAddressField(blank=True, help_text=_("Public address, starting with https://"))
    logo = models.ImageField(
        upload_to="logos/",
        blank=True,
        help_text=_("PNG or JPEG, shown on the profile and its PDF."),
    )
    date_established = models.DateField(
        _("date established"),
        null=True,
        blank=True,
        help_text=_("The date when the cluster organisation was established."),
    )
    management_staff_count = models.PositiveIntegerField(
        _("staff in the management team"),
        null=True,
        blank=True,
        help_text=_("Number of staff in the management team of the cluster organisation."),
    )
    excellence_label = models.ForeignKey(
        ClusterExcellenceLabel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clusters",
        verbose_name=_("cluster excellence label"),
    )
    excellence_label_awarded = models.DateField(_("label awarded on"), null=True, blank=True)
    excellence_label_expires = models.DateField(_("label expires on"), null=True, blank=True)
    other_label = models.CharField(
        _("other label"),
        max_length=300,
        blank=True,
        help_text=_("E.g. “Agrupación Empresarial Innovadora (AEI)”."),
    )
    network_memberships = models.TextField(
        _("membership of other networks/partnerships"), blank=True
    )
    languages_spoken = models.CharField(
        _("languages spoken"),
        max_length=300,
        blank=True,
        help_text=_("Separate languages with commas, e.g. “Spanish, English, French”."),
    )

    # Sectoral and industrial focus
    sectoral_industries = models.ManyToManyField(SectoralIndustry, blank=True)
    technology_fields = models.ManyToManyField(TechnologyField, blank=True)
    s3_priority_areas = models.ManyToManyField(
        S3PriorityArea, blank=True, verbose_name=_("S3 EU priority areas")
    )
    emerging_industries = models.ManyToManyField(EmergingIndustry, blank=True)
    industrial_ecosystems = models.ManyToManyField(IndustrialEcosystem, blank=True)
    specialisation_other = models.TextField(
        _("areas of specialisation not covered above"),
        blank=True,
        help_text=_("Separate areas with commas."),
    )

    # Cluster strategy
    strategy = RichTextField(_("strategy and goals"), blank=True, help_text=RICH_TEXT_HELP)
    has_formal_strategy = models.CharField(
        _("formalised strategy?"), max_length=3, choices=YesNo.choices, blank=True
    )
    has_internationalisation_strategy = models.CharField(
        _("strategy focus on internationalisation?"),
        max_length=3,
        choices=YesNo.choices,
        blank=True,
    )
    support_services = models.ManyToManyField(
        SupportService, blank=True, verbose_name=_("support services provided")
    )
    support_services_details = RichTextField(
        _("details of support services"), blank=True, help_text=RICH_TEXT_HELP
    )
    why_choose_us = RichTextField(
        _("why should partners choose you for cooperation?"),
        blank=True,
        help_text=RICH_TEXT_HELP,
    )

    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created = models.DateTimeField(default=timezone.now, editable=False)
    updated = models.DateTimeField(_("last updated"), auto_now=True, db_index=True)

    # The directory's full-text document (see profiles/search.py), kept current by signals.
    # Its GIN index exists on PostgreSQL only (migration 0003); on SQLite it stays empty.
    search_vector = SearchVectorField(null=True, editable=False)
    # Every facet value of the cluster ("country:ES", "sector:12", …) for the directory's
    # filters and counts (see profiles/facets.py); GIN-indexed and filled on PostgreSQL only.
    facet_keys = FacetKeysField(models.TextField(), null=True, editable=False)
    generated = models.BooleanField(
        default=False,
        editable=False,
        help_text=_("Made up by `manage.py generate_clusters` for load tests; never real data."),
    )

    objects = ClusterManager()

    class Meta:
        ordering = ["name"]
        indexes = [
            # The directory sorts by name and by country then name; the page is read by index.
            models.Index(fields=["name"], name="cluster_name_idx"),
            models.Index(fields=["country", "name"], name="cluster_country_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(excellence_label_expires__isnull=True)
                | Q(excellence_label_awarded__isnull=True)
                | Q(excellence_label_awarded__lte=models.F("excellence_label_expires")),
                name="cluster_label_awarded_before_expiry",
                violation_error_message=_("The label cannot expire before it was awarded."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("profiles:cluster-detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED

    @property
    def languages(self):
        return [lang.strip() for lang in self.languages_spoken.split(",") if lang.strip()]

    @property
    def specialisations(self):
        return [s.strip() for s in self.specialisation_other.split(",") if s.strip()]

    @property
    def composition_or_none(self):
        try:
            return self.composition
        except models.ObjectDoesNotExist:
            return None

    def section_is_filled(self, section):
        """True when the public tab `section` has at least one fact to show.

        Reads the prefetched relations, so it costs no query after `with_profile()`.
        """
        if section == "general":
            return True
        if section == "sectors":
            return bool(
                self.sectoral_industries.all()
                or self.technology_fields.all()
                or self.s3_priority_areas.all()
                or self.emerging_industries.all()
                or self.industrial_ecosystems.all()
                or self.specialisation_other
            )
        if section == "composition":
            composition = self.composition_or_none
            return bool((composition and composition.is_filled) or self.major_players.all())
        if section == "strategy":
            return bool(
                self.strategy
                or self.has_formal_strategy
                or self.has_internationalisation_strategy
                or self.support_services.all()
                or self.support_services_details
            )
        if section == "cooperation":
            return bool(
                self.target_countries.all()
                or self.undertaken_activities.all()
                or self.partners.all()
            )
        if section == "programmes":
            return bool(self.programmes.all() or self.why_choose_us)
        raise ValueError(f"Unknown section {section!r}")

    def filled_sections(self):
        return [(slug, title) for slug, title in self.SECTIONS if self.section_is_filled(slug)]

    def completeness(self):
        """Share of public sections filled, as a whole percentage, and the empty ones' titles."""
        empty = [title for slug, title in self.SECTIONS if not self.section_is_filled(slug)]
        filled = len(self.SECTIONS) - len(empty)
        return round(100 * filled / len(self.SECTIONS)), empty

    def cooperation_by_scope(self):
        """{scope: {"countries": [...], "activities": [...]}} for the cooperation tab."""
        from cooperation.models import Scope

        scopes = {scope: {"label": label, "countries": [], "activities": []}
                  for scope, label in Scope.choices}
        for target in self.target_countries.all():
            scopes[target.scope]["countries"].append(target.country)
        for undertaken in self.undertaken_activities.all():
            scopes[undertaken.scope]["activities"].append(undertaken.activity)
        return [s for s in scopes.values() if s["countries"] or s["activities"]]

    def programmes_by_scope(self):
        from programmes.models import FundedProgramme

        groups = {scope: {"label": label, "programmes": []}
                  for scope, label in FundedProgramme.Scope.choices}
        for programme in self.programmes.all():
            groups[programme.scope]["programmes"].append(programme)
        return [g for g in groups.values() if g["programmes"]]


class Contact(models.Model):
    """A person or function in the cluster's management team, shown on the public profile."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="contacts")
    role = models.CharField(
        max_length=200, help_text=_("Public, e.g. “Cluster Manager” or “Project Manager”.")
    )
    name = models.CharField(max_length=200, blank=True, help_text=_("Optional; public."))
    email = models.EmailField(blank=True, help_text=_("Optional; public."))
    phone_numbers = models.TextField(
        blank=True,
        help_text=_(
            "One number per line with its country code, e.g. +34 600 958 325. "
            "Shown in one international format however you type it."
        ),
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("management team contact")

    def __str__(self):
        return self.name or self.role

    def clean(self):
        from django.core.exceptions import ValidationError

        try:
            self.phone_numbers = normalise_phone_numbers(self.phone_numbers)
        except ValidationError as error:
            raise ValidationError({"phone_numbers": error.messages}) from None

    @property
    def phones(self):
        return [international_format(n) for n in self.phone_numbers.split() if n]
