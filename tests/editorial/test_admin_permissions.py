"""The permission matrix: every URL the admin registers, for every persona.

Cluster staff reach their own cluster and nothing else; another cluster's object answers exactly
like an id that does not exist (404). The matrix walks `admin.site.get_urls()` and each model
admin's URLs, so a new model admin or a new admin URL fails it until its expectations are
written down here (and a cluster-owned admin without scoping fails them).
"""

import copy
import re
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import URLResolver
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cooperation.models import (
    CooperationOffer,
    InterestMessage,
    PartnerCluster,
    TargetCountry,
    UndertakenActivity,
)
from editorial.models import Claim, Registration
from editorial.scoping import PUBLIC_CLUSTER_REFERENCES
from members.models import Composition, MajorPlayer
from opendata.models import ImportRun
from pages.models import Page
from profiles import models as profiles
from profiles.models import EDITORS_GROUP, Cluster, Contact
from programmes.models import FundedProgramme
from tests.conftest import once_per_module
from tests.factories import (
    ClaimFactory,
    ClusterFactory,
    CompositionFactory,
    ContactFactory,
    CooperationOfferFactory,
    FundedProgrammeFactory,
    InterestMessageFactory,
    MajorPlayerFactory,
    PartnerClusterFactory,
    PortalEditorFactory,
    RegistrationFactory,
    SuperuserFactory,
    TargetCountryFactory,
    UndertakenActivityFactory,
    UserFactory,
)
from tests.forms import form_data

pytestmark = pytest.mark.django_db

PERSONAS = ["visitor", "staff_a", "staff_b", "portal_editor", "superuser"]
EDITORS = {"portal_editor", "superuser"}
OWN_CLUSTER = {"staff_a": "A", "staff_b": "B"}
MISSING = 999999

TERMS = [
    profiles.SectoralIndustry,
    profiles.TechnologyField,
    profiles.S3PriorityArea,
    profiles.EmergingIndustry,
    profiles.IndustrialEcosystem,
    profiles.ClusterExcellenceLabel,
    profiles.SupportService,
    profiles.CooperationActivity,
]
# How each registered model admin is meant to be reached. "cluster-owned": staff reach their
# own cluster's rows; "editors": editors only; "superusers": Django's model permissions.
POLICIES = {
    Cluster: "cluster-owned",
    **{term: "editors" for term in TERMS},
    User: "superusers",
    Group: "superusers",
    AccessAttempt: "superusers",
    AccessLog: "superusers",
    AccessFailureLog: "superusers",
    DBTaskResult: "superusers",
    # The review queue (issue 18): requests come from the public forms, so no add form.
    # A claim is decided by an editor or by the claimed cluster's staff.
    Registration: "editors",
    Claim: "cluster-owned",
    Page: "editors",
    CooperationOffer: "cluster-owned",
    # Visitors' messages (issue 17): each cluster's staff read their own inbox.
    InterestMessage: "cluster-owned",
}
# Written by django-axes and by the task queue only; the queue's results are not deleted by hand.
NO_ADD_FORM = {AccessAttempt, AccessLog, AccessFailureLog, DBTaskResult, Registration, Claim,
               InterestMessage}
NO_DELETE = {DBTaskResult}
PART_FACTORIES = {
    Contact: ContactFactory,
    Composition: CompositionFactory,
    MajorPlayer: MajorPlayerFactory,
    TargetCountry: TargetCountryFactory,
    UndertakenActivity: UndertakenActivityFactory,
    PartnerCluster: PartnerClusterFactory,
    FundedProgramme: FundedProgrammeFactory,
    CooperationOffer: CooperationOfferFactory,
}


