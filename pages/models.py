"""The portal's own pages, linked from every page's footer: about, contact, accessibility,
privacy. Editors write them in the admin, one version per language."""

from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from profiles.models.cluster import portal_languages
from profiles.models.vocabularies import ENGLISH
from profiles.rich_text import ALLOWED_TAGS, RichTextField


class PageTextField(RichTextField):
    """The sanitised HTML of a page, whose headings start at h2: its text sits right under
    the page's title (h1)."""

    allowed_tags = ALLOWED_TAGS | {"h2"}


class PageQuerySet(models.QuerySet):
    def in_language(self, kind, language=None):
        """The page `kind` in `language` (the visitor's by default), else in English, or None."""
        language = (language or get_language() or ENGLISH).split("-")[0]
        pages = {page.language: page for page in self.filter(kind=kind,
                                                             language__in={language, ENGLISH})}
        return pages.get(language) or pages.get(ENGLISH)


class Page(models.Model):
    class Kind(models.TextChoices):
        # In the footer's order.
        ABOUT = "about", _("About")
        CONTACT = "contact", _("Contact")
        ACCESSIBILITY = "accessibility", _("Accessibility statement")
        PRIVACY = "privacy", _("Privacy and cookies")

    kind = models.CharField(
        _("page"), max_length=20, choices=Kind.choices,
        help_text=_("Which footer link opens this page."),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=portal_languages, default=ENGLISH,
        help_text=_("Visitors reading the portal in this language see this version; "
                    "a language without one shows the English page."),
    )
    title = models.CharField(_("title"), max_length=200)
    body = PageTextField(
        _("text"),
        help_text=_("Public. Paragraphs, bold, italics, lists, sub-headings and links are kept; "
                    "any other HTML is removed when you save."),
    )
    updated = models.DateTimeField(_("last updated"), auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "language"]
        verbose_name = _("portal page")
        verbose_name_plural = _("portal pages")
        constraints = [
            models.UniqueConstraint(fields=["kind", "language"], name="page_one_per_language",
                                    violation_error_message=_(
                                        "This page already has a version in this language.")),
        ]

    def __str__(self):
        return f"{self.title} ({self.language})"

    def get_absolute_url(self):
        return reverse("pages:page", args=[self.kind])
