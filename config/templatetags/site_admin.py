"""Template helpers of the back office.

``waiting_panel``: the admin index's "Waiting" box, what the office has to do in the account's
committees: activities submitted for review, residents' messages not yet answered, and those
unanswered for more than a week (a message has no due date of its own). Two queries, whatever
the number of records: one count, and one aggregate for both counts of messages.

``cheap_date_hierarchy``: Django's date hierarchy asks the database for every distinct year
(then month, then day) of the list, a scan of the whole table; this one reads only the first
and last date (two index lookups; one aggregate for a list of a few rows, a search's) and
offers the years, months or days between them.

``cheap_result_list``: Django's ``result_list`` (the rows of a changelist), its cells written
as Django writes them but with what is the same for every row worked out once per list: the
link's address reversed once, the empty value's text, each column's classes. A third of the
time of a page of fifty rows.

``kept_nav_sidebar``: Django's sidebar of every admin page (forty models' links), rendered once
per menu (``config.admin_site`` keeps one per set of permissions and language) and per the
links the current address is under, instead of on every page: a tenth of a list's time.
"""

from __future__ import annotations

import calendar
import datetime
import re
import threading
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django import template
from django.contrib.admin.templatetags.admin_list import (
    _coerce_field_name,
    date_hierarchy,
    result_headers,
    result_hidden_fields,
    results,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import display_for_field, display_for_value, lookup_field
from django.contrib.admin.utils import quote as admin_quote
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Count, Max, Min, Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from consultations.admin import WaitingFilter
from consultations.models import Activity, PublicMessage
from workstations.admin_base import HeldMatches

register = template.Library()

# A list of at most this many rows has its first and last date read in one aggregate.
FEW_ROWS = 2000

# Stands for a row's id in the address of its change page, reversed once per list.
_ROW = "row-id-4f1c"
_PLAIN_ID = re.compile(r"[A-Za-z0-9_.~-]+")


@dataclass(frozen=True)
class _Column:
    name: object  # a field's name or a callable, as in list_display
    classes: str  # "field-title" (more per cell: "nowrap" for dates)
    link: bool
    tag: str  # "th" for the first link, else "td"


def _columns(cl) -> list[_Column]:
    """What ``items_for_result`` works out again for every row: the columns' classes, which
    one links to the row and in which tag."""

    def link_in_col(is_first: bool, field_name) -> bool:
        if cl.list_display_links is None:
            return False
        if is_first and not cl.list_display_links:
            return True
        return field_name in cl.list_display_links

    columns, first = [], True
    for index, name in enumerate(cl.list_display):
        link = link_in_col(first, name)
        tag = "th" if link and first else "td"
        if link:
            first = False
        columns.append(_Column(name, f"field-{_coerce_field_name(name, index)}", link, tag))
    return columns


def _row_address(cl) -> str | None:
    """The address of a row's change page with ``_ROW`` for its id, the list's filters kept."""
    try:
        address = reverse(
            f"admin:{cl.opts.app_label}_{cl.opts.model_name}_change",
            args=(_ROW,),
            current_app=cl.model_admin.admin_site.name,
        )
    except NoReverseMatch:
        return None
    return add_preserved_filters(
        {"preserved_filters": cl.preserved_filters, "opts": cl.opts}, address
    )


def _address_of(cl, address: str, result) -> str:
    """The row's change page, ``address`` with the row's id in it; reversed as Django does
    for an id that reversing would quote further (a space, a Chinese character)."""
    pk = str(admin_quote(getattr(result, cl.pk_attname)))
    if _PLAIN_ID.fullmatch(pk):
        return address.replace(_ROW, pk, 1)
    return add_preserved_filters(
        {"preserved_filters": cl.preserved_filters, "opts": cl.opts}, cl.url_for_result(result)
    )


def _cells(cl, columns: list[_Column], address: str | None, empty: str, result) -> list[str]:
    """A row's cells, as ``django.contrib.admin.templatetags.admin_list.items_for_result``
    writes them (for a list without editable fields nor popups)."""
    cells = []
    for column in columns:
        empty_value_display = empty
        classes = column.classes
        try:
            f, attr, value = lookup_field(column.name, result, cl.model_admin)
        except ObjectDoesNotExist:
            result_repr = empty_value_display
        else:
            empty_value_display = getattr(attr, "empty_value_display", empty_value_display)
            if isinstance(value, str) and value.strip() == "":
                value = ""
            if f is None or f.auto_created:
                if column.name == "action_checkbox":
                    classes = "action-checkbox"
                boolean = getattr(attr, "boolean", False)
                if isinstance(attr, property) and hasattr(attr, "fget"):
                    boolean = getattr(attr.fget, "boolean", False)
                result_repr = display_for_value(value, empty_value_display, boolean)
                if isinstance(value, (datetime.date, datetime.time)):
                    classes += " nowrap"
            else:
                if isinstance(f.remote_field, models.ManyToOneRel):
                    field_val = getattr(result, f.name)
                    result_repr = empty_value_display if field_val is None else field_val
                else:
                    result_repr = display_for_field(
                        value, f, empty_value_display, avoid_link=column.link
                    )
                if isinstance(f, (models.DateField, models.TimeField, models.ForeignKey)):
                    classes += " nowrap"
        if column.link:
            content = conditional_escape(result_repr)
            if address is not None:
                content = f'<a href="{escape(_address_of(cl, address, result))}">{content}</a>'
            cell = f'<{column.tag} class="{classes}">{content}</{column.tag}>'
        else:
            cell = f'<td class="{classes}">{conditional_escape(result_repr)}</td>'
        cells.append(mark_safe(cell))
    return cells


@register.inclusion_tag("admin/change_list_results.html")
def cheap_result_list(cl) -> dict:
    """Django's ``result_list`` tag, its rows written by ``_cells`` (a list with editable
    fields, a popup's or one picking by another field than the id is left to Django)."""
    headers = list(result_headers(cl))
    if cl.formset or cl.is_popup or cl.to_field:
        rows = list(results(cl))
    else:
        columns = _columns(cl)
        address = _row_address(cl)
        empty = cl.model_admin.get_empty_value_display()
        rows = [_cells(cl, columns, address, empty, result) for result in cl.result_list]
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": rows,
    }


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
