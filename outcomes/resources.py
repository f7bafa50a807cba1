"""Spreadsheet columns of the outcome register (django-import-export).

A row is matched to a stored outcome of the importing committee by its title. A row without a
status is a submitted outcome when it gives the date it was submitted, a draft otherwise.
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
    MemberNamesWidget,
    NamedForeignKeyWidget,
    TextWidget,
    YesNoWidget,
)

from . import tallies
from .models import Outcome

Kind, Status = Outcome.Kind, Outcome.Status

KIND_LABELS = {
    Kind.CONSULTATION_REPORT: "协商报告",
    Kind.PUBLIC_OPINION: "社情民意信息",
    Kind.PROPOSAL: "提案",
    Kind.RESEARCH_REPORT: "调研报告",
    Kind.BULLETIN: "信息专报",
    Kind.TYPICAL_CASE: "典型案例",
}
KIND_ALIASES = {"社情民意": Kind.PUBLIC_OPINION, "协商成果": Kind.CONSULTATION_REPORT}
STATUS_LABELS = {Status.DRAFT: "草稿", Status.SUBMITTED: "已报送"}
STATUS_ALIASES = {"已提交": Status.SUBMITTED, "报送": Status.SUBMITTED, "未报送": Status.DRAFT}
TITLE_COLUMN, STATUS_COLUMN = "标题", "状态"


class OutcomeResource(TenantResource):
    sheet_title = "履职成果"
    trusted_fields = ("committee", "workstation", "consultation")

    kind = Column(
        "kind",
        "类型",
        ChoiceWidget(KIND_LABELS, KIND_ALIASES),
        required=True,
        aliases=("成果类型",),
        help_text=gettext_lazy("The kind of outcome."),
    )
    title = Column(
        "title",
        TITLE_COLUMN,
        TextWidget(),
        required=True,
        help_text=gettext_lazy(
            "The title. A row with the title of an outcome already in the register updates it."
        ),
    )
    workstation = Column(
        "workstation",
        "工作室",
        NamedForeignKeyWidget(Workstation),
        aliases=("所在工作室",),
        help_text=gettext_lazy("The workstation it came from, by its name; optional."),
    )
    authors = Column(
        "authors",
        "作者",
        MemberNamesWidget(Member),
        aliases=("作者委员", "报送委员"),
        help_text=gettext_lazy(
            "Members who wrote it, separated by commas; a name two members share is written "
            "with the last four digits of the mobile in brackets."
        ),
    )
    status = Column(
        "status",
        STATUS_COLUMN,
        ChoiceWidget(STATUS_LABELS, STATUS_ALIASES, keep_blank=True),
        saves_null_values=False,
        help_text=gettext_lazy("Blank: submitted when the date submitted is given, else a draft."),
    )
    submitted_to = Column(
        "submitted_to",
        "报送对象",
        TextWidget(),
        aliases=("报送单位",),
        help_text=gettext_lazy("To whom it was submitted."),
    )
    submitted_on = Column(
        "submitted_on",
        "报送日期",
        DateWidget(),
        aliases=("报送时间",),
        help_text=gettext_lazy("A date such as 2024-05-01, not in the future."),
    )
    summary = Column(
        "summary",
        "摘要",
        TextWidget(),
        aliases=("内容摘要", "主要内容"),
        help_text=gettext_lazy("Summary."),
    )
    is_published = Column(
        "is_published",
        "是否公开",
        YesNoWidget(),
        saves_null_values=False,
        help_text=gettext_lazy("Shown on the public pages or not; blank keeps it as it is."),
    )
    committee_name = committee_column()

    class Meta:
        model = Outcome
        fields = (
            "kind",
            "title",
            "workstation",
            "authors",
            "status",
            "submitted_to",
            "submitted_on",
            "summary",
            "is_published",
            "committee_name",
        )

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._by_title = {}
        for outcome in (
            Outcome.objects.filter(committee=self.committee)
            .select_related("workstation")
            .prefetch_related("authors")
        ):
            outcome.committee = self.committee
            self._by_title.setdefault(name_key(outcome.title), []).append(outcome)

    def init_instance(self, row=None):
        return Outcome(committee=self.committee)

    def get_instance(self, instance_loader, row):
        found = self._by_title.get(name_key(row.get(TITLE_COLUMN)), [])
        if len(found) > 1:
            raise ValidationError(
                {
                    TITLE_COLUMN: _(
                        "Several outcomes of the register have this title; edit them there."
                    )
                }
            )
        return found[0] if found else None

    def check_row(self, instance, row, errors, row_number):
        super().check_row(instance, row, errors, row_number)
        key = name_key(instance.title)
        earlier = key and self.seen_before(("title", key), row_number)
        if earlier:
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                _("Same outcome as row %(row)s (same title).") % {"row": earlier}
            )
        if not cell_text(row.get(STATUS_COLUMN)):
            instance.status = Status.SUBMITTED if instance.submitted_on else Status.DRAFT

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("committee", "workstation").prefetch_related("authors")

    def after_written(self):
        tallies.tallies_refresh(committee_ids=[self.committee.pk])
        super().after_written()
