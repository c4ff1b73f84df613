"""Draft → submitted for review → published (or sent back with a note) → retired, in the admin."""

import pytest

from profiles.models import Cluster
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def change_url(cluster):
    return f"/admin/profiles/cluster/{cluster.pk}/change/"


def press(browser, cluster, button, follow=True, **changes):
    """Open the cluster's form, change fields, press a button; return the (followed) response."""
    data = form_data(browser.get(change_url(cluster)).text, "cluster_form")
    data.update(changes)
    data[button] = "on"
    return browser.post(change_url(cluster), data, follow=follow)


def status_of(cluster):
    cluster.refresh_from_db()
    return cluster.status


def test_staff_see_the_rule_and_only_the_submit_button_on_a_draft(staff_a_client, cluster_a):
    page = staff_a_client.get(change_url(cluster_a)).text
    assert "This profile is a draft" in page
    assert "changes saved by its cluster staff go live on the public site at once" in page
    assert 'name="_submit_for_review"' in page
    assert 'name="_publish"' not in page and 'name="_retire"' not in page


def test_a_profile_goes_from_draft_to_published_through_review(
    staff_a_client, portal_editor_client, cluster_a, client
):
    response = press(staff_a_client, cluster_a, "_submit_for_review")
    assert "It is now Submitted for review" in response.text
    assert status_of(cluster_a) == Cluster.Status.IN_REVIEW
    assert client.get(cluster_a.get_absolute_url()).status_code == 404

    start_page = portal_editor_client.get("/admin/").text
    assert "Submitted for review:" in start_page and "Cluster A" in start_page

    note = "Please describe your strategy."
    press(portal_editor_client, cluster_a, "_send_back", review_note=note)
    assert status_of(cluster_a) == Cluster.Status.DRAFT
    page = staff_a_client.get(change_url(cluster_a)).text
    assert "Note from the editors:" in page and "Please describe your strategy." in page

    press(staff_a_client, cluster_a, "_submit_for_review", strategy="<p>Grow abroad.</p>")
    press(portal_editor_client, cluster_a, "_publish")
    assert status_of(cluster_a) == Cluster.Status.PUBLISHED
    assert cluster_a.review_note == ""
    assert client.get(cluster_a.get_absolute_url()).status_code == 200


def test_sending_back_needs_a_note(portal_editor_client, cluster_a):
    cluster_a.status = Cluster.Status.IN_REVIEW
    cluster_a.save()
    response = press(portal_editor_client, cluster_a, "_send_back", review_note="")
    assert "Write in “Note from the editors” what should change" in response.text
    assert status_of(cluster_a) == Cluster.Status.IN_REVIEW


# Each editor's button from a status where it does something, and the status it leads to.
EDITORS_BUTTONS = [
    ("_publish", Cluster.Status.IN_REVIEW, Cluster.Status.PUBLISHED),
    ("_retire", Cluster.Status.PUBLISHED, Cluster.Status.RETIRED),
    ("_send_back", Cluster.Status.IN_REVIEW, Cluster.Status.DRAFT),
]


@pytest.mark.parametrize(("button", "status", "after"), EDITORS_BUTTONS)
def test_staff_cannot_press_an_editors_button(
    staff_a_client, portal_editor_client, cluster_a, button, status, after
):
    # With the editors' note already written, sending back needs nothing more.
    note = "Please describe your strategy."
    Cluster.objects.filter(pk=cluster_a.pk).update(status=status, review_note=note)

    press(staff_a_client, cluster_a, button, follow=False, review_note=note)

    assert status_of(cluster_a) == status
    assert cluster_a.review_note == note
    # The same request by an editor does move the profile: the button was live.
    press(portal_editor_client, cluster_a, button, follow=False, review_note=note)
    assert status_of(cluster_a) == after


def test_staff_changes_to_a_published_profile_go_live_and_editors_are_told(
    staff_a_client, portal_editor_client, cluster_a, client
):
    cluster_a.status = Cluster.Status.PUBLISHED
    cluster_a.save()
    assert "Changes you save appear on the public site at once" in staff_a_client.get(
        change_url(cluster_a)
    ).text

    press(staff_a_client, cluster_a, "_save", name="Cluster A Renamed")

    assert "Cluster A Renamed" in client.get(cluster_a.get_absolute_url()).text
    cluster_a.refresh_from_db()
    assert cluster_a.staff_changed_at is not None
    start_page = portal_editor_client.get("/admin/").text
    assert "Published profiles changed by their cluster staff:" in start_page
    assert "Cluster A Renamed" in start_page
    flagged = portal_editor_client.get("/admin/profiles/cluster/?staff_changes=unreviewed")
    assert [c.pk for c in flagged.context["cl"].result_list] == [cluster_a.pk]

    portal_editor_client.post(
        "/admin/profiles/cluster/",
        {"action": "mark_staff_changes_reviewed", "_selected_action": [str(cluster_a.pk)]},
    )
    cluster_a.refresh_from_db()
    assert cluster_a.staff_changed_at is None
    assert "changed by their cluster staff" not in portal_editor_client.get("/admin/").text


def test_saving_an_unchanged_published_profile_tells_nobody(staff_a_client, cluster_a):
    cluster_a.status = Cluster.Status.PUBLISHED
    cluster_a.save()
    before = Cluster.objects.get(pk=cluster_a.pk).updated
    press(staff_a_client, cluster_a, "_save")
    cluster_a.refresh_from_db()
    assert cluster_a.staff_changed_at is None
    assert cluster_a.updated == before


def test_editor_retires_a_profile_it_leaves_the_site_and_stays_in_the_admin(
    portal_editor_client, staff_a_client, cluster_a, client
):
    cluster_a.status = Cluster.Status.PUBLISHED
    cluster_a.save()
    press(portal_editor_client, cluster_a, "_retire")
    assert status_of(cluster_a) == Cluster.Status.RETIRED
    assert client.get(cluster_a.get_absolute_url()).status_code == 404
    assert "Cluster A" in portal_editor_client.get("/admin/profiles/cluster/").text
    page = staff_a_client.get(change_url(cluster_a)).text
    assert "This profile has been retired" in page
