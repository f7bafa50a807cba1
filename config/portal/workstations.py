"""A brand's workstations: the list with its filters, a workstation's page and its A4 poster."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from consultations.models import Activity, Consultation, PublicMessage
from members.selectors import public_memberships
from outcomes.selectors import public_outcomes
from workstations.models import Committee, StandardCheck, StandardItem, Workstation

from .cache import cached_page
from .forms import WorkstationFilterForm
from .selectors import activity_items, workstation_cards
from .tenant import published_workstation_or_404, with_committee

WORKSTATIONS_PER_PAGE = 20
# Few, so that a phone reaches the members and the rest of the page (the pages go on below).
ACTIVITIES_PER_PAGE = 6
# The member cards a workstation's page shows before "N more members" (a <details>).
MEMBERS_SHOWN = 6
# The member cards a wall poster has room for (two columns of four, on A4).
POSTER_CARDS = 8


@cached_page
@with_committee
def workstation_list(request: HttpRequest, committee: Committee) -> HttpResponse:
    form = WorkstationFilterForm(request.GET or None, committee=committee)
    workstations = form.filter(
        Workstation.objects.published().for_committee(committee).order_by("kind", "name")
    )
    page = Paginator(workstation_cards(workstations), WORKSTATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "portal/workstation_list.html",
        {"committee": committee, "form": form, "page": page},
    )


@dataclass
class ChecklistGroup:
    standard_name: str
    rows: list[tuple[StandardItem, StandardCheck | None]]


def _checklist(workstation: Workstation) -> list[ChecklistGroup]:
    """The committee's standards, item by item, with this workstation's state on each."""
    items = (
        StandardItem.objects.filter(standard__committee_id=workstation.committee_id)
        .select_related("standard")
        .order_by("standard__order", "standard__name", "order", "pk")
        .prefetch_related(
            Prefetch(
                "checks",
                queryset=StandardCheck.objects.filter(workstation=workstation),
                to_attr="this_workstation",
            )
        )
    )
    groups: dict[int, ChecklistGroup] = {}
    for item in items:
        group = groups.setdefault(item.standard_id, ChecklistGroup(item.standard.name, []))
        group.rows.append((item, item.this_workstation[0] if item.this_workstation else None))
    return list(groups.values())


@cached_page
@with_committee
def workstation_detail(
    request: HttpRequest, committee: Committee, workstation: str
) -> HttpResponse:
    ws = published_workstation_or_404(committee, workstation)
    activities = Paginator(
        activity_items(Activity.objects.published().filter(workstation=ws)),
        ACTIVITIES_PER_PAGE,
    ).get_page(request.GET.get("page"))
    memberships = list(
        public_memberships()
        .filter(workstation=ws)
        .select_related("member__sector", "member__committee")
        .order_by("role", "member__name")
    )
    context = {
        "committee": committee,
        "workstation": ws,
        "photos": list(ws.photos.all()),
        "memberships": memberships[:MEMBERS_SHOWN],
        "more_memberships": memberships[MEMBERS_SHOWN:],
        "checklist": _checklist(ws),
        "activities": activities,
        "consultations": Consultation.objects.published()
        .filter(workstation=ws)
        .select_related("workstation__committee")[:10],
        "outcomes": public_outcomes().filter(workstation=ws).select_related("committee")[:10],
        # Only replies the resident agreed to publish; never a name or a mobile.
        "answered": PublicMessage.objects.visible()
        .filter(
            workstation=ws,
            reply_may_be_published=True,
            status__in=[PublicMessage.Status.ANSWERED, PublicMessage.Status.CLOSED],
        )
        .exclude(reply="")
        .only("category", "text", "reply", "replied_at", "created_at", "workstation_id")[:10],
    }
    return render(request, "portal/workstation_detail.html", context)


@cached_page
@with_committee
def workstation_poster(
    request: HttpRequest, committee: Committee, workstation: str
) -> HttpResponse:
    """A printable A4 poster for the workstation's wall, with QR codes to its page and form."""
    ws = published_workstation_or_404(committee, workstation)
    memberships = list(
        public_memberships()
        .filter(workstation=ws)
        .select_related("member__sector")
        .order_by("role", "member__name")
    )
    # An A4 sheet holds POSTER_CARDS cards: beyond that, the last slot says how many in all.
    shown = memberships if len(memberships) <= POSTER_CARDS else memberships[: POSTER_CARDS - 1]
    context = {
        "committee": committee,
        "workstation": ws,
        "photo": ws.photos.first(),
        "memberships": shown,
        "members_total": len(memberships),
        "more_members": len(shown) < len(memberships),
    }
    return render(request, "portal/poster.html", context)
