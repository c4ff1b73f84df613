"""HTTP as the API speaks it: errors as problem details, validators and 304, the rate limit.

Errors follow RFC 9457 (`application/problem+json`): a title, the status, a sentence saying
what to change, and for a bad query one entry per parameter. Nothing else is ever said about
an error: a traceback stays in the log.

Validators: an answer's ETag is made of what it is built from, never of its bytes — the
path and query, the portal's address and the visitors' page-cache tokens of the data it
shows (cluster_portal/page_cache.py; every change replaces them) — so a conditional request
is answered 304 without a query. Its Last-Modified is when that answer was first given
(kept in the cache with it): never earlier than the change it shows, so an
If-Modified-Since can only ever get a full answer too many, never a wrong 304.
"""

import hashlib
import json
import logging
import time
from http import HTTPStatus

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation, TooManyFieldsSent
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from ninja.errors import HttpError, ValidationError
from ninja.throttling import SimpleRateThrottle

from cluster_portal import page_cache
from cluster_portal.client_address import client_address

logger = logging.getLogger(__name__)

PROBLEM_TYPE = "application/problem+json"
# Part of every ETag: raise it when a release changes what an answer of the same data says
# (`manage.py clear_page_cache` after a release does the same for every validator at once).
FORMAT = "1"
SEEN = "api-seen:"
# How long an answer's ETag and first time are kept; one evicted is taken afresh, later.
SEEN_SECONDS = 86400


# --- Problems ----------------------------------------------------------------------------


def problem(status, detail, errors=None, headers=None):
    """An error answer: `detail` says what went wrong and what to do; `errors` lists
    {"parameter", "message"} for each bad parameter."""
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status,
            "detail": str(detail)}
    if errors:
        body["errors"] = [{"parameter": name, "message": str(message)}
                          for name, message in errors]
    response = HttpResponse(json.dumps(body, ensure_ascii=False), status=status,
                            content_type=f"{PROBLEM_TYPE}; charset=utf-8")
    for name, value in (headers or {}).items():
        response[name] = value
    return response


class BadQuery(Exception):
    """The query names a parameter that does not exist or gives a value it cannot take."""

    def __init__(self, errors):
        self.errors = errors  # [(parameter, message)]
        super().__init__(errors)


def bad_query(request, exc):
    names = ", ".join(sorted({name for name, _message in exc.errors}))
    return problem(400, f"Check the value of: {names}.", exc.errors)


def invalid_parameters(request, exc):
    """ninja's ValidationError (a value of the wrong type) as a bad query."""
    errors = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("query", "path")]
        errors.append((location[0] if location else "query", error.get("msg", "Invalid value.")))
    return bad_query(request, BadQuery(errors))


def http_error(request, exc):
    """ninja's HttpError, the 429 of the rate limit among them (it adds Retry-After)."""
    if exc.status_code == 429:
        return problem(429, "Too many requests from this address: wait for the number of "
                            "seconds in the Retry-After header, then ask again.")
    return problem(exc.status_code, exc.message)


def not_found(request, exc):
    return problem(404, str(exc) or "Nothing is published at this address.")


def suspicious(request, exc):
    """A request Django refuses to read, such as more than DATA_UPLOAD_MAX_NUMBER_FIELDS
    parameters: Django's own 400, as a problem."""
    if isinstance(exc, TooManyFieldsSent):
        return problem(400, f"Too many parameters: at most "
                            f"{settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} in one request.")
    return problem(400, "The portal cannot read this request.")


def server_error(request, exc):
    logger.exception("API error at %s", request.path, exc_info=exc)
    request_id = getattr(request, "request_id", "")
    return problem(500, f"The portal could not answer; quote request id {request_id} "
                        "when you report it.")


def install_problem_handlers(api):
    api.add_exception_handler(BadQuery, bad_query)
    api.add_exception_handler(ValidationError, invalid_parameters)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(SuspiciousOperation, suspicious)
    api.add_exception_handler(Exception, server_error)


# --- Validators --------------------------------------------------------------------------


