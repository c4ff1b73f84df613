"""A row's values checked into messages: its cells as dates and numbers, and the objects it
makes with the rules the admin form uses (the models' full_clean).

Each function adds what is wrong to `problems` and carries on, so that one pass reports every
problem of a row.
"""

import math

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from profiles.fields import parse_typed_date


def full_clean(obj, problems, prefix=""):
    try:
        obj.full_clean()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            where = f"{prefix}: " if prefix else ""
            where += "" if name == "__all__" else f"{name}: "
            problems.extend(where + message for message in messages)


def save_if_clean(obj, problems, prefix):
    before = len(problems)
    full_clean(obj, problems, prefix)
    if len(problems) == before:
        obj.save()


def parse_date(key, value, problems):
    if value in (None, ""):
        return None
    # Day/month/year or ISO, as in the admin (never month/day): profiles.fields.
    parsed = parse_typed_date(value)
    if parsed is None:
        problems.append(
            _("%(field)s: “%(value)s” is not a date: type it as day/month/year "
              "(21/03/2014) or as 2014-03-21")
            % {"field": key, "value": value}
        )
    return parsed


def parse_count(key, value, problems):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        problems.append(
            _("%(field)s: “%(value)s” is not a whole number") % {"field": key, "value": value}
        )
        return None


def parse_number(key, value, problems):
    if value in (None, ""):
        return None
    try:
        if isinstance(value, bool):
            raise TypeError(value)
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(value)
        return number
    except (TypeError, ValueError):
        problems.append(
            _("%(field)s: “%(value)s” is not a number") % {"field": key, "value": value}
        )
        return None
