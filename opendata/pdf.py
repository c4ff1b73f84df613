"""The profile as an A4 PDF: the print view's HTML and print stylesheet, laid out by WeasyPrint.

WeasyPrint loads every stylesheet and image the page names. A logo or a link written by cluster
staff could point at `file:///etc/passwd` or at an address inside the data centre, so the
fetcher below reads only the portal's own static and media files, from storage, and refuses
everything else without opening a connection.
"""

import hashlib
import logging
import mimetypes
import posixpath
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.utils.translation import get_language
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)
# Bootstrap's screen rules (viewport units in calc()) make WeasyPrint warn on every PDF;
# they do not apply to paper. Refused fetches are still logged by this module.
logging.getLogger("weasyprint").setLevel(logging.ERROR)

# Bump when the PDF's layout changes, so that cached copies made by older code are not served.
PDF_LAYOUT_VERSION = 1
PDF_CACHE_SECONDS = 60 * 60 * 24 * 30


class RefusedResource(ValueError):
    """A resource outside the portal's static and media files."""


class PortalFilesFetcher(URLFetcher):
    """Serves the portal's static and media files from disk or storage; refuses anything else.

    `origin` is the scheme and host the page is rendered for ("https://clusters.example.eu"):
    only `<origin>/static/…` and `<origin>/media/…` (or an absolute STATIC_URL/MEDIA_URL) are
    read. `data:` URLs carry their content inline, so they are decoded as usual.
    """

    def __init__(self, origin, **kwargs):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, **kwargs)
        self.static_prefix = urljoin(origin + "/", settings.STATIC_URL)
        self.media_prefix = urljoin(origin + "/", settings.MEDIA_URL)

    def fetch(self, url, headers=None):
        if url.lower().startswith("data:"):
            return super().fetch(url, headers)
        clean = urlsplit(url)._replace(query="", fragment="").geturl()
        if clean.startswith(self.static_prefix):
            return self._response(url, self._open_static(self._name(clean, self.static_prefix)))
        if clean.startswith(self.media_prefix):
            return self._response(url, self._open_media(self._name(clean, self.media_prefix)))
        logger.warning("PDF rendering refused to fetch %s", url)
        raise RefusedResource(f"Only the portal's static and media files are loaded, not {url}")

    @staticmethod
    def _name(url, prefix):
        name = unquote(url[len(prefix):])
        normalised = posixpath.normpath(name)
        if not name or "\x00" in name or normalised.startswith(("..", "/")) or "\\" in name:
            raise RefusedResource(f"Refused path {name!r}")
        return normalised

    @staticmethod
    def _open_static(name):
        # Hashed names exist only in STATIC_ROOT after collectstatic; while developing the
        # finders read the source folders.
        try:
            if staticfiles_storage.exists(name):
                return staticfiles_storage.open(name)
        except (SuspiciousFileOperation, NotImplementedError):
            raise RefusedResource(f"Refused static path {name!r}") from None
        path = finders.find(name)
        if not path:
            raise RefusedResource(f"No static file {name!r}")
        return open(path, "rb")  # noqa: SIM115 - WeasyPrint closes the response

    @staticmethod
    def _open_media(name):
        try:
            return default_storage.open(name)
        except SuspiciousFileOperation:
            raise RefusedResource(f"Refused media path {name!r}") from None
        except FileNotFoundError:
            raise RefusedResource(f"No media file {name!r}") from None

    @staticmethod
    def _response(url, file):
        content_type = mimetypes.guess_type(urlsplit(url).path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, file, {"Content-Type": content_type})


def render_pdf(html, origin):
    """Lay out `html` (rendered for `origin`) as a PDF and return its bytes."""
    document = HTML(string=html, base_url=origin + "/", url_fetcher=PortalFilesFetcher(origin))
    return document.write_pdf()


def pdf_cache_key(cluster, origin):
    """Changes whenever the profile is saved: the cached PDF is rebuilt only then."""
    digest = hashlib.sha256(origin.encode()).hexdigest()[:16]
    language = get_language() or settings.LANGUAGE_CODE
    return (
        f"profile-pdf:{PDF_LAYOUT_VERSION}:{cluster.pk}:{cluster.updated.timestamp()}"
        f":{language}:{digest}"
    )
