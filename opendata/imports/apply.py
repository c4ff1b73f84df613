"""Applying read rows to the profiles in one transaction: all rows or none.

Each row is applied in its own savepoint and checked with the rules the admin form uses; every
problem is collected with its row's label, and when any row is bad, or on a dry run, the whole
transaction is rolled back.
"""

import posixpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.validators import validate_image_file_extension
from django.db import IntegrityError, transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from cluster_portal import changes
from cooperation.models import PartnerCluster, TargetCountry, UndertakenActivity
from members.models import Composition, MajorPlayer
from opendata import exports
from profiles.models import Cluster, ClusterExcellenceLabel, Contact, CooperationActivity
from programmes.models import FundedProgramme

from .fields import DATE_FIELDS, LOCATION_FIELDS, TEXT_FIELDS, VOCABULARIES, YES_NO_FIELDS
from .report import ImportReport, RowProblems, shorten
from .validation import full_clean, parse_count, parse_date, parse_number, save_if_clean


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
    """One import of read rows; run() applies them and returns the ImportReport."""

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
        save_if_clean(self._stamp(obj), problems, prefix)

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
        full_clean(cluster, problems)
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
                setattr(cluster, key, parse_date(key, values[key], problems))
        if "management_staff_count" in values:
            cluster.management_staff_count = parse_count(
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
                setattr(cluster, key, parse_number(key, values[key], problems))
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
                  "upload it in the admin.") % {"slug": cluster.slug, "url": shorten(url)}
            )
        elif name is None:
            problems.append(
                _("logo: “%(url)s” is not an image file in this portal's %(folder)s folder; "
                  "upload the logo in the admin, or leave the cell empty.")
                % {"url": shorten(url), "folder": LOGO_FOLDER}
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
                    start_date=parse_date("start_date", data["start_date"], problems),
                    end_date=parse_date("end_date", data["end_date"], problems),
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
                setattr(composition, key, parse_count(key, data[key], problems))
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

