"""Invitations: an editor asks a person to edit one cluster; the person accepts by e-mail."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from profiles.models import Cluster

# A link in a mailbox should not stay good for ever.
INVITATION_DAYS = 14
_SALT = "editorial.invitation"
ALREADY_ACCEPTED = _("This invitation has already been accepted. Log in with your user name "
                     "and password.")


class InvitationError(Exception):
    """An invitation that cannot be accepted, with the reason to show the person."""


class Invitation(models.Model):
    """Nothing changes on any account until the person follows the link in the e-mail.

    The link proves that whoever accepts reads that mailbox, so an editor cannot take over an
    account by inviting its address, and no link is ever shown to the editor.
    """

    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("cluster")
    )
    email = models.EmailField(_("email address"))
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("invited by"),
    )
    created = models.DateTimeField(_("invited at"), auto_now_add=True)
    sent = models.DateTimeField(_("e-mail sent at"), null=True, blank=True)
    send_error = models.CharField(_("why the e-mail could not be sent"), max_length=500,
                                  blank=True)
    accepted = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("accepted by"),
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.email} → {self.cluster}"

    # --- The link -----------------------------------------------------------------------

    def token(self):
        return signing.dumps(self.pk, salt=_SALT)

    def accept_url(self):
        return settings.SITE_URL + reverse("accept_invitation", args=[self.token()])

    @classmethod
    def from_token(cls, token):
        """The invitation a link names, or InvitationError saying why it cannot be used."""
        try:
            pk = signing.loads(token, salt=_SALT, max_age=INVITATION_DAYS * 24 * 60 * 60)
        except signing.SignatureExpired:
            raise InvitationError(_("This invitation has expired. Ask the portal's editors "
                                    "to invite you again.")) from None
        except signing.BadSignature:
            raise InvitationError(_("This invitation link is not valid. Copy the whole link "
                                    "from the e-mail, or ask the editors to invite you again."))\
                from None
        invitation = cls.objects.select_related("cluster").filter(pk=pk).first()
        if invitation is None:
            raise InvitationError(_("This invitation has been withdrawn."))
        return invitation

    # --- Accepting ----------------------------------------------------------------------

    @transaction.atomic
    def accept(self):
        """Give the invited address's account (made now if there is none) the cluster to edit.

        Returns the account. A disabled account stays disabled: the invitation says so.
        """
        if self.accepted:
            raise InvitationError(ALREADY_ACCEPTED)
        User = get_user_model()
        user = User.objects.filter(email__iexact=self.email).order_by("pk").first()
        if user is None:
            user = User(
                username=_free_username(User, self.email),
                email=self.email,
                first_name=self.first_name,
                last_name=self.last_name,
                is_staff=True,
            )
            user.set_unusable_password()
            user.save()
        elif not user.is_active:
            raise InvitationError(_("The account of this address is disabled. Ask the "
                                    "portal's editors."))
        elif not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        self.cluster._history_user = user
        self.cluster.staff.add(user)
        self.accepted, self.accepted_by = timezone.now(), user
        self.save(update_fields=["accepted", "accepted_by"])
        return user


def _free_username(User, email):
    username, n = email[:150], 1
    while User.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{email[:140]}-{n}"
    return username
