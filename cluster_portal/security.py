"""Content-Security-Policy: the public policy everywhere, the admin's own in the admin."""

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.urls import reverse


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and self._is_admin(request):
            admin_policy = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
            return PolicyParts(default_config(admin_policy), parts.update, parts.replace,
                               parts.nonce)
        return parts

    def _is_admin(self, request):
        if not hasattr(self, "_admin_prefix"):
            self._admin_prefix = reverse("admin:index")
        return request.path_info.startswith(self._admin_prefix)
