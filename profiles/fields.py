"""Field types shared by the apps: web addresses and phone numbers as the public sees them."""

import functools

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models


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


def normalise_phone_numbers(text):
    """Parse one number per line; return them in E.164, one per line, or raise ValidationError.

    Numbers must carry their country code ("+34 600 958 325"), because a contact's numbers
    are read by visitors from other countries.
    """
    numbers, errors = [], []
    for line in (text or "").replace(",", "\n").replace(";", "\n").splitlines():
        typed = line.strip()
        if not typed:
            continue
        try:
            parsed = phonenumbers.parse(typed, None)
        except phonenumbers.NumberParseException:
            parsed = None
        if parsed is None or not phonenumbers.is_valid_number(parsed):
            errors.append(
                f"“{typed}” is not a valid phone number. Type it with its country code, "
                "for example +34 600 958 325."
            )
            continue
        e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        if e164 not in numbers:
            numbers.append(e164)
    if errors:
        raise ValidationError(errors)
    return "\n".join(numbers)


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
