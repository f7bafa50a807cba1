"""Back office for the organisation: committees, areas, sectors, workstations and standards."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.import_export import TenantImportExportMixin

# The admin composes the apps: a workstation's page lists who sits in it, although the
# membership model lives in the app above.
from members.models import Membership

from .admin_base import CleanPhotoForm, TenantAdmin, TenantInline
from .models import (
    Area,
    Committee,
    Sector,
    Standard,
    StandardCheck,
    StandardItem,
    Workstation,
    WorkstationPhoto,
)
from .resources import WorkstationResource
from .tenancy import committee_of_user


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
            # The one upward call: a committee's defaults span every app, so the set-up lives
            # in the top app's services.
            from outcomes.services import committee_seed_defaults

            committee_seed_defaults(committee=obj)


@admin.register(Area)
class AreaAdmin(TenantAdmin):
    list_display = ("name", "kind", "parent", "committee", "order")
    list_filter = ("kind", "committee")
    search_fields = ("name",)
    list_select_related = ("parent", "committee")
    ordering = ("committee", "order", "name")


@admin.register(Sector)
class SectorAdmin(TenantAdmin):
    list_display = ("name", "order", "committee")
    list_filter = ("committee",)
    search_fields = ("name",)
    list_select_related = ("committee",)


class StandardItemInline(TenantInline, admin.TabularInline):
    model = StandardItem
    extra = 1
    fields = ("name", "description", "order")


@admin.register(Standard)
class StandardAdmin(TenantAdmin):
    list_display = ("name", "committee", "item_count", "order")
    list_filter = ("committee",)
    search_fields = ("name", "description")
    list_select_related = ("committee",)
    inlines = (StandardItemInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("items"))

    @admin.display(description=_("standard items"), ordering="item_count")
    def item_count(self, obj) -> int:
        return obj.item_count


class StandardCheckForm(CleanPhotoForm):
    photo_fields = {"evidence": None}


@admin.register(StandardCheck)
class StandardCheckAdmin(TenantAdmin):
    form = StandardCheckForm
    list_display = ("workstation", "item", "state", "checked_on")
    list_filter = ("state", "item__standard", "workstation__committee")
    search_fields = ("workstation__name", "item__name", "note")
    list_select_related = ("workstation", "item__standard")
    autocomplete_fields = ("workstation",)
    date_hierarchy = "checked_on"


class WorkstationPhotoForm(CleanPhotoForm):
    photo_fields = {"image": None}


class WorkstationPhotoInline(TenantInline, admin.TabularInline):
    model = WorkstationPhoto
    form = WorkstationPhotoForm
    extra = 1
    fields = ("image", "caption", "order")


class WorkstationMembershipInline(TenantInline, admin.TabularInline):
    model = Membership
    extra = 1
    fields = ("member", "role", "since", "until")
    autocomplete_fields = ("member",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member")


class StandardCheckInline(TenantInline, admin.TabularInline):
    model = StandardCheck
    form = StandardCheckForm
    extra = 0
    fields = ("item", "state", "evidence", "note", "checked_on")


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
        return (
            super()
            .get_queryset(request)
            .annotate(member_count=Count("memberships", filter=in_force, distinct=True))
        )

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj) -> int:
        return obj.member_count

    def _set_published(self, request, queryset, published: bool) -> int:
        # One save per workstation rather than update(), so each change is in the history.
        changed = 0
        for workstation in queryset.filter(is_published=not published):
            workstation.is_published = published
            workstation.save(update_fields=["is_published", "updated_at"])
            self.log_change(request, workstation, [{"changed": {"fields": ["is_published"]}}])
            changed += 1
        return changed

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
