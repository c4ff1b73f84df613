"""The one allow-list for HTML that cluster staff write (strategy, services, programmes)."""

import nh3
from django.db import models

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "a",
    "h3", "h4", "blockquote",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# The admin's editor (django-prose-editor, editorial/widgets.py) offers exactly these tags,
# so that any stored text loads into it unchanged (b and i load as strong and em).
EDITOR_EXTENSIONS = {
    "Heading": {"levels": [3, 4]},
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": sorted(ALLOWED_URL_SCHEMES)},
}


def sanitise(html, tags=ALLOWED_TAGS):
    """Return `html` with every tag, attribute and URL scheme outside the allow-list removed."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=tags,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    ).strip()


class RichTextField(models.TextField):
    """A TextField whose HTML is sanitised before it reaches the database."""

    # Headings from h3: a profile's texts sit under the heading of their tab (h2).
    allowed_tags = ALLOWED_TAGS

    def pre_save(self, model_instance, add):
        value = sanitise(getattr(model_instance, self.attname), self.allowed_tags)
        setattr(model_instance, self.attname, value)
        return value
