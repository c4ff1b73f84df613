import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_make_run_logins_are_an_editor_and_a_staff_member_of_the_smart_city_cluster(
    client, settings
):
    settings.DEBUG = True  # the command refuses to run in production
    call_command("loaddata", "fixtures/demo.json", verbosity=0)
    call_command("create_demo_superuser", stdout=io.StringIO())
    staff = get_user_model().objects.get(username="smartcity")
    assert staff.check_password("cluster-portal-demo") and not staff.is_superuser

    client.force_login(staff)
    changelist = client.get("/admin/profiles/cluster/").content.decode()
    names = re.findall(r'<th class="field-name"><a [^>]*>([^<]*)</a>', changelist)
    assert names == ["Smart City Cluster"]

    client.force_login(get_user_model().objects.get(username="admin"))
    changelist = client.get("/admin/profiles/cluster/").content.decode()
    assert len(re.findall(r'<th class="field-name">', changelist)) > 15


def test_the_demo_logins_are_refused_with_debug_off(settings):
    settings.DEBUG = False
    admin = UserFactory(username="admin", is_superuser=True)
    password_before = admin.password

    with pytest.raises(CommandError, match=r"local development only \(DEBUG is off\)"):
        call_command("create_demo_superuser", stdout=io.StringIO())

    # Nobody was created and the real "admin" keeps its password.
    assert list(get_user_model().objects.values_list("username", flat=True)) == ["admin"]
    admin.refresh_from_db()
    assert admin.password == password_before