@once_per_module
def clusters_and_people():
    """Clusters A and B (drafts, one staff each), a published cluster P; every part for each;
    the two staff, a portal editor and a superuser. The same names as the conftest personas,
    which therefore find these rows."""
    staff = {key: UserFactory(username=f"staff-{key.lower()}") for key in "AB"}
    clusters = {
        "A": ClusterFactory(name="Cluster A", draft=True, staff=[staff["A"]]),
        "B": ClusterFactory(name="Cluster B", draft=True, staff=[staff["B"]]),
        "P": ClusterFactory(name="Porto Maritime Centre"),
    }
    for cluster in clusters.values():
        for part in Cluster.part_models():
            PART_FACTORIES[part](cluster=cluster)
    people = {
        "staff_a": staff["A"],
        "staff_b": staff["B"],
        "portal_editor": PortalEditorFactory(username="portal-editor"),
        "superuser": SuperuserFactory(username="editor"),
    }
    ImportRun.objects.create(started_by=people["superuser"], file_name="clusters.csv")
    # Confirmed requests in the review queue (unconfirmed ones never show there).
    RegistrationFactory(state=Registration.State.WAITING)
    for cluster in clusters.values():
        ClaimFactory(cluster=cluster, state=Claim.State.WAITING)
        InterestMessageFactory(cluster=cluster)
    return clusters, people


@pytest.fixture
def world(clusters_and_people):
    """The module's rows, and a fresh browser per persona (no cookie left by another test)."""
    clusters, people = clusters_and_people
    browsers = {"visitor": Client()}
    for persona, user in people.items():
        browsers[persona] = Client()
        browsers[persona].force_login(user)
    return SimpleNamespace(clusters=clusters, browsers=browsers, some_user=people["staff_b"],
                           import_run=ImportRun.objects.get())


def admin_urls():
    """(route, url name, model admin or None) for every URL that admin.site registers."""
    model_admins = {
        f"{model._meta.app_label}/{model._meta.model_name}/": model_admin
        for model, model_admin in admin.site._registry.items()
    }
    for pattern in admin.site.get_urls():
        if isinstance(pattern, URLResolver):
            model_admin = model_admins[str(pattern.pattern)]
            for view in pattern.url_patterns:
                yield str(pattern.pattern) + str(view.pattern), view.name, model_admin
        else:
            yield str(pattern.pattern), pattern.name, None


# --- Expectations ---------------------------------------------------------------------------


def everyone(code, visitor=302):
    return {p: visitor if p == "visitor" else code for p in PERSONAS}


def site_cases(route, name, world):
    """(url, {persona: status}) for the site-wide admin views."""
    if name == "index":
        yield "/admin/", everyone(200)
    elif name == "login":
        yield "/admin/login/", everyone(302, visitor=200)
    elif name == "logout":
        yield "/admin/logout/", everyone(405)  # POST only
    elif name in {"password_change", "password_change_done"}:
        yield "/admin/" + route, everyone(200)
    elif name == "autocomplete":
        yield "/admin/autocomplete/", everyone(403)  # see the autocomplete tests below
    elif name == "personal_data":  # one person's data: editors only, never cluster staff
        yield "/admin/personal-data/", {
            p: 302 if p == "visitor" else 200 if p in EDITORS else 403 for p in PERSONAS
        }
    elif name == "jsi18n":
        yield "/admin/jsi18n/", everyone(200)
    elif name == "view_on_site":
        content_type = ContentType.objects.get_for_model(Cluster)
        for key, cluster in [*world.clusters.items(), ("missing", None)]:
            url = f"/admin/r/{content_type.pk}/{cluster.pk if cluster else MISSING}/"
            yield url, {
                p: 302 if p == "visitor" or p in EDITORS and cluster
                or OWN_CLUSTER.get(p) == key else 404
                for p in PERSONAS
            }
    elif name == "app_list":
        labels = re.search(r"\(\?P<app_label>([^)]*)\)", route).group(1).split("|")
        for label in labels:
            yield f"/admin/{label}/", {
                p: 302 if p == "visitor"
                else 200 if label == "profiles" or p == "superuser"
                or label == "editorial"  # staff: the claims of their cluster
                or label == "cooperation"  # staff: their cluster's offers and messages
                or label == "pages" and p in EDITORS else 404
                for p in PERSONAS
            }
    elif name is None and route == "(?P<url>.*)$":
        yield "/admin/no-such-page/", everyone(404)
    else:
        raise AssertionError(
            f"No expectations for the admin URL {route!r} ({name}): add them to this matrix."
        )


