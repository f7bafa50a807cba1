"""Spreadsheet columns of the workstation register (django-import-export).

A row is matched to a stored workstation by its name within the importing committee; a new
workstation without a web address gets one from the pinyin of its name.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workstations.spreadsheets.cells import name_key
from workstations.spreadsheets.resources import Column, TenantResource, committee_column
from workstations.spreadsheets.widgets import (
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    NamedForeignKeyWidget,
    TextWidget,
    YesNoWidget,
)

from .models import Area, Sector, Workstation
from .services import workstation_published_changed
from .slugs import workstation_slug

Kind, Category = Workstation.Kind, Workstation.Category

KIND_LABELS = {
    Kind.MEMBER_WORKSTATION: "委员工作室",
    Kind.SECTOR_ROOM: "界别活动室",
    Kind.CONSULTATION_ROOM: "协商议事室",
    Kind.LIAISON_OFFICE: "委员联络室",
    Kind.ACTIVITY_CENTRE: "委员活动中心",
}
KIND_ALIASES = {
    "工作室": Kind.MEMBER_WORKSTATION,
    "活动室": Kind.SECTOR_ROOM,
    "议事室": Kind.CONSULTATION_ROOM,
    "联络室": Kind.LIAISON_OFFICE,
    "活动中心": Kind.ACTIVITY_CENTRE,
}
CATEGORY_LABELS = {
    Category.AREA: "区域",
    Category.SECTOR: "界别",
    Category.FEATURED: "特色",
    Category.PERSONAL: "个人",
    Category.ONLINE: "线上",
}
CATEGORY_ALIASES = {f"{label}型": code for code, label in CATEGORY_LABELS.items()}


class WorkstationResource(TenantResource):
    sheet_title = "工作室名册"
    trusted_fields = ("committee", "area", "sector")
    validate_in_db = False  # names and web addresses are checked against the register below

    name = Column(
        "name",
        "名称",
        TextWidget(),
        required=True,
        aliases=("工作室名称",),
        help_text=gettext_lazy(
            "The name on the workstation's sign, unique in the committee. A row with the name "
            "of a workstation already in the register updates it."
        ),
    )
    kind = Column(
        "kind",
        "类型",
        ChoiceWidget(KIND_LABELS, KIND_ALIASES),
        required=True,
        help_text=gettext_lazy("The kind of place."),
    )
    category = Column(
        "category",
        "类别",
        ChoiceWidget(CATEGORY_LABELS, CATEGORY_ALIASES),
        required=True,
        help_text=gettext_lazy("How it is organised; a workstation by sector needs its sector."),
    )
    area = Column(
        "area",
        "所属区域",
        NamedForeignKeyWidget(Area),
        aliases=("所属镇街", "区域"),
        help_text=gettext_lazy("A town, subdistrict, village or community of the committee."),
    )
    sector = Column(
        "sector",
        "界别",
        NamedForeignKeyWidget(Sector),
        aliases=("所属界别",),
        help_text=gettext_lazy("A sector of the committee, as named in its list of sectors."),
    )
    theme = Column(
        "theme",
        "特色主题",
        TextWidget(),
        help_text=gettext_lazy("For featured workstations."),
    )
    address = Column("address", "地址", TextWidget(), help_text=gettext_lazy("Street address."))
    opening_hours = Column(
        "opening_hours", "开放时间", TextWidget(), help_text=gettext_lazy("When it is open.")
    )
    reception_hours = Column(
        "reception_hours",
        "接待时间",
        TextWidget(),
        aliases=("接待日",),
        help_text=gettext_lazy(
            "When members receive the public, e.g. the 15th of every month, 9:00–11:30."
        ),
    )
    phone = Column("phone", "联系电话", TextWidget(), help_text=gettext_lazy("Contact telephone."))
    established_on = Column(
        "established_on",
        "成立日期",
        DateWidget(),
        help_text=gettext_lazy("A date such as 2024-05-01."),
    )
    is_published = Column(
        "is_published",
        "是否公开",
        YesNoWidget(),
        saves_null_values=False,
        help_text=gettext_lazy("Shown on the public pages or not; blank keeps it as it is."),
    )
    latitude = Column(
        "latitude", "纬度", DecimalWidget(), help_text=gettext_lazy("For the map, optional.")
    )
    longitude = Column(
        "longitude", "经度", DecimalWidget(), help_text=gettext_lazy("For the map, optional.")
    )
    intro = Column("intro", "简介", TextWidget(), help_text=gettext_lazy("Introduction."))
    slug = Column(
        "slug",
        "网址标识",
        TextWidget(keep_blank=True),
        saves_null_values=False,
        help_text=gettext_lazy(
            "Letters, digits and dashes for the public address; blank: made from the name."
        ),
    )
    committee_name = committee_column()

    class Meta:
        model = Workstation
        fields = (
            "name",
            "kind",
            "category",
            "area",
            "sector",
            "theme",
            "address",
            "opening_hours",
            "reception_hours",
            "phone",
            "established_on",
            "is_published",
            "latitude",
            "longitude",
            "intro",
            "slug",
            "committee_name",
        )

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        register = Workstation.objects.filter(committee=self.committee).select_related(
            "area", "sector"
        )
        self._by_name = {}
        self._slug_owner = {}
        for workstation in register:
            workstation.committee = self.committee
            self._by_name[name_key(workstation.name)] = workstation
            self._slug_owner[workstation.slug] = name_key(workstation.name)

    def init_instance(self, row=None):
        return Workstation(committee=self.committee)

    def get_instance(self, instance_loader, row):
        return self._by_name.get(name_key(row.get("名称")))

    def check_row(self, instance, row, errors, row_number):
        super().check_row(instance, row, errors, row_number)
        key = name_key(instance.name)
        if not key:
            return
        if not instance.slug:
            instance.slug = workstation_slug(instance.name, taken=set(self._slug_owner))
        earlier = self.seen_before(("name", key), row_number)
        if earlier:
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                _("Same workstation as row %(row)s (same name).") % {"row": earlier}
            )
            return
        owner = self._slug_owner.get(instance.slug)
        if owner is not None and owner != key:
            errors.setdefault("slug", []).append(
                _("This web address is already used by another workstation.")
            )
        else:
            self._slug_owner[instance.slug] = key

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("committee", "area", "sector")

    def after_written(self):
        # A row may have published a workstation or taken one off the public pages.
        workstation_published_changed(committee_ids=[self.committee.pk])
        super().after_written()
