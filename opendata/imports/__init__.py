"""Bring profiles in from a CSV or JSON file in the export's format: all rows or none.

Used by `manage.py import_clusters` and by the admin's import page. The file is read into rows
(files.py), each row's values are checked into messages (validation.py), and the rows are
applied in one transaction that is rolled back when any row is bad or on a dry run (apply.py);
report.py holds what the import found.
"""

from django.utils.translation import gettext as _

from .apply import ClusterImport
from .files import read_rows


def import_clusters(file, name, **options):
    """Read `file` and apply it; returns an ImportReport. Raises ImportFileError.

    The change history records each change as "Imported from <name>", by `author` if given.
    """
    progress = options.pop("progress", iter)
    rows = read_rows(file, name)
    options.setdefault("reason", _("Imported from %(file)s") % {"file": name})
    return ClusterImport(rows, **options).run(progress=progress)
