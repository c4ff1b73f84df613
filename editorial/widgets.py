"""How the admin edits the portal's field types: dates typed day/month/year, rich text in an
editor that offers the formatting the public page shows (django-prose-editor, ProseMirror).

The editor's scripts are modules found through an inline import map; the change form gives
it the request's CSP nonce (ClusterAdmin.render_change_form), so the admin's policy needs no
'unsafe-inline'.
"""

from django.db import models
from django_prose_editor.widgets import AdminProseEditorWidget
from js_asset import Media

from profiles.fields import DayMonthYearField, DayMonthYearInput
from profiles.rich_text import EDITOR_EXTENSIONS, RichTextField


class RichTextEditor(AdminProseEditorWidget):
    def __init__(self, attrs=None):
        super().__init__(attrs, config={"extensions": EDITOR_EXTENSIONS}, preset="configurable")


FIELD_OVERRIDES = {
    # Day/month/year, with no calendar pop-up (whose script also adds a "You are 1 hour
    # behind server time" note under a plain date).
    models.DateField: {"form_class": DayMonthYearField, "widget": DayMonthYearInput},
    RichTextField: {"widget": RichTextEditor},
}


def media_with_nonce(media, request):
    """The page's media with the request's CSP nonce on its tags (the import map's too)."""
    return Media.from_media(media).with_nonce(request.csp_nonce)
