"""The public profile as open data: one record per cluster, as JSON or as a CSV row.

The record is what `opendata/schema/cluster-profile-v1.json` describes; the CSV has one column
per single fact and joins lists with "; ". Both are read back by the import
(`opendata/imports/`), so what one portal exports another can load.
Only public facts appear: no status, staff, drafts or admin-only fields.
"""

import csv
import json
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

from profiles.models import TERM_RELATIONS, Term

SCHEMA_VERSION = "1"
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "cluster-profile-v1.json"

# The many-to-many vocabularies, in tab order; each is a record key and a Cluster relation.
TERM_LISTS = TERM_RELATIONS
COMPOSITION_FIELDS = [
    "total_members",
    "sme_members",
    "large_company_members",
    "research_members",
    "other_members",
    "entrepreneurship_facilities",
]
SCOPES = ["international", "transnational"]
YES_NO = {"yes": True, "no": False, "": None}

# The CSV's columns, in order. Lists are joined with LIST_SEPARATOR; vocabulary terms by their
# English label, countries by ISO 3166 code. Contacts and programmes have more structure than a
# cell holds: they are in the JSON export only.
CSV_COLUMNS = [
    "slug",
    "name",
    "acronym",
    "url",
    "updated",
    "country",
    "region",
    "city",
    "website",
    "logo",
    "date_established",
    "management_staff_count",
    "excellence_label",
    "excellence_label_awarded",
    "excellence_label_expires",
    "other_label",
    "network_memberships",
    "languages_spoken",
    "sectoral_industries",
    "technology_fields",
    "s3_priority_areas",
    "emerging_industries",
    "industrial_ecosystems",
    "specialisations",
    *COMPOSITION_FIELDS,
    "major_players",
    "strategy",
    "has_formal_strategy",
    "has_internationalisation_strategy",
    "support_services",
    "support_services_details",
    "international_target_countries",
    "transnational_target_countries",
    "international_activities",
    "transnational_activities",
    "partner_clusters",
    "why_choose_us",
]
LIST_SEPARATOR = "; "
# A spreadsheet reads a cell as a formula when it starts with one of these, also after blanks
# (some trim them) and in each list item (after "Text to columns" splits a list). Such texts are
# written with a leading apostrophe, which spreadsheets hide, and the import removes it again.
FORMULA_STARTS = ("=", "+", "-", "@")
CONTROL_STARTS = ("\t", "\r", "\n")


def _reads_as_formula(text):
    return text.startswith(CONTROL_STARTS) or text.lstrip().startswith(FORMULA_STARTS) or (
        # A text that itself starts with an apostrophe before such a text keeps it: the
        # import removes exactly one, so "'=x" comes back as "'=x", not "=x".
        text.startswith("'") and _reads_as_formula(text[1:])
    )


def escape_formula(text):
    return "'" + text if _reads_as_formula(text) else text


def unescape_formula(text):
    return text[1:] if text.startswith("'") and _reads_as_formula(text[1:]) else text


def term_data(term):
    if term is None:
        return None
    # The labels of the languages the portal publishes; English is "label".
    labels = {
        code: term.labels[code] for code, _name in Term.other_languages() if term.labels.get(code)
    }
    return {"slug": term.slug, "label": term.name, "labels": labels}


def _date(value):
    return value.isoformat() if value else None


