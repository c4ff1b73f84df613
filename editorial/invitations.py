"""An editor invites a person to edit a cluster; the e-mail goes out as a background task."""

import logging
import smtplib

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_tasks import task

from .models import ALREADY_ACCEPTED, INVITATION_DAYS, Invitation, InvitationError

logger = logging.getLogger(__name__)


class InviteStaffForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("email address"),
        help_text=gettext_lazy(
            "The invitation goes here. Inviting the same address again sends the e-mail again."
        ),
    )
    first_name = forms.CharField(label=gettext_lazy("first name"), max_length=150,
                                 required=False)
    last_name = forms.CharField(label=gettext_lazy("last name"), max_length=150, required=False)

    def __init__(self, *args, cluster, **kwargs):
        super().__init__(*args, **kwargs)
        self.cluster = cluster

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if self.cluster.staff.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("%(email)s already edits this cluster.") % {"email": email}
            )
        return email

    def invite(self, invited_by):
        """Record the invitation (one open invitation per address and cluster) and queue its
        e-mail. Nothing changes on any account yet.

        The database queue stores the task in this transaction, so a rollback sends nothing.
        """
        invitation, _created = Invitation.objects.update_or_create(
            cluster=self.cluster,
            email=self.cleaned_data["email"],
            accepted__isnull=True,
            defaults={
                "first_name": self.cleaned_data["first_name"],
                "last_name": self.cleaned_data["last_name"],
                "invited_by": invited_by,
                "sent": None,
                "send_error": "",
            },
        )
        send_invitation.enqueue(invitation.pk)
        return invitation


@task()
def send_invitation(invitation_id):
    """Send the invitation's e-mail and record whether it went."""
    invitation = Invitation.objects.select_related("cluster", "invited_by").filter(
        pk=invitation_id, accepted__isnull=True
    ).first()
    if invitation is None:  # withdrawn or accepted meanwhile
        return
    inviter = invitation.invited_by
    context = {
        "cluster": invitation.cluster,
        "inviter": (inviter.get_full_name() or inviter.get_username()) if inviter else "",
        "accept_url": invitation.accept_url(),
        "days": INVITATION_DAYS,
    }
    try:
        send_mail(
            render_to_string("admin/profiles/cluster/invite_subject.txt", context).strip(),
            render_to_string("admin/profiles/cluster/invite_email.txt", context),
            None,
            [invitation.email],
        )
    except (OSError, smtplib.SMTPException) as error:
        logger.exception("Invitation %s could not be sent", invitation.pk)
        invitation.send_error = str(error)[:500] or error.__class__.__name__
        invitation.save(update_fields=["send_error"])
        return
    invitation.sent, invitation.send_error = timezone.now(), ""
    invitation.save(update_fields=["sent", "send_error"])


def _page_context(request, **context):
    # The admin's header and title, as on its own login and password pages.
    return {**admin.site.each_context(request), "title": _("Invitation"), **context}


@require_http_methods(["GET", "HEAD", "POST"])
def accept_invitation(request, token):
    """The invited person's page: GET says what accepting means, POST accepts.

    Accepting takes a button, not the GET itself: mail scanners follow links.
    """
    try:
        invitation = Invitation.from_token(token)
        if request.method == "POST":
            user = invitation.accept()
        elif invitation.accepted:
            raise InvitationError(ALREADY_ACCEPTED)
    except InvitationError as error:
        return render(request, "registration/invitation.html",
                      _page_context(request, error=str(error)), status=410)
    if request.method != "POST":
        return render(request, "registration/invitation.html",
                      _page_context(request, invitation=invitation))
    if user.has_usable_password():
        messages.success(request, _("You can now edit “%(cluster)s”. Log in as %(user)s.")
                         % {"cluster": invitation.cluster, "user": user.get_username()})
        return HttpResponseRedirect(reverse("admin:login") + "?next=" + reverse("admin:index"))
    # Whoever clicked reads the invited mailbox: let them choose the password now.
    return HttpResponseRedirect(reverse(
        "password_reset_confirm",
        args=[urlsafe_base64_encode(force_bytes(user.pk)),
              default_token_generator.make_token(user)],
    ))
