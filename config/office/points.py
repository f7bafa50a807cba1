"""Member points (履职积分): the yearly ranking (printable, and as a workbook), each member's
ledger, its print view and the yearly record (履职档案) as a workbook."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member, Membership
from outcomes import exports
from outcomes import points as member_points
from workstations.models import Committee

from .access import export_view, may_export, office_view, xlsx_response
from .forms import selected_year, year_choices
from .selectors import ledger_lines


def _member(committee: Committee, pk: int) -> Member:
    members = Member.objects.for_committee(committee).select_related("committee", "sector")
    return get_object_or_404(members, pk=pk)


@office_view
def ranking(request: HttpRequest, committee: Committee) -> HttpResponse:
    year = selected_year(request)
    return render(
        request,
        "office/points.html",
        {
            "section": "points",
            "year": year,
            "years": year_choices(),
            "standings": member_points.ranking(committee, year),
            "several_committees": committee.level != Committee.Level.COUNTY,
            "may_export": may_export(request.user),
        },
    )


@export_view
def ranking_xlsx(request: HttpRequest, committee: Committee) -> HttpResponse:
    year = selected_year(request)
    standings = member_points.ranking(committee, year)
    filename = f"{committee.name}-{_('member points')}-{year}.xlsx"
    return xlsx_response(exports.points_ranking(committee, year, standings), filename)


def _ledger_context(request: HttpRequest, committee: Committee, pk: int) -> dict:
    member = _member(committee, pk)
    year = selected_year(request)
    entries = member_points.member_ledger(member, year)
    return {
        "section": "points",
        "member": member,
        "year": year,
        "years": year_choices(),
        "lines": ledger_lines(entries),
        "total": sum((e.points for e in entries), Decimal(0)),
        "memberships": Membership.objects.filter(member=member)
        .select_related("workstation")
        .order_by("-since", "workstation__name"),
        "may_export": may_export(request.user),
    }


@office_view
def member_ledger(request: HttpRequest, committee: Committee, pk: int) -> HttpResponse:
    return render(request, "office/member.html", _ledger_context(request, committee, pk))


@office_view
def member_print(request: HttpRequest, committee: Committee, pk: int) -> HttpResponse:
    context = _ledger_context(request, committee, pk)
    context["today"] = timezone.localdate()
    return render(request, "office/member_print.html", context)


@export_view
def member_xlsx(request: HttpRequest, committee: Committee, pk: int) -> HttpResponse:
    member = _member(committee, pk)
    year = selected_year(request)
    filename = f"{member.name}-{_('yearly record')}-{year}.xlsx"
    return xlsx_response(exports.member_record(member, year), filename)
