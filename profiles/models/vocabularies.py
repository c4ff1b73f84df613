"""The controlled vocabularies a profile chooses from, with their labels in every language."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The language of a term's `name`, and the one shown when a term has no label in another.
ENGLISH = "en"


class TermQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class TermManager(models.Manager.from_queryset(TermQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Term(models.Model):
    """A term of a controlled vocabulary, chosen on profiles and used as a directory facet."""

    name = models.CharField(_("label (English)"), max_length=200, unique=True)
    # One column for every language but English, so that a language added to settings.LANGUAGES
    # needs its labels, not a migration per vocabulary.
    labels = models.JSONField(
        _("labels in other languages"),
        default=dict,
        blank=True,
        help_text=_(
            "Language code → label, e.g. {\"es\": \"Turismo\"}. "
            "The English label is used for a language without one."
        ),
    )
    slug = models.SlugField(
        _("identifier"),
        max_length=200,
        unique=True,
        help_text=_(
            "Stable identifier used in directory URLs, exports and imports. "
            "Keep it when you rename the label."
        ),
    )
    alias = models.CharField(
        _("other spelling"),
        max_length=200,
        blank=True,
        help_text=_("Another spelling used by some sources (e.g. “Defence”); imports accept it."),
    )
    is_active = models.BooleanField(
        _("offered to editors"),
        default=True,
        help_text=_(
            "Untick to retire the term: it is no longer offered, "
            "but stays on the profiles that carry it."
        ),
    )
    position = models.PositiveIntegerField(
        _("position"), default=0,
        help_text=_("Terms are listed by this number, then by name; a lower number comes first."),
    )

    objects = TermManager()

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        return self.label

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        super().clean()
        if not isinstance(self.labels, dict) or not all(
            isinstance(code, str) and isinstance(text, str) for code, text in self.labels.items()
        ):
            raise ValidationError(
                {"labels": _("Give the labels as language codes and texts, e.g. {\"es\": \"…\"}.")}
            )

    @staticmethod
    def other_languages():
        """(code, name) of every language of settings.LANGUAGES that labels are written for."""
        return [(code, name) for code, name in settings.LANGUAGES if code != ENGLISH]

    @property
    def label(self):
        """The label in the visitor's language, falling back to English."""
        return self.label_in(get_language())

    def label_in(self, language):
        """The label in `language` (a code such as "es" or "es-ar"), falling back to English."""
        language = (language or ENGLISH).lower()
        for code in (language, language.split("-")[0]):
            if code != ENGLISH and (self.labels or {}).get(code, "").strip():
                return self.labels[code]
        return self.name

    def set_label(self, language, text):
        """Give the term its label in `language`; an empty text removes it (English is used)."""
        labels = dict(self.labels or {})
        if text.strip():
            labels[language] = text.strip()
        else:
            labels.pop(language, None)
        self.labels = labels

    def search_labels(self):
        """Every label in every language and the alias, each once: what a search should find."""
        texts = [self.name, *(self.labels or {}).values(), self.alias]
        return list(dict.fromkeys(text.strip() for text in texts if text and text.strip()))


class SectoralIndustry(Term):
    class Meta(Term.Meta):
        verbose_name = _("sectoral industry")
        verbose_name_plural = _("sectoral industries")


class TechnologyField(Term):
    class Meta(Term.Meta):
        verbose_name = _("technology field")
        verbose_name_plural = _("technology fields")


class S3PriorityArea(Term):
    class Meta(Term.Meta):
        verbose_name = _("S3 EU priority area")
        verbose_name_plural = _("S3 EU priority areas")


class EmergingIndustry(Term):
    class Meta(Term.Meta):
        verbose_name = _("emerging industry")
        verbose_name_plural = _("emerging industries")


class IndustrialEcosystem(Term):
    class Meta(Term.Meta):
        verbose_name = _("industrial ecosystem")
        verbose_name_plural = _("industrial ecosystems")


class ClusterExcellenceLabel(Term):
    class Meta(Term.Meta):
        verbose_name = _("cluster excellence label")
        verbose_name_plural = _("cluster excellence labels")


class SupportService(Term):
    class Meta(Term.Meta):
        verbose_name = _("support service")
        verbose_name_plural = _("support services")


class CooperationActivity(Term):
    class Meta(Term.Meta):
        verbose_name = _("cooperation activity")
        verbose_name_plural = _("cooperation activities")


