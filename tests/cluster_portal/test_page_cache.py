"""Visitors get cached pages; every change shows on exactly the pages that show it.

The `X-Cache` header says whether a page came from the cache ("hit") or was rendered and
stored ("miss"); pages for logged-in users carry none.
"""

import re
import uuid

import pytest
import redis
from csp.constants import NONCE
from django.test import Client, override_settings

from cooperation.models import Scope
from tests.factories import (
    ClusterFactory,
    CompositionFactory,
    ContactFactory,
    CooperationActivityFactory,
    FullClusterFactory,
    FundedProgrammeFactory,
    MajorPlayerFactory,
    PartnerClusterFactory,
    SectoralIndustryFactory,
    TargetCountryFactory,
    UndertakenActivityFactory,
)
from tests.forms import add_inline_row, form_data

pytestmark = pytest.mark.django_db

TABS = ["", "sectors/", "composition/", "strategy/", "cooperation/", "programmes/", "print/"]


@pytest.fixture
def client_factory():
    """Another browser: a second visitor, with its own cookies."""
    return Client


@pytest.fixture
def editors_browser(editor):
    """An editor's browser, beside the visitor's."""
    browser = Client()
    browser.force_login(editor)
    return browser


def save_in_admin(browser, url, **changes):
    """Open the admin form at `url`, change fields, save; the admin must accept it."""
    data = form_data(browser.get(url).text)
    data.update(changes)
    response = browser.post(url, data)
    assert response.status_code == 302, response.text
    return response


def cluster_form(cluster):
    return f"/admin/profiles/cluster/{cluster.pk}/change/"


def term_form(term):
    return f"/admin/profiles/{term._meta.model_name}/{term.pk}/change/"


def visit(client, url):
    response = client.get(url)
    return response.status_code, response.headers.get("X-Cache"), response.text


def test_second_visit_is_served_from_the_cache(visitor):
    cluster = ClusterFactory(name="Smart City Cluster")
    for url in [f"/clusters/{cluster.slug}/", f"/clusters/{cluster.slug}/print/", "/clusters/",
                "/clusters/?sort=name", "/"]:
        first, second = visit(visitor, url), visit(visitor, url)
        assert (first[0], first[1]) == (200, "miss"), url
        assert (second[0], second[1]) == (200, "hit"), url
        assert second[2] == first[2]


def test_logged_in_users_bypass_the_cache(editor_client, client_factory):
    cluster = ClusterFactory(name="Smart City Cluster")
    url = f"/clusters/{cluster.slug}/"
    visit(client_factory(), url)
    status, cache_header, _ = visit(editor_client, url)
    assert (status, cache_header) == (200, None)
    # Nor is the logged-in user's page stored for visitors.
    cache_header = visit(client_factory(), url)[1]
    assert cache_header == "hit"


def test_a_save_through_the_admin_shows_at_once_on_every_tab(editor_client, client_factory):
    cluster = FullClusterFactory(name="Smart City Cluster")
    ContactFactory(cluster=cluster)
    CompositionFactory(cluster=cluster)
    TargetCountryFactory(cluster=cluster)
    FundedProgrammeFactory(cluster=cluster, name="Urban Programme")
    visitor = client_factory()
    for tab in TABS:
        visit(visitor, f"/clusters/{cluster.slug}/{tab}")
    visit(visitor, "/clusters/")

    change_url = f"/admin/profiles/cluster/{cluster.pk}/change/"
    data = form_data(editor_client.get(change_url).text)
    data["name"] = "Smarter City Cluster"
    data["programmes-0-name"] = "Renamed Programme"
    add_inline_row(data, "contacts", role="Project Manager", name="Ana Gómez", position="9")
    assert editor_client.post(change_url, data).status_code == 302

    for tab in TABS:
        status, cache_header, text = visit(visitor, f"/clusters/{cluster.slug}/{tab}")
        assert (status, cache_header) == (200, "miss"), tab
        assert "Smarter City Cluster" in text
    assert "Renamed Programme" in visit(visitor, f"/clusters/{cluster.slug}/programmes/")[2]
    assert "Ana Gómez" in visit(visitor, f"/clusters/{cluster.slug}/")[2]
    assert "Smarter City Cluster" in visit(visitor, "/clusters/")[2]


