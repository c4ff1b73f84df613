"""The "choose a password" e-mail links to the portal's public address, SITE_URL.

Django's PasswordResetView takes the link's host from the request, and the Host header is
whatever the client sent: a reset asked for with `Host: portal.example.org:9999` (or a
forged host that ALLOWED_HOSTS lets through) would mail a link to that address.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm


class PortalPasswordResetForm(PasswordResetForm):
    def save(self, *args, **kwargs):
        site = urlsplit(settings.SITE_URL)
        # The documented arguments of save(): the mail is otherwise sent as Django sends it.
        kwargs["domain_override"] = site.netloc
        kwargs["use_https"] = site.scheme == "https"
        return super().save(*args, **kwargs)
