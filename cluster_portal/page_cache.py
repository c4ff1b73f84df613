"""The visitors' page cache: profile tabs, print view and directory, shared by every app server.

Each cached page is stored together with the *token* of what it shows: `profile:<slug>` for a
profile's tabs and print view, `directory` for the directory and home page, plus one `site`
token for everything. A change replaces the tokens of exactly the pages that show it (see the
receivers below); a page whose stored token differs from the current one is rendered afresh.
Tokens live in the same cache as the pages (Redis in production), so a save through one app
server is seen by all of them at once: no app server keeps any of this in its own memory.

Why it cannot serve a page older than a change: the token is read *before* the page's data,
and replaced again *after* the change commits. A page rendered from pre-change data is
therefore always stored under a token that the change has already replaced.
"""

import functools
import hashlib
import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.http import HttpResponse
from django.utils import translation

logger = logging.getLogger(__name__)

TOKEN = "page-token:"
SITE = "site"
DIRECTORY = "directory"
PROFILE = "profile:{slug}"  # a profile's tabs and print view


def profile_topic(slug):
    return PROFILE.format(slug=slug)


# --- Serving -----------------------------------------------------------------------------


def cached_for_visitors(topic):
    """Cache the view's page for anonymous visitors under `topic` (formatted with URL kwargs).

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
            page_key = _page_key(request)
            try:
                found = cache.get_many([TOKEN + SITE, topic_key, page_key])
                tokens = (
                    found.get(TOKEN + SITE) or _add_token(TOKEN + SITE),
                    found.get(topic_key) or _add_token(topic_key),
                )
            except Exception:
                # A cache that does not answer slows the site down; it must not break it.
                logger.exception("Page cache unavailable; serving %s uncached", request.path)
                return view(request, *args, **kwargs)
            page = found.get(page_key)
            if page is not None and page[0] == tokens:
                _, content_type, content = page
                response = HttpResponse(content, content_type=content_type)
                response["X-Cache"] = "hit"
                return response
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


def _page_key(request):
    # Scheme and host are part of the page (canonical links); the language will be soon.
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    language = translation.get_language() or ""
    return "page:" + hashlib.sha256(f"{language} {address}".encode()).hexdigest()


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
        and not isinstance(getattr(request, "_csp_nonce", None), str)
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


# Past this many clusters, a bulk write makes every page stale rather than list them all.
BULK_LIMIT = 500


def bulk_update(queryset, update, fields):
    """Run `update(**fields)` on the clusters of `queryset` and invalidate what it changes."""
    before = list(queryset.values_list("pk", "slug", "status")[: BULK_LIMIT + 1])
    count = update(**fields)
    if len(before) > BULK_LIMIT:
        forget_all_pages()
        return count
    after = queryset.model.objects.filter(pk__in=[pk for pk, _slug, _status in before])
    _clusters_changed(before + list(after.values_list("pk", "slug", "status")))
    return count


def clusters_created(clusters):
    """New clusters have no cached page yet; the directory may list them now."""
    if any(cluster.status == cluster.Status.PUBLISHED for cluster in clusters):
        replace_tokens([DIRECTORY])


def _clusters_changed(rows):
    """Clusters given as (pk, slug, status) rows, before and after a bulk write, changed."""
    from profiles.models import Cluster

    topics = {profile_topic(slug) for _pk, slug, _status in rows}
    topics |= _partners_linking_to([pk for pk, _slug, _status in rows])
    if any(status == Cluster.Status.PUBLISHED for _pk, _slug, status in rows):
        topics.add(DIRECTORY)
    replace_tokens(topics)


def _partners_linking_to(cluster_pks):
    """Profiles whose cooperation tab links to one of these clusters."""
    from cooperation.models import PartnerCluster

    if not cluster_pks:
        return set()
    slugs = PartnerCluster.objects.filter(partner_id__in=cluster_pks).values_list(
        "cluster__slug", flat=True
    )
    return {profile_topic(slug) for slug in slugs}


def _owner_pages(cluster_ids):
    """Topics for the clusters with these ids: their profile, and the directory if public."""
    from profiles.models import Cluster

    topics = set()
    for slug, status in Cluster.objects.filter(pk__in=cluster_ids).values_list("slug", "status"):
        topics.add(profile_topic(slug))
        if status == Cluster.Status.PUBLISHED:
            topics.add(DIRECTORY)
    return topics


def _on_cluster_pre_save(sender, instance, raw, **kwargs):
    before = None
    if instance.pk:
        before = sender.objects.filter(pk=instance.pk).values_list("slug", "status").first()
    instance._page_cache_before = before


def _on_cluster_saved(sender, instance, created, raw, **kwargs):
    before = getattr(instance, "_page_cache_before", None)
    topics = {profile_topic(instance.slug)}
    published = sender.Status.PUBLISHED
    if instance.status == published or (before and before[1] == published):
        topics.add(DIRECTORY)
    if before and before != (instance.slug, instance.status):
        # Partners' pages link to this profile only while it is published, by its slug.
        topics.add(profile_topic(before[0]))
        topics |= _partners_linking_to([instance.pk])
    replace_tokens(topics)


def _on_cluster_pre_delete(sender, instance, **kwargs):
    # Collected before the delete sets the partners' links to NULL.
    topics = {profile_topic(instance.slug)} | _partners_linking_to([instance.pk])
    if instance.status == sender.Status.PUBLISHED:
        topics.add(DIRECTORY)
    replace_tokens(topics)


def _cluster_pages(cluster):
    topics = {profile_topic(cluster.slug)}
    if cluster.status == cluster.Status.PUBLISHED:
        topics.add(DIRECTORY)
    return topics


def _on_owned_changed(sender, instance, **kwargs):
    if sender._meta.get_field("cluster").is_cached(instance):
        replace_tokens(_cluster_pages(instance.cluster))  # the admin's inlines: no query
    else:
        replace_tokens(_owner_pages([instance.cluster_id]))


def _on_cluster_terms_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"pre_clear", "post_clear", "post_add", "post_remove"}:
        return
    if not reverse:
        if action.startswith("post_"):
            replace_tokens(_cluster_pages(instance))
    elif action == "pre_clear":
        # A term losing all its clusters: find them while the rows still exist.
        cluster_ids = sender.objects.filter(
            **{_through_field(sender, instance): instance}
        ).values_list("cluster_id", flat=True)
        replace_tokens(_owner_pages(list(cluster_ids)))
    elif pk_set:
        replace_tokens(_owner_pages(pk_set))


def _through_field(through, term):
    return next(f.name for f in through._meta.fields if f.related_model is type(term))


def _term_lookups(term_model):
    """Cluster lookups reaching `term_model`: M2M and FK fields, and owned rows' FKs."""
    from profiles.models import Cluster

    lookups = [
        field.name
        for field in Cluster._meta.get_fields()
        if field.concrete and field.related_model is term_model
    ]
    for relation in Cluster._meta.related_objects:
        for field in relation.related_model._meta.fields:
            if field.related_model is term_model:
                lookups.append(f"{relation.name}__{field.name}")
    return lookups