class Validators:
    """The ETag and Last-Modified of one answer about `topic` (a page-cache topic).

    `not_modified()` answers a conditional request that matches; `stamp(response)` gives a
    full answer its validators and Cache-Control. One cache round trip reads the tokens and
    the answer's (ETag, first time). While the cache does not answer there are no
    validators: every request gets the full answer.
    """

    def __init__(self, request, topic, by_day=False):
        self.request = request
        # `by_day`: the answer also changes with the date (offers close the day after their
        # deadline, with no change to invalidate them), so yesterday's ETag is not today's.
        query = sorted(request.GET.lists())
        address = repr([FORMAT, settings.SITE_URL, request.path, query])
        self.key = SEEN + hashlib.sha256(address.encode()).hexdigest()[:32]
        try:
            tokens, found = page_cache.current_tokens(topic, also=[self.key])
        except Exception:
            logger.exception("Cache unavailable; %s served without validators", request.path)
            self.etag = None
            return
        made_of = repr([address, tokens, str(timezone.localdate()) if by_day else ""])
        self.etag = f'"{hashlib.sha256(made_of.encode()).hexdigest()[:32]}"'
        etag, seen = found.get(self.key, (None, None))
        # A first time stored under other tokens is another answer's.
        self.seen = seen if etag == self.etag else None

    def not_modified(self):
        """A 304 (or 412) answer to a conditional request, or None to answer in full."""
        if self.etag is None or self.seen is None or not self._conditional():
            # Never answered under these tokens: no validator of the client's can be it.
            return None
        answer = get_conditional_response(self.request, etag=self.etag,
                                          last_modified=self.seen)
        if answer is not None:
            self._headers(answer)
        return answer

    def stamp(self, response):
        """Give a full answer its validators (and remember when it was first given)."""
        if self.etag is not None and self.seen is None:
            self.seen = int(time.time())
            try:
                cache.set(self.key, (self.etag, self.seen), SEEN_SECONDS)
            except Exception:
                logger.exception("Cache unavailable; %s has no Last-Modified",
                                 self.request.path)
                self.seen = None
        if self.etag is not None:
            self._headers(response)
        else:
            patch_cache_control(response, public=True, max_age=settings.API_CACHE_SECONDS)
        return response

    def _conditional(self):
        meta = self.request.META
        return any(name in meta for name in ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE",
                                             "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE"))

    def _headers(self, response):
        response["ETag"] = self.etag
        if self.seen is not None:
            response["Last-Modified"] = http_date(self.seen)
        patch_cache_control(response, public=True, max_age=settings.API_CACHE_SECONDS)


# --- Rate limit --------------------------------------------------------------------------


class AddressRateThrottle(SimpleRateThrottle):
    """API_RATE_LIMIT requests per address, counted in the shared cache (Redis in
    production, so every app server counts together). ninja answers 429 with Retry-After.

    The rate is read from the settings at each request, so that a test or an operator's
    change applies at once. (ninja keeps a request's state on the throttle: fine under
    gunicorn's sync workers, one request at a time per process.)
    """

    scope = "address"
    THROTTLE_RATES = {"address": None}

    def get_cache_key(self, request):
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}

    def allow_request(self, request):
        self.rate = settings.API_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)
        if self.num_requests is None:
            return True
        return super().allow_request(request)


# --- Errors outside the endpoints ----------------------------------------------------------

PREFIX = "/api/"
MESSAGES = {
    404: "Nothing is published at this address; the API's addresses are listed at /api/v1/docs.",
    405: "This address only answers GET and HEAD: the API only reads.",
}


class ProblemMiddleware:
    """Under /api/, an error that no endpoint answered — an address where nothing is (Django's
    404 page) or a method an endpoint does not take (ninja's 405) — is a problem too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path_info.startswith(PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith(PROBLEM_TYPE)
        ):
            status = response.status_code
            headers = {name: response[name] for name in ("Allow", "Retry-After")
                       if name in response}
            if "Allow" in headers:  # ninja lists the methods of a set, in any order
                headers["Allow"] = ", ".join(sorted(headers["Allow"].replace(" ", "").split(",")))
            return problem(status, MESSAGES.get(status, HTTPStatus(status).description),
                           headers=headers)
        return response
