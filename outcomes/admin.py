"""Back office for what comes of the work: outcomes, their trail and leaders' endorsements; the
rhythm requirements, point rules, assessment criteria and adjustments, and the reminders sent."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, OuterRef, Subquery, Sum
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from members.names import person_name
from workstations.admin_base import TenantAdmin, TenantInline, ensure_in_visible_committee
from workstations.models import Workstation
from workstations.spreadsheets.admin import TenantImportExportMixin

from . import tallies
from .models import (
    AssessmentAdjustment,
    AssessmentCriterion,
    Endorsement,
    Outcome,
    OutcomeEvent,
    PointRule,
    ReminderLog,
    Requirement,
)
from .resources import OutcomeResource
from .rhythm import period_containing
from .services.rhythm import REQUIREMENT_RULE_FIELDS, requirement_change


class OutcomeEventInline(TenantInline, admin.TabularInline):
    model = OutcomeEvent
    extra = 0
    fields = ("kind", "date", "adopted_by", "department", "measure", "money", "note")


class EndorsementInline(TenantInline, admin.TabularInline):
    model = Endorsement
    extra = 0
    fields = ("leader", "leader_title", "level", "date", "text")


@admin.register(Outcome)
class OutcomeAdmin(TenantImportExportMixin, TenantAdmin):
    tally_scope = tallies.scope_of
    tally_refresh = tallies.refresh_months
    resource_classes = [OutcomeResource]
    list_display = (
        "title",
        "kind",
        "status",
        "workstation",
        "committee",
        "submitted_on",
        "endorsement_count",
        "is_published",
    )
    list_filter = ("kind", "status", "is_published", "workstation", "committee")
    search_fields = ("title", "summary", "submitted_to", "authors__name")
    list_select_related = ("workstation", "committee")
    date_hierarchy = "submitted_on"
    autocomplete_fields = ("workstation", "consultation", "authors")
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("committee", "kind", "title", "workstation", "consultation")}),
        (None, {"fields": ("authors", "summary", "body")}),
        (
            _("typical case"),
            {
                "classes": ("collapse",),
                "fields": ("background", "participants_text", "process", "opinions", "effect"),
            },
        ),
        (
            None,
            {
                "fields": (
                    "status",
                    ("submitted_to", "submitted_on"),
                    "is_published",
                    ("created_at", "updated_at"),
                )
            },
        ),
    )
    inlines = (OutcomeEventInline, EndorsementInline)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(endorsement_count=Count("endorsements", distinct=True))
        )

    @admin.display(description=_("leaders' endorsements"), ordering="endorsement_count")
    def endorsement_count(self, obj) -> int:
        return obj.endorsement_count


@admin.register(Endorsement)
class EndorsementAdmin(TenantAdmin):
    """Every leader's endorsement across outcomes: the figure counties report each year."""

    tally_scope = tallies.scope_of
    tally_refresh = tallies.refresh_months

    list_display = ("leader", "leader_title", "level", "date", "outcome")
    list_filter = ("level", "outcome__committee")
    search_fields = ("leader", "leader_title", "text", "outcome__title")
    list_select_related = ("outcome",)
    date_hierarchy = "date"
    autocomplete_fields = ("outcome",)


# --- The rhythm, points and the yearly assessment -----------------------------------------------


def _committee_activity_types(form_class, committee_id: int | None) -> None:
    """Offer only the activity types of the object's own committee (not of the whole subtree
    a city's staff may see): a requirement or rule counts its own committee's records."""
    field = form_class.base_fields.get("activity_types") or form_class.base_fields.get(
        "activity_type"
    )
    if field is not None and committee_id is not None:
        field.queryset = field.queryset.filter(committee_id=committee_id)


def _types_of_other_committee(types, committee_id: int | None) -> bool:
    return committee_id is not None and any(t.committee_id != committee_id for t in types)


