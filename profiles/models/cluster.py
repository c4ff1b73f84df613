"""The cluster organisation: its profile's fields, publication workflow and pages."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from profiles.countries import country_name
from profiles.fields import WebAddressField
from profiles.logos import LogoField, delete_when_committed
from profiles.places import coordinates_of
from profiles.rich_text import RichTextField

from .editors import is_editor
from .querysets import ClusterManager
from .tabs import ProfilePart, ProfileTabs
from .vocabularies import (
    ClusterExcellenceLabel,
    EmergingIndustry,
    IndustrialEcosystem,
    S3PriorityArea,
    SectoralIndustry,
    SupportService,
    TechnologyField,
)

# One line of the strategy on a result card, cut at a word.
SUMMARY_LENGTH = 160


def portal_languages():
    """The portal's languages (settings.LANGUAGES), offered for the language of the texts."""
    return settings.LANGUAGES


RICH_TEXT_HELP = _(
    "Shown on the public profile as you see it here: the buttons above the text make "
    "headings, bold, italics, lists and links."
)


# Pages of the directory under /clusters/, reserved even before their app is installed.
RESERVED_SLUGS = {"map", "statistics", "network"}


def slug_is_taken_by_the_site(slug):
    """Whether /clusters/<slug>/ is (or will be) a page of the site rather than a profile:
    the reserved names, and whatever the URLs before the profiles' answer there."""
    if slug in RESERVED_SLUGS:
        return True
    try:
        with translation.override(settings.LANGUAGE_CODE):  # the unprefixed addresses
            match = resolve(f"/clusters/{slug}/")
    except Resolver404:
        return False
    return match.view_name != "profiles:cluster-detail"


class YesNo(models.TextChoices):
    NOT_STATED = "", _("Not stated")
    YES = "yes", _("Yes")
    NO = "no", _("No")


# The cluster's vocabulary relations, in tab order: exports and the change history use this.
TERM_RELATIONS = [
    "sectoral_industries",
    "technology_fields",
    "s3_priority_areas",
    "emerging_industries",
    "industrial_ecosystems",
    "support_services",
]


