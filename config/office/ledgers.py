"""A workstation's monthly activity ledger (活动台账), chosen on a form, as a workbook."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from outcomes import exports
from workstations.models import Committee

from .access import may_export, office_view, xlsx_response
from .forms import LedgerForm


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
    return render(
        request,
        "office/ledgers.html",
        {"section": "ledgers", "form": form, "may_export": allowed},
    )
