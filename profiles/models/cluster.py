"""The cluster organisation, its management-team contacts, and who may edit it."""

import functools
import operator

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Prefetch, Q
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from profiles.countries import country_name
from profiles.fields import WebAddressField, international_format, normalise_phone_numbers
from profiles.logos import LogoField, delete_when_committed
from profiles.places import coordinates_of
from profiles.rich_text import RichTextField

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



# --- Who edits what ---------------------------------------------------------------------

EDITORS_GROUP = "Editors"


def is_editor(user):
    """Portal editors (superusers and the "Editors" group) see and manage every profile."""
    if not (user.is_authenticated and user.is_active):
        return False
    if not hasattr(user, "_is_portal_editor"):
        user._is_portal_editor = user.is_superuser or user.groups.filter(
            name=EDITORS_GROUP
        ).exists()
    return user._is_portal_editor


# --- The cluster ------------------------------------------------------------------------

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


class ClusterQuerySet(models.QuerySet):
    def published(self):
        """What the public sees: the only starting point of public views, search and exports."""
        return self.filter(status=Cluster.Status.PUBLISHED)

    def editable_by(self, user):
        """The profiles `user` may edit: all for editors, their own cluster(s) for staff."""
        if is_editor(user):
            return self.all()
        if not user.is_authenticated:
            return self.none()
        return self.filter(pk__in=Cluster.staff.through.objects.filter(user=user).values("cluster"))

    def referable_by(self, user):
        """Profiles `user` may name as a partner: their own and any published one (public)."""
        if is_editor(user):
            return self.all()
        return self.filter(
            Q(status=Cluster.Status.PUBLISHED) | Q(pk__in=self.editable_by(user).values("pk"))
        )

    def with_filled_tabs(self):
        """Annotate `filled_<tab>` for every public tab: whether it has anything to show.

        The tab bar, the print view and `section_is_filled()` read these (Cluster.tab_conditions).
        """
        return self.annotate(**{
            f"filled_{slug}": models.Case(
                models.When(condition, then=True), default=False,
                output_field=models.BooleanField(),
            )
            for slug, condition in Cluster.tab_conditions().items()
        })

    def with_completeness(self):
        """Annotate `filled_section_count`, the number of filled public tabs.

        Computed in the query, not stored, so that it can never be stale and the admin can
        sort by it; the same conditions as `with_filled_tabs()`.
        """
        count = sum(
            (models.Case(models.When(condition, then=1), default=0)
             for condition in Cluster.tab_conditions().values()),
            start=models.Value(0),
        )
        return self.annotate(filled_section_count=count)

    def with_profile(self):
        """Everything a profile page shows, in a fixed number of queries."""
        relations = [r for slug, _title in Cluster.SECTIONS for r in Cluster.tab_relations(slug)]
        return (
            self.select_related("excellence_label", "composition")
            .with_filled_tabs()
            .prefetch_related(*[Cluster.tab_prefetch(relation) for relation in relations])
        )

    def with_tab(self, section):
        """What one profile tab shows, and the header's key facts; for the other tabs, only
        whether they have anything.

        Three queries for most tabs instead of with_profile()'s thirteen: a tab page spent
        three quarters of its time building queries for rows it did not show (bench/load.py).
        """
        relations = dict.fromkeys([*Cluster.tab_relations(section), *Cluster.HEADER_RELATIONS])
        return (
            self.select_related("excellence_label", "composition")
            .with_filled_tabs()
            .prefetch_related(*[Cluster.tab_prefetch(relation) for relation in relations])
        )


class ProfilePartQuerySet(models.QuerySet):
    def for_profile(self):
        """The rows as a public tab shows them; a part adds what it reads with each row."""
        return self


class ProfilePart(models.Model):
    """A row that belongs to one cluster and shows on one of its public tabs: a contact, or
    a row of a section app (members, cooperation, programmes).

    Each part declares its tab (`profile_tab`, a slug of Cluster.SECTIONS) and, when not
    every row gives the tab something to show, which rows do (`fills_tab`). The profile
    reads both through `Cluster._meta.related_objects`, so profiles imports no section app.
    """

    profile_tab = None
    fills_tab = Q()

    objects = ProfilePartQuerySet.as_manager()

    class Meta:
        abstract = True


