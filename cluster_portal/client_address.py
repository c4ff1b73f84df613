"""The visitor's address, read one way for everything that counts or admits by address:
the login lock-out (axes), the registration and interest-message limits, the API's rate
limit and the metrics' allow-list."""

from axes.helpers import get_client_ip_address


def client_address(request):
    """The client's address as the login lock-out reads it (django-ipware with the
    AXES_IPWARE_* settings of cluster_portal/settings.py): behind the portal's proxies the
    one they saw, never an address a client wrote into X-Forwarded-For itself. "" when
    neither the proxies nor the connection give one (a limit then counts all such
    requests together; the allow-list admits none)."""
    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR") or ""
