"""The outcome form of the member workspace."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from consultations.models import Consultation
from consultations.workspace.access import my_workstations
from consultations.workspace.forms import TokenForm
from members.models import Member, Membership

from ..models import Outcome


class OutcomeForm(TokenForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Outcome.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=150)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The problem and what you propose, in a few sentences."),
    )
    body = forms.CharField(
        label=_("Full text"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    workstation = forms.ModelChoiceField(
        label=_("Workstation"), queryset=None, required=False, empty_label=_("None")
    )
    consultation = forms.ModelChoiceField(
        label=_("From the consultation"),
        queryset=None,
        required=False,
        empty_label=_("None"),
    )
    co_authors = forms.ModelMultipleChoiceField(
        label=_("Co-authors"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    submitted_to = forms.CharField(
        label=_("To be submitted to"),
        max_length=200,
        required=False,
        help_text=_("For example the committee office or a government department."),
    )

    def __init__(self, *args, member: Member, outcome: Outcome | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        workstations = my_workstations(member)
        self.fields["workstation"].queryset = workstations
        self.fields["consultation"].queryset = Consultation.objects.filter(
            workstation__in=workstations
        ).order_by("-opened_on")
        # Co-authors: the members the author sits with, and any co-author already named.
        colleagues = Membership.objects.active().filter(workstation__in=workstations)
        named = outcome.authors.all() if outcome else Member.objects.none()
        self.fields["co_authors"].queryset = (
            (
                Member.objects.filter(committee=member.committee, is_active=True).filter(
                    pk__in=colleagues.values("member_id")
                )
                | named
            )
            .exclude(pk=member.pk)
            .distinct()
            .order_by("name")
        )

    def clean(self):
        cleaned = super().clean()
        consultation, workstation = cleaned.get("consultation"), cleaned.get("workstation")
        if consultation and not workstation:
            cleaned["workstation"] = consultation.workstation
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"],
            "summary": data["summary"],
            "body": data["body"],
            "workstation": data.get("workstation"),
            "consultation": data.get("consultation"),
            "co_authors": list(data["co_authors"]),
            "submitted_to": data["submitted_to"],
        }