def cluster_record(cluster, origin, parts=None):
    """The public profile of `cluster` as a JSON-ready dict.

    `origin` ("https://host") makes the profile and logo addresses absolute. The related rows
    come from `parts` (a ChunkParts, for exports of many clusters) or from the cluster's own
    relations (load it with `with_profile()`).
    """

    def related(name):
        return parts.of(cluster, name) if parts else getattr(cluster, name).all()

    composition = cluster.composition_or_none
    return {
        "slug": cluster.slug,
        "name": cluster.name,
        "acronym": cluster.acronym,
        "url": origin + cluster.get_absolute_url(),
        "updated": cluster.updated.isoformat(timespec="seconds"),
        "country": cluster.country.code,
        "region": cluster.region,
        "city": cluster.city,
        "latitude": cluster.latitude,
        "longitude": cluster.longitude,
        "website": cluster.website,
        "logo": absolute_url(origin, cluster.logo.url) if cluster.logo else None,
        "date_established": _date(cluster.date_established),
        "management_staff_count": cluster.management_staff_count,
        "excellence_label": term_data(cluster.excellence_label),
        "excellence_label_awarded": _date(cluster.excellence_label_awarded),
        "excellence_label_expires": _date(cluster.excellence_label_expires),
        "other_label": cluster.other_label,
        "network_memberships": cluster.network_memberships,
        "languages_spoken": cluster.languages,
        "contacts": [
            {
                "role": contact.role,
                "name": contact.name,
                "email": contact.public_email,
                "phone_numbers": contact.public_phone_numbers,
            }
            for contact in related("contacts")
        ],
        **{key: [term_data(t) for t in related(key)] for key in TERM_LISTS[:5]},
        "specialisations": cluster.specialisations,
        "composition": (
            {field: getattr(composition, field) for field in COMPOSITION_FIELDS}
            if composition
            else None
        ),
        "major_players": [
            {"name": player.name, "link": player.link} for player in related("major_players")
        ],
        "strategy": cluster.strategy,
        "has_formal_strategy": YES_NO[cluster.has_formal_strategy],
        "has_internationalisation_strategy": YES_NO[cluster.has_internationalisation_strategy],
        "support_services": [term_data(t) for t in related("support_services")],
        "support_services_details": cluster.support_services_details,
        "target_countries": [
            {"scope": target.scope, "country": target.country.code}
            for target in related("target_countries")
        ],
        "activities": [
            {"scope": undertaken.scope, "activity": term_data(undertaken.activity)}
            for undertaken in related("undertaken_activities")
        ],
        "partner_clusters": [
            {
                "name": partner.name,
                "country": partner.country.code or "",
                "link": partner.link,
                "profile": partner.public_profile.slug if partner.public_profile else None,
            }
            for partner in related("partners")
        ],
        "programmes": [
            {
                "scope": programme.scope,
                "name": programme.name,
                "description": programme.description,
                "link": programme.link,
                "funding_body": programme.funding_body,
                "role": programme.role,
                "start_date": _date(programme.start_date),
                "end_date": _date(programme.end_date),
                "status": programme.status,
            }
            for programme in related("programmes")
        ],
        "why_choose_us": cluster.why_choose_us,
        # Open offers only (published, deadline not past), whatever the caller prefetched.
        "cooperation_offers": [
            offer_record(offer, origin, with_cluster=False)
            for offer in related("offers") if offer.is_open
        ],
    }


def offer_record(offer, origin, with_cluster=True):
    """A cooperation offer as a JSON-ready dict: in its cluster's profile, and in the API
    (`with_cluster`: which cluster published it). Its sectors and ecosystems are read with
    it (prefetched); the contact by role only, never an address."""
    record = {
        "slug": offer.slug,
        "url": origin + offer.get_absolute_url(),
        "kind": offer.kind,
        "title": offer.title,
        "description": offer.description,
        "sectoral_industries": [term_data(t) for t in offer.sectoral_industries.all()],
        "technology_fields": [term_data(t) for t in offer.technology_fields.all()],
        "industrial_ecosystems": [term_data(t) for t in offer.industrial_ecosystems.all()],
        "target_countries": [country.code for country in offer.target_countries],
        "deadline": _date(offer.deadline),
        "contact_role": offer.contact.role if offer.contact else "",
        "published": offer.published_at.isoformat(timespec="seconds"),
        "open": offer.is_open,
    }
    if with_cluster:
        record["cluster"] = {"slug": offer.cluster.slug, "name": offer.cluster.name,
                             "country": offer.cluster.country.code}
    return record


def absolute_url(origin, url):
    return url if url.startswith(("http://", "https://")) else origin + url


