"""Back office for what happens: activity types, activities, consultations, residents' messages."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from members.names import person_name
from workstations.admin_base import CleanPhotoForm, TenantAdmin, TenantInline, ensure_visible
from workstations.spreadsheets.admin import TenantImportExportMixin

from . import tallies
from .models import (
    Activity,
    ActivityPhoto,
    ActivityReview,
    ActivityType,
    Consultation,
    ConsultationStep,
    MediaReport,
    PublicMessage,
)
from .resources import ActivityResource
from .services import activities as activity_services
from .services import consultations as consultation_services
from .services import messages as message_services


@admin.register(ActivityType)
class ActivityTypeAdmin(TenantAdmin):
    list_display = ("name", "code", "is_five_micro", "is_active", "order", "committee")
    list_filter = ("is_active", "is_five_micro", "committee")
    search_fields = ("name", "code")
    list_select_related = ("committee",)


class ActivityPhotoForm(CleanPhotoForm):
    photo_fields = {"image": "thumbnail"}


class ActivityPhotoInline(TenantInline, admin.TabularInline):
    model = ActivityPhoto
    form = ActivityPhotoForm
    extra = 1
    fields = ("image", "caption", "order")


class ActivityMediaReportInline(TenantInline, admin.TabularInline):
    model = MediaReport
    fk_name = "activity"
    extra = 0
    fields = ("outlet", "title", "url", "published_on")


class ActivityReviewInline(TenantInline, admin.TabularInline):
    """The review trail, written by the services (submit, return, approve); read here."""

    model = ActivityReview
    extra = 0
    fields = ("action", "at", "by_name", "comment")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by__member")

    @admin.display(description=_("by"))
    def by_name(self, obj) -> str:
        return person_name(obj.by)


@admin.register(Activity)
class ActivityAdmin(TenantImportExportMixin, TenantAdmin):
    tally_scope = tallies.scope_of
    tally_refresh = tallies.refresh_months
    resource_classes = [ActivityResource]
    list_display = (
        "title",
        "date",
        "workstation",
        "type",
        "status",
        "residents_served",
        "author",
    )
    list_filter = ("status", "type", "workstation", "workstation__committee")
    search_fields = ("title", "place", "description", "workstation__name", "author__name")
    list_select_related = ("workstation", "type", "author")
    date_hierarchy = "date"
    autocomplete_fields = ("workstation", "participants", "author")
    # The status moves through the review services (the action below, the convener's queue),
    # so that every step is in the activity's review trail.
    readonly_fields = (
        "status",
        "review_comment",
        "submitted_at",
        "approved_at",
        "approved_by_name",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("workstation", "type", "title", "date", "place")}),
        (None, {"fields": ("participants", "residents_served", "description", "author")}),
        (
            None,
            {
                "fields": (
                    "status",
                    "review_comment",
                    ("submitted_at", "approved_at", "approved_by_name"),
                    ("created_at", "updated_at"),
                )
            },
        ),
    )
    inlines = (ActivityPhotoInline, ActivityMediaReportInline, ActivityReviewInline)
    actions = ("approve",)

    @admin.display(description=_("approved by"))
    def approved_by_name(self, obj) -> str:
        return person_name(obj.approved_by) or "—"

    @admin.action(
        description=_("Approve and publish the selected activities"), permissions=["change"]
    )
    def approve(self, request, queryset):
        """Approve what waits for review; an activity the office logged itself (no member as
        its author) is submitted and approved at once. A member's draft is left to its member."""
        approved = skipped = 0
        for activity in queryset:
            try:
                office_draft = activity.author_id is None and activity.status in (
                    Activity.Status.DRAFT,
                    Activity.Status.RETURNED,
                )
                if office_draft:
                    activity_services.activity_submit(activity=activity, by=request.user)
                if activity.status != Activity.Status.SUBMITTED:
                    skipped += 1
                    continue
                activity_services.activity_approve(activity=activity, by=request.user)
            except ValidationError:
                skipped += 1
                continue
            self.log_change(request, activity, [{"changed": {"fields": ["status"]}}])
            approved += 1
        self.message_user(
            request,
            ngettext("%(count)d activity approved.", "%(count)d activities approved.", approved)
            % {"count": approved},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d activity was not waiting for review and was left as it was.",
                    "%(count)d activities were not waiting for review and were left as they were.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )


class ConsultationStepForm(forms.ModelForm):
    def clean_attachment(self):
        attachment = self.cleaned_data.get("attachment")
        if isinstance(attachment, UploadedFile):
            consultation_services.attachment_check(attachment)
        return attachment


class ConsultationStepInline(TenantInline, admin.StackedInline):
    model = ConsultationStep
    form = ConsultationStepForm
    extra = 0
    fields = (
        ("step", "date"),
        "summary",
        "members",
        ("departments", "stakeholders"),
        ("residents_count", "submitted_to"),
        "attachment",
    )
    autocomplete_fields = ("members",)


class ConsultationMediaReportInline(TenantInline, admin.TabularInline):
    model = MediaReport
    fk_name = "consultation"
    extra = 0
    fields = ("outlet", "title", "url", "published_on")


@admin.register(Consultation)
class ConsultationAdmin(TenantAdmin):
    tally_scope = tallies.scope_of
    tally_refresh = tallies.refresh_months
    list_display = (
        "topic",
        "workstation",
        "topic_source",
        "stage",
        "opened_on",
        "problem_solved",
        "is_published",
    )
    list_filter = (
        "stage",
        "topic_source",
        "problem_solved",
        "is_published",
        "workstation",
        "workstation__committee",
    )
    search_fields = ("topic", "description", "workstation__name")
    list_select_related = ("workstation",)
    date_hierarchy = "opened_on"
    autocomplete_fields = ("workstation", "opened_by", "source_message")
    readonly_fields = ("created_at", "updated_at")
    inlines = (ConsultationStepInline, ConsultationMediaReportInline)


class PublicMessageForm(forms.ModelForm):
    """The office answers, closes or hides a message; the rules are the services'."""

    class Meta:
        model = PublicMessage
        fields = ("status", "reply")

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and not self.errors:
            stored = PublicMessage.objects.get(pk=self.instance.pk)
            try:
                message_services.message_check_change(
                    message=stored, status=cleaned.get("status"), reply=cleaned.get("reply")
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
        return cleaned


class WaitingFilter(admin.SimpleListFilter):
    """The messages still waiting for an answer, and those waiting more than a week (the admin
    index's "Waiting" panel links here)."""

    title = _("waiting for an answer")
    parameter_name = "waiting"
    UNANSWERED, OVERDUE = "unanswered", "overdue"

    def lookups(self, request, model_admin):
        return (
            (self.UNANSWERED, _("Not yet answered")),
            (
                self.OVERDUE,
                _("Unanswered for more than %(days)d days")
                % {"days": PublicMessage.OVERDUE_AFTER_DAYS},
            ),
        )

    def queryset(self, request, queryset):
        if self.value() == self.UNANSWERED:
            return queryset.unanswered()
        if self.value() == self.OVERDUE:
            return queryset.overdue()
        return queryset


@admin.register(PublicMessage)
class PublicMessageAdmin(TenantAdmin):
    """Residents leave messages on the public pages; the office moderates and answers them
    (through ``message_update``, the same service the workspace will use)."""

    form = PublicMessageForm
    tally_scope = tallies.scope_of
    tally_refresh = tallies.refresh_months

    list_display = ("tracking_code", "workstation", "category", "status", "created_at", "rating")
    list_filter = (WaitingFilter, "status", "category", "workstation", "workstation__committee")
    search_fields = ("tracking_code", "name", "text", "workstation__name")
    list_select_related = ("workstation",)
    date_hierarchy = "created_at"
    # What the resident wrote and how they rated the answer are theirs, not the office's.
    readonly_fields = (
        "tracking_code",
        "workstation",
        "name",
        "mobile",
        "category",
        "text",
        "reply_may_be_published",
        "created_at",
        "replied_at",
        "closed_at",
        "rating",
        "rated_at",
    )
    fields = (
        ("tracking_code", "created_at"),
        ("workstation", "category"),
        ("name", "mobile"),
        "text",
        "reply_may_be_published",
        "status",
        "reply",
        ("replied_at", "closed_at"),
        ("rating", "rated_at"),
    )

    actions = ("open_consultation",)

    def has_add_permission(self, request):
        return False

    def has_open_consultation_permission(self, request) -> bool:
        return request.user.has_perm("consultations.add_consultation")

    @admin.action(
        description=_("Open a consultation on each selected message"),
        permissions=["open_consultation"],
    )
    def open_consultation(self, request, queryset):
        """群众出题: each message becomes a consultation topic at its workstation, unpublished."""
        opened = 0
        for message in queryset.select_related("workstation"):
            message_services.message_to_consultation(message=message)
            opened += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d consultation opened; read its topic before you publish it.",
                "%(count)d consultations opened; read their topics before you publish them.",
                opened,
            )
            % {"count": opened},
            messages.SUCCESS,
        )

    def save_model(self, request, obj, form, change):
        ensure_visible(request, obj)
        message_services.message_update(
            message=obj,
            status=form.cleaned_data["status"],
            reply=form.cleaned_data["reply"],
            by=request.user,
        )
