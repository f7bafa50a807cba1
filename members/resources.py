"""Spreadsheet columns of the member register (django-import-export), with each member's places
in workstations.

A row is matched to a member of the importing committee by ID number, else by name and mobile,
else by name alone when only one member has that name and the row gives neither. The column
所在工作室 lists the workstations the member sits in, each with its role in brackets when it is
not the one in the column 角色 (default: resident member), e.g. "城关委员工作室（召集人）；
教育界别活动室". The list is the member's places from now on: missing places are added, roles
changed, places no longer listed ended today. A blank cell leaves the places as they are.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import widgets

from workstations.history import bulk_create_with_history, bulk_update_with_history
from workstations.models import Sector, Workstation
from workstations.spreadsheets.cells import LIST_SEPARATORS, cell_text, name_key
from workstations.spreadsheets.resources import Column, TenantResource, committee_column
from workstations.spreadsheets.widgets import (
    ChoiceWidget,
    CodeWidget,
    CommitteeWidgetMixin,
    IntWidget,
    NamedForeignKeyWidget,
    TextWidget,
    YesNoWidget,
)

from .models import Member, Membership

Gender, Party, Level, Role = Member.Gender, Member.Party, Member.Level, Membership.Role

GENDER_LABELS = {Gender.MALE: "男", Gender.FEMALE: "女"}
GENDER_ALIASES = {"男性": Gender.MALE, "女性": Gender.FEMALE}
PARTY_LABELS = {
    Party.CPC: "中共党员",
    Party.RCCK: "民革党员",
    Party.CDL: "民盟盟员",
    Party.CNDCA: "民建会员",
    Party.CAPD: "民进会员",
    Party.CPWDP: "农工党党员",
    Party.ZHI_GONG: "致公党党员",
    Party.JIUSAN: "九三学社社员",
    Party.TDSGL: "台盟盟员",
    Party.NON_PARTY: "无党派人士",
    Party.MASSES: "群众",
}
PARTY_ALIASES = {
    "中国共产党": Party.CPC,
    "中共": Party.CPC,
    "共产党员": Party.CPC,
    "中共预备党员": Party.CPC,
    "民革": Party.RCCK,
    "中国国民党革命委员会": Party.RCCK,
    "民盟": Party.CDL,
    "中国民主同盟": Party.CDL,
    "民建": Party.CNDCA,
    "中国民主建国会": Party.CNDCA,
    "民进": Party.CAPD,
    "中国民主促进会": Party.CAPD,
    "农工党": Party.CPWDP,
    "中国农工民主党": Party.CPWDP,
    "致公党": Party.ZHI_GONG,
    "中国致公党": Party.ZHI_GONG,
    "九三学社": Party.JIUSAN,
    "台盟": Party.TDSGL,
    "台湾民主自治同盟": Party.TDSGL,
    "无党派": Party.NON_PARTY,
}
LEVEL_LABELS = {
    Level.COUNTY: "县级",
    Level.CITY: "市级",
    Level.PROVINCE: "省级",
    Level.NATIONAL: "全国",
}
LEVEL_ALIASES = {
    "县政协委员": Level.COUNTY,
    "区政协委员": Level.COUNTY,
    "县": Level.COUNTY,
    "区级": Level.COUNTY,
    "市政协委员": Level.CITY,
    "市": Level.CITY,
    "省政协委员": Level.PROVINCE,
    "省": Level.PROVINCE,
    "全国政协委员": Level.NATIONAL,
}
ROLE_LABELS = {Role.CONVENER: "召集人", Role.DEPUTY: "副召集人", Role.RESIDENT: "驻室委员"}
ROLE_ALIASES = {
    "领衔委员": Role.CONVENER,
    "领衔人": Role.CONVENER,
    "负责人": Role.CONVENER,
    "入室委员": Role.RESIDENT,
    "成员": Role.RESIDENT,
    "委员": Role.RESIDENT,
}
ROLE_COLUMN = "角色"
ID_NUMBER_COLUMN, MOBILE_COLUMN, NAME_COLUMN = "身份证号", "手机号", "姓名"

Places = tuple  # ((Workstation, role), ...) ordered by workstation


def places_of(memberships) -> Places:
    return tuple(sorted(((m.workstation, m.role) for m in memberships), key=lambda p: p[0].pk))


class PlacesWidget(CommitteeWidgetMixin, widgets.Widget):
    """The workstations a member sits in, with roles: "城关委员工作室（召集人）；教育界别活动室"."""

    ENTRY = re.compile(r"^(?P<name>.+?)\s*(?:\(\s*(?P<role>[^()]+?)\s*\))?$")

    def __init__(self):
        super().__init__()
        self.roles = ChoiceWidget(ROLE_LABELS, ROLE_ALIASES, keep_blank=True)

    def workstations(self) -> dict:
        if self._cache is None:
            self._cache = {
                name_key(w.name): w for w in Workstation.objects.filter(committee=self.committee)
            }
        return self._cache

    def default_role(self, row) -> str:
        try:
            return self.roles.clean((row or {}).get(ROLE_COLUMN)) or Role.RESIDENT
        except ValueError:
            return Role.RESIDENT  # reported on the role column itself

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        places = {}
        for entry in LIST_SEPARATORS.split(unicodedata.normalize("NFKC", text)):
            entry = entry.strip()
            if not entry:
                continue
            # A name that itself ends in brackets, "城关（开发区）工作室", is a name first.
            workstation = self.workstations().get(name_key(entry))
            if workstation is not None:
                role = self.default_role(row)
            else:
                match = self.ENTRY.match(entry)
                workstation = self.workstations().get(name_key(match["name"]))
                if workstation is None:
                    raise self.not_found(match["name"], Workstation)
                role = match["role"] and self.roles.clean(match["role"]) or self.default_role(row)
            if workstation.pk in places:
                raise ValueError(_("“%(name)s” is listed twice.") % {"name": workstation.name})
            places[workstation.pk] = (workstation, role)
        return tuple(places[pk] for pk in sorted(places))

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        return "；".join(f"{w.name}（{ROLE_LABELS.get(role, role)}）" for w, role in value)


class MemberResource(TenantResource):
    sheet_title = "委员名册"
    trusted_fields = ("committee", "sector")
    validate_in_db = False  # ID numbers and name + mobile are checked against the register below

    name = Column(
        "name",
        NAME_COLUMN,
        TextWidget(),
        required=True,
        help_text=gettext_lazy("The member's name."),
    )
    gender = Column("gender", "性别", ChoiceWidget(GENDER_LABELS, GENDER_ALIASES))
    birth_year = Column(
        "birth_year",
        "出生年份",
        IntWidget(),
        aliases=("出生年",),
        help_text=gettext_lazy("A year such as 1975."),
    )
    sector = Column(
        "sector",
        "界别",
        NamedForeignKeyWidget(Sector),
        aliases=("所属界别",),
        help_text=gettext_lazy("A sector of the committee, as named in its list of sectors."),
    )
    party = Column(
        "party",
        "党派",
        ChoiceWidget(PARTY_LABELS, PARTY_ALIASES),
        aliases=("政治面貌",),
        help_text=gettext_lazy("Party affiliation."),
    )
    is_standing_committee = Column(
        "is_standing_committee",
        "是否常委",
        YesNoWidget(),
        saves_null_values=False,
        aliases=("常委",),
        help_text=gettext_lazy("Member of the standing committee or not."),
    )
    level = Column(
        "level",
        "委员级别",
        ChoiceWidget(LEVEL_LABELS, LEVEL_ALIASES, keep_blank=True),
        saves_null_values=False,
        aliases=("委员类别",),
        help_text=gettext_lazy("Which committee the member sits on; blank: the county's."),
    )
    workplace = Column(
        "workplace",
        "工作单位",
        TextWidget(),
        aliases=("单位",),
        help_text=gettext_lazy("Workplace."),
    )
    title = Column("title", "职务", TextWidget(), help_text=gettext_lazy("Title at work."))
    expertise = Column(
        "expertise", "专长", TextWidget(), help_text=gettext_lazy("Fields of expertise.")
    )
    mobile = Column(
        "mobile",
        MOBILE_COLUMN,
        CodeWidget(keep_blank=True),
        saves_null_values=False,
        aliases=("手机", "手机号码", "移动电话"),
        help_text=gettext_lazy(
            "11 digits, typed as text. Identifies the member together with the name; "
            "blank keeps the stored one."
        ),
    )
    id_number = Column(
        "id_number",
        ID_NUMBER_COLUMN,
        CodeWidget(keep_blank=True),
        saves_null_values=False,
        aliases=("身份证", "身份证号码", "公民身份号码"),
        help_text=gettext_lazy(
            "18 characters, typed as text. Identifies the member; blank keeps the stored one."
        ),
    )
    workstations = Column(
        "import_places",
        "所在工作室",
        PlacesWidget(),
        saves_null_values=False,
        aliases=("工作室", "所属工作室", "入驻工作室"),
        help_text=gettext_lazy(
            "Every workstation the member sits in, separated by semicolons, each with its role "
            "in brackets unless it is the one in the role column. Places no longer listed end "
            "today; blank leaves the places as they are."
        ),
    )
    role = Column(
        None,
        ROLE_COLUMN,
        ChoiceWidget(ROLE_LABELS, ROLE_ALIASES, keep_blank=True),
        export=False,
        help_text=gettext_lazy(
            "The role in the workstations listed without one; blank: resident member."
        ),
    )
    is_active = Column(
        "is_active",
        "是否在任",
        YesNoWidget(),
        saves_null_values=False,
        help_text=gettext_lazy("No once the member's term has ended; blank keeps it as it is."),
    )
    public_bio = Column(
        "public_bio",
        "个人简介",
        TextWidget(),
        aliases=("简介",),
        help_text=gettext_lazy("Shown on the public pages."),
    )
    committee_name = committee_column()

    class Meta:
        model = Member
        fields = (
            "name",
            "gender",
            "birth_year",
            "sector",
            "party",
            "is_standing_committee",
            "level",
            "workplace",
            "title",
            "expertise",
            "mobile",
            "id_number",
            "workstations",
            "role",
            "is_active",
            "public_bio",
            "committee_name",
        )

    def reset(self):
        super().reset()
        self._to_sync: list[Member] = []

    # -- matching rows to members -------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        members = list(Member.objects.filter(committee=self.committee).select_related("sector"))
        open_places = defaultdict(dict)
        for membership in Membership.objects.filter(
            member__committee=self.committee, until__isnull=True
        ).select_related("workstation"):
            open_places[membership.member_id][membership.workstation_id] = membership
        self._open_places = open_places
        # A row giving neither ID number nor mobile is recognised by its name: only if no other
        # row of the file has that name, or the next import could not tell them apart.
        self._name_counts = Counter(name_key(name) for name in dataset[NAME_COLUMN])
        self._by_id_number, self._by_name_mobile = {}, {}
        self._by_name = defaultdict(list)
        for member in members:
            member.committee = self.committee
            member.import_places = places_of(open_places[member.pk].values())
            if member.id_number:
                self._by_id_number[member.id_number.upper()] = member
            if member.mobile:
                self._by_name_mobile[(name_key(member.name), member.mobile)] = member
            self._by_name[name_key(member.name)].append(member)

    def init_instance(self, row=None):
        return Member(committee=self.committee)

    def _code(self, row, column: str) -> str:
        try:
            return (
                self.fields["id_number" if column == ID_NUMBER_COLUMN else "mobile"].widget.clean(
                    row.get(column)
                )
                or ""
            )
        except ValueError:
            return ""  # reported when the row's values are read

    def get_instance(self, instance_loader, row):
        id_number = self._code(row, ID_NUMBER_COLUMN)
        mobile = self._code(row, MOBILE_COLUMN)
        name = name_key(row.get(NAME_COLUMN))
        if id_number and id_number in self._by_id_number:
            return self._by_id_number[id_number]
        if mobile:
            found = self._by_name_mobile.get((name, mobile))
            candidates = [found] if found else []
        else:
            candidates = self._by_name.get(name, [])
        # A member whose stored ID number differs is another person.
        candidates = [
            m for m in candidates if not (id_number and m.id_number and m.id_number != id_number)
        ]
        if len(candidates) > 1:
            raise ValidationError(
                {
                    NAME_COLUMN: _(
                        "Several members of the register have this name; add the ID number "
                        "or the mobile."
                    )
                }
            )
        return candidates[0] if candidates else None

    def check_row(self, instance, row, errors, row_number):
        super().check_row(instance, row, errors, row_number)
        if ROLE_COLUMN in row:
            try:
                self.fields["role"].widget.clean(row[ROLE_COLUMN])
            except ValueError as error:
                errors.setdefault(ROLE_COLUMN, []).append(str(error))
        id_number = (instance.id_number or "").upper()
        name = name_key(instance.name)
        # The keys a member is known by, in the order a duplicate is explained.
        keys = [
            (("id", id_number), "id") if id_number else None,
            (("name+mobile", name, instance.mobile), "mobile") if instance.mobile else None,
            (("member", instance.pk), "member") if instance.pk else None,
        ]
        for key, why in filter(None, keys):
            earlier = self.seen_before(key, row_number)
            if earlier:
                reasons = {
                    "id": _("the same ID number"),
                    "mobile": _("the same name and mobile"),
                    "member": _("both rows are the same member of the register"),
                }
                errors.setdefault(NON_FIELD_ERRORS, []).append(
                    _("Same member as row %(row)s: %(why)s.")
                    % {"row": earlier, "why": reasons[why]}
                )
                break
        identified = self._code(row, ID_NUMBER_COLUMN) or self._code(row, MOBILE_COLUMN)
        if not identified and self._name_counts[name] > 1:
            errors.setdefault("name", []).append(
                _("Other rows have this name too: give the ID number or the mobile.")
            )
        other = self._by_id_number.get(id_number)
        if id_number and other is not None and other.pk != instance.pk:
            errors.setdefault("id_number", []).append(
                _("Another member of the register, %(name)s, has this ID number.")
                % {"name": other.name}
            )
        other = self._by_name_mobile.get((name, instance.mobile))
        if instance.mobile and other is not None and other.pk != instance.pk:
            errors.setdefault("mobile", []).append(
                _("Another member of the register has this name and mobile.")
            )

    # -- places in workstations, written once the members are saved -------------------------------

    def after_save_instance(self, instance, row, **kwargs):
        if getattr(instance, "import_places", None) is not None:
            self._to_sync.append(instance)

    def after_rows_saved(self, result, **kwargs):
        """Bring each imported member's open places in line with the sheet (with history)."""
        today = timezone.localdate()
        create, update = [], []
        for member in self._to_sync:
            wanted = {w.pk: (w, role) for w, role in member.import_places}
            current = self._open_places.get(member.pk, {}) if member.pk else {}
            for pk, (workstation, role) in wanted.items():
                membership = current.get(pk)
                if membership is None:
                    create.append(
                        Membership(member=member, workstation=workstation, role=role, since=today)
                    )
                elif membership.role != role:
                    membership.role = role
                    update.append(membership)
            for pk, membership in current.items():
                if pk not in wanted:
                    membership.until = max(today, membership.since or today)
                    update.append(membership)
        history = {"user": self.user, "reason": self.change_reason()}
        if create:
            bulk_create_with_history(create, Membership, **history)
        if update:
            bulk_update_with_history(update, Membership, ["role", "until"], **history)

    # -- export ---------------------------------------------------------------------------------

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("committee", "sector").prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(until__isnull=True).select_related(
                    "workstation"
                ),
                to_attr="open_memberships",
            )
        )

    def dehydrate_workstations(self, member: Member) -> str:
        memberships = getattr(member, "open_memberships", None)
        if memberships is None:
            memberships = member.memberships.filter(until__isnull=True).select_related(
                "workstation"
            )
        return self.fields["workstations"].widget.render(places_of(memberships))
