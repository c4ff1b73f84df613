"""Issue 13: what a cluster manager types in the admin is read as they mean it.

European dates, phone numbers with 00 or none of a country code, partner rows filled from the
chosen profile, the slug kept from staff, the admin in Spanish, error pages that say what to do.
"""

import io
import re

import pytest
from django.core.management import call_command

from cooperation.models import PartnerCluster
from profiles.models import Cluster
from tests.factories import (
    ClusterFactory,
    ContactFactory,
    FundedProgrammeFactory,
    MajorPlayerFactory,
    PartnerClusterFactory,
)
from tests.forms import add_inline_row, form_data

pytestmark = pytest.mark.django_db


def change_url(cluster):
    return f"/admin/profiles/cluster/{cluster.pk}/change/"


def edit(client, cluster, **changes):
    data = form_data(client.get(change_url(cluster)).text, "cluster_form")
    data.update(changes)
    return client.post(change_url(cluster), data)


# --- Dates ------------------------------------------------------------------------------


def test_a_date_typed_day_first_is_read_day_first_and_shown_on_the_profile(
    staff_a_client, cluster_a, client
):
    response = edit(staff_a_client, cluster_a, date_established="01/02/2014")

    assert response.status_code == 302
    cluster_a.refresh_from_db()
    assert str(cluster_a.date_established) == "2014-02-01"
    Cluster.objects.filter(pk=cluster_a.pk).update(status=Cluster.Status.PUBLISHED)
    assert "1 February 2014" in client.get(f"/clusters/{cluster_a.slug}/").text


@pytest.mark.parametrize("typed", ["21/03/2014", "2014-03-21", "21.03.2014"])
def test_day_month_year_and_iso_are_both_accepted_in_both_languages(
    staff_a_client, cluster_a, typed
):
    for language in ("en", "es"):
        staff_a_client.cookies["django_language"] = language
        response = edit(staff_a_client, cluster_a, date_established=typed)
        assert response.status_code == 302
        cluster_a.refresh_from_db()
        assert str(cluster_a.date_established) == "2014-03-21"


def test_a_month_first_date_is_refused_with_the_format_named(staff_a_client, cluster_a):
    response = edit(staff_a_client, cluster_a, date_established="03/21/2014")

    assert response.status_code == 200
    assert "“03/21/2014” is not a date. Type it as day/month/year, e.g. 21/03/2014" in (
        response.text
    )


def test_the_date_format_is_shown_beside_the_field_and_no_server_time_note(
    staff_a_client, cluster_a
):
    cluster_a.date_established = "2014-03-21"
    cluster_a.save()
    html = staff_a_client.get(change_url(cluster_a)).text

    assert 'value="21/03/2014"' in html
    assert "Day/month/year, e.g. 21/03/2014" in html
    # The calendar's script is what writes "You are 1 hour behind server time".
    assert "DateTimeShortcuts.js" not in html and "vDateField" not in html


# --- Phone numbers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["0034 600 11 22 33", "+34 600 11 22 33", "600 11 22 33", "600112233"]
)
def test_phone_numbers_with_00_or_without_a_country_code_are_read(
    staff_a_client, cluster_a, client, typed
):
    ContactFactory(cluster=cluster_a, phone_numbers="+34600958325")
    response = edit(staff_a_client, cluster_a, **{"contacts-0-phone_numbers": typed})

    assert response.status_code == 302
    Cluster.objects.filter(pk=cluster_a.pk).update(status=Cluster.Status.PUBLISHED)
    assert "+34 600 11 22 33" in client.get(f"/clusters/{cluster_a.slug}/").text


def test_a_national_number_is_read_with_the_clusters_country(staff_a_client, cluster_a):
    cluster_a.country = "FR"
    cluster_a.save()
    ContactFactory(cluster=cluster_a, phone_numbers="+34600958325")

    response = edit(staff_a_client, cluster_a, **{"contacts-0-phone_numbers": "01 23 45 67 89"})

    assert response.status_code == 302
    assert cluster_a.contacts.get().phone_numbers == "+33123456789"


def test_a_phone_error_says_how_the_number_was_read(staff_a_client, cluster_a):
    ContactFactory(cluster=cluster_a, phone_numbers="+34600958325")

    response = edit(staff_a_client, cluster_a, **{"contacts-0-phone_numbers": "600 11 22"})

    assert response.status_code == 200
    assert "“600 11 22” was read as a national number" in response.text
    assert "+34 6001122, which is not a valid number in Spain" in response.text


