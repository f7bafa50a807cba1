"""My desk (/me/): my workstations and whether their rhythm is kept, my recent logs, my outcomes,
my points this year, and for conveners the logs waiting for them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from consultations.models import Activity, Consultation

from .access import (
    convened_workstations,
    member_required,
    my_workstations,
)
from .selectors import desk_points, desk_rhythm, my_outcomes


@member_required
def desk(request: HttpRequest) -> HttpResponse:
    member = request.member
    workstations = my_workstations(member).select_related("committee")
    convened = convened_workstations(member)
    return render(
        request,
        "me/desk.html",
        {
            "member": member,
            "rhythm": desk_rhythm(workstations),
            "activities": Activity.objects.filter(author=member)
            .select_related("workstation", "type")
            .order_by("-updated_at")[:5],
            "outcomes": my_outcomes(member)[:5],
            "points": desk_points(member),
            "convenes": convened.exists(),
            "convened": convened,
            "waiting_count": Activity.objects.filter(
                workstation__in=convened, status=Activity.Status.SUBMITTED
            ).count(),
            "consultations": Consultation.objects.filter(workstation__in=workstations)
            .select_related("workstation")
            .order_by("-opened_on")[:3],
        },
    )
