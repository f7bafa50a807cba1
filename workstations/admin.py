"""Back office for the organisation: areas, sectors, standards and their checks, and the parts
of a workstation's page that are the organisation's own (photos, standard checks).

The committee and workstation admins compose several apps (a new committee's defaults span
every app; a workstation's page lists who sits in it): they live in ``config.admin``."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .admin_base import CleanPhotoForm, TenantAdmin, TenantInline
from .models import (
    Area,
    Sector,
    Standard,
    StandardCheck,
    StandardItem,
    WorkstationPhoto,
)


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


class StandardCheckInline(TenantInline, admin.TabularInline):
    model = StandardCheck
    form = StandardCheckForm
    extra = 0
    fields = ("item", "state", "evidence", "note", "checked_on")