class ClusterManager(models.Manager.from_queryset(ClusterQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


# The cluster's vocabulary relations, in tab order: exports and the change history use this.
TERM_RELATIONS = [
    "sectoral_industries",
    "technology_fields",
    "s3_priority_areas",
    "emerging_industries",
    "industrial_ecosystems",
    "support_services",
]


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
    # The tab bar's short names: six fit on one line of a laptop, and scan on a phone.
    TAB_LABELS = {
        "general": _("Overview"),
        "sectors": _("Sectors"),
        "composition": _("Members"),
        "strategy": _("Strategy"),
        "cooperation": _("Cooperation"),
        "programmes": _("Programmes"),
    }

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

    @classmethod
    def completeness_of(cls, filled_section_count):
        """The completeness percentage for a number of filled sections (see completeness())."""
        return round(100 * filled_section_count / len(cls.SECTIONS))

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

    # What the profile's header shows on every tab besides the cluster's own columns.
    HEADER_RELATIONS = ["industrial_ecosystems"]

    # The cluster's own columns and vocabularies that give a tab something to show. The
    # section apps' rows declare their own tab (ProfilePart.profile_tab, fills_tab).
    TAB_FIELDS = {
        "sectors": ["sectoral_industries", "technology_fields", "s3_priority_areas",
                    "emerging_industries", "industrial_ecosystems", "specialisation_other"],
        "strategy": ["strategy", "has_formal_strategy", "has_internationalisation_strategy",
                     "support_services", "support_services_details"],
        "programmes": ["why_choose_us"],
    }

    @classmethod
    def part_relations(cls, section):
        """The reverse relations to the parts shown on the tab `section`: by their `cluster`
        field (a partner row also names another cluster, which does not own it)."""
        return [
            rel for rel in cls._meta.related_objects
            if rel.field.name == "cluster"
            and getattr(rel.related_model, "profile_tab", None) == section
        ]

    @classmethod
    def tab_conditions(cls):
        """{tab slug: condition}: when a public tab has anything to show.

        The one definition of a filled tab: the tab bar, the print view, the completeness
        score and the admin's sortable completeness column all read it.
        """
        conditions = {}
        for slug, _title in cls.SECTIONS:
            if slug == "general":
                conditions[slug] = Q(pk__isnull=False)  # the name is always there
                continue
            filled = []
            for name in cls.TAB_FIELDS.get(slug, []):
                field = cls._meta.get_field(name)
                if field.many_to_many:
                    through = field.remote_field.through.objects
                    filled.append(models.Exists(
                        through.filter(**{field.m2m_field_name(): OuterRef("pk")})
                    ))
                else:
                    filled.append(~Q(**{name: ""}))
            for rel in cls.part_relations(slug):
                part = rel.related_model
                filled.append(models.Exists(
                    part._default_manager.filter(part.fills_tab, **{rel.field.name: OuterRef("pk")})
                ))
            conditions[slug] = functools.reduce(operator.or_, filled)
        return conditions

    @classmethod
    def tab_relations(cls, section):
        """The relations the tab `section` lists (prefetched by with_tab(); the composition,
        one row, comes with the cluster's own query)."""
        vocabularies = [
            name for name in cls.TAB_FIELDS.get(section, [])
            if cls._meta.get_field(name).many_to_many
        ]
        parts = [rel.get_accessor_name() for rel in cls.part_relations(section)
                 if not rel.one_to_one]
        return vocabularies + parts

    @classmethod
    def tab_prefetch(cls, relation):
        field = cls._meta.get_field(relation)
        if field.many_to_many:
            return relation
        return Prefetch(relation, queryset=field.related_model._default_manager.for_profile())

    def section_is_filled(self, section):
        """True when the public tab `section` has at least one fact to show.

        Read from the annotations of with_tab(), with_profile() or with_filled_tabs(); a
        cluster loaded without them asks the database once for every tab.
        """
        if section not in dict(self.SECTIONS):
            raise ValueError(f"Unknown section {section!r}")
        name = f"filled_{section}"
        if not hasattr(self, name):
            flags = (
                Cluster.objects.filter(pk=self.pk).with_filled_tabs()
                .values(*[f"filled_{slug}" for slug, _title in self.SECTIONS]).get()
            )
            for flag, value in flags.items():
                setattr(self, flag, value)
        return getattr(self, name)

    def filled_sections(self):
        return [(slug, title) for slug, title in self.SECTIONS if self.section_is_filled(slug)]

    def completeness(self):
        """Share of public sections filled, as a whole percentage, and the empty ones' titles."""
        empty = [title for slug, title in self.SECTIONS if not self.section_is_filled(slug)]
        return self.completeness_of(len(self.SECTIONS) - len(empty)), empty


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

