import functools

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models
from django.db.models import OuterRef, Prefetch, Q
from django.db.models.expressions import RawSQL
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from .countries import country_name
from .fields import WebAddressField, international_format, normalise_phone_numbers
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
        return self.label_of(self.name, self.name_es)

    def search_labels(self):
        """Every label of the term, in every language, and its alias: the directory finds the
        clusters carrying it by any of them."""
        return [label for label in (self.name, self.name_es, self.alias) if label]

    @staticmethod
    def label_of(name, name_es):
        """`label` from the two columns, for code that reads them without a model instance."""
        if name_es and (get_language() or "en").startswith("es"):
            return name_es
        return name


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

    def with_completeness(self):
        """Annotate `filled_section_count`: the database's reading of section_is_filled().

        Computed in the query, not stored, so that it can never be stale and the admin can
        sort by it; tests hold it to the same answers as the Python method.
        """
        from cooperation.models import PartnerCluster, TargetCountry, UndertakenActivity
        from members.models import Composition, MajorPlayer
        from programmes.models import FundedProgramme

        def rows(model, **filters):
            return models.Exists(model.objects.filter(cluster=OuterRef("pk"), **filters))

        def chosen(field):
            return rows(Cluster._meta.get_field(field).remote_field.through)

        def filled(text_field):
            return ~Q(**{text_field: ""})

        composition_filled = Q(total_members__isnull=False) | ~Q(entrepreneurship_facilities="")
        for count in ["sme_members", "large_company_members", "research_members",
                      "other_members"]:
            composition_filled |= Q(**{f"{count}__isnull": False})
        sections = {
            "general": Q(pk__isnull=False),
            "sectors": chosen("sectoral_industries") | chosen("technology_fields")
            | chosen("s3_priority_areas") | chosen("emerging_industries")
            | chosen("industrial_ecosystems") | filled("specialisation_other"),
            "composition": models.Exists(
                Composition.objects.filter(composition_filled, cluster=OuterRef("pk"))
            ) | rows(MajorPlayer),
            "strategy": filled("strategy") | filled("has_formal_strategy")
            | filled("has_internationalisation_strategy") | chosen("support_services")
            | filled("support_services_details"),
            "cooperation": rows(TargetCountry) | rows(UndertakenActivity) | rows(PartnerCluster),
            "programmes": rows(FundedProgramme) | filled("why_choose_us"),
        }
        assert list(sections) == [slug for slug, _title in Cluster.SECTIONS]
        count = sum(
            (models.Case(models.When(condition, then=1), default=0)
             for condition in sections.values()),
            start=models.Value(0),
        )
        return self.annotate(filled_section_count=count)

    def with_profile(self):
        """Everything a profile page shows, in a fixed number of queries."""
        return self.select_related("excellence_label", "composition").prefetch_related(
            *[_profile_prefetch(relation) for relation in PROFILE_RELATIONS]
        )

    def with_tab(self, section):
        """What one profile tab shows; for the other tabs, only whether they have anything.

        Two queries for most tabs instead of with_profile()'s thirteen: a tab page spent
        three quarters of its time building queries for rows it did not show (bench/load.py).
        """
        return (
            self.select_related("excellence_label", "composition")
            .annotate(filled_mask=filled_mask())
            .prefetch_related(*[_profile_prefetch(r) for r in TAB_RELATIONS[section]])
        )

    # Bulk writes send no signals: tell the page cache here (cluster_portal/page_cache.py).
    def update(self, **kwargs):
        from cluster_portal import page_cache

        return page_cache.bulk_update(self, super().update, kwargs)

    def update_derived(self, **kwargs):
        """Write columns derived from a change that the page cache's receivers have already
        seen (last updated, search document, facet keys): no slug or status changes, so the
        pages to invalidate are known already and `update()`'s lookups would repeat them."""
        return super().update(**kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        from cluster_portal import page_cache

        created = super().bulk_create(objs, *args, **kwargs)
        page_cache.clusters_created(created)
        return created


# The relations each public tab shows, in tab order; with_profile() reads them all.
TAB_RELATIONS = {
    "general": ["contacts"],
    "sectors": ["sectoral_industries", "technology_fields", "s3_priority_areas",
                "emerging_industries", "industrial_ecosystems"],
    "composition": ["major_players"],
    "strategy": ["support_services"],
    "cooperation": ["target_countries", "undertaken_activities", "partners"],
    "programmes": ["programmes"],
}
PROFILE_RELATIONS = [relation for relations in TAB_RELATIONS.values() for relation in relations]
# The relations that decide whether a tab is offered at all (the general tab always is).
FILLING_RELATIONS = [r for r in PROFILE_RELATIONS if r not in TAB_RELATIONS["general"]]


def _profile_prefetch(relation):
    from cooperation.models import PartnerCluster

    if relation == "undertaken_activities":
        return Prefetch(relation, queryset=_undertaken_activities())
    if relation == "partners":
        partners = PartnerCluster.objects.select_related("partner").order_by("position", "name")
        return Prefetch(relation, queryset=partners)
    return relation


def filled_mask():
    """SQL for one integer whose bit i says whether FILLING_RELATIONS[i] has rows.

    Plain SQL built from the models' metadata, as one annotation of the cluster's own query:
    the same question as eleven Exists() annotations costs more to compile than to answer,
    and as a query of its own, one more round trip (bench/load.py).
    """
    return RawSQL(_filled_mask_sql(), ())


@functools.cache
def _filled_mask_sql():
    # Built once per process: the models' metadata does not change while it runs.
    quote = connection.ops.quote_name
    cluster_id = f"{quote(Cluster._meta.db_table)}.{quote(Cluster._meta.pk.column)}"
    checks = []
    for bit, name in enumerate(FILLING_RELATIONS):
        field = Cluster._meta.get_field(name)
        model = field.remote_field.through if field.many_to_many else field.related_model
        column = quote(model._meta.get_field("cluster").column)
        checks.append(
            f"(CASE WHEN EXISTS (SELECT 1 FROM {quote(model._meta.db_table)} "
            f"WHERE {column} = {cluster_id}) THEN {1 << bit} ELSE 0 END)"
        )
    return " + ".join(checks)


def _undertaken_activities():
    from cooperation.models import UndertakenActivity

    return UndertakenActivity.objects.select_related("activity")


_SLUG_STAND_IN = "0slug-stand-in0"


@functools.lru_cache(maxsize=64)
def _profile_address(language, script_prefix, urlconf):
    return reverse("profiles:cluster-detail", args=[_SLUG_STAND_IN], urlconf=urlconf)


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
        # Reversed once per language, script prefix and URL configuration, then the slug put
        # in its place: a directory page links twenty profiles, and reversing each took a
        # tenth of its template's time (bench/render.py). A test holds it to reverse().
        address = _profile_address(get_language(), get_script_prefix(), get_urlconf())
        return address.replace(_SLUG_STAND_IN, self.slug)

    def page_urls(self):
        """The addresses of the profile's pages: each tab by its slug, "print", "pdf", "json".

        One reversal: the other pages sit under the profile's own address (profiles/urls.py;
        a test holds the two together). Reversing each link took a twentieth of a tab's time.
        """
        profile = self.get_absolute_url()
        urls = {section: f"{profile}{section}/" for section, _title in self.SECTIONS}
        urls.update(general=profile, print=f"{profile}print/", pdf=f"{profile}profile.pdf",
                    json=f"{profile}profile.json")
        return urls

    def natural_key(self):
        return (self.slug,)

    @property
    def location(self):
        """"City, region, country" with whichever of the first two are known."""
        return ", ".join(part for part in (self.city, self.region, country_name(self.country))
                         if part)

    @property
    def distinct_acronym(self):
        """The acronym, unless it only repeats the name (then nothing is shown beside it)."""
        return self.acronym if self.acronym != self.name else ""

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED

    @classmethod
    def part_models(cls):
        """The models whose rows belong to one cluster: contacts, composition, partners…
        (not the directory's index of it, which is derived from these)."""
        return [
            rel.related_model
            for rel in cls._meta.related_objects
            if rel.field.name == "cluster" and rel.on_delete is models.CASCADE
            and rel.related_model._meta.app_label != "directory"
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

    def section_is_filled(self, section):
        """True when the public tab `section` has at least one fact to show.

        Reads the prefetched relations, so it costs no query after `with_profile()` or
        `with_tab()` (whose `filled_mask` answers for the relations it did not prefetch).
        """
        if section == "general":
            return True
        if section == "sectors":
            return bool(
                self.has_rows("sectoral_industries")
                or self.has_rows("technology_fields")
                or self.has_rows("s3_priority_areas")
                or self.has_rows("emerging_industries")
                or self.has_rows("industrial_ecosystems")
                or self.specialisation_other
            )
        if section == "composition":
            composition = self.composition_or_none
            return bool((composition and composition.is_filled) or self.has_rows("major_players"))
        if section == "strategy":
            return bool(
                self.strategy
                or self.has_formal_strategy
                or self.has_internationalisation_strategy
                or self.has_rows("support_services")
                or self.support_services_details
            )
        if section == "cooperation":
            return bool(
                self.has_rows("target_countries")
                or self.has_rows("undertaken_activities")
                or self.has_rows("partners")
            )
        if section == "programmes":
            return bool(self.has_rows("programmes") or self.why_choose_us)
        raise ValueError(f"Unknown section {section!r}")

    def has_rows(self, relation):
        """Whether `relation` (e.g. "partners") has any row, from the prefetch if there is one."""
        prefetched = getattr(self, "_prefetched_objects_cache", {})
        if relation in prefetched:
            return bool(prefetched[relation])
        if getattr(self, "filled_mask", None) is None:  # not loaded by with_tab(): one query
            self.filled_mask = (
                Cluster.objects.filter(pk=self.pk)
                .annotate(filled_mask=filled_mask())
                .values_list("filled_mask", flat=True)
                .get()
            )
        return bool(self.filled_mask & (1 << FILLING_RELATIONS.index(relation)))

    def filled_sections(self):
        return [(slug, title) for slug, title in self.SECTIONS if self.section_is_filled(slug)]

    def completeness(self):
        """Share of public sections filled, as a whole percentage, and the empty ones' titles."""
        empty = [title for slug, title in self.SECTIONS if not self.section_is_filled(slug)]
        return self.completeness_of(len(self.SECTIONS) - len(empty)), empty

    def cooperation_by_scope(self):
        """Per scope that has any: {"label", "countries", "activities"}, for the cooperation tab."""
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

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("management team contact")

    def __str__(self):
        return self.name or self.role

    def clean(self):
        try:
            self.phone_numbers = normalise_phone_numbers(self.phone_numbers)
        except ValidationError as error:
            raise ValidationError({"phone_numbers": error.messages}) from None

    @property
    def phones(self):
        return [international_format(n) for n in self.phone_numbers.split() if n]
