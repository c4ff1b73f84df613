"""Security headers and the Content-Security-Policy, in the test client and under gunicorn."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.cluster_portal.conftest import EDITOR
from tests.factories import (
    ClusterFactory,
    CompositionFactory,
    ContactFactory,
    FullClusterFactory,
    FundedProgrammeFactory,
    MajorPlayerFactory,
    PartnerClusterFactory,
    SectoralIndustryFactory,
    TargetCountryFactory,
    UndertakenActivityFactory,
)
from tests.processes import HttpSession, gunicorn, manage, production_env

pytestmark = pytest.mark.django_db


def policy(response):
    """The Content-Security-Policy as {directive: [sources]}."""
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


class InlineCode(HTMLParser):
    """Finds what a strict CSP would block: inline scripts and styles, event handlers."""

    def __init__(self):
        super().__init__()
        self.found = []
        self.sources = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        # A data block (JSON-LD) is never run, so script-src does not apply to it; any
        # script of a JavaScript type would be.
        runs = attrs.get("type", "text/javascript") in {"text/javascript", "module", ""}
        if tag == "script" and not attrs.get("src") and runs:
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style> element")
        for name in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"{name}= on <{tag}>")
        if tag in {"script", "img"} and attrs.get("src"):
            self.sources.append(attrs["src"])
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.sources.append(attrs["href"])


def inline_code(html):
    parser = InlineCode()
    parser.feed(html)
    return parser


@pytest.fixture
def full_profile():
    cluster = FullClusterFactory(name="Smart City Cluster",
                                 sectoral_industries=[SectoralIndustryFactory()])
    ContactFactory(cluster=cluster)
    CompositionFactory(cluster=cluster)
    MajorPlayerFactory(cluster=cluster)
    TargetCountryFactory(cluster=cluster)
    UndertakenActivityFactory(cluster=cluster)
    PartnerClusterFactory(cluster=cluster)
    FundedProgrammeFactory(cluster=cluster)
    return cluster


def public_pages(cluster):
    """(url, status) of every kind of public page, a missing profile's included."""
    profile = f"/clusters/{cluster.slug}/"
    tabs = ["sectors/", "composition/", "strategy/", "cooperation/", "programmes/", "print/"]
    # A page number past the last shows the first page.
    pages = ["/", "/clusters/", "/clusters/?page=2", profile, *[profile + tab for tab in tabs],
             "/robots.txt"]
    return [*[(url, 200) for url in pages], ("/clusters/no-such-cluster/", 404)]


def test_every_public_page_has_a_strict_content_security_policy(client, full_profile):
    for url, status in public_pages(full_profile):
        response = client.get(url)
        assert response.status_code == status, url
        directives = policy(response)
        header = response["Content-Security-Policy"]
        assert "unsafe-inline" not in header and "unsafe-eval" not in header, url
        assert directives["default-src"] == ["'none'"]
        assert directives["script-src"] == ["'self'"]
        assert directives["style-src"] == ["'self'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["base-uri"] == ["'none'"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]


def test_public_pages_need_nothing_their_policy_forbids(client, full_profile):
    for url, _status in public_pages(full_profile):
        page = inline_code(client.get(url).text)
        assert page.found == [], url
        # Everything from this origin: no CDN.
        assert all(src.startswith("/") and not src.startswith("//") for src in page.sources), url


def test_the_admin_works_under_its_own_policy(editor_client, full_profile):
    login = Client().get("/admin/login/")
    pages = [login]
    pages += [
        editor_client.get(url)
        for url in [
            "/admin/",
            "/admin/profiles/cluster/",
            f"/admin/profiles/cluster/{full_profile.pk}/change/",
            "/admin/profiles/cluster/add/",
            "/admin/profiles/sectoralindustry/",
        ]
    ]
    for response in pages:
        assert response.status_code == 200
        directives = policy(response)
        assert directives["default-src"] == ["'self'"]
        # The rich-text editor's inline import map carries the page's nonce (issue 13).
        assert directives["script-src"][0] == "'self'"
        assert all(source.startswith("'nonce-") for source in directives["script-src"][1:])
        assert "unsafe" not in response["Content-Security-Policy"]
        # Django 5.2's admin keeps its scripts in files and its data in data- attributes.
        assert inline_code(response.text).found == []
    autocomplete = editor_client.get(
        "/admin/autocomplete/",
        {"app_label": "profiles", "model_name": "cluster", "field_name": "sectoral_industries"},
    )
    assert autocomplete.status_code == 200


PUBLIC_URLS = [
    "/", "/clusters/", "/es/clusters/?country=ES", "/clusters/smart-city-cluster/",
    "/clusters/smart-city-cluster/composition/", "/es/clusters/smart-city-cluster/print/",
    "/clusters/smart-city-cluster/profile.json", "/clusters/export.csv",
    "/clusters/export.json", "/clusters/schema/cluster-profile-v1.json", "/sitemap.xml",
    "/sitemap-profiles.xml", "/robots.txt", "/healthz", "/register/privacy/",
]


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "TRACE", "PATCH"])
@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_pages_answer_only_get_and_head(client, url, method):
    CompositionFactory(cluster=ClusterFactory(name="Smart City Cluster"))
    refused = client.generic(method, url)
    assert refused.status_code == 405
    assert refused["Allow"] == "GET, HEAD"
    for allowed in ("GET", "HEAD"):
        assert client.generic(allowed, url).status_code == 200, allowed


