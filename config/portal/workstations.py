"""A brand's workstations: the list with its filters, a workstation's page and its A4 poster."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from consultations.models import Activity, Consultation, PublicMessage
from members.selectors import public_memberships
from outcomes.selectors import public_outcomes
from workstations.models import Committee, StandardCheck, StandardItem, Workstation

from .cache import cached_page, fragment
from .forms import WorkstationFilterForm
from .selectors import workstation_cards
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


def _sections(committee: Committee, ws: Workstation) -> str:
    """The page below its activities: members, consultations, outcomes, replies and the
    checklist, the same on every page of its activities."""
    memberships = list(
        public_memberships()
        .filter(workstation=ws)
        .select_related("member__sector", "member__committee")
        .only(
            "role",
            "member__name",
            "member__photo",
            "member__workplace",
            "member__title",
            "member__sector__name",
            "member__committee__slug",
        )
        .order_by("role", "member__name")
    )
    consultations = list(
        Consultation.objects.published()
        .filter(workstation=ws)
        .only("topic", "stage", "opened_on", "workstation_id")[:10]
    )
    outcomes = list(
        public_outcomes()
        .filter(workstation=ws)
        .only("kind", "title", "summary", "submitted_on", "submitted_to", "committee_id")[:10]
    )
    # Each links under an address the page already has: no join to fetch it again.
    for consultation in consultations:
        consultation.workstation = ws
    for outcome in outcomes:
        if outcome.committee_id == committee.pk:
            outcome.committee = committee
    context = {
        "committee": committee,
        "workstation": ws,
        "memberships": memberships[:MEMBERS_SHOWN],
        "more_memberships": memberships[MEMBERS_SHOWN:],
        "checklist": _checklist(ws),
        "consultations": consultations,
        "outcomes": outcomes,
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
    return render_to_string("portal/_workstation_sections.html", context)


@cached_page
@with_committee
def workstation_detail(
    request: HttpRequest, committee: Committee, workstation: str
) -> HttpResponse:
    ws = published_workstation_or_404(committee, workstation)
    # The workstation is published (or this is a 404): its approved activities are public.
    activities = Paginator(
        Activity.objects.approved()
        .filter(workstation=ws)
        .select_related("type")
        .only("title", "date", "residents_served", "type__name", "workstation_id")
        .prefetch_related("photos"),
        ACTIVITIES_PER_PAGE,
    ).get_page(request.GET.get("page"))
    activities.object_list = list(activities.object_list)
    for activity in activities.object_list:
        activity.workstation = ws  # the links' committee, without a join
    context = {
        "committee": committee,
        "workstation": ws,
        "photos": list(ws.photos.all()),
        "activities": activities,
        # Kept apart under the committee's version: every page of the activities (and every
        # address with a query string of its own) shares it.
        "sections": mark_safe(
            fragment(f"workstation:{ws.pk}", ws.committee_id, lambda: _sections(committee, ws))
        ),
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
