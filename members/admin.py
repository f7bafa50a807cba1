"""Back office for the people: the member register, places in workstations, staff roles."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workstations.admin_base import CleanPhotoForm, TenantAdmin, TenantInline
from workstations.spreadsheets.admin import TenantImportExportMixin

from .models import Member, Membership, StaffRole
from .resources import MemberResource


class InWorkstationFilter(admin.SimpleListFilter):
    """ "全员入室": who sits in a workstation today, and who does not yet."""

    title = _("in a workstation")
    parameter_name = "in_workstation"

    def lookups(self, request, model_admin):
        return (("yes", _("Yes")), ("no", _("No")))

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return queryset
        seated = Membership.objects.active(timezone.localdate()).values("member")
        if self.value() == "yes":
            return queryset.filter(pk__in=seated)
        return queryset.exclude(pk__in=seated)


class MemberMembershipInline(TenantInline, admin.TabularInline):
    model = Membership
    fk_name = "member"
    extra = 1
    fields = ("workstation", "role", "since", "until")
    autocomplete_fields = ("workstation",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("workstation")


class MemberForm(CleanPhotoForm):
    photo_fields = {"photo": None}


@admin.register(Member)
class MemberAdmin(TenantImportExportMixin, TenantAdmin):
    resource_classes = [MemberResource]
    form = MemberForm
    list_display = (
        "name",
        "gender",
        "sector",
        "party",
        "level",
        "is_standing_committee",
        "workplace",
        "mobile",
        "committee",
        "is_active",
    )
    list_filter = (
        "is_active",
        InWorkstationFilter,
        "sector",
        "party",
        "level",
        "is_standing_committee",
        "gender",
        "committee",
    )
    search_fields = ("name", "mobile", "workplace", "title", "expertise", "id_number")
    list_select_related = ("sector", "committee")
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "committee",
                    "name",
                    ("gender", "birth_year"),
                    "sector",
                    "party",
                    ("level", "is_standing_committee"),
                    "is_active",
                )
            },
        ),
        (_("work"), {"fields": ("workplace", "title", "expertise")}),
        (_("public page"), {"fields": ("photo", "public_bio")}),
        (_("private"), {"fields": ("mobile", "id_number", "user")}),
        (None, {"fields": ("created_at", "updated_at")}),
    )
    inlines = (MemberMembershipInline,)


@admin.register(Membership)
class MembershipAdmin(TenantAdmin):
    list_display = ("member", "workstation", "role", "since", "until")
    list_filter = ("role", "workstation", "workstation__committee")
    search_fields = ("member__name", "member__mobile", "workstation__name")
    list_select_related = ("member", "workstation")
    autocomplete_fields = ("member", "workstation")
    date_hierarchy = "since"


@admin.register(StaffRole)
class StaffRoleAdmin(TenantAdmin):
    """Staff roles are a superuser's to give; an office administrator sees who has which."""

    list_display = ("user", "committee", "role", "can_import", "can_export")
    list_filter = ("role", "can_import", "can_export", "committee")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    list_select_related = ("user", "committee")
