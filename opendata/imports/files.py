"""Reading an uploaded CSV or JSON file into rows: (row label, values) or the row's problems.

The file as a whole is checked here (name, size, encoding, JSON schema, CSV columns); a file
that cannot be read raises ImportFileError, a row that cannot be read is a RowProblems.
"""

import csv
import io
import json

import jsonschema
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from opendata import exports

from .fields import IGNORED, TEXT_FIELDS, VOCABULARIES, YES_NO_FIELDS
from .report import RowProblems, shorten


class ImportFileError(Exception):
    """The file as a whole cannot be read (not UTF-8, not JSON, no slug column…)."""


# Deeper than any profile file (document → clusters → cluster → programmes → programme → field).
MAX_JSON_DEPTH = 20
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
            _("The file is not valid JSON: %(error)s") % {"error": shorten(error)}
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
                % {"error": shorten(error.message)}
            )
        location = ".".join(str(p) for p in detail) or _("cluster")
        problems.setdefault(where, []).append(shorten(f"{location}: {error.message}"))
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
    slug = shorten(slug, 80) if isinstance(slug, str) and slug else "?"
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
            % {"line": line, "error": shorten(error)}
        ) from None


def _csv_reader_rows(reader):
    columns = reader.fieldnames or []
    if "slug" not in columns:
        raise ImportFileError(_("The file has no “slug” column; use the export's columns."))
    unknown = [c for c in columns if c not in exports.CSV_COLUMNS]
    if unknown:
        raise ImportFileError(
            _("Unknown column(s): %(columns)s. Use the export's columns.")
            % {"columns": shorten(", ".join(unknown))}
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
            "number": number, "slug": shorten((cells.get("slug") or "?").strip(), 80)
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

