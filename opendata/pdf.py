"""The profile as an A4 PDF: the print view's HTML and print stylesheet, laid out by WeasyPrint.

WeasyPrint loads every stylesheet and image the page names. A logo or a link written by cluster
staff could point at `file:///etc/passwd` or at an address inside the data centre, so the
fetcher below reads only the portal's own static and media files, from storage, and refuses
everything else without opening a connection.

Rendering is bounded: in a child process with a memory and a time limit, at most one render of
a profile's PDF in a language at once (the others wait briefly for its result), cached until
the profile changes, and uncached when the cache itself is down. Nothing of the visitor's
request goes into it: the addresses in the PDF are written for settings.SITE_URL.
"""

import faulthandler
import io
import logging
import math
import mimetypes
import multiprocessing
import posixpath
import time
import warnings
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from PIL import Image
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from profiles import logos
from profiles.models import Cluster
from profiles.views import print_context, published_profile

try:
    import resource
except ImportError:  # Windows
    resource = None

logger = logging.getLogger(__name__)
# Bootstrap's screen rules (viewport units in calc()) make WeasyPrint warn on every PDF;
# they do not apply to paper. Refused fetches are still logged by this module.
logging.getLogger("weasyprint").setLevel(logging.ERROR)

# Bump when the PDF's layout changes, so that cached copies made by older code are not served.
PDF_LAYOUT_VERSION = 3  # 3: tagged, one font family, the print styles alone
PDF_CACHE_SECONDS = 60 * 60 * 24 * 30
# The logo is printed 22 mm wide (print.css): about 260 pixels at 300 dpi.
PDF_LOGO_PIXELS = (260, 260)
LOGOS_FOLDER = "logos/"
# A render that failed (too slow, too large) is not retried for this long: with the lock,
# a failing profile costs one bounded render per language every five minutes.
FAILED_RENDER_SECONDS = 5 * 60
POLL_SECONDS = 0.25

BUSY = _("This PDF is being made for another visitor. Try again in a few seconds.")
FAILED = _(
    "This PDF could not be made just now. Try again later, or print the printer-friendly "
    "version."
)


class PdfUnavailable(Exception):
    """No PDF now: `message` says why, for the visitor; `retry_after` is in seconds."""

    def __init__(self, message, retry_after):
        super().__init__(str(message))
        self.message = message
        self.retry_after = retry_after


class RenderFailed(Exception):
    """The child process ran out of time or memory, or WeasyPrint failed."""


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
            file = default_storage.open(name)
        except SuspiciousFileOperation:
            raise RefusedResource(f"Refused media path {name!r}") from None
        except FileNotFoundError:
            raise RefusedResource(f"No media file {name!r}") from None
        if not name.startswith(LOGOS_FOLDER):
            return file
        with file:
            return _small_logo(file)

    @staticmethod
    def _response(url, file):
        content_type = mimetypes.guess_type(urlsplit(url).path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, file, {"Content-Type": content_type})


def _small_logo(file):
    """The logo at the size the PDF prints it: WeasyPrint embeds the pixels it is given, and an
    800-pixel logo (the stored size) made every PDF larger and slower for a 22 mm picture."""
    with Image.open(file) as image:
        image.thumbnail(PDF_LOGO_PIXELS)
        small = io.BytesIO()
        image.save(small, format="PNG", optimize=False)
    small.seek(0)
    return small


def render_pdf(html, origin):
    """Lay out `html` (rendered for `origin`) as a PDF and return its bytes: tagged (its
    headings, lists and tables are read by screen readers), its title, author and language
    from the page's <title>, <meta> and `lang`."""
    document = HTML(string=html, base_url=origin + "/", url_fetcher=PortalFilesFetcher(origin))
    return document.write_pdf(pdf_tags=True)


def render_pdf_bounded(html, origin):
    """render_pdf() in a child process that may map PDF_MEMORY_LIMIT_MB more than it starts
    with, killed after PDF_TIMEOUT_SECONDS; RenderFailed when it does not return a PDF.

    Forked, so that the child starts at once with Django and WeasyPrint already loaded; it
    touches no database connection (the HTML is rendered here) and ends with os._exit(), so
    the connections it inherited are neither used nor closed under the parent. Where there is
    no fork (Windows, for development) the PDF is rendered in this process, unbounded.
    """
    if resource is None or "fork" not in multiprocessing.get_all_start_methods():
        return render_pdf(html, origin)
    timeout = settings.PDF_TIMEOUT_SECONDS
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_render_in_child, args=(sender, html, origin), daemon=True)
    child.start()
    sender.close()  # the child holds its own end: if it dies, recv() sees the end of the pipe
    try:
        if not receiver.poll(timeout):
            raise RenderFailed(f"no PDF after {timeout:g} s; the render was stopped")
        try:
            outcome, value = receiver.recv()
        except EOFError:
            child.join(1)
            raise RenderFailed(
                f"the render ended without a PDF (exit code {child.exitcode})"
            ) from None
        if outcome != "pdf":
            raise RenderFailed(value)
        return value
    finally:
        receiver.close()
        child.kill()  # nothing to do if it has ended already
        child.join()