def targets(model, world):
    """(target key, object or None) for the object URLs of a model admin."""
    policy = POLICIES[model]
    if policy == "cluster-owned":
        for key, cluster in world.clusters.items():
            obj = cluster if model is Cluster else model.objects.get(cluster=cluster)
            yield key, obj
    elif model is User:
        yield "existing", world.some_user
    elif model is Group:
        yield "existing", Group.objects.get(name=EDITORS_GROUP)
    elif policy == "editors":
        yield "existing", model.objects.first()
    yield "missing", None


def expected_status(persona, model, view, target):
    policy = POLICIES[model]
    if persona == "visitor" or view == "redirect":
        return 302  # to the login page; `<id>/` only re-points to `<id>/change/`
    editor = persona in EDITORS
    if policy == "cluster-owned":
        if view == "changelist":
            return 200
        if view == "import":  # imports touch many clusters at once
            return 200 if editor else 403
        if view == "counts":  # messages per cluster: the editors' overview
            return 200 if editor else 403
        if view == "import_run":  # editors see every import; staff none, not even its id
            return (404 if target == "missing" else 200) if editor else 403
        # Staff add and delete their cluster's rows, not clusters.
        if view == "add":
            if model in NO_ADD_FORM:
                return 403
            return 200 if editor or model is not Cluster else 403
        if target == "missing" or not (editor or OWN_CLUSTER[persona] == target):
            return 404
        editor_only = {"invite": 200, "revert": 405}  # revert is POST only
        if model in (Cluster, Claim, InterestMessage):
            editor_only["delete"] = 200
        if view in editor_only:
            return editor_only[view] if editor else 403
        return 200
    if policy == "editors":
        if not editor or view == "add" and model in NO_ADD_FORM:
            return 403
        return 404 if target == "missing" and view not in {"changelist", "add"} else 200
    if policy == "superusers":
        if persona != "superuser":
            return 403
        if view == "add":
            return 403 if model in NO_ADD_FORM else 200
        if view == "changelist":
            return 200
        if view == "delete" and model in NO_DELETE:
            return 403
        if target == "missing":  # Django redirects to the start page, or says 404
            return 404 if view == "password_change" else 302
        return 200
    raise AssertionError(f"Unknown policy {policy!r}")


def model_cases(route, name, model_admin, world):
    model = model_admin.model
    prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
    view = name.removeprefix(prefix) if name else "redirect"
    if "<" not in route:
        yield "/admin/" + route, {p: expected_status(p, model, view, None) for p in PERSONAS}
        return
    if view == "import_run":
        for target, pk in [("existing", world.import_run.pk), ("missing", MISSING)]:
            url = "/admin/" + route.replace("<int:run_id>", str(pk))
            yield url, {p: expected_status(p, model, view, target) for p in PERSONAS}
        return
    for target, obj in targets(model, world):
        pk = obj.pk if obj else MISSING
        record = Cluster.history.filter(id=pk).first() if model is Cluster else None
        url = (
            ("/admin/" + route)
            .replace("<path:object_id>", str(pk))
            .replace("<id>", str(pk))
            .replace("<str:model_label>", "profiles.cluster")
            .replace("<int:history_id>", str(record.history_id if record else MISSING))
        )
        assert "<" not in url, f"No value for a parameter of {route!r}: add it to this matrix."
        yield url, {p: expected_status(p, model, view, target) for p in PERSONAS}


def login_redirect(url):
    """Where a visitor is sent: the login page, then back (logging out goes to the start)."""
    if url == "/admin/logout/":
        return "/admin/"
    return f"/admin/login/?next={quote(url)}"


def test_every_registered_model_admin_has_a_policy():
    assert set(admin.site._registry) == set(POLICIES), (
        "A model admin was added or removed: write down who may reach it in POLICIES."
    )


