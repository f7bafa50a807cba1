"""Forms of the member workspace: activities, their review, consultations and outcomes.

They validate what was typed; the writes are the services' (``consultations.services``,
``outcomes.services``).
Dates use the phone's own date picker (``<input type="date">``), never a date in the future.
"""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.models import ActivityType, Consultation, PublicMessage
from consultations.services.activities import MediaLink
from members.models import Member, Membership
from outcomes.models import Outcome
from workstations.models import Workstation

from .access import my_workstations

MAX_MEDIA_LINKS = 5


class NativeDateInput(forms.DateInput):
    """The phone's date picker; ISO dates, no later than today."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].setdefault("max", timezone.localdate().isoformat())
        return context


def not_in_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."), code="future")
    return value


class TokenForm(forms.Form):
    """A form with a one-time token, so that posting it twice applies it once."""

    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("form_token", uuid.uuid4())
        super().__init__(*args, **kwargs)


def workstation_members(workstation: Workstation):
    """The members sitting in a workstation today, for pickers."""
    return (
        Member.objects.filter(
            memberships__in=Membership.objects.active().filter(workstation=workstation)
        )
        .distinct()
        .order_by("name")
    )


class ActivityForm(TokenForm):
    type = forms.ModelChoiceField(
        label=_("Type of activity"), queryset=ActivityType.objects.none(), empty_label=None
    )
    date = forms.DateField(label=_("Date"), widget=NativeDateInput, validators=[not_in_future])
    place = forms.CharField(
        label=_("Place"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Members who took part"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    residents_served = forms.IntegerField(
        label=_("Residents served"),
        min_value=0,
        max_value=100_000,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "pattern": "[0-9]*"}),
    )
    description = forms.CharField(
        label=_("What was done"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=100,
        required=False,
        help_text=_("Leave empty to name it after the type and the place."),
    )

    def __init__(self, *args, workstation: Workstation, submitting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.submitting = submitting
        self.fields["type"].queryset = ActivityType.objects.filter(
            committee=workstation.committee, is_active=True
        )
        self.fields["participants"].queryset = workstation_members(workstation)
        # Not needed for a draft, but needed to submit: the template does not call it optional.
        self.fields["description"].needed_to_submit = True

    def clean(self):
        cleaned = super().clean()
        if self.submitting and not (cleaned.get("description") or "").strip():
            self.add_error("description", _("Say briefly what was done before you submit."))
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "type": data["type"],
            "date": data["date"],
            "title": data["title"],
            "place": data["place"],
            "residents_served": data["residents_served"] or 0,
            "description": data["description"],
            "participants": list(data["participants"]),
        }


class MediaLinkForm(forms.Form):
    url = forms.URLField(
        label=_("Link to a media report"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"inputmode": "url", "placeholder": "https://"}),
    )
    title = forms.CharField(label=_("Headline"), max_length=150, required=False)


MediaLinkFormSet = forms.formset_factory(
    MediaLinkForm, extra=1, max_num=MAX_MEDIA_LINKS, validate_max=True
)


def media_links_from(formset) -> list[MediaLink]:
    return [
        MediaLink(url=f.cleaned_data["url"], title=f.cleaned_data.get("title", ""))
        for f in formset.forms
        if f.cleaned_data.get("url")
    ]


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the member"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConsultationOpenForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=150)
    topic_source = forms.ChoiceField(
        label=_("Where the topic came from"),
        choices=Consultation.TopicSource.choices,
        widget=forms.RadioSelect,
    )
    source_message = forms.ModelChoiceField(
        label=_("From a resident's message"),
        queryset=PublicMessage.objects.none(),
        required=False,
        empty_label=_("None"),
    )
    description = forms.CharField(
        label=_("Background"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    opened_on = forms.DateField(
        label=_("Opened on"), widget=NativeDateInput, validators=[not_in_future]
    )

    def __init__(self, *args, workstation: Workstation, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("opened_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["source_message"].queryset = (
            PublicMessage.objects.filter(workstation=workstation).visible().order_by("-created_at")
        )
        self.fields["source_message"].label_from_instance = lambda m: (
            f"{m.created_at:%Y-%m-%d} · {m.text[:40]}"
        )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("source_message")
            and cleaned.get("topic_source") != Consultation.TopicSource.RESIDENTS
        ):
            self.add_error(
                "topic_source",
                _("A topic from a resident's message is raised by residents."),
            )
        return cleaned


# What each step asks for besides its date and summary; labels say what the summary is.
STEP_FIELDS = {
    Consultation.Step.MEETING: ["members", "departments", "stakeholders", "residents_count"],
    Consultation.Step.SUBMISSION: ["submitted_to"],
    Consultation.Step.IMPLEMENTATION: ["problem_solved"],
    Consultation.Step.EVALUATION: ["problem_solved"],
}
SUMMARY_LABELS = {
    Consultation.Step.TOPIC: _("The topic and why it matters"),
    Consultation.Step.RESEARCH: _("What the research found"),
    Consultation.Step.MEETING: _("How the meeting went"),
    Consultation.Step.OPINIONS: _("The opinions formed"),
    Consultation.Step.SUBMISSION: _("What was submitted"),
    Consultation.Step.RESPONSE: _("The government's answer"),
    Consultation.Step.IMPLEMENTATION: _("What was put into effect"),
    Consultation.Step.EVALUATION: _("The evaluation"),
}


class ConsultationStepForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=NativeDateInput, validators=[not_in_future])
    summary = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 5}))
    members = forms.ModelMultipleChoiceField(
        label=_("Members taking part"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    departments = forms.CharField(label=_("Government departments"), max_length=300, required=False)
    stakeholders = forms.CharField(label=_("Stakeholders"), max_length=300, required=False)
    residents_count = forms.IntegerField(
        label=_("Residents taking part"),
        min_value=0,
        initial=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "pattern": "[0-9]*"}),
    )
    submitted_to = forms.CharField(label=_("Submitted to"), max_length=200, required=False)
    problem_solved = forms.BooleanField(label=_("The problem is solved"), required=False)
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("A PDF, Word, Excel or WPS file, or a photo; at most 15 MB."),
    )

    def __init__(self, *args, consultation: Consultation, step: int, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("date", timezone.localdate())
        kwargs["initial"].setdefault("problem_solved", consultation.problem_solved)
        super().__init__(*args, **kwargs)
        self.step = step
        keep = {"date", "summary", "attachment", *STEP_FIELDS.get(step, [])}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.fields["summary"].label = SUMMARY_LABELS.get(step, self.fields["summary"].label)
        if "members" in self.fields:
            self.fields["members"].queryset = workstation_members(consultation.workstation)
        if step == Consultation.Step.SUBMISSION:
            self.fields["submitted_to"].required = True

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {
            "step": self.step,
            "date": data["date"],
            "summary": data["summary"],
            "attachment": data.get("attachment") or None,
            "members": list(data.get("members") or []),
            "departments": data.get("departments", ""),
            "stakeholders": data.get("stakeholders", ""),
            "residents_count": data.get("residents_count") or 0,
            "submitted_to": data.get("submitted_to", ""),
        }
        if "problem_solved" in self.fields:
            kwargs["problem_solved"] = data.get("problem_solved", False)
        return kwargs


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