OWNED_CHANGES = {
    "contact": lambda c: ContactFactory(cluster=c, name="Ana Gómez"),
    "composition": lambda c: CompositionFactory(cluster=c, entrepreneurship_facilities="Ana Gómez"),
    "major player": lambda c: MajorPlayerFactory(cluster=c, name="Ana Gómez"),
    "target country": lambda c: TargetCountryFactory(cluster=c, country="NZ"),
    "activity": lambda c: UndertakenActivityFactory(
        cluster=c, activity=CooperationActivityFactory(name="Ana Gómez")
    ),
    "partner": lambda c: PartnerClusterFactory(cluster=c, name="Ana Gómez"),
    "programme": lambda c: FundedProgrammeFactory(cluster=c, name="Ana Gómez"),
}


@pytest.mark.parametrize("change", OWNED_CHANGES, ids=list(OWNED_CHANGES))
def test_adding_anything_a_cluster_owns_refreshes_its_print_page(visitor, change):
    cluster = ClusterFactory()
    other = ClusterFactory()
    visit(visitor, f"/clusters/{cluster.slug}/print/")
    visit(visitor, f"/clusters/{other.slug}/print/")

    OWNED_CHANGES[change](cluster)

    status, cache_header, text = visit(visitor, f"/clusters/{cluster.slug}/print/")
    assert cache_header == "miss"
    assert ("New Zealand" if change == "target country" else "Ana Gómez") in text
    # Exactly the pages that show it: another cluster's page stays cached.
    assert visit(visitor, f"/clusters/{other.slug}/print/")[1] == "hit"


def test_deleting_an_owned_row_refreshes_the_page(visitor, editors_browser):
    cluster = ClusterFactory()
    MajorPlayerFactory(cluster=cluster, name="Ana Gómez Ingeniería")
    assert "Ana Gómez Ingeniería" in visit(visitor, f"/clusters/{cluster.slug}/composition/")[2]
    save_in_admin(editors_browser, cluster_form(cluster), **{"major_players-0-DELETE": "on"})
    assert visit(visitor, f"/clusters/{cluster.slug}/composition/")[0] == 404


def test_choosing_a_term_in_the_admin_refreshes_the_profile(visitor, editors_browser):
    cluster = ClusterFactory()
    other = ClusterFactory()
    term = SectoralIndustryFactory(name="Ana Gómez Industries")
    for page in (cluster, other):
        visit(visitor, f"/clusters/{page.slug}/print/")
    save_in_admin(editors_browser, cluster_form(cluster), sectoral_industries=[str(term.pk)])
    status, cache_header, text = visit(visitor, f"/clusters/{cluster.slug}/print/")
    assert (cache_header, "Ana Gómez Industries" in text) == ("miss", True)
    assert visit(visitor, f"/clusters/{other.slug}/print/")[1] == "hit"


def test_renaming_a_term_refreshes_only_the_profiles_carrying_it(visitor, editors_browser):
    term = SectoralIndustryFactory(name="Smart Cities")
    carrier = ClusterFactory(sectoral_industries=[term])
    bystander = ClusterFactory(sectoral_industries=[SectoralIndustryFactory()])
    for cluster in (carrier, bystander):
        visit(visitor, f"/clusters/{cluster.slug}/sectors/")
    visit(visitor, "/clusters/")

    save_in_admin(editors_browser, term_form(term), name="Smart and Green Cities")

    assert "Smart and Green Cities" in visit(visitor, f"/clusters/{carrier.slug}/sectors/")[2]
    assert visit(visitor, f"/clusters/{bystander.slug}/sectors/")[1] == "hit"
    assert visit(visitor, "/clusters/")[1] == "miss"


def test_renaming_an_activity_refreshes_the_cooperation_tab(visitor, editors_browser):
    activity = CooperationActivityFactory(name="Trade missions")
    cluster = ClusterFactory()
    UndertakenActivityFactory(cluster=cluster, activity=activity, scope=Scope.TRANSNATIONAL)
    visit(visitor, f"/clusters/{cluster.slug}/cooperation/")
    save_in_admin(editors_browser, term_form(activity), name="Trade and business missions")
    assert "Trade and business missions" in visit(
        visitor, f"/clusters/{cluster.slug}/cooperation/"
    )[2]


