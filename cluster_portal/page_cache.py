"""The visitors' page cache: profile tabs, print view and directory, shared by every app server.

Each cached page is stored together with the *token* of what it shows: `profile:<slug>` for a
profile's tabs and print view, `directory` for the directory and home page, plus one `site`
token for everything. A change replaces the tokens of exactly the pages that show it
(`pages_showing`, called by cluster_portal/changes.py); a page whose stored token differs
from the current one is rendered afresh.
Tokens live in the same cache as the pages (Redis in production), so a save through one app
server is seen by all of them at once: no app server keeps any of this in its own memory.

Why it cannot serve a page older than a change: the token is read *before* the page's data,
and replaced again *after* the change commits. A page rendered from pre-change data is
therefore always stored under a token that the change has already replaced.

Why Redis may evict any key (`allkeys-lru`, deploy/redis.conf): a page is served only when
the tokens stored with it equal the current ones. An evicted page is a miss; an evicted token
is made again with a new random value (`_add_token`), which no stored page carries, so every
page of it is a miss too. Eviction can only make pages render afresh, never bring back an old
token, so it never serves stale data.

One entry per page and language, not per address: the key holds the path and only the
parameters the page reads (`params`), normalised, so that junk parameters (`?utm=…`) neither
fill the cache nor reach a stored page. Not the host either: absolute addresses on the pages
come from SITE_URL, never from the request's Host header.
"""

import functools
import hashlib
import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone, translation

from profiles.models import Cluster

logger = logging.getLogger(__name__)

TOKEN = "page-token:"
SITE = "site"
DIRECTORY = "directory"
PROFILE = "profile:{slug}"  # a profile's tabs and print view


def profile_topic(slug):
    return PROFILE.format(slug=slug)


# --- Serving -----------------------------------------------------------------------------


def cached_for_visitors(topic, params=None, quick_params=None):
    """Cache the view's page for anonymous visitors under `topic` (formatted with URL kwargs).

    `params(request)` gives the parameters the page reads as one normalised string (the same
    for every query string that shows the same page), or None when the page cannot be shared
    (it shows this request's own errors): it is then rendered but not stored. Without
    `params` the page reads no parameters and its query string is ignored.

    `quick_params(request)`, when `params` costs queries (validating a search), gives the
    string `params` would give for a valid request, without them: a page stored under it is
    served at once. Nothing is ever stored under it, so junk values cannot add entries; a
    request it does not find goes on to `params`.

    Logged-in users, POSTs and visitors carrying a flash message always get a fresh page.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if (
                request.method not in ("GET", "HEAD")
                or "messages" in request.COOKIES
                or request.user.is_authenticated
            ):
                return view(request, *args, **kwargs)
            topic_key = TOKEN + topic.format(**kwargs)
            found, found_key = None, None
            if quick_params:
                found_key = _page_key(request, quick_params(request))
                found = _look_up(topic_key, found_key)
                if found is not None:
                    tokens = (found.get(TOKEN + SITE), found.get(topic_key))
                    if hit := _hit(found.get(found_key), tokens):
                        return hit
            query = params(request) if params else ""
            if query is None:
                return view(request, *args, **kwargs)
            page_key = _page_key(request, query)
            try:
                if found is None or page_key != found_key:  # not looked up above
                    found = cache.get_many([TOKEN + SITE, topic_key, page_key])
                tokens = (
                    found.get(TOKEN + SITE) or _add_token(TOKEN + SITE),
                    found.get(topic_key) or _add_token(topic_key),
                )
            except Exception:
                # A cache that does not answer slows the site down; it must not break it.
                logger.exception("Page cache unavailable; serving %s uncached", request.path)
                return view(request, *args, **kwargs)
            if hit := _hit(found.get(page_key), tokens):
                return hit
            response = view(request, *args, **kwargs)
            if _storable(request, response):
                try:
                    cache.set(
                        page_key,
                        (tokens, response["Content-Type"], response.content),
                        settings.PAGE_CACHE_SECONDS,
                    )
                except Exception:
                    logger.exception("Page cache unavailable; %s not stored", request.path)
                response["X-Cache"] = "miss"
            return response

        return wrapper

    return decorator


def by_day(request):
    """`params` for a page that reads no parameters but changes with the date: a profile or
    an offer whose offers leave the lists the day after their deadline, with no job to
    invalidate them at midnight."""
    return f"day={timezone.localdate()}"


def _page_key(request, query):
    # The path names the page (the language prefix included), `query` its parameters.
    language = translation.get_language() or ""
    address = f"{request.path}?{query}"
    return "page:" + hashlib.sha256(f"{language} {address}".encode()).hexdigest()


def _look_up(topic_key, page_key):
    """The tokens and the page `page_key` as the cache holds them, or None when it does not
    answer (the full path after it logs that)."""
    try:
        return cache.get_many([TOKEN + SITE, topic_key, page_key])
    except Exception:
        return None


def _hit(page, tokens):
    """The stored `page` as a response when it was stored under the current `tokens`."""
    if page is None or page[0] != tokens:
        return None
    _, content_type, content = page
    response = HttpResponse(content, content_type=content_type)
    response["X-Cache"] = "hit"
    return response


def current_tokens(topic, also=()):
    """(the site's token, `topic`'s token) as they are now, made when missing: what an
    answer about `topic` is valid under; and {key: value} of the cache keys `also`, read in
    the same round trip. The API's validators are made of them (api/http.py)."""
    topic_key = TOKEN + topic
    found = cache.get_many([TOKEN + SITE, topic_key, *also])
    tokens = (found.get(TOKEN + SITE) or _add_token(TOKEN + SITE),
              found.get(topic_key) or _add_token(topic_key))
    return tokens, {key: found[key] for key in also if key in found}


