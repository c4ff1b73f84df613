"""A request id on every response and every log line, to follow one request across servers.

The load balancer may send `X-Request-ID`; a sane one is kept, otherwise a new one is made.
The response carries it back, so a visitor reporting an error can quote it (the 500 page
shows it too).
"""

import contextvars
import logging
import re
import uuid

HEADER = "X-Request-ID"
_SANE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_current = contextvars.ContextVar("request_id", default="-")


def current_request_id():
    return _current.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get(HEADER, "")
        # Never copy an arbitrary header into logs: it could forge log lines.
        request.request_id = offered if _SANE.match(offered) else uuid.uuid4().hex
        token = _current.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request.request_id
        return response


class RequestIdFilter(logging.Filter):
    """Give every record a `request_id`: the one of the request it is about, else "-"."""

    def filter(self, record):
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or current_request_id()
        return True


class OneLineFormatter(logging.Formatter):
    """One record, one line: tracebacks and multi-line messages are folded with " | "."""

    def format(self, record):
        return " | ".join(line for line in super().format(record).splitlines() if line.strip())
