"""Public pages of outcomes: a brand's list and an outcome's page with its trail."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from consultations.models import Consultation
from members.selectors import with_public_flag
from outcomes.models import Outcome
from outcomes.selectors import public_outcomes
from workstations.models import Committee

from .cache import cached_page
from .tenant import with_committee

OUTCOMES_PER_PAGE = 20


@cached_page
@with_committee
def outcome_list(request: HttpRequest, committee: Committee) -> HttpResponse:
    kind = request.GET.get("kind", "")
    outcomes = public_outcomes().for_committee(committee).select_related("committee", "workstation")
    if kind in Outcome.Kind.values:
        outcomes = outcomes.filter(kind=kind)
    else:
        kind = ""
    page = Paginator(outcomes, OUTCOMES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/outcome_list.html",
        {"committee": committee, "page": page, "kind": kind, "kinds": Outcome.Kind.choices},
    )


@cached_page
@with_committee
def outcome_detail(request: HttpRequest, committee: Committee, pk: int) -> HttpResponse:
    outcome = get_object_or_404(
        public_outcomes()
        .for_committee(committee, subtree=False)
        .select_related("committee", "workstation__committee"),
        pk=pk,
    )
    consultation = None
    if outcome.consultation_id:
        # Linked only while the consultation itself is published.
        consultation = (
            Consultation.objects.published()
            .select_related("workstation__committee")
            .filter(pk=outcome.consultation_id)
            .first()
        )
    context = {
        "committee": committee,
        "outcome": outcome,
        "consultation": consultation,
        "authors": with_public_flag(outcome.authors.select_related("sector", "committee")).order_by(
            "name"
        ),
        "events": outcome.events.order_by("date", "pk"),
        "endorsements": outcome.endorsements.order_by("date", "pk"),
    }
    return render(request, "portal/outcome_detail.html", context)