def test_a_partner_retiring_unlinks_it_on_the_profiles_naming_it(visitor, editors_browser):
    partner = ClusterFactory(name="Hungarian Cluster")
    cluster = ClusterFactory()
    PartnerClusterFactory(cluster=cluster, partner=partner, name="Our Hungarian partner")
    url = f"/clusters/{cluster.slug}/cooperation/"
    assert f'href="/clusters/{partner.slug}/"' in visit(visitor, url)[2]

    editors_browser.post(cluster_form(partner), {
        **form_data(editors_browser.get(cluster_form(partner)).text), "_retire": "on"
    })
    assert visit(visitor, f"/clusters/{partner.slug}/")[0] == 404

    status, cache_header, text = visit(visitor, url)
    assert cache_header == "miss"
    assert "Our Hungarian partner" in text
    assert f'href="/clusters/{partner.slug}/"' not in text


def test_a_new_slug_moves_the_profile_and_its_partners_links(visitor, editors_browser):
    partner = ClusterFactory(name="Hungarian Cluster")
    cluster = ClusterFactory()
    PartnerClusterFactory(cluster=cluster, partner=partner)
    old_url = f"/clusters/{partner.slug}/"
    visit(visitor, old_url)
    visit(visitor, f"/clusters/{cluster.slug}/cooperation/")

    save_in_admin(editors_browser, cluster_form(partner), slug="hungarian-cluster-kft")

    assert visit(visitor, old_url)[0] == 404
    assert 'href="/clusters/hungarian-cluster-kft/"' in visit(
        visitor, f"/clusters/{cluster.slug}/cooperation/"
    )[2]


def test_changing_a_draft_leaves_the_directory_cached(visitor, editors_browser):
    draft = ClusterFactory(draft=True)
    visit(visitor, "/clusters/")
    save_in_admin(editors_browser, cluster_form(draft), name="Still a draft")
    assert visit(visitor, "/clusters/")[1] == "hit"


def test_publishing_and_retiring_in_bulk_shows_at_once(visitor, editors_browser):
    published = ClusterFactory(name="Smart City Cluster")
    draft = ClusterFactory(name="Draft Cluster", draft=True)
    visit(visitor, f"/clusters/{published.slug}/")
    visit(visitor, "/clusters/")

    for action, cluster in [("retire", published), ("publish", draft)]:
        editors_browser.post("/admin/profiles/cluster/",
                             {"action": action, "_selected_action": [cluster.pk]})

    assert visit(visitor, f"/clusters/{published.slug}/")[0] == 404
    status, cache_header, text = visit(visitor, "/clusters/")
    assert "Draft Cluster" in text and "Smart City Cluster" not in text


def test_deleting_a_cluster_removes_its_page_and_the_links_to_it(visitor, editors_browser):
    partner = ClusterFactory(name="Hungarian Cluster")
    cluster = ClusterFactory()
    PartnerClusterFactory(cluster=cluster, partner=partner)
    url = f"/clusters/{cluster.slug}/cooperation/"
    visit(visitor, url)
    visit(visitor, f"/clusters/{partner.slug}/")
    visit(visitor, "/clusters/")
    slug = partner.slug

    response = editors_browser.post(f"/admin/profiles/cluster/{partner.pk}/delete/",
                                    {"post": "yes"})
    assert response.status_code == 302

    assert visit(visitor, f"/clusters/{slug}/")[0] == 404
    assert f'href="/clusters/{slug}/"' not in visit(visitor, url)[2]
    assert "Hungarian Cluster" not in visit(visitor, "/clusters/")[2]


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
)
def test_pages_still_answer_when_the_cache_is_down(visitor):
    cluster = ClusterFactory(name="Smart City Cluster")
    response = visitor.get(f"/clusters/{cluster.slug}/")
    assert response.status_code == 200
    assert "Smart City Cluster" in response.text


def test_clearing_the_page_cache_after_a_release(visitor):
    from django.core.management import call_command

    cluster = ClusterFactory()
    url = f"/clusters/{cluster.slug}/"
    visit(visitor, url)
    call_command("clear_page_cache")
    assert visit(visitor, url)[1] == "miss"
    assert visit(visitor, url)[1] == "hit"


@pytest.mark.urls("tests.cluster_portal.nonce_urls")
def test_a_page_rendered_with_a_csp_nonce_is_left_out_of_the_cache(visitor, settings):
    # A page that needs an inline script would allow it by its nonce.
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**directives, "script-src": [*directives["script-src"], NONCE]}
    }
    # The same view without a nonce is cached: the page cache is on for these views.
    assert [visit(visitor, "/without-nonce/")[1] for _ in range(2)] == ["miss", "hit"]

    nonces = []
    for _ in range(2):
        response = visitor.get("/with-nonce/")
        assert response.status_code == 200
        assert "X-Cache" not in response.headers
        nonce = re.search(r'nonce="([^"]+)"', response.text).group(1)
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1], "each page gets its own nonce"


