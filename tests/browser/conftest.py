"""A real Chromium, driven by Playwright, against the portal served by pytest-django.

The system's Chromium is used (`apt-get install chromium`); Playwright never downloads one.
Without it every browser test is skipped with one line saying how to enable them.
"""

import datetime
import json
import os
from pathlib import Path

import pytest
from django.conf import settings

from pages.defaults import add_default_pages
from pages.models import Page
from tests.factories import (
    ClusterExcellenceLabelFactory,
    ClusterFactory,
    CompositionFactory,
    ContactFactory,
    CooperationActivityFactory,
    CooperationOfferFactory,
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

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.2 A and AA, plus axe's best practices: they are the rules that check landmarks,
# heading order and that all content sits in a region.
AUDIT_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
ARTEFACTS = settings.BASE_DIR / "tests" / "artefacts"
HOW_TO_ENABLE = (
    f"Chromium not found at {CHROMIUM}: `apt-get install chromium` "
    "(or set CHROMIUM=/path/to/chromium) to run them"
)

BROWSER_TESTS_LEFT_OUT = pytest.StashKey[int]()


def pytest_collection_modifyitems(config, items):
    """Without Chromium, leave the browser tests out and say so once, not once per test."""
    if CHROMIUM.exists():
        return
    here = Path(__file__).parent
    left_out = [item for item in items if here in item.path.parents]
    if left_out:
        items[:] = [item for item in items if item not in left_out]
        config.hook.pytest_deselected(items=left_out)
        config.stash[BROWSER_TESTS_LEFT_OUT] = len(left_out)


def pytest_terminal_summary(terminalreporter, config):
    if count := config.stash.get(BROWSER_TESTS_LEFT_OUT, 0):
        terminalreporter.write_line(f"SKIPPED {count} browser tests: {HOW_TO_ENABLE}")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests: {HOW_TO_ENABLE}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop in this thread for the whole session;
    # Django would then refuse the test database set-up and the factories' queries,
    # although they are plain synchronous calls. Only while the browser runs.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _open_page(browser, live_server, **options):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, **options
    )
    page = context.new_page()
    # What the portal's Content-Security-Policy blocks, as Chromium reports it on the console.
    page.csp_refusals = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text
        and page.csp_refusals.append(message.text),
    )
    return context, page


@pytest.fixture
def page(browser, live_server):
    """A browser tab under the portal's real Content-Security-Policy."""
    context, page = _open_page(browser, live_server)
    yield page
    context.close()


@pytest.fixture
def audited_page(browser, live_server):
    """A browser tab for the accessibility audit: axe is injected as an inline script, which
    the portal's policy rightly blocks, so this tab alone bypasses the policy."""
    context, page = _open_page(browser, live_server, bypass_csp=True)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_source():
    if not AXE.exists():
        pytest.fail(f"axe-core is missing ({AXE}): run `npm ci` (part of `make install`).")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def audit(audited_page, axe_source):
    """audit(): the violations axe finds on the page currently open in `audited_page`."""
    page = audited_page

    def run():
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(content=axe_source)
        return page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
            ".then(result => result.violations.map(v => ({id: v.id, help: v.help,"
            " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))",
            AUDIT_TAGS,
        )

    return run


def describe(violations):
    return json.dumps(violations, indent=2, ensure_ascii=False)


@pytest.fixture
def artefacts():
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    return ARTEFACTS


@pytest.fixture(autouse=True)
def footer_pages(request):
    """The footer's pages, as the data migration made them: a transactional test empties
    every table when it ends, those of data migrations included."""
    if "live_server" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
        add_default_pages(Page)


@pytest.fixture
def reference_cluster():
    """A published profile with every tab filled, and a partner that is on the portal too."""
    partner = ClusterFactory(name="Aachen Mobility Cluster", country="DE", city="Aachen",
                             region="North Rhine-Westphalia")
    cluster = FullClusterFactory(
        name="Smart City Cluster",
        excellence_label=ClusterExcellenceLabelFactory(name="Cluster Management Excellence Gold"),
        sectoral_industries=[SectoralIndustryFactory(name="Automotive")],
        technology_fields=[TechnologyFieldFactory(name="Smart grids")],
        support_services=[SupportServiceFactory(name="Innovation projects")],
    )
    ContactFactory(cluster=cluster, role="Cluster Manager", name="Lucía Martín")
    CompositionFactory(cluster=cluster)
    MajorPlayerFactory(cluster=cluster, name="Endesa")
    TargetCountryFactory(cluster=cluster, country="KR")
    UndertakenActivityFactory(
        cluster=cluster, activity=CooperationActivityFactory(name="Technology transfer")
    )
    PartnerClusterFactory(cluster=cluster, name=partner.name, country="DE", partner=partner)
    FundedProgrammeFactory(
        cluster=cluster, name="URBACT Smart Cities", start_date=datetime.date(2015, 1, 1)
    )
    CooperationOfferFactory(
        cluster=cluster, title="Partners for smart mobility pilots",
        deadline=datetime.date(2030, 6, 30), target_countries=["FR", "PT"],
        sectoral_industries=list(cluster.sectoral_industries.all()),
    )
    return cluster