def assert_framed_by_policy(response):
    assert response["X-Frame-Options"] == "DENY"
    assert policy(response)["frame-ancestors"] == ["'none'"]
    assert policy(response)["default-src"] == ["'none'"]


def test_a_request_for_another_host_is_refused_under_the_same_policy(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert_framed_by_policy(response)


def test_deploy_check_passes_with_debug_off():
    result = manage("check", "--deploy", "--fail-level", "WARNING",
                    env=production_env(ALLOWED_HOSTS="portal.example.org"), check=False)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


VERSION = re.compile(r"\d+\.\d+")


def test_production_server_sends_hardened_headers_and_no_versions(
    live_database_url, collected_static
):
    env = production_env(DATABASE_URL=live_database_url, STATIC_ROOT=collected_static)
    with gunicorn(env) as address:
        browser = HttpSession(address)
        page = browser.get("/")
        assert page.status == 200
        assert page.header("strict-transport-security") == (
            "max-age=31536000; includeSubDomains; preload"
        )
        assert page.header("server") == "cluster-portal"
        for name in ("server", "x-powered-by", "via"):
            assert not VERSION.search(page.header(name) or ""), name
        assert "unsafe" not in page.header("content-security-policy")

        # Cookies only over TLS, never sent along with cross-site requests.
        login_page = browser.get("/admin/login/")
        csrf_cookie = next(c for c in login_page.headers["set-cookie"]
                           if c.startswith("csrftoken="))
        assert "Secure" in csrf_cookie and "SameSite=Lax" in csrf_cookie
        logged_in = browser.log_in(*EDITOR)
        session_cookie = next(c for c in logged_in.headers["set-cookie"]
                              if c.startswith("sessionid="))
        for flag in ("Secure", "HttpOnly", "SameSite=Lax"):
            assert flag in session_cookie

        # A bad Host header over plain HTTP is refused by the HTTPS redirect itself.
        refused = HttpSession(address).request(
            "GET", "/", headers={"Host": "evil.example", "X-Forwarded-Proto": "http"}
        )
        assert refused.status == 400
        assert refused.header("x-frame-options") == "DENY"
        assert "frame-ancestors 'none'" in refused.header("content-security-policy")

        plain = HttpSession(address).request("GET", "/", headers={"X-Forwarded-Proto": "http"})
        assert plain.status == 301
        assert plain.header("location") == f"https://{address}/"
        # The load balancer's probe is exempt from the redirect.
        probe = HttpSession(address).request(
            "GET", "/healthz", headers={"X-Forwarded-Proto": "http"}
        )
        assert probe.status == 200
