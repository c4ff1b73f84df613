"""The public side of "Express interest" (on an offer) and "Contact this cluster" (on a profile).

A form page per offer and per cluster; the message is stored, then e-mailed by a background
task to the cluster's staff (reply-to the sender), with a copy to the sender. No contact address
is ever shown: the sender writes to the portal, which passes the message on. Robots are kept out
as on the registration form (editorial/registration.py: a hidden field, a minimum fill time),
and by two hourly limits counted in the cache: INTEREST_MESSAGES_PER_HOUR from one address, and
INTEREST_MESSAGES_PER_CLUSTER_PER_HOUR to one cluster from all addresses together. A message
refused by any of them is neither stored nor sent. Staff read the messages in the admin
(admin_inbox.py).

None of these pages is in the visitors' page cache: they carry a CSRF token.
"""

import logging
import smtplib

from django import forms
from django.conf import settings
from django.core.mail import EmailMessage
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_tasks import task

from cluster_portal.client_address import client_address
from editorial.registration import (
    PRIVACY_NOTICE_VERSION,
    NotARobotForm,
    over_hourly_limit,
    style_inputs,
)
from profiles.models import Cluster

from .interest_messages import InterestMessage
from .offers import CooperationOffer

logger = logging.getLogger(__name__)

FROM_ADDRESS_KEY = "interest-messages:{address}"
TO_CLUSTER_KEY = "interest-messages-to:{cluster}"


class InterestForm(NotARobotForm, forms.ModelForm):
    min_fill_setting = "INTEREST_MIN_FILL_SECONDS"

    consent = forms.BooleanField(
        error_messages={"required": _("Agree to pass your details on to send the message.")},
    )

    class Meta:
        model = InterestMessage
        fields = ["sender_name", "organisation", "country", "email", "message", "consent"]
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}
        # The form speaks to the sender; the admin names the fields for the staff.
        labels = {
            "sender_name": _("your name"),
            "organisation": _("your organisation"),
            "country": _("your organisation's country"),
            "email": _("your e-mail address"),
            "message": _("your message"),
        }
        help_texts = {
            "email": _("The cluster answers you at this address; you get a copy of your "
                       "message there."),
            "message": _("Who you are, what you look for, and how you would like to work "
                         "together. Plain text, at most 3,000 characters."),
        }

    def __init__(self, *args, cluster, offer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cluster, self.instance.offer = cluster, offer
        self.fields["consent"].label = _(
            "I agree that my name, organisation, country, e-mail address and message are "
            "passed on to the staff of %(cluster)s, so that they can answer me."
        ) % {"cluster": cluster.name}
        self.fields["country"].choices = [("", _("Choose a country")),
                                          *self.fields["country"].choices[1:]]
        for name, autocomplete in [("sender_name", "name"), ("organisation", "organization"),
                                   ("country", "country"), ("email", "email")]:
            self.fields[name].widget.attrs["autocomplete"] = autocomplete

    def _one_line(self, name):
        # A name goes into the staff's e-mail subject: line breaks there would be a header
        # injection, which the mail library refuses with an error.
        return " ".join(self.cleaned_data[name].split())

    def clean_sender_name(self):
        return self._one_line("sender_name")

    def clean_organisation(self):
        return self._one_line("organisation")

    def save(self, request):
        """Store the message as sent (the notice agreed to, the page's language, the address in
        lower case) and queue its delivery."""
        message = self.instance
        message.consent_version = PRIVACY_NOTICE_VERSION
        message.language = translation.get_language()
        message.email = message.email.strip().lower()
        message.save()
        deliver_interest_message.enqueue(message.pk)
        return message


# --- The e-mails (a background task) -------------------------------------------------------


def _render_email(template, context):
    subject = render_to_string(f"cooperation/interest/emails/{template}_subject.txt", context)
    body = render_to_string(f"cooperation/interest/emails/{template}.txt", context)
    return subject.strip(), body


def _mail(email):
    try:
        email.send()
    except (OSError, smtplib.SMTPException):
        logger.exception("A message from a visitor could not be e-mailed (%s)", email.subject)


@task()
def deliver_interest_message(message_id):
    """The message to the cluster's staff (reply-to the sender), and the sender's copy."""
    message = InterestMessage.objects.select_related("cluster", "offer").filter(
        pk=message_id
    ).first()
    if message is None:
        return
    cluster = message.cluster
    context = {"message": message, "cluster": cluster, "offer": message.offer,
               "site_url": settings.SITE_URL,
               "retention_days": settings.PERSONAL_DATA_RETENTION_DAYS["messages"]}
    staff = list(cluster.staff.filter(is_active=True).exclude(email="")
                 .values_list("email", flat=True))
    if staff:
        # The staff's language is unknown: the portal's own.
        with translation.override(settings.LANGUAGE_CODE):
            inbox_url = settings.SITE_URL + reverse(
                "admin:cooperation_interestmessage_change", args=[message.pk]
            )
            subject, body = _render_email("to_staff", {**context, "inbox_url": inbox_url})
        _mail(EmailMessage(subject, body, None, staff, reply_to=[message.email]))
    else:
        logger.warning("Cluster %s has no staff to e-mail message %s to; it waits in the "
                       "admin", cluster.pk, message.pk)
    with translation.override(message.language):
        profile_url = settings.SITE_URL + cluster.get_absolute_url() if cluster.is_public else ""
        subject, body = _render_email("copy", {**context, "profile_url": profile_url})
    _mail(EmailMessage(subject, body, None, [message.email]))


# --- The pages ----------------------------------------------------------------------------


def _too_many(request, cluster):
    """Count this message from its address and to its cluster; True past either limit.

    The cluster's count only grows with messages its sender was allowed: one address cannot
    use up a cluster's hour by itself."""
    if over_hourly_limit(FROM_ADDRESS_KEY.format(address=client_address(request)),
                         settings.INTEREST_MESSAGES_PER_HOUR):
        return True
    return over_hourly_limit(TO_CLUSTER_KEY.format(cluster=cluster.pk),
                             settings.INTEREST_MESSAGES_PER_CLUSTER_PER_HOUR)


def _write(request, cluster, offer=None):
    form = InterestForm(request.POST or None, cluster=cluster, offer=offer)
    context = {"cluster": cluster, "offer": offer}
    if request.method == "POST" and form.is_valid():
        if _too_many(request, cluster):
            return render(request, "cooperation/interest/too_many.html", context, status=429)
        if not form.is_robot:
            form.save(request)
        # A robot sees the same page, and nothing was stored or sent.
        return render(request, "cooperation/interest/sent.html", context)
    form.describe_errors()
    return render(request, "cooperation/interest/form.html",
                  {**context, "form": style_inputs(form)}, status=400 if form.errors else 200)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def offer_interest(request, slug):
    """Express interest in an offer: open offers of published clusters only."""
    offer = CooperationOffer.objects.public().select_related("cluster").filter(slug=slug).first()
    if offer is None:
        raise Http404
    if not offer.is_open:
        return render(request, "cooperation/interest/closed.html",
                      {"cluster": offer.cluster, "offer": offer}, status=410)
    return _write(request, offer.cluster, offer)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def contact_cluster(request, slug):
    """Write to a published cluster from its profile."""
    cluster = Cluster.objects.published().filter(slug=slug).first()
    if cluster is None:
        raise Http404
    return _write(request, cluster)