class RequirementForm(forms.ModelForm):
    # Stored as JSON lists; picked from the kinds, never typed.
    outcome_kinds = forms.MultipleChoiceField(
        label=_("outcome kinds"),
        choices=Outcome.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("For outcomes: only these kinds count. Leave empty for any kind."),
    )
    workstation_kinds = forms.MultipleChoiceField(
        label=_("applies to kinds"),
        choices=Workstation.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave empty to apply to every workstation."),
    )

    class Meta:
        model = Requirement
        fields = (
            "committee",
            "name",
            "order",
            "period",
            "counts",
            "minimum",
            "activity_types",
            "outcome_kinds",
            "workstation_kinds",
            "reminder_day",
            "effective_from",
            "effective_until",
        )
        widgets = {"activity_types": forms.CheckboxSelectMultiple}

    def clean(self):
        cleaned = super().clean()
        committee = cleaned.get("committee")
        committee_id = committee.pk if committee else self.instance.committee_id
        if _types_of_other_committee(cleaned.get("activity_types") or (), committee_id):
            self.add_error("activity_types", _("Pick activity types of the same committee."))
        if self.instance.pk:
            self._check_closed_periods(cleaned)
        return cleaned

    def _check_closed_periods(self, cleaned) -> None:
        """A closed period keeps its result: the end date cannot go back over one, and a new
        rule and a new end date are two steps (the rule starts a new version)."""
        if "effective_until" not in self.changed_data:
            return
        running = period_containing(self.instance.period, timezone.localdate())
        if self.instance.effective_from >= running.start:
            return  # no period under this version has closed yet
        until = cleaned.get("effective_until")
        last_closed = running.start - datetime.timedelta(days=1)
        if until is not None and until < last_closed:
            self.add_error(
                "effective_until",
                _("Periods already closed keep their result: end it on %(date)s or later.")
                % {"date": date_format(last_closed)},
            )
        rule_fields = {*REQUIREMENT_RULE_FIELDS, "activity_types"}
        if rule_fields & set(self.changed_data):
            self.add_error(
                "effective_until",
                _("Save the new rule first, then the end date: the rule starts a new version."),
            )


@admin.register(Requirement)
class RequirementAdmin(TenantAdmin):
    """The rhythm ("一月一活动、一季一议事、一年一报告"). A change to the rule of a requirement
    with a closed period goes through ``requirement_change``: the old version ends and a new one
    begins, so the closed periods keep their result."""

    form = RequirementForm
    list_display = (
        "name",
        "committee",
        "period",
        "counts",
        "minimum",
        "effective_from",
        "effective_until",
        "reminder_day",
    )
    list_filter = ("period", "counts", "committee")
    search_fields = ("name",)
    list_select_related = ("committee",)
    fieldsets = (
        (None, {"fields": ("committee", "name", "order")}),
        (
            _("rule"),
            {"fields": ("period", "counts", "minimum", "activity_types", "outcome_kinds")},
        ),
        (None, {"fields": ("workstation_kinds", "reminder_day")}),
        (_("in force"), {"fields": (("effective_from", "effective_until"),)}),
    )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly.append("committee")
            running = period_containing(obj.period, timezone.localdate())
            if obj.effective_from < running.start:  # a period under it has closed
                readonly.append("effective_from")
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        _committee_activity_types(form, obj.committee_id if obj else None)
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        # The form has already written the new values onto ``obj``; the service compares them
        # with the version as stored.
        stored = Requirement.objects.get(pk=obj.pk)
        changes = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name != "activity_types" and name in form.cleaned_data
        }
        types = None
        if "activity_types" in form.cleaned_data:
            types = list(form.cleaned_data["activity_types"])
            for picked in types:
                ensure_in_visible_committee(request, picked)
        obj._history_user = request.user
        current = requirement_change(requirement=stored, changes=changes, activity_types=types)
        if current.pk != stored.pk:
            request._requirement_in_force = current
            messages.info(
                request,
                gettext(
                    "Periods already closed keep their result: the rule as it was applies until "
                    "%(until)s, and a new version applies from %(start)s."
                )
                % {
                    "until": date_format(current.effective_from - datetime.timedelta(days=1)),
                    "start": date_format(current.effective_from),
                },
            )

    def save_related(self, request, form, formsets, change):
        if not change:
            super().save_related(request, form, formsets, change)
        # On a change the activity types went through requirement_change with the rest.

    def response_change(self, request, obj):
        current = getattr(request, "_requirement_in_force", None)
        response = super().response_change(request, current or obj)
        if current is not None and "_continue" in request.POST:
            # "Save and continue" opens the version now in force, not the one just ended.
            opts = self.opts
            response = HttpResponseRedirect(
                reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_change",
                    args=[current.pk],
                    current_app=self.admin_site.name,
                )
            )
        return response


class PointRuleForm(forms.ModelForm):
    class Meta:
        model = PointRule
        fields = (
            "committee",
            "basis",
            "activity_type",
            "outcome_kind",
            "endorsement_level",
            "points",
        )

    def clean(self):
        cleaned = super().clean()
        basis = cleaned.get("basis")
        B = PointRule.Basis
        committee = cleaned.get("committee")
        committee_id = committee.pk if committee else self.instance.committee_id
        activity_type = cleaned.get("activity_type")
        if activity_type and basis != B.ACTIVITY:
            self.add_error("activity_type", _("An activity type applies to activities only."))
        elif activity_type and _types_of_other_committee([activity_type], committee_id):
            self.add_error("activity_type", _("Pick an activity type of the same committee."))
        if cleaned.get("outcome_kind") and basis != B.OUTCOME_SUBMITTED:
            self.add_error("outcome_kind", _("An outcome kind applies to submitted outcomes only."))
        if cleaned.get("endorsement_level") and basis != B.ENDORSEMENT:
            self.add_error("endorsement_level", _("A level applies to endorsements only."))
        return cleaned


