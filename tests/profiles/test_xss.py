"""Script injection: payloads typed into every text and URL field through the admin never run.

Each payload goes through the cluster change form (with all its inlines) and the vocabulary
admin, as a member of staff would type it; then the public tabs, the print page and the JSON
export are parsed and searched for anything a browser would execute.
"""

import json
from html.parser import HTMLParser

import pytest
from django.db import models
from django.test import Client

from profiles.fields import WebAddressField
from profiles.models import Cluster
from tests.conftest import once_per_module
from tests.factories import (
    ClusterExcellenceLabelFactory,
    CompositionFactory,
    ContactFactory,
    CooperationActivityFactory,
    FullClusterFactory,
    FundedProgrammeFactory,
    MajorPlayerFactory,
    PartnerClusterFactory,
    SectoralIndustryFactory,
    SupportServiceFactory,
    TargetCountryFactory,
    TechnologyFieldFactory,
    UndertakenActivityFactory,
)
from tests.forms import errors_in, flatten, read_form

pytestmark = pytest.mark.django_db

TEXT_PAYLOADS = [
    "<script>alert('xss')</script>",
    "<img src=x onerror=alert('xss')>",
    "<svg onload=alert('xss')>",
    "<svg><script>alert('xss')</script></svg>",
    '"><script>alert(1)</script>',
    "' onmouseover='alert(1)' x='",
    '" onfocus="alert(1)" autofocus="',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "</textarea><script>alert(1)</script>",
    '<object data="data:text/html,<script>alert(1)</script>">',
    "<p style=\"background:url('javascript:alert(1)')\">styled</p>",
    "{{ request }}{% debug %}",
]

URL_PAYLOADS = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "https://example.org/\"onmouseover=\"alert(1)",
    "https://example.org/'><script>alert(1)</script>",
    "https://example.org/?q=<svg/onload=alert(1)>",
]
REFUSED_SCHEMES = ("javascript:", "data:", "vbscript:")

INLINES = {  # the admin's inline prefixes: the relations' names
    "contacts": "profiles.Contact",
    "composition": "members.Composition",
    "major_players": "members.MajorPlayer",
    "target_countries": "cooperation.TargetCountry",
    "undertaken_activities": "cooperation.UndertakenActivity",
    "partners": "cooperation.PartnerCluster",
    "programmes": "programmes.FundedProgramme",
}


def _free_text(field):
    """Fields where staff type anything: text without choices, not a slug, e-mail or phone."""
    return (
        isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, models.SlugField | models.EmailField | models.URLField)
        and not field.choices
        and field.name != "phone_numbers"
        and field.editable
    )


def profile_fields(kind):
    """{form field name: max_length} for every field of the profile of `kind` ("text"/"url")."""
    from django.apps import apps

    wanted = _free_text if kind == "text" else (lambda f: isinstance(f, WebAddressField))
    found = {f.name: f.max_length for f in Cluster._meta.fields if wanted(f)}
    for prefix, label in INLINES.items():
        for field in apps.get_model(label)._meta.fields:
            if wanted(field):
                found[f"{prefix}-0-{field.name}"] = field.max_length
    return found


@once_per_module
def full_profile_row():
    """A profile with every tab filled, written once for the module."""
    cluster = FullClusterFactory(
        name="Smart City Cluster",
        sectoral_industries=[SectoralIndustryFactory()],
        technology_fields=[TechnologyFieldFactory()],
        support_services=[SupportServiceFactory()],
        excellence_label=ClusterExcellenceLabelFactory(),
    )
    ContactFactory(cluster=cluster)
    CompositionFactory(cluster=cluster)
    MajorPlayerFactory(cluster=cluster)
    TargetCountryFactory(cluster=cluster)
    UndertakenActivityFactory(cluster=cluster, activity=CooperationActivityFactory())
    PartnerClusterFactory(cluster=cluster, link="https://partner.example.org/")
    FundedProgrammeFactory(cluster=cluster)
    return cluster.pk


@pytest.fixture
def profile(db, full_profile_row):
    """The profile as this test finds it (a fresh instance: each test changes its own)."""
    return Cluster.objects.get(pk=full_profile_row)


def outputs(cluster):
    """Every public rendering of the profile: (kind, url)."""
    base = f"/clusters/{cluster.slug}/"
    tabs = ["", "sectors/", "composition/", "strategy/", "cooperation/", "programmes/"]
    html = [("html", base + tab) for tab in [*tabs, "print/"]]
    return [*html, ("json", base + "profile.json")]


# The scripts the profile pages load, each named exactly: any other <script> is a finding.
OWN_SCRIPTS = {"/static/js/profile.js", "/static/js/print.js"}