def schema_url(origin):
    from django.urls import reverse

    return origin + reverse("opendata:schema", args=[SCHEMA_VERSION])


def profile_document(cluster, origin):
    """profile.json: one cluster, with the schema it follows."""
    return {
        "schema": schema_url(origin),
        "schema_version": SCHEMA_VERSION,
        "cluster": cluster_record(cluster, origin),
    }


def to_json(data, **kwargs):
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, **kwargs)


# --- Streaming many clusters ---------------------------------------------------------------

EXPORT_CHUNK_SIZE = 500


class ChunkParts:
    """The related rows of a chunk of clusters, read with one query per relation.

    Django's prefetch_related builds a queryset per cluster and relation (a dozen per cluster),
    which dominated export time; grouping one query's rows by cluster id in Python does not.
    """

    def __init__(self, cluster_ids):
        from cooperation.models import (
            CooperationOffer,
            PartnerCluster,
            TargetCountry,
            UndertakenActivity,
        )
        from members.models import MajorPlayer
        from profiles.models import Cluster, Contact
        from programmes.models import FundedProgramme

        self._rows = {}
        for name in TERM_LISTS:
            field = getattr(Cluster, name).field
            through, term = field.remote_field.through, field.m2m_reverse_field_name()
            links = (
                through.objects.filter(cluster_id__in=cluster_ids)
                .select_related(term)
                .order_by(f"{term}__position", f"{term}__name")
            )
            self._group(name, links, lambda link, term=term: getattr(link, term))
        partners = PartnerCluster.objects.select_related("partner").only(
            *[f.name for f in PartnerCluster._meta.concrete_fields],
            "partner__slug",
            "partner__status",
        )
        for name, rows in [
            ("contacts", Contact.objects.all()),
            ("major_players", MajorPlayer.objects.all()),
            ("target_countries", TargetCountry.objects.all()),
            ("undertaken_activities", UndertakenActivity.objects.select_related("activity")),
            ("partners", partners.order_by("position", "name")),
            ("programmes", FundedProgramme.objects.all()),
            ("offers", CooperationOffer.objects.for_profile().for_export()),
        ]:
            self._group(name, rows.filter(cluster_id__in=cluster_ids), lambda row: row)

    def _group(self, name, rows, value):
        grouped = self._rows[name] = {}
        for row in rows:
            grouped.setdefault(row.cluster_id, []).append(value(row))

    def of(self, cluster, name):
        return self._rows[name].get(cluster.pk, [])


def export_records(queryset, origin):
    """A record per cluster of `queryset`, in its order, reading EXPORT_CHUNK_SIZE at a time."""
    ordering = list(queryset.query.order_by or queryset.model._meta.ordering)
    if "slug" not in ordering:
        ordering.append("slug")
    ids = queryset.order_by(*ordering).values_list("pk", flat=True)
    # Only the ids stream through memory; each chunk's clusters and parts are loaded in turn.
    chunk = []
    for cluster_id in ids.iterator(chunk_size=EXPORT_CHUNK_SIZE):
        chunk.append(cluster_id)
        if len(chunk) == EXPORT_CHUNK_SIZE:
            yield from _chunk_records(queryset.model, chunk, origin)
            chunk = []
    if chunk:
        yield from _chunk_records(queryset.model, chunk, origin)


def _chunk_records(model, cluster_ids, origin):
    clusters = (
        model.objects.filter(pk__in=cluster_ids)
        .select_related("excellence_label", "composition")
        .in_bulk()
    )
    parts = ChunkParts(cluster_ids)
    for cluster_id in cluster_ids:
        yield cluster_record(clusters[cluster_id], origin, parts)


def json_lines(queryset, origin):
    """export.json, piece by piece: one cluster per line inside a {"clusters": [...]} document."""
    head = {"schema": schema_url(origin), "schema_version": SCHEMA_VERSION}
    yield to_json(head)[:-1] + ', "clusters": ['
    separator = "\n"
    for record in export_records(queryset, origin):
        yield separator + to_json(record)
        separator = ",\n"
    yield "\n]}\n"


