"""factory-boy factories for every model; tests build their cases with these, never by hand.

Like the admin, the factories tell cluster_portal/changes.py what they created, so that the
directory and the visitors' page cache see the new rows. A test that changes rows in code
afterwards calls `clusters_changed()` itself, or makes the change where a user would.
"""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from cluster_portal import changes
from cooperation.models import (
    CooperationOffer,
    InterestMessage,
    PartnerCluster,
    Scope,
    TargetCountry,
    UndertakenActivity,
)
from editorial.models import Claim, Registration
from members.models import Composition, MajorPlayer
from profiles import models as profiles
from programmes.models import FundedProgramme


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("a-long-test-password")
    is_staff = True


class SuperuserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"editor{n}")
    is_superuser = True


class PortalEditorFactory(UserFactory):
    """A portal editor by membership of the "Editors" group, not a superuser."""

    class Meta:
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"portal-editor{n}")

    @factory.post_generation
    def editors_group(self, create, extracted, **kwargs):
        if create:
            from django.contrib.auth.models import Group

            from profiles.models import EDITORS_GROUP

            self.groups.add(Group.objects.get_or_create(name=EDITORS_GROUP)[0])


def _term_factory(term_model):
    class TermFactory(factory.django.DjangoModelFactory):
        class Meta:
            model = term_model
            django_get_or_create = ["slug"]

        name = factory.Sequence(lambda n: f"{term_model._meta.verbose_name.title()} term {n}")
        slug = factory.LazyAttribute(lambda t: slugify(t.name))

        @classmethod
        def _after_postgeneration(cls, instance, create, results=None):
            super()._after_postgeneration(instance, create, results)
            if create:
                changes.term_changed(instance)

    TermFactory.__name__ = f"{term_model.__name__}Factory"
    return TermFactory


SectoralIndustryFactory = _term_factory(profiles.SectoralIndustry)
TechnologyFieldFactory = _term_factory(profiles.TechnologyField)
S3PriorityAreaFactory = _term_factory(profiles.S3PriorityArea)
EmergingIndustryFactory = _term_factory(profiles.EmergingIndustry)
IndustrialEcosystemFactory = _term_factory(profiles.IndustrialEcosystem)
ClusterExcellenceLabelFactory = _term_factory(profiles.ClusterExcellenceLabel)
SupportServiceFactory = _term_factory(profiles.SupportService)
CooperationActivityFactory = _term_factory(profiles.CooperationActivity)


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = profiles.Cluster
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Test Cluster {n}")
    slug = factory.LazyAttribute(lambda c: slugify(c.name))
    country = "ES"
    region = "Andalucía"
    city = "Sevilla"
    status = profiles.Cluster.Status.PUBLISHED

    class Params:
        draft = factory.Trait(status=profiles.Cluster.Status.DRAFT)
        retired = factory.Trait(status=profiles.Cluster.Status.RETIRED)

    @factory.post_generation
    def sectoral_industries(self, create, extracted, **kwargs):
        if create and extracted:
            self.sectoral_industries.set(extracted)

    @factory.post_generation
    def technology_fields(self, create, extracted, **kwargs):
        if create and extracted:
            self.technology_fields.set(extracted)

    @factory.post_generation
    def s3_priority_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.s3_priority_areas.set(extracted)

    @factory.post_generation
    def emerging_industries(self, create, extracted, **kwargs):
        if create and extracted:
            self.emerging_industries.set(extracted)

    @factory.post_generation
    def industrial_ecosystems(self, create, extracted, **kwargs):
        if create and extracted:
            self.industrial_ecosystems.set(extracted)

    @factory.post_generation
    def support_services(self, create, extracted, **kwargs):
        if create and extracted:
            self.support_services.set(extracted)

    @factory.post_generation
    def staff(self, create, extracted, **kwargs):
        """ClusterFactory(staff=[user, …]): the people who may edit the profile."""
        if create and extracted:
            self.staff.set(extracted)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        super()._after_postgeneration(instance, create, results)
        if create:  # with its vocabularies, set above
            changes.clusters_changed([instance.pk], touched=False)


