"""Forms of the public pages about workstations: the list's filter and the brand's search."""

from __future__ import annotations

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from .models import Area, Committee, Sector, Workstation, WorkstationQuerySet


class AreaChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, committee: Committee, **kwargs):
        self.committee = committee
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Area) -> str:
        # On a city or province page, towns of several counties share the list.
        if obj.committee_id != self.committee.pk:
            return f"{obj.committee.name} · {obj.name}"
        return obj.name


class WorkstationFilterForm(forms.Form):
    """Filter a brand's published workstations by town, sector and kind (a GET form).

    Only towns and sectors that have a published workstation are offered.
    """

    town = AreaChoiceField(
        label=_("Town or subdistrict"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("All towns"),
        committee=None,
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.none(),
        required=False,
        empty_label=_("All sectors"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *Workstation.Kind.choices],
        required=False,
    )

    def __init__(self, *args, committee: Committee, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["town"].committee = committee
        self.fields["town"].queryset = (
            Area.objects.for_committee(committee)
            .filter(parent__isnull=True)
            .filter(
                Exists(
                    Workstation.objects.published().filter(
                        Q(area=OuterRef("pk")) | Q(area__parent=OuterRef("pk"))
                    )
                )
            )
            .select_related("committee")
            .order_by("committee__name", "order", "name")
        )
        self.fields["sector"].queryset = (
            Sector.objects.for_committee(committee)
            .filter(Exists(Workstation.objects.published().filter(sector=OuterRef("pk"))))
            .order_by("committee__name", "order", "name")
        )

    def filter(self, queryset: WorkstationQuerySet) -> WorkstationQuerySet:
        """Apply the valid choices; an invalid form filters nothing (its errors are shown)."""
        if not self.is_bound or not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data.get("town"):
            queryset = queryset.filter(Q(area=data["town"]) | Q(area__parent=data["town"]))
        if data.get("sector"):
            queryset = queryset.filter(sector=data["sector"])
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        return queryset


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False, strip=True)
    type = forms.ChoiceField(
        choices=[
            ("workstations", _("Workstations")),
            ("activities", _("Activities")),
            ("outcomes", _("Outcomes")),
        ],
        required=False,
    )