# --- One entry per page, whatever the query string -----------------------------------------


@pytest.fixture
def stored_pages(redis_url, settings):
    """The page cache in Redis under a key prefix of this test's own; returns a function
    counting the pages stored so far."""
    location, prefix = redis_url
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
        }
    }
    client = redis.Redis.from_url(location)
    return lambda: sum(1 for _key in client.scan_iter(f"{prefix}:*:page:*"))


def test_parameters_a_page_does_not_read_add_no_cache_entries(visitor, stored_pages):
    cluster = ClusterFactory()
    energy = SectoralIndustryFactory(name="Energy")
    ClusterFactory(sectoral_industries=[energy])
    for path in [f"/clusters/{cluster.slug}/", f"/clusters/{cluster.slug}/print/", "/",
                 f"/es/clusters/{cluster.slug}/composition/"]:
        before = stored_pages()
        for _ in range(40):
            assert visitor.get(f"{path}?utm={uuid.uuid4().hex}").status_code in (200, 404)
        assert stored_pages() - before <= 1, path
    # The directory: a valid search with junk beside it is one entry; invalid values and
    # pages out of range none of their own.
    before = stored_pages()
    for _ in range(40):
        junk = uuid.uuid4().hex
        for query in [f"sector=energy&utm={junk}", f"sector=energy&page={junk}",
                      f"sector=energy&page=9{junk[:6]}", f"sector={junk}", f"country={junk}",
                      f"sort={junk}", f"{junk}=1"]:
            assert visitor.get(f"/clusters/?{query}").status_code == 200, query
    assert stored_pages() - before == 2  # ?sector=energy, and the bare directory


def test_a_search_with_its_parameters_reordered_or_padded_is_a_hit(visitor):
    energy = SectoralIndustryFactory(name="Energy")
    textiles = SectoralIndustryFactory(name="Textiles")
    ClusterFactory(sectoral_industries=[energy], country="ES")
    ClusterFactory(sectoral_industries=[textiles], country="FR")
    first = visit(visitor, f"/clusters/?sector={energy.slug}&sector={textiles.slug}")
    assert first[1] == "miss"
    for query in [
        f"sector={textiles.slug}&sector={energy.slug}&utm=x",
        f"utm=y&q=&sector={textiles.slug}&page=1&sector={energy.slug}&sector={energy.slug}",
    ]:
        again = visit(visitor, f"/clusters/?{query}")
        assert again[1] == "hit", query
        assert again[2] == first[2]
    assert visit(visitor, "/clusters/")[1] == "miss"
    assert visit(visitor, "/clusters/?page=1&utm=x")[1] == "hit"


def test_a_stored_search_is_served_without_a_query(visitor, django_assert_num_queries):
    """Validating a search reads the vocabularies: a stored page must not wait for that."""
    energy = SectoralIndustryFactory(name="Energy")
    ClusterFactory(sectoral_industries=[energy], country="ES")
    url = f"/clusters/?country=ES&sector={energy.slug}&q=cluster"
    assert visit(visitor, url)[1] == "miss"
    with django_assert_num_queries(0):
        assert visit(visitor, url + "&utm=z")[1] == "hit"
    # A value the form refuses still goes through the validation, and is never stored.
    assert visit(visitor, url + "&sector=no-such-sector")[1] is None


def test_a_stored_page_carries_no_parameter_of_the_visitor_who_caused_it(visitor):
    cluster = ClusterFactory()
    ClusterFactory.create_batch(25, country="ES")
    for url in [f"/clusters/{cluster.slug}/?utm=planted", "/clusters/?country=ES&utm=planted",
                "/?utm=planted"]:
        first = visitor.get(url)
        assert first.status_code == 200
        assert "planted" not in first.text, url
        plain = visit(visitor, url.replace("utm=planted", "").rstrip("?&"))
        assert plain[1] == "hit", url
    page = visitor.get("/clusters/?country=ES")
    assert 'href="?country=ES&amp;page=2" rel="next"' in page.text
    assert 'href="/es/clusters/?country=ES" lang="es"' in page.text


def test_a_search_with_an_invalid_value_shows_its_error_and_is_never_stored(visitor):
    ClusterFactory(country="ES")
    for _ in range(2):
        response = visitor.get("/clusters/?country=XX")
        assert "XX is not one of the available choices" in response.text
        assert "X-Cache" not in response.headers
    assert "XX is not one" not in visitor.get("/clusters/").text
