"""Register your cluster in a real browser, in both languages, without JavaScript: every step
(the form, its errors, the check, the mailbox page, the link's page, the confirmation), and
the claim form, with axe finding nothing on any of them."""

import re

import pytest
from django.core import mail

from editorial.models import Registration
from profiles.models import Cluster
from tests.browser.conftest import describe

pytestmark = pytest.mark.django_db(transaction=True)

LABELS = {
    "en": {
        "country": "Country", "name": "Name of the cluster organisation", "city": "City",
        "website": "Website", "total": "Members in total",
        "sme": "Small and medium-sized companies",
        "research": "Universities, research organisations and technology centres",
        "fte": "Management staff in full-time equivalents", "person": "Your name",
        "role": "Your role in the cluster organisation", "email": "Your e-mail address",
        "consent": "I agree", "check": "Check the request", "send": "Send the request",
        "claim": "Claim Smart City Cluster", "password": "New password",
        "password2": "New password confirmation", "confirm": "Confirm",
        "mailbox": "Check your mailbox", "confirmed": "Your e-mail address is confirmed",
        "errors": "Please correct the following",
    },
    "es": {
        "country": "País", "name": "Nombre de la organización de clúster", "city": "Ciudad",
        "website": "Sitio web", "total": "Miembros en total",
        "sme": "Pequeñas y medianas empresas",
        "research": "Universidades, organismos de investigación y centros tecnológicos",
        "fte": "Personal de gestión en equivalentes a jornada completa",
        "person": "Su nombre", "role": "Su cargo en la organización de clúster",
        "email": "Su dirección de correo electrónico", "consent": "Acepto",
        "check": "Comprobar la solicitud", "send": "Enviar la solicitud",
        "claim": "Reclamar Smart City Cluster", "password": "Contraseña nueva",
        "password2": "Contraseña nueva (confirmación)", "confirm": "Confirmar",
        "mailbox": "Revise su correo", "confirmed": "Su dirección de correo está confirmada",
        "errors": "Corrija lo siguiente",
    },
}


@pytest.fixture(autouse=True)
def quick_forms(settings):
    settings.REGISTRATION_MIN_FILL_SECONDS = 0


def assert_accessible(audit, step):
    violations = audit()
    assert violations == [], f"{step}:\n{describe(violations)}"


@pytest.mark.parametrize("language", ["en", "es"])
def test_registering_step_by_step_in_the_browser(
    audited_page, audit, reference_cluster, language, artefacts
):
    page, words = audited_page, LABELS[language]
    prefix = "" if language == "en" else "/es"
    assert page.goto(prefix + "/register/").status == 200
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(audit, "the empty form")

    page.get_by_role("button", name=words["check"]).click()
    assert page.get_by_role("heading", name=words["errors"]).is_visible()
    assert page.get_by_label(words["name"], exact=False).first.get_attribute(
        "aria-invalid") == "true"
    assert_accessible(audit, "the form with its errors")

    page.get_by_label(words["country"]).select_option("ES")
    page.get_by_label(words["name"], exact=False).first.fill("Smart City Clusters of Seville")
    page.get_by_label(words["city"]).fill("Sevilla")
    page.get_by_label(words["website"], exact=False).fill("https://smart.example.org")
    page.get_by_label(words["total"]).fill("30")
    page.get_by_label(words["sme"], exact=False).fill("20")
    page.get_by_label(words["research"], exact=False).fill("5")
    page.get_by_label(words["fte"]).fill("1.5")
    page.get_by_label(words["person"]).fill("Ana Torres")
    page.get_by_label(words["role"]).fill("Manager")
    page.get_by_label(words["email"]).fill("ana@smart.example.org")
    page.get_by_label(words["consent"], exact=False).check()
    page.get_by_role("button", name=words["check"]).click()
    # A similar name in the same country: offered to claim instead.
    assert page.get_by_role("link", name=words["claim"]).is_visible()
    page.screenshot(path=artefacts / f"register-checked-{language}.png", full_page=True)
    assert_accessible(audit, "the checked form")

    page.get_by_role("button", name=words["send"]).click()
    assert page.get_by_role("heading", name=words["mailbox"]).is_visible()
    assert_accessible(audit, "the mailbox page")

    [message] = mail.outbox
    link = re.search(r"https?://[^/\s]+(/\S+/)", message.body).group(1)
    assert link.startswith(f"{prefix}/register/confirm/")
    page.goto(link)
    assert_accessible(audit, "the link's page")
    page.get_by_label(words["password"], exact=True).fill("a long chosen passphrase")
    page.get_by_label(words["password2"]).fill("a long chosen passphrase")
    page.get_by_role("button", name=words["confirm"]).click()
    assert page.get_by_role("heading", name=words["confirmed"]).is_visible()
    assert_accessible(audit, "the confirmation")

    registration = Registration.objects.get()
    assert registration.state == Registration.State.WAITING
    assert registration.cluster.status == Cluster.Status.IN_REVIEW


@pytest.mark.parametrize("language", ["en", "es"])
def test_claim_form_and_privacy_notice_are_accessible(
    audited_page, audit, reference_cluster, language
):
    prefix = "" if language == "en" else "/es"
    for path in [f"/register/claim/{reference_cluster.slug}/", "/register/privacy/"]:
        assert audited_page.goto(prefix + path).status == 200
        assert_accessible(audit, path)


def test_the_form_works_under_the_portals_content_security_policy(page, reference_cluster):
    page.goto("/register/")
    page.get_by_role("button", name="Check the request").click()
    assert page.get_by_role("heading", name="Please correct the following").is_visible()
    assert page.csp_refusals == []