class Cluster(ProfileTabs):
    """A cluster organisation's profile. Its public tabs (SECTIONS) and what fills them, up to
    completeness(), come from ProfileTabs (tabs.py)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "review", _("Submitted for review")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    # General information
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("address (slug)"),
        max_length=200,
        unique=True,
        help_text=_(
            "The profile's address: /clusters/this-value/. Changing it breaks shared links. "
            "Not one of the directory's own addresses: map, statistics, network."
        ),
    )
    acronym = models.CharField(_("acronym"), max_length=50, blank=True)
    country = CountryField(_("country"))
    region = models.CharField(_("region"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=200, blank=True)
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_(
            "Where the cluster is, in decimal degrees (north positive), e.g. 43.263. Filled "
            "from the city when left empty with the longitude; shown on the public maps."
        ),
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("In decimal degrees (east positive), e.g. -2.925."),
    )
    website = WebAddressField(_("website"), blank=True, help_text=_("Public address, starting with https://"))
    logo = LogoField(
        _("logo"),
        upload_to="logos/",
        blank=True,
        help_text=_(
            "PNG, JPEG or WebP, at most 5 MB and 4000 × 4000 pixels; shown on the profile and "
            "its PDF, scaled down to fit 800 × 800 pixels."
        ),
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
    texts_language = models.CharField(
        _("language of the texts"),
        max_length=10,
        choices=portal_languages,
        default="en",
        help_text=_(
            "The language the profile's own texts (strategy, descriptions…) are written in; "
            "pages in another language mark them so that screen readers pronounce them right."
        ),
    )
    languages_spoken = models.CharField(
        _("languages spoken"),
        max_length=300,
        blank=True,
        help_text=_("Separate languages with commas, e.g. “Spanish, English, French”."),
    )

    # Sectoral and industrial focus
    sectoral_industries = models.ManyToManyField(
        SectoralIndustry, blank=True, verbose_name=_("sectoral industries")
    )
    technology_fields = models.ManyToManyField(
        TechnologyField, blank=True, verbose_name=_("technology fields")
    )
    s3_priority_areas = models.ManyToManyField(
        S3PriorityArea, blank=True, verbose_name=_("S3 EU priority areas")
    )
    emerging_industries = models.ManyToManyField(
        EmergingIndustry, blank=True, verbose_name=_("emerging industries")
    )
    industrial_ecosystems = models.ManyToManyField(
        IndustrialEcosystem, blank=True, verbose_name=_("industrial ecosystems")
    )
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
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created = models.DateTimeField(default=timezone.now, editable=False)
    updated = models.DateTimeField(_("last updated"), auto_now=True, db_index=True)

    # Editing and publication
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="staffed_clusters",
        verbose_name=_("cluster staff"),
        help_text=_("People who may edit this profile in the admin. Never shown publicly."),
    )
    review_note = models.TextField(
        _("note from the editors"),
        blank=True,
        help_text=_(
            "What the cluster staff should change before the profile is published. "
            "Write it before pressing “Send back”; it is cleared on publication."
        ),
    )
    staff_changed_at = models.DateTimeField(
        _("changed by cluster staff at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when staff change a published profile; cleared once an editor looks."),
    )
    generated = models.BooleanField(
        default=False,
        editable=False,
        help_text=_("Made up by `manage.py generate_clusters` for load tests; never real data."),
    )

    objects = ClusterManager()
    history = HistoricalRecords(
        excluded_fields=["updated", "staff_changed_at"],
        m2m_fields=[*TERM_RELATIONS, "staff"],
    )

    # The publication workflow: action -> (button label, from statuses, to status, editors only)
    WORKFLOW = {
        "submit_for_review": (
            _("Submit for review"), {Status.DRAFT}, Status.IN_REVIEW, False,
        ),
        "publish": (
            _("Publish"), {Status.DRAFT, Status.IN_REVIEW, Status.RETIRED}, Status.PUBLISHED, True,
        ),
        "send_back": (
            _("Send back with the note"), {Status.IN_REVIEW}, Status.DRAFT, True,
        ),
        "retire": (_("Retire"), {Status.PUBLISHED}, Status.RETIRED, True),
    }

    class Meta:
        ordering = ["name"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
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
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False, latitude__gte=-90,
                    latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="cluster_location_complete_and_on_earth",
                violation_error_message=_(
                    "Give both the latitude (−90 to 90) and the longitude (−180 to 180), "
                    "or neither."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            self.locate()  # an empty location is filled from the city, and saved with it
        replaced = None
        if self.pk is not None and (update_fields is None or "logo" in update_fields):
            stored = getattr(self, "_stored_logo", None)
            if stored is None:  # not loaded from the database (made from a history record)
                stored = Cluster.objects.filter(pk=self.pk).values_list("logo", flat=True).first()
            replaced = stored if stored != self.logo.name else None
        super().save(*args, **kwargs)
        self._stored_logo = self.logo.name
        stored = getattr(self, "_stored_identity", None)
        if stored is not None and stored != (self.name, self.country):
            # Renamed or moved: other clusters' partner rows that link this profile follow.
            self.partnered_by.update(name=self.name, country=self.country)
        self._stored_identity = (self.name, self.country)
        if replaced:
            delete_when_committed([replaced])

    def get_absolute_url(self):
        return reverse("profiles:cluster-detail", args=[self.slug])

    def clean(self):
        if self.slug and slug_is_taken_by_the_site(self.slug):
            raise ValidationError({"slug": _(
                "“%(slug)s” is the address of one of the directory's own pages "
                "(/clusters/%(slug)s/); choose another."
            ) % {"slug": self.slug}})

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if "logo" in field_names:
            # The stored logo's name: save() removes the file once another replaces it.
            instance._stored_logo = values[field_names.index("logo")]
        if "name" in field_names and "country" in field_names:
            # The stored name and country: save() carries a change to partner rows.
            instance._stored_identity = (
                values[field_names.index("name")], values[field_names.index("country")]
            )
        return instance

    def page_urls(self):
        """The addresses of the profile's pages: each tab by its slug, "print", "pdf", "json"."""
        urls = {"general": self.get_absolute_url()}
        for section, _title in self.SECTIONS[1:]:
            urls[section] = reverse("profiles:cluster-section", args=[self.slug, section])
        urls.update(
            print=reverse("profiles:cluster-print", args=[self.slug]),
            pdf=reverse("opendata:cluster-pdf", args=[self.slug]),
            json=reverse("opendata:cluster-json", args=[self.slug]),
        )
        return urls

    def natural_key(self):
        return (self.slug,)

    @property
    def location(self):
        """"City, region, country" with whichever of the first two are known."""
        return ", ".join(part for part in (self.city, self.region, country_name(self.country))
                         if part)

    @property
    def has_location(self):
        return self.latitude is not None and self.longitude is not None

    def locate(self):
        """Fill an empty location from the city and country (profiles/places.py); True when
        one was found. A location given by hand is never replaced."""
        if self.latitude is not None or self.longitude is not None:
            return False
        found = coordinates_of(self.city, self.country)
        if found:
            self.latitude, self.longitude = found
        return bool(found)

    @property
    def distinct_acronym(self):
        """The acronym, unless it only repeats the name (then nothing is shown beside it)."""
        return self.acronym if self.acronym != self.name else ""

    @property
    def summary(self):
        """The strategy's first sentence, as plain text of at most one line of a card."""
        text = " ".join(strip_tags(self.strategy).split())
        sentence = text.split(". ")[0].rstrip(".")
        return Truncator(sentence + "." if sentence else "").chars(SUMMARY_LENGTH)

    @property
    def website_label(self):
        """The website as people say it: "smartcity.example/en", without https://, www. or
        a final slash."""
        label = self.website.split("://", 1)[-1].removeprefix("www.")
        return label.rstrip("/")

    @property
    def monogram(self):
        """Up to two initials of the name: stands in for a missing logo, and draws the demo's."""
        words = [word for word in self.name.replace("-", " ").split() if word[:1].isalnum()]
        return "".join(word[0] for word in words[:2]).upper()

    def card_terms(self, limit=3):
        """Up to `limit` sectors, then ecosystems: what a result card says the cluster does."""
        terms = [*self.sectoral_industries.all(), *self.industrial_ecosystems.all()]
        return terms[:limit]

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED

    @classmethod
    def part_models(cls):
        """The models whose rows belong to one cluster's profile: contacts, composition,
        partners… (not the directory's index of it, derived from these, nor the editors'
        invitations, nor the messages visitors send it: they are not part of the profile)."""
        return [
            rel.related_model
            for rel in cls._meta.related_objects
            if rel.field.name == "cluster" and rel.on_delete is models.CASCADE
            and issubclass(rel.related_model, ProfilePart)
        ]

    def actions_for(self, user):
        """[(action, label)] of the workflow steps `user` may take now."""
        editor = is_editor(user)
        return [
            (action, label)
            for action, (label, sources, _target, editors_only) in self.WORKFLOW.items()
            if self.status in sources and (editor or not editors_only)
        ]

    def take_action(self, action, user):
        """Move the profile along the workflow on behalf of `user`, recording who did it."""
        if action not in dict(self.actions_for(user)):
            raise PermissionDenied(f"{user} may not {action} {self} while it is {self.status}.")
        label, _sources, target, _editors_only = self.WORKFLOW[action]
        if action == "send_back" and not self.review_note.strip():
            raise ValidationError(
                _("Write in “Note from the editors” what should change, then send it back.")
            )
        if action == "publish":
            self.review_note = ""
            self.staff_changed_at = None
        self.status = target
        self._history_user = user
        self._change_reason = str(label)
        self.save()

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