class ExecutableFinder(HTMLParser):
    """Collects what a browser would run: scripts, event handlers, script URLs, active tags."""

    ACTIVE_TAGS = {"script", "svg", "math", "iframe", "frame", "object", "embed", "base",
                   "applet", "style", "form", "details"}
    DATA_SCRIPTS = {"application/ld+json", "application/json"}
    # The portal's own drawings (the locator map, the cooperation network and its legend):
    # shapes, links and escaped names only. A payload dressed as one is still caught by its
    # script child or its handler attribute.
    OWN_SVG_CLASSES = {"locator-svg", "network-svg", "legend-swatch"}
    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster",
                      "background", "srcdoc"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("type") in self.DATA_SCRIPTS and "src" not in attrs:
            pass  # JSON-LD is data; a break-out of it would open another, executable, tag
        elif tag == "svg" and attrs.get("class") in self.OWN_SVG_CLASSES:
            pass
        elif tag == "script" and set(attrs) == {"src", "defer"} and attrs["src"] in OWN_SCRIPTS:
            pass  # the portal's own progressive enhancement, a static file by its exact name
        elif tag in self.ACTIVE_TAGS:
            self.found.append(f"<{tag}>")
        if tag == "meta" and "http-equiv" in attrs:
            self.found.append("<meta http-equiv>")
        for name, value in attrs.items():
            if name.startswith("on") or name in {"style", "srcdoc"}:
                self.found.append(f"{name}= on <{tag}>")
            if name in self.URL_ATTRIBUTES and value:
                scheme = "".join(ch for ch in value if ch > " ").lower()
                if scheme.startswith(REFUSED_SCHEMES):
                    self.found.append(f"{name}={value!r} on <{tag}>")

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def executable_parts(html):
    finder = ExecutableFinder()
    finder.feed(html)
    finder.close()
    return finder.found, "".join(finder.text)


def check_outputs(cluster, payload=None):
    """Assert no output holds anything executable; return the HTML pages' visible text."""
    visitor = Client()
    visible = []
    for kind, url in outputs(cluster):
        response = visitor.get(url)
        assert response.status_code == 200, url
        if kind == "json":
            assert response["Content-Type"].startswith("application/json")
            assert response["X-Content-Type-Options"] == "nosniff"
            # Plain-text fields are data (served as JSON with nosniff, never as a page); the
            # fields the schema marks as HTML, and every address, must be harmless as they are.
            for key, value in _fields(json.loads(response.content)):
                if key in JSON_HTML_FIELDS:
                    assert executable_parts(value)[0] == [], (url, key, value)
                if key in JSON_URL_FIELDS and value:
                    assert value.startswith(("http://", "https://")), (url, key, value)
            continue
        found, text = executable_parts(response.text)
        assert found == [], (url, payload, found)
        visible.append(text)
    return "\n".join(visible)


# Keys of profile.json whose values are HTML (contentMediaType text/html in the schema) or
# addresses a reader may follow.
JSON_HTML_FIELDS = {"strategy", "support_services_details", "why_choose_us", "description"}
JSON_URL_FIELDS = {"website", "link", "url", "logo", "schema"}


def _fields(value, key=None):
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from _fields(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from _fields(item, key)


def test_every_text_and_url_field_of_the_profile_is_covered(editor_client, profile):
    form = read_form(editor_client.get(f"/admin/profiles/cluster/{profile.pk}/change/").text)
    fields = {**profile_fields("text"), **profile_fields("url")}
    assert set(fields) <= set(form), set(fields) - set(form)
    assert {"name", "strategy", "website", "programmes-0-description",
            "partners-0-link", "contacts-0-role"} <= set(fields)


@pytest.mark.parametrize("payload", TEXT_PAYLOADS)
def test_text_payloads_typed_in_the_admin_never_run_on_public_pages(
    editor_client, profile, payload
):
    change_url = f"/admin/profiles/cluster/{profile.pk}/change/"
    data = read_form(editor_client.get(change_url).text)
    for name, max_length in profile_fields("text").items():
        data[name] = [payload[:max_length] if max_length else payload]
    response = editor_client.post(change_url, flatten(data))
    assert response.status_code == 302, errors_in(response)

    # The vocabulary labels the profile shows, typed by an editor.
    profile.refresh_from_db()
    terms = [
        profile.sectoral_industries.get(),
        profile.technology_fields.get(),
        profile.support_services.get(),
        profile.excellence_label,
        profile.undertaken_activities.get().activity,
    ]
    for term in terms:
        url = f"/admin/profiles/{term._meta.model_name}/{term.pk}/change/"
        term_data = read_form(editor_client.get(url).text)
        term_data["name"] = [payload]
        term_data["label_es"] = [payload]
        response = editor_client.post(url, flatten(term_data))
        assert response.status_code == 302, errors_in(response)

    visible_text = check_outputs(profile, payload)
    # The payload did reach the pages, shown as the text it is.
    assert payload[:50] in visible_text


@pytest.mark.parametrize("payload", URL_PAYLOADS)
def test_url_payloads_are_refused_or_shown_harmlessly(editor_client, profile, payload):
    change_url = f"/admin/profiles/cluster/{profile.pk}/change/"
    data = read_form(editor_client.get(change_url).text)
    url_fields = profile_fields("url")
    for name in url_fields:
        data[name] = [payload]
    response = editor_client.post(change_url, flatten(data))

    if payload.strip().lower().startswith(REFUSED_SCHEMES):
        assert response.status_code == 200  # the form again, with the errors
        errors = " ".join(errors_in(response))
        assert errors.count("Enter a valid URL") >= len(url_fields), errors
        profile.refresh_from_db()
        assert profile.website == "https://cluster.example.org/"
    else:
        assert response.status_code == 302, errors_in(response)
    check_outputs(profile, payload)
