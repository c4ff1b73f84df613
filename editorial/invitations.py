"""An editor invites a person to edit a cluster: an account if needed, and an email."""

import smtplib

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _


class InviteStaffForm(forms.Form):
    email = forms.EmailField(
        label=_("email address"),
        help_text=_("The invitation goes here; it is also the person's user name."),
    )
    first_name = forms.CharField(label=_("first name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("last name"), max_length=150, required=False)

    def invite(self, cluster, request):
        """Add the person to the cluster's staff and email them.

        Returns (user, set-password link or None, the mail error or None).

        A new person gets an account without a password and a link to choose one; someone
        who already has an account is told where to log in.
        """
        User = get_user_model()
        email = User.objects.normalize_email(self.cleaned_data["email"])
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(
                username=_free_username(User, email),
                email=email,
                first_name=self.cleaned_data["first_name"],
                last_name=self.cleaned_data["last_name"],
                is_staff=True,
            )
            user.set_unusable_password()
            user.save()
        elif not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        cluster._history_user = request.user
        cluster.staff.add(user)

        set_password_url = None
        if not user.has_usable_password():
            set_password_url = request.build_absolute_uri(
                reverse(
                    "password_reset_confirm",
                    args=[
                        urlsafe_base64_encode(force_bytes(user.pk)),
                        default_token_generator.make_token(user),
                    ],
                )
            )
        context = {
            "cluster": cluster,
            "user": user,
            "invited_by": request.user,
            "set_password_url": set_password_url,
            "admin_url": request.build_absolute_uri(reverse("admin:index")),
        }
        try:
            send_mail(
                render_to_string("admin/profiles/cluster/invite_subject.txt", context).strip(),
                render_to_string("admin/profiles/cluster/invite_email.txt", context),
                None,
                [email],
            )
        except (OSError, smtplib.SMTPException) as error:
            return user, set_password_url, error
        return user, set_password_url, None


def _free_username(User, email):
    username, n = email[:150], 1
    while User.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{email[:140]}-{n}"
    return username
