"""Bring profiles in from a CSV or JSON file in the export's format: all rows or none.

Used by `manage.py import_clusters` and by the admin's import page. Each row is applied inside
the import's one transaction, in its own savepoint, and checked with the rules the admin form
uses (the models' full_clean: required fields, URL schemes, phone numbers, composition parts
within the total, constraints). Every problem is collected with its row number; when any row is
bad, or on a dry run, the whole transaction is rolled back, so nothing is written.
"""

import csv
import io
import json
import math
import posixpath
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import jsonschema
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.validators import validate_image_file_extension
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from cluster_portal import changes
from cooperation.models import PartnerCluster, TargetCountry, UndertakenActivity
from members.models import Composition, MajorPlayer
from opendata import exports
from profiles.fields import parse_typed_date
from profiles.models import (
    Cluster,
    ClusterExcellenceLabel,
    Contact,
    CooperationActivity,
    EmergingIndustry,
    IndustrialEcosystem,
    S3PriorityArea,
    SectoralIndustry,
    SupportService,
    TechnologyField,
)
from programmes.models import FundedProgramme

VOCABULARIES = {
    "sectoral_industries": SectoralIndustry,
    "technology_fields": TechnologyField,
    "s3_priority_areas": S3PriorityArea,
    "emerging_industries": EmergingIndustry,
    "industrial_ecosystems": IndustrialEcosystem,
    "support_services": SupportService,
}
TEXT_FIELDS = [
    "name", "acronym", "region", "city", "website", "other_label", "network_memberships",
    "strategy", "support_services_details", "why_choose_us",
]
DATE_FIELDS = ["date_established", "excellence_label_awarded", "excellence_label_expires"]
LOCATION_FIELDS = ["latitude", "longitude"]
YES_NO_FIELDS = ["has_formal_strategy", "has_internationalisation_strategy"]
# Printed by the export for readers: the portal computes the address, and offers are
# published by each cluster's staff in the admin, never by an import.
IGNORED = {"url", "cooperation_offers"}


class ImportFileError(Exception):
    """The file as a whole cannot be read (not UTF-8, not JSON, no slug column…)."""


@dataclass
class ImportReport:
    dry_run: bool = False
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)  # (slug, [changed record keys])
    unchanged: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def written(self):
        return not self.errors and not self.dry_run

    def summary(self):
        if self.errors:
            return _("%(count)d problem(s) found; nothing was imported.") % {
                "count": len(self.errors)
            }
        template = (
            _("Dry run: would create %(created)d, update %(updated)d and leave %(unchanged)d "
              "unchanged; nothing was written.")
            if self.dry_run
            else _("Created %(created)d, updated %(updated)d, left %(unchanged)d unchanged.")
        )
        return template % {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
        }


class RowProblems(Exception):
    def __init__(self, messages):
        super().__init__(messages)
        self.messages = messages


# --- Reading files into rows --------------------------------------------------------------


# Deeper than any profile file (document → clusters → cluster → programmes → programme → field).
MAX_JSON_DEPTH = 20
# jsonschema quotes the offending value in its messages: a 50 MB cell must not be quoted whole.
MAX_MESSAGE_LENGTH = 300
FORMATS = (".csv", ".json")


def check_name(name):
    if not name.lower().endswith(FORMATS):
        raise ImportFileError(_("Give a .csv or .json file, as the export makes them."))


def check_size(size):
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise ImportFileError(
            _("The file is larger than %(limit)s, the most the import takes; split it into "
              "smaller files.") % {"limit": filesizeformat(limit)}
        )


def read_rows(file, name):
    """[(row label, values)] from an uploaded or opened binary file; `name` gives the format."""
    check_name(name)
    # Read one byte past the limit: a larger file is refused without reading it all.
    raw = file.read(settings.IMPORT_MAX_BYTES + 1)
    check_size(len(raw))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_("The file is not UTF-8 text.")) from None
    if not text.strip():
        raise ImportFileError(_("The file is empty."))
    # No profile holds a NUL; PostgreSQL would refuse to store one. A file full of them is a
    # spreadsheet's own format or UTF-16 text.
    nul = text.find("\x00")
    if nul != -1:
        raise ImportFileError(
            _("The file contains a NUL byte at line %(line)d: it is not CSV or JSON text "
              "(a spreadsheet's own file, or text saved as UTF-16?). Export it as UTF-8 CSV "
              "or JSON.") % {"line": text.count("\n", 0, nul) + 1}
        )
    if name.lower().endswith(".json"):
        return _json_rows(text)
    return _csv_rows(text)


