"""The personal data of editing: staff accounts, invitations, logins, queued e-mails, and the
admin's log of changes."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from editorial.models import Claim, Invitation, Registration
from personaldata.registry import Holding, register

User = get_user_model()


def _time(value):
    return value.isoformat(timespec="seconds") if value else None


def _accounts(email):
    return User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))


@register
class StaffAccounts(Holding):
    label = _("Accounts (cluster staff and editors)")
    model = User

    def find(self, email):
        return _accounts(email).prefetch_related("groups", "staffed_clusters")

    def export(self, user):
        return {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "active": user.is_active,
            "joined": _time(user.date_joined),
            "last_login": _time(user.last_login),
            "groups": [group.name for group in user.groups.all()],
            "edits_clusters": [cluster.name for cluster in user.staffed_clusters.all()],
        }

    def erase(self, users, email):
        # Anonymised rather than deleted: the history keeps saying that *an* account made each
        # change, and nobody can log in with it or recognise the person in it.
        for user in users:
            AccessAttempt.objects.filter(username=user.username).delete()
            AccessLog.objects.filter(username=user.username).delete()
            AccessFailureLog.objects.filter(username=user.username).delete()
            user.username = f"erased-{user.pk}"
            user.first_name = user.last_name = user.email = ""
            user.is_active = user.is_staff = user.is_superuser = False
            user.set_unusable_password()
            user.save()
            user.groups.clear()
            # From the clusters' side, so their history records that the staff changed.
            for cluster in user.staffed_clusters.all():
                cluster.staff.remove(user)
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
            ).update(object_repr=user.username)


@register
class Invitations(Holding):
    label = _("Invitations to edit a cluster")
    model = Invitation

    def find(self, email):
        return Invitation.objects.filter(email__iexact=email).select_related("cluster")

    def export(self, invitation):
        return {
            "cluster": invitation.cluster.name,
            "email": invitation.email,
            "first_name": invitation.first_name,
            "last_name": invitation.last_name,
            "invited_at": _time(invitation.created),
            "sent_at": _time(invitation.sent),
            "accepted_at": _time(invitation.accepted),
        }

    def erase(self, invitations, email):
        self.delete(invitations)


class _Logins(Holding):
    """django-axes' records of logins and failed logins, by the user name typed."""

    retention = "access_logs"

    def find(self, email):
        names = [email, *_accounts(email).values_list("username", flat=True)]
        query = Q()
        for name in names:
            query |= Q(username__iexact=name)
        return self.model.objects.filter(query)

    def export(self, record):
        return {
            "username": record.username,
            "at": _time(record.attempt_time),
            "ip_address": record.ip_address,
            "browser": record.user_agent,
            "page": record.path_info,
        }

    def erase(self, records, email):
        self.delete(records)

    def expired(self, before):
        return self.model.objects.filter(attempt_time__lt=before)


@register
class Logins(_Logins):
    label = _("Logins")
    model = AccessLog


@register
class FailedLogins(_Logins):
    label = _("Failed logins")
    model = AccessFailureLog


@register
class LoginLockouts(_Logins):
    label = _("Repeated failed logins (lock-outs)")
    model = AccessAttempt


@register
class QueuedEmails(Holding):
    """Invitations and password resets wait in the task queue with the address as argument."""

    label = _("E-mails queued or sent (invitations, password resets)")
    model = DBTaskResult
    retention = "task_results"

    def find(self, email):
        return DBTaskResult.objects.annotate(
            _args=Cast("args_kwargs", TextField())
        ).filter(_args__icontains=email)

    def export(self, result):
        return {
            "task": result.task_path.rsplit(".", 1)[-1],
            "queued_at": _time(result.enqueued_at),
            "finished_at": _time(result.finished_at),
            "state": result.status,
        }

    def erase(self, results, email):
        self.delete(results)

    def expired(self, before):
        return DBTaskResult.objects.filter(finished_at__lt=before)


@register
class AdminLog(Holding):
    """The admin's own log of changes ("Recent actions") names objects by their text."""

    label = _("Entries of the admin's log")
    model = LogEntry

    def find(self, email):
        return LogEntry.objects.filter(
            Q(object_repr__icontains=email) | Q(change_message__icontains=email)
        )

    def export(self, entry):
        return {"at": _time(entry.action_time), "object": entry.object_repr,
                "change": entry.get_change_message()}

    def erase(self, entries, email):
        LogEntry.objects.filter(pk__in=[e.pk for e in entries]).update(
            object_repr="[erased]", change_message=""
        )


class _PersonRequests(Holding):
    """Registrations and claims: the person who sent them, and what an editor noted.

    Erasing deletes the request; the profile a registration made stays, as a cluster's data.
    Decided requests are kept for the retention period, waiting ones until an editor decides."""

    retention = "registration_requests"

    def find(self, email):
        return self.model.objects.filter(email__iexact=email).select_related("cluster")

    def export(self, request):
        return {
            "cluster": request.cluster.name if request.cluster else str(request),
            "name": request.person_name,
            "role": request.role,
            "email": request.email,
            "sent_at": _time(request.created),
            "confirmed_at": _time(request.confirmed),
            "agreed_to_privacy_notice": request.consent_version,
            "agreed_at": _time(request.consented_at),
            "state": request.get_state_display(),
            "decided_at": _time(request.decided_at),
            "decision_note": request.decision_note,
            **self.details(request),
        }

    def details(self, request):
        return {}

    def erase(self, requests, email):
        self.delete(requests)

    def expired(self, before):
        return self.model.objects.filter(decided_at__lt=before)


@register
class Registrations(_PersonRequests):
    label = _("Registration requests")
    model = Registration


@register
class Claims(_PersonRequests):
    label = _("Claims of profiles")
    model = Claim

    def details(self, claim):
        return {"message": claim.message}