class PartFactory(factory.django.DjangoModelFactory):
    """A row of a cluster's (contact, partner…): it dates the profile, as in the admin."""

    class Meta:
        abstract = True

    cluster = factory.SubFactory(ClusterFactory)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        super()._after_postgeneration(instance, create, results)
        if create:
            changes.clusters_changed([instance.cluster_id])


class FullClusterFactory(ClusterFactory):
    """A cluster with every scalar field of the profile filled."""

    acronym = factory.LazyAttribute(lambda c: "".join(w[0] for w in c.name.split()).upper())
    website = "https://cluster.example.org/"
    date_established = datetime.date(2014, 3, 21)
    management_staff_count = 6
    excellence_label = factory.SubFactory(ClusterExcellenceLabelFactory)
    excellence_label_awarded = datetime.date(2023, 5, 1)
    excellence_label_expires = datetime.date(2027, 4, 30)
    other_label = "Agrupación Empresarial Innovadora (AEI)"
    network_memberships = "European Smart Cities Network"
    languages_spoken = "Spanish, English"
    specialisation_other = "Mobility and Road Safety, Tourism and Smart Destinations"
    strategy = "<p>An alliance for <strong>smart cities</strong>.</p>"
    has_formal_strategy = "yes"
    has_internationalisation_strategy = "no"
    support_services_details = "<ul><li>R&amp;D: Project Support.</li></ul>"
    why_choose_us = "<p>Critical mass: 175 associate members.</p>"


class ContactFactory(PartFactory):
    class Meta:
        model = profiles.Contact

    role = "Cluster Manager"
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"contact{n}@example.org")
    phone_numbers = "+34600958325"
    public_consent = True  # shown publicly, as every contact entered before the consent box
    position = factory.Sequence(int)


class CompositionFactory(PartFactory):
    class Meta:
        model = Composition

    total_members = 175
    sme_members = 120
    large_company_members = 20
    research_members = 15
    other_members = 10
    entrepreneurship_facilities = "Sevilla incubator"


class MajorPlayerFactory(PartFactory):
    class Meta:
        model = MajorPlayer

    name = factory.Sequence(lambda n: f"Major Player {n}")
    link = "https://player.example.org/"
    position = factory.Sequence(int)


class TargetCountryFactory(PartFactory):
    class Meta:
        model = TargetCountry

    scope = Scope.INTERNATIONAL
    country = "KR"


class UndertakenActivityFactory(PartFactory):
    class Meta:
        model = UndertakenActivity

    scope = Scope.INTERNATIONAL
    activity = factory.SubFactory(CooperationActivityFactory)


class PartnerClusterFactory(PartFactory):
    class Meta:
        model = PartnerCluster

    name = factory.Sequence(lambda n: f"Partner Cluster {n}")
    country = "HU"
    position = factory.Sequence(int)


class FundedProgrammeFactory(PartFactory):
    class Meta:
        model = FundedProgramme

    scope = FundedProgramme.Scope.EUROPEAN
    name = factory.Sequence(lambda n: f"Programme {n}")
    description = "<p>Cooperation on urban development.</p>"
    link = "https://programme.example.org/"
    funding_body = "DG REGIO"
    role = FundedProgramme.Role.PARTNER
    start_date = datetime.date(2015, 1, 1)
    end_date = datetime.date(2016, 6, 30)
    status = FundedProgramme.Status.COMPLETED


def _set_terms(relation):
    """A post-generation hook: Factory(relation=[term, …]) sets those terms."""

    def set_terms(obj, create, extracted, **kwargs):
        if create and extracted:
            getattr(obj, relation).set(extracted)

    return set_terms


