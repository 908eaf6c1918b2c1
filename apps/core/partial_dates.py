"""Dates known only to the year or month.

A partial date is stored as two columns: a `DateField` holding the first day of the period
(so it sorts and filters like any date) and a precision (year / month / day). `PartialDate`
parses the forms people type ("2017", "2017-05", "2017-05-20") and displays each precision as
people write it ("2017", "May 2017", "20 May 2017"; in Spanish "mayo de 2017").
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import dateformat
from django.utils.text import format_lazy
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    YEAR = "year", _("Year")
    MONTH = "month", _("Month")
    DAY = "day", _("Day")


_PARTIAL_DATE_RE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?$")


@dataclass(frozen=True)
class PartialDate:
    date: datetime.date
    precision: str

    @classmethod
    def parse(cls, text):
        """Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; raise ValidationError with a reason."""
        text = (text or "").strip()
        match = _PARTIAL_DATE_RE.match(text)
        if not match:
            raise ValidationError(
                gettext("“%(text)s” is not a date: use YYYY, YYYY-MM or YYYY-MM-DD.")
                % {"text": text},
                code="invalid_date",
            )
        year = int(match["year"])
        month = int(match["month"] or 1)
        day = int(match["day"] or 1)
        try:
            value = datetime.date(year, month, day)
        except ValueError as exc:
            raise ValidationError(
                gettext("“%(text)s” is not a real date (%(reason)s).")
                % {"text": text, "reason": exc},
                code="invalid_date",
            ) from exc
        if year < 1900:
            raise ValidationError(
                gettext("“%(text)s” is before 1900.") % {"text": text}, code="invalid_date"
            )
        if match["day"]:
            precision = DatePrecision.DAY
        elif match["month"]:
            precision = DatePrecision.MONTH
        else:
            precision = DatePrecision.YEAR
        return cls(value, precision)

    @property
    def iso(self):
        """The machine form at this precision: 2017, 2017-05 or 2017-05-20."""
        if self.precision == DatePrecision.YEAR:
            return f"{self.date.year:04d}"
        if self.precision == DatePrecision.MONTH:
            return f"{self.date.year:04d}-{self.date.month:02d}"
        return self.date.isoformat()

    @property
    def last_day(self):
        """The last day the date could be: 31 December of a year, the last of a month."""
        if self.precision == DatePrecision.YEAR:
            return self.date.replace(month=12, day=31)
        if self.precision == DatePrecision.MONTH:
            following = (self.date.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
            return following - datetime.timedelta(days=1)
        return self.date

    @property
    def display(self):
        """The human form at this precision, in the active language: 2017, May 2017 or 20 May
        2017 in English; 2017, mayo de 2017 or 20 de mayo de 2017 in Spanish. Each language's
        form is a date format (Django's `date` filter letters) in the catalogue."""
        if self.precision == DatePrecision.YEAR:
            return str(self.date.year)
        if self.precision == DatePrecision.MONTH:
            return dateformat.format(
                self.date, pgettext("a date known to the month (date format letters)", "F Y")
            )
        return dateformat.format(
            self.date, pgettext("a date known to the day (date format letters)", "j F Y")
        )

    def __str__(self):
        return self.display


class PartialDateAccessor:
    """Reads the pair `<name>` (a DateField) and `<name>_precision` as one PartialDate.

    `start = PartialDateAccessor("start_date")` on a model gives `deployment.start`, which is
    None when the date is unknown. Assigning a PartialDate (or None) sets both columns.
    """

    def __init__(self, date_field):
        self.date_field = date_field
        self.precision_field = f"{date_field}_precision"

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = getattr(instance, self.date_field)
        if value is None:
            return None
        precision = getattr(instance, self.precision_field) or DatePrecision.DAY
        return PartialDate(value, precision)

    def __set__(self, instance, partial):
        if partial is None:
            setattr(instance, self.date_field, None)
            setattr(instance, self.precision_field, "")
        else:
            setattr(instance, self.date_field, partial.date)
            setattr(instance, self.precision_field, partial.precision)


def partial_date_fields(label, what):
    """The two model fields of one partial date: (date, precision)."""
    date_field = models.DateField(
        label,
        null=True,
        blank=True,
        db_index=True,
        help_text=format_lazy(
            "{} {}", what, _("For a date known only to the year or month, the first day of it.")
        ),
    )
    precision_field = models.CharField(
        format_lazy(_("{date} precision"), date=label),
        max_length=5,
        choices=DatePrecision.choices,
        blank=True,
        help_text=_("How much of the date is known: year, month or day. Empty when no date."),
    )
    return date_field, precision_field


def check_partial_date(instance, date_field, errors):
    """Add a message to `errors` when a date has no precision or a precision no date."""
    value = getattr(instance, date_field)
    precision = getattr(instance, f"{date_field}_precision")
    if value is not None and not precision:
        setattr(instance, f"{date_field}_precision", DatePrecision.DAY)
    elif value is None and precision:
        errors.setdefault(date_field, []).append(gettext("A precision was given without a date."))


def check_date_order(instance, start_field, end_field, errors, message=None):
    start, end = getattr(instance, start_field), getattr(instance, end_field)
    if start and end and end < start:
        errors.setdefault(end_field, []).append(
            message or gettext("The end date cannot be before the start date.")
        )


def check_not_in_future(instance, date_field, errors, message):
    """Add `message` to `errors` when the date starts after today: for what has happened
    (a request filed, a finding made), not what is planned (a contract's end)."""
    value = getattr(instance, date_field)
    if value is not None and value > datetime.date.today():
        errors.setdefault(date_field, []).append(message)


def date_order_constraint(model_name, start_field, end_field):
    """A database check that `end_field` is not before `start_field` when both are known."""
    return models.CheckConstraint(
        condition=(
            models.Q(**{f"{start_field}__isnull": True})
            | models.Q(**{f"{end_field}__isnull": True})
            | models.Q(**{f"{end_field}__gte": models.F(start_field)})
        ),
        name=f"{model_name}_{end_field}_not_before_{start_field}",
    )
