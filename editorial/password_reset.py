"""'Forgotten your password?': the e-mail links to SITE_URL and is sent by the task queue.

Django's PasswordResetView takes the link's host from the request, and the Host header is
whatever the client sent: a reset asked for with `Host: portal.example.org:9999` (or a
forged host that ALLOWED_HOSTS lets through) would mail a link to that address.

The request only queues the address. Looking up its accounts and sending the mail happen in
the task, so the page answers in the same time whether the address is known or not, and nobody
can tell from the answer which addresses have accounts.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django_tasks import task


class PortalPasswordResetForm(PasswordResetForm):
    def save(self, *args, **kwargs):
        """Called by PasswordResetView: queue the e-mail, whatever the address."""
        send_password_reset.enqueue(self.cleaned_data["email"])

    def deliver(self):
        site = urlsplit(settings.SITE_URL)
        # The documented arguments of save(): the mail is otherwise sent as Django sends it.
        super().save(domain_override=site.netloc, use_https=site.scheme == "https")


@task()
def send_password_reset(email):
    form = PortalPasswordResetForm(data={"email": email})
    if form.is_valid():
        form.deliver()
