"""The public side of "Register your cluster" and "Claim this profile".

A form, checked and then sent; a request stored unconfirmed and a link e-mailed (a background
task); the link's page where the person chooses a password. Editors decide in the admin
(editorial/admin_requests.py). Robots are kept out without any third-party service: a field
people do not see (filled: nothing is stored, the robot is told it worked), a signed time the
form was shown (sent back sooner than REGISTRATION_MIN_FILL_SECONDS: refused), and at most
REGISTRATION_REQUESTS_PER_HOUR requests from one address an hour (counted in the cache, by the
client address the login lock-out reads).

None of these pages is in the visitors' page cache: they carry a CSRF token or a person's link.
"""

import logging
import smtplib
import time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.core import signing
from django.core.cache import cache
from django.core.mail import send_mail
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django_tasks import task

from cluster_portal.client_address import client_address
from editorial.duplicates import similar_clusters
from editorial.models import Claim, Registration, RequestError
from profiles.models import Cluster

logger = logging.getLogger(__name__)

# The privacy notice's version, recorded with each consent: change it whenever the text of
# editorial/templates/registration/privacy_notice.html changes.
PRIVACY_NOTICE_VERSION = "2026-12-03.2"
_FORM_SALT = "editorial.registration.form"
RATE_KEY = "registration-requests:{address}"


# --- Keeping robots out ------------------------------------------------------------------