# --- Partner rows -----------------------------------------------------------------------


def test_choosing_a_portal_profile_fills_in_the_partners_name_and_country(
    staff_a_client, cluster_a, client
):
    partner = ClusterFactory(name="Canarias Excelencia Tecnológica", country="ES")
    data = form_data(staff_a_client.get(change_url(cluster_a)).text, "cluster_form")
    add_inline_row(data, "partners", partner=str(partner.pk), name="", country="")

    response = staff_a_client.post(change_url(cluster_a), data)

    assert response.status_code == 302
    row = cluster_a.partners.get()
    assert (row.name, row.country.code) == ("Canarias Excelencia Tecnológica", "ES")


def test_a_partner_row_keeps_in_step_with_the_profile_it_names(editor_client, cluster_a):
    partner = ClusterFactory(name="Old Name", country="ES")
    PartnerClusterFactory(cluster=cluster_a, partner=partner, name="Old Name", country="ES")

    response = edit(editor_client, partner, name="New Name", country="PT")

    assert response.status_code == 302
    row = cluster_a.partners.get()
    assert (row.name, row.country.code) == ("New Name", "PT")


def test_a_staff_save_keeps_a_link_to_a_profile_not_public_now(staff_a_client, cluster_a):
    partner = ClusterFactory(name="Hidden Partner", retired=True)
    PartnerClusterFactory(cluster=cluster_a, partner=partner, name="Hidden Partner")

    response = edit(staff_a_client, cluster_a, name="Cluster A renamed")

    assert response.status_code == 302
    assert PartnerCluster.objects.get(cluster=cluster_a).partner == partner


def test_staff_see_no_edit_or_view_icons_beside_a_partner_profile(staff_a_client, cluster_a):
    partner = ClusterFactory(name="Published Partner")
    PartnerClusterFactory(cluster=cluster_a, partner=partner, name="Published Partner")

    html = staff_a_client.get(change_url(cluster_a)).text

    assert f"/admin/profiles/cluster/{partner.pk}/change/" not in html
    assert "change-related" not in html and "view-related" not in html


def test_a_row_with_neither_name_nor_profile_says_what_to_type(staff_a_client, cluster_a):
    data = form_data(staff_a_client.get(change_url(cluster_a)).text, "cluster_form")
    add_inline_row(data, "partners", name="", partner="", link="https://example.org/")

    response = staff_a_client.post(change_url(cluster_a), data)

    assert response.status_code == 200
    assert "Type the partner&#x27;s name, or choose its profile on this portal." in response.text


# --- The slug ---------------------------------------------------------------------------


def test_staff_neither_see_nor_change_the_slug(staff_a_client, cluster_a, cluster_b):
    html = staff_a_client.get(change_url(cluster_a)).text
    assert 'name="slug"' not in html

    data = form_data(html, "cluster_form")
    data["slug"] = cluster_b.slug
    response = staff_a_client.post(change_url(cluster_a), data)

    assert response.status_code == 302
    cluster_a.refresh_from_db()
    assert cluster_a.slug == "cluster-a"


def test_editors_still_edit_the_slug(editor_client, cluster_a):
    assert 'name="slug"' in editor_client.get(change_url(cluster_a)).text


# --- Language ---------------------------------------------------------------------------