def _on_term_changed(sender, instance, **kwargs):
    from profiles.models import Cluster

    query = Q()
    for lookup in _term_lookups(sender):
        query |= Q(**{lookup: instance})
    slugs = Cluster.objects.filter(query).values_list("slug", flat=True).distinct()
    replace_tokens({DIRECTORY} | {profile_topic(slug) for slug in slugs})


def connect():
    """Wire the receivers; called once from ProfilesConfig.ready()."""
    from cooperation.models import PartnerCluster, TargetCountry, UndertakenActivity
    from members.models import Composition, MajorPlayer
    from profiles.models import Cluster, Contact, Term
    from programmes.models import FundedProgramme

    pre_save.connect(_on_cluster_pre_save, sender=Cluster, dispatch_uid="page_cache_pre")
    post_save.connect(_on_cluster_saved, sender=Cluster, dispatch_uid="page_cache_save")
    pre_delete.connect(_on_cluster_pre_delete, sender=Cluster, dispatch_uid="page_cache_del")
    owned = [Contact, Composition, MajorPlayer, TargetCountry, UndertakenActivity,
             PartnerCluster, FundedProgramme]
    for model in owned:
        post_save.connect(_on_owned_changed, sender=model, dispatch_uid="page_cache_save")
        post_delete.connect(_on_owned_changed, sender=model, dispatch_uid="page_cache_del")
    for field in Cluster._meta.many_to_many:
        m2m_changed.connect(_on_cluster_terms_changed, sender=field.remote_field.through,
                            dispatch_uid="page_cache_m2m")
    for model in Term.__subclasses__():
        post_save.connect(_on_term_changed, sender=model, dispatch_uid="page_cache_save")
        # Before the delete, while the profiles carrying the term can still be found.
        pre_delete.connect(_on_term_changed, sender=model, dispatch_uid="page_cache_del")
