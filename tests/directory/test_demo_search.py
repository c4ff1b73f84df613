"""The words of issue 12 on the demo data, served as `make run` serves it (loaddata, then
`manage.py refresh_clusters`): the same answers on SQLite and PostgreSQL."""

import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

SMART_CITY = "smart-city-cluster"


@pytest.fixture
def demo(db):
    call_command("loaddata", "fixtures/demo.json", verbosity=0)
    call_command("refresh_clusters", verbosity=0)


def found(visitor, words, prefix="", listed="cluster-list"):
    """The slugs of the clusters the directory lists for `words`: all the words' matches, or
    (`listed="cluster-list-some-words"`) the clusters matching some of them."""
    response = visitor.get(f"{prefix}/clusters/", {"q": words})
    assert response.status_code == 200
    results = response.text.split(f'class="list-unstyled cluster-cards {listed}"', 1)
    if len(results) == 1:
        return []
    return re.findall(rf'<h3 class="card-name"><a href="{prefix}/clusters/([^/]+)/">',
                      results[1].split("</section>", 1)[0])


# Each word with why it finds the Smart City Cluster.
ISSUE_WORDS = [
    "smart grid",  # the search box's own example: "Smart grids", a technology field
    "smart grids",
    "andalucia",  # region Andalucía, typed without its accent
    "ANDALUCÍA",
    "Seville",  # city Sevilla, in English: the closest known word
    "South Korea",  # a target country, by its English name…
    "Corea del Sur",  # … and its Spanish one
    "AEI",  # in its other label
    "smrt city",  # a typo
    "Gazdasági",  # a partner's name
    "Smart Cities",  # the English and Spanish labels of its terms
    "ciudades inteligentes",
]


def test_the_issue_words_find_the_smart_city_cluster(visitor, demo):
    for words in ISSUE_WORDS:
        assert SMART_CITY in found(visitor, words), words
    for words in ["energía", "energia", "ENERGÍA"]:  # "Nowa Energia", a partner
        assert SMART_CITY in found(visitor, words, prefix="/es"), words
    assert found(visitor, "smart city")[0] == SMART_CITY  # a name match comes first


def test_a_term_label_finds_the_clusters_carrying_the_term_then_those_with_some_words(
        visitor, demo):
    # "Energías renovables" is the Spanish label of the industrial ecosystem "Energy-
    # renewables"; every published cluster carrying it is found, in either language. The
    # Smart City Cluster carries no such term, but holds "energía" (its partner Nowa
    # Energia): it is offered among the clusters matching some of the words.
    carrying = {
        "ecosynergy-gazdasagi-tanacsado-kft", "niemiecko-polska-fundacja-nowa-energia",
        "armor-blue-economy-cluster", "silesian-clean-energy-cluster",
        "meseta-renewable-energy-cluster", "jutland-wind-supply-chain-cluster",
    }
    assert set(found(visitor, "Energías renovables", prefix="/es")) == carrying
    assert set(found(visitor, "energias renovables")) == carrying
    some = found(visitor, "Energías renovables", prefix="/es", listed="cluster-list-some-words")
    assert SMART_CITY in some
    assert not carrying & set(some)
    assert "Organizaciones de clúster que coinciden con algunas de sus palabras" in visitor.get(
        "/es/clusters/", {"q": "Energías renovables"}).text
    # A single word offers nothing more: its matches are all there is.
    assert found(visitor, "energia", listed="cluster-list-some-words") == []
    assert found(visitor, "smart textile") == []
    assert found(visitor, "qwxzv") == []