def test_the_admin_speaks_spanish_to_a_spanish_browser(staff_a_client, cluster_a):
    response = staff_a_client.get(change_url(cluster_a), HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9")

    assert response.headers["Content-Language"] == "es"
    assert '<html lang="es"' in response.text
    assert "Información general" in response.text
    assert "Administración del Portal de Clústeres" in response.text


def test_the_language_chosen_in_the_admin_header_stays(staff_a_client, cluster_a):
    response = staff_a_client.post(
        "/i18n/setlang/", {"language": "es", "next": "/admin/"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302

    page = staff_a_client.get(change_url(cluster_a), HTTP_ACCEPT_LANGUAGE="en").text
    assert '<html lang="es"' in page


def test_the_public_site_still_takes_its_language_from_the_address(client, cluster_a):
    Cluster.objects.filter(pk=cluster_a.pk).update(status=Cluster.Status.PUBLISHED)
    response = client.get(f"/clusters/{cluster_a.slug}/", HTTP_ACCEPT_LANGUAGE="es")
    assert '<html lang="en"' in response.text


# --- Error pages inside the admin -------------------------------------------------------


def test_staff_on_an_editors_page_get_an_admin_page_saying_what_to_do(
    staff_a_client, cluster_a
):
    response = staff_a_client.get("/admin/profiles/sectoralindustry/")

    assert response.status_code == 403
    assert 'id="site-name"' in response.text  # the admin's header
    assert "ask a portal editor" in response.text
    assert change_url(cluster_a) in response.text


def test_another_clusters_page_is_an_admin_404_with_a_way_back(
    staff_a_client, cluster_a, cluster_b
):
    response = staff_a_client.get(change_url(cluster_b))

    assert response.status_code == 404
    assert 'id="site-name"' in response.text
    assert "There is no such page" in response.text
    assert cluster_b.name not in response.text


# --- The demo ---------------------------------------------------------------------------


def test_loading_the_demo_again_keeps_every_edit(settings):
    settings.DEBUG = True  # the demo logins are for local use only
    call_command("load_demo", stdout=io.StringIO())
    cluster = Cluster.objects.get(slug="smart-city-cluster")
    # Loading the demo is not an edit: nothing in the profile's history says so.
    assert not Cluster.history.filter(id=cluster.pk).exists()
    cluster.strategy = "<p>Our own strategy.</p>"
    cluster.save()

    out = io.StringIO()
    call_command("load_demo", stdout=out)

    cluster.refresh_from_db()
    assert cluster.strategy == "<p>Our own strategy.</p>"
    assert "make demo-reset" in out.getvalue()


def test_demo_reset_starts_again_from_the_demo(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    Cluster.objects.filter(slug="smart-city-cluster").update(strategy="<p>Mine.</p>")

    call_command("load_demo", reset=True, stdout=io.StringIO())

    assert Cluster.objects.get(slug="smart-city-cluster").strategy != "<p>Mine.</p>"




# --- The rich-text editor ---------------------------------------------------------------


def test_the_editor_offers_exactly_the_tags_the_sanitiser_keeps():
    from django_prose_editor.config import allowlist_from_extensions

    from profiles.rich_text import ALLOWED_TAGS, EDITOR_EXTENSIONS

    offered = set(allowlist_from_extensions(EDITOR_EXTENSIONS)["tags"])
    # b and i load into the editor as strong and em; everything else round-trips as it is.
    assert offered == ALLOWED_TAGS - {"b", "i"}


def test_rich_text_fields_are_edited_in_the_editor_under_the_admins_policy(
    staff_a_client, cluster_a
):
    response = staff_a_client.get(change_url(cluster_a))

    assert 'data-django-prose-editor-portal' in response.text
    policy = response.headers["Content-Security-Policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<script type="importmap" nonce="{nonce}">' in response.text
    # Our preset, which names the toolbar's buttons, is a static module, never inline.
    assert '<script src="/static/js/prose-editor-preset.js"' in response.text
    assert "unsafe-inline" not in policy


def test_what_the_editor_posts_is_cleaned_by_the_same_allow_list(
    staff_a_client, cluster_a
):
    edit(staff_a_client, cluster_a, strategy=(
        '<p>We <strong>grow</strong> <span style="color:red">R&amp;D</span>'
        '<img src=x onerror=alert(1)></p><ul><li>one</li></ul>'
    ))

    cluster_a.refresh_from_db()
    assert cluster_a.strategy == "<p>We <strong>grow</strong> R&amp;D</p><ul><li>one</li></ul>"


# --- The form's cost ---------------------------------------------------------------------


def test_the_forms_queries_do_not_grow_with_its_rows(staff_a_client, cluster_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import TargetCountryFactory, UndertakenActivityFactory

    # Partner rows that name a profile on the portal: each row's chooser shows its name.
    profiles = [ClusterFactory(name=f"Partner Cluster {n}") for n in range(5)]

    def queries_with(rows):
        cluster_a.contacts.all().delete()
        cluster_a.target_countries.all().delete()
        cluster_a.undertaken_activities.all().delete()
        cluster_a.partners.all().delete()
        for n in range(rows):
            ContactFactory(cluster=cluster_a, role=f"Role {n}")
            TargetCountryFactory(cluster=cluster_a, country=["FR", "DE", "PT", "IT", "NL"][n])
            UndertakenActivityFactory(cluster=cluster_a)
            PartnerClusterFactory(cluster=cluster_a, partner=profiles[n], name=f"Row {n}")
        with CaptureQueriesContext(connection) as queries:
            response = staff_a_client.get(change_url(cluster_a))
        assert response.status_code == 200
        for n in range(rows):
            assert f'<option value="{profiles[n].pk}" selected>Partner Cluster {n}</option>' in (
                response.text
            )
        return len(queries)

    staff_a_client.get(change_url(cluster_a))  # process-wide caches (content types) filled
    assert queries_with(1) == queries_with(5)


def test_a_rows_country_is_typed_by_name_from_one_shared_list(staff_a_client, cluster_a):
    from tests.factories import TargetCountryFactory

    TargetCountryFactory(cluster=cluster_a, country="FR")
    html = staff_a_client.get(change_url(cluster_a)).text
    assert html.count('<datalist id="country-names">') == 1
    assert 'value="France" list="country-names"' in html

    response = edit(staff_a_client, cluster_a, **{"target_countries-0-country": "Portugal"})
    assert response.status_code == 302
    assert cluster_a.target_countries.get().country.code == "PT"

    staff_a_client.cookies["django_language"] = "es"
    response = edit(staff_a_client, cluster_a, **{"target_countries-0-country": "Alemania"})
    assert response.status_code == 302
    assert cluster_a.target_countries.get().country.code == "DE"

    response = edit(staff_a_client, cluster_a, **{"target_countries-0-country": "Atlantis"})
    assert response.status_code == 200
    assert "«Atlantis» no es un país" in response.text


def test_the_changelist_offers_only_the_countries_of_the_clusters_one_may_see(
    staff_a_client, portal_editor_client, cluster_a, cluster_b
):
    ClusterFactory(name="Vigo Cluster", country="ES")
    ClusterFactory(name="Lyon Cluster", country="FR")
    for cluster, country in [(cluster_a, "PT"), (cluster_b, "FR")]:
        cluster.country = country
        cluster.save()

    def countries(browser):
        page = browser.get("/admin/profiles/cluster/")
        return [c for c in ("Portugal", "Spain", "France", "Zambia") if f">{c}</a>" in page.text]

    assert countries(staff_a_client) == ["Portugal"]
    assert countries(portal_editor_client) == ["Portugal", "Spain", "France"]
    filtered = portal_editor_client.get("/admin/profiles/cluster/?country=FR")
    assert "Lyon Cluster" in filtered.text and "Vigo Cluster" not in filtered.text


def test_the_rich_text_editors_dialogs_speak_the_admins_language(staff_a_client):
    # django-prose-editor translates its dialogs with the admin's JavaScript catalogue.
    catalogue = staff_a_client.get("/admin/jsi18n/", HTTP_ACCEPT_LANGUAGE="es")
    assert catalogue.status_code == 200
    text = catalogue.content.decode()
    assert "Editar enlace" in text and "Abrir en una ventana nueva" in text
    english = staff_a_client.get("/admin/jsi18n/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Editar enlace" not in english


def test_the_profiles_own_country_is_typed_from_the_same_list(staff_a_client, cluster_a):
    cluster_a.country = "FR"
    cluster_a.save()
    html = staff_a_client.get(change_url(cluster_a)).text
    assert html.count('<datalist id="country-names">') == 1
    assert 'name="country" value="France" list="country-names"' in html
    assert '<select name="country"' not in html

    response = edit(staff_a_client, cluster_a, country="Portugal")
    assert response.status_code == 302
    cluster_a.refresh_from_db()
    assert cluster_a.country.code == "PT"

    response = edit(staff_a_client, cluster_a, country="")
    assert response.status_code == 200  # the profile's country is required
    cluster_a.refresh_from_db()
    assert cluster_a.country.code == "PT"


def test_every_label_of_the_change_form_is_in_spanish_for_a_spanish_browser(
        staff_a_client, cluster_a):
    ContactFactory(cluster=cluster_a)
    PartnerClusterFactory(cluster=cluster_a)
    MajorPlayerFactory(cluster=cluster_a)
    FundedProgrammeFactory(cluster=cluster_a)

    def labels(language):
        page = staff_a_client.get(change_url(cluster_a), HTTP_ACCEPT_LANGUAGE=language).text
        return dict(re.findall(r'<label[^>]*for="([^"]+)"[^>]*>([^<]+)</label>', page))

    english, spanish = labels("en"), labels("es-ES,es;q=0.9")
    assert english.keys() == spanish.keys()
    # The same in both languages only where the word is (a proper name, "Email"…).
    same = {spanish[key].strip(": ") for key in english if english[key] == spanish[key]}
    assert same <= {"Email", "LinkedIn", "X", "Web", "Total"}, same
