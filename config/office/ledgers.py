"""The monthly activity ledger (活动台账): one workstation's, chosen on a form, or every
workstation's of the committee in one workbook (a committee of many workstations has it
written by a task)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from outcomes import exports
from workstations.models import Committee, Workstation

from . import downloads
from .access import export_view, may_export, office_view, xlsx_response
from .forms import LedgerForm, MonthForm

COUNTY_FORM_IDS = "county_%s"  # the two forms share the page, not their fields' ids


def _page(
    request: HttpRequest,
    committee: Committee,
    form: LedgerForm,
    county_form: MonthForm,
    *,
    allowed: bool,
) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "office/ledgers.html",
        {
            "section": "ledgers",
            "form": form,
            "county_form": county_form,
            "this_month": f"{today.year}-{today.month:02d}",
            "several_committees": committee.level != Committee.Level.COUNTY,
            "may_export": allowed,
        },
    )


@office_view
def ledgers(request: HttpRequest, committee: Committee) -> HttpResponse:
    form = LedgerForm(request.GET or None, committee=committee)
    allowed = may_export(request.user)
    if form.is_bound and form.is_valid():
        if not allowed:
            raise PermissionDenied
        workstation = form.cleaned_data["workstation"]
        year, month = form.cleaned_data["month"]
        filename = f"{workstation.name}-{_('activity ledger')}-{year}-{month:02d}.xlsx"
        return xlsx_response(exports.activity_ledger(workstation, year, month), filename)
    county_form = MonthForm(auto_id=COUNTY_FORM_IDS)
    return _page(request, committee, form, county_form, allowed=allowed)


@export_view
def committee_ledger_xlsx(request: HttpRequest, committee: Committee) -> HttpResponse:
    """Every workstation's ledger of ``?month=`` in one workbook."""
    county_form = MonthForm(request.GET, auto_id=COUNTY_FORM_IDS)
    if not county_form.is_valid():
        form = LedgerForm(committee=committee)
        return _page(request, committee, form, county_form, allowed=True)
    year, month = county_form.cleaned_data["month"]
    filename = f"{committee.name}-{_('activity ledger')}-{year}-{month:02d}.xlsx"
    if downloads.is_large(Workstation.objects.for_committee(committee)):
        return downloads.queue_workbook(
            request, committee, workbook="ledger", year=year, month=month, title=filename
        )
    return xlsx_response(exports.committee_ledger(committee, year, month), filename)