def _address_space():
    """Bytes of address space this process maps now (VmSize)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _render_in_child(sender, html, origin):
    # Cairo and Pango may crash rather than fail when the memory limit refuses them: the
    # parent logs the exit code; a dump of the stack (pytest turns it on) would add nothing.
    faulthandler.disable()
    # Room beyond what the process maps already (the worker's libraries, its other threads'
    # arenas): an absolute limit refused every PDF in a process that happened to map more.
    limit = _address_space() + settings.PDF_MEMORY_LIMIT_MB * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    # Should the parent be killed before it kills the child (gunicorn's worker timeout), the
    # kernel stops the child once it has used this much processor time.
    seconds = math.ceil(settings.PDF_TIMEOUT_SECONDS) + 5
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))
    # A logo stored before uploads were checked (or attached by the import) may still
    # declare millions of pixels: refused on opening, so WeasyPrint leaves it out of the PDF.
    Image.MAX_IMAGE_PIXELS = logos.MAX_PIXELS
    warnings.simplefilter("error", Image.DecompressionBombWarning)
    try:
        sender.send(("pdf", render_pdf(html, origin)))
    except BaseException as error:  # MemoryError included: say why, if there is room left
        sender.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        sender.close()


def pdf_cache_key(cluster, language):
    """Names the profile, its last change, the language and the layout: the cached PDF is
    rebuilt only when one of them changes, and nothing in it comes from the visitor."""
    return (
        f"profile-pdf:{PDF_LAYOUT_VERSION}:{cluster.pk}:{cluster.updated.timestamp()}"
        f":{language}"
    )


def lock_key(cluster, language):
    """Held while a process renders the profile's PDF in `language`, whatever its version."""
    return f"profile-pdf-lock:{cluster.pk}:{language}"


def cached_profile_pdf(cluster_or_slug, language=None):
    """The PDF of the published profile `cluster_or_slug` (a Cluster or a slug) in `language`
    (by default LANGUAGE_CODE): from the cache, else rendered, cached and returned.

    Callable outside a request (a background task after a save renders it ahead of the first
    visitor). Raises Cluster.DoesNotExist when no such profile is published, PdfUnavailable
    when another process is rendering it and has not finished within PDF_WAIT_SECONDS, or
    when the render failed.
    """
    slug = getattr(cluster_or_slug, "slug", cluster_or_slug)
    # Read afresh: a Cluster saved in this process may hold an old `updated`.
    stamp = Cluster.objects.published().only("pk", "slug", "updated").get(slug=slug)
    try:
        language = translation.get_supported_language_variant(language or "")
    except LookupError:
        language = settings.LANGUAGE_CODE
    key = pdf_cache_key(stamp, language)
    failed_key = f"{key}:failed"
    lock = lock_key(stamp, language)
    try:
        found = cache.get_many([key, failed_key])
        if key in found:
            return found[key]
        if failed_key in found:
            raise PdfUnavailable(FAILED, FAILED_RENDER_SECONDS)
        # Held for longer than a render can last (the child is killed at the timeout).
        locked = cache.add(lock, "rendering", math.ceil(settings.PDF_TIMEOUT_SECONDS) + 30)
    except PdfUnavailable:
        raise
    except Exception:
        # Redis down: other pages do without their cache, so does the PDF (without a lock).
        logger.exception("Cache unavailable: the PDF of %s is rendered without it", slug)
        return _render(slug, language)
    if not locked:
        return _wait_for_other_render(slug, key, failed_key)
    try:
        try:
            document = _render(slug, language)
        except PdfUnavailable:
            _quietly(cache.set, failed_key, True, FAILED_RENDER_SECONDS)
            raise
        _quietly(cache.set, key, document, PDF_CACHE_SECONDS)
        return document
    finally:
        _quietly(cache.delete, lock)


def _render(slug, language):
    with translation.override(language):
        cluster = published_profile(slug)
        # Written for SITE_URL: the request's Host (any port an attacker types) plays no part.
        context = print_context(cluster, for_pdf=True)
        html = render_to_string("profiles/cluster_print.html", context)
    started = time.monotonic()
    try:
        document = render_pdf_bounded(html, settings.SITE_URL)
    except RenderFailed as error:
        logger.error("The PDF of %s (%s) could not be made: %s", slug, language, error)
        raise PdfUnavailable(FAILED, FAILED_RENDER_SECONDS) from error
    logger.info("Rendered the PDF of %s (%s) in %.1f s", slug, language,
                time.monotonic() - started)
    return document


def _wait_for_other_render(slug, key, failed_key):
    """Another process renders this PDF: poll the cache for its result, a few seconds."""
    deadline = time.monotonic() + settings.PDF_WAIT_SECONDS
    while (remaining := deadline - time.monotonic()) > 0:
        time.sleep(min(POLL_SECONDS, remaining))
        try:
            found = cache.get_many([key, failed_key])
        except Exception:
            logger.exception("Cache unavailable while waiting for the PDF of %s", slug)
            break
        if key in found:
            return found[key]
        if failed_key in found:
            raise PdfUnavailable(FAILED, FAILED_RENDER_SECONDS)
    raise PdfUnavailable(BUSY, math.ceil(settings.PDF_WAIT_SECONDS))


def _quietly(operation, *args):
    # Keeping or unlocking a PDF in the cache is a saving, not a condition of serving it.
    try:
        operation(*args)
    except Exception:
        logger.exception("Cache unavailable while keeping a profile PDF")
