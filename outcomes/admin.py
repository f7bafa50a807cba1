"""Back office for what comes of the work: outcomes, their trail and leaders' endorsements."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from config.import_export import TenantImportExportMixin
from workstations.admin_base import TenantAdmin, TenantInline

from .models import Endorsement, Outcome, OutcomeEvent
from .resources import OutcomeResource


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

    list_display = ("leader", "leader_title", "level", "date", "outcome")
    list_filter = ("level", "outcome__committee")
    search_fields = ("leader", "leader_title", "text", "outcome__title")
    list_select_related = ("outcome",)
    date_hierarchy = "date"
    autocomplete_fields = ("outcome",)