@admin.register(PointRule)
class PointRuleAdmin(TenantAdmin):
    form = PointRuleForm
    list_display = (
        "basis",
        "activity_type",
        "outcome_kind",
        "endorsement_level",
        "points",
        "committee",
    )
    list_filter = ("basis", "committee")
    list_select_related = ("committee", "activity_type")
    fields = ("committee", "basis", "activity_type", "outcome_kind", "endorsement_level", "points")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "committee"] if obj is not None else readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        _committee_activity_types(form, obj.committee_id if obj else None)
        return form


@admin.register(AssessmentCriterion)
class AssessmentCriterionAdmin(TenantAdmin):
    """The yearly assessment's criteria. Weights are points out of 100; the list shows each
    committee's sum and warns when it is not 100."""

    list_display = ("metric", "weight", "weight_sum", "committee")
    list_filter = ("committee",)
    list_select_related = ("committee",)
    fields = ("committee", "metric", "weight")

    def get_queryset(self, request):
        sums = (
            AssessmentCriterion.objects.filter(committee=OuterRef("committee"))
            .order_by()
            .values("committee")
            .annotate(total=Sum("weight"))
            .values("total")
        )
        return super().get_queryset(request).annotate(weight_sum=Subquery(sums))

    @admin.display(description=_("sum of the committee's weights"), ordering="weight_sum")
    def weight_sum(self, obj) -> int:
        return obj.weight_sum

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "committee"] if obj is not None else readonly

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            sums = (
                self.get_queryset(request)
                .order_by()
                .values("committee__name")
                .annotate(total=Sum("weight"))
                .exclude(total=100)
            )
            for row in sums:
                messages.warning(
                    request,
                    gettext("The weights of %(committee)s add up to %(total)d, not 100.")
                    % {"committee": row["committee__name"], "total": row["total"]},
                )
        return super().changelist_view(request, extra_context)


@admin.register(AssessmentAdjustment)
class AssessmentAdjustmentAdmin(TenantAdmin):
    """Points staff add to or take off a workstation's yearly score, each with its reason.

    Who made it is the signed-in account; once made, an adjustment is a record: it is not
    edited (a mistake is put right by another adjustment, with its own reason).
    """

    list_display = ("workstation", "year", "points", "short_reason", "made_by_name", "made_at")
    list_filter = ("year", "workstation__committee")
    search_fields = ("workstation__name", "reason")
    list_select_related = ("workstation", "made_by__member")
    autocomplete_fields = ("workstation",)
    fields = ("workstation", "year", "points", "reason", "made_by_name", "made_at")
    readonly_fields = ("made_by_name", "made_at")
    committee_columns = ("workstation__committee",)

    @admin.display(description=_("made by"), ordering="made_by__username")
    def made_by_name(self, obj) -> str:
        return person_name(obj.made_by) or "—"

    @admin.display(description=_("reason"))
    def short_reason(self, obj) -> str:
        return Truncator(obj.reason).chars(60)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("year", timezone.localdate().year)
        return initial

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return self.fields
        return self.readonly_fields

    def has_change_permission(self, request, obj=None):
        if obj is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def save_model(self, request, obj, form, change):
        if not change:
            obj.made_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ReminderLog)
class ReminderLogAdmin(TenantAdmin):
    """The reminders ``send_rhythm_reminders`` sent, to look up; nobody writes here."""

    list_display = ("sent_at", "workstation", "requirement", "period_start", "recipients")
    list_filter = ("period_start", "requirement")
    search_fields = ("workstation__name", "recipients")
    list_select_related = ("workstation", "requirement")
    date_hierarchy = "sent_at"
    # The reminders keep no history of their own: Django's own log answers the history link.
    object_history_template = "admin/object_history.html"

    def get_queryset(self, request):
        # A reminder has no tenant queryset of its own: it belongs where its requirement does.
        requirements = Requirement.objects.visible_to(request.user)
        return super().get_queryset(request).filter(requirement__in=requirements)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def history_view(self, request, object_id, extra_context=None):
        self.get_object(request, object_id)  # 404 unless visible
        return admin.ModelAdmin.history_view(self, request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        raise Http404