def csv_row(record):
    """Flatten a record into the CSV's cells, in CSV_COLUMNS order.

    A list's items are escaped one by one (its cell is not escaped again); other cells whole.
    """
    def join(items):
        return LIST_SEPARATOR.join(escape_formula(str(item)) for item in items)

    lists = {
        **{
            f"{scope}_{kind}": join(values)
            for scope in SCOPES
            for kind, values in (
                ("target_countries",
                 [t["country"] for t in record["target_countries"] if t["scope"] == scope]),
                ("activities",
                 [a["activity"]["label"] for a in record["activities"] if a["scope"] == scope]),
            )
        },
        **{key: join(t["label"] for t in record[key]) for key in TERM_LISTS},
        "languages_spoken": join(record["languages_spoken"]),
        "specialisations": join(record["specialisations"]),
        "major_players": join(p["name"] for p in record["major_players"]),
        "partner_clusters": join(p["name"] for p in record["partner_clusters"]),
    }
    composition = record["composition"] or {}
    singles = {
        **record,
        **{field: composition.get(field) for field in COMPOSITION_FIELDS},
        "excellence_label": (record["excellence_label"] or {}).get("label"),
        "has_formal_strategy": _yes_no(record["has_formal_strategy"]),
        "has_internationalisation_strategy": _yes_no(record["has_internationalisation_strategy"]),
    }
    return [
        lists[column] if column in lists else _cell(singles[column]) for column in CSV_COLUMNS
    ]


def _yes_no(value):
    return {True: "yes", False: "no", None: ""}[value]


def _cell(value):
    return escape_formula("" if value is None else str(value))


class _Echo:
    """A file-like object that hands back what csv.writer writes, for streaming."""

    def write(self, value):
        return value


# UTF-8's byte-order mark, first in the file: Excel then reads the file as UTF-8 (not as the
# Windows code page, which shows "AndalucÃ­a"); the import skips it (`utf-8-sig`).
BOM = "\ufeff"


def csv_lines(queryset, origin):
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(CSV_COLUMNS)
    for record in export_records(queryset, origin):
        yield writer.writerow(csv_row(record))


def site_origin():
    """The portal's public scheme and host, SITE_URL ("https://clusters.example.eu").

    Never the request's: its Host header (and port) is whatever the client sent, and what
    is built from it (e-mails, sitemaps, canonical links, exports) outlives the request;
    a cached page is shared whatever host asked for it.
    """
    return settings.SITE_URL


# --- schema.org ---------------------------------------------------------------------------

# Escapes that keep JSON inert inside <script>: a name containing "</script>" cannot close it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def organization_ld(cluster, origin, contacts=()):
    """schema.org Organization JSON-LD for the profile page's head, safe inside <script>.

    Built from the cluster's own row, so that every tab can carry it without loading the
    other tabs' rows; `contacts` adds contact points where the page has them at hand.
    """
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": cluster.name,
        "url": origin + cluster.get_absolute_url(),
        "address": {
            "@type": "PostalAddress",
            "addressCountry": cluster.country.code,
            **({"addressRegion": cluster.region} if cluster.region else {}),
            **({"addressLocality": cluster.city} if cluster.city else {}),
        },
    }
    if cluster.acronym:
        data["alternateName"] = cluster.acronym
    if cluster.website:
        data["sameAs"] = [cluster.website]
    if cluster.logo:
        data["logo"] = absolute_url(origin, cluster.logo.url)
    if cluster.date_established:
        data["foundingDate"] = cluster.date_established.isoformat()
    contact_points = [
        {
            "@type": "ContactPoint",
            "contactType": contact.role,
            **({"name": contact.name} if contact.name else {}),
            **({"email": contact.public_email} if contact.public_email else {}),
            **({"telephone": contact.public_phones[0]} if contact.public_phones else {}),
        }
        for contact in contacts
    ]
    if contact_points:
        data["contactPoint"] = contact_points
    return mark_safe(to_json(data).translate(_SCRIPT_ESCAPES))  # noqa: S308 - escaped above
