"""Template helpers of the back office.

``cheap_date_hierarchy``: Django's date hierarchy asks the database for every distinct year
(then month, then day) of the list, a scan of the whole table; this one reads only the first
and last date (two index lookups) and offers the years, months or days between them.
"""

from __future__ import annotations

import calendar
import datetime

from django import template
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

register = template.Library()


def _local_date(value) -> datetime.date | None:
    """A date, or a moment's date in Beijing."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


@register.inclusion_tag("admin/date_hierarchy.html")
def cheap_date_hierarchy(cl):
    if not cl.date_hierarchy:
        return {"show": False}
    field = cl.date_hierarchy
    year_field, month_field, day_field = (f"{field}__{part}" for part in ("year", "month", "day"))
    year, month, day = (cl.params.get(f) for f in (year_field, month_field, day_field))
    year, month, day = (
        v[-1] if isinstance(v, list) else v for v in (year, month, day)
    )  # fmt: skip
    if year and month and day:
        return date_hierarchy(cl)  # one day: nothing left to list

    def link(filters):
        return cl.get_query_string(filters, [field])

    # Each end read alone, ordered by the date's index: the database walks it from that end
    # and stops at the first row of the list (an aggregate of both would read every row).
    dates = cl.queryset.order_by().values_list(field, flat=True)
    first = _local_date(dates.order_by(field).first())
    last = _local_date(dates.order_by(f"-{field}").first())
    if first is None:
        return {"show": False}
    if year and month:
        y, m = int(year), int(month)
        days = calendar.monthrange(y, m)[1]
        choices = [
            {
                "link": link({year_field: y, month_field: m, day_field: d}),
                "title": capfirst(formats.date_format(datetime.date(y, m, d), "MONTH_DAY_FORMAT")),
            }
            for d in range(1, days + 1)
            if first <= datetime.date(y, m, d) <= last
        ]
        back = {"link": link({year_field: y}), "title": str(y)}
        return {"show": True, "back": back, "choices": choices}
    if year:
        y = int(year)
        months = range(
            first.month if first.year == y else 1, (last.month if last.year == y else 12) + 1
        )
        choices = [
            {
                "link": link({year_field: y, month_field: m}),
                "title": capfirst(formats.date_format(datetime.date(y, m, 1), "YEAR_MONTH_FORMAT")),
            }
            for m in months
        ]
        return {
            "show": True,
            "back": {"link": link({}), "title": _("All dates")},
            "choices": choices,
        }
    choices = [
        {"link": link({year_field: str(y)}), "title": str(y)}
        for y in range(first.year, last.year + 1)
    ]
    return {"show": True, "back": None, "choices": choices}