def test_every_cluster_part_has_a_factory_here():
    assert set(Cluster.part_models()) == set(PART_FACTORIES)


@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix(world, persona):
    browser = world.browsers[persona]
    wrong = []
    checked = 0
    for route, name, model_admin in admin_urls():
        if model_admin is None:
            cases = site_cases(route, name, world)
        else:
            cases = model_cases(route, name, model_admin, world)
        for url, expected in cases:
            response = browser.get(url)
            checked += 1
            if response.status_code != expected[persona]:
                wrong.append((url, expected[persona], response.status_code))
            if persona == "visitor" and response.status_code == 302:
                assert response["Location"] == login_redirect(url), url
    assert wrong == [], f"{persona}, (url, expected, got) of {checked} URLs:\n" + "\n".join(
        map(str, wrong)
    )
    assert checked > 100


# --- Autocomplete: every relation of every model of the portal ---------------------------------


def relations():
    for label in ["profiles", "members", "cooperation", "programmes"]:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.get_fields():
                if field.is_relation and field.concrete:
                    yield model, field


def autocomplete(browser, model, field_name, term=""):
    return browser.get(
        "/admin/autocomplete/",
        {
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": field_name,
            "term": term,
        },
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_autocomplete_offers_only_what_the_persona_may_reference(world, persona):
    browser = world.browsers[persona]
    clusters = {key: str(c.pk) for key, c in world.clusters.items()}
    wrong = []
    for model, field in relations():
        response = autocomplete(browser, model, field.name)
        remote = field.related_model
        key = (model._meta.app_label, model._meta.model_name, field.name)
        if persona == "visitor":
            expected = 302
        elif remote not in admin.site._registry:
            expected = 403
        elif POLICIES[remote] == "superusers":
            expected = 200 if persona == "superuser" else 403
        else:
            expected = 200
        if response.status_code != expected:
            wrong.append((key, expected, response.status_code))
            continue
        if remote is Cluster and expected == 200:
            found = {r["id"] for r in response.json()["results"]}
            if persona in EDITORS:
                allowed = set(clusters.values())
            else:
                allowed = {clusters[OWN_CLUSTER[persona]]}
                if key in PUBLIC_CLUSTER_REFERENCES:
                    allowed.add(clusters["P"])  # a published profile is public information
            if found != allowed:
                wrong.append((key, sorted(allowed), sorted(found)))
    assert wrong == []


def test_autocomplete_refuses_a_field_that_is_not_a_relation(staff_a_client):
    assert autocomplete(staff_a_client, Cluster, "name").status_code == 403


def test_partner_autocomplete_finds_published_clusters_by_name_but_not_drafts(world):
    staff_a = world.browsers["staff_a"]
    published = autocomplete(staff_a, PartnerCluster, "partner", "Porto").json()["results"]
    assert [r["text"] for r in published] == ["Porto Maritime Centre"]
    assert autocomplete(staff_a, PartnerCluster, "partner", "Cluster B").json()["results"] == []


# --- Forged POSTs --------------------------------------------------------------------------


def change_url(cluster):
    return f"/admin/profiles/cluster/{cluster.pk}/change/"


def inline_prefixes():
    """(inline class, formset prefix) for every inline of the cluster form."""
    for inline in admin.site._registry[Cluster].inlines:
        fk = inline.model._meta.get_field(inline.fk_name or "cluster")
        yield inline, fk.remote_field.get_accessor_name()


@pytest.fixture(scope="module")
def cluster_a_form(clusters_and_people, django_db_blocker):
    """Cluster A's change form as staff A's browser would submit it unchanged (read once: the
    module's rows are the same for every test)."""
    clusters, people = clusters_and_people
    browser = Client()
    with django_db_blocker.unblock():
        browser.force_login(people["staff_a"])
        return form_data(browser.get(change_url(clusters["A"])).text, "cluster_form")


@pytest.fixture
def form_of_a(cluster_a_form):
    """A copy of cluster A's form data, for one test to change."""
    return copy.deepcopy(cluster_a_form)


def snapshot(model):
    return {obj.pk: model_to_dict(obj) for obj in model.objects.all()}


@pytest.mark.parametrize(("inline", "prefix"), list(inline_prefixes()))
def test_forged_inline_id_of_another_cluster_is_treated_like_a_missing_one(
    world, form_of_a, inline, prefix
):
    staff_a, cluster_a, cluster_b = (
        world.browsers["staff_a"], world.clusters["A"], world.clusters["B"],
    )
    before = snapshot(inline.model)
    data = form_of_a
    assert data[f"{prefix}-INITIAL_FORMS"] == "1"
    responses = []
    for forged_id in [inline.model.objects.get(cluster=cluster_b).pk, MISSING]:
        data[f"{prefix}-0-id"] = str(forged_id)
        responses.append(staff_a.post(change_url(cluster_a), data))

    foreign, missing = responses
    assert foreign.status_code == missing.status_code == 200
    errors = [
        next(f.formset.errors for f in r.context["inline_admin_formsets"]
             if f.formset.prefix == prefix)
        for r in responses
    ]
    assert errors[0] == errors[1]
    assert "Select a valid choice" in str(errors[0][0]["id"])
    assert snapshot(inline.model) == before


@pytest.mark.parametrize(("inline", "prefix"), list(inline_prefixes()))
def test_forged_parent_in_an_inline_row_is_rejected(world, form_of_a, inline, prefix):
    staff_a, cluster_a, cluster_b = (
        world.browsers["staff_a"], world.clusters["A"], world.clusters["B"],
    )
    before = snapshot(inline.model)
    data = form_of_a
    fk_name = inline.fk_name or "cluster"
    data[f"{prefix}-0-{fk_name}"] = str(cluster_b.pk)

    response = staff_a.post(change_url(cluster_a), data)

    assert response.status_code == 200
    formset = next(
        f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == prefix
    )
    assert formset.errors[0][fk_name] == ["The inline value did not match the parent instance."]
    assert snapshot(inline.model) == before


@pytest.mark.parametrize(("partner", "accepted"), [("B", False), ("P", True)])
def test_staff_may_name_a_published_cluster_as_partner_but_not_a_draft(
    world, form_of_a, partner, accepted
):
    staff_a, cluster_a = world.browsers["staff_a"], world.clusters["A"]
    data = form_of_a
    data["partners-0-partner"] = str(world.clusters[partner].pk)

    response = staff_a.post(change_url(cluster_a), data)

    row = PartnerCluster.objects.get(cluster=cluster_a)
    if accepted:
        assert response.status_code == 302
        assert row.partner == world.clusters["P"]
    else:
        assert response.status_code == 200
        assert "Select a valid choice" in response.text
        assert row.partner is None


def test_staff_cannot_post_to_another_clusters_form(world, form_of_a):
    staff_a, cluster_b = world.browsers["staff_a"], world.clusters["B"]
    data = form_of_a
    data["name"] = "Taken over"
    response = staff_a.post(change_url(cluster_b), data)
    assert response.status_code == 404
    cluster_b.refresh_from_db()
    assert cluster_b.name == "Cluster B"


def test_staff_cannot_change_status_access_or_the_editors_note(
    world, form_of_a, staff_a, staff_b
):
    staff_a_client, cluster_a = world.browsers["staff_a"], world.clusters["A"]
    data = form_of_a
    data.update(
        name="Cluster A renamed",
        status="published",
        staff=[str(staff_a.pk), str(staff_b.pk)],
        review_note="All good, publish it",
    )
    response = staff_a_client.post(change_url(cluster_a), data)
    assert response.status_code == 302
    cluster_a.refresh_from_db()
    assert cluster_a.name == "Cluster A renamed"
    assert cluster_a.status == Cluster.Status.DRAFT
    assert list(cluster_a.staff.all()) == [staff_a]
    assert cluster_a.review_note == ""


def test_staff_cannot_make_themselves_superusers(staff_a_client, staff_a):
    url = f"/admin/auth/user/{staff_a.pk}/change/"
    response = staff_a_client.post(url, {"username": "staff-a", "is_superuser": "on",
                                         "is_staff": "on", "is_active": "on"})
    assert response.status_code == 403
    staff_a.refresh_from_db()
    assert not staff_a.is_superuser


def test_staff_changelist_shows_only_their_cluster_and_counts_it_alone(world):
    response = world.browsers["staff_a"].get("/admin/profiles/cluster/")
    assert response.status_code == 200
    assert "Cluster A" in response.text
    assert "Cluster B" not in response.text and "Porto Maritime Centre" not in response.text
    assert response.context["cl"].result_count == 1
    assert response.context["cl"].full_result_count == 1
    # Filters and the date drill-down are built from the same scoped rows.
    filtered = world.browsers["staff_a"].get("/admin/profiles/cluster/?status__exact=published")
    assert filtered.context["cl"].result_count == 0
    assert "Porto Maritime Centre" not in filtered.text


# --- Admin actions with another cluster's ids ------------------------------------------------


def changelist_action(browser, action, *clusters):
    # "post": "yes" confirms at once an action that asks first (delete_selected).
    return browser.post(
        "/admin/profiles/cluster/",
        {"action": action, "_selected_action": [str(c.pk) for c in clusters], "post": "yes"},
    )


def test_an_action_on_another_clusters_id_changes_nothing(world):
    staff_a, cluster_a, cluster_b = (
        world.browsers["staff_a"], world.clusters["A"], world.clusters["B"],
    )
    changelist_action(staff_a, "submit_for_review", cluster_a, cluster_b)
    cluster_a.refresh_from_db()
    cluster_b.refresh_from_db()
    assert cluster_a.status == Cluster.Status.IN_REVIEW
    assert cluster_b.status == Cluster.Status.DRAFT


def state_of(cluster):
    """(status, staff change flagged) of the cluster, or None once it is deleted."""
    row = Cluster.objects.filter(pk=cluster.pk).values_list("status", "staff_changed_at").first()
    return row and (row[0], row[1] is not None)


# Each editor's action from a state where it does something: (status, staff change flagged).
EDITOR_ACTIONS = {
    "publish": (Cluster.Status.IN_REVIEW, False),
    "retire": (Cluster.Status.PUBLISHED, False),
    "delete_selected": (Cluster.Status.PUBLISHED, True),
    "mark_staff_changes_reviewed": (Cluster.Status.PUBLISHED, True),
}


@pytest.mark.parametrize("action", list(EDITOR_ACTIONS))
def test_staff_cannot_run_editor_actions_on_their_own_cluster(world, action):
    staff_a, cluster_a = world.browsers["staff_a"], world.clusters["A"]
    status, flagged = EDITOR_ACTIONS[action]
    Cluster.objects.filter(pk=cluster_a.pk).update(
        status=status, staff_changed_at=timezone.now() if flagged else None
    )
    offered = staff_a.get("/admin/profiles/cluster/").context["action_form"]
    assert action not in dict(offered.fields["action"].choices)

    changelist_action(staff_a, action, cluster_a)

    assert state_of(cluster_a) == (status, flagged)
    # The same request by an editor does change the profile: the action was live.
    changelist_action(world.browsers["portal_editor"], action, cluster_a)
    assert state_of(cluster_a) != (status, flagged)


def test_editor_publishes_several_profiles_at_once(world):
    cluster_a, cluster_b = world.clusters["A"], world.clusters["B"]
    changelist_action(world.browsers["portal_editor"], "publish", cluster_a, cluster_b)
    assert set(Cluster.objects.published()) == {cluster_a, cluster_b, world.clusters["P"]}


def test_revert_of_another_clusters_record_through_own_url_is_not_found(world):
    record_b = Cluster.history.filter(id=world.clusters["B"].pk).first()
    url = (f"/admin/profiles/cluster/{world.clusters['A'].pk}/history/revert/"
           f"profiles.cluster/{record_b.history_id}/")
    assert world.browsers["superuser"].post(url).status_code == 404
