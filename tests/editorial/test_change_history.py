"""Every change to a cluster and its parts is recorded (who, when, old → new) and can be undone."""

import re

import pytest

from cooperation.models import (
    CooperationOffer,
    PartnerCluster,
    Scope,
    TargetCountry,
    UndertakenActivity,
)
from members.models import Composition, MajorPlayer
from profiles.models import Cluster, Contact, SectoralIndustry
from programmes.models import FundedProgramme
from tests.factories import (
    ClusterFactory,
    CompositionFactory,
    ContactFactory,
    CooperationActivityFactory,
    FundedProgrammeFactory,
    MajorPlayerFactory,
    PartnerClusterFactory,
    TargetCountryFactory,
    UndertakenActivityFactory,
)
from tests.forms import add_inline_row, form_data

pytestmark = pytest.mark.django_db


def change_url(cluster):
    return f"/admin/profiles/cluster/{cluster.pk}/change/"


def history_url(cluster):
    return f"/admin/profiles/cluster/{cluster.pk}/history/"


def edit(browser, cluster, **changes):
    data = form_data(browser.get(change_url(cluster)).text, "cluster_form")
    data.update(changes)
    response = browser.post(change_url(cluster), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""


def undo_buttons(html):
    return re.findall(r'action="(/admin/profiles/cluster/\d+/history/revert/[^"]+)"', html)


def text_of(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def contact_a(cluster_a):
    return ContactFactory(cluster=cluster_a, role="Cluster Manager", name="Ana Ruiz")


def test_history_shows_who_changed_what_from_what_to_what(staff_a_client, cluster_a, contact_a):
    sector = SectoralIndustry.objects.get(slug="construction-products-and-services")
    edit(staff_a_client, cluster_a, name="Cluster A Renamed", **{
        "contacts-0-role": "Project Manager",
        "sectoral_industries": [str(sector.pk)],
    })

    page = text_of(staff_a_client.get(history_url(cluster_a)).text)

    assert "staff-a" in page
    assert "Name: Cluster A → Cluster A Renamed" in page
    assert "Management team contact: Ana Ruiz" in page
    assert "Role: Cluster Manager → Project Manager" in page
    assert "Sectoral industries: — → Construction Products and Services" in page


def test_added_and_deleted_parts_are_in_the_history(staff_a_client, cluster_a, contact_a):
    data = form_data(staff_a_client.get(change_url(cluster_a)).text, "cluster_form")
    data["contacts-0-DELETE"] = "on"
    add_inline_row(data, "major_players", name="Port of Brest", link="", position="0")
    assert staff_a_client.post(change_url(cluster_a), data).status_code == 302

    page = text_of(staff_a_client.get(history_url(cluster_a)).text)
    assert "Deleted Management team contact: Ana Ruiz" in page
    assert "Added Major player: Port of Brest" in page


def test_staff_read_the_history_but_cannot_undo(staff_a_client, cluster_a, contact_a):
    edit(staff_a_client, cluster_a, name="Cluster A Renamed")
    page = staff_a_client.get(history_url(cluster_a)).text
    assert undo_buttons(page) == []
    record = Cluster.history.filter(id=cluster_a.pk).latest()
    url = (f"/admin/profiles/cluster/{cluster_a.pk}/history/revert/profiles.cluster/"
           f"{record.history_id}/")
    assert staff_a_client.post(url).status_code == 403
    cluster_a.refresh_from_db()
    assert cluster_a.name == "Cluster A Renamed"


def test_editor_undoes_a_change_and_the_undo_is_recorded(
    staff_a_client, portal_editor_client, cluster_a, contact_a
):
    edit(staff_a_client, cluster_a, name="Cluster A Renamed", **{"contacts-0-role": "Intern"})
    edit(staff_a_client, cluster_a, acronym="CAR")

    page = portal_editor_client.get(history_url(cluster_a)).text
    contact_change = next(u for u in undo_buttons(page) if "profiles.contact" in u)
    name_change = [u for u in undo_buttons(page) if "profiles.cluster" in u][1]  # newest first
    portal_editor_client.post(contact_change)
    response = portal_editor_client.post(name_change, follow=True)

    assert "The change has been undone." in response.text
    cluster_a.refresh_from_db()
    contact_a.refresh_from_db()
    assert cluster_a.name == "Cluster A"
    assert cluster_a.acronym == "CAR"  # a later change to another field stays
    assert contact_a.role == "Cluster Manager"
    page = text_of(response.content.decode())
    assert "portal-editor" in page and "Reverted the change of" in page


def test_editor_restores_a_deleted_part(staff_a_client, portal_editor_client, cluster_a,
                                        contact_a):
    data = form_data(staff_a_client.get(change_url(cluster_a)).text, "cluster_form")
    data["contacts-0-DELETE"] = "on"
    staff_a_client.post(change_url(cluster_a), data)
    assert not Contact.objects.filter(pk=contact_a.pk).exists()

    page = portal_editor_client.get(history_url(cluster_a)).text
    deletion = [u for u in undo_buttons(page) if "profiles.contact" in u][0]
    portal_editor_client.post(deletion)

    restored = Contact.objects.get(pk=contact_a.pk)
    assert (restored.cluster, restored.name) == (cluster_a, "Ana Ruiz")


def test_editor_undoes_a_vocabulary_change(staff_a_client, portal_editor_client, cluster_a):
    sector = SectoralIndustry.objects.get(slug="construction-products-and-services")
    edit(staff_a_client, cluster_a, sectoral_industries=[str(sector.pk)])
    page = portal_editor_client.get(history_url(cluster_a)).text
    portal_editor_client.post(undo_buttons(page)[0])
    assert list(cluster_a.sectoral_industries.all()) == []


def test_an_undo_that_would_break_a_rule_says_why(portal_editor_client, cluster_a, editor):
    cluster_a._history_user = editor
    cluster_a.slug = "taken-later"
    cluster_a.save()
    ClusterFactory(name="Cluster A", slug="cluster-a")  # someone took the old address meanwhile
    page = portal_editor_client.get(history_url(cluster_a)).text
    response = portal_editor_client.post(undo_buttons(page)[0], follow=True)
    assert response.status_code == 200
    assert "Cluster with this Address (slug) already exists." in response.text
    cluster_a.refresh_from_db()
    assert cluster_a.slug == "taken-later"


# For each part of a cluster: its row in a fresh cluster, a change to it in the admin form, and
# the line the history must then show.
PART_CHANGES = {
    Contact: (
        lambda cluster: ContactFactory(cluster=cluster, name="Ana Ruiz"),
        {"contacts-0-role": "Project Manager"},
        "Changed Management team contact: Ana Ruiz Role: Cluster Manager → Project Manager",
    ),
    Composition: (
        lambda cluster: CompositionFactory(cluster=cluster),
        {"composition-0-total_members": "180"},
        "Changed Membership figures: Composition of Cluster A"
        " Total number of members: 175 → 180",
    ),
    MajorPlayer: (
        lambda cluster: MajorPlayerFactory(cluster=cluster, name="Endesa"),
        {"major_players-0-name": "Iberdrola"},
        "Changed Major player: Iberdrola Name: Endesa → Iberdrola",
    ),
    TargetCountry: (
        lambda cluster: TargetCountryFactory(cluster=cluster, country="KR"),
        {"target_countries-0-country": "JP"},
        "Changed Target country: International cooperation: Japan"
        " Country: South Korea → Japan",
    ),
    UndertakenActivity: (
        lambda cluster: UndertakenActivityFactory(
            cluster=cluster, activity=CooperationActivityFactory(name="Technology scouting")
        ),
        {"undertaken_activities-0-scope": Scope.TRANSNATIONAL},
        "Changed Cooperation activity undertaken: Trans-national cooperation: Technology"
        " scouting Scope: International cooperation → Trans-national cooperation",
    ),
    PartnerCluster: (
        lambda cluster: PartnerClusterFactory(cluster=cluster, name="Old Partner"),
        {"partners-0-name": "New Partner"},
        "Changed Partner cluster: New Partner Name: Old Partner → New Partner",
    ),
    FundedProgramme: (
        lambda cluster: FundedProgrammeFactory(cluster=cluster, name="Old Plan"),
        {"programmes-0-name": "New Plan"},
        "Changed Funded support programme: New Plan"
        " Project or programme name: Old Plan → New Plan",
    ),
}


def test_a_change_to_every_part_of_a_cluster_is_on_its_history_page(
    staff_a_client, cluster_a
):
    # Offers are edited on their own admin page (tests/cooperation/test_offer_admin.py).
    edited_elsewhere = {CooperationOffer}
    assert set(PART_CHANGES) | edited_elsewhere == set(Cluster.part_models()), (
        "Write down a change to the new part"
    )
    changes = {}
    for make, change, _line in PART_CHANGES.values():
        make(cluster_a)
        changes.update(change)

    edit(staff_a_client, cluster_a, **changes)

    page = text_of(staff_a_client.get(history_url(cluster_a)).text)
    missing = [line for _make, _change, line in PART_CHANGES.values() if line not in page]
    assert missing == [], page


# --- Issue 13: history an editor can review ---------------------------------------------


def test_a_sentence_added_to_a_long_text_shows_as_added_words_never_cut(
    staff_a_client, cluster_a
):
    long_text = "<p>" + " ".join(f"word{n}" for n in range(120)) + "</p><h3>Our Goals</h3>"
    edit(staff_a_client, cluster_a, strategy=long_text)
    edit(staff_a_client, cluster_a,
         strategy=long_text + "<p>A sentence added at the end &amp; R&amp;D.</p>")

    html = staff_a_client.get(history_url(cluster_a)).text

    assert "<ins><span class=\"visually-hidden\">[added:] </span>A sentence added at the end " \
        "&amp; R&amp;D.</ins>" in html
    assert "word119" in html and "Our Goals" in html  # the whole text, not cut
    assert "&lt;p&gt;" not in html and "&lt;h3&gt;" not in html  # no raw HTML
    assert "[removed:]" not in html  # nothing was taken away


def test_a_word_changed_in_a_text_is_struck_through_and_its_replacement_underlined(
    staff_a_client, cluster_a
):
    edit(staff_a_client, cluster_a, why_choose_us="<p>We are the oldest cluster.</p>")
    edit(staff_a_client, cluster_a, why_choose_us="<p>We are the largest cluster.</p>")

    page = text_of(staff_a_client.get(history_url(cluster_a)).text)

    assert "We are the [removed:] oldest [added:] largest cluster." in page


def test_history_labels_and_dates_read_as_the_form_does(staff_a_client, cluster_a):
    edit(staff_a_client, cluster_a, date_established="01/02/2014")

    page = text_of(staff_a_client.get(history_url(cluster_a)).text)
    assert "Date established: — → 1 February 2014" in page

    spanish = text_of(
        staff_a_client.get(history_url(cluster_a), HTTP_ACCEPT_LANGUAGE="es").text
    )
    assert "1 de febrero de 2014" in spanish


def test_history_names_the_s3_eu_priority_areas_as_the_form_does(
    staff_a_client, cluster_a
):
    from profiles.models import S3PriorityArea

    area = S3PriorityArea.objects.first()
    edit(staff_a_client, cluster_a, s3_priority_areas=[str(area.pk)])

    assert "S3 EU priority areas: —" in text_of(
        staff_a_client.get(history_url(cluster_a)).text
    )