def _add_token(key):
    """Create the token `key` if no app server has yet; return whichever token won."""
    token = secrets.token_hex(8)
    if cache.add(key, token, timeout=None):
        return token
    return cache.get(key) or token


def _storable(request, response):
    """Only pages that are the same for every visitor: no cookie, CSRF token or CSP nonce."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        # A page whose scripts or styles carry this request's nonce must never be replayed.
        and b' nonce="' not in response.content
    )


# --- Invalidating ------------------------------------------------------------------------


def replace_tokens(topics):
    """Make every cached page of `topics` stale: now, and again once the change has committed.

    Now, so that the rest of this transaction (and a test, which never commits) sees the
    change; after the commit, so that a page another server rendered meanwhile from the data
    before the commit is not kept either.
    """
    topics = set(topics)
    if topics:
        _replace_now(topics)
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(functools.partial(_replace_now, topics))


def _replace_now(topics):
    try:
        cache.set_many({TOKEN + t: secrets.token_hex(8) for t in topics}, timeout=None)
    except Exception:
        # The save itself succeeded; say loudly that some pages may be stale until they expire.
        logger.exception("Page cache unavailable; could not invalidate %s", sorted(topics))


def forget_all_pages():
    """After a bulk import or a release with new templates: every cached page is stale."""
    replace_tokens([SITE])


def pages_showing(cluster_ids, former=()):
    """The topics of the pages that show the clusters `cluster_ids`: their profiles, the
    profiles whose cooperation tab links to them or whose network shows them (two
    partnerships away), and the directory while any is public.

    `former` holds (slug, status) pairs the clusters had before a change: the pages under
    an old address, and the directory that listed a profile just retired, are stale too.
    """
    rows = list(Cluster.objects.filter(pk__in=cluster_ids).values_list("slug", "status"))
    rows += list(former)
    topics = {profile_topic(slug) for slug, _status in rows}
    # Partners' pages link to a profile by its slug while it is published, and a profile's
    # cooperation network shows its partners and theirs (cooperation/network.py).
    from cooperation.network import clusters_near  # cooperation's models import profiles

    near = Cluster.objects.filter(pk__in=clusters_near(cluster_ids)).values_list("slug")
    topics |= {profile_topic(slug) for (slug,) in near}
    if any(status == Cluster.Status.PUBLISHED for _slug, status in rows):
        topics.add(DIRECTORY)
    return topics
