"""What an import found: the report of the whole file, and the problems of one row."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# jsonschema quotes the offending value in its messages: a 50 MB cell must not be quoted whole.
MAX_MESSAGE_LENGTH = 300


@dataclass
class ImportReport:
    """What an import did with each profile, and why it wrote nothing when it did not."""

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
    """What is wrong with one row: it is not applied, and the import writes nothing."""

    def __init__(self, messages):
        super().__init__(messages)
        self.messages = messages


def shorten(text, length=MAX_MESSAGE_LENGTH):
    """`text` cut to `length` characters, for quoting a value in a message."""
    text = str(text)
    return text if len(text) <= length else text[: length - 1] + "…"
