"""The profile's public tabs: which there are, what fills each, and the completeness score.

A profile part (a contact, or a row of a section app) declares the tab it shows on; the
Cluster inherits ProfileTabs, which reads those declarations and the cluster's own columns.
"""

import functools
import operator

from django.db import models
from django.db.models import OuterRef, Prefetch, Q
from django.utils.translation import gettext_lazy as _


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


class ProfileTabs(models.Model):
    """The Cluster's tabs and completeness. Abstract, so that the Cluster's table, migrations
    and history are as if these were written in its own class."""

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

    class Meta:
        abstract = True

    @classmethod
    def completeness_of(cls, filled_section_count):
        """The completeness percentage for a number of filled sections (see completeness())."""
        return round(100 * filled_section_count / len(cls.SECTIONS))

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
                type(self)._default_manager.filter(pk=self.pk).with_filled_tabs()
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
