"""Template helpers of the back office.

``waiting_panel``: the admin index's "Waiting" box, what the office has to do in the account's
committees: activities submitted for review, residents' messages not yet answered, and those
unanswered for more than a week (a message has no due date of its own). Two queries, whatever
the number of records: one count, and one aggregate for both counts of messages.

``cheap_date_hierarchy``: Django's date hierarchy asks the database for every distinct year
(then month, then day) of the list, a scan of the whole table; this one reads only the first
and last date (two index lookups; one aggregate for a list of a few rows, a search's) and
offers the years, months or days between them.

``kept_nav_sidebar``: Django's sidebar of every admin page (forty models' links), rendered once
per menu (``config.admin_site`` keeps one per set of permissions and language) and per the
links the current address is under, instead of on every page: a tenth of a list's time.
"""

from __future__ import annotations

import calendar
import datetime
import threading
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django import template
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.db.models import Count, Max, Min, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from consultations.admin import WaitingFilter
from consultations.models import Activity, PublicMessage
from workstations.admin_base import HeldMatches

register = template.Library()

# A list of at most this many rows has its first and last date read in one aggregate.
FEW_ROWS = 2000

# The sidebars kept: (the menu's identity, the links the page is under) → (menu, html).
_SIDEBARS: dict[tuple, tuple] = {}
_SIDEBARS_LOCK = threading.Lock()
SIDEBARS_KEPT_AT_MOST = 1024


@register.simple_tag(takes_context=True)
def kept_nav_sidebar(context) -> str:
    """``admin/kept_nav_sidebar.html`` (Django's sidebar) for this page's menu, rendered once
    per menu and per the links that the page's address is under (those it marks as current,
    as Django's template does: ``url in request.path|urlencode``)."""
    request = context["request"]
    menu = context.get("available_apps") or []
    path = quote(request.path, safe="/")
    current = tuple(
        url
        for app in menu
        for url in (app.get("app_url"), *(model.get("admin_url") for model in app["models"]))
        if url and url in path
    )
    key = (id(menu), current)
    kept = _SIDEBARS.get(key)
    if kept is not None and kept[0] is menu:  # the same menu, not one at the same address
        return kept[1]
    html = mark_safe(
        render_to_string(
            "admin/kept_nav_sidebar.html", {"available_apps": menu, "request": request}
        )
    )
    with _SIDEBARS_LOCK:
        if len(_SIDEBARS) >= SIDEBARS_KEPT_AT_MOST:
            _SIDEBARS.clear()
        _SIDEBARS[key] = (menu, html)
    return html


@dataclass(frozen=True)
class Waiting:
    label: str
    count: int
    url: str
    urgent: bool = False


def waiting_for(user) -> list[Waiting]:
    """The counts of what waits for the office, each with the filtered changelist; only those
    the account may view."""
    lines = []
    if user.has_perm("consultations.view_activity"):
        url = reverse("admin:consultations_activity_changelist")
        status = Activity.Status.SUBMITTED
        lines.append(
            Waiting(
                _("Activity logs waiting for review"),
                Activity.objects.visible_to(user).waiting_for_review().count(),
                f"{url}?{urlencode({'status__exact': status})}",
            )
        )
    if user.has_perm("consultations.view_publicmessage"):
        url = reverse("admin:consultations_publicmessage_changelist")
        counts = (
            PublicMessage.objects.visible_to(user)
            .unanswered()
            .aggregate(
                unanswered=Count("pk"),
                overdue=Count("pk", filter=Q(created_at__lt=PublicMessage.overdue_before())),
            )
        )
        lines.append(
            Waiting(
                _("Residents' messages not yet answered"),
                counts["unanswered"],
                f"{url}?{urlencode({WaitingFilter.parameter_name: WaitingFilter.UNANSWERED})}",
            )
        )
        lines.append(
            Waiting(
                _("Unanswered for more than %(days)d days")
                % {"days": PublicMessage.OVERDUE_AFTER_DAYS},
                counts["overdue"],
                f"{url}?{urlencode({WaitingFilter.parameter_name: WaitingFilter.OVERDUE})}",
                urgent=True,
            )
        )
    return lines


@register.inclusion_tag("admin/_waiting.html", takes_context=True)
def waiting_panel(context):
    lines = waiting_for(context["request"].user)
    overdue = any(line.urgent for line in lines)
    return {"lines": lines, "overdue_days": PublicMessage.OVERDUE_AFTER_DAYS if overdue else None}


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
    # Rows without a date (an outcome still a draft) have no place in it: PostgreSQL sorts
    # them first when descending, SQLite when ascending.
    dates = cl.queryset.order_by().filter(**{f"{field}__isnull": False})
    held = HeldMatches.of(cl.queryset)
    if held is not None and held.dates_of == field:
        # A county's search knows the dates of its matches already.
        first, last = _local_date(held.first), _local_date(held.last)
    elif cl.result_count <= FEW_ROWS and not getattr(cl.paginator, "capped", False):
        # A few rows (a search), all counted: both ends in one pass over them.
        ends = dates.aggregate(first=Min(field), last=Max(field))
        first, last = _local_date(ends["first"]), _local_date(ends["last"])
    else:
        dates = dates.values_list(field, flat=True)
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
