"""The admin's fieldsets drawn in Python (editorial/templatetags/admin_fieldsets.py) give the
HTML of Django's own template, on the cluster change form as staff and as editor, with and
without errors: every kind of row (one field or several, a checkbox, a read-only field, a
hidden one, help texts) and the inlines' rows, the empty ones that "Add another" copies too.
"""

import re
from pathlib import Path

import django.contrib.admin
import pytest
from django.template import engines
from django.template.loader import get_template

from tests import factories
from tests.forms import add_inline_row, form_data

pytestmark = pytest.mark.django_db

DJANGOS_FIELDSET = (
    Path(django.contrib.admin.__file__).parent / "templates/admin/includes/fieldset.html"
)


@pytest.fixture
def full_cluster(staff_a):
    cluster = factories.FullClusterFactory(name="Complete Cluster")
    cluster.staff.add(staff_a)
    factories.ContactFactory(cluster=cluster)
    factories.CompositionFactory(cluster=cluster)
    factories.MajorPlayerFactory(cluster=cluster)
    factories.TargetCountryFactory(cluster=cluster, country="FR")
    factories.UndertakenActivityFactory(cluster=cluster)
    partner = factories.ClusterFactory(name="A Partner")
    factories.PartnerClusterFactory(cluster=cluster, partner=partner)
    factories.FundedProgrammeFactory(cluster=cluster)
    return cluster


def fieldsets_of(response):
    """Every fieldset of the change form: the profile's own, then each inline row's."""
    yield from response.context["adminform"]
    for inline_admin_formset in response.context["inline_admin_formsets"]:
        for inline_admin_form in inline_admin_formset:
            yield from inline_admin_form


def tags_only(html):
    return re.sub(r">\s+<", "><", html).strip()


def assert_drawn_as_djangos_template(response):
    djangos = engines["django"].from_string(DJANGOS_FIELDSET.read_text())
    ours = get_template("admin/includes/fieldset.html")
    assert "editorial" in ours.origin.name
    drawn = 0
    for fieldset in fieldsets_of(response):
        context = {"fieldset": fieldset, "heading_level": 2, "prefix": "fieldset",
                   "id_prefix": 0, "id_suffix": drawn}
        assert tags_only(ours.render(context)) == tags_only(djangos.render(context))
        drawn += 1
    assert drawn > 10


def change_url(cluster):
    return f"/admin/profiles/cluster/{cluster.pk}/change/"


@pytest.mark.parametrize("who", ["staff_a_client", "portal_editor_client"])
def test_the_change_form_is_drawn_as_djangos_template_draws_it(request, who, full_cluster):
    browser = request.getfixturevalue(who)
    response = browser.get(change_url(full_cluster))
    assert response.status_code == 200
    assert_drawn_as_djangos_template(response)


@pytest.mark.parametrize("who", ["staff_a_client", "portal_editor_client"])
def test_a_form_with_errors_is_drawn_as_djangos_template_draws_it(request, who, full_cluster):
    browser = request.getfixturevalue(who)
    data = form_data(browser.get(change_url(full_cluster)).text, "cluster_form")
    data.update({
        "name": "",  # a row of several fields
        "website": "not an address",  # a row of one field
        "date_established": "12/31/2014",
        "contacts-0-email": "not an address",
    })
    add_inline_row(data, "partners", name="", partner="", link="https://example.org/")

    response = browser.post(change_url(full_cluster), data)

    assert response.status_code == 200
    assert 'class="errorlist' in response.text
    assert_drawn_as_djangos_template(response)