def _short(text, length=MAX_MESSAGE_LENGTH):
    text = str(text)
    return text if len(text) <= length else text[: length - 1] + "…"


def _too_deep(document):
    # Walked with a list rather than recursion, so that depth itself cannot overflow.
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value
        if not isinstance(value, (dict, list)):
            continue
        if depth > MAX_JSON_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _json_rows(text):
    too_deep = _("The JSON is nested too deeply (more than %(depth)d levels) to be a cluster "
                 "profile file.") % {"depth": MAX_JSON_DEPTH}
    try:
        document = json.loads(text)
    except RecursionError:
        raise ImportFileError(too_deep) from None
    except ValueError as error:  # not JSON, or a number too long to convert
        raise ImportFileError(
            _("The file is not valid JSON: %(error)s") % {"error": _short(error)}
        ) from None
    if _too_deep(document):
        raise ImportFileError(too_deep)
    if isinstance(document, dict) and isinstance(document.get("clusters"), list):
        clusters = document["clusters"]
    elif isinstance(document, dict) and "cluster" in document and "clusters" not in document:
        clusters = [document["cluster"]]
    else:
        raise ImportFileError(
            _("The JSON holds no “clusters” list (the directory's export) or “cluster” "
              "(one profile's JSON).")
        )
    if not clusters:
        raise ImportFileError(_("The file holds no clusters: there is nothing to import."))
    schema = json.loads(exports.SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    problems = {}
    for error in validator.iter_errors(document):
        path = list(error.absolute_path)
        if len(path) >= 2 and path[0] == "clusters" and isinstance(path[1], int):
            where, detail = path[1], path[2:]
        elif path[:1] == ["cluster"]:
            where, detail = 0, path[1:]
        else:
            raise ImportFileError(
                _("The file does not follow the cluster profile schema: %(error)s")
                % {"error": _short(error.message)}
            )
        location = ".".join(str(p) for p in detail) or _("cluster")
        problems.setdefault(where, []).append(_short(f"{location}: {error.message}"))
    rows = []
    for index, record in enumerate(clusters):
        label = _json_label(index, record)
        if index in problems:
            rows.append((label, RowProblems(problems[index])))
        else:
            rows.append((label, _values_from_record(record)))
    return rows


def _json_label(index, record):
    slug = record.get("slug") if isinstance(record, dict) else None
    slug = _short(slug, 80) if isinstance(slug, str) and slug else "?"
    return _("Cluster %(number)d (%(slug)s)") % {"number": index + 1, "slug": slug}


def _values_from_record(record):
    values = {key: record[key] for key in record if key not in IGNORED}
    values["excellence_label"] = _term_ref(record["excellence_label"])
    for key in VOCABULARIES:
        values[key] = [_term_ref(t) for t in record[key]]
    values["activities"] = [(a["scope"], _term_ref(a["activity"])) for a in record["activities"]]
    values["target_countries"] = [(t["scope"], t["country"]) for t in record["target_countries"]]
    values["_complete_children"] = True
    return values


def _term_ref(term):
    return None if term is None else (term["slug"], term["label"])


def _csv_rows(text):
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        return _csv_reader_rows(reader)
    except csv.Error as error:
        line = reader.line_num + 1  # the reader counts a line once it has been parsed
        if "field larger than field limit" in str(error):
            raise ImportFileError(
                _("A cell is longer than %(limit)s characters (line %(line)d): no field of a "
                  "profile is that long.")
                % {"limit": intcomma(csv.field_size_limit()), "line": line}
            ) from None
        raise ImportFileError(
            _("The CSV cannot be read at line %(line)d: %(error)s")
            % {"line": line, "error": _short(error)}
        ) from None


def _csv_reader_rows(reader):
    columns = reader.fieldnames or []
    if "slug" not in columns:
        raise ImportFileError(_("The file has no “slug” column; use the export's columns."))
    unknown = [c for c in columns if c not in exports.CSV_COLUMNS]
    if unknown:
        raise ImportFileError(
            _("Unknown column(s): %(columns)s. Use the export's columns.")
            % {"columns": _short(", ".join(unknown))}
        )
    twice = [c for c in dict.fromkeys(columns) if columns.count(c) > 1]
    if twice:
        raise ImportFileError(
            _("Column(s) given twice: %(columns)s.") % {"columns": ", ".join(twice)}
        )
    rows = []
    # Row numbers as a spreadsheet shows them: the header is row 1.
    for number, cells in enumerate(reader, start=2):
        label = _("Row %(number)d (%(slug)s)") % {
            "number": number, "slug": _short((cells.get("slug") or "?").strip(), 80)
        }
        if None in cells:
            rows.append((label, RowProblems([_("more cells than there are columns")])))
            continue
        rows.append((label, _values_from_cells({k: (v or "").strip() for k, v in cells.items()})))
    if not rows:
        raise ImportFileError(_("The file has a header but no rows: there is nothing to import."))
    return rows


def _split(text):
    items = (item.strip() for item in text.split(exports.LIST_SEPARATOR.strip()))
    return [exports.unescape_formula(item) for item in items if item]


def _values_from_cells(cells):
    """A row's values; lists are unescaped item by item, other cells whole (see csv_row)."""
    values = {}
    for column, text in cells.items():
        if column in IGNORED:
            continue
        if not _is_list_column(column):
            text = exports.unescape_formula(text)
        if column in VOCABULARIES or column in ("languages_spoken", "specialisations"):
            values[column] = _split(text)
        elif column in ("major_players", "partner_clusters"):
            values[column] = [{"name": name} for name in _split(text)]
        elif column in YES_NO_FIELDS:
            values[column] = _yes_no(column, text)
        elif column == "logo":
            values[column] = text or None
        elif column in exports.COMPOSITION_FIELDS:
            values.setdefault("composition", {})[column] = text
        elif column.endswith(("_target_countries", "_activities")):
            scope, _sep, kind = column.partition("_")
            values.setdefault(f"_{kind}_scopes", []).append(scope)
            key = "target_countries" if kind == "target_countries" else "activities"
            values.setdefault(key, []).extend((scope, item) for item in _split(text))
        else:
            values[column] = text or None if column not in TEXT_FIELDS else text
    if "composition" in values and not any(values["composition"].values()):
        values["composition"] = None
    return values


def _is_list_column(column):
    return (
        column in VOCABULARIES
        or column in ("languages_spoken", "specialisations", "major_players", "partner_clusters")
        or column.endswith(("_target_countries", "_activities"))
    )


def _yes_no(column, text):
    answer = text.strip().lower()
    if answer in ("yes", "no", ""):
        return {"yes": True, "no": False, "": None}[answer]
    return ValueError(_("%(column)s: answer “yes”, “no” or leave empty, not “%(text)s”") % {
        "column": column, "text": text,
    })


# --- Applying rows ------------------------------------------------------------------------


class Vocabulary:
    """Finds a term by slug, its label in any language, or alias, ignoring case."""

    def __init__(self, model):
        self.model = model
        self.by_key = {}
        for term in model.objects.all():
            for key in (*term.search_labels(), term.slug):
                self.by_key[key.casefold()] = term

    def find(self, ref, problems):
        candidates = ref if isinstance(ref, tuple) else (ref,)
        for candidate in candidates:
            term = self.by_key.get(str(candidate).casefold())
            if term:
                return term
        problems.append(
            _("unknown %(vocabulary)s “%(term)s”")
            % {
                "vocabulary": self.model._meta.verbose_name,
                "term": " / ".join(dict.fromkeys(str(c) for c in candidates)),
            }
        )
        return None


class ClusterImport:
    def __init__(self, rows, *, dry_run=False, new_status=Cluster.Status.PUBLISHED, origin=None,
                 author=None, reason=None):
        self.rows = rows
        # What the change history says of each profile and row the import saves: who started
        # it (the editor, in the admin) and why ("Imported from clusters.csv").
        self.author, self.reason = author, reason
        self.report = ImportReport(dry_run=dry_run)
        self.new_status = new_status
        self.origin = origin or settings.SITE_URL
        self.vocabularies = {key: Vocabulary(model) for key, model in VOCABULARIES.items()}
        self.labels = Vocabulary(ClusterExcellenceLabel)
        self.activities = Vocabulary(CooperationActivity)
        self.placeholders = set()
        self.listings = {}  # folder of the media storage → names of its files
        self.file_slugs = {
            values.get("slug") for _label, values in rows if isinstance(values, dict)
        }

    def run(self, progress=iter):
        with transaction.atomic():
            seen = set()
            for label, values in progress(self.rows):
                if isinstance(values, RowProblems):
                    self._problems(label, values.messages)
                    continue
                slug = values.get("slug") or ""
                if slug in seen:
                    self._problems(label, [_("the slug “%(slug)s” appears twice in the file")
                                           % {"slug": slug}])
                    continue
                seen.add(slug)
                try:
                    with transaction.atomic():
                        self._apply(slug, values)
                except _Unchanged:
                    pass
                except RowProblems as problems:
                    self._problems(label, problems.messages)
                except IntegrityError as error:
                    self._problems(label, [str(error)])
            if not self.report.written:
                transaction.set_rollback(True)
        if self.report.written:
            # Their own save() dated the profiles (or the file did): keep those dates.
            written = self.report.created + [slug for slug, _changed in self.report.updated]
            changes.clusters_changed(
                Cluster.objects.filter(slug__in=written).values_list("pk", flat=True),
                touched=False,
            )
        return self.report

    def _stamp(self, obj):
        if self.author is not None:
            obj._history_user = self.author
        if self.reason:
            obj._change_reason = self.reason[:100]  # the history's column holds 100 characters
        return obj

    def _save(self, obj, problems, prefix):
        _save(self._stamp(obj), problems, prefix)

    def _problems(self, label, messages):
        self.report.errors.extend(f"{label}: {message}" for message in messages)

    def _apply(self, slug, values):
        existing = Cluster.objects.filter(slug=slug).with_profile().first() if slug else None
        is_new = existing is None or slug in self.placeholders
        before = None if is_new else exports.cluster_record(existing, self.origin)
        cluster = existing or Cluster(slug=slug)
        if is_new:
            cluster.status = self.new_status
        problems = []
        self._set_fields(cluster, values, problems)
        _full_clean(cluster, problems)
        if problems:
            raise RowProblems(problems)
        self._stamp(cluster)
        cluster.save()
        self._set_relations(cluster, values, problems)
        if problems:
            raise RowProblems(problems)

        after_cluster = Cluster.objects.with_profile().get(pk=cluster.pk)
        after = exports.cluster_record(after_cluster, self.origin)
        if is_new:
            if values.get("updated"):
                # A new copy of a profile keeps the date its content last changed.
                stamp = parse_datetime(values["updated"])
                Cluster.objects.filter(pk=cluster.pk).update(updated=stamp)
            self.report.created.append(slug)
            return
        changed = [k for k in after if k not in ("updated", "url") and after[k] != before[k]]
        if changed:
            self.report.updated.append((slug, changed))
        else:
            # Nothing new: undo the save so that "last updated" and the cached PDF stay.
            self.report.unchanged.append(slug)
            raise _Unchanged

    # Scalar fields of the cluster

    def _set_fields(self, cluster, values, problems):
        for key in TEXT_FIELDS:
            if key in values:
                setattr(cluster, key, values[key] or "")
        if "country" in values:
            cluster.country = (values["country"] or "").upper()
        for key in DATE_FIELDS:
            if key in values:
                setattr(cluster, key, _parse_date(key, values[key], problems))
        if "management_staff_count" in values:
            cluster.management_staff_count = _parse_count(
                "management_staff_count", values["management_staff_count"], problems
            )
        for key in YES_NO_FIELDS:
            if key in values:
                answer = values[key]
                if isinstance(answer, ValueError):
                    problems.append(str(answer))
                else:
                    setattr(cluster, key, {True: "yes", False: "no", None: ""}[answer])
        if "languages_spoken" in values:
            cluster.languages_spoken = ", ".join(values["languages_spoken"])
        if "specialisations" in values:
            cluster.specialisation_other = ", ".join(values["specialisations"])
        for key in LOCATION_FIELDS:
            if key in values:
                # A location given in the file wins over the gazetteer's (Cluster.locate
                # fills only an empty one).
                setattr(cluster, key, _parse_number(key, values[key], problems))
        if "excellence_label" in values:
            ref = values["excellence_label"]
            cluster.excellence_label = self.labels.find(ref, problems) if ref else None
        if values.get("logo"):
            self._set_logo(cluster, values["logo"], problems)
        if values.get("updated") and not parse_datetime(values["updated"]):
            problems.append(_("updated: “%(value)s” is not an ISO 8601 date and time")
                            % {"value": values["updated"]})

    def _set_logo(self, cluster, url, problems):
        # Logos are files: only an image already in this portal's logo folder is attached.
        name = self._logo_name(url)
        if name is _ELSEWHERE:
            self.report.warnings.append(
                _("%(slug)s: logo %(url)s is not in this portal's media files; "
                  "upload it in the admin.") % {"slug": cluster.slug, "url": _short(url)}
            )
        elif name is None:
            problems.append(
                _("logo: “%(url)s” is not an image file in this portal's %(folder)s folder; "
                  "upload the logo in the admin, or leave the cell empty.")
                % {"url": _short(url), "folder": LOGO_FOLDER}
            )
        else:
            cluster.logo.name = name

    def _logo_name(self, url):
        """The storage name of the logo that `url` gives (a name under logos/, its media path
        or its full address on this portal); None when that is no image file there;
        _ELSEWHERE for an address on another site."""
        parts = urlsplit(url.strip())
        media = urlsplit(settings.MEDIA_URL)
        if parts.scheme or parts.netloc:
            ours = {_origin(settings.SITE_URL), _origin(self.origin)}
            if media.netloc:  # media served from a host of its own
                ours.add(_origin(settings.MEDIA_URL))
            if _origin(url.strip()) not in ours:
                return _ELSEWHERE
        path = unquote(parts.path)
        if path.startswith("/"):
            if not path.startswith(media.path):
                return None
            path = path[len(media.path):]
        if "\\" in path or "\x00" in path:
            return None
        name = posixpath.normpath(path)  # "logos/../x" is "x", "logos/" is "logos"
        if not name.startswith(LOGO_FOLDER):
            return None
        try:
            validate_image_file_extension(File(None, name=name))
        except ValidationError:
            return None
        folder, base = posixpath.split(name)
        return name if base in self._files_in(folder) else None

    def _files_in(self, folder):
        # Listed once per import. Not storage.exists(): on a disk a folder exists too.
        if folder not in self.listings:
            try:
                self.listings[folder] = set(default_storage.listdir(folder)[1])
            except FileNotFoundError:
                self.listings[folder] = set()
        return self.listings[folder]

    # Vocabularies, composition and the lists the cluster owns

    def _set_relations(self, cluster, values, problems):
        for key, vocabulary in self.vocabularies.items():
            if key in values:
                terms = [vocabulary.find(ref, problems) for ref in values[key]]
                getattr(cluster, key).set([t for t in terms if t])
        if "composition" in values:
            self._set_composition(cluster, values["composition"], problems)
        complete = values.get("_complete_children", False)
        if "contacts" in values:
            cluster.contacts.all().delete()
            for position, data in enumerate(values["contacts"]):
                contact = Contact(
                    cluster=cluster,
                    role=data["role"],
                    name=data["name"],
                    email=data["email"],
                    phone_numbers="\n".join(data["phone_numbers"]),
                    # An import publishes the addresses and numbers it brings, as open data
                    # does (docs/personal-data.md, "Consent to publication").
                    public_consent=bool(data["email"] or data["phone_numbers"]),
                    position=position,
                )
                self._save(contact, problems, _("contact %(n)d") % {"n": position + 1})
        if "major_players" in values:
            self._set_named_list(
                cluster, MajorPlayer, cluster.major_players, values["major_players"],
                complete, problems, _("major player"),
            )
        if "target_countries" in values:
            scopes = values.get("_target_countries_scopes", exports.SCOPES)
            cluster.target_countries.filter(scope__in=scopes).delete()
            for scope, code in values["target_countries"]:
                target = TargetCountry(cluster=cluster, scope=scope, country=code.upper())
                self._save(target, problems, _("target country %(code)s") % {"code": code})
        if "activities" in values:
            scopes = values.get("_activities_scopes", exports.SCOPES)
            cluster.undertaken_activities.filter(scope__in=scopes).delete()
            for scope, ref in values["activities"]:
                activity = self.activities.find(ref, problems)
                if activity:
                    undertaken = UndertakenActivity(cluster=cluster, scope=scope, activity=activity)
                    self._save(undertaken, problems, str(activity))
        if "partner_clusters" in values:
            self._set_named_list(
                cluster, PartnerCluster, cluster.partners, values["partner_clusters"],
                complete, problems, _("partner cluster"),
            )
        if "programmes" in values:
            cluster.programmes.all().delete()
            for position, data in enumerate(values["programmes"]):
                programme = FundedProgramme(
                    cluster=cluster,
                    position=position,
                    **{k: v for k, v in data.items() if k not in ("start_date", "end_date")},
                    start_date=_parse_date("start_date", data["start_date"], problems),
                    end_date=_parse_date("end_date", data["end_date"], problems),
                )
                self._save(programme, problems, data["name"])

    def _set_composition(self, cluster, data, problems):
        composition = cluster.composition_or_none
        if data is None:
            if composition:
                composition.delete()
            return
        composition = composition or Composition(cluster=cluster)
        for key in exports.COMPOSITION_FIELDS:
            if key == "entrepreneurship_facilities":
                composition.entrepreneurship_facilities = data.get(key) or ""
            elif key in data:
                setattr(composition, key, _parse_count(key, data[key], problems))
        self._save(composition, problems, _("composition"))

    def _set_named_list(self, cluster, model, related, items, complete, problems, kind):
        """Major players and partner clusters.

        From JSON (complete items) the list is replaced. From CSV, which carries names only,
        items are matched by name so that their links and countries are kept; names no longer
        listed are removed and new names are added.
        """
        kept = {} if complete else {obj.name: obj for obj in related.all()}
        related.exclude(pk__in=[o.pk for n, o in kept.items() if n in _names(items)]).delete()
        for position, data in enumerate(items):
            obj = kept.get(data["name"]) or model(cluster=cluster, name=data["name"])
            obj.position = position
            if "link" in data:
                obj.link = data["link"]
            if "country" in data:
                obj.country = data["country"]
            if "profile" in data:
                obj.partner = self._partner_profile(data["profile"], problems)
            self._save(obj, problems, f"{kind} “{data['name']}”")

    def _partner_profile(self, slug, problems):
        if not slug:
            return None
        partner = Cluster.objects.filter(slug=slug).first()
        if partner is None and slug in self.file_slugs:
            # Listed further down the file: created now, filled in when its row comes.
            partner = self._placeholder(slug)
        if partner is None:
            problems.append(
                _("partner profile “%(slug)s” is neither on this portal nor in the file")
                % {"slug": slug}
            )
        return partner

    def _placeholder(self, slug):
        for _label, values in self.rows:
            if isinstance(values, dict) and values.get("slug") == slug:
                self.placeholders.add(slug)
                placeholder = self._stamp(Cluster(
                    slug=slug, name=values.get("name") or slug,
                    country=values.get("country") or "", status=Cluster.Status.DRAFT,
                ))
                placeholder.save()
                return placeholder
        return None


_ELSEWHERE = object()
LOGO_FOLDER = Cluster._meta.get_field("logo").upload_to


def _origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class _Unchanged(RowProblems):
    def __init__(self):
        super().__init__([])


def _names(items):
    return {data["name"] for data in items}


def _full_clean(obj, problems, prefix=""):
    try:
        obj.full_clean()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            where = f"{prefix}: " if prefix else ""
            where += "" if name == "__all__" else f"{name}: "
            problems.extend(where + message for message in messages)


def _save(obj, problems, prefix):
    before = len(problems)
    _full_clean(obj, problems, prefix)
    if len(problems) == before:
        obj.save()


def _parse_date(key, value, problems):
    if value in (None, ""):
        return None
    # Day/month/year or ISO, as in the admin (never month/day): profiles.fields.
    parsed = parse_typed_date(value)
    if parsed is None:
        problems.append(
            _("%(field)s: “%(value)s” is not a date: type it as day/month/year "
              "(21/03/2014) or as 2014-03-21")
            % {"field": key, "value": value}
        )
    return parsed


def _parse_count(key, value, problems):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        problems.append(
            _("%(field)s: “%(value)s” is not a whole number") % {"field": key, "value": value}
        )
        return None


def _parse_number(key, value, problems):
    if value in (None, ""):
        return None
    try:
        if isinstance(value, bool):
            raise TypeError(value)
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(value)
        return number
    except (TypeError, ValueError):
        problems.append(
            _("%(field)s: “%(value)s” is not a number") % {"field": key, "value": value}
        )
        return None


def import_clusters(file, name, **options):
    """Read `file` and apply it; returns an ImportReport. Raises ImportFileError.

    The change history records each change as "Imported from <name>", by `author` if given.
    """
    progress = options.pop("progress", iter)
    rows = read_rows(file, name)
    options.setdefault("reason", _("Imported from %(file)s") % {"file": name})
    return ClusterImport(rows, **options).run(progress=progress)
