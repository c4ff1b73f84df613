"""Two gunicorn app servers share one database and one Redis, as behind a load balancer.

An editor saves through server A; a visitor reading through server B must never get the page
as it was before the save, although B had it cached.
"""

from tests.cluster_portal.conftest import EDITOR
from tests.forms import add_inline_row, form_data
from tests.processes import HttpSession, gunicorn, manage, production_env

MAKE_PROFILE = """
from tests.factories import *
partner = ClusterFactory(name="Hungarian Automotive Cluster", slug="hungarian-automotive")
cluster = FullClusterFactory(name="Smart City Cluster", slug="smart-city-cluster",
                             sectoral_industries=[SectoralIndustryFactory(name="Smart Cities")])
ContactFactory(cluster=cluster, name="Ana Gómez")
CompositionFactory(cluster=cluster)
FundedProgrammeFactory(cluster=cluster, name="Urban Programme")
PartnerClusterFactory(cluster=cluster, partner=partner, name="Our partner in Győr")
term = cluster.sectoral_industries.get()
print(cluster.pk, partner.pk, term.pk, term.slug)
"""

PAGES = [
    "/clusters/smart-city-cluster/",
    "/clusters/smart-city-cluster/sectors/",
    "/clusters/smart-city-cluster/cooperation/",
    "/clusters/smart-city-cluster/programmes/",
    "/clusters/smart-city-cluster/print/",
    "/clusters/",
]


def save_through_admin(editor, url, change):
    fields = form_data(editor.get(url).text)
    change(fields)
    fields["csrfmiddlewaretoken"] = editor.cookies["csrftoken"]
    response = editor.post(url, fields)
    assert response.status == 302, response.text[:3000]


def test_a_save_through_one_server_is_never_stale_on_the_other(
    live_database_url, collected_static, redis_url
):
    location, prefix = redis_url
    env = production_env(DATABASE_URL=live_database_url, STATIC_ROOT=collected_static,
                         REDIS_URL=location, CACHE_KEY_PREFIX=prefix)
    # A fresh profile for this test, made with the factories in the servers' database.
    made = manage("shell", "--no-imports", "-c", MAKE_PROFILE, env={**env, "DEBUG": "1"})
    cluster_pk, partner_pk, term_pk, term_slug = made.stdout.split()

    with gunicorn(env) as server_a, gunicorn(env) as server_b:
        visitor = HttpSession(server_b)
        for page in PAGES:
            assert visitor.get(page).status == 200
            assert visitor.get(page).header("x-cache") == "hit", page

        editor = HttpSession(server_a)
        editor.log_in(*EDITOR)

        def read_all_through_b():
            return {page: visitor.get(page) for page in PAGES}

        # 1. The cluster and two of its inlines, in one save.
        def rename(fields):
            fields["name"] = "Smarter City Cluster"
            fields["programmes-0-name"] = "Green Urban Programme"
            add_inline_row(fields, "contacts", role="Project Manager", name="Bence Kovács",
                           position="5")

        save_through_admin(editor, f"/admin/profiles/cluster/{cluster_pk}/change/", rename)
        pages = read_all_through_b()
        for page, response in pages.items():
            assert "Smarter City Cluster" in response.text, page
        assert "Green Urban Programme" in pages[PAGES[3]].text
        assert "Bence Kovács" in pages[PAGES[0]].text

        # 2. A vocabulary term's label, saved by an editor in the vocabulary admin; B reads
        # the vocabularies from the shared cache, under the directory's data version.
        by_term = f"/clusters/?sector={term_slug}"
        assert "Smart Cities (1)" in visitor.get(by_term).text

        def relabel(fields):
            fields["name"] = "Smart and Sustainable Cities"

        save_through_admin(editor, f"/admin/profiles/sectoralindustry/{term_pk}/change/",
                           relabel)
        assert "Smart and Sustainable Cities" in visitor.get(PAGES[1]).text
        assert "Smart and Sustainable Cities (1)" in visitor.get(by_term).text

        # 3. The partner retires: the profile naming it no longer links to it.
        assert 'href="/clusters/hungarian-automotive/"' in visitor.get(PAGES[2]).text

        def retire(fields):
            fields["status"] = "retired"

        save_through_admin(editor, f"/admin/profiles/cluster/{partner_pk}/change/", retire)
        cooperation = visitor.get(PAGES[2])
        assert "Our partner in Győr" in cooperation.text
        assert 'href="/clusters/hungarian-automotive/"' not in cooperation.text
        assert visitor.get("/clusters/hungarian-automotive/").status == 404

        # Unchanged since: B serves its cached copy again.
        assert visitor.get(PAGES[4]).header("x-cache") == "miss"
        assert visitor.get(PAGES[4]).header("x-cache") == "hit"
