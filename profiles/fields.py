"""Field types shared by the apps: web addresses and phone numbers as the public sees them."""

import datetime
import functools

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.formats import get_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from profiles.countries import country_name


class WebAddressField(models.URLField):
    """A URL that a visitor can follow: http and https only, never javascript: or file:."""

    default_validators = [URLValidator(schemes=["http", "https"])]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 500)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        # The form field must refuse the same schemes, not only the model's full_clean.
        kwargs.setdefault("assume_scheme", "https")
        field = super().formfield(**kwargs)
        field.validators = [v for v in field.validators if not isinstance(v, URLValidator)]
        field.validators.extend(self.default_validators)
        return field


# --- Dates: day/month/year or ISO, never month/day ----------------------------------------

DATE_HINT = _("Day/month/year, e.g. 21/03/2014 (or 2014-03-21).")
DATE_ERROR = _(
    "“%(value)s” is not a date. Type it as day/month/year, e.g. 21/03/2014, or as 2014-03-21."
)


def parse_typed_date(value):
    """The date `value` names in one of DATE_INPUT_FORMATS (cluster_portal/formats), or None.

    The admin's date fields and the import read dates through this, so "01/02/2014" is
    1 February 2014 everywhere and in every language.
    """
    text = str(value).strip()
    for fmt in get_format("DATE_INPUT_FORMATS"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


class DayMonthYearInput(forms.DateInput):
    def __init__(self, attrs=None, format=None):
        attrs = {"size": 10, "inputmode": "numeric", "autocomplete": "off", **(attrs or {})}
        super().__init__(attrs, format)


class DayMonthYearField(forms.DateField):
    """A date typed as day/month/year or ISO; the format is said under the field and in
    the error, and a stored date is shown as day/month/year."""

    widget = DayMonthYearInput

    def __init__(self, **kwargs):
        help_text = kwargs.get("help_text") or ""
        kwargs["help_text"] = f"{DATE_HINT} {help_text}".strip() if help_text else DATE_HINT
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        parsed = parse_typed_date(value)
        if parsed is None:
            raise ValidationError(DATE_ERROR, code="invalid", params={"value": value})
        return parsed



def normalise_phone_numbers(text, country=None):
    """Parse one number per line; return them in E.164, one per line, or raise ValidationError.

    "+34 600 958 325" and "0034 600 958 325" (00 is Europe's international prefix) are read
    as typed; a number without either is read as one of `country` (the cluster's, an ISO
    code), so visitors from other countries always see it with its country code. An error
    says how the number was read.
    """
    numbers, errors = [], []
    region = str(country or "").upper() or None
    for line in (text or "").replace(",", "\n").replace(";", "\n").splitlines():
        typed = line.strip()
        if not typed:
            continue
        parsed, error = _parse_phone(typed, region)
        if error:
            errors.append(error)
            continue
        e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        if e164 not in numbers:
            numbers.append(e164)
    if errors:
        raise ValidationError(errors)
    return "\n".join(numbers)


def _parse_phone(typed, region):
    """(number, None) or (None, the message saying what was understood)."""
    compact = "".join(c for c in typed if c.isdigit() or c == "+")
    international = compact.startswith(("+", "00"))
    candidate = "+" + compact[2:] if compact.startswith("00") else typed
    if not international and region is None:
        return None, gettext(
            "“%(typed)s” has no country code, and the profile has no country to read it "
            "with. Type it with its country code, e.g. +34 600 958 325."
        ) % {"typed": typed}
    try:
        parsed = phonenumbers.parse(candidate, None if international else region)
    except phonenumbers.NumberParseException:
        return None, gettext(
            "“%(typed)s” is not a phone number. Type it with its country code, "
            "e.g. +34 600 958 325."
        ) % {"typed": typed}
    if phonenumbers.is_valid_number(parsed):
        return parsed, None
    understood = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    country_name = _phone_country_name(parsed)
    if international:
        message = gettext(
            "“%(typed)s” was read as %(understood)s, which is not a valid number%(where)s. "
            "Check the digits after the country code."
        )
    else:
        message = gettext(
            "“%(typed)s” was read as a national number of the profile's country: "
            "%(understood)s, which is not a valid number%(where)s. Check the digits, or type "
            "the number with its country code, e.g. +34 600 958 325."
        )
    where = gettext(" in %(country)s") % {"country": country_name} if country_name else ""
    return None, message % {"typed": typed, "understood": understood, "where": where}


def _phone_country_name(parsed):
    region = phonenumbers.region_code_for_country_code(parsed.country_code)
    if region in (None, "ZZ", "001"):
        return ""
    return str(country_name(region))


@functools.lru_cache(maxsize=4096)
def international_format(e164):
    """Show a stored E.164 number the one way the portal prints numbers: "+34 600 95 83 25".

    Remembered per number: parsing costs more than the rest of a contact's lines together.
    """
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
