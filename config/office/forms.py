"""The forms of the office pages: the year, the board's filters, an adjustment, a ledger, a
month."""

from __future__ import annotations

import datetime
import re

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from outcomes.models import AssessmentAdjustment
from workstations.models import Area, Committee, Sector, Workstation

# How far back the year pickers reach.
YEARS_BACK = 6
INACTIVE_MONTHS = (1, 2, 3, 6, 12)
DEFAULT_INACTIVE_MONTHS = 3


def year_choices(today: datetime.date | None = None) -> list[int]:
    today = today or timezone.localdate()
    return list(range(today.year, today.year - YEARS_BACK, -1))


def selected_year(request) -> int:
    """The year asked for in ``?year=``, if it is one of the years offered; else this year."""
    years = year_choices()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return years[0]
    return year if year in years else years[0]


def selected_months(request) -> int:
    """``?months=`` for the members without activity: one of the offered spans, else 3."""
    try:
        months = int(request.GET.get("months", ""))
    except ValueError:
        return DEFAULT_INACTIVE_MONTHS
    return months if months in INACTIVE_MONTHS else DEFAULT_INACTIVE_MONTHS


class _CommitteeAreaField(forms.ModelChoiceField):
    """Towns of several counties: say which county each is in."""

    def label_from_instance(self, obj) -> str:
        return f"{obj.committee.name} · {obj.name}"


class WorkstationFilter(django_filters.FilterSet):
    """Which workstations the rhythm board shows: by county (for a city), town, sector, kind."""

    committee = django_filters.ModelChoiceFilter(
        label=pgettext_lazy("a county committee", "County"),
        queryset=Committee.objects.none(),
        empty_label=_("All"),
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Town"), queryset=Area.objects.none(), method="in_town", empty_label=_("All")
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"), queryset=Sector.objects.none(), empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Workstation.Kind.choices, empty_label=_("All")
    )

    class Meta:
        model = Workstation
        fields = ("committee", "area", "sector", "kind")

    def __init__(self, data=None, *, committee: Committee, **kwargs):
        queryset = Workstation.objects.for_committee(committee)
        super().__init__(data, queryset=queryset, **kwargs)
        counties = Committee.objects.subtree(committee).filter(level=Committee.Level.COUNTY)
        several = committee.level != Committee.Level.COUNTY
        if several:
            self.filters["committee"].queryset = counties.order_by("name")
            self.filters["area"].field_class = _CommitteeAreaField
        else:
            del self.filters["committee"]
        # Towns, subdistricts and zones: the first level of the area tree.
        self.filters["area"].queryset = (
            Area.objects.for_committee(committee)
            .filter(parent__isnull=True)
            .select_related("committee")
            .order_by("committee__name", "order", "name")
        )
        self.filters["sector"].queryset = Sector.objects.for_committee(committee).order_by(
            "committee__name", "order", "name"
        )

    def in_town(self, queryset, name, value):
        """A workstation of a village or community counts under its town."""
        return queryset.filter(Q(area=value) | Q(area__parent=value))


class AdjustmentForm(forms.ModelForm):
    class Meta:
        model = AssessmentAdjustment
        fields = ("points", "reason")
        widgets = {"reason": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "reason": _(
                "Written in the record with your name; everyone who reads the ranking sees it."
            ),
        }

    def clean_points(self):
        points = self.cleaned_data["points"]
        if points == 0:
            raise forms.ValidationError(_("Add or take off at least 0.1 points."))
        return points


MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


class MonthForm(forms.Form):
    """A month that has begun, as year-month (the county's ledger of every workstation)."""

    month = forms.CharField(
        label=_("Month"),
        widget=forms.TextInput(attrs={"type": "month"}),
        help_text=_("For example 2025-03."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("month", f"{today.year}-{today.month:02d}")

    def clean_month(self) -> tuple[int, int]:
        match = MONTH_RE.match(self.cleaned_data["month"].strip())
        if not match or not 1 <= int(match[2]) <= 12:
            raise forms.ValidationError(_("Enter a month as year-month, for example 2025-03."))
        year, month = int(match[1]), int(match[2])
        today = timezone.localdate()
        if (year, month) > (today.year, today.month) or year < 2000:
            raise forms.ValidationError(_("Choose a month that has begun."))
        return year, month


class LedgerForm(MonthForm):
    """Which workstation's monthly activity ledger to download."""

    workstation = forms.ModelChoiceField(
        label=_("Workstation"), queryset=Workstation.objects.none()
    )
    field_order = ["workstation", "month"]

    def __init__(self, *args, committee: Committee, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["workstation"]
        field.queryset = (
            Workstation.objects.for_committee(committee)
            .select_related("committee")
            .order_by("committee__name", "name")
        )
        if committee.level != Committee.Level.COUNTY:
            field.label_from_instance = lambda ws: f"{ws.committee.name} · {ws.name}"
