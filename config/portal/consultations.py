"""A published consultation's page: its steps ("三议七步") and what came of it."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from consultations.models import Consultation
from members.models import Member
from members.selectors import with_public_flag
from outcomes.selectors import public_outcomes
from workstations.models import Committee

from .cache import cached_page
from .tenant import with_committee


@cached_page
@with_committee
def consultation_detail(request: HttpRequest, committee: Committee, pk: int) -> HttpResponse:
    consultation = get_object_or_404(
        Consultation.objects.published()
        .for_committee(committee, subtree=False)
        .select_related("workstation__committee"),
        pk=pk,
    )
    steps = list(
        consultation.steps.order_by("step", "date", "pk").prefetch_related(
            Prefetch(
                "members",
                queryset=with_public_flag(Member.objects.select_related("committee")).order_by(
                    "name"
                ),
            )
        )
    )
    recorded = {s.step for s in steps}
    progress = [
        {
            "value": value,
            "label": label,
            "state": "current"
            if value == consultation.stage
            else "done"
            if value < consultation.stage or value in recorded
            else "todo",
        }
        for value, label in Consultation.Step.choices
    ]
    context = {
        "committee": committee,
        "consultation": consultation,
        "steps": steps,
        "progress": progress,
        "outcomes": public_outcomes().filter(consultation=consultation).select_related("committee"),
        "media_reports": consultation.media_reports.all(),
    }
    return render(request, "portal/consultation_detail.html", context)
