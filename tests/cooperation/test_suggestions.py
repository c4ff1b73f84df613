""""Clusters you may want to meet" on a profile: published clusters in other countries, not
yet partners, with the most sectors, technology fields and ecosystems in common."""

import re

import pytest

from tests.factories import (
    ClusterFactory,
    IndustrialEcosystemFactory,
    PartnerClusterFactory,
    SectoralIndustryFactory,
    TechnologyFieldFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def clusters():
    energy, water, textiles = (SectoralIndustryFactory(name=name)
                               for name in ["Energy", "Water", "Textiles"])
    robots = TechnologyFieldFactory(name="Robots")
    mobility = IndustrialEcosystemFactory(name="Mobility")
    everything = {"sectoral_industries": [energy, water, textiles],
                  "technology_fields": [robots], "industrial_ecosystems": [mobility]}
    me = ClusterFactory(name="Sevilla Energy", country="ES", **everything)
    ClusterFactory(name="Madrid Energy", country="ES", **everything)  # same country
    ClusterFactory(name="Hidden Draft Energy", country="FR", draft=True, **everything)
    partner = ClusterFactory(name="Lisbon Partner", country="PT", **everything)
    PartnerClusterFactory(cluster=me, partner=partner, name=partner.name, country="PT")
    naming_me = ClusterFactory(name="Porto Naming", country="PT", **everything)
    PartnerClusterFactory(cluster=naming_me, partner=me, name=me.name, country="ES")
    ClusterFactory(name="Lyon Three", country="FR", sectoral_industries=[energy, water],
                   industrial_ecosystems=[mobility])
    ClusterFactory(name="Turin Two", country="IT", sectoral_industries=[energy],
                   technology_fields=[robots])
    ClusterFactory(name="Graz One", country="AT", industrial_ecosystems=[mobility])
    ClusterFactory(name="Oslo Nothing", country="NO")
    return me


def suggested(page):
    section = re.search(r'id="suggestions-heading".*?</section>', page, re.S).group(0)
    return re.findall(r'<a href="/(?:es/)?clusters/[^"]+/">([^<]+)</a>.*?'
                      r'<span class="small">([^<]+)</span>', section)


def test_suggestions_are_ordered_by_terms_in_common_and_say_why(visitor, clusters):
    page = visitor.get("/clusters/sevilla-energy/").text
    assert suggested(page) == [
        ("Lyon Three", "2 sectors and 1 ecosystem in common"),
        ("Turin Two", "1 sector and 1 technology field in common"),
        ("Graz One", "1 ecosystem in common"),
    ]


def test_suggestions_leave_out_the_same_country_partners_and_drafts(visitor, clusters):
    names = [name for name, _why in suggested(visitor.get("/clusters/sevilla-energy/").text)]
    for left_out in ["Madrid Energy", "Lisbon Partner", "Porto Naming", "Hidden Draft Energy",
                     "Oslo Nothing", "Sevilla Energy"]:
        assert left_out not in names


def test_a_draft_is_suggested_to_nobody(visitor, clusters):
    page = visitor.get("/clusters/lyon-three/").text
    names = [name for name, _why in suggested(page)]
    assert "Sevilla Energy" in names and "Hidden Draft Energy" not in names
    assert "hidden-draft-energy" not in page


def test_suggestions_are_shown_in_spanish(visitor, clusters):
    page = visitor.get("/es/clusters/sevilla-energy/").text
    assert "Clústeres que quizá quiera conocer" in page
    assert ("Lyon Three", "2 sectores y 1 ecosistema en común") in suggested(page)


def test_a_new_partner_is_no_longer_suggested(visitor, clusters):
    lyon = clusters.__class__.objects.get(slug="lyon-three")
    PartnerClusterFactory(cluster=lyon, partner=clusters, name=clusters.name, country="ES")
    names = [name for name, _why in suggested(visitor.get("/clusters/sevilla-energy/").text)]
    assert names == ["Turin Two", "Graz One"]


def test_a_cluster_without_terms_gets_no_suggestions(visitor, clusters):
    page = visitor.get("/clusters/oslo-nothing/").text
    assert "suggestions-heading" not in page



def test_at_most_five_are_suggested_the_longest_on_the_portal_first_among_equals(visitor,
                                                                                 clusters):
    energy = clusters.sectoral_industries.get(name="Energy")
    for number in range(4):
        ClusterFactory(name=f"Newer Energy {number}", country="DE", sectoral_industries=[energy])
    names = [name for name, _why in suggested(visitor.get("/clusters/sevilla-energy/").text)]
    # Lyon (3 terms), Turin (2), then the one-term clusters by age: Graz, then the newer ones.
    assert names == ["Lyon Three", "Turin Two", "Graz One", "Newer Energy 0", "Newer Energy 1"]
