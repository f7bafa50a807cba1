"""The back-office admin classes that compose several apps.

- A committee: a new one is seeded with the defaults of every app (``committee_seed_defaults``).
- A workstation: its page lists who sits in it (memberships, from ``members``) beside its
  photos and standard checks.

Every other model's admin lives in its own app.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from members.models import Membership
from outcomes.services.setup import committee_seed_defaults
from workstations.admin import StandardCheckInline, WorkstationPhotoInline
from workstations.admin_base import TenantAdmin, TenantInline
from workstations.models import Committee, Workstation
from workstations.resources import WorkstationResource
from workstations.services import workstation_published_changed, workstations_set_published
from workstations.spreadsheets.admin import TenantImportExportMixin
from workstations.tenancy import committee_of_user


@admin.register(Committee)
class CommitteeAdmin(TenantAdmin):
    """The tree of committees is a superuser's; an office administrator edits its own brand."""

    list_display = ("name", "level", "parent", "brand_name", "slug")
    list_filter = ("level",)
    search_fields = ("name", "brand_name", "slug")
    list_select_related = ("parent",)
    fieldsets = (
        (None, {"fields": ("name", "level", "parent", "slug")}),
        (
            _("brand"),
            {"fields": ("brand_name", "slogan", "logo", "brand_colour", "intro")},
        ),
        (_("contact"), {"fields": ("address", "phone", "created_at")}),
        (_("residents' messages"), {"fields": ("messages_close_after_days",)}),
    )
    committee_columns = ()

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ("created_at",)
        return ("name", "level", "parent", "slug", "created_at")

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or request.user.is_superuser:
            return True
        own = committee_of_user(request.user)
        return own is not None and own.pk == obj.pk

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            committee_seed_defaults(committee=obj)


class WorkstationMembershipInline(TenantInline, admin.TabularInline):
    model = Membership
    extra = 1
    fields = ("member", "role", "since", "until")
    autocomplete_fields = ("member",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member")


@admin.register(Workstation)
class WorkstationAdmin(TenantImportExportMixin, TenantAdmin):
    resource_classes = [WorkstationResource]
    list_display = (
        "name",
        "kind",
        "category",
        "area",
        "sector",
        "committee",
        "member_count",
        "is_published",
    )
    list_filter = ("is_published", "kind", "category", "area", "sector", "committee")
    search_fields = ("name", "address", "theme", "area__name", "phone")
    list_select_related = ("committee", "area", "sector")
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("committee", "name", "slug", "kind", "category", "theme")}),
        (_("where"), {"fields": ("area", "sector", "address", ("latitude", "longitude"))}),
        (
            _("reception"),
            {"fields": ("opening_hours", "reception_hours", "phone", "intro")},
        ),
        (None, {"fields": ("is_published", "established_on", "created_at", "updated_at")}),
    )
    inlines = (WorkstationMembershipInline, WorkstationPhotoInline, StandardCheckInline)
    actions = ("publish", "unpublish")

    def get_queryset(self, request):
        today = timezone.localdate()
        in_force = (Q(memberships__since__isnull=True) | Q(memberships__since__lte=today)) & (
            Q(memberships__until__isnull=True) | Q(memberships__until__gte=today)
        )
        # An aggregate drops the model's default ordering: named again, so that the list and
        # the autocomplete's pages come in the same order every time.
        return (
            super()
            .get_queryset(request)
            .annotate(member_count=Count("memberships", filter=in_force, distinct=True))
            .order_by(*Workstation._meta.ordering)
        )

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj) -> int:
        return obj.member_count

    def _set_published(self, request, queryset, published: bool) -> int:
        changing = list(queryset.filter(is_published=not published))
        count = workstations_set_published(workstations=changing, published=published)
        for workstation in changing:
            self.log_change(request, workstation, [{"changed": {"fields": ["is_published"]}}])
        return count

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "is_published" in form.changed_data:
            workstation_published_changed(committee_ids=[obj.committee_id])

    @admin.action(description=_("Publish the selected workstations"), permissions=["change"])
    def publish(self, request, queryset):
        count = self._set_published(request, queryset, True)
        self.message_user(
            request,
            ngettext("%(count)d workstation published.", "%(count)d workstations published.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish the selected workstations"), permissions=["change"])
    def unpublish(self, request, queryset):
        count = self._set_published(request, queryset, False)
        self.message_user(
            request,
            ngettext(
                "%(count)d workstation unpublished.", "%(count)d workstations unpublished.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )
