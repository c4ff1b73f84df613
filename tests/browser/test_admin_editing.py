"""Issue 13 in a real browser: cluster staff edit their profile in the admin, under its CSP.

The rich-text editor (bold, a bullet), a European date, a phone number with 00, reordering two
contacts with the up/down buttons, the form at a phone's width, and axe on the admin pages.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _open_page, describe
from tests.factories import (
    ClusterFactory,
    ContactFactory,
    PartnerClusterFactory,
    SuperuserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def staff_cluster():
    cluster = ClusterFactory(name="Smart City Cluster", strategy="<p>We grow.</p>")
    ContactFactory(cluster=cluster, role="Cluster Manager", name="Ana Ruiz",
                   phone_numbers="+34600958325", position=0)
    ContactFactory(cluster=cluster, role="Project Manager", name="Luis Gómez",
                   phone_numbers="+34654073244", position=1)
    cluster.staff.add(UserFactory(username="smartcity"))
    return cluster


def log_in(page, username):
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_be_visible()


def open_form(page, cluster):
    page.goto(f"/admin/profiles/cluster/{cluster.pk}/change/")
    expect(page.locator("#cluster_form")).to_be_visible()


def save(page):
    page.locator("input[name=_save]").first.click()
    expect(page.locator(".messagelist .success")).to_be_visible()


def open_section(page, title):
    page.locator("summary", has_text=title).first.click()


def test_staff_bold_a_word_and_add_a_bullet_in_the_editor(page, live_server, staff_cluster):
    log_in(page, "smartcity")
    open_form(page, staff_cluster)
    open_section(page, "Cluster strategy")
    editor = page.locator(".field-strategy").get_by_role("textbox")
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" ")
    page.keyboard.press("Control+b")  # bold on, the word, bold off
    page.keyboard.type("Fast")
    page.keyboard.press("Control+b")
    page.keyboard.press("Enter")
    page.keyboard.type("- Smart lighting")
    save(page)

    page.goto(f"/clusters/{staff_cluster.slug}/strategy/")
    main = page.locator("main")
    expect(main.locator("strong", has_text="Fast")).to_be_visible()
    expect(main.locator("li", has_text="Smart lighting")).to_be_visible()
    assert page.csp_refusals == []


@pytest.fixture
def spanish_page(browser, live_server):
    """A tab of a browser that asks for Spanish, under the admin's real policy."""
    context, page = _open_page(browser, live_server, locale="es-ES")
    yield page
    context.close()


def toolbar_names(page):
    toolbar = page.locator(".field-strategy .prose-menubar")
    expect(toolbar).to_be_visible()
    return [button.get_attribute("aria-label")
            for button in toolbar.locator("button.prose-menubar__button").all()]


def test_the_editors_toolbar_speaks_spanish_in_the_spanish_admin(spanish_page, staff_cluster):
    page = spanish_page
    log_in(page, "smartcity")
    open_form(page, staff_cluster)
    open_section(page, "Estrategia del clúster")
    toolbar = page.locator(".field-strategy .prose-menubar")
    for name in ("Negrita", "Cursiva", "Subrayado", "Lista con viñetas", "Lista numerada",
                 "Cita", "Insertar enlace", "Deshacer", "Rehacer"):
        button = toolbar.get_by_role("button", name=name, exact=True)
        expect(button).to_have_attribute("title", name)
    names = toolbar_names(page)
    assert not {"bold", "italic", "unordered list", "insert link", "paragraph"} & set(names)
    toolbar.locator(".prose-menubar__selected").click()  # the block types' list
    expect(toolbar.locator(".prose-menubar__picker")).to_contain_text("Título 3")

    editor = page.locator(".field-strategy").get_by_role("textbox")
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Rápido")
    page.keyboard.press("Shift+Control+ArrowLeft")  # the word, then its toolbar button
    toolbar.get_by_role("button", name="Negrita").click()
    save(page)

    page.goto(f"/clusters/{staff_cluster.slug}/strategy/")
    expect(page.locator("main strong", has_text="Rápido")).to_be_visible()
    assert page.csp_refusals == []


def test_the_editors_toolbar_stays_english_in_the_english_admin(page, staff_cluster):
    log_in(page, "smartcity")
    open_form(page, staff_cluster)
    open_section(page, "Cluster strategy")
    names = toolbar_names(page)
    assert {"Bold", "Italic", "Bullet list", "Insert link", "Paragraph"} <= set(names)
    assert page.csp_refusals == []


def test_a_date_typed_day_first_shows_as_that_day(page, live_server, staff_cluster):
    log_in(page, "smartcity")
    open_form(page, staff_cluster)
    page.fill("#id_date_established", "01/02/2014")
    save(page)

    page.goto(f"/clusters/{staff_cluster.slug}/")
    expect(page.locator("main")).to_contain_text("1 February 2014")


def test_a_phone_number_with_00_shows_with_its_country_code(page, live_server, staff_cluster):
    log_in(page, "smartcity")
    open_form(page, staff_cluster)
    page.fill("#id_contacts-0-phone_numbers", "0034 600 11 22 33")
    save(page)

    page.goto(f"/clusters/{staff_cluster.slug}/")
    expect(page.locator("main")).to_contain_text("+34 600 11 22 33")


def test_staff_reorder_two_contacts_with_the_buttons(page, live_server, staff_cluster):
    log_in(page, "smartcity")
    open_form(page, staff_cluster)
    page.locator("#contacts-0").get_by_role("button", name="Move this row down").click()
    save(page)

    text = page.goto(f"/clusters/{staff_cluster.slug}/") and page.locator("main").inner_text()
    assert text.index("Luis Gómez") < text.index("Ana Ruiz")


# Every element of the form that reaches past the right edge of its section.
SPILLING = """() => [...document.querySelectorAll('#cluster_form fieldset')].flatMap(section => {
    const edge = section.getBoundingClientRect().right;
    return [...section.querySelectorAll('*')].filter(element => {
        const box = element.getBoundingClientRect();
        return box.width && box.right > edge + 1;
    }).map(element => element.id || element.className);
})"""


def test_the_form_fits_a_phone_without_sideways_scrolling(browser, live_server, staff_cluster):
    PartnerClusterFactory(cluster=staff_cluster, name="Lisbon Partner Cluster", country="PT")
    context = browser.new_context(base_url=live_server.url,
                                  viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in(page, "smartcity")
    open_form(page, staff_cluster)
    for summary in page.locator("#cluster_form summary").all():
        summary.click()  # every section open
    width = page.evaluate("document.documentElement.scrollWidth")
    spilling = page.evaluate(SPILLING)  # a partner's name and country on one line, say
    context.close()
    assert width <= 390
    assert spilling == []


@pytest.mark.parametrize("persona", ["staff", "editor"])
@pytest.mark.parametrize("kind", ["change form", "changelist", "history"])
def test_admin_pages_have_no_accessibility_violations(
    audited_page, audit, live_server, staff_cluster, persona, kind
):
    if persona == "editor":
        SuperuserFactory(username="portal-editor")
    log_in(audited_page, "smartcity" if persona == "staff" else "portal-editor")
    base = f"/admin/profiles/cluster/{staff_cluster.pk}/"
    url = {"change form": base + "change/", "changelist": "/admin/profiles/cluster/",
           "history": base + "history/"}[kind]
    audited_page.goto(url)
    violations = audit()
    assert violations == [], f"{kind} as {persona}:\n{describe(violations)}"
