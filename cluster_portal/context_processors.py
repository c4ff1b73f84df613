from django.conf import settings


def portal(request):
    """What every page's head and footer name: the publisher and the public address."""
    return {"PORTAL_PUBLISHER": settings.PORTAL_PUBLISHER, "SITE_URL": settings.SITE_URL}