class NotARobotForm(forms.Form):
    """A field hidden from people, and the signed time the form was shown."""

    # Named like a field robots love to fill; hidden by CSS and from assistive technology.
    nickname = forms.CharField(
        label=gettext_lazy("Leave this field empty"), required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    shown_at = forms.CharField(widget=forms.HiddenInput, required=False)

    # The setting that says how fast a person can fill the form in (each app's form its own).
    min_fill_setting = "REGISTRATION_MIN_FILL_SECONDS"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shown_at"].initial = signing.dumps(int(time.time()), salt=_FORM_SALT)

    @property
    def is_robot(self):
        return bool(self.data.get("nickname"))

    def clean_shown_at(self):
        try:
            shown = signing.loads(self.cleaned_data["shown_at"], salt=_FORM_SALT,
                                  max_age=24 * 60 * 60)
        except signing.BadSignature:
            # Open for a day, or tampered with: a fresh time, so that sending again works.
            self.data = self.data.copy()
            self.data["shown_at"] = self.fields["shown_at"].initial
            raise forms.ValidationError(
                _("This form was open for too long. Check it and send it again.")
            ) from None
        if time.time() - shown < getattr(settings, self.min_fill_setting):
            raise forms.ValidationError(
                _("The form came back faster than a person can fill it in. Check it and "
                  "send it again.")
            )
        return shown

    def describe_errors(self):
        """Each field with an error names it (aria-describedby), as well as its help text."""
        for name in self.errors:
            if name in self.fields:
                widget = self[name].field.widget
                ids = [f"{self[name].auto_id}_error"]
                if self[name].help_text:
                    ids.append(f"{self[name].auto_id}_helptext")
                widget.attrs["aria-describedby"] = " ".join(ids)


def too_many_requests(request):
    """Count one more request from this address; True past the hourly limit."""
    key = RATE_KEY.format(address=client_address(request))
    return over_hourly_limit(key, settings.REGISTRATION_REQUESTS_PER_HOUR)


def over_hourly_limit(key, limit):
    """Count one more under `key` (a cache key) for an hour; True once past `limit`."""
    cache.add(key, 0, timeout=60 * 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=60 * 60)
        count = 1
    return count > limit


class ConsentMixin(forms.Form):
    consent = forms.BooleanField(
        label=gettext_lazy("I agree that the portal keeps what I enter here, as the privacy "
                           "notice explains."),
        error_messages={"required": gettext_lazy("Agree to the privacy notice to send the "
                                                 "request.")},
    )

    confirmation = ""  # the e-mail send_confirmation writes: "registration" or "claim"

    def save(self, request):
        """Store the request as the person sent it (their consent to this version of the
        notice, the form's language, the address in lower case) and send its link."""
        person_request = self.instance
        person_request.consent_version = PRIVACY_NOTICE_VERSION
        person_request.consented_at = timezone.now()
        person_request.language = translation.get_language()
        person_request.email = person_request.email.strip().lower()
        person_request.save()
        send_confirmation.enqueue(self.confirmation, person_request.pk)
        return person_request


# --- The forms ---------------------------------------------------------------------------


PERSON_FIELDS = ["person_name", "role", "email"]
# The public forms speak to the person; the admin names the fields for the editors.
PERSON_LABELS = {
    "person_name": gettext_lazy("your name"),
    "role": gettext_lazy("your role in the cluster organisation"),
    "email": gettext_lazy("your e-mail address"),
}
PERSON_HELP = {
    "email": gettext_lazy("We send a link to this address: the request goes ahead once you "
                          "follow it."),
}
CLUSTER_FIELDS = ["country", "name", "city", "website", "official_programme"]
MEMBER_FIELDS = ["total_members", "sme_members", "large_company_members", "research_members",
                 "other_members", "management_fte"]


class RegistrationForm(NotARobotForm, ConsentMixin, forms.ModelForm):
    confirmation = "registration"

    class Meta:
        model = Registration
        fields = [*CLUSTER_FIELDS, *MEMBER_FIELDS, *PERSON_FIELDS]
        widgets = {"management_fte": forms.NumberInput(attrs={"step": "0.1", "min": "0"})}
        labels, help_texts = PERSON_LABELS, PERSON_HELP

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ["sme_members", "large_company_members", "research_members",
                     "other_members"]:
            self.fields[name].required = False
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["person_name"].widget.attrs["autocomplete"] = "name"
        self.fields["website"].widget.attrs["autocomplete"] = "url"

    def clean(self):
        data = super().clean()
        for name in ["sme_members", "large_company_members", "research_members",
                     "other_members"]:
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
                setattr(self.instance, name, 0)
        total = data.get("total_members")
        parts = sum(data.get(name) or 0 for name in ["sme_members", "large_company_members",
                                                     "research_members", "other_members"])
        if total is not None and parts > total:
            self.add_error("total_members", _(
                "The members by kind add up to %(parts)s, more than the total of %(total)s."
            ) % {"parts": parts, "total": total})
        return data

    # Set once the figures were valid enough to check the criteria: the page marks each one.
    criteria_checked = False

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        self.criteria_checked = True
        misses = self.instance.misses()
        if misses and not self.instance.official_programme.strip():
            self.add_error(None, forms.ValidationError(
                _("The cluster does not meet these criteria: %(misses)s. If it belongs to an "
                  "official cluster programme, name the programme: the criteria are then "
                  "waived and an editor decides.")
                % {"misses": "; ".join(f"{criterion} ({why})" for criterion, why in misses)},
                code="criteria",
            ))



class ClaimForm(NotARobotForm, ConsentMixin, forms.ModelForm):
    confirmation = "claim"

    class Meta:
        model = Claim
        fields = [*PERSON_FIELDS, "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}
        labels, help_texts = PERSON_LABELS, PERSON_HELP

    def __init__(self, *args, cluster, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cluster = cluster
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["person_name"].widget.attrs["autocomplete"] = "name"



def style_inputs(form):
    """Bootstrap's classes on the inputs (the templates render each field themselves)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")
    return form


# --- The e-mails (background tasks) -----------------------------------------------------

KINDS = {"registration": Registration, "claim": Claim}
CONFIRM_URLS = {"registration": "editorial:register-confirm", "claim": "editorial:claim-confirm"}


def _send(person_request, template, context):
    with translation.override(person_request.language):
        context = {"request": person_request, "site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"registration/emails/{template}_subject.txt", context)
        body = render_to_string(f"registration/emails/{template}.txt", context)
    try:
        send_mail(subject.strip(), body, None, [person_request.email])
    except (OSError, smtplib.SMTPException):
        # The person can send the form again; the editors have nothing to act on yet.
        logger.exception("E-mail %s for %s %s could not be sent", template,
                         person_request._meta.model_name, person_request.pk)


@task()
def send_confirmation(kind, request_id):
    """The link that confirms the address; without it, the request never reaches the editors."""
    person_request = KINDS[kind].objects.filter(
        pk=request_id, state=Registration.State.UNCONFIRMED
    ).first()
    if person_request is None:
        return
    with translation.override(person_request.language):
        url = settings.SITE_URL + reverse(CONFIRM_URLS[kind], args=[person_request.token()])
    _send(person_request, f"{kind}_confirm",
          {"confirm_url": url, "days": settings.REGISTRATION_CONFIRM_DAYS})


@task()
def tell_staff_of_claim(claim_id):
    """The claimed cluster's staff may decide too: tell them someone asks to join them."""
    claim = Claim.objects.select_related("cluster").filter(
        pk=claim_id, state=Claim.State.WAITING
    ).first()
    if claim is None:
        return
    staff = list(claim.cluster.staff.filter(is_active=True).exclude(email="")
                 .values_list("email", flat=True))
    if not staff:
        return  # the editors decide alone; they see it in the queue
    context = {
        "request": claim,
        "review_url": settings.SITE_URL + reverse("admin:editorial_claim_change",
                                                  args=[claim.pk]),
    }
    # The staff's language is unknown: the portal's own.
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("registration/emails/claim_to_staff_subject.txt", context)
        body = render_to_string("registration/emails/claim_to_staff.txt", context)
    try:
        send_mail(subject.strip(), body, None, staff)
    except (OSError, smtplib.SMTPException):
        logger.exception("Claim %s could not be sent to the cluster's staff", claim.pk)


@task()
def send_decision(kind, request_id):
    """Tell the person what the editors decided."""
    person_request = KINDS[kind].objects.select_related("cluster").filter(pk=request_id).first()
    if person_request is None:
        return
    context = {
        "approved": person_request.state == Registration.State.APPROVED,
        "admin_url": settings.SITE_URL + reverse("admin:index"),
        "profile_url": (
            settings.SITE_URL + person_request.cluster.get_absolute_url()
            if person_request.cluster and person_request.cluster.is_public else ""
        ),
    }
    _send(person_request, f"{kind}_decision", context)


# --- The pages ---------------------------------------------------------------------------


def _sent(request, person_request):
    return render(request, "registration/request_sent.html",
                  {"email": person_request.email if person_request else "",
                   "days": settings.REGISTRATION_CONFIRM_DAYS})


def _refused(request):
    return render(request, "registration/too_many_requests.html", status=429)


def _send_or_check(request, form, context, template):
    """A checked form with the "send" button stores the request; else the page again."""
    if request.method == "POST" and form.is_valid() and "send" in request.POST:
        if too_many_requests(request):
            return _refused(request)
        if form.is_robot:
            return _sent(request, None)
        return _sent(request, form.save(request))
    form.describe_errors()
    return render(request, template, {"form": style_inputs(form), **context},
                  status=400 if request.method == "POST" and form.errors else 200)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def register(request):
    """The criteria, the form; once checked, the criteria met and profiles like it."""
    form = RegistrationForm(request.POST or None)
    context = {"checked": False, "criteria": Registration(management_fte=None).criteria()}
    if request.method == "POST" and (form.is_valid() or form.criteria_checked):
        context.update(criteria_checked=True, criteria=form.instance.criteria())
    if request.method == "POST" and form.is_valid():
        registration = form.instance
        context.update(
            checked=True,
            criteria=registration.criteria(),
            waived=not registration.meets_criteria,
            similar=similar_clusters(Cluster.objects.published(), registration.name,
                                     registration.country),
        )
    return _send_or_check(request, form, context, "registration/register.html")


@require_safe
def privacy_notice(request):
    return render(request, "registration/privacy.html", {
        "version": PRIVACY_NOTICE_VERSION,
        "message_days": settings.PERSONAL_DATA_RETENTION_DAYS["messages"],
    })


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def claim(request, slug):
    cluster = Cluster.objects.published().filter(slug=slug).first()
    if cluster is None:
        raise Http404
    form = ClaimForm(request.POST or None, cluster=cluster)
    return _send_or_check(request, form, {"cluster": cluster}, "registration/claim.html")


class ChooseNothingForm(forms.Form):
    """The person already has a password: confirming takes the button alone."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def save(self, commit=False):
        return self.user


def _confirm(request, model, token, staff):
    """GET: what confirming does and the password to choose; POST: confirm.

    Confirming takes a button, not the GET itself: mail scanners follow links.
    """
    try:
        person_request = model.from_token(token)
        user = person_request.account_for_confirmation(staff=staff)
    except RequestError as error:
        return render(request, "registration/confirm.html", {"error": str(error)}, status=410)
    form_class = ChooseNothingForm if user.has_usable_password() else SetPasswordForm
    form = form_class(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            person_request.confirm(form.save(commit=False))
        except RequestError as error:
            return render(request, "registration/confirm.html", {"error": str(error)},
                          status=410)
        if model is Claim:
            tell_staff_of_claim.enqueue(person_request.pk)
        messages.success(request, _("Thank you: your e-mail address is confirmed."))
        return HttpResponseRedirect(
            reverse("editorial:request-confirmed", args=[model._meta.model_name])
        )
    return render(request, "registration/confirm.html", {
        "person_request": person_request, "user_name": user.get_username(),
        "form": style_inputs(form), "new_account": user.pk is None,
        "kind": model._meta.model_name,
    }, status=400 if form.errors else 200)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_registration(request, token):
    return _confirm(request, Registration, token, staff=True)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_claim(request, token):
    return _confirm(request, Claim, token, staff=False)


@never_cache
@require_safe
def request_confirmed(request, kind):
    if kind not in KINDS:
        raise Http404
    return render(request, "registration/confirmed.html", {"kind": kind})
