"""The portal's URLs plus one view that fails, to see what a visitor and the log get then."""

from django.urls import path

from cluster_portal.urls import urlpatterns as portal_urlpatterns


def broken_view(request):
    raise RuntimeError("the view broke: secret-internal-detail")


urlpatterns = [path("broken/", broken_view), *portal_urlpatterns]

handler500 = "cluster_portal.views.server_error"
