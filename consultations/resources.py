"""Spreadsheet columns of the activity register (django-import-export): an office's ledger
(台账) of the activities held at its workstations.

A row is matched to a stored activity by workstation, date and title. Staff importing a ledger
vouch for it: a row without a status is imported as approved and published. The rows follow the
rules of the activity services: each is checked at the preview with ``activity_record_errors``
and the sheet is written with ``activities_record`` (review trail and history included).
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import Member
from workstations.models import Workstation
from workstations.spreadsheets.cells import cell_text, name_key
from workstations.spreadsheets.resources import Column, TenantResource, committee_column
from workstations.spreadsheets.widgets import (
    ChoiceWidget,
    DateWidget,
    IntWidget,
    MemberNamesWidget,
    NamedForeignKeyWidget,
    TextWidget,
)

from .models import Activity, ActivityType
from .services.activities import ActivityRecord, Seats, activities_record, activity_record_errors

Status = Activity.Status

STATUS_LABELS = {
    Status.DRAFT: "草稿",
    Status.SUBMITTED: "已提交",
    Status.RETURNED: "退回修改",
    Status.APPROVED: "已发布",
}
STATUS_ALIASES = {
    "已审核": Status.APPROVED,
    "已通过": Status.APPROVED,
    "已批准": Status.APPROVED,
    "发布": Status.APPROVED,
    "待审核": Status.SUBMITTED,
    "已退回": Status.RETURNED,
}
WORKSTATION_COLUMN, DATE_COLUMN, TITLE_COLUMN, STATUS_COLUMN = "工作室", "日期", "标题", "状态"


class ActivityResource(TenantResource):
    sheet_title = "活动台账"
    trusted_fields = ("workstation", "type", "author", "approved_by")

    workstation = Column(
        "workstation",
        WORKSTATION_COLUMN,
        NamedForeignKeyWidget(Workstation),
        required=True,
        aliases=("所在工作室", "活动阵地"),
        help_text=gettext_lazy("A workstation of the committee, by its name."),
    )
    type = Column(
        "type",
        "活动类型",
        NamedForeignKeyWidget(ActivityType),
        required=True,
        aliases=("类型",),
        help_text=gettext_lazy("An activity type of the committee, by its name."),
    )
    title = Column(
        "title",
        TITLE_COLUMN,
        TextWidget(),
        required=True,
        aliases=("活动名称", "活动主题"),
        help_text=gettext_lazy(
            "The activity's title. A row with the workstation, date and title of an activity "
            "already in the register updates it."
        ),
    )
    date = Column(
        "date",
        DATE_COLUMN,
        DateWidget(),
        required=True,
        aliases=("活动日期", "活动时间"),
        help_text=gettext_lazy("A date such as 2024-05-01, not in the future."),
    )
    place = Column(
        "place", "地点", TextWidget(), aliases=("活动地点",), help_text=gettext_lazy("Place.")
    )
    participants = Column(
        "participants",
        "参与委员",
        MemberNamesWidget(Member),
        aliases=("参加委员",),
        help_text=gettext_lazy(
            "Members who took part, separated by commas; a name two members share is written "
            "with the last four digits of the mobile in brackets."
        ),
    )
    residents_served = Column(
        "residents_served",
        "服务群众人次",
        IntWidget(),
        saves_null_values=False,
        aliases=("服务人次", "服务群众"),
        help_text=gettext_lazy("How many residents were served, a whole number."),
    )
    description = Column(
        "description",
        "活动内容",
        TextWidget(),
        aliases=("内容", "活动简介"),
        help_text=gettext_lazy("What was done."),
    )
    status = Column(
        "status",
        STATUS_COLUMN,
        ChoiceWidget(STATUS_LABELS, STATUS_ALIASES, keep_blank=True),
        saves_null_values=False,
        help_text=gettext_lazy("Blank: approved and published, as the office vouches for it."),
    )
    committee_name = committee_column("workstation__committee")

    class Meta:
        model = Activity
        fields = (
            "workstation",
            "type",
            "title",
            "date",
            "place",
            "participants",
            "residents_served",
            "description",
            "status",
            "committee_name",
        )

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        # Only the activities on the dates of the sheet can match a row.
        dates = set()
        for value in dataset[DATE_COLUMN]:
            try:
                dates.add(self.fields["date"].widget.clean(value))
            except ValueError:
                continue
        self._by_key = {}
        for activity in (
            Activity.objects.filter(workstation__committee=self.committee, date__in=dates)
            .select_related("workstation__committee", "type")
            .prefetch_related("participants")
        ):
            self._by_key[self._key(activity.workstation, activity.date, activity.title)] = activity
        # Who sits where, read once: the workstations are the committee's (the column's own).
        workstations = self.fields["workstation"].widget.by_name().values()
        self._seats = Seats(w.pk for w in workstations)

    @staticmethod
    def _key(workstation, date, title) -> tuple:
        return (workstation.pk if workstation else None, date, name_key(title))

    def init_instance(self, row=None):
        return Activity()

    def get_instance(self, instance_loader, row):
        try:
            workstation = self.fields["workstation"].clean(row)
            date = self.fields["date"].clean(row)
        except ValueError:
            return None  # reported when the row's values are read
        return self._by_key.get(self._key(workstation, date, row.get(TITLE_COLUMN)))

    def check_row(self, instance, row, errors, row_number):
        super().check_row(instance, row, errors, row_number)
        if instance.workstation_id and instance.date and instance.title:
            key = self._key(instance.workstation, instance.date, instance.title)
            earlier = self.seen_before(key, row_number)
            if earlier:
                errors.setdefault(NON_FIELD_ERRORS, []).append(
                    _("Same activity as row %(row)s (same workstation, date and title).")
                    % {"row": earlier}
                )
        if instance.pk is None and not cell_text(row.get(STATUS_COLUMN)):
            instance.status = Status.APPROVED

    # -- the rules and the writing of the activity services ------------------------------------

    def record_of(self, instance: Activity) -> ActivityRecord | None:
        """The row as a record for the activity services; None while the row lacks the
        workstation, type or date that every rule needs (reported on their columns)."""
        if not (instance.workstation_id and instance.type_id and instance.date):
            return None
        return ActivityRecord(
            workstation=instance.workstation,
            type=instance.type,
            date=instance.date,
            title=instance.title,
            place=instance.place,
            residents_served=instance.residents_served,
            description=instance.description,
            participants=self.related(instance, self.fields["participants"]),
            status=instance.status,
            returned_comment=instance.review_comment,
            activity=instance if instance.pk else None,
        )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Each new or changed row under the rules of the activity services: participants who
        sit in the workstation, what was done said before a row is submitted or approved, a
        status that only moves forward from the stored one, and the model's own rules."""
        record = self.record_of(instance)
        if record is None:
            super().validate_instance(instance, import_validation_errors, validate_unique)
            return
        errors = dict(import_validation_errors or {})
        before = self.stored(STATUS_COLUMN) or Status.DRAFT
        for field, messages in activity_record_errors(record, self._seats, before=before).items():
            errors.setdefault(field, messages)  # a cell already refused says why first
        if errors:
            raise ValidationError(self.errors_by_column(errors))

    def save_new(self, objs: list) -> None:
        saved = activities_record(
            records=[self.record_of(o) for o in objs], by=self.user, reason=self.change_reason()
        )
        # activities_record builds its own Activity for a new record: the row's instance takes
        # on the stored activity's values, so that the row results (and the admin's log
        # entries) point at it.
        for instance, activity in zip(objs, saved, strict=True):
            for field in Activity._meta.concrete_fields:
                setattr(instance, field.attname, getattr(activity, field.attname))
            instance._state.adding, instance._state.db = False, activity._state.db

    def save_changed(self, objs: list) -> None:
        activities_record(
            records=[self.record_of(o) for o in objs], by=self.user, reason=self.change_reason()
        )

    def filter_export(self, queryset, **kwargs):
        # The few workstations and types are fetched once per chunk and shared by its rows,
        # rather than joined and built again for every row (an export of 200,000 rows).
        return queryset.select_related(None).prefetch_related("workstation__committee", "type")

    def export_chunk(self, objs):
        """The participants of a chunk of activities, by name, in one query."""
        names: dict[int, list[str]] = {}
        for activity_id, name in (
            Activity.participants.through.objects.filter(activity_id__in=[a.pk for a in objs])
            .order_by("activity_id", "member__name")
            .values_list("activity_id", "member__name")
        ):
            names.setdefault(activity_id, []).append(name)
        self._participant_names = names

    def dehydrate_participants(self, activity) -> str:
        names = getattr(self, "_participant_names", None)
        if names is not None and activity.pk in names:
            return self.fields["participants"].widget.separator.join(names[activity.pk])
        if names is not None:
            return ""
        return self.fields["participants"].widget.render(activity.participants.all())