class CooperationOfferFactory(PartFactory):
    """A published offer without a deadline; `draft=True`, `closed=True`, or a `deadline`."""

    class Meta:
        model = CooperationOffer
        skip_postgeneration_save = True

    class Params:
        draft = factory.Trait(status=CooperationOffer.Status.DRAFT, published_at=None)
        closed = factory.Trait(status=CooperationOffer.Status.CLOSED)

    kind = CooperationOffer.Kind.PARTNERS
    title = factory.Sequence(lambda n: f"Partners wanted for project {n}")
    description = "<p>We look for <strong>partners</strong> in smart mobility.</p>"
    target_countries = ["FR", "PT"]
    status = CooperationOffer.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    sectoral_industries = factory.PostGeneration(_set_terms("sectoral_industries"))
    technology_fields = factory.PostGeneration(_set_terms("technology_fields"))
    industrial_ecosystems = factory.PostGeneration(_set_terms("industrial_ecosystems"))


class InterestMessageFactory(factory.django.DjangoModelFactory):
    """A message from a visitor to a cluster, about one of its offers when `offer` is given."""

    class Meta:
        model = InterestMessage

    cluster = factory.SubFactory(ClusterFactory)
    offer = None
    sender_name = "Marie Dubois"
    organisation = factory.Sequence(lambda n: f"Lyon Mobility Lab {n}")
    country = "FR"
    email = factory.Sequence(lambda n: f"sender{n}@lab.example.org")
    message = "We would like to join your project on smart mobility."
    consent = True
    consent_version = "2026-12-03"
    language = "en"


def full_profile(name="Smart City Cluster", **kwargs):
    """A published cluster with every tab filled: contacts, members, cooperation, programmes."""
    activity = kwargs.pop("activity", None) or CooperationActivityFactory()
    kwargs.setdefault("sectoral_industries", [SectoralIndustryFactory(name="Smart Grid Industry")])
    kwargs.setdefault("technology_fields", [TechnologyFieldFactory(name="Smart Appliances Field")])
    kwargs.setdefault("s3_priority_areas", [S3PriorityAreaFactory()])
    kwargs.setdefault("emerging_industries", [EmergingIndustryFactory()])
    kwargs.setdefault("industrial_ecosystems", [IndustrialEcosystemFactory()])
    kwargs.setdefault("support_services", [SupportServiceFactory()])
    cluster = FullClusterFactory(name=name, **kwargs)
    ContactFactory(cluster=cluster, name="Ana García", role="Cluster Manager")
    CompositionFactory(cluster=cluster)
    MajorPlayerFactory(cluster=cluster, name="Endesa")
    TargetCountryFactory(cluster=cluster, country="KR")
    TargetCountryFactory(cluster=cluster, scope=Scope.TRANSNATIONAL, country="HU")
    UndertakenActivityFactory(cluster=cluster, activity=activity)
    PartnerClusterFactory(cluster=cluster, name="Gazdasági Tanácsadó Kft", country="HU")
    PartnerClusterFactory(cluster=cluster, name="Niemiecko-Polska Fundacja", country="PL")
    FundedProgrammeFactory(cluster=cluster, name="Interreg SUDOE Smart Towns")
    return cluster


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A registration request as the public form stores it (unconfirmed unless told)."""

    class Meta:
        model = Registration

    name = factory.Sequence(lambda n: f"Registered Cluster {n}")
    country = "ES"
    city = "Málaga"
    website = "https://cluster.example.org"
    total_members = 20
    sme_members = 12
    research_members = 4
    other_members = 2
    management_fte = Decimal("1.5")
    person_name = "Lucía Romero"
    role = "Cluster manager"
    email = factory.Sequence(lambda n: f"person{n}@cluster.example.org")
    consent_version = "2026-12-03"
    consented_at = factory.LazyFunction(timezone.now)


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    cluster = factory.SubFactory(ClusterFactory)
    person_name = "Pablo Ruiz"
    role = "Project manager"
    email = factory.Sequence(lambda n: f"claimant{n}@cluster.example.org")
    message = "I run the cluster's office."
    consent_version = "2026-12-03"
    consented_at = factory.LazyFunction(timezone.now)
