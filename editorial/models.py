"""Invitations (an editor asks a person to edit one cluster), registrations of new clusters and
claims of existing profiles (a person asks from the public site); all confirmed by e-mail."""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from profiles.fields import WebAddressField
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


# --- Registration requests and claims (issue 18) ----------------------------------------
#
# A person asks, from the public site, for a new profile ("Register your cluster") or to become
# staff of an existing one ("Claim this profile"). Nothing of a request is public: an
# unconfirmed one is deleted after REGISTRATION_CONFIRM_DAYS (`delete_unconfirmed_requests`);
# a confirmed one waits for an editor in the admin.


ALREADY_CONFIRMED = _("This address has already been confirmed. Log in with your user name and "
                      "password.")


class RequestError(Exception):
    """A confirmation link that cannot be used, with the reason to show the person."""


class PersonRequest(models.Model):
    """What registrations and claims share: the person, their consent, the confirmation link
    and the editors' decision."""

    class State(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("E-mail address not yet confirmed")
        WAITING = "waiting", _("Waiting for an editor")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    person_name = models.CharField(_("name of the person"), max_length=150)
    role = models.CharField(_("role in the cluster organisation"), max_length=150)
    email = models.EmailField(_("e-mail address"))
    consent_version = models.CharField(
        _("version of the privacy notice agreed to"), max_length=20, editable=False
    )
    consented_at = models.DateTimeField(_("agreed to the privacy notice at"), editable=False)
    created = models.DateTimeField(_("sent at"), default=timezone.now, editable=False)
    # The e-mails to the person are written in the language of the form they sent.
    language = models.CharField(max_length=10, default="en", editable=False)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.UNCONFIRMED,
        db_index=True,
    )
    confirmed = models.DateTimeField(_("e-mail address confirmed at"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("account"),
    )
    # An account made by the confirmation is disabled again if the request is rejected; an
    # account the person already had is left as it was.
    made_account = models.BooleanField(default=False, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("decided by"),
    )
    decision_note = models.TextField(
        _("note to the person"), blank=True,
        help_text=_("Sent in the e-mail that tells the person the decision. Required to "
                    "reject: say why."),
    )

    salt = None  # per model: a link to a claim never confirms a registration

    class Meta:
        abstract = True
        ordering = ["-created"]

    # --- The confirmation link ---------------------------------------------------------

    def token(self):
        return signing.dumps(self.pk, salt=self.salt)

    @classmethod
    def from_token(cls, token):
        """The unconfirmed request a link names, or RequestError saying why it cannot be."""
        try:
            pk = signing.loads(token, salt=cls.salt, max_age=confirm_seconds())
        except signing.SignatureExpired:
            raise RequestError(_("This link has expired. Send the form again.")) from None
        except signing.BadSignature:
            raise RequestError(_("This link is not valid. Copy the whole link from the "
                                 "e-mail.")) from None
        found = cls.objects.filter(pk=pk).first()
        if found is None:
            raise RequestError(_("This request no longer exists. Send the form again."))
        if found.state != cls.State.UNCONFIRMED:
            raise RequestError(ALREADY_CONFIRMED)
        return found

    def account_for_confirmation(self, staff):
        """The account of the confirmed address: its existing one, or an unsaved new one.

        `staff`: whether a new account may log into the admin at once.
        """
        User = get_user_model()
        user = User.objects.filter(email__iexact=self.email).order_by("pk").first()
        if user is not None:
            if not user.is_active:
                raise RequestError(_("The account of this address is disabled. Ask the "
                                     "portal's editors."))
            return user
        first, _space, last = self.person_name.partition(" ")
        user = User(username=_free_username(User, self.email), email=self.email,
                    first_name=first[:150], last_name=last[:150], is_staff=staff)
        user.set_unusable_password()  # the person chooses it on the link's page
        return user

    def _confirmed_by(self, user):
        # The same link pressed twice at once: the second waits for the first, then stops.
        if not type(self).objects.select_for_update().filter(
            pk=self.pk, state=self.State.UNCONFIRMED
        ).exists():
            raise RequestError(ALREADY_CONFIRMED)
        if user.pk is None:
            self.made_account = True
        user.save()  # new, or with the password just chosen
        self.user, self.confirmed, self.state = user, timezone.now(), self.State.WAITING

    def _decided(self, state, editor, note):
        self.state, self.decided_at, self.decided_by = state, timezone.now(), editor
        self.decision_note = note
        self.save()

    def _disable_made_account(self):
        """A rejected person keeps no way into the admin through this request."""
        user = self.user
        if user and self.made_account and not user.staffed_clusters.exists():
            user.is_active = False
            user.save(update_fields=["is_active"])

    @property
    def is_waiting(self):
        return self.state == self.State.WAITING


def confirm_seconds():
    return settings.REGISTRATION_CONFIRM_DAYS * 24 * 60 * 60


def unconfirmed_and_expired(model):
    cutoff = timezone.now() - timezone.timedelta(days=settings.REGISTRATION_CONFIRM_DAYS)
    return model.objects.filter(state=PersonRequest.State.UNCONFIRMED, created__lt=cutoff)


class Registration(PersonRequest):
    """A request for a new profile: the cluster as the person describes it, checked against
    the ECCP's criteria (`criteria()`), and the draft profile made once the e-mail address is
    confirmed."""

    # The European Cluster Collaboration Platform's criteria for registering a cluster.
    MIN_MANAGEMENT_FTE = Decimal("0.5")
    MIN_MEMBERS = 15
    MIN_KINDS = 2

    name = models.CharField(_("name of the cluster organisation"), max_length=200)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=200)
    website = WebAddressField(_("website"), blank=True,
                              help_text=_("Its address, starting with https://"))
    total_members = models.PositiveIntegerField(_("members in total"))
    sme_members = models.PositiveIntegerField(_("small and medium-sized companies"), default=0)
    large_company_members = models.PositiveIntegerField(_("larger companies"), default=0)
    research_members = models.PositiveIntegerField(
        _("universities, research organisations and technology centres"), default=0
    )
    other_members = models.PositiveIntegerField(
        _("public bodies and other organisations"), default=0
    )
    management_fte = models.DecimalField(
        _("management staff in full-time equivalents"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_("People paid to run the cluster organisation, counted in full-time "
                    "equivalents: one full-time and one half-time person make 1.5."),
    )
    official_programme = models.CharField(
        _("official cluster programme"), max_length=300, blank=True,
        help_text=_("If the cluster belongs to a national or regional cluster programme, "
                    "its name, e.g. “Agrupaciones Empresariales Innovadoras (AEI)”."),
    )
    cluster = models.OneToOneField(
        Cluster, on_delete=models.SET_NULL, null=True, blank=True, related_name="registration",
        verbose_name=_("draft profile"),
    )

    salt = "editorial.registration"

    class Meta(PersonRequest.Meta):
        verbose_name = _("registration request")
        verbose_name_plural = _("registration requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(total_members__gte=models.F("sme_members")
                            + models.F("large_company_members") + models.F("research_members")
                            + models.F("other_members")),
                name="registration_parts_within_total",
                violation_error_message=_(
                    "The members by kind add up to more than the total number of members."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    # --- The criteria ------------------------------------------------------------------

    @property
    def kinds_of_members(self):
        """Companies, research, public and other bodies: the triple helix."""
        companies = (self.sme_members or 0) + (self.large_company_members or 0)
        return sum(1 for count in (companies, self.research_members, self.other_members)
                   if count)

    def criteria(self):
        """[(criterion, met, what to do when missed)] in the order the form explains them."""
        return [
            (
                _("At least 0.5 full-time equivalents of staff dedicated to managing the "
                  "cluster"),
                self.management_fte is not None
                and self.management_fte >= self.MIN_MANAGEMENT_FTE,
                _("The management team counts %(fte)s full-time equivalents.")
                % {"fte": localize(self.management_fte)},
            ),
            (
                _("A website in English showing the cluster's real activity"),
                bool(self.website),
                _("No website was given."),
            ),
            (
                _("At least 15 committed members"),
                (self.total_members or 0) >= self.MIN_MEMBERS,
                _("The cluster counts %(total)s members.") % {"total": self.total_members},
            ),
            (
                _("Members of at least two kinds: companies, research organisations, public "
                  "bodies and others"),
                self.kinds_of_members >= self.MIN_KINDS,
                _("All members are of one kind."),
            ),
        ]

    def misses(self):
        return [(criterion, why) for criterion, met, why in self.criteria() if not met]

    @property
    def meets_criteria(self):
        return not self.misses()

    # --- Confirmation, decision ---------------------------------------------------------

    @transaction.atomic
    def confirm(self, user):
        """The person followed the link: their account (new accounts log into the admin at
        once), and a draft profile of what they entered, already submitted for review."""
        from members.models import Composition

        self._confirmed_by(user)
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        cluster = Cluster(
            name=self.name, slug=_free_slug(self.name), country=self.country, city=self.city,
            website=self.website, status=Cluster.Status.IN_REVIEW,
        )
        cluster._history_user = user
        cluster._change_reason = "Registered on the public site"
        cluster.save()
        Composition.objects.create(
            cluster=cluster, total_members=self.total_members, sme_members=self.sme_members,
            large_company_members=self.large_company_members,
            research_members=self.research_members, other_members=self.other_members,
        )
        cluster.staff.add(user)
        self.cluster = cluster
        self.save()
        return cluster

    @transaction.atomic
    def approve(self, editor, publish, note=""):
        """Publish the draft, or send it back to its staff to complete (with the note)."""
        cluster = self.cluster
        if cluster is None:
            raise ValidationError(_("Its draft profile has been deleted: reject the request."))
        if publish and not cluster.is_public:
            cluster.take_action("publish", editor)
        elif not publish and cluster.status == Cluster.Status.IN_REVIEW:
            cluster.review_note = note or str(_("Approved: complete the profile, then submit "
                                                "it for review again."))
            cluster.take_action("send_back", editor)
        self._decided(self.State.APPROVED, editor, note)

    @transaction.atomic
    def reject(self, editor, note):
        """Nothing of it stays in the portal but this request: the draft is deleted, the
        account made for it disabled."""
        from cluster_portal import changes

        if self.cluster is not None:
            with changes.clusters_deleted([self.cluster.pk]):
                self.cluster.delete()
            self.cluster = None
        self._decided(self.State.REJECTED, editor, note)
        self._disable_made_account()


class Claim(PersonRequest):
    """A request to become staff of an existing profile. The account made on confirmation
    cannot log into the admin until an editor approves."""

    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="claims", verbose_name=_("cluster")
    )
    message = models.TextField(
        _("how you are linked to the cluster"), max_length=2000,
        help_text=_("E.g. “I am its manager since 2021”. Only the editors read it."),
    )

    salt = "editorial.claim"

    class Meta(PersonRequest.Meta):
        verbose_name = _("claim of a profile")
        verbose_name_plural = _("claims of profiles")

    def __str__(self):
        return f"{self.email} → {self.cluster}"

    @transaction.atomic
    def confirm(self, user):
        self._confirmed_by(user)
        self.save()

    @transaction.atomic
    def approve(self, editor, publish=False, note=""):
        """`editor`: a portal editor or one of the cluster's staff."""
        user = self.user
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        self.cluster._history_user = editor
        self.cluster.staff.add(user)
        self._decided(self.State.APPROVED, editor, note)

    @transaction.atomic
    def reject(self, editor, note):
        self._decided(self.State.REJECTED, editor, note)
        self._disable_made_account()


def _free_slug(name):
    base = slugify(name)[:190] or "cluster"
    slug, n = base, 1
    while Cluster.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
